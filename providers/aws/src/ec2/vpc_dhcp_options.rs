//! `aws_vpc_dhcp_options`: a DHCP options set (domain name, name servers, NTP and NetBIOS servers)
//! that VPCs hand to their instances. A set cannot change in AWS, so every option replaces it;
//! only tags change in place. Which VPC uses a set is `aws_vpc_dhcp_options_association`'s.

use std::collections::{BTreeMap, HashMap};
use std::sync::LazyLock;

use async_trait::async_trait;
use aws_sdk_ec2::types::{DhcpOptions, Filter, NewDhcpConfiguration, ResourceType};
use futures::FutureExt as _;
use plinth_sdk::{Attribute, PlanRequest, PlanResponse, ProviderDiagnostic, ProviderError, Schema, Type, Value};

use super::{
    Page, adoptable, by_id, describe_by_filter, ids_of, plan_with_tags, retry_dependency, tag_spec, tag_values, take,
};
use crate::error::{aws_error, code_of};
use crate::idempotent::Creating;
use crate::tags::with_tags;
use crate::util::{delete_call, list_of_strings, opt_str, req_str, str_list, string, wait_gone};
use crate::{AwsResource, Ctx};

pub struct VpcDhcpOptions;

/// The options: Terraform's argument, AWS's key, and whether it holds a list of values.
const OPTIONS: [(&str, &str, bool); 6] = [
    ("domain_name", "domain-name", false),
    ("domain_name_servers", "domain-name-servers", true),
    (
        "ipv6_address_preferred_lease_time",
        "ipv6-address-preferred-lease-time",
        false,
    ),
    ("netbios_name_servers", "netbios-name-servers", true),
    ("netbios_node_type", "netbios-node-type", false),
    ("ntp_servers", "ntp-servers", true),
];

/// The id AWS uses for "no options set of the account's own" in AssociateDhcpOptions.
pub const DEFAULT: &str = "default";

static SCHEMA: LazyLock<Schema> = LazyLock::new(|| {
    let list = || Type::List(Box::new(Type::String));
    with_tags(
        Schema::new(
            "A DHCP options set for VPCs: the domain name and the DNS, NTP and NetBIOS servers their instances \
             are given. Set at least one option. Import with the options set id (dopt-...).",
        )
        .attr(
            "domain_name",
            Attribute::optional(Type::String)
                .force_new()
                .describe("The DNS suffix instances get, such as ec2.internal or corp.example.com."),
        )
        .attr(
            "domain_name_servers",
            Attribute::optional(list())
                .force_new()
                .describe("Up to four DNS servers, or AmazonProvidedDNS."),
        )
        .attr(
            "ipv6_address_preferred_lease_time",
            Attribute::optional(Type::String)
                .force_new()
                .describe("How long (seconds, 140 to 2147483647) an IPv6 address lease is preferred."),
        )
        .attr(
            "netbios_name_servers",
            Attribute::optional(list())
                .force_new()
                .describe("Up to four NetBIOS name servers."),
        )
        .attr(
            "netbios_node_type",
            Attribute::optional(Type::String)
                .force_new()
                .describe("The NetBIOS node type (1, 2, 4 or 8; AWS recommends 2)."),
        )
        .attr(
            "ntp_servers",
            Attribute::optional(list())
                .force_new()
                .describe("Up to four NTP servers."),
        )
        .attr(
            "id",
            Attribute::computed(Type::String).describe("The options set id (dopt-...)."),
        )
        .attr(
            "arn",
            Attribute::computed(Type::String).describe("The options set ARN."),
        )
        .attr(
            "owner_id",
            Attribute::computed(Type::String).describe("The owning account."),
        ),
    )
    .identity(&["id"])
});

fn to_value(ctx: &Ctx, account: &str, d: &DhcpOptions, prior: &Value) -> Value {
    let id = d.dhcp_options_id().unwrap_or_default().to_string();
    let owner = d.owner_id().filter(|o| !o.is_empty()).unwrap_or(account).to_string();
    let (tags, tags_all) = tag_values(ctx, d.tags(), prior);
    let mut m = vec![
        (
            "arn",
            string(format!("arn:aws:ec2:{}:{owner}:dhcp-options/{id}", ctx.region)),
        ),
        ("id", string(id)),
        ("owner_id", string(owner)),
        ("tags", tags),
        ("tags_all", tags_all),
    ];
    for (attr, key, is_list) in OPTIONS {
        let values: Vec<&str> = d
            .dhcp_configurations()
            .iter()
            .filter(|c| c.key() == Some(key))
            .flat_map(|c| c.values())
            .filter_map(|v| v.value())
            .collect();
        let v = match (values.first(), is_list) {
            (None, _) => Value::Null,
            (Some(_), true) => list_of_strings(values.iter().copied()),
            (Some(first), false) => string(*first),
        };
        m.push((attr, v));
    }
    Value::object(m)
}

/// One DescribeDhcpOptions per 200 ids (a `dhcp-options-id` filter, so a missing id is simply
/// absent).
/// One page of DescribeDhcpOptions with `filters`.
async fn page(ctx: &Ctx, filters: Vec<Filter>, next: Option<String>) -> Page<DhcpOptions> {
    let resp = ctx
        .ec2
        .describe_dhcp_options()
        .set_filters(Some(filters))
        .set_next_token(next)
        .send()
        .boxed()
        .await
        .map_err(aws_error)?;
    let found = resp
        .dhcp_options()
        .iter()
        .filter_map(|d| Some((d.dhcp_options_id()?.to_string(), d.clone())))
        .collect();
    Ok((found, resp.next_token().map(str::to_string)))
}

async fn describe(ctx: &Ctx, ids: &[String]) -> Result<HashMap<String, DhcpOptions>, ProviderError> {
    describe_by_filter("dhcp-options-id", ids, |filter, next| page(ctx, vec![filter], next)).await
}

async fn read_one(ctx: &Ctx, id: &str, prior: &Value) -> Result<Value, ProviderError> {
    let d = take(
        describe(ctx, &[id.to_string()]).await?,
        id,
        "InvalidDhcpOptionID.NotFound",
        format!("no DHCP options set {id}"),
    )?;
    Ok(to_value(ctx, &ctx.account_id().await?, &d, prior))
}

/// The VPCs that use the options set `id` now.
async fn vpcs_using(ctx: &Ctx, id: &str) -> Result<Vec<String>, ProviderError> {
    let resp = ctx
        .ec2
        .describe_vpcs()
        .filters(Filter::builder().name("dhcp-options-id").values(id).build())
        .send()
        .boxed()
        .await
        .map_err(aws_error)?;
    Ok(resp
        .vpcs()
        .iter()
        .filter_map(|v| v.vpc_id().map(str::to_string))
        .collect())
}

/// Gives `vpc` the default options (AWS has no "disassociate"); a VPC already gone is fine.
pub async fn associate_default(ctx: &Ctx, vpc: &str) -> Result<(), ProviderError> {
    match ctx
        .ec2
        .associate_dhcp_options()
        .dhcp_options_id(DEFAULT)
        .vpc_id(vpc)
        .send()
        .boxed()
        .await
    {
        Ok(_) => Ok(()),
        Err(e) if code_of(&e) == Some("InvalidVpcID.NotFound") => Ok(()),
        Err(e) => Err(aws_error(e)),
    }
}

#[async_trait]
impl AwsResource for VpcDhcpOptions {
    fn type_name(&self) -> &'static str {
        "aws_vpc_dhcp_options"
    }

    fn schema(&self) -> &Schema {
        &SCHEMA
    }

    fn validate(&self, config: &Value) -> Vec<ProviderDiagnostic> {
        // An unknown value (known after apply) counts as set.
        if OPTIONS.iter().any(|(a, _, _)| !config.get(a).is_null()) {
            return Vec::new();
        }
        vec![super::diag(
            "domain_name",
            "aws_vpc_dhcp_options needs at least one option",
            "Set one of domain_name, domain_name_servers, ipv6_address_preferred_lease_time, \
             netbios_name_servers, netbios_node_type or ntp_servers.",
        )]
    }

    fn plan(&self, ctx: &Ctx, req: &PlanRequest) -> PlanResponse {
        plan_with_tags(&SCHEMA, ctx, req)
    }

    async fn create(&self, ctx: &Ctx, planned: &Value) -> Result<Value, ProviderError> {
        self.create_as(ctx, planned, &Creating::default()).await
    }

    /// CreateDhcpOptions takes no client token: the set gets the bookkeeping tags, and one an
    /// earlier, interrupted attempt made is adopted instead ([`super::adoptable`]). A set's
    /// options cannot change, so an adopted set made from another configuration is replaced by
    /// the next plan.
    async fn create_as(&self, ctx: &Ctx, planned: &Value, creating: &Creating) -> Result<Value, ProviderError> {
        let tags = ctx.merged_tags(planned.get("tags"));
        let found = adoptable(
            ctx,
            creating,
            &tags,
            |f, next| page(ctx, f, next),
            DhcpOptions::tags,
            |_| true,
        );
        if let Some(id) = found.await? {
            return read_one(ctx, &id, planned).await;
        }
        let configurations: Vec<NewDhcpConfiguration> = OPTIONS
            .iter()
            .filter_map(|(attr, key, is_list)| {
                let values = if *is_list {
                    str_list(planned, attr)
                } else {
                    opt_str(planned, attr).into_iter().collect()
                };
                let values: Vec<String> = values.into_iter().filter(|v| !v.is_empty()).collect();
                (!values.is_empty()).then(|| {
                    NewDhcpConfiguration::builder()
                        .key(*key)
                        .set_values(Some(values))
                        .build()
                })
            })
            .collect();
        let mut req = ctx
            .ec2
            .create_dhcp_options()
            .set_dhcp_configurations(Some(configurations));
        if let Some(spec) = tag_spec(ResourceType::DhcpOptions, &creating.with_tags(tags.clone())) {
            req = req.tag_specifications(spec);
        }
        let resp = req.send().boxed().await.map_err(aws_error)?;
        let id = resp
            .dhcp_options()
            .and_then(|d| d.dhcp_options_id())
            .map(str::to_string)
            .ok_or_else(|| ProviderError::new("CreateDhcpOptions returned no options set id"))?;
        // EC2 is eventually consistent: wait until the new set is described.
        let ids = [id.clone()];
        let d = crate::util::wait_for(ctx, &format!("DHCP options set {id} to appear"), || async {
            Ok(describe(ctx, &ids).await?.remove(&id))
        })
        .await?;
        // An emulator may drop the tags of CreateDhcpOptions (moto does); add any that are
        // missing, the bookkeeping tags among them.
        let missing: BTreeMap<String, String> = creating
            .with_tags(tags)
            .into_iter()
            .filter(|(k, v)| !d.tags().iter().any(|t| t.key() == Some(k) && t.value() == Some(v)))
            .collect();
        crate::tags::sync_tags(ctx, crate::tags::Tagged::Ec2(&id), &BTreeMap::new(), &missing).await?;
        read_one(ctx, &id, planned).await
    }

    async fn update(&self, ctx: &Ctx, prior: &Value, planned: &Value) -> Result<Value, ProviderError> {
        let id = req_str(prior, "id")?;
        super::update_tags(ctx, &id, prior, planned).await?;
        read_one(ctx, &id, planned).await
    }

    async fn delete(&self, ctx: &Ctx, prior: &Value) -> Result<(), ProviderError> {
        let id = req_str(prior, "id")?;
        // A set in use cannot be deleted: give its VPCs the default options first, as Terraform does.
        for vpc in vpcs_using(ctx, &id).await? {
            associate_default(ctx, &vpc).await?;
        }
        retry_dependency(ctx, &format!("DHCP options set {id} to be unused"), || {
            delete_call(ctx.ec2.delete_dhcp_options().dhcp_options_id(&id).send().boxed())
        })
        .await?;
        let ids = [id.clone()];
        wait_gone(ctx, &format!("DHCP options set {id}"), || async {
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
        Ok(by_id(states, &found, |d, s| to_value(ctx, &account, d, s)))
    }

    async fn import(&self, ctx: &Ctx, id: &str) -> Result<Value, ProviderError> {
        read_one(ctx, id, &Value::Null).await
    }
}
