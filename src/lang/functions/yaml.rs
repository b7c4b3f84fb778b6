//! YAML, written the way Terraform's `yamlencode` (go-cty-yaml over libyaml) writes it, and
//! read for `yamldecode`. What the functions call lives in `encoding.rs`.

use super::*;
use plinth_sdk::Map;

/// libyaml's line width for folding long double-quoted values.
const WIDTH: usize = 80;

pub(super) fn encode(v: &Value) -> String {
    let mut w = Writer::default();
    match v {
        Value::Map(m) if !m.is_empty() => w.mapping(m, 0),
        Value::List(l) if !l.is_empty() => w.sequence(l, 0),
        Value::String(_) | Value::Map(_) | Value::List(_) => w.scalar(v, 2),
        other => {
            // A plain scalar at the root leaves the document open: libyaml closes it with `...`.
            w.scalar(other, 2);
            w.newline();
            w.put("...");
        }
    }
    w.newline();
    w.out
}

#[derive(Default)]
struct Writer {
    out: String,
    col: usize,
}

impl Writer {
    fn put(&mut self, s: &str) {
        for c in s.chars() {
            if c == '\n' {
                self.col = 0;
            } else {
                self.col += 1;
            }
        }
        self.out.push_str(s);
    }

    fn newline(&mut self) {
        if self.col > 0 {
            self.put("\n");
        }
    }

    /// Moves to the start of a fresh line indented by `indent`.
    fn start_line(&mut self, indent: usize) {
        if self.col != 0 {
            self.put("\n");
        }
        self.put(&" ".repeat(indent));
    }

    /// A block mapping whose keys sit at `indent`; the first key may continue the current line
    /// (after `- `).
    fn mapping(&mut self, m: &Map, indent: usize) {
        for (i, (k, v)) in m.iter().enumerate() {
            if i > 0 || self.col != indent {
                self.start_line(indent);
            }
            self.double_quoted(k, indent, false);
            self.put(":");
            match v {
                Value::Map(inner) if !inner.is_empty() => {
                    self.put("\n");
                    self.mapping(inner, indent + 2);
                }
                Value::List(items) if !items.is_empty() => {
                    // Sequences in a mapping are not indented (libyaml's "indentless" style).
                    self.put("\n");
                    self.sequence(items, indent);
                }
                v => {
                    self.put(" ");
                    self.scalar(v, indent + 2);
                }
            }
        }
    }

    fn sequence(&mut self, l: &[Value], indent: usize) {
        for (i, v) in l.iter().enumerate() {
            if i > 0 || self.col != indent {
                self.start_line(indent);
            }
            self.put("- ");
            match v {
                Value::Map(inner) if !inner.is_empty() => self.mapping(inner, indent + 2),
                Value::List(items) if !items.is_empty() => self.sequence(items, indent + 2),
                v => self.scalar(v, indent + 2),
            }
        }
    }

    /// A scalar (or empty collection) whose continuation lines are indented by `indent`.
    fn scalar(&mut self, v: &Value, indent: usize) {
        match v {
            Value::Null | Value::Unknown => self.put("null"),
            Value::Bool(b) => self.put(if *b { "true" } else { "false" }),
            Value::Number(n) if n.as_f64().is_nan() => self.put(".nan"),
            Value::Number(n) if !n.is_finite() => self.put(if n.is_negative() { "-Inf" } else { "+Inf" }),
            Value::Number(n) => self.put(&n.to_string()),
            Value::String(s) if s.contains('\n') && literal_allowed(s) => self.literal(s, indent),
            Value::String(s) => self.double_quoted(s, indent, true),
            Value::List(_) => self.put("[]"),
            Value::Map(_) => self.put("{}"),
            Value::Sensitive(inner) => self.scalar(inner, indent),
        }
    }

    fn literal(&mut self, s: &str, indent: usize) {
        let mut header = String::from("|");
        if s.starts_with([' ', '\n']) {
            header.push('2');
        }
        let trailing = s.len() - s.trim_end_matches('\n').len();
        header.push(match trailing {
            0 => '-',
            1 if s.len() > 1 => ' ',
            _ => '+',
        });
        self.put(header.trim_end());
        self.put("\n");
        let mut at_line_start = true;
        for c in s.chars() {
            if c == '\n' {
                self.put("\n");
                at_line_start = true;
            } else {
                if at_line_start {
                    self.put(&" ".repeat(indent));
                    at_line_start = false;
                }
                let mut buf = [0u8; 4];
                self.put(c.encode_utf8(&mut buf));
            }
        }
    }

    fn double_quoted(&mut self, s: &str, indent: usize, allow_breaks: bool) {
        self.put("\"");
        let chars: Vec<char> = s.chars().collect();
        let mut spaces = false;
        for (i, &c) in chars.iter().enumerate() {
            if !printable(c) || c == '\u{FEFF}' || is_break(c) || c == '"' || c == '\\' {
                self.put(&escape(c));
                spaces = false;
            } else if c == ' ' {
                if allow_breaks && !spaces && self.col > WIDTH && i != 0 && i != chars.len() - 1 {
                    self.put("\n");
                    self.put(&" ".repeat(indent));
                    if chars.get(i + 1) == Some(&' ') {
                        self.put("\\");
                    }
                } else {
                    self.put(" ");
                }
                spaces = true;
            } else {
                let mut buf = [0u8; 4];
                self.put(c.encode_utf8(&mut buf));
                spaces = false;
            }
        }
        self.put("\"");
    }
}

fn printable(c: char) -> bool {
    let c = c as u32;
    c == 0x0A
        || (0x20..=0x7E).contains(&c)
        || (0xA0..=0xD7FF).contains(&c)
        || ((0xE000..=0xFFFD).contains(&c) && c != 0xFEFF)
}

fn is_break(c: char) -> bool {
    matches!(c, '\r' | '\n' | '\u{85}' | '\u{2028}' | '\u{2029}')
}

fn escape(c: char) -> String {
    match c {
        '\0' => "\\0".into(),
        '\u{7}' => "\\a".into(),
        '\u{8}' => "\\b".into(),
        '\t' => "\\t".into(),
        '\n' => "\\n".into(),
        '\u{B}' => "\\v".into(),
        '\u{C}' => "\\f".into(),
        '\r' => "\\r".into(),
        '\u{1B}' => "\\e".into(),
        '"' => "\\\"".into(),
        '\\' => "\\\\".into(),
        '\u{85}' => "\\N".into(),
        '\u{A0}' => "\\_".into(),
        '\u{2028}' => "\\L".into(),
        '\u{2029}' => "\\P".into(),
        c if (c as u32) <= 0xFF => format!("\\x{:02X}", c as u32),
        c if (c as u32) <= 0xFFFF => format!("\\u{:04X}", c as u32),
        c => format!("\\U{:08X}", c as u32),
    }
}

/// Whether libyaml would write a multi-line string in literal block style.
fn literal_allowed(s: &str) -> bool {
    !s.ends_with(' ')
        && !s.contains(" \n")
        && s.chars()
            .all(|c| c == '\n' || (printable(c) && !is_break(c) && c != '\u{FEFF}'))
}

/// A decoded YAML document as a [`Value`]; mapping keys become strings.
pub(super) fn to_value(v: serde_norway::Value) -> Value {
    use serde_norway::Value as Y;
    match v {
        Y::Null => Value::Null,
        Y::Bool(b) => Value::Bool(b),
        Y::Number(n) => Value::from(if let Some(i) = n.as_i64() {
            Number::from(i)
        } else if let Some(u) = n.as_u64() {
            Number::from(u)
        } else {
            Number::from_f64(n.as_f64().unwrap_or(f64::NAN))
        }),
        Y::String(s) => Value::String(s),
        Y::Sequence(items) => Value::List(items.into_iter().map(to_value).collect()),
        Y::Mapping(m) => Value::Map(
            m.into_iter()
                .map(|(k, v)| {
                    let key = match to_value(k) {
                        Value::String(s) => s,
                        Value::Null => "null".into(),
                        other => json_text(&other),
                    };
                    (key, to_value(v))
                })
                .collect(),
        ),
        Y::Tagged(t) => to_value(t.value),
    }
}
