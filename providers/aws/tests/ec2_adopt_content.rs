//! The EC2 objects whose identity is their content (a route, a security group rule of both
//! kinds, a network ACL rule, a route table association, a VPN gateway attachment, a secondary
//! VPC range) against moto, as a create interrupted
//! after its call leaves them: the object is made first with our own EC2 client (the crashed
//! create), then the provider's create of it, with a state lineage, adopts it when its parent
//! (route table, group, ACL, gateway, VPC) carries that lineage — one object, checked with our own client —
//! and refuses it with the `plinth import` hint when the parent does not, or when the object
//! differs from the planned one.

mod common;

use aws_sdk_ec2::types::{IpPermission, IpRange, PortRange, RuleAction};
use common::ec2::*;
use common::*;
use plinth_aws::AwsProvider;
use plinth_sdk::{ApplyRequest, PlanRequest, Provider, ProviderError, Value};

/// Plans and creates `type_name` as `plinth apply` does for a state of `lineage` (empty: no
/// state), at the address `{type_name}.test`.
async fn create_in(
    p: &AwsProvider,
    lineage: &str,
    type_name: &str,
    given: &[(&str, Value)],
) -> Result<Value, ProviderError> {
    let cfg = config(p, type_name, given);
    let address = format!("{type_name}.test");
    let plan = p
        .plan(PlanRequest {
            type_name: type_name.into(),
            address: address.clone(),
            prior: None,
            config: cfg.clone(),
        })
        .await
        .expect("plan");
    let resp = p
        .apply(ApplyRequest {
            type_name: type_name.into(),
            address,
            prior: None,
            planned: Some(plan.planned),
            config: cfg,
            lineage: lineage.into(),
            replacing: None,
        })
        .await?;
    Ok(resp.new_state.expect("a state"))
}

/// The parents: a VPC (10.OCTET.0.0/16), subnet, internet gateway, route table, security group,
/// network ACL and VPN gateway,
/// made through the provider for a state of `lineage` (empty: untracked, no bookkeeping tags).
struct Parents {
    octet: u8,
    vpc: String,
    vgw: String,
    subnet: String,
    igw: String,
    table: String,
    group: String,
    acl: String,
}

async fn parents(p: &AwsProvider, lineage: &str, octet: u8) -> Parents {
    let (cidr, subnet_cidr) = (format!("10.{octet}.0.0/16"), format!("10.{octet}.1.0/24"));
    let made = |r: Result<Value, ProviderError>| id_of(&r.expect("parent created"));
    let vpc = made(create_in(p, lineage, "aws_vpc", &[("cidr_block", s(&cidr))]).await);
    let subnet = made(
        create_in(
            p,
            lineage,
            "aws_subnet",
            &[("vpc_id", s(&vpc)), ("cidr_block", s(&subnet_cidr))],
        )
        .await,
    );
    let igw = made(create_in(p, lineage, "aws_internet_gateway", &[("vpc_id", s(&vpc))]).await);
    let table = made(create_in(p, lineage, "aws_route_table", &[("vpc_id", s(&vpc))]).await);
    let group = made(create_in(p, lineage, "aws_security_group", &[("vpc_id", s(&vpc))]).await);
    let acl = made(create_in(p, lineage, "aws_network_acl", &[("vpc_id", s(&vpc))]).await);
    let vgw = made(create_in(p, lineage, "aws_vpn_gateway", &[]).await);
    Parents {
        octet,
        vpc,
        vgw,
        subnet,
        igw,
        table,
        group,
        acl,
    }
}

fn tcp(port: i32, cidr: &str) -> IpPermission {
    IpPermission::builder()
        .ip_protocol("tcp")
        .from_port(port)
        .to_port(port)
        .ip_ranges(IpRange::builder().cidr_ip(cidr).build())
        .build()
}

/// What a create interrupted after its call leaves, made with our own client: a route to the
/// gateway, three group rules, ACL entries 100 (allow) and 110 (deny), the VPN gateway's
/// attachment, the secondary range, and the subnet's association with the table (its id).
async fn crashed_creates(x: &Parents) -> String {
    let sdk = ec2().await;
    sdk.create_route()
        .route_table_id(&x.table)
        .destination_cidr_block("0.0.0.0/0")
        .gateway_id(&x.igw)
        .send()
        .await
        .expect("route");
    for (port, cidr) in [(443, "10.0.0.0/8"), (8443, "10.1.0.0/16")] {
        sdk.authorize_security_group_ingress()
            .group_id(&x.group)
            .ip_permissions(tcp(port, cidr))
            .send()
            .await
            .expect("ingress rule");
    }
    sdk.authorize_security_group_egress()
        .group_id(&x.group)
        .ip_permissions(tcp(5432, "10.2.0.0/16"))
        .send()
        .await
        .expect("egress rule");
    for (number, action) in [(100, RuleAction::Allow), (110, RuleAction::Deny)] {
        sdk.create_network_acl_entry()
            .network_acl_id(&x.acl)
            .rule_number(number)
            .protocol("6")
            .rule_action(action)
            .egress(false)
            .cidr_block("0.0.0.0/0")
            .port_range(PortRange::builder().from(80).to(80).build())
            .send()
            .await
            .expect("acl entry");
    }
    sdk.attach_vpn_gateway()
        .vpn_gateway_id(&x.vgw)
        .vpc_id(&x.vpc)
        .send()
        .await
        .expect("attachment");
    sdk.associate_vpc_cidr_block()
        .vpc_id(&x.vpc)
        .cidr_block(secondary(x))
        .send()
        .await
        .expect("secondary range");
    let assoc = sdk
        .associate_route_table()
        .route_table_id(&x.table)
        .subnet_id(&x.subnet)
        .send()
        .await
        .expect("association");
    assoc.association_id().expect("an association id").to_string()
}

/// The secondary range of the VPC: its primary's second octet plus 100.
fn secondary(x: &Parents) -> String {
    format!("10.{}.0.0/16", u16::from(x.octet) + 100)
}

/// The creates of the objects [`crashed_creates`] made, in order: type and arguments.
fn children(x: &Parents) -> Vec<(&'static str, Vec<(&'static str, Value)>)> {
    vec![
        (
            "aws_route",
            vec![
                ("route_table_id", s(&x.table)),
                ("destination_cidr_block", s("0.0.0.0/0")),
                ("gateway_id", s(&x.igw)),
            ],
        ),
        (
            "aws_security_group_rule",
            vec![
                ("type", s("ingress")),
                ("security_group_id", s(&x.group)),
                ("protocol", s("tcp")),
                ("from_port", Value::int(443)),
                ("to_port", Value::int(443)),
                ("cidr_blocks", strs(&["10.0.0.0/8"])),
            ],
        ),
        (
            "aws_vpc_security_group_ingress_rule",
            vec![
                ("security_group_id", s(&x.group)),
                ("ip_protocol", s("tcp")),
                ("from_port", Value::int(8443)),
                ("to_port", Value::int(8443)),
                ("cidr_ipv4", s("10.1.0.0/16")),
                ("tags", tags(&[("Name", "https-alt")])),
            ],
        ),
        (
            "aws_vpc_security_group_egress_rule",
            vec![
                ("security_group_id", s(&x.group)),
                ("ip_protocol", s("tcp")),
                ("from_port", Value::int(5432)),
                ("to_port", Value::int(5432)),
                ("cidr_ipv4", s("10.2.0.0/16")),
            ],
        ),
        (
            "aws_network_acl_rule",
            vec![
                ("network_acl_id", s(&x.acl)),
                ("rule_number", Value::int(100)),
                ("egress", Value::Bool(false)),
                ("protocol", s("tcp")),
                ("rule_action", s("allow")),
                ("cidr_block", s("0.0.0.0/0")),
                ("from_port", Value::int(80)),
                ("to_port", Value::int(80)),
            ],
        ),
        (
            "aws_route_table_association",
            vec![("route_table_id", s(&x.table)), ("subnet_id", s(&x.subnet))],
        ),
        (
            "aws_vpn_gateway_attachment",
            vec![("vpn_gateway_id", s(&x.vgw)), ("vpc_id", s(&x.vpc))],
        ),
        (
            "aws_vpc_ipv4_cidr_block_association",
            vec![("vpc_id", s(&x.vpc)), ("cidr_block", s(&secondary(x)))],
        ),
    ]
}

/// How many of each object our own client finds: routes to 0.0.0.0/0, group rules on the three
/// ports, ACL entries numbered 100, the subnet's associations with the table, the VPN gateway's
/// attachments to the VPC, the VPC's secondary ranges.
async fn counts(x: &Parents) -> Vec<usize> {
    let sdk = ec2().await;
    let tables = sdk
        .describe_route_tables()
        .filters(filter("route-table-id", &x.table))
        .send()
        .await
        .expect("tables");
    let table = &tables.route_tables()[0];
    let routes = table
        .routes()
        .iter()
        .filter(|r| r.destination_cidr_block() == Some("0.0.0.0/0"))
        .count();
    let assocs = table
        .associations()
        .iter()
        .filter(|a| a.subnet_id() == Some(x.subnet.as_str()))
        .count();
    let rules = sdk
        .describe_security_group_rules()
        .filters(filter("group-id", &x.group))
        .send()
        .await
        .expect("rules");
    let on = |port: i32, egress: bool| {
        rules
            .security_group_rules()
            .iter()
            .filter(|r| r.from_port() == Some(port) && r.is_egress() == Some(egress))
            .count()
    };
    let acls = sdk
        .describe_network_acls()
        .network_acl_ids(&x.acl)
        .send()
        .await
        .expect("acls");
    let entries = acls.network_acls()[0]
        .entries()
        .iter()
        .filter(|e| e.rule_number() == Some(100) && e.egress() == Some(false))
        .count();
    let vgws = sdk
        .describe_vpn_gateways()
        .vpn_gateway_ids(&x.vgw)
        .send()
        .await
        .expect("gateways");
    let attached = vgws.vpn_gateways()[0]
        .vpc_attachments()
        .iter()
        .filter(|a| a.vpc_id() == Some(x.vpc.as_str()) && a.state().is_some_and(|s| s.as_str() == "attached"))
        .count();
    let vpcs = sdk.describe_vpcs().vpc_ids(&x.vpc).send().await.expect("vpcs");
    let ranges = vpcs.vpcs()[0]
        .cidr_block_association_set()
        .iter()
        .filter(|a| {
            a.cidr_block() == Some(secondary(x).as_str())
                && a.cidr_block_state()
                    .and_then(|s| s.state())
                    .is_some_and(|s| s.as_str() == "associated")
        })
        .count();
    vec![
        routes,
        on(443, false),
        on(8443, false),
        on(5432, true),
        entries,
        assocs,
        attached,
        ranges,
    ]
}

#[tokio::test]
async fn content_objects_a_crashed_create_made_under_this_states_parents_are_adopted() {
    let p = provider().await;
    let lineage = "adopt-content-ours";
    let x = parents(&p, lineage, 71).await;
    let assoc = crashed_creates(&x).await;
    assert_eq!(counts(&x).await, vec![1; 8]);

    let mut states = Vec::new();
    for (type_name, given) in children(&x) {
        let state = create_in(&p, lineage, type_name, &given)
            .await
            .unwrap_or_else(|e| panic!("{type_name} adopted, not {e:?}"));
        states.push((type_name, state));
    }
    // One object each, and the states are the objects there.
    assert_eq!(counts(&x).await, vec![1; 8]);
    let state = |t: &str| &states.iter().find(|(n, _)| *n == t).expect("created").1;
    assert_eq!(state("aws_route").get("gateway_id").as_str(), Some(x.igw.as_str()));
    assert_eq!(id_of(state("aws_route_table_association")), assoc);
    assert_eq!(state("aws_network_acl_rule").get("rule_action").as_str(), Some("allow"));
    // The adopted v2 rule gets its configured tags and the bookkeeping ones, the latter never in
    // its state.
    let ingress = state("aws_vpc_security_group_ingress_rule");
    assert_eq!(ingress.get("tags"), &tags(&[("Name", "https-alt")]));
    let live = ec2()
        .await
        .describe_security_group_rules()
        .security_group_rule_ids(id_of(ingress))
        .send()
        .await
        .expect("the rule");
    let keys: Vec<String> = sdk_tags(live.security_group_rules()[0].tags())
        .into_iter()
        .map(|(k, _)| k)
        .collect();
    assert_eq!(keys, ["Name", "plinth:address", "plinth:lineage"]);
    // A re-plan of each is clean.
    for ((type_name, state), (_, given)) in states.iter().zip(children(&x)) {
        assert_clean(&p, type_name, state, &config(&p, type_name, &given)).await;
    }
}

#[tokio::test]
async fn content_objects_under_parents_of_no_state_or_unlike_the_plan_are_refused() {
    let p = provider().await;
    // Parents made without a state carry no lineage: whatever is in them may be someone else's.
    let x = parents(&p, "", 72).await;
    crashed_creates(&x).await;
    for (type_name, given) in children(&x) {
        let err = create_in(&p, "adopt-content-theirs", type_name, &given)
            .await
            .expect_err("not adopted under a parent of no state");
        let hint = err.hint.clone().unwrap_or_default();
        assert!(
            hint.contains(&format!("plinth import {type_name}.test")),
            "{type_name}: {err:?}"
        );
    }
    assert_eq!(counts(&x).await, vec![1; 8]);

    // Under this state's parents, an object unlike the planned one is refused too: ACL entry 110
    // denies, the plan allows; the route goes to the gateway, the plan to another.
    let lineage = "adopt-content-unlike";
    let y = parents(&p, lineage, 73).await;
    crashed_creates(&y).await;
    let rule = [
        ("network_acl_id", s(&y.acl)),
        ("rule_number", Value::int(110)),
        ("protocol", s("tcp")),
        ("rule_action", s("allow")),
        ("cidr_block", s("0.0.0.0/0")),
        ("from_port", Value::int(80)),
        ("to_port", Value::int(80)),
    ];
    let err = create_in(&p, lineage, "aws_network_acl_rule", &rule)
        .await
        .expect_err("an entry of another action is not adopted");
    assert!(err.hint.unwrap_or_default().contains("plinth import"));
    let other_igw = id_of(&create(&p, "aws_internet_gateway", config(&p, "aws_internet_gateway", &[])).await);
    let route = [
        ("route_table_id", s(&y.table)),
        ("destination_cidr_block", s("0.0.0.0/0")),
        ("gateway_id", s(&other_igw)),
    ];
    let err = create_in(&p, lineage, "aws_route", &route)
        .await
        .expect_err("a route to another target is not adopted");
    assert!(err.hint.unwrap_or_default().contains("plinth import"));
}
