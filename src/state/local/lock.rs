//! The environment's lock: an OS file lock on `lock` (flock on Unix), released by the OS when the
//! process dies, so there is no stale lock to clean up after kill -9. The file holds who locked it,
//! for the message another process gets (a [`LockInfo`] as JSON); it is never deleted (see the
//! module above for why).

use std::fs::{File, OpenOptions, TryLockError};
use std::io::{Read, Write};

use crate::state::{LockGuard, LockInfo, StateError};

use std::path::Path;

use super::{LOCK_FILE, LocalBackend, io_err, sweep_stale_tmp};

impl LocalBackend {
    /// Takes the lock for `operation`, or says who holds it.
    pub(super) fn acquire_lock(&self, operation: &str) -> Result<Box<dyn LockGuard>, StateError> {
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
                let holder = Box::new(
                    serde_json::from_str::<LockInfo>(&holder).unwrap_or_else(|_| LockInfo::unknown(holder.trim())),
                );
                return Err(StateError::Locked {
                    env: self.env.clone(),
                    holder,
                });
            }
            Err(TryLockError::Error(e)) => return Err(io_err(ctx())(e)),
        }
        // The lock holder is the one writer of this environment's files: what a killed writer
        // left half-written is removed now, before anything trips on it.
        sweep_stale_tmp(&self.dir);
        if let Some(plinth_dir) = self.dir.parent().and_then(Path::parent) {
            sweep_stale_tmp(plinth_dir);
        }
        // Informational only: the OS lock is what excludes others.
        let _ = file.set_len(0).and_then(|()| {
            file.write_all((serde_json::to_string(&LockInfo::new(operation)).unwrap_or_default() + "\n").as_bytes())
        });
        Ok(Box::new(LocalLock { file }))
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
