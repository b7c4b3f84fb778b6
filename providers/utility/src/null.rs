//! The `null` provider: `null_resource`, a resource that manages nothing. Its only use is its
//! lifecycle: a change to `triggers` replaces it (a new `id`), which `depends_on` and
//! `replace_triggered_by` of other resources can follow. Terraform's built-in `terraform_data` is
//! Plinth's `local_value` (provider `local`), not part of this provider.

use std::path::Path;
use std::sync::LazyLock;

use async_trait::async_trait;
use plinth_sdk::plan::default_plan;
use plinth_sdk::{Attribute, PlanResponse, ProviderError, Schema, Type, Value};

use crate::Family;
use crate::support::{set, string_map};

pub const RESOURCE: &str = "null_resource";

/// The `null` provider.
pub struct Null;

static SCHEMA: LazyLock<Schema> = LazyLock::new(|| {
    Schema::new("A resource that does nothing; a change to `triggers` replaces it.")
        .attr(
            "triggers",
            Attribute::optional(string_map())
                .force_new()
                .describe("Arbitrary string values; a change to any of them replaces the resource."),
        )
        .attr(
            "id",
            Attribute::computed(Type::String).describe("A random number (as a string), new with every replacement."),
        )
});

pub fn schema() -> &'static Schema {
    &SCHEMA
}

#[async_trait]
impl Family for Null {
    fn name(&self) -> &'static str {
        "null"
    }

    fn about(&self) -> &'static str {
        "`null_resource`, a resource that does nothing but get replaced when its `triggers` change. No settings."
    }

    fn resources(&self) -> Vec<(&'static str, &'static Schema)> {
        vec![(RESOURCE, schema())]
    }

    fn plan(
        &self,
        _working_dir: &Path,
        _type_name: &str,
        prior: Option<&Value>,
        config: &Value,
    ) -> Result<PlanResponse, ProviderError> {
        Ok(default_plan(schema(), prior, config))
    }

    async fn apply(
        &self,
        _working_dir: &Path,
        _type_name: &str,
        prior: Option<Value>,
        planned: Option<Value>,
    ) -> Result<Option<Value>, ProviderError> {
        let Some(mut state) = planned else {
            return Ok(None);
        };
        let id = match prior.as_ref().map(|p| p.get("id")) {
            Some(Value::String(id)) => id.clone(),
            // Terraform's id is a random 63-bit number, in decimal.
            _ => (rand::random::<u64>() >> 1).to_string(),
        };
        set(&mut state, "id", Value::String(id));
        Ok(Some(state))
    }
}
