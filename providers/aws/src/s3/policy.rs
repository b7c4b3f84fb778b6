//! `aws_s3_bucket_policy`: the bucket's resource policy (GetBucketPolicy / PutBucketPolicy /
//! DeleteBucketPolicy). The document is compared by meaning with the IAM types' policy
//! normalisation (`crate::iam`): key order, whitespace and one-element lists are not a change.

use std::sync::LazyLock;

use async_trait::async_trait;
use futures::FutureExt as _;
use plinth_sdk::{Attribute, PlanRequest, PlanResponse, ProviderDiagnostic, ProviderError, Schema, Type, Value};

use super::{BucketConfig, BucketRef, done, got, sub_schema};
use crate::Ctx;
use crate::iam::{check_policy_json, keep_equivalent_policy, policy_for_state};
use crate::util::req_str;

pub struct BucketPolicy;

static SCHEMA: LazyLock<Schema> = LazyLock::new(|| {
    sub_schema(
        Schema::new(
            "The resource policy of a bucket, such as one that denies requests without TLS or grants a SageMaker \
             role read access. Import with the bucket name.",
        )
        .attr(
            "policy",
            Attribute::required(Type::String).describe(
                "Policy document (JSON), often from data.aws_iam_policy_document. Compared by meaning: key order, \
                 whitespace and one-element lists are not a change.",
            ),
        ),
        false,
    )
});

#[async_trait]
impl BucketConfig for BucketPolicy {
    const TYPE_NAME: &'static str = "aws_s3_bucket_policy";
    const HAS_OWNER: bool = false;

    fn schema() -> &'static Schema {
        &SCHEMA
    }

    fn validate(config: &Value) -> Vec<ProviderDiagnostic> {
        check_policy_json(config, "policy")
    }

    fn plan(_ctx: &Ctx, req: &PlanRequest) -> PlanResponse {
        let mut resp = crate::util::plan_blocks(Self::schema(), req);
        keep_equivalent_policy(&mut resp.planned, req.prior.as_ref(), "policy");
        resp
    }

    async fn get(ctx: &Ctx, b: &BucketRef, prior: &Value) -> Result<Option<Vec<(&'static str, Value)>>, ProviderError> {
        let Some(out) = got(ctx.s3.get_bucket_policy().bucket(&b.bucket).send().boxed().await)? else {
            return Ok(None);
        };
        Ok(Some(vec![(
            "policy",
            policy_for_state(out.policy(), prior.get("policy")),
        )]))
    }

    async fn put(ctx: &Ctx, b: &BucketRef, planned: &Value) -> Result<(), ProviderError> {
        done(
            ctx.s3
                .put_bucket_policy()
                .bucket(&b.bucket)
                .policy(req_str(planned, "policy")?)
                .send()
                .boxed()
                .await,
            false,
        )
    }

    async fn remove(ctx: &Ctx, b: &BucketRef, _prior: &Value) -> Result<(), ProviderError> {
        done(
            ctx.s3.delete_bucket_policy().bucket(&b.bucket).send().boxed().await,
            true,
        )
    }
}
