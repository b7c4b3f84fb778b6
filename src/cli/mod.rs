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
pub mod output;
pub mod plan;
pub mod secret;
pub mod show;
pub mod state;
pub mod validate;
pub mod version;

use std::path::PathBuf;

use anyhow::Result;
pub use plinth::workspace::{
    Prepared, Reported, VarArgs, Workspace, env_vars, load_checked, make_providers, prepare, runtime,
    selected_env_file, validate_env_name,
};

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
}

/// The workspace the global flags name.
pub fn workspace(g: &GlobalArgs) -> Result<Workspace> {
    Workspace::open(g.dir.as_deref(), g.env.as_deref(), g.no_color)
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
