//! `aws_kms_alias`: a friendly name (`alias/...`) pointing at a key; UpdateAlias moves it to
//! another key in place.
//!
//! Refresh: one ListAliases listing (100 aliases a page) serves every alias in the refresh, since
//! KMS has no call that describes a named set of aliases.

use std::collections::HashMap;
use std::sync::LazyLock;

use async_trait::async_trait;
use aws_sdk_kms::types::AliasListEntry;
use futures::FutureExt as _;
use plinth_sdk::plan::default_plan;
use plinth_sdk::{Attribute, PlanRequest, PlanResponse, ProviderDiagnostic, ProviderError, Schema, Type, Value};

use super::parent_key_tags;
use crate::error::aws_error;
use crate::idempotent::{Creating, already_exists};
use crate::util::invalid as diag;
use crate::util::{delete_call, opt_str, opt_string, req_str, string};
use crate::{AwsResource, Ctx};

pub struct Alias;

static SCHEMA: LazyLock<Schema> = LazyLock::new(|| {
    Schema::new("A KMS alias: a name such as alias/model-artifacts for a key. Import with the alias name.")
        .attr(
            "name",
            Attribute::optional_computed(Type::String).force_new().describe(
                "The alias name, starting with alias/ (not alias/aws/); generated from name_prefix when left out.",
            ),
        )
        .attr(
            "name_prefix",
            Attribute::optional(Type::String).force_new().describe(
                "Creates a unique name beginning with this prefix (starting with alias/). Conflicts with name.",
            ),
        )
        .attr(
            "target_key_id",
            Attribute::required(Type::String).describe("The key (id or ARN) the alias points at; changed in place."),
        )
        .attr("id", Attribute::computed(Type::String).describe("The alias name."))
        .attr("arn", Attribute::computed(Type::String).describe("The alias ARN."))
        .attr(
            "target_key_arn",
            Attribute::computed(Type::String).describe("The ARN of the key the alias points at."),
        )
        .identity(&["name"])
});

/// Every alias of the region by name (ListAliases, 100 a page).
async fn list_all(ctx: &Ctx) -> Result<HashMap<String, AliasListEntry>, ProviderError> {
    let mut out = HashMap::new();
    let mut marker = None;
    loop {
        let page = ctx
            .kms
            .list_aliases()
            .limit(100)
            .set_marker(marker)
            .send()
            .boxed()
            .await
            .map_err(aws_error)?;
        for a in page.aliases() {
            if let Some(name) = a.alias_name() {
                out.insert(name.to_string(), a.clone());
            }
        }
        marker = page.next_marker().filter(|_| page.truncated()).map(str::to_string);
        if marker.is_none() {
            return Ok(out);
        }
    }
}

/// The key's ARN from the alias's ARN (same region and account) and the key id, as Terraform
/// derives it.
fn key_arn(alias_arn: &str, key_id: &str) -> Option<String> {
    let (head, _) = alias_arn.rsplit_once(":alias/")?;
    Some(format!("{head}:key/{key_id}"))
}

/// Whether the alias points at `target` (a key id or ARN, as configured).
fn points_at(a: &AliasListEntry, target: &str) -> bool {
    let key_id = a.target_key_id().unwrap_or_default();
    !key_id.is_empty()
        && (target == key_id || key_arn(a.alias_arn().unwrap_or_default(), key_id).as_deref() == Some(target))
}

fn to_value(a: &AliasListEntry, prior: &Value) -> Value {
    let name = a.alias_name().unwrap_or_default();
    let key_id = a.target_key_id().unwrap_or_default();
    let arn = a.alias_arn().unwrap_or_default();
    let target_arn = key_arn(arn, key_id);
    // The configuration may name the key by id or ARN; either is the same key.
    let target = match prior.get("target_key_id").as_str() {
        Some(p) if p == key_id || Some(p) == target_arn.as_deref() => string(p),
        _ => string(key_id),
    };
    Value::object([
        ("id", string(name)),
        ("name", string(name)),
        ("name_prefix", prior.get("name_prefix").clone()),
        ("arn", string(arn)),
        ("target_key_id", target),
        ("target_key_arn", opt_string(target_arn)),
    ])
}

async fn read_one(ctx: &Ctx, name: &str, planned: &Value) -> Result<Value, ProviderError> {
    let all = list_all(ctx).await?;
    let a = all
        .get(name)
        .ok_or_else(|| ProviderError::with_code("NotFoundException", format!("KMS alias {name} disappeared")))?;
    Ok(to_value(a, planned))
}

#[async_trait]
impl AwsResource for Alias {
    fn type_name(&self) -> &'static str {
        "aws_kms_alias"
    }

    fn schema(&self) -> &Schema {
        &SCHEMA
    }

    fn validate(&self, config: &Value) -> Vec<ProviderDiagnostic> {
        let mut d = crate::iam::check_name_prefix(config);
        for attr in ["name", "name_prefix"] {
            if let Some(n) = config.get(attr).as_str()
                && (!n.starts_with("alias/") || n.starts_with("alias/aws/"))
            {
                d.push(diag(
                    attr,
                    format!("{n:?}: must start with alias/ and not with alias/aws/ (reserved for AWS managed keys)"),
                ));
            }
        }
        d
    }

    fn plan(&self, _ctx: &Ctx, req: &PlanRequest) -> PlanResponse {
        default_plan(self.schema(), req.prior.as_ref(), &req.config)
    }

    async fn create(&self, ctx: &Ctx, planned: &Value) -> Result<Value, ProviderError> {
        self.create_as(ctx, planned, &Creating::default()).await
    }

    /// Safe to repeat after a crash (see `docs/reliability.md`): a name from name_prefix is
    /// derived from the create ([`Creating::name`]), so a repeat asks for the same name; an alias
    /// answered AlreadyExistsException is adopted when it points at the planned key and that key
    /// carries this state's lineage ([`Creating::adopt_content_or_refuse`]), else refused with how
    /// to import it.
    async fn create_as(&self, ctx: &Ctx, planned: &Value, creating: &Creating) -> Result<Value, ProviderError> {
        let name = creating.name(planned, "name", "name_prefix", "alias/");
        let target = req_str(planned, "target_key_id")?;
        let sent = ctx
            .kms
            .create_alias()
            .alias_name(&name)
            .target_key_id(&target)
            .send()
            .boxed()
            .await
            .map_err(aws_error);
        match sent {
            Err(err) if already_exists(&err) => {
                if !creating.tracked() {
                    return Err(creating.exists_error(&name, err));
                }
                let all = list_all(ctx).await?;
                let Some(existing) = all.get(&name) else {
                    return Err(creating.exists_error(&name, err));
                };
                let same = points_at(existing, &target);
                let parent = match existing.target_key_id() {
                    Some(key) if same => parent_key_tags(ctx, key).await?,
                    _ => None,
                };
                let pairs = parent
                    .as_ref()
                    .map(|t| t.iter().map(|(k, v)| (Some(k.as_str()), Some(v.as_str()))));
                creating.adopt_content_or_refuse(&name, same, pairs, err)?;
                Ok(to_value(existing, planned))
            }
            sent => {
                sent?;
                read_one(ctx, &name, planned).await
            }
        }
    }

    async fn update(&self, ctx: &Ctx, prior: &Value, planned: &Value) -> Result<Value, ProviderError> {
        let name = req_str(prior, "name")?;
        if planned.get("target_key_id") != prior.get("target_key_id") {
            ctx.kms
                .update_alias()
                .alias_name(&name)
                .target_key_id(req_str(planned, "target_key_id")?)
                .send()
                .boxed()
                .await
                .map_err(aws_error)?;
        }
        read_one(ctx, &name, planned).await
    }

    async fn delete(&self, ctx: &Ctx, prior: &Value) -> Result<(), ProviderError> {
        let name = req_str(prior, "name")?;
        delete_call(ctx.kms.delete_alias().alias_name(&name).send().boxed()).await?;
        Ok(())
    }

    async fn read(&self, ctx: &Ctx, states: &[Value]) -> Result<Vec<Option<Value>>, ProviderError> {
        if states.iter().all(|s| opt_str(s, "name").is_none()) {
            return Ok(vec![None; states.len()]);
        }
        let all = list_all(ctx).await?;
        Ok(states
            .iter()
            .map(|s| opt_str(s, "name").and_then(|n| all.get(&n)).map(|a| to_value(a, s)))
            .collect())
    }

    async fn import(&self, ctx: &Ctx, id: &str) -> Result<Value, ProviderError> {
        let all = list_all(ctx).await?;
        let a = all
            .get(id)
            .ok_or_else(|| ProviderError::with_code("NotFoundException", format!("no KMS alias {id}")))?;
        Ok(to_value(a, &Value::Null))
    }
}
