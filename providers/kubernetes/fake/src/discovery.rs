//! Discovery documents (`/version`, `/api`, `/apis`, `/api/v1`, `/apis/G[/V]`), generated from the
//! kind table so a new kind is discoverable without touching this file.
//!
//! Both formats are served: legacy discovery (one document per group version), and aggregated
//! discovery (`apidiscovery.k8s.io` v2 or v2beta1 `APIGroupDiscoveryList` from `/api` and
//! `/apis`), chosen by the `Accept` header the way the real server negotiates it.

use serde_json::{Value, json};

use crate::kinds::{self, KINDS};

/// The Kubernetes version the fake claims to be.
pub(crate) fn version() -> Value {
    json!({
        "major": "1",
        "minor": "34",
        "emulationMajor": "1",
        "emulationMinor": "34",
        "minCompatibilityMajor": "1",
        "minCompatibilityMinor": "33",
        "gitVersion": "v1.34.0",
        "gitCommit": "0000000000000000000000000000000000000000",
        "gitTreeState": "clean",
        "buildDate": "2025-08-27T00:00:00Z",
        "goVersion": "go1.24.6",
        "compiler": "gc",
        "platform": "linux/amd64"
    })
}

/// `GET /api`: the core group's versions.
pub(crate) fn core_versions(port: u16) -> Value {
    json!({
        "kind": "APIVersions",
        "versions": ["v1"],
        "serverAddressByClientCIDRs": [{"clientCIDR": "0.0.0.0/0", "serverAddress": format!("127.0.0.1:{port}")}]
    })
}

fn group(name: &str) -> Option<Value> {
    let versions: Vec<Value> = kinds::group_versions()
        .into_iter()
        .filter(|(g, _)| *g == name)
        .map(|(g, v)| json!({"groupVersion": format!("{g}/{v}"), "version": v}))
        .collect();
    let preferred = versions.first()?.clone();
    Some(json!({"name": name, "versions": versions, "preferredVersion": preferred}))
}

/// `GET /apis`: every named group.
pub(crate) fn group_list() -> Value {
    let mut names: Vec<&str> = Vec::new();
    for (g, _) in kinds::group_versions() {
        if !g.is_empty() && !names.contains(&g) {
            names.push(g);
        }
    }
    let groups: Vec<Value> = names.into_iter().filter_map(group).collect();
    json!({"kind": "APIGroupList", "apiVersion": "v1", "groups": groups})
}

/// `GET /apis/GROUP`.
pub(crate) fn api_group(name: &str) -> Option<Value> {
    let mut g = group(name)?;
    if let Value::Object(m) = &mut g {
        m.insert("kind".into(), json!("APIGroup"));
        m.insert("apiVersion".into(), json!("v1"));
    }
    Some(g)
}

/// `GET /api/v1` or `GET /apis/GROUP/VERSION`: the resources served there.
pub(crate) fn resource_list(group: &str, version: &str) -> Option<Value> {
    let resources: Vec<Value> = KINDS
        .iter()
        .filter(|k| k.group == group && k.version == version)
        .map(|k| {
            let mut r = json!({
                "name": k.plural,
                "singularName": k.singular(),
                "namespaced": k.namespaced,
                "kind": k.kind,
                "verbs": ["create", "delete", "get", "list", "patch", "update"],
            });
            if !k.short_names.is_empty()
                && let Value::Object(m) = &mut r
            {
                m.insert("shortNames".into(), json!(k.short_names));
            }
            r
        })
        .collect();
    if resources.is_empty() {
        return None;
    }
    let group_version = if group.is_empty() {
        version.to_string()
    } else {
        format!("{group}/{version}")
    };
    Some(json!({"kind": "APIResourceList", "apiVersion": "v1", "groupVersion": group_version, "resources": resources}))
}

/// The aggregated-discovery version the `Accept` header asks for first, if it prefers aggregated
/// discovery over plain JSON: `"v2"` or `"v2beta1"`.
pub(crate) fn aggregated_version(accept: &str) -> Option<&'static str> {
    for entry in accept.split(',') {
        let params: Vec<&str> = entry.split(';').map(str::trim).collect();
        let media = params.first().copied().unwrap_or("");
        if media != "application/json" && media != "*/*" && media != "application/*" {
            continue;
        }
        let has = |p: &str| params.contains(&p);
        if !has("as=APIGroupDiscoveryList") {
            return None;
        }
        if has("g=apidiscovery.k8s.io") && has("v=v2") {
            return Some("v2");
        }
        if has("g=apidiscovery.k8s.io") && has("v=v2beta1") {
            return Some("v2beta1");
        }
    }
    None
}

/// The response media type for aggregated discovery `version`.
pub(crate) fn aggregated_media_type(version: &str) -> String {
    format!("application/json;g=apidiscovery.k8s.io;v={version};as=APIGroupDiscoveryList")
}

/// `APIGroupDiscoveryList` for the core group (`core`) or every named group.
pub(crate) fn aggregated(core: bool, version: &str) -> Value {
    let mut items = Vec::new();
    for (g, v) in kinds::group_versions() {
        if g.is_empty() != core {
            continue;
        }
        let resources: Vec<Value> = KINDS
            .iter()
            .filter(|k| k.group == g && k.version == v)
            .map(|k| {
                json!({
                    "resource": k.plural,
                    "responseKind": {"group": k.group, "version": k.version, "kind": k.kind},
                    "scope": if k.namespaced { "Namespaced" } else { "Cluster" },
                    "singularResource": k.singular(),
                    "verbs": ["create", "delete", "get", "list", "patch", "update"],
                    "shortNames": k.short_names,
                })
            })
            .collect();
        let version_entry = json!({"version": v, "resources": resources, "freshness": "Current"});
        let metadata = if g.is_empty() {
            json!({"creationTimestamp": null})
        } else {
            json!({"name": g, "creationTimestamp": null})
        };
        match items
            .iter_mut()
            .find(|i: &&mut Value| i["metadata"]["name"] == json!(g))
        {
            Some(Value::Object(item)) => {
                if let Some(Value::Array(vs)) = item.get_mut("versions") {
                    vs.push(version_entry);
                }
            }
            _ => items.push(json!({"metadata": metadata, "versions": [version_entry]})),
        }
    }
    json!({
        "kind": "APIGroupDiscoveryList",
        "apiVersion": format!("apidiscovery.k8s.io/{version}"),
        "metadata": {},
        "items": items,
    })
}
