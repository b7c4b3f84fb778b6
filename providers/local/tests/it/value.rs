use std::time::Instant;

use plinth_sdk::{AttrPath, Value};

use super::*;

const T: &str = "local_value";

#[tokio::test]
async fn create_copies_input_to_output_and_sets_an_id() {
    let dir = tempfile::tempdir().expect("tempdir");
    let p = provider(dir.path()).await;
    let input = Value::object([("gpus", Value::int(4)), ("zone", s("a"))]);
    let cfg = config(&p, T, &[("input", input.clone())]);
    let planned = plan(&p, T, None, &cfg).await;
    assert!(planned.requires_replace.is_empty());
    assert_eq!(
        planned.planned.get("output"),
        &Value::Unknown,
        "unknown on create, as terraform_data"
    );
    assert_eq!(planned.planned.get("id"), &Value::Unknown);
    let state = converge(&p, T, None, &cfg).await;
    assert_eq!(state.get("output"), &input);
    let id = state.get("id").as_str().expect("an id");
    assert!(!id.is_empty());

    // Ids are unique.
    let other = converge(&p, T, None, &cfg).await;
    assert_ne!(other.get("id"), state.get("id"));

    // No external object: read returns the state as it is.
    assert_eq!(read_one(&p, T, &state).await, Some(state.clone()));
    // Nothing on disk.
    assert_eq!(std::fs::read_dir(dir.path()).expect("read_dir").count(), 0);
}

#[tokio::test]
async fn null_input_plans_a_null_output() {
    let dir = tempfile::tempdir().expect("tempdir");
    let p = provider(dir.path()).await;
    let cfg = config(&p, T, &[]);
    let planned = plan(&p, T, None, &cfg).await;
    assert_eq!(planned.planned.get("output"), &Value::Null);
    let state = converge(&p, T, None, &cfg).await;
    assert_eq!(state.get("output"), &Value::Null);
}

#[tokio::test]
async fn input_change_updates_in_place_with_unknown_output() {
    let dir = tempfile::tempdir().expect("tempdir");
    let p = provider(dir.path()).await;
    let state = converge(&p, T, None, &config(&p, T, &[("input", s("v1"))])).await;

    let same = plan(&p, T, Some(&state), &config(&p, T, &[("input", s("v1"))])).await;
    assert_eq!(same.planned, state, "no change plans the prior state");

    let cfg = config(&p, T, &[("input", s("v2"))]);
    let planned = plan(&p, T, Some(&state), &cfg).await;
    assert!(planned.requires_replace.is_empty());
    assert_eq!(planned.planned.get("output"), &Value::Unknown);
    assert_eq!(planned.planned.get("id"), state.get("id"), "the id survives an update");
    let new = converge(&p, T, Some(&state), &cfg).await;
    assert_eq!(new.get("output"), &s("v2"));
    assert_eq!(new.get("id"), state.get("id"));

    // An unknown input leaves the output unknown.
    let unknown = plan(&p, T, Some(&new), &config(&p, T, &[("input", Value::Unknown)])).await;
    assert_eq!(unknown.planned.get("output"), &Value::Unknown);
}

#[tokio::test]
async fn triggers_replace_change_plans_a_replace() {
    let dir = tempfile::tempdir().expect("tempdir");
    let p = provider(dir.path()).await;
    let cfg = config(&p, T, &[("input", s("x")), ("triggers_replace", s("r1"))]);
    let state = converge(&p, T, None, &cfg).await;
    assert!(plan(&p, T, Some(&state), &cfg).await.requires_replace.is_empty());

    let cfg2 = config(&p, T, &[("input", s("x")), ("triggers_replace", s("r2"))]);
    let planned = plan(&p, T, Some(&state), &cfg2).await;
    assert_eq!(planned.requires_replace, vec![AttrPath::attr("triggers_replace")]);
    assert_eq!(planned.planned.get("id"), &Value::Unknown);
    let new = converge(&p, T, Some(&state), &cfg2).await;
    assert_ne!(new.get("id"), state.get("id"));
    assert_eq!(new.get("output"), &s("x"));
}

#[tokio::test]
async fn sensitive_input_stays_sensitive_in_output() {
    let dir = tempfile::tempdir().expect("tempdir");
    let p = provider(dir.path()).await;
    let cfg = config(&p, T, &[("input", s("hunter2").mark())]);
    let state = converge(&p, T, None, &cfg).await;
    assert!(state.get("output").is_sensitive());
}

#[tokio::test]
async fn import_adopts_an_id() {
    let dir = tempfile::tempdir().expect("tempdir");
    let p = provider(dir.path()).await;
    let state = import(&p, T, "abc").await.expect("import");
    assert_eq!(state.get("id"), &s("abc"));
    assert_eq!(state.get("input"), &Value::Null);
}

/// The engine's benchmark applies 10,000 of these in under 3 s including the engine; the provider's
/// share must be a small part of that even in a debug build.
#[tokio::test]
async fn ten_thousand_values_are_cheap() {
    let dir = tempfile::tempdir().expect("tempdir");
    let p = provider(dir.path()).await;
    let base = config(&p, T, &[]);
    let configs: Vec<Value> = (0..10_000)
        .map(|i| {
            let mut cfg = base.clone();
            if let Value::Map(m) = &mut cfg {
                m.insert("input".into(), Value::int(i64::from(i)));
            }
            cfg
        })
        .collect();
    let start = Instant::now();
    for (i, cfg) in configs.iter().enumerate() {
        let planned = plan(&p, T, None, cfg).await;
        let state = try_apply(&p, T, None, Some(planned.planned), cfg)
            .await
            .expect("apply")
            .expect("state");
        assert_eq!(state.get("output"), &Value::int(i as i64));
    }
    let took = start.elapsed();
    eprintln!("10,000 local_value plan+apply: {took:?}");
    assert!(took.as_secs_f64() < 2.0, "10,000 plan+apply took {took:?}");
}
