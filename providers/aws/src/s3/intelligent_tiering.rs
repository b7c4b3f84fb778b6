//! `aws_s3_bucket_intelligent_tiering_configuration`: one named S3 Intelligent-Tiering
//! configuration of a bucket — after how many days without access objects in the
//! INTELLIGENT_TIERING storage class move to the archive tiers
//! (Get/Put/DeleteBucketIntelligentTieringConfiguration, by id = `name`). Import id `BUCKET:NAME`.

use std::sync::LazyLock;

use async_trait::async_trait;
use aws_sdk_s3::types::{
    IntelligentTieringAccessTier, IntelligentTieringAndOperator, IntelligentTieringConfiguration,
    IntelligentTieringFilter, IntelligentTieringStatus, Tiering,
};
use futures::FutureExt as _;
use plinth_sdk::{
    Attribute, BlockSchema, Nesting, PlanRequest, PlanResponse, ProviderDiagnostic, ProviderError, Schema, Type, Value,
};

use super::{
    BucketConfig, BucketRef, build_error, done, got, int, name_of, named_schema, plan_defaults, prefix, tags_from,
    tags_of,
};
use crate::Ctx;
use crate::util::{as_block_set, block, items, one_of, opt_i64, opt_str, single, string};

pub struct IntelligentTiering;

const TIERS: &[&str] = &["ARCHIVE_ACCESS", "DEEP_ARCHIVE_ACCESS"];

static SCHEMA: LazyLock<Schema> = LazyLock::new(|| {
    let filter = Schema::new("Which objects the configuration applies to (every object when left out).")
        .attr("prefix", Attribute::optional(Type::String).describe("Key prefix."))
        .attr(
            "tags",
            Attribute::optional(Type::Map(Box::new(Type::String))).describe("Tags the object must carry."),
        );
    let tiering = Schema::new("One archive tier and when objects move to it.")
        .attr(
            "access_tier",
            Attribute::required(Type::String).describe("`ARCHIVE_ACCESS` or `DEEP_ARCHIVE_ACCESS`."),
        )
        .attr(
            "days",
            Attribute::required(Type::Number)
                .describe("Consecutive days without access before the move (90+ for archive, 180+ for deep archive)."),
        );
    named_schema(
        Schema::new(
            "An S3 Intelligent-Tiering archive configuration of a bucket (one of several, by name). Import with \
             `BUCKET:NAME`.",
        )
        .attr(
            "status",
            Attribute::optional(Type::String).describe("`Enabled` (the default) or `Disabled`."),
        )
        .block("filter", single(filter, 0, false))
        .block(
            "tiering",
            BlockSchema {
                nesting: Nesting::Set,
                schema: tiering,
                min_items: 1,
                max_items: None,
                force_new: false,
            },
        ),
        "Name of the configuration (its id in S3)",
    )
});

fn filter_value(f: &IntelligentTieringFilter, prior: &Value) -> Value {
    let (p, tags) = match f.and() {
        Some(a) => (a.prefix(), tags_of(a.tags())),
        None => (
            f.prefix(),
            f.tag().map(|t| tags_of(std::slice::from_ref(t))).unwrap_or(Value::Null),
        ),
    };
    let v = prefix(p, prior.get("prefix"));
    if v.is_null() && tags.is_null() && prior.is_null() {
        // S3's empty filter for a configuration sent without one.
        return Value::Null;
    }
    Value::object([("prefix", v), ("tags", tags)])
}

fn filter_of(f: &Value) -> IntelligentTieringFilter {
    let p = opt_str(f, "prefix").filter(|p| !p.is_empty());
    let tags = tags_from(f, "tags");
    if tags.len() + usize::from(p.is_some()) > 1 {
        IntelligentTieringFilter::builder()
            .and(
                IntelligentTieringAndOperator::builder()
                    .set_prefix(p)
                    .set_tags(Some(tags))
                    .build(),
            )
            .build()
    } else {
        IntelligentTieringFilter::builder()
            .set_prefix(p)
            .set_tag(tags.into_iter().next())
            .build()
    }
}

#[async_trait]
impl BucketConfig for IntelligentTiering {
    const TYPE_NAME: &'static str = "aws_s3_bucket_intelligent_tiering_configuration";
    const NAMED: bool = true;
    const HAS_OWNER: bool = false;

    fn schema() -> &'static Schema {
        &SCHEMA
    }

    fn validate(config: &Value) -> Vec<ProviderDiagnostic> {
        let mut d: Vec<ProviderDiagnostic> = one_of(config.get("status"), "status", &["Enabled", "Disabled"])
            .into_iter()
            .collect();
        for (i, t) in items(config, "tiering").iter().enumerate() {
            d.extend(one_of(
                t.get("access_tier"),
                &format!("tiering[{i}].access_tier"),
                TIERS,
            ));
        }
        d
    }

    fn plan(_ctx: &Ctx, req: &PlanRequest) -> PlanResponse {
        let mut resp = crate::util::plan_blocks(Self::schema(), req);
        plan_defaults(&mut resp, &[("status", string("Enabled"))], &req.config);
        resp
    }

    async fn get(ctx: &Ctx, b: &BucketRef, prior: &Value) -> Result<Option<Vec<(&'static str, Value)>>, ProviderError> {
        let name = name_of(prior)?;
        let Some(out) = got(ctx
            .s3
            .get_bucket_intelligent_tiering_configuration()
            .bucket(&b.bucket)
            .id(&name)
            .send()
            .boxed()
            .await)?
        else {
            return Ok(None);
        };
        let Some(c) = out.intelligent_tiering_configuration() else {
            return Ok(None);
        };
        let prior_filter = block(prior, "filter").unwrap_or(&Value::Null);
        let tierings = c
            .tierings()
            .iter()
            .map(|t| {
                Value::object([
                    ("access_tier", string(t.access_tier().as_str())),
                    ("days", int(Some(t.days()))),
                ])
            })
            .collect();
        Ok(Some(vec![
            ("name", string(c.id())),
            ("status", string(c.status().as_str())),
            (
                "filter",
                c.filter().map(|f| filter_value(f, prior_filter)).unwrap_or(Value::Null),
            ),
            ("tiering", as_block_set(tierings)),
        ]))
    }

    async fn put(ctx: &Ctx, b: &BucketRef, planned: &Value) -> Result<(), ProviderError> {
        let name = name_of(planned)?;
        let mut conf = IntelligentTieringConfiguration::builder()
            .id(&name)
            .status(IntelligentTieringStatus::from(
                opt_str(planned, "status").unwrap_or_else(|| "Enabled".into()).as_str(),
            ))
            .set_filter(block(planned, "filter").map(filter_of));
        for t in items(planned, "tiering") {
            conf = conf.tierings(
                Tiering::builder()
                    .access_tier(IntelligentTieringAccessTier::from(
                        opt_str(t, "access_tier").unwrap_or_default().as_str(),
                    ))
                    .days(opt_i64(t, "days").unwrap_or_default() as i32)
                    .build()
                    .map_err(|e| build_error("tiering", e))?,
            );
        }
        let conf = conf.build().map_err(|e| build_error("tiering", e))?;
        done(
            ctx.s3
                .put_bucket_intelligent_tiering_configuration()
                .bucket(&b.bucket)
                .id(&name)
                .intelligent_tiering_configuration(conf)
                .send()
                .boxed()
                .await,
            false,
        )
    }

    async fn remove(ctx: &Ctx, b: &BucketRef, prior: &Value) -> Result<(), ProviderError> {
        done(
            ctx.s3
                .delete_bucket_intelligent_tiering_configuration()
                .bucket(&b.bucket)
                .id(name_of(prior)?)
                .send()
                .boxed()
                .await,
            true,
        )
    }
}
