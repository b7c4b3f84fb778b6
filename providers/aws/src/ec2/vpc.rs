//! `aws_vpc`.

use std::collections::HashMap;
use std::sync::LazyLock;

use async_trait::async_trait;
use aws_sdk_ec2::types::{AttributeBooleanValue, ResourceType, Tenancy};
use plinth_sdk::{Attribute, ProviderError, Schema, Type, Value};

use super::{by_id, describe_by_filter, ids_of, tag_spec, tag_values, take, update_tags, wait_found};
use crate::error::aws_error;
use crate::tags::with_tags;
use crate::util::{delete_call, opt_bool, opt_str, opt_string, req_str, string};
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
            .attr("id", Attribute::computed(Type::String).describe("The VPC id."))
            .attr("arn", Attribute::computed(Type::String).describe("The VPC ARN."))
            .attr(
                "owner_id",
                Attribute::computed(Type::String).describe("The owning account."),
            ),
    )
    .unsupported_all(
        &[
            "assign_generated_ipv6_cidr_block",
            "enable_network_address_usage_metrics",
            "ipv4_ipam_pool_id",
            "ipv4_netmask_length",
            "ipv6_cidr_block",
            "ipv6_cidr_block_network_border_group",
            "ipv6_ipam_pool_id",
            "ipv6_netmask_length",
        ],
        "Plinth's aws_vpc manages an IPv4 VPC with an explicit cidr_block only (no IPv6, IPAM pools or address \
         usage metrics yet): leave it out",
    )
    .identity(&["id"])
});

fn to_value(ctx: &Ctx, v: &aws_sdk_ec2::types::Vpc, prior: &Value) -> Value {
    let id = v.vpc_id().unwrap_or_default().to_string();
    let owner = v.owner_id().unwrap_or_default().to_string();
    let (tags, tags_all) = tag_values(ctx, v.tags(), prior);
    Value::object([
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
pub(super) async fn describe(
    ctx: &Ctx,
    ids: &[String],
) -> Result<HashMap<String, aws_sdk_ec2::types::Vpc>, ProviderError> {
    describe_by_filter("vpc-id", ids, |filter, _| async move {
        let resp = ctx
            .ec2
            .describe_vpcs()
            .filters(filter)
            .send()
            .await
            .map_err(aws_error)?;
        let found = resp
            .vpcs()
            .iter()
            .filter_map(|v| Some((v.vpc_id()?.to_string(), v.clone())))
            .collect();
        // Without MaxResults, DescribeVpcs returns every match in one answer.
        Ok((found, None))
    })
    .await
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
        req.send().await.map_err(aws_error)?;
    }
    Ok(())
}

#[async_trait]
impl AwsResource for Vpc {
    fn type_name(&self) -> &'static str {
        "aws_vpc"
    }

    fn schema(&self) -> &Schema {
        &SCHEMA
    }

    async fn create(&self, ctx: &Ctx, planned: &Value) -> Result<Value, ProviderError> {
        let tags = ctx.merged_tags(planned.get("tags"));
        let mut req = ctx.ec2.create_vpc().cidr_block(req_str(planned, "cidr_block")?);
        if let Some(t) = opt_str(planned, "instance_tenancy") {
            req = req.instance_tenancy(Tenancy::from(t.as_str()));
        }
        if let Some(spec) = tag_spec(ResourceType::Vpc, &tags) {
            req = req.tag_specifications(spec);
        }
        let resp = req.send().await.map_err(aws_error)?;
        let id = resp
            .vpc()
            .and_then(|v| v.vpc_id())
            .map(str::to_string)
            .ok_or_else(|| ProviderError::new("CreateVpc returned no VPC id"))?;
        set_dns(ctx, &id, planned, None, NEW_VPC_DNS).await?;
        let ids = vec![id.clone()];
        let vpc = wait_found(
            ctx,
            &format!("VPC {id} to be available"),
            &id,
            || describe(ctx, &ids),
            |v| v.state().map(|s| s.as_str()) != Some("pending"),
        )
        .await?;
        Ok(to_value(ctx, &vpc, planned))
    }

    async fn update(&self, ctx: &Ctx, prior: &Value, planned: &Value) -> Result<Value, ProviderError> {
        let id = req_str(prior, "id")?;
        set_dns(ctx, &id, planned, Some(prior), NEW_VPC_DNS).await?;
        update_tags(ctx, &id, prior, planned).await?;
        let vpc = take(
            describe(ctx, std::slice::from_ref(&id)).await?,
            &id,
            "InvalidVpcID.NotFound",
            format!("VPC {id} disappeared during update"),
        )?;
        Ok(to_value(ctx, &vpc, planned))
    }

    async fn delete(&self, ctx: &Ctx, prior: &Value) -> Result<(), ProviderError> {
        let id = req_str(prior, "id")?;
        delete_call(ctx.ec2.delete_vpc().vpc_id(&id).send()).await.map(drop)
    }

    async fn read(&self, ctx: &Ctx, states: &[Value]) -> Result<Vec<Option<Value>>, ProviderError> {
        let found = describe(ctx, &ids_of(states)).await?;
        Ok(by_id(states, &found, |v, s| to_value(ctx, v, s)))
    }

    async fn import(&self, ctx: &Ctx, id: &str) -> Result<Value, ProviderError> {
        let found = describe(ctx, &[id.to_string()]).await?;
        let v = take(found, id, "InvalidVpcID.NotFound", format!("no VPC {id}"))?;
        Ok(to_value(ctx, &v, &Value::Null))
    }
}
