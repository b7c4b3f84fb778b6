//! `aws_s3_bucket_inventory`: one named S3 Inventory configuration of a bucket — a daily or
//! weekly listing of its objects written to a destination bucket (Get/Put/
//! DeleteBucketInventoryConfiguration, by id = `name`). Import id `BUCKET:NAME`.

use std::sync::LazyLock;

use async_trait::async_trait;
use aws_sdk_s3::types::{
    InventoryConfiguration, InventoryDestination, InventoryEncryption, InventoryFilter, InventoryFormat,
    InventoryFrequency, InventoryIncludedObjectVersions, InventoryOptionalField, InventoryS3BucketDestination,
    InventorySchedule, Ssekms, Sses3,
};
use futures::FutureExt as _;
use plinth_sdk::{Attribute, PlanRequest, PlanResponse, ProviderDiagnostic, ProviderError, Schema, Type, Value};

use super::{BucketConfig, BucketRef, build_error, done, got, invalid, name_of, named_schema, plan_defaults, prefix};
use crate::Ctx;
use crate::util::{block, one_of, opt_bool, opt_str, opt_string, single, sorted_strings, str_list, string};

pub struct Inventory;

static SCHEMA: LazyLock<Schema> = LazyLock::new(|| {
    let bucket = Schema::new("The destination bucket.")
        .attr(
            "bucket_arn",
            Attribute::required(Type::String).describe("ARN of the bucket the listings are written to."),
        )
        .attr(
            "format",
            Attribute::required(Type::String).describe("`CSV`, `ORC` or `Parquet`."),
        )
        .attr(
            "account_id",
            Attribute::optional(Type::String).describe("Account id owning the destination bucket."),
        )
        .attr(
            "prefix",
            Attribute::optional(Type::String).describe("Key prefix of the listings."),
        )
        .block(
            "encryption",
            single(
                Schema::new("How the listings are encrypted: one of `sse_s3` or `sse_kms`.")
                    .block(
                        "sse_s3",
                        single(
                            Schema::new("Encrypt with S3-managed keys (SSE-S3); the block has no arguments."),
                            0,
                            false,
                        ),
                    )
                    .block(
                        "sse_kms",
                        single(
                            Schema::new("Encrypt with a KMS key (SSE-KMS).").attr(
                                "key_id",
                                Attribute::required(Type::String).describe("ARN of the KMS key."),
                            ),
                            0,
                            false,
                        ),
                    ),
                0,
                false,
            ),
        );
    named_schema(
        Schema::new(
            "An S3 Inventory configuration of a bucket (one of several, by name): a scheduled listing of its objects \
             written to a bucket. Import with `BUCKET:NAME`.",
        )
        .attr(
            "enabled",
            Attribute::optional(Type::Bool).describe("Whether listings are produced (default true)."),
        )
        .attr(
            "included_object_versions",
            Attribute::required(Type::String).describe("`All` or `Current`."),
        )
        .attr(
            "optional_fields",
            Attribute::optional(Type::Set(Box::new(Type::String)))
                .describe("Extra columns (Size, LastModifiedDate, StorageClass, ETag, ...)."),
        )
        .block(
            "schedule",
            single(
                Schema::new("How often listings are produced.").attr(
                    "frequency",
                    Attribute::required(Type::String).describe("`Daily` or `Weekly`."),
                ),
                1,
                false,
            ),
        )
        .block(
            "destination",
            single(
                Schema::new("Where listings are written.").block("bucket", single(bucket, 1, false)),
                1,
                false,
            ),
        )
        .block(
            "filter",
            single(
                Schema::new("Which objects are listed (every object when left out).")
                    .attr("prefix", Attribute::optional(Type::String).describe("Key prefix.")),
                0,
                false,
            ),
        ),
        "Name of the configuration (its id in S3)",
    )
});

/// The destination's `encryption` block for state, as Terraform reads it: `sse_s3 {}` when S3
/// reports SSE-S3, else `sse_kms` with its key.
fn encryption_value(e: &InventoryEncryption) -> Value {
    let (s3, kms) = match (e.sses3(), e.ssekms()) {
        (Some(_), _) => (Value::Map(Default::default()), Value::Null),
        (None, Some(k)) => (Value::Null, Value::object([("key_id", string(k.key_id()))])),
        (None, None) => (Value::Null, Value::Null),
    };
    Value::object([("sse_s3", s3), ("sse_kms", kms)])
}

/// The configured `encryption` block as S3's (validation keeps `sse_s3` and `sse_kms` apart).
fn encryption_of(e: &Value) -> Result<InventoryEncryption, ProviderError> {
    let kms = match block(e, "sse_kms") {
        Some(k) => Some(
            Ssekms::builder()
                .set_key_id(opt_str(k, "key_id"))
                .build()
                .map_err(|e| build_error("destination.bucket.encryption.sse_kms", e))?,
        ),
        None => None,
    };
    Ok(InventoryEncryption::builder()
        .set_sses3(block(e, "sse_s3").map(|_| Sses3::builder().build()))
        .set_ssekms(kms)
        .build())
}

#[async_trait]
impl BucketConfig for Inventory {
    const TYPE_NAME: &'static str = "aws_s3_bucket_inventory";
    const NAMED: bool = true;
    const HAS_OWNER: bool = false;

    fn schema() -> &'static Schema {
        &SCHEMA
    }

    fn validate(config: &Value) -> Vec<ProviderDiagnostic> {
        let mut d = Vec::new();
        d.extend(one_of(
            config.get("included_object_versions"),
            "included_object_versions",
            &["All", "Current"],
        ));
        d.extend(one_of(
            config.get("schedule").get("frequency"),
            "schedule.frequency",
            &["Daily", "Weekly"],
        ));
        let dest = config.get("destination").get("bucket");
        d.extend(one_of(
            dest.get("format"),
            "destination.bucket.format",
            &["CSV", "ORC", "Parquet"],
        ));
        let enc = dest.get("encryption");
        if !enc.get("sse_s3").is_null() && !enc.get("sse_kms").is_null() {
            d.push(invalid(
                "destination.bucket.encryption",
                "Conflicting encryption",
                "set sse_s3 or sse_kms, not both",
            ));
        }
        d
    }

    fn plan(_ctx: &Ctx, req: &PlanRequest) -> PlanResponse {
        let mut resp = crate::util::plan_blocks(Self::schema(), req);
        plan_defaults(&mut resp, &[("enabled", Value::Bool(true))], &req.config);
        resp
    }

    async fn get(ctx: &Ctx, b: &BucketRef, prior: &Value) -> Result<Option<Vec<(&'static str, Value)>>, ProviderError> {
        let name = name_of(prior)?;
        let Some(out) = got(ctx
            .s3
            .get_bucket_inventory_configuration()
            .bucket(&b.bucket)
            .id(&name)
            .send()
            .boxed()
            .await)?
        else {
            return Ok(None);
        };
        let Some(c) = out.inventory_configuration() else {
            return Ok(None);
        };
        let prior_dest = prior.get("destination").get("bucket");
        let destination = c.destination().and_then(|d| d.s3_bucket_destination()).map(|d| {
            Value::object([(
                "bucket",
                Value::object([
                    ("bucket_arn", string(d.bucket())),
                    ("format", string(d.format().as_str())),
                    ("account_id", opt_string(d.account_id())),
                    ("prefix", prefix(d.prefix(), prior_dest.get("prefix"))),
                    (
                        "encryption",
                        d.encryption().map(encryption_value).unwrap_or(Value::Null),
                    ),
                ]),
            )])
        });
        let filter = c
            .filter()
            .map(|f| Value::object([("prefix", prefix(Some(f.prefix()), prior.get("filter").get("prefix")))]));
        let fields = c.optional_fields();
        let optional_fields = if fields.is_empty() && prior.get("optional_fields").is_null() {
            Value::Null
        } else {
            sorted_strings(fields.iter().map(|f| f.as_str().to_string()))
        };
        Ok(Some(vec![
            ("name", string(c.id())),
            ("enabled", Value::Bool(c.is_enabled())),
            (
                "included_object_versions",
                string(c.included_object_versions().as_str()),
            ),
            ("optional_fields", optional_fields),
            (
                "schedule",
                c.schedule()
                    .map(|s| Value::object([("frequency", string(s.frequency().as_str()))]))
                    .unwrap_or(Value::Null),
            ),
            ("destination", destination.unwrap_or(Value::Null)),
            ("filter", filter.unwrap_or(Value::Null)),
        ]))
    }

    async fn put(ctx: &Ctx, b: &BucketRef, planned: &Value) -> Result<(), ProviderError> {
        let name = name_of(planned)?;
        let d = planned.get("destination").get("bucket");
        let destination = InventoryS3BucketDestination::builder()
            .bucket(opt_str(d, "bucket_arn").unwrap_or_default())
            .format(InventoryFormat::from(opt_str(d, "format").unwrap_or_default().as_str()))
            .set_account_id(opt_str(d, "account_id"))
            .set_prefix(opt_str(d, "prefix"))
            .set_encryption(block(d, "encryption").map(encryption_of).transpose()?)
            .build()
            .map_err(|e| build_error("destination.bucket", e))?;
        let filter = match block(planned, "filter").and_then(|f| opt_str(f, "prefix")) {
            Some(p) => Some(
                InventoryFilter::builder()
                    .prefix(p)
                    .build()
                    .map_err(|e| build_error("filter", e))?,
            ),
            None => None,
        };
        let fields = str_list(planned, "optional_fields")
            .iter()
            .map(|f| InventoryOptionalField::from(f.as_str()))
            .collect::<Vec<_>>();
        let conf = InventoryConfiguration::builder()
            .id(&name)
            .is_enabled(opt_bool(planned, "enabled").unwrap_or(true))
            .included_object_versions(InventoryIncludedObjectVersions::from(
                opt_str(planned, "included_object_versions")
                    .unwrap_or_default()
                    .as_str(),
            ))
            .set_optional_fields(Some(fields).filter(|f| !f.is_empty()))
            .schedule(
                InventorySchedule::builder()
                    .frequency(InventoryFrequency::from(
                        opt_str(planned.get("schedule"), "frequency")
                            .unwrap_or_default()
                            .as_str(),
                    ))
                    .build()
                    .map_err(|e| build_error("schedule", e))?,
            )
            .destination(
                InventoryDestination::builder()
                    .s3_bucket_destination(destination)
                    .build(),
            )
            .set_filter(filter)
            .build()
            .map_err(|e| build_error("name", e))?;
        done(
            ctx.s3
                .put_bucket_inventory_configuration()
                .bucket(&b.bucket)
                .id(&name)
                .inventory_configuration(conf)
                .send()
                .boxed()
                .await,
            false,
        )
    }

    async fn remove(ctx: &Ctx, b: &BucketRef, prior: &Value) -> Result<(), ProviderError> {
        done(
            ctx.s3
                .delete_bucket_inventory_configuration()
                .bucket(&b.bucket)
                .id(name_of(prior)?)
                .send()
                .boxed()
                .await,
            true,
        )
    }
}
