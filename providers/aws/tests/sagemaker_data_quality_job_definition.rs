//! aws_sagemaker_data_quality_job_definition against moto: create (default container paths
//! filled in), refresh (no changes), retag repair, force-new plan, import, destroy, and a delete
//! made by hand seen at refresh — checked with our own SDK reads; the analyzer's environment, the
//! baseline, the network and the time limit sent, refreshed, imported and re-made by hand —
//! checked with boto3.

mod common;
mod sagemaker_support;

use common::*;
use plinth_aws::AwsProvider;
use plinth_sdk::Value;
use sagemaker_support::*;

const T: &str = "aws_sagemaker_data_quality_job_definition";
const ANALYZER: &str = "156813124566.dkr.ecr.us-east-1.amazonaws.com/sagemaker-model-monitor-analyzer";

fn dq_cfg(p: &AwsProvider, name: Option<&str>, instance_type: &str) -> Value {
    config(
        p,
        T,
        &[
            ("name", name.map(s).unwrap_or(Value::Null)),
            ("role_arn", s(ROLE)),
            ("data_quality_app_specification", obj([("image_uri", s(ANALYZER))])),
            (
                "data_quality_job_input",
                obj([("endpoint_input", obj([("endpoint_name", s("fraud-endpoint"))]))]),
            ),
            (
                "data_quality_job_output_config",
                obj([(
                    "monitoring_outputs",
                    obj([("s3_output", obj([("s3_uri", s("s3://monitoring/fraud/reports"))]))]),
                )]),
            ),
            (
                "job_resources",
                obj([(
                    "cluster_config",
                    obj([
                        ("instance_count", n(1.0)),
                        ("instance_type", s(instance_type)),
                        ("volume_size_in_gb", n(20.0)),
                    ]),
                )]),
            ),
            ("tags", team_ml()),
        ],
    )
}

#[tokio::test]
async fn data_quality_job_definition_lifecycle() {
    let p = provider().await;
    let name = unique("fraud-drift");
    let cfg = dq_cfg(&p, Some(&name), "ml.m5.xlarge");
    let state = create(&p, T, cfg.clone()).await;
    let arn = state.get("arn").as_str().expect("arn").to_string();
    assert!(arn.ends_with(&format!(":data-quality-job-definition/{name}")), "{arn}");
    // The container paths left unset got SageMaker's conventional defaults.
    assert_eq!(
        state
            .get("data_quality_job_input")
            .get("endpoint_input")
            .get("local_path"),
        &s("/opt/ml/processing/input")
    );

    let d = sm()
        .await
        .describe_data_quality_job_definition()
        .job_definition_name(&name)
        .send()
        .await
        .expect("DescribeDataQualityJobDefinition");
    assert_eq!(d.role_arn(), Some(ROLE));
    let e = d
        .data_quality_job_input()
        .and_then(|i| i.endpoint_input())
        .expect("endpoint input");
    assert_eq!(e.endpoint_name(), Some("fraud-endpoint"));
    assert_eq!(e.local_path(), Some("/opt/ml/processing/input"));
    let out = &d.data_quality_job_output_config().expect("output").monitoring_outputs()[0];
    let s3 = out.s3_output().expect("s3 output");
    assert_eq!(s3.s3_uri(), Some("s3://monitoring/fraud/reports"));
    assert_eq!(s3.local_path(), Some("/opt/ml/processing/output"));
    let c = d
        .job_resources()
        .and_then(|r| r.cluster_config())
        .expect("cluster config");
    assert_eq!(c.instance_type().map(|t| t.as_str()), Some("ml.m5.xlarge"));
    assert_eq!(c.volume_size_in_gb(), Some(20));
    assert_eq!(live_tags(&arn).await, tags(&[("team", "ml")]));

    let live = read(&p, T, &state).await.expect("exists");
    assert_eq!(live, state);
    assert_no_changes(&p, T, &live, &cfg).await;

    let state = retag_is_seen_and_repaired(&p, T, &live, &cfg).await;

    let planned = plan(&p, T, Some(&state), &dq_cfg(&p, Some(&name), "ml.m5.2xlarge")).await;
    assert_eq!(
        planned
            .requires_replace
            .iter()
            .map(|p| p.to_string())
            .collect::<Vec<_>>(),
        vec!["job_resources"]
    );

    let imported = import(&p, T, &name).await;
    assert_eq!(imported.get("job_resources"), state.get("job_resources"));
    assert_eq!(imported.get("tags"), &team_ml());

    delete(&p, T, &state).await;
    assert!(
        sm().await
            .describe_data_quality_job_definition()
            .job_definition_name(&name)
            .send()
            .await
            .is_err(),
        "destroy leaves nothing"
    );
    assert!(read(&p, T, &state).await.is_none());
}

#[tokio::test]
async fn data_quality_job_definition_deleted_by_hand_is_seen() {
    let p = provider().await;
    let state = create(&p, T, dq_cfg(&p, None, "ml.m5.large")).await;
    let name = state.get("name").as_str().expect("generated name").to_string();
    sm().await
        .delete_data_quality_job_definition()
        .job_definition_name(&name)
        .send()
        .await
        .expect("delete by hand");
    assert!(read(&p, T, &state).await.is_none(), "refresh sees it gone");
    delete(&p, T, &state).await;
}

/// `cfg` with `extra` attributes and blocks set.
fn with(cfg: Value, extra: &[(&str, Value)]) -> Value {
    let mut m = cfg.as_map().cloned().expect("a configuration object");
    for (k, v) in extra {
        m.insert(k.to_string(), v.clone());
    }
    Value::Map(m)
}

/// The analyzer with `env` as its environment.
fn app(env: &[(&str, &str)]) -> Value {
    obj([
        ("image_uri", s(ANALYZER)),
        (
            "environment",
            Value::Map(env.iter().map(|(k, v)| (k.to_string(), s(v))).collect()),
        ),
    ])
}

fn baseline(prefix: &str) -> Value {
    let file = |f: &str| obj([("s3_uri", s(&format!("{prefix}/{f}")))]);
    obj([
        ("constraints_resource", file("constraints.json")),
        ("statistics_resource", file("statistics.json")),
    ])
}

/// What SageMaker holds of the optional blocks, read with boto3.
fn described(name: &str) -> serde_json::Value {
    let out = common::boto::boto3(&format!(
        "d = sm.describe_data_quality_job_definition(JobDefinitionName='{name}')\n\
         print(json.dumps({{'env': d['DataQualityAppSpecification'].get('Environment'), \
         'baseline': d.get('DataQualityBaselineConfig'), 'network': d.get('NetworkConfig'), \
         'stopping': d.get('StoppingCondition')}}, sort_keys=True))"
    ));
    serde_json::from_str(&out).expect("json")
}

/// The analyzer's `environment`, `data_quality_baseline_config`, `network_config` and
/// `stopping_condition`: sent on CreateDataQualityJobDefinition (checked with boto3), refreshed
/// and imported without changes; a change plans a replacement (there is no update API), and a
/// definition re-made by hand with other thresholds and another baseline is seen at refresh.
#[tokio::test]
async fn data_quality_job_definition_sends_environment_baseline_network_and_limit() {
    let p = provider().await;
    let name = unique("fraud-thresholds");
    let env = [("PLINTH_PSI_THRESHOLD", "0.2"), ("PLINTH_KS_P_VALUE", "0.05")];
    let network = obj([
        ("enable_inter_container_traffic_encryption", Value::Bool(true)),
        ("enable_network_isolation", Value::Bool(false)),
        (
            "vpc_config",
            obj([
                ("security_group_ids", strs(&["sg-0a1b2c3d"])),
                ("subnets", strs(&["subnet-0a1b2c3d", "subnet-4e5f6a7b"])),
            ]),
        ),
    ]);
    let cfg = with(
        dq_cfg(&p, Some(&name), "ml.m5.xlarge"),
        &[
            ("data_quality_app_specification", app(&env)),
            ("data_quality_baseline_config", baseline("s3://baselines/fraud/2026-12")),
            ("network_config", network.clone()),
            ("stopping_condition", obj([("max_runtime_in_seconds", n(1800.0))])),
        ],
    );
    let state = create(&p, T, cfg.clone()).await;
    assert_eq!(
        described(&name),
        serde_json::json!({
            "env": {"PLINTH_KS_P_VALUE": "0.05", "PLINTH_PSI_THRESHOLD": "0.2"},
            "baseline": {
                "ConstraintsResource": {"S3Uri": "s3://baselines/fraud/2026-12/constraints.json"},
                "StatisticsResource": {"S3Uri": "s3://baselines/fraud/2026-12/statistics.json"},
            },
            "network": {
                "EnableInterContainerTrafficEncryption": true,
                "EnableNetworkIsolation": false,
                "VpcConfig": {"SecurityGroupIds": ["sg-0a1b2c3d"], "Subnets": ["subnet-0a1b2c3d", "subnet-4e5f6a7b"]},
            },
            "stopping": {"MaxRuntimeInSeconds": 1800},
        })
    );
    for k in [
        "data_quality_app_specification",
        "data_quality_baseline_config",
        "network_config",
        "stopping_condition",
    ] {
        assert_eq!(state.get(k), cfg.get(k), "state {k}");
    }

    // Refresh and import see the same.
    let fresh = assert_clean(&p, T, &state, &cfg).await;
    let imported = import(&p, T, &name).await;
    assert_eq!(
        imported.get("data_quality_app_specification"),
        cfg.get("data_quality_app_specification")
    );
    assert_eq!(
        imported.get("data_quality_baseline_config"),
        cfg.get("data_quality_baseline_config")
    );
    assert_eq!(imported.get("stopping_condition"), cfg.get("stopping_condition"));
    assert_eq!(
        imported.get("network_config").get("vpc_config"),
        network.get("vpc_config")
    );

    // A new threshold is a new definition.
    let stricter = with(
        cfg.clone(),
        &[(
            "data_quality_app_specification",
            app(&[("PLINTH_PSI_THRESHOLD", "0.1"), ("PLINTH_KS_P_VALUE", "0.05")]),
        )],
    );
    let resp = plan(&p, T, &fresh, &stricter).await;
    let replaced: Vec<String> = resp.requires_replace.iter().map(|p| p.to_string()).collect();
    assert_eq!(replaced, vec!["data_quality_app_specification"]);

    // Someone re-makes the definition by hand with another threshold and baseline and no limit:
    // refresh sees it (a new creation time makes it Describe again) and the plan replaces it.
    common::boto::boto3(&format!(
        "sm.delete_data_quality_job_definition(JobDefinitionName='{name}')\n\
         sm.create_data_quality_job_definition(JobDefinitionName='{name}', RoleArn='{ROLE}', \
         DataQualityAppSpecification={{'ImageUri': '{ANALYZER}', 'Environment': {{'PLINTH_PSI_THRESHOLD': '0.5'}}}}, \
         DataQualityBaselineConfig={{'ConstraintsResource': {{'S3Uri': 's3://baselines/other/constraints.json'}}}}, \
         DataQualityJobInput={{'EndpointInput': {{'EndpointName': 'fraud-endpoint', 'LocalPath': '/opt/ml/processing/input'}}}}, \
         DataQualityJobOutputConfig={{'MonitoringOutputs': [{{'S3Output': {{'S3Uri': 's3://monitoring/fraud/reports', \
         'LocalPath': '/opt/ml/processing/output'}}}}]}}, \
         JobResources={{'ClusterConfig': {{'InstanceCount': 1, 'InstanceType': 'ml.m5.xlarge', 'VolumeSizeInGB': 20}}}})"
    ));
    let drifted = read(&p, T, &fresh).await.expect("still there");
    assert_eq!(
        drifted.get("data_quality_app_specification").get("environment"),
        &Value::Map([("PLINTH_PSI_THRESHOLD".to_string(), s("0.5"))].into_iter().collect())
    );
    assert_eq!(
        drifted.get("data_quality_baseline_config"),
        &obj([
            (
                "constraints_resource",
                obj([("s3_uri", s("s3://baselines/other/constraints.json"))])
            ),
            ("statistics_resource", Value::Null),
        ])
    );
    // No network configuration any more: neither VPC nor encryption (isolation stays the
    // configuration's false, which is SageMaker's unset).
    assert_eq!(
        drifted.get("network_config"),
        &obj([
            ("enable_inter_container_traffic_encryption", Value::Null),
            ("enable_network_isolation", Value::Bool(false)),
            ("vpc_config", Value::Null),
        ])
    );
    let resp = plan(&p, T, &drifted, &cfg).await;
    let replaced: Vec<String> = resp.requires_replace.iter().map(|p| p.to_string()).collect();
    for k in [
        "data_quality_app_specification",
        "data_quality_baseline_config",
        "network_config",
    ] {
        assert!(replaced.iter().any(|r| r == k), "{k} replaces: {replaced:?}");
    }

    delete(&p, T, &drifted).await;
    assert!(
        sm().await
            .describe_data_quality_job_definition()
            .job_definition_name(&name)
            .send()
            .await
            .is_err(),
        "destroy leaves nothing"
    );
}

/// A time limit outside SageMaker's 1 to 3600 seconds is refused while validating.
#[tokio::test]
async fn data_quality_job_definition_refuses_a_limit_over_an_hour() {
    let p = provider().await;
    let cfg = with(
        dq_cfg(&p, None, "ml.m5.large"),
        &[("stopping_condition", obj([("max_runtime_in_seconds", n(7200.0))]))],
    );
    assert_eq!(validate(&p, T, &cfg), vec!["Invalid max_runtime_in_seconds"]);
}
