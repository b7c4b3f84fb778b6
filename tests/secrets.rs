//! End-to-end tests of secret handling with the real `plinth` binary in temporary directories:
//! secrets from every source reach the `local_file` workload and nothing else (state, plan files,
//! command output, trace logs); `plinth secret set|rm` with the kernel keyring; state and plan
//! encryption (unreadable without the key, clear errors for a missing or wrong key, migration of
//! an unencrypted state).

mod support;
use std::io::Write as _;
use std::path::Path;
use std::process::{Command, Output, Stdio};

use support::leaks::{assert_clean, contains, expect_code, files_under, text, unique, write};
use tempfile::TempDir;

// ---------------------------------------------------------------------------------------------
// Helpers

/// `plinth ARGS` in `dir` with `env` added to a clean environment (no inherited `PLINTH_*`,
/// `RUST_LOG` or colour), `stdin` on standard input.
fn run(dir: &Path, args: &[&str], env: &[(&str, &str)], stdin: Option<&str>) -> Output {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_plinth"));
    cmd.current_dir(dir)
        .args(args)
        .env("NO_COLOR", "1")
        .stdin(if stdin.is_some() { Stdio::piped() } else { Stdio::null() })
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    for (k, _) in std::env::vars_os() {
        if k.to_string_lossy().starts_with("PLINTH_") {
            cmd.env_remove(&k);
        }
    }
    cmd.env_remove("RUST_LOG").env_remove("RUST_BACKTRACE");
    for (k, v) in env {
        cmd.env(k, v);
    }
    let mut child = cmd.spawn().expect("run plinth");
    if let Some(text) = stdin {
        let mut pipe = child.stdin.take().expect("stdin");
        pipe.write_all(text.as_bytes()).expect("write stdin");
    }
    child.wait_with_output().expect("wait for plinth")
}

fn read(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap_or_else(|e| panic!("read {}: {e}", path.display()))
}

// ---------------------------------------------------------------------------------------------
// Nothing leaks

const WORKLOADS: &str = r#"
variable "db_password" {
  type      = string
  sensitive = true
}

resource "local_file" "from_env" {
  path              = "${path.module}/out/env.txt"
  sensitive_content = secret("env:PLINTH_TEST_SECRET")
}

resource "local_file" "from_file" {
  path              = "${path.module}/out/file.txt"
  sensitive_content = secret("file:secrets/api-token.txt")
}

resource "local_file" "from_var" {
  path              = "${path.module}/out/var.txt"
  sensitive_content = var.db_password
}

resource "local_file" "derived" {
  path              = "${path.module}/out/derived.txt"
  sensitive_content = "token=${secret("file:secrets/api-token.txt")};pw=${upper(var.db_password)}"
}

output "env_secret" {
  value     = local_file.from_env.sensitive_content
  sensitive = true
}

output "path" {
  value = local_file.from_env.path
}
"#;

#[test]
fn secrets_from_every_source_reach_the_workload_and_nothing_else() {
    let dir = TempDir::new().expect("tempdir");
    let root = dir.path();
    let env_secret = unique("envsecret");
    let file_secret = unique("filesecret");
    let var_secret = unique("varsecret");
    let var_upper = var_secret.to_uppercase();
    let secrets = [
        env_secret.as_str(),
        file_secret.as_str(),
        var_secret.as_str(),
        var_upper.as_str(),
    ];
    write(root, "main.hcl", WORKLOADS);
    write(root, "secrets/api-token.txt", &format!("{file_secret}\n"));
    let env = [
        ("PLINTH_TEST_SECRET", env_secret.as_str()),
        ("PLINTH_VAR_db_password", var_secret.as_str()),
        ("RUST_LOG", "trace"),
    ];

    let mut outputs: Vec<(String, Output)> = Vec::new();
    let mut step = |args: &[&str], want: i32| {
        let o = run(root, args, &env, None);
        expect_code(&o, want, &args.join(" "));
        outputs.push((args.join(" "), o));
    };
    step(&["validate"], 0);
    step(&["plan", "--out", "plan.bin"], 0);
    step(&["show", "plan.bin"], 0);
    step(&["show", "--json", "plan.bin"], 0);
    step(&["show", "--markdown", "plan.bin"], 0);
    // A saved plan never holds the secrets: apply resolves them again from their sources.
    step(&["apply", "plan.bin"], 0);
    step(&["plan", "--detailed-exitcode"], 0);
    step(&["apply", "--auto-approve"], 0);
    step(&["show"], 0);
    step(&["show", "--json"], 0);
    step(&["drift"], 0);
    step(&["drift", "--json"], 0);
    step(&["drift", "--markdown"], 0);
    step(&["output"], 0);
    step(&["output", "--json"], 0);
    step(&["output", "env_secret"], 0);
    step(&["output", "--json", "env_secret"], 0);
    step(&["state", "list"], 0);
    step(&["state", "show", "local_file.from_var"], 0);
    step(&["state", "pull"], 0);

    // The workloads got the values.
    assert_eq!(read(&root.join("out/env.txt")), env_secret);
    assert_eq!(read(&root.join("out/file.txt")), file_secret);
    assert_eq!(read(&root.join("out/var.txt")), var_secret);
    assert_eq!(
        read(&root.join("out/derived.txt")),
        format!("token={file_secret};pw={var_upper}")
    );

    // Changing a secret is noticed through the keyed hash, and the new value does not leak either.
    let rotated = unique("rotated");
    let env2 = [
        ("PLINTH_TEST_SECRET", rotated.as_str()),
        ("PLINTH_VAR_db_password", var_secret.as_str()),
        ("RUST_LOG", "trace"),
    ];
    let o = run(root, &["plan", "--detailed-exitcode"], &env2, None);
    expect_code(&o, 2, "plan after rotating a secret");
    assert!(
        String::from_utf8_lossy(&o.stdout).contains("local_file.from_env"),
        "{}",
        text(&o)
    );
    outputs.push(("plan after rotation".into(), o));
    let o = run(root, &["apply", "--auto-approve"], &env2, None);
    expect_code(&o, 0, "apply after rotation");
    outputs.push(("apply after rotation".into(), o));
    assert_eq!(read(&root.join("out/env.txt")), rotated);
    let all: Vec<&str> = secrets.iter().copied().chain([rotated.as_str()]).collect();

    // Nothing else holds them: every command's output (trace log included), the state
    // directory, and the saved plan.
    let mut traced = false;
    for (what, o) in &outputs {
        assert_clean(&format!("stdout of `plinth {what}`"), &o.stdout, &all);
        assert_clean(&format!("stderr (trace log) of `plinth {what}`"), &o.stderr, &all);
        traced |= contains(&o.stderr, "TRACE") || contains(&o.stderr, "DEBUG");
    }
    assert!(
        traced,
        "RUST_LOG=trace produced no log at all: the check above proved nothing"
    );
    let state_files = files_under(&root.join(".plinth"));
    assert!(state_files.iter().any(|p| p.ends_with("state.json")), "{state_files:?}");
    assert!(
        state_files.iter().any(|p| p.ends_with("state.json.backup")),
        "{state_files:?}"
    );
    for f in &state_files {
        let bytes = std::fs::read(f).expect("read state file");
        assert_clean(&f.display().to_string(), &bytes, &all);
    }
    assert_clean("plan.bin", &std::fs::read(root.join("plan.bin")).expect("plan"), &all);

    // What users see instead.
    let shown = outputs
        .iter()
        .find(|(w, _)| w == "show")
        .map(|(_, o)| String::from_utf8_lossy(&o.stdout).into_owned())
        .unwrap_or_default();
    assert!(shown.contains("sensitive_content = (sensitive)"), "{shown}");
    let out = outputs
        .iter()
        .find(|(w, _)| w == "output env_secret")
        .map(|(_, o)| String::from_utf8_lossy(&o.stdout).into_owned())
        .unwrap_or_default();
    assert_eq!(out.trim(), "<sensitive>");
}

#[test]
fn secret_source_errors_are_clear() {
    let dir = TempDir::new().expect("tempdir");
    let root = dir.path();
    write(
        root,
        "main.hcl",
        "resource \"local_file\" \"a\" {\n  path              = \"${path.module}/a.txt\"\n  sensitive_content = secret(\"env:PLINTH_TEST_UNSET_SECRET\")\n}\n",
    );
    let o = run(root, &["plan"], &[], None);
    expect_code(&o, 1, "plan with an unset variable");
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(err.contains("main.hcl:3:30: error"), "{err}");
    assert!(
        err.contains("the environment variable PLINTH_TEST_UNSET_SECRET is not set"),
        "{err}"
    );

    write(
        root,
        "main.hcl",
        "resource \"local_file\" \"a\" {\n  path              = \"${path.module}/a.txt\"\n  sensitive_content = secret(\"vault:kv/db\")\n}\n",
    );
    let o = run(root, &["plan"], &[], None);
    expect_code(&o, 1, "plan with an unknown source");
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(
        err.contains("unknown secret source \"vault:kv/db\"") && err.contains("keyring:SERVICE/USER"),
        "{err}"
    );
}

// ---------------------------------------------------------------------------------------------
// The OS keyring (the Linux kernel keyring here and in CI)

/// Removes a keyring entry when dropped, so a failing test leaves nothing behind.
struct KeyringEntry<'a> {
    dir: &'a Path,
    source: String,
}

impl Drop for KeyringEntry<'_> {
    fn drop(&mut self) {
        let _ = run(self.dir, &["secret", "rm", &self.source], &[], None);
    }
}

#[test]
fn keyring_secrets_are_set_read_by_apply_and_removed() {
    let dir = TempDir::new().expect("tempdir");
    let root = dir.path();
    let source = format!("keyring:plinthtest/{}", unique("user"));
    let value = unique("keyringsecret");

    let o = run(root, &["secret", "set", &source], &[], Some(&format!("{value}\n")));
    assert!(
        o.status.success(),
        "`plinth secret set` failed: the OS keyring (the Linux kernel keyring, keyutils) does not work in this \
         environment, and keyring tests must not be skipped silently. Check /proc/keys and that keyctl/add_key \
         are not blocked by seccomp.\n{}",
        text(&o)
    );
    let _cleanup = KeyringEntry {
        dir: root,
        source: source.clone(),
    };
    assert_clean("`plinth secret set` output", &o.stdout, &[&value]);
    assert_clean("`plinth secret set` stderr", &o.stderr, &[&value]);
    assert!(
        String::from_utf8_lossy(&o.stdout).contains(&format!("Stored {source}")),
        "{}",
        text(&o)
    );

    write(
        root,
        "main.hcl",
        &format!(
            "resource \"local_file\" \"token\" {{\n  path              = \"${{path.module}}/token.txt\"\n  sensitive_content = secret(\"{source}\")\n}}\n"
        ),
    );
    // Another process reads it: the value lives in the user's persistent keyring.
    let o = run(root, &["apply", "--auto-approve"], &[("RUST_LOG", "trace")], None);
    expect_code(&o, 0, "apply with a keyring secret");
    assert_clean("apply stdout", &o.stdout, &[&value]);
    assert_clean("apply trace log", &o.stderr, &[&value]);
    assert_eq!(
        read(&root.join("token.txt")),
        value,
        "the trailing newline of the input is trimmed"
    );
    for f in files_under(&root.join(".plinth")) {
        assert_clean(&f.display().to_string(), &std::fs::read(&f).expect("read"), &[&value]);
    }

    let o = run(root, &["secret", "rm", &source], &[], None);
    expect_code(&o, 0, "secret rm");
    let o = run(root, &["plan"], &[], None);
    expect_code(&o, 1, "plan after the entry was removed");
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(
        err.contains(&format!("{source} is not in the OS keyring")) && err.contains("plinth secret set"),
        "{err}"
    );
    let o = run(root, &["secret", "rm", &source], &[], None);
    expect_code(&o, 1, "removing a missing entry");

    let o = run(root, &["secret", "set", "env:NAME"], &[], Some("x"));
    expect_code(&o, 1, "secret set of a non-keyring source");
    assert!(
        String::from_utf8_lossy(&o.stderr).contains("keyring:SERVICE/USER"),
        "{}",
        text(&o)
    );
}

// ---------------------------------------------------------------------------------------------
// State and plan encryption

const PLAIN_WORKLOAD: &str = "resource \"local_file\" \"spec\" {\n  path    = \"${path.module}/spec.txt\"\n  content = \"VISIBLE\"\n}\n\noutput \"where\" {\n  value = local_file.spec.path\n}\n";

const ENCRYPTION: &str = "plinth {\n  encryption {\n    key = secret(\"env:PLINTH_TEST_STATE_KEY\")\n  }\n}\n";

/// Whether `bytes` is an encryption envelope (and nothing of the state shows through).
#[track_caller]
fn assert_sealed(place: &str, bytes: &[u8], plain_words: &[&str]) {
    let json: serde_json::Value = serde_json::from_slice(bytes).unwrap_or_else(|e| {
        panic!(
            "{place} is not one JSON envelope ({e}):\n{}",
            String::from_utf8_lossy(bytes)
        )
    });
    assert_eq!(json["plinth_encrypted"], "aes-256-gcm", "{place}: {json}");
    assert!(
        json.get("resources").is_none() && json.get("format").is_none(),
        "{place}: {json}"
    );
    for w in plain_words.iter().chain(&["local_file", "lineage", "spec.txt"]) {
        assert!(
            !contains(bytes, w),
            "{place} shows {w:?}:\n{}",
            String::from_utf8_lossy(bytes)
        );
    }
}

#[test]
fn encrypted_state_and_plans_need_the_right_key() {
    let dir = TempDir::new().expect("tempdir");
    let root = dir.path();
    let visible = unique("visible-attribute");
    write(root, "main.hcl", &PLAIN_WORKLOAD.replace("VISIBLE", &visible));
    write(root, "encryption.hcl", ENCRYPTION);
    let key = unique("state-key-passphrase");
    let good = [("PLINTH_TEST_STATE_KEY", key.as_str())];

    let o = run(root, &["apply", "--auto-approve"], &good, None);
    expect_code(&o, 0, "apply with encryption");
    write(
        root,
        "main.hcl",
        &PLAIN_WORKLOAD.replace("VISIBLE", &format!("{visible}-2")),
    );
    let o = run(root, &["plan", "--out", "plan.bin"], &good, None);
    expect_code(&o, 0, "plan --out with encryption");
    let o = run(root, &["apply", "--auto-approve"], &good, None);
    expect_code(&o, 0, "second apply with encryption");

    let env_dir = root.join(".plinth/env/default");
    for name in ["state.json", "state.json.backup"] {
        assert_sealed(name, &std::fs::read(env_dir.join(name)).expect(name), &[&visible]);
    }
    let journal = std::fs::read(env_dir.join("journal.jsonl")).unwrap_or_default();
    assert_clean("journal.jsonl", &journal, &[&visible]);
    assert_sealed(
        "plan.bin",
        &std::fs::read(root.join("plan.bin")).expect("plan"),
        &[&visible],
    );

    // The right key reads it all.
    let o = run(root, &["output", "where"], &good, None);
    expect_code(&o, 0, "output with the key");
    assert!(String::from_utf8_lossy(&o.stdout).contains("spec.txt"), "{}", text(&o));
    let o = run(root, &["show", "plan.bin"], &good, None);
    expect_code(&o, 0, "show plan with the key");
    let o = run(root, &["state", "pull"], &good, None);
    expect_code(&o, 0, "state pull with the key");
    assert!(
        String::from_utf8_lossy(&o.stdout).contains(&format!("{visible}-2")),
        "{}",
        text(&o)
    );

    // A wrong key: a clear error, exit 1, and the state is left as it was.
    let before = std::fs::read(env_dir.join("state.json")).expect("state");
    let wrong = [("PLINTH_TEST_STATE_KEY", "not-the-key")];
    for args in [
        &["output"][..],
        &["plan"],
        &["apply", "--auto-approve"],
        &["show", "plan.bin"],
        &["state", "list"],
    ] {
        let o = run(root, args, &wrong, None);
        expect_code(&o, 1, &format!("{args:?} with a wrong key"));
        let err = String::from_utf8_lossy(&o.stderr);
        assert!(
            err.contains("the encryption key does not decrypt the") && err.contains("wrong key?"),
            "{args:?}: {err}"
        );
        assert!(!err.contains("panicked"), "{err}");
    }
    assert_eq!(std::fs::read(env_dir.join("state.json")).expect("state"), before);

    // No key configured at all: the state says it is encrypted and how to configure the key.
    std::fs::remove_file(root.join("encryption.hcl")).expect("rm");
    for args in [
        &["output"][..],
        &["plan"],
        &["show"],
        &["show", "plan.bin"],
        &["state", "pull"],
    ] {
        let o = run(root, args, &[], None);
        expect_code(&o, 1, &format!("{args:?} without a key"));
        let err = String::from_utf8_lossy(&o.stderr);
        assert!(
            err.contains("is encrypted") && err.contains("configure plinth { encryption { key = ... } }"),
            "{args:?}: {err}"
        );
    }
    let pushed = root.join("plain.json");
    write(
        root,
        "plain.json",
        "{\"version\": 1, \"lineage\": \"x\", \"serial\": 99}\n",
    );
    let o = run(
        root,
        &["state", "push", "--force", &pushed.display().to_string()],
        &[],
        None,
    );
    expect_code(&o, 1, "pushing a plain state over an encrypted one without the key");
    assert_eq!(std::fs::read(env_dir.join("state.json")).expect("state"), before);
}

#[test]
fn an_unencrypted_state_migrates_when_a_key_is_configured() {
    let dir = TempDir::new().expect("tempdir");
    let root = dir.path();
    let visible = unique("visible-attribute");
    write(root, "main.hcl", &PLAIN_WORKLOAD.replace("VISIBLE", &visible));
    let o = run(root, &["apply", "--auto-approve"], &[], None);
    expect_code(&o, 0, "apply without encryption");
    let env_dir = root.join(".plinth/env/default");
    assert!(contains(
        &std::fs::read(env_dir.join("state.json")).expect("state"),
        &visible
    ));

    // A 64-hex-digit key from a file is used as the key itself.
    write(root, "state.key", &format!("{}\n", "0123456789abcdef".repeat(4)));
    write(
        root,
        "encryption.hcl",
        "plinth {\n  encryption {\n    key = secret(\"file:state.key\")\n  }\n}\n",
    );
    // The plain state reads with the key configured...
    let o = run(root, &["plan", "--detailed-exitcode"], &[], None);
    expect_code(&o, 0, "plan over the unencrypted state");
    let o = run(root, &["output", "where"], &[], None);
    expect_code(&o, 0, "output over the unencrypted state");
    // ...and the next write seals it, the backup of the plain snapshot included.
    write(
        root,
        "main.hcl",
        &PLAIN_WORKLOAD.replace("VISIBLE", &format!("{visible}-2")),
    );
    let o = run(root, &["apply", "--auto-approve"], &[], None);
    expect_code(&o, 0, "apply that migrates");
    for name in ["state.json", "state.json.backup"] {
        assert_sealed(name, &std::fs::read(env_dir.join(name)).expect(name), &[&visible]);
    }

    // pull prints plain JSON; push takes plain JSON and stores it sealed.
    let o = run(root, &["state", "pull"], &[], None);
    expect_code(&o, 0, "state pull");
    let pulled = String::from_utf8_lossy(&o.stdout).into_owned();
    assert!(
        pulled.contains("\"lineage\"") && pulled.contains(&format!("{visible}-2")),
        "{pulled}"
    );
    write(root, "pulled.json", &pulled);
    let o = run(root, &["state", "push", "pulled.json"], &[], None);
    expect_code(&o, 0, "state push");
    assert_sealed(
        "state.json after push",
        &std::fs::read(env_dir.join("state.json")).expect("state"),
        &[&visible],
    );
    let o = run(root, &["plan", "--detailed-exitcode"], &[], None);
    expect_code(&o, 0, "plan after push");

    // An encrypted backup can be pushed back (the documented way to restore it).
    let o = run(
        root,
        &["state", "push", "--force", ".plinth/env/default/state.json.backup"],
        &[],
        None,
    );
    expect_code(&o, 0, "state push of an encrypted backup");
    let o = run(root, &["state", "pull"], &[], None);
    expect_code(&o, 0, "state pull after restoring the backup");
    assert!(
        String::from_utf8_lossy(&o.stdout).contains("\"lineage\""),
        "{}",
        text(&o)
    );
}

#[test]

fn no_unkeyed_hash_of_a_secret_is_shown_or_stored() {
    use sha2::Digest as _;
    let dir = TempDir::new().expect("tempdir");
    let root = dir.path();
    let secret = unique("hashed");
    write(
        root,
        "main.hcl",
        "resource \"local_file\" \"a\" {\n  path              = \"${path.module}/a.txt\"\n  sensitive_content = secret(\"env:PLINTH_TEST_SECRET\")\n}\n",
    );
    let o = run(
        root,
        &["apply", "--auto-approve"],
        &[("PLINTH_TEST_SECRET", &secret)],
        None,
    );
    expect_code(&o, 0, "apply");
    let digest = hex::encode(sha2::Sha256::digest(secret.as_bytes()));
    assert_clean("apply output", &o.stdout, &[&digest]);
    for f in files_under(&root.join(".plinth")) {
        assert_clean(&f.display().to_string(), &std::fs::read(&f).expect("read"), &[&digest]);
    }
}

#[test]
fn validate_warns_about_a_literal_encryption_key() {
    let dir = TempDir::new().expect("tempdir");
    let root = dir.path();
    write(root, "main.hcl", &PLAIN_WORKLOAD.replace("VISIBLE", "x"));
    write(
        root,
        "encryption.hcl",
        "plinth {\n  encryption {\n    key = \"a-literal-key\"\n  }\n}\n",
    );
    let o = run(root, &["validate"], &[], None);
    expect_code(&o, 0, "validate");
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(
        err.contains("encryption.hcl:3:11: warning: The state encryption key is written in the configuration"),
        "{err}"
    );
    assert!(
        !err.contains("a-literal-key"),
        "the warning must not print the key: {err}"
    );
}
