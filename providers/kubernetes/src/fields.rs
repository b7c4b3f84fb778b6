//! Declarative mapping between Plinth values (Terraform's kubernetes-provider shapes, snake_case,
//! nested blocks as lists) and Kubernetes JSON objects (camelCase).
//!
//! Each resource kind lists its [`Field`]s once; [`to_json`] builds the body sent by server-side
//! apply and [`from_json`] turns what the API server returns back into a state value.
//!
//! Maps that several parties write (labels, annotations, a ConfigMap's `data`) are read back
//! *filtered*: a key is reported when this provider's field manager owns it (see
//! [`Owned`]) or when the prior state already had it. A label that a controller or a colleague
//! added with kubectl is therefore not drift — server-side apply would leave it alone anyway, so
//! reporting it would plan a change that apply cannot make.

use std::collections::BTreeMap;

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD as B64;
use plinth_sdk::{ProviderError, Value};
use serde_json::{Map, Value as Json};

/// How one attribute maps to JSON.
#[derive(Clone, Copy, Debug)]
pub enum F {
    Str,
    Bool,
    StrList,
    /// A map of strings whose keys are filtered by ownership on read (see the module docs).
    StrMap,
    /// Like [`F::StrMap`], with values base64-encoded on the wire (a Secret's `data`).
    B64Map,
    /// A block with at most one item (a list of one object in Plinth) ↔ a JSON object.
    Block(&'static [Field]),
    /// A repeated block ↔ a JSON array of objects (atomic: replaced as a whole).
    Blocks(&'static [Field]),
}

/// One attribute: its name in Plinth, its key in the Kubernetes object, and whether it is sent.
#[derive(Clone, Copy, Debug)]
pub struct Field {
    pub attr: &'static str,
    pub json: &'static str,
    pub f: F,
    /// `false` for what only the server sets (`uid`, `resourceVersion`).
    pub send: bool,
}

pub const fn field(attr: &'static str, json: &'static str, f: F) -> Field {
    Field {
        attr,
        json,
        f,
        send: true,
    }
}

pub const fn computed(attr: &'static str, json: &'static str, f: F) -> Field {
    Field {
        attr,
        json,
        f,
        send: false,
    }
}

/// The JSON object for `value` (an object with the fields' attributes). Nulls are left out.
pub fn to_json(value: &Value, fields: &[Field]) -> Result<Map<String, Json>, ProviderError> {
    let mut out = Map::new();
    for fd in fields.iter().filter(|f| f.send) {
        let v = value.get(fd.attr).strip_sensitive();
        if v.is_null() || v.is_unknown() {
            continue;
        }
        let j = match fd.f {
            F::Str | F::Bool | F::StrList | F::StrMap => plain(v),
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
            F::Blocks(inner) => Json::Array(
                v.as_list()
                    .map(|l| l.iter().map(|i| to_json(i, inner).map(Json::Object)).collect())
                    .transpose()?
                    .unwrap_or_default(),
            ),
        };
        out.insert(fd.json.to_string(), j);
    }
    Ok(out)
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
}

/// The state value for `obj` (a JSON object) under `fields`. `prior` is the previous value of
/// the same object (null on import); `owned` is this provider's ownership tree at `obj`.
///
/// `adopt` (import): keep every key of multi-writer maps except the cluster's own, since there is
/// no prior state to say which are ours.
pub fn from_json(
    obj: &Json,
    fields: &[Field],
    prior: &Value,
    owned: Owned<'_>,
    adopt: bool,
) -> Result<Value, ProviderError> {
    let mut out = BTreeMap::new();
    for fd in fields {
        let j = obj.get(fd.json).unwrap_or(&Json::Null);
        let p = prior.get(fd.attr);
        let v = match fd.f {
            F::Str | F::Bool | F::StrList => match j {
                Json::Null => Value::Null,
                // An empty list reads back as absent; keep what the configuration wrote.
                Json::Array(a) if a.is_empty() && !p.is_null() => p.clone(),
                Json::Number(n) if matches!(fd.f, F::Str) => Value::string(n.to_string()),
                j => Value::from_json(j),
            },
            F::StrMap | F::B64Map => read_map(j, fd, p, owned.child(fd.json), adopt)?,
            F::Block(inner) => match j {
                Json::Object(_) => Value::List(vec![from_json(
                    j,
                    inner,
                    first(p).unwrap_or(&Value::Null),
                    owned.child(fd.json),
                    adopt,
                )?]),
                _ => Value::Null,
            },
            F::Blocks(inner) => match j {
                Json::Array(items) if !items.is_empty() => {
                    let priors = p.as_list().cloned().unwrap_or_default();
                    Value::List(
                        items
                            .iter()
                            .enumerate()
                            .map(|(i, item)| {
                                // Lists are atomic: ownership is of the whole list.
                                from_json(item, inner, priors.get(i).unwrap_or(&Value::Null), Owned(None), adopt)
                            })
                            .collect::<Result<_, _>>()?,
                    )
                }
                _ => Value::Null,
            },
        };
        out.insert(fd.attr.to_string(), v);
    }
    Ok(Value::Map(out))
}

fn read_map(j: &Json, fd: &Field, prior: &Value, owned: Owned<'_>, adopt: bool) -> Result<Value, ProviderError> {
    let Json::Object(m) = j else {
        return Ok(Value::Null);
    };
    let prior_keys = prior.strip_sensitive().as_map();
    // A secret map as state keeps it: redacted, so its keys are not known. Every key counts then:
    // a hand edit that took a key over from Plinth must show as drift.
    let redacted = prior.is_sensitive() && prior.strip_sensitive().is_null();
    let mut out = BTreeMap::new();
    for (k, v) in m {
        let keep =
            prior_keys.is_some_and(|p| p.contains_key(k)) || owned.has(k) || ((adopt || redacted) && !is_system_key(k));
        if !keep {
            continue;
        }
        let s = v.as_str().unwrap_or_default();
        let value = match fd.f {
            F::B64Map => {
                let bytes = B64.decode(s).map_err(|e| {
                    ProviderError::with_code("InvalidData", format!("{}[{k:?}] is not valid base64: {e}", fd.attr))
                })?;
                // Binary content someone else wrote reads as text that differs from the
                // configuration: drift that apply repairs, rather than a refresh error.
                String::from_utf8_lossy(&bytes).into_owned()
            }
            _ => s.to_string(),
        };
        out.insert(k.clone(), Value::String(value));
    }
    if out.is_empty() {
        // Nothing of ours: read as the configuration wrote it (null or {}).
        return Ok(if prior_keys.is_some_and(|p| p.is_empty()) {
            prior.clone()
        } else {
            Value::Null
        });
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
}
