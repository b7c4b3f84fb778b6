//! A crash and an interrupt in the middle of a big apply lose nothing, end to end through the
//! binary, on the local and the postgres backends: 20,000 `local_file`s; the first apply is
//! killed with SIGKILL after a few hundred files, the second is interrupted with SIGINT; each
//! time every object the state records exists, the state reads whole and the next command needs
//! no unlock; then one apply converges to exactly 20,000 files and 20,000 state entries, and the
//! plan after it is clean. (A file written but not yet recorded when the kill came is written
//! again by the next apply: a `local_file` create puts the whole file in place.) And a chain of
//! state-only `local_value`s (journaled without waiting) feeding a file, killed right after the
//! file's create: the file waited for the whole chain to be durable, so nothing it was made from
//! is lost.

mod support;

use std::path::Path;
use std::process::{Child, Command, Output, Stdio};
use std::time::{Duration, Instant};

use support::cli::{Dir, command, expect_code, stderr, stdout};
use support::postgres as pg;

const FILES: usize = 20_000;

fn config(backend: &str) -> String {
    format!(
        r#"{backend}
resource "local_file" "f" {{
  count   = {FILES}
  path    = "out/${{count.index}}.txt"
  content = "file ${{count.index}}\n"
}}
"#
    )
}

/// Where the state lives, and how commands reach it.
struct Peer {
    dir: Dir,
    /// The postgres connection string (`PG_CONN_STR`), when the state is there.
    conn: Option<String>,
}

impl Peer {
    fn local() -> Peer {
        Peer {
            dir: Dir::with(&config("")),
            conn: None,
        }
    }

    fn postgres() -> Peer {
        let server = pg::server();
        let db = server.database();
        let backend = "plinth {\n  backend \"postgres\" {}\n}\n";
        Peer {
            dir: Dir::with(&config(backend)),
            conn: Some(server.conn_str(&db)),
        }
    }

    fn command(&self, args: &[&str]) -> Command {
        let mut c = command(self.dir.path(), args);
        if let Some(conn) = &self.conn {
            c.env("PG_CONN_STR", conn);
        }
        c
    }

    fn run(&self, args: &[&str]) -> Output {
        self.command(args).output().expect("run plinth")
    }

    /// Starts `plinth apply`; its standard error goes to `apply.err` (read with
    /// [`Peer::apply_err`]), its plan of 20,000 creates to nowhere: a pipe nobody reads while
    /// waiting would fill and stop the apply.
    fn start_apply(&self) -> Child {
        let err = std::fs::File::create(self.dir.join("apply.err")).expect("create apply.err");
        self.command(&["apply", "-auto-approve", "--parallelism", "10"])
            .stdout(Stdio::null())
            .stderr(err)
            .spawn()
            .expect("start plinth apply")
    }

    fn apply_err(&self) -> String {
        std::fs::read_to_string(self.dir.join("apply.err")).expect("read apply.err")
    }

    /// The state's addresses, read by `plinth state list`: it takes no lock, and it must read
    /// a state a killed apply left without any repair by hand.
    fn state_list(&self) -> Vec<String> {
        let o = self.run(&["state", "list"]);
        expect_code(&o, 0);
        stdout(&o).lines().map(str::to_string).collect()
    }

    /// The files under `out/`.
    fn files(&self) -> usize {
        std::fs::read_dir(self.dir.join("out")).map(|d| d.count()).unwrap_or(0)
    }

    /// Waits until `out/` holds at least `n` files.
    fn wait_for_files(&self, n: usize, child: &mut Child) {
        let started = Instant::now();
        while self.files() < n {
            if let Ok(Some(status)) = child.try_wait() {
                panic!("the apply ended ({status}) before {n} files were written");
            }
            assert!(
                started.elapsed() < Duration::from_secs(600),
                "fewer than {n} files after 10 minutes"
            );
            std::thread::sleep(Duration::from_millis(10));
        }
    }

    /// Every address the state records names a file that exists with its content; the
    /// addresses are `local_file.f[N]`, each once.
    fn check_state_matches_disk(&self, list: &[String]) {
        let mut seen = std::collections::HashSet::new();
        for a in list {
            let n: usize = a
                .strip_prefix("local_file.f[")
                .and_then(|r| r.strip_suffix(']'))
                .and_then(|n| n.parse().ok())
                .unwrap_or_else(|| panic!("unexpected address {a:?} in the state"));
            assert!(seen.insert(n), "{a} is in the state twice");
            let text = std::fs::read_to_string(self.dir.join(&format!("out/{n}.txt")))
                .unwrap_or_else(|e| panic!("{a} is recorded but out/{n}.txt cannot be read: {e}"));
            assert_eq!(text, format!("file {n}\n"), "out/{n}.txt");
        }
    }

    /// No temporary file is left in `.plinth/` (the local backend sweeps a dead process's on its
    /// next lock) or in `out/` (the local provider sweeps a directory's when it first reads or
    /// writes a file there).
    fn no_tmp_files(&self) {
        fn walk(dir: &Path, out: &mut Vec<String>) {
            for e in std::fs::read_dir(dir).into_iter().flatten().flatten() {
                let p = e.path();
                if p.is_dir() {
                    walk(&p, out);
                } else if p
                    .file_name()
                    .and_then(|n| n.to_str())
                    .is_some_and(|n| n.contains(".tmp"))
                {
                    out.push(p.display().to_string());
                }
            }
        }
        let mut left = Vec::new();
        walk(&self.dir.join(".plinth"), &mut left);
        walk(&self.dir.join("out"), &mut left);
        assert!(left.is_empty(), "temporary files left behind: {left:?}");
    }
}

fn signal(child: &Child, name: &str) {
    let status = Command::new("kill")
        .args([&format!("-{name}"), &child.id().to_string()])
        .status()
        .expect("run kill");
    assert!(status.success(), "kill -{name} failed");
}

fn crash_interrupt_converge(peer: Peer) {
    if peer.conn.is_some() {
        expect_code(&peer.run(&["init"]), 0);
    }

    // 1. SIGKILL after a few hundred files.
    let mut child = peer.start_apply();
    peer.wait_for_files(300, &mut child);
    child.kill().expect("SIGKILL");
    child.wait().expect("wait");
    let after_kill = peer.state_list();
    peer.check_state_matches_disk(&after_kill);
    assert!(after_kill.len() < FILES, "the kill came too late to test anything");

    // 2. SIGINT a few hundred files further: exit 130, what finished recorded. The apply takes
    // the lock, so a lock the kill had left would fail it here.
    let mut child = peer.start_apply();
    let further = peer.files() + 300;
    peer.wait_for_files(further.min(FILES - 1), &mut child);
    signal(&child, "INT");
    let status = child.wait().expect("wait");
    let err = peer.apply_err();
    assert_eq!(status.code(), Some(130), "{err}");
    assert!(err.contains("Apply interrupted!"), "{err}");
    let after_int = peer.state_list();
    peer.check_state_matches_disk(&after_int);
    assert!(
        after_int.len() > after_kill.len(),
        "the second apply recorded nothing: {} then {}",
        after_kill.len(),
        after_int.len()
    );
    assert!(after_int.len() < FILES, "the interrupt came too late to test anything");
    peer.no_tmp_files();

    // 3. One apply converges: exactly 20,000 files and state entries, a clean plan.
    let out = peer.run(&["apply", "-auto-approve", "--parallelism", "10"]);
    expect_code(&out, 0);
    assert!(
        stdout(&out).contains(&format!(
            "Resources: {} added, 0 changed, 0 destroyed.",
            FILES - after_int.len()
        )),
        "{}",
        stdout(&out)
    );
    let all = peer.state_list();
    assert_eq!(all.len(), FILES);
    peer.check_state_matches_disk(&all);
    assert_eq!(peer.files(), FILES);
    let plan = peer.run(&["plan", "-detailed-exitcode"]);
    expect_code(&plan, 0);
    assert!(stdout(&plan).contains("No changes."), "{}", stdout(&plan));
    peer.no_tmp_files();
}

#[test]
fn kill_then_interrupt_then_converge_on_the_local_backend() {
    crash_interrupt_converge(Peer::local());
}

#[test]
fn kill_then_interrupt_then_converge_on_the_postgres_backend() {
    crash_interrupt_converge(Peer::postgres());
}

/// 200 `local_value`s in a chain, the last one naming a file by its generated `id`. The process
/// aborts right after the file's create, before state records it (`PLINTH_FAULT_KILL_AFTER_CREATE`).
/// The values were journaled without waiting, but the file (an effect outside the state) started
/// only once all of them were durable: state holds every value, so the next apply plans the file
/// from the same `id` and rewrites the same file instead of leaving it behind beside a second one.
#[test]
fn a_kill_after_a_file_made_from_a_chain_of_values_keeps_the_chain() {
    const VALUES: usize = 200;
    let mut hcl = String::from("resource \"local_value\" \"v0\" {\n  input = \"x\"\n}\n");
    for i in 1..VALUES {
        hcl.push_str(&format!(
            "resource \"local_value\" \"v{i}\" {{\n  input = \"${{local_value.v{}.output}}x\"\n}}\n",
            i - 1
        ));
    }
    let last = VALUES - 1;
    hcl.push_str(&format!(
        "resource \"local_file\" \"f\" {{\n  path    = \"out/${{local_value.v{last}.id}}.txt\"\n  content = local_value.v{last}.output\n}}\n"
    ));
    let d = Dir::with(&hcl);
    let crashed = d.run_env(
        &["apply", "--auto-approve"],
        &[("PLINTH_FAULT_KILL_AFTER_CREATE", "local_file.f")],
    );
    assert!(
        stderr(&crashed).contains("aborting after the create of local_file.f"),
        "{:?}\n{}",
        crashed.status,
        stderr(&crashed)
    );
    let files = || -> Vec<String> {
        std::fs::read_dir(d.join("out"))
            .map(|r| {
                r.map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
                    .collect()
            })
            .unwrap_or_default()
    };
    let written = files();
    assert_eq!(written.len(), 1, "{written:?}");
    let listed = d.run(&["state", "list"]);
    expect_code(&listed, 0);
    let recorded: Vec<String> = stdout(&listed).lines().map(str::to_string).collect();
    assert_eq!(recorded.len(), VALUES, "{recorded:?}");
    assert!(recorded.iter().all(|a| a.starts_with("local_value.")), "{recorded:?}");

    let again = d.run(&["apply", "--auto-approve"]);
    expect_code(&again, 0);
    assert!(
        stdout(&again).contains("Resources: 1 added, 0 changed, 0 destroyed."),
        "{}",
        stdout(&again)
    );
    assert_eq!(files(), written, "the file is the same one, not a second one");
    expect_code(&d.run(&["plan", "--detailed-exitcode"]), 0);
}
