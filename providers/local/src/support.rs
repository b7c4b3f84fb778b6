//! Plumbing shared by the resource types: resolving paths against the working directory, turning
//! OS and SQLite errors into [`ProviderError`]s that carry the platform's code (`ENOENT`,
//! `SQLITE_BUSY`), atomic file writes, content hashes and small validation helpers.

use std::io;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use plinth_sdk::{AttrPath, ErrorKind, PathStep, ProviderDiagnostic, ProviderError, ReadInstance, Severity, Value};
use sha2::{Digest, Sha256};

/// `path` as the OS should see it: absolute paths as they are, relative ones under `working_dir`.
pub(crate) fn resolve(working_dir: &Path, path: &str) -> PathBuf {
    let p = Path::new(path);
    if p.is_absolute() {
        p.to_path_buf()
    } else {
        working_dir.join(p)
    }
}

/// Whether an error means "there is nothing at this path": missing, or a parent is not a directory.
pub(crate) fn is_gone(e: &io::Error) -> bool {
    matches!(e.kind(), io::ErrorKind::NotFound | io::ErrorKind::NotADirectory)
}

/// The errno name of an OS error, as the platform would print it.
pub(crate) fn errno_name(e: &io::Error) -> &'static str {
    use io::ErrorKind as K;
    match e.kind() {
        K::NotFound => "ENOENT",
        K::PermissionDenied if e.raw_os_error() == Some(1) => "EPERM",
        K::PermissionDenied => "EACCES",
        K::AlreadyExists => "EEXIST",
        K::NotADirectory => "ENOTDIR",
        K::IsADirectory => "EISDIR",
        K::DirectoryNotEmpty => "ENOTEMPTY",
        K::ReadOnlyFilesystem => "EROFS",
        K::StorageFull => "ENOSPC",
        K::QuotaExceeded => "EDQUOT",
        K::CrossesDevices => "EXDEV",
        K::InvalidFilename => "ENAMETOOLONG",
        K::InvalidInput => "EINVAL",
        K::Interrupted => "EINTR",
        K::WouldBlock => "EAGAIN",
        K::TimedOut => "ETIMEDOUT",
        K::ResourceBusy => "EBUSY",
        K::FileTooLarge => "EFBIG",
        _ => "EIO",
    }
}

/// The kind of a local error, from its errno or `SQLITE_*` code: the one place the local
/// provider maps its codes onto [`ErrorKind`].
pub(crate) fn error_kind(code: &str) -> ErrorKind {
    match code {
        "ENOENT" | "ENOTDIR" | "SQLITE_NOTFOUND" => ErrorKind::NotFound,
        "EEXIST" | "ENOTEMPTY" | "SQLITE_CONSTRAINT" => ErrorKind::Conflict,
        "EACCES" | "EPERM" | "EROFS" | "SQLITE_PERM" | "SQLITE_READONLY" | "SQLITE_AUTH" => ErrorKind::Forbidden,
        "EINVAL" | "EISDIR" | "ENAMETOOLONG" | "SQLITE_MISMATCH" | "SQLITE_RANGE" | "SQLITE_TOOBIG"
        | "SQLITE_NOTADB" | "UNSUPPORTED_TYPE" => ErrorKind::Invalid,
        "EINTR" | "EAGAIN" | "EBUSY" | "ETIMEDOUT" | "SQLITE_BUSY" | "SQLITE_LOCKED" | "SQLITE_INTERRUPT"
        | "SQLITE_PROTOCOL" | "SQLITE_SCHEMA" => ErrorKind::Transient,
        _ => ErrorKind::Other,
    }
}

/// `e` with its [`ErrorKind`]; applied once, where errors leave the provider.
pub(crate) fn classify(e: ProviderError) -> ProviderError {
    e.classify(error_kind)
}

/// An OS error while doing `action` on `path`: "writing /x/y: Permission denied (os error 13)".
pub(crate) fn io_error(action: &str, path: &Path, e: &io::Error) -> ProviderError {
    ProviderError::with_code(errno_name(e), format!("{action} {}: {e}", path.display()))
}

/// The `SQLITE_*` name of a SQLite error, with SQLite's own message.
pub(crate) fn sqlite_error(action: &str, db: &Path, e: &rusqlite::Error) -> ProviderError {
    use rusqlite::ErrorCode as C;
    let code = match e {
        rusqlite::Error::SqliteFailure(err, _) => match err.code {
            C::InternalMalfunction => "SQLITE_INTERNAL",
            C::PermissionDenied => "SQLITE_PERM",
            C::OperationAborted => "SQLITE_ABORT",
            C::DatabaseBusy => "SQLITE_BUSY",
            C::DatabaseLocked => "SQLITE_LOCKED",
            C::OutOfMemory => "SQLITE_NOMEM",
            C::ReadOnly => "SQLITE_READONLY",
            C::OperationInterrupted => "SQLITE_INTERRUPT",
            C::SystemIoFailure => "SQLITE_IOERR",
            C::DatabaseCorrupt => "SQLITE_CORRUPT",
            C::NotFound => "SQLITE_NOTFOUND",
            C::DiskFull => "SQLITE_FULL",
            C::CannotOpen => "SQLITE_CANTOPEN",
            C::FileLockingProtocolFailed => "SQLITE_PROTOCOL",
            C::SchemaChanged => "SQLITE_SCHEMA",
            C::TooBig => "SQLITE_TOOBIG",
            C::ConstraintViolation => "SQLITE_CONSTRAINT",
            C::TypeMismatch => "SQLITE_MISMATCH",
            C::ApiMisuse => "SQLITE_MISUSE",
            C::NoLargeFileSupport => "SQLITE_NOLFS",
            C::AuthorizationForStatementDenied => "SQLITE_AUTH",
            C::ParameterOutOfRange => "SQLITE_RANGE",
            C::NotADatabase => "SQLITE_NOTADB",
            _ => "SQLITE_ERROR",
        },
        _ => "SQLITE_ERROR",
    };
    ProviderError::with_code(code, format!("{action} {}: {e}", db.display()))
}

/// Runs blocking filesystem or SQLite work off the async runtime's worker threads.
pub(crate) async fn blocking<T, F>(work: F) -> Result<T, ProviderError>
where
    F: FnOnce() -> Result<T, ProviderError> + Send + 'static,
    T: Send + 'static,
{
    match tokio::task::spawn_blocking(work).await {
        Ok(result) => result,
        Err(e) => Err(ProviderError::with_code(
            "EINTR",
            format!("the local provider's worker task failed: {e}"),
        )),
    }
}

/// The signature of a type's apply: the working directory, the prior state and the planned
/// state (`None` for a create or a delete), and the new state (`None` once deleted).
pub(crate) type ApplyFn = fn(&Path, Option<Value>, Option<Value>) -> Result<Option<Value>, ProviderError>;

/// Runs a type's `apply` on a blocking thread (see [`blocking`]).
pub(crate) async fn apply_blocking(
    working_dir: Arc<Path>,
    prior: Option<Value>,
    planned: Option<Value>,
    apply: ApplyFn,
) -> Result<Option<Value>, ProviderError> {
    blocking(move || apply(&working_dir, prior, planned)).await
}

/// Refreshes instances that live at their `path` attribute (resolved against the working
/// directory), one at a time on a blocking thread: `read_one(path, state)` gives the refreshed
/// state, or `None` when the object is gone.
pub(crate) async fn read_each_path(
    working_dir: Arc<Path>,
    instances: Vec<ReadInstance>,
    read_one: fn(&Path, Value) -> Result<Option<Value>, ProviderError>,
) -> Result<Vec<Option<Value>>, ProviderError> {
    blocking(move || {
        instances
            .into_iter()
            .map(|inst| {
                let path = resolve(&working_dir, &known_string(&inst.state, "path")?);
                read_one(&path, inst.state)
            })
            .collect()
    })
    .await
}

/// Creates the parent directories of `path` (like `mkdir -p "$(dirname path)"`).
pub(crate) fn create_parent_dirs(path: &Path) -> Result<(), ProviderError> {
    match path.parent() {
        Some(dir) if !dir.as_os_str().is_empty() => {
            std::fs::create_dir_all(dir).map_err(|e| io_error("creating directory", dir, &e))
        }
        _ => Ok(()),
    }
}

/// Writes `bytes` to `path` atomically with permission bits `mode` ([`plinth_sdk::files`]: a
/// temporary file beside it, synced, renamed over `path`), creating parent directories. A reader
/// (or a crash) sees the old file or the new one, never half of one. What a killed Plinth left in
/// the directory is swept first ([`sweep_once`]).
pub(crate) fn write_atomic(path: &Path, bytes: &[u8], mode: u32) -> Result<(), ProviderError> {
    create_parent_dirs(path)?;
    sweep_once(path);
    plinth_sdk::files::write_atomic(path, bytes, Some(mode)).map_err(|e| io_error("writing", path, &e))
}

/// Removes the temporary files a killed Plinth left in the directory of `path` (SIGKILL between
/// a write and its rename), once per directory and process, so a crash leaves nothing behind for
/// long: every refresh and write of a file goes through here.
pub(crate) fn sweep_once(path: &Path) {
    static SWEPT: std::sync::LazyLock<std::sync::Mutex<std::collections::HashSet<PathBuf>>> =
        std::sync::LazyLock::new(Default::default);
    let dir = plinth_sdk::files::dir_of(path).to_path_buf();
    let first = SWEPT.lock().map(|mut s| s.insert(dir.clone())).unwrap_or(false);
    if first {
        plinth_sdk::files::sweep_stale_tmp(&dir);
    }
}

/// Lower-case hex SHA-256 of `bytes`.
pub(crate) fn sha256_hex(bytes: &[u8]) -> String {
    hex::encode(Sha256::digest(bytes))
}

/// The string attribute `name` of a planned or prior state, which apply needs known.
pub(crate) fn known_string(state: &Value, name: &str) -> Result<String, ProviderError> {
    match state.get(name).strip_sensitive() {
        Value::String(s) => Ok(s.clone()),
        Value::Unknown => Err(ProviderError::with_code(
            "EINVAL",
            format!("{name} is not known yet; it must be known when the change is applied"),
        )
        .at(AttrPath::attr(name))),
        other => Err(
            ProviderError::with_code("EINVAL", format!("{name} must be a string, not {}", other.type_name()))
                .at(AttrPath::attr(name)),
        ),
    }
}

/// An optional string attribute: `None` when null.
pub(crate) fn optional_string(state: &Value, name: &str) -> Result<Option<String>, ProviderError> {
    if state.get(name).is_null() {
        Ok(None)
    } else {
        known_string(state, name).map(Some)
    }
}

/// The error for a `path` set to the empty string (`detail` says what the path is of).
pub(crate) fn empty_path(config: &Value, detail: &str) -> Option<ProviderDiagnostic> {
    let empty = config.get("path").as_str().is_some_and(str::is_empty);
    empty.then(|| error_at(AttrPath::attr("path"), "Empty path", detail))
}

/// An error diagnostic about `attribute`.
pub(crate) fn error_at(
    attribute: AttrPath,
    summary: impl Into<String>,
    detail: impl Into<String>,
) -> ProviderDiagnostic {
    ProviderDiagnostic {
        severity: Severity::Error,
        summary: summary.into(),
        detail: detail.into(),
        attribute: Some(attribute),
    }
}

/// The path `name[index].field`.
pub(crate) fn item_path(name: &str, index: usize, field: &str) -> AttrPath {
    AttrPath::attr(name)
        .child(PathStep::Index(index))
        .child(PathStep::Attr(field.to_string()))
}

/// An SQL identifier we accept without surprises: `[A-Za-z_][A-Za-z0-9_]*`.
pub(crate) fn is_identifier(s: &str) -> bool {
    let mut chars = s.chars();
    matches!(chars.next(), Some(c) if c.is_ascii_alphabetic() || c == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_')
}

/// Sets `name` in an object value (no-op on non-objects).
pub(crate) fn set(state: &mut Value, name: &str, value: Value) {
    if let Value::Map(m) = state {
        m.insert(name.to_string(), value);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn identifiers() {
        assert!(is_identifier("user_features"));
        assert!(is_identifier("_x1"));
        assert!(!is_identifier("1x"));
        assert!(!is_identifier("a-b"));
        assert!(!is_identifier(""));
        assert!(!is_identifier("a b"));
    }

    #[test]
    fn errno_names() {
        assert_eq!(errno_name(&io::Error::from(io::ErrorKind::NotFound)), "ENOENT");
        assert_eq!(errno_name(&io::Error::from_raw_os_error(13)), "EACCES");
        assert_eq!(errno_name(&io::Error::from_raw_os_error(1)), "EPERM");
    }

    #[test]
    fn sha256_of_empty() {
        assert_eq!(
            sha256_hex(b""),
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
        );
    }
}
