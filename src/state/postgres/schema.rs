//! The postgres backend's tables and their version: `MIGRATIONS[i]` takes the tables from
//! version `i` to `i + 1`, and `meta.schema_version` says which have run. `plinth init` runs the
//! missing ones in one transaction under a transaction-level advisory lock, so two `init`s at
//! once do not collide; an up-to-date schema is left untouched (no DDL, so a user without CREATE
//! rights can run `init` against tables an administrator made).

use super::{Shared, run};
use crate::state::StateError;

/// The version this Plinth writes and reads.
pub const VERSION: i32 = 1;

/// The advisory lock `init` holds while it migrates.
const INIT_LOCK: i64 = 0x706c_696e_7468_0001;

/// Statements taking the tables from version `i` to `i + 1`; `{s}` is the quoted schema.
const MIGRATIONS: &[&str] = &[
    // 0 → 1
    r#"
CREATE TABLE IF NOT EXISTS {s}.meta (key text PRIMARY KEY, value text NOT NULL);
CREATE TABLE IF NOT EXISTS {s}.environments (
    name text PRIMARY KEY,
    created timestamptz NOT NULL DEFAULT now()
);
CREATE TABLE IF NOT EXISTS {s}.states (
    env text PRIMARY KEY,
    lineage text NOT NULL,
    serial bigint NOT NULL,
    data bytea NOT NULL,
    backup bytea,
    updated timestamptz NOT NULL DEFAULT now()
);
CREATE TABLE IF NOT EXISTS {s}.journal (
    seq bigserial PRIMARY KEY,
    env text NOT NULL,
    entry bytea NOT NULL
);
CREATE INDEX IF NOT EXISTS journal_env_seq ON {s}.journal (env, seq);
CREATE TABLE IF NOT EXISTS {s}.locks (
    env text PRIMARY KEY,
    id text NOT NULL,
    who text NOT NULL,
    pid integer NOT NULL,
    operation text NOT NULL,
    created text NOT NULL
);
CREATE TABLE IF NOT EXISTS {s}.env_files (
    env text NOT NULL,
    name text NOT NULL,
    data bytea NOT NULL,
    PRIMARY KEY (env, name)
);
CREATE TABLE IF NOT EXISTS {s}.keys (name text PRIMARY KEY, data bytea NOT NULL);
"#,
];

/// The tables' version: `None` when there are none yet.
pub(super) fn version(shared: &Shared) -> Result<Option<i32>, StateError> {
    let schema = shared.schema.clone();
    let q_exists = "SELECT to_regclass(format('%I.meta', $1::text)) IS NOT NULL";
    let q_version = format!("SELECT value FROM {} WHERE key = 'schema_version'", shared.t("meta"));
    let value = shared
        .with_client(|c| async move {
            let c = c.lock().await;
            let exists: bool = c.query_one(q_exists, &[&schema]).await?.get(0);
            if !exists {
                return Ok::<_, tokio_postgres::Error>(None);
            }
            Ok(c.query_opt(&q_version, &[]).await?.map(|r| r.get::<_, String>(0)))
        })
        .map_err(|e| shared.error("reading the tables' version", &e))?;
    match value {
        None => Ok(None),
        Some(v) => v.parse().map(Some).map_err(|_| {
            StateError::Other(format!(
                "postgres backend ({}): {}.meta holds schema_version {v:?}, not a number",
                shared.target.text, shared.schema
            ))
        }),
    }
}

/// Creates the schema and tables, or brings them up to [`VERSION`].
pub(super) fn migrate(shared: &Shared) -> Result<(), StateError> {
    let schema = shared.schema.clone();
    let quoted = format!("\"{schema}\"");
    let meta = shared.t("meta");
    let result = run({
        let client = shared.client.clone();
        async move {
            let mut c = client.lock().await;
            let tx = c.transaction().await?;
            tx.execute("SELECT pg_advisory_xact_lock($1)", &[&INIT_LOCK]).await?;
            let has_schema: bool = tx
                .query_one(
                    "SELECT EXISTS (SELECT 1 FROM pg_namespace WHERE nspname = $1)",
                    &[&schema],
                )
                .await?
                .get(0);
            if !has_schema {
                tx.batch_execute(&format!("CREATE SCHEMA {quoted}")).await?;
            }
            let has_meta: bool = tx
                .query_one(
                    "SELECT to_regclass(format('%I.meta', $1::text)) IS NOT NULL",
                    &[&schema],
                )
                .await?
                .get(0);
            let mut current: i32 = 0;
            if has_meta
                && let Some(row) = tx
                    .query_opt(&format!("SELECT value FROM {meta} WHERE key = 'schema_version'"), &[])
                    .await?
            {
                current = row.get::<_, String>(0).parse().unwrap_or(0);
            }
            for m in MIGRATIONS.iter().skip(current.max(0) as usize) {
                tx.batch_execute(&m.replace("{s}", &quoted)).await?;
            }
            if current < VERSION {
                tx.execute(
                    &format!(
                        "INSERT INTO {meta} (key, value) VALUES ('schema_version', $1) \
                         ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value"
                    ),
                    &[&VERSION.to_string()],
                )
                .await?;
            }
            tx.commit().await?;
            Ok::<_, tokio_postgres::Error>(current)
        }
    });
    match result {
        Ok(v) if v > VERSION => Err(StateError::Other(format!(
            "postgres backend ({}): the tables in schema {:?} are at version {v}, newer than this Plinth understands ({VERSION}); upgrade Plinth",
            shared.target.text, shared.schema
        ))),
        Ok(_) => Ok(()),
        Err(e) => Err(shared.error("creating the tables", &e)),
    }
}
