//! `aws_lb` (and its older name `aws_alb`): an Application, Network or Gateway Load Balancer with
//! its subnets, security groups, address type, the common attributes (idle timeout, deletion
//! protection, HTTP/2, cross-zone, invalid header fields) and tags. Create and update wait until
//! the load balancer is active; delete waits until it is gone.
//!
//! Refresh: one DescribeLoadBalancers per 20 ARNs (one by one only when one of them is gone),
//! one DescribeTags per 20, and one DescribeLoadBalancerAttributes per load balancer (the API
//! reads one at a time).

use std::collections::HashMap;
use std::sync::LazyLock;

use async_trait::async_trait;
use aws_sdk_elasticloadbalancingv2::types::{
    IpAddressType, LoadBalancer as Lb, LoadBalancerAttribute, LoadBalancerSchemeEnum, LoadBalancerStateEnum,
    LoadBalancerTypeEnum,
};
use futures::FutureExt as _;
use plinth_sdk::plan::default_plan;
use plinth_sdk::{Attribute, PlanRequest, PlanResponse, ProviderDiagnostic, ProviderError, Schema, Type, Value};

use super::{
    Attr, Kind, all_tags, arn_suffix, attr_changes, attr_values, describe_tags, elbv2_tags, plan_attrs, settle_attrs,
};
use crate::error::{aws_error, is_not_found};
use crate::idempotent::Creating;
use crate::tags::{Tagged, plan_tags_all, tag_values, update_tags, with_tags};
use crate::util::{
    concurrently, delete_call, describe_chunked, invalid, one_of, opt_str, opt_string, req_str, sorted_strings,
    str_list, string, wait_for, wait_gone, with_defaults, with_generated_name,
};
use crate::{AwsResource, Ctx};

/// The type under one of its two names (`aws_lb`, `aws_alb`).
pub struct LoadBalancer(pub &'static str);

const TYPES: [&str; 3] = ["application", "network", "gateway"];

/// The attributes Plinth manages, with Terraform's defaults and the types they apply to.
pub(super) const ATTRS: [Attr; 5] = [
    Attr {
        name: "idle_timeout",
        key: "idle_timeout.timeout_seconds",
        kind: Kind::Int,
        default: "60",
        types: &["application"],
        describe: "Seconds a connection may be idle (Application Load Balancers; default 60).",
    },
    Attr {
        name: "enable_deletion_protection",
        key: "deletion_protection.enabled",
        kind: Kind::Bool,
        default: "false",
        types: &[],
        describe: "Refuse deletion through the API (default false): destroy fails until it is turned off.",
    },
    Attr {
        name: "enable_http2",
        key: "routing.http2.enabled",
        kind: Kind::Bool,
        default: "true",
        types: &["application"],
        describe: "HTTP/2 (Application Load Balancers; default true).",
    },
    Attr {
        name: "drop_invalid_header_fields",
        key: "routing.http.drop_invalid_header_fields.enabled",
        kind: Kind::Bool,
        default: "false",
        types: &["application"],
        describe: "Drop HTTP headers with invalid fields (Application Load Balancers; default false).",
    },
    Attr {
        name: "enable_cross_zone_load_balancing",
        key: "load_balancing.cross_zone.enabled",
        kind: Kind::Bool,
        default: "false",
        types: &["network", "gateway"],
        describe: "Cross-zone load balancing (Network and Gateway Load Balancers; always on for Application \
                   ones; default false).",
    },
];

const NOT_YET: &str = "Plinth does not manage this load balancer setting yet: leave it out (AWS keeps its default)";

static SCHEMA: LazyLock<Schema> = LazyLock::new(|| {
    let set = || Type::Set(Box::new(Type::String));
    let mut schema = with_generated_name(
        Schema::new(
            "An Elastic Load Balancing v2 load balancer: Application (HTTP/HTTPS, the usual front of a model \
             serving API), Network or Gateway. Import with the load balancer ARN.",
        ),
        ("name", "name_prefix"),
        "Load balancer name (up to 32 letters, digits and hyphens)",
    )
    .attr(
        "load_balancer_type",
        Attribute::optional(Type::String)
            .force_new()
            .describe("application (default), network or gateway."),
    )
    .attr(
        "internal",
        Attribute::optional_computed(Type::Bool)
            .force_new()
            .describe("An internal load balancer (private addresses only); default false, internet-facing."),
    )
    .attr(
        "subnets",
        Attribute::optional_computed(set()).describe(
            "Subnet ids, at least two in different Availability Zones for an Application Load Balancer. Changed \
             in place with SetSubnets.",
        ),
    )
    .attr(
        "security_groups",
        Attribute::optional_computed(set())
            .describe("Security group ids (Application and Network Load Balancers); changed in place."),
    )
    .attr(
        "ip_address_type",
        Attribute::optional_computed(Type::String)
            .describe("ipv4 (default), dualstack or dualstack-without-public-ipv4."),
    )
    .attr(
        "id",
        Attribute::computed(Type::String).describe("The load balancer ARN."),
    )
    .attr(
        "arn",
        Attribute::computed(Type::String).describe("The load balancer ARN."),
    )
    .attr(
        "arn_suffix",
        Attribute::computed(Type::String).describe("The ARN's last part (app/NAME/ID), as CloudWatch metrics name it."),
    )
    .attr("dns_name", Attribute::computed(Type::String).describe("The DNS name."))
    .attr(
        "zone_id",
        Attribute::computed(Type::String).describe("The Route 53 hosted zone of the DNS name (for alias records)."),
    )
    .attr(
        "vpc_id",
        Attribute::computed(Type::String).describe("The VPC of the subnets."),
    );
    for a in &ATTRS {
        schema = schema.attr(a.name, a.schema());
    }
    let schema = schema
        .unsupported_blocks(
            &[
                "access_logs",
                "connection_logs",
                "ipam_pools",
                "minimum_load_balancer_capacity",
            ],
            NOT_YET,
        )
        .unsupported_block(
            "subnet_mapping",
            "Plinth places load balancers by subnets only: give the subnet ids as subnets (Elastic IPs and fixed \
             private addresses per subnet are not supported yet)",
        )
        .unsupported_all(
            &[
                "client_keep_alive",
                "customer_owned_ipv4_pool",
                "desync_mitigation_mode",
                "dns_record_client_routing_policy",
                "enable_tls_version_and_cipher_suite_headers",
                "enable_waf_fail_open",
                "enable_xff_client_port",
                "enable_zonal_shift",
                "enforce_security_group_inbound_rules_on_private_link_traffic",
                "preserve_host_header",
                "secondary_ips_auto_assigned_per_subnet",
                "xff_header_processing_mode",
            ],
            NOT_YET,
        );
    with_tags(schema).identity(&["name"])
});

fn lb_type(v: &Value) -> String {
    opt_str(v, "load_balancer_type").unwrap_or_else(|| "application".into())
}

fn to_value(
    ctx: &Ctx,
    lb: &Lb,
    attrs: &HashMap<String, String>,
    tags: &std::collections::BTreeMap<String, String>,
    prior: &Value,
) -> Value {
    let arn = lb.load_balancer_arn().unwrap_or_default();
    let kind = lb.r#type().map(|t| t.as_str()).unwrap_or("application").to_string();
    let (tags, tags_all) = tag_values(ctx, tags, prior);
    let mut fields = vec![
        ("id", string(arn)),
        ("arn", string(arn)),
        ("arn_suffix", string(arn_suffix(arn))),
        ("name", opt_string(lb.load_balancer_name())),
        ("name_prefix", prior.get("name_prefix").clone()),
        ("load_balancer_type", string(kind.clone())),
        (
            "internal",
            Value::Bool(lb.scheme() == Some(&LoadBalancerSchemeEnum::Internal)),
        ),
        (
            "subnets",
            sorted_strings(lb.availability_zones().iter().filter_map(|z| z.subnet_id())),
        ),
        ("security_groups", sorted_strings(lb.security_groups().iter().cloned())),
        ("ip_address_type", opt_string(lb.ip_address_type().map(|t| t.as_str()))),
        ("dns_name", opt_string(lb.dns_name())),
        ("zone_id", opt_string(lb.canonical_hosted_zone_id())),
        ("vpc_id", opt_string(lb.vpc_id())),
        ("tags", tags),
        ("tags_all", tags_all),
    ];
    fields.extend(attr_values(&ATTRS, &kind, attrs, prior));
    Value::object(fields)
}

/// The load balancers among `arns` that exist, by ARN (20 a call).
async fn describe(ctx: &Ctx, arns: &[String]) -> Result<HashMap<String, Lb>, ProviderError> {
    describe_chunked(ctx, arns, 20, |ctx, arns| async move {
        let mut out = Vec::new();
        let mut marker = None;
        loop {
            let call = ctx
                .elbv2
                .describe_load_balancers()
                .set_load_balancer_arns(Some(arns.clone()))
                .set_marker(marker)
                .send()
                .boxed()
                .await;
            let page = match call {
                Ok(page) => page,
                Err(e) if is_not_found(&e) => return Ok(None),
                Err(e) => return Err(aws_error(e)),
            };
            for lb in page.load_balancers() {
                if let Some(arn) = lb.load_balancer_arn() {
                    out.push((arn.to_string(), lb.clone()));
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

async fn attributes(ctx: &Ctx, arn: &str) -> Result<HashMap<String, String>, ProviderError> {
    let out = ctx
        .elbv2
        .describe_load_balancer_attributes()
        .load_balancer_arn(arn)
        .send()
        .boxed()
        .await
        .map_err(aws_error)?;
    Ok(out
        .attributes()
        .iter()
        .filter_map(|a| Some((a.key()?.to_string(), a.value().unwrap_or_default().to_string())))
        .collect())
}

async fn read_many(ctx: &Ctx, states: &[Value]) -> Result<Vec<Option<Value>>, ProviderError> {
    let arns: Vec<String> = states.iter().filter_map(|s| opt_str(s, "arn")).collect();
    let found = describe(ctx, &arns).await?;
    let present: Vec<String> = found.keys().cloned().collect();
    let tags = describe_tags(ctx, &present).await?;
    let attrs: HashMap<String, HashMap<String, String>> = concurrently(present, |arn| {
        let ctx = ctx.clone();
        async move {
            match attributes(&ctx, &arn).await {
                Ok(a) => Ok(Some((arn, a))),
                Err(e) if e.kind == plinth_sdk::ErrorKind::NotFound => Ok(None),
                Err(e) => Err(e),
            }
        }
    })
    .await?
    .into_iter()
    .flatten()
    .collect();
    Ok(states
        .iter()
        .map(|s| {
            let arn = opt_str(s, "arn")?;
            let lb = found.get(&arn)?;
            let a = attrs.get(&arn)?;
            Some(to_value(ctx, lb, a, &tags.get(&arn).cloned().unwrap_or_default(), s))
        })
        .collect())
}

async fn read_one(ctx: &Ctx, arn: &str, planned: &Value) -> Result<Value, ProviderError> {
    let probe = with_arn(planned, arn);
    read_many(ctx, std::slice::from_ref(&probe))
        .await?
        .pop()
        .flatten()
        .ok_or_else(|| ProviderError::with_code("LoadBalancerNotFound", format!("load balancer {arn} disappeared")))
}

fn with_arn(v: &Value, arn: &str) -> Value {
    let mut v = if v.as_map().is_some() {
        v.clone()
    } else {
        Value::Map(Default::default())
    };
    if let Value::Map(m) = &mut v {
        m.insert("arn".into(), string(arn));
    }
    v
}

/// Waits until the load balancer is active (or active but impaired); a failed one is an error.
async fn wait_active(ctx: &Ctx, arn: &str) -> Result<(), ProviderError> {
    let ids = vec![arn.to_string()];
    wait_for(ctx, &format!("load balancer {arn} to be active"), || {
        let ids = ids.clone();
        async move {
            let found = describe(ctx, &ids).await?;
            let state = found
                .get(&ids[0])
                .and_then(|lb| lb.state())
                .and_then(|s| s.code().cloned());
            match state {
                Some(LoadBalancerStateEnum::Active | LoadBalancerStateEnum::ActiveImpaired) => Ok(Some(())),
                Some(LoadBalancerStateEnum::Failed) => Err(ProviderError::with_code(
                    "LoadBalancerFailed",
                    format!("load balancer {} failed to provision", ids[0]),
                )),
                _ => Ok(None),
            }
        }
    })
    .await
}

async fn modify_attributes(ctx: &Ctx, arn: &str, changes: Vec<(String, String)>) -> Result<(), ProviderError> {
    if changes.is_empty() {
        return Ok(());
    }
    let attrs = changes
        .into_iter()
        .map(|(k, v)| LoadBalancerAttribute::builder().key(k).value(v).build())
        .collect();
    ctx.elbv2
        .modify_load_balancer_attributes()
        .load_balancer_arn(arn)
        .set_attributes(Some(attrs))
        .send()
        .boxed()
        .await
        .map_err(aws_error)?;
    Ok(())
}

fn some_list(v: &Value, key: &str) -> Option<Vec<String>> {
    let l = str_list(v, key);
    (!l.is_empty()).then_some(l)
}

#[async_trait]
impl AwsResource for LoadBalancer {
    fn type_name(&self) -> &'static str {
        self.0
    }

    fn schema(&self) -> &Schema {
        &SCHEMA
    }

    fn validate(&self, config: &Value) -> Vec<ProviderDiagnostic> {
        let mut out: Vec<ProviderDiagnostic> = one_of(config.get("load_balancer_type"), "load_balancer_type", &TYPES)
            .into_iter()
            .collect();
        if let Some(name) = config.get("name").as_str()
            && (name.len() > 32
                || name.starts_with('-')
                || name.ends_with('-')
                || name.starts_with("internal-")
                || !name.chars().all(|c| c.is_ascii_alphanumeric() || c == '-'))
        {
            out.push(invalid(
                "name",
                format!(
                    "{name:?}: up to 32 letters, digits and hyphens, not beginning or ending with a hyphen nor \
                     beginning with internal-"
                ),
            ));
        }
        if let Some(p) = config.get("name_prefix").as_str()
            && p.len() > 6
        {
            out.push(invalid("name_prefix", format!("{p:?}: at most 6 characters")));
        }
        if !config.get("name").is_null() && !config.get("name_prefix").is_null() {
            out.push(invalid("name_prefix", "conflicts with name: give one of them"));
        }
        if config.get("subnets").is_null() {
            out.push(invalid(
                "subnets",
                "subnets is required (Plinth does not support subnet_mapping yet)",
            ));
        }
        out
    }

    fn plan(&self, ctx: &Ctx, req: &PlanRequest) -> PlanResponse {
        let config = with_defaults(&req.config, &[("load_balancer_type", string("application"))]);
        let config = plan_attrs(&ATTRS, &lb_type(&config), &config, req.prior.as_ref());
        let mut resp = default_plan(&SCHEMA, req.prior.as_ref(), &config);
        settle_attrs(&ATTRS, &lb_type(&config), &mut resp.planned);
        plan_tags_all(ctx, &req.config, &mut resp.planned);
        resp
    }

    async fn create(&self, ctx: &Ctx, planned: &Value) -> Result<Value, ProviderError> {
        self.create_as(ctx, planned, &Creating::default()).await
    }

    /// Safe to repeat after a crash (see `docs/reliability.md`): the bookkeeping tags ride on
    /// CreateLoadBalancer and a generated name is derived from the planned change. AWS answers a
    /// repeat with the same settings with the existing load balancer, and one with other
    /// settings DuplicateLoadBalancerName: either way the load balancer is gone on with only when
    /// its tags name this address and state ([`Creating::settle`]).
    async fn create_as(&self, ctx: &Ctx, planned: &Value, creating: &Creating) -> Result<Value, ProviderError> {
        let name = creating.name(planned, "name", "name_prefix", "tf-lb-");
        let kind = lb_type(planned);
        let tags = creating.with_tags(ctx.merged_tags(planned.get("tags")));
        let sent = ctx
            .elbv2
            .create_load_balancer()
            .name(&name)
            .r#type(LoadBalancerTypeEnum::from(kind.as_str()))
            .set_scheme((planned.get("internal").as_bool() == Some(true)).then_some(LoadBalancerSchemeEnum::Internal))
            .set_subnets(some_list(planned, "subnets"))
            .set_security_groups(some_list(planned, "security_groups"))
            .set_ip_address_type(opt_str(planned, "ip_address_type").map(|t| IpAddressType::from(t.as_str())))
            .set_tags((!tags.is_empty()).then(|| elbv2_tags(&tags)))
            .send()
            .boxed()
            .await
            .map_err(aws_error)
            .and_then(|out| {
                out.load_balancers()
                    .first()
                    .and_then(|lb| lb.load_balancer_arn())
                    .map(str::to_string)
                    .ok_or_else(|| ProviderError::new("CreateLoadBalancer returned no load balancer ARN"))
            });
        let find = || async {
            match ctx.elbv2.describe_load_balancers().names(&name).send().boxed().await {
                Ok(out) => Ok(out
                    .load_balancers()
                    .first()
                    .and_then(|lb| lb.load_balancer_arn())
                    .map(str::to_string)),
                Err(e) if is_not_found(&e) => Ok(None),
                Err(e) => Err(aws_error(e)),
            }
        };
        let arn = creating
            .settle("CreateLoadBalancer", sent, find, |arn| all_tags(ctx, arn))
            .await?;
        wait_active(ctx, &arn).await?;
        modify_attributes(ctx, &arn, attr_changes(&ATTRS, &kind, None, planned)).await?;
        read_one(ctx, &arn, planned).await
    }

    async fn update(&self, ctx: &Ctx, prior: &Value, planned: &Value) -> Result<Value, ProviderError> {
        let arn = req_str(prior, "arn")?;
        let kind = lb_type(prior);
        let changed = |k: &str| !planned.get(k).is_unknown() && planned.get(k) != prior.get(k);
        if changed("security_groups") {
            ctx.elbv2
                .set_security_groups()
                .load_balancer_arn(&arn)
                .set_security_groups(Some(str_list(planned, "security_groups")))
                .send()
                .boxed()
                .await
                .map_err(aws_error)?;
        }
        if changed("subnets") {
            ctx.elbv2
                .set_subnets()
                .load_balancer_arn(&arn)
                .set_subnets(Some(str_list(planned, "subnets")))
                .send()
                .boxed()
                .await
                .map_err(aws_error)?;
        }
        if changed("ip_address_type")
            && let Some(t) = opt_str(planned, "ip_address_type")
        {
            ctx.elbv2
                .set_ip_address_type()
                .load_balancer_arn(&arn)
                .ip_address_type(IpAddressType::from(t.as_str()))
                .send()
                .boxed()
                .await
                .map_err(aws_error)?;
        }
        modify_attributes(ctx, &arn, attr_changes(&ATTRS, &kind, Some(prior), planned)).await?;
        update_tags(ctx, Tagged::Elbv2(&arn), prior, planned).await?;
        wait_active(ctx, &arn).await?;
        read_one(ctx, &arn, planned).await
    }

    async fn delete(&self, ctx: &Ctx, prior: &Value) -> Result<(), ProviderError> {
        let arn = req_str(prior, "arn")?;
        delete_call(ctx.elbv2.delete_load_balancer().load_balancer_arn(&arn).send().boxed()).await?;
        let ids = vec![arn.clone()];
        wait_gone(ctx, &format!("load balancer {arn}"), || async {
            Ok(describe(ctx, &ids).await?.contains_key(&ids[0]))
        })
        .await
    }

    async fn read(&self, ctx: &Ctx, states: &[Value]) -> Result<Vec<Option<Value>>, ProviderError> {
        read_many(ctx, states).await
    }

    async fn import(&self, ctx: &Ctx, id: &str) -> Result<Value, ProviderError> {
        read_one(ctx, id, &Value::Null)
            .await
            .map_err(|_| ProviderError::with_code("LoadBalancerNotFound", format!("no load balancer {id}")))
    }
}
