//! `aws_vpc_dhcp_options_association`: which DHCP options set a VPC uses (each VPC has exactly
//! one, `default` when none of the account's own). Moving the VPC to another set happens in
//! place; destroy gives it `default` back. Refresh reads the VPCs: one DescribeVpcs per 200.

use std::sync::LazyLock;

use async_trait::async_trait;
use futures::FutureExt as _;
use plinth_sdk::{Attribute, PlanRequest, PlanResponse, ProviderError, Schema, Type, Value};

use super::vpc_dhcp_options::{DEFAULT, associate_default};
use crate::error::aws_error;
use crate::util::{opt_str, req_str, string};
use crate::{AwsResource, Ctx};

pub struct VpcDhcpOptionsAssociation;

static SCHEMA: LazyLock<Schema> = LazyLock::new(|| {
    Schema::new(
        "Makes a VPC use a DHCP options set. Import with the VPC id; destroy gives the VPC the default \
         options (`default`).",
    )
    .attr(
        "vpc_id",
        Attribute::required(Type::String).force_new().describe("The VPC."),
    )
    .attr(
        "dhcp_options_id",
        Attribute::required(Type::String)
            .describe("The options set (dopt-...), or `default`; a change re-associates in place."),
    )
    .attr(
        "id",
        Attribute::computed(Type::String).describe("DHCP_OPTIONS_ID-VPC_ID, as Terraform's."),
    )
    .identity(&["vpc_id"])
});

/// Terraform's id: the options set id and the VPC id joined by `-`.
fn id_of(dhcp: &str, vpc: &str) -> String {
    format!("{dhcp}-{vpc}")
}

fn to_value(vpc: &str, dhcp: &str) -> Value {
    Value::object([
        ("id", string(id_of(dhcp, vpc))),
        ("vpc_id", string(vpc)),
        ("dhcp_options_id", string(dhcp)),
    ])
}

/// The options set each of `vpcs` uses now (absent: the VPC is gone).
async fn describe(ctx: &Ctx, vpcs: &[String]) -> Result<std::collections::HashMap<String, String>, ProviderError> {
    Ok(super::vpc::describe(ctx, vpcs)
        .await?
        .into_iter()
        .map(|(id, v)| {
            let dhcp = v.dhcp_options_id().filter(|d| !d.is_empty()).unwrap_or(DEFAULT);
            (id, dhcp.to_string())
        })
        .collect())
}

async fn associate(ctx: &Ctx, planned: &Value) -> Result<Value, ProviderError> {
    let vpc = req_str(planned, "vpc_id")?;
    let dhcp = req_str(planned, "dhcp_options_id")?;
    ctx.ec2
        .associate_dhcp_options()
        .dhcp_options_id(&dhcp)
        .vpc_id(&vpc)
        .send()
        .boxed()
        .await
        .map_err(aws_error)?;
    // EC2 is eventually consistent: wait until the VPC is described with the new set.
    let vpcs = [vpc.clone()];
    crate::util::wait_for(ctx, &format!("VPC {vpc} to use DHCP options {dhcp}"), || async {
        Ok(describe(ctx, &vpcs)
            .await?
            .get(&vpc)
            .filter(|d| **d == dhcp)
            .map(|_| to_value(&vpc, &dhcp)))
    })
    .await
}

#[async_trait]
impl AwsResource for VpcDhcpOptionsAssociation {
    fn type_name(&self) -> &'static str {
        "aws_vpc_dhcp_options_association"
    }

    fn schema(&self) -> &Schema {
        &SCHEMA
    }

    fn plan(&self, _ctx: &Ctx, req: &PlanRequest) -> PlanResponse {
        let mut resp = plinth_sdk::plan::default_plan(&SCHEMA, req.prior.as_ref(), &req.config);
        // The id names the options set: another set, another id.
        if let Some(prior) = &req.prior
            && req.config.get("dhcp_options_id") != prior.get("dhcp_options_id")
            && let Value::Map(m) = &mut resp.planned
        {
            m.insert("id".into(), Value::Unknown);
        }
        resp
    }

    async fn create(&self, ctx: &Ctx, planned: &Value) -> Result<Value, ProviderError> {
        associate(ctx, planned).await
    }

    async fn update(&self, ctx: &Ctx, _prior: &Value, planned: &Value) -> Result<Value, ProviderError> {
        associate(ctx, planned).await
    }

    async fn delete(&self, ctx: &Ctx, prior: &Value) -> Result<(), ProviderError> {
        if opt_str(prior, "dhcp_options_id").as_deref() == Some(DEFAULT) {
            return Ok(());
        }
        associate_default(ctx, &req_str(prior, "vpc_id")?).await
    }

    /// The VPC's options set as it is now: another set (or `default`) is drift, repaired in place.
    async fn read(&self, ctx: &Ctx, states: &[Value]) -> Result<Vec<Option<Value>>, ProviderError> {
        let vpcs: Vec<String> = states.iter().filter_map(|s| opt_str(s, "vpc_id")).collect();
        let found = describe(ctx, &vpcs).await?;
        Ok(states
            .iter()
            .map(|s| {
                let vpc = opt_str(s, "vpc_id")?;
                found.get(&vpc).map(|dhcp| to_value(&vpc, dhcp))
            })
            .collect())
    }

    async fn import(&self, ctx: &Ctx, id: &str) -> Result<Value, ProviderError> {
        let found = describe(ctx, &[id.to_string()]).await?;
        let dhcp = super::take(found, id, "InvalidVpcID.NotFound", format!("no VPC {id}"))?;
        Ok(to_value(id, &dhcp))
    }
}
