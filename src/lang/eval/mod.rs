//! The expression evaluator: hcl-edit syntax trees to [`Value`]s, with Terraform's semantics.
//!
//! It owns literals, collections, templates and heredocs, traversals and splats, operators,
//! conditionals, `for` expressions and function calls, including the calls the evaluator handles
//! itself (`try`, `can` and `templatefile` need the syntax tree; `secret` reads a secret source
//! through the caller's [`SecretResolver`] and marks the result sensitive). Unknown values propagate
//! (anything computed from an unknown is unknown) and sensitive marks follow the data (a result
//! computed from a secret is a secret). Every error carries the span of the sub-expression at
//! fault, and evaluation goes on past an error to report every other one it can find.
//!
//! It deliberately knows nothing of what names mean: a reference's root and its static steps go
//! to the caller's [`Scope`], which consumes as many steps as it wants; the evaluator applies the
//! rest. The built-in functions live in `functions/`.
//!
//! This module holds the entry points ([`eval`], [`eval_template_str`]), the `Evaluator` and its
//! dispatch over expression kinds, and the value helpers its parts share; each kind of expression
//! is a submodule: `collection`, `template`, `traversal`, `operators`, `for_expr` and `call`.

use plinth_sdk::value::Entry;
use std::collections::BTreeMap;
use std::ops::Range;
use std::path::Path;

use hcl::edit::Span as _;
use hcl::edit::expr::{
    BinaryOp, BinaryOperator, Conditional, Expression, ForExpr, FuncCall, Object, ObjectKey, Traversal,
    TraversalOperator, UnaryOp, UnaryOperator,
};
use hcl::edit::template::{Directive, Element, ForDirective, IfDirective, Interpolation, StringTemplate, Template};
use hcl::edit::{Decorated, Ident};
use plinth_sdk::Map;
use plinth_sdk::Number;
use plinth_sdk::Value;

use crate::diag::{Diagnostic, FileId};
use crate::lang::functions::{self, FuncContext};
use crate::lang::{EvalContext, Scope, ScopeError, SecretResolver, Step};

mod call;
mod collection;
mod for_expr;
mod operators;
mod template;
#[cfg(test)]
mod tests;
mod traversal;

type Diags = Vec<Diagnostic>;
type EvalResult = Result<Value, Diags>;
type Op = Decorated<TraversalOperator>;

/// Evaluates `expr`. On failure returns every error found, each with the span of the
/// sub-expression at fault in `ctx.file`.
pub fn eval(expr: &Expression, ctx: &EvalContext) -> Result<Value, Vec<Diagnostic>> {
    let ev = Evaluator {
        file: ctx.file,
        scope: ctx.scope,
        secrets: ctx.secrets,
        base_dir: ctx.base_dir,
        in_templatefile: false,
    };
    ev.expr(expr)
}

/// Renders a template file's text for `templatefile(path, vars)`: `vars` are visible as plain
/// names. The result is a string, unknown when a var it uses is unknown, and sensitive when a
/// sensitive value went into it. Errors are `line:col: summary: detail` lines of the template.
pub fn eval_template_str(
    text: &str,
    vars: &Map,
    base_dir: &Path,
    secrets: &dyn SecretResolver,
) -> Result<Value, String> {
    let template = hcl::edit::parser::parse_template(text).map_err(|e| {
        format!(
            "{}:{}: invalid template syntax: {}",
            e.location().line(),
            e.location().column(),
            e.message()
        )
    })?;
    let scope = VarsScope(vars);
    let ev = Evaluator {
        file: 0,
        scope: &scope,
        secrets,
        base_dir,
        // Terraform forbids templatefile inside a template: it would allow unbounded recursion.
        in_templatefile: true,
    };
    ev.template_value(&template).map_err(|diags| {
        diags
            .iter()
            .map(|d| {
                let at = d
                    .span
                    .as_ref()
                    .map(|s| {
                        let (line, col) = line_col(text, s.range.start);
                        format!("{line}:{col}: ")
                    })
                    .unwrap_or_default();
                if d.detail.is_empty() {
                    format!("{at}{}", d.summary)
                } else {
                    format!("{at}{}: {}", d.summary, d.detail)
                }
            })
            .collect::<Vec<_>>()
            .join("\n")
    })
}

/// 1-based line and column (in characters) of a byte offset in `text`.
fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let offset = offset.min(text.len());
    let before = text.get(..offset).unwrap_or(text);
    let line = before.matches('\n').count() + 1;
    let start = before.rfind('\n').map_or(0, |i| i + 1);
    (line, before[start..].chars().count() + 1)
}

/// The names of a template file: exactly the `vars` given to `templatefile`.
struct VarsScope<'a>(&'a Map);

impl Scope for VarsScope<'_> {
    fn lookup(&self, root: &str, _steps: &[Step]) -> Result<(Value, usize), ScopeError> {
        match self.0.get(root) {
            Some(v) => Ok((v.clone(), 0)),
            None => Err(ScopeError::new(
                "Reference to undeclared template variable",
                format!("The vars given to templatefile have no attribute named \"{root}\"."),
                None,
            )),
        }
    }
}

/// The variables of a `for` expression or directive over the enclosing scope: its own names
/// shadow the outer ones.
struct Layer<'p> {
    names: Vec<(String, Value)>,
    parent: &'p dyn Scope,
}

impl Scope for Layer<'_> {
    fn lookup(&self, root: &str, steps: &[Step]) -> Result<(Value, usize), ScopeError> {
        match self.names.iter().find(|(n, _)| n == root) {
            Some((_, v)) => Ok((v.clone(), 0)),
            None => self.parent.lookup(root, steps),
        }
    }

    fn planning(&self) -> bool {
        self.parent.planning()
    }
}

#[derive(Clone, Copy)]
struct Evaluator<'a> {
    file: FileId,
    scope: &'a dyn Scope,
    secrets: &'a dyn SecretResolver,
    base_dir: &'a Path,
    in_templatefile: bool,
}

/// A template being rendered: its text so far and its marks.
#[derive(Default)]
struct Rendered {
    text: String,
    unknown: bool,
    sensitive: bool,
    /// Indentation to strip after each line break of literals inside directives.
    dedent: Option<usize>,
}

impl<'a> Evaluator<'a> {
    /// Adds the size of `v` to `total`, the size of a value being built; past
    /// [`functions::MAX_VALUE_BYTES`] it is an error at `span` (`what` names the value).
    fn grow(&self, total: &mut usize, v: &Value, what: &str, span: Option<Range<usize>>) -> Result<(), Diagnostic> {
        let budget = functions::MAX_VALUE_BYTES - (*total).min(functions::MAX_VALUE_BYTES);
        *total += functions::value_size(v, budget) + functions::ELEMENT_BYTES;
        if *total > functions::MAX_VALUE_BYTES {
            return Err(self.err("Value too large", functions::too_large_message(what), span));
        }
        Ok(())
    }

    fn err(&self, summary: impl Into<String>, detail: impl Into<String>, span: Option<Range<usize>>) -> Diagnostic {
        Diagnostic::error(summary).with_detail(detail).at(self.file, span)
    }

    fn with_scope<'b>(&self, scope: &'b dyn Scope) -> Evaluator<'b>
    where
        'a: 'b,
    {
        Evaluator {
            file: self.file,
            scope,
            secrets: self.secrets,
            base_dir: self.base_dir,
            in_templatefile: self.in_templatefile,
        }
    }

    fn expr(&self, e: &Expression) -> EvalResult {
        match e {
            Expression::Null(_) => Ok(Value::Null),
            Expression::Bool(b) => Ok(Value::Bool(*b.value())),
            Expression::Number(n) => Ok(Value::from(hcl_number(n.value()))),
            Expression::String(s) => Ok(Value::String(s.value().clone())),
            Expression::Array(items) => {
                let mut out = Vec::with_capacity(items.len());
                let mut errs = Vec::new();
                let mut size = 0;
                for item in items.iter() {
                    match self.expr(item) {
                        Ok(v) => {
                            if let Err(d) = self.grow(&mut size, &v, "this tuple", e.span()) {
                                return Err(vec![d]);
                            }
                            out.push(v)
                        }
                        Err(d) => errs.extend(d),
                    }
                }
                finish(Value::List(out), errs)
            }
            Expression::Object(o) => self.object(o),
            Expression::StringTemplate(t) => self.string_template(t),
            Expression::HeredocTemplate(h) => self.render(&h.template, h.indent()),
            Expression::Parenthesis(p) => self.expr(p.inner()),
            Expression::Variable(_) => self.traverse(e, &[]),
            Expression::Conditional(c) => self.conditional(c),
            Expression::FuncCall(f) => self.func_call(f),
            Expression::Traversal(t) => self.traversal(t),
            Expression::UnaryOp(u) => self.unary(u),
            Expression::BinaryOp(b) => self.binary(b),
            Expression::ForExpr(f) => self.for_expr(f),
        }
    }
}

// ---- helpers ----------------------------------------------------------------------------------

fn finish(v: Value, errs: Diags) -> EvalResult {
    if errs.is_empty() { Ok(v) } else { Err(errs) }
}

/// Both results, or every error of either.
fn both<A, B>(a: Result<A, Diags>, b: Result<B, Diags>) -> Result<(A, B), Diags> {
    match (a, b) {
        (Ok(a), Ok(b)) => Ok((a, b)),
        (a, b) => {
            let mut errs = a.err().unwrap_or_default();
            errs.extend(b.err().unwrap_or_default());
            Err(errs)
        }
    }
}

/// Adds diagnostics not already present: a body evaluated once per element would otherwise
/// repeat one mistake for every element.
fn push_unique(into: &mut Diags, from: Diags) {
    for d in from {
        if !into.contains(&d) {
            into.push(d);
        }
    }
}

/// The value without its top-level sensitive mark(s), and whether there was one; marks nested
/// inside stay where they are.
fn unmark_top(v: Value) -> (Value, bool) {
    match v {
        Value::Sensitive(inner) => (unmark_top(*inner).0, true),
        v => (v, false),
    }
}

/// `s` with up to `n` spaces or tabs removed after each line break: hcl-edit dedents the
/// top-level lines of a `<<-` heredoc but not those inside `%{if}` or `%{for}` bodies.
fn dedent_lines(s: &str, n: usize) -> String {
    let mut lines = s.split('\n');
    let mut out = String::with_capacity(s.len());
    out.push_str(lines.next().unwrap_or_default());
    for line in lines {
        out.push('\n');
        let ws = line.bytes().take(n).take_while(|b| matches!(b, b' ' | b'\t')).count();
        out.push_str(&line[ws..]);
    }
    out
}

fn is_splat(op: &TraversalOperator) -> bool {
    matches!(op, TraversalOperator::AttrSplat(_) | TraversalOperator::FullSplat(_))
}

/// Whether `el` strips whitespace from the literal right after it (`~}`).
fn strips_following(el: &Element) -> bool {
    match el {
        Element::Literal(_) => false,
        Element::Interpolation(i) => i.strip.strip_end(),
        Element::Directive(d) => match &**d {
            Directive::If(d) => d.endif_expr.strip.strip_end(),
            Directive::For(d) => d.endfor_expr.strip.strip_end(),
        },
    }
}

/// Whether `el` strips whitespace from the literal right before it (`{~`).
fn strips_preceding(el: &Element) -> bool {
    match el {
        Element::Literal(_) => false,
        Element::Interpolation(i) => i.strip.strip_start(),
        Element::Directive(d) => match &**d {
            Directive::If(d) => d.if_expr.strip.strip_start(),
            Directive::For(d) => d.for_expr.strip.strip_start(),
        },
    }
}

fn for_names(
    key_var: Option<&Decorated<Ident>>,
    value_var: &Decorated<Ident>,
    k: Value,
    v: Value,
) -> Vec<(String, Value)> {
    let mut names = Vec::with_capacity(2);
    if let Some(kv) = key_var {
        names.push((kv.value().as_str().to_string(), k));
    }
    names.push((value_var.value().as_str().to_string(), v));
    names
}

/// A number literal: integers (which hcl-rs keeps as `i64`/`u64`) exactly, others as `f64`.
fn hcl_number(n: &hcl::Number) -> Number {
    if let Some(i) = n.as_i64() {
        Number::from(i)
    } else if let Some(u) = n.as_u64() {
        Number::from(u)
    } else {
        Number::from_f64(n.as_f64().unwrap_or_default())
    }
}

/// A number, or a string that spells one (Terraform's string-to-number conversion).
fn to_number(v: &Value) -> Option<Number> {
    match v.strip_sensitive() {
        Value::String(s) => Number::parse(s),
        v => v.as_number(),
    }
}

/// A bool, or the strings `"true"` and `"false"`.
fn to_bool(v: &Value) -> Option<bool> {
    match v.strip_sensitive() {
        Value::Bool(b) => Some(*b),
        Value::String(s) if s == "true" => Some(true),
        Value::String(s) if s == "false" => Some(false),
        _ => None,
    }
}

/// A primitive as a string: map keys, index keys of maps, template interpolation.
fn to_key_string(v: &Value) -> Option<String> {
    match v.strip_sensitive() {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}

/// Terraform's `==`: values of different types are unequal, collections compare element by
/// element. `None` when the answer depends on an unknown.
fn values_equal(a: &Value, b: &Value) -> Option<bool> {
    match (a, b) {
        (Value::Sensitive(a), b) | (b, Value::Sensitive(a)) => values_equal(a, b),
        (Value::Unknown, _) | (_, Value::Unknown) => None,
        (Value::Null, Value::Null) => Some(true),
        (Value::Bool(x), Value::Bool(y)) => Some(x == y),
        (Value::Number(x), Value::Number(y)) => Some(x == y),
        (Value::String(x), Value::String(y)) => Some(x == y),
        (Value::List(x), Value::List(y)) => {
            if x.len() != y.len() {
                return Some(false);
            }
            all_equal(x.iter().zip(y))
        }
        (Value::Map(x), Value::Map(y)) => {
            if x.len() != y.len() || !x.keys().eq(y.keys()) {
                return Some(false);
            }
            all_equal(x.values().zip(y.values()))
        }
        _ => Some(false),
    }
}

fn all_equal<'v>(pairs: impl Iterator<Item = (&'v Value, &'v Value)>) -> Option<bool> {
    let mut unknown = false;
    for (a, b) in pairs {
        match values_equal(a, b) {
            Some(false) => return Some(false),
            None => unknown = true,
            Some(true) => {}
        }
    }
    if unknown { None } else { Some(true) }
}
