//! Reference extraction: which names an expression mentions, for building the dependency graph,
//! and, for a failed condition, what each of them held (as Terraform shows under its diagnostics).
//!
//! The walk tracks the scope of `for` expression and template `for` directive variables itself
//! (hcl-edit's visitor has no notion of scope), so `[for x in var.xs : x.id]` refers to `var.xs`
//! only.

use std::ops::Range;

use hcl::edit::Ident;
use hcl::edit::Span as _;
use hcl::edit::expr::{Expression, ForExpr, Traversal, TraversalOperator};
use hcl::edit::template::ForDirective;
use hcl::edit::visit::{self, Visit};
use plinth_sdk::Value;

/// One reference found in an expression: the root name and the static attribute names after it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Reference {
    pub root: String,
    /// Attribute names (and literal string/number index keys) following the root, up to the first
    /// dynamic index or splat.
    pub attrs: Vec<String>,
    pub span: Option<Range<usize>>,
}

/// Every reference in `expr`, in source order.
pub fn references(expr: &Expression) -> Vec<Reference> {
    references_shadowing(expr, &[])
}

/// Every reference in `expr` whose root is not one of the `shadowed` names (the iterators of the
/// `dynamic` blocks around it).
pub fn references_shadowing(expr: &Expression, shadowed: &[String]) -> Vec<Reference> {
    let mut v = RefVisitor {
        shadowed: shadowed.to_vec(),
        out: Vec::new(),
        terms: None,
    };
    v.visit_expr(expr);
    v.out
}

/// What each reference in a failed condition held, one line per distinct reference in source
/// order (`data.x.y.metrics.auc is 0.81`), for the diagnostic's detail: the figures a gate compared
/// are then in the error, whatever its `error_message` says. `value_of` evaluates one reference in
/// the condition's scope (`None` when it cannot). Sensitive values stay hidden, and collections
/// are described by size rather than printed.
pub fn condition_values(expr: &Expression, value_of: impl Fn(&Expression) -> Option<Value>) -> Vec<String> {
    let mut v = RefVisitor {
        shadowed: Vec::new(),
        out: Vec::new(),
        terms: Some(Vec::new()),
    };
    v.visit_expr(expr);
    let mut seen = std::collections::HashSet::new();
    let mut lines = Vec::new();
    for term in v.terms.unwrap_or_default() {
        let text = term.to_string().trim().to_string();
        if !seen.insert(text.clone()) {
            continue;
        }
        let Some(value) = value_of(&term) else { continue };
        let shown = match &value {
            Value::Sensitive(_) => "sensitive".to_string(),
            Value::Unknown => "known only after apply".to_string(),
            Value::List(items) => format!("a list of {} element{}", items.len(), plural(items.len())),
            Value::Map(m) => format!("an object or map of {} element{}", m.len(), plural(m.len())),
            Value::String(s) if s.chars().count() > 200 => format!("a string of {} characters", s.chars().count()),
            scalar => scalar.to_string(),
        };
        lines.push(format!("{text} is {shown}"));
    }
    lines
}

fn plural(n: usize) -> &'static str {
    if n == 1 { "" } else { "s" }
}

struct RefVisitor {
    shadowed: Vec<String>,
    out: Vec<Reference>,
    /// When wanted ([`condition_values`]): every whole reference expression, as written.
    terms: Option<Vec<Expression>>,
}

impl RefVisitor {
    fn push_root(&mut self, name: &str, attrs: Vec<String>, span: Option<Range<usize>>) {
        if !self.shadowed.iter().any(|s| s == name) {
            self.out.push(Reference {
                root: name.to_string(),
                attrs,
                span,
            });
        }
    }

    fn push_term(&mut self, root: &str, term: impl FnOnce() -> Expression) {
        if let Some(terms) = &mut self.terms
            && !self.shadowed.iter().any(|s| s == root)
        {
            terms.push(term());
        }
    }

    /// Shadows the names a `for` binds (expression or template directive alike) and returns
    /// where to truncate `shadowed` back to once its body is visited.
    fn shadow(&mut self, key_var: Option<&Ident>, value_var: &Ident) -> usize {
        let before = self.shadowed.len();
        if let Some(k) = key_var {
            self.shadowed.push(k.as_str().to_string());
        }
        self.shadowed.push(value_var.as_str().to_string());
        before
    }
}

impl Visit for RefVisitor {
    fn visit_expr(&mut self, expr: &Expression) {
        match expr {
            Expression::Variable(v) => {
                self.push_term(v.as_str(), || expr.clone());
                self.push_root(v.as_str(), Vec::new(), expr.span())
            }
            _ => visit::visit_expr(self, expr),
        }
    }

    fn visit_traversal(&mut self, t: &Traversal) {
        if let Expression::Variable(root) = &t.expr {
            let mut attrs = Vec::new();
            for op in &t.operators {
                match op.value() {
                    TraversalOperator::GetAttr(id) => attrs.push(id.as_str().to_string()),
                    TraversalOperator::LegacyIndex(n) => attrs.push(n.value().to_string()),
                    TraversalOperator::Index(Expression::String(s)) => attrs.push(s.value().to_string()),
                    TraversalOperator::Index(Expression::Number(n)) => attrs.push(n.value().to_string()),
                    _ => break,
                }
            }
            self.push_term(root.as_str(), || Expression::Traversal(Box::new(t.clone())));
            self.push_root(root.as_str(), attrs, t.span());
        } else {
            self.visit_expr(&t.expr);
        }
        for op in &t.operators {
            if let TraversalOperator::Index(e) = op.value() {
                self.visit_expr(e);
            }
        }
    }

    fn visit_for_expr(&mut self, f: &ForExpr) {
        self.visit_expr(&f.intro.collection_expr);
        let before = self.shadow(f.intro.key_var.as_deref(), &f.intro.value_var);
        if let Some(k) = &f.key_expr {
            self.visit_expr(k);
        }
        self.visit_expr(&f.value_expr);
        if let Some(c) = &f.cond {
            self.visit_expr(&c.expr);
        }
        self.shadowed.truncate(before);
    }

    fn visit_for_directive(&mut self, d: &ForDirective) {
        self.visit_expr(&d.for_expr.collection_expr);
        let before = self.shadow(d.for_expr.key_var.as_deref(), &d.for_expr.value_var);
        self.visit_template(&d.for_expr.template);
        self.shadowed.truncate(before);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn refs(src: &str) -> Vec<String> {
        let body = hcl::edit::parser::parse_body(&format!("x = {src}\n")).expect("parses");
        let attr = body.get_attribute("x").expect("attr");
        references(&attr.value)
            .into_iter()
            .map(|r| format!("{}.{}", r.root, r.attrs.join(".")))
            .collect()
    }

    #[test]
    fn finds_traversals_and_skips_for_variables() {
        assert_eq!(refs("[for x in var.xs : x.id if local.on]"), vec!["var.xs", "local.on"]);
        assert_eq!(refs("local_file.a[0].id"), vec!["local_file.a.0.id"]);
        assert_eq!(refs("module.m.out"), vec!["module.m.out"]);
        assert_eq!(
            refs("\"${data.local_file.f.content}-%{for k in var.ks}${k}%{endfor}\""),
            vec!["data.local_file.f.content", "var.ks"]
        );
        assert_eq!(
            refs("local_value.v[count.index].output"),
            vec!["local_value.v", "count.index"]
        );
    }
}
