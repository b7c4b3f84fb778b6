//! Transient faults against AWS: `tests/fixtures/aws-platform-raw` (the AWS ML platform as raw
//! resources of many types, what `examples/aws-platform` was before it used the `ml-platform`
//! module) applied by the `plinth` binary through the
//! fault-injecting proxy (tests/support/faultproxy.rs) in front of moto, which fails 20% of the
//! requests with HTTP 500, 503 or the protocol's throttling answer and closes 5% of the
//! connections without answering. The apply completes, what the state records is what moto holds
//! (read by the test's own SDK client straight from moto, not through the proxy), and a re-plan
//! through the proxy is clean. When the retries run out, the error names the resource and the
//! last error.
//!
//! moto 5.2 cannot refresh or delete feature groups, so the fixture's `feature_store` is false
//! here.
#![cfg(feature = "aws")]

mod support;
use support::cli::copy_dir;
use support::faultproxy::{Dialect, FaultProxy, Faults, Upstream};
use support::moto::{moto, output_text as text, run_plinth, sdk_config as sdk};

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

fn proxy(endpoint: &str, faults: Faults) -> FaultProxy {
    FaultProxy::start(
        Upstream {
            url: endpoint.to_string(),
            ca: None,
        },
        None,
        faults,
    )
}

/// The recorded state's resources: address → attributes.
fn state(dir: &Path) -> serde_json::Map<String, serde_json::Value> {
    let path = dir.join(".plinth/env/default/state.json");
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let state: serde_json::Value = serde_json::from_str(&text).expect("state JSON");
    state["resources"]
        .as_object()
        .expect("resources")
        .iter()
        .map(|(k, v)| (k.clone(), v["attributes"].clone()))
        .collect()
}

fn id_of(state: &serde_json::Map<String, serde_json::Value>, address: &str) -> String {
    state
        .get(address)
        .and_then(|a| a["id"].as_str())
        .unwrap_or_else(|| panic!("{address} has no id in the state: {state:#?}"))
        .to_string()
}

/// GPU nodes of the fixture.
const NODES: usize = 40;

#[tokio::test(flavor = "multi_thread")]
async fn aws_platform_raw_resources_converge_through_a_faulty_network() {
    let m = moto();
    let p = proxy(&m.1, Faults::standard(Dialect::Aws, 17));
    let tmp = tempfile::tempdir().expect("tempdir");
    let dir: PathBuf = tmp.path().join("aws-platform");
    copy_dir(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/aws-platform-raw"),
        &dir,
    );
    // More GPU nodes than the fixture's two, for a few hundred requests.
    let env = [
        ("PLINTH_VAR_feature_store", "false"),
        ("PLINTH_VAR_gpu_nodes", &NODES.to_string()),
    ];

    // The provider's default retries, nothing set for the test.
    let o = run_plinth(&dir, &p.url, &["apply", "--auto-approve"], &env);
    let applied = p.counts();
    eprintln!("fault proxy during the apply: {applied:?}");
    assert!(
        o.status.success(),
        "apply through the fault proxy failed:\n{}",
        text(&o)
    );
    assert!(
        String::from_utf8_lossy(&o.stdout).contains(&format!("Apply complete! Resources: {} added", 11 + NODES)),
        "{}",
        text(&o)
    );
    // The faults happened: every kind of them, on a fair share of the requests.
    assert!(applied.requests >= 150, "{applied:?}");
    assert!(applied.status_500 > 0 && applied.status_503 > 0, "{applied:?}");
    assert!(applied.throttled > 0 && applied.resets > 0, "{applied:?}");
    assert!(
        applied.faults() * 10 >= applied.requests,
        "at least 10% faults: {applied:?}"
    );

    // The state against moto itself (not through the proxy): one object per address, the same ids.
    let st = state(&dir);
    let conf = sdk(&m.1).await;
    let ec2 = aws_sdk_ec2::Client::new(&conf);
    let vpcs = ec2.describe_vpcs().send().await.expect("describe vpcs");
    let tagged_vpcs: Vec<&str> = vpcs
        .vpcs()
        .iter()
        .filter(|v| {
            v.tags()
                .iter()
                .any(|t| t.key() == Some("Name") && t.value() == Some("plinth-default-vpc"))
        })
        .filter_map(|v| v.vpc_id())
        .collect();
    assert_eq!(
        tagged_vpcs,
        vec![id_of(&st, "aws_vpc.main").as_str()],
        "one VPC, the recorded one"
    );
    let subnets = ec2.describe_subnets().send().await.expect("describe subnets");
    assert!(
        subnets
            .subnets()
            .iter()
            .any(|s| s.subnet_id() == Some(id_of(&st, "aws_subnet.gpu").as_str())
                && s.vpc_id() == tagged_vpcs.first().copied()),
        "the recorded subnet is in the VPC"
    );
    let groups = ec2
        .describe_security_groups()
        .filters(
            aws_sdk_ec2::types::Filter::builder()
                .name("group-name")
                .values("plinth-default-gpu")
                .build(),
        )
        .send()
        .await
        .expect("describe security groups");
    let group_ids: Vec<&str> = groups.security_groups().iter().filter_map(|g| g.group_id()).collect();
    assert_eq!(group_ids, vec![id_of(&st, "aws_security_group.gpu").as_str()]);

    // No duplicate instance: exactly the two recorded ones run.
    let resp = ec2
        .describe_instances()
        .filters(
            aws_sdk_ec2::types::Filter::builder()
                .name("instance-state-name")
                .values("running")
                .build(),
        )
        .send()
        .await
        .expect("describe instances");
    let running: BTreeSet<String> = resp
        .reservations()
        .iter()
        .flat_map(|r| r.instances())
        .filter_map(|i| i.instance_id().map(str::to_string))
        .collect();
    let recorded: BTreeSet<String> = (0..NODES)
        .map(|i| id_of(&st, &format!("aws_instance.gpu[{i}]")))
        .collect();
    assert_eq!(recorded.len(), NODES);
    assert_eq!(running, recorded, "the running instances are the recorded ones");

    let s3 = aws_sdk_s3::Client::from_conf(
        aws_sdk_s3::Config::from(&conf)
            .to_builder()
            .force_path_style(true)
            .build(),
    );
    s3.head_bucket()
        .bucket("plinth-default-models")
        .send()
        .await
        .expect("the bucket exists");
    let iam = aws_sdk_iam::Client::new(&conf);
    let role = iam
        .get_role()
        .role_name("plinth-default-sagemaker")
        .send()
        .await
        .expect("role");
    assert_eq!(
        role.role().map(|r| r.arn()),
        st["aws_iam_role.sagemaker"]["arn"].as_str()
    );
    iam.get_role_policy()
        .role_name("plinth-default-sagemaker")
        .policy_name("model-bucket")
        .send()
        .await
        .expect("the role's policy");
    let sm = aws_sdk_sagemaker::Client::new(&conf);
    let ep = sm
        .describe_endpoint()
        .endpoint_name("plinth-default-churn")
        .send()
        .await
        .expect("endpoint exists");
    assert_eq!(ep.endpoint_status().map(|s| s.as_str()), Some("InService"));
    assert_eq!(ep.endpoint_arn(), st["aws_sagemaker_endpoint.churn"]["arn"].as_str());
    sm.describe_model_package_group()
        .model_package_group_name("plinth-default-churn")
        .send()
        .await
        .expect("the model registry");
    sm.describe_pipeline()
        .pipeline_name("plinth-default-train")
        .send()
        .await
        .expect("the pipeline");
    assert_eq!(st.len(), 11 + NODES, "one state entry per resource: {:?}", st.keys());

    // A clean re-plan, refreshed through the faults too.
    let before = p.counts();
    let o = run_plinth(&dir, &p.url, &["plan", "--detailed-exitcode"], &env);
    let replan = p.counts();
    eprintln!("fault proxy during the re-plan: {replan:?}");
    assert_eq!(o.status.code(), Some(0), "re-plan is clean:\n{}", text(&o));
    assert!(
        replan.faults() > before.faults(),
        "the re-plan met faults too: {replan:?}"
    );
}

/// When every attempt fails, the apply stops after `max_retries` retries with an error naming the
/// resource and the last error; nothing is recorded for it.
#[test]
fn exhausted_retries_name_the_resource_and_the_last_error() {
    let m = moto();
    let p = proxy(
        &m.1,
        Faults {
            seed: 3,
            error: 1.0,
            reset: 0.0,
            dialect: Dialect::Aws,
        },
    );
    let tmp = tempfile::tempdir().expect("tempdir");
    std::fs::write(
        tmp.path().join("main.hcl"),
        r#"
provider "aws" {
  max_retries = 2
}

resource "aws_vpc" "flaky" {
  cidr_block = "10.9.0.0/16"
}
"#,
    )
    .expect("write config");
    let o = run_plinth(tmp.path(), &p.url, &["apply", "--auto-approve"], &[]);
    let out = text(&o);
    assert!(!o.status.success(), "{out}");
    assert!(out.contains("aws_vpc.flaky"), "names the resource:\n{out}");
    assert!(
        ["RequestLimitExceeded", "InternalError", "ServiceUnavailable"]
            .iter()
            .any(|code| out.contains(code)),
        "names the last error:\n{out}"
    );
    let c = p.counts();
    assert_eq!(c.requests, 3, "one call, max_retries = 2 retries: {c:?}");
    assert_eq!(c.faults(), c.requests, "{c:?}");
    let st = tmp.path().join(".plinth/env/default/state.json");
    if st.exists() {
        assert!(state(tmp.path()).is_empty(), "nothing recorded");
    }
}
