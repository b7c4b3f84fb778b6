//! `aws_cloudwatch_log_group`: a log group with its retention, KMS key, class and tags.
//!
//! Refresh: the log groups come from DescribeLogGroups by name prefix (see
//! `logs::describe_groups`), the tags from one ListTagsForResource per log group (no call lists
//! the tags of many). `skip_destroy` leaves the log group in AWS on destroy, as Terraform does.

use std::sync::LazyLock;

use async_trait::async_trait;
use aws_sdk_cloudwatchlogs::types::{LogGroup, LogGroupClass};
use futures::FutureExt as _;
use plinth_sdk::plan::default_plan;
use plinth_sdk::{Attribute, PlanRequest, PlanResponse, ProviderDiagnostic, ProviderError, Schema, Type, Value};

use super::describe_groups;
use crate::error::aws_error;
use crate::idempotent::{Creating, ReadTags, read_tags};
use crate::tags::{Tagged, plan_tags_all, tag_values, tags_from, update_tags, with_tags_described};
use crate::util::invalid as diag;
use crate::util::{
    concurrently, delete_call, number, opt_bool, opt_i64, opt_str, opt_string, req_str, string, with_defaults,
    with_generated_name,
};
use crate::{AwsResource, Ctx};

pub struct LogGroupResource;

/// The retention periods CloudWatch Logs accepts (0: never expire).
const RETENTION_DAYS: [i64; 23] = [
    0, 1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653,
];

static SCHEMA: LazyLock<Schema> = LazyLock::new(|| {
    let schema = with_generated_name(
        Schema::new(
            "A CloudWatch Logs log group (training jobs, endpoints and functions write their logs to one). Import \
             with the log group name.",
        ),
        ("name", "name_prefix"),
        "Log group name",
    )
    .attr(
        "retention_in_days",
        Attribute::optional(Type::Number)
            .describe("Days to keep log events: 0 (default, never expire), 1, 3, 5, 7, 14, 30, ... 3653."),
    )
    .attr(
        "kms_key_id",
        Attribute::optional(Type::String).describe("ARN of the KMS key encrypting the log data."),
    )
    .attr(
        "log_group_class",
        Attribute::optional_computed(Type::String)
            .force_new()
            .describe("STANDARD (default), INFREQUENT_ACCESS or DELIVERY."),
    )
    .attr(
        "skip_destroy",
        Attribute::optional(Type::Bool).describe(
            "Leave the log group (and its logs) in AWS on destroy, only forgetting it (default false). Not read \
             from AWS.",
        ),
    )
    .attr("id", Attribute::computed(Type::String).describe("The log group name."))
    .attr(
        "arn",
        Attribute::computed(Type::String).describe("The log group ARN (without the trailing :*)."),
    )
    .unsupported(
        "deletion_protection_enabled",
        "Plinth does not manage a log group's deletion protection yet: leave it out (skip_destroy keeps a log \
         group on destroy)",
    );
    with_tags_described(schema, "Tags of the log group.").identity(&["name"])
});

fn defaults() -> [(&'static str, Value); 2] {
    [
        ("retention_in_days", Value::int(0)),
        ("skip_destroy", Value::Bool(false)),
    ]
}

/// The log group's ARN as Terraform has it: DescribeLogGroups' `arn` ends in `:*`.
fn arn_of(g: &LogGroup) -> String {
    let arn = g.log_group_arn().or(g.arn()).unwrap_or_default();
    arn.strip_suffix(":*").unwrap_or(arn).to_string()
}

async fn list_tags(ctx: &Ctx, arn: &str) -> Result<std::collections::BTreeMap<String, String>, ProviderError> {
    let all = all_tags(ctx, arn).await?;
    Ok(tags_from(all.iter().map(|(k, v)| (Some(k.as_str()), Some(v.as_str())))))
}

/// Every tag on the log group `arn`, Plinth's bookkeeping tags included (for adoption).
async fn all_tags(ctx: &Ctx, arn: &str) -> Result<ReadTags, ProviderError> {
    let out = ctx
        .logs
        .list_tags_for_resource()
        .resource_arn(arn)
        .send()
        .boxed()
        .await
        .map_err(aws_error)?;
    Ok(read_tags(
        out.tags()
            .into_iter()
            .flatten()
            .map(|(k, v)| (Some(k.as_str()), Some(v.as_str()))),
    ))
}

fn to_value(ctx: &Ctx, g: &LogGroup, tags: &std::collections::BTreeMap<String, String>, prior: &Value) -> Value {
    let (tags, tags_all) = tag_values(ctx, tags, prior);
    let name = g.log_group_name().unwrap_or_default();
    Value::object([
        ("id", string(name)),
        ("name", string(name)),
        ("name_prefix", prior.get("name_prefix").clone()),
        ("arn", string(arn_of(g))),
        ("retention_in_days", number(g.retention_in_days().unwrap_or(0))),
        ("kms_key_id", opt_string(g.kms_key_id())),
        (
            "log_group_class",
            string(g.log_group_class().map(|c| c.as_str()).unwrap_or("STANDARD")),
        ),
        (
            "skip_destroy",
            Value::Bool(opt_bool(prior, "skip_destroy").unwrap_or(false)),
        ),
        ("tags", tags),
        ("tags_all", tags_all),
    ])
}

/// The states of `states`' log groups: one listing for all, then their tags a few at a time.
async fn read_many(ctx: &Ctx, states: &[Value]) -> Result<Vec<Option<Value>>, ProviderError> {
    let names: Vec<String> = states.iter().filter_map(|s| opt_str(s, "name")).collect();
    if names.is_empty() {
        return Ok(vec![None; states.len()]);
    }
    let found = describe_groups(ctx, &names).await?;
    let groups: Vec<Option<LogGroup>> = states
        .iter()
        .map(|s| opt_str(s, "name").and_then(|n| found.get(&n).cloned()))
        .collect();
    let tags = concurrently(groups.clone(), |g| {
        let ctx = ctx.clone();
        async move {
            match g {
                Some(g) => list_tags(&ctx, &arn_of(&g)).await.map(Some),
                None => Ok(None),
            }
        }
    })
    .await?;
    Ok(states
        .iter()
        .zip(groups)
        .zip(tags)
        .map(|((s, g), t)| Some(to_value(ctx, &g?, &t?, s)))
        .collect())
}

async fn read_one(ctx: &Ctx, name: &str, planned: &Value) -> Result<Value, ProviderError> {
    let mut prior = planned.clone();
    if let Value::Map(m) = &mut prior {
        m.insert("name".into(), string(name));
    }
    read_many(ctx, std::slice::from_ref(&prior))
        .await?
        .pop()
        .flatten()
        .ok_or_else(|| ProviderError::with_code("ResourceNotFoundException", format!("log group {name} disappeared")))
}

#[async_trait]
impl AwsResource for LogGroupResource {
    fn type_name(&self) -> &'static str {
        "aws_cloudwatch_log_group"
    }

    fn schema(&self) -> &Schema {
        &SCHEMA
    }

    fn validate(&self, config: &Value) -> Vec<ProviderDiagnostic> {
        let mut d = crate::iam::check_name_prefix(config);
        if let Some(n) = config.get("retention_in_days").as_f64()
            && !RETENTION_DAYS.iter().any(|r| *r as f64 == n)
        {
            d.push(diag(
                "retention_in_days",
                format!("{n}: must be one of {RETENTION_DAYS:?}"),
            ));
        }
        d
    }

    fn plan(&self, ctx: &Ctx, req: &PlanRequest) -> PlanResponse {
        let config = with_defaults(&req.config, &defaults());
        let mut resp = default_plan(self.schema(), req.prior.as_ref(), &config);
        plan_tags_all(ctx, &req.config, &mut resp.planned);
        resp
    }

    async fn create(&self, ctx: &Ctx, planned: &Value) -> Result<Value, ProviderError> {
        self.create_as(ctx, planned, &Creating::default()).await
    }

    /// Safe to repeat after a crash (see `docs/reliability.md`): bookkeeping tags sent with the
    /// create, a generated name derived from the planned change, and a group answered
    /// ResourceAlreadyExistsException adopted when its tags name this address and state.
    async fn create_as(&self, ctx: &Ctx, planned: &Value, creating: &Creating) -> Result<Value, ProviderError> {
        let name = creating.name(planned, "name", "name_prefix", "plinth-");
        let tags = creating.with_tags(ctx.merged_tags(planned.get("tags")));
        let sent = ctx
            .logs
            .create_log_group()
            .log_group_name(&name)
            .set_kms_key_id(opt_str(planned, "kms_key_id"))
            .set_log_group_class(opt_str(planned, "log_group_class").map(|c| LogGroupClass::from(c.as_str())))
            .set_tags((!tags.is_empty()).then(|| tags.into_iter().collect()))
            .send()
            .boxed()
            .await
            .map_err(aws_error);
        creating
            .adopt(&name, sent, || async {
                let group = describe_groups(ctx, std::slice::from_ref(&name)).await?.remove(&name);
                match group {
                    Some(g) => Ok(Some(all_tags(ctx, &arn_of(&g)).await?)),
                    None => Ok(None),
                }
            })
            .await?;
        if let Some(days) = opt_i64(planned, "retention_in_days").filter(|d| *d > 0) {
            ctx.logs
                .put_retention_policy()
                .log_group_name(&name)
                .retention_in_days(days as i32)
                .send()
                .boxed()
                .await
                .map_err(aws_error)?;
        }
        read_one(ctx, &name, planned).await
    }

    async fn update(&self, ctx: &Ctx, prior: &Value, planned: &Value) -> Result<Value, ProviderError> {
        let name = req_str(prior, "name")?;
        let changed = |k: &str| planned.get(k) != prior.get(k);
        if changed("retention_in_days") {
            match opt_i64(planned, "retention_in_days").filter(|d| *d > 0) {
                Some(days) => {
                    ctx.logs
                        .put_retention_policy()
                        .log_group_name(&name)
                        .retention_in_days(days as i32)
                        .send()
                        .boxed()
                        .await
                        .map_err(aws_error)?;
                }
                None => {
                    ctx.logs
                        .delete_retention_policy()
                        .log_group_name(&name)
                        .send()
                        .boxed()
                        .await
                        .map_err(aws_error)?;
                }
            }
        }
        if changed("kms_key_id") {
            match opt_str(planned, "kms_key_id") {
                Some(key) => {
                    ctx.logs
                        .associate_kms_key()
                        .log_group_name(&name)
                        .kms_key_id(key)
                        .send()
                        .boxed()
                        .await
                        .map_err(aws_error)?;
                }
                None => {
                    ctx.logs
                        .disassociate_kms_key()
                        .log_group_name(&name)
                        .send()
                        .boxed()
                        .await
                        .map_err(aws_error)?;
                }
            }
        }
        update_tags(ctx, Tagged::Logs(&req_str(prior, "arn")?), prior, planned).await?;
        read_one(ctx, &name, planned).await
    }

    async fn delete(&self, ctx: &Ctx, prior: &Value) -> Result<(), ProviderError> {
        if opt_bool(prior, "skip_destroy") == Some(true) {
            return Ok(());
        }
        let name = req_str(prior, "name")?;
        delete_call(ctx.logs.delete_log_group().log_group_name(&name).send().boxed()).await?;
        Ok(())
    }

    async fn read(&self, ctx: &Ctx, states: &[Value]) -> Result<Vec<Option<Value>>, ProviderError> {
        read_many(ctx, states).await
    }

    async fn import(&self, ctx: &Ctx, id: &str) -> Result<Value, ProviderError> {
        let probe = Value::object([("name", string(id))]);
        read_many(ctx, &[probe])
            .await?
            .pop()
            .flatten()
            .ok_or_else(|| ProviderError::with_code("ResourceNotFoundException", format!("no log group {id}")))
    }
}
