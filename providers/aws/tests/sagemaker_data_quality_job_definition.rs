//! aws_sagemaker_data_quality_job_definition against moto: create (default container paths
//! filled in), refresh (no changes), retag repair, force-new plan, import, destroy, and a delete
//! made by hand seen at refresh — checked with our own SDK reads.

mod common;
mod sagemaker_support;

use common::*;
use plinth_aws::AwsProvider;
use plinth_sdk::Value;
use sagemaker_support::*;

const T: &str = "aws_sagemaker_data_quality_job_definition";

fn dq_cfg(p: &AwsProvider, name: Option<&str>, instance_type: &str) -> Value {
    config(
        p,
        T,
        &[
            ("name", name.map(s).unwrap_or(Value::Null)),
            ("role_arn", s(ROLE)),
            (
                "data_quality_app_specification",
                obj([(
                    "image_uri",
                    s("156813124566.dkr.ecr.us-east-1.amazonaws.com/sagemaker-model-monitor-analyzer"),
                )]),
            ),
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
