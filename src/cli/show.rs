//! `plinth show [PLANFILE] [--json | --markdown]`: a saved plan, or the current state.

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::{Result, bail};

use super::Workspace;
use crate::plan::json::{plan_json, state_json};
use crate::plan::markdown::plan_markdown;
use crate::plan::render::render_plan;
use crate::state::{Backend, ops};

#[derive(clap::Args, Debug)]
pub struct Args {
    /// A plan saved with `plinth plan --out FILE` (default: the current state).
    pub plan_file: Option<PathBuf>,
    /// JSON in the shape of Terraform's `show -json`.
    #[arg(long, conflicts_with = "markdown")]
    pub json: bool,
    /// A pull-request comment (plans only).
    #[arg(long)]
    pub markdown: bool,
}

/// The state a plan was made against, rebuilt from the plan's own `before` values (sensitive
/// values stay redacted).
fn prior_state(plan: &crate::plan::Plan) -> crate::state::State {
    let mut state = crate::state::State::new();
    state.lineage = plan.lineage.clone();
    state.serial = plan.serial;
    for c in &plan.changes {
        let (Some(before), crate::config::Mode::Managed) = (&c.before, c.mode) else {
            continue;
        };
        state.resources.insert(
            c.address.clone(),
            crate::state::ResourceState {
                mode: "managed".into(),
                type_name: c.type_name.clone(),
                provider: c.provider.clone(),
                attributes: before.redact().to_json(),
                sensitive: before
                    .sensitive_paths()
                    .into_iter()
                    .map(|p| (p.to_string(), String::new()))
                    .collect(),
                dependencies: c.dependencies.clone(),
                create_before_destroy: c.create_before_destroy,
                tainted: c.reason.as_deref() == Some(crate::plan::walk::TAINTED),
            },
        );
    }
    for o in &plan.outputs {
        if let Some(before) = &o.before {
            state.outputs.insert(
                o.name.clone(),
                crate::state::OutputState {
                    value: if o.sensitive {
                        serde_json::Value::Null
                    } else {
                        before.to_json()
                    },
                    type_name: before.type_name().to_string(),
                    sensitive: o.sensitive,
                },
            );
        }
    }
    state
}

pub fn run(ws: &Workspace, args: &Args) -> Result<ExitCode> {
    let backend = super::secret::backend(ws, None)?;
    let state = backend.load()?;
    match args.plan_file.as_deref().map(|p| ws.path(p)) {
        Some(file) => {
            let file = &file;
            let plan = crate::plan::file::read_plan_with(file, backend.cipher())?;
            if args.json {
                // prior_state is the (refreshed) state the plan was made against, as the plan
                // itself recorded it — not the current state, which may have moved since.
                let prior = prior_state(&plan);
                let prior = Some(&prior);
                println!("{}", serde_json::to_string_pretty(&plan_json(&plan, prior))?);
            } else if args.markdown {
                print!("{}", plan_markdown(&plan));
            } else {
                print!("{}", render_plan(&plan, ws.color));
            }
        }
        None => {
            if args.markdown {
                bail!("--markdown renders a plan: give a plan file saved with `plinth plan --out FILE`");
            }
            if args.json {
                println!("{}", serde_json::to_string_pretty(&state_json(&state))?);
            } else if state.resources.is_empty() {
                println!("The state of environment {:?} is empty.", ws.env);
            } else {
                for addr in ops::list(&state, &[]) {
                    print!("{}", ops::show(&state, &addr)?);
                    println!();
                }
                if !state.outputs.is_empty() {
                    println!("Outputs:\n");
                    for (k, o) in &state.outputs {
                        let v = if o.sensitive {
                            "(sensitive)".to_string()
                        } else {
                            plinth_sdk::Value::from_json(&o.value).to_string()
                        };
                        println!("{k} = {v}");
                    }
                }
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}
