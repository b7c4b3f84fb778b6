//! `local_file`: a file on this machine (pipeline and monitor specs, rendered configs), and the
//! `local_file` data source that reads one.
//!
//! Writes are atomic (a temporary file in the same directory, renamed over the target), so a
//! reader or a crash never sees half a file. Refresh reads the file back: a deleted file is gone
//! (the next plan re-creates it) and a hand edit comes back as the live content and its hash, which
//! the engine shows as drift. `id` is the SHA-256 of the content, so it is known at plan time
//! whenever the content is.
//!
//! Secrets: content set through `sensitive_content` stays marked sensitive on every path out of
//! this module (plan, apply, refresh, import), so the engine never persists it in clear text.
//! Refresh puts the live bytes back into whichever of the two attributes the prior state used;
//! import, which cannot know, uses `sensitive_content` (the safe choice: a later plan may move the
//! text to `content` with an in-place update that rewrites the same bytes).

use std::os::unix::fs::PermissionsExt;
use std::path::Path;
use std::sync::{Arc, LazyLock};

use base64::Engine as _;
use plinth_sdk::plan::default_plan;
use plinth_sdk::{AttrPath, Attribute, PlanResponse, ProviderDiagnostic, ProviderError, Schema, Type, Value};

use crate::support::{
    blocking, empty_path, error_at, io_error, is_gone, known_string, optional_string, resolve, set, sha256_hex,
    sweep_once, write_atomic,
};

pub const TYPE_NAME: &str = "local_file";

/// The permission bits of a file whose `file_permission` is not set.
pub const DEFAULT_FILE_PERMISSION: &str = "0644";

static SCHEMA: LazyLock<Schema> = LazyLock::new(|| {
    Schema::new(
        "A file on the machine Plinth runs on, such as a pipeline or monitor spec. Create and update write \
         it atomically (a temporary file in the same directory, then a rename), creating parent \
         directories. Refresh reads it back: a deleted file is re-created by the next apply and a hand \
         edit shows as drift. Destroy removes the file (an already missing file is fine). Import with \
         the file's path.",
    )
    .identity(&["path"])
    .attr(
        "path",
        Attribute::required(Type::String).force_new().describe(
            "Path of the file; relative paths resolve against the directory Plinth runs in. \
             Changing it replaces the file (the old one is removed).",
        ),
    )
    .attr(
        "content",
        Attribute::optional(Type::String).describe(
            "Text to write. Exactly one of `content` and `sensitive_content` must be set. A change \
             rewrites the file in place.",
        ),
    )
    .attr(
        "sensitive_content",
        Attribute::optional(Type::String).sensitive().describe(
            "Text to write that must never be shown or stored in clear text (rendered credentials, \
             tokens). Exactly one of `content` and `sensitive_content` must be set.",
        ),
    )
    .attr(
        "file_permission",
        Attribute::optional_computed(Type::String).describe(
            "Permission bits of the file as an octal string, such as \"0644\" or \"0600\"; default \
             \"0644\". Set explicitly, regardless of the umask. A change (or a hand `chmod`) is \
             corrected in place.",
        ),
    )
    .attr(
        "id",
        Attribute::computed(Type::String)
            .describe("Lower-case hex SHA-256 of the file's content; changes whenever the content does."),
    )
});

static DATA_SCHEMA: LazyLock<Schema> = LazyLock::new(|| {
    Schema::new("Reads a file on the machine Plinth runs on. A missing file is an error that names the path.")
        .attr(
            "filename",
            Attribute::required(Type::String)
                .describe("Path of the file to read; relative paths resolve against the directory Plinth runs in."),
        )
        .attr(
            "content",
            Attribute::computed(Type::String).describe(
                "The file's content as text (bytes that are not valid UTF-8 are replaced with U+FFFD; use \
                 `content_base64` for binary files).",
            ),
        )
        .attr(
            "content_base64",
            Attribute::computed(Type::String)
                .describe("The file's exact bytes, base64-encoded (standard alphabet, padded)."),
        )
        .attr(
            "id",
            Attribute::computed(Type::String).describe("Lower-case hex SHA-256 of the file's bytes."),
        )
});

/// The resource schema.
pub fn schema() -> &'static Schema {
    &SCHEMA
}

/// The data source schema.
pub fn data_schema() -> &'static Schema {
    &DATA_SCHEMA
}

/// Parses an octal permission string of three or four digits ("644", "0600", "1777").
pub fn parse_mode(s: &str) -> Option<u32> {
    if !(3..=4).contains(&s.len()) || !s.bytes().all(|b| (b'0'..=b'7').contains(&b)) {
        return None;
    }
    u32::from_str_radix(s, 8).ok()
}

pub(crate) fn validate(config: &Value) -> Vec<ProviderDiagnostic> {
    let mut diags: Vec<ProviderDiagnostic> = empty_path(config, "local_file needs the path of the file to manage.")
        .into_iter()
        .collect();
    // Unknown counts as set: it will be a value at apply.
    let content_set = !config.get("content").is_null();
    let sensitive_set = !config.get("sensitive_content").is_null();
    if content_set && sensitive_set {
        diags.push(error_at(
            AttrPath::attr("sensitive_content"),
            "Conflicting content",
            "Only one of `content` and `sensitive_content` may be set.",
        ));
    } else if !content_set && !sensitive_set {
        diags.push(error_at(
            AttrPath::attr("content"),
            "Missing content",
            "Exactly one of `content` and `sensitive_content` must be set (use \"\" for an empty file).",
        ));
    }
    if let Some(perm) = config.get("file_permission").as_str()
        && parse_mode(perm).is_none()
    {
        diags.push(error_at(
            AttrPath::attr("file_permission"),
            "Invalid file permission",
            format!("{perm:?} is not an octal permission string such as \"0644\" or \"0600\"."),
        ));
    }
    diags
}

/// The text to write: whichever of `content` and `sensitive_content` is set.
fn desired_content(v: &Value) -> &Value {
    let content = v.get("content");
    if content.is_null() {
        v.get("sensitive_content")
    } else {
        content
    }
}

pub(crate) fn plan(prior: Option<&Value>, config: &Value) -> PlanResponse {
    let mut resp = default_plan(schema(), prior, config);
    if config.get("file_permission").is_null() {
        set(
            &mut resp.planned,
            "file_permission",
            Value::string(DEFAULT_FILE_PERMISSION),
        );
    }
    let id = match desired_content(config).as_str() {
        Some(text) => Value::String(sha256_hex(text.as_bytes())),
        None => Value::Unknown,
    };
    let secret = resp.planned.get("sensitive_content").clone();
    // The id is a hash of the content: for secret content (sensitive_content, or content marked
    // sensitive by the engine) it is as secret as the content — an unkeyed hash of a guessable
    // secret would confirm guesses — so it is marked too.
    let secret_text = !secret.is_null() || config.get("content").is_sensitive();
    set(&mut resp.planned, "id", id.mark_if(secret_text));
    if !secret.is_null() {
        set(&mut resp.planned, "sensitive_content", secret.mark());
    }
    resp
}

pub(crate) fn apply(
    working_dir: &Path,
    prior: Option<Value>,
    planned: Option<Value>,
) -> Result<Option<Value>, ProviderError> {
    let Some(mut state) = planned else {
        if let Some(prior) = prior {
            let path = resolve(working_dir, &known_string(&prior, "path")?);
            match std::fs::remove_file(&path) {
                Ok(()) => {}
                Err(e) if is_gone(&e) => {}
                Err(e) => return Err(io_error("removing", &path, &e)),
            }
        }
        return Ok(None);
    };
    let path = resolve(working_dir, &known_string(&state, "path")?);
    let text = match desired_content(&state).strip_sensitive() {
        Value::String(s) => s.clone(),
        Value::Unknown => {
            return Err(
                ProviderError::with_code("EINVAL", "content is not known yet at apply").at(AttrPath::attr("content"))
            );
        }
        _ => {
            return Err(
                ProviderError::with_code("EINVAL", "exactly one of content and sensitive_content must be set")
                    .at(AttrPath::attr("content")),
            );
        }
    };
    let perm = optional_string(&state, "file_permission")?.unwrap_or_else(|| DEFAULT_FILE_PERMISSION.to_string());
    let mode = parse_mode(&perm).ok_or_else(|| {
        ProviderError::with_code(
            "EINVAL",
            format!("{perm:?} is not an octal permission string such as \"0644\""),
        )
        .at(AttrPath::attr("file_permission"))
    })?;
    write_atomic(&path, text.as_bytes(), mode)?;
    tracing::debug!(path = %path.display(), bytes = text.len(), "wrote file");
    set(&mut state, "file_permission", Value::String(perm));
    let secret = state.get("sensitive_content").clone();
    let secret_text = !secret.is_null() || state.get("content").is_sensitive();
    set(
        &mut state,
        "id",
        Value::String(sha256_hex(text.as_bytes())).mark_if(secret_text),
    );
    if !secret.is_null() {
        set(&mut state, "sensitive_content", secret.mark());
    }
    Ok(Some(state))
}

/// What is on disk at a path: its bytes and permission bits, or `None` when there is no file.
struct LiveFile {
    bytes: Vec<u8>,
    mode: u32,
}

fn read_live(path: &Path) -> Result<Option<LiveFile>, ProviderError> {
    let bytes = match std::fs::read(path) {
        Ok(bytes) => bytes,
        Err(e) if is_gone(&e) => return Ok(None),
        Err(e) => return Err(io_error("reading", path, &e)),
    };
    let meta = std::fs::metadata(path).map_err(|e| io_error("reading the metadata of", path, &e))?;
    Ok(Some(LiveFile {
        bytes,
        mode: meta.permissions().mode() & 0o7777,
    }))
}

/// The permission string to report: the prior spelling when it means the live bits (so "644"
/// in configuration is not drift against "0644"), the live bits otherwise.
fn permission_string(prior: Option<&str>, mode: u32) -> String {
    match prior {
        Some(p) if parse_mode(p) == Some(mode) => p.to_string(),
        _ => format!("{mode:04o}"),
    }
}

fn refreshed(mut state: Value, live: LiveFile) -> Value {
    let text = String::from_utf8_lossy(&live.bytes).into_owned();
    // A file created from `content` has it set in state — in clear, or as a marked (possibly
    // redacted) value when the content came from a secret; otherwise it came from
    // `sensitive_content`. Either way secret text stays marked.
    let uses_content = matches!(state.get("content"), Value::String(_) | Value::Sensitive(_));
    let secret = !uses_content || state.get("content").is_sensitive();
    if uses_content {
        set(&mut state, "content", Value::String(text).mark_if(secret));
    } else {
        set(&mut state, "content", Value::Null);
        set(&mut state, "sensitive_content", Value::String(text).mark());
    }
    let perm = permission_string(state.get("file_permission").as_str(), live.mode);
    set(&mut state, "file_permission", Value::String(perm));
    set(&mut state, "id", Value::String(sha256_hex(&live.bytes)).mark_if(secret));
    state
}

/// Refreshes one instance (for `support::read_each_path`); `None` once it is gone.
pub(crate) fn read_one(path: &Path, state: Value) -> Result<Option<Value>, ProviderError> {
    sweep_once(path);
    Ok(read_live(path)?.map(|live| refreshed(state, live)))
}

pub(crate) async fn import(working_dir: Arc<Path>, id: &str) -> Result<Value, ProviderError> {
    let id = id.to_string();
    blocking(move || {
        let path = resolve(&working_dir, &id);
        let live = read_live(&path)?
            .ok_or_else(|| ProviderError::with_code("ENOENT", format!("importing {}: no such file", path.display())))?;
        let state = Value::object([
            ("path", Value::String(id)),
            ("content", Value::Null),
            ("sensitive_content", Value::Null),
            ("file_permission", Value::Null),
        ]);
        Ok(refreshed(state, live))
    })
    .await
}

pub(crate) async fn read_data(working_dir: Arc<Path>, config: &Value) -> Result<Value, ProviderError> {
    let filename = known_string(config, "filename")?;
    let mut state = config.clone();
    blocking(move || {
        let path = resolve(&working_dir, &filename);
        let bytes = std::fs::read(&path).map_err(|e| io_error("reading", &path, &e).at(AttrPath::attr("filename")))?;
        set(
            &mut state,
            "content",
            Value::String(String::from_utf8_lossy(&bytes).into_owned()),
        );
        set(
            &mut state,
            "content_base64",
            Value::String(base64::engine::general_purpose::STANDARD.encode(&bytes)),
        );
        set(&mut state, "id", Value::String(sha256_hex(&bytes)));
        Ok(state)
    })
    .await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn modes() {
        assert_eq!(parse_mode("0644"), Some(0o644));
        assert_eq!(parse_mode("600"), Some(0o600));
        assert_eq!(parse_mode("1777"), Some(0o1777));
        assert_eq!(parse_mode("0800"), None);
        assert_eq!(parse_mode("64"), None);
        assert_eq!(parse_mode("00644"), None);
        assert_eq!(permission_string(Some("644"), 0o644), "644");
        assert_eq!(permission_string(Some("0644"), 0o600), "0600");
    }
}
