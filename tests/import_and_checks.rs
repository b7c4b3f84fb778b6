//! End-to-end tests of `import` blocks and `check` blocks through the `plinth` binary with the
//! local provider: objects made outside Plinth adopted by a plan, and check assertions reported
//! as warnings (plan, apply) and as drift (`plinth drift`), in the root module and in every
//! instance of a child module.

mod support;

use support::cli::{Dir, expect_code, json, ok, stderr, stdout, user_error};

const IMPORT: &str = r#"
resource "local_file" "hand" {
  path              = "hand.txt"
  sensitive_content = "made by hand\n"
}

import {
  to = local_file.hand
  id = "hand.txt"
}
"#;

#[test]
fn an_import_block_adopts_a_file_made_outside_plinth() {
    let d = Dir::with(IMPORT);
    d.write("hand.txt", "made by hand\n");
    ok(d.run(&["init"]));

    let o = ok(d.run(&["plan"]));
    let out = stdout(&o);
    assert!(out.contains("# local_file.hand will be imported"), "{out}");
    assert!(
        out.contains("Plan: 1 to import, 0 to add, 0 to change, 0 to destroy."),
        "{out}"
    );

    ok(d.run(&["plan", "--out", "p.json"]));
    let plan = json(&ok(d.run(&["show", "--json", "p.json"])));
    let change = &plan["resource_changes"][0];
    assert_eq!(change["address"], "local_file.hand");
    assert_eq!(change["change"]["actions"], serde_json::json!(["no-op"]));
    assert_eq!(change["change"]["importing"], serde_json::json!({ "id": "hand.txt" }));

    let o = ok(d.run(&["apply", "--auto-approve"]));
    let out = stdout(&o);
    assert!(
        out.contains("Apply complete! Resources: 1 imported, 0 added, 0 changed, 0 destroyed."),
        "{out}"
    );
    let o = ok(d.run(&["state", "list"]));
    assert_eq!(stdout(&o).trim(), "local_file.hand");
    assert_eq!(d.read("hand.txt"), "made by hand\n");

    // Already in state: the import block is ignored, as Terraform ignores it.
    let o = ok(d.run(&["plan", "--detailed-exitcode"]));
    assert!(stdout(&o).contains("No changes."), "{}", stdout(&o));
}

#[test]
fn an_import_with_an_update_on_top_is_one_change() {
    let d = Dir::with(
        r#"
resource "local_file" "f" {
  for_each = toset(["a", "b"])
  path     = "${each.key}.txt"
  content  = "managed ${each.key}\n"
}

import {
  for_each = toset(["a", "b"])
  to       = local_file.f[each.key]
  id       = "${each.key}.txt"
}
"#,
    );
    d.write("a.txt", "managed a\n");
    d.write("b.txt", "by hand\n");
    ok(d.run(&["init"]));
    let o = ok(d.run(&["plan"]));
    let out = stdout(&o);
    // The local provider imports a file's text as `sensitive_content` (it cannot know which
    // argument wrote it), so both move it to `content` on top of the import.
    assert!(out.contains("# local_file.f[\"b\"] will be updated in place"), "{out}");
    assert!(out.contains("# (imported from \"b.txt\")"), "{out}");
    assert!(
        out.contains("+ content           = <<-EOT\n            managed b"),
        "{out}"
    );
    assert!(
        out.contains("Plan: 2 to import, 0 to add, 2 to change, 0 to destroy."),
        "{out}"
    );

    ok(d.run(&["apply", "--auto-approve"]));
    assert_eq!(d.read("b.txt"), "managed b\n");
    let o = ok(d.run(&["state", "list"]));
    assert_eq!(stdout(&o).trim(), "local_file.f[\"a\"]\nlocal_file.f[\"b\"]");
}

#[test]
fn an_import_of_a_missing_object_fails_the_plan_at_the_block() {
    let d = Dir::with(IMPORT);
    ok(d.run(&["init"]));
    let err = user_error(&d.run(&["plan"]));
    assert!(err.contains("Cannot import non-existent remote object"), "{err}");
    assert!(err.contains("main.hcl:7:1"), "{err}");
    assert!(!d.exists("hand.txt"));
}

#[test]
fn an_import_into_an_address_the_configuration_lacks_is_an_error() {
    let d = Dir::with(
        r#"
resource "local_file" "f" {
  count   = 1
  path    = "f.txt"
  content = "x"
}

import {
  to = local_file.f[3]
  id = "f.txt"
}

import {
  to = local_file.nowhere
  id = "f.txt"
}
"#,
    );
    d.write("f.txt", "x");
    ok(d.run(&["init"]));
    let err = user_error(&d.run(&["plan"]));
    assert!(err.contains("Configuration for import target does not exist"), "{err}");
    assert!(err.contains("local_file.f[3]"), "{err}");
    assert!(err.contains("local_file.nowhere"), "{err}");
}

const CHECK: &str = r#"
resource "local_file" "cfg" {
  path    = "cfg.txt"
  content = "ok\n"
}

# A service outside Plinth reports its health in status.txt.
check "service_healthy" {
  data "local_file" "status" {
    filename = "status.txt"
  }

  assert {
    condition     = data.local_file.status.content == "healthy\n"
    error_message = "the service reports it is not healthy"
  }

  assert {
    condition     = length(local_file.cfg.path) > 0
    error_message = "the path is empty"
  }
}

# Reads a file this configuration creates: unknown until it is applied.
check "cfg_says_ok" {
  data "local_file" "cfg" {
    filename = local_file.cfg.path
  }

  assert {
    condition     = data.local_file.cfg.content == "ok\n"
    error_message = "cfg.txt does not say ok"
  }
}
"#;

#[test]
fn a_check_passes_then_fails_as_a_warning_and_as_drift() {
    let d = Dir::with(CHECK);
    d.write("status.txt", "healthy\n");
    ok(d.run(&["init"]));

    ok(d.run(&["plan", "--out", "p.json"]));
    let plan = json(&ok(d.run(&["show", "--json", "p.json"])));
    // Sorted by address, as Terraform sorts them.
    assert_eq!(plan["checks"][0]["address"]["name"], "cfg_says_ok");
    assert_eq!(plan["checks"][0]["status"], "unknown", "{}", plan["checks"]);
    assert_eq!(plan["checks"][1]["status"], "pass");

    let o = ok(d.run(&["apply", "--auto-approve"]));
    assert!(!stderr(&o).contains("Check block assertion failed"), "{}", stderr(&o));
    let o = ok(d.run(&["drift"]));
    assert!(stdout(&o).contains("No drift"), "{}", stdout(&o));

    ok(d.run(&["plan", "--out", "p.json"]));
    let plan = json(&ok(d.run(&["show", "--json", "p.json"])));
    assert_eq!(
        plan["checks"][1],
        serde_json::json!({
            "address": { "kind": "check", "name": "service_healthy", "to_display": "check.service_healthy" },
            "status": "pass",
            "instances": [{ "address": { "to_display": "check.service_healthy" }, "status": "pass" }]
        })
    );
    assert_eq!(plan["checks"][0]["status"], "pass");

    // Out of band: the service turns unhealthy. Plan warns (exit code unchanged)...
    d.write("status.txt", "degraded\n");
    let o = ok(d.run(&["plan", "--out", "p.json"]));
    let err = stderr(&o);
    assert!(err.contains("Check block assertion failed"), "{err}");
    assert!(
        err.contains("check \"service_healthy\": the service reports it is not healthy"),
        "{err}"
    );
    assert!(err.contains("main.hcl:14:21"), "{err}");
    assert!(!err.contains("the path is empty"), "{err}");
    let plan = json(&ok(d.run(&["show", "--json", "p.json"])));
    assert_eq!(plan["checks"][1]["status"], "fail");
    assert_eq!(
        plan["checks"][1]["instances"][0]["problems"],
        serde_json::json!([{ "message": "the service reports it is not healthy" }])
    );

    // ...and drift fails on it (exit 2) under its own heading, in text and JSON.
    let o = d.run(&["drift"]);
    expect_code(&o, 2);
    let out = stdout(&o);
    assert!(out.contains("Checks failed"), "{out}");
    assert!(
        out.contains("# check.service_healthy failed\n    the service reports it is not healthy"),
        "{out}"
    );
    assert!(!out.contains("cfg_says_ok"), "{out}");
    let o = d.run(&["drift", "--json"]);
    expect_code(&o, 2);
    let report = json(&o);
    assert_eq!(report["drifted"], true);
    assert_eq!(
        report["checks"][0],
        serde_json::json!({
            "address": "check.service_healthy",
            "status": "fail",
            "problems": ["the service reports it is not healthy"]
        })
    );

    // An apply warns too, and succeeds; once the service recovers, no drift.
    let o = ok(d.run(&["apply", "--auto-approve"]));
    assert!(stderr(&o).contains("Check block assertion failed"), "{}", stderr(&o));
    d.write("status.txt", "healthy\n");
    expect_code(&d.run(&["drift"]), 0);
}

#[test]
fn a_failed_check_after_apply_is_a_warning_not_an_error() {
    let d = Dir::with(
        r#"
resource "local_value" "v" {
  input = 3
}

check "small" {
  assert {
    condition     = local_value.v.output < 2
    error_message = "v is too big"
  }
}
"#,
    );
    ok(d.run(&["init"]));
    let o = ok(d.run(&["apply", "--auto-approve"]));
    let err = stderr(&o);
    assert!(err.contains("Check block assertion failed"), "{err}");
    assert!(err.contains("v is too big"), "{err}");
    assert!(stdout(&o).contains("Apply complete!"), "{}", stdout(&o));
}

/// A module whose checks assert on its own input, read a status file made outside Plinth, and
/// read (in a scoped data source) the file the module itself writes.
const CHILD_CHECK: &str = r#"
variable "limit" {
  type = number
}

resource "local_file" "out" {
  path    = "${path.module}/out-${var.limit}.txt"
  content = "limit ${var.limit}\n"
}

check "small" {
  assert {
    condition     = var.limit < 5
    error_message = "limit ${var.limit} is not below 5"
  }
}

# A service outside Plinth reports each instance's health in status-LIMIT.txt.
check "status" {
  data "local_file" "status" {
    filename = "${path.module}/status-${var.limit}.txt"
  }

  assert {
    condition     = data.local_file.status.content == "healthy\n"
    error_message = "instance ${var.limit} is not healthy"
  }
}

check "written" {
  data "local_file" "out" {
    filename = local_file.out.path
  }

  assert {
    condition     = data.local_file.out.content == "limit ${var.limit}\n"
    error_message = "out-${var.limit}.txt was edited"
  }
}
"#;

#[test]
fn checks_in_child_modules_run_per_instance_with_terraforms_addresses() {
    let d = Dir::with(
        r#"
variable "limits" {
  type    = list(number)
  default = [1, 2]
}

module "m" {
  count  = length(var.limits)
  source = "./m"
  limit  = var.limits[count.index]
}

module "one" {
  source = "./m"
  limit  = 3
}
"#,
    );
    d.write("m/main.hcl", CHILD_CHECK);
    for n in [1, 2, 3, 7] {
        d.write(&format!("m/status-{n}.txt"), "healthy\n");
    }
    ok(d.run(&["init"]));

    // Before apply the scoped data sources read files the plan creates: unknown, per instance.
    ok(d.run(&["plan", "--out", "p.json"]));
    let plan = json(&ok(d.run(&["show", "--json", "p.json"])));
    let displays: Vec<&str> = plan["checks"]
        .as_array()
        .map(|a| a.iter().filter_map(|c| c["address"]["to_display"].as_str()).collect())
        .unwrap_or_default();
    assert_eq!(
        displays,
        [
            "module.m.check.small",
            "module.m.check.status",
            "module.m.check.written",
            "module.one.check.small",
            "module.one.check.status",
            "module.one.check.written"
        ]
    );
    assert_eq!(
        plan["checks"][0],
        serde_json::json!({
            "address": { "kind": "check", "module": "module.m", "name": "small", "to_display": "module.m.check.small" },
            "status": "pass",
            "instances": [
                { "address": { "module": "module.m[0]", "to_display": "module.m[0].check.small" }, "status": "pass" },
                { "address": { "module": "module.m[1]", "to_display": "module.m[1].check.small" }, "status": "pass" },
            ]
        })
    );
    assert_eq!(plan["checks"][1]["status"], "pass", "{}", plan["checks"][1]);
    assert_eq!(plan["checks"][2]["status"], "unknown", "{}", plan["checks"][2]);
    assert_eq!(plan["checks"][5]["instances"][0]["status"], "unknown");

    let o = ok(d.run(&["apply", "--auto-approve"]));
    assert!(!stderr(&o).contains("Check block assertion failed"), "{}", stderr(&o));
    expect_code(&d.run(&["drift"]), 0);

    // Out of band: one instance turns unhealthy. Only that instance's check fails, as drift.
    d.write("m/status-2.txt", "degraded\n");
    let o = d.run(&["drift"]);
    expect_code(&o, 2);
    let out = stdout(&o);
    assert!(
        out.contains("# module.m[1].check.status failed\n    instance 2 is not healthy"),
        "{out}"
    );
    assert!(!out.contains("module.m[0].check"), "{out}");
    let report = json(&d.run(&["drift", "--json"]));
    let failed: Vec<&serde_json::Value> = report["checks"]
        .as_array()
        .map(|a| a.iter().filter(|c| c["status"] == "fail").collect())
        .unwrap_or_default();
    assert_eq!(
        failed,
        [&serde_json::json!({
            "address": "module.m[1].check.status",
            "status": "fail",
            "problems": ["instance 2 is not healthy"]
        })]
    );
    // An apply warns about it too, naming the instance, and succeeds.
    let o = ok(d.run(&["apply", "--auto-approve"]));
    let err = stderr(&o);
    assert!(
        err.contains("check \"status\" in module.m[1]: instance 2 is not healthy"),
        "{err}"
    );
    assert!(!err.contains("module.m[0]"), "{err}");
    d.write("m/status-2.txt", "healthy\n");
    expect_code(&d.run(&["drift"]), 0);

    // A failing assert in one instance: a warning naming the instance, at the condition in the
    // module's file; the plan succeeds and the JSON sums the instances up as failed.
    let o = ok(d.run(&["plan", "--var", "limits=[1, 7]", "--out", "p.json"]));
    let err = stderr(&o);
    assert!(err.contains("Check block assertion failed"), "{err}");
    assert!(
        err.contains("check \"small\" in module.m[1]: limit 7 is not below 5"),
        "{err}"
    );
    assert!(err.contains("m/main.hcl:13:21"), "{err}");
    assert!(!err.contains("module.m[0]"), "{err}");
    let plan = json(&ok(d.run(&["show", "--json", "p.json"])));
    assert_eq!(plan["checks"][0]["status"], "fail");
    assert_eq!(plan["checks"][0]["instances"][0]["status"], "pass");
    assert_eq!(
        plan["checks"][0]["instances"][1]["problems"],
        serde_json::json!([{ "message": "limit 7 is not below 5" }])
    );
}
