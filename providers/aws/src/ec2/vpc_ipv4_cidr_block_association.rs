//! `aws_vpc_ipv4_cidr_block_association`: a secondary IPv4 range of a VPC. Created and removed
//! with AssociateVpcCidrBlock / DisassociateVpcCidrBlock, waiting for `associated` and
//! `disassociated`; refresh finds the associations through their VPCs, one DescribeVpcs per 200
//! (a `cidr-block-association.association-id` filter).

use std::collections::{HashMap, HashSet};
use std::sync::LazyLock;

use async_trait::async_trait;
use aws_sdk_ec2::types::VpcCidrBlockAssociation as Assoc;
use futures::FutureExt as _;
use plinth_sdk::{Attribute, ProviderDiagnostic, ProviderError, Schema, Type, Value};

use super::{by_id, describe_by_filter, ids_of, take, wait_found};
use crate::error::{aws_error, code_of};
use crate::idempotent::Creating;
use crate::util::{req_str, string, wait_gone};
use crate::{AwsResource, Ctx};

pub struct VpcIpv4CidrBlockAssociation;

static SCHEMA: LazyLock<Schema> = LazyLock::new(|| {
    Schema::new(
        "A secondary IPv4 CIDR block of a VPC, for more subnets than the primary range holds. Import with \
         the association id (vpc-cidr-assoc-...).",
    )
    .attr(
        "vpc_id",
        Attribute::required(Type::String).force_new().describe("The VPC."),
    )
    .attr(
        "cidr_block",
        Attribute::optional_computed(Type::String)
            .force_new()
            .describe("The range, such as 10.1.0.0/16 (a /16 to a /28)."),
    )
    .attr(
        "id",
        Attribute::computed(Type::String).describe("The association id (vpc-cidr-assoc-...)."),
    )
    .unsupported_all(
        &["ipv4_ipam_pool_id", "ipv4_netmask_length"],
        "Plinth has no IPAM pools yet: give the range as cidr_block",
    )
    .identity(&["id"])
});

/// An association and its VPC.
type Found = (String, Assoc);

fn to_value((vpc, a): &Found) -> Value {
    Value::object([
        ("id", string(a.association_id().unwrap_or_default())),
        ("vpc_id", string(vpc)),
        ("cidr_block", string(a.cidr_block().unwrap_or_default())),
    ])
}

fn state_of(a: &Assoc) -> &str {
    a.cidr_block_state()
        .and_then(|s| s.state())
        .map(|s| s.as_str())
        .unwrap_or_default()
}

/// Disassociated (or failed) associations stay listed for a while: they are gone.
fn live(a: &Assoc) -> bool {
    matches!(state_of(a), "associating" | "associated" | "disassociating")
}

/// The associations among `ids` that exist, with their VPCs: one DescribeVpcs per 200 ids.
async fn describe(ctx: &Ctx, ids: &[String]) -> Result<HashMap<String, Found>, ProviderError> {
    let wanted: HashSet<&str> = ids.iter().map(String::as_str).collect();
    let wanted = &wanted;
    describe_by_filter(
        "cidr-block-association.association-id",
        ids,
        |filter, next| async move {
            let resp = ctx
                .ec2
                .describe_vpcs()
                .filters(filter)
                .set_next_token(next)
                .send()
                .boxed()
                .await
                .map_err(aws_error)?;
            let found = resp
                .vpcs()
                .iter()
                .flat_map(|v| {
                    let vpc = v.vpc_id().unwrap_or_default().to_string();
                    v.cidr_block_association_set()
                        .iter()
                        .filter(|a| live(a))
                        .filter_map(move |a| {
                            let id = a.association_id()?;
                            wanted.contains(id).then(|| (id.to_string(), (vpc.clone(), a.clone())))
                        })
                })
                .collect();
            Ok((found, resp.next_token().map(str::to_string)))
        },
    )
    .await
}

#[async_trait]
impl AwsResource for VpcIpv4CidrBlockAssociation {
    fn type_name(&self) -> &'static str {
        "aws_vpc_ipv4_cidr_block_association"
    }

    fn schema(&self) -> &Schema {
        &SCHEMA
    }

    fn validate(&self, config: &Value) -> Vec<ProviderDiagnostic> {
        // Terraform lets an IPAM pool choose the range; without IPAM support the range is needed.
        if config.get("cidr_block").is_null() {
            return vec![super::diag(
                "cidr_block",
                "aws_vpc_ipv4_cidr_block_association needs cidr_block",
                "Give the range to add, such as cidr_block = \"10.1.0.0/16\" (IPAM pools are not supported yet).",
            )];
        }
        Vec::new()
    }

    async fn create(&self, ctx: &Ctx, planned: &Value) -> Result<Value, ProviderError> {
        self.create_as(ctx, planned, &Creating::default()).await
    }

    /// A tracked create first reads the VPC (one DescribeVpcs): a secondary association of the
    /// planned range an earlier, interrupted attempt of this create made is adopted when the VPC
    /// is this state's ([`Creating::adopt_content_or_refuse`], with the VPC's tags), refused with
    /// the import hint otherwise (AWS would refuse the range as taken).
    async fn create_as(&self, ctx: &Ctx, planned: &Value, creating: &Creating) -> Result<Value, ProviderError> {
        let vpc = req_str(planned, "vpc_id")?;
        let cidr = req_str(planned, "cidr_block")?;
        if creating.tracked() {
            let found = super::vpc::describe(ctx, std::slice::from_ref(&vpc)).await?;
            if let Some(v) = found.get(&vpc) {
                let taken = v.cidr_block_association_set().iter().find(|a| {
                    live(a) && a.cidr_block() == Some(cidr.as_str()) && v.cidr_block() != Some(cidr.as_str())
                });
                if let Some(a) = taken {
                    let id = a.association_id().unwrap_or_default().to_string();
                    let err = ProviderError::with_code(
                        "InvalidVpc.Range",
                        format!("VPC {vpc} already has the range {cidr} ({id})"),
                    );
                    let tags = v.tags().iter().map(|t| (t.key(), t.value()));
                    creating.adopt_content_or_refuse(&id, true, Some(tags), err)?;
                    let found = (vpc.clone(), a.clone());
                    return Ok(to_value(&found));
                }
            }
        }
        let resp = ctx
            .ec2
            .associate_vpc_cidr_block()
            .vpc_id(&vpc)
            .cidr_block(cidr)
            .send()
            .boxed()
            .await
            .map_err(aws_error)?;
        let id = resp
            .cidr_block_association()
            .and_then(|a| a.association_id())
            .map(str::to_string)
            .ok_or_else(|| ProviderError::new("AssociateVpcCidrBlock returned no association id"))?;
        let ids = [id.clone()];
        let found = wait_found(
            ctx,
            &format!("CIDR block association {id} of VPC {vpc} to be associated"),
            &id,
            || describe(ctx, &ids),
            |(_, a)| state_of(a) != "associating",
        )
        .await?;
        if state_of(&found.1) != "associated" {
            return Err(ProviderError::with_code(
                "CidrBlockAssociationFailed",
                format!(
                    "the CIDR block of association {id} could not be added to VPC {vpc}: {}",
                    found
                        .1
                        .cidr_block_state()
                        .and_then(|s| s.status_message())
                        .unwrap_or(state_of(&found.1))
                ),
            ));
        }
        Ok(to_value(&found))
    }

    async fn update(&self, ctx: &Ctx, prior: &Value, _planned: &Value) -> Result<Value, ProviderError> {
        // Every argument forces a new association; only `timeouts` can change in place.
        let id = req_str(prior, "id")?;
        let found = describe(ctx, std::slice::from_ref(&id)).await?;
        Ok(to_value(&take(
            found,
            &id,
            "InvalidVpcCidrBlockAssociationID.NotFound",
            format!("CIDR block association {id} disappeared"),
        )?))
    }

    async fn delete(&self, ctx: &Ctx, prior: &Value) -> Result<(), ProviderError> {
        let id = req_str(prior, "id")?;
        let ids = [id.clone()];
        // Only one still associated is disassociated: asking again for one already going or gone
        // is an error in some emulators.
        if describe(ctx, &ids)
            .await?
            .get(&id)
            .is_some_and(|(_, a)| state_of(a) != "disassociating")
        {
            match ctx
                .ec2
                .disassociate_vpc_cidr_block()
                .association_id(&id)
                .send()
                .boxed()
                .await
            {
                Ok(_) => {}
                Err(e) if code_of(&e).is_some_and(|c| c.ends_with(".NotFound")) => return Ok(()),
                Err(e) => return Err(aws_error(e)),
            }
        }
        wait_gone(ctx, &format!("CIDR block association {id}"), || async {
            Ok(describe(ctx, &ids).await?.contains_key(&id))
        })
        .await
    }

    async fn read(&self, ctx: &Ctx, states: &[Value]) -> Result<Vec<Option<Value>>, ProviderError> {
        let found = describe(ctx, &ids_of(states)).await?;
        Ok(by_id(states, &found, |f, _| to_value(f)))
    }

    async fn import(&self, ctx: &Ctx, id: &str) -> Result<Value, ProviderError> {
        let found = describe(ctx, &[id.to_string()]).await?;
        Ok(to_value(&take(
            found,
            id,
            "InvalidVpcCidrBlockAssociationID.NotFound",
            format!("no VPC CIDR block association {id}"),
        )?))
    }
}
