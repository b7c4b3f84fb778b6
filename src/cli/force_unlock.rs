//! `plinth force-unlock [ID]`: release a state lock whose holder is gone.
//!
//! The local backend's lock is an operating-system file lock and the postgres backend's a
//! session advisory lock: each is released the moment its holder exits, even after `kill -9`, so
//! there is never a stale lock to break there. The command then reports who holds the lock and
//! leaves a live holder alone. A backend whose lock can outlive its holder (a lock object) has it
//! broken after a confirmation (`--force` skips it), when `ID` names the lock held.

use std::process::ExitCode;

use anyhow::{Result, bail};

use super::{Workspace, confirm};
use crate::state::{Backend, StateError};

#[derive(clap::Args, Debug)]
pub struct Args {
    /// The lock ID the blocked command printed (`lock ID ...`).
    #[arg(value_name = "ID")]
    pub id: Option<String>,
    /// Do not ask for confirmation.
    #[arg(long)]
    pub force: bool,
}

pub fn run(ws: &Workspace, args: &Args) -> Result<ExitCode> {
    let backend = super::secret::backend(ws, None)?;
    let holder = match backend.try_lock("force-unlock") {
        Ok(_lock) => {
            println!(
                "The state of environment {:?} is not locked: this backend's lock is released as soon as its holder exits.",
                ws.env
            );
            return Ok(ExitCode::SUCCESS);
        }
        Err(StateError::Locked { holder, .. }) => holder,
        Err(e) => return Err(e.into()),
    };
    if !backend.lock_can_be_stale() {
        bail!(
            "the lock is held by a running process ({holder}); it is released when that process exits — stop it instead of breaking the lock"
        );
    }
    let Some(id) = &args.id else {
        bail!(
            "the lock is held by {holder}; run `plinth force-unlock {}` to break it",
            holder.id
        );
    };
    if *id != holder.id {
        bail!("lock ID {id:?} does not match the lock held ({holder}); nothing was changed");
    }
    if !args.force
        && !confirm(&format!(
            "Break the lock of environment {:?} held by {holder}?\n  Only do this when that run is gone: two runs writing one state lose changes.",
            ws.env
        ))
    {
        bail!("force-unlock cancelled");
    }
    backend.force_unlock(id)?;
    println!("The lock of environment {:?} was broken.", ws.env);
    Ok(ExitCode::SUCCESS)
}
