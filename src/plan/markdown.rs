//! A plan as a pull-request comment (`plinth show --markdown plan.bin`).
//!
//! Layout: a heading and the `**Plan:**` counts; destroys and replaces first, in a GitHub
//! `> [!WARNING]` alert (with a `:warning:` for renderers without alerts); a table of every
//! changed instance with its reason; then one collapsed `<details>` block per instance holding the
//! text diff of [`super::render`] in a ```` ```diff ```` fence, with each line's symbol moved to the
//! first column so the highlighter colours additions and removals (`~` shows as `!`). Values come
//! only from the renderer, so a secret only ever appears as `(sensitive)`. The comment stays
//! under GitHub's 65,536-character limit: once the budget is spent, the remaining diffs are left
//! out with a note saying how many.

use std::fmt::Write as _;

use super::render::{reason_note, render_change_for_diff_fence, render_outputs_for_diff_fence, shown_changes};
use super::{Action, Plan, ResourceChange};

/// Where the table stops adding rows, and where the comment stops adding diffs (GitHub rejects
/// comments over 65,536 characters; the rest is headroom for what a CI job wraps around it).
const TABLE_LIMIT: usize = 40_000;
const COMMENT_LIMIT: usize = 60_000;

/// The plan as markdown for a pull-request comment.
pub fn plan_markdown(plan: &Plan) -> String {
    let mut s = String::new();
    let kind = if plan.destroy { "destroy plan" } else { "plan" };
    let _ = writeln!(s, "### Plinth {kind} for `{}`\n", plan.env.replace('`', "'"));

    let mut changes = shown_changes(plan);
    let outputs = render_outputs_for_diff_fence(plan);
    if changes.is_empty() && outputs.is_empty() {
        s.push_str("No changes. Your infrastructure matches the configuration.\n");
        return s;
    }
    // Destructive changes first; address order within each group (the sort is stable).
    changes.sort_by_key(|c| !destructive(c));

    let n = plan.counts();
    let _ = writeln!(
        s,
        "**Plan:** {} to add, {} to change, {} to destroy\n",
        n.add, n.change, n.destroy
    );
    if !plan.targets.is_empty() {
        let targets: Vec<String> = plan.targets.iter().map(|t| code(t)).collect();
        let _ = writeln!(s, "Limited to {}.\n", targets.join(", "));
    }

    let destroys: Vec<&&ResourceChange> = changes.iter().filter(|c| destructive(c)).collect();
    if !destroys.is_empty() {
        let what = if destroys.len() == 1 { "resource" } else { "resources" };
        let _ = writeln!(
            s,
            "> [!WARNING]\n> :warning: **{} {what} will be destroyed or replaced:**",
            destroys.len()
        );
        for c in &destroys {
            let _ = writeln!(s, "> - {} ({})", code(&c.address), action_label(c.action));
        }
        s.push('\n');
    }

    if !changes.is_empty() {
        s.push_str("| Action | Address | Reason |\n| --- | --- | --- |\n");
        let mut rows_left_out = 0usize;
        for c in &changes {
            let row = format!(
                "| {} | {} | {} |\n",
                action_label(c.action),
                code(&c.address).replace('|', "\\|"),
                reason_text(c).replace('|', "\\|")
            );
            if s.len() + row.len() > TABLE_LIMIT {
                rows_left_out += 1;
            } else {
                s.push_str(&row);
            }
        }
        if rows_left_out > 0 {
            let _ = writeln!(s, "| … | {rows_left_out} more | |");
        }
        s.push('\n');
    }

    let mut left_out = 0usize;
    let blocks = changes
        .iter()
        .map(|c| {
            (
                format!("{} ({})", c.address, action_label(c.action)),
                render_change_for_diff_fence(c),
            )
        })
        .chain((!outputs.is_empty()).then(|| ("Changes to Outputs".to_string(), outputs.clone())));
    for (summary, diff) in blocks {
        let block = details(&summary, &diff);
        if s.len() + block.len() > COMMENT_LIMIT {
            left_out += 1;
        } else {
            s.push_str(&block);
        }
    }
    if left_out > 0 {
        let _ = writeln!(
            s,
            "_{left_out} more diff{} left out to keep this comment short; run `plinth show` on the plan file for all of it._",
            if left_out == 1 { "" } else { "s" }
        );
    }
    s
}

fn destructive(c: &ResourceChange) -> bool {
    c.action == Action::Delete || c.action.is_replace()
}

fn action_label(action: Action) -> &'static str {
    match action {
        Action::NoOp => "no-op",
        Action::Read => "read",
        Action::Create => "create",
        Action::Update => "update",
        Action::DeleteThenCreate | Action::CreateThenDelete => "replace",
        Action::Delete => "destroy",
    }
}

/// The reason column: what forces a replacement, or why the instance changes.
fn reason_text(c: &ResourceChange) -> String {
    let mut parts = Vec::new();
    if c.action.is_replace() && !c.requires_replace.is_empty() {
        let paths: Vec<String> = c.requires_replace.iter().map(|p| code(&p.to_string())).collect();
        parts.push(format!("{} forces replacement", paths.join(", ")));
    } else if let Some(note) = reason_note(c) {
        parts.push(note.strip_prefix("because ").unwrap_or(&note).to_string());
    } else if c.reason.as_deref().is_some_and(|r| r.contains("tainted")) {
        parts.push("tainted".to_string());
    }
    if c.drifted {
        parts.push("changed outside Plinth".to_string());
    }
    parts.join("; ")
}

/// A collapsed block with a diff fence long enough not to be closed by the content.
fn details(summary: &str, diff: &str) -> String {
    let longest = diff.split(|c| c != '`').map(str::len).max().unwrap_or(0);
    let fence = "`".repeat(longest.max(2) + 1);
    format!(
        "<details><summary>{}</summary>\n\n{fence}diff\n{diff}{fence}\n\n</details>\n\n",
        html_escape(summary)
    )
}

/// Inline code that survives backticks inside (addresses may hold any `for_each` key).
fn code(s: &str) -> String {
    let longest = s.split(|c| c != '`').map(str::len).max().unwrap_or(0);
    let ticks = "`".repeat(longest + 1);
    if longest > 0 {
        format!("{ticks} {s} {ticks}")
    } else {
        format!("{ticks}{s}{ticks}")
    }
}

fn html_escape(s: &str) -> String {
    s.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::plan::render::tests::sample_plan;
    use expect_test::expect;

    #[test]
    fn pull_request_comment() {
        let text = plan_markdown(&sample_plan());
        assert!(!text.contains("hunter2"));
        assert!(!text.contains('\x1b'));
        expect![[r#""#]].assert_eq(&text);
    }

    #[test]
    fn no_changes() {
        let mut plan = sample_plan();
        plan.changes.retain(|c| c.action == Action::NoOp);
        plan.outputs.retain(|o| o.action == Action::NoOp);
        expect![[r#""#]].assert_eq(&plan_markdown(&plan));
    }

    #[test]
    fn long_plans_stay_under_the_comment_limit() {
        let mut plan = sample_plan();
        let template = plan
            .changes
            .iter()
            .find(|c| c.action == Action::Update)
            .cloned()
            .expect("update");
        for i in 0..2000 {
            let mut c = template.clone();
            c.address = format!("local_value.v[{i}]");
            c.key = crate::graph::scope::Key::Int(i);
            plan.changes.push(c);
        }
        let text = plan_markdown(&plan);
        assert!(text.len() < 65_536, "{}", text.len());
        assert!(text.contains("more diffs left out"));
        assert!(text.contains("| update | `local_value.v[1999]` | changed outside Plinth |"));
    }

    #[test]
    fn code_spans_and_fences_survive_backticks() {
        assert_eq!(code("a`b"), "`` a`b ``");
        assert!(details("x", "```\n").contains("````diff\n```\n````"));
    }
}
