//! Drift reports: what changed outside Plinth since the last apply, attribute by attribute, and
//! what an apply would do to restore the configuration.
//!
//! Built from a refreshing plan ([`PlanResult::drift`] plus its changes); writes nothing. Paths
//! under `lifecycle { ignore_changes }` are not drift. Sensitive values are never shown.

use std::collections::HashMap;
use std::fmt::Write as _;

use plinth_sdk::plan::same;
use plinth_sdk::{AttrPath, PathStep, Value};
use serde_json::json;

use super::checks::{CheckResult, CheckStatus};
use super::walk::PlanResult;
use super::{Action, ResourceChange};
use crate::addrs::ResourceInstance;
use crate::config::{Config, IgnoreChanges};
use crate::graph::walk::Providers;
use crate::style;

/// The drift of one resource instance.
#[derive(Clone, Debug, PartialEq)]
pub struct DriftedResource {
    pub address: String,
    pub type_name: String,
    /// `modified` or `deleted`.
    pub status: &'static str,
    /// For `modified`: each changed attribute path with the recorded and the live value.
    pub changes: Vec<(AttrPath, Value, Value)>,
    /// What an apply would do now (`None` when it would do nothing).
    pub planned: Option<Action>,
}

/// A whole drift report.
#[derive(Clone, Debug, PartialEq)]
pub struct DriftReport {
    pub env: String,
    pub resources: Vec<DriftedResource>,
    /// Every `check` block's result: a failed check is drift too (the infrastructure no longer
    /// satisfies what the configuration asserts about it).
    pub checks: Vec<CheckResult>,
}

impl DriftReport {
    pub fn drifted(&self) -> bool {
        !self.resources.is_empty() || !self.failed_checks().is_empty()
    }

    pub fn failed_checks(&self) -> Vec<&CheckResult> {
        self.checks.iter().filter(|c| c.status == CheckStatus::Fail).collect()
    }
}

/// Builds the report from a plan made with refresh on. `schemas` tells configurable attributes
/// from computed ones.
pub fn report(config: &Config, result: &PlanResult, schemas: &Providers) -> DriftReport {
    let ignores = ignore_rules(config);
    let omitted = omitted_computed_blocks(config, schemas);
    let changes: HashMap<&str, &ResourceChange> = result.plan.changes.iter().map(|c| (c.address.as_str(), c)).collect();
    let mut resources = Vec::new();
    for d in &result.drift {
        // Refresh reads what the targets depend on too; only the targets themselves are reported.
        if !crate::plan::walk::targeted_key(&d.address, &result.plan.targets) {
            continue;
        }
        // A deposed object (whose key does not parse as an instance) follows no block's rules.
        let key = ResourceInstance::parse(&d.address).ok().map(|i| i.static_string());
        let ignore = key.as_ref().and_then(|k| ignores.get(k));
        let left_out = key.as_ref().and_then(|k| omitted.get(k));
        let planned = changes
            .get(d.address.as_str())
            .map(|c| c.action)
            .filter(|a| !matches!(a, Action::NoOp | Action::Read));
        match &d.live {
            None => resources.push(DriftedResource {
                address: d.address.clone(),
                type_name: d.type_name.clone(),
                status: "deleted",
                changes: Vec::new(),
                planned,
            }),
            Some(live) => {
                let mut diffs = Vec::new();
                leaf_diffs(&AttrPath::default(), &d.recorded, live, &mut diffs);
                // An attribute the recorded object has no entry for at all came with a newer
                // Plinth (the type's schema grew, as the AWS types' `region` did): the first
                // refresh fills it in, which is not drift of the object.
                if let Value::Map(recorded) = &d.recorded {
                    diffs.retain(|(p, _, _)| match p.0.first() {
                        Some(PathStep::Attr(a)) => recorded.contains_key(a),
                        _ => true,
                    });
                }
                for p in &d.sensitive_changed {
                    let live_v = live.at(p).cloned().unwrap_or(Value::Null).mark();
                    diffs.push((p.clone(), Value::Null.mark(), live_v));
                }
                diffs.sort_by(|a, b| a.0.cmp(&b.0));
                diffs.retain(|(p, _, _)| match ignore {
                    Some(IgnoreChanges::All) => false,
                    Some(IgnoreChanges::Paths(paths)) => !paths.iter().any(|i| p.starts_with(i)),
                    _ => true,
                });
                // A block computed when omitted that the configuration leaves out is the
                // provider's (another resource adds to it, as rule resources to a security
                // group): not drift.
                if let Some(blocks) = left_out {
                    diffs.retain(|(p, _, _)| !matches!(p.0.first(), Some(PathStep::Attr(a)) if blocks.contains(a)));
                }
                // What is left of an ignored change is what the provider computes from it (a
                // file's hash, say): not drift of anything the configuration manages.
                if ignore.is_some() && diffs.iter().all(|(p, _, _)| computed_only(schemas, &d.type_name, p)) {
                    diffs.clear();
                }
                if diffs.is_empty() {
                    continue;
                }
                resources.push(DriftedResource {
                    address: d.address.clone(),
                    type_name: d.type_name.clone(),
                    status: "modified",
                    changes: diffs,
                    planned,
                });
            }
        }
    }
    DriftReport {
        env: result.plan.env.clone(),
        resources,
        checks: result.plan.checks.clone(),
    }
}

fn computed_only(schemas: &Providers, type_name: &str, path: &AttrPath) -> bool {
    let provider = type_name.split('_').next().unwrap_or(type_name).to_string();
    let Some(schema) = schemas
        .resource_schemas
        .get(&(provider, crate::config::Mode::Managed, type_name.to_string()))
    else {
        return false;
    };
    match path.0.first() {
        Some(PathStep::Attr(a)) => schema
            .attributes
            .get(a)
            .is_some_and(|a| a.computed && !a.optional && !a.required),
        _ => false,
    }
}

/// By resource (static address): the nested blocks its schema marks computed when omitted and
/// its body leaves out (no block, no `dynamic` block, no `name = ...`).
fn omitted_computed_blocks(config: &Config, schemas: &Providers) -> HashMap<String, Vec<String>> {
    use hcl::edit::structure::Structure;
    let mut out = HashMap::new();
    config.root.walk(&mut |m| {
        let prefix = crate::addrs::path_prefix(&m.path);
        for r in m.resources.values() {
            let key = (
                r.provider_name().to_string(),
                crate::config::Mode::Managed,
                r.type_name.clone(),
            );
            let Some(schema) = schemas.resource_schemas.get(&key) else {
                continue;
            };
            let written = |name: &str| {
                r.body.iter().any(|s| match s {
                    Structure::Attribute(a) => a.key.as_str() == name,
                    Structure::Block(b) if b.ident.as_str() == "dynamic" => {
                        b.labels.first().is_some_and(|l| l.as_str() == name)
                    }
                    Structure::Block(b) => b.ident.as_str() == name,
                })
            };
            let blocks: Vec<String> = schema
                .computed_when_omitted
                .iter()
                .filter(|b| !written(b))
                .cloned()
                .collect();
            if !blocks.is_empty() {
                out.insert(format!("{prefix}{}", r.local_address()), blocks);
            }
        }
    });
    out
}

fn ignore_rules(config: &Config) -> HashMap<String, IgnoreChanges> {
    let mut out = HashMap::new();
    config.root.walk(&mut |m| {
        let prefix = crate::addrs::path_prefix(&m.path);
        for r in m.resources.values() {
            let rule = match &r.lifecycle.ignore_changes {
                IgnoreChanges::None => continue,
                IgnoreChanges::All => IgnoreChanges::All,
                IgnoreChanges::Paths(p) => IgnoreChanges::Paths(p.clone()),
            };
            out.insert(format!("{prefix}{}", r.local_address()), rule);
        }
    });
    out
}

/// The differing leaves of two values (objects descend by key, equal-length lists by index).
fn leaf_diffs(here: &AttrPath, a: &Value, b: &Value, out: &mut Vec<(AttrPath, Value, Value)>) {
    // A sensitive value changed when its redacted form cannot tell: compare the plain values.
    let sensitive = a.is_sensitive() || b.is_sensitive();
    match (a.strip_sensitive(), b.strip_sensitive()) {
        (Value::Map(x), Value::Map(y)) if !sensitive => {
            let mut keys: Vec<&String> = x.keys().chain(y.keys()).collect();
            keys.sort();
            keys.dedup();
            for k in keys {
                let null = Value::Null;
                leaf_diffs(
                    &here.child(PathStep::Attr(k.clone())),
                    x.get(k).unwrap_or(&null),
                    y.get(k).unwrap_or(&null),
                    out,
                );
            }
        }
        (Value::List(x), Value::List(y)) if !sensitive && x.len() == y.len() => {
            for (i, (p, q)) in x.iter().zip(y).enumerate() {
                leaf_diffs(&here.child(PathStep::Index(i)), p, q, out);
            }
        }
        (x, y) => {
            // A recorded secret is stored redacted (a marked null): whether it changed is told by
            // its hash, not by comparing values (see `Drift::sensitive_changed`).
            if a.is_sensitive() && a.strip_sensitive().is_null() {
                return;
            }
            if !same(x, y) {
                out.push((here.clone(), a.clone(), b.clone()));
            }
        }
    }
}

fn action_text(a: Option<Action>) -> &'static str {
    match a {
        None => "apply would change nothing (the configuration allows this value)",
        Some(Action::Create) => "apply would create it again",
        Some(Action::Update) => "apply would update it in place to match the configuration",
        Some(Action::DeleteThenCreate) | Some(Action::CreateThenDelete) => {
            "apply would replace it to match the configuration"
        }
        Some(Action::Delete) => "apply would delete it (it is no longer in the configuration)",
        Some(Action::Read) | Some(Action::NoOp) => "apply would change nothing",
        Some(Action::Forget) => "apply would forget it (a removed block) and leave the object as it is",
    }
}

/// Human text.
pub fn render_text(r: &DriftReport, color: bool) -> String {
    let (bold, yellow, red) = (
        style::pick(style::BOLD, color),
        style::pick(style::CHANGE, color),
        style::pick(style::REMOVE, color),
    );
    if !r.drifted() {
        return format!(
            "No drift: every resource in environment {:?} matches what Plinth last applied.\n",
            r.env
        );
    }
    let mut s = String::new();
    if !r.resources.is_empty() {
        let _ = writeln!(
            s,
            "Drift detected in environment {:?}: {} resource(s) changed outside Plinth.",
            r.env,
            r.resources.len()
        );
    }
    for d in &r.resources {
        let _ = writeln!(s);
        match d.status {
            "deleted" => {
                let _ = writeln!(
                    s,
                    "  {red}# {bold}{}{bold:#}{red} was deleted outside Plinth{red:#}",
                    d.address
                );
            }
            _ => {
                let _ = writeln!(
                    s,
                    "  {yellow}# {bold}{}{bold:#}{yellow} was modified outside Plinth{yellow:#}",
                    d.address
                );
                let width = d.changes.iter().map(|(p, _, _)| p.to_string().len()).max().unwrap_or(0);
                for (p, rec, live) in &d.changes {
                    let _ = writeln!(
                        s,
                        "      ~ {:width$} = {} -> {}",
                        p.to_string(),
                        short(rec),
                        short(live)
                    );
                }
            }
        }
        let _ = writeln!(s, "    {}", action_text(d.planned));
    }
    if !r.resources.is_empty() {
        s.push_str("\nRun `plinth apply` to bring the infrastructure back to the configuration.\n");
    }
    let failed = r.failed_checks();
    if !failed.is_empty() {
        if !s.is_empty() {
            s.push('\n');
        }
        let _ = writeln!(
            s,
            "{bold}Checks failed{bold:#} in environment {:?}: {} check(s).",
            r.env,
            failed.len()
        );
        for c in failed {
            let _ = writeln!(s, "\n  {red}# {bold}{}{bold:#}{red} failed{red:#}", c.address());
            for p in &c.problems {
                let _ = writeln!(s, "    {p}");
            }
        }
    }
    s
}

fn short(v: &Value) -> String {
    let text = v.to_string();
    if text.len() > 120 {
        format!(
            "{}…",
            &text[..text.char_indices().nth(117).map_or(text.len(), |(i, _)| i)]
        )
    } else {
        text
    }
}

fn json_value(v: &Value) -> serde_json::Value {
    if v.contains_sensitive() {
        serde_json::Value::Null
    } else {
        v.to_json()
    }
}

/// The JSON report (schema documented in docs/drift.md; `format_version` changes on any
/// incompatible change).
pub fn render_json(r: &DriftReport) -> serde_json::Value {
    let mut out = json!({
        "format_version": "1.1",
        "environment": r.env,
        "drifted": r.drifted(),
        "resources": r.resources.iter().map(|d| json!({
            "address": d.address,
            "type": d.type_name,
            "status": d.status,
            "changes": d.changes.iter().map(|(p, rec, live)| json!({
                "path": p.to_string(),
                "recorded": json_value(rec),
                "live": json_value(live),
                "sensitive": rec.contains_sensitive() || live.contains_sensitive(),
            })).collect::<Vec<_>>(),
            "planned_actions": d.planned.map(|a| a.terraform_actions()).unwrap_or_else(|| vec!["no-op"]),
        })).collect::<Vec<_>>(),
    });
    // Only a configuration with check blocks has the key, so reports without checks keep their shape.
    if !r.checks.is_empty()
        && let serde_json::Value::Object(m) = &mut out
    {
        let checks = r
            .checks
            .iter()
            .map(|c| {
                json!({
                    "address": c.address(),
                    "status": c.status.as_str(),
                    "problems": c.problems,
                })
            })
            .collect();
        m.insert("checks".into(), serde_json::Value::Array(checks));
    }
    out
}

/// A markdown report, for an issue or a chat message.
pub fn render_markdown(r: &DriftReport) -> String {
    if !r.drifted() {
        return format!(
            "### No drift in `{}`\n\nEvery resource matches what Plinth last applied.\n",
            r.env
        );
    }
    let mut s = format!(
        "### :warning: Drift in `{}`: {} resource(s) changed outside Plinth\n\n",
        r.env,
        r.resources.len()
    );
    let failed = r.failed_checks();
    if !failed.is_empty() {
        s.push_str("#### Checks failed\n\n");
        for c in failed {
            let _ = writeln!(s, "- `{}`: {}", c.address(), c.problems.join("; "));
        }
        s.push('\n');
    }
    if !r.resources.is_empty() {
        s.push_str("| Address | Status | Attributes | Apply would |\n|---|---|---|---|\n");
    }
    for d in &r.resources {
        let attrs: Vec<String> = d.changes.iter().map(|(p, _, _)| format!("`{p}`")).collect();
        let _ = writeln!(
            s,
            "| `{}` | {} | {} | {} |",
            d.address,
            d.status,
            if attrs.is_empty() {
                "—".to_string()
            } else {
                attrs.join(", ")
            },
            d.planned
                .map(|a| a.terraform_actions().join(", "))
                .unwrap_or_else(|| "nothing".to_string())
        );
    }
    for d in r.resources.iter().filter(|d| !d.changes.is_empty()) {
        let _ = write!(
            s,
            "\n<details><summary><code>{}</code></summary>\n\n```diff\n",
            d.address
        );
        for (p, rec, live) in &d.changes {
            let _ = writeln!(s, "- {p} = {}\n+ {p} = {}", short(rec), short(live));
        }
        s.push_str("```\n\n</details>\n");
    }
    s
}
