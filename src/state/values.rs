//! Converting between resource values (with sensitive marks) and what state stores.
//!
//! A stored instance holds its attributes as JSON with every sensitive part replaced by `null`,
//! and maps each sensitive path to a keyed hash. Write-only attributes are never stored.

use std::borrow::Cow;
use std::collections::BTreeMap;

use plinth_sdk::{AttrPath, Schema, Value};

use super::ResourceState;
use crate::secrets::HashKey;

/// Paths that the schema declares sensitive (top-level attributes).
pub fn schema_sensitive_paths(schema: &Schema) -> Vec<AttrPath> {
    schema
        .attributes
        .iter()
        .filter(|(_, a)| a.sensitive)
        .map(|(n, _)| AttrPath::attr(n))
        .collect()
}

/// Removes write-only attributes (they are sent to the platform, never kept). Borrows `value`
/// when it has none, as most values do (the planner compares every instance through this).
pub fn without_write_only<'v>(value: &'v Value, schema: &Schema) -> Cow<'v, Value> {
    let write_only = |k: &String| schema.attributes.get(k).is_some_and(|a| a.write_only);
    match value {
        Value::Map(m) if m.keys().any(write_only) => Cow::Owned(Value::Map(
            m.iter()
                .filter(|(k, _)| !write_only(k))
                .map(|(k, v)| (k.clone(), v.clone()))
                .collect(),
        )),
        v => Cow::Borrowed(v),
    }
}

/// Whether `a.redact() == b.redact()`, without building either: equal, where a sensitive part
/// equals any other sensitive part and nothing else.
pub fn eq_redacted(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Sensitive(_), Value::Sensitive(_)) => true,
        (Value::Sensitive(_), _) | (_, Value::Sensitive(_)) => false,
        (Value::List(x), Value::List(y)) => x.len() == y.len() && x.iter().zip(y).all(|(a, b)| eq_redacted(a, b)),
        (Value::Map(x), Value::Map(y)) => {
            x.len() == y.len() && x.iter().zip(y).all(|((ka, a), (kb, b))| ka == kb && eq_redacted(a, b))
        }
        (x, y) => x == y,
    }
}

/// What state stores for `value`: redacted attributes and the hashes of the sensitive parts.
pub fn to_stored(value: &Value, schema: &Schema, key: &HashKey) -> (serde_json::Value, BTreeMap<String, String>) {
    let value = without_write_only(value, schema);
    let schema_paths = schema_sensitive_paths(schema);
    if schema_paths.is_empty() && !value.contains_sensitive() {
        // Nothing to redact or hash (most values): the JSON straight from the value, without the
        // two copies marking and redacting would make.
        return (value.to_json(), BTreeMap::new());
    }
    let value = value.into_owned().mark_paths(&schema_paths);
    let mut hashes = BTreeMap::new();
    for p in value.sensitive_paths() {
        if let Some(v) = value.at(&p)
            && !v.is_null()
        {
            hashes.insert(p.to_string(), key.hash(v));
        }
    }
    (value.redact().to_json(), hashes)
}

/// The value of a stored instance: attributes with sensitive paths marked (their value is null).
pub fn from_stored(rs: &ResourceState) -> Value {
    // The stored value at a sensitive path is null; keep it marked so it reads as `(sensitive)`.
    rs.sensitive
        .keys()
        .filter_map(|p| AttrPath::parse(p))
        .fold(Value::from_json(&rs.attributes), |v, p| {
            v.with_at(&p, Value::Null.mark())
        })
}

/// Fills the redacted sensitive parts of `prior` from `config` wherever the configuration's value
/// has the stored hash (unchanged), so that an unchanged secret plans as no change.
pub fn restore_sensitive(prior: Value, hashes: &BTreeMap<String, String>, config: &Value, key: &HashKey) -> Value {
    let mut prior = prior;
    for (path, hash) in hashes {
        let Some(p) = AttrPath::parse(path) else { continue };
        // Only a redacted value (null) is filled in: a live value read back from the platform is
        // what it is, and a hand edit must stay visible.
        if !prior.at(&p).is_none_or(Value::is_null) {
            continue;
        }
        let Some(cv) = config.at(&p) else { continue };
        if cv.is_null() || cv.contains_unknown() {
            continue;
        }
        if &key.hash(cv) == hash {
            prior = prior.with_at(&p, cv.clone().mark());
        }
    }
    prior
}

#[cfg(test)]
mod tests {
    use super::*;
    use plinth_sdk::{Attribute, Type};

    #[test]
    fn eq_redacted_is_equality_of_the_redacted_values() {
        let values = [
            Value::Null,
            Value::string("a"),
            Value::string("b"),
            Value::string("a").mark(),
            Value::string("b").mark(),
            Value::Null.mark(),
            Value::List(vec![Value::string("a"), Value::string("x").mark()]),
            Value::List(vec![Value::string("a"), Value::string("y").mark()]),
            Value::List(vec![Value::string("a")]),
            Value::object([("k", Value::string("a").mark()), ("l", Value::int(1))]),
            Value::object([("k", Value::string("b").mark()), ("l", Value::int(1))]),
            Value::object([("k", Value::string("b")), ("l", Value::int(1))]),
            Value::object([("j", Value::string("b").mark()), ("l", Value::int(1))]),
            Value::Unknown,
        ];
        for a in &values {
            for b in &values {
                assert_eq!(eq_redacted(a, b), a.redact() == b.redact(), "{a:?} vs {b:?}");
            }
        }
    }

    #[test]
    fn secrets_are_hashed_not_stored_and_restored_when_unchanged() {
        let schema = Schema::new("t")
            .attr("path", Attribute::required(Type::String))
            .attr("secret", Attribute::optional(Type::String).sensitive());
        let key = HashKey::from_bytes(&[7; 32]);
        let v = Value::object([("path", Value::string("p")), ("secret", Value::string("hunter2"))]);
        let (json, hashes) = to_stored(&v, &schema, &key);
        assert!(!json.to_string().contains("hunter2"));
        assert!(hashes.contains_key("secret"));
        let rs = ResourceState {
            mode: "managed".into(),
            type_name: "t".into(),
            provider: "local".into(),
            attributes: json,
            sensitive: hashes.clone(),
            dependencies: vec![],
            create_before_destroy: false,
            tainted: false,
        };
        let prior = from_stored(&rs);
        assert_eq!(prior.get("secret"), &Value::Null.mark());
        let restored = restore_sensitive(prior.clone(), &hashes, &v, &key);
        assert_eq!(restored.get("secret").strip_sensitive(), &Value::string("hunter2"));
        let changed = Value::object([("path", Value::string("p")), ("secret", Value::string("other"))]);
        let not_restored = restore_sensitive(prior, &hashes, &changed, &key);
        assert!(not_restored.get("secret").is_null());
    }
}
