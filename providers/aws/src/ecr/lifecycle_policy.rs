//! `aws_ecr_lifecycle_policy`: the rules that expire a repository's old images. The document is
//! compared by meaning (the IAM module's JSON normalisation), so ECR's reformatting is no drift.
//!
//! Refresh: one GetLifecyclePolicy per repository (no call reads many).

use std::sync::LazyLock;

use async_trait::async_trait;
use futures::FutureExt as _;
use plinth_sdk::{Attribute, PlanRequest, PlanResponse, ProviderDiagnostic, ProviderError, Schema, Type, Value};

use crate::error::{aws_error, is_not_found};
use crate::iam::{check_policy_json, plan_keeping_policy, policy_for_state};
use crate::util::{delete_call, opt_string, read_each, req_str, string};
use crate::{AwsResource, Ctx};

pub struct LifecyclePolicy;

static SCHEMA: LazyLock<Schema> = LazyLock::new(|| {
    Schema::new("The lifecycle policy of an ECR repository (which images expire). Import with the repository name.")
        .attr(
            "repository",
            Attribute::required(Type::String)
                .force_new()
                .describe("The repository name."),
        )
        .attr(
            "policy",
            Attribute::required(Type::String).describe("The lifecycle policy (JSON), compared by meaning."),
        )
        .attr("id", Attribute::computed(Type::String).describe("The repository name."))
        .attr(
            "registry_id",
            Attribute::computed(Type::String).describe("The registry (account) id."),
        )
        .identity(&["repository"])
});

/// The policy's registry and text; `None` when the repository or its policy is gone.
async fn fetch(ctx: &Ctx, repo: &str) -> Result<Option<(Option<String>, Option<String>)>, ProviderError> {
    match ctx
        .ecr
        .get_lifecycle_policy()
        .repository_name(repo)
        .send()
        .boxed()
        .await
    {
        Ok(out) => Ok(Some((
            out.registry_id().map(str::to_string),
            out.lifecycle_policy_text().map(str::to_string),
        ))),
        Err(e) if is_not_found(&e) => Ok(None),
        Err(e) => Err(aws_error(e)),
    }
}

fn to_value(repo: &str, registry: Option<&str>, text: Option<&str>, prior: &Value) -> Value {
    Value::object([
        ("id", string(repo)),
        ("repository", string(repo)),
        ("registry_id", opt_string(registry)),
        ("policy", policy_for_state(text, prior.get("policy"))),
    ])
}

async fn apply(ctx: &Ctx, planned: &Value) -> Result<Value, ProviderError> {
    let repo = req_str(planned, "repository")?;
    let out = ctx
        .ecr
        .put_lifecycle_policy()
        .repository_name(&repo)
        .lifecycle_policy_text(req_str(planned, "policy")?)
        .send()
        .boxed()
        .await
        .map_err(aws_error)?;
    let (registry, text) = fetch(ctx, &repo).await?.unwrap_or((
        out.registry_id().map(str::to_string),
        out.lifecycle_policy_text().map(str::to_string),
    ));
    Ok(to_value(&repo, registry.as_deref(), text.as_deref(), planned))
}

#[async_trait]
impl AwsResource for LifecyclePolicy {
    fn type_name(&self) -> &'static str {
        "aws_ecr_lifecycle_policy"
    }

    fn schema(&self) -> &Schema {
        &SCHEMA
    }

    fn validate(&self, config: &Value) -> Vec<ProviderDiagnostic> {
        check_policy_json(config, "policy")
    }

    fn plan(&self, _ctx: &Ctx, req: &PlanRequest) -> PlanResponse {
        plan_keeping_policy(self.schema(), req, "policy")
    }

    async fn create(&self, ctx: &Ctx, planned: &Value) -> Result<Value, ProviderError> {
        apply(ctx, planned).await
    }

    async fn update(&self, ctx: &Ctx, _prior: &Value, planned: &Value) -> Result<Value, ProviderError> {
        apply(ctx, planned).await
    }

    async fn delete(&self, ctx: &Ctx, prior: &Value) -> Result<(), ProviderError> {
        let repo = req_str(prior, "repository")?;
        delete_call(ctx.ecr.delete_lifecycle_policy().repository_name(&repo).send().boxed()).await?;
        Ok(())
    }

    async fn read(&self, ctx: &Ctx, states: &[Value]) -> Result<Vec<Option<Value>>, ProviderError> {
        let found = read_each(ctx, states, "repository", |ctx, repo| async move {
            Ok(fetch(&ctx, &repo).await?.map(|f| (repo, f)))
        })
        .await?;
        Ok(states
            .iter()
            .zip(found)
            .map(|(s, f)| f.map(|(repo, (reg, text))| to_value(&repo, reg.as_deref(), text.as_deref(), s)))
            .collect())
    }

    async fn import(&self, ctx: &Ctx, id: &str) -> Result<Value, ProviderError> {
        let (reg, text) = fetch(ctx, id).await?.ok_or_else(|| {
            ProviderError::with_code(
                "LifecyclePolicyNotFoundException",
                format!("no lifecycle policy on ECR repository {id}"),
            )
        })?;
        Ok(to_value(id, reg.as_deref(), text.as_deref(), &Value::Null))
    }
}
