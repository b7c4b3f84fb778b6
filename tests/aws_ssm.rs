//! `aws_ssm_parameter` end to end with the `plinth` binary against moto (started here on
//! 127.0.0.1 with a free port): a SecureString's value, given through a sensitive variable,
//! reaches SSM Parameter Store (checked with boto3) and nothing else: not the state directory,
//! the saved plan, nor the output of plan, apply, show, drift and state commands. A value changed
//! by hand in SSM is drift, noticed through the keyed hash, and never printed either; the
//! data source's value stays sensitive the same way. The data source reads a parameter the same
//! configuration creates: its read waits for the create, in the same apply.
#![cfg(feature = "aws")]

mod support;

use std::process::Output;

use support::leaks::{assert_clean, expect_code, files_under, text, unique, write};
use support::moto::{boto3, moto, run_plinth as run};
use tempfile::TempDir;

#[test]
fn a_secure_string_value_reaches_ssm_and_nothing_else() {
    let m = moto();
    let dir = TempDir::new().expect("tempdir");
    let root = dir.path();
    let secret = unique("ssmsecret");
    let rotated = unique("rotatedbyhand");
    // A second parameter, read back by the data source: its value must not leak either.
    let api_key = unique("apikey");
    let name = "/plinth/e2e/db-password";
    write(
        root,
        "main.hcl",
        &format!(
            r#"variable "db_password" {{
  type      = string
  sensitive = true
}}

resource "aws_ssm_parameter" "db" {{
  name        = "{name}"
  type        = "SecureString"
  value       = var.db_password
  description = "feature store password"
}}

variable "api_key" {{
  type      = string
  sensitive = true
}}

resource "aws_ssm_parameter" "api_key" {{
  name  = "/plinth/e2e/api-key"
  type  = "SecureString"
  value = var.api_key
}}

# Refers to the parameter above: read during apply, once the parameter exists.
data "aws_ssm_parameter" "api_key" {{
  name = aws_ssm_parameter.api_key.name
}}

output "version" {{
  value = aws_ssm_parameter.db.version
}}

output "api_key" {{
  value     = data.aws_ssm_parameter.api_key.value
  sensitive = true
}}

output "api_key_version" {{
  value = data.aws_ssm_parameter.api_key.version
}}
"#
        ),
    );
    let env = [
        ("PLINTH_VAR_db_password", secret.as_str()),
        ("PLINTH_VAR_api_key", api_key.as_str()),
        ("RUST_LOG", "debug"),
    ];
    let mut outputs: Vec<(String, Output)> = Vec::new();
    let step = |args: &[&str], want: i32| -> (String, Output) {
        let o = run(root, &m.1, args, &env);
        expect_code(&o, want, &args.join(" "));
        (args.join(" "), o)
    };
    outputs.push(step(&["plan", "--out", "plan.bin"], 0));
    let (_, planned) = outputs.last().expect("plan");
    assert!(
        String::from_utf8_lossy(&planned.stdout).contains("# data.aws_ssm_parameter.api_key will be read during apply"),
        "{}",
        text(planned)
    );
    outputs.push(step(&["show", "plan.bin"], 0));
    outputs.push(step(&["show", "--json", "plan.bin"], 0));
    outputs.push(step(&["apply", "--auto-approve"], 0));
    outputs.push(step(&["plan", "--detailed-exitcode"], 0));
    outputs.push(step(&["show"], 0));
    outputs.push(step(&["show", "--json"], 0));
    outputs.push(step(&["state", "show", "aws_ssm_parameter.db"], 0));
    outputs.push(step(&["state", "pull"], 0));
    outputs.push(step(&["drift"], 0));
    outputs.push(step(&["output"], 0));
    let version = step(&["output", "api_key_version"], 0);
    assert_eq!(
        String::from_utf8_lossy(&version.1.stdout).trim(),
        "1",
        "{}",
        text(&version.1)
    );
    outputs.push(version);
    let api = step(&["output", "api_key"], 0);
    assert_eq!(String::from_utf8_lossy(&api.1.stdout).trim(), "<sensitive>");
    outputs.push(api);

    // SSM got it, encrypted and decryptable.
    let live = boto3(
        &m.1,
        &["ssm"],
        &format!("print(ssm.get_parameter(Name='{name}', WithDecryption=True)['Parameter']['Value'])"),
    );
    assert_eq!(live, secret);

    // Changed by hand in SSM: drift, noticed through the keyed hash, never printed.
    boto3(
        &m.1,
        &["ssm"],
        &format!("ssm.put_parameter(Name='{name}', Value='{rotated}', Type='SecureString', Overwrite=True)"),
    );
    outputs.push(step(&["drift"], 2));
    let (_, o) = outputs.last().expect("drift");
    let out = String::from_utf8_lossy(&o.stdout).into_owned();
    assert!(out.contains("aws_ssm_parameter.db"), "{}", text(o));
    outputs.push(step(&["apply", "--auto-approve"], 0));
    let live = boto3(
        &m.1,
        &["ssm"],
        &format!("print(ssm.get_parameter(Name='{name}', WithDecryption=True)['Parameter']['Value'])"),
    );
    assert_eq!(live, secret, "apply put the configured value back");
    outputs.push(step(&["plan", "--detailed-exitcode"], 0));

    let all = [secret.as_str(), rotated.as_str(), api_key.as_str()];
    for (what, o) in &outputs {
        assert_clean(&format!("stdout of `plinth {what}`"), &o.stdout, &all);
        assert_clean(&format!("stderr of `plinth {what}`"), &o.stderr, &all);
    }
    let files = files_under(&root.join(".plinth"));
    assert!(files.iter().any(|p| p.ends_with("state.json")), "{files:?}");
    for f in &files {
        assert_clean(&f.display().to_string(), &std::fs::read(f).expect("read"), &all);
    }
    assert_clean("plan.bin", &std::fs::read(root.join("plan.bin")).expect("plan"), &all);
    let shown = outputs
        .iter()
        .find(|(w, _)| w == "show")
        .map(|(_, o)| String::from_utf8_lossy(&o.stdout).into_owned())
        .unwrap_or_default();
    assert!(
        shown
            .lines()
            .any(|l| l.split_whitespace().eq(["value", "=", "(sensitive)"])),
        "{shown}"
    );

    outputs.push(step(&["destroy", "--auto-approve"], 0));
    let gone = boto3(
        &m.1,
        &["ssm"],
        &format!(
            "try:\n    ssm.get_parameter(Name='{name}')\n    print('present')\nexcept ssm.exceptions.ParameterNotFound:\n    print('gone')"
        ),
    );
    assert_eq!(gone, "gone");
}
