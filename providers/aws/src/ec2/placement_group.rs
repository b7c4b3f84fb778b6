//! `aws_placement_group`: an EC2 placement group, where GPU training nodes are launched
//! (`placement_group` of `aws_instance`) so that a cluster strategy keeps them on one
//! low-latency network spine. The name is the id, as in Terraform; nothing but tags changes in
//! place. Refresh is one DescribePlacementGroups per 200 names (a `group-name` filter).

use std::collections::HashMap;
use std::sync::LazyLock;

use async_trait::async_trait;
use aws_sdk_ec2::types::{PlacementGroup, PlacementStrategy, ResourceType, SpreadLevel};
use futures::FutureExt as _;
use plinth_sdk::{Attribute, PlanRequest, PlanResponse, ProviderDiagnostic, ProviderError, Schema, Type, Value};

use super::{by_id, describe_by_filter, ids_of, plan_with_tags, tag_spec, tag_values, take, update_tags, wait_found};
use crate::error::aws_error;
use crate::idempotent::{self, Creating};
use crate::tags::with_tags;
use crate::util::{delete_call, one_of, opt_i64, opt_str, opt_string, req_str, string, wait_gone};
use crate::{AwsResource, Ctx};

pub struct PlacementGroupResource;

static SCHEMA: LazyLock<Schema> = LazyLock::new(|| {
    let s = Schema::new(
        "An EC2 placement group: where instances launched into it are put. cluster packs them onto one \
         low-latency network segment (multi-node GPU training), spread puts each on distinct hardware, \
         partition spreads groups of them. Only tags change in place. Refresh: one DescribePlacementGroups \
         per 200 groups. Import with the group name.",
    )
    .attr(
        "name",
        Attribute::required(Type::String)
            .force_new()
            .describe("The group name, unique in the region."),
    )
    .attr(
        "strategy",
        Attribute::required(Type::String)
            .force_new()
            .describe("cluster, partition or spread."),
    )
    .attr(
        "partition_count",
        Attribute::optional_computed(Type::Number)
            .force_new()
            .describe("Partitions of a partition group, 1 to 7 (AWS's default 2)."),
    )
    .attr(
        "spread_level",
        Attribute::optional_computed(Type::String)
            .force_new()
            .describe("host or rack: what a spread group spreads instances over (rack by default)."),
    )
    .attr("id", Attribute::computed(Type::String).describe("The group name."))
    .attr(
        "placement_group_id",
        Attribute::computed(Type::String).describe("The group id (pg-...)."),
    )
    .attr(
        "arn",
        Attribute::computed(Type::String).describe("The placement group ARN."),
    );
    with_tags(s).identity(&["name"])
});

fn to_value(ctx: &Ctx, g: &PlacementGroup, prior: &Value) -> Value {
    let name = g.group_name().unwrap_or_default().to_string();
    let (tags, tags_all) = tag_values(ctx, g.tags(), prior);
    let strategy = g.strategy().map(|s| s.as_str().to_string());
    Value::object([
        ("id", string(&name)),
        ("name", string(&name)),
        ("strategy", opt_string(strategy.clone())),
        // AWS reports a partition count only for partition groups.
        (
            "partition_count",
            g.partition_count().map_or(Value::Null, |n| Value::number(f64::from(n))),
        ),
        (
            "spread_level",
            opt_string(g.spread_level().map(|s| s.as_str().to_string())),
        ),
        ("placement_group_id", opt_string(g.group_id())),
        ("arn", opt_string(g.group_arn())),
        ("tags", tags),
        ("tags_all", tags_all),
    ])
}

/// One DescribePlacementGroups per 200 names (a `group-name` filter, so a missing name is simply
/// absent instead of failing the whole call). Groups being deleted are left out.
async fn describe(ctx: &Ctx, names: &[String]) -> Result<HashMap<String, PlacementGroup>, ProviderError> {
    describe_by_filter("group-name", names, |filter, _| async move {
        let resp = ctx
            .ec2
            .describe_placement_groups()
            .filters(filter)
            .send()
            .boxed()
            .await
            .map_err(aws_error)?;
        let found = resp
            .placement_groups()
            .iter()
            .filter(|g| !matches!(g.state().map(|s| s.as_str()), Some("deleting" | "deleted")))
            .filter_map(|g| Some((g.group_name()?.to_string(), g.clone())))
            .collect();
        Ok((found, None))
    })
    .await
}

#[async_trait]
impl AwsResource for PlacementGroupResource {
    fn type_name(&self) -> &'static str {
        "aws_placement_group"
    }

    fn schema(&self) -> &Schema {
        &SCHEMA
    }

    fn validate(&self, config: &Value) -> Vec<ProviderDiagnostic> {
        let mut out: Vec<ProviderDiagnostic> = Vec::new();
        out.extend(one_of(
            config.get("strategy"),
            "strategy",
            &["cluster", "partition", "spread"],
        ));
        out.extend(one_of(config.get("spread_level"), "spread_level", &["host", "rack"]));
        out
    }

    fn plan(&self, ctx: &Ctx, req: &PlanRequest) -> PlanResponse {
        plan_with_tags(&SCHEMA, ctx, req)
    }

    async fn create(&self, ctx: &Ctx, planned: &Value) -> Result<Value, ProviderError> {
        self.create_as(ctx, planned, &Creating::default()).await
    }

    /// CreatePlacementGroup takes no client token, but group names are unique in the region:
    /// the group gets the bookkeeping tags, and a group answered
    /// `InvalidPlacementGroup.Duplicate` is adopted when its bookkeeping tags name this address
    /// and state ([`Creating::adopt_or_refuse`]).
    async fn create_as(&self, ctx: &Ctx, planned: &Value, creating: &Creating) -> Result<Value, ProviderError> {
        let name = req_str(planned, "name")?;
        let tags = creating.with_tags(ctx.merged_tags(planned.get("tags")));
        let mut req = ctx
            .ec2
            .create_placement_group()
            .group_name(&name)
            .set_strategy(opt_str(planned, "strategy").map(|s| PlacementStrategy::from(s.as_str())))
            .set_partition_count(opt_i64(planned, "partition_count").and_then(|n| i32::try_from(n).ok()))
            .set_spread_level(opt_str(planned, "spread_level").map(|s| SpreadLevel::from(s.as_str())));
        if let Some(spec) = tag_spec(ResourceType::PlacementGroup, &tags) {
            req = req.tag_specifications(spec);
        }
        let names = vec![name.clone()];
        match req.send().boxed().await.map_err(aws_error) {
            Ok(_) => {}
            Err(e) if idempotent::already_exists(&e) => {
                let found = describe(ctx, &names).await?;
                let tags = found.get(&name).map(|g| g.tags().iter().map(|t| (t.key(), t.value())));
                creating.adopt_or_refuse(&name, tags, e)?;
            }
            Err(e) => return Err(e),
        }
        let g = wait_found(
            ctx,
            &format!("placement group {name} to be available"),
            &name,
            || describe(ctx, &names),
            |g| g.state().map(|s| s.as_str()) == Some("available"),
        )
        .await?;
        Ok(to_value(ctx, &g, planned))
    }

    async fn update(&self, ctx: &Ctx, prior: &Value, planned: &Value) -> Result<Value, ProviderError> {
        let name = req_str(prior, "name")?;
        // EC2 tags placement groups by their id (pg-...), not by name.
        let id = req_str(prior, "placement_group_id")?;
        update_tags(ctx, &id, prior, planned).await?;
        let g = take(
            describe(ctx, std::slice::from_ref(&name)).await?,
            &name,
            "InvalidPlacementGroup.Unknown",
            format!("placement group {name} disappeared"),
        )?;
        Ok(to_value(ctx, &g, planned))
    }

    async fn delete(&self, ctx: &Ctx, prior: &Value) -> Result<(), ProviderError> {
        let name = req_str(prior, "name")?;
        delete_call(ctx.ec2.delete_placement_group().group_name(&name).send().boxed()).await?;
        let names = vec![name.clone()];
        wait_gone(ctx, &format!("placement group {name}"), || async {
            Ok(describe(ctx, &names).await?.contains_key(&name))
        })
        .await
    }

    async fn read(&self, ctx: &Ctx, states: &[Value]) -> Result<Vec<Option<Value>>, ProviderError> {
        let found = describe(ctx, &ids_of(states)).await?;
        Ok(by_id(states, &found, |g, s| to_value(ctx, g, s)))
    }

    async fn import(&self, ctx: &Ctx, id: &str) -> Result<Value, ProviderError> {
        let found = describe(ctx, &[id.to_string()]).await?;
        let g = take(
            found,
            id,
            "InvalidPlacementGroup.Unknown",
            format!("no placement group {id}"),
        )?;
        Ok(to_value(ctx, &g, &Value::Null))
    }
}
