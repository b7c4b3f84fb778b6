//! `aws_internet_gateway`: the gateway and its attachment to one VPC (attached, detached and
//! moved in place, as Terraform does). Routes through it are `aws_route`'s.

use std::collections::HashMap;
use std::sync::LazyLock;

use async_trait::async_trait;
use aws_sdk_ec2::types::{Filter, InternetGateway as Igw, ResourceType};
use futures::FutureExt as _;
use plinth_sdk::{Attribute, PlanRequest, PlanResponse, ProviderError, Schema, Type, Value};

use super::{
    Page, adoptable, by_id, describe_by_filter, ids_of, plan_with_tags, retry_dependency, tag_spec, tag_values, take,
    update_tags,
};
use crate::error::aws_error;
use crate::idempotent::Creating;
use crate::tags::with_tags;
use crate::util::{delete_call, opt_str, opt_string, req_str, string, wait_gone};
use crate::{AwsResource, Ctx};

pub struct InternetGateway;

static SCHEMA: LazyLock<Schema> = LazyLock::new(|| {
    with_tags(
        Schema::new(
            "An internet gateway: the way between a VPC's public subnets and the internet. Import with the \
             gateway id (igw-...).",
        )
        .attr(
            "vpc_id",
            Attribute::optional(Type::String)
                .describe("The VPC to attach to; changing it detaches and attaches in place. Left out: detached."),
        )
        .attr("id", Attribute::computed(Type::String).describe("The gateway id."))
        .attr("arn", Attribute::computed(Type::String).describe("The gateway ARN."))
        .attr(
            "owner_id",
            Attribute::computed(Type::String).describe("The owning account."),
        ),
    )
    .identity(&["id"])
});

fn attached_vpc(g: &Igw) -> Option<&str> {
    g.attachments()
        .iter()
        .find(|a| a.state().map(|s| s.as_str()) != Some("detached"))
        .and_then(|a| a.vpc_id())
}

fn to_value(ctx: &Ctx, g: &Igw, prior: &Value) -> Value {
    let id = g.internet_gateway_id().unwrap_or_default().to_string();
    let owner = g.owner_id().unwrap_or_default().to_string();
    let (tags, tags_all) = tag_values(ctx, g.tags(), prior);
    Value::object([
        ("id", string(&id)),
        (
            "arn",
            string(format!("arn:aws:ec2:{}:{}:internet-gateway/{}", ctx.region, owner, id)),
        ),
        ("owner_id", string(owner)),
        ("vpc_id", opt_string(attached_vpc(g))),
        ("tags", tags),
        ("tags_all", tags_all),
    ])
}

/// One page of DescribeInternetGateways with `filters`.
async fn page(ctx: &Ctx, filters: Vec<Filter>, next: Option<String>) -> Page<Igw> {
    let resp = ctx
        .ec2
        .describe_internet_gateways()
        .set_filters(Some(filters))
        .max_results(1000)
        .set_next_token(next)
        .send()
        .boxed()
        .await
        .map_err(aws_error)?;
    let found = resp
        .internet_gateways()
        .iter()
        .filter_map(|g| Some((g.internet_gateway_id()?.to_string(), g.clone())))
        .collect();
    Ok((found, resp.next_token().map(str::to_string)))
}

/// One DescribeInternetGateways per 200 ids (an `internet-gateway-id` filter).
async fn describe(ctx: &Ctx, ids: &[String]) -> Result<HashMap<String, Igw>, ProviderError> {
    describe_by_filter("internet-gateway-id", ids, |filter, next| page(ctx, vec![filter], next)).await
}

async fn attach(ctx: &Ctx, id: &str, vpc: &str) -> Result<(), ProviderError> {
    ctx.ec2
        .attach_internet_gateway()
        .internet_gateway_id(id)
        .vpc_id(vpc)
        .send()
        .boxed()
        .await
        .map_err(aws_error)?;
    Ok(())
}

/// Detaches from `vpc`, retried while EC2 says public addresses in the VPC are still mapped
/// (an EIP or NAT gateway being released at the same time); an attachment already gone is fine.
async fn detach(ctx: &Ctx, id: &str, vpc: &str) -> Result<(), ProviderError> {
    retry_dependency(
        ctx,
        &format!("internet gateway {id} to be free of mapped addresses"),
        || {
            let call = ctx
                .ec2
                .detach_internet_gateway()
                .internet_gateway_id(id)
                .vpc_id(vpc)
                .send()
                .boxed();
            async move {
                match call.await {
                    Ok(_) => Ok(()),
                    Err(e) => {
                        let e = aws_error(e);
                        // Already detached, or gone: nothing to undo.
                        if matches!(
                            e.code.as_deref(),
                            Some("Gateway.NotAttached") | Some("InvalidInternetGatewayID.NotFound")
                        ) {
                            Ok(())
                        } else {
                            Err(e)
                        }
                    }
                }
            }
        },
    )
    .await
}

async fn read_one(ctx: &Ctx, id: &str, planned: &Value) -> Result<Value, ProviderError> {
    let g = take(
        describe(ctx, &[id.to_string()]).await?,
        id,
        "InvalidInternetGatewayID.NotFound",
        format!("internet gateway {id} disappeared"),
    )?;
    Ok(to_value(ctx, &g, planned))
}

#[async_trait]
impl AwsResource for InternetGateway {
    fn type_name(&self) -> &'static str {
        "aws_internet_gateway"
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

    /// CreateInternetGateway takes no client token: the gateway gets the bookkeeping tags, and
    /// one an earlier, interrupted attempt made is adopted instead ([`super::adoptable`]).
    async fn create_as(&self, ctx: &Ctx, planned: &Value, creating: &Creating) -> Result<Value, ProviderError> {
        let tags = ctx.merged_tags(planned.get("tags"));
        let found = adoptable(ctx, creating, &tags, |f, next| page(ctx, f, next), Igw::tags, |_| true);
        let (id, adopted) = match found.await? {
            Some(id) => (id, true),
            None => {
                let mut req = ctx.ec2.create_internet_gateway();
                if let Some(spec) = tag_spec(ResourceType::InternetGateway, &creating.with_tags(tags)) {
                    req = req.tag_specifications(spec);
                }
                let resp = req.send().boxed().await.map_err(aws_error)?;
                let id = resp
                    .internet_gateway()
                    .and_then(|g| g.internet_gateway_id())
                    .map(str::to_string)
                    .ok_or_else(|| ProviderError::new("CreateInternetGateway returned no gateway id"))?;
                (id, false)
            }
        };
        // An adopted gateway may be attached already (or, the configuration having changed
        // since, to another VPC).
        let have = match adopted {
            true => describe(ctx, std::slice::from_ref(&id))
                .await?
                .get(&id)
                .and_then(attached_vpc)
                .map(str::to_string),
            false => None,
        };
        let want = opt_str(planned, "vpc_id");
        if have != want {
            if let Some(old) = &have {
                detach(ctx, &id, old).await?;
            }
            if let Some(new) = &want {
                attach(ctx, &id, new).await?;
            }
        }
        read_one(ctx, &id, planned).await
    }

    async fn update(&self, ctx: &Ctx, prior: &Value, planned: &Value) -> Result<Value, ProviderError> {
        let id = req_str(prior, "id")?;
        let (have, want) = (opt_str(prior, "vpc_id"), opt_str(planned, "vpc_id"));
        if have != want {
            if let Some(old) = &have {
                detach(ctx, &id, old).await?;
            }
            if let Some(new) = &want {
                attach(ctx, &id, new).await?;
            }
        }
        update_tags(ctx, &id, prior, planned).await?;
        read_one(ctx, &id, planned).await
    }

    async fn delete(&self, ctx: &Ctx, prior: &Value) -> Result<(), ProviderError> {
        let id = req_str(prior, "id")?;
        let ids = vec![id.clone()];
        // Detach from whatever VPC it is attached to now (not only the one in state).
        if let Some(g) = describe(ctx, &ids).await?.get(&id)
            && let Some(vpc) = attached_vpc(g)
        {
            detach(ctx, &id, vpc).await?;
        }
        retry_dependency(ctx, &format!("internet gateway {id} to be detached"), || {
            delete_call(
                ctx.ec2
                    .delete_internet_gateway()
                    .internet_gateway_id(&id)
                    .send()
                    .boxed(),
            )
        })
        .await?;
        wait_gone(ctx, &format!("internet gateway {id}"), || async {
            Ok(describe(ctx, &ids).await?.contains_key(&id))
        })
        .await
    }

    async fn read(&self, ctx: &Ctx, states: &[Value]) -> Result<Vec<Option<Value>>, ProviderError> {
        let found = describe(ctx, &ids_of(states)).await?;
        Ok(by_id(states, &found, |g, s| to_value(ctx, g, s)))
    }

    async fn import(&self, ctx: &Ctx, id: &str) -> Result<Value, ProviderError> {
        let found = describe(ctx, &[id.to_string()]).await?;
        let g = take(
            found,
            id,
            "InvalidInternetGatewayID.NotFound",
            format!("no internet gateway {id}"),
        )?;
        Ok(to_value(ctx, &g, &Value::Null))
    }
}
