//! `aws_s3_bucket_acl`: a canned ACL on a bucket (GetBucketAcl / PutBucketAcl). S3 returns
//! grants, not the canned name, so refresh names the canned ACL the grants amount to (drift is a
//! grant added or removed by hand); grants no canned ACL produces read as no `acl`, which plans
//! putting the configured one back. Destroy only forgets the ACL, as Terraform does: a bucket
//! always has one. `access_control_policy` (explicit grants) is not supported yet.

use std::sync::LazyLock;

use async_trait::async_trait;
use aws_sdk_s3::types::{BucketCannedAcl, Grant, Permission, Type as GranteeType};
use futures::FutureExt as _;
use plinth_sdk::{Attribute, ProviderDiagnostic, ProviderError, Schema, Type, Value};

use super::{BucketConfig, BucketRef, done, got, invalid, sub_schema};
use crate::Ctx;
use crate::util::{opt_str, string};

pub struct BucketAcl;

const CANNED: &[&str] = &[
    "private",
    "public-read",
    "public-read-write",
    "aws-exec-read",
    "authenticated-read",
    "bucket-owner-read",
    "bucket-owner-full-control",
    "log-delivery-write",
];

const ALL_USERS: &str = "http://acs.amazonaws.com/groups/global/AllUsers";
const AUTHENTICATED_USERS: &str = "http://acs.amazonaws.com/groups/global/AuthenticatedUsers";
const LOG_DELIVERY: &str = "http://acs.amazonaws.com/groups/s3/LogDelivery";

static SCHEMA: LazyLock<Schema> = LazyLock::new(|| {
    sub_schema(
        Schema::new(
            "A canned ACL on a bucket. Needs object ownership other than BucketOwnerEnforced \
             (aws_s3_bucket_ownership_controls). Destroy only forgets it. Import with `BUCKET`, \
             `BUCKET,EXPECTED_BUCKET_OWNER`, `BUCKET,ACL` or `BUCKET,EXPECTED_BUCKET_OWNER,ACL`.",
        )
        .attr(
            "acl",
            Attribute::optional(Type::String).describe(&format!(
                "The canned ACL: {}. Refresh names the canned ACL the bucket's grants amount to.",
                CANNED.join(", ")
            )),
        )
        .unsupported_block(
            "access_control_policy",
            "explicit grants are not supported by Plinth yet: use a canned acl, or better a bucket policy \
             (aws_s3_bucket_policy) with object ownership BucketOwnerEnforced",
        ),
        true,
    )
});

/// The canned ACL that produces `grants` besides the owner's FULL_CONTROL, if one does.
fn canned_of(grants: &[Grant], owner: Option<&str>) -> Option<&'static str> {
    let mut extra: Vec<(String, &str)> = grants
        .iter()
        .filter(|g| {
            let grantee = g.grantee();
            let is_owner = grantee.is_some_and(|e| e.r#type() == &GranteeType::CanonicalUser && e.id() == owner);
            !(is_owner && g.permission() == Some(&Permission::FullControl))
        })
        .map(|g| {
            let who = g
                .grantee()
                .map(|e| e.uri().or(e.id()).unwrap_or_default().to_string())
                .unwrap_or_default();
            (who, g.permission().map(|p| p.as_str()).unwrap_or_default())
        })
        .collect();
    extra.sort();
    let extra: Vec<(&str, &str)> = extra.iter().map(|(w, p)| (w.as_str(), *p)).collect();
    match extra.as_slice() {
        [] => Some("private"),
        [(ALL_USERS, "READ")] => Some("public-read"),
        [(ALL_USERS, "READ"), (ALL_USERS, "WRITE")] => Some("public-read-write"),
        [(AUTHENTICATED_USERS, "READ")] => Some("authenticated-read"),
        [(LOG_DELIVERY, "READ_ACP"), (LOG_DELIVERY, "WRITE")] => Some("log-delivery-write"),
        _ => None,
    }
}

/// Splits Terraform's ACL import id: the last part is the ACL when it is a canned ACL's name.
fn split_acl(id: &str) -> (&str, Option<&str>) {
    match id.rsplit_once(',') {
        Some((rest, last)) if CANNED.contains(&last) => (rest, Some(last)),
        _ => (id, None),
    }
}

#[async_trait]
impl BucketConfig for BucketAcl {
    const TYPE_NAME: &'static str = "aws_s3_bucket_acl";

    fn schema() -> &'static Schema {
        &SCHEMA
    }

    fn validate(config: &Value) -> Vec<ProviderDiagnostic> {
        match config.get("acl") {
            Value::Null => vec![invalid(
                "acl",
                "Missing acl",
                "set acl to a canned ACL (access_control_policy is not supported by Plinth yet)",
            )],
            Value::String(a) if !CANNED.contains(&a.as_str()) => vec![invalid(
                "acl",
                "Invalid acl",
                format!("{a:?}: expected one of {}", CANNED.join(", ")),
            )],
            _ => Vec::new(),
        }
    }

    fn state_id(b: &BucketRef, attrs: &[(&'static str, Value)]) -> String {
        match attrs.iter().find(|(k, _)| *k == "acl").and_then(|(_, v)| v.as_str()) {
            Some(acl) => format!("{},{acl}", b.id()),
            None => b.id(),
        }
    }

    fn parse_import(id: &str) -> Result<(BucketRef, Value), ProviderError> {
        let (rest, acl) = split_acl(id);
        let b = BucketRef::parse(rest)?;
        let prior = acl.map(|a| Value::object([("acl", string(a))])).unwrap_or(Value::Null);
        Ok((b, prior))
    }

    async fn get(ctx: &Ctx, b: &BucketRef, prior: &Value) -> Result<Option<Vec<(&'static str, Value)>>, ProviderError> {
        let Some(out) = got(ctx
            .s3
            .get_bucket_acl()
            .bucket(&b.bucket)
            .set_expected_bucket_owner(b.owner.clone())
            .send()
            .boxed()
            .await)?
        else {
            return Ok(None);
        };
        let owner = out.owner().and_then(|o| o.id());
        let live = canned_of(out.grants(), owner);
        let had = opt_str(prior, "acl");
        // Several canned ACLs grant nothing beyond the owner on a bucket (bucket-owner-read,
        // bucket-owner-full-control, and private itself): the configured one stands for them.
        let acl = match (live, had.as_deref()) {
            (Some("private"), Some(h))
                if !matches!(
                    h,
                    "public-read" | "public-read-write" | "authenticated-read" | "log-delivery-write"
                ) =>
            {
                Some(h.to_string())
            }
            (Some(l), _) => Some(l.to_string()),
            (None, _) => None,
        };
        Ok(Some(vec![("acl", acl.map(Value::String).unwrap_or(Value::Null))]))
    }

    async fn put(ctx: &Ctx, b: &BucketRef, planned: &Value) -> Result<(), ProviderError> {
        let acl = opt_str(planned, "acl").unwrap_or_else(|| "private".into());
        done(
            ctx.s3
                .put_bucket_acl()
                .bucket(&b.bucket)
                .set_expected_bucket_owner(b.owner.clone())
                .acl(BucketCannedAcl::from(acl.as_str()))
                .send()
                .boxed()
                .await,
            false,
        )
    }

    async fn remove(_ctx: &Ctx, b: &BucketRef, _prior: &Value) -> Result<(), ProviderError> {
        tracing::info!(bucket = %b.bucket, "aws_s3_bucket_acl: destroy leaves the bucket's ACL in place (as Terraform)");
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn import_ids_split_the_acl_off() {
        assert_eq!(split_acl("b,private"), ("b", Some("private")));
        assert_eq!(
            split_acl("b,123456789012,public-read"),
            ("b,123456789012", Some("public-read"))
        );
        assert_eq!(split_acl("b,123456789012"), ("b,123456789012", None));
        assert_eq!(split_acl("b"), ("b", None));
    }
}
