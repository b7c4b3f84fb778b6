//! `plinth providers schema --json`: every built-in provider's schema in the shape of `terraform
//! providers schema -json` (built by `crate::docs::schema_json`). Like Terraform's, the command
//! prints JSON only and requires the flag, so that a future text form does not change what
//! scripts get.

use std::process::ExitCode;

use crate::docs::{providers, schema_json};
use anyhow::{Result, bail};

#[derive(clap::Args, Debug)]
pub struct Args {
    #[command(subcommand)]
    pub cmd: Cmd,
}

#[derive(clap::Subcommand, Debug)]
pub enum Cmd {
    /// Print the schemas of every built-in provider (requires --json).
    Schema {
        /// Print JSON (required): Terraform's `providers schema -json` format, version 1.0.
        #[arg(long)]
        json: bool,
    },
}

pub fn run(args: &Args) -> Result<ExitCode> {
    match args.cmd {
        Cmd::Schema { json } => {
            if !json {
                bail!(
                    "plinth providers schema requires --json: the schemas are printed only as JSON, in \
                     the format of `terraform providers schema -json`; the tables of docs/providers/*.md \
                     are their readable form"
                );
            }
            let all = providers(crate::registry::all());
            let doc = schema_json::document(all.iter().map(|p| (p.address.clone(), &p.schema)));
            println!("{doc}");
            Ok(ExitCode::SUCCESS)
        }
    }
}
