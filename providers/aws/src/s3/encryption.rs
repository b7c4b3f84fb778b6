//! `aws_s3_bucket_server_side_encryption_configuration`: a bucket's default encryption
//! (GetBucketEncryption / PutBucketEncryption / DeleteBucketEncryption). Since January 2023 S3
//! encrypts every bucket with SSE-S3 (AES256) by default, so after destroy the bucket still
//! reports that default, as with Terraform.

use std::sync::LazyLock;

use async_trait::async_trait;
use aws_sdk_s3::types::{
    ServerSideEncryption, ServerSideEncryptionByDefault, ServerSideEncryptionConfiguration, ServerSideEncryptionRule,
};
use futures::FutureExt as _;
use plinth_sdk::{Attribute, ProviderDiagnostic, ProviderError, Schema, Type, Value};

use super::{BucketConfig, BucketRef, bool_like_prior, build_error, done, got, invalid, sub_schema};
use crate::Ctx;
use crate::util::{block, items, list, single};
use crate::util::{opt_bool, opt_str, opt_string, string};

pub struct Encryption;

const ALGORITHMS: &[&str] = &["AES256", "aws:kms", "aws:kms:dsse"];

static SCHEMA: LazyLock<Schema> = LazyLock::new(|| {
    let by_default = Schema::new("The encryption applied to new objects that ask for none.")
        .attr(
            "sse_algorithm",
            Attribute::required(Type::String).describe("`AES256`, `aws:kms` or `aws:kms:dsse`."),
        )
        .attr(
            "kms_master_key_id",
            Attribute::optional(Type::String)
                .describe("The KMS key (id, ARN or alias) for `aws:kms`; left out, S3's AWS managed key."),
        );
    sub_schema(
        Schema::new(
            "The default server-side encryption of a bucket (SSE-S3 or SSE-KMS with a customer key). Import with \
             `BUCKET` or `BUCKET,EXPECTED_BUCKET_OWNER`.",
        )
        .block(
            "rule",
            list(
                Schema::new("One encryption rule (S3 takes one).")
                    .attr(
                        "bucket_key_enabled",
                        Attribute::optional(Type::Bool)
                            .describe("Use an S3 Bucket Key for SSE-KMS (fewer KMS requests)."),
                    )
                    .block("apply_server_side_encryption_by_default", single(by_default, 0, false)),
                1,
                None,
                false,
            ),
        ),
        true,
    )
});

#[async_trait]
impl BucketConfig for Encryption {
    const TYPE_NAME: &'static str = "aws_s3_bucket_server_side_encryption_configuration";

    fn schema() -> &'static Schema {
        &SCHEMA
    }

    fn validate(config: &Value) -> Vec<ProviderDiagnostic> {
        let mut d = Vec::new();
        for (i, r) in items(config, "rule").iter().enumerate() {
            if let Some(by) = block(r, "apply_server_side_encryption_by_default")
                && let Some(a) = by.get("sse_algorithm").as_str()
                && !ALGORITHMS.contains(&a)
            {
                d.push(invalid(
                    &format!("rule[{i}].apply_server_side_encryption_by_default.sse_algorithm"),
                    "Invalid sse_algorithm",
                    format!("{a:?}: expected one of {}", ALGORITHMS.join(", ")),
                ));
            }
        }
        d
    }

    async fn get(ctx: &Ctx, b: &BucketRef, prior: &Value) -> Result<Option<Vec<(&'static str, Value)>>, ProviderError> {
        let Some(out) = got(ctx
            .s3
            .get_bucket_encryption()
            .bucket(&b.bucket)
            .set_expected_bucket_owner(b.owner.clone())
            .send()
            .boxed()
            .await)?
        else {
            return Ok(None);
        };
        let prior_rules = items(prior, "rule");
        let rules: Vec<Value> = out
            .server_side_encryption_configuration()
            .map(|c| c.rules())
            .unwrap_or_default()
            .iter()
            .enumerate()
            .map(|(i, r)| {
                let p = prior_rules.get(i).unwrap_or(&Value::Null);
                let by = r
                    .apply_server_side_encryption_by_default()
                    .map(|d| {
                        Value::object([
                            ("sse_algorithm", string(d.sse_algorithm().as_str())),
                            ("kms_master_key_id", opt_string(d.kms_master_key_id())),
                        ])
                    })
                    .unwrap_or(Value::Null);
                Value::object([
                    (
                        "bucket_key_enabled",
                        bool_like_prior(r.bucket_key_enabled(), p.get("bucket_key_enabled")),
                    ),
                    ("apply_server_side_encryption_by_default", by),
                ])
            })
            .collect();
        Ok(Some(vec![("rule", Value::List(rules))]))
    }

    async fn put(ctx: &Ctx, b: &BucketRef, planned: &Value) -> Result<(), ProviderError> {
        let mut conf = ServerSideEncryptionConfiguration::builder();
        for r in items(planned, "rule") {
            let by = match block(r, "apply_server_side_encryption_by_default") {
                Some(by) => Some(
                    ServerSideEncryptionByDefault::builder()
                        .sse_algorithm(ServerSideEncryption::from(
                            opt_str(by, "sse_algorithm").unwrap_or_default().as_str(),
                        ))
                        .set_kms_master_key_id(opt_str(by, "kms_master_key_id"))
                        .build()
                        .map_err(|e| build_error("apply_server_side_encryption_by_default", e))?,
                ),
                None => None,
            };
            conf = conf.rules(
                ServerSideEncryptionRule::builder()
                    .set_apply_server_side_encryption_by_default(by)
                    .set_bucket_key_enabled(opt_bool(r, "bucket_key_enabled"))
                    .build(),
            );
        }
        let conf = conf.build().map_err(|e| build_error("rule", e))?;
        done(
            ctx.s3
                .put_bucket_encryption()
                .bucket(&b.bucket)
                .set_expected_bucket_owner(b.owner.clone())
                .server_side_encryption_configuration(conf)
                .send()
                .boxed()
                .await,
            false,
        )
    }

    async fn remove(ctx: &Ctx, b: &BucketRef, _prior: &Value) -> Result<(), ProviderError> {
        done(
            ctx.s3
                .delete_bucket_encryption()
                .bucket(&b.bucket)
                .set_expected_bucket_owner(b.owner.clone())
                .send()
                .boxed()
                .await,
            true,
        )
    }
}
