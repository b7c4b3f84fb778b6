//! Plans: what apply will do, as an immutable value that can be shown, saved and applied later.
//!
//! [`walk::plan`] is a pure function of configuration, prior state and refreshed live values: it
//! returns a [`Plan`] with one [`ResourceChange`] per instance (no-ops included, so apply knows
//! every instance's expected state) and the output changes. Renderers turn a plan into text
//! ([`render`]). A plan file ([`file`]) never holds a sensitive value in clear.

pub mod checks;
pub mod collision;
pub mod drift;
pub mod file;
pub mod import;
pub mod json;
pub mod markdown;
pub mod moves;
pub mod provisioners;
pub mod render;
pub mod triggers;
pub mod walk;

use plinth_sdk::Map;
use plinth_sdk::{AttrPath, Value};
use serde::{Deserialize, Serialize};

use crate::addrs::{Address, InstanceRef, Key, ModInst};
use crate::config::Mode;

/// What happens to one resource instance.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, PartialOrd, Ord, Hash)]
#[serde(rename_all = "snake_case")]
pub enum Action {
    NoOp,
    Read,
    Create,
    Update,
    /// Replace: delete the old object, then create the new one.
    DeleteThenCreate,
    /// Replace under `create_before_destroy`: create the new object, then delete the old one.
    CreateThenDelete,
    Delete,
    /// Forget: remove from state, leave the object alone (`removed { lifecycle { destroy = false } }`).
    Forget,
}

impl Action {
    /// Terraform's `actions` list for the JSON plan format.
    pub fn terraform_actions(self) -> Vec<&'static str> {
        match self {
            Action::NoOp => vec!["no-op"],
            Action::Read => vec!["read"],
            Action::Create => vec!["create"],
            Action::Update => vec!["update"],
            Action::DeleteThenCreate => vec!["delete", "create"],
            Action::CreateThenDelete => vec!["create", "delete"],
            Action::Delete => vec!["delete"],
            Action::Forget => vec!["forget"],
        }
    }

    /// What the action adds to the summary counts, as (add, change, destroy): a replacement both
    /// adds and destroys. Plans and apply reports count alike.
    pub fn counts(self) -> (usize, usize, usize) {
        match self {
            Action::Create => (1, 0, 0),
            Action::Update => (0, 1, 0),
            Action::DeleteThenCreate | Action::CreateThenDelete => (1, 0, 1),
            Action::Delete => (0, 0, 1),
            Action::NoOp | Action::Read | Action::Forget => (0, 0, 0),
        }
    }

    pub fn is_replace(self) -> bool {
        matches!(self, Action::DeleteThenCreate | Action::CreateThenDelete)
    }

    /// The plan symbol: `+`, `~`, `-/+`, `+/-`, `-`, `<=`.
    pub fn symbol(self) -> &'static str {
        match self {
            Action::NoOp => " ",
            Action::Read => "<=",
            Action::Create => "+",
            Action::Update => "~",
            Action::DeleteThenCreate => "-/+",
            Action::CreateThenDelete => "+/-",
            Action::Delete => "-",
            Action::Forget => ".",
        }
    }
}

/// The planned change of one resource instance.
#[derive(Clone, Debug, PartialEq)]
pub struct ResourceChange {
    /// Full address: `module.m[0].local_file.f["a"]`.
    pub address: String,
    pub module: ModInst,
    pub mode: Mode,
    pub type_name: String,
    pub name: String,
    pub key: Key,
    /// Provider configuration key (`local`, `aws.west`).
    pub provider: String,
    pub action: Action,
    /// The refreshed prior state (None for a create).
    pub before: Option<Value>,
    /// The planned state (None for a delete); unknowns where apply decides. A no-op whose planned
    /// state is its `before` keeps none of its own (None), so that a plan of 100,000 unchanged
    /// instances holds their values once: read it through [`ResourceChange::planned`].
    pub after: Option<Value>,
    /// The configuration as evaluated at plan time (None for a delete).
    pub config: Option<Value>,
    pub requires_replace: Vec<AttrPath>,
    /// Why: `tainted`, `cannot_update`, `delete_because_no_resource_config`, ...
    pub reason: Option<String>,
    /// Resource addresses (module prefix + local address) this instance depends on.
    pub dependencies: Vec<String>,
    pub create_before_destroy: bool,
    /// The prior state had drifted from what was recorded (for drift reports).
    pub drifted: bool,
    /// The id of the object an `import` block adopts into this instance (`before` is the object
    /// as imported; apply records it in state before any update).
    pub importing: Option<String>,
    /// The state key the object had before a `moved` block moved it here.
    pub previous_address: Option<String>,
}

impl ResourceChange {
    /// The planned state: `after`, or `before` for a no-op that keeps no `after` of its own.
    pub fn planned(&self) -> Option<&Value> {
        match (&self.after, self.action) {
            (None, Action::NoOp) => self.before.as_ref(),
            (after, _) => after.as_ref(),
        }
    }

    /// The resource address without the instance key: `module.m[0].local_file.f`.
    pub fn resource_address(&self) -> String {
        let mut s = crate::addrs::module_prefix(&self.module);
        s.push_str(&crate::addrs::local_address(self.mode, &self.type_name, &self.name));
        s
    }

    /// The instance this change is for, borrowed from its parts.
    pub fn instance(&self) -> InstanceRef<'_> {
        InstanceRef {
            module: &self.module,
            mode: self.mode,
            type_name: &self.type_name,
            name: &self.name,
            key: &self.key,
        }
    }
}

/// The planned change of one root output.
#[derive(Clone, Debug, PartialEq)]
pub struct OutputChange {
    pub name: String,
    pub action: Action,
    pub before: Option<Value>,
    pub after: Option<Value>,
    pub sensitive: bool,
}

/// A whole plan.
#[derive(Clone, Debug, PartialEq)]
pub struct Plan {
    /// The environment it was made for.
    pub env: String,
    /// The lineage and serial of the state it was made against.
    pub lineage: String,
    pub serial: u64,
    /// SHA-256 of the configuration files.
    pub config_hash: String,
    /// Root variable values used (sensitive ones are re-resolved at apply).
    pub variables: Map,
    pub changes: Vec<ResourceChange>,
    pub outputs: Vec<OutputChange>,
    /// A `destroy` plan.
    pub destroy: bool,
    /// `--target` addresses the plan was narrowed to.
    pub targets: Vec<Address>,
    /// When the plan was made (RFC 3339).
    pub timestamp: String,
    /// The results of the configuration's `check` blocks on the planned values.
    pub checks: Vec<checks::CheckResult>,
}

/// Counts for the summary line.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Counts {
    pub add: usize,
    pub change: usize,
    pub destroy: usize,
    /// Objects `removed` blocks forget.
    pub forget: usize,
}

impl Plan {
    pub fn counts(&self) -> Counts {
        let mut c = Counts::default();
        for ch in &self.changes {
            let (add, change, destroy) = ch.action.counts();
            c.add += add;
            c.change += change;
            c.destroy += destroy;
            c.forget += usize::from(ch.action == Action::Forget);
        }
        c
    }

    /// True when applying would change any resource or output.
    pub fn has_changes(&self) -> bool {
        self.changes.iter().any(|c| {
            !matches!(c.action, Action::NoOp | Action::Read) || c.importing.is_some() || c.previous_address.is_some()
        }) || self.outputs.iter().any(|o| o.action != Action::NoOp)
    }
}
