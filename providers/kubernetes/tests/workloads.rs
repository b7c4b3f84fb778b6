//! The typed workload kinds against the real control plane (`plinth-test-cluster`): the provider
//! is driven through `plinth_sdk::Provider` (configure, plan, apply, read) the way the engine
//! drives it, and every check of the cluster goes through `kubectl`.
//!
//! Each test works in a namespace of its own and deletes it at the end.

use std::path::PathBuf;
use std::time::{Duration, Instant};

use plinth_kubernetes::KubernetesProvider;
use plinth_sdk::plan::same;
use plinth_sdk::{
    ApplyRequest, ConfigureRequest, ImportRequest, PlanRequest, PlanResponse, Provider, ReadInstance, ReadRequest,
    Schema, Value,
};
use plinth_test_cluster::{Cluster, shared, unique};
use serde_json::{Value as Json, json};

/// A configured provider talking to the shared cluster as its admin.
async fn provider(c: &Cluster) -> KubernetesProvider {
    let p = KubernetesProvider::new();
    let path = c.kubeconfig().to_string_lossy().into_owned();
    p.configure(ConfigureRequest {
        config: Value::object([("config_path", Value::string(path))]),
        working_dir: PathBuf::from("."),
    })
    .await
    .expect("configure");
    p
}

/// The configuration as the engine evaluates it: every attribute of the schema present (null
/// when unset) and every block a list (empty when absent). Blocks in `j` are arrays of objects.
fn complete(schema: &Schema, j: &Json) -> Value {
    let mut out = plinth_sdk::Map::new();
    for name in schema.attributes.keys() {
        let v = j.get(name).map(Value::from_json).unwrap_or(Value::Null);
        out.insert(name.clone(), v);
    }
    for (name, b) in &schema.blocks {
        let items = match j.get(name) {
            Some(Json::Array(items)) => items.iter().map(|i| complete(&b.schema, i)).collect(),
            Some(item @ Json::Object(_)) => vec![complete(&b.schema, item)],
            _ => Vec::new(),
        };
        out.insert(name.clone(), Value::List(items));
    }
    Value::Map(out)
}

struct Res<'a> {
    p: &'a KubernetesProvider,
    type_name: &'static str,
    config: Value,
}

impl<'a> Res<'a> {
    fn new(p: &'a KubernetesProvider, type_name: &'static str, j: Json) -> Self {
        let schema = p.schema().resources.get(type_name).cloned().expect("a known type");
        Res {
            p,
            type_name,
            config: complete(&schema, &j),
        }
    }

    async fn plan(&self, prior: Option<Value>) -> PlanResponse {
        self.p
            .plan(PlanRequest {
                type_name: self.type_name.into(),
                address: format!("{}.t", self.type_name),
                prior,
                config: self.config.clone(),
            })
            .await
            .expect("plan")
    }

    /// Plans against `prior` and applies; the new state, or the provider's error message.
    async fn apply(&self, prior: Option<Value>) -> Result<Value, String> {
        let planned = self.plan(prior.clone()).await.planned;
        self.p
            .apply(ApplyRequest {
                type_name: self.type_name.into(),
                address: format!("{}.t", self.type_name),
                prior,
                planned: Some(planned),
                config: self.config.clone(),
                ..Default::default()
            })
            .await
            .map(|r| r.new_state.expect("a state"))
            .map_err(|e| e.message)
    }

    /// Plans against `prior` and applies, expecting the provider's error (whole, partial state
    /// included).
    async fn apply_error(&self, prior: Option<Value>) -> plinth_sdk::ProviderError {
        let planned = self.plan(prior.clone()).await.planned;
        match self
            .p
            .apply(ApplyRequest {
                type_name: self.type_name.into(),
                address: format!("{}.t", self.type_name),
                prior,
                planned: Some(planned),
                config: self.config.clone(),
                ..Default::default()
            })
            .await
        {
            Ok(r) => panic!("the apply succeeded: {:?}", r.new_state.map(|s| s.to_json())),
            Err(e) => e,
        }
    }

    async fn read(&self, state: &Value) -> Option<Value> {
        self.p
            .read(ReadRequest {
                type_name: self.type_name.into(),
                instances: vec![ReadInstance {
                    address: format!("{}.t", self.type_name),
                    state: state.clone(),
                }],
            })
            .await
            .expect("read")
            .states
            .remove(0)
    }

    /// Refreshes `state` and asserts that a plan against it changes nothing; the refreshed state.
    async fn assert_clean(&self, state: &Value) -> Value {
        let live = self.read(state).await.expect("still exists");
        let p = self.plan(Some(live.clone())).await;
        assert!(p.requires_replace.is_empty(), "{:?}", p.requires_replace);
        assert!(
            same(&p.planned, &live),
            "{}: a re-plan after refresh shows a change\nlive:    {}\nplanned: {}",
            self.type_name,
            live.to_json(),
            p.planned.to_json()
        );
        live
    }

    async fn destroy(&self, state: Value) -> Result<(), String> {
        self.p
            .apply(ApplyRequest {
                type_name: self.type_name.into(),
                address: format!("{}.t", self.type_name),
                prior: Some(state),
                planned: None,
                config: Value::Null,
                ..Default::default()
            })
            .await
            .map(drop)
            .map_err(|e| e.message)
    }
}

/// A namespace of the test's own, deleted (without waiting) when dropped.
struct Ns<'a> {
    c: &'a Cluster,
    name: String,
}

impl<'a> Ns<'a> {
    fn new(c: &'a Cluster, prefix: &str) -> Self {
        let name = unique(prefix);
        c.kubectl_ok(&["create", "namespace", &name]);
        Ns { c, name }
    }
}

impl Drop for Ns<'_> {
    fn drop(&mut self) {
        let _ = self.c.kubectl(&["delete", "namespace", &self.name, "--wait=false"]);
    }
}

fn deployment(ns: &str, name: &str, replicas: u32, requests: Json, timeout: &str) -> Json {
    json!({
        "metadata": [{"name": name, "namespace": ns, "labels": {"app": name}}],
        "spec": [{
            "replicas": replicas,
            "selector": [{"match_labels": {"app": name}}],
            "template": [{
                "metadata": [{"labels": {"app": name}}],
                "spec": [{
                    "container": [{
                        "name": "app",
                        "image": "registry.example/serve:1",
                        "port": [{"container_port": 8080, "name": "http"}],
                        "resources": [{"requests": requests, "limits": requests}],
                        "env": [{"name": "MODEL", "value": "m1"}],
                    }],
                    "toleration": [{"key": "nvidia.com/gpu", "operator": "Exists", "effect": "NoSchedule"}],
                }],
            }],
        }],
        "timeouts": [{"create": timeout, "update": timeout}],
    })
}

fn count_pods(c: &Cluster, ns: &str, app: &str) -> usize {
    let pods = c
        .get(&["pods", "-n", ns, "-l", &format!("app={app}")])
        .expect("pod list");
    pods["items"].as_array().map_or(0, Vec::len)
}

#[tokio::test(flavor = "multi_thread")]
async fn a_deployment_rolls_out_re_reads_clean_and_a_hand_scale_is_drift_that_apply_repairs() {
    let c = shared();
    let ns = Ns::new(c, "deploy");
    let p = provider(c).await;
    let d = Res::new(
        &p,
        "kubernetes_deployment",
        deployment(&ns.name, "web", 2, json!({"cpu": "1000m", "memory": "1024Mi"}), "3m"),
    );
    let state = d.apply(None).await.expect("the rollout finishes");
    let live = c.get(&["deployment", "web", "-n", &ns.name]).expect("deployment");
    assert_eq!(live["status"]["availableReplicas"], json!(2), "{live}");
    // The server stores `1000m` as `1` and `1024Mi` as `1Gi`, and fills in a strategy, a pull
    // policy, a protocol, ...: none of it is a change.
    assert_eq!(
        live["spec"]["template"]["spec"]["containers"][0]["resources"]["requests"],
        json!({"cpu": "1", "memory": "1Gi"})
    );
    let state = d.assert_clean(&state).await;

    // Hand edits: a scale, a new image and a declared label changed.
    c.kubectl_ok(&["scale", "deployment", "web", "-n", &ns.name, "--replicas=3"]);
    c.kubectl_ok(&[
        "set",
        "image",
        "deployment/web",
        "-n",
        &ns.name,
        "app=registry.example/serve:2",
    ]);
    // An environment variable someone else adds is theirs (like a label): not drift, kept.
    c.kubectl_ok(&["set", "env", "deployment/web", "-n", &ns.name, "-c", "app", "DEBUG=1"]);
    c.kubectl_ok(&[
        "label",
        "deployment",
        "web",
        "-n",
        &ns.name,
        "app=hacked",
        "--overwrite",
    ]);
    let drifted = d.read(&state).await.expect("exists");
    let replicas = &drifted.get("spec").as_list().expect("spec")[0].get("replicas").clone();
    assert_eq!(replicas, &Value::int(3));
    let image = drifted.get("spec").as_list().expect("spec")[0]
        .get("template")
        .as_list()
        .expect("template")[0]
        .get("spec")
        .as_list()
        .expect("pod spec")[0]
        .get("container")
        .as_list()
        .expect("containers")[0]
        .get("image")
        .clone();
    assert_eq!(image, Value::string("registry.example/serve:2"));
    let p2 = d.plan(Some(drifted.clone())).await;
    assert!(!same(&p2.planned, &drifted), "the hand edits are drift");
    let repaired = d.apply(Some(drifted)).await.expect("apply repairs");
    let live = c.get(&["deployment", "web", "-n", &ns.name]).expect("deployment");
    assert_eq!(live["spec"]["replicas"], json!(2), "{live}");
    assert_eq!(live["metadata"]["labels"]["app"], json!("web"), "{live}");
    assert_eq!(
        live["spec"]["template"]["spec"]["containers"][0]["image"],
        json!("registry.example/serve:1"),
        "{live}"
    );
    let env = &live["spec"]["template"]["spec"]["containers"][0]["env"];
    assert_eq!(env.as_array().map(Vec::len), Some(2), "{env}");
    let state = d.assert_clean(&repaired).await;

    // Import adopts what the cluster has, Plinth's own attributes as an absent configuration
    // plans them (no `timeouts` block: it is kept only when set).
    let imported = p
        .import(ImportRequest {
            type_name: "kubernetes_deployment".into(),
            address: "kubernetes_deployment.t".into(),
            id: format!("{}/web", ns.name),
        })
        .await
        .expect("import");
    assert_eq!(imported.get("wait_for_rollout"), &Value::Bool(true));
    assert_eq!(imported.get("timeouts"), &Value::Null);
    assert_eq!(
        imported.get("spec").as_list().expect("spec")[0].get("replicas"),
        &Value::int(2)
    );

    // Destroy waits (foreground) until the pods are gone.
    d.destroy(state).await.expect("destroy");
    assert!(c.get(&["deployment", "web", "-n", &ns.name]).is_none());
    assert_eq!(count_pods(c, &ns.name, "web"), 0, "destroy leaves no pods");
}

#[tokio::test(flavor = "multi_thread")]
async fn a_rollout_that_cannot_finish_times_out_with_the_reason() {
    let c = shared();
    let ns = Ns::new(c, "stuck");
    let p = provider(c).await;
    let d = Res::new(
        &p,
        "kubernetes_deployment",
        deployment(&ns.name, "greedy", 1, json!({"nvidia.com/gpu": "100"}), "8s"),
    );
    let started = Instant::now();
    let err = d.apply(None).await.expect_err("the rollout cannot finish");
    eprintln!("the error: {err}");
    assert!(started.elapsed() < Duration::from_secs(60), "the timeout holds");
    assert!(err.contains(&format!("Deployment {}/greedy", ns.name)), "{err}");
    assert!(err.contains("1 of 1 replicas unavailable"), "{err}");
    assert!(err.contains("Insufficient nvidia.com/gpu"), "{err}");
}

#[tokio::test(flavor = "multi_thread")]
async fn a_job_waits_for_completion() {
    let c = shared();
    let ns = Ns::new(c, "job");
    let p = provider(c).await;
    let j = Res::new(
        &p,
        "kubernetes_job",
        json!({
            "metadata": [{"name": "train", "namespace": ns.name}],
            "spec": [{
                "backoff_limit": 1,
                "template": [{
                    "metadata": [{"labels": {"app": "train"}}],
                    "spec": [{
                        "restart_policy": "Never",
                        "container": [{"name": "train", "image": "registry.example/train:1",
                                       "command": ["python", "train.py"]}],
                        "toleration": [{"operator": "Exists"}],
                    }],
                }],
            }],
            "timeouts": [{"create": "2m"}],
        }),
    );
    let state = j.apply(None).await.expect("the job completes");
    let live = c.get(&["job", "train", "-n", &ns.name]).expect("job");
    assert_eq!(live["status"]["succeeded"], json!(1), "{live}");
    let state = j.assert_clean(&state).await;
    j.destroy(state).await.expect("destroy");
    assert!(c.get(&["job", "train", "-n", &ns.name]).is_none());
}

#[tokio::test(flavor = "multi_thread")]
async fn every_other_typed_kind_applies_and_re_reads_clean() {
    let c = shared();
    let ns = Ns::new(c, "kinds");
    let n = ns.name.as_str();
    let p = provider(c).await;
    let pc_name = unique("serving");
    let selector = json!([{"match_labels": {"app": "serve"}}]);
    let cases = [
        Res::new(
            &p,
            "kubernetes_service",
            json!({"metadata": [{"name": "serve", "namespace": n}],
                   "spec": [{"selector": {"app": "serve"},
                             "port": [{"name": "http", "port": 80, "target_port": "8080"},
                                      {"name": "grpc", "port": 9000, "target_port": "grpc"}]}]}),
        ),
        Res::new(
            &p,
            "kubernetes_horizontal_pod_autoscaler_v2",
            json!({"metadata": [{"name": "serve", "namespace": n}],
                   "spec": [{"scale_target_ref": [{"api_version": "apps/v1", "kind": "Deployment", "name": "serve"}],
                             "min_replicas": 2, "max_replicas": 10,
                             "metric": [{"type": "Resource", "resource": [{"name": "cpu",
                                 "target": [{"type": "Utilization", "average_utilization": 70}]}]},
                                        {"type": "Resource", "resource": [{"name": "memory",
                                 "target": [{"type": "AverageValue", "average_value": "1024Mi"}]}]}]}]}),
        ),
        Res::new(
            &p,
            "kubernetes_cron_job",
            json!({"metadata": [{"name": "drift-monitor", "namespace": n}],
                   "spec": [{"schedule": "0 2 * * *", "concurrency_policy": "Forbid",
                             "job_template": [{"spec": [{"backoff_limit": 2, "ttl_seconds_after_finished": "3600",
                                 "template": [{"spec": [{"restart_policy": "OnFailure",
                                     "container": [{"name": "monitor", "image": "registry.example/drift:1",
                                                    "args": ["--psi", "0.2"]}]}]}]}]}]}]}),
        ),
        Res::new(
            &p,
            "kubernetes_priority_class",
            json!({"metadata": [{"name": pc_name}], "value": 1000, "description": "serving first"}),
        ),
        Res::new(
            &p,
            "kubernetes_persistent_volume_claim",
            json!({"metadata": [{"name": "registry", "namespace": n}],
                   "spec": [{"access_modes": ["ReadWriteOnce"], "resources": [{"requests": {"storage": "1024Mi"}}],
                             "storage_class_name": ""}]}),
        ),
        Res::new(
            &p,
            "kubernetes_network_policy",
            json!({"metadata": [{"name": "serve-ingress", "namespace": n}],
                   "spec": [{"pod_selector": selector,
                             "ingress": [{"from": [{"namespace_selector": [{"match_labels": {"kubernetes.io/metadata.name": "ingress"}}]},
                                                   {"ip_block": [{"cidr": "10.0.0.0/8", "except": ["10.1.0.0/16"]}]}],
                                          "ports": [{"port": "8080"}]}],
                             "policy_types": ["Ingress"]}]}),
        ),
        Res::new(
            &p,
            "kubernetes_pod_disruption_budget",
            json!({"metadata": [{"name": "serve", "namespace": n}],
                   "spec": [{"selector": selector, "min_available": "50%"}]}),
        ),
        Res::new(
            &p,
            "kubernetes_limit_range",
            json!({"metadata": [{"name": "defaults", "namespace": n}],
                   "spec": [{"limit": [{"type": "Container", "default": {"cpu": "500m", "memory": "0.5Gi"},
                                        "default_request": {"cpu": "0.25"}}]}]}),
        ),
    ];
    for r in &cases {
        let state = r.apply(None).await.unwrap_or_else(|e| panic!("{}: {e}", r.type_name));
        let state = r.assert_clean(&state).await;
        if r.type_name == "kubernetes_service" {
            let ip = state.get("spec").as_list().expect("spec")[0].get("cluster_ip").clone();
            assert!(ip.as_str().is_some_and(|s| !s.is_empty()), "cluster_ip is read: {ip:?}");
            let live = c.get(&["service", "serve", "-n", n]).expect("service");
            assert_eq!(live["spec"]["ports"][0]["targetPort"], json!(8080), "{live}");
            assert_eq!(live["spec"]["ports"][1]["targetPort"], json!("grpc"), "{live}");
        }
        r.destroy(state)
            .await
            .unwrap_or_else(|e| panic!("{}: {e}", r.type_name));
    }
    assert!(c.get(&["priorityclass", &pc_name]).is_none());
    for kind in ["service", "hpa", "cronjob", "pvc", "networkpolicy", "pdb", "limitrange"] {
        let left = c.get(&[kind, "-n", n]).expect("list");
        assert_eq!(left["items"], json!([]), "{kind} left behind");
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn a_delete_held_by_a_finalizer_times_out_naming_it() {
    let c = shared();
    let ns = Ns::new(c, "held");
    let p = provider(c).await;
    let mut config = deployment(&ns.name, "held", 1, json!({"cpu": "100m"}), "3m");
    config["wait_for_rollout"] = json!(false);
    config["timeouts"][0]["delete"] = json!("3s");
    let d = Res::new(&p, "kubernetes_deployment", config);
    let state = d.apply(None).await.expect("applied");
    c.kubectl_ok(&[
        "patch",
        "deployment",
        "held",
        "-n",
        &ns.name,
        "--type=merge",
        "-p",
        r#"{"metadata":{"finalizers":["example.com/hold"]}}"#,
    ]);
    let err = d.destroy(state).await.expect_err("the finalizer holds it");
    assert!(
        err.contains("Deployment \"held\" was still there 3s after its delete"),
        "{err}"
    );
    assert!(err.contains("example.com/hold"), "{err}");
    c.kubectl_ok(&[
        "patch",
        "deployment",
        "held",
        "-n",
        &ns.name,
        "--type=json",
        "-p",
        r#"[{"op":"remove","path":"/metadata/finalizers"}]"#,
    ]);
}

#[tokio::test(flavor = "multi_thread")]
async fn a_failed_job_is_one_error_with_its_failure_message() {
    let c = shared();
    let ns = Ns::new(c, "jobfail");
    let p = provider(c).await;
    // Pods that cannot be scheduled, and a deadline: the Job controller fails the job.
    let j = Res::new(
        &p,
        "kubernetes_job",
        json!({
            "metadata": [{"name": "doomed", "namespace": ns.name}],
            "spec": [{
                "active_deadline_seconds": 2,
                "template": [{
                    "spec": [{
                        "restart_policy": "Never",
                        "container": [{"name": "train", "image": "registry.example/train:1",
                                       "resources": [{"requests": {"nvidia.com/gpu": "100"},
                                                      "limits": {"nvidia.com/gpu": "100"}}]}],
                    }],
                }],
            }],
            "timeouts": [{"create": "1m"}],
        }),
    );
    let err = j.apply(None).await.expect_err("the job fails");
    assert!(
        err.contains(&format!("Job {}/doomed failed: DeadlineExceeded", ns.name)),
        "{err}"
    );
    let live = c
        .get(&["job", "doomed", "-n", &ns.name])
        .expect("the job stays, failed");
    let failed = live["status"]["conditions"]
        .as_array()
        .is_some_and(|cs| cs.iter().any(|c| c["type"] == "Failed" && c["status"] == "True"));
    assert!(failed, "{live}");
}

#[tokio::test(flavor = "multi_thread")]
async fn a_written_object_whose_wait_fails_comes_back_as_partial_state() {
    // The engine keeps such an object in state (tainted after a create) rather than losing it:
    // the error carries the state a success would have returned, read from the written object.
    let c = shared();
    let ns = Ns::new(c, "partial");
    let p = provider(c).await;
    let d = Res::new(
        &p,
        "kubernetes_deployment",
        deployment(&ns.name, "greedy", 1, json!({"nvidia.com/gpu": "100"}), "3s"),
    );
    let err = d.apply_error(None).await;
    assert_eq!(err.code.as_deref(), Some("WaitTimeout"), "{}", err.message);
    let state = err
        .partial
        .as_deref()
        .expect("the deployment's state comes with the error");
    let live = c
        .get(&["deployment", "greedy", "-n", &ns.name])
        .expect("the deployment was written");
    assert_eq!(state.get("id").as_str(), Some(format!("{}/greedy", ns.name).as_str()));
    let meta = state
        .get("metadata")
        .as_list()
        .and_then(|m| m.first())
        .cloned()
        .unwrap_or_default();
    assert_eq!(
        meta.get("uid").as_str(),
        live["metadata"]["uid"].as_str(),
        "{}",
        state.to_json()
    );
    // The state is one a refresh agrees with: a plan from it changes nothing.
    d.assert_clean(state).await;

    let j = Res::new(
        &p,
        "kubernetes_job",
        json!({
            "metadata": [{"name": "doomed", "namespace": ns.name}],
            "spec": [{
                "active_deadline_seconds": 1,
                "template": [{
                    "spec": [{
                        "restart_policy": "Never",
                        "container": [{"name": "train", "image": "registry.example/train:1",
                                       "resources": [{"requests": {"nvidia.com/gpu": "100"},
                                                      "limits": {"nvidia.com/gpu": "100"}}]}],
                    }],
                }],
            }],
            "timeouts": [{"create": "1m"}],
        }),
    );
    let err = j.apply_error(None).await;
    assert_eq!(err.code.as_deref(), Some("JobFailed"), "{}", err.message);
    let state = err.partial.as_deref().expect("the job's state comes with the error");
    assert_eq!(state.get("id").as_str(), Some(format!("{}/doomed", ns.name).as_str()));
}
