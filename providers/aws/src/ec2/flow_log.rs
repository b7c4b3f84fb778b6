//! `aws_flow_log`: VPC flow logs of a VPC, subnet, network interface or transit gateway, to
//! CloudWatch Logs, S3 or Firehose. Everything but the tags replaces the flow log, as in
//! Terraform. Refresh is one DescribeFlowLogs per 200 flow logs.

use std::collections::HashMap;
use std::sync::LazyLock;

use async_trait::async_trait;
use aws_sdk_ec2::types::{
    DestinationFileFormat, DestinationOptionsRequest, FlowLog as Fl, FlowLogsResourceType, LogDestinationType,
    ResourceType, TrafficType,
};
use futures::FutureExt as _;
use plinth_sdk::{
    AttrPath, Attribute, BlockSchema, Nesting, PlanRequest, PlanResponse, ProviderDiagnostic, ProviderError, Schema,
    Severity, Type, Value,
};

use super::{by_id, describe_by_filter, ids_of, plan_with_tags, tag_spec, tag_values, take, update_tags};
use crate::error::aws_error;
use crate::idempotent::{self, Creating};
use crate::tags::with_tags;
use crate::util::{delete_call, opt_bool, opt_i64, opt_str, opt_string, req_str, string};
use crate::{AwsResource, Ctx};

pub struct FlowLog;

/// (argument, resource type) of what the flow log watches: exactly one is set.
const SOURCES: &[(&str, FlowLogsResourceType)] = &[
    ("vpc_id", FlowLogsResourceType::Vpc),
    ("subnet_id", FlowLogsResourceType::Subnet),
    ("eni_id", FlowLogsResourceType::NetworkInterface),
    ("transit_gateway_id", FlowLogsResourceType::TransitGateway),
    (
        "transit_gateway_attachment_id",
        FlowLogsResourceType::TransitGatewayAttachment,
    ),
];

static SCHEMA: LazyLock<Schema> = LazyLock::new(|| {
    let fnew = |a: Attribute, text: &str| a.force_new().describe(text);
    let mut s = Schema::new(
        "VPC flow logs of one VPC, subnet, network interface or transit gateway. Import with the flow log id \
         (fl-...).",
    );
    for (name, _) in SOURCES {
        s = s.attr(
            name,
            fnew(
                Attribute::optional(Type::String),
                "What to log; exactly one of the source arguments.",
            ),
        );
    }
    let opts = Schema::new("Options of an S3 destination.")
        .attr(
            "file_format",
            Attribute::optional_computed(Type::String).describe("plain-text (default) or parquet."),
        )
        .attr(
            "hive_compatible_partitions",
            Attribute::optional_computed(Type::Bool).describe("Hive-compatible S3 prefixes (default false)."),
        )
        .attr(
            "per_hour_partition",
            Attribute::optional_computed(Type::Bool).describe("Partition per hour instead of per day (default false)."),
        );
    with_tags(
        s.attr(
            "traffic_type",
            fnew(
                Attribute::optional(Type::String),
                "ACCEPT, REJECT or ALL (required except for transit gateways).",
            ),
        )
        .attr(
            "log_destination_type",
            fnew(
                Attribute::optional_computed(Type::String),
                "cloud-watch-logs (default), s3 or kinesis-data-firehose.",
            ),
        )
        .attr(
            "log_destination",
            fnew(
                Attribute::optional_computed(Type::String),
                "ARN of the log group, bucket (with an optional prefix) or delivery stream.",
            ),
        )
        .attr(
            "log_group_name",
            fnew(
                Attribute::optional_computed(Type::String),
                "Deprecated by Terraform: the log group name (use log_destination).",
            ),
        )
        .attr(
            "iam_role_arn",
            fnew(
                Attribute::optional(Type::String),
                "Role that publishes to CloudWatch Logs.",
            ),
        )
        .attr(
            "deliver_cross_account_role",
            fnew(
                Attribute::optional(Type::String),
                "Role that delivers to another account.",
            ),
        )
        .attr(
            "log_format",
            fnew(
                Attribute::optional_computed(Type::String),
                "The record format; AWS's default format when left out.",
            ),
        )
        .attr(
            "max_aggregation_interval",
            fnew(
                Attribute::optional_computed(Type::Number),
                "Seconds per record: 600 (default) or 60.",
            ),
        )
        .attr("id", Attribute::computed(Type::String).describe("The flow log id."))
        .attr("arn", Attribute::computed(Type::String).describe("The flow log ARN."))
        .block(
            "destination_options",
            BlockSchema {
                nesting: Nesting::List,
                schema: opts,
                min_items: 0,
                max_items: Some(1),
                force_new: true,
            },
        ),
    )
    .identity(&["id"])
});

fn to_value(ctx: &Ctx, f: &Fl, prior: &Value) -> Value {
    let id = f.flow_log_id().unwrap_or_default().to_string();
    let (tags, tags_all) = tag_values(ctx, f.tags(), prior);
    let resource = f.resource_id().unwrap_or_default();
    let mut m: Vec<(&str, Value)> = vec![
        ("id", string(&id)),
        // DescribeFlowLogs does not name the account; the ARN kept from before stays.
        ("arn", prior.get("arn").clone()),
        (
            "traffic_type",
            opt_string(f.traffic_type().map(|t| t.as_str().to_string())),
        ),
        (
            "log_destination_type",
            opt_string(f.log_destination_type().map(|t| t.as_str().to_string())),
        ),
        (
            "log_destination",
            opt_string(f.log_destination().filter(|s| !s.is_empty())),
        ),
        (
            "log_group_name",
            opt_string(f.log_group_name().filter(|s| !s.is_empty())),
        ),
        (
            "iam_role_arn",
            opt_string(f.deliver_logs_permission_arn().filter(|s| !s.is_empty())),
        ),
        (
            "deliver_cross_account_role",
            opt_string(f.deliver_cross_account_role().filter(|s| !s.is_empty())),
        ),
        ("log_format", opt_string(f.log_format())),
        (
            "max_aggregation_interval",
            f.max_aggregation_interval()
                .map(|n| Value::int(i64::from(n)))
                .unwrap_or(Value::Null),
        ),
        ("destination_options", prior.get("destination_options").clone()),
        ("tags", tags),
        ("tags_all", tags_all),
    ];
    for (name, _) in SOURCES {
        let mine = match *name {
            "vpc_id" => resource.starts_with("vpc-"),
            "subnet_id" => resource.starts_with("subnet-"),
            "eni_id" => resource.starts_with("eni-"),
            "transit_gateway_id" => resource.starts_with("tgw-") && !resource.starts_with("tgw-attach-"),
            _ => resource.starts_with("tgw-attach-"),
        };
        m.push((name, if mine { string(resource) } else { Value::Null }));
    }
    let mut v = Value::object(m);
    if v.get("arn").is_unknown()
        && let Value::Map(map) = &mut v
    {
        map.insert("arn".into(), Value::Null);
    }
    v
}

/// One DescribeFlowLogs per 200 ids (a `flow-log-id` filter).
async fn describe(ctx: &Ctx, ids: &[String]) -> Result<HashMap<String, Fl>, ProviderError> {
    describe_by_filter("flow-log-id", ids, |filter, next| async move {
        let resp = ctx
            .ec2
            .describe_flow_logs()
            .filter(filter)
            .max_results(1000)
            .set_next_token(next)
            .send()
            .boxed()
            .await
            .map_err(aws_error)?;
        let found = resp
            .flow_logs()
            .iter()
            .filter_map(|f| Some((f.flow_log_id()?.to_string(), f.clone())))
            .collect();
        Ok((found, resp.next_token().map(str::to_string)))
    })
    .await
}

async fn read_one(ctx: &Ctx, id: &str, planned: &Value) -> Result<Value, ProviderError> {
    let f = take(
        describe(ctx, &[id.to_string()]).await?,
        id,
        "InvalidFlowLogId.NotFound",
        format!("flow log {id} disappeared"),
    )?;
    Ok(to_value(ctx, &f, planned))
}

#[async_trait]
impl AwsResource for FlowLog {
    fn type_name(&self) -> &'static str {
        "aws_flow_log"
    }

    fn schema(&self) -> &Schema {
        &SCHEMA
    }

    fn validate(&self, config: &Value) -> Vec<ProviderDiagnostic> {
        let set = SOURCES.iter().filter(|(n, _)| !config.get(n).is_null()).count();
        if set != 1 {
            return vec![ProviderDiagnostic {
                severity: Severity::Error,
                summary: "aws_flow_log needs exactly one source".into(),
                detail: "Set one of vpc_id, subnet_id, eni_id, transit_gateway_id, transit_gateway_attachment_id."
                    .into(),
                attribute: Some(AttrPath::attr("vpc_id")),
            }];
        }
        Vec::new()
    }

    fn plan(&self, ctx: &Ctx, req: &PlanRequest) -> PlanResponse {
        plan_with_tags(&SCHEMA, ctx, req)
    }

    async fn create(&self, ctx: &Ctx, planned: &Value) -> Result<Value, ProviderError> {
        self.create_as(ctx, planned, &Creating::default()).await
    }

    /// With a client token derived from the planned change (see `docs/reliability.md`): a
    /// repeated call answers the flow log already made. The answer carries no state, so a
    /// token answered with an id that is not described (a flow log deleted since) moves on to the
    /// next generation's token.
    async fn create_as(&self, ctx: &Ctx, planned: &Value, creating: &Creating) -> Result<Value, ProviderError> {
        let (attr, kind) = SOURCES
            .iter()
            .find(|(n, _)| opt_str(planned, n).is_some())
            .ok_or_else(|| {
                ProviderError::with_code("MissingAttribute", "aws_flow_log needs a source such as vpc_id")
            })?;
        let tags = creating.with_tags(ctx.merged_tags(planned.get("tags")));
        let opts = planned
            .get("destination_options")
            .as_list()
            .and_then(|l| l.first())
            .map(|o| {
                DestinationOptionsRequest::builder()
                    .set_file_format(opt_str(o, "file_format").map(|f| DestinationFileFormat::from(f.as_str())))
                    .set_hive_compatible_partitions(opt_bool(o, "hive_compatible_partitions"))
                    .set_per_hour_partition(opt_bool(o, "per_hour_partition"))
                    .build()
            });
        let mut req = ctx
            .ec2
            .create_flow_logs()
            .resource_ids(req_str(planned, attr)?)
            .resource_type(kind.clone())
            .set_traffic_type(opt_str(planned, "traffic_type").map(|t| TrafficType::from(t.as_str())))
            .set_log_destination_type(
                opt_str(planned, "log_destination_type").map(|t| LogDestinationType::from(t.as_str())),
            )
            .set_log_destination(opt_str(planned, "log_destination"))
            .set_log_group_name(opt_str(planned, "log_group_name"))
            .set_deliver_logs_permission_arn(opt_str(planned, "iam_role_arn"))
            .set_deliver_cross_account_role(opt_str(planned, "deliver_cross_account_role"))
            .set_log_format(opt_str(planned, "log_format"))
            .set_max_aggregation_interval(opt_i64(planned, "max_aggregation_interval").map(|n| n as i32))
            .set_destination_options(opts);
        if let Some(spec) = tag_spec(ResourceType::VpcFlowLog, &tags) {
            req = req.tag_specifications(spec);
        }
        let id = creating
            .with_token(planned, "CreateFlowLogs", |token| {
                let req = req.clone().client_token(token);
                async move {
                    let resp = req.send().boxed().await.map_err(aws_error)?;
                    if let Some(u) = resp.unsuccessful().first() {
                        let e = u.error();
                        return Err(ProviderError::with_code(
                            e.and_then(|e| e.code()).unwrap_or("FlowLogFailed"),
                            e.and_then(|e| e.message())
                                .unwrap_or("CreateFlowLogs did not create the flow log")
                                .to_string(),
                        ));
                    }
                    let id = resp.flow_log_ids().first().map(String::as_str);
                    idempotent::answered(ctx, "CreateFlowLogs", "flow log id", id, |id| async move {
                        describe(ctx, &[id]).await
                    })
                    .await
                }
            })
            .await?;
        read_one(ctx, &id, planned).await
    }

    async fn update(&self, ctx: &Ctx, prior: &Value, planned: &Value) -> Result<Value, ProviderError> {
        let id = req_str(prior, "id")?;
        update_tags(ctx, &id, prior, planned).await?;
        read_one(ctx, &id, planned).await
    }

    async fn delete(&self, ctx: &Ctx, prior: &Value) -> Result<(), ProviderError> {
        let id = req_str(prior, "id")?;
        // DeleteFlowLogs reports a missing id in its answer, not as an error: nothing to do then.
        delete_call(ctx.ec2.delete_flow_logs().flow_log_ids(&id).send().boxed())
            .await
            .map(drop)
    }

    async fn read(&self, ctx: &Ctx, states: &[Value]) -> Result<Vec<Option<Value>>, ProviderError> {
        let found = describe(ctx, &ids_of(states)).await?;
        Ok(by_id(states, &found, |f, s| to_value(ctx, f, s)))
    }

    async fn import(&self, ctx: &Ctx, id: &str) -> Result<Value, ProviderError> {
        let found = describe(ctx, &[id.to_string()]).await?;
        let f = take(found, id, "InvalidFlowLogId.NotFound", format!("no flow log {id}"))?;
        Ok(to_value(ctx, &f, &Value::Null))
    }
}
