//! `plinth version`.

use std::process::ExitCode;

use anyhow::Result;

pub fn run() -> Result<ExitCode> {
    println!("plinth v{}", env!("CARGO_PKG_VERSION"));
    for (name, _) in crate::registry::all() {
        println!("+ provider {name} (built in)");
    }
    Ok(ExitCode::SUCCESS)
}
