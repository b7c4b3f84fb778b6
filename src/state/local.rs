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

use std::collections::HashMap;
use std::fs::{self, File, OpenOptions, TryLockError};
use std::io::{self, Read, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};

use serde::Deserialize;

use super::{Backend, Journal, JournalEntry, LockGuard, ResourceState, STATE_VERSION, State, StateError};
use crate::secrets::encryption::{Cipher, OpenError, Purpose, is_sealed};

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
fn valid_env_name(env: &str) -> bool {
    !env.is_empty() && !env.starts_with('.') && !env.contains(['/', '\\', '\0'])
}

/// The state of one environment kept in files beside the configuration.
#[derive(Clone, Debug)]
pub struct LocalBackend {
    dir: PathBuf,
    env: String,
    cipher: Option<Cipher>,
}

impl LocalBackend {
    /// The backend for environment `env` of the configuration in `root`. Nothing is created
    /// until the first lock, journal or persist.
    pub fn new(root: &Path, env: &str) -> Self {
        LocalBackend {
            dir: env_dir(root, env),
            env: env.to_string(),
            cipher: None,
        }
    }

    /// The same backend, sealing what it writes with `cipher` (and reading sealed and plain files
    /// alike); `None` leaves it unencrypted.
    pub fn with_cipher(mut self, cipher: Option<Cipher>) -> Self {
        self.cipher = cipher;
        self
    }

    /// The key this backend encrypts with, if any.
    pub fn cipher(&self) -> Option<&Cipher> {
        self.cipher.as_ref()
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

    /// The snapshot in state.json, or `None` when there is none yet.
    fn read_snapshot(&self) -> Result<Option<State>, StateError> {
        let path = self.path(STATE_FILE);
        let bytes = match fs::read(&path) {
            Ok(b) => b,
            Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(None),
            Err(e) => return Err(io_err(format!("reading {}", path.display()))(e)),
        };
        parse_state(&self.open_snapshot(bytes, &path)?, &path).map(Some)
    }

    /// A snapshot's JSON: decrypted when sealed, as read otherwise.
    fn open_snapshot(&self, bytes: Vec<u8>, path: &Path) -> Result<Vec<u8>, StateError> {
        if !is_sealed(&bytes) {
            return Ok(bytes);
        }
        match &self.cipher {
            None => Err(StateError::Encrypted {
                path: path.display().to_string(),
            }),
            Some(c) => c.open(Purpose::State, &bytes).map_err(|e| open_error(e, path)),
        }
    }

    /// The serial in state.json, if it can be read at all (used only to keep serials rising).
    fn snapshot_serial(&self) -> Option<u64> {
        #[derive(Deserialize)]
        struct SerialProbe {
            serial: u64,
        }
        let path = self.path(STATE_FILE);
        let bytes = self.open_snapshot(fs::read(&path).ok()?, &path).ok()?;
        serde_json::from_slice::<SerialProbe>(&bytes).ok().map(|p| p.serial)
    }

    /// The journaled entries, in order (empty when there is no journal).
    fn read_journal(&self) -> Result<Vec<JournalEntry>, StateError> {
        let path = self.path(JOURNAL_FILE);
        let bytes = match fs::read(&path) {
            Ok(b) => b,
            Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(Vec::new()),
            Err(e) => return Err(io_err(format!("reading {}", path.display()))(e)),
        };
        Ok(scan_journal(&bytes, &path, self.cipher.as_ref())?.entries)
    }

    /// Writes `state` as the new snapshot, keeping the current one as the backup. Does not touch
    /// the journal.
    fn write_snapshot(&self, state: &State) -> Result<(), StateError> {
        let mut json = super::ops::to_json(state)?;
        if let Some(c) = &self.cipher {
            json = c.seal(Purpose::State, json.as_bytes()) + "\n";
        }
        let state_path = self.path(STATE_FILE);

        static COUNTER: AtomicU64 = AtomicU64::new(0);
        let tmp = self.path(&format!(
            ".{STATE_FILE}.{}.{}.tmp",
            std::process::id(),
            COUNTER.fetch_add(1, Ordering::Relaxed)
        ));
        let write_tmp = || -> io::Result<()> {
            let mut f = OpenOptions::new().write(true).create(true).truncate(true).open(&tmp)?;
            f.write_all(json.as_bytes())?;
            f.sync_all()
        };
        if let Err(e) = write_tmp() {
            let _ = fs::remove_file(&tmp);
            return Err(io_err(format!("writing {}", tmp.display()))(e));
        }

        // The backup is made by linking, not moving, so that state.json exists at every instant:
        // a crash here must not leave a journal to be replayed over an empty state.
        if state_path.exists() {
            let backup = self.path(BACKUP_FILE);
            let backup_tmp = self.path(&format!(".{BACKUP_FILE}.tmp"));
            // Migrating to encryption: the plain snapshot becomes a sealed backup, not a link.
            let sealed_old = self.cipher.as_ref().and_then(|c| {
                let old = fs::read(&state_path).ok()?;
                (!is_sealed(&old)).then(|| c.seal(Purpose::State, &old) + "\n")
            });
            let make_backup = || -> io::Result<()> {
                match fs::remove_file(&backup_tmp) {
                    Ok(()) => {}
                    Err(e) if e.kind() == io::ErrorKind::NotFound => {}
                    Err(e) => return Err(e),
                }
                if let Some(sealed) = &sealed_old {
                    let mut f = OpenOptions::new().write(true).create_new(true).open(&backup_tmp)?;
                    f.write_all(sealed.as_bytes())?;
                    f.sync_all()?;
                } else if fs::hard_link(&state_path, &backup_tmp).is_err() {
                    // Filesystems without hard links: copy instead.
                    fs::copy(&state_path, &backup_tmp)?;
                    File::open(&backup_tmp)?.sync_all()?;
                }
                fs::rename(&backup_tmp, &backup)
            };
            if let Err(e) = make_backup() {
                let _ = fs::remove_file(&tmp);
                return Err(io_err(format!("writing {}", backup.display()))(e));
            }
        }

        fs::rename(&tmp, &state_path).map_err(io_err(format!("writing {}", state_path.display())))?;
        sync_dir(&self.dir)
    }

    /// Empties the journal in place (an open [`Journal`] keeps appending to the same file).
    fn clear_journal(&self) -> Result<(), StateError> {
        let path = self.path(JOURNAL_FILE);
        match OpenOptions::new().write(true).open(&path) {
            Ok(f) => f
                .set_len(0)
                .and_then(|()| f.sync_all())
                .map_err(io_err(format!("clearing {}", path.display()))),
            Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(()),
            Err(e) => Err(io_err(format!("clearing {}", path.display()))(e)),
        }
    }
}

impl Backend for LocalBackend {
    fn lock(&self) -> Result<Box<dyn LockGuard>, StateError> {
        self.ensure_dir()?;
        let path = self.path(LOCK_FILE);
        let ctx = || format!("locking {}", path.display());
        let mut file = OpenOptions::new()
            .read(true)
            .write(true)
            .create(true)
            .truncate(false)
            .open(&path)
            .map_err(io_err(ctx()))?;
        match file.try_lock() {
            Ok(()) => {}
            Err(TryLockError::WouldBlock) => {
                let mut holder = String::new();
                let _ = file.read_to_string(&mut holder);
                let holder = holder.trim();
                let holder = if holder.is_empty() {
                    "holder unknown".to_string()
                } else {
                    holder.to_string()
                };
                return Err(StateError::Locked {
                    env: self.env.clone(),
                    holder,
                });
            }
            Err(TryLockError::Error(e)) => return Err(io_err(ctx())(e)),
        }
        // Informational only: the OS lock is what excludes others.
        let _ = file
            .set_len(0)
            .and_then(|()| file.write_all(holder_description().as_bytes()));
        Ok(Box::new(LocalLock { file }))
    }

    fn load(&self) -> Result<State, StateError> {
        self.check_env()?;
        let mut state = self.read_snapshot()?.unwrap_or_default();
        let entries = self.read_journal()?;
        // Every journaled change moves the serial, so that a plan made before (or between)
        // crashed applies is seen as stale.
        state.serial += entries.len() as u64;
        for entry in entries {
            state.apply_entry(entry);
        }
        Ok(state)
    }

    fn journal(&self) -> Result<Box<dyn Journal>, StateError> {
        self.ensure_dir()?;
        let path = self.path(JOURNAL_FILE);
        let ctx = || format!("opening {}", path.display());
        let mut file = OpenOptions::new()
            .read(true)
            .append(true)
            .create(true)
            .open(&path)
            .map_err(io_err(ctx()))?;
        let mut bytes = Vec::new();
        file.read_to_end(&mut bytes).map_err(io_err(ctx()))?;
        // A corrupt middle line is an error here too: appending behind it would hide new entries.
        let scan = scan_journal(&bytes, &path, self.cipher.as_ref())?;
        if scan.valid_len < bytes.len() as u64 {
            // Cut a torn tail, or the next entry would be glued to it.
            file.set_len(scan.valid_len)
                .and_then(|()| file.sync_all())
                .map_err(io_err(ctx()))?;
        }
        // Make the file's directory entry durable before the first record is acknowledged.
        sync_dir(&self.dir)?;
        Ok(Box::new(LocalJournal {
            file,
            path,
            broken: false,
            cipher: self.cipher.clone(),
        }))
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
        let mut current = self.snapshot_serial().unwrap_or(0) + entries.len() as u64;
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
            current += 1;
            base.serial = current;
            super::ops::canonicalize(&mut base);
            self.write_snapshot(&base)?;
            self.clear_journal()?;
        }
        state.serial = state.serial.max(current) + 1;
        state.version = STATE_VERSION;
        super::ops::canonicalize(state);
        self.write_snapshot(state)?;
        self.clear_journal()?;
        Ok(state.serial)
    }

    fn cipher(&self) -> Option<&Cipher> {
        self.cipher.as_ref()
    }
}

/// Whether applying `entries` to `state` would leave it unchanged. Entries set absolute values,
/// so only the last entry for each address (and the last outputs entry) counts.
fn replay_is_noop(state: &State, entries: &[JournalEntry]) -> bool {
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
        }
    }
    last.into_iter().all(|(addr, r)| state.resources.get(addr) == r) && outputs.is_none_or(|o| *o == state.outputs)
}

/// The state error for a sealed file or line that `path`'s key could not open.
fn open_error(e: OpenError, path: &Path) -> StateError {
    let path = path.display().to_string();
    match e {
        OpenError::WrongKey { .. } => StateError::WrongKey {
            path,
            detail: format!("({e})"),
        },
        OpenError::Corrupt(message) => StateError::Corrupt { path, message },
        OpenError::Unsupported(_) => StateError::Other(format!("cannot read {path}: {e}")),
    }
}

fn parse_state(bytes: &[u8], path: &Path) -> Result<State, StateError> {
    #[derive(Deserialize)]
    struct VersionProbe {
        version: u32,
    }
    let too_new = |found| StateError::TooNew {
        path: path.display().to_string(),
        found,
    };
    match serde_json::from_slice::<State>(bytes) {
        Ok(s) if s.version > STATE_VERSION => Err(too_new(s.version)),
        Ok(s) => Ok(s),
        Err(e) => match serde_json::from_slice::<VersionProbe>(bytes) {
            // A newer format may not parse as ours at all; say so rather than "corrupt".
            Ok(p) if p.version > STATE_VERSION => Err(too_new(p.version)),
            _ => Err(StateError::Corrupt {
                path: path.display().to_string(),
                message: e.to_string(),
            }),
        },
    }
}

struct JournalScan {
    entries: Vec<JournalEntry>,
    /// Bytes up to the end of the last good line: what a journal keeps before appending.
    valid_len: u64,
}

/// Parses a journal. Only newline-terminated lines count (a record acknowledges nothing before
/// its newline is written and synced), so an unterminated tail is a torn write and ignored. A last
/// line that does not parse is ignored too (a crash can leave garbage there); one followed by a
/// good line is corruption. Sealed lines are opened with `cipher` (an error without one, or when
/// it is the wrong key; a line that does not authenticate counts as unparsable); plain lines are
/// read as they are.
fn scan_journal(bytes: &[u8], path: &Path, cipher: Option<&Cipher>) -> Result<JournalScan, StateError> {
    let mut entries = Vec::new();
    let mut valid_len = 0;
    let mut bad: Option<(usize, String)> = None;
    let mut pos = 0;
    let mut line_no = 0;
    while let Some(nl) = bytes[pos..].iter().position(|&b| b == b'\n') {
        line_no += 1;
        let line = &bytes[pos..pos + nl];
        let next = pos + nl + 1;
        pos = next;
        if line.iter().all(u8::is_ascii_whitespace) {
            if bad.is_none() {
                valid_len = next;
            }
            continue;
        }
        if let Some((n, e)) = bad.take() {
            return Err(StateError::Corrupt {
                path: path.display().to_string(),
                message: format!("journal line {n} is not a valid entry ({e}), and more entries follow it"),
            });
        }
        let parsed = if is_sealed(line) {
            let Some(c) = cipher else {
                return Err(StateError::Encrypted {
                    path: path.display().to_string(),
                });
            };
            match c.open(Purpose::Journal, line) {
                Ok(plain) => serde_json::from_slice::<JournalEntry>(&plain).map_err(|e| e.to_string()),
                Err(e @ OpenError::WrongKey { .. }) => return Err(open_error(e, path)),
                Err(e) => Err(e.to_string()),
            }
        } else {
            serde_json::from_slice::<JournalEntry>(line).map_err(|e| e.to_string())
        };
        match parsed {
            Ok(entry) => {
                entries.push(entry);
                valid_len = next;
            }
            Err(e) => bad = Some((line_no, e)),
        }
    }
    if let Some((n, e)) = &bad {
        tracing::warn!(path = %path.display(), line = n, error = %e, "ignoring an unreadable last journal line");
    }
    if pos < bytes.len() {
        tracing::warn!(path = %path.display(), bytes = bytes.len() - pos, "ignoring a torn last journal line");
    }
    Ok(JournalScan {
        entries,
        valid_len: valid_len as u64,
    })
}

struct LocalJournal {
    file: File,
    path: PathBuf,
    /// Set when a write may have left a partial line that could not be cut off.
    broken: bool,
    /// Seals each line when the state is encrypted.
    cipher: Option<Cipher>,
}

impl Journal for LocalJournal {
    fn record(&mut self, entries: &[JournalEntry]) -> Result<(), StateError> {
        if entries.is_empty() {
            return Ok(());
        }
        if self.broken {
            return Err(StateError::Other(format!(
                "the journal {} failed earlier and cannot record more changes",
                self.path.display()
            )));
        }
        let mut buf = Vec::new();
        for entry in entries {
            let json = serde_json::to_vec(entry)
                .map_err(|e| StateError::Other(format!("serializing a journal entry: {e}")))?;
            match &self.cipher {
                Some(c) => buf.extend_from_slice(c.seal(Purpose::Journal, &json).as_bytes()),
                None => buf.extend_from_slice(&json),
            }
            buf.push(b'\n');
        }
        let ctx = || format!("writing {}", self.path.display());
        let before = self.file.metadata().map_err(io_err(ctx()))?.len();
        if let Err(e) = self.file.write_all(&buf) {
            // Cut what was written, so a later batch does not follow a partial line.
            if self.file.set_len(before).is_err() {
                self.broken = true;
            }
            return Err(io_err(ctx())(e));
        }
        if let Err(e) = self.file.sync_data() {
            // After a failed fsync the file's contents are unknown: stop here.
            self.broken = true;
            return Err(io_err(ctx())(e));
        }
        Ok(())
    }
}

struct LocalLock {
    file: File,
}

impl LockGuard for LocalLock {}

impl Drop for LocalLock {
    fn drop(&mut self) {
        let _ = self.file.set_len(0);
        let _ = self.file.unlock();
    }
}

/// `pid 4242 (alice@build-7) since 2026-05-01T10:00:00Z`: what a blocked process is told.
fn holder_description() -> String {
    let pid = std::process::id();
    let user = std::env::var("USER").or_else(|_| std::env::var("USERNAME")).ok();
    let host = fs::read_to_string("/proc/sys/kernel/hostname")
        .or_else(|_| fs::read_to_string("/etc/hostname"))
        .ok()
        .map(|h| h.trim().to_string())
        .filter(|h| !h.is_empty())
        .or_else(|| std::env::var("HOSTNAME").ok());
    let who = match (user, host) {
        (Some(u), Some(h)) => format!(" ({u}@{h})"),
        (None, Some(h)) => format!(" (on {h})"),
        (Some(u), None) => format!(" ({u})"),
        (None, None) => String::new(),
    };
    format!("pid {pid}{who} since {}\n", crate::time::now_rfc3339())
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

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use super::*;
    use crate::state::OutputState;

    fn res(content: &str) -> ResourceState {
        ResourceState {
            mode: "managed".into(),
            type_name: "local_file".into(),
            provider: "local".into(),
            attributes: serde_json::json!({ "path": "a.txt", "content": content }),
            sensitive: BTreeMap::new(),
            dependencies: Vec::new(),
            create_before_destroy: false,
        }
    }

    fn set(addr: &str, content: &str) -> JournalEntry {
        JournalEntry::Set {
            address: addr.into(),
            resource: Box::new(res(content)),
        }
    }

    fn setup() -> (tempfile::TempDir, LocalBackend) {
        let dir = tempfile::tempdir().expect("tempdir");
        let backend = LocalBackend::new(dir.path(), "default");
        (dir, backend)
    }

    #[test]
    fn missing_state_is_new_and_not_written() {
        let (dir, b) = setup();
        let s = b.load().expect("load");
        assert_eq!(s.serial, 0);
        assert!(s.resources.is_empty());
        assert!(!env_dir(dir.path(), "default").exists());
    }

    #[test]
    fn round_trip_and_serial_bump() {
        let (dir, b) = setup();
        let mut s = State::new();
        s.resources.insert("local_file.a".into(), res("x"));
        s.outputs.insert(
            "o".into(),
            OutputState {
                value: serde_json::json!({"b": 1, "a": 2}),
                type_name: "object".into(),
                sensitive: false,
            },
        );
        assert_eq!(b.persist(&mut s).expect("persist"), 1);
        assert!(dir.path().join(".plinth/env/default/state.json").is_file());
        let loaded = b.load().expect("load");
        assert_eq!(loaded, s);
        assert_eq!(loaded.serial, 1);
        let mut again = loaded.clone();
        assert_eq!(b.persist(&mut again).expect("persist"), 2);
        assert_eq!(b.load().expect("load").serial, 2);
        assert_eq!(b.load().expect("load").lineage, s.lineage);
    }

    #[test]
    fn snapshot_is_deterministic() {
        let (_dir, b) = setup();
        let mut s = State::new();
        let mut r = res("x");
        r.attributes = serde_json::json!({"z": {"y": 1, "x": 2}, "a": [ {"d": 1, "c": 2} ]});
        s.resources.insert("local_file.b".into(), r.clone());
        s.resources.insert("local_file.a".into(), r);
        b.persist(&mut s).expect("persist");
        let text = fs::read_to_string(b.dir().join(STATE_FILE)).expect("read");
        let pos = |needle: &str| text.find(needle).expect(needle);
        assert!(pos("\"local_file.a\"") < pos("\"local_file.b\""));
        assert!(pos("\"a\": [") < pos("\"z\": {"));
        assert!(pos("\"c\": 2") < pos("\"d\": 1"));
        assert!(pos("\"x\": 2") < pos("\"y\": 1"));
        assert!(text.ends_with("}\n"));
    }

    #[test]
    fn backup_holds_previous_snapshot() {
        let (_dir, b) = setup();
        let mut s = State::new();
        s.resources.insert("local_file.a".into(), res("one"));
        b.persist(&mut s).expect("persist");
        assert!(!b.dir().join(BACKUP_FILE).exists());
        let first = fs::read_to_string(b.dir().join(STATE_FILE)).expect("read");
        s.resources.insert("local_file.b".into(), res("two"));
        b.persist(&mut s).expect("persist");
        assert_eq!(
            fs::read_to_string(b.dir().join(BACKUP_FILE)).expect("read backup"),
            first
        );
        let backup: State = serde_json::from_str(&first).expect("parse");
        assert_eq!(backup.serial, 1);
        assert_eq!(backup.resources.len(), 1);
        assert_eq!(b.load().expect("load").resources.len(), 2);
        // No temporary files are left behind.
        let names: Vec<String> = fs::read_dir(b.dir())
            .expect("read_dir")
            .map(|e| e.expect("entry").file_name().into_string().expect("utf-8"))
            .collect();
        assert!(names.iter().all(|n| !n.ends_with(".tmp")), "{names:?}");
    }

    #[test]
    fn journal_is_replayed_after_crash() {
        let (dir, b) = setup();
        let mut s = State::new();
        s.resources.insert("local_file.gone".into(), res("old"));
        b.persist(&mut s).expect("persist");
        {
            let mut j = b.journal().expect("journal");
            j.record(&[set("local_file.a", "1"), set("local_file.b", "2")])
                .expect("record");
            j.record(&[JournalEntry::Remove {
                address: "local_file.gone".into(),
            }])
            .expect("record");
            // Crash: dropped without persist.
        }
        let b2 = LocalBackend::new(dir.path(), "default");
        let loaded = b2.load().expect("load");
        assert_eq!(
            loaded.resources.keys().collect::<Vec<_>>(),
            ["local_file.a", "local_file.b"]
        );
        assert_eq!(loaded.resources["local_file.b"], res("2"));
        // A plan made at serial 1 is stale now; the serial counts every replayed change.
        assert_eq!(loaded.serial, 1 + 3);
        assert_eq!(loaded.lineage, s.lineage);

        // Persisting folds the journal in and empties it.
        let mut loaded = loaded;
        assert_eq!(b2.persist(&mut loaded).expect("persist"), 5);
        assert_eq!(fs::metadata(b2.dir().join(JOURNAL_FILE)).expect("meta").len(), 0);
        assert_eq!(b2.load().expect("load"), loaded);
    }

    #[test]
    fn journal_without_snapshot_is_replayed() {
        let (_dir, b) = setup();
        b.journal()
            .expect("journal")
            .record(&[set("local_file.a", "1")])
            .expect("record");
        let s = b.load().expect("load");
        assert_eq!(s.serial, 1);
        assert!(s.resources.contains_key("local_file.a"));
    }

    #[test]
    fn serial_advances_with_each_crashed_run() {
        let (_dir, b) = setup();
        b.persist(&mut State::new()).expect("persist");
        b.journal()
            .expect("journal")
            .record(&[set("local_file.a", "1")])
            .expect("record");
        let after_first_crash = b.load().expect("load").serial;
        b.journal()
            .expect("journal")
            .record(&[set("local_file.b", "1")])
            .expect("record");
        assert!(b.load().expect("load").serial > after_first_crash);
    }

    #[test]
    fn torn_last_line_is_tolerated_and_cut_before_appending() {
        let (_dir, b) = setup();
        b.persist(&mut State::new()).expect("persist");
        b.journal()
            .expect("journal")
            .record(&[set("local_file.a", "1")])
            .expect("record");
        let path = b.dir().join(JOURNAL_FILE);
        let full = serde_json::to_string(&set("local_file.b", "2")).expect("json");
        let mut f = OpenOptions::new().append(true).open(&path).expect("open");
        f.write_all(&full.as_bytes()[..full.len() / 2]).expect("write");
        drop(f);

        let s = b.load().expect("load");
        assert_eq!(s.resources.keys().collect::<Vec<_>>(), ["local_file.a"]);

        // The next run's entries are not glued to the torn fragment.
        b.journal()
            .expect("journal")
            .record(&[set("local_file.c", "3")])
            .expect("record");
        let s = b.load().expect("load");
        assert_eq!(s.resources.keys().collect::<Vec<_>>(), ["local_file.a", "local_file.c"]);
    }

    #[test]
    fn garbage_last_line_is_tolerated_but_corrupt_middle_line_is_not() {
        let (_dir, b) = setup();
        let path = b.dir().join(JOURNAL_FILE);
        fs::create_dir_all(b.dir()).expect("mkdir");
        let good = serde_json::to_string(&set("local_file.a", "1")).expect("json");
        fs::write(&path, format!("{good}\n\0\0\0\0\n")).expect("write");
        assert_eq!(b.load().expect("load").resources.len(), 1);

        fs::write(&path, format!("{good}\n{{\"op\": \"set\"\n{good}\n")).expect("write");
        let err = b.load().expect_err("corrupt");
        assert!(matches!(err, StateError::Corrupt { .. }), "{err}");
        assert!(err.to_string().contains("journal line 2"), "{err}");
        assert!(b.journal().is_err(), "must not append behind a corrupt line");
    }

    #[test]
    fn journal_survives_persist_in_the_same_run() {
        let (_dir, b) = setup();
        let mut s = State::new();
        let mut j = b.journal().expect("journal");
        j.record(&[set("local_file.a", "1")]).expect("record");
        s.apply_entry(set("local_file.a", "1"));
        b.persist(&mut s).expect("persist");
        j.record(&[set("local_file.b", "2")]).expect("record after persist");
        drop(j);
        let loaded = b.load().expect("load");
        assert_eq!(loaded.resources.len(), 2);
    }

    #[test]
    fn persist_folds_in_a_journal_the_state_does_not_contain() {
        let (_dir, b) = setup();
        let mut s = State::new();
        s.resources.insert("local_file.a".into(), res("1"));
        b.persist(&mut s).expect("persist");
        b.journal()
            .expect("journal")
            .record(&[set("local_file.b", "2")])
            .expect("record");

        // A caller that drops local_file.b (like `state rm`) without journaling it.
        let mut mine = b.load().expect("load");
        mine.resources.remove("local_file.b");
        let serial = b.persist(&mut mine).expect("persist");
        assert_eq!(serial, 4); // 1 + 1 entry replayed, +1 folded snapshot, +1 this one.
        let backup: State = serde_json::from_slice(&fs::read(b.dir().join(BACKUP_FILE)).expect("read")).expect("parse");
        assert_eq!(
            backup.resources.keys().collect::<Vec<_>>(),
            ["local_file.a", "local_file.b"]
        );
        let loaded = b.load().expect("load");
        assert_eq!(loaded.resources.keys().collect::<Vec<_>>(), ["local_file.a"]);
        assert_eq!(loaded.serial, 4);
    }

    #[test]
    fn lock_contention_and_release() {
        let (dir, b) = setup();
        let guard = b.lock().expect("lock");
        let other = LocalBackend::new(dir.path(), "default");
        match other.lock() {
            Err(StateError::Locked { env, holder }) => {
                assert_eq!(env, "default");
                assert!(holder.contains(&format!("pid {}", std::process::id())), "{holder}");
                assert!(holder.contains(" since "), "{holder}");
            }
            Err(e) => panic!("expected Locked, got {e}"),
            Ok(_) => panic!("a second lock in the same process must conflict"),
        }
        let msg = b.lock().err().map(|e| e.to_string()).unwrap_or_default();
        assert!(msg.contains("plinth force-unlock"), "{msg}");
        // Another environment is independent.
        let _staging = LocalBackend::new(dir.path(), "staging").lock().expect("other env");
        drop(guard);
        let _again = other.lock().expect("released on drop");
    }

    #[test]
    fn too_new_and_corrupt() {
        let (_dir, b) = setup();
        fs::create_dir_all(b.dir()).expect("mkdir");
        let path = b.dir().join(STATE_FILE);
        fs::write(
            &path,
            r#"{"version": 99, "lineage": "x", "serial": 3, "resources": {}}"#,
        )
        .expect("write");
        assert!(matches!(b.load(), Err(StateError::TooNew { found: 99, .. })));
        fs::write(&path, r#"{"version": 99, "something": "else entirely"}"#).expect("write");
        assert!(matches!(b.load(), Err(StateError::TooNew { found: 99, .. })));

        fs::write(
            &path,
            "{\n  \"version\": 1,\n  \"lineage\": \"x\",\n  \"serial\": oops\n}",
        )
        .expect("write");
        let err = b.load().expect_err("corrupt");
        let StateError::Corrupt { message, .. } = &err else {
            panic!("expected Corrupt, got {err}")
        };
        assert!(message.contains("line 4"), "{message}");
        assert!(err.to_string().contains("state.json.backup"), "{err}");
    }

    #[test]
    fn recording_does_not_rewrite_a_large_state() {
        let (_dir, b) = setup();
        let mut s = State::new();
        for i in 0..10_000 {
            s.resources
                .insert(format!("local_file.f[{i}]"), res(&format!("content {i}")));
        }
        b.persist(&mut s).expect("persist");
        let state_path = b.dir().join(STATE_FILE);
        let before = fs::metadata(&state_path).expect("meta");
        std::thread::sleep(std::time::Duration::from_millis(20));

        let mut j = b.journal().expect("journal");
        j.record(&[set("local_file.new", "x")]).expect("record");
        let after = fs::metadata(&state_path).expect("meta");
        assert_eq!(before.len(), after.len());
        assert_eq!(before.modified().expect("mtime"), after.modified().expect("mtime"));
        let journal_len = fs::metadata(b.dir().join(JOURNAL_FILE)).expect("meta").len();
        assert!(journal_len < 500, "{journal_len}");
        assert_eq!(b.load().expect("load").resources.len(), 10_001);
    }

    #[test]
    fn environments_are_listed_sorted() {
        let dir = tempfile::tempdir().expect("tempdir");
        assert!(environments(dir.path()).is_empty());
        for env in ["prod", "default", "staging"] {
            LocalBackend::new(dir.path(), env)
                .persist(&mut State::new())
                .expect("persist");
        }
        assert_eq!(environments(dir.path()), ["default", "prod", "staging"]);
        assert_eq!(env_dir(dir.path(), "prod"), dir.path().join(".plinth/env/prod"));
    }

    #[test]
    fn unsafe_env_names_are_refused() {
        let dir = tempfile::tempdir().expect("tempdir");
        for env in ["", "..", "../x", "a/b", ".hidden"] {
            let b = LocalBackend::new(dir.path(), env);
            assert!(b.persist(&mut State::new()).is_err(), "{env:?}");
            assert!(b.lock().is_err(), "{env:?}");
        }
    }

    fn cipher(key: &str) -> Option<Cipher> {
        Some(Cipher::from_secret(key).expect("key"))
    }

    #[test]
    fn encrypted_snapshots_backups_and_journal_lines() {
        let (dir, plain) = setup();
        let b = LocalBackend::new(dir.path(), "default").with_cipher(cipher("k1"));
        let mut s = State::new();
        s.resources.insert("local_file.a".into(), res("attribute-value-one"));
        b.persist(&mut s).expect("persist");
        s.resources.insert("local_file.b".into(), res("attribute-value-two"));
        b.persist(&mut s).expect("persist");
        b.journal()
            .expect("journal")
            .record(&[set("local_file.c", "attribute-value-three")])
            .expect("record");
        for name in [STATE_FILE, BACKUP_FILE, JOURNAL_FILE] {
            let text = fs::read_to_string(b.dir().join(name)).expect(name);
            assert!(
                text.starts_with("{\"plinth_encrypted\":\"aes-256-gcm\""),
                "{name}: {text}"
            );
            assert!(
                !text.contains("attribute-value") && !text.contains("local_file"),
                "{name}: {text}"
            );
        }
        let loaded = b.load().expect("load");
        assert_eq!(loaded.resources.len(), 3);
        assert_eq!(loaded.resources["local_file.c"], res("attribute-value-three"));

        // Without the key, or with another one: clear errors, and nothing is overwritten.
        let err = plain.load().expect_err("no key");
        assert!(matches!(err, StateError::Encrypted { .. }), "{err}");
        assert!(
            err.to_string()
                .contains("configure plinth { encryption { key = ... } }"),
            "{err}"
        );
        assert!(matches!(
            plain.persist(&mut State::new()),
            Err(StateError::Encrypted { .. })
        ));
        assert!(plain.journal().is_err());
        let wrong = LocalBackend::new(dir.path(), "default").with_cipher(cipher("k2"));
        let err = wrong.load().expect_err("wrong key");
        assert!(matches!(err, StateError::WrongKey { .. }), "{err}");
        assert!(
            err.to_string()
                .contains("the encryption key does not decrypt the state"),
            "{err}"
        );
        assert_eq!(b.load().expect("still readable").resources.len(), 3);
    }

    #[test]
    fn plain_state_migrates_to_encrypted() {
        let (dir, plain) = setup();
        let mut s = State::new();
        s.resources.insert("local_file.a".into(), res("old-plain-value"));
        plain.persist(&mut s).expect("persist");
        plain
            .journal()
            .expect("journal")
            .record(&[set("local_file.j", "journaled-plain-value")])
            .expect("record");

        let b = LocalBackend::new(dir.path(), "default").with_cipher(cipher("k1"));
        let mut loaded = b.load().expect("plain state loads with a key configured");
        assert_eq!(loaded.resources.len(), 2);
        b.journal()
            .expect("journal")
            .record(&[set("local_file.k", "journaled-sealed-value")])
            .expect("record behind plain lines");
        let mut again = b.load().expect("mixed journal");
        assert_eq!(again.resources.len(), 3);
        loaded.resources = again.resources.clone();
        b.persist(&mut again).expect("persist");
        for name in [STATE_FILE, BACKUP_FILE] {
            let text = fs::read_to_string(b.dir().join(name)).expect(name);
            assert!(is_sealed(text.as_bytes()), "{name} is sealed after migration");
            assert!(!text.contains("plain-value"), "{name}: {text}");
        }
        assert_eq!(fs::metadata(b.dir().join(JOURNAL_FILE)).expect("meta").len(), 0);
        assert_eq!(b.load().expect("load").resources, loaded.resources);
    }

    #[test]
    fn a_damaged_sealed_journal_tail_is_tolerated() {
        let (_dir, b) = setup();
        let b = b.with_cipher(cipher("k1"));
        b.journal()
            .expect("journal")
            .record(&[set("local_file.a", "1")])
            .expect("record");
        let path = b.dir().join(JOURNAL_FILE);
        let sealed = Cipher::from_secret("k1").expect("key").seal(
            Purpose::Journal,
            &serde_json::to_vec(&set("local_file.b", "2")).expect("json"),
        );
        let mut f = OpenOptions::new().append(true).open(&path).expect("open");
        f.write_all(format!("{}\n", &sealed[..sealed.len() / 2]).as_bytes())
            .expect("write");
        drop(f);
        assert_eq!(b.load().expect("load").resources.len(), 1);
    }
}
