//! `aws_vpc`: an IPv4 VPC, with an Amazon-provided IPv6 block when asked.
//!
//! Refresh is one DescribeVpcs per 200 VPCs, plus one DescribeVpcAttribute per VPC whose state
//! manages `enable_network_address_usage_metrics` (AWS has no batched read of it; left out of the
//! configuration it stays null and is never read).

use std::collections::HashMap;
use std::sync::LazyLock;

use async_trait::async_trait;
use aws_sdk_ec2::types::{
    AttributeBooleanValue, Filter, ResourceType, Tenancy, VpcAttributeName, VpcCidrBlockStateCode,
    VpcIpv6CidrBlockAssociation,
};
use futures::FutureExt as _;
use plinth_sdk::{Attribute, ProviderDiagnostic, ProviderError, Schema, Type, Value};

use super::{Page, adoptable, by_id, describe_by_filter, ids_of, tag_spec, tag_values, take, update_tags, wait_found};
use crate::error::aws_error;
use crate::idempotent::Creating;
use crate::tags::with_tags;
use crate::util::{concurrently, delete_call, error_at, opt_bool, opt_str, opt_string, req_str, string, wait_for};
use crate::{AwsResource, Ctx};

pub struct Vpc;

static SCHEMA: LazyLock<Schema> = LazyLock::new(|| {
    with_tags(
        Schema::new("A virtual private cloud: the network GPU nodes and endpoints live in. Import with the VPC id.")
            .attr(
                "cidr_block",
                Attribute::required(Type::String)
                    .force_new()
                    .describe("IPv4 range, such as 10.0.0.0/16."),
            )
            .attr(
                "instance_tenancy",
                Attribute::optional_computed(Type::String)
                    .force_new()
                    .describe("default or dedicated."),
            )
            .attr(
                "enable_dns_support",
                Attribute::optional_computed(Type::Bool)
                    .describe("DNS resolution in the VPC (default true). Not refreshed: kept as last applied."),
            )
            .attr(
                "enable_dns_hostnames",
                Attribute::optional_computed(Type::Bool)
                    .describe("DNS host names for instances (default false). Not refreshed: kept as last applied."),
            )
            .attr(
                ASSIGN_IPV6,
                Attribute::optional(Type::Bool).describe(
                    "Ask for an Amazon-provided /56 IPv6 block (default false). Updated in place (the block is \
                     associated or disassociated).",
                ),
            )
            .attr(
                "ipv6_cidr_block",
                Attribute::optional_computed(Type::String).describe(
                    "The VPC's IPv6 block (computed). Giving one needs an IPAM pool (ipv6_ipam_pool_id), which \
                     Plinth does not support yet.",
                ),
            )
            .attr(
                "ipv6_association_id",
                Attribute::computed(Type::String).describe("The association id of the IPv6 block."),
            )
            .attr(
                NAU,
                Attribute::optional_computed(Type::Bool).describe(
                    "Network Address Usage metrics for the VPC (default false). Updated in place. Read by refresh \
                     only when configured (one DescribeVpcAttribute per VPC).",
                ),
            )
            .attr("id", Attribute::computed(Type::String).describe("The VPC id."))
            .attr("arn", Attribute::computed(Type::String).describe("The VPC ARN."))
            .attr(
                "owner_id",
                Attribute::computed(Type::String).describe("The owning account."),
            ),
    )
    .unsupported_all(
        &[
            "ipv4_ipam_pool_id",
            "ipv4_netmask_length",
            "ipv6_cidr_block_network_border_group",
            "ipv6_ipam_pool_id",
            "ipv6_netmask_length",
        ],
        "Plinth's aws_vpc takes an explicit cidr_block and an Amazon-provided IPv6 block \
         (assign_generated_ipv6_cidr_block) only, no IPAM pools or network border groups yet: leave it out",
    )
    .identity(&["id"])
});

const ASSIGN_IPV6: &str = "assign_generated_ipv6_cidr_block";
const NAU: &str = "enable_network_address_usage_metrics";

/// The VPC's IPv6 block association, unless it is going or gone.
fn ipv6_of(v: &aws_sdk_ec2::types::Vpc) -> Option<&VpcIpv6CidrBlockAssociation> {
    v.ipv6_cidr_block_association_set().iter().find(|a| {
        !matches!(
            a.ipv6_cidr_block_state().and_then(|s| s.state()),
            Some(
                VpcCidrBlockStateCode::Disassociating
                    | VpcCidrBlockStateCode::Disassociated
                    | VpcCidrBlockStateCode::Failing
                    | VpcCidrBlockStateCode::Failed
            )
        )
    })
}

/// Whether the state manages the address usage metrics (set and known; the import marker too).
fn nau_managed(prior: &Value) -> bool {
    let v = prior.get(NAU);
    !v.is_null() && !v.is_unknown()
}

/// The address usage metrics setting of each VPC among `states` whose state manages it: one
/// DescribeVpcAttribute per VPC, a few at a time.
async fn read_nau(ctx: &Ctx, states: &[Value]) -> Result<HashMap<String, bool>, ProviderError> {
    let ids: Vec<String> = states
        .iter()
        .filter(|s| nau_managed(s))
        .filter_map(|s| opt_str(s, "id"))
        .collect();
    let read = concurrently(ids, |id| {
        let ctx = ctx.clone();
        async move {
            let r = ctx
                .ec2
                .describe_vpc_attribute()
                .vpc_id(&id)
                .attribute(VpcAttributeName::EnableNetworkAddressUsageMetrics)
                .send()
                .boxed()
                .await;
            match r {
                Ok(r) => Ok(Some((
                    id,
                    r.enable_network_address_usage_metrics()
                        .and_then(|b| b.value())
                        .unwrap_or(false),
                ))),
                Err(e) if crate::error::is_not_found(&e) => Ok(None),
                Err(e) => Err(aws_error(e)),
            }
        }
    })
    .await?;
    Ok(read.into_iter().flatten().collect())
}

fn to_value(ctx: &Ctx, v: &aws_sdk_ec2::types::Vpc, nau: Option<bool>, prior: &Value) -> Value {
    let id = v.vpc_id().unwrap_or_default().to_string();
    let owner = v.owner_id().unwrap_or_default().to_string();
    let (tags, tags_all) = tag_values(ctx, v.tags(), prior);
    let ipv6 = ipv6_of(v);
    Value::object([
        (
            ASSIGN_IPV6,
            // Read as whether the VPC has an Amazon-provided block; kept null when it has none and
            // the configuration leaves the argument out.
            match ipv6 {
                Some(a) => Value::Bool(a.ipv6_pool().is_none_or(|p| p == "Amazon")),
                None if prior.get(ASSIGN_IPV6).is_null() => Value::Null,
                None => Value::Bool(false),
            },
        ),
        ("ipv6_cidr_block", opt_string(ipv6.and_then(|a| a.ipv6_cidr_block()))),
        ("ipv6_association_id", opt_string(ipv6.and_then(|a| a.association_id()))),
        (
            NAU,
            match nau {
                Some(on) => Value::Bool(on),
                None if nau_managed(prior) => prior.get(NAU).clone(),
                None => Value::Null,
            },
        ),
        ("id", string(&id)),
        (
            "arn",
            string(format!("arn:aws:ec2:{}:{}:vpc/{}", ctx.region, owner, id)),
        ),
        ("owner_id", string(owner)),
        ("cidr_block", opt_string(v.cidr_block())),
        (
            "instance_tenancy",
            opt_string(v.instance_tenancy().map(|t| t.as_str().to_string())),
        ),
        (
            "enable_dns_support",
            prior.get("enable_dns_support").clone().or_default(Value::Bool(true)),
        ),
        (
            "enable_dns_hostnames",
            prior.get("enable_dns_hostnames").clone().or_default(Value::Bool(false)),
        ),
        ("tags", tags),
        ("tags_all", tags_all),
    ])
}

trait OrDefault {
    fn or_default(self, d: Value) -> Value;
}

impl OrDefault for Value {
    fn or_default(self, d: Value) -> Value {
        if self.is_null() || self.is_unknown() { d } else { self }
    }
}

/// A new VPC's DNS attributes: resolution on, host names off.
const NEW_VPC_DNS: (bool, bool) = (true, false);

/// One DescribeVpcs per 200 ids (a `vpc-id` filter, so missing ids are simply absent). Also
/// `aws_default_vpc`'s.
/// One DescribeVpcs with `filters` (without MaxResults, it returns every match in one answer).
async fn page(ctx: &Ctx, filters: Vec<Filter>) -> Page<aws_sdk_ec2::types::Vpc> {
    let resp = ctx
        .ec2
        .describe_vpcs()
        .set_filters(Some(filters))
        .send()
        .boxed()
        .await
        .map_err(aws_error)?;
    let found = resp
        .vpcs()
        .iter()
        .filter_map(|v| Some((v.vpc_id()?.to_string(), v.clone())))
        .collect();
    Ok((found, None))
}

pub(super) async fn describe(
    ctx: &Ctx,
    ids: &[String],
) -> Result<HashMap<String, aws_sdk_ec2::types::Vpc>, ProviderError> {
    describe_by_filter("vpc-id", ids, |filter, _| page(ctx, vec![filter])).await
}

/// Sets the DNS attributes `planned` names and `prior` (else a new VPC's `defaults`: support,
/// hostnames) does not already have. Also `aws_default_vpc`'s, whose defaults are both on.
pub(super) async fn set_dns(
    ctx: &Ctx,
    id: &str,
    planned: &Value,
    prior: Option<&Value>,
    defaults: (bool, bool),
) -> Result<(), ProviderError> {
    for (attr, is_support) in [("enable_dns_support", true), ("enable_dns_hostnames", false)] {
        let Some(want) = opt_bool(planned, attr) else { continue };
        let default = if is_support { defaults.0 } else { defaults.1 };
        let have = prior.and_then(|p| opt_bool(p, attr)).unwrap_or(default);
        if want == have {
            continue;
        }
        let req = ctx.ec2.modify_vpc_attribute().vpc_id(id);
        let v = AttributeBooleanValue::builder().value(want).build();
        let req = if is_support {
            req.enable_dns_support(v)
        } else {
            req.enable_dns_hostnames(v)
        };
        req.send().boxed().await.map_err(aws_error)?;
    }
    Ok(())
}

async fn set_nau(ctx: &Ctx, id: &str, on: bool) -> Result<(), ProviderError> {
    ctx.ec2
        .modify_vpc_attribute()
        .vpc_id(id)
        .enable_network_address_usage_metrics(AttributeBooleanValue::builder().value(on).build())
        .send()
        .boxed()
        .await
        .map(drop)
        .map_err(aws_error)
}

/// Waits until the VPC `id`'s IPv6 block is associated (`want`) or gone; returns the VPC.
async fn wait_ipv6(ctx: &Ctx, id: &str, want: bool) -> Result<aws_sdk_ec2::types::Vpc, ProviderError> {
    let ids = vec![id.to_string()];
    let what = if want {
        format!("VPC {id}'s IPv6 block to be associated")
    } else {
        format!("VPC {id}'s IPv6 block to be disassociated")
    };
    wait_for(ctx, &what, || async {
        let Some(v) = describe(ctx, &ids).await?.remove(id) else {
            return Err(ProviderError::with_code(
                "InvalidVpcID.NotFound",
                format!("VPC {id} disappeared"),
            ));
        };
        let state = ipv6_of(&v)
            .and_then(|a| a.ipv6_cidr_block_state())
            .and_then(|s| s.state());
        let done = match state {
            Some(VpcCidrBlockStateCode::Associated) => want,
            None => !want,
            _ => false,
        };
        Ok(done.then_some(v))
    })
    .await
}

/// Associates an Amazon-provided IPv6 block with the VPC `id`, or disassociates `prior`'s.
async fn set_ipv6(ctx: &Ctx, id: &str, want: bool, prior: &Value) -> Result<(), ProviderError> {
    if want {
        ctx.ec2
            .associate_vpc_cidr_block()
            .vpc_id(id)
            .amazon_provided_ipv6_cidr_block(true)
            .send()
            .boxed()
            .await
            .map_err(aws_error)?;
    } else if let Some(association) = opt_str(prior, "ipv6_association_id") {
        ctx.ec2
            .disassociate_vpc_cidr_block()
            .association_id(association)
            .send()
            .boxed()
            .await
            .map_err(aws_error)?;
    }
    wait_ipv6(ctx, id, want).await.map(drop)
}

#[async_trait]
impl AwsResource for Vpc {
    fn type_name(&self) -> &'static str {
        "aws_vpc"
    }

    fn schema(&self) -> &Schema {
        &SCHEMA
    }

    fn validate(&self, config: &Value) -> Vec<ProviderDiagnostic> {
        let v = config.get("ipv6_cidr_block");
        if v.is_null() || v.is_unknown() {
            return Vec::new();
        }
        vec![error_at(
            "ipv6_cidr_block",
            "ipv6_cidr_block needs an IPAM pool",
            "Giving the IPv6 block needs ipv6_ipam_pool_id, which Plinth does not support yet: set \
             assign_generated_ipv6_cidr_block = true for an Amazon-provided block and leave ipv6_cidr_block out \
             (it is read back).",
        )]
    }

    async fn create(&self, ctx: &Ctx, planned: &Value) -> Result<Value, ProviderError> {
        self.create_as(ctx, planned, &Creating::default()).await
    }

    /// CreateVpc takes no client token: the VPC gets the bookkeeping tags, and one an earlier,
    /// interrupted attempt made is adopted instead ([`super::adoptable`]); the DNS settings and
    /// waits that follow are the same for both.
    async fn create_as(&self, ctx: &Ctx, planned: &Value, creating: &Creating) -> Result<Value, ProviderError> {
        let tags = ctx.merged_tags(planned.get("tags"));
        let ipv6 = opt_bool(planned, ASSIGN_IPV6) == Some(true);
        let found = adoptable(
            ctx,
            creating,
            &tags,
            |f, _| page(ctx, f),
            |v: &aws_sdk_ec2::types::Vpc| v.tags(),
            |_| true,
        );
        let id = match found.await? {
            Some(id) => id,
            None => {
                let mut req = ctx
                    .ec2
                    .create_vpc()
                    .cidr_block(req_str(planned, "cidr_block")?)
                    .set_amazon_provided_ipv6_cidr_block(ipv6.then_some(true));
                if let Some(t) = opt_str(planned, "instance_tenancy") {
                    req = req.instance_tenancy(Tenancy::from(t.as_str()));
                }
                if let Some(spec) = tag_spec(ResourceType::Vpc, &creating.with_tags(tags)) {
                    req = req.tag_specifications(spec);
                }
                let resp = req.send().boxed().await.map_err(aws_error)?;
                resp.vpc()
                    .and_then(|v| v.vpc_id())
                    .map(str::to_string)
                    .ok_or_else(|| ProviderError::new("CreateVpc returned no VPC id"))?
            }
        };
        set_dns(ctx, &id, planned, None, NEW_VPC_DNS).await?;
        let nau = opt_bool(planned, NAU);
        if nau == Some(true) {
            set_nau(ctx, &id, true).await?;
        }
        let ids = vec![id.clone()];
        wait_found(
            ctx,
            &format!("VPC {id} to be available"),
            &id,
            || describe(ctx, &ids),
            |v| v.state().map(|s| s.as_str()) != Some("pending"),
        )
        .await?;
        let vpc = wait_ipv6(ctx, &id, ipv6).await?;
        Ok(to_value(ctx, &vpc, nau, planned))
    }

    async fn update(&self, ctx: &Ctx, prior: &Value, planned: &Value) -> Result<Value, ProviderError> {
        let id = req_str(prior, "id")?;
        set_dns(ctx, &id, planned, Some(prior), NEW_VPC_DNS).await?;
        if let Some(want) = opt_bool(planned, NAU)
            && opt_bool(prior, NAU) != Some(want)
        {
            set_nau(ctx, &id, want).await?;
        }
        // Left out of the configuration, the argument means false (as in Terraform).
        let want_ipv6 = opt_bool(planned, ASSIGN_IPV6) == Some(true);
        if want_ipv6 != (opt_bool(prior, ASSIGN_IPV6) == Some(true)) {
            set_ipv6(ctx, &id, want_ipv6, prior).await?;
        }
        update_tags(ctx, &id, prior, planned).await?;
        let vpc = take(
            describe(ctx, std::slice::from_ref(&id)).await?,
            &id,
            "InvalidVpcID.NotFound",
            format!("VPC {id} disappeared during update"),
        )?;
        let nau = read_nau(ctx, std::slice::from_ref(planned)).await?.remove(&id);
        Ok(to_value(ctx, &vpc, nau, planned))
    }

    async fn delete(&self, ctx: &Ctx, prior: &Value) -> Result<(), ProviderError> {
        let id = req_str(prior, "id")?;
        delete_call(ctx.ec2.delete_vpc().vpc_id(&id).send().boxed())
            .await
            .map(drop)
    }

    async fn read(&self, ctx: &Ctx, states: &[Value]) -> Result<Vec<Option<Value>>, ProviderError> {
        let found = describe(ctx, &ids_of(states)).await?;
        let live: Vec<Value> = states
            .iter()
            .filter(|s| s.get("id").as_str().is_some_and(|id| found.contains_key(id)))
            .cloned()
            .collect();
        let nau = read_nau(ctx, &live).await?;
        Ok(by_id(states, &found, |v, s| {
            to_value(ctx, v, v.vpc_id().and_then(|id| nau.get(id)).copied(), s)
        }))
    }

    async fn import(&self, ctx: &Ctx, id: &str) -> Result<Value, ProviderError> {
        let found = describe(ctx, &[id.to_string()]).await?;
        let v = take(found, id, "InvalidVpcID.NotFound", format!("no VPC {id}"))?;
        // Read every setting once.
        let marker = Value::object([("id", string(id)), (NAU, Value::Bool(false))]);
        let nau = read_nau(ctx, std::slice::from_ref(&marker)).await?.remove(id);
        Ok(to_value(ctx, &v, nau, &Value::Null))
    }
}
