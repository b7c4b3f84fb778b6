//! `aws_vpc_block_public_access_exclusion`: a VPC or subnet let through the region's VPC Block
//! Public Access (`aws_vpc_block_public_access_options`). The mode and tags change in place;
//! create, update and destroy wait for `create-complete`, `update-complete` and
//! `delete-complete`. DescribeVpcBlockPublicAccessExclusions has no id filter, so refresh goes
//! through `describe_by_ids`.

use std::collections::HashMap;
use std::sync::LazyLock;

use async_trait::async_trait;
use aws_sdk_ec2::types::{
    Filter, InternetGatewayExclusionMode, ResourceType, VpcBlockPublicAccessExclusion as Exclusion,
};
use futures::FutureExt as _;
use plinth_sdk::{Attribute, PlanRequest, PlanResponse, ProviderDiagnostic, ProviderError, Schema, Type, Value};

use super::{
    Page, adoptable, by_id, describe_by_ids, diag, ids_of, plan_with_tags, tag_spec, tag_values, take, update_tags,
    wait_found,
};
use crate::error::{aws_error, code_of};
use crate::idempotent::Creating;
use crate::tags::with_tags;
use crate::util::{one_of, opt_str, opt_string, req_str, string, wait_gone};
use crate::{AwsResource, Ctx};

pub struct VpcBlockPublicAccessExclusion;

const MODES: [&str; 2] = ["allow-egress", "allow-bidirectional"];

static SCHEMA: LazyLock<Schema> = LazyLock::new(|| {
    with_tags(
        Schema::new(
            "Lets a VPC or a subnet through the region's VPC Block Public Access. Set exactly one of vpc_id and \
             subnet_id. Import with the exclusion id (vpcbpa-exclude-...).",
        )
        .attr(
            "internet_gateway_exclusion_mode",
            Attribute::required(Type::String).describe("allow-egress or allow-bidirectional; changes in place."),
        )
        .attr(
            "vpc_id",
            Attribute::optional(Type::String)
                .force_new()
                .describe("The VPC to exclude. Conflicts with subnet_id."),
        )
        .attr(
            "subnet_id",
            Attribute::optional(Type::String)
                .force_new()
                .describe("The subnet to exclude. Conflicts with vpc_id."),
        )
        .attr(
            "id",
            Attribute::computed(Type::String).describe("The exclusion id (vpcbpa-exclude-...)."),
        )
        .attr(
            "resource_arn",
            Attribute::computed(Type::String).describe("The ARN of the excluded VPC or subnet."),
        ),
    )
    .identity(&["id"])
});

fn state_of(e: &Exclusion) -> &str {
    e.state().map(|s| s.as_str()).unwrap_or_default()
}

fn to_value(ctx: &Ctx, e: &Exclusion, prior: &Value) -> Value {
    let (tags, tags_all) = tag_values(ctx, e.tags(), prior);
    let arn = e.resource_arn().unwrap_or_default();
    // arn:aws:ec2:REGION:ACCOUNT:vpc/vpc-... or .../subnet/subnet-...
    let resource = arn.rsplit(':').next().unwrap_or_default();
    let (vpc, subnet) = match resource.split_once('/') {
        Some(("vpc", id)) => (string(id), Value::Null),
        Some(("subnet", id)) => (Value::Null, string(id)),
        _ => (prior.get("vpc_id").clone(), prior.get("subnet_id").clone()),
    };
    Value::object([
        ("id", string(e.exclusion_id().unwrap_or_default())),
        (
            "internet_gateway_exclusion_mode",
            opt_string(e.internet_gateway_exclusion_mode().map(|m| m.as_str().to_string())),
        ),
        ("resource_arn", string(arn)),
        ("vpc_id", vpc),
        ("subnet_id", subnet),
        ("tags", tags),
        ("tags_all", tags_all),
    ])
}

/// The exclusions among `ids` that exist (not `delete-complete`): up to 200 ids a call.
async fn describe(ctx: &Ctx, ids: &[String]) -> Result<HashMap<String, Exclusion>, ProviderError> {
    describe_by_ids(ctx, ids, |ctx, ids| async move { describe_ids(&ctx, ids).await }).await
}

/// One page of DescribeVpcBlockPublicAccessExclusions with `filters`; exclusions deleted or
/// being deleted are left out.
async fn page(ctx: &Ctx, filters: Vec<Filter>, next: Option<String>) -> Page<Exclusion> {
    let resp = ctx
        .ec2
        .describe_vpc_block_public_access_exclusions()
        .set_filters(Some(filters))
        .set_next_token(next)
        .send()
        .boxed()
        .await
        .map_err(aws_error)?;
    let found = resp
        .vpc_block_public_access_exclusions()
        .iter()
        .filter(|e| !state_of(e).starts_with("delete-"))
        .filter_map(|e| Some((e.exclusion_id()?.to_string(), e.clone())))
        .collect();
    Ok((found, resp.next_token().map(str::to_string)))
}

/// One DescribeVpcBlockPublicAccessExclusions of `ids` (following pages); `None` when one of
/// them does not exist.
async fn describe_ids(ctx: &Ctx, ids: Vec<String>) -> Result<Option<Vec<(String, Exclusion)>>, ProviderError> {
    let mut out = Vec::new();
    let mut next: Option<String> = None;
    loop {
        let call = ctx
            .ec2
            .describe_vpc_block_public_access_exclusions()
            .set_exclusion_ids(Some(ids.clone()))
            .set_next_token(next.take())
            .send()
            .boxed()
            .await;
        let resp = match call {
            Ok(r) => r,
            Err(e) if code_of(&e).is_some_and(|c| c.ends_with(".NotFound")) => return Ok(None),
            Err(e) => return Err(aws_error(e)),
        };
        out.extend(
            resp.vpc_block_public_access_exclusions()
                .iter()
                .filter(|e| state_of(e) != "delete-complete")
                .filter_map(|e| Some((e.exclusion_id()?.to_string(), e.clone()))),
        );
        match resp.next_token() {
            Some(t) if !t.is_empty() => next = Some(t.to_string()),
            _ => return Ok(Some(out)),
        }
    }
}

/// Waits until the exclusion `id` leaves `*-in-progress`; a `*-failed` state is an error.
async fn wait_settled(ctx: &Ctx, id: &str, what: &str, prior: &Value) -> Result<Value, ProviderError> {
    let ids = [id.to_string()];
    let e = wait_found(
        ctx,
        &format!("VPC Block Public Access exclusion {id} to be {what}"),
        id,
        || describe(ctx, &ids),
        |e| !state_of(e).ends_with("-in-progress"),
    )
    .await?;
    if state_of(&e).ends_with("-failed") {
        return Err(ProviderError::with_code(
            "ExclusionFailed",
            format!(
                "VPC Block Public Access exclusion {id} is {}: {}",
                state_of(&e),
                e.reason().unwrap_or("AWS gave no reason")
            ),
        ));
    }
    Ok(to_value(ctx, &e, prior))
}

#[async_trait]
impl AwsResource for VpcBlockPublicAccessExclusion {
    fn type_name(&self) -> &'static str {
        "aws_vpc_block_public_access_exclusion"
    }

    fn schema(&self) -> &Schema {
        &SCHEMA
    }

    fn validate(&self, config: &Value) -> Vec<ProviderDiagnostic> {
        let mut out: Vec<ProviderDiagnostic> = one_of(
            config.get("internet_gateway_exclusion_mode"),
            "internet_gateway_exclusion_mode",
            &MODES,
        )
        .into_iter()
        .collect();
        if config.get("vpc_id").is_null() == config.get("subnet_id").is_null() {
            out.push(diag(
                "vpc_id",
                "aws_vpc_block_public_access_exclusion needs exactly one of vpc_id and subnet_id",
                "Set vpc_id to exclude a whole VPC, or subnet_id to exclude one subnet.",
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

    /// CreateVpcBlockPublicAccessExclusion takes no client token: the exclusion gets the
    /// bookkeeping tags, and one an earlier, interrupted attempt made is adopted instead
    /// ([`super::adoptable`]).
    async fn create_as(&self, ctx: &Ctx, planned: &Value, creating: &Creating) -> Result<Value, ProviderError> {
        let tags = ctx.merged_tags(planned.get("tags"));
        let found = adoptable(
            ctx,
            creating,
            &tags,
            |f, next| page(ctx, f, next),
            Exclusion::tags,
            |_| true,
        );
        if let Some(id) = found.await? {
            return wait_settled(ctx, &id, "created", planned).await;
        }
        let mut req = ctx
            .ec2
            .create_vpc_block_public_access_exclusion()
            .internet_gateway_exclusion_mode(InternetGatewayExclusionMode::from(
                req_str(planned, "internet_gateway_exclusion_mode")?.as_str(),
            ))
            .set_vpc_id(opt_str(planned, "vpc_id"))
            .set_subnet_id(opt_str(planned, "subnet_id"));
        if let Some(spec) = tag_spec(ResourceType::VpcBlockPublicAccessExclusion, &creating.with_tags(tags)) {
            req = req.tag_specifications(spec);
        }
        let resp = req.send().boxed().await.map_err(aws_error)?;
        let id = resp
            .vpc_block_public_access_exclusion()
            .and_then(|e| e.exclusion_id())
            .map(str::to_string)
            .ok_or_else(|| ProviderError::new("CreateVpcBlockPublicAccessExclusion returned no exclusion id"))?;
        wait_settled(ctx, &id, "created", planned).await
    }

    async fn update(&self, ctx: &Ctx, prior: &Value, planned: &Value) -> Result<Value, ProviderError> {
        let id = req_str(prior, "id")?;
        let mode = req_str(planned, "internet_gateway_exclusion_mode")?;
        if opt_str(prior, "internet_gateway_exclusion_mode").as_deref() != Some(mode.as_str()) {
            ctx.ec2
                .modify_vpc_block_public_access_exclusion()
                .exclusion_id(&id)
                .internet_gateway_exclusion_mode(InternetGatewayExclusionMode::from(mode.as_str()))
                .send()
                .boxed()
                .await
                .map_err(aws_error)?;
        }
        update_tags(ctx, &id, prior, planned).await?;
        wait_settled(ctx, &id, "updated", planned).await
    }

    async fn delete(&self, ctx: &Ctx, prior: &Value) -> Result<(), ProviderError> {
        let id = req_str(prior, "id")?;
        match ctx
            .ec2
            .delete_vpc_block_public_access_exclusion()
            .exclusion_id(&id)
            .send()
            .boxed()
            .await
        {
            Ok(_) => {}
            Err(e) => {
                let e = aws_error(e);
                let code = e.code.as_deref().unwrap_or_default();
                // Gone, or (Terraform's case too) already deleted: AWS refuses to delete it again.
                let gone = code.ends_with(".NotFound")
                    || (code == "InvalidParameterValue" && e.message.contains("delete-complete"));
                return if gone { Ok(()) } else { Err(e) };
            }
        }
        let ids = [id.clone()];
        wait_gone(ctx, &format!("VPC Block Public Access exclusion {id}"), || async {
            Ok(describe(ctx, &ids).await?.contains_key(&id))
        })
        .await
    }

    async fn read(&self, ctx: &Ctx, states: &[Value]) -> Result<Vec<Option<Value>>, ProviderError> {
        let found = describe(ctx, &ids_of(states)).await?;
        Ok(by_id(states, &found, |e, s| to_value(ctx, e, s)))
    }

    async fn import(&self, ctx: &Ctx, id: &str) -> Result<Value, ProviderError> {
        let e = take(
            describe(ctx, &[id.to_string()]).await?,
            id,
            "InvalidVpcBlockPublicAccessExclusionId.NotFound",
            format!("no VPC Block Public Access exclusion {id}"),
        )?;
        Ok(to_value(ctx, &e, &Value::Null))
    }
}
