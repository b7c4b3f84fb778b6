//! Language corners of older and newer Terraform configurations, end to end through the binary:
//! a heredoc `description`, the legacy bare `type = map` / `type = list`, `provider_meta`, an
//! `ephemeral` variable (never persisted), a `default = null` variable in `validate`, and the clear
//! refusal of `ephemeral` resource blocks.

mod support;

use support::cli::{Dir, expect_code, ok, stderr, stdout};

#[test]
fn legacy_bare_map_and_list_types_accept_any_element_type() {
    let d = Dir::with(
        r#"
variable "tags" {
  type    = map
  default = { team = "ml", tier = 1 }
}
variable "columns" {
  type = list
}
resource "local_value" "v" {
  input = "${var.tags["team"]}:${join(",", var.columns)}"
}
output "v" {
  value = local_value.v.output
}
"#,
    );
    ok(d.run(&["apply", "--auto-approve", "--var", r#"columns=["a","b"]"#]));
    let o = ok(d.run(&["output", "-raw", "v"]));
    assert_eq!(stdout(&o).trim_end(), "ml:a,b");
    // A bare `set` is no legacy form: still an error with the hint.
    let d = Dir::with("variable \"s\" {\n  type = set\n}\n");
    let o = d.run(&["validate"]);
    expect_code(&o, 1);
    assert!(stderr(&o).contains("main.hcl:2:10"), "{}", stderr(&o));
    assert!(stderr(&o).contains("requires an element type"), "{}", stderr(&o));
}

#[test]
fn validate_does_not_evaluate_a_null_default_eagerly() {
    let d = Dir::with(
        r#"
variable "project" {
  description = <<-EOT
    Name of the project,
    on two lines.
  EOT
  type    = string
  default = null
}
resource "local_value" "v" {
  input = format("%s-features", var.project)
}
"#,
    );
    let o = ok(d.run(&["validate"]));
    assert!(stdout(&o).contains("Success!"), "{}", stdout(&o));
    // Given a value, it plans as written.
    let o = ok(d.run(&["plan", "--var", "project=churn"]));
    assert!(stdout(&o).contains("churn-features"), "{}", stdout(&o));
}

#[test]
fn an_ephemeral_variable_is_never_persisted() {
    let secret = "eph-3f9c1a-never-stored";
    let d = Dir::with(
        r#"
variable "token" {
  type      = string
  ephemeral = true
}
resource "local_file" "cfg" {
  path              = "cfg.txt"
  sensitive_content = "token=${var.token}"
}
"#,
    );
    let var = format!("token={secret}");
    let o = ok(d.run(&["plan", "--var", &var, "--out", "plan.json"]));
    let plan_text = format!("{}{}", stdout(&o), stderr(&o));
    let o = ok(d.run(&["apply", "--auto-approve", "--var", &var]));
    assert_eq!(d.read("cfg.txt"), format!("token={secret}"));
    let mut seen = format!("{plan_text}{}{}", stdout(&o), stderr(&o));
    seen.push_str(&d.read("plan.json"));
    for entry in walk(&d.join(".plinth")) {
        seen.push_str(&String::from_utf8_lossy(&std::fs::read(&entry).expect("read")));
    }
    assert!(!seen.contains(secret), "the ephemeral value leaked");
}

#[test]
fn provider_meta_is_accepted_and_ephemeral_blocks_are_refused_clearly() {
    let d = Dir::with(
        r#"
terraform {
  provider_meta "local" {
    module_name = "m"
  }
}
resource "local_value" "v" {
  input = "x"
}
"#,
    );
    ok(d.run(&["validate"]));
    let d = Dir::with(
        r#"
ephemeral "random_password" "db" {
  length = 16
}
"#,
    );
    let o = d.run(&["validate"]);
    expect_code(&o, 1);
    let err = stderr(&o);
    assert!(err.contains("main.hcl:2:1"), "{err}");
    assert!(err.contains("Ephemeral resources are not supported yet"), "{err}");
    assert!(err.contains("data source"), "{err}");
}

/// Every file under `dir`, recursively.
fn walk(dir: &std::path::Path) -> Vec<std::path::PathBuf> {
    let mut out = Vec::new();
    if let Ok(rd) = std::fs::read_dir(dir) {
        for e in rd.flatten() {
            let p = e.path();
            if p.is_dir() {
                out.extend(walk(&p));
            } else {
                out.push(p);
            }
        }
    }
    out
}
