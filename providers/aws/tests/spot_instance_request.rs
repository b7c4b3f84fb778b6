//! aws_spot_instance_request against moto: create with wait_for_fulfillment (the request
//! fulfilled with a running instance), an out-of-band retag of the request seen as drift and
//! repaired in place, force-new arguments, import by request id, batched refresh, a request
//! cancelled by hand read as gone, and destroy (request cancelled, instance terminated) — every
//! result checked with boto3 or our own SDK client.

mod common;

use common::boto::boto3;
use common::ec2::*;
use common::*;
use plinth_aws::AwsProvider;
use plinth_sdk::{AttrPath, Provider, Value};

const TYPE: &str = "aws_spot_instance_request";
const AMI: &str = "ami-03cf127a";

fn with(cfg: &Value, key: &str, v: Value) -> Value {
    let mut m = cfg.as_map().expect("an object").clone();
    m.insert(key.to_string(), v);
    Value::Map(m)
}

/// boto3's view of the request `id`: `STATE STATUS INSTANCE PRICE TYPE` and its tags as JSON, or
/// `gone` when it is not listed or is cancelled or closed.
fn live_request(id: &str) -> String {
    boto3(&format!(
        "r = ec2.describe_spot_instance_requests(Filters=[{{'Name': 'spot-instance-request-id', 'Values': ['{id}']}}])\
         ['SpotInstanceRequests']\n\
         r = [x for x in r if x['State'] not in ('cancelled', 'closed')]\n\
         print('gone' if not r else ' '.join([r[0]['State'], r[0]['Status']['Code'], r[0].get('InstanceId', '-'), \
         r[0]['SpotPrice'], r[0]['Type'], json.dumps(sorted((t['Key'], t['Value']) for t in r[0].get('Tags', [])))]))"
    ))
}

/// boto3's view of the instance `id`: `STATE TYPE SUBNET` and its tags as JSON.
fn live_instance(id: &str) -> String {
    boto3(&format!(
        "i = ec2.describe_instances(Filters=[{{'Name': 'instance-id', 'Values': ['{id}']}}])['Reservations']\n\
         i = i[0]['Instances'][0] if i else None\n\
         print('gone' if i is None else ' '.join([i['State']['Name'], i['InstanceType'], i.get('SubnetId', '-'), \
         json.dumps(sorted((t['Key'], t['Value']) for t in i.get('Tags', []) if not t['Key'].startswith('aws:')))]))"
    ))
}

async fn network(p: &AwsProvider, octet: u8) -> (Value, Value) {
    let vpc = new_vpc(p, &format!("10.{octet}.0.0/16")).await;
    let subnet = new_subnet(p, &id_of(&vpc), &format!("10.{octet}.0.0/20")).await;
    (vpc, subnet)
}

#[tokio::test]
async fn spot_request_lifecycle() {
    let p = provider().await;
    let (vpc, subnet) = network(&p, 60).await;
    let subnet_id = id_of(&subnet);
    let cfg = config(
        &p,
        TYPE,
        &[
            ("ami", s(AMI)),
            ("instance_type", s("g5.xlarge")),
            ("subnet_id", s(&subnet_id)),
            ("spot_price", s("0.5")),
            ("wait_for_fulfillment", Value::Bool(true)),
            ("user_data", s("#!/bin/sh\nnvidia-smi\n")),
            ("tags", tags(&[("Name", "cheap-trainer"), ("team", "ml")])),
        ],
    );
    assert!(validate(&p, TYPE, &cfg).is_empty(), "{:?}", validate(&p, TYPE, &cfg));
    let state = create(&p, TYPE, cfg.clone()).await;
    let id = id_of(&state);
    assert!(id.starts_with("sir-"), "{id}");
    assert_eq!(state.get("spot_request_state"), &s("active"));
    assert_eq!(state.get("spot_bid_status"), &s("fulfilled"));
    assert_eq!(state.get("spot_type"), &s("persistent"), "Terraform's default type");
    assert_eq!(state.get("instance_interruption_behavior"), &s("terminate"));
    assert_eq!(state.get("spot_price"), &s("0.5"), "the configured spelling is kept");
    assert_eq!(state.get("instance_state"), &s("running"));
    assert_eq!(state.get("subnet_id"), &s(&subnet_id));
    let instance = state.get("spot_instance_id").as_str().expect("fulfilled").to_string();
    assert!(instance.starts_with("i-"), "{instance}");
    assert!(state.get("private_ip").as_str().is_some(), "{state}");

    // Our own read: the request is active and fulfilled by a running instance; the tags are the
    // request's, not the instance's.
    let tags_json = r#"[["Name", "cheap-trainer"], ["team", "ml"]]"#;
    assert_eq!(
        live_request(&id),
        format!("active fulfilled {instance} 0.500000 persistent {tags_json}")
    );
    assert_eq!(live_instance(&instance), format!("running g5.xlarge {subnet_id} []"));

    // Unchanged: nothing to plan; the price written otherwise is the same price.
    let fresh = assert_clean(&p, TYPE, &state, &cfg).await;
    let resp = plan(&p, TYPE, &fresh, &with(&cfg, "spot_price", s("0.500"))).await;
    assert!(resp.requires_replace.is_empty(), "{:?}", resp.requires_replace);
    assert!(
        plan_changes(&resp, &fresh).is_empty(),
        "{:?}",
        plan_changes(&resp, &fresh)
    );

    // Out of band: the request retagged. Refresh sees it; the plan repairs it in place.
    retag(&id, "team", "web").await;
    let drifted = read(&p, TYPE, &state).await.expect("exists");
    assert_eq!(drifted.get("tags").get("team"), &s("web"));
    let resp = plan(&p, TYPE, &drifted, &cfg).await;
    assert!(resp.requires_replace.is_empty());
    assert_eq!(plan_changes(&resp, &drifted), vec!["tags", "tags_all"]);
    let repaired = update(&p, TYPE, &drifted, &cfg).await;
    assert_eq!(id_of(&repaired), id, "tags change in place");
    assert!(live_request(&id).ends_with(tags_json), "{}", live_request(&id));

    // Every other argument replaces the request, those aws_instance changes in place included.
    let resp = plan(&p, TYPE, &repaired, &with(&cfg, "spot_price", s("0.6"))).await;
    assert_eq!(resp.requires_replace, vec![AttrPath::attr("spot_price")]);
    let resp = plan(&p, TYPE, &repaired, &with(&cfg, "monitoring", Value::Bool(true))).await;
    assert_eq!(resp.requires_replace, vec![AttrPath::attr("monitoring")]);
    // wait_for_fulfillment is kept as configured and changes nothing in AWS.
    let resp = plan(
        &p,
        TYPE,
        &repaired,
        &with(&cfg, "wait_for_fulfillment", Value::Bool(false)),
    )
    .await;
    assert!(resp.requires_replace.is_empty());

    // Import by request id: the same request and instance; planned against the configuration,
    // nothing is replaced (AWS's 0.500000 is the configured 0.5).
    let imported = import(&p, TYPE, &id).await;
    for k in [
        "id",
        "ami",
        "instance_type",
        "subnet_id",
        "spot_instance_id",
        "spot_type",
        "tags",
        "private_ip",
        "user_data",
    ] {
        assert_eq!(imported.get(k), repaired.get(k), "imported {k}");
    }
    assert_eq!(imported.get("spot_price"), &s("0.500000"), "AWS's spelling");
    let resp = plan(&p, TYPE, &imported, &cfg).await;
    assert!(
        resp.requires_replace.is_empty(),
        "an imported request matching its configuration is not replaced: {:?}",
        resp.requires_replace
    );

    // Destroy: the request cancelled, its instance terminated.
    delete(&p, TYPE, &repaired).await;
    assert_eq!(live_request(&id), "gone");
    assert!(
        live_instance(&instance).starts_with("terminated "),
        "{}",
        live_instance(&instance)
    );
    assert!(read(&p, TYPE, &repaired).await.is_none(), "a cancelled request is gone");

    delete(&p, "aws_subnet", &subnet).await;
    delete(&p, "aws_vpc", &vpc).await;
}

#[tokio::test]
async fn requests_refresh_in_one_batch_and_a_cancelled_one_is_gone() {
    const N: usize = 4;
    let p = provider().await;
    let (vpc, subnet) = network(&p, 61).await;
    let cfg = config(
        &p,
        TYPE,
        &[
            ("ami", s(AMI)),
            ("instance_type", s("g5.xlarge")),
            ("subnet_id", s(&id_of(&subnet))),
            ("tags", tags(&[("fleet", "spot")])),
        ],
    );
    let mut states = Vec::new();
    for _ in 0..N {
        states.push(create(&p, TYPE, cfg.clone()).await);
    }
    let request = || read_request(TYPE, "node", &states);
    // One DescribeSpotInstanceRequests, one DescribeInstances, one
    // DescribeIamInstanceProfileAssociations for all of them.
    let before = p.call_count();
    let resp = p.read(request()).await.expect("read");
    let calls = p.call_count() - before;
    assert!(calls <= 3, "{calls} calls for {N} requests");
    for (st, got) in states.iter().zip(&resp.states) {
        let got = got.as_ref().expect("every request is there");
        assert_eq!(got.get("id"), st.get("id"), "answers come back in request order");
        assert_eq!(got.get("spot_instance_id"), st.get("spot_instance_id"));
        assert_eq!(got.get("tags"), &tags(&[("fleet", "spot")]));
    }

    // One cancelled by hand: refresh reports exactly that one gone (its instance keeps running,
    // as AWS leaves it; destroy terminates it).
    let cancelled = id_of(&states[2]);
    boto3(&format!(
        "ec2.cancel_spot_instance_requests(SpotInstanceRequestIds=['{cancelled}'])"
    ));
    let resp = p.read(request()).await.expect("read");
    for (i, got) in resp.states.iter().enumerate() {
        assert_eq!(got.is_none(), i == 2, "request {i}");
    }

    for st in &states {
        delete(&p, TYPE, st).await;
        let instance = st.get("spot_instance_id").as_str().expect("fulfilled");
        assert!(
            live_instance(instance).starts_with("terminated "),
            "{}",
            live_instance(instance)
        );
    }
    delete(&p, "aws_subnet", &subnet).await;
    delete(&p, "aws_vpc", &vpc).await;
}

#[tokio::test]
async fn validate_names_the_bad_spot_argument() {
    let p = provider().await;
    let base = config(&p, TYPE, &[("ami", s(AMI))]);
    assert!(validate(&p, TYPE, &base).is_empty());
    let bad = |k: &str, v: Value| validate(&p, TYPE, &with(&base, k, v));
    assert_eq!(
        bad("spot_type", s("sometimes")),
        vec!["spot_type must be one of one-time, persistent"]
    );
    assert_eq!(
        bad("instance_interruption_behavior", s("pause")),
        vec!["instance_interruption_behavior must be one of hibernate, stop, terminate"]
    );
    assert_eq!(
        bad("block_duration_minutes", Value::int(90)),
        vec!["block_duration_minutes must be a multiple of 60"]
    );
    assert_eq!(
        bad("valid_until", s("next tuesday")),
        vec!["valid_until is not an RFC 3339 time"]
    );
    assert_eq!(
        bad("source_dest_check", Value::Bool(false)),
        vec!["source_dest_check = false needs wait_for_fulfillment = true"]
    );
    assert_eq!(
        validate(&p, TYPE, &config(&p, TYPE, &[])),
        vec!["aws_spot_instance_request needs an AMI"]
    );
    // RequestSpotInstances takes no launch template: the argument is refused, not ignored.
    let schema = p.schema();
    let spot = schema.resources.get(TYPE).expect("the type");
    assert!(spot.unsupported_message("launch_template", TYPE).is_some());
    assert!(spot.unsupported_message("metadata_options", TYPE).is_some());
}

/// What a real account must do and moto 5.2 does not: launch the spot instance with the
/// request's security groups (moto ignores `LaunchSpecification.SecurityGroupIds` and gives the
/// instance the default group), so that refresh reads the configured groups back.
#[tokio::test]
#[ignore = "moto 5.2 does not implement RequestSpotInstances' SecurityGroupIds (the instance gets the default group)"]
async fn spot_request_launches_with_its_security_groups() {
    let p = provider().await;
    let (vpc, subnet) = network(&p, 62).await;
    let sg = create(
        &p,
        "aws_security_group",
        config(&p, "aws_security_group", &[("vpc_id", s(&id_of(&vpc)))]),
    )
    .await;
    let sg_id = id_of(&sg);
    let cfg = config(
        &p,
        TYPE,
        &[
            ("ami", s(AMI)),
            ("instance_type", s("g5.xlarge")),
            ("subnet_id", s(&id_of(&subnet))),
            ("vpc_security_group_ids", strs(&[&sg_id])),
            ("wait_for_fulfillment", Value::Bool(true)),
        ],
    );
    let state = create(&p, TYPE, cfg.clone()).await;
    let instance = state.get("spot_instance_id").as_str().expect("fulfilled").to_string();
    let groups = boto3(&format!(
        "i = ec2.describe_instances(InstanceIds=['{instance}'])['Reservations'][0]['Instances'][0]\n\
         print(' '.join(sorted(g['GroupId'] for g in i['SecurityGroups'])))"
    ));
    assert_eq!(groups, sg_id);
    assert_clean(&p, TYPE, &state, &cfg).await;
    delete(&p, TYPE, &state).await;
    delete(&p, "aws_security_group", &sg).await;
    delete(&p, "aws_subnet", &subnet).await;
    delete(&p, "aws_vpc", &vpc).await;
}
