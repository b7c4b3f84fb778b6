//! The one check of every generated part of the checked-in documentation: it fails when a page
//! differs from what the code generates today.
//!
//! - Provider reference pages (`docs/providers/*.md`): under each heading naming a type, the
//!   attribute table and the "Accepted but not yet supported" sentence, rendered from the same
//!   schemas `plinth providers schema --json` prints (`plinth::docs::tables`; where the page finds
//!   them: `plinth::docs::pages`). Every resource and data source of every built-in provider
//!   needs a section, and the provider block one when it has settings.
//! - Module READMEs (`modules/<block>/<platform>/README.md`, every directory two levels below
//!   `modules/`): `plinth module doc DIR`'s output between `<!-- BEGIN_PLINTH_DOCS -->` and
//!   `<!-- END_PLINTH_DOCS -->`.
//!
//! Bless mode: `PLINTH_BLESS_DOCS=1 cargo test -p plinth --test generated_docs` rewrites the
//! generated parts in place (creating a missing module README, adding missing markers at its end)
//! and leaves the prose alone; review the diff and commit it. What bless cannot do is still a
//! failure: a type with no section (the message gives the table to paste under a new heading) or
//! a heading that names several types.

use std::path::{Path, PathBuf};

use plinth::docs::{self, ProviderDoc, module, pages};

fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn bless() -> bool {
    std::env::var_os("PLINTH_BLESS_DOCS").is_some()
}

const HOW: &str = "run `PLINTH_BLESS_DOCS=1 cargo test -p plinth --test generated_docs` to rewrite them, \
                   then review and commit the diff";

#[test]
fn provider_reference_pages_show_the_current_schemas() {
    let providers = docs::providers(&plinth_builtin::all());
    let mut page_names: Vec<&str> = Vec::new();
    for p in &providers {
        if !page_names.contains(&p.page.as_str()) {
            page_names.push(&p.page);
        }
    }
    let mut failures = Vec::new();
    for page in page_names {
        let members: Vec<&ProviderDoc> = providers.iter().filter(|p| p.page == page).collect();
        let path = repo().join(page);
        let Ok(text) = std::fs::read_to_string(&path) else {
            failures.push(format!(
                "{page}: missing; it documents the provider(s) {}",
                names(&members)
            ));
            continue;
        };
        let checked = pages::check_provider_page(&text, &pages::expected(&members));
        if !checked.stale.is_empty() {
            if bless() {
                std::fs::write(&path, &checked.text).expect("write the page");
                eprintln!("{page}: rewrote {}", checked.stale.join(", "));
            } else {
                failures.push(format!("{page}: out of date: {}; {HOW}", checked.stale.join(", ")));
            }
        }
        failures.extend(checked.problems.iter().map(|p| format!("{page}: {p}")));
        failures.extend(checked.missing.iter().map(|m| format!("{page}: {m}")));
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

fn names(ps: &[&ProviderDoc]) -> String {
    ps.iter().map(|p| p.name).collect::<Vec<_>>().join(", ")
}

/// The module directories: `modules/<block>/<platform>/` (none before the first module exists).
fn module_dirs() -> Vec<PathBuf> {
    let mut out = Vec::new();
    let Ok(blocks) = std::fs::read_dir(repo().join("modules")) else {
        return out;
    };
    for block in blocks.map(|e| e.expect("modules/ entry").path()).filter(|p| p.is_dir()) {
        for platform in std::fs::read_dir(&block).expect("read a block's directory") {
            let p = platform.expect("module directory entry").path();
            if p.is_dir() {
                out.push(p);
            }
        }
    }
    out.sort();
    out
}

fn module_doc(dir: &Path) -> Result<String, String> {
    let (config, diags) = plinth::config::load::load(dir);
    if diags.has_errors() {
        return Err(config.sources.render(&diags.0, &repo(), false));
    }
    Ok(module::render(&config.root, &config.sources))
}

#[test]
fn module_readmes_show_each_modules_inputs_and_outputs() {
    let mut failures = Vec::new();
    for dir in module_dirs() {
        let rel = dir
            .strip_prefix(repo().join("modules"))
            .unwrap_or(&dir)
            .display()
            .to_string();
        let doc = match module_doc(&dir) {
            Ok(d) => d,
            Err(e) => {
                failures.push(format!("modules/{rel}: the module does not load:\n{e}"));
                continue;
            }
        };
        let readme = dir.join("README.md");
        let existing = std::fs::read_to_string(&readme).ok();
        let (text, up_to_date) = pages::module_readme(existing.as_deref(), &rel, &doc);
        if up_to_date {
            continue;
        }
        if bless() {
            std::fs::write(&readme, text).expect("write the module README");
            eprintln!("modules/{rel}/README.md: rewrote its generated part");
        } else {
            failures.push(format!(
                "modules/{rel}/README.md: its inputs and outputs (between {} and {}) differ from `plinth \
                 module doc`'s; {HOW}",
                module::BEGIN,
                module::END
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}
