//! `aws_vpn_gateway_attachment`: a VPN gateway's attachment to a VPC, apart from the gateway
//! (for a gateway whose `vpc_id` is left out). Both arguments force a new attachment. Refresh
//! reads the gateways: one DescribeVpnGateways per 200.

use std::sync::LazyLock;

use async_trait::async_trait;
use plinth_sdk::{Attribute, ProviderError, Schema, Type, Value};

use super::vpn_gateway::{attach, attachment_state, describe, detach};
use crate::idempotent::Creating;
use crate::util::{opt_str, req_str, string};
use crate::{AwsResource, Ctx};

pub struct VpnGatewayAttachment;

static SCHEMA: LazyLock<Schema> = LazyLock::new(|| {
    Schema::new(
        "Attaches a VPN gateway to a VPC. Import with VPN_GATEWAY_ID/VPC_ID (Terraform has no import for this \
         type).",
    )
    .attr(
        "vpn_gateway_id",
        Attribute::required(Type::String)
            .force_new()
            .describe("The VPN gateway (vgw-...)."),
    )
    .attr(
        "vpc_id",
        Attribute::required(Type::String).force_new().describe("The VPC."),
    )
    .attr(
        "id",
        Attribute::computed(Type::String).describe("vpn-attachment-<CRC-32 of VPC_ID-VPN_GATEWAY_ID>, as Terraform's."),
    )
    .identity(&["vpn_gateway_id", "vpc_id"])
});

/// Terraform's id: `vpn-attachment-` and the CRC-32 (IEEE, in hex) of `VPC_ID-VPN_GATEWAY_ID`.
fn id_of(gateway: &str, vpc: &str) -> String {
    format!(
        "vpn-attachment-{:x}",
        crc32fast::hash(format!("{vpc}-{gateway}").as_bytes())
    )
}

fn to_value(gateway: &str, vpc: &str) -> Value {
    Value::object([
        ("id", string(id_of(gateway, vpc))),
        ("vpn_gateway_id", string(gateway)),
        ("vpc_id", string(vpc)),
    ])
}

/// Which of `pairs` (gateway, VPC) are attached (or attaching).
async fn attached(ctx: &Ctx, pairs: &[(String, String)]) -> Result<Vec<bool>, ProviderError> {
    let gateways: Vec<String> = pairs.iter().map(|(g, _)| g.clone()).collect();
    let found = describe(ctx, &gateways).await?;
    Ok(pairs
        .iter()
        .map(|(g, vpc)| {
            found
                .get(g)
                .and_then(|g| attachment_state(g, vpc))
                .is_some_and(|s| matches!(s, "attaching" | "attached"))
        })
        .collect())
}

fn pair(v: &Value) -> Option<(String, String)> {
    Some((opt_str(v, "vpn_gateway_id")?, opt_str(v, "vpc_id")?))
}

#[async_trait]
impl AwsResource for VpnGatewayAttachment {
    fn type_name(&self) -> &'static str {
        "aws_vpn_gateway_attachment"
    }

    fn schema(&self) -> &Schema {
        &SCHEMA
    }

    async fn create(&self, ctx: &Ctx, planned: &Value) -> Result<Value, ProviderError> {
        self.create_as(ctx, planned, &Creating::default()).await
    }

    /// A tracked create first reads the gateway (one DescribeVpnGateways): an attachment to the
    /// VPC an earlier, interrupted attempt of this create made is adopted when the gateway is
    /// this state's ([`Creating::adopt_content_or_refuse`], with the gateway's tags), refused
    /// with the import hint otherwise.
    async fn create_as(&self, ctx: &Ctx, planned: &Value, creating: &Creating) -> Result<Value, ProviderError> {
        let (gateway, vpc) = (req_str(planned, "vpn_gateway_id")?, req_str(planned, "vpc_id")?);
        if creating.tracked() {
            let found = describe(ctx, std::slice::from_ref(&gateway)).await?;
            if let Some(g) = found.get(&gateway)
                && matches!(attachment_state(g, &vpc), Some("attached" | "attaching"))
            {
                let err = ProviderError::with_code(
                    "Resource.AlreadyAssociated",
                    format!("VPN gateway {gateway} is already attached to VPC {vpc}"),
                );
                let tags = g.tags().iter().map(|t| (t.key(), t.value()));
                creating.adopt_content_or_refuse(&format!("{gateway}/{vpc}"), true, Some(tags), err)?;
                return Ok(to_value(&gateway, &vpc));
            }
        }
        attach(ctx, &gateway, &vpc).await?;
        Ok(to_value(&gateway, &vpc))
    }

    async fn update(&self, _ctx: &Ctx, prior: &Value, _planned: &Value) -> Result<Value, ProviderError> {
        // Both arguments force a new attachment; only `timeouts` can change in place.
        Ok(prior.clone())
    }

    async fn delete(&self, ctx: &Ctx, prior: &Value) -> Result<(), ProviderError> {
        detach(ctx, &req_str(prior, "vpn_gateway_id")?, &req_str(prior, "vpc_id")?).await
    }

    async fn read(&self, ctx: &Ctx, states: &[Value]) -> Result<Vec<Option<Value>>, ProviderError> {
        let pairs: Vec<(String, String)> = states.iter().filter_map(pair).collect();
        let mut live = pairs.iter().zip(attached(ctx, &pairs).await?);
        Ok(states
            .iter()
            .map(|s| {
                pair(s)?;
                let ((g, vpc), on) = live.next()?;
                on.then(|| to_value(g, vpc))
            })
            .collect())
    }

    async fn import(&self, ctx: &Ctx, id: &str) -> Result<Value, ProviderError> {
        let (gateway, vpc) = id
            .split_once('/')
            .filter(|(g, v)| !g.is_empty() && !v.is_empty())
            .ok_or_else(|| {
                ProviderError::with_code("InvalidImportId", format!("{id:?} is not VPN_GATEWAY_ID/VPC_ID"))
            })?;
        let pairs = [(gateway.to_string(), vpc.to_string())];
        if attached(ctx, &pairs).await?.first() != Some(&true) {
            return Err(ProviderError::with_code(
                "InvalidVpnGatewayAttachment.NotFound",
                format!("VPN gateway {gateway} is not attached to VPC {vpc}"),
            ));
        }
        Ok(to_value(gateway, vpc))
    }
}
