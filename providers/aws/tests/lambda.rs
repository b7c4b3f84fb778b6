//! aws_lambda_function and aws_lambda_permission against moto (CreateFunction needs no Docker;
//! only invoking would): create from a local zip, an independent read with boto3, an out-of-band
//! change made with boto3 seen as drift and repaired, new code, publish, import, destroy.

mod common;

use std::path::PathBuf;

use common::boto::boto3;
use common::*;
use plinth_aws::AwsProvider;
use plinth_sdk::{ConfigureRequest, Provider, Value};
use serde_json::Value as J;

const F: &str = "aws_lambda_function";
const P: &str = "aws_lambda_permission";

fn json(script: &str) -> J {
    let out = boto3(script);
    serde_json::from_str(&out).unwrap_or_else(|e| panic!("{e}: {out}"))
}

/// A role Lambda may assume (moto checks that it exists); its ARN.
fn role(name: &str) -> String {
    json(&format!(
        "try:\n    r = iam.get_role(RoleName='{name}')['Role']\nexcept iam.exceptions.NoSuchEntityException:\n    \
         r = iam.create_role(RoleName='{name}', AssumeRolePolicyDocument=json.dumps({{'Version': '2012-10-17', \
         'Statement': [{{'Effect': 'Allow', 'Principal': {{'Service': 'lambda.amazonaws.com'}}, 'Action': 'sts:AssumeRole'}}]}}))['Role']\n\
         print(json.dumps(r['Arn']))"
    ))
    .as_str()
    .expect("arn")
    .to_string()
}

/// A directory of its own with a zip holding `main.py` with `body`; the zip's file name.
fn zip(dir: &std::path::Path, name: &str, body: &str) -> String {
    std::fs::create_dir_all(dir).expect("mkdir");
    let script = format!(
        "import zipfile\nwith zipfile.ZipFile({path:?}, 'w') as z:\n    z.writestr('main.py', {body:?})\n",
        path = dir.join(name).display().to_string(),
    );
    let out = std::process::Command::new("python3")
        .arg("-c")
        .arg(script)
        .output()
        .expect("python3");
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    name.to_string()
}

/// A provider whose working directory is `dir` (relative filenames are read from there).
async fn provider_in(dir: &std::path::Path) -> AwsProvider {
    let p = AwsProvider::new();
    let config = Value::object([
        ("region", s("us-east-1")),
        ("endpoint_url", Value::string(moto().endpoint.clone())),
        ("max_retries", Value::int(0)),
        ("access_key", s("testing")),
        ("secret_key", s("testing")),
    ]);
    p.configure(ConfigureRequest {
        config,
        working_dir: dir.to_path_buf(),
    })
    .await
    .expect("configure");
    p
}

fn live(name: &str) -> J {
    json(&format!(
        "f = lam.get_function(FunctionName='{name}')\nc = f['Configuration']\n\
         print(json.dumps({{'memory': c['MemorySize'], 'timeout': c['Timeout'], 'handler': c['Handler'], \
         'env': c.get('Environment', {{}}).get('Variables', {{}}), 'sha': c['CodeSha256'], 'tags': f.get('Tags', {{}})}}))"
    ))
}

fn env(vars: &[(&str, &str)]) -> Value {
    Value::List(vec![Value::object([(
        "variables",
        Value::object(vars.iter().map(|(k, v)| (*k, s(v))).collect::<Vec<_>>()),
    )])])
}

fn workdir(tag: &str) -> PathBuf {
    std::env::temp_dir().join(format!("plinth-lambda-{tag}-{}", std::process::id()))
}

#[tokio::test]
async fn function_from_a_zip_drift_new_code_import_destroy() {
    let dir = workdir("fn");
    let p = provider_in(&dir).await;
    let role = role("plinth-lambda-fn");
    let file = zip(&dir, "v1.zip", "def handler(e, c):\n    return 1\n");
    let cfg = |file: &str, hash: &str, memory: i64| {
        config(
            &p,
            F,
            &[
                ("function_name", s("plinth-features")),
                ("role", s(&role)),
                ("handler", s("main.handler")),
                ("runtime", s("python3.12")),
                ("filename", s(file)),
                ("source_code_hash", s(hash)),
                ("memory_size", Value::int(memory)),
                ("environment", env(&[("STAGE", "prod")])),
                ("tags", Value::object([("team", s("ml"))])),
            ],
        )
    };
    let c1 = cfg(&file, "v1", 256);
    let state = create(&p, F, c1.clone()).await;
    assert_eq!(state.get("id"), &s("plinth-features"));
    let arn = state.get("arn").as_str().expect("arn").to_string();
    assert!(arn.ends_with(":function:plinth-features"), "{arn}");
    assert_eq!(state.get("version"), &s("$LATEST"));
    assert_eq!(state.get("qualified_arn"), &s(&format!("{arn}:$LATEST")));
    assert_eq!(
        state.get("invoke_arn"),
        &s(&format!(
            "arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/{arn}/invocations"
        ))
    );
    assert_eq!(state.get("timeout"), &Value::int(3));
    assert_eq!(state.get("package_type"), &s("Zip"));
    let l = live("plinth-features");
    assert_eq!(l["memory"], 256);
    assert_eq!(l["env"]["STAGE"], "prod");
    assert_eq!(l["tags"]["team"], "ml");
    assert_eq!(state.get("code_sha256"), &s(l["sha"].as_str().expect("sha")));
    assert_eq!(read(&p, F, &state).await.as_ref(), Some(&state));
    assert_eq!(
        plan_changes(&plan(&p, F, &state, &c1).await, &state),
        Vec::<String>::new()
    );

    // Out of band: memory and environment changed.
    boto3(
        "lam.update_function_configuration(FunctionName='plinth-features', MemorySize=1024, \
         Environment={'Variables': {'STAGE': 'dev'}})",
    );
    let drifted = read(&p, F, &state).await.expect("exists");
    assert_eq!(drifted.get("memory_size"), &Value::int(1024));
    let pl = plan(&p, F, &drifted, &c1).await;
    let changes = plan_changes(&pl, &drifted);
    assert!(
        changes.contains(&"memory_size".to_string()) && changes.contains(&"environment".to_string()),
        "{changes:?}"
    );
    let repaired = apply_update(&p, F, &drifted, pl.planned, &c1).await;
    assert_eq!(repaired.get("memory_size"), &Value::int(256));
    assert_eq!(live("plinth-features")["env"]["STAGE"], "prod");

    // New code: a new hash uploads it.
    let file2 = zip(&dir, "v2.zip", "def handler(e, c):\n    return 2\n");
    let c2 = cfg(&file2, "v2", 256);
    let s2 = apply_in_place(&p, F, &repaired, &c2).await;
    assert_ne!(s2.get("code_sha256"), repaired.get("code_sha256"), "new code deployed");
    assert_eq!(s2.get("source_code_hash"), &s("v2"));

    let imported = import(&p, F, "plinth-features").await;
    assert_eq!(imported.get("arn"), &s(&arn));
    assert_eq!(imported.get("handler"), &s("main.handler"));
    assert_eq!(imported.get("environment"), &env(&[("STAGE", "prod")]));

    // A permission for S3 to invoke it.
    let pc = config(
        &p,
        P,
        &[
            ("statement_id", s("AllowS3")),
            ("action", s("lambda:InvokeFunction")),
            ("function_name", s("plinth-features")),
            ("principal", s("s3.amazonaws.com")),
            ("source_arn", s("arn:aws:s3:::ml-landing")),
        ],
    );
    let perm = create(&p, P, pc.clone()).await;
    assert_eq!(perm.get("id"), &s("AllowS3"));
    assert_eq!(perm.get("source_arn"), &s("arn:aws:s3:::ml-landing"));
    let policy = json("print(lam.get_policy(FunctionName='plinth-features')['Policy'])");
    assert_eq!(policy["Statement"][0]["Sid"], "AllowS3");
    assert_eq!(read(&p, P, &perm).await.as_ref(), Some(&perm));
    assert_eq!(
        plan_changes(&plan(&p, P, &perm, &pc).await, &perm),
        Vec::<String>::new()
    );
    let imported = import(&p, P, "plinth-features/AllowS3").await;
    assert_eq!(imported.get("principal"), &s("s3.amazonaws.com"));
    // Out of band: the statement removed: the permission is gone.
    boto3("lam.remove_permission(FunctionName='plinth-features', StatementId='AllowS3')");
    assert_eq!(read(&p, P, &perm).await, None);
    let perm = create(&p, P, pc).await;
    delete(&p, P, &perm).await;
    assert_eq!(read(&p, P, &perm).await, None);

    delete(&p, F, &s2).await;
    let gone = json(
        "try:\n    lam.get_function(FunctionName='plinth-features')\n    print('true')\n\
         except lam.exceptions.ResourceNotFoundException:\n    print('false')",
    );
    assert_eq!(gone, false);
    assert_eq!(read(&p, F, &s2).await, None);
    delete(&p, F, &s2).await; // already gone
    let _ = std::fs::remove_dir_all(&dir);
}

#[tokio::test]
async fn publish_makes_numbered_versions() {
    let dir = workdir("publish");
    let p = provider_in(&dir).await;
    let role = role("plinth-lambda-publish");
    let file = zip(&dir, "f.zip", "def handler(e, c):\n    return 0\n");
    let cfg = |timeout: i64| {
        config(
            &p,
            F,
            &[
                ("function_name", s("plinth-published")),
                ("role", s(&role)),
                ("handler", s("main.handler")),
                ("runtime", s("python3.12")),
                ("filename", s(&file)),
                ("timeout", Value::int(timeout)),
                ("publish", Value::Bool(true)),
            ],
        )
    };
    let state = create(&p, F, cfg(10)).await;
    assert_eq!(state.get("version"), &s("1"));
    let arn = state.get("arn").as_str().expect("arn").to_string();
    assert_eq!(state.get("qualified_arn"), &s(&format!("{arn}:1")));
    let s2 = apply_in_place(&p, F, &state, &cfg(20)).await;
    assert_eq!(s2.get("version"), &s("2"));
    assert_eq!(read(&p, F, &s2).await.as_ref(), Some(&s2));
    delete(&p, F, &s2).await;
    let _ = std::fs::remove_dir_all(&dir);
}
