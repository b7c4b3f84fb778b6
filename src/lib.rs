//! Plinth: declarative infrastructure-as-code for machine-learning platforms.
//!
//! The library holds the engine; `src/main.rs` and `src/cli/` are the CLI over it (part of the
//! binary, not of this library). See `docs/ARCHITECTURE.md`.

pub mod addrs;
pub mod apply;
pub mod config;
pub mod diag;
pub mod docs;
pub mod graph;
pub mod interrupt;
pub mod lang;
pub mod plan;
pub mod registry;
pub mod secrets;
pub mod state;
pub mod style;
pub mod time;
pub mod workspace;
