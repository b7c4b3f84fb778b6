//! `aws_glue_catalog_database`: a database of the Glue Data Catalog, with its description,
//! location, parameters and tags. Lake Formation's default permissions for new tables, resource
//! links (`target_database`) and federated databases are not managed yet.
//!
//! Refresh: per catalog, the databases from [`find_named`] (GetDatabase for one, the catalog's
//! GetDatabases listing, 100 a page, for more), then one GetTags per database (Glue returns no
//! tags with a database).

use std::collections::{BTreeMap, HashMap};
use std::sync::LazyLock;

use async_trait::async_trait;
use aws_sdk_glue::types::{Database, DatabaseInput};
use futures::FutureExt as _;
use plinth_sdk::plan::default_plan;
use plinth_sdk::{Attribute, PlanRequest, PlanResponse, ProviderError, Schema, Type, Value};

use super::{all_tags, arn, glue_map, like_prior, list_tags, map_value, split_id};
use crate::error::aws_error;
use crate::idempotent::{Creating, already_exists};
use crate::tags::{Tagged, plan_tags_all, tag_values, update_tags, with_tags};
use crate::util::{call_found, concurrently, delete_call, find_named, opt_str, opt_string, req_str, string};
use crate::{AwsResource, Ctx};

pub struct CatalogDatabase;

const NOT_MANAGED: &str = "Plinth does not manage this part of a Glue database yet: leave it out (AWS's default \
                           applies), or manage the database outside Plinth";

static SCHEMA: LazyLock<Schema> = LazyLock::new(|| {
    let schema = Schema::new(
        "A Glue Data Catalog database. Import with CATALOG_ID:NAME (the catalog id is the account id for the \
         account's own catalog).",
    )
    .attr(
        "name",
        Attribute::required(Type::String)
            .force_new()
            .describe("The database name (Glue keeps it in lowercase)."),
    )
    .attr(
        "catalog_id",
        Attribute::optional_computed(Type::String)
            .force_new()
            .describe("The catalog; the account's own when left out."),
    )
    .attr(
        "description",
        Attribute::optional(Type::String).describe("The database's description."),
    )
    .attr(
        "location_uri",
        Attribute::optional_computed(Type::String).describe("Where the database's data lives (an s3:// URI)."),
    )
    .attr(
        "parameters",
        Attribute::optional(Type::Map(Box::new(Type::String))).describe("Key-value parameters of the database."),
    )
    .attr("id", Attribute::computed(Type::String).describe("CATALOG_ID:NAME."))
    .attr("arn", Attribute::computed(Type::String).describe("The database ARN."))
    .unsupported_blocks(
        &[
            "create_table_default_permission",
            "federated_database",
            "target_database",
        ],
        NOT_MANAGED,
    );
    with_tags(schema).identity(&["catalog_id", "name"])
});

fn to_value(ctx: &Ctx, d: &Database, tags: &BTreeMap<String, String>, prior: &Value) -> Value {
    let (tags, tags_all) = tag_values(ctx, tags, prior);
    let catalog = d.catalog_id().unwrap_or_default();
    let fresh = Value::object([
        ("id", string(format!("{catalog}:{}", d.name()))),
        ("name", string(d.name())),
        ("catalog_id", string(catalog)),
        ("arn", string(arn(ctx, catalog, &format!("database/{}", d.name())))),
        ("description", opt_string(d.description())),
        ("location_uri", opt_string(d.location_uri())),
        ("parameters", map_value(d.parameters())),
    ]);
    // Tags have their own rule for empty (`tag_values`).
    let mut out = like_prior(&SCHEMA, fresh, prior);
    if let Value::Map(m) = &mut out {
        m.insert("tags".into(), tags);
        m.insert("tags_all".into(), tags_all);
    }
    out
}

/// The databases named in `names` of `catalog` (the account's own when `None`) that exist.
async fn describe(
    ctx: &Ctx,
    catalog: Option<String>,
    names: &[String],
) -> Result<HashMap<String, Database>, ProviderError> {
    let c = catalog.clone();
    find_named(
        names,
        |d: &Database| Some(d.name()),
        |name| async move {
            let out = call_found(ctx.glue.get_database().set_catalog_id(c).name(name).send().boxed()).await?;
            Ok(out.and_then(|o| o.database().cloned()))
        },
        |next| {
            let c = catalog.clone();
            async move {
                let out = ctx
                    .glue
                    .get_databases()
                    .set_catalog_id(c)
                    .max_results(100)
                    .set_next_token(next)
                    .send()
                    .boxed()
                    .await
                    .map_err(aws_error)?;
                Ok((out.database_list().to_vec(), out.next_token().map(str::to_string)))
            }
        },
    )
    .await
}

async fn read_many(ctx: &Ctx, states: &[Value]) -> Result<Vec<Option<Value>>, ProviderError> {
    let mut by_catalog: BTreeMap<Option<String>, Vec<String>> = BTreeMap::new();
    for s in states {
        if let Some(n) = opt_str(s, "name") {
            by_catalog.entry(opt_str(s, "catalog_id")).or_default().push(n);
        }
    }
    let mut found: HashMap<(Option<String>, String), Database> = HashMap::new();
    for (catalog, names) in by_catalog {
        for (n, d) in describe(ctx, catalog.clone(), &names).await? {
            found.insert((catalog.clone(), n), d);
        }
    }
    let dbs: Vec<Option<Database>> = states
        .iter()
        .map(|s| {
            let key = (opt_str(s, "catalog_id"), opt_str(s, "name")?);
            found.get(&key).cloned()
        })
        .collect();
    let tags = concurrently(dbs.clone(), |d| {
        let ctx = ctx.clone();
        async move {
            match d {
                Some(d) => {
                    let a = arn(
                        &ctx,
                        d.catalog_id().unwrap_or_default(),
                        &format!("database/{}", d.name()),
                    );
                    list_tags(&ctx, &a).await.map(Some)
                }
                None => Ok(None),
            }
        }
    })
    .await?;
    Ok(states
        .iter()
        .zip(dbs)
        .zip(tags)
        .map(|((s, d), t)| Some(to_value(ctx, &d?, &t?, s)))
        .collect())
}

async fn read_one(ctx: &Ctx, probe: &Value) -> Result<Option<Value>, ProviderError> {
    Ok(read_many(ctx, std::slice::from_ref(probe)).await?.pop().flatten())
}

fn input(planned: &Value) -> Result<DatabaseInput, ProviderError> {
    DatabaseInput::builder()
        .name(req_str(planned, "name")?)
        .set_description(opt_str(planned, "description"))
        .set_location_uri(opt_str(planned, "location_uri"))
        .set_parameters(glue_map(planned, "parameters"))
        .build()
        .map_err(|e| ProviderError::new(format!("Glue database input: {e}")))
}

/// `planned` with the name and catalog the object has, for reading it back.
fn probe(planned: &Value, catalog: Option<String>, name: &str) -> Value {
    let mut p = planned.clone();
    if let Value::Map(m) = &mut p {
        m.insert("name".into(), string(name));
        m.insert("catalog_id".into(), opt_string(catalog));
    }
    p
}

fn gone(name: &str) -> ProviderError {
    ProviderError::with_code("EntityNotFoundException", format!("Glue database {name} disappeared"))
}

#[async_trait]
impl AwsResource for CatalogDatabase {
    fn type_name(&self) -> &'static str {
        "aws_glue_catalog_database"
    }

    fn schema(&self) -> &Schema {
        &SCHEMA
    }

    fn plan(&self, ctx: &Ctx, req: &PlanRequest) -> PlanResponse {
        let mut config = req.config.clone();
        if let Value::Map(m) = &mut config
            && let Some(Value::String(name)) = m.get_mut("name")
        {
            *name = name.to_lowercase();
        }
        let mut resp = default_plan(self.schema(), req.prior.as_ref(), &config);
        plan_tags_all(ctx, &req.config, &mut resp.planned);
        resp
    }

    async fn create(&self, ctx: &Ctx, planned: &Value) -> Result<Value, ProviderError> {
        self.create_as(ctx, planned, &Creating::default()).await
    }

    /// Safe to repeat after a crash (see `docs/reliability.md`): bookkeeping tags sent with the
    /// create, and a database answered AlreadyExistsException adopted when its tags (GetTags on
    /// its ARN) name this address and state.
    async fn create_as(&self, ctx: &Ctx, planned: &Value, creating: &Creating) -> Result<Value, ProviderError> {
        let name = req_str(planned, "name")?;
        let catalog = opt_str(planned, "catalog_id");
        let tags = creating.with_tags(ctx.merged_tags(planned.get("tags")));
        let sent = ctx
            .glue
            .create_database()
            .set_catalog_id(catalog.clone())
            .database_input(input(planned)?)
            .set_tags((!tags.is_empty()).then(|| tags.into_iter().collect()))
            .send()
            .boxed()
            .await
            .map_err(aws_error);
        if !matches!(&sent, Err(e) if already_exists(e)) {
            sent?;
        } else {
            let catalog = match &catalog {
                Some(c) => c.clone(),
                None => ctx.account_id().await?,
            };
            let id = format!("{catalog}:{name}");
            let arn = arn(ctx, &catalog, &format!("database/{name}"));
            creating
                .adopt(&id, sent, || async { Ok(Some(all_tags(ctx, &arn).await?)) })
                .await?;
        }
        read_one(ctx, &probe(planned, catalog, &name))
            .await?
            .ok_or_else(|| gone(&name))
    }

    async fn update(&self, ctx: &Ctx, prior: &Value, planned: &Value) -> Result<Value, ProviderError> {
        let name = req_str(prior, "name")?;
        let catalog = opt_str(prior, "catalog_id");
        let changed = ["description", "location_uri", "parameters"]
            .iter()
            .any(|k| planned.get(k) != prior.get(k));
        if changed {
            ctx.glue
                .update_database()
                .set_catalog_id(catalog.clone())
                .name(&name)
                .database_input(input(planned)?)
                .send()
                .boxed()
                .await
                .map_err(aws_error)?;
        }
        update_tags(ctx, Tagged::Glue(&req_str(prior, "arn")?), prior, planned).await?;
        read_one(ctx, &probe(planned, catalog, &name))
            .await?
            .ok_or_else(|| gone(&name))
    }

    /// DeleteDatabase takes effect at once (its tables go with it): nothing to wait for.
    async fn delete(&self, ctx: &Ctx, prior: &Value) -> Result<(), ProviderError> {
        let name = req_str(prior, "name")?;
        let call = ctx
            .glue
            .delete_database()
            .set_catalog_id(opt_str(prior, "catalog_id"))
            .name(&name);
        delete_call(call.send().boxed()).await?;
        Ok(())
    }

    async fn read(&self, ctx: &Ctx, states: &[Value]) -> Result<Vec<Option<Value>>, ProviderError> {
        read_many(ctx, states).await
    }

    async fn import(&self, ctx: &Ctx, id: &str) -> Result<Value, ProviderError> {
        let parts = split_id(id, 2, "CATALOG_ID:NAME")?;
        let p = Value::object([("catalog_id", string(parts[0])), ("name", string(parts[1]))]);
        read_one(ctx, &p)
            .await?
            .ok_or_else(|| ProviderError::with_code("EntityNotFoundException", format!("no Glue database {id}")))
    }
}
