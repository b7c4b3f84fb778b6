//! aws_secretsmanager_secret against moto: the write-only payload reaches Secrets Manager but
//! never the values the provider returns; updates, refresh after out-of-band changes, import,
//! destroy with and without a recovery window, replicas in other regions and the inline
//! resource policy — checked with our own SDK reads.

mod common;

use aws_sdk_secretsmanager::types::Tag;
use common::*;
use plinth_aws::AwsProvider;
use plinth_sdk::{ImportRequest, PlanResponse, Provider, Value};

const T: &str = "aws_secretsmanager_secret";

/// Plans `config` against `prior` for this file's type.
async fn plan(p: &AwsProvider, prior: &Value, config: &Value) -> PlanResponse {
    common::plan(p, T, prior, config).await
}

const PAYLOAD: &str = "hf_token=Zq9-secret-payload-7c1e";
const PAYLOAD2: &str = "hf_token=second-payload-44b0";

async fn sm() -> aws_sdk_secretsmanager::Client {
    aws_sdk_secretsmanager::Client::new(&sdk_config().await)
}

async fn live_value(id: &str) -> String {
    sm().await
        .get_secret_value()
        .secret_id(id)
        .send()
        .await
        .expect("GetSecretValue")
        .secret_string()
        .expect("a string")
        .to_string()
}

/// The value as the engine would persist it, as text; no payload may appear in it.
fn assert_no_payload(v: &Value, what: &str) {
    let text = v.to_json().to_string();
    for secret in [PAYLOAD, PAYLOAD2, "Zq9-secret", "second-payload"] {
        assert!(!text.contains(secret), "{what} carries the secret payload: {text}");
    }
    assert_eq!(
        v.get("secret_string_wo"),
        &Value::Null,
        "{what}: write-only is never returned"
    );
}

fn secret_config(p: &AwsProvider, name: &str, extra: &[(&str, Value)]) -> Value {
    let mut given = vec![
        ("name", Value::string(name)),
        ("description", Value::string("Hugging Face token")),
        ("tags", Value::object([("team", Value::string("ml"))])),
    ];
    given.extend(extra.iter().cloned());
    config(p, "aws_secretsmanager_secret", &given)
}

#[tokio::test]
async fn write_only_payload_reaches_aws_but_not_state() {
    let p = provider().await;
    let name = "plinth/test/hf-token";
    let cfg = secret_config(
        &p,
        name,
        &[
            // Sensitive, as the engine marks it; the provider sees through the mark.
            ("secret_string_wo", Value::string(PAYLOAD).mark()),
            ("secret_string_wo_version", Value::int(1)),
            ("recovery_window_in_days", Value::int(0)),
        ],
    );
    let state = create(&p, "aws_secretsmanager_secret", cfg.clone()).await;
    assert_no_payload(&state, "create");
    let arn = state.get("arn").as_str().expect("arn").to_string();
    assert_eq!(state.get("id"), &Value::string(&arn));
    assert_eq!(state.get("name"), &Value::string(name));
    assert_eq!(state.get("secret_string_wo_version"), &Value::int(1));
    assert_eq!(live_value(&arn).await, PAYLOAD, "the payload reached Secrets Manager");
    let d = sm()
        .await
        .describe_secret()
        .secret_id(&arn)
        .send()
        .await
        .expect("describe");
    assert_eq!(d.description(), Some("Hugging Face token"));
    assert_eq!(d.tags().len(), 1);

    let fresh = read(&p, "aws_secretsmanager_secret", &state).await.expect("exists");
    assert_no_payload(&fresh, "read");
    assert_eq!(fresh, state, "refresh without change returns the same state");

    // A new payload without a new version is not sent (the engine plans no change for it).
    let mut same_version = secret_config(
        &p,
        name,
        &[
            ("secret_string_wo", Value::string(PAYLOAD2)),
            ("secret_string_wo_version", Value::int(1)),
            ("recovery_window_in_days", Value::int(0)),
        ],
    );
    if let Value::Map(m) = &mut same_version {
        m.insert("description".into(), Value::string("rotated by hand"));
    }
    let s2 = apply_in_place(&p, T, &fresh, &same_version).await;
    assert_no_payload(&s2, "update");
    assert_eq!(live_value(&arn).await, PAYLOAD, "same version: payload not sent");
    let d = sm()
        .await
        .describe_secret()
        .secret_id(&arn)
        .send()
        .await
        .expect("describe");
    assert_eq!(d.description(), Some("rotated by hand"));

    // Bumping the version sends it.
    let bumped = secret_config(
        &p,
        name,
        &[
            ("secret_string_wo", Value::string(PAYLOAD2)),
            ("secret_string_wo_version", Value::int(2)),
            ("recovery_window_in_days", Value::int(0)),
        ],
    );
    let s3 = apply_in_place(&p, T, &s2, &bumped).await;
    assert_no_payload(&s3, "update");
    assert_eq!(s3.get("secret_string_wo_version"), &Value::int(2));
    assert_eq!(live_value(&arn).await, PAYLOAD2, "a new version sends the new payload");

    // Import by name and by ARN: no payload either.
    for id in [name, arn.as_str()] {
        let imported = p
            .import(ImportRequest {
                type_name: "aws_secretsmanager_secret".into(),
                address: "aws_secretsmanager_secret.i".into(),
                id: id.into(),
            })
            .await
            .expect("import");
        assert_no_payload(&imported, "import");
        assert_eq!(imported.get("arn"), &Value::string(&arn));
    }

    // recovery_window_in_days = 0: gone at once, nothing left, name reusable.
    delete(&p, "aws_secretsmanager_secret", &s3).await;
    let err = sm()
        .await
        .describe_secret()
        .secret_id(&arn)
        .send()
        .await
        .expect_err("gone");
    assert!(err.into_service_error().is_resource_not_found_exception());
    assert!(read(&p, "aws_secretsmanager_secret", &s3).await.is_none());
    let again = create(&p, "aws_secretsmanager_secret", cfg).await;
    delete(&p, "aws_secretsmanager_secret", &again).await;
}

#[tokio::test]
async fn secret_drift_and_repair() {
    let p = provider().await;
    let name = "plinth/test/drift";
    let cfg = secret_config(&p, name, &[("recovery_window_in_days", Value::int(0))]);
    let state = create(&p, "aws_secretsmanager_secret", cfg.clone()).await;
    let arn = state.get("arn").as_str().expect("arn").to_string();
    assert_eq!(state.get("recovery_window_in_days"), &Value::int(0));
    assert_eq!(state.get("secret_string_wo_version"), &Value::Null);

    // Retag and a new description by hand: refresh sees both, the plan repairs in place.
    let client = sm().await;
    client
        .tag_resource()
        .secret_id(&arn)
        .tags(Tag::builder().key("team").value("web").build())
        .send()
        .await
        .expect("retag");
    client
        .update_secret()
        .secret_id(&arn)
        .description("edited")
        .send()
        .await
        .expect("edit");
    let drifted = read(&p, "aws_secretsmanager_secret", &state).await.expect("there");
    assert_eq!(drifted.get("tags").get("team"), &Value::string("web"));
    assert_eq!(drifted.get("description"), &Value::string("edited"));
    let repaired = apply_in_place(&p, T, &drifted, &cfg).await;
    assert_eq!(repaired, state);
    let d = client.describe_secret().secret_id(&arn).send().await.expect("describe");
    assert_eq!(d.description(), Some("Hugging Face token"));
    assert_eq!(d.tags()[0].value(), Some("ml"));

    // A new name replaces the secret.
    let renamed = secret_config(&p, "plinth/test/other", &[]);
    assert_eq!(plan(&p, &repaired, &renamed).await.requires_replace.len(), 1);

    // Deleted by hand: refresh reports it gone, even while recoverable.
    client
        .delete_secret()
        .secret_id(&arn)
        .recovery_window_in_days(7)
        .send()
        .await
        .expect("delete by hand");
    assert!(read(&p, "aws_secretsmanager_secret", &repaired).await.is_none());
    client
        .delete_secret()
        .secret_id(&arn)
        .force_delete_without_recovery(true)
        .send()
        .await
        .expect("purge");
    assert!(read(&p, "aws_secretsmanager_secret", &repaired).await.is_none());
}

#[tokio::test]
async fn default_destroy_schedules_deletion_with_recovery_window() {
    let p = provider().await;
    let cfg = config(
        &p,
        "aws_secretsmanager_secret",
        &[("name_prefix", Value::string("plinth-test-window-"))],
    );
    let state = create(&p, "aws_secretsmanager_secret", cfg).await;
    assert_eq!(state.get("recovery_window_in_days"), &Value::int(30));
    assert!(
        state
            .get("name")
            .as_str()
            .expect("name")
            .starts_with("plinth-test-window-")
    );
    let arn = state.get("arn").as_str().expect("arn").to_string();
    delete(&p, "aws_secretsmanager_secret", &state).await;
    let d = sm()
        .await
        .describe_secret()
        .secret_id(&arn)
        .send()
        .await
        .expect("still recoverable");
    assert!(
        d.deleted_date().is_some(),
        "scheduled for deletion, recoverable for 30 days"
    );
    assert!(read(&p, "aws_secretsmanager_secret", &state).await.is_none());
    let err = sm().await.get_secret_value().secret_id(&arn).send().await;
    assert!(err.is_err(), "a scheduled secret has no readable value");
}

#[tokio::test]
async fn write_only_needs_its_version() {
    let p = provider().await;
    let cfg = config(
        &p,
        "aws_secretsmanager_secret",
        &[
            ("name", Value::string("x")),
            ("secret_string_wo", Value::string(PAYLOAD)),
        ],
    );
    let diags = p.validate(&plinth_sdk::ValidateRequest::managed("aws_secretsmanager_secret", cfg));
    assert_eq!(diags.len(), 1);
    assert!(diags[0].detail.contains("secret_string_wo_version"));
    assert!(
        !format!("{diags:?}").contains("Zq9"),
        "diagnostics never echo the payload"
    );
    let bad_window = config(
        &p,
        "aws_secretsmanager_secret",
        &[("recovery_window_in_days", Value::int(3))],
    );
    let diags = p.validate(&plinth_sdk::ValidateRequest::managed(
        "aws_secretsmanager_secret",
        bad_window,
    ));
    assert_eq!(diags.len(), 1);
}

#[tokio::test]
async fn refresh_costs_one_call_per_secret() {
    let p = provider().await;
    let mut states = Vec::new();
    for i in 0..4 {
        let cfg = secret_config(
            &p,
            &format!("plinth/test/count-{i}"),
            &[("recovery_window_in_days", Value::int(0))],
        );
        states.push(create(&p, "aws_secretsmanager_secret", cfg).await);
    }
    let before = p.call_count();
    let resp = p.read(read_request(T, "s", &states)).await.expect("read");
    let calls = p.call_count() - before;
    eprintln!("refresh of 4 aws_secretsmanager_secret: {calls} calls");
    assert_eq!(calls, 8, "one DescribeSecret and one GetResourcePolicy per secret");
    for (got, want) in resp.states.iter().zip(&states) {
        assert_eq!(got.as_ref(), Some(want));
    }
    for s in &states {
        delete(&p, "aws_secretsmanager_secret", s).await;
    }
}

/// Our own client for another region (a replica's).
async fn sm_in(region: &'static str) -> aws_sdk_secretsmanager::Client {
    let conf = sdk_config().await;
    aws_sdk_secretsmanager::Client::from_conf(
        aws_sdk_secretsmanager::config::Builder::from(&conf)
            .region(aws_sdk_secretsmanager::config::Region::new(region))
            .build(),
    )
}

/// The replica regions and statuses of a secret, read with our own client.
async fn live_replicas(id: &str) -> Vec<(String, String)> {
    let d = sm()
        .await
        .describe_secret()
        .secret_id(id)
        .send()
        .await
        .expect("DescribeSecret");
    let mut out: Vec<(String, String)> = d
        .replication_status()
        .iter()
        .map(|r| {
            (
                r.region().unwrap_or_default().to_string(),
                r.status().map(|s| s.as_str().to_string()).unwrap_or_default(),
            )
        })
        .collect();
    out.sort();
    out
}

fn replicas(regions: &[&str]) -> Value {
    Value::List(
        regions
            .iter()
            .map(|r| Value::object([("region", Value::string(*r)), ("kms_key_id", Value::Null)]))
            .collect(),
    )
}

fn regions_of(state: &Value) -> Vec<String> {
    state
        .get("replica")
        .as_list()
        .map(|l| {
            l.iter()
                .filter_map(|r| r.get("region").as_str().map(str::to_string))
                .collect()
        })
        .unwrap_or_default()
}

/// `replica`: added on create (AddReplicaRegions), a replica removed by hand is seen and
/// re-added in place, another region replaces it in place (ReplicateSecretToRegions and
/// RemoveRegionsFromReplication), import keeps it, destroy removes the replicas first.
#[tokio::test]
async fn secret_replicas_lifecycle() {
    let p = provider().await;
    let name = "plinth/test/replicated";
    let cfg = secret_config(
        &p,
        name,
        &[
            ("recovery_window_in_days", Value::int(0)),
            ("replica", replicas(&["us-west-2"])),
        ],
    );
    let state = create(&p, T, cfg.clone()).await;
    let arn = id_of(&state);
    assert_eq!(
        live_replicas(&arn).await,
        vec![("us-west-2".to_string(), "InSync".to_string())]
    );
    let copy = sm_in("us-west-2")
        .await
        .describe_secret()
        .secret_id(name)
        .send()
        .await
        .expect("the replica");
    assert_eq!(copy.primary_region(), Some("us-east-1"));
    let r = &state.get("replica").as_list().expect("replicas")[0];
    assert_eq!(r.get("status"), &Value::string("InSync"));
    assert_eq!(r.get("status_message"), &Value::string("Replication succeeded"));
    assert!(
        r.get("kms_key_id").as_str().is_some(),
        "the replica's key is computed: {r}"
    );
    let fresh = assert_clean(&p, T, &state, &cfg).await;

    // Removed by hand: seen, and re-added in place.
    sm().await
        .remove_regions_from_replication()
        .secret_id(&arn)
        .remove_replica_regions("us-west-2")
        .send()
        .await
        .expect("RemoveRegionsFromReplication by hand");
    let drifted = read(&p, T, &fresh).await.expect("still there");
    assert_eq!(regions_of(&drifted), Vec::<String>::new());
    let repaired = apply_in_place(&p, T, &drifted, &cfg).await;
    assert_eq!(regions_of(&repaired), vec!["us-west-2"]);
    assert_eq!(
        live_replicas(&arn).await,
        vec![("us-west-2".to_string(), "InSync".to_string())]
    );

    // Two regions, one of them new: the other is dropped, in place.
    let cfg2 = secret_config(
        &p,
        name,
        &[
            ("recovery_window_in_days", Value::int(0)),
            ("replica", replicas(&["eu-west-1", "ap-southeast-2"])),
        ],
    );
    let moved = apply_in_place(&p, T, &repaired, &cfg2).await;
    assert_eq!(regions_of(&moved), vec!["ap-southeast-2", "eu-west-1"]);
    assert_eq!(
        live_replicas(&arn).await,
        vec![
            ("ap-southeast-2".to_string(), "InSync".to_string()),
            ("eu-west-1".to_string(), "InSync".to_string())
        ]
    );
    assert!(
        sm_in("us-west-2")
            .await
            .describe_secret()
            .secret_id(name)
            .send()
            .await
            .is_err()
    );
    let moved = assert_clean(&p, T, &moved, &cfg2).await;

    // Left out, replicas are left alone (optional and computed, as in Terraform).
    let omitted = secret_config(&p, name, &[("recovery_window_in_days", Value::int(0))]);
    let mut omitted = omitted.as_map().expect("an object").clone();
    omitted.insert("replica".into(), Value::Null);
    assert_clean(&p, T, &moved, &Value::Map(omitted)).await;

    let imported = import(&p, T, &arn).await;
    assert_eq!(imported.get("replica"), moved.get("replica"));

    delete(&p, T, &moved).await;
    assert!(sm().await.describe_secret().secret_id(&arn).send().await.is_err());
    assert!(
        sm_in("eu-west-1")
            .await
            .describe_secret()
            .secret_id(name)
            .send()
            .await
            .is_err()
    );
}

/// `force_overwrite_replica_secret`: a secret of the same name already in the replica region is
/// overwritten (without it, replication to that region fails).
#[tokio::test]
async fn secret_replica_overwrites_a_same_named_secret() {
    let p = provider().await;
    let name = "plinth/test/overwrite";
    sm_in("eu-central-1")
        .await
        .create_secret()
        .name(name)
        .secret_string("stale")
        .send()
        .await
        .expect("a secret in the replica region");
    let cfg = secret_config(
        &p,
        name,
        &[
            ("recovery_window_in_days", Value::int(0)),
            ("force_overwrite_replica_secret", Value::Bool(true)),
            ("replica", replicas(&["eu-central-1"])),
        ],
    );
    let state = create(&p, T, cfg.clone()).await;
    assert_eq!(
        live_replicas(&id_of(&state)).await,
        vec![("eu-central-1".to_string(), "InSync".to_string())]
    );
    assert_clean(&p, T, &state, &cfg).await;
    delete(&p, T, &state).await;
}

/// A replica's own KMS key reaches Secrets Manager and reads back.
#[tokio::test]
#[ignore = "moto 5.2 ignores a replica's KmsKeyId: ReplicationStatus always answers alias/aws/secretsmanager"]
async fn secret_replica_with_its_own_key() {
    let p = provider().await;
    let key = "arn:aws:kms:us-west-2:123456789012:key/0b4f6a9e-1111-2222-3333-444455556666";
    let replica = Value::List(vec![Value::object([
        ("region", Value::string("us-west-2")),
        ("kms_key_id", Value::string(key)),
    ])]);
    let cfg = secret_config(
        &p,
        "plinth/test/replica-key",
        &[("recovery_window_in_days", Value::int(0)), ("replica", replica)],
    );
    let state = create(&p, T, cfg.clone()).await;
    let d = sm()
        .await
        .describe_secret()
        .secret_id(id_of(&state))
        .send()
        .await
        .expect("DescribeSecret");
    assert_eq!(d.replication_status()[0].kms_key_id(), Some(key));
    assert_clean(&p, T, &state, &cfg).await;
    delete(&p, T, &state).await;
}

fn policy_doc(action: &str) -> String {
    format!(
        r#"{{"Version":"2012-10-17","Statement":[{{"Effect":"Allow","Principal":{{"AWS":"arn:aws:iam::123456789012:role/sm"}},"Action":"{action}","Resource":"*"}}]}}"#
    )
}

async fn live_policy(id: &str) -> Option<String> {
    sm().await
        .get_resource_policy()
        .secret_id(id)
        .send()
        .await
        .expect("GetResourcePolicy")
        .resource_policy()
        .map(str::to_string)
}

/// The inline `policy`: put on create (PutResourcePolicy), compared by meaning, a change by hand
/// seen and repaired in place, import keeps it, `""` removes it.
#[tokio::test]
async fn secret_inline_policy() {
    let p = provider().await;
    let name = "plinth/test/with-policy";
    let read_only = policy_doc("secretsmanager:GetSecretValue");
    let cfg = secret_config(
        &p,
        name,
        &[
            ("recovery_window_in_days", Value::int(0)),
            ("policy", Value::string(&read_only)),
        ],
    );
    let state = create(&p, T, cfg.clone()).await;
    let arn = id_of(&state);
    let live = live_policy(&arn).await.expect("a policy");
    assert!(live.contains("secretsmanager:GetSecretValue"), "{live}");
    assert_eq!(state.get("policy"), &Value::string(&read_only));
    // Another spelling of the same document is no change.
    let mut respelled = cfg.as_map().expect("an object").clone();
    respelled.insert("policy".into(), Value::string(read_only.replace(",", ", ")));
    let fresh = assert_clean(&p, T, &state, &Value::Map(respelled)).await;

    // Changed by hand: seen, and put back in place.
    sm().await
        .put_resource_policy()
        .secret_id(&arn)
        .resource_policy(policy_doc("secretsmanager:*"))
        .send()
        .await
        .expect("PutResourcePolicy by hand");
    let drifted = read(&p, T, &fresh).await.expect("still there");
    assert!(
        drifted
            .get("policy")
            .as_str()
            .is_some_and(|p| p.contains("secretsmanager:*"))
    );
    let repaired = apply_in_place(&p, T, &drifted, &cfg).await;
    assert!(
        live_policy(&arn)
            .await
            .expect("a policy")
            .contains("secretsmanager:GetSecretValue")
    );

    let imported = import(&p, T, &arn).await;
    let doc = |v: &Value| serde_json::from_str::<serde_json::Value>(v.as_str().expect("a policy")).expect("JSON");
    assert_eq!(doc(imported.get("policy")), doc(&Value::string(&read_only)));

    // "" removes it.
    let mut none = cfg.as_map().expect("an object").clone();
    none.insert("policy".into(), Value::string(""));
    let none = Value::Map(none);
    let cleared = apply_in_place(&p, T, &repaired, &none).await;
    assert_eq!(live_policy(&arn).await, None);
    assert_clean(&p, T, &cleared, &none).await;
    delete(&p, T, &cleared).await;
}
