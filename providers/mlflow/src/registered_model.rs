//! `mlflow_registered_model`: a model of MLflow's registry (name, description, tags).
//!
//! A new name renames the model in place (`registered-models/rename`; its versions and aliases
//! follow it). A create whose name is taken is refused with the `plinth import` hint, unless the
//! model's bookkeeping tags say an earlier attempt of this very create made it (a crash kept it
//! from the state): then it is adopted. Versions are made by training runs, never here; deleting a registered model
//! deletes all its versions, as MLflow does. Refresh: one `registered-models/search`
//! (`name IN (...)`, 100 names a call) for every model of the run; [`by_name`] serves the alias
//! type the same way.

use std::collections::HashMap;

use async_trait::async_trait;
use plinth_sdk::{ApplyRequest, Attribute, PlanResponse, ProviderDiagnostic, ProviderError, Schema, Type, Value};
use serde_json::{Value as Json, json};

use crate::MlflowResource;
use crate::client::{Client, found};
use crate::util::{
    adoptable, check_name, create_tags, field, in_filter, number, opt_string, required, string, string_map, sync_tags,
    tags_value, taken,
};

pub const TYPE_NAME: &str = "mlflow_registered_model";

/// Names per `registered-models/search` filter.
const NAMES_PER_SEARCH: usize = 100;

pub struct RegisteredModel;

fn state_of(m: &Json, known_tags: &Value) -> Value {
    let name = field(m, "name");
    Value::object([
        ("id", Value::string(name)),
        ("name", Value::string(name)),
        ("description", opt_string(m, "description")),
        ("creation_timestamp", number(m, "creation_timestamp")),
        ("tags", tags_value(m.get("tags"), known_tags)),
    ])
}

/// One registered model (with its tags and aliases).
pub async fn get(c: &Client, name: &str) -> Result<Json, ProviderError> {
    let j = c.get("registered-models/get", &[("name", name)]).await?;
    Ok(j.get("registered_model").cloned().unwrap_or_default())
}

/// The registered models among `names` that exist, by name, each with its tags and aliases:
/// one search per 100 names (a name holding a quote is got on its own).
pub async fn by_name(c: &Client, names: &[&str]) -> Result<HashMap<String, Json>, ProviderError> {
    let mut names: Vec<&str> = names.to_vec();
    names.sort_unstable();
    names.dedup();
    let mut out = HashMap::new();
    let (plain, quoted): (Vec<&str>, Vec<&str>) = names.into_iter().partition(|n| in_filter("name", &[n]).is_some());
    for n in quoted {
        if let Some(m) = found(get(c, n).await)? {
            out.insert(n.to_string(), m);
        }
    }
    for chunk in plain.chunks(NAMES_PER_SEARCH) {
        let Some(filter) = in_filter("name", chunk) else {
            continue;
        };
        let mut token = String::new();
        loop {
            let mut query = vec![("filter", filter.as_str()), ("max_results", "1000")];
            if !token.is_empty() {
                query.push(("page_token", token.as_str()));
            }
            let page = c.get("registered-models/search", &query).await?;
            for m in page
                .get("registered_models")
                .and_then(Json::as_array)
                .into_iter()
                .flatten()
            {
                out.insert(field(m, "name").to_string(), m.clone());
            }
            token = field(&page, "next_page_token").to_string();
            if token.is_empty() {
                break;
            }
        }
    }
    Ok(out)
}

#[async_trait]
impl MlflowResource for RegisteredModel {
    fn schema(&self) -> Schema {
        Schema::new(
            "A model of MLflow's model registry. Versions are registered by training runs; deleting the model \
             deletes all its versions (MLflow's behaviour).",
        )
        .attr(
            "name",
            Attribute::required(Type::String).describe(
                "The model's name, unique in the registry; a new name renames it (versions and aliases follow).",
            ),
        )
        .attr(
            "description",
            Attribute::optional(Type::String).describe("The model's description."),
        )
        .attr(
            "tags",
            Attribute::optional(string_map()).describe("Registered model tags."),
        )
        .attr("id", Attribute::computed(Type::String).describe("The model's name."))
        .attr(
            "creation_timestamp",
            Attribute::computed(Type::Number).describe("Creation time, in milliseconds since the epoch."),
        )
        .identity(&["name"])
    }

    fn validate(&self, config: &Value) -> Vec<ProviderDiagnostic> {
        let mut out = Vec::new();
        check_name(config, "name", "the registered model's", &mut out);
        out
    }

    fn plan(&self, prior: Option<&Value>, config: &Value) -> PlanResponse {
        let mut p = crate::util::plan(&self.schema(), prior, config, &["description"]);
        // The id is the name: known as soon as the name is.
        let name = p.planned.get("name").clone();
        if !name.is_unknown() && !name.is_null() {
            crate::util::set(&mut p.planned, "id", name);
        }
        p
    }

    async fn create(&self, c: &Client, planned: &Value, req: &ApplyRequest) -> Result<Value, ProviderError> {
        let name = required(planned, "name")?;
        let tags = planned.get("tags");
        let description = string(planned, "description");
        let mut body = json!({"name": name, "tags": create_tags(tags, req)});
        if let Some(d) = &description {
            body["description"] = json!(d);
        }
        let existing = match c.post("registered-models/create", body).await {
            Ok(j) => return Ok(state_of(&j.get("registered_model").cloned().unwrap_or_default(), tags)),
            Err(e) if e.code.as_deref() == Some("RESOURCE_ALREADY_EXISTS") => get(c, &name).await?,
            Err(e) => return Err(e),
        };
        // The state's `id` is the name.
        if !adoptable(&existing, &name, req) {
            return Err(taken(req, &format!("a registered model named {name:?}"), &name));
        }
        // Made by an earlier attempt of this create that a crash kept from the state: adopted,
        // and brought to what is planned (the configuration may have changed since).
        tracing::info!(address = %req.address, name, "adopting the registered model an earlier, interrupted create made");
        if description.as_deref().unwrap_or_default() != field(&existing, "description") {
            c.patch(
                "registered-models/update",
                json!({"name": name, "description": description.unwrap_or_default()}),
            )
            .await?;
        }
        let had = tags_value(existing.get("tags"), tags);
        sync_tags(
            c,
            "registered-models/set-tag",
            "registered-models/delete-tag",
            false,
            &json!({"name": name}),
            &had,
            tags,
        )
        .await?;
        Ok(state_of(&get(c, &name).await?, tags))
    }

    async fn update(&self, c: &Client, prior: &Value, planned: &Value) -> Result<Value, ProviderError> {
        let old = required(prior, "name")?;
        let name = required(planned, "name")?;
        if old != name {
            c.post("registered-models/rename", json!({"name": old, "new_name": name}))
                .await?;
        }
        let description = string(planned, "description");
        if description != string(prior, "description") {
            c.patch(
                "registered-models/update",
                json!({"name": name, "description": description.unwrap_or_default()}),
            )
            .await?;
        }
        sync_tags(
            c,
            "registered-models/set-tag",
            "registered-models/delete-tag",
            false,
            &json!({"name": name}),
            prior.get("tags"),
            planned.get("tags"),
        )
        .await?;
        Ok(state_of(&get(c, &name).await?, planned.get("tags")))
    }

    async fn delete(&self, c: &Client, prior: &Value) -> Result<(), ProviderError> {
        let name = required(prior, "name")?;
        found(c.delete("registered-models/delete", json!({"name": name})).await)?;
        Ok(())
    }

    async fn read(&self, c: &Client, states: &[Value]) -> Result<Vec<Option<Value>>, ProviderError> {
        let names: Vec<String> = states.iter().filter_map(|s| string(s, "name")).collect();
        let refs: Vec<&str> = names.iter().map(String::as_str).collect();
        let live = by_name(c, &refs).await?;
        Ok(states
            .iter()
            .map(|s| {
                let m = live.get(string(s, "name")?.as_str())?;
                Some(state_of(m, s.get("tags")))
            })
            .collect())
    }

    async fn import(&self, c: &Client, id: &str) -> Result<Value, ProviderError> {
        Ok(state_of(&get(c, id).await?, &Value::Null))
    }
}
