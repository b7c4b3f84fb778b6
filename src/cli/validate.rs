//! `plinth validate`: check the configuration without touching any platform.

use std::process::ExitCode;

use anyhow::Result;

use super::{Workspace, load_checked};

#[derive(clap::Args, Debug)]
pub struct Args {}

pub fn run(ws: &Workspace, _args: &Args) -> Result<ExitCode> {
    let (config, _, _) = load_checked(ws)?;
    ws.report(&config.sources, &crate::secrets::lint::lint(&config));
    println!("Success! The configuration is valid.");
    Ok(ExitCode::SUCCESS)
}
