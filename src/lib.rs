//! Plinth: declarative infrastructure-as-code for machine-learning platforms.
//!
//! The library holds the engine; `src/main.rs` is the CLI over it. See `docs/ARCHITECTURE.md`.

pub mod addrs;
pub mod apply;
pub mod cli;
pub mod config;
pub mod diag;
pub mod graph;
pub mod lang;
pub mod plan;
pub mod registry;
pub mod secrets;
pub mod state;
pub mod time;
