//! `dynamic "NAME" { for_each = ..., iterator = ..., labels = [...], content { ... } }` blocks:
//! reading their parts, expanding them into the nested blocks they generate, and the references
//! they make.
//!
//! Everything about `dynamic` lives here so the three places that walk a body agree on it:
//! `graph::build::check_body` (static checks against the schema, before anything is evaluated),
//! `lang::body::eval_body` (expansion, with the iterator in scope for `content`) and
//! `graph::build::connect_references` (edges from `for_each`, `labels` and `content`, where the
//! iterator name is not a reference to anything in the module).
//!
//! As in Terraform, a `for_each` not known while planning makes the whole nested block value
//! unknown (not one unknown block): how many blocks there will be is not known either.

use std::ops::Range;

use hcl::edit::Span as _;
use hcl::edit::expr::Expression;
use hcl::edit::structure::{Block, Body, Structure};
use plinth_sdk::{Schema, Value};

use super::refs::{Reference, references_shadowing};
use super::{EvalContext, Scope, ScopeError, Step};
use crate::diag::{Diagnostic, FileId};

/// The keyword that opens a dynamic block.
pub const KEYWORD: &str = "dynamic";

/// The parts of one `dynamic` block, as written.
pub struct Dynamic<'a> {
    /// The block type it generates (its label).
    pub name: &'a str,
    /// Where the label is, for errors about the block type.
    pub name_span: Option<Range<usize>>,
    pub for_each: Option<&'a Expression>,
    /// The name `content` sees the current element by: `iterator`, else the block type.
    pub iterator: String,
    pub content: Option<&'a Body>,
    /// The whole block, for errors about how many blocks it generates.
    pub span: Option<Range<usize>>,
}

/// Reads a `dynamic` block. Returns the parts it could read and every mistake in its shape: a
/// missing or extra label, a missing `for_each` or `content`, an unknown argument, an iterator
/// that is not a plain name, and `labels` (no block type of a provider schema takes labels).
pub fn parse(b: &Block, file: FileId) -> (Dynamic<'_>, Vec<Diagnostic>) {
    let mut errors = Vec::new();
    let name = b.labels.first().map(|l| l.as_str()).unwrap_or_default();
    let name_span = b.labels.first().and_then(|l| l.span()).or_else(|| b.ident.span());
    if b.labels.len() != 1 {
        errors.push(
            Diagnostic::error("Invalid dynamic block")
                .with_detail(
                    "a dynamic block takes exactly one label, the type of block it generates: write dynamic \"BLOCK_TYPE\" { ... }",
                )
                .at(file, name_span.clone()),
        );
    }
    let mut d = Dynamic {
        name,
        name_span,
        for_each: None,
        iterator: name.to_string(),
        content: None,
        span: b.span(),
    };
    for s in b.body.iter() {
        match s {
            Structure::Attribute(a) => match a.key.as_str() {
                "for_each" => d.for_each = Some(&a.value),
                "iterator" => match &a.value {
                    Expression::Variable(v) => d.iterator = v.as_str().to_string(),
                    _ => errors.push(
                        Diagnostic::error("Invalid dynamic iterator name")
                            .with_detail("iterator must be a plain name, such as iterator = rule (no quotes)")
                            .at(file, a.value.span()),
                    ),
                },
                "labels" => errors.push(
                    Diagnostic::error("Unsupported argument \"labels\"")
                        .with_detail(format!(
                            "{name} blocks take no labels: remove labels (it is only for block types that have labels)"
                        ))
                        .at(file, a.key.span()),
                ),
                other => errors.push(
                    Diagnostic::error(format!("Unsupported argument {other:?}"))
                        .with_detail("a dynamic block takes for_each, iterator and labels, and one content block")
                        .at(file, a.key.span()),
                ),
            },
            Structure::Block(c) if c.ident.as_str() == "content" => {
                if d.content.is_some() {
                    errors.push(
                        Diagnostic::error("Extraneous content block")
                            .with_detail("a dynamic block takes exactly one content block")
                            .at(file, c.ident.span()),
                    );
                } else if !c.labels.is_empty() {
                    errors.push(
                        Diagnostic::error("Invalid content block")
                            .with_detail("a content block takes no labels: write content { ... }")
                            .at(file, c.ident.span()),
                    );
                } else {
                    d.content = Some(&c.body);
                }
            }
            Structure::Block(c) => errors.push(
                Diagnostic::error(format!("Unsupported block type {:?}", c.ident.as_str()))
                    .with_detail(format!(
                        "a dynamic block holds one content block; put {} {{ ... }} inside content",
                        c.ident.as_str()
                    ))
                    .at(file, c.ident.span()),
            ),
        }
    }
    if d.for_each.is_none() {
        errors.push(
            Diagnostic::error("Missing required argument \"for_each\"")
                .with_detail(format!(
                    "a dynamic block needs for_each = a list, set, map or object with one element per {name} block"
                ))
                .at(file, name_span_or(&d)),
        );
    }
    if d.content.is_none() && b.labels.len() == 1 {
        errors.push(
            Diagnostic::error("Missing content block")
                .with_detail(format!(
                    "a dynamic block needs a content {{ ... }} block describing each {name} block it generates"
                ))
                .at(file, name_span_or(&d)),
        );
    }
    (d, errors)
}

fn name_span_or(d: &Dynamic) -> Option<Range<usize>> {
    d.name_span.clone().or_else(|| d.span.clone())
}

/// The error for a `dynamic` block naming a block type `schema` does not have. `what` names the
/// owner (a resource type or a block type).
pub fn unknown_block_type(d: &Dynamic, schema: &Schema, what: &str, file: FileId) -> Diagnostic {
    // The same "likely typo" rule as the graph's other suggestions.
    let closest = crate::graph::build::closest(d.name, schema.blocks.keys().map(String::as_str));
    let hint = match closest {
        Some(s) => format!("did you mean dynamic {s:?}?"),
        None if schema.attributes.contains_key(d.name) => format!(
            "{} is an argument, not a block: set it with {} = [for ...] instead of a dynamic block",
            d.name, d.name
        ),
        None if schema.blocks.is_empty() => format!("{what} has no nested blocks"),
        None => format!(
            "{what} has the blocks: {}",
            schema.blocks.keys().cloned().collect::<Vec<_>>().join(", ")
        ),
    };
    Diagnostic::error(format!("Unsupported block type {:?}", d.name))
        .with_detail(hint)
        .at(file, d.name_span.clone())
}

/// What a dynamic block's `for_each` gave.
pub enum Elements {
    /// Known: the iterator value (`{ key, value }`) of each block to generate, in order.
    Known(Vec<Value>),
    /// Not known while planning: the block type's whole value is unknown.
    Unknown,
}

/// Evaluates `for_each` to the iterator values: index and element of a list or set, key and
/// element of a map or object in key order. A sensitive collection makes every key and value
/// sensitive, so what `content` builds from them stays sensitive.
pub fn elements(d: &Dynamic, ctx: &EvalContext) -> Result<Elements, Vec<Diagnostic>> {
    let Some(expr) = d.for_each else {
        return Ok(Elements::Known(Vec::new()));
    };
    let (v, sensitive) = strip(super::eval::eval(expr, ctx)?);
    let pairs: Vec<(Value, Value)> = match v {
        Value::Unknown => return Ok(Elements::Unknown),
        Value::List(items) => items
            .into_iter()
            .enumerate()
            .map(|(i, v)| (Value::Number(i as f64), v))
            .collect(),
        Value::Map(m) => m.into_iter().map(|(k, v)| (Value::String(k), v)).collect(),
        Value::Null => {
            return Err(vec![
                Diagnostic::error("Invalid dynamic for_each value")
                    .with_detail(format!(
                        "Cannot use a null value in for_each: for no {} blocks, use an empty list ([])",
                        d.name
                    ))
                    .at(ctx.file, expr.span()),
            ]);
        }
        other => {
            return Err(vec![
                Diagnostic::error("Invalid dynamic for_each value")
                    .with_detail(format!(
                        "Cannot use a {} value in for_each: it must be a list, set, map or object, one element per {} block; for a single block write for_each = [VALUE]",
                        other.type_name(),
                        d.name
                    ))
                    .at(ctx.file, expr.span()),
            ]);
        }
    };
    Ok(Elements::Known(
        pairs
            .into_iter()
            .map(|(k, v)| Value::object([("key", k.mark_if(sensitive)), ("value", v.mark_if(sensitive))]))
            .collect(),
    ))
}

fn strip(v: Value) -> (Value, bool) {
    match v {
        Value::Sensitive(inner) => (strip(*inner).0, true),
        v => (v, false),
    }
}

/// The enclosing scope with a dynamic block's iterator added.
pub struct IteratorScope<'p> {
    pub name: &'p str,
    pub value: Value,
    pub parent: &'p dyn Scope,
}

impl Scope for IteratorScope<'_> {
    fn lookup(&self, root: &str, steps: &[Step]) -> Result<(Value, usize), ScopeError> {
        if root == self.name {
            Ok((self.value.clone(), 0))
        } else {
            self.parent.lookup(root, steps)
        }
    }

    fn planning(&self) -> bool {
        self.parent.planning()
    }
}

/// Every reference a body makes, nested and dynamic blocks included, without the names dynamic
/// block iterators bind: `ingress.value.port` inside `dynamic "ingress"` refers to nothing in the
/// module. An iterator is visible in its `content` (and in the `for_each` and `labels` of dynamic
/// blocks nested there), not in its own `for_each`.
pub fn body_references(body: &Body) -> Vec<Reference> {
    let mut out = Vec::new();
    walk(body, &mut Vec::new(), &mut out);
    out
}

fn walk(body: &Body, shadowed: &mut Vec<String>, out: &mut Vec<Reference>) {
    for s in body.iter() {
        match s {
            Structure::Attribute(a) => out.extend(references_shadowing(&a.value, shadowed)),
            Structure::Block(b) if b.ident.as_str() == KEYWORD => {
                let name = b.labels.first().map(|l| l.as_str()).unwrap_or_default();
                let iterator = match b.body.get_attribute("iterator").map(|a| &a.value) {
                    Some(Expression::Variable(v)) => v.as_str().to_string(),
                    _ => name.to_string(),
                };
                for s in b.body.iter() {
                    match s {
                        Structure::Attribute(a) if a.key.as_str() != "iterator" => {
                            out.extend(references_shadowing(&a.value, shadowed));
                        }
                        Structure::Attribute(_) => {}
                        Structure::Block(c) => {
                            shadowed.push(iterator.clone());
                            walk(&c.body, shadowed, out);
                            shadowed.pop();
                        }
                    }
                }
            }
            Structure::Block(b) => walk(&b.body, shadowed, out),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn refs(src: &str) -> Vec<String> {
        let body = hcl::edit::parser::parse_body(src).expect("parses");
        body_references(&body)
            .into_iter()
            .map(|r| format!("{}.{}", r.root, r.attrs.join(".")))
            .collect()
    }

    #[test]
    fn iterators_are_shadowed_only_inside_their_content() {
        let src = r#"
name = var.name
dynamic "rule" {
  for_each = var.rules
  content {
    port = rule.value.port + local.offset
    dynamic "source" {
      for_each = rule.value.cidrs
      iterator = s
      content {
        cidr = "${s.value}/${source.key}"
      }
    }
  }
}
dynamic "other" {
  for_each = [rule.value]
  content {}
}
"#;
        assert_eq!(
            refs(src),
            vec!["var.name", "var.rules", "local.offset", "source.key", "rule.value"]
        );
    }
}
