//! EC2: networking and GPU nodes. One file per resource type; shared here: tag plumbing, the
//! batched Describe by filter, refresh and import by id, deletes that tolerate a missing object,
//! and the waits for an object to appear or go.

pub mod instance;
pub mod instance_type;
pub mod launch_template;
pub mod security_group;
pub mod subnet;
pub mod vpc;

use std::collections::{BTreeMap, HashMap};
use std::future::Future;

use aws_sdk_ec2::error::SdkError;
use aws_sdk_ec2::types::{Filter, ResourceType, Tag, TagSpecification};
use aws_smithy_types::error::metadata::ProvideErrorMetadata;
use plinth_sdk::plan::default_plan;
use plinth_sdk::{PlanRequest, PlanResponse, ProviderError, Schema, Value};

use crate::error::{aws_error, is_not_found};
use crate::util::{map_of_strings, own_tags, str_map, tags_value, wait_for};
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
        map_of_strings(&ctx.merged_tags(tags))
    };
    if let Value::Map(m) = &mut resp.planned {
        m.insert("tags_all".to_string(), tags_all);
    }
    resp
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

/// The `tags` (the user's own, judged against `prior`) and `tags_all` values of an object
/// carrying `tags`.
pub fn tag_values(ctx: &Ctx, tags: &[Tag], prior: &Value) -> (Value, Value) {
    let all = tags_from(Some(tags));
    let mine = own_tags(&all, ctx, prior);
    (tags_value(&mine, prior.get("tags")), map_of_strings(&all))
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
    crate::util::sync_tags(
        ctx,
        have,
        want,
        |keys| async move {
            let remove = keys.iter().map(|k| Tag::builder().key(k).build()).collect();
            ctx.ec2
                .delete_tags()
                .resources(id)
                .set_tags(Some(remove))
                .send()
                .await
                .map(|_| ())
                .map_err(aws_error)
        },
        |set| async move {
            ctx.ec2
                .create_tags()
                .resources(id)
                .set_tags(Some(ec2_tags(&set)))
                .send()
                .await
                .map(|_| ())
                .map_err(aws_error)
        },
    )
    .await
}

/// Syncs the tags on `id` from the prior state's `tags_all` to the planned `tags` (+ default_tags).
pub async fn update_tags(ctx: &Ctx, id: &str, prior: &Value, planned: &Value) -> Result<(), ProviderError> {
    sync_tags(
        ctx,
        id,
        &str_map(prior, "tags_all"),
        &ctx.merged_tags(planned.get("tags")),
    )
    .await
}

/// Objects by id, described with a `filter` on up to 200 of `values` a call (so a missing one is
/// simply absent), following pages: `page(filter, token)` makes one call (after the rate limiter)
/// and returns the objects it found, by id, and the next page's token.
pub async fn describe_by_filter<T, F, Fut>(
    ctx: &Ctx,
    filter: &str,
    values: &[String],
    mut page: F,
) -> Result<HashMap<String, T>, ProviderError>
where
    F: FnMut(Filter, Option<String>) -> Fut,
    Fut: Future<Output = Result<(Vec<(String, T)>, Option<String>), ProviderError>>,
{
    let mut out = HashMap::new();
    // EC2 accepts up to 200 values per filter.
    for chunk in values.chunks(200) {
        let mut next: Option<String> = None;
        loop {
            ctx.throttle().await;
            let f = Filter::builder().name(filter).set_values(Some(chunk.to_vec())).build();
            let (found, token) = page(f, next.take()).await?;
            out.extend(found);
            match token {
                Some(t) if !t.is_empty() => next = Some(t),
                _ => break,
            }
        }
    }
    Ok(out)
}

/// Ids of the given states (`id` attribute).
pub fn ids_of(states: &[Value]) -> Vec<String> {
    states
        .iter()
        .filter_map(|s| s.get("id").as_str().map(str::to_string))
        .collect()
}

/// The refreshed states: each state's object in `found` (by `id`), or `None` when it is gone.
pub fn by_id<T>(
    states: &[Value],
    found: &HashMap<String, T>,
    to_value: impl Fn(&T, &Value) -> Value,
) -> Vec<Option<Value>> {
    states
        .iter()
        .map(|s| {
            s.get("id")
                .as_str()
                .and_then(|id| found.get(id))
                .map(|v| to_value(v, s))
        })
        .collect()
}

/// The object `id` out of `found`, or an error with `code` and `message` when it is not there.
pub fn take<T>(mut found: HashMap<String, T>, id: &str, code: &str, message: String) -> Result<T, ProviderError> {
    found.remove(id).ok_or_else(|| ProviderError::with_code(code, message))
}

/// Makes a delete call (after the rate limiter); an object that does not exist is deleted.
pub async fn delete_call<T, E, R>(
    ctx: &Ctx,
    call: impl Future<Output = Result<T, SdkError<E, R>>>,
) -> Result<(), ProviderError>
where
    E: ProvideErrorMetadata + std::error::Error + Send + Sync + 'static,
    R: std::fmt::Debug,
{
    ctx.throttle().await;
    match call.await {
        Ok(_) => Ok(()),
        Err(e) if is_not_found(&e) => Ok(()),
        Err(e) => Err(aws_error(e)),
    }
}

/// Waits (`what`) until `describe` finds `id` and `ready` holds for it; returns it.
pub async fn wait_found<T, F, Fut>(
    ctx: &Ctx,
    what: &str,
    id: &str,
    mut describe: F,
    ready: impl Fn(&T) -> bool,
) -> Result<T, ProviderError>
where
    F: FnMut() -> Fut,
    Fut: Future<Output = Result<HashMap<String, T>, ProviderError>>,
{
    let ready = &ready;
    wait_for(ctx, what, || {
        let found = describe();
        async move { Ok(found.await?.remove(id).filter(|t| ready(t))) }
    })
    .await
}

/// Waits (`what`) until `describe` no longer finds `id`.
pub async fn wait_absent<T, F, Fut>(ctx: &Ctx, what: &str, id: &str, mut describe: F) -> Result<(), ProviderError>
where
    F: FnMut() -> Fut,
    Fut: Future<Output = Result<HashMap<String, T>, ProviderError>>,
{
    wait_for(ctx, what, || {
        let found = describe();
        async move { Ok((!found.await?.contains_key(id)).then_some(())) }
    })
    .await
}
