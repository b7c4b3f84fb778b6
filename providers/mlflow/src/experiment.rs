//! `mlflow_experiment`: an MLflow experiment (name, artifact location, tags).
//!
//! A new name renames the experiment in place (`experiments/update`); a new artifact location
//! replaces it (MLflow cannot move one). Delete is MLflow's own: the experiment goes to the trash
//! (`lifecycle_stage = deleted`, its runs kept) until `mlflow gc` removes it for good, and its
//! name stays taken. So a create whose name is in the trash restores that experiment
//! (`experiments/restore`) and sets its tags, instead of failing on the taken name. An active
//! experiment of that name is refused with the `plinth import` hint, unless its bookkeeping tags
//! say an earlier attempt of this very create made it (a crash kept it from the state): then it
//! is adopted. Refresh: one
//! `experiments/search` (`experiment_id IN (...)`, 100 ids a call) for every experiment of the
//! run; one in the trash is gone.

use async_trait::async_trait;
use plinth_sdk::idempotency::bookkeeping_tags;
use plinth_sdk::{
    ApplyRequest, Attribute, ErrorKind, PlanResponse, ProviderDiagnostic, ProviderError, Schema, Type, Value,
};
use serde_json::{Value as Json, json};

use crate::MlflowResource;
use crate::client::Client;
use crate::util::{
    adoptable, check_name, create_tags, field, in_filter, made_by_this_create, number, opt_string, required, string,
    string_map, sync_tags, tags_value, taken,
};

pub const TYPE_NAME: &str = "mlflow_experiment";

/// Ids per `experiments/search` filter.
const IDS_PER_SEARCH: usize = 100;

pub struct Experiment;

/// The state of an experiment from MLflow's answer; `known` holds the tags already managed.
fn state_of(e: &Json, known_tags: &Value) -> Value {
    Value::object([
        ("id", Value::string(field(e, "experiment_id"))),
        ("name", Value::string(field(e, "name"))),
        ("artifact_location", opt_string(e, "artifact_location")),
        ("lifecycle_stage", opt_string(e, "lifecycle_stage")),
        ("creation_time", number(e, "creation_time")),
        ("tags", tags_value(e.get("tags"), known_tags)),
    ])
}

async fn get(c: &Client, id: &str) -> Result<Json, ProviderError> {
    let j = c.get("experiments/get", &[("experiment_id", id)]).await?;
    Ok(j.get("experiment").cloned().unwrap_or_default())
}

async fn get_by_name(c: &Client, name: &str) -> Result<Json, ProviderError> {
    let j = c.get("experiments/get-by-name", &[("experiment_name", name)]).await?;
    Ok(j.get("experiment").cloned().unwrap_or_default())
}

fn is_deleted(e: &Json) -> bool {
    field(e, "lifecycle_stage") == "deleted"
}

/// Active experiments among `ids`, by id, in as few searches as the filter allows.
async fn search(c: &Client, ids: &[&str]) -> Result<Vec<Json>, ProviderError> {
    let mut out = Vec::new();
    for chunk in ids.chunks(IDS_PER_SEARCH) {
        let Some(filter) = in_filter("attribute.experiment_id", chunk) else {
            for id in chunk {
                if let Some(e) = crate::client::found(get(c, id).await)? {
                    out.push(e);
                }
            }
            continue;
        };
        let mut token = String::new();
        loop {
            let mut body = json!({"max_results": 1000, "view_type": "ACTIVE_ONLY", "filter": filter});
            if !token.is_empty() {
                body["page_token"] = json!(token);
            }
            let page = c.post("experiments/search", body).await?;
            out.extend(
                page.get("experiments")
                    .and_then(Json::as_array)
                    .into_iter()
                    .flatten()
                    .cloned(),
            );
            token = field(&page, "next_page_token").to_string();
            if token.is_empty() {
                break;
            }
        }
    }
    Ok(out)
}

#[async_trait]
impl MlflowResource for Experiment {
    fn schema(&self) -> Schema {
        Schema::new(
            "An MLflow experiment. Deleting it moves it to MLflow's trash; creating a trashed name restores it.",
        )
        .attr(
            "name",
            Attribute::required(Type::String)
                .describe("The experiment's name, unique on the server; a new name renames it in place."),
        )
        .attr(
            "artifact_location",
            Attribute::optional_computed(Type::String).force_new().describe(
                "Where the runs' artifacts are stored (`s3://bucket/path`, ...); default the server's artifact root.",
            ),
        )
        .attr("tags", Attribute::optional(string_map()).describe("Experiment tags."))
        .attr("id", Attribute::computed(Type::String).describe("The experiment id."))
        .attr(
            "lifecycle_stage",
            Attribute::computed(Type::String).describe("`active` (a trashed experiment is gone)."),
        )
        .attr(
            "creation_time",
            Attribute::computed(Type::Number).describe("Creation time, in milliseconds since the epoch."),
        )
        .identity(&["name"])
    }

    fn validate(&self, config: &Value) -> Vec<ProviderDiagnostic> {
        let mut out = Vec::new();
        check_name(config, "name", "the experiment's", &mut out);
        out
    }

    fn plan(&self, prior: Option<&Value>, config: &Value) -> PlanResponse {
        crate::util::plan(&self.schema(), prior, config, &[])
    }

    async fn create(&self, c: &Client, planned: &Value, req: &ApplyRequest) -> Result<Value, ProviderError> {
        let name = required(planned, "name")?;
        let tags = planned.get("tags");
        let mut body = json!({"name": name, "tags": create_tags(tags, req)});
        let location = string(planned, "artifact_location");
        if let Some(l) = &location {
            body["artifact_location"] = json!(l);
        }
        let id = match c.post("experiments/create", body).await {
            Ok(j) => field(&j, "experiment_id").to_string(),
            Err(e) if e.code.as_deref() == Some("RESOURCE_ALREADY_EXISTS") => {
                let existing = get_by_name(c, &name).await?;
                let id = field(&existing, "experiment_id").to_string();
                if !is_deleted(&existing) && !adoptable(&existing, &id, req) {
                    return Err(taken(req, &format!("an experiment named {name:?}"), &id));
                }
                // In the trash (a destroyed experiment keeps its name), or made by an earlier
                // attempt of this create that a crash kept from the state: taken as it is, with
                // its location, which MLflow cannot move.
                let at = field(&existing, "artifact_location");
                if let Some(l) = location.as_deref().filter(|l| *l != at) {
                    let (state, fix) = if is_deleted(&existing) {
                        (
                            "in MLflow's trash",
                            format!("Remove it for good (`mlflow gc --experiment-ids {id}`) to create a new one there"),
                        )
                    } else {
                        (
                            "made by an earlier, interrupted apply",
                            "Delete it in MLflow to create a new one there".to_string(),
                        )
                    };
                    return Err(ProviderError::with_code(
                        "RESOURCE_ALREADY_EXISTS",
                        format!(
                            "the experiment {name:?} (id {id}) is {state} with artifact location {at:?}, not {l:?}: \
                             taking it would keep its location. {fix}, or use its location"
                        ),
                    )
                    .with_kind(ErrorKind::Conflict));
                }
                if is_deleted(&existing) {
                    c.post("experiments/restore", json!({"experiment_id": id})).await?;
                } else {
                    tracing::info!(address = %req.address, id, "adopting the experiment an earlier, interrupted create made");
                }
                let target = json!({"experiment_id": id});
                let had = tags_value(existing.get("tags"), tags);
                let (set, delete) = ("experiments/set-experiment-tag", "experiments/delete-experiment-tag");
                sync_tags(c, set, delete, true, &target, &had, tags).await?;
                // A restored experiment is this create's now: its bookkeeping tags say so.
                if !made_by_this_create(&existing, req) {
                    for (k, v) in bookkeeping_tags(&req.lineage, &req.address) {
                        c.post(set, json!({"experiment_id": id, "key": k, "value": v})).await?;
                    }
                }
                id
            }
            Err(e) => return Err(e),
        };
        Ok(state_of(&get(c, &id).await?, tags))
    }

    async fn update(&self, c: &Client, prior: &Value, planned: &Value) -> Result<Value, ProviderError> {
        let id = required(prior, "id")?;
        let name = required(planned, "name")?;
        if string(prior, "name").as_deref() != Some(name.as_str()) {
            c.post("experiments/update", json!({"experiment_id": id, "new_name": name}))
                .await?;
        }
        sync_tags(
            c,
            "experiments/set-experiment-tag",
            "experiments/delete-experiment-tag",
            true,
            &json!({"experiment_id": id}),
            prior.get("tags"),
            planned.get("tags"),
        )
        .await?;
        Ok(state_of(&get(c, &id).await?, planned.get("tags")))
    }

    async fn delete(&self, c: &Client, prior: &Value) -> Result<(), ProviderError> {
        let id = required(prior, "id")?;
        crate::client::found(c.post("experiments/delete", json!({"experiment_id": id})).await)?;
        Ok(())
    }

    async fn read(&self, c: &Client, states: &[Value]) -> Result<Vec<Option<Value>>, ProviderError> {
        let ids: Vec<String> = states.iter().filter_map(|s| string(s, "id")).collect();
        let refs: Vec<&str> = ids.iter().map(String::as_str).collect();
        let live = search(c, &refs).await?;
        Ok(states
            .iter()
            .map(|s| {
                let id = string(s, "id")?;
                live.iter()
                    .find(|e| field(e, "experiment_id") == id && !is_deleted(e))
                    .map(|e| state_of(e, s.get("tags")))
            })
            .collect())
    }

    async fn import(&self, c: &Client, id: &str) -> Result<Value, ProviderError> {
        let e = if !id.is_empty() && id.bytes().all(|b| b.is_ascii_digit()) {
            get(c, id).await?
        } else {
            get_by_name(c, id).await?
        };
        if is_deleted(&e) {
            return Err(ProviderError::with_code(
                "RESOURCE_DOES_NOT_EXIST",
                format!(
                    "the experiment {id:?} is in MLflow's trash: declare it and apply (which restores it), or restore \
                     it in MLflow first"
                ),
            )
            .with_kind(ErrorKind::NotFound));
        }
        Ok(state_of(&e, &Value::Null))
    }
}
