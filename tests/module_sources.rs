//! End-to-end tests of remote module sources: `plinth init` fetches `git::file://` repositories
//! and `file://` `.tar.gz` archives the test builds on disk (never the network), pins them in
//! `.plinth.lock.hcl`, and every other command uses only the installed, verified copy.

mod support;

use std::path::Path;
use std::process::Command;

use support::cli::{Dir, ok, stdout, user_error};

/// Runs git in `dir` with a fixed identity; panics on failure (test set-up, not the subject).
fn git(dir: &Path, args: &[&str]) -> String {
    let o = Command::new("git")
        .current_dir(dir)
        .args([
            "-c",
            "user.name=t",
            "-c",
            "user.email=t@example.invalid",
            "-c",
            "init.defaultBranch=main",
        ])
        .args(args)
        .output()
        .expect("run git");
    assert!(
        o.status.success(),
        "git {args:?}: {}",
        String::from_utf8_lossy(&o.stderr)
    );
    String::from_utf8_lossy(&o.stdout).trim().to_string()
}

/// A git repository with `modules/net` (which calls `../shared` inside the repository), tagged
/// `v1`, on branch `main`. The module's output says `word`.
fn repo(word: &str) -> Dir {
    let r = Dir::new();
    git(r.path(), &["init", "--quiet"]);
    write_module(&r, word);
    r.write(
        "modules/shared/main.hcl",
        "variable \"s\" {\n  type = string\n}\noutput \"upper\" {\n  value = \"${var.s}!\"\n}\n",
    );
    git(r.path(), &["add", "."]);
    git(r.path(), &["commit", "--quiet", "-m", "one"]);
    git(r.path(), &["tag", "v1"]);
    r
}

fn write_module(r: &Dir, word: &str) {
    r.write(
        "modules/net/main.hcl",
        &format!(
            "variable \"name\" {{\n  type = string\n}}\nmodule \"shared\" {{\n  source = \"../shared\"\n  s      = var.name\n}}\nresource \"local_value\" \"v\" {{\n  input = \"{word}-${{module.shared.upper}}\"\n}}\noutput \"out\" {{\n  value = local_value.v.output\n}}\n"
        ),
    );
}

fn config(source: &str) -> String {
    format!(
        "module \"net\" {{\n  source = \"{source}\"\n  name   = \"a\"\n}}\noutput \"out\" {{\n  value = module.net.out\n}}\n"
    )
}

#[test]
fn git_source_is_fetched_by_init_locked_and_upgraded_only_on_request() {
    let r = repo("one");
    let url = format!("git::file://{}//modules/net?ref=main", r.path().display());
    let d = Dir::with(&config(&url));

    // Nothing is fetched by plan.
    let err = user_error(&d.run(&["plan"]));
    assert!(err.contains(r#"Module "net" is not installed"#), "{err}");
    assert!(err.contains("run `plinth init`"), "{err}");
    assert!(!d.exists(".plinth/modules/net"));

    let o = ok(d.run(&["init"]));
    assert!(stdout(&o).contains("- module.net: git::file://"), "{}", stdout(&o));
    let first = git(r.path(), &["rev-parse", "HEAD"]);
    let lock = d.read(".plinth.lock.hcl");
    assert!(
        lock.contains(&format!(
            "module \"net\" {{\n  source = \"{url}\"\n  commit = \"{first}\"\n"
        )),
        "{lock}"
    );
    assert!(!lock.contains("net.shared"), "a relative source is not locked:\n{lock}");

    let o = ok(d.run(&["apply", "--auto-approve"]));
    assert!(stdout(&o).contains("out = \"one-a!\""), "{}", stdout(&o));

    // A new commit on the branch is ignored by plain init …
    write_module(&r, "two");
    git(r.path(), &["commit", "--quiet", "-am", "two"]);
    ok(d.run(&["init"]));
    assert_eq!(d.read(".plinth.lock.hcl"), lock);
    let o = ok(d.run(&["plan"]));
    assert!(stdout(&o).contains("No changes."), "{}", stdout(&o));

    // … until init -upgrade.
    ok(d.run(&["init", "-upgrade"]));
    let second = git(r.path(), &["rev-parse", "HEAD"]);
    assert!(d.read(".plinth.lock.hcl").contains(&second));
    let o = ok(d.run(&["plan"]));
    assert!(stdout(&o).contains("\"two-a!\""), "{}", stdout(&o));

    // An edited installed copy is refused, and init repairs it.
    d.write(
        ".plinth/modules/net/modules/shared/main.hcl",
        "output \"upper\" {\n  value = \"x\"\n}\n",
    );
    let err = user_error(&d.run(&["validate"]));
    assert!(
        err.contains(r#"Module "net" in .plinth/modules/net does not match .plinth.lock.hcl"#),
        "{err}"
    );
    assert!(err.contains("run `plinth init`"), "{err}");
    ok(d.run(&["init"]));
    ok(d.run(&["validate"]));

    // A missing lock entry is refused.
    d.write(".plinth.lock.hcl", "# empty\n");
    let err = user_error(&d.run(&["plan"]));
    assert!(
        err.contains(".plinth.lock.hcl has no entry for it; run `plinth init`"),
        "{err}"
    );
}

#[test]
fn git_tag_ref_and_archive_calling_a_git_module() {
    let r = repo("tagged");
    write_module(&r, "later");
    git(r.path(), &["commit", "--quiet", "-am", "later"]);

    // An archive whose module calls the repository at tag v1.
    let src = Dir::new();
    src.write(
        "pkg/main.hcl",
        &format!(
            "module \"inner\" {{\n  source = \"git::file://{}//modules/net?ref=v1\"\n  name   = \"z\"\n}}\noutput \"out\" {{\n  value = module.inner.out\n}}\n",
            r.path().display()
        ),
    );
    let archive = src.join("pkg.tar.gz");
    let o = Command::new("tar")
        .current_dir(src.path())
        .args(["-czf", "pkg.tar.gz", "pkg"])
        .output()
        .expect("run tar");
    assert!(o.status.success());

    let d = Dir::with(&format!(
        "module \"pkg\" {{\n  source = \"file://{}//pkg\"\n}}\noutput \"out\" {{\n  value = module.pkg.out\n}}\n",
        archive.display()
    ));
    ok(d.run(&["init"]));
    let lock = d.read(".plinth.lock.hcl");
    assert!(lock.contains("module \"pkg\" {"), "{lock}");
    assert!(lock.contains("  sha256 = \""), "{lock}");
    assert!(lock.contains("module \"pkg.inner\" {"), "{lock}");
    let o = ok(d.run(&["apply", "--auto-approve"]));
    assert!(stdout(&o).contains("out = \"tagged-z!\""), "{}", stdout(&o));

    // The archive changing under the lock is an error until init -upgrade.
    src.write("pkg/extra.hcl", "locals {\n  x = 1\n}\n");
    let o = Command::new("tar")
        .current_dir(src.path())
        .args(["-czf", "pkg.tar.gz", "pkg"])
        .output()
        .expect("run tar");
    assert!(o.status.success());
    std::fs::remove_dir_all(d.join(".plinth/modules/pkg")).expect("rm");
    let err = user_error(&d.run(&["init"]));
    assert!(err.contains("changed since it was locked"), "{err}");
    ok(d.run(&["init", "--upgrade"]));
    ok(d.run(&["plan"]));
}

#[test]
fn bad_sources_are_clear_errors_at_the_source_attribute() {
    let r = repo("one");
    let at = |source: &str| {
        let d = Dir::with(&format!("module \"net\" {{\n  source = \"{source}\"\n}}\n"));
        user_error(&d.run(&["init"]))
    };
    let err = at(&format!("git::file://{}//modules/net?ref=nope", r.path().display()));
    assert!(
        err.starts_with("main.hcl:2:12: error: Ref \"nope\" does not exist in"),
        "{err}"
    );

    let err = at(&format!("git::file://{}//modules/nowhere", r.path().display()));
    assert!(err.starts_with("main.hcl:2:12: error: Module source"), "{err}");
    assert!(err.contains("has no directory \"modules/nowhere\""), "{err}");

    let err = at("git::file:///nonexistent/repo");
    assert!(
        err.starts_with("main.hcl:2:12: error: Cannot fetch module source \"file:///nonexistent/repo\""),
        "{err}"
    );
    assert!(err.contains("git said: \""), "{err}");

    let err = at("hashicorp/consul/aws");
    assert!(err.starts_with("main.hcl:2:12: error: Registry module source"), "{err}");
    assert!(err.contains("use a git:: source"), "{err}");

    let err = at("s3::https://bucket/x.zip");
    assert!(err.contains("Unsupported module source scheme \"s3\""), "{err}");

    let d = Dir::with(&format!(
        "module \"net\" {{\n  source  = \"git::file://{}//modules/net\"\n  version = \"1.0\"\n}}\n",
        r.path().display()
    ));
    let err = user_error(&d.run(&["init"]));
    assert!(err.contains("Invalid registry module source address"), "{err}");
    assert!(err.contains("applies only to registry modules"), "{err}");
}
