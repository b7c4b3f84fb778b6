//! `aws_secretsmanager_secret_policy`: the resource policy of a secret (PutResourcePolicy).
//! The policy is compared by meaning, with IAM's normaliser (`crate::iam`): key order,
//! whitespace and one-element lists are not a change. `block_public_policy` is a request
//! option that AWS does not report back, so it is kept from configuration.

use std::sync::LazyLock;

use async_trait::async_trait;
use futures::FutureExt as _;
use plinth_sdk::{Attribute, PlanRequest, PlanResponse, ProviderDiagnostic, ProviderError, Schema, Type, Value};

use crate::error::{aws_error, is_not_found};
use crate::iam::{check_policy_json, plan_keeping_policy, policy_for_state};
use crate::util::{read_each, req_str, string};
use crate::{AwsResource, Ctx};

pub struct SecretPolicy;

static SCHEMA: LazyLock<Schema> = LazyLock::new(|| {
    Schema::new(
        "The resource policy of a Secrets Manager secret (who else may read it, such as a SageMaker role of \
         another account). The policy is compared by meaning: key order, whitespace and one-element lists are \
         not a change. Refresh: one GetResourcePolicy per secret (a few at a time). Import with the secret ARN.",
    )
    .attr(
        "secret_arn",
        Attribute::required(Type::String)
            .force_new()
            .describe("The secret's ARN."),
    )
    .attr(
        "policy",
        Attribute::required(Type::String)
            .describe("The policy document (JSON), such as an aws_iam_policy_document's json."),
    )
    .attr(
        "block_public_policy",
        Attribute::optional(Type::Bool).describe(
            "Have Secrets Manager refuse a policy that grants broad access (default false). Sent with each change; \
             AWS does not report it back.",
        ),
    )
    .attr("id", Attribute::computed(Type::String).describe("The secret's ARN."))
    .identity(&["secret_arn"])
});

/// GetResourcePolicy: `(secret ARN, policy)`; `None` when the secret is gone or has no policy.
/// Also the read of `aws_secretsmanager_secret`'s inline `policy`.
pub(super) async fn get(ctx: &Ctx, secret: &str) -> Result<Option<(String, String)>, ProviderError> {
    match ctx
        .secretsmanager
        .get_resource_policy()
        .secret_id(secret)
        .send()
        .boxed()
        .await
    {
        Ok(r) => Ok(r
            .resource_policy()
            .map(|p| (r.arn().unwrap_or(secret).to_string(), p.to_string()))),
        Err(e) if is_not_found(&e) => Ok(None),
        Err(e) => Err(aws_error(e)),
    }
}

fn to_value(arn: &str, policy: &str, prior: &Value) -> Value {
    Value::object([
        ("secret_arn", string(arn)),
        ("id", string(arn)),
        ("policy", policy_for_state(Some(policy), prior.get("policy"))),
        ("block_public_policy", prior.get("block_public_policy").clone()),
    ])
}

/// PutResourcePolicy; also the write of `aws_secretsmanager_secret`'s inline `policy`.
pub(super) async fn put_policy(
    ctx: &Ctx,
    secret: &str,
    policy: &str,
    block_public: Option<bool>,
) -> Result<(), ProviderError> {
    ctx.secretsmanager
        .put_resource_policy()
        .secret_id(secret)
        .resource_policy(policy)
        .set_block_public_policy(block_public)
        .send()
        .boxed()
        .await
        .map_err(aws_error)?;
    Ok(())
}

/// DeleteResourcePolicy; a secret already gone is no error.
pub(super) async fn delete_policy(ctx: &Ctx, secret: &str) -> Result<(), ProviderError> {
    match ctx
        .secretsmanager
        .delete_resource_policy()
        .secret_id(secret)
        .send()
        .boxed()
        .await
    {
        Ok(_) => Ok(()),
        Err(e) if is_not_found(&e) => Ok(()),
        Err(e) => Err(aws_error(e)),
    }
}

async fn put(ctx: &Ctx, planned: &Value) -> Result<Value, ProviderError> {
    let secret = req_str(planned, "secret_arn")?;
    let block_public = planned.get("block_public_policy").as_bool();
    put_policy(ctx, &secret, &req_str(planned, "policy")?, block_public).await?;
    let (arn, policy) = get(ctx, &secret).await?.ok_or_else(|| {
        ProviderError::with_code(
            "ResourceNotFoundException",
            format!("the policy of secret {secret} vanished after it was set"),
        )
    })?;
    Ok(to_value(&arn, &policy, planned))
}

#[async_trait]
impl AwsResource for SecretPolicy {
    fn type_name(&self) -> &'static str {
        "aws_secretsmanager_secret_policy"
    }

    fn schema(&self) -> &Schema {
        &SCHEMA
    }

    fn validate(&self, config: &Value) -> Vec<ProviderDiagnostic> {
        check_policy_json(config, "policy")
    }

    fn plan(&self, _ctx: &Ctx, req: &PlanRequest) -> PlanResponse {
        plan_keeping_policy(&SCHEMA, req, "policy")
    }

    async fn create(&self, ctx: &Ctx, planned: &Value) -> Result<Value, ProviderError> {
        put(ctx, planned).await
    }

    async fn update(&self, ctx: &Ctx, _prior: &Value, planned: &Value) -> Result<Value, ProviderError> {
        put(ctx, planned).await
    }

    async fn delete(&self, ctx: &Ctx, prior: &Value) -> Result<(), ProviderError> {
        delete_policy(ctx, &req_str(prior, "secret_arn")?).await
    }

    async fn read(&self, ctx: &Ctx, states: &[Value]) -> Result<Vec<Option<Value>>, ProviderError> {
        let found = read_each(ctx, states, "secret_arn", |ctx, id| async move { get(&ctx, &id).await }).await?;
        Ok(states
            .iter()
            .zip(found)
            .map(|(s, f)| f.map(|(arn, policy)| to_value(&arn, &policy, s)))
            .collect())
    }

    async fn import(&self, ctx: &Ctx, id: &str) -> Result<Value, ProviderError> {
        let (arn, policy) = get(ctx, id).await?.ok_or_else(|| {
            ProviderError::with_code(
                "ResourceNotFoundException",
                format!("secret {id} does not exist or has no resource policy"),
            )
        })?;
        Ok(to_value(&arn, &policy, &Value::Null))
    }
}
