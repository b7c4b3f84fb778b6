//! The object store and the write verbs (create, replace, patch, apply, delete) on it.
//!
//! **Every write goes through `commit`**, which decides whether anything changed (object or
//! ownership), bumps the global resourceVersion and the generation only if so, and stores the
//! result unless it is a dry run. The HTTP layer and the test-facing methods on `FakeApi` both
//! call these verbs, so an out-of-band `edit` behaves exactly like an HTTP merge patch.

use std::collections::BTreeMap;

use serde_json::{Map, Value, json};

use crate::kinds::{self, Kind};
use crate::managed::{self, FieldSet, ManagerEntry};
use crate::objects;
use crate::patch;
use crate::query::{FieldSelector, LabelSelector};
use crate::status::{self, ApiError};
use crate::time::now_rfc3339;

/// Storage key: kind (table index), namespace (empty for cluster-scoped), name. The ordering makes
/// lists come out sorted by namespace, then name.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
struct Key {
    kind: usize,
    namespace: String,
    name: String,
}

/// A stored object: its JSON (without `managedFields`) and its ownership records.
#[derive(Debug, Clone)]
struct Stored {
    object: Value,
    managers: Vec<ManagerEntry>,
}

impl Stored {
    /// The object as a GET returns it, with `metadata.managedFields` rendered.
    fn render(&self) -> Value {
        let mut object = self.object.clone();
        if !self.managers.is_empty()
            && let Some(Value::Object(meta)) = object.get_mut("metadata")
        {
            let entries = self.managers.iter().map(ManagerEntry::to_json).collect();
            meta.insert("managedFields".into(), Value::Array(entries));
        }
        object
    }
}

/// An object address: kind, namespace (for namespaced kinds) and name.
#[derive(Debug, Clone)]
pub(crate) struct ObjectRef {
    pub kind: &'static Kind,
    pub namespace: Option<String>,
    pub name: String,
}

impl ObjectRef {
    fn key(&self) -> Key {
        Key {
            kind: self.kind.index(),
            namespace: self.namespace.clone().unwrap_or_default(),
            name: self.name.clone(),
        }
    }
}

/// Options shared by the write verbs.
#[derive(Debug, Clone, Default)]
pub(crate) struct WriteOptions {
    /// The field manager recorded for the write.
    pub manager: String,
    /// `force=true` on an apply.
    pub force: bool,
    /// `dryRun=All`: compute and return the result, store nothing.
    pub dry_run: bool,
}

/// All mutable server state. One instance lives behind a `Mutex` shared by the HTTP thread and
/// `FakeApi`.
#[derive(Debug, Default)]
pub(crate) struct State {
    objects: BTreeMap<Key, Stored>,
    resource_version: u64,
    /// `METHOD /path?query` for every HTTP request, in arrival order.
    pub requests: Vec<String>,
    /// When set, requests must carry `Authorization: Bearer <token>`.
    pub token: Option<String>,
    /// The port the server listens on (for discovery's `serverAddressByClientCIDRs`).
    pub port: u16,
}

impl State {
    /// A fresh store holding the namespaces every cluster starts with.
    pub fn new(port: u16) -> State {
        let mut state = State {
            port,
            ..State::default()
        };
        for ns in ["default", "kube-system", "kube-public"] {
            let target = ObjectRef {
                kind: kinds::namespace_kind(),
                namespace: None,
                name: ns.into(),
            };
            let body = json!({"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": ns}});
            let opts = WriteOptions {
                manager: "kube-apiserver".into(),
                ..WriteOptions::default()
            };
            // Built-in names and bodies are valid, so this cannot fail; ignore the result rather
            // than panic in library code.
            let _ = state.create(target.kind, None, body, &opts);
        }
        state
    }

    /// The current global resourceVersion.
    pub fn resource_version(&self) -> u64 {
        self.resource_version
    }

    /// GET of one object.
    pub fn get(&self, target: &ObjectRef) -> Result<Value, ApiError> {
        self.objects
            .get(&target.key())
            .map(Stored::render)
            .ok_or_else(|| ApiError::not_found(target.kind, &target.name))
    }

    /// GET of a collection: `namespace` `None` lists across all namespaces.
    pub fn list(
        &self,
        kind: &'static Kind,
        namespace: Option<&str>,
        labels: &LabelSelector,
        fields: &FieldSelector,
    ) -> Vec<Value> {
        let index = kind.index();
        self.objects
            .iter()
            .filter(|(k, _)| k.kind == index && namespace.is_none_or(|ns| k.namespace == ns))
            .map(|(_, s)| s.render())
            .filter(|o| labels.matches(o.get("metadata").and_then(|m| m.get("labels"))) && fields.matches(o))
            .collect()
    }

    fn namespace_exists(&self, name: &str) -> bool {
        let key = Key {
            kind: kinds::namespace_kind().index(),
            namespace: String::new(),
            name: name.to_string(),
        };
        self.objects.contains_key(&key)
    }

    fn require_namespace(&self, target: &ObjectRef) -> Result<(), ApiError> {
        match &target.namespace {
            Some(ns) if target.kind.namespaced && !self.namespace_exists(ns) => {
                Err(ApiError::not_found(kinds::namespace_kind(), ns))
            }
            _ => Ok(()),
        }
    }

    /// POST to a collection.
    pub fn create(
        &mut self,
        kind: &'static Kind,
        namespace: Option<&str>,
        body: Value,
        opts: &WriteOptions,
    ) -> Result<Value, ApiError> {
        check_type_meta(kind, &body, false)?;
        check_namespace(kind, namespace, &body)?;
        let name = match body_name(&body) {
            Some(name) => name,
            None => match body
                .get("metadata")
                .and_then(|m| m.get("generateName"))
                .and_then(Value::as_str)
            {
                Some(prefix) if !prefix.is_empty() => generate_name(prefix),
                _ => {
                    return Err(ApiError::invalid_object(
                        kind,
                        "",
                        &[crate::status::FieldError::required(
                            "metadata.name",
                            "name or generateName is required",
                        )],
                    ));
                }
            },
        };
        let target = ObjectRef {
            kind,
            namespace: namespace.map(str::to_string),
            name,
        };
        self.require_namespace(&target)?;
        if self.objects.contains_key(&target.key()) {
            return Err(ApiError::already_exists(kind, &target.name));
        }
        let now = now_rfc3339();
        let object = objects::finish(kind, namespace, &target.name, body, None, &now)?;
        let mut managers = Vec::new();
        managed::record_update(
            &mut managers,
            &opts.manager,
            &kind.api_version(),
            None,
            &object,
            &objects::server_owned_paths(kind),
            &now,
        );
        Ok(self.commit(&target, None, object, managers, opts.dry_run))
    }

    /// PUT of an object.
    pub fn replace(&mut self, target: &ObjectRef, body: Value, opts: &WriteOptions) -> Result<Value, ApiError> {
        check_type_meta(target.kind, &body, false)?;
        check_namespace(target.kind, target.namespace.as_deref(), &body)?;
        check_body_name(target, &body, || {
            ApiError::invalid_object(
                target.kind,
                "",
                &[crate::status::FieldError::required(
                    "metadata.name",
                    "name or generateName is required",
                )],
            )
        })?;
        let old = self
            .objects
            .get(&target.key())
            .cloned()
            .ok_or_else(|| ApiError::not_found(target.kind, &target.name))?;
        check_preconditions(target, &body, &old.object)?;
        self.update(target, old, body, opts)
    }

    /// PATCH with a merge patch (`application/merge-patch+json`, and strategic merge patch, which
    /// the fake treats the same) or a JSON patch (`application/json-patch+json`).
    pub fn patch(
        &mut self,
        target: &ObjectRef,
        patch_body: &Value,
        json_patch: bool,
        opts: &WriteOptions,
    ) -> Result<Value, ApiError> {
        let old = self
            .objects
            .get(&target.key())
            .cloned()
            .ok_or_else(|| ApiError::not_found(target.kind, &target.name))?;
        let mut object = old.object.clone();
        if json_patch {
            patch::json_patch(&mut object, patch_body).map_err(ApiError::bad_request)?;
        } else {
            if !patch_body.is_object() {
                return Err(ApiError::bad_request("a merge patch must be a JSON object"));
            }
            patch::merge_patch(&mut object, patch_body);
        }
        if let Some(Value::Object(meta)) = object.get_mut("metadata") {
            meta.shift_remove("managedFields");
        }
        check_type_meta(target.kind, &object, false)?;
        if body_name(&object).as_deref() != Some(target.name.as_str()) {
            return Err(ApiError::bad_request(format!(
                "the name of the object ({}) does not match the name on the URL ({})",
                body_name(&object).unwrap_or_default(),
                target.name
            )));
        }
        check_namespace(target.kind, target.namespace.as_deref(), &object)?;
        check_preconditions(target, &object, &old.object)?;
        self.update(target, old, object, opts)
    }

    fn update(&mut self, target: &ObjectRef, old: Stored, body: Value, opts: &WriteOptions) -> Result<Value, ApiError> {
        let now = now_rfc3339();
        let kind = target.kind;
        let object = objects::finish(
            kind,
            target.namespace.as_deref(),
            &target.name,
            body,
            Some(&old.object),
            &now,
        )?;
        let mut managers = old.managers.clone();
        managed::record_update(
            &mut managers,
            &opts.manager,
            &kind.api_version(),
            Some(&old.object),
            &object,
            &objects::server_owned_paths(kind),
            &now,
        );
        Ok(self.commit(target, Some(&old), object, managers, opts.dry_run))
    }

    /// Server-side apply. Returns the object and whether it was created.
    pub fn apply(&mut self, target: &ObjectRef, body: Value, opts: &WriteOptions) -> Result<(Value, bool), ApiError> {
        let kind = target.kind;
        check_type_meta(kind, &body, true)?;
        check_namespace(kind, target.namespace.as_deref(), &body)?;
        check_body_name(target, &body, || {
            ApiError::bad_request("metadata.name is required in an apply configuration")
        })?;
        if body
            .get("metadata")
            .and_then(|m| m.get("managedFields"))
            .is_some_and(|v| !v.is_null())
        {
            return Err(ApiError::bad_request("metadata.managedFields must be nil"));
        }
        let applied = managed::tracked_leaves(&body);
        let applied_paths: FieldSet = applied.keys().cloned().collect();
        let now = now_rfc3339();

        let Some(old) = self.objects.get(&target.key()).cloned() else {
            self.require_namespace(target)?;
            let object = objects::finish(kind, target.namespace.as_deref(), &target.name, body, None, &now)?;
            let mut managers = Vec::new();
            managed::record_apply(&mut managers, &opts.manager, &kind.api_version(), applied_paths, &now);
            return Ok((self.commit(target, None, object, managers, opts.dry_run), true));
        };
        check_preconditions(target, &body, &old.object)?;

        let mut managers = old.managers.clone();
        let conflicts = managed::find_conflicts(&managers, &opts.manager, &old.object, &applied);
        if !conflicts.is_empty() {
            if !opts.force {
                return Err(managed::conflict_error(&managers, &conflicts));
            }
            managed::force_conflicts(&mut managers, &conflicts);
        }

        let mut object = old.object.clone();
        for path in managed::fields_to_remove(&managers, &opts.manager, &applied_paths) {
            let keep = |p: &[String]| managed::owned_by_anyone(&managers, p);
            managed::remove_path(&mut object, &path, &keep);
        }
        for (path, value) in applied {
            // An applied empty map claims the map, not the keys others put in it.
            let empty_map = value.as_object().is_some_and(Map::is_empty);
            if empty_map && matches!(managed::get_path(&object, &path), Some(Value::Object(_))) {
                continue;
            }
            managed::set_path(&mut object, &path, value);
        }
        managed::record_apply(&mut managers, &opts.manager, &kind.api_version(), applied_paths, &now);
        let object = objects::finish(
            kind,
            target.namespace.as_deref(),
            &target.name,
            object,
            Some(&old.object),
            &now,
        )?;
        Ok((self.commit(target, Some(&old), object, managers, opts.dry_run), false))
    }

    /// DELETE of an object. Deleting a Namespace deletes everything in it at once (the real
    /// server does this asynchronously through the namespace controller).
    pub fn delete(
        &mut self,
        target: &ObjectRef,
        preconditions: Option<&Value>,
        dry_run: bool,
    ) -> Result<Value, ApiError> {
        let key = target.key();
        let stored = self
            .objects
            .get(&key)
            .ok_or_else(|| ApiError::not_found(target.kind, &target.name))?;
        let uid = stored
            .object
            .pointer("/metadata/uid")
            .and_then(Value::as_str)
            .unwrap_or("")
            .to_string();
        if let Some(pre) = preconditions {
            if let Some(want) = pre.get("uid").and_then(Value::as_str)
                && want != uid
            {
                return Err(ApiError::uid_precondition(target.kind, &target.name, want, &uid));
            }
            if let Some(want) = pre.get("resourceVersion").and_then(Value::as_str) {
                let have = stored
                    .object
                    .pointer("/metadata/resourceVersion")
                    .and_then(Value::as_str);
                if Some(want) != have {
                    return Err(ApiError::stale(target.kind, &target.name));
                }
            }
        }
        let answer = status::delete_success(target.kind, &target.name, &uid);
        if dry_run {
            return Ok(answer);
        }
        self.objects.remove(&key);
        if std::ptr::eq(target.kind, kinds::namespace_kind()) {
            let ns = target.name.clone();
            self.objects.retain(|k, _| k.namespace != ns);
        }
        self.resource_version += 1;
        Ok(answer)
    }

    /// Stores `object` with `managers` if it differs from `old` (or is new), bumping the
    /// resourceVersion, and the generation when anything outside metadata changed.
    fn commit(
        &mut self,
        target: &ObjectRef,
        old: Option<&Stored>,
        mut object: Value,
        managers: Vec<ManagerEntry>,
        dry_run: bool,
    ) -> Value {
        if let Some(old) = old
            && old.object == object
            && managed::same_ownership(&old.managers, &managers)
        {
            return old.render();
        }
        let generation = match old {
            None => 1,
            Some(old) => {
                let previous = old
                    .object
                    .pointer("/metadata/generation")
                    .and_then(Value::as_u64)
                    .unwrap_or(1);
                if spec_of(&old.object) == spec_of(&object) {
                    previous
                } else {
                    previous + 1
                }
            }
        };
        let resource_version = if dry_run {
            old.and_then(|o| o.object.pointer("/metadata/resourceVersion").cloned())
        } else {
            self.resource_version += 1;
            Some(json!(self.resource_version.to_string()))
        };
        if let Some(Value::Object(meta)) = object.get_mut("metadata") {
            let mut ordered = Map::new();
            for (k, v) in std::mem::take(meta) {
                if k == "creationTimestamp" {
                    if let Some(rv) = &resource_version {
                        ordered.insert("resourceVersion".into(), rv.clone());
                    }
                    ordered.insert("generation".into(), json!(generation));
                }
                if k != "resourceVersion" && k != "generation" {
                    ordered.insert(k, v);
                }
            }
            *meta = ordered;
        }
        let stored = Stored { object, managers };
        let rendered = stored.render();
        if !dry_run {
            self.objects.insert(target.key(), stored);
        }
        rendered
    }
}

/// Everything the generation covers: the object without `metadata` and `status`.
fn spec_of(object: &Value) -> Value {
    let mut o = object.clone();
    if let Value::Object(m) = &mut o {
        m.shift_remove("metadata");
        m.shift_remove("status");
    }
    o
}

/// The body's `metadata.name` must be the URL's; `missing` is the error when it has none (PUT
/// and apply word it differently, as the real server does).
fn check_body_name(target: &ObjectRef, body: &Value, missing: impl FnOnce() -> ApiError) -> Result<(), ApiError> {
    match body_name(body) {
        Some(name) if name == target.name => Ok(()),
        Some(name) => Err(ApiError::bad_request(format!(
            "the name of the object ({name}) does not match the name on the URL ({})",
            target.name
        ))),
        None => Err(missing()),
    }
}

fn body_name(body: &Value) -> Option<String> {
    body.get("metadata")
        .and_then(|m| m.get("name"))
        .and_then(Value::as_str)
        .filter(|n| !n.is_empty())
        .map(str::to_string)
}

/// A body's `apiVersion`/`kind` must match the URL's resource when given; apply requires both.
fn check_type_meta(kind: &Kind, body: &Value, required: bool) -> Result<(), ApiError> {
    if !body.is_object() {
        return Err(ApiError::bad_request(format!(
            "the object provided is unrecognized (must be of type {})",
            kind.kind
        )));
    }
    let expected = kind.api_version();
    match body.get("apiVersion").and_then(Value::as_str) {
        Some(v) if v != expected => {
            return Err(ApiError::bad_request(format!(
                "the API version in the data ({v}) does not match the expected API version ({expected})"
            )));
        }
        None if required => {
            return Err(ApiError::bad_request(
                "apiVersion must be set in an apply configuration",
            ));
        }
        _ => {}
    }
    match body.get("kind").and_then(Value::as_str) {
        Some(k) if k != kind.kind => Err(ApiError::bad_request(format!(
            "the kind in the data ({k}) does not match the expected kind ({})",
            kind.kind
        ))),
        None if required => Err(ApiError::bad_request("kind must be set in an apply configuration")),
        _ => Ok(()),
    }
}

/// A namespace in the body must match the URL's (and cluster-scoped objects ignore it).
fn check_namespace(kind: &Kind, namespace: Option<&str>, body: &Value) -> Result<(), ApiError> {
    if !kind.namespaced {
        return Ok(());
    }
    match (
        body.get("metadata")
            .and_then(|m| m.get("namespace"))
            .and_then(Value::as_str),
        namespace,
    ) {
        (Some(given), Some(url)) if !given.is_empty() && given != url => Err(ApiError::bad_request(
            "the namespace of the provided object does not match the namespace sent on the request",
        )),
        _ => Ok(()),
    }
}

/// `metadata.resourceVersion` and `metadata.uid` in a write body are preconditions.
fn check_preconditions(target: &ObjectRef, body: &Value, current: &Value) -> Result<(), ApiError> {
    let meta = body.get("metadata");
    if let Some(rv) = meta
        .and_then(|m| m.get("resourceVersion"))
        .and_then(Value::as_str)
        .filter(|s| !s.is_empty())
        && Some(rv) != current.pointer("/metadata/resourceVersion").and_then(Value::as_str)
    {
        return Err(ApiError::stale(target.kind, &target.name));
    }
    if let Some(uid) = meta
        .and_then(|m| m.get("uid"))
        .and_then(Value::as_str)
        .filter(|s| !s.is_empty())
    {
        let actual = current.pointer("/metadata/uid").and_then(Value::as_str).unwrap_or("");
        if uid != actual {
            return Err(ApiError::uid_precondition(target.kind, &target.name, uid, actual));
        }
    }
    Ok(())
}

/// `generateName` plus five random characters from the same alphabet the real server uses.
fn generate_name(prefix: &str) -> String {
    const ALPHABET: &[u8] = b"bcdfghjklmnpqrstvwxz2456789";
    let random = uuid::Uuid::new_v4();
    let suffix: String = random
        .as_bytes()
        .iter()
        .take(5)
        .map(|b| ALPHABET[usize::from(*b) % ALPHABET.len()] as char)
        .collect();
    format!("{prefix}{suffix}")
}
