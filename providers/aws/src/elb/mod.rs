//! Elastic Load Balancing (Classic): `aws_elb`, the first-generation load balancer.
//!
//! Shared here: tags in the Classic API's shape (the load balancer is in `load_balancer.rs`).

mod load_balancer;

use std::collections::BTreeMap;

use aws_sdk_elasticloadbalancing::types::Tag;
use plinth_sdk::ProviderError;

use crate::AwsResource;

pub fn resources() -> Vec<Box<dyn AwsResource>> {
    vec![Box::new(load_balancer::ClassicLoadBalancer)]
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
