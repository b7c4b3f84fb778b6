//! Data source `aws_availability_zones`: the zones of the provider's region (names, ids, group
//! names), to spread subnets over zones. One DescribeAvailabilityZones call.

use std::sync::LazyLock;

use async_trait::async_trait;
use aws_sdk_ec2::types::Filter;
use futures::FutureExt as _;
use plinth_sdk::{Attribute, ProviderError, Schema, Type, Value};

use super::filter::{filter_block, filters};
use crate::error::aws_error;
use crate::util::{list_of_strings, opt_bool, opt_str, str_list, string};
use crate::{AwsDataSource, Ctx};

pub struct AvailabilityZones;

static SCHEMA: LazyLock<Schema> = LazyLock::new(|| {
    let strings = || Type::List(Box::new(Type::String));
    Schema::new(
        "The availability zones of the provider's region, sorted by name, as Terraform's aws_availability_zones.",
    )
    .attr(
        "state",
        Attribute::optional(Type::String)
            .describe("Only zones in this state: available, information, impaired or unavailable."),
    )
    .attr(
        "all_availability_zones",
        Attribute::optional(Type::Bool)
            .describe("Include Local Zones and Wavelength Zones whatever their opt-in status (default false)."),
    )
    .attr(
        "exclude_names",
        Attribute::optional(strings()).describe("Zone names to leave out."),
    )
    .attr(
        "exclude_zone_ids",
        Attribute::optional(strings()).describe("Zone ids to leave out."),
    )
    .attr(
        "names",
        Attribute::computed(strings()).describe("Zone names, such as us-east-1a."),
    )
    .attr(
        "zone_ids",
        Attribute::computed(strings()).describe("Zone ids, such as use1-az6, in the order of names."),
    )
    .attr(
        "group_names",
        Attribute::computed(strings()).describe("The distinct zone group names (sorted)."),
    )
    .attr("id", Attribute::computed(Type::String).describe("The region."))
    .block("filter", filter_block())
});

#[async_trait]
impl AwsDataSource for AvailabilityZones {
    fn type_name(&self) -> &'static str {
        "aws_availability_zones"
    }

    fn schema(&self) -> &Schema {
        &SCHEMA
    }

    async fn read(&self, ctx: &Ctx, config: &Value) -> Result<Value, ProviderError> {
        let mut fs = filters(config);
        if let Some(state) = opt_str(config, "state") {
            fs.push(Filter::builder().name("state").values(state).build());
        }
        let resp = ctx
            .ec2
            .describe_availability_zones()
            .set_filters(Some(fs).filter(|f| !f.is_empty()))
            .set_all_availability_zones(opt_bool(config, "all_availability_zones"))
            .send()
            .boxed()
            .await
            .map_err(aws_error)?;
        let (ex_names, ex_ids) = (str_list(config, "exclude_names"), str_list(config, "exclude_zone_ids"));
        let mut zones: Vec<(String, String, String)> = resp
            .availability_zones()
            .iter()
            .filter_map(|z| {
                Some((
                    z.zone_name()?.to_string(),
                    z.zone_id().unwrap_or_default().to_string(),
                    z.group_name().unwrap_or_default().to_string(),
                ))
            })
            .filter(|(n, i, _)| !ex_names.contains(n) && !ex_ids.contains(i))
            .collect();
        zones.sort();
        let mut groups: Vec<String> = zones.iter().map(|z| z.2.clone()).filter(|g| !g.is_empty()).collect();
        groups.sort();
        groups.dedup();
        let keep = |k: &str| config.get(k).clone();
        Ok(Value::object([
            ("id", string(&ctx.region)),
            ("names", list_of_strings(zones.iter().map(|z| z.0.clone()))),
            ("zone_ids", list_of_strings(zones.iter().map(|z| z.1.clone()))),
            ("group_names", list_of_strings(groups)),
            ("state", keep("state")),
            ("all_availability_zones", keep("all_availability_zones")),
            ("exclude_names", keep("exclude_names")),
            ("exclude_zone_ids", keep("exclude_zone_ids")),
            ("filter", keep("filter")),
        ]))
    }
}
