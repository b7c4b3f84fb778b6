//! Whether an instance's `lifecycle.replace_triggered_by` fired, from the changes already planned.
//!
//! The graph orders a resource after what its triggers name (`graph::build` adds the edges), so
//! when an instance is planned the changes of the watched instances are known. As Terraform
//! documents: a reference to a resource or an instance fires when a watched instance is planned
//! to be created, updated or replaced; a reference to an attribute fires when that attribute's
//! value changes (a value known only after apply counts as a change). The planner then plans the
//! instance as a replacement with the reason [`TRIGGERED`], and apply repeats that from the saved
//! plan, since by then the watched changes are made.

use plinth_sdk::{AttrPath, Value};

use super::{Action, ResourceChange};
use crate::addrs::Key;
use crate::config::Mode;
use crate::config::triggers::{ReplaceTrigger, TriggerKey};
use crate::graph::walk::InstanceJob;

/// The reason recorded for a replacement that `replace_triggered_by` asked for (Terraform's JSON
/// `action_reason`).
pub const TRIGGERED: &str = "replace_by_triggers";

/// Whether any trigger of `job` fired among the `planned` changes.
pub fn fired(job: &InstanceJob, planned: &[ResourceChange]) -> bool {
    job.meta
        .replace_triggered_by
        .iter()
        .any(|t| planned.iter().any(|c| watches(t, job, c) && changed(c, &t.path)))
}

fn watches(t: &ReplaceTrigger, job: &InstanceJob, c: &ResourceChange) -> bool {
    c.mode == Mode::Managed
        && c.module == job.module
        && c.type_name == t.type_name
        && c.name == t.name
        && match &t.key {
            TriggerKey::All => true,
            TriggerKey::Int(i) => c.key == Key::Int(*i),
            TriggerKey::Str(s) => c.key == Key::Str(s.clone()),
            TriggerKey::Own => c.key == job.key,
        }
}

fn changed(c: &ResourceChange, path: &AttrPath) -> bool {
    let planned = matches!(
        c.action,
        Action::Create | Action::Update | Action::DeleteThenCreate | Action::CreateThenDelete
    );
    if !planned || path.0.is_empty() {
        return planned;
    }
    let at = |v: Option<&Value>| v.and_then(|v| v.at(path)).cloned().unwrap_or(Value::Null).unmark().0;
    let after = at(c.planned());
    after.contains_unknown() || at(c.before.as_ref()) != after
}
