//! The `timeouts` block every AWS type takes, against moto: it is validated, kept in state as
//! configured (and only when set), changed alone without an API call, and apply reads the entry
//! of the operation it runs.

mod common;

use common::*;
use plinth_sdk::{ApplyRequest, Provider, ValidateRequest, Value};

fn timeouts(pairs: &[(&str, &str)]) -> Value {
    Value::List(vec![Value::object(pairs.iter().map(|(k, v)| (*k, s(v))))])
}

fn vpc_config(p: &plinth_aws::AwsProvider, cidr: &str, t: Value) -> Value {
    config(p, "aws_vpc", &[("cidr_block", s(cidr)), ("timeouts", t)])
}

#[tokio::test]
async fn a_bad_duration_is_an_error_naming_the_entry() {
    let p = provider().await;
    let cfg = vpc_config(&p, "10.61.0.0/16", timeouts(&[("create", "soon")]));
    let found: Vec<String> = p
        .validate(&ValidateRequest::managed("aws_vpc", cfg))
        .into_iter()
        .map(|d| format!("{} at {:?}", d.summary, d.attribute.map(|a| a.to_string())))
        .collect();
    assert_eq!(
        found,
        vec!["timeouts.create \"soon\" is not a duration at Some(\"timeouts[0].create\")".to_string()]
    );
    let schema = p.schema();
    for (name, s) in &schema.resources {
        assert!(s.blocks.contains_key("timeouts"), "{name} has no timeouts block");
    }
}

#[tokio::test]
async fn the_block_is_kept_as_configured_and_changes_alone_without_a_call() {
    let p = provider().await;
    let cfg = vpc_config(&p, "10.62.0.0/16", timeouts(&[("create", "5m"), ("delete", "2m")]));
    let state = create(&p, "aws_vpc", cfg.clone()).await;
    assert_eq!(state.get("timeouts"), cfg.get("timeouts"));

    // A refresh keeps it, and a re-plan is clean.
    let fresh = read(&p, "aws_vpc", &state).await.expect("the VPC");
    assert_eq!(fresh.get("timeouts"), cfg.get("timeouts"));
    let resp = plan(&p, "aws_vpc", &fresh, &cfg).await;
    assert_eq!(plan_changes(&resp, &fresh), Vec::<String>::new());

    // Only the block changes: an update that calls nothing.
    let longer = vpc_config(&p, "10.62.0.0/16", timeouts(&[("create", "5m"), ("delete", "20m")]));
    let resp = plan(&p, "aws_vpc", &fresh, &longer).await;
    assert_eq!(plan_changes(&resp, &fresh), vec!["timeouts".to_string()]);
    let before = p.call_count();
    let updated = apply_update(&p, "aws_vpc", &fresh, resp.planned, &longer).await;
    assert_eq!(p.call_count(), before, "a timeouts-only update calls AWS");
    assert_eq!(updated.get("timeouts"), longer.get("timeouts"));

    // Without the block, the state holds none (as before the block existed), and a plan of the
    // block's removal is clean once applied.
    let plain = vpc_config(&p, "10.62.0.0/16", Value::List(vec![]));
    let resp = plan(&p, "aws_vpc", &updated, &plain).await;
    let without = apply_update(&p, "aws_vpc", &updated, resp.planned, &plain).await;
    assert!(without.get("timeouts").is_null(), "{:?}", without.get("timeouts"));
    let resp = plan(&p, "aws_vpc", &without, &plain).await;
    assert_eq!(plan_changes(&resp, &without), Vec::<String>::new());
    delete(&p, "aws_vpc", &without).await;
}

/// Apply reads the block of the operation it runs (the limit itself is tested in `util.rs`: moto
/// finishes every wait at once, so no wait here can outlast a limit).
#[tokio::test]
async fn apply_reads_the_entry_of_its_operation() {
    let p = provider().await;
    let cfg = vpc_config(&p, "10.63.0.0/16", timeouts(&[("create", "soon")]));
    let resp = plan(&p, "aws_vpc", None, &cfg).await;
    let before = p.call_count();
    let err = p
        .apply(ApplyRequest {
            type_name: "aws_vpc".into(),
            address: "aws_vpc.test".into(),
            prior: None,
            planned: Some(resp.planned),
            config: cfg,
            ..Default::default()
        })
        .await
        .expect_err("not a duration");
    assert!(err.message.contains("timeouts.create \"soon\""), "{}", err.message);
    assert_eq!(p.call_count(), before, "nothing was created");
}
