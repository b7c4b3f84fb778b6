//! The providers of this run, by name. The engine names no provider crate: the `plinth` binary
//! passes its build's list (`plinth_builtin::all`, one Cargo feature per provider) to
//! `cli::main`, which installs it here once, before any command runs; tests and other library
//! users pass theirs to the `_with` functions of `workspace` instead. So the engine compiles beside
//! the provider crates rather than after them (docs/performance.md, "Build time").

use std::sync::OnceLock;

pub use plinth_sdk::Factory;

static INSTALLED: OnceLock<Vec<(&'static str, Factory)>> = OnceLock::new();

/// Makes `providers` the ones `all` returns, for the rest of the process; a second call changes
/// nothing.
pub fn install(providers: Vec<(&'static str, Factory)>) {
    let _ = INSTALLED.set(providers);
}

/// The installed providers, by name, in their list's order (none before `install`).
pub fn all() -> &'static [(&'static str, Factory)] {
    INSTALLED.get().map_or(&[], Vec::as_slice)
}
