//! aws_security_group_rule, aws_vpc_security_group_ingress_rule / _egress_rule and
//! aws_default_security_group against moto,
//! and aws_security_group's `ingress`/`egress` being computed when omitted: create, our own SDK
//! reads, out-of-band changes seen as drift and repaired, import, destroy.

mod common;

use aws_sdk_ec2::types::{Filter, IpPermission, IpRange, SecurityGroupRuleRequest, SecurityGroupRuleUpdate};
use common::ec2::*;
use common::*;
use plinth_aws::AwsProvider;
use plinth_sdk::{ImportRequest, Provider, Value};

/// A security group whose configuration leaves out `ingress` and `egress` (null, as the engine
/// evaluates a body without them), and that configuration.
async fn bare_group(p: &AwsProvider, vpc: &str) -> (Value, Value) {
    let cfg = config(
        p,
        "aws_security_group",
        &[("vpc_id", s(vpc)), ("ingress", Value::Null), ("egress", Value::Null)],
    );
    (create(p, "aws_security_group", cfg.clone()).await, cfg)
}

async fn live_group(id: &str) -> aws_sdk_ec2::types::SecurityGroup {
    ec2()
        .await
        .describe_security_groups()
        .group_ids(id)
        .send()
        .await
        .expect("describe security groups")
        .security_groups()
        .first()
        .cloned()
        .expect("the group exists")
}

/// (protocol, from, to, cidr, description) of every IPv4 entry.
fn v4(perms: &[IpPermission]) -> Vec<(String, i32, i32, String, String)> {
    let mut out: Vec<_> = perms
        .iter()
        .flat_map(|p| {
            p.ip_ranges().iter().map(move |r| {
                (
                    p.ip_protocol().unwrap_or_default().to_string(),
                    p.from_port().unwrap_or(-1),
                    p.to_port().unwrap_or(-1),
                    r.cidr_ip().unwrap_or_default().to_string(),
                    r.description().unwrap_or_default().to_string(),
                )
            })
        })
        .collect();
    out.sort();
    out
}

fn e(p: &str, from: i32, to: i32, cidr: &str, d: &str) -> (String, i32, i32, String, String) {
    (p.to_string(), from, to, cidr.to_string(), d.to_string())
}

// ---------------------------------------------------------------------------------------------
// aws_security_group_rule

#[tokio::test]
async fn security_group_rule_lifecycle() {
    let p = provider().await;
    let vpc = new_vpc(&p, "10.60.0.0/16").await;
    let (sg, sg_cfg) = bare_group(&p, &id_of(&vpc)).await;
    let sg_id = id_of(&sg);
    assert!(
        live_group(&sg_id).await.ip_permissions_egress().is_empty(),
        "egress left out still drops AWS's ALLOW ALL rule on create, as Terraform"
    );
    let cfg = config(
        &p,
        "aws_security_group_rule",
        &[
            ("type", s("ingress")),
            ("security_group_id", s(&sg_id)),
            ("protocol", s("tcp")),
            ("from_port", Value::int(8000)),
            ("to_port", Value::int(8000)),
            ("cidr_blocks", Value::List(vec![s("10.0.0.0/16"), s("10.1.0.0/16")])),
            ("description", s("inference")),
        ],
    );
    let state = create(&p, "aws_security_group_rule", cfg.clone()).await;
    let id = id_of(&state);
    assert!(id.starts_with("sgrule-"), "{id}");
    assert_eq!(
        v4(live_group(&sg_id).await.ip_permissions()),
        vec![
            e("tcp", 8000, 8000, "10.0.0.0/16", "inference"),
            e("tcp", 8000, 8000, "10.1.0.0/16", "inference")
        ]
    );
    let fresh = assert_clean(&p, "aws_security_group_rule", &state, &cfg).await;
    // The group, whose configuration leaves its rules out, leaves this one alone.
    assert_clean(&p, "aws_security_group", &sg, &sg_cfg).await;

    // Out of band: the description changes. Refresh sees it; the plan repairs it in place.
    ec2()
        .await
        .update_security_group_rule_descriptions_ingress()
        .group_id(&sg_id)
        .ip_permissions(
            IpPermission::builder()
                .ip_protocol("tcp")
                .from_port(8000)
                .to_port(8000)
                .ip_ranges(IpRange::builder().cidr_ip("10.0.0.0/16").description("by hand").build())
                .ip_ranges(IpRange::builder().cidr_ip("10.1.0.0/16").description("by hand").build())
                .build(),
        )
        .send()
        .await
        .expect("update descriptions");
    let drifted = read(&p, "aws_security_group_rule", &fresh).await.expect("there");
    assert_eq!(drifted.get("description"), &s("by hand"));
    let repaired = update(&p, "aws_security_group_rule", &drifted, &cfg).await;
    assert_eq!(repaired.get("description"), &s("inference"));
    assert!(
        v4(live_group(&sg_id).await.ip_permissions())
            .iter()
            .all(|r| r.4 == "inference")
    );

    // Import with Terraform's id gives the same state.
    let imported = import(
        &p,
        "aws_security_group_rule",
        &format!("{sg_id}_ingress_tcp_8000_8000_10.0.0.0/16_10.1.0.0/16"),
    )
    .await;
    assert_eq!(imported.get("id"), &s(&id));
    assert_eq!(imported.get("description"), &s("inference"));
    assert_eq!(imported.get("cidr_blocks"), repaired.get("cidr_blocks"));
    let bad = p
        .import(ImportRequest {
            type_name: "aws_security_group_rule".into(),
            address: "aws_security_group_rule.x".into(),
            id: format!("{sg_id}_ingress_tcp_22_22_10.9.0.0/16"),
        })
        .await;
    assert!(bad.is_err(), "importing a rule that does not exist fails");

    // Revoked by hand: refresh finds it gone.
    ec2()
        .await
        .revoke_security_group_ingress()
        .group_id(&sg_id)
        .ip_permissions(
            IpPermission::builder()
                .ip_protocol("tcp")
                .from_port(8000)
                .to_port(8000)
                .ip_ranges(IpRange::builder().cidr_ip("10.0.0.0/16").build())
                .ip_ranges(IpRange::builder().cidr_ip("10.1.0.0/16").build())
                .build(),
        )
        .send()
        .await
        .expect("revoke");
    assert!(read(&p, "aws_security_group_rule", &repaired).await.is_none());

    // Recreated, then destroyed: nothing left; deleting again is fine.
    let again = create(&p, "aws_security_group_rule", cfg.clone()).await;
    delete(&p, "aws_security_group_rule", &again).await;
    assert!(live_group(&sg_id).await.ip_permissions().is_empty());
    delete(&p, "aws_security_group_rule", &again).await;
    delete(&p, "aws_security_group", &sg).await;
    delete(&p, "aws_vpc", &vpc).await;
}

#[tokio::test]
async fn security_group_rule_self_and_all_protocols_egress() {
    let p = provider().await;
    let vpc = new_vpc(&p, "10.61.0.0/16").await;
    let (sg, _) = bare_group(&p, &id_of(&vpc)).await;
    let sg_id = id_of(&sg);
    let self_cfg = config(
        &p,
        "aws_security_group_rule",
        &[
            ("type", s("ingress")),
            ("security_group_id", s(&sg_id)),
            ("protocol", s("all")),
            ("from_port", Value::int(0)),
            ("to_port", Value::int(0)),
            ("self", Value::Bool(true)),
        ],
    );
    let egress_cfg = config(
        &p,
        "aws_security_group_rule",
        &[
            ("type", s("egress")),
            ("security_group_id", s(&sg_id)),
            ("protocol", s("-1")),
            ("from_port", Value::int(0)),
            ("to_port", Value::int(0)),
            ("cidr_blocks", Value::List(vec![s("0.0.0.0/0")])),
        ],
    );
    let self_rule = create(&p, "aws_security_group_rule", self_cfg.clone()).await;
    let egress = create(&p, "aws_security_group_rule", egress_cfg.clone()).await;
    let live = live_group(&sg_id).await;
    assert!(
        live.ip_permissions()
            .iter()
            .flat_map(|p| p.user_id_group_pairs())
            .any(|g| g.group_id() == Some(sg_id.as_str())),
        "self: {:?}",
        live.ip_permissions()
    );
    assert_eq!(v4(live.ip_permissions_egress()), vec![e("-1", -1, -1, "0.0.0.0/0", "")]);
    // One refresh reads both rules (one group).
    let both = p
        .read(read_request(
            "aws_security_group_rule",
            "r",
            &[self_rule.clone(), egress.clone()],
        ))
        .await
        .expect("read");
    assert!(both.states.iter().all(Option::is_some));
    assert_clean(&p, "aws_security_group_rule", &self_rule, &self_cfg).await;
    assert_clean(&p, "aws_security_group_rule", &egress, &egress_cfg).await;
    let imported = import(
        &p,
        "aws_security_group_rule",
        &format!("{sg_id}_egress_all_0_0_0.0.0.0/0"),
    )
    .await;
    assert_eq!(imported.get("id"), egress.get("id"));
    delete(&p, "aws_security_group_rule", &self_rule).await;
    delete(&p, "aws_security_group_rule", &egress).await;
    let live = live_group(&sg_id).await;
    assert!(live.ip_permissions().is_empty() && live.ip_permissions_egress().is_empty());
    delete(&p, "aws_security_group", &sg).await;
    delete(&p, "aws_vpc", &vpc).await;
}

// ---------------------------------------------------------------------------------------------
// aws_vpc_security_group_ingress_rule / aws_vpc_security_group_egress_rule

async fn live_rule(id: &str) -> Option<aws_sdk_ec2::types::SecurityGroupRule> {
    ec2()
        .await
        .describe_security_group_rules()
        .filters(Filter::builder().name("security-group-rule-id").values(id).build())
        .send()
        .await
        .expect("describe security group rules")
        .security_group_rules()
        .first()
        .cloned()
}

#[tokio::test]
async fn vpc_security_group_rules_lifecycle() {
    let p = provider().await;
    let vpc = new_vpc(&p, "10.62.0.0/16").await;
    let (sg, sg_cfg) = bare_group(&p, &id_of(&vpc)).await;
    let sg_id = id_of(&sg);
    let in_cfg = config(
        &p,
        "aws_vpc_security_group_ingress_rule",
        &[
            ("security_group_id", s(&sg_id)),
            ("ip_protocol", s("tcp")),
            ("from_port", Value::int(443)),
            ("to_port", Value::int(443)),
            ("cidr_ipv4", s("10.62.0.0/16")),
            ("description", s("https")),
            ("tags", tags(&[("Name", "https")])),
        ],
    );
    let out_cfg = config(
        &p,
        "aws_vpc_security_group_egress_rule",
        &[
            ("security_group_id", s(&sg_id)),
            ("ip_protocol", s("-1")),
            ("cidr_ipv4", s("0.0.0.0/0")),
        ],
    );
    let ingress = create(&p, "aws_vpc_security_group_ingress_rule", in_cfg.clone()).await;
    let egress = create(&p, "aws_vpc_security_group_egress_rule", out_cfg.clone()).await;
    let in_id = id_of(&ingress);
    assert!(in_id.starts_with("sgr-"), "{in_id}");
    assert_eq!(ingress.get("security_group_rule_id"), &s(&in_id));
    assert!(
        ingress
            .get("arn")
            .as_str()
            .is_some_and(|a| a.ends_with(&format!("security-group-rule/{in_id}")))
    );
    let live = live_rule(&in_id).await.expect("the rule exists");
    assert_eq!(live.is_egress(), Some(false));
    assert_eq!(live.group_id(), Some(sg_id.as_str()));
    assert_eq!((live.from_port(), live.to_port()), (Some(443), Some(443)));
    assert_eq!(live.cidr_ipv4(), Some("10.62.0.0/16"));
    assert_eq!(live.description(), Some("https"));
    assert_eq!(sdk_tags(live.tags()), pairs(&[("Name", "https")]));
    let live_out = live_rule(&id_of(&egress)).await.expect("the egress rule exists");
    assert_eq!(live_out.is_egress(), Some(true));
    assert_eq!(
        egress.get("from_port"),
        &Value::Null,
        "all protocols: no ports, as Terraform"
    );

    let fresh = assert_clean(&p, "aws_vpc_security_group_ingress_rule", &ingress, &in_cfg).await;
    assert_clean(&p, "aws_vpc_security_group_egress_rule", &egress, &out_cfg).await;
    // The group leaves both alone.
    assert_clean(&p, "aws_security_group", &sg, &sg_cfg).await;

    // Out of band: the port range and description change. Refresh sees it; an in-place update
    // (ModifySecurityGroupRules) repairs it.
    ec2()
        .await
        .modify_security_group_rules()
        .group_id(&sg_id)
        .security_group_rules(
            SecurityGroupRuleUpdate::builder()
                .security_group_rule_id(&in_id)
                .security_group_rule(
                    SecurityGroupRuleRequest::builder()
                        .ip_protocol("tcp")
                        .from_port(8443)
                        .to_port(8443)
                        .cidr_ipv4("10.62.0.0/16")
                        .description("by hand")
                        .build(),
                )
                .build(),
        )
        .send()
        .await
        .expect("modify");
    let drifted = read(&p, "aws_vpc_security_group_ingress_rule", &fresh)
        .await
        .expect("there");
    assert_eq!(drifted.get("from_port").as_i64(), Some(8443));
    assert_eq!(drifted.get("description"), &s("by hand"));
    let repaired = update(&p, "aws_vpc_security_group_ingress_rule", &drifted, &in_cfg).await;
    assert_eq!(repaired.get("id"), &s(&in_id), "in place: the same rule");
    let live = live_rule(&in_id).await.expect("there");
    assert_eq!((live.from_port(), live.description()), (Some(443), Some("https")));

    // Retag in place.
    let mut retag = in_cfg.clone();
    if let Value::Map(m) = &mut retag {
        m.insert("tags".into(), tags(&[("Name", "https"), ("team", "ml")]));
    }
    update(&p, "aws_vpc_security_group_ingress_rule", &repaired, &retag).await;
    let live = live_rule(&in_id).await.expect("there");
    assert_eq!(sdk_tags(live.tags()), pairs(&[("Name", "https"), ("team", "ml")]));

    // Import by rule id; the other direction's type refuses it.
    let imported = import(&p, "aws_vpc_security_group_ingress_rule", &in_id).await;
    assert_eq!(imported.get("cidr_ipv4"), &s("10.62.0.0/16"));
    assert_eq!(imported.get("security_group_id"), &s(&sg_id));
    let wrong = p
        .import(ImportRequest {
            type_name: "aws_vpc_security_group_egress_rule".into(),
            address: "aws_vpc_security_group_egress_rule.x".into(),
            id: in_id.clone(),
        })
        .await;
    assert!(wrong.is_err(), "an ingress rule is not an egress rule");

    // Destroy: gone; refresh after that reads nothing; deleting again is fine.
    delete(&p, "aws_vpc_security_group_ingress_rule", &repaired).await;
    delete(&p, "aws_vpc_security_group_egress_rule", &egress).await;
    assert!(live_rule(&in_id).await.is_none());
    assert!(
        read(&p, "aws_vpc_security_group_ingress_rule", &repaired)
            .await
            .is_none()
    );
    delete(&p, "aws_vpc_security_group_ingress_rule", &repaired).await;
    delete(&p, "aws_security_group", &sg).await;
    delete(&p, "aws_vpc", &vpc).await;
}

// ---------------------------------------------------------------------------------------------
// aws_security_group: ingress/egress computed when omitted

#[tokio::test]
async fn a_group_without_inline_rules_and_two_rule_resources_replans_clean() {
    let p = provider().await;
    let vpc = new_vpc(&p, "10.63.0.0/16").await;
    let (sg, sg_cfg) = bare_group(&p, &id_of(&vpc)).await;
    let sg_id = id_of(&sg);
    let a = create(
        &p,
        "aws_vpc_security_group_ingress_rule",
        config(
            &p,
            "aws_vpc_security_group_ingress_rule",
            &[
                ("security_group_id", s(&sg_id)),
                ("ip_protocol", s("tcp")),
                ("from_port", Value::int(22)),
                ("to_port", Value::int(22)),
                ("cidr_ipv4", s("10.63.0.0/16")),
            ],
        ),
    )
    .await;
    let b = create(
        &p,
        "aws_security_group_rule",
        config(
            &p,
            "aws_security_group_rule",
            &[
                ("type", s("egress")),
                ("security_group_id", s(&sg_id)),
                ("protocol", s("tcp")),
                ("from_port", Value::int(443)),
                ("to_port", Value::int(443)),
                ("cidr_blocks", Value::List(vec![s("0.0.0.0/0")])),
            ],
        ),
    )
    .await;
    // The refreshed group shows both rules, and its plan keeps them: no change.
    let fresh = assert_clean(&p, "aws_security_group", &sg, &sg_cfg).await;
    assert_eq!(fresh.get("ingress").as_list().map(Vec::len), Some(1));
    assert_eq!(fresh.get("egress").as_list().map(Vec::len), Some(1));
    // An update of something else (a tag) leaves the rules alone.
    let mut tagged = sg_cfg.clone();
    if let Value::Map(m) = &mut tagged {
        m.insert("tags".into(), tags(&[("Name", "ml")]));
    }
    update(&p, "aws_security_group", &fresh, &tagged).await;
    let live = live_group(&sg_id).await;
    assert_eq!(v4(live.ip_permissions()), vec![e("tcp", 22, 22, "10.63.0.0/16", "")]);
    assert_eq!(
        v4(live.ip_permissions_egress()),
        vec![e("tcp", 443, 443, "0.0.0.0/0", "")]
    );

    // `ingress = []` (zero blocks, written as an argument) asks for no ingress rules at all.
    let none = config(
        &p,
        "aws_security_group",
        &[
            ("vpc_id", s(&id_of(&vpc))),
            ("ingress", Value::List(vec![])),
            ("egress", Value::Null),
            ("tags", tags(&[("Name", "ml")])),
        ],
    );
    let fresh = read(&p, "aws_security_group", &sg).await.expect("there");
    let resp = plan(&p, "aws_security_group", &fresh, &none).await;
    assert_eq!(plan_changes(&resp, &fresh), vec!["ingress".to_string()]);
    update(&p, "aws_security_group", &fresh, &none).await;
    let live = live_group(&sg_id).await;
    assert!(
        live.ip_permissions().is_empty(),
        "ingress = [] revokes: {:?}",
        live.ip_permissions()
    );
    assert_eq!(v4(live.ip_permissions_egress()).len(), 1, "egress left alone");

    delete(&p, "aws_security_group_rule", &b).await;
    delete(&p, "aws_vpc_security_group_ingress_rule", &a).await;
    delete(&p, "aws_security_group", &sg).await;
    delete(&p, "aws_vpc", &vpc).await;
}

#[tokio::test]
async fn a_group_with_inline_rules_sees_a_hand_added_rule_as_drift() {
    let p = provider().await;
    let vpc = new_vpc(&p, "10.64.0.0/16").await;
    let block = Value::object([
        ("protocol", s("tcp")),
        ("from_port", Value::int(22)),
        ("to_port", Value::int(22)),
        ("cidr_blocks", strs(&["10.64.0.0/16"])),
        ("ipv6_cidr_blocks", Value::Null),
        ("security_groups", Value::Null),
        ("prefix_list_ids", Value::Null),
        ("self", Value::Null),
        ("description", Value::Null),
    ]);
    let cfg = config(
        &p,
        "aws_security_group",
        &[
            ("vpc_id", s(&id_of(&vpc))),
            ("ingress", Value::List(vec![block])),
            ("egress", Value::Null),
        ],
    );
    let sg = create(&p, "aws_security_group", cfg.clone()).await;
    let sg_id = id_of(&sg);
    let fresh = assert_clean(&p, "aws_security_group", &sg, &cfg).await;
    ec2()
        .await
        .authorize_security_group_ingress()
        .group_id(&sg_id)
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
        .expect("authorize");
    let drifted = read(&p, "aws_security_group", &fresh).await.expect("there");
    assert_eq!(drifted.get("ingress").as_list().map(Vec::len), Some(2));
    let resp = plan(&p, "aws_security_group", &drifted, &cfg).await;
    assert_eq!(plan_changes(&resp, &drifted), vec!["ingress".to_string()]);
    update(&p, "aws_security_group", &drifted, &cfg).await;
    assert_eq!(
        v4(live_group(&sg_id).await.ip_permissions()),
        vec![e("tcp", 22, 22, "10.64.0.0/16", "")]
    );
    delete(&p, "aws_security_group", &sg).await;
    delete(&p, "aws_vpc", &vpc).await;
}

// ---------------------------------------------------------------------------------------------
// aws_default_security_group

#[tokio::test]
async fn default_security_group_is_adopted_locked_down_and_forgotten() {
    let p = provider().await;
    let vpc = new_vpc(&p, "10.65.0.0/16").await;
    let vpc_id = id_of(&vpc);
    let default_id = ec2()
        .await
        .describe_security_groups()
        .filters(Filter::builder().name("vpc-id").values(&vpc_id).build())
        .filters(Filter::builder().name("group-name").values("default").build())
        .send()
        .await
        .expect("describe")
        .security_groups()
        .first()
        .and_then(|g| g.group_id())
        .expect("a new VPC has a default group")
        .to_string();
    assert!(
        !live_group(&default_id).await.ip_permissions_egress().is_empty(),
        "AWS's default group allows all egress to begin with"
    );

    // No blocks: adoption revokes every rule.
    let cfg = config(
        &p,
        "aws_default_security_group",
        &[
            ("vpc_id", s(&vpc_id)),
            ("ingress", Value::Null),
            ("egress", Value::Null),
            ("tags", tags(&[("Name", "locked")])),
        ],
    );
    let state = create(&p, "aws_default_security_group", cfg.clone()).await;
    assert_eq!(id_of(&state), default_id);
    assert_eq!(state.get("name"), &s("default"));
    let live = live_group(&default_id).await;
    assert!(live.ip_permissions().is_empty() && live.ip_permissions_egress().is_empty());
    assert_eq!(sdk_tags(live.tags()), pairs(&[("Name", "locked")]));
    let fresh = assert_clean(&p, "aws_default_security_group", &state, &cfg).await;

    // Declared blocks are managed: a rule added by hand is drift, and is removed.
    let block = Value::object([
        ("protocol", s("tcp")),
        ("from_port", Value::int(443)),
        ("to_port", Value::int(443)),
        ("cidr_blocks", strs(&["10.65.0.0/16"])),
        ("ipv6_cidr_blocks", Value::Null),
        ("security_groups", Value::Null),
        ("prefix_list_ids", Value::Null),
        ("self", Value::Null),
        ("description", Value::Null),
    ]);
    let mut declared = cfg.clone();
    if let Value::Map(m) = &mut declared {
        m.insert("ingress".into(), Value::List(vec![block]));
    }
    let updated = update(&p, "aws_default_security_group", &fresh, &declared).await;
    assert_eq!(
        v4(live_group(&default_id).await.ip_permissions()),
        vec![e("tcp", 443, 443, "10.65.0.0/16", "")]
    );
    ec2()
        .await
        .authorize_security_group_ingress()
        .group_id(&default_id)
        .ip_permissions(
            IpPermission::builder()
                .ip_protocol("tcp")
                .from_port(22)
                .to_port(22)
                .ip_ranges(IpRange::builder().cidr_ip("0.0.0.0/0").build())
                .build(),
        )
        .send()
        .await
        .expect("authorize");
    let drifted = read(&p, "aws_default_security_group", &updated).await.expect("there");
    let resp = plan(&p, "aws_default_security_group", &drifted, &declared).await;
    assert_eq!(plan_changes(&resp, &drifted), vec!["ingress".to_string()]);
    let repaired = update(&p, "aws_default_security_group", &drifted, &declared).await;
    assert_eq!(v4(live_group(&default_id).await.ip_permissions()).len(), 1);

    // Import by id; a group that is not a default group is refused.
    let imported = import(&p, "aws_default_security_group", &default_id).await;
    assert_eq!(imported.get("vpc_id"), &s(&vpc_id));
    let (other, _) = bare_group(&p, &vpc_id).await;
    let refused = p
        .import(ImportRequest {
            type_name: "aws_default_security_group".into(),
            address: "aws_default_security_group.x".into(),
            id: id_of(&other),
        })
        .await;
    assert!(refused.is_err());

    // Destroy forgets: the group is still there.
    delete(&p, "aws_default_security_group", &repaired).await;
    assert_eq!(live_group(&default_id).await.group_id(), Some(default_id.as_str()));
    delete(&p, "aws_security_group", &other).await;
    delete(&p, "aws_vpc", &vpc).await;
}
