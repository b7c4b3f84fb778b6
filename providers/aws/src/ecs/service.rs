//! `aws_ecs_service`: a long-running service of one task definition on a cluster (a model server,
//! a feature-serving API), with its count, launch type, awsvpc network and load balancers.
//! Changes go through UpdateService in place, as in Terraform; destroy scales a replica service
//! to zero (unless `force_delete`), deletes it and waits until it is INACTIVE.
//!
//! Refresh: one DescribeServices per cluster and 10 services (the API's limit), tags included.
//! `wait_for_steady_state` is honoured: create and update wait until the service has one
//! deployment and runs its desired count.

use std::collections::{BTreeMap, HashMap};
use std::sync::LazyLock;

use async_trait::async_trait;
use aws_sdk_ecs::types::{
    AssignPublicIp, AvailabilityZoneRebalancing, AwsVpcConfiguration, DeploymentConfiguration, LaunchType,
    LoadBalancer, NetworkConfiguration, PropagateTags, SchedulingStrategy, Service, ServiceField,
};
use futures::FutureExt as _;
use plinth_sdk::{
    Attribute, BlockSchema, Nesting, PlanRequest, PlanResponse, ProviderDiagnostic, ProviderError, Schema, Type, Value,
};

use super::{all_tags, cluster_name, ecs_tags, tags_of};
use crate::error::aws_error;
use crate::idempotent::Creating;
use crate::tags::{Tagged, plan_tags_all, tag_values, update_tags, with_tags};
use crate::util::{
    error_at, items, list, list_of_strings, number, one_of, opt_bool, opt_i64, opt_str, opt_string, plan_blocks,
    req_str, str_list, string, wait_for, wait_gone, with_defaults,
};
use crate::{AwsResource, Ctx};

pub struct EcsService;

static SCHEMA: LazyLock<Schema> = LazyLock::new(|| {
    let set_of_strings = || Type::Set(Box::new(Type::String));
    let network = Schema::new("The awsvpc network of the tasks (required for awsvpc task definitions).")
        .attr(
            "subnets",
            Attribute::required(set_of_strings()).describe("Subnets the tasks' network interfaces go in."),
        )
        .attr(
            "security_groups",
            Attribute::optional(set_of_strings())
                .describe("Security groups of the tasks (the VPC's default when left out)."),
        )
        .attr(
            "assign_public_ip",
            Attribute::optional(Type::Bool).describe("Give each task a public IP (Fargate only; default false)."),
        );
    let load_balancer = Schema::new("A load balancer target the service registers its tasks with.")
        .attr(
            "target_group_arn",
            Attribute::optional(Type::String).describe("The target group (ALB or NLB)."),
        )
        .attr(
            "elb_name",
            Attribute::optional(Type::String).describe("A Classic Load Balancer's name."),
        )
        .attr(
            "container_name",
            Attribute::required(Type::String).describe("The container to register."),
        )
        .attr(
            "container_port",
            Attribute::required(Type::Number).describe("The container port to register."),
        )
        .unsupported_block(
            "advanced_configuration",
            "Plinth does not manage blue/green load balancer settings yet: leave the block out",
        );
    let schema = Schema::new(
        "An ECS service: keeps a number of tasks of one task definition running on a cluster. Import with \
         CLUSTER_NAME/SERVICE_NAME.",
    )
    .attr(
        "name",
        Attribute::required(Type::String)
            .force_new()
            .describe("The service name (up to 255 letters, digits, hyphens and underscores)."),
    )
    .attr(
        "cluster",
        Attribute::optional_computed(Type::String)
            .force_new()
            .describe("The cluster's ARN (the `default` cluster when left out)."),
    )
    .attr(
        "task_definition",
        Attribute::optional(Type::String)
            .describe("FAMILY:REVISION or the ARN of the task definition to run (the latest ACTIVE with FAMILY)."),
    )
    .attr(
        "desired_count",
        Attribute::optional(Type::Number).describe("How many tasks to keep running (default 0; none with DAEMON)."),
    )
    .attr(
        "launch_type",
        Attribute::optional_computed(Type::String)
            .force_new()
            .describe("EC2 (AWS's default), FARGATE, EXTERNAL or MANAGED_INSTANCES."),
    )
    .attr(
        "platform_version",
        Attribute::optional_computed(Type::String).describe("The Fargate platform version (LATEST by default)."),
    )
    .attr(
        "scheduling_strategy",
        Attribute::optional(Type::String)
            .force_new()
            .describe("REPLICA (default) or DAEMON."),
    )
    .attr(
        "deployment_maximum_percent",
        Attribute::optional(Type::Number).describe("Upper limit of running tasks during a deployment (default 200)."),
    )
    .attr(
        "deployment_minimum_healthy_percent",
        Attribute::optional(Type::Number).describe("Lower limit of healthy tasks during a deployment (default 100)."),
    )
    .attr(
        "health_check_grace_period_seconds",
        Attribute::optional(Type::Number)
            .describe("Seconds to ignore failing load balancer health checks of new tasks."),
    )
    .attr(
        "iam_role",
        Attribute::optional_computed(Type::String)
            .force_new()
            .describe("The role ECS calls the load balancer as (not with awsvpc; the service-linked role by default)."),
    )
    .attr(
        "enable_ecs_managed_tags",
        Attribute::optional(Type::Bool).describe("ECS tags the tasks with the cluster and service (default false)."),
    )
    .attr(
        "enable_execute_command",
        Attribute::optional(Type::Bool).describe("Allow ECS Exec into the tasks (default false)."),
    )
    .attr(
        "propagate_tags",
        Attribute::optional(Type::String).describe("SERVICE, TASK_DEFINITION or NONE: whose tags the tasks get."),
    )
    .attr(
        "availability_zone_rebalancing",
        Attribute::optional_computed(Type::String).describe("ENABLED or DISABLED."),
    )
    .attr(
        "force_delete",
        Attribute::optional(Type::Bool)
            .describe("Destroy deletes the service without scaling it to zero first. Not read from AWS."),
    )
    .attr(
        "force_new_deployment",
        Attribute::optional(Type::Bool)
            .describe("Every update starts a new deployment (same image tag, new platform). Not read from AWS."),
    )
    .attr(
        "wait_for_steady_state",
        Attribute::optional(Type::Bool).describe(
            "Create and update wait until the service runs its desired count in one deployment (default false). \
             Not read from AWS.",
        ),
    )
    .attr(
        "triggers",
        Attribute::optional(Type::Map(Box::new(Type::String)))
            .describe("Arbitrary values; a change redeploys the service in place. Not read from AWS."),
    )
    .attr("id", Attribute::computed(Type::String).describe("The service ARN."))
    .attr("arn", Attribute::computed(Type::String).describe("The service ARN."))
    .block("network_configuration", list(network, 0, Some(1), false))
    .block(
        "load_balancer",
        BlockSchema {
            nesting: Nesting::Set,
            schema: load_balancer,
            min_items: 0,
            max_items: None,
            force_new: false,
        },
    )
    .unsupported(
        "sigint_rollback",
        "Plinth does not manage blue/green deployments yet: leave it out",
    )
    .unsupported_blocks(
        &[
            "alarms",
            "capacity_provider_strategy",
            "deployment_circuit_breaker",
            "deployment_configuration",
            "deployment_controller",
            "ordered_placement_strategy",
            "placement_constraints",
            "service_connect_configuration",
            "service_registries",
            "volume_configuration",
            "vpc_lattice_configurations",
        ],
        "Plinth manages services with the rolling ECS deployment, a launch type, an awsvpc network and load \
         balancers for now: leave the block out, or set it with the AWS CLI (aws ecs update-service) and keep it \
         out of the configuration",
    );
    with_tags(schema).identity(&["cluster", "name"])
});

fn set_value(mut v: Vec<String>) -> Value {
    v.sort();
    v.dedup();
    list_of_strings(v)
}

fn network_value(s: &Service) -> Value {
    let Some(vpc) = s.network_configuration().and_then(|n| n.awsvpc_configuration()) else {
        return Value::List(vec![]);
    };
    let groups = vpc.security_groups().to_vec();
    Value::List(vec![Value::object([
        ("subnets", set_value(vpc.subnets().to_vec())),
        (
            "security_groups",
            if groups.is_empty() {
                Value::Null
            } else {
                set_value(groups)
            },
        ),
        (
            "assign_public_ip",
            Value::Bool(vpc.assign_public_ip() == Some(&AssignPublicIp::Enabled)),
        ),
    ])])
}

fn load_balancers_value(s: &Service) -> Value {
    let mut out: Vec<Value> = s
        .load_balancers()
        .iter()
        .map(|lb| {
            Value::object([
                ("target_group_arn", opt_string(lb.target_group_arn())),
                ("elb_name", opt_string(lb.load_balancer_name())),
                ("container_name", opt_string(lb.container_name())),
                ("container_port", lb.container_port().map(number).unwrap_or(Value::Null)),
            ])
        })
        .collect();
    out.sort_by_key(|v| v.to_json().to_string());
    Value::List(out)
}

fn to_value(ctx: &Ctx, s: &Service, prior: &Value) -> Value {
    let arn = s.service_arn().unwrap_or_default();
    let (tags, tags_all) = tag_values(ctx, &tags_of(s.tags()), prior);
    let deploy = s.deployment_configuration();
    let keep = |k: &str| prior.get(k).clone();
    let flag = |k: &str| Value::Bool(opt_bool(prior, k).unwrap_or(false));
    let strategy = s.scheduling_strategy().map(|x| x.as_str()).unwrap_or("REPLICA");
    let propagate = match (s.propagate_tags().map(|p| p.as_str()), prior.get("propagate_tags")) {
        // AWS reports NONE for "not set".
        (Some("NONE") | None, Value::Null) => Value::Null,
        (p, _) => opt_string(p),
    };
    Value::object([
        ("id", string(arn)),
        ("arn", string(arn)),
        ("name", opt_string(s.service_name())),
        ("cluster", opt_string(s.cluster_arn())),
        ("task_definition", task_definition_value(s.task_definition(), prior)),
        (
            "desired_count",
            if strategy == "DAEMON" {
                keep("desired_count")
            } else {
                number(s.desired_count())
            },
        ),
        ("launch_type", opt_string(s.launch_type().map(|l| l.as_str()))),
        ("platform_version", opt_string(s.platform_version())),
        ("scheduling_strategy", string(strategy)),
        // Kept from the prior state when AWS reports no deployment configuration (emulators).
        (
            "deployment_maximum_percent",
            match deploy {
                Some(d) => d.maximum_percent().map(number).unwrap_or(Value::Null),
                None => keep("deployment_maximum_percent"),
            },
        ),
        (
            "deployment_minimum_healthy_percent",
            match deploy {
                Some(d) => d.minimum_healthy_percent().map(number).unwrap_or(Value::Null),
                None => keep("deployment_minimum_healthy_percent"),
            },
        ),
        (
            "health_check_grace_period_seconds",
            s.health_check_grace_period_seconds().map(number).unwrap_or(Value::Null),
        ),
        ("iam_role", opt_string(s.role_arn())),
        ("enable_ecs_managed_tags", Value::Bool(s.enable_ecs_managed_tags())),
        ("enable_execute_command", Value::Bool(s.enable_execute_command())),
        ("propagate_tags", propagate),
        (
            "availability_zone_rebalancing",
            opt_string(s.availability_zone_rebalancing().map(|a| a.as_str())),
        ),
        ("force_delete", flag("force_delete")),
        ("force_new_deployment", flag("force_new_deployment")),
        ("wait_for_steady_state", flag("wait_for_steady_state")),
        ("triggers", keep("triggers")),
        ("network_configuration", network_value(s)),
        ("load_balancer", load_balancers_value(s)),
        ("tags", tags),
        ("tags_all", tags_all),
    ])
}

/// The task definition for state: the configured FAMILY or FAMILY:REVISION when the service runs
/// that revision (AWS reports the full ARN), else the ARN.
fn task_definition_value(live: Option<&str>, prior: &Value) -> Value {
    let Some(live) = live else { return Value::Null };
    let Some(mine) = prior.get("task_definition").as_str() else {
        return string(live);
    };
    let family_rev = live.rsplit_once("task-definition/").map(|(_, f)| f).unwrap_or(live);
    let family = family_rev.split(':').next().unwrap_or(family_rev);
    if mine == live || mine == family_rev || mine == family {
        string(mine)
    } else {
        string(live)
    }
}

/// The services named by (cluster, name or ARN) pairs that exist and are not INACTIVE, under
/// their pair: one DescribeServices per cluster and 10 services.
async fn describe(ctx: &Ctx, wanted: &[(String, String)]) -> Result<HashMap<(String, String), Service>, ProviderError> {
    let mut by_cluster: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
    for (c, s) in wanted {
        by_cluster.entry(c.as_str()).or_default().push(s.as_str());
    }
    let mut found = HashMap::new();
    for (cluster, names) in by_cluster {
        for chunk in names.chunks(10) {
            let out = match ctx
                .ecs
                .describe_services()
                .cluster(cluster)
                .set_services(Some(chunk.iter().map(|s| s.to_string()).collect()))
                .include(ServiceField::Tags)
                .send()
                .boxed()
                .await
            {
                Ok(out) => out,
                Err(e) => {
                    let e = aws_error(e);
                    if e.code.as_deref() == Some("ClusterNotFoundException") {
                        continue;
                    }
                    return Err(e);
                }
            };
            for s in out.services() {
                if s.status() == Some("INACTIVE") {
                    continue;
                }
                for name in chunk {
                    if s.service_arn() == Some(*name) || s.service_name() == Some(*name) {
                        found.insert((cluster.to_string(), name.to_string()), s.clone());
                    }
                }
            }
        }
    }
    Ok(found)
}

async fn describe_one(ctx: &Ctx, cluster: &str, name: &str) -> Result<Option<Service>, ProviderError> {
    let key = (cluster.to_string(), name.to_string());
    Ok(describe(ctx, std::slice::from_ref(&key)).await?.remove(&key))
}

/// The cluster to call with: the state's or configuration's, else `default`.
fn cluster_of(v: &Value) -> String {
    opt_str(v, "cluster").unwrap_or_else(|| "default".to_string())
}

fn network_of(v: &Value) -> Result<Option<NetworkConfiguration>, ProviderError> {
    let Some(n) = items(v, "network_configuration").first() else {
        return Ok(None);
    };
    let groups = str_list(n, "security_groups");
    let vpc = AwsVpcConfiguration::builder()
        .set_subnets(Some(str_list(n, "subnets")))
        .set_security_groups((!groups.is_empty()).then_some(groups))
        .assign_public_ip(if opt_bool(n, "assign_public_ip") == Some(true) {
            AssignPublicIp::Enabled
        } else {
            AssignPublicIp::Disabled
        })
        .build()
        .map_err(|e| ProviderError::new(format!("network_configuration: {e}")))?;
    Ok(Some(NetworkConfiguration::builder().awsvpc_configuration(vpc).build()))
}

fn load_balancers_of(v: &Value) -> Vec<LoadBalancer> {
    items(v, "load_balancer")
        .iter()
        .map(|lb| {
            LoadBalancer::builder()
                .set_target_group_arn(opt_str(lb, "target_group_arn"))
                .set_load_balancer_name(opt_str(lb, "elb_name"))
                .set_container_name(opt_str(lb, "container_name"))
                .set_container_port(opt_i64(lb, "container_port").map(|p| p as i32))
                .build()
        })
        .collect()
}

fn deployment_of(v: &Value) -> DeploymentConfiguration {
    DeploymentConfiguration::builder()
        .set_maximum_percent(opt_i64(v, "deployment_maximum_percent").map(|n| n as i32))
        .set_minimum_healthy_percent(opt_i64(v, "deployment_minimum_healthy_percent").map(|n| n as i32))
        .build()
}

fn is_daemon(v: &Value) -> bool {
    opt_str(v, "scheduling_strategy").as_deref() == Some("DAEMON")
}

/// Waits until the service is ACTIVE (and, with `wait_for_steady_state`, runs its desired count
/// in one deployment); returns it.
async fn wait_ready(ctx: &Ctx, cluster: &str, arn: &str, planned: &Value) -> Result<Service, ProviderError> {
    let steady = opt_bool(planned, "wait_for_steady_state") == Some(true);
    let what = if steady {
        format!("ECS service {arn} to reach a steady state")
    } else {
        format!("ECS service {arn} to be ACTIVE")
    };
    wait_for(ctx, &what, || async {
        let Some(s) = describe_one(ctx, cluster, arn).await? else {
            return Err(ProviderError::with_code(
                "ServiceNotFoundException",
                format!("ECS service {arn} disappeared"),
            ));
        };
        let active = s.status() == Some("ACTIVE");
        let stable = s.deployments().len() == 1 && s.running_count() == s.desired_count();
        Ok((active && (!steady || stable)).then_some(s))
    })
    .await
}

#[async_trait]
impl AwsResource for EcsService {
    fn type_name(&self) -> &'static str {
        "aws_ecs_service"
    }

    fn schema(&self) -> &Schema {
        &SCHEMA
    }

    fn validate(&self, config: &Value) -> Vec<ProviderDiagnostic> {
        let mut out = Vec::new();
        out.extend(one_of(
            config.get("launch_type"),
            "launch_type",
            &["EC2", "FARGATE", "EXTERNAL", "MANAGED_INSTANCES"],
        ));
        out.extend(one_of(
            config.get("scheduling_strategy"),
            "scheduling_strategy",
            &["REPLICA", "DAEMON"],
        ));
        out.extend(one_of(
            config.get("propagate_tags"),
            "propagate_tags",
            &["SERVICE", "TASK_DEFINITION", "NONE"],
        ));
        out.extend(one_of(
            config.get("availability_zone_rebalancing"),
            "availability_zone_rebalancing",
            &["ENABLED", "DISABLED"],
        ));
        if is_daemon(config) && !config.get("desired_count").is_null() {
            out.push(error_at(
                "desired_count",
                "Conflicting arguments",
                "a DAEMON service runs one task per instance: leave desired_count out",
            ));
        }
        out
    }

    fn plan(&self, ctx: &Ctx, req: &PlanRequest) -> PlanResponse {
        let mut defaults = vec![
            ("scheduling_strategy", Value::string("REPLICA")),
            ("enable_ecs_managed_tags", Value::Bool(false)),
            ("enable_execute_command", Value::Bool(false)),
            ("force_delete", Value::Bool(false)),
            ("force_new_deployment", Value::Bool(false)),
            ("wait_for_steady_state", Value::Bool(false)),
        ];
        if !is_daemon(&req.config) {
            defaults.extend([
                ("desired_count", Value::int(0)),
                ("deployment_maximum_percent", Value::int(200)),
                ("deployment_minimum_healthy_percent", Value::int(100)),
            ]);
        }
        let config = with_defaults(&req.config, &defaults);
        let req = PlanRequest { config, ..req.clone() };
        let mut resp = plan_blocks(&SCHEMA, &req);
        plan_tags_all(ctx, &req.config, &mut resp.planned);
        resp
    }

    async fn create(&self, ctx: &Ctx, planned: &Value) -> Result<Value, ProviderError> {
        self.create_as(ctx, planned, &Creating::default()).await
    }

    /// Safe to repeat after a crash (see `docs/reliability.md`): CreateService gets a
    /// `clientToken` derived from the planned change and the bookkeeping tags. A token answered
    /// with a service draining or inactive (deleted since), or with the one being replaced,
    /// moves to the next generation's token ([`Creating::with_token`]); ECS also answers a
    /// repeat of the same settings with the existing ACTIVE service, and one of other settings
    /// "Creation of service was not idempotent": either way the service is gone on with only
    /// when its tags name this address and state ([`Creating::settle`]).
    async fn create_as(&self, ctx: &Ctx, planned: &Value, creating: &Creating) -> Result<Value, ProviderError> {
        let name = req_str(planned, "name")?;
        let tags = creating.with_tags(ctx.merged_tags(planned.get("tags")));
        let lbs = load_balancers_of(planned);
        let daemon = is_daemon(planned);
        let network = network_of(planned)?;
        let create = |token: Option<String>| {
            let req = ctx
                .ecs
                .create_service()
                .service_name(&name)
                .set_client_token(token)
                .set_cluster(opt_str(planned, "cluster"))
                .set_task_definition(opt_str(planned, "task_definition"))
                .set_desired_count(if daemon {
                    None
                } else {
                    opt_i64(planned, "desired_count").map(|n| n as i32)
                })
                .set_launch_type(opt_str(planned, "launch_type").map(|l| LaunchType::from(l.as_str())))
                .set_platform_version(opt_str(planned, "platform_version"))
                .set_scheduling_strategy(
                    opt_str(planned, "scheduling_strategy").map(|s| SchedulingStrategy::from(s.as_str())),
                )
                .deployment_configuration(deployment_of(planned))
                .set_health_check_grace_period_seconds(
                    opt_i64(planned, "health_check_grace_period_seconds").map(|n| n as i32),
                )
                .set_role(opt_str(planned, "iam_role"))
                .set_enable_ecs_managed_tags(opt_bool(planned, "enable_ecs_managed_tags"))
                .set_enable_execute_command(opt_bool(planned, "enable_execute_command"))
                .set_propagate_tags(opt_str(planned, "propagate_tags").map(|p| PropagateTags::from(p.as_str())))
                .set_availability_zone_rebalancing(
                    opt_str(planned, "availability_zone_rebalancing")
                        .map(|a| AvailabilityZoneRebalancing::from(a.as_str())),
                )
                .set_network_configuration(network.clone())
                .set_load_balancers((!lbs.is_empty()).then(|| lbs.clone()))
                .set_tags((!tags.is_empty()).then(|| ecs_tags(&tags)));
            async move {
                let out = req.send().boxed().await.map_err(aws_error)?;
                let s = out
                    .service()
                    .ok_or_else(|| ProviderError::new("CreateService returned no service"))?;
                let gone = matches!(s.status(), Some("DRAINING" | "INACTIVE"));
                Ok::<_, ProviderError>((s.service_arn().unwrap_or_default().to_string(), gone))
            }
        };
        let sent = match creating.tracked() {
            true => creating.with_token(planned, "CreateService", |t| create(Some(t))).await,
            false => create(None).await.map(|(arn, _)| arn),
        };
        let cluster = cluster_of(planned);
        let find = || async {
            let out = ctx
                .ecs
                .describe_services()
                .cluster(&cluster)
                .services(&name)
                .send()
                .boxed()
                .await
                .map_err(aws_error)?;
            Ok(out
                .services()
                .iter()
                .find(|s| s.status() == Some("ACTIVE"))
                .and_then(|s| s.service_arn())
                .map(str::to_string))
        };
        let arn = creating
            .settle("CreateService", sent, find, |arn| all_tags(ctx, arn))
            .await?;
        let s = wait_ready(ctx, &cluster, &arn, planned).await?;
        Ok(to_value(ctx, &s, planned))
    }

    async fn update(&self, ctx: &Ctx, prior: &Value, planned: &Value) -> Result<Value, ProviderError> {
        let arn = req_str(prior, "arn")?;
        let cluster = cluster_of(prior);
        let changed = |k: &str| !plinth_sdk::plan::same(prior.get(k), planned.get(k));
        let settings = [
            "task_definition",
            "desired_count",
            "platform_version",
            "deployment_maximum_percent",
            "deployment_minimum_healthy_percent",
            "health_check_grace_period_seconds",
            "enable_ecs_managed_tags",
            "enable_execute_command",
            "propagate_tags",
            "availability_zone_rebalancing",
            "network_configuration",
            "load_balancer",
            "triggers",
            "force_new_deployment",
        ];
        if settings.iter().any(|k| changed(k)) {
            let lbs = load_balancers_of(planned);
            let mut call = ctx
                .ecs
                .update_service()
                .cluster(&cluster)
                .service(&arn)
                .deployment_configuration(deployment_of(planned))
                .set_enable_ecs_managed_tags(opt_bool(planned, "enable_ecs_managed_tags"))
                .set_enable_execute_command(opt_bool(planned, "enable_execute_command"))
                .set_propagate_tags(opt_str(planned, "propagate_tags").map(|p| PropagateTags::from(p.as_str())))
                .set_health_check_grace_period_seconds(
                    opt_i64(planned, "health_check_grace_period_seconds").map(|n| n as i32),
                )
                .force_new_deployment(opt_bool(planned, "force_new_deployment") == Some(true) || changed("triggers"));
            if changed("task_definition") {
                call = call.set_task_definition(opt_str(planned, "task_definition"));
            }
            if !is_daemon(planned) {
                call = call.set_desired_count(opt_i64(planned, "desired_count").map(|n| n as i32));
            }
            if changed("platform_version") {
                call = call.set_platform_version(opt_str(planned, "platform_version"));
            }
            if changed("availability_zone_rebalancing") {
                call = call.set_availability_zone_rebalancing(
                    opt_str(planned, "availability_zone_rebalancing")
                        .map(|a| AvailabilityZoneRebalancing::from(a.as_str())),
                );
            }
            if changed("network_configuration") {
                call = call.set_network_configuration(network_of(planned)?);
            }
            if changed("load_balancer") {
                call = call.set_load_balancers(Some(lbs));
            }
            call.send().boxed().await.map_err(aws_error)?;
        }
        update_tags(ctx, Tagged::Ecs(&arn), prior, planned).await?;
        let s = wait_ready(ctx, &cluster, &arn, planned).await?;
        Ok(to_value(ctx, &s, planned))
    }

    async fn delete(&self, ctx: &Ctx, prior: &Value) -> Result<(), ProviderError> {
        let arn = req_str(prior, "arn")?;
        let cluster = cluster_of(prior);
        let Some(live) = describe_one(ctx, &cluster, &arn).await? else {
            return Ok(());
        };
        let force = opt_bool(prior, "force_delete") == Some(true);
        let daemon = live.scheduling_strategy() == Some(&SchedulingStrategy::Daemon);
        if !force && !daemon && live.desired_count() > 0 {
            ctx.ecs
                .update_service()
                .cluster(&cluster)
                .service(&arn)
                .desired_count(0)
                .send()
                .boxed()
                .await
                .map_err(aws_error)?;
        }
        match ctx
            .ecs
            .delete_service()
            .cluster(&cluster)
            .service(&arn)
            .force(force)
            .send()
            .boxed()
            .await
        {
            Ok(_) => {}
            Err(e) => {
                let e = aws_error(e);
                if !matches!(
                    e.code.as_deref(),
                    Some("ServiceNotFoundException" | "ServiceNotActiveException" | "ClusterNotFoundException")
                ) {
                    return Err(e);
                }
            }
        }
        wait_gone(ctx, &format!("ECS service {arn}"), || async {
            Ok(describe_one(ctx, &cluster, &arn).await?.is_some())
        })
        .await
    }

    async fn read(&self, ctx: &Ctx, states: &[Value]) -> Result<Vec<Option<Value>>, ProviderError> {
        let key = |s: &Value| Some((cluster_of(s), opt_str(s, "arn").or_else(|| opt_str(s, "name"))?));
        let wanted: Vec<(String, String)> = states.iter().filter_map(key).collect();
        let found = describe(ctx, &wanted).await?;
        Ok(states
            .iter()
            .map(|s| found.get(&key(s)?).map(|svc| to_value(ctx, svc, s)))
            .collect())
    }

    async fn import(&self, ctx: &Ctx, id: &str) -> Result<Value, ProviderError> {
        let Some((cluster, name)) = id.split_once('/').filter(|(c, n)| !c.is_empty() && !n.is_empty()) else {
            return Err(ProviderError::with_code(
                "InvalidParameterValue",
                format!("import id {id:?}: expected CLUSTER_NAME/SERVICE_NAME"),
            ));
        };
        let s = describe_one(ctx, cluster, name).await?.ok_or_else(|| {
            ProviderError::with_code(
                "ServiceNotFoundException",
                format!("no ECS service {name} in cluster {}", cluster_name(cluster)),
            )
        })?;
        Ok(to_value(ctx, &s, &Value::Null))
    }
}
