//! `aws_s3_bucket_ownership_controls`: who owns objects others upload, and whether ACLs apply at
//! all (GetBucketOwnershipControls / PutBucketOwnershipControls / DeleteBucketOwnershipControls).

use std::sync::LazyLock;

use async_trait::async_trait;
use aws_sdk_s3::types::{ObjectOwnership, OwnershipControls as Controls, OwnershipControlsRule};
use futures::FutureExt as _;
use plinth_sdk::{Attribute, ProviderDiagnostic, ProviderError, Schema, Type, Value};

use super::{BucketConfig, BucketRef, build_error, done, got, invalid, sub_schema};
use crate::Ctx;
use crate::util::single;
use crate::util::{opt_str, string};

pub struct OwnershipControls;

const CHOICES: &[&str] = &["BucketOwnerPreferred", "ObjectWriter", "BucketOwnerEnforced"];

static SCHEMA: LazyLock<Schema> = LazyLock::new(|| {
    sub_schema(
        Schema::new(
            "Object ownership of a bucket. `BucketOwnerEnforced` (the default of new buckets) turns ACLs off. \
             Import with the bucket name.",
        )
        .block(
            "rule",
            single(
                Schema::new("The ownership rule.").attr(
                    "object_ownership",
                    Attribute::required(Type::String)
                        .describe("`BucketOwnerPreferred`, `ObjectWriter` or `BucketOwnerEnforced`."),
                ),
                1,
                false,
            ),
        ),
        false,
    )
});

#[async_trait]
impl BucketConfig for OwnershipControls {
    const TYPE_NAME: &'static str = "aws_s3_bucket_ownership_controls";
    const HAS_OWNER: bool = false;

    fn schema() -> &'static Schema {
        &SCHEMA
    }

    fn validate(config: &Value) -> Vec<ProviderDiagnostic> {
        match config.get("rule").get("object_ownership").as_str() {
            Some(o) if !CHOICES.contains(&o) => vec![invalid(
                "rule.object_ownership",
                "Invalid object_ownership",
                format!("{o:?}: expected one of {}", CHOICES.join(", ")),
            )],
            _ => Vec::new(),
        }
    }

    async fn get(
        ctx: &Ctx,
        b: &BucketRef,
        _prior: &Value,
    ) -> Result<Option<Vec<(&'static str, Value)>>, ProviderError> {
        let Some(out) = got(ctx
            .s3
            .get_bucket_ownership_controls()
            .bucket(&b.bucket)
            .send()
            .boxed()
            .await)?
        else {
            return Ok(None);
        };
        let rule = out
            .ownership_controls()
            .and_then(|c| c.rules().first())
            .map(|r| Value::object([("object_ownership", string(r.object_ownership().as_str()))]))
            .unwrap_or(Value::Null);
        Ok(Some(vec![("rule", rule)]))
    }

    async fn put(ctx: &Ctx, b: &BucketRef, planned: &Value) -> Result<(), ProviderError> {
        let o = opt_str(planned.get("rule"), "object_ownership").unwrap_or_default();
        let rule = OwnershipControlsRule::builder()
            .object_ownership(ObjectOwnership::from(o.as_str()))
            .build()
            .map_err(|e| build_error("rule", e))?;
        let controls = Controls::builder()
            .rules(rule)
            .build()
            .map_err(|e| build_error("rule", e))?;
        done(
            ctx.s3
                .put_bucket_ownership_controls()
                .bucket(&b.bucket)
                .ownership_controls(controls)
                .send()
                .boxed()
                .await,
            false,
        )
    }

    async fn remove(ctx: &Ctx, b: &BucketRef, _prior: &Value) -> Result<(), ProviderError> {
        done(
            ctx.s3
                .delete_bucket_ownership_controls()
                .bucket(&b.bucket)
                .send()
                .boxed()
                .await,
            true,
        )
    }
}
