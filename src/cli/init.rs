//! `plinth init`: prepare a configuration directory.

use std::process::ExitCode;

use anyhow::{Context, Result};

use super::{Workspace, load_checked};
use plinth::secrets::HashKey;

#[derive(clap::Args, Debug)]
pub struct Args {}

pub fn run(ws: &Workspace, _args: &Args) -> Result<ExitCode> {
    let (config, _graph, _schemas) = load_checked(ws)?;
    std::fs::create_dir_all(ws.root.join(".plinth")).context("cannot create .plinth/")?;
    HashKey::load_or_create(&ws.root).context("cannot create .plinth/hash.key")?;
    let mut providers = std::collections::BTreeSet::new();
    config.root.walk(&mut |m| {
        for r in m.resources.values() {
            providers.insert(r.provider_name().to_string());
        }
    });
    for p in &providers {
        println!("- Using the built-in {p} provider");
    }
    println!(
        "\nPlinth has been successfully initialized in {} (environment {:?}).",
        ws.root.display(),
        ws.env
    );
    println!("Run `plinth plan` to see what would change.");
    Ok(ExitCode::SUCCESS)
}
