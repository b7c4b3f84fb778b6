//! What the types share: MLflow's tag lists (`[{"key", "value"}]`) as `map(string)` values and
//! the calls that bring a tag map to what is planned, reading JSON answers into [`Value`]s, the
//! `filter` text of MLflow's searches, typed errors with an attribute, and the plan
//! normalisation every type applies.
//!
//! Tags whose key starts with `mlflow.` are MLflow's own (`mlflow.note.content`, the UI's
//! markers): they are reported only when the configuration or the state already holds that key,
//! and never removed unless they were, so MLflow's bookkeeping is not drift. Plinth's own
//! bookkeeping tags (`plinth:address`, `plinth:lineage`, set at creation so that a create repeated
//! after a crash finds its object: [`create_tags`], [`made_by_this_create`]) are treated alike.

use plinth_sdk::idempotency::{BOOKKEEPING_PREFIX, bookkeeping_tags, made_by};
use plinth_sdk::plan::default_plan;
use plinth_sdk::{
    ApplyRequest, AttrPath, ErrorKind, Map, PlanResponse, ProviderDiagnostic, ProviderError, Schema, Severity, Type,
    Value,
};
use serde_json::{Value as Json, json};

use crate::client::Client;

/// The `map(string)` type of `tags`.
pub fn string_map() -> Type {
    Type::Map(Box::new(Type::String))
}

/// MLflow's own tag keys and Plinth's bookkeeping tags: not reported unless managed.
pub fn is_system_tag(key: &str) -> bool {
    key.starts_with("mlflow.") || key.starts_with(BOOKKEEPING_PREFIX)
}

/// The tags of an MLflow answer (`"tags": [{"key", "value"}]`, absent when none) as a map value,
/// without MLflow's own tags and Plinth's bookkeeping tags unless `known` (the prior state or
/// configuration's tags) holds their key; `Null` when there are none.
pub fn tags_value(tags: Option<&Json>, known: &Value) -> Value {
    let mut m = Map::new();
    for t in tags.and_then(Json::as_array).into_iter().flatten() {
        let (Some(k), v) = (
            t.get("key").and_then(Json::as_str),
            t.get("value").and_then(Json::as_str),
        ) else {
            continue;
        };
        if is_system_tag(k) && known.get(k).is_null() {
            continue;
        }
        m.insert(k.to_string(), Value::string(v.unwrap_or_default()));
    }
    if m.is_empty() { Value::Null } else { Value::Map(m) }
}

/// A tag map value as MLflow's tag list, for a create call.
pub fn tags_json(tags: &Value) -> Json {
    Json::Array(
        tags.as_map()
            .into_iter()
            .flatten()
            .filter_map(|(k, v)| v.as_str().map(|v| json!({"key": k, "value": v})))
            .collect(),
    )
}

/// The tag list of a create call: the planned `tags` and the bookkeeping tags of the create `req`
/// (none without a state).
pub fn create_tags(tags: &Value, req: &ApplyRequest) -> Json {
    let mut list = tags_json(tags);
    if let Json::Array(items) = &mut list {
        for (k, v) in bookkeeping_tags(&req.lineage, &req.address) {
            items.push(json!({"key": k, "value": v}));
        }
    }
    list
}

/// Whether the object of an MLflow answer (with its `"tags"` list) is what the create `req` made
/// in an earlier attempt that a crash kept from the state: its bookkeeping tags name this address
/// and state.
pub fn made_by_this_create(obj: &Json, req: &ApplyRequest) -> bool {
    let pairs = obj.get("tags").and_then(Json::as_array).into_iter().flatten().map(|t| {
        (
            t.get("key").and_then(Json::as_str),
            t.get("value").and_then(Json::as_str),
        )
    });
    made_by(&req.lineage, &req.address, pairs)
}

/// Whether a create may adopt the object `obj` (its MLflow answer; `id` its state's `id`) found
/// under its name: [`made_by_this_create`], and not the object being replaced, which under
/// `create_before_destroy` still exists and carries the same tags.
pub fn adoptable(obj: &Json, id: &str, req: &ApplyRequest) -> bool {
    made_by_this_create(obj, req) && req.replacing.as_ref().and_then(|r| r.get("id").as_str()) != Some(id)
}

/// The answer to a create whose unique name is taken by an object this create did not make:
/// a conflict naming the object (`what`, `id`) and how to import it into the address.
pub fn taken(req: &ApplyRequest, what: &str, id: &str) -> ProviderError {
    let address = if req.address.is_empty() {
        "ADDRESS"
    } else {
        &req.address
    };
    ProviderError::with_code(
        "RESOURCE_ALREADY_EXISTS",
        format!("MLflow already has {what} (id {id}), not made for {address} by this state"),
    )
    .with_kind(ErrorKind::Conflict)
    .with_hint(format!(
        "to manage it here, run `plinth import {address} {id}`, or choose another name"
    ))
}

/// What brings the tags `from` to `to`: the tags to set (new or changed) and the keys to remove.
pub fn tag_changes(from: &Value, to: &Value) -> (Vec<(String, String)>, Vec<String>) {
    let empty = Map::new();
    let from = from.as_map().unwrap_or(&empty);
    let to = to.as_map().unwrap_or(&empty);
    let set = to
        .iter()
        .filter(|(k, v)| from.get(*k).is_none_or(|old| old.as_str() != v.as_str()))
        .filter_map(|(k, v)| Some((k.clone(), v.as_str()?.to_string())))
        .collect();
    let remove = from.keys().filter(|k| !to.contains_key(*k)).cloned().collect();
    (set, remove)
}

/// Brings the tags of one object from `from` to `to` with the type's set and delete calls:
/// `target` is the request body naming the object (`{"name": ...}`), to which `key` (and
/// `value`) are added. Sets come first, so a failure halfway never leaves fewer tags than either.
pub async fn sync_tags(
    client: &Client,
    set_path: &str,
    delete_path: &str,
    delete_method_is_post: bool,
    target: &Json,
    from: &Value,
    to: &Value,
) -> Result<(), ProviderError> {
    let (set, remove) = tag_changes(from, to);
    for (k, v) in set {
        let mut body = target.clone();
        body["key"] = json!(k);
        body["value"] = json!(v);
        client.post(set_path, body).await?;
    }
    for k in remove {
        let mut body = target.clone();
        body["key"] = json!(k);
        let r = if delete_method_is_post {
            client.post(delete_path, body).await
        } else {
            client.delete(delete_path, body).await
        };
        // Already gone is what was wanted.
        crate::client::found(r)?;
    }
    Ok(())
}

/// A string field of an MLflow answer (`""` when absent, as MLflow leaves out empty fields).
pub fn field<'a>(j: &'a Json, key: &str) -> &'a str {
    j.get(key).and_then(Json::as_str).unwrap_or_default()
}

/// A string field as a value, `Null` when absent or empty.
pub fn opt_string(j: &Json, key: &str) -> Value {
    match field(j, key) {
        "" => Value::Null,
        s => Value::string(s),
    }
}

/// A number field (MLflow's timestamps, in milliseconds) as a value; MLflow sends some
/// 64-bit integers as JSON strings.
pub fn number(j: &Json, key: &str) -> Value {
    match j.get(key) {
        Some(Json::Number(n)) => Value::from_json(&Json::Number(n.clone())),
        Some(Json::String(s)) => s.parse::<i64>().map(Value::int).unwrap_or(Value::Null),
        _ => Value::Null,
    }
}

/// The text of an MLflow search filter `KEY IN ('a', 'b')`, or `None` when a value holds a quote
/// (MLflow's filter language has no escape for it): the caller then gets those one by one.
pub fn in_filter(key: &str, values: &[&str]) -> Option<String> {
    if values.is_empty() || values.iter().any(|v| v.contains(['\'', '"'])) {
        return None;
    }
    let list: Vec<String> = values.iter().map(|v| format!("'{v}'")).collect();
    Some(format!("{key} IN ({})", list.join(", ")))
}

/// A known string argument of a planned or stored value.
pub fn string(v: &Value, name: &str) -> Option<String> {
    v.get(name).strip_sensitive().as_str().map(str::to_string)
}

/// A string argument the value must hold (apply works on planned values, all known).
pub fn required(v: &Value, name: &str) -> Result<String, ProviderError> {
    string(v, name).ok_or_else(|| invalid(name, format!("{name} must be a known string")))
}

/// An invalid-argument error at an attribute.
pub fn invalid(attr: &str, message: impl Into<String>) -> ProviderError {
    ProviderError::with_code("INVALID_PARAMETER_VALUE", message)
        .at(AttrPath::attr(attr))
        .with_kind(ErrorKind::Invalid)
}

/// An error diagnostic at an attribute.
pub fn diag(attr: &str, summary: impl Into<String>, detail: impl Into<String>) -> ProviderDiagnostic {
    ProviderDiagnostic {
        severity: Severity::Error,
        summary: summary.into(),
        detail: detail.into(),
        attribute: Some(AttrPath::attr(attr)),
    }
}

/// Sets a top-level attribute of an object value (a no-op on anything else).
pub fn set(v: &mut Value, name: &str, new: Value) {
    if let Value::Map(m) = v {
        m.insert(name.to_string(), new);
    }
}

/// The standard plan, with what MLflow cannot tell apart made one: an empty `tags` map or an
/// empty string in `empty_is_null` is planned as null (MLflow stores and returns nothing for
/// them), so `tags = {}` or `description = ""` never shows as a change.
pub fn plan(schema: &Schema, prior: Option<&Value>, config: &Value, empty_is_null: &[&str]) -> PlanResponse {
    let mut config = config.clone();
    if config.get("tags").as_map().is_some_and(Map::is_empty) {
        set(&mut config, "tags", Value::Null);
    }
    for name in empty_is_null {
        if config.get(name).as_str() == Some("") {
            set(&mut config, name, Value::Null);
        }
    }
    default_plan(schema, prior, &config)
}

/// Checks a name argument MLflow would refuse: an empty one.
pub fn check_name(config: &Value, attr: &str, what: &str, out: &mut Vec<ProviderDiagnostic>) {
    if config.get(attr).as_str().is_some_and(|s| s.trim().is_empty()) {
        out.push(diag(
            attr,
            format!("{what} {attr} is empty"),
            format!("MLflow needs a non-empty {attr}."),
        ));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tags_read_back_without_mlflows_own_unless_they_are_managed() {
        let answer = json!([{"key": "team", "value": "ml"}, {"key": "mlflow.note.content", "value": "n"}]);
        assert_eq!(
            tags_value(Some(&answer), &Value::Null),
            Value::object([("team", Value::string("ml"))])
        );
        let ours = json!([{"key": "plinth:address", "value": "a"}, {"key": "plinth:lineage", "value": "l"}]);
        assert_eq!(tags_value(Some(&ours), &Value::Null), Value::Null);
        let known = Value::object([("mlflow.note.content", Value::string("old"))]);
        assert_eq!(
            tags_value(Some(&answer), &known).get("mlflow.note.content"),
            &Value::string("n")
        );
        assert_eq!(tags_value(None, &Value::Null), Value::Null);
    }

    #[test]
    fn tag_changes_set_new_and_changed_and_remove_the_rest() {
        let from = Value::object([("a", Value::string("1")), ("b", Value::string("2"))]);
        let to = Value::object([
            ("a", Value::string("1")),
            ("b", Value::string("3")),
            ("c", Value::string("4")),
        ]);
        let (set, remove) = tag_changes(&from, &to);
        assert_eq!(
            set,
            vec![("b".to_string(), "3".to_string()), ("c".to_string(), "4".to_string())]
        );
        assert!(remove.is_empty());
        let (set, remove) = tag_changes(&from, &Value::Null);
        assert!(set.is_empty());
        assert_eq!(remove, vec!["a".to_string(), "b".to_string()]);
    }

    #[test]
    fn filters_quote_values_and_refuse_quotes_inside_them() {
        assert_eq!(
            in_filter("name", &["a", "b c"]).as_deref(),
            Some("name IN ('a', 'b c')")
        );
        assert_eq!(in_filter("name", &["it's"]), None);
        assert_eq!(in_filter("name", &[]), None);
    }

    #[test]
    fn numbers_may_come_as_strings() {
        let j = json!({"a": 1796470383382u64, "b": "17", "c": "x"});
        assert_eq!(number(&j, "a").as_i64(), Some(1_796_470_383_382));
        assert_eq!(number(&j, "b").as_i64(), Some(17));
        assert_eq!(number(&j, "c"), Value::Null);
        assert_eq!(number(&j, "d"), Value::Null);
    }
}
