//! `plinth graph`: the dependency graph in Graphviz DOT.

use std::process::ExitCode;

use anyhow::Result;

use super::{Workspace, load_checked};

#[derive(clap::Args, Debug)]
pub struct Args {}

pub fn run(ws: &Workspace, _args: &Args) -> Result<ExitCode> {
    let (_config, graph, _schemas) = load_checked(ws)?;
    print!("{}", crate::graph::dot::to_dot(&graph));
    Ok(ExitCode::SUCCESS)
}
