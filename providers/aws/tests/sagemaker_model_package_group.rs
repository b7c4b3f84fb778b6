//! aws_sagemaker_model_package_group against moto: create, refresh (one List call for several
//! groups, no Describe), retag repair, force-new plan, import — checked with our own SDK reads.
//!
//! moto 5.2 does not implement DeleteModelPackageGroup: the destroy test is ignored (under moto it
//! fails at DeleteModelPackageGroup), and the delete made "by hand" is simulated by wiping moto
//! (`POST /moto-api/reset`), which is safe because this binary's other test is ignored and each
//! test binary has its own moto.

mod common;
mod sagemaker_support;

use common::*;
use plinth_sdk::{Provider, ReadInstance, ReadRequest};
use sagemaker_support::*;

const T: &str = "aws_sagemaker_model_package_group";

#[tokio::test]
async fn model_package_group_lifecycle_and_vanishing() {
    let p = provider().await;
    let name = unique("fraud-detector");
    let cfg = config(
        &p,
        T,
        &[
            ("model_package_group_name", s(&name)),
            ("model_package_group_description", s("fraud models")),
            ("tags", team_ml()),
        ],
    );
    let state = create(&p, T, cfg.clone()).await;
    let arn = state.get("arn").as_str().expect("arn").to_string();
    assert!(arn.ends_with(&format!(":model-package-group/{name}")), "{arn}");

    let d = sm()
        .await
        .describe_model_package_group()
        .model_package_group_name(&name)
        .send()
        .await
        .expect("DescribeModelPackageGroup");
    assert_eq!(d.model_package_group_description(), Some("fraud models"));
    assert_eq!(d.model_package_group_status().map(|s| s.as_str()), Some("Completed"));
    assert_eq!(live_tags(&arn).await, tags(&[("team", "ml")]));

    let live = read(&p, T, &state).await.expect("exists");
    assert_eq!(live, state);
    assert_no_changes(&p, T, &live, &cfg).await;

    let state = retag_is_seen_and_repaired(&p, T, &live, &cfg).await;

    // No update API: a new description replaces the group.
    let mut described = cfg.clone();
    if let plinth_sdk::Value::Map(m) = &mut described {
        m.insert("model_package_group_description".into(), s("all fraud models"));
    }
    let planned = plan(&p, T, Some(&state), &described).await;
    assert_eq!(planned.requires_replace.len(), 1);

    let imported = import(&p, T, &name).await;
    assert_eq!(imported.get("model_package_group_description"), &s("fraud models"));
    assert_eq!(imported.get("tags"), &team_ml());

    // Refresh of several groups: one ListModelPackageGroups and one ListTags each, no Describe.
    let mut states = vec![state.clone()];
    for _ in 0..2 {
        let cfg = config(&p, T, &[("model_package_group_name", s(&unique("fraud-detector")))]);
        states.push(create(&p, T, cfg).await);
    }
    let before = p.call_count();
    let resp = p
        .read(ReadRequest {
            type_name: T.into(),
            instances: states
                .iter()
                .map(|s| ReadInstance {
                    address: format!("{T}.g"),
                    state: s.clone(),
                })
                .collect(),
        })
        .await
        .expect("read");
    assert_eq!(p.call_count() - before, 1 + 3);
    assert!(resp.states.iter().all(Option::is_some));

    // Deleted outside Plinth (moto has no DeleteModelPackageGroup: wipe the emulator instead).
    moto_reset();
    assert!(
        sm().await
            .describe_model_package_group()
            .model_package_group_name(&name)
            .send()
            .await
            .is_err()
    );
    assert!(read(&p, T, &state).await.is_none(), "refresh sees it gone");
}

#[tokio::test]
#[ignore = "moto 5.2 does not implement DeleteModelPackageGroup"]
async fn model_package_group_destroy_leaves_nothing() {
    let p = provider().await;
    let name = unique("registry");
    let state = create(&p, T, config(&p, T, &[("model_package_group_name", s(&name))])).await;
    delete(&p, T, &state).await;
    assert!(
        sm().await
            .describe_model_package_group()
            .model_package_group_name(&name)
            .send()
            .await
            .is_err(),
        "destroy leaves nothing"
    );
    assert!(read(&p, T, &state).await.is_none());
}
