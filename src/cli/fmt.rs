//! `plinth fmt`: rewrite `*.hcl` files in canonical format, keeping comments.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{Context, Result};

use super::GlobalArgs;
use crate::config::format::format_source;

#[derive(clap::Args, Debug)]
pub struct Args {
    /// Files or directories (default: the configuration directory).
    pub paths: Vec<PathBuf>,
    /// Change nothing; exit 1 when a file is not formatted.
    #[arg(long)]
    pub check: bool,
    /// Print the differences.
    #[arg(long)]
    pub diff: bool,
    /// Also format files in subdirectories.
    #[arg(long)]
    pub recursive: bool,
}

fn collect(path: &Path, recursive: bool, out: &mut Vec<PathBuf>) -> Result<()> {
    if path.is_file() {
        out.push(path.to_path_buf());
        return Ok(());
    }
    let mut entries: Vec<PathBuf> = std::fs::read_dir(path)
        .with_context(|| format!("cannot read {}", path.display()))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .collect();
    entries.sort();
    for p in entries {
        let name = p.file_name().and_then(|n| n.to_str()).unwrap_or("");
        if name.starts_with('.') {
            continue;
        }
        if p.is_dir() {
            if recursive {
                collect(&p, recursive, out)?;
            }
        } else if name.ends_with(".hcl") {
            out.push(p);
        }
    }
    Ok(())
}

/// The line and column (1-based, in characters) just after `valid`, the UTF-8 text before a bad
/// byte.
fn line_col(valid: &[u8]) -> (usize, usize) {
    let text = std::str::from_utf8(valid).unwrap_or_default();
    let line_start = text.rfind('\n').map_or(0, |i| i + 1);
    (text.matches('\n').count() + 1, text[line_start..].chars().count() + 1)
}

pub fn run(g: &GlobalArgs, args: &Args) -> Result<ExitCode> {
    let base = g.dir.clone().unwrap_or_else(|| PathBuf::from("."));
    let roots = if args.paths.is_empty() {
        vec![base.clone()]
    } else {
        args.paths.iter().map(|p| base.join(p)).collect()
    };
    let mut files = Vec::new();
    for r in &roots {
        collect(r, args.recursive, &mut files)?;
    }
    let mut unformatted = 0;
    let mut errors = 0;
    for f in files {
        let bytes = std::fs::read(&f).with_context(|| format!("cannot read {}", f.display()))?;
        let shown = f.strip_prefix(&base).unwrap_or(&f).display().to_string();
        let text = match String::from_utf8(bytes) {
            Ok(text) => text,
            Err(e) => {
                let (line, column) = line_col(&e.as_bytes()[..e.utf8_error().valid_up_to()]);
                errors += 1;
                eprintln!("{shown}:{line}:{column}: error: The file is not valid UTF-8 (save it as UTF-8 text)");
                continue;
            }
        };
        // A byte order mark is not part of the text (HCL's scanner skips it); it is kept.
        let (bom, body) = match text.strip_prefix('\u{feff}') {
            Some(rest) => ("\u{feff}", rest),
            None => ("", text.as_str()),
        };
        match format_source(body).map(|f| format!("{bom}{f}")) {
            Ok(formatted) if formatted != text => {
                unformatted += 1;
                println!("{shown}");
                if args.diff {
                    let diff = similar::TextDiff::from_lines(&text, &formatted);
                    print!("{}", diff.unified_diff().header(&shown, &shown));
                }
                if !args.check {
                    std::fs::write(&f, formatted).with_context(|| format!("cannot write {}", f.display()))?;
                }
            }
            Ok(_) => {}
            Err(e) => {
                errors += 1;
                eprintln!("{shown}:{}:{}: error: {}", e.line, e.column, e.message);
            }
        }
    }
    if errors > 0 || (args.check && unformatted > 0) {
        Ok(ExitCode::FAILURE)
    } else {
        Ok(ExitCode::SUCCESS)
    }
}
