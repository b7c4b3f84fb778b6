//! `aws_s3_bucket_lifecycle_configuration`: the bucket's lifecycle rules — expire old
//! checkpoints, move cold datasets to cheaper storage, clean up abandoned multipart uploads
//! (GetBucketLifecycleConfiguration / PutBucketLifecycleConfiguration / DeleteBucketLifecycle).
//! The whole rule list is written at once; refresh maps S3's answer back onto the shape the
//! configuration used (an empty `prefix` S3 adds is the configuration's null).

use std::sync::LazyLock;

use async_trait::async_trait;
use aws_sdk_s3::types::{
    AbortIncompleteMultipartUpload, BucketLifecycleConfiguration, ExpirationStatus, LifecycleExpiration, LifecycleRule,
    LifecycleRuleAndOperator, LifecycleRuleFilter, NoncurrentVersionExpiration, NoncurrentVersionTransition, Tag,
    Transition, TransitionDefaultMinimumObjectSize, TransitionStorageClass,
};
use aws_smithy_types::DateTime;
use aws_smithy_types::date_time::Format;
use futures::FutureExt as _;
use plinth_sdk::{Attribute, ProviderDiagnostic, ProviderError, Schema, Type, Value};

use super::{BucketConfig, BucketRef, build_error, done, got, int, invalid, prefix, sub_schema, tags_from, tags_of};
use crate::Ctx;
use crate::util::one_of;
use crate::util::{block, items, list, single};
use crate::util::{opt_bool, opt_i64, opt_str, opt_string, string};

pub struct Lifecycle;

fn number(description: &str) -> Attribute {
    Attribute::optional(Type::Number).describe(description)
}

fn size_attrs(s: Schema) -> Schema {
    s.attr(
        "object_size_greater_than",
        number("Only objects larger than this many bytes."),
    )
    .attr(
        "object_size_less_than",
        number("Only objects smaller than this many bytes."),
    )
}

static SCHEMA: LazyLock<Schema> = LazyLock::new(|| {
    let and = size_attrs(
        Schema::new("Every condition must hold.")
            .attr("prefix", Attribute::optional(Type::String).describe("Key prefix."))
            .attr(
                "tags",
                Attribute::optional(Type::Map(Box::new(Type::String))).describe("Tags the object must carry."),
            ),
    );
    let tag = Schema::new("One tag the object must carry.")
        .attr("key", Attribute::required(Type::String).describe("Tag key."))
        .attr("value", Attribute::required(Type::String).describe("Tag value."));
    let filter = size_attrs(
        Schema::new("Which objects the rule applies to; empty (`filter {}`): every object.")
            .attr("prefix", Attribute::optional(Type::String).describe("Key prefix.")),
    )
    .block("tag", single(tag, 0, false))
    .block("and", single(and, 0, false));
    let expiration = Schema::new("When current versions expire.")
        .attr(
            "date",
            Attribute::optional(Type::String).describe("RFC 3339 date (midnight UTC)."),
        )
        .attr("days", number("Days after creation."))
        .attr(
            "expired_object_delete_marker",
            Attribute::optional(Type::Bool)
                .describe("Remove delete markers with no noncurrent versions (not with days or date)."),
        );
    let transition = Schema::new("A move to another storage class.")
        .attr(
            "date",
            Attribute::optional(Type::String).describe("RFC 3339 date (midnight UTC)."),
        )
        .attr("days", number("Days after creation."))
        .attr(
            "storage_class",
            Attribute::required(Type::String)
                .describe("GLACIER, STANDARD_IA, ONEZONE_IA, INTELLIGENT_TIERING, DEEP_ARCHIVE, GLACIER_IR."),
        );
    let nc_expiration = Schema::new("When noncurrent versions expire.")
        .attr(
            "noncurrent_days",
            Attribute::required(Type::Number).describe("Days after the version became noncurrent."),
        )
        .attr(
            "newer_noncurrent_versions",
            number("Keep this many newer noncurrent versions."),
        );
    let nc_transition = nc_expiration.clone().attr(
        "storage_class",
        Attribute::required(Type::String).describe("The storage class."),
    );
    let rule = Schema::new("One lifecycle rule.")
        .attr(
            "id",
            Attribute::required(Type::String).describe("Rule id (up to 255 characters)."),
        )
        .attr(
            "status",
            Attribute::required(Type::String).describe("`Enabled` or `Disabled`."),
        )
        .attr(
            "prefix",
            Attribute::optional(Type::String).describe("Deprecated in Terraform: use filter { prefix }."),
        )
        .block(
            "abort_incomplete_multipart_upload",
            single(
                Schema::new("Abort multipart uploads left incomplete.")
                    .attr("days_after_initiation", number("Days after the upload started.")),
                0,
                false,
            ),
        )
        .block("expiration", single(expiration, 0, false))
        .block("filter", single(filter, 0, false))
        .block("noncurrent_version_expiration", single(nc_expiration, 0, false))
        .block("noncurrent_version_transition", list(nc_transition, 0, None, false))
        .block("transition", list(transition, 0, None, false));
    sub_schema(
        Schema::new("The lifecycle rules of a bucket. Import with `BUCKET` or `BUCKET,EXPECTED_BUCKET_OWNER`.")
            .attr(
                "transition_default_minimum_object_size",
                Attribute::optional_computed(Type::String).describe(
                    "`all_storage_classes_128K` (S3's default) or `varies_by_storage_class`: the smallest object a \
                 transition moves.",
                ),
            )
            .block("rule", list(rule, 1, None, false))
            .unsupported_block(
                "timeouts",
                "Plinth waits with the provider's own timeout; leave timeouts out",
            ),
        true,
    )
});

fn date_text(d: Option<&DateTime>) -> Value {
    d.and_then(|d| d.fmt(Format::DateTime).ok())
        .map(Value::String)
        .unwrap_or(Value::Null)
}

fn date_of(v: &Value, path: &str) -> Result<Option<DateTime>, ProviderError> {
    let Some(text) = opt_str(v, "date") else {
        return Ok(None);
    };
    DateTime::from_str(&text, Format::DateTime).map(Some).map_err(|e| {
        ProviderError::with_code(
            "InvalidParameterValue",
            format!("{path}: {text:?} is not an RFC 3339 date: {e}"),
        )
    })
}

fn filter_value(f: &LifecycleRuleFilter, prior: &Value) -> Value {
    let and = f.and().map(|a| {
        let p = prior.get("and");
        Value::object([
            ("prefix", prefix(a.prefix(), p.get("prefix"))),
            ("tags", tags_of(a.tags())),
            ("object_size_greater_than", int(a.object_size_greater_than())),
            ("object_size_less_than", int(a.object_size_less_than())),
        ])
    });
    let tag = f
        .tag()
        .map(|t| Value::object([("key", string(t.key())), ("value", string(t.value()))]));
    Value::object([
        ("prefix", prefix(f.prefix(), prior.get("prefix"))),
        ("object_size_greater_than", int(f.object_size_greater_than())),
        ("object_size_less_than", int(f.object_size_less_than())),
        ("tag", tag.unwrap_or(Value::Null)),
        ("and", and.unwrap_or(Value::Null)),
    ])
}

// Rule-level Prefix is deprecated in S3's API, as `rule.prefix` is in Terraform; both still work.
#[allow(deprecated)]
fn rule_value(r: &LifecycleRule, prior: &Value) -> Value {
    let expiration = r.expiration().map(|e| {
        Value::object([
            ("date", date_text(e.date())),
            ("days", int(e.days())),
            (
                "expired_object_delete_marker",
                e.expired_object_delete_marker().map(Value::Bool).unwrap_or(Value::Null),
            ),
        ])
    });
    let filter = match (r.filter(), block(prior, "filter")) {
        (Some(f), Some(p)) => filter_value(f, p),
        // S3 answers `Filter { Prefix: "" }` for a rule sent without a filter.
        (Some(f), None)
            if f.prefix().unwrap_or_default().is_empty()
                && f.tag().is_none()
                && f.and().is_none()
                && f.object_size_greater_than().is_none()
                && f.object_size_less_than().is_none() =>
        {
            Value::Null
        }
        (Some(f), None) => filter_value(f, &Value::Null),
        (None, _) => Value::Null,
    };
    Value::object([
        ("id", opt_string(r.id())),
        ("status", string(r.status().as_str())),
        ("prefix", prefix(r.prefix(), prior.get("prefix"))),
        (
            "abort_incomplete_multipart_upload",
            r.abort_incomplete_multipart_upload()
                .map(|a| Value::object([("days_after_initiation", int(a.days_after_initiation()))]))
                .unwrap_or(Value::Null),
        ),
        ("expiration", expiration.unwrap_or(Value::Null)),
        ("filter", filter),
        (
            "noncurrent_version_expiration",
            r.noncurrent_version_expiration()
                .map(|e| {
                    Value::object([
                        ("noncurrent_days", int(e.noncurrent_days())),
                        ("newer_noncurrent_versions", int(e.newer_noncurrent_versions())),
                    ])
                })
                .unwrap_or(Value::Null),
        ),
        (
            "noncurrent_version_transition",
            Value::List(
                r.noncurrent_version_transitions()
                    .iter()
                    .map(|t| {
                        Value::object([
                            ("noncurrent_days", int(t.noncurrent_days())),
                            ("newer_noncurrent_versions", int(t.newer_noncurrent_versions())),
                            ("storage_class", opt_string(t.storage_class().map(|s| s.as_str()))),
                        ])
                    })
                    .collect(),
            ),
        ),
        (
            "transition",
            Value::List(
                r.transitions()
                    .iter()
                    .map(|t| {
                        Value::object([
                            ("date", date_text(t.date())),
                            ("days", int(t.days())),
                            ("storage_class", opt_string(t.storage_class().map(|s| s.as_str()))),
                        ])
                    })
                    .collect(),
            ),
        ),
    ])
}

fn i32_of(v: &Value, key: &str) -> Option<i32> {
    opt_i64(v, key).map(|n| n as i32)
}

fn filter_of(f: &Value) -> LifecycleRuleFilter {
    let and = block(f, "and").map(|a| {
        let tags = tags_from(a, "tags");
        LifecycleRuleAndOperator::builder()
            .set_prefix(a.get("prefix").as_str().map(str::to_string))
            .set_tags(Some(tags).filter(|t| !t.is_empty()))
            .set_object_size_greater_than(opt_i64(a, "object_size_greater_than"))
            .set_object_size_less_than(opt_i64(a, "object_size_less_than"))
            .build()
    });
    let tag = block(f, "tag").and_then(|t| {
        Tag::builder()
            .key(opt_str(t, "key").unwrap_or_default())
            .value(t.get("value").as_str().unwrap_or_default())
            .build()
            .ok()
    });
    let mut prefix = f.get("prefix").as_str().map(str::to_string);
    let size = opt_i64(f, "object_size_greater_than").is_some() || opt_i64(f, "object_size_less_than").is_some();
    if prefix.is_none() && tag.is_none() && and.is_none() && !size {
        // `filter {}`: every object, which S3 spells as an empty prefix.
        prefix = Some(String::new());
    }
    LifecycleRuleFilter::builder()
        .set_prefix(prefix)
        .set_tag(tag)
        .set_and(and)
        .set_object_size_greater_than(opt_i64(f, "object_size_greater_than"))
        .set_object_size_less_than(opt_i64(f, "object_size_less_than"))
        .build()
}

#[allow(deprecated)]
fn rule_of(r: &Value, i: usize) -> Result<LifecycleRule, ProviderError> {
    let at = |p: &str| format!("rule[{i}].{p}");
    let mut b = LifecycleRule::builder()
        .set_id(opt_str(r, "id"))
        .status(ExpirationStatus::from(
            opt_str(r, "status").unwrap_or_default().as_str(),
        ));
    match (block(r, "filter"), r.get("prefix").as_str()) {
        (Some(f), _) => b = b.filter(filter_of(f)),
        (None, Some(p)) => b = b.prefix(p),
        // Neither: every object (S3 needs one of them).
        (None, None) => b = b.filter(LifecycleRuleFilter::builder().prefix("").build()),
    }
    if let Some(a) = block(r, "abort_incomplete_multipart_upload") {
        b = b.abort_incomplete_multipart_upload(
            AbortIncompleteMultipartUpload::builder()
                .set_days_after_initiation(i32_of(a, "days_after_initiation"))
                .build(),
        );
    }
    if let Some(e) = block(r, "expiration") {
        b = b.expiration(
            LifecycleExpiration::builder()
                .set_date(date_of(e, &at("expiration.date"))?)
                .set_days(i32_of(e, "days"))
                .set_expired_object_delete_marker(opt_bool(e, "expired_object_delete_marker"))
                .build(),
        );
    }
    if let Some(e) = block(r, "noncurrent_version_expiration") {
        b = b.noncurrent_version_expiration(
            NoncurrentVersionExpiration::builder()
                .set_noncurrent_days(i32_of(e, "noncurrent_days"))
                .set_newer_noncurrent_versions(i32_of(e, "newer_noncurrent_versions"))
                .build(),
        );
    }
    for t in items(r, "noncurrent_version_transition") {
        b = b.noncurrent_version_transitions(
            NoncurrentVersionTransition::builder()
                .set_noncurrent_days(i32_of(t, "noncurrent_days"))
                .set_newer_noncurrent_versions(i32_of(t, "newer_noncurrent_versions"))
                .set_storage_class(opt_str(t, "storage_class").map(|s| TransitionStorageClass::from(s.as_str())))
                .build(),
        );
    }
    for (j, t) in items(r, "transition").iter().enumerate() {
        b = b.transitions(
            Transition::builder()
                .set_date(date_of(t, &at(&format!("transition[{j}].date")))?)
                .set_days(i32_of(t, "days"))
                .set_storage_class(opt_str(t, "storage_class").map(|s| TransitionStorageClass::from(s.as_str())))
                .build(),
        );
    }
    b.build().map_err(|e| build_error(&format!("rule[{i}]"), e))
}

#[async_trait]
impl BucketConfig for Lifecycle {
    const TYPE_NAME: &'static str = "aws_s3_bucket_lifecycle_configuration";

    fn schema() -> &'static Schema {
        &SCHEMA
    }

    fn validate(config: &Value) -> Vec<ProviderDiagnostic> {
        let mut d = Vec::new();
        for (i, r) in items(config, "rule").iter().enumerate() {
            d.extend(one_of(
                r.get("status"),
                &format!("rule[{i}].status"),
                &["Enabled", "Disabled"],
            ));
            if block(r, "filter").is_some() && !r.get("prefix").is_null() {
                d.push(invalid(
                    &format!("rule[{i}].prefix"),
                    "Conflicting attributes",
                    "set the prefix inside filter, not both",
                ));
            }
        }
        d.extend(one_of(
            config.get("transition_default_minimum_object_size"),
            "transition_default_minimum_object_size",
            &["all_storage_classes_128K", "varies_by_storage_class"],
        ));
        d
    }

    async fn get(ctx: &Ctx, b: &BucketRef, prior: &Value) -> Result<Option<Vec<(&'static str, Value)>>, ProviderError> {
        let Some(out) = got(ctx
            .s3
            .get_bucket_lifecycle_configuration()
            .bucket(&b.bucket)
            .set_expected_bucket_owner(b.owner.clone())
            .send()
            .boxed()
            .await)?
        else {
            return Ok(None);
        };
        let before = items(prior, "rule");
        let rules = out
            .rules()
            .iter()
            .enumerate()
            .map(|(i, r)| rule_value(r, before.get(i).unwrap_or(&Value::Null)))
            .collect();
        let min_size = match out.transition_default_minimum_object_size() {
            Some(s) => string(s.as_str()),
            None if prior.get("transition_default_minimum_object_size").is_unknown() => Value::Null,
            None => prior.get("transition_default_minimum_object_size").clone(),
        };
        Ok(Some(vec![
            ("rule", Value::List(rules)),
            ("transition_default_minimum_object_size", min_size),
        ]))
    }

    async fn put(ctx: &Ctx, b: &BucketRef, planned: &Value) -> Result<(), ProviderError> {
        let rules = items(planned, "rule")
            .iter()
            .enumerate()
            .map(|(i, r)| rule_of(r, i))
            .collect::<Result<Vec<_>, _>>()?;
        let conf = BucketLifecycleConfiguration::builder()
            .set_rules(Some(rules))
            .build()
            .map_err(|e| build_error("rule", e))?;
        done(
            ctx.s3
                .put_bucket_lifecycle_configuration()
                .bucket(&b.bucket)
                .set_expected_bucket_owner(b.owner.clone())
                .set_transition_default_minimum_object_size(
                    opt_str(planned, "transition_default_minimum_object_size")
                        .map(|s| TransitionDefaultMinimumObjectSize::from(s.as_str())),
                )
                .lifecycle_configuration(conf)
                .send()
                .boxed()
                .await,
            false,
        )
    }

    async fn remove(ctx: &Ctx, b: &BucketRef, _prior: &Value) -> Result<(), ProviderError> {
        done(
            ctx.s3
                .delete_bucket_lifecycle()
                .bucket(&b.bucket)
                .set_expected_bucket_owner(b.owner.clone())
                .send()
                .boxed()
                .await,
            true,
        )
    }
}
