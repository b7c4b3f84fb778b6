use std::path::Path;

use plinth_sdk::{AttrPath, Value};
use rusqlite::Connection;

use super::*;

const T: &str = "local_feature_table";

fn columns(cols: &[(&str, &str)]) -> Value {
    Value::List(
        cols.iter()
            .map(|(n, t)| Value::object([("name", s(n)), ("type", s(t))]))
            .collect(),
    )
}

fn users(p: &LocalProvider) -> Value {
    config(
        p,
        T,
        &[
            ("database", s("data/features.db")),
            ("name", s("users")),
            (
                "columns",
                columns(&[("user_id", "INTEGER"), ("score", "REAL"), ("seen_at", "TIMESTAMP")]),
            ),
            ("primary_key", s("user_id")),
        ],
    )
}

/// (name, type, pk) of each column, straight from SQLite.
fn table_info(db: &Path, table: &str) -> Vec<(String, String, i64)> {
    let conn = Connection::open(db).expect("open");
    let mut stmt = conn
        .prepare("SELECT name, type, pk FROM pragma_table_info(?1) ORDER BY cid")
        .expect("prepare");
    stmt.query_map([table], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
        .expect("query")
        .collect::<Result<_, _>>()
        .expect("rows")
}

#[tokio::test]
async fn create_makes_the_table() {
    let dir = tempfile::tempdir().expect("tempdir");
    let p = provider(dir.path()).await;
    let cfg = users(&p);
    assert!(validate(&p, T, &cfg).is_empty());
    let planned = plan(&p, T, None, &cfg).await;
    assert_eq!(planned.planned.get("id"), &s("data/features.db#users"));
    let state = converge(&p, T, None, &cfg).await;
    assert_eq!(state.get("id"), &s("data/features.db#users"));

    let db = dir.path().join("data/features.db");
    assert_eq!(
        table_info(&db, "users"),
        vec![
            ("user_id".to_string(), "INTEGER".to_string(), 1),
            ("score".to_string(), "REAL".to_string(), 0),
            ("seen_at".to_string(), "TIMESTAMP".to_string(), 0),
        ]
    );
    // It is a real table: rows go in.
    let conn = Connection::open(&db).expect("open");
    conn.execute("INSERT INTO users (user_id, score) VALUES (1, 0.5)", [])
        .expect("insert");

    // Refresh agrees with the state; re-planning is a no-op.
    let live = read_one(&p, T, &state).await.expect("exists");
    assert_eq!(live, state);
    let again = plan(&p, T, Some(&live), &cfg).await;
    assert!(again.requires_replace.is_empty());
    assert_eq!(again.planned, state);
}

#[tokio::test]
async fn creating_over_an_existing_table_is_a_sqlite_error() {
    let dir = tempfile::tempdir().expect("tempdir");
    let p = provider(dir.path()).await;
    let cfg = users(&p);
    converge(&p, T, None, &cfg).await;
    let planned = plan(&p, T, None, &cfg).await;
    let err = try_apply(&p, T, None, Some(planned.planned), &cfg)
        .await
        .expect_err("already exists");
    assert_eq!(err.code.as_deref(), Some("SQLITE_ERROR"));
    assert!(err.message.contains("already exists"), "{}", err.message);
}

#[tokio::test]
async fn refresh_sees_alter_drop_and_a_deleted_database() {
    let dir = tempfile::tempdir().expect("tempdir");
    let p = provider(dir.path()).await;
    let cfg = users(&p);
    let state = converge(&p, T, None, &cfg).await;
    let db = dir.path().join("data/features.db");

    Connection::open(&db)
        .expect("open")
        .execute_batch("ALTER TABLE users ADD COLUMN country TEXT")
        .expect("alter");
    let live = read_one(&p, T, &state).await.expect("exists");
    assert_eq!(
        live.get("columns"),
        &columns(&[
            ("user_id", "INTEGER"),
            ("score", "REAL"),
            ("seen_at", "TIMESTAMP"),
            ("country", "TEXT")
        ])
    );
    let planned = plan(&p, T, Some(&live), &cfg).await;
    assert_eq!(planned.requires_replace, vec![AttrPath::attr("columns")]);

    Connection::open(&db)
        .expect("open")
        .execute_batch("DROP TABLE users")
        .expect("drop");
    assert_eq!(read_one(&p, T, &state).await, None, "a dropped table is gone");

    std::fs::remove_file(&db).expect("rm");
    assert_eq!(read_one(&p, T, &state).await, None, "a deleted database is gone");
    assert!(!db.exists(), "refresh does not create the database");
}

#[tokio::test]
async fn refresh_is_batched_over_databases() {
    let dir = tempfile::tempdir().expect("tempdir");
    let p = provider(dir.path()).await;
    let a = converge(&p, T, None, &users(&p)).await;
    let b_cfg = config(
        &p,
        T,
        &[
            ("database", s("data/features.db")),
            ("name", s("items")),
            ("columns", columns(&[("item_id", "TEXT"), ("embedding", "BLOB")])),
        ],
    );
    let b = converge(&p, T, None, &b_cfg).await;
    assert_eq!(b.get("primary_key"), &Value::Null);
    let mut c = b.clone();
    if let Value::Map(m) = &mut c {
        m.insert("database".into(), s("elsewhere/none.db"));
    }
    let states = read(&p, T, &[&a, &b, &c]).await;
    assert_eq!(states, vec![Some(a.clone()), Some(b.clone()), None]);
}

#[tokio::test]
async fn force_new_changes_plan_a_replace() {
    let dir = tempfile::tempdir().expect("tempdir");
    let p = provider(dir.path()).await;
    let state = converge(&p, T, None, &users(&p)).await;
    let with = |k: &str, v: Value| {
        let mut cfg = users(&p);
        if let Value::Map(m) = &mut cfg {
            m.insert(k.to_string(), v);
        }
        cfg
    };
    for (attr, value) in [
        ("database", s("other.db")),
        ("name", s("customers")),
        (
            "columns",
            columns(&[("user_id", "INTEGER"), ("score", "TEXT"), ("seen_at", "TIMESTAMP")]),
        ),
        ("primary_key", Value::Null),
    ] {
        let planned = plan(&p, T, Some(&state), &with(attr, value)).await;
        assert_eq!(planned.requires_replace, vec![AttrPath::attr(attr)], "changing {attr}");
        if attr == "name" {
            assert_eq!(planned.planned.get("id"), &s("data/features.db#customers"));
        }
    }

    // Carrying the replacement out: the old table goes, the new one comes.
    let cfg = with("name", s("customers"));
    converge(&p, T, Some(&state), &cfg).await;
    let db = dir.path().join("data/features.db");
    assert!(table_info(&db, "users").is_empty());
    assert_eq!(table_info(&db, "customers").len(), 3);
}

#[tokio::test]
async fn delete_drops_the_table_and_keeps_the_database() {
    let dir = tempfile::tempdir().expect("tempdir");
    let p = provider(dir.path()).await;
    let state = converge(&p, T, None, &users(&p)).await;
    let db = dir.path().join("data/features.db");
    destroy(&p, T, &state).await.expect("delete");
    let conn = Connection::open(&db).expect("open");
    let n: i64 = conn
        .query_row("SELECT count(*) FROM sqlite_master WHERE name = 'users'", [], |r| {
            r.get(0)
        })
        .expect("count");
    assert_eq!(n, 0);
    drop(conn);
    destroy(&p, T, &state).await.expect("already dropped is fine");
    std::fs::remove_file(&db).expect("rm");
    destroy(&p, T, &state).await.expect("a missing database is fine");
    assert!(!db.exists(), "delete does not create the database");
}

#[tokio::test]
async fn import_by_database_and_name() {
    let dir = tempfile::tempdir().expect("tempdir");
    let p = provider(dir.path()).await;
    let db = dir.path().join("legacy.db");
    Connection::open(&db)
        .expect("open")
        .execute_batch("CREATE TABLE events (id INTEGER PRIMARY KEY, payload TEXT)")
        .expect("create");
    let state = import(&p, T, "legacy.db#events").await.expect("import");
    assert_eq!(state.get("id"), &s("legacy.db#events"));
    assert_eq!(state.get("database"), &s("legacy.db"));
    assert_eq!(state.get("name"), &s("events"));
    assert_eq!(
        state.get("columns"),
        &columns(&[("id", "INTEGER"), ("payload", "TEXT")])
    );
    assert_eq!(state.get("primary_key"), &s("id"));

    let cfg = config(
        &p,
        T,
        &[
            ("database", s("legacy.db")),
            ("name", s("events")),
            ("columns", columns(&[("id", "INTEGER"), ("payload", "TEXT")])),
            ("primary_key", s("id")),
        ],
    );
    let planned = plan(&p, T, Some(&state), &cfg).await;
    assert!(planned.requires_replace.is_empty());
    assert_eq!(
        planned.planned, state,
        "an imported table matching the config needs no change"
    );

    let err = import(&p, T, "legacy.db").await.expect_err("no #");
    assert_eq!(err.code.as_deref(), Some("EINVAL"));
    let err = import(&p, T, "legacy.db#nope").await.expect_err("no table");
    assert_eq!(err.code.as_deref(), Some("SQLITE_ERROR"));
    assert!(err.message.contains("nope"));
    let err = import(&p, T, "missing.db#events").await.expect_err("no database");
    assert_eq!(err.code.as_deref(), Some("ENOENT"));
    assert!(!dir.path().join("missing.db").exists());
}

#[tokio::test]
async fn validation_points_at_the_offending_attribute() {
    let dir = tempfile::tempdir().expect("tempdir");
    let p = provider(dir.path()).await;
    let cfg = config(
        &p,
        T,
        &[
            ("database", s("f.db")),
            ("name", s("bad-name")),
            (
                "columns",
                columns(&[("a", "INTEGER"), ("b", "VARCHAR"), ("A", "TEXT"), ("c", "real")]),
            ),
            ("primary_key", s("z")),
        ],
    );
    let diags = validate(&p, T, &cfg);
    assert_eq!(
        diag_paths(&diags),
        [
            "name",
            "columns[1].type",
            "columns[2].name",
            "columns[3].type",
            "primary_key"
        ]
    );
    assert!(
        diags[3].detail.contains("\"REAL\""),
        "a hint for the case: {}",
        diags[3].detail
    );

    // Unknown values are not judged.
    let cfg = config(
        &p,
        T,
        &[
            ("database", s("f.db")),
            ("name", Value::Unknown),
            (
                "columns",
                Value::List(vec![Value::object([("name", Value::Unknown), ("type", s("TEXT"))])]),
            ),
            ("primary_key", s("z")),
        ],
    );
    assert!(validate(&p, T, &cfg).is_empty());
    let empty = config(
        &p,
        T,
        &[
            ("database", s("f.db")),
            ("name", s("t")),
            ("columns", Value::List(vec![])),
        ],
    );
    assert_eq!(diag_paths(&validate(&p, T, &empty)), ["columns"]);
}

/// `users` with its columns written as `column` blocks (as the engine passes them: a list of
/// objects under `column`, `columns` null).
fn users_in_blocks(p: &LocalProvider, cols: &[(&str, &str)]) -> Value {
    let mut cfg = users(p);
    if let Value::Map(m) = &mut cfg {
        m.insert("columns".to_string(), Value::Null);
        m.insert("column".to_string(), columns(cols));
    }
    cfg
}

#[tokio::test]
async fn column_blocks_are_the_columns_list_spelled_as_blocks() {
    let dir = tempfile::tempdir().expect("tempdir");
    let p = provider(dir.path()).await;
    let cols = [("user_id", "INTEGER"), ("score", "REAL"), ("seen_at", "TIMESTAMP")];
    let cfg = users_in_blocks(&p, &cols);
    assert!(validate(&p, T, &cfg).is_empty());
    let state = converge(&p, T, None, &cfg).await;
    // The state carries the effective list in `columns`, and the blocks as written.
    assert_eq!(state.get("columns"), &columns(&cols));
    assert_eq!(state.get("column"), &columns(&cols));
    assert_eq!(
        table_info(&dir.path().join("data/features.db"), "users")
            .into_iter()
            .map(|(n, t, _)| (n, t))
            .collect::<Vec<_>>(),
        cols.iter()
            .map(|(n, t)| (n.to_string(), t.to_string()))
            .collect::<Vec<_>>()
    );
    let live = read_one(&p, T, &state).await.expect("exists");
    assert_eq!(live, state);
    let again = plan(&p, T, Some(&live), &cfg).await;
    assert!(again.requires_replace.is_empty());
    assert_eq!(again.planned, state);

    // A changed block replaces the table, as a changed `columns` does.
    let changed = users_in_blocks(
        &p,
        &[("user_id", "INTEGER"), ("score", "TEXT"), ("seen_at", "TIMESTAMP")],
    );
    let planned = plan(&p, T, Some(&state), &changed).await;
    assert_eq!(planned.requires_replace, vec![AttrPath::attr("columns")]);

    // Switching spelling with the same columns is no replacement.
    let planned = plan(&p, T, Some(&state), &users(&p)).await;
    assert!(planned.requires_replace.is_empty(), "{:?}", planned.requires_replace);
    assert_eq!(planned.planned.get("columns"), &columns(&cols));

    // Unknown blocks (a dynamic block over an unknown for_each) are not judged, and plan unknown.
    let mut unknown = users_in_blocks(&p, &cols);
    if let Value::Map(m) = &mut unknown {
        m.insert("column".to_string(), Value::Unknown);
    }
    assert!(validate(&p, T, &unknown).is_empty());
    let planned = plan(&p, T, None, &unknown).await;
    assert_eq!(planned.planned.get("columns"), &Value::Unknown);
}

#[tokio::test]
async fn column_blocks_are_validated_like_columns_and_exclude_it() {
    let dir = tempfile::tempdir().expect("tempdir");
    let p = provider(dir.path()).await;
    let cfg = users_in_blocks(&p, &[("a", "INTEGER"), ("b", "VARCHAR"), ("A", "TEXT"), ("c", "real")]);
    let diags = validate(&p, T, &cfg);
    assert_eq!(
        diag_paths(&diags),
        ["column[1].type", "column[2].name", "column[3].type", "primary_key"]
    );
    assert!(diags[2].detail.contains("\"REAL\""), "{}", diags[2].detail);

    let mut both = users_in_blocks(&p, &[("user_id", "INTEGER")]);
    if let Value::Map(m) = &mut both {
        m.insert("columns".to_string(), columns(&[("user_id", "INTEGER")]));
    }
    let diags = validate(&p, T, &both);
    assert_eq!(diag_paths(&diags), ["columns"]);
    assert_eq!(diags[0].summary, "Both columns and column blocks");

    let neither = users_in_blocks(&p, &[]);
    let diags = validate(&p, T, &neither);
    assert_eq!(diag_paths(&diags), ["columns"]);
    assert_eq!(diags[0].summary, "No columns");
    assert!(diags[0].detail.contains("column {"), "{}", diags[0].detail);
}
