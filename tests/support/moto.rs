//! `moto_server`, the AWS emulator, for the end-to-end tests of the binary: started on 127.0.0.1
//! with a free port, stopped when the handle drops.

use std::net::TcpListener;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// Fixes to moto's answers where the AWS SDK for Rust is stricter than boto3, shared with the
/// provider's own tests.
const MOTO_FIXES: &str = include_str!("../../providers/aws/tests/common/moto_fixes.py");

/// A running moto server and its endpoint URL (`http://127.0.0.1:PORT`).
pub struct Moto(pub Child, pub String);

impl Drop for Moto {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// Starts moto and waits until it accepts connections.
pub fn moto() -> Moto {
    moto_with_env(&[])
}

/// [`moto`] with environment variables for the server (`INITIAL_NO_AUTH_ACTION_COUNT=N` makes
/// it check credentials and IAM policies after its first N requests).
pub fn moto_with_env(env: &[(&str, &str)]) -> Moto {
    let port = TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("free port");
    let child = Command::new("python3")
        .args([
            "-c",
            &format!("{MOTO_FIXES}\nfrom moto.server import main\nmain(['-H', '127.0.0.1', '-p', '{port}'])"),
        ])
        .envs(env.iter().copied())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("python3 with moto installed (pip install 'moto[server]'; tests/run.sh does this)");
    let start = Instant::now();
    while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
        assert!(
            start.elapsed() < Duration::from_secs(30),
            "moto did not start within 30 s"
        );
        std::thread::sleep(Duration::from_millis(100));
    }
    Moto(child, format!("http://127.0.0.1:{port}"))
}

/// A `plinth` command run in `dir` with a clean environment (no inherited `PLINTH_*`, `AWS_*`,
/// `RUST_LOG`, `LOG_SENSITIVE_BODIES`, no `~/.aws` files, no colour) and, when `endpoint` is
/// given, the AWS chain pointing at it with test credentials in us-east-1 and fast waits. The
/// binary is `PLINTH_TEST_BIN` when set, as in [`super::cli::command`].
pub fn plinth_command(dir: &std::path::Path, endpoint: Option<&str>) -> Command {
    let bin = std::env::var_os("PLINTH_TEST_BIN").unwrap_or_else(|| env!("CARGO_BIN_EXE_plinth").into());
    let mut cmd = Command::new(bin);
    cmd.current_dir(dir).stdin(Stdio::null());
    for (k, _) in std::env::vars_os() {
        let k = k.to_string_lossy().into_owned();
        if k.starts_with("PLINTH_") || k.starts_with("AWS_") {
            cmd.env_remove(k);
        }
    }
    cmd.env_remove("RUST_LOG")
        .env_remove("RUST_BACKTRACE")
        .env_remove("LOG_SENSITIVE_BODIES")
        .env("NO_COLOR", "1")
        .env("AWS_CONFIG_FILE", dir.join("no-aws-config"))
        .env("AWS_SHARED_CREDENTIALS_FILE", dir.join("no-aws-credentials"))
        .env("AWS_EC2_METADATA_DISABLED", "true");
    if let Some(endpoint) = endpoint {
        cmd.env("AWS_ENDPOINT_URL", endpoint)
            .env("AWS_ACCESS_KEY_ID", "testing")
            .env("AWS_SECRET_ACCESS_KEY", "testing")
            .env("AWS_REGION", "us-east-1")
            .env("AWS_MAX_ATTEMPTS", "1")
            .env("PLINTH_AWS_FAST_WAITS", "1");
    }
    cmd
}

/// `plinth ARGS` in `dir` against moto at `endpoint` (see [`plinth_command`]), with `env` set.
pub fn run_plinth(dir: &std::path::Path, endpoint: &str, args: &[&str], env: &[(&str, &str)]) -> std::process::Output {
    let mut cmd = plinth_command(dir, Some(endpoint));
    cmd.args(args);
    for (k, v) in env {
        cmd.env(k, v);
    }
    cmd.output().expect("run plinth")
}

/// Both streams of a finished command, for assertion messages.
pub fn output_text(o: &std::process::Output) -> String {
    format!(
        "--- stdout\n{}\n--- stderr\n{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    )
}

/// An AWS SDK configuration of the test's own for moto at `endpoint`: the checks of a test go
/// through it (or [`boto3`]), never through Plinth's code.
pub async fn sdk_config(endpoint: &str) -> aws_config::SdkConfig {
    aws_config::defaults(aws_config::BehaviorVersion::latest())
        .region(aws_config::Region::new("us-east-1"))
        .endpoint_url(endpoint)
        .credentials_provider(aws_sdk_ec2::config::Credentials::new(
            "testing", "testing", None, None, "tests",
        ))
        .load()
        .await
}

/// Runs a boto3 `script` against moto at `endpoint` and returns what it printed, trimmed. The
/// script finds a client for each of `services`, named after it (`s3`, `iam`, `ssm` ...), and
/// helpers: `out(value)` prints JSON, `doc(d)` reads a policy document whether or not moto
/// decoded it, `code(f)` calls `f` and answers `present` or the AWS error code.
pub fn boto3(endpoint: &str, services: &[&str], script: &str) -> String {
    let mut prelude = String::from(
        "import boto3, json, botocore\n\
         def out(v):\n    print(json.dumps(v, default=str))\n\
         def doc(d):\n    return d if isinstance(d, dict) else json.loads(d)\n\
         def code(f):\n    try:\n        f()\n        return 'present'\n    except botocore.exceptions.ClientError as e:\n        return e.response['Error']['Code']\n",
    );
    for s in services {
        prelude.push_str(&format!(
            "{s} = boto3.client('{s}', endpoint_url={endpoint:?}, region_name='us-east-1', \
             aws_access_key_id='testing', aws_secret_access_key='testing')\n"
        ));
    }
    let o = Command::new("python3")
        .arg("-c")
        .arg(format!("{prelude}{script}"))
        .output()
        .expect("python3 with boto3 (installed with moto)");
    assert!(
        o.status.success(),
        "boto3 script failed:\n{script}\n{}",
        String::from_utf8_lossy(&o.stderr)
    );
    String::from_utf8_lossy(&o.stdout).trim().to_string()
}

/// [`boto3`] for a script that answers with `out(value)`: the value.
pub fn boto3_json(endpoint: &str, services: &[&str], script: &str) -> serde_json::Value {
    let text = boto3(endpoint, services, script);
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{e}: {text}"))
}
