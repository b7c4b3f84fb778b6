//! The command-line interface: one file per command, the setup they share, and [`main`], which
//! parses the arguments and dispatches (the binary, `src/main.rs`, only calls it).
//!
//! Each command parses its raw arguments (clap derive), resolves them into what it needs through
//! [`Workspace`] before any work starts, and returns an exit code: 0 success, 1 error, 2 changes or
//! drift present where the command was asked to say so. User mistakes are printed as diagnostics
//! with file:line:col; nothing here panics on user input.

pub mod apply;
pub mod drift;
pub mod env;
pub mod fmt;
pub mod force_unlock;
pub mod graph;
pub mod import;
pub mod init;
pub mod module;
pub mod output;
pub mod plan;
pub mod providers;
pub mod secret;
pub mod show;
pub mod state;
pub mod taint;
pub mod validate;
pub mod version;

use std::path::PathBuf;
use std::process::ExitCode;

use crate::config::vars::VarArg;
use crate::workspace::VarArgs;
pub use crate::workspace::{
    Prepared, Reported, Workspace, env_vars, load_checked, make_providers, runtime, selected_env_file,
    validate_env_name,
};
use anyhow::Result;
use clap::{Parser, Subcommand};
use plinth_sdk::Map;

/// Flags every command takes.
#[derive(clap::Args, Clone, Debug)]
pub struct GlobalArgs {
    /// Run as if Plinth was started in DIR.
    #[arg(short = 'C', long = "chdir", global = true, value_name = "DIR")]
    pub dir: Option<PathBuf>,
    /// The environment (else PLINTH_ENV, else the selected one, else `default`).
    #[arg(short = 'e', long = "env", global = true, value_name = "ENV")]
    pub env: Option<String>,
    /// Never colour the output.
    #[arg(long, global = true)]
    pub no_color: bool,
    /// Log level for diagnostics on stderr (error, warn, info, debug, trace); RUST_LOG also works.
    #[arg(long, global = true, value_name = "LEVEL")]
    pub log_level: Option<String>,
    /// How long to wait for a state lock another run holds (0s, 30s, 5m): 0s fails at once.
    #[arg(long, global = true, value_name = "DURATION", default_value = "0s", value_parser = crate::state::lock::parse_duration)]
    pub lock_timeout: std::time::Duration,
}

/// How `plan` and `apply` walk the configuration: `--parallelism` and `--refresh`.
#[derive(clap::Args, Clone, Copy, Debug)]
pub struct WalkFlags {
    /// How many provider operations may run at once.
    #[arg(long, default_value_t = 10)]
    pub parallelism: usize,
    /// Read live values first (`--refresh=false` plans against the recorded state).
    #[arg(long, default_value_t = true, action = clap::ArgAction::Set, value_name = "BOOL")]
    pub refresh: bool,
}

/// Variable flags, kept in command-line order.
#[derive(clap::Args, Clone, Debug, Default)]
pub struct VarFlags {
    /// Set a root variable: --var name=value (repeatable).
    #[arg(long = "var", value_name = "NAME=VALUE")]
    pub vars: Vec<String>,
    /// Read root variables from an HCL file (repeatable).
    #[arg(long = "var-file", value_name = "FILE")]
    pub var_files: Vec<PathBuf>,
}

impl VarFlags {
    /// The flags as the engine's set-up takes them.
    pub fn args(&self) -> VarArgs {
        VarArgs {
            vars: self.vars.clone(),
            var_files: self.var_files.clone(),
        }
    }

    /// The variable sources in the order they were given on the command line.
    pub fn ordered(&self, raw: &[String]) -> Vec<VarArg> {
        self.args().ordered(raw)
    }
}

/// [`crate::workspace::prepare`] with the command's variable flags.
pub fn prepare(ws: &Workspace, flags: &VarFlags, persisted: &Map) -> Result<Prepared> {
    crate::workspace::prepare(ws, &flags.args(), persisted)
}

/// The workspace the global flags name.
pub fn workspace(g: &GlobalArgs) -> Result<Workspace> {
    let mut ws = Workspace::open(g.dir.as_deref(), g.env.as_deref(), g.no_color)?;
    ws.lock_timeout = g.lock_timeout;
    Ok(ws)
}

/// Leaves `value` for the operating system to reclaim at exit instead of freeing it one
/// allocation at a time: for the plan and state a command holds until it returns, once
/// everything it wrote is flushed (freeing a 100,000-instance plan or state costs 5-10% of the
/// command, see docs/performance.md). Never for a lock guard or anything else whose drop does
/// work.
pub fn leave<T>(value: T) {
    std::mem::forget(value);
}

/// Asks the user to type `yes`; false on anything else or on end of input.
pub fn confirm(question: &str) -> bool {
    use std::io::Write as _;
    eprint!("{question}\n  Only 'yes' will be accepted to approve.\n\n  Enter a value: ");
    let _ = std::io::stderr().flush();
    let mut line = String::new();
    match std::io::stdin().read_line(&mut line) {
        Ok(0) | Err(_) => false,
        Ok(_) => line.trim() == "yes",
    }
}

#[derive(Parser, Debug)]
#[command(
    name = "plinth",
    version,
    propagate_version = true,
    about = "Declarative infrastructure-as-code for machine-learning platforms"
)]
struct Cli {
    #[command(flatten)]
    global: GlobalArgs,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand, Debug)]
enum Command {
    /// Prepare the configuration directory.
    Init(init::Args),
    /// Check the configuration.
    Validate(validate::Args),
    /// Rewrite *.hcl files in canonical format.
    Fmt(fmt::Args),
    /// Show what apply would change.
    Plan(plan::Args),
    /// Make the changes (or apply a saved plan).
    Apply(apply::Args),
    /// Destroy everything this environment manages.
    Destroy(apply::DestroyArgs),
    /// Show a saved plan or the current state (--json, --markdown).
    Show(show::Args),
    /// Report what changed outside Plinth: exit 0 clean, 2 drift, 1 error.
    Drift(drift::Args),
    /// Manage environments: list, new, select, delete, clone.
    Env(env::Args),
    /// Adopt an existing object into state: import ADDRESS ID.
    Import(import::Args),
    /// Release a state lock whose holder is gone.
    ForceUnlock(force_unlock::Args),
    /// Show root outputs.
    Output(output::Args),
    /// Inspect and repair the state.
    State(state::Args),
    /// Mark a resource instance for replacement by the next apply.
    Taint(taint::Args),
    /// Remove the tainted mark from a resource instance.
    Untaint(taint::Args),
    /// Print the dependency graph in Graphviz DOT.
    Graph(graph::Args),
    /// Manage OS keyring entries for secret("keyring:SERVICE/USER"): set, rm.
    Secret(secret::Args),
    /// Print the built-in providers' schemas: providers schema --json.
    Providers(providers::Args),
    /// Work with modules: module doc DIR prints a module's inputs and outputs as markdown.
    Module(module::Args),
    /// Print the version.
    Version,
}

/// Warnings, plus the AWS provider's progress on long waits (an instance starting, an endpoint
/// becoming InService). The AWS SDK's own warnings (a screenful each, with `Debug` dumps, when
/// instance metadata is unreachable) are left out: what they mean reaches the user as the
/// provider's error. kube-rs logs every refused request at ERROR (a 409 or 403 the provider then
/// reports with its address and a hint): left out too. `--log-level` or `RUST_LOG` shows them.
const DEFAULT_LOG: &str = "warn,plinth_aws::util=info,aws_config=error,aws_smithy=error,aws_sdk=error,kube_client=off";

fn init_tracing(level: Option<&str>, no_color: bool) {
    use tracing_subscriber::EnvFilter;
    let filter = match level {
        Some(l) => EnvFilter::try_new(l).unwrap_or_else(|_| EnvFilter::new(DEFAULT_LOG)),
        None => EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new(DEFAULT_LOG)),
    };
    let _ = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .with_ansi(crate::style::use_color(no_color, &std::io::stderr()))
        .try_init();
}

/// Terraform spells long flags with one dash (`plan -out FILE`, `-refresh=false`, `-chdir=DIR`);
/// accept those spellings for every long flag Plinth has. Single-letter flags (`-C`, `-e`) and
/// values are left alone; a value that follows a flag is never rewritten (`--var -out=x` keeps
/// `-out=x` as the value only when written `--var=-out=x`, as with any clap option).
fn terraform_spellings(args: impl Iterator<Item = String>) -> Vec<String> {
    use clap::CommandFactory;
    fn longs(cmd: &clap::Command, into: &mut std::collections::HashSet<String>) {
        for a in cmd.get_arguments() {
            if let Some(l) = a.get_long() {
                into.insert(l.to_string());
            }
            // `-force-copy` as well as `-migrate-state`.
            for alias in a.get_all_aliases().unwrap_or_default() {
                into.insert(alias.to_string());
            }
        }
        for sub in cmd.get_subcommands() {
            longs(sub, into);
        }
    }
    let mut known = std::collections::HashSet::new();
    longs(&Cli::command(), &mut known);
    known.insert("version".to_string());
    known.insert("help".to_string());
    args.map(|a| {
        let single = a.strip_prefix('-').filter(|r| !r.starts_with('-'));
        match single {
            Some(rest) if known.contains(rest.split_once('=').map_or(rest, |(f, _)| f)) && rest.len() > 1 => {
                format!("-{a}")
            }
            _ => a,
        }
    })
    .collect()
}

/// The `plinth` command with `providers`, the build's (`src/main.rs` calls this with
/// `plinth_builtin::all()`): installs them (`registry::install`), parses the arguments and runs the
/// command.
pub fn main(providers: Vec<(&'static str, crate::registry::Factory)>) -> ExitCode {
    crate::registry::install(providers);
    // A closed pipe (`plinth state pull | head`) ends the output; that is not a failure, and
    // println! would otherwise panic on it.
    std::panic::set_hook(Box::new(|info| {
        let msg = info
            .payload()
            .downcast_ref::<String>()
            .map(String::as_str)
            .or_else(|| info.payload().downcast_ref::<&str>().copied())
            .unwrap_or("");
        if msg.contains("Broken pipe") || msg.contains("failed printing to stdout") {
            std::process::exit(0);
        }
        eprintln!("plinth crashed: {info}\nThis is a bug in Plinth; please report it with the command you ran.");
    }));
    // Usage errors exit 1: exit code 2 means "changes or drift present".
    let cli = match Cli::try_parse_from(terraform_spellings(std::env::args())) {
        Ok(c) => c,
        Err(e) if e.kind() == clap::error::ErrorKind::DisplayVersion => {
            // The same line wherever `-V` is written (clap would name the subcommand).
            println!("plinth {}", env!("CARGO_PKG_VERSION"));
            return ExitCode::SUCCESS;
        }
        Err(e) => {
            let _ = e.print();
            return match e.kind() {
                clap::error::ErrorKind::DisplayHelp | clap::error::ErrorKind::DisplayVersion => ExitCode::SUCCESS,
                _ => ExitCode::FAILURE,
            };
        }
    };
    init_tracing(cli.global.log_level.as_deref(), cli.global.no_color);
    let result = match &cli.command {
        Command::Version => version::run(),
        Command::Fmt(args) => fmt::run(&cli.global, args),
        Command::Secret(args) => secret::run(args),
        Command::Providers(args) => providers::run(args),
        Command::Module(args) => module::run(&cli.global, args),
        cmd => match workspace(&cli.global) {
            Ok(ws) => match cmd {
                Command::Init(a) => init::run(&ws, a),
                Command::Validate(a) => validate::run(&ws, a),
                Command::Plan(a) => plan::run(&ws, a),
                Command::Apply(a) => apply::run(&ws, a),
                Command::Destroy(a) => apply::destroy(&ws, a),
                Command::Output(a) => output::run(&ws, a),
                Command::Import(a) => import::run(&ws, a),
                Command::ForceUnlock(a) => force_unlock::run(&ws, a),
                Command::Env(a) => env::run(&ws, a),
                Command::Show(a) => show::run(&ws, a),
                Command::Drift(a) => drift::run(&ws, a),
                Command::State(a) => state::run(&ws, a),
                Command::Taint(a) => taint::run(&ws, a, true),
                Command::Untaint(a) => taint::run(&ws, a, false),
                Command::Graph(a) => graph::run(&ws, a),
                Command::Version
                | Command::Fmt(_)
                | Command::Secret(_)
                | Command::Providers(_)
                | Command::Module(_) => version::run(),
            },
            Err(e) => Err(e),
        },
    };
    match result {
        Ok(code) => code,
        Err(e) if e.is::<Reported>() => ExitCode::FAILURE,
        Err(e) => {
            // A closed pipe (`plinth state pull | head`) is not an error.
            if e.chain().any(|c| {
                c.downcast_ref::<std::io::Error>()
                    .is_some_and(|io| io.kind() == std::io::ErrorKind::BrokenPipe)
            }) {
                return ExitCode::SUCCESS;
            }
            let chain: Vec<String> = e.chain().map(|c| c.to_string()).collect();
            eprintln!("Error: {}", chain.join(": "));
            ExitCode::FAILURE
        }
    }
}
