//! Human-readable plan text, in the shape `terraform plan` prints.
//!
//! [`render_plan`] writes the whole plan: one block per changed instance (no-ops hidden), the
//! `Plan: N to add, N to change, N to destroy.` summary and the output changes.
//! [`render_value_diff`] renders the attribute lines of one before/after pair on their own, for
//! drift reports. Values are diffed structurally: nested maps and lists open multi-line with a
//! symbol per element, multi-line strings become a heredoc line diff (via `similar`), unchanged
//! attributes of an update are hidden behind a count. A sensitive value only ever prints as
//! `(sensitive)`, an unknown one as `(known after apply)`. With `color` false no escape code is
//! written. This module knows nothing of where a plan comes from or goes to: the CLI decides
//! when to colour, and the markdown renderer reuses the same lines in a diff-friendly layout.
//!
//! This file holds the plan-level text (headers, summaries, outputs); `differ` turns two values
//! into lines and `lines` lays those out for a terminal or a diff fence.

mod differ;
mod lines;

use std::fmt::Write as _;

use plinth_sdk::{AttrPath, Value};

use super::{Action, OutputChange, Plan, ResourceChange};
use crate::config::Mode;

use differ::{Differ, quote};
use lines::{Layout, Painter, Sym, join};

/// Renders the plan for a terminal; `color` adds ANSI colours.
pub fn render_plan(plan: &Plan, color: bool) -> String {
    let painter = Painter { color };
    let changes = shown_changes(plan);
    let outputs = shown_outputs(plan);

    if changes.is_empty() && outputs.is_empty() {
        return if plan.destroy {
            "No changes. No objects need to be destroyed.\n\nEither you have not created any objects yet or the \
             existing objects were already deleted outside of Plinth.\n"
                .to_string()
        } else {
            "No changes. Your infrastructure matches the configuration.\n\nPlinth has compared your real \
             infrastructure against your configuration and found no differences, so no changes are needed.\n"
                .to_string()
        };
    }

    let mut s = String::new();
    if !changes.is_empty() {
        s.push_str("Plinth will perform the following actions:\n\n");
        for c in &changes {
            s.push_str(&change_text(c, painter, Layout::Terminal));
            s.push('\n');
        }
        let n = plan.counts();
        // Terraform names imports and forgets in the summary only when the plan has some.
        let imports = plan.changes.iter().filter(|c| c.importing.is_some()).count();
        let import = if imports > 0 {
            format!("{imports} to import, ")
        } else {
            String::new()
        };
        let forget = if n.forget > 0 {
            format!(", {} to forget", n.forget)
        } else {
            String::new()
        };
        let _ = writeln!(
            s,
            "{} {import}{} to add, {} to change, {} to destroy{forget}.",
            painter.bold("Plan:"),
            n.add,
            n.change,
            n.destroy
        );
    }
    if !outputs.is_empty() {
        if !changes.is_empty() {
            s.push('\n');
        }
        s.push_str("Changes to Outputs:\n");
        s.push_str(&outputs_text(&outputs, painter, Layout::Terminal));
        if changes.is_empty() {
            s.push_str(
                "\nYou can apply this plan to save these new output values to the Plinth state, without \
                 changing any real infrastructure.\n",
            );
        }
    }
    s
}

/// Renders the attribute lines of a change from `before` to `after` (None: the object does not
/// exist on that side), each line starting at column `indent` with its symbol.
///
/// Objects render as attribute lines (unchanged attributes hidden behind a count, except `id`,
/// `name` and `path`), like the inside of a plan block; anything else renders as one value line.
/// Drift reports wrap it the way [`render_plan`] does:
/// `render_value_diff(Some(&recorded), live.as_ref(), 6, color)` between `  ~ resource ... {` and
/// `    }`.
pub fn render_value_diff(before: Option<&Value>, after: Option<&Value>, indent: usize, color: bool) -> String {
    let painter = Painter { color };
    let mut d = Differ::new(painter, &[]);
    d.body(before, after, indent);
    join(&d.out, painter, Layout::Terminal)
}

/// One instance's block (comment lines, `resource` line, attributes, closing brace), as in
/// [`render_plan`].
pub fn render_change(change: &ResourceChange, color: bool) -> String {
    change_text(change, Painter { color }, Layout::Terminal)
}

/// One instance's block laid out for a ```` ```diff ```` fence: each line's symbol moves to the
/// first column (`~` becomes `!`, which diff highlighters show as changed), so that a heredoc line
/// that happens to begin with `-` is never taken for a removal.
pub(crate) fn render_change_for_diff_fence(change: &ResourceChange) -> String {
    change_text(change, Painter { color: false }, Layout::Gutter)
}

/// The changes shown: everything but no-ops, in address order (instance keys compared as
/// numbers or strings, not as text).
pub(crate) fn shown_changes(plan: &Plan) -> Vec<&ResourceChange> {
    let mut changes: Vec<&ResourceChange> = plan
        .changes
        .iter()
        .filter(|c| c.action != Action::NoOp || c.importing.is_some() || c.previous_address.is_some())
        .collect();
    changes.sort_by(|a, b| {
        (&a.module, a.mode, &a.type_name, &a.name, &a.key).cmp(&(&b.module, b.mode, &b.type_name, &b.name, &b.key))
    });
    changes
}

/// What the header comment says the instance will undergo.
pub(crate) fn action_phrase(change: &ResourceChange) -> &'static str {
    match change.action {
        Action::NoOp if change.importing.is_some() => "will be imported",
        Action::NoOp => "has no changes",
        Action::Read => "will be read during apply",
        Action::Create => "will be created",
        Action::Update => "will be updated in place",
        Action::DeleteThenCreate | Action::CreateThenDelete if is_tainted(change) => "is tainted, so must be replaced",
        Action::DeleteThenCreate | Action::CreateThenDelete
            if change.reason.as_deref() == Some(crate::plan::triggers::TRIGGERED) =>
        {
            "will be replaced due to changes in replace_triggered_by"
        }
        Action::DeleteThenCreate | Action::CreateThenDelete => "must be replaced",
        Action::Delete => "will be destroyed",
        Action::Forget => "will no longer be managed by Plinth",
    }
}

fn is_tainted(change: &ResourceChange) -> bool {
    matches!(change.reason.as_deref(), Some("tainted" | "replace_because_tainted"))
}

/// The text of the `# (...)` line under the header, when the reason adds something the header and
/// the `# forces replacement` markers do not already say.
pub(crate) fn reason_note(change: &ResourceChange) -> Option<String> {
    let reason = change.reason.as_deref()?;
    Some(match reason {
        "destroy" | "tainted" | "replace_because_tainted" | "replace_by_triggers" => return None,
        "cannot update in place" | "cannot_update" | "replace_because_cannot_update" => return None,
        "no longer in the configuration" | "delete_because_no_resource_config" => {
            format!("because {} is not in the configuration", change.address)
        }
        crate::plan::walk::CONFIG_UNKNOWN | "read_because_config_unknown" => {
            "config refers to values not yet known".to_string()
        }
        crate::plan::walk::DEPENDENCY_PENDING | "read_because_dependency_pending" => {
            "depends on a resource or a module with changes pending".to_string()
        }
        "deleted outside Plinth" => "because the object was deleted outside Plinth".to_string(),
        "already gone" => "because the object no longer exists; only its state entry is removed".to_string(),
        other => format!("because {other}"),
    })
}

fn change_text(change: &ResourceChange, painter: Painter, layout: Layout) -> String {
    let mut s = String::new();
    match &change.previous_address {
        // Terraform's wording: a move alone is its own header, a move with a change a note.
        Some(previous) if change.action == Action::NoOp => {
            let _ = writeln!(
                s,
                "  # {} has moved to {}",
                painter.bold(previous),
                painter.bold(&change.address)
            );
        }
        Some(previous) => {
            let _ = writeln!(s, "  # {} {}", painter.bold(&change.address), action_phrase(change));
            let _ = writeln!(s, "  # (moved from {previous})");
        }
        None => {
            let _ = writeln!(s, "  # {} {}", painter.bold(&change.address), action_phrase(change));
        }
    }
    if let Some(note) = reason_note(change) {
        let _ = writeln!(s, "  # ({note})");
    }
    if let Some(id) = change.importing.as_ref().filter(|_| change.action != Action::NoOp) {
        let _ = writeln!(s, "  # (imported from {})", quote(id));
    }
    if change.drifted {
        s.push_str("  # (its remote object changed outside Plinth since the last apply)\n");
    }
    let (before, after) = match change.action {
        Action::Create | Action::Read => (None, change.after.as_ref()),
        Action::Delete => (change.before.as_ref(), None),
        // The object stays as it is: shown unchanged, as Terraform shows a forget.
        Action::Forget => (change.before.as_ref(), change.before.as_ref()),
        _ => (change.before.as_ref(), change.planned()),
    };
    let mut d = Differ::new(painter, &change.requires_replace);
    d.body(before, after, 6);
    let kind = match change.mode {
        Mode::Managed => "resource",
        Mode::Data => "data",
    };
    let head = match layout {
        Layout::Terminal => painter.action(change.action),
        Layout::Gutter => {
            let g = match change.action {
                Action::NoOp => " ",
                Action::Read => "<=",
                Action::Create => "+",
                Action::Update => "!",
                Action::DeleteThenCreate => "-/+",
                Action::CreateThenDelete => "+/-",
                Action::Delete => "-",
                Action::Forget => ".",
            };
            format!("{g:<3}")
        }
    };
    let block = format!("{head} {kind} {} {}", quote(&change.type_name), quote(&change.name));
    if d.out.is_empty() {
        let _ = writeln!(s, "{block} {{}}");
    } else {
        let _ = writeln!(s, "{block} {{");
        s.push_str(&join(&d.out, painter, layout));
        s.push_str("    }\n");
    }
    s
}

/// The output changes (no-ops hidden, by name) laid out for a ```` ```diff ```` fence; empty when
/// no output changes.
pub(crate) fn render_outputs_for_diff_fence(plan: &Plan) -> String {
    outputs_text(&shown_outputs(plan), Painter { color: false }, Layout::Gutter)
}

fn shown_outputs(plan: &Plan) -> Vec<&OutputChange> {
    let mut outputs: Vec<&OutputChange> = plan.outputs.iter().filter(|o| o.action != Action::NoOp).collect();
    outputs.sort_by(|a, b| a.name.cmp(&b.name));
    outputs
}

fn outputs_text(outputs: &[&OutputChange], painter: Painter, layout: Layout) -> String {
    let width = outputs.iter().map(|o| o.name.chars().count()).max().unwrap_or(0);
    let mut d = Differ::new(painter, &[]);
    for o in outputs {
        let mark = |v: &Option<Value>| {
            v.as_ref()
                .filter(|v| !matches!(v, Value::Null))
                .map(|v| if o.sensitive { v.clone().mark() } else { v.clone() })
        };
        let (before, after) = (mark(&o.before), mark(&o.after));
        let (before, after) = match o.action {
            Action::Create => (None, after),
            Action::Delete => (before, None),
            _ => (before, after),
        };
        let sym = match o.action {
            Action::Create => Sym::Add,
            Action::Delete => Sym::Del,
            _ => Sym::Upd,
        };
        d.value(
            2,
            sym,
            format!("{:<width$} = ", o.name),
            before.as_ref(),
            after.as_ref(),
            &AttrPath::default(),
        );
    }
    join(&d.out, painter, layout)
}

#[cfg(test)]
pub(crate) mod tests;
