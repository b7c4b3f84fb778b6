//! The structural diff of two values as plan lines: attributes and nested maps and lists open
//! with a symbol per element, multi-line strings become a heredoc line diff (via `similar`),
//! unchanged attributes of an update are hidden behind a count, `# forces replacement` marks
//! the paths that force it. Sensitive values print as `(sensitive)`, unknown ones as
//! `(known after apply)`. It knows nothing of resources or plans, only of values and paths.

use std::collections::BTreeSet;

use plinth_sdk::Map;
use plinth_sdk::{AttrPath, PathStep, Value};
use similar::{Algorithm, capture_diff_slices};

use crate::style;

use super::lines::{Line, Painter, Sym};

/// Top-level attributes shown in an update even when unchanged, so the reader knows which object
/// the change is about.
const IDENTIFYING: [&str; 3] = ["id", "name", "path"];

/// Unchanged lines kept around each change in a heredoc diff.
const CONTEXT_LINES: usize = 3;

/// Builds the lines of a structural diff.
pub(super) struct Differ<'a> {
    painter: Painter,
    /// Paths whose change forces replacement.
    replace: &'a [AttrPath],
    pub(super) out: Vec<Line>,
}

impl<'a> Differ<'a> {
    pub(super) fn new(painter: Painter, replace: &'a [AttrPath]) -> Self {
        Differ {
            painter,
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
    pub(super) fn body(&mut self, before: Option<&Value>, after: Option<&Value>, indent: usize) {
        let before = present(before);
        let after = present(after);
        fn as_obj(v: Option<&Value>) -> Option<Option<&Map>> {
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
    fn members(&mut self, before: Option<&Map>, after: Option<&Map>, path: &AttrPath, indent: usize, top: bool) {
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
    pub(super) fn value(
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
            let note = format!(" {}", self.painter.paint(style::REMOVE, "# forces replacement"));
            self.out[start].text.push_str(&note);
        }
    }

    /// The whole of `v` appended to the last line; nested elements get `sym`.
    fn full(&mut self, v: &Value, indent: usize, sym: Sym) {
        match v {
            Value::Null => self.append("null"),
            Value::Bool(b) => self.append(&b.to_string()),
            Value::Number(n) => self.append(&n.to_string()),
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

pub(super) fn quote(s: &str) -> String {
    serde_json::to_string(s).unwrap_or_else(|_| format!("{s:?}"))
}

/// A member name: top-level attribute names as they are, nested keys quoted unless identifiers.
fn display_name(k: &str, top: bool) -> String {
    let ident = k.chars().next().is_some_and(|c| c.is_alphabetic() || c == '_')
        && k.chars().all(|c| c.is_alphanumeric() || c == '_' || c == '-');
    if top || ident { k.to_string() } else { quote(k) }
}
