//! The expression language: evaluation of hcl-edit expressions to [`Value`]s with unknown and
//! sensitive marks, the built-in functions, type constraints, and reference extraction.
//!
//! The evaluator is Plinth's own (hcl-rs's cannot represent unknown or sensitive values, see
//! NOTES-crates.md). It reads names through a [`Scope`], so it knows nothing of modules, state or
//! the graph; whoever evaluates decides what `var.x` or `local_file.a` means.

pub mod body;
pub mod dynamic;
pub mod eval;
pub mod functions;
pub mod refs;
pub mod typeexpr;

use std::path::Path;

use plinth_sdk::Value;

use crate::diag::FileId;

/// One step of a reference after its root name: `.name` or `[key]`.
#[derive(Clone, Debug, PartialEq)]
pub enum Step {
    Attr(String),
    Index(Value),
}

/// Why a scope could not resolve a reference.
#[derive(Clone, Debug, PartialEq)]
pub struct ScopeError {
    pub summary: String,
    pub detail: String,
    /// Index into the steps of the step that failed (its span is shown); `None` for the root.
    pub step: Option<usize>,
}

impl ScopeError {
    pub fn new(summary: impl Into<String>, detail: impl Into<String>, step: Option<usize>) -> Self {
        ScopeError {
            summary: summary.into(),
            detail: detail.into(),
            step,
        }
    }
}

/// What names an expression can see.
pub trait Scope {
    /// Resolves a reference: `root` is the first name (`var`, `local`, `module`, `data`, `count`,
    /// `each`, `path`, `env`, `self`, or a resource type such as `local_file`); `steps` are the
    /// attribute names and evaluated index keys that follow it, as far as they are static. The
    /// scope consumes as many steps as it wants and returns the value with how many it consumed;
    /// the evaluator applies the rest.
    fn lookup(&self, root: &str, steps: &[Step]) -> Result<(Value, usize), ScopeError>;

    /// True while planning: `timestamp()` and `uuid()` are then unknown (known only at apply).
    fn planning(&self) -> bool {
        false
    }
}

/// A scope with nothing in it: variable defaults, variable files and the state encryption key
/// may not refer to anything.
pub struct EmptyScope;

impl Scope for EmptyScope {
    fn lookup(&self, root: &str, _steps: &[Step]) -> Result<(Value, usize), ScopeError> {
        Err(ScopeError::new(
            format!("Variables not allowed here: {root}"),
            "values here must be constants: they are read before anything else is known",
            None,
        ))
    }
}

/// Why a secret source could not be read: a message worded to follow `Call to function
/// "secret" failed: `, ending with a period. It never quotes the secret.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct SecretError(pub String);

/// What `secret("SOURCE")` reads through. The evaluator only marks the answer sensitive; which
/// sources exist, how they are read and cached is the implementation's business (the engine
/// passes `secrets::sources::Sources`), so the language pulls in no secret store or cloud SDK.
pub trait SecretResolver: Sync {
    /// The secret `source` names; relative file paths resolve against `base_dir` (the module's
    /// directory).
    fn resolve(&self, source: &str, base_dir: &Path) -> Result<String, SecretError>;
}

/// A resolver with no sources: for what is evaluated before any secret may be read (literals of
/// the configuration's shape) and for tests (`secret(...)` with the engine's sources is tested in
/// `secrets::sources`).
pub(crate) struct NoSecrets;

impl SecretResolver for NoSecrets {
    fn resolve(&self, source: &str, _base_dir: &Path) -> Result<String, SecretError> {
        Err(SecretError(format!("secret({source:?}) cannot be used here.")))
    }
}

/// Everything an evaluation needs besides the expression.
pub struct EvalContext<'a> {
    /// The file the expression comes from, for diagnostic spans.
    pub file: FileId,
    pub scope: &'a dyn Scope,
    /// What `secret(...)` reads through.
    pub secrets: &'a dyn SecretResolver,
    /// Directory relative paths in `file()`, `templatefile()` and `fileexists()` resolve against
    /// (the module's directory, like `path.module`).
    pub base_dir: &'a Path,
}
