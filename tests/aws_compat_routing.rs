//! `tests/terraform-compat/gpu-vpc-routing` end to end against moto through the `plinth` binary:
//! zones from `aws_availability_zones` drive the counts, the image comes from `aws_ami`; apply,
//! check the network with our own EC2 reads (public subnets through the IGW, each private subnet
//! through its zone's NAT gateway), re-plan clean, destroy, and check nothing is left.
//! moto has no "Deep Learning AMI GPU PyTorch" image, so `ami_name_pattern` points at one of its
//! fixtures ("Deep Learning AMI Ubuntu*").

mod support;

use std::path::{Path, PathBuf};
use std::process::Output;

use aws_sdk_ec2::types::Filter;
use support::moto::{moto, output_text as text, run_plinth, sdk_config};

const AMI_VAR: &str = "ami_name_pattern=Deep Learning AMI Ubuntu*";

fn plinth(dir: &Path, endpoint: &str, args: &[&str]) -> Output {
    run_plinth(dir, endpoint, args, &[])
}

async fn ec2(endpoint: &str) -> aws_sdk_ec2::Client {
    aws_sdk_ec2::Client::new(&sdk_config(endpoint).await)
}

fn by_tag(name: &str) -> Filter {
    Filter::builder().name("tag:Name").values(name).build()
}

#[tokio::test(flavor = "multi_thread")]
async fn gpu_vpc_routing_applies_replans_clean_and_destroys() {
    let m = moto();
    let tmp = tempfile::tempdir().expect("tempdir");
    let dir: PathBuf = tmp.path().join("gpu-vpc-routing");
    std::fs::create_dir_all(&dir).expect("mkdir");
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/terraform-compat/gpu-vpc-routing/main.hcl");
    std::fs::copy(src, dir.join("main.hcl")).expect("copy");
    let sdk = ec2(&m.1).await;

    let o = plinth(&dir, &m.1, &["apply", "--auto-approve", "-var", AMI_VAR]);
    assert!(o.status.success(), "apply failed:\n{}", text(&o));
    let out = String::from_utf8_lossy(&o.stdout).to_string();
    assert!(out.contains("Apply complete! Resources: 21 added"), "{}", text(&o));
    assert!(out.contains("gpu_ami_id = \"ami-dca37ea5\""), "{}", text(&o));

    // Our own reads. Two NAT gateways, available, one per public subnet.
    let nats = sdk.describe_nat_gateways().send().await.expect("describe NAT gateways");
    let nats: Vec<_> = nats
        .nat_gateways()
        .iter()
        .filter(|n| n.state().map(|s| s.as_str()) == Some("available"))
        .collect();
    assert_eq!(nats.len(), 2, "{nats:?}");
    // Each private subnet's table sends 0.0.0.0/0 to a NAT gateway in the public subnet of its zone.
    for zone in ["us-east-1a", "us-east-1b"] {
        let tables = sdk
            .describe_route_tables()
            .filters(by_tag(&format!("gpu-training-private-{zone}")))
            .send()
            .await
            .expect("describe route tables");
        let table = tables.route_tables().first().expect("the private table");
        let nat_id = table
            .routes()
            .iter()
            .find(|r| r.destination_cidr_block() == Some("0.0.0.0/0"))
            .and_then(|r| r.nat_gateway_id())
            .expect("a default route through a NAT gateway");
        let nat = nats
            .iter()
            .find(|n| n.nat_gateway_id() == Some(nat_id))
            .expect("that NAT gateway");
        let public = sdk
            .describe_subnets()
            .subnet_ids(nat.subnet_id().expect("its subnet"))
            .send()
            .await
            .expect("describe subnet");
        assert_eq!(public.subnets().first().and_then(|s| s.availability_zone()), Some(zone));
        assert_eq!(
            table.associations().iter().filter(|a| a.subnet_id().is_some()).count(),
            1
        );
    }
    let public = sdk
        .describe_route_tables()
        .filters(by_tag("gpu-training-public"))
        .send()
        .await
        .expect("describe route tables");
    let public = public.route_tables().first().expect("the public table");
    assert!(
        public
            .routes()
            .iter()
            .any(|r| r.destination_cidr_block() == Some("0.0.0.0/0")
                && r.gateway_id().is_some_and(|g| g.starts_with("igw-"))),
        "{public:?}"
    );
    assert_eq!(
        public.associations().iter().filter(|a| a.subnet_id().is_some()).count(),
        2
    );

    // Re-planned clean.
    let o = plinth(&dir, &m.1, &["plan", "-var", AMI_VAR]);
    assert!(o.status.success(), "plan failed:\n{}", text(&o));
    assert!(
        String::from_utf8_lossy(&o.stdout).contains("No changes."),
        "{}",
        text(&o)
    );

    // Destroyed in dependency order: nothing of it is left.
    let o = plinth(&dir, &m.1, &["destroy", "--auto-approve", "-var", AMI_VAR]);
    assert!(o.status.success(), "destroy failed:\n{}", text(&o));
    assert!(
        String::from_utf8_lossy(&o.stdout).contains("Resources: 21 destroyed"),
        "{}",
        text(&o)
    );
    let vpcs = sdk
        .describe_vpcs()
        .filters(by_tag("gpu-training"))
        .send()
        .await
        .expect("describe vpcs");
    assert!(vpcs.vpcs().is_empty(), "{vpcs:?}");
    assert!(
        sdk.describe_addresses()
            .send()
            .await
            .expect("addresses")
            .addresses()
            .is_empty()
    );
    let igws = sdk
        .describe_internet_gateways()
        .filters(by_tag("gpu-training-igw"))
        .send()
        .await
        .expect("igws");
    assert!(igws.internet_gateways().is_empty());
    let keys = sdk.describe_key_pairs().send().await.expect("key pairs");
    assert!(keys.key_pairs().is_empty(), "{keys:?}");
}
