//! SSM Parameter Store: `aws_ssm_parameter` (resource and data source), for configuration and
//! secrets that training jobs and endpoints read at run time.
//!
//! A parameter's `value` is sensitive, so the engine stores only its keyed hash (see
//! docs/secrets.md); `value_wo` is write-only and never stored at all. Shared here: tags in
//! SSM's shape and the batched reads: GetParameters (10 names a call, decrypted) for values and
//! DescribeParameters (50 names a call) for the metadata.

mod parameter;
mod parameter_data;

use std::collections::{BTreeMap, HashMap};

use aws_sdk_ssm::types::{Parameter, ParameterMetadata, ParameterStringFilter, Tag};
use futures::FutureExt as _;
use plinth_sdk::ProviderError;

use crate::error::aws_error;
use crate::{AwsDataSource, AwsResource, Ctx};

pub fn resources() -> Vec<Box<dyn AwsResource>> {
    vec![Box::new(parameter::ParameterResource)]
}

pub fn data_sources() -> Vec<Box<dyn AwsDataSource>> {
    vec![Box::new(parameter_data::ParameterData)]
}

/// Tags in SSM's shape.
pub(crate) fn ssm_tags(tags: &BTreeMap<String, String>) -> Result<Vec<Tag>, ProviderError> {
    tags.iter()
        .map(|(k, v)| {
            Tag::builder()
                .key(k)
                .value(v)
                .build()
                .map_err(|e| ProviderError::new(format!("SSM tag {k:?}: {e}")))
        })
        .collect()
}

/// The parameters named in `names` that exist, by name, with their values (decrypted when
/// `decrypt`): one GetParameters per 10 names.
pub(crate) async fn get_parameters(
    ctx: &Ctx,
    names: &[String],
    decrypt: bool,
) -> Result<HashMap<String, Parameter>, ProviderError> {
    let mut found = HashMap::new();
    for chunk in names.chunks(10) {
        let out = ctx
            .ssm
            .get_parameters()
            .set_names(Some(chunk.to_vec()))
            .with_decryption(decrypt)
            .send()
            .boxed()
            .await
            .map_err(aws_error)?;
        for p in out.parameters() {
            if let Some(n) = p.name() {
                found.insert(n.to_string(), p.clone());
            }
        }
    }
    Ok(found)
}

/// The metadata (description, tier, key, pattern) of the parameters named in `names`, by name:
/// one DescribeParameters (a `Name` `Equals` filter) per 50 names, per page.
pub(crate) async fn describe_parameters(
    ctx: &Ctx,
    names: &[String],
) -> Result<HashMap<String, ParameterMetadata>, ProviderError> {
    let mut found = HashMap::new();
    for chunk in names.chunks(50) {
        let filter = ParameterStringFilter::builder()
            .key("Name")
            .option("Equals")
            .set_values(Some(chunk.to_vec()))
            .build()
            .map_err(|e| ProviderError::new(format!("DescribeParameters filter: {e}")))?;
        let mut next = None;
        loop {
            let page = ctx
                .ssm
                .describe_parameters()
                .parameter_filters(filter.clone())
                .max_results(50)
                .set_next_token(next)
                .send()
                .boxed()
                .await
                .map_err(aws_error)?;
            for p in page.parameters() {
                if let Some(n) = p.name() {
                    found.insert(n.to_string(), p.clone());
                }
            }
            next = page.next_token().map(str::to_string);
            if next.is_none() {
                break;
            }
        }
    }
    Ok(found)
}
