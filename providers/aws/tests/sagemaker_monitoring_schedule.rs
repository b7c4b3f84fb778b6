//! aws_sagemaker_monitoring_schedule.
//!
//! moto 5.2 implements no monitoring-schedule operation (Create/Describe/List/Update/Delete
//! MonitoringSchedule all answer HTTP 500). What runs here is what needs no AWS: the schema, the
//! plans (create, in-place schedule change, force-new name) and validation. The live lifecycle
//! is `monitoring_schedule_lifecycle`, ignored (under moto it fails at
//! CreateMonitoringSchedule).

mod common;
mod sagemaker_support;

use common::*;
use plinth_aws::AwsProvider;
use plinth_sdk::{ConfigureRequest, Nesting, Provider, ValidateRequest, Value};
use sagemaker_support::*;

const T: &str = "aws_sagemaker_monitoring_schedule";

fn schedule_cfg(p: &AwsProvider, name: Option<&str>, job: &str, cron: &str) -> Value {
    config(
        p,
        T,
        &[
            ("name", name.map(s).unwrap_or(Value::Null)),
            (
                "monitoring_schedule_config",
                obj([
                    ("monitoring_job_definition_name", s(job)),
                    ("monitoring_type", s("DataQuality")),
                    ("schedule_config", obj([("schedule_expression", s(cron))])),
                ]),
            ),
            ("tags", team_ml()),
        ],
    )
}

/// A provider with default_tags, for the tags_all plan.
async fn provider_with_default_tags() -> AwsProvider {
    let p = AwsProvider::new();
    p.configure(ConfigureRequest {
        config: Value::object([
            ("region", s("us-east-1")),
            ("endpoint_url", s(&moto().endpoint)),
            ("max_retries", n(0.0)),
            ("access_key", s("testing")),
            ("secret_key", s("testing")),
            ("default_tags", obj([("env", s("test"))])),
        ]),
        working_dir: std::env::temp_dir(),
    })
    .await
    .expect("configure");
    p
}

/// What the state of a created schedule looks like (as `read` would return it).
fn existing(p: &AwsProvider, name: &str, cron: &str) -> Value {
    let mut v = schedule_cfg(p, Some(name), "fraud-drift", cron);
    if let Value::Map(m) = &mut v {
        m.insert("id".into(), s(name));
        m.insert(
            "arn".into(),
            s(&format!(
                "arn:aws:sagemaker:us-east-1:123456789012:monitoring-schedule/{name}"
            )),
        );
        m.insert("creation_time".into(), s("2026-01-01T00:00:00Z"));
        m.insert("last_modified_time".into(), s("2026-01-01T00:00:00Z"));
        m.insert("tags_all".into(), obj([("env", s("test")), ("team", s("ml"))]));
        // A state records the region the object is in (the provider's here).
        m.insert("region".into(), s("us-east-1"));
        // A state keeps the `timeouts` block only when the configuration sets one.
        m.remove("timeouts");
    }
    v
}

#[tokio::test]
async fn monitoring_schedule_schema() {
    let p = provider().await;
    let schema = p.schema();
    let sch = schema.resources.get(T).expect("the type exists");
    let cfg = sch.blocks.get("monitoring_schedule_config").expect("the block");
    assert_eq!(cfg.nesting, Nesting::Single);
    assert_eq!(cfg.min_items, 1, "required");
    assert!(!cfg.force_new, "updated in place");
    assert!(cfg.schema.blocks.contains_key("schedule_config"));
    let name = sch.attributes.get("name").expect("name");
    assert!(name.optional && name.computed && name.force_new);
    for a in ["arn", "id", "tags_all", "creation_time", "last_modified_time"] {
        assert!(sch.attributes.get(a).is_some_and(|a| a.computed), "{a}");
    }
}

#[tokio::test]
async fn monitoring_schedule_plans() {
    let p = provider_with_default_tags().await;

    // Create: the name is generated, computed attributes unknown, tags_all known.
    let created = plan(&p, T, None, &schedule_cfg(&p, None, "fraud-drift", "cron(0 * ? * * *)")).await;
    assert!(created.requires_replace.is_empty());
    assert_eq!(created.planned.get("name"), &Value::Unknown);
    assert_eq!(created.planned.get("arn"), &Value::Unknown);
    assert_eq!(
        created.planned.get("tags_all"),
        &obj([("env", s("test")), ("team", s("ml"))])
    );

    // Unchanged: no changes.
    let prior = existing(&p, "fraud-hourly", "cron(0 * ? * * *)");
    let same_cfg = schedule_cfg(&p, Some("fraud-hourly"), "fraud-drift", "cron(0 * ? * * *)");
    assert_no_changes(&p, T, &prior, &same_cfg).await;

    // A new schedule: in place (UpdateMonitoringSchedule), the ARN kept.
    let daily = plan(
        &p,
        T,
        Some(&prior),
        &schedule_cfg(&p, Some("fraud-hourly"), "fraud-drift", "cron(0 0 ? * * *)"),
    )
    .await;
    assert!(daily.requires_replace.is_empty(), "{:?}", daily.requires_replace);
    assert_eq!(
        daily
            .planned
            .get("monitoring_schedule_config")
            .get("schedule_config")
            .get("schedule_expression"),
        &s("cron(0 0 ? * * *)")
    );
    assert_eq!(daily.planned.get("arn"), prior.get("arn"));

    // Another job definition: also in place.
    let other_job = plan(
        &p,
        T,
        Some(&prior),
        &schedule_cfg(&p, Some("fraud-hourly"), "fraud-drift-v2", "cron(0 * ? * * *)"),
    )
    .await;
    assert!(other_job.requires_replace.is_empty());

    // A new name: a new schedule.
    let renamed = plan(
        &p,
        T,
        Some(&prior),
        &schedule_cfg(&p, Some("fraud-daily"), "fraud-drift", "cron(0 * ? * * *)"),
    )
    .await;
    assert_eq!(
        renamed
            .requires_replace
            .iter()
            .map(|p| p.to_string())
            .collect::<Vec<_>>(),
        vec!["name"]
    );
    assert_eq!(renamed.planned.get("arn"), &Value::Unknown);
}

#[tokio::test]
async fn monitoring_type_is_validated() {
    let p = provider().await;
    let mut cfg = schedule_cfg(&p, Some("x"), "j", "cron(0 * ? * * *)");
    if let Value::Map(m) = &mut cfg
        && let Some(Value::Map(c)) = m.get_mut("monitoring_schedule_config")
    {
        c.insert("monitoring_type".into(), s("Drift"));
    }
    let diags = p.validate(&ValidateRequest::managed(T, cfg));
    assert_eq!(diags.len(), 1, "{diags:?}");
}

#[tokio::test]
#[ignore = "moto 5.2 does not implement CreateMonitoringSchedule"]
async fn monitoring_schedule_lifecycle() {
    let p = provider().await;
    // A data quality job definition to schedule.
    let job = unique("drift");
    let dq = create(
        &p,
        "aws_sagemaker_data_quality_job_definition",
        config(
            &p,
            "aws_sagemaker_data_quality_job_definition",
            &[
                ("name", s(&job)),
                ("role_arn", s(ROLE)),
                ("data_quality_app_specification", obj([("image_uri", s("analyzer"))])),
                (
                    "data_quality_job_input",
                    obj([("endpoint_input", obj([("endpoint_name", s("fraud-endpoint"))]))]),
                ),
                (
                    "data_quality_job_output_config",
                    obj([(
                        "monitoring_outputs",
                        obj([("s3_output", obj([("s3_uri", s("s3://monitoring/reports"))]))]),
                    )]),
                ),
                (
                    "job_resources",
                    obj([(
                        "cluster_config",
                        obj([
                            ("instance_count", n(1.0)),
                            ("instance_type", s("ml.m5.large")),
                            ("volume_size_in_gb", n(20.0)),
                        ]),
                    )]),
                ),
            ],
        ),
    )
    .await;
    let name = unique("hourly");
    let cfg = schedule_cfg(&p, Some(&name), &job, "cron(0 * ? * * *)");
    let state = create(&p, T, cfg.clone()).await;
    let d = sm()
        .await
        .describe_monitoring_schedule()
        .monitoring_schedule_name(&name)
        .send()
        .await
        .expect("DescribeMonitoringSchedule");
    assert_eq!(d.monitoring_schedule_status().map(|s| s.as_str()), Some("Scheduled"));
    let live = read(&p, T, &state).await.expect("exists");
    assert_no_changes(&p, T, &live, &cfg).await;
    let state = retag_is_seen_and_repaired(&p, T, &live, &cfg).await;
    let daily = update(&p, T, &state, &schedule_cfg(&p, Some(&name), &job, "cron(0 0 ? * * *)")).await;
    let d = sm()
        .await
        .describe_monitoring_schedule()
        .monitoring_schedule_name(&name)
        .send()
        .await
        .expect("DescribeMonitoringSchedule");
    assert_eq!(
        d.monitoring_schedule_config()
            .and_then(|c| c.schedule_config())
            .and_then(|s| s.schedule_expression()),
        Some("cron(0 0 ? * * *)")
    );
    let imported = import(&p, T, &name).await;
    assert_eq!(
        imported.get("monitoring_schedule_config"),
        daily.get("monitoring_schedule_config")
    );
    delete(&p, T, &daily).await;
    assert!(read(&p, T, &daily).await.is_none());
    delete(&p, "aws_sagemaker_data_quality_job_definition", &dq).await;
}
