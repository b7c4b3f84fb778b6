//! aws_cloudwatch_log_group against moto: create, an independent read with boto3, an
//! out-of-band change made with boto3 seen as drift and repaired, import, destroy (and
//! skip_destroy), and the batched refresh (one DescribeLogGroups per prefix page).

mod common;

use common::boto::boto3;
use common::*;
use plinth_sdk::{Provider, Value};
use serde_json::Value as J;

const T: &str = "aws_cloudwatch_log_group";

fn json(script: &str) -> J {
    let out = boto3(script);
    serde_json::from_str(&out).unwrap_or_else(|e| panic!("{e}: {out}"))
}

fn live(name: &str) -> J {
    json(&format!(
        "g = [x for x in logs.describe_log_groups(logGroupNamePrefix='{name}')['logGroups'] if x['logGroupName'] == '{name}']\n\
         t = logs.list_tags_log_group(logGroupName='{name}')['tags'] if g else {{}}\n\
         print(json.dumps({{'retention': g[0].get('retentionInDays') if g else None, 'exists': bool(g), \
         'kms': g[0].get('kmsKeyId') if g else None, 'tags': t}}))"
    ))
}

#[tokio::test]
async fn log_group_lifecycle_drift_import_destroy() {
    let p = provider().await;
    let name = "/aws/sagemaker/TrainingJobs/plinth-test";
    let cfg = config(
        &p,
        T,
        &[
            ("name", s(name)),
            ("retention_in_days", Value::int(14)),
            ("tags", Value::object([("team", s("ml"))])),
        ],
    );
    let state = create(&p, T, cfg.clone()).await;
    assert_eq!(state.get("id"), &s(name));
    let arn = state.get("arn").as_str().expect("arn").to_string();
    assert!(arn.ends_with(&format!(":log-group:{name}")), "no :* suffix: {arn}");
    assert_eq!(state.get("skip_destroy"), &Value::Bool(false));
    assert_eq!(state.get("log_group_class"), &s("STANDARD"));
    let l = live(name);
    assert_eq!(l["retention"], 14);
    assert_eq!(l["tags"]["team"], "ml");
    assert_eq!(read(&p, T, &state).await.as_ref(), Some(&state));

    // Out of band: retention removed, a tag added.
    boto3(&format!(
        "logs.delete_retention_policy(logGroupName='{name}')\n\
         logs.tag_log_group(logGroupName='{name}', tags={{'owner': 'someone'}})"
    ));
    let drifted = read(&p, T, &state).await.expect("exists");
    assert_eq!(drifted.get("retention_in_days"), &Value::int(0));
    let pl = plan(&p, T, &drifted, &cfg).await;
    assert_eq!(
        plan_changes(&pl, &drifted),
        vec!["retention_in_days", "tags", "tags_all"]
    );
    let repaired = apply_update(&p, T, &drifted, pl.planned, &cfg).await;
    assert_eq!(repaired.get("retention_in_days"), &Value::int(14));
    let l = live(name);
    assert_eq!(l["retention"], 14);
    assert!(l["tags"].get("owner").is_none(), "{l}");

    // Retention left out means never expire (Terraform's default 0).
    let forever = config(
        &p,
        T,
        &[("name", s(name)), ("tags", Value::object([("team", s("ml"))]))],
    );
    let s2 = apply_in_place(&p, T, &repaired, &forever).await;
    assert_eq!(s2.get("retention_in_days"), &Value::int(0));
    assert_eq!(live(name)["retention"], J::Null);

    let imported = import(&p, T, name).await;
    assert_eq!(imported.get("arn"), &s(&arn));
    assert_eq!(imported.get("tags"), &Value::object([("team", s("ml"))]));

    delete(&p, T, &s2).await;
    assert_eq!(live(name)["exists"], false);
    assert_eq!(read(&p, T, &s2).await, None);
    delete(&p, T, &s2).await; // already gone
}

#[tokio::test]
async fn skip_destroy_keeps_the_log_group() {
    let p = provider().await;
    let cfg = config(
        &p,
        T,
        &[("name_prefix", s("/plinth/keep-")), ("skip_destroy", Value::Bool(true))],
    );
    let state = create(&p, T, cfg).await;
    let name = state.get("name").as_str().expect("name").to_string();
    assert!(name.starts_with("/plinth/keep-"));
    delete(&p, T, &state).await;
    assert_eq!(live(&name)["exists"], true, "skip_destroy leaves it in AWS");
    boto3(&format!("logs.delete_log_group(logGroupName='{name}')"));
}

#[tokio::test]
async fn log_groups_under_one_path_refresh_with_one_listing() {
    let p = provider().await;
    let mut states = Vec::new();
    for i in 0..3 {
        let cfg = config(&p, T, &[("name", s(&format!("/aws/batch/plinth-{i}")))]);
        states.push(create(&p, T, cfg).await);
    }
    let before = p.call_count();
    let out = p.read(read_request(T, "g", &states)).await.expect("read");
    assert!(out.states.iter().all(Option::is_some));
    // One DescribeLogGroups for the shared prefix, one ListTagsForResource per group.
    assert_eq!(p.call_count() - before, 1 + 3);
    for s in &states {
        delete(&p, T, s).await;
    }
    let out = p.read(read_request(T, "g", &states)).await.expect("read");
    assert!(out.states.iter().all(Option::is_none));
}
