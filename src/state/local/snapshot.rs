//! The snapshot files: reading `state.json` (sealed or plain, refusing a newer format), and
//! writing a new one atomically while keeping the previous one as `state.json.backup`. When to
//! write a snapshot, and how it combines with the journal, is `persist`'s business (in the module
//! above).

use std::fs::{self, File, OpenOptions};
use std::io::{self, Write};
use std::path::Path;

use serde::Deserialize;

use crate::secrets::encryption::{OpenError, Purpose, is_sealed};
use crate::state::{STATE_VERSION, State, StateError};

use super::{BACKUP_FILE, LocalBackend, STATE_FILE, io_err, sync_dir, tmp_path};

impl LocalBackend {
    /// The snapshot in state.json, or `None` when there is none yet.
    pub(super) fn read_snapshot(&self) -> Result<Option<State>, StateError> {
        let path = self.path(STATE_FILE);
        let bytes = match fs::read(&path) {
            Ok(b) => b,
            Err(e) if e.kind() == io::ErrorKind::NotFound => {
                self.note_serial(0);
                return Ok(None);
            }
            Err(e) => return Err(io_err(format!("reading {}", path.display()))(e)),
        };
        let state = parse_state(&self.open_snapshot(bytes, &path)?, &path)?;
        self.note_serial(state.serial);
        Ok(Some(state))
    }

    /// Remembers the serial of the snapshot on disk (see `Ledger::serial`).
    fn note_serial(&self, serial: u64) {
        if let Ok(mut l) = self.ledger.lock() {
            l.serial = Some(serial);
        }
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
    pub(super) fn snapshot_serial(&self) -> Option<u64> {
        #[derive(Deserialize)]
        struct SerialProbe {
            serial: u64,
        }
        let path = self.path(STATE_FILE);
        let bytes = self.open_snapshot(fs::read(&path).ok()?, &path).ok()?;
        serde_json::from_slice::<SerialProbe>(&bytes).ok().map(|p| p.serial)
    }

    /// Writes `state` as the new snapshot, keeping the current one as the backup. Does not touch
    /// the journal.
    pub(super) fn write_snapshot(&self, state: &State) -> Result<(), StateError> {
        let mut json = crate::state::ops::to_json(state)?;
        if let Some(c) = &self.cipher {
            json = c.seal(Purpose::State, json.as_bytes()) + "\n";
        }
        let state_path = self.path(STATE_FILE);

        let tmp = tmp_path(&state_path).map_err(io_err(format!("writing {}", state_path.display())))?;
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

        // Until the rename is durable, the serial on disk is either one.
        if let Ok(mut l) = self.ledger.lock() {
            l.serial = None;
        }
        fs::rename(&tmp, &state_path).map_err(io_err(format!("writing {}", state_path.display())))?;
        sync_dir(&self.dir)?;
        self.note_serial(state.serial);
        Ok(())
    }
}

/// The state error for a sealed file or line that `path`'s key could not open.
pub(super) fn open_error(e: OpenError, path: &Path) -> StateError {
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

pub(crate) fn parse_state(bytes: &[u8], path: &Path) -> Result<State, StateError> {
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
        // Serials only rise, and the postgres backend keeps them as a signed 64-bit number: one
        // this large did not come from Plinth, and the next write could not go past it.
        Ok(s) if s.serial > i64::MAX as u64 => Err(StateError::Corrupt {
            path: path.display().to_string(),
            message: format!("its serial {} is out of range (at most {})", s.serial, i64::MAX),
        }),
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
