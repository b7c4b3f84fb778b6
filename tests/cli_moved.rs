//! End-to-end test of `moved` and `removed` blocks through the `plinth` binary with the local
//! provider: apply, move the resources into a module with `moved` blocks, re-plan (moves, no
//! destroy), apply a saved plan, and find the new addresses in state and the files untouched.

mod support;

use support::cli::{Dir, expect_code, json, ok, stdout};

const BEFORE: &str = r#"
resource "local_file" "greeting" {
  path    = "out/greeting.txt"
  content = "hello\n"
}

resource "local_value" "meta" {
  input = { file = local_file.greeting.path }
}
"#;

const MODULE: &str = r#"
resource "local_file" "greeting" {
  path    = "out/greeting.txt"
  content = "hello\n"
}

resource "local_value" "meta" {
  input = { file = local_file.greeting.path }
}

output "path" {
  value = local_file.greeting.path
}
"#;

const AFTER: &str = r#"
module "app" {
  source = "./modules/app"
}

moved {
  from = local_file.greeting
  to   = module.app.local_file.greeting
}

moved {
  from = local_value.meta
  to   = module.app.local_value.meta
}
"#;

fn state_list(d: &Dir) -> Vec<String> {
    stdout(&ok(d.run(&["state", "list"])))
        .lines()
        .map(str::to_string)
        .collect()
}

#[test]
fn moving_resources_into_a_module_keeps_them() {
    let d = Dir::with(BEFORE);
    ok(d.run(&["apply", "--auto-approve"]));
    assert_eq!(state_list(&d), ["local_file.greeting", "local_value.meta"]);
    let written = std::fs::metadata(d.join("out/greeting.txt"))
        .and_then(|m| m.modified())
        .expect("the file was written");

    d.write("main.hcl", AFTER);
    d.write("modules/app/main.hcl", MODULE);
    let o = d.run(&["plan", "--detailed-exitcode", "--out", "moves.plan"]);
    expect_code(&o, 2);
    let out = stdout(&o);
    assert!(
        out.contains("# local_file.greeting has moved to module.app.local_file.greeting"),
        "{out}"
    );
    assert!(
        out.contains("# local_value.meta has moved to module.app.local_value.meta"),
        "{out}"
    );
    assert!(out.contains("Plan: 0 to add, 0 to change, 0 to destroy."), "{out}");
    assert!(
        !out.contains("will be destroyed") && !out.contains("will be created"),
        "{out}"
    );

    let shown = json(&ok(d.run(&["show", "--json", "moves.plan"])));
    let changes = shown["resource_changes"].as_array().expect("resource_changes");
    let moved: Vec<(String, String)> = changes
        .iter()
        .filter_map(|c| {
            Some((
                c["previous_address"].as_str()?.to_string(),
                c["address"].as_str()?.to_string(),
            ))
        })
        .collect();
    assert_eq!(
        moved,
        [
            (
                "local_file.greeting".to_string(),
                "module.app.local_file.greeting".to_string()
            ),
            (
                "local_value.meta".to_string(),
                "module.app.local_value.meta".to_string()
            ),
        ]
    );

    ok(d.run(&["apply", "moves.plan"]));
    assert_eq!(
        state_list(&d),
        ["module.app.local_file.greeting", "module.app.local_value.meta"]
    );
    let after = std::fs::metadata(d.join("out/greeting.txt"))
        .and_then(|m| m.modified())
        .expect("the file is still there");
    assert_eq!(written, after, "a move must not write the file again");
    // Nothing left to do, and `state mv` still works on the new addresses.
    ok(d.run(&["plan", "--detailed-exitcode"]));
    ok(d.run(&[
        "state",
        "mv",
        "module.app.local_value.meta",
        "module.app.local_value.info",
    ]));
    assert_eq!(
        state_list(&d),
        ["module.app.local_file.greeting", "module.app.local_value.info"]
    );
}

#[test]
fn removed_blocks_forget_or_destroy_through_the_binary() {
    let d = Dir::with(BEFORE);
    ok(d.run(&["apply", "--auto-approve"]));
    d.write(
        "main.hcl",
        r#"
removed {
  from = local_file.greeting
  lifecycle {
    destroy = false
  }
}

removed {
  from = local_value.meta
}
"#,
    );
    let o = d.run(&["plan", "--detailed-exitcode"]);
    expect_code(&o, 2);
    let out = stdout(&o);
    assert!(
        out.contains("# local_file.greeting will no longer be managed by Plinth"),
        "{out}"
    );
    assert!(out.contains("# local_value.meta will be destroyed"), "{out}");
    assert!(
        out.contains("Plan: 0 to add, 0 to change, 1 to destroy, 1 to forget."),
        "{out}"
    );
    ok(d.run(&["apply", "--auto-approve"]));
    assert!(state_list(&d).is_empty());
    assert_eq!(d.read("out/greeting.txt"), "hello\n", "a forgotten file stays");
}
