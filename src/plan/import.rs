//! Resolving `import` blocks for a plan: which instance adopts which object.
//!
//! [`resolve`] evaluates each root `import` block (its `for_each`, then `to` and `id` once per
//! element, with `each.key`/`each.value`) into an [`ImportTarget`] per instance address. The
//! walk ([`super::walk`]) reads each target's object through the provider's import when it
//! plans that instance, so the import and any update on top of it are one planned change. Only
//! input variables and literals are visible here: import targets must be known before the walk.

use std::collections::HashMap;

use hcl::edit::expr::{Expression, TraversalOperator};
use plinth_sdk::Map;
use plinth_sdk::Value;

use crate::addrs::{Key, ResourceInstance};
use crate::config::Config;
use crate::config::import::ImportBlock;
use crate::diag::{Diagnostic, Diagnostics, Span};
use crate::graph::scope::{InstanceScope, ModuleValues};
use crate::lang::EvalContext;
use crate::lang::eval::eval;

/// One instance to import: the object's id and the block that asked for it.
#[derive(Clone, Debug, PartialEq)]
pub struct ImportTarget {
    pub id: String,
    pub span: Option<Span>,
}

/// The import targets of the configuration by instance address, without those already in
/// `in_state` (Terraform ignores an import into an address state already has).
pub fn resolve(
    config: &Config,
    root_vars: &Map,
    env_name: &str,
    secrets: &dyn crate::lang::SecretResolver,
    root_dir: &std::path::Path,
    in_state: &dyn Fn(&str) -> bool,
) -> (HashMap<String, ImportTarget>, Diagnostics) {
    let mut out = HashMap::new();
    let mut diags = Diagnostics::default();
    let values = ModuleValues {
        vars: root_vars.clone(),
        ..ModuleValues::default()
    };
    for block in &config.root.imports {
        let eachs = match for_each(block, &values, env_name, secrets, root_dir) {
            Ok(e) => e,
            Err(ds) => {
                ds.into_iter().for_each(|d| diags.push(d));
                continue;
            }
        };
        for each in eachs {
            let scope = InstanceScope::root(&values, each, root_dir, env_name, true);
            let ctx = |file| EvalContext {
                file,
                scope: &scope,
                secrets,
                base_dir: root_dir,
            };
            let address = match address(&block.to.expr, &ctx(block.to.file)) {
                Ok(a) => a,
                Err(d) => {
                    diags.push(d.with_span(block.to.span().or(block.span.clone())));
                    continue;
                }
            };
            let id = match eval(&block.id.expr, &ctx(block.id.file)) {
                Ok(Value::String(s)) => s,
                Ok(v) if v.contains_unknown() => {
                    diags.push(
                        Diagnostic::error("Invalid import id argument")
                            .with_detail("the import id must be known at plan time")
                            .with_span(block.id.span()),
                    );
                    continue;
                }
                Ok(v) => {
                    diags.push(
                        Diagnostic::error("Invalid import id argument")
                            .with_detail(format!("the import id must be a string, got {}", v.type_name()))
                            .with_span(block.id.span()),
                    );
                    continue;
                }
                Err(ds) => {
                    ds.into_iter().for_each(|d| diags.push(d));
                    continue;
                }
            };
            if in_state(&address) {
                continue;
            }
            if let Some(prev) = out.get(&address).map(|t: &ImportTarget| t.id.clone())
                && prev != id
            {
                diags.push(
                    Diagnostic::error(format!("Duplicate import configuration for {address}"))
                        .with_detail(format!("{address} is imported twice, from ids {prev:?} and {id:?}"))
                        .with_span(block.span.clone()),
                );
                continue;
            }
            out.insert(
                address,
                ImportTarget {
                    id,
                    span: block.span.clone(),
                },
            );
        }
    }
    (out, diags)
}

type Each = Option<(String, Value)>;

/// The `each` of every element of the block's `for_each` (one `None` without it).
fn for_each(
    block: &ImportBlock,
    values: &ModuleValues,
    env_name: &str,
    secrets: &dyn crate::lang::SecretResolver,
    root_dir: &std::path::Path,
) -> Result<Vec<Each>, Vec<Diagnostic>> {
    let Some(e) = &block.for_each else {
        return Ok(vec![None]);
    };
    let scope = InstanceScope::root(values, None, root_dir, env_name, true);
    let ctx = EvalContext {
        file: e.file,
        scope: &scope,
        secrets,
        base_dir: root_dir,
    };
    let bad = |detail: String| {
        vec![
            Diagnostic::error("Invalid for_each argument")
                .with_detail(detail)
                .with_span(e.span()),
        ]
    };
    match eval(&e.expr, &ctx)? {
        v if v.contains_unknown() => Err(bad("the for_each of an import block must be known at plan time".into())),
        Value::Map(items) => Ok(items.into_iter().map(|(k, v)| Some((k, v))).collect()),
        Value::List(items) => items
            .into_iter()
            .map(|item| match item {
                Value::String(s) => Ok(Some((s.clone(), Value::String(s)))),
                _ => Err(bad(
                    "for_each takes a map, or a set of strings; this list holds a non-string".into(),
                )),
            })
            .collect(),
        other => Err(bad(format!(
            "for_each takes a map or a set of strings, got {}",
            other.type_name()
        ))),
    }
}

/// The instance address `to` names: a traversal such as `module.m.local_file.a[each.key]`, whose
/// index expressions are evaluated.
fn address(expr: &Expression, ctx: &EvalContext) -> Result<String, Diagnostic> {
    let invalid = |detail: &str| Diagnostic::error("Invalid import address").with_detail(detail.to_string());
    let Expression::Traversal(t) = expr else {
        return Err(invalid(
            "write to = TYPE.NAME, optionally with an instance key: TYPE.NAME[KEY]",
        ));
    };
    let Expression::Variable(root) = &t.expr else {
        return Err(invalid("write to = TYPE.NAME"));
    };
    let mut text = root.as_str().to_string();
    for op in &t.operators {
        match op.value() {
            TraversalOperator::GetAttr(a) => {
                text.push('.');
                text.push_str(a.as_str());
            }
            TraversalOperator::LegacyIndex(n) => text.push_str(&format!("[{}]", n.value())),
            TraversalOperator::Index(e) => {
                let v = eval(e, ctx).map_err(|ds| {
                    ds.into_iter()
                        .next()
                        .unwrap_or_else(|| invalid("the instance key could not be evaluated"))
                })?;
                let index = v.as_u64().and_then(|n| usize::try_from(n).ok());
                let key = match (v, index) {
                    (Value::String(s), _) => Key::Str(s),
                    (_, Some(i)) => Key::Int(i),
                    _ => {
                        return Err(invalid(
                            "an instance key is a whole number or a string known at plan time",
                        ));
                    }
                };
                text.push_str(&key.to_string());
            }
            _ => return Err(invalid("splat expressions cannot name an import address")),
        }
    }
    let inst = ResourceInstance::parse(&text)
        .map_err(|e| invalid(&format!("{text:?} is not a resource instance address: {e}")))?;
    if inst.resource.mode != crate::config::Mode::Managed {
        return Err(invalid("only managed resources can be imported, not data sources"));
    }
    Ok(inst.to_string())
}

#[cfg(test)]
mod tests {
    //! Conformance with Terraform's documented import output: `# ADDR will be imported`, the
    //! `(imported from "ID")` note on an update, `N to import` in the summary, and
    //! `change.importing.id` in the JSON plan.

    use plinth_sdk::Value;

    use crate::addrs::Key;
    use crate::config::Mode;
    use crate::plan::json::plan_json;
    use crate::plan::render::render_plan;
    use crate::plan::{Action, Plan, ResourceChange};

    fn imported(name: &str, action: Action, before: &str, after: &str) -> ResourceChange {
        let obj = |content: &str| {
            Value::object([
                ("path", Value::string(format!("{name}.txt"))),
                ("content", Value::string(content)),
            ])
        };
        ResourceChange {
            address: format!("local_file.{name}"),
            module: Vec::new(),
            mode: Mode::Managed,
            type_name: "local_file".into(),
            name: name.into(),
            key: Key::None,
            provider: "local".into(),
            action,
            before: Some(obj(before)),
            after: Some(obj(after)),
            config: None,
            requires_replace: Vec::new(),
            reason: None,
            dependencies: Vec::new(),
            create_before_destroy: false,
            drifted: false,
            importing: Some(format!("{name}.txt")),
            previous_address: None,
        }
    }

    fn plan(changes: Vec<ResourceChange>) -> Plan {
        Plan {
            env: "default".into(),
            lineage: "l".into(),
            serial: 1,
            config_hash: "h".into(),
            variables: plinth_sdk::Map::new(),
            changes,
            outputs: Vec::new(),
            destroy: false,
            targets: Vec::new(),
            timestamp: "2025-01-01T00:00:00Z".into(),
            checks: Vec::new(),
        }
    }

    #[test]
    fn an_import_renders_as_terraform_shows_it() {
        let p = plan(vec![
            imported("a", Action::NoOp, "same", "same"),
            imported("b", Action::Update, "by hand", "managed"),
        ]);
        assert!(p.has_changes(), "an import alone is a change to apply");
        expect_test::expect![[r#"
            Plinth will perform the following actions:

              # local_file.a will be imported
                resource "local_file" "a" {
                    path = "a.txt"
                    # (1 unchanged attribute hidden)
                }

              # local_file.b will be updated in place
              # (imported from "b.txt")
              ~ resource "local_file" "b" {
                  ~ content = "by hand" -> "managed"
                    path    = "b.txt"
                }

            Plan: 2 to import, 0 to add, 1 to change, 0 to destroy.
        "#]]
        .assert_eq(&render_plan(&p, false));
        let json = plan_json(&p, None);
        assert_eq!(
            json["resource_changes"][0]["change"]["importing"],
            serde_json::json!({ "id": "a.txt" })
        );
        assert_eq!(
            json["resource_changes"][1]["change"]["actions"],
            serde_json::json!(["update"])
        );
    }
}
