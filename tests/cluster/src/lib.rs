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
                "PLINTH_TEST_CLUSTER={} has no kubeconfig: start it with tests/cluster/up.sh {0}",
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
        self.dir.join("kubeconfig-restricted")
    }

    /// The API server's URL.
    pub fn server(&self) -> String {
        let ports = std::fs::read_to_string(self.dir.join("ports")).unwrap_or_default();
        let port = ports
            .lines()
            .find_map(|l| l.strip_prefix("apiserver="))
            .unwrap_or_else(|| panic!("{} names no apiserver port", self.dir.join("ports").display()));
        format!("https://127.0.0.1:{port}")
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
        let text = std::fs::read_to_string(self.dir.join("audit.log")).unwrap_or_default();
        text.lines().filter_map(|l| serde_json::from_str(l).ok()).collect()
    }
}

/// A name no other test of this run uses: `prefix`, the process id and a counter (lowercase
/// and short enough for a namespace).
pub fn unique(prefix: &str) -> String {
    static N: AtomicUsize = AtomicUsize::new(0);
    format!("{prefix}-{}-{}", std::process::id(), N.fetch_add(1, Ordering::Relaxed))
}
