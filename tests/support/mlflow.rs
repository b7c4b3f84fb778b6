//! A real MLflow tracking server for the MLflow provider's end-to-end tests: `mlflow server`
//! (from PyPI; `tests/run.sh` installs it where missing) on 127.0.0.1 with a free port, a SQLite
//! backend store and an artifact root in a temporary directory, offline: telemetry off
//! (`MLFLOW_DISABLE_TELEMETRY`, `DO_NOT_TRACK`, both read by `mlflow.telemetry`) and the job
//! runner off (`MLFLOW_SERVER_ENABLE_JOB_EXECUTION=false`: its huey consumers are seven more
//! processes the provider never needs). One uvicorn worker (`--workers 1`).
//!
//! The server runs in a process group of its own (`mlflow server` forks uvicorn, which would
//! fork its workers): stopping it is `kill -TERM -- -PGID`, then `-KILL` after a grace period,
//! and [`Mlflow::stop`] checks in `/proc` that no process of the group is left.
//!
//! Startup costs 5 to 16 s on the 2-core test machine, shared with builds (measured to a
//! healthy `/health`: 5.6 to 15 s plain, 13 to 16 s with basic auth; 24 s with MLflow's
//! defaults of 4 workers and the job runner), against 1 to 5 s for everything a test then does
//! (the 12 tests of `tests/mlflow.rs` take 78 s in all, with three servers). A server per test
//! would multiply that startup by the number of tests, all of them starting at once on two
//! cores. So the tests share one server per test binary ([`shared`]), each with model and
//! experiment names of its own ([`unique`]), as the postgres tests share one PostgreSQL; a
//! server of its own ([`Mlflow::start`]) only where the test needs one: basic auth
//! ([`Mlflow::start_with_auth`]) or a server it stops. An owned server is stopped with its whole
//! process tree on drop (a failing test too); the shared one, which no drop reaches, by a
//! watchdog in its own session that stops the group and removes the directory as soon as the
//! test process exits (passed, panicked or killed). Each owned server has the same watchdog, for
//! a test process killed before its drops ran.
//!
//! Basic auth is MLflow's `--app-name basic-auth` with an ini file of its own
//! (`MLFLOW_AUTH_CONFIG_PATH`: the admin's password, a user store in the directory) and a static
//! `MLFLOW_FLASK_SERVER_SECRET_KEY` (its CSRF protection refuses to start without one); it needs
//! Flask-WTF, MLflow's `auth` extra, which `tests/run.sh` installs. It answers anything but the
//! admin's credentials, a bearer token included, with a real 401.
//!
//! Checks go through MLflow's REST API ([`Mlflow::get`], [`Mlflow::post`]) or its Python client
//! (`tests/mlflow/train.py`, [`Mlflow::train`]), never through the provider.

use std::net::TcpListener;
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::OnceLock;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use serde_json::{Value as Json, json};

/// The admin user of a server started with basic auth, and its password.
pub const ADMIN: &str = "admin";
pub const ADMIN_PASSWORD: &str = "mlflow-test-Pw-5d0c2a";

/// How long a server may take to answer `/health`.
const STARTUP: Duration = Duration::from_secs(180);

/// A running `mlflow server`.
pub struct Mlflow {
    /// `http://127.0.0.1:PORT`.
    pub uri: String,
    pub port: u16,
    /// How long it took from spawn to the first healthy `/health`.
    pub startup: Duration,
    /// Basic-auth credentials, when the server has them.
    pub auth: Option<(String, String)>,
    /// `mlflow server` itself, the leader of the process group (`None` once stopped).
    child: Option<Child>,
    pgid: u32,
    dir: PathBuf,
    /// Whether dropping this handle stops the server (not the shared one: a static never drops).
    owned: bool,
}

/// The server shared by the tests of this binary, started on first use.
pub fn shared() -> &'static Mlflow {
    static SERVER: OnceLock<Mlflow> = OnceLock::new();
    SERVER.get_or_init(|| {
        let mut m = Mlflow::spawn(false);
        m.owned = false;
        m
    })
}

/// A name unique to this test process and call: `PREFIX-PID-N`, so that tests sharing a server
/// never see each other's models and experiments.
pub fn unique(prefix: &str) -> String {
    static N: AtomicUsize = AtomicUsize::new(0);
    format!("{prefix}-{}-{}", std::process::id(), N.fetch_add(1, Ordering::Relaxed))
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("free port")
}

/// The environment every MLflow process of the tests gets: offline, and nothing inherited that
/// would point it elsewhere.
fn offline(cmd: &mut Command) -> &mut Command {
    for (k, _) in std::env::vars_os() {
        if k.to_string_lossy().starts_with("MLFLOW_") {
            cmd.env_remove(&k);
        }
    }
    cmd.env("MLFLOW_DISABLE_TELEMETRY", "true")
        .env("DO_NOT_TRACK", "true")
        .env("PYTHONWARNINGS", "ignore")
}

impl Mlflow {
    /// A server of this test's own, stopped with its process tree when the handle drops.
    pub fn start() -> Mlflow {
        Mlflow::spawn(false)
    }

    /// [`Mlflow::start`] with MLflow's basic-auth app (`--app-name basic-auth`): every request
    /// needs the admin's credentials ([`ADMIN`], [`ADMIN_PASSWORD`]); anything else (a wrong
    /// password, a bearer token) is a real 401.
    pub fn start_with_auth() -> Mlflow {
        Mlflow::spawn(true)
    }

    fn spawn(auth: bool) -> Mlflow {
        let dir = tempfile::Builder::new()
            .prefix("plinth-mlflow-")
            .tempdir()
            .expect("temporary directory")
            .keep();
        let port = free_port();
        let log = std::fs::File::create(dir.join("server.log")).expect("server log");
        let mut cmd = Command::new("mlflow");
        offline(&mut cmd)
            .arg("server")
            .arg("--backend-store-uri")
            .arg(format!("sqlite:///{}", dir.join("mlflow.db").display()))
            .arg("--default-artifact-root")
            .arg(dir.join("artifacts"))
            .args(["--host", "127.0.0.1", "--port", &port.to_string(), "--workers", "1"])
            .env("MLFLOW_SERVER_ENABLE_JOB_EXECUTION", "false")
            .current_dir(&dir)
            .stdin(Stdio::null())
            .stdout(log.try_clone().expect("server log"))
            .stderr(log)
            .process_group(0);
        if auth {
            let ini = dir.join("basic_auth.ini");
            std::fs::write(
                &ini,
                format!(
                    "[mlflow]\ndefault_permission = READ\ndatabase_uri = sqlite:///{}\n\
                     admin_username = {ADMIN}\nadmin_password = {ADMIN_PASSWORD}\n\
                     authorization_function = mlflow.server.auth:authenticate_request_basic_auth\n",
                    dir.join("basic_auth.db").display()
                ),
            )
            .expect("auth config");
            cmd.args(["--app-name", "basic-auth"])
                .env("MLFLOW_AUTH_CONFIG_PATH", &ini)
                // The auth app's CSRF protection refuses to start without a static key.
                .env("MLFLOW_FLASK_SERVER_SECRET_KEY", "plinth-tests-csrf-key");
        }
        let started = Instant::now();
        let child = cmd
            .spawn()
            .expect("mlflow on PATH (pip install 'mlflow>=3.17,<4'; tests/run.sh does this)");
        let pgid = child.id();
        watchdog(pgid, &dir);
        let mut m = Mlflow {
            uri: format!("http://127.0.0.1:{port}"),
            port,
            startup: Duration::ZERO,
            auth: auth.then(|| (ADMIN.to_string(), ADMIN_PASSWORD.to_string())),
            child: Some(child),
            pgid,
            dir,
            owned: true,
        };
        loop {
            if m.healthy() {
                break;
            }
            let exited = m.child.as_mut().and_then(|c| c.try_wait().ok().flatten());
            if exited.is_some() || started.elapsed() > STARTUP {
                let log = m.log();
                m.stop();
                panic!(
                    "mlflow server did not become healthy ({}, after {:?}):\n{log}",
                    exited.map_or("still starting".to_string(), |s| s.to_string()),
                    started.elapsed()
                );
            }
            std::thread::sleep(Duration::from_millis(200));
        }
        m.startup = started.elapsed();
        eprintln!(
            "mlflow server{} at {} started in {:.1} s",
            if auth { " (basic auth)" } else { "" },
            m.uri,
            m.startup.as_secs_f64()
        );
        m
    }

    fn healthy(&self) -> bool {
        reqwest::blocking::Client::new()
            .get(format!("{}/health", self.uri))
            .timeout(Duration::from_secs(2))
            .send()
            .is_ok_and(|r| r.status().is_success())
    }

    /// The server's own output so far.
    pub fn log(&self) -> String {
        std::fs::read_to_string(self.dir.join("server.log")).unwrap_or_default()
    }

    /// The server's temporary directory (store, artifacts, log).
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// The process group of the server: `mlflow server` and everything it started.
    pub fn pgid(&self) -> u32 {
        self.pgid
    }

    /// Stops the server and every process of its group (TERM, then KILL after 10 s), then
    /// asserts that none is left. Idempotent.
    pub fn stop(&mut self) {
        let Some(mut child) = self.child.take() else {
            return;
        };
        kill_group(self.pgid, "TERM");
        let deadline = Instant::now() + Duration::from_secs(10);
        while !group_members(self.pgid).is_empty() && Instant::now() < deadline {
            // Reap `mlflow server` as soon as it exits: a zombie still counts as a member.
            let _ = child.try_wait();
            std::thread::sleep(Duration::from_millis(100));
        }
        if !group_members(self.pgid).is_empty() {
            kill_group(self.pgid, "KILL");
        }
        let _ = child.wait();
        let deadline = Instant::now() + Duration::from_secs(5);
        while !group_members(self.pgid).is_empty() && Instant::now() < deadline {
            std::thread::sleep(Duration::from_millis(100));
        }
        let left = group_members(self.pgid);
        assert!(
            left.is_empty(),
            "processes of the mlflow server's group {} are still running: {left:?}",
            self.pgid
        );
        let _ = std::fs::remove_dir_all(&self.dir);
    }

    /// A blocking HTTP request to `/api/2.0/mlflow/PATH` with the admin's credentials when
    /// the server has auth.
    fn request(
        &self,
        method: reqwest::Method,
        path: &str,
        query: &[(&str, &str)],
    ) -> reqwest::blocking::RequestBuilder {
        let url = reqwest::Url::parse_with_params(&format!("{}/api/2.0/mlflow/{path}", self.uri), query)
            .unwrap_or_else(|e| panic!("MLflow URL {path}: {e}"));
        let rb = reqwest::blocking::Client::new()
            .request(method, url)
            .timeout(Duration::from_secs(30));
        match &self.auth {
            Some((u, p)) => rb.basic_auth(u, Some(p)),
            None => rb,
        }
    }

    fn answer(what: &str, r: reqwest::Result<reqwest::blocking::Response>) -> (u16, Json) {
        let r = r.unwrap_or_else(|e| panic!("MLflow {what}: {e}"));
        let status = r.status().as_u16();
        let text = r.text().unwrap_or_else(|e| panic!("MLflow {what}: {e}"));
        let body = serde_json::from_str(&text).unwrap_or(Json::String(text));
        (status, body)
    }

    /// `GET /api/2.0/mlflow/PATH?QUERY`: the status and the JSON answer.
    pub fn get_status(&self, path: &str, query: &[(&str, &str)]) -> (u16, Json) {
        Self::answer(
            &format!("GET {path}"),
            self.request(reqwest::Method::GET, path, query).send(),
        )
    }

    /// [`Mlflow::get_status`] that must succeed.
    #[track_caller]
    pub fn get(&self, path: &str, query: &[(&str, &str)]) -> Json {
        let (status, body) = self.get_status(path, query);
        assert_eq!(status, 200, "GET {path} {query:?}: {body}");
        body
    }

    /// `POST /api/2.0/mlflow/PATH` with a JSON body: the status and the JSON answer.
    pub fn post_status(&self, path: &str, body: &Json) -> (u16, Json) {
        Self::answer(
            &format!("POST {path}"),
            self.request(reqwest::Method::POST, path, &[])
                .header("content-type", "application/json")
                .body(body.to_string())
                .send(),
        )
    }

    /// [`Mlflow::post_status`] that must succeed.
    #[track_caller]
    pub fn post(&self, path: &str, body: Json) -> Json {
        let (status, answer) = self.post_status(path, &body);
        assert_eq!(status, 200, "POST {path} {body}: {answer}");
        answer
    }

    /// `PATCH /api/2.0/mlflow/PATH` with a JSON body, which must succeed.
    #[track_caller]
    pub fn patch(&self, path: &str, body: Json) -> Json {
        let (status, answer) = Self::answer(
            &format!("PATCH {path}"),
            self.request(reqwest::Method::PATCH, path, &[])
                .header("content-type", "application/json")
                .body(body.to_string())
                .send(),
        );
        assert_eq!(status, 200, "PATCH {path} {body}: {answer}");
        answer
    }

    /// The MLflow error code of a request that failed (`RESOURCE_DOES_NOT_EXIST` ...), or
    /// `"OK"`.
    pub fn get_code(&self, path: &str, query: &[(&str, &str)]) -> String {
        match self.get_status(path, query) {
            (200, _) => "OK".to_string(),
            (status, body) => body["error_code"]
                .as_str()
                .map_or_else(|| format!("HTTP {status}"), str::to_string),
        }
    }

    /// An experiment by name (`experiments/get-by-name`), or `None`.
    pub fn experiment(&self, name: &str) -> Option<Json> {
        match self.get_status("experiments/get-by-name", &[("experiment_name", name)]) {
            (200, body) => Some(body["experiment"].clone()),
            (404, _) => None,
            (s, body) => panic!("experiments/get-by-name {name}: {s} {body}"),
        }
    }

    /// A registered model (`registered-models/get`), or `None`.
    pub fn registered_model(&self, name: &str) -> Option<Json> {
        match self.get_status("registered-models/get", &[("name", name)]) {
            (200, body) => Some(body["registered_model"].clone()),
            (404, _) => None,
            (s, body) => panic!("registered-models/get {name}: {s} {body}"),
        }
    }

    /// The version an alias points at, or `None` when the model or the alias does not exist.
    /// (MLflow 3.17 answers a missing alias of an existing model with 400
    /// `INVALID_PARAMETER_VALUE` "Registered model alias NAME not found", not a 404.)
    pub fn alias(&self, model: &str, alias: &str) -> Option<String> {
        match self.get_status("registered-models/alias", &[("name", model), ("alias", alias)]) {
            (200, body) => body["model_version"]["version"].as_str().map(str::to_string),
            (404, _) => None,
            (400, body) if body["message"].as_str().is_some_and(|m| m.ends_with("not found.")) => None,
            (s, body) => panic!("registered-models/alias {model}/{alias}: {s} {body}"),
        }
    }

    /// Points `alias` of `model` at `version`, as someone in the MLflow UI would.
    pub fn set_alias(&self, model: &str, alias: &str, version: &str) {
        self.post(
            "registered-models/alias",
            json!({"name": model, "alias": alias, "version": version}),
        );
    }

    /// Deletes `alias` of `model`, as someone in the MLflow UI would.
    #[track_caller]
    pub fn delete_alias(&self, model: &str, alias: &str) {
        let (status, body) = Self::answer(
            "DELETE registered-models/alias",
            self.request(reqwest::Method::DELETE, "registered-models/alias", &[])
                .header("content-type", "application/json")
                .body(json!({"name": model, "alias": alias}).to_string())
                .send(),
        );
        assert_eq!(status, 200, "DELETE registered-models/alias {model}/{alias}: {body}");
    }

    /// A model version (`model-versions/get`), or `None`.
    pub fn model_version(&self, model: &str, version: &str) -> Option<Json> {
        match self.get_status("model-versions/get", &[("name", model), ("version", version)]) {
            (200, body) => Some(body["model_version"].clone()),
            (404, _) => None,
            (s, body) => panic!("model-versions/get {model}/{version}: {s} {body}"),
        }
    }

    /// Runs `tests/mlflow/train.py ARGS` against this server (MLflow's Python client, as a
    /// training job) and returns its JSON answer: `experiment_id`, and `runs` with each run's
    /// `run_id`, `version`, `source` and `auc`.
    pub fn train(&self, args: &[&str]) -> Json {
        let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/mlflow/train.py");
        let mut cmd = Command::new("python3");
        offline(&mut cmd)
            .arg(script)
            .arg("--tracking-uri")
            .arg(&self.uri)
            .args(args)
            .stdin(Stdio::null());
        if let Some((u, p)) = &self.auth {
            cmd.env("MLFLOW_TRACKING_USERNAME", u)
                .env("MLFLOW_TRACKING_PASSWORD", p);
        }
        let o = cmd.output().expect("python3 with mlflow installed");
        assert!(
            o.status.success(),
            "train.py {args:?} failed:\n{}",
            String::from_utf8_lossy(&o.stderr)
        );
        let text = String::from_utf8_lossy(&o.stdout);
        serde_json::from_str(text.trim()).unwrap_or_else(|e| panic!("train.py answered no JSON ({e}):\n{text}"))
    }
}

impl Drop for Mlflow {
    fn drop(&mut self) {
        if self.owned {
            self.stop();
        }
    }
}

/// `kill -SIGNAL -- -PGID`: the whole group.
fn kill_group(pgid: u32, signal: &str) {
    let _ = Command::new("kill")
        .arg(format!("-{signal}"))
        .arg("--")
        .arg(format!("-{pgid}"))
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status();
}

/// The live (not zombie) processes whose process group is `pgid`, from `/proc/PID/stat`.
pub fn group_members(pgid: u32) -> Vec<u32> {
    let Ok(entries) = std::fs::read_dir("/proc") else {
        return vec![];
    };
    entries
        .flatten()
        .filter_map(|e| e.file_name().to_str()?.parse::<u32>().ok())
        .filter(|pid| {
            let Ok(stat) = std::fs::read_to_string(format!("/proc/{pid}/stat")) else {
                return false;
            };
            // `PID (COMM) STATE PPID PGRP ...`: COMM may hold spaces and parentheses.
            let Some((_, rest)) = stat.rsplit_once(')') else {
                return false;
            };
            let fields: Vec<&str> = rest.split_whitespace().collect();
            fields.first().is_some_and(|s| *s != "Z") && fields.get(2) == Some(&pgid.to_string().as_str())
        })
        .collect()
}

/// A process in its own session that stops the group `pgid` (TERM, then KILL) and removes `dir`
/// once this test process has exited; it ends by itself when the group is gone first (an owned
/// server stopped by its drop), so a reused group id is never signalled.
fn watchdog(pgid: u32, dir: &Path) {
    // dash's `kill` takes `-PGID` directly (no `--`).
    let script = format!(
        "while kill -0 {pid} 2>/dev/null; do kill -0 -{pgid} 2>/dev/null || exit 0; sleep 1; done; \
         kill -TERM -{pgid} 2>/dev/null; sleep 5; kill -KILL -{pgid} 2>/dev/null; rm -rf \"$0\"",
        pid = std::process::id(),
    );
    let forked = Command::new("setsid")
        .args(["-f", "sh", "-c", &script])
        .arg(dir)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .expect("setsid sh (the MLflow server's watchdog)");
    assert!(forked.success(), "the MLflow watchdog did not start: {forked}");
}
