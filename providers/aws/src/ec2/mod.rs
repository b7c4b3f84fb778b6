//! EC2: networking and GPU nodes. One file per resource type; tag plumbing shared here.

pub mod vpc;

use std::collections::BTreeMap;

use aws_sdk_ec2::types::{ResourceType, Tag, TagSpecification};
use plinth_sdk::{Attribute, ProviderError, Schema, Type, Value};

use crate::error::aws_error;
use crate::{AwsDataSource, AwsResource, Ctx};

pub fn resources() -> Vec<Box<dyn AwsResource>> {
    vec![Box::new(vpc::Vpc)]
}

pub fn data_sources() -> Vec<Box<dyn AwsDataSource>> {
    vec![]
}

/// `tags` (optional) and `tags_all` (computed: tags plus default_tags), as Terraform has them.
pub fn with_tags(schema: Schema) -> Schema {
    schema
        .attr(
            "tags",
            Attribute::optional(Type::Map(Box::new(Type::String))).describe("Tags of the object."),
        )
        .attr(
            "tags_all",
            Attribute::computed(Type::Map(Box::new(Type::String)))
                .describe("All tags, including the provider's default_tags."),
        )
}

pub fn ec2_tags(tags: &BTreeMap<String, String>) -> Vec<Tag> {
    tags.iter()
        .map(|(k, v)| Tag::builder().key(k).value(v).build())
        .collect()
}

pub fn tag_spec(kind: ResourceType, tags: &BTreeMap<String, String>) -> Option<TagSpecification> {
    if tags.is_empty() {
        return None;
    }
    Some(
        TagSpecification::builder()
            .resource_type(kind)
            .set_tags(Some(ec2_tags(tags)))
            .build(),
    )
}

pub fn tags_from(tags: Option<&[Tag]>) -> BTreeMap<String, String> {
    tags.unwrap_or_default()
        .iter()
        .filter_map(|t| Some((t.key()?.to_string(), t.value().unwrap_or("").to_string())))
        .collect()
}

/// Makes the tags on `id` equal to `want` (tags + default_tags).
pub async fn sync_tags(
    ctx: &Ctx,
    id: &str,
    have: &BTreeMap<String, String>,
    want: &BTreeMap<String, String>,
) -> Result<(), ProviderError> {
    let remove: Vec<Tag> = have
        .keys()
        .filter(|k| !want.contains_key(*k))
        .map(|k| Tag::builder().key(k).build())
        .collect();
    let set: BTreeMap<String, String> = want
        .iter()
        .filter(|(k, v)| have.get(*k) != Some(v))
        .map(|(k, v)| (k.clone(), v.clone()))
        .collect();
    if !remove.is_empty() {
        ctx.throttle().await;
        ctx.ec2
            .delete_tags()
            .resources(id)
            .set_tags(Some(remove))
            .send()
            .await
            .map_err(aws_error)?;
    }
    if !set.is_empty() {
        ctx.throttle().await;
        ctx.ec2
            .create_tags()
            .resources(id)
            .set_tags(Some(ec2_tags(&set)))
            .send()
            .await
            .map_err(aws_error)?;
    }
    Ok(())
}

/// Splits ids into chunks for `Filter` values (EC2 accepts up to 200 values per filter).
pub fn chunks(ids: &[String]) -> impl Iterator<Item = &[String]> {
    ids.chunks(200)
}

/// Ids of the given states (`id` attribute), with their positions.
pub fn ids_of(states: &[Value]) -> Vec<String> {
    states
        .iter()
        .filter_map(|s| s.get("id").as_str().map(str::to_string))
        .collect()
}
