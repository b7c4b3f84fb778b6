//! aws_sagemaker_pipeline against moto: create, refresh (no changes), retag repair, in-place
//! update with UpdatePipeline, the same JSON written differently is no change, import, destroy,
//! and a delete made by hand seen at refresh — checked with our own SDK reads.

mod common;
mod sagemaker_support;

use common::*;
use plinth_aws::AwsProvider;
use plinth_sdk::{Provider, ReadInstance, ReadRequest, ValidateRequest, Value};
use sagemaker_support::*;

const T: &str = "aws_sagemaker_pipeline";

const DEFINITION: &str =
    r#"{"Version":"2020-12-01","Parameters":[],"Steps":[{"Name":"Train","Type":"Training","Arguments":{}}]}"#;

fn pipeline_cfg(p: &AwsProvider, name: &str, definition: &str, description: Option<&str>) -> Value {
    config(
        p,
        T,
        &[
            ("pipeline_name", s(name)),
            ("pipeline_display_name", s("Nightly training")),
            ("pipeline_definition", s(definition)),
            ("role_arn", s(ROLE)),
            ("pipeline_description", description.map(s).unwrap_or(Value::Null)),
            ("tags", team_ml()),
        ],
    )
}

#[tokio::test]
async fn pipeline_lifecycle() {
    let p = provider().await;
    let name = unique("train");
    let cfg = pipeline_cfg(&p, &name, DEFINITION, Some("trains nightly"));
    let state = create(&p, T, cfg.clone()).await;
    let arn = state.get("arn").as_str().expect("arn").to_string();
    assert!(arn.ends_with(&format!(":pipeline/{name}")), "{arn}");

    let d = sm()
        .await
        .describe_pipeline()
        .pipeline_name(&name)
        .send()
        .await
        .expect("DescribePipeline");
    assert_eq!(d.pipeline_display_name(), Some("Nightly training"));
    assert_eq!(d.pipeline_description(), Some("trains nightly"));
    assert_eq!(d.role_arn(), Some(ROLE));
    let live_def: serde_json::Value =
        serde_json::from_str(d.pipeline_definition().expect("a definition")).expect("JSON");
    assert_eq!(live_def["Steps"][0]["Name"], "Train");
    assert_eq!(live_tags(&arn).await, tags(&[("team", "ml")]));

    let live = read(&p, T, &state).await.expect("exists");
    assert_eq!(live, state);
    assert_no_changes(&p, T, &live, &cfg).await;

    // The same JSON, reformatted: no change.
    let pretty = serde_json::to_string_pretty(&serde_json::from_str::<serde_json::Value>(DEFINITION).expect("json"))
        .expect("pretty");
    assert_no_changes(&p, T, &live, &pipeline_cfg(&p, &name, &pretty, Some("trains nightly"))).await;

    let state = retag_is_seen_and_repaired(&p, T, &live, &cfg).await;

    // A new definition and description are updated in place.
    let new_def = DEFINITION.replace("Train", "TrainAndEvaluate");
    let new_cfg = pipeline_cfg(&p, &name, &new_def, Some("trains and evaluates nightly"));
    let updated = update(&p, T, &state, &new_cfg).await;
    assert_eq!(updated.get("arn"), &s(&arn), "the same pipeline");
    assert_eq!(updated.get("pipeline_definition"), &s(&new_def));
    let d = sm()
        .await
        .describe_pipeline()
        .pipeline_name(&name)
        .send()
        .await
        .expect("DescribePipeline");
    assert_eq!(d.pipeline_description(), Some("trains and evaluates nightly"));
    assert!(d.pipeline_definition().is_some_and(|d| d.contains("TrainAndEvaluate")));
    let live = read(&p, T, &updated).await.expect("exists");
    assert_no_changes(&p, T, &live, &new_cfg).await;

    let imported = import(&p, T, &name).await;
    assert_eq!(imported.get("pipeline_display_name"), &s("Nightly training"));
    assert_eq!(imported.get("tags"), &team_ml());

    delete(&p, T, &updated).await;
    assert!(
        sm().await
            .describe_pipeline()
            .pipeline_name(&name)
            .send()
            .await
            .is_err(),
        "destroy leaves nothing"
    );
    assert!(read(&p, T, &updated).await.is_none());
}

#[tokio::test]
async fn pipeline_deleted_by_hand_is_seen_and_refresh_is_batched() {
    let p = provider().await;
    let mut states = Vec::new();
    for _ in 0..3 {
        let cfg = pipeline_cfg(&p, &unique("batch"), DEFINITION, None);
        states.push(create(&p, T, cfg).await);
    }
    // Unchanged pipelines: one ListPipelines, one ListTags each, no DescribePipeline.
    let instances: Vec<ReadInstance> = states
        .iter()
        .map(|s| ReadInstance {
            address: format!("{T}.p"),
            state: s.clone(),
        })
        .collect();
    let before = p.call_count();
    let resp = p
        .read(ReadRequest {
            type_name: T.into(),
            instances: instances.clone(),
        })
        .await
        .expect("read");
    assert_eq!(p.call_count() - before, 1 + 3);
    assert_eq!(resp.states, states.iter().cloned().map(Some).collect::<Vec<_>>());

    let gone = states[1].get("pipeline_name").as_str().expect("name").to_string();
    sm().await
        .delete_pipeline()
        .pipeline_name(&gone)
        .send()
        .await
        .expect("DeletePipeline by hand");
    let resp = p
        .read(ReadRequest {
            type_name: T.into(),
            instances,
        })
        .await
        .expect("read");
    assert!(resp.states[0].is_some());
    assert!(resp.states[1].is_none(), "refresh sees it gone");
    assert!(resp.states[2].is_some());
    for s in &states {
        delete(&p, T, s).await;
    }
}

#[tokio::test]
async fn pipeline_definition_must_be_json() {
    let p = provider().await;
    let diags = p.validate(&ValidateRequest::managed(T, pipeline_cfg(&p, "x", "{not json", None)));
    assert_eq!(diags.len(), 1);
    assert_eq!(
        diags[0].attribute.as_ref().map(|a| a.to_string()).as_deref(),
        Some("pipeline_definition")
    );
}
