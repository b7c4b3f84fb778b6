//! ECR: container image repositories for training and serving images (`aws_ecr_repository`) and
//! their lifecycle policies (`aws_ecr_lifecycle_policy`).
//!
//! Shared here: tags in ECR's shape and [`describe_repos`], the batched lookup of repositories
//! ([`find_named`]). DescribeRepositories by name fails as a whole when one name is missing, so
//! one repository is described by name, and more are found in the registry's listing (1,000 a
//! page).

mod lifecycle_policy;
mod repository;

use std::collections::{BTreeMap, HashMap};

use aws_sdk_ecr::types::{Repository, Tag};
use futures::FutureExt as _;
use plinth_sdk::ProviderError;

use crate::error::aws_error;
use crate::util::{call_found, find_named};
use crate::{AwsResource, Ctx};

pub fn resources() -> Vec<Box<dyn AwsResource>> {
    vec![
        Box::new(repository::RepositoryResource),
        Box::new(lifecycle_policy::LifecyclePolicy),
    ]
}

/// Tags in ECR's shape.
pub(crate) fn ecr_tags(tags: &BTreeMap<String, String>) -> Result<Vec<Tag>, ProviderError> {
    tags.iter()
        .map(|(k, v)| {
            Tag::builder()
                .key(k)
                .value(v)
                .build()
                .map_err(|e| ProviderError::new(format!("ECR tag {k:?}: {e}")))
        })
        .collect()
}

/// The repositories named in `names` that exist, by name.
pub(crate) async fn describe_repos(ctx: &Ctx, names: &[String]) -> Result<HashMap<String, Repository>, ProviderError> {
    find_named(
        names,
        |r: &Repository| r.repository_name(),
        |name| async move {
            let out = call_found(ctx.ecr.describe_repositories().repository_names(name).send().boxed()).await?;
            Ok(out.and_then(|o| o.repositories().first().cloned()))
        },
        |next| async move {
            let page = ctx
                .ecr
                .describe_repositories()
                .max_results(1000)
                .set_next_token(next)
                .send()
                .boxed()
                .await
                .map_err(aws_error)?;
            Ok((page.repositories().to_vec(), page.next_token().map(str::to_string)))
        },
    )
    .await
}
