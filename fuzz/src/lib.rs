//! The bodies of the fuzz targets in `fuzz_targets/`: each takes arbitrary bytes, feeds them to
//! one of Plinth's readers of untrusted input through its public API, and returns; any panic is
//! the bug the fuzzer looks for (an error result is the expected answer to garbage). Kept apart
//! from the libFuzzer glue so that `cargo test` on stable runs every body over the hostile corpus
//! (`tests/hostile/corpus`) without nightly or libFuzzer.

use std::path::Path;

use plinth::lang::{EmptyScope, EvalContext, SecretError, SecretResolver};

/// The loader: `data` as a configuration's `main.hcl`, loaded and its diagnostics rendered.
pub fn config_load(data: &[u8]) {
    let dir = tempfile::tempdir().expect("tempdir");
    std::fs::write(dir.path().join("main.hcl"), data).expect("write main.hcl");
    let (config, diags) = plinth::config::load::load(dir.path());
    let _ = config.sources.render(&diags.0, dir.path(), false);
}

struct NoSecrets;

impl SecretResolver for NoSecrets {
    fn resolve(&self, source: &str, _base_dir: &Path) -> Result<String, SecretError> {
        Err(SecretError(format!("no secret {source:?} while fuzzing.")))
    }
}

/// The evaluator: `data` parsed as one expression and evaluated with nothing in scope (`file()`
/// and friends read below an empty directory).
pub fn expr_eval(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let Ok(expr) = hcl::edit::parser::parse_expr(text) else {
        return;
    };
    let dir = tempfile::tempdir().expect("tempdir");
    let ctx = EvalContext {
        file: 0,
        scope: &EmptyScope,
        secrets: &NoSecrets,
        base_dir: dir.path(),
    };
    let _ = plinth::lang::eval::eval(&expr, &ctx);
}

/// The state reader: `data` as the local backend's `state.json`, then as its journal over an
/// empty state.
pub fn state_read(data: &[u8]) {
    use plinth::state::Backend as _;
    let root = tempfile::tempdir().expect("tempdir");
    let backend = plinth::state::local::LocalBackend::new(root.path(), "default");
    let dir = plinth::state::local::env_dir(root.path(), "default");
    std::fs::create_dir_all(&dir).expect("state dir");
    std::fs::write(dir.join(plinth::state::local::STATE_FILE), data).expect("write state");
    let _ = backend.load();
    std::fs::remove_file(dir.join(plinth::state::local::STATE_FILE)).expect("rm state");
    std::fs::write(dir.join(plinth::state::local::JOURNAL_FILE), data).expect("write journal");
    let _ = backend.load();
}

/// The plan-file reader: `data` as a saved plan.
pub fn plan_read(data: &[u8]) {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("plan.bin");
    std::fs::write(&path, data).expect("write plan");
    let _ = plinth::plan::file::read_plan(&path);
}

#[cfg(test)]
mod tests {
    //! Every body over every file of the hostile corpus: the targets compile and run on stable.

    fn corpus() -> Vec<Vec<u8>> {
        // Built in `fuzz/` or, through `tests/hostile.rs`, in the root package.
        let here = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        let root = [here.join("tests/hostile/corpus"), here.join("../tests/hostile/corpus")]
            .into_iter()
            .find(|p| p.is_dir())
            .expect("the hostile corpus");
        let mut out = Vec::new();
        for case in std::fs::read_dir(root).expect("the corpus") {
            let case = case.expect("entry").path();
            if let Ok(bytes) = std::fs::read(case.join("main.hcl")) {
                out.push(bytes);
            }
        }
        assert!(out.len() >= 200, "the corpus has {} files", out.len());
        out
    }

    #[test]
    fn bodies_survive_the_hostile_corpus() {
        for data in corpus() {
            super::config_load(&data);
            super::state_read(&data);
            super::plan_read(&data);
            // Expressions: the text after the first `=`, where the corpus keeps its worst ones.
            if let Some(at) = data.iter().position(|b| *b == b'=') {
                super::expr_eval(&data[at + 1..]);
            }
        }
    }
}
