//! The VPC's DHCP options, secondary CIDR blocks, customer and VPN gateways against moto: each
//! type is created, checked with our own EC2 client, changed out of band (drift, repaired in
//! place where the type allows), imported and destroyed. VPN route propagation and VPC Block
//! Public Access are not served by moto 5.2: their tests are ignored and say so.

mod common;

use common::ec2::*;
use common::*;
use plinth_aws::AwsProvider;
use plinth_sdk::{Provider, Value};

/// Re-plans `state` against `cfg`: no replacement, and the attributes that would change.
async fn changes(p: &AwsProvider, type_name: &str, state: &Value, cfg: &Value) -> Vec<String> {
    let resp = plan(p, type_name, state, cfg).await;
    assert!(
        resp.requires_replace.is_empty(),
        "{type_name}: {:?}",
        resp.requires_replace
    );
    plan_changes(&resp, state)
}

fn errors(p: &AwsProvider, type_name: &str, given: &[(&str, Value)]) -> Vec<String> {
    validate(p, type_name, &config(p, type_name, given))
}

/// The DHCP options set a VPC uses now.
async fn vpc_dhcp(vpc: &str) -> String {
    ec2()
        .await
        .describe_vpcs()
        .vpc_ids(vpc)
        .send()
        .await
        .expect("describe vpcs")
        .vpcs()[0]
        .dhcp_options_id()
        .unwrap_or_default()
        .to_string()
}

async fn dhcp_exists(id: &str) -> bool {
    ec2()
        .await
        .describe_dhcp_options()
        .dhcp_options_ids(id)
        .send()
        .await
        .is_ok()
}

#[tokio::test]
async fn dhcp_options_and_their_association() {
    let p = provider().await;
    assert_eq!(
        errors(&p, "aws_vpc_dhcp_options", &[]),
        ["aws_vpc_dhcp_options needs at least one option"]
    );
    let vpc = make(&p, "aws_vpc", &[("cidr_block", s("10.90.0.0/16"))]).await;
    let vpc_id = id_of(&vpc);

    let opts_cfg = config(
        &p,
        "aws_vpc_dhcp_options",
        &[
            ("domain_name", s("train.internal")),
            (
                "domain_name_servers",
                Value::List(vec![s("10.90.0.2"), s("AmazonProvidedDNS")]),
            ),
            ("ntp_servers", Value::List(vec![s("169.254.169.123")])),
            ("netbios_node_type", s("2")),
            ("tags", tags(&[("Name", "gpu")])),
        ],
    );
    let opts = create(&p, "aws_vpc_dhcp_options", opts_cfg.clone()).await;
    let dopt = id_of(&opts);
    assert!(dopt.starts_with("dopt-"), "{dopt}");
    assert_eq!(
        opts.get("arn"),
        &s(&format!("arn:aws:ec2:us-east-1:123456789012:dhcp-options/{dopt}"))
    );
    let live = ec2()
        .await
        .describe_dhcp_options()
        .dhcp_options_ids(&dopt)
        .send()
        .await
        .expect("describe")
        .dhcp_options()[0]
        .clone();
    let mut conf: Vec<(String, Vec<String>)> = live
        .dhcp_configurations()
        .iter()
        .map(|c| {
            (
                c.key().unwrap_or_default().to_string(),
                c.values()
                    .iter()
                    .filter_map(|v| v.value().map(str::to_string))
                    .collect(),
            )
        })
        .collect();
    conf.sort();
    assert_eq!(
        conf,
        vec![
            ("domain-name".to_string(), vec!["train.internal".to_string()]),
            (
                "domain-name-servers".to_string(),
                vec!["10.90.0.2".to_string(), "AmazonProvidedDNS".to_string()]
            ),
            ("netbios-node-type".to_string(), vec!["2".to_string()]),
            ("ntp-servers".to_string(), vec!["169.254.169.123".to_string()]),
        ]
    );
    assert_eq!(sdk_tags(live.tags()), pairs(&[("Name", "gpu")]));
    let fresh = read(&p, "aws_vpc_dhcp_options", &opts).await.expect("exists");
    assert_eq!(fresh, opts);
    assert!(changes(&p, "aws_vpc_dhcp_options", &fresh, &opts_cfg).await.is_empty());

    // Another option is another set.
    let mut other = opts_cfg.clone();
    if let Value::Map(m) = &mut other {
        m.insert("domain_name".into(), s("other.internal"));
    }
    let resp = plan(&p, "aws_vpc_dhcp_options", &fresh, &other).await;
    assert_eq!(resp.requires_replace.len(), 1, "{:?}", resp.requires_replace);

    // Tags changed by hand are drift, repaired in place.
    retag(&dopt, "Name", "by-hand").await;
    let drifted = read(&p, "aws_vpc_dhcp_options", &fresh).await.expect("exists");
    assert_eq!(
        changes(&p, "aws_vpc_dhcp_options", &drifted, &opts_cfg).await,
        ["tags", "tags_all"]
    );
    let opts = update(&p, "aws_vpc_dhcp_options", &drifted, &opts_cfg).await;
    assert_eq!(opts.get("tags"), &tags(&[("Name", "gpu")]));

    let imported = import(&p, "aws_vpc_dhcp_options", &dopt).await;
    assert_eq!(imported.get("domain_name_servers"), opts.get("domain_name_servers"));
    assert_eq!(imported.get("ntp_servers"), opts.get("ntp_servers"));
    assert_eq!(imported.get("domain_name"), &s("train.internal"));

    // The association.
    let assoc_cfg = config(
        &p,
        "aws_vpc_dhcp_options_association",
        &[("vpc_id", s(&vpc_id)), ("dhcp_options_id", s(&dopt))],
    );
    let assoc = create(&p, "aws_vpc_dhcp_options_association", assoc_cfg.clone()).await;
    assert_eq!(assoc.get("id"), &s(&format!("{dopt}-{vpc_id}")));
    assert_eq!(vpc_dhcp(&vpc_id).await, dopt);
    assert_eq!(import(&p, "aws_vpc_dhcp_options_association", &vpc_id).await, assoc);
    let fresh = read(&p, "aws_vpc_dhcp_options_association", &assoc)
        .await
        .expect("exists");
    assert!(
        changes(&p, "aws_vpc_dhcp_options_association", &fresh, &assoc_cfg)
            .await
            .is_empty()
    );

    // Given the default options by hand: drift, repaired in place.
    ec2()
        .await
        .associate_dhcp_options()
        .dhcp_options_id("default")
        .vpc_id(&vpc_id)
        .send()
        .await
        .expect("associate default");
    let drifted = read(&p, "aws_vpc_dhcp_options_association", &fresh)
        .await
        .expect("the VPC exists");
    assert_eq!(drifted.get("dhcp_options_id"), &s("default"));
    assert_eq!(
        changes(&p, "aws_vpc_dhcp_options_association", &drifted, &assoc_cfg).await,
        ["dhcp_options_id"]
    );
    let assoc = update(&p, "aws_vpc_dhcp_options_association", &drifted, &assoc_cfg).await;
    assert_eq!(assoc.get("id"), &s(&format!("{dopt}-{vpc_id}")));
    assert_eq!(vpc_dhcp(&vpc_id).await, dopt);

    // Destroying the association gives the VPC the default options back.
    delete(&p, "aws_vpc_dhcp_options_association", &assoc).await;
    assert_eq!(vpc_dhcp(&vpc_id).await, "default");

    // A set still in use (associated by hand) is taken off its VPC and deleted; a refresh of it
    // and of the one still there reads them in one call.
    let second = make(&p, "aws_vpc_dhcp_options", &[("domain_name", s("second.internal"))]).await;
    let second_id = id_of(&second);
    ec2()
        .await
        .associate_dhcp_options()
        .dhcp_options_id(&second_id)
        .vpc_id(&vpc_id)
        .send()
        .await
        .expect("associate");
    delete(&p, "aws_vpc_dhcp_options", &second).await;
    assert!(!dhcp_exists(&second_id).await);
    assert_eq!(vpc_dhcp(&vpc_id).await, "default");
    let before = p.call_count();
    let both = p
        .read(read_request(
            "aws_vpc_dhcp_options",
            "o",
            &[opts.clone(), second.clone()],
        ))
        .await
        .expect("read");
    assert_eq!(p.call_count() - before, 1, "one DescribeDhcpOptions for both");
    assert!(both.states[0].is_some() && both.states[1].is_none());

    delete(&p, "aws_vpc_dhcp_options", &opts).await;
    assert!(!dhcp_exists(&dopt).await);
    delete(&p, "aws_vpc", &vpc).await;
}

/// The live state of a CIDR block association, if the VPC lists it.
async fn cidr_state(vpc: &str, assoc: &str) -> Option<String> {
    ec2()
        .await
        .describe_vpcs()
        .vpc_ids(vpc)
        .send()
        .await
        .expect("describe vpcs")
        .vpcs()[0]
        .cidr_block_association_set()
        .iter()
        .find(|a| a.association_id() == Some(assoc))
        .and_then(|a| a.cidr_block_state())
        .and_then(|s| s.state())
        .map(|s| s.as_str().to_string())
}

#[tokio::test]
async fn secondary_vpc_cidr_blocks() {
    let p = provider().await;
    assert_eq!(
        errors(&p, "aws_vpc_ipv4_cidr_block_association", &[("vpc_id", s("vpc-1"))]),
        ["aws_vpc_ipv4_cidr_block_association needs cidr_block"]
    );
    let vpc = make(&p, "aws_vpc", &[("cidr_block", s("10.100.0.0/16"))]).await;
    let vpc_id = id_of(&vpc);
    let cfg = |cidr: &str| {
        config(
            &p,
            "aws_vpc_ipv4_cidr_block_association",
            &[("vpc_id", s(&vpc_id)), ("cidr_block", s(cidr))],
        )
    };
    let a = create(&p, "aws_vpc_ipv4_cidr_block_association", cfg("10.101.0.0/16")).await;
    let b = create(&p, "aws_vpc_ipv4_cidr_block_association", cfg("10.102.0.0/16")).await;
    let a_id = id_of(&a);
    assert!(a_id.starts_with("vpc-cidr-assoc-"), "{a_id}");
    assert_eq!(a.get("cidr_block"), &s("10.101.0.0/16"));
    assert_eq!(cidr_state(&vpc_id, &a_id).await.as_deref(), Some("associated"));
    assert_eq!(cidr_state(&vpc_id, &id_of(&b)).await.as_deref(), Some("associated"));

    // One read for both, clean plans; another range is another association.
    let before = p.call_count();
    let both = p
        .read(read_request(
            "aws_vpc_ipv4_cidr_block_association",
            "c",
            &[a.clone(), b.clone()],
        ))
        .await
        .expect("read");
    assert_eq!(p.call_count() - before, 1, "one DescribeVpcs for both");
    assert_eq!(both.states[0].as_ref(), Some(&a));
    assert_eq!(both.states[1].as_ref(), Some(&b));
    assert!(
        changes(&p, "aws_vpc_ipv4_cidr_block_association", &a, &cfg("10.101.0.0/16"))
            .await
            .is_empty()
    );
    let resp = plan(&p, "aws_vpc_ipv4_cidr_block_association", &a, &cfg("10.103.0.0/16")).await;
    assert_eq!(resp.requires_replace.len(), 1);

    assert_eq!(import(&p, "aws_vpc_ipv4_cidr_block_association", &a_id).await, a);

    // Removed by hand: refresh finds it gone (the next apply adds it again); destroy is a no-op.
    ec2()
        .await
        .disassociate_vpc_cidr_block()
        .association_id(&a_id)
        .send()
        .await
        .expect("disassociate");
    assert!(read(&p, "aws_vpc_ipv4_cidr_block_association", &a).await.is_none());
    delete(&p, "aws_vpc_ipv4_cidr_block_association", &a).await;

    delete(&p, "aws_vpc_ipv4_cidr_block_association", &b).await;
    assert_eq!(cidr_state(&vpc_id, &id_of(&b)).await.as_deref(), Some("disassociated"));
    delete(&p, "aws_vpc", &vpc).await;
}

async fn live_cgw(id: &str) -> aws_sdk_ec2::types::CustomerGateway {
    ec2()
        .await
        .describe_customer_gateways()
        .customer_gateway_ids(id)
        .send()
        .await
        .expect("describe")
        .customer_gateways()[0]
        .clone()
}

#[tokio::test]
async fn customer_gateway_lifecycle() {
    let p = provider().await;
    assert_eq!(
        errors(
            &p,
            "aws_customer_gateway",
            &[
                ("type", s("ipsec.1")),
                ("bgp_asn", s("65000")),
                ("bgp_asn_extended", s("4200000000"))
            ]
        ),
        ["Conflicting bgp_asn and bgp_asn_extended"]
    );
    assert_eq!(
        errors(
            &p,
            "aws_customer_gateway",
            &[("type", s("ipsec.2")), ("bgp_asn", s("x"))]
        ),
        ["Invalid type", "Invalid bgp_asn"]
    );
    let cfg = config(
        &p,
        "aws_customer_gateway",
        &[
            ("type", s("ipsec.1")),
            ("bgp_asn", s("65010")),
            ("ip_address", s("198.51.100.7")),
            ("tags", tags(&[("Name", "dc-1")])),
        ],
    );
    let cgw = create(&p, "aws_customer_gateway", cfg.clone()).await;
    let id = id_of(&cgw);
    assert!(id.starts_with("cgw-"), "{id}");
    assert_eq!(
        cgw.get("arn"),
        &s(&format!("arn:aws:ec2:us-east-1:123456789012:customer-gateway/{id}"))
    );
    let l = live_cgw(&id).await;
    assert_eq!(l.bgp_asn(), Some("65010"));
    assert_eq!(l.ip_address(), Some("198.51.100.7"));
    assert_eq!(l.r#type(), Some("ipsec.1"));
    assert_eq!(sdk_tags(l.tags()), pairs(&[("Name", "dc-1")]));
    let fresh = read(&p, "aws_customer_gateway", &cgw).await.expect("exists");
    assert_eq!(fresh, cgw);
    assert!(changes(&p, "aws_customer_gateway", &fresh, &cfg).await.is_empty());

    retag(&id, "Name", "by-hand").await;
    let drifted = read(&p, "aws_customer_gateway", &fresh).await.expect("exists");
    assert_eq!(
        changes(&p, "aws_customer_gateway", &drifted, &cfg).await,
        ["tags", "tags_all"]
    );
    let cgw = update(&p, "aws_customer_gateway", &drifted, &cfg).await;
    assert_eq!(sdk_tags(live_cgw(&id).await.tags()), pairs(&[("Name", "dc-1")]));

    assert_eq!(
        import(&p, "aws_customer_gateway", &id).await.get("ip_address"),
        &s("198.51.100.7")
    );

    // Deleted gateways stay listed as `deleted`: gone for Plinth.
    delete(&p, "aws_customer_gateway", &cgw).await;
    assert_eq!(live_cgw(&id).await.state(), Some("deleted"));
    assert!(read(&p, "aws_customer_gateway", &cgw).await.is_none());
}

async fn live_vgw(id: &str) -> aws_sdk_ec2::types::VpnGateway {
    ec2()
        .await
        .describe_vpn_gateways()
        .vpn_gateway_ids(id)
        .send()
        .await
        .expect("describe")
        .vpn_gateways()[0]
        .clone()
}

/// The VPCs a VPN gateway is attached to now.
async fn attached_to(id: &str) -> Vec<String> {
    live_vgw(id)
        .await
        .vpc_attachments()
        .iter()
        .filter(|a| a.state().map(|s| s.as_str()) == Some("attached"))
        .filter_map(|a| a.vpc_id().map(str::to_string))
        .collect()
}

#[tokio::test]
async fn vpn_gateways_and_attachments() {
    let p = provider().await;
    let vpc_a = make(&p, "aws_vpc", &[("cidr_block", s("10.110.0.0/16"))]).await;
    let vpc_b = make(&p, "aws_vpc", &[("cidr_block", s("10.111.0.0/16"))]).await;
    let (a, b) = (id_of(&vpc_a), id_of(&vpc_b));

    // A gateway attached through its own vpc_id.
    let cfg = |vpc: &str| {
        config(
            &p,
            "aws_vpn_gateway",
            &[
                ("vpc_id", s(vpc)),
                ("amazon_side_asn", s("64600")),
                ("tags", tags(&[("Name", "vpn")])),
            ],
        )
    };
    let vgw = create(&p, "aws_vpn_gateway", cfg(&a)).await;
    let id = id_of(&vgw);
    assert!(id.starts_with("vgw-"), "{id}");
    assert_eq!(vgw.get("vpc_id"), &s(&a));
    assert_eq!(vgw.get("amazon_side_asn"), &s("64600"));
    assert_eq!(
        vgw.get("arn"),
        &s(&format!("arn:aws:ec2:us-east-1:123456789012:vpn-gateway/{id}"))
    );
    let l = live_vgw(&id).await;
    assert_eq!(l.amazon_side_asn(), Some(64600));
    assert_eq!(sdk_tags(l.tags()), pairs(&[("Name", "vpn")]));
    assert_eq!(attached_to(&id).await, [a.as_str()]);
    let fresh = read(&p, "aws_vpn_gateway", &vgw).await.expect("exists");
    assert!(changes(&p, "aws_vpn_gateway", &fresh, &cfg(&a)).await.is_empty());

    // Detached by hand: drift, attached again in place.
    ec2()
        .await
        .detach_vpn_gateway()
        .vpn_gateway_id(&id)
        .vpc_id(&a)
        .send()
        .await
        .expect("detach");
    let drifted = read(&p, "aws_vpn_gateway", &fresh).await.expect("exists");
    assert_eq!(drifted.get("vpc_id"), &Value::Null);
    assert_eq!(changes(&p, "aws_vpn_gateway", &drifted, &cfg(&a)).await, ["vpc_id"]);
    let vgw = update(&p, "aws_vpn_gateway", &drifted, &cfg(&a)).await;
    assert_eq!(attached_to(&id).await, [a.as_str()]);

    // Moved to another VPC in place.
    let vgw = update(&p, "aws_vpn_gateway", &vgw, &cfg(&b)).await;
    assert_eq!(vgw.get("vpc_id"), &s(&b));
    assert_eq!(attached_to(&id).await, [b.as_str()]);

    let imported = import(&p, "aws_vpn_gateway", &id).await;
    assert_eq!(imported.get("vpc_id"), &s(&b));
    assert_eq!(imported.get("tags"), &tags(&[("Name", "vpn")]));

    // Destroy detaches it, then deletes it (listed as `deleted`, gone for Plinth).
    delete(&p, "aws_vpn_gateway", &vgw).await;
    let l = live_vgw(&id).await;
    assert_eq!(l.state().map(|s| s.as_str()), Some("deleted"));
    assert!(attached_to(&id).await.is_empty());
    assert!(read(&p, "aws_vpn_gateway", &vgw).await.is_none());

    // A gateway without vpc_id, attached by aws_vpn_gateway_attachment.
    let bare_cfg = config(&p, "aws_vpn_gateway", &[]);
    let bare = create(&p, "aws_vpn_gateway", bare_cfg.clone()).await;
    let bare_id = id_of(&bare);
    let att_cfg = config(
        &p,
        "aws_vpn_gateway_attachment",
        &[("vpn_gateway_id", s(&bare_id)), ("vpc_id", s(&a))],
    );
    let att = create(&p, "aws_vpn_gateway_attachment", att_cfg.clone()).await;
    let expected = format!(
        "vpn-attachment-{:x}",
        crc32fast::hash(format!("{a}-{bare_id}").as_bytes())
    );
    assert_eq!(att.get("id"), &s(&expected));
    assert_eq!(attached_to(&bare_id).await, [a.as_str()]);
    // The gateway's vpc_id, left out, follows the attachment: no change planned.
    let bare = read(&p, "aws_vpn_gateway", &bare).await.expect("exists");
    assert_eq!(bare.get("vpc_id"), &s(&a));
    assert!(changes(&p, "aws_vpn_gateway", &bare, &bare_cfg).await.is_empty());
    let fresh = read(&p, "aws_vpn_gateway_attachment", &att).await.expect("attached");
    assert_eq!(fresh, att);
    assert!(
        changes(&p, "aws_vpn_gateway_attachment", &fresh, &att_cfg)
            .await
            .is_empty()
    );
    assert_eq!(
        import(&p, "aws_vpn_gateway_attachment", &format!("{bare_id}/{a}")).await,
        att
    );

    // Detached by hand: refresh finds the attachment gone; destroy of it is then a no-op.
    ec2()
        .await
        .detach_vpn_gateway()
        .vpn_gateway_id(&bare_id)
        .vpc_id(&a)
        .send()
        .await
        .expect("detach");
    assert!(read(&p, "aws_vpn_gateway_attachment", &att).await.is_none());
    delete(&p, "aws_vpn_gateway_attachment", &att).await;

    // Attached again, then destroyed.
    let att = create(&p, "aws_vpn_gateway_attachment", att_cfg).await;
    assert_eq!(attached_to(&bare_id).await, [a.as_str()]);
    delete(&p, "aws_vpn_gateway_attachment", &att).await;
    assert!(attached_to(&bare_id).await.is_empty());

    delete(&p, "aws_vpn_gateway", &bare).await;
    delete(&p, "aws_vpc", &vpc_a).await;
    delete(&p, "aws_vpc", &vpc_b).await;
}

#[tokio::test]
#[ignore = "moto 5.2 lacks EnableVgwRoutePropagation and DisableVgwRoutePropagation (and lists no PropagatingVgws)"]
async fn vpn_gateway_route_propagation() {
    let p = provider().await;
    let vpc = make(&p, "aws_vpc", &[("cidr_block", s("10.120.0.0/16"))]).await;
    let vpc_id = id_of(&vpc);
    let rt = make(&p, "aws_route_table", &[("vpc_id", s(&vpc_id))]).await;
    let vgw = make(&p, "aws_vpn_gateway", &[("vpc_id", s(&vpc_id))]).await;
    let (rt_id, vgw_id) = (id_of(&rt), id_of(&vgw));
    let cfg = config(
        &p,
        "aws_vpn_gateway_route_propagation",
        &[("vpn_gateway_id", s(&vgw_id)), ("route_table_id", s(&rt_id))],
    );
    let prop = create(&p, "aws_vpn_gateway_route_propagation", cfg.clone()).await;
    assert_eq!(prop.get("id"), &s(&format!("{vgw_id}_{rt_id}")));
    let propagating = || async {
        ec2()
            .await
            .describe_route_tables()
            .route_table_ids(&rt_id)
            .send()
            .await
            .expect("describe")
            .route_tables()[0]
            .propagating_vgws()
            .iter()
            .any(|v| v.gateway_id() == Some(vgw_id.as_str()))
    };
    assert!(propagating().await);
    let fresh = read(&p, "aws_vpn_gateway_route_propagation", &prop).await.expect("on");
    assert!(
        changes(&p, "aws_vpn_gateway_route_propagation", &fresh, &cfg)
            .await
            .is_empty()
    );
    assert_eq!(
        import(&p, "aws_vpn_gateway_route_propagation", &format!("{vgw_id}_{rt_id}")).await,
        prop
    );
    // Turned off by hand: refresh finds it gone.
    ec2()
        .await
        .disable_vgw_route_propagation()
        .gateway_id(&vgw_id)
        .route_table_id(&rt_id)
        .send()
        .await
        .expect("disable");
    assert!(read(&p, "aws_vpn_gateway_route_propagation", &prop).await.is_none());
    let prop = create(&p, "aws_vpn_gateway_route_propagation", cfg).await;
    delete(&p, "aws_vpn_gateway_route_propagation", &prop).await;
    assert!(!propagating().await);
    delete(&p, "aws_vpn_gateway", &vgw).await;
    delete(&p, "aws_route_table", &rt).await;
    delete(&p, "aws_vpc", &vpc).await;
}

#[tokio::test]
#[ignore = "moto 5.2 lacks VPC Block Public Access (DescribeVpcBlockPublicAccessOptions, ModifyVpcBlockPublicAccessOptions and the exclusion calls)"]
async fn vpc_block_public_access_options_and_exclusions() {
    let p = provider().await;
    let mode = || async {
        ec2()
            .await
            .describe_vpc_block_public_access_options()
            .send()
            .await
            .expect("describe")
            .vpc_block_public_access_options()
            .and_then(|o| o.internet_gateway_block_mode())
            .map(|m| m.as_str().to_string())
    };
    let cfg = |m: &str| {
        config(
            &p,
            "aws_vpc_block_public_access_options",
            &[("internet_gateway_block_mode", s(m))],
        )
    };
    let opts = create(&p, "aws_vpc_block_public_access_options", cfg("block-ingress")).await;
    assert_eq!(opts.get("id"), &s("us-east-1"));
    assert_eq!(mode().await.as_deref(), Some("block-ingress"));
    let opts = update(
        &p,
        "aws_vpc_block_public_access_options",
        &opts,
        &cfg("block-bidirectional"),
    )
    .await;
    assert_eq!(mode().await.as_deref(), Some("block-bidirectional"));
    assert_eq!(
        import(&p, "aws_vpc_block_public_access_options", "us-east-1").await,
        opts
    );

    let vpc = make(&p, "aws_vpc", &[("cidr_block", s("10.130.0.0/16"))]).await;
    let ex_cfg = |m: &str| {
        config(
            &p,
            "aws_vpc_block_public_access_exclusion",
            &[
                ("vpc_id", s(&id_of(&vpc))),
                ("internet_gateway_exclusion_mode", s(m)),
                ("tags", tags(&[("Name", "egress")])),
            ],
        )
    };
    let ex = create(&p, "aws_vpc_block_public_access_exclusion", ex_cfg("allow-egress")).await;
    let ex_id = id_of(&ex);
    assert!(ex_id.starts_with("vpcbpa-exclude-"), "{ex_id}");
    assert_eq!(ex.get("vpc_id"), &s(&id_of(&vpc)));
    let ex = update(
        &p,
        "aws_vpc_block_public_access_exclusion",
        &ex,
        &ex_cfg("allow-bidirectional"),
    )
    .await;
    assert_eq!(ex.get("internet_gateway_exclusion_mode"), &s("allow-bidirectional"));
    assert_eq!(import(&p, "aws_vpc_block_public_access_exclusion", &ex_id).await, ex);
    delete(&p, "aws_vpc_block_public_access_exclusion", &ex).await;
    assert!(read(&p, "aws_vpc_block_public_access_exclusion", &ex).await.is_none());

    delete(&p, "aws_vpc_block_public_access_options", &opts).await;
    assert_eq!(mode().await.as_deref(), Some("off"));
    delete(&p, "aws_vpc", &vpc).await;
}
