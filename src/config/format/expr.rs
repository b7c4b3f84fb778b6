//! Expressions outside brackets: operators, conditionals, traversals, parentheses, function
//! call names and continuation lines. The inside of brackets is left to `brackets`.

use hcl::edit::expr::{Expression, FuncCall, TraversalOperator};
use hcl::edit::{Decor, Decorate};

use super::brackets::{fmt_for, fmt_object, format_seq};
use super::trivia::{Trivia, ind, raw_prefix, raw_str, raw_suffix, render_gap, set_gaps};

pub(super) fn has_nl(decor: &Decor) -> bool {
    Trivia::parse(raw_prefix(decor)).has_newline() || Trivia::parse(raw_suffix(decor)).has_newline()
}

/// Whether a line break occurs in `e` outside of any bracket it contains (a continuation line,
/// which is indented one level deeper than the line it continues). The decor of `e` itself does
/// not count.
pub(super) fn direct_nl(e: &Expression) -> bool {
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
pub(super) fn ends_with_heredoc(e: &Expression) -> bool {
    match e {
        Expression::HeredocTemplate(_) => true,
        Expression::BinaryOp(b) => ends_with_heredoc(&b.rhs_expr),
        Expression::Conditional(c) => ends_with_heredoc(&c.false_expr),
        Expression::UnaryOp(u) => ends_with_heredoc(&u.expr),
        _ => false,
    }
}

/// The expression's text without its own decor.
pub(super) fn bare_text(e: &mut Expression) -> String {
    let saved = e.decor().clone();
    e.decor_mut().clear();
    let text = e.to_string();
    *e.decor_mut() = saved;
    text
}

/// Formats the inside of an expression (not its own decor, which its parent sets). `lvl` is the
/// indentation level of the line the expression is on: continuation lines are indented to
/// `lvl + 1` and closing brackets on their own line to `lvl`.
pub(super) fn fmt_expr(e: &mut Expression, lvl: usize) {
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
