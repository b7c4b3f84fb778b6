//! `plinth env list|new|select|delete|clone`: environments, each with its own state, lock and
//! remembered variable values, kept by the configuration's backend (`crate::state::Store`:
//! `.plinth/env/NAME/` for the local one, rows of the postgres one). Which environment is
//! selected is this machine's choice, in `.plinth/environment`.

use std::process::ExitCode;

use anyhow::{Context, Result, bail};
use hcl::edit::structure::Structure;
use plinth_sdk::Map;
use serde::{Deserialize, Serialize};

use super::{Prepared, Reported, VarFlags, Workspace, prepare, runtime, selected_env_file, validate_env_name};
use crate::config::vars::VarArg;
use crate::diag::Diagnostics;
use crate::plan::Plan;
use crate::plan::collision;
use crate::plan::render::render_plan;
use crate::plan::walk::{PlanOptions, plan};
use crate::state::{Backend, Store};

#[derive(clap::Args, Debug)]
pub struct Args {
    #[command(subcommand)]
    pub cmd: Cmd,
}

#[derive(clap::Subcommand, Debug)]
pub enum Cmd {
    /// List environments; `*` marks the selected one.
    List,
    /// Create an environment (and select it), optionally remembering variable values.
    New {
        name: String,
        #[command(flatten)]
        vars: VarFlags,
    },
    /// Select the environment later commands use (overridden by -e and PLINTH_ENV).
    Select { name: String },
    /// Delete an environment's state and settings (refused while it manages resources).
    Delete {
        name: String,
        /// Delete even though its state still lists resources (they are left running).
        #[arg(long)]
        force: bool,
    },
    /// Create DST from SRC's remembered variables plus overrides, with an empty state, and show
    /// the plan that would create it. SRC is only read.
    Clone {
        src: String,
        dst: String,
        #[command(flatten)]
        vars: VarFlags,
        /// Let this resource share its real object with SRC (repeatable).
        #[arg(long = "allow-shared", value_name = "ADDRESS", value_parser = valid_address)]
        allow_shared: Vec<String>,
    },
}

/// Settings of one environment (`.plinth/env/NAME/env.json`).
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
pub struct EnvMeta {
    /// The environment this one was cloned from: it must not manage the same objects.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cloned_from: Option<String>,
    /// Addresses allowed to share their object with `cloned_from`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub allow_shared: Vec<String>,
}

pub fn load_meta(store: &dyn Store, env: &str) -> Result<EnvMeta> {
    match store.read_file(env, "env.json")? {
        Some(t) => serde_json::from_slice(&t)
            .with_context(|| format!("the settings (env.json) of environment {env:?} are corrupt")),
        None => Ok(EnvMeta::default()),
    }
}

fn write_json(store: &dyn Store, env: &str, name: &str, json: &impl Serialize) -> Result<()> {
    store
        .write_file(env, name, (serde_json::to_string_pretty(json)? + "\n").as_bytes())
        .with_context(|| format!("cannot write {name} of environment {env:?}"))
}

/// The clone guard for a plan made in the workspace's environment (nothing unless it was cloned).
pub fn guard(ws: &Workspace, prepared: &Prepared, plan: &Plan) -> Result<Diagnostics> {
    let store = super::secret::store(ws, Some(&prepared.config))?;
    let meta = load_meta(&*store, &ws.env)?;
    let Some(src) = &meta.cloned_from else {
        return Ok(Diagnostics::default());
    };
    let source = super::secret::backend_of(ws, src, Some(&prepared.config))?.load()?;
    Ok(Diagnostics(collision::check(
        plan,
        &ws.env,
        &source,
        src,
        prepared.providers(),
        &meta.allow_shared,
    )))
}

/// Names of the variables set by these command-line sources.
fn given_names(args: &[VarArg]) -> Vec<String> {
    let mut names = Vec::new();
    for a in args {
        match a {
            VarArg::Pair(p) => names.extend(p.split_once('=').map(|(n, _)| n.trim().to_string())),
            VarArg::File(f) => {
                if let Ok(text) = std::fs::read_to_string(f)
                    && let Ok(body) = hcl::edit::parser::parse_body(&text)
                {
                    names.extend(body.iter().filter_map(|s| match s {
                        Structure::Attribute(a) => Some(a.key.as_str().to_string()),
                        Structure::Block(_) => None,
                    }));
                }
            }
        }
    }
    names
}

/// Remembers the non-sensitive values of `names` (plus what `base` holds) for `env`.
fn remember(store: &dyn Store, env: &str, base: &Map, prepared: &Prepared, names: &[String]) -> Result<Vec<String>> {
    let mut out = serde_json::Map::new();
    let mut skipped = Vec::new();
    for (k, v) in base {
        out.insert(k.clone(), v.to_json());
    }
    for n in names {
        match prepared.vars.get(n) {
            Some(v) if v.contains_sensitive() => {
                out.remove(n);
                skipped.push(n.clone());
            }
            Some(v) => {
                out.insert(n.clone(), v.to_json());
            }
            None => {}
        }
    }
    // Sensitive variables are never remembered, whatever the source held.
    for (name, var) in &prepared.config.root.variables {
        if var.sensitive && out.remove(name).is_some() {
            skipped.push(name.clone());
        }
    }
    write_json(store, env, "vars.json", &out)?;
    Ok(skipped)
}

pub fn run(ws: &Workspace, args: &Args) -> Result<ExitCode> {
    let store = super::secret::store(ws, None)?;
    match &args.cmd {
        Cmd::List => {
            let mut envs = store.environments()?;
            if !envs.iter().any(|e| e == "default") {
                envs.insert(0, "default".to_string());
            }
            for e in envs {
                let mark = if e == ws.env { "*" } else { " " };
                let from = load_meta(&*store, &e)
                    .ok()
                    .and_then(|m| m.cloned_from)
                    .map(|s| format!("  (cloned from {s})"))
                    .unwrap_or_default();
                println!("{mark} {e}{from}");
            }
        }
        Cmd::New { name, vars } => {
            validate_env_name(name)?;
            if store.exists(name)? && name != "default" {
                bail!("environment {name:?} already exists; select it with `plinth env select {name}`");
            }
            let ws_new = ws.with_env(name, true);
            let given = vars.ordered(&ws.raw_args);
            store.create(name)?;
            write_json(&*store, name, "env.json", &EnvMeta::default())?;
            if !given.is_empty() {
                let remembered = prepare(&ws_new, vars, &Map::new())
                    .and_then(|prepared| remember(&*store, name, &Map::new(), &prepared, &given_names(&given)));
                match remembered {
                    Ok(skipped) => {
                        for s in skipped {
                            eprintln!(
                                "Not remembering sensitive variable {s:?}: it is resolved again from its source each time."
                            );
                        }
                    }
                    Err(e) => {
                        let _ = store.delete(name);
                        return Err(e);
                    }
                }
            }
            select(ws, name)?;
            println!("Created and selected environment {name:?}.");
        }
        Cmd::Select { name } => {
            validate_env_name(name)?;
            if !store.exists(name)? {
                bail!("environment {name:?} does not exist; create it with `plinth env new {name}`");
            }
            select(ws, name)?;
            println!("Selected environment {name:?}.");
        }
        Cmd::Delete { name, force } => {
            validate_env_name(name)?;
            if name == "default" {
                bail!("the default environment cannot be deleted");
            }
            if !store.exists(name)? {
                bail!("environment {name:?} does not exist");
            }
            let backend = store.open(name)?;
            let lock = backend.lock("env delete")?;
            let state = backend.load()?;
            if !state.resources.is_empty() && !force {
                bail!(
                    "environment {name:?} still manages {} resource instance(s); run `plinth -e {name} destroy` first, or pass --force to forget them (they keep running)",
                    state.resources.len()
                );
            }
            store
                .delete(name)
                .with_context(|| format!("cannot delete environment {name:?}"))?;
            drop(lock);
            if std::fs::read_to_string(selected_env_file(&ws.root)).is_ok_and(|s| s.trim() == name) {
                let _ = std::fs::remove_file(selected_env_file(&ws.root));
            }
            println!("Deleted environment {name:?}.");
        }
        Cmd::Clone {
            src,
            dst,
            vars,
            allow_shared,
        } => return clone(ws, &*store, src, dst, vars, allow_shared),
    }
    Ok(ExitCode::SUCCESS)
}

fn select(ws: &Workspace, name: &str) -> Result<()> {
    let path = selected_env_file(&ws.root);
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir)?;
    }
    std::fs::write(&path, format!("{name}\n")).with_context(|| format!("cannot write {}", path.display()))
}

/// An address as the user wrote it, once it parses: the environment's metadata keeps the text.
fn valid_address(s: &str) -> Result<String, crate::addrs::ParseError> {
    crate::addrs::Address::parse(s).map(|_| s.to_string())
}

fn clone(
    ws: &Workspace,
    store: &dyn Store,
    src: &str,
    dst: &str,
    vars: &VarFlags,
    allow_shared: &[String],
) -> Result<ExitCode> {
    validate_env_name(src)?;
    validate_env_name(dst)?;
    if !store.exists(src)? {
        bail!("environment {src:?} does not exist");
    }
    if src == dst {
        bail!("cannot clone an environment onto itself");
    }
    if store.exists(dst)? {
        bail!("environment {dst:?} already exists; delete it first or choose another name");
    }
    let src_vars = crate::workspace::env_vars_in(store, src)?;
    let dst_ws = ws.with_env(dst, true);
    store.create(dst)?;
    write_json(
        store,
        dst,
        "env.json",
        &EnvMeta {
            cloned_from: Some(src.to_string()),
            allow_shared: allow_shared.to_vec(),
        },
    )?;
    let prepared = match prepare(&dst_ws, vars, &src_vars) {
        Ok(p) => p,
        Err(e) => {
            // Nothing half-made stays behind.
            let _ = store.delete(dst);
            return Err(e);
        }
    };
    let skipped = remember(
        store,
        dst,
        &src_vars,
        &prepared,
        &given_names(&vars.ordered(&ws.raw_args)),
    )?;
    println!("Created environment {dst:?} from {src:?} (its own, empty state).");
    for s in skipped {
        println!("Sensitive variable {s:?} was not copied: {dst} resolves it again from its source.");
    }

    // Show what applying the new environment would create; the source is only read.
    let backend = store.open(dst)?;
    let state = backend.load()?;
    let rt = runtime()?;
    let session = prepared.session(&dst_ws, &state, 10, None);
    let result = rt.block_on(plan(
        &session,
        &PlanOptions {
            refresh: true,
            destroy: false,
            targets: Vec::new(),
            unsaved: true,
        },
    ));
    if prepared.report(&dst_ws, &result.diags) {
        return Err(Reported.into());
    }
    println!();
    print!("{}", render_plan(&result.plan, ws.color));
    let guard = guard(&dst_ws, &prepared, &result.plan)?;
    if prepared.report(&dst_ws, &guard) {
        eprintln!("\nEnvironment {dst:?} was created, but applying it is refused until these are fixed.");
        return Err(Reported.into());
    }
    println!("\nRun `plinth -e {dst} apply` to create it.");
    Ok(ExitCode::SUCCESS)
}
