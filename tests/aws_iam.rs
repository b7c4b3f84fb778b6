//! The corpus configuration `tests/terraform-compat/sagemaker-execution-role` end to end against
//! moto (started here on 127.0.0.1 with a free port), through the `plinth` binary: validate,
//! apply (policy documents, one with a dynamic statement block, read while planning and, when
//! they name a role not yet created, during apply), check with boto3, re-plan clean, a policy detached by hand seen as drift and
//! re-attached by apply, destroy. Every check of AWS is a boto3 script, never Plinth's reads.
#![cfg(feature = "aws")]

mod support;

use std::path::{Path, PathBuf};
use std::process::Output;

use support::moto::{boto3_json, moto, output_text as text, run_plinth};

use serde_json::{Value as J, json};

fn plinth(dir: &Path, endpoint: &str, args: &[&str]) -> Output {
    run_plinth(dir, endpoint, args, &[])
}

/// A boto3 script with an `iam` client; `out(value)` answers.
fn boto3(endpoint: &str, script: &str) -> J {
    boto3_json(endpoint, &["iam"], script)
}

fn copy_config(to: &Path) {
    let from = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/terraform-compat/sagemaker-execution-role");
    std::fs::create_dir_all(to).expect("mkdir");
    for e in std::fs::read_dir(from).expect("read the configuration") {
        let e = e.expect("entry");
        std::fs::copy(e.path(), to.join(e.file_name())).expect("copy");
    }
}

/// What the account holds, read with boto3.
fn live(endpoint: &str) -> J {
    boto3(
        endpoint,
        "role = iam.get_role(RoleName='churn-sagemaker-execution')['Role']\n\
         attached = sorted(p['PolicyName'] for p in iam.list_attached_role_policies(RoleName='churn-sagemaker-execution')['AttachedPolicies'])\n\
         pols = {p['PolicyName']: p for p in iam.list_policies(Scope='Local')['Policies']}\n\
         art = pols['churn-sagemaker-artifacts']\n\
         art_doc = doc(iam.get_policy_version(PolicyArn=art['Arn'], VersionId=art['DefaultVersionId'])['PolicyVersion']['Document'])\n\
         logs = [p for n, p in pols.items() if n.startswith('churn-sagemaker-logs-')]\n\
         prof = iam.get_instance_profile(InstanceProfileName='churn-training-nodes')['InstanceProfile']\n\
         node_role = prof['Roles'][0]['RoleName']\n\
         out(dict(\n\
             trust=doc(role['AssumeRolePolicyDocument']),\n\
             role_arn=role['Arn'],\n\
             tags=sorted([t['Key'], t['Value']] for t in role.get('Tags', [])),\n\
             attached=attached,\n\
             artifacts=art_doc,\n\
             logs_paths=[p['Path'] for p in logs],\n\
             node_role=node_role,\n\
             node_attached=[p['PolicyName'] for p in iam.list_attached_role_policies(RoleName=node_role)['AttachedPolicies']],\n\
         ))",
    )
}

#[test]
fn sagemaker_execution_role_from_policy_documents_applies_and_replans_clean() {
    let m = moto();
    let tmp = tempfile::tempdir().expect("tempdir");
    let dir: PathBuf = tmp.path().join("sagemaker-execution-role");
    copy_config(&dir);

    let o = plinth(&dir, &m.1, &["validate"]);
    assert!(o.status.success(), "validate:\n{}", text(&o));
    let o = plinth(&dir, &m.1, &["apply", "--auto-approve"]);
    assert!(o.status.success(), "apply failed:\n{}", text(&o));
    assert!(
        String::from_utf8_lossy(&o.stdout).contains("Apply complete! Resources: 8 added"),
        "{}",
        text(&o)
    );

    let l = live(&m.1);
    assert_eq!(
        l["trust"],
        json!({"Version": "2012-10-17", "Statement": [{
            "Sid": "SageMakerAssumeRole", "Effect": "Allow", "Action": "sts:AssumeRole",
            "Principal": {"Service": "sagemaker.amazonaws.com"}
        }]})
    );
    // The user's tags, and the bookkeeping tags that let a create killed mid-apply be adopted
    // (docs/reliability.md, "No duplicates after a crash").
    let tags = l["tags"].as_array().expect("tags");
    assert_eq!(tags[..2], [json!(["ManagedBy", "plinth"]), json!(["Project", "churn"])]);
    assert_eq!(tags[2], json!(["plinth:address", "aws_iam_role.sagemaker_execution"]));
    assert_eq!(tags[3][0], "plinth:lineage");
    assert_eq!(tags.len(), 4);
    let logs_name = boto3(
        &m.1,
        "out([p['PolicyName'] for p in iam.list_policies(Scope='Local')['Policies'] if p['PolicyName'].startswith('churn-sagemaker-logs-')])",
    );
    let logs_name = logs_name[0].as_str().expect("the logs policy");
    assert_eq!(l["attached"], json!(["churn-sagemaker-artifacts", logs_name]));
    assert_eq!(l["logs_paths"], json!(["/ml/"]));
    // The account id (moto's) and the partition are in the ARNs; the role's ARN, known only
    // after the role was created, is in the PassRole statement.
    assert_eq!(
        l["artifacts"],
        json!({"Version": "2012-10-17", "Statement": [
            {"Sid": "ListArtifacts", "Effect": "Allow", "Action": "s3:ListBucket",
             "Resource": "arn:aws:s3:::churn-ml-artifacts-123456789012"},
            {"Sid": "ReadWriteArtifacts", "Effect": "Allow",
             "Action": ["s3:PutObject", "s3:GetObject", "s3:DeleteObject"],
             "Resource": "arn:aws:s3:::churn-ml-artifacts-123456789012/*"},
            {"Sid": "ReadFeatureBucket0", "Effect": "Allow", "Action": "s3:GetObject",
             "Resource": "arn:aws:s3:::churn-features/*"},
            {"Sid": "ReadFeatureBucket1", "Effect": "Allow", "Action": "s3:GetObject",
             "Resource": "arn:aws:s3:::churn-labels/*"},
            {"Sid": "PassRoleToSageMaker", "Effect": "Allow", "Action": "iam:PassRole",
             "Resource": l["role_arn"],
             "Condition": {"StringEquals": {"iam:PassedToService": "sagemaker.amazonaws.com"}}}
        ]})
    );
    assert!(
        l["node_role"].as_str().is_some_and(|r| r.starts_with("churn-nodes-")),
        "{l}"
    );
    assert_eq!(l["node_attached"], json!(["churn-sagemaker-artifacts"]));

    let o = plinth(&dir, &m.1, &["output", "trust_policy"]);
    assert!(
        String::from_utf8_lossy(&o.stdout).contains(
            r#"{\"Version\":\"2012-10-17\",\"Statement\":[{\"Sid\":\"SageMakerAssumeRole\",\"Effect\":\"Allow\",\"Action\":\"sts:AssumeRole\",\"Principal\":{\"Service\":\"sagemaker.amazonaws.com\"}}]}"#
        ),
        "{}",
        text(&o)
    );

    // A clean re-plan: the documents render the same text, IAM's reformatting is no change.
    let o = plinth(&dir, &m.1, &["plan", "--detailed-exitcode"]);
    assert_eq!(o.status.code(), Some(0), "re-plan is clean:\n{}", text(&o));

    // Someone detaches the logs policy by hand: drift names the attachment; apply re-attaches.
    boto3(
        &m.1,
        &format!(
            "arn = [p['Arn'] for p in iam.list_policies(Scope='Local')['Policies'] if p['PolicyName'] == {logs_name:?}][0]\n\
             iam.detach_role_policy(RoleName='churn-sagemaker-execution', PolicyArn=arn); out(None)"
        ),
    );
    let o = plinth(&dir, &m.1, &["drift", "--json"]);
    assert_eq!(o.status.code(), Some(2), "{}", text(&o));
    let report: J = serde_json::from_slice(&o.stdout).expect("drift json");
    let addrs: Vec<&str> = report["resources"]
        .as_array()
        .expect("resources")
        .iter()
        .filter_map(|r| r["address"].as_str())
        .collect();
    // A policy's attachment_count, computed, was recorded when the policy was created, before
    // its attachments: the refresh reports the live count (2 for the artifacts policy; the logs
    // policy is back to the 0 recorded), with no action planned.
    assert_eq!(
        addrs,
        vec![
            "aws_iam_policy.artifacts",
            r#"aws_iam_role_policy_attachment.sagemaker["logs"]"#
        ],
        "{report}"
    );
    let resources = report["resources"].as_array().expect("resources");
    for r in &resources[..1] {
        let paths: Vec<&str> = r["changes"]
            .as_array()
            .expect("changes")
            .iter()
            .filter_map(|c| c["path"].as_str())
            .collect();
        assert_eq!(paths, ["attachment_count"], "{report}");
        assert_eq!(r["planned_actions"], json!(["no-op"]), "{report}");
    }
    assert_eq!(resources[1]["status"], json!("deleted"), "{report}");
    assert_eq!(resources[1]["planned_actions"], json!(["create"]), "{report}");
    let o = plinth(&dir, &m.1, &["apply", "--auto-approve"]);
    assert!(o.status.success(), "{}", text(&o));
    assert_eq!(live(&m.1)["attached"], json!(["churn-sagemaker-artifacts", logs_name]));
    let o = plinth(&dir, &m.1, &["plan", "--detailed-exitcode"]);
    assert_eq!(o.status.code(), Some(0), "clean after the repair:\n{}", text(&o));

    // Destroy leaves nothing of it.
    let o = plinth(&dir, &m.1, &["destroy", "--auto-approve"]);
    assert!(o.status.success(), "{}", text(&o));
    let left = boto3(
        &m.1,
        "out(dict(roles=[r['RoleName'] for r in iam.list_roles()['Roles'] if r['RoleName'].startswith('churn-')],\n\
                  policies=[p['PolicyName'] for p in iam.list_policies(Scope='Local')['Policies']],\n\
                  profiles=[p['InstanceProfileName'] for p in iam.list_instance_profiles()['InstanceProfiles']]))",
    );
    assert_eq!(left, json!({"roles": [], "policies": [], "profiles": []}));
}
