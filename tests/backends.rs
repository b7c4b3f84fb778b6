//! The state backends' conformance suite: the same cases run against every backend (`local`;
//! `postgres` on a real server the harness starts: `tests/support/postgres.rs`; `s3` on
//! `moto_server`: `tests/support/moto.rs`). A backend is one more `Kind` and one more module in
//! `conformance!`. What each backend stores is checked from outside (the files, `psql`, or
//! boto3), never through the backend's own read code.
//!
//! After the suite: what only one backend has (connection errors that never show the password,
//! keys shared by two machines, the s3 lock object and its force-unlock).

mod support;

use std::collections::BTreeMap;
use std::process::{Child, Output, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use plinth::secrets::encryption::Cipher;
use plinth::state::{
    Backend, BackendKind, BackendSettings, JournalEntry, ResourceState, State, StateError, Store, open_store,
};
use support::cli::{Dir, command, expect_code, stderr, stdout};
use support::moto::{Moto, boto3, boto3_json, moto, moto_with_env};
use support::postgres as pg;

#[derive(Clone, Copy, Debug, PartialEq)]
enum Kind {
    Local,
    Postgres,
    S3,
}

/// One backend under test: a configuration directory whose `plinth` block names it, and (for
/// postgres) a database of its own, (for s3) a moto server of its own with a bucket.
struct Peer {
    kind: Kind,
    dir: Dir,
    db: Option<String>,
    moto: Option<Moto>,
}

const SCHEMA: &str = "team_state";
const BUCKET: &str = "team-state";
/// The s3 backend's `key`.
const KEY: &str = "ml-platform/plinth.tfstate";

impl Peer {
    fn new(kind: Kind) -> Peer {
        let dir = Dir::new();
        let db = (kind == Kind::Postgres).then(|| pg::server().database());
        let moto = (kind == Kind::S3).then(|| {
            let m = moto();
            boto3(&m.1, &["s3"], &format!("s3.create_bucket(Bucket='{BUCKET}')"));
            m
        });
        let peer = Peer { kind, dir, db, moto };
        // Empty AWS files, so the machine's ~/.aws is never read (and the SDK does not warn).
        peer.dir.write("no-aws-config", "");
        peer.dir.write("no-aws-credentials", "");
        peer.dir.write("backend.hcl", &peer.backend_hcl());
        peer.store(None).init().expect("init");
        peer
    }

    fn endpoint(&self) -> &str {
        &self.moto.as_ref().expect("an s3 peer").1
    }

    /// The s3 keys of `env`'s snapshot and everything beside it.
    fn s3_state_key(env: &str) -> String {
        if env == "default" {
            KEY.to_string()
        } else {
            format!("env:/{env}/{KEY}")
        }
    }

    /// Every object under `prefix` in the bucket, key and body, read with boto3.
    fn s3_objects(&self, prefix: &str) -> Vec<(String, String)> {
        let v = boto3_json(
            self.endpoint(),
            &["s3"],
            &format!(
                "r = []\n\
                 for page in s3.get_paginator('list_objects_v2').paginate(Bucket='{BUCKET}', Prefix='{prefix}'):\n\
                 \x20   for o in page.get('Contents', []):\n\
                 \x20       r.append([o['Key'], s3.get_object(Bucket='{BUCKET}', Key=o['Key'])['Body'].read().decode('utf-8', 'replace')])\n\
                 out(r)"
            ),
        );
        serde_json::from_value(v).expect("pairs")
    }

    fn backend_hcl(&self) -> String {
        match self.kind {
            Kind::Local => String::new(),
            // The connection string comes from PG_CONN_STR ([`Peer::run`]).
            Kind::Postgres => {
                format!("plinth {{\n  backend \"postgres\" {{\n    schema_name = \"{SCHEMA}\"\n  }}\n}}\n")
            }
            // Credentials and region come from the AWS chain ([`Peer::command`]).
            Kind::S3 => format!(
                "plinth {{\n  backend \"s3\" {{\n    bucket    = \"{BUCKET}\"\n    key       = \"{KEY}\"\n    encrypt   = true\n    endpoints = {{ s3 = \"{}\" }}\n  }}\n}}\n",
                self.endpoint()
            ),
        }
    }

    fn conn_str(&self) -> String {
        pg::server().conn_str(self.db.as_deref().unwrap_or("postgres"))
    }

    fn settings(&self, cipher: Option<Cipher>) -> BackendSettings {
        let mut s = BackendSettings::local(self.dir.path());
        s.cipher = cipher;
        if self.kind == Kind::Postgres {
            s.kind = BackendKind::Postgres;
            s.args.insert("conn_str".into(), self.conn_str());
            s.args.insert("schema_name".into(), SCHEMA.into());
        }
        if self.kind == Kind::S3 {
            s.kind = BackendKind::S3;
            for (k, v) in [
                ("bucket", BUCKET),
                ("key", KEY),
                ("region", "us-east-1"),
                ("encrypt", "true"),
                ("endpoints.s3", self.endpoint()),
                ("access_key", "testing"),
                ("secret_key", "testing"),
            ] {
                s.args.insert(k.into(), v.into());
            }
        }
        s
    }

    fn store(&self, cipher: Option<Cipher>) -> Box<dyn Store> {
        open_store(self.settings(cipher)).unwrap_or_else(|e| panic!("open the {:?} store: {e}", self.kind))
    }

    fn backend(&self, env: &str) -> Box<dyn Backend> {
        self.store(None).open(env).expect("open backend")
    }

    /// Everything the backend stores for `env` (state, backup, journal), as stored.
    fn raw(&self, env: &str) -> String {
        match self.kind {
            Kind::Local => {
                let d = self.dir.join(&format!(".plinth/env/{env}"));
                ["state.json", "state.json.backup", "journal.jsonl"]
                    .iter()
                    .map(|f| std::fs::read_to_string(d.join(f)).unwrap_or_default())
                    .collect::<Vec<_>>()
                    .join("\n")
            }
            Kind::Postgres => self.psql(&format!(
                "SELECT encode(data, 'escape') || coalesce(encode(backup, 'escape'), '') FROM {SCHEMA}.states WHERE env = '{env}' \
                 UNION ALL SELECT encode(entry, 'escape') FROM {SCHEMA}.journal WHERE env = '{env}'"
            )),
            Kind::S3 => {
                let state = Self::s3_state_key(env);
                self.s3_objects(&state)
                    .into_iter()
                    .filter(|(k, _)| !k.contains(".plinth-keys/"))
                    .map(|(_, body)| body)
                    .collect::<Vec<_>>()
                    .join("\n")
            }
        }
    }

    /// How many journaled changes wait for the next snapshot.
    fn journal_len(&self, env: &str) -> usize {
        match self.kind {
            Kind::Local => std::fs::read_to_string(self.dir.join(&format!(".plinth/env/{env}/journal.jsonl")))
                .unwrap_or_default()
                .lines()
                .count(),
            Kind::Postgres => self
                .psql(&format!("SELECT count(*) FROM {SCHEMA}.journal WHERE env = '{env}'"))
                .parse()
                .expect("a count"),
            // One object per batch, each a JSON array of entries.
            Kind::S3 => self
                .s3_objects(&format!("{}.journal-", Self::s3_state_key(env)))
                .iter()
                .map(|(_, body)| {
                    serde_json::from_str::<Vec<serde_json::Value>>(body)
                        .expect("a plain batch")
                        .len()
                })
                .sum(),
        }
    }

    fn psql(&self, sql: &str) -> String {
        pg::server().psql(self.db.as_deref().expect("a postgres peer"), sql)
    }

    /// `plinth ARGS` in the directory, with the backend's connection string in PG_CONN_STR.
    fn command(&self, args: &[&str]) -> std::process::Command {
        let mut c = command(self.dir.path(), args);
        if self.kind == Kind::Postgres {
            c.env("PG_CONN_STR", self.conn_str());
        }
        if self.kind == Kind::S3 {
            c.env("AWS_ACCESS_KEY_ID", "testing")
                .env("AWS_SECRET_ACCESS_KEY", "testing")
                .env("AWS_REGION", "us-east-1")
                .env("AWS_EC2_METADATA_DISABLED", "true")
                .env("AWS_CONFIG_FILE", self.dir.join("no-aws-config"))
                .env("AWS_SHARED_CREDENTIALS_FILE", self.dir.join("no-aws-credentials"));
        }
        c
    }

    fn run(&self, args: &[&str]) -> Output {
        self.command(args).output().expect("run plinth")
    }

    fn ok(&self, args: &[&str]) -> Output {
        let o = self.run(args);
        expect_code(&o, 0);
        o
    }
}

fn resource(marker: &str) -> ResourceState {
    ResourceState {
        mode: "managed".into(),
        type_name: "local_value".into(),
        provider: "local".into(),
        attributes: serde_json::json!({ "input": marker }),
        sensitive: BTreeMap::new(),
        dependencies: Vec::new(),
        create_before_destroy: false,
        tainted: false,
    }
}

fn set(address: &str, marker: &str) -> JournalEntry {
    JournalEntry::Set {
        address: address.into(),
        resource: Box::new(resource(marker)),
    }
}

// ---------------------------------------------------------------------------------------------
// The cases

fn load_persist_serial(p: Peer) {
    let b = p.backend("default");
    let mut s = b.load().expect("load an empty state");
    assert_eq!((s.serial, s.resources.len()), (0, 0));
    let lineage = s.lineage.clone();
    s.resources.insert("local_value.a".into(), resource("a"));
    assert_eq!(b.persist(&mut s).expect("persist"), 1);
    s.resources.insert("local_value.b".into(), resource("b"));
    assert_eq!(b.persist(&mut s).expect("persist"), 2);
    let again = p.backend("default").load().expect("load");
    assert_eq!(again, s);
    assert_eq!(again.lineage, lineage);
    // The previous snapshot is kept as the backup.
    let backup: State = serde_json::from_slice(&b.backup().expect("backup").expect("a backup")).expect("json");
    assert_eq!(backup.serial, 1);
    assert_eq!(backup.resources.keys().collect::<Vec<_>>(), ["local_value.a"]);
    assert!(p.raw("default").contains("local_value.b"));
}

fn journal_replay_after_crash(p: Peer) {
    let b = p.backend("default");
    let mut s = b.load().expect("load");
    b.persist(&mut s).expect("persist");
    {
        // A run records two changes, then dies before its persist.
        let mut j = b.journal().expect("journal");
        j.record(&[set("local_value.a", "a")]).expect("record");
        j.record(&[
            set("local_value.b", "b"),
            JournalEntry::Remove {
                address: "local_value.a".into(),
            },
        ])
        .expect("record");
    }
    assert_eq!(p.journal_len("default"), 3);
    let loaded = p.backend("default").load().expect("load replays the journal");
    assert_eq!(loaded.resources.keys().collect::<Vec<_>>(), ["local_value.b"]);
    assert_eq!(loaded.serial, 1 + 3, "each journaled change moves the serial");
    let mut loaded = loaded;
    let serial = p.backend("default").persist(&mut loaded).expect("persist");
    assert_eq!(serial, 5);
    assert_eq!(p.journal_len("default"), 0, "persist compacts the journal");
    assert_eq!(p.backend("default").load().expect("load"), loaded);
}

fn lineage_is_checked(p: Peer) {
    let b = p.backend("default");
    let mut s = b.load().expect("load");
    s.resources.insert("local_value.a".into(), resource("a"));
    b.persist(&mut s).expect("persist");
    let mut other = State::new();
    other.serial = 10;
    let json = serde_json::to_string(&other).expect("json");
    let e = plinth::state::ops::push(&*b, &json, false).expect_err("another lineage is refused");
    assert!(e.to_string().contains("lineage"), "{e}");
    assert_eq!(b.load().expect("load").lineage, s.lineage, "nothing was replaced");
}

fn encryption_at_rest(p: Peer) {
    let key = Cipher::from_secret("conformance-key-0123456789abcdef-0123456789").expect("key");
    let store = p.store(Some(key.clone()));
    let b = store.open("default").expect("backend");
    let mut s = b.load().expect("load");
    s.resources
        .insert("local_value.a".into(), resource("plaintext-marker-1"));
    b.persist(&mut s).expect("persist");
    s.resources
        .insert("local_value.a".into(), resource("plaintext-marker-2"));
    b.persist(&mut s).expect("persist");
    b.journal()
        .expect("journal")
        .record(&[set("local_value.j", "plaintext-marker-3")])
        .expect("record");
    let raw = p.raw("default");
    assert!(!raw.is_empty());
    for marker in ["plaintext-marker", "local_value"] {
        assert!(!raw.contains(marker), "{marker} stored in plain text: {raw}");
    }
    let loaded = b.load().expect("the key opens it");
    assert_eq!(
        loaded.resources["local_value.j"].attributes["input"],
        "plaintext-marker-3"
    );
    match p.store(None).open("default").and_then(|b| b.load()) {
        Err(StateError::Encrypted { .. }) => {}
        other => panic!("without the key: {other:?}"),
    }
    let wrong = Cipher::from_secret("another-key-0123456789abcdef-0123456789ab").expect("key");
    match p.store(Some(wrong)).open("default").and_then(|b| b.load()) {
        Err(StateError::WrongKey { .. }) => {}
        other => panic!("with the wrong key: {other:?}"),
    }
}

fn environments(p: Peer) {
    let store = p.store(None);
    assert!(store.exists("default").expect("exists"));
    assert!(!store.exists("staging").expect("exists"));
    store.create("staging").expect("create");
    store.create("prod").expect("create");
    assert_eq!(store.environments().expect("list"), ["prod", "staging"]);
    store.write_file("staging", "vars.json", b"{\"n\": 1}").expect("write");
    assert_eq!(
        store.read_file("staging", "vars.json").expect("read").as_deref(),
        Some(&b"{\"n\": 1}"[..])
    );
    assert_eq!(store.read_file("prod", "vars.json").expect("read"), None);
    let b = store.open("staging").expect("open");
    let mut s = b.load().expect("load");
    s.resources.insert("local_value.a".into(), resource("a"));
    b.persist(&mut s).expect("persist");
    assert!(
        store
            .open("prod")
            .expect("open")
            .load()
            .expect("load")
            .resources
            .is_empty(),
        "states are apart"
    );
    store.delete("staging").expect("delete");
    assert!(!store.exists("staging").expect("exists"));
    assert_eq!(store.environments().expect("list"), ["prod"]);
    assert_eq!(store.read_file("staging", "vars.json").expect("read"), None);
    assert!(
        p.raw("staging").trim().is_empty(),
        "nothing of staging is left: {}",
        p.raw("staging")
    );
}

fn a_held_lock_names_its_holder(p: Peer) {
    let b = p.backend("default");
    let guard = b.try_lock("apply").expect("lock");
    match p.backend("default").try_lock("plan") {
        Err(StateError::Locked { env, holder }) => {
            assert_eq!(env, "default");
            assert_eq!(holder.operation, "apply");
            assert_eq!(holder.pid, std::process::id());
            assert!(holder.who.contains('@'), "{holder}");
            assert!(!holder.id.is_empty(), "{holder}");
            let msg = StateError::Locked {
                env,
                holder: holder.clone(),
            }
            .to_string();
            assert!(msg.contains(&format!("plinth force-unlock {}", holder.id)), "{msg}");
        }
        Err(e) => panic!("expected Locked, got {e}"),
        Ok(_) => panic!("a second lock must conflict"),
    }
    // Another environment is independent.
    let _other = p.backend("staging").try_lock("apply").expect("another environment");
    drop(guard);
    let _again = p.backend("default").try_lock("plan").expect("released on drop");
}

fn lock_timeout_waits_for_the_holder(p: Peer) {
    let guard = p.backend("default").try_lock("apply").expect("lock");
    let released = Arc::new(Mutex::new(None::<Instant>));
    let r = released.clone();
    let t = std::thread::spawn(move || {
        std::thread::sleep(Duration::from_millis(1200));
        *r.lock().expect("mutex") = Some(Instant::now());
        drop(guard);
    });
    let b = p.backend("default");
    let mut told = Vec::new();
    let got = plinth::state::lock::wait_for_lock(&*b, "plan", Duration::from_secs(30), &mut |h, _| {
        told.push(h.operation.clone())
    });
    assert!(got.is_ok(), "the lock was released within the timeout: {:?}", got.err());
    t.join().expect("holder thread");
    assert_eq!(told, ["apply"], "the holder is named once");
    assert!(released.lock().expect("mutex").is_some());
    drop(got);
    // Giving up names the holder.
    let _held = p.backend("default").try_lock("apply").expect("lock");
    let start = Instant::now();
    let e = plinth::state::lock::wait_for_lock(&*b, "plan", Duration::from_millis(600), &mut |_, _| {})
        .err()
        .expect("gives up");
    assert!(start.elapsed() >= Duration::from_millis(600));
    assert!(
        matches!(e, StateError::Locked { ref holder, .. } if holder.operation == "apply"),
        "{e}"
    );
}

const FILES: &str = r#"
resource "local_file" "a" {
  path    = "out/a.txt"
  content = "a"
}

resource "local_file" "b" {
  path    = "out/b.txt"
  content = "b"
}
"#;

fn cli_environments(p: Peer) {
    p.dir.write("main.hcl", FILES);
    p.ok(&["init"]);
    let o = p.ok(&["env", "new", "staging"]);
    assert!(
        stdout(&o).contains("Created and selected environment \"staging\""),
        "{}",
        stdout(&o)
    );
    p.ok(&["apply", "--auto-approve"]);
    // The copy would manage the same files: allowed here, to test the commands.
    p.ok(&[
        "env",
        "clone",
        "staging",
        "copy",
        "--allow-shared",
        "local_file.a",
        "--allow-shared",
        "local_file.b",
    ]);
    let list = stdout(&p.ok(&["env", "list"]));
    assert!(list.contains("* staging"), "{list}");
    assert!(list.contains("  copy  (cloned from staging)"), "{list}");
    assert!(list.contains("  default"), "{list}");
    let e = p.run(&["env", "delete", "staging"]);
    expect_code(&e, 1);
    assert!(
        stderr(&e).contains("still manages 2 resource instance(s)"),
        "{}",
        stderr(&e)
    );
    p.ok(&["-e", "copy", "plan"]);
    p.ok(&["env", "delete", "copy"]);
    assert!(!stdout(&p.ok(&["env", "list"])).contains("copy"));
    let state = stdout(&p.ok(&["state", "list"]));
    assert_eq!(state.lines().collect::<Vec<_>>(), ["local_file.a", "local_file.b"]);
}

/// Two applies started at once on one environment, each adding its own resource: one waits for
/// the other's lock, both finish, and the state holds both exactly once.
fn concurrent_applies_both_land(p: Peer) {
    p.dir.write("main.hcl", FILES);
    p.ok(&["init"]);
    let spawn = |target: &str| -> Child {
        p.command(&["apply", "--auto-approve", "--lock-timeout", "120s", "--target", target])
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("spawn apply")
    };
    let (a, b) = (spawn("local_file.a"), spawn("local_file.b"));
    for child in [a, b] {
        let o = child.wait_with_output().expect("wait");
        expect_code(&o, 0);
    }
    let state = stdout(&p.ok(&["state", "list"]));
    assert_eq!(state.lines().collect::<Vec<_>>(), ["local_file.a", "local_file.b"]);
    let pulled: serde_json::Value = serde_json::from_slice(&p.ok(&["state", "pull"]).stdout).expect("state json");
    assert_eq!(pulled["resources"].as_object().map(|r| r.len()), Some(2));
    assert!(p.dir.exists("out/a.txt") && p.dir.exists("out/b.txt"));
    let o = p.ok(&["plan", "--detailed-exitcode"]);
    assert!(stdout(&o).contains("No changes"), "{}", stdout(&o));
}

/// A holder killed with SIGKILL leaves no lock behind: the next command takes it at once.
fn a_killed_holder_leaves_no_lock(p: Peer) {
    p.dir.write("main.hcl", FILES);
    p.ok(&["init"]);
    let mut first = p
        .command(&["apply"])
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn apply");
    let err = capture(&mut first);
    let start = Instant::now();
    while !err.lock().expect("mutex").contains("Enter a value") {
        assert!(
            start.elapsed() < Duration::from_secs(60),
            "apply never prompted: {}",
            err.lock().expect("mutex")
        );
        std::thread::sleep(Duration::from_millis(20));
    }
    let o = p.run(&["state", "rm", "local_file.a"]);
    expect_code(&o, 1);
    assert!(
        stderr(&o).contains("locked by another Plinth process"),
        "{}",
        stderr(&o)
    );
    assert!(
        stderr(&o).contains(", apply, since "),
        "the holder's operation: {}",
        stderr(&o)
    );
    first.kill().expect("SIGKILL the holder");
    first.wait().expect("reap");
    if p.kind == Kind::S3 {
        // The lock object outlives its holder: the next command says whose it was and exactly
        // how to free it, and force-unlock (after checking the ID) does.
        let o = p.run(&["apply", "--auto-approve"]);
        expect_code(&o, 1);
        let e = stderr(&o);
        let id = e
            .split("plinth force-unlock ")
            .nth(1)
            .and_then(|rest| rest.split('`').next())
            .unwrap_or_else(|| panic!("the message names the command to run: {e}"))
            .to_string();
        assert!(e.contains(", apply, since "), "{e}");
        let wrong = p.run(&["force-unlock", "not-the-id", "--force"]);
        expect_code(&wrong, 1);
        assert!(stderr(&wrong).contains(&id), "{}", stderr(&wrong));
        p.ok(&["force-unlock", &id, "--force"]);
        let left = boto3(
            p.endpoint(),
            &["s3"],
            &format!("print(code(lambda: s3.head_object(Bucket='{BUCKET}', Key='{KEY}.tflock')))"),
        );
        assert_ne!(left, "present", "force-unlock deleted the lock object");
    }
    let start = Instant::now();
    let o = p.run(&["apply", "--auto-approve"]);
    expect_code(&o, 0);
    assert!(start.elapsed() < Duration::from_secs(30));
    if p.kind == Kind::S3 {
        let left = boto3(
            p.endpoint(),
            &["s3"],
            &format!("print(code(lambda: s3.head_object(Bucket='{BUCKET}', Key='{KEY}.tflock')))"),
        );
        assert_ne!(left, "present", "a finished command releases the lock object");
    }
}

/// Ten `plan`s and one `apply` at once: plan reads a consistent snapshot without the lock, so
/// none fails or sees a torn state, while the apply (which takes the lock) lands.
fn concurrent_plans_and_an_apply(p: Peer) {
    p.dir.write("main.hcl", FILES);
    p.ok(&["init"]);
    p.ok(&["apply", "--auto-approve", "--target", "local_file.a"]);
    let spawn = |args: &[&str]| -> Child {
        p.command(args)
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("spawn plinth")
    };
    let apply = spawn(&["apply", "--auto-approve"]);
    let plans: Vec<Child> = (0..10).map(|_| spawn(&["plan"])).collect();
    for plan in plans {
        let o = plan.wait_with_output().expect("wait");
        expect_code(&o, 0);
        let out = stdout(&o);
        // Before the apply lands the plan adds b; after, nothing: never anything else.
        assert!(
            out.contains("Plan: 1 to add, 0 to change, 0 to destroy") || out.contains("No changes"),
            "{out}"
        );
    }
    expect_code(&apply.wait_with_output().expect("wait"), 0);
    let o = p.ok(&["plan", "--detailed-exitcode"]);
    assert!(stdout(&o).contains("No changes"), "{}", stdout(&o));
}

fn capture(child: &mut Child) -> Arc<Mutex<String>> {
    use std::io::Read as _;
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

/// Recording one finished change costs O(change): on a 10,000-instance state, recording a change
/// takes a small part of what writing the whole state takes (a journal that rewrote the state would
/// take at least as long as a persist).
fn recording_a_change_does_not_rewrite_the_state(p: Peer) {
    let b = p.backend("default");
    let mut s = b.load().expect("load");
    for i in 0..10_000 {
        s.resources
            .insert(format!("local_value.v[{i}]"), resource(&format!("value number {i}")));
    }
    let start = Instant::now();
    b.persist(&mut s).expect("persist");
    let persist = start.elapsed();
    let mut j = b.journal().expect("journal");
    let n = 20;
    let start = Instant::now();
    for i in 0..n {
        j.record(&[set(&format!("local_value.v[{i}]"), "changed")])
            .expect("record");
    }
    let record = start.elapsed() / n;
    eprintln!(
        "{:?}: persist of 10,000 instances {persist:?}, one recorded change {record:?}",
        p.kind
    );
    assert!(
        record * 2 < persist,
        "recording one change ({record:?}) should cost far less than writing the state ({persist:?})"
    );
    assert_eq!(p.journal_len("default"), n as usize);
}

/// One `#[test]` per case and backend: `local::load_persist_serial`, `postgres::...`.
macro_rules! conformance {
    ($($case:ident),* $(,)?) => {
        mod local {
            $( #[test] fn $case() { super::$case(super::Peer::new(super::Kind::Local)); } )*
        }
        mod postgres {
            $( #[test] fn $case() { super::$case(super::Peer::new(super::Kind::Postgres)); } )*
        }
        mod s3 {
            $( #[test] fn $case() { super::$case(super::Peer::new(super::Kind::S3)); } )*
        }
    };
}

conformance!(
    load_persist_serial,
    journal_replay_after_crash,
    lineage_is_checked,
    encryption_at_rest,
    environments,
    a_held_lock_names_its_holder,
    lock_timeout_waits_for_the_holder,
    cli_environments,
    concurrent_applies_both_land,
    a_killed_holder_leaves_no_lock,
    concurrent_plans_and_an_apply,
    recording_a_change_does_not_rewrite_the_state,
);

// ---------------------------------------------------------------------------------------------
// The postgres backend alone

/// Wrong password, unreachable server, missing database: one clear error each, exit 1, naming
/// the backend and what failed, never the password.
#[test]
fn postgres_connection_errors_are_clear_and_never_show_the_password() {
    let p = Peer::new(Kind::Postgres);
    p.dir.write("main.hcl", FILES);
    let port = pg::server().port;
    let free = std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("free port");
    let secret = "Hunter2-not-this-one";
    let cases = [
        (
            format!("host=127.0.0.1 port={port} user=postgres password={secret} dbname=postgres sslmode=disable"),
            "authentication failed for user \"postgres\" (wrong password?)",
        ),
        (
            format!("postgresql://postgres:{secret}@127.0.0.1:{free}/postgres?sslmode=disable"),
            "cannot reach the PostgreSQL server",
        ),
        (
            format!(
                "host=127.0.0.1 port={port} user=postgres password={} dbname=no_such_db sslmode=disable",
                pg::PASSWORD
            ),
            "database \"no_such_db\" does not exist",
        ),
    ];
    for (conn, want) in cases {
        let o = command(p.dir.path(), &["plan"])
            .env("PG_CONN_STR", &conn)
            .output()
            .expect("run");
        expect_code(&o, 1);
        let all = format!("{}{}", stdout(&o), stderr(&o));
        assert!(all.contains("postgres backend (127.0.0.1:"), "{all}");
        assert!(all.contains(want), "{want:?} in {all}");
        assert!(
            !all.contains(secret) && !all.contains(pg::PASSWORD),
            "a password was printed: {all}"
        );
        assert_eq!(all.trim().lines().count(), 1, "one line: {all}");
    }
    // No connection string at all.
    let o = command(p.dir.path(), &["plan"]).output().expect("run");
    expect_code(&o, 1);
    assert!(stderr(&o).contains("PG_CONN_STR"), "{}", stderr(&o));
}

/// Tables are made by `init` (twice is harmless), versioned in `meta`; a command before `init`
/// says to run it.
#[test]
fn postgres_init_makes_versioned_tables() {
    let db = pg::server().database();
    let dir = Dir::with(FILES);
    dir.write("backend.hcl", "plinth {\n  backend \"postgres\" {}\n}\n");
    let conn = pg::server().conn_str(&db);
    let run = |args: &[&str]| {
        command(dir.path(), args)
            .env("PG_CONN_STR", &conn)
            .output()
            .expect("run")
    };
    let o = run(&["plan"]);
    expect_code(&o, 1);
    assert!(stderr(&o).contains("run `plinth init`"), "{}", stderr(&o));
    expect_code(&run(&["init"]), 0);
    expect_code(&run(&["init"]), 0);
    let pg = pg::server();
    assert_eq!(
        pg.psql(&db, "SELECT value FROM plinth.meta WHERE key = 'schema_version'"),
        "1"
    );
    let tables = pg.psql(
        &db,
        "SELECT string_agg(tablename, ',' ORDER BY tablename) FROM pg_tables WHERE schemaname = 'plinth'",
    );
    assert_eq!(tables, "env_files,environments,journal,keys,locks,meta,states");
    expect_code(&run(&["apply", "--auto-approve"]), 0);
    // Each journaled change moved the serial, and the persist once more.
    assert_eq!(
        pg.psql(&db, "SELECT serial > 1 FROM plinth.states WHERE env = 'default'"),
        "t"
    );
    assert_eq!(pg.psql(&db, "SELECT count(*) FROM plinth.journal"), "0");
    assert_eq!(
        pg.psql(&db, "SELECT count(*) FROM plinth.locks"),
        "0",
        "the lock row goes with the lock"
    );
}

/// Two machines (two directories) sharing one backend derive the same keyed hashes: the hash key
/// lives in the backend, made once, sealed with the encryption key when there is one.
#[test]
fn postgres_keys_are_shared_and_sealed() {
    let p = Peer::new(Kind::Postgres);
    let key = Cipher::from_secret("conformance-key-0123456789abcdef-0123456789").expect("key");
    let a = p.store(Some(key.clone())).shared_key("hash.key", None).expect("key");
    let b = p
        .store(Some(key.clone()))
        .shared_key("hash.key", Some(&[7u8; 32]))
        .expect("key");
    assert_eq!(a, b, "created once, never overwritten");
    assert_eq!(a.len(), 32);
    let stored = p.psql(&format!(
        "SELECT encode(data, 'hex') FROM {SCHEMA}.keys WHERE name = 'hash.key'"
    ));
    assert!(!stored.contains(&hex(&a)), "the key is sealed at rest");

    // Through the binary (another database: the keys above are sealed with a key the
    // configuration does not have): a sensitive value's hash, and the utility key, are the same
    // from two directories.
    let p = Peer::new(Kind::Postgres);
    let hcl = "variable \"pw\" {\n  type      = string\n  sensitive = true\n  default   = \"s3cret\"\n}\n\noutput \"pw\" {\n  value     = var.pw\n  sensitive = true\n}\n";
    p.dir.write("main.hcl", hcl);
    p.ok(&["init"]);
    p.ok(&["apply", "--auto-approve"]);
    let other = Dir::with(hcl);
    other.write("backend.hcl", &p.backend_hcl());
    let o = command(other.path(), &["plan", "--detailed-exitcode"])
        .env("PG_CONN_STR", p.conn_str())
        .output()
        .expect("run");
    expect_code(&o, 0);
    assert!(
        other.exists(".plinth/utility.key"),
        "the shared utility.key is copied where providers read it"
    );
    assert_eq!(
        std::fs::read(other.join(".plinth/utility.key")).expect("key"),
        std::fs::read(p.dir.join(".plinth/utility.key")).expect("key")
    );
}

fn hex(b: &[u8]) -> String {
    b.iter().map(|x| format!("{x:02x}")).collect()
}

/// `--lock-timeout` through the binary: the waiting command says once who holds the lock, and
/// giving up names holder, operation and since when.
#[test]
fn lock_timeout_flag_waits_then_names_the_holder() {
    let p = Peer::new(Kind::Postgres);
    p.dir.write("main.hcl", FILES);
    p.ok(&["init"]);
    let held = p.backend("default").try_lock("apply").expect("lock");
    let o = p.run(&["state", "rm", "--lock-timeout", "1s", "local_file.a"]);
    expect_code(&o, 1);
    let err = stderr(&o);
    assert_eq!(err.matches("waiting up to 1s").count(), 1, "{err}");
    assert!(err.contains(", apply, since "), "{err}");
    let t = std::thread::spawn(move || {
        std::thread::sleep(Duration::from_millis(1500));
        drop(held);
    });
    let o = p.run(&["-lock-timeout=60s", "apply", "--auto-approve"]);
    t.join().expect("thread");
    expect_code(&o, 0);
    let bad = p.run(&["plan", "--lock-timeout", "soon"]);
    expect_code(&bad, 1);
    assert!(stderr(&bad).contains("invalid duration"), "{}", stderr(&bad));
}

/// Mistakes in the backend block are diagnostics at file:line:col, before anything connects.
#[test]
fn backend_block_mistakes_point_at_the_file() {
    let d = Dir::with(FILES);
    let check = |block: &str, want: &str| {
        d.write("backend.hcl", block);
        let o = command(d.path(), &["validate"]).output().expect("run");
        expect_code(&o, 1);
        assert!(stderr(&o).contains(want), "{want:?} in {}", stderr(&o));
    };
    check(
        "plinth {\n  backend \"s4\" {}\n}\n",
        "backend.hcl:2:11: error: Unsupported backend \"s4\"",
    );
    check(
        "plinth {\n  backend \"postgres\" {\n    conn = \"x\"\n  }\n}\n",
        "backend.hcl:3:5: error: Unknown argument \"conn\" in backend \"postgres\"",
    );
    check(
        "plinth {\n  backend \"postgres\" {\n    skip_table_creation = true\n  }\n}\n",
        "backend.hcl:3:5: error: Unsupported argument \"skip_table_creation\" in backend \"postgres\"",
    );
    check(
        "variable \"c\" {\n  default = \"x\"\n}\n\nplinth {\n  backend \"postgres\" {\n    conn_str = var.c\n  }\n}\n",
        "backend.hcl:7:16: error: Backend argument \"conn_str\" cannot refer to var",
    );
}

// ---------------------------------------------------------------------------------------------
// Moving state between backends

/// `plinth init -migrate-state` moves every environment from local to postgres to s3 and back
/// to local, with a 10,000-instance state: each hop's `state pull` is the source's, byte for
/// byte (lineage and serial kept), and each destination holds it as its own client shows. A
/// changed backend block is noticed by every command until `init` says what to do, and a
/// destination holding another lineage is refused with nothing copied.
#[test]
fn migrate_state_local_postgres_s3_local() {
    let pg = Peer::new(Kind::Postgres);
    let s3 = Peer::new(Kind::S3);
    let dir = &pg.dir;
    let run = |args: &[&str]| -> Output {
        let mut c = pg.command(args);
        c.env("AWS_ACCESS_KEY_ID", "testing")
            .env("AWS_SECRET_ACCESS_KEY", "testing")
            .env("AWS_REGION", "us-east-1")
            .env("AWS_EC2_METADATA_DISABLED", "true")
            .env("AWS_CONFIG_FILE", dir.join("no-aws-config"))
            .env("AWS_SHARED_CREDENTIALS_FILE", dir.join("no-aws-credentials"));
        c.output().expect("run plinth")
    };
    let ok = |args: &[&str]| -> Output {
        let o = run(args);
        expect_code(&o, 0);
        o
    };
    dir.write("backend.hcl", "");
    dir.write("main.hcl", FILES);
    ok(&["init"]);
    // The states, written through the local backend in-process.
    let store = open_store(BackendSettings::local(dir.path())).expect("local store");
    let b = store.open("default").expect("default");
    let mut big = b.load().expect("load");
    for i in 0..10_000 {
        big.resources
            .insert(format!("local_value.v[{i}]"), resource(&format!("value number {i}")));
    }
    b.persist(&mut big).expect("persist");
    b.journal()
        .expect("journal")
        .record(&[set("local_value.journaled", "recorded, not yet in a snapshot")])
        .expect("record");
    store.create("staging").expect("create");
    let st = store.open("staging").expect("staging");
    let mut small = st.load().expect("load");
    small.resources.insert("local_value.s".into(), resource("s"));
    st.persist(&mut small).expect("persist");
    store
        .write_file("staging", "vars.json", b"{\"size\":\"small\"}")
        .expect("vars");
    let pull = |env: &str| stdout(&ok(&["-e", env, "state", "pull"]));
    let (want_default, want_staging) = (pull("default"), pull("staging"));
    let lineage = big.lineage.clone();
    assert!(want_default.contains("local_value.journaled"));

    // local → postgres
    dir.write("backend.hcl", &pg.backend_hcl());
    let o = run(&["plan"]);
    expect_code(&o, 1);
    assert!(stderr(&o).contains("plinth init -migrate-state"), "{}", stderr(&o));
    let o = run(&["init"]);
    expect_code(&o, 1);
    assert!(stderr(&o).contains("the backend changed"), "{}", stderr(&o));
    let o = ok(&["init", "-migrate-state"]);
    assert!(
        stdout(&o).contains("default: 10001 resource instance(s)"),
        "{}",
        stdout(&o)
    );
    assert_eq!(
        (pull("default"), pull("staging")),
        (want_default.clone(), want_staging.clone())
    );
    assert_eq!(
        pg.psql(&format!(
            "SELECT env || ' ' || lineage FROM {SCHEMA}.states ORDER BY env"
        )),
        format!("default {lineage}\nstaging {}", small.lineage)
    );
    assert_eq!(
        pg.psql(&format!(
            "SELECT encode(data, 'escape') FROM {SCHEMA}.env_files WHERE env = 'staging' AND name = 'vars.json'"
        )),
        "{\"size\":\"small\"}"
    );

    // postgres → s3
    dir.write("backend.hcl", &s3.backend_hcl());
    ok(&["init", "-migrate-state"]);
    assert_eq!(
        (pull("default"), pull("staging")),
        (want_default.clone(), want_staging.clone())
    );
    let in_bucket = boto3_json(
        s3.endpoint(),
        &["s3"],
        &format!(
            "import json\n\
             d = json.loads(s3.get_object(Bucket='{BUCKET}', Key='{KEY}')['Body'].read())\n\
             s = json.loads(s3.get_object(Bucket='{BUCKET}', Key='env:/staging/{KEY}')['Body'].read())\n\
             out([d['lineage'], len(d['resources']), s['lineage'], sorted(s['resources'])])"
        ),
    );
    assert_eq!(
        in_bucket,
        serde_json::json!([lineage, 10_001, small.lineage, ["local_value.s"]])
    );

    // s3 → local, into a directory whose local state is gone (a fresh checkout).
    std::fs::remove_dir_all(dir.join(".plinth/env")).expect("remove the local state");
    dir.write("backend.hcl", "");
    ok(&["init", "-migrate-state"]);
    assert_eq!((pull("default"), pull("staging")), (want_default, want_staging));
    let on_disk: serde_json::Value =
        serde_json::from_slice(&std::fs::read(dir.join(".plinth/env/default/state.json")).expect("state.json"))
            .expect("json");
    assert_eq!(on_disk["lineage"], lineage.as_str());
    assert_eq!(on_disk["resources"].as_object().map(|r| r.len()), Some(10_001));

    // Another lineage in the destination: refused, and nothing copied.
    let other = pg.store(None).open("default").expect("open");
    let mut foreign = State::new();
    foreign.resources.insert("local_value.x".into(), resource("x"));
    other.persist(&mut foreign).expect("persist");
    dir.write("backend.hcl", &pg.backend_hcl());
    let o = run(&["init", "-migrate-state"]);
    expect_code(&o, 1);
    assert!(stderr(&o).contains("another lineage"), "{}", stderr(&o));
    assert!(stderr(&o).contains("Nothing was copied"), "{}", stderr(&o));
    assert_eq!(
        pg.psql(&format!("SELECT lineage FROM {SCHEMA}.states WHERE env = 'default'")),
        foreign.lineage
    );
}

// ---------------------------------------------------------------------------------------------
// The s3 backend alone

/// A missing bucket, refused credentials, an unreachable endpoint and a write the caller's
/// policy forbids: one clear error each, exit 1, naming the backend and what failed, never a
/// credential.
#[test]
fn s3_errors_are_clear_and_never_show_a_credential() {
    let p = Peer::new(Kind::S3);
    p.dir.write("main.hcl", FILES);
    let secret = "wJalrXUtnFEMI-K7MDENG-bPxRfiCYEXAMPLEKEY";
    let run_with = |hcl: &str, env: &[(&str, &str)]| -> Output {
        p.dir.write("backend.hcl", hcl);
        let mut c = p.command(&["plan"]);
        for (k, v) in env {
            c.env(k, v);
        }
        let o = c.output().expect("run plinth");
        expect_code(&o, 1);
        assert!(
            !stderr(&o).contains(secret) && !stdout(&o).contains(secret),
            "a credential leaked: {}",
            stderr(&o)
        );
        o
    };
    // A key without `/`: moto's signature check (below) miscomputes listings whose prefix has a
    // `/` or `:` in it, which real S3 and unauthenticated moto do not.
    let key = "plinth.tfstate";
    let hcl = |bucket: &str, endpoint: &str| {
        format!(
            "plinth {{\n  backend \"s3\" {{\n    bucket    = \"{bucket}\"\n    key       = \"{key}\"\n    endpoints = {{ s3 = \"{endpoint}\" }}\n  }}\n}}\n"
        )
    };
    let e = stderr(&run_with(
        &hcl("no-such-bucket", p.endpoint()),
        &[("AWS_SECRET_ACCESS_KEY", secret)],
    ));
    assert!(e.contains("s3 backend (s3://no-such-bucket/"), "{e}");
    assert!(e.contains("bucket \"no-such-bucket\" does not exist"), "{e}");
    let free = std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("free port");
    let e = stderr(&run_with(
        &hcl(BUCKET, &format!("http://127.0.0.1:{free}")),
        &[("AWS_SECRET_ACCESS_KEY", secret), ("AWS_MAX_ATTEMPTS", "1")],
    ));
    assert!(e.contains("cannot reach S3"), "{e}");
    assert_eq!(e.trim().lines().count(), 1, "one line: {e}");

    // Moto checks credentials and IAM policies once its first requests are spent: a user
    // allowed to read the bucket but not to write it.
    let strict = moto_with_env(&[("INITIAL_NO_AUTH_ACTION_COUNT", "7")]);
    let keys = boto3_json(
        &strict.1,
        &["s3", "iam"],
        &format!(
            "import json\n\
             s3.create_bucket(Bucket='{BUCKET}')\n\
             def user(name, actions):\n\
             \x20   iam.create_user(UserName=name)\n\
             \x20   iam.put_user_policy(UserName=name, PolicyName='state', PolicyDocument=json.dumps({{'Version': '2012-10-17', 'Statement': [{{'Effect': 'Allow', 'Action': actions, 'Resource': ['arn:aws:s3:::{BUCKET}', 'arn:aws:s3:::{BUCKET}/*']}}]}}))\n\
             \x20   k = iam.create_access_key(UserName=name)['AccessKey']\n\
             \x20   return [k['AccessKeyId'], k['SecretAccessKey']]\n\
             out(user('admin', ['s3:*']) + user('reader', ['s3:ListBucket', 's3:GetObject']))"
        ),
    );
    let key_of = |i: usize| keys[i].as_str().expect("an access key").to_string();
    let (admin_id, admin_key, id, secret_key) = (key_of(0), key_of(1), key_of(2), key_of(3));
    let (id, secret_key) = (id.as_str(), secret_key.as_str());
    // Wrong secret for a real key id.
    let e = stderr(&run_with(
        &hcl(BUCKET, &strict.1),
        &[("AWS_ACCESS_KEY_ID", id), ("AWS_SECRET_ACCESS_KEY", secret)],
    ));
    assert!(e.contains("the AWS credentials were refused"), "{e}");
    // The reader may plan (plan reads without the lock) but not apply (the lock is a write).
    p.dir.write("backend.hcl", &hcl(BUCKET, &strict.1));
    let as_user = |id: &str, key: &str, args: &[&str]| {
        p.command(args)
            .env("AWS_ACCESS_KEY_ID", id)
            .env("AWS_SECRET_ACCESS_KEY", key)
            .output()
            .expect("run plinth")
    };
    // The admin initialises (the shared keys are written once), then the reader works.
    expect_code(&as_user(&admin_id, &admin_key, &["init"]), 0);
    let reader = |args: &[&str]| as_user(id, secret_key, args);
    expect_code(&reader(&["plan"]), 0);
    let o = reader(&["apply", "--auto-approve"]);
    expect_code(&o, 1);
    let e = stderr(&o);
    assert!(
        e.contains(&format!(
            "s3 backend (s3://{BUCKET}/{key}.tflock): taking the lock failed: permission denied"
        )),
        "{e}"
    );
    assert!(!e.contains(secret_key), "the secret key leaked: {e}");
}
