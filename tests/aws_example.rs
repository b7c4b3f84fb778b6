//! `examples/aws-platform` end to end against moto (started here on 127.0.0.1 with a free port):
//! apply, check with our own SDK reads, drift after an out-of-band retag, repair, destroy.
//!
//! moto 5.2 limits what this test covers (never the provider's behaviour):
//! - it cannot list, tag or delete feature groups, so the example's `feature_store` variable is
//!   false here and the feature group is left out;
//! - it does not implement DeleteModelPackageGroup: the first destroy removes everything else and
//!   reports the emulator's error for the registry, which the test then forgets with `state rm`.
//!
//! Against a real account one apply creates all of it and one destroy removes all of it.
#![cfg(feature = "aws")]

mod support;
use support::cli::copy_dir;
use support::moto::{moto, output_text as text, run_plinth, sdk_config as sdk};

use std::path::{Path, PathBuf};
use std::process::Output;

/// `plinth ARGS` in `dir` against moto at `endpoint`, without the feature group moto cannot serve.
fn plinth(dir: &Path, endpoint: &str, args: &[&str]) -> Output {
    run_plinth(dir, endpoint, args, &[("PLINTH_VAR_feature_store", "false")])
}

async fn running_gpu_nodes(conf: &aws_config::SdkConfig) -> Vec<(String, Vec<(String, String)>)> {
    let ec2 = aws_sdk_ec2::Client::new(conf);
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
    let mut out = Vec::new();
    for r in resp.reservations() {
        for i in r.instances() {
            let tags = i
                .tags()
                .iter()
                .map(|t| (t.key().unwrap_or("").to_string(), t.value().unwrap_or("").to_string()))
                .collect();
            out.push((i.instance_id().unwrap_or("").to_string(), tags));
        }
    }
    out
}

#[tokio::test(flavor = "multi_thread")]
async fn aws_platform_example_applies_drifts_repairs_and_destroys() {
    let m = moto();
    let tmp = tempfile::tempdir().expect("tempdir");
    let dir: PathBuf = tmp.path().join("aws-platform");
    copy_dir(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/aws-platform"),
        &dir,
    );
    let conf = sdk(&m.1).await;

    let o = plinth(&dir, &m.1, &["apply", "--auto-approve"]);
    assert!(o.status.success(), "apply failed:\n{}", text(&o));
    assert!(
        String::from_utf8_lossy(&o.stdout).contains("Apply complete! Resources: 13 added"),
        "{}",
        text(&o)
    );

    // Our own reads: two tagged GPU nodes, the endpoint, the role with its scoped policy.
    let nodes = running_gpu_nodes(&conf).await;
    assert_eq!(nodes.len(), 2, "{nodes:?}");
    for (_, tags) in &nodes {
        assert!(
            tags.contains(&("environment".to_string(), "default".to_string())),
            "default_tags applied: {tags:?}"
        );
        assert!(
            tags.iter().any(|(k, v)| k == "gpus" && v == "1"),
            "GPU count from the instance-type data source: {tags:?}"
        );
    }
    let sm = aws_sdk_sagemaker::Client::new(&conf);
    let ep = sm
        .describe_endpoint()
        .endpoint_name("plinth-default-churn")
        .send()
        .await
        .expect("endpoint exists");
    assert_eq!(ep.endpoint_status().map(|s| s.as_str()), Some("InService"));
    let iam = aws_sdk_iam::Client::new(&conf);
    let policy = iam
        .get_role_policy()
        .role_name("plinth-default-sagemaker")
        .policy_name("model-bucket")
        .send()
        .await
        .expect("policy");
    let doc = percent_encoding::percent_decode_str(policy.policy_document()).decode_utf8_lossy();
    assert!(
        doc.contains("arn:aws:s3:::plinth-default-models/*"),
        "policy scoped to the bucket: {doc}"
    );
    assert!(!doc.contains("\"*\""), "no wildcard grant: {doc}");

    // A clean re-plan.
    let o = plinth(&dir, &m.1, &["plan", "--detailed-exitcode"]);
    assert_eq!(o.status.code(), Some(0), "re-plan is clean:\n{}", text(&o));

    // Someone retags a GPU node by hand: drift exits 2 naming it; apply puts the tag back.
    let ec2 = aws_sdk_ec2::Client::new(&conf);
    let (id, _) = nodes
        .iter()
        .find(|(_, t)| t.iter().any(|(k, v)| k == "Name" && v.ends_with("gpu-0")))
        .expect("node 0")
        .clone();
    ec2.create_tags()
        .resources(&id)
        .tags(aws_sdk_ec2::types::Tag::builder().key("Name").value("hijacked").build())
        .send()
        .await
        .expect("retag");
    let o = plinth(&dir, &m.1, &["drift", "--json"]);
    assert_eq!(o.status.code(), Some(2), "{}", text(&o));
    let report: serde_json::Value = serde_json::from_slice(&o.stdout).expect("drift json");
    let addrs: Vec<&str> = report["resources"]
        .as_array()
        .expect("resources")
        .iter()
        .filter_map(|r| r["address"].as_str())
        .collect();
    assert_eq!(addrs, vec!["aws_instance.gpu[0]"], "{report}");
    let o = plinth(&dir, &m.1, &["apply", "--auto-approve"]);
    assert!(o.status.success(), "{}", text(&o));
    assert_eq!(plinth(&dir, &m.1, &["drift"]).status.code(), Some(0));

    // Destroy. moto lacks DeleteModelPackageGroup (HTTP 500): everything else goes, and the
    // registry stays in state until it is forgotten.
    let o = plinth(&dir, &m.1, &["destroy", "--auto-approve"]);
    let out = text(&o);
    assert!(!o.status.success(), "moto cannot delete model package groups:\n{out}");
    assert!(out.contains("aws_sagemaker_model_package_group.churn"), "{out}");
    assert!(running_gpu_nodes(&conf).await.is_empty(), "GPU nodes are gone");
    assert!(
        sm.describe_endpoint()
            .endpoint_name("plinth-default-churn")
            .send()
            .await
            .is_err(),
        "endpoint is gone"
    );
    assert!(
        iam.get_role()
            .role_name("plinth-default-sagemaker")
            .send()
            .await
            .is_err(),
        "role is gone"
    );
    let left = plinth(&dir, &m.1, &["state", "list"]);
    assert_eq!(
        String::from_utf8_lossy(&left.stdout).trim(),
        "aws_sagemaker_model_package_group.churn",
        "{}",
        text(&left)
    );
    let o = plinth(&dir, &m.1, &["state", "rm", "aws_sagemaker_model_package_group.churn"]);
    assert!(o.status.success(), "{}", text(&o));
    let list = plinth(&dir, &m.1, &["state", "list"]);
    assert!(
        String::from_utf8_lossy(&list.stdout).trim().is_empty(),
        "{}",
        text(&list)
    );
}
