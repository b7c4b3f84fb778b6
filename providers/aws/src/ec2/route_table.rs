//! `aws_route_table`: a VPC route table. Routes are `aws_route`'s and subnet links
//! `aws_route_table_association`'s: the inline `route` blocks and `propagating_vgws` of
//! Terraform's schema are accepted by the parser but refused by validation with an error that
//! points to those types (see docs/providers/aws.md, "Routes: separate, not inline").

use std::collections::HashMap;
use std::sync::LazyLock;

use async_trait::async_trait;
use aws_sdk_ec2::types::{ResourceType, RouteTable as Rtb};
use futures::FutureExt as _;
use plinth_sdk::{
    AttrPath, Attribute, BlockSchema, Nesting, PlanRequest, PlanResponse, ProviderDiagnostic, ProviderError, Schema,
    Severity, Type, Value,
};

use super::{
    by_id, delete_when_free, describe_by_filter, ids_of, plan_with_tags, tag_spec, tag_values, take, update_tags,
};
use crate::error::aws_error;
use crate::idempotent::{self, Creating};
use crate::tags::with_tags;
use crate::util::{delete_call, req_str, string};
use crate::{AwsResource, Ctx};

pub struct RouteTable;

/// The attributes of Terraform's inline `route` block, accepted so configurations parse.
const ROUTE_ATTRS: &[&str] = &[
    "cidr_block",
    "ipv6_cidr_block",
    "destination_prefix_list_id",
    "carrier_gateway_id",
    "core_network_arn",
    "egress_only_gateway_id",
    "gateway_id",
    "local_gateway_id",
    "nat_gateway_id",
    "network_interface_id",
    "transit_gateway_id",
    "vpc_endpoint_id",
    "vpc_peering_connection_id",
];

static SCHEMA: LazyLock<Schema> = LazyLock::new(|| {
    let mut route = Schema::new("An inline route: not supported, use aws_route.");
    for a in ROUTE_ATTRS {
        route = route.attr(a, Attribute::optional(Type::String));
    }
    with_tags(
        Schema::new(
            "A route table of a VPC. Its routes are aws_route resources and its subnets \
             aws_route_table_association resources; inline route blocks are refused. Import with the route \
             table id (rtb-...).",
        )
        .attr(
            "vpc_id",
            Attribute::required(Type::String)
                .force_new()
                .describe("The VPC the table belongs to."),
        )
        .attr(
            "propagating_vgws",
            Attribute::optional(Type::List(Box::new(Type::String)))
                .describe("Virtual private gateways whose routes propagate here: not supported yet."),
        )
        .attr("id", Attribute::computed(Type::String).describe("The route table id."))
        .attr(
            "arn",
            Attribute::computed(Type::String).describe("The route table ARN."),
        )
        .attr(
            "owner_id",
            Attribute::computed(Type::String).describe("The owning account."),
        )
        .block(
            "route",
            BlockSchema {
                nesting: Nesting::Set,
                schema: route,
                min_items: 0,
                max_items: None,
                force_new: false,
            },
        ),
    )
    .identity(&["id"])
});

fn to_value(ctx: &Ctx, t: &Rtb, prior: &Value) -> Value {
    let id = t.route_table_id().unwrap_or_default().to_string();
    let owner = t.owner_id().unwrap_or_default().to_string();
    let (tags, tags_all) = tag_values(ctx, t.tags(), prior);
    Value::object([
        ("id", string(&id)),
        (
            "arn",
            string(format!("arn:aws:ec2:{}:{}:route-table/{}", ctx.region, owner, id)),
        ),
        ("owner_id", string(owner)),
        ("vpc_id", string(t.vpc_id().unwrap_or_default())),
        // Routes live in aws_route resources; the inline set is never populated (validation
        // refuses it), so routes added elsewhere are not drift of this resource.
        ("route", Value::List(Vec::new())),
        ("propagating_vgws", prior.get("propagating_vgws").clone()),
        ("tags", tags),
        ("tags_all", tags_all),
    ])
}

/// One DescribeRouteTables per 200 ids (a `route-table-id` filter). Shared with `aws_route`,
/// which refreshes its routes by their tables.
pub(crate) async fn describe(ctx: &Ctx, ids: &[String]) -> Result<HashMap<String, Rtb>, ProviderError> {
    describe_by_filter("route-table-id", ids, |filter, next| async move {
        let resp = ctx
            .ec2
            .describe_route_tables()
            .filters(filter)
            .max_results(100)
            .set_next_token(next)
            .send()
            .boxed()
            .await
            .map_err(aws_error)?;
        let found = resp
            .route_tables()
            .iter()
            .filter_map(|t| Some((t.route_table_id()?.to_string(), t.clone())))
            .collect();
        Ok((found, resp.next_token().map(str::to_string)))
    })
    .await
}

async fn read_one(ctx: &Ctx, id: &str, planned: &Value) -> Result<Value, ProviderError> {
    let t = take(
        describe(ctx, &[id.to_string()]).await?,
        id,
        "InvalidRouteTableID.NotFound",
        format!("route table {id} disappeared"),
    )?;
    Ok(to_value(ctx, &t, planned))
}

fn refuse(attr: &str, summary: &str, detail: &str) -> ProviderDiagnostic {
    ProviderDiagnostic {
        severity: Severity::Error,
        summary: summary.into(),
        detail: detail.into(),
        attribute: Some(AttrPath::attr(attr)),
    }
}

#[async_trait]
impl AwsResource for RouteTable {
    fn type_name(&self) -> &'static str {
        "aws_route_table"
    }

    fn schema(&self) -> &Schema {
        &SCHEMA
    }

    fn validate(&self, config: &Value) -> Vec<ProviderDiagnostic> {
        let mut out = Vec::new();
        if config.get("route").as_list().is_some_and(|l| !l.is_empty()) {
            out.push(refuse(
                "route",
                "inline route blocks in aws_route_table are not supported",
                "Plinth manages routes only as separate aws_route resources. Move each route block into \
                 resource \"aws_route\" with route_table_id = aws_route_table.NAME.id, cidr_block as \
                 destination_cidr_block (ipv6_cidr_block as destination_ipv6_cidr_block) and the same target \
                 (gateway_id, nat_gateway_id, ...). Terraform forbids mixing the two styles on one table anyway.",
            ));
        }
        if config.get("propagating_vgws").as_list().is_some_and(|l| !l.is_empty()) {
            out.push(refuse(
                "propagating_vgws",
                "propagating_vgws is not supported yet",
                "Enable route propagation with a separate resource \"aws_vpn_gateway_route_propagation\" per \
                 gateway (vpn_gateway_id, route_table_id = aws_route_table.NAME.id) and remove propagating_vgws.",
            ));
        }
        out
    }

    fn plan(&self, ctx: &Ctx, req: &PlanRequest) -> PlanResponse {
        plan_with_tags(&SCHEMA, ctx, req)
    }

    async fn create(&self, ctx: &Ctx, planned: &Value) -> Result<Value, ProviderError> {
        self.create_as(ctx, planned, &Creating::default()).await
    }

    /// With a client token derived from the planned change (see `docs/reliability.md`): a
    /// repeated call answers the route table already made. The answer carries no state, so a
    /// token answered with an id that is not described (a route table deleted since) moves on to the
    /// next generation's token.
    async fn create_as(&self, ctx: &Ctx, planned: &Value, creating: &Creating) -> Result<Value, ProviderError> {
        let tags = creating.with_tags(ctx.merged_tags(planned.get("tags")));
        let mut req = ctx.ec2.create_route_table().vpc_id(req_str(planned, "vpc_id")?);
        if let Some(spec) = tag_spec(ResourceType::RouteTable, &tags) {
            req = req.tag_specifications(spec);
        }
        let id = creating
            .with_token(planned, "CreateRouteTable", |token| {
                let req = req.clone().client_token(token);
                async move {
                    let resp = req.send().boxed().await.map_err(aws_error)?;
                    let id = resp.route_table().and_then(|t| t.route_table_id());
                    idempotent::answered(ctx, "CreateRouteTable", "route table id", id, |id| async move {
                        describe(ctx, &[id]).await
                    })
                    .await
                }
            })
            .await?;
        read_one(ctx, &id, planned).await
    }

    async fn update(&self, ctx: &Ctx, prior: &Value, planned: &Value) -> Result<Value, ProviderError> {
        let id = req_str(prior, "id")?;
        update_tags(ctx, &id, prior, planned).await?;
        read_one(ctx, &id, planned).await
    }

    async fn delete(&self, ctx: &Ctx, prior: &Value) -> Result<(), ProviderError> {
        let id = req_str(prior, "id")?;
        let ids = vec![id.clone()];
        // As Terraform does: subnet and gateway associations made outside this configuration
        // would block the delete, so they go first (the main association cannot be removed).
        if let Some(t) = describe(ctx, &ids).await?.get(&id) {
            for a in t.associations() {
                if a.main() == Some(true) {
                    continue;
                }
                if let Some(assoc) = a.route_table_association_id() {
                    delete_call(ctx.ec2.disassociate_route_table().association_id(assoc).send().boxed()).await?;
                }
            }
        }
        let delete = || delete_call(ctx.ec2.delete_route_table().route_table_id(&id).send().boxed());
        let exists = || async { Ok(describe(ctx, &ids).await?.contains_key(&id)) };
        delete_when_free(
            ctx,
            &format!("route table {id}"),
            "to be free of associations",
            delete,
            exists,
        )
        .await
    }

    async fn read(&self, ctx: &Ctx, states: &[Value]) -> Result<Vec<Option<Value>>, ProviderError> {
        let found = describe(ctx, &ids_of(states)).await?;
        Ok(by_id(states, &found, |t, s| to_value(ctx, t, s)))
    }

    async fn import(&self, ctx: &Ctx, id: &str) -> Result<Value, ProviderError> {
        let found = describe(ctx, &[id.to_string()]).await?;
        let t = take(
            found,
            id,
            "InvalidRouteTableID.NotFound",
            format!("no route table {id}"),
        )?;
        Ok(to_value(ctx, &t, &Value::Null))
    }
}
