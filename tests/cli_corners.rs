//! End-to-end tests of command-line corners a new user coming from Terraform runs into: the
//! single-dash spellings of every long flag, `-V` anywhere, a `--target` that matches nothing,
//! what a targeted destroy takes along and reports, what a targeted drift reports, and the hint after `plan -out` run with `-C`.

mod support;

use support::cli::{Dir, expect_code, ok, plinth, stderr, stdout};

const TWO_FILES: &str = r#"
resource "local_file" "first" {
  path    = "first.txt"
  content = "one"
}

resource "local_file" "second" {
  path    = "second.txt"
  content = "${local_file.first.content} and two"
}

output "second" {
  value = local_file.second.content
}
"#;

#[test]
fn terraform_single_dash_spellings_of_long_flags() {
    let d = Dir::with(TWO_FILES);
    ok(d.run(&["apply", "-auto-approve", "-parallelism=2", "-no-color"]));
    // `-refresh=false` plans against the state: a file removed behind Plinth's back is not seen.
    std::fs::remove_file(d.join("second.txt")).expect("remove");
    let o = ok(d.run(&["plan", "-refresh=false", "-detailed-exitcode"]));
    assert!(stdout(&o).contains("No changes"), "{}", stdout(&o));
    let o = d.run(&["plan", "-refresh=true", "-detailed-exitcode"]);
    expect_code(&o, 2);
    // Terraform's global `-chdir=DIR`, from the parent directory.
    let parent = d.path().parent().expect("parent");
    let chdir = format!("-chdir={}", d.path().display());
    let o = plinth(parent, &[&chdir, "plan", "-refresh=false", "-detailed-exitcode"]);
    expect_code(&o, 0);
    // A one-letter flag keeps its meaning, and an unknown single-dash word is still refused.
    let o = d.run(&["plan", "-refreshh=false"]);
    expect_code(&o, 1);
    assert!(stderr(&o).contains("-r"), "{}", stderr(&o));
}

#[test]
fn version_flag_after_a_subcommand() {
    let d = Dir::new();
    let want = format!("plinth {}\n", env!("CARGO_PKG_VERSION"));
    for args in [
        &["-V"][..],
        &["plan", "-V"],
        &["apply", "--version"],
        &["env", "list", "-V"],
    ] {
        let o = ok(d.run(args));
        assert_eq!(stdout(&o), want, "plinth {args:?}");
    }
}

#[test]
fn a_target_that_matches_nothing_is_a_warning_naming_the_closest_address() {
    let d = Dir::with(TWO_FILES);
    ok(d.run(&["apply", "--auto-approve"]));
    for cmd in [
        &["plan"][..],
        &["drift"],
        &["apply", "--auto-approve"],
        &["destroy", "--auto-approve"],
    ] {
        let mut args = cmd.to_vec();
        args.extend(["--target", "local_file.secnd"]);
        let o = ok(d.run(&args));
        let err = stderr(&o);
        assert!(
            err.contains("--target local_file.secnd matches nothing"),
            "{args:?}: {err}"
        );
        assert!(err.contains("did you mean local_file.second?"), "{args:?}: {err}");
    }
    // Nothing was destroyed by the typo.
    assert_eq!(d.read("second.txt"), "one and two");
    // A target that matches something says nothing of the kind.
    let o = ok(d.run(&["plan", "--target", "local_file.second"]));
    assert!(!stderr(&o).contains("matches nothing"), "{}", stderr(&o));
}

#[test]
fn a_targeted_destroy_takes_its_dependents_and_keeps_the_outputs() {
    let d = Dir::with(TWO_FILES);
    ok(d.run(&["apply", "--auto-approve"]));
    // Destroying what `second` depends on destroys `second` too, as Terraform's does; the plan
    // says so before it runs.
    let o = ok(d.run(&["destroy", "--target", "local_file.first", "--auto-approve"]));
    let out = stdout(&o);
    assert!(out.contains("local_file.second will be destroyed"), "{out}");
    assert!(out.contains("2 to destroy"), "{out}");
    assert!(!out.contains("Changes to Outputs"), "{out}");
    assert!(!d.exists("first.txt"));
    assert!(!d.exists("second.txt"));
    // Targeting the dependent leaves what it depends on.
    ok(d.run(&["apply", "--auto-approve"]));
    let o = ok(d.run(&["destroy", "--target", "local_file.second", "--auto-approve"]));
    assert!(stdout(&o).contains("1 to destroy"), "{}", stdout(&o));
    assert!(d.exists("first.txt"));
    assert!(!d.exists("second.txt"));
    // The output is still recorded (its resource is gone, as with Terraform's targeted destroy).
    let o = ok(d.run(&["output", "second"]));
    assert!(stdout(&o).contains("one and two"), "{}", stdout(&o));
    // A whole destroy removes it, and says so.
    let o = ok(d.run(&["destroy", "--auto-approve"]));
    assert!(stdout(&o).contains("Changes to Outputs"), "{}", stdout(&o));
}

#[test]
fn a_targeted_drift_reports_the_target_only() {
    let d = Dir::with(TWO_FILES);
    ok(d.run(&["apply", "--auto-approve"]));
    d.write("first.txt", "edited by hand");
    d.write("second.txt", "edited by hand too");
    let o = d.run(&["drift", "--target", "local_file.second", "--json"]);
    expect_code(&o, 2);
    let report: serde_json::Value = serde_json::from_slice(&o.stdout).expect("drift json");
    let addresses: Vec<&str> = report["resources"]
        .as_array()
        .expect("resources")
        .iter()
        .filter_map(|r| r["address"].as_str())
        .collect();
    assert_eq!(addresses, ["local_file.second"], "{report:#}");
    // Without a target, both are drift.
    let o = d.run(&["drift", "--json"]);
    expect_code(&o, 2);
    let report: serde_json::Value = serde_json::from_slice(&o.stdout).expect("drift json");
    assert_eq!(report["resources"].as_array().map(Vec::len), Some(2), "{report:#}");
}

#[test]
fn plan_out_with_chdir_suggests_a_command_that_works() {
    let d = Dir::new();
    d.write("conf/main.hcl", TWO_FILES);
    let conf = d.join("conf");
    let o = ok(plinth(d.path(), &["-C", "conf", "plan", "-out", "plan.json"]));
    let out = stdout(&o);
    let want = format!(
        "plinth -C {} apply plan.json",
        std::fs::canonicalize(&conf).expect("canon").display()
    );
    assert!(out.contains(&want), "{out}");
    // The suggested command works from where the plan was made.
    let o = ok(plinth(
        d.path(),
        &[
            "-C",
            &std::fs::canonicalize(&conf).expect("canon").to_string_lossy(),
            "apply",
            "plan.json",
        ],
    ));
    assert!(stdout(&o).contains("Apply complete"), "{}", stdout(&o));
    // Run in the configuration directory itself, no -C is suggested.
    ok(plinth(&conf, &["destroy", "--auto-approve"]));
    let o = ok(plinth(&conf, &["plan", "-out", "again.json"]));
    assert!(stdout(&o).contains("\n  plinth apply again.json"), "{}", stdout(&o));
    // A missing plan file: one clear line, the reason said once.
    let o = plinth(d.path(), &["apply", "missing.json"]);
    expect_code(&o, 1);
    let err = stderr(&o);
    assert!(err.contains("cannot read the plan file"), "{err}");
    assert_eq!(err.matches("No such file").count(), 1, "{err}");
}
