//! `plinth-utility`: the utility providers every Terraform configuration leans on, built in like
//! `local`: [`random`] (`random_id`, `random_string`, `random_password`, `random_uuid`,
//! `random_integer`, `random_shuffle`, `random_pet`), [`null`] (`null_resource`), [`time`]
//! (`time_static`, `time_sleep`, `time_rotating`), [`tls`] (`tls_private_key`) and [`archive`]
//! (the `archive_file` data source).
//!
//! Each module is one provider (a type's provider is the part of its name before the first `_`):
//! it implements the small [`Family`] trait, and [`Utility`] turns a family into a
//! [`Provider`](plinth_sdk::Provider), so the dispatch by type name, the unknown-type errors and the
//! tracing spans are written once. Names, defaults and replacement rules follow HashiCorp's
//! providers of the same names; where Plinth differs, the module header and
//! `docs/providers/utility.md` say so.
//!
//! What this crate deliberately does not know: state files and secret redaction. Secret results
//! (`random_password.result`, the TLS private keys) are declared `sensitive` in the schemas and the
//! engine keeps only their keyed hash. So that later plans still hand dependents the real value,
//! those secrets are derived from `.plinth/utility.key` and a non-secret nonce kept in state, and
//! derived again at refresh and plan (see `support`, "Why derived secrets").

pub mod archive;
pub mod null;
pub mod random;
mod support;
pub mod time;
pub mod tls;

use std::path::{Path, PathBuf};
use std::sync::{Arc, RwLock};

use async_trait::async_trait;
use plinth_sdk::{
    ApplyRequest, ApplyResponse, ConfigureRequest, ImportRequest, PlanRequest, PlanResponse, Provider,
    ProviderDiagnostic, ProviderError, ProviderSchema, ReadDataRequest, ReadRequest, ReadResponse, ResourceMode,
    Schema, Severity, ValidateRequest, Value,
};

/// One utility provider: its types and what each does. Every method gets the full type name.
#[async_trait]
pub trait Family: Send + Sync + 'static {
    /// The provider's name, the prefix of its type names.
    fn name(&self) -> &'static str;
    /// The `provider` block's description (none of these providers takes settings).
    fn about(&self) -> &'static str;
    fn resources(&self) -> Vec<(&'static str, &'static Schema)>;
    fn data_sources(&self) -> Vec<(&'static str, &'static Schema)> {
        Vec::new()
    }
    /// Checks a configuration without I/O; unknown values pass.
    fn validate(&self, _type_name: &str, _config: &Value) -> Vec<ProviderDiagnostic> {
        Vec::new()
    }
    /// Plans; `working_dir` locates `.plinth/utility.key` for types with derived secrets.
    fn plan(
        &self,
        working_dir: &Path,
        type_name: &str,
        prior: Option<&Value>,
        config: &Value,
    ) -> Result<PlanResponse, ProviderError>;
    /// Creates, updates (`prior` and `planned`) or deletes (`planned` is `None`).
    async fn apply(
        &self,
        working_dir: &Path,
        type_name: &str,
        prior: Option<Value>,
        planned: Option<Value>,
    ) -> Result<Option<Value>, ProviderError>;
    /// Refreshes one instance; the default keeps it as it is (nothing outside Plinth to ask).
    fn read(&self, _working_dir: &Path, _type_name: &str, state: Value) -> Result<Option<Value>, ProviderError> {
        Ok(Some(state))
    }
    async fn read_data(&self, _working_dir: &Path, type_name: &str, _config: &Value) -> Result<Value, ProviderError> {
        Err(unsupported(self.name(), "data source", type_name))
    }
    fn import(&self, type_name: &str, _id: &str) -> Result<Value, ProviderError> {
        Err(ProviderError::with_code(
            "IMPORT_UNSUPPORTED",
            format!("{type_name} cannot be imported (nor can it in Terraform): declare it and let apply create it"),
        ))
    }
}

fn unsupported(provider: &str, kind: &str, type_name: &str) -> ProviderError {
    ProviderError::with_code(
        "UNSUPPORTED_TYPE",
        format!("the {provider} provider has no {kind} type {type_name:?}"),
    )
    .with_kind(plinth_sdk::ErrorKind::Invalid)
}

/// A [`Family`] as a [`Provider`]. Cheap to create; `configure` sets the working directory
/// (relative paths of `archive_file` resolve against it).
pub struct Utility<F: Family> {
    family: F,
    working_dir: RwLock<Arc<Path>>,
}

impl<F: Family> Utility<F> {
    pub fn new(family: F) -> Self {
        Utility {
            family,
            working_dir: RwLock::new(Arc::from(PathBuf::from(".").as_path())),
        }
    }

    fn working_dir(&self) -> Arc<Path> {
        match self.working_dir.read() {
            Ok(guard) => guard.clone(),
            Err(poisoned) => poisoned.into_inner().clone(),
        }
    }

    fn has_resource(&self, type_name: &str) -> bool {
        self.family.resources().iter().any(|(n, _)| *n == type_name)
    }

    fn known_types(&self) -> String {
        let mut names: Vec<String> = self.family.resources().iter().map(|(n, _)| n.to_string()).collect();
        names.extend(self.family.data_sources().iter().map(|(n, _)| format!("data {n}")));
        names.join(", ")
    }
}

/// The `random` provider.
pub fn random_provider() -> Arc<dyn Provider> {
    Arc::new(Utility::new(random::Random))
}

/// The `null` provider.
pub fn null_provider() -> Arc<dyn Provider> {
    Arc::new(Utility::new(null::Null))
}

/// The `time` provider.
pub fn time_provider() -> Arc<dyn Provider> {
    Arc::new(Utility::new(time::Time))
}

/// The `tls` provider.
pub fn tls_provider() -> Arc<dyn Provider> {
    Arc::new(Utility::new(tls::Tls))
}

/// The `archive` provider.
pub fn archive_provider() -> Arc<dyn Provider> {
    Arc::new(Utility::new(archive::Archive))
}

#[async_trait]
impl<F: Family> Provider for Utility<F> {
    fn name(&self) -> &str {
        self.family.name()
    }

    fn schema(&self) -> ProviderSchema {
        let mut schema = ProviderSchema {
            provider: Schema::new(self.family.about()),
            ..Default::default()
        };
        for (name, s) in self.family.resources() {
            schema.resources.insert(name.to_string(), s.clone());
        }
        for (name, s) in self.family.data_sources() {
            schema.data_sources.insert(name.to_string(), s.clone());
        }
        schema
    }

    async fn configure(&self, req: ConfigureRequest) -> Result<(), ProviderError> {
        let dir: Arc<Path> = Arc::from(req.working_dir.as_path());
        match self.working_dir.write() {
            Ok(mut guard) => *guard = dir,
            Err(poisoned) => *poisoned.into_inner() = dir,
        }
        Ok(())
    }

    fn validate(&self, req: &ValidateRequest) -> Vec<ProviderDiagnostic> {
        // No family has a resource and a data source of the same name, so the family's checks
        // take the type name alone; the mode only decides which names are known.
        let known = match req.mode {
            ResourceMode::Managed => self.has_resource(&req.type_name),
            ResourceMode::Data => self.family.data_sources().iter().any(|(n, _)| *n == req.type_name),
        };
        if !known {
            return vec![ProviderDiagnostic {
                severity: Severity::Error,
                summary: format!("Unsupported type {:?}", req.type_name),
                detail: format!("The {} provider offers {}.", self.family.name(), self.known_types()),
                attribute: None,
            }];
        }
        self.family.validate(&req.type_name, &req.config)
    }

    #[tracing::instrument(skip_all, fields(address = %req.address))]
    async fn plan(&self, req: PlanRequest) -> Result<PlanResponse, ProviderError> {
        if !self.has_resource(&req.type_name) {
            return Err(unsupported(self.family.name(), "resource", &req.type_name));
        }
        if req.config.is_null() {
            return Ok(PlanResponse {
                planned: Value::Null,
                requires_replace: Vec::new(),
            });
        }
        self.family
            .plan(&self.working_dir(), &req.type_name, req.prior.as_ref(), &req.config)
    }

    #[tracing::instrument(skip_all, fields(address = %req.address))]
    async fn apply(&self, req: ApplyRequest) -> Result<ApplyResponse, ProviderError> {
        if !self.has_resource(&req.type_name) {
            return Err(unsupported(self.family.name(), "resource", &req.type_name));
        }
        let new_state = self
            .family
            .apply(&self.working_dir(), &req.type_name, req.prior, req.planned)
            .await?;
        Ok(ApplyResponse { new_state })
    }

    #[tracing::instrument(skip_all, fields(type_name = %req.type_name, instances = req.instances.len()))]
    async fn read(&self, req: ReadRequest) -> Result<ReadResponse, ProviderError> {
        if !self.has_resource(&req.type_name) {
            return Err(unsupported(self.family.name(), "resource", &req.type_name));
        }
        let dir = self.working_dir();
        let read_all = || {
            req.instances
                .into_iter()
                .map(|i| self.family.read(&dir, &req.type_name, i.state))
                .collect::<Result<Vec<_>, _>>()
        };
        // Deriving a secret again can take a while (an RSA key's prime search): on a
        // multi-threaded runtime, tell it this worker blocks, so other tasks move elsewhere.
        let states = match tokio::runtime::Handle::try_current().map(|h| h.runtime_flavor()) {
            Ok(tokio::runtime::RuntimeFlavor::MultiThread) => tokio::task::block_in_place(read_all)?,
            _ => read_all()?,
        };
        Ok(ReadResponse { states })
    }

    #[tracing::instrument(skip_all, fields(address = %req.address))]
    async fn read_data(&self, req: ReadDataRequest) -> Result<Value, ProviderError> {
        self.family
            .read_data(&self.working_dir(), &req.type_name, &req.config)
            .await
    }

    #[tracing::instrument(skip_all, fields(address = %req.address))]
    async fn import(&self, req: ImportRequest) -> Result<Value, ProviderError> {
        if !self.has_resource(&req.type_name) {
            return Err(unsupported(self.family.name(), "resource", &req.type_name));
        }
        self.family.import(&req.type_name, &req.id)
    }
}
