//! `aws_default_security_group`: adopts a VPC's default security group (the default VPC's when
//! `vpc_id` is left out), as Terraform does: on adoption every rule is revoked and the
//! configured `ingress`/`egress` blocks are authorized (no blocks: a locked-down group); after
//! that the blocks are managed as `aws_security_group`'s (computed when omitted). Destroy only
//! forgets the group, which EC2 cannot delete. Rules, reads and refresh are `security_group`'s;
//! finding the default group is `default_vpc`'s.

use std::sync::LazyLock;

use async_trait::async_trait;
use plinth_sdk::{Attribute, PlanRequest, PlanResponse, ProviderError, Schema, Type, Value};

use super::default_vpc::default_security_group;
use super::security_group::{describe, describe_one, revoke_all, rule_schema, sync_all_rules, to_value};
use super::{by_id, ids_of, plan_with_tags};
use crate::tags::{Tagged, sync_tags, tags_from, with_tags};
use crate::util::{opt_str, req_str};
use crate::{AwsResource, Ctx};

pub struct DefaultSecurityGroup;

static SCHEMA: LazyLock<Schema> = LazyLock::new(|| {
    let mut s = Schema::new(
        "A VPC's default security group, adopted: its rules become exactly the configured ingress and egress blocks \
         (none: every rule revoked). Destroy forgets it. Import with the group id (sg-...).",
    )
    .attr(
        "vpc_id",
        Attribute::optional_computed(Type::String)
            .force_new()
            .describe("The VPC whose default group to adopt; the region's default VPC when left out."),
    )
    .attr(
        "revoke_rules_on_delete",
        Attribute::optional(Type::Bool)
            .describe("Accepted for Terraform compatibility; destroy only forgets the group."),
    )
    .block("ingress", rule_schema("ingress"))
    .block("egress", rule_schema("egress"))
    .computed_when_omitted("ingress")
    .computed_when_omitted("egress");
    for (name, text) in [
        ("id", "The group id (sg-...)."),
        ("arn", "The group ARN."),
        ("owner_id", "The owning account."),
        ("name", "default."),
        ("name_prefix", "Always null."),
        ("description", "The group's description."),
    ] {
        s = s.attr(name, Attribute::computed(Type::String).describe(text));
    }
    with_tags(s).identity(&["id"])
});

#[async_trait]
impl AwsResource for DefaultSecurityGroup {
    fn type_name(&self) -> &'static str {
        "aws_default_security_group"
    }

    fn schema(&self) -> &Schema {
        &SCHEMA
    }

    fn plan(&self, ctx: &Ctx, req: &PlanRequest) -> PlanResponse {
        plan_with_tags(&SCHEMA, ctx, req)
    }

    async fn create(&self, ctx: &Ctx, planned: &Value) -> Result<Value, ProviderError> {
        let vpc = opt_str(planned, "vpc_id");
        let g = default_security_group(ctx, vpc.as_deref()).await?.ok_or_else(|| {
            ProviderError::with_code(
                "InvalidGroup.NotFound",
                match &vpc {
                    Some(v) => format!("VPC {v} has no default security group"),
                    None => "the region has no default VPC (set vpc_id)".to_string(),
                },
            )
        })?;
        let id = g.group_id().unwrap_or_default().to_string();
        // Adoption starts from no rules at all, as Terraform's.
        revoke_all(ctx, &id).await?;
        let live = describe_one(ctx, &id).await?;
        sync_all_rules(ctx, &id, &live, None, planned).await?;
        let have = tags_from(g.tags().iter().map(|t| (t.key(), t.value())));
        sync_tags(ctx, Tagged::Ec2(&id), &have, &ctx.merged_tags(planned.get("tags"))).await?;
        let g = describe_one(ctx, &id).await?;
        Ok(to_value(ctx, &g, planned))
    }

    async fn update(&self, ctx: &Ctx, prior: &Value, planned: &Value) -> Result<Value, ProviderError> {
        let id = req_str(prior, "id")?;
        let live = describe_one(ctx, &id).await?;
        sync_all_rules(ctx, &id, &live, Some(prior), planned).await?;
        super::update_tags(ctx, &id, prior, planned).await?;
        let g = describe_one(ctx, &id).await?;
        Ok(to_value(ctx, &g, planned))
    }

    async fn delete(&self, _ctx: &Ctx, _prior: &Value) -> Result<(), ProviderError> {
        // As Terraform: the default group stays (EC2 cannot delete it); it is only forgotten.
        Ok(())
    }

    async fn read(&self, ctx: &Ctx, states: &[Value]) -> Result<Vec<Option<Value>>, ProviderError> {
        let found = describe(ctx, &ids_of(states)).await?;
        Ok(by_id(states, &found, |g, s| to_value(ctx, g, s)))
    }

    async fn import(&self, ctx: &Ctx, id: &str) -> Result<Value, ProviderError> {
        let g = describe_one(ctx, id).await?;
        if g.group_name() != Some("default") {
            return Err(ProviderError::with_code(
                "InvalidImportId",
                format!("security group {id} is not a VPC's default group; import it as aws_security_group"),
            ));
        }
        Ok(to_value(ctx, &g, &Value::Null))
    }
}
