//! The clone guard: an environment cloned from another must not manage the same real objects.
//!
//! Each resource type's schema names its identity attributes (a file's `path`, a table's
//! `database` and `name`). Before a cloned environment is planned or applied, every planned
//! instance whose identity is known is compared with the source environment's recorded
//! instances; a match is an error unless the address was allowed to be shared.

use std::collections::HashMap;

use plinth_sdk::{Schema, Value};

use super::{Action, Plan};
use crate::addrs::Address;
use crate::config::Mode;
use crate::diag::Diagnostic;
use crate::graph::walk::Providers;
use crate::state::State;
use crate::state::values::from_stored;

/// The identity of an instance: its type and the values of its identity attributes, or `None`
/// when the type has none or one of them is not known yet.
pub fn identity(type_name: &str, value: &Value, schema: &Schema) -> Option<String> {
    if schema.identity.is_empty() {
        return None;
    }
    let mut parts = vec![type_name.to_string()];
    for attr in &schema.identity {
        let v = value.get(attr);
        if v.is_null() || v.contains_unknown() || v.contains_sensitive() {
            return None;
        }
        parts.push(v.to_json().to_string());
    }
    Some(parts.join("\u{1f}"))
}

fn schema_for<'a>(providers: &'a Providers, provider_key: &str, type_name: &str) -> Option<&'a Schema> {
    let provider = crate::config::providers::name_of(provider_key).to_string();
    providers
        .resource_schemas
        .get(&(provider, Mode::Managed, type_name.to_string()))
        .map(|s| s.as_ref())
}

/// Errors for every instance of `plan` (made for environment `env`) that would manage an object
/// `source` (environment `source_env`) already manages, except the `allowed` addresses.
pub fn check(
    plan: &Plan,
    env: &str,
    source: &State,
    source_env: &str,
    providers: &Providers,
    allowed: &[String],
) -> Vec<Diagnostic> {
    let mut taken: HashMap<String, &str> = HashMap::new();
    for (addr, rs) in &source.resources {
        if rs.mode != "managed" {
            continue;
        }
        if let Some(schema) = schema_for(providers, &rs.provider, &rs.type_name)
            && let Some(id) = identity(&rs.type_name, &from_stored(rs), schema)
        {
            taken.insert(id, addr);
        }
    }
    // An allowed address that does not parse names no instance.
    let allowed: Vec<Address> = allowed.iter().filter_map(|a| Address::parse(a).ok()).collect();
    let mut out = Vec::new();
    for c in &plan.changes {
        if matches!(c.action, Action::Delete | Action::Read) || allowed.iter().any(|a| a.targets(c.instance())) {
            continue;
        }
        let (Some(after), Some(schema)) = (c.planned(), schema_for(providers, &c.provider, &c.type_name)) else {
            continue;
        };
        let Some(id) = identity(&c.type_name, after, schema) else {
            continue;
        };
        if let Some(src_addr) = taken.get(&id) {
            let attrs: Vec<String> = schema
                .identity
                .iter()
                .map(|a| format!("{a} = {}", after.get(a)))
                .collect();
            out.push(
                Diagnostic::error(format!(
                    "{} in environment {env:?} would manage the same object as {src_addr} in {source_env:?}",
                    c.address
                ))
                .with_detail(format!(
                    "both have {}; derive the name from env.name (for example \"${{env.name}}-...\") so each environment gets its own, or clone with --allow-shared {} if sharing is intended",
                    attrs.join(", "),
                    c.address
                ))
                .with_address(c.address.clone()),
            );
        }
    }
    out
}
