//! Conformance cases for `dynamic` blocks, written from Terraform's "dynamic Blocks" documentation:
//! each generated nested block is the `content` body evaluated with the iterator (by default the
//! block type's name) bound to `{ key, value }` of one `for_each` element; an empty `for_each`
//! generates no block; an unknown one leaves the whole nested block value unknown. Planned with
//! the test provider's `test_firewall` (a list of `rule` blocks, each with a set of `source`
//! blocks, and at most one `logging` block).
//!
//! `UPDATE_EXPECT=1 cargo test --test engine_dynamic` rewrites the snapshots; read the diff.

mod support;

use expect_test::expect;
use support::{Workdir, assert_before, check_plan};

#[test]
fn list_for_each_generates_one_block_per_element_in_order() {
    check_plan(
        r#"
variable "ports" {
  default = [443, 80]
}

resource "test_firewall" "a" {
  name = "edge"

  rule {
    port = 22
  }

  dynamic "rule" {
    for_each = var.ports
    content {
      port     = rule.value
      protocol = "tcp-${rule.key}"
    }
  }
}
"#,
        expect![[r#"
            Plinth will perform the following actions:

              # test_firewall.a will be created
              + resource "test_firewall" "a" {
                  + id   = (known after apply)
                  + name = "edge"
                  + rule = [
                      + {
                          + port   = 22
                          + source = []
                        },
                      + {
                          + port     = 443
                          + protocol = "tcp-0"
                          + source   = []
                        },
                      + {
                          + port     = 80
                          + protocol = "tcp-1"
                          + source   = []
                        },
                    ]
                }

            Plan: 1 to add, 0 to change, 0 to destroy.
        "#]],
    );
}

#[test]
fn map_for_each_iterates_in_key_order_with_a_renamed_iterator() {
    check_plan(
        r#"
locals {
  rules = {
    web = { port = 80, proto = "tcp" }
    dns = { port = 53, proto = "udp" }
  }
}

resource "test_firewall" "a" {
  name = "edge"

  dynamic "rule" {
    for_each = local.rules
    iterator = r
    content {
      port     = r.value.port
      protocol = "${r.key}/${r.value.proto}"
    }
  }
}
"#,
        expect![[r#"
            Plinth will perform the following actions:

              # test_firewall.a will be created
              + resource "test_firewall" "a" {
                  + id   = (known after apply)
                  + name = "edge"
                  + rule = [
                      + {
                          + port     = 53
                          + protocol = "dns/udp"
                          + source   = []
                        },
                      + {
                          + port     = 80
                          + protocol = "web/tcp"
                          + source   = []
                        },
                    ]
                }

            Plan: 1 to add, 0 to change, 0 to destroy.
        "#]],
    );
}

#[test]
fn nested_dynamic_blocks_see_the_outer_iterator() {
    check_plan(
        r#"
variable "rules" {
  default = [
    { port = 443, cidrs = ["10.0.0.0/8", "192.168.0.0/16"] },
    { port = 22, cidrs = [] },
  ]
}

resource "test_firewall" "a" {
  name = "edge"

  dynamic "rule" {
    for_each = var.rules
    content {
      port = rule.value.port

      dynamic "source" {
        for_each = rule.value.cidrs
        content {
          cidr = source.value
        }
      }
    }
  }
}
"#,
        expect![[r#"
            Plinth will perform the following actions:

              # test_firewall.a will be created
              + resource "test_firewall" "a" {
                  + id   = (known after apply)
                  + name = "edge"
                  + rule = [
                      + {
                          + port   = 443
                          + source = [
                              + {
                                  + cidr = "10.0.0.0/8"
                                },
                              + {
                                  + cidr = "192.168.0.0/16"
                                },
                            ]
                        },
                      + {
                          + port   = 22
                          + source = []
                        },
                    ]
                }

            Plan: 1 to add, 0 to change, 0 to destroy.
        "#]],
    );
}

#[test]
fn empty_for_each_generates_no_block() {
    check_plan(
        r#"
resource "test_firewall" "a" {
  name = "edge"

  dynamic "rule" {
    for_each = []
    content {
      port = rule.value
    }
  }

  dynamic "logging" {
    for_each = {}
    content {
      level = "info"
    }
  }
}
"#,
        expect![[r#"
            Plinth will perform the following actions:

              # test_firewall.a will be created
              + resource "test_firewall" "a" {
                  + id   = (known after apply)
                  + name = "edge"
                  + rule = []
                }

            Plan: 1 to add, 0 to change, 0 to destroy.
        "#]],
    );
}

#[test]
fn single_block_from_a_one_element_for_each() {
    check_plan(
        r#"
variable "verbose" {
  default = true
}

resource "test_firewall" "a" {
  name = "edge"

  dynamic "logging" {
    for_each = var.verbose ? ["debug"] : []
    content {
      level = logging.value
    }
  }
}
"#,
        expect![[r#"
            Plinth will perform the following actions:

              # test_firewall.a will be created
              + resource "test_firewall" "a" {
                  + id      = (known after apply)
                  + logging = {
                      + level = "debug"
                    }
                  + name    = "edge"
                  + rule    = []
                }

            Plan: 1 to add, 0 to change, 0 to destroy.
        "#]],
    );
}

#[test]
fn unknown_for_each_makes_the_whole_block_unknown_and_orders_the_graph() {
    // The dependency on test_thing.ports comes from inside the dynamic block only.
    check_plan(
        r#"
resource "test_thing" "ports" {
  name = "ports"
}

resource "test_firewall" "a" {
  name = "edge"

  rule {
    port = 22
  }

  dynamic "rule" {
    for_each = test_thing.ports.id == "" ? [] : [1, 2]
    content {
      port = rule.value
    }
  }
}
"#,
        expect![[r#"
            Plinth will perform the following actions:

              # test_firewall.a will be created
              + resource "test_firewall" "a" {
                  + id   = (known after apply)
                  + name = "edge"
                  + rule = (known after apply)
                }

              # test_thing.ports will be created
              + resource "test_thing" "ports" {
                  + id   = (known after apply)
                  + name = "ports"
                }

            Plan: 2 to add, 0 to change, 0 to destroy.
        "#]],
    );
}

#[test]
fn apply_creates_the_generated_blocks_and_a_second_plan_is_empty() {
    let hcl = r#"
resource "test_thing" "src" {
  name = "src"
  size = 8080
}

resource "test_firewall" "a" {
  name = "edge"

  dynamic "rule" {
    for_each = { app = test_thing.src.size }
    content {
      port     = rule.value
      protocol = rule.key
    }
  }
}
"#;
    let w = Workdir::new();
    w.apply(hcl).assert_ok();
    let store = w.store();
    let fw = store.by_name("edge").expect("edge was created");
    assert_eq!(
        fw.get("rule").to_json().to_string(),
        r#"[{"port":8080,"protocol":"app","source":[]}]"#
    );
    assert_before(&store.log, "create src: done", "create edge");
    w.check_plan(hcl, expect![[r#"
        No changes. Your infrastructure matches the configuration.

        Plinth has compared your real infrastructure against your configuration and found no differences, so no changes are needed.
    "#]]);
}

// ---------------------------------------------------------------------------------------------
// Errors: file:line:col, a hint, no panic

#[test]
fn content_naming_an_unknown_argument() {
    check_plan(
        r#"
resource "test_firewall" "a" {
  name = "edge"

  dynamic "rule" {
    for_each = [1]
    content {
      prot = rule.value
    }
  }
}
"#,
        expect![[r#"
            main.hcl:8:7: error: Unsupported argument "prot"
              |
            8 |       prot = rule.value
              |       ^^^^
              = hint: did you mean "port"?
            main.hcl:5:11: error: Missing required argument "port"
              |
            5 |   dynamic "rule" {
              |           ^^^^^^
              = hint: rule needs port = ...
        "#]],
    );
}

#[test]
fn dynamic_for_a_block_type_the_schema_lacks() {
    check_plan(
        r#"
resource "test_firewall" "a" {
  name = "edge"

  dynamic "rules" {
    for_each = [1]
    content {
      port = rules.value
    }
  }

  dynamic "name" {
    for_each = [1]
    content {}
  }
}
"#,
        expect![[r#"
            main.hcl:5:11: error: Unsupported block type "rules"
              |
            5 |   dynamic "rules" {
              |           ^^^^^^^
              = hint: did you mean dynamic "rule"?
            main.hcl:12:11: error: Unsupported block type "name"
               |
            12 |   dynamic "name" {
               |           ^^^^^^
              = hint: name is an argument, not a block: set it with name = [for ...] instead of a dynamic block
        "#]],
    );
}

#[test]
fn for_each_of_a_string() {
    check_plan(
        r#"
resource "test_firewall" "a" {
  name = "edge"

  dynamic "rule" {
    for_each = "443"
    content {
      port = rule.value
    }
  }
}
"#,
        expect![[r#"
            main.hcl:6:16: error: Invalid dynamic for_each value
              |
            6 |     for_each = "443"
              |                ^^^^^
              = hint: Cannot use a string value in for_each: it must be a list, set, map or object, one element per rule block; for a single block write for_each = [VALUE]
        "#]],
    );
}

#[test]
fn for_each_of_a_number() {
    check_plan(
        r#"
resource "test_firewall" "b" {
  name = "core"

  dynamic "rule" {
    for_each = 3
    content {
      port = rule.value
    }
  }
}
"#,
        expect![[r#"
            main.hcl:6:16: error: Invalid dynamic for_each value
              |
            6 |     for_each = 3
              |                ^
              = hint: Cannot use a number value in for_each: it must be a list, set, map or object, one element per rule block; for a single block write for_each = [VALUE]
        "#]],
    );
}

#[test]
fn missing_content_and_for_each() {
    check_plan(
        r#"
resource "test_firewall" "a" {
  name = "edge"

  dynamic "rule" {
    iterator = r
  }
}
"#,
        expect![[r#"
            main.hcl:5:11: error: Missing required argument "for_each"
              |
            5 |   dynamic "rule" {
              |           ^^^^^^
              = hint: a dynamic block needs for_each = a list, set, map or object with one element per rule block
            main.hcl:5:11: error: Missing content block
              |
            5 |   dynamic "rule" {
              |           ^^^^^^
              = hint: a dynamic block needs a content { ... } block describing each rule block it generates
        "#]],
    );
}

#[test]
fn labels_on_a_block_type_without_labels() {
    check_plan(
        r#"
resource "test_firewall" "a" {
  name = "edge"

  dynamic "rule" {
    for_each = [1]
    labels   = ["x"]
    content {
      port = rule.value
    }
  }
}
"#,
        expect![[r#"
            main.hcl:7:5: error: Unsupported argument "labels"
              |
            7 |     labels   = ["x"]
              |     ^^^^^^
              = hint: rule blocks take no labels: remove labels (it is only for block types that have labels)
        "#]],
    );
}

#[test]
fn more_items_than_a_single_block_allows() {
    check_plan(
        r#"
resource "test_firewall" "a" {
  name = "edge"

  dynamic "logging" {
    for_each = ["info", "debug"]
    content {
      level = logging.value
    }
  }
}
"#,
        expect![[r#"
            main.hcl:5:11: error: Too many "logging" blocks
              |
            5 |   dynamic "logging" {
              |           ^^^^^^^^^
              = hint: at most 1 logging block(s) allowed, and with what for_each gives there would be 2: filter it down, e.g. with a for expression's if clause
        "#]],
    );
}

#[test]
fn iterator_is_not_visible_outside_its_content() {
    check_plan(
        r#"
resource "test_firewall" "a" {
  name = "edge"

  dynamic "rule" {
    for_each = [rule.value]
    content {
      port = 1
    }
  }
}
"#,
        expect![[r#"
            main.hcl:6:17: error: Reference to undeclared resource "rule.value"
              |
            6 |     for_each = [rule.value]
              |                 ^^^^^^^^^^
              = hint: declare it with a resource "rule" "value" { ... } block
        "#]],
    );
}

#[test]
fn sensitive_for_each_makes_the_generated_values_sensitive() {
    check_plan(
        r#"
variable "ports" {
  default   = [8443]
  sensitive = true
}

resource "test_firewall" "a" {
  name = "edge"

  dynamic "rule" {
    for_each = var.ports
    content {
      port = rule.value
    }
  }
}
"#,
        expect![[r#"
            Plinth will perform the following actions:

              # test_firewall.a will be created
              + resource "test_firewall" "a" {
                  + id   = (known after apply)
                  + name = "edge"
                  + rule = [
                      + {
                          + port   = (sensitive)
                          + source = []
                        },
                    ]
                }

            Plan: 1 to add, 0 to change, 0 to destroy.
        "#]],
    );
}

#[test]
fn dynamic_in_a_provider_block_for_a_block_type_it_lacks() {
    check_plan(
        r#"
provider "test" {
  label = "x"

  dynamic "endpoint" {
    for_each = [1]
    content {}
  }
}

resource "test_thing" "a" {
  name = "alpha"
}
"#,
        expect![[r#"
            main.hcl:5:11: error: Unsupported block type "endpoint"
              |
            5 |   dynamic "endpoint" {
              |           ^^^^^^^^^^
              = hint: the enclosing block has no nested blocks
        "#]],
    );
}
