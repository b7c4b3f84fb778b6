//! `plinth-mlflow`: the MLflow provider — experiments, registered models, model aliases and
//! model version tags managed over MLflow's REST API, and the `mlflow_model_version` data
//! source, which reads a version (by number or alias) with its run's metrics and params so that
//! a `lifecycle { precondition }` can gate a promotion on them.
//!
//! Versions are made by training runs, never by Plinth: it manages names, aliases, tags and
//! experiments, and reads versions. This file holds the provider block, the [`MlflowResource`]
//! trait each type implements (one module per type) and the dispatch by type name; `client`
//! owns the connection, the credentials and the one error classification; `util` what the
//! types share (tags, JSON fields, filters).
//!
//! What this crate deliberately does not know: state files, redaction and the graph. The token
//! and password are declared `sensitive` in the provider block and stay inside `client`.

pub mod client;
pub mod experiment;
pub mod model_alias;
pub mod model_version;
pub mod model_version_tag;
pub mod registered_model;
pub mod util;

use std::sync::Arc;

use async_trait::async_trait;
use plinth_sdk::{
    ApplyRequest, ApplyResponse, Attribute, ConfigureRequest, ErrorKind, ImportRequest, PlanRequest, PlanResponse,
    Provider, ProviderDiagnostic, ProviderError, ProviderSchema, ReadDataRequest, ReadRequest, ReadResponse,
    ResourceMode, Schema, Severity, Type, ValidateRequest, Value,
};
use tokio::sync::OnceCell;

use crate::client::{Client, Settings, classify};

/// The provider's name and the prefix of its type names.
pub const PROVIDER_NAME: &str = "mlflow";

/// One managed type: its schema, checks, plan, and the calls that make and read it.
#[async_trait]
pub trait MlflowResource: Send + Sync {
    fn schema(&self) -> Schema;
    /// Checks a configuration without I/O; unknown values pass.
    fn validate(&self, _config: &Value) -> Vec<ProviderDiagnostic> {
        Vec::new()
    }
    fn plan(&self, prior: Option<&Value>, config: &Value) -> PlanResponse;
    /// Makes the object; `req` says at which address and in which state (for the bookkeeping
    /// tags by which a create repeated after a crash finds what it made).
    async fn create(&self, c: &Client, planned: &Value, req: &ApplyRequest) -> Result<Value, ProviderError>;
    async fn update(&self, c: &Client, prior: &Value, planned: &Value) -> Result<Value, ProviderError>;
    async fn delete(&self, c: &Client, prior: &Value) -> Result<(), ProviderError>;
    /// Refreshes many instances at once: one entry per state, `None` when the object is gone.
    async fn read(&self, c: &Client, states: &[Value]) -> Result<Vec<Option<Value>>, ProviderError>;
    async fn import(&self, c: &Client, id: &str) -> Result<Value, ProviderError>;
}

/// Every managed type, by name.
fn resources() -> [(&'static str, &'static dyn MlflowResource); 4] {
    [
        (experiment::TYPE_NAME, &experiment::Experiment),
        (registered_model::TYPE_NAME, &registered_model::RegisteredModel),
        (model_alias::TYPE_NAME, &model_alias::ModelAlias),
        (model_version_tag::TYPE_NAME, &model_version_tag::ModelVersionTag),
    ]
}

fn resource(type_name: &str) -> Result<&'static dyn MlflowResource, ProviderError> {
    resources()
        .into_iter()
        .find(|(n, _)| *n == type_name)
        .map(|(_, r)| r)
        .ok_or_else(|| unsupported("resource", type_name))
}

fn unsupported(kind: &str, type_name: &str) -> ProviderError {
    let known: Vec<String> = resources()
        .iter()
        .map(|(n, _)| n.to_string())
        .chain([format!("data {}", model_version::TYPE_NAME)])
        .collect();
    ProviderError::with_code(
        "UNSUPPORTED_TYPE",
        format!(
            "the mlflow provider has no {kind} type {type_name:?} (it offers {})",
            known.join(", ")
        ),
    )
    .with_kind(ErrorKind::Invalid)
}

fn provider_schema() -> Schema {
    Schema::new(
        "An MLflow tracking server, over its REST API. Unset arguments come from MLflow's own environment variables. \
         The token and password are never stored or printed.",
    )
    .attr(
        "tracking_uri",
        Attribute::optional(Type::String)
            .describe("The server's URL, `http(s)://HOST:PORT[/PREFIX]`; default MLFLOW_TRACKING_URI."),
    )
    .attr(
        "token",
        Attribute::optional(Type::String).sensitive().describe(
            "Bearer token (`secret(\"env:...\")`, `secret(\"keyring:...\")`); default MLFLOW_TRACKING_TOKEN.",
        ),
    )
    .attr(
        "username",
        Attribute::optional(Type::String).describe("Basic-auth user; default MLFLOW_TRACKING_USERNAME."),
    )
    .attr(
        "password",
        Attribute::optional(Type::String)
            .sensitive()
            .describe("Basic-auth password; default MLFLOW_TRACKING_PASSWORD."),
    )
    .attr(
        "insecure",
        Attribute::optional(Type::Bool)
            .describe("Skip verifying the server's TLS certificate; default MLFLOW_TRACKING_INSECURE_TLS."),
    )
    .attr(
        "request_timeout",
        Attribute::optional(Type::Number).describe("Seconds one request may take; default 30."),
    )
}

/// The MLflow provider.
#[derive(Default)]
pub struct MlflowProvider {
    client: OnceCell<Client>,
    /// Why the provider has no client, when it was configured without a provider block and the
    /// environment's settings were missing or wrong: told to the first instance that needs
    /// MLflow (see `configure`).
    unconfigured: std::sync::OnceLock<(ErrorKind, Option<String>, String)>,
}

impl MlflowProvider {
    pub fn new() -> Self {
        MlflowProvider::default()
    }

    fn client(&self) -> Result<&Client, ProviderError> {
        if let Some(c) = self.client.get() {
            return Ok(c);
        }
        Err(self
            .unconfigured_error()
            .unwrap_or_else(|| ProviderError::new("the mlflow provider was used before it was configured")))
    }

    /// `configure` with the environment `env` (a parameter for the tests).
    fn configure_with(&self, config: &Value, env: impl Fn(&str) -> Option<String>) -> Result<(), ProviderError> {
        let client = match Settings::from_config(config, env).and_then(Client::new) {
            Ok(c) => c,
            Err(e) if config.is_null() => {
                let e = classify(e);
                let _ = self.unconfigured.set((e.kind, e.code.clone(), e.message));
                return Ok(());
            }
            Err(e) => return Err(classify(e)),
        };
        // A second configure of one instance keeps the first client.
        let _ = self.client.set(client);
        Ok(())
    }

    /// The settings error a block-less configure kept for later, if any.
    fn unconfigured_error(&self) -> Option<ProviderError> {
        self.unconfigured.get().map(|(kind, code, message)| {
            let e = match code {
                Some(code) => ProviderError::with_code(code.clone(), message.clone()),
                None => ProviderError::new(message.clone()),
            };
            e.with_kind(*kind)
        })
    }
}

#[async_trait]
impl Provider for MlflowProvider {
    fn name(&self) -> &str {
        PROVIDER_NAME
    }

    fn schema(&self) -> ProviderSchema {
        ProviderSchema {
            provider: provider_schema(),
            resources: resources().iter().map(|(n, r)| (n.to_string(), r.schema())).collect(),
            data_sources: [(model_version::TYPE_NAME.to_string(), model_version::schema())]
                .into_iter()
                .collect(),
        }
    }

    /// Checks the settings and builds the client; no request is made until a type needs one, so
    /// `plinth validate` works without a server.
    ///
    /// Without a provider block (`req.config` null: the engine configures every provider some
    /// resource of the configuration names, also one whose resources all have `count = 0`, such
    /// as a module's optional registered model), a missing or wrong setting from the environment
    /// is not an error yet: it is kept and returned by the first plan, read, apply or import that
    /// needs MLflow. With a block, it is an error now.
    async fn configure(&self, req: ConfigureRequest) -> Result<(), ProviderError> {
        self.configure_with(&req.config, |k| std::env::var(k).ok())
    }

    fn validate(&self, req: &ValidateRequest) -> Vec<ProviderDiagnostic> {
        let found = match req.mode {
            ResourceMode::Managed => resource(&req.type_name).map(|r| r.validate(&req.config)),
            ResourceMode::Data if req.type_name == model_version::TYPE_NAME => Ok(model_version::validate(&req.config)),
            ResourceMode::Data => Err(unsupported("data source", &req.type_name)),
        };
        found.unwrap_or_else(|e| {
            vec![ProviderDiagnostic {
                severity: Severity::Error,
                summary: format!("Unsupported type {:?}", req.type_name),
                detail: e.message,
                attribute: None,
            }]
        })
    }

    async fn plan(&self, req: PlanRequest) -> Result<PlanResponse, ProviderError> {
        let r = resource(&req.type_name)?;
        if req.config.is_null() {
            return Ok(PlanResponse {
                planned: Value::Null,
                requires_replace: Vec::new(),
            });
        }
        // An instance to make or keep needs MLflow: a block-less configure's error shows now,
        // at plan time, rather than at apply.
        if self.client.get().is_none()
            && let Some(e) = self.unconfigured_error()
        {
            return Err(e);
        }
        Ok(r.plan(req.prior.as_ref(), &req.config))
    }

    #[tracing::instrument(skip_all, fields(address = %req.address))]
    async fn apply(&self, req: ApplyRequest) -> Result<ApplyResponse, ProviderError> {
        async move {
            let r = resource(&req.type_name)?;
            let c = self.client()?;
            let new_state = match (&req.prior, &req.planned) {
                (None, Some(planned)) => Some(r.create(c, planned, &req).await?),
                (Some(prior), Some(planned)) => Some(r.update(c, prior, planned).await?),
                (Some(prior), None) => {
                    r.delete(c, prior).await?;
                    None
                }
                (None, None) => None,
            };
            Ok(ApplyResponse { new_state })
        }
        .await
        .map_err(classify)
    }

    #[tracing::instrument(skip_all, fields(type_name = %req.type_name, count = req.instances.len()))]
    async fn read(&self, req: ReadRequest) -> Result<ReadResponse, ProviderError> {
        async move {
            let r = resource(&req.type_name)?;
            let states: Vec<Value> = req.instances.into_iter().map(|i| i.state).collect();
            let states = r.read(self.client()?, &states).await?;
            Ok(ReadResponse { states })
        }
        .await
        .map_err(classify)
    }

    #[tracing::instrument(skip_all, fields(address = %req.address))]
    async fn read_data(&self, req: ReadDataRequest) -> Result<Value, ProviderError> {
        async move {
            if req.type_name != model_version::TYPE_NAME {
                return Err(unsupported("data source", &req.type_name));
            }
            model_version::read(self.client()?, &req.config).await
        }
        .await
        .map_err(classify)
    }

    #[tracing::instrument(skip_all, fields(address = %req.address))]
    async fn import(&self, req: ImportRequest) -> Result<Value, ProviderError> {
        async move { resource(&req.type_name)?.import(self.client()?, &req.id).await }
            .await
            .map_err(classify)
    }
}

/// A shared handle, for the engine's registry.
pub fn new_provider() -> Arc<dyn Provider> {
    Arc::new(MlflowProvider::new())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn plan_request(config: Value) -> PlanRequest {
        PlanRequest {
            type_name: registered_model::TYPE_NAME.to_string(),
            address: "mlflow_registered_model.m".to_string(),
            prior: None,
            config,
        }
    }

    #[tokio::test]
    async fn without_a_block_a_missing_tracking_uri_is_an_error_only_for_an_instance_that_needs_mlflow() {
        let p = MlflowProvider::new();
        // No block, no MLFLOW_TRACKING_URI: a module's `count = 0` resource configures it.
        p.configure_with(&Value::Null, |_| None).expect("deferred");
        // Deleting nothing needs no server.
        let none = p.plan(plan_request(Value::Null)).await.expect("no instance");
        assert!(none.planned.is_null());
        let e = p
            .plan(plan_request(Value::object([("name", Value::string("m"))])))
            .await
            .expect_err("an instance needs a tracking URI");
        assert_eq!(e.kind, ErrorKind::Invalid);
        assert!(
            e.message.contains("mlflow provider has no tracking URI"),
            "{}",
            e.message
        );
        assert!(
            p.client()
                .err()
                .expect("no client")
                .message
                .contains("MLFLOW_TRACKING_URI")
        );
        // A wrong URI from the environment waits the same way.
        let p = MlflowProvider::new();
        p.configure_with(&Value::Null, |_| Some("file:./mlruns".to_string()))
            .expect("deferred");
        assert!(
            p.client()
                .err()
                .expect("no client")
                .message
                .contains("not an MLflow tracking server")
        );
        // With a block, a missing or wrong setting is an error at once.
        let p = MlflowProvider::new();
        let block = Value::object([("tracking_uri", Value::string("sqlite:///mlflow.db"))]);
        let e = p
            .configure_with(&block, |_| None)
            .expect_err("a block's error is immediate");
        assert!(e.message.contains("not an MLflow tracking server"), "{}", e.message);
        let e = p
            .configure_with(&Value::object([("tracking_uri", Value::Null)]), |_| None)
            .expect_err("an empty block's missing URI is immediate");
        assert!(e.message.contains("no tracking URI"), "{}", e.message);
        // And with a good environment nothing waits.
        let p = MlflowProvider::new();
        p.configure_with(&Value::Null, |k| {
            (k == "MLFLOW_TRACKING_URI").then(|| "http://127.0.0.1:5000".into())
        })
        .expect("configured");
        assert!(p.client().is_ok());
    }
}
