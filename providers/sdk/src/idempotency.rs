//! Idempotency tokens for creates: one derivation, shared by every provider, of a token that is
//! the same each time the engine asks for the same planned create (so that a create repeated after
//! a crash is recognized by the platform as the one already made) and different for any other;
//! and, for APIs without a token, the bookkeeping tags (`plinth:address`, `plinth:lineage`) a
//! provider sets at creation and the one rule by which a repeated create recognizes its object
//! from them ([`made_by`]). Which types use which is listed in `docs/reliability.md`.

use sha2::{Digest, Sha256};

use crate::value::Value;

/// What an unknown value is written as in the canonical form: a string no configuration or
/// platform value holds (it contains a NUL character).
const UNKNOWN: &str = "\u{0}plinth:unknown";

/// The tag naming the resource address an object was created for.
pub const ADDRESS_TAG: &str = "plinth:address";
/// The tag naming the lineage of the state an object was created for.
pub const LINEAGE_TAG: &str = "plinth:lineage";
/// The prefix of the bookkeeping tags: providers leave them out of the `tags` they read (as
/// AWS's own `aws:` tags), so that they never show as drift or in a plan.
pub const BOOKKEEPING_PREFIX: &str = "plinth:";

/// The bookkeeping tags of the create of `address` in the state of `lineage` (see
/// [`crate::ApplyRequest::lineage`]); none when `lineage` is empty (no state: nothing to adopt
/// by later).
pub fn bookkeeping_tags(lineage: &str, address: &str) -> Vec<(&'static str, String)> {
    if lineage.is_empty() {
        return Vec::new();
    }
    vec![(ADDRESS_TAG, address.to_string()), (LINEAGE_TAG, lineage.to_string())]
}

/// Whether the tags `(key, value)` read from an object say that the create of `address` in the
/// state of `lineage` made it: both bookkeeping tags hold exactly these. Never when `lineage` is
/// empty.
pub fn made_by<'a>(
    lineage: &str,
    address: &str,
    tags: impl IntoIterator<Item = (Option<&'a str>, Option<&'a str>)>,
) -> bool {
    if lineage.is_empty() {
        return false;
    }
    let (mut found_address, mut found_lineage) = (false, false);
    for (k, v) in tags {
        match (k, v) {
            (Some(ADDRESS_TAG), Some(v)) => found_address = v == address,
            (Some(LINEAGE_TAG), Some(v)) => found_lineage = v == lineage,
            _ => {}
        }
    }
    found_address && found_lineage
}

/// The idempotency token of the create of `address` planned as `planned`, in the state of
/// `lineage` (see [`crate::ApplyRequest::lineage`]).
///
/// The token is a hash of the three, written as a UUID (36 characters: lowercase hex digits and
/// `-`), which fits every client token Plinth passes: EC2's `ClientToken` (at most 64 ASCII
/// characters), and the APIs that require at most 36 characters or a UUID's shape. It is
/// deterministic over the known parts of `planned`: maps are taken in key order, unknown values
/// are written as one fixed marker, sensitive values are hashed like the others (never sent in
/// clear: only the hash leaves the process). The same planned create in a later run gives the
/// same token; a different lineage, address or known planned value gives a different one.
///
/// A provider that finds the token already used by an object deleted since (a replacement with
/// the same values as the object it replaces) derives the next one with an address of
/// `"{address}#{n}"`, n = 1, 2, ...: deterministic as well, so that a crash during a replacement
/// is recognized too.
pub fn idempotency_token(lineage: &str, address: &str, planned: &Value) -> String {
    let mut h = Sha256::new();
    // Lengths first, so that no two different (lineage, address) pairs write the same bytes.
    for part in [lineage, address] {
        h.update((part.len() as u64).to_be_bytes());
        h.update(part.as_bytes());
    }
    h.update(canonical(planned).to_string().as_bytes());
    let d = h.finalize();
    let hex: String = d.iter().take(16).map(|b| format!("{b:02x}")).collect();
    format!(
        "{}-{}-{}-{}-{}",
        &hex[0..8],
        &hex[8..12],
        &hex[12..16],
        &hex[16..20],
        &hex[20..32]
    )
}

/// Canonical JSON of `v`: maps in key order (a `BTreeMap` already is), unknowns as [`UNKNOWN`],
/// sensitive values unwrapped.
fn canonical(v: &Value) -> serde_json::Value {
    use serde_json::Value as J;
    match v {
        Value::Unknown => J::String(UNKNOWN.to_string()),
        Value::Sensitive(inner) => canonical(inner),
        Value::List(items) => J::Array(items.iter().map(canonical).collect()),
        Value::Map(m) => {
            // Written as an array of pairs, so that the order never depends on how serde_json
            // keeps object keys.
            J::Array(
                m.iter()
                    .map(|(k, v)| J::Array(vec![J::String(k.clone()), canonical(v)]))
                    .collect(),
            )
        }
        other => other.to_json(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn planned(ami: &str) -> Value {
        Value::object([
            ("id", Value::Unknown),
            ("ami", Value::string(ami)),
            ("password", Value::string("s").mark()),
            ("tags", Value::object([("Name", Value::string("web"))])),
        ])
    }

    #[test]
    fn the_same_planned_create_gives_the_same_token() {
        let a = idempotency_token("lin-1", "aws_instance.web", &planned("ami-1"));
        assert_eq!(a, idempotency_token("lin-1", "aws_instance.web", &planned("ami-1")));
        assert_eq!(a.len(), 36);
        assert!(a.chars().all(|c| c.is_ascii_hexdigit() || c == '-'), "{a}");
        assert_eq!(a.matches('-').count(), 4);
    }

    #[test]
    fn anything_else_gives_another_token() {
        let a = idempotency_token("lin-1", "aws_instance.web", &planned("ami-1"));
        for other in [
            idempotency_token("lin-2", "aws_instance.web", &planned("ami-1")),
            idempotency_token("lin-1", "aws_instance.db", &planned("ami-1")),
            idempotency_token("lin-1", "aws_instance.web#1", &planned("ami-1")),
            idempotency_token("lin-1", "aws_instance.web", &planned("ami-2")),
            // An unknown is not a null, nor the marker's text without its NUL.
            idempotency_token("lin-1", "aws_instance.web", &Value::object([("id", Value::Null)])),
            idempotency_token("lin-1", "aws_instance.web", &Value::object([("id", Value::Unknown)])),
        ] {
            assert_ne!(a, other);
        }
        assert_ne!(
            idempotency_token("l", "a", &Value::object([("id", Value::Null)])),
            idempotency_token("l", "a", &Value::object([("id", Value::Unknown)])),
        );
        // The boundary between lineage and address is part of what is hashed.
        assert_ne!(
            idempotency_token("ab", "c", &Value::Null),
            idempotency_token("a", "bc", &Value::Null)
        );
    }

    #[test]
    fn bookkeeping_tags_name_the_create_and_only_both_recognize_it() {
        assert!(bookkeeping_tags("", "a.b").is_empty());
        let tags = bookkeeping_tags("lin", "mlflow_experiment.e");
        let pairs = || tags.iter().map(|(k, v)| (Some(*k), Some(v.as_str())));
        assert!(made_by("lin", "mlflow_experiment.e", pairs()));
        assert!(!made_by("lin", "mlflow_experiment.f", pairs()));
        assert!(!made_by("other", "mlflow_experiment.e", pairs()));
        assert!(!made_by("", "mlflow_experiment.e", pairs()));
        assert!(!made_by("lin", "mlflow_experiment.e", pairs().take(1)));
    }
}
