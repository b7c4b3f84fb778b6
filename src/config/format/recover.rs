//! Work-arounds for what hcl-edit 0.10 loses: [`Recover`] puts back, from the source text, the
//! trivia and heredoc bodies its tree drops, and [`EscapeFix`] re-escapes the string literals its
//! printer would print raw. Both are passes over the tree; the formatting rules are elsewhere.

use hcl::edit::expr::{BinaryOp, Traversal};
use hcl::edit::parser;
use hcl::edit::template::{HeredocTemplate, StringTemplate};
use hcl::edit::visit_mut::{self, VisitMut};
use hcl::edit::{Decorate, Span, Spanned};

/// Restores, from the source text, what `parse_body` leaves out of the tree:
///
/// - the trivia around a binary operator and before a traversal operator (`.x`, `[0]`): hcl-edit
///   does not resolve those decor spans, so their text reads as empty and printing the tree drops
///   comments there;
/// - the body of a `<<-` heredoc: hcl-edit removes its indentation and prints it back as spaces,
///   which changes lines indented with tabs. The body is parsed again from the source text with no
///   indentation removed (indent 0), so it prints exactly as written.
pub(super) struct Recover<'a> {
    pub(super) text: &'a str,
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
pub(super) struct EscapeFix {
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
