//! End-to-end tests of `plinth drift` and of saved plans (`plan --out`, `show`, `apply PLANFILE`):
//! each runs the real binary in a temporary directory with the local provider, changes files by
//! hand where a person would, and checks exit codes, output, and what is on disk and in the state.

mod support;

use std::collections::BTreeMap;
use std::path::Path;

use serde_json::Value as Json;
use support::cli::{Dir, expect_code, json, ok, stderr, stdout, user_error};

// ---------------------------------------------------------------------------------------------
// Helpers

impl Dir {
    fn state_list(&self) -> Vec<String> {
        let o = ok(self.run(&["state", "list"]));
        stdout(&o).lines().map(str::to_string).collect()
    }

    /// The bytes of every state file of the default environment (the lock file aside, which only
    /// ever holds who is running).
    fn state_files(&self) -> BTreeMap<String, Vec<u8>> {
        files_under(&self.join(".plinth/env/default"))
            .into_iter()
            .filter(|(name, _)| name != "lock")
            .collect()
    }

    /// Every file under `dir` (relative name -> bytes).
    fn files(&self, dir: &str) -> BTreeMap<String, Vec<u8>> {
        files_under(&self.join(dir))
    }
}

fn files_under(root: &Path) -> BTreeMap<String, Vec<u8>> {
    fn walk(root: &Path, dir: &Path, out: &mut BTreeMap<String, Vec<u8>>) {
        let Ok(entries) = std::fs::read_dir(dir) else {
            return;
        };
        for e in entries {
            let path = e.expect("entry").path();
            if path.is_dir() {
                walk(root, &path, out);
            } else {
                let name = path.strip_prefix(root).expect("prefix").to_string_lossy().into_owned();
                out.insert(name, std::fs::read(&path).expect("read"));
            }
        }
    }
    let mut out = BTreeMap::new();
    walk(root, root, &mut out);
    out
}

/// The drift report's resources, by address.
fn drifted(report: &Json) -> BTreeMap<String, Json> {
    report["resources"]
        .as_array()
        .expect("resources is an array")
        .iter()
        .map(|r| (r["address"].as_str().expect("address").to_string(), r.clone()))
        .collect()
}

/// The `changes` of one drifted resource, by path.
fn changes(resource: &Json) -> BTreeMap<String, Json> {
    resource["changes"]
        .as_array()
        .expect("changes is an array")
        .iter()
        .map(|c| (c["path"].as_str().expect("path").to_string(), c.clone()))
        .collect()
}

// ---------------------------------------------------------------------------------------------
// plinth drift

const PLATFORM: &str = r#"
resource "local_file" "a" {
  path    = "out/a.txt"
  content = "alpha\n"
}

resource "local_file" "b" {
  path    = "out/b.txt"
  content = "beta\n"
}

resource "local_file" "c" {
  path    = "out/c.txt"
  content = "gamma\n"
}

resource "local_value" "x" {
  input = { n = 1, files = [local_file.a.path, local_file.b.path] }
}

resource "local_value" "y" {
  input = "y"
}
"#;

/// A directory with [`PLATFORM`] applied.
fn applied_platform() -> Dir {
    let d = Dir::with(PLATFORM);
    let o = ok(d.run(&["apply", "--auto-approve"]));
    assert!(
        stdout(&o).contains("Apply complete! Resources: 5 added"),
        "{}",
        stdout(&o)
    );
    d
}

#[test]
fn drift_is_clean_right_after_apply() {
    let d = applied_platform();

    let o = ok(d.run(&["drift"]));
    assert!(stdout(&o).contains("No drift"), "{}", stdout(&o));
    assert!(stdout(&o).contains("\"default\""), "{}", stdout(&o));

    let report = json(&ok(d.run(&["drift", "--json"])));
    assert_eq!(report["format_version"], "1.1");
    assert_eq!(report["environment"], "default");
    assert_eq!(report["drifted"], false);
    assert_eq!(report["resources"], serde_json::json!([]));

    let o = ok(d.run(&["drift", "--markdown"]));
    assert!(stdout(&o).starts_with("### No drift in `default`"), "{}", stdout(&o));
}

#[test]
fn a_hand_edit_is_modified_drift_naming_exactly_that_resource() {
    let d = applied_platform();
    d.write("out/a.txt", "edited by hand\n");

    let o = d.run(&["drift"]);
    expect_code(&o, 2);
    let text = stdout(&o);
    assert!(
        text.contains("Drift detected in environment \"default\": 1 resource(s)"),
        "{text}"
    );
    assert!(text.contains("# local_file.a was modified outside Plinth"), "{text}");
    assert!(text.contains("~ content"), "{text}");
    assert!(text.contains(r#""alpha\n" -> "edited by hand\n""#), "{text}");
    assert!(text.contains("apply would update it in place"), "{text}");
    for other in ["local_file.b", "local_file.c", "local_value.x", "local_value.y"] {
        assert!(!text.contains(other), "{other} did not drift:\n{text}");
    }

    let o = d.run(&["drift", "--json"]);
    expect_code(&o, 2);
    let report = json(&o);
    assert_eq!(report["format_version"], "1.1");
    assert_eq!(report["environment"], "default");
    assert_eq!(report["drifted"], true);
    let resources = drifted(&report);
    assert_eq!(resources.keys().collect::<Vec<_>>(), ["local_file.a"]);
    let a = &resources["local_file.a"];
    assert_eq!(a["type"], "local_file");
    assert_eq!(a["status"], "modified");
    assert_eq!(a["planned_actions"], serde_json::json!(["update"]));
    let ch = changes(a);
    assert_eq!(
        ch["content"],
        serde_json::json!({
            "path": "content",
            "recorded": "alpha\n",
            "live": "edited by hand\n",
            "sensitive": false,
        })
    );
    // Nothing but the content and what is computed from it (the hash in `id`) changed.
    for path in ch.keys() {
        assert!(path == "content" || path == "id", "unexpected path {path}: {a}");
    }
    for c in ch.values() {
        assert!(c["recorded"].is_string() && c["live"].is_string(), "{c}");
        assert_ne!(c["recorded"], c["live"]);
    }
}

/// A state written by an older Plinth has no entry for an attribute a newer one added to the
/// type (as the AWS types' per-resource `region`): the refresh filling it in is not drift, while
/// a real edit of the same object still is.
#[test]
fn an_attribute_the_recorded_state_never_had_is_not_drift() {
    let d = applied_platform();
    let path = d.join(".plinth/env/default/state.json");
    let mut state: Json = serde_json::from_str(&std::fs::read_to_string(&path).expect("state")).expect("JSON");
    let attrs = state["resources"]["local_file.a"]["attributes"]
        .as_object_mut()
        .expect("attributes");
    assert!(attrs.remove("file_permission").is_some(), "{attrs:?}");
    std::fs::write(&path, serde_json::to_string_pretty(&state).expect("JSON")).expect("write state");

    let o = ok(d.run(&["drift"]));
    assert!(stdout(&o).contains("No drift"), "{}", stdout(&o));

    d.write("out/a.txt", "edited\n");
    let o = d.run(&["drift", "--json"]);
    expect_code(&o, 2);
    let report = json(&o);
    let r = drifted(&report);
    assert_eq!(r.keys().collect::<Vec<_>>(), ["local_file.a"], "{report}");
    assert!(changes(&r["local_file.a"]).contains_key("content"), "{report}");
    assert!(!changes(&r["local_file.a"]).contains_key("file_permission"), "{report}");
}

#[test]
fn a_deleted_file_is_deleted_drift() {
    let d = applied_platform();
    d.remove("out/b.txt");

    let o = d.run(&["drift", "--json"]);
    expect_code(&o, 2);
    let resources = drifted(&json(&o));
    assert_eq!(resources.keys().collect::<Vec<_>>(), ["local_file.b"]);
    let b = &resources["local_file.b"];
    assert_eq!(b["status"], "deleted");
    assert_eq!(b["type"], "local_file");
    assert_eq!(b["changes"], serde_json::json!([]));
    assert_eq!(b["planned_actions"], serde_json::json!(["create"]));

    let o = d.run(&["drift"]);
    expect_code(&o, 2);
    assert!(
        stdout(&o).contains("# local_file.b was deleted outside Plinth"),
        "{}",
        stdout(&o)
    );
    assert!(stdout(&o).contains("apply would create it again"), "{}", stdout(&o));
}

#[test]
fn both_kinds_of_drift_together_and_target_narrows_the_report() {
    let d = applied_platform();
    d.write("out/a.txt", "edited by hand\n");
    d.remove("out/b.txt");

    let o = d.run(&["drift", "--json"]);
    expect_code(&o, 2);
    let all = drifted(&json(&o));
    assert_eq!(all.keys().collect::<Vec<_>>(), ["local_file.a", "local_file.b"]);
    assert_eq!(all["local_file.a"]["status"], "modified");
    assert_eq!(all["local_file.b"]["status"], "deleted");

    let o = d.run(&["drift", "--json", "--target", "local_file.b"]);
    expect_code(&o, 2);
    assert_eq!(drifted(&json(&o)).keys().collect::<Vec<_>>(), ["local_file.b"]);

    let o = d.run(&["drift", "--json", "--target", "local_file.a"]);
    expect_code(&o, 2);
    assert_eq!(drifted(&json(&o)).keys().collect::<Vec<_>>(), ["local_file.a"]);

    // Nothing under these targets drifted.
    let o = ok(d.run(&["drift", "--target", "local_file.c"]));
    assert!(stdout(&o).contains("No drift"), "{}", stdout(&o));
    let o = ok(d.run(&["drift", "--json", "--target", "local_value.y"]));
    assert_eq!(json(&o)["drifted"], false);
}

#[test]
fn drift_markdown_has_a_table_row_per_drifted_resource() {
    let d = applied_platform();
    d.write("out/a.txt", "edited by hand\n");
    d.remove("out/b.txt");

    let o = d.run(&["drift", "--markdown"]);
    expect_code(&o, 2);
    let md = stdout(&o);
    assert!(
        md.starts_with("### :warning: Drift in `default`: 2 resource(s) changed outside Plinth"),
        "{md}"
    );
    assert!(
        md.contains("| Address | Status | Attributes | Apply would |\n|---|---|---|---|\n"),
        "{md}"
    );
    let row_a = md
        .lines()
        .find(|l| l.starts_with("| `local_file.a` |"))
        .unwrap_or_else(|| panic!("no row for local_file.a:\n{md}"));
    assert!(row_a.contains("| modified |"), "{row_a}");
    assert!(row_a.contains("`content`"), "{row_a}");
    assert!(row_a.ends_with("| update |"), "{row_a}");
    assert!(md.contains("| `local_file.b` | deleted | — | create |"), "{md}");
    assert!(!md.contains("local_file.c"), "{md}");
    // A collapsed diff for the modified resource.
    assert!(
        md.contains("<details><summary><code>local_file.a</code></summary>"),
        "{md}"
    );
    assert!(
        md.contains("- content = \"alpha\\n\"\n+ content = \"edited by hand\\n\""),
        "{md}"
    );
    assert!(!md.contains('\x1b'), "colour codes in markdown:\n{md}");
}

#[test]
fn drift_writes_nothing() {
    let d = applied_platform();
    d.write("out/a.txt", "edited by hand\n");
    d.remove("out/b.txt");
    let state_before = d.state_files();
    assert!(state_before.contains_key("state.json"), "{:?}", state_before.keys());
    let out_before = d.files("out");

    for args in [
        &["drift"][..],
        &["drift", "--json"],
        &["drift", "--markdown"],
        &["drift", "--target", "local_file.a"],
    ] {
        expect_code(&d.run(args), 2);
        assert!(
            d.state_files() == state_before,
            "`plinth {}` changed the state files",
            args.join(" ")
        );
        assert!(
            d.files("out") == out_before,
            "`plinth {}` changed the managed files",
            args.join(" ")
        );
    }
    // The drift is still there: nothing was repaired, nothing adopted.
    assert_eq!(d.read("out/a.txt"), "edited by hand\n");
    assert!(!d.exists("out/b.txt"));
    expect_code(&d.run(&["drift"]), 2);
}

#[test]
fn apply_repairs_drift() {
    let d = applied_platform();
    d.write("out/a.txt", "edited by hand\n");
    d.remove("out/b.txt");
    expect_code(&d.run(&["drift"]), 2);

    let o = ok(d.run(&["apply", "--auto-approve"]));
    assert!(
        stdout(&o).contains("Apply complete! Resources: 1 added, 1 changed, 0 destroyed."),
        "{}",
        stdout(&o)
    );
    assert_eq!(d.read("out/a.txt"), "alpha\n");
    assert_eq!(d.read("out/b.txt"), "beta\n");

    let o = ok(d.run(&["drift"]));
    assert!(stdout(&o).contains("No drift"), "{}", stdout(&o));
    assert_eq!(json(&ok(d.run(&["drift", "--json"])))["drifted"], false);
    ok(d.run(&["plan", "--detailed-exitcode"]));
}

#[test]
fn drift_errors_exit_1() {
    let d = applied_platform();
    d.write("main.hcl", "resource \"local_file\" \"a\" {\n  path = \n}\n");
    let err = user_error(&d.run(&["drift"]));
    assert!(err.contains("main.hcl"), "{err}");
    // Exit 2 means drift: usage errors must not look like it.
    let err = user_error(&d.run(&["drift", "--no-such-flag"]));
    assert!(err.contains("--no-such-flag"), "{err}");
    user_error(&d.run(&["drift", "--json", "--markdown"]));
    let err = user_error(&d.run(&["-e", "nowhere", "drift"]));
    assert!(err.contains("\"nowhere\" does not exist"), "{err}");
}

const IGNORING: &str = r#"
resource "local_file" "watched" {
  path    = "out/watched.txt"
  content = "watched\n"
}

resource "local_file" "ignored" {
  path    = "out/ignored.txt"
  content = "managed elsewhere after creation\n"

  lifecycle {
    ignore_changes = [content]
  }
}
"#;

#[test]
fn ignore_changes_paths_are_not_reported_as_drift() {
    let d = Dir::with(IGNORING);
    ok(d.run(&["apply", "--auto-approve"]));
    d.write("out/ignored.txt", "edited by its real owner\n");

    // Whatever else the report holds, the ignored path is not in it, and apply would do nothing.
    let o = d.run(&["drift", "--json"]);
    let report = json(&o);
    if let Some(r) = drifted(&report).get("local_file.ignored") {
        assert!(!changes(r).contains_key("content"), "{r}");
        assert_eq!(r["planned_actions"], serde_json::json!(["no-op"]), "{r}");
    }
    // The plan agrees: nothing to do.
    ok(d.run(&["plan", "--detailed-exitcode"]));

    // A hand edit of the resource without ignore_changes still is drift.
    d.write("out/watched.txt", "edited\n");
    let o = d.run(&["drift", "--json"]);
    expect_code(&o, 2);
    let report = json(&o);
    let r = drifted(&report);
    assert_eq!(r["local_file.watched"]["status"], "modified");
    assert!(changes(&r["local_file.watched"]).contains_key("content"));
}

#[test]
fn ignore_changes_makes_a_hand_edit_not_drift() {
    let d = Dir::with(IGNORING);
    ok(d.run(&["apply", "--auto-approve"]));
    d.write("out/ignored.txt", "edited by its real owner\n");

    let o = d.run(&["drift", "--json"]);
    expect_code(&o, 0);
    assert_eq!(json(&o)["drifted"], false);
    let o = ok(d.run(&["drift"]));
    assert!(stdout(&o).contains("No drift"), "{}", stdout(&o));
}

const SECRET_TEXT: &str = "s3cr3t-token-do-not-show";
const HAND_TEXT: &str = "hand-typed-token-do-not-show";

#[test]
fn sensitive_values_show_as_sensitive_in_every_drift_format() {
    let d = Dir::with(&format!(
        r#"
variable "token" {{
  type      = string
  sensitive = true
  default   = "{SECRET_TEXT}"
}}

resource "local_file" "rendered" {{
  path    = "out/rendered.env"
  content = "TOKEN=${{var.token}}\n"
}}
"#
    ));
    ok(d.run(&["apply", "--auto-approve"]));
    assert_eq!(d.read("out/rendered.env"), format!("TOKEN={SECRET_TEXT}\n"));
    expect_code(&d.run(&["drift"]), 0);
    d.write("out/rendered.env", &format!("TOKEN={HAND_TEXT}\n"));

    let text = d.run(&["drift"]);
    let js = d.run(&["drift", "--json"]);
    let md = d.run(&["drift", "--markdown"]);
    for o in [&text, &js, &md] {
        expect_code(o, 2);
        let all = stdout(o) + &stderr(o);
        assert!(!all.contains(SECRET_TEXT), "the secret was shown:\n{all}");
        assert!(!all.contains(HAND_TEXT), "the live secret was shown:\n{all}");
    }
    assert!(stdout(&text).contains("(sensitive)"), "{}", stdout(&text));
    assert!(stdout(&md).contains("(sensitive)"), "{}", stdout(&md));

    let report = json(&js);
    let resources = drifted(&report);
    let r = &resources["local_file.rendered"];
    assert_eq!(r["status"], "modified");
    let sensitive: Vec<&Json> = r["changes"]
        .as_array()
        .expect("changes")
        .iter()
        .filter(|c| c["sensitive"] == true)
        .collect();
    assert!(!sensitive.is_empty(), "no change marked sensitive: {r}");
    for c in &sensitive {
        assert!(
            c["recorded"].is_null() || c["live"].is_null(),
            "a sensitive change shows both values: {c}"
        );
    }
    for c in r["changes"].as_array().expect("changes") {
        assert!(c["sensitive"].is_boolean(), "{c}");
    }
}

#[test]
fn drift_reports_a_hand_edit_of_sensitive_content() {
    let d = Dir::with(&format!(
        r#"
variable "token" {{
  type      = string
  sensitive = true
  default   = "{SECRET_TEXT}"
}}

resource "local_file" "creds" {{
  path              = "out/creds.env"
  sensitive_content = "TOKEN=${{var.token}}\n"
}}
"#
    ));
    ok(d.run(&["apply", "--auto-approve"]));
    expect_code(&d.run(&["drift"]), 0);
    d.write("out/creds.env", &format!("TOKEN={HAND_TEXT}\n"));
    // The plan sees it ...
    expect_code(&d.run(&["plan", "--detailed-exitcode"]), 2);
    // ... and so must drift, without showing either value.
    let o = d.run(&["drift", "--json"]);
    expect_code(&o, 2);
    let all = stdout(&o);
    assert!(!all.contains(SECRET_TEXT) && !all.contains(HAND_TEXT), "{all}");
    let report = json(&o);
    let resources = drifted(&report);
    let r = &resources["local_file.creds"];
    assert_eq!(r["status"], "modified");
    assert_eq!(r["planned_actions"], serde_json::json!(["update"]));
    let sensitive: Vec<&Json> = r["changes"]
        .as_array()
        .expect("changes")
        .iter()
        .filter(|c| c["sensitive"] == true)
        .collect();
    assert!(!sensitive.is_empty(), "no change marked sensitive: {r}");
    for c in sensitive {
        assert!(c["recorded"].is_null() && c["live"].is_null(), "{c}");
    }
}

#[test]
fn content_from_a_sensitive_variable_plans_clean_after_apply() {
    let d = Dir::with(&format!(
        r#"
variable "token" {{
  type      = string
  sensitive = true
  default   = "{SECRET_TEXT}"
}}

resource "local_file" "rendered" {{
  path    = "out/rendered.env"
  content = "TOKEN=${{var.token}}\n"
}}
"#
    ));
    ok(d.run(&["apply", "--auto-approve"]));
    let o = d.run(&["plan", "--detailed-exitcode"]);
    expect_code(&o, 0);
    assert!(stdout(&o).contains("No changes."), "{}", stdout(&o));
}

// ---------------------------------------------------------------------------------------------
// Saved plans: plan --out, show, apply PLANFILE

const BEFORE: &str = r#"
variable "greeting" {
  type    = string
  default = "hello"
}

resource "local_file" "keep" {
  path    = "out/keep.txt"
  content = "${var.greeting}\n"
}

resource "local_file" "moves" {
  path    = "out/moves-1.txt"
  content = "m\n"
}

resource "local_file" "gone" {
  path    = "out/gone.txt"
  content = "g\n"
}

resource "local_value" "v" {
  input = "one"
}

output "greeting" {
  value = var.greeting
}
"#;

/// [`BEFORE`] with `gone` removed, `moves` at a new path (a replacement) and `fresh` added.
const AFTER: &str = r#"
variable "greeting" {
  type    = string
  default = "hello"
}

resource "local_file" "keep" {
  path    = "out/keep.txt"
  content = "${var.greeting}\n"
}

resource "local_file" "moves" {
  path    = "out/moves-2.txt"
  content = "m\n"
}

resource "local_file" "fresh" {
  path    = "out/fresh.txt"
  content = "f\n"
}

resource "local_value" "v" {
  input = "one"
}

output "greeting" {
  value = var.greeting
}
"#;

/// [`BEFORE`] applied, the configuration changed to [`AFTER`], and `plan --out p.json
/// --var greeting=hi` saved: one create, one update, one replace, one delete, one no-op, and an
/// output change.
fn saved_plan() -> Dir {
    let d = Dir::with(BEFORE);
    ok(d.run(&["apply", "--auto-approve"]));
    d.write("main.hcl", AFTER);
    let o = ok(d.run(&["plan", "--out", "p.json", "--var", "greeting=hi"]));
    assert!(
        stdout(&o).contains("Plan: 2 to add, 1 to change, 2 to destroy."),
        "{}",
        stdout(&o)
    );
    assert!(stdout(&o).contains("plinth apply p.json"), "{}", stdout(&o));
    d
}

#[test]
fn plan_out_writes_a_plan_file() {
    let d = saved_plan();
    let file: Json = serde_json::from_str(&d.read("p.json")).expect("the plan file is JSON");
    assert_eq!(file["format"], "plinth-plan/v1");
    assert_eq!(file["env"], "default");
    assert!(file["lineage"].is_string(), "{}", file["lineage"]);
    assert!(file["serial"].is_u64(), "{}", file["serial"]);
    assert!(file["config_hash"].is_string(), "{}", file["config_hash"]);
    // Saving a plan changes nothing.
    assert!(d.exists("out/gone.txt") && d.exists("out/moves-1.txt"));
    assert!(!d.exists("out/fresh.txt") && !d.exists("out/moves-2.txt"));
    assert_eq!(d.read("out/keep.txt"), "hello\n");
}

#[test]
fn show_json_of_a_plan_has_terraforms_shape() {
    let d = saved_plan();
    let plan = json(&ok(d.run(&["show", "--json", "p.json"])));
    assert_eq!(plan["format_version"], "1.2");
    assert!(plan["terraform_version"].is_string());
    assert_eq!(plan["variables"]["greeting"]["value"], "hi");
    assert_eq!(plan["errored"], false);
    assert_eq!(plan["applyable"], true);
    assert_eq!(plan["complete"], true);

    let rc = plan["resource_changes"].as_array().expect("resource_changes");
    let by_addr: BTreeMap<&str, &Json> = rc
        .iter()
        .map(|r| (r["address"].as_str().expect("address"), r))
        .collect();
    assert_eq!(
        by_addr.keys().copied().collect::<Vec<_>>(),
        [
            "local_file.fresh",
            "local_file.gone",
            "local_file.keep",
            "local_file.moves",
            "local_value.v"
        ]
    );
    let expected = [
        ("local_file.fresh", "local_file", "fresh", serde_json::json!(["create"])),
        ("local_file.gone", "local_file", "gone", serde_json::json!(["delete"])),
        ("local_file.keep", "local_file", "keep", serde_json::json!(["update"])),
        (
            "local_file.moves",
            "local_file",
            "moves",
            serde_json::json!(["delete", "create"]),
        ),
        ("local_value.v", "local_value", "v", serde_json::json!(["no-op"])),
    ];
    for (addr, ty, name, actions) in expected {
        let r = by_addr[addr];
        assert_eq!(r["type"], ty, "{r}");
        assert_eq!(r["name"], name, "{r}");
        assert_eq!(r["mode"], "managed", "{r}");
        assert_eq!(r["provider_name"], "plinth/local", "{r}");
        // Root-module, unkeyed instances: Terraform leaves these two out.
        assert!(r.get("module_address").is_none(), "{r}");
        assert!(r.get("index").is_none(), "{r}");
        let change = &r["change"];
        assert_eq!(change["actions"], actions, "{addr}");
        for key in [
            "before",
            "after",
            "after_unknown",
            "before_sensitive",
            "after_sensitive",
        ] {
            assert!(change.get(key).is_some(), "{addr} has no change.{key}: {change}");
        }
    }

    let fresh = &by_addr["local_file.fresh"]["change"];
    assert!(fresh["before"].is_null());
    assert_eq!(fresh["after"]["path"], "out/fresh.txt");
    assert_eq!(fresh["after"]["content"], "f\n");

    let gone = &by_addr["local_file.gone"]["change"];
    assert_eq!(gone["before"]["path"], "out/gone.txt");
    assert!(gone["after"].is_null());
    assert_eq!(
        by_addr["local_file.gone"]["action_reason"],
        "delete_because_no_resource_config"
    );

    let keep = &by_addr["local_file.keep"]["change"];
    assert_eq!(keep["before"]["content"], "hello\n");
    assert_eq!(keep["after"]["content"], "hi\n");

    let moves = &by_addr["local_file.moves"]["change"];
    assert_eq!(moves["before"]["path"], "out/moves-1.txt");
    assert_eq!(moves["after"]["path"], "out/moves-2.txt");
    assert_eq!(moves["replace_paths"], serde_json::json!([["path"]]));

    assert_eq!(
        plan["output_changes"]["greeting"],
        serde_json::json!({
            "actions": ["update"],
            "before": "hello",
            "after": "hi",
            "after_unknown": false,
            "before_sensitive": false,
            "after_sensitive": false,
        })
    );

    let prior = &plan["prior_state"];
    assert_eq!(prior["format_version"], "1.0");
    let prior_addrs: Vec<&str> = prior["values"]["root_module"]["resources"]
        .as_array()
        .expect("prior_state resources")
        .iter()
        .map(|r| r["address"].as_str().expect("address"))
        .collect();
    assert_eq!(
        prior_addrs,
        [
            "local_file.gone",
            "local_file.keep",
            "local_file.moves",
            "local_value.v"
        ]
    );
    assert_eq!(prior["values"]["outputs"]["greeting"]["value"], "hello");
}

#[test]
fn show_json_addresses_keyed_instances_and_modules() {
    let d = Dir::with(
        r#"
resource "local_value" "counted" {
  count = 2
  input = count.index
}

resource "local_value" "keyed" {
  for_each = { a = 1 }
  input    = each.value
}

module "specs" {
  source = "./specs"
}
"#,
    );
    d.write(
        "specs/main.hcl",
        r#"
resource "local_value" "inner" {
  input = "x"
}
"#,
    );
    ok(d.run(&["plan", "--out", "p.json"]));
    let plan = json(&ok(d.run(&["show", "--json", "p.json"])));
    let rc: BTreeMap<String, Json> = plan["resource_changes"]
        .as_array()
        .expect("resource_changes")
        .iter()
        .map(|r| (r["address"].as_str().expect("address").to_string(), r.clone()))
        .collect();
    assert_eq!(
        rc.keys().map(String::as_str).collect::<Vec<_>>(),
        [
            "local_value.counted[0]",
            "local_value.counted[1]",
            "local_value.keyed[\"a\"]",
            "module.specs.local_value.inner"
        ]
    );
    assert_eq!(rc["local_value.counted[1]"]["index"], 1);
    assert_eq!(rc["local_value.counted[1]"]["name"], "counted");
    assert_eq!(rc["local_value.keyed[\"a\"]"]["index"], "a");
    let inner = &rc["module.specs.local_value.inner"];
    assert_eq!(inner["module_address"], "module.specs");
    assert_eq!(inner["name"], "inner");
    assert_eq!(inner["type"], "local_value");
    for r in rc.values() {
        assert_eq!(r["change"]["actions"], serde_json::json!(["create"]), "{r}");
    }
}

#[test]
fn show_markdown_of_a_plan_is_a_pull_request_comment() {
    let d = saved_plan();
    let o = ok(d.run(&["show", "--markdown", "p.json"]));
    let md = stdout(&o);
    assert!(md.starts_with("### Plinth plan for `default`"), "{md}");
    assert!(md.contains("**Plan:** 2 to add, 1 to change, 2 to destroy"), "{md}");
    assert!(!md.contains('\x1b'), "colour codes in markdown:\n{md}");

    // Destroys and replaces first, in a warning.
    let warning = md.find("> [!WARNING]").unwrap_or_else(|| panic!("no warning:\n{md}"));
    let table = md
        .find("| Action | Address | Reason |")
        .unwrap_or_else(|| panic!("no table:\n{md}"));
    assert!(warning < table, "{md}");
    assert!(md.contains("> - `local_file.gone` (destroy)"), "{md}");
    assert!(md.contains("> - `local_file.moves` (replace)"), "{md}");
    assert!(!md.contains("> - `local_file.fresh`"), "{md}");

    let rows: Vec<&str> = md
        .lines()
        .filter(|l| l.starts_with("| ") && l.contains("| `local_"))
        .collect();
    let actions: Vec<&str> = rows
        .iter()
        .map(|l| l.trim_start_matches("| ").split(" |").next().expect("cell"))
        .collect();
    assert_eq!(actions, ["destroy", "replace", "create", "update"], "{md}");
    assert!(rows[0].contains("`local_file.gone`"), "{md}");
    assert!(rows[1].contains("`local_file.moves`") && rows[1].contains("`path` forces replacement"));
    assert!(rows[2].contains("`local_file.fresh`"), "{md}");
    assert!(rows[3].contains("`local_file.keep`"), "{md}");
    assert!(!md.contains("local_value.v"), "no-ops are not listed:\n{md}");

    // One collapsed diff per changed resource, and one for the outputs.
    for summary in [
        "<details><summary>local_file.gone (destroy)</summary>",
        "<details><summary>local_file.moves (replace)</summary>",
        "<details><summary>local_file.fresh (create)</summary>",
        "<details><summary>local_file.keep (update)</summary>",
        "<details><summary>Changes to Outputs</summary>",
    ] {
        assert_eq!(md.matches(summary).count(), 1, "{summary}:\n{md}");
    }
    assert_eq!(md.matches("<details>").count(), 5, "{md}");
    assert_eq!(md.matches("</details>").count(), 5, "{md}");
    assert!(md.contains("```diff\n"), "{md}");
}

#[test]
fn show_of_a_plan_renders_it_as_plan_does() {
    let d = saved_plan();
    let o = ok(d.run(&["show", "p.json"]));
    let text = stdout(&o);
    assert!(text.contains("# local_file.fresh will be created"), "{text}");
    assert!(text.contains("# local_file.gone will be destroyed"), "{text}");
    assert!(text.contains("# local_file.keep will be updated in place"), "{text}");
    assert!(text.contains("# local_file.moves must be replaced"), "{text}");
    assert!(text.contains("Plan: 2 to add, 1 to change, 2 to destroy."), "{text}");
}

#[test]
fn apply_of_a_saved_plan_applies_exactly_that_plan() {
    let d = saved_plan();
    // No --var: the plan's variable values are the ones used.
    let o = ok(d.run(&["apply", "p.json"]));
    assert!(
        stdout(&o).contains("Apply complete! Resources: 2 added, 1 changed, 2 destroyed."),
        "{}",
        stdout(&o)
    );
    assert!(stdout(&o).contains("greeting = \"hi\""), "{}", stdout(&o));
    assert_eq!(d.read("out/keep.txt"), "hi\n");
    assert_eq!(d.read("out/fresh.txt"), "f\n");
    assert_eq!(d.read("out/moves-2.txt"), "m\n");
    assert!(!d.exists("out/moves-1.txt"));
    assert!(!d.exists("out/gone.txt"));
    assert_eq!(
        d.state_list(),
        [
            "local_file.fresh",
            "local_file.keep",
            "local_file.moves",
            "local_value.v"
        ]
    );
    // What the plan held was applied: with the same variable, nothing is left to do.
    ok(d.run(&["plan", "--detailed-exitcode", "--var", "greeting=hi"]));
}

#[test]
fn apply_of_a_targeted_saved_plan_applies_only_its_targets() {
    let d = Dir::with(BEFORE);
    ok(d.run(&["apply", "--auto-approve"]));
    d.write("main.hcl", AFTER);
    ok(d.run(&["plan", "--target", "local_file.fresh", "--out", "t.json"]));
    let plan = json(&ok(d.run(&["show", "--json", "t.json"])));
    assert_eq!(plan["complete"], false);

    let o = ok(d.run(&["apply", "t.json"]));
    assert!(
        stdout(&o).contains("Apply complete! Resources: 1 added, 0 changed, 0 destroyed."),
        "{}",
        stdout(&o)
    );
    assert!(d.exists("out/fresh.txt"));
    // Everything else is as it was.
    assert!(d.exists("out/gone.txt") && d.exists("out/moves-1.txt"));
    assert!(!d.exists("out/moves-2.txt"));
    assert_eq!(d.read("out/keep.txt"), "hello\n");
}

#[test]
fn a_plan_is_stale_once_the_configuration_changed_and_changes_nothing() {
    let d = saved_plan();
    d.write(
        "main.hcl",
        &format!("{AFTER}\n# a comment added after the plan was saved\n"),
    );
    let state_before = d.state_files();
    let out_before = d.files("out");

    let err = user_error(&d.run(&["apply", "p.json"]));
    assert!(err.contains("stale"), "{err}");
    assert!(err.contains("configuration"), "{err}");
    assert!(d.state_files() == state_before, "the state changed");
    assert!(d.files("out") == out_before, "managed files changed");
    assert!(!d.exists("out/fresh.txt"));
    assert_eq!(d.read("out/keep.txt"), "hello\n");
}

#[test]
fn a_plan_is_stale_once_the_state_moved() {
    let d = saved_plan();
    // Another change lands first.
    ok(d.run(&["apply", "--auto-approve", "--target", "local_file.fresh"]));
    let state_before = d.state_files();
    let out_before = d.files("out");

    let err = user_error(&d.run(&["apply", "p.json"]));
    assert!(err.contains("stale"), "{err}");
    assert!(d.state_files() == state_before, "the state changed");
    assert!(d.files("out") == out_before, "managed files changed");
}

#[test]
fn a_saved_plan_cannot_be_applied_twice() {
    let d = saved_plan();
    ok(d.run(&["apply", "p.json"]));
    let state_before = d.state_files();
    let out_before = d.files("out");

    let err = user_error(&d.run(&["apply", "p.json"]));
    assert!(err.contains("stale"), "{err}");
    assert!(d.state_files() == state_before, "the state changed");
    assert!(d.files("out") == out_before, "managed files changed");
}

#[test]
fn a_plan_for_another_environment_is_refused() {
    let d = saved_plan();
    ok(d.run(&["env", "new", "other"]));
    let err = user_error(&d.run(&["apply", "p.json"]));
    assert!(err.contains("default"), "{err}");
    assert!(err.contains("-e default"), "{err}");
    assert!(!d.exists("out/fresh.txt"));
}

#[test]
fn saved_plans_hold_no_secret() {
    let d = Dir::with(
        r#"
variable "token" {
  type      = string
  sensitive = true
}

resource "local_file" "creds" {
  path              = "out/creds.env"
  sensitive_content = "TOKEN=${var.token}\n"
}

output "token" {
  value     = var.token
  sensitive = true
}
"#,
    );
    let secret = [("PLINTH_VAR_token", SECRET_TEXT)];
    ok(d.run_env(&["plan", "--out", "p.json"], &secret));
    assert!(!d.read("p.json").contains(SECRET_TEXT));
    for args in [
        &["show", "p.json"][..],
        &["show", "--json", "p.json"],
        &["show", "--markdown", "p.json"],
    ] {
        let o = ok(d.run(args));
        assert!(
            !stdout(&o).contains(SECRET_TEXT),
            "`{}` shows the secret",
            args.join(" ")
        );
    }
    let plan = json(&ok(d.run(&["show", "--json", "p.json"])));
    assert!(plan["variables"]["token"]["value"].is_null(), "{}", plan["variables"]);
    let creds = &plan["resource_changes"][0];
    assert_eq!(creds["address"], "local_file.creds");
    assert!(creds["change"]["after"]["sensitive_content"].is_null());
    assert_eq!(creds["change"]["after_sensitive"]["sensitive_content"], true);

    // The secret is resolved again from its source at apply.
    ok(d.run_env(&["apply", "p.json"], &secret));
    assert_eq!(d.read("out/creds.env"), format!("TOKEN={SECRET_TEXT}\n"));
}

#[test]
fn show_without_a_file_renders_the_state() {
    let d = Dir::with(BEFORE);
    let o = ok(d.run(&["show"]));
    assert!(
        stdout(&o).contains("The state of environment \"default\" is empty."),
        "{}",
        stdout(&o)
    );
    ok(d.run(&["apply", "--auto-approve"]));

    let o = ok(d.run(&["show"]));
    let text = stdout(&o);
    for addr in [
        "local_file.gone",
        "local_file.keep",
        "local_file.moves",
        "local_value.v",
    ] {
        assert!(text.contains(&format!("# {addr}:")), "{addr}:\n{text}");
    }
    assert!(text.contains("path              = \"out/keep.txt\""), "{text}");
    assert!(text.contains("Outputs:"), "{text}");
    assert!(text.contains("greeting = \"hello\""), "{text}");

    let state = json(&ok(d.run(&["show", "--json"])));
    assert_eq!(state["format_version"], "1.0");
    assert!(state["terraform_version"].is_string());
    assert_eq!(
        state["values"]["outputs"]["greeting"],
        serde_json::json!({ "sensitive": false, "value": "hello", "type": "string" })
    );
    let resources = state["values"]["root_module"]["resources"]
        .as_array()
        .expect("resources");
    let keep = resources
        .iter()
        .find(|r| r["address"] == "local_file.keep")
        .expect("local_file.keep");
    assert_eq!(keep["mode"], "managed");
    assert_eq!(keep["type"], "local_file");
    assert_eq!(keep["name"], "keep");
    assert_eq!(keep["provider_name"], "plinth/local");
    assert_eq!(keep["values"]["content"], "hello\n");
    assert!(keep.get("sensitive_values").is_some(), "{keep}");
    assert_eq!(resources.len(), 4);

    // --markdown is for plans.
    let err = user_error(&d.run(&["show", "--markdown"]));
    assert!(err.contains("plan file"), "{err}");
}

#[test]
fn show_json_prior_state_is_the_state_the_plan_was_made_against() {
    let d = saved_plan();
    ok(d.run(&["apply", "p.json"]));
    let plan = json(&ok(d.run(&["show", "--json", "p.json"])));
    let prior: Vec<&str> = plan["prior_state"]["values"]["root_module"]["resources"]
        .as_array()
        .expect("prior_state resources")
        .iter()
        .map(|r| r["address"].as_str().expect("address"))
        .collect();
    assert_eq!(
        prior,
        [
            "local_file.gone",
            "local_file.keep",
            "local_file.moves",
            "local_value.v"
        ]
    );
}

#[test]
fn plan_files_are_relative_to_the_chdir_directory() {
    let d = Dir::with("");
    d.write("infra/main.hcl", BEFORE);
    ok(d.run(&["-C", "infra", "plan", "--out", "p.json"]));
    assert!(d.exists("infra/p.json"), "the plan was not saved in infra/");
    assert!(!d.exists("p.json"), "the plan was saved beside, not in, infra/");
    ok(d.run(&["-C", "infra", "show", "p.json"]));
    ok(d.run(&["-C", "infra", "apply", "p.json"]));
    assert_eq!(d.read("infra/out/keep.txt"), "hello\n");
}
