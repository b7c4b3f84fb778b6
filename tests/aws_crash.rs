//! An AWS configuration killed mid-apply converges without duplicates (issue 17): the
//! configuration of `tests/fixtures/aws-crash/` (a network — VPC, subnet, security group, Elastic
//! IP —, six instances, a bucket, two roles — one with a generated name —, a managed policy and
//! the SageMaker objects of a served model) is applied against moto by the `plinth` binary, which
//! is killed right after one create returns and before the state records it
//! (`PLINTH_FAULT_KILL_AFTER_CREATE`: an abort, as a `kill -9`), seven times, at seven different
//! resources; an eighth apply converges and a re-plan is clean. The emulator is then counted with
//! boto3, never through Plinth: exactly one object per address (instances and the network's
//! objects counted by Plinth's `plinth:lineage` and `plinth:address` tags), and as many objects
//! as state entries.
#![cfg(feature = "aws")]

mod support;

use std::collections::BTreeMap;
use std::os::unix::process::ExitStatusExt;
use std::path::Path;

use support::cli::{Dir, state_lineage};
use support::moto::{boto3_json, moto, output_text, run_plinth};

const KILL: &str = "PLINTH_FAULT_KILL_AFTER_CREATE";
const CONFIG: &str = include_str!("fixtures/aws-crash/main.hcl");

/// The addresses the state records.
fn state_list(dir: &Path, endpoint: &str) -> Vec<String> {
    let o = run_plinth(dir, endpoint, &["state", "list"], &[]);
    assert!(o.status.success(), "{}", output_text(&o));
    String::from_utf8_lossy(&o.stdout)
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .map(str::to_string)
        .collect()
}

/// Applies with the fault hook set to `address`; whether the hook fired (the apply aborted).
fn apply_killed_at(dir: &Path, endpoint: &str, address: &str) -> bool {
    let o = run_plinth(dir, endpoint, &["apply", "--auto-approve"], &[(KILL, address)]);
    match o.status.signal() {
        Some(6) => {
            let text = String::from_utf8_lossy(&o.stderr);
            assert!(
                text.contains(&format!("aborting after the create of {address}")),
                "{text}"
            );
            true
        }
        _ => {
            assert!(o.status.success(), "{}", output_text(&o));
            false
        }
    }
}

/// What moto holds, counted with boto3: the live instances, VPCs, subnets, security groups and
/// Elastic IPs by their `plinth:address` tag (for the lineage), and the number of each kind of
/// object the fixture makes.
fn emulator(endpoint: &str, lineage: &str) -> (BTreeMap<String, u64>, BTreeMap<String, u64>) {
    let v = boto3_json(
        endpoint,
        &["ec2", "s3", "iam", "sagemaker"],
        &format!(
            "r = ec2.describe_instances(Filters=[{{'Name': 'tag:plinth:lineage', 'Values': [{lineage:?}]}}, \
               {{'Name': 'instance-state-name', 'Values': ['pending', 'running']}}])\n\
             by = {{}}\n\
             for res in r['Reservations']:\n\
             \x20   for i in res['Instances']:\n\
             \x20       a = [t['Value'] for t in i.get('Tags', []) if t['Key'] == 'plinth:address'][0]\n\
             \x20       by[a] = by.get(a, 0) + 1\n\
             mine = [{{'Name': 'tag:plinth:lineage', 'Values': [{lineage:?}]}}]\n\
             network = ec2.describe_vpcs(Filters=mine)['Vpcs'] + ec2.describe_subnets(Filters=mine)['Subnets'] \
               + ec2.describe_security_groups(Filters=mine)['SecurityGroups'] + ec2.describe_addresses(Filters=mine)['Addresses']\n\
             for o in network:\n\
             \x20   a = [t['Value'] for t in o.get('Tags', []) if t['Key'] == 'plinth:address'][0]\n\
             \x20   by[a] = by.get(a, 0) + 1\n\
             vpcs = ec2.describe_vpcs(Filters=[{{'Name': 'tag:Name', 'Values': ['crash-vpc']}}])['Vpcs']\n\
             subnets = [s for v in vpcs for s in ec2.describe_subnets(Filters=[{{'Name': 'vpc-id', 'Values': [v['VpcId']]}}])['Subnets']]\n\
             counts = {{\n\
             \x20 'aws_vpc': len(vpcs),\n\
             \x20 'aws_subnet': len(subnets),\n\
             \x20 'aws_security_group': len([g for v in vpcs for g in ec2.describe_security_groups(Filters=[{{'Name': 'vpc-id', 'Values': [v['VpcId']]}}])['SecurityGroups'] if g['GroupName'] != 'default']),\n\
             \x20 'aws_eip': len(ec2.describe_addresses()['Addresses']),\n\
             \x20 'aws_s3_bucket': len([b for b in s3.list_buckets()['Buckets'] if b['Name'].startswith('crash-')]),\n\
             \x20 'aws_iam_role': len([x for x in iam.list_roles()['Roles'] if x['RoleName'].startswith('crash-')]),\n\
             \x20 'aws_iam_policy': len([x for x in iam.list_policies(Scope='Local')['Policies'] if x['PolicyName'].startswith('crash-')]),\n\
             \x20 'aws_sagemaker_model_package_group': len(sagemaker.list_model_package_groups()['ModelPackageGroupSummaryList']),\n\
             \x20 'aws_sagemaker_pipeline': len(sagemaker.list_pipelines()['PipelineSummaries']),\n\
             \x20 'aws_sagemaker_model': len(sagemaker.list_models()['Models']),\n\
             \x20 'aws_sagemaker_endpoint_configuration': len(sagemaker.list_endpoint_configs()['EndpointConfigs']),\n\
             \x20 'aws_sagemaker_endpoint': len(sagemaker.list_endpoints()['Endpoints']),\n\
             }}\n\
             out({{'instances': by, 'counts': counts}})"
        ),
    );
    let map = |v: &serde_json::Value| -> BTreeMap<String, u64> {
        v.as_object()
            .expect("an object")
            .iter()
            .map(|(k, n)| (k.clone(), n.as_u64().expect("a count")))
            .collect()
    };
    (map(&v["instances"]), map(&v["counts"]))
}

/// The number of state entries per resource type.
fn state_counts(addresses: &[String]) -> BTreeMap<String, u64> {
    let mut out = BTreeMap::new();
    for a in addresses {
        let ty = a.split('.').next().unwrap_or_default().to_string();
        *out.entry(ty).or_insert(0) += 1;
    }
    out
}

#[test]
fn an_apply_killed_seven_times_converges_with_no_duplicate() {
    let m = moto();
    let d = Dir::with(CONFIG);
    let root = d.path();

    // Seven kills, each right after one create returns: the VPC, subnet, security group and
    // Elastic IP in turn (EC2 creates without a client token: each is adopted by its bookkeeping
    // tags on the next apply, which then goes on to the next kill), the generated-name role
    // (before any instance: a fresh name on the next apply would make a second role), the third
    // instance (the network and the role are recorded by then; what else was in flight dies with
    // the process), the pipeline (after the instances; moto refuses a repeated pipeline name).
    let network = [
        "aws_vpc.main",
        "aws_subnet.nodes",
        "aws_security_group.nodes",
        "aws_eip.gateway",
    ];
    for address in network.into_iter().chain([
        "aws_iam_role.generated",
        "aws_instance.node[2]",
        "aws_sagemaker_pipeline.train",
    ]) {
        assert!(
            apply_killed_at(root, &m.1, address),
            "the apply was killed at {address}"
        );
        let recorded = state_list(root, &m.1);
        assert!(!recorded.iter().any(|a| a == address), "{recorded:?}");
    }
    let lineage = state_lineage(root);
    let (tagged, _) = emulator(&m.1, &lineage);
    assert!(
        tagged.contains_key("aws_instance.node[2]") && tagged.values().all(|n| *n == 1),
        "one live instance and network object per address made, none twice: {tagged:?}"
    );
    assert!(network.iter().all(|a| tagged.contains_key(*a)), "{tagged:?}");

    // The fourth apply converges, needing no unlock, and a re-plan is clean.
    let again = run_plinth(root, &m.1, &["apply", "--auto-approve"], &[]);
    assert!(again.status.success(), "{}", output_text(&again));
    let plan = run_plinth(root, &m.1, &["plan", "--detailed-exitcode"], &[]);
    assert_eq!(plan.status.code(), Some(0), "re-plan is clean\n{}", output_text(&plan));

    // No duplicate: one live instance and network object per address, one object of each kind
    // per state entry.
    let recorded = state_list(root, &m.1);
    assert_eq!(recorded.len(), 19, "{recorded:?}");
    let (tagged, counts) = emulator(&m.1, &lineage);
    let want: BTreeMap<String, u64> = (0..6)
        .map(|i| format!("aws_instance.node[{i}]"))
        .chain(network.iter().map(|a| a.to_string()))
        .map(|a| (a, 1))
        .collect();
    assert_eq!(tagged, want, "live instances and network objects by address");
    let mut state = state_counts(&recorded);
    assert_eq!(state.remove("aws_instance"), Some(6));
    assert_eq!(
        counts, state,
        "the emulator's objects (left) against state entries (right)"
    );
}
