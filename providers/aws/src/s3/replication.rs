//! `aws_s3_bucket_replication_configuration`: the bucket's replication rules — copy new objects
//! to another bucket (another region, another account, another storage class) under an IAM role
//! S3 assumes (Get/Put/DeleteBucketReplication). The whole rule list is written at once. S3
//! refuses it unless versioning is enabled on the source bucket (and the destination must be
//! versioned for the copies to happen); order the versioning resources first.

use std::sync::LazyLock;

use async_trait::async_trait;
use aws_sdk_s3::types::{
    DeleteMarkerReplication, DeleteMarkerReplicationStatus, Destination, ReplicationConfiguration, ReplicationRule,
    ReplicationRuleAndOperator, ReplicationRuleFilter, ReplicationRuleStatus, StorageClass, Tag,
};
use futures::FutureExt as _;
use plinth_sdk::{Attribute, ProviderDiagnostic, ProviderError, Schema, Type, Value};

use super::{BucketConfig, BucketRef, build_error, done, got, int, invalid, prefix, sub_schema, tags_from, tags_of};
use crate::Ctx;
use crate::util::{block, items, list, one_of, opt_i64, opt_str, opt_string, single, string};

pub struct Replication;

const NESTED_HINT: &str = "Plinth does not manage this replication setting yet; leave it out (S3's default applies)";

static SCHEMA: LazyLock<Schema> = LazyLock::new(|| {
    let tag = Schema::new("One tag the object must carry.")
        .attr("key", Attribute::required(Type::String).describe("Tag key."))
        .attr("value", Attribute::required(Type::String).describe("Tag value."));
    let and = Schema::new("Every condition must hold.")
        .attr("prefix", Attribute::optional(Type::String).describe("Key prefix."))
        .attr(
            "tags",
            Attribute::optional(Type::Map(Box::new(Type::String))).describe("Tags the object must carry."),
        );
    let filter = Schema::new("Which objects the rule replicates; empty (`filter {}`): every object.")
        .attr("prefix", Attribute::optional(Type::String).describe("Key prefix."))
        .block("tag", single(tag, 0, false))
        .block("and", single(and, 0, false));
    let destination = Schema::new("Where the copies go.")
        .attr(
            "bucket",
            Attribute::required(Type::String).describe("ARN of the destination bucket."),
        )
        .attr(
            "storage_class",
            Attribute::optional(Type::String).describe(
                "Storage class of the copies (STANDARD, STANDARD_IA, GLACIER, ...); the source's when unset.",
            ),
        )
        .attr(
            "account",
            Attribute::optional(Type::String).describe("Account id owning the destination bucket (cross-account)."),
        )
        .unsupported_blocks(
            &[
                "access_control_translation",
                "encryption_configuration",
                "metrics",
                "replication_time",
            ],
            NESTED_HINT,
        );
    let rule = Schema::new("One replication rule.")
        .attr(
            "id",
            Attribute::optional_computed(Type::String)
                .describe("Rule id (up to 255 characters); S3 makes one up when unset."),
        )
        .attr(
            "priority",
            Attribute::optional_computed(Type::Number)
                .describe("Which rule wins when several match an object (the higher number)."),
        )
        .attr(
            "status",
            Attribute::required(Type::String).describe("`Enabled` or `Disabled`."),
        )
        .attr(
            "prefix",
            Attribute::optional(Type::String).describe("Deprecated in Terraform: use filter { prefix }."),
        )
        .block("filter", single(filter, 0, false))
        .block("destination", single(destination, 1, false))
        .block(
            "delete_marker_replication",
            single(
                Schema::new("Whether delete markers are replicated (rules with a filter).").attr(
                    "status",
                    Attribute::required(Type::String).describe("`Enabled` or `Disabled`."),
                ),
                0,
                false,
            ),
        )
        .unsupported_blocks(
            &["existing_object_replication", "source_selection_criteria"],
            NESTED_HINT,
        );
    sub_schema(
        Schema::new("The replication rules of a bucket (versioning must be enabled on it). Import with `BUCKET`.")
            .attr(
                "role",
                Attribute::required(Type::String).describe("ARN of the IAM role S3 assumes to replicate."),
            )
            .attr(
                "token",
                Attribute::optional(Type::String)
                    .sensitive()
                    .describe("Object Lock token, for a bucket with Object Lock; S3 does not return it."),
            )
            .block("rule", list(rule, 1, Some(1000), false)),
        false,
    )
});

fn filter_value(f: &ReplicationRuleFilter, prior: &Value) -> Value {
    let and = f.and().map(|a| {
        let p = prior.get("and");
        Value::object([
            ("prefix", prefix(a.prefix(), p.get("prefix"))),
            ("tags", tags_of(a.tags())),
        ])
    });
    let tag = f
        .tag()
        .map(|t| Value::object([("key", string(t.key())), ("value", string(t.value()))]));
    Value::object([
        ("prefix", prefix(f.prefix(), prior.get("prefix"))),
        ("tag", tag.unwrap_or(Value::Null)),
        ("and", and.unwrap_or(Value::Null)),
    ])
}

fn is_empty_filter(f: &ReplicationRuleFilter) -> bool {
    f.prefix().unwrap_or_default().is_empty() && f.tag().is_none() && f.and().is_none()
}

// Rule-level Prefix is deprecated in S3's API, as `rule.prefix` is in Terraform; both still work.
#[allow(deprecated)]
fn rule_value(r: &ReplicationRule, prior: &Value) -> Value {
    let filter = match (r.filter(), block(prior, "filter")) {
        (Some(f), Some(p)) => filter_value(f, p),
        // S3 answers `Filter { Prefix: "" }` for a rule sent without a filter.
        (Some(f), None) if is_empty_filter(f) => Value::Null,
        (Some(f), None) => filter_value(f, &Value::Null),
        (None, _) => Value::Null,
    };
    let destination = r.destination().map(|d| {
        Value::object([
            ("bucket", string(d.bucket())),
            ("storage_class", opt_string(d.storage_class().map(|s| s.as_str()))),
            ("account", opt_string(d.account())),
        ])
    });
    // Absent and Disabled mean the same: Disabled reads as the configuration's absence.
    let delete_markers = match r.delete_marker_replication().and_then(|d| d.status()) {
        Some(DeleteMarkerReplicationStatus::Disabled) if block(prior, "delete_marker_replication").is_none() => {
            Value::Null
        }
        Some(s) => Value::object([("status", string(s.as_str()))]),
        None => Value::Null,
    };
    Value::object([
        ("id", opt_string(r.id())),
        ("priority", int(r.priority())),
        ("status", string(r.status().as_str())),
        ("prefix", prefix(r.prefix(), prior.get("prefix"))),
        ("filter", filter),
        ("destination", destination.unwrap_or(Value::Null)),
        ("delete_marker_replication", delete_markers),
    ])
}

fn filter_of(f: &Value) -> ReplicationRuleFilter {
    let and = block(f, "and").map(|a| {
        let tags = tags_from(a, "tags");
        ReplicationRuleAndOperator::builder()
            .set_prefix(opt_str(a, "prefix"))
            .set_tags(Some(tags).filter(|t| !t.is_empty()))
            .build()
    });
    let tag = block(f, "tag").and_then(|t| {
        Tag::builder()
            .key(opt_str(t, "key").unwrap_or_default())
            .value(opt_str(t, "value").unwrap_or_default())
            .build()
            .ok()
    });
    let mut p = opt_str(f, "prefix");
    if p.is_none() && tag.is_none() && and.is_none() {
        // `filter {}`: every object, which S3 spells as an empty prefix.
        p = Some(String::new());
    }
    ReplicationRuleFilter::builder()
        .set_prefix(p)
        .set_tag(tag)
        .set_and(and)
        .build()
}

#[allow(deprecated)]
fn rule_of(r: &Value, i: usize) -> Result<ReplicationRule, ProviderError> {
    let mut b = ReplicationRule::builder()
        .set_id(opt_str(r, "id"))
        .set_priority(opt_i64(r, "priority").map(|n| n as i32))
        .status(ReplicationRuleStatus::from(
            opt_str(r, "status").unwrap_or_default().as_str(),
        ));
    let filtered = match (block(r, "filter"), opt_str(r, "prefix")) {
        (Some(f), _) => {
            b = b.filter(filter_of(f));
            true
        }
        (None, Some(p)) => {
            b = b.prefix(p);
            false
        }
        // Neither: every object.
        (None, None) => {
            b = b.filter(ReplicationRuleFilter::builder().prefix("").build());
            true
        }
    };
    if let Some(d) = block(r, "destination") {
        b = b.destination(
            Destination::builder()
                .bucket(opt_str(d, "bucket").unwrap_or_default())
                .set_storage_class(opt_str(d, "storage_class").map(|s| StorageClass::from(s.as_str())))
                .set_account(opt_str(d, "account"))
                .build()
                .map_err(|e| build_error(&format!("rule[{i}].destination"), e))?,
        );
    }
    // A rule with a filter (S3's current schema) must say whether delete markers replicate:
    // left out, they do not (Disabled, which reads back as left out).
    let delete_markers = match block(r, "delete_marker_replication") {
        Some(d) => opt_str(d, "status"),
        None if filtered => Some("Disabled".to_string()),
        None => None,
    };
    if let Some(status) = delete_markers {
        b = b.delete_marker_replication(
            DeleteMarkerReplication::builder()
                .status(DeleteMarkerReplicationStatus::from(status.as_str()))
                .build(),
        );
    }
    b.build().map_err(|e| build_error(&format!("rule[{i}]"), e))
}

#[async_trait]
impl BucketConfig for Replication {
    const TYPE_NAME: &'static str = "aws_s3_bucket_replication_configuration";
    const HAS_OWNER: bool = false;

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
            if let Some(m) = block(r, "delete_marker_replication") {
                d.extend(one_of(
                    m.get("status"),
                    &format!("rule[{i}].delete_marker_replication.status"),
                    &["Enabled", "Disabled"],
                ));
            }
            if block(r, "filter").is_some() && !r.get("prefix").is_null() {
                d.push(invalid(
                    &format!("rule[{i}].prefix"),
                    "Conflicting attributes",
                    "set the prefix inside filter, not both",
                ));
            }
        }
        d
    }

    async fn get(ctx: &Ctx, b: &BucketRef, prior: &Value) -> Result<Option<Vec<(&'static str, Value)>>, ProviderError> {
        let Some(out) = got(ctx.s3.get_bucket_replication().bucket(&b.bucket).send().boxed().await)? else {
            return Ok(None);
        };
        let Some(c) = out.replication_configuration() else {
            return Ok(None);
        };
        let before = items(prior, "rule");
        let rules = c
            .rules()
            .iter()
            .enumerate()
            .map(|(i, r)| rule_value(r, before.get(i).unwrap_or(&Value::Null)))
            .collect();
        Ok(Some(vec![
            ("role", string(c.role())),
            ("rule", Value::List(rules)),
            // Write-only: S3 does not return it.
            ("token", prior.get("token").clone()),
        ]))
    }

    async fn put(ctx: &Ctx, b: &BucketRef, planned: &Value) -> Result<(), ProviderError> {
        let rules = items(planned, "rule")
            .iter()
            .enumerate()
            .map(|(i, r)| rule_of(r, i))
            .collect::<Result<Vec<_>, _>>()?;
        let conf = ReplicationConfiguration::builder()
            .role(opt_str(planned, "role").unwrap_or_default())
            .set_rules(Some(rules))
            .build()
            .map_err(|e| build_error("rule", e))?;
        done(
            ctx.s3
                .put_bucket_replication()
                .bucket(&b.bucket)
                .set_token(opt_str(planned, "token"))
                .replication_configuration(conf)
                .send()
                .boxed()
                .await,
            false,
        )
    }

    async fn remove(ctx: &Ctx, b: &BucketRef, _prior: &Value) -> Result<(), ProviderError> {
        done(
            ctx.s3
                .delete_bucket_replication()
                .bucket(&b.bucket)
                .send()
                .boxed()
                .await,
            true,
        )
    }
}
