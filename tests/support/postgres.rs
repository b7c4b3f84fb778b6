//! A real PostgreSQL server for the postgres backend's tests: Debian's binaries
//! (`/usr/lib/postgresql/VERSION/bin`; `tests/run.sh` installs the `postgresql` package where they
//! are missing), `initdb` into a temporary directory and `pg_ctl start` on 127.0.0.1 with a free
//! port, as the `postgres` user when the tests run as root (the server refuses root). One server
//! is shared by the whole test process ([`server`]); each test takes a database of its own
//! ([`Postgres::database`]). A watchdog process in its own session stops the server and removes
//! the directory as soon as the test process exits, passed, panicked or killed — the test harness
//! has no hook at the end of a run.
//!
//! The superuser has a password (TCP connections use scram-sha-256), so a wrong password is a
//! real authentication failure. Checks go through `psql` ([`Postgres::psql`]), never through the
//! backend's code.

use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::OnceLock;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

/// The superuser's password.
pub const PASSWORD: &str = "pg-test-Secret-7c1e";

/// A running server.
pub struct Postgres {
    pub port: u16,
    bin: PathBuf,
}

/// The directory of Debian's newest PostgreSQL binaries.
fn bin_dir() -> PathBuf {
    let mut versions: Vec<(u32, PathBuf)> = std::fs::read_dir("/usr/lib/postgresql")
        .unwrap_or_else(|e| {
            panic!("PostgreSQL is not installed (/usr/lib/postgresql: {e}); apt-get install -y postgresql (tests/run.sh does)")
        })
        .filter_map(Result::ok)
        .filter_map(|e| Some((e.file_name().to_str()?.parse().ok()?, e.path().join("bin"))))
        .filter(|(_, p)| p.join("initdb").is_file())
        .collect();
    versions.sort();
    versions
        .pop()
        .map(|(_, p)| p)
        .expect("no /usr/lib/postgresql/VERSION/bin/initdb: apt-get install -y postgresql")
}

fn is_root() -> bool {
    Command::new("id")
        .arg("-u")
        .output()
        .is_ok_and(|o| String::from_utf8_lossy(&o.stdout).trim() == "0")
}

/// `program args...`, as the postgres user when this process is root.
fn as_server_user(program: &Path) -> Command {
    if is_root() {
        let mut c = Command::new("runuser");
        c.args(["-u", "postgres", "--"]).arg(program);
        c
    } else {
        Command::new(program)
    }
}

/// The server of this test process, started on first use.
pub fn server() -> &'static Postgres {
    static SERVER: OnceLock<Postgres> = OnceLock::new();
    SERVER.get_or_init(start)
}

fn start() -> Postgres {
    let bin = bin_dir();
    let dir = tempfile::Builder::new()
        .prefix("plinth-pg-")
        .tempdir()
        .expect("temporary directory")
        .keep();
    let data = dir.join("data");
    let port = TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("free port");
    // The watchdog first, so that even a failed start is cleaned up.
    let watchdog = format!(
        "while kill -0 {pid} 2>/dev/null; do sleep 1; done; {stop} \"$0\"/bin/pg_ctl -D \"$1\" -m immediate stop >/dev/null 2>&1; rm -rf \"$2\"",
        pid = std::process::id(),
        stop = if is_root() { "runuser -u postgres --" } else { "" },
    );
    let forked = Command::new("setsid")
        .args(["-f", "sh", "-c", &watchdog])
        .arg(bin.parent().expect("bin's parent"))
        .arg(&data)
        .arg(&dir)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .expect("setsid sh (the PostgreSQL watchdog)");
    assert!(forked.success(), "the PostgreSQL watchdog did not start: {forked}");
    if is_root() {
        let st = Command::new("chown")
            .args(["-R", "postgres:postgres"])
            .arg(&dir)
            .status()
            .expect("chown");
        assert!(st.success(), "chown postgres {}", dir.display());
    }
    let pwfile = dir.join("pw");
    std::fs::write(&pwfile, PASSWORD).expect("password file");
    if is_root() {
        let _ = Command::new("chown").args(["postgres:postgres"]).arg(&pwfile).status();
    }
    let out = as_server_user(&bin.join("initdb"))
        .arg("-D")
        .arg(&data)
        .args([
            "-U",
            "postgres",
            "--auth-local=trust",
            "--auth-host=scram-sha-256",
            "-E",
            "UTF8",
            "--no-sync",
        ])
        .arg(format!("--pwfile={}", pwfile.display()))
        .output()
        .expect("run initdb");
    assert!(
        out.status.success(),
        "initdb failed: {}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    let out = as_server_user(&bin.join("pg_ctl"))
        .arg("-D")
        .arg(&data)
        .arg("-l")
        .arg(dir.join("log"))
        .arg("-o")
        .arg(format!(
            "-p {port} -k {} -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=200",
            dir.display()
        ))
        .args(["-w", "-t", "60", "start"])
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .output()
        .expect("run pg_ctl");
    assert!(
        out.status.success(),
        "pg_ctl start failed: {}\n{}",
        String::from_utf8_lossy(&out.stderr),
        std::fs::read_to_string(dir.join("log")).unwrap_or_default()
    );
    let start = Instant::now();
    while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
        assert!(
            start.elapsed() < Duration::from_secs(30),
            "PostgreSQL did not listen within 30 s"
        );
        std::thread::sleep(Duration::from_millis(100));
    }
    Postgres { port, bin }
}

impl Postgres {
    /// A new, empty database for one test: `plinth_t<pid>_<n>`.
    pub fn database(&self) -> String {
        static N: AtomicUsize = AtomicUsize::new(0);
        let name = format!("plinth_t{}_{}", std::process::id(), N.fetch_add(1, Ordering::Relaxed));
        self.psql("postgres", &format!("CREATE DATABASE {name}"));
        name
    }

    /// The connection string of `db` as the superuser (password included).
    pub fn conn_str(&self, db: &str) -> String {
        format!(
            "host=127.0.0.1 port={} user=postgres password={PASSWORD} dbname={db} sslmode=disable",
            self.port
        )
    }

    /// Runs `sql` in `db` with `psql` and returns its unaligned, tuples-only output; panics on an
    /// error.
    pub fn psql(&self, db: &str, sql: &str) -> String {
        let psql = self.bin.join("psql");
        let out = Command::new(if psql.is_file() { psql } else { PathBuf::from("psql") })
            .args([
                "-X",
                "-A",
                "-t",
                "-v",
                "ON_ERROR_STOP=1",
                "-h",
                "127.0.0.1",
                "-U",
                "postgres",
            ])
            .arg("-p")
            .arg(self.port.to_string())
            .arg("-d")
            .arg(db)
            .arg("-c")
            .arg(sql)
            .env("PGPASSWORD", PASSWORD)
            .stdin(Stdio::null())
            .output()
            .expect("run psql");
        assert!(
            out.status.success(),
            "psql {sql:?} failed: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8_lossy(&out.stdout).trim_end().to_string()
    }
}
