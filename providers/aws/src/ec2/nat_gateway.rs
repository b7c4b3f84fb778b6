//! `aws_nat_gateway`: a NAT gateway in a subnet, public (with an Elastic IP) or private. Create
//! waits until it is `available` (a `failed` gateway is an error carrying AWS's reason) and
//! delete until it is `deleted`. Every argument but the tags replaces the gateway in Plinth.

use std::collections::HashMap;
use std::sync::LazyLock;

use async_trait::async_trait;
use aws_sdk_ec2::types::{ConnectivityType, NatGateway as Nat, NatGatewayState, ResourceType};
use futures::FutureExt as _;
use plinth_sdk::{Attribute, PlanRequest, PlanResponse, ProviderError, Schema, Type, Value};

use super::{describe_by_filter, ids_of, plan_with_tags, tag_spec, tag_values, take, update_tags};
use crate::error::aws_error;
use crate::idempotent::Creating;
use crate::tags::with_tags;
use crate::util::{delete_call, opt_i64, opt_str, opt_string, req_str, str_list, string, wait_for};
use crate::{AwsResource, Ctx};

pub struct NatGateway;

static SCHEMA: LazyLock<Schema> = LazyLock::new(|| {
    let strings = || Type::List(Box::new(Type::String));
    with_tags(
        Schema::new(
            "A NAT gateway: outbound internet access for private subnets (public connectivity, with an Elastic \
             IP), or NAT between networks (private). Import with the NAT gateway id (nat-...).",
        )
        .attr(
            "subnet_id",
            Attribute::required(Type::String)
                .force_new()
                .describe("The subnet to place the gateway in (a public subnet for public connectivity)."),
        )
        .attr(
            "allocation_id",
            Attribute::optional(Type::String)
                .force_new()
                .describe("The Elastic IP allocation for a public gateway."),
        )
        .attr(
            "connectivity_type",
            Attribute::optional_computed(Type::String)
                .force_new()
                .describe("public (the default) or private."),
        )
        .attr(
            "private_ip",
            Attribute::optional_computed(Type::String)
                .force_new()
                .describe("The private address; AWS picks one from the subnet when left out."),
        )
        .attr(
            "secondary_allocation_ids",
            Attribute::optional_computed(strings())
                .force_new()
                .describe("More Elastic IP allocations (public gateways). Plinth replaces the gateway to change them."),
        )
        .attr(
            "secondary_private_ip_address_count",
            Attribute::optional_computed(Type::Number)
                .force_new()
                .describe("How many secondary private addresses (private gateways). Changes replace the gateway."),
        )
        .attr(
            "secondary_private_ip_addresses",
            Attribute::optional_computed(strings())
                .force_new()
                .describe("Secondary private addresses (private gateways). Changes replace the gateway."),
        )
        .attr("id", Attribute::computed(Type::String).describe("The NAT gateway id."))
        .attr(
            "association_id",
            Attribute::computed(Type::String).describe("The association of its Elastic IP."),
        )
        .attr(
            "network_interface_id",
            Attribute::computed(Type::String).describe("Its network interface."),
        )
        .attr(
            "public_ip",
            Attribute::computed(Type::String).describe("Its public address (public gateways)."),
        ),
    )
    .identity(&["id"])
});

fn to_value(ctx: &Ctx, n: &Nat, prior: &Value) -> Value {
    let (tags, tags_all) = tag_values(ctx, n.tags(), prior);
    let addresses = n.nat_gateway_addresses();
    let primary = addresses
        .iter()
        .find(|a| a.is_primary() == Some(true))
        .or_else(|| addresses.first());
    let secondary: Vec<_> = addresses.iter().filter(|a| a.is_primary() == Some(false)).collect();
    let private_gw = n.connectivity_type().map(|c| c.as_str()) == Some("private");
    let secondary_allocations: Vec<Value> = secondary.iter().filter_map(|a| a.allocation_id()).map(string).collect();
    let secondary_ips: Vec<Value> = if private_gw {
        secondary.iter().filter_map(|a| a.private_ip()).map(string).collect()
    } else {
        Vec::new()
    };
    let count = secondary_ips.len() as i64;
    Value::object([
        ("id", opt_string(n.nat_gateway_id())),
        ("subnet_id", opt_string(n.subnet_id())),
        ("allocation_id", opt_string(primary.and_then(|a| a.allocation_id()))),
        ("association_id", opt_string(primary.and_then(|a| a.association_id()))),
        (
            "network_interface_id",
            opt_string(primary.and_then(|a| a.network_interface_id())),
        ),
        ("public_ip", opt_string(primary.and_then(|a| a.public_ip()))),
        ("private_ip", opt_string(primary.and_then(|a| a.private_ip()))),
        (
            "connectivity_type",
            string(n.connectivity_type().map(|c| c.as_str()).unwrap_or("public")),
        ),
        ("secondary_allocation_ids", Value::List(secondary_allocations)),
        ("secondary_private_ip_addresses", Value::List(secondary_ips)),
        ("secondary_private_ip_address_count", Value::int(count)),
        ("tags", tags),
        ("tags_all", tags_all),
    ])
}

fn gone(n: &Nat) -> bool {
    matches!(n.state(), Some(NatGatewayState::Deleted))
}

/// One DescribeNatGateways per 200 ids (a `nat-gateway-id` filter). A deleted gateway stays
/// visible for a while as `deleted`: it counts as gone.
async fn describe(ctx: &Ctx, ids: &[String]) -> Result<HashMap<String, Nat>, ProviderError> {
    describe_by_filter("nat-gateway-id", ids, |filter, next| async move {
        let resp = ctx
            .ec2
            .describe_nat_gateways()
            .filter(filter)
            .max_results(1000)
            .set_next_token(next)
            .send()
            .boxed()
            .await
            .map_err(aws_error)?;
        let found = resp
            .nat_gateways()
            .iter()
            .filter(|n| !gone(n))
            .filter_map(|n| Some((n.nat_gateway_id()?.to_string(), n.clone())))
            .collect();
        Ok((found, resp.next_token().map(str::to_string)))
    })
    .await
}

/// Waits until `id` leaves `pending`: `available` is done, `failed` an error with AWS's reason.
async fn wait_available(ctx: &Ctx, id: &str) -> Result<Nat, ProviderError> {
    let ids = [id.to_string()];
    let n = wait_for(ctx, &format!("NAT gateway {id} to be available"), || async {
        let found = describe(ctx, &ids).await?;
        Ok(found
            .get(id)
            .filter(|n| !matches!(n.state(), Some(NatGatewayState::Pending) | None))
            .cloned())
    })
    .await?;
    if n.state() == Some(&NatGatewayState::Available) {
        return Ok(n);
    }
    Err(ProviderError::with_code(
        n.failure_code().unwrap_or("NatGatewayFailed"),
        format!(
            "NAT gateway {id} is {}: {}",
            n.state().map(|s| s.as_str()).unwrap_or("in an unknown state"),
            n.failure_message().unwrap_or("AWS gave no reason")
        ),
    ))
}

#[async_trait]
impl AwsResource for NatGateway {
    fn type_name(&self) -> &'static str {
        "aws_nat_gateway"
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
    /// repeated call answers the NAT gateway already made. A token answered with a failed or
    /// deleted gateway moves on to the next generation's token.
    async fn create_as(&self, ctx: &Ctx, planned: &Value, creating: &Creating) -> Result<Value, ProviderError> {
        let tags = creating.with_tags(ctx.merged_tags(planned.get("tags")));
        let list = |k: &str| Some(str_list(planned, k)).filter(|l| !l.is_empty());
        let mut req = ctx
            .ec2
            .create_nat_gateway()
            .subnet_id(req_str(planned, "subnet_id")?)
            .set_allocation_id(opt_str(planned, "allocation_id"))
            .set_connectivity_type(opt_str(planned, "connectivity_type").map(|c| ConnectivityType::from(c.as_str())))
            .set_private_ip_address(opt_str(planned, "private_ip"))
            .set_secondary_allocation_ids(list("secondary_allocation_ids"))
            .set_secondary_private_ip_addresses(list("secondary_private_ip_addresses"))
            .set_secondary_private_ip_address_count(
                opt_i64(planned, "secondary_private_ip_address_count")
                    .filter(|n| *n > 0)
                    .map(|n| n as i32),
            );
        if let Some(spec) = tag_spec(ResourceType::Natgateway, &tags) {
            req = req.tag_specifications(spec);
        }
        let id = creating
            .with_token(planned, "CreateNatGateway", |token| {
                let req = req.clone().client_token(token);
                async move {
                    let resp = req.send().boxed().await.map_err(aws_error)?;
                    let n = resp
                        .nat_gateway()
                        .ok_or_else(|| ProviderError::new("CreateNatGateway returned no NAT gateway"))?;
                    let id = n
                        .nat_gateway_id()
                        .ok_or_else(|| ProviderError::new("CreateNatGateway returned no NAT gateway id"))?;
                    let gone = matches!(
                        n.state(),
                        Some(NatGatewayState::Failed | NatGatewayState::Deleting | NatGatewayState::Deleted)
                    );
                    Ok((id.to_string(), gone))
                }
            })
            .await?;
        let n = wait_available(ctx, &id).await?;
        Ok(to_value(ctx, &n, planned))
    }

    async fn update(&self, ctx: &Ctx, prior: &Value, planned: &Value) -> Result<Value, ProviderError> {
        let id = req_str(prior, "id")?;
        update_tags(ctx, &id, prior, planned).await?;
        let n = take(
            describe(ctx, std::slice::from_ref(&id)).await?,
            &id,
            "NatGatewayNotFound",
            format!("NAT gateway {id} disappeared during update"),
        )?;
        Ok(to_value(ctx, &n, planned))
    }

    async fn delete(&self, ctx: &Ctx, prior: &Value) -> Result<(), ProviderError> {
        let id = req_str(prior, "id")?;
        delete_call(ctx.ec2.delete_nat_gateway().nat_gateway_id(&id).send().boxed()).await?;
        let ids = vec![id.clone()];
        crate::util::wait_gone(ctx, &format!("NAT gateway {id}"), || async {
            Ok(describe(ctx, &ids).await?.contains_key(&id))
        })
        .await
    }

    async fn read(&self, ctx: &Ctx, states: &[Value]) -> Result<Vec<Option<Value>>, ProviderError> {
        let found = describe(ctx, &ids_of(states)).await?;
        Ok(super::by_id(states, &found, |n, s| to_value(ctx, n, s)))
    }

    async fn import(&self, ctx: &Ctx, id: &str) -> Result<Value, ProviderError> {
        let found = describe(ctx, &[id.to_string()]).await?;
        let n = take(found, id, "NatGatewayNotFound", format!("no NAT gateway {id}"))?;
        Ok(to_value(ctx, &n, &Value::Null))
    }
}
