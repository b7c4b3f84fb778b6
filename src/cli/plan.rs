//! `plinth plan`: show what apply would change.

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::{Context, Result};

use super::{Reported, VarFlags, WalkFlags, Workspace, prepare, runtime};
use crate::addrs::Address;
use crate::plan::render::render_plan;
use crate::plan::walk::{PlanOptions, plan};

#[derive(clap::Args, Debug)]
pub struct Args {
    #[command(flatten)]
    pub vars: VarFlags,
    /// Exit 0 when there are no changes, 2 when there are, 1 on error.
    #[arg(long)]
    pub detailed_exitcode: bool,
    /// Plan only these resources or modules and what they depend on (repeatable).
    #[arg(long = "target", value_name = "ADDRESS", value_parser = Address::parse)]
    pub targets: Vec<Address>,
    #[command(flatten)]
    pub walk: WalkFlags,
    /// Save the plan to FILE for `plinth apply FILE`.
    #[arg(long = "out", value_name = "FILE")]
    pub out: Option<PathBuf>,
}

pub fn run(ws: &Workspace, args: &Args) -> Result<ExitCode> {
    let persisted = super::env_vars(ws)?;
    let prepared = prepare(ws, &args.vars, &persisted)?;
    ws.report(&prepared.config.sources, &crate::secrets::lint::lint(&prepared.config));
    let backend = super::secret::backend(ws, Some(&prepared.config))?;
    // Plan reads one consistent snapshot without the lock (every backend's load is consistent
    // on its own), so plans run beside each other and beside an apply; a saved plan carries the
    // serial it was made from, and `apply FILE` refuses it once the state has moved on.
    let state = crate::state::Backend::load(&backend)?;
    let rt = runtime()?;
    let session = prepared.session(ws, &state, args.walk.parallelism, None);
    let opts = PlanOptions {
        refresh: args.walk.refresh,
        destroy: false,
        targets: args.targets.clone(),
        unsaved: args.out.is_none(),
    };
    let result = rt.block_on(plan(&session, &opts));
    if prepared.report(ws, &result.diags) {
        return Err(Reported.into());
    }
    print!("{}", render_plan(&result.plan, ws.color));
    print!(
        "{}",
        crate::plan::provisioners::notes(&prepared.config.root, &result.plan)
    );
    if prepared.report(ws, &super::env::guard(ws, &prepared, &result.plan)?) {
        return Err(Reported.into());
    }
    if let Some(out) = args.out.as_deref().map(|p| ws.path(p)) {
        let out = &out;
        crate::plan::file::write_plan_with(&result.plan, out, backend.cipher())
            .with_context(|| format!("cannot save the plan to {}", out.display()))?;
        // Run from elsewhere than the configuration (`-C DIR`), the command must say where.
        let elsewhere = std::env::current_dir()
            .and_then(std::fs::canonicalize)
            .map_or(true, |cwd| cwd != ws.root);
        let chdir = if elsewhere {
            format!("-C {} ", ws.root.display())
        } else {
            String::new()
        };
        println!(
            "\nSaved the plan to {}. To apply exactly this plan, run:\n  plinth {chdir}apply {}",
            out.display(),
            args.out.as_deref().unwrap_or(out).display()
        );
    }
    let code = if args.detailed_exitcode && result.plan.has_changes() {
        ExitCode::from(2)
    } else {
        ExitCode::SUCCESS
    };
    drop(session);
    super::leave((result, state));
    Ok(code)
}
