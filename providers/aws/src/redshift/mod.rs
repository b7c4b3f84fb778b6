//! Redshift: the networking objects warehouses are placed with (`aws_redshift_subnet_group`).
//! Clusters themselves are not managed yet.
//!
//! Shared here: tags in Redshift's shape, and the ARN of a Redshift object, which Redshift's
//! describe calls do not return (it is built from the account, as Terraform builds it).

mod subnet_group;

use std::collections::BTreeMap;

use aws_sdk_redshift::types::Tag;
use plinth_sdk::ProviderError;

use crate::{AwsResource, Ctx};

pub fn resources() -> Vec<Box<dyn AwsResource>> {
    vec![Box::new(subnet_group::RedshiftSubnetGroup)]
}

/// Tags in Redshift's shape.
pub(crate) fn redshift_tags(tags: &BTreeMap<String, String>) -> Vec<Tag> {
    tags.iter()
        .map(|(k, v)| Tag::builder().key(k).value(v).build())
        .collect()
}

/// The ARN of the Redshift object `kind:name` (`subnetgroup:NAME`) in the caller's account
/// ([`Ctx::account_id`]).
pub(crate) async fn arn(ctx: &Ctx, kind: &str, name: &str) -> Result<String, ProviderError> {
    let account = ctx.account_id().await?;
    Ok(format!("arn:aws:redshift:{}:{account}:{kind}:{name}", ctx.region))
}
