//! `aws_lb_target_group` (and its older name `aws_alb_target_group`): where a listener sends
//! traffic (instances, IP addresses, a Lambda function or an Application Load Balancer), with its
//! health check, deregistration delay, slow start and tags. Registering targets is
//! `aws_lb_target_group_attachment`'s (not in Plinth yet).
//!
//! Refresh: one DescribeTargetGroups per 20 ARNs (one by one only when one of them is gone), one
//! DescribeTags per 20, and one DescribeTargetGroupAttributes per target group.

use std::collections::{BTreeMap, HashMap};
use std::sync::LazyLock;

use async_trait::async_trait;
use aws_sdk_elasticloadbalancingv2::types::{
    Matcher, ProtocolEnum, TargetGroup as Tg, TargetGroupAttribute, TargetGroupIpAddressTypeEnum, TargetTypeEnum,
};
use futures::FutureExt as _;
use plinth_sdk::{Attribute, PlanRequest, PlanResponse, ProviderDiagnostic, ProviderError, Schema, Type, Value};

use super::{
    Attr, Kind, all_tags, arn_suffix, attr_changes, attr_values, describe_tags, elbv2_tags, plan_attrs, settle_attrs,
};
use crate::error::{aws_error, is_not_found};
use crate::idempotent::Creating;
use crate::tags::{Tagged, plan_tags_all, tag_values, update_tags, with_tags};
use crate::util::{
    block, concurrently, describe_chunked, invalid, items, list, one_of, opt_bool, opt_i64, opt_str, opt_string,
    plan_blocks, req_str, sorted_strings, string, wait_for, with_defaults, with_generated_name,
};
use crate::{AwsResource, Ctx};

/// The type under one of its two names (`aws_lb_target_group`, `aws_alb_target_group`).
pub struct TargetGroup(pub &'static str);

const TARGET_TYPES: [&str; 4] = ["instance", "ip", "lambda", "alb"];
const PROTOCOLS: [&str; 7] = ["HTTP", "HTTPS", "TCP", "TLS", "UDP", "TCP_UDP", "GENEVE"];

/// The attributes Plinth manages, by target type.
const ATTRS: [Attr; 3] = [
    Attr {
        name: "deregistration_delay",
        key: "deregistration_delay.timeout_seconds",
        kind: Kind::Int,
        default: "300",
        types: &["instance", "ip"],
        describe: "Seconds to wait before a deregistering target is removed (0-3600, default 300). A number in \
                   Plinth (Terraform's schema types it as a string holding one).",
    },
    Attr {
        name: "slow_start",
        key: "slow_start.duration_seconds",
        kind: Kind::Int,
        default: "0",
        types: &["instance", "ip"],
        describe: "Seconds a new target ramps up before its full share (30-900; default 0, off).",
    },
    Attr {
        name: "proxy_protocol_v2",
        key: "proxy_protocol_v2.enabled",
        kind: Kind::Bool,
        default: "false",
        types: &["instance", "ip"],
        describe: "Proxy Protocol v2 (Network Load Balancer target groups; default false).",
    },
];

const NOT_YET: &str = "Plinth does not manage this target group setting yet: leave it out (AWS keeps its default)";

static SCHEMA: LazyLock<Schema> = LazyLock::new(|| {
    let health = Schema::new("The health check (optional and computed: left out, AWS's defaults are kept).")
        .attr(
            "enabled",
            Attribute::optional(Type::Bool).describe("Health checks on (default true)."),
        )
        .attr(
            "healthy_threshold",
            Attribute::optional(Type::Number).describe("Successes before a target is healthy (2-10, default 3)."),
        )
        .attr(
            "unhealthy_threshold",
            Attribute::optional(Type::Number).describe("Failures before a target is unhealthy (2-10, default 3)."),
        )
        .attr(
            "interval",
            Attribute::optional(Type::Number).describe("Seconds between checks (5-300, default 30)."),
        )
        .attr(
            "timeout",
            Attribute::optional_computed(Type::Number).describe("Seconds without answer that fail a check (2-120)."),
        )
        .attr(
            "path",
            Attribute::optional_computed(Type::String).describe("The HTTP(S) path to check (such as /ping)."),
        )
        .attr(
            "port",
            Attribute::optional(Type::String).describe("traffic-port (default) or a port number."),
        )
        .attr(
            "protocol",
            Attribute::optional(Type::String).describe("HTTP (default), HTTPS or TCP."),
        )
        .attr(
            "matcher",
            Attribute::optional_computed(Type::String)
                .describe("HTTP codes of a healthy answer (200, 200-299, 200,202), or gRPC codes with GRPC targets."),
        );
    let mut schema = with_generated_name(
        Schema::new(
            "An ELBv2 target group: the targets a listener forwards to and how they are checked. Import with the \
             target group ARN.",
        ),
        ("name", "name_prefix"),
        "Target group name (up to 32 letters, digits and hyphens)",
    )
    .attr(
        "target_type",
        Attribute::optional(Type::String)
            .force_new()
            .describe("instance (default), ip, lambda or alb."),
    )
    .attr(
        "port",
        Attribute::optional(Type::Number)
            .force_new()
            .describe("The port targets receive traffic on (not for lambda)."),
    )
    .attr(
        "protocol",
        Attribute::optional(Type::String)
            .force_new()
            .describe("HTTP, HTTPS, TCP, TLS, UDP, TCP_UDP or GENEVE (not for lambda)."),
    )
    .attr(
        "protocol_version",
        Attribute::optional_computed(Type::String)
            .force_new()
            .describe("HTTP1 (AWS's default), HTTP2 or GRPC, for HTTP and HTTPS target groups."),
    )
    .attr(
        "vpc_id",
        Attribute::optional(Type::String)
            .force_new()
            .describe("The VPC of the targets (not for lambda)."),
    )
    .attr(
        "ip_address_type",
        Attribute::optional_computed(Type::String)
            .force_new()
            .describe("ipv4 (default) or ipv6, for ip targets."),
    )
    .attr(
        "id",
        Attribute::computed(Type::String).describe("The target group ARN."),
    )
    .attr(
        "arn",
        Attribute::computed(Type::String).describe("The target group ARN."),
    )
    .attr(
        "arn_suffix",
        Attribute::computed(Type::String)
            .describe("The ARN's last part (targetgroup/NAME/ID), as CloudWatch metrics name it."),
    )
    .attr(
        "load_balancer_arns",
        Attribute::computed(Type::Set(Box::new(Type::String)))
            .describe("The load balancers whose listeners or rules forward here."),
    )
    .block("health_check", list(health, 0, Some(1), false))
    .computed_when_omitted("health_check");
    for a in &ATTRS {
        schema = schema.attr(a.name, a.schema());
    }
    let schema = schema
        .unsupported_all(
            &[
                "connection_termination",
                "lambda_multi_value_headers_enabled",
                "load_balancing_algorithm_type",
                "load_balancing_anomaly_mitigation",
                "load_balancing_cross_zone_enabled",
                "preserve_client_ip",
                "target_control_port",
            ],
            NOT_YET,
        )
        .unsupported_blocks(
            &[
                "stickiness",
                "target_failover",
                "target_group_health",
                "target_health_state",
            ],
            NOT_YET,
        );
    with_tags(schema).identity(&["name"])
});

/// Terraform's defaults inside a configured `health_check` block.
fn health_defaults(item: &Value) -> Value {
    with_defaults(
        item,
        &[
            ("enabled", Value::Bool(true)),
            ("healthy_threshold", Value::int(3)),
            ("unhealthy_threshold", Value::int(3)),
            ("interval", Value::int(30)),
            ("port", string("traffic-port")),
            ("protocol", string("HTTP")),
        ],
    )
}

fn target_type(v: &Value) -> String {
    opt_str(v, "target_type").unwrap_or_else(|| "instance".into())
}

fn health_value(tg: &Tg) -> Value {
    let matcher = tg.matcher().and_then(|m| m.http_code().or(m.grpc_code()));
    let int = |n: Option<i32>| n.map(|n| Value::int(n.into())).unwrap_or(Value::Null);
    Value::List(vec![Value::object([
        ("enabled", Value::Bool(tg.health_check_enabled().unwrap_or(true))),
        ("healthy_threshold", int(tg.healthy_threshold_count())),
        ("unhealthy_threshold", int(tg.unhealthy_threshold_count())),
        ("interval", int(tg.health_check_interval_seconds())),
        ("timeout", int(tg.health_check_timeout_seconds())),
        ("path", opt_string(tg.health_check_path())),
        ("port", opt_string(tg.health_check_port())),
        ("protocol", opt_string(tg.health_check_protocol().map(|p| p.as_str()))),
        ("matcher", opt_string(matcher)),
    ])])
}

fn to_value(
    ctx: &Ctx,
    tg: &Tg,
    attrs: &HashMap<String, String>,
    tags: &BTreeMap<String, String>,
    prior: &Value,
) -> Value {
    let arn = tg.target_group_arn().unwrap_or_default();
    let kind = tg.target_type().map(|t| t.as_str()).unwrap_or("instance").to_string();
    let (tags, tags_all) = tag_values(ctx, tags, prior);
    let mut fields = vec![
        ("id", string(arn)),
        ("arn", string(arn)),
        ("arn_suffix", string(arn_suffix(arn))),
        ("name", opt_string(tg.target_group_name())),
        ("name_prefix", prior.get("name_prefix").clone()),
        ("target_type", string(kind.clone())),
        ("port", tg.port().map(|p| Value::int(p.into())).unwrap_or(Value::Null)),
        ("protocol", opt_string(tg.protocol().map(|p| p.as_str()))),
        ("protocol_version", opt_string(tg.protocol_version())),
        ("vpc_id", opt_string(tg.vpc_id())),
        ("ip_address_type", opt_string(tg.ip_address_type().map(|t| t.as_str()))),
        (
            "load_balancer_arns",
            sorted_strings(tg.load_balancer_arns().iter().cloned()),
        ),
        ("health_check", health_value(tg)),
        ("tags", tags),
        ("tags_all", tags_all),
    ];
    fields.extend(attr_values(&ATTRS, &kind, attrs, prior));
    Value::object(fields)
}

async fn describe(ctx: &Ctx, arns: &[String]) -> Result<HashMap<String, Tg>, ProviderError> {
    describe_chunked(ctx, arns, 20, |ctx, arns| async move {
        let mut out = Vec::new();
        let mut marker = None;
        loop {
            let call = ctx
                .elbv2
                .describe_target_groups()
                .set_target_group_arns(Some(arns.clone()))
                .set_marker(marker)
                .send()
                .boxed()
                .await;
            let page = match call {
                Ok(page) => page,
                Err(e) if is_not_found(&e) => return Ok(None),
                Err(e) => return Err(aws_error(e)),
            };
            for tg in page.target_groups() {
                if let Some(arn) = tg.target_group_arn() {
                    out.push((arn.to_string(), tg.clone()));
                }
            }
            marker = page.next_marker().filter(|m| !m.is_empty()).map(str::to_string);
            if marker.is_none() {
                return Ok(Some(out));
            }
        }
    })
    .await
}

async fn attributes(ctx: &Ctx, arn: &str) -> Result<Option<HashMap<String, String>>, ProviderError> {
    let call = ctx
        .elbv2
        .describe_target_group_attributes()
        .target_group_arn(arn)
        .send()
        .boxed()
        .await;
    let out = match call {
        Ok(out) => out,
        Err(e) if is_not_found(&e) => return Ok(None),
        Err(e) => return Err(aws_error(e)),
    };
    Ok(Some(
        out.attributes()
            .iter()
            .filter_map(|a| Some((a.key()?.to_string(), a.value().unwrap_or_default().to_string())))
            .collect(),
    ))
}

async fn read_many(ctx: &Ctx, states: &[Value]) -> Result<Vec<Option<Value>>, ProviderError> {
    let arns: Vec<String> = states.iter().filter_map(|s| opt_str(s, "arn")).collect();
    let found = describe(ctx, &arns).await?;
    let present: Vec<String> = found.keys().cloned().collect();
    let tags = describe_tags(ctx, &present).await?;
    let attrs: HashMap<String, HashMap<String, String>> = concurrently(present, |arn| {
        let ctx = ctx.clone();
        async move { Ok(attributes(&ctx, &arn).await?.map(|a| (arn, a))) }
    })
    .await?
    .into_iter()
    .flatten()
    .collect();
    Ok(states
        .iter()
        .map(|s| {
            let arn = opt_str(s, "arn")?;
            let tg = found.get(&arn)?;
            let a = attrs.get(&arn)?;
            Some(to_value(ctx, tg, a, &tags.get(&arn).cloned().unwrap_or_default(), s))
        })
        .collect())
}

async fn read_one(ctx: &Ctx, arn: &str, planned: &Value) -> Result<Value, ProviderError> {
    let mut probe = planned.as_map().cloned().unwrap_or_default();
    probe.insert("arn".into(), string(arn));
    read_many(ctx, &[Value::Map(probe)])
        .await?
        .pop()
        .flatten()
        .ok_or_else(|| ProviderError::with_code("TargetGroupNotFound", format!("target group {arn} disappeared")))
}

async fn modify_attributes(ctx: &Ctx, arn: &str, changes: Vec<(String, String)>) -> Result<(), ProviderError> {
    if changes.is_empty() {
        return Ok(());
    }
    let attrs = changes
        .into_iter()
        .map(|(k, v)| TargetGroupAttribute::builder().key(k).value(v).build())
        .collect();
    ctx.elbv2
        .modify_target_group_attributes()
        .target_group_arn(arn)
        .set_attributes(Some(attrs))
        .send()
        .boxed()
        .await
        .map_err(aws_error)?;
    Ok(())
}

/// The matcher for `protocol_version` (gRPC codes for GRPC target groups).
fn matcher(code: String, protocol_version: Option<&str>) -> Matcher {
    if protocol_version == Some("GRPC") {
        Matcher::builder().grpc_code(code).build()
    } else {
        Matcher::builder().http_code(code).build()
    }
}

fn int32(v: &Value, key: &str) -> Option<i32> {
    opt_i64(v, key).and_then(|n| i32::try_from(n).ok())
}

#[async_trait]
impl AwsResource for TargetGroup {
    fn type_name(&self) -> &'static str {
        self.0
    }

    fn schema(&self) -> &Schema {
        &SCHEMA
    }

    fn validate(&self, config: &Value) -> Vec<ProviderDiagnostic> {
        let mut out: Vec<ProviderDiagnostic> = [
            one_of(config.get("target_type"), "target_type", &TARGET_TYPES),
            one_of(config.get("protocol"), "protocol", &PROTOCOLS),
        ]
        .into_iter()
        .flatten()
        .collect();
        if let Some(name) = config.get("name").as_str()
            && (name.len() > 32 || !name.chars().all(|c| c.is_ascii_alphanumeric() || c == '-'))
        {
            out.push(invalid(
                "name",
                format!("{name:?}: up to 32 letters, digits and hyphens"),
            ));
        }
        if !config.get("name").is_null() && !config.get("name_prefix").is_null() {
            out.push(invalid("name_prefix", "conflicts with name: give one of them"));
        }
        let lambda = config.get("target_type").as_str() == Some("lambda");
        if !lambda {
            for k in ["port", "protocol", "vpc_id"] {
                if config.get(k).is_null() {
                    out.push(invalid(k, format!("{k} is required unless target_type is lambda")));
                }
            }
        }
        out
    }

    fn plan(&self, ctx: &Ctx, req: &PlanRequest) -> PlanResponse {
        let mut config = with_defaults(&req.config, &[("target_type", string("instance"))]);
        config = plan_attrs(&ATTRS, &target_type(&config), &config, req.prior.as_ref());
        if let Value::Map(m) = &mut config
            && let Some(Value::List(l)) = m.get_mut("health_check")
        {
            for item in l.iter_mut() {
                *item = health_defaults(item);
            }
        }
        let mut req2 = req.clone();
        req2.config = config;
        let mut resp = plan_blocks(&SCHEMA, &req2);
        settle_attrs(&ATTRS, &target_type(&req2.config), &mut resp.planned);
        plan_tags_all(ctx, &req.config, &mut resp.planned);
        resp
    }

    async fn create(&self, ctx: &Ctx, planned: &Value) -> Result<Value, ProviderError> {
        self.create_as(ctx, planned, &Creating::default()).await
    }

    /// Safe to repeat after a crash, as a load balancer (see `docs/reliability.md`): bookkeeping
    /// tags on CreateTargetGroup, a generated name derived from the planned change, and the
    /// existing group AWS answers a repeat with (or names in DuplicateTargetGroupName) gone on
    /// with only when its tags name this address and state ([`Creating::settle`]).
    async fn create_as(&self, ctx: &Ctx, planned: &Value, creating: &Creating) -> Result<Value, ProviderError> {
        let name = creating.name(planned, "name", "name_prefix", "tf-");
        let kind = target_type(planned);
        let tags = creating.with_tags(ctx.merged_tags(planned.get("tags")));
        let version = opt_str(planned, "protocol_version");
        let mut call = ctx
            .elbv2
            .create_target_group()
            .name(&name)
            .target_type(TargetTypeEnum::from(kind.as_str()))
            .set_port(int32(planned, "port"))
            .set_protocol(opt_str(planned, "protocol").map(|p| ProtocolEnum::from(p.as_str())))
            .set_protocol_version(version.clone())
            .set_vpc_id(opt_str(planned, "vpc_id"))
            .set_ip_address_type(
                opt_str(planned, "ip_address_type").map(|t| TargetGroupIpAddressTypeEnum::from(t.as_str())),
            )
            .set_tags((!tags.is_empty()).then(|| elbv2_tags(&tags)));
        if let Some(h) = items(planned, "health_check").first() {
            call = call
                .set_health_check_enabled(opt_bool(h, "enabled"))
                .set_healthy_threshold_count(int32(h, "healthy_threshold"))
                .set_unhealthy_threshold_count(int32(h, "unhealthy_threshold"))
                .set_health_check_interval_seconds(int32(h, "interval"))
                .set_health_check_timeout_seconds(int32(h, "timeout"))
                .set_health_check_path(opt_str(h, "path"))
                .set_matcher(opt_str(h, "matcher").map(|m| matcher(m, version.as_deref())));
            if kind != "lambda" {
                call = call
                    .set_health_check_port(opt_str(h, "port"))
                    .set_health_check_protocol(opt_str(h, "protocol").map(|p| ProtocolEnum::from(p.as_str())));
            }
        }
        let sent = call.send().boxed().await.map_err(aws_error).and_then(|out| {
            out.target_groups()
                .first()
                .and_then(|tg| tg.target_group_arn())
                .map(str::to_string)
                .ok_or_else(|| ProviderError::new("CreateTargetGroup returned no target group ARN"))
        });
        let find = || async {
            match ctx.elbv2.describe_target_groups().names(&name).send().boxed().await {
                Ok(out) => Ok(out
                    .target_groups()
                    .first()
                    .and_then(|tg| tg.target_group_arn())
                    .map(str::to_string)),
                Err(e) if is_not_found(&e) => Ok(None),
                Err(e) => Err(aws_error(e)),
            }
        };
        let arn = creating
            .settle("CreateTargetGroup", sent, find, |arn| all_tags(ctx, arn))
            .await?;
        modify_attributes(ctx, &arn, attr_changes(&ATTRS, &kind, None, planned)).await?;
        read_one(ctx, &arn, planned).await
    }

    async fn update(&self, ctx: &Ctx, prior: &Value, planned: &Value) -> Result<Value, ProviderError> {
        let arn = req_str(prior, "arn")?;
        let kind = target_type(prior);
        if planned.get("health_check") != prior.get("health_check")
            && let Some(h) = block(planned, "health_check").or_else(|| items(planned, "health_check").first())
        {
            let version = opt_str(planned, "protocol_version");
            let mut call = ctx
                .elbv2
                .modify_target_group()
                .target_group_arn(&arn)
                .set_health_check_enabled(opt_bool(h, "enabled"))
                .set_healthy_threshold_count(int32(h, "healthy_threshold"))
                .set_unhealthy_threshold_count(int32(h, "unhealthy_threshold"))
                .set_health_check_interval_seconds(int32(h, "interval"))
                .set_health_check_timeout_seconds(int32(h, "timeout"))
                .set_health_check_path(opt_str(h, "path"))
                .set_matcher(opt_str(h, "matcher").map(|m| matcher(m, version.as_deref())));
            if kind != "lambda" {
                call = call
                    .set_health_check_port(opt_str(h, "port"))
                    .set_health_check_protocol(opt_str(h, "protocol").map(|p| ProtocolEnum::from(p.as_str())));
            }
            call.send().boxed().await.map_err(aws_error)?;
        }
        modify_attributes(ctx, &arn, attr_changes(&ATTRS, &kind, Some(prior), planned)).await?;
        update_tags(ctx, Tagged::Elbv2(&arn), prior, planned).await?;
        read_one(ctx, &arn, planned).await
    }

    async fn delete(&self, ctx: &Ctx, prior: &Value) -> Result<(), ProviderError> {
        let arn = req_str(prior, "arn")?;
        // A listener or rule being deleted at the same time still holds the group for a moment.
        wait_for(ctx, &format!("target group {arn} to be free of listeners"), || async {
            match ctx
                .elbv2
                .delete_target_group()
                .target_group_arn(&arn)
                .send()
                .boxed()
                .await
            {
                Ok(_) => Ok(Some(())),
                Err(e) if is_not_found(&e) => Ok(Some(())),
                Err(e) if crate::error::code_of(&e) == Some("ResourceInUse") => Ok(None),
                Err(e) => Err(aws_error(e)),
            }
        })
        .await
    }

    async fn read(&self, ctx: &Ctx, states: &[Value]) -> Result<Vec<Option<Value>>, ProviderError> {
        read_many(ctx, states).await
    }

    async fn import(&self, ctx: &Ctx, id: &str) -> Result<Value, ProviderError> {
        read_one(ctx, id, &Value::Null)
            .await
            .map_err(|_| ProviderError::with_code("TargetGroupNotFound", format!("no target group {id}")))
    }
}
