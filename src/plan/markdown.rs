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
/// Destroyed or replaced addresses listed in the warning; the table has them all.
const WARNING_LIST_LIMIT: usize = 50;

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
    let forget = if n.forget > 0 {
        format!(", {} to forget", n.forget)
    } else {
        String::new()
    };
    let _ = writeln!(
        s,
        "**Plan:** {} to add, {} to change, {} to destroy{forget}\n",
        n.add, n.change, n.destroy
    );
    if !plan.targets.is_empty() {
        let targets: Vec<String> = plan.targets.iter().map(|t| code(&t.to_string())).collect();
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
        for c in destroys.iter().take(WARNING_LIST_LIMIT) {
            let _ = writeln!(s, "> - {} ({})", code(&c.address), action_label(c.action));
        }
        if destroys.len() > WARNING_LIST_LIMIT {
            let _ = writeln!(s, "> - … and {} more", destroys.len() - WARNING_LIST_LIMIT);
        }
        s.push('\n');
    }

    if !changes.is_empty() {
        s.push_str("| Action | Address | Reason |\n| --- | --- | --- |\n");
        let mut rows_left_out = 0usize;
        for c in &changes {
            let row = format!(
                "| {} | {} | {} |\n",
                row_label(c),
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
                format!("{} ({})", c.address, row_label(c)),
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

/// A change's label in the table: its action, or `move` for a move and nothing else.
fn row_label(c: &ResourceChange) -> &'static str {
    if c.action == Action::NoOp && c.previous_address.is_some() {
        "move"
    } else {
        action_label(c.action)
    }
}

fn action_label(action: Action) -> &'static str {
    match action {
        Action::NoOp => "no-op",
        Action::Read => "read",
        Action::Create => "create",
        Action::Update => "update",
        Action::DeleteThenCreate | Action::CreateThenDelete => "replace",
        Action::Delete => "destroy",
        Action::Forget => "forget",
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
    } else if c.reason.as_deref() == Some(super::triggers::TRIGGERED) {
        parts.push(format!("changes in {}", code("replace_triggered_by")));
    }
    if let Some(previous) = &c.previous_address {
        parts.push(format!("moved from {}", code(previous)));
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
        expect![[r####"
            ### Plinth plan for `default`

            **Plan:** 2 to add, 1 to change, 2 to destroy

            > [!WARNING]
            > :warning: **2 resources will be destroyed or replaced:**
            > - `local_file.old` (destroy)
            > - `local_file.x` (replace)

            | Action | Address | Reason |
            | --- | --- | --- |
            | destroy | `local_file.old` | local_file.old is not in the configuration |
            | replace | `local_file.x` | `path` forces replacement |
            | create | `local_file.spec` |  |
            | update | `local_value.v[0]` | changed outside Plinth |

            <details><summary>local_file.old (destroy)</summary>

            ```diff
              # local_file.old will be destroyed
              # (because local_file.old is not in the configuration)
            -   resource "local_file" "old" {
            -       columns = [
            -           {
            -               name = "c1"
                        },
                    ] -> null
            -       path    = "x" -> null
            -       secret  = (sensitive) -> null
                }
            ```

            </details>

            <details><summary>local_file.x (replace)</summary>

            ```diff
              # local_file.x must be replaced
            -/+ resource "local_file" "x" {
            !       id   = "x1" -> (known after apply)
            !       path = "a" -> "b" # forces replacement
                    # (1 unchanged attribute hidden)
                }
            ```

            </details>

            <details><summary>local_file.spec (create)</summary>

            ```diff
              # local_file.spec will be created
            +   resource "local_file" "spec" {
            +       content         = "hello"
            +       file_permission = "0644"
            +       id              = (known after apply)
            +       labels          = {
            +           "cost center" = 42
            +           gpu           = true
            +           team          = "ml"
                    }
            +       password        = (sensitive)
            +       path            = "out/spec.yaml"
                }
            ```

            </details>

            <details><summary>local_value.v[0] (update)</summary>

            ```diff
              # local_value.v[0] will be updated in place
              # (its remote object changed outside Plinth since the last apply)
            !   resource "local_value" "v" {
                    id     = "abc"
            !       input  = "a" -> "b"
            !       output = "a" -> (known after apply)
            !       ports  = [
                        # (1 unchanged element hidden)
            -           443,
            +           8443,
                        # (1 unchanged element hidden)
                    ]
            !       script = <<-EOT
                        line 1
                        line 2
                        line 3
                        line 4
            -           line 5
            +           line five
                        line 6
                        line 7
                        line 8
                        # (4 unchanged lines hidden)
                    EOT
            !       tags   = {
            !           b = "2" -> "two"
            -           c = "3" -> null
            +           d = "4"
                        # (1 unchanged element hidden)
                    }
                    # (1 unchanged attribute hidden)
                }
            ```

            </details>

            <details><summary>Changes to Outputs</summary>

            ```diff
            !   token = (sensitive)
            +   url   = "http://localhost:8080"
            ```

            </details>

        "####]]
        .assert_eq(&text);
    }

    #[test]
    fn no_changes() {
        let mut plan = sample_plan();
        plan.changes.retain(|c| c.action == Action::NoOp);
        plan.outputs.retain(|o| o.action == Action::NoOp);
        expect![[r#"
            ### Plinth plan for `default`

            No changes. Your infrastructure matches the configuration.
        "#]]
        .assert_eq(&plan_markdown(&plan));
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
            c.action = if i % 2 == 0 { Action::Update } else { Action::Delete };
            c.key = crate::addrs::Key::Int(i);
            plan.changes.push(c);
        }
        let text = plan_markdown(&plan);
        assert!(text.len() < 65_536, "{}", text.len());
        assert!(text.contains("more diffs left out"));
        assert!(text.contains("| destroy | `local_value.v[1]` | changed outside Plinth |"));
        assert!(text.contains(" more | |\n"));
        assert!(text.contains("> - … and 952 more\n"));
    }

    #[test]
    fn code_spans_and_fences_survive_backticks() {
        assert_eq!(code("a`b"), "`` a`b ``");
        assert!(details("x", "```\n").contains("````diff\n```\n````"));
    }
}
