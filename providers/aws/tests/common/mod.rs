//! Test harness: one `moto_server` per test binary on 127.0.0.1 with a free port, stopped when the
//! binary exits, plus helpers to drive the provider the way the engine does (plan, create,
//! update, read, import, delete) and small value builders. [`ec2`] holds what only the EC2 tests
//! share.
#![allow(dead_code)]

pub mod adopt;
pub mod boto;
pub mod ec2;
pub mod s3;

use std::net::TcpListener;
use std::process::{Child, Command, Stdio};
use std::sync::{Mutex, OnceLock};
use std::time::{Duration, Instant};

use plinth_aws::AwsProvider;
use plinth_sdk::Map;
use plinth_sdk::{
    ApplyRequest, ConfigureRequest, ImportRequest, PlanRequest, PlanResponse, Provider, ReadInstance, ReadRequest,
    ValidateRequest, Value,
};

pub struct Moto {
    pub endpoint: String,
    child: Mutex<Option<Child>>,
    /// Held open for the life of the test binary; its closing stops moto.
    _stdin: Mutex<Option<std::process::ChildStdin>>,
}

/// Fixes to moto's answers where the AWS SDK for Rust is stricter than boto3 (see the file).
pub const MOTO_FIXES: &str = include_str!("moto_fixes.py");

/// Runs moto's server until standard input reaches its end (after [`MOTO_FIXES`]).
pub const MOTO_WRAPPER: &str = r#"
import os, sys, threading
from moto.server import main
def watch():
    sys.stdin.read()
    os._exit(0)
threading.Thread(target=watch, daemon=True).start()
main(["-H", "127.0.0.1", "-p", sys.argv[1]])
"#;

impl Drop for Moto {
    fn drop(&mut self) {
        if let Ok(mut c) = self.child.lock()
            && let Some(mut c) = c.take()
        {
            let _ = c.kill();
            let _ = c.wait();
        }
    }
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("a free port on 127.0.0.1")
}

static MOTO: OnceLock<Moto> = OnceLock::new();

/// Starts moto (once per test binary) and points the AWS environment at it.
pub fn moto() -> &'static Moto {
    MOTO.get_or_init(|| {
        let port = free_port();
        // `python3 -m moto.server` works wherever the package is installed, whether or not its
        // `moto_server` script landed on the PATH.
        // moto runs under a tiny wrapper that exits when its standard input closes, which
        // happens when this test binary exits: the static below is never dropped, so no Drop
        // could stop it.
        let mut child = Command::new("python3")
            .args(["-c", &format!("{MOTO_FIXES}\n{MOTO_WRAPPER}"), &port.to_string()])
            .stdin(Stdio::piped())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect(
                "python3 must be on the PATH, with moto installed: pip install 'moto[server]' (tests/run.sh does this)",
            );
        let stdin = child.stdin.take();
        let endpoint = format!("http://127.0.0.1:{port}");
        let start = Instant::now();
        while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
            assert!(
                start.elapsed() < Duration::from_secs(30),
                "moto_server did not start within 30 s"
            );
            std::thread::sleep(Duration::from_millis(100));
        }
        Moto {
            endpoint,
            child: Mutex::new(Some(child)),
            _stdin: Mutex::new(stdin),
        }
    })
}

/// A configured provider pointed at moto through the provider block (tests cannot set process
/// environment variables: that is unsafe in Rust 2024, and the workspace forbids unsafe code).
/// The credentials are dummies moto accepts.
pub async fn provider() -> AwsProvider {
    let m = moto();
    let p = AwsProvider::new();
    let config = Value::object([
        ("region", Value::string("us-east-1")),
        ("endpoint_url", Value::string(m.endpoint.clone())),
        ("max_retries", Value::int(0)),
        ("access_key", Value::string("testing")),
        ("secret_key", Value::string("testing").mark()),
    ]);
    p.configure(ConfigureRequest {
        config,
        working_dir: std::env::temp_dir(),
    })
    .await
    .expect("configure");
    p
}

/// The full configuration object for a type: every schema attribute, null unless given.
pub fn config(p: &AwsProvider, type_name: &str, given: &[(&str, Value)]) -> Value {
    let schema = p.schema();
    let s = schema.resources.get(type_name).expect("known type");
    let mut m: Map = s.attributes.keys().map(|k| (k.clone(), Value::Null)).collect();
    for (k, b) in &s.blocks {
        m.insert(
            k.clone(),
            match b.nesting {
                plinth_sdk::Nesting::Single => Value::Null,
                _ => Value::List(vec![]),
            },
        );
    }
    for (k, v) in given {
        m.insert(k.to_string(), v.clone());
    }
    Value::Map(m)
}

/// Plans `config` against `prior` (the refreshed state; `None` plans a create).
pub async fn plan<'a>(
    p: &AwsProvider,
    type_name: &str,
    prior: impl Into<Option<&'a Value>>,
    config: &Value,
) -> PlanResponse {
    p.plan(PlanRequest {
        type_name: type_name.into(),
        address: format!("{type_name}.test"),
        prior: prior.into().cloned(),
        config: config.clone(),
    })
    .await
    .expect("plan")
}

/// Plans and creates, as `plinth apply` would.
pub async fn create(p: &AwsProvider, type_name: &str, config: Value) -> Value {
    let plan = p
        .plan(PlanRequest {
            type_name: type_name.into(),
            address: format!("{type_name}.test"),
            prior: None,
            config: config.clone(),
        })
        .await
        .expect("plan");
    p.apply(ApplyRequest {
        type_name: type_name.into(),
        address: format!("{type_name}.test"),
        prior: None,
        planned: Some(plan.planned),
        config,
        ..Default::default()
    })
    .await
    .expect("create")
    .new_state
    .expect("a state")
}

/// Creates `type_name` from the arguments `given` (the rest null), as [`config`] builds them.
pub async fn make(p: &AwsProvider, type_name: &str, given: &[(&str, Value)]) -> Value {
    create(p, type_name, config(p, type_name, given)).await
}

/// Applies a planned in-place update of `prior`; returns the new state.
pub async fn apply_update(p: &AwsProvider, type_name: &str, prior: &Value, planned: Value, config: &Value) -> Value {
    p.apply(ApplyRequest {
        type_name: type_name.into(),
        address: format!("{type_name}.test"),
        prior: Some(prior.clone()),
        planned: Some(planned),
        config: config.clone(),
        ..Default::default()
    })
    .await
    .expect("update")
    .new_state
    .expect("a state")
}

/// Plans `config` against `prior` and applies it in place; fails if the plan wants a replacement.
pub async fn apply_in_place(p: &AwsProvider, type_name: &str, prior: &Value, config: &Value) -> Value {
    let pl = plan(p, type_name, prior, config).await;
    assert!(pl.requires_replace.is_empty(), "an in-place update");
    apply_update(p, type_name, prior, pl.planned, config).await
}

/// Refreshes one instance.
pub async fn read(p: &AwsProvider, type_name: &str, state: &Value) -> Option<Value> {
    p.read(ReadRequest {
        type_name: type_name.into(),
        instances: vec![ReadInstance {
            address: format!("{type_name}.test"),
            state: state.clone(),
        }],
    })
    .await
    .expect("read")
    .states
    .into_iter()
    .next()
    .flatten()
}

/// A read of `states` as the engine sends it for a counted resource: addresses `TYPE.NAME[i]`.
pub fn read_request(type_name: &str, name: &str, states: &[Value]) -> ReadRequest {
    ReadRequest {
        type_name: type_name.into(),
        instances: states
            .iter()
            .enumerate()
            .map(|(i, s)| ReadInstance {
                address: format!("{type_name}.{name}[{i}]"),
                state: s.clone(),
            })
            .collect(),
    }
}

pub async fn import(p: &AwsProvider, type_name: &str, id: &str) -> Value {
    p.import(ImportRequest {
        type_name: type_name.into(),
        address: format!("{type_name}.imported"),
        id: id.into(),
    })
    .await
    .expect("import")
}

/// Deletes.
pub async fn delete(p: &AwsProvider, type_name: &str, state: &Value) {
    p.apply(ApplyRequest {
        type_name: type_name.into(),
        address: format!("{type_name}.test"),
        prior: Some(state.clone()),
        planned: None,
        config: Value::Null,
        ..Default::default()
    })
    .await
    .expect("delete");
}

/// An SDK config of our own for independent checks (not the provider's read code).
pub async fn sdk_config() -> aws_config::SdkConfig {
    let m = moto();
    aws_config::defaults(aws_config::BehaviorVersion::latest())
        .region(aws_config::Region::new("us-east-1"))
        .endpoint_url(&m.endpoint)
        .credentials_provider(aws_sdk_ec2::config::Credentials::new(
            "testing",
            "testing",
            None,
            None,
            "plinth-tests",
        ))
        .load()
        .await
}

pub fn s(v: &str) -> Value {
    Value::string(v)
}

/// A list of strings, sorted (as the engine orders a set).
pub fn strs(items: &[&str]) -> Value {
    let mut v: Vec<&str> = items.to_vec();
    v.sort();
    Value::List(v.into_iter().map(Value::string).collect())
}

pub fn id_of(state: &Value) -> String {
    state.get("id").as_str().expect("an id").to_string()
}

/// Key/value pairs as owned strings, the shape of the live-tag checks.
pub fn pairs(items: &[(&str, &str)]) -> Vec<(String, String)> {
    items.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect()
}

/// The attributes whose planned value is known and differs from the prior state's, sorted.
pub fn plan_changes(resp: &PlanResponse, prior: &Value) -> Vec<String> {
    let mut out: Vec<String> = resp
        .planned
        .as_map()
        .expect("an object")
        .iter()
        .filter(|(k, v)| !v.is_unknown() && prior.get(k) != *v)
        .map(|(k, _)| k.clone())
        .collect();
    out.sort();
    out
}

/// Refreshes `state` and asserts that planning `cfg` against it changes nothing; returns the
/// refreshed state.
pub async fn assert_clean(p: &AwsProvider, type_name: &str, state: &Value, cfg: &Value) -> Value {
    let fresh = read(p, type_name, state).await.expect("still there");
    let resp = plan(p, type_name, &fresh, cfg).await;
    assert!(
        resp.requires_replace.is_empty(),
        "{type_name}: {:?}",
        resp.requires_replace
    );
    assert_eq!(
        plan_changes(&resp, &fresh),
        Vec::<String>::new(),
        "{type_name} plans changes\nrefreshed: {fresh}\nplanned: {}",
        resp.planned
    );
    fresh
}

/// The summaries of the provider's diagnostics for a managed resource's configuration.
pub fn validate(p: &AwsProvider, type_name: &str, cfg: &Value) -> Vec<String> {
    p.validate(&ValidateRequest::managed(type_name, cfg.clone()))
        .into_iter()
        .map(|d| d.summary)
        .collect()
}
