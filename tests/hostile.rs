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
        .map(|rd| rd.filter_map(Result::ok).map(|e| e.file_name().to_string_lossy().into_owned()).collect())
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
