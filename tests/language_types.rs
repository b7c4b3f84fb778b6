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
