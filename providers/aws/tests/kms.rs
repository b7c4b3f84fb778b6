//! aws_kms_key, aws_kms_alias and aws_kms_key_policy against moto: create, an independent read
//! with boto3, an out-of-band change made with boto3 seen as drift and repaired, import, and
//! destroy (a key is scheduled for deletion, as Terraform does; a key policy goes back to KMS's
//! default).

mod common;

use common::boto::boto3;
use common::*;
use plinth_aws::AwsProvider;
use plinth_sdk::{Provider, Value};
use serde_json::Value as J;

const KEY: &str = "aws_kms_key";
const ALIAS: &str = "aws_kms_alias";
const KEY_POLICY: &str = "aws_kms_key_policy";

const POLICY: &str = r#"{"Version":"2012-10-17","Id":"artifacts","Statement":[{"Sid":"Root","Effect":"Allow","Principal":{"AWS":"arn:aws:iam::123456789012:root"},"Action":"kms:*","Resource":"*"}]}"#;
/// POLICY reformatted, keys reordered, with the account id for the root ARN.
const POLICY_REFORMATTED: &str = r#"{
  "Statement": [{"Resource": "*", "Action": ["kms:*"], "Principal": {"AWS": "123456789012"}, "Effect": "Allow", "Sid": "Root"}],
  "Id": "artifacts", "Version": "2012-10-17"
}"#;

fn json(script: &str) -> J {
    let out = boto3(script);
    serde_json::from_str(&out).unwrap_or_else(|e| panic!("{e}: {out}"))
}

fn key_config(p: &AwsProvider, extra: &[(&str, Value)]) -> Value {
    let mut given = vec![
        ("description", s("model artifacts")),
        ("policy", s(POLICY)),
        ("enable_key_rotation", Value::Bool(true)),
        ("rotation_period_in_days", Value::int(180)),
        ("deletion_window_in_days", Value::int(7)),
        ("tags", Value::object([("team", s("ml"))])),
    ];
    given.extend(extra.iter().cloned());
    config(p, KEY, &given)
}

fn describe(id: &str) -> J {
    json(&format!(
        "m = kms.describe_key(KeyId='{id}')['KeyMetadata']\n\
         r = kms.get_key_rotation_status(KeyId='{id}')\n\
         t = kms.list_resource_tags(KeyId='{id}')['Tags']\n\
         p = kms.get_key_policy(KeyId='{id}', PolicyName='default')['Policy']\n\
         print(json.dumps({{'description': m['Description'], 'enabled': m['Enabled'], 'state': m['KeyState'], \
         'rotation': r['KeyRotationEnabled'], 'period': r.get('RotationPeriodInDays'), \
         'tags': {{x['TagKey']: x['TagValue'] for x in t}}, 'policy': json.loads(p)}}))"
    ))
}

#[tokio::test]
async fn key_lifecycle_drift_import_and_scheduled_deletion() {
    let p = provider().await;
    let cfg = key_config(&p, &[]);
    let state = create(&p, KEY, cfg.clone()).await;
    let id = id_of(&state);
    assert_eq!(state.get("key_id"), &s(&id));
    assert!(
        state
            .get("arn")
            .as_str()
            .is_some_and(|a| a.ends_with(&format!(":key/{id}")))
    );
    assert_eq!(state.get("key_usage"), &s("ENCRYPT_DECRYPT"));
    assert_eq!(state.get("customer_master_key_spec"), &s("SYMMETRIC_DEFAULT"));
    assert_eq!(state.get("is_enabled"), &Value::Bool(true));
    assert_eq!(state.get("policy"), &s(POLICY), "the configured text is kept");

    let live = describe(&id);
    assert_eq!(live["description"], "model artifacts");
    assert_eq!(live["enabled"], true);
    assert_eq!(live["rotation"], true);
    assert_eq!(live["tags"]["team"], "ml");
    assert_eq!(live["policy"]["Id"], "artifacts");

    // Refresh without change: no drift, and a reformatted policy plans nothing.
    let fresh = read(&p, KEY, &state).await.expect("exists");
    assert_eq!(fresh, state);
    let same = key_config(&p, &[("policy", s(POLICY_REFORMATTED))]);
    let pl = plan(&p, KEY, &fresh, &same).await;
    assert_eq!(plan_changes(&pl, &fresh), Vec::<String>::new());

    // Out of band: description changed, key disabled, rotation off, a tag added.
    boto3(&format!(
        "kms.update_key_description(KeyId='{id}', Description='edited by hand')\n\
         kms.disable_key_rotation(KeyId='{id}')\n\
         kms.tag_resource(KeyId='{id}', Tags=[{{'TagKey': 'owner', 'TagValue': 'someone'}}])\n\
         kms.disable_key(KeyId='{id}')"
    ));
    let drifted = read(&p, KEY, &state).await.expect("exists");
    assert_eq!(drifted.get("description"), &s("edited by hand"));
    assert_eq!(drifted.get("is_enabled"), &Value::Bool(false));
    assert_eq!(drifted.get("enable_key_rotation"), &Value::Bool(false));
    let pl = plan(&p, KEY, &drifted, &cfg).await;
    assert_eq!(
        plan_changes(&pl, &drifted),
        vec!["description", "enable_key_rotation", "is_enabled", "tags", "tags_all"]
    );
    let repaired = apply_update(&p, KEY, &drifted, pl.planned, &cfg).await;
    assert_eq!(repaired.get("description"), &s("model artifacts"));
    let live = describe(&id);
    assert_eq!(live["enabled"], true);
    assert_eq!(live["rotation"], true);
    assert_eq!(live["description"], "model artifacts");
    assert!(live["tags"].get("owner").is_none(), "{live}");

    // Disable, and a new policy, in place.
    let off = key_config(&p, &[("is_enabled", Value::Bool(false)), ("description", s("retired"))]);
    let s2 = apply_in_place(&p, KEY, &repaired, &off).await;
    assert_eq!(s2.get("is_enabled"), &Value::Bool(false));
    assert_eq!(describe(&id)["enabled"], false);

    // Import by key id: what AWS holds, with Terraform's defaults for what it does not.
    let imported = import(&p, KEY, &id).await;
    assert_eq!(imported.get("id"), &s(&id));
    assert_eq!(imported.get("description"), &s("retired"));
    assert_eq!(imported.get("bypass_policy_lockout_safety_check"), &Value::Bool(false));
    assert_eq!(imported.get("tags"), &Value::object([("team", s("ml"))]));

    // Destroy schedules the deletion; the key then reads as gone.
    delete(&p, KEY, &s2).await;
    let live = json(&format!(
        "m = kms.describe_key(KeyId='{id}')['KeyMetadata']\nprint(json.dumps(m['KeyState']))"
    ));
    assert_eq!(live, "PendingDeletion");
    assert_eq!(read(&p, KEY, &s2).await, None);
    delete(&p, KEY, &s2).await; // again: already pending deletion
}

#[tokio::test]
async fn alias_points_at_a_key_and_moves_in_place() {
    let p = provider().await;
    let k1 = create(&p, KEY, config(&p, KEY, &[("description", s("one"))])).await;
    let k2 = create(&p, KEY, config(&p, KEY, &[("description", s("two"))])).await;
    let (id1, id2) = (id_of(&k1), id_of(&k2));
    let cfg = config(
        &p,
        ALIAS,
        &[("name", s("alias/plinth-artifacts")), ("target_key_id", s(&id1))],
    );
    let state = create(&p, ALIAS, cfg.clone()).await;
    assert_eq!(state.get("id"), &s("alias/plinth-artifacts"));
    assert!(
        state
            .get("arn")
            .as_str()
            .is_some_and(|a| a.ends_with(":alias/plinth-artifacts"))
    );
    assert_eq!(state.get("target_key_arn"), k1.get("arn"));
    let live = json(
        "a = [x for x in kms.list_aliases()['Aliases'] if x['AliasName'] == 'alias/plinth-artifacts']\n\
         print(json.dumps(a[0]['TargetKeyId']))",
    );
    assert_eq!(live, J::String(id1.clone()));
    assert_eq!(read(&p, ALIAS, &state).await.as_ref(), Some(&state));

    // Out of band: pointed at the other key.
    boto3(&format!(
        "kms.update_alias(AliasName='alias/plinth-artifacts', TargetKeyId='{id2}')"
    ));
    let drifted = read(&p, ALIAS, &state).await.expect("exists");
    assert_eq!(drifted.get("target_key_id"), &s(&id2));
    let repaired = apply_in_place(&p, ALIAS, &drifted, &cfg).await;
    assert_eq!(repaired.get("target_key_id"), &s(&id1));

    // The key named by ARN is the same key: no change.
    let by_arn = config(
        &p,
        ALIAS,
        &[
            ("name", s("alias/plinth-artifacts")),
            ("target_key_id", k1.get("arn").clone()),
        ],
    );
    let refreshed = read(&p, ALIAS, &repaired).await.expect("exists");
    let pl = plan(&p, ALIAS, &refreshed, &by_arn).await;
    assert!(pl.requires_replace.is_empty());

    // A generated name from a prefix.
    let gen_cfg = config(
        &p,
        ALIAS,
        &[("name_prefix", s("alias/gen-")), ("target_key_id", s(&id2))],
    );
    let generated = create(&p, ALIAS, gen_cfg).await;
    assert!(
        generated
            .get("name")
            .as_str()
            .is_some_and(|n| n.starts_with("alias/gen-"))
    );

    // Two aliases refresh in one listing.
    let before = p.call_count();
    let both = p
        .read(read_request(ALIAS, "a", &[repaired.clone(), generated.clone()]))
        .await
        .expect("read");
    assert!(both.states.iter().all(Option::is_some));
    assert_eq!(p.call_count() - before, 1, "one ListAliases page");

    let imported = import(&p, ALIAS, "alias/plinth-artifacts").await;
    assert_eq!(imported.get("target_key_id"), &s(&id1));
    assert_eq!(imported.get("target_key_arn"), k1.get("arn"));

    delete(&p, ALIAS, &repaired).await;
    delete(&p, ALIAS, &generated).await;
    assert_eq!(read(&p, ALIAS, &repaired).await, None);
    delete(&p, ALIAS, &repaired).await; // already gone
    delete(&p, KEY, &k1).await;
    delete(&p, KEY, &k2).await;
}

#[tokio::test]
async fn key_policy_is_managed_apart_and_destroy_restores_the_default() {
    let p = provider().await;
    let key = create(&p, KEY, config(&p, KEY, &[("description", s("policy apart"))])).await;
    let id = id_of(&key);
    let cfg = config(&p, KEY_POLICY, &[("key_id", s(&id)), ("policy", s(POLICY))]);
    let state = create(&p, KEY_POLICY, cfg.clone()).await;
    assert_eq!(state.get("id"), &s(&id));
    assert_eq!(describe(&id)["policy"]["Id"], "artifacts");
    assert_eq!(read(&p, KEY_POLICY, &state).await.as_ref(), Some(&state));

    // Out of band: another policy.
    boto3(&format!(
        "kms.put_key_policy(KeyId='{id}', PolicyName='default', Policy=json.dumps({{'Version': '2012-10-17', \
         'Id': 'hand', 'Statement': [{{'Sid': 'Hand', 'Effect': 'Allow', 'Principal': {{'AWS': '*'}}, \
         'Action': 'kms:Decrypt', 'Resource': '*'}}]}}))"
    ));
    let drifted = read(&p, KEY_POLICY, &state).await.expect("exists");
    assert_ne!(drifted.get("policy"), &s(POLICY));
    let repaired = apply_in_place(&p, KEY_POLICY, &drifted, &cfg).await;
    assert_eq!(repaired.get("policy"), &s(POLICY));
    assert_eq!(describe(&id)["policy"]["Id"], "artifacts");

    let imported = import(&p, KEY_POLICY, &id).await;
    assert_eq!(imported.get("key_id"), &s(&id));

    delete(&p, KEY_POLICY, &repaired).await;
    let live = describe(&id);
    assert_eq!(live["policy"]["Id"], "default", "{live}");
    assert_eq!(
        live["policy"]["Statement"][0]["Principal"]["AWS"],
        "arn:aws:iam::123456789012:root"
    );
    delete(&p, KEY, &key).await;
}
