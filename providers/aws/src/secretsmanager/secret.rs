//! `aws_secretsmanager_secret`, with a write-only payload.
//!
//! The payload (`secret_string_wo`) is sensitive and write-only: it is sent to Secrets Manager
//! on create (with CreateSecret) and whenever `secret_string_wo_version` changes (with
//! PutSecretValue), and it is never stored, never read back and never returned: read uses
//! DescribeSecret, which carries no secret value. Changing only the payload changes nothing:
//! bump the version to send it, as with Terraform 1.11's write-only attributes.
//!
//! Replicas in other regions (`replica`, a set keyed by region) are added on CreateSecret and
//! later with ReplicateSecretToRegions, removed with RemoveRegionsFromReplication (also before a
//! destroy, as AWS requires), and read from DescribeSecret's ReplicationStatus. The inline
//! resource `policy` is the same PutResourcePolicy/GetResourcePolicy as
//! `aws_secretsmanager_secret_policy` (`policy.rs`), compared by meaning.
//!
//! Refresh costs one DescribeSecret and one GetResourcePolicy per secret (a few at a time).
//! ListSecrets could list many at once, but AWS documents it as eventually consistent by up to
//! minutes, which would report Plinth's own fresh changes as drift.

use std::collections::BTreeMap;
use std::sync::LazyLock;

use async_trait::async_trait;
use aws_sdk_secretsmanager::operation::describe_secret::DescribeSecretOutput;
use aws_sdk_secretsmanager::types::{ReplicaRegionType, ReplicationStatusType, Tag};
use futures::FutureExt as _;
use plinth_sdk::plan::default_plan;
use plinth_sdk::{
    Attribute, BlockSchema, Nesting, PlanRequest, PlanResponse, ProviderDiagnostic, ProviderError, Schema, Type, Value,
};

use super::policy::{delete_policy, get as get_policy, put_policy};
use crate::error::{aws_error, is_not_found};
use crate::iam::{check_policy_json, keep_equivalent_policy, policy_for_state};
use crate::idempotent::{Creating, read_tags};
use crate::tags::{Tagged, plan_tags_all, tag_values, tags_from, update_tags, with_tags_described};
use crate::util::{
    delete_and_wait, items, number, opt_i64, opt_str, opt_string, read_each, req_str, string, with_generated_name,
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
            "Overwrite a secret of the same name in a replica region (default false): sent whenever replicas are \
             added (CreateSecret, ReplicateSecretToRegions). Not read from AWS.",
        ),
    )
    .attr(
        "policy",
        Attribute::optional_computed(Type::String).describe(
            "The secret's resource policy (JSON), compared by meaning; left out, whatever policy the secret has \
             (such as an aws_secretsmanager_secret_policy's) is kept; \"\" or \"{}\" removes it. Use this or \
             aws_secretsmanager_secret_policy, not both.",
        ),
    )
    .attr("id", Attribute::computed(Type::String).describe("The secret ARN."))
    .attr("arn", Attribute::computed(Type::String).describe("The secret ARN."))
    .block(
        "replica",
        BlockSchema {
            nesting: Nesting::Set,
            schema: replica_schema(),
            min_items: 0,
            max_items: None,
            force_new: false,
        },
    )
    // As in Terraform (optional and computed): left out, the replicas are left as they are;
    // `replica = []` removes them all.
    .computed_when_omitted("replica");
    with_tags_described(schema, "Tags of the secret.").identity(&["name"])
});

fn replica_schema() -> Schema {
    Schema::new("A copy of the secret in another region, kept in sync by Secrets Manager.")
        .attr(
            "region",
            Attribute::required(Type::String).describe("The replica's region (not the secret's own)."),
        )
        .attr(
            "kms_key_id",
            Attribute::optional_computed(Type::String)
                .describe("KMS key encrypting the replica; default aws/secretsmanager in that region."),
        )
        .attr(
            "status",
            Attribute::computed(Type::String).describe("InSync, InProgress or Failed."),
        )
        .attr(
            "status_message",
            Attribute::computed(Type::String).describe("Why replication failed, or that it succeeded."),
        )
        .attr(
            "last_accessed_date",
            Attribute::computed(Type::String).describe("When the replica was last read (RFC 3339; day precision)."),
        )
}

const REPLICA_COMPUTED: [&str; 3] = ["status", "status_message", "last_accessed_date"];

/// The replicas as state holds them, ordered by region.
fn replicas_value(status: &[ReplicationStatusType]) -> Value {
    let mut out: Vec<Value> = status
        .iter()
        .map(|r| {
            Value::object([
                ("region", opt_string(r.region())),
                ("kms_key_id", opt_string(r.kms_key_id())),
                ("status", opt_string(r.status().map(|s| s.as_str()))),
                ("status_message", opt_string(r.status_message())),
                (
                    "last_accessed_date",
                    opt_string(
                        r.last_accessed_date()
                            .and_then(|t| t.fmt(aws_smithy_types::date_time::Format::DateTime).ok()),
                    ),
                ),
            ])
        })
        .collect();
    out.sort_by_key(|r| opt_str(r, "region"));
    Value::List(out)
}

/// The planned replicas: each configured one with what AWS computes (its key when left out,
/// its status) taken from the live replica of the same region, unknown for a new one; ordered by
/// region as state is.
fn plan_replicas(planned: &mut Value, prior: Option<&Value>) {
    let Some(list) = planned.get("replica").as_list() else {
        return;
    };
    let live = prior.map(|p| items(p, "replica")).unwrap_or_default();
    let mut out: Vec<Value> = list
        .iter()
        .map(|r| {
            let mut m = r.as_map().cloned().unwrap_or_default();
            let region = opt_str(r, "region");
            let want_key = opt_str(r, "kms_key_id");
            let same = live.iter().find(|l| {
                opt_str(l, "region") == region
                    && want_key
                        .as_ref()
                        .is_none_or(|k| opt_str(l, "kms_key_id").as_ref() == Some(k))
            });
            for k in std::iter::once("kms_key_id").chain(REPLICA_COMPUTED) {
                if m.get(k).is_none_or(Value::is_null) {
                    m.insert(k.to_string(), same.map_or(Value::Unknown, |l| l.get(k).clone()));
                }
            }
            Value::Map(m)
        })
        .collect();
    out.sort_by_key(|r| opt_str(r, "region"));
    if let Value::Map(m) = planned {
        m.insert("replica".to_string(), Value::List(out));
    }
}

/// The replicas of `v` as AWS takes them, keyed by region and key (the configured key, or the
/// one AWS reported).
fn replica_regions(v: &Value) -> Vec<ReplicaRegionType> {
    items(v, "replica")
        .iter()
        .map(|r| {
            ReplicaRegionType::builder()
                .set_region(opt_str(r, "region"))
                .set_kms_key_id(
                    r.get("kms_key_id")
                        .as_str()
                        .filter(|k| !k.is_empty())
                        .map(str::to_string),
                )
                .build()
        })
        .collect()
}

fn same_replica(a: &ReplicaRegionType, b: &ReplicaRegionType) -> bool {
    a.region() == b.region() && a.kms_key_id() == b.kms_key_id()
}

/// Removes the replicas in `regions` (RemoveRegionsFromReplication); a secret already gone is
/// no error.
async fn remove_replicas(ctx: &Ctx, arn: &str, regions: Vec<String>) -> Result<(), ProviderError> {
    if regions.is_empty() {
        return Ok(());
    }
    let call = ctx
        .secretsmanager
        .remove_regions_from_replication()
        .secret_id(arn)
        .set_remove_replica_regions(Some(regions));
    match call.send().boxed().await {
        Ok(_) => Ok(()),
        Err(e) if is_not_found(&e) => Ok(()),
        Err(e) => Err(aws_error(e)),
    }
}

/// Whether a policy text asks for no policy at all (Terraform's `""` and `"{}"`).
fn no_policy(text: &str) -> bool {
    let t = text.trim();
    t.is_empty() || t == "{}"
}

/// The state of a described secret with its resource policy (`None`: none).
fn to_value(ctx: &Ctx, d: &DescribeSecretOutput, policy: Option<&str>, prior: &Value) -> Value {
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
        // No policy reads as "", as in Terraform.
        (
            "policy",
            policy.map_or(string(""), |p| policy_for_state(Some(p), prior.get("policy"))),
        ),
        ("replica", replicas_value(d.replication_status())),
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
    match ctx.secretsmanager.describe_secret().secret_id(id).send().boxed().await {
        Ok(d) if d.deleted_date().is_some() => Ok(None),
        Ok(d) => Ok(Some(d)),
        Err(e) if is_not_found(&e) => Ok(None),
        Err(e) => Err(aws_error(e)),
    }
}

/// DescribeSecret and GetResourcePolicy: the state of secret `id`, `None` when it does not exist
/// or is scheduled for deletion.
async fn read_one(ctx: &Ctx, id: &str, prior: &Value) -> Result<Option<Value>, ProviderError> {
    Ok(fetch(ctx, id)
        .await?
        .map(|(d, policy)| to_value(ctx, &d, policy.as_deref(), prior)))
}

/// DescribeSecret, then GetResourcePolicy of a secret that exists.
async fn fetch(ctx: &Ctx, id: &str) -> Result<Option<(DescribeSecretOutput, Option<String>)>, ProviderError> {
    let Some(d) = describe(ctx, id).await? else {
        return Ok(None);
    };
    let arn = d.arn().unwrap_or(id).to_string();
    let policy = get_policy(ctx, &arn).await?.map(|(_, p)| p);
    Ok(Some((d, policy)))
}

/// [`read_one`] where the secret must exist (after create and update).
async fn reread(ctx: &Ctx, id: &str, planned: &Value, when: &str) -> Result<Value, ProviderError> {
    read_one(ctx, id, planned)
        .await?
        .ok_or_else(|| ProviderError::with_code("ResourceNotFoundException", format!("secret {id} vanished {when}")))
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
        if config.get("policy").as_str().is_some_and(|p| !no_policy(p)) {
            d.extend(check_policy_json(config, "policy"));
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
        keep_equivalent_policy(&mut resp.planned, req.prior.as_ref(), "policy");
        plan_replicas(&mut resp.planned, req.prior.as_ref());
        plan_tags_all(ctx, &req.config, &mut resp.planned);
        resp
    }

    async fn create(&self, ctx: &Ctx, planned: &Value) -> Result<Value, ProviderError> {
        self.create_as(ctx, planned, &Creating::default()).await
    }

    /// Safe to repeat after a crash (see `docs/reliability.md`): CreateSecret gets a
    /// `ClientRequestToken` derived from the planned change (the id of the first version, when
    /// the payload rides along: a repeat with the same payload is answered with the secret
    /// already made) and the bookkeeping tags; a generated name is derived from the token, and a
    /// secret answered ResourceExistsException is adopted when its tags name this address and
    /// state.
    async fn create_as(&self, ctx: &Ctx, planned: &Value, creating: &Creating) -> Result<Value, ProviderError> {
        let name = creating.name(planned, "name", "name_prefix", "plinth-");
        let tags = creating.with_tags(ctx.merged_tags(planned.get("tags")));
        let sent = ctx
            .secretsmanager
            .create_secret()
            .name(&name)
            .set_client_request_token(creating.tracked().then(|| creating.token(planned, 0)))
            .set_description(opt_str(planned, "description"))
            .set_kms_key_id(opt_str(planned, "kms_key_id"))
            .set_force_overwrite_replica_secret(planned.get("force_overwrite_replica_secret").as_bool())
            .set_add_replica_regions(Some(replica_regions(planned)).filter(|r| !r.is_empty()))
            .set_tags((!tags.is_empty()).then(|| secret_tags(&tags)))
            // The payload rides on CreateSecret: the secret never exists without it.
            .set_secret_string(planned.get("secret_string_wo").as_str().map(str::to_string))
            .send()
            .boxed()
            .await
            .map_err(aws_error);
        let adopted = creating
            .adopt(&name, sent, || async {
                let d = describe(ctx, &name).await?;
                Ok(d.map(|d| read_tags(d.tags().iter().map(|t| (t.key(), t.value())))))
            })
            .await?;
        let arn = adopted.as_ref().and_then(|r| r.arn()).unwrap_or(&name).to_string();
        if let Some(policy) = opt_str(planned, "policy").filter(|p| !no_policy(p)) {
            put_policy(ctx, &arn, &policy, None).await?;
        }
        reread(ctx, &arn, planned, "after creation").await
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
                .boxed()
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
                .boxed()
                .await
                .map_err(aws_error)?;
        }
        if changed("replica") {
            let (had, want) = (replica_regions(prior), replica_regions(planned));
            let gone = had.iter().filter(|h| !want.iter().any(|w| same_replica(h, w)));
            let regions = gone.filter_map(|r| r.region().map(str::to_string)).collect();
            remove_replicas(ctx, &arn, regions).await?;
            let new: Vec<_> = want
                .into_iter()
                .filter(|w| !had.iter().any(|h| same_replica(h, w)))
                .collect();
            if !new.is_empty() {
                ctx.secretsmanager
                    .replicate_secret_to_regions()
                    .secret_id(&arn)
                    .set_add_replica_regions(Some(new))
                    .set_force_overwrite_replica_secret(planned.get("force_overwrite_replica_secret").as_bool())
                    .send()
                    .boxed()
                    .await
                    .map_err(aws_error)?;
            }
        }
        if changed("policy")
            && let Some(policy) = planned.get("policy").as_str()
        {
            if no_policy(policy) {
                delete_policy(ctx, &arn).await?;
            } else {
                put_policy(ctx, &arn, policy, None).await?;
            }
        }
        update_tags(ctx, Tagged::Secret(&arn), prior, planned).await?;
        reread(ctx, &arn, planned, "during update").await
    }

    async fn delete(&self, ctx: &Ctx, prior: &Value) -> Result<(), ProviderError> {
        let arn = req_str(prior, "id")?;
        // AWS refuses to delete a secret that still has replicas.
        let replicas = replica_regions(prior)
            .iter()
            .filter_map(|r| r.region().map(str::to_string))
            .collect();
        remove_replicas(ctx, &arn, replicas).await?;
        let window = opt_i64(prior, "recovery_window_in_days").unwrap_or(30);
        let mut req = ctx.secretsmanager.delete_secret().secret_id(&arn);
        req = if window == 0 {
            req.force_delete_without_recovery(true)
        } else {
            req.recovery_window_in_days(window)
        };
        // Gone, or scheduled for deletion (recoverable until the window ends).
        delete_and_wait(ctx, &format!("secret {arn}"), req.send().boxed(), || async {
            Ok(describe(ctx, &arn).await?.is_some())
        })
        .await
    }

    async fn read(&self, ctx: &Ctx, states: &[Value]) -> Result<Vec<Option<Value>>, ProviderError> {
        let found = read_each(ctx, states, "id", |ctx, id| async move { fetch(&ctx, &id).await }).await?;
        Ok(states
            .iter()
            .zip(found)
            .map(|(s, f)| f.map(|(d, policy)| to_value(ctx, &d, policy.as_deref(), s)))
            .collect())
    }

    async fn import(&self, ctx: &Ctx, id: &str) -> Result<Value, ProviderError> {
        read_one(ctx, id, &Value::Null).await?.ok_or_else(|| {
            ProviderError::with_code(
                "ResourceNotFoundException",
                format!("no secret {id} (or it is scheduled for deletion)"),
            )
        })
    }
}
