//! `aws_s3_bucket_metric`: one named CloudWatch request-metrics configuration of a bucket, for
//! every object or those a filter picks (Get/Put/DeleteBucketMetricsConfiguration, by id =
//! `name`). Import id `BUCKET:NAME`.

use std::sync::LazyLock;

use async_trait::async_trait;
use aws_sdk_s3::types::{MetricsAndOperator, MetricsConfiguration, MetricsFilter};
use futures::FutureExt as _;
use plinth_sdk::{Attribute, ProviderError, Schema, Type, Value};

use super::{BucketConfig, BucketRef, build_error, done, got, name_of, named_schema, prefix, tags_from, tags_of};
use crate::Ctx;
use crate::util::{block, opt_str, opt_string, single, string};

pub struct Metric;

static SCHEMA: LazyLock<Schema> = LazyLock::new(|| {
    let filter = Schema::new("Which requests count (every object's when left out).")
        .attr(
            "access_point",
            Attribute::optional(Type::String).describe("ARN of the access point the requests go through."),
        )
        .attr("prefix", Attribute::optional(Type::String).describe("Key prefix."))
        .attr(
            "tags",
            Attribute::optional(Type::Map(Box::new(Type::String))).describe("Tags the object must carry."),
        );
    named_schema(
        Schema::new(
            "A CloudWatch request-metrics configuration of a bucket (one of several, by name). Import with \
             `BUCKET:NAME`.",
        )
        .block("filter", single(filter, 0, false)),
        "Name of the configuration (its id in S3, the FilterId dimension in CloudWatch)",
    )
});

fn filter_value(f: &MetricsFilter, prior: &Value) -> Value {
    let (ap, p, tags) = match f {
        MetricsFilter::AccessPointArn(a) => (Some(a.as_str()), None, Value::Null),
        MetricsFilter::Prefix(p) => (None, Some(p.as_str()), Value::Null),
        MetricsFilter::Tag(t) => (None, None, tags_of(std::slice::from_ref(t))),
        MetricsFilter::And(a) => (a.access_point_arn(), a.prefix(), tags_of(a.tags())),
        _ => (None, None, Value::Null),
    };
    Value::object([
        ("access_point", opt_string(ap)),
        ("prefix", prefix(p, prior.get("prefix"))),
        ("tags", tags),
    ])
}

fn filter_of(f: &Value) -> Option<MetricsFilter> {
    let ap = opt_str(f, "access_point").filter(|a| !a.is_empty());
    let p = opt_str(f, "prefix").filter(|p| !p.is_empty());
    let tags = tags_from(f, "tags");
    let n = tags.len() + usize::from(p.is_some()) + usize::from(ap.is_some());
    if n > 1 {
        return Some(MetricsFilter::And(
            MetricsAndOperator::builder()
                .set_access_point_arn(ap)
                .set_prefix(p)
                .set_tags(Some(tags).filter(|t| !t.is_empty()))
                .build(),
        ));
    }
    if let Some(a) = ap {
        return Some(MetricsFilter::AccessPointArn(a));
    }
    if let Some(p) = p {
        return Some(MetricsFilter::Prefix(p));
    }
    tags.into_iter().next().map(MetricsFilter::Tag)
}

#[async_trait]
impl BucketConfig for Metric {
    const TYPE_NAME: &'static str = "aws_s3_bucket_metric";
    const NAMED: bool = true;
    const HAS_OWNER: bool = false;

    fn schema() -> &'static Schema {
        &SCHEMA
    }

    async fn get(ctx: &Ctx, b: &BucketRef, prior: &Value) -> Result<Option<Vec<(&'static str, Value)>>, ProviderError> {
        let name = name_of(prior)?;
        let Some(out) = got(ctx
            .s3
            .get_bucket_metrics_configuration()
            .bucket(&b.bucket)
            .id(&name)
            .send()
            .boxed()
            .await)?
        else {
            return Ok(None);
        };
        let Some(c) = out.metrics_configuration() else {
            return Ok(None);
        };
        let prior_filter = block(prior, "filter").unwrap_or(&Value::Null);
        Ok(Some(vec![
            ("name", string(c.id())),
            (
                "filter",
                c.filter().map(|f| filter_value(f, prior_filter)).unwrap_or(Value::Null),
            ),
        ]))
    }

    async fn put(ctx: &Ctx, b: &BucketRef, planned: &Value) -> Result<(), ProviderError> {
        let name = name_of(planned)?;
        let conf = MetricsConfiguration::builder()
            .id(&name)
            .set_filter(block(planned, "filter").and_then(filter_of))
            .build()
            .map_err(|e| build_error("name", e))?;
        done(
            ctx.s3
                .put_bucket_metrics_configuration()
                .bucket(&b.bucket)
                .id(&name)
                .metrics_configuration(conf)
                .send()
                .boxed()
                .await,
            false,
        )
    }

    async fn remove(ctx: &Ctx, b: &BucketRef, prior: &Value) -> Result<(), ProviderError> {
        done(
            ctx.s3
                .delete_bucket_metrics_configuration()
                .bucket(&b.bucket)
                .id(name_of(prior)?)
                .send()
                .boxed()
                .await,
            true,
        )
    }
}
