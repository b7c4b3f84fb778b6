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

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;

use plinth_sdk::value::format_number;
use plinth_sdk::{AttrPath, PathStep, Value};
use similar::{Algorithm, capture_diff_slices};

use super::{Action, OutputChange, Plan, ResourceChange};
use crate::config::Mode;

/// Top-level attributes shown in an update even when unchanged, so the reader knows which object
/// the change is about.
const IDENTIFYING: [&str; 3] = ["id", "name", "path"];

/// Unchanged lines kept around each change in a heredoc diff.
const CONTEXT_LINES: usize = 3;

/// Renders the plan for a terminal; `color` adds ANSI colours.
pub fn render_plan(plan: &Plan, color: bool) -> String {
    let style = Style { color };
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
            s.push_str(&change_text(c, style, Layout::Terminal));
            s.push('\n');
        }
        let n = plan.counts();
        let _ = writeln!(
            s,
            "{} {} to add, {} to change, {} to destroy.",
            style.bold("Plan:"),
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
        s.push_str(&outputs_text(&outputs, style, Layout::Terminal));
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
    let style = Style { color };
    let mut d = Differ::new(style, &[]);
    d.body(before, after, indent);
    join(&d.out, style, Layout::Terminal)
}

/// One instance's block (comment lines, `resource` line, attributes, closing brace), as in
/// [`render_plan`].
pub fn render_change(change: &ResourceChange, color: bool) -> String {
    change_text(change, Style { color }, Layout::Terminal)
}

/// One instance's block laid out for a ```` ```diff ```` fence: each line's symbol moves to the
/// first column (`~` becomes `!`, which diff highlighters show as changed), so that a heredoc line
/// that happens to begin with `-` is never taken for a removal.
pub(crate) fn render_change_for_diff_fence(change: &ResourceChange) -> String {
    change_text(change, Style { color: false }, Layout::Gutter)
}

/// The changes shown: everything but no-ops, in address order (instance keys compared as
/// numbers or strings, not as text).
pub(crate) fn shown_changes(plan: &Plan) -> Vec<&ResourceChange> {
    let mut changes: Vec<&ResourceChange> = plan.changes.iter().filter(|c| c.action != Action::NoOp).collect();
    changes.sort_by(|a, b| {
        (&a.module, a.mode, &a.type_name, &a.name, &a.key).cmp(&(&b.module, b.mode, &b.type_name, &b.name, &b.key))
    });
    changes
}

/// What the header comment says the instance will undergo.
pub(crate) fn action_phrase(change: &ResourceChange) -> &'static str {
    match change.action {
        Action::NoOp => "has no changes",
        Action::Read => "will be read during apply",
        Action::Create => "will be created",
        Action::Update => "will be updated in place",
        Action::DeleteThenCreate | Action::CreateThenDelete if is_tainted(change) => "is tainted, so must be replaced",
        Action::DeleteThenCreate | Action::CreateThenDelete => "must be replaced",
        Action::Delete => "will be destroyed",
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
        "destroy" | "tainted" | "replace_because_tainted" => return None,
        "cannot update in place" | "cannot_update" | "replace_because_cannot_update" => return None,
        "no longer in the configuration" | "delete_because_no_resource_config" => {
            format!("because {} is not in the configuration", change.address)
        }
        "configuration known only after apply" | "read_because_config_unknown" => {
            "config refers to values not yet known".to_string()
        }
        "deleted outside Plinth" => "because the object was deleted outside Plinth".to_string(),
        "already gone" => "because the object no longer exists; only its state entry is removed".to_string(),
        other => format!("because {other}"),
    })
}

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Sym {
    None,
    Add,
    Del,
    Upd,
}

/// One output line: its column, its symbol (printed before the text) and the text.
#[derive(Debug)]
struct Line {
    indent: usize,
    sym: Sym,
    text: String,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Layout {
    /// `terraform plan`: the symbol sits at the line's indentation.
    Terminal,
    /// Symbols in the first column, for ```` ```diff ```` fences.
    Gutter,
}

#[derive(Clone, Copy)]
struct Style {
    color: bool,
}

impl Style {
    fn paint(self, code: &str, s: &str) -> String {
        if self.color {
            format!("\x1b[{code}m{s}\x1b[0m")
        } else {
            s.to_string()
        }
    }

    fn bold(self, s: &str) -> String {
        self.paint("1", s)
    }

    fn sym(self, sym: Sym) -> String {
        match sym {
            Sym::None => " ".to_string(),
            Sym::Add => self.paint("32", "+"),
            Sym::Del => self.paint("31", "-"),
            Sym::Upd => self.paint("33", "~"),
        }
    }

    fn action(self, action: Action) -> String {
        let plus = self.paint("32", "+");
        let minus = self.paint("31", "-");
        match action {
            Action::NoOp => "   ".to_string(),
            Action::Read => format!(" {}", self.paint("36", "<=")),
            Action::Create => format!("  {plus}"),
            Action::Update => format!("  {}", self.paint("33", "~")),
            Action::DeleteThenCreate => format!("{minus}/{plus}"),
            Action::CreateThenDelete => format!("{plus}/{minus}"),
            Action::Delete => format!("  {minus}"),
        }
    }
}

fn change_text(change: &ResourceChange, style: Style, layout: Layout) -> String {
    let mut s = String::new();
    let _ = writeln!(s, "  # {} {}", style.bold(&change.address), action_phrase(change));
    if let Some(note) = reason_note(change) {
        let _ = writeln!(s, "  # ({note})");
    }
    if change.drifted {
        s.push_str("  # (its remote object changed outside Plinth since the last apply)\n");
    }
    let (before, after) = match change.action {
        Action::Create | Action::Read => (None, change.after.as_ref()),
        Action::Delete => (change.before.as_ref(), None),
        _ => (change.before.as_ref(), change.after.as_ref()),
    };
    let mut d = Differ::new(style, &change.requires_replace);
    d.body(before, after, 6);
    let kind = match change.mode {
        Mode::Managed => "resource",
        Mode::Data => "data",
    };
    let head = match layout {
        Layout::Terminal => style.action(change.action),
        Layout::Gutter => {
            let g = match change.action {
                Action::NoOp => " ",
                Action::Read => "<=",
                Action::Create => "+",
                Action::Update => "!",
                Action::DeleteThenCreate => "-/+",
                Action::CreateThenDelete => "+/-",
                Action::Delete => "-",
            };
            format!("{g:<3}")
        }
    };
    let block = format!("{head} {kind} {} {}", quote(&change.type_name), quote(&change.name));
    if d.out.is_empty() {
        let _ = writeln!(s, "{block} {{}}");
    } else {
        let _ = writeln!(s, "{block} {{");
        s.push_str(&join(&d.out, style, layout));
        s.push_str("    }\n");
    }
    s
}

/// The output changes (no-ops hidden, by name) laid out for a ```` ```diff ```` fence; empty when
/// no output changes.
pub(crate) fn render_outputs_for_diff_fence(plan: &Plan) -> String {
    outputs_text(&shown_outputs(plan), Style { color: false }, Layout::Gutter)
}

fn shown_outputs(plan: &Plan) -> Vec<&OutputChange> {
    let mut outputs: Vec<&OutputChange> = plan.outputs.iter().filter(|o| o.action != Action::NoOp).collect();
    outputs.sort_by(|a, b| a.name.cmp(&b.name));
    outputs
}

fn outputs_text(outputs: &[&OutputChange], style: Style, layout: Layout) -> String {
    let width = outputs.iter().map(|o| o.name.chars().count()).max().unwrap_or(0);
    let mut d = Differ::new(style, &[]);
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
    join(&d.out, style, layout)
}

fn join(lines: &[Line], style: Style, layout: Layout) -> String {
    let mut s = String::new();
    for l in lines {
        let line = match layout {
            Layout::Terminal => format!("{:indent$}{} {}", "", style.sym(l.sym), l.text, indent = l.indent),
            Layout::Gutter => {
                let g = match l.sym {
                    Sym::None => ' ',
                    Sym::Add => '+',
                    Sym::Del => '-',
                    Sym::Upd => '!',
                };
                format!("{g}{:indent$} {}", "", l.text, indent = l.indent)
            }
        };
        s.push_str(line.trim_end());
        s.push('\n');
    }
    s
}

/// Builds the lines of a structural diff.
struct Differ<'a> {
    style: Style,
    /// Paths whose change forces replacement.
    replace: &'a [AttrPath],
    out: Vec<Line>,
}

impl<'a> Differ<'a> {
    fn new(style: Style, replace: &'a [AttrPath]) -> Self {
        Differ {
            style,
            replace,
            out: Vec::new(),
        }
    }

    fn push(&mut self, indent: usize, sym: Sym, text: impl Into<String>) {
        self.out.push(Line {
            indent,
            sym,
            text: text.into(),
        });
    }

    /// Appends to the last line.
    fn append(&mut self, s: &str) {
        if let Some(l) = self.out.last_mut() {
            l.text.push_str(s);
        }
    }

    /// The attributes of an object (or a single value line when a side is not an object).
    fn body(&mut self, before: Option<&Value>, after: Option<&Value>, indent: usize) {
        let before = present(before);
        let after = present(after);
        fn as_obj(v: Option<&Value>) -> Option<Option<&BTreeMap<String, Value>>> {
            match v {
                None => Some(None),
                Some(Value::Map(m)) => Some(Some(m)),
                Some(_) => None,
            }
        }
        match (as_obj(before), as_obj(after)) {
            (Some(None), Some(None)) => {}
            (Some(b), Some(a)) => self.members(b, a, &AttrPath::default(), indent, true),
            _ => self.value(
                indent,
                classify(before, after),
                String::new(),
                before,
                after,
                &AttrPath::default(),
            ),
        }
    }

    /// Member lines of two objects at `indent`; unchanged members hidden behind a count line.
    fn members(
        &mut self,
        before: Option<&BTreeMap<String, Value>>,
        after: Option<&BTreeMap<String, Value>>,
        path: &AttrPath,
        indent: usize,
        top: bool,
    ) {
        let keys: BTreeSet<&String> = before.into_iter().chain(after).flat_map(|m| m.keys()).collect();
        let mut shown = Vec::new();
        let mut hidden = 0usize;
        for k in keys {
            let b = present(before.and_then(|m| m.get(k)));
            let a = present(after.and_then(|m| m.get(k)));
            if b.is_none() && a.is_none() {
                continue;
            }
            let child = path.child(if top {
                PathStep::Attr(k.clone())
            } else {
                PathStep::Key(k.clone())
            });
            let sym = classify(b, a);
            let keep = sym != Sym::None || (top && IDENTIFYING.contains(&k.as_str())) || self.replace_below(&child);
            if keep {
                shown.push((display_name(k, top), b, a, sym, child));
            } else {
                hidden += 1;
            }
        }
        let width = shown.iter().map(|(n, ..)| n.chars().count()).max().unwrap_or(0);
        for (name, b, a, sym, child) in shown {
            self.value(indent, sym, format!("{name:<width$} = "), b, a, &child);
        }
        if hidden > 0 {
            let noun = if top { "attribute" } else { "element" };
            let plural = if hidden == 1 { "" } else { "s" };
            self.push(
                indent,
                Sym::None,
                format!("# ({hidden} unchanged {noun}{plural} hidden)"),
            );
        }
    }

    /// A line `prefix` + the diff of `before` -> `after`, plus the lines of nested values.
    fn value(
        &mut self,
        indent: usize,
        sym: Sym,
        prefix: String,
        before: Option<&Value>,
        after: Option<&Value>,
        path: &AttrPath,
    ) {
        let start = self.out.len();
        self.push(indent, sym, prefix);
        match (before, after) {
            (None, None) => self.append("null"),
            (Some(b), Some(a)) if b == a => self.full(b, indent, Sym::None),
            _ if before.is_some_and(Value::is_sensitive) || after.is_some_and(Value::is_sensitive) => {
                self.append("(sensitive)");
                if after.is_none() {
                    self.append(" -> null");
                }
            }
            (None, Some(a)) => self.full(a, indent, Sym::Add),
            (Some(b), None) => {
                self.full(b, indent, Sym::Del);
                self.append(" -> null");
            }
            (Some(b), Some(Value::Unknown)) => {
                self.full(b, indent, Sym::Del);
                self.append(" -> (known after apply)");
            }
            (Some(Value::String(b)), Some(Value::String(a)))
                if (b.contains('\n') || a.contains('\n')) && self.heredoc_diff(b, a, indent) => {}
            (Some(Value::Map(b)), Some(Value::Map(a))) => {
                self.append("{");
                self.members(Some(b), Some(a), path, indent + 4, false);
                self.push(indent, Sym::None, "}");
            }
            (Some(Value::List(b)), Some(Value::List(a))) => self.list_diff(b, a, indent, path),
            (Some(b), Some(a)) => {
                self.full(b, indent, Sym::Del);
                self.append(" -> ");
                self.full(a, indent, Sym::Add);
            }
        }
        if self.replace.iter().any(|p| same_path(p, path)) && !path.0.is_empty() {
            let note = format!(" {}", self.style.paint("31", "# forces replacement"));
            self.out[start].text.push_str(&note);
        }
    }

    /// The whole of `v` appended to the last line; nested elements get `sym`.
    fn full(&mut self, v: &Value, indent: usize, sym: Sym) {
        match v {
            Value::Null => self.append("null"),
            Value::Bool(b) => self.append(&b.to_string()),
            Value::Number(n) => self.append(&format_number(*n)),
            Value::Unknown => self.append("(known after apply)"),
            Value::Sensitive(_) => self.append("(sensitive)"),
            Value::String(s) if s.contains('\n') => {
                self.append("<<-EOT");
                for line in text_lines(s) {
                    self.push(indent + 4, Sym::None, line);
                }
                self.push(indent, Sym::None, "EOT");
            }
            Value::String(s) => self.append(&quote(s)),
            Value::List(items) if items.is_empty() => self.append("[]"),
            Value::List(items) => {
                self.append("[");
                for item in items {
                    self.push(indent + 4, sym, "");
                    self.full(item, indent + 4, sym);
                    self.append(",");
                }
                self.push(indent, Sym::None, "]");
            }
            Value::Map(m) => {
                let entries: Vec<(String, &Value)> = m
                    .iter()
                    .filter(|(_, v)| sym == Sym::None || !matches!(v, Value::Null))
                    .map(|(k, v)| (display_name(k, false), v))
                    .collect();
                if entries.is_empty() {
                    self.append("{}");
                    return;
                }
                self.append("{");
                let width = entries.iter().map(|(n, _)| n.chars().count()).max().unwrap_or(0);
                for (name, v) in entries {
                    self.push(indent + 4, sym, format!("{name:<width$} = "));
                    self.full(v, indent + 4, sym);
                }
                self.push(indent, Sym::None, "}");
            }
        }
    }

    /// A list diff: elements matched by a longest common subsequence, runs of unchanged elements
    /// hidden behind a count, and changed objects at the same place diffed in place.
    fn list_diff(&mut self, before: &[Value], after: &[Value], indent: usize, path: &AttrPath) {
        // Debug text identifies an element exactly; it is compared, never printed.
        let bk: Vec<String> = before.iter().map(|v| format!("{v:?}")).collect();
        let ak: Vec<String> = after.iter().map(|v| format!("{v:?}")).collect();
        self.append("[");
        let mut hidden = 0usize;
        for op in capture_diff_slices(Algorithm::Myers, &bk, &ak) {
            let (tag, old, new) = op.as_tag_tuple();
            if tag == similar::DiffTag::Equal {
                hidden += old.len();
                continue;
            }
            self.flush_hidden(&mut hidden, indent + 4, "element");
            let olds: Vec<usize> = old.collect();
            let news: Vec<usize> = new.collect();
            let paired = olds.len().min(news.len());
            for k in 0..paired {
                let (b, a) = (&before[olds[k]], &after[news[k]]);
                if is_collection(b) && is_collection(a) && std::mem::discriminant(b) == std::mem::discriminant(a) {
                    let child = path.child(PathStep::Index(news[k]));
                    self.value(indent + 4, Sym::Upd, String::new(), Some(b), Some(a), &child);
                    self.append(",");
                } else {
                    self.element(b, indent + 4, Sym::Del);
                    self.element(a, indent + 4, Sym::Add);
                }
            }
            for &i in &olds[paired..] {
                self.element(&before[i], indent + 4, Sym::Del);
            }
            for &j in &news[paired..] {
                self.element(&after[j], indent + 4, Sym::Add);
            }
        }
        self.flush_hidden(&mut hidden, indent + 4, "element");
        self.push(indent, Sym::None, "]");
    }

    fn element(&mut self, v: &Value, indent: usize, sym: Sym) {
        self.push(indent, sym, "");
        self.full(v, indent, sym);
        self.append(",");
    }

    fn flush_hidden(&mut self, hidden: &mut usize, indent: usize, noun: &str) {
        if *hidden > 0 {
            let plural = if *hidden == 1 { "" } else { "s" };
            self.push(
                indent,
                Sym::None,
                format!("# ({hidden} unchanged {noun}{plural} hidden)"),
            );
            *hidden = 0;
        }
    }

    /// A heredoc line diff of two strings; false (nothing written) when their lines are equal,
    /// such as when only a final newline differs. Unchanged lines more than [`CONTEXT_LINES`]
    /// away from a change are hidden behind a count (a single such line is simply shown).
    fn heredoc_diff(&mut self, before: &str, after: &str, indent: usize) -> bool {
        let old = text_lines(before);
        let new = text_lines(after);
        if old == new {
            return false;
        }
        self.append("<<-EOT");
        let mut rows: Vec<(Sym, &str)> = Vec::with_capacity(old.len().max(new.len()));
        for op in capture_diff_slices(Algorithm::Myers, &old, &new) {
            let (tag, o, n) = op.as_tag_tuple();
            if tag == similar::DiffTag::Equal {
                rows.extend(o.map(|i| (Sym::None, old[i])));
            } else {
                rows.extend(o.map(|i| (Sym::Del, old[i])));
                rows.extend(n.map(|j| (Sym::Add, new[j])));
            }
        }
        // A line is shown when a change lies within CONTEXT_LINES before or after it.
        let mut visible = vec![false; rows.len()];
        let mut since_change = usize::MAX;
        for (i, (sym, _)) in rows.iter().enumerate() {
            since_change = if *sym == Sym::None {
                since_change.saturating_add(1)
            } else {
                0
            };
            visible[i] = since_change <= CONTEXT_LINES;
        }
        since_change = usize::MAX;
        for (i, (sym, _)) in rows.iter().enumerate().rev() {
            since_change = if *sym == Sym::None {
                since_change.saturating_add(1)
            } else {
                0
            };
            visible[i] |= since_change <= CONTEXT_LINES;
        }
        let mut i = 0;
        while i < rows.len() {
            let run = visible[i..].iter().take_while(|v| !**v).count();
            if run > 1 {
                let mut hidden = run;
                self.flush_hidden(&mut hidden, indent + 4, "line");
                i += run;
                continue;
            }
            let (sym, text) = rows[i];
            self.push(indent + 4, sym, text);
            i += 1;
        }
        self.push(indent, Sym::None, "EOT");
        true
    }

    /// Whether a replace path lies at or below `path`.
    fn replace_below(&self, path: &AttrPath) -> bool {
        self.replace
            .iter()
            .any(|p| p.0.len() >= path.0.len() && same_path(&AttrPath(p.0[..path.0.len()].to_vec()), path))
    }
}

/// `None` for an absent or null value (a secret redacted to null still counts as present).
fn present(v: Option<&Value>) -> Option<&Value> {
    v.filter(|v| !matches!(v, Value::Null))
}

fn classify(before: Option<&Value>, after: Option<&Value>) -> Sym {
    match (before, after) {
        (None, None) => Sym::None,
        (None, Some(_)) => Sym::Add,
        (Some(_), None) => Sym::Del,
        (Some(b), Some(a)) if b == a => Sym::None,
        _ => Sym::Upd,
    }
}

fn is_collection(v: &Value) -> bool {
    matches!(v, Value::Map(_) | Value::List(_))
}

/// Paths compared with attribute and map-key steps treated alike (providers use either).
fn same_path(a: &AttrPath, b: &AttrPath) -> bool {
    a.0.len() == b.0.len()
        && a.0.iter().zip(&b.0).all(|(x, y)| match (x, y) {
            (PathStep::Attr(x) | PathStep::Key(x), PathStep::Attr(y) | PathStep::Key(y)) => x == y,
            (PathStep::Index(x), PathStep::Index(y)) => x == y,
            _ => false,
        })
}

/// The lines of a multi-line string, without the empty line after a final newline.
fn text_lines(s: &str) -> Vec<&str> {
    s.strip_suffix('\n').unwrap_or(s).split('\n').collect()
}

fn quote(s: &str) -> String {
    serde_json::to_string(s).unwrap_or_else(|_| format!("{s:?}"))
}

/// A member name: top-level attribute names as they are, nested keys quoted unless identifiers.
fn display_name(k: &str, top: bool) -> String {
    let ident = k.chars().next().is_some_and(|c| c.is_alphabetic() || c == '_')
        && k.chars().all(|c| c.is_alphanumeric() || c == '_' || c == '-');
    if top || ident { k.to_string() } else { quote(k) }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::addrs::Key;
    use expect_test::expect;

    fn rc(address: &str, type_name: &str, name: &str, key: Key, action: Action) -> ResourceChange {
        ResourceChange {
            address: address.to_string(),
            module: Vec::new(),
            mode: Mode::Managed,
            type_name: type_name.to_string(),
            name: name.to_string(),
            key,
            provider: "local".to_string(),
            action,
            before: None,
            after: None,
            config: None,
            requires_replace: Vec::new(),
            reason: None,
            dependencies: Vec::new(),
            create_before_destroy: false,
            drifted: false,
        }
    }

    fn plan(changes: Vec<ResourceChange>, outputs: Vec<OutputChange>) -> Plan {
        Plan {
            env: "default".to_string(),
            lineage: "l".to_string(),
            serial: 1,
            config_hash: "h".to_string(),
            variables: BTreeMap::new(),
            changes,
            outputs,
            destroy: false,
            targets: Vec::new(),
            timestamp: "2025-01-01T00:00:00Z".to_string(),
        }
    }

    fn s(v: &str) -> Value {
        Value::string(v)
    }

    /// One plan with every kind of change, shared with the markdown tests.
    pub(crate) fn sample_plan() -> Plan {
        let mut create = rc("local_file.spec", "local_file", "spec", Key::None, Action::Create);
        create.after = Some(Value::object([
            ("content", s("hello")),
            ("file_permission", s("0644")),
            ("id", Value::Unknown),
            ("path", s("out/spec.yaml")),
            ("password", s("hunter2").mark()),
            ("unset", Value::Null),
            (
                "labels",
                Value::object([
                    ("team", s("ml")),
                    ("cost center", Value::Number(42.0)),
                    ("gpu", Value::Bool(true)),
                ]),
            ),
        ]));

        let script: String = (1..=12).map(|i| format!("line {i}\n")).collect();
        let mut update = rc("local_value.v[0]", "local_value", "v", Key::Int(0), Action::Update);
        update.before = Some(Value::object([
            ("id", s("abc")),
            ("input", s("a")),
            ("output", s("a")),
            ("keep", s("same")),
            ("script", Value::String(script.clone())),
            ("tags", Value::object([("a", s("1")), ("b", s("2")), ("c", s("3"))])),
            (
                "ports",
                Value::List(vec![Value::Number(80.0), Value::Number(443.0), Value::Number(8080.0)]),
            ),
        ]));
        update.after = Some(Value::object([
            ("id", s("abc")),
            ("input", s("b")),
            ("output", Value::Unknown),
            ("keep", s("same")),
            ("script", Value::String(script.replace("line 5\n", "line five\n"))),
            ("tags", Value::object([("a", s("1")), ("b", s("two")), ("d", s("4"))])),
            (
                "ports",
                Value::List(vec![Value::Number(80.0), Value::Number(8443.0), Value::Number(8080.0)]),
            ),
        ]));
        update.drifted = true;

        let mut replace = rc("local_file.x", "local_file", "x", Key::None, Action::DeleteThenCreate);
        replace.before = Some(Value::object([("id", s("x1")), ("path", s("a")), ("content", s("c"))]));
        replace.after = Some(Value::object([
            ("id", Value::Unknown),
            ("path", s("b")),
            ("content", s("c")),
        ]));
        replace.requires_replace = vec![AttrPath::attr("path")];
        replace.reason = Some("cannot update in place".to_string());

        let mut delete = rc("local_file.old", "local_file", "old", Key::None, Action::Delete);
        delete.before = Some(Value::object([
            ("path", s("x")),
            ("secret", Value::Sensitive(Box::new(Value::Null))),
            ("columns", Value::List(vec![Value::object([("name", s("c1"))])])),
            ("nothing", Value::Null),
        ]));
        delete.reason = Some("no longer in the configuration".to_string());

        let noop = rc("local_file.same", "local_file", "same", Key::None, Action::NoOp);

        let outputs = vec![
            OutputChange {
                name: "url".to_string(),
                action: Action::Create,
                before: None,
                after: Some(s("http://localhost:8080")),
                sensitive: false,
            },
            OutputChange {
                name: "token".to_string(),
                action: Action::Update,
                before: Some(s("old")),
                after: Some(s("hunter2")),
                sensitive: true,
            },
            OutputChange {
                name: "same".to_string(),
                action: Action::NoOp,
                before: Some(s("x")),
                after: Some(s("x")),
                sensitive: false,
            },
        ];
        plan(vec![delete, update, noop, replace, create], outputs)
    }

    #[test]
    fn full_plan_renders_like_terraform() {
        let text = render_plan(&sample_plan(), false);
        assert!(!text.contains("hunter2"));
        assert!(!text.contains('\x1b'));
        expect![[r#"
            Plinth will perform the following actions:

              # local_file.old will be destroyed
              # (because local_file.old is not in the configuration)
              - resource "local_file" "old" {
                  - columns = [
                      - {
                          - name = "c1"
                        },
                    ] -> null
                  - path    = "x" -> null
                  - secret  = (sensitive) -> null
                }

              # local_file.spec will be created
              + resource "local_file" "spec" {
                  + content         = "hello"
                  + file_permission = "0644"
                  + id              = (known after apply)
                  + labels          = {
                      + "cost center" = 42
                      + gpu           = true
                      + team          = "ml"
                    }
                  + password        = (sensitive)
                  + path            = "out/spec.yaml"
                }

              # local_file.x must be replaced
            -/+ resource "local_file" "x" {
                  ~ id   = "x1" -> (known after apply)
                  ~ path = "a" -> "b" # forces replacement
                    # (1 unchanged attribute hidden)
                }

              # local_value.v[0] will be updated in place
              # (its remote object changed outside Plinth since the last apply)
              ~ resource "local_value" "v" {
                    id     = "abc"
                  ~ input  = "a" -> "b"
                  ~ output = "a" -> (known after apply)
                  ~ ports  = [
                        # (1 unchanged element hidden)
                      - 443,
                      + 8443,
                        # (1 unchanged element hidden)
                    ]
                  ~ script = <<-EOT
                        line 1
                        line 2
                        line 3
                        line 4
                      - line 5
                      + line five
                        line 6
                        line 7
                        line 8
                        # (4 unchanged lines hidden)
                    EOT
                  ~ tags   = {
                      ~ b = "2" -> "two"
                      - c = "3" -> null
                      + d = "4"
                        # (1 unchanged element hidden)
                    }
                    # (1 unchanged attribute hidden)
                }

            Plan: 2 to add, 1 to change, 2 to destroy.

            Changes to Outputs:
              ~ token = (sensitive)
              + url   = "http://localhost:8080"
        "#]]
        .assert_eq(&text);
    }

    #[test]
    fn colour_only_when_asked() {
        let text = render_plan(&sample_plan(), true);
        assert!(text.contains("\x1b[32m+\x1b[0m"));
        assert!(text.contains("\x1b[33m~\x1b[0m"));
        assert!(text.contains("\x1b[31m-\x1b[0m"));
        assert!(text.contains("\x1b[1mlocal_file.spec\x1b[0m"));
        assert!(!text.contains("hunter2"));
    }

    #[test]
    fn no_changes() {
        let mut p = plan(
            vec![rc("local_file.a", "local_file", "a", Key::None, Action::NoOp)],
            Vec::new(),
        );
        let text = render_plan(&p, false);
        assert!(text.starts_with("No changes. Your infrastructure matches the configuration.\n"));
        assert!(!text.contains("Plan:"));
        p.destroy = true;
        assert!(render_plan(&p, false).starts_with("No changes. No objects need to be destroyed."));
    }

    #[test]
    fn destroy_plan_summary() {
        let mut d = rc("local_file.a", "local_file", "a", Key::Str("k".into()), Action::Delete);
        d.address = "local_file.a[\"k\"]".to_string();
        d.before = Some(Value::object([("path", s("p"))]));
        d.reason = Some("destroy".to_string());
        let mut p = plan(vec![d], Vec::new());
        p.destroy = true;
        expect![[r#"
            Plinth will perform the following actions:

              # local_file.a["k"] will be destroyed
              - resource "local_file" "a" {
                  - path = "p" -> null
                }

            Plan: 0 to add, 0 to change, 1 to destroy.
        "#]]
        .assert_eq(&render_plan(&p, false));
    }

    #[test]
    fn outputs_only_and_read() {
        let mut read = rc("data.local_file.d", "local_file", "d", Key::None, Action::Read);
        read.mode = Mode::Data;
        read.after = Some(Value::object([("path", s("p")), ("content", Value::Unknown)]));
        read.reason = Some("configuration known only after apply".to_string());
        let text = render_plan(&plan(vec![read], Vec::new()), false);
        expect![[r#"
            Plinth will perform the following actions:

              # data.local_file.d will be read during apply
              # (config refers to values not yet known)
             <= data "local_file" "d" {
                  + content = (known after apply)
                  + path    = "p"
                }

            Plan: 0 to add, 0 to change, 0 to destroy.
        "#]]
        .assert_eq(&text);

        let out = OutputChange {
            name: "x".to_string(),
            action: Action::Delete,
            before: Some(Value::List(vec![s("a")])),
            after: None,
            sensitive: false,
        };
        expect![[r#"
            Changes to Outputs:
              - x = [
                  - "a",
                ] -> null

            You can apply this plan to save these new output values to the Plinth state, without changing any real infrastructure.
        "#]]
        .assert_eq(&render_plan(&plan(Vec::new(), vec![out]), false));
    }

    #[test]
    fn forces_replacement_inside_nested_and_multiline_create() {
        let mut r = rc("local_file.n", "local_file", "n", Key::None, Action::CreateThenDelete);
        r.before = Some(Value::object([(
            "spec",
            Value::object([("image", s("a")), ("port", Value::Number(1.0))]),
        )]));
        r.after = Some(Value::object([(
            "spec",
            Value::object([("image", s("b")), ("port", Value::Number(1.0))]),
        )]));
        r.requires_replace = vec![AttrPath::parse("spec.image").expect("path")];
        let mut c = rc("local_file.m", "local_file", "m", Key::None, Action::Create);
        c.after = Some(Value::object([
            ("content", s("a: 1\nb: 2\n")),
            ("empty", Value::Map(BTreeMap::new())),
        ]));
        expect![[r#"
            Plinth will perform the following actions:

              # local_file.m will be created
              + resource "local_file" "m" {
                  + content = <<-EOT
                        a: 1
                        b: 2
                    EOT
                  + empty   = {}
                }

              # local_file.n must be replaced
            +/- resource "local_file" "n" {
                  ~ spec = {
                      ~ image = "a" -> "b" # forces replacement
                        # (1 unchanged element hidden)
                    }
                }

            Plan: 2 to add, 0 to change, 1 to destroy.
        "#]]
        .assert_eq(&render_plan(&plan(vec![r, c], Vec::new()), false));
    }

    #[test]
    fn value_diff_for_drift_reports() {
        let recorded = Value::object([("id", s("i")), ("size", Value::Number(1.0)), ("tier", s("gold"))]);
        let live = Value::object([("id", s("i")), ("size", Value::Number(2.0)), ("tier", s("gold"))]);
        assert_eq!(
            render_value_diff(Some(&recorded), Some(&live), 4, false),
            "      id   = \"i\"\n    ~ size = 1 -> 2\n      # (1 unchanged attribute hidden)\n"
        );
        assert_eq!(
            render_value_diff(Some(&recorded), None, 4, false),
            "    - id   = \"i\" -> null\n    - size = 1 -> null\n    - tier = \"gold\" -> null\n"
        );
        assert_eq!(
            render_value_diff(Some(&s("a")), Some(&s("b")), 4, false),
            "    ~ \"a\" -> \"b\"\n"
        );
        assert_eq!(
            render_value_diff(None, Some(&s("a")), 0, true),
            "\x1b[32m+\x1b[0m \"a\"\n"
        );
    }

    #[test]
    fn diff_fence_layout_moves_symbols_to_the_first_column() {
        let p = sample_plan();
        let update = p.changes.iter().find(|c| c.action == Action::Update).expect("update");
        let text = render_change_for_diff_fence(update);
        assert!(text.contains("!   resource \"local_value\" \"v\" {\n"));
        assert!(text.contains("!       input  = \"a\" -> \"b\"\n"));
        assert!(text.contains("-           line 5\n"));
        assert!(text.contains("+           line five\n"));
        assert!(text.contains("            line 4\n"));
    }
}
