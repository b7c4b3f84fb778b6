//! `aws_iam_role_policy_attachment`: one managed policy attached to one role (AttachRolePolicy,
//! DetachRolePolicy). Both arguments force a new attachment; there is nothing to update.
//!
//! Refresh: one role's attachments are read with ListAttachedRolePolicies; the attachments of
//! several roles with GetAccountAuthorizationDetails (every role's attached policies, a few pages
//! for the whole account) while that costs fewer pages than one listing per role, else one
//! ListAttachedRolePolicies per role. An attachment missing from the account-wide listing is
//! confirmed gone with its role's own listing (IAM is eventually consistent).

use std::collections::{HashMap, HashSet};
use std::sync::LazyLock;

use async_trait::async_trait;
use futures::FutureExt as _;
use plinth_sdk::{Attribute, ProviderError, Schema, Type, Value};

use super::role_details;
use crate::error::{aws_error, is_not_found};
use crate::util::{concurrently, opt_str, req_str, string};
use crate::{AwsResource, Ctx};

pub struct IamRolePolicyAttachment;

static SCHEMA: LazyLock<Schema> = LazyLock::new(|| {
    Schema::new(
        "A managed policy attached to an IAM role, such as AmazonSageMakerFullAccess on a SageMaker execution \
         role. Import with `ROLE/POLICY_ARN`.",
    )
    .attr(
        "role",
        Attribute::required(Type::String)
            .force_new()
            .describe("Name of the role."),
    )
    .attr(
        "policy_arn",
        Attribute::required(Type::String)
            .force_new()
            .describe("ARN of the managed policy (AWS managed or customer managed)."),
    )
    .attr(
        "id",
        Attribute::computed(Type::String).describe("`ROLE/POLICY_ARN` (Terraform's import id)."),
    )
    .identity(&["role", "policy_arn"])
});

fn to_value(role: &str, arn: &str) -> Value {
    Value::object([
        ("id", string(format!("{role}/{arn}"))),
        ("role", string(role)),
        ("policy_arn", string(arn)),
    ])
}

fn split_id(id: &str) -> Option<(String, String)> {
    // Role names cannot hold a slash; policy ARNs can (a path).
    let (role, arn) = id.split_once('/')?;
    (!role.is_empty() && arn.starts_with("arn:")).then(|| (role.to_string(), arn.to_string()))
}

fn key_of(s: &Value) -> Option<(String, String)> {
    match (opt_str(s, "role"), opt_str(s, "policy_arn")) {
        (Some(r), Some(a)) => Some((r, a)),
        _ => split_id(&opt_str(s, "id")?),
    }
}

/// The ARNs of the managed policies attached to `role`; `None` when the role does not exist.
async fn attached(ctx: &Ctx, role: &str) -> Result<Option<HashSet<String>>, ProviderError> {
    Ok(super::role_exclusive::attached_arns(ctx, role)
        .await?
        .map(|arns| arns.into_iter().collect()))
}

/// The attached policies of the given roles (see the module documentation): role name to the
/// ARNs attached; a role missing from the map does not exist.
async fn read_attachments(ctx: &Ctx, roles: &[String]) -> Result<HashMap<String, HashSet<String>>, ProviderError> {
    let mut unique = roles.to_vec();
    unique.sort();
    unique.dedup();
    let n = unique.len();
    let mut out = HashMap::new();
    let mut per_role = unique.clone();
    if n > 1
        && let Some((details, _)) = role_details(ctx, n - 1).await?
    {
        per_role.clear();
        for role in &unique {
            match details.get(role) {
                Some(d) => {
                    let arns = d
                        .attached_managed_policies()
                        .iter()
                        .filter_map(|p| p.policy_arn().map(str::to_string))
                        .collect();
                    out.insert(role.clone(), arns);
                }
                None => per_role.push(role.clone()),
            }
        }
    }
    let found = concurrently(per_role.clone(), |role| {
        let ctx = ctx.clone();
        async move { attached(&ctx, &role).await }
    })
    .await?;
    for (role, arns) in per_role.into_iter().zip(found) {
        if let Some(arns) = arns {
            out.insert(role, arns);
        }
    }
    Ok(out)
}

#[async_trait]
impl AwsResource for IamRolePolicyAttachment {
    fn type_name(&self) -> &'static str {
        "aws_iam_role_policy_attachment"
    }

    fn schema(&self) -> &Schema {
        &SCHEMA
    }

    async fn create(&self, ctx: &Ctx, planned: &Value) -> Result<Value, ProviderError> {
        let role = req_str(planned, "role")?;
        let arn = req_str(planned, "policy_arn")?;
        ctx.iam
            .attach_role_policy()
            .role_name(&role)
            .policy_arn(&arn)
            .send()
            .boxed()
            .await
            .map_err(aws_error)?;
        Ok(to_value(&role, &arn))
    }

    async fn update(&self, _ctx: &Ctx, _prior: &Value, planned: &Value) -> Result<Value, ProviderError> {
        // Every argument forces a new attachment: an update changes nothing.
        Ok(to_value(&req_str(planned, "role")?, &req_str(planned, "policy_arn")?))
    }

    async fn delete(&self, ctx: &Ctx, prior: &Value) -> Result<(), ProviderError> {
        let (role, arn) =
            key_of(prior).ok_or_else(|| ProviderError::new("the prior state has no role and policy_arn"))?;
        match ctx
            .iam
            .detach_role_policy()
            .role_name(&role)
            .policy_arn(&arn)
            .send()
            .boxed()
            .await
        {
            Ok(_) => Ok(()),
            // The role, the policy or the attachment is already gone.
            Err(e) if is_not_found(&e) => Ok(()),
            Err(e) => Err(aws_error(e)),
        }
    }

    async fn read(&self, ctx: &Ctx, states: &[Value]) -> Result<Vec<Option<Value>>, ProviderError> {
        let keys: Vec<Option<(String, String)>> = states.iter().map(key_of).collect();
        let roles: Vec<String> = keys.iter().flatten().map(|(r, _)| r.clone()).collect();
        let mut found = read_attachments(ctx, &roles).await?;
        // Not in the account-wide listing: ask the role itself before calling it gone.
        let missing: Vec<String> = keys
            .iter()
            .flatten()
            .filter(|(r, a)| !found.get(r).is_some_and(|arns| arns.contains(a)))
            .map(|(r, _)| r.clone())
            .collect::<HashSet<_>>()
            .into_iter()
            .collect();
        // Only the account-wide listing (used for more than one role) can be stale.
        let listed = roles.iter().collect::<HashSet<_>>().len() > 1;
        if listed && !missing.is_empty() {
            let again = concurrently(missing.clone(), |role| {
                let ctx = ctx.clone();
                async move { attached(&ctx, &role).await }
            })
            .await?;
            for (role, arns) in missing.into_iter().zip(again) {
                match arns {
                    Some(arns) => found.insert(role, arns),
                    None => found.remove(&role),
                };
            }
        }
        Ok(keys
            .into_iter()
            .map(|k| {
                let (role, arn) = k?;
                found
                    .get(&role)
                    .is_some_and(|arns| arns.contains(&arn))
                    .then(|| to_value(&role, &arn))
            })
            .collect())
    }

    async fn import(&self, ctx: &Ctx, id: &str) -> Result<Value, ProviderError> {
        let (role, arn) = split_id(id).ok_or_else(|| {
            ProviderError::with_code(
                "InvalidImportId",
                format!(
                    "expected ROLE/POLICY_ARN, such as my-role/arn:aws:iam::aws:policy/AmazonSageMakerFullAccess, got {id:?}"
                ),
            )
        })?;
        let arns = attached(ctx, &role)
            .await?
            .ok_or_else(|| ProviderError::with_code("NoSuchEntity", format!("no IAM role named {role}")))?;
        if !arns.contains(&arn) {
            return Err(ProviderError::with_code(
                "NoSuchEntity",
                format!("policy {arn} is not attached to role {role}"),
            ));
        }
        Ok(to_value(&role, &arn))
    }
}
