//! The environment's lock: an OS file lock on `lock` (flock on Unix), released by the OS when the
//! process dies, so there is no stale lock to clean up after kill -9. The file holds who locked it,
//! for the message another process gets; it is never deleted (see the module above for why).

use std::fs::{self, File, OpenOptions, TryLockError};
use std::io::{Read, Write};

use crate::state::{LockGuard, StateError};

use super::{LOCK_FILE, LocalBackend, io_err};

impl LocalBackend {
    /// Takes the lock, or says who holds it.
    pub(super) fn acquire_lock(&self) -> Result<Box<dyn LockGuard>, StateError> {
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
