//! `plinth init`: prepare a configuration directory.

use std::process::ExitCode;

use anyhow::{Context, Result};

use super::{Reported, Workspace, load_checked};
use plinth::config::load;
use plinth::config::modsrc::{self, Modules};

#[derive(clap::Args, Debug)]
pub struct Args {
    /// Re-resolve every remote module's ref (a branch that moved) and rewrite .plinth.lock.hcl.
    #[arg(long)]
    upgrade: bool,
}

pub fn run(ws: &Workspace, args: &Args) -> Result<ExitCode> {
    install_modules(ws, args.upgrade)?;
    let (config, _graph, _schemas) = load_checked(ws)?;
    std::fs::create_dir_all(ws.root.join(".plinth")).context("cannot create .plinth/")?;
    // The backend's tables (idempotent), then the keys its users share.
    let store = super::secret::store(ws, Some(&config))?;
    store.init()?;
    plinth::workspace::shared_keys(ws, &*store)?;
    if store.kind() != plinth::state::BackendKind::Local {
        println!("- State is kept by {}", store.describe());
    }
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

/// Fetches the remote module sources into .plinth/modules and writes .plinth.lock.hcl; the
/// load that follows checks them like every other command does.
fn install_modules(ws: &Workspace, upgrade: bool) -> Result<()> {
    let (config, diags, modules) = load::load_with(&ws.root, Modules::install(&ws.root, upgrade));
    if diags.has_errors() {
        ws.report(&config.sources, &diags);
        return Err(Reported.into());
    }
    let lock = modules
        .write_lock()
        .with_context(|| format!("cannot write {}", modsrc::LOCK_FILE))?;
    for (key, e) in &lock.module {
        let pin = e.commit.as_deref().or(e.sha256.as_deref()).unwrap_or("");
        println!("- module.{key}: {} ({pin})", e.source);
    }
    Ok(())
}
