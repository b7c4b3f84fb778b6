//! End-to-end tests of the utility providers (`random`, `null`, `time`, `tls`, `archive`) with the
//! real `plinth` binary in temporary directories: a generated password and private key reach their
//! `local_file` workloads and nothing else (state, journal, plan file, terminal, trace logs), and
//! re-plans stay clean; `time_sleep` really waits; `archive_file`'s zip is opened with Python's
//! `zipfile` and hashed here; a `tls_private_key`'s keys are accepted by `ssh-keygen`/`openssl`.

mod support;

use std::process::Command;
use std::time::{Duration, Instant};

use sha2::Digest as _;
use support::cli::{Dir, expect_code, ok, stdout};
use support::leaks::{assert_clean, files_under, text};

fn output(d: &Dir, name: &str) -> String {
    let o = ok(d.run(&["output", "--raw", name]));
    stdout(&o).trim_end_matches('\n').to_string()
}

#[test]
fn version_lists_the_utility_providers() {
    let d = Dir::new();
    let out = stdout(&ok(d.run(&["version"])));
    for p in ["random", "null", "time", "tls", "archive"] {
        assert!(out.contains(&format!("+ provider {p} (built in)")), "{out}");
    }
}

const SECRETS: &str = r#"
resource "random_pet" "env" {
  prefix = "ml"
}

resource "random_password" "db" {
  length      = 32
  min_special = 2
}

resource "tls_private_key" "deploy" {
  algorithm = "ED25519"
}

resource "local_file" "db_env" {
  path              = "${path.module}/out/${random_pet.env.id}.env"
  sensitive_content = "PASSWORD=${random_password.db.result}"
}

resource "local_file" "password" {
  path    = "${path.module}/out/password.txt"
  content = random_password.db.result
}

resource "local_file" "key" {
  path              = "${path.module}/out/deploy.pem"
  sensitive_content = tls_private_key.deploy.private_key_pem
  file_permission   = "0600"
}

output "pet" {
  value = random_pet.env.id
}

output "password" {
  value     = random_password.db.result
  sensitive = true
}

output "public_key" {
  value = tls_private_key.deploy.public_key_openssh
}
"#;

/// Every place under `dir` and in `outputs` must be free of `secrets`.
fn assert_nothing_leaked(d: &Dir, outputs: &[&std::process::Output], secrets: &[&str]) {
    for f in files_under(&d.join(".plinth")) {
        if f.ends_with("utility.key") || f.ends_with("hash.key") {
            continue;
        }
        let bytes = std::fs::read(&f).expect("read");
        assert_clean(&f.display().to_string(), &bytes, secrets);
    }
    for plan in ["plan.out"] {
        if d.exists(plan) {
            assert_clean(plan, &std::fs::read(d.join(plan)).expect("plan file"), secrets);
        }
    }
    for o in outputs {
        assert_clean("the terminal", text(o).as_bytes(), secrets);
    }
}

#[test]
fn a_generated_password_and_key_reach_their_files_and_nothing_else() {
    let d = Dir::with(SECRETS);
    let apply = d.run_env(&["apply", "--auto-approve"], &[("RUST_LOG", "trace")]);
    expect_code(&apply, 0);
    let stderr = String::from_utf8_lossy(&apply.stderr);
    assert!(
        stderr.contains("TRACE") || stderr.contains("DEBUG"),
        "RUST_LOG=trace produced no log: the leak check below would prove nothing"
    );

    let pet = output(&d, "pet");
    assert!(pet.starts_with("ml-") && pet.split('-').count() == 3, "{pet}");
    let password = d.read("out/password.txt");
    assert_eq!(password.chars().count(), 32);
    assert_eq!(d.read(&format!("out/{pet}.env")), format!("PASSWORD={password}"));
    let pem = d.read("out/deploy.pem");
    assert!(pem.starts_with("-----BEGIN PRIVATE KEY-----"), "{pem}");
    // The PEM's body: the base64 lines between the armour.
    let body: String = pem.lines().filter(|l| !l.starts_with("-----")).collect();
    assert!(body.len() > 40, "{pem}");

    // Re-plans are clean, with and without refresh: the password and the key are derived again,
    // so the files that hold them see the same values.
    let plan = d.run_env(&["plan", "--detailed-exitcode"], &[("RUST_LOG", "trace")]);
    expect_code(&plan, 0);
    assert!(stdout(&plan).contains("No changes."), "{}", stdout(&plan));
    let no_refresh = d.run(&["plan", "--detailed-exitcode", "--refresh=false"]);
    expect_code(&no_refresh, 0);

    // A change of a dependent alone: the saved plan and its apply hand it the same password.
    let changed = SECRETS.replace("PASSWORD=", "DB_PASSWORD=");
    d.write("main.hcl", &changed);
    let saved = d.run_env(&["plan", "--out", "plan.out"], &[("RUST_LOG", "trace")]);
    expect_code(&saved, 0);
    assert!(stdout(&saved).contains("1 to change"), "{}", stdout(&saved));
    let applied = d.run_env(&["apply", "plan.out"], &[("RUST_LOG", "trace")]);
    expect_code(&applied, 0);
    assert_eq!(d.read(&format!("out/{pet}.env")), format!("DB_PASSWORD={password}"));
    let out = ok(d.run(&["output"]));
    assert!(stdout(&out).contains("password = <sensitive>"), "{}", stdout(&out));

    assert_nothing_leaked(
        &d,
        &[&apply, &plan, &no_refresh, &saved, &applied, &out],
        &[&password, &body],
    );

    // New keepers: a new password, and its dependents follow in the same apply.
    d.write(
        "main.hcl",
        &changed.replace("min_special = 2", "min_special = 2\n  keepers = { rotation = \"2\" }"),
    );
    let rotate = d.run(&["apply", "--auto-approve"]);
    expect_code(&rotate, 0);
    let new_password = d.read("out/password.txt");
    assert_ne!(new_password, password);
    assert_eq!(d.read(&format!("out/{pet}.env")), format!("DB_PASSWORD={new_password}"));
    expect_code(&d.run(&["plan", "--detailed-exitcode"]), 0);
    assert_nothing_leaked(&d, &[&rotate], &[&new_password]);
}

#[test]
fn a_lost_utility_key_is_an_error_that_says_what_to_do() {
    let d = Dir::with(
        r#"
resource "random_password" "db" {
  length = 16
}

resource "local_file" "password" {
  path    = "${path.module}/out/password.txt"
  content = random_password.db.result
}
"#,
    );
    ok(d.run(&["apply", "--auto-approve"]));
    d.remove(".plinth/utility.key");
    let o = d.run(&["plan"]);
    expect_code(&o, 1);
    let err = text(&o);
    assert!(err.contains("utility.key"), "{err}");
    assert!(err.contains("plinth taint"), "{err}");
    assert!(!err.contains("panicked"), "{err}");
}

#[test]
fn time_sleep_waits_at_least_its_create_duration() {
    let d = Dir::with(
        r#"
resource "null_resource" "before" {}

resource "time_sleep" "settle" {
  create_duration = "2s"
  depends_on      = [null_resource.before]
}

resource "time_static" "after" {
  triggers = { slept = time_sleep.settle.id }
}
"#,
    );
    let t = Instant::now();
    ok(d.run(&["apply", "--auto-approve"]));
    assert!(t.elapsed() >= Duration::from_secs(2), "{:?}", t.elapsed());
    // A re-plan is clean and does not wait.
    let t = Instant::now();
    expect_code(&d.run(&["plan", "--detailed-exitcode"]), 0);
    assert!(t.elapsed() < Duration::from_secs(2), "{:?}", t.elapsed());
}

#[test]
fn archive_file_of_a_directory_matches_its_zip() {
    let d = Dir::with(
        r#"
data "archive_file" "lambda" {
  type        = "zip"
  source_dir  = "${path.module}/src"
  output_path = "${path.module}/build/lambda.zip"
  excludes    = ["tests"]
}

output "sha256" {
  value = data.archive_file.lambda.output_sha256
}

output "size" {
  value = data.archive_file.lambda.output_size
}
"#,
    );
    d.write(
        "src/handler.py",
        "def handler(event, context):\n    return {'ok': True}\n",
    );
    d.write("src/lib/util.py", "ANSWER = 42\n");
    d.write("src/tests/test_handler.py", "assert True\n");
    ok(d.run(&["apply", "--auto-approve"]));
    let zip = std::fs::read(d.join("build/lambda.zip")).expect("the archive");
    assert_eq!(output(&d, "sha256"), hex::encode(sha2::Sha256::digest(&zip)));
    assert_eq!(output(&d, "size"), zip.len().to_string());
    let listing = Command::new("python3")
        .arg("-c")
        .arg(
            "import sys, zipfile\n\
             z = zipfile.ZipFile(sys.argv[1])\n\
             assert z.testzip() is None\n\
             for i in z.infolist(): print(i.filename, i.date_time[0], z.read(i).decode().splitlines()[0])",
        )
        .arg(d.join("build/lambda.zip"))
        .output()
        .expect("python3");
    assert!(listing.status.success(), "{}", text(&listing));
    assert_eq!(
        String::from_utf8_lossy(&listing.stdout),
        "handler.py 1980 def handler(event, context):\nlib/util.py 1980 ANSWER = 42\n"
    );
    // Deterministic: a re-plan reads it again to the same bytes, so nothing changes.
    expect_code(&d.run(&["plan", "--detailed-exitcode"]), 0);
    assert_eq!(std::fs::read(d.join("build/lambda.zip")).expect("zip"), zip);
}

#[test]
fn tls_private_key_is_accepted_by_ssh_keygen_and_openssl() {
    let d = Dir::with(
        r#"
resource "tls_private_key" "rsa" {
  algorithm = "RSA"
  rsa_bits  = 2048
}

resource "tls_private_key" "ec" {
  algorithm   = "ECDSA"
  ecdsa_curve = "P384"
}

resource "local_file" "rsa_pub" {
  path    = "${path.module}/out/id_rsa.pub"
  content = tls_private_key.rsa.public_key_openssh
}

resource "local_file" "rsa_key" {
  path              = "${path.module}/out/id_rsa"
  sensitive_content = tls_private_key.rsa.private_key_openssh
  file_permission   = "0600"
}

resource "local_file" "ec_pem" {
  path              = "${path.module}/out/ec.pem"
  sensitive_content = tls_private_key.ec.private_key_pem
  file_permission   = "0600"
}

output "rsa_fingerprint" {
  value = tls_private_key.rsa.public_key_fingerprint_sha256
}

output "ec_public_pem" {
  value = tls_private_key.ec.public_key_pem
}
"#,
    );
    ok(d.run(&["apply", "--auto-approve"]));
    let fp = Command::new("ssh-keygen")
        .args(["-l", "-E", "sha256", "-f"])
        .arg(d.join("out/id_rsa.pub"))
        .output()
        .expect("ssh-keygen (openssh-client)");
    assert!(fp.status.success(), "{}", text(&fp));
    let line = String::from_utf8_lossy(&fp.stdout).into_owned();
    assert!(line.starts_with("2048 "), "{line}");
    assert!(line.contains(&output(&d, "rsa_fingerprint")), "{line}");
    // The private key's public half is the public key.
    let public = Command::new("ssh-keygen")
        .arg("-y")
        .arg("-f")
        .arg(d.join("out/id_rsa"))
        .output()
        .expect("ssh-keygen");
    assert!(public.status.success(), "{}", text(&public));
    assert_eq!(
        String::from_utf8_lossy(&public.stdout).trim(),
        d.read("out/id_rsa.pub").trim()
    );
    let ec = Command::new("openssl")
        .args(["pkey", "-pubout", "-in"])
        .arg(d.join("out/ec.pem"))
        .output()
        .expect("openssl");
    assert!(ec.status.success(), "{}", text(&ec));
    assert_eq!(
        String::from_utf8_lossy(&ec.stdout).trim(),
        output(&d, "ec_public_pem").trim()
    );
    expect_code(&d.run(&["plan", "--detailed-exitcode"]), 0);
}

#[test]
fn validation_errors_name_the_argument() {
    let d = Dir::with(
        r#"
resource "random_string" "s" {
  length    = 2
  min_upper = 3
}

resource "time_sleep" "w" {
  create_duration = "ten seconds"
}
"#,
    );
    let o = d.run(&["validate"]);
    expect_code(&o, 1);
    let err = text(&o);
    assert!(
        err.contains("main.hcl:2:1") && err.contains("random_string.s (length)"),
        "{err}"
    );
    assert!(err.contains("time_sleep.w (create_duration)"), "{err}");
}

#[test]
fn plans_show_defaults_secrets_and_keeper_replacements() {
    let d = Dir::with(
        r#"
resource "random_password" "db" {
  length           = 16
  override_special = "_-"
}

resource "time_static" "epoch" {
  rfc3339 = "2024-02-29T13:14:15Z"
}
"#,
    );
    let o = ok(d.run(&["plan"]));
    expect_test::expect![[r#"
        Plinth will perform the following actions:

          # random_password.db will be created
          + resource "random_password" "db" {
              + bcrypt_hash      = (sensitive)
              + id               = "none"
              + length           = 16
              + lower            = true
              + min_lower        = 0
              + min_numeric      = 0
              + min_special      = 0
              + min_upper        = 0
              + number           = true
              + numeric          = true
              + override_special = "_-"
              + result           = (sensitive)
              + secret_nonce     = (known after apply)
              + special          = true
              + upper            = true
            }

          # time_static.epoch will be created
          + resource "time_static" "epoch" {
              + day     = 29
              + hour    = 13
              + id      = "2024-02-29T13:14:15Z"
              + minute  = 14
              + month   = 2
              + rfc3339 = "2024-02-29T13:14:15Z"
              + second  = 15
              + unix    = 1709212455
              + year    = 2024
            }

        Plan: 2 to add, 0 to change, 0 to destroy.
    "#]]
    .assert_eq(&stdout(&o));
    ok(d.run(&["apply", "--auto-approve"]));
    d.write(
        "main.hcl",
        r#"
resource "random_password" "db" {
  length           = 16
  override_special = "_-"
  keepers          = { rotated = "2025-01" }
}

resource "time_static" "epoch" {
  rfc3339 = "2024-02-29T13:14:15Z"
}
"#,
    );
    let o = d.run(&["plan", "--detailed-exitcode"]);
    expect_code(&o, 2);
    // The nonce is random: shown as its shape.
    let nonce = regex::Regex::new(r#""v1:[0-9a-f]{32}:[0-9a-f]{24}""#).expect("regex");
    let shown = nonce.replace_all(&stdout(&o), r#""v1:NONCE:CHECK""#).into_owned();
    expect_test::expect![[r#"
        Plinth will perform the following actions:

          # random_password.db must be replaced
        -/+ resource "random_password" "db" {
              ~ bcrypt_hash  = (sensitive)
                id           = "none"
              + keepers      = { # forces replacement
                  + rotated = "2025-01"
                }
              ~ result       = (sensitive)
              ~ secret_nonce = "v1:NONCE:CHECK" -> (known after apply)
                # (11 unchanged attributes hidden)
            }

        Plan: 1 to add, 0 to change, 1 to destroy.
    "#]]
    .assert_eq(&shown);
}
