//! `local_model_registry`: a model registry kept as a directory with an `index.json` (the format is
//! documented in `FORMAT-model-registry.md` beside this crate's `Cargo.toml`).
//!
//! The resource manages the registry itself — the directory, the index's `name` and `description`
//! — and the aliases it declares. Model versions belong to other tools (training pipelines
//! register them by rewriting the index), so the resource never adds, changes or removes a version,
//! and of the aliases it touches only those it declared: refresh reports only the declared keys, and
//! an update removes only aliases that a previous apply declared. Every read-modify-write of the
//! index holds the registry's lock file and replaces the index atomically, as the format asks of
//! every writer.
//!
//! Destroy refuses a registry that still holds model versions unless `force_destroy` is true; it
//! then removes `index.json`, and the directory only when nothing else is left in it (model
//! artifacts stored there are never deleted).

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, LazyLock};
use std::time::{Duration, Instant};

use plinth_sdk::plan::default_plan;
use plinth_sdk::{AttrPath, Attribute, PathStep, PlanResponse, ProviderDiagnostic, ProviderError, Schema, Type, Value};
use serde_json::{Map, Value as J};

use crate::support::{
    blocking, empty_path, error_at, io_error, is_gone, known_string, optional_string, resolve, set, write_atomic,
};

pub const TYPE_NAME: &str = "local_model_registry";

/// The `format` value of an index this provider reads and writes.
pub const FORMAT: &str = "plinth-model-registry/v1";
/// The index file inside the registry directory.
pub const INDEX_FILE: &str = "index.json";
/// The lock file every writer of the index creates exclusively while it rewrites the index.
pub const LOCK_FILE: &str = "index.json.lock";

/// How long a writer waits for another writer's lock.
const LOCK_TIMEOUT: Duration = Duration::from_secs(10);

static SCHEMA: LazyLock<Schema> = LazyLock::new(|| {
    Schema::new(
        "A model registry kept as a directory holding an `index.json` (format \
         `plinth-model-registry/v1`, documented for other tools in the provider's \
         FORMAT-model-registry.md). The resource manages the registry's directory, name and \
         description, and the model aliases it declares; model versions are registered by other tools \
         and are never changed by Plinth. Refresh reads the index: a deleted directory or index is \
         re-created by the next apply. Destroy refuses a registry that holds model versions unless \
         `force_destroy` is true; it removes `index.json`, and the directory only when it is then \
         empty. Import with the directory's path.",
    )
    .identity(&["path"])
    .attr(
        "path",
        Attribute::required(Type::String).force_new().describe(
            "Directory of the registry; relative paths resolve against the directory Plinth runs in. \
             Created when missing. Changing it replaces the registry.",
        ),
    )
    .attr(
        "name",
        Attribute::required(Type::String).describe("Name of the registry, stored in the index. Updated in place."),
    )
    .attr(
        "description",
        Attribute::optional(Type::String).describe("Free text about the registry, stored in the index."),
    )
    .attr(
        "aliases",
        Attribute::optional(Type::Map(Box::new(Type::String))).describe(
            "Model aliases this resource manages, as a map from \"MODEL:ALIAS\" to a version, such as \
             { \"churn:champion\" = \"3\" }. Apply refuses an alias to a model or version that is not \
             registered. Aliases not declared here (set by other tools) are left untouched; removing \
             a key removes that alias from the index.",
        ),
    )
    .attr(
        "force_destroy",
        Attribute::optional_computed(Type::Bool).describe(
            "Allow destroying the registry while it still holds model versions (default false). Their \
             entries go with `index.json`; artifact files are never deleted.",
        ),
    )
    .attr(
        "id",
        Attribute::computed(Type::String).describe("The registry's path, as written in `path`."),
    )
});

/// The resource schema.
pub fn schema() -> &'static Schema {
    &SCHEMA
}

/// Splits an alias key "MODEL:ALIAS" at its last colon (model names may contain colons; aliases
/// may not).
fn split_alias_key(key: &str) -> Option<(&str, &str)> {
    let (model, alias) = key.rsplit_once(':')?;
    let alias_ok = !alias.is_empty()
        && alias
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-' || c == '.');
    (alias_ok && !model.is_empty()).then_some((model, alias))
}

fn alias_path(key: &str) -> AttrPath {
    AttrPath::attr("aliases").child(PathStep::Key(key.to_string()))
}

pub(crate) fn validate(config: &Value) -> Vec<ProviderDiagnostic> {
    let mut diags: Vec<ProviderDiagnostic> = empty_path(
        config,
        "local_model_registry needs the path of the registry's directory.",
    )
    .into_iter()
    .collect();
    if config.get("name").as_str().is_some_and(|n| n.trim().is_empty()) {
        diags.push(error_at(
            AttrPath::attr("name"),
            "Empty name",
            "The registry needs a name.",
        ));
    }
    if let Some(aliases) = config.get("aliases").as_map() {
        for (key, version) in aliases {
            if split_alias_key(key).is_none() {
                diags.push(error_at(
                    alias_path(key),
                    "Invalid alias key",
                    format!(
                        "{key:?} is not of the form \"MODEL:ALIAS\" (an alias is letters, digits, `_`, `-` \
                         and `.`), such as \"churn:champion\"."
                    ),
                ));
            }
            if version.as_str().is_some_and(|v| v.trim().is_empty()) {
                diags.push(error_at(
                    alias_path(key),
                    "Empty version",
                    "An alias must point to a version.",
                ));
            }
        }
    }
    diags
}

pub(crate) fn plan(prior: Option<&Value>, config: &Value) -> PlanResponse {
    let mut resp = default_plan(schema(), prior, config);
    if config.get("force_destroy").is_null() {
        set(&mut resp.planned, "force_destroy", Value::Bool(false));
    }
    if let Some(path) = config.get("path").as_str() {
        set(&mut resp.planned, "id", Value::string(path));
    }
    resp
}

fn invalid(path: &Path, why: impl std::fmt::Display) -> ProviderError {
    ProviderError::with_code("EINVAL", format!("{}: not a {FORMAT} index: {why}", path.display()))
}

/// The registry's index, or `None` when the directory or the index is gone.
fn load_index(dir: &Path) -> Result<Option<Map<String, J>>, ProviderError> {
    let path = dir.join(INDEX_FILE);
    let bytes = match std::fs::read(&path) {
        Ok(bytes) => bytes,
        Err(e) if is_gone(&e) => return Ok(None),
        Err(e) => return Err(io_error("reading", &path, &e)),
    };
    let json: J = serde_json::from_slice(&bytes).map_err(|e| invalid(&path, e))?;
    let J::Object(index) = json else {
        return Err(invalid(&path, "the document is not a JSON object"));
    };
    match index.get("format") {
        Some(J::String(f)) if f == FORMAT => Ok(Some(index)),
        Some(other) => Err(invalid(&path, format_args!("unsupported format {other}"))),
        None => Err(invalid(&path, "no \"format\" field")),
    }
}

fn save_index(dir: &Path, index: &Map<String, J>) -> Result<(), ProviderError> {
    let path = dir.join(INDEX_FILE);
    let mut text = serde_json::to_string_pretty(index)
        .map_err(|e| ProviderError::with_code("EINVAL", format!("encoding {}: {e}", path.display())))?;
    text.push('\n');
    write_atomic(&path, text.as_bytes(), 0o644)
}

/// The lock file held while rewriting the index; removed on drop.
struct IndexLock {
    path: PathBuf,
}

impl IndexLock {
    fn acquire(dir: &Path) -> Result<IndexLock, ProviderError> {
        let path = dir.join(LOCK_FILE);
        let start = Instant::now();
        loop {
            match std::fs::OpenOptions::new().write(true).create_new(true).open(&path) {
                Ok(mut file) => {
                    use std::io::Write;
                    // Informational only, for whoever finds a stale lock.
                    let _ = writeln!(file, "pid {} (plinth)", std::process::id());
                    return Ok(IndexLock { path });
                }
                Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {
                    if start.elapsed() >= LOCK_TIMEOUT {
                        return Err(ProviderError::with_code(
                            "EBUSY",
                            format!(
                                "{} is held by another writer (waited {} s); if no other tool is writing \
                                 the registry, remove the lock file",
                                path.display(),
                                LOCK_TIMEOUT.as_secs()
                            ),
                        ));
                    }
                    std::thread::sleep(Duration::from_millis(25));
                }
                Err(e) => return Err(io_error("creating the lock file", &path, &e)),
            }
        }
    }
}

impl Drop for IndexLock {
    fn drop(&mut self) {
        if let Err(e) = std::fs::remove_file(&self.path) {
            tracing::warn!(path = %self.path.display(), error = %e, "could not remove the registry lock file");
        }
    }
}

/// A version string from the index: strings as they are, integral numbers without a fraction.
fn version_text(v: &J) -> Option<String> {
    match v {
        J::String(s) => Some(s.clone()),
        J::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

fn models(index: &Map<String, J>) -> Option<&Map<String, J>> {
    index.get("models").and_then(J::as_object)
}

/// Every registered version, as "MODEL:VERSION".
fn registered_versions(index: &Map<String, J>) -> Vec<String> {
    let mut out = Vec::new();
    for (model, entry) in models(index).into_iter().flatten() {
        for v in entry.get("versions").and_then(J::as_array).into_iter().flatten() {
            let version = v
                .get("version")
                .and_then(version_text)
                .unwrap_or_else(|| "?".to_string());
            out.push(format!("{model}:{version}"));
        }
    }
    out
}

/// The version the alias `key` ("MODEL:ALIAS") points to in the index.
fn alias_in_index(index: &Map<String, J>, key: &str) -> Option<String> {
    let (model, alias) = split_alias_key(key)?;
    models(index)?
        .get(model)?
        .get("aliases")?
        .get(alias)
        .and_then(version_text)
}

/// The declared aliases of a state or plan: key -> version.
fn declared_aliases(state: &Value) -> Result<BTreeMap<String, String>, ProviderError> {
    let Some(map) = state.get("aliases").as_map() else {
        return Ok(BTreeMap::new());
    };
    map.iter()
        .map(|(k, v)| match v.as_str() {
            Some(version) => Ok((k.clone(), version.to_string())),
            None => {
                Err(ProviderError::with_code("EINVAL", format!("alias {k:?} must be a known string")).at(alias_path(k)))
            }
        })
        .collect()
}

/// Makes the index's registry fields and aliases match `state`, removing the aliases in
/// `previously_declared` that `state` no longer declares.
fn update_index(
    index: &mut Map<String, J>,
    state: &Value,
    previously_declared: &BTreeMap<String, String>,
    index_path: &Path,
) -> Result<(), ProviderError> {
    index.insert("format".to_string(), J::String(FORMAT.to_string()));
    index.insert("name".to_string(), J::String(known_string(state, "name")?));
    let description = optional_string(state, "description")?.map_or(J::Null, J::String);
    index.insert("description".to_string(), description);
    let desired = declared_aliases(state)?;
    let models_entry = index
        .entry("models".to_string())
        .or_insert_with(|| J::Object(Map::new()));
    let Some(models) = models_entry.as_object_mut() else {
        return Err(invalid(index_path, "\"models\" is not an object"));
    };
    for key in previously_declared.keys().filter(|k| !desired.contains_key(*k)) {
        if let Some((model, alias)) = split_alias_key(key)
            && let Some(aliases) = models
                .get_mut(model)
                .and_then(|m| m.get_mut("aliases"))
                .and_then(J::as_object_mut)
        {
            aliases.remove(alias);
        }
    }
    for (key, version) in &desired {
        let (model, alias) = split_alias_key(key).ok_or_else(|| {
            ProviderError::with_code("EINVAL", format!("{key:?} is not of the form \"MODEL:ALIAS\""))
                .at(alias_path(key))
        })?;
        let Some(entry) = models.get_mut(model).and_then(J::as_object_mut) else {
            return Err(ProviderError::with_code(
                "ENOENT",
                format!(
                    "alias {key:?}: the registry {} has no model {model:?}; register a version of it first",
                    index_path.display()
                ),
            )
            .at(alias_path(key)));
        };
        let registered = entry.get("versions").and_then(J::as_array).is_some_and(|vs| {
            vs.iter()
                .any(|v| v.get("version").and_then(version_text).as_ref() == Some(version))
        });
        if !registered {
            return Err(ProviderError::with_code(
                "ENOENT",
                format!(
                    "alias {key:?}: model {model:?} has no version {version:?} in {}; register it first",
                    index_path.display()
                ),
            )
            .at(alias_path(key)));
        }
        let aliases = entry
            .entry("aliases".to_string())
            .or_insert_with(|| J::Object(Map::new()));
        if !aliases.is_object() {
            *aliases = J::Object(Map::new());
        }
        if let Some(aliases) = aliases.as_object_mut() {
            aliases.insert(alias.to_string(), J::String(version.clone()));
        }
    }
    Ok(())
}

pub(crate) fn apply(
    working_dir: &Path,
    prior: Option<Value>,
    planned: Option<Value>,
) -> Result<Option<Value>, ProviderError> {
    match (prior, planned) {
        (None, None) => Ok(None),
        (Some(prior), None) => {
            destroy(working_dir, &prior)?;
            Ok(None)
        }
        (prior, Some(mut state)) => {
            let path_text = known_string(&state, "path")?;
            let dir = resolve(working_dir, &path_text);
            let index_path = dir.join(INDEX_FILE);
            match prior {
                None => {
                    // Check everything before touching the disk, so a refused create leaves nothing.
                    let mut index = Map::new();
                    update_index(&mut index, &state, &BTreeMap::new(), &index_path)?;
                    std::fs::create_dir_all(&dir).map_err(|e| io_error("creating directory", &dir, &e))?;
                    let _lock = IndexLock::acquire(&dir)?;
                    if index_path.exists() {
                        return Err(ProviderError::with_code(
                            "EEXIST",
                            format!(
                                "{} already holds a model registry; import it (id {path_text:?}) instead of \
                                 creating it",
                                dir.display()
                            ),
                        ));
                    }
                    save_index(&dir, &index)?;
                }
                Some(prior) => {
                    let _lock = IndexLock::acquire(&dir).map_err(|e| match e.code.as_deref() {
                        Some("ENOENT") => ProviderError::with_code(
                            "ENOENT",
                            format!("{}: the registry was removed outside Plinth", dir.display()),
                        ),
                        _ => e,
                    })?;
                    let mut index = load_index(&dir)?.ok_or_else(|| {
                        ProviderError::with_code(
                            "ENOENT",
                            format!(
                                "{}: the registry index was removed outside Plinth",
                                index_path.display()
                            ),
                        )
                    })?;
                    update_index(&mut index, &state, &declared_aliases(&prior)?, &index_path)?;
                    save_index(&dir, &index)?;
                }
            }
            tracing::debug!(path = %dir.display(), "wrote model registry index");
            if state.get("force_destroy").is_null() {
                set(&mut state, "force_destroy", Value::Bool(false));
            }
            set(&mut state, "id", Value::String(path_text));
            Ok(Some(state))
        }
    }
}

fn destroy(working_dir: &Path, prior: &Value) -> Result<(), ProviderError> {
    let dir = resolve(working_dir, &known_string(prior, "path")?);
    let index_path = dir.join(INDEX_FILE);
    if load_index(&dir)?.is_none() {
        return Ok(());
    }
    {
        let _lock = IndexLock::acquire(&dir)?;
        if let Some(index) = load_index(&dir)? {
            let versions = registered_versions(&index);
            let force = prior.get("force_destroy").as_bool().unwrap_or(false);
            if !versions.is_empty() && !force {
                return Err(ProviderError::with_code(
                    "ENOTEMPTY",
                    format!(
                        "{} holds {} model version(s) ({}); refusing to destroy it. Set force_destroy = true \
                         and apply first to destroy it anyway",
                        dir.display(),
                        versions.len(),
                        versions.join(", ")
                    ),
                ));
            }
            match std::fs::remove_file(&index_path) {
                Ok(()) => {}
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
                Err(e) => return Err(io_error("removing", &index_path, &e)),
            }
        }
    }
    // Only an empty directory goes: artifacts or other files kept there stay.
    match std::fs::remove_dir(&dir) {
        Ok(()) => {}
        Err(e)
            if matches!(
                e.kind(),
                std::io::ErrorKind::NotFound | std::io::ErrorKind::DirectoryNotEmpty
            ) =>
        {
            tracing::debug!(path = %dir.display(), "registry directory not removed: {e}");
        }
        Err(e) => return Err(io_error("removing directory", &dir, &e)),
    }
    Ok(())
}

/// `state` with the registry fields as the index has them; aliases only for the declared keys.
fn refreshed(mut state: Value, index: &Map<String, J>) -> Value {
    let text = |k: &str| match index.get(k) {
        Some(J::String(s)) => Value::String(s.clone()),
        _ => Value::Null,
    };
    set(&mut state, "name", text("name"));
    set(&mut state, "description", text("description"));
    if let Some(declared) = state.get("aliases").as_map() {
        let live: plinth_sdk::Map = declared
            .keys()
            .filter_map(|k| alias_in_index(index, k).map(|v| (k.clone(), Value::String(v))))
            .collect();
        set(&mut state, "aliases", Value::Map(live));
    }
    state
}

/// Refreshes one instance (for `support::read_each_path`); `None` once it is gone.
pub(crate) fn read_one(dir: &Path, state: Value) -> Result<Option<Value>, ProviderError> {
    Ok(load_index(dir)?.map(|index| refreshed(state, &index)))
}

/// Adopts an existing registry. No alias is adopted (they may belong to other tools); those the
/// configuration declares are set by the next apply.
pub(crate) async fn import(working_dir: Arc<Path>, id: &str) -> Result<Value, ProviderError> {
    let id = id.to_string();
    blocking(move || {
        let dir = resolve(&working_dir, &id);
        let index = load_index(&dir)?.ok_or_else(|| {
            ProviderError::with_code(
                "ENOENT",
                format!(
                    "importing {}: no model registry index there",
                    dir.join(INDEX_FILE).display()
                ),
            )
        })?;
        let state = Value::object([
            ("path", Value::String(id.clone())),
            ("id", Value::String(id.clone())),
            ("aliases", Value::Null),
            ("force_destroy", Value::Bool(false)),
        ]);
        Ok(refreshed(state, &index))
    })
    .await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn alias_keys() {
        assert_eq!(split_alias_key("churn:champion"), Some(("churn", "champion")));
        assert_eq!(
            split_alias_key("team:churn:v2-candidate"),
            Some(("team:churn", "v2-candidate"))
        );
        assert_eq!(split_alias_key("churn"), None);
        assert_eq!(split_alias_key(":champion"), None);
        assert_eq!(split_alias_key("churn:"), None);
    }
}
