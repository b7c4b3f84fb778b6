//! The plan's record of the `local-exec` provisioners apply will run: which command, after
//! creating or before destroying which instance. Read from the configuration beside the plan (a
//! saved plan is applied only against the configuration it was made from), and printed after the
//! plan, since a provisioner's command may do anything.

use super::{Action, Plan};
use crate::config::Module;
use crate::config::provisioner::When;

/// The lines to print after `plan`, or an empty string when no provisioner will run.
pub fn notes(root: &Module, plan: &Plan) -> String {
    let mut lines = Vec::new();
    for c in &plan.changes {
        let (creates, destroys) = match c.action {
            Action::Create => (true, false),
            Action::Delete => (false, true),
            Action::DeleteThenCreate | Action::CreateThenDelete => (true, true),
            _ => (false, false),
        };
        if !creates && !destroys {
            continue;
        }
        let path: Vec<String> = c.module.iter().map(|(n, _)| n.clone()).collect();
        let Some(r) = root.descendant(&path).and_then(|m| {
            m.resources
                .get(&crate::addrs::local_address(c.mode, &c.type_name, &c.name))
        }) else {
            continue;
        };
        for p in &r.provisioners {
            let when = match p.when {
                When::Create if creates => "after creating",
                When::Destroy if destroys => "before destroying",
                _ => continue,
            };
            let failure = if p.on_failure_continue {
                " (on_failure = continue)"
            } else {
                ""
            };
            lines.push(format!(
                "  local-exec {when} {}: {}{failure}",
                c.address, p.command_text
            ));
        }
    }
    if lines.is_empty() {
        return String::new();
    }
    format!("\nProvisioners apply will run on this machine:\n{}\n", lines.join("\n"))
}
