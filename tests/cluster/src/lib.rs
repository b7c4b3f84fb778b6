//! `plinth-test-cluster`: the real Kubernetes control plane (etcd, kube-apiserver,
//! kube-controller-manager, kube-scheduler and KWOK with one fake GPU node) as the test peer of the
//! Kubernetes provider, through `up.sh` and `down.sh` beside this crate.
//!
//! [`shared`] gives every test of a process the same running cluster:
//! - when `PLINTH_TEST_CLUSTER=DIR` names a cluster already up (`tests/run.sh` starts one for the
//!   whole suite and stops it when the suite ends, also on failure), that one;
//! - otherwise it runs `up.sh` once into a fresh directory, and a watchdog process (in its own
//!   session) runs `down.sh` as soon as the test process exits, whether it passed, panicked or
//!   was killed — Rust's test harness has no hook at the end of a run, so the clean-up cannot
//!   live in this process.
//!
//! Tests share the cluster and run in parallel: each works in namespaces and names of its own
//! ([`unique`]). Checks go through `kubectl` ([`Cluster::kubectl`]), never through the provider.
//! The API server writes an audit log of what the `admin` and `restricted` users asked
//! ([`Cluster::audit`]), so a test can count the calls a refresh made.
//!
//! `PLINTH_TEST_CLUSTER=DIR` may also name any other cluster: a `DIR` holding only its
//! `kubeconfig` (an identity allowed to manage namespaces and what the tests put in them). What
//! only `up.sh` makes — `kubeconfig-restricted`, `audit.log`, `tokens.csv`, the serving
//! certificate — is then missing, and only the tests that need it fail, with a message naming
//! the file ([`Cluster::require`]).

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::sync::OnceLock;
use std::sync::atomic::{AtomicUsize, Ordering};

use serde_json::Value as Json;

/// A running control plane.
pub struct Cluster {
    dir: PathBuf,
}

/// The directory of `up.sh` and `down.sh`.
fn scripts() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// The cluster every test of this process uses, started on first use.
pub fn shared() -> &'static Cluster {
    static CLUSTER: OnceLock<Cluster> = OnceLock::new();
    CLUSTER.get_or_init(|| match std::env::var_os("PLINTH_TEST_CLUSTER") {
        Some(dir) if !dir.is_empty() => {
            let dir = PathBuf::from(dir);
            assert!(
                dir.join("kubeconfig").is_file(),
                "PLINTH_TEST_CLUSTER={} has no kubeconfig: start a cluster there with tests/cluster/up.sh {0}, or copy \
                 the kubeconfig of another cluster there",
                dir.display()
            );
            Cluster { dir }
        }
        _ => start(),
    })
}

fn start() -> Cluster {
    let dir = std::env::temp_dir().join(format!("plinth-test-cluster-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap_or_else(|e| panic!("cannot create {}: {e}", dir.display()));
    // The watchdog first, so that even an up.sh killed half-way is cleaned up.
    let watchdog = format!(
        "while kill -0 {pid} 2>/dev/null; do sleep 1; done; \"$0\" \"$1\" >/dev/null 2>&1; rm -rf \"$1\"",
        pid = std::process::id()
    );
    // `setsid -f` forks the watchdog into a session of its own and returns at once.
    let forked = Command::new("setsid")
        .args(["-f", "sh", "-c", &watchdog])
        .arg(scripts().join("down.sh"))
        .arg(&dir)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .unwrap_or_else(|e| panic!("cannot start the cluster's watchdog (setsid sh): {e}"));
    assert!(
        forked.success(),
        "setsid -f sh (the cluster's watchdog) failed: {forked}"
    );
    eprintln!(
        "plinth-test-cluster: starting the control plane in {} (tests/cluster/up.sh)",
        dir.display()
    );
    let out = Command::new(scripts().join("up.sh"))
        .arg(&dir)
        .stdin(Stdio::null())
        .output()
        .unwrap_or_else(|e| panic!("cannot run tests/cluster/up.sh: {e}"));
    if !out.status.success() {
        let err = String::from_utf8_lossy(&out.stderr);
        let tail: Vec<&str> = err.lines().rev().take(30).collect();
        panic!(
            "tests/cluster/up.sh {} failed ({}); the last lines it printed:\n{}",
            dir.display(),
            out.status,
            tail.into_iter().rev().collect::<Vec<_>>().join("\n")
        );
    }
    Cluster { dir }
}

impl Cluster {
    /// Where the cluster keeps its data, logs, pids and kubeconfigs.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// The admin kubeconfig (`system:masters`).
    pub fn kubeconfig(&self) -> PathBuf {
        self.dir.join("kubeconfig")
    }

    /// The kubeconfig of user `restricted`, whom no RBAC binding names.
    pub fn kubeconfig_restricted(&self) -> PathBuf {
        self.require("kubeconfig-restricted", "an identity that RBAC refuses everything")
    }

    /// The API server's URL, as the kubeconfig's current context names it (so any cluster has one).
    pub fn server(&self) -> String {
        let url = self.kubectl_ok(&[
            "config",
            "view",
            "--minify",
            "-o",
            "jsonpath={.clusters[0].cluster.server}",
        ]);
        let url = url.trim().to_string();
        assert!(!url.is_empty(), "{} names no server", self.kubeconfig().display());
        url
    }

    /// `DIR/name`, which only a cluster started by `up.sh` has; when it is missing (a cluster of
    /// one's own in `PLINTH_TEST_CLUSTER`), the test that needs it fails saying so and why.
    pub fn require(&self, name: &str, needed_for: &str) -> PathBuf {
        let path = self.dir.join(name);
        assert!(
            path.exists(),
            "the test cluster in {} has no {name}, which this test needs ({needed_for}); only a cluster started by \
             tests/cluster/up.sh has it: run this test against one (unset PLINTH_TEST_CLUSTER to start one)",
            self.dir.display()
        );
        path
    }

    /// The admin's bearer token (`DIR/tokens.csv`, the line of user `admin`).
    pub fn admin_token(&self) -> String {
        let path = self.require("tokens.csv", "the admin's bearer token");
        let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
        text.lines()
            .find_map(|l| {
                let mut fields = l.split(',');
                let token = fields.next()?;
                (fields.next() == Some("admin")).then(|| token.to_string())
            })
            .unwrap_or_else(|| panic!("{} has no line for user admin", path.display()))
    }

    /// The API server's self-signed serving certificate (PEM), the CA a client must trust.
    pub fn ca_certificate(&self) -> PathBuf {
        self.require("certs/apiserver.crt", "the API server's serving certificate")
    }

    /// `kubectl ARGS` as the admin.
    pub fn kubectl(&self, args: &[&str]) -> Output {
        Command::new("kubectl")
            .arg("--kubeconfig")
            .arg(self.kubeconfig())
            .args(args)
            .stdin(Stdio::null())
            .output()
            .unwrap_or_else(|e| panic!("cannot run kubectl (tests/cluster/up.sh installs it): {e}"))
    }

    /// `kubectl ARGS` that must succeed; its standard output.
    pub fn kubectl_ok(&self, args: &[&str]) -> String {
        let o = self.kubectl(args);
        assert!(
            o.status.success(),
            "kubectl {}: {}",
            args.join(" "),
            String::from_utf8_lossy(&o.stderr)
        );
        String::from_utf8_lossy(&o.stdout).into_owned()
    }

    /// `kubectl get ARGS -o json`, parsed; `None` when the object does not exist.
    pub fn get(&self, args: &[&str]) -> Option<Json> {
        let mut full = vec!["get"];
        full.extend_from_slice(args);
        full.extend(["-o", "json"]);
        let o = self.kubectl(&full);
        if !o.status.success() {
            let err = String::from_utf8_lossy(&o.stderr);
            assert!(err.contains("NotFound"), "kubectl {}: {err}", full.join(" "));
            return None;
        }
        Some(serde_json::from_slice(&o.stdout).expect("kubectl prints JSON"))
    }

    /// `kubectl apply -f -` of `yaml` (or JSON) as the admin.
    pub fn apply(&self, yaml: &str) -> String {
        let mut child = Command::new("kubectl")
            .arg("--kubeconfig")
            .arg(self.kubeconfig())
            .args(["apply", "-f", "-"])
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("kubectl");
        {
            use std::io::Write as _;
            let mut stdin = child.stdin.take().expect("stdin");
            stdin.write_all(yaml.as_bytes()).expect("write to kubectl");
        }
        let o = child.wait_with_output().expect("kubectl");
        assert!(
            o.status.success(),
            "kubectl apply: {}\n{yaml}",
            String::from_utf8_lossy(&o.stderr)
        );
        String::from_utf8_lossy(&o.stdout).into_owned()
    }

    /// Every audit event the API server has logged so far (users `admin` and `restricted`, at
    /// the Metadata level: `verb`, `user.username`, `objectRef.{resource,namespace,name}`,
    /// `userAgent`, `requestURI`).
    pub fn audit(&self) -> Vec<Json> {
        let path = self.require("audit.log", "the API server's audit log, to count requests");
        let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
        text.lines().filter_map(|l| serde_json::from_str(l).ok()).collect()
    }
}

/// A name no other test of this run uses: `prefix`, the process id and a counter (lowercase
/// and short enough for a namespace).
pub fn unique(prefix: &str) -> String {
    static N: AtomicUsize = AtomicUsize::new(0);
    format!("{prefix}-{}-{}", std::process::id(), N.fetch_add(1, Ordering::Relaxed))
}
