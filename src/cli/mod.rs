//! The command-line interface: one file per command, plus the setup they share.
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

use anyhow::Result;
use plinth::config::vars::VarArg;
use plinth::workspace::VarArgs;
pub use plinth::workspace::{
    Prepared, Reported, Workspace, env_vars, load_checked, make_providers, runtime, selected_env_file,
    validate_env_name,
};
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
    #[arg(long, global = true, value_name = "DURATION", default_value = "0s", value_parser = plinth::state::lock::parse_duration)]
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

/// [`plinth::workspace::prepare`] with the command's variable flags.
pub fn prepare(ws: &Workspace, flags: &VarFlags, persisted: &Map) -> Result<Prepared> {
    plinth::workspace::prepare(ws, &flags.args(), persisted)
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
