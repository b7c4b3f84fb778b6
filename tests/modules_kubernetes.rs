//! The Kubernetes implementations of the ML building blocks (`modules/<block>/kubernetes/`)
//! through the `plinth` binary against the test control plane (`plinth_test_cluster::shared()`):
//! each is applied from a root configuration that uses it by path, every object it makes is
//! checked with kubectl (never through Plinth's reads), a re-plan is clean, and destroy leaves
//! nothing in the cluster or the state. The drift monitor's service account may create a Job from
//! the training CronJob and nothing else (`kubectl auth can-i --as`); the serving endpoint runs
//! as a KServe InferenceService with `engine = "kserve"`; `examples/kubernetes-platform` (the
//! `ml-platform` module) runs whole. The drift check the monitor's CronJob runs (`drift.py`)
//! computes the figures `local_distribution_drift` does, and the training gate (`gate.py`)
//! registers a model in a real MLflow server only when it passes. The model registry with
//! `register_model = true` makes its registered model in a real MLflow server through the root's
//! `provider "mlflow"`; without it, no MLflow provider settings are needed.
//!
//! Tests share the cluster and run in parallel: each works in an environment of its own (so its
//! objects are `<name>-<environment>`) and, where a module needs an existing namespace, one it
//! makes and deletes.

mod support;

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use plinth_test_cluster::{Cluster, shared, unique};
use serde_json::{Value as Json, json};
use support::cli::{Dir, copy_repo_layout, expect_code, json, ok, stdout};

/// A copy of `modules/` with a root configuration in `root/`, in an environment of its own, and
/// the cluster objects to delete when the test ends (passed or failed).
struct Root {
    dir: Dir,
    root: PathBuf,
    cluster: &'static Cluster,
    env_name: String,
    /// `kubectl delete` arguments run on drop: `namespace NAME`, `priorityclass NAME`.
    cleanup: Vec<[String; 2]>,
}

impl Root {
    /// `hcl` as `root/main.hcl` beside a copy of `modules/`, in a new environment.
    fn new(hcl: &str) -> Root {
        let dir = Dir::new();
        copy_repo_layout(dir.path(), &[]);
        dir.write("root/main.hcl", hcl);
        let root = dir.join("root");
        Root::at(dir, root)
    }

    /// `examples/NAME` beside a copy of `modules/`, in a new environment.
    fn example(name: &str) -> Root {
        let dir = Dir::new();
        copy_repo_layout(dir.path(), &[name]);
        let root = dir.join(&format!("examples/{name}"));
        Root::at(dir, root)
    }

    fn at(dir: Dir, root: PathBuf) -> Root {
        let r = Root {
            dir,
            root,
            cluster: shared(),
            env_name: unique("m"),
            cleanup: Vec::new(),
        };
        // `env new` selects the environment for every later command in this directory.
        ok(r.run(&["env", "new", &r.env_name]));
        r
    }

    /// A namespace made with kubectl for a module that needs an existing one.
    fn namespace(&mut self) -> String {
        let ns = unique("mod");
        self.cluster.kubectl_ok(&["create", "namespace", &ns]);
        self.cleanup.push(["namespace".into(), ns.clone()]);
        ns
    }

    /// `<name>-<environment>`, what a module names its objects.
    fn full(&self, name: &str) -> String {
        format!("{name}-{}", self.env_name)
    }

    /// `plinth ARGS` with the cluster's kubeconfig and no `MLFLOW_*` variable: the MLflow
    /// provider gets its settings from a root `provider "mlflow"` block or not at all.
    fn run(&self, args: &[&str]) -> Output {
        let mut cmd = support::cli::command(&self.root, args);
        for (k, _) in std::env::vars_os() {
            if k.to_string_lossy().starts_with("MLFLOW_") {
                cmd.env_remove(&k);
            }
        }
        cmd.env("KUBECONFIG", self.cluster.kubeconfig())
            .env("HOME", self.dir.path())
            .output()
            .expect("run plinth")
    }

    fn get(&self, ns: &str, kind: &str, name: &str) -> Option<Json> {
        self.cluster.get(&["-n", ns, kind, name])
    }

    /// The object, which must exist.
    fn object(&self, ns: &str, kind: &str, name: &str) -> Json {
        self.get(ns, kind, name)
            .unwrap_or_else(|| panic!("{kind} {ns}/{name} does not exist"))
    }

    /// Apply (`added` objects), plan again with no changes, and return the outputs.
    fn apply(&self, added: usize) -> Json {
        let o = ok(self.run(&["apply", "--auto-approve"]));
        assert!(
            stdout(&o).contains(&format!("Apply complete! Resources: {added} added")),
            "{}",
            stdout(&o)
        );
        let o = self.run(&["plan", "--detailed-exitcode"]);
        expect_code(&o, 0);
        assert!(stdout(&o).contains("No changes."), "{}", stdout(&o));
        json(&ok(self.run(&["output", "--json"])))
    }

    /// Destroy (`count` objects) and check that `gone` (namespace, kind, name; an empty namespace
    /// for a cluster-scoped kind) no longer exist and the state is empty.
    fn destroy(&self, count: usize, gone: &[(&str, &str, &str)]) {
        let o = ok(self.run(&["destroy", "--auto-approve"]));
        assert!(stdout(&o).contains(&format!("{count} destroyed")), "{}", stdout(&o));
        for (ns, kind, name) in gone {
            let found = if ns.is_empty() {
                self.cluster.get(&[kind, name])
            } else {
                self.get(ns, kind, name)
            };
            assert!(found.is_none(), "{kind} {ns}/{name} is still there after destroy");
        }
        assert_eq!(stdout(&ok(self.run(&["state", "list"]))), "", "state after destroy");
    }

    /// Whether `user` may `verb` `what` in `ns` (`kubectl auth can-i`).
    fn can(&self, user: &str, ns: &str, verb: &str, what: &str) -> bool {
        let o = self
            .cluster
            .kubectl(&["auth", "can-i", verb, what, "-n", ns, "--as", user]);
        String::from_utf8_lossy(&o.stdout).trim() == "yes"
    }
}

impl Drop for Root {
    fn drop(&mut self) {
        for [kind, name] in &self.cleanup {
            let _ = self
                .cluster
                .kubectl(&["delete", kind, name, "--ignore-not-found", "--wait=false"]);
        }
    }
}

fn module_output(module: &str) -> String {
    format!("{module}\noutput \"out\" {{\n  value = module.m\n}}\n")
}

/// The container named `name` of a pod spec (`containers` or `initContainers`).
fn container<'a>(pod: &'a Json, list: &str, name: &str) -> &'a Json {
    pod[list]
        .as_array()
        .and_then(|cs| cs.iter().find(|c| c["name"] == name))
        .unwrap_or_else(|| panic!("no {list} {name:?} in {pod}"))
}

/// A container's environment as a map.
fn env_of(c: &Json) -> serde_json::Map<String, Json> {
    c["env"]
        .as_array()
        .map(|es| {
            es.iter()
                .map(|e| (e["name"].as_str().unwrap_or_default().to_string(), e["value"].clone()))
                .collect()
        })
        .unwrap_or_default()
}

#[test]
fn gpu_cluster_kubernetes_makes_a_namespace_with_a_gpu_quota_priority_and_defaults() {
    let mut r = Root::new(&module_output(
        r#"module "m" {
  source        = "../modules/gpu-cluster/kubernetes"
  name          = "team-gpu"
  gpu_type      = "a100"
  node_count    = 2
  gpus_per_node = 4
  tags          = { team = "churn" }
}"#,
    ));
    let ns = r.full("team-gpu");
    r.cleanup.push(["namespace".into(), ns.clone()]);
    r.cleanup.push(["priorityclass".into(), ns.clone()]);
    let out = r.apply(4);
    let m = &out["out"]["value"];
    assert_eq!(m["name"], ns.as_str());
    assert_eq!(m["id"], format!("{ns}/NVIDIA-A100-SXM4-80GB/4"));
    assert_eq!(m["total_gpus"], 8);
    assert_eq!(m["gpu_type"], "a100");

    let namespace = r.cluster.get(&["namespace", &ns]).expect("namespace");
    let labels = &namespace["metadata"]["labels"];
    assert_eq!(labels["environment"], r.env_name.as_str());
    assert_eq!(labels["name"], "team-gpu");
    assert_eq!(labels["team"], "churn");
    let quota = r.object(&ns, "resourcequota", &format!("{ns}-gpus"));
    assert_eq!(quota["spec"]["hard"], json!({"requests.nvidia.com/gpu": "8"}));
    let pc = r.cluster.get(&["priorityclass", &ns]).expect("priority class");
    assert_eq!(pc["value"], 1000);
    assert_eq!(pc["preemptionPolicy"], "Never");
    let limits = r.object(&ns, "limitrange", &format!("{ns}-defaults"));
    let limit = &limits["spec"]["limits"][0];
    assert_eq!(limit["type"], "Container");
    assert_eq!(limit["defaultRequest"], json!({"cpu": "250m", "memory": "512Mi"}));
    assert_eq!(limit["default"], json!({"cpu": "1", "memory": "1Gi"}));

    r.destroy(4, &[("", "namespace", &ns), ("", "priorityclass", &ns)]);
}

#[test]
fn feature_store_kubernetes_runs_a_feast_server_from_its_repository_config_map() {
    let mut r = Root::new("");
    let ns = r.namespace();
    r.dir.write(
        "root/main.hcl",
        &module_output(&format!(
            r#"module "m" {{
  source         = "../modules/feature-store/kubernetes"
  name           = "team-features"
  namespace      = "{ns}"
  entity_key     = "customer_id"
  event_time_key = "updated_at"
  features = [
    {{ name = "customer_id", type = "int" }},
    {{ name = "visits", type = "int" }},
    {{ name = "spend", type = "float" }},
    {{ name = "plan", type = "string" }},
    {{ name = "updated_at", type = "timestamp" }},
  ]
}}"#
        )),
    );
    let name = r.full("team-features");
    let project = name.replace('-', "_");
    let out = r.apply(4);
    let m = &out["out"]["value"];
    let url = format!("http://{name}.{ns}.svc.cluster.local:6566");
    assert_eq!(m["uri"], url.as_str());
    assert_eq!(m["id"], format!("{url}#{project}"));
    assert_eq!(m["entity_key"], "customer_id");
    assert_eq!(
        m["feature_names"],
        json!(["customer_id", "visits", "spend", "plan", "updated_at"])
    );

    let cm = r.object(&ns, "configmap", &format!("{name}-repo"));
    let store = cm["data"]["feature_store.yaml"].as_str().expect("feature_store.yaml");
    // yamlencode quotes every key and string.
    assert!(store.contains(&format!(r#""project": "{project}""#)), "{store}");
    assert!(store.contains(r#""type": "sqlite""#), "{store}");
    let py = cm["data"]["features.py"].as_str().expect("features.py");
    for line in [
        r#"Entity(name="customer_id", join_keys=["customer_id"])"#,
        r#"timestamp_field="updated_at""#,
        r#"Field(name="visits", dtype=Int64)"#,
        r#"Field(name="spend", dtype=Float64)"#,
        r#"Field(name="plan", dtype=String)"#,
    ] {
        assert!(py.contains(line), "features.py lacks {line}:\n{py}");
    }
    assert!(!py.contains(r#"Field(name="updated_at""#), "{py}");
    let d = r.object(&ns, "deployment", &name);
    assert_eq!(d["status"]["availableReplicas"], 1, "{d}");
    let pod = &d["spec"]["template"]["spec"];
    assert_eq!(pod["serviceAccountName"], name.as_str());
    assert_eq!(pod["automountServiceAccountToken"], false);
    assert_eq!(
        container(pod, "initContainers", "apply")["command"],
        json!(["feast", "--chdir", "/repo", "apply"])
    );
    assert_eq!(
        container(pod, "containers", "server")["ports"][0]["containerPort"],
        6566
    );
    let svc = r.object(&ns, "service", &name);
    assert_eq!(svc["spec"]["ports"][0]["port"], 6566);
    let sa = r.object(&ns, "serviceaccount", &name);
    assert_eq!(sa["automountServiceAccountToken"], false);
    // The server has no role: nothing in the namespace binds its account.
    assert!(!r.can(&format!("system:serviceaccount:{ns}:{name}"), &ns, "get", "configmaps"));

    r.destroy(
        4,
        &[
            (&ns, "deployment", &name),
            (&ns, "service", &name),
            (&ns, "configmap", &format!("{name}-repo")),
            (&ns, "serviceaccount", &name),
        ],
    );
}

#[test]
fn model_registry_kubernetes_runs_mlflow_on_a_claim() {
    let mut r = Root::new("");
    let ns = r.namespace();
    r.dir.write(
        "root/main.hcl",
        &module_output(&format!(
            r#"module "m" {{
  source      = "../modules/model-registry/kubernetes"
  name        = "team-models"
  namespace   = "{ns}"
  description = "churn models"
  storage     = "2Gi"
}}"#
        )),
    );
    let name = r.full("team-models");
    let out = r.apply(4);
    let m = &out["out"]["value"];
    let uri = format!("http://{name}.{ns}.svc.cluster.local:5000");
    assert_eq!(m["uri"], uri.as_str());
    assert_eq!(m["id"], format!("{uri}#{name}"));
    let d = r.object(&ns, "deployment", &name);
    assert_eq!(d["status"]["availableReplicas"], 1, "{d}");
    assert_eq!(d["spec"]["strategy"]["type"], "Recreate");
    let pod = &d["spec"]["template"]["spec"];
    assert_eq!(pod["serviceAccountName"], name.as_str());
    assert_eq!(pod["volumes"][0]["persistentVolumeClaim"]["claimName"], name.as_str());
    let args = container(pod, "containers", "mlflow")["args"].to_string();
    assert!(args.contains("sqlite:////mlflow/mlflow.db"), "{args}");
    let pvc = r.object(&ns, "pvc", &name);
    assert_eq!(pvc["status"]["phase"], "Bound");
    assert_eq!(pvc["spec"]["resources"]["requests"]["storage"], "2Gi");
    assert_eq!(pvc["metadata"]["annotations"]["plinth.dev/description"], "churn models");
    assert_eq!(r.object(&ns, "service", &name)["spec"]["ports"][0]["port"], 5000);
    // register_model is off: no MLflow object, and no provider "mlflow" block or MLFLOW_*
    // variable was needed for the module's (zero) registered models.
    let state = stdout(&ok(r.run(&["state", "list"])));
    assert!(!state.contains("mlflow_"), "{state}");

    r.destroy(
        4,
        &[
            (&ns, "deployment", &name),
            (&ns, "service", &name),
            (&ns, "pvc", &name),
            (&ns, "serviceaccount", &name),
        ],
    );
}

/// `register_model = true`: the registered model `<name>-<env.name>` is made in MLflow through
/// the root module's `provider "mlflow"` (here a real `mlflow server` on 127.0.0.1, standing for
/// the in-cluster server reached through a port-forward: the test cluster's pods do not run),
/// with the registry's description and its tags, checked through MLflow's REST API; destroy
/// deletes it. (Without it, the test above needs no MLflow provider at all.)
#[test]
fn model_registry_kubernetes_registers_its_model_in_mlflow_when_asked() {
    let server = support::mlflow::shared();
    let mut r = Root::new("");
    let ns = r.namespace();
    r.dir.write(
        "root/main.hcl",
        &module_output(&format!(
            r#"provider "mlflow" {{
  tracking_uri = "{uri}"
}}

module "m" {{
  source         = "../modules/model-registry/kubernetes"
  name           = "team-models"
  namespace      = "{ns}"
  description    = "churn models"
  storage        = "2Gi"
  register_model = true
  tags           = {{ team = "churn" }}
}}"#,
            uri = server.uri
        )),
    );
    let name = r.full("team-models");
    let out = r.apply(5);
    let m = &out["out"]["value"];
    let uri = format!("http://{name}.{ns}.svc.cluster.local:5000");
    assert_eq!(m["id"], format!("{uri}#{name}"));

    let model = server
        .registered_model(&name)
        .unwrap_or_else(|| panic!("registered model {name} in MLflow"));
    assert_eq!(model["name"], name.as_str());
    assert_eq!(model["description"], "churn models");
    let tags: std::collections::BTreeMap<String, String> = model["tags"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|t| {
            (
                t["key"].as_str().unwrap_or_default().to_string(),
                t["value"].as_str().unwrap_or_default().to_string(),
            )
        })
        .collect();
    assert_eq!(tags.get("name").map(String::as_str), Some("team-models"), "{model}");
    assert_eq!(tags.get("environment"), Some(&r.env_name), "{model}");
    assert_eq!(tags.get("team").map(String::as_str), Some("churn"), "{model}");
    // The server's objects as without the registration.
    let d = r.object(&ns, "deployment", &name);
    assert_eq!(d["status"]["availableReplicas"], 1, "{d}");
    assert_eq!(r.object(&ns, "service", &name)["spec"]["ports"][0]["port"], 5000);
    assert_eq!(
        r.object(&ns, "pvc", &name)["spec"]["resources"]["requests"]["storage"],
        "2Gi"
    );
    let state = stdout(&ok(r.run(&["state", "list"])));
    assert!(state.contains("module.m.mlflow_registered_model.model[0]"), "{state}");

    r.destroy(
        5,
        &[
            (&ns, "deployment", &name),
            (&ns, "service", &name),
            (&ns, "pvc", &name),
            (&ns, "serviceaccount", &name),
        ],
    );
    assert_eq!(
        server.get_code("registered-models/get", &[("name", &name)]),
        "RESOURCE_DOES_NOT_EXIST"
    );
}

#[test]
fn training_pipeline_kubernetes_is_a_cron_job_training_on_the_clusters_gpus_then_the_gate() {
    let mut r = Root::new("");
    let ns = r.namespace();
    r.dir.write(
        "root/main.hcl",
        &module_output(&format!(
            r#"module "m" {{
  source        = "../modules/training-pipeline/kubernetes"
  name          = "team-train"
  cluster       = "{ns}/NVIDIA-L4/2"
  feature_store = "http://features.{ns}.svc:6566#team_features"
  registry      = "http://models.{ns}.svc:5000#team-models"
  image         = "registry.example.com/train:1"
  command       = ["python", "train.py"]
  gate          = {{ metric = "auc", threshold = 0.8 }}
}}"#
        )),
    );
    let name = r.full("team-train");
    let out = r.apply(3);
    let m = &out["out"]["value"];
    assert_eq!(m["id"], format!("{ns}/{name}"));
    assert_eq!(m["gate"]["metric"], "auc");

    let cj = r.object(&ns, "cronjob", &name);
    // No schedule: suspended, run only when triggered.
    assert_eq!(cj["spec"]["suspend"], true);
    let pod = &cj["spec"]["jobTemplate"]["spec"]["template"]["spec"];
    assert_eq!(pod["serviceAccountName"], name.as_str());
    assert_eq!(pod["automountServiceAccountToken"], false);
    assert_eq!(pod["priorityClassName"], ns.as_str());
    assert_eq!(pod["nodeSelector"], json!({"nvidia.com/gpu.product": "NVIDIA-L4"}));
    assert_eq!(pod["tolerations"][0]["key"], "nvidia.com/gpu");
    let train = container(pod, "initContainers", "train");
    assert_eq!(train["image"], "registry.example.com/train:1");
    assert_eq!(train["command"], json!(["python", "train.py"]));
    assert_eq!(train["resources"]["limits"]["nvidia.com/gpu"], "2");
    assert_eq!(train["resources"]["requests"]["nvidia.com/gpu"], "2");
    let env = env_of(train);
    assert_eq!(env["FEAST_PROJECT"], "team_features");
    assert_eq!(env["REGISTERED_MODEL"], "team-models");
    let gate = container(pod, "containers", "gate");
    let env = env_of(gate);
    assert_eq!(env["GATE_METRIC"], "auc");
    assert_eq!(env["GATE_THRESHOLD"], "0.8");
    assert_eq!(env["GATE_GREATER_IS_BETTER"], "true");
    assert!(!env.contains_key("GATE_MARGIN"), "no margin, no variable: {env:?}");
    let cm = r.object(&ns, "configmap", &format!("{name}-gate"));
    assert!(
        cm["data"]["gate.py"]
            .as_str()
            .unwrap_or_default()
            .contains("def main()")
    );

    // A schedule un-suspends it, in place.
    let main = r.dir.read("root/main.hcl").replace(
        "  gate          =",
        "  schedule      = \"0 3 * * 1\"\n  gate          =",
    );
    r.dir.write("root/main.hcl", &main);
    let o = ok(r.run(&["apply", "--auto-approve"]));
    assert!(stdout(&o).contains("0 added, 1 changed, 0 destroyed"), "{}", stdout(&o));
    let cj = r.object(&ns, "cronjob", &name);
    assert_eq!(cj["spec"]["schedule"], "0 3 * * 1");
    assert_eq!(cj["spec"]["suspend"], false);
    expect_code(&r.run(&["plan", "--detailed-exitcode"]), 0);

    r.destroy(
        3,
        &[
            (&ns, "cronjob", &name),
            (&ns, "configmap", &format!("{name}-gate")),
            (&ns, "serviceaccount", &name),
        ],
    );
}

#[test]
fn drift_monitor_kubernetes_may_start_the_training_cron_job_and_nothing_else() {
    let mut r = Root::new("");
    let ns = r.namespace();
    // The pipeline it triggers, and another CronJob it must not touch.
    r.cluster.kubectl_ok(&[
        "-n",
        &ns,
        "create",
        "cronjob",
        "train",
        "--image=x",
        "--schedule=0 0 * * *",
    ]);
    r.cluster.kubectl_ok(&[
        "-n",
        &ns,
        "create",
        "cronjob",
        "other",
        "--image=x",
        "--schedule=0 0 * * *",
    ]);
    r.dir.write(
        "root/main.hcl",
        &module_output(&format!(
            r#"module "m" {{
  source        = "../modules/drift-monitor/kubernetes"
  name          = "team-drift"
  baseline      = "https://data.example.com/baseline.csv"
  current       = "pvc://serving-capture/capture.csv"
  endpoint      = "serving"
  pipeline      = "{ns}/train"
  features      = ["spend", "plan"]
  psi_threshold = 0.25
  schedule      = "*/30 * * * *"
}}"#
        )),
    );
    let name = r.full("team-drift");
    let out = r.apply(5);
    let m = &out["out"]["value"];
    assert_eq!(m["id"], name.as_str());
    assert_eq!(m["thresholds"], json!({"psi": 0.25, "ks_p_value": 0.05}));
    assert_eq!(m["figures"], json!({}));
    assert_eq!(m["drifted_features"], json!({}));
    assert_eq!(m["drift_message"], "");

    let cj = r.object(&ns, "cronjob", &name);
    assert_eq!(cj["spec"]["schedule"], "*/30 * * * *");
    let pod = &cj["spec"]["jobTemplate"]["spec"]["template"]["spec"];
    assert_eq!(pod["serviceAccountName"], name.as_str());
    let check = container(pod, "containers", "check");
    let env = env_of(check);
    assert_eq!(env["CURRENT"], "/samples/serving-capture/capture.csv");
    assert_eq!(env["BASELINE"], "https://data.example.com/baseline.csv");
    assert_eq!(env["PSI_THRESHOLD"], "0.25");
    assert_eq!(env["KS_P_VALUE"], "0.05");
    assert_eq!(env["CRONJOB"], "train");
    assert_eq!(env["FEATURES"], r#"["spend","plan"]"#);
    let claim = pod["volumes"]
        .as_array()
        .and_then(|vs| vs.iter().find(|v| v["persistentVolumeClaim"].is_object()))
        .expect("the capture claim is mounted");
    assert_eq!(
        claim["persistentVolumeClaim"],
        json!({"claimName": "serving-capture", "readOnly": true})
    );
    let cm = r.object(&ns, "configmap", &format!("{name}-check"));
    assert!(cm["data"]["drift.py"].as_str().unwrap_or_default().contains("ks_2samp"));

    // The role: get on that one CronJob, create on Jobs, nothing more.
    let role = r.object(&ns, "role", &name);
    assert_eq!(
        role["rules"],
        json!([
            {"apiGroups": ["batch"], "resources": ["cronjobs"], "resourceNames": ["train"], "verbs": ["get"]},
            {"apiGroups": ["batch"], "resources": ["jobs"], "verbs": ["create"]},
        ])
    );
    let sa = format!("system:serviceaccount:{ns}:{name}");
    assert!(r.can(&sa, &ns, "get", "cronjobs/train"));
    assert!(r.can(&sa, &ns, "create", "jobs"));
    for (verb, what) in [
        ("get", "cronjobs/other"),
        ("list", "cronjobs"),
        ("update", "cronjobs/train"),
        ("delete", "jobs"),
        ("get", "secrets"),
        ("create", "pods"),
    ] {
        assert!(!r.can(&sa, &ns, verb, what), "{sa} may {verb} {what}");
    }
    // What the CronJob does on drift, done with its identity: a Job from the training CronJob.
    r.cluster.kubectl_ok(&[
        "-n",
        &ns,
        "create",
        "job",
        "retrain",
        "--from=cronjob/train",
        "--as",
        &sa,
    ]);
    let job = r.object(&ns, "job", "retrain");
    assert_eq!(job["metadata"]["ownerReferences"][0]["name"], "train");
    let refused = r.cluster.kubectl(&[
        "-n",
        &ns,
        "create",
        "job",
        "sneaky",
        "--from=cronjob/other",
        "--as",
        &sa,
    ]);
    assert!(!refused.status.success(), "a Job from another CronJob was allowed");

    r.destroy(
        5,
        &[
            (&ns, "cronjob", &name),
            (&ns, "role", &name),
            (&ns, "rolebinding", &name),
            (&ns, "configmap", &format!("{name}-check")),
            (&ns, "serviceaccount", &name),
        ],
    );
}

#[test]
fn serving_endpoint_kubernetes_is_a_deployment_behind_a_service_autoscaled_and_fenced() {
    let mut r = Root::new("");
    let ns = r.namespace();
    r.dir.write(
        "root/main.hcl",
        &module_output(&format!(
            r#"module "m" {{
  source             = "../modules/serving-endpoint/kubernetes"
  name               = "team-serving"
  namespace          = "{ns}"
  registry           = "http://models.{ns}.svc:5000#team-models"
  image              = "registry.example.com/serve:1"
  instance_count     = 2
  max_instance_count = 6
  capture_percent    = 25
}}"#
        )),
    );
    let name = r.full("team-serving");
    let capture = format!("{name}-capture");
    let out = r.apply(7);
    let m = &out["out"]["value"];
    assert_eq!(m["id"], name.as_str());
    assert_eq!(m["url"], format!("http://{name}.{ns}.svc.cluster.local/invocations"));
    assert_eq!(m["capture_uri"], format!("pvc://{capture}/capture.csv"));

    let d = r.object(&ns, "deployment", &name);
    assert!(d["status"]["availableReplicas"].as_u64() >= Some(1), "{d}");
    let pod = &d["spec"]["template"]["spec"];
    assert_eq!(pod["serviceAccountName"], name.as_str());
    assert_eq!(pod["automountServiceAccountToken"], false);
    let model = container(pod, "containers", "model");
    let env = env_of(model);
    assert_eq!(env["MODEL_URI"], "models:/team-models@champion");
    assert_eq!(env["MLFLOW_TRACKING_URI"], format!("http://models.{ns}.svc:5000"));
    assert_eq!(env["CAPTURE_PERCENT"], "25");
    assert_eq!(model["resources"]["limits"]["cpu"], "1", "twice the 500m request");
    let hpa = r.object(&ns, "hpa", &name);
    assert_eq!(hpa["apiVersion"], "autoscaling/v2");
    assert_eq!(hpa["spec"]["minReplicas"], 2);
    assert_eq!(hpa["spec"]["maxReplicas"], 6);
    assert_eq!(hpa["spec"]["scaleTargetRef"]["name"], name.as_str());
    let pdb = r.object(&ns, "pdb", &name);
    assert_eq!(pdb["spec"]["maxUnavailable"], 1);
    let np = r.object(&ns, "networkpolicy", &name);
    assert_eq!(np["spec"]["policyTypes"], json!(["Ingress"]));
    assert_eq!(np["spec"]["podSelector"]["matchLabels"], json!({"app": name}));
    let from = &np["spec"]["ingress"][0]["from"];
    assert_eq!(from[0], json!({"podSelector": {}}), "its own namespace");
    assert_eq!(
        from[1]["namespaceSelector"]["matchLabels"],
        json!({"kubernetes.io/metadata.name": "ingress-nginx"})
    );
    assert_eq!(np["spec"]["ingress"][0]["ports"][0]["port"], 8080);
    let svc = r.object(&ns, "service", &name);
    assert_eq!(svc["spec"]["ports"][0]["port"], 80);
    assert_eq!(svc["spec"]["ports"][0]["targetPort"], 8080);
    let pvc = r.object(&ns, "pvc", &capture);
    assert_eq!(pvc["spec"]["accessModes"], json!(["ReadWriteMany"]));

    // The precondition: the most instances are at least the fewest.
    let main = r
        .dir
        .read("root/main.hcl")
        .replace("max_instance_count = 6", "max_instance_count = 1");
    r.dir.write("root/main.hcl", &main);
    let o = r.run(&["plan"]);
    expect_code(&o, 1);
    assert!(
        support::cli::stderr(&o).contains("max_instance_count (1) is less than instance_count (2)"),
        "{}",
        support::cli::stderr(&o)
    );

    r.destroy(
        7,
        &[
            (&ns, "deployment", &name),
            (&ns, "service", &name),
            (&ns, "hpa", &name),
            (&ns, "pdb", &name),
            (&ns, "networkpolicy", &name),
            (&ns, "pvc", &capture),
            (&ns, "serviceaccount", &name),
        ],
    );
}

/// KServe's InferenceService CRD (trimmed, as `tests/fixtures/kubernetes-platform-raw` applies
/// it), installed with kubectl for this test unless it is there; removed after if this test
/// installed it. `tests/kubernetes_platform.rs` (another test binary, so never at the same time
/// under `cargo test`) applies and destroys the same CRD through Plinth.
struct KserveCrd {
    cluster: &'static Cluster,
    installed: bool,
}

impl KserveCrd {
    const NAME: &str = "inferenceservices.serving.kserve.io";

    fn ensure(cluster: &'static Cluster) -> KserveCrd {
        let installed = cluster.get(&["crd", Self::NAME]).is_none();
        if installed {
            let path = Path::new(env!("CARGO_MANIFEST_DIR"))
                .join("tests/fixtures/kubernetes-platform-raw/crds/inferenceservice.yaml");
            let yaml = std::fs::read_to_string(&path).expect("the InferenceService CRD");
            cluster.apply(&yaml);
            cluster.kubectl_ok(&[
                "wait",
                "--for=condition=Established",
                "--timeout=60s",
                &format!("crd/{}", Self::NAME),
            ]);
        }
        KserveCrd { cluster, installed }
    }
}

impl Drop for KserveCrd {
    fn drop(&mut self) {
        if self.installed {
            let _ = self
                .cluster
                .kubectl(&["delete", "crd", Self::NAME, "--ignore-not-found"]);
        }
    }
}

#[test]
fn serving_endpoint_kubernetes_with_engine_kserve_is_an_inference_service() {
    let mut r = Root::new("");
    let _crd = KserveCrd::ensure(r.cluster);
    let ns = r.namespace();
    r.dir.write(
        "root/main.hcl",
        &module_output(&format!(
            r#"module "m" {{
  source             = "../modules/serving-endpoint/kubernetes"
  name               = "team-kserve"
  namespace          = "{ns}"
  engine             = "kserve"
  registry           = "http://models.{ns}.svc:5000#team-models"
  image              = "registry.example.com/serve:1"
  max_instance_count = 3
}}"#
        )),
    );
    let name = r.full("team-kserve");
    let out = r.apply(3);
    let m = &out["out"]["value"];
    assert_eq!(m["id"], name.as_str());
    assert_eq!(m["url"], format!("http://{name}.{ns}.svc.cluster.local"));

    let isvc = r.object(&ns, "inferenceservices.serving.kserve.io", &name);
    let predictor = &isvc["spec"]["predictor"];
    assert_eq!(predictor["serviceAccountName"], name.as_str());
    assert_eq!(predictor["minReplicas"], 1);
    assert_eq!(predictor["maxReplicas"], 3);
    let c = &predictor["containers"][0];
    assert_eq!(c["image"], "registry.example.com/serve:1");
    assert_eq!(env_of(c)["MODEL_URI"], "models:/team-models@champion");
    assert_eq!(
        predictor["volumes"][0]["persistentVolumeClaim"]["claimName"],
        format!("{name}-capture")
    );
    // No Deployment, autoscaler or policy of its own: KServe makes what it needs.
    assert!(r.get(&ns, "deployment", &name).is_none());
    assert!(r.get(&ns, "hpa", &name).is_none());

    r.destroy(
        3,
        &[
            (&ns, "inferenceservices.serving.kserve.io", &name),
            (&ns, "pvc", &format!("{name}-capture")),
            (&ns, "serviceaccount", &name),
        ],
    );
}

/// `examples/kubernetes-platform`: `ml-platform` on Kubernetes, whole. Every part in the
/// cluster's namespace under its own account, wired as the interface says; a clean re-plan; the
/// monitor may start the training CronJob; destroy leaves no namespace and no priority class.
#[test]
fn the_kubernetes_platform_example_applies_every_block_replans_clean_and_destroys_to_nothing() {
    let mut r = Root::example("kubernetes-platform");
    let ns = r.full("churn-gpu");
    r.cleanup.push(["namespace".into(), ns.clone()]);
    r.cleanup.push(["priorityclass".into(), ns.clone()]);
    let out = r.apply(27);
    assert_eq!(out["namespace"]["value"], ns.as_str());
    let (features, models, train, serving, drift) = (
        r.full("churn-features"),
        r.full("churn-models"),
        r.full("churn-train"),
        r.full("churn-serving"),
        r.full("churn-drift"),
    );
    assert_eq!(
        out["registry"]["value"],
        format!("http://{models}.{ns}.svc.cluster.local:5000")
    );

    // Every workload rolled out, each under an account of its own.
    for (kind, name) in [
        ("deployment", &features),
        ("deployment", &models),
        ("deployment", &serving),
    ] {
        let d = r.object(&ns, kind, name);
        assert!(d["status"]["availableReplicas"].as_u64() >= Some(1), "{name}: {d}");
        assert_eq!(d["spec"]["template"]["spec"]["serviceAccountName"], name.as_str());
    }
    for name in [&train, &drift] {
        let cj = r.object(&ns, "cronjob", name);
        assert_eq!(
            cj["spec"]["jobTemplate"]["spec"]["template"]["spec"]["serviceAccountName"],
            name.as_str()
        );
    }
    let quota = r.object(&ns, "resourcequota", &format!("{ns}-gpus"));
    assert_eq!(quota["spec"]["hard"]["requests.nvidia.com/gpu"], "1");
    // The wiring: training reads the Feast project and registers into the MLflow model; serving
    // serves that model; the monitor reads the serving capture claim and triggers training.
    let tpl = r.object(&ns, "cronjob", &train);
    let tpod = &tpl["spec"]["jobTemplate"]["spec"]["template"]["spec"];
    assert_eq!(tpl["spec"]["schedule"], "0 2 * * *");
    assert_eq!(tpod["priorityClassName"], ns.as_str());
    let tenv = env_of(container(tpod, "initContainers", "train"));
    assert_eq!(tenv["FEAST_PROJECT"], features.replace('-', "_"));
    assert_eq!(tenv["REGISTERED_MODEL"], models.as_str());
    assert_eq!(env_of(container(tpod, "containers", "gate"))["GATE_MARGIN"], "0.005");
    let spod = &r.object(&ns, "deployment", &serving)["spec"]["template"]["spec"];
    assert_eq!(
        env_of(container(spod, "containers", "model"))["MODEL_URI"],
        format!("models:/{models}@champion")
    );
    let dpl = r.object(&ns, "cronjob", &drift);
    let dpod = &dpl["spec"]["jobTemplate"]["spec"]["template"]["spec"];
    let denv = env_of(container(dpod, "containers", "check"));
    assert_eq!(denv["CURRENT"], format!("/samples/{serving}-capture/capture.csv"));
    assert_eq!(denv["CRONJOB"], train.as_str());
    assert_eq!(denv["FEATURES"], r#"["tenure_months","monthly_spend","plan"]"#);
    let sa = format!("system:serviceaccount:{ns}:{drift}");
    assert!(r.can(&sa, &ns, "get", &format!("cronjobs/{train}")));
    assert!(!r.can(&sa, &ns, "get", &format!("cronjobs/{drift}")));
    // Only the monitor's account has a role.
    let roles = r.cluster.kubectl_ok(&["-n", &ns, "get", "roles", "-o", "name"]);
    assert_eq!(roles.trim(), format!("role.rbac.authorization.k8s.io/{drift}"));

    r.destroy(27, &[("", "namespace", &ns), ("", "priorityclass", &ns)]);
}

/// The check the monitor's CronJob runs (`modules/drift-monitor/kubernetes/drift.py`, with
/// numpy and scipy) computes the figures the local platform's `local_distribution_drift` does,
/// on the same samples: numeric and categorical features, drifted and not. No cluster needed.
#[test]
fn the_kubernetes_drift_check_computes_the_figures_local_distribution_drift_does() {
    let dir = Dir::new();
    // Deterministic samples: `spend` drifts upwards, `visits` does not, `plan` changes mix.
    let mut base = String::from("visits,spend,plan\n");
    let mut cur = String::from("visits,spend,plan\n");
    for i in 0..400u32 {
        let plan = ["basic", "plus", "pro"][(i % 7 % 3) as usize];
        base.push_str(&format!(
            "{},{:.3},{plan}\n",
            i * 37 % 50,
            f64::from(i * 53 % 997) / 10.0
        ));
        let plan = ["basic", "plus", "pro"][(i % 5 % 3) as usize];
        cur.push_str(&format!(
            "{},{:.3},{plan}\n",
            (i * 41 + 3) % 50,
            f64::from(i * 53 % 997) / 10.0 + 20.0
        ));
    }
    dir.write("baseline.csv", &base);
    dir.write("current.csv", &cur);
    dir.write(
        "main.hcl",
        r#"data "local_distribution_drift" "x" {
  baseline = "baseline.csv"
  current  = "current.csv"
}
output "features" {
  value = data.local_distribution_drift.x.features
}
"#,
    );
    ok(dir.run(&["apply", "--auto-approve"]));
    let local = json(&ok(dir.run(&["output", "--json"])))["features"]["value"].clone();

    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("modules/drift-monitor/kubernetes/drift.py");
    let o = Command::new("python3")
        .arg(&script)
        .current_dir(dir.path())
        .envs([
            ("BASELINE", "baseline.csv"),
            ("CURRENT", "current.csv"),
            ("FEATURES", "null"),
            ("PSI_THRESHOLD", "0.2"),
            ("KS_P_VALUE", "0.05"),
            ("DRY_RUN", "1"),
        ])
        .output()
        .expect("python3 (tests/run.sh installs numpy and scipy)");
    assert!(o.status.success(), "drift.py: {}", String::from_utf8_lossy(&o.stderr));
    let k8s: Json = serde_json::from_slice(&o.stdout).expect("drift.py prints JSON");

    for feature in ["visits", "spend", "plan"] {
        let (l, k) = (&local[feature], &k8s["features"][feature]);
        for figure in ["psi", "ks_p_value"] {
            let (a, b) = (
                l[figure].as_f64().expect("local figure"),
                k[figure].as_f64().expect("k8s figure"),
            );
            let tolerance = if figure == "psi" { 1e-9 } else { 1e-3 };
            assert!(
                (a - b).abs() <= tolerance,
                "{feature}.{figure}: local {a}, drift.py {b}"
            );
        }
        match l["ks_statistic"].as_f64() {
            Some(a) => {
                let b = k["ks_statistic"].as_f64().expect("drift.py's KS statistic");
                assert!((a - b).abs() <= 1e-9, "{feature}.ks_statistic: local {a}, drift.py {b}");
            }
            None => assert!(k["ks_statistic"].is_null(), "{feature} is categorical: {k}"),
        }
    }
    // The same features drift, with the local module's message format.
    let drifted: Vec<&String> = k8s["drifted_features"].as_object().expect("drifted").keys().collect();
    assert!(drifted.iter().any(|f| *f == "spend"), "{k8s}");
    assert!(!drifted.iter().any(|f| *f == "visits"), "{k8s}");
    assert!(
        k8s["drift_message"]
            .as_str()
            .unwrap_or_default()
            .contains("spend (psi "),
        "{k8s}"
    );
    assert!(k8s.get("triggered").is_none(), "DRY_RUN triggers nothing: {k8s}");
}

/// The gate the training CronJob runs after training (`modules/training-pipeline/kubernetes/
/// gate.py`), against a real MLflow server (`tests/support/mlflow.rs`): a metric under the
/// threshold, or not beating the champion by the margin, fails the Job and registers nothing; a
/// metric that passes both registers the run's model as a new version. No cluster needed.
#[test]
fn the_kubernetes_training_gate_registers_only_a_model_that_passes() {
    let server = support::mlflow::shared();
    let model = support::mlflow::unique("gate");
    // Version 1 is the champion (auc 0.81); the run of version 2 (auc 0.84) is the candidate.
    let trained = server.train(&["--model", &model, "--champion-auc", "0.81", "--challenger-auc", "0.84"]);
    let run_id = trained["runs"][1]["run_id"].as_str().expect("run id").to_string();
    let work = Dir::new();
    work.write("metrics.json", r#"{"auc": 0.84, "loss": 0.3}"#);
    work.write("run_id", &run_id);
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("modules/training-pipeline/kubernetes/gate.py");
    let gate = |threshold: &str, margin: &str| {
        let o = Command::new("python3")
            .arg(&script)
            .envs([
                ("MLFLOW_TRACKING_URI", server.uri.as_str()),
                ("REGISTERED_MODEL", model.as_str()),
                ("OUTPUT_DIR", &work.path().display().to_string()),
                ("GATE_METRIC", "auc"),
                ("GATE_THRESHOLD", threshold),
                ("GATE_MARGIN", margin),
                ("GATE_GREATER_IS_BETTER", "true"),
            ])
            .output()
            .expect("python3");
        (o.status.code(), String::from_utf8_lossy(&o.stdout).into_owned())
    };
    let versions = || {
        let found = server.get("model-versions/search", &[("filter", &format!("name='{model}'"))]);
        found["model_versions"].as_array().map_or(0, Vec::len)
    };
    assert_eq!(versions(), 2);

    let (code, out) = gate("0.9", "");
    assert_eq!(code, Some(1), "{out}");
    assert!(out.contains("does not reach the threshold 0.9"), "{out}");
    let (code, out) = gate("", "0.05");
    assert_eq!(code, Some(1), "{out}");
    assert!(out.contains("does not beat the champion's 0.81 by 0.05"), "{out}");
    assert_eq!(versions(), 2, "a failed gate registers nothing");

    let (code, out) = gate("0.8", "0.02");
    assert_eq!(code, Some(0), "{out}");
    assert!(out.contains(&format!("registered {model} version 3")), "{out}");
    let v3 = server.model_version(&model, "3").expect("version 3");
    assert_eq!(v3["run_id"], run_id.as_str());
}
