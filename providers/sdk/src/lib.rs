//! The provider contract of Plinth.
//!
//! This crate owns what a provider and the engine agree on: the [`Value`] type that flows between
//! them (with the two marks, unknown and sensitive), resource [`schema`]s, the request/response
//! structs of the [`Provider`] trait, and the standard planning rule ([`plan::default_plan`]) most
//! resources build on. It deliberately knows nothing of HCL, the graph, state files or the CLI:
//! the engine depends on this crate, never the other way round.

pub mod convert;
pub mod files;
pub mod idempotency;
pub mod number;
pub mod plan;
pub mod provider;
pub mod schema;
pub mod timeouts;
pub mod value;

pub use idempotency::idempotency_token;
pub use number::Number;
pub use provider::*;
pub use schema::{Attribute, BlockSchema, Nesting, ProviderSchema, Schema, Unsupported};
pub use value::{AttrPath, Map, PathStep, Type, Value};
