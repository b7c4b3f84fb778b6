//! Helpers of the utility providers' tests: configurations completed the way the engine completes
//! them (every schema attribute present), the create → refresh → re-plan lifecycle, and state
//! redacted the way the engine stores it (sensitive attributes null).

#![allow(dead_code)]

use std::sync::Arc;

use plinth_sdk::plan::same;
use plinth_sdk::{
    ApplyRequest, ConfigureRequest, PlanRequest, PlanResponse, Provider, ReadInstance, ReadRequest, Severity,
    ValidateRequest, Value,
};

/// A configured provider (working directory `dir`).
pub async fn configured(p: Arc<dyn Provider>, dir: &std::path::Path) -> Arc<dyn Provider> {
    p.configure(ConfigureRequest {
        config: Value::Null,
        working_dir: dir.to_path_buf(),
    })
    .await
    .expect("configure");
    p
}

/// `pairs` with every other attribute and block of the type's schema null, as the engine sends it.
pub fn config(p: &dyn Provider, ty: &str, pairs: Vec<(&str, Value)>) -> Value {
    let schema = p.schema();
    let s = schema
        .resources
        .get(ty)
        .or_else(|| schema.data_sources.get(ty))
        .expect("type in schema");
    let mut v = Value::object(pairs);
    if let Value::Map(m) = &mut v {
        for name in s.attributes.keys().chain(s.blocks.keys()) {
            m.entry(name.clone()).or_insert(Value::Null);
        }
    }
    v
}

pub fn strings(items: &[(&str, &str)]) -> Value {
    Value::object(items.iter().map(|(k, v)| (*k, Value::string(*v))))
}

pub async fn plan(p: &dyn Provider, ty: &str, prior: Option<&Value>, config: &Value) -> PlanResponse {
    p.plan(PlanRequest {
        type_name: ty.to_string(),
        address: format!("{ty}.test"),
        prior: prior.cloned(),
        config: config.clone(),
    })
    .await
    .expect("plan")
}

pub async fn apply(
    p: &dyn Provider,
    ty: &str,
    prior: Option<&Value>,
    planned: Option<Value>,
    config: &Value,
) -> Option<Value> {
    p.apply(ApplyRequest {
        type_name: ty.to_string(),
        address: format!("{ty}.test"),
        prior: prior.cloned(),
        planned,
        config: config.clone(),
        ..Default::default()
    })
    .await
    .expect("apply")
    .new_state
}

/// Plans and applies a create; returns the new state.
pub async fn create(p: &dyn Provider, ty: &str, config: &Value) -> Value {
    let planned = plan(p, ty, None, config).await.planned;
    apply(p, ty, None, Some(planned), config).await.expect("a new state")
}

pub async fn refresh(p: &dyn Provider, ty: &str, state: &Value) -> Option<Value> {
    let mut resp = p
        .read(ReadRequest {
            type_name: ty.to_string(),
            instances: vec![ReadInstance {
                address: format!("{ty}.test"),
                state: state.clone(),
            }],
        })
        .await
        .expect("read");
    assert_eq!(resp.states.len(), 1);
    resp.states.remove(0)
}

/// The state as the engine keeps it: every sensitive attribute of the schema redacted (null,
/// marked).
pub fn redacted(p: &dyn Provider, ty: &str, state: &Value) -> Value {
    let schema = p.schema();
    let s = &schema.resources[ty];
    let mut v = state.clone();
    if let Value::Map(m) = &mut v {
        for (name, attr) in &s.attributes {
            if attr.sensitive {
                m.insert(name.clone(), Value::Null.mark());
            }
        }
    }
    v
}

/// Refreshes the redacted state and re-plans `config` against it: asserts a no-op (no
/// replacement, planned equal to the prior).
pub async fn assert_stable(p: &dyn Provider, ty: &str, state: &Value, config: &Value) {
    let prior = refresh(p, ty, &redacted(p, ty, state)).await.expect("still there");
    let resp = plan(p, ty, Some(&prior), config).await;
    assert!(resp.requires_replace.is_empty(), "replace: {:?}", resp.requires_replace);
    assert!(
        same(&resp.planned, &prior),
        "planned {:?}\nprior {:?}",
        resp.planned,
        prior
    );
}

/// The paths a re-plan of `config` against `state` replaces for.
pub async fn replaced_by(p: &dyn Provider, ty: &str, state: &Value, config: &Value) -> Vec<String> {
    let resp = plan(p, ty, Some(&redacted(p, ty, state)), config).await;
    resp.requires_replace.iter().map(|p| p.to_string()).collect()
}

/// The error summaries and attributes of `validate`.
pub fn errors(p: &dyn Provider, ty: &str, config: &Value) -> Vec<String> {
    let req = if p.schema().data_sources.contains_key(ty) {
        ValidateRequest::data(ty, config.clone())
    } else {
        ValidateRequest::managed(ty, config.clone())
    };
    p.validate(&req)
        .into_iter()
        .filter(|d| d.severity == Severity::Error)
        .map(|d| {
            format!(
                "{}: {}",
                d.attribute.map(|a| a.to_string()).unwrap_or_default(),
                d.summary
            )
        })
        .collect()
}

pub fn text(v: &Value, name: &str) -> String {
    v.get(name)
        .strip_sensitive()
        .as_str()
        .unwrap_or_else(|| panic!("{name} is not a string: {:?}", v.get(name)))
        .to_string()
}
