//! `aws_kms_key`: a customer managed KMS key, with its policy, rotation, enabled state and tags.
//!
//! Destroy schedules the deletion (ScheduleKeyDeletion, `deletion_window_in_days`, default 30),
//! as Terraform does: the key stays in KMS, disabled and recoverable with CancelKeyDeletion, until
//! the window ends; a key pending deletion reads as gone. Refresh: KMS has no call that
//! describes many keys, so each key costs DescribeKey, GetKeyPolicy, GetKeyRotationStatus and
//! ListResourceTags (keys read a few at a time).
//!
//! Create: the key carries the bookkeeping tags, and a create that has a state first looks for
//! the key an earlier, interrupted attempt made (ListKeys, then one ListResourceTags per key of
//! the account and region: see `docs/reliability.md`).

use std::sync::LazyLock;

use async_trait::async_trait;
use aws_sdk_kms::types::{KeyMetadata, KeySpec, KeyUsageType, OriginType};
use futures::FutureExt as _;
use plinth_sdk::plan::default_plan;
use plinth_sdk::{
    Attribute, ErrorKind, PlanRequest, PlanResponse, ProviderDiagnostic, ProviderError, Schema, Type, Value,
};

use super::{describe_live, key_policy_text, key_tags, kms_tags, put_key_policy};
use crate::error::aws_error;
use crate::iam::{check_policy_json, keep_equivalent_policy, policy_for_state};
use crate::idempotent::Creating;
use crate::tags::{Tagged, plan_tags_all, tag_values, tags_from, update_tags, with_tags_described};
use crate::util::invalid as diag;
use crate::util::{
    concurrently, number, opt_bool, opt_i64, opt_str, opt_string, read_each, req_str, string, wait_gone, with_defaults,
};
use crate::{AwsResource, Ctx};

pub struct Key;

const NOT_YET: &str = "Plinth's aws_kms_key creates keys in AWS KMS's own key store only (no CloudHSM or external \
     key stores yet): leave it out";

static SCHEMA: LazyLock<Schema> = LazyLock::new(|| {
    let schema = Schema::new(
        "A customer managed KMS key, for encrypting model artifacts, feature stores, logs and secrets. Destroy \
         schedules the key's deletion after deletion_window_in_days. Import with the key id.",
    )
    .attr(
        "description",
        Attribute::optional_computed(Type::String).describe("Description of the key."),
    )
    .attr(
        "key_usage",
        Attribute::optional(Type::String)
            .force_new()
            .describe("ENCRYPT_DECRYPT (default), SIGN_VERIFY, GENERATE_VERIFY_MAC or KEY_AGREEMENT."),
    )
    .attr(
        "customer_master_key_spec",
        Attribute::optional(Type::String)
            .force_new()
            .describe("The key spec: SYMMETRIC_DEFAULT (default), RSA_2048, ECC_NIST_P256, HMAC_256, ..."),
    )
    .attr(
        "policy",
        Attribute::optional_computed(Type::String).describe(
            "The key policy (JSON), compared by meaning; KMS's default policy when left out. Removing it from the \
             configuration keeps the current policy.",
        ),
    )
    .attr(
        "bypass_policy_lockout_safety_check",
        Attribute::optional(Type::Bool).describe(
            "Skip KMS's check that the policy lets the caller change it again (default false). Not read from AWS.",
        ),
    )
    .attr(
        "deletion_window_in_days",
        Attribute::optional(Type::Number).describe(
            "Days (7 to 30, default 30) between destroy and the key's deletion; the key can be recovered until then. \
             Not read from AWS.",
        ),
    )
    .attr(
        "enable_key_rotation",
        Attribute::optional(Type::Bool).describe("Automatic rotation of the key material (default false)."),
    )
    .attr(
        "rotation_period_in_days",
        Attribute::optional_computed(Type::Number)
            .describe("Days between automatic rotations (90 to 2560; AWS's default 365); needs enable_key_rotation."),
    )
    .attr(
        "is_enabled",
        Attribute::optional(Type::Bool).describe("Whether the key can be used (default true)."),
    )
    .attr(
        "multi_region",
        Attribute::optional_computed(Type::Bool)
            .force_new()
            .describe("A multi-Region primary key (default false)."),
    )
    .attr("id", Attribute::computed(Type::String).describe("The key id."))
    .attr("key_id", Attribute::computed(Type::String).describe("The key id."))
    .attr("arn", Attribute::computed(Type::String).describe("The key ARN."))
    .unsupported_all(&["custom_key_store_id", "xks_key_id"], NOT_YET);
    with_tags_described(schema, "Tags of the key.").identity(&["id"])
});

/// Terraform's defaults for the arguments it gives one.
fn defaults() -> [(&'static str, Value); 5] {
    [
        ("key_usage", Value::string("ENCRYPT_DECRYPT")),
        ("customer_master_key_spec", Value::string("SYMMETRIC_DEFAULT")),
        ("bypass_policy_lockout_safety_check", Value::Bool(false)),
        ("enable_key_rotation", Value::Bool(false)),
        ("is_enabled", Value::Bool(true)),
    ]
}

/// Everything one refresh of a key reads.
struct Live {
    meta: KeyMetadata,
    policy: Option<String>,
    rotation: Option<(bool, Option<i32>)>,
    tags: std::collections::BTreeMap<String, String>,
}

async fn read_live(ctx: &Ctx, id: &str) -> Result<Option<Live>, ProviderError> {
    let Some(meta) = describe_live(ctx, id).await? else {
        return Ok(None);
    };
    let key_id = meta.key_id().to_string();
    let policy = key_policy_text(ctx, &key_id).await?;
    // Rotation exists only for key material KMS made itself.
    let rotation = if meta.origin() == Some(&OriginType::AwsKms) {
        let r = ctx
            .kms
            .get_key_rotation_status()
            .key_id(&key_id)
            .send()
            .boxed()
            .await
            .map_err(aws_error)?;
        Some((r.key_rotation_enabled(), r.rotation_period_in_days()))
    } else {
        None
    };
    let tags = key_tags(ctx, &key_id).await?;
    let tags = tags_from(tags.iter().map(|(k, v)| (Some(k.as_str()), Some(v.as_str()))));
    Ok(Some(Live {
        meta,
        policy,
        rotation,
        tags,
    }))
}

fn to_value(ctx: &Ctx, live: &Live, prior: &Value) -> Value {
    let m = &live.meta;
    let (tags, tags_all) = tag_values(ctx, &live.tags, prior);
    let (rotating, period) = match live.rotation {
        Some((on, period)) => (
            on,
            period
                .map(number)
                .unwrap_or_else(|| prior.get("rotation_period_in_days").clone()),
        ),
        None => (false, Value::Null),
    };
    let spec = m.key_spec().map(|s| s.as_str().to_string());
    Value::object([
        ("id", string(m.key_id())),
        ("key_id", string(m.key_id())),
        ("arn", opt_string(m.arn())),
        ("description", string(m.description().unwrap_or_default())),
        ("key_usage", opt_string(m.key_usage().map(|u| u.as_str().to_string()))),
        ("customer_master_key_spec", opt_string(spec)),
        ("policy", policy_for_state(live.policy.as_deref(), prior.get("policy"))),
        (
            "bypass_policy_lockout_safety_check",
            Value::Bool(opt_bool(prior, "bypass_policy_lockout_safety_check").unwrap_or(false)),
        ),
        ("deletion_window_in_days", prior.get("deletion_window_in_days").clone()),
        ("enable_key_rotation", Value::Bool(rotating)),
        ("rotation_period_in_days", period),
        ("is_enabled", Value::Bool(m.enabled())),
        ("multi_region", Value::Bool(m.multi_region().unwrap_or(false))),
        ("tags", tags),
        ("tags_all", tags_all),
    ])
}

async fn read_one(ctx: &Ctx, id: &str, planned: &Value) -> Result<Value, ProviderError> {
    let live = read_live(ctx, id)
        .await?
        .ok_or_else(|| ProviderError::with_code("NotFoundException", format!("KMS key {id} disappeared")))?;
    Ok(to_value(ctx, &live, planned))
}

async fn set_rotation(ctx: &Ctx, id: &str, planned: &Value) -> Result<(), ProviderError> {
    if opt_bool(planned, "enable_key_rotation") == Some(true) {
        ctx.kms
            .enable_key_rotation()
            .key_id(id)
            .set_rotation_period_in_days(opt_i64(planned, "rotation_period_in_days").map(|n| n as i32))
            .send()
            .boxed()
            .await
            .map_err(aws_error)?;
    } else {
        ctx.kms
            .disable_key_rotation()
            .key_id(id)
            .send()
            .boxed()
            .await
            .map_err(aws_error)?;
    }
    Ok(())
}

async fn set_enabled(ctx: &Ctx, id: &str, enabled: bool) -> Result<(), ProviderError> {
    if enabled {
        ctx.kms
            .enable_key()
            .key_id(id)
            .send()
            .boxed()
            .await
            .map_err(aws_error)?;
    } else {
        ctx.kms
            .disable_key()
            .key_id(id)
            .send()
            .boxed()
            .await
            .map_err(aws_error)?;
    }
    Ok(())
}

/// The range checks Terraform makes on a key's day counts.
pub(super) fn check_days(config: &Value) -> Vec<ProviderDiagnostic> {
    let mut d = Vec::new();
    if let Some(n) = config.get("deletion_window_in_days").as_f64()
        && !(7.0..=30.0).contains(&n)
    {
        d.push(diag("deletion_window_in_days", format!("{n}: must be 7 to 30 days")));
    }
    if let Some(n) = config.get("rotation_period_in_days").as_f64() {
        if !(90.0..=2560.0).contains(&n) {
            d.push(diag("rotation_period_in_days", format!("{n}: must be 90 to 2560 days")));
        }
        if config.get("enable_key_rotation").is_null() {
            d.push(diag(
                "rotation_period_in_days",
                "rotation_period_in_days needs enable_key_rotation",
            ));
        }
    }
    d
}

/// The key an earlier, interrupted attempt of the tracked create `creating` made: a key whose
/// tags name this address and state, that is not the key being replaced and is not pending
/// deletion. KMS finds keys by nothing but their id, so this lists every key of the account and
/// region (ListKeys, 1,000 a page) and reads each one's tags (one ListResourceTags per key, a few
/// at a time); a key whose tags this caller may not read is skipped. `None` untracked.
async fn made_earlier(ctx: &Ctx, creating: &Creating) -> Result<Option<KeyMetadata>, ProviderError> {
    if !creating.tracked() {
        return Ok(None);
    }
    let mut ids = Vec::new();
    let mut marker = None;
    loop {
        let out = ctx
            .kms
            .list_keys()
            .limit(1000)
            .set_marker(marker)
            .send()
            .boxed()
            .await
            .map_err(aws_error)?;
        ids.extend(
            out.keys()
                .iter()
                .filter_map(|k| k.key_id())
                .filter(|id| !creating.is_replaced(id))
                .map(str::to_string),
        );
        marker = out.next_marker().filter(|_| out.truncated()).map(str::to_string);
        if marker.is_none() {
            break;
        }
    }
    let tagged = concurrently(ids, |id| {
        let ctx = ctx.clone();
        async move {
            match key_tags(&ctx, &id).await {
                Ok(tags) => Ok(Some((id, tags))),
                Err(e) if matches!(e.kind, ErrorKind::NotFound | ErrorKind::Forbidden) => Ok(None),
                Err(e) => Err(e),
            }
        }
    })
    .await?;
    for (id, tags) in tagged.into_iter().flatten() {
        if creating.made(tags.iter().map(|(k, v)| (Some(k.as_str()), Some(v.as_str()))))
            && let Some(meta) = describe_live(ctx, &id).await?
        {
            tracing::info!(address = %creating.address, id, "adopting the KMS key an earlier, interrupted create made");
            return Ok(Some(meta));
        }
    }
    Ok(None)
}

#[async_trait]
impl AwsResource for Key {
    fn type_name(&self) -> &'static str {
        "aws_kms_key"
    }

    fn schema(&self) -> &Schema {
        &SCHEMA
    }

    fn validate(&self, config: &Value) -> Vec<ProviderDiagnostic> {
        let mut d = check_days(config);
        d.extend(check_policy_json(config, "policy"));
        d
    }

    fn plan(&self, ctx: &Ctx, req: &PlanRequest) -> PlanResponse {
        let config = with_defaults(&req.config, &defaults());
        let mut resp = default_plan(self.schema(), req.prior.as_ref(), &config);
        keep_equivalent_policy(&mut resp.planned, req.prior.as_ref(), "policy");
        plan_tags_all(ctx, &req.config, &mut resp.planned);
        resp
    }

    async fn create(&self, ctx: &Ctx, planned: &Value) -> Result<Value, ProviderError> {
        self.create_as(ctx, planned, &Creating::default()).await
    }

    /// Safe to repeat after a crash (see `docs/reliability.md`): CreateKey takes no client token
    /// and no name, so the key gets the bookkeeping tags, and a tracked create first looks for a
    /// key an earlier, interrupted attempt of it made ([`made_earlier`]) and goes on with that
    /// key (its rotation, its enabled state, its read) instead of making another.
    async fn create_as(&self, ctx: &Ctx, planned: &Value, creating: &Creating) -> Result<Value, ProviderError> {
        let (id, enabled) = match made_earlier(ctx, creating).await? {
            Some(meta) => (meta.key_id().to_string(), meta.enabled()),
            None => {
                let tags = creating.with_tags(ctx.merged_tags(planned.get("tags")));
                let out = ctx
                    .kms
                    .create_key()
                    .set_description(opt_str(planned, "description"))
                    .set_key_usage(opt_str(planned, "key_usage").map(|s| KeyUsageType::from(s.as_str())))
                    .set_key_spec(opt_str(planned, "customer_master_key_spec").map(|s| KeySpec::from(s.as_str())))
                    .set_policy(opt_str(planned, "policy"))
                    .bypass_policy_lockout_safety_check(
                        opt_bool(planned, "bypass_policy_lockout_safety_check").unwrap_or(false),
                    )
                    .set_multi_region(opt_bool(planned, "multi_region"))
                    .set_tags((!tags.is_empty()).then(|| kms_tags(&tags)).transpose()?)
                    .send()
                    .boxed()
                    .await
                    .map_err(aws_error)?;
                let id = out
                    .key_metadata()
                    .map(|m| m.key_id().to_string())
                    .ok_or_else(|| ProviderError::new("CreateKey returned no key id"))?;
                (id, true)
            }
        };
        if opt_bool(planned, "enable_key_rotation") == Some(true) {
            set_rotation(ctx, &id, planned).await?;
        }
        let want = opt_bool(planned, "is_enabled").unwrap_or(true);
        if want != enabled {
            set_enabled(ctx, &id, want).await?;
        }
        read_one(ctx, &id, planned).await
    }

    async fn update(&self, ctx: &Ctx, prior: &Value, planned: &Value) -> Result<Value, ProviderError> {
        let id = req_str(prior, "id")?;
        let changed = |k: &str| planned.get(k) != prior.get(k);
        let enabled = opt_bool(planned, "is_enabled").unwrap_or(true);
        // A disabled key cannot be changed: enable first, disable last (as Terraform).
        if changed("is_enabled") && enabled {
            set_enabled(ctx, &id, true).await?;
        }
        let rotating = opt_bool(planned, "enable_key_rotation") == Some(true);
        if changed("enable_key_rotation") || (rotating && changed("rotation_period_in_days")) {
            set_rotation(ctx, &id, planned).await?;
        }
        if changed("description") {
            ctx.kms
                .update_key_description()
                .key_id(&id)
                .description(planned.get("description").as_str().unwrap_or(""))
                .send()
                .boxed()
                .await
                .map_err(aws_error)?;
        }
        if changed("policy")
            && let Some(policy) = opt_str(planned, "policy")
        {
            let bypass = opt_bool(planned, "bypass_policy_lockout_safety_check").unwrap_or(false);
            put_key_policy(ctx, &id, &policy, bypass).await?;
        }
        update_tags(ctx, Tagged::Kms(&id), prior, planned).await?;
        if changed("is_enabled") && !enabled {
            set_enabled(ctx, &id, false).await?;
        }
        read_one(ctx, &id, planned).await
    }

    async fn delete(&self, ctx: &Ctx, prior: &Value) -> Result<(), ProviderError> {
        let id = req_str(prior, "id")?;
        let call = ctx
            .kms
            .schedule_key_deletion()
            .key_id(&id)
            .set_pending_window_in_days(opt_i64(prior, "deletion_window_in_days").map(|n| n as i32))
            .send()
            .boxed()
            .await;
        if let Err(e) = call {
            let e = aws_error(e);
            let pending =
                e.code.as_deref() == Some("KMSInvalidStateException") && e.message.contains("pending deletion");
            if !(pending || e.kind == plinth_sdk::ErrorKind::NotFound) {
                return Err(e);
            }
        }
        wait_gone(ctx, &format!("KMS key {id}"), || async {
            Ok(describe_live(ctx, &id).await?.is_some())
        })
        .await
    }

    async fn read(&self, ctx: &Ctx, states: &[Value]) -> Result<Vec<Option<Value>>, ProviderError> {
        let found = read_each(ctx, states, "id", |ctx, id| async move { read_live(&ctx, &id).await }).await?;
        Ok(states
            .iter()
            .zip(found)
            .map(|(s, live)| live.map(|l| to_value(ctx, &l, s)))
            .collect())
    }

    async fn import(&self, ctx: &Ctx, id: &str) -> Result<Value, ProviderError> {
        let live = read_live(ctx, id).await?.ok_or_else(|| {
            ProviderError::with_code(
                "NotFoundException",
                format!("no KMS key {id} (or it is pending deletion)"),
            )
        })?;
        Ok(to_value(ctx, &live, &Value::Null))
    }
}
