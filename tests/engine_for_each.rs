//! `for_each` over a map whose values are known only after apply: Terraform plans one instance
//! per key (the keys are known) and each.value stays unknown until apply. A set whose elements
//! are unknown is still an error: its elements are the keys.

mod support;

use expect_test::expect;
use support::{Workdir, check_plan};

const HCL: &str = r#"
resource "test_thing" "policy" {
  for_each = toset(["artifacts", "logs"])
  name     = each.key
}
resource "test_thing" "attachment" {
  for_each = {
    artifacts = test_thing.policy["artifacts"].id
    logs      = test_thing.policy["logs"].id
  }
  name = "attach-${each.key}"
  tags = { policy = each.value }
}
"#;

#[test]
fn a_map_with_unknown_values_plans_one_instance_per_key() {
    check_plan(
        HCL,
        expect![[r#"
            Plinth will perform the following actions:

              # test_thing.attachment["artifacts"] will be created
              + resource "test_thing" "attachment" {
                  + id   = (known after apply)
                  + name = "attach-artifacts"
                  + tags = {
                      + policy = (known after apply)
                    }
                }

              # test_thing.attachment["logs"] will be created
              + resource "test_thing" "attachment" {
                  + id   = (known after apply)
                  + name = "attach-logs"
                  + tags = {
                      + policy = (known after apply)
                    }
                }

              # test_thing.policy["artifacts"] will be created
              + resource "test_thing" "policy" {
                  + id   = (known after apply)
                  + name = "artifacts"
                }

              # test_thing.policy["logs"] will be created
              + resource "test_thing" "policy" {
                  + id   = (known after apply)
                  + name = "logs"
                }

            Plan: 4 to add, 0 to change, 0 to destroy.
        "#]],
    );
    let w = Workdir::new();
    w.apply(HCL).assert_ok();
    let store = w.store();
    let attachment = store.by_name("attach-logs").expect("created");
    let policy = store.by_name("logs").expect("created");
    assert_eq!(
        attachment.get("tags").get("policy"),
        policy.get("id"),
        "each.value known at apply"
    );
}

#[test]
fn a_set_of_unknown_elements_is_still_an_error() {
    check_plan(
        r#"
resource "test_thing" "a" {
  name = "alpha"
}
resource "test_thing" "b" {
  for_each = toset([test_thing.a.id])
  name     = each.key
}
"#,
        expect![[r#"
            main.hcl:6:14: error: Invalid for_each argument
              |
            6 |   for_each = toset([test_thing.a.id])
              |              ^^^^^^^^^^^^^^^^^^^^^^^^
              = hint: the for_each of test_thing.b depends on values known only after apply; its keys must be known at plan time
        "#]],
    );
}
