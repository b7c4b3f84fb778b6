//! `aws_sagemaker_monitoring_schedule`: runs a monitoring job definition (data quality, model
//! quality, bias, explainability) on a schedule. The schedule configuration changes in place
//! with UpdateMonitoringSchedule.

use std::collections::HashMap;
use std::sync::LazyLock;

use async_trait::async_trait;
use aws_sdk_sagemaker::operation::describe_monitoring_schedule::DescribeMonitoringScheduleOutput;
use aws_sdk_sagemaker::types::{MonitoringScheduleConfig, MonitoringType, ScheduleConfig};
use futures::FutureExt as _;
use plinth_sdk::plan::same;
use plinth_sdk::{Attribute, ProviderDiagnostic, ProviderError, Schema, Type, Value};

use super::adopt;
use super::{
    Kind, Listed, SageMakerType, Status, block, invalid, list_named, single, sm_tags, time, wait_status, with_arn_id,
    with_tags,
};
use crate::Ctx;
use crate::error::aws_error;
use crate::idempotent::Creating;
use crate::util::{call_found, delete_call, opt_str, opt_string, req_str, string};

pub struct MonitoringSchedule;

const MONITORING_TYPES: [&str; 4] = ["DataQuality", "ModelQuality", "ModelBias", "ModelExplainability"];

static KIND: Kind = Kind {
    type_name: "aws_sagemaker_monitoring_schedule",
    noun: "monitoring schedule",
    name_attr: "name",
    stamp: Some("last_modified_time"),
    tagged: true,
    schema: &SCHEMA,
};

static SCHEMA: LazyLock<Schema> = LazyLock::new(|| {
    let schedule = Schema::new("When the job runs.").attr(
        "schedule_expression",
        Attribute::required(Type::String).describe("A cron expression, such as cron(0 * ? * * *) for hourly."),
    );
    let config = Schema::new("What runs and when.")
        .attr(
            "monitoring_job_definition_name",
            Attribute::required(Type::String).describe("The job definition to run (such as a data quality one)."),
        )
        .attr(
            "monitoring_type",
            Attribute::required(Type::String).describe("DataQuality, ModelQuality, ModelBias or ModelExplainability."),
        )
        .block("schedule_config", single(schedule, 0, false));
    with_tags(with_arn_id(
        Schema::new(
            "A SageMaker monitoring schedule: runs a monitoring job definition (drift, model quality, bias) on a \
             schedule. Create and update wait until it is Scheduled; monitoring_schedule_config changes in place \
             with UpdateMonitoringSchedule. Refresh: one ListMonitoringSchedules per 100 schedules (name filter), \
             DescribeMonitoringSchedule only for one modified since the last refresh, and one ListTags each. \
             Import with the schedule name.",
        )
        .attr(
            "name",
            Attribute::optional_computed(Type::String)
                .force_new()
                .describe("The schedule name; generated (plinth-...) when omitted."),
        )
        .attr(
            "creation_time",
            Attribute::computed(Type::String).describe("When the schedule was created (RFC 3339)."),
        )
        .attr(
            "last_modified_time",
            Attribute::computed(Type::String).describe("When the schedule last changed (RFC 3339)."),
        )
        .block("monitoring_schedule_config", single(config, 1, false)),
    ))
    .identity(&["name"])
});

impl Status for DescribeMonitoringScheduleOutput {
    fn status(&self) -> (&str, Option<&str>) {
        let status = self.monitoring_schedule_status().map(|s| s.as_str());
        (status.unwrap_or_default(), self.failure_reason())
    }
}

fn config(planned: &Value) -> Option<MonitoringScheduleConfig> {
    let c = block(planned, "monitoring_schedule_config")?;
    Some(
        MonitoringScheduleConfig::builder()
            .set_monitoring_job_definition_name(opt_str(c, "monitoring_job_definition_name"))
            .set_monitoring_type(opt_str(c, "monitoring_type").map(|t| MonitoringType::from(t.as_str())))
            .set_schedule_config(block(c, "schedule_config").map(|s| {
                ScheduleConfig::builder()
                    .set_schedule_expression(opt_str(s, "schedule_expression"))
                    .build()
            }))
            .build(),
    )
}

/// Waits until the schedule is Scheduled (or Stopped, which is also settled).
async fn wait_scheduled(ctx: &Ctx, name: &str) -> Result<DescribeMonitoringScheduleOutput, ProviderError> {
    let what = KIND.what(name);
    wait_status(ctx, &what, &["Scheduled", "Stopped"], &["Failed"], || {
        MonitoringSchedule::describe(ctx, name)
    })
    .await
}

#[async_trait]
impl SageMakerType for MonitoringSchedule {
    type Described = DescribeMonitoringScheduleOutput;

    fn kind() -> &'static Kind {
        &KIND
    }

    fn validate(&self, config: &Value) -> Vec<ProviderDiagnostic> {
        let t = config.get("monitoring_schedule_config").get("monitoring_type");
        match t.as_str() {
            Some(t) if !MONITORING_TYPES.contains(&t) => vec![invalid(
                "monitoring_schedule_config.monitoring_type",
                "Invalid monitoring type",
                format!(
                    "monitoring_type must be one of {}, not {t:?}",
                    MONITORING_TYPES.join(", ")
                ),
            )],
            _ => vec![],
        }
    }

    async fn create(&self, ctx: &Ctx, planned: &Value, creating: &Creating) -> Result<Value, ProviderError> {
        let name = creating.name(planned, "name", "name_prefix", "plinth-");
        let tags = ctx.merged_tags(planned.get("tags"));
        let sent = ctx
            .sagemaker
            .create_monitoring_schedule()
            .monitoring_schedule_name(&name)
            .set_monitoring_schedule_config(config(planned))
            .set_tags(sm_tags(&creating.with_tags(tags.clone())))
            .send()
            .boxed()
            .await
            .map(|_| ())
            .map_err(aws_error);
        adopt::<Self>(ctx, creating, &name, sent).await?;
        let waited = wait_scheduled(ctx, &name).await;
        self.settled(ctx, &name, waited, &tags, planned).await
    }

    async fn describe(ctx: &Ctx, name: &str) -> Result<Option<DescribeMonitoringScheduleOutput>, ProviderError> {
        let call = ctx
            .sagemaker
            .describe_monitoring_schedule()
            .monitoring_schedule_name(name)
            .send()
            .boxed();
        call_found(call).await
    }

    fn to_value(d: &DescribeMonitoringScheduleOutput, _prior: &Value) -> Value {
        let name = d.monitoring_schedule_name().unwrap_or_default();
        let config = d
            .monitoring_schedule_config()
            .map(|c| {
                let schedule = c
                    .schedule_config()
                    .map(|s| Value::object([("schedule_expression", opt_string(s.schedule_expression()))]))
                    .unwrap_or(Value::Null);
                Value::object([
                    (
                        "monitoring_job_definition_name",
                        opt_string(c.monitoring_job_definition_name()),
                    ),
                    (
                        "monitoring_type",
                        opt_string(
                            c.monitoring_type()
                                .or(d.monitoring_type())
                                .map(|t| t.as_str().to_string()),
                        ),
                    ),
                    ("schedule_config", schedule),
                ])
            })
            .unwrap_or(Value::Null);
        Value::object([
            ("name", string(name)),
            ("id", string(name)),
            ("arn", opt_string(d.monitoring_schedule_arn())),
            ("creation_time", time(d.creation_time())),
            ("last_modified_time", time(d.last_modified_time())),
            ("monitoring_schedule_config", config),
        ])
    }

    async fn list(ctx: &Ctx, names: &[String]) -> Result<Option<HashMap<String, Listed>>, ProviderError> {
        let items = |filter| {
            let list = ctx
                .sagemaker
                .list_monitoring_schedules()
                .set_name_contains(filter)
                .max_results(100);
            list.into_paginator().items().send()
        };
        let listed = list_named(names, items, |s| {
            let listed = Listed::new(s.monitoring_schedule_arn(), s.last_modified_time())
                .with(vec![("creation_time", time(s.creation_time()))]);
            Some((s.monitoring_schedule_name()?.to_string(), listed))
        });
        Ok(Some(listed.await?))
    }

    async fn delete_call(ctx: &Ctx, name: &str) -> Result<bool, ProviderError> {
        let call = ctx
            .sagemaker
            .delete_monitoring_schedule()
            .monitoring_schedule_name(name)
            .send()
            .boxed();
        delete_call(call).await
    }

    async fn update_in_place(&self, ctx: &Ctx, prior: &Value, planned: &Value) -> Result<Option<Value>, ProviderError> {
        let name = req_str(prior, "name")?;
        if same(
            planned.get("monitoring_schedule_config"),
            prior.get("monitoring_schedule_config"),
        ) {
            return Ok(None);
        }
        ctx.sagemaker
            .update_monitoring_schedule()
            .monitoring_schedule_name(&name)
            .set_monitoring_schedule_config(config(planned))
            .send()
            .boxed()
            .await
            .map_err(aws_error)?;
        Ok(Some(Self::to_value(&wait_scheduled(ctx, &name).await?, planned)))
    }
}
