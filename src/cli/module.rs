//! `plinth module doc DIR`: a module's inputs and outputs as markdown (built by
//! `crate::docs::module`), the text each `modules/<block>/<platform>/README.md` holds between
//! its `<!-- BEGIN_PLINTH_DOCS -->` and `<!-- END_PLINTH_DOCS -->` markers.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{Result, bail};

use super::{GlobalArgs, Reported};
use crate::config::load;

#[derive(clap::Args, Debug)]
pub struct Args {
    #[command(subcommand)]
    pub cmd: Cmd,
}

#[derive(clap::Subcommand, Debug)]
pub enum Cmd {
    /// Print a module's inputs and outputs as markdown.
    Doc {
        /// The module's directory (relative to -C DIR when given).
        #[arg(value_name = "DIR")]
        module_dir: PathBuf,
    },
}

pub fn run(g: &GlobalArgs, args: &Args) -> Result<ExitCode> {
    let Cmd::Doc { module_dir } = &args.cmd;
    let base = g.dir.clone().unwrap_or_else(|| PathBuf::from("."));
    let dir = base.join(module_dir);
    if !dir.is_dir() {
        bail!("{} is not a directory: give a module's directory", dir.display());
    }
    if load::config_files(&dir)?.is_empty() {
        bail!("{} holds no *.hcl files: it is not a module", dir.display());
    }
    let (config, diags) = load::load(&dir);
    if !diags.is_empty() {
        let color = crate::style::use_color(g.no_color, &std::io::stderr());
        eprint!("{}", config.sources.render(&diags.0, Path::new(&base), color));
    }
    if diags.has_errors() {
        return Err(Reported.into());
    }
    print!("{}", crate::docs::module::render(&config.root, &config.sources));
    Ok(ExitCode::SUCCESS)
}
