//! The data source `mlflow_model_version`: one version of a registered model, by number or by
//! alias, with the metrics and params of the run that produced it.
//!
//! `metrics` is a `map(number)` of the run's latest value per key (what MLflow's run view shows),
//! so a precondition can compare figures of two versions with arithmetic
//! (`challenger.metrics.auc >= champion.metrics.auc + 0.01`). A version registered without a run
//! has `{}` for both. Cost: one `model-versions/get` (or `registered-models/alias`) and, when the
//! version has a run, one `runs/get`.

use plinth_sdk::{Attribute, ErrorKind, Map, ProviderDiagnostic, ProviderError, Schema, Type, Value};
use serde_json::Value as Json;

use crate::client::Client;
use crate::model_alias::{get_alias, version_problem};
use crate::util::{diag, field, number, required, string, string_map};

pub const TYPE_NAME: &str = "mlflow_model_version";

pub fn schema() -> Schema {
    let computed = |ty: Type, text: &str| Attribute::computed(ty).describe(text);
    Schema::new("One version of a registered model, by `version` or by `alias`, with its run's metrics and params.")
        .attr(
            "name",
            Attribute::required(Type::String).describe("The registered model's name."),
        )
        .attr(
            "version",
            Attribute::optional_computed(Type::String)
                .describe("The version (`\"3\"`); set this or `alias`. With `alias`, the version it points at."),
        )
        .attr(
            "alias",
            Attribute::optional(Type::String).describe("An alias of the model (`champion`); set this or `version`."),
        )
        .attr(
            "run_id",
            computed(Type::String, "The run that produced the version (`\"\"` when none)."),
        )
        .attr(
            "source",
            computed(
                Type::String,
                "The model's artifact URI (`s3://...`, `models:/...`, `runs:/...`).",
            ),
        )
        .attr(
            "status",
            computed(
                Type::String,
                "`READY`, `PENDING_REGISTRATION` or `FAILED_REGISTRATION`.",
            ),
        )
        .attr("description", computed(Type::String, "The version's description."))
        .attr(
            "current_stage",
            computed(
                Type::String,
                "The legacy stage (`None`, `Staging`, `Production`, `Archived`).",
            ),
        )
        .attr(
            "creation_timestamp",
            computed(Type::Number, "Registration time, in milliseconds since the epoch."),
        )
        .attr(
            "aliases",
            computed(
                Type::List(Box::new(Type::String)),
                "Every alias pointing at this version.",
            ),
        )
        .attr("tags", computed(string_map(), "The version's tags."))
        .attr(
            "metrics",
            computed(
                Type::Map(Box::new(Type::Number)),
                "The run's metrics, the latest value of each key; `{}` without a run.",
            ),
        )
        .attr(
            "params",
            computed(string_map(), "The run's params; `{}` without a run."),
        )
        .attr(
            "run_link",
            computed(Type::String, "The link to the run, when one was registered."),
        )
}

/// Exactly one of `version` and `alias` (an unknown value counts as set), each well formed.
pub fn validate(config: &Value) -> Vec<ProviderDiagnostic> {
    let mut out = Vec::new();
    let version = config.get("version");
    let alias = config.get("alias");
    match (version.is_null(), alias.is_null()) {
        (true, true) => out.push(diag(
            "version",
            "Missing version or alias",
            "Name the model version by `version` or by `alias` (exactly one of them).",
        )),
        (false, false) => out.push(diag(
            "alias",
            "Both version and alias are set",
            "Name the model version by `version` or by `alias`, not both.",
        )),
        _ => {}
    }
    if let Some(why) = version.as_str().and_then(version_problem) {
        out.push(diag("version", "Invalid model version", why));
    }
    if let Some(why) = alias.as_str().and_then(crate::model_alias::alias_problem) {
        out.push(diag("alias", "Invalid alias", why));
    }
    out
}

/// A list of `{"key", "value"}` entries as a map, each value read by `value`.
fn entries(list: Option<&Json>, value: impl Fn(&Json) -> Option<Value>) -> Value {
    let m: Map = list
        .and_then(Json::as_array)
        .into_iter()
        .flatten()
        .filter_map(|e| Some((field(e, "key").to_string(), value(e.get("value")?)?)))
        .collect();
    Value::Map(m)
}

/// The `metrics` of a run answer: the latest value of each key, as numbers. MLflow writes the
/// values it cannot put in JSON (`NaN`, infinities) as strings; those keys are left out, since no
/// comparison with them could hold.
pub fn metrics(run: &Json) -> Value {
    entries(run.pointer("/data/metrics"), |v| {
        v.as_f64().filter(|x| x.is_finite()).map(Value::number)
    })
}

/// The `params` of a run answer.
pub fn params(run: &Json) -> Value {
    entries(run.pointer("/data/params"), |v| v.as_str().map(Value::string))
}

/// The data source's value from a model version answer and its run (`None` without one).
pub fn value_of(config: &Value, v: &Json, run: Option<&Json>) -> Value {
    let aliases = v
        .get("aliases")
        .and_then(Json::as_array)
        .into_iter()
        .flatten()
        .filter_map(Json::as_str)
        .map(Value::string)
        .collect();
    let empty = || Value::Map(Map::new());
    Value::object([
        ("name", Value::string(field(v, "name"))),
        ("version", Value::string(field(v, "version"))),
        ("alias", config.get("alias").clone()),
        ("run_id", Value::string(field(v, "run_id"))),
        ("source", Value::string(field(v, "source"))),
        ("status", Value::string(field(v, "status"))),
        ("description", Value::string(field(v, "description"))),
        ("current_stage", Value::string(field(v, "current_stage"))),
        ("creation_timestamp", number(v, "creation_timestamp")),
        ("aliases", Value::List(aliases)),
        ("tags", entries(v.get("tags"), |x| x.as_str().map(Value::string))),
        ("metrics", run.map(metrics).unwrap_or_else(empty)),
        ("params", run.map(params).unwrap_or_else(empty)),
        ("run_link", Value::string(field(v, "run_link"))),
    ])
}

pub async fn read(c: &Client, config: &Value) -> Result<Value, ProviderError> {
    let name = required(config, "name")?;
    let v = match (string(config, "version"), string(config, "alias")) {
        (Some(version), _) => {
            let answer = c
                .get(
                    "model-versions/get",
                    &[("name", name.as_str()), ("version", version.as_str())],
                )
                .await
                .map_err(|e| {
                    if crate::client::is_not_found(&e) {
                        ProviderError::with_code(
                            "RESOURCE_DOES_NOT_EXIST",
                            format!("the registered model {name:?} has no version {version} (or does not exist)"),
                        )
                        .with_kind(ErrorKind::NotFound)
                    } else {
                        e
                    }
                })?;
            answer.get("model_version").cloned().unwrap_or_default()
        }
        (None, Some(alias)) => get_alias(c, &name, &alias).await?,
        (None, None) => {
            return Err(crate::util::invalid(
                "version",
                "set `version` or `alias` of the model version to read",
            ));
        }
    };
    let run_id = field(&v, "run_id");
    let run = if run_id.is_empty() {
        None
    } else {
        let r = c.get("runs/get", &[("run_id", run_id)]).await.map_err(|e| {
            if crate::client::is_not_found(&e) {
                ProviderError::with_code(
                    "RESOURCE_DOES_NOT_EXIST",
                    format!(
                        "version {} of the registered model {name:?} was registered from run {run_id}, which no longer \
                         exists: its metrics and params cannot be read",
                        field(&v, "version")
                    ),
                )
                .with_kind(ErrorKind::NotFound)
            } else {
                e
            }
        })?;
        Some(r.get("run").cloned().unwrap_or_default())
    };
    Ok(value_of(config, &v, run.as_ref()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn exactly_one_of_version_and_alias() {
        let cfg = |v: Value, a: Value| Value::object([("name", Value::string("churn")), ("version", v), ("alias", a)]);
        assert_eq!(validate(&cfg(Value::Null, Value::Null)).len(), 1);
        assert_eq!(validate(&cfg(Value::string("1"), Value::string("champion"))).len(), 1);
        assert!(validate(&cfg(Value::string("1"), Value::Null)).is_empty());
        assert!(validate(&cfg(Value::Null, Value::string("champion"))).is_empty());
        assert!(validate(&cfg(Value::Unknown, Value::Null)).is_empty());
        let bad = validate(&cfg(Value::string("x"), Value::Null));
        assert_eq!(bad[0].summary, "Invalid model version");
    }

    #[test]
    fn metrics_are_numbers_and_a_version_without_a_run_has_none() {
        let run = json!({"data": {
            "metrics": [
                {"key": "auc", "value": 0.85, "timestamp": 2, "step": 1},
                {"key": "epochs", "value": 10},
                {"key": "loss", "value": "NaN"}
            ],
            "params": [{"key": "lr", "value": "0.1"}]
        }});
        let m = metrics(&run);
        assert_eq!(m.get("auc").as_f64(), Some(0.85));
        assert_eq!(m.get("epochs").as_i64(), Some(10));
        assert!(m.get("loss").is_null());
        assert_eq!(params(&run).get("lr"), &Value::string("0.1"));
        let v = json!({"name": "churn", "version": "2", "run_id": "", "source": "s3://b/m", "aliases": ["champion"]});
        let cfg = Value::object([("name", Value::string("churn")), ("alias", Value::string("champion"))]);
        let out = value_of(&cfg, &v, None);
        assert_eq!(out.get("metrics"), &Value::Map(Map::new()));
        assert_eq!(out.get("params"), &Value::Map(Map::new()));
        assert_eq!(out.get("tags"), &Value::Map(Map::new()));
        assert_eq!(out.get("version"), &Value::string("2"));
        assert_eq!(out.get("aliases"), &Value::List(vec![Value::string("champion")]));
    }
}
