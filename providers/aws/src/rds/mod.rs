//! RDS: the networking objects databases are placed with (`aws_db_subnet_group`). Databases
//! themselves are not managed yet.
//!
//! Shared here: tags in RDS's shape and the list of tags on an RDS object (RDS describe calls
//! do not return tags; ListTagsForResource takes one ARN).

mod subnet_group;

use std::collections::BTreeMap;

use aws_sdk_rds::types::Tag;
use futures::FutureExt as _;
use plinth_sdk::ProviderError;

use crate::error::aws_error;
use crate::tags::tags_from;
use crate::{AwsResource, Ctx};

pub fn resources() -> Vec<Box<dyn AwsResource>> {
    vec![Box::new(subnet_group::DbSubnetGroup)]
}

/// Tags in RDS's shape.
pub(crate) fn rds_tags(tags: &BTreeMap<String, String>) -> Vec<Tag> {
    tags.iter()
        .map(|(k, v)| Tag::builder().key(k).value(v).build())
        .collect()
}

/// The tags on the RDS object `arn`.
pub(crate) async fn list_tags(ctx: &Ctx, arn: &str) -> Result<BTreeMap<String, String>, ProviderError> {
    let all = all_tags(ctx, arn).await?;
    Ok(tags_from(all.iter().map(|(k, v)| (Some(k.as_str()), Some(v.as_str())))))
}

/// Every tag on the RDS object `arn`, Plinth's bookkeeping tags included (for adoption).
pub(crate) async fn all_tags(ctx: &Ctx, arn: &str) -> Result<Vec<(String, String)>, ProviderError> {
    let out = ctx
        .rds
        .list_tags_for_resource()
        .resource_name(arn)
        .send()
        .boxed()
        .await
        .map_err(aws_error)?;
    Ok(out
        .tag_list()
        .iter()
        .filter_map(|t| Some((t.key()?.to_string(), t.value().unwrap_or_default().to_string())))
        .collect())
}
