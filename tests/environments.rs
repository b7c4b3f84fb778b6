//! End-to-end tests of environments (`plinth env list|new|select|delete|clone`, `-e`,
//! `PLINTH_ENV`, `env.name`) and of `examples/staging-clone`: each runs the real binary in a
//! temporary directory with the local provider.

mod support;

use std::collections::BTreeMap;
use std::path::Path;

use serde_json::Value as Json;
use support::cli::{Dir, copy_dir, expect_code, json, ok, stderr, stdout, user_error};

// ---------------------------------------------------------------------------------------------
// Helpers

impl Dir {
    /// `plinth -e ENV state list`.
    fn state_list(&self, env: &str) -> Vec<String> {
        let o = ok(self.run(&["-e", env, "state", "list"]));
        stdout(&o).lines().map(str::to_string).collect()
    }

    /// The bytes of every file of an environment's directory (the lock file aside, which only
    /// ever holds who is running).
    fn env_files(&self, env: &str) -> BTreeMap<String, Vec<u8>> {
        let dir = self.join(&format!(".plinth/env/{env}"));
        let mut out = BTreeMap::new();
        for e in std::fs::read_dir(&dir).unwrap_or_else(|e| panic!("{}: {e}", dir.display())) {
            let e = e.expect("entry");
            let name = e.file_name().to_string_lossy().into_owned();
            if name != "lock" && e.path().is_file() {
                out.insert(name, std::fs::read(e.path()).expect("read"));
            }
        }
        out
    }

    /// A remembered-values file as JSON.
    fn vars_json(&self, env: &str) -> Json {
        serde_json::from_str(&self.read(&format!(".plinth/env/{env}/vars.json"))).expect("vars.json is JSON")
    }

    /// `plinth env list` as (marked, name, rest-of-line) rows.
    fn env_list(&self, args: &[&str], env: &[(&str, &str)]) -> Vec<(bool, String, String)> {
        let mut full = args.to_vec();
        full.extend(["env", "list"]);
        let o = ok(self.run_env(&full, env));
        stdout(&o)
            .lines()
            .map(|l| {
                let marked = l.starts_with('*');
                let rest = l[1..].trim();
                let (name, tail) = rest.split_once(' ').unwrap_or((rest, ""));
                (marked, name.to_string(), tail.trim().to_string())
            })
            .collect()
    }

    /// The one environment `env list` marks.
    fn marked(&self, args: &[&str], env: &[(&str, &str)]) -> String {
        let marked: Vec<String> = self
            .env_list(args, env)
            .into_iter()
            .filter(|(m, _, _)| *m)
            .map(|(_, n, _)| n)
            .collect();
        assert_eq!(marked.len(), 1, "{marked:?}");
        marked[0].clone()
    }

    /// The environment a command acts on, as `drift --json` reports it.
    fn acting_env(&self, args: &[&str], env: &[(&str, &str)]) -> String {
        let mut full = args.to_vec();
        full.extend(["drift", "--json"]);
        let report = json(&ok(self.run_env(&full, env)));
        report["environment"].as_str().expect("environment").to_string()
    }
}

// ---------------------------------------------------------------------------------------------
// A platform whose names derive from env.name

const PLATFORM: &str = r#"
variable "gpu_count" {
  type    = number
  default = 8
}

variable "team" {
  type    = string
  default = "ml"
}

variable "api_key" {
  type      = string
  sensitive = true
  default   = "dev-key-not-secret"
}

resource "local_file" "workload" {
  path    = "sandbox/${env.name}/workload.yaml"
  content = "env: ${env.name}\nteam: ${var.team}\ngpus: ${var.gpu_count}\n"
}

resource "local_file" "creds" {
  path              = "sandbox/${env.name}/creds.env"
  sensitive_content = "API_KEY=${var.api_key}\n"
  file_permission   = "0600"
}

resource "local_value" "tag" {
  input = "${env.name}-${var.team}"
}

output "tag" {
  value = local_value.tag.output
}
"#;

/// [`PLATFORM`] with `prod` created (`gpu_count=4`, `team=platform`), selected and applied.
fn applied_prod() -> Dir {
    let d = Dir::with(PLATFORM);
    let o = ok(d.run(&["env", "new", "prod", "--var", "gpu_count=4", "--var", "team=platform"]));
    assert!(
        stdout(&o).contains("Created and selected environment \"prod\"."),
        "{}",
        stdout(&o)
    );
    let o = ok(d.run(&["apply", "--auto-approve"]));
    assert!(
        stdout(&o).contains("Apply complete! Resources: 3 added"),
        "{}",
        stdout(&o)
    );
    assert_eq!(
        d.read("sandbox/prod/workload.yaml"),
        "env: prod\nteam: platform\ngpus: 4\n"
    );
    d
}

#[test]
fn clone_prod_to_staging_with_a_smaller_gpu_count() {
    let d = applied_prod();
    let prod_before = d.env_files("prod");
    assert!(prod_before.contains_key("state.json"), "{:?}", prod_before.keys());
    let prod_workload = d.read("sandbox/prod/workload.yaml");

    // The clone prints the plan that would create staging, and creates nothing yet.
    let o = ok(d.run(&["env", "clone", "prod", "staging", "--var", "gpu_count=1"]));
    let out = stdout(&o);
    assert!(out.contains("Created environment \"staging\" from \"prod\""), "{out}");
    assert!(out.contains("# local_file.workload will be created"), "{out}");
    assert!(out.contains("\"sandbox/staging/workload.yaml\""), "{out}");
    assert!(out.contains("gpus: 1"), "{out}");
    assert!(out.contains("Plan: 3 to add, 0 to change, 0 to destroy."), "{out}");
    assert!(out.contains("plinth -e staging apply"), "{out}");
    assert!(!d.exists("sandbox/staging"));
    assert!(d.state_list("staging").is_empty());
    assert_eq!(
        d.vars_json("staging"),
        serde_json::json!({ "gpu_count": 1, "team": "platform" })
    );
    assert_eq!(d.env_files("prod"), prod_before, "the clone changed prod");

    // prod stays selected; staging is listed as a clone.
    let list = d.env_list(&[], &[]);
    assert!(list.contains(&(true, "prod".into(), String::new())), "{list:?}");
    assert!(
        list.contains(&(false, "staging".into(), "(cloned from prod)".into())),
        "{list:?}"
    );

    // No --var: the override given at clone time is part of staging.
    let o = ok(d.run(&["-e", "staging", "apply", "--auto-approve"]));
    assert!(
        stdout(&o).contains("Apply complete! Resources: 3 added, 0 changed, 0 destroyed."),
        "{}",
        stdout(&o)
    );
    assert_eq!(
        d.read("sandbox/staging/workload.yaml"),
        "env: staging\nteam: platform\ngpus: 1\n"
    );
    assert_eq!(d.read("sandbox/staging/creds.env"), "API_KEY=dev-key-not-secret\n");
    let o = ok(d.run(&["-e", "staging", "output", "tag"]));
    assert_eq!(stdout(&o).trim(), "\"staging-platform\"");

    // prod is untouched, byte for byte, and both environments plan clean.
    assert_eq!(d.env_files("prod"), prod_before, "applying staging changed prod");
    assert_eq!(d.read("sandbox/prod/workload.yaml"), prod_workload);
    ok(d.run(&["-e", "prod", "plan", "--detailed-exitcode"]));
    ok(d.run(&["-e", "staging", "plan", "--detailed-exitcode"]));
    assert_eq!(
        d.state_list("prod"),
        ["local_file.creds", "local_file.workload", "local_value.tag"]
    );
    assert_eq!(d.state_list("staging"), d.state_list("prod"));
    assert_eq!(d.marked(&[], &[]), "prod");
}

#[test]
fn env_new_remembers_its_variables() {
    let d = applied_prod();
    assert_eq!(
        d.vars_json("prod"),
        serde_json::json!({ "gpu_count": 4, "team": "platform" })
    );
    // No --var needed after `env new`.
    ok(d.run(&["plan", "--detailed-exitcode"]));
    // A --var on the command line wins for that run.
    let o = d.run(&["plan", "--detailed-exitcode", "--var", "gpu_count=2"]);
    expect_code(&o, 2);
    assert!(stdout(&o).contains("gpus: 2"), "{}", stdout(&o));
    // ... and is not remembered.
    ok(d.run(&["plan", "--detailed-exitcode"]));
    // An existing environment cannot be made again.
    let err = user_error(&d.run(&["env", "new", "prod"]));
    assert!(err.contains("already exists"), "{err}");
}

#[test]
fn env_list_select_and_the_precedence_of_dash_e_and_plinth_env() {
    let d = Dir::with(PLATFORM);
    // Nothing created yet: only default, selected.
    assert_eq!(d.env_list(&[], &[]), [(true, "default".into(), String::new())]);
    assert_eq!(d.acting_env(&[], &[]), "default");

    ok(d.run(&["env", "new", "prod"]));
    ok(d.run(&["env", "new", "dev"]));
    // `env new` selects the new environment.
    assert_eq!(d.marked(&[], &[]), "dev");
    let names: Vec<String> = d.env_list(&[], &[]).into_iter().map(|(_, n, _)| n).collect();
    for name in ["default", "dev", "prod"] {
        assert!(names.contains(&name.to_string()), "{names:?}");
    }

    let o = ok(d.run(&["env", "select", "prod"]));
    assert!(stdout(&o).contains("Selected environment \"prod\"."), "{}", stdout(&o));
    assert_eq!(d.read(".plinth/environment").trim(), "prod");

    // Selected < PLINTH_ENV < -e, both for what `env list` marks and what a command acts on.
    assert_eq!(d.marked(&[], &[]), "prod");
    assert_eq!(d.acting_env(&[], &[]), "prod");
    assert_eq!(d.marked(&[], &[("PLINTH_ENV", "dev")]), "dev");
    assert_eq!(d.acting_env(&[], &[("PLINTH_ENV", "dev")]), "dev");
    assert_eq!(d.marked(&["-e", "default"], &[("PLINTH_ENV", "dev")]), "default");
    assert_eq!(d.acting_env(&["-e", "default"], &[("PLINTH_ENV", "dev")]), "default");
    assert_eq!(d.acting_env(&["--env", "dev"], &[]), "dev");
    // An empty PLINTH_ENV counts as unset.
    assert_eq!(d.marked(&[], &[("PLINTH_ENV", "")]), "prod");
    assert_eq!(d.acting_env(&[], &[("PLINTH_ENV", "")]), "prod");

    // env.name is the environment of the command.
    ok(d.run_env(&["apply", "--auto-approve"], &[("PLINTH_ENV", "dev")]));
    assert!(d.read("sandbox/dev/workload.yaml").starts_with("env: dev\n"));
    assert!(!d.exists("sandbox/prod"));
    ok(d.run(&["apply", "--auto-approve"]));
    assert!(d.read("sandbox/prod/workload.yaml").starts_with("env: prod\n"));
    assert!(!d.exists("sandbox/default"));
    assert_eq!(d.state_list("default"), Vec::<String>::new());

    let err = user_error(&d.run(&["env", "select", "nope"]));
    assert!(err.contains("environment \"nope\" does not exist"), "{err}");
    assert_eq!(d.read(".plinth/environment").trim(), "prod");
    ok(d.run(&["env", "select", "default"]));
    assert_eq!(d.marked(&[], &[]), "default");
}

#[test]
fn a_typo_in_the_environment_name_is_an_error() {
    let d = applied_prod();
    let prod_before = d.env_files("prod");
    for (args, env) in [
        (&["-e", "typo", "plan"][..], &[][..]),
        (&["-e", "typo", "apply", "--auto-approve"], &[]),
        (&["-e", "typo", "drift"], &[]),
        (&["plan"], &[("PLINTH_ENV", "typo")]),
    ] {
        let o = d.run_env(args, env);
        let err = user_error(&o);
        assert!(err.contains("environment \"typo\" does not exist"), "{err}");
        assert!(err.contains("plinth env new typo"), "{err}");
        assert!(!stdout(&o).contains("will be created"), "{}", stdout(&o));
    }
    assert!(!d.exists(".plinth/env/typo"));
    assert!(!d.exists("sandbox/typo"));
    assert_eq!(d.env_files("prod"), prod_before);
    let names: Vec<String> = d.env_list(&[], &[]).into_iter().map(|(_, n, _)| n).collect();
    assert!(!names.contains(&"typo".to_string()), "{names:?}");

    let err = user_error(&d.run(&["env", "new", "-bad"]));
    assert!(!err.is_empty());
    let err = user_error(&d.run(&["env", "new", "a/b"]));
    assert!(!err.is_empty());
}

#[test]
fn env_delete_refuses_while_resources_exist_unless_forced() {
    let d = applied_prod();
    ok(d.run(&["env", "clone", "prod", "staging", "--var", "gpu_count=1"]));
    ok(d.run(&["-e", "staging", "apply", "--auto-approve"]));
    ok(d.run(&["env", "select", "staging"]));

    let err = user_error(&d.run(&["env", "delete", "staging"]));
    assert!(err.contains("still manages 3 resource instance(s)"), "{err}");
    assert!(err.contains("--force"), "{err}");
    assert!(d.exists(".plinth/env/staging/state.json"));
    assert_eq!(d.state_list("staging").len(), 3);

    let o = ok(d.run(&["env", "delete", "staging", "--force"]));
    assert!(
        stdout(&o).contains("Deleted environment \"staging\"."),
        "{}",
        stdout(&o)
    );
    assert!(!d.exists(".plinth/env/staging"));
    // Its objects keep running; they are only forgotten.
    assert!(d.exists("sandbox/staging/workload.yaml"));
    // It was selected: the selection falls back to default.
    assert_eq!(d.marked(&[], &[]), "default");
    let names: Vec<String> = d.env_list(&[], &[]).into_iter().map(|(_, n, _)| n).collect();
    assert!(!names.contains(&"staging".to_string()), "{names:?}");
    // prod is untouched.
    assert_eq!(d.state_list("prod").len(), 3);

    // An environment that manages nothing is deleted without --force.
    ok(d.run(&["env", "new", "scratch"]));
    ok(d.run(&["env", "delete", "scratch"]));
    assert!(!d.exists(".plinth/env/scratch"));

    let err = user_error(&d.run(&["env", "delete", "default"]));
    assert!(err.contains("default"), "{err}");
    let err = user_error(&d.run(&["env", "delete", "nope"]));
    assert!(err.contains("does not exist"), "{err}");
}

#[test]
fn destroy_then_delete_needs_no_force() {
    let d = applied_prod();
    ok(d.run(&["env", "clone", "prod", "staging"]));
    ok(d.run(&["-e", "staging", "apply", "--auto-approve"]));
    let prod_before = d.env_files("prod");
    ok(d.run(&["-e", "staging", "destroy", "--auto-approve"]));
    assert!(!d.exists("sandbox/staging/workload.yaml"));
    ok(d.run(&["env", "delete", "staging"]));
    assert_eq!(d.env_files("prod"), prod_before);
    assert!(d.exists("sandbox/prod/workload.yaml"));
}

#[test]
fn clone_refuses_an_unknown_source_and_an_existing_destination() {
    let d = applied_prod();
    let err = user_error(&d.run(&["env", "clone", "nope", "staging"]));
    assert!(err.contains("\"nope\" does not exist"), "{err}");
    assert!(!d.exists(".plinth/env/staging"));

    ok(d.run(&["env", "new", "qa"]));
    let err = user_error(&d.run(&["env", "clone", "prod", "qa"]));
    assert!(err.contains("already exists"), "{err}");
    let err = user_error(&d.run(&["env", "clone", "prod", "prod"]));
    assert!(!err.is_empty());

    // A bad override leaves nothing half-made behind.
    let err = user_error(&d.run(&["env", "clone", "prod", "staging", "--var", "gpu_count=many"]));
    assert!(err.contains("gpu_count"), "{err}");
    assert!(!d.exists(".plinth/env/staging"));
}

#[test]
fn sensitive_variables_are_not_remembered_nor_copied() {
    const PROD_KEY: &str = "prod-key-0b7f1e";
    const STAGING_KEY: &str = "staging-key-9c2d4a";
    let d = Dir::with(PLATFORM);
    let o = ok(d.run(&[
        "env",
        "new",
        "prod",
        "--var",
        "gpu_count=4",
        "--var",
        &format!("api_key={PROD_KEY}"),
    ]));
    assert!(
        stderr(&o).contains("Not remembering sensitive variable \"api_key\""),
        "{}",
        stderr(&o)
    );
    assert_eq!(d.vars_json("prod"), serde_json::json!({ "gpu_count": 4 }));
    ok(d.run_env(&["apply", "--auto-approve"], &[("PLINTH_VAR_api_key", PROD_KEY)]));
    assert_eq!(d.read("sandbox/prod/creds.env"), format!("API_KEY={PROD_KEY}\n"));

    // Even a value someone wrote into prod's file by hand is not copied.
    d.write(
        ".plinth/env/prod/vars.json",
        &format!("{{\n  \"gpu_count\": 4,\n  \"api_key\": \"{PROD_KEY}\"\n}}\n"),
    );
    let o = ok(d.run(&[
        "env",
        "clone",
        "prod",
        "staging",
        "--var",
        "gpu_count=1",
        "--var",
        &format!("api_key={STAGING_KEY}"),
    ]));
    assert!(
        stdout(&o).contains("Sensitive variable \"api_key\" was not copied"),
        "{}",
        stdout(&o)
    );
    assert!(!stdout(&o).contains(STAGING_KEY) && !stdout(&o).contains(PROD_KEY));
    assert_eq!(d.vars_json("staging"), serde_json::json!({ "gpu_count": 1 }));
    for (name, bytes) in d.env_files("staging") {
        let text = String::from_utf8_lossy(&bytes);
        assert!(
            !text.contains(STAGING_KEY) && !text.contains(PROD_KEY),
            "{name} holds a secret:\n{text}"
        );
    }

    // staging resolves it again from its source.
    ok(d.run_env(
        &["-e", "staging", "apply", "--auto-approve"],
        &[("PLINTH_VAR_api_key", STAGING_KEY)],
    ));
    assert_eq!(d.read("sandbox/staging/creds.env"), format!("API_KEY={STAGING_KEY}\n"));
    assert!(d.read("sandbox/staging/workload.yaml").contains("gpus: 1"));
}

// ---------------------------------------------------------------------------------------------
// The clone guard

/// `shared` has the same path in every environment; `own` derives its path from env.name.
const SHARED_NAME: &str = r#"
variable "gpu_count" {
  type    = number
  default = 8
}

resource "local_file" "shared" {
  path    = "sandbox/workload.yaml"
  content = "gpus: ${var.gpu_count}\n"
}

resource "local_file" "own" {
  path    = "sandbox/${env.name}/own.txt"
  content = "own\n"
}
"#;

fn applied_prod_with_a_shared_name() -> Dir {
    let d = Dir::with(SHARED_NAME);
    ok(d.run(&["env", "new", "prod"]));
    ok(d.run(&["apply", "--auto-approve"]));
    assert_eq!(d.read("sandbox/workload.yaml"), "gpus: 8\n");
    d
}

#[test]
fn the_clone_guard_refuses_a_name_shared_with_the_source() {
    let d = applied_prod_with_a_shared_name();
    let prod_before = d.env_files("prod");

    // The clone is created, but says it cannot be applied, naming the colliding address.
    let o = d.run(&["env", "clone", "prod", "staging", "--var", "gpu_count=1"]);
    let err = user_error(&o);
    assert!(
        err.contains(
            "local_file.shared in environment \"staging\" would manage the same object as local_file.shared in \"prod\""
        ),
        "{err}"
    );
    assert!(err.contains("path = \"sandbox/workload.yaml\""), "{err}");
    assert!(err.contains("--allow-shared local_file.shared"), "{err}");
    assert!(!err.contains("local_file.own"), "{err}");
    assert!(stdout(&o).contains("Created environment \"staging\""), "{}", stdout(&o));
    let names: Vec<String> = d.env_list(&[], &[]).into_iter().map(|(_, n, _)| n).collect();
    assert!(names.contains(&"staging".to_string()), "{names:?}");

    // Applying it is refused, and creates nothing: not even the resource that did not collide.
    let err = user_error(&d.run(&["-e", "staging", "apply", "--auto-approve"]));
    assert!(err.contains("local_file.shared"), "{err}");
    assert!(err.contains("would manage the same object"), "{err}");
    assert_eq!(d.read("sandbox/workload.yaml"), "gpus: 8\n");
    assert!(!d.exists("sandbox/staging"));
    assert!(d.state_list("staging").is_empty());
    let err = user_error(&d.run(&["-e", "staging", "plan"]));
    assert!(err.contains("local_file.shared"), "{err}");
    // A saved plan is refused as well.
    let o = d.run(&["-e", "staging", "plan", "--out", "staging.json"]);
    user_error(&o);
    if d.exists("staging.json") {
        let err = user_error(&d.run(&["-e", "staging", "apply", "staging.json"]));
        assert!(err.contains("local_file.shared"), "{err}");
    }
    assert_eq!(d.read("sandbox/workload.yaml"), "gpus: 8\n");
    assert!(!d.exists("sandbox/staging"));

    assert_eq!(d.env_files("prod"), prod_before);
    ok(d.run(&["-e", "prod", "plan", "--detailed-exitcode"]));
}

#[test]
fn allow_shared_at_clone_time_lets_a_deliberate_share_through() {
    let d = applied_prod_with_a_shared_name();
    let prod_before = d.env_files("prod");

    let o = ok(d.run(&["env", "clone", "prod", "staging", "--allow-shared", "local_file.shared"]));
    assert!(stdout(&o).contains("Plan: 2 to add"), "{}", stdout(&o));
    let meta: Json = serde_json::from_str(&d.read(".plinth/env/staging/env.json")).expect("env.json");
    assert_eq!(
        meta,
        serde_json::json!({ "cloned_from": "prod", "allow_shared": ["local_file.shared"] })
    );

    ok(d.run(&["-e", "staging", "apply", "--auto-approve"]));
    assert_eq!(d.state_list("staging"), ["local_file.own", "local_file.shared"]);
    assert_eq!(d.read("sandbox/staging/own.txt"), "own\n");
    assert_eq!(d.read("sandbox/workload.yaml"), "gpus: 8\n");
    ok(d.run(&["-e", "staging", "plan", "--detailed-exitcode"]));
    ok(d.run(&["-e", "prod", "plan", "--detailed-exitcode"]));
    assert_eq!(d.env_files("prod"), prod_before);
}

// ---------------------------------------------------------------------------------------------
// examples/staging-clone

/// The `plinth ...` lines of the README's ```sh blocks, in order, as argument lists.
fn readme_commands(readme: &str) -> Vec<Vec<String>> {
    let mut out = Vec::new();
    let mut in_sh = false;
    for line in readme.lines() {
        let t = line.trim();
        if t.starts_with("```") {
            in_sh = !in_sh && t == "```sh";
            continue;
        }
        if !in_sh {
            continue;
        }
        let cmd = t.split(" #").next().unwrap_or(t).trim();
        if let Some(rest) = cmd.strip_prefix("plinth ") {
            assert!(
                !rest.contains(['"', '\'', '$', '|', '>', '<', '&', ';']),
                "the test runs README commands without a shell: {cmd}"
            );
            out.push(rest.split_whitespace().map(str::to_string).collect());
        }
    }
    out
}

#[test]
fn the_staging_clone_example_works_as_its_readme_says() {
    let example = Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/staging-clone");
    let readme = std::fs::read_to_string(example.join("README.md")).expect("README.md");
    let commands = readme_commands(&readme);
    let d = Dir::new();
    copy_dir(&example, d.path());

    // The walk-through the README promises, in this order.
    let lines: Vec<String> = commands.iter().map(|c| c.join(" ")).collect();
    let position = |want: &str| {
        lines
            .iter()
            .position(|l| l == want)
            .unwrap_or_else(|| panic!("the README does not run `plinth {want}`: {lines:#?}"))
    };
    let steps = [
        position("env new prod --var gpu_count=8"),
        position("apply --auto-approve"),
        position("env clone prod staging --var gpu_count=1"),
        position("-e staging apply --auto-approve"),
        position("-e prod plan --detailed-exitcode"),
        position("-e staging plan --detailed-exitcode"),
        position("-e staging destroy --auto-approve"),
        position("env delete staging"),
    ];
    assert!(steps.windows(2).all(|w| w[0] < w[1]), "{lines:#?}");

    let train = |env: &str| format!("sandbox/{env}/training/churn-train.yaml");
    let mut prod_state: Option<Vec<u8>> = None;
    for (i, args) in commands.iter().enumerate() {
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        let o = d.run(&args);
        expect_code(&o, 0);
        let line = args.join(" ");
        match line.as_str() {
            "apply --auto-approve" => {
                let spec = d.read(&train("prod"));
                assert!(spec.contains("\"gpu_count\": 8"), "{spec}");
                assert!(spec.contains("\"job\": \"churn-train-prod\""), "{spec}");
                prod_state = Some(std::fs::read(d.join(".plinth/env/prod/state.json")).expect("prod state"));
            }
            "env clone prod staging --var gpu_count=1" => {
                assert!(
                    stdout(&o).contains("Plan: 3 to add, 0 to change, 0 to destroy."),
                    "{}",
                    stdout(&o)
                );
                assert!(!d.exists("sandbox/staging"));
            }
            "-e staging apply --auto-approve" => {
                let spec = d.read(&train("staging"));
                assert!(spec.contains("\"gpu_count\": 1"), "{spec}");
                assert!(spec.contains("\"job\": \"churn-train-staging\""), "{spec}");
                assert!(spec.contains("./sandbox/staging/features.db#churn_customers"), "{spec}");
                assert!(d.exists("sandbox/staging/registry/index.json"));
                assert!(d.read(&train("prod")).contains("\"gpu_count\": 8"));
            }
            "env list" => {
                assert!(stdout(&o).contains("* prod"), "{}", stdout(&o));
                assert!(stdout(&o).contains("staging  (cloned from prod)"), "{}", stdout(&o));
            }
            "-e staging output gpu_count" => assert_eq!(stdout(&o).trim(), "1"),
            "-e staging destroy --auto-approve" => assert!(!d.exists(&train("staging"))),
            _ => {}
        }
        if i > steps[1] {
            assert_eq!(
                std::fs::read(d.join(".plinth/env/prod/state.json")).ok(),
                prod_state,
                "`plinth {line}` changed prod's state"
            );
        }
    }
    assert!(!d.exists(".plinth/env/staging"));
    assert!(d.read(&train("prod")).contains("\"gpu_count\": 8"));
    ok(d.run(&["-e", "prod", "plan", "--detailed-exitcode"]));
}
