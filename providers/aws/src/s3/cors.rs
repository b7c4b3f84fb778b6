//! `aws_s3_bucket_cors_configuration`: the bucket's CORS rules (GetBucketCors / PutBucketCors /
//! DeleteBucketCors), in the order configured.

use std::sync::LazyLock;

use async_trait::async_trait;
use aws_sdk_s3::types::{CorsConfiguration, CorsRule};
use futures::FutureExt as _;
use plinth_sdk::{Attribute, ProviderError, Schema, Type, Value};

use super::{BucketConfig, BucketRef, build_error, done, got, sub_schema};
use crate::Ctx;
use crate::util::{items, list};
use crate::util::{list_of_strings, opt_i64, opt_str, opt_string, str_list};

pub struct Cors;

fn strings(description: &str) -> Attribute {
    Attribute::optional(Type::List(Box::new(Type::String))).describe(description)
}

static SCHEMA: LazyLock<Schema> = LazyLock::new(|| {
    sub_schema(
        Schema::new(
            "Cross-origin resource sharing for a bucket (a browser front end uploading to it). Import with \
             `BUCKET` or `BUCKET,EXPECTED_BUCKET_OWNER`.",
        )
        .block(
            "cors_rule",
            list(
                Schema::new("One CORS rule (up to 100).")
                    .attr(
                        "allowed_methods",
                        Attribute::required(Type::List(Box::new(Type::String)))
                            .describe("GET, PUT, HEAD, POST, DELETE."),
                    )
                    .attr(
                        "allowed_origins",
                        Attribute::required(Type::List(Box::new(Type::String))).describe("Origins allowed."),
                    )
                    .attr("allowed_headers", strings("Headers allowed in a preflight request."))
                    .attr("expose_headers", strings("Response headers a browser may read."))
                    .attr(
                        "id",
                        Attribute::optional(Type::String).describe("Rule id (up to 255 characters)."),
                    )
                    .attr(
                        "max_age_seconds",
                        Attribute::optional(Type::Number).describe("Seconds a browser caches the preflight answer."),
                    ),
                1,
                Some(100),
                false,
            ),
        ),
        true,
    )
});

/// A list of strings for state: null when S3 returned none and the configuration left it null.
fn strs(live: &[String], prior: &Value) -> Value {
    if live.is_empty() && prior.is_null() {
        Value::Null
    } else {
        list_of_strings(live.iter().cloned())
    }
}

#[async_trait]
impl BucketConfig for Cors {
    const TYPE_NAME: &'static str = "aws_s3_bucket_cors_configuration";

    fn schema() -> &'static Schema {
        &SCHEMA
    }

    async fn get(ctx: &Ctx, b: &BucketRef, prior: &Value) -> Result<Option<Vec<(&'static str, Value)>>, ProviderError> {
        let Some(out) = got(ctx
            .s3
            .get_bucket_cors()
            .bucket(&b.bucket)
            .set_expected_bucket_owner(b.owner.clone())
            .send()
            .boxed()
            .await)?
        else {
            return Ok(None);
        };
        let before = items(prior, "cors_rule");
        let rules = out
            .cors_rules()
            .iter()
            .enumerate()
            .map(|(i, r)| {
                let p = before.get(i).unwrap_or(&Value::Null);
                Value::object([
                    ("allowed_methods", list_of_strings(r.allowed_methods().iter().cloned())),
                    ("allowed_origins", list_of_strings(r.allowed_origins().iter().cloned())),
                    ("allowed_headers", strs(r.allowed_headers(), p.get("allowed_headers"))),
                    ("expose_headers", strs(r.expose_headers(), p.get("expose_headers"))),
                    ("id", opt_string(r.id())),
                    (
                        "max_age_seconds",
                        r.max_age_seconds().map(|n| Value::int(n.into())).unwrap_or(Value::Null),
                    ),
                ])
            })
            .collect();
        Ok(Some(vec![("cors_rule", Value::List(rules))]))
    }

    async fn put(ctx: &Ctx, b: &BucketRef, planned: &Value) -> Result<(), ProviderError> {
        let mut conf = CorsConfiguration::builder();
        for r in items(planned, "cors_rule") {
            let non_empty = |k: &str| Some(str_list(r, k)).filter(|l| !l.is_empty());
            conf = conf.cors_rules(
                CorsRule::builder()
                    .set_allowed_methods(Some(str_list(r, "allowed_methods")))
                    .set_allowed_origins(Some(str_list(r, "allowed_origins")))
                    .set_allowed_headers(non_empty("allowed_headers"))
                    .set_expose_headers(non_empty("expose_headers"))
                    .set_id(opt_str(r, "id"))
                    .set_max_age_seconds(opt_i64(r, "max_age_seconds").map(|n| n as i32))
                    .build()
                    .map_err(|e| build_error("cors_rule", e))?,
            );
        }
        let conf = conf.build().map_err(|e| build_error("cors_rule", e))?;
        done(
            ctx.s3
                .put_bucket_cors()
                .bucket(&b.bucket)
                .set_expected_bucket_owner(b.owner.clone())
                .cors_configuration(conf)
                .send()
                .boxed()
                .await,
            false,
        )
    }

    async fn remove(ctx: &Ctx, b: &BucketRef, _prior: &Value) -> Result<(), ProviderError> {
        done(
            ctx.s3
                .delete_bucket_cors()
                .bucket(&b.bucket)
                .set_expected_bucket_owner(b.owner.clone())
                .send()
                .boxed()
                .await,
            true,
        )
    }
}
