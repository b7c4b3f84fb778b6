//! `plinth output [NAME] [--json]`: root outputs from the state.

use std::process::ExitCode;

use anyhow::{Result, bail};
use plinth_sdk::Value;

use super::Workspace;
use crate::state::{Backend, OutputState};

#[derive(clap::Args, Debug)]
pub struct Args {
    /// Show only this output.
    pub name: Option<String>,
    /// Machine-readable JSON: { "name": { "value", "type", "sensitive" } }.
    #[arg(long)]
    pub json: bool,
    /// Print a string output without quotes (with NAME).
    #[arg(long)]
    pub raw: bool,
}

fn json_of(o: &OutputState) -> serde_json::Value {
    serde_json::json!({
        // A sensitive output's value is never stored, so it cannot be shown.
        "value": if o.sensitive { serde_json::Value::Null } else { o.value.clone() },
        "type": o.type_name,
        "sensitive": o.sensitive,
    })
}

fn text_of(o: &OutputState, raw: bool) -> String {
    if o.sensitive {
        return "<sensitive>".to_string();
    }
    match (&o.value, raw) {
        (serde_json::Value::String(s), true) => s.clone(),
        (v, _) => Value::from_json(v).to_string(),
    }
}

pub fn run(ws: &Workspace, args: &Args) -> Result<ExitCode> {
    let state = super::secret::backend(ws, None)?.load()?;
    if let Some(name) = &args.name {
        let Some(o) = state.outputs.get(name) else {
            bail!(
                "output {name:?} not found; the state has: {}",
                state.outputs.keys().cloned().collect::<Vec<_>>().join(", ")
            );
        };
        if args.json {
            println!("{}", serde_json::to_string_pretty(&json_of(o))?);
        } else {
            println!("{}", text_of(o, args.raw));
        }
        return Ok(ExitCode::SUCCESS);
    }
    if args.json {
        let all: serde_json::Map<String, serde_json::Value> =
            state.outputs.iter().map(|(k, o)| (k.clone(), json_of(o))).collect();
        println!("{}", serde_json::to_string_pretty(&all)?);
    } else {
        if state.outputs.is_empty() {
            eprintln!("No outputs found: apply a configuration with output blocks first.");
        }
        for (k, o) in &state.outputs {
            println!("{k} = {}", text_of(o, false));
        }
    }
    Ok(ExitCode::SUCCESS)
}
