//! Helpers for the end-to-end tests of the `plinth` binary (`tests/cli.rs`,
//! `tests/drift_and_plans.rs`, `tests/environments.rs`): the command with a clean environment,
//! its output, exit-code assertions, a temporary configuration directory to run it in, and a copy
//! of an example directory (with the repository's `modules/` beside it when it uses them). A test file adds its own `impl Dir` block for what only it needs.

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

use serde_json::Value as Json;
use tempfile::TempDir;

/// A `plinth` command in `dir`: no colour, no inherited `PLINTH_*` or logging variables. The
/// binary is the one cargo built, or `PLINTH_TEST_BIN` when set (a hard link to it taken right
/// after the build, for checkouts that share a target directory, whose builds replace
/// `target/debug/plinth` under a running test).
pub fn command(dir: &Path, args: &[&str]) -> Command {
    let bin = std::env::var_os("PLINTH_TEST_BIN").unwrap_or_else(|| env!("CARGO_BIN_EXE_plinth").into());
    let mut cmd = Command::new(bin);
    cmd.current_dir(dir)
        .args(args)
        .env("NO_COLOR", "1")
        .stdin(Stdio::null());
    for (k, _) in std::env::vars_os() {
        if k.to_string_lossy().starts_with("PLINTH_") {
            cmd.env_remove(&k);
        }
    }
    cmd.env_remove("RUST_LOG").env_remove("RUST_BACKTRACE");
    cmd
}

/// Runs `plinth ARGS` in `dir`.
pub fn plinth(dir: &Path, args: &[&str]) -> Output {
    command(dir, args).output().expect("run plinth")
}

/// Runs `plinth ARGS` in `dir` with extra environment variables.
pub fn plinth_env(dir: &Path, args: &[&str], env: &[(&str, &str)]) -> Output {
    let mut cmd = command(dir, args);
    for (k, v) in env {
        cmd.env(k, v);
    }
    cmd.output().expect("run plinth")
}

pub fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

pub fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// The exit code, with the output in the message when the process was killed.
pub fn code(o: &Output) -> i32 {
    o.status
        .code()
        .unwrap_or_else(|| panic!("plinth was killed: {:?}\n{}", o.status, stderr(o)))
}

/// Asserts exit code `want`, printing both streams when it differs.
#[track_caller]
pub fn expect_code(o: &Output, want: i32) {
    assert_eq!(
        code(o),
        want,
        "exit code\n--- stdout\n{}\n--- stderr\n{}",
        stdout(o),
        stderr(o)
    );
}

#[track_caller]
pub fn ok(o: Output) -> Output {
    expect_code(&o, 0);
    o
}

/// Asserts a clean user error: exit 1 and no panic. Returns stderr.
#[track_caller]
pub fn user_error(o: &Output) -> String {
    expect_code(o, 1);
    let err = stderr(o);
    assert!(!err.contains("panicked at"), "panic:\n{err}");
    err
}

#[track_caller]
pub fn json(o: &Output) -> Json {
    serde_json::from_slice(&o.stdout).unwrap_or_else(|e| panic!("not JSON ({e}):\n{}", stdout(o)))
}

/// Copies an example directory (recursively) to `to`, leaving out what running it in place
/// leaves behind (`.plinth`, `sandbox`).
/// The lineage of the local state under `dir` (read from the snapshot, as a tool outside Plinth
/// would).
pub fn state_lineage(dir: &Path) -> String {
    let envs = std::fs::read_dir(dir.join(".plinth/env")).expect(".plinth/env");
    for env in envs {
        let path = env.expect("entry").path().join("state.json");
        if let Ok(text) = std::fs::read_to_string(&path) {
            let v: Json = serde_json::from_str(&text).expect("state JSON");
            if let Some(l) = v["lineage"].as_str() {
                return l.to_string();
            }
        }
    }
    panic!("no state.json with a lineage under {}", dir.display())
}

pub fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).expect("mkdir");
    for e in std::fs::read_dir(from).expect("read_dir") {
        let e = e.expect("entry");
        let name = e.file_name();
        // Leftovers of someone running the example in place are not part of it.
        if name == ".plinth" || name == "sandbox" {
            continue;
        }
        let (src, dst) = (e.path(), to.join(&name));
        if src.is_dir() {
            copy_dir(&src, &dst);
        } else {
            std::fs::copy(&src, &dst).expect("copy");
        }
    }
}

/// Copies the repository's `modules/` to `DIR/modules` and `examples/NAME` (each in `examples`)
/// to `DIR/examples/NAME`, so that a configuration using `../../modules/...` by path runs in
/// `DIR/examples/NAME` as it does in the repository.
pub fn copy_repo_layout(to: &Path, examples: &[&str]) {
    let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
    copy_dir(&repo.join("modules"), &to.join("modules"));
    for name in examples {
        copy_dir(&repo.join("examples").join(name), &to.join("examples").join(name));
    }
}

/// A temporary configuration directory, named after the test binary (`plinth-cli-...`).
pub struct Dir {
    tmp: TempDir,
}

impl Dir {
    pub fn new() -> Dir {
        Dir {
            tmp: tempfile::Builder::new()
                .prefix(concat!("plinth-", env!("CARGO_CRATE_NAME"), "-"))
                .tempdir()
                .expect("tempdir"),
        }
    }

    /// A directory with `main.hcl`.
    pub fn with(hcl: &str) -> Dir {
        let d = Dir::new();
        d.write("main.hcl", hcl);
        d
    }

    pub fn path(&self) -> &Path {
        self.tmp.path()
    }

    pub fn join(&self, p: &str) -> PathBuf {
        self.tmp.path().join(p)
    }

    pub fn write(&self, p: &str, text: &str) {
        let path = self.join(p);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).expect("mkdir");
        }
        std::fs::write(path, text).expect("write");
    }

    pub fn read(&self, p: &str) -> String {
        std::fs::read_to_string(self.join(p)).unwrap_or_else(|e| panic!("read {p}: {e}"))
    }

    pub fn exists(&self, p: &str) -> bool {
        self.join(p).exists()
    }

    pub fn remove(&self, p: &str) {
        std::fs::remove_file(self.join(p)).unwrap_or_else(|e| panic!("rm {p}: {e}"));
    }

    pub fn run(&self, args: &[&str]) -> Output {
        plinth(self.path(), args)
    }

    pub fn run_env(&self, args: &[&str], env: &[(&str, &str)]) -> Output {
        plinth_env(self.path(), args, env)
    }
}
