//! The local implementations of the ML building blocks (`modules/<block>/local/`) through the
//! `plinth` binary: each is applied from a root configuration that uses it by path, planned again
//! with no changes, and destroyed; its validations refuse bad inputs; and the local `ml-platform`
//! makes `plinth drift` exit 2 on a drifted captured sample (the drift monitor's own `check`), naming the feature and its PSI, and 0 without drift. The interface itself is
//! `tests/modules.rs`.

mod support;

use std::path::PathBuf;
use std::process::Output;

use support::cli::{Dir, expect_code, json, ok, plinth, stdout, user_error};

/// A temporary copy of the repository's `modules/` with a root configuration in `root/`, which
/// uses the modules as `../modules/<block>/local`.
struct Root {
    dir: Dir,
}

impl Root {
    fn new(hcl: &str) -> Root {
        let dir = Dir::new();
        support::cli::copy_repo_layout(dir.path(), &[]);
        dir.write("root/main.hcl", hcl);
        Root { dir }
    }

    fn path(&self) -> PathBuf {
        self.dir.join("root")
    }

    fn run(&self, args: &[&str]) -> Output {
        plinth(&self.path(), args)
    }

    fn write(&self, p: &str, text: &str) {
        self.dir.write(&format!("root/{p}"), text);
    }

    fn exists(&self, p: &str) -> bool {
        self.path().join(p).exists()
    }

    /// Apply, plan again (no changes: exit 0 with `--detailed-exitcode`), destroy (nothing
    /// left in state). Returns the outputs after apply.
    fn lifecycle(&self, added: usize) -> serde_json::Value {
        ok(self.run(&["init"]));
        let o = ok(self.run(&["apply", "--auto-approve"]));
        assert!(
            stdout(&o).contains(&format!("Apply complete! Resources: {added} added")),
            "{}",
            stdout(&o)
        );
        let outputs = json(&ok(self.run(&["output", "--json"])));
        let o = ok(self.run(&["plan", "--detailed-exitcode"]));
        assert!(stdout(&o).contains("No changes."), "{}", stdout(&o));
        let o = ok(self.run(&["destroy", "--auto-approve"]));
        assert!(stdout(&o).contains(&format!("{added} destroyed")), "{}", stdout(&o));
        assert_eq!(
            stdout(&ok(self.run(&["state", "list"]))),
            "",
            "state is empty after destroy"
        );
        outputs
    }
}

/// `output "out" { value = module.m }` after a module block.
fn with_output(module: &str) -> String {
    format!("{module}\noutput \"out\" {{\n  value = module.m\n}}\n")
}

#[test]
fn gpu_cluster_local_applies_plans_clean_and_destroys() {
    let r = Root::new(&with_output(
        r#"module "m" {
  source        = "../modules/gpu-cluster/local"
  name          = "team-gpu"
  gpu_type      = "a100"
  node_count    = 2
  gpus_per_node = 4
}"#,
    ));
    let out = r.lifecycle(1);
    let m = &out["out"]["value"];
    assert_eq!(m["name"], "team-gpu-default");
    assert_eq!(m["id"], "sandbox/default/clusters/team-gpu.json");
    assert_eq!(m["total_gpus"], 8);
    assert!(!r.exists("sandbox/default/clusters/team-gpu.json"));
}

#[test]
fn feature_store_local_applies_plans_clean_and_destroys() {
    let r = Root::new(&with_output(
        r#"module "m" {
  source         = "../modules/feature-store/local"
  name           = "team-features"
  entity_key     = "customer_id"
  event_time_key = "updated_at"
  features = [
    { name = "customer_id", type = "string" },
    { name = "visits", type = "int" },
    { name = "spend", type = "float" },
    { name = "updated_at", type = "timestamp" },
  ]
}"#,
    ));
    let out = r.lifecycle(1);
    let m = &out["out"]["value"];
    assert_eq!(m["id"], "sandbox/default/features.db#team_features_default");
    assert_eq!(m["uri"], "sandbox/default/features.db");
    assert_eq!(
        m["feature_names"],
        serde_json::json!(["customer_id", "visits", "spend", "updated_at"])
    );
}

#[test]
fn model_registry_local_applies_plans_clean_and_destroys() {
    let r = Root::new(&with_output(
        r#"module "m" {
  source      = "../modules/model-registry/local"
  name        = "team-models"
  description = "churn models"
}"#,
    ));
    let out = r.lifecycle(1);
    let m = &out["out"]["value"];
    assert_eq!(m["name"], "team-models-default");
    assert_eq!(m["uri"], "sandbox/default/registry/team-models/index.json");
    assert!(!r.exists("sandbox/default/registry/team-models/index.json"));
}

#[test]
fn training_pipeline_local_applies_plans_clean_and_destroys() {
    let r = Root::new(&with_output(
        r#"module "m" {
  source        = "../modules/training-pipeline/local"
  name          = "team-train"
  cluster       = "sandbox/default/clusters/team-gpu.json"
  feature_store = "sandbox/default/features.db#team_features_default"
  registry      = "sandbox/default/registry/team-models"
  image         = "ghcr.io/acme/train:1"
  gate          = { metric = "rmse", threshold = 3.5, greater_is_better = false }
  schedule      = "0 3 * * 1"
}"#,
    ));
    let out = r.lifecycle(1);
    let m = &out["out"]["value"];
    assert_eq!(m["id"], "sandbox/default/pipelines/team-train.yaml");
    assert_eq!(m["gate"]["metric"], "rmse");
    assert_eq!(m["gate"]["greater_is_better"], false);
}

#[test]
fn serving_endpoint_local_applies_plans_clean_and_destroys() {
    let r = Root::new(&with_output(
        r#"module "m" {
  source             = "../modules/serving-endpoint/local"
  name               = "team-serving"
  registry           = "sandbox/default/registry/team-models"
  image              = "ghcr.io/acme/serve:1"
  max_instance_count = 3
}"#,
    ));
    let out = r.lifecycle(1);
    let m = &out["out"]["value"];
    assert_eq!(m["url"], "http://127.0.0.1:8080/invocations");
    assert_eq!(m["capture_uri"], "sandbox/default/capture/team-serving.csv");
}

#[test]
fn drift_monitor_local_applies_plans_clean_and_destroys() {
    let r = Root::new(&with_output(
        r#"module "m" {
  source   = "../modules/drift-monitor/local"
  name     = "team-drift"
  baseline = "data/baseline.csv"
  current  = "data/current.csv"
  endpoint = "team-serving-default"
  pipeline = "sandbox/default/pipelines/team-train.yaml"
  features = ["spend"]
}"#,
    ));
    r.write("data/baseline.csv", &sample(400, 0.0, 1));
    r.write("data/current.csv", &sample(300, 0.0, 7));
    let out = r.lifecycle(1);
    let m = &out["out"]["value"];
    assert_eq!(m["thresholds"], serde_json::json!({ "psi": 0.2, "ks_p_value": 0.05 }));
    let figures = m["figures"].as_object().expect("figures");
    assert_eq!(
        figures.keys().collect::<Vec<_>>(),
        ["spend"],
        "only the features asked for"
    );
    assert_eq!(m["drifted_features"], serde_json::json!({}));
    assert_eq!(m["drift_message"], "");
}

const PLATFORM: &str = r#"
module "platform" {
  source         = "../modules/ml-platform/local"
  name           = "team"
  entity_key     = "customer_id"
  event_time_key = "updated_at"
  features = [
    { name = "customer_id", type = "string" },
    { name = "visits", type = "int" },
    { name = "spend", type = "float" },
    { name = "plan", type = "string" },
    { name = "updated_at", type = "timestamp" },
  ]
  training_image = "ghcr.io/acme/train:1"
  serving_image  = "ghcr.io/acme/serve:1"
  gate           = { metric = "auc", margin = 0.01 }
  baseline       = "${path.module}/data/baseline.csv"
  drift_features = ["visits", "spend", "plan"]
}

output "platform" {
  value = module.platform
}
"#;

#[test]
fn ml_platform_local_applies_plans_clean_and_destroys() {
    let r = Root::new(PLATFORM);
    r.write("data/baseline.csv", &sample(400, 0.0, 1));
    let out = r.lifecycle(6);
    let p = &out["platform"]["value"];
    // Every part is named from the platform's name and the environment, and wired to the others.
    assert_eq!(p["cluster"]["name"], "team-gpu-default");
    assert_eq!(
        p["feature_store"]["id"],
        "sandbox/default/features.db#team_features_default"
    );
    assert_eq!(p["registry"]["name"], "team-models-default");
    assert_eq!(p["pipeline"]["name"], "team-train-default");
    assert_eq!(p["endpoint"]["name"], "team-serving-default");
    assert_eq!(p["monitor"]["name"], "team-drift-default");
    // Nothing captured yet: nothing measured.
    assert_eq!(p["monitor"]["figures"], serde_json::json!({}));
}

/// `n` rows of `customer_id,visits,spend,plan,updated_at`: `spend` spread evenly over
/// `[20 + shift, 70 + shift)` in an order set by `stride`, `visits` over 1..=30, `plan` cycling.
fn sample(n: usize, shift: f64, stride: usize) -> String {
    let mut text = String::from("customer_id,visits,spend,plan,updated_at\n");
    for i in 0..n {
        let j = (i * stride) % n;
        let spend = 20.0 + shift + 50.0 * j as f64 / n as f64;
        let visits = 1 + (j * 30) / n;
        let plan = ["free", "basic", "pro"][i % 3];
        text.push_str(&format!("c{i},{visits},{spend},{plan},2026-11-01T00:00:00Z\n"));
    }
    text
}

/// The drift monitor reads what the endpoint captures (`current` is left out): nothing captured
/// is no drift; an undrifted capture is none either; a capture whose `spend` moved makes
/// `plinth drift` exit 2 naming `spend` and its PSI, and nothing else.
#[test]
fn ml_platform_local_drift_monitor_makes_plinth_drift_exit_2_on_a_drifted_sample() {
    let r = Root::new(PLATFORM);
    r.write("data/baseline.csv", &sample(400, 0.0, 1));
    ok(r.run(&["init"]));
    ok(r.run(&["apply", "--auto-approve"]));
    let capture = "sandbox/default/capture/team-serving.csv";
    ok(r.run(&["drift"]));

    r.write(capture, &sample(300, 0.0, 7));
    let o = ok(r.run(&["drift"]));
    assert!(stdout(&o).contains("No drift"), "{}", stdout(&o));

    r.write(capture, &sample(300, 25.0, 7));
    let o = r.run(&["drift"]);
    expect_code(&o, 2);
    let report = stdout(&o);
    assert!(
        report.contains("# module.platform.module.monitor.check.data_drift failed"),
        "{report}"
    );
    let message = report
        .lines()
        .find_map(|l| l.trim().strip_prefix("data drift: "))
        .unwrap_or_else(|| panic!("no data drift message:\n{report}"));
    // `spend (psi X.XXX)`, alone: visits and plan did not move.
    let psi: f64 = message
        .strip_prefix("spend (psi ")
        .and_then(|m| m.strip_suffix(')'))
        .and_then(|m| m.parse().ok())
        .unwrap_or_else(|| panic!("not \"spend (psi X)\": {message:?}"));
    assert!(psi > 0.2, "spend's PSI {psi} is over the threshold");

    let o = r.run(&["drift", "--json"]);
    expect_code(&o, 2);
    let report = json(&o);
    assert_eq!(report["drifted"], true);
    assert_eq!(report["resources"], serde_json::json!([]), "no infrastructure drift");
    assert_eq!(
        report["checks"][0]["address"],
        "module.platform.module.monitor.check.data_drift"
    );
    assert_eq!(report["checks"][0]["status"], "fail");
    assert_eq!(report["checks"][0]["problems"][0], format!("data drift: {message}"));

    // Retrained on the new data: the capture matches again.
    r.write(capture, &sample(300, 0.0, 11));
    ok(r.run(&["drift"]));
    ok(r.run(&["destroy", "--auto-approve"]));
}

#[test]
fn environments_get_their_own_objects() {
    let r = Root::new(PLATFORM);
    r.write("data/baseline.csv", &sample(400, 0.0, 1));
    ok(r.run(&["init"]));
    ok(r.run(&["apply", "--auto-approve"]));
    ok(r.run(&["env", "new", "staging"]));
    ok(r.run(&["-e", "staging", "apply", "--auto-approve"]));
    let out = json(&ok(r.run(&["-e", "staging", "output", "--json"])));
    assert_eq!(out["platform"]["value"]["endpoint"]["name"], "team-serving-staging");
    assert!(r.exists("sandbox/staging/serving/team-serving.json"));
    assert!(r.exists("sandbox/default/serving/team-serving.json"));
    ok(r.run(&["-e", "staging", "destroy", "--auto-approve"]));
    assert!(!r.exists("sandbox/staging/serving/team-serving.json"));
    assert!(
        r.exists("sandbox/default/serving/team-serving.json"),
        "default is untouched"
    );
    let o = ok(r.run(&["-e", "default", "destroy", "--auto-approve"]));
    assert!(stdout(&o).contains("6 destroyed"), "{}", stdout(&o));
}

#[test]
fn validations_refuse_bad_inputs_naming_the_variable() {
    let cases = [
        (
            r#"module "m" {
  source        = "../modules/gpu-cluster/local"
  name          = "Team"
  gpu_type      = "l4"
  node_count    = 1
  gpus_per_node = 1
}"#,
            "name is 3 to 32 lower-case letters",
        ),
        (
            r#"module "m" {
  source        = "../modules/gpu-cluster/local"
  name          = "team"
  gpu_type      = "v100"
  node_count    = 1
  gpus_per_node = 3
}"#,
            "gpu_type is one of",
        ),
        (
            r#"module "m" {
  source         = "../modules/feature-store/local"
  name           = "team"
  entity_key     = "id"
  event_time_key = "at"
  features       = [{ name = "id", type = "text" }, { name = "at", type = "timestamp" }]
}"#,
            "each type is one of int, float, string, timestamp",
        ),
        (
            r#"module "m" {
  source         = "../modules/feature-store/local"
  name           = "team"
  entity_key     = "id"
  event_time_key = "at"
  features       = [{ name = "id", type = "string" }, { name = "at", type = "string" }]
}"#,
            "event_time_key \"at\" is not a feature of type timestamp",
        ),
        (
            r#"module "m" {
  source        = "../modules/training-pipeline/local"
  name          = "team"
  cluster       = "c"
  feature_store = "f"
  registry      = "r"
  image         = "i:1"
  gate          = { metric = "auc" }
}"#,
            "gate needs a threshold, a margin over the current model, or both",
        ),
        (
            r#"module "m" {
  source   = "../modules/drift-monitor/local"
  name     = "team"
  baseline = "b.csv"
  current  = "c.csv"
  endpoint = "e"
  pipeline = "p"
  schedule = "hourly"
}"#,
            "schedule is a 5-field cron expression",
        ),
        (
            r#"module "m" {
  source             = "../modules/serving-endpoint/local"
  name               = "team"
  registry           = "r"
  image              = "i:1"
  instance_count     = 3
  max_instance_count = 2
}"#,
            "max_instance_count (2) is less than instance_count (3)",
        ),
    ];
    for (hcl, want) in cases {
        let r = Root::new(hcl);
        let err = user_error(&r.run(&["plan"]));
        assert!(err.contains(want), "want {want:?} in:\n{err}");
    }
}
