//! End-to-end tests of the kubernetes provider with the real `plinth` binary against the
//! in-process fake API server (`plinth-kube-fake`, server-side apply with field ownership): the
//! `examples/kubernetes-platform` configuration applied, re-planned, drifted by another field
//! manager, repaired, imported and destroyed; the secret token found nowhere but in the cluster;
//! wildcard RBAC warnings by address; refresh cost; clear errors for an unreachable or refusing
//! cluster.

mod support;

use std::path::PathBuf;

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD as B64;
use plinth_kube_fake::FakeApi;
use serde_json::{Value as Json, json};
use support::cli::{Dir, copy_dir, expect_code, json, ok, stderr, stdout};
use support::leaks::{assert_clean, files_under, unique};

const NS: &str = "/api/v1/namespaces/ml-default";
const ROLE: &str = "/apis/rbac.authorization.k8s.io/v1/namespaces/ml-default/roles/serving";
const BINDING: &str = "/apis/rbac.authorization.k8s.io/v1/namespaces/ml-default/rolebindings/serving";
const SECRET: &str = "/api/v1/namespaces/ml-default/secrets/model-registry-token";
const CONFIG: &str = "/api/v1/namespaces/ml-default/configmaps/serving-config";
const QUOTA: &str = "/api/v1/namespaces/ml-default/resourcequotas/gpu-quota";

/// A configuration directory, a fake cluster and the environment that points plinth at it.
struct Cluster {
    dir: Dir,
    api: FakeApi,
    env: Vec<(String, String)>,
}

impl Cluster {
    fn new(hcl: Option<&str>) -> Cluster {
        let dir = Dir::new();
        match hcl {
            Some(text) => dir.write("main.hcl", text),
            None => copy_dir(&PathBuf::from("examples/kubernetes-platform"), dir.path()),
        }
        let api = FakeApi::start();
        let kubeconfig = dir.join("kubeconfig");
        api.write_kubeconfig(&kubeconfig, None).expect("kubeconfig");
        let env = vec![
            ("KUBECONFIG".to_string(), kubeconfig.display().to_string()),
            ("MODEL_REGISTRY_TOKEN".to_string(), unique("registry-token")),
            // A home without a kubeconfig of the user's, in case KUBECONFIG were ignored.
            ("HOME".to_string(), dir.path().display().to_string()),
        ];
        Cluster { dir, api, env }
    }

    fn token(&self) -> String {
        self.var("MODEL_REGISTRY_TOKEN")
    }

    fn var(&self, name: &str) -> String {
        self.env
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.clone())
            .unwrap_or_default()
    }

    fn run(&self, args: &[&str]) -> std::process::Output {
        self.run_with(args, &[])
    }

    fn run_with(&self, args: &[&str], extra: &[(&str, &str)]) -> std::process::Output {
        let mut env: Vec<(&str, &str)> = self.env.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
        env.extend_from_slice(extra);
        self.dir.run_env(args, &env)
    }

    fn object(&self, path: &str) -> Json {
        self.api
            .get(path)
            .unwrap_or_else(|| panic!("{path} does not exist in the fake cluster"))
    }

    /// Addresses `drift --json` reports, with their status.
    fn drift(&self, want_code: i32) -> Vec<(String, String)> {
        let o = self.run(&["drift", "--json"]);
        expect_code(&o, want_code);
        let j = json(&o);
        j["resources"]
            .as_array()
            .map(|rs| {
                rs.iter()
                    .map(|r| {
                        (
                            r["address"].as_str().unwrap_or_default().to_string(),
                            r["status"].as_str().unwrap_or_default().to_string(),
                        )
                    })
                    .collect()
            })
            .unwrap_or_default()
    }
}

fn strs(j: &Json) -> Vec<String> {
    j.as_array()
        .map(|a| a.iter().filter_map(|s| s.as_str().map(str::to_string)).collect())
        .unwrap_or_default()
}

#[test]
fn the_example_applies_converges_and_destroys() {
    let c = Cluster::new(None);
    let o = ok(c.run(&["apply", "--auto-approve"]));
    assert!(
        stdout(&o).contains("Apply complete! Resources: 8 added, 0 changed, 0 destroyed."),
        "{}",
        stdout(&o)
    );

    // What a user would check with kubectl.
    let ns = c.object(NS);
    assert_eq!(ns["metadata"]["labels"]["plinth.dev/environment"], "default");
    let quota = c.object(QUOTA);
    assert_eq!(quota["spec"]["hard"]["requests.nvidia.com/gpu"], "8");
    let secret = c.object(SECRET);
    assert_eq!(secret["type"], "Opaque");
    assert_eq!(secret["data"]["token"], B64.encode(c.token()));
    let role = c.object(ROLE);
    assert_eq!(strs(&role["rules"][0]["resourceNames"]), ["serving-config"]);
    assert_eq!(strs(&role["rules"][1]["resources"]), ["secrets"]);
    assert_eq!(strs(&role["rules"][1]["verbs"]), ["get"]);
    let binding = c.object(BINDING);
    assert_eq!(
        binding["roleRef"],
        json!({"apiGroup": "rbac.authorization.k8s.io", "kind": "Role", "name": "serving"})
    );
    assert_eq!(
        binding["subjects"],
        json!([{"kind": "ServiceAccount", "name": "serving", "namespace": "ml-default"}])
    );
    let training = c.object("/api/v1/namespaces/ml-default/serviceaccounts/training");
    assert_eq!(training["automountServiceAccountToken"], false);
    // Everything is owned by the `plinth` field manager, applied server-side.
    let managers: Vec<String> = role["metadata"]["managedFields"]
        .as_array()
        .map(|a| {
            a.iter()
                .map(|m| {
                    format!(
                        "{}/{}",
                        m["manager"].as_str().unwrap_or(""),
                        m["operation"].as_str().unwrap_or("")
                    )
                })
                .collect()
        })
        .unwrap_or_default();
    assert_eq!(managers, ["plinth/Apply"]);

    // A second plan finds nothing to do.
    let o = c.run(&["plan", "--detailed-exitcode"]);
    expect_code(&o, 0);
    assert!(stdout(&o).contains("No changes."), "{}", stdout(&o));
    assert_eq!(c.drift(0), Vec::<(String, String)>::new());

    // Output and state.
    let o = ok(c.run(&["output", "namespace"]));
    assert_eq!(stdout(&o).trim(), "\"ml-default\"");

    // Destroy removes every object.
    let o = ok(c.run(&["destroy", "--auto-approve"]));
    assert!(stdout(&o).contains("8 destroyed"), "{}", stdout(&o));
    for path in [NS, ROLE, BINDING, SECRET, CONFIG, QUOTA] {
        assert!(c.api.get(path).is_none(), "{path} survived destroy");
    }
}

#[test]
fn another_managers_edit_is_drift_that_apply_repairs() {
    let c = Cluster::new(None);
    ok(c.run(&["apply", "--auto-approve"]));

    // Someone widens the role with kubectl edit: a wildcard verb on every secret.
    c.api
        .edit(
            ROLE,
            "kubectl-edit",
            json!({"rules": [{"apiGroups": [""], "resources": ["secrets"], "verbs": ["*"]}]}),
        )
        .expect("edit");
    assert_eq!(
        c.drift(2),
        [("kubernetes_role.serving".to_string(), "modified".to_string())]
    );
    let o = c.run(&["drift"]);
    assert!(stdout(&o).contains("rule"), "{}", stdout(&o));

    // A label another team adds to the namespace is theirs, not drift.
    c.api
        .edit(
            NS,
            "kubectl-label",
            json!({"metadata": {"labels": {"cost-center": "research"}}}),
        )
        .expect("label");
    assert_eq!(
        c.drift(2),
        [("kubernetes_role.serving".to_string(), "modified".to_string())]
    );

    // Apply takes the fields back (server-side apply with force) and leaves the label alone.
    let o = ok(c.run(&["apply", "--auto-approve"]));
    assert!(stdout(&o).contains("0 added, 1 changed, 0 destroyed"), "{}", stdout(&o));
    let role = c.object(ROLE);
    assert_eq!(strs(&role["rules"][1]["verbs"]), ["get"]);
    assert_eq!(strs(&role["rules"][1]["resourceNames"]), ["model-registry-token"]);
    assert_eq!(c.object(NS)["metadata"]["labels"]["cost-center"], "research");
    assert_eq!(c.drift(0), Vec::<(String, String)>::new());

    // A deleted object is reported as deleted and re-created.
    assert!(c.api.delete(CONFIG));
    assert_eq!(
        c.drift(2),
        [("kubernetes_config_map.serving".to_string(), "deleted".to_string())]
    );
    let o = ok(c.run(&["apply", "--auto-approve"]));
    assert!(stdout(&o).contains("1 added"), "{}", stdout(&o));
    assert_eq!(c.object(CONFIG)["data"]["MODEL_NAME"], "churn");
}

#[test]
fn configuration_changes_update_in_place_and_dropped_fields_disappear() {
    let c = Cluster::new(None);
    ok(c.run(&["apply", "--auto-approve"]));
    let uid = c.object(QUOTA)["metadata"]["uid"].clone();

    let o = ok(c.run(&["plan", "--var", "gpu_quota=1"]));
    let text = stdout(&o);
    assert!(
        text.contains("kubernetes_resource_quota.gpus will be updated in place"),
        "{text}"
    );
    assert!(text.contains("Plan: 0 to add, 1 to change, 0 to destroy."), "{text}");
    ok(c.run(&["apply", "--auto-approve", "--var", "gpu_quota=1"]));
    let quota = c.object(QUOTA);
    assert_eq!(quota["spec"]["hard"]["requests.nvidia.com/gpu"], "1");
    assert_eq!(quota["metadata"]["uid"], uid, "updated in place, not replaced");

    // A key removed from the configuration is removed from the object (server-side apply).
    let main = c.dir.read("main.hcl").replace("    MAX_BATCH_SIZE = \"32\"\n", "");
    c.dir.write("main.hcl", &main);
    ok(c.run(&["apply", "--auto-approve", "--var", "gpu_quota=1"]));
    let data = c.object(CONFIG)["data"].clone();
    assert_eq!(data, json!({"MODEL_NAME": "churn"}));

    // Renaming the role replaces it (and the binding that names it: its role_ref is immutable).
    let main = c.dir.read("main.hcl").replace(
        "resource \"kubernetes_role\" \"serving\" {\n  metadata {\n    name      = \"serving\"",
        "resource \"kubernetes_role\" \"serving\" {\n  metadata {\n    name      = \"serving-v2\"",
    );
    c.dir.write("main.hcl", &main);
    let o = ok(c.run(&["plan", "--var", "gpu_quota=1"]));
    let text = stdout(&o);
    assert!(text.contains("kubernetes_role.serving must be replaced"), "{text}");
    assert!(
        text.contains("kubernetes_role_binding.serving must be replaced"),
        "{text}"
    );
    ok(c.run(&["apply", "--auto-approve", "--var", "gpu_quota=1"]));
    assert!(c.api.get(ROLE).is_none());
    assert_eq!(c.object(BINDING)["roleRef"]["name"], "serving-v2");
}

#[test]
fn the_registry_token_reaches_the_cluster_and_nothing_else() {
    let c = Cluster::new(None);
    let token = c.token();
    let encoded = B64.encode(&token);
    let secrets = [token.as_str(), encoded.as_str()];
    let trace = [("RUST_LOG", "trace")];
    let outputs = vec![
        ("plan --out", ok(c.run_with(&["plan", "--out", "plan.json"], &trace))),
        ("apply PLAN", ok(c.run_with(&["apply", "plan.json"], &trace))),
        ("plan", ok(c.run_with(&["plan"], &trace))),
        ("show", ok(c.run_with(&["show"], &trace))),
        ("show --json", ok(c.run_with(&["show", "--json"], &trace))),
        ("drift", ok(c.run_with(&["drift"], &trace))),
        ("drift --json", ok(c.run_with(&["drift", "--json"], &trace))),
        (
            "state show",
            ok(c.run_with(&["state", "show", "kubernetes_secret.registry"], &trace)),
        ),
    ];
    assert_eq!(
        c.object(SECRET)["data"]["token"],
        encoded,
        "the workload gets the token"
    );
    assert!(
        stdout(&outputs[3].1).contains("(sensitive)"),
        "show marks the secret: {}",
        stdout(&outputs[3].1)
    );
    for (what, o) in &outputs {
        assert_clean(&format!("the output of `{what}`"), &o.stdout, &secrets);
        assert_clean(&format!("the log of `{what}`"), &o.stderr, &secrets);
    }
    for file in files_under(&c.dir.join(".plinth")) {
        let bytes = std::fs::read(&file).expect("read");
        assert_clean(&file.display().to_string(), &bytes, &secrets);
    }
    assert_clean(
        "the plan file",
        &std::fs::read(c.dir.join("plan.json")).expect("plan"),
        &secrets,
    );

    // A changed token is noticed (by its keyed hash) and sent.
    let rotated = unique("rotated");
    let o = ok(c.run_with(&["plan"], &[("MODEL_REGISTRY_TOKEN", rotated.as_str())]));
    assert!(
        stdout(&o).contains("kubernetes_secret.registry will be updated in place"),
        "{}",
        stdout(&o)
    );
    assert!(!stdout(&o).contains(&rotated));
    ok(c.run_with(
        &["apply", "--auto-approve"],
        &[("MODEL_REGISTRY_TOKEN", rotated.as_str())],
    ));
    assert_eq!(c.object(SECRET)["data"]["token"], B64.encode(&rotated));

    // Someone overwrites the secret in the cluster: drift, shown without the value.
    c.api
        .edit(
            SECRET,
            "kubectl-edit",
            json!({"data": {"token": B64.encode("overwritten-by-hand")}}),
        )
        .expect("edit");
    let o = c.run_with(&["drift"], &[("MODEL_REGISTRY_TOKEN", rotated.as_str())]);
    expect_code(&o, 2);
    assert!(stdout(&o).contains("kubernetes_secret.registry"), "{}", stdout(&o));
    assert!(!stdout(&o).contains("overwritten-by-hand"), "{}", stdout(&o));
}

#[test]
fn validate_warns_on_wildcard_roles_by_address() {
    let dir = Dir::with(
        r#"resource "kubernetes_cluster_role" "admin" {
  metadata {
    name = "ml-admin"
  }
  rule {
    api_groups = ["*"]
    resources  = ["*"]
    verbs      = ["*"]
  }
}

resource "kubernetes_role" "reader" {
  metadata {
    name      = "reader"
    namespace = "ml"
  }
  rule {
    api_groups = [""]
    resources  = ["configmaps"]
    verbs      = ["get"]
  }
  rule {
    api_groups = [""]
    resources  = ["secrets"]
    verbs      = ["*"]
  }
}
"#,
    );
    // No cluster is needed to validate.
    let o = ok(dir.run(&["validate"]));
    let err = stderr(&o);
    assert!(
        err.contains(
            "main.hcl:8:18: warning: kubernetes_cluster_role.admin: rule 1 allows every verb (verbs = [\"*\"])"
        ),
        "{err}"
    );
    assert!(
        err.contains("kubernetes_cluster_role.admin: rule 1 allows every resource"),
        "{err}"
    );
    assert!(
        err.contains("kubernetes_role.reader: rule 2 allows every verb"),
        "{err}"
    );
    assert!(!err.contains("kubernetes_role.reader: rule 1"), "{err}");
    assert_eq!(err.matches("warning:").count(), 3, "{err}");

    // A name the API server would refuse is an error before any cluster is contacted.
    dir.write(
        "main.hcl",
        "resource \"kubernetes_namespace\" \"bad\" {\n  metadata {\n    name = \"ML_Team\"\n  }\n}\n",
    );
    let o = dir.run(&["validate"]);
    expect_code(&o, 1);
    assert!(
        stderr(&o).contains("metadata.name \"ML_Team\" is not a valid Kubernetes name"),
        "{}",
        stderr(&o)
    );
}

#[test]
fn refresh_lists_a_namespace_once_instead_of_getting_each_object() {
    let c = Cluster::new(Some(
        r#"resource "kubernetes_config_map" "shard" {
  count = 6
  metadata {
    name = "shard-${count.index}"
  }
  data = {
    index = tostring(count.index)
  }
}
"#,
    ));
    ok(c.run(&["apply", "--auto-approve"]));
    c.api.clear_requests();
    assert_eq!(c.drift(0), Vec::<(String, String)>::new());
    let configmap_requests: Vec<String> = c
        .api
        .requests()
        .into_iter()
        .filter(|r| r.contains("/configmaps"))
        .collect();
    assert_eq!(configmap_requests.len(), 1, "{configmap_requests:?}");
    assert!(
        configmap_requests[0].starts_with("GET /api/v1/namespaces/default/configmaps"),
        "{configmap_requests:?}"
    );
}

#[test]
fn import_adopts_an_existing_object() {
    let c = Cluster::new(None);
    ok(c.run(&["apply", "--auto-approve"]));
    ok(c.run(&["state", "rm", "kubernetes_config_map.serving"]));
    let o = ok(c.run(&["import", "kubernetes_config_map.serving", "ml-default/serving-config"]));
    assert!(stdout(&o).contains("Import"), "{}", stdout(&o));
    let o = c.run(&["plan", "--detailed-exitcode"]);
    expect_code(&o, 0);

    // An id that names nothing is a clear error.
    ok(c.run(&["state", "rm", "kubernetes_config_map.serving"]));
    let o = c.run(&["import", "kubernetes_config_map.serving", "ml-default/nope"]);
    expect_code(&o, 1);
    assert!(
        stderr(&o).contains("ConfigMap \"ml-default/nope\" does not exist"),
        "{}",
        stderr(&o)
    );
}

#[test]
fn a_token_from_a_secret_source_authenticates_and_never_shows() {
    let c = Cluster::new(Some(
        r#"provider "kubernetes" {
  token = secret("env:KUBE_TOKEN")
}

resource "kubernetes_namespace" "team" {
  metadata {
    name = "team"
  }
}
"#,
    ));
    let token = unique("bearer");
    c.api.require_token(&token);
    // Without the token the cluster refuses, and plinth says so with the address.
    let o = c.run_with(&["apply", "--auto-approve"], &[("KUBE_TOKEN", "wrong")]);
    expect_code(&o, 1);
    assert!(stderr(&o).contains("kubernetes_namespace.team"), "{}", stderr(&o));
    assert!(stderr(&o).contains("Unauthorized"), "{}", stderr(&o));
    // With it, everything works, and the token is in no output, log or file.
    let o = ok(c.run_with(
        &["apply", "--auto-approve"],
        &[("KUBE_TOKEN", token.as_str()), ("RUST_LOG", "trace")],
    ));
    assert!(c.api.get("/api/v1/namespaces/team").is_some());
    assert_clean("apply's output", &o.stdout, &[&token]);
    assert_clean("apply's trace log", &o.stderr, &[&token]);
    for file in files_under(&c.dir.join(".plinth")) {
        assert_clean(
            &file.display().to_string(),
            &std::fs::read(&file).expect("read"),
            &[&token],
        );
    }
}

#[test]
fn an_unreachable_cluster_is_a_clear_error() {
    let c = Cluster::new(Some(
        "resource \"kubernetes_namespace\" \"team\" {\n  metadata {\n    name = \"team\"\n  }\n}\n",
    ));
    ok(c.run(&["apply", "--auto-approve"]));
    let url = c.api.url();
    drop(c.api);
    let o = c.dir.run_env(
        &["plan"],
        &c.env.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect::<Vec<_>>(),
    );
    expect_code(&o, 1);
    let err = stderr(&o);
    assert!(
        err.contains(&format!("cannot reach the Kubernetes API server at {url}")),
        "{err}"
    );
    assert!(err.contains("kubernetes_namespace"), "{err}");

    // No kubeconfig at all: the message says where it looked and what to set.
    let dir = Dir::with("resource \"kubernetes_namespace\" \"team\" {\n  metadata {\n    name = \"team\"\n  }\n}\n");
    let home = dir.path().display().to_string();
    let o = dir.run_env(&["plan"], &[("HOME", home.as_str()), ("KUBECONFIG", "")]);
    expect_code(&o, 1);
    assert!(stderr(&o).contains("KUBECONFIG"), "{}", stderr(&o));
}

#[test]
fn a_cloned_environment_may_not_manage_the_same_object() {
    let c = Cluster::new(Some(
        r#"resource "kubernetes_namespace" "shared" {
  metadata {
    name = "ml-team"
  }
}

resource "kubernetes_namespace" "own" {
  metadata {
    name = "ml-${env.name}"
  }
}
"#,
    ));
    ok(c.run(&["apply", "--auto-approve"]));
    let o = c.run(&["env", "clone", "default", "staging"]);
    let err = stderr(&o);
    assert!(
        err.contains("kubernetes_namespace.shared in environment \"staging\" would manage the same object"),
        "{err}"
    );
    assert!(!err.contains("kubernetes_namespace.own"), "{err}");
    let o = c.run(&["-e", "staging", "apply", "--auto-approve"]);
    expect_code(&o, 1);
    assert!(
        c.api.get("/api/v1/namespaces/ml-staging").is_none(),
        "nothing is created"
    );
}
