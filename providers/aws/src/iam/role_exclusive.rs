//! `aws_iam_role`'s `inline_policy` blocks and `managed_policy_arns`: the role's inline and
//! attached policies managed exclusively through the role, as Terraform's AWS provider does
//! (where both are deprecated in favour of `aws_iam_role_policy` and
//! `aws_iam_role_policy_attachment`, but still common in real configurations).
//!
//! Terraform's rules: left out, they are ignored (policies attached or put by other resources
//! are not drift); set, the role has exactly those (others found on the role are drift, and
//! apply removes them); an empty `inline_policy {}` block, or `managed_policy_arns = []`, means
//! "none". Plinth decides what a role manages from its prior state (what the last apply
//! configured), since a block cannot be "computed" in its schema.
//!
//! What this module leaves to `role.rs`: the role itself, its refresh, and the order of calls.

use std::collections::{BTreeMap, BTreeSet};

use aws_sdk_iam::types::RoleDetail;
use futures::FutureExt as _;
use plinth_sdk::{AttrPath, PathStep, ProviderDiagnostic, ProviderError, Severity, Value};

use super::{check_policy_json, decode_policy, policies_equivalent};
use crate::Ctx;
use crate::error::{aws_error, is_not_found};
use crate::util::{list_of_strings, str_list, string};

/// What of its policies a role's value (its state or planned value) manages.
pub(crate) fn manages_inline(v: &Value) -> bool {
    v.get("inline_policy").as_list().is_some_and(|l| !l.is_empty())
}

pub(crate) fn manages_attached(v: &Value) -> bool {
    let m = v.get("managed_policy_arns");
    !m.is_null() && !m.is_unknown()
}

/// The live inline policies (name, document) and attached policy ARNs of a role; `None` for
/// what was not read.
#[derive(Clone, Debug, Default)]
pub(crate) struct Extras {
    pub inline: Option<Vec<(String, String)>>,
    pub attached: Option<Vec<String>>,
}

impl Extras {
    /// Both, from GetAccountAuthorizationDetails.
    pub(crate) fn from_detail(d: &RoleDetail) -> Extras {
        Extras {
            inline: Some(
                d.role_policy_list()
                    .iter()
                    .filter_map(|p| Some((p.policy_name()?.to_string(), decode_policy(p.policy_document()?))))
                    .collect(),
            ),
            attached: Some(
                d.attached_managed_policies()
                    .iter()
                    .filter_map(|p| p.policy_arn().map(str::to_string))
                    .collect(),
            ),
        }
    }

    /// What `planned` asks for, as written: the state after a create or update.
    pub(crate) fn planned(planned: &Value) -> Extras {
        Extras {
            inline: manages_inline(planned).then(|| wanted_inline(planned).into_iter().collect()),
            attached: manages_attached(planned).then(|| str_list(planned, "managed_policy_arns")),
        }
    }
}

/// The names of a role's inline policies (ListRolePolicies); `None` when the role is gone.
async fn inline_names(ctx: &Ctx, role: &str) -> Result<Option<Vec<String>>, ProviderError> {
    let mut out = Vec::new();
    let mut marker = None;
    loop {
        let resp = match ctx
            .iam
            .list_role_policies()
            .role_name(role)
            .max_items(1000)
            .set_marker(marker)
            .send()
            .boxed()
            .await
        {
            Ok(r) => r,
            Err(e) if is_not_found(&e) => return Ok(None),
            Err(e) => return Err(aws_error(e)),
        };
        out.extend(resp.policy_names().iter().cloned());
        match resp.is_truncated().then(|| resp.marker().map(str::to_string)).flatten() {
            Some(m) => marker = Some(m),
            None => return Ok(Some(out)),
        }
    }
}

/// The ARNs attached to a role (ListAttachedRolePolicies); `None` when the role is gone. Also
/// `aws_iam_role_policy_attachment`'s.
pub(super) async fn attached_arns(ctx: &Ctx, role: &str) -> Result<Option<Vec<String>>, ProviderError> {
    let mut out = Vec::new();
    let mut marker = None;
    loop {
        let resp = match ctx
            .iam
            .list_attached_role_policies()
            .role_name(role)
            .max_items(1000)
            .set_marker(marker)
            .send()
            .boxed()
            .await
        {
            Ok(r) => r,
            Err(e) if is_not_found(&e) => return Ok(None),
            Err(e) => return Err(aws_error(e)),
        };
        out.extend(
            resp.attached_policies()
                .iter()
                .filter_map(|p| p.policy_arn().map(str::to_string)),
        );
        match resp.is_truncated().then(|| resp.marker().map(str::to_string)).flatten() {
            Some(m) => marker = Some(m),
            None => return Ok(Some(out)),
        }
    }
}

/// Reads what `state` manages of one role with the role's own calls (ListRolePolicies and
/// GetRolePolicy each, ListAttachedRolePolicies).
pub(crate) async fn read(ctx: &Ctx, role: &str, state: &Value) -> Result<Extras, ProviderError> {
    let mut out = Extras::default();
    if manages_inline(state) {
        let mut inline = Vec::new();
        for name in inline_names(ctx, role).await?.unwrap_or_default() {
            match ctx
                .iam
                .get_role_policy()
                .role_name(role)
                .policy_name(&name)
                .send()
                .boxed()
                .await
            {
                Ok(resp) => inline.push((name, decode_policy(resp.policy_document()))),
                Err(e) if is_not_found(&e) => {}
                Err(e) => return Err(aws_error(e)),
            }
        }
        out.inline = Some(inline);
    }
    if manages_attached(state) {
        out.attached = Some(attached_arns(ctx, role).await?.unwrap_or_default());
    }
    Ok(out)
}

/// The inline policies a value asks for, by name (blocks without a name ask for none: the
/// empty `inline_policy {}`).
fn wanted_inline(v: &Value) -> BTreeMap<String, String> {
    v.get("inline_policy")
        .as_list()
        .into_iter()
        .flatten()
        .filter_map(|b| {
            Some((
                b.get("name").as_str()?.to_string(),
                b.get("policy").as_str().unwrap_or_default().to_string(),
            ))
        })
        .collect()
}

/// A set of blocks in the order the engine keeps sets in.
fn as_set(mut items: Vec<Value>) -> Value {
    items.sort_by_key(|v| v.to_json().to_string());
    items.dedup();
    Value::List(items)
}

/// The `inline_policy` value for state from the live policies, each document kept as `prior`
/// wrote it when it means the same. No live policy and a prior that asked for none keeps the
/// prior's empty block.
pub(crate) fn inline_value(live: &[(String, String)], prior: &Value) -> Value {
    if live.is_empty() && wanted_inline(prior).is_empty() {
        return prior.get("inline_policy").clone();
    }
    let before = wanted_inline(prior);
    as_set(
        live.iter()
            .map(|(name, doc)| {
                let doc = match before.get(name) {
                    Some(p) if policies_equivalent(p, doc) => p.clone(),
                    _ => doc.clone(),
                };
                Value::object([("name", string(name)), ("policy", string(doc))])
            })
            .collect(),
    )
}

/// The `managed_policy_arns` value for state: the live ARNs, as a set.
pub(crate) fn attached_value(live: &[String]) -> Value {
    let set: BTreeSet<&String> = live.iter().collect();
    list_of_strings(set.into_iter().cloned())
}

/// After the standard plan: an inline policy meaning the same as the prior one of that name
/// keeps the prior text, so a reformatted document is not a change.
pub(crate) fn plan_inline(planned: &mut Value, prior: Option<&Value>) {
    let Some(prior) = prior else { return };
    let before = wanted_inline(prior);
    let Some(blocks) = planned.get("inline_policy").as_list().cloned() else {
        return;
    };
    if blocks.iter().any(Value::contains_unknown) {
        return;
    }
    let blocks: Vec<Value> = blocks
        .into_iter()
        .map(|b| {
            let (Some(name), Some(doc)) = (b.get("name").as_str(), b.get("policy").as_str()) else {
                return b;
            };
            match before.get(name) {
                Some(p) if p != doc && policies_equivalent(p, doc) => {
                    Value::object([("name", string(name)), ("policy", string(p))])
                }
                _ => b,
            }
        })
        .collect();
    if let Value::Map(m) = planned {
        m.insert("inline_policy".into(), as_set(blocks));
    }
}

/// Makes the role's inline and attached policies what `planned` asks for (nothing for what it
/// does not manage). `prior` is `None` on create.
pub(crate) async fn apply(ctx: &Ctx, role: &str, prior: Option<&Value>, planned: &Value) -> Result<(), ProviderError> {
    if manages_inline(planned) {
        let want = wanted_inline(planned);
        let had = prior.map(wanted_inline).unwrap_or_default();
        // Policies on the role the configuration does not name go (found live, not from the
        // prior state: one added by hand is drift to remove).
        for name in inline_names(ctx, role).await?.unwrap_or_default() {
            if !want.contains_key(&name) {
                match ctx
                    .iam
                    .delete_role_policy()
                    .role_name(role)
                    .policy_name(&name)
                    .send()
                    .boxed()
                    .await
                {
                    Ok(_) => {}
                    Err(e) if is_not_found(&e) => {}
                    Err(e) => return Err(aws_error(e)),
                }
            }
        }
        for (name, doc) in &want {
            if prior.is_some() && had.get(name) == Some(doc) {
                continue;
            }
            ctx.iam
                .put_role_policy()
                .role_name(role)
                .policy_name(name)
                .policy_document(doc)
                .send()
                .boxed()
                .await
                .map_err(aws_error)?;
        }
    }
    if manages_attached(planned) {
        let want: BTreeSet<String> = str_list(planned, "managed_policy_arns").into_iter().collect();
        let have: BTreeSet<String> = attached_arns(ctx, role)
            .await?
            .unwrap_or_default()
            .into_iter()
            .collect();
        for arn in have.difference(&want) {
            match ctx
                .iam
                .detach_role_policy()
                .role_name(role)
                .policy_arn(arn)
                .send()
                .boxed()
                .await
            {
                Ok(_) => {}
                Err(e) if is_not_found(&e) => {}
                Err(e) => return Err(aws_error(e)),
            }
        }
        for arn in want.difference(&have) {
            ctx.iam
                .attach_role_policy()
                .role_name(role)
                .policy_arn(arn)
                .send()
                .boxed()
                .await
                .map_err(aws_error)?;
        }
    }
    Ok(())
}

/// The checks of the blocks: a policy needs a name, a name needs a JSON policy, names are unique.
pub(crate) fn validate(config: &Value) -> Vec<ProviderDiagnostic> {
    let mut out = Vec::new();
    let mut names = BTreeSet::new();
    for (i, b) in config.get("inline_policy").as_list().into_iter().flatten().enumerate() {
        let at = |attr: &str| {
            AttrPath::attr("inline_policy")
                .child(PathStep::Index(i))
                .child(PathStep::Attr(attr.to_string()))
        };
        let diag = |attr: &str, summary: &str, detail: String| ProviderDiagnostic {
            severity: Severity::Error,
            summary: summary.to_string(),
            detail,
            attribute: Some(at(attr)),
        };
        let (name, policy) = (b.get("name"), b.get("policy"));
        if name.is_null() && !policy.is_null() {
            out.push(diag(
                "name",
                "inline_policy needs a name",
                "an inline_policy block with a policy must name it; an empty inline_policy {} block means \
                 \"no inline policies\""
                    .into(),
            ));
        }
        if !name.is_null() && policy.is_null() {
            out.push(diag(
                "policy",
                "inline_policy needs a policy",
                "an inline_policy block with a name must have a policy document (JSON)".into(),
            ));
        }
        if let Some(n) = name.as_str()
            && !names.insert(n.to_string())
        {
            out.push(diag(
                "name",
                "Duplicate inline_policy name",
                format!("two inline_policy blocks are named {n:?}"),
            ));
        }
        for mut d in check_policy_json(b, "policy") {
            d.attribute = Some(at("policy"));
            d.summary = "Invalid inline_policy policy".into();
            out.push(d);
        }
    }
    out
}
