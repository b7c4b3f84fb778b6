//! When a data source is read, with the local provider: during plan unless its configuration
//! holds unknown values or something it depends on (directly, through `depends_on`, or through
//! the `depends_on` of a module call around it) has a change in the plan; then during apply, in
//! graph order, and everything that refers to it sees unknown values in the plan. Engine tests
//! run in-process (`tests/support/mod.rs`); the saved-plan test runs the `plinth` binary.

mod support;

use expect_test::expect;
use support::Workdir;
use support::cli::{Dir, expect_code, json, ok, stdout};

/// A file written by a resource, read back by a data source that says it depends on the resource
/// (nothing in its arguments refers to it), and copied by a second resource.
fn spec_and_copy(content: &str) -> String {
    format!(
        r#"
resource "local_file" "spec" {{
  path    = "spec.txt"
  content = "{content}"
}}

data "local_file" "spec" {{
  filename   = "spec.txt"
  depends_on = [local_file.spec]
}}

resource "local_file" "copy" {{
  path    = "copy.txt"
  content = data.local_file.spec.content
}}
"#
    )
}

fn read(w: &Workdir, path: &str) -> String {
    std::fs::read_to_string(w.root.join(path)).unwrap_or_else(|e| panic!("read {path}: {e}"))
}

#[test]
fn depends_on_a_resource_to_create_defers_the_read_to_apply() {
    let w = Workdir::new();
    let hcl = spec_and_copy("hello");
    // Read during plan, the file would not exist yet.
    w.check_plan(
        &hcl,
        expect![[r#"
            Plinth will perform the following actions:

              # local_file.copy will be created
              + resource "local_file" "copy" {
                  + content         = (known after apply)
                  + file_permission = "0644"
                  + id              = (known after apply)
                  + path            = "copy.txt"
                }

              # local_file.spec will be created
              + resource "local_file" "spec" {
                  + content         = "hello"
                  + file_permission = "0644"
                  + id              = "2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824"
                  + path            = "spec.txt"
                }

              # data.local_file.spec will be read during apply
              # (depends on a resource or a module with changes pending)
             <= data "local_file" "spec" {
                  + content        = (known after apply)
                  + content_base64 = (known after apply)
                  + filename       = "spec.txt"
                  + id             = (known after apply)
                }

            Plan: 2 to add, 0 to change, 0 to destroy.
        "#]],
    );
    let applied = w.apply(&hcl);
    applied.assert_ok();
    assert_eq!((applied.added, applied.changed, applied.destroyed), (2, 0, 0));
    assert_eq!(
        read(&w, "copy.txt"),
        "hello",
        "the data source was read after the file was written"
    );
    // Nothing depends on a pending change any more: read during plan, and nothing to do.
    w.check_plan(
        &hcl,
        expect![[r#"
            No changes. Your infrastructure matches the configuration.

            Plinth has compared your real infrastructure against your configuration and found no differences, so no changes are needed.
        "#]],
    );
}

#[test]
fn an_update_of_the_dependency_defers_the_read_and_an_unchanged_one_does_not() {
    let w = Workdir::new();
    w.apply(&spec_and_copy("hello")).assert_ok();

    // The dependency changes: read during plan, the data source would see the old content and
    // the copy would be planned (and applied) as no change.
    let hcl = spec_and_copy("world");
    w.check_plan(
        &hcl,
        expect![[r#"
            Plinth will perform the following actions:

              # local_file.copy will be updated in place
              ~ resource "local_file" "copy" {
                  ~ content = "hello" -> (known after apply)
                  ~ id      = "2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824" -> (known after apply)
                    path    = "copy.txt"
                    # (1 unchanged attribute hidden)
                }

              # local_file.spec will be updated in place
              ~ resource "local_file" "spec" {
                  ~ content = "hello" -> "world"
                  ~ id      = "2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824" -> "486ea46224d1bb4fb680f34f7c9ad96a8f24ec88be73ea8e5a6c65260e9cb8a7"
                    path    = "spec.txt"
                    # (1 unchanged attribute hidden)
                }

              # data.local_file.spec will be read during apply
              # (depends on a resource or a module with changes pending)
             <= data "local_file" "spec" {
                  + content        = (known after apply)
                  + content_base64 = (known after apply)
                  + filename       = "spec.txt"
                  + id             = (known after apply)
                }

            Plan: 0 to add, 2 to change, 0 to destroy.
        "#]],
    );
    w.apply(&hcl).assert_ok();
    assert_eq!(read(&w, "copy.txt"), "world");

    // Only the copy's own argument changes: its dependency has no change, so the data source is
    // read during plan and the copy's new content is known.
    let hcl = spec_and_copy("world").replace(
        "content = data.local_file.spec.content",
        "content = \"${data.local_file.spec.content}!\"",
    );
    w.check_plan(
        &hcl,
        expect![[r#"
            Plinth will perform the following actions:

              # local_file.copy will be updated in place
              ~ resource "local_file" "copy" {
                  ~ content = "world" -> "world!"
                  ~ id      = "486ea46224d1bb4fb680f34f7c9ad96a8f24ec88be73ea8e5a6c65260e9cb8a7" -> "711e9609339e92b03ddc0a211827dba421f38f9ed8b9d806e1ffdd8c15ffa03d"
                    path    = "copy.txt"
                    # (1 unchanged attribute hidden)
                }

            Plan: 0 to add, 1 to change, 0 to destroy.
        "#]],
    );
    w.apply(&hcl).assert_ok();
    assert_eq!(read(&w, "copy.txt"), "world!");
    assert!(w.plan(&hcl).starts_with("No changes."), "{}", w.plan(&hcl));
}

#[test]
fn an_argument_known_only_after_apply_defers_the_read() {
    let w = Workdir::new();
    // `output` of a local_value is unknown until it is created.
    let hcl = r#"
resource "local_file" "spec" {
  path    = "spec.txt"
  content = "from a name known at apply"
}

resource "local_value" "name" {
  input = local_file.spec.path
}

data "local_file" "spec" {
  filename = local_value.name.output
}

resource "local_value" "copy" {
  input = data.local_file.spec.content
}

output "copied" {
  value = local_value.copy.output
}
"#;
    let planned = w.plan(hcl);
    assert!(
        planned.contains(
            "  # data.local_file.spec will be read during apply\n  # (config refers to values not yet known)\n"
        ),
        "{planned}"
    );
    assert!(planned.contains("+ filename       = (known after apply)"), "{planned}");
    w.apply(hcl).assert_ok();
    let state = w.state();
    let copy = &state.resources["local_value.copy"];
    assert_eq!(copy.attributes["output"], "from a name known at apply");
    assert!(w.plan(hcl).starts_with("No changes."), "{}", w.plan(hcl));
}

#[test]
fn depends_on_a_module_call_defers_the_reads_inside_it() {
    let w = Workdir::new();
    w.write(
        "reader/main.hcl",
        r#"
variable "file" {
  type = string
}

data "local_file" "f" {
  filename = var.file
}

output "content" {
  value = data.local_file.f.content
}
"#,
    );
    let hcl = r#"
resource "local_file" "spec" {
  path    = "spec.txt"
  content = "read inside a module"
}

module "reader" {
  source     = "./reader"
  file       = "spec.txt"
  depends_on = [local_file.spec]
}

resource "local_value" "copy" {
  input = module.reader.content
}
"#;
    let planned = w.plan(hcl);
    assert!(
        planned.contains("  # module.reader.data.local_file.f will be read during apply\n"),
        "{planned}"
    );
    w.apply(hcl).assert_ok();
    assert_eq!(
        w.state().resources["local_value.copy"].attributes["output"],
        "read inside a module"
    );
    assert!(w.plan(hcl).starts_with("No changes."), "{}", w.plan(hcl));
}

#[test]
fn a_saved_plan_carries_the_deferred_read_to_json_markdown_and_apply() {
    let d = Dir::with(&spec_and_copy("saved"));
    let o = d.run(&["plan", "--detailed-exitcode", "--out", "read.plan"]);
    expect_code(&o, 2);
    assert!(
        stdout(&o).contains("# data.local_file.spec will be read during apply"),
        "{}",
        stdout(&o)
    );

    let shown = json(&ok(d.run(&["show", "--json", "read.plan"])));
    let changes = shown["resource_changes"].as_array().expect("resource_changes");
    let read = changes
        .iter()
        .find(|c| c["address"] == "data.local_file.spec")
        .unwrap_or_else(|| panic!("no change for the data source: {changes:#?}"));
    assert_eq!(read["mode"], "data");
    assert_eq!(read["change"]["actions"], serde_json::json!(["read"]));
    assert_eq!(read["action_reason"], "read_because_dependency_pending");
    assert_eq!(read["change"]["after"]["filename"], "spec.txt");
    assert_eq!(read["change"]["after_unknown"]["content"], true);

    let md = stdout(&ok(d.run(&["show", "--markdown", "read.plan"])));
    assert!(md.contains("data.local_file.spec"), "{md}");
    assert!(
        md.contains("depends on a resource or a module with changes pending"),
        "{md}"
    );

    ok(d.run(&["apply", "read.plan"]));
    assert_eq!(d.read("copy.txt"), "saved");
    let o = d.run(&["plan", "--detailed-exitcode"]);
    expect_code(&o, 0);
}

#[test]
fn an_update_planned_on_a_deferred_read_may_turn_out_to_change_nothing() {
    let w = Workdir::new();
    let hcl = |content: &str| {
        format!(
            r#"
resource "local_file" "spec" {{
  path    = "spec.txt"
  content = "{content}"
}}

data "local_file" "spec" {{
  filename   = "spec.txt"
  depends_on = [local_file.spec]
}}

resource "local_value" "length" {{
  input = length(data.local_file.spec.content)
}}
"#
        )
    };
    w.apply(&hcl("hello")).assert_ok();
    // "world" is as long as "hello": the length is unknown in the plan (an update), and the
    // same once read, so apply leaves it alone instead of refusing a plan that no longer holds.
    let planned = w.plan(&hcl("world"));
    assert!(
        planned.contains("# local_value.length will be updated in place"),
        "{planned}"
    );
    let applied = w.apply(&hcl("world"));
    applied.assert_ok();
    assert_eq!(applied.changed, 1, "only the file changed");
    assert_eq!(w.state().resources["local_value.length"].attributes["output"], 5);
    assert!(w.plan(&hcl("world")).starts_with("No changes."));
}

#[test]
fn a_change_in_a_sibling_module_instance_does_not_defer_a_read() {
    let w = Workdir::new();
    w.write(
        "pair/main.hcl",
        r#"
variable "content" {
  type = string
}

resource "local_file" "spec" {
  path    = "${path.module}/${var.content}.txt"
  content = var.content
}

data "local_file" "spec" {
  filename   = "${path.module}/${var.content}.txt"
  depends_on = [local_file.spec]
}
"#,
    );
    let hcl = |contents: &str| {
        format!(
            r#"
module "pair" {{
  source   = "./pair"
  for_each = toset([{contents}])
  content  = each.key
}}
"#
        )
    };
    w.apply(&hcl(r#""a""#)).assert_ok();
    // A new instance "b": its own read waits for its file; the read of "a" does not.
    let planned = w.plan(&hcl(r#""a", "b""#));
    assert!(
        planned.contains(r#"# module.pair["b"].data.local_file.spec will be read during apply"#),
        "{planned}"
    );
    assert!(
        !planned.contains(r#"# module.pair["a"].data.local_file.spec"#),
        "{planned}"
    );
    w.apply(&hcl(r#""a", "b""#)).assert_ok();
    assert!(w.plan(&hcl(r#""a", "b""#)).starts_with("No changes."));
}
