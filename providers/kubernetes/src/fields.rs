//! Declarative mapping between Plinth values (Terraform's kubernetes-provider shapes, snake_case,
//! nested blocks as lists) and Kubernetes JSON objects (camelCase).
//!
//! Each resource kind lists its [`Field`]s once; [`to_json`] builds the body sent by server-side
//! apply, [`from_json`] turns what the API server returns back into a state value, [`schema_of`]
//! derives the attribute schema of the newer kinds from the same table, and [`plan_computed`]
//! fills the computed attributes of a plan.
//!
//! **The one reading rule.** The API server fills in many fields nobody wrote (a Deployment's
//! `strategy`, a container's `imagePullPolicy`, a port's `protocol "TCP"`), and other parties
//! write fields too (a label a controller adds). An attribute is therefore read from the live
//! object only when
//!
//! - the prior value (the previous state, or the planned value right after an apply) set it, or
//! - this provider's field manager owns it (per `metadata.managedFields`, see [`Owned`]), or
//! - the object is being adopted (import: there is no prior to say what is ours), or
//! - it is computed (`uid`, a Service's `cluster_ip`): those are always read.
//!
//! Otherwise it reads as absent (null, or the empty block list the configuration has), so a
//! server default is never drift. Maps that several parties write (labels, annotations, a
//! ConfigMap's `data`, resource limits) apply the same rule key by key, and keyed lists
//! (containers, env, ports) item by item. A value the configuration
//! set that someone changed by hand (`kubectl scale`) is read, so it is drift, and the next
//! apply (with `force`) takes it back.
//!
//! Values the server rewrites compare in its canonical form: quantities through [`quantity`]
//! (when the live amount equals the prior's, the prior's text is kept) and int-or-string fields
//! (`target_port`, `max_surge`) as the text the configuration wrote.

use std::collections::BTreeMap;

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD as B64;
use plinth_sdk::{Attribute, BlockSchema, Nesting, ProviderError, Schema, Type, Value};
use serde_json::{Map, Value as Json};

use crate::quantity;

/// How one attribute maps to JSON.
#[derive(Clone, Copy, Debug)]
pub enum F {
    Str,
    Bool,
    /// A number (an integer on the wire).
    Num,
    /// An int-or-string field (`target_port = "8080"` or `"http"`): a string in Plinth, a JSON
    /// integer when the text is one.
    IntOrStr,
    /// A quantity (`"500m"`, `"1Gi"`) compared by amount.
    Qty,
    StrList,
    /// A map of strings whose keys are filtered by ownership on read (see the module docs).
    StrMap,
    /// Like [`F::StrMap`], with values base64-encoded on the wire (a Secret's `data`).
    B64Map,
    /// Like [`F::StrMap`], with quantity values compared by amount (resource limits).
    QtyMap,
    /// A block with at most one item (a list of one object in Plinth) ↔ a JSON object.
    Block(&'static [Field]),
    /// A repeated block ↔ a JSON array of objects.
    Blocks(&'static [Field]),
}

/// One attribute: its name in Plinth, its key in the Kubernetes object, how it is sent and read,
/// and (for the kinds whose schema is derived with [`schema_of`]) its documentation.
#[derive(Clone, Copy, Debug)]
pub struct Field {
    pub attr: &'static str,
    pub json: &'static str,
    pub f: F,
    /// `false` for what only the server sets (`uid`, `resourceVersion`).
    pub send: bool,
    /// Computed: always read from the live object, planned from the prior when left out.
    pub always: bool,
    /// Must be set (a required attribute, or a block with at least one item).
    pub required: bool,
    pub doc: &'static str,
}

pub const fn field(attr: &'static str, json: &'static str, f: F) -> Field {
    Field {
        attr,
        json,
        f,
        send: true,
        always: false,
        required: false,
        doc: "",
    }
}

pub const fn computed(attr: &'static str, json: &'static str, f: F) -> Field {
    Field {
        send: false,
        always: true,
        ..field(attr, json, f)
    }
}

impl Field {
    /// The attribute's description (also the block's, for a block).
    pub const fn doc(self, doc: &'static str) -> Field {
        Field { doc, ..self }
    }
    pub const fn required(self) -> Field {
        Field { required: true, ..self }
    }
    /// Optional and computed: sent when set, otherwise the server's value is read and kept.
    pub const fn optional_computed(self) -> Field {
        Field { always: true, ..self }
    }
}

/// The JSON object for `value` (an object with the fields' attributes). Nulls, unknowns and
/// absent blocks are left out.
pub fn to_json(value: &Value, fields: &[Field]) -> Result<Map<String, Json>, ProviderError> {
    let mut out = Map::new();
    for fd in fields.iter().filter(|f| f.send) {
        let v = value.get(fd.attr).strip_sensitive();
        if v.is_null() || v.is_unknown() {
            continue;
        }
        let j = match fd.f {
            F::Str | F::Bool | F::StrList | F::StrMap | F::Qty | F::QtyMap => plain(v),
            F::Num => match v.as_number() {
                Some(n) => n.to_json(),
                None => plain(v),
            },
            F::IntOrStr => int_or_string(v),
            F::B64Map => Json::Object(
                strings(v)
                    .into_iter()
                    .map(|(k, s)| (k, Json::String(B64.encode(s.as_bytes()))))
                    .collect(),
            ),
            F::Block(inner) => match first(v) {
                Some(item) => Json::Object(to_json(item, inner)?),
                None => continue,
            },
            F::Blocks(inner) => match v.as_list() {
                // An absent repeated block is an empty list in the configuration: not sent, so
                // the server's default (or nothing) stands.
                Some(l) if l.is_empty() => continue,
                Some(l) => Json::Array(
                    l.iter()
                        .map(|i| to_json(i, inner).map(Json::Object))
                        .collect::<Result<_, _>>()?,
                ),
                None => continue,
            },
        };
        out.insert(fd.json.to_string(), j);
    }
    Ok(out)
}

/// An int-or-string value on the wire: a JSON integer when the text is one.
fn int_or_string(v: &Value) -> Json {
    match v {
        Value::Number(n) => n.to_json(),
        Value::String(s) => match s.parse::<i64>() {
            // Only text that is an integer's own spelling (`"8080"`, not `"08080"`), so that the
            // number read back prints as the same text.
            Ok(n) if n.to_string() == *s => Json::from(n),
            _ => Json::String(s.clone()),
        },
        other => plain(other),
    }
}

/// JSON of a value with its marks removed (secrets travel to the API server in clear).
fn plain(v: &Value) -> Json {
    v.strip_sensitive().to_json()
}

fn strings(v: &Value) -> BTreeMap<String, String> {
    v.strip_sensitive()
        .as_map()
        .map(|m| {
            m.iter()
                .filter_map(|(k, x)| Some((k.clone(), x.strip_sensitive().as_str()?.to_string())))
                .collect()
        })
        .unwrap_or_default()
}

fn first(v: &Value) -> Option<&Value> {
    match v.strip_sensitive() {
        Value::List(l) => l.first(),
        m @ Value::Map(_) => Some(m),
        _ => None,
    }
}

/// The part of a field manager's `fieldsV1` tree under one object (`None`: no ownership known).
#[derive(Clone, Copy, Debug)]
pub struct Owned<'a>(pub Option<&'a Json>);

impl<'a> Owned<'a> {
    pub fn child(self, key: &str) -> Owned<'a> {
        Owned(self.0.and_then(|t| t.get(format!("f:{key}"))))
    }
    fn has(self, key: &str) -> bool {
        self.child(key).0.is_some()
    }
    /// Whether this is the tree of a keyed list (`k:{...}` entries) rather than an atomic one.
    fn is_keyed(self) -> bool {
        match self.0 {
            Some(Json::Object(tree)) => tree.keys().any(|k| k.starts_with("k:")),
            _ => false,
        }
    }
    /// The tree of one item of a keyed list (`k:{"name":"app"}`): the key whose fields all equal
    /// the item's. An atomic list (`f:rules: {}`) has no item trees: ownership inside is unknown,
    /// and the prior decides.
    fn item(self, item: &Json) -> Owned<'a> {
        let Some(Json::Object(tree)) = self.0 else {
            return Owned(None);
        };
        Owned(tree.iter().find_map(|(k, sub)| {
            let key: Map<String, Json> = serde_json::from_str(k.strip_prefix("k:")?).ok()?;
            key.iter()
                .all(|(name, want)| item.get(name) == Some(want))
                .then_some(sub)
        }))
    }
}

/// Whether the prior value set an attribute: not null, and not the empty list an absent block is.
fn is_set(prior: &Value, f: F) -> bool {
    match prior.strip_sensitive() {
        Value::Null => false,
        Value::List(l) if l.is_empty() => !matches!(f, F::Block(_) | F::Blocks(_)),
        _ => true,
    }
}

/// How an attribute that is not read looks: as the prior wrote it when that was an empty list,
/// map or string (what the configuration holds for an absent block, `args = []` or `value = ""`:
/// the API server drops empty strings, Go's `omitempty`), else null.
fn absent(prior: &Value) -> Value {
    match prior.strip_sensitive() {
        Value::List(l) if l.is_empty() => prior.clone(),
        Value::Map(m) if m.is_empty() => prior.clone(),
        Value::String(s) if s.is_empty() => prior.clone(),
        _ => Value::Null,
    }
}

/// The state value for `obj` (a JSON object) under `fields`. `prior` is the previous value of
/// the same object (null on import); `owned` is this provider's ownership tree at `obj`.
///
/// `adopt` (import): read every field, and keep every key of multi-writer maps except the
/// cluster's own, since there is no prior state to say which are ours.
pub fn from_json(
    obj: &Json,
    fields: &[Field],
    prior: &Value,
    owned: Owned<'_>,
    adopt: bool,
) -> Result<Value, ProviderError> {
    let mut out = plinth_sdk::Map::new();
    for fd in fields {
        let j = obj.get(fd.json).unwrap_or(&Json::Null);
        let p = prior.get(fd.attr);
        let here = owned.child(fd.json);
        let read = fd.always || adopt || is_set(p, fd.f) || here.0.is_some();
        let v = match fd.f {
            // Maps apply the rule key by key.
            F::StrMap | F::B64Map | F::QtyMap => read_map(j, fd, p, here, adopt)?,
            _ if !read => absent(p),
            _ if j.is_null() => absent(p),
            F::Str | F::Bool | F::StrList | F::Num => match j {
                // An empty list reads back as absent; keep what the configuration wrote.
                Json::Array(a) if a.is_empty() && !p.is_null() => p.clone(),
                Json::Number(n) if matches!(fd.f, F::Str) => Value::string(n.to_string()),
                j => Value::from_json(j),
            },
            F::IntOrStr => match j {
                Json::Number(n) => Value::string(n.to_string()),
                j => Value::from_json(j),
            },
            F::Qty => read_quantity(j, p),
            F::Block(inner) => match j {
                Json::Object(_) => Value::List(vec![from_json(
                    j,
                    inner,
                    first(p).unwrap_or(&Value::Null),
                    here,
                    adopt,
                )?]),
                _ => absent(p),
            },
            F::Blocks(inner) => match j {
                Json::Array(items) if !items.is_empty() => {
                    let priors = p.as_list().cloned().unwrap_or_default();
                    // In a keyed list (containers by name, env by name, ports by number), an
                    // item another manager added is theirs, like a label: not read (apply would
                    // leave it anyway). Atomic lists have no item keys: every item counts.
                    let keyed = here.is_keyed();
                    let ours = items
                        .iter()
                        .filter(|item| adopt || !keyed || here.item(item).0.is_some());
                    let read = ours
                        .enumerate()
                        .map(|(i, item)| {
                            from_json(
                                item,
                                inner,
                                priors.get(i).unwrap_or(&Value::Null),
                                here.item(item),
                                adopt,
                            )
                        })
                        .collect::<Result<Vec<_>, _>>()?;
                    if read.is_empty() { absent(p) } else { Value::List(read) }
                }
                _ => absent(p),
            },
        };
        out.insert(fd.attr.to_string(), v);
    }
    Ok(Value::Map(out))
}

/// A live quantity: the prior's text when it is the same amount (`1000m` read back as `1`).
fn read_quantity(j: &Json, prior: &Value) -> Value {
    let live = match j {
        Json::String(s) => s.clone(),
        Json::Number(n) => n.to_string(),
        other => return Value::from_json(other),
    };
    match prior.strip_sensitive().as_str() {
        Some(p) if quantity::same(p, &live) => prior.clone(),
        _ => Value::String(live),
    }
}

fn read_map(j: &Json, fd: &Field, prior: &Value, owned: Owned<'_>, adopt: bool) -> Result<Value, ProviderError> {
    let Json::Object(m) = j else {
        return Ok(absent(prior));
    };
    let prior_keys = prior.strip_sensitive().as_map();
    // A secret map as state keeps it: redacted, so its keys are not known. Every key counts then:
    // a hand edit that took a key over from Plinth must show as drift.
    let redacted = prior.is_sensitive() && prior.strip_sensitive().is_null();
    let mut out = plinth_sdk::Map::new();
    for (k, v) in m {
        let keep =
            prior_keys.is_some_and(|p| p.contains_key(k)) || owned.has(k) || ((adopt || redacted) && !is_system_key(k));
        if !keep {
            continue;
        }
        let value = match fd.f {
            F::B64Map => {
                let s = v.as_str().unwrap_or_default();
                let bytes = B64.decode(s).map_err(|e| {
                    ProviderError::with_code("InvalidData", format!("{}[{k:?}] is not valid base64: {e}", fd.attr))
                })?;
                // Binary content someone else wrote reads as text that differs from the
                // configuration: drift that apply repairs, rather than a refresh error.
                Value::String(String::from_utf8_lossy(&bytes).into_owned())
            }
            F::QtyMap => read_quantity(v, prior_keys.and_then(|p| p.get(k)).unwrap_or(&Value::Null)),
            _ => Value::String(v.as_str().unwrap_or_default().to_string()),
        };
        out.insert(k.clone(), value);
    }
    if out.is_empty() {
        // Nothing of ours: read as the configuration wrote it (null or {}).
        return Ok(absent(prior));
    }
    Ok(Value::Map(out))
}

/// Keys the cluster itself sets (`kubernetes.io/metadata.name`, kubectl's
/// `last-applied-configuration`): never adopted on import.
pub fn is_system_key(k: &str) -> bool {
    match k.split_once('/') {
        Some((domain, _)) => {
            domain == "kubernetes.io"
                || domain.ends_with(".kubernetes.io")
                || domain == "k8s.io"
                || domain.ends_with(".k8s.io")
        }
        None => false,
    }
}

/// `planned` with its computed attributes filled in where the configuration left them out: the
/// prior's value on an update (`prior` given, items matched by position), unknown on a create.
pub fn plan_computed(planned: &mut plinth_sdk::Map, fields: &[Field], prior: Option<&Value>) {
    for fd in fields {
        let p = prior.map(|p| p.get(fd.attr));
        match fd.f {
            F::Block(inner) | F::Blocks(inner) => {
                if let Some(Value::List(items)) = planned.get_mut(fd.attr) {
                    for (i, item) in items.iter_mut().enumerate() {
                        if let Value::Map(m) = item {
                            // An item the prior lacks is new: its computed values are unknown.
                            let pi = p.and_then(Value::as_list).and_then(|l| l.get(i));
                            plan_computed(m, inner, pi);
                        }
                    }
                }
            }
            _ if fd.always => {
                let unset = planned.get(fd.attr).is_none_or(Value::is_null);
                if unset {
                    let v = match p {
                        Some(v) => v.clone(),
                        None => Value::Unknown,
                    };
                    planned.insert(fd.attr.to_string(), v);
                }
            }
            _ => {}
        }
    }
}

fn type_of(f: F) -> Type {
    match f {
        F::Str | F::IntOrStr | F::Qty => Type::String,
        F::Num => Type::Number,
        F::Bool => Type::Bool,
        F::StrList => Type::List(Box::new(Type::String)),
        F::StrMap | F::B64Map | F::QtyMap => Type::Map(Box::new(Type::String)),
        // Blocks are not attributes; callers handle them first.
        F::Block(_) | F::Blocks(_) => Type::Any,
    }
}

/// The schema of `fields` (attributes and nested blocks), from their docs and flags.
pub fn schema_of(description: &str, fields: &[Field]) -> Schema {
    let mut s = Schema::new(description);
    for fd in fields {
        match fd.f {
            F::Block(inner) | F::Blocks(inner) => {
                s = s.block(
                    fd.attr,
                    BlockSchema {
                        nesting: Nesting::List,
                        schema: schema_of(fd.doc, inner),
                        min_items: usize::from(fd.required),
                        max_items: matches!(fd.f, F::Block(_)).then_some(1),
                        force_new: false,
                    },
                )
            }
            f => {
                let ty = type_of(f);
                let a = match (fd.required, fd.send, fd.always) {
                    (true, _, _) => Attribute::required(ty),
                    (false, false, _) => Attribute::computed(ty),
                    (false, true, true) => Attribute::optional_computed(ty),
                    (false, true, false) => Attribute::optional(ty),
                };
                s = s.attr(fd.attr, a.describe(fd.doc));
            }
        }
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    const RULE: &[Field] = &[
        field("api_groups", "apiGroups", F::StrList),
        field("verbs", "verbs", F::StrList),
    ];
    const META: &[Field] = &[
        field("name", "name", F::Str),
        field("labels", "labels", F::StrMap),
        computed("uid", "uid", F::Str),
    ];
    const ROLE: &[Field] = &[
        field("metadata", "metadata", F::Block(META)),
        field("rule", "rules", F::Blocks(RULE)),
    ];

    fn role_value() -> Value {
        Value::object([
            (
                "metadata",
                Value::List(vec![Value::object([
                    ("name", Value::string("reader")),
                    ("labels", Value::object([("team", Value::string("ml"))])),
                    ("uid", Value::Unknown),
                ])]),
            ),
            (
                "rule",
                Value::List(vec![Value::object([
                    ("api_groups", Value::List(vec![Value::string("")])),
                    ("verbs", Value::List(vec![Value::string("get")])),
                ])]),
            ),
        ])
    }

    #[test]
    fn values_become_kubernetes_json_without_computed_fields() {
        let j = to_json(&role_value(), ROLE).expect("json");
        assert_eq!(
            Json::Object(j),
            json!({"metadata": {"name": "reader", "labels": {"team": "ml"}},
                   "rules": [{"apiGroups": [""], "verbs": ["get"]}]})
        );
    }

    #[test]
    fn labels_of_other_managers_are_not_reported_but_prior_and_owned_ones_are() {
        let live = json!({"metadata": {"name": "reader", "uid": "u-1",
            "labels": {"team": "ml", "owner": "alice", "kubernetes.io/metadata.name": "reader"}},
            "rules": [{"apiGroups": [""], "verbs": ["get", "list"]}]});
        let prior = role_value();
        let fields_v1 = json!({"f:metadata": {"f:labels": {"f:team": {}}}, "f:rules": {}});
        let v = from_json(&live, ROLE, &prior, Owned(Some(&fields_v1)), false).expect("value");
        let meta = &v.get("metadata").as_list().expect("list")[0];
        assert_eq!(meta.get("labels"), &Value::object([("team", Value::string("ml"))]));
        assert_eq!(meta.get("uid"), &Value::string("u-1"));
        let verbs = v.get("rule").as_list().expect("rules")[0].get("verbs").clone();
        assert_eq!(verbs, Value::List(vec![Value::string("get"), Value::string("list")]));
        // On import (no prior, no ownership) every label but the cluster's own is adopted.
        let imported = from_json(&live, ROLE, &Value::Null, Owned(None), true).expect("value");
        let labels = imported.get("metadata").as_list().expect("list")[0]
            .get("labels")
            .clone();
        assert_eq!(
            labels,
            Value::object([("owner", Value::string("alice")), ("team", Value::string("ml"))])
        );
    }

    #[test]
    fn secret_data_is_base64_on_the_wire() {
        const S: &[Field] = &[field("data", "data", F::B64Map)];
        let v = Value::object([("data", Value::object([("token", Value::string("s3cr3t"))]).mark())]);
        let j = Json::Object(to_json(&v, S).expect("json"));
        assert_eq!(j, json!({"data": {"token": "czNjcjN0"}}));
        let back = from_json(&j, S, &Value::Null, Owned(None), true).expect("value");
        assert_eq!(back.get("data"), &Value::object([("token", Value::string("s3cr3t"))]));
        let bad = from_json(&json!({"data": {"k": "%%"}}), S, &Value::Null, Owned(None), true);
        assert!(bad.is_err());
    }

    const PORT: &[Field] = &[
        field("container_port", "containerPort", F::Num),
        field("protocol", "protocol", F::Str),
    ];
    const RES: &[Field] = &[field("requests", "requests", F::QtyMap)];
    const CONTAINER: &[Field] = &[
        field("name", "name", F::Str),
        field("image", "image", F::Str),
        field("image_pull_policy", "imagePullPolicy", F::Str),
        field("port", "ports", F::Blocks(PORT)),
        field("resources", "resources", F::Block(RES)),
    ];
    const SPEC: &[Field] = &[
        field("replicas", "replicas", F::Num),
        field("max_surge", "maxSurge", F::IntOrStr),
        field("strategy", "strategy", F::Block(&[field("type", "type", F::Str)])),
        field("container", "containers", F::Blocks(CONTAINER)),
        field("cluster_ip", "clusterIP", F::Str).optional_computed(),
    ];

    /// What the configuration wrote: no strategy, a port without protocol, `1000m`.
    fn spec_value() -> Value {
        Value::object([
            ("replicas", Value::int(2)),
            ("max_surge", Value::string("1")),
            ("strategy", Value::List(vec![])),
            (
                "container",
                Value::List(vec![Value::object([
                    ("name", Value::string("app")),
                    ("image", Value::string("serve:1")),
                    ("image_pull_policy", Value::Null),
                    (
                        "port",
                        Value::List(vec![Value::object([
                            ("container_port", Value::int(8080)),
                            ("protocol", Value::Null),
                        ])]),
                    ),
                    (
                        "resources",
                        Value::List(vec![Value::object([(
                            "requests",
                            Value::object([("cpu", Value::string("1000m")), ("memory", Value::string("1024Mi"))]),
                        )])]),
                    ),
                ])]),
            ),
            ("cluster_ip", Value::Unknown),
        ])
    }

    /// The same object as the API server returns it: defaults filled in, quantities canonical.
    fn spec_live(replicas: u32, image: &str) -> Json {
        json!({"replicas": replicas, "maxSurge": 1, "revisionHistoryLimit": 10,
               "strategy": {"type": "RollingUpdate"}, "clusterIP": "10.0.0.7",
               "containers": [{"name": "app", "image": image, "imagePullPolicy": "IfNotPresent",
                               "ports": [{"containerPort": 8080, "protocol": "TCP"}],
                               "resources": {"requests": {"cpu": "1", "memory": "1Gi"}}}]})
    }

    #[test]
    fn server_defaults_and_canonical_quantities_read_as_the_configuration_wrote_them() {
        let sent = Json::Object(to_json(&spec_value(), SPEC).expect("json"));
        // Absent blocks, nulls and unknowns are not sent; int-or-string text goes as a number.
        assert_eq!(
            sent,
            json!({"replicas": 2, "maxSurge": 1,
                   "containers": [{"name": "app", "image": "serve:1", "ports": [{"containerPort": 8080}],
                                   "resources": {"requests": {"cpu": "1000m", "memory": "1024Mi"}}}]})
        );
        let read = from_json(&spec_live(2, "serve:1"), SPEC, &spec_value(), Owned(None), false).expect("value");
        let expected = spec_value().with_at(&plinth_sdk::AttrPath::attr("cluster_ip"), Value::string("10.0.0.7"));
        assert_eq!(
            read, expected,
            "defaults are not drift; the computed cluster_ip is read"
        );
    }

    #[test]
    fn an_empty_string_the_server_drops_reads_back_as_written() {
        const ENV: &[Field] = &[field("name", "name", F::Str), field("value", "value", F::Str)];
        let written = Value::object([("name", Value::string("GATE_MARGIN")), ("value", Value::string(""))]);
        // The API server omits `value: ""` (Go's omitempty): not a change to plan again.
        let read = from_json(&json!({"name": "GATE_MARGIN"}), ENV, &written, Owned(None), false).expect("value");
        assert_eq!(read, written);
        // A value someone set by hand is still read, so it is drift.
        let edited = from_json(
            &json!({"name": "GATE_MARGIN", "value": "0.1"}),
            ENV,
            &written,
            Owned(None),
            false,
        );
        assert_eq!(edited.expect("value").get("value"), &Value::string("0.1"));
    }

    #[test]
    fn a_hand_edit_of_a_declared_field_is_drift_and_a_different_quantity_too() {
        let live = spec_live(5, "serve:2");
        let read = from_json(&live, SPEC, &spec_value(), Owned(None), false).expect("value");
        assert_eq!(read.get("replicas"), &Value::int(5));
        let c = &read.get("container").as_list().expect("containers")[0];
        assert_eq!(c.get("image"), &Value::string("serve:2"));
        let mut other = live.clone();
        other["containers"][0]["resources"]["requests"]["cpu"] = json!("2");
        let read = from_json(&other, SPEC, &spec_value(), Owned(None), false).expect("value");
        let requests = read.get("container").as_list().expect("containers")[0]
            .get("resources")
            .as_list()
            .expect("resources")[0]
            .get("requests")
            .clone();
        assert_eq!(
            requests,
            Value::object([("cpu", Value::string("2")), ("memory", Value::string("1024Mi"))])
        );
    }

    #[test]
    fn owned_fields_are_read_even_without_a_prior_and_import_reads_everything() {
        // Ownership of one container's pull policy, through the keyed list item.
        let tree = json!({"f:containers": {"k:{\"name\":\"app\"}": {".": {}, "f:imagePullPolicy": {}}},
                          "f:strategy": {"f:type": {}}});
        let read = from_json(&spec_live(2, "serve:1"), SPEC, &Value::Null, Owned(Some(&tree)), false).expect("value");
        let c = &read.get("container").as_list().expect("containers")[0];
        assert_eq!(c.get("image_pull_policy"), &Value::string("IfNotPresent"));
        assert_eq!(c.get("image"), &Value::Null, "not owned, not in the prior");
        assert_eq!(read.get("replicas"), &Value::Null);
        let strategy = &read.get("strategy").as_list().expect("strategy")[0];
        assert_eq!(strategy.get("type"), &Value::string("RollingUpdate"));
        let imported = from_json(&spec_live(2, "serve:1"), SPEC, &Value::Null, Owned(None), true).expect("value");
        assert_eq!(imported.get("max_surge"), &Value::string("1"));
        let c = &imported.get("container").as_list().expect("containers")[0];
        assert_eq!(c.get("image_pull_policy"), &Value::string("IfNotPresent"));
    }

    #[test]
    fn an_item_another_manager_added_to_a_keyed_list_is_theirs() {
        let mut live = spec_live(2, "serve:1");
        let sidecar = json!({"name": "sidecar", "image": "mesh:1"});
        live["containers"]
            .as_array_mut()
            .expect("containers")
            .insert(0, sidecar);
        let tree = json!({"f:containers": {"k:{\"name\":\"app\"}": {".": {}, "f:image": {}}}});
        let read = from_json(&live, SPEC, &spec_value(), Owned(Some(&tree)), false).expect("value");
        let names: Vec<&Value> = read
            .get("container")
            .as_list()
            .expect("containers")
            .iter()
            .map(|c| c.get("name"))
            .collect();
        assert_eq!(names, vec![&Value::string("app")]);
        // Without ownership information (or on import) every item is read.
        let read = from_json(&live, SPEC, &spec_value(), Owned(None), false).expect("value");
        assert_eq!(read.get("container").as_list().expect("containers").len(), 2);
    }

    #[test]
    fn computed_attributes_plan_from_the_prior_or_as_unknown() {
        let Value::Map(mut create) = spec_value().with_at(&plinth_sdk::AttrPath::attr("cluster_ip"), Value::Null)
        else {
            panic!("a map")
        };
        plan_computed(&mut create, SPEC, None);
        assert_eq!(create.get("cluster_ip"), Some(&Value::Unknown));
        let prior = spec_value().with_at(&plinth_sdk::AttrPath::attr("cluster_ip"), Value::string("10.0.0.7"));
        let Value::Map(mut update) = spec_value().with_at(&plinth_sdk::AttrPath::attr("cluster_ip"), Value::Null)
        else {
            panic!("a map")
        };
        plan_computed(&mut update, SPEC, Some(&prior));
        assert_eq!(update.get("cluster_ip"), Some(&Value::string("10.0.0.7")));
    }

    #[test]
    fn the_schema_follows_the_field_table() {
        const T: &[Field] = &[
            field("name", "name", F::Str).required().doc("The name."),
            field("port", "ports", F::Blocks(PORT)).doc("A port."),
            field("cluster_ip", "clusterIP", F::Str).optional_computed().doc("IP."),
        ];
        let s = schema_of("T", T);
        assert!(s.attributes["name"].required);
        let ip = &s.attributes["cluster_ip"];
        assert!(ip.optional && ip.computed);
        assert_eq!(s.blocks["port"].max_items, None);
        assert_eq!(s.blocks["port"].schema.description, "A port.");
        assert_eq!(s.blocks["port"].schema.attributes["container_port"].ty, Type::Number);
    }
}
