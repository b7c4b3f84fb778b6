//! `dynamic` blocks through the real `plinth` binary. The local provider's only nested block is
//! `local_feature_table`'s `column` (see `tests/cli_language_e2e.rs`), so these use the AWS
//! provider's `aws_security_group` (`ingress`/`egress` rules, nested-block schemas) with commands that
//! make no call to AWS: `validate` evaluates every body and runs the provider's own checks, and
//! `graph` shows the edges. The plan semantics are covered in `tests/engine_dynamic.rs`.
#![cfg(feature = "aws")]

mod support;

use support::cli::{Dir, ok, stdout, user_error};

const GROUP: &str = r#"variable "rules" {
  default = {
    https = { port = 443, cidrs = ["10.0.0.0/8"] }
    ssh   = { port = 22, cidrs = ["192.168.0.0/16"] }
  }
}

resource "local_value" "egress_ports" {
  input = [0]
}

resource "aws_security_group" "web" {
  name = "web"

  dynamic "ingress" {
    for_each = var.rules
    iterator = rule
    content {
      description = rule.key
      from_port   = rule.value.port
      to_port     = rule.value.port
      protocol    = "tcp"
      cidr_blocks = rule.value.cidrs
    }
  }

  dynamic "egress" {
    for_each = local_value.egress_ports.output
    content {
      from_port   = egress.value
      to_port     = egress.value
      protocol    = "-1"
      cidr_blocks = ["0.0.0.0/0"]
    }
  }
}
"#;

#[test]
fn a_valid_configuration_validates_and_references_inside_dynamic_are_edges() {
    let d = Dir::with(GROUP);
    let o = ok(d.run(&["validate"]));
    assert!(stdout(&o).contains("Success!"), "{}", stdout(&o));
    let o = ok(d.run(&["graph"]));
    let dot = stdout(&o);
    let edge = dot
        .lines()
        .any(|l| l.contains("local_value.egress_ports") && l.contains("->") && l.contains("aws_security_group.web"));
    assert!(
        edge,
        "no edge from local_value.egress_ports to aws_security_group.web:\n{dot}"
    );
}

#[test]
fn content_with_an_argument_the_rule_does_not_have() {
    let d = Dir::with(&GROUP.replace("      description = rule.key\n", "      descripton = rule.key\n"));
    let err = user_error(&d.run(&["validate"]));
    assert!(
        err.starts_with("main.hcl:19:7: error: Unsupported argument \"descripton\""),
        "{err}"
    );
    assert!(err.contains("hint: did you mean \"description\"?"), "{err}");
}

#[test]
fn for_each_of_a_string_is_an_error_with_its_position() {
    let d = Dir::with(&GROUP.replace("for_each = var.rules", "for_each = \"https\""));
    let err = user_error(&d.run(&["validate"]));
    assert!(
        err.starts_with("main.hcl:16:16: error: Invalid dynamic for_each value"),
        "{err}"
    );
    assert!(err.contains("Cannot use a string value in for_each"), "{err}");
}

#[test]
fn dynamic_for_a_block_type_the_resource_does_not_have() {
    let d = Dir::with(
        "resource \"local_value\" \"a\" {\n  dynamic \"input\" {\n    for_each = [1]\n    content {}\n  }\n}\n",
    );
    let err = user_error(&d.run(&["plan"]));
    assert!(
        err.starts_with("main.hcl:2:11: error: Unsupported block type \"input\""),
        "{err}"
    );
    assert!(err.contains("input is an argument, not a block"), "{err}");
}
