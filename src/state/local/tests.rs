//! The crash and concurrency rules of the local backend, on real files in a temporary directory.

use std::collections::BTreeMap;
use std::fs::OpenOptions;
use std::io::Write;

use super::*;
use crate::secrets::encryption::Purpose;
use crate::state::OutputState;

fn res(content: &str) -> ResourceState {
    ResourceState {
        mode: "managed".into(),
        type_name: "local_file".into(),
        provider: "local".into(),
        attributes: serde_json::json!({ "path": "a.txt", "content": content }),
        sensitive: BTreeMap::new(),
        dependencies: Vec::new(),
        create_before_destroy: false,
        tainted: false,
    }
}

fn set(addr: &str, content: &str) -> JournalEntry {
    JournalEntry::Set {
        address: addr.into(),
        resource: Box::new(res(content)),
    }
}

fn setup() -> (tempfile::TempDir, LocalBackend) {
    let dir = tempfile::tempdir().expect("tempdir");
    let backend = LocalBackend::new(dir.path(), "default");
    (dir, backend)
}

#[test]
fn missing_state_is_new_and_not_written() {
    let (dir, b) = setup();
    let s = b.load().expect("load");
    assert_eq!(s.serial, 0);
    assert!(s.resources.is_empty());
    assert!(!env_dir(dir.path(), "default").exists());
}

#[test]
fn round_trip_and_serial_bump() {
    let (dir, b) = setup();
    let mut s = State::new();
    s.resources.insert("local_file.a".into(), res("x"));
    s.outputs.insert(
        "o".into(),
        OutputState {
            value: serde_json::json!({"b": 1, "a": 2}),
            type_name: "object".into(),
            sensitive: false,
        },
    );
    assert_eq!(b.persist(&mut s).expect("persist"), 1);
    assert!(dir.path().join(".plinth/env/default/state.json").is_file());
    let loaded = b.load().expect("load");
    assert_eq!(loaded, s);
    assert_eq!(loaded.serial, 1);
    let mut again = loaded.clone();
    assert_eq!(b.persist(&mut again).expect("persist"), 2);
    assert_eq!(b.load().expect("load").serial, 2);
    assert_eq!(b.load().expect("load").lineage, s.lineage);
}

#[test]
fn snapshot_is_deterministic() {
    let (_dir, b) = setup();
    let mut s = State::new();
    let mut r = res("x");
    r.attributes = serde_json::json!({"z": {"y": 1, "x": 2}, "a": [ {"d": 1, "c": 2} ]});
    s.resources.insert("local_file.b".into(), r.clone());
    s.resources.insert("local_file.a".into(), r);
    b.persist(&mut s).expect("persist");
    let text = fs::read_to_string(b.dir().join(STATE_FILE)).expect("read");
    let pos = |needle: &str| text.find(needle).expect(needle);
    assert!(pos("\"local_file.a\"") < pos("\"local_file.b\""));
    assert!(pos("\"a\": [") < pos("\"z\": {"));
    assert!(pos("\"c\": 2") < pos("\"d\": 1"));
    assert!(pos("\"x\": 2") < pos("\"y\": 1"));
    assert!(text.ends_with("}\n"));
}

#[test]
fn backup_holds_previous_snapshot() {
    let (_dir, b) = setup();
    let mut s = State::new();
    s.resources.insert("local_file.a".into(), res("one"));
    b.persist(&mut s).expect("persist");
    assert!(!b.dir().join(BACKUP_FILE).exists());
    let first = fs::read_to_string(b.dir().join(STATE_FILE)).expect("read");
    s.resources.insert("local_file.b".into(), res("two"));
    b.persist(&mut s).expect("persist");
    assert_eq!(
        fs::read_to_string(b.dir().join(BACKUP_FILE)).expect("read backup"),
        first
    );
    let backup: State = serde_json::from_str(&first).expect("parse");
    assert_eq!(backup.serial, 1);
    assert_eq!(backup.resources.len(), 1);
    assert_eq!(b.load().expect("load").resources.len(), 2);
    // No temporary files are left behind.
    let names: Vec<String> = fs::read_dir(b.dir())
        .expect("read_dir")
        .map(|e| e.expect("entry").file_name().into_string().expect("utf-8"))
        .collect();
    assert!(names.iter().all(|n| !n.contains(".tmp")), "{names:?}");
}

#[test]
#[cfg(target_os = "linux")]
fn taking_the_lock_removes_what_a_killed_writer_left_and_keeps_a_live_writers_file() {
    let (dir, b) = setup();
    fs::create_dir_all(b.dir()).expect("env dir");
    // PIDs stay below 2^22 (the kernel's largest pid_max), so this writer cannot be running.
    let dead = b.dir().join(".state.json.tmp-4194305-0");
    let dead_key = dir.path().join(".plinth").join(".hash.key.tmp-4194305-3");
    let live = b.dir().join(format!(".vars.json.tmp-{}-7", std::process::id()));
    let not_ours = b.dir().join(".notes.tmp-keep");
    for f in [&dead, &dead_key, &live, &not_ours] {
        fs::write(f, "half").expect("write");
    }
    let guard = b.try_lock("apply").expect("lock");
    assert!(
        !dead.exists() && !dead_key.exists(),
        "a dead writer's leftovers are removed"
    );
    assert!(
        live.exists() && not_ours.exists(),
        "a live writer's file and other files stay"
    );
    drop(guard);
}

#[test]
fn journal_is_replayed_after_crash() {
    let (dir, b) = setup();
    let mut s = State::new();
    s.resources.insert("local_file.gone".into(), res("old"));
    b.persist(&mut s).expect("persist");
    {
        let mut j = b.journal().expect("journal");
        j.record(&[set("local_file.a", "1"), set("local_file.b", "2")])
            .expect("record");
        j.record(&[JournalEntry::Remove {
            address: "local_file.gone".into(),
        }])
        .expect("record");
        // Crash: dropped without persist.
    }
    let b2 = LocalBackend::new(dir.path(), "default");
    let loaded = b2.load().expect("load");
    assert_eq!(
        loaded.resources.keys().collect::<Vec<_>>(),
        ["local_file.a", "local_file.b"]
    );
    assert_eq!(loaded.resources["local_file.b"], res("2"));
    // A plan made at serial 1 is stale now; the serial counts every replayed change.
    assert_eq!(loaded.serial, 1 + 3);
    assert_eq!(loaded.lineage, s.lineage);

    // Persisting folds the journal in and empties it.
    let mut loaded = loaded;
    assert_eq!(b2.persist(&mut loaded).expect("persist"), 5);
    assert_eq!(fs::metadata(b2.dir().join(JOURNAL_FILE)).expect("meta").len(), 0);
    assert_eq!(b2.load().expect("load"), loaded);
}

#[test]
fn a_journaled_move_is_replayed_once() {
    let (dir, b) = setup();
    let mut s = State::new();
    s.resources.insert("local_file.a".into(), res("old"));
    b.persist(&mut s).expect("persist");
    {
        let mut j = b.journal().expect("journal");
        j.record(&[JournalEntry::Move {
            from: "local_file.a".into(),
            to: "module.m.local_file.a".into(),
        }])
        .expect("record");
        // A new object at the old address, made after the move.
        j.record(&[set("local_file.a", "new")]).expect("record");
        // Crash: dropped without persist.
    }
    let b2 = LocalBackend::new(dir.path(), "default");
    let mut loaded = b2.load().expect("load");
    assert_eq!(loaded.resources["module.m.local_file.a"], res("old"));
    assert_eq!(loaded.resources["local_file.a"], res("new"));
    // Replayed again over a state that already has it (a crash between snapshot and journal
    // clearing), the move changes nothing.
    let before = loaded.clone();
    loaded.apply_entry(JournalEntry::Move {
        from: "local_file.a".into(),
        to: "module.m.local_file.a".into(),
    });
    assert_eq!(loaded, before);
}

#[test]
fn journal_without_snapshot_is_replayed() {
    let (_dir, b) = setup();
    b.journal()
        .expect("journal")
        .record(&[set("local_file.a", "1")])
        .expect("record");
    let s = b.load().expect("load");
    assert_eq!(s.serial, 1);
    assert!(s.resources.contains_key("local_file.a"));
}

#[test]
fn serial_advances_with_each_crashed_run() {
    let (_dir, b) = setup();
    b.persist(&mut State::new()).expect("persist");
    b.journal()
        .expect("journal")
        .record(&[set("local_file.a", "1")])
        .expect("record");
    let after_first_crash = b.load().expect("load").serial;
    b.journal()
        .expect("journal")
        .record(&[set("local_file.b", "1")])
        .expect("record");
    assert!(b.load().expect("load").serial > after_first_crash);
}

#[test]
fn torn_last_line_is_tolerated_and_cut_before_appending() {
    let (_dir, b) = setup();
    b.persist(&mut State::new()).expect("persist");
    b.journal()
        .expect("journal")
        .record(&[set("local_file.a", "1")])
        .expect("record");
    let path = b.dir().join(JOURNAL_FILE);
    let full = serde_json::to_string(&set("local_file.b", "2")).expect("json");
    let mut f = OpenOptions::new().append(true).open(&path).expect("open");
    f.write_all(&full.as_bytes()[..full.len() / 2]).expect("write");
    drop(f);

    let s = b.load().expect("load");
    assert_eq!(s.resources.keys().collect::<Vec<_>>(), ["local_file.a"]);

    // The next run's entries are not glued to the torn fragment.
    b.journal()
        .expect("journal")
        .record(&[set("local_file.c", "3")])
        .expect("record");
    let s = b.load().expect("load");
    assert_eq!(s.resources.keys().collect::<Vec<_>>(), ["local_file.a", "local_file.c"]);
}

#[test]
fn garbage_last_line_is_tolerated_but_corrupt_middle_line_is_not() {
    let (_dir, b) = setup();
    let path = b.dir().join(JOURNAL_FILE);
    fs::create_dir_all(b.dir()).expect("mkdir");
    let good = serde_json::to_string(&set("local_file.a", "1")).expect("json");
    fs::write(&path, format!("{good}\n\0\0\0\0\n")).expect("write");
    assert_eq!(b.load().expect("load").resources.len(), 1);

    fs::write(&path, format!("{good}\n{{\"op\": \"set\"\n{good}\n")).expect("write");
    let err = b.load().expect_err("corrupt");
    assert!(matches!(err, StateError::Corrupt { .. }), "{err}");
    assert!(err.to_string().contains("journal line 2"), "{err}");
    assert!(b.journal().is_err(), "must not append behind a corrupt line");
}

#[test]
fn journal_survives_persist_in_the_same_run() {
    let (_dir, b) = setup();
    let mut s = State::new();
    let mut j = b.journal().expect("journal");
    j.record(&[set("local_file.a", "1")]).expect("record");
    s.apply_entry(set("local_file.a", "1"));
    b.persist(&mut s).expect("persist");
    j.record(&[set("local_file.b", "2")]).expect("record after persist");
    drop(j);
    let loaded = b.load().expect("load");
    assert_eq!(loaded.resources.len(), 2);
}

#[test]
fn persist_folds_in_a_journal_the_state_does_not_contain() {
    let (_dir, b) = setup();
    let mut s = State::new();
    s.resources.insert("local_file.a".into(), res("1"));
    b.persist(&mut s).expect("persist");
    b.journal()
        .expect("journal")
        .record(&[set("local_file.b", "2")])
        .expect("record");

    // A caller that drops local_file.b (like `state rm`) without journaling it.
    let mut mine = b.load().expect("load");
    mine.resources.remove("local_file.b");
    let serial = b.persist(&mut mine).expect("persist");
    assert_eq!(serial, 4); // 1 + 1 entry replayed, +1 folded snapshot, +1 this one.
    let backup: State = serde_json::from_slice(&fs::read(b.dir().join(BACKUP_FILE)).expect("read")).expect("parse");
    assert_eq!(
        backup.resources.keys().collect::<Vec<_>>(),
        ["local_file.a", "local_file.b"]
    );
    let loaded = b.load().expect("load");
    assert_eq!(loaded.resources.keys().collect::<Vec<_>>(), ["local_file.a"]);
    assert_eq!(loaded.serial, 4);
}

#[test]
fn lock_contention_and_release() {
    let (dir, b) = setup();
    let guard = b.lock("apply").expect("lock");
    let other = LocalBackend::new(dir.path(), "default");
    match other.lock("plan") {
        Err(StateError::Locked { env, holder }) => {
            assert_eq!(env, "default");
            assert_eq!(holder.pid, std::process::id());
            assert_eq!(holder.operation, "apply");
            assert!(holder.to_string().contains(" since "), "{holder}");
        }
        Err(e) => panic!("expected Locked, got {e}"),
        Ok(_) => panic!("a second lock in the same process must conflict"),
    }
    let msg = b.lock("plan").err().map(|e| e.to_string()).unwrap_or_default();
    assert!(msg.contains("plinth force-unlock"), "{msg}");
    // Another environment is independent.
    let _staging = LocalBackend::new(dir.path(), "staging")
        .lock("apply")
        .expect("other env");
    drop(guard);
    let _again = other.lock("plan").expect("released on drop");
}

#[test]
fn too_new_and_corrupt() {
    let (_dir, b) = setup();
    fs::create_dir_all(b.dir()).expect("mkdir");
    let path = b.dir().join(STATE_FILE);
    fs::write(
        &path,
        r#"{"version": 99, "lineage": "x", "serial": 3, "resources": {}}"#,
    )
    .expect("write");
    assert!(matches!(b.load(), Err(StateError::TooNew { found: 99, .. })));
    fs::write(&path, r#"{"version": 99, "something": "else entirely"}"#).expect("write");
    assert!(matches!(b.load(), Err(StateError::TooNew { found: 99, .. })));

    fs::write(
        &path,
        "{\n  \"version\": 1,\n  \"lineage\": \"x\",\n  \"serial\": oops\n}",
    )
    .expect("write");
    let err = b.load().expect_err("corrupt");
    let StateError::Corrupt { message, .. } = &err else {
        panic!("expected Corrupt, got {err}")
    };
    assert!(message.contains("line 4"), "{message}");
    assert!(err.to_string().contains("state.json.backup"), "{err}");
}

#[test]
fn recording_does_not_rewrite_a_large_state() {
    let (_dir, b) = setup();
    let mut s = State::new();
    for i in 0..10_000 {
        s.resources
            .insert(format!("local_file.f[{i}]"), res(&format!("content {i}")));
    }
    b.persist(&mut s).expect("persist");
    let state_path = b.dir().join(STATE_FILE);
    let before = fs::metadata(&state_path).expect("meta");
    std::thread::sleep(std::time::Duration::from_millis(20));

    let mut j = b.journal().expect("journal");
    j.record(&[set("local_file.new", "x")]).expect("record");
    let after = fs::metadata(&state_path).expect("meta");
    assert_eq!(before.len(), after.len());
    assert_eq!(before.modified().expect("mtime"), after.modified().expect("mtime"));
    let journal_len = fs::metadata(b.dir().join(JOURNAL_FILE)).expect("meta").len();
    assert!(journal_len < 500, "{journal_len}");
    assert_eq!(b.load().expect("load").resources.len(), 10_001);
}

#[test]
fn environments_are_listed_sorted() {
    let dir = tempfile::tempdir().expect("tempdir");
    assert!(environments(dir.path()).is_empty());
    for env in ["prod", "default", "staging"] {
        LocalBackend::new(dir.path(), env)
            .persist(&mut State::new())
            .expect("persist");
    }
    assert_eq!(environments(dir.path()), ["default", "prod", "staging"]);
    assert_eq!(env_dir(dir.path(), "prod"), dir.path().join(".plinth/env/prod"));
}

#[test]
fn unsafe_env_names_are_refused() {
    let dir = tempfile::tempdir().expect("tempdir");
    for env in ["", "..", "../x", "a/b", ".hidden"] {
        let b = LocalBackend::new(dir.path(), env);
        assert!(b.persist(&mut State::new()).is_err(), "{env:?}");
        assert!(b.lock("apply").is_err(), "{env:?}");
    }
}

fn cipher(key: &str) -> Option<Cipher> {
    Some(Cipher::from_secret(key).expect("key"))
}

#[test]
fn encrypted_snapshots_backups_and_journal_lines() {
    let (dir, plain) = setup();
    let b = LocalBackend::new(dir.path(), "default").with_cipher(cipher("k1"));
    let mut s = State::new();
    s.resources.insert("local_file.a".into(), res("attribute-value-one"));
    b.persist(&mut s).expect("persist");
    s.resources.insert("local_file.b".into(), res("attribute-value-two"));
    b.persist(&mut s).expect("persist");
    b.journal()
        .expect("journal")
        .record(&[set("local_file.c", "attribute-value-three")])
        .expect("record");
    for name in [STATE_FILE, BACKUP_FILE, JOURNAL_FILE] {
        let text = fs::read_to_string(b.dir().join(name)).expect(name);
        assert!(
            text.starts_with("{\"plinth_encrypted\":\"aes-256-gcm\""),
            "{name}: {text}"
        );
        assert!(
            !text.contains("attribute-value") && !text.contains("local_file"),
            "{name}: {text}"
        );
    }
    let loaded = b.load().expect("load");
    assert_eq!(loaded.resources.len(), 3);
    assert_eq!(loaded.resources["local_file.c"], res("attribute-value-three"));

    // Without the key, or with another one: clear errors, and nothing is overwritten.
    let err = plain.load().expect_err("no key");
    assert!(matches!(err, StateError::Encrypted { .. }), "{err}");
    assert!(
        err.to_string()
            .contains("configure plinth { encryption { key = ... } }"),
        "{err}"
    );
    assert!(matches!(
        plain.persist(&mut State::new()),
        Err(StateError::Encrypted { .. })
    ));
    assert!(plain.journal().is_err());
    let wrong = LocalBackend::new(dir.path(), "default").with_cipher(cipher("k2"));
    let err = wrong.load().expect_err("wrong key");
    assert!(matches!(err, StateError::WrongKey { .. }), "{err}");
    assert!(
        err.to_string()
            .contains("the encryption key does not decrypt the state"),
        "{err}"
    );
    assert_eq!(b.load().expect("still readable").resources.len(), 3);
}

#[test]
fn plain_state_migrates_to_encrypted() {
    let (dir, plain) = setup();
    let mut s = State::new();
    s.resources.insert("local_file.a".into(), res("old-plain-value"));
    plain.persist(&mut s).expect("persist");
    plain
        .journal()
        .expect("journal")
        .record(&[set("local_file.j", "journaled-plain-value")])
        .expect("record");

    let b = LocalBackend::new(dir.path(), "default").with_cipher(cipher("k1"));
    let mut loaded = b.load().expect("plain state loads with a key configured");
    assert_eq!(loaded.resources.len(), 2);
    b.journal()
        .expect("journal")
        .record(&[set("local_file.k", "journaled-sealed-value")])
        .expect("record behind plain lines");
    let mut again = b.load().expect("mixed journal");
    assert_eq!(again.resources.len(), 3);
    loaded.resources = again.resources.clone();
    b.persist(&mut again).expect("persist");
    for name in [STATE_FILE, BACKUP_FILE] {
        let text = fs::read_to_string(b.dir().join(name)).expect(name);
        assert!(is_sealed(text.as_bytes()), "{name} is sealed after migration");
        assert!(!text.contains("plain-value"), "{name}: {text}");
    }
    assert_eq!(fs::metadata(b.dir().join(JOURNAL_FILE)).expect("meta").len(), 0);
    assert_eq!(b.load().expect("load").resources, loaded.resources);
}

#[test]
fn a_damaged_sealed_journal_tail_is_tolerated() {
    let (_dir, b) = setup();
    let b = b.with_cipher(cipher("k1"));
    b.journal()
        .expect("journal")
        .record(&[set("local_file.a", "1")])
        .expect("record");
    let path = b.dir().join(JOURNAL_FILE);
    let sealed = Cipher::from_secret("k1").expect("key").seal(
        Purpose::Journal,
        &serde_json::to_vec(&set("local_file.b", "2")).expect("json"),
    );
    let mut f = OpenOptions::new().append(true).open(&path).expect("open");
    f.write_all(format!("{}\n", &sealed[..sealed.len() / 2]).as_bytes())
        .expect("write");
    drop(f);
    assert_eq!(b.load().expect("load").resources.len(), 1);
}
