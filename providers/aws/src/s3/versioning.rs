//! `aws_s3_bucket_versioning`: the versioning state of a bucket (GetBucketVersioning /
//! PutBucketVersioning). Destroy suspends versioning, as Terraform does: a bucket that was ever
//! versioned cannot go back to unversioned.

use std::sync::LazyLock;

use async_trait::async_trait;
use aws_sdk_s3::types::{BucketVersioningStatus, MfaDelete, VersioningConfiguration};
use futures::FutureExt as _;
use plinth_sdk::{Attribute, ProviderDiagnostic, ProviderError, Schema, Type, Value};

use super::{BucketConfig, BucketRef, done, got, sub_schema};
use crate::Ctx;
use crate::util::one_of;
use crate::util::{block, single};
use crate::util::{opt_str, string};

pub struct Versioning;

static SCHEMA: LazyLock<Schema> = LazyLock::new(|| {
    sub_schema(
        Schema::new(
            "The versioning state of a bucket: model artifacts and datasets keep every version. Destroy \
             suspends versioning (a versioned bucket cannot become unversioned). Import with `BUCKET` or \
             `BUCKET,EXPECTED_BUCKET_OWNER`.",
        )
        .attr(
            "mfa",
            Attribute::optional(Type::String).describe(
                "The MFA device's serial number, a space and the code it shows; needed to change mfa_delete. \
                 Sent, never read back (kept from the configuration).",
            ),
        )
        .block(
            "versioning_configuration",
            single(
                Schema::new("The versioning state.")
                    .attr(
                        "status",
                        Attribute::required(Type::String).describe(
                            "`Enabled`, `Suspended`, or `Disabled` (only when creating on a bucket never versioned: \
                             nothing is sent).",
                        ),
                    )
                    .attr(
                        "mfa_delete",
                        Attribute::optional_computed(Type::String)
                            .describe("`Enabled` or `Disabled`: whether deleting a version needs MFA."),
                    ),
                1,
                false,
            ),
        ),
        true,
    )
});

#[async_trait]
impl BucketConfig for Versioning {
    const TYPE_NAME: &'static str = "aws_s3_bucket_versioning";

    fn schema() -> &'static Schema {
        &SCHEMA
    }

    fn validate(config: &Value) -> Vec<ProviderDiagnostic> {
        let vc = config.get("versioning_configuration");
        [
            one_of(
                vc.get("status"),
                "versioning_configuration.status",
                &["Enabled", "Suspended", "Disabled"],
            ),
            one_of(
                vc.get("mfa_delete"),
                "versioning_configuration.mfa_delete",
                &["Enabled", "Disabled"],
            ),
        ]
        .into_iter()
        .flatten()
        .collect()
    }

    async fn get(ctx: &Ctx, b: &BucketRef, prior: &Value) -> Result<Option<Vec<(&'static str, Value)>>, ProviderError> {
        let Some(out) = got(ctx
            .s3
            .get_bucket_versioning()
            .bucket(&b.bucket)
            .set_expected_bucket_owner(b.owner.clone())
            .send()
            .boxed()
            .await)?
        else {
            return Ok(None);
        };
        // S3 leaves Status out for a bucket never versioned.
        let status = out.status().map(|s| s.as_str()).unwrap_or("Disabled");
        // S3 leaves MFADelete out until it was once set: the configuration's value stands (null
        // when it left it out).
        let mfa_delete = match out.mfa_delete() {
            Some(m) => string(m.as_str()),
            None => block(prior, "versioning_configuration")
                .map(|p| p.get("mfa_delete").clone())
                .filter(|v| !v.is_unknown())
                .unwrap_or(Value::Null),
        };
        Ok(Some(vec![
            ("mfa", prior.get("mfa").clone()),
            (
                "versioning_configuration",
                Value::object([("status", string(status)), ("mfa_delete", mfa_delete)]),
            ),
        ]))
    }

    async fn put(ctx: &Ctx, b: &BucketRef, planned: &Value) -> Result<(), ProviderError> {
        let vc = planned.get("versioning_configuration");
        let status = opt_str(vc, "status").unwrap_or_else(|| "Enabled".into());
        if status == "Disabled" {
            // Terraform sends nothing for Disabled; S3 has no way back to it once versioned.
            let have = ctx
                .s3
                .get_bucket_versioning()
                .bucket(&b.bucket)
                .set_expected_bucket_owner(b.owner.clone())
                .send()
                .boxed()
                .await
                .map_err(crate::error::aws_error)?;
            if have.status().is_some() {
                return Err(ProviderError::with_code(
                    "InvalidParameterValue",
                    format!(
                        "bucket {}: versioning_configuration.status cannot be Disabled on a bucket that was \
                         versioned; use Suspended",
                        b.bucket
                    ),
                ));
            }
            return Ok(());
        }
        let conf = VersioningConfiguration::builder()
            .status(BucketVersioningStatus::from(status.as_str()))
            .set_mfa_delete(opt_str(vc, "mfa_delete").map(|m| MfaDelete::from(m.as_str())))
            .build();
        done(
            ctx.s3
                .put_bucket_versioning()
                .bucket(&b.bucket)
                .set_expected_bucket_owner(b.owner.clone())
                .set_mfa(opt_str(planned, "mfa"))
                .versioning_configuration(conf)
                .send()
                .boxed()
                .await,
            false,
        )
    }

    async fn remove(ctx: &Ctx, b: &BucketRef, prior: &Value) -> Result<(), ProviderError> {
        if opt_str(prior.get("versioning_configuration"), "status").as_deref() == Some("Disabled") {
            return Ok(());
        }
        let conf = VersioningConfiguration::builder()
            .status(BucketVersioningStatus::Suspended)
            .build();
        done(
            ctx.s3
                .put_bucket_versioning()
                .bucket(&b.bucket)
                .set_expected_bucket_owner(b.owner.clone())
                .set_mfa(opt_str(prior, "mfa"))
                .versioning_configuration(conf)
                .send()
                .boxed()
                .await,
            true,
        )
    }
}
