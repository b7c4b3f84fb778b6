//! AWS Secrets Manager as a secret source, and least-privilege warnings for AWS configurations,
//! with the real `plinth` binary against moto (started here on 127.0.0.1 with a free port).
//!
//! - `secret("arn:aws:secretsmanager:...")` and `secret("aws-sm:NAME")` reach a `local_file`
//!   workload and nothing else: not the state, the plan file, the output of plan, apply, show,
//!   output and drift, nor a `RUST_LOG=trace` log; each secret is fetched once per run; a
//!   rotated secret is noticed; a missing one is an error naming the ARN and AWS's code.
//! - `plinth validate` warns about wildcard IAM grants by resource address and about literal
//!   provider credentials without echoing them; `examples/aws-platform` validates cleanly.
#![cfg(feature = "aws")]

mod support;
use std::path::Path;
use std::process::Output;
use support::moto::{moto, plinth_command};

use support::leaks::{assert_clean, contains, expect_code, files_under, text, unique, write};
use tempfile::TempDir;

// ---------------------------------------------------------------------------------------------
// Helpers

/// `plinth ARGS` in `dir` with a clean environment (no inherited `PLINTH_*`, `AWS_*`,
/// `RUST_LOG`, `LOG_SENSITIVE_BODIES` or colour), the AWS chain pointing at `endpoint` when
/// given, and `env` added.
fn run(dir: &Path, endpoint: Option<&str>, args: &[&str], env: &[(&str, &str)]) -> Output {
    let mut cmd = plinth_command(dir, endpoint);
    cmd.args(args);
    // These tests wait for nothing, and check that `PLINTH_AWS_FAST_WAITS` is not needed.
    cmd.env_remove("PLINTH_AWS_FAST_WAITS");
    for (k, v) in env {
        cmd.env(k, v);
    }
    cmd.output().expect("run plinth")
}

fn count(haystack: &[u8], needle: &str) -> usize {
    haystack
        .windows(needle.len())
        .filter(|w| *w == needle.as_bytes())
        .count()
}

fn read(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap_or_else(|e| panic!("read {}: {e}", path.display()))
}

/// Our own Secrets Manager client on moto.
async fn secretsmanager(endpoint: &str) -> aws_sdk_secretsmanager::Client {
    let conf = aws_config::defaults(aws_config::BehaviorVersion::latest())
        .region(aws_config::Region::new("us-east-1"))
        .endpoint_url(endpoint)
        .credentials_provider(aws_sdk_secretsmanager::config::Credentials::new(
            "testing", "testing", None, None, "tests",
        ))
        .load()
        .await;
    aws_sdk_secretsmanager::Client::new(&conf)
}

// ---------------------------------------------------------------------------------------------
// Secrets Manager as a secret source

/// The debug line `secrets::sources` logs once per Secrets Manager request.
const FETCH_LOG: &str = "reading a secret from AWS Secrets Manager";

#[tokio::test(flavor = "multi_thread")]
async fn secrets_manager_secrets_reach_the_workload_and_nothing_else() {
    let m = moto();
    let sm = secretsmanager(&m.1).await;
    let name = unique("plinth/test/api");
    let value = unique("smsecret");
    let created = sm
        .create_secret()
        .name(&name)
        .secret_string(&value)
        .send()
        .await
        .expect("create secret");
    let arn = created.arn().expect("arn").to_string();
    assert!(arn.starts_with("arn:aws:secretsmanager:us-east-1:"), "{arn}");

    let dir = TempDir::new().expect("tempdir");
    let root = dir.path();
    // The ARN is read by two resources and an output, and once more by name: one request per
    // source and run.
    write(
        root,
        "main.hcl",
        &format!(
            r#"resource "local_file" "creds" {{
  path    = "creds.env"
  content = "TOKEN=${{secret("{arn}")}}"
}}

resource "local_file" "by_name" {{
  path    = "by-name.env"
  content = "TOKEN=${{secret("aws-sm:{name}")}}|${{upper(secret("{arn}"))}}"
}}

output "token" {{
  value     = secret("{arn}")
  sensitive = true
}}

output "path" {{
  value = local_file.creds.path
}}
"#
        ),
    );
    let upper = value.to_uppercase();
    let env = [("RUST_LOG", "trace")];
    let mut outputs: Vec<(String, Output)> = Vec::new();
    let mut step = |args: &[&str], want: i32| {
        let o = run(root, Some(&m.1), args, &env);
        expect_code(&o, want, &args.join(" "));
        outputs.push((args.join(" "), o));
    };
    step(&["validate"], 0);
    step(&["plan", "--out", "plan.bin"], 0);
    step(&["show", "plan.bin"], 0);
    step(&["show", "--json", "plan.bin"], 0);
    // A saved plan never holds the secret: apply reads it again from Secrets Manager.
    step(&["apply", "plan.bin"], 0);
    step(&["plan", "--detailed-exitcode"], 0);
    step(&["apply", "--auto-approve"], 0);
    step(&["show"], 0);
    step(&["show", "--json"], 0);
    step(&["drift"], 0);
    step(&["drift", "--json"], 0);
    step(&["output"], 0);
    step(&["output", "--json"], 0);
    step(&["output", "token"], 0);
    step(&["state", "show", "local_file.creds"], 0);
    step(&["state", "pull"], 0);

    // The workload got the value.
    assert_eq!(read(&root.join("creds.env")), format!("TOKEN={value}"));
    assert_eq!(read(&root.join("by-name.env")), format!("TOKEN={value}|{upper}"));

    // The AWS SDK logs response bodies at trace level when LOG_SENSITIVE_BODIES=true, and a
    // GetSecretValue body is the secret: plinth keeps it out of the log anyway.
    let o = run(
        root,
        Some(&m.1),
        &["plan"],
        &[("RUST_LOG", "trace"), ("LOG_SENSITIVE_BODIES", "true")],
    );
    expect_code(&o, 0, "plan with LOG_SENSITIVE_BODIES=true");
    outputs.push(("plan with LOG_SENSITIVE_BODIES=true".into(), o));

    // Each run asked Secrets Manager once per source (the ARN and the name), however many
    // expressions read it.
    let (_, plan) = &outputs[1];
    assert_eq!(count(&plan.stderr, FETCH_LOG), 2, "{}", text(plan));
    assert!(contains(&plan.stderr, &arn), "the log names the ARN:\n{}", text(plan));

    // Rotation is noticed through the keyed hash; the new value reaches the workload and does
    // not leak either.
    let rotated = unique("rotated");
    sm.put_secret_value()
        .secret_id(&arn)
        .secret_string(&rotated)
        .send()
        .await
        .expect("rotate");
    let o = run(root, Some(&m.1), &["plan", "--detailed-exitcode"], &env);
    expect_code(&o, 2, "plan after rotating the secret");
    let out = String::from_utf8_lossy(&o.stdout).into_owned();
    assert!(
        out.contains("local_file.creds") && out.contains("local_file.by_name"),
        "{}",
        text(&o)
    );
    outputs.push(("plan after rotation".into(), o));
    let o = run(root, Some(&m.1), &["apply", "--auto-approve"], &env);
    expect_code(&o, 0, "apply after rotation");
    outputs.push(("apply after rotation".into(), o));
    assert_eq!(read(&root.join("creds.env")), format!("TOKEN={rotated}"));
    let rotated_upper = rotated.to_uppercase();
    let all = [value.as_str(), upper.as_str(), rotated.as_str(), rotated_upper.as_str()];

    // Nothing else holds them: every command's output and trace log, the state directory and
    // the saved plan.
    let mut sdk_traced = false;
    for (what, o) in &outputs {
        assert_clean(&format!("stdout of `plinth {what}`"), &o.stdout, &all);
        assert_clean(&format!("stderr (trace log) of `plinth {what}`"), &o.stderr, &all);
        sdk_traced |= contains(&o.stderr, "TRACE") && contains(&o.stderr, "GetSecretValue");
    }
    assert!(
        sdk_traced,
        "no trace log of the GetSecretValue call: the check above proved nothing"
    );
    let state_files = files_under(&root.join(".plinth"));
    assert!(state_files.iter().any(|p| p.ends_with("state.json")), "{state_files:?}");
    for f in &state_files {
        let bytes = std::fs::read(f).expect("read state file");
        assert_clean(&f.display().to_string(), &bytes, &all);
    }
    assert_clean("plan.bin", &std::fs::read(root.join("plan.bin")).expect("plan"), &all);

    // What users see instead.
    let out = |w: &str| {
        outputs
            .iter()
            .find(|(what, _)| what == w)
            .map(|(_, o)| String::from_utf8_lossy(&o.stdout).into_owned())
            .unwrap_or_default()
    };
    let shown = out("show");
    assert!(
        shown
            .lines()
            .any(|l| l.split_whitespace().eq(["content", "=", "(sensitive)"])),
        "{shown}"
    );
    assert_eq!(out("output token").trim(), "<sensitive>");
}

#[tokio::test(flavor = "multi_thread")]
async fn a_missing_secret_names_the_arn_and_the_aws_error() {
    let m = moto();
    let dir = TempDir::new().expect("tempdir");
    let root = dir.path();
    let arn = "arn:aws:secretsmanager:us-east-1:123456789012:secret:plinth/missing-AbCdEf";
    write(
        root,
        "main.hcl",
        &format!(
            "resource \"local_file\" \"creds\" {{\n  path    = \"creds.env\"\n  content = \"TOKEN=${{secret(\"{arn}\")}}\"\n}}\n"
        ),
    );
    for cmd in [&["plan"][..], &["apply", "--auto-approve"][..]] {
        let o = run(root, Some(&m.1), cmd, &[]);
        expect_code(&o, 1, &cmd.join(" "));
        let err = String::from_utf8_lossy(&o.stderr);
        assert!(err.contains("main.hcl:3:"), "{err}");
        assert!(
            err.contains(&format!(
                "cannot read {arn} from AWS Secrets Manager: ResourceNotFoundException"
            )),
            "{err}"
        );
    }
    assert!(!root.join("creds.env").exists());

    // A malformed ARN is caught before any request.
    write(
        root,
        "main.hcl",
        "resource \"local_file\" \"creds\" {\n  path    = \"creds.env\"\n  content = secret(\"arn:aws:secretsmanager:us-east-1:123456789012:secret\")\n}\n",
    );
    let o = run(root, Some(&m.1), &["plan"], &[]);
    expect_code(&o, 1, "plan with a malformed ARN");
    assert!(
        String::from_utf8_lossy(&o.stderr).contains("is not a Secrets Manager secret ARN"),
        "{}",
        text(&o)
    );
}

#[test]
fn a_secret_name_needs_a_region() {
    let dir = TempDir::new().expect("tempdir");
    let root = dir.path();
    write(
        root,
        "main.hcl",
        "resource \"local_file\" \"creds\" {\n  path    = \"creds.env\"\n  content = secret(\"aws-sm:plinth/db\")\n}\n",
    );
    let o = run(root, None, &["plan"], &[]);
    expect_code(&o, 1, "plan without a region");
    assert!(
        String::from_utf8_lossy(&o.stderr).contains("no AWS region to read the secret plinth/db from"),
        "{}",
        text(&o)
    );
}

// ---------------------------------------------------------------------------------------------
// Least privilege

/// The warnings of `plinth validate` (exit 0) on `main.hcl`.
fn validate(main: &str, env: &[(&str, &str)]) -> (String, String) {
    let dir = TempDir::new().expect("tempdir");
    write(dir.path(), "main.hcl", main);
    let o = run(dir.path(), None, &["validate"], env);
    expect_code(&o, 0, "validate");
    (
        String::from_utf8_lossy(&o.stdout).into_owned(),
        String::from_utf8_lossy(&o.stderr).into_owned(),
    )
}

#[test]
fn validate_warns_about_wildcard_iam_grants_by_address() {
    let (out, err) = validate(
        r#"provider "aws" {
  region = "us-east-1"
}

resource "aws_iam_role" "trainer" {
  name = "trainer"
  assume_role_policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Action = "sts:AssumeRole", Principal = { Service = "sagemaker.amazonaws.com" } }]
  })
}

resource "aws_iam_role_policy" "admin" {
  role = aws_iam_role.trainer.name
  name = "admin"
  policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Action = "*", Resource = "*" }]
  })
}

resource "aws_s3_bucket" "data" {
  bucket = "plinth-lint-data"
}

# The grant is known although its resources are not: a whole service is too much.
resource "aws_iam_role_policy" "all_s3" {
  role = aws_iam_role.trainer.name
  name = "all-s3"
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Sid      = "Data"
      Effect   = "Allow"
      Action   = ["s3:*"]
      Resource = [aws_s3_bucket.data.arn, "${aws_s3_bucket.data.arn}/*"]
    }]
  })
}

resource "aws_iam_role_policy" "scoped" {
  role = aws_iam_role.trainer.name
  name = "scoped"
  policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Action = ["s3:GetObject"], Resource = ["${aws_s3_bucket.data.arn}/*"] }]
  })
}
"#,
        &[],
    );
    let all = format!("{out}{err}");
    for want in [
        "aws_iam_role_policy.admin: policy statement 1 allows every action (\"Action\": \"*\")",
        "aws_iam_role_policy.admin: policy statement 1 applies to every resource (\"Resource\": \"*\")",
        "aws_iam_role_policy.all_s3: policy statement \"Data\" allows every s3 action (\"Action\": \"s3:*\")",
    ] {
        assert!(all.contains(want), "missing {want:?}:\n{all}");
    }
    assert_eq!(all.matches("warning").count(), 3, "{all}");
    assert!(!all.contains("aws_iam_role_policy.scoped"), "{all}");
    assert!(!all.contains("aws_iam_role.trainer"), "{all}");
}

#[test]
fn validate_warns_about_literal_provider_credentials_without_echoing_them() {
    let key_id = "AKIAPLINTHTESTLITERAL";
    let secret = unique("literal-secret-key");
    let (out, err) = validate(
        &format!(
            "provider \"aws\" {{\n  region     = \"us-east-1\"\n  access_key = \"{key_id}\"\n  secret_key = \"{secret}\"\n}}\n"
        ),
        &[],
    );
    let all = format!("{out}{err}");
    assert!(
        all.contains("main.hcl:3:3: warning: provider \"aws\" has a literal credential in \"access_key\""),
        "{all}"
    );
    assert!(
        all.contains("main.hcl:4:3: warning: provider \"aws\" has a literal credential in \"secret_key\""),
        "{all}"
    );
    assert_clean("validate output", all.as_bytes(), &[key_id, &secret]);

    // Credentials from secret sources are what the warning asks for.
    let (out, err) = validate(
        "provider \"aws\" {\n  region     = \"us-east-1\"\n  access_key = secret(\"env:PLINTH_TEST_AWS_KEY_ID\")\n  secret_key = secret(\"env:PLINTH_TEST_AWS_SECRET\")\n}\n",
        &[("PLINTH_TEST_AWS_KEY_ID", key_id), ("PLINTH_TEST_AWS_SECRET", &secret)],
    );
    let all = format!("{out}{err}");
    assert!(!all.contains("warning"), "{all}");
    assert_clean("validate output", all.as_bytes(), &[key_id, &secret]);
}

#[test]
fn the_aws_platform_example_validates_without_warnings() {
    // The example uses ../../modules/ml-platform/aws: copy it with the modules, whose IAM
    // policies the lint reads too.
    let dir = TempDir::new().expect("tempdir");
    support::cli::copy_repo_layout(dir.path(), &["aws-platform"]);
    let example = dir.path().join("examples/aws-platform");
    let o = run(&example, None, &["validate"], &[]);
    expect_code(&o, 0, "validate examples/aws-platform");
    let all = text(&o);
    assert!(!all.contains("warning"), "{all}");
    assert!(all.contains("The configuration is valid"), "{all}");
}
