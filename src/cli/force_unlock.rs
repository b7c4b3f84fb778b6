//! `plinth force-unlock`: release a state lock whose holder is gone.
//!
//! The local backend's lock is an operating-system file lock: it is released the moment its
//! holder exits, even after `kill -9`, so there is never a stale lock to break. The command
//! reports who holds the lock, and leaves a live holder alone.

use std::process::ExitCode;

use anyhow::{Result, bail};

use super::Workspace;
use plinth::state::{Backend, StateError};

#[derive(clap::Args, Debug)]
pub struct Args {}

pub fn run(ws: &Workspace, _args: &Args) -> Result<ExitCode> {
    match ws.backend().lock() {
        Ok(_lock) => {
            println!(
                "The state of environment {:?} is not locked: the local backend's lock is released by the operating system as soon as its holder exits.",
                ws.env
            );
            Ok(ExitCode::SUCCESS)
        }
        Err(StateError::Locked { holder, .. }) => bail!(
            "the lock is held by a running process ({holder}); it is released when that process exits — stop it instead of breaking the lock"
        ),
        Err(e) => Err(e.into()),
    }
}
