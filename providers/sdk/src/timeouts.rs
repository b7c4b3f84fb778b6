//! Terraform's per-resource `timeouts { create update delete }` block, shared by every provider:
//! its schema, the durations it holds (`"90s"`, `"10m"`, `"1h30m"`), their validation, and the
//! one lookup a provider makes before it waits ("how long may this create take?").
//!
//! The block is an ordinary nested block of the provider's own: it is never sent to a platform,
//! and a provider keeps it in state as configured, so changing it alone changes nothing remote.

use std::time::Duration;

use crate::provider::{ProviderDiagnostic, ProviderError, Severity};
use crate::schema::{Attribute, BlockSchema, Nesting, Schema};
use crate::value::{AttrPath, PathStep, Type, Value};

/// The name of the block.
pub const BLOCK: &str = "timeouts";

/// The operations a `timeouts` block names.
pub const OPERATIONS: [&str; 3] = ["create", "update", "delete"];

/// The `timeouts` block schema; `default` is the provider's default, shown in each description
/// (such as `"10m"`), and `what` says what is waited for (such as `" (the rollout included)"`).
pub fn block(default: &str, what: &str) -> BlockSchema {
    let d = |op: &str| format!("How long {op} may take{what}; default `{default}`.");
    BlockSchema {
        nesting: Nesting::List,
        schema: Schema::new("How long apply and destroy wait.")
            .attr("create", Attribute::optional(Type::String).describe(&d("a create")))
            .attr("update", Attribute::optional(Type::String).describe(&d("an update")))
            .attr(
                "delete",
                Attribute::optional(Type::String).describe(&format!(
                    "How long a destroy waits until the object and what it owns are gone; default `{default}`."
                )),
            ),
        min_items: 0,
        max_items: Some(1),
        force_new: false,
    }
}

/// `schema` with a `timeouts` block (see [`block`]); a schema that has one keeps its own.
pub fn with_timeouts(schema: Schema, default: &str, what: &str) -> Schema {
    if schema.blocks.contains_key(BLOCK) || schema.attributes.contains_key(BLOCK) {
        return schema;
    }
    schema.block(BLOCK, block(default, what))
}

/// Parses a duration as Terraform writes them — `"90s"`, `"10m"`, `"1h30m"`, `"500ms"` — with
/// jiff's friendly duration format (which also takes `"1h 30m"` and `"1.5h"`); negative is none.
pub fn parse_duration(text: &str) -> Option<Duration> {
    let d: jiff::SignedDuration = text.trim().parse().ok()?;
    Duration::try_from(d).ok()
}

/// A duration for messages, in the same friendly format: `10m`, `90s`, `1h 30m`.
pub fn show(d: Duration) -> String {
    match jiff::SignedDuration::try_from(d) {
        Ok(d) => format!("{d:#}"),
        Err(_) => format!("{}s", d.as_secs()),
    }
}

fn path(op: &str) -> AttrPath {
    AttrPath(vec![
        PathStep::Attr(BLOCK.into()),
        PathStep::Index(0),
        PathStep::Attr(op.into()),
    ])
}

/// The text of the `timeouts` entry `op` of a configuration, planned or stored value, if set.
pub fn entry<'a>(v: &'a Value, op: &str) -> Option<&'a str> {
    v.get(BLOCK)
        .as_list()
        .and_then(|l| l.first())
        .map(|t| t.get(op))
        .and_then(Value::as_str)
}

/// How long the operation `op` (`create`, `update`, `delete`) of the object `v` may take: its
/// `timeouts` entry, or `default` when it has none.
pub fn timeout(v: &Value, op: &str, default: Duration) -> Result<Duration, ProviderError> {
    match entry(v, op) {
        None => Ok(default),
        Some(t) => parse_duration(t).ok_or_else(|| {
            ProviderError::with_code(
                "InvalidData",
                format!("timeouts.{op} {t:?} is not a duration such as \"90s\", \"10m\" or \"1h30m\""),
            )
            .at(path(op))
        }),
    }
}

/// `to` with the `timeouts` block of `from` (a configuration, planned value or prior state): the
/// block is Plinth's own and is kept in state as configured, and only when set, so objects whose
/// configuration has none keep the state they had before their type had the block (a plan then
/// finds no change). Every provider's plan, apply and read pass their results through it.
pub fn keep(mut to: Value, from: &Value) -> Value {
    if let Value::Map(m) = &mut to {
        match from.get(BLOCK) {
            Value::List(l) if !l.is_empty() => {
                m.insert(BLOCK.to_string(), Value::List(l.clone()));
            }
            _ => {
                m.remove(BLOCK);
            }
        }
    }
    to
}

/// An error for each entry of a configuration's `timeouts` block that is not a duration.
pub fn validate(config: &Value) -> Vec<ProviderDiagnostic> {
    OPERATIONS
        .iter()
        .filter_map(|op| {
            let text = entry(config, op)?;
            parse_duration(text).is_none().then(|| ProviderDiagnostic {
                severity: Severity::Error,
                summary: format!("timeouts.{op} {text:?} is not a duration"),
                detail: "Write a duration such as \"90s\", \"10m\" or \"1h30m\".".into(),
                attribute: Some(path(op)),
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn with(op: &str, text: &str) -> Value {
        Value::object([(BLOCK, Value::List(vec![Value::object([(op, Value::string(text))])]))])
    }

    #[test]
    fn durations_as_terraform_writes_them() {
        assert_eq!(parse_duration("90s"), Some(Duration::from_secs(90)));
        assert_eq!(parse_duration("10m"), Some(Duration::from_secs(600)));
        assert_eq!(parse_duration("1h30m"), Some(Duration::from_secs(5400)));
        assert_eq!(parse_duration("500ms"), Some(Duration::from_millis(500)));
        assert_eq!(parse_duration("soon"), None);
        assert_eq!(parse_duration("-5m"), None);
        assert_eq!(show(Duration::from_secs(5400)), "1h 30m");
    }

    #[test]
    fn lookup_falls_back_to_the_default_and_names_a_bad_entry() {
        let default = Duration::from_secs(60);
        assert_eq!(timeout(&Value::Null, "create", default).ok(), Some(default));
        assert_eq!(
            timeout(&with("create", "2m"), "create", default).ok(),
            Some(Duration::from_secs(120))
        );
        assert_eq!(timeout(&with("create", "2m"), "delete", default).ok(), Some(default));
        let e = timeout(&with("delete", "later"), "delete", default).err();
        assert!(e.is_some_and(|e| e.message.contains("timeouts.delete \"later\"")));
        let d = validate(&with("update", "later"));
        assert_eq!(d.len(), 1);
        assert_eq!(d[0].summary, "timeouts.update \"later\" is not a duration");
        assert!(validate(&with("update", "5m")).is_empty());
    }

    #[test]
    fn the_block_is_kept_only_when_set() {
        let state = Value::object([("a", Value::string("x"))]);
        let empty = Value::object([(BLOCK, Value::List(vec![]))]);
        assert_eq!(keep(state.clone(), &empty), state);
        assert_eq!(
            keep(with("delete", "2s").clone(), &Value::Null).get(BLOCK),
            &Value::Null
        );
        let kept = keep(state, &with("delete", "2s"));
        assert_eq!(entry(&kept, "delete"), Some("2s"));
    }

    #[test]
    fn a_schema_keeps_its_own_block() {
        let s = with_timeouts(Schema::new("x"), "10m", "");
        assert!(s.blocks.contains_key(BLOCK));
        let own = Schema::new("y").attr(BLOCK, Attribute::optional(Type::String));
        assert!(!with_timeouts(own, "10m", "").blocks.contains_key(BLOCK));
    }
}
