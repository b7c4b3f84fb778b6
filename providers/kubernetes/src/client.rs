//! Connecting to the cluster: the provider block's settings, the kubeconfig chain, and the API
//! calls every kind shares (server-side apply, get, list, delete with the kind's propagation
//! policy and wait through kube-runtime's `await_condition`, within a time limit whose error
//! names what still holds the object), with the API server's errors turned into [`ProviderError`]s that carry its
//! reason and message, and [`error_kind`], the one place this provider maps them onto
//! [`ErrorKind`]s.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::time::Duration;

use futures::future::try_join_all;
use kube::api::{Api, ApiResource, DeleteParams, DynamicObject, ListParams, Patch, PatchParams};
use kube::config::{KubeConfigOptions, Kubeconfig};
use kube::runtime::wait::{await_condition, conditions};
use kube::{Client, Config};
use plinth_sdk::{ErrorKind, ProviderError, Value, error_chain};
use serde_json::Value as Json;
use tokio::time::Instant;

use crate::kinds::{Kind, Propagation};

/// The `provider "kubernetes"` block, evaluated. Not `Debug`: it may hold a token.
pub struct Settings {
    pub config_path: Option<String>,
    pub config_context: Option<String>,
    pub host: Option<String>,
    pub token: Option<String>,
    pub cluster_ca_certificate: Option<String>,
    pub insecure: bool,
    pub field_manager: String,
    /// Retries of a request's passing failures (see [`crate::retry`]).
    pub max_retries: u32,
    pub working_dir: PathBuf,
}

fn opt(v: &Value, key: &str) -> Option<String> {
    v.get(key)
        .strip_sensitive()
        .as_str()
        .filter(|s| !s.is_empty())
        .map(str::to_string)
}

impl Settings {
    pub fn from_config(v: &Value, working_dir: &Path) -> Settings {
        Settings {
            config_path: opt(v, "config_path"),
            config_context: opt(v, "config_context"),
            host: opt(v, "host"),
            token: opt(v, "token"),
            cluster_ca_certificate: opt(v, "cluster_ca_certificate"),
            insecure: v.get("insecure").as_bool().unwrap_or(false),
            field_manager: opt(v, "field_manager").unwrap_or_else(|| "plinth".to_string()),
            max_retries: v
                .get("max_retries")
                .as_i64()
                .map_or(crate::retry::DEFAULT_MAX_RETRIES, |n| n.clamp(0, 100) as u32),
            working_dir: working_dir.to_path_buf(),
        }
    }

    fn resolve(&self, path: &str) -> PathBuf {
        if let Some(rest) = path.strip_prefix("~/")
            && let Some(home) = std::env::var_os("HOME")
        {
            return PathBuf::from(home).join(rest);
        }
        let p = PathBuf::from(path);
        if p.is_absolute() { p } else { self.working_dir.join(p) }
    }
}

/// Objects of one kind in one namespace from which refresh lists the namespace instead of getting
/// each object: two objects cost one LIST rather than two GETs; one costs a GET either way, and a
/// GET does not carry the namespace's other objects.
pub const LIST_FROM: usize = 2;

/// One object refresh reads (see [`Ctx::read_batched`]).
pub struct Wanted {
    /// Where its kind is served, in its namespace.
    pub api: Api<DynamicObject>,
    /// The batch it belongs to: its kind (`apiVersion/Kind`) and namespace.
    pub group: (String, Option<String>),
    pub name: String,
}

/// How often a slow delete is logged.
const PROGRESS_EVERY: Duration = Duration::from_secs(5);

fn config_error(message: String) -> ProviderError {
    ProviderError::with_code("KubeConfig", message)
}

/// A connected client and what every call needs with it.
pub struct Ctx {
    pub client: Client,
    pub default_namespace: String,
    pub field_manager: String,
    /// The API server's URL, for messages.
    pub server: String,
}

impl Ctx {
    pub async fn connect(s: &Settings) -> Result<Ctx, ProviderError> {
        let mut config = match (&s.host, &s.config_path) {
            (Some(host), _) => {
                let uri = host
                    .parse::<http::Uri>()
                    .map_err(|e| config_error(format!("host {host:?} is not a URL: {e}")))?;
                let mut c = Config::new(uri);
                if let Some(pem) = &s.cluster_ca_certificate {
                    c.root_cert = Some(pem_to_der(pem)?);
                }
                c
            }
            (None, Some(path)) => {
                let file = s.resolve(path);
                let kubeconfig = Kubeconfig::read_from(&file)
                    .map_err(|e| config_error(format!("cannot read kubeconfig {}: {e}", file.display())))?;
                Config::from_custom_kubeconfig(kubeconfig, &options(s))
                    .await
                    .map_err(|e| config_error(format!("kubeconfig {}: {e}", file.display())))?
            }
            (None, None) if s.config_context.is_some() => Config::from_kubeconfig(&options(s))
                .await
                .map_err(|e| config_error(format!("kubeconfig (KUBECONFIG or ~/.kube/config): {e}")))?,
            (None, None) => Config::infer().await.map_err(|e| {
                config_error(format!(
                    "no cluster to talk to: {e}. Set KUBECONFIG, create ~/.kube/config, or set config_path or host \
                     in the provider \"kubernetes\" block"
                ))
            })?,
        };
        if let Some(token) = &s.token {
            config.auth_info.token = Some(token.clone().into());
        }
        if s.insecure {
            config.accept_invalid_certs = true;
        }
        // A dead server must not hang a plan forever.
        config.read_timeout = Some(Duration::from_secs(120));
        config.reset_reader_on_write = true;
        let server = config.cluster_url.to_string();
        let default_namespace = config.default_namespace.clone();
        // One retry policy, ours (crate::retry), instead of kube-rs's narrower default.
        config.default_retry = false;
        let stack = tower::ServiceBuilder::new()
            .layer(crate::retry::RetryLayer {
                max_retries: s.max_retries,
            })
            .layer(tower::buffer::BufferLayer::new(1024))
            .into_inner();
        let client = kube::client::ClientBuilder::try_from(config)
            .map_err(|e| config_error(format!("cannot create a client for {server}: {e}")))?
            .with_layer(&stack)
            .build();
        Ok(Ctx {
            client,
            default_namespace,
            field_manager: s.field_manager.clone(),
            server,
        })
    }

    /// The API of the kind served as `ar`: in `namespace` when the kind is namespaced.
    pub fn api_of(&self, ar: &ApiResource, namespaced: bool, namespace: Option<&str>) -> Api<DynamicObject> {
        match namespace {
            Some(ns) if namespaced => Api::namespaced_with(self.client.clone(), ns, ar),
            _ => Api::all_with(self.client.clone(), ar),
        }
    }

    pub fn api(&self, kind: &Kind, namespace: Option<&str>) -> Api<DynamicObject> {
        let ar = ApiResource {
            group: kind.group.to_string(),
            version: kind.version.to_string(),
            api_version: kind.api_version(),
            kind: kind.kind.to_string(),
            plural: kind.plural.to_string(),
        };
        self.api_of(&ar, kind.namespaced, namespace)
    }

    /// Server-side apply of `body` as this provider's field manager, taking over fields others
    /// changed (like `kubectl apply --server-side --force-conflicts`).
    pub async fn apply(&self, kind: &Kind, ns: Option<&str>, name: &str, body: &Json) -> Result<Json, ProviderError> {
        let params = PatchParams::apply(&self.field_manager).force();
        let obj = self
            .api(kind, ns)
            .patch(name, &params, &Patch::Apply(body))
            .await
            .map_err(|e| self.error(e))?;
        to_json(obj)
    }

    pub async fn get(&self, kind: &Kind, ns: Option<&str>, name: &str) -> Result<Option<Json>, ProviderError> {
        match self.api(kind, ns).get_opt(name).await.map_err(|e| self.error(e))? {
            Some(obj) => Ok(Some(to_json(obj)?)),
            None => Ok(None),
        }
    }

    /// Every object `api` serves, page by page.
    pub async fn list(&self, api: &Api<DynamicObject>) -> Result<Vec<Json>, ProviderError> {
        let mut out = Vec::new();
        let mut params = ListParams::default().limit(500);
        loop {
            let page = api.list(&params).await.map_err(|e| self.error(e))?;
            for obj in page.items {
                out.push(to_json(obj)?);
            }
            match page.metadata.continue_.filter(|c| !c.is_empty()) {
                Some(token) => params = params.continue_token(&token),
                None => return Ok(out),
            }
        }
    }

    /// Refresh's reads, batched: the objects of one kind in one namespace (one `group`) are read
    /// with one LIST when there are [`LIST_FROM`] or more of them, else with one GET (all groups
    /// concurrently). `None` in: nothing to read (a kind no longer served); `None` out: gone.
    pub async fn read_batched(&self, wanted: &[Option<Wanted>]) -> Result<Vec<Option<Json>>, ProviderError> {
        let mut groups: HashMap<&(String, Option<String>), Vec<usize>> = HashMap::new();
        for (i, w) in wanted.iter().enumerate() {
            if let Some(w) = w {
                groups.entry(&w.group).or_default().push(i);
            }
        }
        let reads = groups.into_values().map(|idx| async move {
            let first = wanted[idx[0]].as_ref().map(|w| &w.api);
            let mut found: Vec<(usize, Option<Json>)> = Vec::with_capacity(idx.len());
            match first {
                Some(api) if idx.len() >= LIST_FROM => {
                    let mut by_name: HashMap<String, Json> = self
                        .list(api)
                        .await?
                        .into_iter()
                        .filter_map(|o| Some((o.pointer("/metadata/name")?.as_str()?.to_string(), o)))
                        .collect();
                    for &i in &idx {
                        found.push((i, wanted[i].as_ref().and_then(|w| by_name.remove(&w.name))));
                    }
                }
                _ => {
                    for &i in &idx {
                        let obj = match &wanted[i] {
                            Some(w) => w.api.get_opt(&w.name).await.map_err(|e| self.error(e))?,
                            None => None,
                        };
                        found.push((i, obj.map(to_json).transpose()?));
                    }
                }
            }
            Ok::<_, ProviderError>(found)
        });
        let mut live = vec![None; wanted.len()];
        for (i, obj) in try_join_all(reads).await?.into_iter().flatten() {
            live[i] = obj;
        }
        Ok(live)
    }

    /// Deletes with the kind's propagation policy and waits at most `limit` until the object is
    /// gone; a timeout names what still holds it (finalizers, a namespace's remaining content).
    pub async fn delete_within(
        &self,
        kind: &Kind,
        ns: Option<&str>,
        name: &str,
        address: &str,
        limit: Duration,
    ) -> Result<(), ProviderError> {
        let params = match kind.propagation {
            Propagation::Background => DeleteParams::background(),
            Propagation::Foreground => DeleteParams::foreground(),
        };
        self.delete_and_wait(self.api(kind, ns), kind.kind, name, &params, address, limit)
            .await
    }

    /// Deletes `name` of the kind called `kind` (for messages) from `api` and waits at most
    /// `limit` until it is gone; gone already is fine. The one delete-and-wait of every type,
    /// `kubernetes_manifest`'s included.
    pub async fn delete_and_wait(
        &self,
        api: Api<DynamicObject>,
        kind: &str,
        name: &str,
        params: &DeleteParams,
        address: &str,
        limit: Duration,
    ) -> Result<(), ProviderError> {
        let pending = match api.delete(name, params).await {
            // The API server answers with a Status when the object went at once, and with the
            // object while finalizers or graceful deletion hold it.
            Ok(answer) => match answer.left() {
                Some(obj) => obj,
                None => return Ok(()),
            },
            Err(kube::Error::Api(s)) if s.code == 404 => return Ok(()),
            Err(e) => return Err(self.error(e)),
        };
        // Waiting on the uid: an object re-created under the same name meanwhile is not this one.
        let uid = pending.metadata.uid.unwrap_or_default();
        let gone = await_condition(api.clone(), name, conditions::is_deleted(&uid));
        tokio::pin!(gone);
        let started = Instant::now();
        let mut progress = tokio::time::interval_at(started + PROGRESS_EVERY, PROGRESS_EVERY);
        let deadline = tokio::time::sleep(limit);
        tokio::pin!(deadline);
        loop {
            tokio::select! {
                done = &mut gone => {
                    return done.map(drop).map_err(|e| {
                        ProviderError::with_code(
                            "Unreachable",
                            format!("lost track of {kind} {name:?} while it was being deleted: {}", error_chain(&e)),
                        )
                    });
                }
                _ = &mut deadline => {
                    let still = match api.get_opt(name).await {
                        Ok(Some(obj)) => match to_json(obj) {
                            Ok(obj) => what_holds(&obj),
                            Err(e) => e.message,
                        },
                        Ok(None) => return Ok(()),
                        Err(e) => self.error(e).message,
                    };
                    return Err(ProviderError::with_code(
                        "DeleteTimeout",
                        format!(
                            "{kind} {name:?} was still there {} after its delete: {still}. Remove what holds it, \
                             or raise `timeouts {{ delete = ... }}`, and destroy again",
                            crate::wait::show(limit)
                        ),
                    ));
                }
                _ = progress.tick() => {
                    tracing::info!("{address}: still deleting {kind} {name:?} ({}s)", started.elapsed().as_secs());
                }
            }
        }
    }

    /// The API server's answer as a provider error: its reason (`Forbidden`, `Invalid`) and message,
    /// with what to do about it (see [`status_error`]).
    pub fn error(&self, e: kube::Error) -> ProviderError {
        match e {
            kube::Error::Api(s) => status_error(&s, &self.server),
            kube::Error::HyperError(_) | kube::Error::Service(_) => ProviderError::with_code(
                "Unreachable",
                format!(
                    "cannot reach the Kubernetes API server at {}: {}. Check that the cluster is up and the kubeconfig points at it",
                    self.server,
                    error_chain(&e)
                ),
            ),
            other => ProviderError::with_code("KubeClient", error_chain(&other)),
        }
    }
}

/// One clear error from the API server's `Status`: its reason as the code, its message kept whole
/// (a 403 names the verb, resource, namespace and user; a 409 from server-side apply names the
/// other managers and fields), the field paths and messages of a 422's causes when the message
/// does not already quote them, and a hint of what to do for 401, 403 and apply conflicts.
pub fn status_error(s: &kube::core::Status, server: &str) -> ProviderError {
    let mut code = if s.reason.is_empty() {
        format!("HTTP{}", s.code)
    } else {
        s.reason.clone()
    };
    let mut message = if s.message.is_empty() {
        format!("the API server answered HTTP {}", s.code)
    } else {
        s.message.clone()
    };
    // Server-side apply answers 500 when a value has the wrong type for the kind's schema (a CRD's
    // openAPIV3Schema): not a passing failure, and repeating it cannot succeed.
    if s.code == 500 && message.starts_with("failed to create typed patch object") {
        code = "Invalid".to_string();
        message = format!("the object does not match the schema of its kind: {message}");
    }
    if s.code == 422 || s.reason == "Invalid" {
        let causes: Vec<String> = s
            .details
            .iter()
            .flat_map(|d| &d.causes)
            .filter(|c| !c.message.is_empty())
            .map(|c| {
                if c.field.is_empty() {
                    c.message.clone()
                } else {
                    format!("{}: {}", c.field, c.message)
                }
            })
            .filter(|c| !message.contains(c.as_str()))
            .collect();
        if !causes.is_empty() {
            message = format!("{message}; {}", causes.join("; "));
        }
    }
    let mut hint = None;
    match (s.code, s.reason.as_str()) {
        (401, _) | (_, "Unauthorized") => {
            message = format!(
                "the API server at {server} refused the credentials (401 Unauthorized: {message}): the token or \
                 client certificate is wrong or expired. Check the user of the kubeconfig's current context (or \
                 the provider's `token`) and log in again"
            );
        }
        (403, _) | (_, "Forbidden") => {
            hint = Some(
                "the identity in the kubeconfig lacks RBAC permission for this: grant it a Role or ClusterRole \
                 allowing that verb on that resource (bound with a RoleBinding or ClusterRoleBinding), or use a \
                 kubeconfig with more rights",
            );
        }
        (409, _) | (_, "Conflict") if message.starts_with("Apply failed with") => {
            hint = Some(
                "another field manager owns these fields: set `field_manager { force_conflicts = true }` to take \
                 them over, or leave them out of the manifest",
            );
        }
        _ => {}
    }
    let e = ProviderError::with_code(code, message);
    match hint {
        Some(h) => e.with_hint(h),
        None => e,
    }
}

/// The kind of a Kubernetes error, from the API server's reason (or the provider's own code): the
/// one place this provider maps its codes onto [`ErrorKind`].
pub fn error_kind(code: &str) -> ErrorKind {
    match code {
        "NotFound" | "Gone" | "HTTP404" | "HTTP410" => ErrorKind::NotFound,
        "AlreadyExists" | "Conflict" | "HTTP409" => ErrorKind::Conflict,
        "TooManyRequests" | "HTTP429" => ErrorKind::Throttled,
        "Forbidden" | "Unauthorized" | "HTTP401" | "HTTP403" => ErrorKind::Forbidden,
        "Invalid"
        | "BadRequest"
        | "MethodNotAllowed"
        | "NotAcceptable"
        | "UnsupportedMediaType"
        | "RequestEntityTooLarge"
        | "HTTP400"
        | "HTTP405"
        | "HTTP415"
        | "HTTP422"
        | "KubeConfig"
        | "InvalidData"
        | "InvalidId"
        | "MissingAttribute"
        | "UnsupportedType" => ErrorKind::Invalid,
        "ServerTimeout" | "Timeout" | "InternalError" | "ServiceUnavailable" | "Unreachable" | "HTTP500"
        | "HTTP502" | "HTTP503" | "HTTP504" => ErrorKind::Transient,
        _ => ErrorKind::Other,
    }
}

/// `e` with its [`ErrorKind`]; applied once, where errors leave the provider.
pub fn classify(e: ProviderError) -> ProviderError {
    e.classify(error_kind)
}

/// What keeps an object that is being deleted: its finalizers and, for a namespace, the
/// conditions that list the content and finalizers still remaining.
pub fn what_holds(obj: &Json) -> String {
    let mut parts = Vec::new();
    let finalizers: Vec<&str> = obj
        .pointer("/metadata/finalizers")
        .and_then(Json::as_array)
        .into_iter()
        .flatten()
        .filter_map(Json::as_str)
        .collect();
    if !finalizers.is_empty() {
        parts.push(format!("finalizers {}", finalizers.join(", ")));
    }
    let conditions = obj
        .pointer("/status/conditions")
        .and_then(Json::as_array)
        .into_iter()
        .flatten()
        .filter(|c| {
            let t = c.get("type").and_then(Json::as_str).unwrap_or_default();
            let status = c.get("status").and_then(Json::as_str).unwrap_or_default();
            // A namespace's Namespace*Remaining / *Failure conditions say what blocks it.
            status == "True" && (t.ends_with("Remaining") || t.ends_with("Failure"))
        })
        .filter_map(|c| c.get("message").and_then(Json::as_str));
    parts.extend(conditions.map(str::to_string));
    if parts.is_empty() {
        "nothing it reports holds it (the cluster may still be deleting what it owns)".to_string()
    } else {
        parts.join("; ")
    }
}

fn options(s: &Settings) -> KubeConfigOptions {
    KubeConfigOptions {
        context: s.config_context.clone(),
        cluster: None,
        user: None,
    }
}

/// An object the API server returned, as JSON.
pub fn to_json(obj: DynamicObject) -> Result<Json, ProviderError> {
    serde_json::to_value(obj).map_err(|e| ProviderError::with_code("Decode", format!("cannot read the object: {e}")))
}

/// DER certificates from PEM text.
fn pem_to_der(text: &str) -> Result<Vec<Vec<u8>>, ProviderError> {
    let blocks = pem::parse_many(text.as_bytes())
        .map_err(|e| config_error(format!("cluster_ca_certificate is not PEM: {e}")))?;
    let certs: Vec<Vec<u8>> = blocks
        .into_iter()
        .filter(|b| b.tag() == "CERTIFICATE")
        .map(|b| b.into_contents())
        .collect();
    if certs.is_empty() {
        return Err(config_error(
            "cluster_ca_certificate holds no CERTIFICATE block".to_string(),
        ));
    }
    Ok(certs)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_stuck_delete_names_the_finalizers_and_a_namespaces_remaining_content() {
        let ns = serde_json::json!({"metadata": {"name": "ml", "finalizers": ["example.com/hold"]},
            "status": {"phase": "Terminating", "conditions": [
                {"type": "NamespaceDeletionDiscoveryFailure", "status": "False", "message": "All resources successfully discovered"},
                {"type": "NamespaceContentRemaining", "status": "True", "message": "Some resources are remaining: pods. has 2 resource instances"},
                {"type": "NamespaceFinalizersRemaining", "status": "True", "message": "Some content in the namespace has finalizers remaining: example.com/hold in 1 resource instances"}]}});
        assert_eq!(
            what_holds(&ns),
            "finalizers example.com/hold; Some resources are remaining: pods. has 2 resource instances; \
             Some content in the namespace has finalizers remaining: example.com/hold in 1 resource instances"
        );
        let deployment = serde_json::json!({"metadata": {"name": "web", "finalizers": ["foregroundDeletion"]}});
        assert_eq!(what_holds(&deployment), "finalizers foregroundDeletion");
    }

    fn status(json: serde_json::Value) -> kube::core::Status {
        serde_json::from_value(json).expect("a Status")
    }

    #[test]
    fn an_invalid_object_quotes_the_field_paths_and_messages_of_its_causes() {
        let s = status(serde_json::json!({
            "kind": "Status", "apiVersion": "v1", "status": "Failure", "code": 422, "reason": "Invalid",
            "message": "InferenceService.serving.kserve.io \"m\" is invalid: spec.predictor.model.storageUri: Invalid value: \"integer\": spec.predictor.model.storageUri in body must be of type string: \"integer\"",
            "details": {"name": "m", "group": "serving.kserve.io", "kind": "InferenceService", "causes": [
                {"reason": "FieldValueInvalid", "field": "spec.predictor.model.storageUri",
                 "message": "Invalid value: \"integer\": spec.predictor.model.storageUri in body must be of type string: \"integer\""},
                {"reason": "FieldValueRequired", "field": "spec.predictor.model.modelFormat.name",
                 "message": "Required value"}
            ]}
        }));
        let e = status_error(&s, "https://127.0.0.1:6443");
        assert_eq!(e.code.as_deref(), Some("Invalid"));
        assert_eq!(
            e.message,
            "InferenceService.serving.kserve.io \"m\" is invalid: spec.predictor.model.storageUri: Invalid value: \"integer\": spec.predictor.model.storageUri in body must be of type string: \"integer\"; spec.predictor.model.modelFormat.name: Required value"
        );
        assert_eq!(error_kind(e.code.as_deref().unwrap_or_default()), ErrorKind::Invalid);
        // A value of the wrong type never reaches validation: server-side apply answers 500.
        let typed = status_error(
            &status(serde_json::json!({"code": 500, "reason": "InternalError",
                "message": "failed to create typed patch object (ml/m; serving.kserve.io/v1beta1, Kind=InferenceService): errors:\n  .spec.predictor.model.storageUri: expected string, got &value.valueUnstructured{Value:5}"})),
            "https://k",
        );
        assert_eq!(typed.code.as_deref(), Some("Invalid"));
        assert!(
            typed
                .message
                .contains(".spec.predictor.model.storageUri: expected string"),
            "{}",
            typed.message
        );
    }

    #[test]
    fn forbidden_unauthorized_and_conflict_keep_the_servers_words_and_say_what_to_do() {
        let forbidden = status_error(
            &status(serde_json::json!({"code": 403, "reason": "Forbidden",
                "message": "configmaps \"c\" is forbidden: User \"restricted\" cannot patch resource \"configmaps\" in API group \"\" in the namespace \"ml\""})),
            "https://k",
        );
        assert_eq!(
            forbidden.message,
            "configmaps \"c\" is forbidden: User \"restricted\" cannot patch resource \"configmaps\" in API group \"\" in the namespace \"ml\""
        );
        assert!(
            forbidden.hint.as_deref().is_some_and(|h| h.contains("RBAC")),
            "{:?}",
            forbidden.hint
        );
        let unauthorized = status_error(
            &status(serde_json::json!({"code": 401, "reason": "Unauthorized", "message": "Unauthorized"})),
            "https://k",
        );
        assert!(
            unauthorized.message.contains("https://k refused the credentials"),
            "{}",
            unauthorized.message
        );
        assert!(unauthorized.message.contains("kubeconfig"), "{}", unauthorized.message);
        assert_eq!(error_kind("Unauthorized"), ErrorKind::Forbidden);
        let conflict = status_error(
            &status(serde_json::json!({"code": 409, "reason": "Conflict",
                "message": "Apply failed with 1 conflict: conflict with \"other\" using v1: .data.k"})),
            "https://k",
        );
        assert_eq!(
            conflict.message,
            "Apply failed with 1 conflict: conflict with \"other\" using v1: .data.k"
        );
        assert!(
            conflict
                .hint
                .as_deref()
                .is_some_and(|h| h.contains("force_conflicts = true")),
            "{:?}",
            conflict.hint
        );
    }
}
