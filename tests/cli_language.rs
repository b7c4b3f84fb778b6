//! End-to-end tests of language features through the `plinth` binary with the local provider:
//! `lifecycle.replace_triggered_by` and defaults of `optional(T, default)` attributes.

mod support;

use support::cli::{Dir, ok, stdout};

const TRIGGERED: &str = r#"
variable "release" {
  type = string
}

resource "local_value" "release" {
  input            = "r"
  triggers_replace = var.release
}

resource "local_value" "app" {
  input = "app"

  lifecycle {
    replace_triggered_by = [local_value.release]
  }
}

resource "local_value" "other" {
  input = "other"
}

output "app_id" {
  value = local_value.app.id
}
"#;

#[test]
fn replace_triggered_by_replaces_the_watcher_when_the_watched_is_replaced() {
    let d = Dir::with(TRIGGERED);
    ok(d.run(&["init"]));
    ok(d.run(&["apply", "--auto-approve", "--var", "release=1"]));
    let first = stdout(&ok(d.run(&["output", "--raw", "app_id"])));

    let o = ok(d.run(&["plan", "--var", "release=1"]));
    assert!(stdout(&o).contains("No changes."), "{}", stdout(&o));

    let o = ok(d.run(&["plan", "--var", "release=2"]));
    let out = stdout(&o);
    assert!(out.contains("# local_value.release must be replaced"), "{out}");
    assert!(
        out.contains("# local_value.app will be replaced due to changes in replace_triggered_by"),
        "{out}"
    );
    assert!(!out.contains("local_value.other"), "{out}");
    assert!(out.contains("Plan: 2 to add, 0 to change, 2 to destroy."), "{out}");

    let o = ok(d.run(&["apply", "--auto-approve", "--var", "release=2"]));
    let out = stdout(&o);
    assert!(out.contains("Resources: 2 added, 0 changed, 2 destroyed."), "{out}");
    let second = stdout(&ok(d.run(&["output", "--raw", "app_id"])));
    assert_ne!(first, second, "the app was replaced, so it has a new id");

    let o = ok(d.run(&["plan", "--var", "release=2"]));
    assert!(stdout(&o).contains("No changes."), "{}", stdout(&o));
}

#[test]
fn optional_defaults_reach_outputs_through_the_binary() {
    let d = Dir::with(
        r#"
variable "job" {
  type = object({
    image   = string
    retries = optional(number, 3)
    limits  = optional(object({
      cpu    = optional(string, "1")
      memory = optional(string, "1Gi")
    }), {})
  })
}

output "job" {
  value = var.job
}

output "where" {
  value = "${terraform.workspace}: ${type(var.job.retries)}"
}
"#,
    );
    ok(d.run(&["init"]));
    ok(d.run(&[
        "apply",
        "--auto-approve",
        "--var",
        r#"job={ image = "trainer:1", limits = { memory = "4Gi" } }"#,
    ]));
    let o = ok(d.run(&["output", "--json"]));
    let json: serde_json::Value = serde_json::from_slice(&o.stdout).expect("output --json is JSON");
    assert_eq!(
        json["job"]["value"],
        serde_json::json!({
            "image": "trainer:1",
            "retries": 3,
            "limits": { "cpu": "1", "memory": "4Gi" }
        })
    );
    assert_eq!(json["where"]["value"], serde_json::json!("default: number"));
}
