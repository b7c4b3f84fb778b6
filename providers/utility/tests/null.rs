//! `null_resource` through the provider interface: an id at create, kept on refresh and re-plan,
//! a new one when `triggers` change; no import (as in Terraform).

mod common;

use common::*;

#[tokio::test]
async fn triggers_replace_and_the_id_stays_otherwise() {
    let p = plinth_utility::null_provider();
    let cfg = config(&*p, "null_resource", vec![("triggers", strings(&[("sha", "1")]))]);
    assert!(
        plan(&*p, "null_resource", None, &cfg)
            .await
            .planned
            .get("id")
            .is_unknown()
    );
    let s = create(&*p, "null_resource", &cfg).await;
    let id = text(&s, "id");
    assert!(id.parse::<u64>().is_ok(), "{id}");
    assert_stable(&*p, "null_resource", &s, &cfg).await;
    let changed = config(&*p, "null_resource", vec![("triggers", strings(&[("sha", "2")]))]);
    assert_eq!(replaced_by(&*p, "null_resource", &s, &changed).await, ["triggers"]);
    let other = create(&*p, "null_resource", &changed).await;
    assert_ne!(text(&other, "id"), id);
    assert!(
        apply(&*p, "null_resource", Some(&s), None, &plinth_sdk::Value::Null)
            .await
            .is_none()
    );
    let err = p
        .import(plinth_sdk::ImportRequest {
            type_name: "null_resource".into(),
            address: "null_resource.x".into(),
            id: "1".into(),
        })
        .await
        .expect_err("no import");
    assert!(err.message.contains("cannot be imported"), "{}", err.message);
}
