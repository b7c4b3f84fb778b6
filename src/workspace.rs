//! The set-up every command shares, and the engine tests with it: where the configuration is
//! ([`Workspace`]: directory, environment, colour), its state backend, and a loaded, checked
//! configuration with its graph, providers and variable values ([`Prepared`]), ready for a
//! [`Session`] of planning or applying.
//!
//! It composes the engine's layers (config, graph, registry, secrets, state, plan) and prints
//! the diagnostics it finds; what a command does with the result, its flags and its output are
//! the CLI's (`src/cli/`, part of the binary).

use std::collections::{BTreeMap, HashMap};
use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use anyhow::{Context, Result, bail};
use plinth_sdk::{ProviderSchema, Value};

use crate::config::vars::{VarArg, resolve_root};
use crate::config::{Config, Mode, load};
use crate::diag::Diagnostics;
use crate::graph::build::{Schemas, build};
use crate::graph::walk::{Providers, WalkContext};
use crate::graph::{Graph, NodeKind};
use crate::plan::walk::Session;
use crate::registry;
use crate::secrets::HashKey;
use crate::secrets::encryption::Cipher;
use crate::secrets::sources::Sources;
use crate::state::{self, Backend, BackendKind, BackendSettings, State};

/// The variable flags of a command (`--var` and `--var-file`), ordered by [`VarArgs::ordered`]
/// against the raw command line.
#[derive(Clone, Debug, Default)]
pub struct VarArgs {
    /// `--var name=value`, in the order given.
    pub vars: Vec<String>,
    /// `--var-file PATH`, in the order given.
    pub var_files: Vec<PathBuf>,
}

impl VarArgs {
    /// The variable sources in the order they were given on the command line.
    pub fn ordered(&self, raw: &[String]) -> Vec<VarArg> {
        let mut out = Vec::new();
        let (mut vi, mut fi) = (0, 0);
        let mut i = 0;
        while i < raw.len() {
            let a = &raw[i];
            // Terraform's single-dash spellings count too (`-var`, `-var-file`).
            let takes = |flag: &str| {
                let single = &flag[1..];
                [flag, single].iter().any(|f| a == f || a.starts_with(&format!("{f}=")))
            };
            if takes("--var-file") {
                if let Some(f) = self.var_files.get(fi) {
                    out.push(VarArg::File(f.clone()));
                }
                fi += 1;
            } else if takes("--var") {
                if let Some(v) = self.vars.get(vi) {
                    out.push(VarArg::Pair(v.clone()));
                }
                vi += 1;
            }
            i += 1;
        }
        // Anything clap saw that the scan missed (should not happen) keeps clap's order.
        out.extend(self.var_files.iter().skip(fi).map(|f| VarArg::File(f.clone())));
        out.extend(self.vars.iter().skip(vi).map(|v| VarArg::Pair(v.clone())));
        out
    }
}

/// Where a command works: the configuration directory, the environment, and output settings.
pub struct Workspace {
    pub root: PathBuf,
    pub env: String,
    pub color: bool,
    /// The raw command line, for ordering --var and --var-file.
    pub raw_args: Vec<String>,
}

/// The file naming the selected environment.
pub fn selected_env_file(root: &Path) -> PathBuf {
    root.join(".plinth").join("environment")
}

impl Workspace {
    /// The workspace of the directory `dir` (`.` when absent) and the environment `env` (else
    /// PLINTH_ENV, else the selected one, else `default`); `no_color` turns colour off.
    pub fn open(dir: Option<&Path>, env: Option<&str>, no_color: bool) -> Result<Workspace> {
        let dir = dir.map_or_else(|| PathBuf::from("."), Path::to_path_buf);
        let root = std::fs::canonicalize(&dir).with_context(|| format!("cannot use directory {}", dir.display()))?;
        if !root.is_dir() {
            bail!("{} is not a directory", root.display());
        }
        let env = match env
            .map(str::to_string)
            .or_else(|| std::env::var("PLINTH_ENV").ok().filter(|e| !e.is_empty()))
        {
            Some(e) => e,
            None => std::fs::read_to_string(selected_env_file(&root))
                .ok()
                .map(|s| s.trim().to_string())
                .filter(|s| !s.is_empty())
                .unwrap_or_else(|| "default".to_string()),
        };
        validate_env_name(&env)?;
        let color = crate::style::use_color(no_color, &std::io::stdout());
        Ok(Workspace {
            root,
            env,
            color,
            raw_args: std::env::args().collect(),
        })
    }

    /// Fails unless the environment exists (`default` always does): a typo in `-e` must not
    /// quietly start a new, empty environment.
    pub fn require_env(&self) -> Result<()> {
        if self.env != "default" && !state::local::env_dir(&self.root, &self.env).is_dir() {
            bail!(
                "environment {:?} does not exist; create it with `plinth env new {}` or `plinth env clone SRC {}`",
                self.env,
                self.env,
                self.env
            );
        }
        Ok(())
    }

    /// A path given on the command line, relative to the configuration directory (-C DIR), as
    /// Terraform's -chdir treats plan files and variable files.
    pub fn path(&self, p: &Path) -> PathBuf {
        if p.is_relative() {
            self.root.join(p)
        } else {
            p.to_path_buf()
        }
    }

    /// The environment's state backend when there is no configuration to ask: the local
    /// backend, unencrypted (what `force-unlock` and the engine tests use). Commands that read a
    /// configuration open theirs with [`Workspace::open_backend`].
    pub fn backend(&self) -> Box<dyn Backend> {
        state::open_backend(BackendSettings {
            kind: BackendKind::Local,
            root: self.root.clone(),
            env: self.env.clone(),
            cipher: None,
        })
    }

    /// The state backend of environment `env`, of the kind `config`'s `plinth { backend "KIND" }`
    /// block names (local without one), sealing state with `cipher`.
    pub fn open_backend(&self, env: &str, config: &Config, cipher: Option<Cipher>) -> Result<Box<dyn Backend>> {
        let kind = match &config.root.settings.backend {
            Some((label, _, _)) => BackendKind::parse(label)?,
            None => BackendKind::Local,
        };
        Ok(state::open_backend(BackendSettings {
            kind,
            root: self.root.clone(),
            env: env.to_string(),
            cipher,
        }))
    }

    /// Prints diagnostics to stderr (warnings too); returns whether any is an error.
    pub fn report(&self, sources: &crate::diag::Sources, diags: &Diagnostics) -> bool {
        if !diags.is_empty() {
            let color = self.color && std::io::stderr().is_terminal();
            eprint!("{}", sources.render(&diags.0, &self.root, color));
        }
        diags.has_errors()
    }
}

/// Environment names become directory names.
pub fn validate_env_name(env: &str) -> Result<()> {
    let ok = !env.is_empty()
        && env.len() <= 64
        && env.chars().all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
        && !env.starts_with('-');
    if !ok {
        bail!("invalid environment name {env:?}: use letters, digits, - and _ (at most 64)");
    }
    Ok(())
}

/// A loaded, checked configuration with its graph, providers and variable values.
pub struct Prepared {
    pub config: Config,
    pub graph: Graph,
    pub providers: Providers,
    pub vars: BTreeMap<String, Value>,
    pub hash_key: HashKey,
}

/// Failure already reported to the user (diagnostics printed): exit 1.
#[derive(Debug)]
pub struct Reported;

impl std::fmt::Display for Reported {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("errors were reported")
    }
}

impl std::error::Error for Reported {}

/// Provider schemas of every provider in `providers`.
pub fn schemas(providers: &[(&'static str, registry::Factory)]) -> Schemas {
    providers
        .iter()
        .map(|(name, make)| (name.to_string(), make().schema()))
        .collect()
}

/// Loads the configuration and builds the graph; prints diagnostics. Errors: [`Reported`].
pub fn load_checked(ws: &Workspace) -> Result<(Config, Graph, Schemas)> {
    load_checked_with(ws, &registry::all())
}

/// [`load_checked`] with a given set of providers (tests use their own).
pub fn load_checked_with(
    ws: &Workspace,
    providers: &[(&'static str, registry::Factory)],
) -> Result<(Config, Graph, Schemas)> {
    let (config, mut diags) = load::load(&ws.root);
    let schemas = schemas(providers);
    if !diags.has_errors() {
        let (graph, gdiags) = build(&config, &schemas);
        diags.extend(gdiags.0);
        if ws.report(&config.sources, &diags) {
            return Err(Reported.into());
        }
        return Ok((config, graph, schemas));
    }
    ws.report(&config.sources, &diags);
    Err(Reported.into())
}

/// Everything plan, apply and destroy need before they start.
pub fn prepare(ws: &Workspace, var_args: &VarArgs, persisted: &BTreeMap<String, Value>) -> Result<Prepared> {
    prepare_with(ws, var_args, persisted, &registry::all())
}

/// [`prepare`] with a given set of providers (tests use their own).
pub fn prepare_with(
    ws: &Workspace,
    var_args: &VarArgs,
    persisted: &BTreeMap<String, Value>,
    registry: &[(&'static str, registry::Factory)],
) -> Result<Prepared> {
    ws.require_env()?;
    let (mut config, graph, schemas) = load_checked_with(ws, registry)?;
    let env = |name: &str| std::env::var(name).ok();
    // Relative --var-file paths resolve against the configuration directory (-C DIR), as
    // Terraform's -chdir does.
    let args: Vec<VarArg> = var_args
        .ordered(&ws.raw_args)
        .into_iter()
        .map(|a| match a {
            VarArg::File(p) if p.is_relative() => VarArg::File(ws.root.join(p)),
            other => other,
        })
        .collect();
    let (vars, diags) = resolve_root(&config.root, &mut config.sources, &args, persisted, &env, &Sources);
    if ws.report(&config.sources, &diags) {
        return Err(Reported.into());
    }
    let providers = make_providers(&graph, &schemas, registry);
    let hash_key = HashKey::load_or_create(&ws.root).context("cannot create .plinth/hash.key")?;
    Ok(Prepared {
        config,
        graph,
        providers,
        vars,
        hash_key,
    })
}

/// One provider instance per provider configuration in the graph.
pub fn make_providers(graph: &Graph, schemas: &Schemas, registry: &[(&'static str, registry::Factory)]) -> Providers {
    let factories: HashMap<&str, registry::Factory> = registry.iter().copied().collect();
    let mut instances = HashMap::new();
    for n in graph.dag.node_weights() {
        if let NodeKind::Provider(key) = &n.kind {
            let name = key.split('.').next().unwrap_or(key);
            if let Some(make) = factories.get(name) {
                instances.insert(key.clone(), make());
            }
        }
    }
    // Every built-in provider, unconfigured until needed: the state may still hold resources of
    // a provider whose blocks are gone, and those must be deletable.
    for (name, make) in &factories {
        instances.entry(name.to_string()).or_insert_with(|| make());
    }
    let mut resource_schemas = HashMap::new();
    let mut provider_schemas = HashMap::new();
    for (name, ps) in schemas {
        let ProviderSchema {
            provider,
            resources,
            data_sources,
        } = ps.clone();
        for (t, s) in resources {
            resource_schemas.insert((name.clone(), Mode::Managed, t), Arc::new(s));
        }
        for (t, s) in data_sources {
            resource_schemas.insert((name.clone(), Mode::Data, t), Arc::new(s));
        }
        provider_schemas.insert(name.clone(), provider);
    }
    Providers {
        instances,
        resource_schemas,
        provider_schemas,
        configured: Default::default(),
    }
}

impl Prepared {
    pub fn session<'a>(
        &'a self,
        ws: &'a Workspace,
        state: &'a State,
        parallelism: usize,
        include: Option<std::collections::HashSet<petgraph::graph::NodeIndex>>,
    ) -> Session<'a> {
        Session {
            walk: WalkContext {
                config: &self.config,
                graph: &self.graph,
                providers: &self.providers,
                root_vars: &self.vars,
                env_name: &ws.env,
                root_dir: &ws.root,
                secrets: &Sources,
                parallelism,
                include,
                resources: true,
                planning: false,
            },
            state,
            hash_key: self.hash_key.clone(),
        }
    }

    /// Prints diagnostics found while planning or applying.
    pub fn report(&self, ws: &Workspace, diags: &Diagnostics) -> bool {
        ws.report(&self.config.sources, diags)
    }
}

/// A tokio runtime for one command.
pub fn runtime() -> Result<tokio::runtime::Runtime> {
    tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .context("cannot start the async runtime")
}

/// The variable values remembered for the workspace's environment (`plinth env clone`), from
/// `.plinth/env/ENV/vars.json`; empty when there are none.
pub fn env_vars(ws: &Workspace) -> Result<BTreeMap<String, Value>> {
    let path = state::local::env_dir(&ws.root, &ws.env).join("vars.json");
    let text = match std::fs::read_to_string(&path) {
        Ok(t) => t,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(BTreeMap::new()),
        Err(e) => return Err(e).with_context(|| format!("cannot read {}", path.display())),
    };
    let json: serde_json::Map<String, serde_json::Value> = serde_json::from_str(&text)
        .with_context(|| format!("{} is not a JSON object of variable values", path.display()))?;
    Ok(json.iter().map(|(k, v)| (k.clone(), Value::from_json(v))).collect())
}
