//! Server-side apply over real HTTP: creation, idempotence, field removal, conflicts and force,
//! co-ownership, other managers' fields surviving, and the managedFields shape.

#![allow(clippy::unwrap_used)]

mod common;

use common::*;
use plinth_kube_fake::FakeApi;
use serde_json::{Value, json};

const ROLE: &str = "/apis/rbac.authorization.k8s.io/v1/namespaces/default/roles/reader";

fn role(labels: Value, verbs: &[&str]) -> Value {
    json!({
        "apiVersion": "rbac.authorization.k8s.io/v1",
        "kind": "Role",
        "metadata": {"name": "reader", "labels": labels},
        "rules": [{"apiGroups": [""], "resources": ["secrets"], "verbs": verbs}]
    })
}

fn managers(object: &Value) -> Vec<(String, String)> {
    object["metadata"]["managedFields"]
        .as_array()
        .map(|a| {
            a.iter()
                .map(|m| {
                    (
                        m["manager"].as_str().unwrap().to_string(),
                        m["operation"].as_str().unwrap().to_string(),
                    )
                })
                .collect()
        })
        .unwrap_or_default()
}

fn fields_of<'a>(object: &'a Value, manager: &str, operation: &str) -> &'a Value {
    object["metadata"]["managedFields"]
        .as_array()
        .unwrap()
        .iter()
        .find(|m| m["manager"] == manager && m["operation"] == operation)
        .map(|m| &m["fieldsV1"])
        .unwrap_or(&Value::Null)
}

#[test]
fn apply_creates_then_identical_apply_is_a_no_op() {
    let api = FakeApi::start();
    let body = role(json!({"team": "a"}), &["get"]);
    let created = apply_json(&api, ROLE, "plinth", false, &body);
    assert_eq!(created.status, 201, "{}", created.body);
    assert_eq!(created.body["metadata"]["generation"], 1);
    assert_eq!(managers(&created.body), [("plinth".to_string(), "Apply".to_string())]);
    let entry = &created.body["metadata"]["managedFields"][0];
    assert_eq!(entry["apiVersion"], "rbac.authorization.k8s.io/v1");
    assert_eq!(entry["fieldsType"], "FieldsV1");
    assert_eq!(
        entry["fieldsV1"],
        json!({"f:metadata": {"f:labels": {"f:team": {}}}, "f:rules": {}})
    );

    let again = apply_json(&api, ROLE, "plinth", false, &body);
    assert_eq!(again.status, 200);
    assert_eq!(
        again.rv(),
        created.rv(),
        "re-applying the same configuration must not bump resourceVersion"
    );
    assert_eq!(again.body, created.body);

    // YAML bodies work too, and mean the same thing.
    let yaml = "apiVersion: rbac.authorization.k8s.io/v1\nkind: Role\nmetadata:\n  name: reader\n  labels:\n    team: a\nrules:\n- apiGroups: [\"\"]\n  resources: [secrets]\n  verbs: [get]\n";
    let from_yaml = apply(&api, ROLE, "plinth", false, yaml);
    assert_eq!(from_yaml.status, 200, "{}", from_yaml.body);
    assert_eq!(from_yaml.rv(), created.rv());

    let changed = apply_json(
        &api,
        ROLE,
        "plinth",
        false,
        &role(json!({"team": "a"}), &["get", "list"]),
    );
    assert_ne!(changed.rv(), created.rv());
    assert_eq!(changed.body["metadata"]["generation"], 2);
}

#[test]
fn apply_requires_field_manager_and_matching_identity() {
    let api = FakeApi::start();
    let body = role(json!({}), &["get"]).to_string();
    let r = send(
        &api,
        "PATCH",
        ROLE,
        &[("Content-Type", "application/apply-patch+yaml")],
        Some(&body),
    );
    assert_status(&r, 422, "Invalid");
    assert_eq!(
        r.message(),
        r#"PatchOptions.meta.k8s.io "" is invalid: fieldManager: Required value: is required for apply patch"#
    );

    let mut other_name = role(json!({}), &["get"]);
    other_name["metadata"]["name"] = json!("writer");
    assert_status(&apply_json(&api, ROLE, "plinth", false, &other_name), 400, "BadRequest");
    let mut no_kind = role(json!({}), &["get"]);
    no_kind.as_object_mut().unwrap().remove("kind");
    assert_status(&apply_json(&api, ROLE, "plinth", false, &no_kind), 400, "BadRequest");
    let mut invalid = role(json!({}), &[]);
    invalid["metadata"]["name"] = json!("reader");
    assert_status(&apply_json(&api, ROLE, "plinth", false, &invalid), 422, "Invalid");
    assert!(api.get(ROLE).is_none(), "failed applies create nothing");
    let force_on_merge = send(
        &api,
        "PATCH",
        &format!("{ROLE}?force=true"),
        &[("Content-Type", "application/merge-patch+json")],
        Some("{}"),
    );
    assert_status(&force_on_merge, 422, "Invalid");
    let merge_missing = merge_patch(&api, ROLE, "m", &json!({"metadata": {"labels": {"a": "b"}}}));
    assert_status(&merge_missing, 404, "NotFound");
}

#[test]
fn dropping_a_field_from_the_configuration_removes_it() {
    let api = FakeApi::start();
    apply_json(
        &api,
        ROLE,
        "plinth",
        false,
        &role(json!({"team": "a", "tier": "x"}), &["get"]),
    );
    let r = apply_json(&api, ROLE, "plinth", false, &role(json!({"team": "a"}), &["get"]));
    assert_eq!(r.status, 200, "{}", r.body);
    assert_eq!(r.body["metadata"]["labels"], json!({"team": "a"}));

    // Dropping the last label removes the now-empty labels map as well.
    let mut no_labels = role(json!({}), &["get"]);
    no_labels["metadata"].as_object_mut().unwrap().remove("labels");
    let r = apply_json(&api, ROLE, "plinth", false, &no_labels);
    assert!(r.body["metadata"].get("labels").is_none(), "{}", r.body);

    // A whole top-level field too.
    let cm = "/api/v1/namespaces/default/configmaps/cfg";
    apply_json(
        &api,
        cm,
        "plinth",
        false,
        &json!({"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "cfg"}, "data": {"a": "1", "b": "2"}}),
    );
    let r = apply_json(
        &api,
        cm,
        "plinth",
        false,
        &json!({"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "cfg"}, "data": {"a": "1"}}),
    );
    assert_eq!(r.body["data"], json!({"a": "1"}));
    let r = apply_json(
        &api,
        cm,
        "plinth",
        false,
        &json!({"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "cfg"}}),
    );
    assert!(r.body.get("data").is_none(), "{}", r.body);
}

#[test]
fn another_managers_change_conflicts_until_forced() {
    let api = FakeApi::start();
    let ours = role(json!({"team": "a"}), &["get"]);
    apply_json(&api, ROLE, "plinth", false, &ours);

    let edited = merge_patch(
        &api,
        ROLE,
        "kubectl-edit",
        &json!({"metadata": {"labels": {"team": "b"}}}),
    );
    assert_eq!(edited.status, 200, "{}", edited.body);
    assert_eq!(
        fields_of(&edited.body, "kubectl-edit", "Update"),
        &json!({"f:metadata": {"f:labels": {"f:team": {}}}})
    );
    assert_eq!(
        fields_of(&edited.body, "plinth", "Apply"),
        &json!({"f:rules": {}}),
        "ownership moved to the editor"
    );
    let edited_entry = edited.body["metadata"]["managedFields"]
        .as_array()
        .unwrap()
        .iter()
        .find(|m| m["manager"] == "kubectl-edit")
        .unwrap();
    assert_eq!(edited_entry["apiVersion"], "rbac.authorization.k8s.io/v1");

    let conflict = apply_json(&api, ROLE, "plinth", false, &ours);
    assert_status(&conflict, 409, "Conflict");
    assert_eq!(
        conflict.message(),
        r#"Apply failed with 1 conflict: conflict with "kubectl-edit" using rbac.authorization.k8s.io/v1: .metadata.labels.team"#
    );
    assert_eq!(conflict.body["details"]["causes"][0]["type"], "FieldManagerConflict");
    assert_eq!(conflict.body["details"]["causes"][0]["field"], ".metadata.labels.team");
    assert_eq!(
        api.get(ROLE).unwrap()["metadata"]["labels"]["team"],
        "b",
        "a refused apply changes nothing"
    );
    assert_eq!(
        api.get(ROLE).unwrap()["metadata"]["resourceVersion"],
        edited.body["metadata"]["resourceVersion"]
    );

    let forced = apply_json(&api, ROLE, "plinth", true, &ours);
    assert_eq!(forced.status, 200, "{}", forced.body);
    assert_eq!(forced.body["metadata"]["labels"]["team"], "a");
    assert_eq!(
        managers(&forced.body),
        [("plinth".to_string(), "Apply".to_string())],
        "the editor lost its only field"
    );
    assert_eq!(
        fields_of(&forced.body, "plinth", "Apply"),
        &json!({"f:metadata": {"f:labels": {"f:team": {}}}, "f:rules": {}})
    );
    assert_eq!(
        apply_json(&api, ROLE, "plinth", false, &ours).status,
        200,
        "no conflict after forcing"
    );
}

#[test]
fn several_conflicts_are_listed_per_manager() {
    let api = FakeApi::start();
    apply_json(
        &api,
        ROLE,
        "plinth",
        false,
        &role(json!({"a": "1", "b": "1"}), &["get"]),
    );
    api.edit(
        ROLE,
        "ops",
        json!({"metadata": {"labels": {"a": "2", "b": "2"}}, "rules": []}),
    )
    .unwrap();
    let r = apply_json(
        &api,
        ROLE,
        "plinth",
        false,
        &role(json!({"a": "1", "b": "1"}), &["get"]),
    );
    assert_status(&r, 409, "Conflict");
    assert_eq!(
        r.message(),
        "Apply failed with 3 conflicts: conflicts with \"ops\" using rbac.authorization.k8s.io/v1:\n- .metadata.labels.a\n- .metadata.labels.b\n- .rules"
    );
}

#[test]
fn equal_values_are_co_owned_and_survive_a_drop() {
    let api = FakeApi::start();
    apply_json(&api, ROLE, "plinth", false, &role(json!({"team": "a"}), &["get"]));
    // A second applier sets the same label value: no conflict, shared ownership.
    let other = json!({"apiVersion": "rbac.authorization.k8s.io/v1", "kind": "Role", "metadata": {"name": "reader", "labels": {"team": "a"}}});
    let shared = apply_json(&api, ROLE, "auditor", false, &other);
    assert_eq!(shared.status, 200, "{}", shared.body);
    assert_eq!(
        fields_of(&shared.body, "auditor", "Apply"),
        &json!({"f:metadata": {"f:labels": {"f:team": {}}}})
    );
    assert_eq!(
        fields_of(&shared.body, "plinth", "Apply"),
        &json!({"f:metadata": {"f:labels": {"f:team": {}}}, "f:rules": {}})
    );

    // plinth stops applying the label: auditor still owns it, so it stays.
    let mut without = role(json!({}), &["get"]);
    without["metadata"].as_object_mut().unwrap().remove("labels");
    let r = apply_json(&api, ROLE, "plinth", false, &without);
    assert_eq!(r.body["metadata"]["labels"]["team"], "a");
    assert_eq!(fields_of(&r.body, "plinth", "Apply"), &json!({"f:rules": {}}));
}

#[test]
fn a_label_added_by_another_manager_survives_our_apply() {
    let api = FakeApi::start();
    let ours = role(json!({"team": "a"}), &["get"]);
    apply_json(&api, ROLE, "plinth", false, &ours);
    let labelled = send(
        &api,
        "PATCH",
        &format!("{ROLE}?fieldManager=kubectl-label"),
        &[("Content-Type", "application/strategic-merge-patch+json")],
        Some(r#"{"metadata":{"labels":{"extra":"yes"}}}"#),
    );
    assert_eq!(labelled.status, 200, "{}", labelled.body);

    let r = apply_json(
        &api,
        ROLE,
        "plinth",
        false,
        &role(json!({"team": "a"}), &["get", "list"]),
    );
    assert_eq!(r.status, 200, "{}", r.body);
    assert_eq!(r.body["metadata"]["labels"], json!({"team": "a", "extra": "yes"}));
    assert_eq!(
        fields_of(&r.body, "kubectl-label", "Update"),
        &json!({"f:metadata": {"f:labels": {"f:extra": {}}}})
    );
    assert!(
        fields_of(&r.body, "plinth", "Apply")["f:metadata"]["f:labels"]
            .get("f:extra")
            .is_none()
    );

    // Applying an empty labels map claims the map but leaves others' labels alone.
    let mut empty = role(json!({}), &["get", "list"]);
    empty["metadata"]["labels"] = json!({});
    let r = apply_json(&api, ROLE, "plinth", false, &empty);
    assert_eq!(r.status, 200, "{}", r.body);
    assert_eq!(r.body["metadata"]["labels"], json!({"extra": "yes"}));
    assert_eq!(
        fields_of(&r.body, "plinth", "Apply")["f:metadata"],
        json!({"f:labels": {}})
    );
    apply_json(
        &api,
        ROLE,
        "plinth",
        false,
        &role(json!({"team": "a"}), &["get", "list"]),
    );

    // And a field another manager removed stays removed from everyone's set.
    let removed = merge_patch(
        &api,
        ROLE,
        "kubectl-label",
        &json!({"metadata": {"labels": {"extra": null}}}),
    );
    assert!(removed.body["metadata"]["labels"].get("extra").is_none());
    assert_eq!(managers(&removed.body), [("plinth".to_string(), "Apply".to_string())]);
}

#[test]
fn update_default_manager_and_put_ignore_managed_fields() {
    let api = FakeApi::start();
    let cms = "/api/v1/namespaces/default/configmaps";
    let created = send(
        &api,
        "POST",
        cms,
        &[
            ("Content-Type", "application/json"),
            ("User-Agent", "kubectl/v1.32.4 (linux/amd64)"),
        ],
        Some(r#"{"metadata":{"name":"c"},"data":{"a":"1"}}"#),
    );
    assert_eq!(managers(&created.body), [("kubectl".to_string(), "Update".to_string())]);
    let anonymous = post(&api, cms, &json!({"metadata": {"name": "d"}, "data": {"a": "1"}}));
    assert_eq!(
        managers(&anonymous.body),
        [("unknown".to_string(), "Update".to_string())]
    );

    let mut body = created.body.clone();
    body["metadata"]["managedFields"] =
        json!([{"manager": "forged", "operation": "Apply", "fieldsType": "FieldsV1", "fieldsV1": {}}]);
    body["data"]["b"] = json!("2");
    let replaced = send(
        &api,
        "PUT",
        &format!("{cms}/c?fieldManager=editor"),
        &[("Content-Type", "application/json")],
        Some(&body.to_string()),
    );
    assert_eq!(replaced.status, 200, "{}", replaced.body);
    assert_eq!(
        managers(&replaced.body),
        [
            ("kubectl".to_string(), "Update".to_string()),
            ("editor".to_string(), "Update".to_string())
        ]
    );
    assert_eq!(
        fields_of(&replaced.body, "editor", "Update"),
        &json!({"f:data": {"f:b": {}}})
    );
}

#[test]
fn dry_run_stores_nothing() {
    let api = FakeApi::start();
    let path = format!("{ROLE}?fieldManager=plinth&dryRun=All");
    let r = send(
        &api,
        "PATCH",
        &path,
        &[("Content-Type", "application/apply-patch+yaml")],
        Some(&role(json!({}), &["get"]).to_string()),
    );
    assert_eq!(r.status, 201, "{}", r.body);
    assert!(api.get(ROLE).is_none());
}
