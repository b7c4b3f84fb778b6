//! Bodies, blocks and attributes: indentation per block level, blank lines, one-line blocks,
//! and the alignment runs of a body's attributes. Expressions are formatted by `expr`.

use hcl::edit::expr::Expression;
use hcl::edit::structure::{Attribute, Block, Body, Structure};
use hcl::edit::{Decor, Decorate};

use super::align::{assign_pads, comment_pads, spaces, width};
use super::expr::fmt_expr;
use super::trivia::{
    Trivia, ind, is_line_comment, join, raw_prefix, raw_suffix, render_closing, render_gap, render_leading, set_gaps,
};

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

pub(super) fn format_body(body: &mut Body, depth: usize) {
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
pub(super) fn comment_part(decor: &Decor) -> String {
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
