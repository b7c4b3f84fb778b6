//! `aws_route_table_association`: the link between a route table and a subnet or an edge
//! gateway. Moving it to another table happens in place (ReplaceRouteTableAssociation, which
//! gives the link a new id, as in Terraform). Refresh is one DescribeRouteTables per 200
//! associations, by the `association.route-table-association-id` filter.

use std::collections::HashMap;
use std::sync::LazyLock;

use async_trait::async_trait;
use aws_sdk_ec2::types::{Filter, RouteTableAssociation as Assoc};
use futures::FutureExt as _;
use plinth_sdk::{
    AttrPath, Attribute, PlanRequest, PlanResponse, ProviderDiagnostic, ProviderError, Schema, Severity, Type, Value,
};

use super::{by_id, describe_by_filter, ids_of, take};
use crate::error::aws_error;
use crate::idempotent::Creating;
use crate::util::{delete_call, opt_str, opt_string, req_str, wait_for, wait_gone};
use crate::{AwsResource, Ctx};

pub struct RouteTableAssociation;

static SCHEMA: LazyLock<Schema> = LazyLock::new(|| {
    Schema::new(
        "Associates a route table with a subnet or with an internet or virtual private gateway. Import \
         with SUBNET_ID/ROUTE_TABLE_ID or GATEWAY_ID/ROUTE_TABLE_ID.",
    )
    .attr(
        "subnet_id",
        Attribute::optional(Type::String)
            .force_new()
            .describe("The subnet to associate. Conflicts with gateway_id."),
    )
    .attr(
        "gateway_id",
        Attribute::optional(Type::String)
            .force_new()
            .describe("The internet or virtual private gateway to associate (edge association)."),
    )
    .attr(
        "route_table_id",
        Attribute::required(Type::String).describe("The route table; a change moves the association in place."),
    )
    .attr(
        "id",
        Attribute::computed(Type::String).describe("The association id (rtbassoc-...)."),
    )
    .identity(&["id"])
});

fn to_value(a: &Assoc) -> Value {
    Value::object([
        ("id", opt_string(a.route_table_association_id())),
        ("route_table_id", opt_string(a.route_table_id())),
        ("subnet_id", opt_string(a.subnet_id())),
        ("gateway_id", opt_string(a.gateway_id())),
    ])
}

fn live(a: &Assoc) -> bool {
    !matches!(
        a.association_state().and_then(|s| s.state()).map(|s| s.as_str()),
        Some("disassociated") | Some("disassociating")
    )
}

/// The associations among `ids`, found through their tables: one DescribeRouteTables per 200.
async fn describe(ctx: &Ctx, ids: &[String]) -> Result<HashMap<String, Assoc>, ProviderError> {
    let wanted: std::collections::HashSet<&str> = ids.iter().map(String::as_str).collect();
    let wanted = &wanted;
    describe_by_filter(
        "association.route-table-association-id",
        ids,
        |filter, next| async move {
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
                .flat_map(|t| t.associations())
                .filter(|a| live(a))
                .filter_map(|a| {
                    let id = a.route_table_association_id()?;
                    wanted.contains(id).then(|| (id.to_string(), a.clone()))
                })
                .collect();
            Ok((found, resp.next_token().map(str::to_string)))
        },
    )
    .await
}

async fn wait_associated(ctx: &Ctx, id: &str) -> Result<Value, ProviderError> {
    let ids = [id.to_string()];
    wait_for(
        ctx,
        &format!("route table association {id} to be associated"),
        || async {
            let found = describe(ctx, &ids).await?;
            Ok(found
                .get(id)
                .filter(|a| a.association_state().and_then(|s| s.state()).map(|s| s.as_str()) != Some("associating"))
                .map(to_value))
        },
    )
    .await
}

#[async_trait]
impl AwsResource for RouteTableAssociation {
    fn type_name(&self) -> &'static str {
        "aws_route_table_association"
    }

    fn schema(&self) -> &Schema {
        &SCHEMA
    }

    fn validate(&self, config: &Value) -> Vec<ProviderDiagnostic> {
        let subnet = !config.get("subnet_id").is_null();
        let gateway = !config.get("gateway_id").is_null();
        if subnet == gateway {
            return vec![ProviderDiagnostic {
                severity: Severity::Error,
                summary: "aws_route_table_association needs exactly one of subnet_id and gateway_id".into(),
                detail: "Set subnet_id to route a subnet through the table, or gateway_id for an edge association."
                    .into(),
                attribute: Some(AttrPath::attr("subnet_id")),
            }];
        }
        Vec::new()
    }

    fn plan(&self, _ctx: &Ctx, req: &PlanRequest) -> PlanResponse {
        let mut resp = plinth_sdk::plan::default_plan(&SCHEMA, req.prior.as_ref(), &req.config);
        // A move to another table makes a new association id.
        if let Some(prior) = &req.prior
            && req.config.get("route_table_id") != prior.get("route_table_id")
            && let Value::Map(m) = &mut resp.planned
        {
            m.insert("id".into(), Value::Unknown);
        }
        resp
    }

    async fn create(&self, ctx: &Ctx, planned: &Value) -> Result<Value, ProviderError> {
        self.create_as(ctx, planned, &Creating::default()).await
    }

    /// AWS refuses a second association of a subnet or gateway (`Resource.AlreadyAssociated`)
    /// and an emulator may answer with the one there, so a tracked create first looks in the
    /// table (one DescribeRouteTables): an association with the planned subnet or gateway an
    /// earlier, interrupted attempt of this create made is adopted when the table is this
    /// state's ([`Creating::adopt_content_or_refuse`], with the table's tags); one in a table not
    /// this state's is refused with the import hint.
    async fn create_as(&self, ctx: &Ctx, planned: &Value, creating: &Creating) -> Result<Value, ProviderError> {
        let table = req_str(planned, "route_table_id")?;
        let target = opt_str(planned, "subnet_id").or_else(|| opt_str(planned, "gateway_id"));
        if creating.tracked()
            && let Some(target) = &target
        {
            let resp = ctx
                .ec2
                .describe_route_tables()
                .filters(Filter::builder().name("route-table-id").values(&table).build())
                .send()
                .boxed()
                .await
                .map_err(aws_error)?;
            for t in resp
                .route_tables()
                .iter()
                .filter(|t| t.route_table_id() == Some(table.as_str()))
            {
                let linked = t.associations().iter().find(|a| {
                    live(a) && (a.subnet_id() == Some(target.as_str()) || a.gateway_id() == Some(target.as_str()))
                });
                if let Some(id) = linked.and_then(|a| a.route_table_association_id()) {
                    let err = ProviderError::with_code(
                        "Resource.AlreadyAssociated",
                        format!("{target} is already associated with route table {table} ({id})"),
                    );
                    let tags = t.tags().iter().map(|t| (t.key(), t.value()));
                    creating.adopt_content_or_refuse(&format!("{target}/{table}"), true, Some(tags), err)?;
                    return wait_associated(ctx, id).await;
                }
            }
        }
        let resp = ctx
            .ec2
            .associate_route_table()
            .route_table_id(&table)
            .set_subnet_id(opt_str(planned, "subnet_id"))
            .set_gateway_id(opt_str(planned, "gateway_id"))
            .send()
            .boxed()
            .await
            .map_err(aws_error)?;
        let id = resp
            .association_id()
            .map(str::to_string)
            .ok_or_else(|| ProviderError::new("AssociateRouteTable returned no association id"))?;
        wait_associated(ctx, &id).await
    }

    async fn update(&self, ctx: &Ctx, prior: &Value, planned: &Value) -> Result<Value, ProviderError> {
        let id = req_str(prior, "id")?;
        let resp = ctx
            .ec2
            .replace_route_table_association()
            .association_id(&id)
            .route_table_id(req_str(planned, "route_table_id")?)
            .send()
            .boxed()
            .await
            .map_err(aws_error)?;
        let new_id = resp
            .new_association_id()
            .map(str::to_string)
            .ok_or_else(|| ProviderError::new("ReplaceRouteTableAssociation returned no association id"))?;
        wait_associated(ctx, &new_id).await
    }

    async fn delete(&self, ctx: &Ctx, prior: &Value) -> Result<(), ProviderError> {
        let id = req_str(prior, "id")?;
        delete_call(ctx.ec2.disassociate_route_table().association_id(&id).send().boxed()).await?;
        let ids = [id.clone()];
        wait_gone(ctx, &format!("route table association {id}"), || async {
            Ok(describe(ctx, &ids).await?.contains_key(&id))
        })
        .await
    }

    async fn read(&self, ctx: &Ctx, states: &[Value]) -> Result<Vec<Option<Value>>, ProviderError> {
        let found = describe(ctx, &ids_of(states)).await?;
        Ok(by_id(states, &found, |a, _| to_value(a)))
    }

    async fn import(&self, ctx: &Ctx, id: &str) -> Result<Value, ProviderError> {
        let (target, table) = id.split_once('/').ok_or_else(|| {
            ProviderError::with_code(
                "InvalidImportId",
                format!("{id:?} is not SUBNET_ID/ROUTE_TABLE_ID or GATEWAY_ID/ROUTE_TABLE_ID"),
            )
        })?;
        let resp = ctx
            .ec2
            .describe_route_tables()
            .filters(Filter::builder().name("route-table-id").values(table).build())
            .send()
            .boxed()
            .await
            .map_err(aws_error)?;
        let found: HashMap<String, Assoc> = resp
            .route_tables()
            .iter()
            .flat_map(|t| t.associations())
            .filter(|a| live(a) && (a.subnet_id() == Some(target) || a.gateway_id() == Some(target)))
            .filter_map(|a| Some((a.route_table_association_id()?.to_string(), a.clone())))
            .collect();
        let assoc_id = found.keys().next().cloned().unwrap_or_default();
        let a = take(
            found,
            &assoc_id,
            "InvalidAssociationID.NotFound",
            format!("route table {table} has no association with {target}"),
        )?;
        Ok(to_value(&a))
    }
}
