//! KMS: customer managed keys (`aws_kms_key`), their aliases (`aws_kms_alias`) and a key's
//! policy managed on its own (`aws_kms_key_policy`).
//!
//! Shared here: tags in KMS's shape (`TagKey`/`TagValue`), and [`describe_live`], the one read of
//! a key that treats a key pending deletion as gone, as Terraform does (ScheduleKeyDeletion is
//! how a key is destroyed: it stays in KMS, unusable, until its window ends). Key policies are
//! compared by meaning with the IAM module's normalisation (`iam::policies_equivalent`).

mod alias;
mod key;
mod key_policy;

use std::collections::BTreeMap;

use aws_sdk_kms::types::{KeyMetadata, KeyState, Tag};
use plinth_sdk::ProviderError;

use crate::error::{aws_error, is_not_found};
use crate::{AwsResource, Ctx};

pub fn resources() -> Vec<Box<dyn AwsResource>> {
    vec![
        Box::new(key::Key),
        Box::new(alias::Alias),
        Box::new(key_policy::KeyPolicy),
    ]
}

/// Tags in KMS's shape.
pub(crate) fn kms_tags(tags: &BTreeMap<String, String>) -> Result<Vec<Tag>, ProviderError> {
    tags.iter()
        .map(|(k, v)| {
            Tag::builder()
                .tag_key(k)
                .tag_value(v)
                .build()
                .map_err(|e| ProviderError::new(format!("KMS tag {k:?}: {e}")))
        })
        .collect()
}

/// A key's metadata (DescribeKey); `None` when it does not exist or is pending deletion.
pub(crate) async fn describe_live(ctx: &Ctx, key_id: &str) -> Result<Option<KeyMetadata>, ProviderError> {
    match ctx.kms.describe_key().key_id(key_id).send().await {
        Ok(out) => Ok(out.key_metadata().cloned().filter(|m| {
            !matches!(
                m.key_state(),
                Some(KeyState::PendingDeletion | KeyState::PendingReplicaDeletion)
            )
        })),
        Err(e) if is_not_found(&e) => Ok(None),
        Err(e) => Err(aws_error(e)),
    }
}

/// The key's `default` policy document (the only policy name KMS has).
pub(crate) async fn key_policy_text(ctx: &Ctx, key_id: &str) -> Result<Option<String>, ProviderError> {
    let out = ctx
        .kms
        .get_key_policy()
        .key_id(key_id)
        .policy_name("default")
        .send()
        .await
        .map_err(aws_error)?;
    Ok(out.policy().map(str::to_string))
}

/// Sets the key's policy (PutKeyPolicy).
pub(crate) async fn put_key_policy(ctx: &Ctx, key_id: &str, policy: &str, bypass: bool) -> Result<(), ProviderError> {
    ctx.kms
        .put_key_policy()
        .key_id(key_id)
        .policy_name("default")
        .policy(policy)
        .bypass_policy_lockout_safety_check(bypass)
        .send()
        .await
        .map_err(aws_error)?;
    Ok(())
}
