//! Engine tests: inline HCL planned and applied in-process with the test provider
//! (`tests/support/provider.rs`), the rendered plan compared with a snapshot.
//!
//! `UPDATE_EXPECT=1 cargo test --test engine` rewrites the snapshots; read the diff before
//! committing it; every snapshot is a claim about what a user sees.

mod support;

use expect_test::expect;
use support::{Opts, Workdir, apply_hcl, assert_before, check_plan};

#[test]
fn create_shows_every_attribute_and_leaves_computed_ones_unknown() {
    check_plan(
        r#"
resource "test_thing" "a" {
  name = "alpha"
  size = 3
  tags = { team = "ml", "cost-center" = "42" }
}
"#,
        expect![[r#"
            Plinth will perform the following actions:

              # test_thing.a will be created
              + resource "test_thing" "a" {
                  + id   = (known after apply)
                  + name = "alpha"
                  + size = 3
                  + tags = {
                      + cost-center = "42"
                      + team        = "ml"
                    }
                }

            Plan: 1 to add, 0 to change, 0 to destroy.
        "#]],
    );
}

#[test]
fn apply_creates_the_object_and_a_second_plan_is_empty() {
    let hcl = r#"
resource "test_thing" "a" {
  name   = "alpha"
  size   = 3
  tags   = { team = "ml" }
  secret = "hunter2"
}
"#;
    let w = Workdir::new();
    let applied = w.apply(hcl);
    applied.assert_ok();
    assert_eq!((applied.added, applied.changed, applied.destroyed), (1, 0, 0));
    let store = w.store();
    let obj = store.by_name("alpha").expect("alpha was created");
    assert_eq!(obj.get("size").as_f64(), Some(3.0));
    assert_eq!(obj.get("id").as_str(), Some("id-alpha"));
    w.check_plan(hcl, expect![[r#"
        No changes. Your infrastructure matches the configuration.

        Plinth has compared your real infrastructure against your configuration and found no differences, so no changes are needed.
    "#]]);
}

#[test]
fn update_in_place_shows_only_what_changes() {
    let w = apply_hcl(
        r#"
resource "test_thing" "a" {
  name = "alpha"
  size = 3
  tags = { team = "ml", tier = "gold" }
}
"#,
    );
    let hcl = r#"
resource "test_thing" "a" {
  name = "alpha"
  size = 5
  tags = { team = "ml", tier = "silver", owner = "ana" }
}
"#;
    w.check_plan(
        hcl,
        expect![[r#"
        Plinth will perform the following actions:

          # test_thing.a will be updated in place
          ~ resource "test_thing" "a" {
                id   = "id-alpha"
                name = "alpha"
              ~ size = 3 -> 5
              ~ tags = {
                  + owner = "ana"
                  ~ tier  = "gold" -> "silver"
                    # (1 unchanged element hidden)
                }
            }

        Plan: 0 to add, 1 to change, 0 to destroy.
    "#]],
    );
    let applied = w.apply(hcl);
    applied.assert_ok();
    assert_eq!((applied.added, applied.changed, applied.destroyed), (0, 1, 0));
    let store = w.store();
    assert_eq!(store.by_name("alpha").map(|o| o.get("size").as_f64()), Some(Some(5.0)));
    assert!(
        !store.log.iter().any(|l| l.starts_with("delete")),
        "an update must not delete: {:?}",
        store.log
    );
}

#[test]
fn changing_a_force_new_attribute_replaces_delete_first() {
    let w = apply_hcl(
        r#"
resource "test_thing" "a" {
  name = "alpha"
  size = 3
}
"#,
    );
    let hcl = r#"
resource "test_thing" "a" {
  name = "beta"
  size = 3
}
"#;
    w.check_plan(
        hcl,
        expect![[r#"
        Plinth will perform the following actions:

          # test_thing.a must be replaced
        -/+ resource "test_thing" "a" {
              ~ id   = "id-alpha" -> (known after apply)
              ~ name = "alpha" -> "beta" # forces replacement
                # (1 unchanged attribute hidden)
            }

        Plan: 1 to add, 0 to change, 1 to destroy.
    "#]],
    );
    let applied = w.apply(hcl);
    applied.assert_ok();
    assert_eq!((applied.added, applied.changed, applied.destroyed), (1, 0, 1));
    assert_eq!(w.names(), ["beta"]);
    assert_before(&w.store().log, "delete alpha: done", "create beta");
}

#[test]
fn create_before_destroy_creates_the_replacement_first() {
    let w = apply_hcl(
        r#"
resource "test_thing" "a" {
  name = "alpha"
  lifecycle {
    create_before_destroy = true
  }
}
"#,
    );
    let hcl = r#"
resource "test_thing" "a" {
  name = "beta"
  lifecycle {
    create_before_destroy = true
  }
}
"#;
    w.check_plan(
        hcl,
        expect![[r#"
        Plinth will perform the following actions:

          # test_thing.a must be replaced
        +/- resource "test_thing" "a" {
              ~ id   = "id-alpha" -> (known after apply)
              ~ name = "alpha" -> "beta" # forces replacement
            }

        Plan: 1 to add, 0 to change, 1 to destroy.
    "#]],
    );
    w.apply(hcl).assert_ok();
    assert_eq!(w.names(), ["beta"]);
    assert_before(&w.store().log, "create beta: done", "delete alpha");
    let state = w.state();
    assert_eq!(state.resources.keys().collect::<Vec<_>>(), ["test_thing.a"]);
}

#[test]
fn removing_a_block_plans_its_delete() {
    let w = apply_hcl(
        r#"
resource "test_thing" "a" {
  name = "alpha"
}
resource "test_thing" "b" {
  name = "beta"
  size = 2
}
"#,
    );
    let hcl = r#"
resource "test_thing" "a" {
  name = "alpha"
}
"#;
    w.check_plan(
        hcl,
        expect![[r#"
        Plinth will perform the following actions:

          # test_thing.b will be destroyed
          # (because test_thing.b is not in the configuration)
          - resource "test_thing" "b" {
              - id   = "id-beta" -> null
              - name = "beta" -> null
              - size = 2 -> null
            }

        Plan: 0 to add, 0 to change, 1 to destroy.
    "#]],
    );
    let applied = w.apply(hcl);
    applied.assert_ok();
    assert_eq!(applied.destroyed, 1);
    assert_eq!(w.names(), ["alpha"]);
    assert!(!w.state().resources.contains_key("test_thing.b"));
}

#[test]
fn removing_every_resource_of_a_provider_deletes_them_while_its_block_stays() {
    let w = apply_hcl(
        r#"
provider "test" {}
resource "test_thing" "a" {
  name = "alpha"
}
"#,
    );
    let hcl = r#"
provider "test" {}
"#;
    w.check_plan(
        hcl,
        expect![[r#"
        Plinth will perform the following actions:

          # test_thing.a will be destroyed
          # (because test_thing.a is not in the configuration)
          - resource "test_thing" "a" {
              - id   = "id-alpha" -> null
              - name = "alpha" -> null
            }

        Plan: 0 to add, 0 to change, 1 to destroy.
    "#]],
    );
    w.apply(hcl).assert_ok();
    assert!(w.names().is_empty());
}

#[test]
fn count_and_for_each_address_each_instance() {
    check_plan(
        r#"
resource "test_thing" "a" {
  count = 2
  name  = "a-${count.index}"
}
resource "test_thing" "b" {
  for_each = { x = 1, y = 2 }
  name     = "b-${each.key}"
  size     = each.value
}
"#,
        expect![[r#"
            Plinth will perform the following actions:

              # test_thing.a[0] will be created
              + resource "test_thing" "a" {
                  + id   = (known after apply)
                  + name = "a-0"
                }

              # test_thing.a[1] will be created
              + resource "test_thing" "a" {
                  + id   = (known after apply)
                  + name = "a-1"
                }

              # test_thing.b["x"] will be created
              + resource "test_thing" "b" {
                  + id   = (known after apply)
                  + name = "b-x"
                  + size = 1
                }

              # test_thing.b["y"] will be created
              + resource "test_thing" "b" {
                  + id   = (known after apply)
                  + name = "b-y"
                  + size = 2
                }

            Plan: 4 to add, 0 to change, 0 to destroy.
        "#]],
    );
}

#[test]
fn shrinking_count_and_for_each_deletes_the_instances_that_went_away() {
    let w = apply_hcl(
        r#"
resource "test_thing" "a" {
  count = 3
  name  = "a-${count.index}"
}
resource "test_thing" "b" {
  for_each = toset(["x", "y"])
  name     = "b-${each.key}"
}
"#,
    );
    assert_eq!(w.names(), ["a-0", "a-1", "a-2", "b-x", "b-y"]);
    let hcl = r#"
resource "test_thing" "a" {
  count = 1
  name  = "a-${count.index}"
}
resource "test_thing" "b" {
  for_each = toset(["x"])
  name     = "b-${each.key}"
}
"#;
    w.check_plan(
        hcl,
        expect![[r#"
        Plinth will perform the following actions:

          # test_thing.a[1] will be destroyed
          # (because test_thing.a[1] is not in the configuration)
          - resource "test_thing" "a" {
              - id   = "id-a-1" -> null
              - name = "a-1" -> null
            }

          # test_thing.a[2] will be destroyed
          # (because test_thing.a[2] is not in the configuration)
          - resource "test_thing" "a" {
              - id   = "id-a-2" -> null
              - name = "a-2" -> null
            }

          # test_thing.b["y"] will be destroyed
          # (because test_thing.b["y"] is not in the configuration)
          - resource "test_thing" "b" {
              - id   = "id-b-y" -> null
              - name = "b-y" -> null
            }

        Plan: 0 to add, 0 to change, 3 to destroy.
    "#]],
    );
    w.apply(hcl).assert_ok();
    assert_eq!(w.names(), ["a-0", "b-x"]);
}

const MODULE: &str = r#"
variable "prefix" {
  type = string
}
variable "size" {
  type    = number
  default = 1
}
resource "test_thing" "this" {
  name = "${var.prefix}-svc"
  size = var.size
}
output "name" {
  value = test_thing.this.name
}
output "id" {
  value = test_thing.this.id
}
"#;

#[test]
fn module_with_count_expands_instances_and_passes_outputs() {
    let w = Workdir::new();
    w.write("modules/svc/main.hcl", MODULE);
    let hcl = r#"
module "svc" {
  source = "./modules/svc"
  count  = 2
  prefix = "m${count.index}"
  size   = count.index + 10
}
resource "test_thing" "user" {
  name = "user"
  tags = { upstream = module.svc[0].name }
}
output "names" {
  value = module.svc[*].name
}
output "first_id" {
  value = module.svc[0].id
}
"#;
    w.check_plan(
        hcl,
        expect![[r#"
        Plinth will perform the following actions:

          # test_thing.user will be created
          + resource "test_thing" "user" {
              + id   = (known after apply)
              + name = "user"
              + tags = {
                  + upstream = "m0-svc"
                }
            }

          # module.svc[0].test_thing.this will be created
          + resource "test_thing" "this" {
              + id   = (known after apply)
              + name = "m0-svc"
              + size = 10
            }

          # module.svc[1].test_thing.this will be created
          + resource "test_thing" "this" {
              + id   = (known after apply)
              + name = "m1-svc"
              + size = 11
            }

        Plan: 3 to add, 0 to change, 0 to destroy.

        Changes to Outputs:
          + first_id = (known after apply)
          + names    = [
              + "m0-svc",
              + "m1-svc",
            ]
    "#]],
    );
    w.apply(hcl).assert_ok();
    assert_eq!(w.names(), ["m0-svc", "m1-svc", "user"]);
    let state = w.state();
    assert_eq!(
        state.outputs.get("names").map(|o| o.value.clone()),
        Some(serde_json::json!(["m0-svc", "m1-svc"]))
    );
    assert_eq!(
        state.outputs.get("first_id").map(|o| o.value.clone()),
        Some(serde_json::json!("id-m0-svc"))
    );
    assert!(
        state.resources.contains_key("module.svc[1].test_thing.this"),
        "{:?}",
        state.resources.keys()
    );
    w.check_plan(hcl, expect![[r#"
        No changes. Your infrastructure matches the configuration.

        Plinth has compared your real infrastructure against your configuration and found no differences, so no changes are needed.
    "#]]);
}

#[test]
fn data_source_values_are_read_at_plan_time() {
    let w = Workdir::new();
    // An object that exists on the platform but is not managed by this configuration.
    w.out_of_band(|s| {
        s.objects.insert(
            "id-shared".to_string(),
            plinth_sdk::Value::object([
                ("name", plinth_sdk::Value::string("shared")),
                ("id", plinth_sdk::Value::string("id-shared")),
                ("size", plinth_sdk::Value::int(7)),
            ]),
        );
    });
    w.check_plan(
        r#"
data "test_lookup" "shared" {
  name = "shared"
}
resource "test_thing" "a" {
  name = "next-to-${data.test_lookup.shared.id}"
  size = data.test_lookup.shared.size + 1
}
"#,
        expect![[r#"
            Plinth will perform the following actions:

              # test_thing.a will be created
              + resource "test_thing" "a" {
                  + id   = (known after apply)
                  + name = "next-to-id-shared"
                  + size = 8
                }

            Plan: 1 to add, 0 to change, 0 to destroy.
        "#]],
    );
}

#[test]
fn data_source_with_unknown_configuration_is_read_during_apply() {
    let w = Workdir::new();
    let hcl = r#"
resource "test_thing" "a" {
  name = "alpha"
  size = 4
}
data "test_lookup" "a" {
  name = test_thing.a.id == "" ? "none" : "alpha"
}
resource "test_thing" "b" {
  name = "beta"
  size = data.test_lookup.a.size * 2
}
"#;
    w.check_plan(
        hcl,
        expect![[r#"
        Plinth will perform the following actions:

          # test_thing.a will be created
          + resource "test_thing" "a" {
              + id   = (known after apply)
              + name = "alpha"
              + size = 4
            }

          # test_thing.b will be created
          + resource "test_thing" "b" {
              + id   = (known after apply)
              + name = "beta"
              + size = (known after apply)
            }

          # data.test_lookup.a will be read during apply
          # (config refers to values not yet known)
         <= data "test_lookup" "a" {
              + id   = (known after apply)
              + name = (known after apply)
              + size = (known after apply)
            }

        Plan: 2 to add, 0 to change, 0 to destroy.
    "#]],
    );
    w.apply(hcl).assert_ok();
    assert_eq!(
        w.store().by_name("beta").map(|o| o.get("size").as_f64()),
        Some(Some(8.0))
    );
}

#[test]
fn references_to_computed_attributes_are_known_after_apply() {
    check_plan(
        r#"
resource "test_thing" "a" {
  name = "alpha"
}
resource "test_thing" "b" {
  name = "${test_thing.a.id}-child"
  tags = { parent = test_thing.a.id, fixed = "yes" }
}
"#,
        expect![[r#"
            Plinth will perform the following actions:

              # test_thing.a will be created
              + resource "test_thing" "a" {
                  + id   = (known after apply)
                  + name = "alpha"
                }

              # test_thing.b will be created
              + resource "test_thing" "b" {
                  + id   = (known after apply)
                  + name = (known after apply)
                  + tags = {
                      + fixed  = "yes"
                      + parent = (known after apply)
                    }
                }

            Plan: 2 to add, 0 to change, 0 to destroy.
        "#]],
    );
}

#[test]
fn sensitive_attribute_never_shows_its_value() {
    let hcl = r#"
variable "password" {
  type      = string
  sensitive = true
  default   = "hunter2"
}
resource "test_thing" "a" {
  name   = "alpha"
  secret = "s3cr3t"
}
resource "test_thing" "b" {
  name = "beta"
  tags = { pw = var.password }
}
output "password" {
  value     = var.password
  sensitive = true
}
"#;
    let w = Workdir::new();
    w.check_plan(
        hcl,
        expect![[r#"
            Plinth will perform the following actions:

              # test_thing.a will be created
              + resource "test_thing" "a" {
                  + id     = (known after apply)
                  + name   = "alpha"
                  + secret = (sensitive)
                }

              # test_thing.b will be created
              + resource "test_thing" "b" {
                  + id   = (known after apply)
                  + name = "beta"
                  + tags = {
                      + pw = (sensitive)
                    }
                }

            Plan: 2 to add, 0 to change, 0 to destroy.

            Changes to Outputs:
              + password = (sensitive)
        "#]],
    );
    w.apply(hcl).assert_ok();
    let state_text = std::fs::read_to_string(w.root.join(".plinth/env/default/state.json")).expect("state file");
    assert!(!state_text.contains("s3cr3t"), "secret in state: {state_text}");
    assert!(!state_text.contains("hunter2"), "secret in state: {state_text}");
    // The platform did receive the secret.
    assert_eq!(
        w.store()
            .by_name("alpha")
            .map(|o| o.get("secret").as_str().map(str::to_string)),
        Some(Some("s3cr3t".to_string()))
    );
    w.check_plan(hcl, expect![[r#"
        No changes. Your infrastructure matches the configuration.

        Plinth has compared your real infrastructure against your configuration and found no differences, so no changes are needed.
    "#]]);
    let planned = w.plan_with(&hcl.replace("s3cr3t", "0th3r"), &Opts::default());
    assert!(
        planned.drift.is_empty(),
        "a changed secret in the configuration is not drift: {:?}",
        planned.drift
    );
    expect![[r#"
        Plinth will perform the following actions:

          # test_thing.a will be updated in place
          ~ resource "test_thing" "a" {
                id     = "id-alpha"
                name   = "alpha"
              ~ secret = (sensitive)
            }

        Plan: 0 to add, 1 to change, 0 to destroy.
    "#]]
    .assert_eq(&planned.text);
}

#[test]
fn ignore_changes_keeps_out_of_band_and_config_changes_out_of_the_plan() {
    let w = apply_hcl(
        r#"
resource "test_thing" "a" {
  name = "alpha"
  size = 1
  tags = { team = "ml" }
  lifecycle {
    ignore_changes = [tags]
  }
}
"#,
    );
    // Someone tags the object by hand; the configuration also changes its tags and its size.
    w.out_of_band(|s| {
        if let Some(plinth_sdk::Value::Map(m)) = s.objects.get_mut("id-alpha") {
            m.insert(
                "tags".to_string(),
                plinth_sdk::Value::object([("team", plinth_sdk::Value::string("ops"))]),
            );
        }
    });
    w.check_plan(
        r#"
resource "test_thing" "a" {
  name = "alpha"
  size = 2
  tags = { team = "research" }
  lifecycle {
    ignore_changes = [tags]
  }
}
"#,
        expect![[r#"
            Plinth will perform the following actions:

              # test_thing.a will be updated in place
              # (its remote object changed outside Plinth since the last apply)
              ~ resource "test_thing" "a" {
                    id   = "id-alpha"
                    name = "alpha"
                  ~ size = 1 -> 2
                    # (1 unchanged attribute hidden)
                }

            Plan: 0 to add, 1 to change, 0 to destroy.
        "#]],
    );
}

#[test]
fn prevent_destroy_refuses_a_replacement() {
    let w = apply_hcl(
        r#"
resource "test_thing" "a" {
  name = "alpha"
  lifecycle {
    prevent_destroy = true
  }
}
"#,
    );
    let hcl = r#"
resource "test_thing" "a" {
  name = "beta"
  lifecycle {
    prevent_destroy = true
  }
}
"#;
    w.check_plan(hcl, expect![[r#"
        main.hcl:2:1: error: Instance cannot be destroyed: test_thing.a
          |
        2 | resource "test_thing" "a" {
          | ^^^^^^^^^^^^^^^^^^^^^^^^^
          = hint: test_thing.a has lifecycle.prevent_destroy set, but a change to name requires replacing it; revert that change, or remove prevent_destroy if replacing is intended
    "#]]);
    let applied = w.apply(hcl);
    assert!(!applied.ok);
    assert_eq!(w.names(), ["alpha"], "nothing may be touched");
}

#[test]
fn prevent_destroy_refuses_a_count_decrease() {
    let w = apply_hcl(
        r#"
resource "test_thing" "a" {
  count = 2
  name  = "a-${count.index}"
  lifecycle {
    prevent_destroy = true
  }
}
"#,
    );
    w.check_plan(
        r#"
resource "test_thing" "a" {
  count = 1
  name  = "a-${count.index}"
  lifecycle {
    prevent_destroy = true
  }
}
"#,
        expect![[r#"
            main.hcl:2:1: error: Instance cannot be destroyed: test_thing.a[1]
              |
            2 | resource "test_thing" "a" {
              | ^^^^^^^^^^^^^^^^^^^^^^^^^
              = hint: test_thing.a[1] has lifecycle.prevent_destroy set, but the plan calls for it to be destroyed; remove prevent_destroy first if this is intended
        "#]],
    );
}

#[test]
fn depends_on_orders_creates_and_reverses_for_destroy() {
    let hcl = r#"
resource "test_thing" "db" {
  name = "db"
}
resource "test_thing" "app" {
  name       = "app"
  depends_on = [test_thing.db]
}
resource "test_thing" "lb" {
  name       = "lb"
  depends_on = [test_thing.app]
}
"#;
    let w = Workdir::new();
    w.apply(hcl).assert_ok();
    let log = w.store().log;
    assert_before(&log, "create db: done", "create app");
    assert_before(&log, "create app: done", "create lb");

    w.check_plan(hcl, expect![[r#"
        No changes. Your infrastructure matches the configuration.

        Plinth has compared your real infrastructure against your configuration and found no differences, so no changes are needed.
    "#]]);
    let destroyed = w.apply_with(hcl, &Opts::destroy());
    destroyed.assert_ok();
    assert_eq!(destroyed.destroyed, 3);
    assert!(w.names().is_empty());
    let log = w.store().log;
    assert_before(&log, "delete lb: done", "delete app");
    assert_before(&log, "delete app: done", "delete db");
    assert!(w.state().resources.is_empty());
}

#[test]
fn destroy_plan_lists_every_instance() {
    let hcl = r#"
resource "test_thing" "a" {
  count = 2
  name  = "a-${count.index}"
  size  = count.index
}
output "ids" {
  value = test_thing.a[*].id
}
"#;
    let w = apply_hcl(hcl);
    w.config(hcl);
    let planned = w.plan_current(&Opts::destroy());
    expect![[r#"
        Plinth will perform the following actions:

          # test_thing.a[0] will be destroyed
          - resource "test_thing" "a" {
              - id   = "id-a-0" -> null
              - name = "a-0" -> null
              - size = 0 -> null
            }

          # test_thing.a[1] will be destroyed
          - resource "test_thing" "a" {
              - id   = "id-a-1" -> null
              - name = "a-1" -> null
              - size = 1 -> null
            }

        Plan: 0 to add, 0 to change, 2 to destroy.

        Changes to Outputs:
          - ids = [
              - "id-a-0",
              - "id-a-1",
            ] -> null
    "#]]
    .assert_eq(&planned.text);
}

#[test]
fn failed_create_stops_its_dependents_but_not_an_independent_branch() {
    let hcl = r#"
resource "test_thing" "broken" {
  name = "fail-me"
}
resource "test_thing" "dependent" {
  name = "child-of-${test_thing.broken.id}"
}
resource "test_thing" "independent" {
  name = "solo"
}
"#;
    let w = Workdir::new();
    let applied = w.apply(hcl);
    assert!(!applied.ok, "the apply must fail");
    expect![[r#"
        test_thing.broken: error: error creating: InvalidName: the name "fail-me" is refused
    "#]]
    .assert_eq(&applied.diags);
    assert_eq!(w.names(), ["solo"]);
    assert!(
        !w.store().log.iter().any(|l| l.contains("child-of")),
        "the dependent must not be attempted: {:?}",
        w.store().log
    );
    let state = w.state();
    assert_eq!(
        state.resources.keys().collect::<Vec<_>>(),
        ["test_thing.independent"],
        "only the finished change is recorded"
    );
    // The next plan picks up where the apply stopped.
    w.check_plan(
        hcl,
        expect![[r#"
        Plinth will perform the following actions:

          # test_thing.broken will be created
          + resource "test_thing" "broken" {
              + id   = (known after apply)
              + name = "fail-me"
            }

          # test_thing.dependent will be created
          + resource "test_thing" "dependent" {
              + id   = (known after apply)
              + name = (known after apply)
            }

        Plan: 2 to add, 0 to change, 0 to destroy.
    "#]],
    );
}

#[test]
fn target_plans_only_the_target_and_what_it_depends_on() {
    let hcl = r#"
resource "test_thing" "base" {
  name = "base"
}
resource "test_thing" "top" {
  name = "top"
  tags = { base = test_thing.base.id }
}
resource "test_thing" "other" {
  name = "other"
}
"#;
    let w = Workdir::new();
    w.config(hcl);
    expect![[r#"
        Plinth will perform the following actions:

          # test_thing.base will be created
          + resource "test_thing" "base" {
              + id   = (known after apply)
              + name = "base"
            }

          # test_thing.top will be created
          + resource "test_thing" "top" {
              + id   = (known after apply)
              + name = "top"
              + tags = {
                  + base = (known after apply)
                }
            }

        Plan: 2 to add, 0 to change, 0 to destroy.
    "#]]
    .assert_eq(&w.plan_current(&Opts::target("test_thing.top")).text);
    w.apply_with(hcl, &Opts::target("test_thing.top")).assert_ok();
    assert_eq!(w.names(), ["base", "top"]);
}

#[test]
fn refresh_sees_an_out_of_band_delete_and_plans_a_re_create() {
    let hcl = r#"
resource "test_thing" "a" {
  name = "alpha"
  size = 2
}
"#;
    let w = apply_hcl(hcl);
    w.out_of_band(|s| {
        s.objects.remove("id-alpha");
    });
    w.check_plan(
        hcl,
        expect![[r#"
        Plinth will perform the following actions:

          # test_thing.a will be created
          # (because the object was deleted outside Plinth)
          # (its remote object changed outside Plinth since the last apply)
          + resource "test_thing" "a" {
              + id   = (known after apply)
              + name = "alpha"
              + size = 2
            }

        Plan: 1 to add, 0 to change, 0 to destroy.
    "#]],
    );
    w.apply(hcl).assert_ok();
    assert_eq!(w.names(), ["alpha"]);
}

#[test]
fn refresh_sees_an_out_of_band_change_and_plans_it_back() {
    let hcl = r#"
resource "test_thing" "a" {
  name = "alpha"
  size = 2
}
"#;
    let w = apply_hcl(hcl);
    w.out_of_band(|s| {
        if let Some(plinth_sdk::Value::Map(m)) = s.objects.get_mut("id-alpha") {
            m.insert("size".to_string(), plinth_sdk::Value::int(9));
        }
    });
    w.check_plan(
        hcl,
        expect![[r#"
        Plinth will perform the following actions:

          # test_thing.a will be updated in place
          # (its remote object changed outside Plinth since the last apply)
          ~ resource "test_thing" "a" {
                id   = "id-alpha"
                name = "alpha"
              ~ size = 9 -> 2
            }

        Plan: 0 to add, 1 to change, 0 to destroy.
    "#]],
    );
}

#[test]
fn unknown_count_is_an_error_that_names_the_resource() {
    check_plan(
        r#"
resource "test_thing" "a" {
  name = "alpha"
}
resource "test_thing" "b" {
  count = length(test_thing.a.id)
  name  = "b-${count.index}"
}
"#,
        expect![[r#"
            main.hcl:6:11: error: Invalid count argument
              |
            6 |   count = length(test_thing.a.id)
              |           ^^^^^^^^^^^^^^^^^^^^^^^
              = hint: the count of test_thing.b depends on values known only after apply; use a value known at plan time, or apply the resources it depends on first with --target
        "#]],
    );
}

#[test]
fn provider_validation_errors_fail_the_plan() {
    let planned = Workdir::new().plan_with(
        r#"
resource "test_thing" "a" {
  name = "alpha"
  size = -1
}
"#,
        &Opts::default(),
    );
    assert!(planned.plan.is_none(), "the plan must fail:\n{}", planned.text);
    assert!(planned.text.contains("size must not be negative"), "{}", planned.text);
}

#[test]
fn target_one_instance_of_a_counted_resource() {
    let hcl = r#"
resource "test_thing" "a" {
  count = 3
  name  = "a-${count.index}"
}
"#;
    let w = Workdir::new();
    w.config(hcl);
    expect![[r#"
        Plinth will perform the following actions:

          # test_thing.a[1] will be created
          + resource "test_thing" "a" {
              + id   = (known after apply)
              + name = "a-1"
            }

        Plan: 1 to add, 0 to change, 0 to destroy.
    "#]]
    .assert_eq(&w.plan_current(&Opts::target("test_thing.a[1]")).text);
    w.apply_with(hcl, &Opts::target("test_thing.a[1]")).assert_ok();
    assert_eq!(w.names(), ["a-1"]);
}

#[test]
fn replacing_a_dependency_updates_its_dependents_with_the_new_value() {
    let hcl = r#"
resource "test_thing" "a" {
  name = "alpha"
}
resource "test_thing" "b" {
  name = "beta"
  tags = { parent = test_thing.a.id }
}
"#;
    let w = apply_hcl(hcl);
    let hcl = hcl.replace(r#""alpha""#, r#""alpha2""#);
    w.check_plan(
        &hcl,
        expect![[r#"
        Plinth will perform the following actions:

          # test_thing.a must be replaced
        -/+ resource "test_thing" "a" {
              ~ id   = "id-alpha" -> (known after apply)
              ~ name = "alpha" -> "alpha2" # forces replacement
            }

          # test_thing.b will be updated in place
          ~ resource "test_thing" "b" {
                id   = "id-beta"
                name = "beta"
              ~ tags = {
                  ~ parent = "id-alpha" -> (known after apply)
                }
            }

        Plan: 1 to add, 1 to change, 1 to destroy.
    "#]],
    );
    w.apply(&hcl).assert_ok();
    let store = w.store();
    assert_eq!(store.names(), ["alpha2", "beta"]);
    assert_eq!(
        store.by_name("beta").map(|o| o.get("tags").get("parent").clone()),
        Some(plinth_sdk::Value::string("id-alpha2"))
    );
    assert_before(&store.log, "create alpha2: done", "update beta");
}

#[test]
fn removed_resources_are_deleted_dependents_first() {
    let w = apply_hcl(
        r#"
provider "test" {}
resource "test_thing" "a" {
  name = "alpha"
}
resource "test_thing" "b" {
  name = "beta"
  tags = { parent = test_thing.a.id }
}
resource "test_thing" "c" {
  name       = "gamma"
  depends_on = [test_thing.b]
}
"#,
    );
    let applied = w.apply(r#"provider "test" {}"#);
    applied.assert_ok();
    assert_eq!(applied.destroyed, 3);
    assert!(w.names().is_empty());
    let log = w.store().log;
    assert_before(&log, "delete gamma: done", "delete beta");
    assert_before(&log, "delete beta: done", "delete alpha");
}

#[test]
fn removing_every_resource_deletes_them_without_a_provider_block() {
    let w = apply_hcl(
        r#"
resource "test_thing" "a" {
  name = "alpha"
}
"#,
    );
    let planned = w.plan_with("", &Opts::default());
    assert!(planned.plan.is_some(), "the plan must succeed:\n{}", planned.text);
    w.apply("").assert_ok();
    assert!(w.names().is_empty());
}

#[test]
fn prevent_destroy_error_points_at_the_resource_block() {
    let w = apply_hcl(
        r#"
resource "test_thing" "a" {
  name = "alpha"
  lifecycle {
    prevent_destroy = true
  }
}
"#,
    );
    let text = w.plan(
        r#"
resource "test_thing" "a" {
  name = "beta"
  lifecycle {
    prevent_destroy = true
  }
}
"#,
    );
    assert!(
        text.starts_with("main.hcl:2:1: error: Instance cannot be destroyed"),
        "{text}"
    );
}

#[test]
fn failed_delete_keeps_what_the_object_depends_on() {
    let hcl = r#"
resource "test_thing" "base" {
  name = "base"
}
resource "test_thing" "top" {
  name = "top"
  tags = { parent = test_thing.base.id, fail_delete = "true" }
}
resource "test_thing" "other" {
  name = "other"
}
"#;
    let w = apply_hcl(hcl);
    let destroyed = w.apply_with(hcl, &Opts::destroy());
    assert!(!destroyed.ok, "the destroy must fail");
    assert!(destroyed.diags.contains("test_thing.top"), "{}", destroyed.diags);
    assert!(destroyed.diags.contains("DeleteProtected"), "{}", destroyed.diags);
    assert_eq!(w.names(), ["base", "top"], "base must outlive top; other goes");
    let state = w.state();
    assert_eq!(
        state.resources.keys().collect::<Vec<_>>(),
        ["test_thing.base", "test_thing.top"]
    );
}

#[test]
fn destroy_of_an_object_already_gone_only_forgets_it() {
    let hcl = r#"
resource "test_thing" "a" {
  name = "alpha"
}
"#;
    let w = apply_hcl(hcl);
    w.out_of_band(|s| {
        s.objects.remove("id-alpha");
    });
    w.config(hcl);
    expect![[r#"
        Plinth will perform the following actions:

          # test_thing.a will be destroyed
          # (because the object no longer exists; only its state entry is removed)
          # (its remote object changed outside Plinth since the last apply)
          - resource "test_thing" "a" {}

        Plan: 0 to add, 0 to change, 1 to destroy.
    "#]]
    .assert_eq(&w.plan_current(&Opts::destroy()).text);
    w.apply_with(hcl, &Opts::destroy()).assert_ok();
    assert!(w.state().resources.is_empty());
    assert!(
        !w.store().log.iter().any(|l| l.starts_with("delete")),
        "nothing to delete: {:?}",
        w.store().log
    );
}

#[test]
fn failed_precondition_blocks_the_plan_and_shows_the_figures_it_compared() {
    let hcl = r#"
variable "challenger_auc" { default = 0.81 }
variable "champion_auc" { default = 0.85 }
resource "test_thing" "promote" {
  name = "champion"
  lifecycle {
    precondition {
      condition     = var.challenger_auc >= var.champion_auc + 0.01
      error_message = "challenger AUC does not beat the champion by 0.01"
    }
  }
}
"#;
    let w = Workdir::new();
    let planned = w.plan_with(hcl, &Opts::default());
    assert!(planned.plan.is_none(), "the plan must fail:\n{}", planned.text);
    expect![[r#"
        main.hcl:8:23: error: Condition failed for test_thing.promote
          |
        8 |       condition     = var.challenger_auc >= var.champion_auc + 0.01
          |                       ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^
          = hint: challenger AUC does not beat the champion by 0.01
                  var.challenger_auc is 0.81
                  var.champion_auc is 0.85
    "#]]
    .assert_eq(&planned.text);
    // Nothing was created, and a passing gate lets the same resource through.
    assert!(w.names().is_empty());
    w.apply(&hcl.replace("0.81", "0.9")).assert_ok();
    assert_eq!(w.names(), ["champion"]);
}

#[test]
fn failed_variable_validation_shows_the_value_but_never_a_sensitive_one() {
    let hcl = r#"
variable "psi_threshold" {
  default = 2
  validation {
    condition     = var.psi_threshold > 0 && var.psi_threshold < 1
    error_message = "psi_threshold is a fraction"
  }
}
variable "token" {
  default   = "hunter2"
  sensitive = true
  validation {
    condition     = length(var.token) > 10
    error_message = "token too short"
  }
}
"#;
    let planned = Workdir::new().plan_with(hcl, &Opts::default());
    assert!(planned.plan.is_none(), "the plan must fail:\n{}", planned.text);
    assert!(
        planned.text.contains("psi_threshold is a fraction\n"),
        "{}",
        planned.text
    );
    assert!(planned.text.contains("var.psi_threshold is 2\n"), "{}", planned.text);
    assert!(planned.text.contains("var.token is sensitive"), "{}", planned.text);
    assert!(!planned.text.contains("hunter2"), "{}", planned.text);
}

/// A re-plan's no-ops carry the value they keep as `before` (the planner holds it once, as the
/// walk's value of the instance, until the walk is over), alone, by `count`, by `for_each` and
/// in a module instance.
#[test]
fn a_replan_keeps_each_unchanged_value_as_its_before() {
    let w = Workdir::new();
    w.write(
        "modules/inner/main.hcl",
        r#"resource "local_value" "inner" { input = "i" }"#,
    );
    let hcl = r#"
resource "local_value" "one" {
  input = "a"
}
resource "local_value" "counted" {
  count = 2
  input = "c-${count.index}"
}
resource "local_value" "keyed" {
  for_each = toset(["x", "y"])
  input    = local_value.counted[1].output
}
module "m" {
  source = "./modules/inner"
  count  = 2
}
"#;
    w.apply(hcl).assert_ok();
    let plan = w.plan_with(hcl, &Opts::default()).plan.expect("the re-plan succeeds");
    let state = w.state();
    let addresses: Vec<&str> = plan.changes.iter().map(|c| c.address.as_str()).collect();
    assert_eq!(addresses.len(), 7, "{addresses:?}");
    for c in &plan.changes {
        assert_eq!(c.action, plinth::plan::Action::NoOp, "{}", c.address);
        let before = c
            .before
            .as_ref()
            .unwrap_or_else(|| panic!("{} has no before", c.address));
        assert_eq!(
            before.to_json(),
            state.resources[&c.address].attributes,
            "{}",
            c.address
        );
        assert_eq!(c.planned(), Some(before), "{}", c.address);
    }
}
