//! `examples/kubernetes-platform` against a real cluster: ignored unless asked for, because there
//! is no cluster on CI machines. Run it against a disposable cluster (kind, minikube, a test
//! account) with
//!
//! ```sh
//! KUBECONFIG=~/.kube/kind-config cargo test --test kubernetes_cluster -- --ignored
//! ```
//!
//! It needs `kubectl` on the PATH and rights to manage namespaces, quotas, service accounts, roles,
//! role bindings, secrets and config maps. It works in its own environment (`it-<pid>`, namespace
//! `ml-it-<pid>`) and destroys everything it created. Every check goes through kubectl, not
//! through Plinth. (It also passes against Plinth's fake API server:
//! `cargo run -p plinth-kube-fake -- /tmp/fake-kubeconfig`, then the command above with that file.)

mod support;

use std::path::PathBuf;
use std::process::Command;

use serde_json::Value as Json;
use support::cli::{Dir, copy_dir, expect_code, ok, stdout};

fn kubectl(args: &[&str]) -> std::process::Output {
    Command::new("kubectl")
        .args(args)
        .output()
        .expect("kubectl on the PATH")
}

fn kubectl_json(args: &[&str]) -> Json {
    let mut full = args.to_vec();
    full.extend(["-o", "json"]);
    let o = kubectl(&full);
    assert!(
        o.status.success(),
        "kubectl {args:?}: {}",
        String::from_utf8_lossy(&o.stderr)
    );
    serde_json::from_slice(&o.stdout).expect("kubectl prints JSON")
}

#[test]
#[ignore = "needs cluster: set KUBECONFIG to a disposable cluster and run with --ignored"]
fn the_example_against_a_real_cluster() {
    let kubeconfig = std::env::var("KUBECONFIG").expect("KUBECONFIG names the cluster to test against");
    let env_name = format!("it-{}", std::process::id());
    let ns = format!("ml-{env_name}");
    let dir = Dir::new();
    copy_dir(&PathBuf::from("examples/kubernetes-platform"), dir.path());
    let token = format!("registry-token-{}", std::process::id());
    let vars = [
        ("KUBECONFIG", kubeconfig.as_str()),
        ("MODEL_REGISTRY_TOKEN", token.as_str()),
    ];
    let run = |args: &[&str]| {
        let mut full = vec!["-e", env_name.as_str()];
        full.extend_from_slice(args);
        dir.run_env(&full, &vars)
    };

    ok(dir.run_env(&["env", "new", &env_name], &vars));
    let o = ok(run(&["apply", "--auto-approve"]));
    assert!(stdout(&o).contains("8 added"), "{}", stdout(&o));

    let role = kubectl_json(&["-n", &ns, "get", "role", "serving"]);
    assert_eq!(role["rules"][1]["resourceNames"][0], "model-registry-token");
    let secret = kubectl_json(&["-n", &ns, "get", "secret", "model-registry-token"]);
    assert!(secret["data"]["token"].is_string());
    let quota = kubectl_json(&["-n", &ns, "get", "resourcequota", "gpu-quota"]);
    assert_eq!(quota["spec"]["hard"]["requests.nvidia.com/gpu"], "8");
    expect_code(&run(&["plan", "--detailed-exitcode"]), 0);

    // Widen the role by hand: drift names it; apply narrows it again.
    let patch = r#"{"rules":[{"apiGroups":[""],"resources":["secrets"],"verbs":["*"]}]}"#;
    let o = kubectl(&["-n", &ns, "patch", "role", "serving", "--type", "merge", "-p", patch]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let o = run(&["drift"]);
    expect_code(&o, 2);
    assert!(stdout(&o).contains("kubernetes_role.serving"), "{}", stdout(&o));
    ok(run(&["apply", "--auto-approve"]));
    let role = kubectl_json(&["-n", &ns, "get", "role", "serving"]);
    assert_eq!(role["rules"][1]["verbs"], serde_json::json!(["get"]));

    let o = ok(run(&["destroy", "--auto-approve"]));
    assert!(stdout(&o).contains("8 destroyed"), "{}", stdout(&o));
    let o = kubectl(&["get", "namespace", &ns]);
    assert!(!o.status.success(), "namespace {ns} still exists after destroy");
}
