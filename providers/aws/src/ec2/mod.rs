//! EC2: networking and GPU nodes. One file per resource type; tag plumbing shared here.

pub mod instance;
pub mod instance_type;
pub mod launch_template;
pub mod security_group;
pub mod subnet;
pub mod vpc;

use std::collections::BTreeMap;

use aws_sdk_ec2::types::{ResourceType, Tag, TagSpecification};
use plinth_sdk::plan::default_plan;
use plinth_sdk::{Attribute, PlanRequest, PlanResponse, ProviderError, Schema, Type, Value};

use crate::error::aws_error;
use crate::{AwsDataSource, AwsResource, Ctx};

pub fn resources() -> Vec<Box<dyn AwsResource>> {
    vec![
        Box::new(vpc::Vpc),
        Box::new(subnet::Subnet),
        Box::new(security_group::SecurityGroup),
        Box::new(launch_template::LaunchTemplate),
        Box::new(instance::Instance),
    ]
}

pub fn data_sources() -> Vec<Box<dyn AwsDataSource>> {
    vec![Box::new(instance_type::InstanceTypeData)]
}

/// The standard plan, with `tags_all` planned as `default_tags` merged with `tags` (unknown while
/// `tags` is), so a tag change shows its effect on `tags_all` instead of keeping the prior value.
pub fn plan_with_tags(schema: &Schema, ctx: &Ctx, req: &PlanRequest) -> PlanResponse {
    let mut resp = default_plan(schema, req.prior.as_ref(), &req.config);
    let tags = req.config.get("tags");
    let tags_all = if tags.contains_unknown() {
        Value::Unknown
    } else {
        crate::util::map_of_strings(&ctx.merged_tags(tags))
    };
    if let Value::Map(m) = &mut resp.planned {
        m.insert("tags_all".to_string(), tags_all);
    }
    resp
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

/// Tags of an EC2 object. Keys starting with `aws:` are AWS's own (such as
/// `aws:ec2launchtemplate:id` on instances launched from a template): they cannot be set or
/// removed by users, so they are left out.
pub fn tags_from(tags: Option<&[Tag]>) -> BTreeMap<String, String> {
    tags.unwrap_or_default()
        .iter()
        .filter_map(|t| Some((t.key()?.to_string(), t.value().unwrap_or("").to_string())))
        .filter(|(k, _)| !k.starts_with("aws:"))
        .collect()
}

/// The account id out of an ARN such as `arn:aws:iam::123456789012:root`.
pub fn account_of_arn(arn: &str) -> Option<&str> {
    arn.split(':').nth(4).filter(|a| !a.is_empty())
}

/// Retries `op` while EC2 answers `DependencyViolation` (a dependent object such as the network
/// interface of a just-terminated instance is still being released), up to the wait timeout.
pub async fn retry_dependency<F, Fut>(ctx: &Ctx, what: &str, mut op: F) -> Result<(), ProviderError>
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = Result<(), ProviderError>>,
{
    crate::util::wait_for(ctx, what, || {
        let fut = op();
        async move {
            match fut.await {
                Ok(()) => Ok(Some(())),
                Err(e) if e.code.as_deref() == Some("DependencyViolation") => Ok(None),
                Err(e) => Err(e),
            }
        }
    })
    .await
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
