//! SageMaker: models, serving endpoints, the model registry, the feature store, pipelines, drift
//! monitoring and HyperPod GPU clusters. One file per resource type; shared here: schema and
//! planning helpers, SageMaker's tag types, the batched refresh and the waits for a status.
//!
//! Refresh cost. SageMaker has no batched Describe and no batched tag read (ListTags takes one
//! ARN), so every live object costs at least one ListTags call. What this module saves is the
//! Describe: one List call (with a `NameContains`/prefix filter, 100 objects a page) tells which
//! objects still exist and carries their creation (or last-modified) time; when that time equals
//! the one in state, the object cannot have changed (immutable types) or was not modified since
//! (mutable types), so the state's attributes are kept and Describe is skipped. A refresh of N
//! unchanged objects thus costs about `ceil(N/100) + N` calls instead of `2N`. Types whose List
//! summary carries no such time (`aws_sagemaker_cluster`) Describe every object. The per-object
//! calls run a few at a time.
//!
//! The lifecycle is written once: each type implements [`SageMakerType`] with only what is its
//! own (its create, Describe, List, Delete and in-place update calls, each operation having its
//! own SDK builder and output type, and its mapping of a Describe answer to state), and the one
//! `AwsResource` impl here runs read (the batched [`refresh`]), import, update (the in-place
//! change, then the tag sync of [`retagged`]) and delete (the call, then the wait for deletion)
//! for all nine, told about the type by its [`Kind`]. Also here: the List pass over the SDK's
//! paginators ([`list_named`]), the waits for a status ([`wait_status`]), the clean-up of a
//! failed create ([`settle_create`]) and the end of a create ([`created`]); describe-or-none and
//! the delete call are `crate::util`'s, tags `crate::tags`'.

pub mod cluster;
pub mod code_repository;
pub mod data_quality_job_definition;
pub mod domain;
pub mod endpoint;
pub mod endpoint_configuration;
pub mod feature_group;
pub mod model;
pub mod model_package_group;
pub mod monitoring_schedule;
pub mod notebook_instance;
pub mod notebook_instance_lifecycle_configuration;
pub mod pipeline;
pub mod prebuilt_ecr_image;
pub mod user_profile;

use std::collections::{BTreeMap, HashMap};
use std::future::Future;
use std::sync::LazyLock;

use async_trait::async_trait;
use aws_sdk_sagemaker::error::SdkError;
use aws_sdk_sagemaker::types::Tag;
use aws_smithy_async::future::pagination_stream::PaginationStream;
use aws_smithy_runtime_api::client::orchestrator::HttpResponse;
use aws_smithy_types::error::metadata::ProvideErrorMetadata;
use plinth_sdk::{
    Attribute, PlanRequest, PlanResponse, ProviderDiagnostic, ProviderError, Schema, Severity, Type, Value,
};

use crate::error::aws_error;
use crate::idempotent::{self, Creating};
use crate::tags::{Tagged, plan_tags_all, tag_values, tags_from, update_tags};
pub(crate) use crate::util::{block, conform, items, list, single};
use crate::util::{concurrently, found, opt_str, plan_blocks, req_str, string, wait_for, wait_gone};
use crate::{AwsResource, Ctx};
use plinth_sdk::Map;

pub fn data_sources() -> Vec<Box<dyn crate::AwsDataSource>> {
    vec![Box::new(prebuilt_ecr_image::PrebuiltEcrImageData)]
}

pub fn resources() -> Vec<Box<dyn AwsResource>> {
    vec![
        Box::new(model::Model),
        Box::new(endpoint_configuration::EndpointConfiguration),
        Box::new(endpoint::Endpoint),
        Box::new(model_package_group::ModelPackageGroup),
        Box::new(feature_group::FeatureGroup),
        Box::new(pipeline::Pipeline),
        Box::new(data_quality_job_definition::DataQualityJobDefinition),
        Box::new(monitoring_schedule::MonitoringSchedule),
        Box::new(cluster::Cluster),
        Box::new(notebook_instance_lifecycle_configuration::NotebookInstanceLifecycleConfiguration),
        Box::new(notebook_instance::NotebookInstance),
        Box::new(code_repository::CodeRepository),
        Box::new(domain::Domain),
        Box::new(user_profile::UserProfile),
    ]
}

// ---------------------------------------------------------------------------------------------
// Kinds

/// What the shared lifecycle steps (refresh, import, the end of a create, the waits' and errors'
/// wording) need to know about one SageMaker type; each resource file has one, `KIND`.
pub(crate) struct Kind {
    /// The resource type's name ("aws_sagemaker_model").
    pub type_name: &'static str,
    /// The type's noun in messages ("endpoint configuration").
    pub noun: &'static str,
    /// The attribute holding the object's name, SageMaker's key for it.
    pub name_attr: &'static str,
    /// The time in a List summary that tells an unchanged object (see [`refresh`]); `None` when
    /// the summary carries every attribute or the type has no List pass.
    pub stamp: Option<&'static str>,
    /// Whether the type has `tags` (read with ListTags, changed with AddTags/DeleteTags); a
    /// type without (a notebook lifecycle configuration) costs no tag calls at all.
    pub tagged: bool,
    pub schema: &'static LazyLock<Schema>,
}

impl Kind {
    pub fn schema(&self) -> &'static Schema {
        LazyLock::force(self.schema)
    }

    /// The object as waits and errors name it: "SageMaker endpoint configuration NAME".
    pub fn what(&self, name: &str) -> String {
        format!("SageMaker {} {name}", self.noun)
    }
}

// ---------------------------------------------------------------------------------------------
// The lifecycle

/// What is one SageMaker type's own: its calls (create, Describe, List, Delete, an in-place
/// change) and its mapping of a Describe answer to state. The rest of the lifecycle (refresh,
/// import, the tag sync of an update, the wait for deletion) is the same for every type and is
/// written once, in the [`AwsResource`] impl below.
#[async_trait]
pub(crate) trait SageMakerType: Send + Sync + Sized + 'static {
    /// A Describe answer.
    type Described: Send + Sync + 'static;

    fn kind() -> &'static Kind;

    fn validate(&self, _config: &Value) -> Vec<ProviderDiagnostic> {
        Vec::new()
    }

    /// The plan; the default is this module's [`plan`].
    fn plan(&self, ctx: &Ctx, req: &PlanRequest) -> PlanResponse {
        plan(Self::kind().schema(), ctx, req)
    }

    /// Creates the object and waits until it is usable; the new state, tags included. `creating`
    /// says who creates: the object gets its bookkeeping tags, and a create call answered
    /// "already exists" goes through [`adopt`].
    async fn create(&self, ctx: &Ctx, planned: &Value, creating: &Creating) -> Result<Value, ProviderError>;

    /// Describes the object named `name`; `None` when it does not exist.
    async fn describe(ctx: &Ctx, name: &str) -> Result<Option<Self::Described>, ProviderError>;

    /// The state (without tags) of a Describe answer; `prior` is the state or planned value it
    /// stands for (`Null` on import).
    fn to_value(d: &Self::Described, prior: &Value) -> Value;

    /// One List pass over `names` (see [`refresh`]); `None` for a type whose List summary cannot
    /// tell an unchanged object, so that every object is described.
    async fn list(ctx: &Ctx, names: &[String]) -> Result<Option<HashMap<String, Listed>>, ProviderError>;

    /// The Delete call (through [`crate::util::delete_call`]): whether the object existed.
    async fn delete_call(ctx: &Ctx, name: &str) -> Result<bool, ProviderError>;

    /// The Delete call of a destroy, which sees the prior state (a domain's retention policy);
    /// the default is [`SageMakerType::delete_call`].
    async fn delete_call_for(ctx: &Ctx, name: &str, _prior: &Value) -> Result<bool, ProviderError> {
        Self::delete_call(ctx, name).await
    }

    /// While a deletion is waited for: whether the described object (`what`) still exists. Types
    /// with a DeleteFailed status use [`still_exists`].
    fn exists(_what: &str, described: Option<Self::Described>) -> Result<bool, ProviderError> {
        Ok(described.is_some())
    }

    /// The change of an update beyond tags: the object as described after it, or `None` when
    /// only tags change (then the planned value is the new state).
    async fn update_in_place(
        &self,
        _ctx: &Ctx,
        _prior: &Value,
        _planned: &Value,
    ) -> Result<Option<Value>, ProviderError> {
        Ok(None)
    }

    /// The end of a create for a type with no status to wait for (see [`created`]).
    async fn created(
        ctx: &Ctx,
        name: &str,
        tags: &BTreeMap<String, String>,
        planned: &Value,
    ) -> Result<Value, ProviderError> {
        let describe = || async { Ok(Self::describe(ctx, name).await?.map(|d| Self::to_value(&d, planned))) };
        created(ctx, Self::kind(), name, tags, planned, describe).await
    }

    /// The end of a create that waited for a status (see [`settle_create`]): the state of the
    /// waited-for answer and the tags just set (no ListTags needed).
    async fn settled(
        &self,
        ctx: &Ctx,
        name: &str,
        waited: Result<Self::Described, ProviderError>,
        tags: &BTreeMap<String, String>,
        planned: &Value,
    ) -> Result<Value, ProviderError> {
        let d = settle_create(ctx, self, Self::kind(), name, waited).await?;
        Ok(finish(
            ctx,
            Self::kind().schema(),
            Self::to_value(&d, planned),
            tags,
            planned,
        ))
    }
}

#[async_trait]
impl<T: SageMakerType> AwsResource for T {
    fn type_name(&self) -> &'static str {
        T::kind().type_name
    }

    fn schema(&self) -> &Schema {
        T::kind().schema()
    }

    fn validate(&self, config: &Value) -> Vec<ProviderDiagnostic> {
        SageMakerType::validate(self, config)
    }

    fn plan(&self, ctx: &Ctx, req: &PlanRequest) -> PlanResponse {
        SageMakerType::plan(self, ctx, req)
    }

    async fn create(&self, ctx: &Ctx, planned: &Value) -> Result<Value, ProviderError> {
        SageMakerType::create(self, ctx, planned, &Creating::default()).await
    }

    async fn create_as(&self, ctx: &Ctx, planned: &Value, creating: &Creating) -> Result<Value, ProviderError> {
        SageMakerType::create(self, ctx, planned, creating).await
    }

    async fn update(&self, ctx: &Ctx, prior: &Value, planned: &Value) -> Result<Value, ProviderError> {
        let base = match self.update_in_place(ctx, prior, planned).await? {
            Some(described) => described,
            None => planned.clone(),
        };
        if !T::kind().tagged {
            return Ok(conform(T::kind().schema(), &base));
        }
        retagged(ctx, T::kind().schema(), prior, planned, base).await
    }

    async fn delete(&self, ctx: &Ctx, prior: &Value) -> Result<(), ProviderError> {
        let name = req_str(prior, T::kind().name_attr)?;
        if !T::delete_call_for(ctx, &name, prior).await? {
            return Ok(());
        }
        let what = T::kind().what(&name);
        wait_gone(ctx, &what, || async {
            T::exists(&what, T::describe(ctx, &name).await?)
        })
        .await
    }

    async fn read(&self, ctx: &Ctx, states: &[Value]) -> Result<Vec<Option<Value>>, ProviderError> {
        let listed = T::list(ctx, &names_of(states, T::kind().name_attr)).await?;
        refresh(ctx, T::kind(), states, listed, |ctx, name, prior| async move {
            Ok(T::describe(&ctx, &name).await?.map(|d| T::to_value(&d, &prior)))
        })
        .await
    }

    async fn import(&self, ctx: &Ctx, id: &str) -> Result<Value, ProviderError> {
        let described = async { Ok(T::describe(ctx, id).await?.map(|d| T::to_value(&d, &Value::Null))) };
        import_one(ctx, T::kind(), id, described).await
    }
}

// ---------------------------------------------------------------------------------------------
// Schemas

/// `tags` (optional) and `tags_all` (computed: tags plus the provider's default_tags).
pub(crate) fn with_tags(schema: Schema) -> Schema {
    crate::tags::with_tags_described(schema, "Tags of the object; changed in place with AddTags/DeleteTags.")
}

/// `arn` and `id` (the name, as in Terraform).
pub(crate) fn with_arn_id(schema: Schema) -> Schema {
    schema
        .attr("arn", Attribute::computed(Type::String).describe("The ARN."))
        .attr(
            "id",
            Attribute::computed(Type::String).describe("The name (as Terraform's id)."),
        )
}

pub(crate) fn map_type() -> Type {
    Type::Map(Box::new(Type::String))
}

// ---------------------------------------------------------------------------------------------
// Planning

/// The standard plan of a SageMaker type: the engine's rule, with unset optional+computed block
/// attributes kept from prior state, and `tags_all` computed from `tags` and default_tags.
pub(crate) fn plan(schema: &Schema, ctx: &Ctx, req: &PlanRequest) -> PlanResponse {
    let mut resp = plan_blocks(schema, req);
    if schema.attributes.contains_key("tags_all") {
        plan_tags_all(ctx, &conform(schema, &req.config), &mut resp.planned);
    }
    resp
}

/// A validation error about one attribute.
pub(crate) fn invalid(attr: &str, summary: &str, detail: String) -> ProviderDiagnostic {
    ProviderDiagnostic {
        severity: Severity::Error,
        summary: summary.to_string(),
        detail,
        attribute: plinth_sdk::AttrPath::parse(attr),
    }
}

// ---------------------------------------------------------------------------------------------
// Values

/// A timestamp as RFC 3339 text (`Null` when absent).
pub(crate) fn time(t: Option<&aws_smithy_types::DateTime>) -> Value {
    t.and_then(|t| t.fmt(aws_smithy_types::date_time::Format::DateTime).ok())
        .map(Value::String)
        .unwrap_or(Value::Null)
}

/// A number attribute from an AWS integer.
pub(crate) fn int(n: Option<i32>) -> Value {
    n.map(|n| Value::int(n.into())).unwrap_or(Value::Null)
}

/// A number attribute from an AWS float (`f32` widened through its shortest decimal form, so
/// 0.1 stays 0.1 and equals the configuration's 0.1).
pub(crate) fn float(n: Option<f32>) -> Value {
    n.and_then(|n| n.to_string().parse::<f64>().ok())
        .map(Value::number)
        .unwrap_or(Value::Null)
}

/// A string map from AWS: `Null` when empty, unless the prior value was an empty map too (so
/// neither `environment = {}` nor an omitted one plans a change).
pub(crate) fn string_map(m: Option<&HashMap<String, String>>, prior: &Value) -> Value {
    match m {
        Some(m) if !m.is_empty() => Value::Map(m.iter().map(|(k, v)| (k.clone(), Value::String(v.clone()))).collect()),
        _ if prior.as_map().is_some_and(Map::is_empty) => Value::Map(Map::new()),
        _ => Value::Null,
    }
}

/// A number attribute as `i32`.
pub(crate) fn opt_i32(v: &Value, key: &str) -> Option<i32> {
    v.get(key).as_f64().map(|n| n as i32)
}

// ---------------------------------------------------------------------------------------------
// Errors

/// An error for a missing object where one is required (import, after create).
pub(crate) fn missing(kind: &str, name: &str) -> ProviderError {
    ProviderError::with_code("ResourceNotFound", format!("no SageMaker {kind} named {name:?}"))
}

// ---------------------------------------------------------------------------------------------
// Tags

pub(crate) fn sm_tags(tags: &BTreeMap<String, String>) -> Option<Vec<Tag>> {
    if tags.is_empty() {
        return None;
    }
    Some(
        tags.iter()
            .map(|(k, v)| Tag::builder().key(k).value(v).build())
            .collect(),
    )
}

/// The tags on `arn` (see [`tags_from`]); `None` when the object is gone.
pub(crate) async fn live_tags(ctx: &Ctx, arn: &str) -> Result<Option<BTreeMap<String, String>>, ProviderError> {
    Ok(all_tags(ctx, arn)
        .await?
        .map(|t| tags_from(t.iter().map(|t| (t.key(), t.value())))))
}

/// Every tag on `arn`, Plinth's bookkeeping tags included; `None` when the object is gone.
pub(crate) async fn all_tags(ctx: &Ctx, arn: &str) -> Result<Option<Vec<Tag>>, ProviderError> {
    let mut items = ctx
        .sagemaker
        .list_tags()
        .resource_arn(arn)
        .max_results(100)
        .into_paginator()
        .items()
        .send();
    let mut tags = Vec::new();
    while let Some(item) = items.next().await {
        match found(item)? {
            Some(t) => tags.push(t),
            None => return Ok(None),
        }
    }
    Ok(Some(tags))
}

/// The answer `sent` of the create call of the object `name`, made safe to repeat after a
/// crash: SageMaker names are unique, so a create repeated after a crash is answered "already
/// exists" (see [`idempotent::already_exists`]); the object is then adopted, and the create goes
/// on with it (its wait, its read), when its bookkeeping tags name this address and state.
/// Otherwise the answer stays the error, saying how to import the object.
pub(crate) async fn adopt<T: SageMakerType>(
    ctx: &Ctx,
    creating: &Creating,
    name: &str,
    sent: Result<(), ProviderError>,
) -> Result<(), ProviderError> {
    let e = match sent {
        Err(e) if idempotent::already_exists(&e) => e,
        other => return other,
    };
    if !creating.tracked() {
        return Err(creating.exists_error(name, e));
    }
    let arn = T::describe(ctx, name)
        .await?
        .and_then(|d| opt_str(&T::to_value(&d, &Value::Null), "arn"));
    let tags = match &arn {
        Some(arn) => all_tags(ctx, arn).await?,
        None => None,
    };
    let pairs = tags.as_ref().map(|t| t.iter().map(|t| (t.key(), t.value())));
    creating.adopt_or_refuse(name, pairs, e)
}

/// The end of an update: syncs the tags of the object (the prior state's `arn`) and completes
/// `base` (the planned value, or the object as described after an in-place change) as the new
/// state.
pub(crate) async fn retagged(
    ctx: &Ctx,
    schema: &Schema,
    prior: &Value,
    planned: &Value,
    base: Value,
) -> Result<Value, ProviderError> {
    let all = update_tags(ctx, Tagged::SageMaker(&req_str(prior, "arn")?), prior, planned).await?;
    Ok(finish(ctx, schema, base, &all, planned))
}

/// Completes a state: `tags` (the user's own tags out of `all`, judged against `configured`, the
/// prior state or planned value) and `tags_all`, and every schema key.
pub(crate) fn finish(
    ctx: &Ctx,
    schema: &Schema,
    base: Value,
    all: &BTreeMap<String, String>,
    configured: &Value,
) -> Value {
    let mut m = base.as_map().cloned().unwrap_or_default();
    if schema.attributes.contains_key("tags") {
        let (tags, tags_all) = tag_values(ctx, all, configured);
        m.insert("tags".to_string(), tags);
        m.insert("tags_all".to_string(), tags_all);
    }
    conform(schema, &Value::Map(m))
}

// ---------------------------------------------------------------------------------------------
// Batched refresh

/// What a List call says about one object.
pub(crate) struct Listed {
    pub arn: String,
    /// The creation or last-modified time (see `refresh`); `None` when the type has none.
    pub stamp: Option<String>,
    /// Attributes the summary carries: always taken, fresh.
    pub attrs: Vec<(&'static str, Value)>,
}

impl Listed {
    /// A summary's ARN and stamp (a creation or last-modified time), with no attributes.
    pub fn new(arn: Option<&str>, stamp: Option<&aws_smithy_types::DateTime>) -> Listed {
        Listed {
            arn: arn.unwrap_or_default().to_string(),
            stamp: time(stamp).as_str().map(str::to_string),
            attrs: vec![],
        }
    }

    /// With attributes the summary carries.
    pub fn with(self, attrs: Vec<(&'static str, Value)>) -> Listed {
        Listed { attrs, ..self }
    }
}

/// One List pass over the objects named `names` (deduplicated, as [`names_of`] gives them).
/// `items(filter)` starts the operation's paginator over its summaries, at most 100 a page, with
/// `filter` (the names' common prefix) as its name filter; `summary` reads a summary's name and
/// what it says. The pass stops at the last page or once every name is found.
pub(crate) async fn list_named<T, E>(
    names: &[String],
    items: impl FnOnce(Option<String>) -> PaginationStream<Result<T, SdkError<E, HttpResponse>>>,
    summary: impl Fn(&T) -> Option<(String, Listed)>,
) -> Result<HashMap<String, Listed>, ProviderError>
where
    E: ProvideErrorMetadata + std::error::Error + Send + Sync + 'static,
{
    let mut out = HashMap::new();
    if names.is_empty() {
        return Ok(out);
    }
    let mut items = items(name_filter(names));
    while let Some(item) = items.next().await {
        if let Some((name, listed)) = summary(&item.map_err(aws_error)?)
            && names.contains(&name)
        {
            out.insert(name, listed);
            if out.len() == names.len() {
                break;
            }
        }
    }
    Ok(out)
}

/// The longest common prefix of `names`, as a List filter (`None`: list everything).
pub(crate) fn name_filter(names: &[String]) -> Option<String> {
    let first = names.first()?;
    let mut len = first.len();
    for n in &names[1..] {
        len = len.min(first.bytes().zip(n.bytes()).take_while(|(a, b)| a == b).count());
    }
    (len > 0).then(|| first[..len].to_string())
}

/// The names of the given states (`key` attribute), deduplicated.
pub(crate) fn names_of(states: &[Value], key: &str) -> Vec<String> {
    let mut v: Vec<String> = states.iter().filter_map(|s| opt_str(s, key)).collect();
    v.sort();
    v.dedup();
    v
}

/// Refreshes `states` of `kind`. With `listed` (one List pass, by name): an object not listed is
/// gone; one whose stamp attribute (`kind.stamp`) in state equals the listed stamp keeps its state (plus the summary's
/// attributes); others are described. Without a stamp the summary alone is the truth (it
/// carries every attribute). Without `listed`, every object is described. Then each
/// live object's tags are read. `describe(ctx, name, prior)` returns the state without tags, or
/// `None` when the object is gone.
pub(crate) async fn refresh<F, Fut>(
    ctx: &Ctx,
    kind: &'static Kind,
    states: &[Value],
    listed: Option<HashMap<String, Listed>>,
    describe: F,
) -> Result<Vec<Option<Value>>, ProviderError>
where
    F: Fn(Ctx, String, Value) -> Fut,
    Fut: Future<Output = Result<Option<Value>, ProviderError>> + Send + 'static,
{
    let (schema, stamp_attr) = (kind.schema(), kind.stamp);
    let jobs = states.iter().map(|s| (opt_str(s, kind.name_attr), s.clone())).collect();
    concurrently(jobs, |(name, prior): (Option<String>, Value)| {
        let ctx = ctx.clone();
        let plan: Option<(Option<Value>, Option<Fut>)> = name.and_then(|name| match &listed {
            None => Some((None, Some(describe(ctx.clone(), name, prior.clone())))),
            Some(l) => {
                let found = l.get(&name)?;
                let current = match stamp_attr {
                    None => true,
                    Some(a) => found
                        .stamp
                        .as_deref()
                        .is_some_and(|stamp| prior.get(a).as_str() == Some(stamp)),
                };
                if current {
                    let mut m = prior.as_map().cloned().unwrap_or_default();
                    m.insert("arn".to_string(), Value::String(found.arn.clone()));
                    for (k, v) in &found.attrs {
                        m.insert(k.to_string(), v.clone());
                    }
                    Some((Some(Value::Map(m)), None))
                } else {
                    Some((None, Some(describe(ctx.clone(), name, prior.clone()))))
                }
            }
        });
        async move {
            let Some((kept, describing)) = plan else {
                return Ok(None);
            };
            let base = match (kept, describing) {
                (Some(v), _) => v,
                (None, Some(f)) => match f.await? {
                    Some(v) => v,
                    None => return Ok(None),
                },
                (None, None) => return Ok(None),
            };
            if !kind.tagged {
                return Ok(Some(conform(schema, &base)));
            }
            let Some(arn) = opt_str(&base, "arn") else {
                return Ok(None);
            };
            let Some(all) = live_tags(&ctx, &arn).await? else {
                return Ok(None);
            };
            Ok(Some(finish(&ctx, schema, base, &all, &prior)))
        }
    })
    .await
}

/// Imports one object: describe it (as refresh would), then read its tags.
pub(crate) async fn import_one<Fut>(ctx: &Ctx, kind: &Kind, name: &str, described: Fut) -> Result<Value, ProviderError>
where
    Fut: Future<Output = Result<Option<Value>, ProviderError>>,
{
    let base = described.await?.ok_or_else(|| missing(kind.noun, name))?;
    if !kind.tagged {
        return Ok(conform(kind.schema(), &base));
    }
    let arn = opt_str(&base, "arn").ok_or_else(|| missing(kind.noun, name))?;
    let all = live_tags(ctx, &arn).await?.ok_or_else(|| missing(kind.noun, name))?;
    Ok(finish(ctx, kind.schema(), base, &all, &Value::Null))
}

/// The end of a create for a type that has no status to wait for: waits until Describe shows
/// the object, then completes its state with its tags.
pub(crate) async fn created<F, Fut>(
    ctx: &Ctx,
    kind: &Kind,
    name: &str,
    tags: &BTreeMap<String, String>,
    planned: &Value,
    describe: F,
) -> Result<Value, ProviderError>
where
    F: FnMut() -> Fut,
    Fut: Future<Output = Result<Option<Value>, ProviderError>>,
{
    let v = wait_for(ctx, &format!("{} to exist", kind.what(name)), describe).await?;
    Ok(finish(ctx, kind.schema(), v, tags, planned))
}

// ---------------------------------------------------------------------------------------------
// Waits

/// A Describe answer that carries the object's status and failure reason.
pub(crate) trait Status {
    fn status(&self) -> (&str, Option<&str>);
}

/// Waits until `describe` shows the object (`what`) in one of the `done` statuses and returns
/// that answer; one of the `failing` statuses is a `ResourceFailed` error. An object not found
/// yet is waited for.
pub(crate) async fn wait_status<T, F, Fut>(
    ctx: &Ctx,
    what: &str,
    done: &[&str],
    failing: &[&str],
    mut describe: F,
) -> Result<T, ProviderError>
where
    T: Status,
    F: FnMut() -> Fut,
    Fut: Future<Output = Result<Option<T>, ProviderError>>,
{
    let goal = done.first().copied().unwrap_or_default();
    wait_for(ctx, &format!("{what} to be {goal}"), || {
        let described = describe();
        async move {
            let Some(d) = described.await? else {
                return Ok(None);
            };
            let (status, reason) = d.status();
            if done.contains(&status) {
                Ok(Some(d))
            } else if failing.contains(&status) {
                Err(failed(what, status, reason))
            } else {
                Ok(None)
            }
        }
    })
    .await
}

/// For [`SageMakerType::exists`]: whether the described object (`what`) still exists; one whose
/// deletion failed (DeleteFailed) is an error.
pub(crate) fn still_exists<T: Status>(what: &str, described: Option<T>) -> Result<bool, ProviderError> {
    match described.as_ref().map(Status::status) {
        None => Ok(false),
        Some(("DeleteFailed", reason)) => Err(failed(what, "DeleteFailed", reason)),
        Some(_) => Ok(true),
    }
}

/// The end of a create that waits for the object: the waited-for value, or, when the wait
/// failed, the error of [`create_failed`], cleaning up with `resource`'s delete of the object
/// named `name`.
pub(crate) async fn settle_create<T>(
    ctx: &Ctx,
    resource: &dyn AwsResource,
    kind: &Kind,
    name: &str,
    waited: Result<T, ProviderError>,
) -> Result<T, ProviderError> {
    match waited {
        Ok(v) => Ok(v),
        Err(e) => {
            let gone = Value::object([(kind.name_attr, string(name))]);
            Err(create_failed(e, kind.noun, name, resource.delete(ctx, &gone)).await)
        }
    }
}

/// The error of a create whose call succeeded but whose wait did not. The engine records no
/// state for a failed create, so the object must not be left behind unannounced: one that
/// reached a failed state is deleted (`cleanup`) so the next apply creates it afresh; one still
/// in progress (the wait timed out) is left, and the error says how to adopt it.
pub(crate) async fn create_failed<Fut>(err: ProviderError, kind: &str, name: &str, cleanup: Fut) -> ProviderError
where
    Fut: Future<Output = Result<(), ProviderError>>,
{
    let message = if err.code.as_deref() == Some("ResourceFailed") {
        match cleanup.await {
            Ok(()) => format!(
                "{}; the failed {kind} was deleted, so the next apply creates it again",
                err.message
            ),
            Err(e) => format!(
                "{}; deleting the failed {kind} {name:?} failed too ({}): delete it by hand before applying again",
                err.message, e.message
            ),
        }
    } else {
        format!(
            "{}; the {kind} {name:?} exists but is not in state: once it is ready, adopt it with `plinth import ADDRESS {name}`",
            err.message
        )
    };
    ProviderError { message, ..err }
}

/// An error for an object that reached a failed state while we waited.
pub(crate) fn failed(what: &str, status: &str, reason: Option<&str>) -> ProviderError {
    ProviderError::with_code(
        "ResourceFailed",
        format!(
            "{what} is {status}{}",
            reason
                .filter(|r| !r.is_empty())
                .map(|r| format!(": {r}"))
                .unwrap_or_default()
        ),
    )
}

#[cfg(test)]
mod tests {
    use std::sync::atomic::Ordering;

    use super::*;

    #[test]
    fn name_filter_is_the_common_prefix() {
        assert_eq!(name_filter(&[]), None);
        assert_eq!(name_filter(&["abc".into()]), Some("abc".into()));
        assert_eq!(name_filter(&["ml-a".into(), "ml-b".into()]), Some("ml-".into()));
        assert_eq!(name_filter(&["a".into(), "b".into()]), None);
    }

    #[test]
    fn floats_keep_their_decimal_form() {
        assert_eq!(float(Some(0.1)), Value::number(0.1));
        assert_eq!(float(Some(1.0)), Value::int(1));
        assert_eq!(float(None), Value::Null);
    }

    #[tokio::test]
    async fn a_failed_create_is_cleaned_up_and_a_slow_one_announced() {
        let cleaned = std::sync::atomic::AtomicBool::new(false);
        let e = create_failed(
            failed("endpoint e", "Failed", Some("no capacity")),
            "endpoint",
            "e",
            async {
                cleaned.store(true, Ordering::Relaxed);
                Ok(())
            },
        )
        .await;
        assert!(cleaned.load(Ordering::Relaxed));
        assert_eq!(e.code.as_deref(), Some("ResourceFailed"));
        assert!(
            e.message.contains("no capacity") && e.message.contains("was deleted"),
            "{}",
            e.message
        );

        let slow = ProviderError::with_code("WaitTimeout", "gave up waiting");
        let e = create_failed(slow, "endpoint", "e", async {
            panic!("a slow create must not be deleted");
        })
        .await;
        assert_eq!(e.code.as_deref(), Some("WaitTimeout"));
        assert!(e.message.contains("plinth import ADDRESS e"), "{}", e.message);
    }

    #[test]
    fn block_computed_attributes_follow_prior_by_position() {
        let inner = Schema::new("v")
            .attr("name", Attribute::required(Type::String))
            .attr("weight", Attribute::optional_computed(Type::Number));
        let schema = Schema::new("t").block("v", list(inner, 1, None, true));
        let cfg = Value::object([(
            "v",
            Value::List(vec![
                Value::object([("name", Value::string("a"))]),
                Value::object([("name", Value::string("b"))]),
            ]),
        )]);
        let prior = Value::object([(
            "v",
            Value::List(vec![Value::object([
                ("name", Value::string("a")),
                ("weight", Value::int(1)),
            ])]),
        )]);
        let filled = crate::util::fill_block_computed(&schema, &conform(&schema, &cfg), Some(&prior));
        let v = filled.get("v").as_list().cloned().unwrap_or_default();
        assert_eq!(v[0].get("weight"), &Value::int(1));
        assert_eq!(v[1].get("weight"), &Value::Unknown);
    }
}
