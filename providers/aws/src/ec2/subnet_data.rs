//! Data source `aws_subnet`: one existing subnet, found by id, by its attributes, by tags or by
//! `filter` blocks (all must match; exactly one subnet may). One DescribeSubnets call.

use std::sync::LazyLock;

use async_trait::async_trait;
use aws_sdk_ec2::types::Filter;
use futures::FutureExt as _;
use plinth_sdk::{Attribute, ProviderError, Schema, Type, Value};

use super::filter::{filter_block, filters, tag_filters};
use crate::error::aws_error;
use crate::tags::tags_from;
use crate::util::{map_of_strings, opt_bool, opt_str, opt_string, string};
use crate::{AwsDataSource, Ctx};

pub struct SubnetData;

/// (argument, EC2 filter name) of the optional+computed arguments that select the subnet.
const SELECTORS: &[(&str, &str)] = &[
    ("vpc_id", "vpc-id"),
    ("cidr_block", "cidr-block"),
    ("availability_zone", "availability-zone"),
    ("availability_zone_id", "availability-zone-id"),
    ("state", "state"),
];

static SCHEMA: LazyLock<Schema> = LazyLock::new(|| {
    let mut s = Schema::new(
        "One existing subnet, selected by id, by the arguments below, by tags and by filter blocks; exactly one \
         subnet must match.",
    )
    .attr(
        "id",
        Attribute::optional_computed(Type::String).describe("The subnet id to look up."),
    );
    for (name, _) in SELECTORS {
        s = s.attr(
            name,
            Attribute::optional_computed(Type::String).describe("Select by this attribute; the subnet's value."),
        );
    }
    s.attr(
        "default_for_az",
        Attribute::optional_computed(Type::Bool).describe("Select the default subnet of its zone."),
    )
    .attr(
        "tags",
        Attribute::optional_computed(Type::Map(Box::new(Type::String)))
            .describe("Select by these tags; the subnet's tags."),
    )
    .attr("arn", Attribute::computed(Type::String).describe("The subnet ARN."))
    .attr(
        "owner_id",
        Attribute::computed(Type::String).describe("The owning account."),
    )
    .attr(
        "map_public_ip_on_launch",
        Attribute::computed(Type::Bool).describe("Whether instances get a public IPv4 address."),
    )
    .attr(
        "available_ip_address_count",
        Attribute::computed(Type::Number).describe("Free IPv4 addresses."),
    )
    .block("filter", filter_block())
});

#[async_trait]
impl AwsDataSource for SubnetData {
    fn type_name(&self) -> &'static str {
        "aws_subnet"
    }

    fn schema(&self) -> &Schema {
        &SCHEMA
    }

    async fn read(&self, ctx: &Ctx, config: &Value) -> Result<Value, ProviderError> {
        let mut fs = filters(config);
        fs.extend(tag_filters(config));
        for (attr, name) in SELECTORS {
            if let Some(v) = opt_str(config, attr) {
                fs.push(Filter::builder().name(*name).values(v).build());
            }
        }
        if let Some(d) = opt_bool(config, "default_for_az") {
            fs.push(Filter::builder().name("default-for-az").values(d.to_string()).build());
        }
        let resp = ctx
            .ec2
            .describe_subnets()
            .set_subnet_ids(opt_str(config, "id").map(|id| vec![id]))
            .set_filters(Some(fs).filter(|f| !f.is_empty()))
            .send()
            .boxed()
            .await
            .map_err(aws_error)?;
        let found = resp.subnets();
        let sub = match found {
            [one] => one,
            [] => {
                return Err(ProviderError::with_code(
                    "NotFound",
                    "no subnet matches the data source's arguments and filters",
                ));
            }
            many => {
                return Err(ProviderError::with_code(
                    "TooManyResults",
                    format!(
                        "{} subnets match the data source's arguments and filters; narrow them down to one",
                        many.len()
                    ),
                ));
            }
        };
        let id = sub.subnet_id().unwrap_or_default();
        let owner = sub.owner_id().unwrap_or_default();
        let tags = tags_from(sub.tags().iter().map(|t| (t.key(), t.value())));
        Ok(Value::object([
            ("id", string(id)),
            (
                "arn",
                string(
                    sub.subnet_arn()
                        .map(str::to_string)
                        .unwrap_or_else(|| format!("arn:aws:ec2:{}:{owner}:subnet/{id}", ctx.region)),
                ),
            ),
            ("owner_id", string(owner)),
            ("vpc_id", opt_string(sub.vpc_id())),
            ("cidr_block", opt_string(sub.cidr_block())),
            ("availability_zone", opt_string(sub.availability_zone())),
            ("availability_zone_id", opt_string(sub.availability_zone_id())),
            ("state", opt_string(sub.state().map(|s| s.as_str().to_string()))),
            ("default_for_az", Value::Bool(sub.default_for_az().unwrap_or(false))),
            (
                "map_public_ip_on_launch",
                Value::Bool(sub.map_public_ip_on_launch().unwrap_or(false)),
            ),
            (
                "available_ip_address_count",
                sub.available_ip_address_count()
                    .map(|n| Value::int(i64::from(n)))
                    .unwrap_or(Value::Null),
            ),
            ("tags", map_of_strings(&tags)),
            ("filter", config.get("filter").clone()),
        ]))
    }
}
