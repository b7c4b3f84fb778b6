//! `aws_s3_object` (one object: its bytes from `content`, `content_base64` or the file `source`,
//! its headers, metadata and tags) and the data source `aws_s3_object`.
//!
//! Refresh costs two calls per object, run a few at a time: HeadObject (etag, headers, metadata,
//! encryption, storage class, version) and GetObjectTagging; S3 has no call that describes many
//! objects with their headers. The bytes are never read back: a change made out of band shows as
//! a new `etag`, and the plan, which computes the MD5 of the configured bytes (reading `source`
//! at plan time), uploads them again. Objects encrypted with KMS have an etag that is no MD5, so,
//! as in Terraform, their content changes are seen through `content`/`source_hash` only. Every
//! change but tags alone re-uploads the object in place (PutObject), as Terraform does; a new
//! `bucket` or `key` replaces it. Destroy deletes every version of the key.

use std::collections::{BTreeMap, HashMap};
use std::sync::LazyLock;

use async_trait::async_trait;
use aws_sdk_s3::primitives::ByteStream;
use aws_sdk_s3::types::{ObjectIdentifier, ServerSideEncryption, StorageClass, Tag, Tagging};
use base64::Engine as _;
use futures::FutureExt as _;
use md5::Digest as _;
use plinth_sdk::Map;
use plinth_sdk::plan::{default_plan, same};
use plinth_sdk::{Attribute, PlanRequest, PlanResponse, ProviderDiagnostic, ProviderError, Schema, Type, Value};

use super::bucket::partition;
use super::{bool_like_prior, build_error, invalid};
use crate::error::{aws_error, is_not_found};
use crate::tags::{plan_tags_all, tag_values, tags_from, with_tags_described};
use crate::util::{concurrently, map_of_strings, opt_bool, opt_str, opt_string, req_str, str_map, string};
use crate::{AwsDataSource, AwsResource, Ctx};

pub struct S3Object;

/// Arguments that are the object's bytes: a change uploads it again.
const CONTENT: [&str; 4] = ["content", "content_base64", "source", "source_hash"];

/// Headers and settings sent with the upload: a change uploads it again too.
const HEADERS: [&str; 12] = [
    "cache_control",
    "content_disposition",
    "content_encoding",
    "content_language",
    "content_type",
    "website_redirect",
    "metadata",
    "server_side_encryption",
    "kms_key_id",
    "bucket_key_enabled",
    "storage_class",
    "etag",
];

fn opt(ty: Type, description: &str) -> Attribute {
    Attribute::optional(ty).describe(description)
}

fn opt_computed(ty: Type, description: &str) -> Attribute {
    Attribute::optional_computed(ty).describe(description)
}

static SCHEMA: LazyLock<Schema> =
    LazyLock::new(|| {
        let s = Schema::new(
        "An S3 object: a model artifact, a config file, a small dataset. Uploaded whole with one PutObject (up to \
         5 GB). Import with `BUCKET/KEY` or `s3://BUCKET/KEY`.",
    )
    .attr(
        "bucket",
        Attribute::required(Type::String).force_new().describe("The bucket; a change replaces the object."),
    )
    .attr(
        "key",
        Attribute::required(Type::String).force_new().describe("The object's key; a change replaces the object."),
    )
    .attr(
        "source",
        opt(
            Type::String,
            "Path of a file to upload (read at plan time for its MD5, and at apply). Conflicts with content and \
             content_base64.",
        ),
    )
    .attr("content", opt(Type::String, "The bytes to upload, as UTF-8 text."))
    .attr(
        "content_base64",
        opt(Type::String, "The bytes to upload, base64-encoded (binary data)."),
    )
    .attr(
        "source_hash",
        opt(
            Type::String,
            "Any text (filemd5(source)): a change uploads again. Kept in state only; for KMS-encrypted objects, \
             whose etag is no MD5.",
        ),
    )
    .attr(
        "etag",
        opt_computed(
            Type::String,
            "The object's ETag: the MD5 of its bytes for an upload that is not KMS-encrypted. Computed at plan time \
             from content, content_base64 or source; setting it (filemd5(source)) is allowed, as in Terraform.",
        ),
    )
    .attr(
        "content_type",
        opt_computed(Type::String, "MIME type; S3 defaults to binary/octet-stream."),
    )
    .attr("cache_control", opt(Type::String, "The Cache-Control header."))
    .attr("content_disposition", opt(Type::String, "The Content-Disposition header."))
    .attr("content_encoding", opt(Type::String, "The Content-Encoding header."))
    .attr("content_language", opt(Type::String, "The Content-Language header."))
    .attr(
        "website_redirect",
        opt(Type::String, "Redirect target when the bucket serves a website."),
    )
    .attr(
        "metadata",
        opt(
            Type::Map(Box::new(Type::String)),
            "User metadata (x-amz-meta-*); keys lowercase, as S3 returns them.",
        ),
    )
    .attr(
        "server_side_encryption",
        opt_computed(Type::String, "`AES256`, `aws:kms` or `aws:kms:dsse`; default the bucket's."),
    )
    .attr(
        "kms_key_id",
        opt_computed(Type::String, "KMS key ARN for aws:kms; default the bucket's or S3's key."),
    )
    .attr(
        "bucket_key_enabled",
        opt_computed(Type::Bool, "Use an S3 Bucket Key for SSE-KMS."),
    )
    .attr(
        "storage_class",
        opt_computed(
            Type::String,
            "STANDARD (default), INTELLIGENT_TIERING, STANDARD_IA, ONEZONE_IA, GLACIER_IR, GLACIER, DEEP_ARCHIVE...",
        ),
    )
    .attr(
        "force_destroy",
        opt(
            Type::Bool,
            "Accepted for Terraform compatibility; destroy deletes every version of the key either way (object \
             lock legal holds are not lifted).",
        ),
    )
    .attr("id", Attribute::computed(Type::String).describe("The key."))
    .attr(
        "arn",
        Attribute::computed(Type::String).describe("arn:aws:s3:::BUCKET/KEY."),
    )
    .attr(
        "version_id",
        Attribute::computed(Type::String).describe("The version the last upload made, when the bucket is versioned."),
    )
    .unsupported(
        "acl",
        "object ACLs are not supported by Plinth: new buckets have ACLs disabled (BucketOwnerEnforced); grant access \
         with a bucket policy",
    )
    .unsupported_all(
        &[
            "object_lock_legal_hold_status",
            "object_lock_mode",
            "object_lock_retain_until_date",
        ],
        "object lock on single objects is not supported by Plinth yet",
    )
    .unsupported(
        "checksum_algorithm",
        "Plinth uploads with the SDK's default checksum; leave checksum_algorithm out",
    )
    .unsupported_block(
        "override_provider",
        "override_provider is not supported: set tags, and default_tags on the provider",
    );
        with_tags_described(s, "Tags of the object (GetObjectTagging/PutObjectTagging).").identity(&["bucket", "key"])
    });

/// The configured bytes, or why they cannot be had (a `source` that cannot be read).
fn body_of(v: &Value) -> Result<Option<Vec<u8>>, String> {
    if let Some(c) = v.get("content").as_str() {
        return Ok(Some(c.as_bytes().to_vec()));
    }
    if let Some(b) = v.get("content_base64").as_str() {
        return base64::engine::general_purpose::STANDARD
            .decode(b)
            .map(Some)
            .map_err(|e| format!("content_base64 is not valid base64: {e}"));
    }
    if let Some(path) = v.get("source").as_str() {
        return std::fs::read(path)
            .map(Some)
            .map_err(|e| format!("source {path:?} cannot be read: {e}"));
    }
    if CONTENT.iter().any(|k| v.get(k).is_unknown()) {
        return Ok(None);
    }
    Ok(Some(Vec::new()))
}

fn md5_hex(bytes: &[u8]) -> String {
    hex::encode(md5::Md5::digest(bytes))
}

fn kms(v: &Value) -> bool {
    v.get("server_side_encryption")
        .as_str()
        .is_some_and(|s| s.starts_with("aws:kms"))
        || !v.get("kms_key_id").is_null() && !v.get("kms_key_id").is_unknown()
}

fn set_planned(resp: &mut PlanResponse, key: &str, v: Value) {
    if let Value::Map(m) = &mut resp.planned {
        m.insert(key.to_string(), v);
    }
}

/// The object's headers and tags, as HeadObject and GetObjectTagging return them; `None` when
/// the object (or its bucket) is gone.
struct Live {
    head: aws_sdk_s3::operation::head_object::HeadObjectOutput,
    tags: BTreeMap<String, String>,
}

async fn head(ctx: &Ctx, bucket: &str, key: &str) -> Result<Option<Live>, ProviderError> {
    let head = match ctx.s3.head_object().bucket(bucket).key(key).send().boxed().await {
        Ok(h) => h,
        Err(e) if is_not_found(&e) || e.raw_response().is_some_and(|r| r.status().as_u16() == 404) => return Ok(None),
        Err(e) => return Err(aws_error(e)),
    };
    let tags = match ctx.s3.get_object_tagging().bucket(bucket).key(key).send().boxed().await {
        Ok(t) => tags_from(t.tag_set().iter().map(|t| (Some(t.key()), Some(t.value())))),
        Err(e) if is_not_found(&e) => return Ok(None),
        Err(e) => return Err(aws_error(e)),
    };
    Ok(Some(Live { head, tags }))
}

fn metadata_value(m: Option<&HashMap<String, String>>, prior: &Value) -> Value {
    match m {
        Some(m) if !m.is_empty() => map_of_strings(&m.iter().map(|(k, v)| (k.clone(), v.clone())).collect()),
        _ if prior.as_map().is_some() => Value::Map(Map::new()),
        _ => Value::Null,
    }
}

fn to_value(ctx: &Ctx, bucket: &str, key: &str, live: &Live, prior: &Value) -> Value {
    let h = &live.head;
    let (partition, _) = partition(&ctx.region);
    let (tags, tags_all) = tag_values(ctx, &live.tags, prior);
    let etag = h.e_tag().map(|e| e.trim_matches('"').to_string());
    let keep = |k: &str| prior.get(k).clone();
    Value::object([
        ("id", string(key)),
        ("bucket", string(bucket)),
        ("key", string(key)),
        ("arn", string(format!("arn:{partition}:s3:::{bucket}/{key}"))),
        ("source", keep("source")),
        ("content", keep("content")),
        ("content_base64", keep("content_base64")),
        ("source_hash", keep("source_hash")),
        ("force_destroy", keep("force_destroy")),
        ("etag", opt_string(etag)),
        ("content_type", opt_string(h.content_type())),
        ("cache_control", opt_string(h.cache_control())),
        ("content_disposition", opt_string(h.content_disposition())),
        ("content_encoding", opt_string(h.content_encoding())),
        ("content_language", opt_string(h.content_language())),
        ("website_redirect", opt_string(h.website_redirect_location())),
        ("metadata", metadata_value(h.metadata(), prior.get("metadata"))),
        (
            "server_side_encryption",
            opt_string(h.server_side_encryption().map(|s| s.as_str())),
        ),
        ("kms_key_id", opt_string(h.ssekms_key_id())),
        (
            "bucket_key_enabled",
            bool_like_prior(h.bucket_key_enabled(), prior.get("bucket_key_enabled")),
        ),
        (
            "storage_class",
            string(h.storage_class().map(|s| s.as_str()).unwrap_or("STANDARD")),
        ),
        ("version_id", opt_string(h.version_id().filter(|v| *v != "null"))),
        ("tags", tags),
        ("tags_all", tags_all),
    ])
}

async fn read_one(ctx: &Ctx, bucket: &str, key: &str, prior: &Value) -> Result<Value, ProviderError> {
    let live = head(ctx, bucket, key).await?.ok_or_else(|| {
        ProviderError::with_code(
            "NoSuchKey",
            format!("object s3://{bucket}/{key} disappeared after it was written"),
        )
    })?;
    Ok(to_value(ctx, bucket, key, &live, prior))
}

fn tagging(tags: &BTreeMap<String, String>) -> Result<Tagging, ProviderError> {
    let set = tags
        .iter()
        .map(|(k, v)| Tag::builder().key(k).value(v).build())
        .collect::<Result<Vec<_>, _>>()
        .map_err(|e| build_error("tags", e))?;
    Tagging::builder()
        .set_tag_set(Some(set))
        .build()
        .map_err(|e| build_error("tags", e))
}

async fn put_tags(ctx: &Ctx, bucket: &str, key: &str, want: &BTreeMap<String, String>) -> Result<(), ProviderError> {
    if want.is_empty() {
        ctx.s3
            .delete_object_tagging()
            .bucket(bucket)
            .key(key)
            .send()
            .boxed()
            .await
            .map_err(aws_error)?;
    } else {
        ctx.s3
            .put_object_tagging()
            .bucket(bucket)
            .key(key)
            .tagging(tagging(want)?)
            .send()
            .boxed()
            .await
            .map_err(aws_error)?;
    }
    Ok(())
}

async fn upload(ctx: &Ctx, planned: &Value) -> Result<(), ProviderError> {
    let bucket = req_str(planned, "bucket")?;
    let key = req_str(planned, "key")?;
    let body = body_of(planned)
        .map_err(|e| ProviderError::with_code("InvalidParameterValue", e))?
        .unwrap_or_default();
    let metadata: HashMap<String, String> = str_map(planned, "metadata").into_iter().collect();
    let tags = ctx.merged_tags(planned.get("tags"));
    let mut req = ctx
        .s3
        .put_object()
        .bucket(&bucket)
        .key(&key)
        .body(ByteStream::from(body))
        .set_content_type(opt_str(planned, "content_type"))
        .set_cache_control(opt_str(planned, "cache_control"))
        .set_content_disposition(opt_str(planned, "content_disposition"))
        .set_content_encoding(opt_str(planned, "content_encoding"))
        .set_content_language(opt_str(planned, "content_language"))
        .set_website_redirect_location(opt_str(planned, "website_redirect"))
        .set_metadata(Some(metadata).filter(|m| !m.is_empty()))
        .set_server_side_encryption(
            opt_str(planned, "server_side_encryption").map(|s| ServerSideEncryption::from(s.as_str())),
        )
        .set_ssekms_key_id(opt_str(planned, "kms_key_id"))
        .set_bucket_key_enabled(opt_bool(planned, "bucket_key_enabled"))
        .set_storage_class(opt_str(planned, "storage_class").map(|s| StorageClass::from(s.as_str())));
    if !tags.is_empty() {
        // The Tagging header: URL query form, key=value&key=value.
        let encode = |s: &str| percent_encoding::utf8_percent_encode(s, percent_encoding::NON_ALPHANUMERIC).to_string();
        let text: Vec<String> = tags
            .iter()
            .map(|(k, v)| format!("{}={}", encode(k), encode(v)))
            .collect();
        req = req.tagging(text.join("&"));
    }
    req.send().boxed().await.map_err(aws_error)?;
    Ok(())
}

/// `BUCKET/KEY` or `s3://BUCKET/KEY`.
fn split_import_id(id: &str) -> Result<(String, String), ProviderError> {
    let rest = id.strip_prefix("s3://").unwrap_or(id);
    match rest.split_once('/') {
        Some((b, k)) if !b.is_empty() && !k.is_empty() => Ok((b.to_string(), k.to_string())),
        _ => Err(ProviderError::with_code(
            "InvalidImportId",
            format!("{id:?}: expected BUCKET/KEY or s3://BUCKET/KEY"),
        )),
    }
}

#[async_trait]
impl AwsResource for S3Object {
    fn type_name(&self) -> &'static str {
        "aws_s3_object"
    }

    fn schema(&self) -> &Schema {
        &SCHEMA
    }

    fn validate(&self, config: &Value) -> Vec<ProviderDiagnostic> {
        let set: Vec<&str> = ["content", "content_base64", "source"]
            .into_iter()
            .filter(|k| !config.get(k).is_null())
            .collect();
        let mut d = Vec::new();
        if set.len() > 1 {
            d.push(invalid(
                set[1],
                "Conflicting attributes",
                format!(
                    "only one of content, content_base64 and source may be set (got {})",
                    set.join(", ")
                ),
            ));
        }
        if kms(config) && !config.get("etag").is_null() {
            d.push(invalid(
                "etag",
                "Conflicting attributes",
                "etag cannot be used with KMS encryption (its etag is no MD5): use source_hash",
            ));
        }
        d
    }

    fn plan(&self, ctx: &Ctx, req: &PlanRequest) -> PlanResponse {
        let mut resp = default_plan(&SCHEMA, req.prior.as_ref(), &req.config);
        plan_tags_all(ctx, &req.config, &mut resp.planned);
        let config = &req.config;
        let encrypted = kms(config) || req.prior.as_ref().is_some_and(kms);
        if !encrypted && config.get("etag").is_null() {
            // The MD5 of the bytes to upload: a change is an upload; a changed etag in the
            // refreshed state (an out-of-band upload) is one too.
            let etag = match body_of(config) {
                Ok(Some(bytes)) => string(md5_hex(&bytes)),
                _ => Value::Unknown,
            };
            set_planned(&mut resp, "etag", etag);
        }
        if let Some(prior) = &req.prior
            && resp.requires_replace.is_empty()
        {
            let changed = |k: &str| !same(resp.planned.get(k), prior.get(k));
            if CONTENT.iter().chain(HEADERS.iter()).any(|k| changed(k)) {
                set_planned(&mut resp, "version_id", Value::Unknown);
                if encrypted && config.get("etag").is_null() {
                    set_planned(&mut resp, "etag", Value::Unknown);
                }
            }
        }
        resp
    }

    async fn create(&self, ctx: &Ctx, planned: &Value) -> Result<Value, ProviderError> {
        upload(ctx, planned).await?;
        read_one(ctx, &req_str(planned, "bucket")?, &req_str(planned, "key")?, planned).await
    }

    async fn update(&self, ctx: &Ctx, prior: &Value, planned: &Value) -> Result<Value, ProviderError> {
        let (bucket, key) = (req_str(planned, "bucket")?, req_str(planned, "key")?);
        let changed = |k: &str| !same(planned.get(k), prior.get(k));
        if CONTENT.iter().chain(HEADERS.iter()).any(|k| changed(k)) {
            upload(ctx, planned).await?;
        } else if str_map(prior, "tags_all") != ctx.merged_tags(planned.get("tags")) {
            put_tags(ctx, &bucket, &key, &ctx.merged_tags(planned.get("tags"))).await?;
        }
        read_one(ctx, &bucket, &key, planned).await
    }

    async fn delete(&self, ctx: &Ctx, prior: &Value) -> Result<(), ProviderError> {
        let (bucket, key) = (req_str(prior, "bucket")?, req_str(prior, "key")?);
        // Every version of this key (one page lists up to 1,000), then the key itself for an
        // unversioned bucket.
        let versions = match ctx
            .s3
            .list_object_versions()
            .bucket(&bucket)
            .prefix(&key)
            .send()
            .boxed()
            .await
        {
            Ok(v) => v,
            Err(e) if is_not_found(&e) => return Ok(()),
            Err(e) => return Err(aws_error(e)),
        };
        let mut ids = Vec::new();
        let v = versions.versions().iter().map(|v| (v.key(), v.version_id()));
        let m = versions.delete_markers().iter().map(|m| (m.key(), m.version_id()));
        for (k, version) in v.chain(m) {
            if k != Some(key.as_str()) {
                continue;
            }
            let Some(version) = version.filter(|v| *v != "null") else {
                continue;
            };
            ids.push(
                ObjectIdentifier::builder()
                    .key(&key)
                    .version_id(version)
                    .build()
                    .map_err(|e| build_error("version", e))?,
            );
        }
        for id in ids {
            match ctx
                .s3
                .delete_object()
                .bucket(&bucket)
                .key(&key)
                .set_version_id(id.version_id().map(str::to_string))
                .send()
                .boxed()
                .await
            {
                Ok(_) => {}
                Err(e) if is_not_found(&e) => {}
                Err(e) => return Err(aws_error(e)),
            }
        }
        match ctx.s3.delete_object().bucket(&bucket).key(&key).send().boxed().await {
            Ok(_) => {}
            Err(e) if is_not_found(&e) => {}
            Err(e) => return Err(aws_error(e)),
        }
        Ok(())
    }

    async fn read(&self, ctx: &Ctx, states: &[Value]) -> Result<Vec<Option<Value>>, ProviderError> {
        concurrently(states.to_vec(), |s| {
            let ctx = ctx.clone();
            async move {
                let (Some(bucket), Some(key)) = (opt_str(&s, "bucket"), opt_str(&s, "key")) else {
                    return Ok(None);
                };
                Ok(head(&ctx, &bucket, &key)
                    .await?
                    .map(|live| to_value(&ctx, &bucket, &key, &live, &s)))
            }
        })
        .await
    }

    async fn import(&self, ctx: &Ctx, id: &str) -> Result<Value, ProviderError> {
        let (bucket, key) = split_import_id(id)?;
        let live = head(ctx, &bucket, &key)
            .await?
            .ok_or_else(|| ProviderError::with_code("NoSuchKey", format!("no object s3://{bucket}/{key}")))?;
        Ok(to_value(ctx, &bucket, &key, &live, &Value::Null))
    }
}

// ---------------------------------------------------------------------------------------------
// Data source

pub struct S3ObjectData;

static DATA_SCHEMA: LazyLock<Schema> = LazyLock::new(|| {
    let out = |d: &str| Attribute::computed(Type::String).describe(d);
    Schema::new(
        "Reads one S3 object's headers, metadata and tags (HeadObject, GetObjectTagging), and its body when it is \
         text (a text/* type, JSON, XML, YAML...), as Terraform does.",
    )
    .attr("bucket", Attribute::required(Type::String).describe("The bucket."))
    .attr("key", Attribute::required(Type::String).describe("The key."))
    .attr(
        "version_id",
        Attribute::optional_computed(Type::String).describe("A version to read; default the latest."),
    )
    .attr("id", out("BUCKET/KEY."))
    .attr("arn", out("arn:aws:s3:::BUCKET/KEY."))
    .attr(
        "body",
        out("The object's bytes as text, when its content type is text; null otherwise."),
    )
    .attr("content_type", out("MIME type."))
    .attr("content_encoding", out("Content-Encoding."))
    .attr("content_disposition", out("Content-Disposition."))
    .attr("content_language", out("Content-Language."))
    .attr("cache_control", out("Cache-Control."))
    .attr("etag", out("ETag (the MD5 of the bytes for a plain upload)."))
    .attr("last_modified", out("When it was last written (RFC 1123)."))
    .attr("storage_class", out("Storage class."))
    .attr("server_side_encryption", out("Encryption."))
    .attr("sse_kms_key_id", out("KMS key for aws:kms."))
    .attr("website_redirect_location", out("Website redirect."))
    .attr(
        "content_length",
        Attribute::computed(Type::Number).describe("Size in bytes."),
    )
    .attr(
        "metadata",
        Attribute::computed(Type::Map(Box::new(Type::String))).describe("User metadata."),
    )
    .attr(
        "tags",
        Attribute::computed(Type::Map(Box::new(Type::String))).describe("The object's tags."),
    )
    .unsupported(
        "checksum_mode",
        "checksums of objects are not read by Plinth yet; leave checksum_mode out",
    )
    .unsupported("range", "reading part of an object is not supported by Plinth yet")
});

fn is_text(content_type: &str) -> bool {
    let t = content_type
        .split(';')
        .next()
        .unwrap_or_default()
        .trim()
        .to_ascii_lowercase();
    t.starts_with("text/")
        || [
            "application/json",
            "application/ld+json",
            "application/x-httpd-php",
            "application/xhtml+xml",
            "application/x-csh",
            "application/x-sh",
            "application/xml",
            "application/atom+xml",
            "application/x-sql",
            "application/yaml",
        ]
        .contains(&t.as_str())
}

#[async_trait]
impl AwsDataSource for S3ObjectData {
    fn type_name(&self) -> &'static str {
        "aws_s3_object"
    }

    fn schema(&self) -> &Schema {
        &DATA_SCHEMA
    }

    async fn read(&self, ctx: &Ctx, config: &Value) -> Result<Value, ProviderError> {
        let bucket = req_str(config, "bucket")?;
        let key = req_str(config, "key")?;
        let version = opt_str(config, "version_id");
        let h = ctx
            .s3
            .head_object()
            .bucket(&bucket)
            .key(&key)
            .set_version_id(version.clone())
            .send()
            .boxed()
            .await
            .map_err(|e| {
                let not_found = e.raw_response().is_some_and(|r| r.status().as_u16() == 404);
                let e = aws_error(e);
                if not_found {
                    ProviderError::with_code("NoSuchKey", format!("no object s3://{bucket}/{key}"))
                } else {
                    e
                }
            })?;
        let body = match h.content_type() {
            Some(t) if is_text(t) => {
                let got = ctx
                    .s3
                    .get_object()
                    .bucket(&bucket)
                    .key(&key)
                    .set_version_id(version.clone())
                    .send()
                    .boxed()
                    .await
                    .map_err(aws_error)?;
                let bytes = got
                    .body
                    .collect()
                    .await
                    .map_err(|e| ProviderError::new(format!("reading s3://{bucket}/{key}: {e}")))?
                    .into_bytes();
                string(String::from_utf8_lossy(&bytes))
            }
            _ => Value::Null,
        };
        let tags = ctx
            .s3
            .get_object_tagging()
            .bucket(&bucket)
            .key(&key)
            .set_version_id(version)
            .send()
            .boxed()
            .await
            .map_err(aws_error)?;
        let tags = tags_from(tags.tag_set().iter().map(|t| (Some(t.key()), Some(t.value()))));
        let (partition, _) = partition(&ctx.region);
        Ok(Value::object([
            ("id", string(format!("{bucket}/{key}"))),
            ("arn", string(format!("arn:{partition}:s3:::{bucket}/{key}"))),
            ("bucket", string(&bucket)),
            ("key", string(&key)),
            ("version_id", opt_string(h.version_id())),
            ("body", body),
            ("content_type", opt_string(h.content_type())),
            ("content_encoding", opt_string(h.content_encoding())),
            ("content_disposition", opt_string(h.content_disposition())),
            ("content_language", opt_string(h.content_language())),
            ("cache_control", opt_string(h.cache_control())),
            ("etag", opt_string(h.e_tag().map(|e| e.trim_matches('"')))),
            (
                "last_modified",
                opt_string(
                    h.last_modified()
                        .and_then(|t| t.fmt(aws_smithy_types::date_time::Format::HttpDate).ok()),
                ),
            ),
            (
                "storage_class",
                string(h.storage_class().map(|s| s.as_str()).unwrap_or("STANDARD")),
            ),
            (
                "server_side_encryption",
                opt_string(h.server_side_encryption().map(|s| s.as_str())),
            ),
            ("sse_kms_key_id", opt_string(h.ssekms_key_id())),
            ("website_redirect_location", opt_string(h.website_redirect_location())),
            (
                "content_length",
                h.content_length().map(Value::int).unwrap_or(Value::Null),
            ),
            ("metadata", metadata_value(h.metadata(), &Value::Map(Map::new()))),
            ("tags", map_of_strings(&tags)),
        ]))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn import_ids() {
        assert_eq!(
            split_import_id("b/models/v1/model.tar.gz").ok(),
            Some(("b".to_string(), "models/v1/model.tar.gz".to_string()))
        );
        assert_eq!(
            split_import_id("s3://b/k").ok(),
            Some(("b".to_string(), "k".to_string()))
        );
        assert!(split_import_id("b").is_err());
    }

    #[test]
    fn etag_is_the_md5_of_the_bytes() {
        let v = Value::object([("content", Value::string("hello"))]);
        assert_eq!(
            body_of(&v).ok().flatten().map(|b| md5_hex(&b)).as_deref(),
            Some("5d41402abc4b2a76b9719d911017c592")
        );
    }
}
