//! Request routing: turns a method, path, query, headers and body into a call on the store or a
//! discovery document, and every failure into a `Status`. No I/O happens here; the HTTP layer in
//! `server.rs` hands over a fully read request and writes back what this returns.

use serde_json::{Value, json};

use crate::discovery;
use crate::kinds::{self, Kind};
use crate::query::{FieldSelector, LabelSelector, Query};
use crate::status::{ApiError, FieldError};
use crate::store::{ObjectRef, State, WriteOptions};

/// What a URL path addresses.
#[derive(Debug)]
pub(crate) enum Route {
    Version,
    Health,
    CoreVersions,
    Groups,
    Group(String),
    Resources(String, String),
    /// A collection; `namespace` `None` means cluster-scoped or all namespaces.
    Collection {
        kind: &'static Kind,
        namespace: Option<String>,
    },
    Object(ObjectRef),
}

/// Parses a path (without query) into a [`Route`].
pub(crate) fn route(path: &str) -> Result<Route, ApiError> {
    let segments: Vec<String> = path.split('/').filter(|s| !s.is_empty()).map(decode_segment).collect();
    let segs: Vec<&str> = segments.iter().map(String::as_str).collect();
    let (group, version, rest) = match segs.as_slice() {
        ["version"] => return Ok(Route::Version),
        ["healthz" | "livez" | "readyz"] => return Ok(Route::Health),
        ["api"] => return Ok(Route::CoreVersions),
        ["apis"] => return Ok(Route::Groups),
        ["apis", g] => return Ok(Route::Group((*g).to_string())),
        ["api", v, rest @ ..] => ("", *v, rest),
        ["apis", g, v, rest @ ..] => (*g, *v, rest),
        _ => return Err(ApiError::no_route()),
    };
    let find = |plural: &str| kinds::find(group, version, plural).ok_or_else(ApiError::no_route);
    match rest {
        [] => Ok(Route::Resources(group.to_string(), version.to_string())),
        [plural] => Ok(Route::Collection {
            kind: find(plural)?,
            namespace: None,
        }),
        [plural, name] => {
            let kind = find(plural)?;
            if kind.namespaced {
                return Err(ApiError::no_route());
            }
            Ok(Route::Object(ObjectRef {
                kind,
                namespace: None,
                name: (*name).to_string(),
            }))
        }
        ["namespaces", ns, plural] => {
            let kind = find(plural)?;
            if !kind.namespaced {
                return Err(ApiError::no_route());
            }
            Ok(Route::Collection {
                kind,
                namespace: Some((*ns).to_string()),
            })
        }
        ["namespaces", ns, plural, name] => {
            let kind = find(plural)?;
            if !kind.namespaced {
                return Err(ApiError::no_route());
            }
            Ok(Route::Object(ObjectRef {
                kind,
                namespace: Some((*ns).to_string()),
                name: (*name).to_string(),
            }))
        }
        _ => Err(ApiError::no_route()),
    }
}

fn decode_segment(s: &str) -> String {
    if !s.contains('%') {
        return s.to_string();
    }
    // Reuse the query decoder but keep '+' literal, as paths do.
    Query::parse(&format!("x={}", s.replace('+', "%2B")))
        .get("x")
        .unwrap_or(s)
        .to_string()
}

/// A fully read HTTP request.
#[derive(Debug)]
pub(crate) struct Request<'a> {
    pub method: &'a str,
    pub path: &'a str,
    pub query: Query,
    pub content_type: &'a str,
    pub accept: &'a str,
    pub user_agent: &'a str,
    pub body: &'a [u8],
}

/// The answer to one request.
#[derive(Debug)]
pub(crate) struct Reply {
    pub code: u16,
    pub body: Value,
    pub content_type: String,
}

/// Handles one request.
pub(crate) fn dispatch(state: &mut State, req: &Request<'_>) -> Reply {
    let json = "application/json".to_string();
    match handle(state, req) {
        Ok(Answer::Json(code, body)) => Reply {
            code,
            body,
            content_type: json,
        },
        Ok(Answer::Typed(body, content_type)) => Reply {
            code: 200,
            body,
            content_type,
        },
        Err(e) => Reply {
            code: e.code,
            body: e.to_status(),
            content_type: json,
        },
    }
}

enum Answer {
    /// A plain `application/json` body.
    Json(u16, Value),
    /// A 200 with a parameterised media type (aggregated discovery).
    Typed(Value, String),
}

fn handle(state: &mut State, req: &Request<'_>) -> Result<Answer, ApiError> {
    let route = route(req.path)?;
    if matches!(route, Route::Collection { .. } | Route::Object(_)) {
        return match route {
            Route::Collection { kind, namespace } => collection(state, req, kind, namespace),
            Route::Object(target) => object(state, req, &target),
            _ => Err(ApiError::no_route()),
        }
        .map(|(code, body)| Answer::Json(code, body));
    }
    if req.method != "GET" {
        return Err(ApiError::method_not_allowed(
            "the server does not allow this method on the requested resource",
        ));
    }
    let aggregated = discovery::aggregated_version(req.accept);
    let document = match (route, aggregated) {
        (Route::CoreVersions, Some(v)) => {
            return Ok(Answer::Typed(
                discovery::aggregated(true, v),
                discovery::aggregated_media_type(v),
            ));
        }
        (Route::Groups, Some(v)) => {
            return Ok(Answer::Typed(
                discovery::aggregated(false, v),
                discovery::aggregated_media_type(v),
            ));
        }
        (Route::Version, _) => Some(discovery::version()),
        (Route::Health, _) => Some(json!("ok")),
        (Route::CoreVersions, None) => Some(discovery::core_versions(state.port)),
        (Route::Groups, None) => Some(discovery::group_list()),
        (Route::Group(g), _) => discovery::api_group(&g),
        (Route::Resources(g, v), _) => discovery::resource_list(&g, &v),
        (Route::Collection { .. } | Route::Object(_), _) => None,
    };
    document.map(|d| Answer::Json(200, d)).ok_or_else(ApiError::no_route)
}

fn collection(
    state: &mut State,
    req: &Request<'_>,
    kind: &'static Kind,
    namespace: Option<String>,
) -> Result<(u16, Value), ApiError> {
    match req.method {
        "GET" => {
            if req.query.flag("watch") {
                return Err(ApiError::method_not_allowed(
                    "watch is not supported by the fake API server",
                ));
            }
            let labels = LabelSelector::parse(req.query.get("labelSelector").unwrap_or(""))?;
            let fields = FieldSelector::parse(req.query.get("fieldSelector").unwrap_or(""))?;
            let items = state.list(kind, namespace.as_deref(), &labels, &fields);
            Ok((200, list_document(kind, state.resource_version(), items)))
        }
        "POST" => {
            if kind.namespaced && namespace.is_none() {
                return Err(ApiError::method_not_allowed(
                    "the server does not allow this method on the requested resource",
                ));
            }
            let body = parse_body(req)?;
            let opts = write_options(req, false)?;
            let created = state.create(kind, namespace.as_deref(), body, &opts)?;
            Ok((201, created))
        }
        _ => Err(ApiError::method_not_allowed(
            "the server does not allow this method on the requested resource",
        )),
    }
}

/// The list document for `items`.
pub(crate) fn list_document(kind: &Kind, resource_version: u64, items: Vec<Value>) -> Value {
    json!({
        "kind": kind.list_kind(),
        "apiVersion": kind.api_version(),
        "metadata": {"resourceVersion": resource_version.to_string()},
        "items": items,
    })
}

fn object(state: &mut State, req: &Request<'_>, target: &ObjectRef) -> Result<(u16, Value), ApiError> {
    match req.method {
        "GET" => Ok((200, state.get(target)?)),
        "PUT" => {
            let body = parse_body(req)?;
            let opts = write_options(req, false)?;
            Ok((200, state.replace(target, body, &opts)?))
        }
        "PATCH" => {
            let media = media_type(req);
            match media.as_str() {
                "application/apply-patch+yaml" => {
                    let body = parse_body(req)?;
                    let opts = write_options(req, true)?;
                    let (object, created) = state.apply(target, body, &opts)?;
                    Ok((if created { 201 } else { 200 }, object))
                }
                "application/merge-patch+json"
                | "application/strategic-merge-patch+json"
                | "application/json-patch+json" => {
                    let patch: Value = serde_json::from_slice(req.body)
                        .map_err(|e| ApiError::bad_request(format!("error decoding patch: {e}")))?;
                    let opts = write_options(req, false)?;
                    let json_patch = media == "application/json-patch+json";
                    Ok((200, state.patch(target, &patch, json_patch, &opts)?))
                }
                other => Err(ApiError::unsupported_media_type(other)),
            }
        }
        "DELETE" => {
            let options: Value = if req.body.iter().all(u8::is_ascii_whitespace) {
                json!({})
            } else {
                serde_json::from_slice(req.body)
                    .map_err(|e| ApiError::bad_request(format!("error decoding DeleteOptions: {e}")))?
            };
            let dry_run = req.query.dry_run()
                || options
                    .get("dryRun")
                    .and_then(Value::as_array)
                    .is_some_and(|a| a.iter().any(|v| v == "All"));
            Ok((200, state.delete(target, options.get("preconditions"), dry_run)?))
        }
        _ => Err(ApiError::method_not_allowed(
            "the server does not allow this method on the requested resource",
        )),
    }
}

/// Field manager, force and dry-run from the query. Apply requires a field manager; other writes
/// default it from the User-Agent's product token (as the real server does), else `unknown`.
fn write_options(req: &Request<'_>, apply: bool) -> Result<WriteOptions, ApiError> {
    let given = req.query.get("fieldManager").filter(|m| !m.is_empty());
    let options_kind = if req.method == "PATCH" {
        "PatchOptions"
    } else if req.method == "PUT" {
        "UpdateOptions"
    } else {
        "CreateOptions"
    };
    let invalid = |error: FieldError| {
        ApiError::invalid(
            &format!("{options_kind}.meta.k8s.io"),
            "meta.k8s.io",
            options_kind,
            "",
            &[error],
        )
    };
    if apply && given.is_none() {
        return Err(invalid(FieldError::required(
            "fieldManager",
            "is required for apply patch",
        )));
    }
    if !apply && req.query.has("force") {
        return Err(invalid(FieldError::forbidden(
            "force",
            "may not be specified for non-apply patch",
        )));
    }
    if let Some(m) = given.filter(|m| m.len() > 128) {
        return Err(invalid(FieldError {
            reason: "FieldValueTooLong",
            field: "fieldManager".into(),
            message: format!("Too long: may not be more than 128 bytes (got {})", m.len()),
        }));
    }
    let manager = match given {
        Some(m) => m.to_string(),
        None => {
            let product = req.user_agent.split('/').next().unwrap_or("").trim();
            if product.is_empty() {
                "unknown".to_string()
            } else {
                product.chars().take(128).collect()
            }
        }
    };
    Ok(WriteOptions {
        manager,
        force: apply && req.query.flag("force"),
        dry_run: req.query.dry_run(),
    })
}

/// The request's media type, without parameters (`application/json; charset=utf-8` gives
/// `application/json`), lowercased.
fn media_type(req: &Request<'_>) -> String {
    req.content_type
        .split(';')
        .next()
        .unwrap_or("")
        .trim()
        .to_ascii_lowercase()
}

/// Decodes a JSON or YAML body (JSON first; YAML is a superset) and drops null-valued map entries,
/// which Go's decoder would leave at their zero value.
pub(crate) fn parse_body(req: &Request<'_>) -> Result<Value, ApiError> {
    let media = media_type(req);
    if !(media.is_empty() || media.contains("json") || media.contains("yaml")) {
        // Protobuf and CBOR bodies (kubectl's typed `create role`, for one) are not decoded.
        return Err(ApiError::unsupported_media_type(&media));
    }
    let value = match serde_json::from_slice::<Value>(req.body) {
        Ok(v) => v,
        Err(json_err) => match serde_norway::from_slice::<Value>(req.body) {
            Ok(v) => v,
            Err(yaml_err) => {
                let looks_yaml = req.content_type.contains("yaml");
                let detail = if looks_yaml {
                    yaml_err.to_string()
                } else {
                    json_err.to_string()
                };
                return Err(ApiError::bad_request(format!("error decoding request body: {detail}")));
            }
        },
    };
    if !value.is_object() {
        return Err(ApiError::bad_request("the request body must be an object"));
    }
    Ok(strip_nulls(value))
}

/// Removes null-valued map entries, recursively.
pub(crate) fn strip_nulls(value: Value) -> Value {
    match value {
        Value::Object(m) => Value::Object(
            m.into_iter()
                .filter(|(_, v)| !v.is_null())
                .map(|(k, v)| (k, strip_nulls(v)))
                .collect(),
        ),
        Value::Array(a) => Value::Array(a.into_iter().map(strip_nulls).collect()),
        other => other,
    }
}
