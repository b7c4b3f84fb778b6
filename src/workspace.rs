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
use std::sync::{Arc, OnceLock};
use std::time::Duration;

use anyhow::{Context, Result, bail};
use plinth_sdk::Map;
use plinth_sdk::Value;

use crate::config::vars::{VarArg, resolve_root};
use crate::config::{Config, load};
use crate::diag::{Diagnostic, Diagnostics};
use crate::graph::build::{Schemas, build};
use crate::graph::walk::{Providers, WalkContext};
use crate::graph::{Graph, NodeKind};
use crate::lang::eval::eval;
use crate::lang::{EmptyScope, EvalContext};
use crate::plan::walk::Session;
use crate::registry;
use crate::secrets::HashKey;
use crate::secrets::encryption::Cipher;
use crate::secrets::sources::Sources;
use crate::state::{self, Backend, BackendKind, BackendSettings, State, Store};

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
    /// How long taking a held state lock waits (`--lock-timeout`; zero fails at once).
    pub lock_timeout: Duration,
    /// The configuration's backend, opened on first use ([`Workspace::store`]) and shared by
    /// every environment the command touches (one database connection, say).
    pub store: StoreCell,
}

/// The backend a [`Workspace`] opened, kept for the rest of the command.
#[derive(Default)]
pub struct StoreCell(OnceLock<Arc<dyn Store>>);

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
            lock_timeout: Duration::ZERO,
            store: StoreCell::default(),
        })
    }

    /// The same workspace in environment `env` (sharing the opened backend), without the command
    /// line's variable flags unless `keep_args`.
    pub fn with_env(&self, env: &str, keep_args: bool) -> Workspace {
        let store = StoreCell::default();
        if let Some(s) = self.store.0.get() {
            let _ = store.0.set(s.clone());
        }
        Workspace {
            root: self.root.clone(),
            env: env.to_string(),
            color: self.color,
            raw_args: if keep_args { self.raw_args.clone() } else { Vec::new() },
            lock_timeout: self.lock_timeout,
            store,
        }
    }

    /// Fails unless the environment exists in `store` (`default` always does): a typo in `-e`
    /// must not quietly start a new, empty environment.
    pub fn require_env(&self, store: &dyn Store) -> Result<()> {
        if !store.exists(&self.env)? {
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
    /// backend, unencrypted (what the engine tests use). Commands open theirs with
    /// [`Workspace::open_backend`].
    pub fn backend(&self) -> Box<dyn Backend> {
        Box::new(state::local::LocalBackend::new(&self.root, &self.env).with_lock_timeout(self.lock_timeout))
    }

    /// The backend `config`'s `plinth { backend "KIND" }` block names (local without one),
    /// sealing state with its encryption key: opened (connected) on the first call, the same
    /// one afterwards. Mistakes in the block are printed as diagnostics ([`Reported`]).
    pub fn store(&self, config: &Config) -> Result<Arc<dyn Store>> {
        if let Some(s) = self.store.0.get() {
            return Ok(s.clone());
        }
        if let Some(recorded) = RecordedBackend::recorded(self)? {
            let configured = RecordedBackend::configured(config);
            if recorded != configured {
                bail!(
                    "the backend block changed since `plinth init` (from {} to {}): run `plinth init -migrate-state` to copy the state to the new backend, or `plinth init -reconfigure` to use it as it is",
                    recorded.describe(),
                    configured.describe()
                );
            }
        }
        let cipher = cipher(self, config)?;
        let settings = backend_settings(self, config, cipher)?;
        let store: Arc<dyn Store> = Arc::from(state::open_store(settings)?);
        Ok(self.store.0.get_or_init(|| store).clone())
    }

    /// The state backend of environment `env` in [`Workspace::store`].
    pub fn open_backend(&self, env: &str, config: &Config) -> Result<Box<dyn Backend>> {
        Ok(self.store(config)?.open(env)?)
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

/// The state encryption key of the configuration: `plinth { encryption { key = ... } }` evaluated
/// with no names in scope (so only constants and `secret(...)`), or `None` when there is none.
/// Errors are printed as diagnostics.
pub fn cipher(ws: &Workspace, config: &Config) -> Result<Option<Cipher>> {
    let Some(key) = &config.root.settings.encryption_key else {
        return Ok(None);
    };
    let ctx = EvalContext {
        file: key.file,
        scope: &EmptyScope,
        secrets: &Sources,
        base_dir: &config.root.dir,
    };
    let value = match eval(&key.expr, &ctx) {
        Ok(v) => v,
        Err(diags) => {
            ws.report(&config.sources, &Diagnostics(diags));
            return Err(Reported.into());
        }
    };
    let (value, _) = value.unmark();
    match value {
        Value::String(s) => Cipher::from_secret(&s)
            .map(Some)
            .map_err(|e| anyhow::anyhow!("plinth {{ encryption {{ key }} }}: {e}")),
        other => bail!(
            "plinth {{ encryption {{ key }} }} must be a string (e.g. secret(\"keyring:plinth/state-key\")), not a {}",
            other.type_name()
        ),
    }
}

/// Checks `plinth { backend "KIND" { ... } }` without evaluating it: a known kind, only its
/// arguments, no nested blocks, and no references (a backend is opened before anything else is
/// known, as in Terraform: only constants and `secret(...)`).
pub fn check_backend_block(config: &Config) -> Diagnostics {
    let mut diags = Diagnostics::default();
    let Some(block) = &config.root.settings.backend else {
        return diags;
    };
    let kind = match BackendKind::parse(&block.kind) {
        Ok(k) => k,
        Err(_) => {
            diags.push(
                Diagnostic::error(format!("Unsupported backend {:?}", block.kind))
                    .with_detail(format!(
                        "this Plinth keeps state with backend {} (the local one, under .plinth/ beside the configuration, without a backend block)",
                        state::store::KINDS
                    ))
                    .at(block.file, block.kind_span.clone()),
            );
            return diags;
        }
    };
    use hcl::edit::Span as _;
    for s in block.body.iter() {
        match s {
            hcl::edit::structure::Structure::Attribute(a) => {
                let name = a.key.as_str();
                if kind.unsupported_arguments().contains(&name) {
                    diags.push(
                        Diagnostic::error(format!("Unsupported argument {name:?} in backend {:?}", kind.name()))
                            .with_detail(format!(
                                "Terraform's {} backend takes it, but Plinth does not act on it yet; remove it",
                                kind.name()
                            ))
                            .at(block.file, a.key.span()),
                    );
                } else if !kind.arguments().contains(&name) {
                    diags.push(
                        Diagnostic::error(format!("Unknown argument {name:?} in backend {:?}", kind.name()))
                            .with_detail(match kind.arguments() {
                                [] => format!("backend {:?} takes no arguments", kind.name()),
                                args => format!("backend {:?} takes {}", kind.name(), args.join(", ")),
                            })
                            .at(block.file, a.key.span()),
                    );
                }
                for r in crate::lang::refs::references(&a.value) {
                    diags.push(
                        Diagnostic::error(format!("Backend argument {name:?} cannot refer to {}", r.root))
                            .with_detail(
                                "the backend is opened before variables, locals and resources are known: use a constant, secret(\"...\"), or leave conn_str out and set PG_CONN_STR",
                            )
                            .at(block.file, r.span.clone()),
                    );
                }
            }
            hcl::edit::structure::Structure::Block(b) => diags.push(
                Diagnostic::error(format!(
                    "Unsupported block {:?} in backend {:?}",
                    b.ident.as_str(),
                    kind.name()
                ))
                .with_detail("a backend block takes arguments only")
                .at(block.file, b.ident.span()),
            ),
        }
    }
    diags
}

/// What opening the configuration's backend takes: its kind and evaluated arguments (each a
/// string; constants and `secret(...)` only), the directory, the key and the lock timeout.
pub fn backend_settings(ws: &Workspace, config: &Config, cipher: Option<Cipher>) -> Result<BackendSettings> {
    let mut settings = BackendSettings::local(&ws.root);
    settings.cipher = cipher;
    settings.lock_timeout = ws.lock_timeout;
    let Some(block) = &config.root.settings.backend else {
        return Ok(settings);
    };
    let diags = check_backend_block(config);
    if ws.report(&config.sources, &diags) {
        return Err(Reported.into());
    }
    settings.kind = BackendKind::parse(&block.kind)?;
    let attrs: Vec<_> = block.body.attributes().collect();
    match backend_args(&attrs, block.file, &config.root.dir) {
        Ok(args) => settings.args = args,
        Err(diags) => {
            ws.report(&config.sources, &diags);
            return Err(Reported.into());
        }
    }
    Ok(settings)
}

/// The backend block's arguments evaluated: constants and `secret(...)` only, each a string
/// (`endpoints = { s3 = URL }` gives `endpoints.s3`).
fn backend_args(
    attrs: &[&hcl::edit::structure::Attribute],
    file: crate::diag::FileId,
    dir: &Path,
) -> std::result::Result<BTreeMap<String, String>, Diagnostics> {
    use hcl::edit::Span as _;
    let mut args = BTreeMap::new();
    for a in attrs {
        let ctx = EvalContext {
            file,
            scope: &EmptyScope,
            secrets: &Sources,
            base_dir: dir,
        };
        let value = eval(&a.value, &ctx).map_err(Diagnostics)?.unmark().0;
        let name = a.key.as_str();
        // `endpoints = { s3 = "..." }` (Terraform's s3 backend): one argument per key.
        if let Value::Map(m) = &value
            && name == "endpoints"
        {
            for (k, v) in m {
                let Value::String(url) = v else {
                    return Err(Diagnostics(vec![
                        Diagnostic::error(format!("Backend argument endpoints.{k} must be a string (a URL)"))
                            .at(file, a.key.span()),
                    ]));
                };
                args.insert(format!("endpoints.{k}"), url.clone());
            }
            continue;
        }
        let text = match value {
            Value::String(s) => s,
            Value::Bool(b) => b.to_string(),
            other if other.as_f64().is_some() => other.to_json().to_string(),
            other => {
                return Err(Diagnostics(vec![
                    Diagnostic::error(format!(
                        "Backend argument {name:?} must be a string, not a {}",
                        other.type_name()
                    ))
                    .at(file, a.key.span()),
                ]));
            }
        };
        args.insert(name.to_string(), text);
    }
    Ok(args)
}

/// The backend a directory was last initialised with, kept in `.plinth/backend.json` by
/// `plinth init`, so that a changed `backend` block is noticed and its state moved
/// (`init -migrate-state`). Arguments are kept as their source text (constants and
/// `secret(...)` calls), never as the values a secret gives.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct RecordedBackend {
    pub kind: String,
    #[serde(default)]
    pub args: BTreeMap<String, String>,
}

pub const RECORDED_BACKEND: &str = "backend.json";

impl RecordedBackend {
    /// The backend the configuration names (`local` without a block).
    pub fn configured(config: &Config) -> RecordedBackend {
        match &config.root.settings.backend {
            None => RecordedBackend {
                kind: "local".to_string(),
                args: BTreeMap::new(),
            },
            Some(b) => RecordedBackend {
                kind: b.kind.clone(),
                args: b
                    .body
                    .attributes()
                    .map(|a| (a.key.as_str().to_string(), a.value.to_string().trim().to_string()))
                    .collect(),
            },
        }
    }

    /// What `.plinth/backend.json` says, if the directory has been initialised.
    pub fn recorded(ws: &Workspace) -> Result<Option<RecordedBackend>> {
        let path = ws.root.join(".plinth").join(RECORDED_BACKEND);
        match std::fs::read(&path) {
            Ok(bytes) => serde_json::from_slice(&bytes)
                .map(Some)
                .with_context(|| format!("{} is not valid: delete it and run `plinth init`", path.display())),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
            Err(e) => Err(e).with_context(|| format!("cannot read {}", path.display())),
        }
    }

    pub fn record(&self, ws: &Workspace) -> Result<()> {
        let path = ws.root.join(".plinth").join(RECORDED_BACKEND);
        let json = serde_json::to_vec_pretty(self)?;
        crate::state::local::write_atomic(&path, &json).with_context(|| format!("cannot write {}", path.display()))
    }

    /// `postgres (schema_name = "plinth")`: for messages; a `secret(...)` shows as written.
    pub fn describe(&self) -> String {
        if self.args.is_empty() {
            return self.kind.clone();
        }
        let args: Vec<String> = self.args.iter().map(|(k, v)| format!("{k} = {v}")).collect();
        format!("{} ({})", self.kind, args.join(", "))
    }

    /// The settings to open this backend with: its arguments evaluated again from their text.
    pub fn settings(&self, ws: &Workspace, cipher: Option<Cipher>) -> Result<BackendSettings> {
        let mut settings = BackendSettings::local(&ws.root);
        settings.cipher = cipher;
        settings.lock_timeout = ws.lock_timeout;
        settings.kind = BackendKind::parse(&self.kind)?;
        let text: String = self.args.iter().map(|(k, v)| format!("{k} = {v}\n")).collect();
        let body: hcl::edit::structure::Body = text
            .parse()
            .map_err(|e| anyhow::anyhow!("the recorded backend ({}) does not parse: {e}", self.describe()))?;
        let attrs: Vec<_> = body.attributes().collect();
        settings.args = backend_args(&attrs, 0, &ws.root).map_err(|d| {
            anyhow::anyhow!(
                "the previous backend ({}) cannot be opened: {}",
                self.describe(),
                d.0.iter().map(|d| d.summary.as_str()).collect::<Vec<_>>().join("; ")
            )
        })?;
        Ok(settings)
    }
}

/// The keys every user of a shared backend must have alike: the hash key of sensitive values
/// (returned) and the utility providers' `utility.key` (kept in `.plinth/`, where they read it).
/// The local backend's are the files in `.plinth/`, made on first use. A shared backend keeps
/// its own, made once from this machine's files when it has them (so state moved to it keeps
/// its hashes and derived secrets), and this machine's copy of `utility.key` follows it; a local
/// copy that differs is an error, never a silent switch of the secrets derived from it.
pub fn shared_keys(ws: &Workspace, store: &dyn Store) -> Result<HashKey> {
    let dir = ws.root.join(".plinth");
    if store.kind() == BackendKind::Local {
        return Ok(HashKey::from_bytes(&store.shared_key("hash.key", None)?));
    }
    let local = |name: &str| std::fs::read(dir.join(name)).ok().filter(|k| k.len() >= 32);
    let hash = store.shared_key("hash.key", local("hash.key").as_deref())?;
    let mine = local("utility.key");
    let utility = store.shared_key("utility.key", mine.as_deref())?;
    match mine {
        None => {
            let path = dir.join("utility.key");
            crate::secrets::key_file(&path, Some(&utility))
                .with_context(|| format!("cannot write {}", path.display()))?;
        }
        Some(m) if m != utility => bail!(
            "{} differs from the utility.key kept by {}: secrets derived from it would change; move the file aside (the backend's key is then used), or move the state back to the backend it came from",
            dir.join("utility.key").display(),
            store.describe()
        ),
        Some(_) => {}
    }
    Ok(HashKey::from_bytes(&hash))
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
    /// Every provider, with the schemas of those the configuration uses: read it through
    /// [`Prepared::providers`], which also has the state's.
    providers: Providers,
    pub vars: Map,
    pub hash_key: HashKey,
    /// [`Prepared::providers`] with the schemas of the providers only the state still names, made
    /// by the first [`Prepared::session`] whose state has such (a command reads one state).
    wider: OnceLock<Providers>,
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

/// The schemas of the providers in `registry` that `config` uses. Not every provider's: with every
/// provider built in, those cost about 23 MB before the first instance, which a configuration of
/// one provider should not pay (docs/performance.md, "What changed", 27). The state's other
/// providers are added by [`Prepared::session`].
pub fn schemas(registry: &[(&'static str, registry::Factory)], config: &Config) -> Schemas {
    let used = crate::config::providers::used(&config.root);
    Schemas {
        loaded: registry
            .iter()
            .filter(|(name, _)| used.contains(name))
            .map(|(name, make)| (name.to_string(), make().schema()))
            .collect(),
        available: registry.iter().map(|(name, _)| name.to_string()).collect(),
    }
}

/// Loads the configuration and builds the graph; prints diagnostics. Errors: [`Reported`].
pub fn load_checked(ws: &Workspace) -> Result<(Config, Graph, Schemas)> {
    load_checked_with(ws, registry::all())
}

/// [`load_checked`] with a given set of providers (tests use their own).
pub fn load_checked_with(
    ws: &Workspace,
    providers: &[(&'static str, registry::Factory)],
) -> Result<(Config, Graph, Schemas)> {
    let (config, mut diags) = load::load(&ws.root);
    diags.extend(check_backend_block(&config).0);
    let schemas = schemas(providers, &config);
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
pub fn prepare(ws: &Workspace, var_args: &VarArgs, persisted: &Map) -> Result<Prepared> {
    prepare_with(ws, var_args, persisted, registry::all())
}

/// [`prepare`] with a given set of providers (tests use their own).
pub fn prepare_with(
    ws: &Workspace,
    var_args: &VarArgs,
    persisted: &Map,
    registry: &[(&'static str, registry::Factory)],
) -> Result<Prepared> {
    // The environment first: a typo in `-e` is named before any mistake in the configuration.
    let store = match ws.store.0.get() {
        Some(s) => s.clone(),
        None => ws.store(&load::load(&ws.root).0)?,
    };
    ws.require_env(&*store)?;
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
    let providers = make_providers(&graph, schemas, registry);
    let hash_key = shared_keys(ws, &*store)?;
    Ok(Prepared {
        config,
        graph,
        providers,
        vars,
        hash_key,
        wider: OnceLock::new(),
    })
}

/// One provider instance per provider configuration in the graph, and one unconfigured instance of
/// every other provider; with the loaded `schemas`.
pub fn make_providers(graph: &Graph, schemas: Schemas, registry: &[(&'static str, registry::Factory)]) -> Providers {
    let factories: HashMap<&str, registry::Factory> = registry.iter().copied().collect();
    let mut instances = HashMap::new();
    for n in graph.dag.node_weights() {
        if let NodeKind::Provider(key) = &n.kind {
            let name = crate::config::providers::name_of(key);
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
    let mut providers = Providers::new(instances);
    for (name, ps) in schemas.loaded {
        providers.add_schema(name, ps);
    }
    providers
}

impl Prepared {
    /// A session over `state`. An orphan in state is planned and destroyed with its provider's
    /// schema, so the providers only the state names (a removed provider block's resources) have
    /// their schemas added here.
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
                providers: self.providers_for(state),
                root_vars: &self.vars,
                env_name: &ws.env,
                root_dir: &ws.root,
                secrets: &Sources,
                parallelism,
                include,
                resources: true,
                planning: false,
                interrupt: None,
            },
            state,
            hash_key: self.hash_key.clone(),
        }
    }

    /// Every provider, with the schemas of those the configuration uses and, once a session has
    /// met them, of those only its state names: what a command's reports after its run (drift,
    /// the clone guard) must use, so that they see the schemas the run saw.
    pub fn providers(&self) -> &Providers {
        self.wider.get().unwrap_or(&self.providers)
    }

    /// [`Prepared::providers`], or when `state` holds resources of providers whose schemas it
    /// lacks, [`Prepared::wider`] with them. One pass over the state, comparing names only.
    fn providers_for(&self, state: &State) -> &Providers {
        if let Some(wider) = self.wider.get() {
            return wider;
        }
        let mut missing: Vec<&str> = Vec::new();
        let mut last = "";
        for rs in state.resources.values() {
            let name = crate::config::providers::name_of(&rs.provider);
            if name == last {
                continue;
            }
            last = name;
            if !self.providers.provider_schemas.contains_key(name)
                && self.providers.instances.contains_key(name)
                && !missing.contains(&name)
            {
                missing.push(name);
            }
        }
        if missing.is_empty() {
            return &self.providers;
        }
        self.wider.get_or_init(|| self.providers.widened(&missing))
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

/// The variable values remembered for the workspace's environment (`plinth env clone`): its
/// `vars.json` in the backend; empty when there are none.
pub fn env_vars(ws: &Workspace) -> Result<Map> {
    let store = ws.store(&load::load(&ws.root).0)?;
    env_vars_in(&*store, &ws.env)
}

/// The variable values remembered for environment `env` of `store`.
pub fn env_vars_in(store: &dyn Store, env: &str) -> Result<Map> {
    let Some(bytes) = store.read_file(env, "vars.json")? else {
        return Ok(Map::new());
    };
    let json: serde_json::Map<String, serde_json::Value> = serde_json::from_slice(&bytes).with_context(|| {
        format!("the remembered variables (vars.json) of environment {env:?} are not a JSON object")
    })?;
    Ok(json.iter().map(|(k, v)| (k.clone(), Value::from_json(v))).collect())
}
