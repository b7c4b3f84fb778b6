//! `check "NAME" { data "T" "N" { ... }  assert { condition = ...  error_message = ... } }` blocks:
//! assertions about the infrastructure as a whole that warn instead of failing.
//!
//! Loading keeps the optional scoped data source and the asserts as they are written; the planner
//! ([`crate::plan::checks`]) evaluates them after the walk, when everything they can refer to is
//! known. Kept apart from `load.rs` so that other top-level blocks can be added there without
//! touching this file.

use hcl::edit::Span as _;
use hcl::edit::structure::{Block, Body, Structure};

use super::load::Loader;
use super::{Check, Mode, Module, Resource};
use crate::diag::{Diagnostic, FileId, Span};

/// One `check` block.
#[derive(Debug)]
pub struct CheckBlock {
    pub name: String,
    /// The scoped data source, read only for this check (visible to its asserts alone).
    pub data: Option<Resource>,
    pub asserts: Vec<Check>,
    /// The block header (`check "NAME"`).
    pub span: Option<Span>,
}

impl Loader {
    /// Reads a `check` block into `m.checks`.
    pub(super) fn check_block(&mut self, m: &mut Module, file: FileId, b: Block, header: Option<Span>) {
        if b.labels.len() != 1 {
            self.diags.push(
                Diagnostic::error(format!("A check block needs 1 label, found {}", b.labels.len()))
                    .with_detail("write it as check \"NAME\" { assert { condition = ...  error_message = \"...\" } }")
                    .with_span(header),
            );
            return;
        }
        let name = b.labels[0].as_str().to_string();
        if m.checks.contains_key(&name) {
            self.diags.push(
                Diagnostic::error(format!("Duplicate check {name:?}"))
                    .with_detail("each check is declared once per module")
                    .with_span(header),
            );
            return;
        }
        let (data, asserts) = self.check_body(file, b.body);
        if asserts.is_empty() {
            self.diags.push(
                Diagnostic::error(format!("The check {name:?} has no assert block"))
                    .with_detail("a check needs at least one assert { condition = ...  error_message = \"...\" }")
                    .with_span(header.clone()),
            );
        }
        m.checks.insert(
            name.clone(),
            CheckBlock {
                name,
                data,
                asserts,
                span: header,
            },
        );
    }

    fn check_body(&mut self, file: FileId, body: Body) -> (Option<Resource>, Vec<Check>) {
        let mut data = None;
        let mut asserts = Vec::new();
        for s in body.into_iter() {
            match s {
                Structure::Block(inner) if inner.ident.as_str() == "assert" => asserts.extend(self.check(file, inner)),
                Structure::Block(inner) if inner.ident.as_str() == "data" => {
                    let span = inner.ident.span().map(|r| Span::new(file, r));
                    if inner.labels.len() != 2 {
                        self.diags.push(
                            Diagnostic::error("A data block needs 2 labels")
                                .with_detail("write it as data \"TYPE\" \"NAME\" { ... }")
                                .with_span(span),
                        );
                        continue;
                    }
                    if data.is_some() {
                        self.diags.push(
                            Diagnostic::error("A check block holds at most one data block")
                                .with_detail("move the other data source out of the check, or into a check of its own")
                                .with_span(span),
                        );
                        continue;
                    }
                    let (t, n) = (
                        inner.labels[0].as_str().to_string(),
                        inner.labels[1].as_str().to_string(),
                    );
                    data = Some(self.resource(Mode::Data, t, n, file, inner.body, span));
                }
                Structure::Block(inner) => self.diags.push(
                    Diagnostic::error(format!("Unsupported block {:?} in check", inner.ident.as_str()))
                        .with_detail("a check holds assert blocks and at most one data block")
                        .at(file, inner.ident.span()),
                ),
                Structure::Attribute(a) => self.diags.push(
                    Diagnostic::error(format!("Unsupported argument {:?} in check", a.key.as_str()))
                        .with_detail("a check holds assert blocks and at most one data block")
                        .at(file, a.key.span()),
                ),
            }
        }
        (data, asserts)
    }
}

#[cfg(test)]
mod tests {
    use crate::config::load::load;

    fn load_text(text: &str) -> (crate::config::Config, Vec<String>) {
        let dir = tempfile::tempdir().expect("tempdir");
        std::fs::write(dir.path().join("main.hcl"), text).expect("write");
        let (config, diags) = load(dir.path());
        let msgs = diags.0.iter().map(|d| d.summary.clone()).collect();
        (config, msgs)
    }

    #[test]
    fn check_and_import_blocks_load_with_their_parts() {
        let (config, diags) = load_text(
            r#"
check "a" {
  data "local_file" "x" {
    filename = "x"
  }
  assert {
    condition     = true
    error_message = "never"
  }
  assert {
    condition     = 1 == 1
    error_message = "never"
  }
}

import {
  to = local_file.f
  id = "f.txt"
}
"#,
        );
        assert!(diags.is_empty(), "{diags:?}");
        let c = &config.root.checks["a"];
        assert_eq!(c.asserts.len(), 2);
        assert_eq!(
            c.data.as_ref().map(|d| d.local_address()),
            Some("data.local_file.x".into())
        );
        assert_eq!(config.root.imports.len(), 1);
    }

    #[test]
    fn malformed_check_and_import_blocks_are_diagnostics() {
        let (_, diags) = load_text(
            r#"
check "empty" {}
check "empty" {
  assert {
    condition     = true
    error_message = "x"
  }
}
check "bad" {
  nope = 1
  assert {
    condition = true
  }
}
import {
  to = local_file.f
}
"#,
        );
        expect_test::expect![[r#"
            The check "empty" has no assert block
            Duplicate check "empty"
            Unsupported argument "nope" in check
            A assert block needs condition and error_message
            The check "bad" has no assert block
            An import block needs to and id"#]]
        .assert_eq(&diags.join("\n"));
    }
}
