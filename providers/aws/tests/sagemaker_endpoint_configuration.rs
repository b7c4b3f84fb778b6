//! aws_sagemaker_endpoint_configuration against moto: create with GPU variants, refresh (no
//! changes, AWS defaults absorbed), retag repair, force-new plan, import, destroy, and a delete
//! made by hand seen at refresh — checked with our own SDK reads.

mod common;
mod sagemaker_support;

use common::*;
use plinth_aws::AwsProvider;
use plinth_sdk::Value;
use sagemaker_support::*;

const T: &str = "aws_sagemaker_endpoint_configuration";

/// A model to serve (moto checks that variants name an existing model).
async fn model(p: &AwsProvider) -> (String, Value) {
    let name = unique("llm");
    let cfg = config(
        p,
        "aws_sagemaker_model",
        &[
            ("name", s(&name)),
            ("execution_role_arn", s(ROLE)),
            ("primary_container", obj([("image", s("img:1"))])),
        ],
    );
    let state = create(p, "aws_sagemaker_model", cfg).await;
    (name, state)
}

fn variant(name: Option<&str>, model: &str, instance_type: &str, count: f64, weight: Option<f64>) -> Value {
    obj([
        ("variant_name", name.map(s).unwrap_or(Value::Null)),
        ("model_name", s(model)),
        ("initial_instance_count", n(count)),
        ("instance_type", s(instance_type)),
        ("initial_variant_weight", weight.map(n).unwrap_or(Value::Null)),
    ])
}

#[tokio::test]
async fn endpoint_configuration_lifecycle() {
    let p = provider().await;
    let (model_name, model_state) = model(&p).await;
    let name = unique("serve");
    let cfg = config(
        &p,
        T,
        &[
            ("name", s(&name)),
            (
                "production_variants",
                Value::List(vec![
                    variant(Some("blue"), &model_name, "ml.g4dn.xlarge", 2.0, Some(0.7)),
                    // Unnamed, no weight: variant-2 and AWS's default.
                    variant(None, &model_name, "ml.p3.2xlarge", 1.0, None),
                ]),
            ),
            ("tags", team_ml()),
        ],
    );
    let state = create(&p, T, cfg.clone()).await;
    let arn = state.get("arn").as_str().expect("arn").to_string();
    assert!(arn.ends_with(&format!(":endpoint-config/{name}")), "{arn}");

    // Our own read.
    let d = sm()
        .await
        .describe_endpoint_config()
        .endpoint_config_name(&name)
        .send()
        .await
        .expect("DescribeEndpointConfig");
    let v = d.production_variants();
    assert_eq!(v.len(), 2);
    assert_eq!(v[0].variant_name(), Some("blue"));
    assert_eq!(v[0].model_name(), Some(model_name.as_str()));
    assert_eq!(v[0].instance_type().map(|t| t.as_str()), Some("ml.g4dn.xlarge"));
    assert_eq!(v[0].initial_instance_count(), Some(2));
    assert_eq!(v[0].initial_variant_weight(), Some(0.7));
    assert_eq!(v[1].variant_name(), Some("variant-2"));
    assert_eq!(v[1].instance_type().map(|t| t.as_str()), Some("ml.p3.2xlarge"));
    assert_eq!(live_tags(&arn).await, tags(&[("team", "ml")]));

    // Refresh: nothing to do (the weight left unset is not a change, whatever AWS reports).
    let live = read(&p, T, &state).await.expect("exists");
    assert_eq!(live, state);
    assert_no_changes(&p, T, &live, &cfg).await;

    let state = retag_is_seen_and_repaired(&p, T, &live, &cfg).await;

    // Another instance type replaces the configuration.
    let mut bigger = cfg.clone();
    if let Value::Map(m) = &mut bigger {
        m.insert(
            "production_variants".into(),
            Value::List(vec![variant(
                Some("blue"),
                &model_name,
                "ml.p3.8xlarge",
                2.0,
                Some(0.7),
            )]),
        );
    }
    let planned = plan(&p, T, Some(&state), &bigger).await;
    assert_eq!(
        planned
            .requires_replace
            .iter()
            .map(|p| p.to_string())
            .collect::<Vec<_>>(),
        vec!["production_variants"]
    );

    let imported = import(&p, T, &name).await;
    assert_eq!(imported.get("production_variants"), state.get("production_variants"));
    assert_eq!(imported.get("tags"), &team_ml());

    delete(&p, T, &state).await;
    assert!(
        sm().await
            .describe_endpoint_config()
            .endpoint_config_name(&name)
            .send()
            .await
            .is_err(),
        "destroy leaves nothing"
    );
    assert!(read(&p, T, &state).await.is_none());
    delete(&p, "aws_sagemaker_model", &model_state).await;
}

#[tokio::test]
async fn endpoint_configuration_deleted_by_hand_is_seen() {
    let p = provider().await;
    let (model_name, model_state) = model(&p).await;
    let cfg = config(
        &p,
        T,
        &[(
            "production_variants",
            Value::List(vec![variant(None, &model_name, "ml.inf1.xlarge", 1.0, None)]),
        )],
    );
    let state = create(&p, T, cfg).await;
    let name = state.get("name").as_str().expect("generated name").to_string();
    sm().await
        .delete_endpoint_config()
        .endpoint_config_name(&name)
        .send()
        .await
        .expect("DeleteEndpointConfig by hand");
    assert!(read(&p, T, &state).await.is_none(), "refresh sees it gone");
    delete(&p, T, &state).await;
    delete(&p, "aws_sagemaker_model", &model_state).await;
}

/// `kms_key_arn` and `name_prefix`: sent on CreateEndpointConfig (checked with boto3), refreshed
/// without changes; a new key replaces the configuration.
#[tokio::test]
async fn endpoint_configuration_with_kms_key_and_name_prefix() {
    let p = provider().await;
    let (model_name, model_state) = model(&p).await;
    let key = "arn:aws:kms:us-east-1:123456789012:key/0b4f6a9e-1111-2222-3333-444455556666";
    let cfg = config(
        &p,
        T,
        &[
            ("name_prefix", s("serve-enc-")),
            ("kms_key_arn", s(key)),
            (
                "production_variants",
                Value::List(vec![variant(None, &model_name, "ml.g4dn.xlarge", 1.0, None)]),
            ),
        ],
    );
    let state = create(&p, T, cfg.clone()).await;
    let name = state.get("name").as_str().expect("a name").to_string();
    assert!(name.starts_with("serve-enc-"), "{name}");
    let live = common::boto::boto3(&format!(
        "print(sm.describe_endpoint_config(EndpointConfigName='{name}').get('KmsKeyId'))"
    ));
    assert_eq!(live, key);
    let fresh = read(&p, T, &state).await.expect("exists");
    assert_eq!(fresh.get("kms_key_arn"), &s(key));
    let resp = plan(&p, T, &fresh, &cfg).await;
    assert!(resp.requires_replace.is_empty(), "{:?}", resp.requires_replace);
    assert_eq!(plan_changes(&resp, &fresh), Vec::<String>::new());
    let mut other = cfg.as_map().expect("an object").clone();
    other.insert("kms_key_arn".into(), s(&key.replace("0b4f", "9c5e")));
    let resp = plan(&p, T, &fresh, &Value::Map(other)).await;
    assert_eq!(resp.requires_replace, vec![plinth_sdk::AttrPath::attr("kms_key_arn")]);
    delete(&p, T, &state).await;
    delete(&p, "aws_sagemaker_model", &model_state).await;
}
