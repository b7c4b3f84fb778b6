//! `aws_vpn_gateway`: a virtual private gateway, the AWS end of site-to-site VPNs, and its
//! attachment to one VPC (attached, detached and moved in place, waiting for `attached` and
//! `detached`, as Terraform does). Also the describe, attach and detach that
//! `aws_vpn_gateway_attachment` shares. Deleted gateways stay listed as `deleted` for a while and
//! read as gone.

use std::collections::HashMap;
use std::sync::LazyLock;

use async_trait::async_trait;
use aws_sdk_ec2::types::{Filter, GatewayType, ResourceType, VpnGateway as Vgw};
use futures::FutureExt as _;
use plinth_sdk::{Attribute, PlanRequest, PlanResponse, ProviderDiagnostic, ProviderError, Schema, Type, Value};

use super::{
    Page, adoptable, by_id, describe_by_filter, ids_of, plan_with_tags, tag_spec, tag_values, take, update_tags,
    wait_found,
};
use crate::error::{aws_error, code_of};
use crate::idempotent::Creating;
use crate::tags::with_tags;
use crate::util::{delete_call, opt_str, opt_string, req_str, string, wait_for, wait_gone};
use crate::{AwsResource, Ctx};

pub struct VpnGateway;

static SCHEMA: LazyLock<Schema> = LazyLock::new(|| {
    with_tags(
        Schema::new(
            "A virtual private gateway: the AWS end of site-to-site VPN connections into a VPC. Import with \
             the gateway id (vgw-...).",
        )
        .attr(
            "vpc_id",
            Attribute::optional_computed(Type::String).describe(
                "The VPC to attach to; changing it detaches and attaches in place. Left out, an attachment made \
                 by aws_vpn_gateway_attachment is left alone.",
            ),
        )
        .attr(
            "amazon_side_asn",
            Attribute::optional_computed(Type::String)
                .force_new()
                .describe("The ASN of the AWS side of BGP sessions (64512 by default)."),
        )
        .attr(
            "availability_zone",
            Attribute::optional(Type::String)
                .force_new()
                .describe("The Availability Zone for the gateway."),
        )
        .attr(
            "id",
            Attribute::computed(Type::String).describe("The gateway id (vgw-...)."),
        )
        .attr("arn", Attribute::computed(Type::String).describe("The gateway ARN.")),
    )
    .identity(&["id"])
});

fn state_of(g: &Vgw) -> &str {
    g.state().map(|s| s.as_str()).unwrap_or_default()
}

/// The state of the gateway's attachment to `vpc` (`attaching`, `attached`, `detaching`,
/// `detached`), if it has one.
pub(super) fn attachment_state<'a>(g: &'a Vgw, vpc: &str) -> Option<&'a str> {
    g.vpc_attachments()
        .iter()
        .find(|a| a.vpc_id() == Some(vpc))
        .and_then(|a| a.state())
        .map(|s| s.as_str())
}

/// The VPC the gateway is attached to (Terraform counts `attached` only).
fn attached_vpc(g: &Vgw) -> Option<&str> {
    g.vpc_attachments()
        .iter()
        .find(|a| a.state().map(|s| s.as_str()) == Some("attached"))
        .and_then(|a| a.vpc_id())
}

fn to_value(ctx: &Ctx, account: &str, g: &Vgw, prior: &Value) -> Value {
    let id = g.vpn_gateway_id().unwrap_or_default().to_string();
    let (tags, tags_all) = tag_values(ctx, g.tags(), prior);
    // AWS leaves the zone out unless one was asked for; a configured one is kept.
    let zone = match g.availability_zone().filter(|z| !z.is_empty()) {
        Some(z) => string(z),
        None => prior.get("availability_zone").clone(),
    };
    Value::object([
        (
            "arn",
            string(format!("arn:aws:ec2:{}:{account}:vpn-gateway/{id}", ctx.region)),
        ),
        ("id", string(id)),
        ("vpc_id", opt_string(attached_vpc(g))),
        (
            "amazon_side_asn",
            opt_string(g.amazon_side_asn().map(|n| n.to_string())),
        ),
        ("availability_zone", if zone.is_unknown() { Value::Null } else { zone }),
        ("tags", tags),
        ("tags_all", tags_all),
    ])
}

/// One DescribeVpnGateways per 200 ids (a `vpn-gateway-id` filter); deleted ones are left out.
/// One DescribeVpnGateways with `filters` (the call has no paging); deleted gateways are left out.
async fn page(ctx: &Ctx, filters: Vec<Filter>) -> Page<Vgw> {
    let resp = ctx
        .ec2
        .describe_vpn_gateways()
        .set_filters(Some(filters))
        .send()
        .boxed()
        .await
        .map_err(aws_error)?;
    let found = resp
        .vpn_gateways()
        .iter()
        .filter(|g| state_of(g) != "deleted")
        .filter_map(|g| Some((g.vpn_gateway_id()?.to_string(), g.clone())))
        .collect();
    Ok((found, None))
}

pub(super) async fn describe(ctx: &Ctx, ids: &[String]) -> Result<HashMap<String, Vgw>, ProviderError> {
    describe_by_filter("vpn-gateway-id", ids, |filter, _| page(ctx, vec![filter])).await
}

/// Attaches the gateway `id` to `vpc` and waits for `attached`; retried while a just-created
/// gateway is not yet known.
pub(super) async fn attach(ctx: &Ctx, id: &str, vpc: &str) -> Result<(), ProviderError> {
    wait_for(ctx, &format!("VPN gateway {id} to be attachable"), || async {
        match ctx
            .ec2
            .attach_vpn_gateway()
            .vpn_gateway_id(id)
            .vpc_id(vpc)
            .send()
            .boxed()
            .await
        {
            Ok(_) => Ok(Some(())),
            Err(e) if code_of(&e) == Some("InvalidVpnGatewayID.NotFound") => Ok(None),
            Err(e) => Err(aws_error(e)),
        }
    })
    .await?;
    let ids = [id.to_string()];
    wait_found(
        ctx,
        &format!("VPN gateway {id} to be attached to VPC {vpc}"),
        id,
        || describe(ctx, &ids),
        |g| attachment_state(g, vpc) == Some("attached"),
    )
    .await
    .map(drop)
}

/// Detaches the gateway `id` from `vpc` and waits for `detached`; an attachment (or gateway)
/// already gone is fine.
pub(super) async fn detach(ctx: &Ctx, id: &str, vpc: &str) -> Result<(), ProviderError> {
    match ctx
        .ec2
        .detach_vpn_gateway()
        .vpn_gateway_id(id)
        .vpc_id(vpc)
        .send()
        .boxed()
        .await
    {
        Ok(_) => {}
        Err(e)
            if matches!(
                code_of(&e),
                Some("InvalidVpnGatewayAttachment.NotFound") | Some("InvalidVpnGatewayID.NotFound")
            ) =>
        {
            return Ok(());
        }
        Err(e) => return Err(aws_error(e)),
    }
    let ids = [id.to_string()];
    wait_gone(
        ctx,
        &format!("the attachment of VPN gateway {id} to VPC {vpc}"),
        || async {
            Ok(describe(ctx, &ids)
                .await?
                .get(id)
                .and_then(|g| attachment_state(g, vpc))
                .is_some_and(|s| s != "detached"))
        },
    )
    .await
}

async fn read_one(ctx: &Ctx, id: &str, prior: &Value) -> Result<Value, ProviderError> {
    let g = take(
        describe(ctx, &[id.to_string()]).await?,
        id,
        "InvalidVpnGatewayID.NotFound",
        format!("no VPN gateway {id}"),
    )?;
    Ok(to_value(ctx, &ctx.account_id().await?, &g, prior))
}

#[async_trait]
impl AwsResource for VpnGateway {
    fn type_name(&self) -> &'static str {
        "aws_vpn_gateway"
    }

    fn schema(&self) -> &Schema {
        &SCHEMA
    }

    fn validate(&self, config: &Value) -> Vec<ProviderDiagnostic> {
        let Some(s) = config.get("amazon_side_asn").as_str() else {
            return Vec::new();
        };
        // AWS takes a private ASN: 64512-65534 (16-bit) or 4200000000-4294967294 (32-bit).
        match s.parse::<i64>() {
            Ok(n) if (64_512..=65_534).contains(&n) || (4_200_000_000..=4_294_967_294).contains(&n) => Vec::new(),
            _ => vec![crate::util::invalid(
                "amazon_side_asn",
                format!("{s:?}: expected a private ASN, 64512 to 65534 or 4200000000 to 4294967294"),
            )],
        }
    }

    fn plan(&self, ctx: &Ctx, req: &PlanRequest) -> PlanResponse {
        plan_with_tags(&SCHEMA, ctx, req)
    }

    async fn create(&self, ctx: &Ctx, planned: &Value) -> Result<Value, ProviderError> {
        self.create_as(ctx, planned, &Creating::default()).await
    }

    /// CreateVpnGateway takes no client token: the gateway gets the bookkeeping tags, and one an
    /// earlier, interrupted attempt made (not `deleting`) is adopted instead
    /// ([`super::adoptable`]), then attached as planned unless it already is.
    async fn create_as(&self, ctx: &Ctx, planned: &Value, creating: &Creating) -> Result<Value, ProviderError> {
        let asn = opt_str(planned, "amazon_side_asn")
            .map(|s| {
                s.parse::<i64>().map_err(|_| {
                    ProviderError::with_code(
                        "InvalidParameterValue",
                        format!("amazon_side_asn {s:?} is not a number"),
                    )
                })
            })
            .transpose()?;
        let tags = ctx.merged_tags(planned.get("tags"));
        let live = |g: &Vgw| state_of(g) != "deleting";
        let found = adoptable(ctx, creating, &tags, |f, _| page(ctx, f), Vgw::tags, live);
        let id = match found.await? {
            Some(id) => id,
            None => {
                let mut req = ctx
                    .ec2
                    .create_vpn_gateway()
                    .r#type(GatewayType::Ipsec1)
                    .set_amazon_side_asn(asn)
                    .set_availability_zone(opt_str(planned, "availability_zone"));
                if let Some(spec) = tag_spec(ResourceType::VpnGateway, &creating.with_tags(tags)) {
                    req = req.tag_specifications(spec);
                }
                let resp = req.send().boxed().await.map_err(aws_error)?;
                resp.vpn_gateway()
                    .and_then(|g| g.vpn_gateway_id())
                    .map(str::to_string)
                    .ok_or_else(|| ProviderError::new("CreateVpnGateway returned no gateway id"))?
            }
        };
        let ids = [id.clone()];
        let g = wait_found(
            ctx,
            &format!("VPN gateway {id} to be available"),
            &id,
            || describe(ctx, &ids),
            |g| state_of(g) == "available",
        )
        .await?;
        // An adopted gateway may be attached already (or, the configuration having changed
        // since, to another VPC).
        let (have, want) = (attached_vpc(&g).map(str::to_string), opt_str(planned, "vpc_id"));
        if have != want {
            if let Some(old) = &have {
                detach(ctx, &id, old).await?;
            }
            if let Some(vpc) = &want {
                attach(ctx, &id, vpc).await?;
            }
        }
        read_one(ctx, &id, planned).await
    }

    async fn update(&self, ctx: &Ctx, prior: &Value, planned: &Value) -> Result<Value, ProviderError> {
        let id = req_str(prior, "id")?;
        let (have, want) = (opt_str(prior, "vpc_id"), opt_str(planned, "vpc_id"));
        if have != want && !planned.get("vpc_id").is_unknown() {
            if let Some(old) = &have {
                detach(ctx, &id, old).await?;
            }
            if let Some(new) = &want {
                attach(ctx, &id, new).await?;
            }
        }
        update_tags(ctx, &id, prior, planned).await?;
        read_one(ctx, &id, planned).await
    }

    async fn delete(&self, ctx: &Ctx, prior: &Value) -> Result<(), ProviderError> {
        let id = req_str(prior, "id")?;
        let ids = vec![id.clone()];
        // Detach from whatever VPC it is attached to now (not only the one in state).
        if let Some(g) = describe(ctx, &ids).await?.get(&id) {
            let attached: Vec<String> = g
                .vpc_attachments()
                .iter()
                .filter(|a| matches!(a.state().map(|s| s.as_str()), Some("attaching" | "attached")))
                .filter_map(|a| a.vpc_id().map(str::to_string))
                .collect();
            for vpc in attached {
                detach(ctx, &id, &vpc).await?;
            }
        }
        // AWS answers IncorrectState while a detachment is still settling.
        super::retry_on(
            ctx,
            &format!("VPN gateway {id} to be deletable"),
            "IncorrectState",
            || delete_call(ctx.ec2.delete_vpn_gateway().vpn_gateway_id(&id).send().boxed()),
        )
        .await?;
        wait_gone(ctx, &format!("VPN gateway {id}"), || async {
            Ok(describe(ctx, &ids).await?.contains_key(&id))
        })
        .await
    }

    async fn read(&self, ctx: &Ctx, states: &[Value]) -> Result<Vec<Option<Value>>, ProviderError> {
        let found = describe(ctx, &ids_of(states)).await?;
        if found.is_empty() {
            return Ok(states.iter().map(|_| None).collect());
        }
        let account = ctx.account_id().await?;
        Ok(by_id(states, &found, |g, s| to_value(ctx, &account, g, s)))
    }

    async fn import(&self, ctx: &Ctx, id: &str) -> Result<Value, ProviderError> {
        read_one(ctx, id, &Value::Null).await
    }
}
