//! `plinth taint ADDRESS` and `plinth untaint ADDRESS`: mark one recorded instance for
//! replacement by the next apply, or take the mark away (Terraform's commands of the same names).
//! The logic is `crate::state::ops::set_tainted`; this file parses and prints.

use std::process::ExitCode;

use anyhow::Result;

use super::Workspace;
use crate::state::ops::{self, Marked};

#[derive(clap::Args, Debug)]
pub struct Args {
    /// The resource instance, such as `kubernetes_deployment.web` or `local_file.spec[0]`.
    pub address: String,
}

/// `taint` when `tainted`, else `untaint`.
pub fn run(ws: &Workspace, args: &Args, tainted: bool) -> Result<ExitCode> {
    let backend = super::secret::backend(ws, None)?;
    let address = &args.address;
    match (ops::set_tainted(&backend, address, tainted)?, tainted) {
        (Marked::Already, _) => println!("Resource instance {address} is already tainted."),
        (Marked::Changed, true) => println!("Resource instance {address} has been marked as tainted."),
        (Marked::Changed, false) => println!("Resource instance {address} has been successfully untainted."),
    }
    Ok(ExitCode::SUCCESS)
}
