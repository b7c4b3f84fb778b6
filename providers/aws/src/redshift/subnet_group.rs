//! `aws_redshift_subnet_group`: the subnets (of one VPC) a Redshift cluster may be placed in.
//!
//! Refresh: the groups, with their tags, from [`find_named`] (DescribeClusterSubnetGroups by
//! name for one, the account's listing, 100 a page, for more). The ARN is built once, at create
//! or import (the account from [`Ctx::account_id`]), and kept.

use std::collections::HashMap;
use std::sync::LazyLock;

use async_trait::async_trait;
use aws_sdk_redshift::types::ClusterSubnetGroup as Group;
use futures::FutureExt as _;
use plinth_sdk::plan::default_plan;
use plinth_sdk::{Attribute, PlanRequest, PlanResponse, ProviderError, Schema, Type, Value};

use super::{arn, redshift_tags};
use crate::error::aws_error;
use crate::idempotent::{Creating, read_tags};
use crate::tags::{Tagged, plan_tags_all, tag_values, tags_from, update_tags, with_tags};
use crate::util::{
    call_found, delete_call, find_named, list_of_strings, opt_str, opt_string, req_str, str_list, string, with_defaults,
};
use crate::{AwsResource, Ctx};

pub struct RedshiftSubnetGroup;

/// Terraform's default description.
const DESCRIPTION: &str = "Managed by Terraform";

static SCHEMA: LazyLock<Schema> = LazyLock::new(|| {
    let schema = Schema::new(
        "A Redshift cluster subnet group: the subnets of one VPC that a Redshift cluster may be placed in. Import \
         with the group name.",
    )
    .attr(
        "name",
        Attribute::required(Type::String)
            .force_new()
            .describe("The group name (lowercase)."),
    )
    .attr(
        "description",
        Attribute::optional(Type::String).describe("The group's description (default \"Managed by Terraform\")."),
    )
    .attr(
        "subnet_ids",
        Attribute::required(Type::Set(Box::new(Type::String))).describe("The subnets of the group."),
    )
    .attr("id", Attribute::computed(Type::String).describe("The group name."))
    .attr("arn", Attribute::computed(Type::String).describe("The group ARN."));
    with_tags(schema).identity(&["name"])
});

fn to_value(ctx: &Ctx, g: &Group, arn: &str, prior: &Value) -> Value {
    let tags = tags_from(g.tags().iter().map(|t| (t.key(), t.value())));
    let (tags, tags_all) = tag_values(ctx, &tags, prior);
    let name = g.cluster_subnet_group_name().unwrap_or_default();
    let mut subnets: Vec<&str> = g.subnets().iter().filter_map(|s| s.subnet_identifier()).collect();
    subnets.sort();
    Value::object([
        ("id", string(name)),
        ("name", string(name)),
        ("arn", string(arn)),
        ("description", opt_string(g.description())),
        ("subnet_ids", list_of_strings(subnets)),
        ("tags", tags),
        ("tags_all", tags_all),
    ])
}

/// The groups named in `names` that exist, by name.
async fn describe(ctx: &Ctx, names: &[String]) -> Result<HashMap<String, Group>, ProviderError> {
    find_named(
        names,
        |g: &Group| g.cluster_subnet_group_name(),
        |name| async move {
            let call = ctx
                .redshift
                .describe_cluster_subnet_groups()
                .cluster_subnet_group_name(name);
            let out = call_found(call.send().boxed()).await?;
            Ok(out.and_then(|o| o.cluster_subnet_groups().first().cloned()))
        },
        |marker| async move {
            let out = ctx
                .redshift
                .describe_cluster_subnet_groups()
                .max_records(100)
                .set_marker(marker)
                .send()
                .boxed()
                .await
                .map_err(aws_error)?;
            Ok((out.cluster_subnet_groups().to_vec(), out.marker().map(str::to_string)))
        },
    )
    .await
}

async fn read_many(ctx: &Ctx, states: &[Value]) -> Result<Vec<Option<Value>>, ProviderError> {
    let names: Vec<String> = states.iter().filter_map(|s| opt_str(s, "name")).collect();
    let found = describe(ctx, &names).await?;
    let mut out = Vec::with_capacity(states.len());
    for s in states {
        let Some(g) = opt_str(s, "name").and_then(|n| found.get(&n)) else {
            out.push(None);
            continue;
        };
        let name = g.cluster_subnet_group_name().unwrap_or_default();
        let arn = match opt_str(s, "arn") {
            Some(a) => a,
            None => arn(ctx, "subnetgroup", name).await?,
        };
        out.push(Some(to_value(ctx, g, &arn, s)));
    }
    Ok(out)
}

async fn read_one(ctx: &Ctx, planned: &Value) -> Result<Option<Value>, ProviderError> {
    Ok(read_many(ctx, std::slice::from_ref(planned)).await?.pop().flatten())
}

fn gone(name: &str) -> ProviderError {
    ProviderError::with_code(
        "ClusterSubnetGroupNotFoundFault",
        format!("Redshift subnet group {name} disappeared"),
    )
}

#[async_trait]
impl AwsResource for RedshiftSubnetGroup {
    fn type_name(&self) -> &'static str {
        "aws_redshift_subnet_group"
    }

    fn schema(&self) -> &Schema {
        &SCHEMA
    }

    fn plan(&self, ctx: &Ctx, req: &PlanRequest) -> PlanResponse {
        let config = with_defaults(&req.config, &[("description", Value::string(DESCRIPTION))]);
        let mut resp = default_plan(self.schema(), req.prior.as_ref(), &config);
        plan_tags_all(ctx, &req.config, &mut resp.planned);
        resp
    }

    async fn create(&self, ctx: &Ctx, planned: &Value) -> Result<Value, ProviderError> {
        self.create_as(ctx, planned, &Creating::default()).await
    }

    /// Safe to repeat after a crash (see `docs/reliability.md`): bookkeeping tags sent with the
    /// create, and a group answered ClusterSubnetGroupAlreadyExists adopted when its tags (in
    /// DescribeClusterSubnetGroups' answer) name this address and state.
    async fn create_as(&self, ctx: &Ctx, planned: &Value, creating: &Creating) -> Result<Value, ProviderError> {
        let name = req_str(planned, "name")?;
        let tags = creating.with_tags(ctx.merged_tags(planned.get("tags")));
        let sent = ctx
            .redshift
            .create_cluster_subnet_group()
            .cluster_subnet_group_name(&name)
            .description(opt_str(planned, "description").unwrap_or_else(|| DESCRIPTION.into()))
            .set_subnet_ids(Some(str_list(planned, "subnet_ids")))
            .set_tags((!tags.is_empty()).then(|| redshift_tags(&tags)))
            .send()
            .boxed()
            .await
            .map_err(aws_error);
        creating
            .adopt(&name, sent, || async {
                let group = describe(ctx, std::slice::from_ref(&name)).await?.remove(&name);
                Ok(group.map(|g| read_tags(g.tags().iter().map(|t| (t.key(), t.value())))))
            })
            .await?;
        read_one(ctx, planned).await?.ok_or_else(|| gone(&name))
    }

    async fn update(&self, ctx: &Ctx, prior: &Value, planned: &Value) -> Result<Value, ProviderError> {
        let name = req_str(prior, "name")?;
        if planned.get("description") != prior.get("description")
            || planned.get("subnet_ids") != prior.get("subnet_ids")
        {
            ctx.redshift
                .modify_cluster_subnet_group()
                .cluster_subnet_group_name(&name)
                .set_description(opt_str(planned, "description"))
                .set_subnet_ids(Some(str_list(planned, "subnet_ids")))
                .send()
                .boxed()
                .await
                .map_err(aws_error)?;
        }
        update_tags(ctx, Tagged::Redshift(&req_str(prior, "arn")?), prior, planned).await?;
        let mut probe = planned.clone();
        if let Value::Map(m) = &mut probe {
            m.insert("arn".into(), prior.get("arn").clone());
        }
        read_one(ctx, &probe).await?.ok_or_else(|| gone(&name))
    }

    /// DeleteClusterSubnetGroup takes effect at once: there is nothing to wait for.
    async fn delete(&self, ctx: &Ctx, prior: &Value) -> Result<(), ProviderError> {
        let name = req_str(prior, "name")?;
        delete_call(
            ctx.redshift
                .delete_cluster_subnet_group()
                .cluster_subnet_group_name(&name)
                .send()
                .boxed(),
        )
        .await?;
        Ok(())
    }

    async fn read(&self, ctx: &Ctx, states: &[Value]) -> Result<Vec<Option<Value>>, ProviderError> {
        read_many(ctx, states).await
    }

    async fn import(&self, ctx: &Ctx, id: &str) -> Result<Value, ProviderError> {
        read_one(ctx, &Value::object([("name", string(id))]))
            .await?
            .ok_or_else(|| {
                ProviderError::with_code(
                    "ClusterSubnetGroupNotFoundFault",
                    format!("no Redshift subnet group {id}"),
                )
            })
    }
}
