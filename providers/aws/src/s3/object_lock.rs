//! `aws_s3_bucket_object_lock_configuration`: the default retention of a bucket created with
//! object lock (GetObjectLockConfiguration / PutObjectLockConfiguration). Object lock cannot be
//! turned off: destroy removes the default retention rule, as Terraform does.

use std::sync::LazyLock;

use async_trait::async_trait;
use aws_sdk_s3::types::{
    DefaultRetention, ObjectLockConfiguration, ObjectLockEnabled, ObjectLockRetentionMode, ObjectLockRule,
};
use futures::FutureExt as _;
use plinth_sdk::{Attribute, PlanRequest, PlanResponse, ProviderDiagnostic, ProviderError, Schema, Type, Value};

use super::{BucketConfig, BucketRef, done, got, invalid, sub_schema};
use crate::Ctx;
use crate::util::{block, single};
use crate::util::{opt_i64, opt_str, string, with_defaults};

pub struct ObjectLock;

const MODES: &[&str] = &["GOVERNANCE", "COMPLIANCE"];

static SCHEMA: LazyLock<Schema> = LazyLock::new(|| {
    sub_schema(
        Schema::new(
            "Object lock settings of a bucket created with object lock enabled (`object_lock_enabled = true` on \
             `aws_s3_bucket`): the default retention of new object versions. Object lock cannot be turned off; \
             destroy removes the default retention. Import with `BUCKET` or `BUCKET,EXPECTED_BUCKET_OWNER`.",
        )
        .attr(
            "object_lock_enabled",
            Attribute::optional(Type::String)
                .force_new()
                .describe("`Enabled` (the default and only value)."),
        )
        .block(
            "rule",
            single(
                Schema::new("The default retention rule.").block(
                    "default_retention",
                    single(
                        Schema::new("How long new object versions are locked: `days` or `years`.")
                            .attr(
                                "mode",
                                Attribute::optional(Type::String).describe(
                                    "`GOVERNANCE` (users with a special permission may delete) or `COMPLIANCE` \
                                     (nobody may, root included).",
                                ),
                            )
                            .attr(
                                "days",
                                Attribute::optional(Type::Number).describe("Retention in days (conflicts with years)."),
                            )
                            .attr(
                                "years",
                                Attribute::optional(Type::Number).describe("Retention in years (conflicts with days)."),
                            ),
                        1,
                        false,
                    ),
                ),
                0,
                false,
            ),
        )
        .unsupported(
            "token",
            "the token that enables object lock on an existing bucket is not supported by Plinth yet: create the \
             bucket with object_lock_enabled = true",
        ),
        true,
    )
});

/// A retention count S3 reports (moto reports an unset one as 0): null when unset.
fn count(n: Option<i32>) -> Value {
    n.filter(|n| *n > 0)
        .map(|n| Value::int(n.into()))
        .unwrap_or(Value::Null)
}

#[async_trait]
impl BucketConfig for ObjectLock {
    const TYPE_NAME: &'static str = "aws_s3_bucket_object_lock_configuration";

    fn schema() -> &'static Schema {
        &SCHEMA
    }

    fn plan(_ctx: &Ctx, req: &PlanRequest) -> PlanResponse {
        // Unset is the default, Enabled, before the force-new comparison sees it.
        let req = PlanRequest {
            config: with_defaults(&req.config, &[("object_lock_enabled", string("Enabled"))]),
            ..req.clone()
        };
        crate::util::plan_blocks(Self::schema(), &req)
    }

    fn validate(config: &Value) -> Vec<ProviderDiagnostic> {
        let mut d = Vec::new();
        if let Some(e) = config.get("object_lock_enabled").as_str()
            && e != "Enabled"
        {
            d.push(invalid(
                "object_lock_enabled",
                "Invalid object_lock_enabled",
                format!("{e:?}: the only value is Enabled"),
            ));
        }
        let r = config.get("rule").get("default_retention");
        if let Some(m) = r.get("mode").as_str()
            && !MODES.contains(&m)
        {
            d.push(invalid(
                "rule.default_retention.mode",
                "Invalid retention mode",
                format!("{m:?}: expected GOVERNANCE or COMPLIANCE"),
            ));
        }
        if !r.get("days").is_null() && !r.get("years").is_null() {
            d.push(invalid(
                "rule.default_retention",
                "Conflicting retention",
                "set days or years, not both",
            ));
        }
        for k in ["days", "years"] {
            if let Some(n) = r.get(k).as_i64()
                && n <= 0
            {
                d.push(invalid(
                    &format!("rule.default_retention.{k}"),
                    "Invalid retention",
                    format!("{k} must be a positive whole number, got {n}"),
                ));
            }
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
            .get_object_lock_configuration()
            .bucket(&b.bucket)
            .set_expected_bucket_owner(b.owner.clone())
            .send()
            .boxed()
            .await)?
        else {
            return Ok(None);
        };
        let Some(conf) = out.object_lock_configuration() else {
            return Ok(None);
        };
        let rule = conf
            .rule()
            .and_then(|r| r.default_retention())
            .map(|d| {
                Value::object([(
                    "default_retention",
                    Value::object([
                        ("mode", d.mode().map(|m| string(m.as_str())).unwrap_or(Value::Null)),
                        ("days", count(d.days())),
                        ("years", count(d.years())),
                    ]),
                )])
            })
            .unwrap_or(Value::Null);
        Ok(Some(vec![
            (
                "object_lock_enabled",
                conf.object_lock_enabled()
                    .map(|e| string(e.as_str()))
                    .unwrap_or(Value::Null),
            ),
            ("rule", rule),
        ]))
    }

    async fn put(ctx: &Ctx, b: &BucketRef, planned: &Value) -> Result<(), ProviderError> {
        let rule = block(planned, "rule")
            .and_then(|r| block(r, "default_retention"))
            .map(|d| {
                ObjectLockRule::builder()
                    .default_retention(
                        DefaultRetention::builder()
                            .set_mode(opt_str(d, "mode").map(|m| ObjectLockRetentionMode::from(m.as_str())))
                            .set_days(opt_i64(d, "days").map(|n| n as i32))
                            .set_years(opt_i64(d, "years").map(|n| n as i32))
                            .build(),
                    )
                    .build()
            });
        let conf = ObjectLockConfiguration::builder()
            .object_lock_enabled(ObjectLockEnabled::Enabled)
            .set_rule(rule)
            .build();
        done(
            ctx.s3
                .put_object_lock_configuration()
                .bucket(&b.bucket)
                .set_expected_bucket_owner(b.owner.clone())
                .object_lock_configuration(conf)
                .send()
                .boxed()
                .await,
            false,
        )
    }

    async fn remove(ctx: &Ctx, b: &BucketRef, _prior: &Value) -> Result<(), ProviderError> {
        let conf = ObjectLockConfiguration::builder()
            .object_lock_enabled(ObjectLockEnabled::Enabled)
            .build();
        done(
            ctx.s3
                .put_object_lock_configuration()
                .bucket(&b.bucket)
                .set_expected_bucket_owner(b.owner.clone())
                .object_lock_configuration(conf)
                .send()
                .boxed()
                .await,
            true,
        )
    }
}
