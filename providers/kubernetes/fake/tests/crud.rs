//! Plain REST behaviour over real HTTP: create/get/list/replace/patch/delete, the Status errors,
//! authentication, namespaces, secrets, selectors, discovery and the request log.

#![allow(clippy::unwrap_used)]

mod common;

use common::*;
use plinth_kube_fake::FakeApi;
use serde_json::json;

const ROLES: &str = "/apis/rbac.authorization.k8s.io/v1/namespaces/default/roles";
const CMS: &str = "/api/v1/namespaces/default/configmaps";

fn role(name: &str) -> serde_json::Value {
    json!({
        "apiVersion": "rbac.authorization.k8s.io/v1",
        "kind": "Role",
        "metadata": {"name": name},
        "rules": [{"apiGroups": [""], "resources": ["secrets"], "verbs": ["get"]}]
    })
}

#[test]
fn create_get_list_delete_round_trip() {
    let api = FakeApi::start();
    let created = post(&api, ROLES, &role("reader"));
    assert_eq!(created.status, 201, "{}", created.body);
    let meta = &created.body["metadata"];
    assert_eq!(meta["name"], "reader");
    assert_eq!(meta["namespace"], "default");
    assert_eq!(meta["generation"], 1);
    assert!(uuid::Uuid::parse_str(meta["uid"].as_str().unwrap()).is_ok());
    let ts = meta["creationTimestamp"].as_str().unwrap();
    assert!(ts.len() == 20 && ts.ends_with('Z') && ts.as_bytes()[10] == b'T', "{ts}");
    assert!(created.rv().parse::<u64>().is_ok());
    assert_eq!(created.body["kind"], "Role");
    assert_eq!(created.body["apiVersion"], "rbac.authorization.k8s.io/v1");
    assert!(
        created
            .headers
            .to_ascii_lowercase()
            .contains("content-type: application/json")
    );

    let got = get(&api, &format!("{ROLES}/reader"));
    assert_eq!(got.status, 200);
    assert_eq!(got.body, created.body);
    assert_eq!(api.get(&format!("{ROLES}/reader")), Some(created.body.clone()));

    let again = post(&api, ROLES, &role("reader"));
    assert_status(&again, 409, "AlreadyExists");
    assert_eq!(
        again.message(),
        r#"roles.rbac.authorization.k8s.io "reader" already exists"#
    );

    post(&api, ROLES, &role("admin"));
    let list = get(&api, ROLES);
    assert_eq!(list.status, 200);
    assert_eq!(list.body["kind"], "RoleList");
    assert_eq!(list.body["apiVersion"], "rbac.authorization.k8s.io/v1");
    assert!(
        list.body["metadata"]["resourceVersion"]
            .as_str()
            .unwrap()
            .parse::<u64>()
            .is_ok()
    );
    let names: Vec<&str> = list.body["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["metadata"]["name"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["admin", "reader"]);
    assert_eq!(list.body["items"][0]["kind"], "Role");

    let deleted = delete(&api, &format!("{ROLES}/reader"));
    assert_eq!(deleted.status, 200);
    assert_eq!(deleted.body["kind"], "Status");
    assert_eq!(deleted.body["status"], "Success");
    assert_eq!(deleted.body["details"]["name"], "reader");
    assert_eq!(deleted.body["details"]["kind"], "roles");

    let missing = get(&api, &format!("{ROLES}/reader"));
    assert_status(&missing, 404, "NotFound");
    assert_eq!(
        missing.message(),
        r#"roles.rbac.authorization.k8s.io "reader" not found"#
    );
    assert_status(&delete(&api, &format!("{ROLES}/reader")), 404, "NotFound");
    let core_missing = get(&api, &format!("{CMS}/nope"));
    assert_eq!(core_missing.message(), r#"configmaps "nope" not found"#);
    assert_eq!(api.get(&format!("{ROLES}/reader")), None);
}

#[test]
fn unknown_resources_and_bad_requests_get_statuses() {
    let api = FakeApi::start();
    let r = get(&api, "/api/v1/namespaces/default/widgets");
    assert_status(&r, 404, "NotFound");
    assert_eq!(r.message(), "the server could not find the requested resource");
    assert_status(
        &get(&api, "/apis/rbac.authorization.k8s.io/v2/clusterroles"),
        404,
        "NotFound",
    );
    assert_status(&get(&api, "/nonsense"), 404, "NotFound");
    // Namespaced kind addressed as cluster-scoped.
    assert_status(&get(&api, "/api/v1/configmaps/x"), 404, "NotFound");

    let garbage = send(
        &api,
        "POST",
        CMS,
        &[("Content-Type", "application/json")],
        Some("{not json"),
    );
    assert_status(&garbage, 400, "BadRequest");
    let wrong_kind = post(&api, CMS, &role("x"));
    assert_status(&wrong_kind, 400, "BadRequest");
    let json_patch_bad = send(
        &api,
        "PATCH",
        "/api/v1/namespaces/default",
        &[("Content-Type", "application/json-patch+json")],
        Some(r#"[{"op":"remove","path":"/nope"}]"#),
    );
    assert_status(&json_patch_bad, 400, "BadRequest");
    let odd_type = send(
        &api,
        "PATCH",
        "/api/v1/namespaces/default",
        &[("Content-Type", "text/plain")],
        Some("{}"),
    );
    assert_status(&odd_type, 415, "UnsupportedMediaType");
    assert_status(
        &send(&api, "POST", "/api/v1/configmaps", &[], Some("{}")),
        405,
        "MethodNotAllowed",
    );
    assert_status(&get(&api, &format!("{CMS}?watch=true")), 405, "MethodNotAllowed");
}

#[test]
fn replace_checks_resource_version_and_bumps_generation() {
    let api = FakeApi::start();
    let cm = json!({"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "cfg"}, "data": {"a": "1"}});
    let created = post(&api, CMS, &cm);
    let rv = created.rv();

    let mut stale = created.body.clone();
    stale["metadata"]["resourceVersion"] = json!("1");
    stale["data"]["a"] = json!("2");
    let r = put(&api, &format!("{CMS}/cfg"), &stale);
    assert_status(&r, 409, "Conflict");
    assert_eq!(
        r.message(),
        r#"Operation cannot be fulfilled on configmaps "cfg": the object has been modified; please apply your changes to the latest version and try again"#
    );

    let mut fresh = created.body.clone();
    fresh["data"]["a"] = json!("2");
    let r = put(&api, &format!("{CMS}/cfg"), &fresh);
    assert_eq!(r.status, 200, "{}", r.body);
    assert_ne!(r.rv(), rv);
    assert_eq!(r.body["metadata"]["generation"], 2);
    assert_eq!(r.body["metadata"]["uid"], created.body["metadata"]["uid"]);
    assert_eq!(
        r.body["metadata"]["creationTimestamp"],
        created.body["metadata"]["creationTimestamp"]
    );

    // Identical PUT: nothing changes, resourceVersion stays.
    let same = put(&api, &format!("{CMS}/cfg"), &r.body);
    assert_eq!(same.rv(), r.rv());

    // Label-only change: resourceVersion moves, generation does not.
    let mut labelled = same.body.clone();
    labelled["metadata"]["labels"] = json!({"team": "a"});
    let l = put(&api, &format!("{CMS}/cfg"), &labelled);
    assert_ne!(l.rv(), same.rv());
    assert_eq!(l.body["metadata"]["generation"], 2);

    let mut renamed = l.body.clone();
    renamed["metadata"]["name"] = json!("other");
    assert_status(&put(&api, &format!("{CMS}/cfg"), &renamed), 400, "BadRequest");
    let missing = put(&api, &format!("{CMS}/ghost"), &json!({"metadata": {"name": "ghost"}}));
    assert_status(&missing, 404, "NotFound");
}

#[test]
fn validation_failures_are_422_invalid() {
    let api = FakeApi::start();
    let bad_name = post(&api, CMS, &json!({"metadata": {"name": "Bad_Name"}}));
    assert_status(&bad_name, 422, "Invalid");
    assert!(bad_name.message().starts_with(r#"ConfigMap "Bad_Name" is invalid: metadata.name: Invalid value: "Bad_Name": a lowercase RFC 1123 subdomain"#), "{}", bad_name.message());
    assert_eq!(bad_name.body["details"]["causes"][0]["field"], "metadata.name");

    let no_name = post(&api, CMS, &json!({"data": {}}));
    assert_status(&no_name, 422, "Invalid");

    let mut no_verbs = role("r");
    no_verbs["rules"][0]["verbs"] = json!([]);
    let r = post(&api, ROLES, &no_verbs);
    assert_status(&r, 422, "Invalid");
    assert_eq!(
        r.message(),
        r#"Role.rbac.authorization.k8s.io "r" is invalid: rules[0].verbs: Required value: verbs must contain at least one value"#
    );

    // RBAC names may contain colons (path-segment rule), unlike most objects.
    assert_eq!(
        post(
            &api,
            "/apis/rbac.authorization.k8s.io/v1/clusterroles",
            &json!({"metadata": {"name": "plinth:reader"}, "rules": []})
        )
        .status,
        201
    );

    let bindings = "/apis/rbac.authorization.k8s.io/v1/namespaces/default/rolebindings";
    let no_ref = post(&api, bindings, &json!({"metadata": {"name": "b"}, "subjects": []}));
    assert_status(&no_ref, 422, "Invalid");
    let binding = json!({
        "metadata": {"name": "b"},
        "roleRef": {"apiGroup": "rbac.authorization.k8s.io", "kind": "Role", "name": "reader"},
        "subjects": [{"kind": "User", "name": "alice"}, {"kind": "ServiceAccount", "name": "bot", "namespace": "default"}]
    });
    let created = post(&api, bindings, &binding);
    assert_eq!(created.status, 201, "{}", created.body);
    // User subjects get their apiGroup defaulted, as upstream does.
    assert_eq!(created.body["subjects"][0]["apiGroup"], "rbac.authorization.k8s.io");
    let changed = merge_patch(
        &api,
        &format!("{bindings}/b"),
        "me",
        &json!({"roleRef": {"name": "writer"}}),
    );
    assert_status(&changed, 422, "Invalid");
    assert!(
        changed.message().contains("roleRef: Invalid value:"),
        "{}",
        changed.message()
    );
    assert!(
        changed.message().ends_with("cannot change roleRef"),
        "{}",
        changed.message()
    );

    let wrong_ns = post(
        &api,
        CMS,
        &json!({"metadata": {"name": "x", "namespace": "kube-system"}}),
    );
    assert_status(&wrong_ns, 400, "BadRequest");
    let bad_label = post(
        &api,
        CMS,
        &json!({"metadata": {"name": "x", "labels": {"a": "not ok!"}}}),
    );
    assert_status(&bad_label, 422, "Invalid");
    let number_label = post(&api, CMS, &json!({"metadata": {"name": "x", "labels": {"a": 1}}}));
    assert_status(&number_label, 400, "BadRequest");
}

#[test]
fn bearer_token_is_enforced_once_required() {
    let api = FakeApi::start();
    assert_eq!(get(&api, "/api/v1/namespaces").status, 200);
    api.require_token("s3cret");
    let r = get(&api, "/api/v1/namespaces");
    assert_status(&r, 401, "Unauthorized");
    assert_status(
        &send(
            &api,
            "GET",
            "/api/v1/namespaces",
            &[("Authorization", "Bearer wrong")],
            None,
        ),
        401,
        "Unauthorized",
    );
    let ok = send(
        &api,
        "GET",
        "/api/v1/namespaces",
        &[("Authorization", "Bearer s3cret")],
        None,
    );
    assert_eq!(ok.status, 200);
}

#[test]
fn namespaces_gate_and_cascade() {
    let api = FakeApi::start();
    let names: Vec<String> = api
        .list("/api/v1/namespaces")
        .iter()
        .map(|n| n["metadata"]["name"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(names, ["default", "kube-public", "kube-system"]);

    let into_missing = post(
        &api,
        "/api/v1/namespaces/team/configmaps",
        &json!({"metadata": {"name": "c"}}),
    );
    assert_status(&into_missing, 404, "NotFound");
    assert_eq!(into_missing.message(), r#"namespaces "team" not found"#);
    let apply_missing = apply_json(
        &api,
        "/api/v1/namespaces/team/configmaps/c",
        "plinth",
        false,
        &json!({"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "c"}}),
    );
    assert_status(&apply_missing, 404, "NotFound");

    let ns = post(
        &api,
        "/api/v1/namespaces",
        &json!({"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": "team"}}),
    );
    assert_eq!(ns.status, 201);
    assert_eq!(ns.body["metadata"]["labels"]["kubernetes.io/metadata.name"], "team");
    assert_eq!(ns.body["spec"]["finalizers"], json!(["kubernetes"]));
    assert_eq!(ns.body["status"]["phase"], "Active");
    assert!(ns.body["metadata"].get("namespace").is_none());
    assert_status(
        &post(&api, "/api/v1/namespaces", &json!({"metadata": {"name": "a.b"}})),
        422,
        "Invalid",
    );

    assert_eq!(
        post(
            &api,
            "/api/v1/namespaces/team/configmaps",
            &json!({"metadata": {"name": "c"}})
        )
        .status,
        201
    );
    assert_eq!(
        post(
            &api,
            "/apis/rbac.authorization.k8s.io/v1/namespaces/team/roles",
            &role("r")
        )
        .status,
        201
    );
    assert_eq!(post(&api, CMS, &json!({"metadata": {"name": "c"}})).status, 201);
    assert_eq!(api.list("/api/v1/configmaps").len(), 2);

    assert_eq!(delete(&api, "/api/v1/namespaces/team").status, 200);
    assert!(api.get("/api/v1/namespaces/team").is_none());
    assert!(api.list("/api/v1/namespaces/team/configmaps").is_empty());
    assert!(api.list("/apis/rbac.authorization.k8s.io/v1/roles").is_empty());
    assert_eq!(
        api.list("/api/v1/configmaps").len(),
        1,
        "other namespaces are untouched"
    );
}

#[test]
fn secrets_fold_string_data_and_check_base64() {
    let api = FakeApi::start();
    let secrets = "/api/v1/namespaces/default/secrets";
    let r = post(
        &api,
        secrets,
        &json!({
            "apiVersion": "v1", "kind": "Secret", "metadata": {"name": "s"},
            "data": {"existing": "YWJj"}, "stringData": {"password": "hunter2"}
        }),
    );
    assert_eq!(r.status, 201, "{}", r.body);
    assert_eq!(r.body["data"], json!({"existing": "YWJj", "password": "aHVudGVyMg=="}));
    assert!(r.body.get("stringData").is_none());
    assert_eq!(r.body["type"], "Opaque");

    let bad = post(
        &api,
        secrets,
        &json!({"metadata": {"name": "t"}, "data": {"k": "not base64!"}}),
    );
    assert_status(&bad, 400, "BadRequest");
    let bad_key = post(
        &api,
        secrets,
        &json!({"metadata": {"name": "t"}, "stringData": {"bad key": "x"}}),
    );
    assert_status(&bad_key, 422, "Invalid");

    // Applying stringData: stored as data; re-applying the same value changes nothing.
    let path = format!("{secrets}/applied");
    let body =
        json!({"apiVersion": "v1", "kind": "Secret", "metadata": {"name": "applied"}, "stringData": {"token": "abc"}});
    let first = apply_json(&api, &path, "plinth", false, &body);
    assert_eq!(first.status, 201, "{}", first.body);
    assert_eq!(first.body["data"]["token"], "YWJj");
    let second = apply_json(&api, &path, "plinth", false, &body);
    assert_eq!(second.rv(), first.rv());
}

#[test]
fn label_and_field_selectors() {
    let api = FakeApi::start();
    for (name, app, tier) in [("a", "web", "front"), ("b", "web", "back"), ("c", "db", "back")] {
        post(
            &api,
            CMS,
            &json!({"metadata": {"name": name, "labels": {"app": app, "tier": tier}}}),
        );
    }
    post(
        &api,
        "/api/v1/namespaces/kube-system/configmaps",
        &json!({"metadata": {"name": "a", "labels": {"app": "web"}}}),
    );
    let names = |q: &str| -> Vec<String> {
        let r = get(&api, q);
        assert_eq!(r.status, 200, "{q}: {}", r.body);
        r.body["items"]
            .as_array()
            .unwrap()
            .iter()
            .map(|i| {
                format!(
                    "{}/{}",
                    i["metadata"]["namespace"].as_str().unwrap(),
                    i["metadata"]["name"].as_str().unwrap()
                )
            })
            .collect()
    };
    assert_eq!(
        names(&format!("{CMS}?labelSelector=app%3Dweb")),
        ["default/a", "default/b"]
    );
    assert_eq!(
        names(&format!("{CMS}?labelSelector=app%3Dweb%2Ctier%3Dback")),
        ["default/b"]
    );
    assert_eq!(names(&format!("{CMS}?labelSelector=app!%3Dweb")), ["default/c"]);
    assert_eq!(names(&format!("{CMS}?fieldSelector=metadata.name%3Dc")), ["default/c"]);
    assert_eq!(
        names("/api/v1/configmaps?labelSelector=app%3Dweb&limit=500"),
        ["default/a", "default/b", "kube-system/a"]
    );
    assert_eq!(
        names("/api/v1/configmaps?fieldSelector=metadata.namespace%3Dkube-system"),
        ["kube-system/a"]
    );
    assert_eq!(api.list(&format!("{CMS}?labelSelector=tier%3Dback")).len(), 2);
    assert_status(
        &get(&api, &format!("{CMS}?fieldSelector=spec.x%3D1")),
        400,
        "BadRequest",
    );
}

#[test]
fn request_log_records_every_request() {
    let api = FakeApi::start();
    get(&api, "/api/v1/namespaces/default");
    get(&api, "/api/v1/namespaces/default/configmaps?labelSelector=a%3Db");
    post(&api, CMS, &json!({"metadata": {"name": "x"}}));
    assert_eq!(
        api.requests(),
        [
            "GET /api/v1/namespaces/default",
            "GET /api/v1/namespaces/default/configmaps?labelSelector=a%3Db",
            "POST /api/v1/namespaces/default/configmaps",
        ]
    );
    api.clear_requests();
    assert!(api.requests().is_empty());
    api.require_token("t");
    get(&api, "/version");
    assert_eq!(api.requests(), ["GET /version"], "rejected requests are logged too");
}

#[test]
fn discovery_documents() {
    let api = FakeApi::start();
    let v = get(&api, "/version");
    assert_eq!(v.body["gitVersion"], "v1.34.0");
    assert_eq!(get(&api, "/api").body["versions"], json!(["v1"]));
    let groups = get(&api, "/apis").body;
    assert_eq!(groups["kind"], "APIGroupList");
    let names: Vec<&str> = groups["groups"]
        .as_array()
        .unwrap()
        .iter()
        .map(|g| g["name"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["rbac.authorization.k8s.io", "apps", "batch"]);
    let core = get(&api, "/api/v1").body;
    assert_eq!(core["groupVersion"], "v1");
    let ns = core["resources"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["name"] == "namespaces")
        .unwrap();
    assert_eq!(ns["namespaced"], false);
    assert_eq!(ns["kind"], "Namespace");
    let rbac = get(&api, "/apis/rbac.authorization.k8s.io/v1").body;
    let kinds: Vec<&str> = rbac["resources"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["kind"].as_str().unwrap())
        .collect();
    assert_eq!(kinds, ["Role", "RoleBinding", "ClusterRole", "ClusterRoleBinding"]);
    assert_eq!(
        get(&api, "/apis/apps").body["preferredVersion"]["groupVersion"],
        "apps/v1"
    );
    assert_status(&get(&api, "/openapi/v2"), 404, "NotFound");

    // Aggregated discovery, negotiated by Accept as kube-rs and kubectl ask for it.
    let accept = "application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList,application/json;g=apidiscovery.k8s.io;v=v2beta1;as=APIGroupDiscoveryList,application/json";
    let agg = send(&api, "GET", "/apis", &[("Accept", accept)], None);
    assert!(
        agg.headers
            .contains("application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList"),
        "{}",
        agg.headers
    );
    assert_eq!(agg.body["kind"], "APIGroupDiscoveryList");
    let rbac = &agg.body["items"][0];
    assert_eq!(rbac["metadata"]["name"], "rbac.authorization.k8s.io");
    let roles = &rbac["versions"][0]["resources"][0];
    assert_eq!(roles["resource"], "roles");
    assert_eq!(roles["scope"], "Namespaced");
    assert_eq!(roles["responseKind"]["kind"], "Role");
    let core = send(&api, "GET", "/api", &[("Accept", accept)], None).body;
    assert_eq!(core["items"][0]["versions"][0]["version"], "v1");
    let scopes: Vec<(&str, &str)> = core["items"][0]["versions"][0]["resources"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| (r["resource"].as_str().unwrap(), r["scope"].as_str().unwrap()))
        .collect();
    assert_eq!(scopes[0], ("namespaces", "Cluster"));
    assert_eq!(scopes[1], ("configmaps", "Namespaced"));
    let legacy = send(&api, "GET", "/api", &[("Accept", "application/json, */*")], None);
    assert_eq!(legacy.body["kind"], "APIVersions");
}

#[test]
fn out_of_band_edit_and_delete() {
    let api = FakeApi::start();
    let path = format!("{CMS}/cfg");
    post(
        &api,
        CMS,
        &json!({"metadata": {"name": "cfg"}, "data": {"a": "1", "b": "2"}}),
    );
    let before = api.get(&path).unwrap();
    let edited = api
        .edit(&path, "kubectl-edit", json!({"data": {"a": "9", "b": null}}))
        .unwrap();
    assert_eq!(edited["data"], json!({"a": "9"}));
    assert_ne!(
        edited["metadata"]["resourceVersion"],
        before["metadata"]["resourceVersion"]
    );
    let managers: Vec<&str> = edited["metadata"]["managedFields"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["manager"].as_str().unwrap())
        .collect();
    assert!(managers.contains(&"kubectl-edit"), "{managers:?}");
    assert_eq!(get(&api, &path).body, edited);
    assert!(
        api.edit(&format!("{CMS}/ghost"), "m", json!({}))
            .unwrap_err()
            .contains("not found")
    );
    assert!(api.delete(&path));
    assert!(!api.delete(&path));
    assert!(
        api.requests().len() == 2,
        "out-of-band calls are not HTTP requests: {:?}",
        api.requests()
    );
}

#[test]
fn kubeconfig_points_at_the_server() {
    let api = FakeApi::start();
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("config");
    api.write_kubeconfig(&path, Some("tok:en")).unwrap();
    let text = std::fs::read_to_string(&path).unwrap();
    let parsed: serde_json::Value = serde_norway::from_str(&text).unwrap();
    assert_eq!(parsed["current-context"], "fake");
    assert_eq!(parsed["clusters"][0]["cluster"]["server"], api.url());
    assert_eq!(parsed["users"][0]["user"]["token"], "tok:en");
    assert_eq!(parsed["contexts"][0]["context"]["user"], "fake");
    api.write_kubeconfig(&path, None).unwrap();
    let parsed: serde_json::Value = serde_norway::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
    assert_eq!(parsed["users"][0]["user"], json!({}));
}
