//! `local_feature_table`: a table in a SQLite database file, the local stand-in for a feature group.
//!
//! The resource owns the table's shape (columns and primary key), not its rows, and not the database
//! file, which may hold other tables: create is `CREATE TABLE`, destroy is `DROP TABLE IF EXISTS`
//! and leaves the file. Every attribute is force-new because SQLite cannot change a column's type or
//! a primary key in place; so a changed column list plans a replacement, and the plan says so (the
//! rows are lost). Refresh reads the live shape from `PRAGMA table_info`, so a hand-made
//! `ALTER TABLE` shows as drift; it opens the database read-only and never creates it.
//!
//! The columns are written either as the `columns` attribute or as `column { name, type }` blocks
//! (for `dynamic "column"`): exactly one of the two. Plan copies the blocks into `columns`, so the
//! state always carries the effective list in `columns`, whichever spelling the configuration uses,
//! and apply, refresh, import and drift only ever look at `columns`. The `column` blocks are kept
//! as written (an empty list when unused), without force-new: switching spelling with the same
//! columns is an in-place update, never a replacement.
//!
//! All SQLite work runs on the blocking pool. Refresh is batched: one connection per database file
//! however many tables live in it.

use std::collections::{BTreeMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::{Arc, LazyLock};
use std::time::Duration;

use plinth_sdk::plan::default_plan;
use plinth_sdk::{
    AttrPath, Attribute, BlockSchema, Nesting, PlanResponse, ProviderDiagnostic, ProviderError, ReadInstance, Schema,
    Type, Value,
};
use rusqlite::{Connection, OpenFlags};

use crate::support::{
    blocking, create_parent_dirs, error_at, io_error, is_gone, is_identifier, item_path, known_string, optional_string,
    resolve, set, sqlite_error,
};

pub const TYPE_NAME: &str = "local_feature_table";

/// The column types a feature table accepts, as written in configuration and stored by SQLite.
pub const COLUMN_TYPES: [&str; 5] = ["INTEGER", "REAL", "TEXT", "BLOB", "TIMESTAMP"];

/// How long a statement waits for another writer's lock before failing with `SQLITE_BUSY`.
const BUSY_TIMEOUT: Duration = Duration::from_secs(5);

static SCHEMA: LazyLock<Schema> = LazyLock::new(|| {
    Schema::new(
        "A table in a SQLite database file: the local feature store. Create runs `CREATE TABLE` \
         (creating the database file and its directory when missing); destroy runs `DROP TABLE IF \
         EXISTS` and leaves the file, which may hold other tables. Refresh reads the live columns and \
         primary key (`PRAGMA table_info`), so a hand-made `ALTER TABLE` shows as drift. Any change \
         replaces the table, and its rows are lost. Import with `DATABASE#TABLE`.",
    )
    .identity(&["database", "name"])
    .attr(
        "database",
        Attribute::required(Type::String).force_new().describe(
            "Path of the SQLite database file; relative paths resolve against the directory Plinth runs \
             in. Created when missing.",
        ),
    )
    .attr(
        "name",
        Attribute::required(Type::String)
            .force_new()
            .describe("Name of the table: letters, digits and `_`, not starting with a digit nor with `sqlite_`."),
    )
    .attr(
        "columns",
        Attribute::optional_computed(Type::List(Box::new(column_type())))
            .force_new()
            .describe(
                "The columns, in order: objects `{ name = string, type = string }` where `type` is one of \
                 INTEGER, REAL, TEXT, BLOB, TIMESTAMP (upper case) and names are unique identifiers \
                 (compared without case, as SQLite does). Any change replaces the table. Give either \
                 this or `column` blocks; with blocks, the state holds their list here.",
            ),
    )
    .block(
        "column",
        BlockSchema {
            nesting: Nesting::List,
            schema: Schema::new(
                "One column, in order: the block spelling of an item of `columns` (for `dynamic \"column\"`). \
                 Give either `column` blocks or `columns`.",
            )
            .attr(
                "name",
                Attribute::required(Type::String).describe("Name of the column, a unique identifier."),
            )
            .attr(
                "type",
                Attribute::required(Type::String).describe("INTEGER, REAL, TEXT, BLOB or TIMESTAMP (upper case)."),
            ),
            min_items: 0,
            max_items: None,
            // `columns` carries the list and is force-new; the blocks themselves only record
            // the spelling.
            force_new: false,
        },
    )
    .attr(
        "primary_key",
        Attribute::optional(Type::String)
            .force_new()
            .describe("Name of the column that is the table's primary key; it must be one of `columns`."),
    )
    .attr(
        "id",
        Attribute::computed(Type::String).describe("`DATABASE#TABLE`, as written in `database` and `name`."),
    )
});

fn column_type() -> Type {
    Type::Object {
        attrs: BTreeMap::from([("name".to_string(), Type::String), ("type".to_string(), Type::String)]),
        optional: Vec::new(),
    }
}

/// The resource schema.
pub fn schema() -> &'static Schema {
    &SCHEMA
}

/// One column of a table.
#[derive(Clone, Debug, PartialEq)]
struct Column {
    name: String,
    ty: String,
}

impl Column {
    fn to_value(&self) -> Value {
        Value::object([("name", Value::string(&self.name)), ("type", Value::string(&self.ty))])
    }
}

fn is_table_name(name: &str) -> bool {
    is_identifier(name) && !name.to_ascii_lowercase().starts_with("sqlite_")
}

pub(crate) fn validate(config: &Value) -> Vec<ProviderDiagnostic> {
    let mut diags = Vec::new();
    if config.get("database").as_str().is_some_and(str::is_empty) {
        diags.push(error_at(
            AttrPath::attr("database"),
            "Empty database path",
            "local_feature_table needs the path of a SQLite database file.",
        ));
    }
    if let Some(name) = config.get("name").as_str()
        && !is_table_name(name)
    {
        diags.push(error_at(
            AttrPath::attr("name"),
            "Invalid table name",
            format!(
                "{name:?} is not a table name: use letters, digits and `_`, not starting with a digit \
                 (names starting with `sqlite_` are reserved by SQLite)."
            ),
        ));
    }
    let blocks = config.get("column");
    let uses_blocks = blocks.contains_unknown() || blocks.as_list().is_some_and(|l| !l.is_empty());
    if uses_blocks && !config.get("columns").is_null() {
        diags.push(error_at(
            AttrPath::attr("columns"),
            "Both columns and column blocks",
            "Give the table's columns either as the `columns` list or as `column { name = ..., type = ... }` \
             blocks, not both.",
        ));
        return diags;
    }
    if !uses_blocks && config.get("columns").is_null() {
        diags.push(error_at(
            AttrPath::attr("columns"),
            "No columns",
            "A table needs at least one column: set `columns = [{ name = ..., type = ... }]` or write \
             `column { name = ..., type = ... }` blocks.",
        ));
    }
    // Messages name the spelling the configuration uses: `columns[0].name` or `column[0].name`.
    let field = if uses_blocks { "column" } else { "columns" };
    let columns = &effective_columns(config);
    // Lower-cased names of the columns seen so far; `None` once a name is unknown.
    let mut names: Option<HashSet<String>> = Some(HashSet::new());
    if let Some(items) = columns.as_list() {
        if items.is_empty() {
            diags.push(error_at(
                AttrPath::attr(field),
                "No columns",
                "A table needs at least one column.",
            ));
        }
        for (i, item) in items.iter().enumerate() {
            match item.get("name").strip_sensitive() {
                Value::String(name) => {
                    if !is_identifier(name) {
                        diags.push(error_at(
                            item_path(field, i, "name"),
                            "Invalid column name",
                            format!(
                                "{name:?} is not a column name: use letters, digits and `_`, not starting with a digit."
                            ),
                        ));
                    }
                    if let Some(seen) = names.as_mut()
                        && !seen.insert(name.to_ascii_lowercase())
                    {
                        diags.push(error_at(
                            item_path(field, i, "name"),
                            "Duplicate column name",
                            format!("Column {name:?} is declared more than once (SQLite compares column names without case)."),
                        ));
                    }
                }
                _ => names = None,
            }
            if let Some(ty) = item.get("type").as_str()
                && !COLUMN_TYPES.contains(&ty)
            {
                let hint = if COLUMN_TYPES.contains(&ty.to_ascii_uppercase().as_str()) {
                    format!(" Write it in upper case: {:?}.", ty.to_ascii_uppercase())
                } else {
                    String::new()
                };
                diags.push(error_at(
                    item_path(field, i, "type"),
                    "Unknown column type",
                    format!(
                        "{ty:?} is not a column type; use one of {}.{hint}",
                        COLUMN_TYPES.join(", ")
                    ),
                ));
            }
        }
    } else if !columns.is_null() && !columns.contains_unknown() {
        diags.push(error_at(
            AttrPath::attr("columns"),
            "Invalid columns",
            "columns must be a list of objects { name = string, type = string }.",
        ));
    } else if columns.contains_unknown() {
        names = None;
    }
    if let (Some(pk), Some(names)) = (config.get("primary_key").as_str(), names.as_ref())
        && columns.as_list().is_some()
        && !names.contains(&pk.to_ascii_lowercase())
    {
        diags.push(error_at(
            AttrPath::attr("primary_key"),
            "Primary key is not a column",
            format!("primary_key {pk:?} must name one of the table's columns."),
        ));
    }
    diags
}

pub(crate) fn plan(prior: Option<&Value>, config: &Value) -> PlanResponse {
    let mut config = config.clone();
    let columns = effective_columns(&config);
    set(&mut config, "columns", columns);
    let mut resp = default_plan(schema(), prior, &config);
    // No blocks is no blocks: an imported state (and one written before the `column` block
    // existed) has none at all where the configuration has an empty list; keep the prior's
    // spelling of "none" so that neither reads as a change.
    let none = |v: &Value| v.is_null() || v.as_list().is_some_and(|l| l.is_empty());
    if none(resp.planned.get("column"))
        && let Some(Value::Map(prior)) = prior
        && none(prior.get("column").unwrap_or(&Value::Null))
        && let Value::Map(planned) = &mut resp.planned
    {
        match prior.get("column") {
            Some(v) => planned.insert("column".to_string(), v.clone()),
            None => planned.remove("column"),
        };
    }
    if let (Some(db), Some(name)) = (config.get("database").as_str(), config.get("name").as_str()) {
        set(&mut resp.planned, "id", Value::String(format!("{db}#{name}")));
    }
    resp
}

/// The table's columns whichever way they are written: `columns`, else the `column` blocks as a
/// list of `{ name, type }` (unknown while a `dynamic` block's `for_each` is).
fn effective_columns(config: &Value) -> Value {
    let columns = config.get("columns");
    if !columns.is_null() {
        return columns.clone();
    }
    match config.get("column") {
        Value::Unknown => Value::Unknown,
        blocks => match blocks.as_list() {
            Some(items) if !items.is_empty() => Value::List(
                items
                    .iter()
                    .map(|b| Value::object([("name", b.get("name").clone()), ("type", b.get("type").clone())]))
                    .collect(),
            ),
            _ => Value::Null,
        },
    }
}

fn parse_columns(state: &Value) -> Result<Vec<Column>, ProviderError> {
    let bad = |msg: String| ProviderError::with_code("EINVAL", msg).at(AttrPath::attr("columns"));
    let items = state
        .get("columns")
        .as_list()
        .ok_or_else(|| bad("columns must be a list of objects { name, type }".to_string()))?;
    items
        .iter()
        .enumerate()
        .map(|(i, item)| {
            let field = |f: &str| match item.get(f).as_str() {
                Some(s) => Ok(s.to_string()),
                None => Err(
                    ProviderError::with_code("EINVAL", format!("columns[{i}].{f} must be a known string"))
                        .at(item_path("columns", i, f)),
                ),
            };
            Ok(Column {
                name: field("name")?,
                ty: field("type")?,
            })
        })
        .collect()
}

/// `"name"` with quotes doubled: identifiers are validated, but SQL is built defensively anyway.
fn quote(ident: &str) -> String {
    format!("\"{}\"", ident.replace('"', "\"\""))
}

fn create_sql(name: &str, columns: &[Column], primary_key: Option<&str>) -> String {
    let mut parts: Vec<String> = columns.iter().map(|c| format!("{} {}", quote(&c.name), c.ty)).collect();
    if let Some(pk) = primary_key {
        parts.push(format!("PRIMARY KEY ({})", quote(pk)));
    }
    format!("CREATE TABLE {} ({})", quote(name), parts.join(", "))
}

fn open_existing(db: &Path, read_only: bool) -> Result<Connection, ProviderError> {
    let access = if read_only {
        OpenFlags::SQLITE_OPEN_READ_ONLY
    } else {
        OpenFlags::SQLITE_OPEN_READ_WRITE
    };
    let conn = Connection::open_with_flags(db, access | OpenFlags::SQLITE_OPEN_NO_MUTEX)
        .map_err(|e| sqlite_error("opening", db, &e))?;
    conn.busy_timeout(BUSY_TIMEOUT)
        .map_err(|e| sqlite_error("configuring", db, &e))?;
    Ok(conn)
}

/// Whether the database file exists (without creating it, as opening it would).
fn database_exists(db: &Path) -> Result<bool, ProviderError> {
    match std::fs::metadata(db) {
        Ok(_) => Ok(true),
        Err(e) if is_gone(&e) => Ok(false),
        Err(e) => Err(io_error("reading the metadata of", db, &e)),
    }
}

pub(crate) fn apply(
    working_dir: &Path,
    prior: Option<Value>,
    planned: Option<Value>,
) -> Result<Option<Value>, ProviderError> {
    let Some(mut state) = planned else {
        if let Some(prior) = prior {
            let db = resolve(working_dir, &known_string(&prior, "database")?);
            let name = known_string(&prior, "name")?;
            if database_exists(&db)? {
                let conn = open_existing(&db, false)?;
                conn.execute_batch(&format!("DROP TABLE IF EXISTS {}", quote(&name)))
                    .map_err(|e| sqlite_error(&format!("dropping table {name:?} in"), &db, &e))?;
                tracing::debug!(db = %db.display(), table = %name, "dropped table");
            }
        }
        return Ok(None);
    };
    let db_text = known_string(&state, "database")?;
    let name = known_string(&state, "name")?;
    if prior.is_none() {
        if !is_table_name(&name) {
            return Err(
                ProviderError::with_code("EINVAL", format!("{name:?} is not a valid table name"))
                    .at(AttrPath::attr("name")),
            );
        }
        let columns = parse_columns(&state)?;
        let primary_key = optional_string(&state, "primary_key")?;
        let db = resolve(working_dir, &db_text);
        create_parent_dirs(&db)?;
        let conn = Connection::open_with_flags(
            &db,
            OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_CREATE | OpenFlags::SQLITE_OPEN_NO_MUTEX,
        )
        .map_err(|e| sqlite_error("opening", &db, &e))?;
        conn.busy_timeout(BUSY_TIMEOUT)
            .map_err(|e| sqlite_error("configuring", &db, &e))?;
        conn.execute_batch(&create_sql(&name, &columns, primary_key.as_deref()))
            .map_err(|e| sqlite_error(&format!("creating table {name:?} in"), &db, &e))?;
        tracing::debug!(db = %db.display(), table = %name, "created table");
    }
    // An update can only be a no-op: every attribute but `id` is force-new.
    set(&mut state, "id", Value::String(format!("{db_text}#{name}")));
    Ok(Some(state))
}

/// The live shape of a table, or `None` when there is no such table.
fn read_table(conn: &Connection, db: &Path, name: &str) -> Result<Option<(Vec<Column>, Value)>, ProviderError> {
    let read_err = |e: rusqlite::Error| sqlite_error(&format!("reading table {name:?} in"), db, &e);
    let exists: i64 = conn
        .query_row(
            "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = ?1 COLLATE NOCASE",
            [name],
            |row| row.get(0),
        )
        .map_err(read_err)?;
    if exists == 0 {
        return Ok(None);
    }
    let mut stmt = conn
        .prepare("SELECT name, type, pk FROM pragma_table_info(?1) ORDER BY cid")
        .map_err(read_err)?;
    let rows = stmt
        .query_map([name], |row| {
            Ok((
                row.get::<_, String>(0)?,
                row.get::<_, String>(1)?,
                row.get::<_, i64>(2)?,
            ))
        })
        .map_err(read_err)?;
    let mut columns = Vec::new();
    let mut pk = Vec::new();
    for row in rows {
        let (col, ty, pk_pos) = row.map_err(read_err)?;
        if pk_pos > 0 {
            pk.push((pk_pos, col.clone()));
        }
        columns.push(Column { name: col, ty });
    }
    pk.sort();
    // A composite key (made by hand) shows as "a,b", which no configuration matches: drift.
    let primary_key = match pk.len() {
        0 => Value::Null,
        _ => Value::String(pk.into_iter().map(|(_, c)| c).collect::<Vec<_>>().join(",")),
    };
    Ok(Some((columns, primary_key)))
}

fn live_state(mut state: Value, columns: Vec<Column>, primary_key: Value) -> Value {
    set(
        &mut state,
        "columns",
        Value::List(columns.iter().map(Column::to_value).collect()),
    );
    set(&mut state, "primary_key", primary_key);
    state
}

pub(crate) async fn read(
    working_dir: Arc<Path>,
    instances: Vec<ReadInstance>,
) -> Result<Vec<Option<Value>>, ProviderError> {
    blocking(move || {
        // One connection per database file, however many of its tables are asked for.
        let mut by_db: BTreeMap<PathBuf, Vec<usize>> = BTreeMap::new();
        let mut names = Vec::with_capacity(instances.len());
        for (i, inst) in instances.iter().enumerate() {
            by_db
                .entry(resolve(&working_dir, &known_string(&inst.state, "database")?))
                .or_default()
                .push(i);
            names.push(known_string(&inst.state, "name")?);
        }
        let mut live: Vec<Option<(Vec<Column>, Value)>> = vec![None; instances.len()];
        for (db, indexes) in by_db {
            if !database_exists(&db)? {
                continue;
            }
            let conn = open_existing(&db, true)?;
            for i in indexes {
                live[i] = read_table(&conn, &db, &names[i])?;
            }
        }
        Ok(instances
            .into_iter()
            .zip(live)
            .map(|(inst, live)| live.map(|(columns, pk)| live_state(inst.state, columns, pk)))
            .collect())
    })
    .await
}

pub(crate) async fn import(working_dir: Arc<Path>, id: &str) -> Result<Value, ProviderError> {
    let Some((db_text, name)) = id.rsplit_once('#') else {
        return Err(ProviderError::with_code(
            "EINVAL",
            format!("import id {id:?} is not of the form DATABASE#TABLE (for example \"features.db#users\")"),
        ));
    };
    let (db_text, name) = (db_text.to_string(), name.to_string());
    blocking(move || {
        let db = resolve(&working_dir, &db_text);
        if !database_exists(&db)? {
            return Err(ProviderError::with_code(
                "ENOENT",
                format!("importing {}: no such database file", db.display()),
            ));
        }
        let conn = open_existing(&db, true)?;
        let (columns, pk) = read_table(&conn, &db, &name)?.ok_or_else(|| {
            ProviderError::with_code(
                "SQLITE_ERROR",
                format!("importing {}: no such table: {name}", db.display()),
            )
        })?;
        let state = Value::object([
            ("database", Value::String(db_text.clone())),
            ("name", Value::String(name.clone())),
            ("id", Value::String(format!("{db_text}#{name}"))),
        ]);
        Ok(live_state(state, columns, pk))
    })
    .await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn create_statement() {
        let cols = vec![
            Column {
                name: "user_id".into(),
                ty: "INTEGER".into(),
            },
            Column {
                name: "score".into(),
                ty: "REAL".into(),
            },
        ];
        assert_eq!(
            create_sql("users", &cols, Some("user_id")),
            "CREATE TABLE \"users\" (\"user_id\" INTEGER, \"score\" REAL, PRIMARY KEY (\"user_id\"))"
        );
    }

    #[test]
    fn table_names() {
        assert!(is_table_name("user_features"));
        assert!(!is_table_name("sqlite_master"));
        assert!(!is_table_name("drop table x"));
    }
}
