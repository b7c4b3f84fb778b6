//! Canonical formatting of HCL source that keeps comments (what `plinth fmt` prints).
//!
//! The formatter works on hcl-edit's lossless syntax tree: it parses the text with
//! [`hcl::edit::parser::parse_body`], rewrites only the whitespace kept in the decor (prefix and
//! suffix) of blocks, attributes and the parts of expressions, and prints the tree again. Tokens are
//! never added or dropped, so the output parses to the same structure as the input (checked before
//! returning), and formatting formatted output changes nothing.
//!
//! The rules are Terraform's (`terraform fmt`, i.e. hclwrite):
//!
//! - two spaces of indentation per block level, and per level of multi-line brackets (arrays,
//!   objects, function arguments, `for` expressions, parentheses, index brackets); several brackets
//!   opened on one line indent their contents by one level only, as in `merge(local.tags, {`;
//!   continuation lines inside a bracket get the bracket's level;
//! - `key = value` with one space around `=`; in a run of consecutive attributes (or object items)
//!   each alone on its line, the `=` signs are aligned by padding the keys. A blank line, a comment
//!   line, a block, or a value that opens a multi-line bracket ends the run (that attribute is not
//!   aligned); a value that starts a heredoc still joins the run above it. Object items written
//!   with `:` are not aligned;
//! - comments that trail consecutive one-line attributes or items are aligned as well;
//! - `type "label" "label" {` with single spaces, the body one level deeper, `}` on its own line at
//!   the block's indentation; an empty block is `type {}`; a one-line block with one one-line
//!   attribute stays on one line (`type { key = value }`), otherwise it is spread over lines;
//! - line breaks between the items of a bracket are kept where they were written, never added:
//!   `[1, 2]`, `{ a = 1, b = 2 }` and `f(a, b)` stay on one line, items written on one line inside
//!   a multi-line bracket stay together. Commas, trailing commas and `:` are kept as written;
//! - expressions: single spaces around binary operators, `?` `:`, `=>` and the parts of a `for`
//!   intro, a space inside `{ }` of objects and object `for`s, none inside `[ ]`, `( )`,
//!   traversals, function calls and after unary operators (`-5`, `!x`). Line breaks inside an
//!   expression are kept where they were written (re-indented);
//! - comments (`#`, `//`, `/* */`) are kept and re-indented to the level of what follows them (the
//!   inner lines of a block comment are kept as written); trailing whitespace is removed; at most
//!   one blank line in a row; blank lines are removed at the start and end of a block body, a
//!   bracket and the file; the file ends with exactly one newline (an empty file stays empty);
//!   line endings become `\n`;
//! - string literals, string templates (including the spacing inside `${ }`) and heredocs are printed
//!   exactly as written: their text is part of the value (`hcl::Body` keeps a template's source).
//!
//! Known gaps: an object `for` with `...` and no `if` prints as `{ for k, v in m : k => v...}`
//! (hcl-edit has no place for the space before `}`); whitespace inside a multi-line `${ }` of a
//! quoted string is kept, as said above.
//!
//! hcl-edit 0.10 loses some source text in its tree and printer; `Recover` and `EscapeFix`
//! work around the known cases, and [`format_source`] refuses (with an internal error) to return
//! text that does not parse back to the structure of the input.

use std::fmt;

use hcl::edit::expr::{
    BinaryOp, Expression, ForExpr, FuncCall, Object, ObjectKey, ObjectValue, ObjectValueAssignment,
    ObjectValueTerminator, Traversal, TraversalOperator,
};
use hcl::edit::parser;
use hcl::edit::structure::{Attribute, Block, Body, Structure};
use hcl::edit::template::{HeredocTemplate, StringTemplate};
use hcl::edit::visit_mut::{self, VisitMut};
use hcl::edit::{Decor, Decorate, RawString, Span, Spanned};

/// Why [`format_source`] could not format its input: a syntax error (with its position), or, if
/// the formatter has a bug, an internal error (line and column 0).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FormatError {
    /// What the parser expected or found.
    pub message: String,
    /// One-based line of the error (0 for an internal error, which has no position).
    pub line: usize,
    /// One-based column of the error, in characters (0 for an internal error).
    pub column: usize,
}

impl fmt::Display for FormatError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "line {}, column {}: {}", self.line, self.column, self.message)
    }
}

impl std::error::Error for FormatError {}

impl From<parser::Error> for FormatError {
    fn from(err: parser::Error) -> Self {
        FormatError {
            message: err.message().to_string(),
            line: err.location().line(),
            column: err.location().column(),
        }
    }
}

/// Formats HCL source text canonically, keeping its comments.
///
/// # Errors
///
/// Returns a [`FormatError`] with the position of the first syntax error if `text` is not valid HCL,
/// and an internal error (line 0) if the formatted text would not parse back to the same structure.
pub fn format_source(text: &str) -> Result<String, FormatError> {
    let mut body = parser::parse_body(text)?;
    let before = hcl::Body::from(body.clone());
    Recover { text }.visit_body_mut(&mut body);
    let tail = Trivia::parse(raw_suffix(body.decor()));
    body.set_prefer_omit_trailing_newline(false);
    body.decor_mut().set_prefix("");
    format_body(&mut body, 0);
    let suffix = render_eof(&tail, !body.is_empty());
    body.decor_mut().set_suffix(suffix);
    EscapeFix::default().visit_body_mut(&mut body);
    let out = body.to_string();

    // Never hand back text that means something else: a bug in the printer would surface here.
    if out.parse::<hcl::Body>().ok().as_ref() != Some(&before) {
        return Err(FormatError {
            message: "internal error: the formatted text would not mean the same as the input".to_string(),
            line: 0,
            column: 0,
        });
    }
    Ok(out)
}

// ---------------------------------------------------------------------------------------------
// Recovering what hcl-edit 0.10's tree loses
// ---------------------------------------------------------------------------------------------

/// Restores, from the source text, what `parse_body` leaves out of the tree:
///
/// - the trivia around a binary operator and before a traversal operator (`.x`, `[0]`): hcl-edit
///   does not resolve those decor spans, so their text reads as empty and printing the tree drops
///   comments there;
/// - the body of a `<<-` heredoc: hcl-edit removes its indentation and prints it back as spaces,
///   which changes lines indented with tabs. The body is parsed again from the source text with no
///   indentation removed (indent 0), so it prints exactly as written.
struct Recover<'a> {
    text: &'a str,
}

impl VisitMut for Recover<'_> {
    fn visit_binary_op_mut(&mut self, node: &mut BinaryOp) {
        visit_mut::visit_binary_op_mut(self, node);
        let (Some(lhs), Some(op), Some(rhs)) = (node.lhs_expr.span(), node.operator.span(), node.rhs_expr.span())
        else {
            return;
        };
        if let (Some(before), Some(after)) = (self.text.get(lhs.end..op.start), self.text.get(op.end..rhs.start)) {
            node.lhs_expr.decor_mut().set_suffix("");
            node.operator.decor_mut().set_prefix(before);
            node.operator.decor_mut().set_suffix(after);
            node.rhs_expr.decor_mut().set_prefix("");
        }
    }

    fn visit_traversal_mut(&mut self, node: &mut Traversal) {
        visit_mut::visit_traversal_mut(self, node);
        let mut prev_end = node.expr.span().map(|s| s.end);
        for i in 0..node.operators.len() {
            let span = node.operators[i].span();
            let gap = prev_end
                .zip(span.clone())
                .and_then(|(end, op)| self.text.get(end..op.start));
            if let Some(gap) = gap {
                if i == 0 {
                    node.expr.decor_mut().set_suffix("");
                }
                node.operators[i].decor_mut().set_prefix(gap);
            }
            prev_end = span.map(|s| s.end);
        }
    }

    fn visit_heredoc_template_mut(&mut self, node: &mut HeredocTemplate) {
        if node.indent().is_some()
            && let Some(raw) = node.template.span().and_then(|span| self.text.get(span))
            && let Ok(mut template) = parser::parse_template(raw)
        {
            Recover { text: raw }.visit_template_mut(&mut template);
            node.template = template;
            node.set_indent(0);
            return;
        }
        visit_mut::visit_heredoc_template_mut(self, node);
    }
}

/// hcl-edit 0.10 prints the literal parts of a quoted string unescaped once a nested quoted string
/// with interpolations has been printed inside it (`"${f("${x}")}\n"` comes out with a raw line
/// break): its printer clears its "escaping" flag when the nested string ends. This pass follows
/// the printer's order and escapes, in the tree, exactly the literals it will print unescaped.
#[derive(Default)]
struct EscapeFix {
    /// The printer's flag.
    escaping: bool,
    /// Kinds of the enclosing templates, innermost last (`true`: quoted string, `false`: heredoc).
    quoted: Vec<bool>,
}

impl VisitMut for EscapeFix {
    fn visit_string_template_mut(&mut self, node: &mut StringTemplate) {
        self.escaping = true;
        self.quoted.push(true);
        visit_mut::visit_string_template_mut(self, node);
        self.quoted.pop();
        self.escaping = false;
    }

    fn visit_heredoc_template_mut(&mut self, node: &mut HeredocTemplate) {
        self.quoted.push(false);
        visit_mut::visit_heredoc_template_mut(self, node);
        self.quoted.pop();
    }

    fn visit_literal_mut(&mut self, node: &mut Spanned<String>) {
        if !self.escaping && self.quoted.last() == Some(&true) {
            let escaped = escape_literal(node.value());
            *node.value_mut() = escaped;
        }
    }
}

/// Escapes a quoted string's literal text the way hcl-edit's printer does.
fn escape_literal(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for ch in s.chars() {
        match ch {
            '\t' => out.push_str("\\t"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            c if c <= '\u{1f}' || c == '\u{7f}' => out.push_str(&format!("\\u{:04x}", c as u32)),
            c => out.push(c),
        }
    }
    out
}

// ---------------------------------------------------------------------------------------------
// Trivia: the whitespace and comments between two tokens.
// ---------------------------------------------------------------------------------------------

/// Comments between two tokens, grouped by line. `segs[0]` is what follows the previous token on
/// its line, the last entry what precedes the next token on its line; the entries in between are
/// whole lines (an empty one is a blank line). There is one entry more than there are line breaks.
#[derive(Debug)]
struct Trivia {
    segs: Vec<Vec<String>>,
}

enum Tok {
    Newline,
    Comment(String),
    /// The end of a raw part that ended right after a line comment: the line break that ends the
    /// comment is a token of its own (such as an object item's newline terminator).
    ImpliedNewline,
}

impl Trivia {
    fn parse(raw: &str) -> Trivia {
        Trivia::from_parts(&[raw])
    }

    /// Trivia of several adjacent raw strings (for instance the suffix of one item and the prefix
    /// of the next, with a separator between them that is printed elsewhere).
    fn from_parts(parts: &[&str]) -> Trivia {
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

    fn has_newline(&self) -> bool {
        self.segs.len() > 1
    }

    /// More than one line break: a blank line or a comment line.
    fn has_own_lines(&self) -> bool {
        self.segs.len() > 2
    }

    fn has_comments(&self) -> bool {
        self.segs.iter().any(|s| !s.is_empty())
    }

    fn comments(&self) -> Vec<String> {
        self.segs.iter().flatten().cloned().collect()
    }

    fn first(&self) -> &[String] {
        self.segs.first().map_or(&[], Vec::as_slice)
    }

    fn last(&self) -> &[String] {
        self.segs.last().map_or(&[], Vec::as_slice)
    }

    fn middle(&self) -> &[Vec<String>] {
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

fn is_line_comment(c: &str) -> bool {
    c.starts_with('#') || c.starts_with("//")
}

fn join(comments: &[String]) -> String {
    comments.join(" ")
}

fn ind(level: usize) -> String {
    "  ".repeat(level)
}

fn raw_str(raw: Option<&RawString>) -> &str {
    raw.map_or("", |r| &**r)
}

fn raw_prefix(decor: &Decor) -> &str {
    raw_str(decor.prefix())
}

fn raw_suffix(decor: &Decor) -> &str {
    raw_str(decor.suffix())
}

/// Renders trivia inside an expression: `default` when it holds nothing, line breaks kept (with
/// the next line indented by `nl_indent`), comments kept.
fn render_gap(t: &Trivia, default: &str, nl_indent: &str) -> String {
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
fn set_gaps(decor: &mut Decor, prefix_default: &str, suffix_default: &str, nl_indent: &str, close_indent: &str) {
    let prefix = render_gap(&Trivia::parse(raw_prefix(decor)), prefix_default, nl_indent);
    let suffix = render_gap(&Trivia::parse(raw_suffix(decor)), suffix_default, close_indent);
    decor.set_prefix(prefix);
    decor.set_suffix(suffix);
}

/// Renders the trivia before an item of a multi-line bracket (`close` is `None`) or before its
/// closing bracket (`close` is the bracket's indentation). Returns the part that stays on the
/// previous line (a trailing comment, preceded by `head_sep`) and the part after the line break.
fn render_list_gap(t: &Trivia, item_ind: &str, close: Option<&str>, at_open: bool, head_sep: &str) -> (String, String) {
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
    let mut pending_blank = false;
    let mut any = !at_open;
    for seg in t.middle() {
        if seg.is_empty() {
            pending_blank = true;
            continue;
        }
        if pending_blank && any {
            rest.push('\n');
        }
        pending_blank = false;
        any = true;
        rest.push_str(item_ind);
        rest.push_str(&join(seg));
        rest.push('\n');
    }
    let last = t.last();
    match close {
        Some(ci) => {
            if !last.is_empty() {
                if pending_blank && any {
                    rest.push('\n');
                }
                rest.push_str(item_ind);
                rest.push_str(&join(last));
                rest.push('\n');
            }
            rest.push_str(ci);
        }
        None => {
            if pending_blank && any {
                rest.push('\n');
            }
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
fn render_leading(t: &Trivia, indent: &str, at_start: bool) -> String {
    let mut out = String::new();
    let mut pending_blank = false;
    let mut any = !at_start;
    let n = t.segs.len();
    for seg in &t.segs[..n - 1] {
        if seg.is_empty() {
            pending_blank = true;
            continue;
        }
        if pending_blank && any {
            out.push('\n');
        }
        pending_blank = false;
        any = true;
        out.push_str(indent);
        out.push_str(&join(seg));
        out.push('\n');
    }
    if pending_blank && any {
        out.push('\n');
    }
    out.push_str(indent);
    if !t.last().is_empty() {
        out.push_str(&join(t.last()));
        out.push(' ');
    }
    out
}

/// Comment lines after the last structure of a block body, then the indentation of `}`.
fn render_closing(t: &Trivia, inner: &str, outer: &str, has_structures: bool) -> String {
    let mut out = comment_lines(t, inner, has_structures);
    out.push_str(outer);
    out
}

/// Comment lines at the end of the file (after the last structure's line break).
fn render_eof(t: &Trivia, has_structures: bool) -> String {
    comment_lines(t, "", has_structures)
}

fn comment_lines(t: &Trivia, indent: &str, has_before: bool) -> String {
    let mut out = String::new();
    let mut pending_blank = false;
    let mut any = has_before;
    let n = t.segs.len();
    for (i, seg) in t.segs.iter().enumerate() {
        if seg.is_empty() {
            // The last entry is the start of the closing line, not a blank line.
            pending_blank |= i + 1 < n;
            continue;
        }
        if pending_blank && any {
            out.push('\n');
        }
        pending_blank = false;
        any = true;
        out.push_str(indent);
        out.push_str(&join(seg));
        out.push('\n');
    }
    out
}

// ---------------------------------------------------------------------------------------------
// Alignment
// ---------------------------------------------------------------------------------------------

/// Spaces before `=` for each line: `widths[i]` is the key width of a line that can take part in
/// an alignment run, `links[i]` whether line `i` continues the run of line `i - 1`.
fn assign_pads(widths: &[Option<usize>], links: &[bool]) -> Vec<usize> {
    let n = widths.len();
    let mut pads = vec![1; n];
    let mut i = 0;
    while i < n {
        let Some(first) = widths[i] else {
            i += 1;
            continue;
        };
        let mut max = first;
        let mut j = i + 1;
        while j < n && links[j] {
            match widths[j] {
                Some(w) => max = max.max(w),
                None => break,
            }
            j += 1;
        }
        for k in i..j {
            pads[k] = max - widths[k].unwrap_or(max) + 1;
        }
        i = j;
    }
    pads
}

/// Spaces before the trailing comment of each line: `widths[i]` is the width of a one-line item
/// with a trailing comment, `links[i]` whether nothing separates line `i` from line `i - 1`.
fn comment_pads(widths: &[Option<usize>], links: &[bool]) -> Vec<usize> {
    // Same run logic: consecutive lines that all carry a comment.
    assign_pads(widths, links)
}

fn spaces(n: usize) -> String {
    " ".repeat(n)
}

fn width(s: &str) -> usize {
    s.chars().count()
}

// ---------------------------------------------------------------------------------------------
// Bodies, blocks and attributes
// ---------------------------------------------------------------------------------------------

struct StructInfo {
    /// Key width (with an inline comment before `=`) of an attribute that joins `=` runs.
    assign_width: Option<usize>,
    /// An attribute whose value is on one line.
    single_line: bool,
    is_attr: bool,
    /// Width of block comments before the key on its line.
    lead: usize,
    /// A blank line or comment line precedes it.
    separated: bool,
    trailing: Vec<String>,
}

fn format_body(body: &mut Body, depth: usize) {
    let indent = ind(depth);
    let n = body.len();
    let mut infos = Vec::with_capacity(n);
    for i in 0..n {
        let Some(s) = body.get_mut(i) else { continue };
        let prefix = Trivia::parse(raw_prefix(s.decor()));
        let mut trailing = Vec::new();
        let mut info = StructInfo {
            assign_width: None,
            single_line: false,
            is_attr: false,
            lead: 0,
            separated: i > 0 && prefix.has_newline(),
            trailing: Vec::new(),
        };
        // A block comment before the key on its line (`/* c */ key = 1`) shifts the `=`.
        let lead = if prefix.last().is_empty() {
            0
        } else {
            width(&join(prefix.last())) + 1
        };
        match s {
            Structure::Attribute(attr) => {
                let f = format_attribute(attr, depth);
                trailing = f.stray;
                info.is_attr = true;
                info.single_line = f.single_line;
                info.assign_width = f.joins.then_some(lead + f.key_width);
                info.lead = lead;
            }
            Structure::Block(block) => format_block(block, depth),
        }
        trailing.extend(Trivia::parse(raw_suffix(s.decor())).comments());
        info.trailing = trailing;
        s.decor_mut().set_prefix(render_leading(&prefix, &indent, i == 0));
        infos.push(info);
    }

    // `=` alignment.
    let widths: Vec<Option<usize>> = infos.iter().map(|f| f.assign_width).collect();
    let links: Vec<bool> = (0..infos.len())
        .map(|i| i > 0 && !infos[i].separated && infos[i - 1].is_attr && infos[i - 1].single_line)
        .collect();
    let pads = assign_pads(&widths, &links);

    // Trailing comment alignment, over one-line attributes.
    let mut line_widths = Vec::with_capacity(n);
    for (i, info) in infos.iter().enumerate() {
        let mut w = None;
        if let Some(Structure::Attribute(attr)) = body.get_mut(i) {
            let comment_part = comment_part(attr.key.decor());
            attr.key
                .decor_mut()
                .set_suffix(format!("{comment_part}{}", spaces(pads[i])));
            if info.single_line && !info.trailing.is_empty() {
                w = Some(
                    info.lead
                        + width(attr.key.as_str())
                        + width(raw_suffix(attr.key.decor()))
                        + 1
                        + width(&attr.value.to_string()),
                );
            }
        }
        line_widths.push(w);
    }
    let links: Vec<bool> = (0..infos.len()).map(|i| i > 0 && !infos[i].separated).collect();
    let cpads = comment_pads(&line_widths, &links);
    for (i, info) in infos.iter().enumerate() {
        if let Some(s) = body.get_mut(i) {
            let suffix = if info.trailing.is_empty() {
                String::new()
            } else {
                format!("{}{}", spaces(cpads[i]), join(&info.trailing))
            };
            s.decor_mut().set_suffix(suffix);
        }
    }
}

/// The inline comments between an attribute key and `=`, with a leading space (`" /* c */"`).
/// The raw suffix is read once, before the padding is added; it holds only comments afterwards.
fn comment_part(decor: &Decor) -> String {
    let cs = Trivia::parse(raw_suffix(decor)).comments();
    if cs.is_empty() {
        String::new()
    } else {
        format!(" {}", join(&cs))
    }
}

struct AttrFormat {
    key_width: usize,
    single_line: bool,
    /// The value is on one line or starts a heredoc (its first line can be aligned).
    joins: bool,
    /// Comments found after the value expression (kept as trailing comments).
    stray: Vec<String>,
}

/// Formats an attribute's key and value (not its own decor, which the body sets).
fn format_attribute(attr: &mut Attribute, depth: usize) -> AttrFormat {
    let comment_part = comment_part(attr.key.decor());
    let key_prefix = render_gap(&Trivia::parse(raw_prefix(attr.key.decor())), "", "");
    attr.key.decor_mut().set_prefix(key_prefix);
    // Leave only the comments; the body adds the padding before `=`.
    attr.key.decor_mut().set_suffix(comment_part.clone());
    let value_prefix = Trivia::parse(raw_prefix(attr.value.decor()));
    let stray = Trivia::parse(raw_suffix(attr.value.decor())).comments();
    fmt_expr(&mut attr.value, depth);
    attr.value
        .decor_mut()
        .set_prefix(render_gap(&value_prefix, " ", &ind(depth + 1)));
    attr.value.decor_mut().set_suffix("");
    let single_line = !attr.value.to_string().contains('\n');
    AttrFormat {
        key_width: width(attr.key.as_str()) + width(&comment_part),
        single_line,
        joins: single_line || matches!(attr.value, Expression::HeredocTemplate(_)),
        stray,
    }
}

fn format_block(block: &mut Block, depth: usize) {
    let indent = ind(depth);
    let inner = ind(depth + 1);
    set_gaps(block.ident.decor_mut(), "", " ", &inner, &inner);
    for label in &mut block.labels {
        set_gaps(label.decor_mut(), "", " ", &inner, &inner);
    }

    let body = &mut block.body;
    let head = Trivia::parse(raw_prefix(body.decor()));
    let tail = Trivia::parse(raw_suffix(body.decor()));

    if body.is_empty() {
        let comments: Vec<String> = head.comments().into_iter().chain(tail.comments()).collect();
        if comments.is_empty() {
            body.set_prefer_oneline(true);
            body.decor_mut().set_prefix("");
            body.decor_mut().set_suffix("");
            return;
        }
        if body.prefer_oneline() {
            // `type { /* comment */ }`
            body.decor_mut().set_prefix("");
            body.decor_mut().set_suffix(format!(" {} ", join(&comments)));
            return;
        }
        body.decor_mut().set_prefix(head_comment(&head));
        body.decor_mut()
            .set_suffix(render_closing(&tail, &inner, &indent, false));
        return;
    }

    if body.prefer_oneline() {
        if let Some(Structure::Attribute(attr)) = body.get_mut(0) {
            let prefix = Trivia::parse(raw_prefix(attr.decor()));
            let suffix_raw = raw_suffix(attr.decor()).to_string();
            let f = format_attribute(attr, depth);
            let mut trailing = f.stray.clone();
            trailing.extend(Trivia::parse(&suffix_raw).comments());
            trailing.extend(tail.comments());
            // A line comment would swallow the `}`.
            if f.single_line && !trailing.iter().any(|c| is_line_comment(c)) {
                // `type { key = value }`
                let comment_part = comment_part(attr.key.decor());
                attr.key.decor_mut().set_suffix(format!("{comment_part} "));
                attr.decor_mut().set_prefix(render_gap(&prefix, " ", ""));
                let suffix = if trailing.is_empty() {
                    " ".to_string()
                } else {
                    format!(" {} ", join(&trailing))
                };
                attr.decor_mut().set_suffix(suffix);
                body.decor_mut().set_prefix("");
                body.decor_mut().set_suffix("");
                return;
            }
            // A multi-line value: lay the block out over several lines.
            let mut suffix = join(&f.stray);
            suffix.push(' ');
            suffix.push_str(&suffix_raw);
            attr.decor_mut().set_suffix(suffix);
        }
        body.set_prefer_oneline(false);
    }

    body.decor_mut().set_prefix(head_comment(&head));
    format_body(body, depth + 1);
    body.decor_mut()
        .set_suffix(render_closing(&tail, &inner, &indent, true));
}

/// A comment after `{` on the line that opens a block body.
fn head_comment(head: &Trivia) -> String {
    let cs = head.comments();
    if cs.is_empty() {
        String::new()
    } else {
        format!(" {}", join(&cs))
    }
}

// ---------------------------------------------------------------------------------------------
// Expressions
// ---------------------------------------------------------------------------------------------

fn has_nl(decor: &Decor) -> bool {
    Trivia::parse(raw_prefix(decor)).has_newline() || Trivia::parse(raw_suffix(decor)).has_newline()
}

/// Whether a line break occurs in `e` outside of any bracket it contains (a continuation line,
/// which is indented one level deeper than the line it continues). The decor of `e` itself does
/// not count.
fn direct_nl(e: &Expression) -> bool {
    match e {
        Expression::Conditional(c) => [&c.cond_expr, &c.true_expr, &c.false_expr]
            .into_iter()
            .any(|x| has_nl(x.decor()) || direct_nl(x)),
        Expression::BinaryOp(b) => {
            has_nl(b.lhs_expr.decor())
                || has_nl(b.operator.decor())
                || has_nl(b.rhs_expr.decor())
                || direct_nl(&b.lhs_expr)
                || direct_nl(&b.rhs_expr)
        }
        Expression::UnaryOp(u) => has_nl(u.expr.decor()) || direct_nl(&u.expr),
        Expression::Traversal(t) => {
            has_nl(t.expr.decor())
                || direct_nl(&t.expr)
                || t.operators.iter().any(|op| {
                    has_nl(op.decor())
                        || match op.value() {
                            TraversalOperator::Index(_) => false,
                            other => has_nl(other.decor()),
                        }
                })
        }
        Expression::FuncCall(f) => {
            f.name.namespace.iter().any(|c| has_nl(c.decor())) || has_nl(f.name.name.decor()) || has_nl(f.args.decor())
        }
        _ => false,
    }
}

/// Whether the expression's text ends with a heredoc's closing marker, which must be followed by
/// a line break.
fn ends_with_heredoc(e: &Expression) -> bool {
    match e {
        Expression::HeredocTemplate(_) => true,
        Expression::BinaryOp(b) => ends_with_heredoc(&b.rhs_expr),
        Expression::Conditional(c) => ends_with_heredoc(&c.false_expr),
        Expression::UnaryOp(u) => ends_with_heredoc(&u.expr),
        _ => false,
    }
}

/// The expression's text without its own decor.
fn bare_text(e: &mut Expression) -> String {
    let saved = e.decor().clone();
    e.decor_mut().clear();
    let text = e.to_string();
    *e.decor_mut() = saved;
    text
}

/// Formats the inside of an expression (not its own decor, which its parent sets). `lvl` is the
/// indentation level of the line the expression is on: continuation lines are indented to
/// `lvl + 1` and closing brackets on their own line to `lvl`.
fn fmt_expr(e: &mut Expression, lvl: usize) {
    // Continuation lines at this bracket level are indented like its closing brackets.
    let here = ind(lvl);
    match e {
        Expression::Null(_)
        | Expression::Bool(_)
        | Expression::String(_)
        | Expression::Variable(_)
        // Templates are kept as written: their text is part of the value (see the module docs).
        | Expression::StringTemplate(_)
        | Expression::HeredocTemplate(_) => {}
        Expression::Number(num) => {
            // `- 1` keeps the spaces in its text; print it as `-1`.
            let repr = raw_str(num.as_repr());
            if repr.starts_with('-') && repr.contains(char::is_whitespace) && !repr.contains(['#', '/']) {
                num.format();
            }
        }
        Expression::Array(arr) => {
            let trailing = raw_str(Some(arr.trailing())).to_string();
            let sep_after_last = arr.trailing_comma();
            let mut items: Vec<&mut Expression> = arr.iter_mut().collect();
            let trailing = format_seq(&mut items, &trailing, sep_after_last, lvl);
            arr.set_trailing(trailing);
        }
        Expression::Object(obj) => fmt_object(obj, lvl),
        Expression::Parenthesis(p) => {
            let inner = p.inner();
            let c = if has_nl(inner.decor()) || direct_nl(inner) {
                lvl + 1
            } else {
                lvl
            };
            fmt_expr(p.inner_mut(), c);
            set_gaps(p.inner_mut().decor_mut(), "", "", &ind(c), &here);
        }
        Expression::ForExpr(f) => fmt_for(f, lvl),
        Expression::Conditional(c) => {
            for x in [&mut c.cond_expr, &mut c.true_expr, &mut c.false_expr] {
                fmt_expr(x, lvl);
            }
            set_gaps(c.cond_expr.decor_mut(), "", " ", &here, &here);
            set_gaps(c.true_expr.decor_mut(), " ", " ", &here, &here);
            set_gaps(c.false_expr.decor_mut(), " ", "", &here, &here);
        }
        Expression::BinaryOp(b) => {
            fmt_expr(&mut b.lhs_expr, lvl);
            fmt_expr(&mut b.rhs_expr, lvl);
            // The trivia around the operator may sit on the operands or on the operator.
            let before = Trivia::from_parts(&[raw_suffix(b.lhs_expr.decor()), raw_prefix(b.operator.decor())]);
            let after = Trivia::from_parts(&[raw_suffix(b.operator.decor()), raw_prefix(b.rhs_expr.decor())]);
            let lhs_prefix = render_gap(&Trivia::parse(raw_prefix(b.lhs_expr.decor())), "", &here);
            let rhs_suffix = render_gap(&Trivia::parse(raw_suffix(b.rhs_expr.decor())), "", &here);
            b.lhs_expr.decor_mut().set_prefix(lhs_prefix);
            b.lhs_expr.decor_mut().set_suffix("");
            b.operator.decor_mut().set_prefix(render_gap(&before, " ", &here));
            b.operator.decor_mut().set_suffix(render_gap(&after, " ", &here));
            b.rhs_expr.decor_mut().set_prefix("");
            b.rhs_expr.decor_mut().set_suffix(rhs_suffix);
        }
        Expression::UnaryOp(u) => {
            fmt_expr(&mut u.expr, lvl);
            set_gaps(u.expr.decor_mut(), "", "", &here, &here);
        }
        Expression::Traversal(t) => {
            fmt_expr(&mut t.expr, lvl);
            let mut prev_suffix = raw_suffix(t.expr.decor()).to_string();
            let base_prefix = render_gap(&Trivia::parse(raw_prefix(t.expr.decor())), "", &here);
            t.expr.decor_mut().set_prefix(base_prefix);
            t.expr.decor_mut().set_suffix("");
            for op in &mut t.operators {
                let gap = Trivia::from_parts(&[&prev_suffix, raw_prefix(op.decor())]);
                prev_suffix = raw_suffix(op.decor()).to_string();
                op.decor_mut().set_prefix(render_gap(&gap, "", &here));
                op.decor_mut().set_suffix("");
                match op.value_mut() {
                    TraversalOperator::Index(index) => {
                        let c = if has_nl(index.decor()) || direct_nl(index) {
                            lvl + 1
                        } else {
                            lvl
                        };
                        fmt_expr(index, c);
                        set_gaps(index.decor_mut(), "", "", &ind(c), &here);
                    }
                    other => set_gaps(other.decor_mut(), "", "", &here, &here),
                }
            }
            if let Some(last) = t.operators.last_mut() {
                last.decor_mut()
                    .set_suffix(render_gap(&Trivia::parse(&prev_suffix), "", &here));
            }
        }
        Expression::FuncCall(f) => fmt_call(f, lvl),
    }
}

fn fmt_call(f: &mut FuncCall, lvl: usize) {
    let cont = ind(lvl);
    for c in &mut f.name.namespace {
        set_gaps(c.decor_mut(), "", "", &cont, &cont);
    }
    set_gaps(f.name.name.decor_mut(), "", "", &cont, &cont);
    set_gaps(f.args.decor_mut(), "", "", &cont, &cont);
    let trailing = raw_str(Some(f.args.trailing())).to_string();
    let sep_after_last = f.args.trailing_comma() || f.args.expand_final();
    let mut items: Vec<&mut Expression> = f.args.iter_mut().collect();
    let trailing = format_seq(&mut items, &trailing, sep_after_last, lvl);
    f.args.set_trailing(trailing);
}

/// Formats the items of an array or of function arguments; returns the new trailing trivia
/// (before the closing bracket). `sep_after_last`: a `,` or `...` follows the last item.
///
/// Line breaks between items are kept as written (items written on one line stay on one line);
/// items that start a line are indented one level deeper than the line with the opening bracket.
/// An item that ends with a heredoc is followed by a line break that belongs to the heredoc: it
/// does not count as a line break between items, and a `,` after it starts the next line (`EOT`
/// must be alone on its line).
fn format_seq(items: &mut [&mut Expression], trailing_raw: &str, sep_after_last: bool, lvl: usize) -> String {
    let n = items.len();
    if n == 0 {
        return empty_bracket(&Trivia::parse(trailing_raw), lvl);
    }
    let heredoc: Vec<bool> = items.iter().map(|e| ends_with_heredoc(e)).collect();
    let mut gaps = Vec::with_capacity(n + 1);
    gaps.push(Trivia::parse(raw_prefix(items[0].decor())));
    for i in 1..n {
        gaps.push(Trivia::from_parts(&[
            raw_suffix(items[i - 1].decor()),
            raw_prefix(items[i].decor()),
        ]));
    }
    gaps.push(Trivia::from_parts(&[raw_suffix(items[n - 1].decor()), trailing_raw]));
    let breaks: Vec<bool> = gaps
        .iter()
        .enumerate()
        .map(|(i, g)| breaks_line(g, i > 0 && heredoc[i - 1]))
        .collect();
    let multiline = breaks.iter().any(|&b| b);
    let c = if multiline || items.iter().any(|e| direct_nl(e)) {
        lvl + 1
    } else {
        lvl
    };
    for item in items.iter_mut() {
        fmt_expr(item, c);
    }
    let (ci, li) = (ind(c), ind(lvl));

    // Align the comments that trail items alone on their line.
    let mut widths = Vec::with_capacity(n);
    let mut links = Vec::with_capacity(n);
    for (i, item) in items.iter_mut().enumerate() {
        let has_sep = i + 1 < n || sep_after_last;
        let text = bare_text(item);
        let commented = breaks[i] && !gaps[i + 1].first().is_empty() && gaps[i + 1].has_newline();
        widths.push((commented && !text.contains('\n')).then(|| width(&text) + usize::from(has_sep)));
        links.push(i > 0 && !gaps[i].has_own_lines());
    }
    let cpads = comment_pads(&widths, &links);
    let mut heads = vec![" ".to_string()];
    heads.extend(cpads.iter().map(|&p| spaces(p)));

    for i in 0..n {
        items[i].decor_mut().set_suffix("");
        let prefix = if i > 0 && heredoc[i - 1] {
            let (head, rest) = render_list_gap(&gaps[i], &ci, Some(&ci), false, &heads[i]);
            items[i - 1].decor_mut().set_suffix(format!("{head}\n{rest}"));
            " ".to_string()
        } else if breaks[i] {
            let (head, rest) = render_list_gap(&gaps[i], &ci, None, i == 0, &heads[i]);
            format!("{head}\n{rest}")
        } else {
            let cs = gaps[i].comments();
            match (i, cs.is_empty()) {
                (0, true) => String::new(),
                (0, false) => format!("{} ", join(&cs)),
                (_, true) => " ".to_string(),
                (_, false) => format!(" {} ", join(&cs)),
            }
        };
        items[i].decor_mut().set_prefix(prefix);
    }
    if heredoc[n - 1] && sep_after_last {
        let (head, rest) = render_list_gap(&gaps[n], &ci, Some(&ci), false, &heads[n]);
        items[n - 1].decor_mut().set_suffix(format!("{head}\n{rest}"));
        return if multiline { format!("\n{li}") } else { String::new() };
    }
    if breaks[n] || heredoc[n - 1] {
        let (head, rest) = render_list_gap(&gaps[n], &ci, Some(&li), false, &heads[n]);
        return format!("{head}\n{rest}");
    }
    let cs = gaps[n].comments();
    if cs.is_empty() {
        String::new()
    } else {
        format!(" {}", join(&cs))
    }
}

/// Whether trivia between two items puts them on different lines. After a heredoc, the first line
/// break is the heredoc's own.
fn breaks_line(t: &Trivia, after_heredoc: bool) -> bool {
    if after_heredoc {
        t.has_own_lines() || !t.first().is_empty()
    } else {
        t.has_newline()
    }
}

/// The trivia inside an empty bracket: nothing, unless it holds comments.
fn empty_bracket(t: &Trivia, lvl: usize) -> String {
    if !t.has_comments() {
        return String::new();
    }
    if !t.has_newline() {
        return format!(" {} ", join(t.first()));
    }
    let (head, rest) = render_list_gap(t, &ind(lvl + 1), Some(&ind(lvl)), true, " ");
    format!("{head}\n{rest}")
}

fn fmt_object(obj: &mut Object, lvl: usize) {
    let trailing_raw = raw_str(Some(obj.trailing())).to_string();
    let decor = obj.decor().clone();
    let mut items: Vec<_> = std::mem::take(obj).into_iter().collect();
    let n = items.len();
    *obj.decor_mut() = decor;
    if n == 0 {
        obj.set_trailing(empty_bracket(&Trivia::parse(&trailing_raw), lvl));
        return;
    }

    // The trivia between two items is the value's suffix, the newline terminator (if it is one) and
    // the next key's prefix.
    let newline = |t: ObjectValueTerminator| if t == ObjectValueTerminator::Newline { "\n" } else { "" };
    let mut gaps = Vec::with_capacity(n + 1);
    gaps.push(Trivia::parse(raw_prefix(items[0].0.decor())));
    for i in 1..n {
        let (_, prev) = &items[i - 1];
        gaps.push(Trivia::from_parts(&[
            raw_suffix(prev.expr().decor()),
            newline(prev.terminator()),
            raw_prefix(items[i].0.decor()),
        ]));
    }
    let (_, last) = &items[n - 1];
    gaps.push(Trivia::from_parts(&[
        raw_suffix(last.expr().decor()),
        newline(last.terminator()),
        &trailing_raw,
    ]));
    // A heredoc value ends with the line break of its newline terminator.
    let heredoc: Vec<bool> = items
        .iter()
        .map(|(_, v)| v.terminator() == ObjectValueTerminator::Newline && ends_with_heredoc(v.expr()))
        .collect();
    let breaks: Vec<bool> = gaps
        .iter()
        .enumerate()
        .map(|(i, g)| breaks_line(g, i > 0 && heredoc[i - 1]))
        .collect();
    // Whether the item (or the closing brace, for `n`) starts a line.
    let line_start: Vec<bool> = (0..=n).map(|i| breaks[i] || (i > 0 && heredoc[i - 1])).collect();
    let multiline = breaks.iter().any(|&b| b);
    let c = if multiline
        || items
            .iter()
            .any(|(k, v)| k.as_expr().is_some_and(direct_nl) || direct_nl(v.expr()))
    {
        lvl + 1
    } else {
        lvl
    };
    let (ci, li) = (ind(c), ind(lvl));

    // Keys and values.
    struct Item {
        comment_part: String,
        key_width: usize,
        value_width: usize,
        single_line: bool,
        joins: bool,
    }
    let mut infos = Vec::with_capacity(n);
    for (k, v) in &mut items {
        let comment_part = comment_part(k.decor());
        k.decor_mut().set_prefix("");
        k.decor_mut().set_suffix("");
        let key_width = match k {
            ObjectKey::Ident(ident) => width(ident.as_str()),
            ObjectKey::Expression(e) => {
                fmt_expr(e, c);
                width(&e.to_string())
            }
        } + width(&comment_part);
        let value_prefix = Trivia::parse(raw_prefix(v.expr().decor()));
        fmt_expr(v.expr_mut(), c);
        v.expr_mut()
            .decor_mut()
            .set_prefix(render_gap(&value_prefix, " ", &ind(c + 1)));
        v.expr_mut().decor_mut().set_suffix("");
        let text = v.expr().to_string();
        let single_line = !text.contains('\n');
        let equals = v.assignment() == ObjectValueAssignment::Equals;
        infos.push(Item {
            comment_part,
            key_width,
            value_width: width(&text),
            single_line,
            joins: equals && (single_line || matches!(v.expr(), Expression::HeredocTemplate(_))),
        });
    }

    // `=` alignment over items alone on their line, then trailing comment alignment.
    let alone: Vec<bool> = (0..n).map(|i| line_start[i] && line_start[i + 1]).collect();
    let widths: Vec<Option<usize>> = (0..n)
        .map(|i| (alone[i] && infos[i].joins).then_some(infos[i].key_width))
        .collect();
    let links: Vec<bool> = (0..n)
        .map(|i| i > 0 && !gaps[i].has_own_lines() && infos[i - 1].single_line)
        .collect();
    let pads = assign_pads(&widths, &links);
    let mut cwidths = Vec::with_capacity(n);
    for (i, (k, v)) in items.iter_mut().enumerate() {
        k.decor_mut()
            .set_suffix(format!("{}{}", infos[i].comment_part, spaces(pads[i])));
        let commented = alone[i] && !gaps[i + 1].first().is_empty() && gaps[i + 1].has_newline();
        let comma = usize::from(v.terminator() == ObjectValueTerminator::Comma);
        cwidths.push(
            (commented && infos[i].single_line)
                .then(|| infos[i].key_width + pads[i] + 1 + infos[i].value_width + comma),
        );
    }
    let clinks: Vec<bool> = (0..n).map(|i| i > 0 && !gaps[i].has_own_lines()).collect();
    let cpads = comment_pads(&cwidths, &clinks);

    let inline = |gap: &Trivia| {
        let cs = gap.comments();
        if cs.is_empty() {
            " ".to_string()
        } else {
            format!(" {} ", join(&cs))
        }
    };
    let prefix = if breaks[0] {
        let (head, rest) = render_list_gap(&gaps[0], &ci, None, true, " ");
        format!("{head}\n{rest}")
    } else {
        inline(&gaps[0])
    };
    items[0].0.decor_mut().set_prefix(prefix);
    let mut trailing = String::new();
    for i in 1..=n {
        let (_, prev) = &mut items[i - 1];
        let (value_suffix, after) = if line_start[i] {
            let close = (i == n).then_some(li.as_str());
            let (head, rest) = render_list_gap(&gaps[i], &ci, close, false, &spaces(cpads[i - 1]));
            if i < n && prev.terminator() == ObjectValueTerminator::None {
                prev.set_terminator(ObjectValueTerminator::Newline);
            }
            match prev.terminator() {
                ObjectValueTerminator::Newline => (head, rest),
                _ => (String::new(), format!("{head}\n{rest}")),
            }
        } else {
            (String::new(), inline(&gaps[i]))
        };
        prev.expr_mut().decor_mut().set_suffix(value_suffix);
        if i < n {
            items[i].0.decor_mut().set_prefix(after);
        } else {
            trailing = after;
        }
    }
    rebuild_object(obj, items, trailing);
}

fn rebuild_object(obj: &mut Object, items: Vec<(ObjectKey, ObjectValue)>, trailing: String) {
    for (k, v) in items {
        obj.insert(k, v);
    }
    obj.set_trailing(trailing);
}

fn fmt_for(f: &mut ForExpr, lvl: usize) {
    let is_object = f.key_expr.is_some();
    let pad = if is_object { " " } else { "" };
    // Trivia at this bracket's level (own decor of the parts) decides the continuation level.
    let mut multiline = has_nl(f.intro.decor())
        || f.intro.key_var.as_ref().is_some_and(|k| has_nl(k.decor()))
        || has_nl(f.intro.value_var.decor())
        || has_nl(f.intro.collection_expr.decor())
        || direct_nl(&f.intro.collection_expr)
        || has_nl(f.value_expr.decor())
        || direct_nl(&f.value_expr);
    if let Some(k) = &f.key_expr {
        multiline |= has_nl(k.decor()) || direct_nl(k);
    }
    if let Some(cond) = &f.cond {
        multiline |= has_nl(cond.decor()) || has_nl(cond.expr.decor()) || direct_nl(&cond.expr);
    }
    let c = if multiline { lvl + 1 } else { lvl };
    let (ci, li) = (ind(c), ind(lvl));

    // for [k,] v in collection :
    let intro_prefix = render_gap(&Trivia::parse(raw_prefix(f.intro.decor())), pad, &ci);
    let intro_suffix = raw_suffix(f.intro.decor()).to_string();
    f.intro.decor_mut().set_prefix(intro_prefix);
    f.intro.decor_mut().set_suffix("");
    if let Some(k) = &mut f.intro.key_var {
        set_gaps(k.decor_mut(), " ", "", &ci, &ci);
    }
    set_gaps(f.intro.value_var.decor_mut(), " ", " ", &ci, &ci);
    fmt_expr(&mut f.intro.collection_expr, c);
    set_gaps(f.intro.collection_expr.decor_mut(), " ", " ", &ci, &ci);

    // [key =>] value [...]
    let first = match &mut f.key_expr {
        Some(k) => k,
        None => &mut f.value_expr,
    };
    let first_prefix = Trivia::from_parts(&[&intro_suffix, raw_prefix(first.decor())]);
    first.decor_mut().set_prefix(render_gap(&first_prefix, " ", &ci));
    if let Some(k) = &mut f.key_expr {
        fmt_expr(k, c);
        let suffix = render_gap(&Trivia::parse(raw_suffix(k.decor())), " ", &ci);
        k.decor_mut().set_suffix(suffix);
        let prefix = render_gap(&Trivia::parse(raw_prefix(f.value_expr.decor())), " ", &ci);
        f.value_expr.decor_mut().set_prefix(prefix);
    }
    fmt_expr(&mut f.value_expr, c);
    // Between the value and `if` (or the closing bracket); with `...`, the trivia after `...` is
    // the prefix of the condition.
    let value_suffix_raw = raw_suffix(f.value_expr.decor()).to_string();
    let value_suffix = match (&f.cond, f.grouping) {
        (_, true) => render_gap(&Trivia::parse(&value_suffix_raw), "", &ci),
        (Some(_), false) => String::new(),
        (None, false) => render_gap(&Trivia::parse(&value_suffix_raw), pad, &li),
    };
    f.value_expr.decor_mut().set_suffix(value_suffix);

    // if cond
    if let Some(cond) = &mut f.cond {
        let before_if = if f.grouping { String::new() } else { value_suffix_raw };
        let prefix = render_gap(&Trivia::from_parts(&[&before_if, raw_prefix(cond.decor())]), " ", &ci);
        cond.decor_mut().set_prefix(prefix);
        cond.decor_mut().set_suffix("");
        fmt_expr(&mut cond.expr, c);
        set_gaps(cond.expr.decor_mut(), " ", pad, &ci, &li);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Test texts are written starting on the line after the opening quote.
    fn text(s: &str) -> &str {
        s.strip_prefix('\n').unwrap_or(s)
    }

    /// Formats `input`, compares with `expected`, and checks that formatting the output again
    /// changes nothing and that input and output parse to the same structure.
    #[track_caller]
    fn check(input: &str, expected: &str) {
        let out = format_source(input).expect("test input should parse");
        assert_eq!(out, expected, "\n--- got ---\n{out}\n--- expected ---\n{expected}");
        check_stable(input, &out);
    }

    #[track_caller]
    fn check_stable(input: &str, out: &str) {
        let again = format_source(out).expect("formatted output should parse");
        assert_eq!(again, out, "formatting is not idempotent:\n{again}");
        let before: hcl::Body = hcl::from_str(input).expect("input should deserialize");
        let after: hcl::Body = hcl::from_str(out).expect("output should deserialize");
        assert_eq!(before, after, "formatting changed the structure");
    }

    #[test]
    fn messy_block_becomes_canonical() {
        check(
            text(
                r#"
resource   "gpu_cluster"    "train"{
name="train"
    node_count =    4
  gpu_type= "a100"
      labels {
  team="ml"
        }
    }
"#,
            ),
            text(
                r#"
resource "gpu_cluster" "train" {
  name       = "train"
  node_count = 4
  gpu_type   = "a100"
  labels {
    team = "ml"
  }
}
"#,
            ),
        );
    }

    #[test]
    fn comments_are_kept_and_reindented() {
        check(
            text(
                r#"
# File header.
// Second header line.

/* Block comment
   over two lines. */
resource "gpu_cluster" "train" { # after the brace
        # Leading comment, badly indented.
  name = "train"    # trailing hash
  size = 4 // trailing slashes
  /* inline */ zone = "a"
  image /* why */ = "cuda"
      # Comment before the closing brace.
}
# Comment at the end of the file.
"#,
            ),
            text(
                r#"
# File header.
// Second header line.

/* Block comment
   over two lines. */
resource "gpu_cluster" "train" { # after the brace
  # Leading comment, badly indented.
  name              = "train" # trailing hash
  size              = 4       // trailing slashes
  /* inline */ zone = "a"
  image /* why */   = "cuda"
  # Comment before the closing brace.
}
# Comment at the end of the file.
"#,
            ),
        );
    }

    #[test]
    fn comments_only_and_empty_files() {
        check("", "");
        check("\n\n  \n", "");
        check(
            "  # only a comment   \n\n\n// and another",
            "# only a comment\n\n// and another\n",
        );
    }

    #[test]
    fn alignment_runs_are_broken_by_blank_lines_comments_and_blocks() {
        check(
            text(
                r#"
model_registry "main" {
  name = "main"
  bucket_name = "models"
  versioning = true

  retention_days = 30
  region = "eu-west-1"
  # A comment line breaks the run.
  storage_class = "STANDARD"
  kms = "alias/models"
  access {
    role = "reader"
  }
  owner = "ml-platform"
  description = "Model registry"
}
"#,
            ),
            text(
                r#"
model_registry "main" {
  name        = "main"
  bucket_name = "models"
  versioning  = true

  retention_days = 30
  region         = "eu-west-1"
  # A comment line breaks the run.
  storage_class = "STANDARD"
  kms           = "alias/models"
  access {
    role = "reader"
  }
  owner       = "ml-platform"
  description = "Model registry"
}
"#,
            ),
        );
    }

    #[test]
    fn multi_line_values_break_runs_but_a_heredoc_start_joins_the_run_above() {
        check(
            text(
                r#"
serving_endpoint "api" {
  name = "api"
  tags = {
    team = "ml"
  }
  replicas = 3
  script = <<EOT
echo hi
EOT
  port = 8080
}
"#,
            ),
            text(
                r#"
serving_endpoint "api" {
  name = "api"
  tags = {
    team = "ml"
  }
  replicas = 3
  script   = <<EOT
echo hi
EOT
  port = 8080
}
"#,
            ),
        );
    }

    #[test]
    fn trailing_comments_are_aligned_within_a_run() {
        check(
            text(
                r#"
drift_monitor "m" {
  threshold = 0.2 # alert above this
  window_days = 7 # rolling window
  metric = "psi"

  schedule = "daily" # when
}
"#,
            ),
            text(
                r#"
drift_monitor "m" {
  threshold   = 0.2 # alert above this
  window_days = 7   # rolling window
  metric      = "psi"

  schedule = "daily" # when
}
"#,
            ),
        );
    }

    #[test]
    fn nested_empty_and_one_line_blocks() {
        check(
            text(
                r#"
training_pipeline "nightly" {
stage "prepare" {
resources {
cpu = 4
memory = "16Gi"
}
}
stage   "train" {   gpus=8   }
lifecycle {
}
empty_with_comment {
# TODO
}
}
"#,
            ),
            text(
                r#"
training_pipeline "nightly" {
  stage "prepare" {
    resources {
      cpu    = 4
      memory = "16Gi"
    }
  }
  stage "train" { gpus = 8 }
  lifecycle {}
  empty_with_comment {
    # TODO
  }
}
"#,
            ),
        );
    }

    #[test]
    fn one_line_block_with_a_multi_line_value_is_expanded() {
        check(
            "a { b = [\n1,\n] }\n",
            text(
                r#"
a {
  b = [
    1,
  ]
}
"#,
            ),
        );
    }

    #[test]
    fn multi_line_objects_and_arrays() {
        check(
            text(
                r#"
locals {
  zones = ["a","b" ,  "c"]
  empty = [ ]
  none = {  }
  inline = {a=1,bb=2}
  sizes = [
  "small",
          "medium", # default
     "large",
  ]
  pairs = [
    "a", "b",
    "c"
  ]
  limits = {
      cpu = "4"
    memory_limit = "16Gi"
 # keep
    gpu = 1,
  }
  nested = {
    outer = {
      inner = [
        1,
        2
      ]
    }
  }
}
"#,
            ),
            text(
                r#"
locals {
  zones  = ["a", "b", "c"]
  empty  = []
  none   = {}
  inline = { a = 1, bb = 2 }
  sizes = [
    "small",
    "medium", # default
    "large",
  ]
  pairs = [
    "a", "b",
    "c"
  ]
  limits = {
    cpu          = "4"
    memory_limit = "16Gi"
    # keep
    gpu = 1,
  }
  nested = {
    outer = {
      inner = [
        1,
        2
      ]
    }
  }
}
"#,
            ),
        );
    }

    #[test]
    fn brackets_opened_on_one_line_indent_once() {
        check(
            text(
                r#"
locals {
  merged = merge(local.tags, {
      extra = "x"
    })
  args = format(
  "%s-%s",
     var.name,
  var.env,
  )
  policy = jsonencode({
  Statement = [{
  Effect = "Allow"
  }]
  })
}
"#,
            ),
            text(
                r#"
locals {
  merged = merge(local.tags, {
    extra = "x"
  })
  args = format(
    "%s-%s",
    var.name,
    var.env,
  )
  policy = jsonencode({
    Statement = [{
      Effect = "Allow"
    }]
  })
}
"#,
            ),
        );
    }

    #[test]
    fn expression_spacing() {
        check(
            text(
                r#"
locals {
  sum = 1+2*3
  cond = var.enabled?var.size:0
  attr = module.vpc . subnets [0] . id
  splat = aws_instance.web[*].id
  not = ! var.flag
  neg = - 5
  call = max( 1 ,2 )
  list_for = [ for s in var.names : upper(s) if s != "" ]
  map_for = {for k,v in var.models:k=>v.version}
  long_for = {
        for k, v in var.models : k => v
          if v.enabled
  }
  paren = ( var.a + var.b ) * 2
  wrapped = (
      var.enabled
    ? "on"
       : "off"
  )
}
"#,
            ),
            text(
                r#"
locals {
  sum      = 1 + 2 * 3
  cond     = var.enabled ? var.size : 0
  attr     = module.vpc.subnets[0].id
  splat    = aws_instance.web[*].id
  not      = !var.flag
  neg      = -5
  call     = max(1, 2)
  list_for = [for s in var.names : upper(s) if s != ""]
  map_for  = { for k, v in var.models : k => v.version }
  long_for = {
    for k, v in var.models : k => v
    if v.enabled
  }
  paren = (var.a + var.b) * 2
  wrapped = (
    var.enabled
    ? "on"
    : "off"
  )
}
"#,
            ),
        );
    }

    #[test]
    fn heredocs_and_templates_are_untouched() {
        let input = concat!(
            "locals {\n",
            "    script = <<EOT\n",
            "   keep   this   \n",
            "\tand this\n",
            "EOT\n",
            "  indented = <<-EOT\n",
            "      a\n",
            "        b\n",
            "    EOT\n",
            "  list = [\n",
            "  <<EOT\n",
            "x\n",
            "EOT\n",
            "  ]\n",
            "  call = trimspace(<<EOT\n",
            "hello\n",
            "EOT\n",
            "  )\n",
            "  tmpl = \"${var.name}-${ var.env }\"\n",
            "}\n",
        );
        let expected = concat!(
            "locals {\n",
            "  script = <<EOT\n",
            "   keep   this   \n",
            "\tand this\n",
            "EOT\n",
            "  indented = <<-EOT\n",
            "      a\n",
            "        b\n",
            "    EOT\n",
            "  list = [\n",
            "    <<EOT\n",
            "x\n",
            "EOT\n",
            "  ]\n",
            "  call = trimspace(<<EOT\n",
            "hello\n",
            "EOT\n",
            "  )\n",
            "  tmpl = \"${var.name}-${ var.env }\"\n",
            "}\n",
        );
        check(input, expected);
    }

    #[test]
    fn indented_heredoc_with_tabs_is_kept_byte_for_byte() {
        let input = "x = <<-EOT\n\t\tfoo\n    bar\n  EOT\n";
        check(input, input);
    }

    #[test]
    fn comments_around_operators_and_traversals_are_kept() {
        check(
            text(
                r#"
ok = (
  var.a &&
      # both must hold
  var.b
)
first = var.list[
  # the first one
  0
]
chain = (
  module.net
  # private side
  .subnets
)
"#,
            ),
            text(
                r#"
ok = (
  var.a &&
  # both must hold
  var.b
)
first = var.list[
  # the first one
  0
]
chain = (
  module.net
  # private side
  .subnets
)
"#,
            ),
        );
    }

    #[test]
    fn escapes_after_a_nested_template_survive() {
        let input = "a = \"${format(\"%s-${var.x}\", y)}\\\"q\\\"\\n\"\n";
        check(input, input);
    }

    #[test]
    fn heredoc_followed_by_a_comma_stays_valid() {
        check(
            "a = [\n<<EOT\nx\nEOT\n, \"b\"]\nb = { c = <<EOT\ny\nEOT\n}\n",
            "a = [\n  <<EOT\nx\nEOT\n  , \"b\"]\nb = { c = <<EOT\ny\nEOT\n}\n",
        );
    }

    #[test]
    fn blank_lines_and_whitespace() {
        check(
            "\n\n\na = 1   \n\n\n\nb = 2\n\n\nblock {\n\n\n  c = 3\n\n\n  d = 4\n\n\n}\n\n\n\nother {}   \n\n\n",
            text(
                r#"
a = 1

b = 2

block {
  c = 3

  d = 4
}

other {}
"#,
            ),
        );
        // No newline at the end of the input; tabs for indentation.
        check("x {\n\ty = 1\n}", "x {\n  y = 1\n}\n");
    }

    #[test]
    fn crlf_input_gives_lf_output() {
        check(
            "a = 1\r\nblock {\r\n  b = 2 # c\r\n}\r\n",
            "a = 1\nblock {\n  b = 2 # c\n}\n",
        );
    }

    #[test]
    fn formatted_input_is_unchanged() {
        let canonical = text(
            r#"
# GPU training cluster with a model registry.
variable "gpu_count" {
  type    = number
  default = 2
}

locals {
  name = "ml-${var.env}"
  tags = {
    Team    = "ml-platform"
    Managed = "plinth"
  }
}

resource "gpu_cluster" "train" {
  count = var.gpu_count > 0 ? 1 : 0

  name          = local.name
  instance_type = "p4d.24xlarge" # 8 x A100
  subnets       = [for s in module.vpc.private_subnets : s.id]

  node_pool "default" {
    min_size = 1
    max_size = var.gpu_count
  }

  tags = merge(local.tags, {
    Name = local.name
  })

  lifecycle {
    prevent_destroy = true
  }
}

output "endpoint" {
  value     = gpu_cluster.train[0].endpoint
  sensitive = false
}
"#,
        );
        check(canonical, canonical);
    }

    #[test]
    fn syntax_error_reports_line_and_column() {
        let err =
            format_source("resource \"x\" \"y\" {\n  name = \"a\"\n  size = = 4\n}\n").expect_err("invalid input");
        assert_eq!((err.line, err.column), (3, 10));
        assert!(err.message.contains("expected"), "{}", err.message);
        assert!(err.to_string().starts_with("line 3, column 10: "), "{err}");

        let err = format_source("zones = [\"a\", \"b\"\n").expect_err("invalid input");
        assert_eq!(err.line, 1);
        assert!(err.message.contains("`]`"), "{}", err.message);
    }
}
