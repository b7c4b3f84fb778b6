//! `aws_default_vpc`: adopts the region's default VPC (creating it with CreateDefaultVpc when the
//! region has none, as Terraform does), manages its DNS settings and tags, and on destroy only
//! forgets it unless `force_destroy` is set. The plain VPC is `aws_vpc`'s.

use std::sync::LazyLock;

use async_trait::async_trait;
use aws_sdk_ec2::types::{Filter, Vpc};
use futures::FutureExt as _;
use plinth_sdk::{Attribute, PlanRequest, PlanResponse, ProviderError, Schema, Type, Value};

use super::{by_id, ids_of, plan_with_tags, retry_dependency, tag_values, take};
use crate::error::aws_error;
use crate::tags::{Tagged, sync_tags, tags_from, with_tags};
use crate::util::{delete_call, opt_bool, req_str, string};
use crate::{AwsResource, Ctx};

pub struct DefaultVpc;

static SCHEMA: LazyLock<Schema> = LazyLock::new(|| {
    let mut s = Schema::new(
        "The region's default VPC, adopted (created when the region has none). Destroy forgets it unless \
         force_destroy is true. Import with the VPC id.",
    )
    .attr(
        "enable_dns_support",
        Attribute::optional_computed(Type::Bool)
            .describe("DNS resolution in the VPC (default true). Not refreshed: kept as last applied."),
    )
    .attr(
        "enable_dns_hostnames",
        Attribute::optional_computed(Type::Bool)
            .describe("DNS host names for instances (default true in a default VPC). Not refreshed."),
    )
    .attr(
        "force_destroy",
        Attribute::optional(Type::Bool)
            .describe("Destroy deletes the default VPC, its default subnets and internet gateway (default false)."),
    )
    .attr(
        "existing_default_vpc",
        Attribute::computed(Type::Bool).describe("Whether the default VPC existed before Plinth adopted it."),
    );
    for (name, text) in [
        ("id", "The VPC id."),
        ("arn", "The VPC ARN."),
        ("owner_id", "The owning account."),
        ("cidr_block", "The VPC's IPv4 range (172.31.0.0/16)."),
        ("instance_tenancy", "default."),
        ("dhcp_options_id", "The DHCP options set."),
        ("default_route_table_id", "The main route table."),
        ("main_route_table_id", "The main route table."),
        ("default_security_group_id", "The default security group."),
        ("default_network_acl_id", "The default network ACL."),
    ] {
        s = s.attr(name, Attribute::computed(Type::String).describe(text));
    }
    with_tags(s).identity(&["id"])
});

/// The ids of the VPC's main route table, default security group and default network ACL (one
/// call each; only on create and import, where they are first learned).
async fn defaults(ctx: &Ctx, vpc: &str) -> Result<[Value; 3], ProviderError> {
    let f = |n: &str, v: &str| Filter::builder().name(n).values(v).build();
    let rt = ctx
        .ec2
        .describe_route_tables()
        .filters(f("vpc-id", vpc))
        .filters(f("association.main", "true"))
        .send()
        .boxed()
        .await
        .map_err(aws_error)?;
    let sg = default_security_group(ctx, Some(vpc)).await?;
    let acl = ctx
        .ec2
        .describe_network_acls()
        .filters(f("vpc-id", vpc))
        .filters(f("default", "true"))
        .send()
        .boxed()
        .await
        .map_err(aws_error)?;
    let v = |s: Option<&str>| s.map(string).unwrap_or(Value::Null);
    Ok([
        v(rt.route_tables().first().and_then(|t| t.route_table_id())),
        v(sg.as_ref().and_then(|g| g.group_id())),
        v(acl.network_acls().first().and_then(|a| a.network_acl_id())),
    ])
}

/// The default security group of `vpc` (the default VPC's when `None`); shared with
/// `aws_default_security_group`.
pub(super) async fn default_security_group(
    ctx: &Ctx,
    vpc: Option<&str>,
) -> Result<Option<aws_sdk_ec2::types::SecurityGroup>, ProviderError> {
    let f = |n: &str, v: &str| Filter::builder().name(n).values(v).build();
    let vpc = match vpc {
        Some(v) => v.to_string(),
        None => {
            let resp = ctx
                .ec2
                .describe_vpcs()
                .filters(f("is-default", "true"))
                .send()
                .boxed()
                .await
                .map_err(aws_error)?;
            match resp.vpcs().first().and_then(|v| v.vpc_id()) {
                Some(v) => v.to_string(),
                None => return Ok(None),
            }
        }
    };
    let resp = ctx
        .ec2
        .describe_security_groups()
        .filters(f("vpc-id", &vpc))
        .filters(f("group-name", "default"))
        .send()
        .boxed()
        .await
        .map_err(aws_error)?;
    Ok(resp.security_groups().first().cloned())
}

fn to_value(ctx: &Ctx, v: &Vpc, prior: &Value) -> Value {
    let id = v.vpc_id().unwrap_or_default().to_string();
    let owner = v.owner_id().unwrap_or_default().to_string();
    let (tags, tags_all) = tag_values(ctx, v.tags(), prior);
    let keep = |k: &str, d: Value| {
        let p = prior.get(k);
        if p.is_null() || p.is_unknown() { d } else { p.clone() }
    };
    Value::object([
        ("id", string(&id)),
        (
            "arn",
            string(format!("arn:aws:ec2:{}:{}:vpc/{}", ctx.region, owner, id)),
        ),
        ("owner_id", string(owner)),
        ("cidr_block", string(v.cidr_block().unwrap_or_default())),
        (
            "instance_tenancy",
            string(v.instance_tenancy().map(|t| t.as_str()).unwrap_or("default")),
        ),
        ("dhcp_options_id", string(v.dhcp_options_id().unwrap_or_default())),
        ("enable_dns_support", keep("enable_dns_support", Value::Bool(true))),
        ("enable_dns_hostnames", keep("enable_dns_hostnames", Value::Bool(true))),
        ("force_destroy", prior.get("force_destroy").clone()),
        ("existing_default_vpc", keep("existing_default_vpc", Value::Bool(true))),
        ("default_route_table_id", keep("default_route_table_id", Value::Null)),
        ("main_route_table_id", keep("main_route_table_id", Value::Null)),
        (
            "default_security_group_id",
            keep("default_security_group_id", Value::Null),
        ),
        ("default_network_acl_id", keep("default_network_acl_id", Value::Null)),
        ("tags", tags),
        ("tags_all", tags_all),
    ])
}

/// The state after create or import: the VPC with its default objects' ids.
async fn full_value(ctx: &Ctx, vpc: &Vpc, base: &Value, existing: bool) -> Result<Value, ProviderError> {
    let id = vpc.vpc_id().unwrap_or_default();
    let [rt, sg, acl] = defaults(ctx, id).await?;
    let mut v = to_value(ctx, vpc, base);
    if let Value::Map(m) = &mut v {
        m.insert("existing_default_vpc".into(), Value::Bool(existing));
        m.insert("default_route_table_id".into(), rt.clone());
        m.insert("main_route_table_id".into(), rt);
        m.insert("default_security_group_id".into(), sg);
        m.insert("default_network_acl_id".into(), acl);
    }
    Ok(v)
}

#[async_trait]
impl AwsResource for DefaultVpc {
    fn type_name(&self) -> &'static str {
        "aws_default_vpc"
    }

    fn schema(&self) -> &Schema {
        &SCHEMA
    }

    fn plan(&self, ctx: &Ctx, req: &PlanRequest) -> PlanResponse {
        plan_with_tags(&SCHEMA, ctx, req)
    }

    async fn create(&self, ctx: &Ctx, planned: &Value) -> Result<Value, ProviderError> {
        let resp = ctx
            .ec2
            .describe_vpcs()
            .filters(Filter::builder().name("is-default").values("true").build())
            .send()
            .boxed()
            .await
            .map_err(aws_error)?;
        let (vpc, existing) = match resp.vpcs().first() {
            Some(v) => (v.clone(), true),
            None => {
                let made = ctx.ec2.create_default_vpc().send().boxed().await.map_err(aws_error)?;
                let v = made
                    .vpc()
                    .cloned()
                    .ok_or_else(|| ProviderError::new("CreateDefaultVpc returned no VPC"))?;
                (v, false)
            }
        };
        let id = vpc.vpc_id().unwrap_or_default().to_string();
        super::vpc::set_dns(ctx, &id, planned, None, (true, true)).await?;
        // The adopted VPC's tags become the configured ones.
        let have = tags_from(vpc.tags().iter().map(|t| (t.key(), t.value())));
        sync_tags(ctx, Tagged::Ec2(&id), &have, &ctx.merged_tags(planned.get("tags"))).await?;
        let vpc = take(
            super::vpc::describe(ctx, std::slice::from_ref(&id)).await?,
            &id,
            "InvalidVpcID.NotFound",
            format!("default VPC {id} disappeared"),
        )?;
        full_value(ctx, &vpc, planned, existing).await
    }

    async fn update(&self, ctx: &Ctx, prior: &Value, planned: &Value) -> Result<Value, ProviderError> {
        let id = req_str(prior, "id")?;
        super::vpc::set_dns(ctx, &id, planned, Some(prior), (true, true)).await?;
        super::update_tags(ctx, &id, prior, planned).await?;
        let vpc = take(
            super::vpc::describe(ctx, std::slice::from_ref(&id)).await?,
            &id,
            "InvalidVpcID.NotFound",
            format!("default VPC {id} disappeared during update"),
        )?;
        let mut v = to_value(ctx, &vpc, prior);
        if let Value::Map(m) = &mut v {
            for k in ["enable_dns_support", "enable_dns_hostnames", "force_destroy"] {
                m.insert(k.into(), planned.get(k).clone());
            }
        }
        Ok(v)
    }

    async fn delete(&self, ctx: &Ctx, prior: &Value) -> Result<(), ProviderError> {
        if opt_bool(prior, "force_destroy") != Some(true) {
            // As Terraform: the default VPC stays; it is only forgotten.
            return Ok(());
        }
        let id = req_str(prior, "id")?;
        let vpc_filter = || Filter::builder().name("vpc-id").values(&id).build();
        let subnets = ctx
            .ec2
            .describe_subnets()
            .filters(vpc_filter())
            .send()
            .boxed()
            .await
            .map_err(aws_error)?;
        for s in subnets.subnets() {
            if let Some(sid) = s.subnet_id() {
                retry_dependency(ctx, &format!("subnet {sid} to be free"), || {
                    delete_call(ctx.ec2.delete_subnet().subnet_id(sid).send().boxed())
                })
                .await?;
            }
        }
        let igws = ctx
            .ec2
            .describe_internet_gateways()
            .filters(Filter::builder().name("attachment.vpc-id").values(&id).build())
            .send()
            .boxed()
            .await
            .map_err(aws_error)?;
        for g in igws.internet_gateways() {
            if let Some(gid) = g.internet_gateway_id() {
                delete_call(
                    ctx.ec2
                        .detach_internet_gateway()
                        .internet_gateway_id(gid)
                        .vpc_id(&id)
                        .send()
                        .boxed(),
                )
                .await?;
                delete_call(
                    ctx.ec2
                        .delete_internet_gateway()
                        .internet_gateway_id(gid)
                        .send()
                        .boxed(),
                )
                .await?;
            }
        }
        retry_dependency(ctx, &format!("default VPC {id} to be free"), || {
            delete_call(ctx.ec2.delete_vpc().vpc_id(&id).send().boxed())
        })
        .await
        .map(drop)
    }

    async fn read(&self, ctx: &Ctx, states: &[Value]) -> Result<Vec<Option<Value>>, ProviderError> {
        let found = super::vpc::describe(ctx, &ids_of(states)).await?;
        Ok(by_id(states, &found, |v, s| to_value(ctx, v, s)))
    }

    async fn import(&self, ctx: &Ctx, id: &str) -> Result<Value, ProviderError> {
        let found = super::vpc::describe(ctx, &[id.to_string()]).await?;
        let v = take(found, id, "InvalidVpcID.NotFound", format!("no VPC {id}"))?;
        if v.is_default() != Some(true) {
            return Err(ProviderError::with_code(
                "InvalidImportId",
                format!("VPC {id} is not the region's default VPC; import it as aws_vpc"),
            ));
        }
        full_value(ctx, &v, &Value::Null, true).await
    }
}
