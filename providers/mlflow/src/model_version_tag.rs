//! `mlflow_model_version_tag`: one tag of one model version (`validation_status = "approved"`).
//!
//! Setting a tag is MLflow's upsert (`model-versions/set-tag`): a create adopts a tag of that
//! key and sets its value. Refresh: one `model-versions/get` per distinct version (several tags
//! of one version cost one call); a tag, version or model gone is the object gone.

use std::collections::HashMap;

use async_trait::async_trait;
use plinth_sdk::{
    ApplyRequest, Attribute, ErrorKind, PlanResponse, ProviderDiagnostic, ProviderError, Schema, Type, Value,
};
use serde_json::{Value as Json, json};

use crate::MlflowResource;
use crate::client::{Client, found};
use crate::model_alias::version_problem;
use crate::util::{diag, field, required, string};

pub const TYPE_NAME: &str = "mlflow_model_version_tag";

pub struct ModelVersionTag;

/// Model, version and key of an import id `NAME/VERSION/KEY`: the version is the first path
/// segment that is a number, so the model name and the key may hold `/` (a model name whose own
/// segment is a number cannot be told apart, and is not supported).
pub fn parse_id(id: &str) -> Result<(&str, &str, &str), ProviderError> {
    let mut start = 0;
    while let Some(off) = id[start..].find('/') {
        let slash = start + off;
        let rest = &id[slash + 1..];
        if let Some(end) = rest.find('/') {
            let version = &rest[..end];
            let key = &rest[end + 1..];
            if slash > 0 && version_problem(version).is_none() && !key.is_empty() {
                return Ok((&id[..slash], version, key));
            }
        }
        start = slash + 1;
    }
    Err(ProviderError::with_code(
        "INVALID_ID",
        format!(
            "{id:?} is not a model version tag id: import one as MODEL_NAME/VERSION/KEY (churn/3/validation_status)"
        ),
    )
    .with_kind(ErrorKind::Invalid))
}

fn state(name: &str, version: &str, key: &str, value: &str) -> Value {
    Value::object([
        ("id", Value::string(format!("{name}/{version}/{key}"))),
        ("name", Value::string(name)),
        ("version", Value::string(version)),
        ("key", Value::string(key)),
        ("value", Value::string(value)),
    ])
}

/// A model version, or `None` when it (or its model) does not exist.
async fn get_version(c: &Client, name: &str, version: &str) -> Result<Option<Json>, ProviderError> {
    let j = found(
        c.get("model-versions/get", &[("name", name), ("version", version)])
            .await,
    )?;
    Ok(j.map(|j| j.get("model_version").cloned().unwrap_or_default()))
}

/// The value of tag `key` of a model version answer.
fn tag_of<'a>(v: &'a Json, key: &str) -> Option<&'a str> {
    v.get("tags")?
        .as_array()?
        .iter()
        .find(|t| field(t, "key") == key)
        .map(|t| field(t, "value"))
}

async fn set(c: &Client, planned: &Value) -> Result<Value, ProviderError> {
    let name = required(planned, "name")?;
    let version = required(planned, "version")?;
    let key = required(planned, "key")?;
    let value = required(planned, "value")?;
    c.post(
        "model-versions/set-tag",
        json!({"name": name, "version": version, "key": key, "value": value}),
    )
    .await?;
    Ok(state(&name, &version, &key, &value))
}

#[async_trait]
impl MlflowResource for ModelVersionTag {
    fn schema(&self) -> Schema {
        Schema::new("A tag of one model version.")
            .attr(
                "name",
                Attribute::required(Type::String)
                    .force_new()
                    .describe("The registered model's name."),
            )
            .attr(
                "version",
                Attribute::required(Type::String)
                    .force_new()
                    .describe("The model version (`\"3\"`)."),
            )
            .attr(
                "key",
                Attribute::required(Type::String).force_new().describe("The tag's key."),
            )
            .attr("value", Attribute::required(Type::String).describe("The tag's value."))
            .attr("id", Attribute::computed(Type::String).describe("`NAME/VERSION/KEY`."))
            .identity(&["name", "version", "key"])
    }

    fn validate(&self, config: &Value) -> Vec<ProviderDiagnostic> {
        let mut out = Vec::new();
        if let Some(v) = config.get("version").as_str()
            && let Some(why) = version_problem(v)
        {
            out.push(diag("version", "Invalid model version", why));
        }
        if config.get("key").as_str().is_some_and(|k| k.trim().is_empty()) {
            out.push(diag(
                "key",
                "The tag's key is empty",
                "MLflow needs a non-empty tag key.",
            ));
        }
        crate::util::check_name(config, "name", "the model version tag's", &mut out);
        out
    }

    fn plan(&self, prior: Option<&Value>, config: &Value) -> PlanResponse {
        let mut p = crate::util::plan(&self.schema(), prior, config, &[]);
        if let (Some(n), Some(v), Some(k)) = (
            string(&p.planned, "name"),
            string(&p.planned, "version"),
            string(&p.planned, "key"),
        ) {
            crate::util::set(&mut p.planned, "id", Value::string(format!("{n}/{v}/{k}")));
        }
        p
    }

    async fn create(&self, c: &Client, planned: &Value, _req: &ApplyRequest) -> Result<Value, ProviderError> {
        set(c, planned).await
    }

    async fn update(&self, c: &Client, _prior: &Value, planned: &Value) -> Result<Value, ProviderError> {
        set(c, planned).await
    }

    async fn delete(&self, c: &Client, prior: &Value) -> Result<(), ProviderError> {
        let name = required(prior, "name")?;
        let version = required(prior, "version")?;
        let key = required(prior, "key")?;
        found(
            c.delete(
                "model-versions/delete-tag",
                json!({"name": name, "version": version, "key": key}),
            )
            .await,
        )?;
        Ok(())
    }

    async fn read(&self, c: &Client, states: &[Value]) -> Result<Vec<Option<Value>>, ProviderError> {
        let mut versions: HashMap<(String, String), Option<Json>> = HashMap::new();
        for s in states {
            if let (Some(n), Some(v)) = (string(s, "name"), string(s, "version"))
                && !versions.contains_key(&(n.clone(), v.clone()))
            {
                let live = get_version(c, &n, &v).await?;
                versions.insert((n, v), live);
            }
        }
        Ok(states
            .iter()
            .map(|s| {
                let (n, v, k) = (string(s, "name")?, string(s, "version")?, string(s, "key")?);
                let live = versions.get(&(n.clone(), v.clone()))?.as_ref()?;
                tag_of(live, &k).map(|value| state(&n, &v, &k, value))
            })
            .collect())
    }

    async fn import(&self, c: &Client, id: &str) -> Result<Value, ProviderError> {
        let (name, version, key) = parse_id(id)?;
        let missing =
            |what: String| ProviderError::with_code("RESOURCE_DOES_NOT_EXIST", what).with_kind(ErrorKind::NotFound);
        let v = get_version(c, name, version)
            .await?
            .ok_or_else(|| missing(format!("the registered model {name:?} has no version {version}")))?;
        let value = tag_of(&v, key).ok_or_else(|| {
            missing(format!(
                "version {version} of the registered model {name:?} has no tag {key:?}"
            ))
        })?;
        Ok(state(name, version, key, value))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_tag_id_splits_at_the_first_numbered_segment() {
        assert_eq!(parse_id("churn/3/status").ok(), Some(("churn", "3", "status")));
        assert_eq!(parse_id("team/churn/12/a/b").ok(), Some(("team/churn", "12", "a/b")));
        for bad in ["churn/3", "churn/x/status", "/3/status", "churn/3/"] {
            assert_eq!(parse_id(bad).err().map(|e| e.kind), Some(ErrorKind::Invalid), "{bad}");
        }
    }
}
