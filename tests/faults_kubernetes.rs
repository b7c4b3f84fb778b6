//! Transient faults against Kubernetes: `tests/fixtures/kubernetes-platform-raw` applied by the
//! `plinth` binary through the fault-injecting proxy (tests/support/faultproxy.rs) in front of the
//! test cluster's API server. The proxy terminates TLS with the API server's own certificate (the
//! CA of the cluster's kubeconfig) and fails 20% of the requests with HTTP 500, 503 or 429 (a
//! `Status` with `Retry-After`) and closes 5% of the connections without answering. The apply
//! completes, kubectl (straight to the API server, not through the proxy) finds what the state
//! records, a re-plan through the proxy is clean, and a destroy through it removes everything. When
//! the retries run out, the error names the resource and the last error.

mod support;

use std::path::{Path, PathBuf};

use plinth_test_cluster::Cluster as Peer;
use support::cli::{Dir, copy_dir, expect_code, ok, stdout};
use support::faultproxy::{Dialect, FaultProxy, Faults, Tls, Upstream};
use support::leaks::unique;

/// A proxy in front of the cluster's API server, and a kubeconfig (in `dir`) that points at it.
fn proxy(k8s: &Peer, dir: &Path, faults: Faults) -> (FaultProxy, PathBuf) {
    let ca = k8s.ca_certificate();
    let p = FaultProxy::start(
        Upstream {
            url: k8s.server(),
            ca: Some(ca.clone()),
        },
        Some(Tls {
            cert: ca.clone(),
            key: k8s.require(
                "certs/apiserver.key",
                "the API server's key, for the proxy to serve its certificate",
            ),
        }),
        faults,
    );
    let kubeconfig = dir.join("kubeconfig-through-proxy");
    std::fs::write(
        &kubeconfig,
        format!(
            "apiVersion: v1\nkind: Config\nclusters:\n- name: proxy\n  cluster: {{server: \"{}\", certificate-authority: \"{}\"}}\n\
             users:\n- name: admin\n  user: {{token: \"{}\"}}\ncontexts:\n- name: admin\n  context: {{cluster: proxy, user: admin}}\n\
             current-context: admin\n",
            p.url,
            ca.display(),
            k8s.admin_token()
        ),
    )
    .expect("write the kubeconfig");
    (p, kubeconfig)
}

/// Deletes the test's namespaces when it ends, passed or failed.
struct Namespaces<'a>(&'a Peer, Vec<String>);

impl Drop for Namespaces<'_> {
    fn drop(&mut self) {
        let mut args = vec!["delete", "namespace", "--ignore-not-found", "--wait=false"];
        args.extend(self.1.iter().map(String::as_str));
        let _ = self.0.kubectl(&args);
        let classes: Vec<String> = self
            .1
            .iter()
            .flat_map(|ns| [format!("{ns}-serving"), format!("{ns}-training")])
            .collect();
        let mut args = vec!["delete", "priorityclass", "--ignore-not-found", "--wait=false"];
        args.extend(classes.iter().map(String::as_str));
        let _ = self.0.kubectl(&args);
    }
}

#[test]
fn the_example_converges_through_a_faulty_network() {
    let k8s = plinth_test_cluster::shared();
    let dir = Dir::new();
    copy_dir(&PathBuf::from("tests/fixtures/kubernetes-platform-raw"), dir.path());
    let (p, kubeconfig) = proxy(k8s, dir.path(), Faults::standard(Dialect::Kubernetes, 17));
    let env_name = plinth_test_cluster::unique("f");
    let ns = format!("ml-{env_name}");
    let _cleanup = Namespaces(k8s, vec![ns.clone()]);
    let kubeconfig = kubeconfig.display().to_string();
    let token = unique("registry-token");
    let home = dir.path().display().to_string();
    let env = [
        ("KUBECONFIG", kubeconfig.as_str()),
        ("MODEL_REGISTRY_TOKEN", token.as_str()),
        ("HOME", home.as_str()),
        // The KServe CRD is cluster-wide: only tests/kubernetes_platform.rs applies it.
        ("PLINTH_VAR_kserve", "false"),
    ];
    ok(dir.run_env(&["env", "new", &env_name], &env));

    let o = ok(dir.run_env(&["apply", "--auto-approve"], &env));
    let applied = p.counts();
    eprintln!("fault proxy during the apply: {applied:?}");
    assert!(
        stdout(&o).contains("Apply complete! Resources: 25 added, 0 changed, 0 destroyed."),
        "{}",
        stdout(&o)
    );
    assert!(applied.faults() > 0, "{applied:?}");

    // kubectl, straight to the API server: each recorded object is there, with the recorded uid.
    let state = ok(dir.run_env(&["state", "list"], &env));
    let addresses: Vec<String> = stdout(&state).lines().map(|l| l.trim().to_string()).collect();
    assert_eq!(addresses.len(), 25, "{addresses:?}");
    let pull = ok(dir.run_env(&["state", "pull"], &env));
    let recorded: serde_json::Value = serde_json::from_slice(&pull.stdout).expect("state JSON");
    let uid_of = |address: &str| -> String {
        let a = &recorded["resources"][address]["attributes"];
        a["metadata"][0]["uid"]
            .as_str()
            .or_else(|| a["metadata"]["uid"].as_str())
            .or_else(|| a["object"]["metadata"]["uid"].as_str())
            .unwrap_or_default()
            .to_string()
    };
    for (address, args) in [
        ("kubernetes_namespace.ml", vec!["namespace", ns.as_str()]),
        (
            "kubernetes_config_map.serving",
            vec!["-n", ns.as_str(), "configmap", "serving-config"],
        ),
        (
            "kubernetes_deployment.serving",
            vec!["-n", ns.as_str(), "deployment", "churn-serving"],
        ),
        (
            "kubernetes_deployment.mlflow",
            vec!["-n", ns.as_str(), "deployment", "mlflow"],
        ),
        (
            "kubernetes_service.serving",
            vec!["-n", ns.as_str(), "service", "churn-serving"],
        ),
        (
            "kubernetes_service.mlflow",
            vec!["-n", ns.as_str(), "service", "mlflow"],
        ),
    ] {
        let live = k8s
            .get(&args)
            .unwrap_or_else(|| panic!("{address}: kubectl get {} finds nothing", args.join(" ")));
        let uid = uid_of(address);
        assert!(
            !uid.is_empty(),
            "{address} records a uid: {}",
            recorded["resources"][address]
        );
        assert_eq!(live["metadata"]["uid"], uid.as_str(), "{address} is the live object");
    }
    let deployment = k8s
        .get(&["-n", &ns, "deployment", "churn-serving"])
        .expect("the serving deployment");
    assert_eq!(
        deployment["status"]["readyReplicas"], deployment["spec"]["replicas"],
        "rolled out: {}",
        deployment["status"]
    );

    // A clean re-plan, refreshed through the faults too.
    let before = p.counts();
    let o = dir.run_env(&["plan", "--detailed-exitcode"], &env);
    expect_code(&o, 0);
    let replan = p.counts();
    eprintln!("fault proxy during the re-plan: {replan:?}");
    assert!(replan.faults() > before.faults(), "{replan:?}");

    // A destroy through the faults, its deletes and waits included.
    let o = ok(dir.run_env(&["destroy", "--auto-approve"], &env));
    assert!(
        stdout(&o).contains("Destroy complete! Resources: 25 destroyed."),
        "{}",
        stdout(&o)
    );
    assert!(k8s.get(&["namespace", &ns]).is_none(), "the namespace is gone");
    // Every kind of fault happened, on a fair share of the requests.
    let total = p.counts();
    eprintln!("fault proxy after the destroy: {total:?}");
    assert!(total.requests >= 100, "{total:?}");
    assert!(total.status_500 > 0 && total.status_503 > 0, "{total:?}");
    assert!(total.throttled > 0 && total.resets > 0, "{total:?}");
    assert!(total.faults() * 10 >= total.requests, "at least 10% faults: {total:?}");
}

/// When every attempt fails, the apply stops after `max_retries` retries with an error naming the
/// resource and the last error.
#[test]
fn exhausted_retries_name_the_resource_and_the_last_error() {
    let k8s = plinth_test_cluster::shared();
    let dir = Dir::new();
    let (p, kubeconfig) = proxy(
        k8s,
        dir.path(),
        Faults {
            seed: 5,
            error: 1.0,
            reset: 0.0,
            dialect: Dialect::Kubernetes,
        },
    );
    let ns = plinth_test_cluster::unique("flaky");
    let _cleanup = Namespaces(k8s, vec![ns.clone()]);
    dir.write(
        "main.hcl",
        &format!(
            r#"
provider "kubernetes" {{
  config_path = "{}"
  max_retries = 2
}}

resource "kubernetes_namespace" "flaky" {{
  metadata {{
    name = "{ns}"
  }}
}}
"#,
            kubeconfig.display()
        ),
    );
    let home = dir.path().display().to_string();
    let o = dir.run_env(&["apply", "--auto-approve"], &[("HOME", home.as_str())]);
    let out = format!("{}\n{}", stdout(&o), String::from_utf8_lossy(&o.stderr));
    assert!(!o.status.success(), "{out}");
    assert!(out.contains("kubernetes_namespace.flaky"), "names the resource:\n{out}");
    assert!(
        [
            "InternalError",
            "ServiceUnavailable",
            "TooManyRequests",
            "too many requests",
            "unable to handle"
        ]
        .iter()
        .any(|m| out.contains(m)),
        "names the last error:\n{out}"
    );
    let c = p.counts();
    assert_eq!(c.faults(), c.requests, "{c:?}");
    assert_eq!(c.requests % 3, 0, "each call made 1 + max_retries attempts: {c:?}");
    assert!(k8s.get(&["namespace", &ns]).is_none(), "nothing was created");
}
