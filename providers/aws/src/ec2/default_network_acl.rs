//! `aws_default_network_acl`: adopts a VPC's default network ACL, as Terraform does: on adoption
//! every entry but AWS's catch-all ones is deleted and the configured `ingress`/`egress` blocks
//! are created; after that the blocks are managed exclusively (left out: no entries), and the
//! subnets in `subnet_ids` are moved onto the ACL (a subnet cannot leave the default ACL except
//! for another ACL, so removing one from the list changes nothing). Destroy only forgets the ACL.
//! Entries, reads and refresh are `network_acl`'s.

use std::sync::LazyLock;

use async_trait::async_trait;
use plinth_sdk::{Attribute, PlanRequest, PlanResponse, ProviderDiagnostic, ProviderError, Schema, Type, Value};

use super::network_acl::{
    describe, describe_one, entry_block, plan_acl, sync_directions, sync_subnets, to_value, validate_entries,
};
use super::{by_id, ids_of};
use crate::tags::{Tagged, sync_tags, tags_from, with_tags};
use crate::util::req_str;
use crate::{AwsResource, Ctx};

pub struct DefaultNetworkAcl;

static SCHEMA: LazyLock<Schema> = LazyLock::new(|| {
    let mut s = Schema::new(
        "A VPC's default network ACL, adopted: its entries become exactly the configured ingress and egress blocks \
         (none: every entry deleted, which denies all traffic). Destroy forgets it. Import with the ACL id (acl-...).",
    )
    .attr(
        "default_network_acl_id",
        Attribute::required(Type::String)
            .force_new()
            .describe("The default ACL to adopt (aws_vpc's default_network_acl_id)."),
    )
    .attr(
        "subnet_ids",
        Attribute::optional(Type::Set(Box::new(Type::String))).describe(
            "Subnets to move onto the default ACL. As in Terraform, every subnet on the ACL is read back, so list \
             them all (or ignore_changes); one removed from the list stays until another ACL takes it.",
        ),
    )
    .block("ingress", entry_block())
    .block("egress", entry_block());
    for (name, text) in [
        ("id", "The ACL id (acl-...)."),
        ("arn", "The ACL ARN."),
        ("owner_id", "The owning account."),
        ("vpc_id", "The VPC the ACL belongs to."),
    ] {
        s = s.attr(name, Attribute::computed(Type::String).describe(text));
    }
    with_tags(s).identity(&["id"])
});

fn value(ctx: &Ctx, a: &aws_sdk_ec2::types::NetworkAcl, prior: &Value) -> Value {
    let mut v = to_value(ctx, a, prior);
    if let Value::Map(m) = &mut v {
        let id = m.get("id").cloned().unwrap_or(Value::Null);
        m.insert("default_network_acl_id".into(), id);
    }
    v
}

#[async_trait]
impl AwsResource for DefaultNetworkAcl {
    fn type_name(&self) -> &'static str {
        "aws_default_network_acl"
    }

    fn schema(&self) -> &Schema {
        &SCHEMA
    }

    fn validate(&self, config: &Value) -> Vec<ProviderDiagnostic> {
        validate_entries(config)
    }

    fn plan(&self, ctx: &Ctx, req: &PlanRequest) -> PlanResponse {
        plan_acl(&SCHEMA, ctx, req)
    }

    async fn create(&self, ctx: &Ctx, planned: &Value) -> Result<Value, ProviderError> {
        let id = req_str(planned, "default_network_acl_id")?;
        let live = describe_one(ctx, &id).await?;
        if live.is_default() != Some(true) {
            return Err(ProviderError::with_code(
                "InvalidParameterValue",
                format!("network ACL {id} is not a VPC's default ACL; use aws_network_acl for it"),
            ));
        }
        // Adoption starts from no entries but AWS's catch-all ones, as Terraform's.
        sync_directions(ctx, &live, None, planned, true).await?;
        sync_subnets(ctx, &live, None, planned, false).await?;
        let have = tags_from(live.tags().iter().map(|t| (t.key(), t.value())));
        sync_tags(ctx, Tagged::Ec2(&id), &have, &ctx.merged_tags(planned.get("tags"))).await?;
        Ok(value(ctx, &describe_one(ctx, &id).await?, planned))
    }

    async fn update(&self, ctx: &Ctx, prior: &Value, planned: &Value) -> Result<Value, ProviderError> {
        let id = req_str(prior, "id")?;
        let live = describe_one(ctx, &id).await?;
        sync_directions(ctx, &live, Some(prior), planned, true).await?;
        sync_subnets(ctx, &live, Some(prior), planned, false).await?;
        super::update_tags(ctx, &id, prior, planned).await?;
        Ok(value(ctx, &describe_one(ctx, &id).await?, planned))
    }

    async fn delete(&self, _ctx: &Ctx, _prior: &Value) -> Result<(), ProviderError> {
        // As Terraform: the default ACL stays with its entries (EC2 cannot delete it); it is only
        // forgotten.
        Ok(())
    }

    async fn read(&self, ctx: &Ctx, states: &[Value]) -> Result<Vec<Option<Value>>, ProviderError> {
        let found = describe(ctx, &ids_of(states)).await?;
        Ok(by_id(states, &found, |a, s| value(ctx, a, s)))
    }

    async fn import(&self, ctx: &Ctx, id: &str) -> Result<Value, ProviderError> {
        let a = describe_one(ctx, id).await?;
        if a.is_default() != Some(true) {
            return Err(ProviderError::with_code(
                "InvalidImportId",
                format!("network ACL {id} is not a VPC's default ACL; import it as aws_network_acl"),
            ));
        }
        Ok(value(ctx, &a, &Value::Null))
    }
}
