//! `aws_glue_catalog_table`: a table of the Glue Data Catalog: its columns and partition keys,
//! where and how its data is stored (`storage_descriptor`: location, formats, SerDe, buckets,
//! sort and skew), and its parameters. Iceberg tables (`open_table_format_input`), partition
//! indexes, resource links (`target_table`) and schema-registry references are not managed yet.
//!
//! Refresh: per database, the tables from [`find_named`] (GetTable for one, the database's
//! GetTables listing, 100 a page, for more). Tables have no tags in Terraform's schema. Update
//! sends the whole table again (UpdateTable replaces the definition).

use std::collections::{BTreeMap, HashMap};
use std::sync::LazyLock;

use async_trait::async_trait;
use aws_sdk_glue::types::{Column, Order, SerDeInfo, SkewedInfo, StorageDescriptor, Table, TableInput};
use futures::FutureExt as _;
use plinth_sdk::{Attribute, ErrorKind, PlanRequest, PlanResponse, ProviderError, Schema, Type, Value};

use super::{all_tags, arn, glue_map, like_prior, map_value, split_id};
use crate::error::aws_error;
use crate::idempotent::{Creating, already_exists};
use crate::util::{
    block, call_found, delete_call, find_named, items, list, list_of_strings, number, opt_bool, opt_i64, opt_str,
    opt_string, plan_blocks, req_str, str_list, string,
};
use crate::{AwsResource, Ctx};

pub struct CatalogTable;

const NOT_MANAGED: &str = "Plinth does not manage this part of a Glue table yet: leave it out, or manage the \
                           table outside Plinth";

fn strings() -> Type {
    Type::List(Box::new(Type::String))
}

fn string_map() -> Type {
    Type::Map(Box::new(Type::String))
}

/// A column or partition key.
fn column_schema(what: &str) -> Schema {
    Schema::new(what)
        .attr("name", Attribute::required(Type::String).describe("The column name."))
        .attr(
            "type",
            Attribute::optional(Type::String).describe("The column's data type (Hive type, such as string or int)."),
        )
        .attr(
            "comment",
            Attribute::optional(Type::String).describe("A free-form comment."),
        )
        .attr(
            "parameters",
            Attribute::optional(string_map()).describe("Key-value parameters of the column."),
        )
}

fn storage_schema() -> Schema {
    Schema::new("Where and how the table's data is stored.")
        .attr(
            "location",
            Attribute::optional(Type::String).describe("Where the data is (an s3:// prefix)."),
        )
        .attr(
            "additional_locations",
            Attribute::optional(strings()).describe("More locations of the data."),
        )
        .attr(
            "input_format",
            Attribute::optional(Type::String).describe("The input format class (such as Parquet's)."),
        )
        .attr(
            "output_format",
            Attribute::optional(Type::String).describe("The output format class."),
        )
        .attr(
            "compressed",
            Attribute::optional(Type::Bool).describe("Whether the data is compressed."),
        )
        .attr(
            "number_of_buckets",
            Attribute::optional(Type::Number).describe("The number of buckets (with bucket_columns)."),
        )
        .attr(
            "bucket_columns",
            Attribute::optional(strings()).describe("The columns the data is bucketed by."),
        )
        .attr(
            "parameters",
            Attribute::optional(string_map()).describe("Key-value parameters of the storage."),
        )
        .attr(
            "stored_as_sub_directories",
            Attribute::optional(Type::Bool).describe("Whether the data is stored in subdirectories."),
        )
        .block("columns", list(column_schema("A column of the table."), 0, None, false))
        .block(
            "ser_de_info",
            list(
                Schema::new("The serializer/deserializer (SerDe).")
                    .attr("name", Attribute::optional(Type::String).describe("The SerDe's name."))
                    .attr(
                        "serialization_library",
                        Attribute::optional(Type::String).describe("The SerDe class (such as ParquetHiveSerDe's)."),
                    )
                    .attr(
                        "parameters",
                        Attribute::optional(string_map()).describe("Key-value parameters of the SerDe."),
                    ),
                0,
                Some(1),
                false,
            ),
        )
        .block(
            "sort_columns",
            list(
                Schema::new("A column the data is sorted by, in order.")
                    .attr("column", Attribute::required(Type::String).describe("The column name."))
                    .attr(
                        "sort_order",
                        Attribute::required(Type::Number).describe("1 ascending, 0 descending."),
                    ),
                0,
                None,
                false,
            ),
        )
        .block(
            "skewed_info",
            list(
                Schema::new("Columns with skewed values.")
                    .attr(
                        "skewed_column_names",
                        Attribute::optional(strings()).describe("The skewed columns."),
                    )
                    .attr(
                        "skewed_column_values",
                        Attribute::optional(strings()).describe("Their frequent values."),
                    )
                    .attr(
                        "skewed_column_value_location_maps",
                        Attribute::optional(string_map()).describe("Where each skewed value's data is."),
                    ),
                0,
                Some(1),
                false,
            ),
        )
        .unsupported_block("schema_reference", NOT_MANAGED)
}

static SCHEMA: LazyLock<Schema> = LazyLock::new(|| {
    Schema::new(
        "A Glue Data Catalog table. Import with CATALOG_ID:DATABASE_NAME:NAME (the catalog id is the account id \
         for the account's own catalog).",
    )
    .attr(
        "name",
        Attribute::required(Type::String)
            .force_new()
            .describe("The table name (Glue keeps it in lowercase)."),
    )
    .attr(
        "database_name",
        Attribute::required(Type::String)
            .force_new()
            .describe("The database of the table."),
    )
    .attr(
        "catalog_id",
        Attribute::optional_computed(Type::String)
            .force_new()
            .describe("The catalog; the account's own when left out."),
    )
    .attr(
        "description",
        Attribute::optional(Type::String).describe("The table's description."),
    )
    .attr(
        "owner",
        Attribute::optional(Type::String).describe("The table's owner."),
    )
    .attr(
        "parameters",
        Attribute::optional(string_map()).describe("Key-value parameters of the table (such as classification)."),
    )
    .attr(
        "retention",
        Attribute::optional(Type::Number).describe("Retention time of the table."),
    )
    .attr(
        "table_type",
        Attribute::optional(Type::String).describe("The table type (EXTERNAL_TABLE, VIRTUAL_VIEW, ...)."),
    )
    .attr(
        "view_original_text",
        Attribute::optional(Type::String).describe("For a view: its original text."),
    )
    .attr(
        "view_expanded_text",
        Attribute::optional(Type::String).describe("For a view: its expanded text."),
    )
    .attr(
        "id",
        Attribute::computed(Type::String).describe("CATALOG_ID:DATABASE_NAME:NAME."),
    )
    .attr("arn", Attribute::computed(Type::String).describe("The table ARN."))
    .block(
        "partition_keys",
        list(column_schema("A partition key of the table, in order."), 0, None, false),
    )
    .block("storage_descriptor", list(storage_schema(), 0, Some(1), false))
    .unsupported_blocks(
        &["open_table_format_input", "partition_index", "target_table"],
        NOT_MANAGED,
    )
    .identity(&["catalog_id", "database_name", "name"])
});

// ---------------------------------------------------------------------------------------------
// Values to Glue

fn column(v: &Value, what: &str) -> Result<Column, ProviderError> {
    Column::builder()
        .name(req_str(v, "name")?)
        .set_type(opt_str(v, "type"))
        .set_comment(opt_str(v, "comment"))
        .set_parameters(glue_map(v, "parameters"))
        .build()
        .map_err(|e| ProviderError::new(format!("{what}: {e}")))
}

fn columns(v: &Value, key: &str) -> Result<Option<Vec<Column>>, ProviderError> {
    let list = items(v, key);
    if list.is_empty() {
        return Ok(None);
    }
    list.iter().map(|c| column(c, key)).collect::<Result<_, _>>().map(Some)
}

fn opt_strs(v: &Value, key: &str) -> Option<Vec<String>> {
    v.get(key).as_list().map(|_| str_list(v, key))
}

fn int(v: &Value, key: &str) -> Result<Option<i32>, ProviderError> {
    opt_i64(v, key)
        .map(|n| i32::try_from(n).map_err(|_| ProviderError::new(format!("{key} {n} is out of range"))))
        .transpose()
}

fn first<'a>(v: &'a Value, key: &str) -> Option<&'a Value> {
    items(v, key).first().or_else(|| block(v, key))
}

fn storage(sd: &Value) -> Result<StorageDescriptor, ProviderError> {
    let sort = items(sd, "sort_columns")
        .iter()
        .map(|o| {
            Order::builder()
                .column(req_str(o, "column")?)
                .sort_order(int(o, "sort_order")?.unwrap_or(1))
                .build()
                .map_err(|e| ProviderError::new(format!("sort_columns: {e}")))
        })
        .collect::<Result<Vec<_>, _>>()?;
    let serde = first(sd, "ser_de_info").map(|s| {
        SerDeInfo::builder()
            .set_name(opt_str(s, "name"))
            .set_serialization_library(opt_str(s, "serialization_library"))
            .set_parameters(glue_map(s, "parameters"))
            .build()
    });
    let skew = first(sd, "skewed_info").map(|s| {
        SkewedInfo::builder()
            .set_skewed_column_names(opt_strs(s, "skewed_column_names"))
            .set_skewed_column_values(opt_strs(s, "skewed_column_values"))
            .set_skewed_column_value_location_maps(glue_map(s, "skewed_column_value_location_maps"))
            .build()
    });
    Ok(StorageDescriptor::builder()
        .set_columns(columns(sd, "columns")?)
        .set_location(opt_str(sd, "location"))
        .set_additional_locations(opt_strs(sd, "additional_locations"))
        .set_input_format(opt_str(sd, "input_format"))
        .set_output_format(opt_str(sd, "output_format"))
        .set_compressed(opt_bool(sd, "compressed"))
        .set_number_of_buckets(int(sd, "number_of_buckets")?)
        .set_serde_info(serde)
        .set_bucket_columns(opt_strs(sd, "bucket_columns"))
        .set_sort_columns((!sort.is_empty()).then_some(sort))
        .set_parameters(glue_map(sd, "parameters"))
        .set_skewed_info(skew)
        .set_stored_as_sub_directories(opt_bool(sd, "stored_as_sub_directories"))
        .build())
}

fn input(planned: &Value) -> Result<TableInput, ProviderError> {
    TableInput::builder()
        .name(req_str(planned, "name")?)
        .set_description(opt_str(planned, "description"))
        .set_owner(opt_str(planned, "owner"))
        .set_retention(int(planned, "retention")?)
        .set_storage_descriptor(first(planned, "storage_descriptor").map(storage).transpose()?)
        .set_partition_keys(columns(planned, "partition_keys")?)
        .set_view_original_text(opt_str(planned, "view_original_text"))
        .set_view_expanded_text(opt_str(planned, "view_expanded_text"))
        .set_table_type(opt_str(planned, "table_type"))
        .set_parameters(glue_map(planned, "parameters"))
        .build()
        .map_err(|e| ProviderError::new(format!("Glue table input: {e}")))
}

// ---------------------------------------------------------------------------------------------
// Glue to values

fn column_value(c: &Column) -> Value {
    Value::object([
        ("name", string(c.name())),
        ("type", opt_string(c.r#type())),
        ("comment", opt_string(c.comment())),
        ("parameters", map_value(c.parameters())),
    ])
}

fn storage_value(sd: &StorageDescriptor) -> Value {
    let serde = sd.serde_info().map(|s| {
        Value::object([
            ("name", opt_string(s.name())),
            ("serialization_library", opt_string(s.serialization_library())),
            ("parameters", map_value(s.parameters())),
        ])
    });
    let skew = sd.skewed_info().map(|s| {
        Value::object([
            ("skewed_column_names", list_of_strings(s.skewed_column_names())),
            ("skewed_column_values", list_of_strings(s.skewed_column_values())),
            (
                "skewed_column_value_location_maps",
                map_value(s.skewed_column_value_location_maps()),
            ),
        ])
    });
    Value::object([
        ("location", opt_string(sd.location())),
        ("additional_locations", list_of_strings(sd.additional_locations())),
        ("input_format", opt_string(sd.input_format())),
        ("output_format", opt_string(sd.output_format())),
        ("compressed", Value::Bool(sd.compressed())),
        ("number_of_buckets", number(sd.number_of_buckets())),
        ("bucket_columns", list_of_strings(sd.bucket_columns())),
        ("parameters", map_value(sd.parameters())),
        ("stored_as_sub_directories", Value::Bool(sd.stored_as_sub_directories())),
        ("columns", Value::List(sd.columns().iter().map(column_value).collect())),
        ("ser_de_info", Value::List(serde.into_iter().collect())),
        (
            "sort_columns",
            Value::List(
                sd.sort_columns()
                    .iter()
                    .map(|o| Value::object([("column", string(o.column())), ("sort_order", number(o.sort_order()))]))
                    .collect(),
            ),
        ),
        ("skewed_info", Value::List(skew.into_iter().collect())),
    ])
}

fn to_value(ctx: &Ctx, t: &Table, prior: &Value) -> Value {
    let catalog = t.catalog_id().unwrap_or_default();
    let db = t.database_name().unwrap_or_default();
    let fresh = Value::object([
        ("id", string(format!("{catalog}:{db}:{}", t.name()))),
        ("name", string(t.name())),
        ("database_name", string(db)),
        ("catalog_id", string(catalog)),
        ("arn", string(arn(ctx, catalog, &format!("table/{db}/{}", t.name())))),
        ("description", opt_string(t.description())),
        ("owner", opt_string(t.owner())),
        ("parameters", map_value(t.parameters())),
        ("retention", number(t.retention())),
        ("table_type", opt_string(t.table_type())),
        ("view_original_text", opt_string(t.view_original_text())),
        ("view_expanded_text", opt_string(t.view_expanded_text())),
        (
            "partition_keys",
            Value::List(t.partition_keys().iter().map(column_value).collect()),
        ),
        (
            "storage_descriptor",
            Value::List(t.storage_descriptor().map(storage_value).into_iter().collect()),
        ),
    ]);
    like_prior(&SCHEMA, fresh, prior)
}

// ---------------------------------------------------------------------------------------------
// Calls

/// Where a table lives: its catalog (the account's own when `None`) and database.
type Place = (Option<String>, String);

/// The tables named in `names` of one database that exist.
async fn describe(ctx: &Ctx, (catalog, db): &Place, names: &[String]) -> Result<HashMap<String, Table>, ProviderError> {
    find_named(
        names,
        |t: &Table| Some(t.name()),
        |name| async move {
            let call = ctx
                .glue
                .get_table()
                .set_catalog_id(catalog.clone())
                .database_name(db)
                .name(name);
            Ok(call_found(call.send().boxed()).await?.and_then(|o| o.table().cloned()))
        },
        |next| async move {
            let call = ctx
                .glue
                .get_tables()
                .set_catalog_id(catalog.clone())
                .database_name(db)
                .max_results(100)
                .set_next_token(next);
            // The database gone: so are its tables.
            Ok(match call_found(call.send().boxed()).await? {
                Some(out) => (out.table_list().to_vec(), out.next_token().map(str::to_string)),
                None => (Vec::new(), None),
            })
        },
    )
    .await
}

fn place(s: &Value) -> Option<(Place, String)> {
    Some((
        (opt_str(s, "catalog_id"), opt_str(s, "database_name")?),
        opt_str(s, "name")?,
    ))
}

async fn read_many(ctx: &Ctx, states: &[Value]) -> Result<Vec<Option<Value>>, ProviderError> {
    let mut by_place: BTreeMap<Place, Vec<String>> = BTreeMap::new();
    for (p, name) in states.iter().filter_map(place) {
        by_place.entry(p).or_default().push(name);
    }
    let mut found: HashMap<(Place, String), Table> = HashMap::new();
    for (p, names) in by_place {
        for (n, t) in describe(ctx, &p, &names).await? {
            found.insert((p.clone(), n), t);
        }
    }
    Ok(states
        .iter()
        .map(|s| Some(to_value(ctx, found.get(&place(s)?)?, s)))
        .collect())
}

async fn read_one(ctx: &Ctx, probe: &Value) -> Result<Option<Value>, ProviderError> {
    Ok(read_many(ctx, std::slice::from_ref(probe)).await?.pop().flatten())
}

/// `planned` with the catalog the table was created in, for reading it back.
fn probe(planned: &Value, catalog: Option<String>) -> Value {
    let mut p = planned.clone();
    if let Value::Map(m) = &mut p {
        m.insert("catalog_id".into(), opt_string(catalog));
    }
    p
}

fn gone(planned: &Value) -> ProviderError {
    ProviderError::with_code(
        "EntityNotFoundException",
        format!(
            "Glue table {}.{} disappeared",
            opt_str(planned, "database_name").unwrap_or_default(),
            opt_str(planned, "name").unwrap_or_default()
        ),
    )
}

/// Whether the table `read` is the `planned` one as far as a create repeated after a crash
/// can tell: the same type, partition keys, and storage location and columns (an empty list
/// and none are the same).
fn same_definition(read: &Value, planned: &Value) -> bool {
    fn norm(v: &Value) -> Value {
        match v {
            Value::List(l) if l.is_empty() => Value::Null,
            other => other.clone(),
        }
    }
    fn storage(v: &Value, key: &str) -> Value {
        match v.get("storage_descriptor") {
            Value::List(l) => l.first().map(|sd| norm(sd.get(key))).unwrap_or(Value::Null),
            _ => Value::Null,
        }
    }
    ["table_type", "partition_keys"]
        .iter()
        .all(|k| norm(read.get(k)) == norm(planned.get(k)))
        && ["location", "columns"]
            .iter()
            .all(|k| storage(read, k) == storage(planned, k))
}

#[async_trait]
impl AwsResource for CatalogTable {
    fn type_name(&self) -> &'static str {
        "aws_glue_catalog_table"
    }

    fn schema(&self) -> &Schema {
        &SCHEMA
    }

    fn plan(&self, _ctx: &Ctx, req: &PlanRequest) -> PlanResponse {
        let mut req = req.clone();
        if let Value::Map(m) = &mut req.config {
            for k in ["name", "database_name"] {
                if let Some(Value::String(n)) = m.get_mut(k) {
                    *n = n.to_lowercase();
                }
            }
        }
        plan_blocks(self.schema(), &req)
    }

    async fn create(&self, ctx: &Ctx, planned: &Value) -> Result<Value, ProviderError> {
        self.create_as(ctx, planned, &Creating::default()).await
    }

    /// Safe to repeat after a crash (see `docs/reliability.md`): a table answered
    /// AlreadyExistsException is adopted when it is the planned table as far as its read shows
    /// ([`same_definition`]) and its database carries this state's lineage (GetTags on the
    /// database's ARN; [`Creating::adopt_content_or_refuse`]); else refused with how to import it.
    async fn create_as(&self, ctx: &Ctx, planned: &Value, creating: &Creating) -> Result<Value, ProviderError> {
        let catalog = opt_str(planned, "catalog_id");
        let db = req_str(planned, "database_name")?;
        let sent = ctx
            .glue
            .create_table()
            .set_catalog_id(catalog.clone())
            .database_name(&db)
            .table_input(input(planned)?)
            .send()
            .boxed()
            .await
            .map_err(aws_error);
        match sent {
            Err(err) if already_exists(&err) => {
                let catalog_id = match &catalog {
                    Some(c) => c.clone(),
                    None => ctx.account_id().await?,
                };
                let id = format!("{catalog_id}:{db}:{}", req_str(planned, "name")?);
                let read = match creating.tracked() {
                    true => read_one(ctx, &probe(planned, catalog)).await?,
                    false => None,
                };
                let Some(read) = read else {
                    return Err(creating.exists_error(&id, err));
                };
                let same = same_definition(&read, planned);
                let tags = match same {
                    true => match all_tags(ctx, &arn(ctx, &catalog_id, &format!("database/{db}"))).await {
                        Ok(t) => Some(t),
                        Err(e) if e.kind == ErrorKind::NotFound => None,
                        Err(e) => return Err(e),
                    },
                    false => None,
                };
                let pairs = tags
                    .as_ref()
                    .map(|t| t.iter().map(|(k, v)| (Some(k.as_str()), Some(v.as_str()))));
                creating.adopt_content_or_refuse(&id, same, pairs, err)?;
                Ok(read)
            }
            sent => {
                sent?;
                read_one(ctx, &probe(planned, catalog))
                    .await?
                    .ok_or_else(|| gone(planned))
            }
        }
    }

    async fn update(&self, ctx: &Ctx, prior: &Value, planned: &Value) -> Result<Value, ProviderError> {
        let catalog = opt_str(prior, "catalog_id");
        ctx.glue
            .update_table()
            .set_catalog_id(catalog.clone())
            .database_name(req_str(prior, "database_name")?)
            .table_input(input(planned)?)
            .send()
            .boxed()
            .await
            .map_err(aws_error)?;
        read_one(ctx, &probe(planned, catalog))
            .await?
            .ok_or_else(|| gone(planned))
    }

    /// DeleteTable takes effect at once: nothing to wait for.
    async fn delete(&self, ctx: &Ctx, prior: &Value) -> Result<(), ProviderError> {
        let call = ctx
            .glue
            .delete_table()
            .set_catalog_id(opt_str(prior, "catalog_id"))
            .database_name(req_str(prior, "database_name")?)
            .name(req_str(prior, "name")?);
        delete_call(call.send().boxed()).await?;
        Ok(())
    }

    async fn read(&self, ctx: &Ctx, states: &[Value]) -> Result<Vec<Option<Value>>, ProviderError> {
        read_many(ctx, states).await
    }

    async fn import(&self, ctx: &Ctx, id: &str) -> Result<Value, ProviderError> {
        let parts = split_id(id, 3, "CATALOG_ID:DATABASE_NAME:NAME")?;
        let p = Value::object([
            ("catalog_id", string(parts[0])),
            ("database_name", string(parts[1])),
            ("name", string(parts[2])),
        ]);
        read_one(ctx, &p)
            .await?
            .ok_or_else(|| ProviderError::with_code("EntityNotFoundException", format!("no Glue table {id}")))
    }
}
