//! aws_sagemaker_notebook_instance and aws_sagemaker_notebook_instance_lifecycle_configuration
//! against moto: create (waiting for InService), the independent check with our own SDK client,
//! drift (a retag, a deletion by hand), import, destroy (the notebook is stopped first).
//!
//! moto 5.2 implements neither UpdateNotebookInstance nor UpdateNotebookInstanceLifecycleConfig:
//! the in-place update tests are ignored. It does not report PlatformIdentifier,
//! InstanceMetadataServiceConfiguration or NetworkInterfaceId, so the tests leave those out.

mod common;
mod sagemaker_support;

use common::*;
use plinth_sdk::{Provider, Value};
use sagemaker_support::*;

const LC: &str = "aws_sagemaker_notebook_instance_lifecycle_configuration";
const NB: &str = "aws_sagemaker_notebook_instance";

/// `pip install -r requirements.txt`, base64-encoded as SageMaker wants it.
const ON_START: &str = "cGlwIGluc3RhbGwgLXIgcmVxdWlyZW1lbnRzLnR4dA==";
/// `echo created`
const ON_CREATE: &str = "ZWNobyBjcmVhdGVk";

fn lifecycle(p: &plinth_aws::AwsProvider, name: &str) -> Value {
    config(
        p,
        LC,
        &[
            ("name", s(name)),
            ("on_create", s(ON_CREATE)),
            ("on_start", s(ON_START)),
        ],
    )
}

fn notebook(p: &plinth_aws::AwsProvider, name: &str, lifecycle: Option<&str>) -> Value {
    let mut given = vec![
        ("name", s(name)),
        ("role_arn", s(ROLE)),
        ("instance_type", s("ml.t3.medium")),
        ("tags", team_ml()),
    ];
    if let Some(l) = lifecycle {
        given.push(("lifecycle_config_name", s(l)));
    }
    config(p, NB, &given)
}

#[tokio::test]
async fn lifecycle_configuration_lifecycle() {
    let p = provider().await;
    let name = unique("nb-setup");
    let cfg = lifecycle(&p, &name);
    let state = create(&p, LC, cfg.clone()).await;
    assert_eq!(state.get("id"), &s(&name));
    let arn = state.get("arn").as_str().expect("arn").to_string();
    assert!(
        arn.ends_with(&format!(":notebook-instance-lifecycle-config/{name}")),
        "{arn}"
    );

    let d = sm()
        .await
        .describe_notebook_instance_lifecycle_config()
        .notebook_instance_lifecycle_config_name(&name)
        .send()
        .await
        .expect("DescribeNotebookInstanceLifecycleConfig");
    assert_eq!(d.on_start().first().and_then(|h| h.content()), Some(ON_START));
    assert_eq!(d.on_create().first().and_then(|h| h.content()), Some(ON_CREATE));

    // Refresh: one Describe, no tag call (the type has no tags).
    let before = p.call_count();
    let live = read(&p, LC, &state).await.expect("exists");
    assert_eq!(p.call_count() - before, 1);
    assert_eq!(live, state);
    assert_no_changes(&p, LC, &live, &cfg).await;

    // A new script is an in-place change, the name a replacement.
    let mut renamed = cfg.clone();
    if let Value::Map(m) = &mut renamed {
        m.insert("name".into(), s(&unique("nb-setup")));
    }
    assert_eq!(plan(&p, LC, &live, &renamed).await.requires_replace.len(), 1);
    let mut rescripted = cfg.clone();
    if let Value::Map(m) = &mut rescripted {
        m.insert("on_start".into(), s(ON_CREATE));
    }
    assert!(plan(&p, LC, &live, &rescripted).await.requires_replace.is_empty());

    let imported = import(&p, LC, &name).await;
    assert_eq!(imported, state);

    // Deleted by hand: refresh sees it gone.
    sm().await
        .delete_notebook_instance_lifecycle_config()
        .notebook_instance_lifecycle_config_name(&name)
        .send()
        .await
        .expect("delete by hand");
    assert!(read(&p, LC, &state).await.is_none());

    // Destroy leaves nothing (and destroying a gone one is fine).
    let state = create(&p, LC, lifecycle(&p, &name)).await;
    delete(&p, LC, &state).await;
    assert!(
        sm().await
            .describe_notebook_instance_lifecycle_config()
            .notebook_instance_lifecycle_config_name(&name)
            .send()
            .await
            .is_err()
    );
    delete(&p, LC, &state).await;
}

#[tokio::test]
#[ignore = "moto 5.2 has no UpdateNotebookInstanceLifecycleConfig"]
async fn lifecycle_configuration_scripts_change_in_place() {
    let p = provider().await;
    let name = unique("nb-setup");
    let state = create(&p, LC, lifecycle(&p, &name)).await;
    let mut cfg = lifecycle(&p, &name);
    if let Value::Map(m) = &mut cfg {
        m.insert("on_start".into(), s(ON_CREATE));
    }
    let updated = update(&p, LC, &state, &cfg).await;
    assert_eq!(updated.get("on_start"), &s(ON_CREATE));
    let d = sm()
        .await
        .describe_notebook_instance_lifecycle_config()
        .notebook_instance_lifecycle_config_name(&name)
        .send()
        .await
        .expect("Describe");
    assert_eq!(d.on_start().first().and_then(|h| h.content()), Some(ON_CREATE));
}

#[tokio::test]
async fn notebook_instance_lifecycle() {
    let p = provider().await;
    let setup = unique("nb-setup");
    create(&p, LC, lifecycle(&p, &setup)).await;
    let name = unique("research");
    let cfg = notebook(&p, &name, Some(&setup));

    // Terraform's defaults are planned, not left to AWS.
    let planned = plan(&p, NB, None, &cfg).await.planned;
    assert_eq!(planned.get("volume_size"), &Value::int(5));
    assert_eq!(planned.get("root_access"), &s("Enabled"));
    assert_eq!(planned.get("direct_internet_access"), &s("Enabled"));

    let state = create(&p, NB, cfg.clone()).await;
    assert_eq!(state.get("id"), &s(&name));
    assert_eq!(state.get("lifecycle_config_name"), &s(&setup));
    assert_eq!(state.get("tags"), &team_ml());
    let arn = state.get("arn").as_str().expect("arn").to_string();
    assert!(arn.ends_with(&format!(":notebook-instance/{name}")), "{arn}");
    assert!(state.get("url").as_str().is_some_and(|u| u.starts_with(&name)));

    let d = sm()
        .await
        .describe_notebook_instance()
        .notebook_instance_name(&name)
        .send()
        .await
        .expect("DescribeNotebookInstance");
    assert_eq!(d.notebook_instance_status().map(|s| s.as_str()), Some("InService"));
    assert_eq!(d.instance_type().map(|t| t.as_str()), Some("ml.t3.medium"));
    assert_eq!(d.role_arn(), Some(ROLE));
    assert_eq!(d.volume_size_in_gb(), Some(5));
    assert_eq!(d.notebook_instance_lifecycle_config_name(), Some(setup.as_str()));
    assert_eq!(live_tags(&arn).await, tags(&[("team", "ml")]));

    // Refresh of an unchanged notebook: one ListNotebookInstances, no Describe, one ListTags.
    let before = p.call_count();
    let live = read(&p, NB, &state).await.expect("exists");
    assert_eq!(p.call_count() - before, 2);
    assert_eq!(live, state);
    assert_no_changes(&p, NB, &live, &cfg).await;

    // Drift: retagged by hand, seen and repaired (tags only: no stop, no UpdateNotebookInstance).
    let state = retag_is_seen_and_repaired(&p, NB, &live, &cfg).await;

    // A smaller volume or another subnet replaces; a bigger volume or instance type does not.
    let with = |k: &str, v: Value| {
        let mut c = cfg.clone();
        if let Value::Map(m) = &mut c {
            m.insert(k.into(), v);
        }
        c
    };
    assert!(
        plan(&p, NB, &state, &with("volume_size", Value::int(20)))
            .await
            .requires_replace
            .is_empty()
    );
    assert!(
        plan(&p, NB, &state, &with("instance_type", s("ml.t3.large")))
            .await
            .requires_replace
            .is_empty()
    );
    let grown = {
        let mut s = state.clone();
        if let Value::Map(m) = &mut s {
            m.insert("volume_size".into(), Value::int(20));
        }
        s
    };
    let shrink = plan(&p, NB, &grown, &cfg).await;
    assert!(!shrink.requires_replace.is_empty(), "a smaller volume replaces");
    assert!(
        !plan(&p, NB, &state, &with("subnet_id", s("subnet-1")))
            .await
            .requires_replace
            .is_empty()
    );

    let imported = import(&p, NB, &name).await;
    assert_eq!(imported.get("lifecycle_config_name"), &s(&setup));
    assert_eq!(imported.get("tags"), &team_ml());
    assert_eq!(imported.get("volume_size"), &Value::int(5));

    // Destroy stops the notebook, then deletes it.
    delete(&p, NB, &state).await;
    assert!(
        sm().await
            .describe_notebook_instance()
            .notebook_instance_name(&name)
            .send()
            .await
            .is_err(),
        "destroy leaves nothing"
    );
    assert!(read(&p, NB, &state).await.is_none());
    delete(&p, NB, &state).await;
}

#[tokio::test]
async fn notebook_deleted_by_hand_is_gone() {
    let p = provider().await;
    let name = unique("scratch");
    let state = create(&p, NB, notebook(&p, &name, None)).await;
    let c = sm().await;
    c.stop_notebook_instance()
        .notebook_instance_name(&name)
        .send()
        .await
        .expect("stop");
    c.delete_notebook_instance()
        .notebook_instance_name(&name)
        .send()
        .await
        .expect("delete");
    assert!(read(&p, NB, &state).await.is_none(), "refresh sees it gone");
}

#[tokio::test]
#[ignore = "moto 5.2 has no UpdateNotebookInstance"]
async fn notebook_changes_in_place_stopping_and_restarting() {
    let p = provider().await;
    let name = unique("research");
    let state = create(&p, NB, notebook(&p, &name, None)).await;
    let mut cfg = notebook(&p, &name, None);
    if let Value::Map(m) = &mut cfg {
        m.insert("instance_type".into(), s("ml.t3.large"));
        m.insert("volume_size".into(), Value::int(20));
    }
    let updated = update(&p, NB, &state, &cfg).await;
    assert_eq!(updated.get("instance_type"), &s("ml.t3.large"));
    let d = sm()
        .await
        .describe_notebook_instance()
        .notebook_instance_name(&name)
        .send()
        .await
        .expect("Describe");
    assert_eq!(d.volume_size_in_gb(), Some(20));
    assert_eq!(
        d.notebook_instance_status().map(|s| s.as_str()),
        Some("InService"),
        "restarted"
    );
}

#[tokio::test]
async fn many_notebooks_refresh_with_one_list() {
    let p = provider().await;
    let mut states = Vec::new();
    for _ in 0..3 {
        states.push(create(&p, NB, notebook(&p, &unique("batch-nb"), None)).await);
    }
    let before = p.call_count();
    let resp = p.read(read_request(NB, "nb", &states)).await.expect("read");
    assert_eq!(p.call_count() - before, 1 + 3, "one List, one ListTags each");
    assert!(resp.states.iter().all(Option::is_some));
}

const CR: &str = "aws_sagemaker_code_repository";

fn git(url: &str, secret: Option<&str>) -> Value {
    Value::object([
        ("repository_url", s(url)),
        ("branch", s("main")),
        ("secret_arn", secret.map(s).unwrap_or(Value::Null)),
    ])
}

#[tokio::test]
#[ignore = "moto 5.2 has no CreateCodeRepository (nor any code repository operation)"]
async fn code_repository_lifecycle() {
    let p = provider().await;
    let name = unique("notebooks-repo");
    let cfg = config(
        &p,
        CR,
        &[
            ("code_repository_name", s(&name)),
            ("git_config", git("https://github.com/example/notebooks.git", None)),
            ("tags", team_ml()),
        ],
    );
    let state = create(&p, CR, cfg.clone()).await;
    let d = sm()
        .await
        .describe_code_repository()
        .code_repository_name(&name)
        .send()
        .await
        .expect("DescribeCodeRepository");
    assert_eq!(
        d.git_config().and_then(|g| g.repository_url()),
        Some("https://github.com/example/notebooks.git")
    );
    let live = read(&p, CR, &state).await.expect("exists");
    assert_no_changes(&p, CR, &live, &cfg).await;
    let state = retag_is_seen_and_repaired(&p, CR, &live, &cfg).await;

    // A credentials secret changes in place; another URL replaces.
    let secret = "arn:aws:secretsmanager:us-east-1:123456789012:secret:git-AbCdEf";
    let with_secret = with_git(&cfg, git("https://github.com/example/notebooks.git", Some(secret)));
    let updated = update(&p, CR, &state, &with_secret).await;
    assert_eq!(updated.get("git_config").get("secret_arn"), &s(secret));
    let moved = with_git(&cfg, git("https://github.com/example/other.git", None));
    assert!(!plan(&p, CR, &updated, &moved).await.requires_replace.is_empty());

    assert_eq!(
        import(&p, CR, &name).await.get("git_config").get("secret_arn"),
        &s(secret)
    );
    delete(&p, CR, &updated).await;
    assert!(read(&p, CR, &updated).await.is_none());
}

fn with_git(cfg: &Value, git: Value) -> Value {
    let mut c = cfg.clone();
    if let Value::Map(m) = &mut c {
        m.insert("git_config".into(), git);
    }
    c
}
