//! `aws_vpn_gateway_route_propagation`: a route table that learns the routes of a VPN gateway
//! (EnableVgwRoutePropagation / DisableVgwRoutePropagation). Refresh reads the tables' propagating
//! gateways: one DescribeRouteTables per 200 tables.

use std::sync::LazyLock;

use async_trait::async_trait;
use futures::FutureExt as _;
use plinth_sdk::{Attribute, ProviderError, Schema, Type, Value};

use super::route_table::describe;
use crate::error::{aws_error, code_of};
use crate::util::{opt_str, req_str, string, wait_for, wait_gone};
use crate::{AwsResource, Ctx};

pub struct VpnGatewayRoutePropagation;

static SCHEMA: LazyLock<Schema> = LazyLock::new(|| {
    Schema::new(
        "Propagates the routes a VPN gateway learns into a route table. Import with VPN_GATEWAY_ID_ROUTE_TABLE_ID \
         (the id).",
    )
    .attr(
        "vpn_gateway_id",
        Attribute::required(Type::String)
            .force_new()
            .describe("The VPN gateway (vgw-...), attached to the table's VPC."),
    )
    .attr(
        "route_table_id",
        Attribute::required(Type::String)
            .force_new()
            .describe("The route table."),
    )
    .attr(
        "id",
        Attribute::computed(Type::String).describe("VPN_GATEWAY_ID_ROUTE_TABLE_ID, as Terraform's."),
    )
    .identity(&["vpn_gateway_id", "route_table_id"])
});

fn to_value(gateway: &str, table: &str) -> Value {
    Value::object([
        ("id", string(format!("{gateway}_{table}"))),
        ("vpn_gateway_id", string(gateway)),
        ("route_table_id", string(table)),
    ])
}

fn pair(v: &Value) -> Option<(String, String)> {
    Some((opt_str(v, "vpn_gateway_id")?, opt_str(v, "route_table_id")?))
}

/// Which of `pairs` (gateway, table) propagate.
async fn propagating(ctx: &Ctx, pairs: &[(String, String)]) -> Result<Vec<bool>, ProviderError> {
    let tables: Vec<String> = pairs.iter().map(|(_, t)| t.clone()).collect();
    let found = describe(ctx, &tables).await?;
    Ok(pairs
        .iter()
        .map(|(g, t)| {
            found
                .get(t)
                .is_some_and(|t| t.propagating_vgws().iter().any(|p| p.gateway_id() == Some(g)))
        })
        .collect())
}

#[async_trait]
impl AwsResource for VpnGatewayRoutePropagation {
    fn type_name(&self) -> &'static str {
        "aws_vpn_gateway_route_propagation"
    }

    fn schema(&self) -> &Schema {
        &SCHEMA
    }

    async fn create(&self, ctx: &Ctx, planned: &Value) -> Result<Value, ProviderError> {
        let (gateway, table) = (req_str(planned, "vpn_gateway_id")?, req_str(planned, "route_table_id")?);
        // A gateway attached a moment ago may not be known as attached yet.
        wait_for(
            ctx,
            &format!("VPN gateway {gateway} to be attached for route propagation into {table}"),
            || async {
                match ctx
                    .ec2
                    .enable_vgw_route_propagation()
                    .gateway_id(&gateway)
                    .route_table_id(&table)
                    .send()
                    .boxed()
                    .await
                {
                    Ok(_) => Ok(Some(())),
                    Err(e) if code_of(&e) == Some("Gateway.NotAttached") => Ok(None),
                    Err(e) => Err(aws_error(e)),
                }
            },
        )
        .await?;
        let pairs = [(gateway.clone(), table.clone())];
        wait_for(
            ctx,
            &format!("route table {table} to propagate VPN gateway {gateway}"),
            || async { Ok((propagating(ctx, &pairs).await?.first() == Some(&true)).then_some(())) },
        )
        .await?;
        Ok(to_value(&gateway, &table))
    }

    async fn update(&self, _ctx: &Ctx, prior: &Value, _planned: &Value) -> Result<Value, ProviderError> {
        // Both arguments force a new propagation; only `timeouts` can change in place.
        Ok(prior.clone())
    }

    async fn delete(&self, ctx: &Ctx, prior: &Value) -> Result<(), ProviderError> {
        let (gateway, table) = (req_str(prior, "vpn_gateway_id")?, req_str(prior, "route_table_id")?);
        match ctx
            .ec2
            .disable_vgw_route_propagation()
            .gateway_id(&gateway)
            .route_table_id(&table)
            .send()
            .boxed()
            .await
        {
            Ok(_) => {}
            Err(e) if code_of(&e).is_some_and(|c| c.ends_with(".NotFound")) => return Ok(()),
            Err(e) => return Err(aws_error(e)),
        }
        let pairs = [(gateway.clone(), table.clone())];
        wait_gone(
            ctx,
            &format!("the propagation of VPN gateway {gateway} into route table {table}"),
            || async { Ok(propagating(ctx, &pairs).await?.first() == Some(&true)) },
        )
        .await
    }

    async fn read(&self, ctx: &Ctx, states: &[Value]) -> Result<Vec<Option<Value>>, ProviderError> {
        let pairs: Vec<(String, String)> = states.iter().filter_map(pair).collect();
        let mut live = pairs.iter().zip(propagating(ctx, &pairs).await?);
        Ok(states
            .iter()
            .map(|s| {
                pair(s)?;
                let ((g, t), on) = live.next()?;
                on.then(|| to_value(g, t))
            })
            .collect())
    }

    async fn import(&self, ctx: &Ctx, id: &str) -> Result<Value, ProviderError> {
        let (gateway, table) = id
            .split_once('_')
            .filter(|(g, t)| !g.is_empty() && !t.is_empty())
            .ok_or_else(|| {
                ProviderError::with_code(
                    "InvalidImportId",
                    format!("{id:?} is not VPN_GATEWAY_ID_ROUTE_TABLE_ID"),
                )
            })?;
        let pairs = [(gateway.to_string(), table.to_string())];
        if propagating(ctx, &pairs).await?.first() != Some(&true) {
            return Err(ProviderError::with_code(
                "InvalidRouteTablePropagation.NotFound",
                format!("route table {table} does not propagate VPN gateway {gateway}"),
            ));
        }
        Ok(to_value(gateway, table))
    }
}
