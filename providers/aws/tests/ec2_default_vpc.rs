//! aws_default_vpc against moto (its own test binary, so its own moto: the test deletes the
//! region's default VPC): adopt, settings and tags checked with our own EC2 reads, drift, import,
//! destroy that only forgets, `force_destroy`, and CreateDefaultVpc when the region has none.

mod common;

use aws_sdk_ec2::types::{Filter, Tag, VpcAttributeName};
use common::ec2::*;
use common::*;
use plinth_aws::AwsProvider;
use plinth_sdk::{ImportRequest, Provider, Value};

async fn live_default() -> Option<aws_sdk_ec2::types::Vpc> {
    ec2()
        .await
        .describe_vpcs()
        .filters(Filter::builder().name("is-default").values("true").build())
        .send()
        .await
        .expect("describe vpcs")
        .vpcs()
        .first()
        .cloned()
}

async fn dns_hostnames(id: &str) -> Option<bool> {
    ec2()
        .await
        .describe_vpc_attribute()
        .vpc_id(id)
        .attribute(VpcAttributeName::EnableDnsHostnames)
        .send()
        .await
        .expect("describe attribute")
        .enable_dns_hostnames()
        .and_then(|v| v.value())
}

fn cfg(p: &AwsProvider, force: bool) -> Value {
    config(
        p,
        "aws_default_vpc",
        &[
            ("enable_dns_hostnames", Value::Bool(false)),
            ("force_destroy", Value::Bool(force)),
            ("tags", tags(&[("Name", "default")])),
        ],
    )
}

#[tokio::test]
async fn default_vpc_lifecycle() {
    let p = provider().await;
    let before = live_default().await.expect("moto has a default VPC");
    let id = before.vpc_id().expect("an id").to_string();

    // Adopted, not created.
    let c = cfg(&p, false);
    let state = create(&p, "aws_default_vpc", c.clone()).await;
    assert_eq!(id_of(&state), id);
    assert_eq!(state.get("existing_default_vpc"), &Value::Bool(true));
    assert_eq!(state.get("cidr_block").as_str(), before.cidr_block());
    assert!(
        state
            .get("default_security_group_id")
            .as_str()
            .is_some_and(|g| g.starts_with("sg-"))
    );
    assert!(
        state
            .get("main_route_table_id")
            .as_str()
            .is_some_and(|g| g.starts_with("rtb-"))
    );
    let live = live_default().await.expect("still there");
    assert_eq!(sdk_tags(live.tags()), pairs(&[("Name", "default")]));
    assert_eq!(dns_hostnames(&id).await, Some(false));
    let fresh = read(&p, "aws_default_vpc", &state).await.expect("there");
    let resp = plan(&p, "aws_default_vpc", &fresh, &c).await;
    assert_eq!(plan_changes(&resp, &fresh), Vec::<String>::new());

    // Out-of-band retag: drift, repaired in place.
    ec2()
        .await
        .create_tags()
        .resources(&id)
        .tags(Tag::builder().key("Name").value("other").build())
        .send()
        .await
        .expect("retag");
    let drifted = read(&p, "aws_default_vpc", &state).await.expect("there");
    let resp = plan(&p, "aws_default_vpc", &drifted, &c).await;
    assert_eq!(plan_changes(&resp, &drifted), vec!["tags", "tags_all"]);
    let repaired = update(&p, "aws_default_vpc", &drifted, &c).await;
    assert_eq!(
        sdk_tags(live_default().await.expect("there").tags()),
        pairs(&[("Name", "default")])
    );

    // Import: the default VPC by id; another VPC is refused.
    let imported = import(&p, "aws_default_vpc", &id).await;
    for k in [
        "id",
        "cidr_block",
        "default_security_group_id",
        "main_route_table_id",
        "tags",
    ] {
        assert_eq!(imported.get(k), repaired.get(k), "imported {k}");
    }
    let other = create(
        &p,
        "aws_vpc",
        config(&p, "aws_vpc", &[("cidr_block", s("10.90.0.0/16"))]),
    )
    .await;
    let err = p
        .import(ImportRequest {
            type_name: "aws_default_vpc".into(),
            address: "aws_default_vpc.x".into(),
            id: id_of(&other),
        })
        .await
        .expect_err("not the default VPC");
    assert_eq!(err.code.as_deref(), Some("InvalidImportId"));
    delete(&p, "aws_vpc", &other).await;

    // Destroy without force_destroy forgets: the VPC stays.
    delete(&p, "aws_default_vpc", &repaired).await;
    assert!(live_default().await.is_some(), "the default VPC stays");

    // With force_destroy it goes, with its default subnets.
    let forced = create(&p, "aws_default_vpc", cfg(&p, true)).await;
    delete(&p, "aws_default_vpc", &forced).await;
    assert!(live_default().await.is_none(), "force_destroy deletes it");

    // A region without one gets a new default VPC (CreateDefaultVpc).
    let made = create(&p, "aws_default_vpc", cfg(&p, true)).await;
    assert_eq!(made.get("existing_default_vpc"), &Value::Bool(false));
    assert_eq!(
        live_default().await.and_then(|v| v.vpc_id().map(str::to_string)),
        Some(id_of(&made))
    );
}
