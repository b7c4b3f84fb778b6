//! Nested blocks computed when omitted (`Schema::computed_when_omitted`, Terraform's
//! attributes-as-blocks), through `plinth validate` on `aws_security_group` (validate needs no
//! cloud): the argument syntax `ingress = [...]` is accepted, mixing it with `ingress { }`
//! blocks is an error, and an element of the wrong shape is a type error naming the block.
//! Their planning (left out: the prior rules stay) is tested against moto in
//! `providers/aws/tests/ec2_security_group_rules.rs` and `tests/aws_compat_sagemaker_vpc.rs`.

mod support;

use support::cli::{Dir, code, stderr, stdout};

fn validate(body: &str) -> (i32, String) {
    let d = Dir::with(&format!("provider \"aws\" {{\n  region = \"us-east-1\"\n}}\n{body}"));
    let o = d.run(&["validate"]);
    (code(&o), format!("{}{}", stdout(&o), stderr(&o)))
}

#[test]
fn blocks_written_as_an_argument_are_accepted() {
    let (status, out) = validate(
        r#"
resource "aws_security_group" "none" {
  ingress = []
  egress {
    from_port   = 0
    to_port     = 0
    protocol    = "-1"
    cidr_blocks = ["0.0.0.0/0"]
  }
}

resource "aws_security_group" "listed" {
  ingress = [{
    from_port   = 22
    to_port     = 22
    protocol    = "tcp"
    cidr_blocks = ["10.0.0.0/8"]
  }]
}

resource "aws_security_group" "left_out" {
}
"#,
    );
    assert_eq!(status, 0, "{out}");
}

#[test]
fn both_forms_for_one_block_are_an_error() {
    let (status, out) = validate(
        r#"
resource "aws_security_group" "both" {
  ingress = []
  ingress {
    from_port = 22
    to_port   = 22
    protocol  = "tcp"
  }
}
"#,
    );
    assert_ne!(status, 0, "{out}");
    assert!(out.contains("Both ingress = ... and ingress blocks"), "{out}");
}

#[test]
fn an_element_of_the_wrong_shape_is_a_type_error() {
    let (status, out) = validate(
        r#"
resource "aws_security_group" "bad" {
  ingress = [{ to_port = 22, protocol = "tcp" }]
}
"#,
    );
    assert_ne!(status, 0, "{out}");
    assert!(out.contains(r#"Incorrect attribute value type for "ingress""#), "{out}");
    assert!(out.contains(r#"attribute "from_port" is required"#), "{out}");
    assert!(out.contains("main.hcl:6:13"), "{out}");
}
