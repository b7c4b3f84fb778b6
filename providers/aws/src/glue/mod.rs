//! Glue Data Catalog: databases (`aws_glue_catalog_database`) and tables
//! (`aws_glue_catalog_table`), the metadata Athena, Spark and SageMaker read datasets by.
//!
//! Shared here: ids (`CATALOG:NAME`, `CATALOG:DATABASE:NAME`, as Terraform has them), ARNs
//! (Glue returns none), the tags of a Glue object, string maps in Glue's shape, and
//! [`like_prior`], which reads back the zero values Glue fills in (false, 0, "", empty lists and
//! maps, empty nested objects) as null where the configuration left them out.

mod catalog_database;
mod catalog_table;

use std::collections::{BTreeMap, HashMap};

use futures::FutureExt as _;
use plinth_sdk::{Nesting, ProviderError, Schema, Value};

use crate::error::aws_error;
use crate::tags::tags_from;
use crate::util::{map_of_strings, str_map};
use crate::{AwsResource, Ctx};

pub fn resources() -> Vec<Box<dyn AwsResource>> {
    vec![
        Box::new(catalog_database::CatalogDatabase),
        Box::new(catalog_table::CatalogTable),
    ]
}

/// The ARN of the Glue object `path` (`database/NAME`, `table/DATABASE/NAME`) in `catalog`.
pub(crate) fn arn(ctx: &Ctx, catalog: &str, path: &str) -> String {
    format!("arn:aws:glue:{}:{catalog}:{path}", ctx.region)
}

/// The tags on the Glue object `arn`.
pub(crate) async fn list_tags(ctx: &Ctx, arn: &str) -> Result<BTreeMap<String, String>, ProviderError> {
    let all = all_tags(ctx, arn).await?;
    Ok(tags_from(all.iter().map(|(k, v)| (Some(k.as_str()), Some(v.as_str())))))
}

/// Every tag on the Glue object `arn`, Plinth's bookkeeping tags included (for adoption).
pub(crate) async fn all_tags(ctx: &Ctx, arn: &str) -> Result<crate::idempotent::ReadTags, ProviderError> {
    let out = ctx
        .glue
        .get_tags()
        .resource_arn(arn)
        .send()
        .boxed()
        .await
        .map_err(aws_error)?;
    Ok(crate::idempotent::read_tags(
        out.tags()
            .into_iter()
            .flatten()
            .map(|(k, v)| (Some(k.as_str()), Some(v.as_str()))),
    ))
}

/// The string map `key` of `v` in Glue's shape; `None` when it is not set.
pub(crate) fn glue_map(v: &Value, key: &str) -> Option<HashMap<String, String>> {
    v.get(key).as_map().map(|_| str_map(v, key).into_iter().collect())
}

/// A Glue string map as a value (null when absent).
pub(crate) fn map_value(m: Option<&HashMap<String, String>>) -> Value {
    match m {
        Some(m) => map_of_strings(&m.iter().map(|(k, v)| (k.clone(), v.clone())).collect()),
        None => Value::Null,
    }
}

/// Splits an import id of `parts` `:`-separated parts, naming `shape` when it does not fit.
pub(crate) fn split_id<'a>(id: &'a str, parts: usize, shape: &str) -> Result<Vec<&'a str>, ProviderError> {
    let out: Vec<&str> = id.splitn(parts, ':').collect();
    if out.len() != parts || out.iter().any(|p| p.is_empty()) {
        return Err(ProviderError::with_code(
            "InvalidImportId",
            format!("import id {id:?} is not of the form {shape}"),
        ));
    }
    Ok(out)
}

fn is_zero(v: &Value) -> bool {
    match v {
        Value::Bool(b) => !b,
        Value::String(s) => s.is_empty(),
        Value::List(l) => l.is_empty(),
        Value::Map(m) => m.is_empty(),
        Value::Number(_) => v.as_f64() == Some(0.0),
        _ => false,
    }
}

fn all_null(v: &Value) -> bool {
    v.as_map().is_some_and(|m| {
        m.values()
            .all(|x| x.is_null() || x.as_list().is_some_and(|l| l.is_empty()))
    })
}

/// `fresh` (an object under `schema`, as read from Glue) made comparable with `prior` (the same
/// object in the prior state or planned value; null on import): an attribute whose value is a
/// zero value Glue fills in reads as null where `prior` has it null, and a nested block item
/// with nothing set is dropped where `prior` has no item there. Glue answers `Compressed: false`
/// or an empty `SerdeInfo` for a table created without them, and the configuration that left
/// them out must still read as unchanged.
pub(crate) fn like_prior(schema: &Schema, fresh: Value, prior: &Value) -> Value {
    let Value::Map(mut m) = fresh else { return fresh };
    for name in schema.attributes.keys() {
        if let Some(v) = m.get_mut(name)
            && is_zero(v)
            && prior.get(name).is_null()
        {
            *v = Value::Null;
        }
    }
    for (name, b) in &schema.blocks {
        if b.nesting == Nesting::Single {
            continue;
        }
        let Some(Value::List(items)) = m.remove(name) else {
            continue;
        };
        let before = prior.get(name).as_list().cloned().unwrap_or_default();
        let kept = items
            .into_iter()
            .enumerate()
            .filter_map(|(i, item)| {
                let p = before.get(i).cloned().unwrap_or(Value::Null);
                let item = like_prior(&b.schema, item, &p);
                (!(all_null(&item) && p.is_null())).then_some(item)
            })
            .collect();
        m.insert(name.clone(), Value::List(kept));
    }
    Value::Map(m)
}

#[cfg(test)]
mod tests {
    use plinth_sdk::{Attribute, Type};

    use super::*;
    use crate::util::list;

    fn schema() -> Schema {
        Schema::new("t").attr("name", Attribute::optional(Type::String)).block(
            "storage",
            list(
                Schema::new("s")
                    .attr("compressed", Attribute::optional(Type::Bool))
                    .attr("location", Attribute::optional(Type::String))
                    .block(
                        "serde",
                        list(
                            Schema::new("d").attr("name", Attribute::optional(Type::String)),
                            0,
                            Some(1),
                            false,
                        ),
                    ),
                0,
                Some(1),
                false,
            ),
        )
    }

    fn storage(compressed: Value, serde: Vec<Value>) -> Value {
        Value::object([(
            "storage",
            Value::List(vec![Value::object([
                ("compressed", compressed),
                ("location", Value::string("")),
                ("serde", Value::List(serde)),
            ])]),
        )])
    }

    /// What Glue fills in reads as left out where the configuration left it out, and exactly
    /// where the configuration set it.
    #[test]
    fn zero_values_glue_fills_in_read_as_the_prior_has_them() {
        let fresh = storage(Value::Bool(false), vec![Value::object([("name", Value::string(""))])]);
        let left_out = Value::object([(
            "storage",
            Value::List(vec![Value::object([
                ("compressed", Value::Null),
                ("location", Value::Null),
                ("serde", Value::List(vec![])),
            ])]),
        )]);
        assert_eq!(like_prior(&schema(), fresh.clone(), &left_out), left_out);
        let set = storage(Value::Bool(false), vec![Value::object([("name", Value::Null)])]);
        let out = like_prior(&schema(), fresh.clone(), &set);
        assert_eq!(
            out.get("storage")
                .as_list()
                .and_then(|l| l.first())
                .map(|s| s.get("compressed")),
            Some(&Value::Bool(false))
        );
        // Nothing in state (an import): a storage block with nothing set is dropped.
        assert_eq!(
            like_prior(&schema(), fresh, &Value::Null).get("storage"),
            &Value::List(vec![])
        );
    }
}
