//! End-to-end tests of remote module sources: `plinth init` fetches `git::file://` repositories
//! (and GitHub shorthands, rewritten to a local repository by git's `insteadOf`) and `file://`
//! `.tar.gz` archives the test builds on disk (never the network), pins them in
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

/// Terraform's shorthands `github.com/OWNER/REPO//DIR?ref=X` and `git@github.com:OWNER/REPO.git`
/// are git sources on GitHub (`git::https://github.com/OWNER/REPO.git`, `git::ssh://…`). No
/// network: git's own `url.BASE.insteadOf`, given to plinth's git alone through
/// `GIT_CONFIG_COUNT`, points both at a local bare repository; the other commands run without
/// it, from the installed copy.
#[test]
fn github_shorthands_are_git_sources() {
    let r = repo("hub");
    let mirror = Dir::new();
    std::fs::create_dir_all(mirror.path().join("acme")).expect("mkdir acme");
    let origin = r.path().display().to_string();
    git(
        mirror.path(),
        &["clone", "--quiet", "--bare", &origin, "acme/plinth.git"],
    );
    let key = format!("url.file://{}/.insteadOf", mirror.path().display());
    let env = [
        ("GIT_CONFIG_GLOBAL", "/dev/null"),
        ("GIT_CONFIG_NOSYSTEM", "1"),
        ("GIT_CONFIG_COUNT", "2"),
        ("GIT_CONFIG_KEY_0", key.as_str()),
        ("GIT_CONFIG_VALUE_0", "https://github.com/"),
        ("GIT_CONFIG_KEY_1", key.as_str()),
        ("GIT_CONFIG_VALUE_1", "ssh://git@github.com/"),
    ];
    for source in [
        "github.com/acme/plinth//modules/net?ref=v1",
        "git@github.com:acme/plinth.git//modules/net?ref=v1",
    ] {
        let d = Dir::with(&config(source));
        let o = ok(d.run_env(&["init"], &env));
        assert!(
            stdout(&o).contains(&format!("- module.net: {source}")),
            "{}",
            stdout(&o)
        );
        let commit = git(r.path(), &["rev-parse", "v1"]);
        let lock = d.read(".plinth.lock.hcl");
        assert!(
            lock.contains(&format!("source = \"{source}\"\n  commit = \"{commit}\"\n")),
            "{lock}"
        );
        let o = ok(d.run(&["apply", "--auto-approve"]));
        assert!(stdout(&o).contains("out = \"hub-a!\""), "{}", stdout(&o));
    }
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

    let err = at("hashicorp/consul");
    assert!(
        err.starts_with("main.hcl:2:12: error: Unsupported module source"),
        "{err}"
    );
    assert!(
        err.contains("a registry address (NAMESPACE/NAME/SYSTEM with version)"),
        "{err}"
    );

    // A GitHub shorthand with a directory but no `//`: the hint says how to write one.
    let err = at("github.com/acme/plinth/modules/net");
    assert!(
        err.starts_with("main.hcl:2:12: error: Unsupported module source \"github.com/acme/plinth/modules/net\""),
        "{err}"
    );
    assert!(err.contains("github.com/OWNER/REPO//modules/net?ref=v1.2.0"), "{err}");

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

/// A file server on 127.0.0.1 (a free port) for the archive tests: `GET /NAME` answers the file
/// `root/NAME` or 404; `GET /indirect` answers an empty page whose `X-Terraform-Get` header
/// names `./pkg.zip`, as a module registry's download endpoint does (`/indirect-subdir`:
/// `./pkg.zip//pkg`). Stopped on drop.
struct Server {
    port: u16,
    stop: std::sync::Arc<std::sync::atomic::AtomicBool>,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl Server {
    fn start(root: &Path) -> Server {
        use std::io::{BufRead, BufReader, Write};
        let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
        let port = listener.local_addr().expect("addr").port();
        let stop = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
        let (root, flag) = (root.to_path_buf(), stop.clone());
        let thread = std::thread::spawn(move || {
            for conn in listener.incoming() {
                if flag.load(std::sync::atomic::Ordering::SeqCst) {
                    break;
                }
                let Ok(mut conn) = conn else { continue };
                let mut reader = BufReader::new(conn.try_clone().expect("clone"));
                let mut first = String::new();
                let _ = reader.read_line(&mut first);
                loop {
                    let mut line = String::new();
                    if reader.read_line(&mut line).unwrap_or(0) == 0 || line == "\r\n" {
                        break;
                    }
                }
                let target = first.split_whitespace().nth(1).unwrap_or("/");
                let path = target.split('?').next().unwrap_or("/").trim_start_matches('/');
                // A registry's download endpoint: `PATH.x-terraform-get` holds the answer.
                let indirect = std::fs::read_to_string(root.join(format!("{path}.x-terraform-get"))).ok();
                let header = indirect.as_ref().map(|t| format!("X-Terraform-Get: {}\r\n", t.trim()));
                let (status, headers, body) = if let Some(h) = header.as_deref() {
                    ("204 No Content", h, Vec::new())
                } else if path == "indirect" {
                    ("200 OK", "X-Terraform-Get: ./pkg.zip\r\n", Vec::new())
                } else if path == "indirect-subdir" {
                    ("200 OK", "X-Terraform-Get: ./pkg.zip//pkg\r\n", Vec::new())
                } else {
                    match std::fs::read(root.join(path)) {
                        Ok(b) => ("200 OK", "", b),
                        Err(_) => ("404 Not Found", "", b"not found".to_vec()),
                    }
                };
                let _ = write!(
                    conn,
                    "HTTP/1.1 {status}\r\n{headers}Content-Length: {}\r\nConnection: close\r\n\r\n",
                    body.len()
                );
                let _ = conn.write_all(&body);
            }
        });
        Server {
            port,
            stop,
            thread: Some(thread),
        }
    }

    fn url(&self, path: &str) -> String {
        format!("http://127.0.0.1:{}/{path}", self.port)
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        self.stop.store(true, std::sync::atomic::Ordering::SeqCst);
        // Wake the accept loop so it sees the flag.
        let _ = std::net::TcpStream::connect(("127.0.0.1", self.port));
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

/// Writes `pkg/main.hcl` (a module whose output says `word`) into `src` and packs it as
/// `pkg.tar.gz` (system tar) and `pkg.zip` (python3's zipfile): the test's own tools.
fn pack(src: &Dir, word: &str) {
    src.write(
        "pkg/main.hcl",
        &format!(
            "resource \"local_value\" \"v\" {{\n  input = \"{word}\"\n}}\noutput \"out\" {{\n  value = local_value.v.output\n}}\n"
        ),
    );
    let tar = Command::new("tar")
        .current_dir(src.path())
        .args(["-czf", "pkg.tar.gz", "pkg"])
        .output()
        .expect("run tar");
    assert!(tar.status.success());
    let _ = std::fs::remove_file(src.join("pkg.zip"));
    let zip = Command::new("python3")
        .current_dir(src.path())
        .args(["-m", "zipfile", "-c", "pkg.zip", "pkg"])
        .output()
        .expect("run python3");
    assert!(zip.status.success(), "{}", String::from_utf8_lossy(&zip.stderr));
    // The same zip at a URL without an extension, for `?archive=zip`.
    std::fs::copy(src.join("pkg.zip"), src.join("blob")).expect("copy");
}

/// The SHA-256 of a file, by the system's sha256sum.
fn sha256sum(path: &Path) -> String {
    let o = Command::new("sha256sum").arg(path).output().expect("run sha256sum");
    String::from_utf8_lossy(&o.stdout)
        .split_whitespace()
        .next()
        .expect("a digest")
        .to_string()
}

#[test]
fn http_and_zip_archives_are_fetched_by_init_pinned_and_used_offline() {
    let src = Dir::new();
    pack(&src, "one");
    let server = Server::start(src.path());
    let modules = [
        ("tgz", server.url("pkg.tar.gz//pkg")),
        ("zipped", server.url("pkg.zip//pkg")),
        ("forced", server.url("blob//pkg?archive=zip")),
        ("indirect", server.url("indirect//pkg")),
        ("filezip", format!("file://{}//pkg", src.join("pkg.zip").display())),
    ];
    let mut hcl = String::new();
    for (name, source) in &modules {
        hcl.push_str(&format!(
            "module \"{name}\" {{\n  source = \"{source}\"\n}}\noutput \"{name}\" {{\n  value = module.{name}.out\n}}\n"
        ));
    }
    let d = Dir::with(&hcl);

    let err = user_error(&d.run(&["plan"]));
    assert!(err.contains("is not installed"), "{err}");

    let o = ok(d.run(&["init"]));
    assert!(
        stdout(&o).contains(&format!("- module.tgz: {} (", modules[0].1)),
        "{}",
        stdout(&o)
    );
    let lock = d.read(".plinth.lock.hcl");
    let (tgz_sha, zip_sha) = (sha256sum(&src.join("pkg.tar.gz")), sha256sum(&src.join("pkg.zip")));
    for (name, sha) in [
        ("tgz", &tgz_sha),
        ("zipped", &zip_sha),
        ("forced", &zip_sha),
        ("indirect", &zip_sha),
        ("filezip", &zip_sha),
    ] {
        let source = &modules.iter().find(|m| m.0 == name).expect("module").1;
        assert!(
            lock.contains(&format!(
                "module \"{name}\" {{\n  source = \"{source}\"\n  sha256 = \"{sha}\"\n"
            )),
            "{name}:\n{lock}"
        );
    }
    let o = ok(d.run(&["apply", "--auto-approve"]));
    for (name, _) in &modules {
        assert!(stdout(&o).contains(&format!("{name} = \"one\"")), "{}", stdout(&o));
    }

    // A changed archive at the same URL is refused until init -upgrade.
    pack(&src, "two");
    std::fs::remove_dir_all(d.join(".plinth/modules/tgz")).expect("rm");
    let err = user_error(&d.run(&["init"]));
    assert!(
        err.contains(&format!(
            "Archive {} changed since it was locked",
            server.url("pkg.tar.gz")
        )),
        "{err}"
    );
    assert!(err.contains("run `plinth init -upgrade`"), "{err}");
    assert_eq!(d.read(".plinth.lock.hcl"), lock);
    ok(d.run(&["init", "-upgrade"]));
    let upgraded = d.read(".plinth.lock.hcl");
    assert!(upgraded.contains(&sha256sum(&src.join("pkg.tar.gz"))), "{upgraded}");
    assert!(!upgraded.contains(&tgz_sha), "{upgraded}");

    // With the server gone, plan, apply and a plain init use the installed copies.
    drop(server);
    let o = ok(d.run(&["plan"]));
    assert!(stdout(&o).contains("\"two\""), "{}", stdout(&o));
    ok(d.run(&["init"]));
    let o = ok(d.run(&["apply", "--auto-approve"]));
    assert!(stdout(&o).contains("tgz = \"two\""), "{}", stdout(&o));
    let o = ok(d.run(&["plan"]));
    assert!(stdout(&o).contains("No changes."), "{}", stdout(&o));
}

#[test]
fn http_archive_failures_are_clear_errors_naming_the_source() {
    let src = Dir::new();
    pack(&src, "one");
    src.write("page.tar.gz", "<!DOCTYPE html><title>Sign in</title>");
    src.write("broken.zip", "PK\u{3}\u{4} truncated");
    src.write("plain", "just a page");
    let server = Server::start(src.path());
    let at = |source: &str| {
        let d = Dir::with(&format!("module \"m\" {{\n  source = \"{source}\"\n}}\n"));
        let err = user_error(&d.run(&["init"]));
        assert!(err.starts_with("main.hcl:2:12: error: "), "{err}");
        // A failed download leaves nothing behind (a wrong //subdir is found after install).
        if !source.ends_with("//nowhere") {
            assert!(!d.exists(".plinth/modules/m"), "nothing is left installed: {err}");
        }
        assert!(!d.exists(".plinth.lock.hcl"), "{err}");
        err
    };

    let err = at(&server.url("missing.tar.gz"));
    assert!(
        err.contains(&format!(
            "Cannot fetch module source \"{}\"",
            server.url("missing.tar.gz")
        )),
        "{err}"
    );
    assert!(err.contains("the server answered 404 Not Found"), "{err}");

    let err = at(&server.url("page.tar.gz"));
    assert!(err.contains("is not a gzip-compressed tar (.tar.gz) archive"), "{err}");
    assert!(err.contains("<!DOCTYPE html>"), "{err}");

    let err = at(&server.url("broken.zip"));
    assert!(
        err.contains(&format!("Cannot unpack module source {}", server.url("broken.zip"))),
        "{err}"
    );
    assert!(err.contains("the archive is damaged or not a zip archive"), "{err}");

    let err = at(&server.url("pkg.zip//nowhere"));
    assert!(err.contains("has no directory \"nowhere\""), "{err}");

    let err = at(&server.url("indirect-subdir"));
    assert!(err.contains("which names a subdirectory"), "{err}");

    let err = at(&server.url("plain"));
    assert!(err.contains("is not an archive"), "{err}");
    assert!(err.contains("X-Terraform-Get"), "{err}");

    // A port nobody listens on: connection refused, named.
    let free = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
    let port = free.local_addr().expect("addr").port();
    drop(free);
    let url = format!("http://127.0.0.1:{port}/pkg.tar.gz//pkg");
    let err = at(&url);
    assert!(
        err.contains(&format!(
            "Cannot fetch module source \"http://127.0.0.1:{port}/pkg.tar.gz\""
        )),
        "{err}"
    );
    assert!(err.contains("cannot connect to the server"), "{err}");
    assert!(
        err.contains("check the URL and that this machine can reach the host"),
        "{err}"
    );

    let err = at("gcs::https://www.googleapis.com/storage/v1/modules/m.zip");
    assert!(err.contains("Unsupported module source scheme \"gcs\""), "{err}");
}

/// Publishes `pkg.tar.gz` (as [`pack`] made it) as `VERSION` of the registry module
/// `acme/net/aws` that `src` serves: its archive, the download endpoint's answer, and the
/// versions list (all of `versions`).
fn publish(src: &Dir, version: &str, versions: &[&str]) {
    src.write(".well-known/terraform.json", r#"{"modules.v1": "/v1/modules/"}"#);
    let archive = format!("archives/net-{version}.tar.gz");
    std::fs::create_dir_all(src.join("archives")).expect("mkdir");
    std::fs::copy(src.join("pkg.tar.gz"), src.join(&archive)).expect("copy");
    src.write(
        &format!("v1/modules/acme/net/aws/{version}/download.x-terraform-get"),
        &format!("/{archive}"),
    );
    let list: Vec<String> = versions.iter().map(|v| format!(r#"{{"version": "{v}"}}"#)).collect();
    src.write(
        "v1/modules/acme/net/aws/versions",
        &format!(r#"{{"modules": [{{"versions": [{}]}}]}}"#, list.join(", ")),
    );
}

fn registry_config(port: u16, version: &str) -> String {
    format!(
        "module \"net\" {{\n  source  = \"127.0.0.1:{port}/acme/net/aws//pkg\"\n  version = \"{version}\"\n}}\noutput \"net\" {{\n  value = module.net.out\n}}\n"
    )
}

#[test]
fn registry_sources_resolve_the_newest_allowed_version_at_init_only() {
    let src = Dir::new();
    pack(&src, "one");
    // 2.0.0 exists but the constraint excludes it; its archive is never published.
    publish(&src, "1.2.0", &["1.1.0", "1.2.0", "2.0.0"]);
    let server = Server::start(src.path());
    let d = Dir::with(&registry_config(server.port, "~> 1.1"));

    let o = ok(d.run(&["init"]));
    let lock = d.read(".plinth.lock.hcl");
    assert!(lock.contains("  version = \"1.2.0\"\n"), "{lock}\n{}", stdout(&o));
    assert!(
        lock.contains(&sha256sum(&src.join("archives/net-1.2.0.tar.gz"))),
        "{lock}"
    );
    let o = ok(d.run(&["apply", "--auto-approve"]));
    assert!(stdout(&o).contains("net = \"one\""), "{}", stdout(&o));

    // A newer allowed version: a plain init keeps the locked one, -upgrade takes it.
    pack(&src, "two");
    publish(&src, "1.3.0", &["1.1.0", "1.2.0", "1.3.0", "2.0.0"]);
    ok(d.run(&["init"]));
    assert_eq!(d.read(".plinth.lock.hcl"), lock);
    ok(d.run(&["init", "-upgrade"]));
    assert!(d.read(".plinth.lock.hcl").contains("  version = \"1.3.0\"\n"));

    // Offline, plan uses what init installed.
    let port = server.port;
    drop(server);
    let o = ok(d.run(&["plan"]));
    assert!(stdout(&o).contains("\"two\""), "{}", stdout(&o));

    // A constraint that no longer allows the installed version needs init.
    d.write("main.hcl", &registry_config(port, "= 1.2.0"));
    let err = user_error(&d.run(&["plan"]));
    assert!(err.contains("no longer allows"), "{err}");
}

#[test]
fn registry_failures_are_clear_errors() {
    let src = Dir::new();
    pack(&src, "one");
    publish(&src, "1.2.0", &["1.1.0", "1.2.0"]);
    let server = Server::start(src.path());

    let d = Dir::with(&registry_config(server.port, "~> 3.0"));
    let err = user_error(&d.run(&["init"]));
    assert!(err.contains("main.hcl:2:13"), "{err}");
    assert!(err.contains("No version of registry module"), "{err}");
    assert!(err.contains("the registry has 1.2.0, 1.1.0"), "{err}");

    let d = Dir::with(&registry_config(server.port, ">= banana"));
    let err = user_error(&d.run(&["init"]));
    assert!(err.contains("Invalid version constraint for module \"net\""), "{err}");

    // A host that is no registry: no discovery document.
    std::fs::remove_file(src.join(".well-known/terraform.json")).expect("rm");
    let d = Dir::with(&registry_config(server.port, "~> 1.1"));
    let err = user_error(&d.run(&["init"]));
    assert!(err.contains("Cannot resolve registry module"), "{err}");
    assert!(err.contains(".well-known/terraform.json"), "{err}");

    // Nothing listening.
    let port = server.port;
    drop(server);
    let d = Dir::with(&registry_config(port, "~> 1.1"));
    let err = user_error(&d.run(&["init"]));
    assert!(err.contains("Cannot resolve registry module"), "{err}");
}
