//! Helpers shared by the SageMaker tests (`tests/sagemaker_*.rs`): our own SDK client for
//! independent checks, unique names, an in-place update and a no-change plan as the engine
//! drives them, tag checks. (Plan, import and `s` come from `common`.)
#![allow(dead_code)]

use std::sync::atomic::{AtomicU32, Ordering};

use aws_config::retry::RetryConfig;
use plinth_aws::AwsProvider;
use plinth_sdk::Value;
use plinth_sdk::plan::same;

use crate::common::{self, plan, s};

/// moto accepts any role ARN.
pub const ROLE: &str = "arn:aws:iam::123456789012:role/sm";

/// Our own SageMaker client (not the provider's), one attempt per call: moto answers an
/// operation it lacks with an HTML 500 that must not be retried.
pub async fn sm() -> aws_sdk_sagemaker::Client {
    let conf = common::sdk_config().await;
    aws_sdk_sagemaker::Client::from_conf(
        aws_sdk_sagemaker::config::Builder::from(&conf)
            .retry_config(RetryConfig::standard().with_max_attempts(1))
            .build(),
    )
}

/// A name no other test in this binary uses (tests share one moto).
pub fn unique(prefix: &str) -> String {
    static N: AtomicU32 = AtomicU32::new(0);
    format!("{prefix}-{}", N.fetch_add(1, Ordering::Relaxed))
}

pub fn n(v: f64) -> Value {
    Value::number(v)
}

pub fn obj<const N: usize>(items: [(&str, Value); N]) -> Value {
    Value::object(items)
}

pub fn team_ml() -> Value {
    obj([("team", s("ml"))])
}

/// Plans against `prior` and applies in place (the plan must not replace).
pub async fn update(p: &AwsProvider, type_name: &str, prior: &Value, config: &Value) -> Value {
    let planned = plan(p, type_name, Some(prior), config).await;
    assert!(
        planned.requires_replace.is_empty(),
        "expected an in-place update, got a replacement for {:?}",
        planned.requires_replace
    );
    common::apply_update(p, type_name, prior, planned.planned, config).await
}

/// After a refresh, the plan of the unchanged configuration is a no-op (what `plinth plan` shows
/// as "no changes"): no replacement and a planned value equal to the refreshed state.
pub async fn assert_no_changes(p: &AwsProvider, type_name: &str, refreshed: &Value, config: &Value) {
    let planned = plan(p, type_name, Some(refreshed), config).await;
    assert!(planned.requires_replace.is_empty(), "{:?}", planned.requires_replace);
    assert!(
        same(&planned.planned, refreshed),
        "plan shows changes:\nplanned:   {}\nrefreshed: {}",
        planned.planned,
        refreshed
    );
}

/// Wipes moto (`POST /moto-api/reset`): everything in this binary's emulator disappears, as if
/// deleted by hand. Only for a binary whose tests do not run alongside others.
pub fn moto_reset() {
    use std::io::{Read, Write};
    let addr = common::moto().endpoint.trim_start_matches("http://").to_string();
    let mut conn = std::net::TcpStream::connect(&addr).expect("connect to moto");
    write!(
        conn,
        "POST /moto-api/reset HTTP/1.1\r\nHost: {addr}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
    )
    .expect("send reset");
    let mut answer = String::new();
    conn.read_to_string(&mut answer).expect("read reset answer");
    assert!(answer.starts_with("HTTP/1.1 200"), "moto reset failed: {answer}");
}

/// The tags on `arn`, read with our own client, sorted.
pub async fn live_tags(arn: &str) -> Vec<(String, String)> {
    let resp = sm().await.list_tags().resource_arn(arn).send().await.expect("ListTags");
    let mut tags: Vec<(String, String)> = resp
        .tags()
        .iter()
        .map(|t| {
            (
                t.key().unwrap_or_default().to_string(),
                t.value().unwrap_or_default().to_string(),
            )
        })
        .collect();
    tags.sort();
    tags
}

pub fn tags(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
    pairs.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect()
}

/// Someone retags the object by hand: removes `team`, adds `rogue=1`. (A removal and an
/// addition, not a value change: moto's AddTags appends a second tag with the same key instead
/// of replacing it, which would make the independent check ambiguous.)
pub async fn retag_by_hand(arn: &str) {
    let c = sm().await;
    c.delete_tags()
        .resource_arn(arn)
        .tag_keys("team")
        .send()
        .await
        .expect("DeleteTags");
    c.add_tags()
        .resource_arn(arn)
        .tags(aws_sdk_sagemaker::types::Tag::builder().key("rogue").value("1").build())
        .send()
        .await
        .expect("AddTags");
}

/// The full sequence for a tagged type: refresh sees the hand-made retag, the plan repairs it in
/// place, the repair reaches AWS. Returns the repaired state.
pub async fn retag_is_seen_and_repaired(p: &AwsProvider, type_name: &str, state: &Value, config: &Value) -> Value {
    let arn = state.get("arn").as_str().expect("an arn").to_string();
    retag_by_hand(&arn).await;
    let live = common::read(p, type_name, state).await.expect("still there");
    assert_eq!(live.get("tags"), &obj([("rogue", s("1"))]), "refresh sees the retag");
    let repaired = update(p, type_name, &live, config).await;
    assert_eq!(repaired.get("tags"), &team_ml());
    assert_eq!(live_tags(&arn).await, tags(&[("team", "ml")]), "the repair reached AWS");
    repaired
}
