//! Conformance tests of the language features Terraform users write that Plinth took over in
//! issue 12: `optional(T, default)` in type constraints, `type()`, `terraform.workspace`,
//! `depends_on` in outputs and `lifecycle.replace_triggered_by`. Each case is written from
//! Terraform's documented behaviour: inline HCL, planned with the test provider, compared with a
//! snapshot.
//!
//! `UPDATE_EXPECT=1 cargo test --test language_types` rewrites the snapshots.

mod support;

use expect_test::expect;
use support::{Workdir, check_plan};

/// The example of Terraform's "Optional Object Type Attributes" documentation: defaults at every
/// depth, in a list of objects and in a default that is itself an object.
#[test]
fn optional_defaults_fill_in_at_every_depth() {
    check_plan(
        r#"
variable "buckets" {
  type = list(object({
    name    = string
    enabled = optional(bool, true)
    website = optional(object({
      index_document = optional(string, "index.html")
      error_document = optional(string, "error.html")
      routing_rules  = optional(string)
    }), {})
  }))
  default = [
    { name = "production", website = { routing_rules = "[]" } },
    { name = "archived", enabled = false },
    { name = "docs", website = { index_document = "index.txt", error_document = null } },
  ]
}

resource "test_thing" "a" {
  name = jsonencode(var.buckets)
}

output "buckets" {
  value = var.buckets
}
"#,
        expect![[r#"
            Plinth will perform the following actions:

              # test_thing.a will be created
              + resource "test_thing" "a" {
                  + id   = (known after apply)
                  + name = "[{\"enabled\":true,\"name\":\"production\",\"website\":{\"error_document\":\"error.html\",\"index_document\":\"index.html\",\"routing_rules\":\"[]\"}},{\"enabled\":false,\"name\":\"archived\",\"website\":{\"error_document\":\"error.html\",\"index_document\":\"index.html\",\"routing_rules\":null}},{\"enabled\":true,\"name\":\"docs\",\"website\":{\"error_document\":\"error.html\",\"index_document\":\"index.txt\",\"routing_rules\":null}}]"
                }

            Plan: 1 to add, 0 to change, 0 to destroy.

            Changes to Outputs:
              + buckets = [
                  + {
                      + enabled = true
                      + name    = "production"
                      + website = {
                          + error_document = "error.html"
                          + index_document = "index.html"
                          + routing_rules  = "[]"
                        }
                    },
                  + {
                      + enabled = false
                      + name    = "archived"
                      + website = {
                          + error_document = "error.html"
                          + index_document = "index.html"
                        }
                    },
                  + {
                      + enabled = true
                      + name    = "docs"
                      + website = {
                          + error_document = "error.html"
                          + index_document = "index.txt"
                        }
                    },
                ]
        "#]],
    );
}

#[test]
fn optional_defaults_apply_in_maps_and_to_an_explicit_null() {
    check_plan(
        r#"
variable "jobs" {
  type = map(object({
    image = string
    gpus  = optional(number, 0)
    tags  = optional(map(string), { team = "ml" })
    size  = optional(number)
  }))
  default = {
    train = { image = "t:1", gpus = 2 }
    score = { image = "s:1", gpus = null, tags = null }
  }
}

output "jobs" {
  value = var.jobs
}
"#,
        expect![[r#"
            Changes to Outputs:
              + jobs = {
                  + score = {
                      + gpus  = 0
                      + image = "s:1"
                      + tags  = {
                          + team = "ml"
                        }
                    }
                  + train = {
                      + gpus  = 2
                      + image = "t:1"
                      + tags  = {
                          + team = "ml"
                        }
                    }
                }

            You can apply this plan to save these new output values to the Plinth state, without changing any real infrastructure.
        "#]],
    );
}

#[test]
fn optional_defaults_apply_to_module_inputs() {
    let w = Workdir::new();
    w.write(
        "modules/job/main.hcl",
        r#"
variable "spec" {
  type = object({
    image   = string
    retries = optional(number, 3)
  })
}

output "retries" {
  value = var.spec.retries
}
"#,
    );
    w.check_plan(
        r#"
module "job" {
  source = "./modules/job"
  spec   = { image = "x" }
}

output "retries" {
  value = module.job.retries
}
"#,
        expect![[r#"
            Changes to Outputs:
              + retries = 3

            You can apply this plan to save these new output values to the Plinth state, without changing any real infrastructure.
        "#]],
    );
}

#[test]
fn an_optional_default_of_the_wrong_type_is_an_error() {
    check_plan(
        r#"
variable "v" {
  type = object({
    size = optional(number, "large")
  })
  default = {}
}
"#,
        expect![[r#"
            main.hcl:4:29: error: Invalid type constraint
              |
            4 |     size = optional(number, "large")
              |                             ^^^^^^^
              = hint: this default value is not compatible with the attribute's type number: a number is required; give a default of type number
        "#]],
    );
}

#[test]
fn an_optional_default_may_not_refer_to_anything() {
    check_plan(
        r#"
variable "v" {
  type = object({
    size = optional(number, var.other)
  })
  default = {}
}

variable "other" {
  default = 1
}
"#,
        expect![[r#"
            main.hcl:4:29: error: Invalid type constraint
              |
            4 |     size = optional(number, var.other)
              |                             ^^^^^^^^^
              = hint: the default of an optional attribute must be a constant value, without references (Variables not allowed here: var: values here must be constants: they are read before anything else is known)
        "#]],
    );
}

#[test]
fn type_returns_the_type_of_a_value_as_a_string() {
    check_plan(
        r#"
output "t" {
  value = type({ name = "a", sizes = [1, 2], on = true, none = null })
}
"#,
        expect![[r#"
            Changes to Outputs:
              + t = "object({name: string, none: dynamic, on: bool, sizes: tuple([number, number])})"

            You can apply this plan to save these new output values to the Plinth state, without changing any real infrastructure.
        "#]],
    );
}

#[test]
fn terraform_workspace_is_the_environment_name() {
    check_plan(
        r#"
output "ws" {
  value = "${terraform.workspace}/${env.name}"
}
"#,
        expect![[r#"
            Changes to Outputs:
              + ws = "default/default"

            You can apply this plan to save these new output values to the Plinth state, without changing any real infrastructure.
        "#]],
    );
}

#[test]
fn terraform_has_no_other_attribute() {
    check_plan(
        r#"
output "ws" {
  value = terraform.workspaces
}
"#,
        expect![[r#"
            main.hcl:3:20: error: Invalid terraform attribute
              |
            3 |   value = terraform.workspaces
              |                    ^^^^^^^^^^^
              = hint: the only attribute of terraform is workspace (the selected environment, as env.name)
        "#]],
    );
}

/// Terraform's `replace_triggered_by` documentation: a change planned for a watched instance
/// replaces the instance that watches it, in the text plan and at apply.
#[test]
fn replace_triggered_by_a_resource_replaces_on_its_update() {
    let hcl = |size: u32| {
        format!(
            r#"
resource "test_thing" "a" {{
  name = "alpha"
  size = {size}
}}

resource "test_thing" "b" {{
  name = "beta"

  lifecycle {{
    replace_triggered_by = [test_thing.a]
  }}
}}
"#
        )
    };
    let w = Workdir::new();
    w.apply(&hcl(1)).assert_ok();
    w.check_plan(
        &hcl(1),
        expect![[r#"
            No changes. Your infrastructure matches the configuration.

            Plinth has compared your real infrastructure against your configuration and found no differences, so no changes are needed.
        "#]],
    );
    w.check_plan(
        &hcl(2),
        expect![[r#"
            Plinth will perform the following actions:

              # test_thing.a will be updated in place
              ~ resource "test_thing" "a" {
                    id   = "id-alpha"
                    name = "alpha"
                  ~ size = 1 -> 2
                }

              # test_thing.b will be replaced due to changes in replace_triggered_by
            -/+ resource "test_thing" "b" {
                  ~ id   = "id-beta" -> (known after apply)
                    name = "beta"
                }

            Plan: 1 to add, 1 to change, 1 to destroy.
        "#]],
    );
    w.config(&hcl(2));
    let plan = w.plan_current(&Default::default()).plan.expect("the plan succeeds");
    let json = plinth::plan::json::plan_json(&plan, Some(&w.state()));
    let b = json["resource_changes"]
        .as_array()
        .and_then(|a| a.iter().find(|c| c["address"] == "test_thing.b"))
        .expect("test_thing.b in the JSON plan");
    assert_eq!(b["change"]["actions"], serde_json::json!(["delete", "create"]));
    assert_eq!(b["action_reason"], "replace_by_triggers");
    let markdown = plinth::plan::markdown::plan_markdown(&plan);
    let row = markdown
        .lines()
        .find(|l| l.contains("test_thing.b") && l.starts_with('|'))
        .unwrap_or_else(|| panic!("no row for test_thing.b:\n{markdown}"));
    assert!(row.contains("changes in `replace_triggered_by`"), "{row}");
    let applied = w.apply(&hcl(2));
    applied.assert_ok();
    assert_eq!((applied.added, applied.changed, applied.destroyed), (1, 1, 1));
    w.check_plan(&hcl(2), expect![[r#"
        No changes. Your infrastructure matches the configuration.

        Plinth has compared your real infrastructure against your configuration and found no differences, so no changes are needed.
    "#]]);
}

#[test]
fn replace_triggered_by_an_attribute_fires_only_when_that_attribute_changes() {
    let hcl = |size: u32, team: &str| {
        format!(
            r#"
resource "test_thing" "a" {{
  name = "alpha"
  size = {size}
  tags = {{ team = "{team}" }}
}}

resource "test_thing" "b" {{
  name = "beta"

  lifecycle {{
    replace_triggered_by = [test_thing.a.tags["team"]]
  }}
}}
"#
        )
    };
    let w = Workdir::new();
    w.apply(&hcl(1, "ml")).assert_ok();
    w.check_plan(
        &hcl(2, "ml"),
        expect![[r#"
        Plinth will perform the following actions:

          # test_thing.a will be updated in place
          ~ resource "test_thing" "a" {
                id   = "id-alpha"
                name = "alpha"
              ~ size = 1 -> 2
                # (1 unchanged attribute hidden)
            }

        Plan: 0 to add, 1 to change, 0 to destroy.
    "#]],
    );
    w.check_plan(
        &hcl(1, "data"),
        expect![[r#"
        Plinth will perform the following actions:

          # test_thing.a will be updated in place
          ~ resource "test_thing" "a" {
                id   = "id-alpha"
                name = "alpha"
              ~ tags = {
                  ~ team = "ml" -> "data"
                }
                # (1 unchanged attribute hidden)
            }

          # test_thing.b will be replaced due to changes in replace_triggered_by
        -/+ resource "test_thing" "b" {
              ~ id   = "id-beta" -> (known after apply)
                name = "beta"
            }

        Plan: 1 to add, 1 to change, 1 to destroy.
    "#]],
    );
}

#[test]
fn replace_triggered_by_count_index_watches_the_same_instance() {
    let hcl = |sizes: &str| {
        format!(
            r#"
locals {{
  sizes = {sizes}
}}

resource "test_thing" "a" {{
  count = 2
  name  = "a${{count.index}}"
  size  = local.sizes[count.index]
}}

resource "test_thing" "b" {{
  count = 2
  name  = "b${{count.index}}"

  lifecycle {{
    create_before_destroy = true
    replace_triggered_by  = [test_thing.a[count.index]]
  }}
}}
"#
        )
    };
    let w = Workdir::new();
    w.apply(&hcl("[1, 1]")).assert_ok();
    // test_thing.a[1] is updated: b[1] is replaced, b[0] is left alone.
    w.check_plan(
        &hcl("[1, 2]"),
        expect![[r#"
        Plinth will perform the following actions:

          # test_thing.a[1] will be updated in place
          ~ resource "test_thing" "a" {
                id   = "id-a1"
                name = "a1"
              ~ size = 1 -> 2
            }

          # test_thing.b[1] will be replaced due to changes in replace_triggered_by
        +/- resource "test_thing" "b" {
              ~ id   = "id-b1" -> (known after apply)
                name = "b1"
            }

        Plan: 1 to add, 1 to change, 1 to destroy.
    "#]],
    );
}

#[test]
fn replace_triggered_by_refuses_what_is_not_a_resource() {
    check_plan(
        r#"
variable "v" {
  default = 1
}

resource "test_thing" "b" {
  name = "beta"

  lifecycle {
    replace_triggered_by = [var.v, test_thing.b[local.k]]
  }
}
"#,
        expect![[r#"
            main.hcl:10:29: error: Invalid replace_triggered_by entry
               |
            10 |     replace_triggered_by = [var.v, test_thing.b[local.k]]
               |                             ^^^
              = hint: replace_triggered_by cannot refer to var.*, only to managed resources; write a reference to a managed resource of this module, like test_thing.a, test_thing.a[0] or test_thing.a.id; count.index and each.key may be used as the index
            main.hcl:10:49: error: Invalid replace_triggered_by entry
               |
            10 |     replace_triggered_by = [var.v, test_thing.b[local.k]]
               |                                                 ^^^^^^^
              = hint: the instance key must be a literal, count.index or each.key; write a reference to a managed resource of this module, like test_thing.a, test_thing.a[0] or test_thing.a.id; count.index and each.key may be used as the index
        "#]],
    );
}

#[test]
fn replace_triggered_by_respects_prevent_destroy() {
    let hcl = |size: u32| {
        format!(
            r#"
resource "test_thing" "a" {{
  name = "alpha"
  size = {size}
}}

resource "test_thing" "b" {{
  name = "beta"

  lifecycle {{
    prevent_destroy      = true
    replace_triggered_by = [test_thing.a]
  }}
}}
"#
        )
    };
    let w = Workdir::new();
    w.apply(&hcl(1)).assert_ok();
    w.check_plan(&hcl(2), expect![[r#"
        main.hcl:7:1: error: Instance cannot be destroyed: test_thing.b
          |
        7 | resource "test_thing" "b" {
          | ^^^^^^^^^^^^^^^^^^^^^^^^^
          = hint: test_thing.b has lifecycle.prevent_destroy set, but lifecycle.replace_triggered_by asks to replace it, because what it watches changes; remove prevent_destroy if replacing is intended
    "#]]);
}

/// `depends_on` in an output adds an edge: the output is evaluated after what it names.
#[test]
fn output_depends_on_orders_the_output_after_the_resource() {
    let w = Workdir::new();
    w.config(
        r#"
resource "test_thing" "a" {
  name = "alpha"
}

output "o" {
  value      = "x"
  depends_on = [test_thing.a]
}
"#,
    );
    let (config, diags) = plinth::config::load::load(&w.root);
    assert!(!diags.has_errors(), "{diags:?}");
    let (graph, gdiags) =
        plinth::graph::build::build(&config, &plinth::workspace::schemas(&support::providers(), &config));
    assert!(!gdiags.has_errors(), "{gdiags:?}");
    let dot = plinth::graph::dot::to_dot(&graph);
    assert!(dot.contains(r#""output.o" -> "test_thing.a""#), "{dot}");
}

#[test]
fn replace_triggered_by_each_key_watches_the_same_instance_and_names_are_checked() {
    let hcl = |sizes: &str| {
        format!(
            r#"
resource "test_thing" "a" {{
  for_each = {sizes}
  name     = "a-${{each.key}}"
  size     = each.value
}}

resource "test_thing" "b" {{
  for_each = toset(["x", "y"])
  name     = "b-${{each.key}}"

  lifecycle {{
    replace_triggered_by = [test_thing.a[each.key].size]
  }}
}}
"#
        )
    };
    let w = Workdir::new();
    w.apply(&hcl("{ x = 1, y = 1 }")).assert_ok();
    w.check_plan(
        &hcl("{ x = 5, y = 1 }"),
        expect![[r#"
        Plinth will perform the following actions:

          # test_thing.a["x"] will be updated in place
          ~ resource "test_thing" "a" {
                id   = "id-a-x"
                name = "a-x"
              ~ size = 1 -> 5
            }

          # test_thing.b["x"] will be replaced due to changes in replace_triggered_by
        -/+ resource "test_thing" "b" {
              ~ id   = "id-b-x" -> (known after apply)
                name = "b-x"
            }

        Plan: 1 to add, 1 to change, 1 to destroy.
    "#]],
    );
    w.check_plan(
        r#"
resource "test_thing" "a" {
  name = "alpha"
}

resource "test_thing" "b" {
  name = "beta"

  lifecycle {
    replace_triggered_by = [test_thing.aa]
  }
}
"#,
        expect![[r#"
            main.hcl:10:29: error: Reference to undeclared resource "test_thing.aa"
               |
            10 |     replace_triggered_by = [test_thing.aa]
               |                             ^^^^^^^^^^^^^
              = hint: did you mean test_thing.a?
        "#]],
    );
}
