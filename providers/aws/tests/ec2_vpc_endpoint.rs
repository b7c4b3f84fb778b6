//! aws_vpc_endpoint against moto: a Gateway (S3) and an Interface (SageMaker API) endpoint are
//! created, checked with our own SDK reads, changed out of band (drift, repaired in place),
//! imported and destroyed.

mod common;

use common::ec2::*;
use common::*;
use plinth_sdk::{Provider, Value};

async fn live(id: &str) -> Option<aws_sdk_ec2::types::VpcEndpoint> {
    ec2()
        .await
        .describe_vpc_endpoints()
        .vpc_endpoint_ids(id)
        .send()
        .await
        .ok()?
        .vpc_endpoints()
        .first()
        .cloned()
        .filter(|e| e.state().map(|s| s.as_str().to_ascii_lowercase()) != Some("deleted".into()))
}

#[tokio::test]
async fn gateway_and_interface_endpoints_lifecycle() {
    let p = provider().await;
    let vpc = make(&p, "aws_vpc", &[("cidr_block", s("10.70.0.0/16"))]).await;
    let vpc_id = id_of(&vpc);
    let rt_a = make(&p, "aws_route_table", &[("vpc_id", s(&vpc_id))]).await;
    let rt_b = make(&p, "aws_route_table", &[("vpc_id", s(&vpc_id))]).await;
    let subnet = make(
        &p,
        "aws_subnet",
        &[("vpc_id", s(&vpc_id)), ("cidr_block", s("10.70.1.0/24"))],
    )
    .await;
    let sg = make(&p, "aws_security_group", &[("vpc_id", s(&vpc_id))]).await;

    // Gateway endpoint for S3 in route table a.
    let gw_cfg = config(
        &p,
        "aws_vpc_endpoint",
        &[
            ("vpc_id", s(&vpc_id)),
            ("service_name", s("com.amazonaws.us-east-1.s3")),
            ("route_table_ids", strs(&[&id_of(&rt_a)])),
            ("tags", tags(&[("Name", "s3")])),
        ],
    );
    let gw = create(&p, "aws_vpc_endpoint", gw_cfg.clone()).await;
    let gw_id = id_of(&gw);
    assert!(gw_id.starts_with("vpce-"), "{gw_id}");
    assert_eq!(gw.get("vpc_endpoint_type"), &s("Gateway"));
    assert_eq!(gw.get("state"), &s("available"));
    let l = live(&gw_id).await.expect("the endpoint exists");
    assert_eq!(l.route_table_ids(), [id_of(&rt_a)]);
    assert_eq!(l.service_name(), Some("com.amazonaws.us-east-1.s3"));
    assert_eq!(sdk_tags(l.tags()), pairs(&[("Name", "s3")]));

    // Interface endpoint for the SageMaker API in the subnet, with the group and private DNS.
    let policy = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":"*","Action":"sagemaker:*","Resource":"*"}]}"#;
    let if_cfg = config(
        &p,
        "aws_vpc_endpoint",
        &[
            ("vpc_id", s(&vpc_id)),
            ("service_name", s("com.amazonaws.us-east-1.sagemaker.api")),
            ("vpc_endpoint_type", s("Interface")),
            ("subnet_ids", strs(&[&id_of(&subnet)])),
            ("security_group_ids", strs(&[&id_of(&sg)])),
            ("private_dns_enabled", Value::Bool(true)),
            ("policy", s(policy)),
        ],
    );
    let itf = create(&p, "aws_vpc_endpoint", if_cfg.clone()).await;
    let if_id = id_of(&itf);
    let l = live(&if_id).await.expect("the endpoint exists");
    assert_eq!(l.vpc_endpoint_type().map(|t| t.as_str()), Some("Interface"));
    assert_eq!(l.subnet_ids(), [id_of(&subnet)]);
    assert_eq!(l.private_dns_enabled(), Some(true));
    assert!(!l.network_interface_ids().is_empty(), "an interface per subnet");
    assert!(l.policy_document().is_some_and(|d| d.contains("sagemaker:*")));
    assert_eq!(itf.get("network_interface_ids").as_list().map(Vec::len), Some(1));

    // Both refresh in one read and plan clean.
    let both = p
        .read(read_request("aws_vpc_endpoint", "e", &[gw.clone(), itf.clone()]))
        .await
        .expect("read");
    let fresh: Vec<Value> = both.states.into_iter().map(|s| s.expect("both exist")).collect();
    for (state, cfg) in fresh.iter().zip([&gw_cfg, &if_cfg]) {
        let resp = plan(&p, "aws_vpc_endpoint", state, cfg).await;
        assert!(resp.requires_replace.is_empty());
        assert!(
            plan_changes(&resp, state).is_empty(),
            "{:?}",
            plan_changes(&resp, state)
        );
    }

    // Out of band: the gateway moves to route table b and is retagged. Refresh sees it; an
    // in-place update moves it back.
    let sdk = ec2().await;
    sdk.modify_vpc_endpoint()
        .vpc_endpoint_id(&gw_id)
        .add_route_table_ids(id_of(&rt_b))
        .remove_route_table_ids(id_of(&rt_a))
        .send()
        .await
        .expect("modify");
    sdk.create_tags()
        .resources(&gw_id)
        .tags(aws_sdk_ec2::types::Tag::builder().key("Name").value("by-hand").build())
        .send()
        .await
        .expect("retag");
    let drifted = read(&p, "aws_vpc_endpoint", &fresh[0]).await.expect("there");
    assert_eq!(drifted.get("route_table_ids"), &strs(&[&id_of(&rt_b)]));
    let resp = plan(&p, "aws_vpc_endpoint", &drifted, &gw_cfg).await;
    assert_eq!(
        plan_changes(&resp, &drifted),
        vec!["route_table_ids", "tags", "tags_all"]
    );
    let repaired = update(&p, "aws_vpc_endpoint", &drifted, &gw_cfg).await;
    let l = live(&gw_id).await.expect("there");
    assert_eq!(l.route_table_ids(), [id_of(&rt_a)]);
    assert_eq!(sdk_tags(l.tags()), pairs(&[("Name", "s3")]));

    // Import.
    let imported = import(&p, "aws_vpc_endpoint", &if_id).await;
    assert_eq!(
        imported.get("service_name"),
        &s("com.amazonaws.us-east-1.sagemaker.api")
    );
    assert_eq!(imported.get("subnet_ids"), &strs(&[&id_of(&subnet)]));

    // Deleted by hand: refresh finds it gone. Destroy of the other: gone too.
    sdk.delete_vpc_endpoints()
        .vpc_endpoint_ids(&if_id)
        .send()
        .await
        .expect("delete");
    assert!(read(&p, "aws_vpc_endpoint", &itf).await.is_none());
    let both = p
        .read(read_request("aws_vpc_endpoint", "e", &[repaired.clone(), itf.clone()]))
        .await
        .expect("a read with one gone endpoint still reads the other");
    assert!(both.states[0].is_some() && both.states[1].is_none());
    delete(&p, "aws_vpc_endpoint", &itf).await;
    delete(&p, "aws_vpc_endpoint", &repaired).await;
    assert!(live(&gw_id).await.is_none());

    delete(&p, "aws_security_group", &sg).await;
    delete(&p, "aws_subnet", &subnet).await;
    delete(&p, "aws_route_table", &rt_a).await;
    delete(&p, "aws_route_table", &rt_b).await;
    delete(&p, "aws_vpc", &vpc).await;
}
