//! aws_iam_role and aws_iam_role_policy against moto: create, refresh after out-of-band changes
//! (retag, trust and inline policy edits, deletion), JSON compared by meaning, batched refresh
//! cost, import, destroy — checked with our own SDK reads.

mod common;

use aws_sdk_iam::types::Tag;
use common::*;
use plinth_aws::AwsProvider;
use plinth_sdk::{ApplyRequest, ImportRequest, Provider, Value};

const TRUST: &str = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"sagemaker.amazonaws.com"},"Action":"sts:AssumeRole"}]}"#;

/// The same trust policy, reordered, reformatted, with one-element lists.
const TRUST_REFORMATTED: &str = r#"{
  "Statement": [
    {
      "Action": ["sts:AssumeRole"],
      "Principal": { "Service": ["sagemaker.amazonaws.com"] },
      "Effect": "Allow"
    }
  ],
  "Version": "2012-10-17"
}"#;

const POLICY: &str = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["s3:GetObject","s3:PutObject"],"Resource":"arn:aws:s3:::ml-data/*"}]}"#;

async fn iam() -> aws_sdk_iam::Client {
    aws_sdk_iam::Client::new(&sdk_config().await)
}

/// IAM returns policy documents percent-encoded; moto returns some of them plain.
fn decode(text: &str) -> serde_json::Value {
    if let Ok(v) = serde_json::from_str(text) {
        return v;
    }
    let bytes = text.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%'
            && i + 2 < bytes.len()
            && let Ok(b) = u8::from_str_radix(&text[i + 1..i + 3], 16)
        {
            out.push(b);
            i += 3;
            continue;
        }
        out.push(bytes[i]);
        i += 1;
    }
    serde_json::from_slice(&out).expect("a JSON policy")
}

fn json(text: &str) -> serde_json::Value {
    serde_json::from_str(text).expect("JSON")
}

fn role_config(p: &AwsProvider, name: &str, trust: &str, tags: Value) -> Value {
    config(
        p,
        "aws_iam_role",
        &[
            ("name", Value::string(name)),
            ("assume_role_policy", Value::string(trust)),
            ("description", Value::string("SageMaker execution role")),
            ("path", Value::string("/ml/")),
            ("max_session_duration", Value::int(7200)),
            ("tags", tags),
        ],
    )
}

async fn live_role_tags(name: &str) -> Vec<(String, String)> {
    let resp = iam().await.get_role().role_name(name).send().await.expect("GetRole");
    let mut tags: Vec<(String, String)> = resp
        .role()
        .expect("role")
        .tags()
        .iter()
        .map(|t| (t.key().to_string(), t.value().to_string()))
        .collect();
    tags.sort();
    tags
}

#[tokio::test]
async fn role_lifecycle_drift_and_repair() {
    let p = provider().await;
    let name = "plinth-test-exec-role";
    let cfg = role_config(&p, name, TRUST, Value::object([("team", Value::string("ml"))]));
    let state = create(&p, "aws_iam_role", cfg.clone()).await;
    assert_eq!(state.get("id"), &Value::string(name));
    assert_eq!(state.get("path"), &Value::string("/ml/"));
    assert!(
        state
            .get("arn")
            .as_str()
            .expect("arn")
            .ends_with(":role/ml/plinth-test-exec-role")
    );
    assert!(state.get("unique_id").as_str().is_some_and(|s| !s.is_empty()));
    assert_eq!(state.get("assume_role_policy"), &Value::string(TRUST));

    // Our own read: the declared attributes are there.
    let live = iam().await.get_role().role_name(name).send().await.expect("GetRole");
    let role = live.role().expect("role");
    assert_eq!(role.path(), "/ml/");
    assert_eq!(role.description(), Some("SageMaker execution role"));
    assert_eq!(role.max_session_duration(), Some(7200));
    assert_eq!(decode(role.assume_role_policy_document().expect("trust")), json(TRUST));
    assert_eq!(live_role_tags(name).await, vec![("team".into(), "ml".into())]);

    // A refresh with nothing changed is no drift; the same trust policy written differently
    // plans nothing either.
    let fresh = read(&p, "aws_iam_role", &state).await.expect("exists");
    assert_eq!(fresh, state, "refresh without change returns the same state");
    let reformatted = role_config(
        &p,
        name,
        TRUST_REFORMATTED,
        Value::object([("team", Value::string("ml"))]),
    );
    let pl = plan(&p, "aws_iam_role", &fresh, &reformatted).await;
    assert!(pl.requires_replace.is_empty());
    assert_eq!(pl.planned, fresh, "a reformatted trust policy is not a change");

    // Someone retags the role and edits its trust policy: refresh sees both, the plan repairs
    // them in place.
    let client = iam().await;
    client
        .tag_role()
        .role_name(name)
        .tags(Tag::builder().key("team").value("web").build().expect("tag"))
        .send()
        .await
        .expect("retag");
    let ec2_trust = TRUST.replace("sagemaker.amazonaws.com", "ec2.amazonaws.com");
    client
        .update_assume_role_policy()
        .role_name(name)
        .policy_document(&ec2_trust)
        .send()
        .await
        .expect("edit trust");
    let drifted = read(&p, "aws_iam_role", &state).await.expect("still there");
    assert_eq!(drifted.get("tags").get("team"), &Value::string("web"));
    assert_eq!(
        json(drifted.get("assume_role_policy").as_str().expect("trust")),
        json(&ec2_trust)
    );
    let pl = plan(&p, "aws_iam_role", &drifted, &cfg).await;
    assert!(pl.requires_replace.is_empty(), "tags and trust policy update in place");
    assert_ne!(pl.planned, drifted);
    let repaired = apply_update(&p, "aws_iam_role", &drifted, pl.planned, &cfg).await;
    assert_eq!(repaired.get("tags").get("team"), &Value::string("ml"));
    assert_eq!(live_role_tags(name).await, vec![("team".into(), "ml".into())]);
    let live = client.get_role().role_name(name).send().await.expect("GetRole");
    assert_eq!(
        decode(live.role().expect("role").assume_role_policy_document().expect("trust")),
        json(TRUST)
    );

    // Description and session duration update in place too.
    let mut cfg2 = cfg.clone();
    if let Value::Map(m) = &mut cfg2 {
        m.insert("description".into(), Value::string("changed"));
        m.insert("max_session_duration".into(), Value::int(3600));
    }
    let pl = plan(&p, "aws_iam_role", &repaired, &cfg2).await;
    assert!(pl.requires_replace.is_empty());
    let updated = apply_update(&p, "aws_iam_role", &repaired, pl.planned, &cfg2).await;
    let live = client.get_role().role_name(name).send().await.expect("GetRole");
    assert_eq!(live.role().expect("role").description(), Some("changed"));
    assert_eq!(live.role().expect("role").max_session_duration(), Some(3600));
    assert_eq!(updated.get("max_session_duration"), &Value::int(3600));

    // A new path replaces the role.
    let mut cfg3 = cfg2.clone();
    if let Value::Map(m) = &mut cfg3 {
        m.insert("path".into(), Value::string("/other/"));
    }
    let pl = plan(&p, "aws_iam_role", &updated, &cfg3).await;
    assert_eq!(pl.requires_replace.len(), 1, "path is force-new");

    // Import finds it by name.
    let imported = p
        .import(ImportRequest {
            type_name: "aws_iam_role".into(),
            address: "aws_iam_role.i".into(),
            id: name.into(),
        })
        .await
        .expect("import");
    assert_eq!(imported.get("arn"), updated.get("arn"));
    assert_eq!(
        json(imported.get("assume_role_policy").as_str().expect("trust")),
        json(TRUST)
    );

    // Destroy leaves nothing; refresh then reports it gone.
    delete(&p, "aws_iam_role", &updated).await;
    let err = client.get_role().role_name(name).send().await.expect_err("gone");
    assert_eq!(
        aws_sdk_iam::error::ProvideErrorMetadata::code(&err.into_service_error()),
        Some("NoSuchEntity")
    );
    assert!(read(&p, "aws_iam_role", &updated).await.is_none());
}

#[tokio::test]
async fn role_deleted_out_of_band_reads_as_gone() {
    let p = provider().await;
    let cfg = config(
        &p,
        "aws_iam_role",
        &[
            ("name_prefix", Value::string("plinth-oob-")),
            ("assume_role_policy", Value::string(TRUST)),
        ],
    );
    let state = create(&p, "aws_iam_role", cfg).await;
    let name = state.get("name").as_str().expect("generated name").to_string();
    assert!(name.starts_with("plinth-oob-"));
    assert_eq!(state.get("path"), &Value::string("/"));
    assert_eq!(state.get("max_session_duration"), &Value::int(3600));
    assert_eq!(state.get("tags"), &Value::Null, "no tags configured, none stored");
    iam()
        .await
        .delete_role()
        .role_name(&name)
        .send()
        .await
        .expect("delete by hand");
    assert!(read(&p, "aws_iam_role", &state).await.is_none());
    // Destroying what is already gone is fine.
    delete(&p, "aws_iam_role", &state).await;
}

#[tokio::test]
async fn role_with_policies_left_refuses_deletion_unless_forced() {
    let p = provider().await;
    let name = "plinth-test-conflict";
    let cfg = config(
        &p,
        "aws_iam_role",
        &[
            ("name", Value::string(name)),
            ("assume_role_policy", Value::string(TRUST)),
        ],
    );
    let state = create(&p, "aws_iam_role", cfg.clone()).await;
    assert_eq!(state.get("force_detach_policies"), &Value::Bool(false));
    let client = iam().await;
    client
        .put_role_policy()
        .role_name(name)
        .policy_name("by-hand")
        .policy_document(POLICY)
        .send()
        .await
        .expect("inline policy by hand");
    let err = p
        .apply(ApplyRequest {
            type_name: "aws_iam_role".into(),
            address: "aws_iam_role.test".into(),
            prior: Some(state.clone()),
            planned: None,
            config: Value::Null,
            ..Default::default()
        })
        .await
        .expect_err("a role with an inline policy left is not deleted");
    assert_eq!(err.code.as_deref(), Some("DeleteConflict"));
    assert!(err.message.contains("force_detach_policies"), "{}", err.message);
    client.get_role().role_name(name).send().await.expect("still there");

    let mut forced = cfg.clone();
    if let Value::Map(m) = &mut forced {
        m.insert("force_detach_policies".into(), Value::Bool(true));
    }
    let pl = plan(&p, "aws_iam_role", &state, &forced).await;
    assert!(pl.requires_replace.is_empty());
    let state = apply_update(&p, "aws_iam_role", &state, pl.planned, &forced).await;
    assert_eq!(state.get("force_detach_policies"), &Value::Bool(true));
    delete(&p, "aws_iam_role", &state).await;
    assert!(client.get_role().role_name(name).send().await.is_err(), "deleted");
}

#[tokio::test]
async fn inline_policy_lifecycle_drift_and_repair() {
    let p = provider().await;
    let role = "plinth-test-policy-role";
    let role_state = create(
        &p,
        "aws_iam_role",
        config(
            &p,
            "aws_iam_role",
            &[
                ("name", Value::string(role)),
                ("assume_role_policy", Value::string(TRUST)),
            ],
        ),
    )
    .await;
    let cfg = config(
        &p,
        "aws_iam_role_policy",
        &[
            ("name", Value::string("scoped-s3")),
            ("role", Value::string(role)),
            ("policy", Value::string(POLICY)),
        ],
    );
    let state = create(&p, "aws_iam_role_policy", cfg.clone()).await;
    assert_eq!(state.get("id"), &Value::string(format!("{role}:scoped-s3")));
    let client = iam().await;
    let live = client
        .get_role_policy()
        .role_name(role)
        .policy_name("scoped-s3")
        .send()
        .await
        .expect("GetRolePolicy");
    assert_eq!(decode(live.policy_document()), json(POLICY));
    assert_eq!(read(&p, "aws_iam_role_policy", &state).await.as_ref(), Some(&state));

    // Someone edits the policy: refresh sees it, the plan puts it back in place.
    let widened = POLICY.replace("ml-data/*", "*");
    client
        .put_role_policy()
        .role_name(role)
        .policy_name("scoped-s3")
        .policy_document(&widened)
        .send()
        .await
        .expect("edit by hand");
    let drifted = read(&p, "aws_iam_role_policy", &state).await.expect("still there");
    assert_eq!(json(drifted.get("policy").as_str().expect("policy")), json(&widened));
    let pl = plan(&p, "aws_iam_role_policy", &drifted, &cfg).await;
    assert!(pl.requires_replace.is_empty(), "PutRolePolicy updates in place");
    let repaired = apply_update(&p, "aws_iam_role_policy", &drifted, pl.planned, &cfg).await;
    assert_eq!(repaired.get("policy"), &Value::string(POLICY));
    let live = client
        .get_role_policy()
        .role_name(role)
        .policy_name("scoped-s3")
        .send()
        .await
        .expect("GetRolePolicy");
    assert_eq!(decode(live.policy_document()), json(POLICY));

    // Import by ROLE:NAME.
    let imported = p
        .import(ImportRequest {
            type_name: "aws_iam_role_policy".into(),
            address: "aws_iam_role_policy.i".into(),
            id: format!("{role}:scoped-s3"),
        })
        .await
        .expect("import");
    assert_eq!(imported.get("role"), &Value::string(role));
    assert_eq!(json(imported.get("policy").as_str().expect("policy")), json(POLICY));

    // Deleted by hand: refresh reports it gone.
    client
        .delete_role_policy()
        .role_name(role)
        .policy_name("scoped-s3")
        .send()
        .await
        .expect("delete by hand");
    assert!(read(&p, "aws_iam_role_policy", &repaired).await.is_none());

    // Re-created, then destroyed: nothing is left, and the role deletes cleanly.
    let state = create(&p, "aws_iam_role_policy", cfg).await;
    delete(&p, "aws_iam_role_policy", &state).await;
    let left = client.list_role_policies().role_name(role).send().await.expect("list");
    assert!(left.policy_names().is_empty(), "destroy leaves nothing");
    delete(&p, "aws_iam_role", &role_state).await;
    assert!(client.get_role().role_name(role).send().await.is_err());
}

#[tokio::test]
async fn refresh_of_many_roles_and_policies_is_batched() {
    let p = provider().await;
    let mut roles = Vec::new();
    let mut policies = Vec::new();
    for i in 0..6 {
        let name = format!("plinth-batch-{i}");
        roles.push(
            create(
                &p,
                "aws_iam_role",
                config(
                    &p,
                    "aws_iam_role",
                    &[
                        ("name", Value::string(&name)),
                        ("assume_role_policy", Value::string(TRUST)),
                        ("description", Value::string(format!("role {i}"))),
                        ("tags", Value::object([("n", Value::string(i.to_string()))])),
                    ],
                ),
            )
            .await,
        );
        policies.push(
            create(
                &p,
                "aws_iam_role_policy",
                config(
                    &p,
                    "aws_iam_role_policy",
                    &[
                        ("name", Value::string("p")),
                        ("role", Value::string(&name)),
                        ("policy", Value::string(POLICY)),
                    ],
                ),
            )
            .await,
        );
    }
    // One policy and one role go away by hand.
    let client = iam().await;
    client
        .delete_role_policy()
        .role_name("plinth-batch-5")
        .policy_name("p")
        .send()
        .await
        .expect("delete policy by hand");
    client
        .delete_role()
        .role_name("plinth-batch-5")
        .send()
        .await
        .expect("delete role by hand");

    let read_all = |type_name: &'static str, states: Vec<Value>| {
        let p = &p;
        async move {
            let before = p.call_count();
            let resp = p.read(read_request(type_name, "x", &states)).await.expect("read");
            (resp.states, p.call_count() - before)
        }
    };
    let (found, calls) = read_all("aws_iam_role", roles.clone()).await;
    eprintln!("refresh of 6 aws_iam_role (one gone): {calls} calls");
    // ListRoles + GetAccountAuthorizationDetails, plus one GetRole confirming the gone one.
    assert_eq!(calls, 3);
    for i in 0..5 {
        assert_eq!(
            found[i].as_ref(),
            Some(&roles[i]),
            "the listing reads what create returned"
        );
    }
    assert!(found[5].is_none());

    let (found, calls) = read_all("aws_iam_role_policy", policies.clone()).await;
    eprintln!("refresh of 6 aws_iam_role_policy (one gone): {calls} calls");
    // GetAccountAuthorizationDetails, plus one GetRolePolicy confirming the gone one.
    assert_eq!(calls, 2);
    for i in 0..5 {
        assert_eq!(found[i].as_ref(), Some(&policies[i]));
    }
    assert!(found[5].is_none());

    for i in 0..5 {
        delete(&p, "aws_iam_role_policy", &policies[i]).await;
        delete(&p, "aws_iam_role", &roles[i]).await;
    }
}
