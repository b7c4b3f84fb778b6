//! Elastic Load Balancing (Classic): `aws_elb`, the first-generation load balancer.
//!
//! Shared here: tags in the Classic API's shape.

use std::collections::BTreeMap;

use aws_sdk_elasticloadbalancing::types::Tag;
use plinth_sdk::ProviderError;

use crate::AwsResource;

pub fn resources() -> Vec<Box<dyn AwsResource>> {
    vec![]
}

/// Tags in the Classic Load Balancing API's shape.
pub(crate) fn elb_tags(tags: &BTreeMap<String, String>) -> Result<Vec<Tag>, ProviderError> {
    tags.iter()
        .map(|(k, v)| {
            Tag::builder()
                .key(k)
                .value(v)
                .build()
                .map_err(|e| ProviderError::new(format!("ELB tag {k:?}: {e}")))
        })
        .collect()
}
