//! The layering of `src/`, checked on the source text as rust-analyzer's tidy tests do: every
//! `crate::MODULE` path in the library (and every `plinth::MODULE` path in the binary,
//! `src/main.rs`) must name a module its own module may use, according to the table under "Module
//! dependencies" in `docs/ARCHITECTURE.md`. The document is the rule; this
//! test only reads it, so the two cannot disagree.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// The allowed dependencies: module -> the modules it may use.
fn allowed(doc: &str) -> BTreeMap<String, BTreeSet<String>> {
    let section = doc
        .split("\n## Module dependencies")
        .nth(1)
        .expect("docs/ARCHITECTURE.md has a \"## Module dependencies\" section");
    let section = section.split("\n## ").next().unwrap_or(section);
    let mut out = BTreeMap::new();
    for line in section.lines().filter(|l| l.starts_with("| `")) {
        let cells: Vec<&str> = line.split('|').map(str::trim).collect();
        let (Some(module), Some(uses)) = (cells.get(1), cells.get(2)) else {
            continue;
        };
        out.insert(ticked(module).into_iter().next().unwrap_or_default(), ticked(uses));
    }
    out
}

/// The `backticked` words of a table cell.
fn ticked(cell: &str) -> BTreeSet<String> {
    cell.split('`').skip(1).step_by(2).map(str::to_string).collect()
}

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let mut entries: Vec<_> = std::fs::read_dir(dir)
        .expect("read src/")
        .map(|e| e.expect("directory entry").path())
        .collect();
    entries.sort();
    for p in entries {
        if p.is_dir() {
            rust_files(&p, out);
        } else if p.extension().is_some_and(|e| e == "rs") {
            out.push(p);
        }
    }
}

/// The top-level module a file of `src/` belongs to (`src/lang/eval/mod.rs` -> `lang`); the
/// binary, `src/main.rs`, counts as `cli` (all it does is call it); `src/lib.rs` is none.
fn module_of(rel: &Path) -> Option<String> {
    let first = rel.components().next()?.as_os_str().to_str()?;
    match first {
        "lib.rs" => None,
        "main.rs" => Some("cli".to_string()),
        f => Some(f.trim_end_matches(".rs").to_string()),
    }
}

/// Every module path `root::NAME` in `text` (comments excluded), with its line: `root::{a, b::c}`
/// names `a` and `b`.
fn uses(text: &str, root: &str) -> Vec<(usize, String)> {
    // Comments may name any module (doc links); only code is a dependency.
    let code: String = text
        .lines()
        .map(|l| if l.trim_start().starts_with("//") { "" } else { l })
        .collect::<Vec<_>>()
        .join("\n");
    let needle = format!("{root}::");
    let mut out = Vec::new();
    let mut from = 0;
    while let Some(found) = code[from..].find(&needle) {
        let at = from + found;
        from = at + needle.len();
        let before = code[..at].chars().next_back();
        if before.is_some_and(|c| c.is_alphanumeric() || c == '_' || c == ':') {
            continue;
        }
        let line = code[..at].matches('\n').count() + 1;
        let rest = &code[from..];
        if let Some(group) = rest.strip_prefix('{') {
            let mut depth = 1;
            let mut item_start = true;
            for (i, c) in group.char_indices() {
                match c {
                    '{' => depth += 1,
                    '}' => {
                        depth -= 1;
                        if depth == 0 {
                            break;
                        }
                    }
                    ',' if depth == 1 => item_start = true,
                    c if item_start && depth == 1 && (c.is_alphanumeric() || c == '_') => {
                        let name: String = group[i..]
                            .chars()
                            .take_while(|c| c.is_alphanumeric() || *c == '_')
                            .collect();
                        let line = line + group[..i].matches('\n').count();
                        out.push((line, name));
                        item_start = false;
                    }
                    _ => {}
                }
            }
        } else {
            let name: String = rest.chars().take_while(|c| c.is_alphanumeric() || *c == '_').collect();
            if !name.is_empty() {
                out.push((line, name));
            }
        }
    }
    out
}

#[test]
fn modules_use_only_what_docs_architecture_allows() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let doc = std::fs::read_to_string(root.join("docs/ARCHITECTURE.md")).expect("read docs/ARCHITECTURE.md");
    let allowed = allowed(&doc);
    let src = root.join("src");
    let mut files = Vec::new();
    rust_files(&src, &mut files);
    let mut problems = Vec::new();
    let mut modules = BTreeSet::new();
    for file in &files {
        let rel = file.strip_prefix(&src).expect("under src/");
        let Some(module) = module_of(rel) else {
            continue;
        };
        modules.insert(module.clone());
        let Some(may_use) = allowed.get(&module) else {
            problems.push(format!(
                "src/{}: module `{module}` is missing from the table under \"Module dependencies\" in docs/ARCHITECTURE.md",
                rel.display()
            ));
            continue;
        };
        let text = std::fs::read_to_string(file).expect("read a source file");
        // The binary reaches the library as `plinth::`; `crate::` there is the binary itself.
        let root_name = if rel == Path::new("main.rs") { "plinth" } else { "crate" };
        for (line, used) in uses(&text, root_name) {
            if used == module || used == "self" || used == "super" {
                continue;
            }
            if module != "cli" && used == "cli" {
                problems.push(format!(
                    "src/{}:{line}: `{module}` uses `cli`, the command line, which no other module may use",
                    rel.display()
                ));
            } else if !may_use.contains(&used) {
                problems.push(format!(
                    "src/{}:{line}: `{module}` may not use `{used}` (docs/ARCHITECTURE.md, \"Module dependencies\")",
                    rel.display()
                ));
            }
        }
    }
    for module in allowed.keys() {
        if !modules.contains(module) {
            problems.push(format!(
                "docs/ARCHITECTURE.md lists module `{module}` under \"Module dependencies\", but src/ has no such module"
            ));
        }
    }
    assert!(problems.is_empty(), "layering violations:\n{}", problems.join("\n"));
}

/// The commands are compiled in the library, not in the binary: the engine's generic code they call
/// would otherwise be compiled twice, the second time at the serial end of a release build
/// (`docs/performance.md`, "Build time"). `src/main.rs` only sets the allocator and calls
/// `plinth::cli::main` with the build's providers.
#[test]
fn the_binary_only_calls_the_cli() {
    let main =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("src/main.rs")).expect("read src/main.rs");
    let declares_a_module = main
        .lines()
        .map(str::trim_start)
        .any(|l| l.starts_with("mod ") || l.starts_with("pub mod "));
    assert!(
        !declares_a_module && main.contains("plinth::cli::main(plinth_builtin::all())"),
        "src/main.rs should declare no module and call plinth::cli::main(plinth_builtin::all()): commands \
         belong in src/cli/, which the library compiles"
    );
}

#[test]
fn the_checker_sees_grouped_and_inline_paths() {
    let text = "use crate::{config::Mode, diag::{Span, Sources}};\n// crate::secrets in a comment\nlet x = crate::state::State::new();\nuse a::crate_thing::x;\n";
    assert_eq!(
        uses(text, "crate"),
        vec![
            (1, "config".to_string()),
            (1, "diag".to_string()),
            (3, "state".to_string())
        ]
    );
}

/// The engine compiles beside the provider crates, not after them (`docs/performance.md`, change
/// 29): its package (`engine/Cargo.toml`) names none of them. The binary gets them from
/// `plinth-builtin` and hands them to `plinth::cli::main`.
#[test]
fn the_engine_names_no_provider_crate() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let manifest = std::fs::read_to_string(root.join("engine/Cargo.toml")).expect("read engine/Cargo.toml");
    let mut named = Vec::new();
    for entry in std::fs::read_dir(root.join("providers")).expect("read providers/") {
        let dir = entry.expect("directory entry").path();
        let Some(name) = dir.file_name().and_then(|n| n.to_str()) else {
            continue;
        };
        if name == "sdk" || !dir.join("Cargo.toml").is_file() {
            continue;
        }
        let package = format!("plinth-{name}");
        if manifest.lines().any(|l| l.trim_start().starts_with(&package)) {
            named.push(package);
        }
    }
    assert!(
        named.is_empty(),
        "engine/Cargo.toml depends on {named:?}: the engine must not name a provider crate (list providers in \
         providers/builtin instead)"
    );
}
