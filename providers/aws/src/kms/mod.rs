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
use futures::FutureExt as _;
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
    match ctx.kms.describe_key().key_id(key_id).send().boxed().await {
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
        .boxed()
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
        .boxed()
        .await
        .map_err(aws_error)?;
    Ok(())
}

/// Every tag of the key (ListResourceTags, paged), bookkeeping tags included.
pub(crate) async fn key_tags(ctx: &Ctx, key_id: &str) -> Result<Vec<(String, String)>, ProviderError> {
    let mut tags = Vec::new();
    let mut marker = None;
    loop {
        let out = ctx
            .kms
            .list_resource_tags()
            .key_id(key_id)
            .set_marker(marker)
            .send()
            .boxed()
            .await
            .map_err(aws_error)?;
        tags.extend(
            out.tags()
                .iter()
                .map(|t| (t.tag_key().to_string(), t.tag_value().to_string())),
        );
        marker = out.next_marker().filter(|_| out.truncated()).map(str::to_string);
        if marker.is_none() {
            return Ok(tags);
        }
    }
}

/// The tags of the key `key_id` (an id, an ARN or an alias), for the adoption of an object that
/// belongs to it (an alias): `None` when the key is gone or its tags cannot be read.
pub(crate) async fn parent_key_tags(ctx: &Ctx, key_id: &str) -> Result<Option<Vec<(String, String)>>, ProviderError> {
    let Some(meta) = describe_live(ctx, key_id).await? else {
        return Ok(None);
    };
    match key_tags(ctx, meta.key_id()).await {
        Ok(tags) => Ok(Some(tags)),
        Err(e)
            if matches!(
                e.kind,
                plinth_sdk::ErrorKind::NotFound | plinth_sdk::ErrorKind::Forbidden
            ) =>
        {
            Ok(None)
        }
        Err(e) => Err(e),
    }
}
