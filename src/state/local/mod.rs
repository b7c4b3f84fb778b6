//! The local backend: one state per environment in `<root>/.plinth/env/<env>/`, beside the
//! configuration.
//!
//! ```text
//! .plinth/env/<env>/
//!   state.json          the last snapshot (pretty JSON, deterministic order)
//!   state.json.backup   the snapshot before it
//!   journal.jsonl       changes recorded since that snapshot, one JournalEntry per line
//!   lock                held with an OS file lock; holds the holder's pid, host and start time
//! ```
//!
//! **Nothing recorded is lost.** [`Journal::record`] appends one batch and fsyncs once, so its
//! cost does not depend on the size of the state; [`Backend::load`] replays the journal over the
//! snapshot, ignoring a torn last line (a crash mid-write). [`Backend::persist`] writes the whole
//! snapshot to a temporary file, fsyncs it, keeps the previous snapshot as the backup (a hard link,
//! so `state.json` is never missing), renames the new one into place, fsyncs the directory, and
//! only then empties the journal. Because a crash can fall between the rename and the emptying,
//! persist first makes sure that replaying the journal over the new snapshot changes nothing (see the
//! `persist` method).
//!
//! The lock is `File::try_lock` (flock on Unix): the OS drops it when the process dies, so there is
//! no stale lock to clean up after kill -9. The lock file is never deleted, because deleting a
//! flock'ed file lets two processes lock two different inodes under one name.
//!
//! **Encryption.** A backend made [`LocalBackend::with_cipher`] writes every snapshot, backup and
//! journal line sealed by [`crate::secrets::encryption`] (each journal line is its own envelope
//! with its own nonce, so appending stays cheap). Reading tells the two kinds apart by the
//! envelope's marker: a plain snapshot or journal line still loads when a key is configured, and
//! the next write seals it (migration; the backup made then is sealed too). Without a key an
//! encrypted state is an error that says how to configure one ([`StateError::Encrypted`]), and a
//! key that does not open it is [`StateError::WrongKey`]; an encrypted state is never overwritten
//! by a run without the key.
//!
//! This module does not know about addresses or the `plinth state` commands; see [`super::ops`].
//! Here are `LocalBackend` and the rules that tie the files together (`load`, `persist`);
//! `snapshot` reads and writes `state.json` and its backup, `journal` the journal, `lock` the lock.

mod journal;
mod lock;
mod snapshot;
mod store;

pub(crate) use snapshot::parse_state;
pub use store::LocalStore;

use std::collections::HashMap;
use std::fs::{self, File};
use std::io;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use super::{Backend, Journal, JournalEntry, LockGuard, ResourceState, STATE_VERSION, State, StateError};
use crate::secrets::encryption::{Cipher, is_sealed};

/// File names inside an environment's directory.
pub const STATE_FILE: &str = "state.json";
pub const BACKUP_FILE: &str = "state.json.backup";
pub const JOURNAL_FILE: &str = "journal.jsonl";
pub const LOCK_FILE: &str = "lock";

/// The directory that holds one environment's state: `<root>/.plinth/env/<env>`.
pub fn env_dir(root: &Path, env: &str) -> PathBuf {
    root.join(".plinth").join("env").join(env)
}

/// The environments that have a state directory under `root`, sorted by name.
pub fn environments(root: &Path) -> Vec<String> {
    let Ok(entries) = fs::read_dir(root.join(".plinth").join("env")) else {
        return Vec::new();
    };
    let mut envs: Vec<String> = entries
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_ok_and(|t| t.is_dir()))
        .filter_map(|e| e.file_name().into_string().ok())
        .filter(|name| valid_env_name(name))
        .collect();
    envs.sort();
    envs
}

/// Environment names become directory names, so they must not escape `.plinth/env/`.
pub(crate) fn valid_env_name(env: &str) -> bool {
    !env.is_empty() && !env.starts_with('.') && !env.contains(['/', '\\', '\0'])
}

/// The state of one environment kept in files beside the configuration.
#[derive(Clone, Debug)]
pub struct LocalBackend {
    dir: PathBuf,
    env: String,
    cipher: Option<Cipher>,
    lock_timeout: Duration,
    /// What this process wrote and read of the files (shared by clones and by the journals it
    /// opens), so that [`Backend::persist_journaled`] need not read them back.
    ledger: Arc<Mutex<Ledger>>,
}

/// What a [`LocalBackend`] knows of its files from its own reads and writes in this process.
#[derive(Debug, Default)]
struct Ledger {
    /// The bytes and entries appended by the journals this backend opened, when the journal was
    /// empty as they opened it (or persist emptied it since) and every write since succeeded;
    /// `None` when the journal may hold anything else.
    appended: Option<(u64, u64)>,
    /// The serial of the snapshot this backend last read or wrote (0: there was none).
    serial: Option<u64>,
}

impl LocalBackend {
    /// The end of both persists: `state` written as the snapshot with a serial above `current`
    /// (the serial of what is on disk, journal included), then the journal emptied.
    fn write_over(&self, state: &mut State, current: u64) -> Result<u64, StateError> {
        state.serial = state.serial.max(current).saturating_add(1);
        state.version = STATE_VERSION;
        super::ops::canonicalize(state);
        self.write_snapshot(state)?;
        self.clear_journal()?;
        Ok(state.serial)
    }

    /// The backend for environment `env` of the configuration in `root`. Nothing is created
    /// until the first lock, journal or persist.
    pub fn new(root: &Path, env: &str) -> Self {
        LocalBackend {
            dir: env_dir(root, env),
            env: env.to_string(),
            cipher: None,
            lock_timeout: Duration::ZERO,
            ledger: Arc::default(),
        }
    }

    /// The same backend, waiting up to `timeout` for a held lock.
    pub fn with_lock_timeout(mut self, timeout: Duration) -> Self {
        self.lock_timeout = timeout;
        self
    }

    /// The same backend, sealing what it writes with `cipher` (and reading sealed and plain files
    /// alike); `None` leaves it unencrypted.
    pub fn with_cipher(mut self, cipher: Option<Cipher>) -> Self {
        self.cipher = cipher;
        self
    }

    /// The environment's directory.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    pub fn env(&self) -> &str {
        &self.env
    }

    fn path(&self, name: &str) -> PathBuf {
        self.dir.join(name)
    }

    fn check_env(&self) -> Result<(), StateError> {
        if valid_env_name(&self.env) {
            Ok(())
        } else {
            Err(StateError::Other(format!(
                "invalid environment name {:?}: it must be non-empty, must not start with '.', and must not contain '/' or '\\'",
                self.env
            )))
        }
    }

    fn ensure_dir(&self) -> Result<(), StateError> {
        self.check_env()?;
        fs::create_dir_all(&self.dir).map_err(io_err(format!("creating {}", self.dir.display())))
    }
}

impl Backend for LocalBackend {
    fn try_lock(&self, operation: &str) -> Result<Box<dyn LockGuard>, StateError> {
        self.acquire_lock(operation)
    }

    fn lock_timeout(&self) -> Duration {
        self.lock_timeout
    }

    fn backup(&self) -> Result<Option<Vec<u8>>, StateError> {
        let path = self.path(BACKUP_FILE);
        match fs::read(&path) {
            Ok(b) => Ok(Some(b)),
            Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(None),
            Err(e) => Err(io_err(format!("reading {}", path.display()))(e)),
        }
    }

    fn load(&self) -> Result<State, StateError> {
        self.check_env()?;
        let mut state = self.read_snapshot()?.unwrap_or_default();
        let entries = self.read_journal()?;
        // Every journaled change moves the serial, so that a plan made before (or between)
        // crashed applies is seen as stale.
        state.serial = state.serial.saturating_add(entries.len() as u64);
        for entry in entries {
            state.apply_entry(entry);
        }
        Ok(state)
    }

    fn journal(&self) -> Result<Box<dyn Journal>, StateError> {
        self.open_journal()
    }

    /// Writes the snapshot, then empties the journal.
    ///
    /// The new serial is one more than the highest of `state.serial` and the serial a `load` now
    /// would report, so serials on disk only rise. A crash after the new snapshot is in place but
    /// before the journal is emptied makes the next load replay the old journal over the new
    /// snapshot; that is harmless when the journal's changes are already in `state` (the usual case:
    /// the caller applied what it journaled). When they are not (say `state rm` of a resource a
    /// crashed apply had journaled), the snapshot with the journal folded in is written and the
    /// journal emptied first, so that no stale journal can ever be replayed over `state`.
    fn persist(&self, state: &mut State) -> Result<u64, StateError> {
        self.ensure_dir()?;
        if self.cipher.is_none() {
            // Never replace an encrypted state (or fold in an encrypted journal) without the key.
            let state_path = self.path(STATE_FILE);
            if fs::read(&state_path).is_ok_and(|b| is_sealed(&b)) {
                return Err(StateError::Encrypted {
                    path: state_path.display().to_string(),
                });
            }
            if let Err(e @ StateError::Encrypted { .. }) = self.read_journal() {
                return Err(e);
            }
        }
        // A corrupt journal cannot be folded in; persisting (e.g. `state push --force`) replaces it.
        let entries = self.read_journal().unwrap_or_default();
        let mut current = self.snapshot_serial().unwrap_or(0).saturating_add(entries.len() as u64);
        if !entries.is_empty()
            && !replay_is_noop(state, &entries)
            && let Ok(base) = self.read_snapshot()
        {
            let mut base = base.unwrap_or_else(|| State {
                lineage: state.lineage.clone(),
                ..State::new()
            });
            for entry in entries {
                base.apply_entry(entry);
            }
            current = current.saturating_add(1);
            base.serial = current;
            super::ops::canonicalize(&mut base);
            self.write_snapshot(&base)?;
            self.clear_journal()?;
        }
        self.write_over(state, current)
    }

    /// Writes the snapshot without reading the journal back when the journal holds only what
    /// this backend's journals recorded since it was empty (the file's length says nothing else
    /// was appended): the caller applied all of that to `state`, so replaying it over the new
    /// snapshot changes nothing, and the new serial follows from the count of entries. Otherwise
    /// (a journal left by a crashed run, a failed write, no snapshot read yet) as `persist`.
    fn persist_journaled(&self, state: &mut State) -> Result<u64, StateError> {
        let known = self.ledger.lock().ok().and_then(|l| Some((l.appended?, l.serial?)));
        let Some(((bytes, entries), serial)) = known else {
            return self.persist(state);
        };
        let len = match fs::metadata(self.path(JOURNAL_FILE)) {
            Ok(m) => m.len(),
            Err(e) if e.kind() == io::ErrorKind::NotFound => 0,
            Err(_) => return self.persist(state),
        };
        if len != bytes {
            return self.persist(state);
        }
        self.ensure_dir()?;
        let current = serial.saturating_add(entries);
        self.write_over(state, current)
    }

    fn cipher(&self) -> Option<&Cipher> {
        self.cipher.as_ref()
    }
}

/// Whether applying `entries` to `state` would leave it unchanged. Entries set absolute values,
/// so only the last entry for each address (and the last outputs entry) counts.
pub(crate) fn replay_is_noop(state: &State, entries: &[JournalEntry]) -> bool {
    let mut last: HashMap<&str, Option<&ResourceState>> = HashMap::new();
    let mut outputs = None;
    for entry in entries {
        match entry {
            JournalEntry::Set { address, resource } => {
                last.insert(address, Some(resource));
            }
            JournalEntry::Remove { address } => {
                last.insert(address, None);
            }
            JournalEntry::Outputs { outputs: o } => outputs = Some(o),
            // A move changes the state when there is an object to move; it carries no value to
            // compare, so say so rather than track where the object went.
            JournalEntry::Move { from, .. } => {
                if state.resources.contains_key(from.as_str()) || last.contains_key(from.as_str()) {
                    return false;
                }
            }
        }
    }
    last.into_iter().all(|(addr, r)| state.resources.get(addr) == r) && outputs.is_none_or(|o| *o == state.outputs)
}

#[cfg(unix)]
fn sync_dir(dir: &Path) -> Result<(), StateError> {
    File::open(dir)
        .and_then(|d| d.sync_all())
        .map_err(io_err(format!("syncing {}", dir.display())))
}

#[cfg(not(unix))]
fn sync_dir(_dir: &Path) -> Result<(), StateError> {
    // Directories cannot be opened for fsync here; renames are as durable as the OS makes them.
    Ok(())
}

fn io_err(context: String) -> impl FnOnce(io::Error) -> StateError {
    move |source| StateError::Io { context, source }
}

pub(super) use plinth_sdk::files::{sweep_stale_tmp, tmp_path};

/// Writes `path` whole through a temporary file beside it, synced and renamed into place, so a
/// reader never sees half of it (one way for every small file Plinth rewrites).
pub fn write_atomic(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    plinth_sdk::files::write_atomic(path, bytes, None)
}

#[cfg(test)]
mod tests;
