//! `plinth state list|show|rm|mv|pull|push`: inspect and repair the state.

use std::io::Read as _;
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::{Context, Result};

use super::Workspace;
use crate::state::{Backend, ops};

#[derive(clap::Args, Debug)]
pub struct Args {
    #[command(subcommand)]
    pub cmd: Cmd,
}

#[derive(clap::Subcommand, Debug)]
pub enum Cmd {
    /// List resource instances (optionally only those under the given addresses).
    List { filters: Vec<String> },
    /// Show one resource instance's recorded attributes.
    Show { address: String },
    /// Forget resource instances (the real objects are left alone).
    Rm {
        #[arg(required = true)]
        addresses: Vec<String>,
    },
    /// Rename a resource instance, a resource or a module in the state.
    Mv { from: String, to: String },
    /// Print the state as JSON.
    Pull,
    /// Replace the state with a JSON file (`-` for standard input).
    Push {
        file: PathBuf,
        /// Accept a different lineage or a lower serial.
        #[arg(long)]
        force: bool,
    },
}

pub fn run(ws: &Workspace, args: &Args) -> Result<ExitCode> {
    let backend = super::secret::backend(ws, None)?;
    match &args.cmd {
        Cmd::List { filters } => {
            let state = backend.load()?;
            for a in ops::list(&state, filters) {
                println!("{a}");
            }
        }
        Cmd::Show { address } => {
            let state = backend.load()?;
            print!("{}", ops::show(&state, address)?);
        }
        Cmd::Rm { addresses } => {
            let removed = ops::rm(&backend, addresses)?;
            for a in &removed {
                println!("Removed {a}");
            }
            println!("Successfully removed {} resource instance(s).", removed.len());
        }
        Cmd::Mv { from, to } => {
            let moved = ops::mv(&backend, from, to)?;
            for (a, b) in &moved {
                println!("Move {a:?} to {b:?}");
            }
            println!("Successfully moved {} object(s).", moved.len());
        }
        Cmd::Pull => print!("{}", ops::pull(&backend)?),
        Cmd::Push { file, force } => {
            let mut text = String::new();
            if file.as_os_str() == "-" {
                std::io::stdin()
                    .read_to_string(&mut text)
                    .context("cannot read standard input")?;
            } else {
                text = std::fs::read_to_string(file).with_context(|| format!("cannot read {}", file.display()))?;
            }
            let text = super::secret::open_state_text(&backend, text, &file.display().to_string())?;
            let serial = ops::push(&backend, &text, *force)?;
            println!("State pushed (serial {serial}).");
        }
    }
    Ok(ExitCode::SUCCESS)
}
