//! `aws_secretsmanager_secret_version`: one version of a secret's payload (PutSecretValue).
//!
//! The payload (`secret_string`, `secret_binary`) is a sensitive attribute: the engine keeps
//! only a keyed hash of it in state and plan files and shows it as `(sensitive)`; this module
//! reads it back (GetSecretValue) so that a payload changed outside Plinth is drift, but never
//! logs it, puts it in an error, or returns it anywhere but the attribute. A new payload is a new
//! version (replacement); `version_stages` move in place (UpdateSecretVersionStage). A version
//! cannot be deleted: destroy detaches its stages (all but AWSCURRENT, which only a newer
//! version can take), and Secrets Manager drops versions without stages in time.
//!
//! Refresh: BatchGetSecretValue reads the current version of up to 20 secrets in one call;
//! a state whose version is not the current one is read with GetSecretValue.

use std::collections::{BTreeSet, HashMap};
use std::sync::LazyLock;

use async_trait::async_trait;
use aws_sdk_secretsmanager::primitives::Blob;
use aws_smithy_types::base64;
use futures::FutureExt as _;
use plinth_sdk::{Attribute, ProviderDiagnostic, ProviderError, Schema, Type, Value};

use super::secret::{describe, diag};
use crate::error::{aws_error, is_not_found};
use crate::idempotent::Creating;
use crate::util::{concurrently, list_of_strings, opt_str, req_str, str_list, string};
use crate::{AwsResource, Ctx};

pub struct SecretVersion;

/// The stage AWS gives the newest version, which cannot be detached by hand.
const CURRENT: &str = "AWSCURRENT";

static SCHEMA: LazyLock<Schema> = LazyLock::new(|| {
    Schema::new(
        "A version of a Secrets Manager secret's payload. secret_string and secret_binary are sensitive: state and \
         plan files keep only a keyed hash, and output shows (sensitive); the value is read back on refresh so a \
         change made outside Plinth is drift. A new payload is a new version (replacement); version_stages move \
         in place. Destroy detaches the version's stages (AWSCURRENT stays until a newer version takes it). \
         Refresh: one BatchGetSecretValue per 20 secrets, GetSecretValue for a version that is not the current \
         one. Import with `SECRET_ARN|VERSION_ID`.",
    )
    .attr(
        "secret_id",
        Attribute::required(Type::String)
            .force_new()
            .describe("The secret (ARN or name) this version belongs to."),
    )
    .attr(
        "secret_string",
        Attribute::optional(Type::String)
            .sensitive()
            .force_new()
            .describe("The payload as text (often JSON); conflicts with secret_binary and secret_string_wo."),
    )
    .attr(
        "secret_binary",
        Attribute::optional(Type::String)
            .sensitive()
            .force_new()
            .describe("The payload as binary data, base64-encoded; conflicts with secret_string."),
    )
    .attr(
        "secret_string_wo",
        Attribute::optional(Type::String).sensitive().write_only().describe(
            "The payload as text, write-only: sent to Secrets Manager, never stored nor read back; needs \
             secret_string_wo_version.",
        ),
    )
    .attr(
        "secret_string_wo_version",
        Attribute::optional(Type::Number)
            .force_new()
            .describe("Bump it to send a new secret_string_wo (a new version)."),
    )
    .attr(
        "version_stages",
        Attribute::optional_computed(Type::Set(Box::new(Type::String))).describe(
            "Staging labels of this version (default AWSCURRENT, which moves the label from the previous version). \
             Changed in place.",
        ),
    )
    .attr(
        "version_id",
        Attribute::computed(Type::String).describe("The version's id."),
    )
    .attr("arn", Attribute::computed(Type::String).describe("The secret's ARN."))
    .attr(
        "id",
        Attribute::computed(Type::String).describe("`SECRET_ARN|VERSION_ID`."),
    )
    .identity(&["secret_id", "version_id"])
});

/// What GetSecretValue or BatchGetSecretValue says about one version.
struct Read {
    arn: String,
    name: String,
    version_id: String,
    string: Option<String>,
    binary: Option<Vec<u8>>,
    stages: Vec<String>,
}

fn stages_value(stages: &[String]) -> Value {
    let set: BTreeSet<&String> = stages.iter().collect();
    list_of_strings(set.into_iter().cloned())
}

fn to_value(r: &Read, prior: &Value) -> Value {
    let secret_id = opt_str(prior, "secret_id").unwrap_or_else(|| r.arn.clone());
    Value::object([
        ("secret_id", string(&secret_id)),
        (
            "secret_string",
            r.string.clone().map(Value::String).unwrap_or(Value::Null),
        ),
        (
            "secret_binary",
            r.binary
                .as_ref()
                .map(|b| string(base64::encode(b)))
                .unwrap_or(Value::Null),
        ),
        ("secret_string_wo", Value::Null),
        (
            "secret_string_wo_version",
            match prior.get("secret_string_wo_version") {
                v if v.as_f64().is_some() => v.clone(),
                _ => Value::Null,
            },
        ),
        ("version_stages", stages_value(&r.stages)),
        ("version_id", string(&r.version_id)),
        ("arn", string(&r.arn)),
        ("id", string(format!("{}|{}", r.arn, r.version_id))),
    ])
}

/// GetSecretValue of one version; `None` when the secret or the version is gone (or the
/// secret is scheduled for deletion).
async fn get(ctx: &Ctx, secret_id: &str, version_id: &str) -> Result<Option<Read>, ProviderError> {
    let call = ctx
        .secretsmanager
        .get_secret_value()
        .secret_id(secret_id)
        .version_id(version_id)
        .send()
        .boxed()
        .await;
    match call {
        Ok(r) => Ok(Some(Read {
            arn: r.arn().unwrap_or_default().to_string(),
            name: r.name().unwrap_or_default().to_string(),
            version_id: r.version_id().unwrap_or(version_id).to_string(),
            string: r.secret_string().map(str::to_string),
            binary: r.secret_binary().map(|b| b.as_ref().to_vec()),
            stages: r.version_stages().to_vec(),
        })),
        Err(e) if is_not_found(&e) || is_deleted(&e) => Ok(None),
        Err(e) => Err(aws_error(e)),
    }
}

/// A secret scheduled for deletion answers InvalidRequestException ("marked for deletion").
fn is_deleted<E: aws_smithy_types::error::metadata::ProvideErrorMetadata>(
    e: &aws_sdk_secretsmanager::error::SdkError<E, aws_smithy_runtime_api::client::orchestrator::HttpResponse>,
) -> bool {
    crate::error::code_of(e) == Some("InvalidRequestException")
        && e.as_service_error()
            .and_then(|s| s.message())
            .is_some_and(|m| m.contains("deletion"))
}

/// The current version of each secret in `ids`, by the id as given: one BatchGetSecretValue
/// per 20 secrets. A secret the batch cannot read is left out (the caller reads it alone).
async fn current_versions(ctx: &Ctx, ids: &[String]) -> Result<HashMap<String, Read>, ProviderError> {
    let mut out = HashMap::new();
    for chunk in ids.chunks(20) {
        let resp = ctx
            .secretsmanager
            .batch_get_secret_value()
            .set_secret_id_list(Some(chunk.to_vec()))
            .send()
            .boxed()
            .await
            .map_err(aws_error)?;
        for v in resp.secret_values() {
            let read = Read {
                arn: v.arn().unwrap_or_default().to_string(),
                name: v.name().unwrap_or_default().to_string(),
                version_id: v.version_id().unwrap_or_default().to_string(),
                string: v.secret_string().map(str::to_string),
                binary: v.secret_binary().map(|b| b.as_ref().to_vec()),
                stages: v.version_stages().to_vec(),
            };
            if let Some(id) = chunk.iter().find(|id| **id == read.arn || **id == read.name) {
                out.insert(id.clone(), read);
            }
        }
    }
    Ok(out)
}

/// `(secret, version)` of a state, from its attributes or its id.
fn key_of(s: &Value) -> Option<(String, String)> {
    match (opt_str(s, "secret_id"), opt_str(s, "version_id")) {
        (Some(secret), Some(version)) => Some((secret, version)),
        _ => split_id(&opt_str(s, "id")?),
    }
}

fn split_id(id: &str) -> Option<(String, String)> {
    let (secret, version) = id.split_once('|')?;
    (!secret.is_empty() && !version.is_empty()).then(|| (secret.to_string(), version.to_string()))
}

/// Moves the stages of `version` from `have` to `want`: an added stage is taken from the
/// version holding it (DescribeSecret tells which), a dropped one detached. AWSCURRENT cannot be
/// dropped by hand.
async fn move_stages(
    ctx: &Ctx,
    secret: &str,
    version: &str,
    have: &BTreeSet<String>,
    want: &BTreeSet<String>,
) -> Result<(), ProviderError> {
    let added: Vec<&String> = want.difference(have).collect();
    let holders = if added.is_empty() {
        HashMap::new()
    } else {
        let d = describe(ctx, secret)
            .await?
            .ok_or_else(|| ProviderError::with_code("ResourceNotFoundException", format!("no secret {secret}")))?;
        let mut holders = HashMap::new();
        for (id, stages) in d.version_ids_to_stages().into_iter().flatten() {
            for s in stages {
                holders.insert(s.clone(), id.clone());
            }
        }
        holders
    };
    for stage in added {
        ctx.secretsmanager
            .update_secret_version_stage()
            .secret_id(secret)
            .version_stage(stage)
            .move_to_version_id(version)
            .set_remove_from_version_id(holders.get(stage).filter(|h| *h != version).cloned())
            .send()
            .boxed()
            .await
            .map_err(aws_error)?;
    }
    for stage in have.difference(want).filter(|s| *s != CURRENT) {
        ctx.secretsmanager
            .update_secret_version_stage()
            .secret_id(secret)
            .version_stage(stage)
            .remove_from_version_id(version)
            .send()
            .boxed()
            .await
            .map_err(aws_error)?;
    }
    Ok(())
}

fn stage_set(v: &Value) -> BTreeSet<String> {
    v.as_list()
        .map(|l| l.iter().filter_map(|s| s.as_str().map(str::to_string)).collect())
        .unwrap_or_default()
}

fn missing(id: &str) -> ProviderError {
    ProviderError::with_code(
        "ResourceNotFoundException",
        format!("no secret version {id} (or its secret is scheduled for deletion)"),
    )
}

#[async_trait]
impl AwsResource for SecretVersion {
    fn type_name(&self) -> &'static str {
        "aws_secretsmanager_secret_version"
    }

    fn schema(&self) -> &Schema {
        &SCHEMA
    }

    fn validate(&self, config: &Value) -> Vec<ProviderDiagnostic> {
        let set = |k: &str| !config.get(k).is_null();
        let payloads: Vec<&str> = ["secret_string", "secret_binary", "secret_string_wo"]
            .into_iter()
            .filter(|k| set(k))
            .collect();
        let mut d = Vec::new();
        if payloads.len() > 1 {
            d.push(diag(
                payloads[1],
                "Conflicting attributes",
                format!("only one of {} may be set", payloads.join(", ")),
            ));
        }
        if set("secret_string_wo") != set("secret_string_wo_version") {
            d.push(diag(
                "secret_string_wo_version",
                "Missing write-only pair",
                "secret_string_wo and secret_string_wo_version go together",
            ));
        }
        if let Some(b) = config.get("secret_binary").as_str()
            && base64::decode(b).is_err()
        {
            d.push(diag("secret_binary", "Invalid secret_binary", "must be base64-encoded"));
        }
        d
    }

    async fn create(&self, ctx: &Ctx, planned: &Value) -> Result<Value, ProviderError> {
        self.create_as(ctx, planned, &Creating::default()).await
    }

    /// Safe to repeat after a crash (see `docs/reliability.md`): PutSecretValue gets a
    /// `ClientRequestToken` derived from the planned change, which Secrets Manager answers, for
    /// the same payload, with the version it already made instead of another; an answer naming
    /// the version being replaced moves to the next generation's token ([`Creating::with_token`]).
    async fn create_as(&self, ctx: &Ctx, planned: &Value, creating: &Creating) -> Result<Value, ProviderError> {
        let secret = req_str(planned, "secret_id")?;
        let binary = match planned.get("secret_binary").as_str() {
            Some(b) => Some(Blob::new(base64::decode(b).map_err(|_| {
                ProviderError::with_code("InvalidParameter", "secret_binary is not valid base64")
            })?)),
            None => None,
        };
        let text = opt_str(planned, "secret_string").or_else(|| opt_str(planned, "secret_string_wo"));
        let stages = str_list(planned, "version_stages");
        let put = |token: Option<String>| {
            let req = ctx
                .secretsmanager
                .put_secret_value()
                .secret_id(&secret)
                .set_client_request_token(token)
                .set_secret_string(text.clone())
                .set_secret_binary(binary.clone())
                .set_version_stages((!stages.is_empty()).then(|| stages.clone()));
            async move {
                let resp = req.send().boxed().await.map_err(aws_error)?;
                Ok::<_, ProviderError>(resp.version_id().unwrap_or_default().to_string())
            }
        };
        // The version being replaced is named by its version id (the state's `id` also holds
        // the secret's ARN, which `secret_id` may not spell the same way).
        let replaced = creating.replacing.as_ref().and_then(|r| opt_str(r, "version_id"));
        let version = match creating.tracked() {
            true => {
                creating
                    .with_token(planned, "PutSecretValue", |token| {
                        let sent = put(Some(token));
                        let replaced = replaced.as_deref();
                        async move {
                            let version = sent.await?;
                            let is_replaced = replaced == Some(version.as_str());
                            Ok((version, is_replaced))
                        }
                    })
                    .await?
            }
            false => put(None).await?,
        };
        let read = get(ctx, &secret, &version).await?.ok_or_else(|| missing(&version))?;
        Ok(to_value(&read, planned))
    }

    /// Only version_stages change in place.
    async fn update(&self, ctx: &Ctx, prior: &Value, planned: &Value) -> Result<Value, ProviderError> {
        let (secret, version) = key_of(prior).ok_or_else(|| missing("(no id in state)"))?;
        let want = stage_set(planned.get("version_stages"));
        if planned.get("version_stages").as_list().is_some() {
            move_stages(ctx, &secret, &version, &stage_set(prior.get("version_stages")), &want).await?;
        }
        let read = get(ctx, &secret, &version).await?.ok_or_else(|| missing(&version))?;
        Ok(to_value(&read, planned))
    }

    /// Detaches the version's stages (all but AWSCURRENT).
    async fn delete(&self, ctx: &Ctx, prior: &Value) -> Result<(), ProviderError> {
        let Some((secret, version)) = key_of(prior) else {
            return Ok(());
        };
        let Some(live) = get(ctx, &secret, &version).await? else {
            return Ok(());
        };
        let have: BTreeSet<String> = live.stages.into_iter().collect();
        let keep: BTreeSet<String> = have.iter().filter(|s| *s == CURRENT).cloned().collect();
        move_stages(ctx, &secret, &version, &have, &keep).await
    }

    async fn read(&self, ctx: &Ctx, states: &[Value]) -> Result<Vec<Option<Value>>, ProviderError> {
        let keys: Vec<Option<(String, String)>> = states.iter().map(key_of).collect();
        let mut secrets: Vec<String> = keys.iter().flatten().map(|(s, _)| s.clone()).collect();
        secrets.sort();
        secrets.dedup();
        let mut current = current_versions(ctx, &secrets).await?;
        let jobs: Vec<(Option<(String, String)>, Option<Read>)> = keys
            .into_iter()
            .map(|k| {
                let hit = k.as_ref().and_then(|(s, v)| {
                    let same = current.get(s).is_some_and(|r| &r.version_id == v);
                    if same { current.remove(s) } else { None }
                });
                (k, hit)
            })
            .collect();
        let found = concurrently(jobs, |(key, hit)| {
            let ctx = ctx.clone();
            async move {
                match (key, hit) {
                    (_, Some(r)) => Ok(Some(r)),
                    (Some((s, v)), None) => get(&ctx, &s, &v).await,
                    (None, None) => Ok(None),
                }
            }
        })
        .await?;
        Ok(states
            .iter()
            .zip(found)
            .map(|(s, r)| r.map(|r| to_value(&r, s)))
            .collect())
    }

    async fn import(&self, ctx: &Ctx, id: &str) -> Result<Value, ProviderError> {
        let (secret, version) = split_id(id).ok_or_else(|| {
            ProviderError::with_code(
                "InvalidImportId",
                format!("import id {id:?}: expected SECRET_ARN|VERSION_ID"),
            )
        })?;
        let read = get(ctx, &secret, &version).await?.ok_or_else(|| missing(id))?;
        let prior = Value::object([("secret_id", string(&secret))]);
        Ok(to_value(&read, &prior))
    }
}
