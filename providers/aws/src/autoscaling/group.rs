//! `aws_autoscaling_group`: a group of EC2 instances launched from a launch template (GPU worker
//! pools, inference fleets), with its sizes, subnets or zones, target groups, health checks,
//! metrics, suspended processes and `tag` blocks. Instances are the group's, never Plinth's.
//!
//! Create and update wait for capacity as Terraform does (`wait_for_capacity_timeout`, default
//! 10m; "0" skips): until the group has at least its desired count of healthy InService
//! instances. Destroy with `force_delete` deletes the group and its instances at once; without it
//! the group is first scaled to zero and drained. Either way destroy waits until the group is gone.
//!
//! Refresh: one DescribeAutoScalingGroups per 50 names (pages of 100 groups).

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::sync::LazyLock;

use async_trait::async_trait;
use aws_sdk_autoscaling::types::{AutoScalingGroup, LaunchTemplateSpecification, LifecycleState, Tag};
use futures::FutureExt as _;
use plinth_sdk::plan::same;
use plinth_sdk::{
    Attribute, BlockSchema, Nesting, PlanRequest, PlanResponse, ProviderDiagnostic, ProviderError, Schema, Type, Value,
};

use crate::error::aws_error;
use crate::iam::check_name_prefix;
use crate::idempotent::{Creating, read_tags};
use crate::util::{
    error_at, items, list, list_of_strings, number, opt_bool, opt_i64, opt_str, opt_string, plan_blocks, req_str,
    str_list, string, wait_for, wait_gone, with_defaults, with_generated_name,
};
use crate::{AwsResource, Ctx};

pub struct AutoscalingGroup;

const UNSUPPORTED_HINT: &str = "Plinth manages groups launched from one launch template for now: leave it out, or \
     manage the group's setting with the AWS CLI (aws autoscaling ...) and keep it out of the configuration";

static SCHEMA: LazyLock<Schema> = LazyLock::new(|| {
    let set_of_strings = || Type::Set(Box::new(Type::String));
    let launch_template = Schema::new("The launch template instances are launched from (id or name).")
        .attr(
            "id",
            Attribute::optional_computed(Type::String).describe("The template id. Conflicts with name."),
        )
        .attr(
            "name",
            Attribute::optional_computed(Type::String).describe("The template name. Conflicts with id."),
        )
        .attr(
            "version",
            Attribute::optional_computed(Type::String)
                .describe("A version number, $Latest or $Default (AWS's default)."),
        );
    let tag = Schema::new("A tag of the group, and whether instances launched get it too.")
        .attr("key", Attribute::required(Type::String).describe("The tag key."))
        .attr("value", Attribute::required(Type::String).describe("The tag value."))
        .attr(
            "propagate_at_launch",
            Attribute::required(Type::Bool).describe("Instances launched by the group get the tag."),
        );
    let schema = Schema::new(
        "An EC2 Auto Scaling group: keeps between min_size and max_size instances of a launch template running. \
         Import with the group name.",
    )
    .attr(
        "min_size",
        Attribute::required(Type::Number).describe("The least number of instances."),
    )
    .attr(
        "max_size",
        Attribute::required(Type::Number).describe("The most number of instances."),
    )
    .attr(
        "desired_capacity",
        Attribute::optional_computed(Type::Number)
            .describe("How many instances to run (min_size when left out on create; scaling policies move it)."),
    )
    .attr(
        "desired_capacity_type",
        Attribute::optional(Type::String).describe("units, vcpu or memory-mib (attribute-based instance types)."),
    )
    .attr(
        "vpc_zone_identifier",
        Attribute::optional_computed(set_of_strings())
            .describe("Subnets to launch in. Conflicts with availability_zones."),
    )
    .attr(
        "availability_zones",
        Attribute::optional_computed(set_of_strings())
            .describe("Zones to launch in (their default subnets). Conflicts with vpc_zone_identifier."),
    )
    .attr(
        "target_group_arns",
        Attribute::optional_computed(set_of_strings())
            .describe("Load balancer target groups the instances register with ([] detaches all)."),
    )
    .attr(
        "load_balancers",
        Attribute::optional_computed(set_of_strings()).describe("Classic Load Balancer names ([] detaches all)."),
    )
    .attr(
        "health_check_type",
        Attribute::optional_computed(Type::String).describe("EC2 (AWS's default), ELB, VPC_LATTICE or EBS."),
    )
    .attr(
        "health_check_grace_period",
        Attribute::optional(Type::Number)
            .describe("Seconds after an instance enters service before its health is checked (default 300)."),
    )
    .attr(
        "default_cooldown",
        Attribute::optional_computed(Type::Number).describe("Seconds between scaling activities (AWS: 300)."),
    )
    .attr(
        "default_instance_warmup",
        Attribute::optional(Type::Number).describe("Seconds before a new instance counts in metrics."),
    )
    .attr(
        "termination_policies",
        Attribute::optional_computed(Type::List(Box::new(Type::String)))
            .describe("Which instances go first on scale-in (AWS: Default)."),
    )
    .attr(
        "suspended_processes",
        Attribute::optional(set_of_strings()).describe("Scaling processes to suspend (Launch, Terminate, ...)."),
    )
    .attr(
        "enabled_metrics",
        Attribute::optional(set_of_strings()).describe("Group metrics to collect in CloudWatch."),
    )
    .attr(
        "metrics_granularity",
        Attribute::optional(Type::String).describe("1Minute (the only value, and the default)."),
    )
    .attr(
        "placement_group",
        Attribute::optional(Type::String).describe("The placement group instances go in (cluster GPUs)."),
    )
    .attr(
        "protect_from_scale_in",
        Attribute::optional(Type::Bool).describe("New instances are protected from scale-in (default false)."),
    )
    .attr(
        "capacity_rebalance",
        Attribute::optional(Type::Bool).describe("Replace Spot instances at risk of interruption (default false)."),
    )
    .attr(
        "max_instance_lifetime",
        Attribute::optional_computed(Type::Number).describe("Seconds an instance may serve (0, or 86400 to 31536000)."),
    )
    .attr(
        "service_linked_role_arn",
        Attribute::optional_computed(Type::String).describe("The role the group calls other services as."),
    )
    .attr("context", Attribute::optional(Type::String).describe("Reserved."))
    .attr(
        "force_delete",
        Attribute::optional(Type::Bool).describe(
            "Destroy deletes the group and its instances without draining (default false). Not read from AWS.",
        ),
    )
    .attr(
        "force_delete_warm_pool",
        Attribute::optional(Type::Bool).describe("Destroy deletes the warm pool without waiting. Not read from AWS."),
    )
    .attr(
        "wait_for_capacity_timeout",
        Attribute::optional(Type::String).describe(
            "How long create and update wait for the desired count of healthy instances (default 10m; 0 skips). \
             Not read from AWS.",
        ),
    )
    .attr(
        "ignore_failed_scaling_activities",
        Attribute::optional(Type::Bool).describe(
            "Keep waiting for capacity through failed scaling activities (default false). Not read from AWS.",
        ),
    )
    .attr("id", Attribute::computed(Type::String).describe("The group name."))
    .attr("arn", Attribute::computed(Type::String).describe("The group ARN."))
    .attr(
        "predicted_capacity",
        Attribute::computed(Type::Number).describe("The capacity predictive scaling forecasts."),
    )
    .attr(
        "warm_pool_size",
        Attribute::computed(Type::Number).describe("Instances in the warm pool."),
    )
    .block("launch_template", list(launch_template, 0, Some(1), false))
    .block(
        "tag",
        BlockSchema {
            nesting: Nesting::Set,
            schema: tag,
            min_items: 0,
            max_items: None,
            force_new: false,
        },
    )
    .unsupported_all(
        &["launch_configuration", "min_elb_capacity", "wait_for_elb_capacity"],
        UNSUPPORTED_HINT,
    )
    .unsupported_blocks(
        &[
            "mixed_instances_policy",
            "initial_lifecycle_hook",
            "instance_maintenance_policy",
            "instance_refresh",
            "warm_pool",
            "traffic_source",
            "availability_zone_distribution",
            "capacity_reservation_specification",
        ],
        UNSUPPORTED_HINT,
    );
    with_generated_name(schema, ("name", "name_prefix"), "The group name").identity(&["name"])
});

/// A sorted set of strings for state; null when AWS has none and the prior value is null.
fn set_value(mut v: Vec<String>, prior: &Value) -> Value {
    if v.is_empty() && prior.is_null() {
        return Value::Null;
    }
    v.sort();
    v.dedup();
    list_of_strings(v)
}

fn opt_number(n: Option<i32>) -> Value {
    n.map(number).unwrap_or(Value::Null)
}

fn to_value(g: &AutoScalingGroup, prior: &Value) -> Value {
    let name = g.auto_scaling_group_name().unwrap_or_default();
    let subnets: Vec<String> = g
        .vpc_zone_identifier()
        .unwrap_or_default()
        .split(',')
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_string)
        .collect();
    let template = match g.launch_template() {
        Some(t) => Value::List(vec![Value::object([
            ("id", opt_string(t.launch_template_id())),
            ("name", opt_string(t.launch_template_name())),
            ("version", opt_string(t.version())),
        ])]),
        None => Value::List(vec![]),
    };
    let mut tags: Vec<Value> = g
        .tags()
        .iter()
        .filter(|t| {
            let k = t.key().unwrap_or_default();
            !k.starts_with("aws:") && !k.starts_with(crate::idempotent::PREFIX)
        })
        .map(|t| {
            Value::object([
                ("key", opt_string(t.key())),
                ("value", string(t.value().unwrap_or_default())),
                (
                    "propagate_at_launch",
                    Value::Bool(t.propagate_at_launch().unwrap_or(false)),
                ),
            ])
        })
        .collect();
    tags.sort_by_key(|v| v.to_json().to_string());
    let keep = |k: &str| prior.get(k).clone();
    let flag = |k: &str| Value::Bool(opt_bool(prior, k).unwrap_or(false));
    let granularity = g
        .enabled_metrics()
        .first()
        .and_then(|m| m.granularity())
        .map(string)
        .unwrap_or_else(|| match prior.get("metrics_granularity") {
            Value::Null => string("1Minute"),
            v => v.clone(),
        });
    Value::object([
        ("id", string(name)),
        ("name", string(name)),
        ("name_prefix", keep("name_prefix")),
        ("arn", opt_string(g.auto_scaling_group_arn())),
        ("min_size", opt_number(g.min_size())),
        ("max_size", opt_number(g.max_size())),
        ("desired_capacity", opt_number(g.desired_capacity())),
        ("desired_capacity_type", opt_string(g.desired_capacity_type())),
        (
            "vpc_zone_identifier",
            set_value(subnets, prior.get("vpc_zone_identifier")),
        ),
        (
            "availability_zones",
            set_value(g.availability_zones().to_vec(), prior.get("availability_zones")),
        ),
        (
            "target_group_arns",
            set_value(g.target_group_arns().to_vec(), prior.get("target_group_arns")),
        ),
        (
            "load_balancers",
            set_value(g.load_balancer_names().to_vec(), prior.get("load_balancers")),
        ),
        ("health_check_type", opt_string(g.health_check_type())),
        ("health_check_grace_period", opt_number(g.health_check_grace_period())),
        ("default_cooldown", opt_number(g.default_cooldown())),
        ("default_instance_warmup", opt_number(g.default_instance_warmup())),
        (
            "termination_policies",
            list_of_strings(g.termination_policies().to_vec()),
        ),
        (
            "suspended_processes",
            set_value(
                g.suspended_processes()
                    .iter()
                    .filter_map(|p| p.process_name().map(str::to_string))
                    .collect(),
                prior.get("suspended_processes"),
            ),
        ),
        (
            "enabled_metrics",
            set_value(
                g.enabled_metrics()
                    .iter()
                    .filter_map(|m| m.metric().map(str::to_string))
                    .collect(),
                prior.get("enabled_metrics"),
            ),
        ),
        ("metrics_granularity", granularity),
        ("placement_group", opt_string(g.placement_group())),
        (
            "protect_from_scale_in",
            Value::Bool(g.new_instances_protected_from_scale_in().unwrap_or(false)),
        ),
        (
            "capacity_rebalance",
            Value::Bool(g.capacity_rebalance().unwrap_or(false)),
        ),
        ("max_instance_lifetime", opt_number(g.max_instance_lifetime())),
        ("service_linked_role_arn", opt_string(g.service_linked_role_arn())),
        ("context", opt_string(g.context())),
        ("force_delete", flag("force_delete")),
        ("force_delete_warm_pool", flag("force_delete_warm_pool")),
        (
            "wait_for_capacity_timeout",
            match prior.get("wait_for_capacity_timeout") {
                Value::Null => string("10m"),
                v => v.clone(),
            },
        ),
        (
            "ignore_failed_scaling_activities",
            flag("ignore_failed_scaling_activities"),
        ),
        ("predicted_capacity", opt_number(g.predicted_capacity())),
        ("warm_pool_size", opt_number(g.warm_pool_size())),
        ("launch_template", template),
        ("tag", Value::List(tags)),
    ])
}

/// The groups among `names` that exist, by name: one DescribeAutoScalingGroups per 50 names.
async fn describe(ctx: &Ctx, names: &[String]) -> Result<HashMap<String, AutoScalingGroup>, ProviderError> {
    let mut found = HashMap::new();
    for chunk in names.chunks(50) {
        let mut next = None;
        loop {
            let out = ctx
                .autoscaling
                .describe_auto_scaling_groups()
                .set_auto_scaling_group_names(Some(chunk.to_vec()))
                .max_records(100)
                .set_next_token(next)
                .send()
                .boxed()
                .await
                .map_err(aws_error)?;
            for g in out.auto_scaling_groups() {
                // A group being deleted is gone for Plinth's purposes once deletion started.
                if g.status() == Some("Delete in progress") {
                    continue;
                }
                if let Some(n) = g.auto_scaling_group_name() {
                    found.insert(n.to_string(), g.clone());
                }
            }
            next = out.next_token().map(str::to_string);
            if next.is_none() {
                break;
            }
        }
    }
    Ok(found)
}

/// Whether the group exists at all (also while being deleted).
async fn exists(ctx: &Ctx, name: &str) -> Result<bool, ProviderError> {
    let out = ctx
        .autoscaling
        .describe_auto_scaling_groups()
        .auto_scaling_group_names(name)
        .send()
        .boxed()
        .await
        .map_err(aws_error)?;
    Ok(!out.auto_scaling_groups().is_empty())
}

async fn describe_one(ctx: &Ctx, name: &str) -> Result<AutoScalingGroup, ProviderError> {
    describe(ctx, &[name.to_string()])
        .await?
        .remove(name)
        .ok_or_else(|| ProviderError::with_code("ValidationError", format!("Auto Scaling group {name} disappeared")))
}

fn launch_template_of(v: &Value) -> Option<LaunchTemplateSpecification> {
    let t = items(v, "launch_template").first()?;
    Some(
        LaunchTemplateSpecification::builder()
            .set_launch_template_id(opt_str(t, "id"))
            .set_launch_template_name(if opt_str(t, "id").is_some() {
                None
            } else {
                opt_str(t, "name")
            })
            .set_version(opt_str(t, "version"))
            .build(),
    )
}

fn tags_of(v: &Value) -> BTreeMap<String, (String, bool)> {
    items(v, "tag")
        .iter()
        .filter_map(|t| {
            Some((
                opt_str(t, "key")?,
                (
                    t.get("value").as_str().unwrap_or_default().to_string(),
                    opt_bool(t, "propagate_at_launch").unwrap_or(false),
                ),
            ))
        })
        .collect()
}

fn asg_tag(name: &str, key: &str, value: Option<(&str, bool)>) -> Tag {
    let b = Tag::builder()
        .resource_id(name)
        .resource_type("auto-scaling-group")
        .key(key);
    match value {
        Some((v, p)) => b.value(v).propagate_at_launch(p).build(),
        None => b.build(),
    }
}

fn set_diff(prior: &Value, planned: &Value, key: &str) -> (Vec<String>, Vec<String>) {
    let have: BTreeSet<String> = str_list(prior, key).into_iter().collect();
    let want: BTreeSet<String> = str_list(planned, key).into_iter().collect();
    (
        want.difference(&have).cloned().collect(),
        have.difference(&want).cloned().collect(),
    )
}

/// `wait_for_capacity_timeout` as a duration; "0" (no unit) turns the wait off, as in Terraform.
fn capacity_timeout(text: &str) -> Option<std::time::Duration> {
    if text.trim() == "0" {
        return Some(std::time::Duration::ZERO);
    }
    plinth_sdk::timeouts::parse_duration(text)
}

/// Waits, as Terraform does, until the group has at least its desired capacity (min_size when
/// none) of healthy InService instances; `wait_for_capacity_timeout` "0" skips the wait.
async fn wait_for_capacity(ctx: &Ctx, name: &str, planned: &Value) -> Result<(), ProviderError> {
    let limit = opt_str(planned, "wait_for_capacity_timeout").unwrap_or_else(|| "10m".into());
    let Some(limit) = capacity_timeout(&limit) else {
        return Err(ProviderError::with_code(
            "InvalidParameterValue",
            format!("wait_for_capacity_timeout {limit:?} is not a duration such as \"10m\""),
        ));
    };
    if limit.is_zero() {
        return Ok(());
    }
    let start = std::time::Instant::now();
    wait_for(ctx, &format!("Auto Scaling group {name} to reach its capacity"), || async {
        let g = describe_one(ctx, name).await?;
        let want = g.desired_capacity().or(g.min_size()).unwrap_or(0);
        let ready = g
            .instances()
            .iter()
            .filter(|i| {
                i.lifecycle_state() == Some(&LifecycleState::InService)
                    && i.health_status().is_none_or(|h| h.eq_ignore_ascii_case("healthy"))
            })
            .count();
        if ready >= usize::try_from(want).unwrap_or(0) {
            return Ok(Some(()));
        }
        if start.elapsed() >= limit {
            return Err(ProviderError::with_code(
                "WaitTimeout",
                format!(
                    "Auto Scaling group {name} has {ready} of {want} healthy instances after wait_for_capacity_timeout \
                     ({})",
                    plinth_sdk::timeouts::show(limit)
                ),
            ));
        }
        Ok(None)
    })
    .await
}

#[async_trait]
impl AwsResource for AutoscalingGroup {
    fn type_name(&self) -> &'static str {
        "aws_autoscaling_group"
    }

    fn schema(&self) -> &Schema {
        &SCHEMA
    }

    fn validate(&self, config: &Value) -> Vec<ProviderDiagnostic> {
        let mut out = check_name_prefix(config);
        if !config.get("vpc_zone_identifier").is_null() && !config.get("availability_zones").is_null() {
            out.push(error_at(
                "availability_zones",
                "Conflicting arguments",
                "availability_zones and vpc_zone_identifier cannot both be set",
            ));
        }
        for (i, t) in items(config, "launch_template").iter().enumerate() {
            if !t.get("id").is_null() && !t.get("name").is_null() {
                out.push(error_at(
                    &format!("launch_template[{i}].name"),
                    "Conflicting arguments",
                    "set id or name, not both",
                ));
            }
        }
        if let Some(t) = config.get("wait_for_capacity_timeout").as_str()
            && capacity_timeout(t).is_none()
        {
            out.push(error_at(
                "wait_for_capacity_timeout",
                "Invalid wait_for_capacity_timeout",
                format!("{t:?}: a duration such as \"10m\", or \"0\" to skip the wait"),
            ));
        }
        if let (Some(min), Some(max)) = (opt_i64(config, "min_size"), opt_i64(config, "max_size"))
            && min > max
        {
            out.push(error_at(
                "min_size",
                "Invalid min_size",
                format!("min_size {min} is larger than max_size {max}"),
            ));
        }
        out
    }

    fn plan(&self, _ctx: &Ctx, req: &PlanRequest) -> PlanResponse {
        let config = with_defaults(
            &req.config,
            &[
                ("health_check_grace_period", Value::int(300)),
                ("metrics_granularity", Value::string("1Minute")),
                ("protect_from_scale_in", Value::Bool(false)),
                ("capacity_rebalance", Value::Bool(false)),
                ("force_delete", Value::Bool(false)),
                ("force_delete_warm_pool", Value::Bool(false)),
                ("wait_for_capacity_timeout", Value::string("10m")),
                ("ignore_failed_scaling_activities", Value::Bool(false)),
            ],
        );
        let req = PlanRequest { config, ..req.clone() };
        plan_blocks(&SCHEMA, &req)
    }

    async fn create(&self, ctx: &Ctx, planned: &Value) -> Result<Value, ProviderError> {
        self.create_as(ctx, planned, &Creating::default()).await
    }

    /// Safe to repeat after a crash (see `docs/reliability.md`): the bookkeeping tags ride on
    /// CreateAutoScalingGroup (not propagated to instances), a generated name is derived from
    /// the planned change, and a group answered AlreadyExists is adopted when its tags name this
    /// address and state; its suspended processes and metrics are then set again (both
    /// idempotent).
    async fn create_as(&self, ctx: &Ctx, planned: &Value, creating: &Creating) -> Result<Value, ProviderError> {
        let name = creating.name(planned, "name", "name_prefix", "plinth-");
        let subnets = str_list(planned, "vpc_zone_identifier");
        let azs = str_list(planned, "availability_zones");
        let tgs = str_list(planned, "target_group_arns");
        let lbs = str_list(planned, "load_balancers");
        let policies = str_list(planned, "termination_policies");
        let tags: Vec<Tag> = tags_of(planned)
            .iter()
            .map(|(k, (v, p))| asg_tag(&name, k, Some((v, *p))))
            .chain(creating.tags().iter().map(|(k, v)| asg_tag(&name, k, Some((v, false)))))
            .collect();
        let sent = ctx
            .autoscaling
            .create_auto_scaling_group()
            .auto_scaling_group_name(&name)
            .set_min_size(opt_i64(planned, "min_size").map(|n| n as i32))
            .set_max_size(opt_i64(planned, "max_size").map(|n| n as i32))
            .set_desired_capacity(opt_i64(planned, "desired_capacity").map(|n| n as i32))
            .set_desired_capacity_type(opt_str(planned, "desired_capacity_type"))
            .set_launch_template(launch_template_of(planned))
            .set_vpc_zone_identifier((!subnets.is_empty()).then(|| subnets.join(",")))
            .set_availability_zones((!azs.is_empty()).then_some(azs))
            .set_target_group_arns((!tgs.is_empty()).then_some(tgs))
            .set_load_balancer_names((!lbs.is_empty()).then_some(lbs))
            .set_health_check_type(opt_str(planned, "health_check_type"))
            .set_health_check_grace_period(opt_i64(planned, "health_check_grace_period").map(|n| n as i32))
            .set_default_cooldown(opt_i64(planned, "default_cooldown").map(|n| n as i32))
            .set_default_instance_warmup(opt_i64(planned, "default_instance_warmup").map(|n| n as i32))
            .set_termination_policies((!policies.is_empty()).then_some(policies))
            .set_placement_group(opt_str(planned, "placement_group"))
            .set_new_instances_protected_from_scale_in(opt_bool(planned, "protect_from_scale_in"))
            .set_capacity_rebalance(opt_bool(planned, "capacity_rebalance"))
            .set_max_instance_lifetime(opt_i64(planned, "max_instance_lifetime").map(|n| n as i32))
            .set_service_linked_role_arn(opt_str(planned, "service_linked_role_arn"))
            .set_context(opt_str(planned, "context"))
            .set_tags((!tags.is_empty()).then_some(tags))
            .send()
            .boxed()
            .await
            .map(|_| ())
            .map_err(aws_error);
        creating
            .adopt(&name, sent, || async {
                let group = describe(ctx, std::slice::from_ref(&name)).await?.remove(&name);
                Ok(group.map(|g| read_tags(g.tags().iter().map(|t| (t.key(), t.value())))))
            })
            .await?;
        let suspended = str_list(planned, "suspended_processes");
        if !suspended.is_empty() {
            ctx.autoscaling
                .suspend_processes()
                .auto_scaling_group_name(&name)
                .set_scaling_processes(Some(suspended))
                .send()
                .boxed()
                .await
                .map_err(aws_error)?;
        }
        let metrics = str_list(planned, "enabled_metrics");
        if !metrics.is_empty() {
            ctx.autoscaling
                .enable_metrics_collection()
                .auto_scaling_group_name(&name)
                .set_metrics(Some(metrics))
                .granularity(opt_str(planned, "metrics_granularity").unwrap_or_else(|| "1Minute".into()))
                .send()
                .boxed()
                .await
                .map_err(aws_error)?;
        }
        wait_for_capacity(ctx, &name, planned).await?;
        Ok(to_value(&describe_one(ctx, &name).await?, planned))
    }

    async fn update(&self, ctx: &Ctx, prior: &Value, planned: &Value) -> Result<Value, ProviderError> {
        let name = req_str(prior, "name")?;
        let changed = |k: &str| !same(prior.get(k), planned.get(k));
        let group_settings = [
            "min_size",
            "max_size",
            "desired_capacity",
            "desired_capacity_type",
            "launch_template",
            "vpc_zone_identifier",
            "availability_zones",
            "health_check_type",
            "health_check_grace_period",
            "default_cooldown",
            "default_instance_warmup",
            "termination_policies",
            "placement_group",
            "protect_from_scale_in",
            "capacity_rebalance",
            "max_instance_lifetime",
            "service_linked_role_arn",
            "context",
        ];
        if group_settings.iter().any(|k| changed(k)) {
            let mut call = ctx
                .autoscaling
                .update_auto_scaling_group()
                .auto_scaling_group_name(&name)
                .set_min_size(opt_i64(planned, "min_size").map(|n| n as i32))
                .set_max_size(opt_i64(planned, "max_size").map(|n| n as i32))
                .set_new_instances_protected_from_scale_in(opt_bool(planned, "protect_from_scale_in"))
                .set_capacity_rebalance(opt_bool(planned, "capacity_rebalance"));
            if changed("desired_capacity") {
                call = call.set_desired_capacity(opt_i64(planned, "desired_capacity").map(|n| n as i32));
            }
            if changed("desired_capacity_type") {
                call = call.set_desired_capacity_type(opt_str(planned, "desired_capacity_type"));
            }
            if changed("launch_template") {
                call = call.set_launch_template(launch_template_of(planned));
            }
            if changed("vpc_zone_identifier") {
                let subnets = str_list(planned, "vpc_zone_identifier");
                call = call.set_vpc_zone_identifier((!subnets.is_empty()).then(|| subnets.join(",")));
            }
            if changed("availability_zones") {
                let azs = str_list(planned, "availability_zones");
                call = call.set_availability_zones((!azs.is_empty()).then_some(azs));
            }
            if changed("health_check_type") {
                call = call.set_health_check_type(opt_str(planned, "health_check_type"));
            }
            if changed("health_check_grace_period") {
                call =
                    call.set_health_check_grace_period(opt_i64(planned, "health_check_grace_period").map(|n| n as i32));
            }
            if changed("default_cooldown") {
                call = call.set_default_cooldown(opt_i64(planned, "default_cooldown").map(|n| n as i32));
            }
            if changed("default_instance_warmup") {
                call = call.set_default_instance_warmup(opt_i64(planned, "default_instance_warmup").map(|n| n as i32));
            }
            if changed("termination_policies") {
                call = call.set_termination_policies(Some(str_list(planned, "termination_policies")));
            }
            if changed("placement_group") {
                call = call.set_placement_group(opt_str(planned, "placement_group"));
            }
            if changed("max_instance_lifetime") {
                call = call.set_max_instance_lifetime(opt_i64(planned, "max_instance_lifetime").map(|n| n as i32));
            }
            if changed("service_linked_role_arn") {
                call = call.set_service_linked_role_arn(opt_str(planned, "service_linked_role_arn"));
            }
            if changed("context") {
                call = call.set_context(opt_str(planned, "context"));
            }
            call.send().boxed().await.map_err(aws_error)?;
        }
        let (attach, detach) = set_diff(prior, planned, "target_group_arns");
        if !attach.is_empty() {
            ctx.autoscaling
                .attach_load_balancer_target_groups()
                .auto_scaling_group_name(&name)
                .set_target_group_arns(Some(attach))
                .send()
                .boxed()
                .await
                .map_err(aws_error)?;
        }
        if !detach.is_empty() && !planned.get("target_group_arns").is_unknown() {
            ctx.autoscaling
                .detach_load_balancer_target_groups()
                .auto_scaling_group_name(&name)
                .set_target_group_arns(Some(detach))
                .send()
                .boxed()
                .await
                .map_err(aws_error)?;
        }
        let (attach, detach) = set_diff(prior, planned, "load_balancers");
        if !attach.is_empty() {
            ctx.autoscaling
                .attach_load_balancers()
                .auto_scaling_group_name(&name)
                .set_load_balancer_names(Some(attach))
                .send()
                .boxed()
                .await
                .map_err(aws_error)?;
        }
        if !detach.is_empty() {
            ctx.autoscaling
                .detach_load_balancers()
                .auto_scaling_group_name(&name)
                .set_load_balancer_names(Some(detach))
                .send()
                .boxed()
                .await
                .map_err(aws_error)?;
        }
        let (suspend, resume) = set_diff(prior, planned, "suspended_processes");
        if !resume.is_empty() {
            ctx.autoscaling
                .resume_processes()
                .auto_scaling_group_name(&name)
                .set_scaling_processes(Some(resume))
                .send()
                .boxed()
                .await
                .map_err(aws_error)?;
        }
        if !suspend.is_empty() {
            ctx.autoscaling
                .suspend_processes()
                .auto_scaling_group_name(&name)
                .set_scaling_processes(Some(suspend))
                .send()
                .boxed()
                .await
                .map_err(aws_error)?;
        }
        let (enable, disable) = set_diff(prior, planned, "enabled_metrics");
        if !disable.is_empty() {
            ctx.autoscaling
                .disable_metrics_collection()
                .auto_scaling_group_name(&name)
                .set_metrics(Some(disable))
                .send()
                .boxed()
                .await
                .map_err(aws_error)?;
        }
        if !enable.is_empty() {
            ctx.autoscaling
                .enable_metrics_collection()
                .auto_scaling_group_name(&name)
                .set_metrics(Some(enable))
                .granularity(opt_str(planned, "metrics_granularity").unwrap_or_else(|| "1Minute".into()))
                .send()
                .boxed()
                .await
                .map_err(aws_error)?;
        }
        let (have, want) = (tags_of(prior), tags_of(planned));
        let gone: Vec<Tag> = have
            .keys()
            .filter(|k| !want.contains_key(*k))
            .map(|k| asg_tag(&name, k, None))
            .collect();
        if !gone.is_empty() {
            ctx.autoscaling
                .delete_tags()
                .set_tags(Some(gone))
                .send()
                .boxed()
                .await
                .map_err(aws_error)?;
        }
        let set: Vec<Tag> = want
            .iter()
            .filter(|(k, v)| have.get(*k) != Some(v))
            .map(|(k, (v, p))| asg_tag(&name, k, Some((v, *p))))
            .collect();
        if !set.is_empty() {
            ctx.autoscaling
                .create_or_update_tags()
                .set_tags(Some(set))
                .send()
                .boxed()
                .await
                .map_err(aws_error)?;
        }
        if changed("min_size") || changed("desired_capacity") {
            wait_for_capacity(ctx, &name, planned).await?;
        }
        Ok(to_value(&describe_one(ctx, &name).await?, planned))
    }

    async fn delete(&self, ctx: &Ctx, prior: &Value) -> Result<(), ProviderError> {
        let name = req_str(prior, "name")?;
        let Some(live) = describe(ctx, std::slice::from_ref(&name)).await?.remove(&name) else {
            return Ok(());
        };
        let force = opt_bool(prior, "force_delete") == Some(true);
        if !force && !live.instances().is_empty() {
            // Drain first, as Terraform does without force_delete: scale to zero and wait until
            // every instance has terminated.
            ctx.autoscaling
                .update_auto_scaling_group()
                .auto_scaling_group_name(&name)
                .min_size(0)
                .max_size(0)
                .desired_capacity(0)
                .send()
                .boxed()
                .await
                .map_err(aws_error)?;
            wait_for(
                ctx,
                &format!("Auto Scaling group {name} to drain its instances"),
                || async {
                    let left = describe(ctx, std::slice::from_ref(&name))
                        .await?
                        .remove(&name)
                        .map(|g| g.instances().len())
                        .unwrap_or(0);
                    Ok((left == 0).then_some(()))
                },
            )
            .await?;
        }
        // Scaling activities still finishing make AWS refuse the delete for a while.
        wait_for(
            ctx,
            &format!("Auto Scaling group {name} to accept deletion"),
            || async {
                match ctx
                    .autoscaling
                    .delete_auto_scaling_group()
                    .auto_scaling_group_name(&name)
                    .force_delete(force)
                    .send()
                    .boxed()
                    .await
                {
                    Ok(_) => Ok(Some(())),
                    Err(e) => {
                        let e = aws_error(e);
                        match e.code.as_deref() {
                            Some("ResourceInUse" | "ScalingActivityInProgress") => Ok(None),
                            Some("ValidationError") if e.message.contains("not found") => Ok(Some(())),
                            _ => Err(e),
                        }
                    }
                }
            },
        )
        .await?;
        wait_gone(ctx, &format!("Auto Scaling group {name}"), || exists(ctx, &name)).await
    }

    async fn read(&self, ctx: &Ctx, states: &[Value]) -> Result<Vec<Option<Value>>, ProviderError> {
        let names: Vec<String> = states.iter().filter_map(|s| opt_str(s, "name")).collect();
        let found = describe(ctx, &names).await?;
        Ok(states
            .iter()
            .map(|s| found.get(&opt_str(s, "name")?).map(|g| to_value(g, s)))
            .collect())
    }

    async fn import(&self, ctx: &Ctx, id: &str) -> Result<Value, ProviderError> {
        let g = describe(ctx, &[id.to_string()])
            .await?
            .remove(id)
            .ok_or_else(|| ProviderError::with_code("ValidationError", format!("no Auto Scaling group {id}")))?;
        Ok(to_value(&g, &Value::Null))
    }
}
