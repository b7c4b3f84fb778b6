//! `tests/terraform-compat/sagemaker-private-vpc` end to end against moto through the `plinth`
//! binary: apply, check with our own EC2 reads (the group's rules from separate resources, the
//! endpoints, the locked-down default group), re-plan clean (the group without inline rules
//! leaves the rule resources' rules alone), destroy, and check nothing is left.

mod support;

use std::path::{Path, PathBuf};
use std::process::Output;

use aws_sdk_ec2::types::Filter;
use support::moto::{moto, output_text as text, run_plinth, sdk_config};

fn plinth(dir: &Path, endpoint: &str, args: &[&str]) -> Output {
    run_plinth(dir, endpoint, args, &[])
}

async fn ec2(endpoint: &str) -> aws_sdk_ec2::Client {
    aws_sdk_ec2::Client::new(&sdk_config(endpoint).await)
}

fn filter(name: &str, value: &str) -> Filter {
    Filter::builder().name(name).values(value).build()
}

#[tokio::test(flavor = "multi_thread")]
async fn sagemaker_private_vpc_applies_replans_clean_and_destroys() {
    let m = moto();
    let tmp = tempfile::tempdir().expect("tempdir");
    let dir: PathBuf = tmp.path().join("sagemaker-private-vpc");
    std::fs::create_dir_all(&dir).expect("mkdir");
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/terraform-compat/sagemaker-private-vpc/main.hcl");
    std::fs::copy(src, dir.join("main.hcl")).expect("copy");
    let sdk = ec2(&m.1).await;

    let o = plinth(&dir, &m.1, &["validate"]);
    assert!(o.status.success(), "validate failed:\n{}", text(&o));
    let o = plinth(&dir, &m.1, &["apply", "--auto-approve"]);
    assert!(o.status.success(), "apply failed:\n{}", text(&o));
    assert!(
        String::from_utf8_lossy(&o.stdout).contains("Apply complete! Resources: 13 added"),
        "{}",
        text(&o)
    );

    let vpcs = sdk
        .describe_vpcs()
        .filters(filter("tag:Name", "sm-private"))
        .send()
        .await
        .expect("describe vpcs");
    let vpc_id = vpcs
        .vpcs()
        .first()
        .and_then(|v| v.vpc_id())
        .expect("the VPC")
        .to_string();
    let groups = sdk
        .describe_security_groups()
        .filters(filter("vpc-id", &vpc_id))
        .send()
        .await
        .expect("describe groups");
    let sg = groups
        .security_groups()
        .iter()
        .find(|g| g.group_name() == Some("sm-private-sagemaker"))
        .expect("the SageMaker group");
    let sg_id = sg.group_id().expect("an id");
    // The three rule resources' rules, and no other.
    assert!(
        sg.ip_permissions()
            .iter()
            .any(|p| p.ip_protocol() == Some("-1")
                && p.user_id_group_pairs().iter().any(|g| g.group_id() == Some(sg_id))),
        "self rule: {:?}",
        sg.ip_permissions()
    );
    assert!(
        sg.ip_permissions()
            .iter()
            .any(|p| p.from_port() == Some(443) && p.ip_ranges().iter().any(|r| r.cidr_ip() == Some("10.80.0.0/16"))),
        "https rule: {:?}",
        sg.ip_permissions()
    );
    assert_eq!(sg.ip_permissions().len(), 2, "{:?}", sg.ip_permissions());
    assert_eq!(sg.ip_permissions_egress().len(), 1, "{:?}", sg.ip_permissions_egress());
    let default = groups
        .security_groups()
        .iter()
        .find(|g| g.group_name() == Some("default"))
        .expect("the default group");
    assert!(
        default.ip_permissions().is_empty() && default.ip_permissions_egress().is_empty(),
        "the default group is locked down: {default:?}"
    );
    let endpoints = sdk.describe_vpc_endpoints().send().await.expect("describe endpoints");
    let mine: Vec<_> = endpoints
        .vpc_endpoints()
        .iter()
        .filter(|e| e.vpc_id() == Some(vpc_id.as_str()) && e.state().map(|s| s.as_str()) == Some("available"))
        .collect();
    assert_eq!(mine.len(), 2, "{mine:?}");
    let s3 = mine
        .iter()
        .find(|e| e.service_name() == Some("com.amazonaws.us-east-1.s3"))
        .expect("the S3 endpoint");
    assert_eq!(s3.route_table_ids().len(), 1);
    let api = mine
        .iter()
        .find(|e| e.service_name() == Some("com.amazonaws.us-east-1.sagemaker.api"))
        .expect("the SageMaker API endpoint");
    assert_eq!(api.subnet_ids().len(), 2);
    assert_eq!(api.private_dns_enabled(), Some(true));
    assert!(api.groups().iter().any(|g| g.group_id() == Some(sg_id)));

    // Re-planned clean.
    let o = plinth(&dir, &m.1, &["plan", "--detailed-exitcode"]);
    assert_eq!(o.status.code(), Some(0), "plan is not clean:\n{}", text(&o));
    assert!(
        String::from_utf8_lossy(&o.stdout).contains("No changes."),
        "{}",
        text(&o)
    );
    // Nor is it drift: the rules the rule resources added are not the group's to report.
    let o = plinth(&dir, &m.1, &["drift"]);
    assert_eq!(o.status.code(), Some(0), "drift reported:\n{}", text(&o));

    let o = plinth(&dir, &m.1, &["destroy", "--auto-approve"]);
    assert!(o.status.success(), "destroy failed:\n{}", text(&o));
    assert!(
        String::from_utf8_lossy(&o.stdout).contains("Resources: 13 destroyed"),
        "{}",
        text(&o)
    );
    let vpcs = sdk
        .describe_vpcs()
        .filters(filter("tag:Name", "sm-private"))
        .send()
        .await
        .expect("describe vpcs");
    assert!(vpcs.vpcs().is_empty(), "{vpcs:?}");
    let left = sdk.describe_vpc_endpoints().send().await.expect("endpoints");
    assert!(
        left.vpc_endpoints()
            .iter()
            .all(|e| e.vpc_id() != Some(vpc_id.as_str()) || e.state().map(|s| s.as_str()) == Some("deleted")),
        "{left:?}"
    );
}
