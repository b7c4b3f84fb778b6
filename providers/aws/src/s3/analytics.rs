//! `aws_s3_bucket_analytics_configuration`: one named S3 storage-class analysis configuration of
//! a bucket — which objects S3 watches to suggest when to move them to a cheaper storage class,
//! and where it exports the daily findings (Get/Put/DeleteBucketAnalyticsConfiguration, by id =
//! `name`). Import id `BUCKET:NAME`.

use std::sync::LazyLock;

use async_trait::async_trait;
use aws_sdk_s3::types::{
    AnalyticsAndOperator, AnalyticsConfiguration, AnalyticsExportDestination, AnalyticsFilter,
    AnalyticsS3BucketDestination, AnalyticsS3ExportFileFormat, StorageClassAnalysis, StorageClassAnalysisDataExport,
    StorageClassAnalysisSchemaVersion,
};
use futures::FutureExt as _;
use plinth_sdk::{Attribute, PlanRequest, PlanResponse, ProviderDiagnostic, ProviderError, Schema, Type, Value};

use super::{
    BucketConfig, BucketRef, build_error, done, got, invalid, name_of, named_schema, prefix, tags_from, tags_of,
};
use crate::Ctx;
use crate::util::{block, one_of, opt_str, opt_string, single, string};

pub struct Analytics;

static SCHEMA: LazyLock<Schema> = LazyLock::new(|| {
    let filter = Schema::new("Which objects are analysed (every object when left out); set prefix, tags or both.")
        .attr("prefix", Attribute::optional(Type::String).describe("Key prefix."))
        .attr(
            "tags",
            Attribute::optional(Type::Map(Box::new(Type::String))).describe("Tags the object must carry."),
        );
    let bucket = Schema::new("The bucket the findings are exported to.")
        .attr(
            "bucket_arn",
            Attribute::required(Type::String).describe("ARN of the destination bucket."),
        )
        .attr(
            "bucket_account_id",
            Attribute::optional(Type::String).describe("Account id expected to own the destination bucket."),
        )
        .attr(
            "format",
            Attribute::optional(Type::String).describe("Format of the export: `CSV` (the default and only one)."),
        )
        .attr(
            "prefix",
            Attribute::optional(Type::String).describe("Key prefix of the exported files."),
        );
    let destination = Schema::new("Where the findings go.").block("s3_bucket_destination", single(bucket, 1, false));
    let data_export = Schema::new("Export of the findings.")
        .attr(
            "output_schema_version",
            Attribute::optional(Type::String).describe("Schema of the export: `V_1` (the default and only one)."),
        )
        .block("destination", single(destination, 1, false));
    named_schema(
        Schema::new(
            "An S3 storage-class analysis configuration of a bucket (one of several, by name). Import with \
             `BUCKET:NAME`.",
        )
        .block("filter", single(filter, 0, false))
        .block(
            "storage_class_analysis",
            single(
                Schema::new("Export the analysis (without it, the findings are only shown in the console).")
                    .block("data_export", single(data_export, 1, false)),
                0,
                false,
            ),
        ),
        "Name of the configuration (its id in S3)",
    )
});

/// Terraform's defaults inside the export blocks: `output_schema_version = "V_1"`, `format =
/// "CSV"`, set where the block is configured and the argument is not.
fn with_export_defaults(config: &Value) -> Value {
    fn default(v: &mut Value, key: &str, d: &str) {
        if let Value::Map(m) = v
            && m.get(key).is_none_or(Value::is_null)
        {
            m.insert(key.to_string(), string(d));
        }
    }
    fn child<'a>(v: &'a mut Value, key: &str) -> Option<&'a mut Value> {
        match v {
            Value::Map(m) => m.get_mut(key).filter(|c| c.as_map().is_some()),
            _ => None,
        }
    }
    let mut out = config.clone();
    if let Some(export) = child(&mut out, "storage_class_analysis").and_then(|s| child(s, "data_export")) {
        default(export, "output_schema_version", "V_1");
        if let Some(b) = child(export, "destination").and_then(|d| child(d, "s3_bucket_destination")) {
            default(b, "format", "CSV");
        }
    }
    out
}

fn filter_value(f: &AnalyticsFilter, prior: &Value) -> Value {
    let (p, tags) = match f {
        AnalyticsFilter::Prefix(p) => (Some(p.as_str()), Value::Null),
        AnalyticsFilter::Tag(t) => (None, tags_of(std::slice::from_ref(t))),
        AnalyticsFilter::And(a) => (a.prefix(), tags_of(a.tags())),
        _ => (None, Value::Null),
    };
    Value::object([("prefix", prefix(p, prior.get("prefix"))), ("tags", tags)])
}

/// The configured filter as S3's, as Terraform builds it: none when it names neither a prefix
/// nor a tag, `And` for more than one condition.
fn filter_of(f: &Value) -> Option<AnalyticsFilter> {
    let p = opt_str(f, "prefix");
    let tags = tags_from(f, "tags");
    if tags.len() + usize::from(p.is_some()) > 1 {
        return Some(AnalyticsFilter::And(
            AnalyticsAndOperator::builder()
                .set_prefix(p)
                .set_tags(Some(tags).filter(|t| !t.is_empty()))
                .build(),
        ));
    }
    if let Some(p) = p {
        return Some(AnalyticsFilter::Prefix(p));
    }
    tags.into_iter().next().map(AnalyticsFilter::Tag)
}

fn analysis_value(a: &StorageClassAnalysis, prior: &Value) -> Value {
    let Some(e) = a.data_export() else {
        return Value::Null;
    };
    let prior_bucket = prior.get("data_export").get("destination").get("s3_bucket_destination");
    let destination = e.destination().and_then(|d| d.s3_bucket_destination()).map(|d| {
        Value::object([(
            "s3_bucket_destination",
            Value::object([
                ("bucket_arn", string(d.bucket())),
                ("bucket_account_id", opt_string(d.bucket_account_id())),
                ("format", string(d.format().as_str())),
                ("prefix", prefix(d.prefix(), prior_bucket.get("prefix"))),
            ]),
        )])
    });
    Value::object([(
        "data_export",
        Value::object([
            ("output_schema_version", string(e.output_schema_version().as_str())),
            ("destination", destination.unwrap_or(Value::Null)),
        ]),
    )])
}

/// The configured `storage_class_analysis` as S3's; an empty one (no export) when left out, as
/// S3 requires the element.
fn analysis_of(planned: &Value) -> Result<StorageClassAnalysis, ProviderError> {
    let Some(e) = block(planned, "storage_class_analysis").and_then(|s| block(s, "data_export")) else {
        return Ok(StorageClassAnalysis::builder().build());
    };
    let b = e.get("destination").get("s3_bucket_destination");
    let bucket = AnalyticsS3BucketDestination::builder()
        .set_bucket(opt_str(b, "bucket_arn"))
        .set_bucket_account_id(opt_str(b, "bucket_account_id"))
        .format(AnalyticsS3ExportFileFormat::from(
            opt_str(b, "format").unwrap_or_else(|| "CSV".into()).as_str(),
        ))
        .set_prefix(opt_str(b, "prefix"))
        .build()
        .map_err(|e| {
            build_error(
                "storage_class_analysis.data_export.destination.s3_bucket_destination",
                e,
            )
        })?;
    let export = StorageClassAnalysisDataExport::builder()
        .output_schema_version(StorageClassAnalysisSchemaVersion::from(
            opt_str(e, "output_schema_version")
                .unwrap_or_else(|| "V_1".into())
                .as_str(),
        ))
        .destination(
            AnalyticsExportDestination::builder()
                .s3_bucket_destination(bucket)
                .build(),
        )
        .build()
        .map_err(|e| build_error("storage_class_analysis.data_export", e))?;
    Ok(StorageClassAnalysis::builder().data_export(export).build())
}

#[async_trait]
impl BucketConfig for Analytics {
    const TYPE_NAME: &'static str = "aws_s3_bucket_analytics_configuration";
    const NAMED: bool = true;
    const HAS_OWNER: bool = false;

    fn schema() -> &'static Schema {
        &SCHEMA
    }

    fn validate(config: &Value) -> Vec<ProviderDiagnostic> {
        let mut d = Vec::new();
        if let Some(f) = block(config, "filter")
            && f.get("prefix").is_null()
            && f.get("tags").is_null()
        {
            d.push(invalid(
                "filter",
                "Empty filter",
                "set prefix, tags or both (or leave the filter block out to analyse every object)",
            ));
        }
        let export = config.get("storage_class_analysis").get("data_export");
        d.extend(one_of(
            export.get("output_schema_version"),
            "storage_class_analysis.data_export.output_schema_version",
            &["V_1"],
        ));
        d.extend(one_of(
            export.get("destination").get("s3_bucket_destination").get("format"),
            "storage_class_analysis.data_export.destination.s3_bucket_destination.format",
            &["CSV"],
        ));
        d
    }

    fn plan(_ctx: &Ctx, req: &PlanRequest) -> PlanResponse {
        let req = PlanRequest {
            config: with_export_defaults(&req.config),
            ..req.clone()
        };
        crate::util::plan_blocks(Self::schema(), &req)
    }

    async fn get(ctx: &Ctx, b: &BucketRef, prior: &Value) -> Result<Option<Vec<(&'static str, Value)>>, ProviderError> {
        let name = name_of(prior)?;
        let Some(out) = got(ctx
            .s3
            .get_bucket_analytics_configuration()
            .bucket(&b.bucket)
            .id(&name)
            .send()
            .boxed()
            .await)?
        else {
            return Ok(None);
        };
        let Some(c) = out.analytics_configuration() else {
            return Ok(None);
        };
        let prior_filter = block(prior, "filter").unwrap_or(&Value::Null);
        let prior_analysis = prior.get("storage_class_analysis");
        Ok(Some(vec![
            ("name", string(c.id())),
            (
                "filter",
                c.filter().map(|f| filter_value(f, prior_filter)).unwrap_or(Value::Null),
            ),
            (
                "storage_class_analysis",
                c.storage_class_analysis()
                    .map(|a| analysis_value(a, prior_analysis))
                    .unwrap_or(Value::Null),
            ),
        ]))
    }

    async fn put(ctx: &Ctx, b: &BucketRef, planned: &Value) -> Result<(), ProviderError> {
        let name = name_of(planned)?;
        let conf = AnalyticsConfiguration::builder()
            .id(&name)
            .set_filter(block(planned, "filter").and_then(filter_of))
            .storage_class_analysis(analysis_of(planned)?)
            .build()
            .map_err(|e| build_error("name", e))?;
        done(
            ctx.s3
                .put_bucket_analytics_configuration()
                .bucket(&b.bucket)
                .id(&name)
                .analytics_configuration(conf)
                .send()
                .boxed()
                .await,
            false,
        )
    }

    async fn remove(ctx: &Ctx, b: &BucketRef, prior: &Value) -> Result<(), ProviderError> {
        done(
            ctx.s3
                .delete_bucket_analytics_configuration()
                .bucket(&b.bucket)
                .id(name_of(prior)?)
                .send()
                .boxed()
                .await,
            true,
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The export's defaults are filled in where its blocks are configured, and only there.
    #[test]
    fn export_defaults_fill_configured_blocks() {
        let cfg = Value::object([(
            "storage_class_analysis",
            Value::object([(
                "data_export",
                Value::object([(
                    "destination",
                    Value::object([(
                        "s3_bucket_destination",
                        Value::object([("bucket_arn", string("arn:aws:s3:::b"))]),
                    )]),
                )]),
            )]),
        )]);
        let out = with_export_defaults(&cfg);
        let e = out.get("storage_class_analysis").get("data_export");
        assert_eq!(e.get("output_schema_version"), &string("V_1"));
        assert_eq!(
            e.get("destination").get("s3_bucket_destination").get("format"),
            &string("CSV")
        );
        let none = Value::object([("storage_class_analysis", Value::Null)]);
        assert_eq!(with_export_defaults(&none), none);
    }

    #[test]
    fn a_filter_of_prefix_and_tag_is_an_and() {
        let f = Value::object([
            ("prefix", string("logs/")),
            ("tags", Value::object([("team", string("ml"))])),
        ]);
        assert!(matches!(filter_of(&f), Some(AnalyticsFilter::And(_))));
        let p = Value::object([("prefix", string("logs/")), ("tags", Value::Null)]);
        assert_eq!(filter_of(&p), Some(AnalyticsFilter::Prefix("logs/".into())));
        let empty = Value::object([("prefix", Value::Null), ("tags", Value::Null)]);
        assert_eq!(filter_of(&empty), None);
    }
}
