//! A module given an aliased AWS configuration with `providers = { aws = aws.west }`, end to end
//! with the real `plinth` binary against moto (started here on 127.0.0.1 with a free port): the
//! root's default configuration is us-east-1, the module's bucket lands in us-west-2 (checked
//! with boto3, not through Plinth), a second plan is clean, and destroy removes both buckets.
#![cfg(feature = "aws")]

mod support;
use support::moto::moto;

use std::path::Path;
use std::process::{Command, Output, Stdio};

/// `plinth ARGS` in `dir` with only the AWS settings the test gives (the endpoint, test
/// credentials, us-east-1 as the chain's region).
fn plinth(dir: &Path, endpoint: &str, args: &[&str]) -> Output {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_plinth"));
    cmd.arg("-C").arg(dir).args(args).stdin(Stdio::null());
    for (k, _) in std::env::vars_os() {
        let k = k.to_string_lossy().into_owned();
        if k.starts_with("PLINTH_") || k.starts_with("AWS_") {
            cmd.env_remove(k);
        }
    }
    cmd.env("NO_COLOR", "1")
        .env("AWS_CONFIG_FILE", dir.join("no-aws-config"))
        .env("AWS_SHARED_CREDENTIALS_FILE", dir.join("no-aws-credentials"))
        .env("AWS_EC2_METADATA_DISABLED", "true")
        .env("AWS_ENDPOINT_URL", endpoint)
        .env("AWS_ACCESS_KEY_ID", "testing")
        .env("AWS_SECRET_ACCESS_KEY", "testing")
        .env("AWS_REGION", "us-east-1")
        .env("AWS_MAX_ATTEMPTS", "1")
        .env("PLINTH_AWS_FAST_WAITS", "1");
    cmd.output().expect("run plinth")
}

fn text(o: &Output) -> String {
    format!(
        "--- stdout\n{}\n--- stderr\n{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    )
}

/// Runs a boto3 script against moto; `print`s go to the returned string.
fn boto3(endpoint: &str, script: &str) -> String {
    let out = Command::new("python3")
        .arg("-c")
        .arg(format!(
            "import boto3, botocore\ns3 = boto3.client('s3', endpoint_url='{endpoint}', region_name='us-east-1', aws_access_key_id='testing', aws_secret_access_key='testing')\n{script}"
        ))
        .output()
        .expect("python3 with boto3");
    assert!(out.status.success(), "boto3 failed:\n{}", text(&out));
    String::from_utf8_lossy(&out.stdout).trim().to_string()
}

/// The region each bucket lives in, as S3 reports it (`us-east-1` for a null location).
fn locations(endpoint: &str, buckets: &[&str]) -> String {
    boto3(
        endpoint,
        &format!(
            "for b in {buckets:?}:\n    loc = s3.get_bucket_location(Bucket=b)['LocationConstraint']\n    print(b, loc or 'us-east-1')"
        ),
    )
}

fn listed(endpoint: &str) -> String {
    boto3(
        endpoint,
        "print(' '.join(sorted(b['Name'] for b in s3.list_buckets().get('Buckets', []))))",
    )
}

#[test]
fn a_module_given_an_aliased_configuration_creates_its_bucket_in_that_region() {
    let moto = moto();
    let endpoint = moto.1.as_str();
    let dir = tempfile::tempdir().expect("temporary directory");
    let root = dir.path();
    std::fs::create_dir(root.join("replica")).expect("mkdir");
    std::fs::write(
        root.join("main.hcl"),
        r#"
provider "aws" {
  region = "us-east-1"
}

provider "aws" {
  alias  = "west"
  region = "us-west-2"
}

resource "aws_s3_bucket" "home" {
  bucket = "plinth-home-models"
}

module "replica" {
  source    = "./replica"
  providers = { aws = aws.west }
  name      = "plinth-west-models"
}
"#,
    )
    .expect("write main.hcl");
    std::fs::write(
        root.join("replica/main.hcl"),
        r#"
variable "name" {
  type = string
}

resource "aws_s3_bucket" "copy" {
  bucket = var.name
}
"#,
    )
    .expect("write the module");

    let applied = plinth(root, endpoint, &["apply", "--auto-approve"]);
    assert!(applied.status.success(), "apply failed:\n{}", text(&applied));
    assert_eq!(
        locations(endpoint, &["plinth-home-models", "plinth-west-models"]),
        "plinth-home-models us-east-1\nplinth-west-models us-west-2"
    );

    let again = plinth(root, endpoint, &["plan", "--detailed-exitcode"]);
    assert_eq!(
        again.status.code(),
        Some(0),
        "the second plan is not clean:\n{}",
        text(&again)
    );

    let destroyed = plinth(root, endpoint, &["destroy", "--auto-approve"]);
    assert!(destroyed.status.success(), "destroy failed:\n{}", text(&destroyed));
    assert_eq!(listed(endpoint), "");
}
