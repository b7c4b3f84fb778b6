//! `aws_default_subnet`: adopts the default subnet of one availability zone in the region's
//! default VPC (creating it with CreateDefaultSubnet when the zone has none, as Terraform does),
//! manages `map_public_ip_on_launch` and tags, and on destroy only forgets it unless
//! `force_destroy` is set. Reads and refresh are `subnet`'s.

use std::sync::LazyLock;

use async_trait::async_trait;
use aws_sdk_ec2::types::{Filter, Subnet};
use futures::FutureExt as _;
use plinth_sdk::{Attribute, PlanRequest, PlanResponse, ProviderError, Schema, Type, Value};

use super::subnet::{describe, set_public_ip, to_value};
use super::{by_id, delete_when_free, ids_of, plan_with_tags, take};
use crate::error::aws_error;
use crate::tags::{Tagged, sync_tags, tags_from, with_tags};
use crate::util::{delete_call, opt_bool, req_str};
use crate::{AwsResource, Ctx};

pub struct DefaultSubnet;

static SCHEMA: LazyLock<Schema> = LazyLock::new(|| {
    let mut s = Schema::new(
        "The default subnet of one availability zone, adopted (created when the zone has none). Destroy forgets it \
         unless force_destroy is true. Import with the subnet id.",
    )
    .attr(
        "availability_zone",
        Attribute::required(Type::String)
            .force_new()
            .describe("The zone whose default subnet to adopt, such as us-east-1a."),
    )
    .attr(
        "map_public_ip_on_launch",
        Attribute::optional_computed(Type::Bool).describe(
            "Give instances launched here a public IPv4 address (true in a default subnet). Updated in place.",
        ),
    )
    .attr(
        "force_destroy",
        Attribute::optional(Type::Bool).describe("Destroy deletes the default subnet (default false)."),
    )
    .attr(
        "existing_default_subnet",
        Attribute::computed(Type::Bool).describe("Whether the default subnet existed before Plinth adopted it."),
    );
    for (name, text) in [
        ("id", "The subnet id."),
        ("arn", "The subnet ARN."),
        ("owner_id", "The owning account."),
        ("vpc_id", "The default VPC."),
        ("cidr_block", "The subnet's IPv4 range (a /20 of the default VPC's)."),
        ("availability_zone_id", "The zone's id (use1-az1)."),
    ] {
        s = s.attr(name, Attribute::computed(Type::String).describe(text));
    }
    with_tags(s)
        .unsupported_all(
            &[
                "assign_ipv6_address_on_creation",
                "customer_owned_ipv4_pool",
                "enable_dns64",
                "enable_resource_name_dns_aaaa_record_on_launch",
                "enable_resource_name_dns_a_record_on_launch",
                "ipv6_cidr_block",
                "ipv6_native",
                "map_customer_owned_ip_on_launch",
                "private_dns_hostname_type_on_launch",
            ],
            "Plinth's aws_default_subnet manages IPv4 settings only (no IPv6, Outposts or resource-name DNS settings \
             yet): leave it out",
        )
        .identity(&["id"])
});

/// `to_value` of `subnet` (without the settings this type does not manage yet), with the
/// arguments only this type has.
fn value(ctx: &Ctx, s: &Subnet, prior: &Value, existing: Option<bool>) -> Value {
    let mut v = to_value(ctx, s, prior);
    if let Value::Map(m) = &mut v {
        m.retain(|k, _| SCHEMA.attributes.contains_key(k));
        m.insert("force_destroy".into(), prior.get("force_destroy").clone());
        let keep = prior.get("existing_default_subnet");
        let existing = match existing {
            Some(e) => Value::Bool(e),
            None if keep.is_null() || keep.is_unknown() => Value::Bool(true),
            None => keep.clone(),
        };
        m.insert("existing_default_subnet".into(), existing);
    }
    v
}

async fn describe_one(ctx: &Ctx, id: &str) -> Result<Subnet, ProviderError> {
    take(
        describe(ctx, &[id.to_string()]).await?,
        id,
        "InvalidSubnetID.NotFound",
        format!("no subnet {id}"),
    )
}

#[async_trait]
impl AwsResource for DefaultSubnet {
    fn type_name(&self) -> &'static str {
        "aws_default_subnet"
    }

    fn schema(&self) -> &Schema {
        &SCHEMA
    }

    fn plan(&self, ctx: &Ctx, req: &PlanRequest) -> PlanResponse {
        plan_with_tags(&SCHEMA, ctx, req)
    }

    async fn create(&self, ctx: &Ctx, planned: &Value) -> Result<Value, ProviderError> {
        let az = req_str(planned, "availability_zone")?;
        let f = |n: &str, v: &str| Filter::builder().name(n).values(v).build();
        let resp = ctx
            .ec2
            .describe_subnets()
            .filters(f("availability-zone", &az))
            .filters(f("default-for-az", "true"))
            .send()
            .boxed()
            .await
            .map_err(aws_error)?;
        let (subnet, existing) = match resp.subnets().first() {
            Some(s) => (s.clone(), true),
            None => {
                let made = ctx
                    .ec2
                    .create_default_subnet()
                    .availability_zone(&az)
                    .send()
                    .boxed()
                    .await
                    .map_err(aws_error)?;
                let s = made
                    .subnet()
                    .cloned()
                    .ok_or_else(|| ProviderError::new("CreateDefaultSubnet returned no subnet"))?;
                (s, false)
            }
        };
        let id = subnet.subnet_id().unwrap_or_default().to_string();
        if let Some(want) = opt_bool(planned, "map_public_ip_on_launch")
            && Some(want) != subnet.map_public_ip_on_launch()
        {
            set_public_ip(ctx, &id, want).await?;
        }
        let have = tags_from(subnet.tags().iter().map(|t| (t.key(), t.value())));
        sync_tags(ctx, Tagged::Ec2(&id), &have, &ctx.merged_tags(planned.get("tags"))).await?;
        Ok(value(ctx, &describe_one(ctx, &id).await?, planned, Some(existing)))
    }

    async fn update(&self, ctx: &Ctx, prior: &Value, planned: &Value) -> Result<Value, ProviderError> {
        let id = req_str(prior, "id")?;
        if let Some(want) = opt_bool(planned, "map_public_ip_on_launch")
            && Some(want) != opt_bool(prior, "map_public_ip_on_launch")
        {
            set_public_ip(ctx, &id, want).await?;
        }
        super::update_tags(ctx, &id, prior, planned).await?;
        let mut v = value(ctx, &describe_one(ctx, &id).await?, prior, None);
        if let Value::Map(m) = &mut v {
            m.insert("force_destroy".into(), planned.get("force_destroy").clone());
        }
        Ok(v)
    }

    async fn delete(&self, ctx: &Ctx, prior: &Value) -> Result<(), ProviderError> {
        if opt_bool(prior, "force_destroy") != Some(true) {
            // As Terraform: the default subnet stays; it is only forgotten.
            return Ok(());
        }
        let id = req_str(prior, "id")?;
        let ids = vec![id.clone()];
        let delete = || delete_call(ctx.ec2.delete_subnet().subnet_id(&id).send().boxed());
        let exists = || async { Ok(describe(ctx, &ids).await?.contains_key(&id)) };
        delete_when_free(
            ctx,
            &format!("default subnet {id}"),
            "to be free of network interfaces",
            delete,
            exists,
        )
        .await
    }

    async fn read(&self, ctx: &Ctx, states: &[Value]) -> Result<Vec<Option<Value>>, ProviderError> {
        let found = describe(ctx, &ids_of(states)).await?;
        Ok(by_id(states, &found, |v, s| value(ctx, v, s, None)))
    }

    async fn import(&self, ctx: &Ctx, id: &str) -> Result<Value, ProviderError> {
        let s = describe_one(ctx, id).await?;
        if s.default_for_az() != Some(true) {
            return Err(ProviderError::with_code(
                "InvalidImportId",
                format!("subnet {id} is not a default subnet; import it as aws_subnet"),
            ));
        }
        Ok(value(ctx, &s, &Value::Null, Some(true)))
    }
}
