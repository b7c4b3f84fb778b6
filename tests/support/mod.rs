//! Helpers for engine tests: a configuration directory with inline HCL, planned and applied
//! in-process with the [`provider::TestProvider`] and the local provider, the way the CLI does it
//! (`prepare_with`, the local state backend and its lock, `plan`, `apply`, `render_plan`).
//! [`cli`] holds the helpers of the tests that run the `plinth` binary instead; [`moto`],
//! [`postgres`] and [`mlflow`] start the real peers those tests check against.

#![allow(dead_code)]

pub mod cli;
pub mod faultproxy;
pub mod hostile;
pub mod leaks;
pub mod mlflow;
pub mod moto;
pub mod postgres;
pub mod provider;

use std::path::{Path, PathBuf};
use std::sync::Arc;

use plinth::apply::{NoProgress, apply};
use plinth::plan::Plan;
use plinth::plan::render::render_plan;
use plinth::plan::walk::{PlanOptions, plan};
use plinth::registry::Factory;
use plinth::state::{Backend, State};
use plinth::workspace::{Prepared, VarArgs, Workspace, prepare_with, runtime, schemas};
use tempfile::TempDir;

pub use provider::{Store, store, with_store};

/// The providers engine tests run with.
pub fn providers() -> Vec<(&'static str, Factory)> {
    let mut v: Vec<(&'static str, Factory)> = vec![("test", provider::factory as Factory)];
    v.extend(plinth_builtin::all());
    v
}

/// Options of one plan or apply.
#[derive(Clone, Debug, Default)]
pub struct Opts {
    /// `--target` addresses.
    pub targets: Vec<String>,
    /// `--var NAME=VALUE` pairs.
    pub vars: Vec<String>,
    /// Plan a destroy.
    pub destroy: bool,
}

impl Opts {
    pub fn target(t: &str) -> Opts {
        Opts {
            targets: vec![t.to_string()],
            ..Opts::default()
        }
    }

    pub fn destroy() -> Opts {
        Opts {
            destroy: true,
            ..Opts::default()
        }
    }
}

/// What a plan produced: the plan when planning succeeded, and the text a user would see (the
/// rendered plan followed by any diagnostics, or only the diagnostics).
pub struct Planned {
    pub plan: Option<Plan>,
    pub text: String,
    /// Addresses whose live object differed from the recorded state.
    pub drift: Vec<String>,
}

/// What an apply produced.
#[derive(Debug)]
pub struct Applied {
    pub ok: bool,
    pub added: usize,
    pub changed: usize,
    pub destroyed: usize,
    /// The rendered diagnostics (empty when there were none).
    pub diags: String,
}

impl Applied {
    #[track_caller]
    pub fn assert_ok(&self) -> &Self {
        assert!(self.ok, "apply failed:\n{}", self.diags);
        self
    }
}

/// A temporary configuration directory.
pub struct Workdir {
    _tmp: TempDir,
    pub root: PathBuf,
}

impl Default for Workdir {
    fn default() -> Self {
        Self::new()
    }
}

impl Workdir {
    pub fn new() -> Workdir {
        let tmp = tempfile::Builder::new()
            .prefix("plinth-engine-")
            .tempdir()
            .expect("temporary directory");
        // The engine configures providers with the canonical directory (as the CLI does).
        let root = std::fs::canonicalize(tmp.path()).expect("canonical temporary directory");
        Workdir { _tmp: tmp, root }
    }

    /// Writes `text` to `path` (relative to the root), creating directories.
    pub fn write(&self, path: &str, text: &str) {
        let p = self.root.join(path);
        if let Some(dir) = p.parent() {
            std::fs::create_dir_all(dir).expect("create directory");
        }
        std::fs::write(p, text).expect("write file");
    }

    /// Replaces the root configuration with `hcl` (one `main.hcl`).
    pub fn config(&self, hcl: &str) {
        self.write("main.hcl", hcl);
    }

    pub fn workspace(&self) -> Workspace {
        Workspace {
            root: self.root.clone(),
            env: "default".to_string(),
            color: false,
            raw_args: vec![],
            lock_timeout: std::time::Duration::ZERO,
            store: Default::default(),
        }
    }

    /// What the test provider's platform holds for this directory.
    pub fn store(&self) -> Store {
        store(&self.root)
    }

    /// Names of the test provider's objects.
    pub fn names(&self) -> Vec<String> {
        self.store().names()
    }

    /// Changes the test provider's platform behind Plinth's back.
    pub fn out_of_band(&self, f: impl FnOnce(&mut Store)) {
        with_store(&self.root, f)
    }

    /// The recorded state.
    pub fn state(&self) -> State {
        self.workspace().backend().load().expect("state loads")
    }

    fn prepare(&self, ws: &Workspace, opts: &Opts) -> Result<Prepared, String> {
        let vars = VarArgs {
            vars: opts.vars.clone(),
            var_files: vec![],
        };
        prepare_with(ws, &vars, &plinth_sdk::Map::new(), &providers()).map_err(|e| {
            let diags = rejection(ws, &vars);
            if diags.is_empty() {
                format!("error: {e}\n")
            } else {
                diags
            }
        })
    }

    /// Plans `hcl` (written as `main.hcl`) against the current state.
    pub fn plan_with(&self, hcl: &str, opts: &Opts) -> Planned {
        self.config(hcl);
        self.plan_current(opts)
    }

    /// Plans the configuration on disk against the current state.
    pub fn plan_current(&self, opts: &Opts) -> Planned {
        let ws = self.workspace();
        let prepared = match self.prepare(&ws, opts) {
            Ok(p) => p,
            Err(text) => {
                return Planned {
                    plan: None,
                    text,
                    drift: vec![],
                };
            }
        };
        let backend = ws.backend();
        let _lock = backend.lock("apply").expect("state lock");
        let state = backend.load().expect("state loads");
        let rt = runtime().expect("runtime");
        let session = prepared.session(&ws, &state, 4, None);
        let result = rt.block_on(plan(
            &session,
            &PlanOptions {
                refresh: true,
                destroy: opts.destroy,
                targets: opts
                    .targets
                    .iter()
                    .map(|t| plinth::addrs::Address::parse(t).expect("a valid --target"))
                    .collect(),
                unsaved: false,
            },
        ));
        let diags = render_diags(&prepared, &ws.root, &result.diags);
        let drift = result.drift.iter().map(|d| d.address.clone()).collect();
        if result.diags.has_errors() {
            return Planned {
                plan: None,
                text: diags,
                drift,
            };
        }
        Planned {
            text: render_plan(&result.plan, false) + &diags,
            plan: Some(result.plan),
            drift,
        }
    }

    /// The rendered plan of `hcl` (or its diagnostics).
    pub fn plan(&self, hcl: &str) -> String {
        self.plan_with(hcl, &Opts::default()).text
    }

    /// Checks the rendered plan of `hcl` against a snapshot.
    #[track_caller]
    pub fn check_plan(&self, hcl: &str, expect: expect_test::Expect) {
        expect.assert_eq(&self.plan(hcl));
    }

    /// Plans and applies `hcl`, like `plinth apply --auto-approve`.
    pub fn apply(&self, hcl: &str) -> Applied {
        self.apply_with(hcl, &Opts::default())
    }

    pub fn apply_with(&self, hcl: &str, opts: &Opts) -> Applied {
        self.config(hcl);
        let ws = self.workspace();
        let failed = |diags: String| Applied {
            ok: false,
            added: 0,
            changed: 0,
            destroyed: 0,
            diags,
        };
        let prepared = match self.prepare(&ws, opts) {
            Ok(p) => p,
            Err(text) => return failed(text),
        };
        let backend = ws.backend();
        let _lock = backend.lock("apply").expect("state lock");
        let state = backend.load().expect("state loads");
        let rt = runtime().expect("runtime");
        let result = {
            let session = prepared.session(&ws, &state, 4, None);
            rt.block_on(plan(
                &session,
                &PlanOptions {
                    refresh: true,
                    destroy: opts.destroy,
                    targets: opts
                        .targets
                        .iter()
                        .map(|t| plinth::addrs::Address::parse(t).expect("a valid --target"))
                        .collect(),
                    unsaved: false,
                },
            ))
        };
        if result.diags.has_errors() {
            return failed(render_diags(&prepared, &ws.root, &result.diags));
        }
        if !result.plan.has_changes() {
            // As `plinth apply`: nothing to do, nothing written.
            return Applied {
                ok: true,
                added: 0,
                changed: 0,
                destroyed: 0,
                diags: render_diags(&prepared, &ws.root, &result.diags),
            };
        }
        let mut after = state.clone();
        let session = prepared.session(&ws, &state, 4, None);
        let report = rt.block_on(apply(&session, result.plan, &backend, &mut after, Arc::new(NoProgress)));
        Applied {
            ok: !report.diags.has_errors(),
            added: report.added,
            changed: report.changed,
            destroyed: report.destroyed,
            diags: render_diags(&prepared, &ws.root, &report.diags),
        }
    }
}

/// The diagnostics `prepare_with` printed when it rejected the configuration, found again the same
/// way (load, build the graph, resolve the root variables) so that a test can see them.
fn rejection(ws: &Workspace, vars: &VarArgs) -> String {
    let (mut config, mut diags) = plinth::config::load::load(&ws.root);
    if !diags.has_errors() {
        let (_graph, gdiags) = plinth::graph::build::build(&config, &schemas(&providers(), &config));
        diags.extend(gdiags.0);
    }
    if !diags.has_errors() {
        let (_vars, vdiags) = plinth::config::vars::resolve_root(
            &config.root,
            &mut config.sources,
            &vars.ordered(&ws.raw_args),
            &plinth_sdk::Map::new(),
            &|name: &str| std::env::var(name).ok(),
            &plinth::secrets::sources::Sources,
        );
        diags.extend(vdiags.0);
    }
    if diags.is_empty() {
        return String::new();
    }
    config.sources.render(&diags.0, &ws.root, false)
}

fn render_diags(prepared: &Prepared, root: &Path, diags: &plinth::diag::Diagnostics) -> String {
    if diags.is_empty() {
        return String::new();
    }
    prepared.config.sources.render(&diags.0, root, false)
}

/// Checks the rendered plan of `hcl`, against an empty state, with a snapshot.
#[track_caller]
pub fn check_plan(hcl: &str, expect: expect_test::Expect) {
    Workdir::new().check_plan(hcl, expect);
}

/// Applies `hcl` in a new directory and returns the directory for further steps.
#[track_caller]
pub fn apply_hcl(hcl: &str) -> Workdir {
    let w = Workdir::new();
    w.apply(hcl).assert_ok();
    w
}

/// Whether `first` appears in `log` before `then` (both must appear).
#[track_caller]
pub fn assert_before(log: &[String], first: &str, then: &str) {
    let pos = |s: &str| {
        log.iter()
            .position(|l| l == s)
            .unwrap_or_else(|| panic!("{s:?} is not in the log {log:#?}"))
    };
    assert!(
        pos(first) < pos(then),
        "expected {first:?} before {then:?} in the log {log:#?}"
    );
}
