//! The language features of issue 12 together, end to end through the `plinth` binary with the
//! local provider: a feature table whose columns come from `dynamic "column"` over a variable, an
//! `import` block adopting a table the test made with SQLite beforehand, and a `check` block;
//! applied, then refactored into a module with `moved` blocks (re-planned: moves only, no destroy),
//! and checked (`plinth drift` fails on the failed check, `plinth plan` warns). The test reads
//! the database with its own SQLite connection (rusqlite), never through Plinth.

mod support;

use std::path::Path;

use rusqlite::Connection;
use support::cli::{Dir, expect_code, json, ok, stderr, stdout};

const VARIABLES: &str = r#"
variable "event_columns" {
  type = list(object({ name = string, type = string }))
  default = [
    { name = "event_id", type = "INTEGER" },
    { name = "user_id", type = "TEXT" },
    { name = "seen_at", type = "TIMESTAMP" },
  ]
}
"#;

/// The two tables, as written at the root and, later, inside `./modules/store`.
const TABLES: &str = r#"
resource "local_feature_table" "events" {
  database    = "features.db"
  name        = "events"
  primary_key = "event_id"

  dynamic "column" {
    for_each = var.event_columns
    content {
      name = column.value.name
      type = column.value.type
    }
  }
}

resource "local_feature_table" "legacy" {
  database    = "features.db"
  name        = "legacy"
  primary_key = "id"
  columns = [
    { name = "id", type = "INTEGER" },
    { name = "payload", type = "TEXT" },
  ]
}
"#;

/// The invariant the platform states: the feature pipeline has loaded the tables (it writes
/// `loaded` in manifest.txt), and the events table is keyed by `event_id`.
fn check(primary_key: &str) -> String {
    format!(
        r#"
check "features_loaded" {{
  data "local_file" "manifest" {{
    filename = "manifest.txt"
  }}

  assert {{
    condition     = data.local_file.manifest.content == "loaded\n"
    error_message = "the feature pipeline has not loaded the tables"
  }}

  assert {{
    condition     = {primary_key} == "event_id"
    error_message = "the events table lost its primary key"
  }}
}}
"#
    )
}

fn before() -> String {
    format!(
        "{VARIABLES}{TABLES}
import {{
  to = local_feature_table.legacy
  id = \"features.db#legacy\"
}}
{}",
        check("local_feature_table.events.primary_key")
    )
}

fn after() -> String {
    format!(
        r#"{VARIABLES}
module "store" {{
  source        = "./modules/store"
  event_columns = var.event_columns
}}

moved {{
  from = local_feature_table.events
  to   = module.store.local_feature_table.events
}}

moved {{
  from = local_feature_table.legacy
  to   = module.store.local_feature_table.legacy
}}
{}"#,
        check("module.store.events_primary_key")
    )
}

fn module() -> String {
    format!(
        "{VARIABLES}{TABLES}
output \"events_primary_key\" {{
  value = local_feature_table.events.primary_key
}}
"
    )
}

fn db(d: &Dir) -> Connection {
    Connection::open(d.join("features.db")).expect("open features.db")
}

/// (name, type, pk) of each column of `table`, from SQLite itself.
fn columns(path: &Path, table: &str) -> Vec<(String, String, i64)> {
    let conn = Connection::open(path).expect("open");
    let mut stmt = conn
        .prepare("SELECT name, type, pk FROM pragma_table_info(?1) ORDER BY cid")
        .expect("prepare");
    stmt.query_map([table], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
        .expect("query")
        .collect::<Result<_, _>>()
        .expect("rows")
}

fn rows(d: &Dir, sql: &str) -> Vec<String> {
    let conn = db(d);
    let mut stmt = conn.prepare(sql).expect("prepare");
    stmt.query_map([], |r| r.get::<_, String>(0))
        .expect("query")
        .collect::<Result<_, _>>()
        .expect("rows")
}

fn state_list(d: &Dir) -> Vec<String> {
    stdout(&ok(d.run(&["state", "list"])))
        .lines()
        .map(str::to_string)
        .collect()
}

#[test]
fn dynamic_import_check_then_moved_into_a_module_without_a_destroy() {
    let d = Dir::with(&before());
    d.write("manifest.txt", "loaded\n");
    // A table made outside Plinth, with rows, for the import block to adopt.
    db(&d)
        .execute_batch(
            "CREATE TABLE legacy (id INTEGER, payload TEXT, PRIMARY KEY (id));
             INSERT INTO legacy VALUES (1, 'kept'), (2, 'also kept');",
        )
        .expect("create legacy");
    ok(d.run(&["init"]));

    // 1. Plan and apply: one import, one create; the check passes.
    let o = ok(d.run(&["plan", "--out", "first.plan"]));
    let out = stdout(&o);
    assert!(out.contains("# local_feature_table.legacy will be imported"), "{out}");
    assert!(out.contains("# local_feature_table.events will be created"), "{out}");
    assert!(
        out.contains("Plan: 1 to import, 1 to add, 0 to change, 0 to destroy."),
        "{out}"
    );
    let plan = json(&ok(d.run(&["show", "--json", "first.plan"])));
    let legacy = plan["resource_changes"]
        .as_array()
        .expect("resource_changes")
        .iter()
        .find(|c| c["address"] == "local_feature_table.legacy")
        .expect("legacy planned");
    assert_eq!(
        legacy["change"]["importing"],
        serde_json::json!({ "id": "features.db#legacy" })
    );
    assert_eq!(plan["checks"][0]["status"], "pass", "{}", plan["checks"]);

    let o = ok(d.run(&["apply", "first.plan"]));
    assert!(
        stdout(&o).contains("Apply complete! Resources: 1 imported, 1 added, 0 changed, 0 destroyed."),
        "{}",
        stdout(&o)
    );
    assert!(!stderr(&o).contains("Check block assertion failed"), "{}", stderr(&o));
    assert_eq!(
        state_list(&d),
        ["local_feature_table.events", "local_feature_table.legacy"]
    );
    // The columns the dynamic block generated, in the variable's order, checked in SQLite.
    assert_eq!(
        columns(&d.join("features.db"), "events"),
        [
            ("event_id".to_string(), "INTEGER".to_string(), 1),
            ("user_id".to_string(), "TEXT".to_string(), 0),
            ("seen_at".to_string(), "TIMESTAMP".to_string(), 0),
        ]
    );
    // Rows written into the new table: their survival proves the refactor did not recreate it.
    db(&d)
        .execute("INSERT INTO events (event_id, user_id) VALUES (7, 'u-7')", [])
        .expect("insert");
    ok(d.run(&["plan", "--detailed-exitcode"]));

    // 2. Refactor: the tables move into ./modules/store, with moved blocks.
    d.write("main.hcl", &after());
    d.write("modules/store/main.hcl", &module());
    let o = d.run(&["plan", "--detailed-exitcode", "--out", "moves.plan"]);
    expect_code(&o, 2);
    let out = stdout(&o);
    assert!(
        !out.contains("will be destroyed") && !out.contains("will be created"),
        "{out}"
    );
    assert!(!out.contains("must be replaced"), "{out}");
    // The saved plan's path (a temporary directory) follows the summary: not in the snapshot.
    let shown = out.split("\nSaved the plan").next().unwrap_or(&out);
    expect_test::expect![[r#"
        Plinth will perform the following actions:

          # local_feature_table.events has moved to module.store.local_feature_table.events
            resource "local_feature_table" "events" {
                id   = "features.db#events"
                name = "events"
                # (4 unchanged attributes hidden)
            }

          # local_feature_table.legacy has moved to module.store.local_feature_table.legacy
            resource "local_feature_table" "legacy" {
                id   = "features.db#legacy"
                name = "legacy"
                # (3 unchanged attributes hidden)
            }

        Plan: 0 to add, 0 to change, 0 to destroy.
    "#]]
    .assert_eq(shown);
    let plan = json(&ok(d.run(&["show", "--json", "moves.plan"])));
    let changes = plan["resource_changes"].as_array().expect("resource_changes");
    let summary: Vec<(String, String, String)> = changes
        .iter()
        .map(|c| {
            (
                c["previous_address"].as_str().unwrap_or("-").to_string(),
                c["address"].as_str().unwrap_or("-").to_string(),
                c["change"]["actions"].to_string(),
            )
        })
        .collect();
    assert_eq!(
        summary,
        [
            (
                "local_feature_table.events".to_string(),
                "module.store.local_feature_table.events".to_string(),
                r#"["no-op"]"#.to_string()
            ),
            (
                "local_feature_table.legacy".to_string(),
                "module.store.local_feature_table.legacy".to_string(),
                r#"["no-op"]"#.to_string()
            ),
        ]
    );
    assert!(
        changes
            .iter()
            .all(|c| !c["change"]["actions"].to_string().contains("delete")),
        "{changes:?}"
    );
    assert_eq!(plan["checks"][0]["status"], "pass", "{}", plan["checks"]);

    ok(d.run(&["apply", "moves.plan"]));
    assert_eq!(
        state_list(&d),
        [
            "module.store.local_feature_table.events",
            "module.store.local_feature_table.legacy"
        ]
    );
    assert_eq!(rows(&d, "SELECT user_id FROM events"), ["u-7"]);
    assert_eq!(
        rows(&d, "SELECT payload FROM legacy ORDER BY id"),
        ["kept", "also kept"]
    );
    let o = ok(d.run(&["drift"]));
    assert!(stdout(&o).contains("No drift"), "{}", stdout(&o));

    // 3. Out of band, the pipeline's manifest says the load failed: the check fails.
    d.write("manifest.txt", "failed\n");
    let o = d.run(&["drift"]);
    expect_code(&o, 2);
    let out = stdout(&o);
    assert!(out.contains("Checks failed"), "{out}");
    assert!(
        out.contains("# check.features_loaded failed\n    the feature pipeline has not loaded the tables"),
        "{out}"
    );
    assert!(!out.contains("lost its primary key"), "{out}");
    assert!(!out.contains("local_feature_table"), "the tables did not drift: {out}");

    let o = ok(d.run(&["plan"]));
    let err = stderr(&o);
    assert!(err.contains("Check block assertion failed"), "{err}");
    assert!(
        err.contains("check \"features_loaded\": the feature pipeline has not loaded the tables"),
        "{err}"
    );
    assert!(stdout(&o).contains("No changes."), "{}", stdout(&o));
    // Still the same tables and rows.
    assert_eq!(rows(&d, "SELECT user_id FROM events"), ["u-7"]);
    assert_eq!(
        rows(&d, "SELECT payload FROM legacy ORDER BY id"),
        ["kept", "also kept"]
    );
}

#[test]
fn importing_a_table_configured_with_dynamic_column_blocks_replaces_nothing() {
    let d = Dir::with(&format!(
        "{VARIABLES}{}
import {{
  to = local_feature_table.events
  id = \"features.db#events\"
}}
",
        TABLES
            .split("resource \"local_feature_table\" \"legacy\"")
            .next()
            .unwrap_or(TABLES)
    ));
    db(&d)
        .execute_batch(
            "CREATE TABLE events (event_id INTEGER, user_id TEXT, seen_at TIMESTAMP, PRIMARY KEY (event_id));
             INSERT INTO events (event_id, user_id) VALUES (1, 'u-1');",
        )
        .expect("create events");
    // The import adopts the table; the state then records the blocks in place (no replacement).
    let o = ok(d.run(&["plan"]));
    let out = stdout(&o);
    assert!(
        out.contains("# local_feature_table.events will be updated in place"),
        "{out}"
    );
    assert!(out.contains("# (imported from \"features.db#events\")"), "{out}");
    assert!(
        out.contains("Plan: 1 to import, 0 to add, 1 to change, 0 to destroy."),
        "{out}"
    );
    ok(d.run(&["apply", "--auto-approve"]));
    assert_eq!(rows(&d, "SELECT user_id FROM events"), ["u-1"]);
    let o = ok(d.run(&["plan", "--detailed-exitcode"]));
    assert!(stdout(&o).contains("No changes."), "{}", stdout(&o));
}
