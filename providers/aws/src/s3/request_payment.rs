//! `aws_s3_bucket_request_payment_configuration`: who pays for requests and downloads
//! (GetBucketRequestPayment / PutBucketRequestPayment). Destroy sets the payer back to
//! `BucketOwner`, as Terraform does.

use std::sync::LazyLock;

use async_trait::async_trait;
use aws_sdk_s3::types::{Payer, RequestPaymentConfiguration};
use futures::FutureExt as _;
use plinth_sdk::{Attribute, ProviderDiagnostic, ProviderError, Schema, Type, Value};

use super::{BucketConfig, BucketRef, build_error, done, got, sub_schema};
use crate::Ctx;
use crate::util::one_of;
use crate::util::{opt_str, string};

pub struct RequestPayment;

static SCHEMA: LazyLock<Schema> = LazyLock::new(|| {
    sub_schema(
        Schema::new(
            "Who pays for requests to a bucket (a public dataset shared as Requester Pays). Destroy sets it back \
             to BucketOwner. Import with `BUCKET` or `BUCKET,EXPECTED_BUCKET_OWNER`.",
        )
        .attr(
            "payer",
            Attribute::required(Type::String).describe("`BucketOwner` or `Requester`."),
        ),
        true,
    )
});

#[async_trait]
impl BucketConfig for RequestPayment {
    const TYPE_NAME: &'static str = "aws_s3_bucket_request_payment_configuration";

    fn schema() -> &'static Schema {
        &SCHEMA
    }

    fn validate(config: &Value) -> Vec<ProviderDiagnostic> {
        one_of(config.get("payer"), "payer", &["BucketOwner", "Requester"])
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
            .get_bucket_request_payment()
            .bucket(&b.bucket)
            .set_expected_bucket_owner(b.owner.clone())
            .send()
            .boxed()
            .await)?
        else {
            return Ok(None);
        };
        let payer = out.payer().map(|p| p.as_str()).unwrap_or("BucketOwner");
        Ok(Some(vec![("payer", string(payer))]))
    }

    async fn put(ctx: &Ctx, b: &BucketRef, planned: &Value) -> Result<(), ProviderError> {
        let payer = opt_str(planned, "payer").unwrap_or_default();
        put_payer(ctx, b, Payer::from(payer.as_str()), false).await
    }

    async fn remove(ctx: &Ctx, b: &BucketRef, _prior: &Value) -> Result<(), ProviderError> {
        put_payer(ctx, b, Payer::BucketOwner, true).await
    }
}

async fn put_payer(ctx: &Ctx, b: &BucketRef, payer: Payer, missing_ok: bool) -> Result<(), ProviderError> {
    let conf = RequestPaymentConfiguration::builder()
        .payer(payer)
        .build()
        .map_err(|e| build_error("payer", e))?;
    done(
        ctx.s3
            .put_bucket_request_payment()
            .bucket(&b.bucket)
            .set_expected_bucket_owner(b.owner.clone())
            .request_payment_configuration(conf)
            .send()
            .boxed()
            .await,
        missing_ok,
    )
}
