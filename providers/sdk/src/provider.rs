//! The provider trait and its request/response types.
//!
//! Lifecycle of one resource instance, as seen by a provider (the same as Terraform's):
//! 1. `validate` checks a configuration without I/O.
//! 2. `read` refreshes prior state from the platform (batched: many instances of one type per call).
//! 3. `plan` turns prior state + configuration into a planned state (unknowns where only apply
//!    knows) and names the attribute paths whose change requires replacement.
//! 4. `apply` makes the platform match the planned state and returns the new state, or deletes.
//!
//! The engine guarantees: `plan` and `apply` see configuration values already converted to the
//! schema's types; `apply` is called with a planned value the provider itself produced; a delete
//! is `apply` with `planned: None`; a replacement is a delete and a create (in an order the plan
//! chose). Providers return errors that name the platform's own code and message, classified into
//! an [`ErrorKind`]; the engine adds the resource address.

use std::path::PathBuf;

use async_trait::async_trait;

use crate::schema::ProviderSchema;
use crate::value::{AttrPath, Value};

/// What kind of failure a [`ProviderError`] is, in terms the engine can act on, whatever the
/// platform. Each provider maps its platform's codes onto it in one function; the text a user
/// sees is still the platform's own code and message.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum ErrorKind {
    /// The object (or something it names) does not exist.
    NotFound,
    /// The object exists already, is in use, or is in a state that forbids the change now.
    Conflict,
    /// The platform refused the request rate; the same request may succeed later.
    Throttled,
    /// The caller is not allowed, or its credentials are missing, invalid or expired.
    Forbidden,
    /// The request or the configuration is wrong; repeating it cannot succeed.
    Invalid,
    /// A passing failure: the platform or the network could not answer; worth retrying.
    Transient,
    /// Anything else.
    #[default]
    Other,
}

impl ErrorKind {
    /// Whether repeating the same request later may succeed.
    pub fn is_retryable(self) -> bool {
        matches!(self, ErrorKind::Throttled | ErrorKind::Transient)
    }
}

/// The messages of `e` and its sources, joined by `: `, each said once: what to show of a client
/// library's error, rather than its `Debug` form.
pub fn error_chain(e: &(dyn std::error::Error + 'static)) -> String {
    let mut text = String::new();
    let mut next = Some(e);
    while let Some(err) = next {
        let part = err.to_string();
        if !part.is_empty() && !text.contains(&part) {
            if !text.is_empty() {
                text.push_str(": ");
            }
            text.push_str(&part);
        }
        next = err.source();
    }
    text
}

/// An error from a provider.
#[derive(Debug, thiserror::Error)]
#[error("{message}")]
pub struct ProviderError {
    /// What kind of failure it is (see [`ErrorKind`]); [`ErrorKind::Other`] unless classified.
    pub kind: ErrorKind,
    /// The platform's own error code (`InvalidParameterValue`, `ENOENT`), when it has one.
    pub code: Option<String>,
    /// What went wrong, in the platform's words where possible.
    pub message: String,
    /// The attribute the error is about, when known.
    pub attribute: Option<AttrPath>,
    /// From `apply` only: the object was written but the operation did not finish (a rollout
    /// that timed out, a job that failed), and this is its state, as `new_state` would have been.
    /// The engine records it (a create's object as *tainted*, to be replaced by the next apply)
    /// and still reports the error. See [`ProviderError::with_partial_state`].
    pub partial: Option<Box<Value>>,
    /// What the user can do about it, when the provider knows better than the error's kind
    /// alone (the engine's generic hint for a [`ErrorKind::Forbidden`] says less than "grant
    /// this identity a Role"). Shown as the diagnostic's hint.
    pub hint: Option<String>,
}

impl ProviderError {
    pub fn new(message: impl Into<String>) -> Self {
        ProviderError {
            kind: ErrorKind::Other,
            code: None,
            message: message.into(),
            attribute: None,
            partial: None,
            hint: None,
        }
    }
    pub fn with_code(code: impl Into<String>, message: impl Into<String>) -> Self {
        ProviderError {
            kind: ErrorKind::Other,
            code: Some(code.into()),
            message: message.into(),
            attribute: None,
            partial: None,
            hint: None,
        }
    }
    pub fn at(mut self, attribute: AttrPath) -> Self {
        self.attribute = Some(attribute);
        self
    }
    /// Says that `apply` wrote the object before it failed, and that `state` is the object's
    /// state (what `new_state` would have held on success): the engine then keeps the object in
    /// state instead of losing track of it. Terraform's provider protocol does the same by
    /// returning a new state together with an error.
    pub fn with_partial_state(mut self, state: Value) -> Self {
        self.partial = Some(Box::new(state));
        self
    }
    /// With what the user can do about it (see [`ProviderError::hint`]).
    pub fn with_hint(mut self, hint: impl Into<String>) -> Self {
        self.hint = Some(hint.into());
        self
    }
    /// With `kind`.
    pub fn with_kind(mut self, kind: ErrorKind) -> Self {
        self.kind = kind;
        self
    }
    /// With the kind a provider's mapping gives its code, unless a kind was already set: the one
    /// place a provider turns its platform's codes into [`ErrorKind`]s calls this.
    pub fn classify(self, kind_of: impl FnOnce(&str) -> ErrorKind) -> Self {
        match (&self.kind, &self.code) {
            (ErrorKind::Other, Some(code)) => {
                let kind = kind_of(code);
                self.with_kind(kind)
            }
            _ => self,
        }
    }
}

/// Severity of a provider diagnostic.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Severity {
    Error,
    Warning,
}

/// A finding from `validate`.
#[derive(Clone, Debug)]
pub struct ProviderDiagnostic {
    pub severity: Severity,
    pub summary: String,
    pub detail: String,
    pub attribute: Option<AttrPath>,
}

/// What `configure` receives.
#[derive(Clone, Debug)]
pub struct ConfigureRequest {
    /// The evaluated `provider` block (an object; `Null` when there is no block).
    pub config: Value,
    /// The directory relative paths are resolved against (where Plinth runs: `-C DIR`).
    pub working_dir: PathBuf,
}

/// Which kind of block a type name is for: a provider may offer a resource type and a data
/// source of the same name (`aws_ssm_parameter`, `local_file`) with different arguments and checks.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ResourceMode {
    /// A `resource` block: an object the provider manages.
    Managed,
    /// A `data` block: an object the provider only reads.
    Data,
}

#[derive(Clone, Debug)]
pub struct ValidateRequest {
    /// Whether `type_name` is a resource type or a data source.
    pub mode: ResourceMode,
    pub type_name: String,
    pub config: Value,
}

impl ValidateRequest {
    /// The validation of a `resource` block of type `type_name`.
    pub fn managed(type_name: impl Into<String>, config: Value) -> Self {
        ValidateRequest {
            mode: ResourceMode::Managed,
            type_name: type_name.into(),
            config,
        }
    }

    /// The validation of a `data` block of type `type_name`.
    pub fn data(type_name: impl Into<String>, config: Value) -> Self {
        ValidateRequest {
            mode: ResourceMode::Data,
            type_name: type_name.into(),
            config,
        }
    }
}

#[derive(Clone, Debug)]
pub struct PlanRequest {
    pub type_name: String,
    /// The resource address, for messages (`local_file.spec["train"]`).
    pub address: String,
    /// The refreshed prior state; `None` when the instance does not exist yet.
    pub prior: Option<Value>,
    /// The configuration: every schema attribute present, `Null` when not set.
    pub config: Value,
}

#[derive(Clone, Debug)]
pub struct PlanResponse {
    /// The planned new state; `Unknown` where only apply can tell.
    pub planned: Value,
    /// Attribute paths whose change forces a replacement (empty: update in place).
    pub requires_replace: Vec<AttrPath>,
}

#[derive(Clone, Debug, Default)]
pub struct ApplyRequest {
    pub type_name: String,
    pub address: String,
    /// The prior state; `None` for a create.
    pub prior: Option<Value>,
    /// The planned state; `None` for a delete.
    pub planned: Option<Value>,
    /// The configuration (write-only attributes are only here and in `planned`).
    pub config: Value,
    /// The lineage of the state the change is recorded in (fixed when the state was made): with
    /// the address and the planned value, what [`crate::idempotency::idempotency_token`] derives
    /// a create's token from, and what a provider tags the objects it creates with (AWS:
    /// `plinth:lineage`). Empty when the caller has no state (a provider's own tests).
    pub lineage: String,
    /// For a create that replaces an object: that object's state (under create_before_destroy
    /// it still exists while the new one is made). A provider that adopts an object left by a
    /// crashed create must not take this one for it. `None` otherwise.
    pub replacing: Option<Value>,
}

#[derive(Clone, Debug)]
pub struct ApplyResponse {
    /// The new state; `None` after a delete.
    pub new_state: Option<Value>,
}

/// One instance to refresh.
#[derive(Clone, Debug)]
pub struct ReadInstance {
    pub address: String,
    pub state: Value,
}

#[derive(Clone, Debug)]
pub struct ReadRequest {
    pub type_name: String,
    pub instances: Vec<ReadInstance>,
}

#[derive(Clone, Debug)]
pub struct ReadResponse {
    /// One entry per requested instance, in order: the live state, or `None` when it is gone.
    pub states: Vec<Option<Value>>,
}

#[derive(Clone, Debug)]
pub struct ReadDataRequest {
    pub type_name: String,
    pub address: String,
    pub config: Value,
}

#[derive(Clone, Debug)]
pub struct ImportRequest {
    pub type_name: String,
    pub address: String,
    /// The platform's identifier of the object (a path, an instance id, ...).
    pub id: String,
}

/// Makes a fresh, unconfigured provider instance: how a build lists its providers
/// (`plinth_builtin::all`) and how the engine makes one per provider configuration.
pub type Factory = fn() -> std::sync::Arc<dyn Provider>;

/// A provider: one narrow async interface, shared by the engine across tasks.
#[async_trait]
pub trait Provider: Send + Sync {
    /// The provider's name (`local`, `aws`): the prefix of its type names.
    fn name(&self) -> &str;

    fn schema(&self) -> ProviderSchema;

    /// Called once, before any other call but `schema` and `validate`.
    async fn configure(&self, req: ConfigureRequest) -> Result<(), ProviderError>;

    /// Checks a resource or data-source configuration (which one: [`ValidateRequest::mode`])
    /// without I/O. Unknown values may appear.
    fn validate(&self, _req: &ValidateRequest) -> Vec<ProviderDiagnostic> {
        Vec::new()
    }

    async fn plan(&self, req: PlanRequest) -> Result<PlanResponse, ProviderError>;

    /// Makes the platform match `req.planned` (or deletes when it is `None`) and returns the new
    /// state. An error means the change did not happen, unless it carries a partial state
    /// ([`ProviderError::with_partial_state`]): then the object was written and the error says
    /// what did not finish after that (waiting for it to become ready, say). The engine records
    /// that state — after a create, marked *tainted*, so that the next plan replaces the object,
    /// as Terraform does; after an update, as the object's current state — and reports the error.
    async fn apply(&self, req: ApplyRequest) -> Result<ApplyResponse, ProviderError>;

    /// Refreshes many instances of one type, in as few platform calls as it can.
    async fn read(&self, req: ReadRequest) -> Result<ReadResponse, ProviderError>;

    async fn read_data(&self, req: ReadDataRequest) -> Result<Value, ProviderError>;

    /// Reads an existing object by its platform id, to adopt it into state.
    async fn import(&self, req: ImportRequest) -> Result<Value, ProviderError>;
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn classify_sets_the_kind_of_a_coded_error_once() {
        let kind_of = |code: &str| match code {
            "ENOENT" => ErrorKind::NotFound,
            _ => ErrorKind::Invalid,
        };
        let e = ProviderError::with_code("ENOENT", "no such file").classify(kind_of);
        assert_eq!(e.kind, ErrorKind::NotFound);
        // A kind already set wins: the mapping closest to the platform decided.
        let e = e.classify(|_| ErrorKind::Conflict);
        assert_eq!(e.kind, ErrorKind::NotFound);
        // Without a code there is nothing to map.
        let e = ProviderError::new("something").classify(kind_of);
        assert_eq!(e.kind, ErrorKind::Other);
        assert_eq!(e.to_string(), "something");
        assert!(ErrorKind::Throttled.is_retryable() && !ErrorKind::Invalid.is_retryable());
    }

    #[test]
    fn a_partial_state_stays_with_the_error_through_classification() {
        let state = Value::object([("id", Value::string("ns/web"))]);
        let e = ProviderError::with_code("WaitTimeout", "the rollout did not finish")
            .with_partial_state(state.clone())
            .classify(|_| ErrorKind::Transient);
        assert_eq!(e.kind, ErrorKind::Transient);
        assert_eq!(e.partial.as_deref(), Some(&state));
        assert!(ProviderError::new("nothing written").partial.is_none());
    }

    #[test]
    fn an_error_chain_says_each_message_once() {
        #[derive(Debug, thiserror::Error)]
        #[error("dispatch failure")]
        struct Outer(#[source] std::io::Error);
        let e = Outer(std::io::Error::new(
            std::io::ErrorKind::ConnectionRefused,
            "connection refused",
        ));
        assert_eq!(error_chain(&e), "dispatch failure: connection refused");
    }
}
