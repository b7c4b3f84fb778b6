//! `aws_vpc`.

use std::collections::HashMap;
use std::sync::LazyLock;

use async_trait::async_trait;
use aws_sdk_ec2::types::{AttributeBooleanValue, Filter, ResourceType, Tenancy};
use plinth_sdk::{Attribute, ProviderError, Schema, Type, Value};

use super::{chunks, ids_of, sync_tags, tag_spec, tags_from, with_tags};
use crate::error::aws_error;
use crate::util::{map_of_strings, opt_bool, opt_str, opt_string, own_tags, req_str, string, tags_value, wait_for};
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
    .identity(&["id"])
});

fn to_value(ctx: &Ctx, v: &aws_sdk_ec2::types::Vpc, prior: &Value) -> Value {
    let id = v.vpc_id().unwrap_or_default().to_string();
    let owner = v.owner_id().unwrap_or_default().to_string();
    let all = tags_from(Some(v.tags()));
    let mine = own_tags(&all, ctx, prior);
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
        ("tags", tags_value(&mine, prior.get("tags"))),
        ("tags_all", map_of_strings(&all)),
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

async fn describe(ctx: &Ctx, ids: &[String]) -> Result<HashMap<String, aws_sdk_ec2::types::Vpc>, ProviderError> {
    let mut out = HashMap::new();
    for chunk in chunks(ids) {
        ctx.throttle().await;
        let resp = ctx
            .ec2
            .describe_vpcs()
            .filters(
                Filter::builder()
                    .name("vpc-id")
                    .set_values(Some(chunk.to_vec()))
                    .build(),
            )
            .send()
            .await
            .map_err(aws_error)?;
        for v in resp.vpcs() {
            if let Some(id) = v.vpc_id() {
                out.insert(id.to_string(), v.clone());
            }
        }
    }
    Ok(out)
}

async fn set_dns(ctx: &Ctx, id: &str, planned: &Value, prior: Option<&Value>) -> Result<(), ProviderError> {
    for (attr, is_support) in [("enable_dns_support", true), ("enable_dns_hostnames", false)] {
        let Some(want) = opt_bool(planned, attr) else { continue };
        let have = prior.and_then(|p| opt_bool(p, attr)).unwrap_or(is_support);
        if want == have {
            continue;
        }
        ctx.throttle().await;
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
        ctx.throttle().await;
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
        set_dns(ctx, &id, planned, None).await?;
        let ids = vec![id.clone()];
        let vpc = wait_for(ctx, &format!("VPC {id} to be available"), || async {
            let found = describe(ctx, &ids).await?;
            Ok(found
                .get(&id)
                .filter(|v| v.state().map(|s| s.as_str()) != Some("pending"))
                .cloned())
        })
        .await?;
        Ok(to_value(ctx, &vpc, planned))
    }

    async fn update(&self, ctx: &Ctx, prior: &Value, planned: &Value) -> Result<Value, ProviderError> {
        let id = req_str(prior, "id")?;
        set_dns(ctx, &id, planned, Some(prior)).await?;
        let have = crate::util::str_map(prior, "tags_all");
        sync_tags(ctx, &id, &have, &ctx.merged_tags(planned.get("tags"))).await?;
        let found = describe(ctx, std::slice::from_ref(&id)).await?;
        let vpc = found.get(&id).ok_or_else(|| {
            ProviderError::with_code("InvalidVpcID.NotFound", format!("VPC {id} disappeared during update"))
        })?;
        Ok(to_value(ctx, vpc, planned))
    }

    async fn delete(&self, ctx: &Ctx, prior: &Value) -> Result<(), ProviderError> {
        let id = req_str(prior, "id")?;
        ctx.throttle().await;
        match ctx.ec2.delete_vpc().vpc_id(&id).send().await {
            Ok(_) => Ok(()),
            Err(e) if crate::error::is_not_found(&e) => Ok(()),
            Err(e) => Err(aws_error(e)),
        }
    }

    async fn read(&self, ctx: &Ctx, states: &[Value]) -> Result<Vec<Option<Value>>, ProviderError> {
        let found = describe(ctx, &ids_of(states)).await?;
        Ok(states
            .iter()
            .map(|s| {
                s.get("id")
                    .as_str()
                    .and_then(|id| found.get(id))
                    .map(|v| to_value(ctx, v, s))
            })
            .collect())
    }

    async fn import(&self, ctx: &Ctx, id: &str) -> Result<Value, ProviderError> {
        let found = describe(ctx, &[id.to_string()]).await?;
        let v = found
            .get(id)
            .ok_or_else(|| ProviderError::with_code("InvalidVpcID.NotFound", format!("no VPC {id}")))?;
        Ok(to_value(ctx, v, &Value::Null))
    }
}
