//! Machine-readable plans and states in the shape of Terraform's JSON output format
//! (`terraform show -json`), so that policy tools written for Terraform (OPA/conftest, Sentinel
//! imports, infracost-style readers) read Plinth's output unchanged.
//!
//! [`plan_json`] follows the plan representation (`format_version` "1.2"): `variables`,
//! `planned_values`, `resource_changes` (every instance, no-ops included, as Terraform does),
//! `output_changes`, `prior_state`, `timestamp`, `applyable`, `complete`, `errored`.
//! [`state_json`] follows the state representation (`format_version` "1.0").
//! Differences from Terraform, all on the side of secrecy: a sensitive value is `null` in
//! `before`/`after`/`values` (Terraform prints it and relies on the `*_sensitive` masks), and a
//! sensitive variable's `value` is `null`. The `configuration` section is not produced: a plan
//! does not carry the configuration's expressions. `provider_name` is `plinth/<provider>`.

use std::collections::{BTreeMap, BTreeSet};

use plinth_sdk::{AttrPath, PathStep, Value};
use serde_json::{Map, Value as Json, json};

use super::file::persistable;
use super::{Action, OutputChange, Plan, ResourceChange};
use crate::addrs::{Key, ModInst, module_prefix};
use crate::state::{ResourceState, State};

/// The plan representation version this module writes.
pub const PLAN_FORMAT_VERSION: &str = "1.2";
/// The state representation version this module writes.
pub const STATE_FORMAT_VERSION: &str = "1.0";

const VERSION: &str = env!("CARGO_PKG_VERSION");

/// The JSON plan representation of `plan`; `prior` (the state the plan was made against) fills
/// `prior_state`.
pub fn plan_json(plan: &Plan, prior: Option<&State>) -> Json {
    let mut root = Map::new();
    root.insert("format_version".into(), json!(PLAN_FORMAT_VERSION));
    root.insert("terraform_version".into(), json!(VERSION));
    let variables: Map<String, Json> = plan
        .variables
        .iter()
        .map(|(name, v)| (name.clone(), json!({ "value": persistable(v).to_json() })))
        .collect();
    root.insert("variables".into(), Json::Object(variables));
    root.insert("planned_values".into(), planned_values(plan));
    root.insert(
        "resource_changes".into(),
        Json::Array(plan.changes.iter().map(resource_change).collect()),
    );
    let outputs: Map<String, Json> = plan
        .outputs
        .iter()
        .map(|o| (o.name.clone(), output_change(o)))
        .collect();
    root.insert("output_changes".into(), Json::Object(outputs));
    if let Some(state) = prior {
        root.insert("prior_state".into(), state_json(state));
    }
    root.insert("timestamp".into(), json!(plan.timestamp));
    if !plan.checks.is_empty() {
        root.insert("checks".into(), checks_json(&plan.checks));
    }
    root.insert("applyable".into(), json!(plan.has_changes()));
    root.insert("complete".into(), json!(plan.targets.is_empty()));
    root.insert("errored".into(), json!(false));
    Json::Object(root)
}

/// The JSON state representation of `state`.
pub fn state_json(state: &State) -> Json {
    let outputs: Map<String, Json> = state
        .outputs
        .iter()
        .map(|(name, o)| {
            let value = if o.sensitive { Json::Null } else { o.value.clone() };
            (
                name.clone(),
                json!({ "sensitive": o.sensitive, "value": value, "type": o.type_name }),
            )
        })
        .collect();
    let resources = state
        .resources
        .iter()
        .map(|(addr, rs)| state_resource(addr, rs))
        .collect();
    json!({
        "format_version": STATE_FORMAT_VERSION,
        "terraform_version": VERSION,
        "values": {
            "outputs": outputs,
            "root_module": module_tree(resources),
        },
    })
}

/// `plinth/<provider type>` for a provider configuration key (`aws.west` -> `plinth/aws`).
pub fn provider_name(provider_key: &str) -> String {
    format!("plinth/{}", crate::config::providers::name_of(provider_key))
}

/// Terraform's `action_reason` for a change, where Terraform has one.
pub fn action_reason(change: &ResourceChange) -> Option<&'static str> {
    let reason = change.reason.as_deref().unwrap_or("");
    let replace = change.action.is_replace();
    Some(match (change.action, reason) {
        (_, "tainted" | "replace_because_tainted") if replace => "replace_because_tainted",
        (_, "replace_by_request") if replace => "replace_by_request",
        (_, "replace_by_triggers") if replace => "replace_by_triggers",
        _ if replace => "replace_because_cannot_update",
        (Action::Delete, "no longer in the configuration" | "delete_because_no_resource_config") => {
            "delete_because_no_resource_config"
        }
        (Action::Delete, "delete_because_count_index") => "delete_because_count_index",
        (Action::Delete, "delete_because_each_key") => "delete_because_each_key",
        (Action::Delete, "delete_because_no_module") => "delete_because_no_module",
        (Action::Read, super::walk::CONFIG_UNKNOWN | "read_because_config_unknown") => "read_because_config_unknown",
        (Action::Read, super::walk::DEPENDENCY_PENDING | "read_because_dependency_pending") => {
            "read_because_dependency_pending"
        }
        _ => return None,
    })
}

fn resource_change(c: &ResourceChange) -> Json {
    let mut m = resource_head(&Ident::of_change(c), true);
    if let Some(previous) = &c.previous_address {
        m.insert("previous_address".into(), json!(previous));
    }
    let (before, after) = match c.action {
        Action::Create => (None, c.after.as_ref()),
        Action::Delete | Action::Forget => (c.before.as_ref(), None),
        _ => (c.before.as_ref(), c.planned()),
    };
    let mut change = change_json(c.action, before, after);
    if !c.requires_replace.is_empty()
        && let Json::Object(ch) = &mut change
    {
        ch.insert(
            "replace_paths".into(),
            Json::Array(c.requires_replace.iter().map(path_json).collect()),
        );
    }
    if let (Some(id), Json::Object(ch)) = (&c.importing, &mut change) {
        ch.insert("importing".into(), json!({ "id": id }));
    }
    m.insert("change".into(), change);
    if let Some(reason) = action_reason(c) {
        m.insert("action_reason".into(), json!(reason));
    }
    Json::Object(m)
}

/// The `checks` list of Terraform's JSON plan (its `jsonchecks`): one static result per `check`
/// block (`address.to_display` is the configuration address, `module.x.check.y`, with `module`
/// beside `kind` and `name` outside the root), holding one result per instance of the module it is
/// in (`module.x[0].check.y`). The block's status sums its instances' (any `fail`, else any
/// `unknown`, else `pass`). Blocks, instances and problems are sorted as Terraform sorts them.
pub fn checks_json(checks: &[crate::plan::checks::CheckResult]) -> Json {
    use crate::plan::checks::CheckStatus;
    // Grouped by configuration address in one pass (a BTreeMap also gives Terraform's order).
    let mut blocks: BTreeMap<
        String,
        (
            &crate::plan::checks::CheckResult,
            Vec<&crate::plan::checks::CheckResult>,
        ),
    > = BTreeMap::new();
    for c in checks {
        blocks
            .entry(c.config_address())
            .or_insert_with(|| (c, Vec::new()))
            .1
            .push(c);
    }
    Json::Array(
        blocks
            .into_iter()
            .map(|(display, (first, instances))| {
                let status = if instances.iter().any(|c| c.status == CheckStatus::Fail) {
                    CheckStatus::Fail
                } else if instances.iter().any(|c| c.status == CheckStatus::Unknown) {
                    CheckStatus::Unknown
                } else {
                    CheckStatus::Pass
                };
                let mut instances: Vec<(String, Json)> = instances
                    .into_iter()
                    .map(|c| {
                        let display = c.address();
                        let mut address = Map::new();
                        if !c.module.is_empty() {
                            address.insert("module".into(), json!(c.module));
                        }
                        address.insert("to_display".into(), json!(display));
                        let mut instance = Map::new();
                        instance.insert("address".into(), Json::Object(address));
                        instance.insert("status".into(), json!(c.status.as_str()));
                        if !c.problems.is_empty() {
                            let mut problems: Vec<&String> = c.problems.iter().collect();
                            problems.sort();
                            let problems = problems.into_iter().map(|p| json!({ "message": p })).collect();
                            instance.insert("problems".into(), Json::Array(problems));
                        }
                        (display, Json::Object(instance))
                    })
                    .collect();
                instances.sort_by(|a, b| a.0.cmp(&b.0));
                let mut address = Map::new();
                address.insert("kind".into(), json!("check"));
                if !first.config_module.is_empty() {
                    address.insert("module".into(), json!(first.config_module));
                }
                address.insert("name".into(), json!(first.name));
                address.insert("to_display".into(), json!(display));
                json!({
                    "address": address,
                    "status": status.as_str(),
                    "instances": instances.into_iter().map(|(_, j)| j).collect::<Vec<_>>(),
                })
            })
            .collect(),
    )
}

fn output_change(o: &OutputChange) -> Json {
    let mark = |v: &Option<Value>| v.clone().map(|v| v.mark_if(o.sensitive));
    let (before, after) = (mark(&o.before), mark(&o.after));
    let (before, after) = match o.action {
        Action::Create => (None, after),
        Action::Delete => (before, None),
        _ => (before, after),
    };
    change_json(o.action, before.as_ref(), after.as_ref())
}

/// Terraform's change representation.
fn change_json(action: Action, before: Option<&Value>, after: Option<&Value>) -> Json {
    let before = before.map(persistable);
    let after = after.map(persistable);
    json!({
        "actions": action.terraform_actions(),
        "before": before.as_ref().map_or(Json::Null, known_json),
        "after": after.as_ref().map_or(Json::Null, known_json),
        "after_unknown": mask(after.as_ref(), Value::unknown_mask),
        "before_sensitive": mask(before.as_ref(), Value::sensitive_mask),
        "after_sensitive": mask(after.as_ref(), Value::sensitive_mask),
    })
}

/// A mark mask the way Terraform writes it: `false` for an absent value, and `{}` rather than
/// `false` for an object with nothing marked inside.
fn mask(v: Option<&Value>, f: fn(&Value) -> Json) -> Json {
    match v {
        None => Json::Bool(false),
        Some(v) => match (f(v), v) {
            (Json::Bool(false), Value::Map(_)) => Json::Object(Map::new()),
            (m, _) => m,
        },
    }
}

/// JSON of a persistable value with unknown object members omitted and unknown list elements
/// `null`, as in Terraform's `after`.
fn known_json(v: &Value) -> Json {
    match v {
        Value::Map(m) => Json::Object(
            m.iter()
                .filter(|(_, v)| !v.is_unknown())
                .map(|(k, v)| (k.clone(), known_json(v)))
                .collect(),
        ),
        Value::List(items) => Json::Array(items.iter().map(known_json).collect()),
        Value::Sensitive(_) | Value::Unknown => Json::Null,
        v => v.to_json(),
    }
}

/// A path as Terraform writes `replace_paths` entries: attribute names and keys as strings,
/// indexes as numbers.
fn path_json(p: &AttrPath) -> Json {
    Json::Array(
        p.0.iter()
            .map(|s| match s {
                PathStep::Attr(a) | PathStep::Key(a) => json!(a),
                PathStep::Index(i) => json!(i),
            })
            .collect(),
    )
}

/// `module.a[0].module.b` (empty for the root).
fn module_address(module: &ModInst) -> String {
    module_prefix(module).trim_end_matches('.').to_string()
}

/// The identifying members shared by resource changes and state resources (in a values
/// representation a resource's module is given by the `child_modules` entry it sits in instead).
/// What identifies a resource instance in the JSON.
struct Ident<'a> {
    address: &'a str,
    module: &'a ModInst,
    mode: &'a str,
    type_name: &'a str,
    name: &'a str,
    key: &'a Key,
    provider: &'a str,
}

impl<'a> Ident<'a> {
    fn of_change(c: &'a ResourceChange) -> Self {
        Ident {
            address: &c.address,
            module: &c.module,
            mode: c.mode.as_str(),
            type_name: &c.type_name,
            name: &c.name,
            key: &c.key,
            provider: &c.provider,
        }
    }
}

fn resource_head(id: &Ident<'_>, with_module_address: bool) -> Map<String, Json> {
    let mut m = Map::new();
    m.insert("address".into(), json!(id.address));
    if with_module_address && !id.module.is_empty() {
        m.insert("module_address".into(), json!(module_address(id.module)));
    }
    m.insert("mode".into(), json!(id.mode));
    m.insert("type".into(), json!(id.type_name));
    m.insert("name".into(), json!(id.name));
    if *id.key != Key::None {
        m.insert("index".into(), id.key.to_json());
    }
    m.insert("provider_name".into(), json!(provider_name(id.provider)));
    m
}

/// A resource of a values representation (`planned_values`, `prior_state`, state).
struct ValuesResource {
    module: ModInst,
    sort: (String, String, String, Key),
    json: Json,
}

fn values_resource(head: Map<String, Json>, values: Json, sensitive: Json, deps: &[String]) -> Map<String, Json> {
    let mut m = head;
    m.insert("schema_version".into(), json!(0));
    m.insert("values".into(), values);
    m.insert("sensitive_values".into(), sensitive);
    if !deps.is_empty() {
        m.insert("depends_on".into(), json!(deps));
    }
    m
}

fn state_resource(address: &str, rs: &ResourceState) -> ValuesResource {
    let (module, type_name, name, key) = super::walk::state_key_parts(address, rs);
    let head = resource_head(
        &Ident {
            address,
            module: &module,
            mode: &rs.mode,
            type_name: &type_name,
            name: &name,
            key: &key,
            provider: &rs.provider,
        },
        false,
    );
    // State keeps a sensitive attribute as `null` plus its path: put the mark back on the null.
    let marked = rs
        .sensitive
        .keys()
        .filter_map(|p| AttrPath::parse(p))
        .fold(Value::from_json(&rs.attributes), |v, p| {
            v.with_at(&p, Value::Sensitive(Box::new(Value::Null)))
        });
    let sensitive = mask(Some(&marked), Value::sensitive_mask);
    let mut values = values_resource(head, persistable(&marked).to_json(), sensitive, &rs.dependencies);
    if rs.tainted {
        // Terraform's state representation says `"tainted": true` only when it is.
        values.insert("tainted".into(), json!(true));
    }
    let json = Json::Object(values);
    ValuesResource {
        sort: (rs.mode.clone(), type_name, name, key),
        module,
        json,
    }
}

/// `planned_values`: the state as it will be after apply, as far as it is known.
fn planned_values(plan: &Plan) -> Json {
    let resources = plan
        .changes
        .iter()
        .filter(|c| c.action != Action::Delete)
        .filter_map(|c| {
            let after = persistable(c.planned()?);
            let head = resource_head(&Ident::of_change(c), false);
            let sensitive = mask(Some(&after), Value::sensitive_mask);
            let json = Json::Object(values_resource(head, known_json(&after), sensitive, &[]));
            Some(ValuesResource {
                module: c.module.clone(),
                sort: (
                    c.mode.as_str().to_string(),
                    c.type_name.clone(),
                    c.name.clone(),
                    c.key.clone(),
                ),
                json,
            })
        })
        .collect();
    let outputs: Map<String, Json> = plan
        .outputs
        .iter()
        .filter(|o| o.action != Action::Delete)
        .filter_map(|o| {
            let after = persistable(&o.after.clone()?.mark_if(o.sensitive));
            let mut m = Map::new();
            m.insert("sensitive".into(), json!(after.contains_sensitive()));
            if !after.is_unknown() {
                m.insert("value".into(), known_json(&after));
            }
            Some((o.name.clone(), Json::Object(m)))
        })
        .collect();
    json!({ "outputs": outputs, "root_module": module_tree(resources) })
}

/// Nests resources into `root_module` / `child_modules` by module instance.
fn module_tree(mut resources: Vec<ValuesResource>) -> Json {
    resources.sort_by(|a, b| (&a.module, &a.sort).cmp(&(&b.module, &b.sort)));
    let mut by_module: BTreeMap<ModInst, Vec<Json>> = BTreeMap::new();
    let mut children: BTreeMap<ModInst, BTreeSet<ModInst>> = BTreeMap::new();
    for r in resources {
        for depth in 1..=r.module.len() {
            children
                .entry(r.module[..depth - 1].to_vec())
                .or_default()
                .insert(r.module[..depth].to_vec());
        }
        by_module.entry(r.module).or_default().push(r.json);
    }
    fn build(
        mi: &ModInst,
        by_module: &mut BTreeMap<ModInst, Vec<Json>>,
        children: &BTreeMap<ModInst, BTreeSet<ModInst>>,
    ) -> Map<String, Json> {
        let mut m = Map::new();
        if !mi.is_empty() {
            m.insert("address".into(), json!(module_address(mi)));
        }
        m.insert(
            "resources".into(),
            Json::Array(by_module.remove(mi).unwrap_or_default()),
        );
        if let Some(kids) = children.get(mi) {
            let kids = kids
                .iter()
                .map(|k| Json::Object(build(k, by_module, children)))
                .collect();
            m.insert("child_modules".into(), Json::Array(kids));
        }
        m
    }
    Json::Object(build(&Vec::new(), &mut by_module, &children))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::Mode;
    use crate::state::OutputState;
    use expect_test::expect;

    fn change(address: &str, name: &str, key: Key, action: Action) -> ResourceChange {
        crate::plan::render::tests::rc(address, "local_file", name, key, action)
    }

    fn sample() -> Plan {
        let mut create = change("module.m[\"a\"].local_file.f[0]", "f", Key::Int(0), Action::Create);
        create.module = vec![("m".to_string(), Key::Str("a".to_string()))];
        create.after = Some(Value::object([
            ("id", Value::Unknown),
            ("path", Value::string("p")),
            ("password", Value::string("hunter2").mark()),
        ]));
        let mut replace = change("local_file.r", "r", Key::None, Action::CreateThenDelete);
        replace.provider = "aws.west".to_string();
        replace.before = Some(Value::object([
            ("id", Value::string("1")),
            ("path", Value::string("a")),
        ]));
        replace.after = Some(Value::object([("id", Value::Unknown), ("path", Value::string("b"))]));
        replace.requires_replace = vec![AttrPath::attr("path")];
        replace.reason = Some("cannot update in place".to_string());
        let mut delete = change("local_file.old", "old", Key::Str("k".to_string()), Action::Delete);
        delete.before = Some(Value::object([("path", Value::string("x"))]));
        delete.reason = Some("no longer in the configuration".to_string());
        let mut read = change("data.local_file.d", "d", Key::None, Action::Read);
        read.mode = Mode::Data;
        read.after = Some(Value::object([
            ("content", Value::Unknown),
            ("tags", Value::List(vec![Value::Unknown])),
        ]));
        read.reason = Some("configuration known only after apply".to_string());
        Plan {
            env: "default".to_string(),
            lineage: "l".to_string(),
            serial: 3,
            config_hash: "h".to_string(),
            variables: plinth_sdk::Map::from([
                ("gpus".to_string(), Value::int(2)),
                ("token".to_string(), Value::string("hunter2").mark()),
            ]),
            changes: vec![create, replace, delete, read],
            outputs: vec![
                OutputChange {
                    name: "url".to_string(),
                    action: Action::Create,
                    before: None,
                    after: Some(Value::Unknown),
                    sensitive: false,
                },
                OutputChange {
                    name: "secret".to_string(),
                    action: Action::Update,
                    before: Some(Value::string("old")),
                    after: Some(Value::string("hunter2")),
                    sensitive: true,
                },
            ],
            destroy: false,
            targets: Vec::new(),
            timestamp: "2025-06-01T12:00:00Z".to_string(),
            checks: Vec::new(),
        }
    }

    fn sample_state() -> State {
        let mut state = State::new();
        state.lineage = "l".to_string();
        state.resources.insert(
            "local_file.r".to_string(),
            ResourceState {
                mode: "managed".to_string(),
                type_name: "local_file".to_string(),
                provider: "aws.west".to_string(),
                attributes: json!({ "id": "1", "path": "a", "password": null }),
                sensitive: BTreeMap::from([("password".to_string(), "hash".to_string())]),
                dependencies: vec!["local_value.v".to_string()],
                create_before_destroy: false,
                tainted: false,
            },
        );
        state.resources.insert(
            "module.m[\"a\"].module.n[1].local_file.f".to_string(),
            ResourceState {
                mode: "managed".to_string(),
                type_name: "local_file".to_string(),
                provider: "local".to_string(),
                attributes: json!({ "path": "x" }),
                sensitive: BTreeMap::new(),
                dependencies: Vec::new(),
                create_before_destroy: false,
                tainted: false,
            },
        );
        state.outputs.insert(
            "url".to_string(),
            OutputState {
                value: json!("http://x"),
                type_name: "string".to_string(),
                sensitive: false,
            },
        );
        state
    }

    #[test]
    fn plan_json_has_terraform_shape() {
        let state = sample_state();
        assert_eq!(plan_json(&sample(), Some(&state))["prior_state"], state_json(&state));
        let j = plan_json(&sample(), None);
        let text = serde_json::to_string_pretty(&j).expect("json");
        assert!(!text.contains("hunter2"));
        expect![[r#"
            {
              "format_version": "1.2",
              "terraform_version": "0.1.0",
              "variables": {
                "gpus": {
                  "value": 2
                },
                "token": {
                  "value": null
                }
              },
              "planned_values": {
                "outputs": {
                  "url": {
                    "sensitive": false
                  },
                  "secret": {
                    "sensitive": true,
                    "value": null
                  }
                },
                "root_module": {
                  "resources": [
                    {
                      "address": "data.local_file.d",
                      "mode": "data",
                      "type": "local_file",
                      "name": "d",
                      "provider_name": "plinth/local",
                      "schema_version": 0,
                      "values": {
                        "tags": [
                          null
                        ]
                      },
                      "sensitive_values": {}
                    },
                    {
                      "address": "local_file.r",
                      "mode": "managed",
                      "type": "local_file",
                      "name": "r",
                      "provider_name": "plinth/aws",
                      "schema_version": 0,
                      "values": {
                        "path": "b"
                      },
                      "sensitive_values": {}
                    }
                  ],
                  "child_modules": [
                    {
                      "address": "module.m[\"a\"]",
                      "resources": [
                        {
                          "address": "module.m[\"a\"].local_file.f[0]",
                          "mode": "managed",
                          "type": "local_file",
                          "name": "f",
                          "index": 0,
                          "provider_name": "plinth/local",
                          "schema_version": 0,
                          "values": {
                            "password": null,
                            "path": "p"
                          },
                          "sensitive_values": {
                            "password": true
                          }
                        }
                      ]
                    }
                  ]
                }
              },
              "resource_changes": [
                {
                  "address": "module.m[\"a\"].local_file.f[0]",
                  "module_address": "module.m[\"a\"]",
                  "mode": "managed",
                  "type": "local_file",
                  "name": "f",
                  "index": 0,
                  "provider_name": "plinth/local",
                  "change": {
                    "actions": [
                      "create"
                    ],
                    "before": null,
                    "after": {
                      "password": null,
                      "path": "p"
                    },
                    "after_unknown": {
                      "id": true
                    },
                    "before_sensitive": false,
                    "after_sensitive": {
                      "password": true
                    }
                  }
                },
                {
                  "address": "local_file.r",
                  "mode": "managed",
                  "type": "local_file",
                  "name": "r",
                  "provider_name": "plinth/aws",
                  "change": {
                    "actions": [
                      "create",
                      "delete"
                    ],
                    "before": {
                      "id": "1",
                      "path": "a"
                    },
                    "after": {
                      "path": "b"
                    },
                    "after_unknown": {
                      "id": true
                    },
                    "before_sensitive": {},
                    "after_sensitive": {},
                    "replace_paths": [
                      [
                        "path"
                      ]
                    ]
                  },
                  "action_reason": "replace_because_cannot_update"
                },
                {
                  "address": "local_file.old",
                  "mode": "managed",
                  "type": "local_file",
                  "name": "old",
                  "index": "k",
                  "provider_name": "plinth/local",
                  "change": {
                    "actions": [
                      "delete"
                    ],
                    "before": {
                      "path": "x"
                    },
                    "after": null,
                    "after_unknown": false,
                    "before_sensitive": {},
                    "after_sensitive": false
                  },
                  "action_reason": "delete_because_no_resource_config"
                },
                {
                  "address": "data.local_file.d",
                  "mode": "data",
                  "type": "local_file",
                  "name": "d",
                  "provider_name": "plinth/local",
                  "change": {
                    "actions": [
                      "read"
                    ],
                    "before": null,
                    "after": {
                      "tags": [
                        null
                      ]
                    },
                    "after_unknown": {
                      "content": true,
                      "tags": [
                        true
                      ]
                    },
                    "before_sensitive": false,
                    "after_sensitive": {}
                  },
                  "action_reason": "read_because_config_unknown"
                }
              ],
              "output_changes": {
                "url": {
                  "actions": [
                    "create"
                  ],
                  "before": null,
                  "after": null,
                  "after_unknown": true,
                  "before_sensitive": false,
                  "after_sensitive": false
                },
                "secret": {
                  "actions": [
                    "update"
                  ],
                  "before": null,
                  "after": null,
                  "after_unknown": false,
                  "before_sensitive": true,
                  "after_sensitive": true
                }
              },
              "timestamp": "2025-06-01T12:00:00Z",
              "applyable": true,
              "complete": true,
              "errored": false
            }"#]]
        .assert_eq(&text);
    }

    #[test]
    fn state_json_nests_child_modules() {
        let text = serde_json::to_string_pretty(&state_json(&sample_state())).expect("json");
        expect![[r#"
            {
              "format_version": "1.0",
              "terraform_version": "0.1.0",
              "values": {
                "outputs": {
                  "url": {
                    "sensitive": false,
                    "value": "http://x",
                    "type": "string"
                  }
                },
                "root_module": {
                  "resources": [
                    {
                      "address": "local_file.r",
                      "mode": "managed",
                      "type": "local_file",
                      "name": "r",
                      "provider_name": "plinth/aws",
                      "schema_version": 0,
                      "values": {
                        "id": "1",
                        "password": null,
                        "path": "a"
                      },
                      "sensitive_values": {
                        "password": true
                      },
                      "depends_on": [
                        "local_value.v"
                      ]
                    }
                  ],
                  "child_modules": [
                    {
                      "address": "module.m[\"a\"]",
                      "resources": [],
                      "child_modules": [
                        {
                          "address": "module.m[\"a\"].module.n[1]",
                          "resources": [
                            {
                              "address": "module.m[\"a\"].module.n[1].local_file.f",
                              "mode": "managed",
                              "type": "local_file",
                              "name": "f",
                              "provider_name": "plinth/local",
                              "schema_version": 0,
                              "values": {
                                "path": "x"
                              },
                              "sensitive_values": {}
                            }
                          ]
                        }
                      ]
                    }
                  ]
                }
              }
            }"#]]
        .assert_eq(&text);
    }
}
