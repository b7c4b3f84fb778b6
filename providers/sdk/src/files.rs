//! Whole-file writes that a crash cannot tear, shared by the engine (state, plan and key files)
//! and by providers that write files (`local_file`): the temporary-file naming, the write itself,
//! and the sweep of what a killed writer left behind.
//!
//! A new version of `path` is written to `.NAME.tmp-PID-N` beside it, synced, and renamed into
//! place, so a reader (or a crash) sees the old file or the new one, never half of one. The
//! writer's process id in the name is what lets [`sweep_stale_tmp`] tell a dead writer's leftover
//! (SIGKILL between the write and the rename) from a live writer's file.

use std::fs::{self, File, OpenOptions};
use std::io::{self, Write as _};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};

/// The directory `path` is in (`.` for a bare file name).
pub fn dir_of(path: &Path) -> &Path {
    path.parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."))
}

/// The temporary file a new version of `path` is written to before it is renamed into place:
/// `.NAME.tmp-PID-N` beside it.
pub fn tmp_path(path: &Path) -> io::Result<PathBuf> {
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    let name = path
        .file_name()
        .ok_or_else(|| io::Error::new(io::ErrorKind::InvalidInput, "the path does not name a file"))?;
    Ok(dir_of(path).join(format!(
        ".{}.tmp-{}-{}",
        name.to_string_lossy(),
        std::process::id(),
        COUNTER.fetch_add(1, Ordering::Relaxed)
    )))
}

/// The writer's process id, when `name` is a [`tmp_path`] name.
fn tmp_writer(name: &str) -> Option<u32> {
    let (_, rest) = name.strip_prefix('.')?.rsplit_once(".tmp-")?;
    let (pid, n) = rest.split_once('-')?;
    if n.is_empty() || !n.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    pid.parse().ok()
}

/// Removes from `dir` the temporary files ([`tmp_path`]) of writers that are no longer running:
/// what a crash or SIGKILL between writing and renaming leaves behind. A file whose writer is
/// still alive (another Plinth writing now) is kept. Only where the running processes can be
/// listed (`/proc`); elsewhere nothing is removed.
pub fn sweep_stale_tmp(dir: &Path) {
    let proc_dir = Path::new("/proc");
    if !proc_dir.join("self").exists() {
        return;
    }
    let Ok(entries) = fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let name = entry.file_name();
        let Some(pid) = name.to_str().and_then(tmp_writer) else {
            continue;
        };
        if !proc_dir.join(pid.to_string()).exists() {
            let _ = fs::remove_file(entry.path());
        }
    }
}

/// Writes `path` whole through a temporary file beside it, synced and renamed into place, with
/// permission bits `mode` when given (set explicitly, so the result does not depend on the
/// umask). The rename is made durable where the platform lets a directory be synced.
pub fn write_atomic(path: &Path, bytes: &[u8], mode: Option<u32>) -> io::Result<()> {
    let tmp = tmp_path(path)?;
    let result = (|| {
        let mut f = OpenOptions::new().write(true).create_new(true).open(&tmp)?;
        f.write_all(bytes)?;
        #[cfg(unix)]
        if let Some(mode) = mode {
            use std::os::unix::fs::PermissionsExt as _;
            f.set_permissions(fs::Permissions::from_mode(mode))?;
        }
        #[cfg(not(unix))]
        let _ = mode;
        f.sync_all()?;
        drop(f);
        fs::rename(&tmp, path)
    })();
    if result.is_err() {
        let _ = fs::remove_file(&tmp);
    }
    result?;
    if let Ok(d) = File::open(dir_of(path)) {
        let _ = d.sync_all();
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn temporary_names_carry_the_writer() {
        let p = tmp_path(Path::new("out/a.txt")).expect("a name");
        let name = p.file_name().and_then(|n| n.to_str()).expect("utf-8");
        assert_eq!(tmp_writer(name), Some(std::process::id()));
        assert_eq!(p.parent(), Some(Path::new("out")));
        assert_eq!(tmp_writer(".notes.tmp-keep"), None);
        assert_eq!(tmp_writer("a.txt"), None);
    }
}
