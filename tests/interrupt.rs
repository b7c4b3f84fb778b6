//! Ctrl-C and SIGTERM during `apply` and `destroy`, end to end through the binary: the first
//! signal lets the operations in flight finish and records them, starts nothing new, releases the
//! lock and exits 130 saying what finished; a second abandons what still runs and names it; the
//! next run converges. `time_sleep` makes each operation last long enough to be interrupted.

mod support;

use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use support::cli::{Dir, command, ok, stdout};

/// Six operations of four seconds at parallelism 2: two run at once.
const SLOW_CREATES: &str = r#"
resource "time_sleep" "wait" {
  count           = 6
  create_duration = "4s"
}
"#;

/// Starts `plinth ARGS` with its output captured, and waits until its apply is under way: the
/// journal exists (an apply opens it after planning, which takes milliseconds here), and 1.5 s
/// have passed, well inside the first operations' four seconds.
fn start(dir: &Path, args: &[&str]) -> Child {
    let child = command(dir, args)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("start plinth");
    let journal = dir.join(".plinth/env/default/journal.jsonl");
    let started = Instant::now();
    while !journal.exists() {
        assert!(started.elapsed() < Duration::from_secs(30), "the apply did not start");
        std::thread::sleep(Duration::from_millis(20));
    }
    std::thread::sleep(Duration::from_millis(1500).saturating_sub(started.elapsed()));
    child
}

fn signal(child: &Child, name: &str) {
    let status = Command::new("kill")
        .args([&format!("-{name}"), &child.id().to_string()])
        .status()
        .expect("run kill");
    assert!(status.success(), "kill -{name} failed");
}

fn state_list(dir: &Path) -> Vec<String> {
    stdout(&ok(support::cli::plinth(dir, &["state", "list"])))
        .lines()
        .map(str::to_string)
        .collect()
}

#[test]
fn ctrl_c_lets_the_operations_in_flight_finish_records_them_and_the_next_apply_converges() {
    let d = Dir::with(SLOW_CREATES);
    let child = start(d.path(), &["apply", "-auto-approve", "--parallelism", "2"]);
    signal(&child, "INT");
    let out = child.wait_with_output().expect("wait");
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(130), "{err}");
    assert!(err.contains("Interrupt received"), "{err}");
    assert!(
        err.contains("Apply interrupted! 2 of 6 changes finished and are recorded in state (2 added"),
        "{err}"
    );
    assert!(!err.contains("abandoned"), "{err}");
    // The two in flight finished and are in state; nothing else started.
    assert_eq!(state_list(d.path()).len(), 2);
    // No lock is left: the next apply runs at once and makes the other four.
    let again = ok(support::cli::plinth(
        d.path(),
        &["apply", "-auto-approve", "--parallelism", "6"],
    ));
    assert!(
        stdout(&again).contains("Resources: 4 added, 0 changed, 0 destroyed."),
        "{}",
        stdout(&again)
    );
    assert_eq!(state_list(d.path()).len(), 6);
    let plan = ok(support::cli::plinth(d.path(), &["plan"]));
    assert!(stdout(&plan).contains("No changes."), "{}", stdout(&plan));
}

#[test]
fn a_second_ctrl_c_abandons_the_operations_in_flight_and_names_them() {
    let d = Dir::with(SLOW_CREATES);
    let child = start(d.path(), &["apply", "-auto-approve", "--parallelism", "2"]);
    signal(&child, "INT");
    std::thread::sleep(Duration::from_millis(300));
    signal(&child, "INT");
    let out = child.wait_with_output().expect("wait");
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(130), "{err}");
    assert!(err.contains("Apply interrupted! 0 of 6 changes finished"), "{err}");
    let abandoned: Vec<&str> = err
        .lines()
        .skip_while(|l| !l.contains("abandoned while they ran"))
        .skip(1)
        .take_while(|l| l.starts_with("  - "))
        .collect();
    assert_eq!(abandoned.len(), 2, "{err}");
    assert!(abandoned.iter().all(|l| l.starts_with("  - time_sleep.wait[")), "{err}");
    assert!(state_list(d.path()).is_empty());
    ok(support::cli::plinth(
        d.path(),
        &["apply", "-auto-approve", "--parallelism", "6"],
    ));
    assert_eq!(state_list(d.path()).len(), 6);
}

#[test]
fn sigterm_stops_a_destroy_the_same_way() {
    let d = Dir::with(&SLOW_CREATES.replace("create_duration", "destroy_duration"));
    ok(support::cli::plinth(
        d.path(),
        &["apply", "-auto-approve", "--parallelism", "6"],
    ));
    assert_eq!(state_list(d.path()).len(), 6);
    let child = start(d.path(), &["destroy", "-auto-approve", "--parallelism", "2"]);
    signal(&child, "TERM");
    let out = child.wait_with_output().expect("wait");
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(130), "{err}");
    assert!(err.contains("Destroy interrupted! 2 of 6 changes finished"), "{err}");
    assert_eq!(state_list(d.path()).len(), 4);
    ok(support::cli::plinth(
        d.path(),
        &["destroy", "-auto-approve", "--parallelism", "6"],
    ));
    assert!(state_list(d.path()).is_empty());
}
