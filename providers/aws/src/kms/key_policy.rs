//! `aws_kms_key_policy`: the policy of a key managed apart from `aws_kms_key` (whose own `policy`
//! should then be left out). Destroy puts back KMS's default key policy (the account may use
//! the key through IAM), as Terraform does, unless `bypass_policy_lockout_safety_check` is set.
//!
//! Refresh: DescribeKey and GetKeyPolicy per key (a few at a time); documents compare by meaning.

use std::sync::LazyLock;

use async_trait::async_trait;
use aws_sdk_kms::types::KeyMetadata;
use plinth_sdk::plan::default_plan;
use plinth_sdk::{Attribute, PlanRequest, PlanResponse, ProviderDiagnostic, ProviderError, Schema, Type, Value};

use super::{describe_live, key_policy_text, put_key_policy};
use crate::iam::{check_policy_json, keep_equivalent_policy, policy_for_state};
use crate::util::{opt_bool, read_each, req_str, string, with_defaults};
use crate::{AwsResource, Ctx};

pub struct KeyPolicy;

static SCHEMA: LazyLock<Schema> =
    LazyLock::new(|| {
        Schema::new(
        "The policy of a KMS key, managed on its own. Destroy restores KMS's default key policy. Import with the \
         key id.",
    )
    .attr(
        "key_id",
        Attribute::required(Type::String).force_new().describe("The key (id or ARN)."),
    )
    .attr(
        "policy",
        Attribute::required(Type::String).describe("The key policy (JSON), compared by meaning."),
    )
    .attr(
        "bypass_policy_lockout_safety_check",
        Attribute::optional(Type::Bool).describe(
            "Skip KMS's check that the policy lets the caller change it again (default false); also skips restoring \
             the default policy on destroy. Not read from AWS.",
        ),
    )
    .attr("id", Attribute::computed(Type::String).describe("The key id."))
    .identity(&["key_id"])
    });

/// KMS's default key policy: the account (through IAM) may do anything with the key.
fn default_policy(account: &str) -> String {
    serde_json::json!({
        "Id": "default",
        "Version": "2012-10-17",
        "Statement": [{
            "Sid": "Enable IAM User Permissions",
            "Effect": "Allow",
            "Principal": {"AWS": format!("arn:aws:iam::{account}:root")},
            "Action": "kms:*",
            "Resource": "*",
        }],
    })
    .to_string()
}

/// The key `id`'s metadata and policy; `None` when the key is gone or pending deletion.
async fn fetch(ctx: &Ctx, id: &str) -> Result<Option<(KeyMetadata, Option<String>)>, ProviderError> {
    let Some(meta) = describe_live(ctx, id).await? else {
        return Ok(None);
    };
    let policy = key_policy_text(ctx, meta.key_id()).await?;
    Ok(Some((meta, policy)))
}

fn to_value(meta: &KeyMetadata, policy: Option<&str>, prior: &Value) -> Value {
    // The configuration may name the key by id or ARN; either is the same key.
    let key_id = match prior.get("key_id").as_str() {
        Some(p) if p == meta.key_id() || Some(p) == meta.arn() => string(p),
        _ => string(meta.key_id()),
    };
    Value::object([
        ("id", string(meta.key_id())),
        ("key_id", key_id),
        ("policy", policy_for_state(policy, prior.get("policy"))),
        (
            "bypass_policy_lockout_safety_check",
            Value::Bool(opt_bool(prior, "bypass_policy_lockout_safety_check").unwrap_or(false)),
        ),
    ])
}

async fn read_live(ctx: &Ctx, id: &str, prior: &Value) -> Result<Option<Value>, ProviderError> {
    Ok(fetch(ctx, id).await?.map(|(m, p)| to_value(&m, p.as_deref(), prior)))
}

async fn apply(ctx: &Ctx, planned: &Value) -> Result<Value, ProviderError> {
    let key = req_str(planned, "key_id")?;
    let bypass = opt_bool(planned, "bypass_policy_lockout_safety_check").unwrap_or(false);
    put_key_policy(ctx, &key, &req_str(planned, "policy")?, bypass).await?;
    read_live(ctx, &key, planned)
        .await?
        .ok_or_else(|| ProviderError::with_code("NotFoundException", format!("KMS key {key} disappeared")))
}

#[async_trait]
impl AwsResource for KeyPolicy {
    fn type_name(&self) -> &'static str {
        "aws_kms_key_policy"
    }

    fn schema(&self) -> &Schema {
        &SCHEMA
    }

    fn validate(&self, config: &Value) -> Vec<ProviderDiagnostic> {
        check_policy_json(config, "policy")
    }

    fn plan(&self, _ctx: &Ctx, req: &PlanRequest) -> PlanResponse {
        let config = with_defaults(
            &req.config,
            &[("bypass_policy_lockout_safety_check", Value::Bool(false))],
        );
        let mut resp = default_plan(self.schema(), req.prior.as_ref(), &config);
        keep_equivalent_policy(&mut resp.planned, req.prior.as_ref(), "policy");
        resp
    }

    async fn create(&self, ctx: &Ctx, planned: &Value) -> Result<Value, ProviderError> {
        apply(ctx, planned).await
    }

    async fn update(&self, ctx: &Ctx, _prior: &Value, planned: &Value) -> Result<Value, ProviderError> {
        apply(ctx, planned).await
    }

    async fn delete(&self, ctx: &Ctx, prior: &Value) -> Result<(), ProviderError> {
        if opt_bool(prior, "bypass_policy_lockout_safety_check") == Some(true) {
            return Ok(());
        }
        let key = req_str(prior, "key_id")?;
        // A key already gone or pending deletion keeps whatever policy it has.
        let Some(meta) = describe_live(ctx, &key).await? else {
            return Ok(());
        };
        let account = meta.aws_account_id().unwrap_or_default();
        put_key_policy(ctx, meta.key_id(), &default_policy(account), false).await
    }

    async fn read(&self, ctx: &Ctx, states: &[Value]) -> Result<Vec<Option<Value>>, ProviderError> {
        let found = read_each(ctx, states, "key_id", |ctx, id| async move { fetch(&ctx, &id).await }).await?;
        Ok(states
            .iter()
            .zip(found)
            .map(|(s, f)| f.map(|(m, p)| to_value(&m, p.as_deref(), s)))
            .collect())
    }

    async fn import(&self, ctx: &Ctx, id: &str) -> Result<Value, ProviderError> {
        read_live(ctx, id, &Value::Null)
            .await?
            .ok_or_else(|| ProviderError::with_code("NotFoundException", format!("no KMS key {id}")))
    }
}
