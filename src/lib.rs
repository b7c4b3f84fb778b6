//! Plinth: declarative infrastructure-as-code for machine-learning platforms.
//!
//! The library holds the engine; `src/main.rs` is the CLI over it. See `docs/ARCHITECTURE.md`.

pub mod diag;
pub mod lang;
pub mod state;
