//! Engine tests of `moved` and `removed` blocks, written from Terraform's documented behaviour
//! ("Refactoring" and "Remove a resource from state"): a configuration and the prior state an
//! earlier apply left, and the plan Terraform would show. A moved object is never deleted and
//! created again: the plan says `# OLD has moved to NEW` (or an update with `(moved from OLD)`),
//! apply records the move, and the platform sees no delete and no create.
//!
//! `UPDATE_EXPECT=1 cargo test --test engine_moved` rewrites the snapshots.

mod support;

use expect_test::expect;
use support::{Workdir, apply_hcl};

/// The state's addresses, in order.
fn addresses(w: &Workdir) -> Vec<String> {
    w.state().resources.keys().cloned().collect()
}

/// Applies `hcl`, checks that the platform saw neither a create nor a delete, and that a second
/// plan is empty.
#[track_caller]
fn apply_without_recreating(w: &Workdir, hcl: &str) {
    let before = w.store().log.len();
    let applied = w.apply(hcl);
    applied.assert_ok();
    assert_eq!((applied.added, applied.destroyed), (0, 0), "{applied:?}");
    let log = w.store().log;
    assert!(
        !log[before..]
            .iter()
            .any(|l| l.starts_with("create") || l.starts_with("delete")),
        "a move must not re-create: {:?}",
        &log[before..]
    );
    let again = w.plan(hcl);
    assert!(
        again.starts_with("No changes."),
        "the second plan is not empty:\n{again}"
    );
}

#[test]
fn renaming_a_resource_moves_it() {
    let w = apply_hcl(
        r#"
resource "test_thing" "a" {
  name = "alpha"
}
"#,
    );
    let hcl = r#"
resource "test_thing" "b" {
  name = "alpha"
}
moved {
  from = test_thing.a
  to   = test_thing.b
}
"#;
    w.check_plan(
        hcl,
        expect![[r#"
            Plinth will perform the following actions:

              # test_thing.a has moved to test_thing.b
                resource "test_thing" "b" {
                    id   = "id-alpha"
                    name = "alpha"
                }

            Plan: 0 to add, 0 to change, 0 to destroy.
        "#]],
    );
    apply_without_recreating(&w, hcl);
    assert_eq!(addresses(&w), ["test_thing.b"]);
}

#[test]
fn a_move_with_a_change_is_an_update_that_says_where_it_came_from() {
    let w = apply_hcl(
        r#"
resource "test_thing" "a" {
  name = "alpha"
  size = 1
}
"#,
    );
    let hcl = r#"
resource "test_thing" "b" {
  name = "alpha"
  size = 2
}
moved {
  from = test_thing.a
  to   = test_thing.b
}
"#;
    w.check_plan(
        hcl,
        expect![[r#"
            Plinth will perform the following actions:

              # test_thing.b will be updated in place
              # (moved from test_thing.a)
              ~ resource "test_thing" "b" {
                    id   = "id-alpha"
                    name = "alpha"
                  ~ size = 1 -> 2
                }

            Plan: 0 to add, 1 to change, 0 to destroy.
        "#]],
    );
    apply_without_recreating(&w, hcl);
    assert_eq!(addresses(&w), ["test_thing.b"]);
    assert_eq!(
        w.store().by_name("alpha").map(|o| o.get("size").as_f64()),
        Some(Some(2.0))
    );
}

#[test]
fn count_and_for_each_keys_move() {
    let w = apply_hcl(
        r#"
resource "test_thing" "single" {
  name = "single"
}
resource "test_thing" "n" {
  count = 2
  name  = "n${count.index}"
}
"#,
    );
    // A resource gains `count` (`a` -> `a[0]`), and `count` becomes `for_each`
    // (`a[0]` -> `a["x"]`).
    let hcl = r#"
resource "test_thing" "single" {
  count = 1
  name  = "single"
}
resource "test_thing" "n" {
  for_each = { first = "n0", second = "n1" }
  name     = each.value
}
moved {
  from = test_thing.single
  to   = test_thing.single[0]
}
moved {
  from = test_thing.n[0]
  to   = test_thing.n["first"]
}
moved {
  from = test_thing.n[1]
  to   = test_thing.n["second"]
}
"#;
    w.check_plan(
        hcl,
        expect![[r#"
            Plinth will perform the following actions:

              # test_thing.n[0] has moved to test_thing.n["first"]
                resource "test_thing" "n" {
                    id   = "id-n0"
                    name = "n0"
                }

              # test_thing.n[1] has moved to test_thing.n["second"]
                resource "test_thing" "n" {
                    id   = "id-n1"
                    name = "n1"
                }

              # test_thing.single has moved to test_thing.single[0]
                resource "test_thing" "single" {
                    id   = "id-single"
                    name = "single"
                }

            Plan: 0 to add, 0 to change, 0 to destroy.
        "#]],
    );
    apply_without_recreating(&w, hcl);
    assert_eq!(
        addresses(&w),
        [
            "test_thing.n[\"first\"]",
            "test_thing.n[\"second\"]",
            "test_thing.single[0]"
        ]
    );
}

const MODULE: &str = r#"
variable "name" {}
resource "test_thing" "t" {
  name = var.name
}
"#;

#[test]
fn resources_move_into_a_module_and_whole_modules_move() {
    let w = Workdir::new();
    w.write("modules/one/main.hcl", MODULE);
    w.apply(
        r#"
resource "test_thing" "a" {
  name = "alpha"
}
module "old" {
  source = "./modules/one"
  name   = "beta"
}
"#,
    )
    .assert_ok();
    let hcl = r#"
module "alpha" {
  source = "./modules/one"
  name   = "alpha"
}
module "new" {
  source = "./modules/one"
  name   = "beta"
}
moved {
  from = test_thing.a
  to   = module.alpha.test_thing.t
}
moved {
  from = module.old
  to   = module.new
}
"#;
    w.check_plan(
        hcl,
        expect![[r#"
            Plinth will perform the following actions:

              # test_thing.a has moved to module.alpha.test_thing.t
                resource "test_thing" "t" {
                    id   = "id-alpha"
                    name = "alpha"
                }

              # module.old.test_thing.t has moved to module.new.test_thing.t
                resource "test_thing" "t" {
                    id   = "id-beta"
                    name = "beta"
                }

            Plan: 0 to add, 0 to change, 0 to destroy.
        "#]],
    );
    apply_without_recreating(&w, hcl);
    assert_eq!(addresses(&w), ["module.alpha.test_thing.t", "module.new.test_thing.t"]);
}

#[test]
fn moved_blocks_in_a_module_are_relative_to_it() {
    let w = Workdir::new();
    w.write("modules/one/main.hcl", MODULE);
    let call = r#"
module "m" {
  count  = 2
  source = "./modules/one"
  name   = "m${count.index}"
}
"#;
    w.apply(call).assert_ok();
    w.write(
        "modules/one/main.hcl",
        r#"
variable "name" {}
resource "test_thing" "renamed" {
  name = var.name
}
moved {
  from = test_thing.t
  to   = test_thing.renamed
}
"#,
    );
    w.check_plan(
        call,
        expect![[r#"
            Plinth will perform the following actions:

              # module.m[0].test_thing.t has moved to module.m[0].test_thing.renamed
                resource "test_thing" "renamed" {
                    id   = "id-m0"
                    name = "m0"
                }

              # module.m[1].test_thing.t has moved to module.m[1].test_thing.renamed
                resource "test_thing" "renamed" {
                    id   = "id-m1"
                    name = "m1"
                }

            Plan: 0 to add, 0 to change, 0 to destroy.
        "#]],
    );
    apply_without_recreating(&w, call);
    assert_eq!(
        addresses(&w),
        ["module.m[0].test_thing.renamed", "module.m[1].test_thing.renamed"]
    );
}

#[test]
fn chains_of_moves_resolve() {
    let w = apply_hcl(
        r#"
resource "test_thing" "a" {
  name = "alpha"
}
"#,
    );
    // Written out of order on purpose: the chain is followed, not the file.
    let hcl = r#"
resource "test_thing" "c" {
  name = "alpha"
}
moved {
  from = test_thing.b
  to   = test_thing.c
}
moved {
  from = test_thing.a
  to   = test_thing.b
}
"#;
    w.check_plan(
        hcl,
        expect![[r#"
            Plinth will perform the following actions:

              # test_thing.a has moved to test_thing.c
                resource "test_thing" "c" {
                    id   = "id-alpha"
                    name = "alpha"
                }

            Plan: 0 to add, 0 to change, 0 to destroy.
        "#]],
    );
    apply_without_recreating(&w, hcl);
    assert_eq!(addresses(&w), ["test_thing.c"]);
}

#[test]
fn a_move_onto_an_object_in_state_is_an_error() {
    let w = apply_hcl(
        r#"
resource "test_thing" "a" {
  name = "alpha"
}
resource "test_thing" "b" {
  name = "beta"
}
"#,
    );
    w.check_plan(
        r#"
resource "test_thing" "b" {
  name = "beta"
}
moved {
  from = test_thing.a
  to   = test_thing.b
}
"#,
        expect![[r#"
            main.hcl:5:1: error: Cannot move to test_thing.b: the address is already in use
              |
            5 | moved {
              | ^^^^^
              = hint: the moved block at main.hcl:5:1 moves an object to test_thing.b, but the state already has an object there; remove it first (`plinth state rm test_thing.b`) or move it elsewhere
        "#]],
    );
}

#[test]
fn a_cycle_of_moves_is_an_error_naming_both_blocks() {
    let w = apply_hcl(
        r#"
resource "test_thing" "a" {
  name = "alpha"
}
"#,
    );
    w.check_plan(
        r#"
resource "test_thing" "c" {
  name = "alpha"
}
moved {
  from = test_thing.a
  to   = test_thing.b
}
moved {
  from = test_thing.b
  to   = test_thing.a
}
"#,
        expect![[r#"
            main.hcl:5:1: error: Cyclic dependency in move statements
              |
            5 | moved {
              | ^^^^^
              = hint: these moved blocks move objects in a circle: main.hcl:5:1 (test_thing.a to test_thing.b), main.hcl:9:1 (test_thing.b to test_thing.a); remove the block that moves an object back
        "#]],
    );
}

#[test]
fn a_move_from_something_still_declared_is_an_error() {
    let w = apply_hcl(
        r#"
resource "test_thing" "a" {
  name = "alpha"
}
"#,
    );
    w.check_plan(
        r#"
resource "test_thing" "a" {
  name = "alpha"
}
resource "test_thing" "b" {
  name = "alpha"
}
moved {
  from = test_thing.a
  to   = test_thing.b
}
"#,
        expect![[r#"
            main.hcl:8:1: error: Moved object still exists
              |
            8 | moved {
              | ^^^^^
              = hint: the moved block at main.hcl:8:1 moves test_thing.a away, but it is still declared at main.hcl:2:1; delete that block, or rename it to test_thing.b
        "#]],
    );
}

#[test]
fn a_move_that_changes_the_type_or_is_ambiguous_is_an_error() {
    let w = apply_hcl(
        r#"
resource "test_thing" "a" {
  name = "alpha"
}
"#,
    );
    w.check_plan(
        r#"
resource "test_thing" "a" {
  name = "alpha"
}
moved {
  from = test_thing.a
  to   = other_thing.a
}
moved {
  from = module.a
  to   = test_thing.a
}
moved {
  from = test_thing
  to   = module.b.test_thing
}
"#,
        expect![[r#"
            main.hcl:5:1: error: Invalid moved block: test_thing.a to other_thing.a
              |
            5 | moved {
              | ^^^^^
              = hint: the resource type differs: a move only renames, it cannot change an object's type
            main.hcl:9:1: error: Invalid moved block: module.a to test_thing.a
              |
            9 | moved {
              | ^^^^^
              = hint: one address is a module and the other a resource; move a module to a module and a resource to a resource
            main.hcl:14:20: error: Invalid address in moved.from: expected "." and a name after the resource type, found the end
               |
            14 |   from = test_thing
               |                    ^
              = hint: write a resource or module address without quotes, such as local_file.a, local_file.a[0] or module.m.local_file.a
            main.hcl:15:29: error: Invalid address in moved.to: expected "." and a name after the resource type, found the end
               |
            15 |   to   = module.b.test_thing
               |                             ^
              = hint: write a resource or module address without quotes, such as local_file.a, local_file.a[0] or module.m.local_file.a
        "#]],
    );
    w.check_plan(
        r#"
resource "test_thing" "b" {
  name = "alpha"
}
moved {
  from = test_thing.a
  to   = test_thing.b
}
moved {
  from = test_thing.a
  to   = test_thing.c
}
"#,
        expect![[r#"
            main.hcl:9:1: error: Ambiguous move statements
              |
            9 | moved {
              | ^^^^^
              = hint: the moved blocks at main.hcl:5:1 and main.hcl:9:1 both have from = test_thing.a; keep one of them
        "#]],
    );
}

#[test]
fn removed_with_destroy_false_forgets_the_object() {
    let w = apply_hcl(
        r#"
resource "test_thing" "keep" {
  name = "keep"
}
resource "test_thing" "gone" {
  count = 2
  name  = "gone${count.index}"
}
"#,
    );
    let hcl = r#"
resource "test_thing" "keep" {
  name = "keep"
}
removed {
  from = test_thing.gone
  lifecycle {
    destroy = false
  }
}
"#;
    w.check_plan(
        hcl,
        expect![[r#"
            Plinth will perform the following actions:

              # test_thing.gone[0] will no longer be managed by Plinth
              . resource "test_thing" "gone" {
                    id   = "id-gone0"
                    name = "gone0"
                }

              # test_thing.gone[1] will no longer be managed by Plinth
              . resource "test_thing" "gone" {
                    id   = "id-gone1"
                    name = "gone1"
                }

            Plan: 0 to add, 0 to change, 0 to destroy, 2 to forget.
            warning: Some objects will no longer be managed by Plinth
              = hint: applying this plan removes test_thing.gone[0], test_thing.gone[1] from the state without deleting the objects; to manage them again, import them (`plinth import`)
        "#]],
    );
    let before = w.store().log.len();
    w.apply(hcl).assert_ok();
    assert_eq!(addresses(&w), ["test_thing.keep"]);
    assert_eq!(
        w.names(),
        ["gone0", "gone1", "keep"],
        "the objects stay on the platform"
    );
    let log = w.store().log;
    assert!(!log[before..].iter().any(|l| l.starts_with("delete")), "{log:?}");
    assert!(w.plan(hcl).starts_with("No changes."));
}

#[test]
fn removed_with_destroy_true_destroys_it() {
    let w = apply_hcl(
        r#"
resource "test_thing" "gone" {
  name = "gone"
}
"#,
    );
    let hcl = r#"
removed {
  from = test_thing.gone
  lifecycle {
    destroy = true
  }
}
"#;
    w.check_plan(
        hcl,
        expect![[r#"
            Plinth will perform the following actions:

              # test_thing.gone will be destroyed
              # (because test_thing.gone is not in the configuration)
              - resource "test_thing" "gone" {
                  - id   = "id-gone" -> null
                  - name = "gone" -> null
                }

            Plan: 0 to add, 0 to change, 1 to destroy.
        "#]],
    );
    w.apply(hcl).assert_ok();
    assert!(w.names().is_empty());
    assert!(addresses(&w).is_empty());
}

#[test]
fn removed_for_something_still_configured_is_an_error() {
    let w = apply_hcl(
        r#"
resource "test_thing" "a" {
  name = "alpha"
}
"#,
    );
    w.write("m/main.hcl", "");
    w.check_plan(
        r#"
resource "test_thing" "a" {
  name = "alpha"
}
removed {
  from = test_thing.a
  lifecycle {
    destroy = false
  }
}
module "m" {
  source = "./m"
}
removed {
  from = module.m
}
"#,
        expect![[r#"
            main.hcl:5:1: error: Removed resource still exists
              |
            5 | removed {
              | ^^^^^^^
              = hint: the removed block at main.hcl:5:1 is for test_thing.a, which is still declared at main.hcl:2:1; delete that block, or the removed block
            main.hcl:14:1: error: Removed module still exists
               |
            14 | removed {
               | ^^^^^^^
              = hint: the removed block at main.hcl:14:1 is for module.m, which is still declared at main.hcl:11:1; delete that block, or the removed block
        "#]],
    );
    w.check_plan(
        r#"
removed {
  from = test_thing.b[0]
}
"#,
        expect![[r#"
            main.hcl:2:1: error: Invalid removed block: test_thing.b[0]
              |
            2 | removed {
              | ^^^^^^^
              = hint: removed.from names a whole resource or module, without instance keys
        "#]],
    );
}

#[test]
fn the_json_plan_carries_previous_address() {
    let w = apply_hcl(
        r#"
resource "test_thing" "a" {
  name = "alpha"
}
"#,
    );
    w.config(
        r#"
resource "test_thing" "b" {
  name = "alpha"
}
moved {
  from = test_thing.a
  to   = test_thing.b
}
"#,
    );
    let plan = w.plan_current(&Default::default()).plan.expect("the plan succeeds");
    let json = plinth::plan::json::plan_json(&plan, Some(&w.state()));
    let change = &json["resource_changes"][0];
    assert_eq!(change["address"], "test_thing.b");
    assert_eq!(change["previous_address"], "test_thing.a");
    assert_eq!(change["change"]["actions"], serde_json::json!(["no-op"]));
}
