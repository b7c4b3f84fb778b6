//! aws_subnet, aws_security_group and aws_launch_template against moto: create, refresh after
//! out-of-band changes (retag, rule added by hand, attribute changed, delete), in-place updates,
//! import, destroy — every result checked with our own SDK reads, not the provider's read code.

mod common;

use aws_sdk_ec2::types::{AttributeBooleanValue, Filter, IpPermission, IpRange, Tag};
use common::ec2::*;
use common::*;
use plinth_sdk::{Provider, ReadInstance, ReadRequest, Value};

// ---------------------------------------------------------------------------------------------
// aws_subnet

async fn live_subnet(id: &str) -> Option<aws_sdk_ec2::types::Subnet> {
    ec2()
        .await
        .describe_subnets()
        .filters(Filter::builder().name("subnet-id").values(id).build())
        .send()
        .await
        .expect("describe subnets")
        .subnets()
        .first()
        .cloned()
}

#[tokio::test]
async fn subnet_lifecycle() {
    let p = provider().await;
    let vpc = new_vpc(&p, "10.20.0.0/16").await;
    let vpc_id = id_of(&vpc);
    let cfg = config(
        &p,
        "aws_subnet",
        &[
            ("vpc_id", s(&vpc_id)),
            ("cidr_block", s("10.20.1.0/24")),
            ("availability_zone", s("us-east-1b")),
            ("map_public_ip_on_launch", Value::Bool(true)),
            ("tags", tags(&[("Name", "gpu-a"), ("team", "ml")])),
        ],
    );
    let state = create(&p, "aws_subnet", cfg.clone()).await;
    let id = id_of(&state);
    assert!(id.starts_with("subnet-"), "{id}");
    assert!(
        state
            .get("arn")
            .as_str()
            .is_some_and(|a| a.ends_with(&format!("subnet/{id}"))),
        "arn: {:?}",
        state.get("arn")
    );

    // Our own read: the declared attributes are there.
    let live = live_subnet(&id).await.expect("the subnet exists");
    assert_eq!(live.vpc_id(), Some(vpc_id.as_str()));
    assert_eq!(live.cidr_block(), Some("10.20.1.0/24"));
    assert_eq!(live.availability_zone(), Some("us-east-1b"));
    assert_eq!(live.map_public_ip_on_launch(), Some(true));
    assert_eq!(sdk_tags(live.tags()), pairs(&[("Name", "gpu-a"), ("team", "ml")]));

    // Unchanged: refresh + plan shows nothing to do.
    let fresh = read(&p, "aws_subnet", &state).await.expect("still there");
    let resp = plan(&p, "aws_subnet", &fresh, &cfg).await;
    assert!(resp.requires_replace.is_empty());
    assert!(
        plan_changes(&resp, &fresh).is_empty(),
        "{:?}",
        plan_changes(&resp, &fresh)
    );

    // Out of band: retag and turn off public IPs. Refresh sees both; the plan repairs in place.
    let sdk = ec2().await;
    sdk.create_tags()
        .resources(&id)
        .tags(Tag::builder().key("team").value("web").build())
        .send()
        .await
        .expect("retag");
    sdk.modify_subnet_attribute()
        .subnet_id(&id)
        .map_public_ip_on_launch(AttributeBooleanValue::builder().value(false).build())
        .send()
        .await
        .expect("modify");
    let drifted = read(&p, "aws_subnet", &state).await.expect("still there");
    assert_eq!(drifted.get("tags").get("team"), &s("web"));
    assert_eq!(drifted.get("map_public_ip_on_launch"), &Value::Bool(false));
    let resp = plan(&p, "aws_subnet", &drifted, &cfg).await;
    let mut changes = plan_changes(&resp, &drifted);
    changes.sort();
    assert_eq!(changes, vec!["map_public_ip_on_launch", "tags", "tags_all"]);
    let repaired = update(&p, "aws_subnet", &drifted, &cfg).await;
    assert_eq!(repaired.get("tags").get("team"), &s("ml"));
    let live = live_subnet(&id).await.expect("the subnet exists");
    assert_eq!(live.map_public_ip_on_launch(), Some(true));
    assert_eq!(sdk_tags(live.tags()), pairs(&[("Name", "gpu-a"), ("team", "ml")]));

    // A new CIDR cannot be applied in place.
    let mut moved = cfg.as_map().expect("object").clone();
    moved.insert("cidr_block".into(), s("10.20.2.0/24"));
    let resp = plan(&p, "aws_subnet", &repaired, &Value::Map(moved)).await;
    assert_eq!(resp.requires_replace, vec![plinth_sdk::AttrPath::attr("cidr_block")]);

    // Import by id gives the same attributes.
    let imported = import(&p, "aws_subnet", &id).await;
    for k in [
        "vpc_id",
        "cidr_block",
        "availability_zone",
        "map_public_ip_on_launch",
        "tags",
        "arn",
    ] {
        assert_eq!(imported.get(k), repaired.get(k), "imported {k}");
    }

    // Out-of-band delete: refresh reports it gone; destroy of a gone subnet is fine.
    sdk.delete_subnet().subnet_id(&id).send().await.expect("delete by hand");
    assert!(read(&p, "aws_subnet", &repaired).await.is_none());
    delete(&p, "aws_subnet", &repaired).await;

    // Destroy leaves nothing.
    let again = create(&p, "aws_subnet", cfg.clone()).await;
    let id2 = id_of(&again);
    delete(&p, "aws_subnet", &again).await;
    assert!(live_subnet(&id2).await.is_none(), "destroy leaves nothing");
    delete(&p, "aws_vpc", &vpc).await;
}

// ---------------------------------------------------------------------------------------------
// aws_security_group

/// One rule block with every attribute of the block schema.
fn rule(protocol: &str, from: i64, to: i64, cidrs: &[&str], description: Option<&str>) -> Value {
    Value::object([
        ("protocol", s(protocol)),
        ("from_port", Value::int(from)),
        ("to_port", Value::int(to)),
        ("cidr_blocks", strs(cidrs)),
        ("ipv6_cidr_blocks", Value::Null),
        ("security_groups", Value::Null),
        ("prefix_list_ids", Value::Null),
        ("self", Value::Null),
        ("description", description.map(s).unwrap_or(Value::Null)),
    ])
}

/// A set of blocks, ordered as the engine orders them.
fn block_set(mut items: Vec<Value>) -> Value {
    items.sort_by_key(|v| v.to_json().to_string());
    items.dedup();
    Value::List(items)
}

/// (protocol, from, to, cidr) of every IPv4 rule.
fn flat(perms: &[IpPermission]) -> Vec<(String, i32, i32, String)> {
    let mut out = Vec::new();
    for p in perms {
        for r in p.ip_ranges() {
            out.push((
                p.ip_protocol().unwrap_or_default().to_string(),
                p.from_port().unwrap_or(0),
                p.to_port().unwrap_or(0),
                r.cidr_ip().unwrap_or_default().to_string(),
            ));
        }
    }
    out.sort();
    out
}

async fn live_group(id: &str) -> Option<aws_sdk_ec2::types::SecurityGroup> {
    ec2()
        .await
        .describe_security_groups()
        .filters(Filter::builder().name("group-id").values(id).build())
        .send()
        .await
        .expect("describe security groups")
        .security_groups()
        .first()
        .cloned()
}

fn t(p: &str, from: i32, to: i32, cidr: &str) -> (String, i32, i32, String) {
    (p.to_string(), from, to, cidr.to_string())
}

#[tokio::test]
async fn security_group_lifecycle() {
    let p = provider().await;
    let vpc = new_vpc(&p, "10.30.0.0/16").await;
    let vpc_id = id_of(&vpc);
    let ingress = block_set(vec![
        rule("tcp", 22, 22, &["10.0.0.0/8"], Some("ssh")),
        rule("tcp", 443, 443, &["10.1.0.0/16", "10.2.0.0/16"], None),
    ]);
    let egress = block_set(vec![rule("-1", 0, 0, &["0.0.0.0/0"], None)]);
    let cfg = config(
        &p,
        "aws_security_group",
        &[
            ("name", s("gpu-nodes")),
            ("description", s("GPU training nodes")),
            ("vpc_id", s(&vpc_id)),
            ("ingress", ingress.clone()),
            ("egress", egress.clone()),
            ("tags", tags(&[("team", "ml")])),
        ],
    );
    let state = create(&p, "aws_security_group", cfg.clone()).await;
    let id = id_of(&state);
    assert!(id.starts_with("sg-"), "{id}");
    assert_eq!(state.get("ingress"), &ingress, "state keeps the configured blocks");
    assert_eq!(state.get("egress"), &egress);

    let live = live_group(&id).await.expect("the group exists");
    assert_eq!(live.group_name(), Some("gpu-nodes"));
    assert_eq!(live.description(), Some("GPU training nodes"));
    assert_eq!(live.vpc_id(), Some(vpc_id.as_str()));
    assert_eq!(
        flat(live.ip_permissions()),
        vec![
            t("tcp", 22, 22, "10.0.0.0/8"),
            t("tcp", 443, 443, "10.1.0.0/16"),
            t("tcp", 443, 443, "10.2.0.0/16")
        ]
    );
    let ssh_desc = live
        .ip_permissions()
        .iter()
        .find(|p| p.from_port() == Some(22))
        .and_then(|p| p.ip_ranges().first())
        .and_then(|r| r.description())
        .map(str::to_string);
    assert_eq!(ssh_desc.as_deref(), Some("ssh"));
    assert_eq!(flat(live.ip_permissions_egress()), vec![t("-1", 0, 0, "0.0.0.0/0")]);
    assert_eq!(sdk_tags(live.tags()), pairs(&[("team", "ml")]));

    // Refresh of an unchanged group plans nothing.
    let fresh = read(&p, "aws_security_group", &state).await.expect("still there");
    let resp = plan(&p, "aws_security_group", &fresh, &cfg).await;
    assert!(resp.requires_replace.is_empty());
    assert!(
        plan_changes(&resp, &fresh).is_empty(),
        "{:?}",
        plan_changes(&resp, &fresh)
    );

    // In-place rule change: drop the 443 block, open a UDP range, change the ssh description.
    let ingress2 = block_set(vec![
        rule("tcp", 22, 22, &["10.0.0.0/8"], Some("ssh from the VPN")),
        rule("udp", 8000, 8100, &["10.1.0.0/16"], Some("nccl")),
    ]);
    let mut m = cfg.as_map().expect("object").clone();
    m.insert("ingress".into(), ingress2.clone());
    let cfg2 = Value::Map(m);
    let updated = update(&p, "aws_security_group", &fresh, &cfg2).await;
    assert_eq!(id_of(&updated), id, "same group, updated in place");
    assert_eq!(updated.get("ingress"), &ingress2);
    let live = live_group(&id).await.expect("the group exists");
    assert_eq!(
        flat(live.ip_permissions()),
        vec![t("tcp", 22, 22, "10.0.0.0/8"), t("udp", 8000, 8100, "10.1.0.0/16")]
    );

    // Out of band: a rule added by hand and a retag. Refresh sees both; the plan removes them.
    let sdk = ec2().await;
    sdk.authorize_security_group_ingress()
        .group_id(&id)
        .ip_permissions(
            IpPermission::builder()
                .ip_protocol("tcp")
                .from_port(3389)
                .to_port(3389)
                .ip_ranges(IpRange::builder().cidr_ip("0.0.0.0/0").build())
                .build(),
        )
        .send()
        .await
        .expect("authorize by hand");
    sdk.create_tags()
        .resources(&id)
        .tags(Tag::builder().key("team").value("web").build())
        .send()
        .await
        .expect("retag");
    let drifted = read(&p, "aws_security_group", &updated).await.expect("still there");
    assert_eq!(drifted.get("tags").get("team"), &s("web"));
    let extra = rule("tcp", 3389, 3389, &["0.0.0.0/0"], None);
    assert!(
        drifted.get("ingress").as_list().expect("blocks").contains(&extra),
        "refresh shows the hand-made rule: {}",
        drifted.get("ingress")
    );
    let resp = plan(&p, "aws_security_group", &drifted, &cfg2).await;
    let mut changes = plan_changes(&resp, &drifted);
    changes.sort();
    assert_eq!(changes, vec!["ingress", "tags", "tags_all"]);
    let repaired = update(&p, "aws_security_group", &drifted, &cfg2).await;
    let live = live_group(&id).await.expect("the group exists");
    assert_eq!(
        flat(live.ip_permissions()),
        vec![t("tcp", 22, 22, "10.0.0.0/8"), t("udp", 8000, 8100, "10.1.0.0/16")]
    );
    assert_eq!(sdk_tags(live.tags()), pairs(&[("team", "ml")]));

    // A new name or description cannot be applied in place.
    let mut m = cfg2.as_map().expect("object").clone();
    m.insert("description".into(), s("something else"));
    let resp = plan(&p, "aws_security_group", &repaired, &Value::Map(m)).await;
    assert_eq!(resp.requires_replace, vec![plinth_sdk::AttrPath::attr("description")]);

    // Import by id.
    let imported = import(&p, "aws_security_group", &id).await;
    for k in ["name", "description", "vpc_id", "tags", "arn", "ingress", "egress"] {
        assert_eq!(imported.get(k), repaired.get(k), "imported {k}");
    }

    // Out-of-band delete: gone at refresh; destroy of a gone group is fine.
    sdk.delete_security_group()
        .group_id(&id)
        .send()
        .await
        .expect("delete by hand");
    assert!(read(&p, "aws_security_group", &repaired).await.is_none());
    delete(&p, "aws_security_group", &repaired).await;
    delete(&p, "aws_vpc", &vpc).await;
}

#[tokio::test]
async fn security_group_without_egress_blocks_drops_the_default_rule() {
    let p = provider().await;
    let vpc = new_vpc(&p, "10.31.0.0/16").await;
    let cfg = config(
        &p,
        "aws_security_group",
        &[
            ("vpc_id", s(&id_of(&vpc))),
            (
                "ingress",
                block_set(vec![Value::object([
                    ("protocol", s("-1")),
                    ("from_port", Value::int(0)),
                    ("to_port", Value::int(0)),
                    ("cidr_blocks", Value::Null),
                    ("ipv6_cidr_blocks", Value::Null),
                    ("security_groups", Value::Null),
                    ("prefix_list_ids", Value::Null),
                    ("self", Value::Bool(true)),
                    ("description", s("node to node")),
                ])]),
            ),
        ],
    );
    let state = create(&p, "aws_security_group", cfg.clone()).await;
    let id = id_of(&state);
    assert!(
        state.get("name").as_str().is_some_and(|n| n.starts_with("plinth-sg-")),
        "a generated name: {:?}",
        state.get("name")
    );
    assert_eq!(state.get("description"), &s("Managed by Plinth"));
    let live = live_group(&id).await.expect("exists");
    assert!(
        live.ip_permissions_egress().is_empty(),
        "the default ALLOW ALL egress is removed: {:?}",
        live.ip_permissions_egress()
    );
    let self_rule = live
        .ip_permissions()
        .iter()
        .flat_map(|p| p.user_id_group_pairs())
        .any(|g| g.group_id() == Some(id.as_str()));
    assert!(
        self_rule,
        "self = true allows the group itself: {:?}",
        live.ip_permissions()
    );
    let fresh = read(&p, "aws_security_group", &state).await.expect("exists");
    let resp = plan(&p, "aws_security_group", &fresh, &cfg).await;
    assert!(
        plan_changes(&resp, &fresh).is_empty(),
        "{:?}",
        plan_changes(&resp, &fresh)
    );
    delete(&p, "aws_security_group", &state).await;
    assert!(live_group(&id).await.is_none(), "destroy leaves nothing");
    delete(&p, "aws_vpc", &vpc).await;
}

// ---------------------------------------------------------------------------------------------
// aws_launch_template

async fn live_template(
    id: &str,
) -> Option<(
    aws_sdk_ec2::types::LaunchTemplate,
    aws_sdk_ec2::types::LaunchTemplateVersion,
)> {
    let sdk = ec2().await;
    let t = sdk
        .describe_launch_templates()
        .launch_template_ids(id)
        .send()
        .await
        .ok()?
        .launch_templates()
        .first()
        .cloned()?;
    let v = sdk
        .describe_launch_template_versions()
        .launch_template_id(id)
        .versions("$Latest")
        .send()
        .await
        .expect("versions")
        .launch_template_versions()
        .first()
        .cloned()?;
    Some((t, v))
}

/// Tags of any EC2 object as DescribeTags reports them.
async fn tag_store(id: &str) -> Vec<(String, String)> {
    let resp = ec2()
        .await
        .describe_tags()
        .filters(Filter::builder().name("resource-id").values(id).build())
        .send()
        .await
        .expect("describe tags");
    let mut out: Vec<(String, String)> = resp
        .tags()
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

#[tokio::test]
async fn launch_template_lifecycle() {
    let p = provider().await;
    let vpc = new_vpc(&p, "10.40.0.0/16").await;
    let sg = create(
        &p,
        "aws_security_group",
        config(&p, "aws_security_group", &[("vpc_id", s(&id_of(&vpc)))]),
    )
    .await;
    let sg_id = id_of(&sg);
    let user_data = aws_smithy_types::base64::encode("#!/bin/sh\nnvidia-smi\n");
    let cfg = config(
        &p,
        "aws_launch_template",
        &[
            ("name", s("gpu-node")),
            ("image_id", s("ami-03cf127a")),
            ("instance_type", s("g5.xlarge")),
            ("vpc_security_group_ids", strs(&[&sg_id])),
            ("user_data", s(&user_data)),
            ("update_default_version", Value::Bool(true)),
            ("tags", tags(&[("team", "ml")])),
        ],
    );
    let state = create(&p, "aws_launch_template", cfg.clone()).await;
    let id = id_of(&state);
    assert!(id.starts_with("lt-"), "{id}");
    assert_eq!(state.get("latest_version"), &Value::int(1));
    let (t, v) = live_template(&id).await.expect("the template exists");
    assert_eq!(t.launch_template_name(), Some("gpu-node"));
    assert_eq!(sdk_tags(t.tags()), pairs(&[("team", "ml")]));
    let data = v.launch_template_data().expect("data");
    assert_eq!(data.image_id(), Some("ami-03cf127a"));
    assert_eq!(data.instance_type().map(|t| t.as_str()), Some("g5.xlarge"));
    assert_eq!(data.security_group_ids(), std::slice::from_ref(&sg_id));
    assert_eq!(data.user_data(), Some(user_data.as_str()));

    let fresh = read(&p, "aws_launch_template", &state).await.expect("exists");
    let resp = plan(&p, "aws_launch_template", &fresh, &cfg).await;
    assert!(
        plan_changes(&resp, &fresh).is_empty(),
        "{:?}",
        plan_changes(&resp, &fresh)
    );

    // A new instance type is a new version, made the default; the template stays.
    let mut m = cfg.as_map().expect("object").clone();
    m.insert("instance_type".into(), s("p4d.24xlarge"));
    let cfg2 = Value::Map(m);
    let resp = plan(&p, "aws_launch_template", &fresh, &cfg2).await;
    assert_eq!(
        resp.planned.get("latest_version"),
        &Value::Unknown,
        "a new version is planned"
    );
    let updated = update(&p, "aws_launch_template", &fresh, &cfg2).await;
    assert_eq!(id_of(&updated), id);
    assert_eq!(updated.get("latest_version"), &Value::int(2));
    assert_eq!(updated.get("default_version"), &Value::int(2));
    let (t, v) = live_template(&id).await.expect("the template exists");
    assert_eq!(t.latest_version_number(), Some(2));
    assert_eq!(t.default_version_number(), Some(2));
    assert_eq!(
        v.launch_template_data()
            .and_then(|d| d.instance_type())
            .map(|t| t.as_str()),
        Some("p4d.24xlarge")
    );

    // Out-of-band retag: seen at refresh, repaired in place without a new version.
    let sdk = ec2().await;
    sdk.create_tags()
        .resources(&id)
        .tags(Tag::builder().key("team").value("web").build())
        .send()
        .await
        .expect("retag");
    assert_eq!(tag_store(&id).await, pairs(&[("team", "web")]), "the retag happened");
    let (t, _) = live_template(&id).await.expect("the template exists");
    let repaired = if sdk_tags(t.tags()) == pairs(&[("team", "web")]) {
        let drifted = read(&p, "aws_launch_template", &updated).await.expect("exists");
        assert_eq!(drifted.get("tags").get("team"), &s("web"));
        let repaired = update(&p, "aws_launch_template", &drifted, &cfg2).await;
        assert_eq!(tag_store(&id).await, pairs(&[("team", "ml")]));
        repaired
    } else {
        // MOTO LIMITATION (moto 5.2): DescribeLaunchTemplates returns the tags the template was
        // created with; CreateTags/DeleteTags reach DescribeTags but not DescribeLaunchTemplates.
        // Against real EC2 the branch above runs. Here: put the tag back by hand and go on.
        eprintln!(
            "MOTO LIMITATION: DescribeLaunchTemplates ignores later CreateTags; \
             skipping the retag-at-refresh check for aws_launch_template"
        );
        sdk.create_tags()
            .resources(&id)
            .tags(Tag::builder().key("team").value("ml").build())
            .send()
            .await
            .expect("retag back");
        read(&p, "aws_launch_template", &updated).await.expect("exists")
    };
    assert_eq!(repaired.get("latest_version"), &Value::int(2));

    // A tag change in the configuration is applied in place, without a new version (checked
    // with DescribeTags, which moto keeps current).
    let mut m = cfg2.as_map().expect("object").clone();
    m.insert("tags".into(), tags(&[("team", "research")]));
    let cfg3 = Value::Map(m);
    let retagged = update(&p, "aws_launch_template", &repaired, &cfg3).await;
    assert_eq!(
        retagged.get("latest_version"),
        &Value::int(2),
        "tags are not a new version"
    );
    assert_eq!(tag_store(&id).await, pairs(&[("team", "research")]));

    // Import by id.
    let imported = import(&p, "aws_launch_template", &id).await;
    for k in [
        "name",
        "image_id",
        "instance_type",
        "vpc_security_group_ids",
        "user_data",
        "tags",
        "latest_version",
        "arn",
    ] {
        assert_eq!(imported.get(k), retagged.get(k), "imported {k}");
    }

    // Batched refresh of several templates: one DescribeLaunchTemplates plus one page of versions.
    let mut states = vec![retagged.clone()];
    for i in 0..3 {
        let c = config(
            &p,
            "aws_launch_template",
            &[("name", s(&format!("batch-{i}"))), ("image_id", s("ami-03cf127a"))],
        );
        states.push(create(&p, "aws_launch_template", c).await);
    }
    let before = p.call_count();
    let resp = p
        .read(ReadRequest {
            type_name: "aws_launch_template".into(),
            instances: states
                .iter()
                .map(|s| ReadInstance {
                    address: "aws_launch_template.x".into(),
                    state: s.clone(),
                })
                .collect(),
        })
        .await
        .expect("read");
    let calls = p.call_count() - before;
    eprintln!("refresh of {} launch templates: {calls} API calls", states.len());
    assert!(calls <= 2, "{calls} calls");
    assert!(resp.states.iter().all(Option::is_some));

    // Out-of-band delete; then destroy everything and check nothing is left.
    sdk.delete_launch_template()
        .launch_template_id(&id)
        .send()
        .await
        .expect("delete by hand");
    assert!(read(&p, "aws_launch_template", &retagged).await.is_none());
    delete(&p, "aws_launch_template", &retagged).await;
    for st in &states[1..] {
        delete(&p, "aws_launch_template", st).await;
        assert!(live_template(&id_of(st)).await.is_none(), "destroy leaves nothing");
    }
    delete(&p, "aws_security_group", &sg).await;
    delete(&p, "aws_vpc", &vpc).await;
}

/// Refresh of several subnets and security groups: one Describe call per type.
#[tokio::test]
async fn refresh_of_subnets_and_groups_is_one_call_per_type() {
    let p = provider().await;
    let vpc = new_vpc(&p, "10.32.0.0/16").await;
    let vpc_id = id_of(&vpc);
    let mut subnets = Vec::new();
    let mut groups = Vec::new();
    for i in 0..3 {
        let c = config(
            &p,
            "aws_subnet",
            &[("vpc_id", s(&vpc_id)), ("cidr_block", s(&format!("10.32.{i}.0/24")))],
        );
        subnets.push(create(&p, "aws_subnet", c).await);
        let c = config(
            &p,
            "aws_security_group",
            &[
                ("vpc_id", s(&vpc_id)),
                ("ingress", block_set(vec![rule("tcp", 80, 80, &["10.0.0.0/8"], None)])),
            ],
        );
        groups.push(create(&p, "aws_security_group", c).await);
    }
    for (type_name, states) in [("aws_subnet", &subnets), ("aws_security_group", &groups)] {
        let before = p.call_count();
        let resp = p
            .read(ReadRequest {
                type_name: type_name.into(),
                instances: states
                    .iter()
                    .map(|s| ReadInstance {
                        address: format!("{type_name}.x"),
                        state: s.clone(),
                    })
                    .collect(),
            })
            .await
            .expect("read");
        let calls = p.call_count() - before;
        eprintln!("refresh of {} {type_name}: {calls} API call(s)", states.len());
        assert_eq!(calls, 1, "{type_name}");
        assert!(resp.states.iter().all(Option::is_some));
    }
    for g in &groups {
        delete(&p, "aws_security_group", g).await;
    }
    for sn in &subnets {
        delete(&p, "aws_subnet", sn).await;
    }
    delete(&p, "aws_vpc", &vpc).await;
}

/// `name_prefix` on a security group and a launch template (a unique name with that prefix, as
/// boto3 sees it; kept in state so refresh plans nothing), and `revoke_rules_on_delete` (kept,
/// and destroy with it revokes and deletes; moto does not refuse deleting a referenced group, so
/// the cycle it breaks on AWS cannot be reproduced here), and `availability_zone_id` as an input.
#[tokio::test]
async fn name_prefixes_revoke_on_delete_and_zone_ids() {
    let p = provider().await;
    let vpc = new_vpc(&p, "10.31.0.0/16").await;
    let vpc_id = id_of(&vpc);
    let cfg = config(
        &p,
        "aws_security_group",
        &[
            ("name_prefix", s("gpu-node-")),
            ("vpc_id", s(&vpc_id)),
            ("revoke_rules_on_delete", Value::Bool(true)),
            ("ingress", block_set(vec![rule("tcp", 22, 22, &["10.0.0.0/8"], None)])),
        ],
    );
    let sg = create(&p, "aws_security_group", cfg.clone()).await;
    let id = id_of(&sg);
    let name = common::boto::boto3(&format!(
        "print(ec2.describe_security_groups(GroupIds=['{id}'])['SecurityGroups'][0]['GroupName'])"
    ));
    assert!(
        name.starts_with("gpu-node-") && name.len() > "gpu-node-".len(),
        "{name}"
    );
    assert_eq!(sg.get("name"), &s(&name));
    let fresh = read(&p, "aws_security_group", &sg).await.expect("exists");
    assert_eq!(fresh.get("name_prefix"), &s("gpu-node-"));
    assert_eq!(fresh.get("revoke_rules_on_delete"), &Value::Bool(true));
    let resp = plan(&p, "aws_security_group", &fresh, &cfg).await;
    assert!(resp.requires_replace.is_empty(), "{:?}", resp.requires_replace);
    assert_eq!(plan_changes(&resp, &fresh), Vec::<String>::new());
    delete(&p, "aws_security_group", &fresh).await;
    let left = common::boto::boto3(&format!(
        "print(len(ec2.describe_security_groups(Filters=[{{'Name': 'group-id', 'Values': ['{id}']}}])['SecurityGroups']))"
    ));
    assert_eq!(left, "0");

    let lt_cfg = config(
        &p,
        "aws_launch_template",
        &[("name_prefix", s("gpu-worker-")), ("instance_type", s("g5.xlarge"))],
    );
    let lt = create(&p, "aws_launch_template", lt_cfg.clone()).await;
    let lt_id = id_of(&lt);
    let lt_name = common::boto::boto3(&format!(
        "print(ec2.describe_launch_templates(LaunchTemplateIds=['{lt_id}'])['LaunchTemplates'][0]['LaunchTemplateName'])"
    ));
    assert!(lt_name.starts_with("gpu-worker-"), "{lt_name}");
    let fresh = read(&p, "aws_launch_template", &lt).await.expect("exists");
    let resp = plan(&p, "aws_launch_template", &fresh, &lt_cfg).await;
    assert!(resp.requires_replace.is_empty(), "{:?}", resp.requires_replace);
    delete(&p, "aws_launch_template", &fresh).await;

    // A subnet placed by zone id lands in that zone.
    let zone = common::boto::boto3(
        "z = ec2.describe_availability_zones()['AvailabilityZones'][1]\nprint(z['ZoneId'], z['ZoneName'])",
    );
    let (zone_id, zone_name) = zone.split_once(' ').expect("id and name");
    let subnet_cfg = config(
        &p,
        "aws_subnet",
        &[
            ("vpc_id", s(&vpc_id)),
            ("cidr_block", s("10.31.1.0/24")),
            ("availability_zone_id", s(zone_id)),
        ],
    );
    let subnet = create(&p, "aws_subnet", subnet_cfg.clone()).await;
    let sid = id_of(&subnet);
    let live = common::boto::boto3(&format!(
        "print(ec2.describe_subnets(SubnetIds=['{sid}'])['Subnets'][0]['AvailabilityZone'])"
    ));
    assert_eq!(live, zone_name);
    assert_eq!(subnet.get("availability_zone"), &s(zone_name));
    let fresh = read(&p, "aws_subnet", &subnet).await.expect("exists");
    let resp = plan(&p, "aws_subnet", &fresh, &subnet_cfg).await;
    assert!(resp.requires_replace.is_empty(), "{:?}", resp.requires_replace);
    delete(&p, "aws_subnet", &fresh).await;
    delete(&p, "aws_vpc", &vpc).await;
}
