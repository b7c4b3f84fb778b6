//! `plinth drift`: report what changed outside Plinth. Exit 0 clean, 2 drift, 1 error.

use std::process::ExitCode;

use anyhow::Result;

use super::{Reported, VarFlags, Workspace, prepare, runtime};
use crate::addrs::Address;
use crate::plan::drift::{render_json, render_markdown, render_text, report};
use crate::plan::walk::{PlanOptions, plan};
use crate::state::Backend;

#[derive(clap::Args, Debug)]
pub struct Args {
    #[command(flatten)]
    pub vars: VarFlags,
    /// Check only these resources or modules (repeatable).
    #[arg(long = "target", value_name = "ADDRESS", value_parser = Address::parse)]
    pub targets: Vec<Address>,
    /// Machine-readable JSON (schema in docs/drift.md).
    #[arg(long, conflicts_with = "markdown")]
    pub json: bool,
    /// Markdown, for an issue or a chat message.
    #[arg(long)]
    pub markdown: bool,
    /// How many provider operations may run at once.
    #[arg(long, default_value_t = 10)]
    pub parallelism: usize,
}

pub fn run(ws: &Workspace, args: &Args) -> Result<ExitCode> {
    let persisted = super::env_vars(ws)?;
    let prepared = prepare(ws, &args.vars, &persisted)?;
    let backend = super::secret::backend(ws, Some(&prepared.config))?;
    let _lock = backend.lock("drift")?;
    let state = backend.load()?;
    let rt = runtime()?;
    let session = prepared.session(ws, &state, args.parallelism, None);
    let opts = PlanOptions {
        refresh: true,
        destroy: false,
        targets: args.targets.clone(),
        unsaved: true,
    };
    let result = rt.block_on(plan(&session, &opts));
    if prepared.report(ws, &result.diags) {
        return Err(Reported.into());
    }
    let r = report(&prepared.config, &result, prepared.providers());
    if args.json {
        println!("{}", serde_json::to_string_pretty(&render_json(&r))?);
    } else if args.markdown {
        print!("{}", render_markdown(&r));
    } else {
        print!("{}", render_text(&r, ws.color));
    }
    Ok(if r.drifted() {
        ExitCode::from(2)
    } else {
        ExitCode::SUCCESS
    })
}
