use std::path::Path;

use plinth_sdk::{AttrPath, PathStep, Value};
use serde_json::json;

use super::*;

const T: &str = "local_model_registry";

fn registry(p: &LocalProvider, extra: &[(&str, Value)]) -> Value {
    let mut set = vec![
        ("path", s("registry")),
        ("name", s("ml-models")),
        ("description", s("team models")),
    ];
    set.extend(extra.iter().cloned());
    config(p, T, &set)
}

fn aliases(pairs: &[(&str, &str)]) -> Value {
    Value::Map(pairs.iter().map(|(k, v)| (k.to_string(), s(v))).collect())
}

fn index(dir: &Path) -> serde_json::Value {
    let text = std::fs::read_to_string(dir.join("registry/index.json")).expect("index.json");
    serde_json::from_str(&text).expect("json")
}

/// What a training pipeline does: registers versions by rewriting the index.
fn register(dir: &Path, model: &str, versions: &[&str], other_aliases: serde_json::Value) {
    let mut idx = index(dir);
    idx["models"][model] = json!({
        "versions": versions.iter().map(|v| json!({
            "version": v,
            "artifact_uri": format!("file:///artifacts/{model}/{v}"),
            "stage": null,
            "created_at": "2025-01-01T00:00:00Z",
        })).collect::<Vec<_>>(),
        "aliases": other_aliases,
    });
    std::fs::write(dir.join("registry/index.json"), idx.to_string()).expect("write index");
}

#[tokio::test]
async fn create_writes_the_directory_and_index() {
    let dir = tempfile::tempdir().expect("tempdir");
    let p = provider(dir.path()).await;
    let cfg = registry(&p, &[]);
    assert!(validate(&p, T, &cfg).is_empty());
    let planned = plan(&p, T, None, &cfg).await;
    assert_eq!(planned.planned.get("id"), &s("registry"));
    assert_eq!(planned.planned.get("force_destroy"), &Value::Bool(false));
    let state = converge(&p, T, None, &cfg).await;
    assert_eq!(state.get("id"), &s("registry"));
    assert_eq!(
        index(dir.path()),
        json!({
            "format": "plinth-model-registry/v1",
            "name": "ml-models",
            "description": "team models",
            "models": {},
        })
    );
    assert!(
        !dir.path().join("registry/index.json.lock").exists(),
        "the lock is released"
    );
    assert_eq!(read_one(&p, T, &state).await, Some(state.clone()));

    // Creating over an existing registry is refused: import it instead.
    let planned = plan(&p, T, None, &cfg).await;
    let err = try_apply(&p, T, None, Some(planned.planned), &cfg)
        .await
        .expect_err("exists");
    assert_eq!(err.code.as_deref(), Some("EEXIST"));
}

#[tokio::test]
async fn refresh_sees_hand_edits_and_removal() {
    let dir = tempfile::tempdir().expect("tempdir");
    let p = provider(dir.path()).await;
    let cfg = registry(&p, &[]);
    let state = converge(&p, T, None, &cfg).await;

    let mut idx = index(dir.path());
    idx["name"] = json!("renamed-by-hand");
    std::fs::write(dir.path().join("registry/index.json"), idx.to_string()).expect("write");
    let live = read_one(&p, T, &state).await.expect("exists");
    assert_eq!(live.get("name"), &s("renamed-by-hand"));
    let planned = plan(&p, T, Some(&live), &cfg).await;
    assert!(planned.requires_replace.is_empty(), "a name is updated in place");
    converge(&p, T, Some(&live), &cfg).await;
    assert_eq!(index(dir.path())["name"], json!("ml-models"));

    std::fs::remove_file(dir.path().join("registry/index.json")).expect("rm index");
    assert_eq!(read_one(&p, T, &state).await, None, "no index, no registry");
    std::fs::remove_dir_all(dir.path().join("registry")).expect("rm dir");
    assert_eq!(read_one(&p, T, &state).await, None, "no directory, no registry");

    std::fs::create_dir_all(dir.path().join("registry")).expect("mkdir");
    std::fs::write(dir.path().join("registry/index.json"), "{\"format\": \"other/v9\"}").expect("write");
    let err = p
        .read(plinth_sdk::ReadRequest {
            type_name: T.into(),
            instances: vec![plinth_sdk::ReadInstance {
                address: "x".into(),
                state: state.clone(),
            }],
        })
        .await
        .expect_err("foreign format");
    assert_eq!(err.code.as_deref(), Some("EINVAL"));
    assert!(err.message.contains("index.json"), "{}", err.message);
}

#[tokio::test]
async fn aliases_are_managed_and_versions_left_alone() {
    let dir = tempfile::tempdir().expect("tempdir");
    let p = provider(dir.path()).await;
    let state = converge(&p, T, None, &registry(&p, &[])).await;
    register(dir.path(), "churn", &["1", "2", "3"], json!({ "shadow": "1" }));
    let versions_before = index(dir.path())["models"]["churn"]["versions"].clone();

    let cfg = registry(
        &p,
        &[(
            "aliases",
            aliases(&[("churn:champion", "3"), ("churn:challenger", "2")]),
        )],
    );
    let live = read_one(&p, T, &state).await.expect("exists");
    assert_eq!(live.get("aliases"), &Value::Null, "undeclared aliases are not reported");
    let planned = plan(&p, T, Some(&live), &cfg).await;
    assert!(planned.requires_replace.is_empty());
    let state = converge(&p, T, Some(&live), &cfg).await;
    let idx = index(dir.path());
    assert_eq!(
        idx["models"]["churn"]["aliases"],
        json!({ "shadow": "1", "champion": "3", "challenger": "2" })
    );
    assert_eq!(
        idx["models"]["churn"]["versions"], versions_before,
        "versions untouched"
    );
    assert_eq!(read_one(&p, T, &state).await, Some(state.clone()));

    // Someone moves the champion by hand: drift on the declared key only.
    let mut idx = index(dir.path());
    idx["models"]["churn"]["aliases"]["champion"] = json!("1");
    idx["models"]["churn"]["aliases"]["shadow"] = json!("2");
    std::fs::write(dir.path().join("registry/index.json"), idx.to_string()).expect("write");
    let live = read_one(&p, T, &state).await.expect("exists");
    assert_eq!(
        live.get("aliases"),
        &aliases(&[("churn:champion", "1"), ("churn:challenger", "2")])
    );

    // Dropping a declared alias removes it; undeclared ones stay.
    let cfg = registry(&p, &[("aliases", aliases(&[("churn:champion", "3")]))]);
    converge(&p, T, Some(&live), &cfg).await;
    assert_eq!(
        index(dir.path())["models"]["churn"]["aliases"],
        json!({ "shadow": "2", "champion": "3" })
    );
}

#[tokio::test]
async fn aliases_to_unregistered_versions_are_refused() {
    let dir = tempfile::tempdir().expect("tempdir");
    let p = provider(dir.path()).await;
    let state = converge(&p, T, None, &registry(&p, &[])).await;
    register(dir.path(), "churn", &["1"], json!({}));
    let before = index(dir.path());
    for (key, version) in [("churn:champion", "7"), ("fraud:champion", "1")] {
        let cfg = registry(&p, &[("aliases", aliases(&[(key, version)]))]);
        let planned = plan(&p, T, Some(&state), &cfg).await;
        let err = try_apply(&p, T, Some(&state), Some(planned.planned), &cfg)
            .await
            .expect_err("unregistered");
        assert_eq!(err.code.as_deref(), Some("ENOENT"));
        assert_eq!(
            err.attribute,
            Some(AttrPath::attr("aliases").child(PathStep::Key(key.to_string())))
        );
        assert_eq!(index(dir.path()), before, "a refused update writes nothing");
    }

    // On create nothing is registered yet: refused before anything is written.
    let cfg = config(
        &p,
        T,
        &[
            ("path", s("fresh")),
            ("name", s("n")),
            ("aliases", aliases(&[("m:champion", "1")])),
        ],
    );
    let planned = plan(&p, T, None, &cfg).await;
    try_apply(&p, T, None, Some(planned.planned), &cfg)
        .await
        .expect_err("nothing registered");
    assert!(!dir.path().join("fresh").exists());
}

#[tokio::test]
async fn path_change_replaces_and_other_changes_update_in_place() {
    let dir = tempfile::tempdir().expect("tempdir");
    let p = provider(dir.path()).await;
    let state = converge(&p, T, None, &registry(&p, &[])).await;
    let moved = config(&p, T, &[("path", s("elsewhere")), ("name", s("ml-models"))]);
    assert_eq!(
        plan(&p, T, Some(&state), &moved).await.requires_replace,
        vec![AttrPath::attr("path")]
    );
    let described = config(&p, T, &[("path", s("registry")), ("name", s("ml-models"))]);
    let planned = plan(&p, T, Some(&state), &described).await;
    assert!(planned.requires_replace.is_empty());
    converge(&p, T, Some(&state), &described).await;
    assert_eq!(index(dir.path())["description"], serde_json::Value::Null);
}

#[tokio::test]
async fn delete_refuses_a_registry_with_versions_unless_forced() {
    let dir = tempfile::tempdir().expect("tempdir");
    let p = provider(dir.path()).await;
    let state = converge(&p, T, None, &registry(&p, &[])).await;
    register(dir.path(), "churn", &["1", "2"], json!({}));
    std::fs::write(dir.path().join("registry/model.bin"), "weights").expect("artifact");

    let err = destroy(&p, T, &state).await.expect_err("holds versions");
    assert_eq!(err.code.as_deref(), Some("ENOTEMPTY"));
    assert!(err.message.contains("churn:1"), "{}", err.message);
    assert!(err.message.contains("force_destroy"), "{}", err.message);
    assert!(dir.path().join("registry/index.json").exists());

    let forced_cfg = registry(&p, &[("force_destroy", Value::Bool(true))]);
    let forced = converge(&p, T, Some(&state), &forced_cfg).await;
    destroy(&p, T, &forced).await.expect("forced");
    assert!(!dir.path().join("registry/index.json").exists());
    assert!(
        dir.path().join("registry/model.bin").exists(),
        "artifacts are never deleted"
    );
    assert!(!dir.path().join("registry/index.json.lock").exists());
}

#[tokio::test]
async fn delete_of_an_empty_registry_removes_the_directory() {
    let dir = tempfile::tempdir().expect("tempdir");
    let p = provider(dir.path()).await;
    let state = converge(&p, T, None, &registry(&p, &[])).await;
    destroy(&p, T, &state).await.expect("delete");
    assert!(!dir.path().join("registry").exists());
    destroy(&p, T, &state).await.expect("already gone is fine");
}

#[tokio::test]
async fn import_by_path() {
    let dir = tempfile::tempdir().expect("tempdir");
    let p = provider(dir.path()).await;
    converge(&p, T, None, &registry(&p, &[])).await;
    register(dir.path(), "churn", &["1"], json!({ "champion": "1" }));
    let state = import(&p, T, "registry").await.expect("import");
    assert_eq!(state.get("path"), &s("registry"));
    assert_eq!(state.get("name"), &s("ml-models"));
    assert_eq!(state.get("description"), &s("team models"));
    assert_eq!(state.get("aliases"), &Value::Null, "aliases are not adopted");
    assert_eq!(state.get("force_destroy"), &Value::Bool(false));
    let planned = plan(&p, T, Some(&state), &registry(&p, &[])).await;
    assert_eq!(planned.planned, state);

    let err = import(&p, T, "nowhere").await.expect_err("missing");
    assert_eq!(err.code.as_deref(), Some("ENOENT"));
}

#[tokio::test]
async fn validation_checks_alias_keys() {
    let dir = tempfile::tempdir().expect("tempdir");
    let p = provider(dir.path()).await;
    let cfg = registry(
        &p,
        &[(
            "aliases",
            aliases(&[("champion", "1"), ("churn:champion", "1"), ("churn:x", "")]),
        )],
    );
    assert_eq!(
        diag_paths(&validate(&p, T, &cfg)),
        ["aliases[\"champion\"]", "aliases[\"churn:x\"]"]
    );
}
