//! `import { to = ADDRESS  id = "..." }` blocks: existing objects the plan adopts into state.
//!
//! Loading keeps `to`, `id` and `for_each` as expressions; the planner
//! ([`crate::plan::import`]) evaluates them (with `each.key`/`each.value` for `for_each`) and
//! reads each object through its provider. Kept apart from `load.rs` so that other top-level
//! blocks can be added there without touching this file.

use hcl::edit::Span as _;
use hcl::edit::structure::{Block, Structure};

use super::Expr;
use crate::diag::{Diagnostic, Diagnostics, FileId, Span};

/// One `import` block.
#[derive(Debug)]
pub struct ImportBlock {
    /// The resource instance address, as written (a traversal such as `local_file.a[each.key]`).
    pub to: Expr,
    pub id: Expr,
    pub for_each: Option<Expr>,
    /// The `import` keyword, where errors about the block point.
    pub span: Option<Span>,
}

/// Reads an `import` block; reports what is missing or unknown.
pub fn parse(file: FileId, b: Block, diags: &mut Diagnostics) -> Option<ImportBlock> {
    let span = b.ident.span().map(|r| Span::new(file, r));
    if !b.labels.is_empty() {
        diags.push(
            Diagnostic::error("An import block takes no labels")
                .with_detail("write it as import { to = TYPE.NAME  id = \"...\" }")
                .with_span(span.clone()),
        );
        return None;
    }
    let (mut to, mut id, mut for_each) = (None, None, None);
    for s in b.body.into_iter() {
        match s {
            Structure::Attribute(a) => {
                let e = Expr { file, expr: a.value };
                match a.key.as_str() {
                    "to" => to = Some(e),
                    "id" => id = Some(e),
                    "for_each" => for_each = Some(e),
                    "provider" => {}
                    other => diags.push(
                        Diagnostic::error(format!("Unsupported argument {other:?} in import"))
                            .with_detail("an import block takes to, id, for_each and provider")
                            .at(file, a.key.span()),
                    ),
                }
            }
            Structure::Block(inner) => diags.push(
                Diagnostic::error(format!("Unsupported block {:?} in import", inner.ident.as_str()))
                    .at(file, inner.ident.span()),
            ),
        }
    }
    match (to, id) {
        (Some(to), Some(id)) => Some(ImportBlock { to, id, for_each, span }),
        _ => {
            diags.push(
                Diagnostic::error("An import block needs to and id")
                    .with_detail("write import { to = TYPE.NAME  id = \"...\" }")
                    .with_span(span),
            );
            None
        }
    }
}
