//! kube-rs (the client the Kubernetes provider is built on) against the fake: kubeconfig with a
//! bearer token, legacy and aggregated discovery, typed and dynamic server-side apply, conflict
//! and NotFound errors as `kube::Error::Api`, list with selectors, and delete's `Status` answer.

#![allow(clippy::unwrap_used)]

use std::collections::BTreeMap;

use k8s_openapi::api::core::v1::ConfigMap;
use k8s_openapi::api::rbac::v1::{PolicyRule, Role};
use k8s_openapi::apimachinery::pkg::apis::meta::v1::ObjectMeta;
use kube::api::{Api, ApiResource, DeleteParams, DynamicObject, GroupVersionKind, ListParams, Patch, PatchParams};
use kube::config::{KubeConfigOptions, Kubeconfig};
use kube::discovery::{Discovery, Scope};
use kube::{Client, Config};
use plinth_kube_fake::FakeApi;
use serde_json::json;

const ROLE: &str = "/apis/rbac.authorization.k8s.io/v1/namespaces/default/roles/reader";

async fn client(api: &FakeApi, token: &str) -> Client {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("config");
    api.write_kubeconfig(&path, Some(token)).unwrap();
    let kubeconfig = Kubeconfig::read_from(&path).unwrap();
    let config = Config::from_custom_kubeconfig(kubeconfig, &KubeConfigOptions::default())
        .await
        .unwrap();
    assert_eq!(config.cluster_url.to_string().trim_end_matches('/'), api.url());
    Client::try_from(config).unwrap()
}

fn reader(team: &str) -> Role {
    Role {
        metadata: ObjectMeta {
            name: Some("reader".into()),
            labels: Some(BTreeMap::from([("team".to_string(), team.to_string())])),
            ..ObjectMeta::default()
        },
        rules: Some(vec![PolicyRule {
            api_groups: Some(vec![String::new()]),
            resources: Some(vec!["secrets".into()]),
            verbs: vec!["get".into()],
            ..PolicyRule::default()
        }]),
    }
}

#[tokio::test]
async fn kube_rs_talks_to_the_fake() {
    let api = FakeApi::start();
    api.require_token("t0ken");
    let client = client(&api, "t0ken").await;

    let version = client.apiserver_version().await.unwrap();
    assert_eq!(version.git_version, "v1.34.0");

    for discovery in [
        Discovery::new(client.clone()).run().await.unwrap(),
        Discovery::new(client.clone()).run_aggregated().await.unwrap(),
    ] {
        let gvk = GroupVersionKind::gvk("rbac.authorization.k8s.io", "v1", "ClusterRole");
        let (resource, caps) = discovery.resolve_gvk(&gvk).unwrap();
        assert_eq!(resource.plural, "clusterroles");
        assert_eq!(caps.scope, Scope::Cluster);
        let (ns, caps) = discovery
            .resolve_gvk(&GroupVersionKind::gvk("", "v1", "Namespace"))
            .unwrap();
        assert_eq!(ns.plural, "namespaces");
        assert_eq!(caps.scope, Scope::Cluster);
    }

    // Typed server-side apply, idempotent.
    let roles: Api<Role> = Api::namespaced(client.clone(), "default");
    let ssa = PatchParams::apply("plinth");
    let created = roles.patch("reader", &ssa, &Patch::Apply(&reader("a"))).await.unwrap();
    let rv = created.metadata.resource_version.clone().unwrap();
    let again = roles.patch("reader", &ssa, &Patch::Apply(&reader("a"))).await.unwrap();
    assert_eq!(again.metadata.resource_version.unwrap(), rv);
    let managed = created.metadata.managed_fields.unwrap();
    assert_eq!(managed[0].manager.as_deref(), Some("plinth"));
    assert_eq!(managed[0].operation.as_deref(), Some("Apply"));

    // Someone else takes the label: a plain apply is refused with a 409 kube-rs can read...
    api.edit(ROLE, "kubectl-edit", json!({"metadata": {"labels": {"team": "b"}}}))
        .unwrap();
    match roles.patch("reader", &ssa, &Patch::Apply(&reader("a"))).await {
        Err(kube::Error::Api(status)) => {
            assert_eq!(status.code, 409);
            assert_eq!(status.reason, "Conflict");
            assert!(status.message.contains(".metadata.labels.team"), "{}", status.message);
        }
        other => panic!("expected a conflict, got {other:?}"),
    }
    // ...and a forced one wins.
    let forced = roles
        .patch(
            "reader",
            &PatchParams::apply("plinth").force(),
            &Patch::Apply(&reader("a")),
        )
        .await
        .unwrap();
    assert_eq!(forced.metadata.labels.unwrap()["team"], "a");

    // Dynamic objects, as the provider uses them, with list selectors.
    let cm_resource = ApiResource::erase::<ConfigMap>(&());
    let cms: Api<DynamicObject> = Api::namespaced_with(client.clone(), "default", &cm_resource);
    for (name, app) in [("one", "web"), ("two", "db")] {
        let body = json!({"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": name, "labels": {"app": app}}, "data": {"k": "v"}});
        cms.patch(name, &ssa, &Patch::Apply(&body)).await.unwrap();
    }
    let listed = cms
        .list(&ListParams::default().labels("app=web").limit(500))
        .await
        .unwrap();
    assert_eq!(listed.items.len(), 1);
    assert_eq!(listed.items[0].metadata.name.as_deref(), Some("one"));
    assert!(listed.metadata.continue_.is_none_or(|c| c.is_empty()));
    assert!(cms.get_opt("missing").await.unwrap().is_none());
    match cms.get("missing").await {
        Err(kube::Error::Api(status)) => {
            assert_eq!(status.code, 404);
            assert_eq!(status.reason, "NotFound");
            assert_eq!(status.message, r#"configmaps "missing" not found"#);
        }
        other => panic!("expected NotFound, got {other:?}"),
    }

    // A write into a namespace that does not exist.
    let elsewhere: Api<ConfigMap> = Api::namespaced(client.clone(), "nowhere");
    let body = json!({"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "x"}});
    match elsewhere.patch("x", &ssa, &Patch::Apply(&body)).await {
        Err(kube::Error::Api(status)) => assert_eq!(
            (status.code, status.message.as_str()),
            (404, r#"namespaces "nowhere" not found"#)
        ),
        other => panic!("expected NotFound, got {other:?}"),
    }

    // Delete answers with a Status, which kube-rs reports as Right.
    let deleted = cms.delete("one", &DeleteParams::background()).await.unwrap();
    assert!(deleted.is_right(), "{deleted:?}");
    assert!(matches!(cms.delete("one", &DeleteParams::default()).await, Err(kube::Error::Api(s)) if s.code == 404));

    // The wrong token is refused.
    let intruder = self::client(&api, "nope").await;
    let roles: Api<Role> = Api::namespaced(intruder, "default");
    match roles.get("reader").await {
        Err(kube::Error::Api(status)) => assert_eq!((status.code, status.reason.as_str()), (401, "Unauthorized")),
        other => panic!("expected Unauthorized, got {other:?}"),
    }
}
