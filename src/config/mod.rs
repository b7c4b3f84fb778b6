//! Configuration: HCL files turned into a tree of modules with source spans.
//!
//! A configuration is every `*.hcl` file in a directory except `*.vars.hcl`. Loading parses each
//! file with hcl-edit (so every node keeps its byte span), sorts its blocks into the [`Module`]
//! model, follows `module { source = ... }` calls (remote ones through [`modsrc`]), and reports every mistake it finds
//! as a [`Diagnostic`]. Loading never evaluates expressions that need the graph and never touches
//! the network (except `plinth init` fetching remote module sources, see [`modsrc`]); meta-arguments that must be static (`lifecycle`) are read as literals here.

pub mod check;
pub mod format;
pub mod import;
pub mod load;
pub mod modsrc;
pub mod providers;
pub mod provisioner;
pub mod refactor;
pub mod registry;
pub mod triggers;
pub mod vars;

use std::ops::Range;
use std::path::PathBuf;

use hcl::edit::expr::Expression;
use hcl::edit::structure::Body;
use indexmap::IndexMap;
use plinth_sdk::{AttrPath, Type};

use crate::diag::{FileId, Sources, Span};

/// A loaded configuration: the root module, its descendants, and the source text of every file.
#[derive(Debug)]
pub struct Config {
    pub sources: Sources,
    pub root: Module,
    /// SHA-256 over every loaded file's path and text: a saved plan records it to detect edits.
    pub hash: String,
}

/// An expression with the file it came from.
#[derive(Clone, Debug)]
pub struct Expr {
    pub file: FileId,
    pub expr: Expression,
}

impl Expr {
    pub fn span(&self) -> Option<Span> {
        use hcl::edit::Span as _;
        self.expr.span().map(|r| Span::new(self.file, r))
    }
}

/// One module: the root configuration or a `module` call's source directory.
#[derive(Debug, Default)]
pub struct Module {
    pub dir: PathBuf,
    /// The call names from the root to here (`[]` for the root, `["net", "subnets"]` below).
    pub path: Vec<String>,
    pub settings: Settings,
    pub providers: Vec<ProviderBlock>,
    pub variables: IndexMap<String, Variable>,
    pub locals: IndexMap<String, Local>,
    pub outputs: IndexMap<String, Output>,
    /// Resources and data sources keyed by their address in the module (`local_file.a`,
    /// `data.local_file.b`).
    pub resources: IndexMap<String, Resource>,
    pub calls: IndexMap<String, ModuleCall>,
    /// The loaded child module of each call, by call name.
    pub children: IndexMap<String, Module>,
    /// `import` blocks (root module only; see [`import`]).
    pub imports: Vec<import::ImportBlock>,
    /// `check` blocks by name (see [`check`]).
    pub checks: IndexMap<String, check::CheckBlock>,
    /// `moved` blocks, addresses relative to this module.
    pub moved: Vec<refactor::Moved>,
    /// `removed` blocks, addresses relative to this module.
    pub removed: Vec<refactor::Removed>,
    /// The provider configuration aliases a child module expects from its callers
    /// (`configuration_aliases`); see [`providers`].
    pub expected_aliases: Vec<providers::ExpectedAlias>,
}

/// The `plinth { ... }` block (root module only).
#[derive(Debug, Default)]
pub struct Settings {
    pub required_version: Option<String>,
    /// `backend "KIND" { ... }`.
    pub backend: Option<BackendBlock>,
    /// `encryption { key = ... }`.
    pub encryption_key: Option<Expr>,
}

/// `plinth { backend "KIND" { ... } }`: the kind as written and the body, unchecked (backends
/// are the state layer's; `workspace::check_backend_block` checks both).
#[derive(Debug)]
pub struct BackendBlock {
    pub kind: String,
    /// The label's bytes in `file`.
    pub kind_span: Option<std::ops::Range<usize>>,
    pub body: Body,
    pub file: FileId,
}

#[derive(Debug)]
pub struct ProviderBlock {
    pub name: String,
    pub alias: Option<String>,
    pub body: Body,
    pub file: FileId,
    pub span: Option<Span>,
}

impl ProviderBlock {
    pub fn addr(&self) -> providers::ProviderAddr {
        providers::ProviderAddr {
            name: self.name.clone(),
            alias: self.alias.clone(),
        }
    }

    /// The configuration key: `local` or `aws.west`.
    pub fn key(&self) -> String {
        self.addr().key()
    }
}

#[derive(Debug)]
pub struct Variable {
    pub name: String,
    pub ty: Option<Type>,
    /// The defaults of `optional(T, default)` attributes in `ty`, applied before conversion.
    pub type_defaults: Option<crate::lang::typeexpr::Defaults>,
    pub default: Option<Expr>,
    pub description: String,
    pub sensitive: bool,
    pub nullable: bool,
    pub validations: Vec<Check>,
    pub span: Option<Span>,
}

/// A `validation`, `precondition` or `postcondition` block.
#[derive(Debug)]
pub struct Check {
    pub condition: Expr,
    pub error_message: Expr,
}

#[derive(Debug)]
pub struct Local {
    pub name: String,
    pub expr: Expr,
}

#[derive(Debug)]
pub struct Output {
    pub name: String,
    pub value: Expr,
    pub description: String,
    pub sensitive: bool,
    /// `depends_on`: what must be applied before the value is evaluated, beyond what it refers to.
    pub depends_on: Vec<Expr>,
    pub preconditions: Vec<Check>,
    pub span: Option<Span>,
}

pub use crate::addrs::Mode;

#[derive(Debug)]
pub struct Resource {
    pub mode: Mode,
    pub type_name: String,
    pub name: String,
    pub file: FileId,
    /// The block header (`resource "local_file" "a"`), where resource-level errors point.
    pub span: Option<Span>,
    pub count: Option<Expr>,
    pub for_each: Option<Expr>,
    pub depends_on: Vec<Expr>,
    /// `provider = NAME` or `provider = NAME.ALIAS`.
    pub provider: Option<(String, Option<String>)>,
    pub lifecycle: Lifecycle,
    pub preconditions: Vec<Check>,
    pub postconditions: Vec<Check>,
    /// `provisioner "local-exec"` blocks, in source order.
    pub provisioners: Vec<provisioner::Provisioner>,
    /// The body without meta-arguments and `lifecycle`: what the provider's schema describes.
    pub body: Body,
}

impl Resource {
    /// The address within its module: `local_file.a` or `data.local_file.a`.
    pub fn local_address(&self) -> String {
        crate::addrs::local_address(self.mode, &self.type_name, &self.name)
    }

    /// The provider name its type belongs to (`local` for `local_file`).
    pub fn provider_name(&self) -> &str {
        match &self.provider {
            Some((name, _)) => name,
            None => self.type_name.split('_').next().unwrap_or(&self.type_name),
        }
    }

    /// The provider configuration as written in its module (`local`, `aws.dst`). Which root
    /// configuration that is depends on the module calls: ask [`providers::resolve`].
    pub fn provider_addr(&self) -> providers::ProviderAddr {
        providers::ProviderAddr {
            name: self.provider_name().to_string(),
            alias: self.provider.as_ref().and_then(|(_, a)| a.clone()),
        }
    }
}

#[derive(Debug, Default)]
pub struct Lifecycle {
    pub prevent_destroy: bool,
    pub create_before_destroy: bool,
    pub ignore_changes: IgnoreChanges,
    /// `replace_triggered_by`: each entry as written (its references order the graph) and as read.
    pub replace_triggered_by: Vec<(Expr, triggers::ReplaceTrigger)>,
}

#[derive(Debug, Default, PartialEq)]
pub enum IgnoreChanges {
    #[default]
    None,
    All,
    Paths(Vec<AttrPath>),
}

#[derive(Debug)]
pub struct ModuleCall {
    pub name: String,
    pub source: String,
    /// The `source` attribute's value, where source errors point.
    pub source_span: Option<Span>,
    /// `version`: the constraint a registry source is resolved with.
    pub version: Option<String>,
    pub file: FileId,
    pub span: Option<Span>,
    pub count: Option<Expr>,
    pub for_each: Option<Expr>,
    pub depends_on: Vec<Expr>,
    /// Input variable values for the child module, by variable name.
    pub inputs: IndexMap<String, (Expr, Option<Range<usize>>)>,
    /// `providers = { ... }`: `None` when absent (the child inherits the caller's default
    /// configurations), otherwise exactly the configurations passed.
    pub providers: Option<Vec<providers::ProviderPass>>,
}

impl Module {
    /// The module at `path` below this one (`[]` is this one).
    pub fn descendant(&self, path: &[String]) -> Option<&Module> {
        match path.split_first() {
            None => Some(self),
            Some((first, rest)) => self.children.get(first)?.descendant(rest),
        }
    }

    /// Calls `f` on this module and every descendant, parents first.
    pub fn walk<'a>(&'a self, f: &mut dyn FnMut(&'a Module)) {
        f(self);
        for child in self.children.values() {
            child.walk(f);
        }
    }
}
