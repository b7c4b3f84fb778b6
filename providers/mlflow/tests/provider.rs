//! The MLflow provider against a real `mlflow server` (SQLite store, artifacts in a temporary
//! directory, a free port on 127.0.0.1, offline), driven through the `Provider` trait as the
//! engine drives it. Every check reads the server through its REST API with a client of this
//! test, never through the provider; runs, metrics and versions are made the same way, as a
//! training job would.
//!
//! One server serves every scenario (starting one takes seconds), each on names of its own; it is
//! stopped with its whole process tree when the test ends, passed or failed.

use plinth_mlflow::MlflowProvider;
use plinth_sdk::{
    ApplyRequest, ConfigureRequest, ErrorKind, ImportRequest, PlanRequest, Provider, ProviderError, ReadDataRequest,
    ReadInstance, ReadRequest, Value,
};
use serde_json::{Value as Json, json};

/// The test harness the end-to-end tests use too: the server (its own process group, stopped
/// with its whole tree) and the blocking REST client the checks go through.
#[path = "../../../tests/support/mlflow.rs"]
#[allow(dead_code)]
mod mlflow_server;

use mlflow_server::{ADMIN_PASSWORD, Mlflow};
use plinth_sdk::Map;

/// The harness's blocking REST client, awaited from these async tests (on a multi-thread
/// runtime, so a blocking call holds up only its own worker).
struct Rest<'a>(&'a Mlflow);

impl Rest<'_> {
    async fn get(&self, path: &str, query: &[(&str, &str)]) -> Json {
        tokio::task::block_in_place(|| self.0.get(path, query))
    }

    async fn status(&self, path: &str, query: &[(&str, &str)]) -> u16 {
        tokio::task::block_in_place(|| self.0.get_status(path, query).0)
    }

    async fn post(&self, path: &str, body: Json) -> Json {
        tokio::task::block_in_place(|| self.0.post(path, body))
    }

    async fn patch(&self, path: &str, body: Json) -> Json {
        tokio::task::block_in_place(|| self.0.patch(path, body))
    }

    async fn delete_alias(&self, model: &str, alias: &str) {
        tokio::task::block_in_place(|| self.0.delete_alias(model, alias))
    }

    /// A finished run in `experiment` with `metrics` (each logged twice, the second value the
    /// latest) and `params`; its id and artifact URI.
    async fn run(&self, experiment: &str, metrics: &[(&str, f64)], params: &[(&str, &str)]) -> (String, String) {
        let r = self.post("runs/create", json!({"experiment_id": experiment})).await;
        let id = r["run"]["info"]["run_id"].as_str().expect("run id").to_string();
        let artifacts = r["run"]["info"]["artifact_uri"]
            .as_str()
            .expect("artifact uri")
            .to_string();
        for (k, v) in metrics {
            for (step, value) in [(0, v - 0.1), (1, *v)] {
                self.post(
                    "runs/log-metric",
                    json!({"run_id": id, "key": k, "value": value, "timestamp": 1000 + step, "step": step}),
                )
                .await;
            }
        }
        for (k, v) in params {
            self.post("runs/log-parameter", json!({"run_id": id, "key": k, "value": v}))
                .await;
        }
        (id, artifacts)
    }
}

/// A configured provider.
async fn provider(uri: &str) -> MlflowProvider {
    provider_with(&[("tracking_uri", Value::string(uri))]).await
}

/// A provider configured with the block `settings`.
async fn provider_with(settings: &[(&str, Value)]) -> MlflowProvider {
    let p = MlflowProvider::new();
    p.configure(ConfigureRequest {
        config: Value::object(settings.iter().cloned()),
        working_dir: ".".into(),
    })
    .await
    .expect("configure");
    p
}

/// A configuration as the engine hands it over: every schema attribute present, null unless set.
fn config(p: &MlflowProvider, type_name: &str, set: &[(&str, Value)]) -> Value {
    let schema = p.schema();
    let s = schema
        .resources
        .get(type_name)
        .or_else(|| schema.data_sources.get(type_name))
        .expect("type");
    let mut m: Map = s
        .attributes
        .iter()
        .filter(|(_, a)| a.required || a.optional)
        .map(|(k, _)| (k.clone(), Value::Null))
        .collect();
    for (k, v) in set {
        m.insert(k.to_string(), v.clone());
    }
    Value::Map(m)
}

fn tags(pairs: &[(&str, &str)]) -> Value {
    Value::object(pairs.iter().map(|(k, v)| (*k, Value::string(*v))))
}

/// Plans and applies `config` over `prior` (a create when `None`), as the engine does; the plan's
/// replacements are returned with the new state.
async fn apply(
    p: &MlflowProvider,
    type_name: &str,
    prior: Option<&Value>,
    config: Value,
) -> Result<Value, ProviderError> {
    let plan = p
        .plan(PlanRequest {
            type_name: type_name.into(),
            address: format!("{type_name}.t"),
            prior: prior.cloned(),
            config: config.clone(),
        })
        .await?;
    assert!(
        plan.requires_replace.is_empty(),
        "unexpected replacement: {:?}",
        plan.requires_replace
    );
    let r = p
        .apply(ApplyRequest {
            type_name: type_name.into(),
            address: format!("{type_name}.t"),
            prior: prior.cloned(),
            planned: Some(plan.planned),
            config,
            ..Default::default()
        })
        .await?;
    Ok(r.new_state.expect("a state"))
}

async fn destroy(p: &MlflowProvider, type_name: &str, prior: &Value) {
    let r = p
        .apply(ApplyRequest {
            type_name: type_name.into(),
            address: format!("{type_name}.t"),
            prior: Some(prior.clone()),
            planned: None,
            config: Value::Null,
            ..Default::default()
        })
        .await
        .expect("delete");
    assert!(r.new_state.is_none());
}

async fn read(p: &MlflowProvider, type_name: &str, states: &[&Value]) -> Vec<Option<Value>> {
    p.read(ReadRequest {
        type_name: type_name.into(),
        instances: states
            .iter()
            .map(|s| ReadInstance {
                address: format!("{type_name}.t"),
                state: (*s).clone(),
            })
            .collect(),
    })
    .await
    .expect("read")
    .states
}

async fn import(p: &MlflowProvider, type_name: &str, id: &str) -> Result<Value, ProviderError> {
    p.import(ImportRequest {
        type_name: type_name.into(),
        address: format!("{type_name}.t"),
        id: id.into(),
    })
    .await
}

async fn data(p: &MlflowProvider, set: &[(&str, Value)]) -> Result<Value, ProviderError> {
    let cfg = config(p, "mlflow_model_version", set);
    p.read_data(ReadDataRequest {
        type_name: "mlflow_model_version".into(),
        address: "data.mlflow_model_version.t".into(),
        config: cfg,
    })
    .await
}

/// The `key: value` tags of an MLflow answer, without MLflow's own, in key order.
fn tag_map(obj: &Json) -> Vec<(String, String)> {
    all_tags(obj)
        .into_iter()
        .filter(|(k, _)| !k.starts_with("mlflow."))
        .collect()
}

fn pairs(p: &[(&str, &str)]) -> Vec<(String, String)> {
    p.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_provider_against_a_real_mlflow_server() {
    let server = tokio::task::block_in_place(Mlflow::start);
    let p = provider(&server.uri).await;
    let rest = Rest(&server);
    experiments(&p, &rest).await;
    registered_models(&p, &rest).await;
    crash_window_experiments(&p, &rest).await;
    crash_window_registered_models(&p, &rest).await;
    let model = versions(&rest).await;
    aliases(&p, &rest, &model).await;
    version_tags(&p, &rest, &model).await;
    model_versions(&p, &model).await;
}

async fn experiments(p: &MlflowProvider, rest: &Rest<'_>) {
    let t = "mlflow_experiment";
    let cfg = |name: &str, tg: Value| config(p, t, &[("name", Value::string(name)), ("tags", tg)]);
    let created = apply(p, t, None, cfg("exp-a", tags(&[("team", "ml")])))
        .await
        .expect("create");
    let id = created.get("id").as_str().expect("id").to_string();
    let live = rest.get("experiments/get", &[("experiment_id", &id)]).await;
    assert_eq!(live["experiment"]["name"], "exp-a");
    assert_eq!(tag_map(&live["experiment"]), pairs(&[("team", "ml")]));
    assert!(
        created
            .get("artifact_location")
            .as_str()
            .is_some_and(|l| l.ends_with(&id))
    );
    assert_eq!(created.get("lifecycle_stage"), &Value::string("active"));

    // Rename and retag in place.
    let updated = apply(
        p,
        t,
        Some(&created),
        cfg("exp-b", tags(&[("team", "ds"), ("tier", "1")])),
    )
    .await
    .expect("update");
    assert_eq!(updated.get("id"), created.get("id"));
    let live = rest.get("experiments/get", &[("experiment_id", &id)]).await;
    assert_eq!(live["experiment"]["name"], "exp-b");
    assert_eq!(tag_map(&live["experiment"]), pairs(&[("team", "ds"), ("tier", "1")]));

    // A tag set by hand is drift; MLflow's own tags are not.
    rest.post(
        "experiments/set-experiment-tag",
        json!({"experiment_id": id, "key": "owner", "value": "bob"}),
    )
    .await;
    rest.post(
        "experiments/set-experiment-tag",
        json!({"experiment_id": id, "key": "mlflow.note.content", "value": "notes"}),
    )
    .await;
    let refreshed = read(p, t, &[&updated]).await.remove(0).expect("still there");
    assert_eq!(
        refreshed.get("tags"),
        &tags(&[("owner", "bob"), ("team", "ds"), ("tier", "1")])
    );
    // Apply removes the hand-made tag and keeps MLflow's.
    let repaired = apply(
        p,
        t,
        Some(&refreshed),
        cfg("exp-b", tags(&[("team", "ds"), ("tier", "1")])),
    )
    .await
    .expect("repair");
    let live = rest.get("experiments/get", &[("experiment_id", &id)]).await;
    assert_eq!(tag_map(&live["experiment"]), pairs(&[("team", "ds"), ("tier", "1")]));
    assert!(live["experiment"]["tags"].to_string().contains("mlflow.note.content"));

    // Import by id and by name.
    let by_id = import(p, t, &id).await.expect("import by id");
    let by_name = import(p, t, "exp-b").await.expect("import by name");
    assert_eq!(by_id.get("name"), &Value::string("exp-b"));
    assert_eq!(by_name.get("id"), &Value::string(id.as_str()));

    // A second experiment of the same name is a conflict naming the import.
    let e = apply(p, t, None, cfg("exp-b", Value::Null))
        .await
        .expect_err("conflict");
    assert_eq!(e.kind, ErrorKind::Conflict);
    assert!(e.message.contains(&id), "{}", e.message);
    assert!(
        e.hint
            .as_deref()
            .is_some_and(|h| h.contains(&format!("plinth import {t}.t {id}"))),
        "{e:?}"
    );

    // Delete moves it to the trash, where it is gone for refresh; creating it again restores it.
    let other = apply(p, t, None, cfg("exp-c", Value::Null)).await.expect("create c");
    destroy(p, t, &repaired).await;
    let live = rest.get("experiments/get", &[("experiment_id", &id)]).await;
    assert_eq!(live["experiment"]["lifecycle_stage"], "deleted");
    let states = read(p, t, &[&repaired, &other]).await;
    assert!(states[0].is_none() && states[1].is_some(), "{states:?}");
    let restored = apply(p, t, None, cfg("exp-b", tags(&[("team", "again")])))
        .await
        .expect("restore");
    assert_eq!(restored.get("id"), &Value::string(id.as_str()));
    let live = rest.get("experiments/get", &[("experiment_id", &id)]).await;
    assert_eq!(live["experiment"]["lifecycle_stage"], "active");
    assert_eq!(tag_map(&live["experiment"]), pairs(&[("team", "again")]));
    destroy(p, t, &restored).await;
    destroy(p, t, &other).await;
}

async fn registered_models(p: &MlflowProvider, rest: &Rest<'_>) {
    let t = "mlflow_registered_model";
    let cfg = |name: &str, d: Value, tg: Value| {
        config(p, t, &[("name", Value::string(name)), ("description", d), ("tags", tg)])
    };
    let a = apply(p, t, None, cfg("rm-a", Value::string("first"), tags(&[("k", "v")])))
        .await
        .expect("create");
    assert_eq!(a.get("id"), &Value::string("rm-a"));
    let live = rest.get("registered-models/get", &[("name", "rm-a")]).await;
    assert_eq!(live["registered_model"]["description"], "first");
    assert_eq!(tag_map(&live["registered_model"]), pairs(&[("k", "v")]));

    // Rename, new description, tags removed.
    let b = apply(p, t, Some(&a), cfg("rm-b", Value::string("second"), Value::Null))
        .await
        .expect("update");
    assert_eq!(rest.status("registered-models/get", &[("name", "rm-a")]).await, 404);
    let live = rest.get("registered-models/get", &[("name", "rm-b")]).await;
    assert_eq!(live["registered_model"]["description"], "second");
    assert!(tag_map(&live["registered_model"]).is_empty());
    assert_eq!(b.get("tags"), &Value::Null);

    // One refresh for many, one of them gone; a description changed by hand is drift.
    let c = apply(p, t, None, cfg("rm-c", Value::Null, Value::Null))
        .await
        .expect("create c");
    rest.patch(
        "registered-models/update",
        json!({"name": "rm-c", "description": "by hand"}),
    )
    .await;
    let gone = a.clone();
    let states = read(p, t, &[&b, &c, &gone]).await;
    assert_eq!(
        states[0].as_ref().map(|s| s.get("description").clone()),
        Some(Value::string("second"))
    );
    assert_eq!(
        states[1].as_ref().map(|s| s.get("description").clone()),
        Some(Value::string("by hand"))
    );
    assert!(states[2].is_none());

    let imported = import(p, t, "rm-b").await.expect("import");
    assert_eq!(imported.get("description"), &Value::string("second"));
    let e = import(p, t, "rm-none").await.expect_err("missing");
    assert_eq!(e.kind, ErrorKind::NotFound);
    let e = apply(p, t, None, cfg("rm-b", Value::Null, Value::Null))
        .await
        .expect_err("exists");
    assert_eq!(e.kind, ErrorKind::Conflict);
    assert_eq!(e.code.as_deref(), Some("RESOURCE_ALREADY_EXISTS"));

    destroy(p, t, &b).await;
    destroy(p, t, &c).await;
    assert_eq!(rest.status("registered-models/get", &[("name", "rm-b")]).await, 404);
    assert!(read(p, t, &[&b]).await[0].is_none());
}

const LINEAGE: &str = "mlflow-lineage-1";

/// Plans and applies a create of `t` at `address` in the state of `lineage`, as the engine does.
async fn apply_as(
    p: &MlflowProvider,
    t: &str,
    address: &str,
    lineage: &str,
    cfg: &Value,
) -> Result<Value, ProviderError> {
    let planned = p
        .plan(PlanRequest {
            type_name: t.into(),
            address: address.into(),
            prior: None,
            config: cfg.clone(),
        })
        .await?
        .planned;
    let r = p
        .apply(ApplyRequest {
            type_name: t.into(),
            address: address.into(),
            planned: Some(planned),
            config: cfg.clone(),
            lineage: lineage.into(),
            ..Default::default()
        })
        .await?;
    Ok(r.new_state.expect("a state"))
}

/// Every tag of an MLflow answer, Plinth's and MLflow's included.
fn all_tags(obj: &Json) -> std::collections::BTreeMap<String, String> {
    obj["tags"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|t| {
            (
                t["key"].as_str().unwrap_or_default().into(),
                t["value"].as_str().unwrap_or_default().into(),
            )
        })
        .collect()
}

fn has_bookkeeping(obj: &Json, address: &str, lineage: &str) {
    let tags = all_tags(obj);
    assert_eq!(
        tags.get("plinth:address").map(String::as_str),
        Some(address),
        "{tags:?}"
    );
    assert_eq!(
        tags.get("plinth:lineage").map(String::as_str),
        Some(lineage),
        "{tags:?}"
    );
}

fn refused_with_hint(e: &ProviderError, address: &str, id: &str) {
    assert_eq!(e.kind, ErrorKind::Conflict, "{e:?}");
    assert_eq!(e.code.as_deref(), Some("RESOURCE_ALREADY_EXISTS"), "{e:?}");
    assert!(
        e.hint
            .as_deref()
            .is_some_and(|h| h.contains(&format!("plinth import {address} {id}"))),
        "{e:?} should say how to import {id} into {address}"
    );
}

/// Issue 17's crash window (`docs/reliability.md`): a create whose call returned but whose result
/// never reached the state is applied again with the same lineage and address. The repeat adopts
/// the experiment the first made (found by its bookkeeping tags), never a second one; a create at
/// another address or of another state, or of a name made by hand, is refused with the import hint.
async fn crash_window_experiments(p: &MlflowProvider, rest: &Rest<'_>) {
    let t = "mlflow_experiment";
    let a = "mlflow_experiment.crash";
    let cfg = |tg: Value, loc: Value| {
        config(
            p,
            t,
            &[
                ("name", Value::string("exp-crash")),
                ("tags", tg),
                ("artifact_location", loc),
            ],
        )
    };
    let first = apply_as(p, t, a, LINEAGE, &cfg(tags(&[("team", "ml")]), Value::Null))
        .await
        .expect("the first create");
    let id = first.get("id").as_str().expect("id").to_string();
    let live = rest.get("experiments/get", &[("experiment_id", &id)]).await;
    has_bookkeeping(&live["experiment"], a, LINEAGE);
    assert_eq!(
        first.get("tags"),
        &tags(&[("team", "ml")]),
        "no bookkeeping tag in the state"
    );
    // The state was lost; the configuration changed meanwhile: the repeat adopts and updates.
    let second = apply_as(p, t, a, LINEAGE, &cfg(tags(&[("team", "ds")]), Value::Null))
        .await
        .expect("the repeated create adopts the experiment");
    assert_eq!(second.get("id"), first.get("id"));
    assert_eq!(second.get("tags"), &tags(&[("team", "ds")]));
    let live = rest.get("experiments/get", &[("experiment_id", &id)]).await;
    assert_eq!(
        tag_map(&live["experiment"]),
        pairs(&[("plinth:address", a), ("plinth:lineage", LINEAGE), ("team", "ds")])
    );
    let found = rest
        .post(
            "experiments/search",
            json!({"filter": "name = 'exp-crash'", "max_results": 10, "view_type": "ALL"}),
        )
        .await;
    assert_eq!(found["experiments"].as_array().map(Vec::len), Some(1), "{found}");
    // Another address, another state, a location MLflow cannot move to: refused, nothing made.
    let e = apply_as(p, t, "mlflow_experiment.other", LINEAGE, &cfg(Value::Null, Value::Null))
        .await
        .expect_err("another address");
    refused_with_hint(&e, "mlflow_experiment.other", &id);
    let e = apply_as(p, t, a, "another-lineage", &cfg(Value::Null, Value::Null))
        .await
        .expect_err("another state");
    refused_with_hint(&e, a, &id);
    let e = apply_as(p, t, a, LINEAGE, &cfg(Value::Null, Value::string("/tmp/elsewhere")))
        .await
        .expect_err("another location");
    assert!(
        e.message.contains("/tmp/elsewhere") && e.message.contains("interrupted"),
        "{e:?}"
    );
    // Untracked (no state), nothing is tagged and nothing adopted.
    let e = apply_as(p, t, a, "", &cfg(Value::Null, Value::Null))
        .await
        .expect_err("untracked");
    refused_with_hint(&e, a, &id);
    // An experiment made by hand under the name is never adopted.
    let hand = rest.post("experiments/create", json!({"name": "exp-by-hand"})).await;
    let hand = hand["experiment_id"].as_str().expect("id").to_string();
    let by_hand = config(p, t, &[("name", Value::string("exp-by-hand"))]);
    let e = apply_as(p, t, a, LINEAGE, &by_hand).await.expect_err("made by hand");
    refused_with_hint(&e, a, &hand);
    // Destroyed and declared at another address of another state: restored from the trash,
    // and tagged for its new address, so that a crash now is recovered from too.
    destroy(p, t, &second).await;
    let b = "mlflow_experiment.moved";
    let restored = apply_as(p, t, b, "lineage-2", &cfg(Value::Null, Value::Null))
        .await
        .expect("restored");
    assert_eq!(restored.get("id"), first.get("id"));
    let live = rest.get("experiments/get", &[("experiment_id", &id)]).await;
    has_bookkeeping(&live["experiment"], b, "lineage-2");
    let again = apply_as(p, t, b, "lineage-2", &cfg(Value::Null, Value::Null))
        .await
        .expect("the repeat of the restore adopts");
    assert_eq!(again.get("id"), first.get("id"));
    destroy(p, t, &again).await;
}

/// The crash window for registered models, as for experiments above.
async fn crash_window_registered_models(p: &MlflowProvider, rest: &Rest<'_>) {
    let t = "mlflow_registered_model";
    let a = "mlflow_registered_model.crash";
    let cfg = |d: &str, tg: Value| {
        config(
            p,
            t,
            &[
                ("name", Value::string("rm-crash")),
                ("description", Value::string(d)),
                ("tags", tg),
            ],
        )
    };
    let first = apply_as(p, t, a, LINEAGE, &cfg("first", tags(&[("k", "v")])))
        .await
        .expect("the first create");
    let live = rest.get("registered-models/get", &[("name", "rm-crash")]).await;
    has_bookkeeping(&live["registered_model"], a, LINEAGE);
    assert_eq!(first.get("tags"), &tags(&[("k", "v")]));
    let second = apply_as(p, t, a, LINEAGE, &cfg("second", Value::Null))
        .await
        .expect("the repeated create adopts the model");
    assert_eq!(second.get("id"), &Value::string("rm-crash"));
    assert_eq!(second.get("tags"), &Value::Null);
    assert_eq!(second.get("description"), &Value::string("second"));
    let live = rest.get("registered-models/get", &[("name", "rm-crash")]).await;
    assert_eq!(live["registered_model"]["description"], "second");
    assert_eq!(
        tag_map(&live["registered_model"]),
        pairs(&[("plinth:address", a), ("plinth:lineage", LINEAGE)])
    );
    let e = apply_as(p, t, "mlflow_registered_model.other", LINEAGE, &cfg("x", Value::Null))
        .await
        .expect_err("another address");
    refused_with_hint(&e, "mlflow_registered_model.other", "rm-crash");
    let e = apply_as(p, t, a, "another-lineage", &cfg("x", Value::Null))
        .await
        .expect_err("another state");
    refused_with_hint(&e, a, "rm-crash");
    rest.post("registered-models/create", json!({"name": "rm-by-hand"}))
        .await;
    let by_hand = config(p, t, &[("name", Value::string("rm-by-hand"))]);
    let e = apply_as(p, t, a, LINEAGE, &by_hand).await.expect_err("made by hand");
    refused_with_hint(&e, a, "rm-by-hand");
    let live = rest.get("registered-models/get", &[("name", "rm-by-hand")]).await;
    assert!(all_tags(&live["registered_model"]).is_empty(), "{live}");
    destroy(p, t, &second).await;
}

/// What a training job leaves: model `churn` with version 1 (auc 0.80) aliased `champion`,
/// version 2 (auc 0.86), version 3 registered without a run.
struct Model {
    name: &'static str,
    run2: String,
}

async fn versions(rest: &Rest<'_>) -> Model {
    let exp = rest.post("experiments/create", json!({"name": "training"})).await;
    let exp = exp["experiment_id"].as_str().expect("id").to_string();
    let (run1, art1) = rest.run(&exp, &[("auc", 0.80), ("loss", 0.3)], &[("lr", "0.1")]).await;
    let (run2, art2) = rest.run(&exp, &[("auc", 0.86), ("loss", 0.2)], &[("lr", "0.05")]).await;
    rest.post("registered-models/create", json!({"name": "churn"})).await;
    for (run, art) in [(&run1, &art1), (&run2, &art2)] {
        rest.post(
            "model-versions/create",
            json!({"name": "churn", "source": format!("{art}/model"), "run_id": run}),
        )
        .await;
    }
    rest.post(
        "model-versions/create",
        json!({"name": "churn", "source": "s3://bucket/churn/3"}),
    )
    .await;
    rest.post(
        "registered-models/alias",
        json!({"name": "churn", "alias": "champion", "version": "1"}),
    )
    .await;
    Model { name: "churn", run2 }
}

async fn alias_version(rest: &Rest<'_>, alias: &str) -> String {
    let j = rest
        .get("registered-models/alias", &[("name", "churn"), ("alias", alias)])
        .await;
    j["model_version"]["version"].as_str().expect("version").to_string()
}

async fn aliases(p: &MlflowProvider, rest: &Rest<'_>, model: &Model) {
    let t = "mlflow_model_alias";
    let cfg = |alias: &str, version: &str| {
        config(
            p,
            t,
            &[
                ("name", Value::string(model.name)),
                ("alias", Value::string(alias)),
                ("version", Value::string(version)),
            ],
        )
    };
    let challenger = apply(p, t, None, cfg("challenger", "2")).await.expect("create");
    assert_eq!(challenger.get("id"), &Value::string("churn/challenger"));
    assert_eq!(alias_version(rest, "challenger").await, "2");
    // Creating an alias a job already set adopts it and points it where configured.
    let champion = apply(p, t, None, cfg("champion", "1")).await.expect("adopt");
    assert_eq!(alias_version(rest, "champion").await, "1");

    // Moved by hand: drift on `version`; apply moves it back.
    rest.post(
        "registered-models/alias",
        json!({"name": "churn", "alias": "challenger", "version": "3"}),
    )
    .await;
    let states = read(p, t, &[&challenger, &champion]).await;
    let moved = states[0].clone().expect("still there");
    assert_eq!(moved.get("version"), &Value::string("3"));
    assert_eq!(
        states[1].as_ref().map(|s| s.get("version").clone()),
        Some(Value::string("1"))
    );
    let back = apply(p, t, Some(&moved), cfg("challenger", "2"))
        .await
        .expect("move back");
    assert_eq!(back.get("version"), &Value::string("2"));
    assert_eq!(alias_version(rest, "challenger").await, "2");

    // Promotion: champion moves to the challenger's version.
    let promoted = apply(p, t, Some(&champion), cfg("champion", "2"))
        .await
        .expect("promote");
    assert_eq!(alias_version(rest, "champion").await, "2");

    let imported = import(p, t, "churn/champion").await.expect("import");
    assert_eq!(imported, promoted);
    let e = import(p, t, "churn/nope").await.expect_err("no alias");
    assert_eq!(e.kind, ErrorKind::NotFound);
    assert!(
        e.message.contains("churn") && e.message.contains("nope"),
        "{}",
        e.message
    );
    let e = import(p, t, "churn").await.expect_err("bad id");
    assert_eq!(e.kind, ErrorKind::Invalid);
    // A version that does not exist: MLflow refuses, and the error says so.
    let e = apply(p, t, Some(&back), cfg("challenger", "99"))
        .await
        .expect_err("no version 99");
    assert!(matches!(e.kind, ErrorKind::NotFound | ErrorKind::Invalid), "{e:?}");

    // Deleted by hand: gone. Deleting what is gone is no error.
    rest.delete_alias("churn", "challenger").await;
    assert!(read(p, t, &[&back]).await[0].is_none());
    destroy(p, t, &back).await;
    destroy(p, t, &promoted).await;
    assert_eq!(
        rest.status("registered-models/alias", &[("name", "churn"), ("alias", "champion")])
            .await,
        400
    );
    // Leave the champion where the data source scenario expects it.
    rest.post(
        "registered-models/alias",
        json!({"name": "churn", "alias": "champion", "version": "1"}),
    )
    .await;
    rest.post(
        "registered-models/alias",
        json!({"name": "churn", "alias": "challenger", "version": "2"}),
    )
    .await;
}

async fn version_tags(p: &MlflowProvider, rest: &Rest<'_>, model: &Model) {
    let t = "mlflow_model_version_tag";
    let cfg = |version: &str, key: &str, value: &str| {
        config(
            p,
            t,
            &[
                ("name", Value::string(model.name)),
                ("version", Value::string(version)),
                ("key", Value::string(key)),
                ("value", Value::string(value)),
            ],
        )
    };
    let live_tags = |v: &'static str| async move {
        let j = rest
            .get("model-versions/get", &[("name", "churn"), ("version", v)])
            .await;
        tag_map(&j["model_version"])
    };
    let a = apply(p, t, None, cfg("2", "validation", "pending"))
        .await
        .expect("create");
    let b = apply(p, t, None, cfg("2", "owner", "ml")).await.expect("create b");
    assert_eq!(a.get("id"), &Value::string("churn/2/validation"));
    assert_eq!(
        live_tags("2").await,
        pairs(&[("owner", "ml"), ("validation", "pending")])
    );
    let a = apply(p, t, Some(&a), cfg("2", "validation", "approved"))
        .await
        .expect("update");
    assert_eq!(
        live_tags("2").await,
        pairs(&[("owner", "ml"), ("validation", "approved")])
    );

    // Changed by hand: drift on `value`; both tags of the version in one refresh.
    rest.post(
        "model-versions/set-tag",
        json!({"name": "churn", "version": "2", "key": "validation", "value": "rejected"}),
    )
    .await;
    let states = read(p, t, &[&a, &b]).await;
    assert_eq!(
        states[0].as_ref().map(|s| s.get("value").clone()),
        Some(Value::string("rejected"))
    );
    assert_eq!(
        states[1].as_ref().map(|s| s.get("value").clone()),
        Some(Value::string("ml"))
    );

    let imported = import(p, t, "churn/2/owner").await.expect("import");
    assert_eq!(imported, b);
    let e = import(p, t, "churn/2/none").await.expect_err("no tag");
    assert_eq!(e.kind, ErrorKind::NotFound);
    let e = import(p, t, "churn/9/owner").await.expect_err("no version");
    assert_eq!(e.kind, ErrorKind::NotFound);

    destroy(p, t, &a).await;
    destroy(p, t, &b).await;
    assert!(live_tags("2").await.is_empty());
    assert!(read(p, t, &[&a]).await[0].is_none());
}

async fn model_versions(p: &MlflowProvider, model: &Model) {
    let by_alias = |alias: &str| [("name", Value::string(model.name)), ("alias", Value::string(alias))];
    let champion = data(p, &by_alias("champion")).await.expect("champion");
    let challenger = data(p, &by_alias("challenger")).await.expect("challenger");
    assert_eq!(champion.get("version"), &Value::string("1"));
    assert_eq!(challenger.get("version"), &Value::string("2"));
    assert_eq!(challenger.get("run_id"), &Value::string(model.run2.as_str()));
    assert_eq!(challenger.get("alias"), &Value::string("challenger"));
    assert_eq!(challenger.get("status"), &Value::string("READY"));
    assert!(challenger.get("source").as_str().is_some_and(|s| s.ends_with("/model")));
    assert_eq!(
        challenger.get("aliases"),
        &Value::List(vec![Value::string("challenger")])
    );
    // The latest value of each metric, as numbers that arithmetic works on.
    let auc = |v: &Value| v.get("metrics").get("auc").as_f64().expect("auc is a number");
    assert_eq!(auc(&champion), 0.80);
    assert_eq!(auc(&challenger), 0.86);
    assert!(auc(&challenger) >= auc(&champion) + 0.01);
    assert_eq!(challenger.get("params").get("lr"), &Value::string("0.05"));

    let by_number = data(
        p,
        &[("name", Value::string(model.name)), ("version", Value::string("2"))],
    )
    .await
    .expect("by version");
    assert_eq!(by_number.get("metrics"), challenger.get("metrics"));
    assert_eq!(by_number.get("alias"), &Value::Null);
    // A version registered without a run has no metrics or params.
    let bare = data(
        p,
        &[("name", Value::string(model.name)), ("version", Value::string("3"))],
    )
    .await
    .expect("no run");
    assert_eq!(bare.get("run_id"), &Value::string(""));
    assert_eq!(bare.get("metrics").as_map().map(|m| m.len()), Some(0));
    assert_eq!(bare.get("params").as_map().map(|m| m.len()), Some(0));

    let e = data(p, &by_alias("staging")).await.expect_err("no alias");
    assert_eq!(e.kind, ErrorKind::NotFound);
    assert!(
        e.message.contains("churn") && e.message.contains("staging"),
        "{}",
        e.message
    );
    let e = data(
        p,
        &[("name", Value::string("nomodel")), ("alias", Value::string("champion"))],
    )
    .await
    .expect_err("no model");
    assert_eq!(e.kind, ErrorKind::NotFound);
    assert!(e.message.contains("nomodel"), "{}", e.message);
    let e = data(
        p,
        &[("name", Value::string(model.name)), ("version", Value::string("42"))],
    )
    .await
    .expect_err("no version");
    assert_eq!(e.kind, ErrorKind::NotFound);
    assert!(e.message.contains("42"), "{}", e.message);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn credentials_against_a_basic_auth_server() {
    let server = tokio::task::block_in_place(Mlflow::start_with_auth);
    let uri = Value::string(server.uri.as_str());
    let t = "mlflow_registered_model";
    // Username and a password given as a secret: the calls succeed.
    let p = provider_with(&[
        ("tracking_uri", uri.clone()),
        ("username", Value::string("admin")),
        ("password", Value::string(ADMIN_PASSWORD).mark()),
    ])
    .await;
    let cfg = config(&p, t, &[("name", Value::string("guarded"))]);
    let m = apply(&p, t, None, cfg).await.expect("create with basic auth");
    assert!(!format!("{m:?}").contains(ADMIN_PASSWORD));

    // A wrong password or token: refused, naming the server and the provider, never the secret.
    for (key, secret) in [("password", "wrong-password-1"), ("token", "wrong-token-1")] {
        let mut block = vec![("tracking_uri", uri.clone()), (key, Value::string(secret).mark())];
        if key == "password" {
            block.push(("username", Value::string("admin")));
        }
        let p = provider_with(&block).await;
        let e = import(&p, t, "guarded").await.expect_err("refused");
        assert_eq!(e.kind, ErrorKind::Forbidden, "{e:?}");
        assert!(
            e.message.contains(&server.uri) && e.message.contains("mlflow provider"),
            "{}",
            e.message
        );
        let shown = format!("{e:?}");
        assert!(!shown.contains(secret), "{shown}");
        assert!(e.hint.as_deref().is_some_and(|h| h.contains("token")));
    }
    destroy(&p, t, &m).await;
}
