//! Running `local-exec` provisioners during apply.
//!
//! A creation-time provisioner runs after its object is created and recorded in state; a
//! destroy-time one before its object is deleted. What their expressions see is prepared by
//! `config::provisioner` ([`Prepared`]).
//!
//! The command runs with `/bin/sh -c` (or `interpreter`), in `working_dir` relative to the
//! configuration directory, with `environment` added to Plinth's own environment. Its output is
//! printed line by line, prefixed with the address, as Terraform does. A failure fails the
//! resource (a created object is kept in state as tainted) unless `on_failure = continue`, which
//! makes it a warning.

use std::path::{Path, PathBuf};

use plinth_sdk::Value;

use crate::config::Expr;
use crate::config::provisioner::{Prepared, ProvisionerScope};
use crate::diag::Diagnostic;
use crate::lang::EvalContext;
use crate::lang::eval::eval;
use crate::secrets::sources::Sources;

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
    let scope = ProvisionerScope::new(p, self_value, key);
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
        eval(&e.expr, &ctx).map_err(|ds| {
            let first = ds
                .into_iter()
                .next()
                .unwrap_or_else(|| Diagnostic::error("cannot evaluate the provisioner's arguments"));
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
