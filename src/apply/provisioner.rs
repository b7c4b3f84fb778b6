//! Running `local-exec` provisioners during apply.
//!
//! A creation-time provisioner runs after its object is created and recorded in state; its
//! expressions see `self` (the new object) and, as when the resource was evaluated, everything
//! else in scope. The walk captures what they refer to (besides `self`) when it evaluates the
//! resource ([`prepare`]), so that apply can evaluate them later without borrowing the walk. A
//! destroy-time provisioner runs before its object is deleted and may refer only to `self`,
//! `count.index` and `each.key` (as in Terraform), so it needs nothing captured.
//!
//! The command runs with `/bin/sh -c` (or `interpreter`), in `working_dir` relative to the
//! configuration directory, with `environment` added to Plinth's own environment. Its output is
//! printed line by line, prefixed with the address, as Terraform does. A failure fails the
//! resource (a created object is kept in state as tainted) unless `on_failure = continue`, which
//! makes it a warning.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use plinth_sdk::Value;

use crate::config::provisioner::{Provisioner, When};
use crate::config::{Expr, Module};
use crate::diag::Diagnostic;
use crate::lang::eval::eval;
use crate::lang::refs::references;
use crate::lang::{EvalContext, Scope, ScopeError, Step};
use crate::secrets::sources::Sources;

/// A provisioner ready to run: its expressions, and the values they refer to (besides `self`).
#[derive(Debug)]
pub struct Prepared {
    pub when: When,
    pub on_failure_continue: bool,
    pub quiet: bool,
    command: Expr,
    working_dir: Option<Expr>,
    interpreter: Option<Expr>,
    environment: Option<Expr>,
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
struct ProvisionerScope<'a> {
    prepared: &'a Prepared,
    self_value: &'a Value,
    key: &'a crate::addrs::Key,
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

/// A finished provisioner that failed: what to say, and whether it fails the resource.
pub struct Failure {
    pub diagnostic: Diagnostic,
    pub fatal: bool,
}

/// Runs `p` for instance `address` (key `key`) whose object is `self_value`. Output lines are
/// printed as `ADDRESS (local-exec): LINE`.
pub async fn run(
    p: &Prepared,
    address: &str,
    key: &crate::addrs::Key,
    self_value: &Value,
    root_dir: &Path,
) -> Result<(), Failure> {
    let scope = ProvisionerScope {
        prepared: p,
        self_value,
        key,
    };
    let fail = |d: Diagnostic| Failure {
        diagnostic: d.with_address(address.to_string()),
        fatal: !p.on_failure_continue,
    };
    let ev = |e: &Expr| -> Result<Value, Failure> {
        let ctx = EvalContext {
            file: e.file,
            scope: &scope,
            secrets: &Sources,
            base_dir: root_dir,
        };
        eval(&e.expr, &ctx).map_err(|mut ds| {
            let first = ds.remove(0);
            Failure {
                diagnostic: first.with_address(address.to_string()),
                fatal: true,
            }
        })
    };
    let (command, sensitive) = ev(&p.command)?.unmark();
    let Some(command) = command.as_str().map(str::to_string) else {
        return Err(fail(Diagnostic::error(
            "the local-exec command is not a string".to_string(),
        )));
    };
    let interpreter: Vec<String> = match &p.interpreter {
        Some(e) => ev(e)?
            .unmark()
            .0
            .as_list()
            .map(|l| l.iter().filter_map(|v| v.as_str().map(str::to_string)).collect())
            .unwrap_or_default(),
        None => vec!["/bin/sh".to_string(), "-c".to_string()],
    };
    let Some((program, args)) = interpreter.split_first() else {
        return Err(fail(
            Diagnostic::error("the local-exec interpreter is empty")
                .with_detail("write interpreter = [\"/bin/bash\", \"-c\"], or leave it out for /bin/sh -c"),
        ));
    };
    let dir: PathBuf = match &p.working_dir {
        Some(e) => root_dir.join(ev(e)?.unmark().0.as_str().unwrap_or(".")),
        None => root_dir.to_path_buf(),
    };
    let mut cmd = tokio::process::Command::new(program);
    cmd.args(args)
        .arg(&command)
        .current_dir(&dir)
        .stdin(std::process::Stdio::null());
    let environment = match &p.environment {
        Some(e) => ev(e)?.unmark().0,
        None => Value::Null,
    };
    for (k, v) in environment.as_map().into_iter().flatten() {
        let text = match v {
            Value::String(s) => s.clone(),
            other => other.to_string(),
        };
        cmd.env(k, text);
    }
    if !p.quiet {
        if sensitive {
            println!("{address} (local-exec): Executing: (sensitive command)");
        } else {
            println!(
                "{address} (local-exec): Executing: [{:?} {:?}]",
                interpreter.join(" "),
                command
            );
        }
    }
    let out = cmd.output().await.map_err(|e| {
        fail(
            Diagnostic::error(format!("cannot run the local-exec command: {e}"))
                .with_detail(format!("the interpreter is {program:?}, run in {}", dir.display())),
        )
    })?;
    // A command built from a sensitive value may print it: its output is not shown.
    if !sensitive {
        for line in String::from_utf8_lossy(&out.stdout)
            .lines()
            .chain(String::from_utf8_lossy(&out.stderr).lines())
        {
            println!("{address} (local-exec): {line}");
        }
    }
    if out.status.success() {
        return Ok(());
    }
    let code = out.status.code().map_or("was killed by a signal".to_string(), |c| {
        format!("exited with status {c}")
    });
    Err(fail(
        Diagnostic::error(format!("the local-exec provisioner failed: the command {code}")).with_detail(
            if p.on_failure_continue {
                "on_failure = continue: the apply goes on"
            } else {
                "fix the command and apply again (or set on_failure = continue to go on despite it)"
            },
        ),
    ))
}
