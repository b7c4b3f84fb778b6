//! End-to-end tests of the `plinth` binary: each runs the real command in a temporary directory
//! with the local provider and checks exit codes, output and the files on disk.

mod support;

use std::io::Read as _;
use std::process::{Child, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use support::cli::{Dir, command, expect_code, ok, plinth, plinth_env, stdout};

// ---------------------------------------------------------------------------------------------
// Helpers

/// Asserts a clean user error: exit 1, no panic, no Rust debug output.
#[track_caller]
fn user_error(o: &std::process::Output) -> String {
    let err = support::cli::user_error(o);
    assert!(!err.contains("RUST_BACKTRACE"), "panic:\n{err}");
    err
}

impl Dir {
    /// `plinth state list`, one address a line.
    fn state_list(&self) -> Vec<String> {
        let o = ok(self.run(&["state", "list"]));
        stdout(&o).lines().map(str::to_string).collect()
    }
}

// ---------------------------------------------------------------------------------------------
// The main workflow

const WORKFLOW: &str = r#"
variable "greeting" {
  type    = string
  default = "hello"
}

variable "token" {
  type      = string
  sensitive = true
  default   = "t0k3n-do-not-show"
}

resource "local_file" "greeting" {
  path    = "out/greeting.txt"
  content = "${var.greeting}, world\n"
}

resource "local_value" "meta" {
  input = { file = local_file.greeting.path, words = 2 }
}

output "path" {
  value = local_file.greeting.path
}

output "meta" {
  value = local_value.meta.output
}

output "token" {
  value     = var.token
  sensitive = true
}
"#;

#[test]
fn init_plan_apply_change_destroy() {
    let d = Dir::with(WORKFLOW);

    let o = ok(d.run(&["init"]));
    assert!(stdout(&o).contains("local"), "{}", stdout(&o));
    assert!(d.exists(".plinth"));

    let o = ok(d.run(&["plan"]));
    let out = stdout(&o);
    assert!(out.contains("# local_file.greeting will be created"), "{out}");
    assert!(out.contains("Plan: 2 to add, 0 to change, 0 to destroy."), "{out}");
    assert!(out.contains("token = (sensitive)"), "{out}");
    assert!(!d.exists("out/greeting.txt"), "plan must not create anything");

    let o = ok(d.run(&["apply", "--auto-approve"]));
    let out = stdout(&o);
    assert!(
        out.contains("Apply complete! Resources: 2 added, 0 changed, 0 destroyed."),
        "{out}"
    );
    assert!(out.contains("token = <sensitive>"), "{out}");
    assert_eq!(d.read("out/greeting.txt"), "hello, world\n");

    let o = ok(d.run(&["plan", "--detailed-exitcode"]));
    assert!(stdout(&o).contains("No changes."), "{}", stdout(&o));

    let o = ok(d.run(&["output", "--json"]));
    let json: serde_json::Value = serde_json::from_slice(&o.stdout).expect("output --json is JSON");
    assert_eq!(
        json,
        serde_json::json!({
            "meta": {
                "value": { "file": "out/greeting.txt", "words": 2 },
                "type": "object",
                "sensitive": false
            },
            "path": { "value": "out/greeting.txt", "type": "string", "sensitive": false },
            "token": { "value": null, "type": "string", "sensitive": true }
        })
    );

    let o = ok(d.run(&["output"]));
    let out = stdout(&o);
    assert!(out.contains("token = <sensitive>"), "{out}");
    assert!(out.contains(r#"path = "out/greeting.txt""#), "{out}");
    let o = ok(d.run(&["output", "--raw", "path"]));
    assert_eq!(stdout(&o), "out/greeting.txt\n");

    // Change a variable: the plan says so with exit 2 and shows the content change.
    let o = d.run(&["plan", "--detailed-exitcode", "--var", "greeting=hi"]);
    expect_code(&o, 2);
    let out = stdout(&o);
    assert!(out.contains("# local_file.greeting will be updated in place"), "{out}");
    assert!(
        out.contains("- hello, world\n") && out.contains("+ hi, world\n"),
        "{out}"
    );
    assert_eq!(d.read("out/greeting.txt"), "hello, world\n", "plan must not write");

    let o = ok(d.run(&["apply", "--auto-approve", "--var", "greeting=hi"]));
    assert!(stdout(&o).contains("1 changed"), "{}", stdout(&o));
    assert_eq!(d.read("out/greeting.txt"), "hi, world\n");
    ok(d.run(&["plan", "--detailed-exitcode", "--var", "greeting=hi"]));

    // The secret never reached the terminal or the state.
    let state = d.read(".plinth/env/default/state.json");
    assert!(!state.contains("t0k3n"), "secret in state: {state}");

    let o = ok(d.run(&["destroy", "--auto-approve"]));
    assert!(
        stdout(&o).contains("Destroy complete! Resources: 2 destroyed."),
        "{}",
        stdout(&o)
    );
    assert!(!d.exists("out/greeting.txt"), "destroy removes the file");
    assert!(d.state_list().is_empty());
    let o = ok(d.run(&["output", "--json"]));
    let json: serde_json::Value = serde_json::from_slice(&o.stdout).expect("JSON");
    assert_eq!(json, serde_json::json!({}));
    // After a destroy, a plan wants to create everything again.
    expect_code(&d.run(&["plan", "--detailed-exitcode"]), 2);
}

#[test]
fn apply_without_approval_changes_nothing() {
    let d = Dir::with(WORKFLOW);
    let mut child = command(d.path(), &["apply"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn");
    {
        use std::io::Write as _;
        let mut stdin = child.stdin.take().expect("stdin");
        stdin.write_all(b"no\n").expect("answer");
    }
    let o = child.wait_with_output().expect("wait");
    let err = user_error(&o);
    assert!(err.contains("Apply cancelled"), "{err}");
    assert!(!d.exists("out/greeting.txt"));
    assert!(d.state_list().is_empty());
}

#[test]
fn destroy_after_emptying_the_configuration() {
    let d = Dir::with(
        r#"resource "local_file" "f" {
  path    = "a.txt"
  content = "x"
}
"#,
    );
    ok(d.run(&["apply", "--auto-approve"]));
    assert!(d.exists("a.txt"));
    d.write("main.hcl", "# everything removed\n");
    ok(d.run(&["destroy", "--auto-approve"]));
    assert!(!d.exists("a.txt"));
    assert!(d.state_list().is_empty());
}

// ---------------------------------------------------------------------------------------------
// Errors on user input: exit 1, `file:line:col: error:`, no panic

#[test]
fn syntax_error_points_at_the_spot() {
    let d = Dir::with("resource \"local_value\" \"a\" {\n  input = \n}\n");
    let err = user_error(&d.run(&["plan"]));
    assert!(err.starts_with("main.hcl:2:11: error: Invalid syntax"), "{err}");
    let err = user_error(&d.run(&["validate"]));
    assert!(err.starts_with("main.hcl:2:11: error:"), "{err}");
}

#[test]
fn undefined_variable_reference() {
    let d = Dir::with("resource \"local_value\" \"a\" {\n  input = var.nope\n}\n");
    let err = user_error(&d.run(&["plan"]));
    assert!(
        err.starts_with(r#"main.hcl:2:11: error: Reference to undeclared input variable "nope""#),
        "{err}"
    );
    // A caret under the reference.
    assert!(err.contains("  |           ^^^^^^^^"), "{err}");
}

#[test]
fn cycle_between_two_values_names_the_loop() {
    let d = Dir::with(
        r#"resource "local_value" "alpha" {
  input = local_value.beta.output
}

resource "local_value" "beta" {
  input = local_value.alpha.output
}
"#,
    );
    let err = user_error(&d.run(&["plan"]));
    assert!(err.starts_with("main.hcl:1:1: error: Cycle"), "{err}");
    assert!(
        err.contains("local_value.alpha -> local_value.beta -> local_value.alpha"),
        "{err}"
    );
    let err = user_error(&d.run(&["validate"]));
    assert!(
        err.contains("local_value.alpha -> local_value.beta -> local_value.alpha"),
        "{err}"
    );
}

#[test]
fn variable_value_of_the_wrong_type() {
    let d = Dir::with(
        r#"variable "n" {
  type = number
}

resource "local_value" "a" {
  input = var.n
}
"#,
    );
    let err = user_error(&d.run(&["plan", "--var", "n=abc"]));
    assert!(
        err.starts_with(r#"main.hcl:1:1: error: Invalid value for variable "n""#),
        "{err}"
    );
    assert!(err.contains("number"), "{err}");
    ok(d.run(&["plan", "--var", "n=3"]));
}

#[test]
fn variable_default_of_the_wrong_type() {
    let d = Dir::with(
        r#"variable "n" {
  type    = number
  default = "abc"
}
"#,
    );
    let err = user_error(&d.run(&["plan"]));
    assert!(
        err.starts_with(r#"main.hcl:1:1: error: Invalid value for variable "n""#),
        "{err}"
    );
}

#[test]
fn unsupported_argument_in_a_resource() {
    let d = Dir::with(
        r#"resource "local_value" "a" {
  input = 1
  bogus = 2
}
"#,
    );
    let err = user_error(&d.run(&["plan"]));
    assert!(
        err.starts_with(r#"main.hcl:3:3: error: Unsupported argument "bogus""#),
        "{err}"
    );
}

#[test]
fn missing_required_argument() {
    let d = Dir::with(
        r#"resource "local_file" "a" {
  content = "x"
}
"#,
    );
    let err = user_error(&d.run(&["plan"]));
    assert!(
        err.starts_with(r#"main.hcl:1:1: error: Missing required argument "path""#),
        "{err}"
    );
}

#[test]
fn two_errors_in_one_file_are_both_reported() {
    let d = Dir::with(
        r#"resource "local_value" "a" {
  input = var.first
}

resource "local_value" "b" {
  input   = 1
  unknown = true
}
"#,
    );
    let err = user_error(&d.run(&["plan"]));
    assert!(
        err.contains(r#"main.hcl:2:11: error: Reference to undeclared input variable "first""#),
        "{err}"
    );
    assert!(
        err.contains(r#"main.hcl:7:3: error: Unsupported argument "unknown""#),
        "{err}"
    );
    let err = user_error(&d.run(&["validate"]));
    assert_eq!(err.matches(": error: ").count(), 2, "{err}");
}

#[test]
fn missing_directory_is_an_error_not_a_panic() {
    let d = Dir::new();
    let err = user_error(&d.run(&["-C", "does-not-exist", "plan"]));
    assert!(err.contains("does-not-exist"), "{err}");
}

#[test]
fn validate_runs_provider_validation() {
    let d = Dir::with(
        r#"resource "local_file" "a" {
  path            = "a.txt"
  content         = "x"
  file_permission = "abc"
}
"#,
    );
    let err = user_error(&d.run(&["validate"]));
    assert!(err.starts_with("main.hcl:"), "{err}");
    assert!(err.contains("permission"), "{err}");
}

// ---------------------------------------------------------------------------------------------
// graph, validate, fmt

#[test]
fn graph_prints_dot_with_an_edge_between_dependent_resources() {
    let d = Dir::with(
        r#"resource "local_value" "a" {
  input = "x"
}

resource "local_value" "b" {
  input = local_value.a.output
}
"#,
    );
    let o = ok(d.run(&["graph"]));
    let out = stdout(&o);
    assert!(out.starts_with("digraph"), "{out}");
    assert!(out.contains(r#""local_value.b" -> "local_value.a""#), "{out}");
    assert!(!out.contains(r#""local_value.a" -> "local_value.b""#), "{out}");
}

#[test]
fn validate_accepts_a_good_configuration_without_touching_anything() {
    let d = Dir::with(WORKFLOW);
    let o = ok(d.run(&["validate"]));
    assert!(stdout(&o).contains("Success!"), "{}", stdout(&o));
    assert!(!d.exists("out"));
    assert!(!d.exists(".plinth/env"), "validate must not create state");
}

const MESSY: &str = "resource \"local_value\" \"a\" {\ninput=\"x\"\n      }\n";

#[test]
fn fmt_check_fails_on_a_messy_file_and_fmt_fixes_it() {
    let d = Dir::with(MESSY);
    let o = d.run(&["fmt", "--check"]);
    expect_code(&o, 1);
    assert!(stdout(&o).contains("main.hcl"), "{}", stdout(&o));
    assert_eq!(d.read("main.hcl"), MESSY, "--check changes nothing");
    ok(d.run(&["fmt"]));
    assert_eq!(
        d.read("main.hcl"),
        "resource \"local_value\" \"a\" {\n  input = \"x\"\n}\n"
    );
    ok(d.run(&["fmt", "--check"]));
}

#[test]
fn fmt_check_passes_a_formatted_file_and_reports_syntax_errors() {
    let d = Dir::with("resource \"local_value\" \"a\" {\n  input = \"x\"\n}\n");
    ok(d.run(&["fmt", "--check"]));
    d.write("bad.hcl", "resource \"local_value\" \"b\" {\n  input = \n}\n");
    let err = user_error(&d.run(&["fmt", "--check"]));
    assert!(err.starts_with("bad.hcl:2:"), "{err}");
}

/// A file that is not UTF-8 is named at its first bad byte and left alone while the others are
/// formatted; a byte order mark is kept, and the configuration it opens still loads.
#[test]
fn fmt_names_the_first_byte_that_is_not_utf8_and_keeps_a_byte_order_mark() {
    let d = Dir::with("\u{feff}resource \"local_value\" \"a\" {\ninput=\"x\"\n}\n");
    let bad: &[u8] = b"locals {\n  \xc3\xa9 = \"\xff\"\n}\n";
    std::fs::write(d.join("bad.hcl"), bad).expect("write bad.hcl");
    let err = user_error(&d.run(&["fmt"]));
    assert!(
        err.starts_with("bad.hcl:2:8: error: The file is not valid UTF-8"),
        "{err}"
    );
    assert_eq!(std::fs::read(d.join("bad.hcl")).expect("read bad.hcl"), bad);
    assert_eq!(
        d.read("main.hcl"),
        "\u{feff}resource \"local_value\" \"a\" {\n  input = \"x\"\n}\n"
    );
    std::fs::remove_file(d.join("bad.hcl")).expect("rm bad.hcl");
    ok(d.run(&["fmt", "--check"]));
    ok(d.run(&["validate"]));
}

// ---------------------------------------------------------------------------------------------
// state list/show/rm/mv/pull/push

#[test]
fn state_subcommands() {
    let d = Dir::with(
        r#"resource "local_value" "a" {
  input = "x"
}

resource "local_value" "b" {
  count = 2
  input = "b${count.index}"
}
"#,
    );
    ok(d.run(&["apply", "--auto-approve"]));
    assert_eq!(
        d.state_list(),
        ["local_value.a", "local_value.b[0]", "local_value.b[1]"]
    );
    let o = ok(d.run(&["state", "list", "local_value.b"]));
    assert_eq!(stdout(&o), "local_value.b[0]\nlocal_value.b[1]\n");

    let o = ok(d.run(&["state", "show", "local_value.b[1]"]));
    let out = stdout(&o);
    assert!(out.contains(r#"resource "local_value" "b""#), "{out}");
    assert!(out.contains(r#"input            = "b1""#), "{out}");
    let err = user_error(&d.run(&["state", "show", "local_value.nope"]));
    assert!(err.contains("local_value.nope"), "{err}");

    // pull: the whole state as JSON.
    let o = ok(d.run(&["state", "pull"]));
    let pulled = stdout(&o);
    let json: serde_json::Value = serde_json::from_str(&pulled).expect("pull prints JSON");
    assert!(json["resources"]["local_value.a"].is_object(), "{pulled}");
    let serial = json["serial"].as_u64().expect("serial");

    // mv: the new address, and a plan that sees nothing to do once the config follows.
    ok(d.run(&["state", "mv", "local_value.a", "local_value.c"]));
    assert_eq!(
        d.state_list(),
        ["local_value.b[0]", "local_value.b[1]", "local_value.c"]
    );
    d.write("main.hcl", &d.read("main.hcl").replace(r#""a""#, r#""c""#));
    let o = ok(d.run(&["plan", "--detailed-exitcode"]));
    assert!(stdout(&o).contains("No changes."), "{}", stdout(&o));

    // rm: forgotten by the state (the next plan creates it again).
    let o = ok(d.run(&["state", "rm", "local_value.b[1]"]));
    assert!(stdout(&o).contains("Removed local_value.b[1]"), "{}", stdout(&o));
    assert_eq!(d.state_list(), ["local_value.b[0]", "local_value.c"]);
    let o = d.run(&["plan", "--detailed-exitcode"]);
    expect_code(&o, 2);
    assert!(
        stdout(&o).contains("# local_value.b[1] will be created"),
        "{}",
        stdout(&o)
    );

    // push: an older serial is refused without --force, accepted with it.
    let file = d.join("pulled.json");
    std::fs::write(&file, &pulled).expect("write pulled state");
    let err = user_error(&d.run(&["state", "push", "pulled.json"]));
    assert!(err.contains("--force"), "{err}");
    assert_eq!(d.state_list(), ["local_value.b[0]", "local_value.c"]);
    ok(d.run(&["state", "push", "--force", "pulled.json"]));
    assert_eq!(
        d.state_list(),
        ["local_value.a", "local_value.b[0]", "local_value.b[1]"]
    );
    let o = ok(d.run(&["state", "pull"]));
    let json: serde_json::Value = serde_json::from_str(&stdout(&o)).expect("JSON");
    assert!(json["serial"].as_u64().expect("serial") > serial);

    // push from standard input, with a matching lineage and a newer serial.
    let mut newer = json.clone();
    newer["serial"] = serde_json::json!(json["serial"].as_u64().expect("serial") + 10);
    if let Some(r) = newer["resources"].as_object_mut() {
        r.remove("local_value.a");
    }
    let mut child = command(d.path(), &["state", "push", "-"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn");
    {
        use std::io::Write as _;
        let mut stdin = child.stdin.take().expect("stdin");
        stdin.write_all(newer.to_string().as_bytes()).expect("write");
    }
    ok(child.wait_with_output().expect("wait"));
    assert_eq!(d.state_list(), ["local_value.b[0]", "local_value.b[1]"]);
}

// ---------------------------------------------------------------------------------------------
// Variables

#[test]
fn variable_precedence() {
    let d = Dir::with(
        r#"variable "x" {
  type    = string
  default = "from-default"
}

output "x" {
  value = var.x
}
"#,
    );
    let shown = |args: &[&str], env: &[(&str, &str)]| -> String {
        let mut all = vec!["plan"];
        all.extend_from_slice(args);
        let o = plinth_env(d.path(), &all, env);
        expect_code(&o, 0);
        let out = stdout(&o);
        out.lines()
            .find_map(|l| l.trim().strip_prefix("+ x = "))
            .unwrap_or_else(|| panic!("no output line in {out}"))
            .trim_matches('"')
            .to_string()
    };
    let env = [("PLINTH_VAR_x", "from-env")];
    assert_eq!(shown(&[], &[]), "from-default");
    assert_eq!(shown(&[], &env), "from-env");
    d.write("a.auto.vars.hcl", "x = \"from-auto\"\n");
    assert_eq!(shown(&[], &env), "from-auto");
    d.write("file.vars.hcl", "x = \"from-file\"\n");
    assert_eq!(shown(&["--var-file", "file.vars.hcl"], &env), "from-file");
    assert_eq!(
        shown(&["--var-file", "file.vars.hcl", "--var", "x=from-var"], &env),
        "from-var"
    );
    // Command-line order decides between --var and --var-file.
    assert_eq!(
        shown(&["--var", "x=from-var", "--var-file", "file.vars.hcl"], &env),
        "from-file"
    );
    assert_eq!(
        shown(&["--var=x=from-var", "--var-file=file.vars.hcl"], &env),
        "from-file"
    );
    assert_eq!(shown(&["--var", "x=one", "--var", "x=two"], &env), "two");
    // *.vars.hcl files that are not auto are not loaded by themselves, nor taken for config.
    assert_eq!(shown(&[], &[]), "from-auto");
}

#[test]
fn var_file_is_relative_to_the_chdir_directory() {
    let d = Dir::with(
        r#"variable "x" {
  type = string
}

output "x" {
  value = var.x
}
"#,
    );
    d.write("file.vars.hcl", "x = \"from-file\"\n");
    let parent = d.path().parent().expect("parent");
    let name = d.path().file_name().and_then(|n| n.to_str()).expect("name");
    let o = plinth(parent, &["-C", name, "plan", "--var-file", "file.vars.hcl"]);
    expect_code(&o, 0);
    assert!(stdout(&o).contains(r#"+ x = "from-file""#), "{}", stdout(&o));
}

// ---------------------------------------------------------------------------------------------
// The state lock

/// Collects a child's stderr in the background.
fn capture_stderr(child: &mut Child) -> Arc<Mutex<String>> {
    let buf = Arc::new(Mutex::new(String::new()));
    let mut pipe = child.stderr.take().expect("stderr piped");
    let sink = buf.clone();
    std::thread::spawn(move || {
        let mut chunk = [0u8; 4096];
        while let Ok(n) = pipe.read(&mut chunk) {
            if n == 0 {
                break;
            }
            if let Ok(mut s) = sink.lock() {
                s.push_str(&String::from_utf8_lossy(&chunk[..n]));
            }
        }
    });
    buf
}

/// Polls `cond` every 10 ms for up to `secs` seconds.
fn wait_for(secs: u64, mut cond: impl FnMut() -> bool) -> bool {
    let end = Instant::now() + Duration::from_secs(secs);
    while Instant::now() < end {
        if cond() {
            return true;
        }
        std::thread::sleep(Duration::from_millis(10));
    }
    cond()
}

#[test]
fn a_held_lock_stops_a_second_writer_and_dies_with_its_holder() {
    let d = Dir::with(WORKFLOW);
    let mut first = command(d.path(), &["apply"])
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn apply");
    let err = capture_stderr(&mut first);
    let prompted = wait_for(60, || err.lock().map(|s| s.contains("Enter a value")).unwrap_or(false));
    if !prompted {
        let _ = first.kill();
        panic!(
            "apply never asked for confirmation: {}",
            err.lock().map(|s| s.clone()).unwrap_or_default()
        );
    }

    // A plan reads the state without the lock (docs/cli.md), so it runs beside the apply.
    let o = ok(d.run(&["plan"]));
    assert!(stdout(&o).contains("Plan: 2 to add"), "{}", stdout(&o));
    // Commands that write the state wait their turn.
    let msg = user_error(&d.run(&["state", "rm", "local_file.greeting"]));
    assert!(msg.contains("locked"), "{msg}");
    let msg = user_error(&d.run(&["apply", "--auto-approve"]));
    assert!(msg.contains("locked"), "{msg}");

    first.kill().expect("kill -9 the holder");
    first.wait().expect("reap");
    assert!(!d.exists("out/greeting.txt"), "the unanswered apply changed nothing");

    let o = ok(d.run(&["plan"]));
    assert!(stdout(&o).contains("Plan: 2 to add"), "{}", stdout(&o));
}

// ---------------------------------------------------------------------------------------------
// Crash safety

#[test]
fn kill_9_during_apply_loses_no_finished_change() {
    const N: usize = 200;
    let d = Dir::with(&format!(
        r#"resource "local_file" "f" {{
  count   = {N}
  path    = "out/f-${{count.index}}.txt"
  content = "file ${{count.index}}\n"
}}
"#
    ));
    // The managed files; a kill -9 in the middle of an atomic write may also leave a
    // `.plinth-*.tmp` file, which is not one of them.
    let names = || -> Vec<String> {
        std::fs::read_dir(d.join("out"))
            .map(|r| r.filter_map(|e| e.ok()?.file_name().into_string().ok()).collect())
            .unwrap_or_default()
    };
    let count_files = || {
        names()
            .iter()
            .filter(|n| n.starts_with("f-") && n.ends_with(".txt"))
            .count()
    };
    let mut child = command(d.path(), &["apply", "--auto-approve", "--parallelism", "4"])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("spawn apply");
    // Kill it as soon as some files exist.
    let started = Instant::now();
    while count_files() < 20 && started.elapsed() < Duration::from_secs(60) {
        std::thread::sleep(Duration::from_micros(200));
    }
    child.kill().expect("kill -9");
    let status = child.wait().expect("reap");
    let at_kill = count_files();
    assert!(at_kill > 0, "apply created nothing in 60 s");
    eprintln!("killed ({status:?}) with {at_kill} of {N} files written");

    // Whatever was recorded, the next plan works and the apply converges.
    let recorded = d.state_list();
    eprintln!("{} of {N} recorded in state", recorded.len());
    // Every recorded change really happened.
    for a in &recorded {
        let i: usize = a
            .strip_prefix("local_file.f[")
            .and_then(|r| r.strip_suffix(']'))
            .and_then(|n| n.parse().ok())
            .unwrap_or_else(|| panic!("unexpected address {a}"));
        assert_eq!(d.read(&format!("out/f-{i}.txt")), format!("file {i}\n"));
    }
    let o = ok(d.run(&["plan"]));
    let out = stdout(&o);
    let to_add = N - recorded.len();
    if to_add > 0 {
        assert!(
            out.contains(&format!("Plan: {to_add} to add, 0 to change, 0 to destroy.")),
            "{out}"
        );
    }
    ok(d.run(&["apply", "--auto-approve", "--parallelism", "4"]));
    assert_eq!(count_files(), N);
    let strays: Vec<String> = names()
        .into_iter()
        .filter(|n| !(n.starts_with("f-") && n.ends_with(".txt")))
        .collect();
    assert!(
        strays.iter().all(|n| n.starts_with(".plinth-") && n.ends_with(".tmp")),
        "unexpected files: {strays:?}"
    );
    for i in [0, N / 2, N - 1] {
        assert_eq!(d.read(&format!("out/f-{i}.txt")), format!("file {i}\n"));
    }
    let list = d.state_list();
    assert_eq!(list.len(), N, "each address once: {list:?}");
    let mut unique = list.clone();
    unique.sort();
    unique.dedup();
    assert_eq!(unique.len(), N, "no address twice");
    let o = ok(d.run(&["plan", "--detailed-exitcode"]));
    assert!(stdout(&o).contains("No changes."), "{}", stdout(&o));
}

// ---------------------------------------------------------------------------------------------
// examples/quickstart

#[test]
fn quickstart_example_applies_plans_clean_and_destroys() {
    // The quickstart uses modules/ml-platform/local by path: copy both, as laid out in the repository.
    let root = Dir::new();
    support::cli::copy_repo_layout(root.path(), &["quickstart"]);
    let dir = root.join("examples/quickstart");
    let run = |args: &[&str]| plinth(&dir, args);
    let read = |p: &str| std::fs::read_to_string(dir.join(p)).unwrap_or_else(|e| panic!("read {p}: {e}"));
    ok(run(&["init"]));
    let o = ok(run(&["apply", "--auto-approve"]));
    assert!(
        stdout(&o).contains("Apply complete! Resources: 6 added"),
        "{}",
        stdout(&o)
    );

    // The feature table lives in a SQLite database: its schema is stored as SQL text in the file.
    let db = std::fs::read(dir.join("sandbox/default/features.db")).expect("features.db exists");
    assert!(db.starts_with(b"SQLite format 3\0"));
    let ddl = br#"CREATE TABLE "churn_features_default""#;
    assert!(
        db.windows(ddl.len()).any(|w| w == ddl),
        "no churn_features_default table"
    );

    let index: serde_json::Value =
        serde_json::from_str(&read("sandbox/default/registry/churn-models/index.json")).expect("index.json is JSON");
    assert_eq!(index["name"], "churn-models-default");
    let pipeline = read("sandbox/default/pipelines/churn-train.yaml");
    assert!(pipeline.contains("churn-train-default"), "{pipeline}");
    assert!(pipeline.contains("\"metric\": \"auc\""), "the gate: {pipeline}");
    let monitor: serde_json::Value =
        serde_json::from_str(&read("sandbox/default/monitors/churn-drift.json")).expect("churn-drift.json is JSON");
    assert_eq!(
        monitor["thresholds"],
        serde_json::json!({ "psi": 0.2, "ks_p_value": 0.05 })
    );
    assert_eq!(
        monitor["on_drift"]["trigger"],
        "sandbox/default/pipelines/churn-train.yaml"
    );

    let o = ok(run(&["output", "--json"]));
    let json: serde_json::Value = serde_json::from_slice(&o.stdout).expect("JSON");
    assert_eq!(
        json["feature_table"]["value"],
        "sandbox/default/features.db#churn_features_default"
    );

    let o = ok(run(&["plan", "--detailed-exitcode"]));
    assert!(stdout(&o).contains("No changes."), "{}", stdout(&o));
    // The shipped samples do not drift.
    ok(run(&["drift"]));

    let o = ok(run(&["destroy", "--auto-approve"]));
    assert!(stdout(&o).contains("6 destroyed"), "{}", stdout(&o));
    for spec in [
        "registry/churn-models/index.json",
        "pipelines/churn-train.yaml",
        "monitors/churn-drift.json",
    ] {
        assert!(!dir.join("sandbox/default").join(spec).exists(), "{spec} is left");
    }
    assert!(stdout(&ok(run(&["state", "list"]))).is_empty());
    // Nothing is left to manage: a new plan creates all six again.
    let o = run(&["plan", "--detailed-exitcode"]);
    expect_code(&o, 2);
    assert!(
        stdout(&o).contains("Plan: 6 to add, 0 to change, 0 to destroy."),
        "{}",
        stdout(&o)
    );
}

/// A new user's first try: an AWS provider block, no region anywhere (no `region`, no
/// `AWS_REGION`, no profile, no instance metadata). Plan refuses when the provider is configured,
/// names the fix, and prints neither a Rust `Debug` dump nor the AWS SDK's own warnings.
#[cfg(feature = "aws")]
#[test]
fn an_aws_provider_without_a_region_is_refused_at_plan_naming_the_fix() {
    let d = Dir::with(
        r#"provider "aws" {}

resource "aws_s3_bucket" "data" {
  bucket = "plinth-no-region"
}
"#,
    );
    let err = plan_without_aws_settings(&d);
    expect_test::expect![[r#"
        main.hcl:1:1: error: Cannot configure provider aws: no AWS region is configured: set region in the provider "aws" block, or the AWS_REGION environment variable, or use a profile that has one (profile in the provider block, or AWS_PROFILE)
          |
        1 | provider "aws" {}
          | ^^^^^^^^^^^^^^
          = hint: check the provider block and the credentials it uses
    "#]].assert_eq(&err);
}

/// The same with a region but no credentials anywhere: the error names the ways to provide them.
#[cfg(feature = "aws")]
#[test]
fn an_aws_provider_without_credentials_is_refused_at_plan_naming_the_fix() {
    let d = Dir::with(
        r#"provider "aws" {
  region = "eu-west-1"
}

resource "aws_s3_bucket" "data" {
  bucket = "plinth-no-credentials"
}
"#,
    );
    let err = plan_without_aws_settings(&d);
    expect_test::expect![[r#"
        main.hcl:1:1: error: Cannot configure provider aws: no AWS credentials: set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or use a profile (profile in the provider "aws" block, or AWS_PROFILE; run `aws sso login` for an SSO profile), or run where instance metadata or a web identity token provides them. The AWS SDK says: the credential provider was not enabled: no credentials found in chain. Attempted:
          Environment: the credential provider was not enabled: environment variable not set
          Profile: the credential provider was not enabled
          WebIdentityToken: the credential provider was not enabled: $AWS_WEB_IDENTITY_TOKEN_FILE was not set
          EcsContainer: the credential provider was not enabled: ECS provider not configured
          Ec2InstanceMetadata: the credential provider was not enabled: IMDS disabled by AWS_EC2_METADATA_DISABLED env var set to `true`
          |
        1 | provider "aws" {
          | ^^^^^^^^^^^^^^
          = hint: check the provider block and the credentials it uses
    "#]].assert_eq(&err);
}

/// The error of `plinth plan` in `d` with no AWS setting from the environment: no `AWS_*`
/// variable, an empty HOME so no profile is found, and instance metadata disabled.
#[cfg(feature = "aws")]
fn plan_without_aws_settings(d: &Dir) -> String {
    let home = tempfile::tempdir().expect("tempdir");
    let mut cmd = command(d.path(), &["plan"]);
    for (k, _) in std::env::vars_os() {
        if k.to_string_lossy().starts_with("AWS_") {
            cmd.env_remove(&k);
        }
    }
    cmd.env("HOME", home.path()).env("AWS_EC2_METADATA_DISABLED", "true");
    user_error(&cmd.output().expect("run plinth"))
}

#[test]
fn taint_and_untaint() {
    let d = Dir::with(
        r#"resource "local_value" "b" {
  count = 2
  input = "b${count.index}"
}
"#,
    );
    ok(d.run(&["apply", "--auto-approve"]));
    let o = ok(d.run(&["taint", "local_value.b[1]"]));
    assert_eq!(
        stdout(&o),
        "Resource instance local_value.b[1] has been marked as tainted.\n"
    );
    let o = ok(d.run(&["state", "show", "local_value.b[1]"]));
    assert!(
        stdout(&o).starts_with("# local_value.b[1]: (tainted)\n"),
        "{}",
        stdout(&o)
    );
    let o = d.run(&["plan", "--detailed-exitcode"]);
    expect_code(&o, 2);
    let out = stdout(&o);
    assert!(
        out.contains("# local_value.b[1] is tainted, so must be replaced"),
        "{out}"
    );
    assert!(out.contains("Plan: 1 to add, 0 to change, 1 to destroy."), "{out}");

    let o = ok(d.run(&["untaint", "local_value.b[1]"]));
    assert_eq!(
        stdout(&o),
        "Resource instance local_value.b[1] has been successfully untainted.\n"
    );
    let o = ok(d.run(&["plan", "--detailed-exitcode"]));
    assert!(stdout(&o).contains("No changes."), "{}", stdout(&o));
    let err = user_error(&d.run(&["untaint", "local_value.b[1]"]));
    assert!(err.contains("local_value.b[1] is not tainted"), "{err}");
    let err = user_error(&d.run(&["taint", "local_value.b"]));
    assert!(
        err.contains("taint one of them: local_value.b[0], local_value.b[1]"),
        "{err}"
    );

    // A taint that an apply acts on: replaced, and no longer tainted.
    ok(d.run(&["taint", "local_value.b[0]"]));
    let o = ok(d.run(&["apply", "--auto-approve"]));
    assert!(
        stdout(&o).contains("Resources: 1 added, 0 changed, 1 destroyed."),
        "{}",
        stdout(&o)
    );
    assert!(!stdout(&ok(d.run(&["state", "pull"]))).contains("tainted"));
}
