//! IAM: roles, their inline policies and managed-policy attachments, managed policies,
//! instance profiles, and the data sources `aws_iam_policy_document` (rendered locally, as
//! Terraform renders it) and `aws_iam_policy`. IAM is global: the provider's region does not
//! matter.
//!
//! Shared here: policy documents (IAM returns them percent-encoded and reformatted, so they are
//! compared by meaning, not by text), tags, and the account-wide listings that let a refresh of
//! many roles or policies cost a few calls instead of one per object.

pub mod instance_profile;
pub mod policy;
pub mod policy_attachment;
pub mod policy_document;
pub mod role;
pub mod role_exclusive;
pub mod role_policy;

use std::collections::{BTreeMap, HashMap};
use std::future::Future;

use aws_sdk_iam::types::{EntityType, Role, RoleDetail, Tag};
use futures::FutureExt as _;
use plinth_sdk::plan::default_plan;
use plinth_sdk::{ErrorKind, PlanRequest, PlanResponse, ProviderDiagnostic, ProviderError, Schema, Severity, Value};

use crate::error::aws_error;
use crate::{AwsDataSource, AwsResource, Ctx};

pub fn resources() -> Vec<Box<dyn AwsResource>> {
    vec![
        Box::new(role::IamRole),
        Box::new(role_policy::IamRolePolicy),
        Box::new(policy_attachment::IamRolePolicyAttachment),
        Box::new(policy::IamPolicy),
        Box::new(instance_profile::IamInstanceProfile),
    ]
}

pub fn data_sources() -> Vec<Box<dyn AwsDataSource>> {
    vec![
        Box::new(policy_document::PolicyDocumentData),
        Box::new(policy::IamPolicyData),
    ]
}

pub(crate) fn iam_tags(tags: &BTreeMap<String, String>) -> Result<Vec<Tag>, ProviderError> {
    tags.iter()
        .map(|(k, v)| {
            Tag::builder()
                .key(k)
                .value(v)
                .build()
                .map_err(|e| ProviderError::with_code("InvalidTag", e.to_string()))
        })
        .collect()
}

/// The tags of an IAM object (see [`crate::tags::tags_from`]).
pub(crate) fn tags_from(tags: &[Tag]) -> BTreeMap<String, String> {
    crate::tags::tags_from(tags.iter().map(|t| (Some(t.key()), Some(t.value()))))
}

/// A diagnostic when both `name` and `name_prefix` are set.
pub(crate) fn check_name_prefix(config: &Value) -> Vec<ProviderDiagnostic> {
    let set = |k: &str| !config.get(k).is_null();
    if set("name") && set("name_prefix") {
        vec![ProviderDiagnostic {
            severity: Severity::Error,
            summary: "Conflicting attributes".into(),
            detail: "name and name_prefix cannot both be set".into(),
            attribute: Some(plinth_sdk::AttrPath::attr("name_prefix")),
        }]
    } else {
        Vec::new()
    }
}

/// A diagnostic when a known policy attribute is not a JSON object.
pub(crate) fn check_policy_json(config: &Value, key: &str) -> Vec<ProviderDiagnostic> {
    let Some(text) = config.get(key).as_str() else {
        return Vec::new();
    };
    match serde_json::from_str::<serde_json::Value>(text) {
        Ok(serde_json::Value::Object(_)) => Vec::new(),
        Ok(_) => vec![policy_diag(key, "a policy document must be a JSON object".into())],
        Err(e) => vec![policy_diag(key, format!("not valid JSON: {e}"))],
    }
}

fn policy_diag(key: &str, detail: String) -> ProviderDiagnostic {
    ProviderDiagnostic {
        severity: Severity::Error,
        summary: format!("Invalid {key}"),
        detail,
        attribute: Some(plinth_sdk::AttrPath::attr(key)),
    }
}

/// A policy document as IAM returns it: percent-encoded (RFC 3986) on the real service, plain
/// JSON on some emulators. Plain JSON is returned as is.
pub(crate) fn decode_policy(text: &str) -> String {
    if serde_json::from_str::<serde_json::Value>(text).is_ok() {
        return text.to_string();
    }
    percent_encoding::percent_decode_str(text)
        .decode_utf8_lossy()
        .into_owned()
}

/// A canonical text of a policy document, equal for documents IAM treats as the same: keys in
/// any order, any whitespace, a one-element list equal to its element, lists compared as sets,
/// numbers and booleans equal to their text, and an account id principal equal to its root ARN.
fn canonical(v: &serde_json::Value, key: Option<&str>) -> String {
    use serde_json::Value as J;
    match v {
        J::Object(m) => {
            let mut items: Vec<(String, String)> = m.iter().map(|(k, v)| (k.clone(), canonical(v, Some(k)))).collect();
            items.sort();
            let body: Vec<String> = items
                .into_iter()
                .map(|(k, v)| format!("{}:{v}", J::String(k)))
                .collect();
            format!("{{{}}}", body.join(","))
        }
        J::Array(a) => {
            let mut items: Vec<String> = a.iter().map(|x| canonical(x, key)).collect();
            items.sort();
            items.dedup();
            if items.len() == 1 {
                items.remove(0)
            } else {
                format!("[{}]", items.join(","))
            }
        }
        J::String(s) if key == Some("AWS") && s.len() == 12 && s.bytes().all(|b| b.is_ascii_digit()) => {
            J::String(format!("arn:aws:iam::{s}:root")).to_string()
        }
        J::Number(n) => J::String(n.to_string()).to_string(),
        J::Bool(b) => J::String(b.to_string()).to_string(),
        other => other.to_string(),
    }
}

/// Whether two policy documents mean the same (see [`canonical`]). Unparseable text compares
/// as text.
pub(crate) fn policies_equivalent(a: &str, b: &str) -> bool {
    let (a, b) = (decode_policy(a), decode_policy(b));
    match (
        serde_json::from_str::<serde_json::Value>(&a),
        serde_json::from_str::<serde_json::Value>(&b),
    ) {
        (Ok(x), Ok(y)) => canonical(&x, None) == canonical(&y, None),
        _ => a == b,
    }
}

/// The policy text for state: the prior text when it means the same as the live document (so a
/// reformatting by IAM is not drift), else the live document decoded.
pub(crate) fn policy_for_state(live: Option<&str>, prior: &Value) -> Value {
    let Some(live) = live else { return Value::Null };
    let decoded = decode_policy(live);
    match prior.as_str() {
        Some(p) if policies_equivalent(p, &decoded) => Value::String(p.to_string()),
        _ => Value::String(decoded),
    }
}

/// The checks of a type with a `name_prefix` and a policy document in `policy_attr`.
pub(crate) fn validate_named_policy(config: &Value, policy_attr: &str) -> Vec<ProviderDiagnostic> {
    let mut d = check_name_prefix(config);
    d.extend(check_policy_json(config, policy_attr));
    d
}

/// The standard plan of a type with a policy document in `policy_attr`, which keeps its prior
/// text when it means the same (see [`keep_equivalent_policy`]).
pub(crate) fn plan_keeping_policy(schema: &Schema, req: &PlanRequest, policy_attr: &str) -> PlanResponse {
    let mut resp = default_plan(schema, req.prior.as_ref(), &req.config);
    keep_equivalent_policy(&mut resp.planned, req.prior.as_ref(), policy_attr);
    resp
}

/// After the standard plan: a configured policy meaning the same as the prior one keeps the
/// prior text, so whitespace and key order are not a change.
pub(crate) fn keep_equivalent_policy(planned: &mut Value, prior: Option<&Value>, key: &str) {
    let Some(prior) = prior else { return };
    let (Some(want), Some(have)) = (planned.get(key).as_str(), prior.get(key).as_str()) else {
        return;
    };
    if want != have && policies_equivalent(want, have) {
        let keep = prior.get(key).clone();
        if let Value::Map(m) = planned {
            m.insert(key.to_string(), keep);
        }
    }
}

/// Pages of an IAM listing, by name (`name_of`), with the number of pages read: `Ok(None)` when
/// it needs more than `max_pages` pages, or when the caller may not list (AccessDenied): the
/// caller then reads object by object, which is cheaper in a large account and needs fewer
/// permissions.
async fn paged<T, F, Fut>(
    max_pages: usize,
    mut page: F,
    name_of: impl Fn(&T) -> Option<String>,
) -> Result<Option<(HashMap<String, T>, usize)>, ProviderError>
where
    F: FnMut(Option<String>) -> Fut,
    Fut: Future<Output = Result<(Vec<T>, Option<String>), ProviderError>>,
{
    let mut out = HashMap::new();
    let mut marker = None;
    for used in 1..=max_pages {
        let (items, next) = match page(marker).await {
            Ok(r) => r,
            Err(e) if e.kind == ErrorKind::Forbidden => {
                tracing::debug!(error = %e.message, "listing not allowed; reading object by object");
                return Ok(None);
            }
            Err(e) => return Err(e),
        };
        out.extend(items.into_iter().filter_map(|i| Some((name_of(&i)?, i))));
        match next {
            None => return Ok(Some((out, used))),
            Some(m) => marker = Some(m),
        }
    }
    Ok(None)
}

/// Every role in the account (ListRoles: no tags nor permissions boundary), by name.
pub(crate) async fn list_roles(
    ctx: &Ctx,
    max_pages: usize,
) -> Result<Option<(HashMap<String, Role>, usize)>, ProviderError> {
    let page = |marker| async move {
        let resp = ctx
            .iam
            .list_roles()
            .max_items(1000)
            .set_marker(marker)
            .send()
            .boxed()
            .await
            .map_err(aws_error)?;
        let next = resp.is_truncated().then(|| resp.marker().map(str::to_string)).flatten();
        Ok((resp.roles().to_vec(), next))
    };
    paged(max_pages, page, |r: &Role| Some(r.role_name().to_string())).await
}

/// Every role's details (GetAccountAuthorizationDetails: tags, permissions boundary, inline
/// policies; no description nor session duration), by name.
pub(crate) async fn role_details(
    ctx: &Ctx,
    max_pages: usize,
) -> Result<Option<(HashMap<String, RoleDetail>, usize)>, ProviderError> {
    let page = |marker| async move {
        let resp = ctx
            .iam
            .get_account_authorization_details()
            .filter(EntityType::Role)
            .max_items(1000)
            .set_marker(marker)
            .send()
            .boxed()
            .await
            .map_err(aws_error)?;
        let next = resp.is_truncated().then(|| resp.marker().map(str::to_string)).flatten();
        Ok((resp.role_detail_list().to_vec(), next))
    };
    paged(max_pages, page, |r: &RoleDetail| r.role_name().map(str::to_string)).await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn equivalent_policies_ignore_format_order_and_singletons() {
        let a = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"sagemaker.amazonaws.com"},"Action":"sts:AssumeRole"}]}"#;
        let b = r#"{
            "Statement": {"Action": ["sts:AssumeRole"], "Principal": {"Service": ["sagemaker.amazonaws.com"]}, "Effect": "Allow"},
            "Version": "2012-10-17"
        }"#;
        assert!(policies_equivalent(a, b));
        let encoded = "%7B%22Version%22%3A%222012-10-17%22%2C%22Statement%22%3A%5B%7B%22Effect%22%3A%22Allow%22%2C%22Principal%22%3A%7B%22Service%22%3A%22sagemaker.amazonaws.com%22%7D%2C%22Action%22%3A%22sts%3AAssumeRole%22%7D%5D%7D";
        assert!(policies_equivalent(a, encoded));
        let c = a.replace("Allow", "Deny");
        assert!(!policies_equivalent(a, &c));
        let acct = r#"{"Statement":[{"Principal":{"AWS":"123456789012"}}]}"#;
        let root = r#"{"Statement":[{"Principal":{"AWS":["arn:aws:iam::123456789012:root"]}}]}"#;
        assert!(policies_equivalent(acct, root));
        let two = r#"{"Action":["s3:GetObject","s3:PutObject"]}"#;
        let two_rev = r#"{"Action":["s3:PutObject","s3:GetObject"]}"#;
        assert!(policies_equivalent(two, two_rev));
    }

    #[test]
    fn decode_keeps_plain_json_and_decodes_percent() {
        assert_eq!(decode_policy(r#"{"a":"100%"}"#), r#"{"a":"100%"}"#);
        assert_eq!(decode_policy("%7B%22a%22%3A1%7D"), r#"{"a":1}"#);
    }
}
