//! `local_value`: a value kept in state, Plinth's `terraform_data`.
//!
//! It manages no external object, so read returns the state unchanged and apply is pure
//! computation: no I/O, no locks, no blocking pool. That matters — the engine benchmarks graphs of
//! 10,000 of them. Planning follows `terraform_data` exactly, so configurations port unchanged:
//! `output` is unknown in the plan whenever `input` changes (including on create) and null when
//! `input` is null; a change to `triggers_replace` replaces the instance (a new `id`).

use std::sync::LazyLock;

use plinth_sdk::plan::{default_plan, same};
use plinth_sdk::{Attribute, PlanResponse, ProviderError, Schema, Type, Value};

use crate::support::set;

pub const TYPE_NAME: &str = "local_value";

static SCHEMA: LazyLock<Schema> = LazyLock::new(|| {
    Schema::new(
        "A value stored in state, with no external object (Terraform's `terraform_data`). Use it to \
         carry a value through the lifecycle of resources (`output` follows `input`), or as a \
         `replace_triggered_by` target whose replacement is driven by `triggers_replace`.",
    )
    // Apply only copies `input` to `output` and makes an id: nothing outside the state changes.
    .state_only()
    .attr(
        "input",
        Attribute::optional(Type::Any).describe(
            "Any value. It is copied to `output` at apply; a change is an update in place, during which \
             `output` is unknown in the plan.",
        ),
    )
    .attr(
        "output",
        Attribute::computed(Type::Any).describe(
            "The value of `input` after apply. Unknown in the plan whenever `input` changes, so \
             references to it see the change; null when `input` is null.",
        ),
    )
    .attr(
        "triggers_replace",
        Attribute::optional(Type::Any).force_new().describe(
            "Any value. A change to it replaces this instance (a new `id`), which can drive \
             `replace_triggered_by` of other resources.",
        ),
    )
    .attr(
        "id",
        Attribute::computed(Type::String).describe("A unique identifier, generated at create (a random UUID)."),
    )
});

/// The resource schema.
pub fn schema() -> &'static Schema {
    &SCHEMA
}

pub(crate) fn plan(prior: Option<&Value>, config: &Value) -> PlanResponse {
    let mut resp = default_plan(schema(), prior, config);
    let input = config.get("input");
    let input_changed = match prior {
        Some(prior) if resp.requires_replace.is_empty() => !same(prior.get("input"), input),
        _ => true,
    };
    if input.is_null() {
        set(&mut resp.planned, "output", input.clone());
    } else if input_changed {
        set(&mut resp.planned, "output", Value::Unknown);
    }
    resp
}

pub(crate) fn apply(prior: Option<&Value>, planned: Option<Value>) -> Result<Option<Value>, ProviderError> {
    let Some(mut state) = planned else {
        return Ok(None);
    };
    let input = state.get("input").clone();
    if input.contains_unknown() {
        return Err(ProviderError::with_code(
            "EINVAL",
            "input is not known yet; it must be known when the change is applied",
        ));
    }
    set(&mut state, "output", input);
    let id = match prior.map(|p| p.get("id")) {
        Some(Value::String(id)) if !state.get("id").is_unknown() => Value::String(id.clone()),
        _ => Value::String(uuid::Uuid::new_v4().to_string()),
    };
    set(&mut state, "id", id);
    Ok(Some(state))
}

/// Adopts an id: the value starts empty (`input`, `output` and `triggers_replace` null).
pub(crate) fn import(id: &str) -> Value {
    Value::object([
        ("id", Value::string(id)),
        ("input", Value::Null),
        ("output", Value::Null),
        ("triggers_replace", Value::Null),
    ])
}
