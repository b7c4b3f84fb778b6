//! `aws_s3_bucket_accelerate_configuration`: S3 Transfer Acceleration of a bucket
//! (GetBucketAccelerateConfiguration / PutBucketAccelerateConfiguration). Destroy suspends it,
//! as Terraform does; a bucket that never had it reads as gone.

use std::sync::LazyLock;

use async_trait::async_trait;
use aws_sdk_s3::types::{AccelerateConfiguration, BucketAccelerateStatus};
use futures::FutureExt as _;
use plinth_sdk::{Attribute, ProviderDiagnostic, ProviderError, Schema, Type, Value};

use super::{BucketConfig, BucketRef, done, got, sub_schema};
use crate::Ctx;
use crate::util::one_of;
use crate::util::{opt_str, string};

pub struct Accelerate;

static SCHEMA: LazyLock<Schema> = LazyLock::new(|| {
    sub_schema(
        Schema::new(
            "Transfer Acceleration of a bucket (uploads of large datasets from far regions). Destroy suspends it. \
             Import with `BUCKET` or `BUCKET,EXPECTED_BUCKET_OWNER`.",
        )
        .attr(
            "status",
            Attribute::required(Type::String).describe("`Enabled` or `Suspended`."),
        ),
        true,
    )
});

#[async_trait]
impl BucketConfig for Accelerate {
    const TYPE_NAME: &'static str = "aws_s3_bucket_accelerate_configuration";

    fn schema() -> &'static Schema {
        &SCHEMA
    }

    fn validate(config: &Value) -> Vec<ProviderDiagnostic> {
        one_of(config.get("status"), "status", &["Enabled", "Suspended"])
            .into_iter()
            .collect()
    }

    async fn get(
        ctx: &Ctx,
        b: &BucketRef,
        _prior: &Value,
    ) -> Result<Option<Vec<(&'static str, Value)>>, ProviderError> {
        let Some(out) = got(ctx
            .s3
            .get_bucket_accelerate_configuration()
            .bucket(&b.bucket)
            .set_expected_bucket_owner(b.owner.clone())
            .send()
            .boxed()
            .await)?
        else {
            return Ok(None);
        };
        // Never configured: S3 leaves Status out, and Terraform reads that as gone.
        Ok(out.status().map(|s| vec![("status", string(s.as_str()))]))
    }

    async fn put(ctx: &Ctx, b: &BucketRef, planned: &Value) -> Result<(), ProviderError> {
        let status = opt_str(planned, "status").unwrap_or_default();
        put_status(ctx, b, BucketAccelerateStatus::from(status.as_str()), false).await
    }

    async fn remove(ctx: &Ctx, b: &BucketRef, _prior: &Value) -> Result<(), ProviderError> {
        put_status(ctx, b, BucketAccelerateStatus::Suspended, true).await
    }
}

async fn put_status(
    ctx: &Ctx,
    b: &BucketRef,
    status: BucketAccelerateStatus,
    missing_ok: bool,
) -> Result<(), ProviderError> {
    done(
        ctx.s3
            .put_bucket_accelerate_configuration()
            .bucket(&b.bucket)
            .set_expected_bucket_owner(b.owner.clone())
            .accelerate_configuration(AccelerateConfiguration::builder().status(status).build())
            .send()
            .boxed()
            .await,
        missing_ok,
    )
}
