//! Kubernetes `Status` failures: every request the fake refuses is answered with one of these,
//! shaped and worded like the real API server's so clients parse them the same way.

use serde_json::{Map, Value, json};

use crate::kinds::Kind;

/// A refused request: HTTP code, machine-readable reason, human message and optional details.
#[derive(Debug, Clone)]
pub(crate) struct ApiError {
    pub code: u16,
    pub reason: &'static str,
    pub message: String,
    pub details: Option<Value>,
}

/// One field-level problem in a 422 Invalid answer, e.g. `rules[0].verbs: Required value: ...`.
#[derive(Debug, Clone)]
pub(crate) struct FieldError {
    /// `FieldValueRequired`, `FieldValueInvalid`, ...
    pub reason: &'static str,
    /// Dotted path as Kubernetes prints it: `metadata.name`, `rules[0].verbs`.
    pub field: String,
    /// Message starting with the reason's wording, e.g. `Required value: verbs must ...`.
    pub message: String,
}

impl FieldError {
    pub fn required(field: impl Into<String>, detail: &str) -> Self {
        let message = if detail.is_empty() {
            "Required value".to_string()
        } else {
            format!("Required value: {detail}")
        };
        FieldError {
            reason: "FieldValueRequired",
            field: field.into(),
            message,
        }
    }

    pub fn invalid(field: impl Into<String>, value: &Value, detail: &str) -> Self {
        let shown = match value {
            Value::String(s) => format!("{s:?}"),
            other => other.to_string(),
        };
        FieldError {
            reason: "FieldValueInvalid",
            field: field.into(),
            message: format!("Invalid value: {shown}: {detail}"),
        }
    }

    pub fn forbidden(field: impl Into<String>, detail: &str) -> Self {
        FieldError {
            reason: "FieldValueForbidden",
            field: field.into(),
            message: format!("Forbidden: {detail}"),
        }
    }

    fn rendered(&self) -> String {
        format!("{}: {}", self.field, self.message)
    }
}

impl ApiError {
    fn new(code: u16, reason: &'static str, message: impl Into<String>) -> Self {
        ApiError {
            code,
            reason,
            message: message.into(),
            details: None,
        }
    }

    fn with_details(mut self, details: Value) -> Self {
        self.details = Some(details);
        self
    }

    /// 400 BadRequest.
    pub fn bad_request(message: impl Into<String>) -> Self {
        Self::new(400, "BadRequest", message)
    }

    /// 401 Unauthorized, as the real server answers a missing or wrong bearer token.
    pub fn unauthorized() -> Self {
        Self::new(401, "Unauthorized", "Unauthorized")
    }

    /// 404 for a URL that names no served resource.
    pub fn no_route() -> Self {
        Self::new(404, "NotFound", "the server could not find the requested resource").with_details(json!({}))
    }

    /// 404 for a missing object: `roles.rbac.authorization.k8s.io "reader" not found`.
    pub fn not_found(kind: &Kind, name: &str) -> Self {
        Self::new(
            404,
            "NotFound",
            format!("{} \"{name}\" not found", kind.qualified_resource()),
        )
        .with_details(details(kind, name))
    }

    /// 405 for a verb the URL does not support.
    pub fn method_not_allowed(message: impl Into<String>) -> Self {
        Self::new(405, "MethodNotAllowed", message)
    }

    /// 409 AlreadyExists for a create of an existing name.
    pub fn already_exists(kind: &Kind, name: &str) -> Self {
        Self::new(
            409,
            "AlreadyExists",
            format!("{} \"{name}\" already exists", kind.qualified_resource()),
        )
        .with_details(details(kind, name))
    }

    /// 409 Conflict for a stale `resourceVersion` (optimistic concurrency).
    pub fn stale(kind: &Kind, name: &str) -> Self {
        Self::new(
            409,
            "Conflict",
            format!(
                "Operation cannot be fulfilled on {} \"{name}\": the object has been modified; \
                 please apply your changes to the latest version and try again",
                kind.qualified_resource()
            ),
        )
        .with_details(details(kind, name))
    }

    /// 409 Conflict for a failed `uid` precondition.
    pub fn uid_precondition(kind: &Kind, name: &str, wanted: &str, actual: &str) -> Self {
        Self::new(
            409,
            "Conflict",
            format!(
                "Operation cannot be fulfilled on {} \"{name}\": Precondition failed: UID in precondition: \
                 {wanted}, UID in object meta: {actual}",
                kind.qualified_resource()
            ),
        )
        .with_details(details(kind, name))
    }

    /// 409 Conflict from server-side apply, with one cause per conflicting field.
    pub fn apply_conflict(message: String, causes: Vec<Value>) -> Self {
        Self::new(409, "Conflict", message).with_details(json!({ "causes": causes }))
    }

    /// 415 for a patch content type the fake does not implement.
    pub fn unsupported_media_type(content_type: &str) -> Self {
        Self::new(
            415,
            "UnsupportedMediaType",
            format!(
                "the body of the request was in an unknown format ({content_type:?}) - accepted media types include: \
                 application/json, application/yaml, application/json-patch+json, application/merge-patch+json, \
                 application/strategic-merge-patch+json, application/apply-patch+yaml"
            ),
        )
    }

    /// 422 Invalid listing every field error, worded like the real server:
    /// `Role.rbac.authorization.k8s.io "x" is invalid: rules[0].verbs: Required value: ...`.
    pub fn invalid(qualified_kind: &str, group: &str, kind: &str, name: &str, errors: &[FieldError]) -> Self {
        let list = if errors.len() == 1 {
            errors.iter().map(FieldError::rendered).collect::<String>()
        } else {
            format!(
                "[{}]",
                errors.iter().map(FieldError::rendered).collect::<Vec<_>>().join(", ")
            )
        };
        let causes: Vec<Value> = errors
            .iter()
            .map(|e| json!({ "reason": e.reason, "message": e.message, "field": e.field }))
            .collect();
        let mut d = Map::new();
        d.insert("name".into(), json!(name));
        if !group.is_empty() {
            d.insert("group".into(), json!(group));
        }
        d.insert("kind".into(), json!(kind));
        d.insert("causes".into(), Value::Array(causes));
        Self::new(
            422,
            "Invalid",
            format!("{qualified_kind} \"{name}\" is invalid: {list}"),
        )
        .with_details(Value::Object(d))
    }

    /// 422 Invalid for an object of a served kind.
    pub fn invalid_object(kind: &Kind, name: &str, errors: &[FieldError]) -> Self {
        Self::invalid(&kind.qualified_kind(), kind.group, kind.kind, name, errors)
    }

    /// The `Status` body for this failure.
    pub fn to_status(&self) -> Value {
        let mut m = Map::new();
        m.insert("kind".into(), json!("Status"));
        m.insert("apiVersion".into(), json!("v1"));
        m.insert("metadata".into(), json!({}));
        m.insert("status".into(), json!("Failure"));
        m.insert("message".into(), json!(self.message));
        m.insert("reason".into(), json!(self.reason));
        if let Some(d) = &self.details {
            m.insert("details".into(), d.clone());
        }
        m.insert("code".into(), json!(self.code));
        Value::Object(m)
    }
}

/// `details` naming an object, as NotFound/AlreadyExists/Conflict carry them.
fn details(kind: &Kind, name: &str) -> Value {
    let mut d = Map::new();
    d.insert("name".into(), json!(name));
    if !kind.group.is_empty() {
        d.insert("group".into(), json!(kind.group));
    }
    d.insert("kind".into(), json!(kind.plural));
    Value::Object(d)
}

/// The `Status` a successful DELETE answers with.
pub(crate) fn delete_success(kind: &Kind, name: &str, uid: &str) -> Value {
    let mut d = Map::new();
    d.insert("name".into(), json!(name));
    if !kind.group.is_empty() {
        d.insert("group".into(), json!(kind.group));
    }
    d.insert("kind".into(), json!(kind.plural));
    d.insert("uid".into(), json!(uid));
    json!({
        "kind": "Status",
        "apiVersion": "v1",
        "metadata": {},
        "status": "Success",
        "details": Value::Object(d),
    })
}
