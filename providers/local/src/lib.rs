//! `plinth-local`: the embedded default provider, which manages real artifacts on this machine.
//!
//! Resource types (one file each): [`value`] (`local_value`, Terraform's `terraform_data`),
//! [`file`] (`local_file`, plus the `local_file` data source), [`feature_table`]
//! (`local_feature_table`, a SQLite table) and [`model_registry`] (`local_model_registry`, a
//! directory with an `index.json`). Data sources: `local_file` and [`distribution_drift`]
//! (`local_distribution_drift`, PSI and KS/chi-square per feature between two samples read by
//! `samples`, computed by [`drift_stats`] and `kolmogorov`). This file only dispatches by type name and holds the provider
//! configuration (the working directory relative paths resolve against); the shared plumbing —
//! error codes, atomic writes, path resolution — lives in `support`.
//!
//! What this crate deliberately does not know: state files, secrets redaction, the graph. Paths are
//! kept in state exactly as the configuration wrote them and resolved only when touching the disk,
//! so moving a configuration together with its artifacts does not show as drift.

pub mod distribution_drift;
pub mod drift_stats;
pub mod feature_table;
pub mod file;
mod kolmogorov;
pub mod model_registry;
mod samples;
mod support;
pub mod value;

use std::path::{Path, PathBuf};
use std::sync::{Arc, RwLock};

use async_trait::async_trait;
use plinth_sdk::{
    ApplyRequest, ApplyResponse, ConfigureRequest, ImportRequest, PlanRequest, PlanResponse, Provider,
    ProviderDiagnostic, ProviderError, ProviderSchema, ReadDataRequest, ReadRequest, ReadResponse, ResourceMode,
    Schema, ValidateRequest, Value,
};

use support::{apply_blocking, classify, read_each_path};

/// The provider's name and the prefix of its type names.
pub const PROVIDER_NAME: &str = "local";

/// The local provider. Cheap to create; `configure` sets the working directory.
pub struct LocalProvider {
    /// The directory relative paths resolve against; the process's current directory until
    /// `configure` says otherwise.
    working_dir: RwLock<Arc<Path>>,
}

impl Default for LocalProvider {
    fn default() -> Self {
        Self::new()
    }
}

impl LocalProvider {
    pub fn new() -> Self {
        LocalProvider {
            working_dir: RwLock::new(Arc::from(PathBuf::from(".").as_path())),
        }
    }

    /// The working directory set by `configure`.
    pub fn working_dir(&self) -> Arc<Path> {
        match self.working_dir.read() {
            Ok(guard) => guard.clone(),
            // A panic elsewhere while holding the lock cannot leave a half-written `Arc`.
            Err(poisoned) => poisoned.into_inner().clone(),
        }
    }
}

fn unsupported(kind: &str, type_name: &str) -> ProviderError {
    ProviderError::with_code(
        "UNSUPPORTED_TYPE",
        format!("the local provider has no {kind} type {type_name:?}"),
    )
}

fn provider_schema() -> Schema {
    Schema::new(
        "The local provider manages artifacts on the machine Plinth runs on: files, SQLite feature \
         tables, directory model registries and plain values. It has no settings; relative paths in \
         resource attributes resolve against the directory Plinth runs in (`-C DIR`).",
    )
}

#[async_trait]
impl Provider for LocalProvider {
    fn name(&self) -> &str {
        PROVIDER_NAME
    }

    fn schema(&self) -> ProviderSchema {
        let mut schema = ProviderSchema {
            provider: provider_schema(),
            ..Default::default()
        };
        schema
            .resources
            .insert(value::TYPE_NAME.to_string(), value::schema().clone());
        schema
            .resources
            .insert(file::TYPE_NAME.to_string(), file::schema().clone());
        schema
            .resources
            .insert(feature_table::TYPE_NAME.to_string(), feature_table::schema().clone());
        schema
            .resources
            .insert(model_registry::TYPE_NAME.to_string(), model_registry::schema().clone());
        schema
            .data_sources
            .insert(file::TYPE_NAME.to_string(), file::data_schema().clone());
        schema.data_sources.insert(
            distribution_drift::TYPE_NAME.to_string(),
            distribution_drift::data_schema().clone(),
        );
        schema
    }

    #[tracing::instrument(skip_all, fields(working_dir = %req.working_dir.display()))]
    async fn configure(&self, req: ConfigureRequest) -> Result<(), ProviderError> {
        let dir: Arc<Path> = Arc::from(req.working_dir.as_path());
        match self.working_dir.write() {
            Ok(mut guard) => *guard = dir,
            Err(poisoned) => *poisoned.into_inner() = dir,
        }
        Ok(())
    }

    fn validate(&self, req: &ValidateRequest) -> Vec<ProviderDiagnostic> {
        if req.mode == ResourceMode::Data {
            return match req.type_name.as_str() {
                // local_file has nothing to check before it reads.
                file::TYPE_NAME => Vec::new(),
                distribution_drift::TYPE_NAME => distribution_drift::validate(&req.config),
                other => vec![ProviderDiagnostic {
                    severity: plinth_sdk::Severity::Error,
                    summary: format!("Unsupported data source {other:?}"),
                    detail: "The local provider offers the data sources local_file and local_distribution_drift."
                        .to_string(),
                    attribute: None,
                }],
            };
        }
        match req.type_name.as_str() {
            value::TYPE_NAME => Vec::new(),
            file::TYPE_NAME => file::validate(&req.config),
            feature_table::TYPE_NAME => feature_table::validate(&req.config),
            model_registry::TYPE_NAME => model_registry::validate(&req.config),
            other => vec![ProviderDiagnostic {
                severity: plinth_sdk::Severity::Error,
                summary: format!("Unsupported type {other:?}"),
                detail: "The local provider offers local_value, local_file, local_feature_table and \
                         local_model_registry."
                    .to_string(),
                attribute: None,
            }],
        }
    }

    #[tracing::instrument(skip_all, fields(address = %req.address))]
    async fn plan(&self, req: PlanRequest) -> Result<PlanResponse, ProviderError> {
        // A destroy plan: nothing to compute.
        if req.config.is_null() {
            return Ok(PlanResponse {
                planned: Value::Null,
                requires_replace: Vec::new(),
            });
        }
        match req.type_name.as_str() {
            value::TYPE_NAME => Ok(value::plan(req.prior.as_ref(), &req.config)),
            file::TYPE_NAME => Ok(file::plan(req.prior.as_ref(), &req.config)),
            feature_table::TYPE_NAME => Ok(feature_table::plan(req.prior.as_ref(), &req.config)),
            model_registry::TYPE_NAME => Ok(model_registry::plan(req.prior.as_ref(), &req.config)),
            other => Err(classify(unsupported("resource", other))),
        }
    }

    #[tracing::instrument(skip_all, fields(address = %req.address))]
    async fn apply(&self, req: ApplyRequest) -> Result<ApplyResponse, ProviderError> {
        let new_state = match req.type_name.as_str() {
            value::TYPE_NAME => value::apply(req.prior.as_ref(), req.planned),
            file::TYPE_NAME => apply_blocking(self.working_dir(), req.prior, req.planned, file::apply).await,
            feature_table::TYPE_NAME => {
                apply_blocking(self.working_dir(), req.prior, req.planned, feature_table::apply).await
            }
            model_registry::TYPE_NAME => {
                apply_blocking(self.working_dir(), req.prior, req.planned, model_registry::apply).await
            }
            other => Err(unsupported("resource", other)),
        };
        Ok(ApplyResponse {
            new_state: new_state.map_err(classify)?,
        })
    }

    #[tracing::instrument(skip_all, fields(type_name = %req.type_name, instances = req.instances.len()))]
    async fn read(&self, req: ReadRequest) -> Result<ReadResponse, ProviderError> {
        let states = match req.type_name.as_str() {
            value::TYPE_NAME => Ok(req.instances.into_iter().map(|i| Some(i.state)).collect()),
            file::TYPE_NAME => read_each_path(self.working_dir(), req.instances, file::read_one).await,
            feature_table::TYPE_NAME => feature_table::read(self.working_dir(), req.instances).await,
            model_registry::TYPE_NAME => {
                read_each_path(self.working_dir(), req.instances, model_registry::read_one).await
            }
            other => Err(unsupported("resource", other)),
        };
        Ok(ReadResponse {
            states: states.map_err(classify)?,
        })
    }

    #[tracing::instrument(skip_all, fields(address = %req.address))]
    async fn read_data(&self, req: ReadDataRequest) -> Result<Value, ProviderError> {
        match req.type_name.as_str() {
            file::TYPE_NAME => file::read_data(self.working_dir(), &req.config).await,
            distribution_drift::TYPE_NAME => distribution_drift::read_data(self.working_dir(), &req.config).await,
            other => Err(unsupported("data source", other)),
        }
        .map_err(classify)
    }

    #[tracing::instrument(skip_all, fields(address = %req.address, id = %req.id))]
    async fn import(&self, req: ImportRequest) -> Result<Value, ProviderError> {
        match req.type_name.as_str() {
            value::TYPE_NAME => Ok(value::import(&req.id)),
            file::TYPE_NAME => file::import(self.working_dir(), &req.id).await,
            feature_table::TYPE_NAME => feature_table::import(self.working_dir(), &req.id).await,
            model_registry::TYPE_NAME => model_registry::import(self.working_dir(), &req.id).await,
            other => Err(unsupported("resource", other)),
        }
        .map_err(classify)
    }
}
