//! Helpers shared by the EC2 tests (`tests/ec2_*.rs`, `tests/vpc.rs`): our own EC2 client for
//! independent checks (filters, out-of-band tags), tags as values and as live pairs, a VPC and a
//! subnet made through the provider, and an in-place update as the engine drives it.

use aws_sdk_ec2::types::{Filter, Tag};
use plinth_aws::AwsProvider;
use plinth_sdk::Value;

use super::{apply_update, config, create, plan, s, sdk_config};

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

/// A describe filter with one value.
pub fn filter(name: &str, value: &str) -> Filter {
    Filter::builder().name(name).values(value).build()
}

/// Sets the tag `key` on `id` out of band (through our own client).
pub async fn retag(id: &str, key: &str, value: &str) {
    ec2()
        .await
        .create_tags()
        .resources(id)
        .tags(Tag::builder().key(key).value(value).build())
        .send()
        .await
        .expect("retag");
}

/// A VPC made through the provider.
pub async fn new_vpc(p: &AwsProvider, cidr: &str) -> Value {
    create(p, "aws_vpc", config(p, "aws_vpc", &[("cidr_block", s(cidr))])).await
}

/// A subnet of `vpc` made through the provider.
pub async fn new_subnet(p: &AwsProvider, vpc: &str, cidr: &str) -> Value {
    let cfg = config(p, "aws_subnet", &[("vpc_id", s(vpc)), ("cidr_block", s(cidr))]);
    create(p, "aws_subnet", cfg).await
}
