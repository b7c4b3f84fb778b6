//! The ML building blocks in `modules/<block>/<platform>/` keep one interface per block: every
//! platform that exists has the same required variables (names and types) and the same outputs,
//! a variable two platforms share has one type, and `modules/README.md` (the interface the
//! platforms follow) lists exactly those required inputs, with their types, and outputs. Every
//! variable has a type, a description and a validation, every output a description, and every
//! module and example loads without errors and without a least-privilege warning, and is in the
//! canonical format `plinth fmt` writes. The modules
//! are read with the configuration loader (`plinth::config::load`), as `plinth validate` reads
//! them; applying them is `tests/modules_local.rs`.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use plinth::config::Module;
use plinth::config::load::load;

const BLOCKS: &[&str] = &[
    "gpu-cluster",
    "feature-store",
    "model-registry",
    "training-pipeline",
    "drift-monitor",
    "serving-endpoint",
    "ml-platform",
];

fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Loads a configuration directory, failing on any error diagnostic.
fn load_ok(dir: &Path) -> plinth::config::Config {
    let (config, diags) = load(dir);
    let errors: Vec<String> = diags
        .0
        .iter()
        .filter(|d| d.is_error())
        .map(|d| format!("{}: {}", d.summary, d.detail))
        .collect();
    assert!(
        errors.is_empty(),
        "{} does not load:\n{}",
        dir.display(),
        errors.join("\n")
    );
    config
}

/// The platforms of a block: its subdirectories, sorted.
fn platforms(block: &str) -> Vec<String> {
    let dir = repo().join("modules").join(block);
    let mut out: Vec<String> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|e| e.expect("directory entry"))
        .filter(|e| e.path().is_dir())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    out.sort();
    out
}

/// What one implementation offers: required variables with their types, optional variables with
/// theirs, and output names.
struct Interface {
    required: BTreeMap<String, String>,
    optional: BTreeMap<String, String>,
    outputs: BTreeSet<String>,
}

fn interface(block: &str, platform: &str, m: &Module) -> Interface {
    let mut required = BTreeMap::new();
    let mut optional = BTreeMap::new();
    for (name, v) in &m.variables {
        let at = format!("modules/{block}/{platform}: variable {name:?}");
        let ty = v.ty.as_ref().unwrap_or_else(|| panic!("{at} has no type"));
        assert!(!v.description.trim().is_empty(), "{at} has no description");
        assert!(!v.validations.is_empty(), "{at} has no validation block");
        let slot = if v.default.is_some() {
            &mut optional
        } else {
            &mut required
        };
        slot.insert(name.clone(), ty.to_string());
    }
    for (name, o) in &m.outputs {
        assert!(
            !o.description.trim().is_empty(),
            "modules/{block}/{platform}: output {name:?} has no description"
        );
    }
    Interface {
        required,
        optional,
        outputs: m.outputs.keys().cloned().collect(),
    }
}

/// The `backticked` first cell of each table row in `text` (`| `name` | ... |`), with the second
/// cell (its type, for inputs).
fn table_rows(text: &str) -> BTreeMap<String, String> {
    text.lines()
        .filter_map(|l| {
            let cells: Vec<&str> = l.trim().strip_prefix('|')?.split(" | ").map(str::trim).collect();
            let name = cells.first()?.strip_prefix('`')?.strip_suffix('`')?;
            let ty = cells
                .get(1)
                .map(|c| c.trim_matches('`').to_string())
                .unwrap_or_default();
            Some((name.to_string(), ty))
        })
        .collect()
}

/// The part of `text` under `heading` (a whole line), up to the next heading of the same or a
/// higher level.
fn section<'a>(text: &'a str, heading: &str) -> &'a str {
    let level = heading.chars().take_while(|c| *c == '#').count();
    let start = text
        .find(&format!("\n{heading}\n"))
        .unwrap_or_else(|| panic!("modules/README.md has no heading {heading:?}"))
        + heading.len()
        + 2;
    let rest = &text[start..];
    let end = rest
        .match_indices("\n#")
        .find(|(i, _)| {
            let hashes = rest[i + 1..].chars().take_while(|c| *c == '#').count();
            hashes <= level
        })
        .map_or(rest.len(), |(i, _)| i);
    &rest[..end]
}

#[test]
fn every_block_has_one_interface_on_every_platform_and_the_readme_states_it() {
    let readme = std::fs::read_to_string(repo().join("modules/README.md")).expect("modules/README.md");
    for block in BLOCKS {
        let platforms = platforms(block);
        assert!(
            platforms.contains(&"local".to_string()),
            "modules/{block} has no local implementation"
        );
        let mut seen: Vec<(String, Interface)> = Vec::new();
        for platform in &platforms {
            let config = load_ok(&repo().join("modules").join(block).join(platform));
            seen.push((platform.clone(), interface(block, platform, &config.root)));
        }
        let (first, reference) = &seen[0];
        for (platform, i) in &seen[1..] {
            assert_eq!(
                i.required, reference.required,
                "{block}: the required variables (name => type) of {platform} differ from {first}'s"
            );
            assert_eq!(
                i.outputs, reference.outputs,
                "{block}: the outputs of {platform} differ from {first}'s"
            );
            for (name, ty) in &i.optional {
                if let Some(other) = reference.optional.get(name) {
                    assert_eq!(
                        ty, other,
                        "{block}: optional variable {name:?} has another type on {platform} than on {first}"
                    );
                }
            }
        }

        let doc = section(&readme, &format!("### `{block}`"));
        let required = table_rows(section(doc, "#### Required inputs"));
        let outputs: BTreeSet<String> = table_rows(section(doc, "#### Outputs")).into_keys().collect();
        assert_eq!(
            required, reference.required,
            "modules/README.md, {block}: the required inputs table (name and type) is not what the modules declare"
        );
        assert_eq!(
            outputs, reference.outputs,
            "modules/README.md, {block}: the outputs table is not what the modules declare"
        );
        // The optional inputs the README promises on every platform are on every platform, with
        // the type it states.
        for (name, ty) in table_rows(section(doc, "#### Optional inputs (every platform)")) {
            for (platform, i) in &seen {
                assert_eq!(
                    i.optional.get(&name),
                    Some(&ty),
                    "modules/README.md, {block}: optional input {name:?} ({ty}) is not so on {platform}"
                );
            }
        }
    }
}

#[test]
fn every_module_has_a_readme_with_the_generated_section_markers() {
    for block in BLOCKS {
        for platform in platforms(block) {
            let path = repo().join("modules").join(block).join(&platform).join("README.md");
            let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
            let begin = text.find("<!-- BEGIN_PLINTH_DOCS -->");
            let end = text.find("<!-- END_PLINTH_DOCS -->");
            assert!(
                matches!((begin, end), (Some(b), Some(e)) if b < e),
                "{}: no <!-- BEGIN_PLINTH_DOCS --> ... <!-- END_PLINTH_DOCS --> section",
                path.display()
            );
        }
    }
}

/// The configuration directories under `dir` (those with `*.hcl` files), recursively, leaving
/// out what running them leaves behind.
fn config_dirs(dir: &Path, out: &mut Vec<PathBuf>) {
    let mut entries: Vec<PathBuf> = std::fs::read_dir(dir)
        .expect("read_dir")
        .map(|e| e.expect("directory entry").path())
        .collect();
    entries.sort();
    if entries
        .iter()
        .any(|p| p.is_file() && p.extension().is_some_and(|e| e == "hcl"))
    {
        out.push(dir.to_path_buf());
    }
    for p in entries {
        let name = p.file_name().and_then(|n| n.to_str()).unwrap_or("");
        if p.is_dir() && !name.starts_with('.') && name != "sandbox" {
            config_dirs(&p, out);
        }
    }
}

/// `plinth validate`'s least-privilege lint (`plinth::secrets::lint`) finds nothing in any
/// module or example: each workload's identity is scoped by construction.
#[test]
fn no_module_or_example_has_a_least_privilege_warning() {
    let mut dirs = Vec::new();
    config_dirs(&repo().join("modules"), &mut dirs);
    config_dirs(&repo().join("examples"), &mut dirs);
    assert!(dirs.len() >= 7 + 4, "too few configurations found: {dirs:?}");
    for dir in dirs {
        let config = load_ok(&dir);
        let warnings = plinth::secrets::lint::lint(&config);
        let text: Vec<String> = warnings
            .0
            .iter()
            .map(|d| format!("{} {}", d.summary, d.address.clone().unwrap_or_default()))
            .collect();
        assert!(
            text.is_empty(),
            "{}: least-privilege warnings:\n{}",
            dir.display(),
            text.join("\n")
        );
    }
}

#[test]
fn every_module_and_example_is_in_canonical_format() {
    let mut dirs = Vec::new();
    config_dirs(&repo().join("modules"), &mut dirs);
    config_dirs(&repo().join("examples"), &mut dirs);
    let mut unformatted = Vec::new();
    for dir in dirs {
        for entry in std::fs::read_dir(&dir).expect("read_dir") {
            let path = entry.expect("directory entry").path();
            if path.extension().is_none_or(|e| e != "hcl") {
                continue;
            }
            let text = std::fs::read_to_string(&path).expect("read");
            match plinth::config::format::format_source(&text) {
                Ok(formatted) if formatted == text => {}
                Ok(_) => unformatted.push(path.display().to_string()),
                Err(e) => unformatted.push(format!("{}: {e:?}", path.display())),
            }
        }
    }
    assert!(
        unformatted.is_empty(),
        "not in canonical format (run `plinth fmt` on them): {unformatted:#?}"
    );
}
