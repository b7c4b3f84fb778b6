//! The `filter { name = ..., values = [...] }` block of EC2 data sources (`aws_ami`,
//! `aws_subnet`, `aws_availability_zones`), as Terraform has it: each block becomes one EC2
//! Describe filter; AWS ANDs them.

use aws_sdk_ec2::types::Filter;
use plinth_sdk::{Attribute, BlockSchema, Nesting, Schema, Type, Value};

use crate::util::{opt_str, str_list};

/// The `filter` block schema.
pub fn filter_block() -> BlockSchema {
    BlockSchema {
        nesting: Nesting::Set,
        schema: Schema::new("An EC2 Describe filter; every filter must match.")
            .attr(
                "name",
                Attribute::required(Type::String).describe("The filter name, as in the EC2 API (such as tag:Name)."),
            )
            .attr(
                "values",
                Attribute::required(Type::List(Box::new(Type::String)))
                    .describe("Accepted values (any one matches); * and ? are wildcards."),
            ),
        min_items: 0,
        max_items: None,
        force_new: false,
    }
}

/// The configured `filter` blocks as EC2 filters.
pub fn filters(config: &Value) -> Vec<Filter> {
    config
        .get("filter")
        .as_list()
        .map(|l| {
            l.iter()
                .filter_map(|f| {
                    let name = opt_str(f, "name")?;
                    Some(
                        Filter::builder()
                            .name(name)
                            .set_values(Some(str_list(f, "values")))
                            .build(),
                    )
                })
                .collect()
        })
        .unwrap_or_default()
}

/// `map` filters from a `tags` map attribute, as Terraform's `tags` argument of data sources:
/// `tag:KEY = VALUE`.
pub fn tag_filters(config: &Value) -> Vec<Filter> {
    crate::util::str_map(config, "tags")
        .into_iter()
        .map(|(k, v)| Filter::builder().name(format!("tag:{k}")).values(v).build())
        .collect()
}
