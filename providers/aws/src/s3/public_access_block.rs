//! `aws_s3_bucket_public_access_block`: the bucket's four Block Public Access switches
//! (GetPublicAccessBlock / PutPublicAccessBlock / DeletePublicAccessBlock).

use std::sync::LazyLock;

use async_trait::async_trait;
use aws_sdk_s3::types::PublicAccessBlockConfiguration;
use futures::FutureExt as _;
use plinth_sdk::{Attribute, PlanRequest, PlanResponse, ProviderError, Schema, Type, Value};

use super::{BucketConfig, BucketRef, done, flag, got, plan_defaults, sub_schema};
use crate::Ctx;
use crate::util::opt_bool;

pub struct PublicAccessBlock;

const SWITCHES: [&str; 4] = [
    "block_public_acls",
    "block_public_policy",
    "ignore_public_acls",
    "restrict_public_buckets",
];

static SCHEMA: LazyLock<Schema> = LazyLock::new(|| {
    let describe = |what: &str| Attribute::optional_computed(Type::Bool).describe(&format!("{what} Default false."));
    sub_schema(
        Schema::new(
            "Block Public Access for one bucket: the guard that keeps a model-artifact bucket private. Import with \
             the bucket name.",
        )
        .attr(
            "block_public_acls",
            describe("Reject PUTs of public bucket and object ACLs, and uploads carrying one."),
        )
        .attr(
            "block_public_policy",
            describe("Reject a bucket policy that grants public access."),
        )
        .attr(
            "ignore_public_acls",
            describe("Ignore public ACLs on the bucket and its objects."),
        )
        .attr(
            "restrict_public_buckets",
            describe("Only AWS services and the owner's account may use a public policy of the bucket."),
        )
        .attr(
            "skip_destroy",
            Attribute::optional(Type::Bool)
                .describe("Destroy leaves the block in place and only forgets it (Terraform's skip_destroy)."),
        ),
        false,
    )
});

#[async_trait]
impl BucketConfig for PublicAccessBlock {
    const TYPE_NAME: &'static str = "aws_s3_bucket_public_access_block";
    const HAS_OWNER: bool = false;

    fn schema() -> &'static Schema {
        &SCHEMA
    }

    fn plan(_ctx: &Ctx, req: &PlanRequest) -> PlanResponse {
        let mut resp = crate::util::plan_blocks(Self::schema(), req);
        let defaults: Vec<(&str, Value)> = SWITCHES.iter().map(|s| (*s, Value::Bool(false))).collect();
        plan_defaults(&mut resp, &defaults, &req.config);
        resp
    }

    async fn get(ctx: &Ctx, b: &BucketRef, prior: &Value) -> Result<Option<Vec<(&'static str, Value)>>, ProviderError> {
        let Some(out) = got(ctx.s3.get_public_access_block().bucket(&b.bucket).send().boxed().await)? else {
            return Ok(None);
        };
        let c = out.public_access_block_configuration();
        let mut attrs = vec![
            ("block_public_acls", flag(c.and_then(|c| c.block_public_acls()))),
            ("block_public_policy", flag(c.and_then(|c| c.block_public_policy()))),
            ("ignore_public_acls", flag(c.and_then(|c| c.ignore_public_acls()))),
            (
                "restrict_public_buckets",
                flag(c.and_then(|c| c.restrict_public_buckets())),
            ),
        ];
        attrs.push(("skip_destroy", prior.get("skip_destroy").clone()));
        Ok(Some(attrs))
    }

    async fn put(ctx: &Ctx, b: &BucketRef, planned: &Value) -> Result<(), ProviderError> {
        let on = |k: &str| opt_bool(planned, k).unwrap_or(false);
        let conf = PublicAccessBlockConfiguration::builder()
            .block_public_acls(on("block_public_acls"))
            .block_public_policy(on("block_public_policy"))
            .ignore_public_acls(on("ignore_public_acls"))
            .restrict_public_buckets(on("restrict_public_buckets"))
            .build();
        done(
            ctx.s3
                .put_public_access_block()
                .bucket(&b.bucket)
                .public_access_block_configuration(conf)
                .send()
                .boxed()
                .await,
            false,
        )
    }

    async fn remove(ctx: &Ctx, b: &BucketRef, prior: &Value) -> Result<(), ProviderError> {
        if opt_bool(prior, "skip_destroy") == Some(true) {
            return Ok(());
        }
        done(
            ctx.s3
                .delete_public_access_block()
                .bucket(&b.bucket)
                .send()
                .boxed()
                .await,
            true,
        )
    }
}
