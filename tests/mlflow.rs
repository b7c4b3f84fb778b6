//! The MLflow provider end to end with the `plinth` binary against a real `mlflow server`
//! (`tests/support/mlflow.rs`: one server shared by this binary, a server of its own for the
//! tests that need auth or stop it). Model versions, runs and metrics come from
//! `tests/mlflow/train.py`, MLflow's own Python client acting as a training job; every check
//! goes through MLflow's REST API, never through the provider.
//!
//! Covered: create, update and delete of each type (`mlflow_experiment` with MLflow's trash and
//! restore, `mlflow_registered_model` with renames, `mlflow_model_alias`,
//! `mlflow_model_version_tag`); `plinth import` of each; an alias moved by hand is drift that
//! apply repairs; a promotion gate that passes (and re-plans clean) and one that blocks (the
//! plan fails naming both AUC figures, nothing changes); a wrong token or password (a real 401
//! from MLflow's basic-auth app, the secret never printed); a stopped server (the error names
//! its URI, and no process of it is left); `examples/model-promotion` as its README runs it.
#![cfg(feature = "mlflow")]

mod support;

use std::path::Path;
use std::process::{Command, Output};

use serde_json::{Value as Json, json};
use support::cli::{Dir, copy_dir, state_lineage, stderr, stdout};
use support::leaks::{assert_clean, files_under, text, unique as unique_secret};
use support::mlflow::{ADMIN, ADMIN_PASSWORD, Mlflow, group_members, shared, unique};

/// How these tests run `plinth` against a server.
impl Mlflow {
    /// A `plinth ARGS` command in `dir` (see `support::cli::command`) with no inherited
    /// `MLFLOW_*` variable; the configuration names the server itself.
    pub fn plinth_command(&self, dir: &Path, args: &[&str]) -> Command {
        let mut cmd = support::cli::command(dir, args);
        for (k, _) in std::env::vars_os() {
            if k.to_string_lossy().starts_with("MLFLOW_") {
                cmd.env_remove(&k);
            }
        }
        cmd
    }

    /// Runs `plinth ARGS` in `dir` with `env` set (see [`Mlflow::plinth_command`]).
    pub fn plinth(&self, dir: &Path, args: &[&str], env: &[(&str, &str)]) -> Output {
        let mut cmd = self.plinth_command(dir, args);
        cmd.envs(env.iter().copied());
        cmd.output().expect("run plinth")
    }
}

/// `provider "mlflow"` for server `m`.
fn provider(m: &Mlflow) -> String {
    format!("provider \"mlflow\" {{\n  tracking_uri = \"{}\"\n}}\n", m.uri)
}

/// Runs `plinth ARGS` in `dir` against `m` and asserts the exit code.
#[track_caller]
fn run(m: &Mlflow, dir: &Dir, args: &[&str], want: i32) -> Output {
    run_env(m, dir, args, &[], want)
}

#[track_caller]
fn run_env(m: &Mlflow, dir: &Dir, args: &[&str], env: &[(&str, &str)], want: i32) -> Output {
    let o = m.plinth(dir.path(), args, env);
    assert_eq!(
        o.status.code(),
        Some(want),
        "plinth {} exit code\n{}",
        args.join(" "),
        text(&o)
    );
    assert!(!stderr(&o).contains("panicked at"), "panic:\n{}", text(&o));
    o
}

/// Applies `hcl` (with the provider block) in `dir`.
#[track_caller]
fn apply(m: &Mlflow, dir: &Dir, hcl: &str) -> Output {
    dir.write("main.hcl", &format!("{}{hcl}", provider(m)));
    run(m, dir, &["apply", "--auto-approve"], 0)
}

/// Asserts that the configuration in `dir` plans without changes.
#[track_caller]
fn assert_clean_plan(m: &Mlflow, dir: &Dir) {
    run(m, dir, &["plan", "--detailed-exitcode"], 0);
}

/// The user tags of an MLflow object's `tags` list (`[{key, value}]`), leaving out MLflow's own
/// (`mlflow.*`) and Plinth's bookkeeping tags (`plinth:*`, see [`bookkeeping`]).
fn tags(list: &Json) -> Vec<(String, String)> {
    let mut v: Vec<(String, String)> = list
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|t| Some((t["key"].as_str()?.to_string(), t["value"].as_str()?.to_string())))
        .filter(|(k, _)| !k.starts_with("mlflow.") && !k.starts_with("plinth:"))
        .collect();
    v.sort();
    v
}

/// Plinth's bookkeeping tags of an MLflow object's `tags` list: `(plinth:address, plinth:lineage)`.
fn bookkeeping(list: &Json) -> (String, String) {
    let get = |key: &str| {
        list.as_array()
            .into_iter()
            .flatten()
            .find(|t| t["key"] == key)
            .and_then(|t| t["value"].as_str())
            .unwrap_or_default()
            .to_string()
    };
    (get("plinth:address"), get("plinth:lineage"))
}

fn pairs(p: &[(&str, &str)]) -> Vec<(String, String)> {
    let mut v: Vec<(String, String)> = p.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect();
    v.sort();
    v
}

/// A registered model with two versions from train.py (run `baseline` is version 1 with
/// `champion_auc`, run `candidate` version 2 with `challenger_auc`); aliases as `aliases` says.
fn trained(m: &Mlflow, model: &str, champion_auc: &str, challenger_auc: &str, aliases: bool) -> Json {
    let experiment = format!("{model}-training");
    let mut args = vec![
        "--model",
        model,
        "--experiment",
        &experiment,
        "--champion-auc",
        champion_auc,
        "--challenger-auc",
        challenger_auc,
    ];
    if !aliases {
        args.push("--no-aliases");
    }
    let out = m.train(&args);
    assert_eq!(out["runs"][0]["version"], "1", "{out}");
    assert_eq!(out["runs"][1]["version"], "2", "{out}");
    out
}

// ---------------------------------------------------------------------------------------------
// The harness itself (needs no provider).

#[test]
fn the_test_server_serves_train_py_and_stops_with_its_whole_process_tree() {
    let mut m = Mlflow::start();
    let pgid = m.pgid();
    assert!(!group_members(pgid).is_empty(), "the server's group has no process");
    let out = trained(&m, "harness", "0.81", "0.84", true);
    assert_eq!(m.alias("harness", "champion").as_deref(), Some("1"));
    assert_eq!(m.alias("harness", "challenger").as_deref(), Some("2"));
    let run_id = out["runs"][1]["run_id"].as_str().expect("run id");
    let run = m.get("runs/get", &[("run_id", run_id)]);
    let auc = run["run"]["data"]["metrics"]
        .as_array()
        .expect("metrics")
        .iter()
        .find(|x| x["key"] == "auc")
        .and_then(|x| x["value"].as_f64());
    assert_eq!(auc, Some(0.84), "{run}");
    let v2 = m.model_version("harness", "2").expect("version 2");
    assert_eq!(v2["run_id"], run_id);
    assert_eq!(v2["status"], "READY");
    let dir = m.dir().to_path_buf();
    let port = m.port;
    m.stop();
    assert!(group_members(pgid).is_empty());
    assert!(
        std::net::TcpStream::connect(("127.0.0.1", port)).is_err(),
        "something still listens on the server's port {port}"
    );
    assert!(!dir.exists(), "the server's directory {} is left", dir.display());
}

// ---------------------------------------------------------------------------------------------
// Each type: create, update, delete.

#[test]
fn experiments_are_created_tagged_renamed_trashed_and_restored() {
    let m = shared();
    let dir = Dir::new();
    let name = unique("exp");
    let renamed = format!("{name}-renamed");
    apply(
        m,
        &dir,
        &format!(
            r#"resource "mlflow_experiment" "churn" {{
  name = "{name}"
  tags = {{ team = "growth", stage = "dev" }}
}}
output "id" {{ value = mlflow_experiment.churn.id }}
output "stage" {{ value = mlflow_experiment.churn.lifecycle_stage }}
"#
        ),
    );
    let e = m.experiment(&name).expect("the experiment exists");
    let id = e["experiment_id"].as_str().expect("id").to_string();
    assert_eq!(e["lifecycle_stage"], "active");
    assert_eq!(tags(&e["tags"]), pairs(&[("team", "growth"), ("stage", "dev")]));
    // Tagged with the address and the state's lineage, by which an apply repeated after a crash
    // adopts it (`docs/reliability.md`), and never shown in the state or a plan.
    let lineage = state_lineage(dir.path());
    assert_eq!(
        bookkeeping(&e["tags"]),
        ("mlflow_experiment.churn".to_string(), lineage)
    );
    assert_eq!(stdout(&run(m, &dir, &["output", "id"], 0)).trim().trim_matches('"'), id);
    assert_clean_plan(m, &dir);

    // Tags changed and one removed; then renamed in place (same id).
    apply(
        m,
        &dir,
        &format!(
            r#"resource "mlflow_experiment" "churn" {{
  name = "{renamed}"
  tags = {{ team = "retention" }}
}}
"#
        ),
    );
    assert!(m.experiment(&name).is_none(), "the old name is still there");
    let e = m.experiment(&renamed).expect("the renamed experiment");
    assert_eq!(e["experiment_id"], id.as_str(), "a rename keeps the id: {e}");
    assert_eq!(tags(&e["tags"]), pairs(&[("team", "retention")]));
    assert_clean_plan(m, &dir);

    // Destroy moves it to MLflow's trash.
    run(m, &dir, &["destroy", "--auto-approve"], 0);
    let e = m
        .experiment(&renamed)
        .expect("a deleted experiment is still found by name");
    assert_eq!(e["lifecycle_stage"], "deleted");

    // Re-creating a trashed name restores it (same id), with the configured tags.
    apply(
        m,
        &dir,
        &format!(
            r#"resource "mlflow_experiment" "churn" {{
  name = "{renamed}"
  tags = {{ team = "platform" }}
}}
"#
        ),
    );
    let e = m.experiment(&renamed).expect("restored");
    assert_eq!(e["lifecycle_stage"], "active");
    assert_eq!(e["experiment_id"], id.as_str(), "restored, not a new one: {e}");
    assert_eq!(tags(&e["tags"]), pairs(&[("team", "platform")]));
    assert_clean_plan(m, &dir);
    run(m, &dir, &["destroy", "--auto-approve"], 0);
}

#[test]
fn registered_models_are_created_updated_renamed_and_deleted() {
    let m = shared();
    let dir = Dir::new();
    let name = unique("model");
    let renamed = format!("{name}-v2");
    apply(
        m,
        &dir,
        &format!(
            r#"resource "mlflow_registered_model" "churn" {{
  name        = "{name}"
  description = "churn classifier"
  tags        = {{ owner = "growth", pii = "false" }}
}}
"#
        ),
    );
    let rm = m.registered_model(&name).expect("created");
    assert_eq!(rm["description"], "churn classifier");
    assert_eq!(tags(&rm["tags"]), pairs(&[("owner", "growth"), ("pii", "false")]));
    assert_eq!(bookkeeping(&rm["tags"]).0, "mlflow_registered_model.churn");
    assert_clean_plan(m, &dir);

    apply(
        m,
        &dir,
        &format!(
            r#"resource "mlflow_registered_model" "churn" {{
  name        = "{name}"
  description = "churn classifier, weekly retrain"
  tags        = {{ owner = "retention" }}
}}
"#
        ),
    );
    let rm = m.registered_model(&name).expect("updated");
    assert_eq!(rm["description"], "churn classifier, weekly retrain");
    assert_eq!(tags(&rm["tags"]), pairs(&[("owner", "retention")]));
    assert_clean_plan(m, &dir);

    // A version trained meanwhile survives a rename: renamed in place, not replaced.
    trained(m, &name, "0.8", "0.82", false);
    apply(
        m,
        &dir,
        &format!(
            r#"resource "mlflow_registered_model" "churn" {{
  name        = "{renamed}"
  description = "churn classifier, weekly retrain"
  tags        = {{ owner = "retention" }}
}}
"#
        ),
    );
    assert!(m.registered_model(&name).is_none(), "the old name is still there");
    assert!(m.registered_model(&renamed).is_some(), "renamed");
    assert!(m.model_version(&renamed, "2").is_some(), "the rename kept the versions");
    assert_clean_plan(m, &dir);

    run(m, &dir, &["destroy", "--auto-approve"], 0);
    assert!(m.registered_model(&renamed).is_none(), "destroyed");
}

#[test]
fn aliases_and_version_tags_are_set_moved_and_removed() {
    let m = shared();
    let dir = Dir::new();
    let model = unique("aliased");
    let model_hcl = format!(
        r#"resource "mlflow_registered_model" "churn" {{
  name = "{model}"
}}
"#
    );
    apply(m, &dir, &model_hcl);
    trained(m, &model, "0.8", "0.82", false);
    let with = |version: &str, tag: &str| {
        format!(
            r#"{model_hcl}
resource "mlflow_model_alias" "staging" {{
  name    = mlflow_registered_model.churn.name
  alias   = "staging"
  version = "{version}"
}}
resource "mlflow_model_version_tag" "validated" {{
  name    = mlflow_registered_model.churn.name
  version = "{version}"
  key     = "validation_status"
  value   = "{tag}"
}}
output "alias_id" {{ value = mlflow_model_alias.staging.id }}
output "tag_id" {{ value = mlflow_model_version_tag.validated.id }}
"#
        )
    };
    apply(m, &dir, &with("1", "pending"));
    assert_eq!(m.alias(&model, "staging").as_deref(), Some("1"));
    let v1 = m.model_version(&model, "1").expect("v1");
    assert!(
        tags(&v1["tags"]).contains(&("validation_status".to_string(), "pending".to_string())),
        "{v1}"
    );
    let alias_id = stdout(&run(m, &dir, &["output", "alias_id"], 0));
    assert_eq!(alias_id.trim().trim_matches('"'), format!("{model}/staging"));
    let tag_id = stdout(&run(m, &dir, &["output", "tag_id"], 0));
    assert_eq!(tag_id.trim().trim_matches('"'), format!("{model}/1/validation_status"));
    assert_clean_plan(m, &dir);

    // The tag's value changes in place.
    apply(m, &dir, &with("1", "passed"));
    let v1 = m.model_version(&model, "1").expect("v1");
    assert!(
        tags(&v1["tags"]).contains(&("validation_status".to_string(), "passed".to_string())),
        "{v1}"
    );

    // The alias moves to version 2; the tag, whose version forces replacement, moves with it.
    apply(m, &dir, &with("2", "passed"));
    assert_eq!(m.alias(&model, "staging").as_deref(), Some("2"));
    let v1 = m.model_version(&model, "1").expect("v1");
    assert!(
        !tags(&v1["tags"]).iter().any(|(k, _)| k == "validation_status"),
        "the old version's tag is gone: {v1}"
    );
    let v2 = m.model_version(&model, "2").expect("v2");
    assert!(
        tags(&v2["tags"]).contains(&("validation_status".to_string(), "passed".to_string())),
        "{v2}"
    );
    assert_clean_plan(m, &dir);

    // Removed from the configuration: the alias and the tag are deleted, the versions stay.
    apply(m, &dir, &model_hcl);
    assert_eq!(m.alias(&model, "staging"), None);
    let v2 = m.model_version(&model, "2").expect("the version stays");
    assert!(!tags(&v2["tags"]).iter().any(|(k, _)| k == "validation_status"), "{v2}");
    assert_eq!(tags(&v2["tags"]), pairs(&[("trained_by", "train.py")]));

    run(m, &dir, &["destroy", "--auto-approve"], 0);
    assert!(m.registered_model(&model).is_none());
}

// ---------------------------------------------------------------------------------------------
// Import.

#[test]
fn each_type_is_imported_and_then_plans_clean() {
    let m = shared();
    let dir = Dir::new();
    let model = unique("imported");
    let by_id = unique("exp-by-id");
    let by_name = unique("exp-by-name");
    // Made outside Plinth: two experiments, a model with versions and an alias, a version tag.
    let id = m.post(
        "experiments/create",
        json!({"name": by_id, "tags": [{"key": "team", "value": "growth"}]}),
    )["experiment_id"]
        .as_str()
        .expect("experiment id")
        .to_string();
    m.post("experiments/create", json!({"name": by_name}));
    m.post(
        "registered-models/create",
        json!({"name": model, "description": "made by hand", "tags": [{"key": "owner", "value": "ml"}]}),
    );
    trained(m, &model, "0.8", "0.82", true);
    m.post(
        "model-versions/set-tag",
        json!({"name": model, "version": "2", "key": "validation_status", "value": "passed"}),
    );
    let artifacts = m.experiment(&by_id).expect("experiment")["artifact_location"]
        .as_str()
        .expect("artifact location")
        .to_string();
    // The tracking URI from the environment this time: no provider block at all.
    dir.write(
        "main.hcl",
        &format!(
            r#"resource "mlflow_experiment" "by_id" {{
  name              = "{by_id}"
  artifact_location = "{artifacts}"
  tags              = {{ team = "growth" }}
}}
resource "mlflow_experiment" "by_name" {{
  name = "{by_name}"
}}
resource "mlflow_registered_model" "churn" {{
  name        = "{model}"
  description = "made by hand"
  tags        = {{ owner = "ml" }}
}}
resource "mlflow_model_alias" "champion" {{
  name    = "{model}"
  alias   = "champion"
  version = "1"
}}
resource "mlflow_model_version_tag" "validated" {{
  name    = "{model}"
  version = "2"
  key     = "validation_status"
  value   = "passed"
}}
"#
        ),
    );
    let env = [("MLFLOW_TRACKING_URI", m.uri.as_str())];
    let champion_id = format!("{model}/champion");
    let tag_id = format!("{model}/2/validation_status");
    for (addr, import_id) in [
        ("mlflow_experiment.by_id", id.as_str()),
        ("mlflow_experiment.by_name", by_name.as_str()),
        ("mlflow_registered_model.churn", model.as_str()),
        ("mlflow_model_alias.champion", champion_id.as_str()),
        ("mlflow_model_version_tag.validated", tag_id.as_str()),
    ] {
        run_env(m, &dir, &["import", addr, import_id], &env, 0);
    }
    let o = run_env(m, &dir, &["plan", "--detailed-exitcode"], &env, 0);
    assert!(stdout(&o).contains("No changes"), "{}", text(&o));
    let o = run_env(m, &dir, &["state", "show", "mlflow_experiment.by_name"], &env, 0);
    let shown = stdout(&o);
    let name_id = m.experiment(&by_name).expect("experiment")["experiment_id"]
        .as_str()
        .expect("id")
        .to_string();
    assert!(shown.contains(&name_id), "imported by name, its id in state:\n{shown}");

    // Importing what does not exist is a clear error naming it.
    dir.write(
        "more.hcl",
        &format!(
            "resource \"mlflow_model_alias\" \"ghost\" {{\n  name = \"{model}\"\n  alias = \"ghost\"\n  version = \"1\"\n}}\n"
        ),
    );
    let o = run_env(
        m,
        &dir,
        &["import", "mlflow_model_alias.ghost", &format!("{model}/ghost")],
        &env,
        1,
    );
    assert!(stderr(&o).contains("ghost"), "{}", text(&o));

    // The imported objects are now Plinth's: destroy removes them (experiments to the trash).
    dir.remove("more.hcl");
    run_env(m, &dir, &["destroy", "--auto-approve"], &env, 0);
    assert!(m.registered_model(&model).is_none());
    assert_eq!(m.experiment(&by_id).expect("trashed")["lifecycle_stage"], "deleted");
}

// ---------------------------------------------------------------------------------------------
// Drift.

#[test]
fn an_alias_moved_by_hand_is_drift_and_apply_moves_it_back() {
    let m = shared();
    let dir = Dir::new();
    let model = unique("drifting");
    trained(m, &model, "0.8", "0.82", false);
    apply(
        m,
        &dir,
        &format!(
            r#"resource "mlflow_model_alias" "production" {{
  name    = "{model}"
  alias   = "production"
  version = "1"
}}
"#
        ),
    );
    assert_eq!(m.alias(&model, "production").as_deref(), Some("1"));
    run(m, &dir, &["drift"], 0);

    // Someone moves it in the MLflow UI.
    m.set_alias(&model, "production", "2");
    let o = run(m, &dir, &["drift"], 2);
    let out = stdout(&o);
    assert!(out.contains("mlflow_model_alias.production"), "{}", text(&o));
    assert!(out.contains("version"), "the drifted attribute is named:\n{}", text(&o));
    let o = run(m, &dir, &["drift", "--json"], 2);
    let report: Json = serde_json::from_slice(&o.stdout).expect("drift json");
    let addrs: Vec<&str> = report["resources"]
        .as_array()
        .expect("resources")
        .iter()
        .filter_map(|r| r["address"].as_str())
        .collect();
    assert_eq!(addrs, ["mlflow_model_alias.production"], "{report}");

    // Apply moves it back.
    run(m, &dir, &["apply", "--auto-approve"], 0);
    assert_eq!(m.alias(&model, "production").as_deref(), Some("1"));
    run(m, &dir, &["drift"], 0);

    // Deleted by hand: gone, so the next apply sets it again.
    m.delete_alias(&model, "production");
    run(m, &dir, &["drift"], 2);
    run(m, &dir, &["apply", "--auto-approve"], 0);
    assert_eq!(m.alias(&model, "production").as_deref(), Some("1"));
}

// ---------------------------------------------------------------------------------------------
// The promotion gate.

/// The configuration of issue 15: promote the challenger to champion when its AUC beats the
/// champion's by 0.01.
fn promotion(model: &str) -> String {
    format!(
        r#"data "mlflow_model_version" "challenger" {{
  name  = "{model}"
  alias = "challenger"
}}
data "mlflow_model_version" "champion" {{
  name  = "{model}"
  alias = "champion"
}}
resource "mlflow_model_alias" "promote" {{
  name    = "{model}"
  alias   = "champion"
  version = data.mlflow_model_version.challenger.version
  lifecycle {{
    precondition {{
      condition = (data.mlflow_model_version.challenger.version == data.mlflow_model_version.champion.version
        || data.mlflow_model_version.challenger.metrics.auc >= data.mlflow_model_version.champion.metrics.auc + 0.01)
      error_message = "challenger AUC does not beat the champion by 0.01"
    }}
  }}
}}
output "served" {{
  value = data.mlflow_model_version.challenger.source
}}
output "challenger_run" {{
  value = data.mlflow_model_version.challenger.run_id
}}
"#
    )
}

#[test]
fn a_promotion_gate_that_passes_promotes_the_challenger_and_then_plans_clean() {
    let m = shared();
    let dir = Dir::new();
    let model = unique("gate-pass");
    let out = trained(m, &model, "0.81", "0.84", true);
    dir.write("main.hcl", &format!("{}{}", provider(m), promotion(&model)));
    let o = run(m, &dir, &["plan", "--detailed-exitcode"], 2);
    assert!(stdout(&o).contains("mlflow_model_alias.promote"), "{}", text(&o));
    run(m, &dir, &["apply", "--auto-approve"], 0);
    assert_eq!(m.alias(&model, "champion").as_deref(), Some("2"), "promoted");
    assert_eq!(m.alias(&model, "challenger").as_deref(), Some("2"));
    // The gate holds for the version already promoted: a re-plan is clean.
    let o = run(m, &dir, &["plan", "--detailed-exitcode"], 0);
    assert!(stdout(&o).contains("No changes"), "{}", text(&o));
    // The data source exposes the version's run and its files.
    let o = run(m, &dir, &["output", "challenger_run"], 0);
    assert_eq!(
        stdout(&o).trim().trim_matches('"'),
        out["runs"][1]["run_id"].as_str().expect("run id")
    );
    let o = run(m, &dir, &["output", "served"], 0);
    assert_eq!(
        stdout(&o).trim().trim_matches('"'),
        out["runs"][1]["source"].as_str().expect("source")
    );
}

#[test]
fn a_promotion_gate_that_blocks_fails_the_plan_naming_both_figures_and_changes_nothing() {
    let m = shared();
    let dir = Dir::new();
    let model = unique("gate-block");
    trained(m, &model, "0.83", "0.82", true);
    dir.write("main.hcl", &format!("{}{}", provider(m), promotion(&model)));
    let before = m.registered_model(&model).expect("model");
    for args in [&["plan"][..], &["apply", "--auto-approve"][..]] {
        let o = run(m, &dir, args, 1);
        let err = stderr(&o);
        assert!(
            err.contains("challenger AUC does not beat the champion by 0.01"),
            "{}",
            text(&o)
        );
        assert!(
            err.contains("mlflow_model_alias.promote"),
            "the error names the address:\n{err}"
        );
        for figure in [
            "data.mlflow_model_version.champion.metrics.auc is 0.83",
            "data.mlflow_model_version.challenger.metrics.auc is 0.82",
        ] {
            assert!(err.contains(figure), "the error shows {figure:?}:\n{err}");
        }
    }
    assert_eq!(m.alias(&model, "champion").as_deref(), Some("1"), "nothing promoted");
    assert_eq!(m.alias(&model, "challenger").as_deref(), Some("2"));
    let after = m.registered_model(&model).expect("model");
    assert_eq!(
        before["last_updated_timestamp"], after["last_updated_timestamp"],
        "nothing changed"
    );
    let o = run(m, &dir, &["state", "list"], 0);
    assert!(!stdout(&o).contains("promote"), "nothing recorded:\n{}", text(&o));
}

// ---------------------------------------------------------------------------------------------
// Errors.

#[test]
fn a_wrong_token_or_password_is_a_401_naming_the_provider_never_the_secret() {
    let m = Mlflow::start_with_auth();
    let dir = Dir::new();
    let name = unique("authed");
    let model = unique("authed-model");
    // A version to read (train.py logs in as the admin): planning the data source must call
    // the server, whatever the provider does at configure time.
    trained(&m, &model, "0.8", "0.82", false);
    let token = unique_secret("mlflowtoken");
    let password = unique_secret("mlflowpassword");
    let body = format!(
        r#"resource "mlflow_experiment" "e" {{
  name = "{name}"
}}
data "mlflow_model_version" "v1" {{
  name    = "{model}"
  version = "1"
}}
output "run_id" {{ value = data.mlflow_model_version.v1.run_id }}
"#
    );
    let with_token = format!(
        "provider \"mlflow\" {{\n  tracking_uri = \"{}\"\n  token = secret(\"env:PLINTH_TEST_MLFLOW_TOKEN\")\n}}\n{body}",
        m.uri
    );
    let with_password = format!(
        "provider \"mlflow\" {{\n  tracking_uri = \"{}\"\n  username = \"{ADMIN}\"\n  password = secret(\"env:PLINTH_TEST_MLFLOW_PASSWORD\")\n}}\n{body}",
        m.uri
    );
    let mut outputs: Vec<(String, Output)> = Vec::new();
    let mut refused = |what: &str, hcl: &str, args: &[&str], env: &[(&str, &str)]| {
        dir.write("main.hcl", hcl);
        let o = run_env(&m, &dir, args, env, 1);
        let err = stderr(&o);
        assert!(err.contains("mlflow"), "{what}: the error names the provider:\n{err}");
        assert!(
            err.contains("401") || err.to_lowercase().contains("auth") || err.contains("token"),
            "{what}: the error says why:\n{err}"
        );
        outputs.push((what.to_string(), o));
    };
    // A bearer token, from secret(...) and from MLflow's own MLFLOW_TRACKING_TOKEN: MLflow's
    // basic-auth app refuses it.
    let env_token = [("PLINTH_TEST_MLFLOW_TOKEN", token.as_str())];
    refused("plan with a wrong token", &with_token, &["plan"], &env_token);
    refused(
        "apply with a wrong token",
        &with_token,
        &["apply", "--auto-approve"],
        &env_token,
    );
    let plain = format!("{}{body}", provider(&m));
    refused(
        "plan with MLFLOW_TRACKING_TOKEN",
        &plain,
        &["plan"],
        &[("MLFLOW_TRACKING_TOKEN", token.as_str())],
    );
    // A wrong password.
    let env_password = [("PLINTH_TEST_MLFLOW_PASSWORD", password.as_str())];
    refused("plan with a wrong password", &with_password, &["plan"], &env_password);
    refused(
        "apply with a wrong password",
        &with_password,
        &["apply", "--auto-approve"],
        &env_password,
    );
    assert!(
        m.experiment(&name).is_none(),
        "nothing created without the right credentials"
    );

    // The right password works, and is not written anywhere either.
    dir.write("main.hcl", &with_password);
    let right = [("PLINTH_TEST_MLFLOW_PASSWORD", ADMIN_PASSWORD)];
    outputs.push((
        "apply with the right password".into(),
        run_env(&m, &dir, &["apply", "--auto-approve"], &right, 0),
    ));
    assert!(m.experiment(&name).is_some(), "created with the right password");
    outputs.push((
        "plan with the right password".into(),
        run_env(&m, &dir, &["plan", "--detailed-exitcode"], &right, 0),
    ));
    // MLflow's own variables work the same way.
    dir.write("main.hcl", &plain);
    run_env(
        &m,
        &dir,
        &["plan", "--detailed-exitcode"],
        &[
            ("MLFLOW_TRACKING_USERNAME", ADMIN),
            ("MLFLOW_TRACKING_PASSWORD", ADMIN_PASSWORD),
        ],
        0,
    );

    let secrets = [token.as_str(), password.as_str(), ADMIN_PASSWORD];
    for (what, o) in &outputs {
        assert_clean(&format!("the output of {what}"), &o.stdout, &secrets);
        assert_clean(&format!("the output of {what}"), &o.stderr, &secrets);
    }
    for f in files_under(&dir.join(".plinth")) {
        let bytes = std::fs::read(&f).expect("read state file");
        assert_clean(&f.display().to_string(), &bytes, &secrets);
    }
}

#[test]
fn a_stopped_server_is_an_error_naming_its_uri_and_leaves_no_process() {
    let mut m = Mlflow::start();
    let dir = Dir::new();
    let name = unique("stopped");
    apply(
        &m,
        &dir,
        &format!("resource \"mlflow_experiment\" \"e\" {{\n  name = \"{name}\"\n}}\n"),
    );
    let pgid = m.pgid();
    m.stop();
    assert!(group_members(pgid).is_empty(), "no process of the server is left");
    for args in [&["plan"][..], &["drift"][..]] {
        let o = run(&m, &dir, args, 1);
        let err = stderr(&o);
        assert!(err.contains(&m.uri), "the error names the URI {}:\n{err}", m.uri);
    }
    // A tracking URI that is not a server is refused up front.
    dir.write(
        "main.hcl",
        &format!(
            "provider \"mlflow\" {{\n  tracking_uri = \"sqlite:///mlflow.db\"\n}}\nresource \"mlflow_experiment\" \"e\" {{\n  name = \"{name}\"\n}}\n"
        ),
    );
    let o = run(&m, &dir, &["plan"], 1);
    assert!(stderr(&o).contains("mlflow"), "{}", text(&o));
}

#[test]
fn a_missing_model_or_alias_in_the_data_source_is_an_error_naming_it() {
    let m = shared();
    let dir = Dir::new();
    let model = unique("lonely");
    trained(m, &model, "0.8", "0.82", false);
    dir.write(
        "main.hcl",
        &format!(
            r#"{}data "mlflow_model_version" "champion" {{
  name  = "{model}"
  alias = "champion"
}}
output "v" {{ value = data.mlflow_model_version.champion.version }}
"#,
            provider(m)
        ),
    );
    let o = run(m, &dir, &["plan"], 1);
    let err = stderr(&o);
    assert!(err.contains(&model) && err.contains("champion"), "{err}");
    let ghost = unique("ghost-model");
    dir.write(
        "main.hcl",
        &format!(
            "{}data \"mlflow_model_version\" \"v\" {{\n  name = \"{ghost}\"\n  version = \"1\"\n}}\n",
            provider(m)
        ),
    );
    let o = run(m, &dir, &["plan"], 1);
    assert!(stderr(&o).contains(&ghost), "{}", text(&o));
}

// ---------------------------------------------------------------------------------------------
// The example.

#[test]
fn the_model_promotion_example_runs_as_its_readme_says() {
    let m = shared();
    let dir = Dir::new();
    copy_dir(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/model-promotion"),
        dir.path(),
    );
    // The example names its model `churn`: on the shared server, only this test uses that name.
    let env = [("MLFLOW_TRACKING_URI", m.uri.as_str())];
    let step = |args: &[&str], want: i32| run_env(m, &dir, args, &env, want);
    let train = |args: &[&str]| {
        let mut all = vec!["--experiment", "churn-training", "--model", "churn"];
        all.extend_from_slice(args);
        m.train(&all)
    };
    let output = |name: &str| stdout(&step(&["output", name], 0)).trim().trim_matches('"').to_string();
    step(&["validate"], 0);
    let o = run_env(m, &dir, &["-C", "serving", "validate"], &env, 0);
    assert!(stdout(&o).contains("valid"), "{}", text(&o));

    // The experiment and the model, before any training.
    let targets = [
        "apply",
        "--auto-approve",
        "--target",
        "mlflow_experiment.training",
        "--target",
        "mlflow_registered_model.churn",
    ];
    step(&targets, 0);
    assert_eq!(
        m.experiment("churn-training").expect("experiment")["lifecycle_stage"],
        "active"
    );
    let rm = m.registered_model("churn").expect("model");
    assert_eq!(rm["description"], "Predicts which customers cancel within 30 days.");

    // Training: v1 (0.81) champion, v2 (0.84) challenger. Promote.
    let first = train(&["--champion-auc", "0.81", "--challenger-auc", "0.84"]);
    let o = step(&["plan"], 0);
    assert!(stdout(&o).contains("mlflow_model_alias.champion"), "{}", text(&o));
    step(&["apply", "--auto-approve"], 0);
    assert_eq!(m.alias("churn", "champion").as_deref(), Some("2"));
    assert_eq!(output("champion_version"), "2");
    assert_eq!(
        output("challenger_source"),
        first["runs"][1]["source"].as_str().expect("source")
    );
    let v2 = m.model_version("churn", "2").expect("v2");
    assert!(
        tags(&v2["tags"]).contains(&("promoted_by".to_string(), "plinth".to_string())),
        "{v2}"
    );
    let o = step(&["plan", "--detailed-exitcode"], 0);
    assert!(stdout(&o).contains("No changes"), "{}", text(&o));

    // A retraining that is not good enough: blocked, naming both figures.
    train(&["--challenger-only", "--challenger-auc", "0.845"]);
    let o = step(&["plan"], 1);
    let err = stderr(&o);
    assert!(
        err.contains("challenger AUC does not beat the champion by 0.01"),
        "{}",
        text(&o)
    );
    assert!(err.contains("challenger.metrics.auc is 0.845"), "{err}");
    assert!(err.contains("champion.metrics.auc is 0.84\n"), "{err}");
    assert_eq!(m.alias("churn", "champion").as_deref(), Some("2"));

    // A better one: promoted.
    train(&["--challenger-only", "--challenger-auc", "0.86"]);
    step(&["apply", "--auto-approve"], 0);
    assert_eq!(m.alias("churn", "champion").as_deref(), Some("4"));
    assert_eq!(output("champion_version"), "4");

    // Moved back by hand: drift; apply repairs.
    m.set_alias("churn", "champion", "1");
    let o = step(&["drift"], 2);
    assert!(stdout(&o).contains("mlflow_model_alias.champion"), "{}", text(&o));
    step(&["apply", "--auto-approve"], 0);
    assert_eq!(m.alias("churn", "champion").as_deref(), Some("4"));
    step(&["plan", "--detailed-exitcode"], 0);

    // Clean up: the model and its versions go, the experiment to the trash.
    step(&["destroy", "--auto-approve"], 0);
    assert!(m.registered_model("churn").is_none());
    assert_eq!(
        m.experiment("churn-training").expect("trashed")["lifecycle_stage"],
        "deleted"
    );
}
