//! Converting between resource values (with sensitive marks) and what state stores.
//!
//! A stored instance holds its attributes as JSON with every sensitive part replaced by `null`,
//! and maps each sensitive path to a keyed hash. Write-only attributes are never stored.

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

/// Removes write-only attributes (they are sent to the platform, never kept).
pub fn without_write_only(value: &Value, schema: &Schema) -> Value {
    match value {
        Value::Map(m) => Value::Map(
            m.iter()
                .filter(|(k, _)| !schema.attributes.get(*k).is_some_and(|a| a.write_only))
                .map(|(k, v)| (k.clone(), v.clone()))
                .collect(),
        ),
        v => v.clone(),
    }
}

/// What state stores for `value`: redacted attributes and the hashes of the sensitive parts.
pub fn to_stored(value: &Value, schema: &Schema, key: &HashKey) -> (serde_json::Value, BTreeMap<String, String>) {
    let value = without_write_only(value, schema).mark_paths(&schema_sensitive_paths(schema));
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
