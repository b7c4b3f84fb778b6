//! aws_vpc against moto: create, refresh after an out-of-band change, batched refresh cost,
//! import, delete — checked with our own SDK reads.

mod common;

use aws_sdk_ec2::types::{Filter, Tag};
use common::ec2::*;
use common::*;
use plinth_sdk::{PlanRequest, Provider, ReadInstance, ReadRequest, Value};

async fn live_tags(id: &str) -> Vec<(String, String)> {
    let resp = ec2()
        .await
        .describe_vpcs()
        .filters(Filter::builder().name("vpc-id").values(id).build())
        .send()
        .await
        .expect("describe");
    sdk_tags(resp.vpcs()[0].tags())
}

#[tokio::test]
async fn vpc_lifecycle_and_retag_repair() {
    let p = provider().await;
    let tags = Value::object([("team", Value::string("ml"))]);
    let cfg = config(
        &p,
        "aws_vpc",
        &[("cidr_block", Value::string("10.10.0.0/16")), ("tags", tags.clone())],
    );
    let state = create(&p, "aws_vpc", cfg.clone()).await;
    let id = state.get("id").as_str().expect("an id").to_string();
    assert!(id.starts_with("vpc-"));
    assert_eq!(live_tags(&id).await, vec![("team".to_string(), "ml".to_string())]);

    // Someone retags it by hand: refresh sees it and the plan repairs it in place.
    ec2()
        .await
        .create_tags()
        .resources(&id)
        .tags(Tag::builder().key("team").value("web").build())
        .send()
        .await
        .expect("retag");
    let live = read(&p, "aws_vpc", &state).await.expect("still there");
    assert_eq!(live.get("tags").get("team"), &Value::string("web"));
    let plan = p
        .plan(PlanRequest {
            type_name: "aws_vpc".into(),
            address: "aws_vpc.test".into(),
            prior: Some(live.clone()),
            config: cfg.clone(),
        })
        .await
        .expect("plan");
    assert!(plan.requires_replace.is_empty(), "a tag change is an in-place update");
    let repaired = p
        .apply(plinth_sdk::ApplyRequest {
            type_name: "aws_vpc".into(),
            address: "aws_vpc.test".into(),
            prior: Some(live),
            planned: Some(plan.planned),
            config: cfg,
            ..Default::default()
        })
        .await
        .expect("update")
        .new_state
        .expect("state");
    assert_eq!(repaired.get("tags").get("team"), &Value::string("ml"));
    assert_eq!(live_tags(&id).await, vec![("team".to_string(), "ml".to_string())]);

    // Import finds it by id.
    let imported = p
        .import(plinth_sdk::ImportRequest {
            type_name: "aws_vpc".into(),
            address: "aws_vpc.i".into(),
            id: id.clone(),
        })
        .await
        .expect("import");
    assert_eq!(imported.get("cidr_block"), &Value::string("10.10.0.0/16"));

    // Deleted: refresh reports it gone.
    delete(&p, "aws_vpc", &repaired).await;
    assert!(read(&p, "aws_vpc", &repaired).await.is_none());
    let left = ec2()
        .await
        .describe_vpcs()
        .filters(Filter::builder().name("vpc-id").values(&id).build())
        .send()
        .await
        .expect("describe");
    assert!(left.vpcs().is_empty(), "destroy leaves nothing");
}

#[tokio::test]
async fn refresh_of_many_vpcs_is_one_call() {
    let p = provider().await;
    let mut states = Vec::new();
    for i in 0..5 {
        let cfg = config(
            &p,
            "aws_vpc",
            &[("cidr_block", Value::string(format!("10.{}.0.0/16", 100 + i)))],
        );
        states.push(create(&p, "aws_vpc", cfg).await);
    }
    let before = p.call_count();
    let resp = p
        .read(ReadRequest {
            type_name: "aws_vpc".into(),
            instances: states
                .iter()
                .enumerate()
                .map(|(i, s)| ReadInstance {
                    address: format!("aws_vpc.v[{i}]"),
                    state: s.clone(),
                })
                .collect(),
        })
        .await
        .expect("read");
    assert_eq!(p.call_count() - before, 1, "five VPCs refresh in one DescribeVpcs");
    assert!(resp.states.iter().all(Option::is_some));
    for s in &states {
        delete(&p, "aws_vpc", s).await;
    }
}
