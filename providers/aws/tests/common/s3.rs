//! Helpers of the S3 tests: a bucket made by boto3, and the two checks every bucket setting type
//! passes (a clean re-plan, a read that gives back what was applied).

use plinth_aws::AwsProvider;
use plinth_sdk::Value;

use super::boto::boto3;
use super::{plan, plan_changes, read};

pub fn obj<const N: usize>(items: [(&str, Value); N]) -> Value {
    Value::object(items)
}

/// A fresh bucket made by boto3.
pub fn make_bucket(name: &str) {
    boto3(&format!("s3.create_bucket(Bucket='{name}')"));
}

/// Plans `config` against `state` as it is (no refresh, unlike [`super::assert_clean`]): no
/// change, no replacement.
pub async fn assert_plans_nothing(p: &AwsProvider, t: &str, state: &Value, config: &Value) {
    let pl = plan(p, t, state, config).await;
    assert!(pl.requires_replace.is_empty(), "{t}: {:?}", pl.requires_replace);
    assert_eq!(
        plan_changes(&pl, state),
        Vec::<String>::new(),
        "{t}: planned {:?}\nstate {state:?}",
        pl.planned
    );
}

/// Reads `state`, expects it unchanged.
pub async fn assert_reads_back(p: &AwsProvider, t: &str, state: &Value) {
    assert_eq!(
        read(p, t, state).await.as_ref(),
        Some(state),
        "{t} reads back as applied"
    );
}
