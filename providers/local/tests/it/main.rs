//! Tests of the local provider against real artifacts in temporary directories. Artifacts are
//! checked with `std::fs` and `rusqlite` directly, never through the provider's own read.

mod distribution_drift;
mod feature_table;
mod file;
mod model_registry;
mod value;

use std::path::Path;

use plinth_local::LocalProvider;
use plinth_sdk::Map;
use plinth_sdk::{
    ApplyRequest, ConfigureRequest, ImportRequest, PlanRequest, PlanResponse, Provider, ProviderDiagnostic,
    ProviderError, ReadInstance, ReadRequest, ValidateRequest, Value,
};

/// A provider whose working directory is `dir`.
pub async fn provider(dir: &Path) -> LocalProvider {
    let p = LocalProvider::new();
    p.configure(ConfigureRequest {
        config: Value::Null,
        working_dir: dir.to_path_buf(),
    })
    .await
    .expect("configure");
    p
}

/// A configuration as the engine sends it: every schema attribute present, `Null` when not set.
pub fn config(p: &LocalProvider, type_name: &str, set: &[(&str, Value)]) -> Value {
    let schema = p.schema();
    let mut map: Map = schema.resources[type_name]
        .attributes
        .keys()
        .map(|k| (k.clone(), Value::Null))
        .collect();
    for (k, v) in set {
        assert!(map.contains_key(*k), "{type_name} has no attribute {k}");
        map.insert(k.to_string(), v.clone());
    }
    Value::Map(map)
}

pub async fn plan(p: &LocalProvider, type_name: &str, prior: Option<&Value>, config: &Value) -> PlanResponse {
    p.plan(PlanRequest {
        type_name: type_name.to_string(),
        address: format!("{type_name}.test"),
        prior: prior.cloned(),
        config: config.clone(),
    })
    .await
    .expect("plan")
}

pub async fn try_apply(
    p: &LocalProvider,
    type_name: &str,
    prior: Option<&Value>,
    planned: Option<Value>,
    config: &Value,
) -> Result<Option<Value>, ProviderError> {
    p.apply(ApplyRequest {
        type_name: type_name.to_string(),
        address: format!("{type_name}.test"),
        prior: prior.cloned(),
        planned,
        config: config.clone(),
        ..Default::default()
    })
    .await
    .map(|r| r.new_state)
}

/// Plans and applies `config` over `prior` (a create when `None`); returns the new state.
pub async fn converge(p: &LocalProvider, type_name: &str, prior: Option<&Value>, config: &Value) -> Value {
    let planned = plan(p, type_name, prior, config).await;
    let prior = if planned.requires_replace.is_empty() {
        prior
    } else {
        try_apply(p, type_name, prior, None, &Value::Null)
            .await
            .expect("delete for replace");
        None
    };
    try_apply(p, type_name, prior, Some(planned.planned), config)
        .await
        .expect("apply")
        .expect("a new state")
}

pub async fn destroy(p: &LocalProvider, type_name: &str, prior: &Value) -> Result<(), ProviderError> {
    let out = try_apply(p, type_name, Some(prior), None, &Value::Null).await?;
    assert!(out.is_none(), "a delete returns no state");
    Ok(())
}

pub async fn read(p: &LocalProvider, type_name: &str, states: &[&Value]) -> Vec<Option<Value>> {
    p.read(ReadRequest {
        type_name: type_name.to_string(),
        instances: states
            .iter()
            .enumerate()
            .map(|(i, s)| ReadInstance {
                address: format!("{type_name}.test[{i}]"),
                state: (*s).clone(),
            })
            .collect(),
    })
    .await
    .expect("read")
    .states
}

pub async fn read_one(p: &LocalProvider, type_name: &str, state: &Value) -> Option<Value> {
    read(p, type_name, &[state]).await.pop().expect("one state")
}

pub async fn import(p: &LocalProvider, type_name: &str, id: &str) -> Result<Value, ProviderError> {
    p.import(ImportRequest {
        type_name: type_name.to_string(),
        address: format!("{type_name}.imported"),
        id: id.to_string(),
    })
    .await
}

pub fn validate(p: &LocalProvider, type_name: &str, config: &Value) -> Vec<ProviderDiagnostic> {
    p.validate(&ValidateRequest::managed(type_name, config.clone()))
}

/// The attribute paths of the diagnostics, as text (`columns[1].type`).
pub fn diag_paths(diags: &[ProviderDiagnostic]) -> Vec<String> {
    diags
        .iter()
        .map(|d| d.attribute.as_ref().map(|a| a.to_string()).unwrap_or_default())
        .collect()
}

pub fn s(text: &str) -> Value {
    Value::string(text)
}

#[tokio::test]
async fn schema_describes_every_type_and_attribute() {
    let p = LocalProvider::new();
    assert_eq!(p.name(), "local");
    let schema = p.schema();
    let resources: Vec<_> = schema.resources.keys().cloned().collect();
    assert_eq!(
        resources,
        [
            "local_feature_table",
            "local_file",
            "local_model_registry",
            "local_value"
        ]
    );
    assert!(schema.data_sources.contains_key("local_file"));
    for (name, body) in schema.resources.iter().chain(&schema.data_sources) {
        assert!(!body.description.is_empty(), "{name} has no description");
        for (attr, a) in &body.attributes {
            assert!(!a.description.is_empty(), "{name}.{attr} has no description");
        }
    }
}

#[tokio::test]
async fn unknown_types_are_errors_not_panics() {
    let dir = tempfile::tempdir().expect("tempdir");
    let p = provider(dir.path()).await;
    let err = p
        .plan(PlanRequest {
            type_name: "local_nope".into(),
            address: "local_nope.x".into(),
            prior: None,
            config: Value::object([("a", s("b"))]),
        })
        .await
        .expect_err("unknown type");
    assert!(err.message.contains("local_nope"));
    assert_eq!(validate(&p, "local_nope", &Value::Null).len(), 1);
}
