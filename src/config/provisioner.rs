//! `provisioner` blocks of a resource, read into [`Provisioner`].
//!
//! Only `local-exec` is supported: it runs a command on the machine running Plinth, after the
//! object is created (or, with `when = destroy`, before it is destroyed), as Terraform's does.
//! Remote provisioners (`file`, `remote-exec`) and `connection` blocks need a shell on the managed
//! machine, which Plinth does not open: they are refused with an error at the block. Running the
//! command is apply's business (`apply::provisioner`); this file reads and checks the block, and
//! prepares what its expressions see ([`Prepared`]): a creation-time provisioner sees `self` and,
//! as when the resource was evaluated, everything else in scope, so the walk captures what it
//! refers to when it evaluates the resource ([`prepare`]), and apply evaluates it later without
//! borrowing the walk. A destroy-time provisioner may refer only to `self`, `count.index` and
//! `each.key` (as in Terraform), so it needs nothing captured.

use hcl::edit::Span as _;
use hcl::edit::expr::Expression;
use hcl::edit::structure::{Block, Structure};

use std::collections::BTreeMap;
use std::sync::Arc;

use plinth_sdk::Value;

use super::{Expr, Module, Span};
use crate::diag::{Diagnostic, Diagnostics, FileId};
use crate::lang::refs::references;
use crate::lang::{Scope, ScopeError, Step};

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

/// A provisioner ready to run: its expressions, and the values they refer to (besides `self`).
#[derive(Debug)]
pub struct Prepared {
    pub when: When,
    pub on_failure_continue: bool,
    pub quiet: bool,
    pub command: Expr,
    pub working_dir: Option<Expr>,
    pub interpreter: Option<Expr>,
    pub environment: Option<Expr>,
    captured: Vec<Captured>,
}

/// One value a provisioner refers to: `root` and the static steps the scope consumed for it.
#[derive(Debug)]
struct Captured {
    root: String,
    steps: Vec<String>,
    value: Value,
}

/// How many static steps after `root` name one value in a scope (`var.x`: 1, `data.t.n`: 2).
fn steps_of(root: &str) -> usize {
    match root {
        "data" => 2,
        _ => 1,
    }
}

/// Captures what `p`'s expressions refer to from `scope`, the scope its resource instance was
/// evaluated in. References `scope` cannot resolve are left out: evaluating the expression later
/// reports them with their position.
pub fn prepare(p: &Provisioner, scope: &dyn Scope) -> Prepared {
    let mut captured: Vec<Captured> = Vec::new();
    for e in p.exprs() {
        for r in references(&e.expr) {
            if r.root == "self" {
                continue;
            }
            let steps: Vec<String> = r.attrs.iter().take(steps_of(&r.root)).cloned().collect();
            if captured.iter().any(|c| c.root == r.root && c.steps == steps) {
                continue;
            }
            let lookup: Vec<Step> = steps.iter().map(|s| Step::Attr(s.clone())).collect();
            if let Ok((value, used)) = scope.lookup(&r.root, &lookup) {
                captured.push(Captured {
                    root: r.root.clone(),
                    steps: steps[..used.min(steps.len())].to_vec(),
                    value,
                });
            }
        }
    }
    Prepared {
        when: p.when,
        on_failure_continue: p.on_failure_continue,
        quiet: p.quiet,
        command: p.command.clone(),
        working_dir: p.working_dir.clone(),
        interpreter: p.interpreter.clone(),
        environment: p.environment.clone(),
        captured,
    }
}

/// The destroy-time provisioners of every resource of the configuration, by static address
/// (`module.m.local_file.a`), ready to run.
pub fn destroy_time(root: &Module) -> BTreeMap<String, Vec<Arc<Prepared>>> {
    let mut out = BTreeMap::new();
    root.walk(&mut |m: &Module| {
        for (addr, r) in &m.resources {
            let list: Vec<Arc<Prepared>> = r
                .provisioners
                .iter()
                .filter(|p| p.when == When::Destroy)
                .map(|p| Arc::new(prepare(p, &crate::lang::EmptyScope)))
                .collect();
            if !list.is_empty() {
                let prefix: String = m.path.iter().map(|n| format!("module.{n}.")).collect();
                out.insert(format!("{prefix}{addr}"), list);
            }
        }
    });
    out
}

/// The scope a provisioner is evaluated in: `self`, the instance's `count.index` / `each`, and
/// what [`prepare`] captured.
pub struct ProvisionerScope<'a> {
    prepared: &'a Prepared,
    self_value: &'a Value,
    key: &'a crate::addrs::Key,
}

impl<'a> ProvisionerScope<'a> {
    pub fn new(prepared: &'a Prepared, self_value: &'a Value, key: &'a crate::addrs::Key) -> Self {
        ProvisionerScope {
            prepared,
            self_value,
            key,
        }
    }
}

impl Scope for ProvisionerScope<'_> {
    fn lookup(&self, root: &str, steps: &[Step]) -> Result<(Value, usize), ScopeError> {
        use crate::addrs::Key;
        match (root, self.key) {
            ("self", _) => return Ok((self.self_value.clone(), 0)),
            ("count", Key::Int(i)) => {
                if let Some(Step::Attr(a)) = steps.first()
                    && a == "index"
                {
                    return Ok((Value::int(*i as i64), 1));
                }
            }
            ("each", Key::Str(k)) => {
                if let Some(Step::Attr(a)) = steps.first()
                    && a == "key"
                {
                    return Ok((Value::string(k.clone()), 1));
                }
            }
            _ => {}
        }
        let best = self
            .prepared
            .captured
            .iter()
            .filter(|c| {
                c.root == root
                    && c.steps.len() <= steps.len()
                    && c.steps
                        .iter()
                        .zip(steps)
                        .all(|(want, got)| matches!(got, Step::Attr(a) if a == want))
            })
            .max_by_key(|c| c.steps.len());
        match best {
            Some(c) => Ok((c.value.clone(), c.steps.len())),
            None if self.prepared.when == When::Destroy => Err(ScopeError::new(
                "Invalid reference from destroy provisioner",
                "a destroy-time provisioner may refer only to self, count.index and each.key: the rest of the configuration may be gone when it runs",
                None,
            )),
            None => Err(ScopeError::new(
                format!("Unknown reference {root}"),
                "a provisioner may refer to self and to what its resource may refer to",
                None,
            )),
        }
    }
}
