//! `examples/aws-platform` (the `ml-platform` module on aws, used by path) end to end against
//! moto (started here on 127.0.0.1 with a free port): apply, check with our own SDK reads, a
//! clean re-plan, drift after an out-of-band retag, repair, destroy.
//!
//! moto 5.2 limits what this test covers (never the modules' or the provider's behaviour; the
//! same gaps as `tests/modules_aws.rs`):
//! - it has no placement groups, so the example's `placement_group` is false here, and its
//!   AMIs are its own (`ami_id`);
//! - it cannot list, tag or delete feature groups, and implements no monitoring schedule
//!   operation: apply, plan and destroy target everything else (`TARGETS`);
//! - it does not implement DeleteModelPackageGroup: the destroy removes everything else and
//!   reports the emulator's error for the registry, which the test then forgets with `state rm`.
//!
//! Against a real account one apply creates all of it and one destroy removes all of it.
#![cfg(feature = "aws")]

mod support;
use support::cli::copy_repo_layout;
use support::moto::{moto, output_text as text, run_plinth, sdk_config as sdk};

use std::path::Path;
use std::process::Output;

/// Everything in the example moto can serve: all but the feature group, the monitoring schedule
/// and the EventBridge rule on its runs.
const TARGETS: &[&str] = &[
    "module.platform.module.cluster",
    "module.platform.module.features.aws_iam_role_policy.offline_store",
    "module.platform.module.registry",
    "module.platform.module.pipeline",
    "module.platform.module.endpoint",
    "module.platform.module.monitor.aws_sagemaker_data_quality_job_definition.monitor",
    "module.platform.module.monitor.aws_iam_role_policy.trigger",
];

/// `plinth ARGS` (with `--target`s when `targeted`) in `dir` against moto at `endpoint`, with
/// moto's AMI and no placement group.
fn plinth(dir: &Path, endpoint: &str, args: &[&str], targeted: bool) -> Output {
    let mut all: Vec<&str> = args.to_vec();
    if targeted {
        for t in TARGETS {
            all.extend(["--target", t]);
        }
    }
    run_plinth(
        dir,
        endpoint,
        &all,
        &[
            ("PLINTH_VAR_ami_id", "ami-12c6146b"),
            ("PLINTH_VAR_placement_group", "false"),
        ],
    )
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
    // The example uses ../../modules/ml-platform/aws: copy it with the modules.
    copy_repo_layout(tmp.path(), &["aws-platform"]);
    let dir = tmp.path().join("examples/aws-platform");
    let conf = sdk(&m.1).await;

    let o = plinth(&dir, &m.1, &["apply", "--auto-approve"], true);
    assert!(o.status.success(), "apply failed:\n{}", text(&o));
    assert!(
        String::from_utf8_lossy(&o.stdout).contains("Apply complete! Resources: 26 added"),
        "{}",
        text(&o)
    );

    // Our own reads: two tagged GPU nodes, the endpoint, each part's role with its scoped policy.
    let nodes = running_gpu_nodes(&conf).await;
    assert_eq!(nodes.len(), 2, "{nodes:?}");
    for (_, tags) in &nodes {
        for (k, v) in [
            ("environment", "default"),
            ("project", "plinth-ml-platform"),
            ("gpus", "1"),
        ] {
            assert!(
                tags.contains(&(k.to_string(), v.to_string())),
                "{k} = {v} (default_tags and the module's): {tags:?}"
            );
        }
    }
    let sm = aws_sdk_sagemaker::Client::new(&conf);
    let ep = sm
        .describe_endpoint()
        .endpoint_name("churn-serving-default")
        .send()
        .await
        .expect("endpoint exists");
    assert_eq!(ep.endpoint_status().map(|s| s.as_str()), Some("InService"));
    let config = sm
        .describe_endpoint_config()
        .endpoint_config_name(ep.endpoint_config_name().unwrap_or_default())
        .send()
        .await
        .expect("endpoint configuration");
    assert_eq!(
        config.data_capture_config().and_then(|c| c.enable_capture()),
        Some(true),
        "the endpoint captures its traffic"
    );
    let pipeline = sm
        .describe_pipeline()
        .pipeline_name("churn-train-default")
        .send()
        .await
        .expect("pipeline");
    let definition: serde_json::Value =
        serde_json::from_str(pipeline.pipeline_definition().unwrap_or("{}")).expect("definition JSON");
    assert_eq!(definition["Steps"][1]["Type"], "Condition", "the gate: {definition}");
    let iam = aws_sdk_iam::Client::new(&conf);
    for (role, policy, scope) in [
        (
            "churn-features-default",
            "offline-store",
            "arn:aws:s3:::churn-features-default",
        ),
        (
            "churn-train-default",
            "pipeline",
            "arn:aws:s3:::churn-train-default/models/*",
        ),
        (
            "churn-serving-default",
            "serving",
            "arn:aws:s3:::churn-serving-default/capture/*",
        ),
        (
            "churn-drift-default",
            "monitor",
            "arn:aws:s3:::churn-drift-default/reports/*",
        ),
    ] {
        let p = iam
            .get_role_policy()
            .role_name(role)
            .policy_name(policy)
            .send()
            .await
            .unwrap_or_else(|e| panic!("{role}/{policy}: {e}"));
        let doc = percent_encoding::percent_decode_str(p.policy_document()).decode_utf8_lossy();
        assert!(doc.contains(scope), "{role}'s policy scoped to {scope}: {doc}");
        assert!(!doc.contains("\"*\""), "no wildcard grant: {doc}");
    }

    // A clean re-plan.
    let o = plinth(&dir, &m.1, &["plan", "--detailed-exitcode"], true);
    assert_eq!(o.status.code(), Some(0), "re-plan is clean:\n{}", text(&o));

    // Someone retags a GPU node by hand: drift exits 2 naming it; apply puts the tag back.
    let ec2 = aws_sdk_ec2::Client::new(&conf);
    let (id, _) = nodes
        .iter()
        .find(|(_, t)| t.iter().any(|(k, v)| k == "Name" && v == "churn-gpu-default-0"))
        .expect("node 0")
        .clone();
    ec2.create_tags()
        .resources(&id)
        .tags(aws_sdk_ec2::types::Tag::builder().key("Name").value("hijacked").build())
        .send()
        .await
        .expect("retag");
    let o = plinth(&dir, &m.1, &["drift", "--json"], false);
    assert_eq!(o.status.code(), Some(2), "{}", text(&o));
    let report: serde_json::Value = serde_json::from_slice(&o.stdout).expect("drift json");
    let addrs: Vec<&str> = report["resources"]
        .as_array()
        .expect("resources")
        .iter()
        .filter_map(|r| r["address"].as_str())
        .collect();
    assert_eq!(
        addrs,
        vec!["module.platform.module.cluster.aws_instance.nodes[0]"],
        "{report}"
    );
    let o = plinth(&dir, &m.1, &["apply", "--auto-approve"], true);
    assert!(o.status.success(), "{}", text(&o));
    assert_eq!(plinth(&dir, &m.1, &["drift"], false).status.code(), Some(0));

    // Destroy. moto lacks DeleteModelPackageGroup (HTTP 500): everything else goes, and the
    // registry stays in state until it is forgotten.
    let o = plinth(&dir, &m.1, &["destroy", "--auto-approve"], false);
    let out = text(&o);
    let registry = "module.platform.module.registry.aws_sagemaker_model_package_group.registry";
    assert!(!o.status.success(), "moto cannot delete model package groups:\n{out}");
    assert!(out.contains(registry), "{out}");
    assert!(running_gpu_nodes(&conf).await.is_empty(), "GPU nodes are gone");
    assert!(
        sm.describe_endpoint()
            .endpoint_name("churn-serving-default")
            .send()
            .await
            .is_err(),
        "endpoint is gone"
    );
    let roles = iam.list_roles().send().await.expect("list roles");
    assert!(roles.roles().is_empty(), "every role is gone: {:?}", roles.roles());
    let left = plinth(&dir, &m.1, &["state", "list"], false);
    assert_eq!(
        String::from_utf8_lossy(&left.stdout).trim(),
        registry,
        "{}",
        text(&left)
    );
    let o = plinth(&dir, &m.1, &["state", "rm", registry], false);
    assert!(o.status.success(), "{}", text(&o));
    let list = plinth(&dir, &m.1, &["state", "list"], false);
    assert!(
        String::from_utf8_lossy(&list.stdout).trim().is_empty(),
        "{}",
        text(&list)
    );
}
