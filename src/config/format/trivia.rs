//! Trivia, the whitespace and comments between two tokens: [`Trivia`] reads a decor's raw text
//! into comments grouped by line, and the `render_*` functions write it back in canonical form for
//! each place it can sit (inside an expression, between bracket items, before and after the
//! structures of a body, at the end of the file). Which place is which is for the callers.

use hcl::edit::{Decor, RawString};

/// Comments between two tokens, grouped by line. `segs[0]` is what follows the previous token on
/// its line, the last entry what precedes the next token on its line; the entries in between are
/// whole lines (an empty one is a blank line). There is one entry more than there are line breaks.
#[derive(Debug)]
pub(super) struct Trivia {
    pub(super) segs: Vec<Vec<String>>,
}

enum Tok {
    Newline,
    Comment(String),
    /// The end of a raw part that ended right after a line comment: the line break that ends the
    /// comment is a token of its own (such as an object item's newline terminator).
    ImpliedNewline,
}

impl Trivia {
    pub(super) fn parse(raw: &str) -> Trivia {
        Trivia::from_parts(&[raw])
    }

    /// Trivia of several adjacent raw strings (for instance the suffix of one item and the prefix
    /// of the next, with a separator between them that is printed elsewhere).
    pub(super) fn from_parts(parts: &[&str]) -> Trivia {
        let mut toks = Vec::new();
        for part in parts {
            lex(part, &mut toks);
            if matches!(toks.last(), Some(Tok::Comment(c)) if is_line_comment(c)) {
                toks.push(Tok::ImpliedNewline);
            }
        }
        let mut segs = vec![Vec::new()];
        for (i, tok) in toks.iter().enumerate() {
            match tok {
                Tok::Newline => segs.push(Vec::new()),
                Tok::ImpliedNewline => {
                    if !matches!(toks.get(i + 1), Some(Tok::Newline)) {
                        segs.push(Vec::new());
                    }
                }
                Tok::Comment(c) => {
                    if let Some(seg) = segs.last_mut() {
                        seg.push(c.clone());
                    }
                }
            }
        }
        Trivia { segs }
    }

    pub(super) fn has_newline(&self) -> bool {
        self.segs.len() > 1
    }

    /// More than one line break: a blank line or a comment line.
    pub(super) fn has_own_lines(&self) -> bool {
        self.segs.len() > 2
    }

    pub(super) fn has_comments(&self) -> bool {
        self.segs.iter().any(|s| !s.is_empty())
    }

    pub(super) fn comments(&self) -> Vec<String> {
        self.segs.iter().flatten().cloned().collect()
    }

    pub(super) fn first(&self) -> &[String] {
        self.segs.first().map_or(&[], Vec::as_slice)
    }

    pub(super) fn last(&self) -> &[String] {
        self.segs.last().map_or(&[], Vec::as_slice)
    }

    pub(super) fn middle(&self) -> &[Vec<String>] {
        if self.segs.len() > 2 {
            &self.segs[1..self.segs.len() - 1]
        } else {
            &[]
        }
    }
}

fn lex(raw: &str, toks: &mut Vec<Tok>) {
    let mut rest = raw;
    while let Some(c) = rest.chars().next() {
        let len = if c == '\n' {
            toks.push(Tok::Newline);
            1
        } else if c.is_whitespace() {
            c.len_utf8()
        } else if rest.starts_with('#') || rest.starts_with("//") {
            let end = rest.find('\n').unwrap_or(rest.len());
            toks.push(Tok::Comment(rest[..end].trim_end().to_string()));
            end
        } else if let Some(body) = rest.strip_prefix("/*") {
            let end = body.find("*/").map_or(rest.len(), |p| p + 4);
            let text = rest[..end].lines().map(str::trim_end).collect::<Vec<_>>().join("\n");
            toks.push(Tok::Comment(text));
            end
        } else {
            // Not expected between tokens; keep it verbatim rather than lose it.
            let end = rest.find(char::is_whitespace).unwrap_or(rest.len());
            toks.push(Tok::Comment(rest[..end].to_string()));
            end
        };
        rest = &rest[len..];
    }
}

pub(super) fn is_line_comment(c: &str) -> bool {
    c.starts_with('#') || c.starts_with("//")
}

pub(super) fn join(comments: &[String]) -> String {
    comments.join(" ")
}

pub(super) fn ind(level: usize) -> String {
    "  ".repeat(level)
}

pub(super) fn raw_str(raw: Option<&RawString>) -> &str {
    raw.map_or("", |r| &**r)
}

pub(super) fn raw_prefix(decor: &Decor) -> &str {
    raw_str(decor.prefix())
}

pub(super) fn raw_suffix(decor: &Decor) -> &str {
    raw_str(decor.suffix())
}

/// Renders trivia inside an expression: `default` when it holds nothing, line breaks kept (with
/// the next line indented by `nl_indent`), comments kept.
pub(super) fn render_gap(t: &Trivia, default: &str, nl_indent: &str) -> String {
    if !t.has_newline() {
        let cs = t.first();
        return if cs.is_empty() {
            default.to_string()
        } else {
            format!(" {} ", join(cs))
        };
    }
    let mut out = String::new();
    if !t.first().is_empty() {
        out.push(' ');
        out.push_str(&join(t.first()));
    }
    out.push('\n');
    for seg in t.middle() {
        if !seg.is_empty() {
            out.push_str(nl_indent);
            out.push_str(&join(seg));
            out.push('\n');
        }
    }
    out.push_str(nl_indent);
    if !t.last().is_empty() {
        out.push_str(&join(t.last()));
        out.push(' ');
    }
    out
}

/// Rewrites the prefix and suffix of a decor with [`render_gap`].
pub(super) fn set_gaps(
    decor: &mut Decor,
    prefix_default: &str,
    suffix_default: &str,
    nl_indent: &str,
    close_indent: &str,
) {
    let prefix = render_gap(&Trivia::parse(raw_prefix(decor)), prefix_default, nl_indent);
    let suffix = render_gap(&Trivia::parse(raw_suffix(decor)), suffix_default, close_indent);
    decor.set_prefix(prefix);
    decor.set_suffix(suffix);
}

/// Renders the trivia before an item of a multi-line bracket (`close` is `None`) or before its
/// closing bracket (`close` is the bracket's indentation). Returns the part that stays on the
/// previous line (a trailing comment, preceded by `head_sep`) and the part after the line break.
pub(super) fn render_list_gap(
    t: &Trivia,
    item_ind: &str,
    close: Option<&str>,
    at_open: bool,
    head_sep: &str,
) -> (String, String) {
    let mut head = String::new();
    let mut rest = String::new();
    if !t.has_newline() {
        let cs = t.first();
        match close {
            Some(ci) => {
                if !cs.is_empty() {
                    head = format!("{head_sep}{}", join(cs));
                }
                rest.push_str(ci);
            }
            None => {
                rest.push_str(item_ind);
                if !cs.is_empty() {
                    rest.push_str(&join(cs));
                    rest.push(' ');
                }
            }
        }
        return (head, rest);
    }
    if !t.first().is_empty() {
        head = format!("{head_sep}{}", join(t.first()));
    }
    let mut lines = CommentLines::new(&mut rest, item_ind, !at_open);
    for seg in t.middle() {
        lines.seg(seg);
    }
    let last = t.last();
    match close {
        Some(ci) => {
            if !last.is_empty() {
                lines.seg(last);
            }
            rest.push_str(ci);
        }
        None => {
            lines.blank();
            rest.push_str(item_ind);
            if !last.is_empty() {
                rest.push_str(&join(last));
                rest.push(' ');
            }
        }
    }
    (head, rest)
}

/// Comment lines and blank lines before a structure of a body, then the structure's indentation.
pub(super) fn render_leading(t: &Trivia, indent: &str, at_start: bool) -> String {
    let mut out = String::new();
    let mut lines = CommentLines::new(&mut out, indent, !at_start);
    let n = t.segs.len();
    for seg in &t.segs[..n - 1] {
        lines.seg(seg);
    }
    lines.blank();
    out.push_str(indent);
    if !t.last().is_empty() {
        out.push_str(&join(t.last()));
        out.push(' ');
    }
    out
}

/// Comment lines after the last structure of a block body, then the indentation of `}`.
pub(super) fn render_closing(t: &Trivia, inner: &str, outer: &str, has_structures: bool) -> String {
    let mut out = comment_lines(t, inner, has_structures);
    out.push_str(outer);
    out
}

/// Comment lines at the end of the file (after the last structure's line break).
pub(super) fn render_eof(t: &Trivia, has_structures: bool) -> String {
    comment_lines(t, "", has_structures)
}

fn comment_lines(t: &Trivia, indent: &str, has_before: bool) -> String {
    let mut out = String::new();
    let mut lines = CommentLines::new(&mut out, indent, has_before);
    if let Some((last, before)) = t.segs.split_last() {
        for seg in before {
            lines.seg(seg);
        }
        // The last entry is the start of the closing line, not a blank line.
        if !last.is_empty() {
            lines.seg(last);
        }
    }
    out
}

/// Comment lines written one trivia entry at a time, each on its own line at `indent`: blank
/// lines between comments shrink to one, and none is written before the first line of a body.
struct CommentLines<'a> {
    out: &'a mut String,
    indent: &'a str,
    blank_due: bool,
    /// Whether anything stands above (a line written, or the caller's own content).
    any: bool,
}

impl<'a> CommentLines<'a> {
    fn new(out: &'a mut String, indent: &'a str, any: bool) -> Self {
        CommentLines {
            out,
            indent,
            blank_due: false,
            any,
        }
    }

    /// An empty entry is a blank line, another a line of comments.
    fn seg(&mut self, seg: &[String]) {
        if seg.is_empty() {
            self.blank_due = true;
            return;
        }
        self.blank();
        self.any = true;
        self.out.push_str(self.indent);
        self.out.push_str(&join(seg));
        self.out.push('\n');
    }

    /// The blank line due before what follows, if one is.
    fn blank(&mut self) {
        if self.blank_due && self.any {
            self.out.push('\n');
        }
        self.blank_due = false;
    }
}
