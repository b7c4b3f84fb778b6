//! S3: the bucket (`bucket`), the bucket's configuration sub-resources (one file per Terraform
//! type: `versioning`, `encryption`, `public_access_block`, `policy`, `lifecycle`,
//! `ownership_controls`, `acl`, `cors`, `accelerate`, `request_payment`, `logging`, `website`,
//! `object_lock`, `notification`, `replication`, `metadata`; and the named configurations, several per
//! bucket: `intelligent_tiering`, `metric`, `inventory`, `analytics`) and objects (`object`).
//!
//! Every sub-resource is one configuration of one bucket, read and written whole by a Get/Put/
//! Delete triple of S3 calls; [`BucketConfig`] is that shape and [`Sub`] turns it into an
//! [`AwsResource`]: the id is Terraform's (`BUCKET`, or `BUCKET,EXPECTED_BUCKET_OWNER`), refresh
//! is one Get per bucket (S3 has no call that reads many buckets' configurations), run a few at
//! a time, and a configuration that is absent (or a bucket that is gone) reads as gone. A named
//! configuration (one of several per bucket, told apart by `name`: [`named_schema`]) is the same
//! shape with Terraform's id `BUCKET:NAME`, the name reaching [`BucketConfig::get`] in its prior
//! value. What each configuration means, and how its blocks map to the API, is its own file's.
//! The filter pieces several configurations share (prefix, tags) are here.

pub mod accelerate;
pub mod acl;
pub mod analytics;
pub mod bucket;
pub mod cors;
pub mod encryption;
pub mod intelligent_tiering;
pub mod inventory;
pub mod lifecycle;
pub mod logging;
pub mod metadata;
pub mod metric;
pub mod notification;
pub mod object;
pub mod object_lock;
pub mod ownership_controls;
pub mod policy;
pub mod public_access_block;
pub mod replication;
pub mod request_payment;
pub mod versioning;
pub mod website;

use std::marker::PhantomData;

use async_trait::async_trait;
use aws_sdk_s3::types::Tag;
use aws_smithy_runtime_api::client::orchestrator::HttpResponse;
use aws_smithy_runtime_api::client::result::SdkError;
use aws_smithy_types::error::metadata::ProvideErrorMetadata;
use plinth_sdk::{Attribute, PlanRequest, PlanResponse, ProviderDiagnostic, ProviderError, Schema, Type, Value};

use crate::error::{aws_error, is_not_found};
use crate::util::{concurrently, map_of_strings, opt_str, req_str, str_map, string, wait_for};
use crate::{AwsDataSource, AwsResource, Ctx};

pub fn resources() -> Vec<Box<dyn AwsResource>> {
    vec![
        Box::new(bucket::S3Bucket),
        Box::new(Sub::<versioning::Versioning>::new()),
        Box::new(Sub::<encryption::Encryption>::new()),
        Box::new(Sub::<public_access_block::PublicAccessBlock>::new()),
        Box::new(Sub::<policy::BucketPolicy>::new()),
        Box::new(Sub::<lifecycle::Lifecycle>::new()),
        Box::new(Sub::<ownership_controls::OwnershipControls>::new()),
        Box::new(Sub::<acl::BucketAcl>::new()),
        Box::new(Sub::<cors::Cors>::new()),
        Box::new(Sub::<accelerate::Accelerate>::new()),
        Box::new(Sub::<request_payment::RequestPayment>::new()),
        Box::new(Sub::<logging::Logging>::new()),
        Box::new(Sub::<website::Website>::new()),
        Box::new(Sub::<object_lock::ObjectLock>::new()),
        Box::new(Sub::<notification::Notification>::new()),
        Box::new(Sub::<replication::Replication>::new()),
        Box::new(Sub::<intelligent_tiering::IntelligentTiering>::new()),
        Box::new(Sub::<metric::Metric>::new()),
        Box::new(Sub::<inventory::Inventory>::new()),
        Box::new(Sub::<analytics::Analytics>::new()),
        Box::new(Sub::<metadata::Metadata>::new()),
        Box::new(object::S3Object),
    ]
}

pub fn data_sources() -> Vec<Box<dyn AwsDataSource>> {
    vec![Box::new(object::S3ObjectData)]
}

/// The bucket a sub-resource configures, with the account expected to own it (S3 refuses the
/// call with 403 when another account owns the bucket).
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct BucketRef {
    pub bucket: String,
    pub owner: Option<String>,
}

impl BucketRef {
    /// From Terraform's id: `BUCKET` or `BUCKET,EXPECTED_BUCKET_OWNER`.
    pub fn parse(id: &str) -> Result<BucketRef, ProviderError> {
        let parts: Vec<&str> = id.split(',').collect();
        match parts.as_slice() {
            [b] if !b.is_empty() => Ok(BucketRef {
                bucket: b.to_string(),
                owner: None,
            }),
            [b, o] if !b.is_empty() && !o.is_empty() => Ok(BucketRef {
                bucket: b.to_string(),
                owner: Some(o.to_string()),
            }),
            _ => Err(ProviderError::with_code(
                "InvalidImportId",
                format!("{id:?}: expected BUCKET or BUCKET,EXPECTED_BUCKET_OWNER"),
            )),
        }
    }

    /// From a state or planned value: its `bucket` and `expected_bucket_owner`, else its id.
    pub fn of(v: &Value) -> Result<BucketRef, ProviderError> {
        match opt_str(v, "bucket") {
            Some(bucket) => Ok(BucketRef {
                bucket,
                owner: opt_str(v, "expected_bucket_owner"),
            }),
            None => BucketRef::parse(&req_str(v, "id")?),
        }
    }

    /// Terraform's id.
    pub fn id(&self) -> String {
        match &self.owner {
            Some(o) => format!("{},{o}", self.bucket),
            None => self.bucket.clone(),
        }
    }
}

/// One configuration of a bucket (see the module documentation).
#[async_trait]
pub(crate) trait BucketConfig: Send + Sync + 'static {
    const TYPE_NAME: &'static str;
    /// Whether the type has Terraform's `expected_bucket_owner` argument.
    const HAS_OWNER: bool = true;
    /// Whether the type is one of a bucket's named configurations (`name` in its schema): its id
    /// and import id are then `BUCKET:NAME`.
    const NAMED: bool = false;

    /// The type's own arguments and blocks (see [`sub_schema`]).
    fn schema() -> &'static Schema;

    fn validate(_config: &Value) -> Vec<ProviderDiagnostic> {
        Vec::new()
    }

    /// The default: the engine's rule, with unset optional+computed block attributes kept from
    /// the prior state ([`crate::util::plan_blocks`]).
    fn plan(_ctx: &Ctx, req: &PlanRequest) -> PlanResponse {
        crate::util::plan_blocks(Self::schema(), req)
    }

    /// The type's own attributes as S3 holds them now, `None` when the configuration (or the
    /// bucket) is gone. `prior` gives what S3 does not return (write-only arguments, the
    /// configuration's choice among equivalent forms).
    async fn get(ctx: &Ctx, b: &BucketRef, prior: &Value) -> Result<Option<Vec<(&'static str, Value)>>, ProviderError>;

    /// Terraform's id of the state: [`BucketRef::id`], or `BUCKET:NAME` for a named
    /// configuration.
    fn state_id(b: &BucketRef, attrs: &[(&'static str, Value)]) -> String {
        if Self::NAMED { named_id(b, attrs) } else { b.id() }
    }

    /// The bucket an import id names, and the prior value [`BucketConfig::get`] is given with it
    /// (what the id carries besides the bucket). The default: `BUCKET` or
    /// `BUCKET,EXPECTED_BUCKET_OWNER` (only `BUCKET` for a type without `expected_bucket_owner`).
    fn parse_import(id: &str) -> Result<(BucketRef, Value), ProviderError> {
        if Self::NAMED {
            return parse_named_import(id);
        }
        let b = BucketRef::parse(id)?;
        if b.owner.is_some() && !Self::HAS_OWNER {
            return Err(ProviderError::with_code(
                "InvalidImportId",
                format!("{id:?}: {} is imported with the bucket name alone", Self::TYPE_NAME),
            ));
        }
        Ok((b, Value::Null))
    }

    /// Writes the planned configuration (create and update alike).
    async fn put(ctx: &Ctx, b: &BucketRef, planned: &Value) -> Result<(), ProviderError>;

    /// Writes a change of an existing configuration from `prior`; the default is
    /// [`BucketConfig::put`] (a configuration S3 replaces whole). A type whose API updates parts
    /// separately overrides it.
    async fn change(ctx: &Ctx, b: &BucketRef, _prior: &Value, planned: &Value) -> Result<(), ProviderError> {
        Self::put(ctx, b, planned).await
    }

    /// Removes the configuration (or does what Terraform's destroy does for it).
    async fn remove(ctx: &Ctx, b: &BucketRef, prior: &Value) -> Result<(), ProviderError>;
}

/// A sub-resource's schema: `bucket` (required, force-new), `expected_bucket_owner` (when the
/// type has it), `id`, then the type's own `body`.
pub(crate) fn sub_schema(body: Schema, has_owner: bool) -> Schema {
    let mut s = body
        .attr(
            "bucket",
            Attribute::required(Type::String)
                .force_new()
                .describe("Name of the bucket; a change replaces the configuration."),
        )
        .attr(
            "id",
            Attribute::computed(Type::String).describe(if has_owner {
                "The bucket name, or `BUCKET,EXPECTED_BUCKET_OWNER` when `expected_bucket_owner` is set."
            } else {
                "The bucket name."
            }),
        );
    if has_owner {
        s = s.attr(
            "expected_bucket_owner",
            Attribute::optional(Type::String).force_new().describe(
                "Account id expected to own the bucket: S3 refuses every call (403) when another account owns it.",
            ),
        );
    }
    s.identity(&["bucket"])
}

/// A named configuration's schema (one of several per bucket: intelligent tiering, metrics,
/// inventory, analytics): [`sub_schema`] without `expected_bucket_owner` (Terraform's named
/// types have none), plus `name` (required, force-new); the identity is the pair.
pub(crate) fn named_schema(body: Schema, name: &str) -> Schema {
    sub_schema(
        body.attr(
            "name",
            Attribute::required(Type::String)
                .force_new()
                .describe(&format!("{name}; a change replaces the configuration.")),
        ),
        false,
    )
    .attr("id", Attribute::computed(Type::String).describe("`BUCKET:NAME`."))
    .identity(&["bucket", "name"])
}

/// The name of a named configuration, from its state, plan or import prior.
pub(crate) fn name_of(v: &Value) -> Result<String, ProviderError> {
    req_str(v, "name")
}

/// A named configuration's Terraform id, `BUCKET:NAME` (its [`BucketConfig::state_id`]).
fn named_id(b: &BucketRef, attrs: &[(&'static str, Value)]) -> String {
    let name = attrs
        .iter()
        .find(|(k, _)| *k == "name")
        .and_then(|(_, v)| v.as_str())
        .unwrap_or_default();
    format!("{}:{name}", b.bucket)
}

/// A named configuration's import id, `BUCKET:NAME` (its [`BucketConfig::parse_import`]): the
/// bucket, and the name as the prior value.
fn parse_named_import(id: &str) -> Result<(BucketRef, Value), ProviderError> {
    match id.split_once(':') {
        Some((b, n)) if !b.is_empty() && !n.is_empty() => Ok((
            BucketRef {
                bucket: b.to_string(),
                owner: None,
            },
            Value::object([("name", string(n))]),
        )),
        _ => Err(ProviderError::with_code(
            "InvalidImportId",
            format!("{id:?}: expected BUCKET:NAME"),
        )),
    }
}

/// A [`BucketConfig`] as a resource type.
pub(crate) struct Sub<T>(PhantomData<T>);

impl<T> Sub<T> {
    pub fn new() -> Self {
        Sub(PhantomData)
    }
}

fn to_value<T: BucketConfig>(b: &BucketRef, attrs: Vec<(&'static str, Value)>) -> Value {
    let mut m = vec![("id", string(T::state_id(b, &attrs))), ("bucket", string(&b.bucket))];
    if T::HAS_OWNER {
        m.push((
            "expected_bucket_owner",
            b.owner.clone().map(Value::String).unwrap_or(Value::Null),
        ));
    }
    m.extend(attrs);
    crate::util::conform(T::schema(), &Value::object(m))
}

async fn read_one<T: BucketConfig>(ctx: &Ctx, b: &BucketRef, prior: &Value) -> Result<Option<Value>, ProviderError> {
    Ok(T::get(ctx, b, prior).await?.map(|attrs| to_value::<T>(b, attrs)))
}

#[async_trait]
impl<T: BucketConfig> AwsResource for Sub<T> {
    fn type_name(&self) -> &'static str {
        T::TYPE_NAME
    }

    fn schema(&self) -> &Schema {
        T::schema()
    }

    fn validate(&self, config: &Value) -> Vec<ProviderDiagnostic> {
        T::validate(config)
    }

    fn plan(&self, ctx: &Ctx, req: &PlanRequest) -> PlanResponse {
        T::plan(ctx, req)
    }

    async fn create(&self, ctx: &Ctx, planned: &Value) -> Result<Value, ProviderError> {
        let b = BucketRef::of(planned)?;
        T::put(ctx, &b, planned).await?;
        // S3 is eventually consistent: a configuration just written may not read back at once.
        wait_for(
            ctx,
            &format!("{} of bucket {} to appear", T::TYPE_NAME, b.bucket),
            || read_one::<T>(ctx, &b, planned),
        )
        .await
    }

    async fn update(&self, ctx: &Ctx, prior: &Value, planned: &Value) -> Result<Value, ProviderError> {
        let b = BucketRef::of(planned)?;
        T::change(ctx, &b, prior, planned).await?;
        read_one::<T>(ctx, &b, planned).await?.ok_or_else(|| {
            ProviderError::with_code(
                "NotFound",
                format!(
                    "{} of bucket {} disappeared after it was written",
                    T::TYPE_NAME,
                    b.bucket
                ),
            )
        })
    }

    async fn delete(&self, ctx: &Ctx, prior: &Value) -> Result<(), ProviderError> {
        T::remove(ctx, &BucketRef::of(prior)?, prior).await
    }

    async fn read(&self, ctx: &Ctx, states: &[Value]) -> Result<Vec<Option<Value>>, ProviderError> {
        concurrently(states.to_vec(), |s| {
            let ctx = ctx.clone();
            async move {
                match BucketRef::of(&s) {
                    Ok(b) => read_one::<T>(&ctx, &b, &s).await,
                    Err(_) => Ok(None),
                }
            }
        })
        .await
    }

    async fn import(&self, ctx: &Ctx, id: &str) -> Result<Value, ProviderError> {
        let (b, prior) = T::parse_import(id)?;
        read_one::<T>(ctx, &b, &prior).await?.ok_or_else(|| {
            ProviderError::with_code(
                "NotFound",
                format!("bucket {} has no {} (or does not exist)", b.bucket, T::TYPE_NAME),
            )
        })
    }
}

/// A Get call's answer: `Ok(None)` when S3 says the configuration or the bucket does not exist
/// (NoSuchBucket, NoSuchBucketPolicy, ServerSideEncryptionConfigurationNotFoundError, ...).
pub(crate) fn got<T, E>(r: Result<T, SdkError<E, HttpResponse>>) -> Result<Option<T>, ProviderError>
where
    E: ProvideErrorMetadata + std::error::Error + Send + Sync + 'static,
{
    match r {
        Ok(v) => Ok(Some(v)),
        Err(e) if is_not_found(&e) => Ok(None),
        Err(e) => Err(aws_error(e)),
    }
}

/// A Put or Delete call's answer: a bucket or configuration already gone is fine for a delete
/// (`missing_ok`), an error otherwise.
pub(crate) fn done<T, E>(r: Result<T, SdkError<E, HttpResponse>>, missing_ok: bool) -> Result<(), ProviderError>
where
    E: ProvideErrorMetadata + std::error::Error + Send + Sync + 'static,
{
    match r {
        Ok(_) => Ok(()),
        Err(e) if missing_ok && is_not_found(&e) => Ok(()),
        Err(e) => Err(aws_error(e)),
    }
}

/// A bool attribute that S3 leaves out when false.
pub(crate) fn flag(b: Option<bool>) -> Value {
    Value::Bool(b.unwrap_or(false))
}

/// A validation error about one attribute (by path text, `rule[0].status`).
pub(crate) use crate::util::error_at as invalid;

/// An error for a value S3's SDK builder refused (a required field left out).
pub(crate) fn build_error(what: &str, e: impl std::fmt::Display) -> ProviderError {
    ProviderError::with_code("InvalidParameterValue", format!("{what}: {e}"))
}

/// After the plan: an argument with a Terraform default (`false`, `"Enabled"`) left unset is
/// planned at its default, so removing it from the configuration is a change back to the
/// default, as in Terraform.
pub(crate) fn plan_defaults(resp: &mut PlanResponse, defaults: &[(&str, Value)], config: &Value) {
    if let Value::Map(m) = &mut resp.planned {
        for (name, default) in defaults {
            if config.get(name).is_null() {
                m.insert(name.to_string(), default.clone());
            }
        }
    }
}

/// A bool S3 may report as false or leave out: reported as the prior null when the
/// configuration left it unset (Terraform treats an unset bool and false alike), as the bool
/// otherwise.
pub(crate) fn bool_like_prior(live: Option<bool>, prior: &Value) -> Value {
    match live {
        Some(true) => Value::Bool(true),
        _ if prior.is_null() => Value::Null,
        _ => Value::Bool(false),
    }
}

/// A number for state from an AWS integer.
pub(crate) fn int(n: Option<impl Into<i64>>) -> Value {
    n.map(|n| Value::int(n.into())).unwrap_or(Value::Null)
}

/// An optional filter prefix for state: S3's empty prefix is the configuration's null.
pub(crate) fn prefix(live: Option<&str>, prior: &Value) -> Value {
    match live {
        Some("") | None if prior.as_str() != Some("") => Value::Null,
        Some(p) => string(p),
        None => Value::Null,
    }
}

/// A filter's tags for state (a map), null when there are none.
pub(crate) fn tags_of(tags: &[Tag]) -> Value {
    if tags.is_empty() {
        return Value::Null;
    }
    let m = tags
        .iter()
        .map(|t| (t.key().to_string(), t.value().to_string()))
        .collect();
    map_of_strings(&m)
}

/// The map of strings at `key` of `v` as S3 tags.
pub(crate) fn tags_from(v: &Value, key: &str) -> Vec<Tag> {
    str_map(v, key)
        .into_iter()
        .filter_map(|(k, v)| Tag::builder().key(k).value(v).build().ok())
        .collect()
}
