//! `aws_egress_only_internet_gateway`: the IPv6 egress-only gateway of a VPC (created attached,
//! replaced when the VPC changes). Routes through it are `aws_route`'s.

use std::collections::HashMap;
use std::sync::LazyLock;

use async_trait::async_trait;
use aws_sdk_ec2::types::{EgressOnlyInternetGateway as Eigw, ResourceType};
use futures::FutureExt as _;
use plinth_sdk::{Attribute, PlanRequest, PlanResponse, ProviderError, Schema, Type, Value};

use super::{by_id, describe_by_ids, ids_of, plan_with_tags, tag_spec, tag_values, take, update_tags};
use crate::error::{aws_error, code_of};
use crate::idempotent::{self, Creating};
use crate::tags::with_tags;
use crate::util::{delete_call, opt_string, req_str, string, wait_gone};
use crate::{AwsResource, Ctx};

pub struct EgressOnlyInternetGateway;

static SCHEMA: LazyLock<Schema> = LazyLock::new(|| {
    with_tags(
        Schema::new(
            "An egress-only internet gateway: outbound-only IPv6 traffic from a VPC. Import with the gateway id \
             (eigw-...).",
        )
        .attr(
            "vpc_id",
            Attribute::required(Type::String)
                .force_new()
                .describe("The VPC the gateway serves."),
        )
        .attr("id", Attribute::computed(Type::String).describe("The gateway id.")),
    )
    .identity(&["id"])
});

fn to_value(ctx: &Ctx, g: &Eigw, prior: &Value) -> Value {
    let (tags, tags_all) = tag_values(ctx, g.tags(), prior);
    let vpc = g.attachments().first().and_then(|a| a.vpc_id());
    Value::object([
        ("id", string(g.egress_only_internet_gateway_id().unwrap_or_default())),
        ("vpc_id", opt_string(vpc)),
        ("tags", tags),
        ("tags_all", tags_all),
    ])
}

/// The gateways among `ids` that exist: one DescribeEgressOnlyInternetGateways per 200 ids (the
/// call has no id filter); when a call fails because an id is gone, each id of that chunk alone.
async fn describe(ctx: &Ctx, ids: &[String]) -> Result<HashMap<String, Eigw>, ProviderError> {
    describe_by_ids(ctx, ids, |ctx, ids| async move { describe_ids(&ctx, ids).await }).await
}

/// One DescribeEgressOnlyInternetGateways of `ids` (following pages); `None` when one of them
/// does not exist.
async fn describe_ids(ctx: &Ctx, ids: Vec<String>) -> Result<Option<Vec<(String, Eigw)>>, ProviderError> {
    let mut out = Vec::new();
    let mut next: Option<String> = None;
    loop {
        let call = ctx
            .ec2
            .describe_egress_only_internet_gateways()
            .set_egress_only_internet_gateway_ids(Some(ids.clone()))
            .set_next_token(next.take())
            .send()
            .boxed()
            .await;
        let resp = match call {
            Ok(r) => r,
            Err(e) if code_of(&e).is_some_and(|c| c.ends_with(".NotFound")) => return Ok(None),
            Err(e) => return Err(aws_error(e)),
        };
        out.extend(
            resp.egress_only_internet_gateways()
                .iter()
                .filter_map(|g| Some((g.egress_only_internet_gateway_id()?.to_string(), g.clone()))),
        );
        match resp.next_token() {
            Some(t) if !t.is_empty() => next = Some(t.to_string()),
            _ => return Ok(Some(out)),
        }
    }
}

async fn read_one(ctx: &Ctx, id: &str, planned: &Value) -> Result<Value, ProviderError> {
    let g = take(
        describe(ctx, &[id.to_string()]).await?,
        id,
        "InvalidEgressOnlyInternetGatewayId.NotFound",
        format!("no egress-only internet gateway {id}"),
    )?;
    Ok(to_value(ctx, &g, planned))
}

#[async_trait]
impl AwsResource for EgressOnlyInternetGateway {
    fn type_name(&self) -> &'static str {
        "aws_egress_only_internet_gateway"
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

    /// With a client token derived from the planned change (see `docs/reliability.md`): a
    /// repeated call answers the egress-only internet gateway already made. The answer carries no state, so a
    /// token answered with an id that is not described (a egress-only internet gateway deleted since) moves on to the
    /// next generation's token.
    async fn create_as(&self, ctx: &Ctx, planned: &Value, creating: &Creating) -> Result<Value, ProviderError> {
        let tags = creating.with_tags(ctx.merged_tags(planned.get("tags")));
        let mut req = ctx
            .ec2
            .create_egress_only_internet_gateway()
            .vpc_id(req_str(planned, "vpc_id")?);
        if let Some(spec) = tag_spec(ResourceType::EgressOnlyInternetGateway, &tags) {
            req = req.tag_specifications(spec);
        }
        let id = creating
            .with_token(planned, "CreateEgressOnlyInternetGateway", |token| {
                let req = req.clone().client_token(token);
                async move {
                    let resp = req.send().boxed().await.map_err(aws_error)?;
                    let id = resp
                        .egress_only_internet_gateway()
                        .and_then(|g| g.egress_only_internet_gateway_id());
                    idempotent::answered(
                        ctx,
                        "CreateEgressOnlyInternetGateway",
                        "gateway id",
                        id,
                        |id| async move { describe(ctx, &[id]).await },
                    )
                    .await
                }
            })
            .await?;
        // EC2 is eventually consistent: wait until the new gateway is described.
        crate::util::wait_for(ctx, &format!("egress-only internet gateway {id} to appear"), || async {
            Ok(describe(ctx, std::slice::from_ref(&id)).await?.remove(&id))
        })
        .await
        .map(|g| to_value(ctx, &g, planned))
    }

    async fn update(&self, ctx: &Ctx, prior: &Value, planned: &Value) -> Result<Value, ProviderError> {
        let id = req_str(prior, "id")?;
        update_tags(ctx, &id, prior, planned).await?;
        read_one(ctx, &id, planned).await
    }

    async fn delete(&self, ctx: &Ctx, prior: &Value) -> Result<(), ProviderError> {
        let id = req_str(prior, "id")?;
        let ids = vec![id.clone()];
        delete_call(
            ctx.ec2
                .delete_egress_only_internet_gateway()
                .egress_only_internet_gateway_id(&id)
                .send()
                .boxed(),
        )
        .await?;
        wait_gone(ctx, &format!("egress-only internet gateway {id}"), || async {
            Ok(describe(ctx, &ids).await?.contains_key(&id))
        })
        .await
    }

    async fn read(&self, ctx: &Ctx, states: &[Value]) -> Result<Vec<Option<Value>>, ProviderError> {
        let found = describe(ctx, &ids_of(states)).await?;
        Ok(by_id(states, &found, |g, s| to_value(ctx, g, s)))
    }

    async fn import(&self, ctx: &Ctx, id: &str) -> Result<Value, ProviderError> {
        read_one(ctx, id, &Value::Null).await
    }
}
