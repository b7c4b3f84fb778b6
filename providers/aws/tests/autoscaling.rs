//! aws_autoscaling_group against moto: create from a launch template (waiting for capacity), an
//! independent read with boto3, an out-of-band change made with boto3 seen as drift and
//! repaired, import, destroy with and without force_delete (waiting for the group to go), and
//! the batched refresh (one DescribeAutoScalingGroups for many groups).

mod common;

use common::boto::boto3;
use common::*;
use plinth_aws::AwsProvider;
use plinth_sdk::{Provider, ValidateRequest, Value};
use serde_json::Value as J;

const T: &str = "aws_autoscaling_group";

fn json(script: &str) -> J {
    let out = boto3(&format!("asg = client('autoscaling')\n{script}"));
    serde_json::from_str(&out).unwrap_or_else(|e| panic!("{e}: {out}"))
}

fn obj(items: &[(&str, Value)]) -> Value {
    Value::object(items.iter().map(|(k, v)| (k.to_string(), v.clone())))
}

fn tag(key: &str, value: &str, propagate: bool) -> Value {
    obj(&[
        ("key", s(key)),
        ("value", s(value)),
        ("propagate_at_launch", Value::Bool(propagate)),
    ])
}

/// A subnet and a launch template made with boto3 (the template's AMI is one moto knows).
fn network_and_template(suffix: &str) -> (String, String) {
    let out = boto3(&format!(
        "v = ec2.create_vpc(CidrBlock='10.43.0.0/16')['Vpc']['VpcId']\n\
         sn = ec2.create_subnet(VpcId=v, CidrBlock='10.43.1.0/24', AvailabilityZone='us-east-1a')['Subnet']['SubnetId']\n\
         lt = ec2.create_launch_template(LaunchTemplateName='plinth-gpu-{suffix}', \
         LaunchTemplateData={{'ImageId': 'ami-12c6146b', 'InstanceType': 'g5.xlarge'}})['LaunchTemplate']['LaunchTemplateId']\n\
         print(json.dumps([sn, lt]))"
    ));
    let v: J = serde_json::from_str(&out).expect("json");
    (
        v[0].as_str().expect("subnet").to_string(),
        v[1].as_str().expect("template").to_string(),
    )
}

/// Tag blocks in the order the engine gives a set.
fn tag_set(mut tags: Vec<Value>) -> Value {
    tags.sort_by_key(|v| v.to_json().to_string());
    Value::List(tags)
}

fn group_config(p: &AwsProvider, name: &str, subnet: &str, template: &str, max: i64, tags: Vec<Value>) -> Value {
    config(
        p,
        T,
        &[
            ("name", s(name)),
            ("min_size", Value::int(1)),
            ("max_size", Value::int(max)),
            ("desired_capacity", Value::int(1)),
            ("vpc_zone_identifier", strs(&[subnet])),
            (
                "launch_template",
                Value::List(vec![obj(&[("id", s(template)), ("version", s("$Latest"))])]),
            ),
            ("health_check_type", s("EC2")),
            ("tag", tag_set(tags)),
        ],
    )
}

fn live(name: &str) -> J {
    json(&format!(
        "g = asg.describe_auto_scaling_groups(AutoScalingGroupNames=['{name}'])['AutoScalingGroups']\n\
         print(json.dumps({{'exists': bool(g), 'max': g[0]['MaxSize'] if g else None, \
         'instances': len(g[0]['Instances']) if g else 0, 'subnets': g[0]['VPCZoneIdentifier'] if g else None, \
         'template': g[0].get('LaunchTemplate', {{}}).get('LaunchTemplateId') if g else None, \
         'tags': sorted([[t['Key'], t['Value'], t['PropagateAtLaunch']] for t in g[0]['Tags']]) if g else []}}))"
    ))
}

#[tokio::test]
async fn group_lifecycle_drift_import_destroy() {
    let p = provider().await;
    let (subnet, template) = network_and_template("a");
    let tags = || vec![tag("team", "ml", true), tag("cost-center", "42", false)];
    let cfg = group_config(&p, "plinth-gpu-pool", &subnet, &template, 2, tags());
    let state = create(&p, T, cfg.clone()).await;
    assert_eq!(state.get("id"), &s("plinth-gpu-pool"));
    assert!(
        state
            .get("arn")
            .as_str()
            .is_some_and(|a| a.contains(":autoScalingGroup:"))
    );
    let l = live("plinth-gpu-pool");
    assert_eq!(l["max"], 2);
    assert_eq!(l["instances"], 1, "create waited for its capacity");
    assert_eq!(l["subnets"], subnet.as_str());
    assert_eq!(l["template"], template.as_str());
    assert_eq!(
        l["tags"],
        serde_json::json!([["cost-center", "42", false], ["team", "ml", true]])
    );
    let fresh = read(&p, T, &state).await.expect("exists");
    let pl = plan(&p, T, &fresh, &cfg).await;
    assert!(pl.requires_replace.is_empty(), "{:?}", pl.requires_replace);
    assert_eq!(plan_changes(&pl, &fresh), Vec::<String>::new(), "a re-plan is clean");

    // Out of band: the group grown, a tag changed and one added.
    boto3(
        "asg = client('autoscaling')\n\
         asg.update_auto_scaling_group(AutoScalingGroupName='plinth-gpu-pool', MaxSize=4)\n\
         asg.create_or_update_tags(Tags=[{'ResourceId': 'plinth-gpu-pool', 'ResourceType': 'auto-scaling-group', \
         'Key': 'team', 'Value': 'other', 'PropagateAtLaunch': True}, {'ResourceId': 'plinth-gpu-pool', \
         'ResourceType': 'auto-scaling-group', 'Key': 'owner', 'Value': 'someone', 'PropagateAtLaunch': False}])",
    );
    let drifted = read(&p, T, &fresh).await.expect("exists");
    assert_eq!(drifted.get("max_size"), &Value::int(4));
    let pl = plan(&p, T, &drifted, &cfg).await;
    assert!(pl.requires_replace.is_empty());
    assert_eq!(plan_changes(&pl, &drifted), vec!["max_size", "tag"]);
    let repaired = apply_update(&p, T, &drifted, pl.planned, &cfg).await;
    assert_eq!(repaired.get("max_size"), &Value::int(2));
    let l = live("plinth-gpu-pool");
    assert_eq!(l["max"], 2);
    assert_eq!(
        l["tags"],
        serde_json::json!([["cost-center", "42", false], ["team", "ml", true]])
    );

    // An in-place change of size and tags through the provider.
    let bigger = group_config(
        &p,
        "plinth-gpu-pool",
        &subnet,
        &template,
        3,
        vec![tag("team", "ml", false)],
    );
    let grown = apply_in_place(&p, T, &repaired, &bigger).await;
    assert_eq!(grown.get("max_size"), &Value::int(3));
    assert_eq!(
        live("plinth-gpu-pool")["tags"],
        serde_json::json!([["team", "ml", false]])
    );

    let imported = import(&p, T, "plinth-gpu-pool").await;
    assert_eq!(imported.get("arn"), grown.get("arn"));
    assert_eq!(imported.get("vpc_zone_identifier"), &strs(&[&subnet]));
    assert_eq!(imported.get("tag"), &Value::List(vec![tag("team", "ml", false)]));

    // Without force_delete the group is drained first, then deleted; destroy waits until it is gone.
    delete(&p, T, &grown).await;
    assert_eq!(live("plinth-gpu-pool")["exists"], false);
    assert_eq!(read(&p, T, &grown).await, None);
    delete(&p, T, &grown).await; // already gone
}

#[tokio::test]
async fn force_delete_and_name_prefix() {
    let p = provider().await;
    let (subnet, template) = network_and_template("b");
    let mut cfg = group_config(&p, "unused", &subnet, &template, 2, vec![]);
    if let Value::Map(m) = &mut cfg {
        m.insert("name".into(), Value::Null);
        m.insert("name_prefix".into(), s("plinth-spot-"));
        m.insert("force_delete".into(), Value::Bool(true));
        m.insert("wait_for_capacity_timeout".into(), s("0"));
    }
    let state = create(&p, T, cfg).await;
    let name = state.get("name").as_str().expect("name").to_string();
    assert!(name.starts_with("plinth-spot-"), "{name}");
    assert_eq!(state.get("force_delete"), &Value::Bool(true));
    delete(&p, T, &state).await;
    assert_eq!(live(&name)["exists"], false);
}

#[tokio::test]
async fn groups_refresh_with_one_describe() {
    let p = provider().await;
    let (subnet, template) = network_and_template("c");
    let mut states = Vec::new();
    for i in 0..3 {
        let mut cfg = group_config(&p, &format!("plinth-batch-{i}"), &subnet, &template, 1, vec![]);
        if let Value::Map(m) = &mut cfg {
            m.insert("force_delete".into(), Value::Bool(true));
        }
        states.push(create(&p, T, cfg).await);
    }
    let before = p.call_count();
    let out = p.read(read_request(T, "g", &states)).await.expect("read");
    assert!(out.states.iter().all(Option::is_some));
    assert_eq!(
        p.call_count() - before,
        1,
        "one DescribeAutoScalingGroups for three groups"
    );
    for s in &states {
        delete(&p, T, s).await;
    }
    let out = p.read(read_request(T, "g", &states)).await.expect("read");
    assert!(out.states.iter().all(Option::is_none));
}

#[tokio::test]
async fn conflicting_and_unsupported_arguments_are_named() {
    let p = provider().await;
    let mut cfg = group_config(&p, "x", "subnet-1", "lt-1", 1, vec![]);
    if let Value::Map(m) = &mut cfg {
        m.insert("availability_zones".into(), strs(&["us-east-1a"]));
        m.insert("wait_for_capacity_timeout".into(), s("soon"));
    }
    let d: Vec<String> = p
        .validate(&ValidateRequest::managed(T, cfg))
        .into_iter()
        .map(|d| d.summary)
        .collect();
    assert!(d.contains(&"Conflicting arguments".to_string()), "{d:?}");
    assert!(d.contains(&"Invalid wait_for_capacity_timeout".to_string()), "{d:?}");
    let schema = p.schema();
    let g = schema.resources.get(T).expect("type");
    for name in [
        "launch_configuration",
        "mixed_instances_policy",
        "warm_pool",
        "instance_refresh",
    ] {
        assert!(g.unsupported.contains_key(name), "{name}");
    }
    assert!(g.blocks.contains_key("timeouts"));
}
