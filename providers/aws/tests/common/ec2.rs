//! Helpers shared by the EC2 tests (`tests/ec2_instance.rs`, `tests/ec2_network.rs`,
//! `tests/vpc.rs`): our own EC2 client for independent checks, tags as values and as live pairs,
//! and an in-place update as the engine drives it.

use aws_sdk_ec2::types::Tag;
use plinth_aws::AwsProvider;
use plinth_sdk::Value;

use super::{apply_update, plan, sdk_config};

/// Our own EC2 client (not the provider's).
pub async fn ec2() -> aws_sdk_ec2::Client {
    aws_sdk_ec2::Client::new(&sdk_config().await)
}

/// A `tags` value.
pub fn tags(pairs: &[(&str, &str)]) -> Value {
    Value::object(pairs.iter().map(|(k, v)| (k.to_string(), Value::string(*v))))
}

/// Tags as sorted key/value pairs.
pub fn sdk_tags(t: &[Tag]) -> Vec<(String, String)> {
    let mut out: Vec<(String, String)> = t
        .iter()
        .map(|t| {
            (
                t.key().unwrap_or_default().to_string(),
                t.value().unwrap_or_default().to_string(),
            )
        })
        .collect();
    out.sort();
    out
}

/// Plans and applies an in-place update; fails if the plan wants a replacement.
pub async fn update(p: &AwsProvider, type_name: &str, prior: &Value, config: &Value) -> Value {
    let planned = plan(p, type_name, prior, config).await;
    assert!(
        planned.requires_replace.is_empty(),
        "{type_name}: expected an in-place update, plan wants to replace for {:?}",
        planned.requires_replace
    );
    apply_update(p, type_name, prior, planned.planned, config).await
}
