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
//! rest. The built-in functions live in `functions.rs`.

use std::collections::BTreeMap;
use std::collections::btree_map::Entry;
use std::ops::Range;
use std::path::Path;

use hcl::edit::Span as _;
use hcl::edit::expr::{
    BinaryOp, BinaryOperator, Conditional, Expression, ForExpr, FuncCall, Object, ObjectKey, Traversal,
    TraversalOperator, UnaryOp, UnaryOperator,
};
use hcl::edit::template::{Directive, Element, ForDirective, IfDirective, Interpolation, StringTemplate, Template};
use hcl::edit::{Decorated, Ident};
use plinth_sdk::Value;
use plinth_sdk::value::format_number;

use crate::diag::{Diagnostic, FileId};
use crate::lang::functions::{self, FuncContext};
use crate::lang::{EvalContext, Scope, ScopeError, SecretResolver, Step};

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
    vars: &BTreeMap<String, Value>,
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
struct VarsScope<'a>(&'a BTreeMap<String, Value>);

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
            Expression::Number(n) => Ok(Value::Number(n.value().as_f64().unwrap_or_default())),
            Expression::String(s) => Ok(Value::String(s.value().clone())),
            Expression::Array(items) => {
                let mut out = Vec::with_capacity(items.len());
                let mut errs = Vec::new();
                for item in items.iter() {
                    match self.expr(item) {
                        Ok(v) => out.push(v),
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

    // ---- collections ------------------------------------------------------------------------

    fn object(&self, o: &Object) -> EvalResult {
        let mut map = BTreeMap::new();
        let mut errs = Vec::new();
        let mut unknown = false;
        let mut sensitive = false;
        for (key, value) in o.iter() {
            let key = match key {
                ObjectKey::Ident(id) => Some(id.value().as_str().to_string()),
                ObjectKey::Expression(ke) => match self.expr(ke) {
                    Err(d) => {
                        errs.extend(d);
                        None
                    }
                    Ok(k) => {
                        let (k, s) = k.unmark();
                        sensitive |= s;
                        match k {
                            Value::Unknown => {
                                unknown = true;
                                None
                            }
                            Value::Null => {
                                errs.push(self.err(
                                    "Invalid object key",
                                    "Can't use a null value as an object key.",
                                    ke.span(),
                                ));
                                None
                            }
                            k => {
                                let s = to_key_string(&k);
                                if s.is_none() {
                                    errs.push(self.err(
                                        "Invalid object key",
                                        format!("Can't use this value as an object key: a string is required, but this is a {}.", k.type_name()),
                                        ke.span(),
                                    ));
                                }
                                s
                            }
                        }
                    }
                },
            };
            match (key, self.expr(value.expr())) {
                (_, Err(d)) => errs.extend(d),
                (Some(k), Ok(v)) => {
                    map.insert(k, v);
                }
                (None, Ok(_)) => {}
            }
        }
        let v = if unknown { Value::Unknown } else { Value::Map(map) };
        finish(v.mark_if(sensitive), errs)
    }

    // ---- templates --------------------------------------------------------------------------

    fn string_template(&self, t: &StringTemplate) -> EvalResult {
        // `"${x}"` alone is x itself, not x converted to a string (HCL's template wrap rule).
        if let Some(Element::Interpolation(i)) = t.as_single_element() {
            return self.expr(&i.expr);
        }
        self.template_value(t)
    }

    fn template_value(&self, t: &Template) -> EvalResult {
        self.render(t, None)
    }

    /// Renders a template. `dedent` is the indentation the parser stripped from the top-level
    /// lines of a `<<-` heredoc; lines inside directives still carry it.
    fn render(&self, t: &Template, dedent: Option<usize>) -> EvalResult {
        let mut out = Rendered {
            dedent,
            ..Rendered::default()
        };
        let mut errs = Vec::new();
        self.template(t, false, false, false, &mut out, &mut errs);
        let v = if out.unknown {
            Value::Unknown
        } else {
            Value::String(out.text)
        };
        finish(v.mark_if(out.sensitive), errs)
    }

    /// Renders `t` into `out`. `trim_first`/`trim_last` say whether the directive around `t`
    /// asked (with `~`) to strip whitespace at the start of its first literal or the end of its
    /// last one; `nested` whether `t` is the body of a directive.
    fn template(
        &self,
        t: &Template,
        trim_first: bool,
        trim_last: bool,
        nested: bool,
        out: &mut Rendered,
        errs: &mut Diags,
    ) {
        let elems: Vec<&Element> = t.iter().collect();
        for (i, el) in elems.iter().enumerate() {
            match el {
                Element::Literal(lit) => {
                    let trim_start = if i == 0 {
                        trim_first
                    } else {
                        strips_following(elems[i - 1])
                    };
                    let trim_end = if i + 1 == elems.len() {
                        trim_last
                    } else {
                        strips_preceding(elems[i + 1])
                    };
                    // Like HCL's Go implementation, a strip marker removes all adjacent whitespace.
                    let dedented;
                    let mut s: &str = lit.value();
                    if let (true, Some(n)) = (nested, out.dedent) {
                        dedented = dedent_lines(s, n);
                        s = &dedented;
                    }
                    if trim_start {
                        s = s.trim_start();
                    }
                    if trim_end {
                        s = s.trim_end();
                    }
                    out.text.push_str(s);
                }
                Element::Interpolation(interp) => self.interpolation(interp, out, errs),
                Element::Directive(d) => match &**d {
                    Directive::If(d) => self.if_directive(d, out, errs),
                    Directive::For(d) => self.for_directive(d, out, errs),
                },
            }
        }
    }

    fn interpolation(&self, interp: &Interpolation, out: &mut Rendered, errs: &mut Diags) {
        let v = match self.expr(&interp.expr) {
            Ok(v) => v,
            Err(d) => return errs.extend(d),
        };
        let (v, s) = v.unmark();
        out.sensitive |= s;
        match v {
            Value::Unknown => out.unknown = true,
            Value::Null => errs.push(self.err(
                "Invalid template interpolation value",
                "The expression result is null. Cannot include a null value in a string template.",
                interp.expr.span(),
            )),
            Value::List(_) | Value::Map(_) => errs.push(self.err(
                "Invalid template interpolation value",
                format!(
                    "Cannot include the given value in a string template: string required, but this is a {}.",
                    v.type_name()
                ),
                interp.expr.span(),
            )),
            v => {
                if let Some(s) = to_key_string(&v) {
                    out.text.push_str(&s);
                }
            }
        }
    }

    /// A directive's condition: `Some(b)` to go on, `None` when it is unknown or failed.
    fn directive_cond(&self, e: &Expression, out: &mut Rendered, errs: &mut Diags) -> Option<bool> {
        let v = match self.expr(e) {
            Ok(v) => v,
            Err(d) => {
                errs.extend(d);
                return None;
            }
        };
        let (v, s) = v.unmark();
        out.sensitive |= s;
        match v {
            Value::Unknown => {
                out.unknown = true;
                None
            }
            Value::Null => {
                errs.push(self.err(
                    "Null condition",
                    "The condition value is null. Conditions must either be true or false.",
                    e.span(),
                ));
                None
            }
            v => {
                let b = to_bool(&v);
                if b.is_none() {
                    errs.push(self.err(
                        "Incorrect condition type",
                        format!("The condition must be of type bool, but this is a {}.", v.type_name()),
                        e.span(),
                    ));
                }
                b
            }
        }
    }

    fn if_directive(&self, d: &IfDirective, out: &mut Rendered, errs: &mut Diags) {
        let Some(cond) = self.directive_cond(&d.if_expr.cond_expr, out, errs) else {
            return;
        };
        let endif_trim = d.endif_expr.strip.strip_start();
        if cond {
            let trim_last = d.else_expr.as_ref().map_or(endif_trim, |e| e.strip.strip_start());
            self.template(
                &d.if_expr.template,
                d.if_expr.strip.strip_end(),
                trim_last,
                true,
                out,
                errs,
            );
        } else if let Some(e) = &d.else_expr {
            self.template(&e.template, e.strip.strip_end(), endif_trim, true, out, errs);
        }
    }

    fn for_directive(&self, d: &ForDirective, out: &mut Rendered, errs: &mut Diags) {
        let f = &d.for_expr;
        let coll = match self.expr(&f.collection_expr) {
            Ok(v) => v,
            Err(e) => return errs.extend(e),
        };
        let (coll, s) = unmark_top(coll);
        out.sensitive |= s;
        let pairs = match self.iteration(coll, f.collection_expr.span(), "directive") {
            Ok(Some(p)) => p,
            Ok(None) => {
                out.unknown = true;
                return;
            }
            Err(e) => return errs.push(e),
        };
        let mut seen = Vec::new();
        for (k, v) in pairs {
            let layer = Layer {
                names: for_names(f.key_var.as_ref(), &f.value_var, k, v),
                parent: self.scope,
            };
            let mut body_errs = Vec::new();
            self.with_scope(&layer).template(
                &f.template,
                f.strip.strip_end(),
                d.endfor_expr.strip.strip_start(),
                true,
                out,
                &mut body_errs,
            );
            push_unique(&mut seen, body_errs);
        }
        errs.extend(seen);
    }

    // ---- references -------------------------------------------------------------------------

    fn traversal(&self, t: &Traversal) -> EvalResult {
        self.traverse(&t.expr, &t.operators)
    }

    /// Evaluates `base` followed by `ops`. A variable root and its steps up to the first splat go
    /// to the scope; whatever it leaves is applied here.
    fn traverse(&self, base: &Expression, ops: &[Op]) -> EvalResult {
        let mut errs = Vec::new();
        let split = ops.iter().position(|op| is_splat(op.value())).unwrap_or(ops.len());
        let mut steps = Vec::with_capacity(split);
        let mut key_sensitive = false;
        let mut bad_key = None;
        for (i, op) in ops[..split].iter().enumerate() {
            let step = match op.value() {
                TraversalOperator::GetAttr(id) => Step::Attr(id.value().as_str().to_string()),
                TraversalOperator::LegacyIndex(n) => Step::Index(Value::Number(*n.value() as f64)),
                TraversalOperator::Index(e) => match self.expr(e) {
                    Ok(k) => {
                        let (k, s) = k.unmark();
                        key_sensitive |= s;
                        Step::Index(k)
                    }
                    Err(d) => {
                        errs.extend(d);
                        bad_key.get_or_insert(i);
                        Step::Index(Value::Null)
                    }
                },
                TraversalOperator::AttrSplat(_) | TraversalOperator::FullSplat(_) => unreachable!("split at splats"),
            };
            steps.push(step);
        }
        let end = bad_key.unwrap_or(split);
        // The scope sees the steps up to the first unknown key: an unknown key is resolved here,
        // where it makes the result unknown, so no scope needs to handle one.
        let scope_limit = steps[..end]
            .iter()
            .position(|s| matches!(s, Step::Index(Value::Unknown)))
            .unwrap_or(end);

        let (mut val, consumed) = match base {
            Expression::Variable(var) => match self.scope.lookup(var.value().as_str(), &steps[..scope_limit]) {
                Ok((v, n)) => (v, n.min(scope_limit)),
                Err(e) => {
                    let span = match e.step {
                        None => var.span(),
                        Some(i) => ops.get(i).and_then(|op| op.span()).or_else(|| var.span()),
                    };
                    errs.push(self.err(e.summary, e.detail, span));
                    return Err(errs);
                }
            },
            other => match self.expr(other) {
                Ok(v) => (v, 0),
                Err(d) => {
                    errs.extend(d);
                    return Err(errs);
                }
            },
        };
        for i in consumed..end {
            match self.apply_step(val, &steps[i], ops[i].span()) {
                Ok(v) => val = v,
                Err(d) => {
                    errs.push(d);
                    return Err(errs);
                }
            }
        }
        if !errs.is_empty() {
            return Err(errs);
        }
        if split < ops.len() {
            val = self.splat(val, &ops[split..])?;
        }
        Ok(val.mark_if(key_sensitive))
    }

    /// Applies traversal operators to a value (no scope involved), splats included.
    fn apply_ops(&self, mut val: Value, ops: &[Op]) -> EvalResult {
        let mut sensitive = false;
        for (i, op) in ops.iter().enumerate() {
            let step = match op.value() {
                TraversalOperator::GetAttr(id) => Step::Attr(id.value().as_str().to_string()),
                TraversalOperator::LegacyIndex(n) => Step::Index(Value::Number(*n.value() as f64)),
                TraversalOperator::Index(e) => {
                    let (k, s) = self.expr(e)?.unmark();
                    sensitive |= s;
                    Step::Index(k)
                }
                TraversalOperator::AttrSplat(_) | TraversalOperator::FullSplat(_) => {
                    return self.splat(val, &ops[i..]).map(|v| v.mark_if(sensitive));
                }
            };
            val = self.apply_step(val, &step, op.span()).map_err(|d| vec![d])?;
        }
        Ok(val.mark_if(sensitive))
    }

    /// `ops[0]` is a splat: applies what it governs to each element. A full splat `[*]` governs
    /// every operator after it; an attribute splat `.*` only the attribute accesses right after
    /// it, and the rest apply to the resulting list.
    fn splat(&self, val: Value, ops: &[Op]) -> EvalResult {
        let (first, rest) = ops.split_first().expect("splat operator");
        let (inner, after) = match first.value() {
            TraversalOperator::AttrSplat(_) => {
                let n = rest
                    .iter()
                    .take_while(|op| matches!(op.value(), TraversalOperator::GetAttr(_)))
                    .count();
                rest.split_at(n)
            }
            _ => (rest, &[][..]),
        };
        let (val, sensitive) = unmark_top(val);
        let items = match val {
            Value::Unknown => return Ok(Value::Unknown.mark_if(sensitive)),
            Value::Null => Vec::new(),
            Value::List(items) => items,
            // A single value splats as a list of itself, Terraform's rule for optional blocks.
            other => vec![other],
        };
        let mut out = Vec::with_capacity(items.len());
        let mut errs = Vec::new();
        for item in items {
            match self.apply_ops(item, inner) {
                Ok(v) => out.push(v),
                Err(d) => push_unique(&mut errs, d),
            }
        }
        if !errs.is_empty() {
            return Err(errs);
        }
        let result = Value::List(out).mark_if(sensitive);
        if after.is_empty() {
            Ok(result)
        } else {
            self.apply_ops(result, after)
        }
    }

    fn apply_step(&self, val: Value, step: &Step, span: Option<Range<usize>>) -> Result<Value, Diagnostic> {
        let (val, sensitive) = unmark_top(val);
        let out = match (val, step) {
            (Value::Unknown, _) => Value::Unknown,
            (Value::Map(mut m), Step::Attr(name)) => match m.remove(name) {
                Some(v) => v,
                None => {
                    return Err(self.err(
                        "Unsupported attribute",
                        format!("This object does not have an attribute named \"{name}\"."),
                        span,
                    ));
                }
            },
            (Value::Null, Step::Attr(_)) => {
                return Err(self.err(
                    "Attempt to get attribute from null value",
                    "This value is null, so it does not have any attributes.",
                    span,
                ));
            }
            (Value::List(_), Step::Attr(name)) => {
                return Err(self.err(
                    "Unsupported attribute",
                    format!(
                        "Can't access attributes on a list. Did you mean to access attribute \"{name}\" for a specific element of the list, or across all elements of the list ([*].{name})?"
                    ),
                    span,
                ));
            }
            (v, Step::Attr(_)) => {
                return Err(self.err(
                    "Unsupported attribute",
                    format!(
                        "Can't access attributes on a primitive-typed value ({}).",
                        v.type_name()
                    ),
                    span,
                ));
            }
            (Value::Null, Step::Index(_)) => {
                return Err(self.err(
                    "Attempt to index null value",
                    "This value is null, so it does not have any indices.",
                    span,
                ));
            }
            (_, Step::Index(Value::Null)) => {
                return Err(self.err("Invalid index", "Can't use a null value as an indexing key.", span));
            }
            (Value::List(_) | Value::Map(_), Step::Index(Value::Unknown)) => Value::Unknown,
            (Value::List(mut items), Step::Index(key)) => {
                let Some(n) = to_number(key) else {
                    return Err(self.err(
                        "Invalid index",
                        format!("The given key does not identify an element in this collection value: a number is required, but this is a {}.", key.type_name()),
                        span,
                    ));
                };
                if n.fract() != 0.0 {
                    return Err(self.err(
                        "Invalid index",
                        "The given key does not identify an element in this collection value: the index must be a whole number.",
                        span,
                    ));
                }
                if n < 0.0 || n >= items.len() as f64 {
                    return Err(self.err(
                        "Invalid index",
                        format!(
                            "The given key does not identify an element in this collection value: Index out of range (index {}, length {}).",
                            format_number(n),
                            items.len()
                        ),
                        span,
                    ));
                }
                items.swap_remove(n as usize)
            }
            (Value::Map(mut m), Step::Index(key)) => {
                let Some(k) = to_key_string(key) else {
                    return Err(self.err(
                        "Invalid index",
                        format!("The given key does not identify an element in this collection value: a string is required, but this is a {}.", key.type_name()),
                        span,
                    ));
                };
                match m.remove(&k) {
                    Some(v) => v,
                    None => {
                        return Err(self.err(
                            "Invalid index",
                            format!("The given key does not identify an element in this collection value: there is no element with key \"{k}\"."),
                            span,
                        ));
                    }
                }
            }
            (v, Step::Index(_)) => {
                return Err(self.err(
                    "Invalid index",
                    format!("This value does not have any indices: it is a {}.", v.type_name()),
                    span,
                ));
            }
        };
        Ok(out.mark_if(sensitive))
    }

    // ---- operators --------------------------------------------------------------------------

    fn conditional(&self, c: &Conditional) -> EvalResult {
        let (cond, sensitive) = self.expr(&c.cond_expr)?.unmark();
        let branch = match cond {
            Value::Unknown => return Ok(Value::Unknown.mark_if(sensitive)),
            Value::Null => {
                return Err(vec![self.err(
                    "Null condition",
                    "The condition value is null. Conditions must either be true or false.",
                    c.cond_expr.span(),
                )]);
            }
            v => match to_bool(&v) {
                Some(true) => &c.true_expr,
                Some(false) => &c.false_expr,
                None => {
                    return Err(vec![self.err(
                        "Incorrect condition type",
                        format!(
                            "The condition expression must be of type bool, but this is a {}.",
                            v.type_name()
                        ),
                        c.cond_expr.span(),
                    )]);
                }
            },
        };
        Ok(self.expr(branch)?.mark_if(sensitive))
    }

    fn unary(&self, u: &UnaryOp) -> EvalResult {
        let (v, sensitive) = self.expr(&u.expr)?.unmark();
        let span = u.expr.span();
        let out = match u.operator.value() {
            UnaryOperator::Neg => self.number_operand(&v, "unary", span)?.map(|n| Value::Number(-n)),
            UnaryOperator::Not => self.bool_operand(&v, "unary", span)?.map(|b| Value::Bool(!b)),
        };
        Ok(out.unwrap_or(Value::Unknown).mark_if(sensitive))
    }

    /// A number operand (numeric strings convert); `None` when unknown.
    fn number_operand(&self, v: &Value, which: &str, span: Option<Range<usize>>) -> Result<Option<f64>, Diags> {
        match v {
            Value::Unknown => Ok(None),
            Value::Null => Err(vec![self.err(
                "Invalid operand",
                format!("Unsuitable value for {which} operand: argument must not be null."),
                span,
            )]),
            v => to_number(v).map(Some).ok_or_else(|| {
                vec![self.err(
                    "Invalid operand",
                    format!("Unsuitable value for {which} operand: a number is required."),
                    span,
                )]
            }),
        }
    }

    /// A bool operand (`"true"`/`"false"` convert); `None` when unknown.
    fn bool_operand(&self, v: &Value, which: &str, span: Option<Range<usize>>) -> Result<Option<bool>, Diags> {
        match v {
            Value::Unknown => Ok(None),
            Value::Null => Err(vec![self.err(
                "Invalid operand",
                format!("Unsuitable value for {which} operand: argument must not be null."),
                span,
            )]),
            v => to_bool(v).map(Some).ok_or_else(|| {
                vec![self.err(
                    "Invalid operand",
                    format!("Unsuitable value for {which} operand: a bool is required."),
                    span,
                )]
            }),
        }
    }

    fn binary(&self, b: &BinaryOp) -> EvalResult {
        let (l, r) = match (self.expr(&b.lhs_expr), self.expr(&b.rhs_expr)) {
            (Ok(l), Ok(r)) => (l, r),
            (l, r) => {
                let mut errs = l.err().unwrap_or_default();
                errs.extend(r.err().unwrap_or_default());
                return Err(errs);
            }
        };
        let (l, ls) = l.unmark();
        let (r, rs) = r.unmark();
        let (lspan, rspan) = (b.lhs_expr.span(), b.rhs_expr.span());
        let op = *b.operator.value();
        use BinaryOperator as B;
        let out = match op {
            B::Eq | B::NotEq => values_equal(&l, &r).map(|eq| Value::Bool(eq == (op == B::Eq))),
            B::And | B::Or => {
                let (lb, rb) = both(
                    self.bool_operand(&l, "left", lspan),
                    self.bool_operand(&r, "right", rspan),
                )?;
                match (lb, rb) {
                    (Some(x), Some(y)) => Some(Value::Bool(if op == B::And { x && y } else { x || y })),
                    _ => None,
                }
            }
            _ => {
                let (ln, rn) = both(
                    self.number_operand(&l, "left", lspan),
                    self.number_operand(&r, "right", rspan.clone()),
                )?;
                match (ln, rn) {
                    (Some(x), Some(y)) => Some(match op {
                        B::Plus => Value::Number(x + y),
                        B::Minus => Value::Number(x - y),
                        B::Mul => Value::Number(x * y),
                        B::Div | B::Mod if y == 0.0 => {
                            return Err(vec![self.err(
                                "Division by zero",
                                "The right operand of this operation is zero; it must not be.",
                                rspan,
                            )]);
                        }
                        B::Div => Value::Number(x / y),
                        B::Mod => Value::Number(x % y),
                        B::Less => Value::Bool(x < y),
                        B::LessEq => Value::Bool(x <= y),
                        B::Greater => Value::Bool(x > y),
                        B::GreaterEq => Value::Bool(x >= y),
                        B::Eq | B::NotEq | B::And | B::Or => unreachable!("handled above"),
                    }),
                    _ => None,
                }
            }
        };
        Ok(out.unwrap_or(Value::Unknown).mark_if(ls || rs))
    }

    // ---- for expressions --------------------------------------------------------------------

    /// The (key, value) pairs a `for` iterates: index and element of a list or set, key and
    /// element of a map in key order. `Ok(None)` when the collection is unknown.
    #[allow(clippy::type_complexity)]
    fn iteration(
        &self,
        coll: Value,
        span: Option<Range<usize>>,
        what: &str,
    ) -> Result<Option<Vec<(Value, Value)>>, Diagnostic> {
        match coll {
            Value::Unknown => Ok(None),
            Value::Null => Err(self.err(
                "Iteration over null value",
                format!("A null value cannot be used as the collection in a 'for' {what}."),
                span,
            )),
            Value::List(items) => Ok(Some(
                items
                    .into_iter()
                    .enumerate()
                    .map(|(i, v)| (Value::Number(i as f64), v))
                    .collect(),
            )),
            Value::Map(m) => Ok(Some(m.into_iter().map(|(k, v)| (Value::String(k), v)).collect())),
            other => Err(self.err(
                "Iteration over non-iterable value",
                format!(
                    "A value of type {} cannot be used as the collection in a 'for' {what}.",
                    other.type_name()
                ),
                span,
            )),
        }
    }

    fn for_expr(&self, f: &ForExpr) -> EvalResult {
        let coll_expr = &f.intro.collection_expr;
        let (coll, mut sensitive) = unmark_top(self.expr(coll_expr)?);
        let pairs = match self.iteration(coll, coll_expr.span(), "expression") {
            Ok(Some(p)) => p,
            Ok(None) => return Ok(Value::Unknown.mark_if(sensitive)),
            Err(d) => return Err(vec![d]),
        };
        let mut errs = Vec::new();
        let mut unknown = false;
        let mut list = Vec::new();
        let mut map = BTreeMap::new();
        let mut groups: BTreeMap<String, Vec<Value>> = BTreeMap::new();
        for (k, v) in pairs {
            let layer = Layer {
                names: for_names(f.intro.key_var.as_ref(), &f.intro.value_var, k, v),
                parent: self.scope,
            };
            let inner = self.with_scope(&layer);
            if let Some(cond) = &f.cond {
                let c = match inner.expr(&cond.expr) {
                    Ok(c) => c,
                    Err(d) => {
                        push_unique(&mut errs, d);
                        continue;
                    }
                };
                let (c, s) = c.unmark();
                sensitive |= s;
                match c {
                    Value::Unknown => {
                        unknown = true;
                        continue;
                    }
                    c => match (c.is_null(), to_bool(&c)) {
                        (_, Some(true)) => {}
                        (_, Some(false)) => continue,
                        (null, None) => {
                            let detail = if null {
                                "The value of the 'if' clause must not be null.".to_string()
                            } else {
                                format!(
                                    "The value of the 'if' clause must be a bool, but this is a {}.",
                                    c.type_name()
                                )
                            };
                            push_unique(
                                &mut errs,
                                vec![self.err("Invalid 'for' condition", detail, cond.expr.span())],
                            );
                            continue;
                        }
                    },
                }
            }
            let Some(key_expr) = &f.key_expr else {
                match inner.expr(&f.value_expr) {
                    Ok(v) => list.push(v),
                    Err(d) => push_unique(&mut errs, d),
                }
                continue;
            };
            let key = match inner.expr(key_expr) {
                Err(d) => {
                    push_unique(&mut errs, d);
                    None
                }
                Ok(k) => {
                    let (k, s) = k.unmark();
                    sensitive |= s;
                    match k {
                        Value::Unknown => {
                            unknown = true;
                            None
                        }
                        k => {
                            let ks = to_key_string(&k);
                            if ks.is_none() {
                                let detail = if k.is_null() {
                                    "Key expression in 'for' expression must not produce a null value.".to_string()
                                } else {
                                    format!(
                                        "The key expression produced an invalid result: a string is required, but this is a {}.",
                                        k.type_name()
                                    )
                                };
                                push_unique(&mut errs, vec![self.err("Invalid object key", detail, key_expr.span())]);
                            }
                            ks
                        }
                    }
                }
            };
            let value = match inner.expr(&f.value_expr) {
                Ok(v) => v,
                Err(d) => {
                    push_unique(&mut errs, d);
                    continue;
                }
            };
            let Some(key) = key else { continue };
            if f.grouping {
                groups.entry(key).or_default().push(value);
            } else {
                match map.entry(key) {
                    Entry::Vacant(slot) => {
                        slot.insert(value);
                    }
                    Entry::Occupied(slot) => errs.push(self.err(
                        "Duplicate object key",
                        format!("Two different items produced the key \"{}\" in this 'for' expression. If duplicates are expected, use the ellipsis (...) after the value expression to enable grouping by key.", slot.key()),
                        key_expr.span(),
                    )),
                }
            }
        }
        let out = if unknown {
            Value::Unknown
        } else if f.key_expr.is_none() {
            Value::List(list)
        } else if f.grouping {
            Value::Map(groups.into_iter().map(|(k, v)| (k, Value::List(v))).collect())
        } else {
            Value::Map(map)
        };
        finish(out.mark_if(sensitive), errs)
    }

    // ---- function calls ---------------------------------------------------------------------

    fn func_call(&self, f: &FuncCall) -> EvalResult {
        let name = f.name.name.value().as_str();
        if f.name.is_namespaced() {
            let full: Vec<&str> = f
                .name
                .namespace
                .iter()
                .map(|n| n.value().as_str())
                .chain([name])
                .collect();
            let span = match (f.name.namespace.first().and_then(|n| n.span()), f.name.name.span()) {
                (Some(a), Some(b)) => Some(a.start..b.end),
                _ => f.span(),
            };
            return Err(vec![self.err(
                "Call to unknown function",
                format!(
                    "There is no function named \"{}\": provider-defined functions are not supported.",
                    full.join("::")
                ),
                span,
            )]);
        }
        match name {
            "try" => self.call_try(f),
            "can" => self.call_can(f),
            "templatefile" => self.call_templatefile(f),
            "secret" => self.call_secret(f),
            // Terraform's rule: values that differ on every call are unknown while planning, so
            // a plan never promises a value that apply would contradict.
            "timestamp" | "uuid" if self.planning() => {
                self.eval_args(f)?;
                Ok(Value::Unknown)
            }
            _ => {
                let Some((args, spans)) = self.eval_args(f)? else {
                    return Ok(Value::Unknown);
                };
                let fctx = FuncContext {
                    base_dir: self.base_dir,
                };
                functions::call(name, args, &fctx).map_err(|e| {
                    let span = e.arg.and_then(|i| spans.get(i).cloned().flatten()).or_else(|| f.span());
                    vec![self.call_error(name, &e.message, span)]
                })
            }
        }
    }

    fn planning(&self) -> bool {
        self.scope.planning()
    }

    fn call_error(&self, name: &str, message: &str, span: Option<Range<usize>>) -> Diagnostic {
        self.err(
            "Error in function call",
            format!("Call to function \"{name}\" failed: {message}"),
            span,
        )
    }

    /// Evaluates the arguments, expanding a final `...` argument; returns each value with the
    /// span to blame for it. `None` when the expanded argument is unknown (so is the result).
    #[allow(clippy::type_complexity)]
    fn eval_args(&self, f: &FuncCall) -> Result<Option<(Vec<Value>, Vec<Option<Range<usize>>>)>, Diags> {
        let exprs: Vec<&Expression> = f.args.iter().collect();
        let mut vals = Vec::with_capacity(exprs.len());
        let mut spans = Vec::with_capacity(exprs.len());
        let mut errs = Vec::new();
        let mut unknown = false;
        for (i, e) in exprs.iter().enumerate() {
            let v = match self.expr(e) {
                Ok(v) => v,
                Err(d) => {
                    errs.extend(d);
                    continue;
                }
            };
            if f.args.expand_final() && i + 1 == exprs.len() {
                let (v, s) = unmark_top(v);
                match v {
                    Value::Unknown => unknown = true,
                    Value::List(items) => {
                        for item in items {
                            vals.push(item.mark_if(s));
                            spans.push(e.span());
                        }
                    }
                    other => errs.push(self.err(
                        "Invalid expanding argument value",
                        format!(
                            "The expanding argument (indicated by ...) must be a list, tuple or set, but this is a {}.",
                            other.type_name()
                        ),
                        e.span(),
                    )),
                }
            } else {
                vals.push(v);
                spans.push(e.span());
            }
        }
        if !errs.is_empty() {
            return Err(errs);
        }
        Ok((!unknown).then_some((vals, spans)))
    }

    fn arg_count_error(&self, f: &FuncCall, name: &str, want: &str) -> Option<Diags> {
        let n = f.args.len();
        let ok = match want {
            "1" => n == 1,
            "2" => n == 2,
            _ => n >= 1,
        };
        if ok && !f.args.expand_final() {
            return None;
        }
        let message = if f.args.expand_final() {
            "this function does not accept an expanded (...) argument.".to_string()
        } else if want == "1+" {
            "at least one argument is required.".to_string()
        } else {
            format!("it takes exactly {want} argument(s), but {n} were given.")
        };
        Some(vec![self.call_error(name, &message, f.span())])
    }

    /// `try(a, b, ...)`: the first argument that evaluates without error. An unknown first
    /// success makes the result unknown: it may yet fail at apply, so later ones can't be chosen.
    fn call_try(&self, f: &FuncCall) -> EvalResult {
        if let Some(e) = self.arg_count_error(f, "try", "1+") {
            return Err(e);
        }
        let mut failures = Vec::new();
        for arg in f.args.iter() {
            match self.expr(arg) {
                Ok(v) => return Ok(v),
                Err(d) => failures.extend(d),
            }
        }
        let mut message = String::from("no expression succeeded:");
        for d in &failures {
            message.push_str(&format!("\n- {}", d.summary));
            if !d.detail.is_empty() {
                message.push_str(&format!(": {}", d.detail));
            }
        }
        message.push_str("\nAt least one expression must produce a successful result.");
        Err(vec![self.call_error("try", &message, f.span())])
    }

    /// `can(x)`: whether x evaluates without error; unknown while x is unknown.
    fn call_can(&self, f: &FuncCall) -> EvalResult {
        if let Some(e) = self.arg_count_error(f, "can", "1") {
            return Err(e);
        }
        let arg = f.args.iter().next().expect("one argument");
        Ok(match self.expr(arg) {
            Ok(v) if v.is_unknown() => Value::Unknown,
            Ok(_) => Value::Bool(true),
            Err(_) => Value::Bool(false),
        })
    }

    /// `templatefile(path, vars)`: renders the file at `base_dir/path` with `vars` as its names.
    fn call_templatefile(&self, f: &FuncCall) -> EvalResult {
        const NAME: &str = "templatefile";
        let Some((args, spans)) = self.eval_args(f)? else {
            return Ok(Value::Unknown);
        };
        let span = |i: usize| spans.get(i).cloned().flatten().or_else(|| f.span());
        if args.len() != 2 {
            let message = format!(
                "it takes exactly 2 arguments (path, vars), but {} were given.",
                args.len()
            );
            return Err(vec![self.call_error(NAME, &message, f.span())]);
        }
        if self.in_templatefile {
            return Err(vec![self.call_error(
                NAME,
                "cannot recursively call templatefile from inside a template.",
                f.span(),
            )]);
        }
        let mut args = args.into_iter();
        let (path, path_sensitive) = args.next().unwrap_or_default().unmark();
        let (vars, vars_sensitive) = unmark_top(args.next().unwrap_or_default());
        let sensitive = path_sensitive || vars_sensitive;
        let path = match path {
            Value::Unknown => return Ok(Value::Unknown.mark_if(sensitive)),
            Value::String(p) => p,
            other => {
                let message = format!("the path must be a string, but this is a {}.", other.type_name());
                return Err(vec![self.call_error(NAME, &message, span(0))]);
            }
        };
        let vars = match vars {
            Value::Unknown => return Ok(Value::Unknown.mark_if(sensitive)),
            Value::Map(m) => m,
            other => {
                let message = format!("vars must be an object or map, but this is a {}.", other.type_name());
                return Err(vec![self.call_error(NAME, &message, span(1))]);
            }
        };
        if let Some(bad) = vars.keys().find(|k| Ident::try_new(k.as_str()).is_err()) {
            let message = format!("invalid template variable name \"{bad}\": it must be an identifier.");
            return Err(vec![self.call_error(NAME, &message, span(1))]);
        }
        let full = self.base_dir.join(&path);
        let text = std::fs::read_to_string(&full).map_err(|e| {
            let message = format!("cannot read {}: {e}.", full.display());
            vec![self.call_error(NAME, &message, span(0))]
        })?;
        eval_template_str(&text, &vars, self.base_dir, self.secrets)
            .map(|v| v.mark_if(sensitive))
            .map_err(|e| vec![self.call_error(NAME, &format!("{path}:{e}"), f.span())])
    }

    /// `secret("SOURCE")`: the value read from a secret source (`env:NAME`, `file:PATH` relative
    /// to the module, `keyring:SERVICE/USER`, or an AWS Secrets Manager ARN or `aws-sm:NAME`),
    /// always marked sensitive, read through the caller's [`SecretResolver`] (the engine's may
    /// call AWS Secrets Manager, blocking this evaluation).
    fn call_secret(&self, f: &FuncCall) -> EvalResult {
        const NAME: &str = "secret";
        if let Some(e) = self.arg_count_error(f, NAME, "1") {
            return Err(e);
        }
        let Some((args, spans)) = self.eval_args(f)? else {
            return Ok(Value::Unknown.mark());
        };
        let span = spans.first().cloned().flatten().or_else(|| f.span());
        let (source, source_sensitive) = args.into_iter().next().unwrap_or_default().unmark();
        match source {
            Value::Unknown => Ok(Value::Unknown.mark()),
            Value::String(source) => self
                .secrets
                .resolve(&source, self.base_dir)
                .map(|v| Value::String(v).mark())
                .map_err(|e| {
                    // A source name computed from a secret is not shown either.
                    let message = if source_sensitive {
                        "the secret source (a sensitive value, not shown) could not be read.".to_string()
                    } else {
                        e.to_string()
                    };
                    vec![self.call_error(NAME, &message, span)]
                }),
            other => {
                let message = format!(
                    "the source must be a string such as \"env:NAME\", but this is a {}.",
                    other.type_name()
                );
                Err(vec![self.call_error(NAME, &message, span)])
            }
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

/// A number, or a string that spells one (Terraform's string-to-number conversion).
fn to_number(v: &Value) -> Option<f64> {
    match v.strip_sensitive() {
        Value::Number(n) => Some(*n),
        Value::String(s) => {
            let plain = !s.is_empty()
                && s.chars()
                    .all(|c| c.is_ascii_digit() || matches!(c, '.' | 'e' | 'E' | '+' | '-'))
                && s.chars().any(|c| c.is_ascii_digit());
            if plain { s.parse().ok() } else { None }
        }
        _ => None,
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
        Value::Number(n) => Some(format_number(*n)),
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

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::PathBuf;

    /// Roots are plain values; `var` consumes one attribute step, like the engine's scope.
    struct TestScope {
        roots: BTreeMap<String, Value>,
        vars: BTreeMap<String, Value>,
    }

    impl Scope for TestScope {
        fn lookup(&self, root: &str, steps: &[Step]) -> Result<(Value, usize), ScopeError> {
            if root == "var" {
                return match steps.first() {
                    Some(Step::Attr(name)) => match self.vars.get(name) {
                        Some(v) => Ok((v.clone(), 1)),
                        None => Err(ScopeError::new(
                            "Reference to undeclared input variable",
                            format!("no variable \"{name}\""),
                            Some(0),
                        )),
                    },
                    _ => Err(ScopeError::new("Invalid reference", "var needs an attribute", None)),
                };
            }
            match self.roots.get(root) {
                Some(v) => Ok((v.clone(), 0)),
                None => Err(ScopeError::new(
                    "Reference to undeclared name",
                    format!("no {root}"),
                    None,
                )),
            }
        }
    }

    fn num(n: f64) -> Value {
        Value::Number(n)
    }

    fn s(v: &str) -> Value {
        Value::string(v)
    }

    fn list(items: &[f64]) -> Value {
        Value::List(items.iter().map(|n| num(*n)).collect())
    }

    fn scope() -> TestScope {
        let roots = BTreeMap::from([
            ("list".to_string(), list(&[1.0, 2.0, 3.0])),
            ("m".to_string(), Value::object([("a", num(1.0)), ("b", num(2.0))])),
            ("str".to_string(), s("hi")),
            ("numstr".to_string(), s("2")),
            ("secret".to_string(), s("pw").mark()),
            ("secret_num".to_string(), num(5.0).mark()),
            ("secret_obj".to_string(), Value::object([("a", num(1.0))]).mark()),
            ("secret_list".to_string(), list(&[1.0, 2.0]).mark()),
            ("u".to_string(), Value::Unknown),
            ("n".to_string(), Value::Null),
            ("t".to_string(), Value::Bool(true)),
            (
                "objs".to_string(),
                Value::List(vec![
                    Value::object([("name", s("a")), ("tags", Value::object([("k", s("x"))]))]),
                    Value::object([("name", s("b")), ("tags", Value::object([("k", s("y"))]))]),
                ]),
            ),
            (
                "obj".to_string(),
                Value::object([("name", s("single")), ("inner", Value::object([("v", num(1.0))]))]),
            ),
            (
                "partly".to_string(),
                Value::object([("known", num(1.0)), ("later", Value::Unknown)]),
            ),
        ]);
        let vars = BTreeMap::from([("region".to_string(), s("eu")), ("count".to_string(), num(2.0))]);
        TestScope { roots, vars }
    }

    /// `secret(...)` with the engine's sources is tested in `secrets::sources`.
    struct NoSecrets;

    impl SecretResolver for NoSecrets {
        fn resolve(&self, source: &str, _base_dir: &Path) -> Result<String, crate::lang::SecretError> {
            Err(crate::lang::SecretError(format!(
                "no secret sources in these tests ({source})."
            )))
        }
    }

    const PREFIX: &str = "x = ";

    /// Evaluates `src` as the value of an attribute; returns the whole file text with the result.
    fn run_in(src: &str, base_dir: &Path) -> (String, EvalResult) {
        let text = format!("{PREFIX}{src}\n");
        let body = hcl::edit::parser::parse_body(&text).unwrap_or_else(|e| panic!("parse {src}: {e}"));
        let expr = body.get_attribute("x").expect("attribute x").value.clone();
        let sc = scope();
        let ctx = EvalContext {
            file: 7,
            scope: &sc,
            secrets: &NoSecrets,
            base_dir,
        };
        let r = eval(&expr, &ctx);
        (text, r)
    }

    fn run(src: &str) -> (String, EvalResult) {
        run_in(src, Path::new("."))
    }

    fn ok(src: &str) -> Value {
        match run(src).1 {
            Ok(v) => v,
            Err(d) => panic!("{src}: unexpected errors {d:#?}"),
        }
    }

    fn errs(src: &str) -> Vec<Diagnostic> {
        match run(src).1 {
            Ok(v) => panic!("{src}: expected an error, got {v:?}"),
            Err(d) => d,
        }
    }

    /// The single error of `src`, with the source text its span covers.
    fn err1(src: &str) -> (Diagnostic, String) {
        let (text, r) = run(src);
        let d = match r {
            Ok(v) => panic!("{src}: expected an error, got {v:?}"),
            Err(mut d) => {
                assert_eq!(d.len(), 1, "{src}: {d:#?}");
                d.remove(0)
            }
        };
        let span = d.span.clone().unwrap_or_else(|| panic!("{src}: no span in {d:?}"));
        assert_eq!(span.file, 7);
        (d, text[span.range].to_string())
    }

    #[test]
    fn literals_and_collections() {
        assert_eq!(ok("1"), num(1.0));
        assert_eq!(ok("1.5e1"), num(15.0));
        assert_eq!(ok("\"s\""), s("s"));
        assert_eq!(ok("true"), Value::Bool(true));
        assert_eq!(ok("null"), Value::Null);
        assert_eq!(ok("[1, \"a\", null]"), Value::List(vec![num(1.0), s("a"), Value::Null]));
        assert_eq!(
            ok("{ a = 1, \"b\" = 2, (str) = 3, \"${str}x\" = 4, 5 = 6 }"),
            Value::object([
                ("a", num(1.0)),
                ("b", num(2.0)),
                ("hi", num(3.0)),
                ("hix", num(4.0)),
                ("5", num(6.0))
            ])
        );
        assert_eq!(ok("(1 + 2) * 3"), num(9.0));
        assert_eq!(ok("{}"), Value::Map(BTreeMap::new()));
    }

    #[test]
    fn object_keys_unknown_sensitive_and_bad() {
        assert_eq!(ok("{ (u) = 1 }"), Value::Unknown);
        assert_eq!(ok("{ (secret) = 1 }"), Value::object([("pw", num(1.0))]).mark());
        let (d, at) = err1("{ (list) = 1 }");
        assert_eq!(d.summary, "Invalid object key");
        assert_eq!(at, "(list)");
        let (d, at) = err1("{ (n) = 1 }");
        assert_eq!(d.summary, "Invalid object key");
        assert_eq!(at, "(n)");
    }

    #[test]
    fn templates() {
        assert_eq!(ok("\"a${str}b\""), s("ahib"));
        assert_eq!(ok("\"n=${1 + 1} ${true}\""), s("n=2 true"));
        // A lone interpolation is the value itself.
        assert_eq!(ok("\"${list}\""), list(&[1.0, 2.0, 3.0]));
        assert_eq!(ok("\"%{if t}yes%{else}no%{endif}\""), s("yes"));
        assert_eq!(ok("\"%{if !t}yes%{else}no%{endif}\""), s("no"));
        assert_eq!(ok("\"%{if \"true\"}y%{endif}\""), s("y"));
        assert_eq!(ok("\"%{for x in list}${x},%{endfor}\""), s("1,2,3,"));
        assert_eq!(ok("\"%{for k, v in m}${k}=${v};%{endfor}\""), s("a=1;b=2;"));
        assert_eq!(ok("\"%{for i, v in list}${i}%{endfor}\""), s("012"));
        assert_eq!(ok("\"a  ${~ str ~}  b\""), s("ahib"));
        assert_eq!(ok("\"a  ${str ~}  b\""), s("a  hib"));
        assert_eq!(ok("\"$${literal} %%{x}\""), s("${literal} %{x}"));
    }

    #[test]
    fn template_errors_and_marks() {
        assert_eq!(ok("\"a${u}b\""), Value::Unknown);
        assert_eq!(ok("\"a${secret}b\""), s("apwb").mark());
        assert_eq!(ok("\"%{if u}a%{endif}\""), Value::Unknown);
        assert_eq!(ok("\"%{for x in u}a%{endfor}\""), Value::Unknown);
        assert_eq!(ok("\"%{for x in secret_list}${x}%{endfor}\""), s("12").mark());
        let (d, at) = err1("\"a${n}b\"");
        assert_eq!(d.summary, "Invalid template interpolation value");
        assert_eq!(at, "n");
        let (d, at) = err1("\"a${list}b\"");
        assert!(d.detail.contains("string required"), "{d:?}");
        assert_eq!(at, "list");
        let (d, at) = err1("\"%{if 3}a%{endif}\"");
        assert_eq!(d.summary, "Incorrect condition type");
        assert_eq!(at, "3");
        // Both interpolations are reported.
        assert_eq!(errs("\"${nope1}${nope2}\"").len(), 2);
    }

    #[test]
    fn heredocs_with_directives_and_indentation() {
        let src = "<<EOT\nhello ${str}\n%{ for x in list ~}\nitem ${x}\n%{ endfor ~}\nend\nEOT";
        assert_eq!(ok(src), s("hello hi\nitem 1\nitem 2\nitem 3\nend\n"));
        let src = "<<-EOT\n    hello ${str}\n    %{ for k, v in m ~}\n    ${k}=${v}\n    %{ endfor ~}\n    %{~ if t ~}\n      yes\n    %{~ else ~}\n      no\n    %{~ endif }\n    end\n    EOT";
        assert_eq!(ok(src), s("hello hi\na=1\nb=2\nyes\nend\n"));
        // Lines inside directives lose the same indentation as the others.
        let src = "<<-EOT\n    %{ if t }\n      yes\n    %{ endif }\n    EOT";
        assert_eq!(ok(src), s("\n  yes\n\n"));
        let src = "<<-EOT\n    a\n      b\n    EOT";
        assert_eq!(ok(src), s("a\n  b\n"));
    }

    #[test]
    fn references_and_traversals() {
        assert_eq!(ok("str"), s("hi"));
        assert_eq!(ok("var.region"), s("eu"));
        assert_eq!(ok("list[1]"), num(2.0));
        assert_eq!(ok("list.2"), num(3.0));
        assert_eq!(ok("list[\"0\"]"), num(1.0));
        assert_eq!(ok("list[var.count]"), num(3.0));
        assert_eq!(ok("m.a"), num(1.0));
        assert_eq!(ok("m[\"b\"]"), num(2.0));
        assert_eq!(ok("objs[0].tags.k"), s("x"));
        assert_eq!(ok("obj.inner[\"v\"]"), num(1.0));
        assert_eq!(ok("[10, 20][1]"), num(20.0));
        assert_eq!(ok("{a = {b = 3}}.a.b"), num(3.0));
        assert_eq!(ok("(obj).name"), s("single"));
    }

    #[test]
    fn traversal_errors_point_at_the_step() {
        let (d, at) = err1("obj.inner.nope");
        assert_eq!(d.summary, "Unsupported attribute");
        assert_eq!(d.detail, "This object does not have an attribute named \"nope\".");
        assert_eq!(at, ".nope");
        let (d, at) = err1("list[5]");
        assert_eq!(d.summary, "Invalid index");
        assert!(
            d.detail
                .contains("The given key does not identify an element in this collection value")
        );
        assert!(d.detail.contains("Index out of range"), "{d:?}");
        assert_eq!(at, "[5]");
        let (d, at) = err1("m[\"zz\"]");
        assert!(d.detail.contains("The given key does not identify an element"));
        assert_eq!(at, "[\"zz\"]");
        let (d, at) = err1("n.a");
        assert_eq!(d.summary, "Attempt to get attribute from null value");
        assert_eq!(at, ".a");
        let (d, _) = err1("list.name");
        assert!(d.detail.contains("[*].name"), "{d:?}");
        let (d, _) = err1("str[0]");
        assert_eq!(d.summary, "Invalid index");
        let (d, at) = err1("list[1.5]");
        assert_eq!(d.summary, "Invalid index");
        assert_eq!(at, "[1.5]");
        // Scope errors: the root, or the step the scope names.
        let (d, at) = err1("nope.x");
        assert_eq!(d.summary, "Reference to undeclared name");
        assert_eq!(at, "nope");
        let (d, at) = err1("var.nope.x");
        assert_eq!(d.summary, "Reference to undeclared input variable");
        assert_eq!(at, ".nope");
        // A failing key and a failing root are both reported.
        assert_eq!(errs("nope1[nope2]").len(), 2);
    }

    #[test]
    fn unknown_and_sensitive_traversal() {
        assert_eq!(ok("u.a.b[0]"), Value::Unknown);
        assert_eq!(ok("partly.later.x"), Value::Unknown);
        assert_eq!(ok("partly.known"), num(1.0));
        assert_eq!(ok("list[u]"), Value::Unknown);
        assert_eq!(ok("m[u]"), Value::Unknown);
        assert_eq!(ok("secret_obj.a"), num(1.0).mark());
        assert_eq!(ok("secret_list[0]"), num(1.0).mark());
        assert_eq!(ok("m[secret == \"pw\" ? \"a\" : \"b\"]"), num(1.0).mark());
    }

    #[test]
    fn splats() {
        assert_eq!(ok("objs[*].name"), Value::List(vec![s("a"), s("b")]));
        assert_eq!(ok("objs.*.name"), Value::List(vec![s("a"), s("b")]));
        assert_eq!(ok("objs[*].tags.k"), Value::List(vec![s("x"), s("y")]));
        // An attribute splat ends at an index: the index applies to the resulting list.
        assert_eq!(ok("objs.*.name[1]"), s("b"));
        // A full splat carries the index into each element.
        let (d, at) = err1("objs[*].name[1]");
        assert_eq!(d.summary, "Invalid index");
        assert_eq!(at, "[1]");
        assert_eq!(ok("[[1, 2], [3, 4]][*][0]"), list(&[1.0, 3.0]));
        assert_eq!(ok("obj[*].name"), Value::List(vec![s("single")]));
        assert_eq!(ok("n[*].name"), Value::List(vec![]));
        assert_eq!(ok("u[*].name"), Value::Unknown);
        assert_eq!(ok("secret_list[*]"), list(&[1.0, 2.0]).mark());
        assert_eq!(ok("var.region[*]"), Value::List(vec![s("eu")]));
        let (d, at) = err1("objs[*].nope");
        assert_eq!(d.summary, "Unsupported attribute");
        assert_eq!(at, ".nope");
    }

    #[test]
    fn arithmetic_and_comparison() {
        assert_eq!(ok("1 + 2 * 3 - 4 / 2"), num(5.0));
        assert_eq!(ok("7 % 3"), num(1.0));
        assert_eq!(ok("-7 % 3"), num(-1.0));
        assert_eq!(ok("\"2\" + 1"), num(3.0));
        assert_eq!(ok("numstr * numstr"), num(4.0));
        assert_eq!(ok("-list[0]"), num(-1.0));
        assert_eq!(ok("-\"3\""), num(-3.0));
        assert_eq!(ok("1 < 2"), Value::Bool(true));
        assert_eq!(ok("2 <= 2"), Value::Bool(true));
        assert_eq!(ok("\"10\" > 9"), Value::Bool(true));
        assert_eq!(ok("1 >= 2"), Value::Bool(false));
    }

    #[test]
    fn equality_and_logic() {
        assert_eq!(ok("1 == 1"), Value::Bool(true));
        assert_eq!(ok("1 == \"1\""), Value::Bool(false));
        assert_eq!(ok("\"a\" != \"b\""), Value::Bool(true));
        assert_eq!(ok("null == n"), Value::Bool(true));
        assert_eq!(ok("[1, 2] == [1, 2]"), Value::Bool(true));
        assert_eq!(ok("[1, 2] == [1, 3]"), Value::Bool(false));
        assert_eq!(ok("{a = 1} == {a = 1}"), Value::Bool(true));
        assert_eq!(ok("m == {a = 1, b = 2}"), Value::Bool(true));
        assert_eq!(ok("[1, u] == [1, 2]"), Value::Unknown);
        assert_eq!(ok("[2, u] == [1, 2]"), Value::Bool(false));
        assert_eq!(ok("[u] == [1, 2]"), Value::Bool(false));
        assert_eq!(ok("true && false"), Value::Bool(false));
        assert_eq!(ok("true || false"), Value::Bool(true));
        assert_eq!(ok("\"true\" && t"), Value::Bool(true));
        assert_eq!(ok("!t"), Value::Bool(false));
    }

    #[test]
    fn operator_errors_name_the_operand() {
        let (d, at) = err1("\"a\" + 1");
        assert_eq!(d.summary, "Invalid operand");
        assert_eq!(d.detail, "Unsuitable value for left operand: a number is required.");
        assert_eq!(at, "\"a\"");
        let (d, at) = err1("1 + list");
        assert_eq!(d.detail, "Unsuitable value for right operand: a number is required.");
        assert_eq!(at, "list");
        let (d, _) = err1("n + 1");
        assert!(d.detail.contains("must not be null"), "{d:?}");
        let (d, at) = err1("t && 1");
        assert_eq!(d.detail, "Unsuitable value for right operand: a bool is required.");
        assert_eq!(at, "1");
        let (d, at) = err1("!1");
        assert_eq!(d.detail, "Unsuitable value for unary operand: a bool is required.");
        assert_eq!(at, "1");
        let (d, at) = err1("5 / (2 - 2)");
        assert_eq!(d.summary, "Division by zero");
        assert_eq!(at, "(2 - 2)");
        assert_eq!(err1("5 % 0").0.summary, "Division by zero");
        // Both operands wrong: both reported, each at its own span.
        let (text, r) = run("\"a\" * [1]");
        let d = r.expect_err("should fail");
        assert_eq!(d.len(), 2);
        let at: Vec<&str> = d
            .iter()
            .map(|d| &text[d.span.as_ref().expect("span").range.clone()])
            .collect();
        assert_eq!(at, ["\"a\"", "[1]"]);
        // Both operands failing to evaluate: both reported.
        assert_eq!(errs("nope1 + nope2").len(), 2);
    }

    #[test]
    fn unknown_and_sensitive_operators() {
        assert_eq!(ok("u + 1"), Value::Unknown);
        assert_eq!(ok("1 == u"), Value::Unknown);
        assert_eq!(ok("!u"), Value::Unknown);
        assert_eq!(ok("-u"), Value::Unknown);
        assert_eq!(ok("u && true"), Value::Unknown);
        // A known operand is still checked when the other is unknown.
        assert_eq!(err1("u + \"x\"").1, "\"x\"");
        assert_eq!(ok("secret_num + 1"), num(6.0).mark());
        assert_eq!(ok("secret == \"pw\""), Value::Bool(true).mark());
        assert_eq!(ok("-secret_num"), num(-5.0).mark());
        assert_eq!(ok("secret_num + u"), Value::Unknown.mark());
        assert_eq!(ok("secret_list == [1, 2]"), Value::Bool(true).mark());
        // Collection constructors keep the mark on the element only.
        assert_eq!(ok("[secret, 1]"), Value::List(vec![s("pw").mark(), num(1.0)]));
    }

    #[test]
    fn conditionals() {
        assert_eq!(ok("t ? 1 : 2"), num(1.0));
        assert_eq!(ok("!t ? 1 : 2"), num(2.0));
        assert_eq!(ok("\"false\" ? 1 : 2"), num(2.0));
        // Only the chosen branch's errors count.
        assert_eq!(ok("t ? 1 : nope"), num(1.0));
        let (d, at) = err1("t ? nope.x : 2");
        assert_eq!(d.summary, "Reference to undeclared name");
        assert_eq!(at, "nope");
        assert_eq!(ok("u ? 1 : 2"), Value::Unknown);
        assert_eq!(ok("u ? nope : 2"), Value::Unknown);
        assert_eq!(ok("secret == \"pw\" ? 1 : 2"), num(1.0).mark());
        let (d, at) = err1("1 ? 1 : 2");
        assert_eq!(d.summary, "Incorrect condition type");
        assert_eq!(at, "1");
        let (d, at) = err1("n ? 1 : 2");
        assert_eq!(d.summary, "Null condition");
        assert_eq!(at, "n");
    }

    #[test]
    fn for_expressions() {
        assert_eq!(ok("[for v in list : v * 2]"), list(&[2.0, 4.0, 6.0]));
        assert_eq!(ok("[for i, v in list : i + v]"), list(&[1.0, 3.0, 5.0]));
        assert_eq!(ok("[for v in list : v if v != 2]"), list(&[1.0, 3.0]));
        assert_eq!(
            ok("[for k, v in m : \"${k}${v}\"]"),
            Value::List(vec![s("a1"), s("b2")])
        );
        assert_eq!(
            ok("{for k, v in m : v => k}"),
            Value::object([("1", s("a")), ("2", s("b"))])
        );
        assert_eq!(
            ok("{for o in objs : o.name => o.tags.k}"),
            Value::object([("a", s("x")), ("b", s("y"))])
        );
        assert_eq!(
            ok("{for v in [\"a\", \"bb\", \"cc\"] : \"${v == \"a\" ? 1 : 2}\" => v...}"),
            Value::object([
                ("1", Value::List(vec![s("a")])),
                ("2", Value::List(vec![s("bb"), s("cc")]))
            ])
        );
        assert_eq!(ok("[for v in [] : v]"), Value::List(vec![]));
        assert_eq!(
            ok("[for v in obj : v]"),
            Value::List(vec![Value::object([("v", num(1.0))]), s("single")])
        );
    }

    #[test]
    fn for_variables_shadow_outer_names() {
        // `str` and `list` are outer roots; inside the for they are the iteration variables.
        assert_eq!(ok("[for str in list : str]"), list(&[1.0, 2.0, 3.0]));
        assert_eq!(
            ok("[for list, str in [\"p\", \"q\"] : \"${list}${str}\"]"),
            Value::List(vec![s("0p"), s("1q")])
        );
        // Outer names stay visible, and nested fors see both layers.
        assert_eq!(ok("[for v in list : \"${str}${v}\"][0]"), s("hi1"));
        assert_eq!(
            ok("[for a in [1, 2] : [for b in [10, 20] : a + b]]"),
            Value::List(vec![list(&[11.0, 21.0]), list(&[12.0, 22.0])])
        );
        assert_eq!(ok("\"%{for str in [\"z\"]}${str}%{endfor}${str}\""), s("zhi"));
    }

    #[test]
    fn for_unknown_sensitive_and_errors() {
        assert_eq!(ok("[for v in u : v]"), Value::Unknown);
        assert_eq!(ok("[for v in list : v if u]"), Value::Unknown);
        assert_eq!(ok("{for v in list : u => v}"), Value::Unknown);
        assert_eq!(ok("[for v in [1, u] : v]"), Value::List(vec![num(1.0), Value::Unknown]));
        assert_eq!(ok("[for v in secret_list : v]"), list(&[1.0, 2.0]).mark());
        assert_eq!(ok("[for v in [secret] : v]"), Value::List(vec![s("pw").mark()]));
        let (d, at) = err1("{for v in [1, 1] : v => v}");
        assert_eq!(d.summary, "Duplicate object key");
        assert_eq!(at, "v");
        let (d, at) = err1("[for v in n : v]");
        assert_eq!(d.summary, "Iteration over null value");
        assert_eq!(at, "n");
        let (d, _) = err1("[for v in str : v]");
        assert_eq!(d.summary, "Iteration over non-iterable value");
        let (d, at) = err1("[for v in list : v if 1]");
        assert_eq!(d.summary, "Invalid 'for' condition");
        assert_eq!(at, "1");
        // A mistake in the body is reported once, not once per element.
        let (d, at) = err1("[for v in list : v.nope]");
        assert_eq!(d.summary, "Unsupported attribute");
        assert_eq!(at, ".nope");
    }

    #[test]
    fn try_and_can() {
        assert_eq!(ok("try(obj.nope, \"fallback\")"), s("fallback"));
        assert_eq!(ok("try(obj.name, \"fallback\")"), s("single"));
        assert_eq!(ok("try(nope, list[9], 3)"), num(3.0));
        // An unknown first success: the result is unknown, not a later argument.
        assert_eq!(ok("try(u.x, \"fallback\")"), Value::Unknown);
        assert_eq!(ok("try(secret, 1)"), s("pw").mark());
        let (d, at) = err1("try(nope, list[9])");
        assert_eq!(d.summary, "Error in function call");
        assert!(
            d.detail
                .starts_with("Call to function \"try\" failed: no expression succeeded"),
            "{d:?}"
        );
        assert!(d.detail.contains("Invalid index"), "{d:?}");
        assert_eq!(at, "try(nope, list[9])");
        assert_eq!(ok("can(obj.name)"), Value::Bool(true));
        assert_eq!(ok("can(obj.nope)"), Value::Bool(false));
        assert_eq!(ok("can(1 + \"x\")"), Value::Bool(false));
        assert_eq!(ok("can(u.x)"), Value::Unknown);
        assert_eq!(err1("can(1, 2)").0.summary, "Error in function call");
        assert_eq!(err1("try()").0.summary, "Error in function call");
    }

    #[test]
    fn function_calls() {
        assert_eq!(ok("upper(str)"), s("HI"));
        assert_eq!(ok("length(list)"), num(3.0));
        assert_eq!(ok("max(list...)"), num(3.0));
        assert_eq!(ok("max(0, [7, 4]...)"), num(7.0));
        assert_eq!(ok("join(\"-\", [for v in list : tostring(v)])"), s("1-2-3"));
        assert_eq!(ok("max(u...)"), Value::Unknown);
        assert_eq!(ok("upper(u)"), Value::Unknown);
        assert_eq!(ok("upper(secret)"), s("PW").mark());
        assert_eq!(ok("max(secret_list...)"), num(2.0).mark());
    }

    #[test]
    fn function_errors_point_at_the_argument() {
        let (d, at) = err1("max(1, \"x\")");
        assert_eq!(d.summary, "Error in function call");
        assert!(d.detail.starts_with("Call to function \"max\" failed: "), "{d:?}");
        assert_eq!(at, "\"x\"");
        // An expanded argument at fault: the caret goes under the expanded expression.
        let (_, at) = err1("max(1, [2, \"x\"]...)");
        assert_eq!(at, "[2, \"x\"]");
        let (d, at) = err1("nosuchfunction(1)");
        assert!(d.detail.contains("nosuchfunction"), "{d:?}");
        assert_eq!(at, "nosuchfunction(1)");
        let (d, at) = err1("max(1, m...)");
        assert_eq!(d.summary, "Invalid expanding argument value");
        assert_eq!(at, "m");
        // Errors in several arguments are all reported.
        assert_eq!(errs("max(nope1, nope2)").len(), 2);
    }

    #[test]
    fn namespaced_functions_are_rejected() {
        let (d, at) = err1("provider::aws::arn_parse(\"x\")");
        assert_eq!(d.summary, "Call to unknown function");
        assert_eq!(at, "provider::aws::arn_parse");
    }

    #[test]
    fn templatefile_renders_with_vars() {
        let dir = tempfile::tempdir().expect("tempdir");
        std::fs::write(
            dir.path().join("t.tftpl"),
            "Hello ${name}!\n%{ for p in ports ~}\nport ${p}\n%{ endfor ~}\n",
        )
        .expect("write");
        std::fs::write(dir.path().join("bad.tftpl"), "x ${missing}").expect("write");
        let eval_at = |src: &str| run_in(src, dir.path()).1;
        assert_eq!(
            eval_at("templatefile(\"t.tftpl\", { name = str, ports = [80, 443] })"),
            Ok(s("Hello hi!\nport 80\nport 443\n"))
        );
        assert_eq!(
            eval_at("templatefile(\"t.tftpl\", { name = secret, ports = [] })"),
            Ok(s("Hello pw!\n").mark())
        );
        assert_eq!(
            eval_at("templatefile(\"t.tftpl\", { name = u, ports = [] })"),
            Ok(Value::Unknown)
        );
        assert_eq!(eval_at("templatefile(u, {})"), Ok(Value::Unknown));
        let d = eval_at("templatefile(\"bad.tftpl\", {})").expect_err("should fail");
        assert_eq!(d[0].summary, "Error in function call");
        assert!(d[0].detail.contains("bad.tftpl:1:5"), "{d:?}");
        assert!(d[0].detail.contains("missing"), "{d:?}");
        let (text, r) = run_in("templatefile(\"absent.tftpl\", {})", dir.path());
        let d = r.expect_err("should fail");
        assert_eq!(
            &text[d[0].span.as_ref().expect("span").range.clone()],
            "\"absent.tftpl\""
        );
    }

    #[test]
    fn eval_template_str_is_the_templatefile_core() {
        let vars = BTreeMap::from([("who".to_string(), s("you")), ("n".to_string(), num(2.0))]);
        let dir = PathBuf::from(".");
        assert_eq!(
            eval_template_str(
                "hi ${who}, %{ if n > 1 }many%{ else }one%{ endif }",
                &vars,
                &dir,
                &NoSecrets
            ),
            Ok(s("hi you, many"))
        );
        // Even a lone interpolation renders as a string.
        assert_eq!(eval_template_str("${n}", &vars, &dir, &NoSecrets), Ok(s("2")));
        let e = eval_template_str("a\n  ${nobody}", &vars, &dir, &NoSecrets).expect_err("should fail");
        assert!(e.starts_with("2:5: Reference to undeclared template variable"), "{e}");
        assert!(eval_template_str("${", &vars, &dir, &NoSecrets).is_err());
        let e = eval_template_str("${templatefile(\"x\", {})}", &vars, &dir, &NoSecrets).expect_err("should fail");
        assert!(e.contains("recursively"), "{e}");
    }
}
