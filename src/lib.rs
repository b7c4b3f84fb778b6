//! Plinth: declarative infrastructure-as-code for machine-learning platforms.
//!
//! The library holds the engine and, in `cli`, the command line over it (`src/main.rs` only sets
//! the allocator and calls `cli::main`; no engine module uses `cli`). See `docs/ARCHITECTURE.md`.

pub mod addrs;
pub mod apply;
pub mod cli;
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
