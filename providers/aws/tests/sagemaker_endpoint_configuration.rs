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

fn data_capture(sampling: f64, uri: &str) -> Value {
    obj([
        ("enable_capture", Value::Bool(true)),
        ("initial_sampling_percentage", n(sampling)),
        ("destination_s3_uri", s(uri)),
        (
            "kms_key_id",
            s("arn:aws:kms:us-east-1:123456789012:key/0b4f6a9e-1111-2222-3333-444455556666"),
        ),
        (
            "capture_options",
            Value::List(vec![
                obj([("capture_mode", s("Input"))]),
                obj([("capture_mode", s("Output"))]),
            ]),
        ),
        (
            "capture_content_type_header",
            obj([
                ("csv_content_types", strs(&["text/csv"])),
                (
                    "json_content_types",
                    strs(&["application/json", "application/jsonlines"]),
                ),
            ]),
        ),
    ])
}

fn async_inference() -> Value {
    obj([
        (
            "client_config",
            obj([("max_concurrent_invocations_per_instance", n(4.0))]),
        ),
        (
            "output_config",
            obj([
                ("s3_output_path", s("s3://ml-async/out")),
                ("s3_failure_path", s("s3://ml-async/failed")),
                ("kms_key_id", Value::Null),
                (
                    "notification_config",
                    obj([
                        ("success_topic", s("arn:aws:sns:us-east-1:123456789012:ok")),
                        ("error_topic", s("arn:aws:sns:us-east-1:123456789012:failed")),
                        ("include_inference_response_in", strs(&["SUCCESS_NOTIFICATION_TOPIC"])),
                    ]),
                ),
            ]),
        ),
    ])
}

/// `data_capture_config` (what a drift monitor reads) and `async_inference_config`: sent on
/// CreateEndpointConfig (checked with boto3), refreshed and imported without changes; a
/// configuration re-made by hand with another sampling rate is seen at refresh and replaced.
#[tokio::test]
async fn endpoint_configuration_with_data_capture_and_async_inference() {
    let p = provider().await;
    let (model_name, model_state) = model(&p).await;
    let name = unique("capture");
    let variants = Value::List(vec![variant(None, &model_name, "ml.g4dn.xlarge", 1.0, None)]);
    let cfg = config(
        &p,
        T,
        &[
            ("name", s(&name)),
            ("production_variants", variants.clone()),
            ("data_capture_config", data_capture(50.0, "s3://ml-capture/serve")),
            ("async_inference_config", async_inference()),
        ],
    );
    let state = create(&p, T, cfg.clone()).await;
    let live = common::boto::boto3(&format!(
        "d = sm.describe_endpoint_config(EndpointConfigName='{name}')\n\
         c = d['DataCaptureConfig']; a = d['AsyncInferenceConfig']\n\
         print(c['EnableCapture'], c['InitialSamplingPercentage'], c['DestinationS3Uri'], c['KmsKeyId'].split('/')[-1], \
         [o['CaptureMode'] for o in c['CaptureOptions']], c['CaptureContentTypeHeader']['CsvContentTypes'], \
         sorted(c['CaptureContentTypeHeader']['JsonContentTypes']))\n\
         o = a['OutputConfig']\n\
         print(a['ClientConfig']['MaxConcurrentInvocationsPerInstance'], o['S3OutputPath'], o['S3FailurePath'], \
         o['NotificationConfig']['SuccessTopic'].split(':')[-1], o['NotificationConfig']['ErrorTopic'].split(':')[-1], \
         o['NotificationConfig']['IncludeInferenceResponseIn'])"
    ));
    assert_eq!(
        live,
        "True 50 s3://ml-capture/serve 0b4f6a9e-1111-2222-3333-444455556666 ['Input', 'Output'] ['text/csv'] \
         ['application/json', 'application/jsonlines']\n\
         4 s3://ml-async/out s3://ml-async/failed ok failed ['SUCCESS_NOTIFICATION_TOPIC']"
    );
    assert_eq!(state.get("data_capture_config"), cfg.get("data_capture_config"));
    assert_eq!(state.get("async_inference_config"), cfg.get("async_inference_config"));

    // Refresh and import see the same.
    let fresh = assert_clean(&p, T, &state, &cfg).await;
    let imported = import(&p, T, &name).await;
    for k in ["data_capture_config", "async_inference_config"] {
        assert_eq!(imported.get(k), state.get(k), "imported {k}");
    }

    // Someone re-makes the configuration by hand, capturing 10 %: refresh sees it (a new
    // creation time makes it Describe again) and the plan replaces it.
    common::boto::boto3(&format!(
        "sm.delete_endpoint_config(EndpointConfigName='{name}')\n\
         sm.create_endpoint_config(EndpointConfigName='{name}', ProductionVariants=[{{'VariantName': 'variant-1', \
         'ModelName': '{model_name}', 'InitialInstanceCount': 1, 'InstanceType': 'ml.g4dn.xlarge'}}], \
         DataCaptureConfig={{'EnableCapture': True, 'InitialSamplingPercentage': 10, \
         'DestinationS3Uri': 's3://ml-capture/serve', 'CaptureOptions': [{{'CaptureMode': 'Input'}}]}})"
    ));
    let drifted = read(&p, T, &fresh).await.expect("still there");
    assert_eq!(
        drifted.get("data_capture_config").get("initial_sampling_percentage"),
        &n(10.0)
    );
    assert_eq!(drifted.get("async_inference_config"), &Value::Null);
    let resp = plan(&p, T, &drifted, &cfg).await;
    let replaced: Vec<String> = resp.requires_replace.iter().map(|p| p.to_string()).collect();
    for k in ["async_inference_config", "data_capture_config"] {
        assert!(replaced.iter().any(|r| r == k), "{k} replaces: {replaced:?}");
    }

    delete(&p, T, &drifted).await;
    assert!(
        sm().await
            .describe_endpoint_config()
            .endpoint_config_name(&name)
            .send()
            .await
            .is_err(),
        "destroy leaves nothing"
    );
    delete(&p, "aws_sagemaker_model", &model_state).await;
}

/// `enable_capture` left out means false, as in Terraform: sent as false, and the false AWS
/// reports back is no change.
#[tokio::test]
async fn data_capture_left_disabled_is_no_change() {
    let p = provider().await;
    let (model_name, model_state) = model(&p).await;
    let mut capture = data_capture(100.0, "s3://ml-capture/off")
        .as_map()
        .expect("an object")
        .clone();
    capture.insert("enable_capture".into(), Value::Null);
    capture.insert("kms_key_id".into(), Value::Null);
    capture.insert("capture_content_type_header".into(), Value::Null);
    let cfg = config(
        &p,
        T,
        &[
            (
                "production_variants",
                Value::List(vec![variant(None, &model_name, "ml.g4dn.xlarge", 1.0, None)]),
            ),
            ("data_capture_config", Value::Map(capture)),
        ],
    );
    let state = create(&p, T, cfg.clone()).await;
    let name = state.get("name").as_str().expect("a name").to_string();
    let live = common::boto::boto3(&format!(
        "c = sm.describe_endpoint_config(EndpointConfigName='{name}')['DataCaptureConfig']\n\
         print(c['EnableCapture'], 'CaptureContentTypeHeader' in c, 'KmsKeyId' in c)"
    ));
    assert_eq!(live, "False False False");
    assert_clean(&p, T, &state, &cfg).await;
    delete(&p, T, &state).await;
    delete(&p, "aws_sagemaker_model", &model_state).await;
}
