//! `aws_s3_bucket_logging`: server access logging of a bucket into another bucket
//! (GetBucketLogging / PutBucketLogging; destroy puts an empty logging status, as Terraform does).

use std::sync::LazyLock;

use async_trait::async_trait;
use aws_sdk_s3::types::{
    BucketLoggingStatus, LoggingEnabled, PartitionDateSource, PartitionedPrefix, SimplePrefix, TargetObjectKeyFormat,
};
use futures::FutureExt as _;
use plinth_sdk::{Attribute, ProviderDiagnostic, ProviderError, Schema, Type, Value};

use super::{BucketConfig, BucketRef, build_error, done, got, invalid, sub_schema};
use crate::Ctx;
use crate::util::{block, single};
use crate::util::{opt_str, req_str, string};

pub struct Logging;

const DATE_SOURCES: &[&str] = &["EventTime", "DeliveryTime"];

static SCHEMA: LazyLock<Schema> = LazyLock::new(|| {
    sub_schema(
        Schema::new(
            "Server access logging of a bucket: S3 writes a log object per batch of requests into the target bucket, \
             which must let the logging service write (a bucket policy for `logging.s3.amazonaws.com`, or the \
             `log-delivery-write` ACL). Import with `BUCKET` or `BUCKET,EXPECTED_BUCKET_OWNER`.",
        )
        .attr(
            "target_bucket",
            Attribute::required(Type::String).describe("Bucket the logs are written to."),
        )
        .attr(
            "target_prefix",
            Attribute::required(Type::String).describe("Prefix of every log object's key (may be empty)."),
        )
        .block(
            "target_object_key_format",
            single(
                Schema::new("How log object keys are formed: exactly one of `partitioned_prefix` or `simple_prefix`.")
                    .block(
                        "partitioned_prefix",
                        single(
                            Schema::new("Keys `PREFIX/ACCOUNT/REGION/BUCKET/YYYY/MM/DD/...`.").attr(
                                "partition_date_source",
                                Attribute::required(Type::String).describe(
                                    "`EventTime` (when the requests were made) or `DeliveryTime` (when the log \
                                     was delivered).",
                                ),
                            ),
                            0,
                            false,
                        ),
                    )
                    .block(
                        "simple_prefix",
                        single(
                            Schema::new("Keys `PREFIX-YYYY-mm-DD-HH-MM-SS-UNIQUE` (an empty block)."),
                            0,
                            false,
                        ),
                    ),
                0,
                false,
            ),
        )
        .unsupported_block(
            "target_grant",
            "log object grants are not supported by Plinth yet: new buckets have ACLs disabled \
             (BucketOwnerEnforced), so grant access to the target bucket with a bucket policy",
        ),
        true,
    )
});

#[async_trait]
impl BucketConfig for Logging {
    const TYPE_NAME: &'static str = "aws_s3_bucket_logging";

    fn schema() -> &'static Schema {
        &SCHEMA
    }

    fn validate(config: &Value) -> Vec<ProviderDiagnostic> {
        let Some(f) = block(config, "target_object_key_format") else {
            return Vec::new();
        };
        let (pp, sp) = (block(f, "partitioned_prefix"), block(f, "simple_prefix"));
        let mut d = Vec::new();
        if f.get("partitioned_prefix").is_unknown() || f.get("simple_prefix").is_unknown() {
            return d;
        }
        if pp.is_some() == sp.is_some() {
            d.push(invalid(
                "target_object_key_format",
                "Invalid target_object_key_format",
                "expected exactly one of partitioned_prefix or simple_prefix",
            ));
        }
        if let Some(s) = pp.and_then(|p| p.get("partition_date_source").as_str())
            && !DATE_SOURCES.contains(&s)
        {
            d.push(invalid(
                "target_object_key_format.partitioned_prefix.partition_date_source",
                "Invalid partition_date_source",
                format!("{s:?}: expected EventTime or DeliveryTime"),
            ));
        }
        d
    }

    async fn get(
        ctx: &Ctx,
        b: &BucketRef,
        _prior: &Value,
    ) -> Result<Option<Vec<(&'static str, Value)>>, ProviderError> {
        let Some(out) = got(ctx
            .s3
            .get_bucket_logging()
            .bucket(&b.bucket)
            .set_expected_bucket_owner(b.owner.clone())
            .send()
            .boxed()
            .await)?
        else {
            return Ok(None);
        };
        // Logging off reads as a status without LoggingEnabled: the configuration is gone.
        let Some(l) = out.logging_enabled() else {
            return Ok(None);
        };
        let format = match l.target_object_key_format() {
            Some(f) => Value::object([
                (
                    "partitioned_prefix",
                    f.partitioned_prefix()
                        .map(|p| {
                            Value::object([(
                                "partition_date_source",
                                p.partition_date_source()
                                    .map(|s| string(s.as_str()))
                                    .unwrap_or(Value::Null),
                            )])
                        })
                        .unwrap_or(Value::Null),
                ),
                (
                    "simple_prefix",
                    f.simple_prefix()
                        .map(|_| Value::Map(Default::default()))
                        .unwrap_or(Value::Null),
                ),
            ]),
            None => Value::Null,
        };
        Ok(Some(vec![
            ("target_bucket", string(l.target_bucket())),
            ("target_prefix", string(l.target_prefix())),
            ("target_object_key_format", format),
        ]))
    }

    async fn put(ctx: &Ctx, b: &BucketRef, planned: &Value) -> Result<(), ProviderError> {
        let format = block(planned, "target_object_key_format").map(|f| {
            TargetObjectKeyFormat::builder()
                .set_partitioned_prefix(block(f, "partitioned_prefix").map(|p| {
                    PartitionedPrefix::builder()
                        .set_partition_date_source(
                            opt_str(p, "partition_date_source").map(|s| PartitionDateSource::from(s.as_str())),
                        )
                        .build()
                }))
                .set_simple_prefix(block(f, "simple_prefix").map(|_| SimplePrefix::builder().build()))
                .build()
        });
        let enabled = LoggingEnabled::builder()
            .target_bucket(req_str(planned, "target_bucket")?)
            .target_prefix(opt_str(planned, "target_prefix").unwrap_or_default())
            .set_target_object_key_format(format)
            .build()
            .map_err(|e| build_error("target_bucket", e))?;
        done(
            ctx.s3
                .put_bucket_logging()
                .bucket(&b.bucket)
                .set_expected_bucket_owner(b.owner.clone())
                .bucket_logging_status(BucketLoggingStatus::builder().logging_enabled(enabled).build())
                .send()
                .boxed()
                .await,
            false,
        )
    }

    async fn remove(ctx: &Ctx, b: &BucketRef, _prior: &Value) -> Result<(), ProviderError> {
        done(
            ctx.s3
                .put_bucket_logging()
                .bucket(&b.bucket)
                .set_expected_bucket_owner(b.owner.clone())
                .bucket_logging_status(BucketLoggingStatus::builder().build())
                .send()
                .boxed()
                .await,
            true,
        )
    }
}
