//! Reference documentation generated from code, so that it cannot drift from what the code does:
//! the providers' schemas in Terraform's JSON shape (`schema_json`, printed by `plinth providers
//! schema --json`), their markdown tables on the pages of `docs/providers/` (`tables`), a module's
//! inputs and outputs as markdown (`module`, printed by `plinth module doc` and placed in each
//! `modules/<block>/<platform>/README.md`), and the rewriting of the generated parts of those
//! checked-in pages (`pages`), which `tests/generated_docs.rs` runs to check or bless them.
//!
//! It reads schemas and loaded configurations and never touches the network; writing files is the
//! caller's business (the test's bless mode).

pub mod module;
pub mod pages;
pub mod schema_json;
pub mod tables;

use plinth_sdk::ProviderSchema;

use crate::registry::Factory;

/// One built-in provider's schema with its names.
pub struct ProviderDoc {
    /// The name configurations use (`aws`, `random`).
    pub name: &'static str,
    /// The source address it is listed under (see [`source_address`]).
    pub address: String,
    /// Its reference page, relative to the repository root.
    pub page: String,
    pub schema: ProviderSchema,
}

/// The source address of a built-in provider in `providers schema --json`: the HashiCorp
/// provider whose types and arguments it follows (`registry.terraform.io/hashicorp/aws`), so that
/// tools written for Terraform find them under the address they know; Plinth's own `mlflow`, which
/// has no HashiCorp counterpart, under the `plinth` namespace.
pub fn source_address(name: &str) -> String {
    let namespace = match name {
        "mlflow" => "plinth",
        _ => "hashicorp",
    };
    format!("registry.terraform.io/{namespace}/{name}")
}

/// The reference page of a built-in provider: `docs/providers/NAME.md`, the five utility
/// providers sharing `docs/providers/utility.md`.
pub fn reference_page(name: &str) -> String {
    let page = match name {
        "random" | "null" | "time" | "tls" | "archive" => "utility",
        other => other,
    };
    format!("docs/providers/{page}.md")
}

/// Every provider of `registry` (`registry::all()`: this run's) with its schema, in its order.
pub fn providers(registry: &[(&'static str, Factory)]) -> Vec<ProviderDoc> {
    registry
        .iter()
        .map(|&(name, make)| ProviderDoc {
            name,
            address: source_address(name),
            page: reference_page(name),
            schema: make().schema(),
        })
        .collect()
}
