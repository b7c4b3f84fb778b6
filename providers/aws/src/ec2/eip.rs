//! `aws_eip`: an Elastic IP address (allocated in the VPC domain) and its optional association
//! with an instance or a network interface, changed in place. The NAT gateway that uses an
//! address is `aws_nat_gateway`'s.

use std::collections::HashMap;
use std::sync::LazyLock;

use async_trait::async_trait;
use aws_sdk_ec2::types::{Address, DomainType, Filter, ResourceType};
use futures::FutureExt as _;
use plinth_sdk::{Attribute, PlanRequest, PlanResponse, ProviderError, Schema, Type, Value};

use super::{
    Page, adoptable, by_id, describe_by_filter, ids_of, plan_with_tags, tag_spec, tag_values, take, update_tags,
};
use crate::error::aws_error;
use crate::idempotent::Creating;
use crate::tags::with_tags;
use crate::util::{delete_call, opt_bool, opt_str, opt_string, req_str, string};
use crate::{AwsResource, Ctx};

pub struct Eip;

static SCHEMA: LazyLock<Schema> = LazyLock::new(|| {
    let input = |name: &str, text: &str| {
        (
            name.to_string(),
            Attribute::optional(Type::String).force_new().describe(text),
        )
    };
    let mut s = Schema::new(
        "An Elastic IP address, optionally associated with an instance or a network interface (the \
         association changes in place). Import with the allocation id (eipalloc-...).",
    )
    .attr(
        "domain",
        Attribute::optional_computed(Type::String)
            .force_new()
            .describe("vpc (the default; EC2-Classic is gone)."),
    )
    .attr(
        "vpc",
        Attribute::optional_computed(Type::Bool)
            .force_new()
            .describe("Deprecated by Terraform in favour of domain = \"vpc\"; true is the same."),
    )
    .attr(
        "instance",
        Attribute::optional_computed(Type::String)
            .describe("Instance to associate with. Conflicts with network_interface."),
    )
    .attr(
        "network_interface",
        Attribute::optional_computed(Type::String).describe("Network interface to associate with."),
    )
    .attr(
        "associate_with_private_ip",
        Attribute::optional(Type::String).describe("Private address of the instance or interface to associate with."),
    )
    .attr(
        "network_border_group",
        Attribute::optional_computed(Type::String)
            .force_new()
            .describe("Where AWS advertises the address; the region by default."),
    )
    .attr(
        "public_ipv4_pool",
        Attribute::optional_computed(Type::String)
            .force_new()
            .describe("Pool to allocate from; amazon by default."),
    );
    for (name, attr) in [
        input("address", "A specific address to recover from a BYOIP pool."),
        input("customer_owned_ipv4_pool", "Customer-owned pool (Outposts)."),
        input("ipam_pool_id", "IPAM pool to allocate from."),
    ] {
        s = s.attr(&name, attr);
    }
    for (name, text) in [
        ("id", "The allocation id."),
        ("allocation_id", "The allocation id (the same as id)."),
        ("association_id", "The association with an instance or interface."),
        ("public_ip", "The public address."),
        ("public_dns", "Public DNS name of the address."),
        ("private_ip", "Private address it is associated with."),
        ("private_dns", "Private DNS name of that address."),
        ("carrier_ip", "Carrier address (Wavelength zones)."),
        ("customer_owned_ip", "Customer-owned address."),
        ("ptr_record", "Reverse DNS record."),
    ] {
        s = s.attr(name, Attribute::computed(Type::String).describe(text));
    }
    with_tags(s).identity(&["id"])
});

/// `ec2-1-2-3-4.compute-1.amazonaws.com` (us-east-1) or `ec2-1-2-3-4.REGION.compute.amazonaws.com`,
/// as Terraform derives it.
fn public_dns(region: &str, ip: &str) -> String {
    let dashed = ip.replace('.', "-");
    if region == "us-east-1" {
        format!("ec2-{dashed}.compute-1.amazonaws.com")
    } else {
        format!("ec2-{dashed}.{region}.compute.amazonaws.com")
    }
}

/// `ip-10-0-0-1.ec2.internal` (us-east-1) or `ip-10-0-0-1.REGION.compute.internal`.
fn private_dns(region: &str, ip: &str) -> String {
    let dashed = ip.replace('.', "-");
    if region == "us-east-1" {
        format!("ip-{dashed}.ec2.internal")
    } else {
        format!("ip-{dashed}.{region}.compute.internal")
    }
}

/// A string AWS may send empty (moto does, for an unassociated address) as null.
fn ne(s: Option<&str>) -> Value {
    opt_string(s.filter(|s| !s.is_empty()))
}

fn to_value(ctx: &Ctx, a: &Address, prior: &Value) -> Value {
    let id = a.allocation_id().unwrap_or_default().to_string();
    let (tags, tags_all) = tag_values(ctx, a.tags(), prior);
    let domain = a.domain().map(|d| d.as_str().to_string());
    let keep = |k: &str| prior.get(k).clone();
    let private_ip = a.private_ip_address().filter(|s| !s.is_empty());
    Value::object([
        ("id", string(&id)),
        ("allocation_id", string(&id)),
        ("association_id", ne(a.association_id())),
        ("public_ip", opt_string(a.public_ip())),
        (
            "public_dns",
            opt_string(a.public_ip().map(|ip| public_dns(&ctx.region, ip))),
        ),
        ("private_ip", opt_string(private_ip)),
        (
            "private_dns",
            opt_string(private_ip.map(|ip| private_dns(&ctx.region, ip))),
        ),
        ("carrier_ip", ne(a.carrier_ip())),
        ("customer_owned_ip", ne(a.customer_owned_ip())),
        ("customer_owned_ipv4_pool", ne(a.customer_owned_ipv4_pool())),
        ("ptr_record", Value::Null),
        ("vpc", Value::Bool(domain.as_deref() == Some("vpc"))),
        ("domain", opt_string(domain)),
        ("instance", ne(a.instance_id())),
        ("network_interface", ne(a.network_interface_id())),
        // Inputs AWS does not echo back: kept as last applied.
        ("associate_with_private_ip", keep("associate_with_private_ip")),
        ("address", keep("address")),
        ("ipam_pool_id", keep("ipam_pool_id")),
        ("network_border_group", ne(a.network_border_group())),
        ("public_ipv4_pool", ne(a.public_ipv4_pool())),
        ("tags", tags),
        ("tags_all", tags_all),
    ])
}

/// One DescribeAddresses with `filters` (the call has no paging).
async fn page(ctx: &Ctx, filters: Vec<Filter>) -> Page<Address> {
    let resp = ctx
        .ec2
        .describe_addresses()
        .set_filters(Some(filters))
        .send()
        .boxed()
        .await
        .map_err(aws_error)?;
    let found = resp
        .addresses()
        .iter()
        .filter_map(|a| Some((a.allocation_id()?.to_string(), a.clone())))
        .collect();
    Ok((found, None))
}

/// One DescribeAddresses per 200 ids (an `allocation-id` filter).
async fn describe(ctx: &Ctx, ids: &[String]) -> Result<HashMap<String, Address>, ProviderError> {
    describe_by_filter("allocation-id", ids, |filter, _| page(ctx, vec![filter])).await
}

async fn read_one(ctx: &Ctx, id: &str, planned: &Value) -> Result<Value, ProviderError> {
    let a = take(
        describe(ctx, &[id.to_string()]).await?,
        id,
        "InvalidAllocationID.NotFound",
        format!("Elastic IP {id} disappeared"),
    )?;
    Ok(to_value(ctx, &a, planned))
}

/// Associates with the planned instance or network interface, if any.
async fn associate(ctx: &Ctx, id: &str, planned: &Value) -> Result<(), ProviderError> {
    let instance = opt_str(planned, "instance");
    let eni = opt_str(planned, "network_interface");
    if instance.is_none() && eni.is_none() {
        return Ok(());
    }
    let mut req = ctx
        .ec2
        .associate_address()
        .allocation_id(id)
        .set_private_ip_address(opt_str(planned, "associate_with_private_ip"));
    // The interface is the more precise target when both are known (an instance's interface is
    // computed from the instance after the first apply).
    req = match eni {
        Some(eni) => req.network_interface_id(eni),
        None => req.set_instance_id(instance),
    };
    req.send().boxed().await.map_err(aws_error)?;
    Ok(())
}

async fn disassociate(ctx: &Ctx, prior: &Value) -> Result<(), ProviderError> {
    if let Some(assoc) = opt_str(prior, "association_id") {
        delete_call(ctx.ec2.disassociate_address().association_id(assoc).send().boxed()).await?;
    }
    Ok(())
}

#[async_trait]
impl AwsResource for Eip {
    fn type_name(&self) -> &'static str {
        "aws_eip"
    }

    fn schema(&self) -> &Schema {
        &SCHEMA
    }

    fn plan(&self, ctx: &Ctx, req: &PlanRequest) -> PlanResponse {
        plan_with_tags(&SCHEMA, ctx, req)
    }

    fn validate(&self, config: &Value) -> Vec<plinth_sdk::ProviderDiagnostic> {
        let mut out = Vec::new();
        let domain = config.get("domain").as_str();
        if domain.is_some_and(|d| d != "vpc") || opt_bool(config, "vpc") == Some(false) {
            out.push(plinth_sdk::ProviderDiagnostic {
                severity: plinth_sdk::Severity::Error,
                summary: "aws_eip supports only domain = \"vpc\"".into(),
                detail:
                    "EC2-Classic addresses (domain = \"standard\", vpc = false) no longer exist; set domain = \"vpc\" \
                         or leave it out."
                        .into(),
                attribute: Some(plinth_sdk::AttrPath::attr("domain")),
            });
        }
        out
    }

    async fn create(&self, ctx: &Ctx, planned: &Value) -> Result<Value, ProviderError> {
        self.create_as(ctx, planned, &Creating::default()).await
    }

    /// AllocateAddress takes no client token: the address gets the bookkeeping tags, and one an
    /// earlier, interrupted attempt allocated is adopted instead ([`super::adoptable`]), and
    /// associated as planned unless it already is.
    async fn create_as(&self, ctx: &Ctx, planned: &Value, creating: &Creating) -> Result<Value, ProviderError> {
        let tags = ctx.merged_tags(planned.get("tags"));
        let found = adoptable(ctx, creating, &tags, |f, _| page(ctx, f), Address::tags, |_| true);
        if let Some(id) = found.await? {
            let ids = [id.clone()];
            if let Some(a) = describe(ctx, &ids).await?.get(&id) {
                let (instance, eni) = (opt_str(planned, "instance"), opt_str(planned, "network_interface"));
                let done = match (&eni, &instance) {
                    (Some(eni), _) => a.network_interface_id() == Some(eni.as_str()),
                    (None, Some(instance)) => a.instance_id() == Some(instance.as_str()),
                    (None, None) => a.association_id().is_none(),
                };
                if done {
                    return read_one(ctx, &id, planned).await;
                }
                if let Some(assoc) = a.association_id() {
                    delete_call(ctx.ec2.disassociate_address().association_id(assoc).send().boxed()).await?;
                }
            }
            associate(ctx, &id, planned).await?;
            return read_one(ctx, &id, planned).await;
        }
        let mut req = ctx
            .ec2
            .allocate_address()
            .domain(DomainType::Vpc)
            .set_address(opt_str(planned, "address"))
            .set_customer_owned_ipv4_pool(opt_str(planned, "customer_owned_ipv4_pool"))
            .set_ipam_pool_id(opt_str(planned, "ipam_pool_id"))
            .set_network_border_group(opt_str(planned, "network_border_group"))
            .set_public_ipv4_pool(opt_str(planned, "public_ipv4_pool"));
        if let Some(spec) = tag_spec(ResourceType::ElasticIp, &creating.with_tags(tags)) {
            req = req.tag_specifications(spec);
        }
        let resp = req.send().boxed().await.map_err(aws_error)?;
        let id = resp
            .allocation_id()
            .map(str::to_string)
            .ok_or_else(|| ProviderError::new("AllocateAddress returned no allocation id"))?;
        associate(ctx, &id, planned).await?;
        read_one(ctx, &id, planned).await
    }

    async fn update(&self, ctx: &Ctx, prior: &Value, planned: &Value) -> Result<Value, ProviderError> {
        let id = req_str(prior, "id")?;
        let target = |v: &Value| {
            (
                opt_str(v, "instance"),
                opt_str(v, "network_interface"),
                opt_str(v, "associate_with_private_ip"),
            )
        };
        // An unknown planned interface, or the old instance's interface kept while the instance
        // changes, is not a target the user chose: associate with the instance then.
        let mut want = planned.clone();
        let follow_instance = planned.get("network_interface").is_unknown()
            || (planned.get("instance") != prior.get("instance")
                && planned.get("network_interface") == prior.get("network_interface"));
        if follow_instance && let Value::Map(m) = &mut want {
            m.insert("network_interface".into(), Value::Null);
        }
        if target(prior) != target(&want) {
            disassociate(ctx, prior).await?;
            associate(ctx, &id, &want).await?;
        }
        update_tags(ctx, &id, prior, planned).await?;
        read_one(ctx, &id, planned).await
    }

    async fn delete(&self, ctx: &Ctx, prior: &Value) -> Result<(), ProviderError> {
        let id = req_str(prior, "id")?;
        // The association may have changed since the state was written: use the live one.
        if let Some(a) = describe(ctx, std::slice::from_ref(&id)).await?.get(&id)
            && let Some(assoc) = a.association_id()
        {
            delete_call(ctx.ec2.disassociate_address().association_id(assoc).send().boxed()).await?;
        }
        delete_call(ctx.ec2.release_address().allocation_id(&id).send().boxed())
            .await
            .map(drop)
    }

    async fn read(&self, ctx: &Ctx, states: &[Value]) -> Result<Vec<Option<Value>>, ProviderError> {
        let found = describe(ctx, &ids_of(states)).await?;
        Ok(by_id(states, &found, |a, s| to_value(ctx, a, s)))
    }

    async fn import(&self, ctx: &Ctx, id: &str) -> Result<Value, ProviderError> {
        let found = describe(ctx, &[id.to_string()]).await?;
        let a = take(found, id, "InvalidAllocationID.NotFound", format!("no Elastic IP {id}"))?;
        Ok(to_value(ctx, &a, &Value::Null))
    }
}
