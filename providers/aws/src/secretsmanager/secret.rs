//! `aws_secretsmanager_secret`, with a write-only payload.
//!
//! The payload (`secret_string_wo`) is sensitive and write-only: it is sent to Secrets Manager
//! on create (with CreateSecret) and whenever `secret_string_wo_version` changes (with
//! PutSecretValue), and it is never stored, never read back and never returned: read uses
//! DescribeSecret, which carries no secret value. Changing only the payload changes nothing:
//! bump the version to send it, as with Terraform 1.11's write-only attributes.
//!
//! Refresh costs one DescribeSecret per secret (a few at a time). ListSecrets could list many
//! at once, but AWS documents it as eventually consistent by up to minutes, which would report
//! Plinth's own fresh changes as drift.

use std::collections::BTreeMap;
use std::sync::LazyLock;

use async_trait::async_trait;
use aws_sdk_secretsmanager::operation::describe_secret::DescribeSecretOutput;
use aws_sdk_secretsmanager::types::Tag;
use plinth_sdk::plan::default_plan;
use plinth_sdk::{Attribute, PlanRequest, PlanResponse, ProviderDiagnostic, ProviderError, Schema, Type, Value};

use crate::error::{aws_error, is_not_found};
use crate::tags::{Tagged, plan_tags_all, tag_values, tags_from, update_tags, with_tags_described};
use crate::util::{
    delete_and_wait, name_or_generated, number, opt_i64, opt_str, opt_string, read_each, req_str, string,
    with_generated_name,
};
use crate::{AwsResource, Ctx};

pub struct Secret;

static SCHEMA: LazyLock<Schema> = LazyLock::new(|| {
    let schema = with_generated_name(
        Schema::new(
            "A Secrets Manager secret (API keys, database passwords for ML services), with an optional write-only \
             payload that never enters state. Import with the secret ARN or name.",
        ),
        ("name", "name_prefix"),
        "Secret name",
    )
    .attr(
        "description",
        Attribute::optional(Type::String).describe("Description of the secret."),
    )
    .attr(
        "kms_key_id",
        Attribute::optional_computed(Type::String).describe(
            "KMS key (ARN, id or alias) encrypting the secret; default the AWS managed key aws/secretsmanager. \
             Removing it from the configuration keeps the current key.",
        ),
    )
    .attr(
        "recovery_window_in_days",
        Attribute::optional_computed(Type::Number).describe(
            "Days (7 to 30, default 30) AWS keeps a destroyed secret recoverable; 0 deletes it at once without \
             recovery. While a deleted secret is recoverable its name cannot be reused. Not read from AWS.",
        ),
    )
    .attr(
        "secret_string_wo",
        Attribute::optional(Type::String).sensitive().write_only().describe(
            "The secret payload. Write-only: sent to Secrets Manager, never stored in state nor read back. Sent \
             on create and whenever secret_string_wo_version changes; requires secret_string_wo_version.",
        ),
    )
    .attr(
        "secret_string_wo_version",
        Attribute::optional(Type::Number)
            .describe("Bump it to send a new secret_string_wo (a changed payload alone is not a change)."),
    )
    .attr(
        "force_overwrite_replica_secret",
        Attribute::optional(Type::Bool).describe(
            "Overwrite a secret of the same name in a replica region (default false). Sent on create; it matters only \
             with replicas, which Plinth does not manage yet. Not read from AWS.",
        ),
    )
    .attr("id", Attribute::computed(Type::String).describe("The secret ARN."))
    .attr("arn", Attribute::computed(Type::String).describe("The secret ARN."))
    .unsupported(
        "policy",
        "Plinth does not manage a secret's resource policy yet (Terraform prefers the separate \
         aws_secretsmanager_secret_policy resource for it): leave it out and grant access through IAM policies",
    )
    .unsupported_block(
        "replica",
        "Plinth does not replicate secrets to other regions yet: leave it out, or create the secret in each region \
         through a provider alias per region",
    );
    with_tags_described(schema, "Tags of the secret.").identity(&["name"])
});

fn to_value(ctx: &Ctx, d: &DescribeSecretOutput, prior: &Value) -> Value {
    let all = tags_from(d.tags().iter().map(|t| (t.key(), t.value())));
    let (tags, tags_all) = tag_values(ctx, &all, prior);
    let description = match d.description().filter(|s| !s.is_empty()) {
        Some(s) => string(s),
        None if prior.get("description").as_str() == Some("") => string(""),
        None => Value::Null,
    };
    let arn = d.arn().unwrap_or_default();
    Value::object([
        ("id", string(arn)),
        ("arn", string(arn)),
        ("name", opt_string(d.name())),
        ("name_prefix", prior.get("name_prefix").clone()),
        ("description", description),
        (
            "force_overwrite_replica_secret",
            prior.get("force_overwrite_replica_secret").clone(),
        ),
        ("kms_key_id", opt_string(d.kms_key_id())),
        (
            "recovery_window_in_days",
            number(opt_i64(prior, "recovery_window_in_days").unwrap_or(30) as f64),
        ),
        // Never read back, never returned.
        ("secret_string_wo", Value::Null),
        (
            "secret_string_wo_version",
            match prior.get("secret_string_wo_version") {
                v if v.as_f64().is_some() => v.clone(),
                _ => Value::Null,
            },
        ),
        ("tags", tags),
        ("tags_all", tags_all),
    ])
}

/// DescribeSecret; `None` when the secret does not exist or is scheduled for deletion.
pub(crate) async fn describe(ctx: &Ctx, id: &str) -> Result<Option<DescribeSecretOutput>, ProviderError> {
    match ctx.secretsmanager.describe_secret().secret_id(id).send().await {
        Ok(d) if d.deleted_date().is_some() => Ok(None),
        Ok(d) => Ok(Some(d)),
        Err(e) if is_not_found(&e) => Ok(None),
        Err(e) => Err(aws_error(e)),
    }
}

pub(crate) fn secret_tags(tags: &BTreeMap<String, String>) -> Vec<Tag> {
    tags.iter()
        .map(|(k, v)| Tag::builder().key(k).value(v).build())
        .collect()
}

pub(crate) use crate::util::error_at as diag;

#[async_trait]
impl AwsResource for Secret {
    fn type_name(&self) -> &'static str {
        "aws_secretsmanager_secret"
    }

    fn schema(&self) -> &Schema {
        &SCHEMA
    }

    fn validate(&self, config: &Value) -> Vec<ProviderDiagnostic> {
        let mut d = Vec::new();
        let set = |k: &str| !config.get(k).is_null();
        if set("name") && set("name_prefix") {
            d.push(diag(
                "name_prefix",
                "Conflicting attributes",
                "name and name_prefix cannot both be set",
            ));
        }
        if set("secret_string_wo") != set("secret_string_wo_version") {
            d.push(diag(
                if set("secret_string_wo") {
                    "secret_string_wo_version"
                } else {
                    "secret_string_wo"
                },
                "Missing write-only pair",
                "secret_string_wo and secret_string_wo_version go together: the version is what tells Plinth to \
                 send a new payload, since the payload itself is never stored",
            ));
        }
        if let Some(n) = config.get("recovery_window_in_days").as_f64()
            && !(n == 0.0 || (7.0..=30.0).contains(&n))
        {
            d.push(diag(
                "recovery_window_in_days",
                "Invalid recovery window",
                format!("{n}: must be 0 (delete at once) or 7 to 30 days"),
            ));
        }
        d
    }

    fn plan(&self, ctx: &Ctx, req: &PlanRequest) -> PlanResponse {
        let mut resp = default_plan(self.schema(), req.prior.as_ref(), &req.config);
        plan_tags_all(ctx, &req.config, &mut resp.planned);
        resp
    }

    async fn create(&self, ctx: &Ctx, planned: &Value) -> Result<Value, ProviderError> {
        let name = name_or_generated(planned, "name", "name_prefix", "plinth-");
        let tags = ctx.merged_tags(planned.get("tags"));
        let resp = ctx
            .secretsmanager
            .create_secret()
            .name(&name)
            .set_description(opt_str(planned, "description"))
            .set_kms_key_id(opt_str(planned, "kms_key_id"))
            .set_force_overwrite_replica_secret(planned.get("force_overwrite_replica_secret").as_bool())
            .set_tags((!tags.is_empty()).then(|| secret_tags(&tags)))
            // The payload rides on CreateSecret: the secret never exists without it.
            .set_secret_string(planned.get("secret_string_wo").as_str().map(str::to_string))
            .send()
            .await
            .map_err(aws_error)?;
        let arn = resp.arn().unwrap_or(&name).to_string();
        let d = describe(ctx, &arn).await?.ok_or_else(|| {
            ProviderError::with_code(
                "ResourceNotFoundException",
                format!("secret {name} vanished after creation"),
            )
        })?;
        Ok(to_value(ctx, &d, planned))
    }

    async fn update(&self, ctx: &Ctx, prior: &Value, planned: &Value) -> Result<Value, ProviderError> {
        let arn = req_str(prior, "id")?;
        let changed = |k: &str| planned.get(k) != prior.get(k);
        let kms = opt_str(planned, "kms_key_id");
        if changed("description") || (kms.is_some() && changed("kms_key_id")) {
            ctx.secretsmanager
                .update_secret()
                .secret_id(&arn)
                .description(planned.get("description").as_str().unwrap_or(""))
                .set_kms_key_id(kms.filter(|_| changed("kms_key_id")))
                .send()
                .await
                .map_err(aws_error)?;
        }
        if changed("secret_string_wo_version")
            && let Some(payload) = planned.get("secret_string_wo").as_str()
        {
            ctx.secretsmanager
                .put_secret_value()
                .secret_id(&arn)
                .secret_string(payload)
                .send()
                .await
                .map_err(aws_error)?;
        }
        update_tags(ctx, Tagged::Secret(&arn), prior, planned).await?;
        let d = describe(ctx, &arn).await?.ok_or_else(|| {
            ProviderError::with_code(
                "ResourceNotFoundException",
                format!("secret {arn} disappeared during update"),
            )
        })?;
        Ok(to_value(ctx, &d, planned))
    }

    async fn delete(&self, ctx: &Ctx, prior: &Value) -> Result<(), ProviderError> {
        let arn = req_str(prior, "id")?;
        let window = opt_i64(prior, "recovery_window_in_days").unwrap_or(30);
        let mut req = ctx.secretsmanager.delete_secret().secret_id(&arn);
        req = if window == 0 {
            req.force_delete_without_recovery(true)
        } else {
            req.recovery_window_in_days(window)
        };
        // Gone, or scheduled for deletion (recoverable until the window ends).
        delete_and_wait(ctx, &format!("secret {arn}"), req.send(), || async {
            Ok(describe(ctx, &arn).await?.is_some())
        })
        .await
    }

    async fn read(&self, ctx: &Ctx, states: &[Value]) -> Result<Vec<Option<Value>>, ProviderError> {
        let found = read_each(ctx, states, "id", |ctx, id| async move { describe(&ctx, &id).await }).await?;
        Ok(states
            .iter()
            .zip(found)
            .map(|(s, d)| d.map(|d| to_value(ctx, &d, s)))
            .collect())
    }

    async fn import(&self, ctx: &Ctx, id: &str) -> Result<Value, ProviderError> {
        let d = describe(ctx, id).await?.ok_or_else(|| {
            ProviderError::with_code(
                "ResourceNotFoundException",
                format!("no secret {id} (or it is scheduled for deletion)"),
            )
        })?;
        Ok(to_value(ctx, &d, &Value::Null))
    }
}
