//! `aws_elasticache_subnet_group`: the subnets (of one VPC) a cache cluster may be placed in.
//! ElastiCache keeps names in lowercase, so the name is planned in lowercase, as Terraform does.
//!
//! Refresh: the groups from [`find_named`] (DescribeCacheSubnetGroups by name for one, the
//! account's listing, 100 a page, for more), then one ListTagsForResource per group (ElastiCache
//! returns no tags with the groups).

use std::collections::{BTreeMap, HashMap};
use std::sync::LazyLock;

use async_trait::async_trait;
use aws_sdk_elasticache::types::CacheSubnetGroup as Group;
use futures::FutureExt as _;
use plinth_sdk::plan::default_plan;
use plinth_sdk::{Attribute, PlanRequest, PlanResponse, ProviderError, Schema, Type, Value};

use super::{all_tags, elasticache_tags, list_tags};
use crate::ec2::retry_dependency;
use crate::error::aws_error;
use crate::idempotent::Creating;
use crate::tags::{Tagged, plan_tags_all, tag_values, update_tags, with_tags};
use crate::util::{
    call_found, concurrently, delete_call, find_named, list_of_strings, opt_str, opt_string, req_str, str_list, string,
    with_defaults,
};
use crate::{AwsResource, Ctx};

pub struct CacheSubnetGroup;

/// Terraform's default description.
const DESCRIPTION: &str = "Managed by Terraform";

static SCHEMA: LazyLock<Schema> = LazyLock::new(|| {
    let schema = Schema::new(
        "An ElastiCache subnet group: the subnets of one VPC that a cache cluster may be placed in. Import with \
         the group name.",
    )
    .attr(
        "name",
        Attribute::required(Type::String)
            .force_new()
            .describe("The group name; ElastiCache keeps it in lowercase."),
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
    );
    with_tags(schema).identity(&["name"])
});

fn to_value(ctx: &Ctx, g: &Group, tags: &BTreeMap<String, String>, prior: &Value) -> Value {
    let (tags, tags_all) = tag_values(ctx, tags, prior);
    let name = g.cache_subnet_group_name().unwrap_or_default();
    let mut subnets: Vec<&str> = g.subnets().iter().filter_map(|s| s.subnet_identifier()).collect();
    subnets.sort();
    Value::object([
        ("id", string(name)),
        ("name", string(name)),
        ("arn", opt_string(g.arn())),
        ("description", opt_string(g.cache_subnet_group_description())),
        ("subnet_ids", list_of_strings(subnets)),
        ("vpc_id", opt_string(g.vpc_id())),
        ("tags", tags),
        ("tags_all", tags_all),
    ])
}

/// The groups named in `names` (lowercase) that exist, by name.
async fn describe(ctx: &Ctx, names: &[String]) -> Result<HashMap<String, Group>, ProviderError> {
    find_named(
        names,
        |g: &Group| g.cache_subnet_group_name(),
        |name| async move {
            let call = ctx
                .elasticache
                .describe_cache_subnet_groups()
                .cache_subnet_group_name(name);
            let out = call_found(call.send().boxed()).await?;
            Ok(out.and_then(|o| o.cache_subnet_groups().first().cloned()))
        },
        |marker| async move {
            let out = ctx
                .elasticache
                .describe_cache_subnet_groups()
                .max_records(100)
                .set_marker(marker)
                .send()
                .boxed()
                .await
                .map_err(aws_error)?;
            Ok((out.cache_subnet_groups().to_vec(), out.marker().map(str::to_string)))
        },
    )
    .await
}

async fn read_many(ctx: &Ctx, states: &[Value]) -> Result<Vec<Option<Value>>, ProviderError> {
    let name_of = |s: &Value| opt_str(s, "name").map(|n| n.to_lowercase());
    let names: Vec<String> = states.iter().filter_map(name_of).collect();
    let found = describe(ctx, &names).await?;
    let groups: Vec<Option<Group>> = states
        .iter()
        .map(|s| name_of(s).and_then(|n| found.get(&n).cloned()))
        .collect();
    let tags = concurrently(groups.clone(), |g| {
        let ctx = ctx.clone();
        async move {
            match g.as_ref().and_then(|g| g.arn()) {
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

async fn read_one(ctx: &Ctx, planned: &Value) -> Result<Option<Value>, ProviderError> {
    Ok(read_many(ctx, std::slice::from_ref(planned)).await?.pop().flatten())
}

#[async_trait]
impl AwsResource for CacheSubnetGroup {
    fn type_name(&self) -> &'static str {
        "aws_elasticache_subnet_group"
    }

    fn schema(&self) -> &Schema {
        &SCHEMA
    }

    fn plan(&self, ctx: &Ctx, req: &PlanRequest) -> PlanResponse {
        let mut config = with_defaults(&req.config, &[("description", Value::string(DESCRIPTION))]);
        if let Value::Map(m) = &mut config
            && let Some(Value::String(name)) = m.get_mut("name")
        {
            *name = name.to_lowercase();
        }
        let mut resp = default_plan(self.schema(), req.prior.as_ref(), &config);
        plan_tags_all(ctx, &req.config, &mut resp.planned);
        resp
    }

    async fn create(&self, ctx: &Ctx, planned: &Value) -> Result<Value, ProviderError> {
        self.create_as(ctx, planned, &Creating::default()).await
    }

    /// Safe to repeat after a crash (see `docs/reliability.md`): bookkeeping tags sent with the
    /// create, and a group answered CacheSubnetGroupAlreadyExists adopted when they name this
    /// address and state.
    async fn create_as(&self, ctx: &Ctx, planned: &Value, creating: &Creating) -> Result<Value, ProviderError> {
        let name = req_str(planned, "name")?.to_lowercase();
        let tags = creating.with_tags(ctx.merged_tags(planned.get("tags")));
        let sent = ctx
            .elasticache
            .create_cache_subnet_group()
            .cache_subnet_group_name(&name)
            .cache_subnet_group_description(opt_str(planned, "description").unwrap_or_else(|| DESCRIPTION.into()))
            .set_subnet_ids(Some(str_list(planned, "subnet_ids")))
            .set_tags((!tags.is_empty()).then(|| elasticache_tags(&tags)))
            .send()
            .boxed()
            .await
            .map_err(aws_error);
        creating
            .adopt(&name, sent, || async {
                let group = describe(ctx, std::slice::from_ref(&name)).await?.remove(&name);
                match group.as_ref().and_then(|g| g.arn()) {
                    Some(arn) => Ok(Some(all_tags(ctx, arn).await?)),
                    None => Ok(None),
                }
            })
            .await?;
        read_one(ctx, planned).await?.ok_or_else(|| gone(&name))
    }

    async fn update(&self, ctx: &Ctx, prior: &Value, planned: &Value) -> Result<Value, ProviderError> {
        let name = req_str(prior, "name")?;
        if planned.get("description") != prior.get("description")
            || planned.get("subnet_ids") != prior.get("subnet_ids")
        {
            ctx.elasticache
                .modify_cache_subnet_group()
                .cache_subnet_group_name(&name)
                .set_cache_subnet_group_description(opt_str(planned, "description"))
                .set_subnet_ids(Some(str_list(planned, "subnet_ids")))
                .send()
                .boxed()
                .await
                .map_err(aws_error)?;
        }
        update_tags(ctx, Tagged::ElastiCache(&req_str(prior, "arn")?), prior, planned).await?;
        read_one(ctx, planned).await?.ok_or_else(|| gone(&name))
    }

    /// DeleteCacheSubnetGroup takes effect at once, retried while ElastiCache answers
    /// `DependencyViolation` (a cluster in the group is still being deleted), as Terraform does.
    async fn delete(&self, ctx: &Ctx, prior: &Value) -> Result<(), ProviderError> {
        let name = req_str(prior, "name")?;
        retry_dependency(ctx, &format!("ElastiCache subnet group {name} to be unused"), || {
            delete_call(
                ctx.elasticache
                    .delete_cache_subnet_group()
                    .cache_subnet_group_name(&name)
                    .send()
                    .boxed(),
            )
        })
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
                    "CacheSubnetGroupNotFoundFault",
                    format!("no ElastiCache subnet group {id}"),
                )
            })
    }
}

fn gone(name: &str) -> ProviderError {
    ProviderError::with_code(
        "CacheSubnetGroupNotFoundFault",
        format!("ElastiCache subnet group {name} disappeared"),
    )
}
