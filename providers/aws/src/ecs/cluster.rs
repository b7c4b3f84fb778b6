//! `aws_ecs_cluster`: a cluster with its settings (Container Insights), its ECS Exec
//! configuration and tags. Capacity providers are `aws_ecs_cluster_capacity_providers`' (not in
//! Plinth yet); services and task definitions are their own types.
//!
//! Refresh: one DescribeClusters per 100 clusters (`ecs::describe_clusters`), tags included.

use std::sync::LazyLock;

use async_trait::async_trait;
use aws_sdk_ecs::types::{
    Cluster, ClusterConfiguration, ClusterSetting, ClusterSettingName, ExecuteCommandConfiguration,
    ExecuteCommandLogConfiguration, ExecuteCommandLogging,
};
use futures::FutureExt as _;
use plinth_sdk::{
    Attribute, Nesting, PlanRequest, PlanResponse, ProviderDiagnostic, ProviderError, Schema, Type, Value,
};

use super::{all_tags, cluster_name, describe_clusters, ecs_tags, tags_of};
use crate::error::aws_error;
use crate::idempotent::Creating;
use crate::tags::{Tagged, plan_tags_all, tag_values, update_tags, with_tags};
use crate::util::{
    error_at, items, list, one_of, opt_bool, opt_str, opt_string, plan_blocks, req_str, string, wait_for, wait_gone,
};
use crate::{AwsResource, Ctx};

pub struct EcsCluster;

static SCHEMA: LazyLock<Schema> = LazyLock::new(|| {
    let log_configuration = Schema::new("Where ECS Exec session logs go.")
        .attr(
            "cloud_watch_encryption_enabled",
            Attribute::optional_computed(Type::Bool).describe("Encrypt the CloudWatch log stream."),
        )
        .attr(
            "cloud_watch_log_group_name",
            Attribute::optional(Type::String).describe("The CloudWatch log group to send logs to."),
        )
        .attr(
            "s3_bucket_encryption_enabled",
            Attribute::optional_computed(Type::Bool).describe("Require S3 encryption of the logs."),
        )
        .attr(
            "s3_bucket_name",
            Attribute::optional(Type::String).describe("The S3 bucket to send logs to."),
        )
        .attr(
            "s3_key_prefix",
            Attribute::optional(Type::String).describe("The key prefix of the logs in the bucket."),
        );
    let execute_command = Schema::new("ECS Exec (execute-command) settings.")
        .attr(
            "kms_key_id",
            Attribute::optional(Type::String).describe("KMS key to encrypt the session data with."),
        )
        .attr(
            "logging",
            Attribute::optional_computed(Type::String).describe("NONE, DEFAULT (AWS's default) or OVERRIDE."),
        )
        .block("log_configuration", list(log_configuration, 0, Some(1), false));
    let configuration = Schema::new("The cluster's configuration.")
        .block(
            "execute_command_configuration",
            list(execute_command, 0, Some(1), false),
        )
        .unsupported_block(
            "managed_storage_configuration",
            "Plinth does not set Fargate managed storage encryption yet: leave it out (AWS-owned keys are used)",
        );
    let setting = Schema::new("A cluster setting.")
        .attr(
            "name",
            Attribute::required(Type::String).describe("The setting: containerInsights."),
        )
        .attr(
            "value",
            Attribute::required(Type::String).describe("enhanced, enabled or disabled."),
        );
    with_tags(
        Schema::new(
            "An ECS cluster, where services and tasks run (on Fargate or registered EC2 instances). Import with the \
             cluster name.",
        )
        .attr(
            "name",
            Attribute::required(Type::String)
                .force_new()
                .describe("The cluster name (letters, digits, hyphens and underscores, up to 255)."),
        )
        .attr("id", Attribute::computed(Type::String).describe("The cluster ARN."))
        .attr("arn", Attribute::computed(Type::String).describe("The cluster ARN."))
        .block("configuration", list(configuration, 0, Some(1), false))
        .block(
            "setting",
            plinth_sdk::BlockSchema {
                nesting: Nesting::Set,
                schema: setting,
                min_items: 0,
                max_items: None,
                force_new: false,
            },
        )
        .computed_when_omitted("setting")
        .unsupported_block(
            "service_connect_defaults",
            "Plinth does not manage Service Connect yet: leave it out, or set the namespace with the AWS CLI \
             (aws ecs update-cluster --service-connect-defaults)",
        ),
    )
    .identity(&["name"])
});

fn settings_value(c: &Cluster) -> Value {
    let mut out: Vec<Value> = c
        .settings()
        .iter()
        .map(|s| {
            Value::object([
                ("name", opt_string(s.name().map(|n| n.as_str()))),
                ("value", opt_string(s.value())),
            ])
        })
        .collect();
    out.sort_by_key(|v| v.to_json().to_string());
    Value::List(out)
}

fn configuration_value(c: &Cluster) -> Value {
    let Some(ecc) = c.configuration().and_then(|c| c.execute_command_configuration()) else {
        return Value::List(vec![]);
    };
    let logs = match ecc.log_configuration() {
        Some(l) => vec![Value::object([
            (
                "cloud_watch_encryption_enabled",
                Value::Bool(l.cloud_watch_encryption_enabled()),
            ),
            ("cloud_watch_log_group_name", opt_string(l.cloud_watch_log_group_name())),
            ("s3_bucket_encryption_enabled", Value::Bool(l.s3_encryption_enabled())),
            ("s3_bucket_name", opt_string(l.s3_bucket_name())),
            ("s3_key_prefix", opt_string(l.s3_key_prefix())),
        ])],
        None => vec![],
    };
    Value::List(vec![Value::object([(
        "execute_command_configuration",
        Value::List(vec![Value::object([
            ("kms_key_id", opt_string(ecc.kms_key_id())),
            ("logging", opt_string(ecc.logging().map(|l| l.as_str()))),
            ("log_configuration", Value::List(logs)),
        ])]),
    )])])
}

fn to_value(ctx: &Ctx, c: &Cluster, prior: &Value) -> Value {
    let arn = c.cluster_arn().unwrap_or_default();
    let (tags, tags_all) = tag_values(ctx, &tags_of(c.tags()), prior);
    Value::object([
        ("id", string(arn)),
        ("arn", string(arn)),
        ("name", opt_string(c.cluster_name())),
        ("setting", settings_value(c)),
        ("configuration", configuration_value(c)),
        ("tags", tags),
        ("tags_all", tags_all),
    ])
}

fn settings_of(v: &Value) -> Option<Vec<ClusterSetting>> {
    let s: Vec<ClusterSetting> = items(v, "setting")
        .iter()
        .map(|s| {
            ClusterSetting::builder()
                .name(ClusterSettingName::from(s.get("name").as_str().unwrap_or_default()))
                .set_value(opt_str(s, "value"))
                .build()
        })
        .collect();
    (!s.is_empty()).then_some(s)
}

fn configuration_of(v: &Value) -> Option<ClusterConfiguration> {
    let conf = items(v, "configuration").first()?;
    let ecc = items(conf, "execute_command_configuration").first()?;
    let log = items(ecc, "log_configuration").first().map(|l| {
        ExecuteCommandLogConfiguration::builder()
            .set_cloud_watch_encryption_enabled(opt_bool(l, "cloud_watch_encryption_enabled"))
            .set_cloud_watch_log_group_name(opt_str(l, "cloud_watch_log_group_name"))
            .set_s3_encryption_enabled(opt_bool(l, "s3_bucket_encryption_enabled"))
            .set_s3_bucket_name(opt_str(l, "s3_bucket_name"))
            .set_s3_key_prefix(opt_str(l, "s3_key_prefix"))
            .build()
    });
    Some(
        ClusterConfiguration::builder()
            .execute_command_configuration(
                ExecuteCommandConfiguration::builder()
                    .set_kms_key_id(opt_str(ecc, "kms_key_id"))
                    .set_logging(opt_str(ecc, "logging").map(|l| ExecuteCommandLogging::from(l.as_str())))
                    .set_log_configuration(log)
                    .build(),
            )
            .build(),
    )
}

async fn describe_one(ctx: &Ctx, id: &str) -> Result<Option<Cluster>, ProviderError> {
    Ok(describe_clusters(ctx, &[id.to_string()]).await?.remove(id))
}

/// Waits until the cluster is ACTIVE, and returns it.
async fn wait_active(ctx: &Ctx, arn: &str) -> Result<Cluster, ProviderError> {
    wait_for(ctx, &format!("ECS cluster {arn} to be ACTIVE"), || async {
        match describe_one(ctx, arn).await? {
            Some(c) if c.status() == Some("ACTIVE") => Ok(Some(c)),
            Some(_) => Ok(None),
            None => Err(ProviderError::with_code(
                "ClusterNotFoundException",
                format!("ECS cluster {arn} disappeared"),
            )),
        }
    })
    .await
}

#[async_trait]
impl AwsResource for EcsCluster {
    fn type_name(&self) -> &'static str {
        "aws_ecs_cluster"
    }

    fn schema(&self) -> &Schema {
        &SCHEMA
    }

    fn validate(&self, config: &Value) -> Vec<ProviderDiagnostic> {
        let mut out = Vec::new();
        if let Some(name) = config.get("name").as_str()
            && (name.is_empty()
                || name.len() > 255
                || !name
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_'))
        {
            out.push(error_at(
                "name",
                "Invalid name",
                format!("{name:?}: 1 to 255 letters, digits, hyphens and underscores"),
            ));
        }
        for (i, s) in items(config, "setting").iter().enumerate() {
            out.extend(one_of(
                s.get("name"),
                &format!("setting[{i}].name"),
                &["containerInsights"],
            ));
        }
        for (i, c) in items(config, "configuration").iter().enumerate() {
            for (j, e) in items(c, "execute_command_configuration").iter().enumerate() {
                let path = format!("configuration[{i}].execute_command_configuration[{j}].logging");
                out.extend(one_of(e.get("logging"), &path, &["NONE", "DEFAULT", "OVERRIDE"]));
            }
        }
        out
    }

    fn plan(&self, ctx: &Ctx, req: &PlanRequest) -> PlanResponse {
        // `setting` is computed when omitted: left out, `plan_blocks` keeps what the cluster has
        // (`setting = []` still asks for none).
        let mut resp = plan_blocks(&SCHEMA, req);
        plan_tags_all(ctx, &req.config, &mut resp.planned);
        resp
    }

    async fn create(&self, ctx: &Ctx, planned: &Value) -> Result<Value, ProviderError> {
        self.create_as(ctx, planned, &Creating::default()).await
    }

    /// Safe to repeat after a crash (see `docs/reliability.md`): CreateCluster answers a repeat
    /// with the existing ACTIVE cluster of that name, so the bookkeeping tags ride on the create
    /// and the answered cluster is gone on with only when it carries them with this address and
    /// state ([`Creating::settle`]); another one is an error saying how to import it.
    async fn create_as(&self, ctx: &Ctx, planned: &Value, creating: &Creating) -> Result<Value, ProviderError> {
        let name = req_str(planned, "name")?;
        let tags = creating.with_tags(ctx.merged_tags(planned.get("tags")));
        let sent = ctx
            .ecs
            .create_cluster()
            .cluster_name(&name)
            .set_settings(settings_of(planned))
            .set_configuration(configuration_of(planned))
            .set_tags((!tags.is_empty()).then(|| ecs_tags(&tags)))
            .send()
            .boxed()
            .await
            .map_err(aws_error)
            .and_then(|out| {
                out.cluster()
                    .and_then(|c| c.cluster_arn())
                    .map(str::to_string)
                    .ok_or_else(|| ProviderError::new("CreateCluster returned no cluster ARN"))
            });
        let arn = creating
            .settle("CreateCluster", sent, || async { Ok(None) }, |arn| all_tags(ctx, arn))
            .await?;
        let c = wait_active(ctx, &arn).await?;
        Ok(to_value(ctx, &c, planned))
    }

    async fn update(&self, ctx: &Ctx, prior: &Value, planned: &Value) -> Result<Value, ProviderError> {
        let arn = req_str(prior, "arn")?;
        let changed = |k: &str| !plinth_sdk::plan::same(prior.get(k), planned.get(k));
        if changed("setting") || changed("configuration") {
            ctx.ecs
                .update_cluster()
                .cluster(&arn)
                .set_settings(settings_of(planned))
                .set_configuration(configuration_of(planned))
                .send()
                .boxed()
                .await
                .map_err(aws_error)?;
        }
        update_tags(ctx, Tagged::Ecs(&arn), prior, planned).await?;
        let c = wait_active(ctx, &arn).await?;
        Ok(to_value(ctx, &c, planned))
    }

    async fn delete(&self, ctx: &Ctx, prior: &Value) -> Result<(), ProviderError> {
        let arn = req_str(prior, "arn")?;
        // Services and tasks being drained by their own deletes keep the cluster busy a while.
        wait_for(
            ctx,
            &format!("ECS cluster {arn} to be free of services and tasks"),
            || async {
                match ctx.ecs.delete_cluster().cluster(&arn).send().boxed().await {
                    Ok(_) => Ok(Some(())),
                    Err(e) => {
                        let e = aws_error(e);
                        match e.code.as_deref() {
                            Some("ClusterNotFoundException") => Ok(Some(())),
                            Some(
                                "ClusterContainsContainerInstancesException"
                                | "ClusterContainsServicesException"
                                | "ClusterContainsTasksException"
                                | "UpdateInProgressException",
                            ) => Ok(None),
                            _ => Err(e),
                        }
                    }
                }
            },
        )
        .await?;
        wait_gone(ctx, &format!("ECS cluster {arn}"), || async {
            Ok(describe_one(ctx, &arn).await?.is_some())
        })
        .await
    }

    async fn read(&self, ctx: &Ctx, states: &[Value]) -> Result<Vec<Option<Value>>, ProviderError> {
        let ids: Vec<String> = states
            .iter()
            .filter_map(|s| opt_str(s, "arn").or_else(|| opt_str(s, "name")))
            .collect();
        let found = describe_clusters(ctx, &ids).await?;
        Ok(states
            .iter()
            .map(|s| {
                let id = opt_str(s, "arn").or_else(|| opt_str(s, "name"))?;
                found.get(&id).map(|c| to_value(ctx, c, s))
            })
            .collect())
    }

    async fn import(&self, ctx: &Ctx, id: &str) -> Result<Value, ProviderError> {
        let c = describe_one(ctx, id).await?.ok_or_else(|| {
            ProviderError::with_code(
                "ClusterNotFoundException",
                format!("no ECS cluster {}", cluster_name(id)),
            )
        })?;
        Ok(to_value(ctx, &c, &Value::Null))
    }
}
