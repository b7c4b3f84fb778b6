//! ElastiCache: the networking objects cache clusters are placed with
//! (`aws_elasticache_subnet_group`). Clusters themselves are not managed yet.
//!
//! Shared here: tags in ElastiCache's shape and the list of tags on an ElastiCache object
//! (describe calls return no tags; ListTagsForResource takes one ARN).

mod subnet_group;

use std::collections::BTreeMap;

use aws_sdk_elasticache::types::Tag;
use futures::FutureExt as _;
use plinth_sdk::ProviderError;

use crate::error::aws_error;
use crate::tags::tags_from;
use crate::{AwsResource, Ctx};

pub fn resources() -> Vec<Box<dyn AwsResource>> {
    vec![Box::new(subnet_group::CacheSubnetGroup)]
}

/// Tags in ElastiCache's shape.
pub(crate) fn elasticache_tags(tags: &BTreeMap<String, String>) -> Vec<Tag> {
    tags.iter()
        .map(|(k, v)| Tag::builder().key(k).value(v).build())
        .collect()
}

/// The tags on the ElastiCache object `arn`.
pub(crate) async fn list_tags(ctx: &Ctx, arn: &str) -> Result<BTreeMap<String, String>, ProviderError> {
    let all = all_tags(ctx, arn).await?;
    Ok(tags_from(all.iter().map(|(k, v)| (Some(k.as_str()), Some(v.as_str())))))
}

/// Every tag on the ElastiCache object `arn`, Plinth's bookkeeping tags included (for adoption).
pub(crate) async fn all_tags(ctx: &Ctx, arn: &str) -> Result<crate::idempotent::ReadTags, ProviderError> {
    let out = ctx
        .elasticache
        .list_tags_for_resource()
        .resource_name(arn)
        .send()
        .boxed()
        .await
        .map_err(aws_error)?;
    Ok(crate::idempotent::read_tags(
        out.tag_list().iter().map(|t| (t.key(), t.value())),
    ))
}
