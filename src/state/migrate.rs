//! Moving every environment's state from one backend to another (`plinth init -migrate-state`).
//!
//! [`migrate`] works on two [`Store`]s and nothing else, so it moves state between any pair of
//! backends. It first takes the lock of every environment on both sides and reads everything,
//! and refuses before writing anything when a destination environment holds a state of another
//! lineage, or a newer one of the same lineage. Then it copies the shared keys (a destination
//! that already has different ones is refused: the keyed hashes in state would no longer match),
//! each environment's settings files, and each state with its lineage and serial kept. The source
//! is left as it was, as Terraform leaves it.

use super::{Backend, LockGuard, State, StateError, Store};

/// The keys every user of a backend shares, copied first.
const SHARED_KEYS: [&str; 2] = ["hash.key", "utility.key"];
/// The settings files of an environment.
const ENV_FILES: [&str; 2] = ["env.json", "vars.json"];

/// What was moved: each environment and how many resource instances its state holds.
#[derive(Debug, Default)]
pub struct Migrated {
    pub environments: Vec<(String, usize)>,
}

/// One environment read and locked on both sides.
struct Env {
    name: String,
    state: State,
    /// The destination's state already is this one (an earlier migration that finished).
    done: bool,
    dst: Box<dyn Backend>,
    _locks: [Box<dyn LockGuard>; 2],
}

fn empty(s: &State) -> bool {
    s.serial == 0 && s.resources.is_empty() && s.outputs.is_empty()
}

/// Copies every environment of `from` into `to` (see the module comment).
pub fn migrate(from: &dyn Store, to: &dyn Store) -> Result<Migrated, StateError> {
    let (src_name, dst_name) = (from.describe(), to.describe());
    let mut names = from.environments()?;
    if !names.iter().any(|e| e == "default") {
        names.insert(0, "default".to_string());
    }
    let mut envs = Vec::with_capacity(names.len());
    for name in names {
        let src = from.open(&name)?;
        let src_lock = src.lock("migrate-state")?;
        let state = src.load()?;
        if !to.exists(&name)? {
            to.create(&name)?;
        }
        let dst = to.open(&name)?;
        let dst_lock = dst.lock("migrate-state")?;
        let there = dst.load()?;
        let done = !empty(&there) && there == state;
        if !empty(&there) && !done {
            if there.lineage != state.lineage {
                return Err(StateError::Other(format!(
                    "environment {name:?} in {dst_name} already holds a state of another lineage ({}, serial {}) than the one in {src_name} ({}): they are not the same infrastructure. Nothing was copied. Delete that state or point the backend elsewhere, then run `plinth init -migrate-state` again",
                    there.lineage, there.serial, state.lineage
                )));
            }
            if there.serial > state.serial {
                return Err(StateError::Other(format!(
                    "environment {name:?} in {dst_name} holds a newer state (serial {}) than {src_name} (serial {}). Nothing was copied. Use the new backend as it is with `plinth init -reconfigure`",
                    there.serial, state.serial
                )));
            }
        }
        envs.push(Env {
            name,
            state,
            done,
            dst,
            _locks: [src_lock, dst_lock],
        });
    }
    for key in SHARED_KEYS {
        let ours = from.shared_key(key, None)?;
        if to.shared_key(key, Some(&ours))? != ours {
            return Err(StateError::Other(format!(
                "{dst_name} already has its own {key}, different from {src_name}'s: the keyed hashes of sensitive values in the states would no longer match. Nothing but the keys check was done; move the states into a backend without keys"
            )));
        }
    }
    let mut migrated = Migrated::default();
    for mut env in envs {
        for file in ENV_FILES {
            if let Some(data) = from.read_file(&env.name, file)? {
                to.write_file(&env.name, file, &data)?;
            }
        }
        let count = env.state.resources.len();
        if !env.done && !empty(&env.state) {
            // `persist` writes the serial after the highest it knows; starting one below keeps
            // the source's serial on a destination that had none.
            let serial = env.state.serial;
            env.state.serial = serial.saturating_sub(1);
            env.dst.persist(&mut env.state)?;
        }
        migrated.environments.push((env.name, count));
    }
    Ok(migrated)
}
