//! Test-only fault injection in the apply path: a crash at a chosen point, to prove that what a
//! crash leaves behind converges without duplicates (see `docs/reliability.md`). Inert unless its
//! environment variable is set.
//!
//! `PLINTH_FAULT_KILL_AFTER_CREATE=ADDRESS` aborts the process (no unwinding, no destructors, no
//! flush: as a `kill -9` would) right after the provider's create of the instance at `ADDRESS`
//! returns successfully and before the state records it: the object exists on the platform and
//! nothing in the state says so.

use std::sync::OnceLock;

/// The variable that names the address to crash after.
pub const KILL_AFTER_CREATE: &str = "PLINTH_FAULT_KILL_AFTER_CREATE";

/// Called after each successful create: aborts when [`KILL_AFTER_CREATE`] names `address`.
pub fn after_create(address: &str) {
    static TARGET: OnceLock<Option<String>> = OnceLock::new();
    let target = TARGET.get_or_init(|| std::env::var(KILL_AFTER_CREATE).ok().filter(|t| !t.is_empty()));
    if target.as_deref() == Some(address) {
        eprintln!("{KILL_AFTER_CREATE}: aborting after the create of {address}, before state records it");
        std::process::abort();
    }
}
