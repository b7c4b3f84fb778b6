//! `aws_iam_role`.
//!
//! Refresh: one or two roles are read with GetRole each; more with ListRoles (description,
//! session duration) plus GetAccountAuthorizationDetails (tags, permissions boundary), a few
//! pages for the whole account, falling back to GetRole when the account is so large that the
//! listing would cost more, or when listing is not allowed. A role missing from the listing is
//! confirmed gone with GetRole (IAM is eventually consistent). A role whose `inline_policy`
//! blocks or `managed_policy_arns` are configured has them read too: from the listing's details
//! when batched, else with the role's own listings (see `role_exclusive`).

use std::collections::{BTreeMap, HashMap};
use std::sync::LazyLock;

use async_trait::async_trait;
use aws_sdk_iam::types::{Role, RoleDetail};
use aws_smithy_types::date_time::Format;
use futures::FutureExt as _;
use plinth_sdk::{
    Attribute, BlockSchema, Nesting, PlanRequest, PlanResponse, ProviderDiagnostic, ProviderError, Schema, Type, Value,
};

use super::role_exclusive::{self, Extras};
use super::{
    iam_tags, list_roles, plan_keeping_policy, policy_for_state, role_details, tags_from, validate_named_policy,
};
use crate::error::{aws_error, code_of, is_not_found};
use crate::idempotent::{self, Creating};
use crate::tags::{Tagged, plan_tags_all, tag_values, update_tags, with_tags};
use crate::util::{
    concurrently, number, opt_bool, opt_i64, opt_str, opt_string, req_str, string, wait_gone, with_generated_name,
};
use crate::{AwsResource, Ctx};

pub struct IamRole;

static SCHEMA: LazyLock<Schema> = LazyLock::new(|| {
    with_tags(
        with_generated_name(
            Schema::new(
                "An IAM role: an identity that services (SageMaker, EC2) or principals assume, such as a \
                 SageMaker execution role. IAM is global. Import with the role name.",
            ),
            ("name", "name_prefix"),
            "Role name",
        )
        .attr(
            "assume_role_policy",
            Attribute::required(Type::String).describe(
                "Trust policy (JSON) naming who may assume the role. Compared by meaning: key order, \
                 whitespace and one-element lists are not a change.",
            ),
        )
        .attr(
            "description",
            Attribute::optional(Type::String).describe("Description of the role."),
        )
        .attr(
            "path",
            Attribute::optional_computed(Type::String)
                .force_new()
                .describe("Path of the role (default `/`)."),
        )
        .attr(
            "max_session_duration",
            Attribute::optional_computed(Type::Number)
                .describe("Maximum session length in seconds, 3600 to 43200 (default 3600)."),
        )
        .attr(
            "permissions_boundary",
            Attribute::optional(Type::String).describe("ARN of the managed policy bounding the role's permissions."),
        )
        .attr(
            "managed_policy_arns",
            Attribute::optional_computed(Type::Set(Box::new(Type::String))).describe(
                "ARNs of exactly the managed policies attached to the role (others found attached are drift and \
                 detached; `[]` detaches all). Left out, attachments are not this role's concern. Deprecated in \
                 Terraform: prefer aws_iam_role_policy_attachment.",
            ),
        )
        .block(
            "inline_policy",
            BlockSchema {
                nesting: Nesting::Set,
                schema: Schema::new(
                    "Exactly the role's inline policies: others found on the role are drift and deleted; one empty \
                     `inline_policy {}` block deletes all. Left out, inline policies are not this role's concern. \
                     Deprecated in Terraform: prefer aws_iam_role_policy.",
                )
                .attr(
                    "name",
                    Attribute::optional(Type::String).describe("Name of the inline policy."),
                )
                .attr(
                    "policy",
                    Attribute::optional(Type::String).describe("Policy document (JSON)."),
                ),
                min_items: 0,
                max_items: None,
                force_new: false,
            },
        )
        .attr(
            "force_detach_policies",
            Attribute::optional_computed(Type::Bool).describe(
                "On destroy, detach managed policies and delete inline policies first (default false: a role \
                 with policies left refuses to be deleted). Not read from AWS.",
            ),
        )
        .attr("id", Attribute::computed(Type::String).describe("The role name."))
        .attr("arn", Attribute::computed(Type::String).describe("The role ARN."))
        .attr(
            "unique_id",
            Attribute::computed(Type::String).describe("The stable unique id (AROA...)."),
        )
        .attr(
            "create_date",
            Attribute::computed(Type::String).describe("Creation time (RFC 3339)."),
        ),
    )
    .identity(&["name"])
});

/// What the provider needs of a role, from GetRole or from the two listings.
struct RoleInfo {
    name: String,
    path: String,
    role_id: String,
    arn: String,
    create_date: Option<String>,
    assume: Option<String>,
    description: Option<String>,
    max_session: Option<i32>,
    boundary: Option<String>,
    tags: BTreeMap<String, String>,
    /// Inline and attached policies, when read.
    extras: Extras,
}

impl RoleInfo {
    fn from_role(r: &Role) -> RoleInfo {
        RoleInfo {
            name: r.role_name().to_string(),
            path: r.path().to_string(),
            role_id: r.role_id().to_string(),
            arn: r.arn().to_string(),
            create_date: r.create_date().fmt(Format::DateTime).ok(),
            assume: r.assume_role_policy_document().map(str::to_string),
            description: r.description().map(str::to_string),
            max_session: r.max_session_duration(),
            boundary: r
                .permissions_boundary()
                .and_then(|b| b.permissions_boundary_arn())
                .map(str::to_string),
            tags: tags_from(r.tags()),
            extras: Extras::default(),
        }
    }

    /// ListRoles leaves out tags and the permissions boundary; the details carry them.
    fn from_listing(r: &Role, d: &RoleDetail) -> RoleInfo {
        RoleInfo {
            boundary: d
                .permissions_boundary()
                .and_then(|b| b.permissions_boundary_arn())
                .map(str::to_string),
            tags: tags_from(d.tags()),
            extras: Extras::from_detail(d),
            ..RoleInfo::from_role(r)
        }
    }
}

fn to_value(ctx: &Ctx, r: &RoleInfo, prior: &Value) -> Value {
    let (tags, tags_all) = tag_values(ctx, &r.tags, prior);
    let description = match r.description.as_deref().filter(|d| !d.is_empty()) {
        Some(d) => string(d),
        // An explicit empty description reads back as none: keep it as configured.
        None if prior.get("description").as_str() == Some("") => string(""),
        None => Value::Null,
    };
    Value::object([
        ("id", string(&r.name)),
        ("name", string(&r.name)),
        ("name_prefix", prior.get("name_prefix").clone()),
        ("arn", string(&r.arn)),
        ("unique_id", string(&r.role_id)),
        ("path", string(&r.path)),
        ("create_date", opt_string(r.create_date.clone())),
        (
            "assume_role_policy",
            policy_for_state(r.assume.as_deref(), prior.get("assume_role_policy")),
        ),
        ("description", description),
        ("max_session_duration", number(r.max_session.unwrap_or(3600))),
        ("permissions_boundary", opt_string(r.boundary.clone())),
        (
            "force_detach_policies",
            Value::Bool(opt_bool(prior, "force_detach_policies").unwrap_or(false)),
        ),
        ("tags", tags),
        ("tags_all", tags_all),
        (
            "inline_policy",
            match &r.extras.inline {
                Some(live) if role_exclusive::manages_inline(prior) => role_exclusive::inline_value(live, prior),
                _ if role_exclusive::manages_inline(prior) => prior.get("inline_policy").clone(),
                _ => Value::List(Vec::new()),
            },
        ),
        (
            "managed_policy_arns",
            match &r.extras.attached {
                Some(live) if role_exclusive::manages_attached(prior) => role_exclusive::attached_value(live),
                _ if role_exclusive::manages_attached(prior) => prior.get("managed_policy_arns").clone(),
                _ => Value::Null,
            },
        ),
    ])
}

/// GetRole; `None` when there is no such role.
async fn get_role(ctx: &Ctx, name: &str) -> Result<Option<RoleInfo>, ProviderError> {
    match ctx.iam.get_role().role_name(name).send().boxed().await {
        Ok(resp) => Ok(resp.role().map(RoleInfo::from_role)),
        Err(e) if is_not_found(&e) => Ok(None),
        Err(e) => Err(aws_error(e)),
    }
}

async fn get_roles(ctx: &Ctx, names: Vec<String>) -> Result<Vec<Option<RoleInfo>>, ProviderError> {
    concurrently(names, |name| {
        let ctx = ctx.clone();
        async move { get_role(&ctx, &name).await }
    })
    .await
}

/// Reads the named roles in as few calls as the account allows (see the module documentation).
async fn read_roles(ctx: &Ctx, names: &[String]) -> Result<HashMap<String, RoleInfo>, ProviderError> {
    let mut unique: Vec<String> = names.to_vec();
    unique.sort();
    unique.dedup();
    let n = unique.len();
    let mut out = HashMap::new();
    let mut per_object = unique.clone();
    if n > 2 {
        // A listing is worth it while it costs fewer pages than the roles it replaces.
        let budget = n - 1;
        if let Some((roles, used)) = list_roles(ctx, budget.div_ceil(2)).await? {
            let present = unique.iter().any(|n| roles.contains_key(n));
            let details = if present {
                role_details(ctx, budget.saturating_sub(used)).await?.map(|(d, _)| d)
            } else {
                Some(HashMap::new())
            };
            if let Some(details) = details {
                per_object.clear();
                for name in &unique {
                    match (roles.get(name), details.get(name)) {
                        (Some(r), Some(d)) => {
                            out.insert(name.clone(), RoleInfo::from_listing(r, d));
                        }
                        // Not listed (yet, or any more): ask the role itself.
                        _ => per_object.push(name.clone()),
                    }
                }
            }
        }
    }
    let found = get_roles(ctx, per_object.clone()).await?;
    for (name, info) in per_object.into_iter().zip(found) {
        if let Some(info) = info {
            out.insert(name, info);
        }
    }
    Ok(out)
}

/// Removes what keeps a role from being deleted: instance profiles always (as Terraform does),
/// managed policies with `detach` and inline policies with `inline` (`force_detach_policies`,
/// or the role manages them itself, as Terraform decides).
async fn detach_all(ctx: &Ctx, name: &str, detach: bool, inline: bool) -> Result<(), ProviderError> {
    let profiles = ctx
        .iam
        .list_instance_profiles_for_role()
        .role_name(name)
        .send()
        .boxed()
        .await
        .map_err(aws_error)?;
    for p in profiles.instance_profiles() {
        ctx.iam
            .remove_role_from_instance_profile()
            .role_name(name)
            .instance_profile_name(p.instance_profile_name())
            .send()
            .boxed()
            .await
            .map_err(aws_error)?;
    }
    if detach {
        detach_managed(ctx, name).await?;
    }
    if inline {
        delete_inline(ctx, name).await?;
    }
    Ok(())
}

async fn detach_managed(ctx: &Ctx, name: &str) -> Result<(), ProviderError> {
    let attached = ctx
        .iam
        .list_attached_role_policies()
        .role_name(name)
        .send()
        .boxed()
        .await
        .map_err(aws_error)?;
    for p in attached.attached_policies() {
        if let Some(arn) = p.policy_arn() {
            ctx.iam
                .detach_role_policy()
                .role_name(name)
                .policy_arn(arn)
                .send()
                .boxed()
                .await
                .map_err(aws_error)?;
        }
    }
    Ok(())
}

async fn delete_inline(ctx: &Ctx, name: &str) -> Result<(), ProviderError> {
    let inline = ctx
        .iam
        .list_role_policies()
        .role_name(name)
        .send()
        .boxed()
        .await
        .map_err(aws_error)?;
    for p in inline.policy_names() {
        ctx.iam
            .delete_role_policy()
            .role_name(name)
            .policy_name(p)
            .send()
            .boxed()
            .await
            .map_err(aws_error)?;
    }
    Ok(())
}

/// DeleteRole; `Ok(false)` on DeleteConflict (something is still attached).
async fn try_delete(ctx: &Ctx, name: &str) -> Result<bool, ProviderError> {
    match ctx.iam.delete_role().role_name(name).send().boxed().await {
        Ok(_) => Ok(true),
        Err(e) if is_not_found(&e) => Ok(true),
        Err(e) if code_of(&e) == Some("DeleteConflict") => Ok(false),
        Err(e) => Err(aws_error(e)),
    }
}

#[async_trait]
impl AwsResource for IamRole {
    fn type_name(&self) -> &'static str {
        "aws_iam_role"
    }

    fn schema(&self) -> &Schema {
        &SCHEMA
    }

    fn validate(&self, config: &Value) -> Vec<ProviderDiagnostic> {
        let mut d = validate_named_policy(config, "assume_role_policy");
        d.extend(role_exclusive::validate(config));
        d
    }

    fn plan(&self, ctx: &Ctx, req: &PlanRequest) -> PlanResponse {
        let mut resp = plan_keeping_policy(self.schema(), req, "assume_role_policy");
        plan_tags_all(ctx, &req.config, &mut resp.planned);
        role_exclusive::plan_inline(&mut resp.planned, req.prior.as_ref());
        resp
    }

    async fn create(&self, ctx: &Ctx, planned: &Value) -> Result<Value, ProviderError> {
        self.create_as(ctx, planned, &Creating::default()).await
    }

    /// Safe to repeat after a crash (see `docs/reliability.md`): the role gets Plinth's
    /// bookkeeping tags, a generated name is derived from the planned change, and a role
    /// answered EntityAlreadyExists is adopted when its bookkeeping tags name this address and
    /// state; any other existing role is an error saying how to import it.
    async fn create_as(&self, ctx: &Ctx, planned: &Value, creating: &Creating) -> Result<Value, ProviderError> {
        let name = creating.name(planned, "name", "name_prefix", "plinth-");
        let tags = creating.with_tags(ctx.merged_tags(planned.get("tags")));
        let mut req = ctx
            .iam
            .create_role()
            .role_name(&name)
            .assume_role_policy_document(req_str(planned, "assume_role_policy")?)
            .set_description(opt_str(planned, "description"))
            .set_path(opt_str(planned, "path"))
            .set_max_session_duration(opt_i64(planned, "max_session_duration").map(|n| n as i32))
            .set_permissions_boundary(opt_str(planned, "permissions_boundary"));
        if !tags.is_empty() {
            req = req.set_tags(Some(iam_tags(&tags)?));
        }
        let mut info = match req.send().boxed().await.map_err(aws_error) {
            Ok(resp) => RoleInfo::from_role(
                resp.role()
                    .ok_or_else(|| ProviderError::new("CreateRole returned no role"))?,
            ),
            Err(e) if idempotent::already_exists(&e) => {
                let live = ctx
                    .iam
                    .get_role()
                    .role_name(&name)
                    .send()
                    .boxed()
                    .await
                    .map_err(aws_error)?;
                let role = live
                    .role()
                    .ok_or_else(|| ProviderError::new("GetRole returned no role"))?;
                let tags = role.tags().iter().map(|t| (Some(t.key()), Some(t.value())));
                creating.adopt_or_refuse(&name, Some(tags), e)?;
                RoleInfo::from_role(role)
            }
            Err(e) => return Err(e),
        };
        role_exclusive::apply(ctx, &name, None, planned).await?;
        info.extras = Extras::planned(planned);
        Ok(to_value(ctx, &info, planned))
    }

    async fn update(&self, ctx: &Ctx, prior: &Value, planned: &Value) -> Result<Value, ProviderError> {
        let name = req_str(prior, "id")?;
        let changed = |k: &str| planned.get(k) != prior.get(k);
        if changed("assume_role_policy") {
            ctx.iam
                .update_assume_role_policy()
                .role_name(&name)
                .policy_document(req_str(planned, "assume_role_policy")?)
                .send()
                .boxed()
                .await
                .map_err(aws_error)?;
        }
        if changed("description") || changed("max_session_duration") {
            ctx.iam
                .update_role()
                .role_name(&name)
                .description(planned.get("description").as_str().unwrap_or(""))
                .set_max_session_duration(opt_i64(planned, "max_session_duration").map(|n| n as i32))
                .send()
                .boxed()
                .await
                .map_err(aws_error)?;
        }
        if changed("permissions_boundary") {
            match opt_str(planned, "permissions_boundary") {
                Some(arn) => {
                    ctx.iam
                        .put_role_permissions_boundary()
                        .role_name(&name)
                        .permissions_boundary(arn)
                        .send()
                        .boxed()
                        .await
                        .map_err(aws_error)?;
                }
                None => {
                    ctx.iam
                        .delete_role_permissions_boundary()
                        .role_name(&name)
                        .send()
                        .boxed()
                        .await
                        .map_err(aws_error)?;
                }
            }
        }
        update_tags(ctx, Tagged::IamRole(&name), prior, planned).await?;
        role_exclusive::apply(ctx, &name, Some(prior), planned).await?;
        let mut info = get_role(ctx, &name).await?.ok_or_else(|| {
            ProviderError::with_code("NoSuchEntity", format!("role {name} disappeared during update"))
        })?;
        info.extras = Extras::planned(planned);
        Ok(to_value(ctx, &info, planned))
    }

    async fn delete(&self, ctx: &Ctx, prior: &Value) -> Result<(), ProviderError> {
        let name = req_str(prior, "id")?;
        let force = opt_bool(prior, "force_detach_policies").unwrap_or(false);
        if !try_delete(ctx, &name).await? {
            detach_all(
                ctx,
                &name,
                force || role_exclusive::manages_attached(prior),
                force || role_exclusive::manages_inline(prior),
            )
            .await?;
            if !try_delete(ctx, &name).await? {
                return Err(ProviderError::with_code(
                    "DeleteConflict",
                    format!(
                        "role {name} still has managed policies attached or inline policies: remove them, or set \
                         force_detach_policies = true (and apply) before destroying"
                    ),
                ));
            }
        }
        wait_gone(ctx, &format!("role {name}"), || async {
            Ok(get_role(ctx, &name).await?.is_some())
        })
        .await
    }

    async fn read(&self, ctx: &Ctx, states: &[Value]) -> Result<Vec<Option<Value>>, ProviderError> {
        let names: Vec<String> = states
            .iter()
            .filter_map(|s| opt_str(s, "id").or_else(|| opt_str(s, "name")))
            .collect();
        let mut found = read_roles(ctx, &names).await?;
        // What a state manages of its policies and the listing did not bring: the role's own calls.
        let missing: Vec<(String, Value)> = states
            .iter()
            .filter_map(|s| {
                let name = opt_str(s, "id").or_else(|| opt_str(s, "name"))?;
                let info = found.get(&name)?;
                let lacks = (role_exclusive::manages_inline(s) && info.extras.inline.is_none())
                    || (role_exclusive::manages_attached(s) && info.extras.attached.is_none());
                lacks.then(|| (name, s.clone()))
            })
            .collect();
        let extras = concurrently(missing.clone(), |(name, state)| {
            let ctx = ctx.clone();
            async move { role_exclusive::read(&ctx, &name, &state).await }
        })
        .await?;
        for ((name, _), e) in missing.into_iter().zip(extras) {
            if let Some(info) = found.get_mut(&name) {
                info.extras = e;
            }
        }
        Ok(states
            .iter()
            .map(|s| {
                opt_str(s, "id")
                    .or_else(|| opt_str(s, "name"))
                    .and_then(|n| found.get(&n))
                    .map(|r| to_value(ctx, r, s))
            })
            .collect())
    }

    async fn import(&self, ctx: &Ctx, id: &str) -> Result<Value, ProviderError> {
        let info = get_role(ctx, id)
            .await?
            .ok_or_else(|| ProviderError::with_code("NoSuchEntity", format!("no IAM role named {id}")))?;
        Ok(to_value(ctx, &info, &Value::Null))
    }
}
