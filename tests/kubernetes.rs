//! End-to-end tests of the kubernetes provider: the real `plinth` binary against the real control
//! plane of `tests/cluster` (`plinth_test_cluster::shared()`: started by `up.sh` for this test
//! process, or any cluster named by `PLINTH_TEST_CLUSTER=DIR` with `DIR/kubeconfig`). The
//! `tests/fixtures/kubernetes-platform-raw` configuration (the platform written as raw resources)
//! applied, re-planned, drifted by kubectl as a colleague would, repaired, imported and destroyed
//! (namespaces gone); the secret token found nowhere but in the cluster; wildcard RBAC warnings by
//! address; refresh cost counted in the API server's audit log; clear errors for an unreachable,
//! refusing or forbidding cluster.
//!
//! Every check reads the cluster with kubectl, never through Plinth. Tests run in parallel on one
//! cluster, so each works in an environment of its own (`ml-${env.name}` is then a namespace of
//! its own) and deletes its namespaces when it ends, passed or failed.

mod support;

use std::path::PathBuf;

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD as B64;
use plinth_test_cluster::Cluster as Peer;
use serde_json::{Value as Json, json};
use support::cli::{Dir, copy_dir, expect_code, json, ok, stderr, stdout, user_error};
use support::leaks::{assert_clean, files_under, unique};

/// A configuration directory in an environment of its own, the cluster, and the process
/// environment that points plinth at it.
struct Project {
    dir: Dir,
    k8s: &'static Peer,
    env_name: String,
    env: Vec<(String, String)>,
    /// Namespaces this test made, deleted when it ends.
    namespaces: Vec<String>,
}

impl Project {
    /// `tests/fixtures/kubernetes-platform-raw` in a new environment (namespace `ml-<environment>`).
    fn example() -> Project {
        let p = Project::new(None);
        let ns = p.ns();
        p.with_namespaces(&[ns])
    }

    /// `hcl` as `main.hcl` in a new environment; `namespaces` are deleted when the test ends.
    fn with(hcl: &str, namespaces: &[String]) -> Project {
        Project::new(Some(hcl)).with_namespaces(namespaces)
    }

    fn new(hcl: Option<&str>) -> Project {
        let k8s = plinth_test_cluster::shared();
        let dir = Dir::new();
        match hcl {
            Some(text) => dir.write("main.hcl", text),
            None => copy_dir(&PathBuf::from("tests/fixtures/kubernetes-platform-raw"), dir.path()),
        }
        let env = vec![
            ("KUBECONFIG".to_string(), k8s.kubeconfig().display().to_string()),
            ("MODEL_REGISTRY_TOKEN".to_string(), unique("registry-token")),
            // A home without a kubeconfig of the user's, in case KUBECONFIG were ignored.
            ("HOME".to_string(), dir.path().display().to_string()),
            // The example's KServe CRD is cluster-wide and these tests run side by side: only
            // tests/kubernetes_platform.rs applies it.
            ("PLINTH_VAR_kserve".to_string(), "false".to_string()),
        ];
        let p = Project {
            dir,
            k8s,
            env_name: plinth_test_cluster::unique("k"),
            env,
            namespaces: Vec::new(),
        };
        // `env new` selects the environment for every later command in this directory.
        ok(p.run(&["env", "new", &p.env_name]));
        p
    }

    fn with_namespaces(mut self, namespaces: &[String]) -> Project {
        self.namespaces.extend_from_slice(namespaces);
        self
    }

    /// The example's namespace in this environment.
    fn ns(&self) -> String {
        format!("ml-{}", self.env_name)
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

    /// `plinth ARGS` with `extra` variables set after (so over) the project's.
    fn run_with(&self, args: &[&str], extra: &[(&str, &str)]) -> std::process::Output {
        let mut env: Vec<(&str, &str)> = self.env.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
        env.extend_from_slice(extra);
        self.dir.run_env(args, &env)
    }

    /// `kubectl get` of a namespaced object in the example's namespace; `None` when missing.
    fn get(&self, kind: &str, name: &str) -> Option<Json> {
        self.k8s.get(&["-n", &self.ns(), kind, name])
    }

    /// The object, which must exist.
    fn object(&self, kind: &str, name: &str) -> Json {
        self.get(kind, name)
            .unwrap_or_else(|| panic!("{kind} {name} does not exist in namespace {}", self.ns()))
    }

    /// `kubectl ARGS` in the example's namespace, which must succeed.
    fn kubectl(&self, args: &[&str]) -> String {
        let ns = self.ns();
        let mut full = vec!["-n", ns.as_str()];
        full.extend_from_slice(args);
        self.k8s.kubectl_ok(&full)
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

    /// The addresses in this environment's state.
    fn state_list(&self) -> Vec<String> {
        let o = ok(self.run(&["state", "list"]));
        stdout(&o).lines().map(str::to_string).collect()
    }
}

impl Drop for Project {
    /// The test's namespaces go, whatever happened; the namespace controller finishes them.
    fn drop(&mut self) {
        if self.namespaces.is_empty() {
            return;
        }
        let mut args = vec!["delete", "namespace", "--ignore-not-found", "--wait=false"];
        args.extend(self.namespaces.iter().map(String::as_str));
        let _ = self.k8s.kubectl(&args);
        // The example's cluster-wide objects are named after its namespace.
        let classes: Vec<String> = self
            .namespaces
            .iter()
            .flat_map(|ns| [format!("{ns}-serving"), format!("{ns}-training")])
            .collect();
        let mut args = vec!["delete", "priorityclass", "--ignore-not-found", "--wait=false"];
        args.extend(classes.iter().map(String::as_str));
        let _ = self.k8s.kubectl(&args);
    }
}

/// `kubectl apply --server-side --field-manager=MANAGER` of `yaml`, as a colleague would.
fn apply_as(k8s: &Peer, manager: &str, yaml: &str) {
    use std::io::Write as _;
    use std::process::{Command, Stdio};
    let mut child = Command::new("kubectl")
        .arg("--kubeconfig")
        .arg(k8s.kubeconfig())
        .args(["apply", "--server-side", "--field-manager", manager, "-f", "-"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("kubectl");
    child
        .stdin
        .take()
        .expect("stdin")
        .write_all(yaml.as_bytes())
        .expect("write to kubectl");
    let o = child.wait_with_output().expect("kubectl");
    assert!(
        o.status.success(),
        "kubectl apply --server-side: {}\n{yaml}",
        String::from_utf8_lossy(&o.stderr)
    );
}

fn strs(j: &Json) -> Vec<String> {
    j.as_array()
        .map(|a| a.iter().filter_map(|s| s.as_str().map(str::to_string)).collect())
        .unwrap_or_default()
}

/// The objects the example makes in its namespace, as `kubectl get KIND NAME`.
const OBJECTS: [(&str, &str); 7] = [
    ("resourcequota", "gpu-quota"),
    ("secret", "model-registry-token"),
    ("configmap", "serving-config"),
    ("serviceaccount", "serving"),
    ("serviceaccount", "training"),
    ("role", "serving"),
    ("rolebinding", "serving"),
];

#[test]
fn the_example_applies_converges_and_destroys() {
    let c = Project::example();
    let ns = c.ns();
    let o = ok(c.run(&["apply", "--auto-approve"]));
    assert!(
        stdout(&o).contains("Apply complete! Resources: 25 added, 0 changed, 0 destroyed."),
        "{}",
        stdout(&o)
    );

    // What a user would check with kubectl.
    let namespace = c.k8s.get(&["namespace", &ns]).expect("the namespace exists");
    assert_eq!(
        namespace["metadata"]["labels"]["plinth.dev/environment"],
        c.env_name.as_str()
    );
    let quota = c.object("resourcequota", "gpu-quota");
    assert_eq!(quota["spec"]["hard"]["requests.nvidia.com/gpu"], "8");
    let secret = c.object("secret", "model-registry-token");
    assert_eq!(secret["type"], "Opaque");
    assert_eq!(secret["data"]["token"], B64.encode(c.token()));
    let role = c.object("role", "serving");
    assert_eq!(strs(&role["rules"][0]["resourceNames"]), ["serving-config"]);
    assert_eq!(strs(&role["rules"][1]["resources"]), ["secrets"]);
    assert_eq!(strs(&role["rules"][1]["resourceNames"]), ["model-registry-token"]);
    assert_eq!(strs(&role["rules"][1]["verbs"]), ["get"]);
    let binding = c.object("rolebinding", "serving");
    assert_eq!(
        binding["roleRef"],
        json!({"apiGroup": "rbac.authorization.k8s.io", "kind": "Role", "name": "serving"})
    );
    assert_eq!(
        binding["subjects"],
        json!([{"kind": "ServiceAccount", "name": "serving", "namespace": ns}])
    );
    let training = c.object("serviceaccount", "training");
    assert_eq!(training["automountServiceAccountToken"], false);
    // Everything is owned by the `plinth` field manager, applied server-side (kubectl hides
    // managedFields unless asked).
    let role = c
        .k8s
        .get(&["-n", &ns, "role", "serving", "--show-managed-fields"])
        .expect("the role");
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

    // A second plan finds nothing to do, though the server defaulted and canonicalised.
    let o = c.run(&["plan", "--detailed-exitcode"]);
    expect_code(&o, 0);
    assert!(stdout(&o).contains("No changes."), "{}", stdout(&o));
    assert_eq!(c.drift(0), Vec::<(String, String)>::new());

    // Output and state.
    let o = ok(c.run(&["output", "namespace"]));
    assert_eq!(stdout(&o).trim(), format!("\"{ns}\""));

    // Destroy removes every object, and waits until the namespace controller has finished the
    // namespace: it is gone when destroy returns.
    let o = ok(c.run(&["destroy", "--auto-approve"]));
    assert!(stdout(&o).contains("25 destroyed"), "{}", stdout(&o));
    for (kind, name) in OBJECTS {
        assert!(c.get(kind, name).is_none(), "{kind} {name} survived destroy");
    }
    assert!(
        c.k8s.get(&["namespace", &ns]).is_none(),
        "namespace {ns} still exists after destroy"
    );
    assert_eq!(c.state_list(), Vec::<String>::new());
}

#[test]
fn another_managers_edit_is_drift_that_apply_repairs() {
    let c = Project::example();
    let ns = c.ns();
    ok(c.run(&["apply", "--auto-approve"]));

    // A colleague widens the role with kubectl: a wildcard verb on every secret.
    c.kubectl(&[
        "patch",
        "role",
        "serving",
        "--type",
        "merge",
        "-p",
        r#"{"rules":[{"apiGroups":[""],"resources":["secrets"],"verbs":["*"]}]}"#,
    ]);
    assert_eq!(
        c.drift(2),
        [("kubernetes_role.serving".to_string(), "modified".to_string())]
    );
    let o = c.run(&["drift"]);
    assert!(stdout(&o).contains("rule"), "{}", stdout(&o));

    // A label another team adds to the namespace is theirs, not drift.
    c.k8s
        .kubectl_ok(&["label", "--overwrite", "namespace", &ns, "cost-center=research"]);
    // So is an annotation another field manager applies server-side.
    apply_as(
        c.k8s,
        "someone",
        &format!(
            "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: serving-config\n  namespace: {ns}\n  \
             annotations: {{owner.example.com/team: serving}}\n"
        ),
    );
    assert_eq!(
        c.drift(2),
        [("kubernetes_role.serving".to_string(), "modified".to_string())]
    );

    // Apply takes the fields back (server-side apply with force) and leaves the label alone.
    let o = ok(c.run(&["apply", "--auto-approve"]));
    assert!(stdout(&o).contains("0 added, 1 changed, 0 destroyed"), "{}", stdout(&o));
    let role = c.object("role", "serving");
    assert_eq!(strs(&role["rules"][1]["verbs"]), ["get"]);
    assert_eq!(strs(&role["rules"][1]["resourceNames"]), ["model-registry-token"]);
    let namespace = c.k8s.get(&["namespace", &ns]).expect("the namespace");
    assert_eq!(namespace["metadata"]["labels"]["cost-center"], "research");
    assert_eq!(
        c.object("configmap", "serving-config")["metadata"]["annotations"]["owner.example.com/team"],
        "serving"
    );
    assert_eq!(c.drift(0), Vec::<(String, String)>::new());

    // A value someone else takes over server-side is drift too, and apply takes it back.
    let o = c.k8s.kubectl(&[
        "-n",
        &ns,
        "patch",
        "configmap",
        "serving-config",
        "--type",
        "merge",
        "-p",
        r#"{"data":{"MODEL_NAME":"fraud"}}"#,
    ]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    assert_eq!(
        c.drift(2),
        [("kubernetes_config_map.serving".to_string(), "modified".to_string())]
    );
    ok(c.run(&["apply", "--auto-approve"]));
    assert_eq!(c.object("configmap", "serving-config")["data"]["MODEL_NAME"], "churn");

    // A deleted object is reported as deleted and re-created.
    c.kubectl(&["delete", "configmap", "serving-config"]);
    assert_eq!(
        c.drift(2),
        [("kubernetes_config_map.serving".to_string(), "deleted".to_string())]
    );
    let o = ok(c.run(&["apply", "--auto-approve"]));
    assert!(stdout(&o).contains("1 added"), "{}", stdout(&o));
    assert_eq!(c.object("configmap", "serving-config")["data"]["MODEL_NAME"], "churn");
}

#[test]
fn configuration_changes_update_in_place_and_dropped_fields_disappear() {
    let c = Project::example();
    ok(c.run(&["apply", "--auto-approve"]));
    let uid = c.object("resourcequota", "gpu-quota")["metadata"]["uid"].clone();

    let o = ok(c.run(&["plan", "--var", "gpu_quota=1"]));
    let text = stdout(&o);
    assert!(
        text.contains("kubernetes_resource_quota.gpus will be updated in place"),
        "{text}"
    );
    assert!(text.contains("Plan: 0 to add, 1 to change, 0 to destroy."), "{text}");
    ok(c.run(&["apply", "--auto-approve", "--var", "gpu_quota=1"]));
    let quota = c.object("resourcequota", "gpu-quota");
    assert_eq!(quota["spec"]["hard"]["requests.nvidia.com/gpu"], "1");
    assert_eq!(quota["metadata"]["uid"], uid, "updated in place, not replaced");

    // A key removed from the configuration is removed from the object (server-side apply).
    let main = c.dir.read("main.hcl").replace("    MAX_BATCH_SIZE = \"32\"\n", "");
    c.dir.write("main.hcl", &main);
    ok(c.run(&["apply", "--auto-approve", "--var", "gpu_quota=1"]));
    let data = c.object("configmap", "serving-config")["data"].clone();
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
    assert!(c.get("role", "serving").is_none());
    assert!(c.get("role", "serving-v2").is_some());
    assert_eq!(c.object("rolebinding", "serving")["roleRef"]["name"], "serving-v2");
}

#[test]
fn the_registry_token_reaches_the_cluster_and_nothing_else() {
    let c = Project::example();
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
        c.object("secret", "model-registry-token")["data"]["token"],
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
    assert_eq!(
        c.object("secret", "model-registry-token")["data"]["token"],
        B64.encode(&rotated)
    );

    // Someone takes the secret's value over server-side with kubectl: drift, shown without the
    // value.
    let ns = c.ns();
    let overwritten = B64.encode("overwritten-by-hand");
    let o = c.k8s.kubectl(&[
        "-n",
        &ns,
        "patch",
        "secret",
        "model-registry-token",
        "--type",
        "merge",
        "-p",
        &format!(r#"{{"data":{{"token":"{overwritten}"}}}}"#),
    ]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let o = c.run_with(&["drift"], &[("MODEL_REGISTRY_TOKEN", rotated.as_str())]);
    expect_code(&o, 2);
    assert!(stdout(&o).contains("kubernetes_secret.registry"), "{}", stdout(&o));
    assert!(!stdout(&o).contains("overwritten-by-hand"), "{}", stdout(&o));
    assert!(!stdout(&o).contains(&overwritten), "{}", stdout(&o));
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

/// The reads of `resource` in namespace `ns` the API server logged after the first `skip`
/// events: `(verb, URI)` of the admin's requests, leaving out kubectl's own.
fn reads(k8s: &Peer, skip: usize, ns: &str, resource: &str) -> Vec<(String, String)> {
    k8s.audit()
        .into_iter()
        .skip(skip)
        .filter(|e| {
            e["objectRef"]["namespace"] == ns
                && e["objectRef"]["resource"] == resource
                && (e["verb"] == "get" || e["verb"] == "list")
                && e["user"]["username"] == "admin"
                && !e["userAgent"].as_str().unwrap_or_default().starts_with("kubectl")
        })
        .map(|e| {
            (
                e["verb"].as_str().unwrap_or_default().to_string(),
                e["requestURI"].as_str().unwrap_or_default().to_string(),
            )
        })
        .collect()
}

/// `reads` once the API server has written them: its audit log may trail the answers a little.
fn settled_reads(k8s: &Peer, skip: usize, ns: &str, resource: &str) -> Vec<(String, String)> {
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
    let mut last = reads(k8s, skip, ns, resource);
    loop {
        std::thread::sleep(std::time::Duration::from_millis(500));
        let now = reads(k8s, skip, ns, resource);
        if (now == last && !now.is_empty()) || std::time::Instant::now() > deadline {
            return now;
        }
        last = now;
    }
}

#[test]
fn refresh_lists_a_namespace_once_instead_of_getting_each_object() {
    let k8s = plinth_test_cluster::shared();
    k8s.require("audit.log", "the API server's audit log, to count requests");
    let ns = plinth_test_cluster::unique("shards");
    let few = plinth_test_cluster::unique("pair");
    let hcl = format!(
        r#"resource "kubernetes_namespace" "shards" {{
  metadata {{
    name = "{ns}"
  }}
}}

resource "kubernetes_config_map" "shard" {{
  count = 6
  metadata {{
    name      = "shard-${{count.index}}"
    namespace = kubernetes_namespace.shards.metadata[0].name
  }}
  data = {{
    index = tostring(count.index)
  }}
}}

resource "kubernetes_namespace" "few" {{
  metadata {{
    name = "{few}"
  }}
}}

resource "kubernetes_config_map" "pair" {{
  count = 1
  metadata {{
    name      = "pair-${{count.index}}"
    namespace = kubernetes_namespace.few.metadata[0].name
  }}
}}
"#
    );
    let c = Project::with(&hcl, &[ns.clone(), few.clone()]);
    ok(c.run(&["apply", "--auto-approve"]));
    let before = k8s.audit().len();
    assert_eq!(c.drift(0), Vec::<(String, String)>::new());

    // Six config maps in one namespace: one LIST.
    let listed = settled_reads(k8s, before, &ns, "configmaps");
    assert_eq!(listed.len(), 1, "{listed:?}");
    assert_eq!(listed[0].0, "list", "{listed:?}");
    assert!(
        listed[0].1.starts_with(&format!("/api/v1/namespaces/{ns}/configmaps")),
        "{listed:?}"
    );
    // One in another: one GET, which does not carry the namespace's other objects.
    let got = settled_reads(k8s, before, &few, "configmaps");
    assert_eq!(got.len(), 1, "{got:?}");
    assert_eq!(got[0].0, "get", "{got:?}");
    eprintln!(
        "refresh of 6 config maps in {ns}: {listed:?}; of 1 in {few}: {got:?}; namespaces: {:?}",
        settled_reads(k8s, before, &ns, "namespaces")
    );
}

#[test]
fn import_adopts_an_existing_object() {
    let c = Project::example();
    let ns = c.ns();
    ok(c.run(&["apply", "--auto-approve"]));
    ok(c.run(&["state", "rm", "kubernetes_config_map.serving"]));
    let id = format!("{ns}/serving-config");
    let o = ok(c.run(&["import", "kubernetes_config_map.serving", &id]));
    assert!(stdout(&o).contains("Import"), "{}", stdout(&o));
    let o = c.run(&["plan", "--detailed-exitcode"]);
    expect_code(&o, 0);

    // An id that names nothing is a clear error.
    ok(c.run(&["state", "rm", "kubernetes_config_map.serving"]));
    let nope = format!("{ns}/nope");
    let o = c.run(&["import", "kubernetes_config_map.serving", &nope]);
    expect_code(&o, 1);
    assert!(
        stderr(&o).contains(&format!("ConfigMap \"{nope}\" does not exist")),
        "{}",
        stderr(&o)
    );
}

#[test]
fn a_token_from_a_secret_source_authenticates_and_never_shows() {
    let k8s = plinth_test_cluster::shared();
    let token = k8s.admin_token();
    let ns = plinth_test_cluster::unique("team");
    let hcl = format!(
        r#"provider "kubernetes" {{
  host                   = "{server}"
  cluster_ca_certificate = file("ca.crt")
  token                  = secret("env:KUBE_TOKEN")
}}

resource "kubernetes_namespace" "team" {{
  metadata {{
    name = "{ns}"
  }}
}}
"#,
        server = k8s.server()
    );
    let c = Project::with(&hcl, std::slice::from_ref(&ns));
    std::fs::copy(k8s.ca_certificate(), c.dir.join("ca.crt")).expect("copy the CA certificate");
    // No kubeconfig to fall back on: the token is the only credential.
    let no_kubeconfig = c.dir.join("no-kubeconfig").display().to_string();

    // Without the token the cluster refuses, and plinth says so with the address.
    let o = c.run_with(
        &["apply", "--auto-approve"],
        &[("KUBECONFIG", no_kubeconfig.as_str()), ("KUBE_TOKEN", "wrong")],
    );
    let err = user_error(&o);
    assert!(err.contains("kubernetes_namespace.team"), "{err}");
    assert!(err.contains("Unauthorized"), "{err}");
    assert!(k8s.get(&["namespace", &ns]).is_none(), "nothing is created");

    // With it, everything works, and the token is in no output, log or file.
    let o = ok(c.run_with(
        &["apply", "--auto-approve"],
        &[
            ("KUBECONFIG", no_kubeconfig.as_str()),
            ("KUBE_TOKEN", token.as_str()),
            ("RUST_LOG", "trace"),
        ],
    ));
    assert!(k8s.get(&["namespace", &ns]).is_some());
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

/// A TCP port on 127.0.0.1 with nothing listening (bound, then let go).
fn dead_port() -> u16 {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind a free port");
    listener.local_addr().expect("its address").port()
}

#[test]
fn an_unreachable_cluster_is_a_clear_error() {
    let k8s = plinth_test_cluster::shared();
    let ns = plinth_test_cluster::unique("team");
    let c = Project::with(
        &format!("resource \"kubernetes_namespace\" \"team\" {{\n  metadata {{\n    name = \"{ns}\"\n  }}\n}}\n"),
        std::slice::from_ref(&ns),
    );
    ok(c.run(&["apply", "--auto-approve"]));
    // The same kubeconfig, pointing at a port where nothing listens.
    let url = format!("https://127.0.0.1:{}", dead_port());
    let kubeconfig = std::fs::read_to_string(k8s.kubeconfig()).expect("read the kubeconfig");
    assert!(kubeconfig.contains(&k8s.server()), "the kubeconfig names its server");
    c.dir.write("dead-kubeconfig", &kubeconfig.replace(&k8s.server(), &url));
    let dead = c.dir.join("dead-kubeconfig").display().to_string();
    let o = c.run_with(&["plan"], &[("KUBECONFIG", dead.as_str())]);
    let err = user_error(&o);
    assert!(
        err.contains(&format!("cannot reach the Kubernetes API server at {url}")),
        "{err}"
    );
    assert!(err.contains("kubernetes_namespace"), "{err}");
    // Nothing was lost meanwhile.
    assert_eq!(c.state_list(), ["kubernetes_namespace.team"]);

    // No kubeconfig at all: the message says where it looked and what to set.
    let dir = Dir::with("resource \"kubernetes_namespace\" \"team\" {\n  metadata {\n    name = \"team\"\n  }\n}\n");
    let home = dir.path().display().to_string();
    let o = dir.run_env(&["plan"], &[("HOME", home.as_str()), ("KUBECONFIG", "")]);
    expect_code(&o, 1);
    assert!(stderr(&o).contains("KUBECONFIG"), "{}", stderr(&o));
}

/// The diagnostics in `stderr` that are errors (`ADDRESS: error: …`, one line each).
fn errors(stderr: &str) -> usize {
    stderr.lines().filter(|l| l.contains(": error: ")).count()
}

#[test]
fn the_restricted_identity_gets_one_clear_forbidden_error() {
    let k8s = plinth_test_cluster::shared();
    let restricted = k8s.kubeconfig_restricted().display().to_string();
    let as_restricted = [("KUBECONFIG", restricted.as_str())];

    // Nothing applied yet: creating the namespace is refused.
    let c = Project::example();
    let ns = c.ns();
    let o = c.run_with(&["apply", "--auto-approve"], &as_restricted);
    let err = user_error(&o);
    assert!(err.contains("kubernetes_namespace.ml"), "{err}");
    assert!(
        err.contains(&format!(
            "namespaces \"{ns}\" is forbidden: User \"restricted\" cannot patch resource \"namespaces\" in API group \"\" \
             in the namespace \"{ns}\""
        )),
        "{err}"
    );
    // The cluster-wide priority classes do not wait for the namespace: one error each, and
    // nothing that depends on the namespace is tried.
    for class in ["serving", "training"] {
        assert!(
            err.contains(&format!(
                "kubernetes_priority_class.{class}: error: error creating: Forbidden: priorityclasses.scheduling.k8s.io \
                 \"{ns}-{class}\" is forbidden: User \"restricted\" cannot patch resource \"priorityclasses\" in API \
                 group \"scheduling.k8s.io\" at the cluster scope"
            )),
            "{err}"
        );
    }
    assert_eq!(errors(&err), 3, "one error per refused object:\n{err}");
    assert!(k8s.get(&["namespace", &ns]).is_none(), "nothing is created");
    assert_eq!(c.state_list(), Vec::<String>::new());

    // Applied by the admin, then changed by the restricted identity: the update is refused,
    // naming verb, resource, namespace and identity, and state keeps all it had.
    ok(c.run(&["apply", "--auto-approve"]));
    let before = c.state_list();
    assert_eq!(before.len(), 25, "{before:?}");
    let o = c.run_with(
        &["apply", "--auto-approve", "--refresh=false", "--var", "gpu_quota=1"],
        &as_restricted,
    );
    let err = user_error(&o);
    assert!(err.contains("kubernetes_resource_quota.gpus"), "{err}");
    assert!(
        err.contains(&format!(
            "resourcequotas \"gpu-quota\" is forbidden: User \"restricted\" cannot patch resource \"resourcequotas\" \
             in API group \"\" in the namespace \"{ns}\""
        )),
        "{err}"
    );
    assert_eq!(errors(&err), 1, "one error:\n{err}");
    assert_eq!(c.state_list(), before);
    let quota = c.object("resourcequota", "gpu-quota");
    assert_eq!(quota["spec"]["hard"]["requests.nvidia.com/gpu"], "8");
}

#[test]
fn a_cloned_environment_may_not_manage_the_same_object() {
    let k8s = plinth_test_cluster::shared();
    let shared_ns = plinth_test_cluster::unique("ml-team");
    let c = Project::with(
        &format!(
            r#"resource "kubernetes_namespace" "shared" {{
  metadata {{
    name = "{shared_ns}"
  }}
}}

resource "kubernetes_namespace" "own" {{
  metadata {{
    name = "ml-${{env.name}}"
  }}
}}
"#
        ),
        &[],
    );
    let clone = plinth_test_cluster::unique("staging");
    let own = c.ns();
    let c = c.with_namespaces(&[shared_ns.clone(), own, format!("ml-{clone}")]);
    ok(c.run(&["apply", "--auto-approve"]));
    let o = c.run(&["env", "clone", &c.env_name, &clone]);
    let err = stderr(&o);
    assert!(
        err.contains(&format!(
            "kubernetes_namespace.shared in environment \"{clone}\" would manage the same object"
        )),
        "{err}"
    );
    assert!(!err.contains("kubernetes_namespace.own"), "{err}");
    let o = c.run(&["-e", &clone, "apply", "--auto-approve"]);
    expect_code(&o, 1);
    assert!(
        k8s.get(&["namespace", &format!("ml-{clone}")]).is_none(),
        "nothing is created"
    );
}

/// A Deployment of one replica requesting `gpus` GPUs in namespace `ns`, waited for `timeout`.
fn greedy(ns: &str, gpus: u32, timeout: &str) -> String {
    format!(
        r#"resource "kubernetes_namespace" "ns" {{
  metadata {{
    name = "{ns}"
  }}
}}

resource "kubernetes_deployment" "greedy" {{
  metadata {{
    name      = "greedy"
    namespace = kubernetes_namespace.ns.metadata[0].name
  }}
  spec {{
    replicas = 1
    selector {{
      match_labels = {{ app = "greedy" }}
    }}
    template {{
      metadata {{
        labels = {{ app = "greedy" }}
      }}
      spec {{
        container {{
          name  = "model"
          image = "registry.example/serve:1"
          resources {{
            requests = {{ "nvidia.com/gpu" = "{gpus}" }}
            limits   = {{ "nvidia.com/gpu" = "{gpus}" }}
          }}
        }}
        toleration {{
          key      = "nvidia.com/gpu"
          operator = "Exists"
          effect   = "NoSchedule"
        }}
      }}
    }}
  }}
  timeouts {{
    create = "{timeout}"
  }}
}}
"#
    )
}

#[test]
fn a_rollout_that_never_finishes_keeps_the_deployment_in_state_tainted_until_replaced() {
    let ns = plinth_test_cluster::unique("stuck");
    let c = Project::with(&greedy(&ns, 100, "5s"), std::slice::from_ref(&ns));
    let o = c.run(&["apply", "--auto-approve"]);
    expect_code(&o, 1);
    let err = stderr(&o);
    assert!(!err.contains("panicked"), "{err}");
    assert!(
        err.contains("kubernetes_deployment.greedy: error: error creating: WaitTimeout:"),
        "{err}"
    );
    assert!(err.contains("1 of 1 replicas unavailable"), "{err}");
    assert!(err.contains("Insufficient nvidia.com/gpu"), "{err}");
    assert!(err.contains("kept in state as tainted"), "{err}");

    // Nothing applied is lost: the Deployment exists, and state has it, tainted.
    assert!(c.k8s.get(&["-n", &ns, "deployment", "greedy"]).is_some());
    assert!(
        c.state_list().contains(&"kubernetes_deployment.greedy".to_string()),
        "{:?}",
        c.state_list()
    );
    let shown = stdout(&ok(c.run(&["state", "show", "kubernetes_deployment.greedy"])));
    assert!(
        shown.starts_with("# kubernetes_deployment.greedy: (tainted)\n"),
        "{shown}"
    );

    // The next plan replaces it, because it is tainted.
    c.dir.write("main.hcl", &greedy(&ns, 1, "2m"));
    let o = c.run(&["plan", "--out", "tainted.plan"]);
    ok(o);
    let plan = json(&ok(c.run(&["show", "--json", "tainted.plan"])));
    let change = plan["resource_changes"]
        .as_array()
        .and_then(|cs| {
            cs.iter()
                .find(|c| c["address"] == "kubernetes_deployment.greedy")
                .cloned()
        })
        .unwrap_or_else(|| panic!("the deployment is not in the plan: {plan:#}"));
    assert_eq!(change["change"]["actions"], json!(["delete", "create"]), "{change:#}");
    assert_eq!(change["action_reason"], "replace_because_tainted", "{change:#}");

    // With a request the cluster can meet, the replacement rolls out and nothing is tainted.
    ok(c.run(&["apply", "--auto-approve"]));
    let live = c.k8s.get(&["-n", &ns, "deployment", "greedy"]).expect("the deployment");
    assert_eq!(live["status"]["availableReplicas"], 1, "{live:#}");
    assert_eq!(
        live["spec"]["template"]["spec"]["containers"][0]["resources"]["requests"]["nvidia.com/gpu"],
        "1"
    );
    let state = json(&ok(c.run(&["state", "pull"])));
    assert!(
        !state.to_string().contains("\"tainted\""),
        "nothing is tainted after the replacement: {state:#}"
    );
    let o = c.run(&["plan", "--detailed-exitcode"]);
    expect_code(&o, 0);
}
