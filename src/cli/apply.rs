//! `plinth apply [PLANFILE]` and `plinth destroy`.

use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::Arc;

use anyhow::{Result, bail};
use plinth_sdk::Map;

use super::{Prepared, Reported, VarFlags, WalkFlags, Workspace, confirm, prepare, runtime};
use crate::addrs::Address;
use crate::apply::{ApplyReport, NoProgress, Progress, apply};
use crate::interrupt::Interrupt;
use crate::plan::Action;
use crate::plan::render::render_plan;
use crate::plan::walk::{PlanOptions, plan};
use crate::state::Backend;

#[derive(clap::Args, Debug)]
pub struct Args {
    /// A plan saved with `plinth plan --out FILE`: apply exactly that.
    pub plan_file: Option<PathBuf>,
    #[command(flatten)]
    pub vars: VarFlags,
    /// Do not ask for confirmation.
    #[arg(long)]
    pub auto_approve: bool,
    /// Apply only these resources or modules and what they depend on (repeatable).
    #[arg(long = "target", value_name = "ADDRESS", value_parser = Address::parse)]
    pub targets: Vec<Address>,
    #[command(flatten)]
    pub walk: WalkFlags,
}

#[derive(clap::Args, Debug)]
pub struct DestroyArgs {
    #[command(flatten)]
    pub vars: VarFlags,
    /// Do not ask for confirmation.
    #[arg(long)]
    pub auto_approve: bool,
    /// Destroy only these resources or modules (repeatable).
    #[arg(long = "target", value_name = "ADDRESS", value_parser = Address::parse)]
    pub targets: Vec<Address>,
    /// How many provider operations may run at once.
    #[arg(long, default_value_t = 10)]
    pub parallelism: usize,
}

/// A progress bar on a terminal, nothing otherwise.
struct Bar(indicatif::ProgressBar);

impl Progress for Bar {
    fn start(&self, total: usize) {
        self.0.set_length(total as u64);
    }
    fn done(&self, address: &str, action: Action, ok: bool) {
        self.0.inc(1);
        if !ok {
            self.0.println(format!("{address}: {action:?} failed"));
        }
    }
    fn finish(&self) {
        self.0.finish_and_clear();
    }
}

fn progress() -> Arc<dyn Progress> {
    if std::io::stderr().is_terminal() {
        let bar = indicatif::ProgressBar::new(0);
        if let Ok(style) =
            indicatif::ProgressStyle::with_template("{spinner} applying [{bar:30}] {pos}/{len} {elapsed}")
        {
            bar.set_style(style.progress_chars("=> "));
        }
        Arc::new(Bar(bar))
    } else {
        Arc::new(NoProgress)
    }
}

pub fn run(ws: &Workspace, args: &Args) -> Result<ExitCode> {
    match &args.plan_file {
        Some(file) => apply_saved(ws, args, &ws.path(file)),
        None => {
            let opts = PlanOptions {
                refresh: args.walk.refresh,
                destroy: false,
                targets: args.targets.clone(),
                unsaved: true,
            };
            plan_and_apply(ws, &args.vars, opts, args.auto_approve, args.walk.parallelism)
        }
    }
}

pub fn destroy(ws: &Workspace, args: &DestroyArgs) -> Result<ExitCode> {
    let opts = PlanOptions {
        refresh: true,
        destroy: true,
        targets: args.targets.clone(),
        unsaved: true,
    };
    plan_and_apply(ws, &args.vars, opts, args.auto_approve, args.parallelism)
}

fn plan_and_apply(
    ws: &Workspace,
    vars: &VarFlags,
    opts: PlanOptions,
    auto_approve: bool,
    parallelism: usize,
) -> Result<ExitCode> {
    let persisted = super::env_vars(ws)?;
    let prepared = prepare(ws, vars, &persisted)?;
    let backend = super::secret::backend(ws, Some(&prepared.config))?;
    let _lock = backend.lock(if opts.destroy { "destroy" } else { "apply" })?;
    let state = backend.load()?;
    let rt = runtime()?;
    let result = {
        let session = prepared.session(ws, &state, parallelism, None);
        rt.block_on(plan(&session, &opts))
    };
    if prepared.report(ws, &result.diags) {
        return Err(Reported.into());
    }
    print!("{}", render_plan(&result.plan, ws.color));
    print!(
        "{}",
        crate::plan::provisioners::notes(&prepared.config.root, &result.plan)
    );
    if !opts.destroy && prepared.report(ws, &super::env::guard(ws, &prepared, &result.plan)?) {
        return Err(Reported.into());
    }
    if !result.plan.has_changes() {
        println!("\nApply complete! Resources: 0 added, 0 changed, 0 destroyed.");
        super::leave((result, state));
        return Ok(ExitCode::SUCCESS);
    }
    if !auto_approve {
        let q = if opts.destroy {
            format!(
                "\nDo you really want to destroy all resources in environment {:?}?\n  Plinth will destroy everything shown above. There is no undo.",
                ws.env
            )
        } else {
            "\nDo you want to perform these actions?\n  Plinth will perform the actions described above.".to_string()
        };
        if !confirm(&q) {
            eprintln!("\nApply cancelled.");
            return Ok(ExitCode::FAILURE);
        }
        println!();
    }
    // Apply reads and changes `after`, never the session's state (which planning read): the state
    // moves there instead of being copied.
    let mut after = state;
    let before = crate::state::State::default();
    let interrupt = listen(&rt)?;
    let mut session = prepared.session(ws, &before, parallelism, None);
    session.walk.interrupt = Some(&interrupt);
    let destroy = result.plan.destroy;
    let report = rt.block_on(apply(&session, result.plan, &backend, &mut after, progress()));
    drop(session);
    super::leave(after);
    summarize(ws, &prepared, &report, destroy)
}

/// From here on, Ctrl-C and SIGTERM stop the apply gently instead of killing the process (see
/// `crate::interrupt`).
fn listen(rt: &tokio::runtime::Runtime) -> Result<Interrupt> {
    let interrupt = Interrupt::new();
    let _entered = rt.enter();
    interrupt.listen()?;
    Ok(interrupt)
}

/// The exit code of a command stopped by Ctrl-C, as shells report a process killed by SIGINT.
const INTERRUPTED: u8 = 130;

fn summarize(ws: &Workspace, prepared: &Prepared, report: &ApplyReport, destroy: bool) -> Result<ExitCode> {
    let failed = prepared.report(ws, &report.diags);
    if report.interrupted {
        let made = report.imported + report.added + report.changed + report.destroyed;
        eprintln!(
            "\n{} interrupted! {made} of {} changes finished and are recorded in state ({} added, {} changed, {} destroyed); the rest were not made.",
            if destroy { "Destroy" } else { "Apply" },
            report.planned,
            report.added,
            report.changed,
            report.destroyed
        );
        if !report.abandoned.is_empty() {
            eprintln!(
                "These operations were abandoned while they ran and may be half-done; check them on the platform before the next apply:"
            );
            for a in &report.abandoned {
                eprintln!("  - {a}");
            }
        }
        eprintln!("Run the same command again to finish.");
        return Ok(ExitCode::from(INTERRUPTED));
    }
    if destroy {
        if !failed {
            println!("\nDestroy complete! Resources: {} destroyed.", report.destroyed);
        }
    } else {
        // Terraform names imports in the summary only when there were some.
        let imported = if report.imported > 0 {
            format!("{} imported, ", report.imported)
        } else {
            String::new()
        };
        println!(
            "\nApply {}! Resources: {imported}{} added, {} changed, {} destroyed.",
            if failed { "failed" } else { "complete" },
            report.added,
            report.changed,
            report.destroyed
        );
        if !report.outputs.is_empty() {
            println!("\nOutputs:\n");
            for (name, (v, sensitive)) in &report.outputs {
                if *sensitive {
                    println!("{name} = <sensitive>");
                } else {
                    println!("{name} = {v}");
                }
            }
        }
    }
    if failed {
        Err(Reported.into())
    } else {
        Ok(ExitCode::SUCCESS)
    }
}

fn apply_saved(ws: &Workspace, args: &Args, file: &Path) -> Result<ExitCode> {
    let cipher = super::secret::cipher(ws, None)?;
    let saved = crate::plan::file::read_plan_with(file, cipher.as_ref())?;
    if saved.env != ws.env {
        bail!(
            "the plan {} was made for environment {:?}, not {:?}: run with -e {}",
            file.display(),
            saved.env,
            ws.env,
            saved.env
        );
    }
    // The saved plan's variable values win; sensitive ones are resolved again from their sources.
    let mut persisted: Map = super::env_vars(ws)?;
    for (k, v) in &saved.variables {
        if !v.contains_sensitive() {
            persisted.insert(k.clone(), v.clone());
        }
    }
    let prepared = prepare(ws, &args.vars, &persisted)?;
    let backend = ws.open_backend(&ws.env, &prepared.config)?;
    let _lock = backend.lock("apply")?;
    let state = backend.load()?;
    if saved.lineage != state.lineage && !(state.serial == 0 && state.resources.is_empty() && saved.serial == 0) {
        bail!(
            "the plan {} is stale: it was made for a different state (lineage {}, now {}); run plinth plan again",
            file.display(),
            saved.lineage,
            state.lineage
        );
    }
    if saved.serial != state.serial {
        bail!(
            "the plan {} is stale: the state changed since it was made (serial {} then, {} now); run plinth plan again",
            file.display(),
            saved.serial,
            state.serial
        );
    }
    if saved.config_hash != prepared.config.hash {
        bail!(
            "the plan {} is stale: the configuration changed since it was made; run plinth plan again",
            file.display()
        );
    }
    if !saved.destroy && prepared.report(ws, &super::env::guard(ws, &prepared, &saved)?) {
        return Err(Reported.into());
    }
    let rt = runtime()?;
    // As above: apply works on `after`, not on the session's state.
    let mut after = state;
    let before = crate::state::State::default();
    let interrupt = listen(&rt)?;
    let mut session = prepared.session(ws, &before, args.walk.parallelism, None);
    session.walk.interrupt = Some(&interrupt);
    let destroy = saved.destroy;
    let report = rt.block_on(apply(&session, saved, &backend, &mut after, progress()));
    drop(session);
    super::leave(after);
    summarize(ws, &prepared, &report, destroy)
}
