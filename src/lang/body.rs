//! Evaluating a resource, data source or provider body against its schema.
//!
//! The result is an object with every schema attribute present (`Null` when not set) and every
//! nested block as an object (single), a list (list) or a sorted list (set), converted to the
//! schema's types. Schema-sensitive attributes come back marked sensitive.

use std::collections::BTreeMap;

use hcl::edit::Span as _;
use hcl::edit::structure::{Body, Structure};
use plinth_sdk::convert::convert;
use plinth_sdk::{Nesting, Schema, Value};

use super::EvalContext;
use super::eval::eval;
use crate::diag::Diagnostic;

/// Evaluates `body` under `schema`. Unknown arguments were reported when the graph was built and
/// are skipped here.
pub fn eval_body(body: &Body, schema: &Schema, ctx: &EvalContext) -> Result<Value, Vec<Diagnostic>> {
    let mut out = BTreeMap::new();
    let mut errors = Vec::new();
    let mut blocks: BTreeMap<&str, Vec<Value>> = BTreeMap::new();
    for s in body.iter() {
        match s {
            Structure::Attribute(a) => {
                let name = a.key.as_str();
                let Some(attr) = schema.attributes.get(name) else {
                    continue;
                };
                match eval(&a.value, ctx) {
                    Ok(v) => match convert(v, &attr.ty) {
                        Ok(v) => {
                            out.insert(name.to_string(), v.mark_if(attr.sensitive));
                        }
                        Err(e) => {
                            let at = if e.path.is_empty() {
                                String::new()
                            } else {
                                format!(" at {}", e.path)
                            };
                            errors.push(
                                Diagnostic::error(format!("Incorrect attribute value type for {name:?}"))
                                    .with_detail(format!("{name} must be {}{at}: {}", attr.ty, e.message))
                                    .at(ctx.file, a.value.span()),
                            );
                        }
                    },
                    Err(ds) => errors.extend(ds),
                }
            }
            Structure::Block(b) => {
                let name = b.ident.as_str();
                let Some(bs) = schema.blocks.get(name) else { continue };
                match eval_body(&b.body, &bs.schema, ctx) {
                    Ok(v) => blocks
                        .entry(schema.blocks.get_key_value(name).map_or(name, |(k, _)| k.as_str()))
                        .or_default()
                        .push(v),
                    Err(ds) => errors.extend(ds),
                }
            }
        }
    }
    for name in schema.attributes.keys() {
        out.entry(name.clone()).or_insert(Value::Null);
    }
    for (name, bs) in &schema.blocks {
        let mut items = blocks.remove(name.as_str()).unwrap_or_default();
        let v = match bs.nesting {
            Nesting::Single => items.pop().unwrap_or(Value::Null),
            Nesting::List => Value::List(items),
            Nesting::Set => {
                items.sort_by_key(|v| v.to_json().to_string());
                items.dedup();
                Value::List(items)
            }
        };
        out.insert(name.clone(), v);
    }
    if errors.is_empty() {
        Ok(Value::Map(out))
    } else {
        Err(errors)
    }
}
