//! `aws_subnet`: an IPv4 subnet, with an IPv6 block of its VPC's when given, and the launch
//! settings of its instances' addresses and DNS names. Refresh is one DescribeSubnets per 200
//! subnets (every setting is in it).

use std::collections::HashMap;
use std::sync::LazyLock;

use async_trait::async_trait;
use aws_sdk_ec2::types::{AttributeBooleanValue, Filter, HostnameType, ResourceType, SubnetCidrBlockStateCode};
use futures::FutureExt as _;
use plinth_sdk::{Attribute, PlanRequest, PlanResponse, ProviderError, Schema, Type, Value};

use super::{
    Page, adoptable, by_id, delete_when_free, describe_by_filter, ids_of, plan_with_tags, tag_spec, tag_values, take,
    update_tags, wait_found,
};
use crate::error::aws_error;
use crate::idempotent::Creating;
use crate::tags::with_tags;
use crate::util::{delete_call, opt_bool, opt_str, opt_string, req_str, string, wait_for};
use crate::{AwsResource, Ctx};

pub struct Subnet;

static SCHEMA: LazyLock<Schema> = LazyLock::new(|| {
    with_tags(
        Schema::new(
            "A subnet of a VPC, in one availability zone: where GPU nodes get their addresses. Import with the \
             subnet id.",
        )
        .attr(
            "vpc_id",
            Attribute::required(Type::String)
                .force_new()
                .describe("The VPC the subnet belongs to."),
        )
        .attr(
            "cidr_block",
            Attribute::required(Type::String)
                .force_new()
                .describe("IPv4 range, inside the VPC's, such as 10.0.1.0/24."),
        )
        .attr(
            "availability_zone",
            Attribute::optional_computed(Type::String)
                .force_new()
                .describe("Availability zone, such as us-east-1a; AWS picks one when left out."),
        )
        .attr(
            "availability_zone_id",
            Attribute::optional_computed(Type::String).force_new().describe(
                "The zone's id (use1-az1), the same across accounts; give it instead of availability_zone to pin the \
                 physical zone.",
            ),
        )
        .attr(
            "map_public_ip_on_launch",
            Attribute::optional_computed(Type::Bool)
                .describe("Give instances launched here a public IPv4 address (default false). Updated in place."),
        )
        .attr(
            "ipv6_cidr_block",
            Attribute::optional(Type::String).describe(
                "An IPv6 /64 out of the VPC's IPv6 block. Updated in place (the old block is disassociated, the new \
                 one associated).",
            ),
        )
        .attr(
            "ipv6_cidr_block_association_id",
            Attribute::computed(Type::String).describe("The association id of the IPv6 block."),
        )
        .attr(
            "assign_ipv6_address_on_creation",
            Attribute::optional_computed(Type::Bool)
                .describe("Give network interfaces made here an IPv6 address (default false). Updated in place."),
        )
        .attr(
            "enable_dns64",
            Attribute::optional_computed(Type::Bool).describe(
                "DNS64: the Route 53 Resolver answers IPv6-only hosts with synthesized IPv6 addresses for IPv4-only \
                 names (default false). Updated in place.",
            ),
        )
        .attr(
            "enable_resource_name_dns_a_record_on_launch",
            Attribute::optional_computed(Type::Bool).describe(
                "Answer DNS A queries for instances' resource-name host names (default false). Updated in place.",
            ),
        )
        .attr(
            "enable_resource_name_dns_aaaa_record_on_launch",
            Attribute::optional_computed(Type::Bool).describe(
                "Answer DNS AAAA queries for instances' resource-name host names (default false). Updated in place.",
            ),
        )
        .attr(
            "private_dns_hostname_type_on_launch",
            Attribute::optional_computed(Type::String).describe(
                "ip-name (AWS's default) or resource-name: the form of the host names of instances launched here. \
                 Updated in place.",
            ),
        )
        .attr("id", Attribute::computed(Type::String).describe("The subnet id."))
        .attr("arn", Attribute::computed(Type::String).describe("The subnet ARN."))
        .attr(
            "owner_id",
            Attribute::computed(Type::String).describe("The owning account."),
        ),
    )
    .unsupported_all(
        &[
            "customer_owned_ipv4_pool",
            "enable_lni_at_device_index",
            "ipv6_native",
            "map_customer_owned_ip_on_launch",
            "outpost_arn",
        ],
        "Plinth's aws_subnet manages subnets with an IPv4 block in regular zones only (no IPv6-only subnets or \
         Outposts yet): leave it out",
    )
    .identity(&["id"])
});

pub(super) fn to_value(ctx: &Ctx, s: &aws_sdk_ec2::types::Subnet, prior: &Value) -> Value {
    let id = s.subnet_id().unwrap_or_default().to_string();
    let owner = s.owner_id().unwrap_or_default().to_string();
    let (tags, tags_all) = tag_values(ctx, s.tags(), prior);
    let ipv6 = ipv6_of(s);
    let dns = s.private_dns_name_options_on_launch();
    let arn = s
        .subnet_arn()
        .map(str::to_string)
        .unwrap_or_else(|| format!("arn:aws:ec2:{}:{}:subnet/{}", ctx.region, owner, id));
    Value::object([
        ("id", string(&id)),
        ("arn", string(arn)),
        ("owner_id", string(owner)),
        ("vpc_id", opt_string(s.vpc_id())),
        ("cidr_block", opt_string(s.cidr_block())),
        ("availability_zone", opt_string(s.availability_zone())),
        ("availability_zone_id", opt_string(s.availability_zone_id())),
        (
            "map_public_ip_on_launch",
            Value::Bool(s.map_public_ip_on_launch().unwrap_or(false)),
        ),
        ("ipv6_cidr_block", opt_string(ipv6.and_then(|a| a.ipv6_cidr_block()))),
        (
            "ipv6_cidr_block_association_id",
            opt_string(ipv6.and_then(|a| a.association_id())),
        ),
        (
            "assign_ipv6_address_on_creation",
            Value::Bool(s.assign_ipv6_address_on_creation().unwrap_or(false)),
        ),
        ("enable_dns64", Value::Bool(s.enable_dns64().unwrap_or(false))),
        (
            "enable_resource_name_dns_a_record_on_launch",
            Value::Bool(dns.and_then(|d| d.enable_resource_name_dns_a_record()).unwrap_or(false)),
        ),
        (
            "enable_resource_name_dns_aaaa_record_on_launch",
            Value::Bool(
                dns.and_then(|d| d.enable_resource_name_dns_aaaa_record())
                    .unwrap_or(false),
            ),
        ),
        (
            "private_dns_hostname_type_on_launch",
            opt_string(dns.and_then(|d| d.hostname_type()).map(|t| t.as_str())),
        ),
        ("tags", tags),
        ("tags_all", tags_all),
    ])
}

/// The subnet's IPv6 block association, unless it is going or gone (moto 5.2 lists only associated
/// blocks, with a state the SDK does not know).
fn ipv6_of(s: &aws_sdk_ec2::types::Subnet) -> Option<&aws_sdk_ec2::types::SubnetIpv6CidrBlockAssociation> {
    s.ipv6_cidr_block_association_set().iter().find(|a| {
        !matches!(
            a.ipv6_cidr_block_state().and_then(|s| s.state()),
            Some(
                SubnetCidrBlockStateCode::Disassociating
                    | SubnetCidrBlockStateCode::Disassociated
                    | SubnetCidrBlockStateCode::Failing
                    | SubnetCidrBlockStateCode::Failed
            )
        )
    })
}

/// The boolean settings ModifySubnetAttribute changes one a call, by argument.
const FLAGS: [&str; 4] = [
    "assign_ipv6_address_on_creation",
    "enable_dns64",
    "enable_resource_name_dns_a_record_on_launch",
    "enable_resource_name_dns_aaaa_record_on_launch",
];

/// Sets the launch settings `planned` gives and `have` (the state, or the new subnet's value)
/// does not have: one ModifySubnetAttribute each.
async fn set_launch_settings(ctx: &Ctx, id: &str, planned: &Value, have: &Value) -> Result<(), ProviderError> {
    for key in FLAGS {
        let Some(want) = opt_bool(planned, key) else { continue };
        if opt_bool(have, key) == Some(want) {
            continue;
        }
        let v = AttributeBooleanValue::builder().value(want).build();
        let req = ctx.ec2.modify_subnet_attribute().subnet_id(id);
        let req = match key {
            "assign_ipv6_address_on_creation" => req.assign_ipv6_address_on_creation(v),
            "enable_dns64" => req.enable_dns64(v),
            "enable_resource_name_dns_a_record_on_launch" => req.enable_resource_name_dns_a_record_on_launch(v),
            _ => req.enable_resource_name_dns_aaaa_record_on_launch(v),
        };
        req.send().boxed().await.map_err(aws_error)?;
    }
    let key = "private_dns_hostname_type_on_launch";
    if let Some(want) = opt_str(planned, key)
        && opt_str(have, key).as_deref() != Some(want.as_str())
    {
        ctx.ec2
            .modify_subnet_attribute()
            .subnet_id(id)
            .private_dns_hostname_type_on_launch(HostnameType::from(want.as_str()))
            .send()
            .boxed()
            .await
            .map_err(aws_error)?;
    }
    Ok(())
}

/// Replaces the subnet's IPv6 block: disassociates `prior`'s (and waits until it is gone), then
/// associates `want`, if any.
async fn set_ipv6(ctx: &Ctx, id: &str, want: Option<&str>, prior: &Value) -> Result<(), ProviderError> {
    let ids = vec![id.to_string()];
    if let Some(association) = opt_str(prior, "ipv6_cidr_block_association_id") {
        ctx.ec2
            .disassociate_subnet_cidr_block()
            .association_id(association)
            .send()
            .boxed()
            .await
            .map_err(aws_error)?;
        wait_for(
            ctx,
            &format!("subnet {id}'s IPv6 block to be disassociated"),
            || async {
                Ok(describe(ctx, &ids)
                    .await?
                    .get(id)
                    .is_none_or(|s| ipv6_of(s).is_none())
                    .then_some(()))
            },
        )
        .await?;
    }
    if let Some(block) = want {
        ctx.ec2
            .associate_subnet_cidr_block()
            .subnet_id(id)
            .ipv6_cidr_block(block)
            .send()
            .boxed()
            .await
            .map_err(aws_error)?;
    }
    Ok(())
}

/// One page of DescribeSubnets with `filters`.
async fn page(ctx: &Ctx, filters: Vec<Filter>, next: Option<String>) -> Page<aws_sdk_ec2::types::Subnet> {
    let resp = ctx
        .ec2
        .describe_subnets()
        .set_filters(Some(filters))
        .max_results(1000)
        .set_next_token(next)
        .send()
        .boxed()
        .await
        .map_err(aws_error)?;
    let found = resp
        .subnets()
        .iter()
        .filter_map(|s| Some((s.subnet_id()?.to_string(), s.clone())))
        .collect();
    Ok((found, resp.next_token().map(str::to_string)))
}

pub(super) async fn describe(
    ctx: &Ctx,
    ids: &[String],
) -> Result<HashMap<String, aws_sdk_ec2::types::Subnet>, ProviderError> {
    describe_by_filter("subnet-id", ids, |filter, next| page(ctx, vec![filter], next)).await
}

pub(super) async fn set_public_ip(ctx: &Ctx, id: &str, want: bool) -> Result<(), ProviderError> {
    ctx.ec2
        .modify_subnet_attribute()
        .subnet_id(id)
        .map_public_ip_on_launch(AttributeBooleanValue::builder().value(want).build())
        .send()
        .boxed()
        .await
        .map_err(aws_error)?;
    Ok(())
}

#[async_trait]
impl AwsResource for Subnet {
    fn type_name(&self) -> &'static str {
        "aws_subnet"
    }

    fn schema(&self) -> &Schema {
        &SCHEMA
    }

    fn plan(&self, ctx: &Ctx, req: &PlanRequest) -> PlanResponse {
        plan_with_tags(&SCHEMA, ctx, req)
    }

    async fn create(&self, ctx: &Ctx, planned: &Value) -> Result<Value, ProviderError> {
        self.create_as(ctx, planned, &Creating::default()).await
    }

    /// CreateSubnet takes no client token: the subnet gets the bookkeeping tags, and one an
    /// earlier, interrupted attempt made is adopted instead ([`super::adoptable`]); the settings
    /// that follow are the same for both.
    async fn create_as(&self, ctx: &Ctx, planned: &Value, creating: &Creating) -> Result<Value, ProviderError> {
        let tags = ctx.merged_tags(planned.get("tags"));
        let tags_of = aws_sdk_ec2::types::Subnet::tags;
        let found = adoptable(ctx, creating, &tags, |f, next| page(ctx, f, next), tags_of, |_| true);
        let id = match found.await? {
            Some(id) => id,
            None => {
                let mut req = ctx
                    .ec2
                    .create_subnet()
                    .vpc_id(req_str(planned, "vpc_id")?)
                    .cidr_block(req_str(planned, "cidr_block")?)
                    .set_availability_zone(opt_str(planned, "availability_zone"))
                    .set_availability_zone_id(opt_str(planned, "availability_zone_id"))
                    .set_ipv6_cidr_block(opt_str(planned, "ipv6_cidr_block"));
                if let Some(spec) = tag_spec(ResourceType::Subnet, &creating.with_tags(tags)) {
                    req = req.tag_specifications(spec);
                }
                let resp = req.send().boxed().await.map_err(aws_error)?;
                resp.subnet()
                    .and_then(|s| s.subnet_id())
                    .map(str::to_string)
                    .ok_or_else(|| ProviderError::new("CreateSubnet returned no subnet id"))?
            }
        };
        let ids = vec![id.clone()];
        let subnet = wait_found(
            ctx,
            &format!("subnet {id} to be available"),
            &id,
            || describe(ctx, &ids),
            |s| s.state().map(|s| s.as_str()) != Some("pending"),
        )
        .await?;
        let mut changed = false;
        if let Some(want) = opt_bool(planned, "map_public_ip_on_launch")
            && want != subnet.map_public_ip_on_launch().unwrap_or(false)
        {
            set_public_ip(ctx, &id, want).await?;
            changed = true;
        }
        let new = to_value(ctx, &subnet, planned);
        set_launch_settings(ctx, &id, planned, &new).await?;
        changed |= [&FLAGS[..], &["private_dns_hostname_type_on_launch"]]
            .concat()
            .iter()
            .any(|k| !planned.get(k).is_null() && !planned.get(k).is_unknown() && planned.get(k) != new.get(k));
        if changed && let Some(s) = describe(ctx, &ids).await?.get(&id) {
            return Ok(to_value(ctx, s, planned));
        }
        Ok(new)
    }

    async fn update(&self, ctx: &Ctx, prior: &Value, planned: &Value) -> Result<Value, ProviderError> {
        let id = req_str(prior, "id")?;
        if let Some(want) = opt_bool(planned, "map_public_ip_on_launch")
            && Some(want) != opt_bool(prior, "map_public_ip_on_launch")
        {
            set_public_ip(ctx, &id, want).await?;
        }
        let want_ipv6 = opt_str(planned, "ipv6_cidr_block");
        if want_ipv6 != opt_str(prior, "ipv6_cidr_block") {
            set_ipv6(ctx, &id, want_ipv6.as_deref(), prior).await?;
        }
        set_launch_settings(ctx, &id, planned, prior).await?;
        update_tags(ctx, &id, prior, planned).await?;
        let s = take(
            describe(ctx, std::slice::from_ref(&id)).await?,
            &id,
            "InvalidSubnetID.NotFound",
            format!("subnet {id} disappeared during update"),
        )?;
        Ok(to_value(ctx, &s, planned))
    }

    async fn delete(&self, ctx: &Ctx, prior: &Value) -> Result<(), ProviderError> {
        let id = req_str(prior, "id")?;
        let ids = vec![id.clone()];
        let delete = || delete_call(ctx.ec2.delete_subnet().subnet_id(&id).send().boxed());
        let exists = || async { Ok(describe(ctx, &ids).await?.contains_key(&id)) };
        delete_when_free(
            ctx,
            &format!("subnet {id}"),
            "to be free of network interfaces",
            delete,
            exists,
        )
        .await
    }

    async fn read(&self, ctx: &Ctx, states: &[Value]) -> Result<Vec<Option<Value>>, ProviderError> {
        let found = describe(ctx, &ids_of(states)).await?;
        Ok(by_id(states, &found, |v, s| to_value(ctx, v, s)))
    }

    async fn import(&self, ctx: &Ctx, id: &str) -> Result<Value, ProviderError> {
        let found = describe(ctx, &[id.to_string()]).await?;
        let s = take(found, id, "InvalidSubnetID.NotFound", format!("no subnet {id}"))?;
        Ok(to_value(ctx, &s, &Value::Null))
    }
}
