//! `aws_route`: one route of a route table, found by its table and destination. A route has no
//! id of its own in EC2: the id is Terraform's (`r-` + table id + a CRC-32 of the destination)
//! and import takes `TABLE_DESTINATION`, as Terraform's does. The target changes in place
//! (ReplaceRoute); table and destination replace the route. Refresh reads the routes' tables,
//! one DescribeRouteTables per 200 tables.

use std::collections::HashMap;
use std::sync::LazyLock;

use async_trait::async_trait;
use aws_sdk_ec2::types::{Route as Ec2Route, RouteTable as Rtb};
use futures::FutureExt as _;
use plinth_sdk::{Attribute, PlanRequest, PlanResponse, ProviderDiagnostic, ProviderError, Schema, Type, Value};

use super::route_table::describe as describe_tables;
use super::{adopt_content, diag};
use crate::error::aws_error;
use crate::idempotent::Creating;
use crate::util::{delete_call, opt_str, opt_string, req_str, string, wait_for};
use crate::{AwsResource, Ctx};

pub struct Route;

/// The destination attributes: exactly one is set.
const DESTINATIONS: &[&str] = &[
    "destination_cidr_block",
    "destination_ipv6_cidr_block",
    "destination_prefix_list_id",
];

/// The target attributes (changed in place by ReplaceRoute).
const TARGETS: &[&str] = &[
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
    let mut s = Schema::new(
        "One route of a route table. Import with ROUTE_TABLE_ID_DESTINATION, such as \
         rtb-0123456789abcdef0_0.0.0.0/0 (or the IPv6 CIDR, or the prefix list id).",
    )
    .attr(
        "route_table_id",
        Attribute::required(Type::String)
            .force_new()
            .describe("The table the route belongs to."),
    );
    for d in DESTINATIONS {
        s = s.attr(
            d,
            Attribute::optional(Type::String)
                .force_new()
                .describe("The destination; exactly one of the three destination arguments."),
        );
    }
    for t in TARGETS {
        let attr = if *t == "network_interface_id" {
            // AWS reports the interface of an instance or NAT target too, as Terraform's schema
            // allows (optional and computed).
            Attribute::optional_computed(Type::String)
        } else {
            Attribute::optional(Type::String)
        };
        s = s.attr(
            t,
            attr.describe("A target; exactly one target is set. Changed in place."),
        );
    }
    for (name, text) in [
        ("id", "r-<table id><CRC-32 of the destination>, as Terraform's."),
        ("instance_id", "The instance behind the target, if any."),
        ("instance_owner_id", "The account owning that instance."),
        (
            "origin",
            "How the route was made (CreateRoute, CreateRouteTable, EnableVgwRoutePropagation).",
        ),
        ("state", "active or blackhole (the target is gone)."),
    ] {
        s = s.attr(name, Attribute::computed(Type::String).describe(text));
    }
    // The id is derived from table and destination, so it names the route alone.
    s.identity(&["id"])
});

/// Terraform's route id: `r-` + table id + `create.StringHashcode(destination)` (CRC-32 IEEE).
fn route_id(table: &str, destination: &str) -> String {
    format!("r-{table}{}", crc32fast::hash(destination.as_bytes()))
}

/// The configured (attribute, destination) of a route, or an error naming what is missing.
fn destination(v: &Value) -> Result<(&'static str, String), ProviderError> {
    DESTINATIONS
        .iter()
        .find_map(|d| opt_str(v, d).map(|x| (*d, x)))
        .ok_or_else(|| {
            ProviderError::with_code(
                "MissingAttribute",
                "aws_route needs one of destination_cidr_block, destination_ipv6_cidr_block, destination_prefix_list_id",
            )
        })
}

/// The route for destination `dest` (attribute `kind`) in table `t`.
fn find<'a>(t: &'a Rtb, kind: &str, dest: &str) -> Option<&'a Ec2Route> {
    t.routes().iter().find(|r| {
        let have = match kind {
            "destination_cidr_block" => r.destination_cidr_block(),
            "destination_ipv6_cidr_block" => r.destination_ipv6_cidr_block(),
            _ => r.destination_prefix_list_id(),
        };
        have == Some(dest)
    })
}

fn to_value(table: &str, kind: &str, dest: &str, r: &Ec2Route) -> Value {
    let mut m: Vec<(&str, Value)> = vec![
        ("id", string(route_id(table, dest))),
        ("route_table_id", string(table)),
        ("carrier_gateway_id", opt_string(r.carrier_gateway_id())),
        ("core_network_arn", opt_string(r.core_network_arn())),
        (
            "egress_only_gateway_id",
            opt_string(r.egress_only_internet_gateway_id()),
        ),
        // The local route's gateway is "local"; a VPC endpoint route shows its endpoint as the
        // gateway id, which Terraform reports as vpc_endpoint_id.
        (
            "gateway_id",
            opt_string(r.gateway_id().filter(|g| !g.starts_with("vpce-"))),
        ),
        (
            "vpc_endpoint_id",
            opt_string(r.gateway_id().filter(|g| g.starts_with("vpce-"))),
        ),
        ("local_gateway_id", opt_string(r.local_gateway_id())),
        ("nat_gateway_id", opt_string(r.nat_gateway_id())),
        ("network_interface_id", opt_string(r.network_interface_id())),
        ("transit_gateway_id", opt_string(r.transit_gateway_id())),
        ("vpc_peering_connection_id", opt_string(r.vpc_peering_connection_id())),
        ("instance_id", opt_string(r.instance_id())),
        ("instance_owner_id", opt_string(r.instance_owner_id())),
        ("origin", opt_string(r.origin().map(|o| o.as_str().to_string()))),
        ("state", opt_string(r.state().map(|s| s.as_str().to_string()))),
    ];
    for d in DESTINATIONS {
        m.push((d, if *d == kind { string(dest) } else { Value::Null }));
    }
    Value::object(m)
}

/// The route of `state` in the tables `found`, or `None` when the table or the route is gone.
fn from_tables(found: &HashMap<String, Rtb>, state: &Value) -> Option<Value> {
    let table = opt_str(state, "route_table_id")?;
    let (kind, dest) = destination(state).ok()?;
    let r = find(found.get(&table)?, kind, &dest)?;
    Some(to_value(&table, kind, &dest, r))
}

async fn read_one(ctx: &Ctx, state: &Value) -> Result<Option<Value>, ProviderError> {
    let table = req_str(state, "route_table_id")?;
    let found = describe_tables(ctx, &[table]).await?;
    Ok(from_tables(&found, state))
}

macro_rules! with_route {
    ($req:expr, $table:expr, $kind:expr, $dest:expr, $v:expr) => {{
        let req = $req.route_table_id($table);
        let req = match $kind {
            "destination_cidr_block" => req.destination_cidr_block($dest),
            "destination_ipv6_cidr_block" => req.destination_ipv6_cidr_block($dest),
            _ => req.destination_prefix_list_id($dest),
        };
        req.set_carrier_gateway_id(opt_str($v, "carrier_gateway_id"))
            .set_core_network_arn(opt_str($v, "core_network_arn"))
            .set_egress_only_internet_gateway_id(opt_str($v, "egress_only_gateway_id"))
            .set_gateway_id(opt_str($v, "gateway_id"))
            .set_local_gateway_id(opt_str($v, "local_gateway_id"))
            .set_nat_gateway_id(opt_str($v, "nat_gateway_id"))
            .set_network_interface_id(opt_str($v, "network_interface_id"))
            .set_transit_gateway_id(opt_str($v, "transit_gateway_id"))
            .set_vpc_endpoint_id(opt_str($v, "vpc_endpoint_id"))
            .set_vpc_peering_connection_id(opt_str($v, "vpc_peering_connection_id"))
    }};
}

/// Whether the route `have` goes to the target `planned` names (every target set there is the
/// same in `have`; an interface AWS computes for an instance target is not compared).
fn same_target(planned: &Value, have: &Value) -> bool {
    let set: Vec<&str> = TARGETS
        .iter()
        .copied()
        .filter(|t| planned.get(t).as_str().is_some())
        .collect();
    !set.is_empty() && set.iter().all(|t| planned.get(t) == have.get(t))
}

/// Waits until the route is in its table (EC2 is eventually consistent) and returns its state.
async fn wait_route(ctx: &Ctx, planned: &Value) -> Result<Value, ProviderError> {
    let (_, dest) = destination(planned)?;
    wait_for(ctx, &format!("route to {dest} to appear"), || read_one(ctx, planned)).await
}

#[async_trait]
impl AwsResource for Route {
    fn type_name(&self) -> &'static str {
        "aws_route"
    }

    fn schema(&self) -> &Schema {
        &SCHEMA
    }

    fn validate(&self, config: &Value) -> Vec<ProviderDiagnostic> {
        let mut out = Vec::new();
        let set = |a: &&&str| !config.get(a).is_null();
        let dests = DESTINATIONS.iter().filter(set).count();
        if dests != 1 {
            out.push(diag(
                "destination_cidr_block",
                "aws_route needs exactly one destination",
                "Set one of destination_cidr_block, destination_ipv6_cidr_block or destination_prefix_list_id.",
            ));
        }
        let targets: Vec<&str> = TARGETS.iter().filter(set).copied().collect();
        if targets.len() > 1 {
            out.push(diag(
                targets[1],
                "aws_route takes one target",
                format!("Set only one of {}.", targets.join(", ")),
            ));
        }
        if targets.is_empty() {
            out.push(diag(
                "gateway_id",
                "aws_route needs a target",
                format!("Set one of {}.", TARGETS.join(", ")),
            ));
        }
        out
    }

    fn plan(&self, _ctx: &Ctx, req: &PlanRequest) -> PlanResponse {
        plinth_sdk::plan::default_plan(&SCHEMA, req.prior.as_ref(), &req.config)
    }

    async fn create(&self, ctx: &Ctx, planned: &Value) -> Result<Value, ProviderError> {
        self.create_as(ctx, planned, &Creating::default()).await
    }

    /// A route an earlier, interrupted attempt of this create made is answered
    /// `RouteAlreadyExists`: it is adopted when it has the planned target and its table is this
    /// state's ([`super::adopt_content`]); else the error stays, with the import hint.
    async fn create_as(&self, ctx: &Ctx, planned: &Value, creating: &Creating) -> Result<Value, ProviderError> {
        let table = req_str(planned, "route_table_id")?;
        let (kind, dest) = destination(planned)?;
        let req = with_route!(ctx.ec2.create_route(), &table, kind, &dest, planned);
        if let Err(e) = req.send().boxed().await.map_err(aws_error) {
            if e.code.as_deref() != Some("RouteAlreadyExists") {
                return Err(e);
            }
            let same = read_one(ctx, planned)
                .await?
                .is_some_and(|have| same_target(planned, &have));
            adopt_content(ctx, creating, &table, &format!("{table}_{dest}"), same, e).await?;
        }
        wait_route(ctx, planned).await
    }

    async fn update(&self, ctx: &Ctx, prior: &Value, planned: &Value) -> Result<Value, ProviderError> {
        let table = req_str(prior, "route_table_id")?;
        let (kind, dest) = destination(prior)?;
        // An interface AWS computed for an instance or NAT target is not a target the user chose:
        // send it only when configured to change.
        let mut want = planned.clone();
        let user_eni = !planned.get("network_interface_id").is_unknown()
            && planned.get("network_interface_id") != prior.get("network_interface_id");
        let other_target = TARGETS
            .iter()
            .any(|t| *t != "network_interface_id" && !planned.get(t).is_null());
        if !user_eni
            && other_target
            && let Value::Map(m) = &mut want
        {
            m.insert("network_interface_id".into(), Value::Null);
        }
        let req = with_route!(ctx.ec2.replace_route(), &table, kind, &dest, &want);
        req.send().boxed().await.map_err(aws_error)?;
        read_one(ctx, prior).await?.ok_or_else(|| {
            ProviderError::with_code(
                "InvalidRoute.NotFound",
                format!("route to {dest} in {table} disappeared"),
            )
        })
    }

    async fn delete(&self, ctx: &Ctx, prior: &Value) -> Result<(), ProviderError> {
        let table = req_str(prior, "route_table_id")?;
        let (kind, dest) = destination(prior)?;
        let req = ctx.ec2.delete_route().route_table_id(&table);
        let req = match kind {
            "destination_cidr_block" => req.destination_cidr_block(&dest),
            "destination_ipv6_cidr_block" => req.destination_ipv6_cidr_block(&dest),
            _ => req.destination_prefix_list_id(&dest),
        };
        delete_call(req.send().boxed()).await?;
        crate::util::wait_gone(ctx, &format!("route to {dest} in {table}"), || async {
            Ok(read_one(ctx, prior).await?.is_some())
        })
        .await
    }

    async fn read(&self, ctx: &Ctx, states: &[Value]) -> Result<Vec<Option<Value>>, ProviderError> {
        let mut tables: Vec<String> = states.iter().filter_map(|s| opt_str(s, "route_table_id")).collect();
        tables.sort();
        tables.dedup();
        let found = describe_tables(ctx, &tables).await?;
        Ok(states.iter().map(|s| from_tables(&found, s)).collect())
    }

    async fn import(&self, ctx: &Ctx, id: &str) -> Result<Value, ProviderError> {
        let bad = || {
            ProviderError::with_code(
                "InvalidImportId",
                format!(
                    "{id:?} is not ROUTE_TABLE_ID_DESTINATION (such as rtb-0123456789abcdef0_0.0.0.0/0, \
                     rtb-0123456789abcdef0_::/0 or rtb-0123456789abcdef0_pl-0123456789abcdef0)"
                ),
            )
        };
        let (table, dest) = id.split_once('_').ok_or_else(bad)?;
        if table.is_empty() || dest.is_empty() {
            return Err(bad());
        }
        let kind = if dest.starts_with("pl-") {
            "destination_prefix_list_id"
        } else if dest.contains(':') {
            "destination_ipv6_cidr_block"
        } else {
            "destination_cidr_block"
        };
        let state = Value::object([("route_table_id", string(table)), (kind, string(dest))]);
        read_one(ctx, &state)
            .await?
            .ok_or_else(|| ProviderError::with_code("InvalidRoute.NotFound", format!("no route to {dest} in {table}")))
    }
}
