//! The real `kubectl` against the fake: get, create, label, annotate, server-side apply (with a
//! conflict) and delete. Skipped, with a note, when kubectl is not on the PATH.
//!
//! Two kubectl facts shape this test: kubectl needs `/openapi/v2|v3` for client-side validation,
//! which the fake does not serve, so `create`/`apply` run with `--validate=false`; and kubectl
//! does not send a bearer token to a plain-`http` server, so this test does not require one.

#![allow(clippy::unwrap_used)]

use std::path::Path;
use std::process::{Command, Output};

use plinth_kube_fake::FakeApi;
use serde_json::json;

const ROLE: &str = "/apis/rbac.authorization.k8s.io/v1/namespaces/default/roles/reader";

fn kubectl_available() -> bool {
    Command::new("kubectl")
        .arg("version")
        .arg("--client")
        .output()
        .is_ok_and(|o| o.status.success())
}

struct Kubectl<'a> {
    kubeconfig: &'a Path,
    home: &'a Path,
}

impl Kubectl<'_> {
    fn run(&self, args: &[&str]) -> Output {
        Command::new("kubectl")
            .arg("--kubeconfig")
            .arg(self.kubeconfig)
            .args(args)
            .env("HOME", self.home)
            .env("KUBECACHEDIR", self.home.join("cache"))
            .output()
            .unwrap()
    }

    /// Runs kubectl and asserts success; returns stdout.
    #[track_caller]
    fn ok(&self, args: &[&str]) -> String {
        let out = self.run(args);
        let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
        assert!(
            out.status.success(),
            "kubectl {} failed:\n{stdout}\n{}",
            args.join(" "),
            String::from_utf8_lossy(&out.stderr)
        );
        stdout
    }
}

#[test]
fn kubectl_get_label_annotate_apply_delete() {
    if !kubectl_available() {
        eprintln!("note: kubectl is not on the PATH; skipping the kubectl test");
        return;
    }
    let api = FakeApi::start();
    let dir = tempfile::tempdir().unwrap();
    let kubeconfig = dir.path().join("config");
    api.write_kubeconfig(&kubeconfig, None).unwrap();
    let k = Kubectl {
        kubeconfig: &kubeconfig,
        home: dir.path(),
    };

    let manifest = dir.path().join("role.yaml");
    let write_manifest = |team: &str| {
        let text = format!(
            "apiVersion: rbac.authorization.k8s.io/v1\nkind: Role\nmetadata:\n  name: reader\n  namespace: default\n  labels:\n    team: {team}\nrules:\n- apiGroups: [\"\"]\n  resources: [secrets]\n  verbs: [get]\n"
        );
        std::fs::write(&manifest, text).unwrap();
    };
    write_manifest("a");
    let manifest_arg = manifest.to_str().unwrap();

    let out = k.ok(&["apply", "--server-side", "--validate=false", "-f", manifest_arg]);
    assert!(
        out.contains("role.rbac.authorization.k8s.io/reader serverside-applied"),
        "{out}"
    );
    let out = k.ok(&["get", "roles", "-n", "default"]);
    assert!(out.contains("reader"), "{out}");
    let out = k.ok(&["get", "namespaces"]);
    assert!(out.contains("kube-system"), "{out}");

    k.ok(&["label", "role", "reader", "extra=yes", "-n", "default"]);
    k.ok(&["annotate", "role", "reader", "note=hello", "-n", "default"]);
    let role = api.get(ROLE).unwrap();
    assert_eq!(role["metadata"]["labels"], json!({"team": "a", "extra": "yes"}));
    assert_eq!(role["metadata"]["annotations"], json!({"note": "hello"}));
    let managers: Vec<&str> = role["metadata"]["managedFields"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["manager"].as_str().unwrap())
        .collect();
    assert_eq!(managers, ["kubectl", "kubectl-label", "kubectl-annotate"]);

    let out = k.ok(&["get", "role", "reader", "-n", "default", "-o", "json"]);
    let fetched: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(fetched["metadata"]["labels"]["extra"], "yes");

    // Someone relabels team; kubectl's next server-side apply reports the conflict...
    k.ok(&["label", "role", "reader", "team=b", "--overwrite", "-n", "default"]);
    let refused = k.run(&["apply", "--server-side", "--validate=false", "-f", manifest_arg]);
    assert!(!refused.status.success());
    let stderr = String::from_utf8_lossy(&refused.stderr);
    assert!(
        stderr.contains(r#"conflict with "kubectl-label""#) && stderr.contains(".metadata.labels.team"),
        "{stderr}"
    );
    // ...and --force-conflicts takes the field back.
    k.ok(&[
        "apply",
        "--server-side",
        "--force-conflicts",
        "--validate=false",
        "-f",
        manifest_arg,
    ]);
    assert_eq!(api.get(ROLE).unwrap()["metadata"]["labels"]["team"], "a");

    let out = k.ok(&["delete", "role", "reader", "-n", "default"]);
    assert!(
        out.contains(r#"role.rbac.authorization.k8s.io "reader" deleted"#),
        "{out}"
    );
    assert!(api.get(ROLE).is_none());
    let out = k.ok(&["get", "roles", "-n", "default"]);
    assert!(!out.contains("reader"), "{out}");
}
