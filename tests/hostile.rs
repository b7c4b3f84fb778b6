//! Hostile input (issue 17): every case of the regression corpus in `tests/hostile/corpus/`
//! (made by `tests/support/hostile.rs`), and the cases too large to check in, run through
//! `plinth validate` and `plinth plan` (local provider only) with a time limit and a memory
//! limit each: no panic, no hang, bounded memory, and every rejection names `file:line:col`.
//! Then hostile state files (refused, naming the file and its backup, never overwritten), saved
//! plan files and variable files given with `--var-file`.
//!
//! `PLINTH_BLESS_HOSTILE=1 cargo test -p plinth --test hostile corpus_is_current` rewrites the
//! corpus from the generator.

mod support;

/// The cargo-fuzz targets' bodies, built on stable here and run over the corpus by their own
/// test (`bodies_survive_the_hostile_corpus`); `fuzz/` adds only the libFuzzer glue.
#[path = "../fuzz/src/lib.rs"]
#[allow(dead_code)]
mod fuzz;

use std::io::Read as _;
use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::time::{Duration, Instant};

use support::cli::{Dir, copy_dir};
use support::hostile::{Case, VALIDATE_ONLY, big_cases, corpus};

/// How long one command may take on one case (a debug build on a shared machine).
const TIME_LIMIT: Duration = Duration::from_secs(10);
/// The most resident memory one command may use, in KiB.
const MEMORY_LIMIT_KB: u64 = 1024 * 1024;

fn corpus_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/hostile/corpus")
}

/// What one run of `plinth` did.
struct Run {
    what: String,
    code: Option<i32>,
    stderr: String,
    elapsed: Duration,
    peak_kb: u64,
    /// Why it was killed (time or memory), if it was.
    killed: Option<String>,
}

/// Peak resident memory of a running process (VmHWM), in KiB.
fn peak_kb(pid: u32) -> Option<u64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

/// Runs `plinth ARGS` in `dir`, killing it past [`TIME_LIMIT`] or [`MEMORY_LIMIT_KB`]; memory is
/// the high-water mark of resident memory, read from /proc every few milliseconds while it runs.
fn run_limited(dir: &Path, args: &[&str], limit: Duration) -> Run {
    let out_dir = tempfile::tempdir().expect("tempdir");
    let err_path = out_dir.path().join("stderr");
    let mut cmd = support::cli::command(dir, args);
    cmd.stdout(Stdio::null())
        .stderr(std::fs::File::create(&err_path).expect("stderr file"));
    let start = Instant::now();
    let mut child = cmd.spawn().expect("run plinth");
    let mut peak = 0;
    let mut killed = None;
    let status = loop {
        if let Some(kb) = peak_kb(child.id()) {
            peak = peak.max(kb);
        }
        if let Some(status) = child.try_wait().expect("wait") {
            break status;
        }
        if start.elapsed() > limit {
            killed = Some(format!("did not finish within {limit:?}"));
        } else if peak > MEMORY_LIMIT_KB {
            killed = Some(format!("used more than {} MiB", MEMORY_LIMIT_KB / 1024));
        }
        if killed.is_some() {
            let _ = child.kill();
            break child.wait().expect("wait");
        }
        std::thread::sleep(Duration::from_millis(5));
    };
    let mut stderr = String::new();
    let mut bytes = Vec::new();
    std::fs::File::open(&err_path)
        .expect("stderr")
        .read_to_end(&mut bytes)
        .expect("read stderr");
    stderr.push_str(&String::from_utf8_lossy(&bytes));
    Run {
        what: format!("plinth {}", args.join(" ")),
        code: status.code(),
        stderr,
        elapsed: start.elapsed(),
        peak_kb: peak,
        killed,
    }
}

/// A rejection's diagnostics: `path:line:col: error: ...`.
fn names_location(stderr: &str) -> bool {
    let re = regex::Regex::new(r"(?m)^[^\s]+:\d+:\d+: error: ").expect("regex");
    re.is_match(stderr)
}

/// Every problem of one run, empty when it behaved.
fn problems(name: &str, run: &Run) -> Vec<String> {
    let mut out = Vec::new();
    let head: String = run.stderr.chars().take(1500).collect();
    let says = |p: String| format!("{name}: `{}`: {p}\n{head}", run.what);
    if let Some(why) = &run.killed {
        out.push(says(format!("killed: it {why}")));
        return out;
    }
    if run.code.is_none() {
        out.push(says("died by a signal (a crash or a stack overflow)".into()));
    }
    if run.code == Some(101) || run.stderr.contains("panicked at") || run.stderr.contains("plinth crashed") {
        out.push(says("panicked".into()));
    }
    if run.stderr.contains("overflowed its stack") {
        out.push(says("overflowed its stack".into()));
    }
    if run.code == Some(1) && !names_location(&run.stderr) {
        out.push(says("a rejection that names no file:line:col".into()));
    }
    if run.stderr.len() > 256 << 10 {
        out.push(says(format!("printed {} KiB of diagnostics", run.stderr.len() >> 10)));
    }
    out
}

fn write_case(case: &Case, dir: &Path) {
    for (path, bytes) in &case.files {
        let p = dir.join(path);
        std::fs::create_dir_all(p.parent().expect("parent")).expect("mkdir");
        std::fs::write(p, bytes).expect("write case file");
    }
    if !case.plan {
        std::fs::write(dir.join(VALIDATE_ONLY), "").expect("marker");
    }
}

/// Runs validate (and plan, unless marked validate-only) on a configuration directory; returns
/// the problems and a line of measurements per command.
fn replay(name: &str, dir: &Path, limit: Duration) -> (Vec<String>, Vec<String>) {
    let mut commands: Vec<&[&str]> = vec![&["validate"]];
    if !dir.join(VALIDATE_ONLY).exists() {
        commands.push(&["plan"]);
    }
    let mut probs = Vec::new();
    let mut measured = Vec::new();
    for args in commands {
        let run = run_limited(dir, args, limit);
        measured.push(format!(
            "{name}: {} exit {:?} in {:?}, peak {} MiB",
            run.what,
            run.code,
            run.elapsed,
            run.peak_kb / 1024
        ));
        probs.extend(problems(name, &run));
    }
    (probs, measured)
}

#[test]
fn corpus_is_current() {
    let cases = corpus();
    assert!(cases.len() >= 200, "the corpus has only {} cases", cases.len());
    let dir = corpus_dir();
    if std::env::var_os("PLINTH_BLESS_HOSTILE").is_some() {
        let _ = std::fs::remove_dir_all(&dir);
        for case in &cases {
            write_case(case, &dir.join(&case.name));
        }
        return;
    }
    let mut on_disk: Vec<String> = std::fs::read_dir(&dir)
        .map(|rd| {
            rd.filter_map(Result::ok)
                .map(|e| e.file_name().to_string_lossy().into_owned())
                .collect()
        })
        .unwrap_or_default();
    on_disk.sort();
    let names: Vec<String> = cases.iter().map(|c| c.name.clone()).collect();
    let stale = "the corpus differs from tests/support/hostile.rs: run PLINTH_BLESS_HOSTILE=1 cargo test -p plinth --test hostile corpus_is_current";
    assert_eq!(on_disk, names, "{stale}");
    for case in &cases {
        for (path, bytes) in &case.files {
            let on_disk = std::fs::read(dir.join(&case.name).join(path)).unwrap_or_default();
            assert!(on_disk == *bytes, "{}/{path}: {stale}", case.name);
        }
    }
}

#[test]
fn the_corpus_never_panics_hangs_or_rejects_without_a_location() {
    let mut cases: Vec<PathBuf> = std::fs::read_dir(corpus_dir())
        .expect("the corpus directory")
        .filter_map(Result::ok)
        .map(|e| e.path())
        .collect();
    cases.sort();
    assert!(cases.len() >= 200, "the corpus has only {} cases", cases.len());
    let mut probs = Vec::new();
    let mut slowest = Vec::new();
    for case in &cases {
        let name = case.file_name().expect("name").to_string_lossy().into_owned();
        let work = Dir::new();
        copy_dir(case, work.path());
        let (p, m) = replay(&name, work.path(), TIME_LIMIT);
        probs.extend(p);
        slowest.extend(m);
    }
    // The measurements, for the record (`--nocapture`).
    for m in &slowest {
        println!("{m}");
    }
    assert!(probs.is_empty(), "{} problems:\n\n{}", probs.len(), probs.join("\n\n"));
}

#[test]
fn big_cases_are_refused_or_run_within_the_limits() {
    let mut probs = Vec::new();
    for case in big_cases() {
        let work = Dir::new();
        write_case(&case, work.path());
        let (p, m) = replay(&case.name, work.path(), TIME_LIMIT);
        for line in m {
            println!("{line}");
        }
        probs.extend(p);
    }
    assert!(probs.is_empty(), "{} problems:\n\n{}", probs.len(), probs.join("\n\n"));
}

const STATE: &str = ".plinth/env/default/state.json";

fn value_config(input: &str) -> String {
    format!(
        "resource \"local_value\" \"a\" {{\n  input = \"{input}\"\n}}\n\noutput \"a\" {{\n  value = local_value.a.output\n}}\n"
    )
}

/// A directory with an applied configuration whose state has a backup (applied twice).
fn applied() -> Dir {
    let d = Dir::with(&value_config("x"));
    support::cli::ok(d.run(&["apply", "--auto-approve"]));
    d.write("main.hcl", &value_config("y"));
    support::cli::ok(d.run(&["apply", "--auto-approve"]));
    assert!(
        d.exists(".plinth/env/default/state.json.backup"),
        "the second apply keeps a backup"
    );
    d
}

/// Inserts `insert` at `at` (a fraction of the length).
fn insert_at(bytes: &[u8], frac: f64, insert: &[u8]) -> Vec<u8> {
    let at = (bytes.len() as f64 * frac) as usize;
    [&bytes[..at], insert, &bytes[at..]].concat()
}

/// Runs one command on a hostile file and checks the common rules: exit 1, no panic, within the
/// limits, and a message that names `names` (each of them).
fn refused(d: &Dir, args: &[&str], case: &str, names: &[&str]) -> Vec<String> {
    let run = run_limited(d.path(), args, TIME_LIMIT);
    let mut out: Vec<String> = problems(case, &run)
        .into_iter()
        .filter(|p| !p.contains("names no file:line:col"))
        .collect();
    if run.killed.is_none() && run.code != Some(1) {
        out.push(format!(
            "{case}: `{}` exited {:?}, not 1:\n{}",
            run.what, run.code, run.stderr
        ));
    }
    for n in names {
        if run.killed.is_none() && !run.stderr.contains(n) {
            out.push(format!("{case}: `{}` does not name {n}:\n{}", run.what, run.stderr));
        }
    }
    out
}

#[test]
fn a_corrupt_state_is_refused_naming_its_backup_and_never_overwritten() {
    let d = applied();
    let good = std::fs::read(d.join(STATE)).expect("state");
    let text = String::from_utf8(good.clone()).expect("utf-8 state");
    let mut variants: Vec<(String, Vec<u8>, bool)> = Vec::new();
    for k in [1, 2, 5, 9] {
        let at = good.len() * k / 10;
        variants.push((format!("truncated at {at}"), good[..at].to_vec(), true));
    }
    variants.push(("empty".into(), Vec::new(), true));
    variants.push(("not JSON".into(), b"this is not a state".to_vec(), true));
    variants.push(("NUL bytes".into(), vec![0; 64], true));
    variants.push(("a NUL inside".into(), insert_at(&good, 0.5, b"\0"), true));
    variants.push(("invalid UTF-8".into(), insert_at(&good, 0.5, b"\xff\xfe"), true));
    variants.push(("a JSON list".into(), b"[]".to_vec(), true));
    variants.push(("nested 100,000 deep".into(), "[".repeat(100_000).into_bytes(), true));
    variants.push((
        "serial out of range".into(),
        regex::Regex::new(r#""serial": \d+"#)
            .expect("regex")
            .replace(&text, "\"serial\": 18446744073709551615")
            .into_owned()
            .into_bytes(),
        true,
    ));
    variants.push((
        "resources of the wrong type".into(),
        text.replacen("\"resources\": {", "\"resources\": [1], \"x\": {", 1)
            .into_bytes(),
        true,
    ));
    // Not corrupt, but not ours to read: refused without the backup hint.
    variants.push((
        "a version from the future".into(),
        text.replacen("\"version\": 1", "\"version\": 99", 1).into_bytes(),
        false,
    ));
    let mut huge = good.clone();
    huge.truncate(good.len() - 2);
    huge.extend(std::iter::repeat_n(b' ', 30 << 20));
    huge.extend_from_slice(b"!}");
    variants.push(("30 MB with junk at the end".into(), huge, true));

    let mut probs = Vec::new();
    for (name, bytes, corrupt) in &variants {
        std::fs::write(d.join(STATE), bytes).expect("corrupt the state");
        let names: &[&str] = if *corrupt {
            &["state.json is corrupt", "state.json.backup"]
        } else {
            &["state.json"]
        };
        for args in [
            &["plan"][..],
            &["apply", "--auto-approve"],
            &["destroy", "--auto-approve"],
            &["state", "list"],
            &["state", "rm", "local_value.a"],
            &["taint", "local_value.a"],
            &["output"],
            &["drift"],
            &["plan", "-out", "p.bin"],
        ] {
            probs.extend(refused(&d, args, &format!("state {name}"), names));
        }
        let after = std::fs::read(d.join(STATE)).expect("state");
        if after != *bytes {
            probs.push(format!("state {name}: a command rewrote the corrupt state"));
        }
    }
    // The backup named is the good state before the last apply, untouched by all this.
    let backup = std::fs::read(d.join(".plinth/env/default/state.json.backup")).expect("backup");
    assert!(
        serde_json::from_slice::<serde_json::Value>(&backup).is_ok(),
        "the backup still parses"
    );
    assert!(probs.is_empty(), "{} problems:\n\n{}", probs.len(), probs.join("\n\n"));

    // Restoring the backup by hand is the way out the message gives.
    std::fs::copy(d.join(".plinth/env/default/state.json.backup"), d.join(STATE)).expect("restore");
    support::cli::ok(d.run(&["plan"]));
}

#[test]
fn a_corrupt_journal_is_refused_and_kept() {
    let d = applied();
    let journal = d.join(".plinth/env/default/journal.jsonl");
    let state = std::fs::read(d.join(STATE)).expect("state");
    let bad = b"{\"set\": \0\xff}\n{\"not\": \"an entry\"}\n".to_vec();
    std::fs::write(&journal, &bad).expect("corrupt the journal");
    let mut probs = Vec::new();
    for args in [&["plan"][..], &["apply", "--auto-approve"], &["state", "list"]] {
        probs.extend(refused(&d, args, "journal", &["journal.jsonl"]));
    }
    assert!(probs.is_empty(), "{} problems:\n\n{}", probs.len(), probs.join("\n\n"));
    assert_eq!(
        std::fs::read(&journal).expect("journal"),
        bad,
        "the journal is kept as it was"
    );
    assert_eq!(
        std::fs::read(d.join(STATE)).expect("state"),
        state,
        "the state is untouched"
    );
}

#[test]
fn hostile_plan_files_are_refused() {
    let d = applied();
    d.write("main.hcl", &value_config("z"));
    support::cli::expect_code(&d.run(&["plan", "-out", "good.bin"]), 0);
    let good = std::fs::read(d.join("good.bin")).expect("plan file");
    let text = String::from_utf8(good.clone()).expect("utf-8 plan");
    let state = std::fs::read(d.join(STATE)).expect("state");
    let mut variants: Vec<(String, Vec<u8>)> = Vec::new();
    for k in [0, 1, 3, 5, 7, 9] {
        let at = good.len() * k / 10;
        variants.push((format!("truncated at {at}"), good[..at].to_vec()));
    }
    variants.push(("NUL bytes".into(), vec![0; 100]));
    variants.push(("a NUL inside".into(), insert_at(&good, 0.6, b"\0")));
    variants.push(("invalid UTF-8".into(), insert_at(&good, 0.6, b"\xff")));
    variants.push(("nested 100,000 deep".into(), "[".repeat(100_000).into_bytes()));
    variants.push((
        "a future format".into(),
        text.replacen("plinth-plan/v1", "plinth-plan/v999", 1).into_bytes(),
    ));
    variants.push((
        "format v0".into(),
        text.replacen("plinth-plan/v1", "plinth-plan/v0", 1).into_bytes(),
    ));
    variants.push((
        "format huge".into(),
        text.replacen("plinth-plan/v1", "plinth-plan/v99999999999999999999999", 1)
            .into_bytes(),
    ));
    variants.push((
        "no format".into(),
        text.replacen("\"format\"", "\"formal\"", 1).into_bytes(),
    ));
    variants.push((
        "serial out of range".into(),
        regex::Regex::new(r#""serial": \d+"#)
            .expect("regex")
            .replace(&text, "\"serial\": 18446744073709551616")
            .into_owned()
            .into_bytes(),
    ));
    variants.push((
        "another lineage".into(),
        regex::Regex::new(r#""lineage": "[^"]*""#)
            .expect("regex")
            .replace(&text, "\"lineage\": \"x\"")
            .into_owned()
            .into_bytes(),
    ));
    let mut huge = good.clone();
    huge.extend(std::iter::repeat_n(b' ', 30 << 20));
    huge.push(b'x');
    variants.push(("30 MB with junk at the end".into(), huge));
    let mut probs = Vec::new();
    for (name, bytes) in &variants {
        std::fs::write(d.join("bad.bin"), bytes).expect("write plan");
        for args in [
            &["apply", "bad.bin"][..],
            &["show", "bad.bin"],
            &["show", "--json", "bad.bin"],
        ] {
            // A plan that reads but belongs to another lineage is refused by apply only.
            if name == "another lineage" && args[0] == "show" {
                continue;
            }
            probs.extend(refused(&d, args, &format!("plan file {name}"), &["bad.bin"]));
        }
        if std::fs::read(d.join(STATE)).expect("state") != state {
            probs.push(format!("plan file {name}: the state changed"));
        }
    }
    assert!(probs.is_empty(), "{} problems:\n\n{}", probs.len(), probs.join("\n\n"));
}

#[test]
fn hostile_variable_files_are_refused_at_a_location() {
    let d = Dir::with("variable \"a\" {\n  type = any\n}\n\noutput \"a\" {\n  value = var.a\n}\n");
    let mut variants: Vec<(&str, Vec<u8>)> = vec![
        ("truncated", b"a = [1, 2,".to_vec()),
        ("invalid-utf8", b"a = \"\xff\"\n".to_vec()),
        ("nul", b"a = \0\n".to_vec()),
        (
            "deep",
            format!("a = {}{}\n", "[".repeat(10_000), "]".repeat(10_000)).into_bytes(),
        ),
        ("heredoc", b"a = <<EOT\nnever ends\n".to_vec()),
        ("reference", b"a = var.a\n".to_vec()),
        ("bad-escape", b"a = \"\\q\"\n".to_vec()),
        ("json", b"{\"a\": 1}".to_vec()),
    ];
    let mut huge = b"a = 1\n# ".to_vec();
    huge.extend(std::iter::repeat_n(b'x', 9 << 20));
    variants.push(("huge", huge));
    let mut probs = Vec::new();
    for (name, bytes) in &variants {
        let file = format!("{name}.vars.hcl");
        d.write(&file, "");
        std::fs::write(d.join(&file), bytes).expect("write vars");
        let run = run_limited(d.path(), &["plan", "--var-file", &file], TIME_LIMIT);
        probs.extend(problems(&format!("var file {name}"), &run));
        if run.killed.is_none() && run.code != Some(1) {
            probs.push(format!(
                "var file {name}: `{}` exited {:?}:\n{}",
                run.what, run.code, run.stderr
            ));
        }
        if run.killed.is_none() && !run.stderr.contains(&format!("{file}:")) {
            probs.push(format!(
                "var file {name}: `{}` does not name {file}:LINE:COL:\n{}",
                run.what, run.stderr
            ));
        }
    }
    // Files that cannot be read at all are named, without a position.
    for (name, path) in [
        ("dev-zero", "/dev/zero"),
        ("directory", "."),
        ("missing", "nope.vars.hcl"),
    ] {
        let run = run_limited(d.path(), &["plan", "--var-file", path], TIME_LIMIT);
        let bad: Vec<String> = problems(&format!("var file {name}"), &run)
            .into_iter()
            .filter(|p| !p.contains("names no file:line:col"))
            .collect();
        probs.extend(bad);
        if run.killed.is_none() && (run.code != Some(1) || !run.stderr.contains(path)) {
            probs.push(format!(
                "var file {name}: `{}` exited {:?}:\n{}",
                run.what, run.code, run.stderr
            ));
        }
    }
    assert!(probs.is_empty(), "{} problems:\n\n{}", probs.len(), probs.join("\n\n"));
}
