//! The network ACL types against moto: aws_network_acl, aws_network_acl_rule,
//! aws_network_acl_association and aws_default_network_acl — each created, checked with our own
//! EC2 client (not the provider's read code), changed out of band and seen as drift, imported and
//! destroyed.

mod common;

use aws_sdk_ec2::types::{Filter, NetworkAcl, RuleAction};
use common::ec2::*;
use common::*;
use plinth_aws::AwsProvider;
use plinth_sdk::{ImportRequest, Provider, Value};

/// An ACL with its entries left out (the engine sends null for blocks computed when omitted).
fn bare_acl(p: &AwsProvider, vpc: &str) -> Value {
    config(
        p,
        "aws_network_acl",
        &[("vpc_id", s(vpc)), ("ingress", Value::Null), ("egress", Value::Null)],
    )
}

async fn live_acls(filters: Vec<Filter>) -> Vec<NetworkAcl> {
    ec2()
        .await
        .describe_network_acls()
        .set_filters(Some(filters))
        .send()
        .await
        .expect("describe network ACLs")
        .network_acls()
        .to_vec()
}

/// The live ACL `id`; moto has no `network-acl-id` filter, so it is picked from its VPC's.
async fn live_acl(vpc: &str, id: &str) -> Option<NetworkAcl> {
    live_acls(vec![filter("vpc-id", vpc)])
        .await
        .into_iter()
        .find(|a| a.network_acl_id() == Some(id))
}

async fn default_acl(vpc: &str) -> NetworkAcl {
    live_acls(vec![filter("vpc-id", vpc), filter("default", "true")])
        .await
        .into_iter()
        .next()
        .expect("a VPC has a default network ACL")
}

/// The id of the ACL `subnet` is on.
async fn acl_of_subnet(subnet: &str) -> String {
    live_acls(vec![filter("association.subnet-id", subnet)])
        .await
        .first()
        .and_then(|a| a.network_acl_id())
        .expect("a subnet is on an ACL")
        .to_string()
}

/// (egress, rule number, protocol, action, cidr) of every entry but AWS's catch-all ones, sorted.
fn entries(a: &NetworkAcl) -> Vec<(bool, i32, String, String, String)> {
    let mut out: Vec<_> = a
        .entries()
        .iter()
        .filter(|e| e.rule_number().is_some_and(|n| n < 32767))
        .map(|e| {
            (
                e.egress().unwrap_or_default(),
                e.rule_number().unwrap_or_default(),
                e.protocol().unwrap_or_default().to_string(),
                e.rule_action().map(|a| a.as_str().to_string()).unwrap_or_default(),
                e.cidr_block().or(e.ipv6_cidr_block()).unwrap_or_default().to_string(),
            )
        })
        .collect();
    out.sort();
    out
}

fn entry(e: (bool, i32, &str, &str, &str)) -> (bool, i32, String, String, String) {
    (e.0, e.1, e.2.into(), e.3.into(), e.4.into())
}

/// An `ingress`/`egress` block.
fn rule(no: i64, action: &str, protocol: &str, ports: (i64, i64), cidr: &str) -> Value {
    let v6 = cidr.contains(':');
    Value::object([
        ("rule_no", Value::int(no)),
        ("action", s(action)),
        ("protocol", s(protocol)),
        ("from_port", Value::int(ports.0)),
        ("to_port", Value::int(ports.1)),
        ("cidr_block", if v6 { Value::Null } else { s(cidr) }),
        ("ipv6_cidr_block", if v6 { s(cidr) } else { Value::Null }),
        ("icmp_type", Value::Null),
        ("icmp_code", Value::Null),
    ])
}

/// An ICMP `ingress`/`egress` block.
fn icmp_rule(no: i64, protocol: &str, (t, c): (i64, i64), cidr: &str) -> Value {
    let mut b = rule(no, "allow", protocol, (0, 0), cidr);
    if let Value::Map(m) = &mut b {
        m.insert("icmp_type".into(), Value::int(t));
        m.insert("icmp_code".into(), Value::int(c));
    }
    b
}

/// Blocks as the engine orders a set.
fn set(mut blocks: Vec<Value>) -> Value {
    blocks.sort_by_key(|v| v.to_json().to_string());
    Value::List(blocks)
}

async fn add_entry(acl: &str, egress: bool, no: i32, action: RuleAction, cidr: &str) {
    ec2()
        .await
        .create_network_acl_entry()
        .network_acl_id(acl)
        .egress(egress)
        .rule_number(no)
        .protocol("-1")
        .rule_action(action)
        .cidr_block(cidr)
        .send()
        .await
        .expect("create entry");
}

// ---------------------------------------------------------------------------------------------
// aws_network_acl

#[tokio::test]
async fn network_acl_lifecycle() {
    let p = provider().await;
    let vpc = new_vpc(&p, "10.80.0.0/16").await;
    let vpc_id = id_of(&vpc);
    let a = new_subnet(&p, &vpc_id, "10.80.1.0/24").await;
    let b = new_subnet(&p, &vpc_id, "10.80.2.0/24").await;
    let (a_id, b_id) = (id_of(&a), id_of(&b));
    let default_id = default_acl(&vpc_id).await.network_acl_id().expect("an id").to_string();

    let ingress = set(vec![
        rule(100, "allow", "tcp", (443, 443), "0.0.0.0/0"),
        rule(200, "deny", "all", (0, 0), "10.0.0.0/8"),
    ]);
    let egress = set(vec![rule(100, "allow", "-1", (0, 0), "0.0.0.0/0")]);
    let cfg = config(
        &p,
        "aws_network_acl",
        &[
            ("vpc_id", s(&vpc_id)),
            ("subnet_ids", strs(&[&a_id])),
            ("ingress", ingress.clone()),
            ("egress", egress.clone()),
            ("tags", tags(&[("Name", "private")])),
        ],
    );
    // Protocol, action, rule number and the ports of "all" are checked before any call.
    let mut bad = cfg.clone();
    if let Value::Map(m) = &mut bad {
        m.insert(
            "ingress".into(),
            Value::List(vec![
                rule(0, "maybe", "tcpx", (0, 0), "0.0.0.0/0"),
                rule(10, "allow", "-1", (1, 2), "0.0.0.0/0"),
            ]),
        );
    }
    assert_eq!(
        validate(&p, "aws_network_acl", &bad),
        vec![
            "Invalid ingress protocol",
            "Invalid ingress action",
            "Invalid ingress rule_no",
            "Invalid ingress ports"
        ]
    );

    let state = create(&p, "aws_network_acl", cfg.clone()).await;
    let id = id_of(&state);
    assert!(id.starts_with("acl-"), "{id}");
    assert_eq!(state.get("ingress"), &ingress, "written spelling kept");
    let live = live_acl(&vpc_id, &id).await.expect("the ACL exists");
    assert_eq!(
        entries(&live),
        vec![
            entry((false, 100, "6", "allow", "0.0.0.0/0")),
            entry((false, 200, "-1", "deny", "10.0.0.0/8")),
            entry((true, 100, "-1", "allow", "0.0.0.0/0")),
        ]
    );
    assert_eq!(sdk_tags(live.tags()), pairs(&[("Name", "private")]));
    assert_eq!(acl_of_subnet(&a_id).await, id);
    assert_eq!(acl_of_subnet(&b_id).await, default_id);
    let fresh = assert_clean(&p, "aws_network_acl", &state, &cfg).await;

    // Out of band: an entry added, one changed, a tag changed: all drift, all repaired.
    add_entry(&id, false, 300, RuleAction::Allow, "192.168.0.0/16").await;
    ec2()
        .await
        .replace_network_acl_entry()
        .network_acl_id(&id)
        .egress(true)
        .rule_number(100)
        .protocol("-1")
        .rule_action(RuleAction::Deny)
        .cidr_block("0.0.0.0/0")
        .send()
        .await
        .expect("replace entry");
    retag(&id, "Name", "other").await;
    let drifted = read(&p, "aws_network_acl", &fresh).await.expect("there");
    let resp = plan(&p, "aws_network_acl", &drifted, &cfg).await;
    assert_eq!(
        plan_changes(&resp, &drifted),
        vec!["egress", "ingress", "tags", "tags_all"]
    );
    let repaired = update(&p, "aws_network_acl", &drifted, &cfg).await;
    let live = live_acl(&vpc_id, &id).await.expect("there");
    assert_eq!(entries(&live).len(), 3);
    assert!(entries(&live).contains(&entry((true, 100, "-1", "allow", "0.0.0.0/0"))));
    assert_eq!(sdk_tags(live.tags()), pairs(&[("Name", "private")]));
    let repaired = assert_clean(&p, "aws_network_acl", &repaired, &cfg).await;

    // The subnets move: a leaves for the default ACL, b comes.
    let mut moved = cfg.clone();
    if let Value::Map(m) = &mut moved {
        m.insert("subnet_ids".into(), strs(&[&b_id]));
    }
    let moved_state = update(&p, "aws_network_acl", &repaired, &moved).await;
    assert_eq!(acl_of_subnet(&a_id).await, default_id);
    assert_eq!(acl_of_subnet(&b_id).await, id);
    let moved_state = assert_clean(&p, "aws_network_acl", &moved_state, &moved).await;

    // Import: the protocol comes back as its number, which plans as no change for "tcp".
    let imported = import(&p, "aws_network_acl", &id).await;
    for k in ["id", "vpc_id", "subnet_ids", "tags", "egress"] {
        assert_eq!(imported.get(k), moved_state.get(k), "imported {k}");
    }
    assert!(imported.get("ingress").to_string().contains("\"6\""), "{imported}");
    assert_clean(&p, "aws_network_acl", &imported, &moved).await;
    let refused = p
        .import(ImportRequest {
            type_name: "aws_network_acl".into(),
            address: "aws_network_acl.x".into(),
            id: default_id.clone(),
        })
        .await;
    assert!(refused.is_err(), "the default ACL is aws_default_network_acl's");

    // Destroy puts the subnets back on the default ACL and deletes the ACL.
    delete(&p, "aws_network_acl", &moved_state).await;
    assert!(live_acl(&vpc_id, &id).await.is_none());
    assert_eq!(acl_of_subnet(&b_id).await, default_id);
    assert!(read(&p, "aws_network_acl", &moved_state).await.is_none());
    for sn in [&a, &b] {
        delete(&p, "aws_subnet", sn).await;
    }
    delete(&p, "aws_vpc", &vpc).await;
}

/// ICMP entries keep their type and code (-1: all).
#[tokio::test]
#[ignore = "moto 5.2: CreateNetworkAclEntry drops the ICMP type and code (it reads Icmp.Type, not the parsed \
            IcmpTypeCode), so DescribeNetworkAcls shows none and the entry reads as changed"]
async fn network_acl_icmp_entries_round_trip() {
    let p = provider().await;
    let vpc = new_vpc(&p, "10.84.0.0/16").await;
    let vpc_id = id_of(&vpc);
    let cfg = config(
        &p,
        "aws_network_acl",
        &[
            ("vpc_id", s(&vpc_id)),
            ("ingress", set(vec![icmp_rule(100, "icmp", (-1, -1), "10.0.0.0/8")])),
            ("egress", set(vec![icmp_rule(100, "ipv6-icmp", (128, 0), "::/0")])),
        ],
    );
    let state = create(&p, "aws_network_acl", cfg.clone()).await;
    let live = live_acl(&vpc_id, &id_of(&state)).await.expect("the ACL");
    let icmp: Vec<(i32, i32)> = live
        .entries()
        .iter()
        .filter_map(|e| e.icmp_type_code())
        .map(|i| (i.r#type().unwrap_or_default(), i.code().unwrap_or_default()))
        .collect();
    assert_eq!(icmp.len(), 2, "{live:?}");
    assert_clean(&p, "aws_network_acl", &state, &cfg).await;
    delete(&p, "aws_network_acl", &state).await;
    delete(&p, "aws_vpc", &vpc).await;
}

// ---------------------------------------------------------------------------------------------
// aws_network_acl_rule

#[tokio::test]
async fn network_acl_rule_lifecycle() {
    let p = provider().await;
    let vpc = new_vpc(&p, "10.81.0.0/16").await;
    let vpc_id = id_of(&vpc);
    let acl = create(&p, "aws_network_acl", bare_acl(&p, &vpc_id)).await;
    let acl_id = id_of(&acl);
    let cfg = config(
        &p,
        "aws_network_acl_rule",
        &[
            ("network_acl_id", s(&acl_id)),
            ("rule_number", Value::int(100)),
            ("protocol", s("tcp")),
            ("rule_action", s("allow")),
            ("cidr_block", s("10.0.0.0/8")),
            ("from_port", Value::int(22)),
            ("to_port", Value::int(22)),
        ],
    );
    let mut bad = cfg.clone();
    if let Value::Map(m) = &mut bad {
        m.insert("ipv6_cidr_block".into(), s("::/0"));
        m.insert("rule_action".into(), s("permit"));
    }
    assert_eq!(
        validate(&p, "aws_network_acl_rule", &bad),
        vec!["Invalid rule_action", "Exactly one of cidr_block and ipv6_cidr_block"]
    );

    let state = create(&p, "aws_network_acl_rule", cfg.clone()).await;
    let id = id_of(&state);
    assert_eq!(
        id,
        format!(
            "nacl-{}",
            crc32fast::hash(format!("{acl_id}-100-false-tcp-").as_bytes())
        )
    );
    assert_eq!(state.get("egress"), &Value::Bool(false));
    assert_eq!(state.get("protocol"), &s("tcp"));
    let live = live_acl(&vpc_id, &acl_id).await.expect("the ACL");
    assert_eq!(entries(&live), vec![entry((false, 100, "6", "allow", "10.0.0.0/8"))]);
    let fresh = assert_clean(&p, "aws_network_acl_rule", &state, &cfg).await;

    // The ACL's own state leaves the rule alone (its blocks are computed when omitted).
    assert_clean(&p, "aws_network_acl", &acl, &bare_acl(&p, &vpc_id)).await;

    // A second rule: one refresh reads both through their one ACL.
    let cfg2 = config(
        &p,
        "aws_network_acl_rule",
        &[
            ("network_acl_id", s(&acl_id)),
            ("rule_number", Value::int(110)),
            ("egress", Value::Bool(true)),
            ("protocol", s("-1")),
            ("rule_action", s("deny")),
            ("ipv6_cidr_block", s("::/0")),
        ],
    );
    let second = create(&p, "aws_network_acl_rule", cfg2.clone()).await;
    assert_clean(&p, "aws_network_acl_rule", &second, &cfg2).await;
    let before = p.call_count();
    let both = p
        .read(read_request(
            "aws_network_acl_rule",
            "r",
            &[fresh.clone(), second.clone()],
        ))
        .await
        .expect("read");
    assert!(both.states.iter().all(Option::is_some));
    assert_eq!(p.call_count() - before, 1, "one DescribeNetworkAcls for both");

    // Out of band, the entry changes: the plan replaces the rule.
    ec2()
        .await
        .replace_network_acl_entry()
        .network_acl_id(&acl_id)
        .egress(false)
        .rule_number(100)
        .protocol("6")
        .rule_action(RuleAction::Deny)
        .cidr_block("10.0.0.0/8")
        .port_range(aws_sdk_ec2::types::PortRange::builder().from(22).to(22).build())
        .send()
        .await
        .expect("replace entry");
    let drifted = read(&p, "aws_network_acl_rule", &fresh).await.expect("there");
    assert_eq!(drifted.get("rule_action"), &s("deny"));
    let resp = plan(&p, "aws_network_acl_rule", &drifted, &cfg).await;
    assert_eq!(resp.requires_replace.len(), 1, "{:?}", resp.requires_replace);

    // Import by Terraform's id; a number for the protocol plans as no change against "tcp".
    let imported = import(&p, "aws_network_acl_rule", &format!("{acl_id}:100:6:false")).await;
    assert_eq!(imported.get("rule_number"), &Value::int(100));
    assert_eq!(imported.get("protocol"), &s("6"));
    assert_eq!(
        id_of(&imported),
        format!("nacl-{}", crc32fast::hash(format!("{acl_id}-100-false-6-").as_bytes()))
    );
    let mut deny = cfg.clone();
    if let Value::Map(m) = &mut deny {
        m.insert("rule_action".into(), s("deny"));
    }
    let resp = plan(&p, "aws_network_acl_rule", &imported, &deny).await;
    assert!(resp.requires_replace.is_empty(), "{:?}", resp.requires_replace);
    assert!(
        p.import(ImportRequest {
            type_name: "aws_network_acl_rule".into(),
            address: "aws_network_acl_rule.x".into(),
            id: format!("{acl_id}:100:tcp"),
        })
        .await
        .is_err()
    );

    // Destroy; a rule deleted out of band reads as gone.
    delete(&p, "aws_network_acl_rule", &drifted).await;
    assert!(read(&p, "aws_network_acl_rule", &drifted).await.is_none());
    ec2()
        .await
        .delete_network_acl_entry()
        .network_acl_id(&acl_id)
        .egress(true)
        .rule_number(110)
        .send()
        .await
        .expect("delete entry");
    assert!(read(&p, "aws_network_acl_rule", &second).await.is_none());
    delete(&p, "aws_network_acl_rule", &second).await;
    assert!(entries(&live_acl(&vpc_id, &acl_id).await.expect("the ACL")).is_empty());
    delete(&p, "aws_network_acl", &acl).await;
    delete(&p, "aws_vpc", &vpc).await;
}

// ---------------------------------------------------------------------------------------------
// aws_network_acl_association

#[tokio::test]
async fn network_acl_association_lifecycle() {
    let p = provider().await;
    let vpc = new_vpc(&p, "10.82.0.0/16").await;
    let vpc_id = id_of(&vpc);
    let subnet = new_subnet(&p, &vpc_id, "10.82.1.0/24").await;
    let subnet_id = id_of(&subnet);
    let default_id = default_acl(&vpc_id).await.network_acl_id().expect("an id").to_string();
    let acl = create(&p, "aws_network_acl", bare_acl(&p, &vpc_id)).await;
    let acl_id = id_of(&acl);
    let cfg = config(
        &p,
        "aws_network_acl_association",
        &[("network_acl_id", s(&acl_id)), ("subnet_id", s(&subnet_id))],
    );
    let state = create(&p, "aws_network_acl_association", cfg.clone()).await;
    let id = id_of(&state);
    assert!(id.starts_with("aclassoc-"), "{id}");
    assert_eq!(acl_of_subnet(&subnet_id).await, acl_id);
    let fresh = assert_clean(&p, "aws_network_acl_association", &state, &cfg).await;

    let imported = import(&p, "aws_network_acl_association", &id).await;
    assert_eq!(imported, fresh);

    // Destroy puts the subnet back on the default ACL.
    delete(&p, "aws_network_acl_association", &fresh).await;
    assert_eq!(acl_of_subnet(&subnet_id).await, default_id);
    assert!(read(&p, "aws_network_acl_association", &fresh).await.is_none());

    // Out of band, the subnet is moved back: the association is gone (drift: create again).
    let again = create(&p, "aws_network_acl_association", cfg.clone()).await;
    let assoc = id_of(&again);
    ec2()
        .await
        .replace_network_acl_association()
        .association_id(&assoc)
        .network_acl_id(&default_id)
        .send()
        .await
        .expect("move back");
    assert!(read(&p, "aws_network_acl_association", &again).await.is_none());
    delete(&p, "aws_network_acl_association", &again).await;

    delete(&p, "aws_network_acl", &acl).await;
    delete(&p, "aws_subnet", &subnet).await;
    delete(&p, "aws_vpc", &vpc).await;
}

// ---------------------------------------------------------------------------------------------
// aws_default_network_acl

#[tokio::test]
async fn default_network_acl_is_adopted_managed_and_forgotten() {
    let p = provider().await;
    let vpc = new_vpc(&p, "10.83.0.0/16").await;
    let vpc_id = id_of(&vpc);
    let subnet = new_subnet(&p, &vpc_id, "10.83.1.0/24").await;
    let subnet_id = id_of(&subnet);
    let default = default_acl(&vpc_id).await;
    let id = default.network_acl_id().expect("an id").to_string();
    // AWS's defaults: allow all, both ways.
    assert_eq!(entries(&default).len(), 2);

    let ingress = set(vec![rule(100, "allow", "tcp", (22, 22), "10.0.0.0/8")]);
    let cfg = config(
        &p,
        "aws_default_network_acl",
        &[
            ("default_network_acl_id", s(&id)),
            ("subnet_ids", strs(&[&subnet_id])),
            ("ingress", ingress.clone()),
            ("tags", tags(&[("Name", "default")])),
        ],
    );
    let state = create(&p, "aws_default_network_acl", cfg.clone()).await;
    assert_eq!(id_of(&state), id);
    assert_eq!(state.get("vpc_id"), &s(&vpc_id));
    let live = default_acl(&vpc_id).await;
    // Adoption deleted the allow-all entries; no egress block: no egress entries.
    assert_eq!(entries(&live), vec![entry((false, 100, "6", "allow", "10.0.0.0/8"))]);
    assert_eq!(sdk_tags(live.tags()), pairs(&[("Name", "default")]));
    let fresh = assert_clean(&p, "aws_default_network_acl", &state, &cfg).await;

    // Out of band: an egress entry added: drift, repaired.
    add_entry(&id, true, 100, RuleAction::Allow, "0.0.0.0/0").await;
    let drifted = read(&p, "aws_default_network_acl", &fresh).await.expect("there");
    let resp = plan(&p, "aws_default_network_acl", &drifted, &cfg).await;
    assert_eq!(plan_changes(&resp, &drifted), vec!["egress"]);
    let repaired = update(&p, "aws_default_network_acl", &drifted, &cfg).await;
    assert_eq!(entries(&default_acl(&vpc_id).await).len(), 1);
    let repaired = assert_clean(&p, "aws_default_network_acl", &repaired, &cfg).await;

    // Import with the ACL id; a non-default ACL is refused, and cannot be adopted.
    let imported = import(&p, "aws_default_network_acl", &id).await;
    for k in ["id", "default_network_acl_id", "vpc_id", "subnet_ids", "tags"] {
        assert_eq!(imported.get(k), repaired.get(k), "imported {k}");
    }
    assert_clean(&p, "aws_default_network_acl", &imported, &cfg).await;
    let other = create(&p, "aws_network_acl", bare_acl(&p, &vpc_id)).await;
    let refused = p
        .import(ImportRequest {
            type_name: "aws_default_network_acl".into(),
            address: "aws_default_network_acl.x".into(),
            id: id_of(&other),
        })
        .await;
    assert!(refused.is_err());
    delete(&p, "aws_network_acl", &other).await;

    // Destroy forgets: the ACL stays with its entry.
    delete(&p, "aws_default_network_acl", &repaired).await;
    assert_eq!(entries(&default_acl(&vpc_id).await).len(), 1);
    delete(&p, "aws_subnet", &subnet).await;
    delete(&p, "aws_vpc", &vpc).await;
}
