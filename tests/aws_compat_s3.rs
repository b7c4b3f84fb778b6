//! The corpus configuration `tests/terraform-compat/s3-model-artifacts` end to end against moto
//! through the `plinth` binary: apply (a bucket with versioning, KMS default encryption, Block
//! Public Access, ownership controls, lifecycle rules, a policy from aws_iam_policy_document and
//! an object), check every part with boto3 (never Plinth's reads), re-plan clean, see a bucket
//! setting changed by hand as drift that apply puts back, destroy, and check nothing is left.
#![cfg(feature = "aws")]

mod support;

use std::path::{Path, PathBuf};
use std::process::Output;

use serde_json::{Value as J, json};
use support::moto::{boto3_json, moto, output_text as text, run_plinth};

const BUCKET: &str = "churn-model-artifacts-123456789012";

/// moto serves plain HTTP and enforces a bucket policy's deny of requests without TLS.
const NO_TLS: &str = "require_tls=false";

/// `plinth ARGS -var require_tls=false` in `dir` against moto at `endpoint`.
fn plinth(dir: &Path, endpoint: &str, args: &[&str]) -> Output {
    let args: Vec<&str> = args.iter().copied().chain(["-var", NO_TLS]).collect();
    run_plinth(dir, endpoint, &args, &[])
}

/// A boto3 script with an `s3` client; `out(value)` answers.
fn boto3(endpoint: &str, script: &str) -> J {
    boto3_json(endpoint, &["s3"], script)
}

#[test]
fn s3_model_artifacts_applies_replans_clean_repairs_drift_and_destroys() {
    let m = moto();
    let tmp = tempfile::tempdir().expect("tempdir");
    let dir: PathBuf = tmp.path().join("s3-model-artifacts");
    std::fs::create_dir_all(&dir).expect("mkdir");
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/terraform-compat/s3-model-artifacts/main.hcl");
    std::fs::copy(src, dir.join("main.hcl")).expect("copy");

    let o = plinth(&dir, &m.1, &["apply", "--auto-approve"]);
    assert!(o.status.success(), "apply failed:\n{}", text(&o));
    let out = String::from_utf8_lossy(&o.stdout).to_string();
    assert!(out.contains("Apply complete! Resources: 8 added"), "{}", text(&o));
    assert!(out.contains(&format!("bucket = \"{BUCKET}\"")), "{}", text(&o));

    let live = boto3(
        &m.1,
        &format!(
            "b = '{BUCKET}'\n\
             enc = s3.get_bucket_encryption(Bucket=b)['ServerSideEncryptionConfiguration']['Rules'][0]\n\
             pol = json.loads(s3.get_bucket_policy(Bucket=b)['Policy'])\n\
             rules = s3.get_bucket_lifecycle_configuration(Bucket=b)['Rules']\n\
             key = 'models/churn/v3/model-card.json'\n\
             obj = s3.get_object(Bucket=b, Key=key)\n\
             out({{\n\
               'versioning': s3.get_bucket_versioning(Bucket=b)['Status'],\n\
               'sse': enc['ApplyServerSideEncryptionByDefault']['SSEAlgorithm'],\n\
               'bucket_key': enc.get('BucketKeyEnabled'),\n\
               'pab': s3.get_public_access_block(Bucket=b)['PublicAccessBlockConfiguration'],\n\
               'ownership': s3.get_bucket_ownership_controls(Bucket=b)['OwnershipControls']['Rules'][0]['ObjectOwnership'],\n\
               'rules': sorted(r['ID'] for r in rules),\n\
               'sids': sorted(s['Sid'] for s in pol['Statement']),\n\
               'body': json.loads(obj['Body'].read()),\n\
               'content_type': obj['ContentType'],\n\
               'metadata': obj['Metadata'],\n\
               'tags': sorted(t['Key'] for t in s3.get_object_tagging(Bucket=b, Key=key)['TagSet']),\n\
             }})"
        ),
    );
    assert_eq!(
        live,
        json!({
            "versioning": "Enabled",
            "sse": "aws:kms",
            "bucket_key": true,
            "pab": {
                "BlockPublicAcls": true,
                "BlockPublicPolicy": true,
                "IgnorePublicAcls": true,
                "RestrictPublicBuckets": true
            },
            "ownership": "BucketOwnerEnforced",
            "rules": ["abort-incomplete-uploads", "archive-old-model-versions", "expire-checkpoints"],
            "sids": ["TrainingReadWrite"],
            "body": {"framework": "pytorch", "name": "churn", "version": "v3"},
            "content_type": "application/json",
            "metadata": {"model-version": "v3"},
            "tags": ["ManagedBy", "Project"]
        })
    );

    // Re-planned clean.
    let o = plinth(&dir, &m.1, &["plan"]);
    assert!(o.status.success(), "plan failed:\n{}", text(&o));
    assert!(
        String::from_utf8_lossy(&o.stdout).contains("No changes."),
        "{}",
        text(&o)
    );

    // Someone suspends versioning and lifts a Block Public Access switch by hand: the plan
    // shows both, apply puts them back.
    boto3(
        &m.1,
        &format!(
            "s3.put_bucket_versioning(Bucket='{BUCKET}', VersioningConfiguration={{'Status': 'Suspended'}})\n\
             s3.put_public_access_block(Bucket='{BUCKET}', PublicAccessBlockConfiguration={{'BlockPublicAcls': True, \
             'BlockPublicPolicy': False, 'IgnorePublicAcls': True, 'RestrictPublicBuckets': True}})\n\
             out(None)"
        ),
    );
    let o = plinth(&dir, &m.1, &["plan"]);
    let plan = String::from_utf8_lossy(&o.stdout).to_string();
    assert!(
        plan.contains("Plan: 0 to add, 2 to change, 0 to destroy"),
        "{}",
        text(&o)
    );
    let o = plinth(&dir, &m.1, &["apply", "--auto-approve"]);
    assert!(o.status.success(), "apply failed:\n{}", text(&o));
    let repaired = boto3(
        &m.1,
        &format!(
            "out([s3.get_bucket_versioning(Bucket='{BUCKET}')['Status'], \
             s3.get_public_access_block(Bucket='{BUCKET}')['PublicAccessBlockConfiguration']['BlockPublicPolicy']])"
        ),
    );
    assert_eq!(repaired, json!(["Enabled", true]));
    let o = plinth(&dir, &m.1, &["plan"]);
    assert!(
        String::from_utf8_lossy(&o.stdout).contains("No changes."),
        "{}",
        text(&o)
    );

    // Destroyed: the bucket, and with it every object version, is gone.
    let o = plinth(&dir, &m.1, &["destroy", "--auto-approve"]);
    assert!(o.status.success(), "destroy failed:\n{}", text(&o));
    assert!(
        String::from_utf8_lossy(&o.stdout).contains("Resources: 8 destroyed"),
        "{}",
        text(&o)
    );
    let gone = boto3(&m.1, &format!("out(code(lambda: s3.head_bucket(Bucket='{BUCKET}')))"));
    assert_eq!(gone, json!("404"));
}
