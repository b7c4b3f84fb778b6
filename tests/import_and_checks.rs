//! End-to-end tests of `import` blocks and `check` blocks through the `plinth` binary with the
//! local provider: objects made outside Plinth adopted by a plan, and check assertions reported
//! as warnings (plan, apply) and as drift (`plinth drift`).

mod support;

use support::cli::{Dir, json, ok, stdout, user_error};

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

    ok(d.run(&["apply", "--auto-approve"]));
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
