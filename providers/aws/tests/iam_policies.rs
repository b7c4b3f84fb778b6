//! aws_iam_role_policy_attachment, aws_iam_policy and aws_iam_instance_profile against moto, and
//! the identity data sources (aws_caller_identity, aws_partition, aws_region, aws_iam_policy,
//! aws_iam_policy_document): create, an independent read with boto3, an out-of-band change made
//! with boto3 seen as drift and repaired, import, destroy.
//!
//! Every check of what AWS holds is a boto3 script run with python3 (the package that comes with
//! moto), never the provider's own read code.

mod common;

use std::process::Command;

use common::*;
use plinth_aws::AwsProvider;
use plinth_sdk::Map;
use plinth_sdk::{ImportRequest, Provider, ReadDataRequest, ValidateRequest, Value};
use serde_json::{Value as J, json};

const TRUST: &str = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"sagemaker.amazonaws.com"},"Action":"sts:AssumeRole"}]}"#;
const EC2_TRUST: &str = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"ec2.amazonaws.com"},"Action":"sts:AssumeRole"}]}"#;
const POLICY: &str = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["s3:GetObject","s3:PutObject"],"Resource":"arn:aws:s3:::ml-data/*"}]}"#;
/// POLICY reordered, reformatted, with a one-element list.
const POLICY_REFORMATTED: &str = r#"{
  "Statement": [{"Resource": ["arn:aws:s3:::ml-data/*"], "Action": ["s3:PutObject", "s3:GetObject"], "Effect": "Allow"}],
  "Version": "2012-10-17"
}"#;

/// Runs a boto3 script against moto and returns what it prints (one JSON value). The script
/// finds `iam` and `sts` clients ready, and `out(value)` to print its answer.
fn boto3(script: &str) -> J {
    let prelude = format!(
        "import boto3, json, sys\n\
         kw = dict(endpoint_url={ep:?}, region_name='us-east-1', aws_access_key_id='testing', aws_secret_access_key='testing')\n\
         iam = boto3.client('iam', **kw)\n\
         sts = boto3.client('sts', **kw)\n\
         def out(v):\n    print(json.dumps(v, default=str))\n",
        ep = moto().endpoint
    );
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
    serde_json::from_slice(&o.stdout).unwrap_or_else(|e| panic!("{e}: {}", String::from_utf8_lossy(&o.stdout)))
}

/// A boto3 call that must fail: the AWS error code.
fn boto3_error(call: &str) -> String {
    boto3(&format!(
        "try:\n    {call}\n    out(None)\nexcept iam.exceptions.ClientError as e:\n    out(e.response['Error']['Code'])\n"
    ))
    .as_str()
    .unwrap_or("no error")
    .to_string()
}

fn json_of(text: &str) -> J {
    serde_json::from_str(text).expect("JSON")
}

async fn role(p: &AwsProvider, name: &str, trust: &str) -> Value {
    create(
        p,
        "aws_iam_role",
        config(
            p,
            "aws_iam_role",
            &[("name", s(name)), ("assume_role_policy", s(trust))],
        ),
    )
    .await
}

fn policy_config(p: &AwsProvider, name: &str, doc: &str, tags: Value) -> Value {
    config(
        p,
        "aws_iam_policy",
        &[
            ("name", s(name)),
            ("path", s("/ml/")),
            ("description", s("read and write training data")),
            ("policy", s(doc)),
            ("tags", tags),
        ],
    )
}

async fn read_data(p: &AwsProvider, type_name: &str, config: Value) -> Result<Value, plinth_sdk::ProviderError> {
    p.read_data(ReadDataRequest {
        type_name: type_name.into(),
        address: format!("data.{type_name}.test"),
        config,
    })
    .await
}

fn set(cfg: &mut Value, key: &str, v: Value) {
    if let Value::Map(m) = cfg {
        m.insert(key.into(), v);
    }
}

#[tokio::test]
async fn attachment_lifecycle_drift_import_and_destroy() {
    let p = provider().await;
    let role_name = "plinth-attach-role";
    let role_state = role(&p, role_name, TRUST).await;
    let policy = create(
        &p,
        "aws_iam_policy",
        policy_config(&p, "plinth-attach-data", POLICY, Value::Null),
    )
    .await;
    let arn = policy.get("arn").as_str().expect("arn").to_string();
    let cfg = config(
        &p,
        "aws_iam_role_policy_attachment",
        &[("role", s(role_name)), ("policy_arn", s(&arn))],
    );
    let state = create(&p, "aws_iam_role_policy_attachment", cfg.clone()).await;
    assert_eq!(state.get("id"), &s(&format!("{role_name}/{arn}")));

    let listed = |role: &str| {
        boto3(&format!(
            "out(sorted(p['PolicyArn'] for p in iam.list_attached_role_policies(RoleName={role:?})['AttachedPolicies']))"
        ))
    };
    assert_eq!(listed(role_name), json!([arn]));
    assert_eq!(
        read(&p, "aws_iam_role_policy_attachment", &state).await.as_ref(),
        Some(&state)
    );
    // The attachment counts on the policy.
    let fresh_policy = read(&p, "aws_iam_policy", &policy).await.expect("policy");
    assert_eq!(fresh_policy.get("attachment_count").as_i64(), Some(1));

    // Detached by hand: refresh reports it gone, and the plan creates it again.
    boto3(&format!(
        "iam.detach_role_policy(RoleName={role_name:?}, PolicyArn={arn:?}); out(None)"
    ));
    assert!(read(&p, "aws_iam_role_policy_attachment", &state).await.is_none());
    let state = create(&p, "aws_iam_role_policy_attachment", cfg.clone()).await;
    assert_eq!(listed(role_name), json!([arn]));

    // Both arguments replace the attachment.
    let other = create(
        &p,
        "aws_iam_policy",
        policy_config(&p, "plinth-attach-other", POLICY, Value::Null),
    )
    .await;
    let mut moved = cfg.clone();
    set(&mut moved, "policy_arn", other.get("arn").clone());
    let pl = plan(&p, "aws_iam_role_policy_attachment", &state, &moved).await;
    assert_eq!(pl.requires_replace.len(), 1, "a new policy_arn replaces the attachment");

    // Import by ROLE/POLICY_ARN (Terraform's import id).
    let imported = import(&p, "aws_iam_role_policy_attachment", &format!("{role_name}/{arn}")).await;
    assert_eq!(imported, state);
    let err = p
        .import(ImportRequest {
            type_name: "aws_iam_role_policy_attachment".into(),
            address: "aws_iam_role_policy_attachment.x".into(),
            id: format!("{role_name}/{}", other.get("arn").as_str().expect("arn")),
        })
        .await
        .expect_err("not attached");
    assert!(err.message.contains("is not attached"), "{}", err.message);
    let err = p
        .import(ImportRequest {
            type_name: "aws_iam_role_policy_attachment".into(),
            address: "aws_iam_role_policy_attachment.x".into(),
            id: "just-a-role".into(),
        })
        .await
        .expect_err("bad id");
    assert!(err.message.contains("ROLE/POLICY_ARN"), "{}", err.message);

    // Destroy detaches; destroying again (already gone) is fine; then the role and the
    // policies delete cleanly.
    delete(&p, "aws_iam_role_policy_attachment", &state).await;
    assert_eq!(listed(role_name), json!([]));
    delete(&p, "aws_iam_role_policy_attachment", &state).await;
    delete(&p, "aws_iam_policy", &policy).await;
    delete(&p, "aws_iam_policy", &other).await;
    delete(&p, "aws_iam_role", &role_state).await;
    assert_eq!(
        boto3_error(&format!("iam.get_role(RoleName={role_name:?})")),
        "NoSuchEntity"
    );
}

#[tokio::test]
async fn refresh_of_attachments_of_many_roles_is_one_call() {
    let p = provider().await;
    let policy = create(
        &p,
        "aws_iam_policy",
        policy_config(&p, "plinth-attach-batch", POLICY, Value::Null),
    )
    .await;
    let arn = policy.get("arn").as_str().expect("arn").to_string();
    let mut roles = Vec::new();
    let mut attachments = Vec::new();
    for i in 0..4 {
        let name = format!("plinth-attach-batch-{i}");
        roles.push(role(&p, &name, TRUST).await);
        attachments.push(
            create(
                &p,
                "aws_iam_role_policy_attachment",
                config(
                    &p,
                    "aws_iam_role_policy_attachment",
                    &[("role", s(&name)), ("policy_arn", s(&arn))],
                ),
            )
            .await,
        );
    }
    boto3(&format!(
        "iam.detach_role_policy(RoleName='plinth-attach-batch-3', PolicyArn={arn:?}); out(None)"
    ));
    let before = p.call_count();
    let resp = p
        .read(read_request("aws_iam_role_policy_attachment", "x", &attachments))
        .await
        .expect("read");
    let calls = p.call_count() - before;
    eprintln!("refresh of 4 aws_iam_role_policy_attachment (one detached): {calls} calls");
    // GetAccountAuthorizationDetails, plus one ListAttachedRolePolicies confirming the detached one.
    assert_eq!(calls, 2);
    for (got, want) in resp.states.iter().zip(&attachments).take(3) {
        assert_eq!(got.as_ref(), Some(want));
    }
    assert!(resp.states[3].is_none());
    for a in attachments.iter().take(3) {
        delete(&p, "aws_iam_role_policy_attachment", a).await;
    }
    for r in &roles {
        delete(&p, "aws_iam_role", r).await;
    }
    delete(&p, "aws_iam_policy", &policy).await;
}

#[tokio::test]
async fn policy_lifecycle_versions_drift_import_and_destroy() {
    let p = provider().await;
    let name = "plinth-policy-data";
    let cfg = policy_config(&p, name, POLICY, Value::object([("team", s("ml"))]));
    let state = create(&p, "aws_iam_policy", cfg.clone()).await;
    let arn = state.get("arn").as_str().expect("arn").to_string();
    assert_eq!(arn, format!("arn:aws:iam::123456789012:policy/ml/{name}"));
    assert_eq!(state.get("id"), &s(&arn));
    assert_eq!(state.get("path"), &s("/ml/"));
    assert_eq!(state.get("attachment_count").as_i64(), Some(0));
    assert!(state.get("policy_id").as_str().is_some_and(|s| !s.is_empty()));

    let live = |arn: &str| {
        boto3(&format!(
            "p = iam.get_policy(PolicyArn={arn:?})['Policy']\n\
             v = iam.get_policy_version(PolicyArn={arn:?}, VersionId=p['DefaultVersionId'])['PolicyVersion']\n\
             doc = v['Document']\n\
             out(dict(name=p['PolicyName'], path=p['Path'], description=p.get('Description'), \
                      tags=sorted([t['Key'], t['Value']] for t in p.get('Tags', [])), \
                      version=p['DefaultVersionId'], document=doc if isinstance(doc, dict) else json.loads(doc)))"
        ))
    };
    let l = live(&arn);
    assert_eq!(l["name"], json!(name));
    assert_eq!(l["path"], json!("/ml/"));
    assert_eq!(l["description"], json!("read and write training data"));
    assert_eq!(l["tags"], json!([["team", "ml"]]));
    assert_eq!(l["document"], json_of(POLICY));

    // Nothing changed: the same state; the same document written differently plans nothing.
    let fresh = read(&p, "aws_iam_policy", &state).await.expect("exists");
    assert_eq!(fresh, state);
    let reformatted = policy_config(&p, name, POLICY_REFORMATTED, Value::object([("team", s("ml"))]));
    let pl = plan(&p, "aws_iam_policy", &fresh, &reformatted).await;
    assert_eq!(pl.planned, fresh, "an equivalent document is not a change");

    // Someone widens the policy (a new default version) and retags it: refresh sees both, the
    // plan repairs them in place with a new version.
    let widened = POLICY.replace("ml-data/*", "*");
    boto3(&format!(
        "iam.create_policy_version(PolicyArn={arn:?}, PolicyDocument={widened:?}, SetAsDefault=True)\n\
         iam.tag_policy(PolicyArn={arn:?}, Tags=[dict(Key='team', Value='web')]); out(None)"
    ));
    let drifted = read(&p, "aws_iam_policy", &state).await.expect("still there");
    assert_eq!(
        json_of(drifted.get("policy").as_str().expect("policy")),
        json_of(&widened)
    );
    assert_eq!(drifted.get("tags").get("team"), &s("web"));
    let pl = plan(&p, "aws_iam_policy", &drifted, &cfg).await;
    assert!(pl.requires_replace.is_empty(), "a document and tags update in place");
    let repaired = apply_update(&p, "aws_iam_policy", &drifted, pl.planned, &cfg).await;
    let l = live(&arn);
    assert_eq!(l["document"], json_of(POLICY));
    assert_eq!(l["tags"], json!([["team", "ml"]]));
    assert_eq!(repaired.get("policy"), &s(POLICY));

    // IAM keeps five versions: with five there, an update first deletes the oldest
    // non-default one.
    boto3(&format!(
        "for i in range(2):\n    iam.create_policy_version(PolicyArn={arn:?}, PolicyDocument={POLICY:?})\nout(None)"
    ));
    let count = || {
        boto3(&format!(
            "out(len(iam.list_policy_versions(PolicyArn={arn:?})['Versions']))"
        ))
    };
    assert_eq!(count(), json!(5));
    let narrowed = POLICY.replace(r#"["s3:GetObject","s3:PutObject"]"#, r#""s3:GetObject""#);
    let cfg2 = policy_config(&p, name, &narrowed, Value::object([("team", s("ml"))]));
    let updated = apply_in_place(&p, "aws_iam_policy", &repaired, &cfg2).await;
    assert_eq!(count(), json!(5));
    assert_eq!(live(&arn)["document"], json_of(&narrowed));
    assert_eq!(updated.get("policy"), &s(&narrowed));

    // A new description or path replaces the policy.
    let mut cfg3 = cfg2.clone();
    set(&mut cfg3, "description", s("changed"));
    assert_eq!(
        plan(&p, "aws_iam_policy", &updated, &cfg3).await.requires_replace.len(),
        1
    );

    // Import by ARN.
    let imported = import(&p, "aws_iam_policy", &arn).await;
    assert_eq!(imported.get("name"), &s(name));
    assert_eq!(
        json_of(imported.get("policy").as_str().expect("policy")),
        json_of(&narrowed)
    );
    let err = p
        .import(ImportRequest {
            type_name: "aws_iam_policy".into(),
            address: "aws_iam_policy.x".into(),
            id: name.into(),
        })
        .await
        .expect_err("a name is not an ARN");
    assert!(err.message.contains("expected the policy ARN"), "{}", err.message);

    // Destroy deletes the old versions and the policy; a refresh then reports it gone.
    delete(&p, "aws_iam_policy", &updated).await;
    assert_eq!(
        boto3_error(&format!("iam.get_policy(PolicyArn={arn:?})")),
        "NoSuchEntity"
    );
    assert!(read(&p, "aws_iam_policy", &updated).await.is_none());
}

#[tokio::test]
async fn instance_profile_lifecycle_role_swap_drift_import_and_destroy() {
    let p = provider().await;
    let gpu_role = role(&p, "plinth-profile-gpu", EC2_TRUST).await;
    let other_role = role(&p, "plinth-profile-other", EC2_TRUST).await;
    let name = "plinth-gpu-nodes";
    let cfg = config(
        &p,
        "aws_iam_instance_profile",
        &[
            ("name", s(name)),
            ("path", s("/ml/")),
            ("role", s("plinth-profile-gpu")),
            ("tags", Value::object([("team", s("ml"))])),
        ],
    );
    let state = create(&p, "aws_iam_instance_profile", cfg.clone()).await;
    assert_eq!(state.get("id"), &s(name));
    assert_eq!(
        state.get("arn"),
        &s(&format!("arn:aws:iam::123456789012:instance-profile/ml/{name}"))
    );
    assert!(state.get("unique_id").as_str().is_some_and(|u| !u.is_empty()));
    assert!(state.get("create_date").as_str().is_some_and(|d| !d.is_empty()));

    let live = || {
        boto3(&format!(
            "p = iam.get_instance_profile(InstanceProfileName={name:?})['InstanceProfile']\n\
             out(dict(path=p['Path'], roles=[r['RoleName'] for r in p['Roles']], \
                      tags=sorted([t['Key'], t['Value']] for t in p.get('Tags', []))))"
        ))
    };
    assert_eq!(
        live(),
        json!({"path": "/ml/", "roles": ["plinth-profile-gpu"], "tags": [["team", "ml"]]})
    );
    assert_eq!(
        read(&p, "aws_iam_instance_profile", &state).await.as_ref(),
        Some(&state)
    );

    // Someone swaps the role: refresh sees it, the plan swaps it back in place.
    boto3(&format!(
        "iam.remove_role_from_instance_profile(InstanceProfileName={name:?}, RoleName='plinth-profile-gpu')\n\
         iam.add_role_to_instance_profile(InstanceProfileName={name:?}, RoleName='plinth-profile-other'); out(None)"
    ));
    let drifted = read(&p, "aws_iam_instance_profile", &state).await.expect("still there");
    assert_eq!(drifted.get("role"), &s("plinth-profile-other"));
    let repaired = apply_in_place(&p, "aws_iam_instance_profile", &drifted, &cfg).await;
    assert_eq!(repaired.get("role"), &s("plinth-profile-gpu"));
    assert_eq!(live()["roles"], json!(["plinth-profile-gpu"]));

    // Retag and no role: in place.
    let mut cfg2 = cfg.clone();
    set(&mut cfg2, "role", Value::Null);
    set(&mut cfg2, "tags", Value::object([("team", s("platform"))]));
    let updated = apply_in_place(&p, "aws_iam_instance_profile", &repaired, &cfg2).await;
    assert_eq!(updated.get("role"), &Value::Null);
    assert_eq!(
        live(),
        json!({"path": "/ml/", "roles": [], "tags": [["team", "platform"]]})
    );
    set(&mut cfg2, "path", s("/other/"));
    assert_eq!(
        plan(&p, "aws_iam_instance_profile", &updated, &cfg2)
            .await
            .requires_replace
            .len(),
        1,
        "path is force-new"
    );

    // Import by name.
    let imported = import(&p, "aws_iam_instance_profile", name).await;
    assert_eq!(imported.get("arn"), updated.get("arn"));

    // Destroy removes any role first (one added by hand too), then the profile.
    boto3(&format!(
        "iam.add_role_to_instance_profile(InstanceProfileName={name:?}, RoleName='plinth-profile-other'); out(None)"
    ));
    delete(&p, "aws_iam_instance_profile", &updated).await;
    assert_eq!(
        boto3_error(&format!("iam.get_instance_profile(InstanceProfileName={name:?})")),
        "NoSuchEntity"
    );
    assert!(read(&p, "aws_iam_instance_profile", &updated).await.is_none());
    delete(&p, "aws_iam_role", &gpu_role).await;
    delete(&p, "aws_iam_role", &other_role).await;
}

#[tokio::test]
async fn identity_data_sources_match_sts_and_the_region() {
    let p = provider().await;
    let me = read_data(&p, "aws_caller_identity", Value::Null)
        .await
        .expect("caller identity");
    let sts = boto3("r = sts.get_caller_identity(); out(dict(account=r['Account'], arn=r['Arn'], user=r['UserId']))");
    assert_eq!(me.get("account_id").as_str(), sts["account"].as_str());
    assert_eq!(me.get("id").as_str(), sts["account"].as_str());
    assert_eq!(me.get("arn").as_str(), sts["arn"].as_str());
    assert_eq!(me.get("user_id").as_str(), sts["user"].as_str());

    let part = read_data(&p, "aws_partition", Value::Null).await.expect("partition");
    assert_eq!(part.get("partition"), &s("aws"));
    assert_eq!(part.get("dns_suffix"), &s("amazonaws.com"));
    assert_eq!(part.get("reverse_dns_prefix"), &s("com.amazonaws"));

    let region = read_data(&p, "aws_region", Value::Null).await.expect("region");
    assert_eq!(region.get("name"), &s("us-east-1"));
    assert_eq!(region.get("region"), &s("us-east-1"));
    assert_eq!(region.get("endpoint"), &s("ec2.us-east-1.amazonaws.com"));
    assert_eq!(region.get("description"), &s("US East (N. Virginia)"));
    let other = read_data(&p, "aws_region", Value::object([("name", s("eu-west-1"))]))
        .await
        .expect("another region");
    assert_eq!(other.get("description"), &s("Europe (Ireland)"));
    let by_endpoint = read_data(
        &p,
        "aws_region",
        Value::object([("endpoint", s("ec2.cn-north-1.amazonaws.com.cn"))]),
    )
    .await
    .expect("by endpoint");
    assert_eq!(by_endpoint.get("name"), &s("cn-north-1"));
    let err = read_data(&p, "aws_region", Value::object([("name", s("mars-north-1"))]))
        .await
        .expect_err("no such region");
    assert!(err.message.contains("mars-north-1"), "{}", err.message);
}

#[tokio::test]
async fn policy_data_source_by_arn_and_by_name() {
    let p = provider().await;
    let name = "plinth-data-lookup";
    let made = boto3(&format!(
        "p = iam.create_policy(PolicyName={name:?}, Path='/data/', PolicyDocument={POLICY:?}, Description='made by hand')['Policy']\n\
         out(dict(arn=p['Arn'], id=p['PolicyId']))"
    ));
    let arn = made["arn"].as_str().expect("arn");
    for config in [
        Value::object([("arn", s(arn))]),
        Value::object([("name", s(name))]),
        Value::object([("name", s(name)), ("path_prefix", s("/data/"))]),
    ] {
        let d = read_data(&p, "aws_iam_policy", config).await.expect("found");
        assert_eq!(d.get("arn"), &s(arn));
        assert_eq!(d.get("name"), &s(name));
        assert_eq!(d.get("path"), &s("/data/"));
        assert_eq!(d.get("description"), &s("made by hand"));
        assert_eq!(d.get("policy_id").as_str(), made["id"].as_str());
        assert_eq!(json_of(d.get("policy").as_str().expect("policy")), json_of(POLICY));
    }
    let err = read_data(
        &p,
        "aws_iam_policy",
        Value::object([("name", s("plinth-no-such-policy"))]),
    )
    .await
    .expect_err("none");
    assert!(err.message.contains("no managed IAM policy named"), "{}", err.message);
    boto3(&format!("iam.delete_policy(PolicyArn={arn:?}); out(None)"));
}

#[tokio::test]
async fn policy_document_through_the_provider() {
    let p = provider().await;
    let cfg = Value::from_json(&json!({
        "statement": [{
            "actions": ["sts:AssumeRole"],
            "principals": [{"type": "Service", "identifiers": ["sagemaker.amazonaws.com"]}]
        }]
    }));
    let d = read_data(&p, "aws_iam_policy_document", cfg).await.expect("rendered");
    assert_eq!(
        d.get("minified_json"),
        &s(
            r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"sts:AssumeRole","Principal":{"Service":"sagemaker.amazonaws.com"}}]}"#
        )
    );
    assert_eq!(d.get("version"), &s("2012-10-17"));
    // IAM accepts it as a trust policy.
    let state = role(&p, "plinth-doc-role", d.get("json").as_str().expect("json")).await;
    let doc = boto3(
        "d = iam.get_role(RoleName='plinth-doc-role')['Role']['AssumeRolePolicyDocument']\n\
         out(d if isinstance(d, dict) else json.loads(d))",
    );
    assert_eq!(doc, json_of(d.get("json").as_str().expect("json")));
    delete(&p, "aws_iam_role", &state).await;
}

fn inline(blocks: &[(&str, &str)]) -> Value {
    let mut items: Vec<Value> = blocks
        .iter()
        .map(|(n, p)| Value::object([("name", s(n)), ("policy", s(p))]))
        .collect();
    // The engine's order of a set of blocks.
    items.sort_by_key(|v| v.to_json().to_string());
    Value::List(items)
}

fn exclusive_role(p: &AwsProvider, name: &str, blocks: Value, arns: Value) -> Value {
    config(
        p,
        "aws_iam_role",
        &[
            ("name", s(name)),
            ("assume_role_policy", s(TRUST)),
            ("inline_policy", blocks),
            ("managed_policy_arns", arns),
        ],
    )
}

fn role_policies(role: &str) -> J {
    boto3(&format!(
        "names = iam.list_role_policies(RoleName={role:?})['PolicyNames']\n\
         docs = {{}}\n\
         for n in names:\n    d = iam.get_role_policy(RoleName={role:?}, PolicyName=n)['PolicyDocument']\n    docs[n] = d if isinstance(d, dict) else json.loads(d)\n\
         out(dict(inline=docs, attached=sorted(p['PolicyArn'] for p in iam.list_attached_role_policies(RoleName={role:?})['AttachedPolicies'])))"
    ))
}

#[tokio::test]
async fn role_inline_policy_blocks_and_managed_policy_arns_are_managed_exclusively() {
    let p = provider().await;
    let role_name = "plinth-exclusive-role";
    let made = boto3(&format!(
        "out([iam.create_policy(PolicyName=n, PolicyDocument={POLICY:?})['Policy']['Arn'] for n in ['plinth-excl-1', 'plinth-excl-2']])"
    ));
    let (p1, p2) = (made[0].as_str().expect("arn"), made[1].as_str().expect("arn"));
    let logs = POLICY.replace("s3:GetObject", "logs:PutLogEvents");
    let cfg = exclusive_role(
        &p,
        role_name,
        inline(&[("data", POLICY), ("logs", &logs)]),
        Value::List(vec![s(p1)]),
    );
    let state = create(&p, "aws_iam_role", cfg.clone()).await;
    assert_eq!(
        state.get("inline_policy"),
        &inline(&[("data", POLICY), ("logs", &logs)])
    );
    assert_eq!(state.get("managed_policy_arns"), &Value::List(vec![s(p1)]));
    assert_eq!(
        role_policies(role_name),
        json!({"inline": {"data": json_of(POLICY), "logs": json_of(&logs)}, "attached": [p1]})
    );
    assert_eq!(read(&p, "aws_iam_role", &state).await.as_ref(), Some(&state));
    // The same documents written differently plan nothing.
    let reformatted = exclusive_role(
        &p,
        role_name,
        inline(&[("data", POLICY_REFORMATTED), ("logs", &logs)]),
        Value::List(vec![s(p1)]),
    );
    assert_eq!(plan(&p, "aws_iam_role", &state, &reformatted).await.planned, state);

    // By hand: an inline policy edited and one added, another policy attached. Refresh sees all
    // of it; apply puts back exactly the configured ones.
    let widened = POLICY.replace("ml-data/*", "*");
    boto3(&format!(
        "iam.put_role_policy(RoleName={role_name:?}, PolicyName='data', PolicyDocument={widened:?})\n\
         iam.put_role_policy(RoleName={role_name:?}, PolicyName='extra', PolicyDocument={POLICY:?})\n\
         iam.attach_role_policy(RoleName={role_name:?}, PolicyArn={p2:?}); out(None)"
    ));
    let drifted = read(&p, "aws_iam_role", &state).await.expect("exists");
    let names: Vec<&str> = drifted
        .get("inline_policy")
        .as_list()
        .expect("blocks")
        .iter()
        .filter_map(|b| b.get("name").as_str())
        .collect();
    assert_eq!(names.len(), 3, "{drifted:?}");
    assert!(names.contains(&"extra"));
    let mut attached: Vec<String> = drifted
        .get("managed_policy_arns")
        .as_list()
        .expect("arns")
        .iter()
        .filter_map(|a| a.as_str().map(str::to_string))
        .collect();
    attached.sort();
    assert_eq!(attached, [p1, p2]);
    let repaired = apply_in_place(&p, "aws_iam_role", &drifted, &cfg).await;
    assert_eq!(repaired, state);
    assert_eq!(
        role_policies(role_name),
        json!({"inline": {"data": json_of(POLICY), "logs": json_of(&logs)}, "attached": [p1]})
    );

    // Several roles refreshed together read their policies from the account listing.
    let others = [
        create(
            &p,
            "aws_iam_role",
            exclusive_role(&p, "plinth-exclusive-2", inline(&[("data", POLICY)]), Value::Null),
        )
        .await,
        create(
            &p,
            "aws_iam_role",
            exclusive_role(&p, "plinth-exclusive-3", inline(&[]), Value::List(vec![s(p2)])),
        )
        .await,
    ];
    let all = vec![repaired.clone(), others[0].clone(), others[1].clone()];
    let resp = p.read(read_request("aws_iam_role", "x", &all)).await.expect("read");
    for (got, want) in resp.states.iter().zip(&all) {
        assert_eq!(got.as_ref(), Some(want));
    }

    // Fewer of each: the rest go.
    let cfg2 = exclusive_role(&p, role_name, inline(&[("data", POLICY)]), Value::List(vec![]));
    let updated = apply_in_place(&p, "aws_iam_role", &repaired, &cfg2).await;
    assert_eq!(
        role_policies(role_name),
        json!({"inline": {"data": json_of(POLICY)}, "attached": []})
    );
    assert_eq!(updated.get("managed_policy_arns"), &Value::List(vec![]));

    // An empty inline_policy {} block means none.
    let empty = Value::List(vec![Value::object([("name", Value::Null), ("policy", Value::Null)])]);
    let cfg3 = exclusive_role(&p, role_name, empty.clone(), Value::List(vec![]));
    let none = apply_in_place(&p, "aws_iam_role", &updated, &cfg3).await;
    assert_eq!(role_policies(role_name), json!({"inline": {}, "attached": []}));
    assert_eq!(none.get("inline_policy"), &empty);
    assert_eq!(read(&p, "aws_iam_role", &none).await.as_ref(), Some(&none));

    // A role that manages its inline policies deletes them on destroy, without
    // force_detach_policies (as Terraform does).
    delete(&p, "aws_iam_role", &others[0]).await;
    assert_eq!(
        boto3_error("iam.get_role(RoleName='plinth-exclusive-2')"),
        "NoSuchEntity"
    );
    delete(&p, "aws_iam_role", &others[1]).await;
    delete(&p, "aws_iam_role", &none).await;
    boto3(&format!(
        "[iam.delete_policy(PolicyArn=a) for a in [{p1:?}, {p2:?}]]; out(None)"
    ));
}

#[tokio::test]
async fn inline_policy_blocks_are_validated() {
    let p = provider().await;
    let cfg = exclusive_role(
        &p,
        "plinth-x",
        Value::List(vec![
            Value::object([("name", Value::Null), ("policy", s(POLICY))]),
            Value::object([("name", s("a")), ("policy", s("not json"))]),
            Value::object([("name", s("a")), ("policy", s(POLICY))]),
        ]),
        Value::Null,
    );
    let d = p.validate(&ValidateRequest::managed("aws_iam_role", cfg));
    let summaries: Vec<&str> = d.iter().map(|d| d.summary.as_str()).collect();
    assert_eq!(
        summaries,
        [
            "inline_policy needs a name",
            "Invalid inline_policy policy",
            "Duplicate inline_policy name"
        ]
    );
}

#[tokio::test]
async fn the_policy_data_source_has_its_own_checks() {
    // `aws_iam_policy` is a resource and a data source: each is validated with its own rules.
    let p = provider().await;
    let schema = p.schema();
    let data = |given: &[(&str, Value)]| {
        let mut m: Map = schema.data_sources["aws_iam_policy"]
            .attributes
            .keys()
            .map(|k| (k.clone(), Value::Null))
            .collect();
        for (k, v) in given {
            m.insert(k.to_string(), v.clone());
        }
        let d = p.validate(&ValidateRequest::data("aws_iam_policy", Value::Map(m)));
        d.iter()
            .map(|d| {
                format!(
                    "{}: {}",
                    d.attribute.as_ref().map(|a| a.to_string()).unwrap_or_default(),
                    d.detail
                )
            })
            .collect::<Vec<_>>()
    };
    assert!(data(&[("name", s("ml-data"))]).is_empty());
    assert!(
        data(&[("arn", Value::Unknown)]).is_empty(),
        "an unknown arn will be set"
    );
    assert_eq!(
        data(&[("arn", s("arn:aws:iam::aws:policy/X")), ("path_prefix", s("/ml/"))]),
        ["path_prefix: arn and path_prefix cannot both be set"]
    );
    assert_eq!(data(&[]), ["arn: set arn or name"]);
}

#[tokio::test]
async fn refresh_of_many_policies_reads_documents_from_one_listing() {
    let p = provider().await;
    let mut states = Vec::new();
    for i in 0..4 {
        let doc = POLICY.replace("ml-data", &format!("ml-data-{i}"));
        states.push(
            create(
                &p,
                "aws_iam_policy",
                policy_config(&p, &format!("plinth-batch-policy-{i}"), &doc, Value::Null),
            )
            .await,
        );
    }
    let gone = states[3].get("arn").as_str().expect("arn").to_string();
    boto3(&format!("iam.delete_policy(PolicyArn={gone:?}); out(None)"));
    // A new default version made by hand is read, not the listing's stale one.
    let changed = states[1].get("arn").as_str().expect("arn").to_string();
    let widened = POLICY.replace("ml-data/*", "*");
    boto3(&format!(
        "iam.create_policy_version(PolicyArn={changed:?}, PolicyDocument={widened:?}, SetAsDefault=True); out(None)"
    ));
    let before = p.call_count();
    let resp = p
        .read(read_request("aws_iam_policy", "x", &states))
        .await
        .expect("read");
    let calls = p.call_count() - before;
    eprintln!("refresh of 4 aws_iam_policy (one deleted by hand): {calls} calls");
    // GetAccountAuthorizationDetails, GetPolicy for each of the three left, and GetPolicy
    // confirming the deleted one: 5 where one GetPolicy and one GetPolicyVersion each would be 7.
    assert_eq!(calls, 5);
    assert_eq!(resp.states[0].as_ref(), Some(&states[0]));
    assert_eq!(resp.states[2].as_ref(), Some(&states[2]));
    let drifted = resp.states[1].as_ref().expect("still there");
    assert_eq!(
        json_of(drifted.get("policy").as_str().expect("policy")),
        json_of(&widened)
    );
    assert!(resp.states[3].is_none());
    for s in &states[..3] {
        delete(&p, "aws_iam_policy", s).await;
    }
}
