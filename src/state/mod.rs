//! State: what Plinth last knew of each resource instance, and the backends that keep it.
//!
//! The state is JSON with `version`, `lineage` (fixed at creation) and `serial` (bumped on every
//! snapshot). Sensitive attribute values are never stored: the attribute holds `null` and
//! `sensitive` maps its path to a keyed hash, enough to notice a change. A [`Backend`] stores one
//! state per environment, locks it, and records finished changes through a [`Journal`] whose cost
//! per change does not grow with the size of the state.

mod blocking;
pub mod local;
pub mod lock;
pub mod migrate;
pub mod ops;
pub mod postgres;
#[cfg(feature = "aws")]
pub mod s3;
pub mod store;
pub mod values;

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::secrets::encryption::Cipher;

/// The current state format version.
pub const STATE_VERSION: u32 = 1;

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct State {
    pub version: u32,
    pub lineage: String,
    pub serial: u64,
    /// Resource instances by full address (`module.a.local_file.b[0]`), sorted.
    #[serde(default, deserialize_with = "packed_map")]
    pub resources: BTreeMap<String, ResourceState>,
    /// Root module outputs.
    #[serde(default)]
    pub outputs: BTreeMap<String, OutputState>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ResourceState {
    /// `managed` or `data`.
    pub mode: String,
    #[serde(rename = "type")]
    pub type_name: String,
    /// The provider configuration that manages it: `local`, or `aws.west` for an alias.
    pub provider: String,
    /// The attribute values, with sensitive ones replaced by `null`.
    #[serde(deserialize_with = "compact_json")]
    pub attributes: serde_json::Value,
    /// Sensitive attribute paths (`password`, `columns[0].name`) mapped to a keyed hash.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub sensitive: BTreeMap<String, String>,
    /// Resource addresses (without instance keys) this instance depended on when last applied.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub dependencies: Vec<String>,
    /// Created under `create_before_destroy`.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub create_before_destroy: bool,
    /// The object was created but its create did not finish (a rollout that timed out, say): it
    /// exists, so state keeps it, and the next plan replaces it (Terraform's *tainted*). Also set
    /// by `plinth taint`, cleared by `plinth untaint` and by a successful replacement.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub tainted: bool,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct OutputState {
    /// The value (`null` when sensitive; see `sensitive_hash`).
    pub value: serde_json::Value,
    /// The Terraform-style type name (`string`, `number`, `bool`, `list`, `object`).
    #[serde(rename = "type")]
    pub type_name: String,
    pub sensitive: bool,
}

/// Parses a JSON value whose objects and arrays hold no spare capacity. `serde_json` grows an
/// object entry by entry, to the capacity of its index table: an object of 4 attributes keeps
/// room for 7 (784 bytes of entries instead of 448), once per instance a state holds.
fn compact_json<'de, D: serde::Deserializer<'de>>(d: D) -> Result<serde_json::Value, D::Error> {
    fn compact(v: serde_json::Value) -> serde_json::Value {
        use serde_json::Value as J;
        match v {
            J::Object(m) => {
                let mut out = serde_json::Map::with_capacity(m.len());
                out.extend(m.into_iter().map(|(k, v)| (k, compact(v))));
                J::Object(out)
            }
            J::Array(a) => {
                let mut out = Vec::with_capacity(a.len());
                out.extend(a.into_iter().map(compact));
                J::Array(out)
            }
            v => v,
        }
    }
    serde_json::Value::deserialize(d).map(compact)
}

/// Parses a JSON object into a `BTreeMap` whose nodes are full. Inserting entries one by one, in
/// order, as `serde` does, splits each full node in two and leaves it with 7 of its 11 slots
/// used: 35% of the map's memory, 14 MB of a 100,000-instance state. Built at once from the
/// entries instead, as `collect` builds it; a key given twice keeps its last value either way.
fn packed_map<'de, D, V>(d: D) -> Result<BTreeMap<String, V>, D::Error>
where
    D: serde::Deserializer<'de>,
    V: Deserialize<'de>,
{
    struct Entries<V>(std::marker::PhantomData<V>);
    impl<'de, V: Deserialize<'de>> serde::de::Visitor<'de> for Entries<V> {
        type Value = BTreeMap<String, V>;
        fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
            f.write_str("a map")
        }
        fn visit_map<A: serde::de::MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
            let mut entries = Vec::with_capacity(map.size_hint().unwrap_or(0));
            while let Some(entry) = map.next_entry::<String, V>()? {
                entries.push(entry);
            }
            Ok(entries.into_iter().collect())
        }
    }
    d.deserialize_map(Entries(std::marker::PhantomData))
}

impl State {
    /// A new, empty state with a fresh lineage.
    pub fn new() -> Self {
        State {
            version: STATE_VERSION,
            lineage: uuid::Uuid::new_v4().to_string(),
            serial: 0,
            resources: BTreeMap::new(),
            outputs: BTreeMap::new(),
        }
    }

    pub fn apply_entry(&mut self, entry: JournalEntry) {
        match entry {
            JournalEntry::Set { address, resource } => {
                self.resources.insert(address, *resource);
            }
            JournalEntry::Remove { address } => {
                self.resources.remove(&address);
            }
            JournalEntry::Outputs { outputs } => self.outputs = outputs,
            // Replaying is idempotent: a move never lands on an object (the planner refuses it),
            // so an object already at `to` means the move was made, and whatever is at `from`
            // now was put there after it.
            JournalEntry::Move { from, to } => {
                if !self.resources.contains_key(&to)
                    && let Some(r) = self.resources.remove(&from)
                {
                    self.resources.insert(to, r);
                }
            }
        }
    }
}

impl Default for State {
    fn default() -> Self {
        State::new()
    }
}

/// One finished change, as recorded in a journal.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "op", rename_all = "snake_case")]
pub enum JournalEntry {
    Set {
        address: String,
        resource: Box<ResourceState>,
    },
    Remove {
        address: String,
    },
    Outputs {
        outputs: BTreeMap<String, OutputState>,
    },
    /// A `moved` block's rename: the object at `from` is now at `to`. One entry, so a crash never
    /// leaves the object at both addresses or at neither.
    Move {
        from: String,
        to: String,
    },
}

/// Errors from state backends.
#[derive(Debug, thiserror::Error)]
pub enum StateError {
    /// Another process holds the lock.
    #[error(
        "the state for environment {env:?} is locked by another Plinth process ({holder}); wait for it to finish (--lock-timeout waits for it), or run `plinth force-unlock {id}` if it is gone",
        id = holder.id
    )]
    Locked { env: String, holder: Box<LockInfo> },
    /// The state file is not valid JSON of the expected shape.
    #[error(
        "the state file {path} is corrupt: {message}; restore it from {path}.backup or `plinth state push` a good copy"
    )]
    Corrupt { path: String, message: String },
    /// The state was written by a newer Plinth.
    #[error(
        "the state file {path} has version {found}, newer than this Plinth understands ({STATE_VERSION}); upgrade Plinth"
    )]
    TooNew { path: String, found: u32 },
    /// The state is encrypted and this run has no key.
    #[error(
        "the state is encrypted ({path}): configure plinth {{ encryption {{ key = ... }} }} with the key it was written with"
    )]
    Encrypted { path: String },
    /// The configured key does not open the state.
    #[error("the encryption key does not decrypt the state ({path}): wrong key? {detail}")]
    WrongKey { path: String, detail: String },
    /// A read or write failed.
    #[error("{context}: {source}")]
    Io {
        context: String,
        #[source]
        source: std::io::Error,
    },
    /// Anything else a backend reports.
    #[error("{0}")]
    Other(String),
}

/// A held lock; dropping it releases the lock.
pub trait LockGuard: Send {}

/// Records finished changes durably: when `record` returns Ok, the entries survive a crash.
pub trait Journal: Send {
    fn record(&mut self, entries: &[JournalEntry]) -> Result<(), StateError>;
}

/// Where one environment's state lives.
pub trait Backend: Send + Sync {
    /// Takes the exclusive lock for `operation` (`apply`, `state rm`, ...), or fails at once with
    /// [`StateError::Locked`] naming the holder when it is held elsewhere.
    fn try_lock(&self, operation: &str) -> Result<Box<dyn LockGuard>, StateError>;
    /// How long [`Backend::lock`] waits for a held lock (`--lock-timeout`; zero fails at once).
    fn lock_timeout(&self) -> std::time::Duration {
        std::time::Duration::ZERO
    }
    /// Takes the lock, waiting up to [`Backend::lock_timeout`] for its holder (see
    /// [`lock::wait_for_lock`]); what every command that changes state calls.
    fn lock(&self, operation: &str) -> Result<Box<dyn LockGuard>, StateError> {
        lock::wait_for_lock(self, operation, self.lock_timeout(), &mut lock::tell_once_on_stderr())
    }
    /// Whether a lock can outlive its holder here (then `plinth force-unlock ID` breaks it with
    /// [`Backend::force_unlock`]). Locks that the operating system or the database release when
    /// the holder dies (local, postgres) never can.
    fn lock_can_be_stale(&self) -> bool {
        false
    }
    /// Breaks the lock `id` whose holder is gone. Only backends whose locks can be stale do.
    fn force_unlock(&self, id: &str) -> Result<(), StateError> {
        Err(StateError::Other(format!(
            "lock {id} cannot be broken: this backend's lock is released as soon as its holder exits, even when it is killed; stop the holder instead"
        )))
    }
    /// Loads the state (a new empty one when none exists), including journaled changes.
    fn load(&self) -> Result<State, StateError>;
    /// Opens a journal for the changes of one run.
    fn journal(&self) -> Result<Box<dyn Journal>, StateError>;
    /// Writes a full snapshot with `serial` bumped, keeps a backup of the previous one, and
    /// clears the journal. Returns the new serial.
    fn persist(&self, state: &mut State) -> Result<u64, StateError>;
    /// [`Backend::persist`] for a caller that has applied to `state`, after everything else, every
    /// entry the journal it opened recorded (apply does, when no later change overrides a
    /// journaled one). A backend that knows its journal holds nothing but those entries need not
    /// read it back to check that replaying it over the new snapshot changes nothing.
    fn persist_journaled(&self, state: &mut State) -> Result<u64, StateError> {
        self.persist(state)
    }
    /// The key this backend seals state with, if any (plan files of the environment are sealed
    /// with it too).
    fn cipher(&self) -> Option<&Cipher>;
    /// The backup of the previous snapshot, as stored (sealed when the state is encrypted), if
    /// there is one.
    fn backup(&self) -> Result<Option<Vec<u8>>, StateError>;
}

/// A boxed backend is a backend, so that what [`open_backend`] returns goes wherever a
/// `&dyn Backend` does.
impl<B: Backend + ?Sized> Backend for Box<B> {
    fn try_lock(&self, operation: &str) -> Result<Box<dyn LockGuard>, StateError> {
        (**self).try_lock(operation)
    }
    fn lock_timeout(&self) -> std::time::Duration {
        (**self).lock_timeout()
    }
    fn lock(&self, operation: &str) -> Result<Box<dyn LockGuard>, StateError> {
        (**self).lock(operation)
    }
    fn lock_can_be_stale(&self) -> bool {
        (**self).lock_can_be_stale()
    }
    fn force_unlock(&self, id: &str) -> Result<(), StateError> {
        (**self).force_unlock(id)
    }
    fn load(&self) -> Result<State, StateError> {
        (**self).load()
    }
    fn journal(&self) -> Result<Box<dyn Journal>, StateError> {
        (**self).journal()
    }
    fn persist(&self, state: &mut State) -> Result<u64, StateError> {
        (**self).persist(state)
    }
    fn persist_journaled(&self, state: &mut State) -> Result<u64, StateError> {
        (**self).persist_journaled(state)
    }
    fn cipher(&self) -> Option<&Cipher> {
        (**self).cipher()
    }
    fn backup(&self) -> Result<Option<Vec<u8>>, StateError> {
        (**self).backup()
    }
}

pub use lock::LockInfo;
pub use store::{BackendKind, BackendSettings, Store, open_backend, open_store};
