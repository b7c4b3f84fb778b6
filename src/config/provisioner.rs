//! `provisioner` blocks of a resource, read into [`Provisioner`].
//!
//! Only `local-exec` is supported: it runs a command on the machine running Plinth, after the
//! object is created (or, with `when = destroy`, before it is destroyed), as Terraform's does.
//! Remote provisioners (`file`, `remote-exec`) and `connection` blocks need a shell on the managed
//! machine, which Plinth does not open: they are refused with an error at the block. Running the
//! command is apply's business (`apply::provisioner`); this file reads and checks the block.

use hcl::edit::Span as _;
use hcl::edit::expr::Expression;
use hcl::edit::structure::{Block, Structure};

use super::{Expr, Span};
use crate::diag::{Diagnostic, Diagnostics, FileId};

/// When a provisioner runs.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum When {
    /// After the object is created (a replacement's new object included).
    Create,
    /// Before the object is destroyed (a replacement's old object included), while its block is
    /// still in the configuration.
    Destroy,
}

/// A `provisioner "local-exec" { ... }` block.
#[derive(Debug)]
pub struct Provisioner {
    pub when: When,
    /// `on_failure = continue`: a failed command is a warning; by default it fails the resource
    /// (tainted after a create).
    pub on_failure_continue: bool,
    pub command: Expr,
    pub working_dir: Option<Expr>,
    pub interpreter: Option<Expr>,
    pub environment: Option<Expr>,
    /// `quiet = true`: the command is not echoed before it runs.
    pub quiet: bool,
    /// The block header, where errors about the whole block point.
    pub span: Option<Span>,
    /// The command's source text, shown in plans (its value may need `self`, known only after
    /// apply).
    pub command_text: String,
}

impl Provisioner {
    /// Every expression of the block (the resource depends on what they refer to).
    pub fn exprs(&self) -> impl Iterator<Item = &Expr> {
        std::iter::once(&self.command)
            .chain(&self.working_dir)
            .chain(&self.interpreter)
            .chain(&self.environment)
    }
}

fn err(summary: impl Into<String>, detail: &str, file: FileId, range: Option<std::ops::Range<usize>>) -> Diagnostic {
    Diagnostic::error(summary).with_detail(detail).at(file, range)
}

/// The error for a `connection` block (only remote provisioners use one).
pub fn connection_refused(file: FileId, b: &Block) -> Diagnostic {
    err(
        "Remote provisioners are not supported",
        "a connection block is for the file and remote-exec provisioners, which Plinth does not run: configure the machine with user_data, cloud-init or an image instead, or run a command here with provisioner \"local-exec\"",
        file,
        b.ident.span(),
    )
}

/// Reads a `provisioner "KIND" { ... }` block; `text` is the file's text.
pub fn read(diags: &mut Diagnostics, text: &str, file: FileId, b: Block) -> Option<Provisioner> {
    let header = b.ident.span().map(|r| {
        let end = b.labels.last().and_then(|l| l.span()).map_or(r.end, |l| l.end);
        Span::new(file, r.start..end)
    });
    let kind = match b.labels.as_slice() {
        [one] => one.as_str().to_string(),
        _ => {
            diags.push(err(
                "A provisioner block takes one label",
                "write provisioner \"local-exec\" { command = \"...\" }",
                file,
                b.ident.span(),
            ));
            return None;
        }
    };
    if kind != "local-exec" {
        let detail = match kind.as_str() {
            "file" | "remote-exec" => {
                "remote provisioners need a shell on the managed machine, which Plinth does not open: configure the machine with user_data, cloud-init or an image instead, or run a command here with provisioner \"local-exec\""
            }
            _ => "the only provisioner is \"local-exec\"",
        };
        diags.push(err(
            format!("Unsupported provisioner {kind:?}"),
            detail,
            file,
            b.labels.first().and_then(|l| l.span()),
        ));
        return None;
    }
    let mut command = None;
    let mut p = Draft {
        when: When::Create,
        on_failure_continue: false,
        working_dir: None,
        interpreter: None,
        environment: None,
        quiet: false,
        command_text: String::new(),
    };
    for s in b.body.into_iter() {
        match s {
            Structure::Attribute(a) => match a.key.as_str() {
                "command" => {
                    p.command_text = a
                        .value
                        .span()
                        .and_then(|r| text.get(r))
                        .unwrap_or("")
                        .to_string();
                    command = Some(Expr { file, expr: a.value });
                }
                "working_dir" => p.working_dir = Some(Expr { file, expr: a.value }),
                "interpreter" => p.interpreter = Some(Expr { file, expr: a.value }),
                "environment" => p.environment = Some(Expr { file, expr: a.value }),
                "quiet" => match &a.value {
                    Expression::Bool(v) => p.quiet = *v.value(),
                    other => diags.push(err("quiet must be true or false", "write quiet = true", file, other.span())),
                },
                "when" => match keyword(&a.value).as_deref() {
                    Some("destroy") => p.when = When::Destroy,
                    Some("create") => p.when = When::Create,
                    _ => diags.push(err(
                        "Invalid when",
                        "write when = destroy to run before the object is destroyed (the default runs after it is created)",
                        file,
                        a.value.span(),
                    )),
                },
                "on_failure" => match keyword(&a.value).as_deref() {
                    Some("continue") => p.on_failure_continue = true,
                    Some("fail") => p.on_failure_continue = false,
                    _ => diags.push(err(
                        "Invalid on_failure",
                        "write on_failure = continue (a failed command is a warning) or on_failure = fail (the default)",
                        file,
                        a.value.span(),
                    )),
                },
                other => diags.push(err(
                    format!("Unsupported argument {other:?} in provisioner \"local-exec\""),
                    "local-exec takes command, working_dir, interpreter, environment, quiet, when and on_failure",
                    file,
                    a.key.span(),
                )),
            },
            Structure::Block(inner) if inner.ident.as_str() == "connection" => {
                diags.push(connection_refused(file, &inner));
            }
            Structure::Block(inner) => diags.push(err(
                format!("Unsupported block {:?} in provisioner \"local-exec\"", inner.ident.as_str()),
                "local-exec takes only arguments",
                file,
                inner.ident.span(),
            )),
        }
    }
    match command {
        Some(command) => Some(Provisioner {
            when: p.when,
            on_failure_continue: p.on_failure_continue,
            command,
            working_dir: p.working_dir,
            interpreter: p.interpreter,
            environment: p.environment,
            quiet: p.quiet,
            span: header,
            command_text: p.command_text,
        }),
        None => {
            diags.push(err(
                "A local-exec provisioner needs a command",
                "write command = \"...\"",
                file,
                header.as_ref().map(|s| s.range.clone()),
            ));
            None
        }
    }
}

/// What a block says before its `command` is known to be there.
struct Draft {
    when: When,
    on_failure_continue: bool,
    working_dir: Option<Expr>,
    interpreter: Option<Expr>,
    environment: Option<Expr>,
    quiet: bool,
    command_text: String,
}

/// A bare keyword (`destroy`, `continue`) or the same word quoted.
fn keyword(e: &Expression) -> Option<String> {
    match e {
        Expression::Variable(v) => Some(v.value().as_str().to_string()),
        Expression::String(s) => Some(s.value().to_string()),
        _ => None,
    }
}
