//! `aws_db_subnet_group`: the subnets (of one VPC) an RDS database may be placed in.
//!
//! Refresh: the groups from [`find_named`] (DescribeDBSubnetGroups by name for one, the
//! account's listing, 100 a page, for more), then one ListTagsForResource per group (RDS returns
//! no tags with the groups).

use std::collections::{BTreeMap, HashMap};
use std::sync::LazyLock;

use async_trait::async_trait;
use aws_sdk_rds::types::DbSubnetGroup as Group;
use futures::FutureExt as _;
use plinth_sdk::plan::default_plan;
use plinth_sdk::{Attribute, PlanRequest, PlanResponse, ProviderError, Schema, Type, Value};

use super::{all_tags, list_tags, rds_tags};
use crate::error::aws_error;
use crate::idempotent::Creating;
use crate::tags::{Tagged, plan_tags_all, tag_values, update_tags, with_tags};
use crate::util::{
    call_found, concurrently, delete_call, find_named, list_of_strings, opt_str, opt_string, req_str, str_list, string,
    wait_gone, with_defaults, with_generated_name,
};
use crate::{AwsResource, Ctx};

pub struct DbSubnetGroup;

/// Terraform's default description.
const DESCRIPTION: &str = "Managed by Terraform";

static SCHEMA: LazyLock<Schema> = LazyLock::new(|| {
    let schema = Schema::new(
        "An RDS DB subnet group: the subnets, in at least two Availability Zones of one VPC, that a database \
         may be placed in. Import with the group name.",
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
    .attr("arn", Attribute::computed(Type::String).describe("The group ARN."))
    .attr(
        "vpc_id",
        Attribute::computed(Type::String).describe("The VPC of the subnets."),
    )
    .attr(
        "supported_network_types",
        Attribute::computed(Type::Set(Box::new(Type::String)))
            .describe("The network types the group supports (IPV4, DUAL)."),
    );
    with_tags(with_generated_name(
        schema,
        ("name", "name_prefix"),
        "The group name (lowercase)",
    ))
    .identity(&["name"])
});

fn sorted<'a>(items: impl Iterator<Item = &'a str>) -> Value {
    let mut v: Vec<&str> = items.collect();
    v.sort();
    list_of_strings(v)
}

fn to_value(ctx: &Ctx, g: &Group, tags: &BTreeMap<String, String>, prior: &Value) -> Value {
    let (tags, tags_all) = tag_values(ctx, tags, prior);
    let name = g.db_subnet_group_name().unwrap_or_default();
    Value::object([
        ("id", string(name)),
        ("name", string(name)),
        ("name_prefix", prior.get("name_prefix").clone()),
        ("arn", opt_string(g.db_subnet_group_arn())),
        ("description", opt_string(g.db_subnet_group_description())),
        (
            "subnet_ids",
            sorted(g.subnets().iter().filter_map(|s| s.subnet_identifier())),
        ),
        ("vpc_id", opt_string(g.vpc_id())),
        (
            "supported_network_types",
            sorted(g.supported_network_types().iter().map(String::as_str)),
        ),
        ("tags", tags),
        ("tags_all", tags_all),
    ])
}

/// The groups named in `names` that exist, by name.
async fn describe(ctx: &Ctx, names: &[String]) -> Result<HashMap<String, Group>, ProviderError> {
    find_named(
        names,
        |g: &Group| g.db_subnet_group_name(),
        |name| async move {
            let out = call_found(
                ctx.rds
                    .describe_db_subnet_groups()
                    .db_subnet_group_name(name)
                    .send()
                    .boxed(),
            )
            .await?;
            Ok(out.and_then(|o| o.db_subnet_groups().first().cloned()))
        },
        |marker| async move {
            let out = ctx
                .rds
                .describe_db_subnet_groups()
                .max_records(100)
                .set_marker(marker)
                .send()
                .boxed()
                .await
                .map_err(aws_error)?;
            Ok((out.db_subnet_groups().to_vec(), out.marker().map(str::to_string)))
        },
    )
    .await
}

async fn read_many(ctx: &Ctx, states: &[Value]) -> Result<Vec<Option<Value>>, ProviderError> {
    let names: Vec<String> = states.iter().filter_map(|s| opt_str(s, "name")).collect();
    let found = describe(ctx, &names).await?;
    let groups: Vec<Option<Group>> = states
        .iter()
        .map(|s| opt_str(s, "name").and_then(|n| found.get(&n).cloned()))
        .collect();
    let tags = concurrently(groups.clone(), |g| {
        let ctx = ctx.clone();
        async move {
            match g.as_ref().and_then(|g| g.db_subnet_group_arn()) {
                Some(arn) => list_tags(&ctx, arn).await.map(Some),
                None => Ok(None),
            }
        }
    })
    .await?;
    Ok(states
        .iter()
        .zip(groups)
        .zip(tags)
        .map(|((s, g), t)| Some(to_value(ctx, &g?, &t?, s)))
        .collect())
}

async fn read_one(ctx: &Ctx, name: &str, planned: &Value) -> Result<Value, ProviderError> {
    let mut probe = planned.clone();
    if let Value::Map(m) = &mut probe {
        m.insert("name".into(), string(name));
    }
    read_many(ctx, std::slice::from_ref(&probe))
        .await?
        .pop()
        .flatten()
        .ok_or_else(|| {
            ProviderError::with_code(
                "DBSubnetGroupNotFoundFault",
                format!("DB subnet group {name} disappeared"),
            )
        })
}

#[async_trait]
impl AwsResource for DbSubnetGroup {
    fn type_name(&self) -> &'static str {
        "aws_db_subnet_group"
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
    /// create, a generated name derived from the planned change, and a group answered
    /// DBSubnetGroupAlreadyExists adopted when its tags name this address and state.
    async fn create_as(&self, ctx: &Ctx, planned: &Value, creating: &Creating) -> Result<Value, ProviderError> {
        let name = creating.name(planned, "name", "name_prefix", "plinth-");
        let tags = creating.with_tags(ctx.merged_tags(planned.get("tags")));
        let sent = ctx
            .rds
            .create_db_subnet_group()
            .db_subnet_group_name(&name)
            .db_subnet_group_description(opt_str(planned, "description").unwrap_or_else(|| DESCRIPTION.into()))
            .set_subnet_ids(Some(str_list(planned, "subnet_ids")))
            .set_tags((!tags.is_empty()).then(|| rds_tags(&tags)))
            .send()
            .boxed()
            .await
            .map_err(aws_error);
        creating
            .adopt(&name, sent, || async {
                let arn = describe(ctx, std::slice::from_ref(&name))
                    .await?
                    .remove(&name)
                    .and_then(|g| g.db_subnet_group_arn().map(str::to_string));
                match arn {
                    Some(arn) => Ok(Some(all_tags(ctx, &arn).await?)),
                    None => Ok(None),
                }
            })
            .await?;
        read_one(ctx, &name, planned).await
    }

    async fn update(&self, ctx: &Ctx, prior: &Value, planned: &Value) -> Result<Value, ProviderError> {
        let name = req_str(prior, "name")?;
        if planned.get("description") != prior.get("description")
            || planned.get("subnet_ids") != prior.get("subnet_ids")
        {
            ctx.rds
                .modify_db_subnet_group()
                .db_subnet_group_name(&name)
                .set_db_subnet_group_description(opt_str(planned, "description"))
                .set_subnet_ids(Some(str_list(planned, "subnet_ids")))
                .send()
                .boxed()
                .await
                .map_err(aws_error)?;
        }
        update_tags(ctx, Tagged::Rds(&req_str(prior, "arn")?), prior, planned).await?;
        read_one(ctx, &name, planned).await
    }

    async fn delete(&self, ctx: &Ctx, prior: &Value) -> Result<(), ProviderError> {
        let name = req_str(prior, "name")?;
        if !delete_call(
            ctx.rds
                .delete_db_subnet_group()
                .db_subnet_group_name(&name)
                .send()
                .boxed(),
        )
        .await?
        {
            return Ok(());
        }
        let names = vec![name.clone()];
        wait_gone(ctx, &format!("DB subnet group {name}"), || async {
            Ok(describe(ctx, &names).await?.contains_key(&name))
        })
        .await
    }

    async fn read(&self, ctx: &Ctx, states: &[Value]) -> Result<Vec<Option<Value>>, ProviderError> {
        read_many(ctx, states).await
    }

    async fn import(&self, ctx: &Ctx, id: &str) -> Result<Value, ProviderError> {
        read_many(ctx, &[Value::object([("name", string(id))])])
            .await?
            .pop()
            .flatten()
            .ok_or_else(|| ProviderError::with_code("DBSubnetGroupNotFoundFault", format!("no DB subnet group {id}")))
    }
}
