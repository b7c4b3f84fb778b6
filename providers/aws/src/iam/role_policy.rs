//! `aws_iam_role_policy`: an inline policy of a role. PutRolePolicy creates and updates it.
//!
//! Refresh: one policy is read with GetRolePolicy; more with GetAccountAuthorizationDetails
//! (every role's inline policies, a few pages for the whole account), falling back to
//! GetRolePolicy when the listing would cost more or is not allowed. A policy missing from the
//! listing is confirmed gone with GetRolePolicy (IAM is eventually consistent).

use std::collections::HashMap;
use std::sync::LazyLock;

use async_trait::async_trait;
use futures::FutureExt as _;
use plinth_sdk::{Attribute, PlanRequest, PlanResponse, ProviderDiagnostic, ProviderError, Schema, Type, Value};

use super::{plan_keeping_policy, policy_for_state, role_details, validate_named_policy};
use crate::error::{aws_error, is_not_found};
use crate::util::{concurrently, delete_and_wait, name_or_generated, opt_str, req_str, string, with_generated_name};
use crate::{AwsResource, Ctx};

pub struct IamRolePolicy;

static SCHEMA: LazyLock<Schema> = LazyLock::new(|| {
    with_generated_name(
        Schema::new(
            "An inline policy of an IAM role, such as the scoped permissions of a SageMaker execution role. \
             Import with `ROLE:NAME`.",
        ),
        ("name", "name_prefix"),
        "Policy name",
    )
    .attr(
        "role",
        Attribute::required(Type::String)
            .force_new()
            .describe("Name of the role the policy belongs to."),
    )
    .attr(
        "policy",
        Attribute::required(Type::String).describe(
            "Policy document (JSON). Compared by meaning: key order, whitespace and one-element lists are not \
             a change.",
        ),
    )
    .attr("id", Attribute::computed(Type::String).describe("`ROLE:NAME`."))
    .identity(&["role", "name"])
});

fn to_value(role: &str, name: &str, document: Option<&str>, prior: &Value) -> Value {
    Value::object([
        ("id", string(format!("{role}:{name}"))),
        ("role", string(role)),
        ("name", string(name)),
        ("name_prefix", prior.get("name_prefix").clone()),
        ("policy", policy_for_state(document, prior.get("policy"))),
    ])
}

/// `(role, name)` of a state, from its attributes or its id.
fn key_of(s: &Value) -> Option<(String, String)> {
    match (opt_str(s, "role"), opt_str(s, "name")) {
        (Some(r), Some(n)) => Some((r, n)),
        _ => split_id(&opt_str(s, "id")?),
    }
}

fn split_id(id: &str) -> Option<(String, String)> {
    let (r, n) = id.split_once(':')?;
    (!r.is_empty() && !n.is_empty()).then(|| (r.to_string(), n.to_string()))
}

/// GetRolePolicy; `None` when the role or the policy does not exist.
async fn get_policy(ctx: &Ctx, role: &str, name: &str) -> Result<Option<String>, ProviderError> {
    match ctx
        .iam
        .get_role_policy()
        .role_name(role)
        .policy_name(name)
        .send()
        .boxed()
        .await
    {
        Ok(resp) => Ok(Some(resp.policy_document().to_string())),
        Err(e) if is_not_found(&e) => Ok(None),
        Err(e) => Err(aws_error(e)),
    }
}

/// Reads the documents of the given policies (see the module documentation).
async fn read_policies(
    ctx: &Ctx,
    keys: &[(String, String)],
) -> Result<HashMap<(String, String), String>, ProviderError> {
    let mut unique = keys.to_vec();
    unique.sort();
    unique.dedup();
    let n = unique.len();
    let mut out = HashMap::new();
    let mut per_object = unique.clone();
    if n > 1
        && let Some((details, _)) = role_details(ctx, n - 1).await?
    {
        per_object.clear();
        for (role, name) in &unique {
            let doc = details.get(role).and_then(|d| {
                d.role_policy_list()
                    .iter()
                    .find(|p| p.policy_name() == Some(name.as_str()))
                    .and_then(|p| p.policy_document())
            });
            match doc {
                Some(doc) => {
                    out.insert((role.clone(), name.clone()), doc.to_string());
                }
                None => per_object.push((role.clone(), name.clone())),
            }
        }
    }
    let found = concurrently(per_object.clone(), |(role, name)| {
        let ctx = ctx.clone();
        async move { get_policy(&ctx, &role, &name).await }
    })
    .await?;
    for (key, doc) in per_object.into_iter().zip(found) {
        if let Some(doc) = doc {
            out.insert(key, doc);
        }
    }
    Ok(out)
}

async fn put(ctx: &Ctx, role: &str, name: &str, planned: &Value) -> Result<(), ProviderError> {
    ctx.iam
        .put_role_policy()
        .role_name(role)
        .policy_name(name)
        .policy_document(req_str(planned, "policy")?)
        .send()
        .boxed()
        .await
        .map_err(aws_error)?;
    Ok(())
}

#[async_trait]
impl AwsResource for IamRolePolicy {
    fn type_name(&self) -> &'static str {
        "aws_iam_role_policy"
    }

    fn schema(&self) -> &Schema {
        &SCHEMA
    }

    fn validate(&self, config: &Value) -> Vec<ProviderDiagnostic> {
        validate_named_policy(config, "policy")
    }

    fn plan(&self, _ctx: &Ctx, req: &PlanRequest) -> PlanResponse {
        plan_keeping_policy(self.schema(), req, "policy")
    }

    async fn create(&self, ctx: &Ctx, planned: &Value) -> Result<Value, ProviderError> {
        let role = req_str(planned, "role")?;
        let name = name_or_generated(planned, "name", "name_prefix", "plinth-");
        put(ctx, &role, &name, planned).await?;
        Ok(to_value(&role, &name, planned.get("policy").as_str(), planned))
    }

    async fn update(&self, ctx: &Ctx, prior: &Value, planned: &Value) -> Result<Value, ProviderError> {
        let (role, name) = key_of(prior).ok_or_else(|| ProviderError::new("the prior state has no role and name"))?;
        put(ctx, &role, &name, planned).await?;
        Ok(to_value(&role, &name, planned.get("policy").as_str(), planned))
    }

    async fn delete(&self, ctx: &Ctx, prior: &Value) -> Result<(), ProviderError> {
        let (role, name) = key_of(prior).ok_or_else(|| ProviderError::new("the prior state has no role and name"))?;
        let call = ctx
            .iam
            .delete_role_policy()
            .role_name(&role)
            .policy_name(&name)
            .send()
            .boxed();
        delete_and_wait(ctx, &format!("inline policy {name} of role {role}"), call, || async {
            Ok(get_policy(ctx, &role, &name).await?.is_some())
        })
        .await
    }

    async fn read(&self, ctx: &Ctx, states: &[Value]) -> Result<Vec<Option<Value>>, ProviderError> {
        let keys: Vec<(String, String)> = states.iter().filter_map(key_of).collect();
        let found = read_policies(ctx, &keys).await?;
        Ok(states
            .iter()
            .map(|s| {
                let (role, name) = key_of(s)?;
                let doc = found.get(&(role.clone(), name.clone()))?;
                Some(to_value(&role, &name, Some(doc), s))
            })
            .collect())
    }

    async fn import(&self, ctx: &Ctx, id: &str) -> Result<Value, ProviderError> {
        let (role, name) = split_id(id).ok_or_else(|| {
            ProviderError::with_code(
                "InvalidImportId",
                format!("expected ROLE:NAME, such as my-role:my-policy, got {id:?}"),
            )
        })?;
        let doc = get_policy(ctx, &role, &name).await?.ok_or_else(|| {
            ProviderError::with_code("NoSuchEntity", format!("role {role} has no inline policy named {name}"))
        })?;
        Ok(to_value(&role, &name, Some(&doc), &Value::Null))
    }
}
