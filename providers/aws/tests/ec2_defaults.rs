//! The adopted default EC2 objects against moto: aws_default_route_table (adopt, routes checked
//! with our own SDK reads, out-of-band routes and tags seen as drift and repaired, import by VPC
//! id, destroy that only forgets), aws_egress_only_internet_gateway, and aws_default_subnet (adopt,
//! drift, import, forget, force_destroy, CreateDefaultSubnet).

mod common;

use aws_sdk_ec2::types::{Filter, RouteTable, Tag};
use common::ec2::*;
use common::*;
use plinth_sdk::{ImportRequest, Provider, ValidateRequest, Value};

async fn main_table(vpc: &str) -> RouteTable {
    ec2()
        .await
        .describe_route_tables()
        .filters(Filter::builder().name("vpc-id").values(vpc).build())
        .filters(Filter::builder().name("association.main").values("true").build())
        .send()
        .await
        .expect("describe route tables")
        .route_tables()
        .first()
        .cloned()
        .expect("a VPC has a main route table")
}

/// (destination, gateway) of every route but the local one, sorted.
fn live_routes(t: &RouteTable) -> Vec<(String, String)> {
    let mut out: Vec<_> = t
        .routes()
        .iter()
        .filter(|r| r.gateway_id() != Some("local"))
        .map(|r| {
            (
                r.destination_cidr_block().unwrap_or_default().to_string(),
                r.gateway_id().unwrap_or_default().to_string(),
            )
        })
        .collect();
    out.sort();
    out
}

fn route(cidr: &str, gateway: &str) -> Value {
    let mut m: Vec<(&str, Value)> = [
        "ipv6_cidr_block",
        "destination_prefix_list_id",
        "core_network_arn",
        "egress_only_gateway_id",
        "nat_gateway_id",
        "network_interface_id",
        "transit_gateway_id",
        "vpc_endpoint_id",
        "vpc_peering_connection_id",
    ]
    .into_iter()
    .map(|k| (k, Value::Null))
    .collect();
    m.push(("cidr_block", s(cidr)));
    m.push(("gateway_id", s(gateway)));
    Value::object(m)
}

#[tokio::test]
async fn default_route_table_is_adopted_managed_and_forgotten() {
    let p = provider().await;
    let vpc = new_vpc(&p, "10.70.0.0/16").await;
    let vpc_id = id_of(&vpc);
    let rtb = main_table(&vpc_id).await.route_table_id().expect("an id").to_string();
    let igw = create(
        &p,
        "aws_internet_gateway",
        config(&p, "aws_internet_gateway", &[("vpc_id", s(&vpc_id))]),
    )
    .await;
    let igw_id = id_of(&igw);
    // A route made outside: adoption removes it, as Terraform's.
    ec2()
        .await
        .create_route()
        .route_table_id(&rtb)
        .destination_cidr_block("192.168.0.0/16")
        .gateway_id(&igw_id)
        .send()
        .await
        .expect("create route");

    let cfg = config(
        &p,
        "aws_default_route_table",
        &[
            ("default_route_table_id", s(&rtb)),
            ("route", Value::List(vec![route("0.0.0.0/0", &igw_id)])),
            ("tags", tags(&[("Name", "main")])),
        ],
    );
    // Each block needs one destination and one target.
    let mut bad = cfg.clone();
    if let Value::Map(m) = &mut bad {
        let mut b = route("0.0.0.0/0", &igw_id);
        if let Value::Map(r) = &mut b {
            r.insert("nat_gateway_id".into(), s("nat-0123"));
            r.insert("ipv6_cidr_block".into(), s("::/0"));
        }
        m.insert("route".into(), Value::List(vec![b]));
    }
    let errors: Vec<String> = p
        .validate(&ValidateRequest::managed("aws_default_route_table", bad))
        .into_iter()
        .map(|d| d.summary)
        .collect();
    assert_eq!(
        errors,
        vec![
            "a route block needs exactly one destination",
            "a route block needs exactly one target"
        ]
    );

    let state = create(&p, "aws_default_route_table", cfg.clone()).await;
    assert_eq!(id_of(&state), rtb);
    assert_eq!(state.get("vpc_id"), &s(&vpc_id));
    let live = main_table(&vpc_id).await;
    assert_eq!(live_routes(&live), vec![("0.0.0.0/0".to_string(), igw_id.clone())]);
    assert_eq!(sdk_tags(live.tags()), pairs(&[("Name", "main")]));
    let fresh = assert_clean(&p, "aws_default_route_table", &state, &cfg).await;

    // Out of band: a route and a tag added, both drift, both repaired.
    ec2()
        .await
        .create_route()
        .route_table_id(&rtb)
        .destination_cidr_block("172.16.0.0/12")
        .gateway_id(&igw_id)
        .send()
        .await
        .expect("create route");
    ec2()
        .await
        .create_tags()
        .resources(&rtb)
        .tags(Tag::builder().key("Name").value("other").build())
        .send()
        .await
        .expect("retag");
    let drifted = read(&p, "aws_default_route_table", &fresh).await.expect("there");
    let resp = plan(&p, "aws_default_route_table", &drifted, &cfg).await;
    assert_eq!(plan_changes(&resp, &drifted), vec!["route", "tags", "tags_all"]);
    let repaired = update(&p, "aws_default_route_table", &drifted, &cfg).await;
    let live = main_table(&vpc_id).await;
    assert_eq!(live_routes(&live), vec![("0.0.0.0/0".to_string(), igw_id.clone())]);
    assert_eq!(sdk_tags(live.tags()), pairs(&[("Name", "main")]));
    assert_clean(&p, "aws_default_route_table", &repaired, &cfg).await;

    // `route` left out: the routes are left alone (and reported).
    let mut bare = cfg.clone();
    if let Value::Map(m) = &mut bare {
        m.insert("route".into(), Value::Null);
    }
    let kept = update(&p, "aws_default_route_table", &repaired, &bare).await;
    assert_eq!(live_routes(&main_table(&vpc_id).await).len(), 1);
    assert_eq!(kept.get("route").as_list().map(|l| l.len()), Some(1));
    assert_clean(&p, "aws_default_route_table", &kept, &bare).await;

    // Import with the VPC id, as Terraform's.
    let imported = import(&p, "aws_default_route_table", &vpc_id).await;
    for k in ["id", "default_route_table_id", "vpc_id", "route", "tags"] {
        assert_eq!(imported.get(k), kept.get(k), "imported {k}");
    }
    let refused = p
        .import(ImportRequest {
            type_name: "aws_default_route_table".into(),
            address: "aws_default_route_table.x".into(),
            id: "vpc-00000000".into(),
        })
        .await;
    assert!(refused.is_err());

    // Destroy forgets: the table and its route stay.
    delete(&p, "aws_default_route_table", &kept).await;
    assert_eq!(live_routes(&main_table(&vpc_id).await).len(), 1);
    ec2()
        .await
        .delete_route()
        .route_table_id(&rtb)
        .destination_cidr_block("0.0.0.0/0")
        .send()
        .await
        .expect("delete route");
    delete(&p, "aws_internet_gateway", &igw).await;
    delete(&p, "aws_vpc", &vpc).await;
}

// ---------------------------------------------------------------------------------------------
// aws_egress_only_internet_gateway

async fn live_eigws(id: &str) -> Vec<aws_sdk_ec2::types::EgressOnlyInternetGateway> {
    ec2()
        .await
        .describe_egress_only_internet_gateways()
        .egress_only_internet_gateway_ids(id)
        .send()
        .await
        .expect("describe egress-only gateways")
        .egress_only_internet_gateways()
        .to_vec()
}

#[tokio::test]
async fn egress_only_internet_gateway_lifecycle() {
    let p = provider().await;
    let vpc = new_vpc(&p, "10.71.0.0/16").await;
    let vpc_id = id_of(&vpc);
    let cfg = config(
        &p,
        "aws_egress_only_internet_gateway",
        &[("vpc_id", s(&vpc_id)), ("tags", tags(&[("Name", "v6-out")]))],
    );
    let state = create(&p, "aws_egress_only_internet_gateway", cfg.clone()).await;
    let id = id_of(&state);
    assert!(id.starts_with("eigw-"), "{id}");
    assert_eq!(state.get("vpc_id"), &s(&vpc_id));
    let live = live_eigws(&id).await;
    assert_eq!(live.len(), 1);
    assert_eq!(
        live[0].attachments().first().and_then(|a| a.vpc_id()),
        Some(vpc_id.as_str())
    );
    assert_eq!(sdk_tags(live[0].tags()), pairs(&[("Name", "v6-out")]));
    let fresh = assert_clean(&p, "aws_egress_only_internet_gateway", &state, &cfg).await;

    // Out-of-band retag: drift, repaired in place.
    ec2()
        .await
        .create_tags()
        .resources(&id)
        .tags(Tag::builder().key("Name").value("other").build())
        .send()
        .await
        .expect("retag");
    let drifted = read(&p, "aws_egress_only_internet_gateway", &fresh)
        .await
        .expect("there");
    let resp = plan(&p, "aws_egress_only_internet_gateway", &drifted, &cfg).await;
    assert_eq!(plan_changes(&resp, &drifted), vec!["tags", "tags_all"]);
    let repaired = update(&p, "aws_egress_only_internet_gateway", &drifted, &cfg).await;
    assert_eq!(sdk_tags(live_eigws(&id).await[0].tags()), pairs(&[("Name", "v6-out")]));

    // Another VPC replaces the gateway.
    let mut moved = cfg.clone();
    if let Value::Map(m) = &mut moved {
        m.insert("vpc_id".into(), s("vpc-12345678"));
    }
    let resp = plan(&p, "aws_egress_only_internet_gateway", &repaired, &moved).await;
    assert_eq!(resp.requires_replace.len(), 1);

    // Import by id.
    let imported = import(&p, "aws_egress_only_internet_gateway", &id).await;
    for k in ["id", "vpc_id", "tags", "tags_all"] {
        assert_eq!(imported.get(k), repaired.get(k), "imported {k}");
    }

    // Destroy; a refresh then finds it gone.
    delete(&p, "aws_egress_only_internet_gateway", &repaired).await;
    assert!(live_eigws(&id).await.is_empty());
    assert!(read(&p, "aws_egress_only_internet_gateway", &repaired).await.is_none());
    delete(&p, "aws_vpc", &vpc).await;
}

// ---------------------------------------------------------------------------------------------
// aws_default_subnet

async fn default_subnet_in(az: &str) -> Option<aws_sdk_ec2::types::Subnet> {
    ec2()
        .await
        .describe_subnets()
        .filters(Filter::builder().name("availability-zone").values(az).build())
        .filters(Filter::builder().name("default-for-az").values("true").build())
        .send()
        .await
        .expect("describe subnets")
        .subnets()
        .first()
        .cloned()
}

#[tokio::test]
async fn default_subnet_is_adopted_forgotten_and_force_destroyed() {
    let p = provider().await;
    // The zone whose default subnet has the default VPC's last /20: moto 5.2's CreateDefaultSubnet
    // takes the n-th /20 for the n-th subnet, which only works again after deleting the last one.
    let all = ec2()
        .await
        .describe_subnets()
        .filters(Filter::builder().name("default-for-az").values("true").build())
        .send()
        .await
        .expect("describe subnets")
        .subnets()
        .to_vec();
    let last = all
        .iter()
        .max_by_key(|s| {
            s.cidr_block()
                .and_then(|c| c.split('/').next()?.parse::<std::net::Ipv4Addr>().ok())
        })
        .expect("moto has default subnets");
    let az = last.availability_zone().expect("a zone").to_string();
    let az = az.as_str();
    let before = default_subnet_in(az).await.expect("moto has default subnets");
    let id = before.subnet_id().expect("an id").to_string();
    let cfg = |force: bool| {
        config(
            &p,
            "aws_default_subnet",
            &[
                ("availability_zone", s(az)),
                ("map_public_ip_on_launch", Value::Bool(false)),
                ("force_destroy", Value::Bool(force)),
                ("tags", tags(&[("Name", "default")])),
            ],
        )
    };
    let c = cfg(false);
    let state = create(&p, "aws_default_subnet", c.clone()).await;
    assert_eq!(id_of(&state), id);
    assert_eq!(state.get("existing_default_subnet"), &Value::Bool(true));
    assert_eq!(state.get("cidr_block").as_str(), before.cidr_block());
    let live = default_subnet_in(az).await.expect("there");
    assert_eq!(live.map_public_ip_on_launch(), Some(false));
    assert_eq!(sdk_tags(live.tags()), pairs(&[("Name", "default")]));
    let fresh = assert_clean(&p, "aws_default_subnet", &state, &c).await;

    // Out of band: public addresses turned back on: drift, repaired.
    ec2()
        .await
        .modify_subnet_attribute()
        .subnet_id(&id)
        .map_public_ip_on_launch(aws_sdk_ec2::types::AttributeBooleanValue::builder().value(true).build())
        .send()
        .await
        .expect("modify");
    let drifted = read(&p, "aws_default_subnet", &fresh).await.expect("there");
    let resp = plan(&p, "aws_default_subnet", &drifted, &c).await;
    assert_eq!(plan_changes(&resp, &drifted), vec!["map_public_ip_on_launch"]);
    let repaired = update(&p, "aws_default_subnet", &drifted, &c).await;
    assert_eq!(
        default_subnet_in(az).await.and_then(|s| s.map_public_ip_on_launch()),
        Some(false)
    );

    // Import by subnet id; a subnet that is not a default one is refused.
    let imported = import(&p, "aws_default_subnet", &id).await;
    for k in ["id", "availability_zone", "cidr_block", "vpc_id", "tags"] {
        assert_eq!(imported.get(k), repaired.get(k), "imported {k}");
    }
    let vpc = new_vpc(&p, "10.72.0.0/16").await;
    let other = create(
        &p,
        "aws_subnet",
        config(
            &p,
            "aws_subnet",
            &[("vpc_id", s(&id_of(&vpc))), ("cidr_block", s("10.72.1.0/24"))],
        ),
    )
    .await;
    let refused = p
        .import(ImportRequest {
            type_name: "aws_default_subnet".into(),
            address: "aws_default_subnet.x".into(),
            id: id_of(&other),
        })
        .await
        .expect_err("not a default subnet");
    assert_eq!(refused.code.as_deref(), Some("InvalidImportId"));
    delete(&p, "aws_subnet", &other).await;
    delete(&p, "aws_vpc", &vpc).await;

    // Destroy without force_destroy forgets; with it the subnet goes.
    delete(&p, "aws_default_subnet", &repaired).await;
    assert!(default_subnet_in(az).await.is_some(), "the default subnet stays");
    let forced = create(&p, "aws_default_subnet", cfg(true)).await;
    delete(&p, "aws_default_subnet", &forced).await;
    assert!(default_subnet_in(az).await.is_none(), "force_destroy deletes it");

    // A zone without one gets a new default subnet (CreateDefaultSubnet).
    let made = create(&p, "aws_default_subnet", cfg(false)).await;
    assert_eq!(made.get("existing_default_subnet"), &Value::Bool(false));
    assert_eq!(
        default_subnet_in(az)
            .await
            .and_then(|s| s.subnet_id().map(str::to_string)),
        Some(id_of(&made))
    );
}
