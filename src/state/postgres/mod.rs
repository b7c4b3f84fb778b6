//! The postgres backend: every environment's state in tables of one PostgreSQL schema, so a team
//! and its CI share it (`plinth { backend "postgres" { conn_str, schema_name } }`).
//!
//! ```text
//! SCHEMA.meta          key → value; `schema_version` (the tables' version, see `schema.rs`)
//! SCHEMA.environments  name: every environment but `default`, which always exists
//! SCHEMA.states        env → lineage, serial, data (the snapshot), backup (the one before it)
//! SCHEMA.journal       seq, env, entry: one row per finished change since the snapshot
//! SCHEMA.locks         env → id, who, pid, operation, created: who holds the lock, for messages
//! SCHEMA.env_files     (env, name) → data: `env.json`, `vars.json` of `plinth env`
//! SCHEMA.keys          name → data: `hash.key`, `utility.key`, shared by every user
//! ```
//!
//! **Nothing recorded is lost.** [`Journal::record`] inserts one batch of rows in one statement
//! (one commit, whose cost does not depend on the size of the state); `load` reads the snapshot
//! and the journal in one repeatable-read transaction and replays the journal; `persist` writes the
//! snapshot, keeps the previous one as `backup` and deletes the journal rows in one transaction.
//! Snapshots, backups, journal rows and the shared keys are sealed with the configured encryption
//! key, as the local backend's files are ([`crate::secrets::encryption`]).
//!
//! **The lock** is a session-level `pg_try_advisory_lock` on a key derived from the schema and the
//! environment, taken on a connection of its own that the [`LockGuard`] holds for the whole
//! command: PostgreSQL releases it when that connection ends, so a killed process leaves no stale
//! lock. The `locks` row beside it only says who holds it.
//!
//! The backend is synchronous (as [`Backend`] is); the driver (tokio-postgres) runs on the
//! backends' runtime ([`super::blocking`]), and each call waits for its answer.

mod schema;

use std::future::Future;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use sha2::{Digest, Sha256};
use tokio::sync::Mutex;
use tokio_postgres::{Client, Config};

use super::blocking::run;
use super::local::{parse_state, replay_is_noop, valid_env_name};
use super::store::{BackendKind, BackendSettings, Store};
use super::{Backend, Journal, JournalEntry, LockGuard, LockInfo, STATE_VERSION, State, StateError};
use crate::secrets::encryption::{Cipher, OpenError, Purpose, is_sealed};

/// The schema when `schema_name` is not given.
pub const DEFAULT_SCHEMA: &str = "plinth";

/// Where the server is, for messages: `db.example:5432/infra as plinth` (never the password).
#[derive(Clone, Debug)]
struct Target {
    text: String,
    user: String,
    dbname: String,
}

impl Target {
    fn of(config: &Config) -> Target {
        use tokio_postgres::config::Host;
        let hosts: Vec<String> = config
            .get_hosts()
            .iter()
            .map(|h| match h {
                Host::Tcp(h) => h.clone(),
                #[cfg(unix)]
                Host::Unix(p) => p.display().to_string(),
            })
            .collect();
        let host = if hosts.is_empty() {
            "localhost".to_string()
        } else {
            hosts.join(",")
        };
        let port = config.get_ports().first().copied().unwrap_or(5432);
        let user = config.get_user().unwrap_or("(default user)").to_string();
        let dbname = config.get_dbname().unwrap_or(&user).to_string();
        Target {
            text: format!("{host}:{port}/{dbname}"),
            user,
            dbname,
        }
    }
}

/// What the store and its backends share: how to connect, the data connection, and names.
struct Shared {
    config: Config,
    tls: Tls,
    target: Target,
    /// The schema, as written (validated as a plain identifier).
    schema: String,
    cipher: Option<Cipher>,
    lock_timeout: Duration,
    /// The data connection (loads, journal rows, snapshots); the lock has its own.
    client: Arc<Mutex<Client>>,
    /// Whether the tables exist at this Plinth's version (else only `init` works).
    ready: AtomicBool,
}

#[derive(Clone)]
enum Tls {
    None,
    Rustls(tokio_postgres_rustls::MakeRustlsConnect),
}

impl Shared {
    /// `"schema".table`.
    fn t(&self, table: &str) -> String {
        format!("\"{}\".{table}", self.schema)
    }

    /// The error for a failed call: the backend, the server, what failed, and why, in words a
    /// user can act on. Never the connection string.
    fn error(&self, what: &str, e: &tokio_postgres::Error) -> StateError {
        error_of(&self.target, &self.schema, what, e)
    }

    fn require_ready(&self) -> Result<(), StateError> {
        if self.ready.load(Ordering::Acquire) {
            return Ok(());
        }
        Err(StateError::Other(format!(
            "postgres backend ({}): the tables in schema {:?} are missing or out of date: run `plinth init`",
            self.target.text, self.schema
        )))
    }

    /// Runs `f` with the data connection on the driver's runtime.
    fn with_client<T: Send + 'static, F>(&self, f: impl FnOnce(Arc<Mutex<Client>>) -> F) -> T
    where
        F: Future<Output = T> + Send + 'static,
    {
        run(f(self.client.clone()))
    }

    fn seal(&self, purpose: Purpose, plain: &[u8]) -> Vec<u8> {
        match &self.cipher {
            Some(c) => c.seal(purpose, plain).into_bytes(),
            None => plain.to_vec(),
        }
    }

    /// Opens what was read: sealed data with the key, plain data as it is.
    fn open(&self, purpose: Purpose, bytes: Vec<u8>, place: &str) -> Result<Vec<u8>, StateError> {
        if !is_sealed(&bytes) {
            return Ok(bytes);
        }
        match &self.cipher {
            None => Err(StateError::Encrypted {
                path: place.to_string(),
            }),
            Some(c) => c.open(purpose, &bytes).map_err(|e| match e {
                OpenError::WrongKey { .. } => StateError::WrongKey {
                    path: place.to_string(),
                    detail: format!("({e})"),
                },
                OpenError::Corrupt(message) => StateError::Corrupt {
                    path: place.to_string(),
                    message,
                },
                OpenError::Unsupported(_) => StateError::Other(format!("cannot read {place}: {e}")),
            }),
        }
    }

    /// `postgres:SCHEMA.TABLE[ENV]`: a place in messages.
    fn place(&self, table: &str, env: &str) -> String {
        format!("postgres {}.{table} of environment {env:?}", self.schema)
    }
}

/// Connects with `config`, driving the connection on the driver's runtime.
async fn connect(config: Config, tls: Tls) -> Result<Client, tokio_postgres::Error> {
    match tls {
        Tls::None => {
            let (client, conn) = config.connect(tokio_postgres::NoTls).await?;
            tokio::spawn(async move {
                let _ = conn.await;
            });
            Ok(client)
        }
        Tls::Rustls(tls) => {
            let (client, conn) = config.connect(tls).await?;
            tokio::spawn(async move {
                let _ = conn.await;
            });
            Ok(client)
        }
    }
}

/// The error for a failed call, by what the server or the network said.
fn error_of(target: &Target, schema: &str, what: &str, e: &tokio_postgres::Error) -> StateError {
    let head = format!("postgres backend ({})", target.text);
    let Some(db) = e.as_db_error() else {
        if e.is_closed() {
            return StateError::Other(format!(
                "{head}: {what} failed: the connection to the server was closed"
            ));
        }
        let cause = std::error::Error::source(e)
            .map(|s| s.to_string())
            .unwrap_or_else(|| e.to_string());
        return StateError::Other(format!(
            "{head}: {what} failed: cannot reach the PostgreSQL server ({cause}); check the host and port in conn_str and that the server is running"
        ));
    };
    use tokio_postgres::error::SqlState;
    let code = db.code();
    let why = if *code == SqlState::INVALID_PASSWORD {
        format!("authentication failed for user {:?} (wrong password?)", target.user)
    } else if *code == SqlState::INVALID_AUTHORIZATION_SPECIFICATION {
        format!("the server refused user {:?}: {}", target.user, db.message())
    } else if *code == SqlState::INVALID_CATALOG_NAME {
        format!(
            "database {:?} does not exist: create it (createdb {}) or fix conn_str",
            target.dbname, target.dbname
        )
    } else if *code == SqlState::INSUFFICIENT_PRIVILEGE {
        format!(
            "permission denied for user {:?}: {} (docs/backends.md lists the grants the backend needs)",
            target.user,
            db.message()
        )
    } else if *code == SqlState::UNDEFINED_TABLE || *code == SqlState::INVALID_SCHEMA_NAME {
        format!("the tables in schema {schema:?} are missing: run `plinth init`")
    } else {
        format!("{} ({})", db.message(), code.code())
    };
    StateError::Other(format!("{head}: {what} failed: {why}"))
}

/// The environments kept in one PostgreSQL schema.
pub struct PostgresStore {
    shared: Arc<Shared>,
}

impl PostgresStore {
    /// Connects to the server `settings.args` name (`conn_str`, else `PG_CONN_STR`) and reads the
    /// tables' version. Missing tables are not an error here (`plinth init` makes them); using
    /// them is.
    pub fn connect(settings: BackendSettings) -> Result<PostgresStore, StateError> {
        let conn_str = match settings.args.get("conn_str") {
            Some(c) => c.clone(),
            None => std::env::var("PG_CONN_STR").map_err(|_| {
                StateError::Other(
                    "postgres backend: no connection string: set conn_str in the backend block (secret(\"...\") keeps it out of the files) or the PG_CONN_STR environment variable".to_string(),
                )
            })?,
        };
        let config: Config = conn_str.parse().map_err(|e: tokio_postgres::Error| {
            // The parser's message names the option, never the value.
            StateError::Other(format!(
                "postgres backend: conn_str is not a valid PostgreSQL connection string: {e}"
            ))
        })?;
        let schema = settings
            .args
            .get("schema_name")
            .cloned()
            .unwrap_or_else(|| DEFAULT_SCHEMA.to_string());
        if !valid_identifier(&schema) {
            return Err(StateError::Other(format!(
                "postgres backend: schema_name {schema:?} must be a plain identifier (lowercase letters, digits and _, not starting with a digit, at most 63)"
            )));
        }
        let target = Target::of(&config);
        let tls = match config.get_ssl_mode() {
            tokio_postgres::config::SslMode::Disable => Tls::None,
            _ => Tls::Rustls(rustls_connector()?),
        };
        let client = {
            let (config, tls) = (config.clone(), tls.clone());
            run(async move { connect(config, tls).await })
        }
        .map_err(|e| error_of(&target, &schema, "connecting", &e))?;
        let shared = Shared {
            config,
            tls,
            target,
            schema,
            cipher: settings.cipher,
            lock_timeout: settings.lock_timeout,
            client: Arc::new(Mutex::new(client)),
            ready: AtomicBool::new(false),
        };
        let version = schema::version(&shared)?;
        shared.ready.store(version == Some(schema::VERSION), Ordering::Release);
        if let Some(v) = version
            && v > schema::VERSION
        {
            return Err(StateError::Other(format!(
                "postgres backend ({}): the tables in schema {:?} are at version {v}, newer than this Plinth understands ({}); upgrade Plinth",
                shared.target.text,
                shared.schema,
                schema::VERSION
            )));
        }
        Ok(PostgresStore {
            shared: Arc::new(shared),
        })
    }
}

/// TLS by rustls with the system's root certificates (`sslmode=prefer` falls back to plain text
/// when the server offers no TLS; `require` insists on it).
fn rustls_connector() -> Result<tokio_postgres_rustls::MakeRustlsConnect, StateError> {
    let mut roots = rustls::RootCertStore::empty();
    for cert in rustls_native_certs::load_native_certs().certs {
        let _ = roots.add(cert);
    }
    let config = rustls::ClientConfig::builder_with_provider(Arc::new(rustls::crypto::aws_lc_rs::default_provider()))
        .with_safe_default_protocol_versions()
        .map_err(|e| StateError::Other(format!("postgres backend: TLS set-up failed: {e}")))?
        .with_root_certificates(roots)
        .with_no_client_auth();
    Ok(tokio_postgres_rustls::MakeRustlsConnect::new(config))
}

/// A schema name used unquoted-safe: `[a-z_][a-z0-9_]*`, at most 63 bytes.
fn valid_identifier(s: &str) -> bool {
    !s.is_empty()
        && s.len() <= 63
        && s.starts_with(|c: char| c.is_ascii_lowercase() || c == '_')
        && s.chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
}

fn check_env(env: &str) -> Result<(), StateError> {
    if valid_env_name(env) {
        Ok(())
    } else {
        Err(StateError::Other(format!("invalid environment name {env:?}")))
    }
}

impl Store for PostgresStore {
    fn kind(&self) -> BackendKind {
        BackendKind::Postgres
    }

    fn describe(&self) -> String {
        format!(
            "the postgres backend (schema {:?} on {})",
            self.shared.schema, self.shared.target.text
        )
    }

    fn init(&self) -> Result<(), StateError> {
        schema::migrate(&self.shared)?;
        self.shared.ready.store(true, Ordering::Release);
        Ok(())
    }

    fn environments(&self) -> Result<Vec<String>, StateError> {
        let s = &self.shared;
        s.require_ready()?;
        let sql = format!(
            "SELECT name FROM {} UNION SELECT env FROM {} ORDER BY 1",
            s.t("environments"),
            s.t("states")
        );
        s.with_client(|c| async move {
            let rows = c.lock().await.query(&sql, &[]).await?;
            Ok::<_, tokio_postgres::Error>(rows.iter().map(|r| r.get::<_, String>(0)).collect())
        })
        .map_err(|e| s.error("listing environments", &e))
    }

    fn exists(&self, env: &str) -> Result<bool, StateError> {
        if env == "default" {
            return Ok(true);
        }
        let s = &self.shared;
        s.require_ready()?;
        let sql = format!("SELECT 1 FROM {} WHERE name = $1", s.t("environments"));
        let env = env.to_string();
        s.with_client(|c| async move { c.lock().await.query_opt(&sql, &[&env]).await.map(|r| r.is_some()) })
            .map_err(|e| s.error("reading environments", &e))
    }

    fn create(&self, env: &str) -> Result<(), StateError> {
        check_env(env)?;
        let s = &self.shared;
        s.require_ready()?;
        let sql = format!(
            "INSERT INTO {} (name) VALUES ($1) ON CONFLICT DO NOTHING",
            s.t("environments")
        );
        let env = env.to_string();
        s.with_client(|c| async move { c.lock().await.execute(&sql, &[&env]).await.map(|_| ()) })
            .map_err(|e| s.error("creating the environment", &e))
    }

    fn delete(&self, env: &str) -> Result<(), StateError> {
        let s = &self.shared;
        s.require_ready()?;
        let sqls: Vec<String> = [
            ("states", "env"),
            ("journal", "env"),
            ("env_files", "env"),
            ("environments", "name"),
        ]
        .iter()
        .map(|(t, col)| format!("DELETE FROM {} WHERE {col} = $1", s.t(t)))
        .collect();
        let env = env.to_string();
        s.with_client(|c| async move {
            let mut c = c.lock().await;
            let tx = c.transaction().await?;
            for sql in &sqls {
                tx.execute(sql, &[&env]).await?;
            }
            tx.commit().await
        })
        .map_err(|e| s.error("deleting the environment", &e))
    }

    fn open(&self, env: &str) -> Result<Box<dyn Backend>, StateError> {
        check_env(env)?;
        self.shared.require_ready()?;
        Ok(Box::new(PostgresBackend {
            shared: self.shared.clone(),
            env: env.to_string(),
        }))
    }

    fn read_file(&self, env: &str, name: &str) -> Result<Option<Vec<u8>>, StateError> {
        let s = &self.shared;
        s.require_ready()?;
        let sql = format!("SELECT data FROM {} WHERE env = $1 AND name = $2", s.t("env_files"));
        let (env, name) = (env.to_string(), name.to_string());
        s.with_client(|c| async move {
            let row = c.lock().await.query_opt(&sql, &[&env, &name]).await?;
            Ok::<_, tokio_postgres::Error>(row.map(|r| r.get::<_, Vec<u8>>(0)))
        })
        .map_err(|e| s.error("reading the environment's settings", &e))
    }

    fn write_file(&self, env: &str, name: &str, data: &[u8]) -> Result<(), StateError> {
        let s = &self.shared;
        s.require_ready()?;
        let sql = format!(
            "INSERT INTO {} (env, name, data) VALUES ($1, $2, $3) ON CONFLICT (env, name) DO UPDATE SET data = EXCLUDED.data",
            s.t("env_files")
        );
        let (env, name, data) = (env.to_string(), name.to_string(), data.to_vec());
        s.with_client(|c| async move { c.lock().await.execute(&sql, &[&env, &name, &data]).await.map(|_| ()) })
            .map_err(|e| s.error("writing the environment's settings", &e))
    }

    /// Inserted once (`ON CONFLICT DO NOTHING`), then read: whoever inserts first wins, and every
    /// later caller gets the same bytes.
    fn shared_key(&self, name: &str, initial: Option<&[u8]>) -> Result<Vec<u8>, StateError> {
        let s = &self.shared;
        s.require_ready()?;
        let fresh = crate::secrets::new_key(initial);
        let sealed = s.seal(Purpose::Key, &fresh);
        let insert = format!(
            "INSERT INTO {} (name, data) VALUES ($1, $2) ON CONFLICT DO NOTHING",
            s.t("keys")
        );
        let select = format!("SELECT data FROM {} WHERE name = $1", s.t("keys"));
        let owned = name.to_string();
        let stored = s
            .with_client(|c| async move {
                let c = c.lock().await;
                c.execute(&insert, &[&owned, &sealed]).await?;
                c.query_one(&select, &[&owned]).await.map(|r| r.get::<_, Vec<u8>>(0))
            })
            .map_err(|e| s.error(&format!("reading the shared {name}"), &e))?;
        s.open(Purpose::Key, stored, &format!("postgres {}.keys {name:?}", s.schema))
    }
}

/// The snapshot row (if any) and the journal rows, as stored.
type Stored = (Option<Vec<u8>>, Vec<Vec<u8>>);

/// One environment's state in the schema.
pub struct PostgresBackend {
    shared: Arc<Shared>,
    env: String,
}

impl PostgresBackend {
    /// The advisory lock key of this environment: the first 8 bytes of SHA-256 over the schema
    /// and the environment.
    fn lock_key(&self) -> i64 {
        let mut h = Sha256::new();
        h.update(b"plinth-state-lock\0");
        h.update(self.shared.schema.as_bytes());
        h.update(b"\0");
        h.update(self.env.as_bytes());
        let d = h.finalize();
        let mut b = [0u8; 8];
        b.copy_from_slice(&d[..8]);
        i64::from_be_bytes(b)
    }

    /// The snapshot (opened) and the journal rows (opened), read in one snapshot of the database.
    fn read(&self) -> Result<Stored, StateError> {
        let s = &self.shared;
        let q_state = format!("SELECT data FROM {} WHERE env = $1", s.t("states"));
        let q_journal = format!("SELECT entry FROM {} WHERE env = $1 ORDER BY seq", s.t("journal"));
        let env = self.env.clone();
        let (data, entries) = s
            .with_client(|c| async move {
                let mut c = c.lock().await;
                let tx = c
                    .build_transaction()
                    .isolation_level(tokio_postgres::IsolationLevel::RepeatableRead)
                    .read_only(true)
                    .start()
                    .await?;
                let data = tx.query_opt(&q_state, &[&env]).await?.map(|r| r.get::<_, Vec<u8>>(0));
                let entries: Vec<Vec<u8>> = tx
                    .query(&q_journal, &[&env])
                    .await?
                    .iter()
                    .map(|r| r.get::<_, Vec<u8>>(0))
                    .collect();
                tx.commit().await?;
                Ok::<_, tokio_postgres::Error>((data, entries))
            })
            .map_err(|e| s.error("reading the state", &e))?;
        Ok((data, entries))
    }

    fn parse_snapshot(&self, data: Vec<u8>) -> Result<State, StateError> {
        let place = self.shared.place("states", &self.env);
        let json = self.shared.open(Purpose::State, data, &place)?;
        parse_state(&json, std::path::Path::new(&place))
    }

    /// The journal's entries. A row is written whole or not at all, so unlike the local file
    /// there is no torn tail to forgive: a row that does not parse is corruption.
    fn parse_journal(&self, rows: Vec<Vec<u8>>) -> Result<Vec<JournalEntry>, StateError> {
        let place = self.shared.place("journal", &self.env);
        rows.into_iter()
            .enumerate()
            .map(|(i, row)| {
                let json = self.shared.open(Purpose::Journal, row, &place)?;
                serde_json::from_slice(&json).map_err(|e| StateError::Corrupt {
                    path: place.clone(),
                    message: format!("journal row {} is not a valid entry ({e})", i + 1),
                })
            })
            .collect()
    }
}

impl Backend for PostgresBackend {
    fn try_lock(&self, operation: &str) -> Result<Box<dyn LockGuard>, StateError> {
        let s = &self.shared;
        let key = self.lock_key();
        let info = LockInfo::new(operation);
        let (config, tls) = (s.config.clone(), s.tls.clone());
        let env = self.env.clone();
        let q_holder = format!(
            "SELECT id, who, pid, operation, created FROM {} WHERE env = $1",
            s.t("locks")
        );
        let q_claim = format!(
            "INSERT INTO {} (env, id, who, pid, operation, created) VALUES ($1, $2, $3, $4, $5, $6) \
             ON CONFLICT (env) DO UPDATE SET id = EXCLUDED.id, who = EXCLUDED.who, pid = EXCLUDED.pid, \
             operation = EXCLUDED.operation, created = EXCLUDED.created",
            s.t("locks")
        );
        let row = info.clone();
        let outcome = run(async move {
            let client = connect(config, tls).await?;
            let got: bool = client
                .query_one("SELECT pg_try_advisory_lock($1)", &[&key])
                .await?
                .get(0);
            if !got {
                let holder = client.query_opt(&q_holder, &[&env]).await?.map(|r| LockInfo {
                    id: r.get(0),
                    who: r.get(1),
                    pid: r.get::<_, i32>(2) as u32,
                    operation: r.get(3),
                    created: r.get(4),
                });
                return Ok::<_, tokio_postgres::Error>(Err(holder));
            }
            client
                .execute(
                    &q_claim,
                    &[&env, &row.id, &row.who, &(row.pid as i32), &row.operation, &row.created],
                )
                .await?;
            Ok(Ok(client))
        })
        .map_err(|e| s.error("taking the lock", &e))?;
        match outcome {
            Ok(client) => Ok(Box::new(PostgresLock {
                client: Some(client),
                shared: s.clone(),
                env: self.env.clone(),
                id: info.id,
            })),
            Err(holder) => Err(StateError::Locked {
                env: self.env.clone(),
                holder: Box::new(holder.unwrap_or_else(|| LockInfo::unknown(""))),
            }),
        }
    }

    fn lock_timeout(&self) -> Duration {
        self.shared.lock_timeout
    }

    fn load(&self) -> Result<State, StateError> {
        let (data, rows) = self.read()?;
        let mut state = match data {
            Some(d) => self.parse_snapshot(d)?,
            None => State::new(),
        };
        let entries = self.parse_journal(rows)?;
        state.serial = state.serial.saturating_add(entries.len() as u64);
        for entry in entries {
            state.apply_entry(entry);
        }
        Ok(state)
    }

    fn journal(&self) -> Result<Box<dyn Journal>, StateError> {
        Ok(Box::new(PostgresJournal {
            shared: self.shared.clone(),
            env: self.env.clone(),
        }))
    }

    /// One transaction: the snapshot row locked, the journal read, the new snapshot written with
    /// the old one as its backup, the journal rows deleted. Serials follow the local backend's
    /// rule (one more than the highest of `state.serial` and what a load would report, and one
    /// more again when the journal held changes `state` does not have), so every backend numbers
    /// the same history alike.
    fn persist(&self, state: &mut State) -> Result<u64, StateError> {
        let s = self.shared.clone();
        let env = self.env.clone();
        let q_lock = format!("SELECT serial, data FROM {} WHERE env = $1 FOR UPDATE", s.t("states"));
        let q_journal = format!("SELECT entry FROM {} WHERE env = $1 ORDER BY seq", s.t("journal"));
        let q_write = format!(
            "INSERT INTO {} (env, lineage, serial, data, backup) VALUES ($1, $2, $3, $4, NULL) \
             ON CONFLICT (env) DO UPDATE SET lineage = EXCLUDED.lineage, serial = EXCLUDED.serial, \
             data = EXCLUDED.data, backup = $5, updated = now()",
            s.t("states")
        );
        let q_clear = format!("DELETE FROM {} WHERE env = $1", s.t("journal"));
        let mut new_state = state.clone();
        let this = PostgresBackend {
            shared: s.clone(),
            env: env.clone(),
        };
        let result = run(async move {
            let mut c = s.client.lock().await;
            let tx = c.transaction().await.map_err(|e| s.error("writing the state", &e))?;
            let q = |e: tokio_postgres::Error| s.error("writing the state", &e);
            let old = tx.query_opt(&q_lock, &[&env]).await.map_err(q)?;
            let (old_serial, old_data) = match old {
                Some(r) => (Some(r.get::<_, i64>(0)), Some(r.get::<_, Vec<u8>>(1))),
                None => (None, None),
            };
            if s.cipher.is_none() && old_data.as_deref().is_some_and(is_sealed) {
                return Err(StateError::Encrypted {
                    path: s.place("states", &env),
                });
            }
            let rows: Vec<Vec<u8>> = tx
                .query(&q_journal, &[&env])
                .await
                .map_err(q)?
                .iter()
                .map(|r| r.get::<_, Vec<u8>>(0))
                .collect();
            // A journal that cannot be read is replaced (as `state push --force` may need), but
            // an encrypted one is never dropped by a run without the key.
            let entries = match this.parse_journal(rows) {
                Ok(e) => e,
                Err(e @ StateError::Encrypted { .. }) => return Err(e),
                Err(_) => Vec::new(),
            };
            let mut current = old_serial.unwrap_or(0).max(0) as u64 + entries.len() as u64;
            if !entries.is_empty() && !replay_is_noop(&new_state, &entries) {
                current += 1;
            }
            new_state.serial = new_state.serial.max(current) + 1;
            new_state.version = STATE_VERSION;
            super::ops::canonicalize(&mut new_state);
            let json = super::ops::to_json(&new_state)?;
            let data = s.seal(Purpose::State, json.as_bytes());
            // The backup is sealed too once a key is configured (migrating a plain state).
            let backup = old_data.map(|old| match &s.cipher {
                Some(c) if !is_sealed(&old) => c.seal(Purpose::State, &old).into_bytes(),
                _ => old,
            });
            tx.execute(
                &q_write,
                &[&env, &new_state.lineage, &(new_state.serial as i64), &data, &backup],
            )
            .await
            .map_err(q)?;
            tx.execute(&q_clear, &[&env]).await.map_err(q)?;
            tx.commit().await.map_err(q)?;
            Ok(new_state)
        })?;
        *state = result;
        Ok(state.serial)
    }

    fn cipher(&self) -> Option<&Cipher> {
        self.shared.cipher.as_ref()
    }

    fn backup(&self) -> Result<Option<Vec<u8>>, StateError> {
        let s = &self.shared;
        let sql = format!("SELECT backup FROM {} WHERE env = $1", s.t("states"));
        let env = self.env.clone();
        s.with_client(|c| async move {
            let row = c.lock().await.query_opt(&sql, &[&env]).await?;
            Ok::<_, tokio_postgres::Error>(row.and_then(|r| r.get::<_, Option<Vec<u8>>>(0)))
        })
        .map_err(|e| s.error("reading the backup", &e))
    }
}

/// The held lock: its own connection, whose session holds the advisory lock. Dropping it removes
/// the `locks` row and closes the connection, which releases the lock.
struct PostgresLock {
    client: Option<Client>,
    shared: Arc<Shared>,
    env: String,
    id: String,
}

impl LockGuard for PostgresLock {}

impl Drop for PostgresLock {
    fn drop(&mut self) {
        let Some(client) = self.client.take() else {
            return;
        };
        let sql = format!("DELETE FROM {} WHERE env = $1 AND id = $2", self.shared.t("locks"));
        let (env, id) = (self.env.clone(), self.id.clone());
        run(async move {
            let _ = client.execute(&sql, &[&env, &id]).await;
            drop(client);
        });
    }
}

/// Appends journal rows on the data connection.
struct PostgresJournal {
    shared: Arc<Shared>,
    env: String,
}

impl Journal for PostgresJournal {
    /// One statement, so one commit: the batch is durable when it returns, and its rows keep
    /// their order.
    fn record(&mut self, entries: &[JournalEntry]) -> Result<(), StateError> {
        if entries.is_empty() {
            return Ok(());
        }
        let s = &self.shared;
        let mut rows = Vec::with_capacity(entries.len());
        for entry in entries {
            let json = serde_json::to_vec(entry)
                .map_err(|e| StateError::Other(format!("serializing a journal entry: {e}")))?;
            rows.push(s.seal(Purpose::Journal, &json));
        }
        let sql = format!(
            "INSERT INTO {} (env, entry) SELECT $1, e FROM unnest($2::bytea[]) WITH ORDINALITY AS t(e, n) ORDER BY n",
            s.t("journal")
        );
        let env = self.env.clone();
        s.with_client(|c| async move { c.lock().await.execute(&sql, &[&env, &rows]).await.map(|_| ()) })
            .map_err(|e| s.error("recording a change in the journal", &e))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn identifiers() {
        assert!(valid_identifier("plinth"));
        assert!(valid_identifier("team_a2"));
        for bad in ["", "Plinth", "1a", "a-b", "a\"b", &"x".repeat(64)] {
            assert!(!valid_identifier(bad), "{bad}");
        }
    }
}
