//! `kubernetes_manifest`, the data sources and the provider's error messages against the real
//! control plane (`plinth-test-cluster`), driven through `plinth_sdk::Provider` the way the engine
//! drives it (plan, then apply the planned value) and checked with kubectl.
//!
//! Every test works in namespaces of its own. The InferenceService CRD is KServe's, trimmed, in a
//! group of the test's own (`<unique>.serving.kserve.io`): a CRD is cluster-wide, and tests of other
//! files may apply and delete `serving.kserve.io` itself while these run.

use std::path::Path;

use plinth_kubernetes::KubernetesProvider;
use plinth_sdk::{
    ApplyRequest, ConfigureRequest, ErrorKind, ImportRequest, PlanRequest, Provider, ProviderError, ReadDataRequest,
    ReadInstance, ReadRequest, Value,
};
use plinth_test_cluster::{Cluster, shared, unique};
use serde_json::{Value as Json, json};

const MANIFEST: &str = "kubernetes_manifest";

async fn provider_with(config: Value) -> KubernetesProvider {
    let p = KubernetesProvider::new();
    p.configure(ConfigureRequest {
        config,
        working_dir: std::env::temp_dir(),
    })
    .await
    .expect("configure");
    p
}

async fn provider(kubeconfig: &Path) -> KubernetesProvider {
    provider_with(Value::object([(
        "config_path",
        Value::string(kubeconfig.display().to_string()),
    )]))
    .await
}

/// A resource configuration as the engine passes it: every attribute present.
fn config(manifest: Json, blocks: &[(&str, Value)]) -> Value {
    let mut v = Value::object([
        ("manifest", Value::from_json(&manifest)),
        ("computed_fields", Value::Null),
        ("field_manager", Value::List(vec![])),
        ("wait", Value::List(vec![])),
        ("timeouts", Value::List(vec![])),
        ("object", Value::Null),
        ("id", Value::Null),
    ]);
    for (k, b) in blocks {
        v = v.with_at(&plinth_sdk::AttrPath::attr(k), Value::List(vec![b.clone()]));
    }
    v
}

async fn plan(p: &KubernetesProvider, prior: Option<&Value>, config: &Value) -> Result<Value, ProviderError> {
    p.plan(PlanRequest {
        type_name: MANIFEST.into(),
        address: "kubernetes_manifest.t".into(),
        prior: prior.cloned(),
        config: config.clone(),
    })
    .await
    .map(|r| r.planned)
}

async fn apply_planned(
    p: &KubernetesProvider,
    prior: Option<&Value>,
    planned: Value,
    config: &Value,
) -> Result<Value, ProviderError> {
    p.apply(ApplyRequest {
        type_name: MANIFEST.into(),
        address: "kubernetes_manifest.t".into(),
        prior: prior.cloned(),
        planned: Some(planned),
        config: config.clone(),
        ..Default::default()
    })
    .await
    .map(|r| r.new_state.expect("a state"))
}

/// Plan and apply, as `plinth apply` does.
async fn apply(p: &KubernetesProvider, prior: Option<&Value>, config: &Value) -> Result<Value, ProviderError> {
    let planned = plan(p, prior, config).await?;
    apply_planned(p, prior, planned, config).await
}

async fn destroy(p: &KubernetesProvider, state: &Value) {
    p.apply(ApplyRequest {
        type_name: MANIFEST.into(),
        address: "kubernetes_manifest.t".into(),
        prior: Some(state.clone()),
        planned: None,
        config: Value::Null,
        ..Default::default()
    })
    .await
    .expect("delete");
}

async fn refresh(p: &KubernetesProvider, state: &Value) -> Option<Value> {
    p.read(ReadRequest {
        type_name: MANIFEST.into(),
        instances: vec![ReadInstance {
            address: "kubernetes_manifest.t".into(),
            state: state.clone(),
        }],
    })
    .await
    .expect("read")
    .states
    .pop()
    .flatten()
}

/// A namespace of the test's own, deleted (without waiting) when dropped.
struct Namespace<'a> {
    cluster: &'a Cluster,
    name: String,
}

impl<'a> Namespace<'a> {
    fn new(cluster: &'a Cluster, prefix: &str) -> Self {
        let name = unique(prefix);
        cluster.kubectl_ok(&["create", "namespace", &name]);
        Namespace { cluster, name }
    }
}

impl Drop for Namespace<'_> {
    fn drop(&mut self) {
        let _ = self
            .cluster
            .kubectl(&["delete", "namespace", &self.name, "--wait=false"]);
    }
}

/// KServe's InferenceService CRD, trimmed to `spec.predictor.model.{modelFormat.name, storageUri}`
/// (KServe requires `modelFormat`), in `group`.
fn inference_service_crd(group: &str) -> Json {
    json!({
        "apiVersion": "apiextensions.k8s.io/v1",
        "kind": "CustomResourceDefinition",
        "metadata": {"name": format!("inferenceservices.{group}")},
        "spec": {
            "group": group,
            "names": {"kind": "InferenceService", "listKind": "InferenceServiceList", "plural": "inferenceservices",
                      "singular": "inferenceservice", "shortNames": ["isvc"]},
            "scope": "Namespaced",
            "versions": [{
                "name": "v1beta1", "served": true, "storage": true,
                "subresources": {"status": {}},
                "schema": {"openAPIV3Schema": {
                    "type": "object",
                    "properties": {
                        "spec": {"type": "object", "properties": {
                            "predictor": {"type": "object", "properties": {
                                "model": {"type": "object", "required": ["modelFormat"], "properties": {
                                    "modelFormat": {"type": "object", "properties": {"name": {"type": "string"}}},
                                    "storageUri": {"type": "string"}
                                }}
                            }}
                        }},
                        "status": {"type": "object", "x-kubernetes-preserve-unknown-fields": true}
                    }
                }}
            }]
        }
    })
}

fn inference_service(group: &str, ns: &str, name: &str, model: Json) -> Json {
    json!({
        "apiVersion": format!("{group}/v1beta1"),
        "kind": "InferenceService",
        "metadata": {"name": name, "namespace": ns},
        "spec": {"predictor": {"model": model}}
    })
}

#[tokio::test(flavor = "multi_thread")]
async fn a_crd_and_an_object_of_its_kind_apply_in_one_run_and_a_rejected_object_quotes_the_server() {
    let cluster = shared();
    let ns = Namespace::new(cluster, "mf-crd");
    let group = format!("{}.serving.kserve.io", unique("g"));
    let p = provider(&cluster.kubeconfig()).await;

    // One plan for both, before either exists (as `plinth plan` does): the kind is unknown to the
    // server, and planning the object must not need it.
    let crd_config = config(inference_service_crd(&group), &[]);
    let model = json!({"modelFormat": {"name": "sklearn"}, "storageUri": "gs://models/iris"});
    let isvc_config = config(inference_service(&group, &ns.name, "iris", model), &[]);
    let crd_planned = plan(&p, None, &crd_config).await.expect("plan the CRD");
    let isvc_planned = plan(&p, None, &isvc_config)
        .await
        .expect("plan an object of a kind not yet served");
    assert_eq!(isvc_planned.get("object"), &Value::Unknown);

    // Apply in dependency order: the CRD's apply returns once it is Established.
    let crd = apply_planned(&p, None, crd_planned, &crd_config)
        .await
        .expect("apply the CRD");
    let established = cluster
        .get(&["crd", &format!("inferenceservices.{group}")])
        .expect("the CRD exists");
    let conditions = established["status"]["conditions"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    assert!(
        conditions
            .iter()
            .any(|c| c["type"] == "Established" && c["status"] == "True"),
        "{conditions:?}"
    );
    let isvc = apply_planned(&p, None, isvc_planned, &isvc_config)
        .await
        .expect("apply the InferenceService right after its CRD");
    let live = cluster
        .get(&["-n", &ns.name, &format!("inferenceservices.{group}"), "iris"])
        .expect("the InferenceService exists");
    assert_eq!(live["spec"]["predictor"]["model"]["storageUri"], "gs://models/iris");
    assert_eq!(
        isvc.get("object").to_json()["spec"]["predictor"]["model"]["modelFormat"]["name"],
        "sklearn"
    );

    // Refreshed and planned again: nothing to change.
    let refreshed = refresh(&p, &isvc).await.expect("still there");
    assert_eq!(refreshed.get("object"), isvc.get("object"));
    let again = plan(&p, Some(&refreshed), &isvc_config).await.expect("re-plan");
    assert_eq!(
        again.get("object"),
        isvc.get("object"),
        "a clean re-plan keeps the object"
    );

    // The CRD's schema rejects an object without modelFormat (422, the field path quoted) and one
    // whose storageUri is not a string.
    let missing = config(
        inference_service(&group, &ns.name, "bad", json!({"storageUri": "gs://x"})),
        &[],
    );
    let e = apply(&p, None, &missing)
        .await
        .expect_err("rejected by the CRD's schema");
    assert_eq!(e.kind, ErrorKind::Invalid, "{e:?}");
    assert!(e.message.contains("spec.predictor.model.modelFormat"), "{}", e.message);
    assert!(e.message.contains("Required value"), "{}", e.message);
    let wrong_type = config(
        inference_service(
            &group,
            &ns.name,
            "bad",
            json!({"modelFormat": {"name": "sklearn"}, "storageUri": 5}),
        ),
        &[],
    );
    let e = apply(&p, None, &wrong_type)
        .await
        .expect_err("rejected by the CRD's schema");
    assert_eq!(e.kind, ErrorKind::Invalid, "{e:?}");
    assert!(
        e.message.contains(".spec.predictor.model.storageUri: expected string"),
        "{}",
        e.message
    );

    destroy(&p, &isvc).await;
    assert!(
        cluster
            .get(&["-n", &ns.name, &format!("inferenceservices.{group}"), "iris"])
            .is_none()
    );
    destroy(&p, &crd).await;
    assert!(cluster.get(&["crd", &format!("inferenceservices.{group}")]).is_none());
}

#[tokio::test(flavor = "multi_thread")]
async fn an_unknown_kind_plans_and_then_fails_naming_it_and_the_missing_crd() {
    let cluster = shared();
    let p = provider(&cluster.kubeconfig()).await;
    let c = config(
        json!({"apiVersion": "widgets.example.com/v1", "kind": "Widget", "metadata": {"name": "w", "namespace": "default"}}),
        &[],
    );
    let planned = plan(&p, None, &c).await.expect("plan succeeds");
    let e = apply_planned(&p, None, planned, &c).await.expect_err("no such kind");
    assert_eq!(e.kind, ErrorKind::NotFound);
    assert!(
        e.message
            .contains("no kind \"Widget\" in apiVersion \"widgets.example.com/v1\""),
        "{}",
        e.message
    );
    assert!(e.message.contains("CustomResourceDefinition"), "{}", e.message);
}

#[tokio::test(flavor = "multi_thread")]
async fn a_field_another_manager_took_is_drift_and_a_conflict_until_force_conflicts() {
    let cluster = shared();
    let ns = Namespace::new(cluster, "mf-conflict");
    let p = provider(&cluster.kubeconfig()).await;
    let manifest = json!({"apiVersion": "v1", "kind": "ConfigMap",
                          "metadata": {"name": "cfg", "namespace": ns.name}, "data": {"k": "v"}});
    let c = config(manifest.clone(), &[]);
    let state = apply(&p, None, &c).await.expect("create");
    assert_eq!(
        cluster.kubectl_ok(&["-n", &ns.name, "get", "cm", "cfg", "-o", "jsonpath={.data.k}"]),
        "v"
    );

    // A server-default field or another manager's extra key is not drift.
    cluster.kubectl_ok(&["-n", &ns.name, "label", "cm", "cfg", "team=other"]);
    let refreshed = refresh(&p, &state).await.expect("exists");
    assert_eq!(refreshed.get("object"), state.get("object"));

    // Another manager takes the field Plinth owns with server-side apply.
    let mut child = std::process::Command::new("kubectl")
        .arg("--kubeconfig")
        .arg(cluster.kubeconfig())
        .args([
            "apply",
            "--server-side",
            "--force-conflicts",
            "--field-manager=other",
            "-f",
            "-",
        ])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::null())
        .spawn()
        .expect("kubectl");
    {
        use std::io::Write as _;
        let mut stdin = child.stdin.take().expect("stdin");
        stdin
            .write_all(
                format!(
                    "apiVersion: v1\nkind: ConfigMap\nmetadata: {{name: cfg, namespace: {}}}\ndata: {{k: other}}\n",
                    ns.name
                )
                .as_bytes(),
            )
            .expect("write");
    }
    assert!(child.wait().expect("kubectl").success());

    let drifted = refresh(&p, &state).await.expect("exists");
    assert_eq!(drifted.get("object").get("data").get("k"), &Value::string("other"));
    let planned = plan(&p, Some(&drifted), &c).await.expect("plan");
    assert_eq!(
        planned.get("object").get("data").get("k"),
        &Value::string("v"),
        "the plan shows what the apply changes"
    );
    let e = apply_planned(&p, Some(&drifted), planned, &c)
        .await
        .expect_err("a conflict");
    assert_eq!(e.kind, ErrorKind::Conflict, "{e:?}");
    assert!(e.message.contains("conflict with \"other\""), "{}", e.message);
    assert!(e.message.contains(".data.k"), "{}", e.message);
    assert!(
        e.hint.as_deref().is_some_and(|h| h.contains("force_conflicts = true")),
        "{:?}",
        e.hint
    );
    assert_eq!(
        cluster.kubectl_ok(&["-n", &ns.name, "get", "cm", "cfg", "-o", "jsonpath={.data.k}"]),
        "other"
    );

    let forced = config(
        manifest,
        &[(
            "field_manager",
            Value::object([("name", Value::Null), ("force_conflicts", Value::Bool(true))]),
        )],
    );
    let state = apply(&p, Some(&drifted), &forced).await.expect("forced");
    assert_eq!(
        cluster.kubectl_ok(&["-n", &ns.name, "get", "cm", "cfg", "-o", "jsonpath={.data.k}"]),
        "v"
    );
    let refreshed = refresh(&p, &state).await.expect("exists");
    let again = plan(&p, Some(&refreshed), &forced).await.expect("re-plan");
    assert_eq!(again.get("object"), refreshed.get("object"), "clean after taking over");

    // Import by Terraform's id finds the same object.
    let imported = p
        .import(ImportRequest {
            type_name: MANIFEST.into(),
            address: "kubernetes_manifest.t".into(),
            id: format!("apiVersion=v1,kind=ConfigMap,namespace={},name=cfg", ns.name),
        })
        .await
        .expect("import");
    assert_eq!(imported.get("manifest").get("data").get("k"), &Value::string("v"));
    assert_eq!(
        imported.get("id"),
        &Value::string(format!("apiVersion=v1,kind=ConfigMap,namespace={},name=cfg", ns.name))
    );
    destroy(&p, &state).await;
    assert!(cluster.get(&["-n", &ns.name, "cm", "cfg"]).is_none());
}

#[tokio::test(flavor = "multi_thread")]
async fn wait_blocks_until_a_condition_and_a_field_hold_and_a_timeout_says_what_it_saw() {
    let cluster = shared();
    let ns = Namespace::new(cluster, "mf-wait");
    let p = provider(&cluster.kubeconfig()).await;
    // KWOK makes the Pod Running and Ready on the fake node.
    let pod = json!({"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "p", "namespace": ns.name},
                     "spec": {"containers": [{"name": "main", "image": "registry.example/serve:1"}]}});
    let wait = Value::object([
        ("fields", Value::object([("status.phase", Value::string("^Running$"))])),
        ("rollout", Value::Null),
        (
            "condition",
            Value::List(vec![Value::object([
                ("type", Value::string("Ready")),
                ("status", Value::string("True")),
            ])]),
        ),
    ]);
    let state = apply(&p, None, &config(pod, &[("wait", wait)]))
        .await
        .expect("the Pod becomes Ready");
    let live = cluster.get(&["-n", &ns.name, "pod", "p"]).expect("the Pod");
    assert_eq!(live["status"]["phase"], "Running");

    let cm = json!({"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "never", "namespace": ns.name}});
    let wait = Value::object([
        ("fields", Value::object([("status.phase", Value::string("Succeeded"))])),
        ("rollout", Value::Null),
        ("condition", Value::List(vec![])),
    ]);
    let timeouts = Value::object([
        ("create", Value::string("2s")),
        ("update", Value::Null),
        ("delete", Value::Null),
    ]);
    let e = apply(&p, None, &config(cm, &[("wait", wait), ("timeouts", timeouts)]))
        .await
        .expect_err("a ConfigMap has no status");
    assert_eq!(
        e.message,
        "ConfigMap \"never\" was applied but not ready after 2s: waited for status.phase to match /Succeeded/ (it is no such field)"
    );
    // The ConfigMap was written: its state comes with the error, for the engine to keep tainted.
    let written = e.partial.as_deref().expect("the written object's state");
    assert_eq!(
        written.get("id"),
        &Value::string(format!("apiVersion=v1,kind=ConfigMap,namespace={},name=never", ns.name))
    );
    assert!(cluster.get(&["-n", &ns.name, "cm", "never"]).is_some());
    destroy(&p, &state).await;
}

#[tokio::test(flavor = "multi_thread")]
async fn the_data_sources_read_what_kubectl_made_and_keep_the_secret_sensitive() {
    let cluster = shared();
    let ns = Namespace::new(cluster, "mf-data");
    cluster.kubectl_ok(&["label", "namespace", &ns.name, "team=ml"]);
    cluster.kubectl_ok(&[
        "-n",
        &ns.name,
        "create",
        "secret",
        "generic",
        "db",
        "--from-literal=password=s3cret",
    ]);
    for (name, tier) in [("a", "serving"), ("b", "serving"), ("c", "batch")] {
        cluster.kubectl_ok(&["-n", &ns.name, "create", "configmap", name, "--from-literal=x=1"]);
        cluster.kubectl_ok(&["-n", &ns.name, "label", "configmap", name, &format!("tier={tier}")]);
    }
    let p = provider(&cluster.kubeconfig()).await;
    let read = |type_name: &str, config: Value| {
        let p = &p;
        let type_name = type_name.to_string();
        async move {
            p.read_data(ReadDataRequest {
                type_name: type_name.clone(),
                address: format!("data.{type_name}.t"),
                config,
            })
            .await
        }
    };
    let meta = |name: &str, namespace: Option<&str>| {
        Value::List(vec![Value::object([
            ("name", Value::string(name)),
            ("namespace", namespace.map_or(Value::Null, Value::string)),
        ])])
    };

    let n = read(
        "kubernetes_namespace",
        Value::object([("metadata", meta(&ns.name, None))]),
    )
    .await
    .expect("namespace");
    let m = &n.get("metadata").as_list().expect("metadata")[0];
    assert_eq!(m.get("labels").get("team"), &Value::string("ml"));
    let uid = cluster.kubectl_ok(&["get", "namespace", &ns.name, "-o", "jsonpath={.metadata.uid}"]);
    assert_eq!(m.get("uid"), &Value::string(uid));
    assert_eq!(
        n.get("spec").as_list().expect("spec")[0].get("finalizers"),
        &Value::List(vec![Value::string("kubernetes")])
    );

    let s = read(
        "kubernetes_secret",
        Value::object([("metadata", meta("db", Some(&ns.name)))]),
    )
    .await
    .expect("secret");
    assert!(s.get("data").is_sensitive(), "the secret's data is marked sensitive");
    assert_eq!(
        s.get("data").strip_sensitive().get("password"),
        &Value::string("s3cret")
    );
    assert_eq!(s.get("type"), &Value::string("Opaque"));
    assert!(
        !format!("{:?}", s.redact()).contains("s3cret"),
        "redacted, the value is gone"
    );

    let listed = read(
        "kubernetes_resources",
        Value::object([
            ("api_version", Value::string("v1")),
            ("kind", Value::string("ConfigMap")),
            ("namespace", Value::string(&ns.name)),
            ("label_selector", Value::string("tier=serving")),
            ("field_selector", Value::Null),
            ("limit", Value::Null),
        ]),
    )
    .await
    .expect("resources");
    let names: Vec<&str> = listed
        .get("objects")
        .as_list()
        .expect("objects")
        .iter()
        .filter_map(|o| o.get("metadata").get("name").as_str())
        .collect();
    assert_eq!(names, ["a", "b"]);

    let e = read(
        "kubernetes_secret",
        Value::object([("metadata", meta("nope", Some(&ns.name)))]),
    )
    .await
    .expect_err("no such secret");
    assert!(e.message.contains("does not exist"), "{}", e.message);
}

#[tokio::test(flavor = "multi_thread")]
async fn forbidden_a_refused_token_and_an_unreachable_server_are_one_clear_error_each() {
    let cluster = shared();
    let ns = Namespace::new(cluster, "mf-rbac");
    let restricted = provider(&cluster.kubeconfig_restricted()).await;
    let c = config(
        json!({"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "c", "namespace": ns.name}}),
        &[],
    );
    let e = apply(&restricted, None, &c).await.expect_err("forbidden");
    assert_eq!(e.kind, ErrorKind::Forbidden, "{e:?}");
    assert!(e.message.contains("User \"restricted\""), "{}", e.message);
    assert!(e.hint.as_deref().is_some_and(|h| h.contains("RBAC")), "{:?}", e.hint);
    let e = restricted
        .read_data(ReadDataRequest {
            type_name: "kubernetes_namespace".into(),
            address: "data.kubernetes_namespace.t".into(),
            config: Value::object([(
                "metadata",
                Value::List(vec![Value::object([("name", Value::string(&ns.name))])]),
            )]),
        })
        .await
        .expect_err("forbidden");
    assert!(
        e.message.contains(&format!(
            "namespaces \"{}\" is forbidden: User \"restricted\" cannot get resource \"namespaces\"",
            ns.name
        )),
        "{}",
        e.message
    );

    // Allowed to read but not to write, the identity can still refresh and plan (without the
    // server's dry run), and the apply is refused with the verb named.
    cluster.kubectl_ok(&[
        "-n",
        &ns.name,
        "create",
        "role",
        "reader",
        "--verb=get,list",
        "--resource=configmaps",
    ]);
    cluster.kubectl_ok(&[
        "-n",
        &ns.name,
        "create",
        "rolebinding",
        "reader",
        "--role=reader",
        "--user=restricted",
    ]);
    let admin = provider(&cluster.kubeconfig()).await;
    let state = apply(&admin, None, &c).await.expect("created by the admin");
    let mut refreshed = None;
    // RBAC takes a moment to reach the authorizer's cache.
    for _ in 0..50 {
        match restricted
            .read(ReadRequest {
                type_name: MANIFEST.into(),
                instances: vec![ReadInstance {
                    address: "kubernetes_manifest.t".into(),
                    state: state.clone(),
                }],
            })
            .await
        {
            Ok(r) => {
                refreshed = r.states.into_iter().next().flatten();
                break;
            }
            Err(_) => tokio::time::sleep(std::time::Duration::from_millis(100)).await,
        }
    }
    let refreshed = refreshed.expect("the reader refreshes");
    let planned = plan(&restricted, Some(&refreshed), &c).await.expect("the reader plans");
    assert_eq!(planned.get("object"), refreshed.get("object"), "nothing to change");
    let changed = config(
        json!({"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "c", "namespace": ns.name},
               "data": {"k": "v"}}),
        &[],
    );
    let e = apply(&restricted, Some(&refreshed), &changed)
        .await
        .expect_err("no patch");
    assert!(
        e.message
            .contains("User \"restricted\" cannot patch resource \"configmaps\""),
        "{}",
        e.message
    );
    destroy(&admin, &state).await;

    let wrong_token = provider_with(Value::object([
        ("host", Value::string(cluster.server())),
        ("token", Value::string("not-the-token")),
        ("insecure", Value::Bool(true)),
    ]))
    .await;
    let e = apply(&wrong_token, None, &c).await.expect_err("401");
    assert_eq!(e.kind, ErrorKind::Forbidden, "{e:?}");
    assert!(e.message.contains("refused the credentials"), "{}", e.message);
    assert!(e.message.contains("kubeconfig"), "{}", e.message);

    let nowhere = provider_with(Value::object([
        ("host", Value::string("https://127.0.0.1:1")),
        ("insecure", Value::Bool(true)),
    ]))
    .await;
    let e = apply(&nowhere, None, &c).await.expect_err("unreachable");
    assert_eq!(e.kind, ErrorKind::Transient, "{e:?}");
    assert!(
        e.message
            .contains("cannot reach the Kubernetes API server at https://127.0.0.1:1"),
        "{}",
        e.message
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn refresh_reads_many_objects_of_a_kind_in_a_namespace_with_one_list() {
    let cluster = shared();
    let ns = Namespace::new(cluster, "mf-batch");
    let p = provider(&cluster.kubeconfig()).await;
    let mut states = Vec::new();
    for name in ["a", "b", "c", "d"] {
        let c = config(
            json!({"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": name, "namespace": ns.name},
                   "data": {"k": name}}),
            &[],
        );
        states.push(apply(&p, None, &c).await.expect("create"));
    }
    cluster.kubectl_ok(&["-n", &ns.name, "delete", "configmap", "d"]);
    let reads = |events: &[Json]| {
        events
            .iter()
            .filter(|e| {
                e["objectRef"]["namespace"] == ns.name.as_str()
                    && e["objectRef"]["resource"] == "configmaps"
                    && (e["verb"] == "get" || e["verb"] == "list")
                    && !e["userAgent"].as_str().is_some_and(|a| a.starts_with("kubectl"))
            })
            .count()
    };
    let before = reads(&cluster.audit());
    let refreshed = p
        .read(ReadRequest {
            type_name: MANIFEST.into(),
            instances: states
                .iter()
                .map(|s| ReadInstance {
                    address: "kubernetes_manifest.t".into(),
                    state: s.clone(),
                })
                .collect(),
        })
        .await
        .expect("read")
        .states;
    assert_eq!(
        refreshed
            .iter()
            .map(|s| s.as_ref().map(|s| s.get("object").get("data").get("k").clone()))
            .collect::<Vec<_>>(),
        vec![
            Some(Value::string("a")),
            Some(Value::string("b")),
            Some(Value::string("c")),
            None
        ]
    );
    // The audit log is written as requests finish; give it a moment.
    let mut after = reads(&cluster.audit());
    for _ in 0..20 {
        if after > before {
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(100));
        after = reads(&cluster.audit());
    }
    assert_eq!(after - before, 1, "one LIST for four objects");
}

#[tokio::test(flavor = "multi_thread")]
async fn a_secret_manifest_is_sensitive_and_refreshes_from_redacted_state_without_a_change() {
    let cluster = shared();
    let ns = Namespace::new(cluster, "mf-secret");
    let p = provider(&cluster.kubeconfig()).await;
    let c = config(
        json!({"apiVersion": "v1", "kind": "Secret", "metadata": {"name": "db", "namespace": ns.name},
               "data": {"password": "czNjcmV0"}, "stringData": {"user": "mlflow"}}),
        &[],
    );
    let state = apply(&p, None, &c).await.expect("create");
    for attr in ["manifest", "object"] {
        assert!(state.get(attr).get("data").is_sensitive(), "{attr}.data is sensitive");
    }
    assert_eq!(
        cluster.kubectl_ok(&["-n", &ns.name, "get", "secret", "db", "-o", "jsonpath={.data.user}"]),
        "bWxmbG93"
    );
    // What the engine stores and hands back to refresh: the sensitive values redacted (null).
    let redact = |v: Value, attr: &str, keys: &[&str]| {
        keys.iter().fold(v, |v, k| {
            v.with_at(
                &plinth_sdk::AttrPath(vec![
                    plinth_sdk::PathStep::Attr(attr.into()),
                    plinth_sdk::PathStep::Key((*k).into()),
                ]),
                Value::Null,
            )
        })
    };
    let stored = redact(
        redact(state.clone(), "manifest", &["data", "stringData"]),
        "object",
        &["data"],
    );
    let refreshed = refresh(&p, &stored).await.expect("exists");
    assert_eq!(refreshed.get("object"), state.get("object"));
    assert!(refreshed.get("object").get("data").is_sensitive());
    let again = plan(&p, Some(&refreshed), &c).await.expect("re-plan");
    assert_eq!(again.get("object"), refreshed.get("object"), "no change");
    destroy(&p, &state).await;
    assert!(cluster.get(&["-n", &ns.name, "secret", "db"]).is_none());
}
