//! Deletes wait until the object is gone, against the real control plane
//! (`plinth_test_cluster::shared()`): a ConfigMap held by a finalizer stays, marked for deletion,
//! until someone removes the finalizer, and the provider's delete returns only then; a namespace
//! is gone (the namespace controller has emptied and removed it) when its delete returns. The
//! provider is driven through its `Provider` trait, as the engine drives it; every check is made
//! with kubectl.

use std::path::PathBuf;
use std::time::Duration;

use plinth_kubernetes::KubernetesProvider;
use plinth_sdk::{ApplyRequest, ConfigureRequest, Provider, Value};
use plinth_test_cluster::{Cluster, shared, unique};

/// A namespace of the test's own, deleted when the test ends (the finalizer first, should the test
/// have failed while it held the config map: a held object keeps its namespace forever).
struct Namespace {
    k8s: &'static Cluster,
    name: String,
}

impl Namespace {
    fn new(prefix: &str) -> Namespace {
        let k8s = shared();
        let name = unique(prefix);
        k8s.kubectl_ok(&["create", "namespace", &name]);
        Namespace { k8s, name }
    }
}

impl Drop for Namespace {
    fn drop(&mut self) {
        let _ = self.k8s.kubectl(&[
            "-n",
            &self.name,
            "patch",
            "configmap",
            "held",
            "--type",
            "json",
            "-p",
            r#"[{"op":"remove","path":"/metadata/finalizers"}]"#,
        ]);
        let _ = self
            .k8s
            .kubectl(&["delete", "namespace", &self.name, "--ignore-not-found", "--wait=false"]);
    }
}

async fn provider(k8s: &Cluster) -> KubernetesProvider {
    let p = KubernetesProvider::new();
    p.configure(ConfigureRequest {
        config: Value::object([("config_path", Value::string(k8s.kubeconfig().display().to_string()))]),
        working_dir: PathBuf::from("."),
    })
    .await
    .expect("the provider connects with the admin kubeconfig");
    p
}

/// The state of an object as the provider keeps it: enough for a delete to find it.
fn state(name: &str, namespace: Option<&str>) -> Value {
    let mut meta = vec![("name", Value::string(name))];
    if let Some(ns) = namespace {
        meta.push(("namespace", Value::string(ns)));
    }
    Value::object([("metadata", Value::List(vec![Value::object(meta)]))])
}

fn delete(type_name: &str, prior: Value) -> ApplyRequest {
    ApplyRequest {
        type_name: type_name.to_string(),
        address: format!("{type_name}.test"),
        prior: Some(prior),
        planned: None,
        config: Value::Null,
        ..Default::default()
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_delete_held_by_a_finalizer_waits_until_the_finalizer_is_removed() {
    let ns = Namespace::new("held");
    let k8s = ns.k8s;
    k8s.apply(&format!(
        "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: held\n  namespace: {}\n  \
         finalizers: [example.com/hold]\ndata: {{k: v}}\n",
        ns.name
    ));
    let p = provider(k8s).await;
    let name = ns.name.clone();
    let deleting = tokio::spawn(async move {
        p.apply(delete("kubernetes_config_map", state("held", Some(&name))))
            .await
    });

    // The server marks the object for deletion and keeps it while the finalizer is there; the
    // delete keeps waiting.
    let mut marked = false;
    for _ in 0..100 {
        let obj = k8s
            .get(&["-n", &ns.name, "configmap", "held"])
            .expect("held by its finalizer");
        if obj["metadata"]["deletionTimestamp"].is_string() {
            marked = true;
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert!(marked, "the config map was never marked for deletion");
    tokio::time::sleep(Duration::from_secs(2)).await;
    if deleting.is_finished() {
        let early = deleting.await;
        panic!("the delete returned while the finalizer still held the object: {early:?}");
    }
    assert!(k8s.get(&["-n", &ns.name, "configmap", "held"]).is_some());

    // Someone removes the finalizer: the object goes, and only now does the delete return.
    k8s.kubectl_ok(&[
        "-n",
        &ns.name,
        "patch",
        "configmap",
        "held",
        "--type",
        "json",
        "-p",
        r#"[{"op":"remove","path":"/metadata/finalizers"}]"#,
    ]);
    let done = tokio::time::timeout(Duration::from_secs(30), deleting)
        .await
        .expect("the delete returns once the object is gone")
        .expect("the delete task did not panic")
        .unwrap_or_else(|e| panic!("the delete failed: {e}"));
    assert!(done.new_state.is_none());
    assert!(k8s.get(&["-n", &ns.name, "configmap", "held"]).is_none());

    // Deleting what is gone already is fine.
    let p = provider(k8s).await;
    p.apply(delete("kubernetes_config_map", state("held", Some(&ns.name))))
        .await
        .unwrap_or_else(|e| panic!("deleting a missing object: {e}"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_namespace_is_gone_when_its_delete_returns() {
    let ns = Namespace::new("emptied");
    let k8s = ns.k8s;
    k8s.kubectl_ok(&["-n", &ns.name, "create", "configmap", "content", "--from-literal=k=v"]);
    let p = provider(k8s).await;
    tokio::time::timeout(
        Duration::from_secs(120),
        p.apply(delete("kubernetes_namespace", state(&ns.name, None))),
    )
    .await
    .expect("the namespace controller finishes within two minutes")
    .unwrap_or_else(|e| panic!("the delete failed: {e}"));
    assert!(
        k8s.get(&["namespace", &ns.name]).is_none(),
        "namespace {} still exists when its delete returned",
        ns.name
    );
}

/// Removes the finalizer holding the test's namespace and deletes it, when the test ends.
struct HeldNamespace {
    k8s: &'static Cluster,
    name: String,
}

impl Drop for HeldNamespace {
    fn drop(&mut self) {
        let _ = self.k8s.kubectl(&[
            "patch",
            "namespace",
            &self.name,
            "--type",
            "json",
            "-p",
            r#"[{"op":"remove","path":"/metadata/finalizers"}]"#,
        ]);
        let _ = self
            .k8s
            .kubectl(&["delete", "namespace", &self.name, "--ignore-not-found", "--wait=false"]);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_held_namespace_delete_stops_at_its_timeouts_delete_and_says_what_holds_it() {
    let k8s = shared();
    let ns = HeldNamespace {
        k8s,
        name: unique("stuck"),
    };
    k8s.apply(&format!(
        "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: {}\n  finalizers: [example.com/hold]\n",
        ns.name
    ));
    let prior = state(&ns.name, None).with_at(
        &plinth_sdk::AttrPath::attr("timeouts"),
        Value::List(vec![Value::object([("delete", Value::string("2s"))])]),
    );
    let p = provider(k8s).await;
    let started = std::time::Instant::now();
    let err = tokio::time::timeout(Duration::from_secs(60), p.apply(delete("kubernetes_namespace", prior)))
        .await
        .expect("the delete gives up at its timeouts.delete, not later")
        .expect_err("the finalizer holds the namespace past 2s");
    assert!(
        started.elapsed() < Duration::from_secs(30),
        "took {:?}",
        started.elapsed()
    );
    assert_eq!(err.code.as_deref(), Some("DeleteTimeout"), "{err:?}");
    let want = format!(
        "Namespace {:?} was still there 2s after its delete: finalizers example.com/hold",
        ns.name
    );
    assert!(err.message.contains(&want), "{}", err.message);
    assert!(err.message.contains("timeouts { delete = ... }"), "{}", err.message);
    // Still there, marked for deletion: the error is about the wait, the delete was made.
    let obj = k8s.get(&["namespace", &ns.name]).expect("held by its finalizer");
    assert!(obj["metadata"]["deletionTimestamp"].is_string());
}
