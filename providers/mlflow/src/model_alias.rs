//! `mlflow_model_alias`: one alias of a registered model (`champion`, `challenger`, `staging`)
//! pointing at one of its versions.
//!
//! Setting an alias is MLflow's upsert (`POST registered-models/alias`): a create adopts an
//! alias a training job already set and points it where the configuration says, and an update
//! sets it again. Refresh reads the aliases of every model named, through the registered model
//! type's one search per 100 models ([`crate::registered_model::by_name`]): an alias moved by
//! hand is drift on `version`, and an alias (or model) gone is the object gone.

use async_trait::async_trait;
use plinth_sdk::{
    ApplyRequest, Attribute, ErrorKind, PlanResponse, ProviderDiagnostic, ProviderError, Schema, Type, Value,
};
use serde_json::{Value as Json, json};

use crate::MlflowResource;
use crate::client::{Client, found};
use crate::util::{diag, field, required, string};

pub const TYPE_NAME: &str = "mlflow_model_alias";

pub struct ModelAlias;

/// Why MLflow would refuse `alias` as an alias name, in its own rules: letters, digits, `_` and
/// `-`, at most 255 characters, and neither `latest` nor `v<N>` (reserved for versions).
pub fn alias_problem(alias: &str) -> Option<String> {
    if alias.is_empty() {
        return Some("an alias cannot be empty".into());
    }
    if !alias.chars().all(|c| c.is_alphanumeric() || c == '_' || c == '-') {
        return Some("an alias may only contain letters, digits, underscores (_) and dashes (-)".into());
    }
    if alias.len() > 255 {
        return Some("an alias is at most 255 characters long".into());
    }
    if alias.eq_ignore_ascii_case("latest") {
        return Some("the alias `latest` is reserved by MLflow".into());
    }
    let mut chars = alias.chars();
    if matches!(chars.next(), Some('v' | 'V'))
        && !alias[1..].is_empty()
        && alias[1..].bytes().all(|b| b.is_ascii_digit())
    {
        return Some(format!(
            "the alias `{alias}` is reserved by MLflow for version {}",
            &alias[1..]
        ));
    }
    None
}

/// Why `version` is not a model version number, if it is not one.
pub fn version_problem(version: &str) -> Option<String> {
    if !version.is_empty() && version.bytes().all(|b| b.is_ascii_digit()) && !version.starts_with('0') {
        None
    } else {
        Some(format!(
            "{version:?} is not a model version: versions are numbered from 1"
        ))
    }
}

/// The model and alias of an import id `NAME/ALIAS` (the model name may hold `/`, the alias
/// cannot).
pub fn parse_id(id: &str) -> Result<(&str, &str), ProviderError> {
    match id.rsplit_once('/') {
        Some((name, alias)) if !name.is_empty() && !alias.is_empty() => Ok((name, alias)),
        _ => Err(ProviderError::with_code(
            "INVALID_ID",
            format!("{id:?} is not an alias id: import a model alias as MODEL_NAME/ALIAS (churn/champion)"),
        )
        .with_kind(ErrorKind::Invalid)),
    }
}

/// The version `alias` of model `name` points at. MLflow answers a missing alias with
/// `INVALID_PARAMETER_VALUE`; it is made a not-found error naming model and alias here.
pub async fn get_alias(c: &Client, name: &str, alias: &str) -> Result<Json, ProviderError> {
    match c
        .get("registered-models/alias", &[("name", name), ("alias", alias)])
        .await
    {
        Ok(j) => Ok(j.get("model_version").cloned().unwrap_or_default()),
        Err(e) if e.code.as_deref() == Some("INVALID_PARAMETER_VALUE") && e.message.contains("not found") => {
            Err(ProviderError::with_code(
                "RESOURCE_DOES_NOT_EXIST",
                format!("the registered model {name:?} has no alias {alias:?}"),
            )
            .with_kind(ErrorKind::NotFound))
        }
        Err(e) if e.code.as_deref() == Some("RESOURCE_DOES_NOT_EXIST") => Err(ProviderError::with_code(
            "RESOURCE_DOES_NOT_EXIST",
            format!("there is no registered model {name:?} (looking for its alias {alias:?})"),
        )
        .with_kind(ErrorKind::NotFound)),
        Err(e) => Err(e),
    }
}

fn state(name: &str, alias: &str, version: &str) -> Value {
    Value::object([
        ("id", Value::string(format!("{name}/{alias}"))),
        ("name", Value::string(name)),
        ("alias", Value::string(alias)),
        ("version", Value::string(version)),
    ])
}

async fn set(c: &Client, planned: &Value) -> Result<Value, ProviderError> {
    let name = required(planned, "name")?;
    let alias = required(planned, "alias")?;
    let version = required(planned, "version")?;
    c.post(
        "registered-models/alias",
        json!({"name": name, "alias": alias, "version": version}),
    )
    .await?;
    Ok(state(&name, &alias, &version))
}

#[async_trait]
impl MlflowResource for ModelAlias {
    fn schema(&self) -> Schema {
        Schema::new("An alias of a registered model, pointing at one of its versions.")
            .attr(
                "name",
                Attribute::required(Type::String)
                    .force_new()
                    .describe("The registered model's name."),
            )
            .attr(
                "alias",
                Attribute::required(Type::String)
                    .force_new()
                    .describe("The alias (`champion`): letters, digits, `_` and `-`; not `latest` nor `v<N>`."),
            )
            .attr(
                "version",
                Attribute::required(Type::String)
                    .describe("The version the alias points at (`\"3\"`); a new one moves the alias."),
            )
            .attr("id", Attribute::computed(Type::String).describe("`NAME/ALIAS`."))
            .identity(&["name", "alias"])
    }

    fn validate(&self, config: &Value) -> Vec<ProviderDiagnostic> {
        let mut out = Vec::new();
        if let Some(a) = config.get("alias").as_str()
            && let Some(why) = alias_problem(a)
        {
            out.push(diag("alias", format!("Invalid alias {a:?}"), why));
        }
        // A number converts to its text: `version = 3` reads as "3".
        if let Some(v) = config.get("version").as_str()
            && let Some(why) = version_problem(v)
        {
            out.push(diag("version", "Invalid model version", why));
        }
        crate::util::check_name(config, "name", "the model alias's", &mut out);
        out
    }

    fn plan(&self, prior: Option<&Value>, config: &Value) -> PlanResponse {
        let mut p = crate::util::plan(&self.schema(), prior, config, &[]);
        if let (Some(n), Some(a)) = (string(&p.planned, "name"), string(&p.planned, "alias")) {
            crate::util::set(&mut p.planned, "id", Value::string(format!("{n}/{a}")));
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
        let alias = required(prior, "alias")?;
        found(
            c.delete("registered-models/alias", json!({"name": name, "alias": alias}))
                .await,
        )?;
        Ok(())
    }

    async fn read(&self, c: &Client, states: &[Value]) -> Result<Vec<Option<Value>>, ProviderError> {
        let names: Vec<String> = states.iter().filter_map(|s| string(s, "name")).collect();
        let refs: Vec<&str> = names.iter().map(String::as_str).collect();
        let models = crate::registered_model::by_name(c, &refs).await?;
        Ok(states
            .iter()
            .map(|s| {
                let name = string(s, "name")?;
                let alias = string(s, "alias")?;
                let model = models.get(&name)?;
                let entry = model
                    .get("aliases")
                    .and_then(Json::as_array)?
                    .iter()
                    .find(|a| field(a, "alias") == alias)?;
                Some(state(&name, &alias, field(entry, "version")))
            })
            .collect())
    }

    async fn import(&self, c: &Client, id: &str) -> Result<Value, ProviderError> {
        let (name, alias) = parse_id(id)?;
        let v = get_alias(c, name, alias).await?;
        Ok(state(name, alias, field(&v, "version")))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn alias_names_follow_mlflows_rules() {
        assert_eq!(alias_problem("champion"), None);
        assert_eq!(alias_problem("pre-prod_2"), None);
        assert!(alias_problem("").is_some());
        assert!(alias_problem("a b").is_some());
        assert!(alias_problem("Latest").is_some_and(|m| m.contains("reserved")));
        assert!(alias_problem("v3").is_some_and(|m| m.contains("version 3")));
        assert_eq!(alias_problem("v"), None);
        assert_eq!(alias_problem("vnext"), None);
    }

    #[test]
    fn versions_are_positive_numbers() {
        assert_eq!(version_problem("12"), None);
        assert!(version_problem("0").is_some());
        assert!(version_problem("one").is_some());
        assert!(version_problem("").is_some());
    }

    #[test]
    fn an_alias_id_splits_at_the_last_slash() {
        assert_eq!(parse_id("churn/champion").ok(), Some(("churn", "champion")));
        assert_eq!(parse_id("team/churn/champion").ok(), Some(("team/churn", "champion")));
        for bad in ["churn", "churn/", "/champion"] {
            assert_eq!(parse_id(bad).err().map(|e| e.kind), Some(ErrorKind::Invalid), "{bad}");
        }
    }
}
