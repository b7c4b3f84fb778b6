//! What the server does to an object body before storing it: fill in server-owned metadata, apply
//! the few kind-specific conversions and defaults the fake emulates, and validate.
//!
//! Emulated per kind: Namespace (name label, `spec.finalizers`, `status.phase`), Secret
//! (`stringData` folded into base64 `data`, `type` defaults to `Opaque`, valid keys and base64),
//! ConfigMap (valid keys, string values), Role/ClusterRole (every rule has verbs),
//! RoleBinding/ClusterRoleBinding (`roleRef` required, valid and immutable; subjects valid;
//! User/Group subjects get `apiGroup` defaulted). Every kind gets name and label/annotation
//! validation. **No other defaulting happens**: a Service gets no `clusterIP`, a Deployment no
//! `strategy`; those kinds are stored as sent.

use base64::Engine as _;
use serde_json::{Map, Value, json};

use crate::kinds::Kind;
use crate::managed::Path;
use crate::status::{ApiError, FieldError};

const RBAC_GROUP: &str = "rbac.authorization.k8s.io";

/// Metadata keys a client may set; everything else in a body's metadata is server-owned or
/// unknown and is dropped.
const CLIENT_METADATA: &[&str] = &["generateName", "labels", "annotations", "ownerReferences", "finalizers"];

/// Metadata keys in the order the real server serialises them.
const METADATA_ORDER: &[&str] = &[
    "name",
    "generateName",
    "namespace",
    "uid",
    "resourceVersion",
    "generation",
    "creationTimestamp",
    "labels",
    "annotations",
    "ownerReferences",
    "finalizers",
];

/// Turns a client body into the object to store.
///
/// `old` is the stored object being replaced (its uid, creation time, resourceVersion and
/// generation are carried over; the caller bumps the last two if anything changed) or `None` for
/// a create. The body's `status` is ignored: status is server-owned (and no controller writes it).
pub(crate) fn finish(
    kind: &Kind,
    namespace: Option<&str>,
    name: &str,
    body: Value,
    old: Option<&Value>,
    now: &str,
) -> Result<Value, ApiError> {
    let Value::Object(mut body) = body else {
        return Err(ApiError::bad_request(format!(
            "the object provided is unrecognized (must be of type {})",
            kind.kind
        )));
    };
    let body_meta = match body.shift_remove("metadata") {
        Some(Value::Object(m)) => m,
        Some(Value::Null) | None => Map::new(),
        Some(_) => return Err(ApiError::bad_request("metadata must be an object")),
    };
    body.shift_remove("apiVersion");
    body.shift_remove("kind");
    body.shift_remove("status");

    let old_meta = old.and_then(|o| o.get("metadata"));
    let from_old = |key: &str| old_meta.and_then(|m| m.get(key)).cloned();

    let mut meta = Map::new();
    meta.insert("name".into(), json!(name));
    if let Some(ns) = namespace {
        meta.insert("namespace".into(), json!(ns));
    }
    meta.insert(
        "uid".into(),
        from_old("uid").unwrap_or_else(|| json!(uuid::Uuid::new_v4().to_string())),
    );
    if let Some(rv) = from_old("resourceVersion") {
        meta.insert("resourceVersion".into(), rv);
    }
    if let Some(g) = from_old("generation") {
        meta.insert("generation".into(), g);
    }
    meta.insert(
        "creationTimestamp".into(),
        from_old("creationTimestamp").unwrap_or_else(|| json!(now)),
    );
    if let Some(g) = from_old("generateName") {
        meta.insert("generateName".into(), g);
    }
    for (k, v) in body_meta {
        if CLIENT_METADATA.contains(&k.as_str()) && !v.is_null() {
            meta.insert(k, v);
        }
    }

    let mut object = Map::new();
    object.insert("apiVersion".into(), json!(kind.api_version()));
    object.insert("kind".into(), json!(kind.kind));
    object.insert("metadata".into(), Value::Object(order_metadata(meta)));
    object.extend(body);
    if let Some(status) = old.and_then(|o| o.get("status")) {
        object.insert("status".into(), status.clone());
    }
    let mut object = Value::Object(object);

    check_string_map(&object, "labels")?;
    check_string_map(&object, "annotations")?;
    convert_and_default(kind, name, &mut object)?;
    let mut errors = validate_common(kind, name, &object);
    errors.extend(validate_kind(kind, &object, old));
    if errors.is_empty() {
        Ok(object)
    } else {
        Err(ApiError::invalid_object(kind, name, &errors))
    }
}

/// Paths the server sets on its own and that no client manager is recorded as owning.
pub(crate) fn server_owned_paths(kind: &Kind) -> Vec<Path> {
    let p = |s: &[&str]| s.iter().map(|x| x.to_string()).collect::<Path>();
    match kind.kind {
        "Namespace" => vec![
            p(&["metadata", "labels", "kubernetes.io/metadata.name"]),
            p(&["spec", "finalizers"]),
        ],
        _ => Vec::new(),
    }
}

fn order_metadata(mut meta: Map<String, Value>) -> Map<String, Value> {
    let mut out = Map::new();
    for key in METADATA_ORDER {
        if let Some(v) = meta.shift_remove(*key) {
            out.insert((*key).to_string(), v);
        }
    }
    out.extend(meta);
    out
}

/// Go would refuse to decode a non-string label or annotation value: a 400, not a 422.
fn check_string_map(object: &Value, key: &str) -> Result<(), ApiError> {
    match object.get("metadata").and_then(|m| m.get(key)) {
        None | Some(Value::Null) => Ok(()),
        Some(Value::Object(m)) => match m.iter().find(|(_, v)| !v.is_string()) {
            Some((k, v)) => Err(ApiError::bad_request(format!(
                "json: cannot unmarshal {} into Go struct field ObjectMeta.metadata.{key} of type string (key {k:?})",
                json_type(v)
            ))),
            None => Ok(()),
        },
        Some(v) => Err(ApiError::bad_request(format!(
            "json: cannot unmarshal {} into Go struct field ObjectMeta.metadata.{key} of type map[string]string",
            json_type(v)
        ))),
    }
}

fn json_type(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "bool",
        Value::Number(_) => "number",
        Value::String(_) => "string",
        Value::Array(_) => "array",
        Value::Object(_) => "object",
    }
}

fn convert_and_default(kind: &Kind, name: &str, object: &mut Value) -> Result<(), ApiError> {
    let Value::Object(obj) = object else { return Ok(()) };
    match kind.kind {
        "Namespace" => {
            if let Some(Value::Object(meta)) = obj.get_mut("metadata") {
                let labels = meta.entry("labels").or_insert_with(|| json!({}));
                if let Value::Object(l) = labels {
                    l.insert("kubernetes.io/metadata.name".into(), json!(name));
                }
                let ordered = order_metadata(std::mem::take(meta));
                *meta = ordered;
            }
            let spec = obj.entry("spec").or_insert_with(|| json!({}));
            if let Value::Object(spec) = spec {
                spec.entry("finalizers").or_insert_with(|| json!(["kubernetes"]));
            }
            let status = obj.shift_remove("status").unwrap_or_else(|| json!({"phase": "Active"}));
            obj.insert("status".into(), status);
        }
        "Secret" => {
            if let Some(string_data) = obj.shift_remove("stringData") {
                let Value::Object(string_data) = string_data else {
                    return Err(ApiError::bad_request(
                        "Secret in version \"v1\" cannot be handled as a Secret: stringData must be a map of strings",
                    ));
                };
                let data = obj.entry("data").or_insert_with(|| json!({}));
                if data.is_null() {
                    *data = json!({});
                }
                let Value::Object(data) = data else {
                    return Err(ApiError::bad_request(
                        "Secret in version \"v1\" cannot be handled as a Secret: data must be a map of strings",
                    ));
                };
                for (k, v) in string_data {
                    let Value::String(s) = v else {
                        return Err(ApiError::bad_request(format!(
                            "Secret in version \"v1\" cannot be handled as a Secret: stringData[{k:?}] must be a string"
                        )));
                    };
                    data.insert(k, json!(base64::engine::general_purpose::STANDARD.encode(s)));
                }
            }
            if let Some(data) = obj.get("data") {
                let Value::Object(data) = data else {
                    return Err(ApiError::bad_request(
                        "Secret in version \"v1\" cannot be handled as a Secret: data must be a map of strings",
                    ));
                };
                for (k, v) in data {
                    let valid = v
                        .as_str()
                        .is_some_and(|s| base64::engine::general_purpose::STANDARD.decode(s).is_ok());
                    if !valid {
                        return Err(ApiError::bad_request(format!(
                            "Secret in version \"v1\" cannot be handled as a Secret: illegal base64 data in data[{k:?}]"
                        )));
                    }
                }
            }
            obj.entry("type").or_insert_with(|| json!("Opaque"));
        }
        "ConfigMap" => {
            if let Some(data) = obj.get("data") {
                let ok = data.as_object().is_some_and(|m| m.values().all(Value::is_string));
                if !ok {
                    return Err(ApiError::bad_request(
                        "ConfigMap in version \"v1\" cannot be handled as a ConfigMap: data must be a map of strings",
                    ));
                }
            }
        }
        "RoleBinding" | "ClusterRoleBinding" => {
            if let Some(Value::Array(subjects)) = obj.get_mut("subjects") {
                for s in subjects.iter_mut().filter_map(Value::as_object_mut) {
                    let kind = s.get("kind").and_then(Value::as_str).unwrap_or("");
                    let missing = s.get("apiGroup").and_then(Value::as_str).is_none_or(str::is_empty);
                    if missing && (kind == "User" || kind == "Group") {
                        s.insert("apiGroup".into(), json!(RBAC_GROUP));
                    }
                }
            }
        }
        _ => {}
    }
    Ok(())
}

/// Which rule a kind's object names must satisfy.
fn validate_name(kind: &Kind, name: &str) -> Vec<FieldError> {
    let field = "metadata.name";
    let v = json!(name);
    match kind.kind {
        "Namespace" => dns1123_label(name)
            .into_iter()
            .map(|m| FieldError::invalid(field, &v, &m))
            .collect(),
        "Service" => dns1035_label(name)
            .into_iter()
            .map(|m| FieldError::invalid(field, &v, &m))
            .collect(),
        "Role" | "ClusterRole" | "RoleBinding" | "ClusterRoleBinding" => path_segment(name)
            .into_iter()
            .map(|m| FieldError::invalid(field, &v, &m))
            .collect(),
        _ => dns1123_subdomain(name)
            .into_iter()
            .map(|m| FieldError::invalid(field, &v, &m))
            .collect(),
    }
}

fn validate_common(kind: &Kind, name: &str, object: &Value) -> Vec<FieldError> {
    let mut errors = validate_name(kind, name);
    let meta = object.get("metadata");
    if let Some(Value::Object(labels)) = meta.and_then(|m| m.get("labels")) {
        for (k, v) in labels {
            for m in qualified_name(k) {
                errors.push(FieldError::invalid("metadata.labels", &json!(k), &m));
            }
            if let Some(v) = v.as_str() {
                for m in label_value(v) {
                    errors.push(FieldError::invalid("metadata.labels", &json!(v), &m));
                }
            }
        }
    }
    if let Some(Value::Object(annotations)) = meta.and_then(|m| m.get("annotations")) {
        for k in annotations.keys() {
            for m in qualified_name(&k.to_ascii_lowercase()) {
                errors.push(FieldError::invalid("metadata.annotations", &json!(k), &m));
            }
        }
    }
    errors
}

fn validate_kind(kind: &Kind, object: &Value, old: Option<&Value>) -> Vec<FieldError> {
    let mut errors = Vec::new();
    match kind.kind {
        "ConfigMap" | "Secret" => {
            for key in ["data", "binaryData"] {
                if let Some(Value::Object(m)) = object.get(key) {
                    for k in m.keys() {
                        if let Some(msg) = config_key(k) {
                            errors.push(FieldError::invalid(format!("{key}[{k}]"), &json!(k), &msg));
                        }
                    }
                }
            }
        }
        "Role" | "ClusterRole" => {
            if let Some(rules) = object.get("rules") {
                match rules.as_array() {
                    Some(rules) => {
                        for (i, rule) in rules.iter().enumerate() {
                            let verbs = rule.get("verbs").and_then(Value::as_array);
                            if verbs.is_none_or(Vec::is_empty) {
                                errors.push(FieldError::required(
                                    format!("rules[{i}].verbs"),
                                    "verbs must contain at least one value",
                                ));
                            }
                            let has_urls = rule
                                .get("nonResourceURLs")
                                .and_then(Value::as_array)
                                .is_some_and(|a| !a.is_empty());
                            if has_urls && kind.kind == "Role" {
                                errors.push(FieldError::invalid(
                                    format!("rules[{i}].nonResourceURLs"),
                                    rule.get("nonResourceURLs").unwrap_or(&Value::Null),
                                    "namespaced rules cannot apply to non-resource URLs",
                                ));
                            }
                        }
                    }
                    None => errors.push(FieldError::invalid("rules", rules, "must be a list")),
                }
            }
        }
        "RoleBinding" | "ClusterRoleBinding" => {
            errors.extend(validate_role_ref(kind, object.get("roleRef")));
            if let (Some(old), Some(new)) = (old.and_then(|o| o.get("roleRef")), object.get("roleRef"))
                && old != new
            {
                errors.push(FieldError::invalid("roleRef", new, "cannot change roleRef"));
            }
            if let Some(subjects) = object.get("subjects") {
                match subjects.as_array() {
                    Some(subjects) => {
                        for (i, s) in subjects.iter().enumerate() {
                            errors.extend(validate_subject(kind, i, s));
                        }
                    }
                    None => errors.push(FieldError::invalid("subjects", subjects, "must be a list")),
                }
            }
        }
        _ => {}
    }
    errors
}

fn validate_role_ref(kind: &Kind, role_ref: Option<&Value>) -> Vec<FieldError> {
    let mut errors = Vec::new();
    let get = |k: &str| role_ref.and_then(|r| r.get(k)).and_then(Value::as_str).unwrap_or("");
    let ref_kind = get("kind");
    let allowed: &[&str] = if kind.kind == "RoleBinding" {
        &["Role", "ClusterRole"]
    } else {
        &["ClusterRole"]
    };
    if !allowed.contains(&ref_kind) {
        let supported = allowed
            .iter()
            .map(|k| format!("\"{k}\""))
            .collect::<Vec<_>>()
            .join(", ");
        errors.push(FieldError {
            reason: "FieldValueNotSupported",
            field: "roleRef.kind".into(),
            message: format!("Unsupported value: \"{ref_kind}\": supported values: {supported}"),
        });
    }
    if get("apiGroup") != RBAC_GROUP {
        errors.push(FieldError {
            reason: "FieldValueNotSupported",
            field: "roleRef.apiGroup".into(),
            message: format!(
                "Unsupported value: \"{}\": supported values: \"{RBAC_GROUP}\"",
                get("apiGroup")
            ),
        });
    }
    let name = get("name");
    if name.is_empty() {
        errors.push(FieldError::required("roleRef.name", ""));
    } else {
        for m in path_segment(name) {
            errors.push(FieldError::invalid("roleRef.name", &json!(name), &m));
        }
    }
    errors
}

fn validate_subject(kind: &Kind, i: usize, s: &Value) -> Vec<FieldError> {
    let mut errors = Vec::new();
    let get = |k: &str| s.get(k).and_then(Value::as_str).unwrap_or("");
    let field = |f: &str| format!("subjects[{i}].{f}");
    if get("name").is_empty() {
        errors.push(FieldError::required(field("name"), ""));
    }
    match get("kind") {
        "ServiceAccount" => {
            if !get("apiGroup").is_empty() {
                errors.push(FieldError {
                    reason: "FieldValueNotSupported",
                    field: field("apiGroup"),
                    message: format!("Unsupported value: \"{}\": supported values: \"\"", get("apiGroup")),
                });
            }
            if kind.kind == "ClusterRoleBinding" && get("namespace").is_empty() {
                errors.push(FieldError::required(field("namespace"), ""));
            }
        }
        "User" | "Group" => {
            if get("apiGroup") != RBAC_GROUP {
                errors.push(FieldError {
                    reason: "FieldValueNotSupported",
                    field: field("apiGroup"),
                    message: format!(
                        "Unsupported value: \"{}\": supported values: \"{RBAC_GROUP}\"",
                        get("apiGroup")
                    ),
                });
            }
        }
        other => errors.push(FieldError {
            reason: "FieldValueNotSupported",
            field: field("kind"),
            message: format!(
                "Unsupported value: \"{other}\": supported values: \"ServiceAccount\", \"User\", \"Group\""
            ),
        }),
    }
    errors
}

const DNS1123_LABEL_MSG: &str = "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')";
const DNS1123_SUBDOMAIN_MSG: &str = "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')";
const DNS1035_LABEL_MSG: &str = "a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character (e.g. 'my-name',  or 'abc-123', regex used for validation is '[a-z]([-a-z0-9]*[a-z0-9])?')";

fn is_label_like(s: &str) -> bool {
    let b = s.as_bytes();
    let alnum = |c: &u8| c.is_ascii_lowercase() || c.is_ascii_digit();
    !b.is_empty()
        && b.first().is_some_and(alnum)
        && b.last().is_some_and(alnum)
        && b.iter().all(|c| alnum(c) || *c == b'-')
}

/// DNS-1123 label (namespace names): the real error messages, empty when valid.
pub(crate) fn dns1123_label(s: &str) -> Vec<String> {
    let mut out = Vec::new();
    if s.len() > 63 {
        out.push("must be no more than 63 characters".to_string());
    }
    if !is_label_like(s) {
        out.push(DNS1123_LABEL_MSG.to_string());
    }
    out
}

/// DNS-1123 subdomain (most object names).
pub(crate) fn dns1123_subdomain(s: &str) -> Vec<String> {
    let mut out = Vec::new();
    if s.len() > 253 {
        out.push("must be no more than 253 characters".to_string());
    }
    if !s.split('.').all(is_label_like) {
        out.push(DNS1123_SUBDOMAIN_MSG.to_string());
    }
    out
}

/// DNS-1035 label (Service names): like a DNS-1123 label but starting with a letter.
fn dns1035_label(s: &str) -> Vec<String> {
    let mut out = Vec::new();
    if s.len() > 63 {
        out.push("must be no more than 63 characters".to_string());
    }
    if !is_label_like(s) || !s.as_bytes().first().is_some_and(u8::is_ascii_lowercase) {
        out.push(DNS1035_LABEL_MSG.to_string());
    }
    out
}

/// RBAC names only have to be usable as a URL path segment (so `system:reader` is fine).
fn path_segment(s: &str) -> Vec<String> {
    let mut out = Vec::new();
    if s == "." || s == ".." {
        out.push(format!("may not be '{s}'"));
    }
    for bad in ["/", "%"] {
        if s.contains(bad) {
            out.push(format!("may not contain '{bad}'"));
        }
    }
    out
}

fn is_name_part(s: &str) -> bool {
    let b = s.as_bytes();
    !b.is_empty()
        && b.first().is_some_and(u8::is_ascii_alphanumeric)
        && b.last().is_some_and(u8::is_ascii_alphanumeric)
        && b.iter()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, b'-' | b'_' | b'.'))
}

/// Label and annotation keys: `[prefix/]name`.
fn qualified_name(key: &str) -> Vec<String> {
    const NAME_MSG: &str = "name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')";
    let mut out = Vec::new();
    let (prefix, name) = match key.split_once('/') {
        Some((p, n)) => (Some(p), n),
        None => (None, key),
    };
    if let Some(prefix) = prefix {
        if prefix.is_empty() {
            out.push("prefix part must be non-empty".to_string());
        } else {
            out.extend(
                dns1123_subdomain(prefix)
                    .into_iter()
                    .map(|m| format!("prefix part {m}")),
            );
        }
    }
    if name.is_empty() {
        out.push("name part must be non-empty".to_string());
    } else {
        if name.len() > 63 {
            out.push("name part must be no more than 63 characters".to_string());
        }
        if !is_name_part(name) {
            out.push(NAME_MSG.to_string());
        }
    }
    out
}

fn label_value(v: &str) -> Vec<String> {
    const MSG: &str = "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')";
    let mut out = Vec::new();
    if v.len() > 63 {
        out.push("must be no more than 63 characters".to_string());
    }
    if !v.is_empty() && !is_name_part(v) {
        out.push(MSG.to_string());
    }
    out
}

fn config_key(k: &str) -> Option<String> {
    let ok = !k.is_empty()
        && k.len() <= 253
        && k != "."
        && k != ".."
        && !k.starts_with("..")
        && k.bytes()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, b'-' | b'_' | b'.'));
    (!ok).then(|| {
        "a valid config key must consist of alphanumeric characters, '-', '_' or '.' (e.g. 'key.name',  or 'KEY_NAME',  or 'key-name', regex used for validation is '[-._a-zA-Z0-9]+')".to_string()
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn name_rules() {
        assert!(dns1123_subdomain("a.b-c").is_empty());
        assert!(!dns1123_subdomain("Bad_Name").is_empty());
        assert!(!dns1123_subdomain("-a").is_empty());
        assert!(dns1123_label("team-a").is_empty());
        assert!(!dns1123_label("a.b").is_empty());
        assert!(path_segment("system:reader").is_empty());
        assert!(!path_segment("a/b").is_empty());
        assert!(qualified_name("app.kubernetes.io/name").is_empty());
        assert!(!qualified_name("bad key").is_empty());
        assert!(label_value("").is_empty());
        assert!(!label_value("-x").is_empty());
    }
}
