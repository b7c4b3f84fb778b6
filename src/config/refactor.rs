//! The refactoring blocks, `moved` and `removed`, read into [`Moved`] and [`Removed`].
//!
//! Both name addresses as bare traversals (`from = module.a.local_file.b["k"]`), relative to the
//! module they are written in. The text of the expression is parsed with [`crate::addrs`]'s
//! parser, so an address means here what it means to `--target` and `plinth state`. What a move
//! does to state (chains, collisions, cycles) is the planner's business (`plan::moves`); this file
//! checks only what one block says on its own.

use hcl::edit::Span as _;
use hcl::edit::expr::Expression;
use hcl::edit::structure::{Block, Structure};

use super::Span;
use crate::addrs::{Address, Key};
use crate::diag::{Diagnostic, Diagnostics, FileId};

/// `moved { from = ADDR  to = ADDR }`.
#[derive(Clone, Debug)]
pub struct Moved {
    pub from: Address,
    pub to: Address,
    /// The block's `moved` keyword, where errors about the whole block point.
    pub span: Option<Span>,
}

/// `removed { from = ADDR  lifecycle { destroy = BOOL } }`.
#[derive(Clone, Debug)]
pub struct Removed {
    pub from: Address,
    /// Delete the object (Terraform's default), or only forget it (`destroy = false`).
    pub destroy: bool,
    pub span: Option<Span>,
}

fn err(summary: impl Into<String>, detail: &str, file: FileId, range: Option<std::ops::Range<usize>>) -> Diagnostic {
    Diagnostic::error(summary).with_detail(detail).at(file, range)
}

/// An address written as an expression: the expression's source text, parsed as an address. A
/// quoted string is accepted too, as `plinth state mv` takes it.
fn address(diags: &mut Diagnostics, text: &str, file: FileId, what: &str, e: &Expression) -> Option<Address> {
    let range = e.span();
    let (source, start) = match (e, &range) {
        (Expression::String(s), _) => (s.value().to_string(), range.as_ref().map_or(0, |r| r.start + 1)),
        (_, Some(r)) => (text.get(r.clone()).unwrap_or("").to_string(), r.start),
        (_, None) => (String::new(), 0),
    };
    match Address::parse(source.trim()) {
        Ok(a) => Some(a),
        Err(pe) => {
            // Point at the column of the mistake inside the address.
            let at = source
                .char_indices()
                .nth(pe.column.saturating_sub(1))
                .map_or(start + source.len(), |(i, _)| start + i);
            diags.push(err(
                format!("Invalid address in {what}: {}", pe.message),
                "write a resource or module address without quotes, such as local_file.a, local_file.a[0] or module.m.local_file.a",
                file,
                Some(at..at + 1),
            ));
            None
        }
    }
}

/// Reads a `moved` block.
pub fn moved(diags: &mut Diagnostics, text: &str, file: FileId, b: Block, header: Option<Span>) -> Option<Moved> {
    let span = b.ident.span();
    let mut from = None;
    let mut to = None;
    let mut ok = true;
    for s in b.body.into_iter() {
        match s {
            Structure::Attribute(a) => match a.key.as_str() {
                "from" => {
                    from = address(diags, text, file, "moved.from", &a.value);
                    ok &= from.is_some();
                }
                "to" => {
                    to = address(diags, text, file, "moved.to", &a.value);
                    ok &= to.is_some();
                }
                other => diags.push(err(
                    format!("Unsupported argument {other:?} in moved"),
                    "a moved block takes from and to",
                    file,
                    a.key.span(),
                )),
            },
            Structure::Block(inner) => diags.push(err(
                format!("Unsupported block {:?} in moved", inner.ident.as_str()),
                "a moved block takes from and to",
                file,
                inner.ident.span(),
            )),
        }
    }
    let (Some(from), Some(to)) = (from, to) else {
        if ok {
            diags.push(err(
                "A moved block needs from and to",
                "write moved { from = OLD_ADDRESS  to = NEW_ADDRESS }",
                file,
                span,
            ));
        }
        return None;
    };
    let problem = match (&from, &to) {
        _ if from == to => Some("from and to are the same address"),
        (Address::Module(_), Address::Instance(_)) | (Address::Instance(_), Address::Module(_)) => Some(
            "one address is a module and the other a resource; move a module to a module and a resource to a resource",
        ),
        (Address::Instance(f), Address::Instance(t)) if f.resource.mode != t.resource.mode => {
            Some("a data source cannot move to a managed resource or back")
        }
        (Address::Instance(f), Address::Instance(t)) if f.resource.type_name != t.resource.type_name => {
            Some("the resource type differs: a move only renames, it cannot change an object's type")
        }
        _ => None,
    };
    if let Some(why) = problem {
        diags.push(err(format!("Invalid moved block: {from} to {to}"), why, file, span));
        return None;
    }
    Some(Moved {
        from,
        to,
        span: header.or_else(|| span.map(|r| Span::new(file, r))),
    })
}

/// Reads a `removed` block.
pub fn removed(diags: &mut Diagnostics, text: &str, file: FileId, b: Block, header: Option<Span>) -> Option<Removed> {
    let span = b.ident.span();
    let mut from = None;
    let mut destroy = true;
    let mut ok = true;
    for s in b.body.into_iter() {
        match s {
            Structure::Attribute(a) if a.key.as_str() == "from" => {
                from = address(diags, text, file, "removed.from", &a.value);
                ok &= from.is_some();
            }
            Structure::Block(l) if l.ident.as_str() == "lifecycle" => {
                for s in l.body.into_iter() {
                    match s {
                        Structure::Attribute(a) if a.key.as_str() == "destroy" => match &a.value {
                            Expression::Bool(v) => destroy = *v.value(),
                            other => diags.push(err(
                                "destroy must be true or false",
                                "this argument is read before evaluation, so it must be a literal",
                                file,
                                other.span(),
                            )),
                        },
                        Structure::Attribute(a) => diags.push(err(
                            format!("Unsupported argument {:?} in removed.lifecycle", a.key.as_str()),
                            "lifecycle in a removed block takes destroy",
                            file,
                            a.key.span(),
                        )),
                        Structure::Block(inner) => diags.push(err(
                            format!("Unsupported block {:?} in removed.lifecycle", inner.ident.as_str()),
                            "lifecycle in a removed block takes destroy",
                            file,
                            inner.ident.span(),
                        )),
                    }
                }
            }
            Structure::Attribute(a) => diags.push(err(
                format!("Unsupported argument {:?} in removed", a.key.as_str()),
                "a removed block takes from and a lifecycle block",
                file,
                a.key.span(),
            )),
            Structure::Block(inner) => diags.push(err(
                format!("Unsupported block {:?} in removed", inner.ident.as_str()),
                "a removed block takes from and a lifecycle block (provisioners are not supported)",
                file,
                inner.ident.span(),
            )),
        }
    }
    let Some(from) = from else {
        if ok {
            diags.push(err(
                "A removed block needs from",
                "write removed { from = ADDRESS  lifecycle { destroy = false } }",
                file,
                span,
            ));
        }
        return None;
    };
    let keyed = match &from {
        Address::Module(m) => m.iter().any(|(_, k)| *k != Key::None),
        Address::Instance(r) => r.key != Key::None || r.module.iter().any(|(_, k)| *k != Key::None),
    };
    if keyed {
        diags.push(err(
            format!("Invalid removed block: {from}"),
            "removed.from names a whole resource or module, without instance keys",
            file,
            span,
        ));
        return None;
    }
    Some(Removed {
        from,
        destroy,
        span: header.or_else(|| span.map(|r| Span::new(file, r))),
    })
}
