//! No duplicates after a crash between a create and its record in state (issue 17): the `plinth`
//! binary is made to abort right after a provider's create returns and before the state records
//! it (`PLINTH_FAULT_KILL_AFTER_CREATE`, see `docs/reliability.md`); the next apply must converge
//! with exactly one object, and a re-plan must be clean. Once with `local_file` (no peer), once
//! with `aws_instance` against moto, counting the emulator's instances by Plinth's bookkeeping tag
//! through boto3, never through Plinth.

mod support;

use std::os::unix::process::ExitStatusExt;
use std::process::Output;

use support::cli::{Dir, expect_code, stderr, stdout};

const KILL: &str = "PLINTH_FAULT_KILL_AFTER_CREATE";

/// Asserts that `o` is the process the fault hook aborted (SIGABRT), having said so.
#[track_caller]
fn aborted_after_create(o: &Output, address: &str) {
    assert_eq!(
        o.status.signal(),
        Some(6),
        "expected an abort, got {:?}\n{}\n{}",
        o.status,
        stdout(o),
        stderr(o)
    );
    assert!(
        stderr(o).contains(&format!("aborting after the create of {address}")),
        "{}",
        stderr(o)
    );
}

#[test]
fn a_crash_after_a_local_create_converges_on_the_next_apply() {
    let d = Dir::with(
        r#"
resource "local_file" "a" {
  path     = "out/a.txt"
  content  = "one"
}

resource "local_file" "b" {
  path     = "out/b.txt"
  content  = "${local_file.a.content} and two"
}
"#,
    );
    let crashed = d.run_env(&["apply", "--auto-approve"], &[(KILL, "local_file.b")]);
    aborted_after_create(&crashed, "local_file.b");
    // b is on disk, and state does not know of it; a, finished before, is recorded.
    assert_eq!(d.read("out/b.txt"), "one and two");
    let listed = d.run(&["state", "list"]);
    expect_code(&listed, 0);
    assert_eq!(stdout(&listed).trim(), "local_file.a", "{}", stderr(&listed));
    // No unlock needed; the next apply converges, and makes b only once.
    let again = d.run(&["apply", "--auto-approve"]);
    expect_code(&again, 0);
    assert!(stdout(&again).contains("1 added"), "{}", stdout(&again));
    let listed = d.run(&["state", "list"]);
    assert_eq!(stdout(&listed).trim(), "local_file.a\nlocal_file.b");
    let mut files: Vec<String> = std::fs::read_dir(d.join("out"))
        .expect("out/")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .collect();
    files.sort();
    assert_eq!(files, ["a.txt", "b.txt"]);
    expect_code(&d.run(&["plan", "--detailed-exitcode"]), 0);
}

#[test]
fn the_fault_hook_is_inert_for_another_address() {
    let d = Dir::with(
        r#"
resource "local_file" "a" {
  path     = "a.txt"
  content  = "one"
}
"#,
    );
    let o = d.run_env(&["apply", "--auto-approve"], &[(KILL, "local_file.elsewhere")]);
    expect_code(&o, 0);
    expect_code(&d.run(&["plan", "--detailed-exitcode"]), 0);
}

#[cfg(feature = "aws")]
mod aws {
    use support::moto::{boto3, moto, output_text, run_plinth};

    use super::*;

    /// The ids of the live (pending or running) instances moto holds for `address`, by the
    /// bookkeeping tag Plinth sets, and the tags of the first, as boto3 sees them.
    fn live_instances(endpoint: &str, address: &str) -> Vec<String> {
        let out = boto3(
            endpoint,
            &["ec2"],
            &format!(
                "r = ec2.describe_instances(Filters=[{{'Name': 'tag:plinth:address', 'Values': [{address:?}]}}, \
                 {{'Name': 'instance-state-name', 'Values': ['pending', 'running']}}])\n\
                 out(sorted(i['InstanceId'] for res in r['Reservations'] for i in res['Instances']))"
            ),
        );
        serde_json::from_str(&out).expect("a JSON list of ids")
    }

    fn state_id(dir: &std::path::Path, endpoint: &str, address: &str) -> String {
        let o = run_plinth(dir, endpoint, &["state", "show", address], &[]);
        assert!(o.status.success(), "{}", output_text(&o));
        let text = String::from_utf8_lossy(&o.stdout).into_owned();
        text.lines()
            .find_map(|l| {
                let l = l.trim();
                l.strip_prefix("id")
                    .map(|r| r.trim_start())
                    .and_then(|r| r.strip_prefix('='))
                    .map(|r| r.trim().trim_matches('"').to_string())
            })
            .unwrap_or_else(|| panic!("no id in\n{text}"))
    }

    const CONFIG: &str = r#"
resource "aws_instance" "web" {
  ami           = "ami-12c6146b"
  instance_type = "t3.micro"
  tags          = { Name = "web" }

  lifecycle {
    create_before_destroy = true
  }
}
"#;

    #[test]
    fn a_crash_after_run_instances_leaves_exactly_one_instance() {
        let m = moto();
        let d = Dir::with(CONFIG);
        let root = d.path();
        let address = "aws_instance.web";
        let crashed = run_plinth(root, &m.1, &["apply", "--auto-approve"], &[(KILL, address)]);
        aborted_after_create(&crashed, address);
        let made = live_instances(&m.1, address);
        assert_eq!(made.len(), 1, "the crashed apply launched one instance: {made:?}");
        let listed = run_plinth(root, &m.1, &["state", "list"], &[]);
        assert!(listed.status.success(), "{}", output_text(&listed));
        assert_eq!(
            String::from_utf8_lossy(&listed.stdout).trim(),
            "",
            "state does not know it"
        );

        // The next apply adopts the instance instead of launching another.
        let again = run_plinth(root, &m.1, &["apply", "--auto-approve"], &[]);
        assert!(again.status.success(), "{}", output_text(&again));
        assert_eq!(live_instances(&m.1, address), made, "no duplicate");
        assert_eq!(state_id(root, &m.1, address), made[0]);
        // The bookkeeping tags are on the instance, and nowhere in tags or tags_all.
        let tags = boto3(
            &m.1,
            &["ec2"],
            &format!(
                "r = ec2.describe_tags(Filters=[{{'Name': 'resource-id', 'Values': [{:?}]}}])\n\
                 out(sorted(t['Key'] for t in r['Tags']))",
                made[0]
            ),
        );
        assert_eq!(tags, r#"["Name", "plinth:address", "plinth:lineage"]"#);
        let shown = run_plinth(root, &m.1, &["state", "show", address], &[]);
        assert!(
            !String::from_utf8_lossy(&shown.stdout).contains("plinth:"),
            "{}",
            output_text(&shown)
        );
        let plan = run_plinth(root, &m.1, &["plan", "--detailed-exitcode"], &[]);
        assert_eq!(plan.status.code(), Some(0), "re-plan is clean\n{}", output_text(&plan));

        // A replacement under create_before_destroy, with the same values: the old instance
        // carries the same tags and is still running while the new one is made, and is not
        // taken for it.
        let tainted = run_plinth(root, &m.1, &["taint", address], &[]);
        assert!(tainted.status.success(), "{}", output_text(&tainted));
        let replaced = run_plinth(root, &m.1, &["apply", "--auto-approve"], &[]);
        assert!(replaced.status.success(), "{}", output_text(&replaced));
        let now = live_instances(&m.1, address);
        assert_eq!(now.len(), 1, "{now:?}");
        assert_ne!(now, made, "a new instance replaced the old one");
        assert_eq!(state_id(root, &m.1, address), now[0]);

        // The same replacement killed right after its RunInstances: the next apply adopts the
        // new instance (not the old one, still in state as deposed) and deletes the old one.
        let tainted = run_plinth(root, &m.1, &["taint", address], &[]);
        assert!(tainted.status.success(), "{}", output_text(&tainted));
        let crashed = run_plinth(root, &m.1, &["apply", "--auto-approve"], &[(KILL, address)]);
        aborted_after_create(&crashed, address);
        let both = live_instances(&m.1, address);
        assert_eq!(both.len(), 2, "old and new: {both:?}");
        let again = run_plinth(root, &m.1, &["apply", "--auto-approve"], &[]);
        assert!(again.status.success(), "{}", output_text(&again));
        let last = live_instances(&m.1, address);
        assert_eq!(last.len(), 1, "{last:?}");
        assert!(
            both.contains(&last[0]) && last != now,
            "the crashed run's instance was adopted: {both:?} -> {last:?}"
        );
        assert_eq!(state_id(root, &m.1, address), last[0]);
        let plan = run_plinth(root, &m.1, &["plan", "--detailed-exitcode"], &[]);
        assert_eq!(plan.status.code(), Some(0), "re-plan is clean\n{}", output_text(&plan));

        let destroyed = run_plinth(root, &m.1, &["destroy", "--auto-approve"], &[]);
        assert!(destroyed.status.success(), "{}", output_text(&destroyed));
        assert!(live_instances(&m.1, address).is_empty());
    }
}
