//! `plinth init`: prepare a configuration directory.

use std::process::ExitCode;

use anyhow::{Context, Result};

use super::{Reported, Workspace, load_checked};
use crate::config::load;
use crate::config::modsrc::{self, Modules};

#[derive(clap::Args, Debug)]
pub struct Args {
    /// Re-resolve every remote module's ref (a branch that moved) and rewrite .plinth.lock.hcl.
    #[arg(long)]
    upgrade: bool,
    /// The backend block changed: copy every environment's state from the backend of the last
    /// `init` to the new one (refused when the new one holds another lineage).
    #[arg(long, alias = "force-copy", conflicts_with = "reconfigure")]
    migrate_state: bool,
    /// The backend block changed: use the new backend as it is, leaving the old one's state alone.
    #[arg(long)]
    reconfigure: bool,
}

pub fn run(ws: &Workspace, args: &Args) -> Result<ExitCode> {
    install_modules(ws, args.upgrade)?;
    let (config, _graph, _schemas) = load_checked(ws)?;
    std::fs::create_dir_all(ws.root.join(".plinth")).context("cannot create .plinth/")?;
    change_backend(ws, args, &config)?;
    // The backend's tables (idempotent), then the keys its users share.
    let store = super::secret::store(ws, Some(&config))?;
    store.init()?;
    crate::workspace::shared_keys(ws, &*store)?;
    if store.kind() != crate::state::BackendKind::Local {
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

/// Notices a `backend` block that changed since the last `init` (or a first non-local backend
/// beside local state), and moves the state when asked (`-migrate-state`), as Terraform's init
/// does; then records the backend in `.plinth/backend.json`.
fn change_backend(ws: &Workspace, args: &Args, config: &crate::config::Config) -> Result<()> {
    use crate::state::{BackendSettings, open_store};
    use crate::workspace::RecordedBackend;
    let current = RecordedBackend::configured(config);
    let previous = match RecordedBackend::recorded(ws)? {
        Some(r) => Some(r),
        None if current.kind != "local" => {
            let local = open_store(BackendSettings::local(&ws.root))?;
            (!local.environments()?.is_empty()).then(|| RecordedBackend {
                kind: "local".to_string(),
                args: Default::default(),
            })
        }
        None => None,
    };
    match previous {
        Some(prev) if prev != current => {
            if args.migrate_state {
                let cipher = crate::workspace::cipher(ws, config)?;
                let from = open_store(prev.settings(ws, cipher.clone())?)?;
                let to = open_store(crate::workspace::backend_settings(ws, config, cipher)?)?;
                to.init()?;
                println!(
                    "- Copying every environment's state from {} to {}",
                    from.describe(),
                    to.describe()
                );
                let moved = crate::state::migrate::migrate(&*from, &*to)?;
                for (env, n) in &moved.environments {
                    println!("  - {env}: {n} resource instance(s)");
                }
                println!(
                    "- The state is copied; the old backend ({}) still holds its copy, untouched.",
                    prev.describe()
                );
            } else if !args.reconfigure {
                anyhow::bail!(
                    "the backend changed since the last `plinth init`: the state is kept by {}, and the configuration now says {}. Run `plinth init -migrate-state` to copy every environment's state to the new backend, or `plinth init -reconfigure` to use the new backend as it is (the old one's state is left alone)",
                    prev.describe(),
                    current.describe()
                );
            }
        }
        _ if args.migrate_state => println!("- The backend did not change: there is no state to migrate."),
        _ => {}
    }
    current.record(ws)
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
