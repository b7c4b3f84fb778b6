//! aws_glue_catalog_database and aws_glue_catalog_table against moto: create, an independent
//! read with boto3, an out-of-band change made with boto3 seen as drift and repaired, import,
//! destroy, and the batched refresh (one listing per catalog or database).

mod common;

use common::boto::boto3;
use common::*;
use plinth_sdk::{Provider, Value};
use serde_json::Value as J;

const DB: &str = "aws_glue_catalog_database";
const TABLE: &str = "aws_glue_catalog_table";
const ACCOUNT: &str = "123456789012";

fn json(script: &str) -> J {
    let out = boto3(script);
    serde_json::from_str(&out).unwrap_or_else(|e| panic!("{e}: {out}"))
}

fn map(pairs: &[(&str, &str)]) -> Value {
    Value::object(pairs.iter().map(|(k, v)| (k.to_string(), s(v))))
}

/// A database as boto3 sees it, or null when it does not exist.
fn live_db(name: &str) -> J {
    json(&format!(
        "glue = client('glue')\n\
         try:\n    d = glue.get_database(Name='{name}')['Database']\n\
         except glue.exceptions.EntityNotFoundException:\n    d = None\n\
         t = glue.get_tags(ResourceArn='arn:aws:glue:us-east-1:{ACCOUNT}:database/{name}')['Tags'] if d else {{}}\n\
         print(json.dumps(d and {{'description': d.get('Description'), 'location': d.get('LocationUri'), \
         'parameters': d.get('Parameters'), 'tags': t}}))"
    ))
}

#[tokio::test]
async fn database_lifecycle_drift_import_destroy() {
    let p = provider().await;
    let name = "plinth_features";
    let cfg = config(
        &p,
        DB,
        &[
            ("name", s(name)),
            ("description", s("feature tables")),
            ("location_uri", s("s3://plinth-lake/features/")),
            ("parameters", map(&[("owner", "ml")])),
            ("tags", map(&[("team", "ml")])),
        ],
    );
    let state = create(&p, DB, cfg.clone()).await;
    assert_eq!(state.get("id"), &s(&format!("{ACCOUNT}:{name}")));
    assert_eq!(state.get("catalog_id"), &s(ACCOUNT));
    assert_eq!(
        state.get("arn"),
        &s(&format!("arn:aws:glue:us-east-1:{ACCOUNT}:database/{name}"))
    );
    let l = live_db(name);
    assert_eq!(l["description"], "feature tables");
    assert_eq!(l["location"], "s3://plinth-lake/features/");
    assert_eq!(l["parameters"], serde_json::json!({"owner": "ml"}));
    assert_eq!(l["tags"], serde_json::json!({"team": "ml"}));
    assert_eq!(read(&p, DB, &state).await.as_ref(), Some(&state));
    assert_eq!(
        plan_changes(&plan(&p, DB, &state, &cfg).await, &state),
        Vec::<String>::new()
    );

    // Out of band: another description, a parameter and a tag added.
    boto3(&format!(
        "glue = client('glue')\n\
         glue.update_database(Name='{name}', DatabaseInput={{'Name': '{name}', 'Description': 'by hand', \
         'LocationUri': 's3://plinth-lake/features/', 'Parameters': {{'owner': 'ml', 'extra': '1'}}}})\n\
         glue.tag_resource(ResourceArn='arn:aws:glue:us-east-1:{ACCOUNT}:database/{name}', TagsToAdd={{'owner': 'x'}})"
    ));
    let drifted = read(&p, DB, &state).await.expect("exists");
    let pl = plan(&p, DB, &drifted, &cfg).await;
    assert_eq!(
        plan_changes(&pl, &drifted),
        vec!["description", "parameters", "tags", "tags_all"]
    );
    assert!(pl.requires_replace.is_empty());
    let repaired = apply_update(&p, DB, &drifted, pl.planned, &cfg).await;
    assert_eq!(repaired, state);
    let l = live_db(name);
    assert_eq!(l["description"], "feature tables");
    assert_eq!(l["parameters"], serde_json::json!({"owner": "ml"}));
    assert_eq!(l["tags"], serde_json::json!({"team": "ml"}));

    // Import by CATALOG_ID:NAME; a bad id names the shape.
    let imported = import(&p, DB, &format!("{ACCOUNT}:{name}")).await;
    assert_eq!(imported, state);
    let bad = p
        .import(plinth_sdk::ImportRequest {
            type_name: DB.into(),
            address: format!("{DB}.bad"),
            id: name.into(),
        })
        .await
        .expect_err("a bad id");
    assert!(bad.message.contains("CATALOG_ID:NAME"), "{}", bad.message);

    delete(&p, DB, &state).await;
    assert_eq!(live_db(name), J::Null);
    assert_eq!(read(&p, DB, &state).await, None);
}

#[tokio::test]
async fn databases_refresh_from_one_listing() {
    let p = provider().await;
    let mut states = Vec::new();
    for i in 0..3 {
        states.push(create(&p, DB, config(&p, DB, &[("name", s(&format!("plinth_batch_{i}")))])).await);
    }
    // A minimal database reads back as configured: no description, parameters or tags.
    assert_eq!(states[0].get("description"), &Value::Null);
    assert_eq!(states[0].get("parameters"), &Value::Null);
    assert_eq!(states[0].get("tags"), &Value::Null);
    let before = p.call_count();
    let out = p.read(read_request(DB, "d", &states)).await.expect("read");
    assert_eq!(out.states, states.iter().cloned().map(Some).collect::<Vec<_>>());
    assert_eq!(p.call_count() - before, 1 + 3, "one listing, tags per database");
    for st in &states {
        delete(&p, DB, st).await;
    }
}

fn column(name: &str, ty: &str) -> Value {
    Value::object([
        ("name", s(name)),
        ("type", s(ty)),
        ("comment", Value::Null),
        ("parameters", Value::Null),
    ])
}

fn storage(location: &str) -> Value {
    Value::List(vec![Value::object([
        ("location", s(location)),
        ("additional_locations", Value::Null),
        (
            "input_format",
            s("org.apache.hadoop.hive.ql.io.parquet.MapredParquetInputFormat"),
        ),
        (
            "output_format",
            s("org.apache.hadoop.hive.ql.io.parquet.MapredParquetOutputFormat"),
        ),
        ("compressed", Value::Null),
        ("number_of_buckets", Value::Null),
        ("bucket_columns", Value::Null),
        ("parameters", Value::Null),
        ("stored_as_sub_directories", Value::Null),
        (
            "columns",
            Value::List(vec![column("user_id", "string"), column("score", "double")]),
        ),
        (
            "ser_de_info",
            Value::List(vec![Value::object([
                ("name", s("parquet")),
                (
                    "serialization_library",
                    s("org.apache.hadoop.hive.ql.io.parquet.serde.ParquetHiveSerDe"),
                ),
                ("parameters", map(&[("serialization.format", "1")])),
            ])]),
        ),
        (
            "sort_columns",
            Value::List(vec![Value::object([
                ("column", s("user_id")),
                ("sort_order", Value::int(1)),
            ])]),
        ),
        ("skewed_info", Value::List(vec![])),
    ])])
}

/// A table as boto3 sees it, or null when it does not exist.
fn live_table(db: &str, name: &str) -> J {
    json(&format!(
        "glue = client('glue')\n\
         try:\n    t = glue.get_table(DatabaseName='{db}', Name='{name}')['Table']\n\
         except glue.exceptions.EntityNotFoundException:\n    t = None\n\
         print(json.dumps(t and {{'type': t.get('TableType'), 'parameters': t.get('Parameters'), \
         'location': t['StorageDescriptor'].get('Location'), \
         'columns': [[c['Name'], c.get('Type')] for c in t['StorageDescriptor'].get('Columns', [])], \
         'serde': t['StorageDescriptor'].get('SerdeInfo', {{}}).get('SerializationLibrary'), \
         'partitions': [c['Name'] for c in t.get('PartitionKeys', [])]}}))"
    ))
}

#[tokio::test]
async fn table_lifecycle_drift_import_destroy() {
    let p = provider().await;
    let db = "plinth_tables";
    let db_state = create(&p, DB, config(&p, DB, &[("name", s(db))])).await;
    let name = "scores";
    let cfg = config(
        &p,
        TABLE,
        &[
            ("name", s(name)),
            ("database_name", s(db)),
            ("table_type", s("EXTERNAL_TABLE")),
            ("parameters", map(&[("classification", "parquet")])),
            ("storage_descriptor", storage("s3://plinth-lake/scores/")),
            ("partition_keys", Value::List(vec![column("dt", "string")])),
        ],
    );
    let state = create(&p, TABLE, cfg.clone()).await;
    assert_eq!(state.get("id"), &s(&format!("{ACCOUNT}:{db}:{name}")));
    assert_eq!(
        state.get("arn"),
        &s(&format!("arn:aws:glue:us-east-1:{ACCOUNT}:table/{db}/{name}"))
    );
    assert_eq!(state.get("storage_descriptor"), &storage("s3://plinth-lake/scores/"));
    let l = live_table(db, name);
    assert_eq!(l["type"], "EXTERNAL_TABLE");
    assert_eq!(l["parameters"], serde_json::json!({"classification": "parquet"}));
    assert_eq!(l["location"], "s3://plinth-lake/scores/");
    assert_eq!(
        l["columns"],
        serde_json::json!([["user_id", "string"], ["score", "double"]])
    );
    assert_eq!(
        l["serde"],
        "org.apache.hadoop.hive.ql.io.parquet.serde.ParquetHiveSerDe"
    );
    assert_eq!(l["partitions"], serde_json::json!(["dt"]));
    assert_eq!(read(&p, TABLE, &state).await.as_ref(), Some(&state));
    assert_eq!(
        plan_changes(&plan(&p, TABLE, &state, &cfg).await, &state),
        Vec::<String>::new()
    );

    // Out of band: the table redefined with another location and a column fewer.
    boto3(&format!(
        "glue = client('glue')\n\
         t = glue.get_table(DatabaseName='{db}', Name='{name}')['Table']\n\
         sd = t['StorageDescriptor']\n\
         sd['Location'] = 's3://elsewhere/'\n\
         sd['Columns'] = sd['Columns'][:1]\n\
         glue.update_table(DatabaseName='{db}', TableInput={{'Name': '{name}', 'TableType': t['TableType'], \
         'Parameters': t['Parameters'], 'StorageDescriptor': sd, 'PartitionKeys': t['PartitionKeys']}})"
    ));
    let drifted = read(&p, TABLE, &state).await.expect("exists");
    let pl = plan(&p, TABLE, &drifted, &cfg).await;
    assert_eq!(plan_changes(&pl, &drifted), vec!["storage_descriptor"]);
    assert!(pl.requires_replace.is_empty());
    let repaired = apply_update(&p, TABLE, &drifted, pl.planned, &cfg).await;
    assert_eq!(repaired, state);
    let l = live_table(db, name);
    assert_eq!(l["location"], "s3://plinth-lake/scores/");
    assert_eq!(
        l["columns"],
        serde_json::json!([["user_id", "string"], ["score", "double"]])
    );

    // Import by CATALOG_ID:DATABASE_NAME:NAME.
    let imported = import(&p, TABLE, &format!("{ACCOUNT}:{db}:{name}")).await;
    assert_eq!(imported, state);

    delete(&p, TABLE, &state).await;
    assert_eq!(live_table(db, name), J::Null);
    assert_eq!(read(&p, TABLE, &state).await, None);
    delete(&p, DB, &db_state).await;
}

#[tokio::test]
async fn tables_refresh_from_one_listing_per_database() {
    let p = provider().await;
    let db = "plinth_many_tables";
    let db_state = create(&p, DB, config(&p, DB, &[("name", s(db))])).await;
    let mut states = Vec::new();
    for i in 0..3 {
        let cfg = config(&p, TABLE, &[("name", s(&format!("t{i}"))), ("database_name", s(db))]);
        states.push(create(&p, TABLE, cfg).await);
    }
    // A table with nothing but a name reads back as configured.
    let bare = config(&p, TABLE, &[("name", s("t0")), ("database_name", s(db))]);
    assert_eq!(
        plan_changes(&plan(&p, TABLE, &states[0], &bare).await, &states[0]),
        Vec::<String>::new()
    );
    let before = p.call_count();
    let out = p.read(read_request(TABLE, "t", &states)).await.expect("read");
    assert_eq!(out.states, states.iter().cloned().map(Some).collect::<Vec<_>>());
    assert_eq!(p.call_count() - before, 1, "one GetTables for the database");
    delete(&p, DB, &db_state).await;
    let out = p.read(read_request(TABLE, "t", &states)).await.expect("read");
    assert!(out.states.iter().all(Option::is_none), "gone with their database");
}

#[test]
fn unmanaged_arguments_are_named() {
    let rt = tokio::runtime::Runtime::new().expect("runtime");
    let p = rt.block_on(provider());
    let schema = p.schema();
    let table = &schema.resources[TABLE];
    for b in ["open_table_format_input", "partition_index", "target_table"] {
        assert!(table.unsupported_message(b, TABLE).is_some(), "{b}");
    }
    let sd = &table.blocks["storage_descriptor"].schema;
    assert!(
        sd.unsupported_message("schema_reference", "storage_descriptor")
            .is_some()
    );
    let db = &schema.resources[DB];
    for b in [
        "create_table_default_permission",
        "federated_database",
        "target_database",
    ] {
        assert!(db.unsupported_message(b, DB).is_some(), "{b}");
    }
}
