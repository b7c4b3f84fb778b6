//! `aws_iam_policy` (a customer managed policy) and the data source of the same name (any
//! managed policy, AWS's own included, by ARN or name).
//!
//! A managed policy keeps up to five versions; its document is the default version's. An
//! update of `policy` creates a new default version (CreatePolicyVersion), first deleting the
//! oldest non-default version when five exist, as Terraform does; destroy deletes the
//! non-default versions, then the policy. Documents are compared by meaning (see
//! `iam::policies_equivalent`).
//!
//! Refresh: one policy is read with GetPolicy (tags, attachment count, default version) and
//! GetPolicyVersion (the document). More: GetAccountAuthorizationDetails for the account's own
//! policies (every default document, 1,000 policies a page) while that costs fewer pages than
//! the GetPolicyVersion calls it saves, plus GetPolicy per policy for its tags (no IAM call
//! returns the tags of many policies): `N + 1` calls instead of `2N`. A policy missing from the
//! listing (an AWS managed one, or one not listed yet) is read on its own.

use std::collections::HashMap;
use std::sync::LazyLock;
use std::time::Duration;

use async_trait::async_trait;
use aws_sdk_iam::types::{EntityType, ManagedPolicyDetail, Policy};
use aws_smithy_types::date_time::Format;
use futures::FutureExt as _;
use plinth_sdk::{
    AttrPath, Attribute, PlanRequest, PlanResponse, ProviderDiagnostic, ProviderError, Schema, Type, Value,
};

use super::{decode_policy, iam_tags, paged, plan_keeping_policy, policy_for_state, tags_from, validate_named_policy};
use crate::error::{aws_error, is_not_found};
use crate::idempotent::{self, Creating};
use crate::tags::{Tagged, plan_tags_all, tag_values, update_tags, with_tags};
use crate::util::{concurrently, map_of_strings, opt_i64, opt_str, opt_string, req_str, string, with_generated_name};
use crate::{AwsDataSource, AwsResource, Ctx};

pub struct IamPolicy;

static SCHEMA: LazyLock<Schema> = LazyLock::new(|| {
    with_tags(
        with_generated_name(
            Schema::new(
                "A customer managed IAM policy, attached to roles with aws_iam_role_policy_attachment. IAM is \
                 global. Import with the policy ARN.",
            ),
            ("name", "name_prefix"),
            "Policy name",
        )
        .attr(
            "policy",
            Attribute::required(Type::String).describe(
                "Policy document (JSON). Compared by meaning: key order, whitespace and one-element lists are not \
                 a change. A change creates a new default version.",
            ),
        )
        .attr(
            "path",
            Attribute::optional_computed(Type::String)
                .force_new()
                .describe("Path of the policy (default `/`)."),
        )
        .attr(
            "description",
            Attribute::optional(Type::String)
                .force_new()
                .describe("Description of the policy (IAM cannot change it: a new one replaces the policy)."),
        )
        .attr(
            "delay_after_policy_creation_in_ms",
            Attribute::optional(Type::Number).describe(
                "Milliseconds to wait after creating the policy (and each new version), for IAM's eventual \
                 consistency. Not read from AWS.",
            ),
        )
        .attr("id", Attribute::computed(Type::String).describe("The policy ARN."))
        .attr("arn", Attribute::computed(Type::String).describe("The policy ARN."))
        .attr(
            "policy_id",
            Attribute::computed(Type::String).describe("The stable unique id (ANPA...)."),
        )
        .attr(
            "attachment_count",
            Attribute::computed(Type::Number).describe("Number of roles, users and groups it is attached to."),
        ),
    )
    .identity(&["name", "path"])
});

/// A policy and its default version's document.
struct PolicyInfo {
    policy: Policy,
    document: Option<String>,
}

fn to_value(ctx: &Ctx, info: &PolicyInfo, prior: &Value) -> Value {
    let p = &info.policy;
    let (tags, tags_all) = tag_values(ctx, &tags_from(p.tags()), prior);
    let arn = p.arn().unwrap_or_default();
    let description = match p.description().filter(|d| !d.is_empty()) {
        Some(d) => string(d),
        None if prior.get("description").as_str() == Some("") => string(""),
        None => Value::Null,
    };
    Value::object([
        ("id", string(arn)),
        ("arn", string(arn)),
        ("name", string(p.policy_name().unwrap_or_default())),
        ("name_prefix", prior.get("name_prefix").clone()),
        ("path", string(p.path().unwrap_or("/"))),
        ("description", description),
        (
            "policy",
            policy_for_state(info.document.as_deref(), prior.get("policy")),
        ),
        ("policy_id", opt_string(p.policy_id())),
        (
            "attachment_count",
            Value::int(i64::from(p.attachment_count().unwrap_or(0))),
        ),
        (
            "delay_after_policy_creation_in_ms",
            prior.get("delay_after_policy_creation_in_ms").clone(),
        ),
        ("tags", tags),
        ("tags_all", tags_all),
    ])
}

/// GetPolicy and GetPolicyVersion of its default version; `None` when there is no such policy.
async fn get_policy(ctx: &Ctx, arn: &str) -> Result<Option<PolicyInfo>, ProviderError> {
    let policy = match ctx.iam.get_policy().policy_arn(arn).send().boxed().await {
        Ok(resp) => match resp.policy {
            Some(p) => p,
            None => return Ok(None),
        },
        Err(e) if is_not_found(&e) => return Ok(None),
        Err(e) => return Err(aws_error(e)),
    };
    let document = match policy.default_version_id() {
        Some(v) => match ctx
            .iam
            .get_policy_version()
            .policy_arn(arn)
            .version_id(v)
            .send()
            .boxed()
            .await
        {
            Ok(resp) => resp.policy_version().and_then(|v| v.document()).map(decode_policy),
            Err(e) if is_not_found(&e) => return Ok(None),
            Err(e) => return Err(aws_error(e)),
        },
        None => None,
    };
    Ok(Some(PolicyInfo { policy, document }))
}

/// The account's own policies with their versions (GetAccountAuthorizationDetails), by ARN;
/// `None` when that takes more than `max_pages` pages or listing is not allowed.
async fn local_policy_details(
    ctx: &Ctx,
    max_pages: usize,
) -> Result<Option<HashMap<String, ManagedPolicyDetail>>, ProviderError> {
    let page = |marker| async move {
        let resp = ctx
            .iam
            .get_account_authorization_details()
            .filter(EntityType::LocalManagedPolicy)
            .max_items(1000)
            .set_marker(marker)
            .send()
            .boxed()
            .await
            .map_err(aws_error)?;
        let next = resp.is_truncated().then(|| resp.marker().map(str::to_string)).flatten();
        Ok((resp.policies().to_vec(), next))
    };
    Ok(
        paged(max_pages, page, |p: &ManagedPolicyDetail| p.arn().map(str::to_string))
            .await?
            .map(|(m, _)| m),
    )
}

/// GetPolicy alone, for a policy whose document is already known.
async fn get_policy_only(ctx: &Ctx, arn: &str) -> Result<Option<Policy>, ProviderError> {
    match ctx.iam.get_policy().policy_arn(arn).send().boxed().await {
        Ok(resp) => Ok(resp.policy),
        Err(e) if is_not_found(&e) => Ok(None),
        Err(e) => Err(aws_error(e)),
    }
}

/// Reads the given policies in as few calls as the account allows (see the module
/// documentation).
async fn read_policies(ctx: &Ctx, arns: &[String]) -> Result<HashMap<String, PolicyInfo>, ProviderError> {
    let mut unique = arns.to_vec();
    unique.sort();
    unique.dedup();
    let n = unique.len();
    // ARN to (default version id, its document), from the listing.
    let mut listed: HashMap<String, (String, String)> = HashMap::new();
    if n > 1
        && let Some(details) = local_policy_details(ctx, n - 1).await?
    {
        for arn in &unique {
            let default = details.get(arn).and_then(|d| {
                d.policy_version_list()
                    .iter()
                    .find(|v| v.is_default_version())
                    .and_then(|v| Some((v.version_id()?.to_string(), decode_policy(v.document()?))))
            });
            if let Some(v) = default {
                listed.insert(arn.clone(), v);
            }
        }
    }
    let found = concurrently(unique.clone(), |arn| {
        let ctx = ctx.clone();
        let listed = listed.get(&arn).cloned();
        async move {
            let Some((version, document)) = listed else {
                return get_policy(&ctx, &arn).await;
            };
            match get_policy_only(&ctx, &arn).await? {
                // A new default version since the listing: read that one.
                Some(policy) if policy.default_version_id() != Some(version.as_str()) => get_policy(&ctx, &arn).await,
                Some(policy) => Ok(Some(PolicyInfo {
                    policy,
                    document: Some(document),
                })),
                None => Ok(None),
            }
        }
    })
    .await?;
    Ok(unique
        .into_iter()
        .zip(found)
        .filter_map(|(arn, info)| Some((arn, info?)))
        .collect())
}

async fn must_get(ctx: &Ctx, arn: &str) -> Result<PolicyInfo, ProviderError> {
    get_policy(ctx, arn)
        .await?
        .ok_or_else(|| ProviderError::with_code("NoSuchEntity", format!("no IAM policy {arn}")))
}

async fn delay(planned: &Value) {
    if let Some(ms) = opt_i64(planned, "delay_after_policy_creation_in_ms").filter(|ms| *ms > 0) {
        tokio::time::sleep(Duration::from_millis(ms as u64)).await;
    }
}

/// The non-default versions, oldest first.
async fn old_versions(ctx: &Ctx, arn: &str) -> Result<(Vec<String>, usize), ProviderError> {
    let resp = ctx
        .iam
        .list_policy_versions()
        .policy_arn(arn)
        .send()
        .boxed()
        .await
        .map_err(aws_error)?;
    let all = resp.versions();
    let mut old: Vec<_> = all.iter().filter(|v| !v.is_default_version()).collect();
    old.sort_by_key(|v| v.create_date().and_then(|d| d.fmt(Format::DateTime).ok()));
    Ok((
        old.iter().filter_map(|v| v.version_id().map(str::to_string)).collect(),
        all.len(),
    ))
}

async fn delete_version(ctx: &Ctx, arn: &str, version: &str) -> Result<(), ProviderError> {
    match ctx
        .iam
        .delete_policy_version()
        .policy_arn(arn)
        .version_id(version)
        .send()
        .boxed()
        .await
    {
        Ok(_) => Ok(()),
        Err(e) if is_not_found(&e) => Ok(()),
        Err(e) => Err(aws_error(e)),
    }
}

#[async_trait]
impl AwsResource for IamPolicy {
    fn type_name(&self) -> &'static str {
        "aws_iam_policy"
    }

    fn schema(&self) -> &Schema {
        &SCHEMA
    }

    fn validate(&self, config: &Value) -> Vec<ProviderDiagnostic> {
        validate_named_policy(config, "policy")
    }

    fn plan(&self, ctx: &Ctx, req: &PlanRequest) -> PlanResponse {
        let mut resp = plan_keeping_policy(self.schema(), req, "policy");
        plan_tags_all(ctx, &req.config, &mut resp.planned);
        resp
    }

    async fn create(&self, ctx: &Ctx, planned: &Value) -> Result<Value, ProviderError> {
        self.create_as(ctx, planned, &Creating::default()).await
    }

    /// Safe to repeat after a crash (see `docs/reliability.md`): the policy gets Plinth's
    /// bookkeeping tags, a generated name is derived from the planned change, and a policy
    /// answered EntityAlreadyExists is adopted when its bookkeeping tags name this address and
    /// state; any other existing policy is an error saying how to import it.
    async fn create_as(&self, ctx: &Ctx, planned: &Value, creating: &Creating) -> Result<Value, ProviderError> {
        let name = creating.name(planned, "name", "name_prefix", "plinth-");
        let tags = creating.with_tags(ctx.merged_tags(planned.get("tags")));
        let mut req = ctx
            .iam
            .create_policy()
            .policy_name(&name)
            .policy_document(req_str(planned, "policy")?)
            .set_path(opt_str(planned, "path"))
            .set_description(opt_str(planned, "description"));
        if !tags.is_empty() {
            req = req.set_tags(Some(iam_tags(&tags)?));
        }
        let arn = match req.send().boxed().await.map_err(aws_error) {
            Ok(resp) => resp
                .policy()
                .and_then(|p| p.arn())
                .ok_or_else(|| ProviderError::new("CreatePolicy returned no ARN"))?
                .to_string(),
            Err(e) if idempotent::already_exists(&e) => {
                let arn = format!(
                    "arn:{}:iam::{}:policy{}{name}",
                    crate::identity::partition_of(&ctx.region).name,
                    ctx.account_id().await?,
                    opt_str(planned, "path").unwrap_or_else(|| "/".into()),
                );
                let live = ctx
                    .iam
                    .list_policy_tags()
                    .policy_arn(&arn)
                    .send()
                    .boxed()
                    .await
                    .map_err(aws_error)?;
                let tags = live.tags().iter().map(|t| (Some(t.key()), Some(t.value())));
                creating.adopt_or_refuse(&arn, Some(tags), e)?;
                arn
            }
            Err(e) => return Err(e),
        };
        delay(planned).await;
        Ok(to_value(ctx, &must_get(ctx, &arn).await?, planned))
    }

    async fn update(&self, ctx: &Ctx, prior: &Value, planned: &Value) -> Result<Value, ProviderError> {
        let arn = req_str(prior, "arn")?;
        if planned.get("policy") != prior.get("policy") {
            let (old, count) = old_versions(ctx, &arn).await?;
            // IAM keeps five versions: make room by deleting the oldest non-default one.
            if count >= 5
                && let Some(oldest) = old.first()
            {
                delete_version(ctx, &arn, oldest).await?;
            }
            ctx.iam
                .create_policy_version()
                .policy_arn(&arn)
                .policy_document(req_str(planned, "policy")?)
                .set_as_default(true)
                .send()
                .boxed()
                .await
                .map_err(aws_error)?;
            delay(planned).await;
        }
        update_tags(ctx, Tagged::IamPolicy(&arn), prior, planned).await?;
        Ok(to_value(ctx, &must_get(ctx, &arn).await?, planned))
    }

    async fn delete(&self, ctx: &Ctx, prior: &Value) -> Result<(), ProviderError> {
        let arn = req_str(prior, "arn")?;
        let old = match old_versions(ctx, &arn).await {
            Ok((old, _)) => old,
            Err(e) if e.kind == plinth_sdk::ErrorKind::NotFound => return Ok(()),
            Err(e) => return Err(e),
        };
        for v in old {
            delete_version(ctx, &arn, &v).await?;
        }
        match ctx.iam.delete_policy().policy_arn(&arn).send().boxed().await {
            Ok(_) => Ok(()),
            Err(e) if is_not_found(&e) => Ok(()),
            Err(e) => Err(aws_error(e).with_hint(
                "a policy still attached cannot be deleted: remove its aws_iam_role_policy_attachment resources, \
                 or detach it by hand",
            )),
        }
    }

    async fn read(&self, ctx: &Ctx, states: &[Value]) -> Result<Vec<Option<Value>>, ProviderError> {
        let arns: Vec<String> = states.iter().filter_map(|s| opt_str(s, "arn")).collect();
        let found = read_policies(ctx, &arns).await?;
        Ok(states
            .iter()
            .map(|s| {
                let info = found.get(&opt_str(s, "arn")?)?;
                Some(to_value(ctx, info, s))
            })
            .collect())
    }

    async fn import(&self, ctx: &Ctx, id: &str) -> Result<Value, ProviderError> {
        if !id.starts_with("arn:") {
            return Err(ProviderError::with_code(
                "InvalidImportId",
                format!("expected the policy ARN, such as arn:aws:iam::123456789012:policy/my-policy, got {id:?}"),
            ));
        }
        Ok(to_value(ctx, &must_get(ctx, id).await?, &Value::Null))
    }
}

pub struct IamPolicyData;

static DATA_SCHEMA: LazyLock<Schema> = LazyLock::new(|| {
    Schema::new(
        "A managed IAM policy (an AWS managed one such as AmazonSageMakerFullAccess, or the account's own), by \
         ARN or by name.",
    )
    .attr(
        "arn",
        Attribute::optional_computed(Type::String).describe("ARN of the policy; or give name."),
    )
    .attr(
        "name",
        Attribute::optional_computed(Type::String).describe("Name of the policy; or give arn."),
    )
    .attr(
        "path_prefix",
        Attribute::optional(Type::String).describe("With name: only policies under this path."),
    )
    .attr(
        "path",
        Attribute::computed(Type::String).describe("Path of the policy."),
    )
    .attr(
        "description",
        Attribute::computed(Type::String).describe("Description of the policy."),
    )
    .attr(
        "policy",
        Attribute::computed(Type::String).describe("The default version's document (JSON)."),
    )
    .attr(
        "policy_id",
        Attribute::computed(Type::String).describe("The stable unique id."),
    )
    .attr(
        "attachment_count",
        Attribute::computed(Type::Number).describe("Number of entities it is attached to."),
    )
    .attr(
        "tags",
        Attribute::computed(Type::Map(Box::new(Type::String))).describe("Tags of the policy."),
    )
    .attr("id", Attribute::computed(Type::String).describe("The policy ARN."))
});

/// The ARN of the one managed policy named `name` (ListPolicies, under `path_prefix`).
async fn arn_by_name(ctx: &Ctx, name: &str, path_prefix: Option<String>) -> Result<String, ProviderError> {
    let mut found = Vec::new();
    let mut marker = None;
    loop {
        let resp = ctx
            .iam
            .list_policies()
            .set_path_prefix(path_prefix.clone())
            .max_items(1000)
            .set_marker(marker)
            .send()
            .boxed()
            .await
            .map_err(aws_error)?;
        found.extend(
            resp.policies()
                .iter()
                .filter(|p| p.policy_name() == Some(name))
                .filter_map(|p| p.arn().map(str::to_string)),
        );
        match resp.is_truncated().then(|| resp.marker().map(str::to_string)).flatten() {
            Some(m) => marker = Some(m),
            None => break,
        }
    }
    match found.len() {
        1 => Ok(found.remove(0)),
        0 => Err(
            ProviderError::with_code("NoSuchEntity", format!("no managed IAM policy named {name:?}"))
                .at(AttrPath::attr("name")),
        ),
        _ => Err(ProviderError::with_code(
            "AmbiguousPolicy",
            format!(
                "{} managed policies are named {name:?} ({}): give arn, or path_prefix",
                found.len(),
                found.join(", ")
            ),
        )
        .at(AttrPath::attr("name"))),
    }
}

#[async_trait]
impl AwsDataSource for IamPolicyData {
    fn type_name(&self) -> &'static str {
        "aws_iam_policy"
    }

    fn schema(&self) -> &Schema {
        &DATA_SCHEMA
    }

    /// Terraform's rules: `arn` conflicts with `name` and `path_prefix`; one of `arn` and `name`
    /// names the policy (an unknown value counts as set).
    fn validate(&self, config: &Value) -> Vec<ProviderDiagnostic> {
        let set = |k: &str| !config.get(k).is_null();
        let error = |attr: &str, summary: &str, detail: String| ProviderDiagnostic {
            severity: plinth_sdk::Severity::Error,
            summary: summary.into(),
            detail,
            attribute: Some(AttrPath::attr(attr)),
        };
        let mut d = Vec::new();
        for other in ["name", "path_prefix"] {
            if set("arn") && set(other) {
                d.push(error(
                    other,
                    "Conflicting attributes",
                    format!("arn and {other} cannot both be set"),
                ));
            }
        }
        if !set("arn") && !set("name") {
            d.push(error("arn", "Missing attribute", "set arn or name".into()));
        }
        d
    }

    async fn read(&self, ctx: &Ctx, config: &Value) -> Result<Value, ProviderError> {
        let arn = match (opt_str(config, "arn"), opt_str(config, "name")) {
            (Some(arn), _) => arn,
            (None, Some(name)) => arn_by_name(ctx, &name, opt_str(config, "path_prefix")).await?,
            (None, None) => {
                return Err(ProviderError::with_code("MissingAttribute", "set arn or name").at(AttrPath::attr("arn")));
            }
        };
        let info = get_policy(ctx, &arn).await?.ok_or_else(|| {
            ProviderError::with_code("NoSuchEntity", format!("no managed IAM policy {arn}")).at(AttrPath::attr("arn"))
        })?;
        let p = &info.policy;
        Ok(Value::object([
            ("id", string(&arn)),
            ("arn", string(&arn)),
            ("name", string(p.policy_name().unwrap_or_default())),
            ("path_prefix", config.get("path_prefix").clone()),
            ("path", string(p.path().unwrap_or("/"))),
            ("description", string(p.description().unwrap_or_default())),
            ("policy", opt_string(info.document.clone())),
            ("policy_id", opt_string(p.policy_id())),
            (
                "attachment_count",
                Value::int(i64::from(p.attachment_count().unwrap_or(0))),
            ),
            ("tags", map_of_strings(&tags_from(p.tags()))),
        ]))
    }
}
