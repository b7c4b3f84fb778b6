//! The VPC routing types against moto: aws_internet_gateway, aws_eip, aws_route_table,
//! aws_route, aws_route_table_association, aws_nat_gateway, aws_key_pair and aws_flow_log — each created,
//! checked with our own EC2 client (not the provider's read code), changed out of band and seen
//! as drift, imported and destroyed — and the network of a GPU training cluster (public and
//! private subnets, IGW, NAT) applied, re-planned clean and destroyed in dependency order.

mod common;

use common::ec2::*;
use common::*;
use plinth_aws::AwsProvider;
use plinth_sdk::{Provider, Value};

const PUBLIC_KEY: &str = "ssh-rsa AAAAB3NzaC1yc2EAAAADAQABAAABAQC3AUih8IDpjpN7ysWqRz4c29UB8DjWaRJ8GetqS8xpbsO80OTcqnZ56NGAoSOLAbx9lj3QomIcpV7E1F1hBLiZv7QjChiFsKVNmdyyg1g9gEIddwI34z2+fLUfZp9biSR3KxzT8Nf0NkcfCDQAz5PuHScbNLrQNwCNKor31+XbRm3I1gwXQh1OYqpTg2GpUtFhdLnBNmjIX/WjItIe5D0EQ0UmAxpRjeWmSWFbi/Q2S+avbBIyWG76yEDpFLM+tXYObm7yrJvzs+bWQgD8lu1JUKH5jbRkgVmaPiacL5RHzR4AGqN9E6Cljh2GiDTqj4HQbI8GMud7EWbgU7F2MtiJ plinth-test";

// ---------------------------------------------------------------------------------------------
// aws_internet_gateway

async fn live_igw(id: &str) -> Option<aws_sdk_ec2::types::InternetGateway> {
    ec2()
        .await
        .describe_internet_gateways()
        .filters(filter("internet-gateway-id", id))
        .send()
        .await
        .expect("describe internet gateways")
        .internet_gateways()
        .first()
        .cloned()
}

#[tokio::test]
async fn internet_gateway_lifecycle() {
    let p = provider().await;
    let vpc = new_vpc(&p, "10.60.0.0/16").await;
    let vpc_id = id_of(&vpc);
    let cfg = config(
        &p,
        "aws_internet_gateway",
        &[("vpc_id", s(&vpc_id)), ("tags", tags(&[("Name", "gpu-igw")]))],
    );
    let state = create(&p, "aws_internet_gateway", cfg.clone()).await;
    let id = id_of(&state);
    assert!(id.starts_with("igw-"), "{id}");
    let live = live_igw(&id).await.expect("the gateway exists");
    let attached: Vec<_> = live.attachments().iter().filter_map(|a| a.vpc_id()).collect();
    assert_eq!(attached, vec![vpc_id.as_str()]);
    assert_eq!(sdk_tags(live.tags()), pairs(&[("Name", "gpu-igw")]));
    assert_clean(&p, "aws_internet_gateway", &state, &cfg).await;

    // Out of band: detached and retagged. Refresh sees both; the update re-attaches in place.
    let sdk = ec2().await;
    sdk.detach_internet_gateway()
        .internet_gateway_id(&id)
        .vpc_id(&vpc_id)
        .send()
        .await
        .expect("detach by hand");
    retag(&id, "Name", "renamed").await;
    let drifted = read(&p, "aws_internet_gateway", &state).await.expect("still there");
    assert_eq!(drifted.get("vpc_id"), &Value::Null);
    let resp = plan(&p, "aws_internet_gateway", &drifted, &cfg).await;
    assert_eq!(plan_changes(&resp, &drifted), vec!["tags", "tags_all", "vpc_id"]);
    let repaired = update(&p, "aws_internet_gateway", &drifted, &cfg).await;
    let live = live_igw(&id).await.expect("the gateway exists");
    assert_eq!(
        live.attachments().first().and_then(|a| a.vpc_id()),
        Some(vpc_id.as_str())
    );
    assert_eq!(sdk_tags(live.tags()), pairs(&[("Name", "gpu-igw")]));

    let imported = import(&p, "aws_internet_gateway", &id).await;
    for k in ["id", "arn", "owner_id", "vpc_id", "tags"] {
        assert_eq!(imported.get(k), repaired.get(k), "imported {k}");
    }

    // Destroy detaches first (a VPC with an attached gateway could not be deleted after).
    delete(&p, "aws_internet_gateway", &repaired).await;
    assert!(live_igw(&id).await.is_none(), "destroy leaves nothing");
    assert!(read(&p, "aws_internet_gateway", &repaired).await.is_none());
    delete(&p, "aws_vpc", &vpc).await;
}

// ---------------------------------------------------------------------------------------------
// aws_eip

async fn live_eip(id: &str) -> Option<aws_sdk_ec2::types::Address> {
    ec2()
        .await
        .describe_addresses()
        .filters(filter("allocation-id", id))
        .send()
        .await
        .expect("describe addresses")
        .addresses()
        .first()
        .cloned()
}

#[tokio::test]
async fn eip_lifecycle() {
    let p = provider().await;
    let cfg = config(
        &p,
        "aws_eip",
        &[("domain", s("vpc")), ("tags", tags(&[("Name", "gpu-nat")]))],
    );
    let state = create(&p, "aws_eip", cfg.clone()).await;
    let id = id_of(&state);
    assert!(id.starts_with("eipalloc-"), "{id}");
    assert_eq!(state.get("allocation_id"), &s(&id));
    let live = live_eip(&id).await.expect("the address exists");
    assert_eq!(live.domain().map(|d| d.as_str()), Some("vpc"));
    assert_eq!(state.get("public_ip").as_str(), live.public_ip());
    assert_eq!(sdk_tags(live.tags()), pairs(&[("Name", "gpu-nat")]));
    let ip = live.public_ip().unwrap_or_default().replace('.', "-");
    assert_eq!(
        state.get("public_dns"),
        &s(&format!("ec2-{ip}.compute-1.amazonaws.com"))
    );
    let state = assert_clean(&p, "aws_eip", &state, &cfg).await;

    // "standard" (EC2-Classic) is refused at validation.
    let classic = config(&p, "aws_eip", &[("domain", s("standard"))]);
    assert_eq!(
        validate(&p, "aws_eip", &classic),
        vec!["aws_eip supports only domain = \"vpc\""]
    );

    // Associate with a network interface in place; our own read sees the association.
    let vpc = new_vpc(&p, "10.61.0.0/16").await;
    let subnet = new_subnet(&p, &id_of(&vpc), "10.61.1.0/24").await;
    let sdk = ec2().await;
    let eni = sdk
        .create_network_interface()
        .subnet_id(id_of(&subnet))
        .send()
        .await
        .expect("create an interface")
        .network_interface()
        .and_then(|n| n.network_interface_id())
        .expect("an interface id")
        .to_string();
    let mut attached_cfg = cfg.as_map().expect("object").clone();
    attached_cfg.insert("network_interface".into(), s(&eni));
    let attached_cfg = Value::Map(attached_cfg);
    let attached = update(&p, "aws_eip", &state, &attached_cfg).await;
    let live = live_eip(&id).await.expect("the address exists");
    assert_eq!(live.network_interface_id(), Some(eni.as_str()));
    assert!(attached.get("association_id").as_str().is_some(), "{attached:?}");
    let attached = assert_clean(&p, "aws_eip", &attached, &attached_cfg).await;

    // Out of band: disassociated and retagged; refresh sees it, the update re-associates.
    sdk.disassociate_address()
        .association_id(live.association_id().expect("an association"))
        .send()
        .await
        .expect("disassociate by hand");
    retag(&id, "Name", "other").await;
    let drifted = read(&p, "aws_eip", &attached).await.expect("still there");
    assert_eq!(drifted.get("network_interface"), &Value::Null);
    let resp = plan(&p, "aws_eip", &drifted, &attached_cfg).await;
    assert_eq!(
        plan_changes(&resp, &drifted),
        vec!["network_interface", "tags", "tags_all"]
    );
    let repaired = update(&p, "aws_eip", &drifted, &attached_cfg).await;
    let live = live_eip(&id).await.expect("the address exists");
    assert_eq!(live.network_interface_id(), Some(eni.as_str()));
    assert_eq!(sdk_tags(live.tags()), pairs(&[("Name", "gpu-nat")]));

    let imported = import(&p, "aws_eip", &id).await;
    for k in [
        "id",
        "allocation_id",
        "public_ip",
        "domain",
        "network_interface",
        "association_id",
        "tags",
    ] {
        assert_eq!(imported.get(k), repaired.get(k), "imported {k}");
    }

    // Destroy disassociates and releases.
    delete(&p, "aws_eip", &repaired).await;
    assert!(live_eip(&id).await.is_none(), "destroy leaves nothing");
    assert!(read(&p, "aws_eip", &repaired).await.is_none());
    sdk.delete_network_interface()
        .network_interface_id(&eni)
        .send()
        .await
        .expect("delete the interface");
    delete(&p, "aws_subnet", &subnet).await;
    delete(&p, "aws_vpc", &vpc).await;
}

// ---------------------------------------------------------------------------------------------
// aws_route_table, aws_route, aws_route_table_association

async fn live_table(id: &str) -> Option<aws_sdk_ec2::types::RouteTable> {
    ec2()
        .await
        .describe_route_tables()
        .filters(filter("route-table-id", id))
        .send()
        .await
        .expect("describe route tables")
        .route_tables()
        .first()
        .cloned()
}

/// The live route to `dest` in `table`: (gateway id, NAT gateway id).
async fn live_route(table: &str, dest: &str) -> Option<(Option<String>, Option<String>)> {
    let t = live_table(table).await?;
    t.routes()
        .iter()
        .find(|r| r.destination_cidr_block() == Some(dest))
        .map(|r| {
            (
                r.gateway_id().map(str::to_string),
                r.nat_gateway_id().map(str::to_string),
            )
        })
}

#[tokio::test]
async fn route_table_lifecycle() {
    let p = provider().await;
    let vpc = new_vpc(&p, "10.62.0.0/16").await;
    let vpc_id = id_of(&vpc);
    let cfg = config(
        &p,
        "aws_route_table",
        &[("vpc_id", s(&vpc_id)), ("tags", tags(&[("Name", "public")]))],
    );
    let state = create(&p, "aws_route_table", cfg.clone()).await;
    let id = id_of(&state);
    assert!(id.starts_with("rtb-"), "{id}");
    let live = live_table(&id).await.expect("the table exists");
    assert_eq!(live.vpc_id(), Some(vpc_id.as_str()));
    assert_eq!(sdk_tags(live.tags()), pairs(&[("Name", "public")]));
    let state = assert_clean(&p, "aws_route_table", &state, &cfg).await;

    // Inline routes are refused, pointing to aws_route.
    let inline = config(
        &p,
        "aws_route_table",
        &[
            ("vpc_id", s(&vpc_id)),
            (
                "route",
                Value::List(vec![Value::object([
                    ("cidr_block", s("0.0.0.0/0")),
                    ("gateway_id", s("igw-0123")),
                ])]),
            ),
        ],
    );
    assert_eq!(
        validate(&p, "aws_route_table", &inline),
        vec!["inline route blocks in aws_route_table are not supported"]
    );

    retag(&id, "Name", "renamed").await;
    let drifted = read(&p, "aws_route_table", &state).await.expect("still there");
    let resp = plan(&p, "aws_route_table", &drifted, &cfg).await;
    assert_eq!(plan_changes(&resp, &drifted), vec!["tags", "tags_all"]);
    let repaired = update(&p, "aws_route_table", &drifted, &cfg).await;
    assert_eq!(
        sdk_tags(live_table(&id).await.expect("exists").tags()),
        pairs(&[("Name", "public")])
    );

    let imported = import(&p, "aws_route_table", &id).await;
    for k in ["id", "arn", "owner_id", "vpc_id", "tags"] {
        assert_eq!(imported.get(k), repaired.get(k), "imported {k}");
    }

    // Destroy removes associations made outside the configuration first, as Terraform does.
    let subnet = new_subnet(&p, &vpc_id, "10.62.9.0/24").await;
    ec2()
        .await
        .associate_route_table()
        .route_table_id(&id)
        .subnet_id(id_of(&subnet))
        .send()
        .await
        .expect("associate by hand");
    delete(&p, "aws_route_table", &repaired).await;
    assert!(live_table(&id).await.is_none(), "destroy leaves nothing");
    assert!(read(&p, "aws_route_table", &repaired).await.is_none());
    delete(&p, "aws_subnet", &subnet).await;
    delete(&p, "aws_vpc", &vpc).await;
}

#[tokio::test]
async fn route_lifecycle() {
    let p = provider().await;
    let vpc = new_vpc(&p, "10.63.0.0/16").await;
    let vpc_id = id_of(&vpc);
    let igw_cfg = |p: &AwsProvider| config(p, "aws_internet_gateway", &[("vpc_id", s(&vpc_id))]);
    let igw = create(&p, "aws_internet_gateway", igw_cfg(&p)).await;
    let igw_id = id_of(&igw);
    let rtb = create(
        &p,
        "aws_route_table",
        config(&p, "aws_route_table", &[("vpc_id", s(&vpc_id))]),
    )
    .await;
    let rtb_id = id_of(&rtb);

    // A route needs one destination and one target.
    let neither = config(&p, "aws_route", &[("route_table_id", s(&rtb_id))]);
    assert_eq!(
        validate(&p, "aws_route", &neither),
        vec!["aws_route needs exactly one destination", "aws_route needs a target"]
    );

    let cfg = config(
        &p,
        "aws_route",
        &[
            ("route_table_id", s(&rtb_id)),
            ("destination_cidr_block", s("0.0.0.0/0")),
            ("gateway_id", s(&igw_id)),
        ],
    );
    let state = create(&p, "aws_route", cfg.clone()).await;
    // Terraform's id: r- + table + CRC-32 (IEEE) of the destination; 0.0.0.0/0 hashes to 1080289494.
    assert_eq!(id_of(&state), format!("r-{rtb_id}1080289494"));
    assert_eq!(state.get("state"), &s("active"));
    assert_eq!(state.get("origin"), &s("CreateRoute"));
    assert_eq!(
        live_route(&rtb_id, "0.0.0.0/0").await,
        Some((Some(igw_id.clone()), None))
    );
    let state = assert_clean(&p, "aws_route", &state, &cfg).await;

    // Batched refresh: routes of two tables in one DescribeRouteTables call.
    let rtb2 = create(
        &p,
        "aws_route_table",
        config(&p, "aws_route_table", &[("vpc_id", s(&vpc_id))]),
    )
    .await;
    let cfg2 = config(
        &p,
        "aws_route",
        &[
            ("route_table_id", s(&id_of(&rtb2))),
            ("destination_cidr_block", s("10.99.0.0/16")),
            ("gateway_id", s(&igw_id)),
        ],
    );
    let state2 = create(&p, "aws_route", cfg2).await;
    let before = p.call_count();
    let refreshed = p
        .read(read_request("aws_route", "r", &[state.clone(), state2.clone()]))
        .await
        .expect("read");
    assert_eq!(p.call_count() - before, 1, "one DescribeRouteTables for both routes");
    assert!(refreshed.states.iter().all(Option::is_some));

    // Out of band: the route now points at a second gateway. Refresh sees it; the update puts it back
    // in place (ReplaceRoute).
    let vpc2 = new_vpc(&p, "10.64.0.0/16").await;
    let other = create(&p, "aws_internet_gateway", config(&p, "aws_internet_gateway", &[])).await;
    let sdk = ec2().await;
    sdk.replace_route()
        .route_table_id(&rtb_id)
        .destination_cidr_block("0.0.0.0/0")
        .gateway_id(id_of(&other))
        .send()
        .await
        .expect("replace by hand");
    let drifted = read(&p, "aws_route", &state).await.expect("still there");
    assert_eq!(drifted.get("gateway_id"), &s(&id_of(&other)));
    let resp = plan(&p, "aws_route", &drifted, &cfg).await;
    assert_eq!(plan_changes(&resp, &drifted), vec!["gateway_id"]);
    let repaired = update(&p, "aws_route", &drifted, &cfg).await;
    assert_eq!(
        live_route(&rtb_id, "0.0.0.0/0").await,
        Some((Some(igw_id.clone()), None))
    );

    // A new destination replaces the route.
    let mut moved = cfg.as_map().expect("object").clone();
    moved.insert("destination_cidr_block".into(), s("0.0.0.0/1"));
    let resp = plan(&p, "aws_route", &repaired, &Value::Map(moved)).await;
    assert_eq!(
        resp.requires_replace,
        vec![plinth_sdk::AttrPath::attr("destination_cidr_block")]
    );

    // Import by TABLE_DESTINATION.
    let imported = import(&p, "aws_route", &format!("{rtb_id}_0.0.0.0/0")).await;
    assert_eq!(imported, repaired);

    // Out-of-band delete: gone on refresh; destroy of a gone route is fine.
    sdk.delete_route()
        .route_table_id(&rtb_id)
        .destination_cidr_block("0.0.0.0/0")
        .send()
        .await
        .expect("delete by hand");
    assert!(read(&p, "aws_route", &repaired).await.is_none());
    delete(&p, "aws_route", &repaired).await;

    // Destroy leaves nothing.
    delete(&p, "aws_route", &state2).await;
    assert_eq!(live_route(&id_of(&rtb2), "10.99.0.0/16").await, None);

    for (t, st) in [
        ("aws_route_table", &rtb2),
        ("aws_route_table", &rtb),
        ("aws_internet_gateway", &other),
        ("aws_internet_gateway", &igw),
        ("aws_vpc", &vpc2),
        ("aws_vpc", &vpc),
    ] {
        delete(&p, t, st).await;
    }
}

#[tokio::test]
async fn route_table_association_lifecycle() {
    let p = provider().await;
    let vpc = new_vpc(&p, "10.65.0.0/16").await;
    let vpc_id = id_of(&vpc);
    let subnet = new_subnet(&p, &vpc_id, "10.65.1.0/24").await;
    let subnet_id = id_of(&subnet);
    let rtb_cfg = config(&p, "aws_route_table", &[("vpc_id", s(&vpc_id))]);
    let a = create(&p, "aws_route_table", rtb_cfg.clone()).await;
    let b = create(&p, "aws_route_table", rtb_cfg).await;

    let both = config(&p, "aws_route_table_association", &[("route_table_id", s(&id_of(&a)))]);
    assert_eq!(
        validate(&p, "aws_route_table_association", &both),
        vec!["aws_route_table_association needs exactly one of subnet_id and gateway_id"]
    );

    let cfg = config(
        &p,
        "aws_route_table_association",
        &[("route_table_id", s(&id_of(&a))), ("subnet_id", s(&subnet_id))],
    );
    let state = create(&p, "aws_route_table_association", cfg.clone()).await;
    let assoc = id_of(&state);
    assert!(assoc.starts_with("rtbassoc-"), "{assoc}");
    let live: Vec<_> = live_table(&id_of(&a))
        .await
        .expect("table a")
        .associations()
        .iter()
        .filter_map(|x| Some((x.route_table_association_id()?.to_string(), x.subnet_id()?.to_string())))
        .collect();
    assert_eq!(live, vec![(assoc.clone(), subnet_id.clone())]);
    let state = assert_clean(&p, "aws_route_table_association", &state, &cfg).await;

    // Import by SUBNET_ID/ROUTE_TABLE_ID.
    let imported = import(&p, "aws_route_table_association", &format!("{subnet_id}/{}", id_of(&a))).await;
    assert_eq!(imported, state);

    // Moving to table b happens in place, with a new association id.
    let moved_cfg = config(
        &p,
        "aws_route_table_association",
        &[("route_table_id", s(&id_of(&b))), ("subnet_id", s(&subnet_id))],
    );
    let resp = plan(&p, "aws_route_table_association", &state, &moved_cfg).await;
    assert!(resp.requires_replace.is_empty());
    assert!(resp.planned.get("id").is_unknown());
    let moved = apply_update(&p, "aws_route_table_association", &state, resp.planned, &moved_cfg).await;
    let subnets_of = |t: aws_sdk_ec2::types::RouteTable| -> Vec<String> {
        t.associations()
            .iter()
            .filter_map(|x| x.subnet_id().map(str::to_string))
            .collect()
    };
    assert_eq!(
        subnets_of(live_table(&id_of(&b)).await.expect("b")),
        vec![subnet_id.clone()]
    );
    assert!(subnets_of(live_table(&id_of(&a)).await.expect("a")).is_empty());

    // Out of band: disassociated by hand. Refresh reports it gone (the plan creates it again).
    ec2()
        .await
        .disassociate_route_table()
        .association_id(id_of(&moved))
        .send()
        .await
        .expect("disassociate by hand");
    assert!(read(&p, "aws_route_table_association", &moved).await.is_none());
    delete(&p, "aws_route_table_association", &moved).await;

    // Destroy leaves the subnet unassociated.
    let again = create(&p, "aws_route_table_association", cfg).await;
    delete(&p, "aws_route_table_association", &again).await;
    assert!(subnets_of(live_table(&id_of(&a)).await.expect("a")).is_empty());

    for (t, st) in [
        ("aws_route_table", &a),
        ("aws_route_table", &b),
        ("aws_subnet", &subnet),
        ("aws_vpc", &vpc),
    ] {
        delete(&p, t, st).await;
    }
}

// ---------------------------------------------------------------------------------------------
// aws_nat_gateway

async fn live_nat(id: &str) -> Option<aws_sdk_ec2::types::NatGateway> {
    ec2()
        .await
        .describe_nat_gateways()
        .filter(filter("nat-gateway-id", id))
        .send()
        .await
        .expect("describe NAT gateways")
        .nat_gateways()
        .first()
        .cloned()
}

#[tokio::test]
async fn nat_gateway_lifecycle() {
    let p = provider().await;
    let vpc = new_vpc(&p, "10.66.0.0/16").await;
    let subnet = new_subnet(&p, &id_of(&vpc), "10.66.1.0/24").await;
    let eip = create(&p, "aws_eip", config(&p, "aws_eip", &[("domain", s("vpc"))])).await;
    let cfg = config(
        &p,
        "aws_nat_gateway",
        &[
            ("allocation_id", s(&id_of(&eip))),
            ("subnet_id", s(&id_of(&subnet))),
            ("tags", tags(&[("Name", "gpu-nat")])),
        ],
    );
    let state = create(&p, "aws_nat_gateway", cfg.clone()).await;
    let id = id_of(&state);
    assert!(id.starts_with("nat-"), "{id}");
    let live = live_nat(&id).await.expect("the gateway exists");
    assert_eq!(live.state().map(|s| s.as_str()), Some("available"));
    assert_eq!(live.subnet_id(), Some(id_of(&subnet).as_str()));
    let address = live.nat_gateway_addresses().first().expect("an address");
    assert_eq!(address.allocation_id(), Some(id_of(&eip).as_str()));
    assert_eq!(state.get("public_ip").as_str(), address.public_ip());
    assert_eq!(state.get("connectivity_type"), &s("public"));
    assert_eq!(sdk_tags(live.tags()), pairs(&[("Name", "gpu-nat")]));
    let state = assert_clean(&p, "aws_nat_gateway", &state, &cfg).await;

    retag(&id, "Name", "renamed").await;
    let drifted = read(&p, "aws_nat_gateway", &state).await.expect("still there");
    let resp = plan(&p, "aws_nat_gateway", &drifted, &cfg).await;
    assert_eq!(plan_changes(&resp, &drifted), vec!["tags", "tags_all"]);
    let repaired = update(&p, "aws_nat_gateway", &drifted, &cfg).await;
    assert_eq!(
        sdk_tags(live_nat(&id).await.expect("exists").tags()),
        pairs(&[("Name", "gpu-nat")])
    );

    // Another subnet replaces the gateway.
    let mut moved = cfg.as_map().expect("object").clone();
    moved.insert("subnet_id".into(), s("subnet-0123456789abcdef0"));
    let resp = plan(&p, "aws_nat_gateway", &repaired, &Value::Map(moved)).await;
    assert_eq!(resp.requires_replace, vec![plinth_sdk::AttrPath::attr("subnet_id")]);

    let imported = import(&p, "aws_nat_gateway", &id).await;
    for k in [
        "id",
        "allocation_id",
        "subnet_id",
        "public_ip",
        "private_ip",
        "network_interface_id",
        "tags",
    ] {
        assert_eq!(imported.get(k), repaired.get(k), "imported {k}");
    }

    // Destroy waits until it is deleted (moto keeps it listed as "deleted").
    delete(&p, "aws_nat_gateway", &repaired).await;
    let after = live_nat(&id).await.map(|n| n.state().map(|s| s.as_str().to_string()));
    assert_eq!(after, Some(Some("deleted".to_string())));
    assert!(read(&p, "aws_nat_gateway", &repaired).await.is_none());
    delete(&p, "aws_eip", &eip).await;
    delete(&p, "aws_subnet", &subnet).await;
    delete(&p, "aws_vpc", &vpc).await;
}

// ---------------------------------------------------------------------------------------------
// aws_key_pair

async fn live_key(name: &str) -> Option<aws_sdk_ec2::types::KeyPairInfo> {
    ec2()
        .await
        .describe_key_pairs()
        .filters(filter("key-name", name))
        .send()
        .await
        .expect("describe key pairs")
        .key_pairs()
        .first()
        .cloned()
}

#[tokio::test]
async fn key_pair_lifecycle() {
    let p = provider().await;
    let cfg = config(
        &p,
        "aws_key_pair",
        &[
            ("key_name_prefix", s("gpu-")),
            ("public_key", s(PUBLIC_KEY)),
            ("tags", tags(&[("team", "ml")])),
        ],
    );
    let state = create(&p, "aws_key_pair", cfg.clone()).await;
    let name = id_of(&state);
    assert!(name.starts_with("gpu-"), "{name}");
    assert_eq!(state.get("key_name"), &s(&name));
    let live = live_key(&name).await.expect("the key exists");
    assert_eq!(state.get("fingerprint").as_str(), live.key_fingerprint());
    assert_eq!(state.get("key_pair_id").as_str(), live.key_pair_id());
    assert!(live.key_pair_id().is_some_and(|k| k.starts_with("key-")));
    assert_eq!(sdk_tags(live.tags()), pairs(&[("team", "ml")]));
    let state = assert_clean(&p, "aws_key_pair", &state, &cfg).await;
    // The public key is kept as configured (AWS does not send it back unless asked).
    assert_eq!(state.get("public_key"), &s(PUBLIC_KEY));

    // Out of band retag (by key pair id, as EC2 tags key pairs): drift, repaired in place.
    let key_id = state.get("key_pair_id").as_str().expect("an id").to_string();
    retag(&key_id, "team", "web").await;
    let drifted = read(&p, "aws_key_pair", &state).await.expect("still there");
    let resp = plan(&p, "aws_key_pair", &drifted, &cfg).await;
    assert_eq!(plan_changes(&resp, &drifted), vec!["tags", "tags_all"]);
    let repaired = update(&p, "aws_key_pair", &drifted, &cfg).await;
    assert_eq!(
        sdk_tags(live_key(&name).await.expect("exists").tags()),
        pairs(&[("team", "ml")])
    );

    // Another key replaces the pair.
    let mut other = cfg.as_map().expect("object").clone();
    other.insert(
        "public_key".into(),
        s("ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GKJl other"),
    );
    let resp = plan(&p, "aws_key_pair", &repaired, &Value::Map(other)).await;
    assert_eq!(resp.requires_replace, vec![plinth_sdk::AttrPath::attr("public_key")]);

    let imported = import(&p, "aws_key_pair", &name).await;
    for k in ["id", "key_name", "key_pair_id", "fingerprint", "tags"] {
        assert_eq!(imported.get(k), repaired.get(k), "imported {k}");
    }

    // Out-of-band delete, then destroy of a gone key is fine.
    ec2()
        .await
        .delete_key_pair()
        .key_name(&name)
        .send()
        .await
        .expect("delete by hand");
    assert!(read(&p, "aws_key_pair", &repaired).await.is_none());
    delete(&p, "aws_key_pair", &repaired).await;
    let again = create(&p, "aws_key_pair", cfg).await;
    delete(&p, "aws_key_pair", &again).await;
    assert!(live_key(&id_of(&again)).await.is_none(), "destroy leaves nothing");
}

// ---------------------------------------------------------------------------------------------
// The network of a GPU training cluster

#[tokio::test]
async fn gpu_training_network() {
    let p = provider().await;
    // Applied in dependency order, as the engine's graph orders it; each config kept for the re-plan.
    let mut applied: Vec<(&str, Value, Value)> = Vec::new();
    macro_rules! apply {
        ($t:expr, $given:expr) => {{
            let cfg = config(&p, $t, &$given);
            let st = create(&p, $t, cfg.clone()).await;
            applied.push(($t, st.clone(), cfg));
            st
        }};
    }
    let vpc = apply!("aws_vpc", [("cidr_block", s("10.70.0.0/16"))]);
    let vpc_id = id_of(&vpc);
    let igw = apply!("aws_internet_gateway", [("vpc_id", s(&vpc_id))]);
    let public = apply!(
        "aws_subnet",
        [
            ("vpc_id", s(&vpc_id)),
            ("cidr_block", s("10.70.0.0/24")),
            ("map_public_ip_on_launch", Value::Bool(true)),
        ]
    );
    let private = apply!(
        "aws_subnet",
        [("vpc_id", s(&vpc_id)), ("cidr_block", s("10.70.16.0/20"))]
    );
    let public_rt = apply!("aws_route_table", [("vpc_id", s(&vpc_id))]);
    apply!(
        "aws_route",
        [
            ("route_table_id", s(&id_of(&public_rt))),
            ("destination_cidr_block", s("0.0.0.0/0")),
            ("gateway_id", s(&id_of(&igw))),
        ]
    );
    apply!(
        "aws_route_table_association",
        [
            ("route_table_id", s(&id_of(&public_rt))),
            ("subnet_id", s(&id_of(&public)))
        ]
    );
    let eip = apply!("aws_eip", [("domain", s("vpc"))]);
    let nat = apply!(
        "aws_nat_gateway",
        [("allocation_id", s(&id_of(&eip))), ("subnet_id", s(&id_of(&public)))]
    );
    let private_rt = apply!("aws_route_table", [("vpc_id", s(&vpc_id))]);
    apply!(
        "aws_route",
        [
            ("route_table_id", s(&id_of(&private_rt))),
            ("destination_cidr_block", s("0.0.0.0/0")),
            ("nat_gateway_id", s(&id_of(&nat))),
        ]
    );
    apply!(
        "aws_route_table_association",
        [
            ("route_table_id", s(&id_of(&private_rt))),
            ("subnet_id", s(&id_of(&private)))
        ]
    );

    // Our own reads: the public subnet routes through the IGW, the private one through the NAT.
    assert_eq!(
        live_route(&id_of(&public_rt), "0.0.0.0/0").await,
        Some((Some(id_of(&igw)), None))
    );
    let (_, via_nat) = live_route(&id_of(&private_rt), "0.0.0.0/0")
        .await
        .expect("a default route");
    assert_eq!(via_nat, Some(id_of(&nat)));
    let routed = |t: aws_sdk_ec2::types::RouteTable| -> Vec<String> {
        t.associations()
            .iter()
            .filter_map(|a| a.subnet_id().map(str::to_string))
            .collect()
    };
    assert_eq!(
        routed(live_table(&id_of(&public_rt)).await.expect("public")),
        vec![id_of(&public)]
    );
    assert_eq!(
        routed(live_table(&id_of(&private_rt)).await.expect("private")),
        vec![id_of(&private)]
    );
    let nat_live = live_nat(&id_of(&nat)).await.expect("the NAT gateway");
    assert_eq!(nat_live.state().map(|s| s.as_str()), Some("available"));

    // Re-planned clean: every refreshed instance plans no change.
    for (t, st, cfg) in &applied {
        assert_clean(&p, t, st, cfg).await;
    }

    // Destroyed in reverse dependency order; nothing is left in the VPC.
    for (t, st, _) in applied.iter().rev() {
        delete(&p, t, st).await;
    }
    let sdk = ec2().await;
    let vpcs = sdk
        .describe_vpcs()
        .filters(filter("vpc-id", &vpc_id))
        .send()
        .await
        .expect("describe vpcs");
    assert!(vpcs.vpcs().is_empty(), "the VPC is gone");
    assert!(live_igw(&id_of(&igw)).await.is_none());
    assert!(live_eip(&id_of(&eip)).await.is_none());
    assert!(live_table(&id_of(&private_rt)).await.is_none());
}

// ---------------------------------------------------------------------------------------------
// aws_flow_log

async fn live_flow_log(id: &str) -> Option<aws_sdk_ec2::types::FlowLog> {
    ec2()
        .await
        .describe_flow_logs()
        .filter(filter("flow-log-id", id))
        .send()
        .await
        .expect("describe flow logs")
        .flow_logs()
        .first()
        .cloned()
}

#[tokio::test]
async fn flow_log_lifecycle() {
    let p = provider().await;
    let vpc = new_vpc(&p, "10.67.0.0/16").await;
    let vpc_id = id_of(&vpc);
    let s3 = aws_sdk_s3::Client::from_conf(
        aws_sdk_s3::config::Builder::from(&sdk_config().await)
            .force_path_style(true)
            .build(),
    );
    s3.create_bucket()
        .bucket("plinth-flow-logs")
        .send()
        .await
        .expect("create bucket");

    let neither = config(&p, "aws_flow_log", &[("traffic_type", s("ALL"))]);
    assert_eq!(
        validate(&p, "aws_flow_log", &neither),
        vec!["aws_flow_log needs exactly one source"]
    );

    let cfg = config(
        &p,
        "aws_flow_log",
        &[
            ("vpc_id", s(&vpc_id)),
            ("traffic_type", s("ALL")),
            ("log_destination_type", s("s3")),
            ("log_destination", s("arn:aws:s3:::plinth-flow-logs")),
            ("max_aggregation_interval", Value::int(60)),
            ("tags", tags(&[("Name", "gpu-vpc")])),
        ],
    );
    let state = create(&p, "aws_flow_log", cfg.clone()).await;
    let id = id_of(&state);
    assert!(id.starts_with("fl-"), "{id}");
    let live = live_flow_log(&id).await.expect("the flow log exists");
    assert_eq!(live.resource_id(), Some(vpc_id.as_str()));
    assert_eq!(live.traffic_type().map(|t| t.as_str()), Some("ALL"));
    assert_eq!(live.log_destination(), Some("arn:aws:s3:::plinth-flow-logs"));
    assert_eq!(live.max_aggregation_interval(), Some(60));
    assert_eq!(sdk_tags(live.tags()), pairs(&[("Name", "gpu-vpc")]));
    let state = assert_clean(&p, "aws_flow_log", &state, &cfg).await;

    retag(&id, "Name", "other").await;
    let drifted = read(&p, "aws_flow_log", &state).await.expect("still there");
    let resp = plan(&p, "aws_flow_log", &drifted, &cfg).await;
    assert_eq!(plan_changes(&resp, &drifted), vec!["tags", "tags_all"]);
    let repaired = update(&p, "aws_flow_log", &drifted, &cfg).await;
    assert_eq!(
        sdk_tags(live_flow_log(&id).await.expect("exists").tags()),
        pairs(&[("Name", "gpu-vpc")])
    );

    // Another traffic type replaces it.
    let mut other = cfg.as_map().expect("object").clone();
    other.insert("traffic_type".into(), s("REJECT"));
    let resp = plan(&p, "aws_flow_log", &repaired, &Value::Map(other)).await;
    assert_eq!(resp.requires_replace, vec![plinth_sdk::AttrPath::attr("traffic_type")]);

    let imported = import(&p, "aws_flow_log", &id).await;
    for k in [
        "id",
        "vpc_id",
        "traffic_type",
        "log_destination",
        "log_destination_type",
        "tags",
    ] {
        assert_eq!(imported.get(k), repaired.get(k), "imported {k}");
    }

    delete(&p, "aws_flow_log", &repaired).await;
    assert!(live_flow_log(&id).await.is_none(), "destroy leaves nothing");
    assert!(read(&p, "aws_flow_log", &repaired).await.is_none());
    delete(&p, "aws_vpc", &vpc).await;
}
