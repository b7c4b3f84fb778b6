//! Independent checks through boto3 (python3): what the emulator holds, read by another client
//! than the code under test.

use std::process::Command;

use super::moto;

/// Runs `script` with `ec2`, `s3`, `iam`, `sm` (SageMaker), `secrets`, `kms`, `logs`, `ecr`, `ssm`
/// and `lam` (Lambda) boto3 clients bound to moto; returns what it prints, trimmed. Fails the test when the script fails.
#[allow(dead_code)]
pub fn boto3(script: &str) -> String {
    let endpoint = &moto().endpoint;
    let prelude = format!(
        "import boto3, json\n\
         def client(name):\n    return boto3.client(name, endpoint_url='{endpoint}', region_name='us-east-1', \
         aws_access_key_id='testing', aws_secret_access_key='testing')\n\
         ec2 = client('ec2'); s3 = client('s3'); iam = client('iam'); sm = client('sagemaker'); \
         secrets = client('secretsmanager'); kms = client('kms'); logs = client('logs'); ecr = client('ecr'); \
         ssm = client('ssm'); lam = client('lambda')\n"
    );
    let out = Command::new("python3")
        .arg("-c")
        .arg(format!("{prelude}{script}"))
        .output()
        .expect("python3 with boto3");
    assert!(
        out.status.success(),
        "boto3 script failed:\n{script}\n{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).trim().to_string()
}
