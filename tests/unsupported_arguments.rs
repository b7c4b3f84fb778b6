//! Arguments of Terraform's schema that Plinth accepts in the language but cannot act on yet
//! (`Schema::unsupported`): set, each is an error at its file:line:col naming the argument, the
//! type and what to do instead; set to null (literally or through a variable), it is as good as
//! left out. Runs `plinth validate` on AWS configurations (validate needs no cloud).

mod support;

use support::cli::{Dir, code, stderr, stdout};

const PROVIDER: &str = r#"
provider "aws" {
  region = "us-east-1"
}
"#;

fn validate(body: &str) -> (i32, String) {
    let d = Dir::with(&format!("{PROVIDER}{body}"));
    let o = d.run(&["validate"]);
    (code(&o), format!("{}{}", stdout(&o), stderr(&o)))
}

#[test]
fn a_set_unsupported_argument_is_an_error_at_its_position_naming_argument_and_type() {
    let (status, out) = validate(
        r#"
resource "aws_vpc" "main" {
  cidr_block        = "10.0.0.0/16"
  ipv4_ipam_pool_id = "ipam-pool-0123456789abcdef0"
}
"#,
    );
    assert_ne!(status, 0, "{out}");
    assert!(
        out.contains(r#"Argument "ipv4_ipam_pool_id" of aws_vpc is not supported by Plinth yet"#),
        "{out}"
    );
    // Line 8 of main.hcl (after the provider block), column 3.
    assert!(out.contains("main.hcl:8:3"), "{out}");
    assert!(out.contains("explicit cidr_block"), "the hint says what to do: {out}");
    assert!(!out.contains("Unsupported argument"), "not the generic error: {out}");
}

#[test]
fn an_unsupported_block_is_an_error_too_and_the_per_resource_region_is_not() {
    let (status, out) = validate(
        r#"
resource "aws_instance" "gpu" {
  ami           = "ami-12345678"
  instance_type = "g5.xlarge"
  region        = "eu-west-1"

  enclave_options {
    enabled = true
  }
}
"#,
    );
    assert_ne!(status, 0, "{out}");
    assert!(
        out.contains(r#"Block "enclave_options" of aws_instance is not supported by Plinth yet"#),
        "{out}"
    );
    assert!(out.contains("main.hcl:11:3"), "{out}");
    // Terraform's per-resource region (AWS provider v6) is supported.
    assert!(!out.contains(r#"Argument "region""#), "{out}");
}

/// The per-resource `region` is checked at validate (a malformed name names the argument), and
/// global types (IAM) have none, as in Terraform.
#[test]
fn the_per_resource_region_is_checked_and_global_types_have_none() {
    let (status, out) = validate(
        r#"
resource "aws_vpc" "main" {
  cidr_block = "10.0.0.0/16"
  region     = "us-west-2"
}
"#,
    );
    assert_eq!(status, 0, "{out}");
    let (status, out) = validate(
        r#"
resource "aws_vpc" "main" {
  cidr_block = "10.0.0.0/16"
  region     = "mars-north"
}
"#,
    );
    assert_ne!(status, 0, "{out}");
    assert!(out.contains("aws_vpc.main (region): Invalid region"), "{out}");
    assert!(out.contains("not an AWS region name"), "{out}");
    let (status, out) = validate(
        r#"
resource "aws_iam_role" "r" {
  name               = "r"
  assume_role_policy = "{}"
  region             = "us-west-2"
}
"#,
    );
    assert_ne!(status, 0, "{out}");
    assert!(out.contains(r#"Unsupported argument "region""#), "{out}");
}

#[test]
fn an_unsupported_argument_set_to_null_is_as_good_as_left_out() {
    let (status, out) = validate(
        r#"
variable "pool" {
  type    = string
  default = null
}

resource "aws_vpc" "main" {
  cidr_block          = "10.0.0.0/16"
  ipv4_ipam_pool_id   = var.pool
  ipv4_netmask_length = null
}
"#,
    );
    assert_eq!(status, 0, "{out}");
    assert!(out.contains("Success!"), "{out}");
}

#[test]
fn an_unsupported_argument_set_through_a_variable_is_an_error_once_evaluated() {
    let (status, out) = validate(
        r#"
variable "pool" {
  type    = string
  default = "ipam-pool-0123456789abcdef0"
}

resource "aws_vpc" "main" {
  cidr_block        = "10.0.0.0/16"
  ipv4_ipam_pool_id = var.pool
}
"#,
    );
    assert_ne!(status, 0, "{out}");
    assert!(
        out.contains(r#"Argument "ipv4_ipam_pool_id" is not supported by Plinth yet"#),
        "{out}"
    );
    assert!(out.contains("main.hcl:13:3"), "{out}");
    assert!(out.contains("explicit cidr_block"), "the hint: {out}");
}
