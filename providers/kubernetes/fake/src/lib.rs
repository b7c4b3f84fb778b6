//! An in-process fake Kubernetes API server for tests.
//!
//! [`FakeApi::start`] serves plain HTTP/1.1 on `127.0.0.1:<random port>` from its own thread, so a
//! Kubernetes client (kube-rs, kubectl) under test talks to it exactly as it would to a cluster,
//! and the test can inspect and change the stored objects directly ([`FakeApi::get`],
//! [`FakeApi::edit`], ...). It stands in for the API server, not for the code under test, so it
//! is faithful where clients can observe the difference.
//!
//! # What is emulated
//!
//! - **Resources**: the kinds in the table in `kinds.rs` (Namespace, ConfigMap, Secret,
//!   ServiceAccount, ResourceQuota, Service, Role, RoleBinding, ClusterRole, ClusterRoleBinding,
//!   Deployment, CronJob) under the real URL layout (`/api/v1/...`, `/apis/GROUP/VERSION/...`,
//!   namespaced, cluster-scoped and all-namespaces paths). Unknown resources answer 404.
//! - **Verbs**: get, list (with `labelSelector` — equality, inequality, existence and set-based —
//!   and `fieldSelector` on `metadata.name`/`metadata.namespace`), create (including
//!   `generateName`), update (PUT, with `resourceVersion` and `uid` preconditions), patch (JSON
//!   merge patch, strategic merge patch treated as a JSON merge patch, JSON patch, and server-side
//!   apply), delete (answers with a success `Status`, not the object). `dryRun=All` is honoured on
//!   writes.
//! - **Server-side apply** with field ownership (see `managed.rs`): conflicts, `force`, removal of
//!   fields a manager stops applying, co-ownership of equal values, and `metadata.managedFields`
//!   in the FieldsV1 shape. Lists are atomic (no merge keys), which is what RBAC `rules` and
//!   `subjects` really are; for lists that do have merge keys upstream (e.g. container lists),
//!   the fake is coarser than a real server.
//! - **Server-populated metadata**: `uid`, `resourceVersion` (one global counter, bumped only by
//!   writes that change something), `creationTimestamp`, `generation` (bumped when anything outside
//!   `metadata` and `status` changes), and the kind-specific defaults and validation listed in
//!   `objects.rs` (every failure is a Kubernetes `Status` with the real reason and HTTP code).
//! - **Namespaces**: `default`, `kube-system` and `kube-public` exist at start; namespaced writes
//!   into a missing namespace fail with 404; deleting a namespace deletes its contents at once.
//! - **Discovery**: `/version`, `/api`, `/apis`, `/api/v1`, `/apis/G`, `/apis/G/V`, in the legacy
//!   format and, when the `Accept` header asks for it, aggregated discovery (v2/v2beta1).
//! - **Authentication**: optionally a single bearer token ([`FakeApi::require_token`]).
//! - **Field managers**: `fieldManager` from the query; for non-apply writes without one, the
//!   User-Agent's product token (`kubectl/v1.32 ...` gives `kubectl`), as the real server does,
//!   or `unknown` when there is no User-Agent (kube-rs sends none).
//!
//! Tested against the real clients: kube-rs (`tests/kube_rs.rs`) and kubectl (`tests/kubectl.rs`:
//! get, label, annotate, delete, `create -f`/`apply --server-side` with `--validate=false`).
//!
//! # What is not emulated
//!
//! No watches (`watch=true` answers 405), no pagination (`limit` and `continue` are ignored and the
//! whole list is returned without a `continue` token), no subresources (`/status`, `/scale`), no
//! Table output (`as=Table` requests get the plain list, which kubectl prints as NAME/AGE), no
//! protobuf or CBOR bodies (415), no schemas (so `fieldValidation=Strict` is ignored and unknown
//! fields are stored), no authorization (RBAC
//! objects are stored, never enforced), no admission webhooks, no controllers (Deployments never
//! roll out, ServiceAccounts get no tokens, nothing writes `status`), no garbage collection of
//! owner references, no graceful deletion or finalizer processing (objects vanish on DELETE), no
//! `deletecollection`, no OpenAPI documents (`/openapi/*` answers 404), and no defaulting beyond
//! what `objects.rs` lists.

mod api;
mod discovery;
mod kinds;
mod managed;
mod objects;
mod patch;
mod query;
mod server;
mod status;
mod store;
mod time;

use std::path::Path;
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;

use serde_json::Value;
use tokio::sync::oneshot;

use crate::api::Route;
use crate::query::{FieldSelector, LabelSelector, Query};
use crate::server::lock;
use crate::store::{State, WriteOptions};

/// A running fake API server. It listens until dropped.
///
/// All methods take `&self` and are safe to call from any thread while clients are talking to the
/// server: the state sits behind one mutex shared with the server thread.
pub struct FakeApi {
    state: Arc<Mutex<State>>,
    port: u16,
    shutdown: Option<oneshot::Sender<()>>,
    thread: Option<JoinHandle<()>>,
}

impl FakeApi {
    /// Starts a server on `127.0.0.1` with an OS-assigned port, on a new thread with its own
    /// tokio runtime. Namespaces `default`, `kube-system` and `kube-public` exist.
    ///
    /// # Panics
    ///
    /// If no local port can be bound or the runtime or thread cannot be created — the test
    /// environment is broken and there is nothing useful to return.
    pub fn start() -> FakeApi {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind 127.0.0.1:0 for the fake API server");
        listener
            .set_nonblocking(true)
            .expect("make the fake API server's listener non-blocking");
        let port = listener
            .local_addr()
            .expect("local address of the fake API server")
            .port();
        let state = Arc::new(Mutex::new(State::new(port)));
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .expect("tokio runtime for the fake API server");
        let (tx, rx) = oneshot::channel();
        let served = Arc::clone(&state);
        let thread = std::thread::Builder::new()
            .name(format!("kube-fake-{port}"))
            .spawn(move || runtime.block_on(server::serve(listener, served, rx)))
            .expect("spawn the fake API server thread");
        FakeApi {
            state,
            port,
            shutdown: Some(tx),
            thread: Some(thread),
        }
    }

    /// The base URL clients should use, `http://127.0.0.1:PORT`.
    pub fn url(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }

    /// From now on, every request without `Authorization: Bearer <token>` gets a 401 `Status`
    /// with reason `Unauthorized`.
    pub fn require_token(&self, token: &str) {
        lock(&self.state).token = Some(token.to_string());
    }

    /// Writes a kubeconfig file for this server: cluster `fake` (server [`FakeApi::url`]), user
    /// `fake` (with `token` if given), context `fake`, `current-context: fake`.
    pub fn write_kubeconfig(&self, path: &Path, token: Option<&str>) -> std::io::Result<()> {
        let user = match token {
            // A JSON string is a valid YAML scalar and quotes anything a token may contain.
            Some(t) => format!("\n    token: {}", Value::String(t.to_string())),
            None => " {}".to_string(),
        };
        let text = format!(
            "apiVersion: v1\nkind: Config\nclusters:\n- name: fake\n  cluster:\n    server: {url}\n\
             users:\n- name: fake\n  user:{user}\n\
             contexts:\n- name: fake\n  context:\n    cluster: fake\n    user: fake\n\
             current-context: fake\npreferences: {{}}\n",
            url = self.url(),
        );
        std::fs::write(path, text)
    }

    /// The stored object at an object path (e.g.
    /// `/apis/rbac.authorization.k8s.io/v1/namespaces/default/roles/reader` or
    /// `/api/v1/namespaces/team`), exactly as a GET would return it; `None` if it does not exist
    /// or the path does not name an object.
    pub fn get(&self, path: &str) -> Option<Value> {
        let Ok(Route::Object(target)) = api::route(path) else {
            return None;
        };
        lock(&self.state).get(&target).ok()
    }

    /// The items of a collection path (e.g. `/api/v1/namespaces/default/secrets`, or
    /// `/api/v1/secrets` across all namespaces), sorted by namespace then name. A query string
    /// with `labelSelector`/`fieldSelector` is honoured; an invalid path or selector gives an
    /// empty list.
    pub fn list(&self, collection_path: &str) -> Vec<Value> {
        let (path, raw_query) = collection_path.split_once('?').unwrap_or((collection_path, ""));
        let Ok(Route::Collection { kind, namespace }) = api::route(path) else {
            return Vec::new();
        };
        let query = Query::parse(raw_query);
        let (Ok(labels), Ok(fields)) = (
            LabelSelector::parse(query.get("labelSelector").unwrap_or("")),
            FieldSelector::parse(query.get("fieldSelector").unwrap_or("")),
        ) else {
            return Vec::new();
        };
        lock(&self.state).list(kind, namespace.as_deref(), &labels, &fields)
    }

    /// An out-of-band change, as another client (`kubectl edit`, a controller) would make it:
    /// applies `patch` as a JSON merge patch (RFC 7386) with field manager `manager` and operation
    /// `Update`, exactly like an HTTP merge patch — the resourceVersion is bumped if anything
    /// changed and `manager` takes ownership of the fields it changed. Returns the new object, or
    /// the `Status` message of the failure.
    pub fn edit(&self, path: &str, manager: &str, patch: Value) -> Result<Value, String> {
        let target = match api::route(path) {
            Ok(Route::Object(target)) => target,
            _ => return Err(format!("{path} does not name an object the fake serves")),
        };
        let opts = WriteOptions {
            manager: manager.to_string(),
            ..WriteOptions::default()
        };
        lock(&self.state)
            .patch(&target, &patch, false, &opts)
            .map_err(|e| e.message)
    }

    /// An out-of-band delete (of a Namespace: with everything in it). Returns whether the object
    /// existed.
    pub fn delete(&self, path: &str) -> bool {
        let Ok(Route::Object(target)) = api::route(path) else {
            return false;
        };
        lock(&self.state).delete(&target, None, false).is_ok()
    }

    /// Every HTTP request received so far, as `METHOD /path` or `METHOD /path?query` (the query
    /// as sent, not decoded), in arrival order. Includes rejected requests.
    pub fn requests(&self) -> Vec<String> {
        lock(&self.state).requests.clone()
    }

    /// Forgets the requests logged so far.
    pub fn clear_requests(&self) {
        lock(&self.state).requests.clear();
    }
}

impl Drop for FakeApi {
    /// Stops accepting connections, drops open ones, and joins the server thread.
    fn drop(&mut self) {
        if let Some(tx) = self.shutdown.take() {
            let _ = tx.send(());
        }
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

impl std::fmt::Debug for FakeApi {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("FakeApi")
            .field("url", &self.url())
            .finish_non_exhaustive()
    }
}
