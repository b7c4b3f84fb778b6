//! `aws_elb`: a Classic Load Balancer with its listeners, health check, zones or subnets,
//! security groups, registered instances, the common attributes (cross-zone, idle timeout,
//! connection draining) and tags. Everything but the name and `internal` changes in place, each
//! part with its own call.
//!
//! Refresh: one DescribeLoadBalancers per 20 names (one by one only when one of them is gone),
//! one DescribeTags per 20, one DescribeLoadBalancerAttributes per load balancer; the account in
//! the ARNs comes from [`Ctx::account_id`] (one GetCallerIdentity per provider configuration).

use std::collections::{BTreeMap, HashMap};
use std::sync::LazyLock;

use async_trait::async_trait;
use aws_sdk_elasticloadbalancing::types::{
    ConnectionDraining, ConnectionSettings, CrossZoneLoadBalancing, HealthCheck, Instance, Listener,
    LoadBalancerAttributes, LoadBalancerDescription as Lb,
};
use futures::FutureExt as _;
use plinth_sdk::{Attribute, PlanRequest, PlanResponse, ProviderDiagnostic, ProviderError, Schema, Type, Value};

use super::elb_tags;
use crate::error::{aws_error, is_not_found};
use crate::idempotent::{Creating, ReadTags, read_tags};
use crate::tags::{Tagged, plan_tags_all, tag_values, tags_from, update_tags, with_tags};
use crate::util::{
    concurrently, delete_call, describe_chunked, invalid, items, list, opt_bool, opt_i64, opt_str, opt_string,
    plan_blocks, req_str, sorted_strings, str_list, string, with_defaults, with_generated_name,
};
use crate::{AwsResource, Ctx};

pub struct ClassicLoadBalancer;

const NOT_YET: &str = "Plinth does not manage this Classic Load Balancer setting yet: leave it out";

static SCHEMA: LazyLock<Schema> = LazyLock::new(|| {
    let set = || Type::Set(Box::new(Type::String));
    let listener = Schema::new("A listener: a port on the load balancer and the instance port it forwards to.")
        .attr(
            "lb_port",
            Attribute::required(Type::Number).describe("The load balancer's port."),
        )
        .attr(
            "lb_protocol",
            Attribute::required(Type::String).describe("HTTP, HTTPS, TCP or SSL."),
        )
        .attr(
            "instance_port",
            Attribute::required(Type::Number).describe("The instances' port."),
        )
        .attr(
            "instance_protocol",
            Attribute::required(Type::String).describe("HTTP, HTTPS, TCP or SSL."),
        )
        .attr(
            "ssl_certificate_id",
            Attribute::optional(Type::String).describe("The certificate ARN, for HTTPS and SSL."),
        );
    let health = Schema::new("The health check.")
        .attr(
            "target",
            Attribute::required(Type::String).describe("PROTOCOL:PORT[/PATH], such as HTTP:8080/ping."),
        )
        .attr(
            "interval",
            Attribute::required(Type::Number).describe("Seconds between checks (5-300)."),
        )
        .attr(
            "timeout",
            Attribute::required(Type::Number).describe("Seconds without answer that fail a check (2-60)."),
        )
        .attr(
            "healthy_threshold",
            Attribute::required(Type::Number).describe("Successes before an instance is healthy (2-10)."),
        )
        .attr(
            "unhealthy_threshold",
            Attribute::required(Type::Number).describe("Failures before an instance is unhealthy (2-10)."),
        );
    let schema = with_generated_name(
        Schema::new("A Classic Load Balancer. Import with the load balancer name."),
        ("name", "name_prefix"),
        "Load balancer name (up to 32 letters, digits and hyphens)",
    )
    .attr(
        "availability_zones",
        Attribute::optional_computed(set()).describe("The zones, outside a VPC; changed in place."),
    )
    .attr(
        "subnets",
        Attribute::optional_computed(set()).describe("Subnet ids, in a VPC; changed in place."),
    )
    .attr(
        "security_groups",
        Attribute::optional_computed(set()).describe("Security group ids (in a VPC); changed in place."),
    )
    .attr(
        "instances",
        Attribute::optional_computed(set()).describe("Registered instance ids; changed in place."),
    )
    .attr(
        "internal",
        Attribute::optional_computed(Type::Bool)
            .force_new()
            .describe("An internal load balancer (default false)."),
    )
    .attr(
        "cross_zone_load_balancing",
        Attribute::optional(Type::Bool).describe("Cross-zone load balancing (default true)."),
    )
    .attr(
        "idle_timeout",
        Attribute::optional(Type::Number).describe("Seconds a connection may be idle (1-4000, default 60)."),
    )
    .attr(
        "connection_draining",
        Attribute::optional(Type::Bool).describe("Connection draining (default false)."),
    )
    .attr(
        "connection_draining_timeout",
        Attribute::optional(Type::Number).describe("Seconds to drain connections (default 300)."),
    )
    .attr(
        "id",
        Attribute::computed(Type::String).describe("The load balancer name."),
    )
    .attr(
        "arn",
        Attribute::computed(Type::String).describe("The load balancer ARN."),
    )
    .attr("dns_name", Attribute::computed(Type::String).describe("The DNS name."))
    .attr(
        "zone_id",
        Attribute::computed(Type::String).describe("The Route 53 hosted zone of the DNS name."),
    )
    .attr(
        "source_security_group_id",
        Attribute::computed(Type::String).describe("The security group of the load balancer's own traffic."),
    )
    .block("listener", list(listener, 1, None, false))
    .block("health_check", list(health, 0, Some(1), false))
    .computed_when_omitted("health_check")
    .unsupported_block("access_logs", NOT_YET)
    .unsupported_all(&["desync_mitigation_mode", "source_security_group"], NOT_YET);
    with_tags(schema).identity(&["name"])
});

fn int32(v: &Value, key: &str) -> Option<i32> {
    opt_i64(v, key).and_then(|n| i32::try_from(n).ok())
}

/// The listeners in a stable order (by load balancer port), as the set reads.
fn listener_values(lb: &Lb) -> Value {
    let mut ls: Vec<Value> = lb
        .listener_descriptions()
        .iter()
        .filter_map(|d| d.listener())
        .map(|l| {
            Value::object([
                ("lb_port", Value::int(l.load_balancer_port().into())),
                ("lb_protocol", string(l.protocol())),
                ("instance_port", Value::int(l.instance_port().into())),
                ("instance_protocol", opt_string(l.instance_protocol())),
                ("ssl_certificate_id", opt_string(l.ssl_certificate_id())),
            ])
        })
        .collect();
    ls.sort_by_key(|l| l.get("lb_port").as_i64().unwrap_or_default());
    Value::List(ls)
}

/// The live state; `attrs` from DescribeLoadBalancerAttributes.
struct Live {
    lb: Lb,
    attrs: Option<LoadBalancerAttributes>,
}

fn to_value(ctx: &Ctx, account: &str, live: &Live, tags: &BTreeMap<String, String>, prior: &Value) -> Value {
    let lb = &live.lb;
    let name = lb.load_balancer_name().unwrap_or_default();
    let (tags, tags_all) = tag_values(ctx, tags, prior);
    let health = lb
        .health_check()
        .map(|h| {
            vec![Value::object([
                ("target", string(h.target())),
                ("interval", Value::int(h.interval().into())),
                ("timeout", Value::int(h.timeout().into())),
                ("healthy_threshold", Value::int(h.healthy_threshold().into())),
                ("unhealthy_threshold", Value::int(h.unhealthy_threshold().into())),
            ])]
        })
        .unwrap_or_default();
    let a = live.attrs.as_ref();
    let draining = a.and_then(|a| a.connection_draining());
    Value::object([
        ("id", string(name)),
        ("name", string(name)),
        ("name_prefix", prior.get("name_prefix").clone()),
        (
            "arn",
            string(format!(
                "arn:aws:elasticloadbalancing:{}:{account}:loadbalancer/{name}",
                ctx.region
            )),
        ),
        ("dns_name", opt_string(lb.dns_name())),
        ("zone_id", opt_string(lb.canonical_hosted_zone_name_id())),
        (
            "availability_zones",
            sorted_strings(lb.availability_zones().iter().cloned()),
        ),
        ("subnets", sorted_strings(lb.subnets().iter().cloned())),
        ("security_groups", sorted_strings(lb.security_groups().iter().cloned())),
        (
            "instances",
            sorted_strings(
                lb.instances()
                    .iter()
                    .filter_map(|i| i.instance_id())
                    .map(str::to_string),
            ),
        ),
        ("internal", Value::Bool(lb.scheme() == Some("internal"))),
        (
            "source_security_group_id",
            opt_string(lb.security_groups().first().filter(|_| lb.vpc_id().is_some())),
        ),
        (
            "cross_zone_load_balancing",
            Value::Bool(
                a.and_then(|a| a.cross_zone_load_balancing())
                    .is_none_or(|c| c.enabled()),
            ),
        ),
        (
            "idle_timeout",
            Value::int(
                a.and_then(|a| a.connection_settings())
                    .map(|c| c.idle_timeout())
                    .unwrap_or(60)
                    .into(),
            ),
        ),
        (
            "connection_draining",
            Value::Bool(draining.is_some_and(|d| d.enabled())),
        ),
        (
            "connection_draining_timeout",
            Value::int(draining.and_then(|d| d.timeout()).unwrap_or(300).into()),
        ),
        ("listener", listener_values(lb)),
        ("health_check", Value::List(health)),
        ("tags", tags),
        ("tags_all", tags_all),
    ])
}

async fn describe(ctx: &Ctx, names: &[String]) -> Result<HashMap<String, Lb>, ProviderError> {
    describe_chunked(ctx, names, 20, |ctx, names| async move {
        let call = ctx
            .elb
            .describe_load_balancers()
            .set_load_balancer_names(Some(names))
            .send()
            .boxed()
            .await;
        match call {
            Ok(out) => Ok(Some(
                out.load_balancer_descriptions()
                    .iter()
                    .filter_map(|lb| Some((lb.load_balancer_name()?.to_string(), lb.clone())))
                    .collect(),
            )),
            Err(e) if is_not_found(&e) => Ok(None),
            Err(e) => Err(aws_error(e)),
        }
    })
    .await
}

/// Every tag on the load balancer `name`, Plinth's bookkeeping tags included (for adoption);
/// `None` when it is gone.
async fn all_tags(ctx: &Ctx, name: String) -> Result<Option<ReadTags>, ProviderError> {
    match ctx.elb.describe_tags().load_balancer_names(name).send().boxed().await {
        Ok(out) => Ok(out
            .tag_descriptions()
            .first()
            .map(|d| read_tags(d.tags().iter().map(|t| (Some(t.key()), t.value()))))),
        Err(e) if is_not_found(&e) => Ok(None),
        Err(e) => Err(aws_error(e)),
    }
}

async fn describe_tags(
    ctx: &Ctx,
    names: &[String],
) -> Result<HashMap<String, BTreeMap<String, String>>, ProviderError> {
    describe_chunked(ctx, names, 20, |ctx, names| async move {
        match ctx
            .elb
            .describe_tags()
            .set_load_balancer_names(Some(names))
            .send()
            .boxed()
            .await
        {
            Ok(out) => Ok(Some(
                out.tag_descriptions()
                    .iter()
                    .filter_map(|d| {
                        let tags = tags_from(d.tags().iter().map(|t| (Some(t.key()), t.value())));
                        Some((d.load_balancer_name()?.to_string(), tags))
                    })
                    .collect(),
            )),
            Err(e) if is_not_found(&e) => Ok(None),
            Err(e) => Err(aws_error(e)),
        }
    })
    .await
}

async fn read_many(ctx: &Ctx, states: &[Value]) -> Result<Vec<Option<Value>>, ProviderError> {
    let names: Vec<String> = states.iter().filter_map(|s| opt_str(s, "name")).collect();
    let found = describe(ctx, &names).await?;
    if found.is_empty() {
        return Ok(states.iter().map(|_| None).collect());
    }
    let present: Vec<String> = found.keys().cloned().collect();
    let tags = describe_tags(ctx, &present).await?;
    let attrs: HashMap<String, LoadBalancerAttributes> = concurrently(present, |name| {
        let ctx = ctx.clone();
        async move {
            let call = ctx
                .elb
                .describe_load_balancer_attributes()
                .load_balancer_name(&name)
                .send()
                .boxed()
                .await;
            match call {
                Ok(out) => Ok(out.load_balancer_attributes().cloned().map(|a| (name, a))),
                Err(e) if is_not_found(&e) => Ok(None),
                Err(e) => Err(aws_error(e)),
            }
        }
    })
    .await?
    .into_iter()
    .flatten()
    .collect();
    let account = ctx.account_id().await?;
    Ok(states
        .iter()
        .map(|s| {
            let name = opt_str(s, "name")?;
            let live = Live {
                lb: found.get(&name)?.clone(),
                attrs: attrs.get(&name).cloned(),
            };
            Some(to_value(
                ctx,
                &account,
                &live,
                &tags.get(&name).cloned().unwrap_or_default(),
                s,
            ))
        })
        .collect())
}

async fn read_one(ctx: &Ctx, name: &str, planned: &Value) -> Result<Value, ProviderError> {
    let mut probe = planned.as_map().cloned().unwrap_or_default();
    probe.insert("name".into(), string(name));
    read_many(ctx, &[Value::Map(probe)])
        .await?
        .pop()
        .flatten()
        .ok_or_else(|| ProviderError::with_code("LoadBalancerNotFound", format!("load balancer {name} disappeared")))
}

fn listener(v: &Value) -> Result<Listener, ProviderError> {
    Listener::builder()
        .set_load_balancer_port(int32(v, "lb_port"))
        .set_protocol(opt_str(v, "lb_protocol"))
        .set_instance_port(int32(v, "instance_port"))
        .set_instance_protocol(opt_str(v, "instance_protocol"))
        .set_ssl_certificate_id(opt_str(v, "ssl_certificate_id"))
        .build()
        .map_err(|e| ProviderError::new(format!("listener: {e}")))
}

async fn configure_health(ctx: &Ctx, name: &str, planned: &Value) -> Result<(), ProviderError> {
    let Some(h) = items(planned, "health_check").first() else {
        return Ok(());
    };
    let check = HealthCheck::builder()
        .set_target(opt_str(h, "target"))
        .set_interval(int32(h, "interval"))
        .set_timeout(int32(h, "timeout"))
        .set_healthy_threshold(int32(h, "healthy_threshold"))
        .set_unhealthy_threshold(int32(h, "unhealthy_threshold"))
        .build()
        .map_err(|e| ProviderError::new(format!("health_check: {e}")))?;
    ctx.elb
        .configure_health_check()
        .load_balancer_name(name)
        .health_check(check)
        .send()
        .boxed()
        .await
        .map_err(aws_error)?;
    Ok(())
}

async fn modify_attributes(ctx: &Ctx, name: &str, planned: &Value) -> Result<(), ProviderError> {
    let settings = ConnectionSettings::builder()
        .set_idle_timeout(int32(planned, "idle_timeout"))
        .build()
        .map_err(|e| ProviderError::new(format!("idle_timeout: {e}")))?;
    let attrs = LoadBalancerAttributes::builder()
        .cross_zone_load_balancing(
            CrossZoneLoadBalancing::builder()
                .enabled(opt_bool(planned, "cross_zone_load_balancing").unwrap_or(true))
                .build(),
        )
        .connection_settings(settings)
        .connection_draining(
            ConnectionDraining::builder()
                .enabled(opt_bool(planned, "connection_draining").unwrap_or(false))
                .set_timeout(int32(planned, "connection_draining_timeout"))
                .build(),
        )
        .build();
    ctx.elb
        .modify_load_balancer_attributes()
        .load_balancer_name(name)
        .load_balancer_attributes(attrs)
        .send()
        .boxed()
        .await
        .map_err(aws_error)?;
    Ok(())
}

fn instances(ids: &[String]) -> Vec<Instance> {
    ids.iter().map(|i| Instance::builder().instance_id(i).build()).collect()
}

/// What `want` adds to and removes from `have`.
fn diff(have: &[String], want: &[String]) -> (Vec<String>, Vec<String>) {
    let add = want.iter().filter(|w| !have.contains(w)).cloned().collect();
    let remove = have.iter().filter(|h| !want.contains(h)).cloned().collect();
    (add, remove)
}

#[async_trait]
impl AwsResource for ClassicLoadBalancer {
    fn type_name(&self) -> &'static str {
        "aws_elb"
    }

    fn schema(&self) -> &Schema {
        &SCHEMA
    }

    fn validate(&self, config: &Value) -> Vec<ProviderDiagnostic> {
        let mut out = Vec::new();
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
        if config.get("availability_zones").is_null() && config.get("subnets").is_null() {
            out.push(invalid("subnets", "give subnets (in a VPC) or availability_zones"));
        }
        out
    }

    fn plan(&self, ctx: &Ctx, req: &PlanRequest) -> PlanResponse {
        let mut req2 = req.clone();
        req2.config = with_defaults(
            &req.config,
            &[
                ("cross_zone_load_balancing", Value::Bool(true)),
                ("idle_timeout", Value::int(60)),
                ("connection_draining", Value::Bool(false)),
                ("connection_draining_timeout", Value::int(300)),
            ],
        );
        // The listeners are a set: compare them in one order.
        if let Value::Map(m) = &mut req2.config
            && let Some(Value::List(ls)) = m.get_mut("listener")
        {
            ls.sort_by_key(|l| l.get("lb_port").as_i64().unwrap_or_default());
        }
        let mut resp = plan_blocks(&SCHEMA, &req2);
        plan_tags_all(ctx, &req.config, &mut resp.planned);
        resp
    }

    async fn create(&self, ctx: &Ctx, planned: &Value) -> Result<Value, ProviderError> {
        self.create_as(ctx, planned, &Creating::default()).await
    }

    /// Safe to repeat after a crash (see `docs/reliability.md`): the bookkeeping tags ride on
    /// CreateLoadBalancer and a generated name is derived from the planned change. AWS answers a
    /// repeat with the same settings with the existing load balancer, and one with other
    /// settings DuplicateLoadBalancerName: either way it is gone on with (its health check,
    /// attributes and instances set again, all idempotent) only when its tags name this address
    /// and state ([`Creating::settle`]).
    async fn create_as(&self, ctx: &Ctx, planned: &Value, creating: &Creating) -> Result<Value, ProviderError> {
        let name = creating.name(planned, "name", "name_prefix", "tf-lb-");
        let tags = creating.with_tags(ctx.merged_tags(planned.get("tags")));
        let listeners = items(planned, "listener")
            .iter()
            .map(listener)
            .collect::<Result<Vec<_>, _>>()?;
        let some = |k: &str| Some(str_list(planned, k)).filter(|l| !l.is_empty());
        let sent = ctx
            .elb
            .create_load_balancer()
            .load_balancer_name(&name)
            .set_listeners(Some(listeners))
            .set_availability_zones(some("availability_zones"))
            .set_subnets(some("subnets"))
            .set_security_groups(some("security_groups"))
            .set_scheme((opt_bool(planned, "internal") == Some(true)).then(|| "internal".to_string()))
            .set_tags((!tags.is_empty()).then(|| elb_tags(&tags)).transpose()?)
            .send()
            .boxed()
            .await
            .map(|_| name.clone())
            .map_err(aws_error);
        let find = || async {
            let found = describe(ctx, std::slice::from_ref(&name)).await?;
            Ok(found.contains_key(&name).then(|| name.clone()))
        };
        creating
            .settle("CreateLoadBalancer", sent, find, |name| all_tags(ctx, name))
            .await?;
        configure_health(ctx, &name, planned).await?;
        modify_attributes(ctx, &name, planned).await?;
        if let Some(ids) = some("instances") {
            ctx.elb
                .register_instances_with_load_balancer()
                .load_balancer_name(&name)
                .set_instances(Some(instances(&ids)))
                .send()
                .boxed()
                .await
                .map_err(aws_error)?;
        }
        read_one(ctx, &name, planned).await
    }

    async fn update(&self, ctx: &Ctx, prior: &Value, planned: &Value) -> Result<Value, ProviderError> {
        let name = req_str(prior, "name")?;
        let changed = |k: &str| !planned.get(k).is_unknown() && planned.get(k) != prior.get(k);
        if changed("listener") {
            let have = items(prior, "listener");
            let want = items(planned, "listener");
            let gone: Vec<i32> = have
                .iter()
                .filter(|h| !want.contains(h))
                .filter_map(|h| int32(h, "lb_port"))
                .collect();
            if !gone.is_empty() {
                ctx.elb
                    .delete_load_balancer_listeners()
                    .load_balancer_name(&name)
                    .set_load_balancer_ports(Some(gone))
                    .send()
                    .boxed()
                    .await
                    .map_err(aws_error)?;
            }
            let new = want
                .iter()
                .filter(|w| !have.contains(w))
                .map(listener)
                .collect::<Result<Vec<_>, _>>()?;
            if !new.is_empty() {
                ctx.elb
                    .create_load_balancer_listeners()
                    .load_balancer_name(&name)
                    .set_listeners(Some(new))
                    .send()
                    .boxed()
                    .await
                    .map_err(aws_error)?;
            }
        }
        if changed("health_check") {
            configure_health(ctx, &name, planned).await?;
        }
        let attrs = [
            "cross_zone_load_balancing",
            "idle_timeout",
            "connection_draining",
            "connection_draining_timeout",
        ];
        if attrs.iter().any(|k| changed(k)) {
            modify_attributes(ctx, &name, planned).await?;
        }
        if changed("security_groups") {
            ctx.elb
                .apply_security_groups_to_load_balancer()
                .load_balancer_name(&name)
                .set_security_groups(Some(str_list(planned, "security_groups")))
                .send()
                .boxed()
                .await
                .map_err(aws_error)?;
        }
        if changed("subnets") {
            let (add, remove) = diff(&str_list(prior, "subnets"), &str_list(planned, "subnets"));
            if !add.is_empty() {
                let call = ctx.elb.attach_load_balancer_to_subnets().load_balancer_name(&name);
                call.set_subnets(Some(add)).send().boxed().await.map_err(aws_error)?;
            }
            if !remove.is_empty() {
                let call = ctx.elb.detach_load_balancer_from_subnets().load_balancer_name(&name);
                call.set_subnets(Some(remove)).send().boxed().await.map_err(aws_error)?;
            }
        }
        if changed("availability_zones") {
            let (add, remove) = diff(
                &str_list(prior, "availability_zones"),
                &str_list(planned, "availability_zones"),
            );
            if !add.is_empty() {
                let call = ctx
                    .elb
                    .enable_availability_zones_for_load_balancer()
                    .load_balancer_name(&name);
                call.set_availability_zones(Some(add))
                    .send()
                    .boxed()
                    .await
                    .map_err(aws_error)?;
            }
            if !remove.is_empty() {
                let call = ctx
                    .elb
                    .disable_availability_zones_for_load_balancer()
                    .load_balancer_name(&name);
                call.set_availability_zones(Some(remove))
                    .send()
                    .boxed()
                    .await
                    .map_err(aws_error)?;
            }
        }
        if changed("instances") {
            let (add, remove) = diff(&str_list(prior, "instances"), &str_list(planned, "instances"));
            if !add.is_empty() {
                let call = ctx
                    .elb
                    .register_instances_with_load_balancer()
                    .load_balancer_name(&name);
                call.set_instances(Some(instances(&add)))
                    .send()
                    .boxed()
                    .await
                    .map_err(aws_error)?;
            }
            if !remove.is_empty() {
                let call = ctx
                    .elb
                    .deregister_instances_from_load_balancer()
                    .load_balancer_name(&name);
                call.set_instances(Some(instances(&remove)))
                    .send()
                    .boxed()
                    .await
                    .map_err(aws_error)?;
            }
        }
        update_tags(ctx, Tagged::Elb(&name), prior, planned).await?;
        read_one(ctx, &name, planned).await
    }

    async fn delete(&self, ctx: &Ctx, prior: &Value) -> Result<(), ProviderError> {
        let name = req_str(prior, "name")?;
        delete_call(ctx.elb.delete_load_balancer().load_balancer_name(&name).send().boxed()).await?;
        Ok(())
    }

    async fn read(&self, ctx: &Ctx, states: &[Value]) -> Result<Vec<Option<Value>>, ProviderError> {
        read_many(ctx, states).await
    }

    async fn import(&self, ctx: &Ctx, id: &str) -> Result<Value, ProviderError> {
        read_one(ctx, id, &Value::Null)
            .await
            .map_err(|_| ProviderError::with_code("LoadBalancerNotFound", format!("no Classic Load Balancer {id}")))
    }
}
