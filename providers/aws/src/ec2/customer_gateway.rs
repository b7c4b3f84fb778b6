//! `aws_customer_gateway`: AWS's record of the on-premises end of a site-to-site VPN (its public
//! address, BGP ASN or certificate). Immutable but for tags; deleted gateways stay listed as
//! `deleted` for a while and read as gone.

use std::collections::{BTreeMap, HashMap};
use std::sync::LazyLock;

use async_trait::async_trait;
use aws_sdk_ec2::types::{CustomerGateway as Cgw, Filter, GatewayType, ResourceType};
use futures::FutureExt as _;
use plinth_sdk::{Attribute, PlanRequest, PlanResponse, ProviderDiagnostic, ProviderError, Schema, Type, Value};

use super::{
    Page, adoptable, by_id, describe_by_filter, diag, ids_of, plan_with_tags, tag_spec, tag_values, take, update_tags,
    wait_found,
};
use crate::error::aws_error;
use crate::idempotent::Creating;
use crate::tags::with_tags;
use crate::util::{delete_call, one_of, opt_str, opt_string, req_str, string, wait_gone};
use crate::{AwsResource, Ctx};

pub struct CustomerGateway;

static SCHEMA: LazyLock<Schema> = LazyLock::new(|| {
    with_tags(
        Schema::new(
            "A customer gateway: the on-premises device a site-to-site VPN connects a VPN gateway to. Import \
             with the gateway id (cgw-...).",
        )
        .attr(
            "type",
            Attribute::required(Type::String)
                .force_new()
                .describe("The VPN type the device supports: ipsec.1."),
        )
        .attr(
            "bgp_asn",
            Attribute::optional(Type::String).force_new().describe(
                "The device's BGP ASN, 1 to 2147483647 (AWS's default 65000). Conflicts with bgp_asn_extended.",
            ),
        )
        .attr(
            "bgp_asn_extended",
            Attribute::optional(Type::String)
                .force_new()
                .describe("A BGP ASN from 2147483648 to 4294967294. Conflicts with bgp_asn."),
        )
        .attr(
            "ip_address",
            Attribute::optional(Type::String)
                .force_new()
                .describe("The IPv4 address of the device's outside interface."),
        )
        .attr(
            "certificate_arn",
            Attribute::optional(Type::String)
                .force_new()
                .describe("The ACM certificate of the device, in place of a static address."),
        )
        .attr(
            "device_name",
            Attribute::optional(Type::String)
                .force_new()
                .describe("A name for the device."),
        )
        .attr(
            "id",
            Attribute::computed(Type::String).describe("The gateway id (cgw-...)."),
        )
        .attr("arn", Attribute::computed(Type::String).describe("The gateway ARN.")),
    )
    .identity(&["id"])
});

fn to_value(ctx: &Ctx, account: &str, g: &Cgw, prior: &Value) -> Value {
    let id = g.customer_gateway_id().unwrap_or_default().to_string();
    let (tags, tags_all) = tag_values(ctx, g.tags(), prior);
    let nonempty = |s: Option<&str>| opt_string(s.filter(|s| !s.is_empty()));
    Value::object([
        (
            "arn",
            string(format!("arn:aws:ec2:{}:{account}:customer-gateway/{id}", ctx.region)),
        ),
        ("id", string(id)),
        ("type", opt_string(g.r#type())),
        ("bgp_asn", nonempty(g.bgp_asn())),
        ("bgp_asn_extended", nonempty(g.bgp_asn_extended())),
        ("ip_address", nonempty(g.ip_address())),
        ("certificate_arn", nonempty(g.certificate_arn())),
        ("device_name", nonempty(g.device_name())),
        ("tags", tags),
        ("tags_all", tags_all),
    ])
}

fn state_of(g: &Cgw) -> &str {
    g.state().unwrap_or_default()
}

/// One DescribeCustomerGateways per 200 ids (a `customer-gateway-id` filter); deleted ones are
/// left out.
/// One DescribeCustomerGateways with `filters` (the call has no paging); deleted gateways are
/// left out.
async fn page(ctx: &Ctx, filters: Vec<Filter>) -> Page<Cgw> {
    let resp = ctx
        .ec2
        .describe_customer_gateways()
        .set_filters(Some(filters))
        .send()
        .boxed()
        .await
        .map_err(aws_error)?;
    let found = resp
        .customer_gateways()
        .iter()
        .filter(|g| !matches!(state_of(g), "deleted"))
        .filter_map(|g| Some((g.customer_gateway_id()?.to_string(), g.clone())))
        .collect();
    Ok((found, None))
}

async fn describe(ctx: &Ctx, ids: &[String]) -> Result<HashMap<String, Cgw>, ProviderError> {
    describe_by_filter("customer-gateway-id", ids, |filter, _| page(ctx, vec![filter])).await
}

async fn read_one(ctx: &Ctx, id: &str, prior: &Value) -> Result<Value, ProviderError> {
    let g = take(
        describe(ctx, &[id.to_string()]).await?,
        id,
        "InvalidCustomerGatewayID.NotFound",
        format!("no customer gateway {id}"),
    )?;
    Ok(to_value(ctx, &ctx.account_id().await?, &g, prior))
}

/// An ASN argument: a whole number in `range`, or a diagnostic naming it.
fn check_asn(config: &Value, attr: &str, range: std::ops::RangeInclusive<i64>) -> Option<ProviderDiagnostic> {
    let s = config.get(attr).as_str()?;
    match s.parse::<i64>() {
        Ok(n) if range.contains(&n) => None,
        _ => Some(crate::util::invalid(
            attr,
            format!(
                "{s:?}: expected a whole number from {} to {}",
                range.start(),
                range.end()
            ),
        )),
    }
}

/// CreateCustomerGateway with `tags` (the bookkeeping tags among them); the new gateway's id.
async fn create_gateway(
    ctx: &Ctx,
    planned: &Value,
    tags: &BTreeMap<String, String>,
    bgp_asn: Option<i32>,
    bgp_asn_extended: Option<i64>,
) -> Result<String, ProviderError> {
    let mut req = ctx
        .ec2
        .create_customer_gateway()
        .r#type(GatewayType::from(req_str(planned, "type")?.as_str()))
        .set_bgp_asn(bgp_asn)
        .set_bgp_asn_extended(bgp_asn_extended)
        .set_ip_address(opt_str(planned, "ip_address"))
        .set_certificate_arn(opt_str(planned, "certificate_arn"))
        .set_device_name(opt_str(planned, "device_name"));
    if let Some(spec) = tag_spec(ResourceType::CustomerGateway, tags) {
        req = req.tag_specifications(spec);
    }
    let resp = req.send().boxed().await.map_err(aws_error)?;
    let id = resp
        .customer_gateway()
        .and_then(|g| g.customer_gateway_id())
        .map(str::to_string)
        .ok_or_else(|| ProviderError::new("CreateCustomerGateway returned no gateway id"))?;
    Ok(id)
}

#[async_trait]
impl AwsResource for CustomerGateway {
    fn type_name(&self) -> &'static str {
        "aws_customer_gateway"
    }

    fn schema(&self) -> &Schema {
        &SCHEMA
    }

    fn validate(&self, config: &Value) -> Vec<ProviderDiagnostic> {
        let mut out: Vec<ProviderDiagnostic> = [
            one_of(config.get("type"), "type", &["ipsec.1"]),
            check_asn(config, "bgp_asn", 1..=2_147_483_647),
            check_asn(config, "bgp_asn_extended", 2_147_483_648..=4_294_967_294),
        ]
        .into_iter()
        .flatten()
        .collect();
        if !config.get("bgp_asn").is_null() && !config.get("bgp_asn_extended").is_null() {
            out.push(diag(
                "bgp_asn_extended",
                "Conflicting bgp_asn and bgp_asn_extended",
                "Set bgp_asn for an ASN up to 2147483647, bgp_asn_extended for a larger one; not both.",
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

    /// CreateCustomerGateway takes no client token: the gateway gets the bookkeeping tags, and
    /// one an earlier, interrupted attempt made (not `deleting`) is adopted instead
    /// ([`super::adoptable`]).
    async fn create_as(&self, ctx: &Ctx, planned: &Value, creating: &Creating) -> Result<Value, ProviderError> {
        let asn = |attr: &str| -> Result<Option<i64>, ProviderError> {
            opt_str(planned, attr)
                .map(|s| {
                    s.parse::<i64>().map_err(|_| {
                        ProviderError::with_code("InvalidParameterValue", format!("{attr} {s:?} is not a number"))
                    })
                })
                .transpose()
        };
        let bgp_asn = asn("bgp_asn")?
            .map(|n| i32::try_from(n).map_err(|_| ProviderError::new(format!("bgp_asn {n} is above 2147483647"))))
            .transpose()?;
        let tags = ctx.merged_tags(planned.get("tags"));
        let live = |g: &Cgw| state_of(g) != "deleting";
        let found = adoptable(ctx, creating, &tags, |f, _| page(ctx, f), Cgw::tags, live);
        let id = match found.await? {
            Some(id) => id,
            None => {
                let tags = creating.with_tags(tags);
                create_gateway(ctx, planned, &tags, bgp_asn, asn("bgp_asn_extended")?).await?
            }
        };
        let ids = [id.clone()];
        let g = wait_found(
            ctx,
            &format!("customer gateway {id} to be available"),
            &id,
            || describe(ctx, &ids),
            |g| state_of(g) == "available",
        )
        .await?;
        Ok(to_value(ctx, &ctx.account_id().await?, &g, planned))
    }

    async fn update(&self, ctx: &Ctx, prior: &Value, planned: &Value) -> Result<Value, ProviderError> {
        let id = req_str(prior, "id")?;
        update_tags(ctx, &id, prior, planned).await?;
        read_one(ctx, &id, planned).await
    }

    async fn delete(&self, ctx: &Ctx, prior: &Value) -> Result<(), ProviderError> {
        let id = req_str(prior, "id")?;
        delete_call(
            ctx.ec2
                .delete_customer_gateway()
                .customer_gateway_id(&id)
                .send()
                .boxed(),
        )
        .await?;
        let ids = [id.clone()];
        wait_gone(ctx, &format!("customer gateway {id}"), || async {
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
