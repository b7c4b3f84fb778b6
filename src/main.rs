//! The `plinth` command. Parsing and dispatch only: each command lives in `src/cli/`.

use std::process::ExitCode;

use clap::{Parser, Subcommand};
use cli::{GlobalArgs, Reported};

mod cli;

/// mimalloc rather than the system allocator: planning and applying make millions of small,
/// short-lived allocations (values, addresses), which glibc's malloc served slowly and left
/// fragmented (see docs/performance.md).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

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
    Init(cli::init::Args),
    /// Check the configuration.
    Validate(cli::validate::Args),
    /// Rewrite *.hcl files in canonical format.
    Fmt(cli::fmt::Args),
    /// Show what apply would change.
    Plan(cli::plan::Args),
    /// Make the changes (or apply a saved plan).
    Apply(cli::apply::Args),
    /// Destroy everything this environment manages.
    Destroy(cli::apply::DestroyArgs),
    /// Show a saved plan or the current state (--json, --markdown).
    Show(cli::show::Args),
    /// Report what changed outside Plinth: exit 0 clean, 2 drift, 1 error.
    Drift(cli::drift::Args),
    /// Manage environments: list, new, select, delete, clone.
    Env(cli::env::Args),
    /// Adopt an existing object into state: import ADDRESS ID.
    Import(cli::import::Args),
    /// Release a state lock whose holder is gone.
    ForceUnlock(cli::force_unlock::Args),
    /// Show root outputs.
    Output(cli::output::Args),
    /// Inspect and repair the state.
    State(cli::state::Args),
    /// Mark a resource instance for replacement by the next apply.
    Taint(cli::taint::Args),
    /// Remove the tainted mark from a resource instance.
    Untaint(cli::taint::Args),
    /// Print the dependency graph in Graphviz DOT.
    Graph(cli::graph::Args),
    /// Manage OS keyring entries for secret("keyring:SERVICE/USER"): set, rm.
    Secret(cli::secret::Args),
    /// Print the built-in providers' schemas: providers schema --json.
    Providers(cli::providers::Args),
    /// Work with modules: module doc DIR prints a module's inputs and outputs as markdown.
    Module(cli::module::Args),
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
        .with_ansi(plinth::style::use_color(no_color, &std::io::stderr()))
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

fn main() -> ExitCode {
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
        Command::Version => cli::version::run(),
        Command::Fmt(args) => cli::fmt::run(&cli.global, args),
        Command::Secret(args) => cli::secret::run(args),
        Command::Providers(args) => cli::providers::run(args),
        Command::Module(args) => cli::module::run(&cli.global, args),
        cmd => match cli::workspace(&cli.global) {
            Ok(ws) => match cmd {
                Command::Init(a) => cli::init::run(&ws, a),
                Command::Validate(a) => cli::validate::run(&ws, a),
                Command::Plan(a) => cli::plan::run(&ws, a),
                Command::Apply(a) => cli::apply::run(&ws, a),
                Command::Destroy(a) => cli::apply::destroy(&ws, a),
                Command::Output(a) => cli::output::run(&ws, a),
                Command::Import(a) => cli::import::run(&ws, a),
                Command::ForceUnlock(a) => cli::force_unlock::run(&ws, a),
                Command::Env(a) => cli::env::run(&ws, a),
                Command::Show(a) => cli::show::run(&ws, a),
                Command::Drift(a) => cli::drift::run(&ws, a),
                Command::State(a) => cli::state::run(&ws, a),
                Command::Taint(a) => cli::taint::run(&ws, a, true),
                Command::Untaint(a) => cli::taint::run(&ws, a, false),
                Command::Graph(a) => cli::graph::run(&ws, a),
                Command::Version
                | Command::Fmt(_)
                | Command::Secret(_)
                | Command::Providers(_)
                | Command::Module(_) => cli::version::run(),
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
