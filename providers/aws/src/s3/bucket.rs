//! `aws_s3_bucket`.
//!
//! Refresh costs one GetBucketTagging per bucket (run a few at a time): it proves the bucket
//! exists (NoSuchBucket otherwise) and returns its tags; S3 has no call that returns the tags
//! of many buckets. `object_lock_enabled` is read on import (GetObjectLockConfiguration) and kept
//! from creation otherwise: reading it on every refresh would double the cost, to catch a change
//! that is rare (object lock can be turned on later, never off). The bucket's region is kept from creation or import (HeadBucket).
//! Destroy refuses a non-empty bucket unless `force_destroy` is true, in which case every object
//! version and delete marker is deleted first, 1,000 per DeleteObjects call.

use std::collections::BTreeMap;
use std::sync::LazyLock;

use async_trait::async_trait;
use aws_sdk_s3::types::{BucketLocationConstraint, CreateBucketConfiguration, Delete, ObjectIdentifier, Tag, Tagging};
use futures::FutureExt as _;
use plinth_sdk::plan::default_plan;
use plinth_sdk::{
    AttrPath, Attribute, PlanRequest, PlanResponse, ProviderDiagnostic, ProviderError, Schema, Severity, Type, Value,
};

use crate::error::{aws_error, code_of, is_not_found};
use crate::idempotent::{self, Creating};
use crate::tags::{plan_tags_all, tag_values, tags_from, with_tags_described};
use crate::util::{opt_bool, opt_str, read_each, req_str, str_map, string, wait_for, wait_gone, with_generated_name};
use crate::{AwsResource, Ctx};

pub struct S3Bucket;

static SCHEMA: LazyLock<Schema> = LazyLock::new(|| {
    let schema = with_generated_name(
        Schema::new(
            "An S3 bucket: training data, model artifacts, pipeline outputs. Created in its `region` (default the provider's). \
             Import with the bucket name.",
        ),
        ("bucket", "bucket_prefix"),
        "Bucket name (globally unique)",
    )
    .attr(
        "force_destroy",
        Attribute::optional_computed(Type::Bool).describe(
            "Delete every object (all versions) when the bucket is destroyed (default false: a non-empty bucket \
             refuses to be destroyed). Applies from the state, so set it and apply before destroying. Not read \
             from AWS.",
        ),
    )
    .attr("id", Attribute::computed(Type::String).describe("The bucket name."))
    .attr(
        "arn",
        Attribute::computed(Type::String).describe("The bucket ARN (arn:aws:s3:::NAME)."),
    )
    .attr(
        "bucket_domain_name",
        Attribute::computed(Type::String).describe("NAME.s3.amazonaws.com."),
    )
    .attr(
        "bucket_regional_domain_name",
        Attribute::computed(Type::String).describe("NAME.s3.REGION.amazonaws.com."),
    )
    .attr(
        "object_lock_enabled",
        Attribute::optional_computed(Type::Bool).force_new().describe(
            "Create the bucket with S3 Object Lock enabled (default false; this also turns versioning on). A change \
             replaces the bucket. Read on import; refresh keeps it (object lock turned on outside Plinth is not \
             seen, to keep refresh at one call per bucket).",
        ),
    )
    .attr(
        "region",
        Attribute::optional_computed(Type::String).force_new().describe(
            "The region the bucket lives in (Terraform's per-resource region): default the provider \
             configuration's region. A change replaces the bucket. Import reads the bucket's location.",
        ),
    )
    .unsupported(
        "acl",
        "the bucket's acl argument is deprecated in Terraform's AWS provider, and new buckets have ACLs disabled \
         (object ownership BucketOwnerEnforced): grant access with a bucket policy instead",
    )
    .unsupported_all(
        &["acceleration_status", "policy", "request_payer"],
        "deprecated in Terraform's AWS provider in favour of a separate resource (aws_s3_bucket_accelerate_configuration, \
         aws_s3_bucket_policy, aws_s3_bucket_request_payment_configuration); Plinth does not manage it on the bucket",
    )
    .unsupported_blocks(
        &[
            "cors_rule",
            "grant",
            "lifecycle_rule",
            "logging",
            "object_lock_configuration",
            "replication_configuration",
            "server_side_encryption_configuration",
            "versioning",
            "website",
        ],
        "deprecated in Terraform's AWS provider in favour of the separate aws_s3_bucket_<block name> resource \
         (aws_s3_bucket_versioning, aws_s3_bucket_server_side_encryption_configuration, ...); Plinth does not \
         manage it on the bucket",
    );
    with_tags_described(schema, "Tags of the bucket.").identity(&["bucket"])
});

pub(crate) fn partition(region: &str) -> (&'static str, &'static str) {
    if region.starts_with("cn-") {
        ("aws-cn", "amazonaws.com.cn")
    } else if region.starts_with("us-gov-") {
        ("aws-us-gov", "amazonaws.com")
    } else {
        ("aws", "amazonaws.com")
    }
}

fn to_value(
    ctx: &Ctx,
    bucket: &str,
    region: &str,
    all: &BTreeMap<String, String>,
    locked: bool,
    prior: &Value,
) -> Value {
    let (partition, dns) = partition(region);
    let (tags, tags_all) = tag_values(ctx, all, prior);
    Value::object([
        ("id", string(bucket)),
        ("bucket", string(bucket)),
        ("bucket_prefix", prior.get("bucket_prefix").clone()),
        (
            "force_destroy",
            Value::Bool(opt_bool(prior, "force_destroy").unwrap_or(false)),
        ),
        ("arn", string(format!("arn:{partition}:s3:::{bucket}"))),
        ("bucket_domain_name", string(format!("{bucket}.s3.{dns}"))),
        (
            "bucket_regional_domain_name",
            string(format!("{bucket}.s3.{region}.{dns}")),
        ),
        ("object_lock_enabled", Value::Bool(locked)),
        ("region", string(region)),
        ("tags", tags),
        ("tags_all", tags_all),
    ])
}

/// The bucket's tags; `None` when the bucket does not exist.
async fn get_tags(ctx: &Ctx, bucket: &str) -> Result<Option<BTreeMap<String, String>>, ProviderError> {
    Ok(all_tags(ctx, bucket)
        .await?
        .map(|all| tags_from(all.iter().map(|(k, v)| (Some(k.as_str()), Some(v.as_str()))))))
}

/// Every tag on the bucket, Plinth's bookkeeping tags included; `None` when the bucket does not
/// exist.
async fn all_tags(ctx: &Ctx, bucket: &str) -> Result<Option<Vec<(String, String)>>, ProviderError> {
    match ctx.s3.get_bucket_tagging().bucket(bucket).send().boxed().await {
        Ok(resp) => Ok(Some(
            resp.tag_set()
                .iter()
                .map(|t| (t.key().to_string(), t.value().to_string()))
                .collect(),
        )),
        // Checked before is_not_found: NoSuchTagSet means "exists, untagged".
        Err(e) if code_of(&e) == Some("NoSuchTagSet") => Ok(Some(Vec::new())),
        Err(e) if is_not_found(&e) => Ok(None),
        Err(e) => Err(aws_error(e)),
    }
}

/// After CreateBucket was answered "already exists" (`err`): goes on with the bucket when its
/// bookkeeping tags say an earlier, interrupted attempt of this create made it; else `err`, with
/// how to import the bucket.
async fn adopt(ctx: &Ctx, creating: &Creating, bucket: &str, err: ProviderError) -> Result<(), ProviderError> {
    let tags = all_tags(ctx, bucket).await?;
    let pairs = tags
        .as_ref()
        .map(|t| t.iter().map(|(k, v)| (Some(k.as_str()), Some(v.as_str()))));
    creating.adopt_or_refuse(bucket, pairs, err)
}

/// Whether object lock is on (GetObjectLockConfiguration; a bucket without it answers
/// ObjectLockConfigurationNotFoundError).
async fn get_object_lock(ctx: &Ctx, bucket: &str) -> Result<bool, ProviderError> {
    match ctx
        .s3
        .get_object_lock_configuration()
        .bucket(bucket)
        .send()
        .boxed()
        .await
    {
        Ok(resp) => Ok(resp
            .object_lock_configuration()
            .and_then(|c| c.object_lock_enabled())
            .is_some_and(|e| e.as_str() == "Enabled")),
        Err(e) if code_of(&e) == Some("ObjectLockConfigurationNotFoundError") => Ok(false),
        Err(e) => Err(aws_error(e)),
    }
}

/// HeadBucket: the bucket's region; `None` when it does not exist.
async fn head(ctx: &Ctx, bucket: &str) -> Result<Option<String>, ProviderError> {
    match ctx.s3.head_bucket().bucket(bucket).send().boxed().await {
        Ok(resp) => Ok(Some(resp.bucket_region().unwrap_or(&ctx.region).to_string())),
        Err(e) if is_not_found(&e) || e.raw_response().is_some_and(|r| r.status().as_u16() == 404) => Ok(None),
        Err(e) => Err(aws_error(e)),
    }
}

async fn put_tags(
    ctx: &Ctx,
    bucket: &str,
    have: Option<&BTreeMap<String, String>>,
    want: &BTreeMap<String, String>,
) -> Result<(), ProviderError> {
    if have == Some(want) {
        return Ok(());
    }
    if want.is_empty() {
        ctx.s3
            .delete_bucket_tagging()
            .bucket(bucket)
            .send()
            .boxed()
            .await
            .map_err(aws_error)?;
        return Ok(());
    }
    let tags = want
        .iter()
        .map(|(k, v)| Tag::builder().key(k).value(v).build())
        .collect::<Result<Vec<_>, _>>()
        .map_err(|e| ProviderError::with_code("InvalidTag", e.to_string()))?;
    let tagging = Tagging::builder()
        .set_tag_set(Some(tags))
        .build()
        .map_err(|e| ProviderError::with_code("InvalidTag", e.to_string()))?;
    ctx.s3
        .put_bucket_tagging()
        .bucket(bucket)
        .tagging(tagging)
        .send()
        .boxed()
        .await
        .map_err(aws_error)?;
    Ok(())
}

/// CreateBucket with `tags` (the configured and the bookkeeping ones: the bucket never exists
/// untagged, where S3 honours them); a bucket this account already owns under the name is
/// adopted as [`adopt`] says. Tags on CreateBucket need `s3:TagResource` beside `s3:CreateBucket`:
/// a create with tags answered `AccessDenied` is sent again without them (the caller's
/// PutBucketTagging right after tags the bucket, as before S3 took tags on create).
async fn create_bucket(
    ctx: &Ctx,
    creating: &Creating,
    bucket: &str,
    locked: bool,
    tags: &BTreeMap<String, String>,
) -> Result<(), ProviderError> {
    let tags = tags
        .iter()
        .map(|(k, v)| Tag::builder().key(k).value(v).build())
        .collect::<Result<Vec<_>, _>>()
        .map_err(|e| ProviderError::with_code("InvalidTag", e.to_string()))?;
    // us-east-1 is the default location and must not be named.
    let location = (ctx.region != "us-east-1").then(|| BucketLocationConstraint::from(ctx.region.as_str()));
    let send = |tags: Option<Vec<Tag>>| {
        let mut req = ctx
            .s3
            .create_bucket()
            .bucket(bucket)
            .set_object_lock_enabled_for_bucket(locked.then_some(true));
        if location.is_some() || tags.is_some() {
            req = req.create_bucket_configuration(
                CreateBucketConfiguration::builder()
                    .set_location_constraint(location.clone())
                    .set_tags(tags)
                    .build(),
            );
        }
        async move { req.send().boxed().await.map_err(aws_error) }
    };
    let tagged = (!tags.is_empty()).then_some(tags);
    let mut answer = send(tagged.clone()).await;
    if tagged.is_some() && matches!(&answer, Err(e) if e.code.as_deref() == Some("AccessDenied")) {
        answer = send(None).await;
    }
    match answer {
        Ok(_) => {}
        Err(e) if e.code.as_deref() == Some("BucketAlreadyOwnedByYou") => {
            adopt(ctx, creating, bucket, e).await?;
        }
        Err(e) => return Err(e),
    }
    Ok(())
}

/// Deletes every object version and delete marker, a page (up to 1,000) per DeleteObjects.
async fn empty_bucket(ctx: &Ctx, bucket: &str) -> Result<u64, ProviderError> {
    let mut deleted = 0u64;
    let (mut key_marker, mut version_marker): (Option<String>, Option<String>) = (None, None);
    loop {
        let page = match ctx
            .s3
            .list_object_versions()
            .bucket(bucket)
            .set_key_marker(key_marker.clone())
            .set_version_id_marker(version_marker.clone())
            .send()
            .boxed()
            .await
        {
            Ok(p) => p,
            Err(e) if is_not_found(&e) => return Ok(deleted),
            Err(e) => return Err(aws_error(e)),
        };
        let mut ids = Vec::new();
        let versions = page.versions().iter().map(|v| (v.key(), v.version_id()));
        let markers = page.delete_markers().iter().map(|m| (m.key(), m.version_id()));
        for (key, version) in versions.chain(markers) {
            let Some(key) = key else { continue };
            ids.push(
                ObjectIdentifier::builder()
                    .key(key)
                    .set_version_id(version.map(str::to_string))
                    .build()
                    .map_err(|e| ProviderError::new(e.to_string()))?,
            );
        }
        if !ids.is_empty() {
            let n = ids.len() as u64;
            let delete = Delete::builder()
                .set_objects(Some(ids))
                .quiet(true)
                .build()
                .map_err(|e| ProviderError::new(e.to_string()))?;
            let resp = ctx
                .s3
                .delete_objects()
                .bucket(bucket)
                .delete(delete)
                .send()
                .boxed()
                .await
                .map_err(aws_error)?;
            if let Some(err) = resp.errors().first() {
                return Err(ProviderError::with_code(
                    err.code().unwrap_or("DeleteObjectsFailed"),
                    format!(
                        "emptying bucket {bucket}: could not delete {:?}: {} ({} objects failed)",
                        err.key().unwrap_or_default(),
                        err.message().unwrap_or_default(),
                        resp.errors().len()
                    ),
                ));
            }
            deleted += n;
        }
        if page.is_truncated() != Some(true) {
            return Ok(deleted);
        }
        key_marker = page.next_key_marker().map(str::to_string);
        version_marker = page.next_version_id_marker().map(str::to_string);
    }
}

/// DeleteBucket; `Ok(false)` when the bucket is not empty.
async fn try_delete(ctx: &Ctx, bucket: &str) -> Result<bool, ProviderError> {
    match ctx.s3.delete_bucket().bucket(bucket).send().boxed().await {
        Ok(_) => Ok(true),
        Err(e) if code_of(&e) == Some("BucketNotEmpty") => Ok(false),
        Err(e) if is_not_found(&e) => Ok(true),
        Err(e) => Err(aws_error(e)),
    }
}

fn check_bucket_name(config: &Value) -> Vec<ProviderDiagnostic> {
    let Some(name) = config.get("bucket").as_str() else {
        return Vec::new();
    };
    let ok_chars = name
        .bytes()
        .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'.' || b == b'-');
    let ok_ends = name
        .bytes()
        .next()
        .zip(name.bytes().last())
        .is_some_and(|(a, z)| a.is_ascii_alphanumeric() && z.is_ascii_alphanumeric());
    if (3..=63).contains(&name.len()) && ok_chars && ok_ends {
        return Vec::new();
    }
    vec![ProviderDiagnostic {
        severity: Severity::Error,
        summary: "Invalid bucket name".into(),
        detail: format!(
            "{name:?}: a bucket name has 3 to 63 lowercase letters, digits, dots and hyphens, and begins and ends \
             with a letter or digit"
        ),
        attribute: Some(AttrPath::attr("bucket")),
    }]
}

#[async_trait]
impl AwsResource for S3Bucket {
    fn type_name(&self) -> &'static str {
        "aws_s3_bucket"
    }

    fn schema(&self) -> &Schema {
        &SCHEMA
    }

    fn validate(&self, config: &Value) -> Vec<ProviderDiagnostic> {
        let mut d = check_bucket_name(config);
        if !config.get("bucket").is_null() && !config.get("bucket_prefix").is_null() {
            d.push(ProviderDiagnostic {
                severity: Severity::Error,
                summary: "Conflicting attributes".into(),
                detail: "bucket and bucket_prefix cannot both be set".into(),
                attribute: Some(AttrPath::attr("bucket_prefix")),
            });
        }
        d
    }

    fn plan(&self, ctx: &Ctx, req: &PlanRequest) -> PlanResponse {
        let mut resp = default_plan(self.schema(), req.prior.as_ref(), &req.config);
        plan_tags_all(ctx, &req.config, &mut resp.planned);
        resp
    }

    async fn create(&self, ctx: &Ctx, planned: &Value) -> Result<Value, ProviderError> {
        self.create_as(ctx, planned, &Creating::default()).await
    }

    /// Safe to repeat after a crash (see `docs/reliability.md`): the bucket gets Plinth's
    /// bookkeeping tags, a generated name is derived from the planned change, and a bucket this
    /// account already owns under the name is adopted when its bookkeeping tags name this
    /// address and state; any other existing bucket is an error saying how to import it.
    async fn create_as(&self, ctx: &Ctx, planned: &Value, creating: &Creating) -> Result<Value, ProviderError> {
        let bucket = creating.name(planned, "bucket", "bucket_prefix", "plinth-");
        let tags = ctx.merged_tags(planned.get("tags"));
        let exists = || {
            ProviderError::with_code(
                "BucketAlreadyOwnedByYou",
                format!("bucket {bucket} already exists in this account"),
            )
        };
        // In us-east-1 S3 answers CreateBucket for a bucket this account already owns with
        // 200 OK (a legacy rule; other regions say BucketAlreadyOwnedByYou). Adopting it
        // silently would let two configurations manage, and force-destroy, the same data: only
        // a bucket tagged as this create's is adopted.
        let locked = opt_bool(planned, "object_lock_enabled").unwrap_or(false);
        if ctx.region == "us-east-1" && head(ctx, &bucket).await?.is_some() {
            adopt(ctx, creating, &bucket, exists()).await?;
        } else {
            create_bucket(ctx, creating, &bucket, locked, &creating.with_tags(tags.clone())).await?;
        }
        wait_for(ctx, &format!("bucket {bucket} to exist"), || async {
            Ok(head(ctx, &bucket).await?.map(|_| ()))
        })
        .await?;
        // Again after the create: an emulator may drop CreateBucket's tags (moto does), and an
        // adopted bucket gets the configured tags of now.
        put_tags(ctx, &bucket, Some(&BTreeMap::new()), &creating.with_tags(tags.clone())).await?;
        Ok(to_value(ctx, &bucket, &ctx.region, &tags, locked, planned))
    }

    async fn update(&self, ctx: &Ctx, prior: &Value, planned: &Value) -> Result<Value, ProviderError> {
        let bucket = req_str(prior, "id")?;
        let region = opt_str(prior, "region").unwrap_or_else(|| ctx.region.clone());
        let want = ctx.merged_tags(planned.get("tags"));
        if str_map(prior, "tags_all") != want {
            // PutBucketTagging replaces every tag: Plinth's bookkeeping tags are kept.
            let mut all = want.clone();
            all.extend(
                all_tags(ctx, &bucket)
                    .await?
                    .unwrap_or_default()
                    .into_iter()
                    .filter(|(k, _)| k.starts_with(idempotent::PREFIX)),
            );
            put_tags(ctx, &bucket, None, &all).await?;
        }
        let locked = opt_bool(prior, "object_lock_enabled").unwrap_or(false);
        Ok(to_value(ctx, &bucket, &region, &want, locked, planned))
    }

    async fn delete(&self, ctx: &Ctx, prior: &Value) -> Result<(), ProviderError> {
        let bucket = req_str(prior, "id")?;
        let force = opt_bool(prior, "force_destroy").unwrap_or(false);
        let mut attempts = 0;
        while !try_delete(ctx, &bucket).await? {
            attempts += 1;
            if !force {
                return Err(ProviderError::with_code(
                    "BucketNotEmpty",
                    format!(
                        "bucket {bucket} is not empty, and force_destroy is false: empty it first, or set \
                         force_destroy = true and apply before destroying (that deletes every object in it)"
                    ),
                ));
            }
            if attempts > 5 {
                return Err(ProviderError::with_code(
                    "BucketNotEmpty",
                    format!("bucket {bucket} kept receiving new objects while it was being emptied"),
                ));
            }
            let n = empty_bucket(ctx, &bucket).await?;
            tracing::info!(bucket = %bucket, objects = n, "emptied bucket for force_destroy");
        }
        wait_gone(ctx, &format!("bucket {bucket}"), || async {
            Ok(head(ctx, &bucket).await?.is_some())
        })
        .await
    }

    async fn read(&self, ctx: &Ctx, states: &[Value]) -> Result<Vec<Option<Value>>, ProviderError> {
        let found = read_each(ctx, states, "id", |ctx, n| async move { get_tags(&ctx, &n).await }).await?;
        Ok(states
            .iter()
            .zip(found)
            .map(|(s, tags)| {
                let tags = tags?;
                let lock = opt_bool(s, "object_lock_enabled").unwrap_or(false);
                let bucket = opt_str(s, "id")?;
                let region = opt_str(s, "region").unwrap_or_else(|| ctx.region.clone());
                Some(to_value(ctx, &bucket, &region, &tags, lock, s))
            })
            .collect())
    }

    async fn import(&self, ctx: &Ctx, id: &str) -> Result<Value, ProviderError> {
        let region = head(ctx, id)
            .await?
            .ok_or_else(|| ProviderError::with_code("NoSuchBucket", format!("no S3 bucket named {id}")))?;
        let tags = get_tags(ctx, id)
            .await?
            .ok_or_else(|| ProviderError::with_code("NoSuchBucket", format!("no S3 bucket named {id}")))?;
        let lock = get_object_lock(ctx, id).await?;
        Ok(to_value(ctx, id, &region, &tags, lock, &Value::Null))
    }
}
