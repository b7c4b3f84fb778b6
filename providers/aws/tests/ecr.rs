//! aws_ecr_repository and aws_ecr_lifecycle_policy against moto: create, an independent read
//! with boto3, an out-of-band change made with boto3 seen as drift and repaired, import, destroy.

mod common;

use common::boto::boto3;
use common::*;
use plinth_sdk::{Provider, Value};
use serde_json::Value as J;

const REPO: &str = "aws_ecr_repository";
const LIFECYCLE: &str = "aws_ecr_lifecycle_policy";

const RULES: &str = r#"{"rules":[{"rulePriority":1,"description":"keep 10","selection":{"tagStatus":"any","countType":"imageCountMoreThan","countNumber":10},"action":{"type":"expire"}}]}"#;
const RULES_REFORMATTED: &str = r#"{ "rules": [ { "action": {"type": "expire"}, "selection": {"countNumber": 10, "countType": "imageCountMoreThan", "tagStatus": "any"}, "description": "keep 10", "rulePriority": 1 } ] }"#;

fn json(script: &str) -> J {
    let out = boto3(script);
    serde_json::from_str(&out).unwrap_or_else(|e| panic!("{e}: {out}"))
}

fn live(name: &str) -> J {
    json(&format!(
        "r = ecr.describe_repositories(repositoryNames=['{name}'])['repositories'][0]\n\
         t = ecr.list_tags_for_resource(resourceArn=r['repositoryArn'])['tags']\n\
         print(json.dumps({{'mutability': r['imageTagMutability'], \
         'scan': r['imageScanningConfiguration']['scanOnPush'], 'tags': {{x['Key']: x['Value'] for x in t}}}}))"
    ))
}

fn scanning(on: bool) -> Value {
    Value::List(vec![Value::object([("scan_on_push", Value::Bool(on))])])
}

#[tokio::test]
async fn repository_lifecycle_drift_import_destroy() {
    let p = provider().await;
    let name = "plinth/trainer";
    let cfg = config(
        &p,
        REPO,
        &[
            ("name", s(name)),
            ("image_tag_mutability", s("IMMUTABLE")),
            ("image_scanning_configuration", scanning(true)),
            ("force_delete", Value::Bool(true)),
            ("tags", Value::object([("team", s("ml"))])),
        ],
    );
    let state = create(&p, REPO, cfg.clone()).await;
    assert_eq!(state.get("id"), &s(name));
    assert_eq!(state.get("registry_id"), &s("123456789012"));
    assert!(
        state
            .get("repository_url")
            .as_str()
            .is_some_and(|u| u.ends_with(&format!("/{name}")))
    );
    assert_eq!(
        state.get("encryption_configuration"),
        &Value::List(vec![Value::object([
            ("encryption_type", s("AES256")),
            ("kms_key", Value::Null)
        ])])
    );
    let l = live(name);
    assert_eq!(l["mutability"], "IMMUTABLE");
    assert_eq!(l["scan"], true);
    assert_eq!(l["tags"]["team"], "ml");
    assert_eq!(read(&p, REPO, &state).await.as_ref(), Some(&state));
    let pl = plan(&p, REPO, &state, &cfg).await;
    assert_eq!(plan_changes(&pl, &state), Vec::<String>::new());
    assert!(pl.requires_replace.is_empty(), "encryption left out is no change");

    // Out of band: mutable, no scanning.
    boto3(&format!(
        "ecr.put_image_tag_mutability(repositoryName='{name}', imageTagMutability='MUTABLE')\n\
         ecr.put_image_scanning_configuration(repositoryName='{name}', imageScanningConfiguration={{'scanOnPush': False}})"
    ));
    let drifted = read(&p, REPO, &state).await.expect("exists");
    let pl = plan(&p, REPO, &drifted, &cfg).await;
    assert_eq!(
        plan_changes(&pl, &drifted),
        vec!["image_scanning_configuration", "image_tag_mutability"]
    );
    let repaired = apply_update(&p, REPO, &drifted, pl.planned, &cfg).await;
    assert_eq!(repaired, state);
    let l = live(name);
    assert_eq!(l["mutability"], "IMMUTABLE");
    assert_eq!(l["scan"], true);

    // The lifecycle policy.
    let lc = config(&p, LIFECYCLE, &[("repository", s(name)), ("policy", s(RULES))]);
    let lstate = create(&p, LIFECYCLE, lc.clone()).await;
    assert_eq!(lstate.get("id"), &s(name));
    assert_eq!(lstate.get("registry_id"), &s("123456789012"));
    let text = json(&format!(
        "print(ecr.get_lifecycle_policy(repositoryName='{name}')['lifecyclePolicyText'])"
    ));
    assert_eq!(text["rules"][0]["selection"]["countNumber"], 10);
    assert_eq!(read(&p, LIFECYCLE, &lstate).await.as_ref(), Some(&lstate));
    let same = config(
        &p,
        LIFECYCLE,
        &[("repository", s(name)), ("policy", s(RULES_REFORMATTED))],
    );
    assert_eq!(
        plan_changes(&plan(&p, LIFECYCLE, &lstate, &same).await, &lstate),
        Vec::<String>::new()
    );
    boto3(&format!(
        "ecr.put_lifecycle_policy(repositoryName='{name}', lifecyclePolicyText=json.dumps({{'rules': [{{'rulePriority': 1, \
         'selection': {{'tagStatus': 'any', 'countType': 'imageCountMoreThan', 'countNumber': 99}}, 'action': {{'type': 'expire'}}}}]}}))"
    ));
    let drifted = read(&p, LIFECYCLE, &lstate).await.expect("exists");
    assert_eq!(
        plan_changes(&plan(&p, LIFECYCLE, &drifted, &lc).await, &drifted),
        vec!["policy"]
    );
    let lrepaired = apply_in_place(&p, LIFECYCLE, &drifted, &lc).await;
    assert_eq!(lrepaired.get("policy"), &s(RULES));
    let imported = import(&p, LIFECYCLE, name).await;
    assert_eq!(imported.get("repository"), &s(name));
    delete(&p, LIFECYCLE, &lrepaired).await;
    assert_eq!(read(&p, LIFECYCLE, &lrepaired).await, None);

    // Import the repository by name.
    let imported = import(&p, REPO, name).await;
    assert_eq!(imported.get("arn"), state.get("arn"));
    assert_eq!(imported.get("image_scanning_configuration"), &scanning(true));

    // force_delete removes a repository holding an image.
    boto3(&format!(
        "ecr.put_image(repositoryName='{name}', imageManifest=json.dumps({{'schemaVersion': 2, 'mediaType': \
         'application/vnd.docker.distribution.manifest.v2+json', 'config': {{'mediaType': 'application/vnd.docker.container.image.v1+json', \
         'size': 1, 'digest': 'sha256:' + '0' * 64}}, 'layers': []}}), imageTag='v1')"
    ));
    delete(&p, REPO, &repaired).await;
    let gone = json(&format!(
        "try:\n    ecr.describe_repositories(repositoryNames=['{name}'])\n    print('true')\nexcept ecr.exceptions.RepositoryNotFoundException:\n    print('false')"
    ));
    assert_eq!(gone, false);
    assert_eq!(read(&p, REPO, &repaired).await, None);
}

#[tokio::test]
async fn repositories_refresh_from_one_listing() {
    let p = provider().await;
    let mut states = Vec::new();
    for i in 0..3 {
        let cfg = config(&p, REPO, &[("name", s(&format!("plinth/batch-{i}")))]);
        states.push(create(&p, REPO, cfg).await);
    }
    let before = p.call_count();
    let out = p.read(read_request(REPO, "r", &states)).await.expect("read");
    assert!(out.states.iter().all(Option::is_some));
    assert_eq!(p.call_count() - before, 1 + 3, "one listing, tags per repository");
    for s in &states {
        delete(&p, REPO, s).await;
    }
}
