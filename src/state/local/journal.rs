//! The journal, `journal.jsonl`: one [`JournalEntry`] per line (each sealed on its own when the
//! state is encrypted), appended and fsynced once per batch. Reading it tolerates a torn or
//! unreadable last line (a crash mid-write) but not a bad line followed by good ones. Replaying it
//! over the snapshot is `load`'s business (in the module above).

use std::fs::{self, File, OpenOptions};
use std::io::{self, Read, Write};
use std::path::{Path, PathBuf};

use crate::secrets::encryption::{Cipher, OpenError, Purpose, is_sealed};
use crate::state::{Journal, JournalEntry, StateError};

use super::snapshot::open_error;
use std::sync::{Arc, Mutex};

use super::{JOURNAL_FILE, Ledger, LocalBackend, io_err, sync_dir};

impl LocalBackend {
    /// The journaled entries, in order (empty when there is no journal).
    pub(super) fn read_journal(&self) -> Result<Vec<JournalEntry>, StateError> {
        let path = self.path(JOURNAL_FILE);
        let bytes = match fs::read(&path) {
            Ok(b) => b,
            Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(Vec::new()),
            Err(e) => return Err(io_err(format!("reading {}", path.display()))(e)),
        };
        Ok(scan_journal(&bytes, &path, self.cipher.as_ref())?.entries)
    }

    /// Empties the journal in place (an open [`Journal`] keeps appending to the same file).
    pub(super) fn clear_journal(&self) -> Result<(), StateError> {
        let path = self.path(JOURNAL_FILE);
        match OpenOptions::new().write(true).open(&path) {
            Ok(f) => {
                let cleared = f
                    .set_len(0)
                    .and_then(|()| f.sync_all())
                    .map_err(io_err(format!("clearing {}", path.display())));
                self.note_appended(|a| if cleared.is_ok() { a.map(|_| (0, 0)) } else { None });
                cleared
            }
            Err(e) if e.kind() == io::ErrorKind::NotFound => {
                self.note_appended(|a| a.map(|_| (0, 0)));
                Ok(())
            }
            Err(e) => Err(io_err(format!("clearing {}", path.display()))(e)),
        }
    }

    /// Opens the journal for appending, cutting a torn tail first.
    pub(super) fn open_journal(&self) -> Result<Box<dyn Journal>, StateError> {
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
        let empty = scan.valid_len == 0;
        self.note_appended(|_| empty.then_some((0, 0)));
        Ok(Box::new(LocalJournal {
            file,
            path,
            broken: false,
            cipher: self.cipher.clone(),
            ledger: self.ledger.clone(),
        }))
    }

    /// Updates what the ledger says this process appended to the journal.
    fn note_appended(&self, f: impl FnOnce(Option<(u64, u64)>) -> Option<(u64, u64)>) {
        if let Ok(mut l) = self.ledger.lock() {
            l.appended = f(l.appended);
        }
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
    /// The backend's ledger: what this journal appended.
    ledger: Arc<Mutex<Ledger>>,
}

impl LocalJournal {
    fn note(&self, appended: Option<(u64, u64)>) {
        if let Ok(mut l) = self.ledger.lock() {
            l.appended = match (l.appended, appended) {
                (Some((b, n)), Some((db, dn))) => Some((b + db, n + dn)),
                _ => None,
            };
        }
    }
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
        let before = match self.file.metadata() {
            Ok(m) => m.len(),
            Err(e) => {
                self.note(None);
                return Err(io_err(ctx())(e));
            }
        };
        if let Err(e) = self.file.write_all(&buf) {
            // Cut what was written, so a later batch does not follow a partial line.
            if self.file.set_len(before).is_err() {
                self.broken = true;
            }
            self.note(None);
            return Err(io_err(ctx())(e));
        }
        if let Err(e) = self.file.sync_data() {
            // After a failed fsync the file's contents are unknown: stop here.
            self.broken = true;
            self.note(None);
            return Err(io_err(ctx())(e));
        }
        self.note(Some((buf.len() as u64, entries.len() as u64)));
        Ok(())
    }
}
