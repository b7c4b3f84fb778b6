//! `aws_default_route_table`: adopts a VPC's main route table, as Terraform does: on adoption
//! every route but the local, propagated and VPC endpoint ones is deleted and the configured
//! `route` blocks are created; after that the blocks are managed exclusively when given
//! (computed when omitted, as `aws_security_group`'s rules). Destroy only forgets the table.
//! Import takes the VPC id (Terraform's). Table reads and refresh are `route_table`'s.

use std::sync::LazyLock;

use async_trait::async_trait;
use aws_sdk_ec2::types::{Filter, Route as Ec2Route, RouteOrigin, RouteTable as Rtb};
use futures::FutureExt as _;
use plinth_sdk::{
    Attribute, BlockSchema, Nesting, PlanRequest, PlanResponse, ProviderDiagnostic, ProviderError, Schema, Type, Value,
};

use super::route_table::describe;
use super::security_group::as_block_set;
use super::{by_id, diag, ids_of, plan_with_tags, tag_values, take};
use crate::error::aws_error;
use crate::tags::{Tagged, sync_tags, tags_from, with_tags};
use crate::util::{delete_call, opt_str, opt_string, req_str, string};
use crate::{AwsResource, Ctx};

pub struct DefaultRouteTable;

/// The destinations of an inline `route` block: exactly one is set.
const DESTINATIONS: &[&str] = &["cidr_block", "ipv6_cidr_block", "destination_prefix_list_id"];

/// The targets of an inline `route` block (Terraform v6's list for the default table).
const TARGETS: &[&str] = &[
    "core_network_arn",
    "egress_only_gateway_id",
    "gateway_id",
    "nat_gateway_id",
    "network_interface_id",
    "transit_gateway_id",
    "vpc_endpoint_id",
    "vpc_peering_connection_id",
];

static SCHEMA: LazyLock<Schema> = LazyLock::new(|| {
    let mut route = Schema::new("A route: one destination and one target.");
    for a in DESTINATIONS {
        route = route.attr(
            a,
            Attribute::optional(Type::String)
                .describe("The destination; exactly one of cidr_block, ipv6_cidr_block, destination_prefix_list_id."),
        );
    }
    for a in TARGETS {
        route = route.attr(
            a,
            Attribute::optional(Type::String).describe("A target; exactly one target is set."),
        );
    }
    let mut s = Schema::new(
        "A VPC's main route table, adopted: its routes become exactly the configured route blocks (left out: \
         the routes are not managed). Destroy forgets it. Import with the VPC id (vpc-...).",
    )
    .attr(
        "default_route_table_id",
        Attribute::required(Type::String)
            .force_new()
            .describe("The main route table to adopt (aws_vpc's default_route_table_id)."),
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
    )
    .computed_when_omitted("route")
    .unsupported(
        "propagating_vgws",
        "Enable route propagation with a separate resource \"aws_vpn_gateway_route_propagation\" per gateway \
         (vpn_gateway_id, route_table_id = aws_default_route_table.NAME.id).",
    );
    for (name, text) in [
        ("id", "The route table id."),
        ("arn", "The route table ARN."),
        ("owner_id", "The owning account."),
        ("vpc_id", "The VPC the table belongs to."),
    ] {
        s = s.attr(name, Attribute::computed(Type::String).describe(text));
    }
    with_tags(s).identity(&["id"])
});

/// Whether a route is one Terraform leaves out of `route`: the local route, propagated ones and
/// the prefix-list routes of gateway VPC endpoints (those are the endpoint's).
fn unmanaged(r: &Ec2Route) -> bool {
    r.gateway_id() == Some("local")
        || r.origin() == Some(&RouteOrigin::EnableVgwRoutePropagation)
        || (r.destination_prefix_list_id().is_some() && r.gateway_id().is_some_and(|g| g.starts_with("vpce-")))
}

/// A live route as a `route` block.
fn route_block(r: &Ec2Route) -> Value {
    let gw = r.gateway_id();
    Value::object([
        ("cidr_block", opt_string(r.destination_cidr_block())),
        ("ipv6_cidr_block", opt_string(r.destination_ipv6_cidr_block())),
        ("destination_prefix_list_id", opt_string(r.destination_prefix_list_id())),
        ("core_network_arn", opt_string(r.core_network_arn())),
        (
            "egress_only_gateway_id",
            opt_string(r.egress_only_internet_gateway_id()),
        ),
        ("gateway_id", opt_string(gw.filter(|g| !g.starts_with("vpce-")))),
        ("vpc_endpoint_id", opt_string(gw.filter(|g| g.starts_with("vpce-")))),
        ("nat_gateway_id", opt_string(r.nat_gateway_id())),
        // An instance target shows its interface; a NAT gateway's is AWS's own.
        (
            "network_interface_id",
            opt_string(r.network_interface_id().filter(|_| r.nat_gateway_id().is_none())),
        ),
        ("transit_gateway_id", opt_string(r.transit_gateway_id())),
        ("vpc_peering_connection_id", opt_string(r.vpc_peering_connection_id())),
    ])
}

/// The managed routes of `t` as a set of `route` blocks.
fn routes(t: &Rtb) -> Value {
    as_block_set(t.routes().iter().filter(|r| !unmanaged(r)).map(route_block).collect())
}

/// A `route` block with every attribute present (null unless set, empty strings as null), so
/// configured and live blocks compare.
fn normal(block: &Value) -> Value {
    Value::object(
        DESTINATIONS
            .iter()
            .chain(TARGETS)
            .map(|a| (*a, opt_string(opt_str(block, a)))),
    )
}

fn to_value(ctx: &Ctx, t: &Rtb, prior: &Value) -> Value {
    let id = t.route_table_id().unwrap_or_default().to_string();
    let owner = t.owner_id().unwrap_or_default().to_string();
    let (tags, tags_all) = tag_values(ctx, t.tags(), prior);
    Value::object([
        ("id", string(&id)),
        ("default_route_table_id", string(&id)),
        (
            "arn",
            string(format!("arn:aws:ec2:{}:{}:route-table/{}", ctx.region, owner, id)),
        ),
        ("owner_id", string(owner)),
        ("vpc_id", string(t.vpc_id().unwrap_or_default())),
        ("route", routes(t)),
        ("tags", tags),
        ("tags_all", tags_all),
    ])
}

async fn describe_one(ctx: &Ctx, id: &str) -> Result<Rtb, ProviderError> {
    take(
        describe(ctx, &[id.to_string()]).await?,
        id,
        "InvalidRouteTableID.NotFound",
        format!("no route table {id}"),
    )
}

/// The (attribute, value) of a block's destination.
fn destination(block: &Value) -> Result<(&'static str, String), ProviderError> {
    DESTINATIONS
        .iter()
        .find_map(|d| opt_str(block, d).map(|v| (*d, v)))
        .ok_or_else(|| {
            ProviderError::with_code(
                "MissingAttribute",
                "a route block needs one of cidr_block, ipv6_cidr_block, destination_prefix_list_id",
            )
        })
}

macro_rules! route_call {
    ($req:expr, $table:expr, $block:expr) => {{
        let (kind, dest) = destination($block)?;
        let req = $req.route_table_id($table);
        let req = match kind {
            "cidr_block" => req.destination_cidr_block(dest),
            "ipv6_cidr_block" => req.destination_ipv6_cidr_block(dest),
            _ => req.destination_prefix_list_id(dest),
        };
        req
    }};
}

async fn delete_route(ctx: &Ctx, table: &str, block: &Value) -> Result<(), ProviderError> {
    delete_call(route_call!(ctx.ec2.delete_route(), table, block).send().boxed()).await?;
    Ok(())
}

async fn create_route(ctx: &Ctx, table: &str, block: &Value) -> Result<(), ProviderError> {
    let t = |a: &str| opt_str(block, a);
    route_call!(ctx.ec2.create_route(), table, block)
        .set_core_network_arn(t("core_network_arn"))
        .set_egress_only_internet_gateway_id(t("egress_only_gateway_id"))
        .set_gateway_id(t("gateway_id"))
        .set_nat_gateway_id(t("nat_gateway_id"))
        .set_network_interface_id(t("network_interface_id"))
        .set_transit_gateway_id(t("transit_gateway_id"))
        .set_vpc_endpoint_id(t("vpc_endpoint_id"))
        .set_vpc_peering_connection_id(t("vpc_peering_connection_id"))
        .send()
        .boxed()
        .await
        .map_err(aws_error)?;
    Ok(())
}

/// Makes the managed routes of `table` exactly `want` (blocks): routes not wanted are deleted
/// first (so a destination whose target changes is deleted and created again), then missing
/// ones created.
async fn sync_routes(ctx: &Ctx, table: &Rtb, want: &Value) -> Result<(), ProviderError> {
    let id = table.route_table_id().unwrap_or_default();
    let want: Vec<Value> = want.as_list().into_iter().flatten().map(normal).collect();
    let have: Vec<Value> = routes(table).as_list().into_iter().flatten().map(normal).collect();
    for r in have.iter().filter(|r| !want.contains(r)) {
        delete_route(ctx, id, r).await?;
    }
    for r in want.iter().filter(|r| !have.contains(r)) {
        create_route(ctx, id, r).await?;
    }
    Ok(())
}

/// Whether `v` is a set of blocks the user gave (not left out, not yet unknown).
fn given(v: &Value) -> bool {
    !v.is_null() && !v.is_unknown()
}

#[async_trait]
impl AwsResource for DefaultRouteTable {
    fn type_name(&self) -> &'static str {
        "aws_default_route_table"
    }

    fn schema(&self) -> &Schema {
        &SCHEMA
    }

    fn validate(&self, config: &Value) -> Vec<ProviderDiagnostic> {
        let mut out = Vec::new();
        for block in config.get("route").as_list().into_iter().flatten() {
            // An unknown value (computed by another resource) counts as set.
            let set = |a: &&&str| !block.get(a).is_null();
            if DESTINATIONS.iter().filter(set).count() != 1 {
                out.push(diag(
                    "route",
                    "a route block needs exactly one destination",
                    "Set one of cidr_block, ipv6_cidr_block or destination_prefix_list_id in each route block.",
                ));
            }
            if TARGETS.iter().filter(set).count() != 1 {
                out.push(diag(
                    "route",
                    "a route block needs exactly one target",
                    format!("Set one of {} in each route block.", TARGETS.join(", ")),
                ));
            }
        }
        out
    }

    fn plan(&self, ctx: &Ctx, req: &PlanRequest) -> PlanResponse {
        plan_with_tags(&SCHEMA, ctx, req)
    }

    async fn create(&self, ctx: &Ctx, planned: &Value) -> Result<Value, ProviderError> {
        let id = req_str(planned, "default_route_table_id")?;
        let t = describe_one(ctx, &id).await?;
        // Adoption starts from no routes but the unmanaged ones, as Terraform's.
        let want = planned.get("route");
        let want = if given(want) {
            want.clone()
        } else {
            Value::List(Vec::new())
        };
        sync_routes(ctx, &t, &want).await?;
        let have = tags_from(t.tags().iter().map(|t| (t.key(), t.value())));
        sync_tags(ctx, Tagged::Ec2(&id), &have, &ctx.merged_tags(planned.get("tags"))).await?;
        Ok(to_value(ctx, &describe_one(ctx, &id).await?, planned))
    }

    async fn update(&self, ctx: &Ctx, prior: &Value, planned: &Value) -> Result<Value, ProviderError> {
        let id = req_str(prior, "id")?;
        if given(planned.get("route")) {
            let t = describe_one(ctx, &id).await?;
            sync_routes(ctx, &t, planned.get("route")).await?;
        }
        super::update_tags(ctx, &id, prior, planned).await?;
        Ok(to_value(ctx, &describe_one(ctx, &id).await?, planned))
    }

    async fn delete(&self, _ctx: &Ctx, _prior: &Value) -> Result<(), ProviderError> {
        // As Terraform: the main route table stays with its routes; it is only forgotten.
        Ok(())
    }

    async fn read(&self, ctx: &Ctx, states: &[Value]) -> Result<Vec<Option<Value>>, ProviderError> {
        let found = describe(ctx, &ids_of(states)).await?;
        Ok(by_id(states, &found, |t, s| to_value(ctx, t, s)))
    }

    async fn import(&self, ctx: &Ctx, id: &str) -> Result<Value, ProviderError> {
        let f = |n: &str, v: &str| Filter::builder().name(n).values(v).build();
        let resp = ctx
            .ec2
            .describe_route_tables()
            .filters(f("vpc-id", id))
            .filters(f("association.main", "true"))
            .send()
            .boxed()
            .await
            .map_err(aws_error)?;
        let t = resp.route_tables().first().ok_or_else(|| {
            ProviderError::with_code(
                "InvalidImportId",
                format!("{id:?} is not a VPC with a main route table (import aws_default_route_table with the VPC id)"),
            )
        })?;
        Ok(to_value(ctx, t, &Value::Null))
    }
}
