//! `aws_ec2_tag`: one tag on any EC2 object by id (CreateTags/DeleteTags), for objects Plinth
//! does not manage itself; combined with the object's own `tags` the two fight. The id is
//! Terraform's `RESOURCE_ID,KEY`, also the import id. Refresh is one DescribeTags per 200
//! objects (a `resource-id` filter).

use std::collections::{HashMap, HashSet};
use std::sync::LazyLock;

use async_trait::async_trait;
use aws_sdk_ec2::types::Tag;
use futures::FutureExt as _;
use plinth_sdk::{Attribute, ProviderError, Schema, Type, Value};

use super::{describe_by_filter, wait_found};
use crate::error::aws_error;
use crate::util::{delete_call, opt_str, req_str, string, wait_gone};
use crate::{AwsResource, Ctx};

pub struct Ec2Tag;

static SCHEMA: LazyLock<Schema> = LazyLock::new(|| {
    Schema::new(
        "One tag on an EC2 object Plinth does not otherwise manage (do not combine with the object's own tags). \
         Import with RESOURCE_ID,KEY.",
    )
    .attr(
        "resource_id",
        Attribute::required(Type::String)
            .force_new()
            .describe("The id of the EC2 object to tag."),
    )
    .attr(
        "key",
        Attribute::required(Type::String).force_new().describe("The tag's key."),
    )
    .attr(
        "value",
        Attribute::required(Type::String).describe("The tag's value; changed in place."),
    )
    .attr(
        "id",
        Attribute::computed(Type::String).describe("RESOURCE_ID,KEY, as Terraform's."),
    )
    .identity(&["resource_id", "key"])
});

fn tag_id(resource: &str, key: &str) -> String {
    format!("{resource},{key}")
}

fn to_value(resource: &str, key: &str, value: &str) -> Value {
    Value::object([
        ("id", string(tag_id(resource, key))),
        ("resource_id", string(resource)),
        ("key", string(key)),
        ("value", string(value)),
    ])
}

/// The tags of `resources`, by `RESOURCE_ID,KEY`: one DescribeTags per 200 objects.
async fn describe(ctx: &Ctx, resources: &[String]) -> Result<HashMap<String, String>, ProviderError> {
    describe_by_filter("resource-id", resources, |filter, next| async move {
        let resp = ctx
            .ec2
            .describe_tags()
            .filters(filter)
            .max_results(1000)
            .set_next_token(next)
            .send()
            .boxed()
            .await
            .map_err(aws_error)?;
        let found = resp
            .tags()
            .iter()
            .filter_map(|t| {
                Some((
                    tag_id(t.resource_id()?, t.key()?),
                    t.value().unwrap_or_default().to_string(),
                ))
            })
            .collect();
        Ok((found, resp.next_token().map(str::to_string)))
    })
    .await
}

async fn put(ctx: &Ctx, resource: &str, key: &str, value: &str) -> Result<(), ProviderError> {
    ctx.ec2
        .create_tags()
        .resources(resource)
        .tags(Tag::builder().key(key).value(value).build())
        .send()
        .boxed()
        .await
        .map_err(aws_error)?;
    Ok(())
}

/// Waits until the tag reads back as `value`.
async fn wait_value(ctx: &Ctx, resource: &str, key: &str, value: &str) -> Result<Value, ProviderError> {
    let ids = vec![resource.to_string()];
    let id = tag_id(resource, key);
    let what = format!("tag {key} on {resource} to be set");
    wait_found(ctx, &what, &id, || describe(ctx, &ids), |v: &String| v == value).await?;
    Ok(to_value(resource, key, value))
}

#[async_trait]
impl AwsResource for Ec2Tag {
    fn type_name(&self) -> &'static str {
        "aws_ec2_tag"
    }

    fn schema(&self) -> &Schema {
        &SCHEMA
    }

    async fn create(&self, ctx: &Ctx, planned: &Value) -> Result<Value, ProviderError> {
        let (resource, key, value) = (
            req_str(planned, "resource_id")?,
            req_str(planned, "key")?,
            planned.get("value").as_str().unwrap_or_default().to_string(),
        );
        put(ctx, &resource, &key, &value).await?;
        wait_value(ctx, &resource, &key, &value).await
    }

    async fn update(&self, ctx: &Ctx, prior: &Value, planned: &Value) -> Result<Value, ProviderError> {
        let (resource, key) = (req_str(prior, "resource_id")?, req_str(prior, "key")?);
        let value = planned.get("value").as_str().unwrap_or_default().to_string();
        put(ctx, &resource, &key, &value).await?;
        wait_value(ctx, &resource, &key, &value).await
    }

    async fn delete(&self, ctx: &Ctx, prior: &Value) -> Result<(), ProviderError> {
        let (resource, key) = (req_str(prior, "resource_id")?, req_str(prior, "key")?);
        delete_call(
            ctx.ec2
                .delete_tags()
                .resources(&resource)
                .tags(Tag::builder().key(&key).build())
                .send()
                .boxed(),
        )
        .await?;
        let ids = vec![resource.clone()];
        let id = tag_id(&resource, &key);
        wait_gone(ctx, &format!("tag {key} on {resource}"), || async {
            Ok(describe(ctx, &ids).await?.contains_key(&id))
        })
        .await
    }

    async fn read(&self, ctx: &Ctx, states: &[Value]) -> Result<Vec<Option<Value>>, ProviderError> {
        let resources: Vec<String> = states
            .iter()
            .filter_map(|s| opt_str(s, "resource_id"))
            .collect::<HashSet<_>>()
            .into_iter()
            .collect();
        let found = describe(ctx, &resources).await?;
        Ok(states
            .iter()
            .map(|s| {
                let (resource, key) = (opt_str(s, "resource_id")?, s.get("key").as_str()?.to_string());
                let value = found.get(&tag_id(&resource, &key))?;
                Some(to_value(&resource, &key, value))
            })
            .collect())
    }

    async fn import(&self, ctx: &Ctx, id: &str) -> Result<Value, ProviderError> {
        let (resource, key) = id
            .split_once(',')
            .filter(|(r, k)| !r.is_empty() && !k.is_empty())
            .ok_or_else(|| ProviderError::with_code("InvalidImportId", format!("{id:?} is not RESOURCE_ID,KEY")))?;
        let found = describe(ctx, &[resource.to_string()]).await?;
        let value = found
            .get(id)
            .ok_or_else(|| ProviderError::with_code("InvalidTag.NotFound", format!("{resource} has no tag {key:?}")))?;
        Ok(to_value(resource, key, value))
    }
}
