//! The corpus configuration `tests/terraform-compat/sagemaker-notebook` end to end against moto
//! through the `plinth` binary: apply (an execution role from policy documents, a lifecycle
//! configuration, a notebook instance waited for until InService, a secret and its version from
//! a sensitive variable, the prebuilt XGBoost image path), check with our own SDK clients, make
//! sure the token is nowhere in the state files or the output, re-plan clean, destroy (the
//! notebook stopped first) and check nothing is left.
#![cfg(feature = "aws")]

mod support;

use std::path::{Path, PathBuf};
use std::process::Output;

use base64::Engine as _;

use support::moto::{moto, output_text as text, run_plinth, sdk_config as sdk};

const TOKEN: &str = "hf_Wq3xZ-notebook-token-81ac";

/// `plinth ARGS` in `dir` against moto at `endpoint`, the token in the environment.
fn plinth(dir: &Path, endpoint: &str, args: &[&str]) -> Output {
    run_plinth(dir, endpoint, args, &[("PLINTH_VAR_hf_token", TOKEN)])
}

/// Every file under `dir`, as text, concatenated (state, backups, journal, plan files).
fn all_files(dir: &Path) -> String {
    let mut out = String::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).into_iter().flatten().flatten() {
            let p = e.path();
            if p.is_dir() {
                stack.push(p);
            } else if let Ok(bytes) = std::fs::read(&p) {
                out.push_str(&String::from_utf8_lossy(&bytes));
            }
        }
    }
    out
}

fn assert_no_token(what: &str, text: &str) {
    assert!(!text.contains(TOKEN), "{what} carries the token:\n{text}");
}

#[tokio::test(flavor = "multi_thread")]
async fn sagemaker_notebook_applies_keeps_the_token_secret_replans_clean_and_destroys() {
    let m = moto();
    let tmp = tempfile::tempdir().expect("tempdir");
    let dir: PathBuf = tmp.path().join("sagemaker-notebook");
    std::fs::create_dir_all(&dir).expect("mkdir");
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/terraform-compat/sagemaker-notebook/main.hcl");
    std::fs::copy(src, dir.join("main.hcl")).expect("copy");
    let conf = sdk(&m.1).await;
    let sm = aws_sdk_sagemaker::Client::new(&conf);
    let secrets = aws_sdk_secretsmanager::Client::new(&conf);
    let iam = aws_sdk_iam::Client::new(&conf);

    let o = plinth(&dir, &m.1, &["apply", "--auto-approve"]);
    assert!(o.status.success(), "apply failed:\n{}", text(&o));
    let out = String::from_utf8_lossy(&o.stdout).to_string();
    assert!(out.contains("Apply complete! Resources: 7 added"), "{}", text(&o));
    assert!(
        out.contains("training_image = \"683313688378.dkr.ecr.us-east-1.amazonaws.com/sagemaker-xgboost:1.7-1\""),
        "{}",
        text(&o)
    );
    assert_no_token("apply output", &text(&o));

    // Our own reads.
    let nb = sm
        .describe_notebook_instance()
        .notebook_instance_name("research-notebook")
        .send()
        .await
        .expect("DescribeNotebookInstance");
    assert_eq!(nb.notebook_instance_status().map(|s| s.as_str()), Some("InService"));
    assert_eq!(nb.notebook_instance_lifecycle_config_name(), Some("research-setup"));
    assert_eq!(nb.volume_size_in_gb(), Some(20));
    let role = iam
        .get_role()
        .role_name("research-notebook")
        .send()
        .await
        .expect("GetRole");
    assert_eq!(nb.role_arn(), role.role().map(|r| r.arn()));
    let lc = sm
        .describe_notebook_instance_lifecycle_config()
        .notebook_instance_lifecycle_config_name("research-setup")
        .send()
        .await
        .expect("DescribeNotebookInstanceLifecycleConfig");
    let script = lc.on_start().first().and_then(|h| h.content()).expect("on_start");
    let script = base64::engine::general_purpose::STANDARD
        .decode(script)
        .expect("base64");
    assert!(String::from_utf8_lossy(&script).contains("pip install --quiet transformers"));
    let value = secrets
        .get_secret_value()
        .secret_id("research/hf-token")
        .send()
        .await
        .expect("GetSecretValue");
    assert_eq!(value.secret_string(), Some(TOKEN), "the token reached Secrets Manager");
    let attached = iam
        .list_attached_role_policies()
        .role_name("research-notebook")
        .send()
        .await
        .expect("ListAttachedRolePolicies");
    assert_eq!(
        attached
            .attached_policies()
            .iter()
            .filter_map(|p| p.policy_name())
            .collect::<Vec<_>>(),
        vec!["research-notebook-read-token"]
    );

    // The token is in no file Plinth wrote, and `show` does not print it.
    assert_no_token("the working directory", &all_files(&dir));
    let o = plinth(&dir, &m.1, &["show"]);
    assert!(o.status.success(), "show failed:\n{}", text(&o));
    assert_no_token("show", &text(&o));

    // Re-planned clean (the token read back from AWS matches the configuration's).
    let o = plinth(&dir, &m.1, &["plan"]);
    assert!(o.status.success(), "plan failed:\n{}", text(&o));
    assert!(
        String::from_utf8_lossy(&o.stdout).contains("No changes."),
        "{}",
        text(&o)
    );
    assert_no_token("plan output", &text(&o));

    // Destroyed: nothing of it is left.
    let o = plinth(&dir, &m.1, &["destroy", "--auto-approve"]);
    assert!(o.status.success(), "destroy failed:\n{}", text(&o));
    assert!(
        String::from_utf8_lossy(&o.stdout).contains("Resources: 7 destroyed"),
        "{}",
        text(&o)
    );
    assert!(
        sm.describe_notebook_instance()
            .notebook_instance_name("research-notebook")
            .send()
            .await
            .is_err()
    );
    assert!(
        sm.describe_notebook_instance_lifecycle_config()
            .notebook_instance_lifecycle_config_name("research-setup")
            .send()
            .await
            .is_err()
    );
    assert!(
        secrets
            .describe_secret()
            .secret_id("research/hf-token")
            .send()
            .await
            .is_err()
    );
    assert!(iam.get_role().role_name("research-notebook").send().await.is_err());
    assert_no_token("the working directory after destroy", &all_files(&dir));
}
