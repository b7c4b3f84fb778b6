//! Talking to the MLflow tracking server: the provider block's settings (with MLflow's own
//! environment variables as defaults), one `reqwest` client with the credentials, the calls
//! every type makes (`GET`/`POST`/`PATCH`/`DELETE` under `/api/2.0/mlflow/`, JSON in and out),
//! MLflow's `{"error_code", "message"}` answers and transport failures turned into
//! [`ProviderError`]s, and [`error_kind`], the one place this provider maps codes onto
//! [`ErrorKind`]s.
//!
//! **The token and the password never leave this module**: they are only put in request headers;
//! no message, `Debug` output or state value holds them, and the tracking URI is shown without
//! any user information it carries.

use std::time::Duration;

use plinth_sdk::{ErrorKind, ProviderError, Value, error_chain};
use reqwest::{Method, StatusCode, Url};
use serde_json::Value as Json;

/// The default of `request_timeout`, in seconds.
pub const DEFAULT_TIMEOUT_SECS: u64 = 30;

/// How many times a throttled request (429), or a read the server could not serve (502, 503,
/// 504), is sent in all.
const ATTEMPTS: u32 = 3;

/// How a request authenticates. Not `Debug`: it holds secrets.
enum Auth {
    None,
    Bearer(String),
    Basic(String, Option<String>),
}

/// The `provider "mlflow"` block, evaluated, with the environment's defaults. Not `Debug`: it
/// may hold a token or a password.
pub struct Settings {
    /// The tracking URI without a trailing `/`.
    pub tracking_uri: String,
    auth: Auth,
    pub insecure: bool,
    pub timeout: Duration,
}

/// A configuration error of the provider block.
fn config_error(message: impl Into<String>) -> ProviderError {
    ProviderError::with_code("PROVIDER_CONFIG", message).with_kind(ErrorKind::Invalid)
}

fn text(v: &Value, key: &str) -> Option<String> {
    v.get(key)
        .strip_sensitive()
        .as_str()
        .filter(|s| !s.is_empty())
        .map(str::to_string)
}

/// Whether an environment variable's text means true (MLflow's own reading: `true` or `1`).
fn truthy(s: &str) -> bool {
    matches!(s.trim().to_ascii_lowercase().as_str(), "true" | "1" | "yes")
}

impl Settings {
    /// The settings of the provider block `v` (null when there is none), each unset argument
    /// taken from `env` (`MLFLOW_TRACKING_URI`, `MLFLOW_TRACKING_TOKEN`, …). `env` is a
    /// parameter so that tests need not change the process's environment.
    pub fn from_config(v: &Value, env: impl Fn(&str) -> Option<String>) -> Result<Settings, ProviderError> {
        let pick = |key: &str, var: &str| text(v, key).or_else(|| env(var).filter(|s| !s.is_empty()));
        let uri = pick("tracking_uri", "MLFLOW_TRACKING_URI").ok_or_else(|| {
            config_error(
                "the mlflow provider has no tracking URI: set `tracking_uri` in its provider block or the \
                 MLFLOW_TRACKING_URI environment variable to the server's URL (http://HOST:PORT)",
            )
        })?;
        let tracking_uri = check_uri(&uri)?;
        let auth = match (
            pick("token", "MLFLOW_TRACKING_TOKEN"),
            pick("username", "MLFLOW_TRACKING_USERNAME"),
        ) {
            // MLflow's own client prefers the token when both are set.
            (Some(token), _) => Auth::Bearer(token),
            (None, Some(user)) => Auth::Basic(user, pick("password", "MLFLOW_TRACKING_PASSWORD")),
            (None, None) => Auth::None,
        };
        let insecure = match v.get("insecure").as_bool() {
            Some(b) => b,
            None => env("MLFLOW_TRACKING_INSECURE_TLS").is_some_and(|s| truthy(&s)),
        };
        let secs = match v.get("request_timeout") {
            Value::Null => DEFAULT_TIMEOUT_SECS as f64,
            t => t.as_f64().filter(|s| s.is_finite() && *s > 0.0).ok_or_else(|| {
                config_error("the mlflow provider's request_timeout must be a positive number of seconds")
            })?,
        };
        Ok(Settings {
            tracking_uri,
            auth,
            insecure,
            timeout: Duration::from_secs_f64(secs),
        })
    }
}

/// The tracking URI, checked: an `http(s)` URL of a tracking server (MLflow's file and database
/// stores need MLflow's Python code, which Plinth does not have).
pub fn check_uri(uri: &str) -> Result<String, ProviderError> {
    let trimmed = uri.trim().trim_end_matches('/');
    let store = || {
        config_error(format!(
            "the mlflow provider's tracking URI {:?} is not an MLflow tracking server: Plinth talks to a server over \
             its REST API only (http://HOST:PORT or https://...); start one with `mlflow server` and point \
             tracking_uri at it",
            shown_text(trimmed)
        ))
    };
    let url = Url::parse(trimmed).map_err(|_| store())?;
    if !matches!(url.scheme(), "http" | "https") || url.host_str().is_none_or(str::is_empty) {
        return Err(store());
    }
    if url.query().is_some() || url.fragment().is_some() {
        return Err(config_error(format!(
            "the mlflow provider's tracking URI {:?} has a query or fragment; give the server's base URL",
            shown_text(trimmed)
        )));
    }
    Ok(trimmed.to_string())
}

/// `uri` without user information (`http://user:pass@host` shows as `http://host`).
fn shown_text(uri: &str) -> String {
    match Url::parse(uri) {
        Ok(mut u) if !u.username().is_empty() || u.password().is_some() => {
            let _ = u.set_username("");
            let _ = u.set_password(None);
            u.to_string().trim_end_matches('/').to_string()
        }
        _ => uri.to_string(),
    }
}

/// A percent-encoded part of a URL, decoded (user information may hold `%40` for `@`).
fn decode(part: &str) -> String {
    percent_encoding::percent_decode_str(part)
        .decode_utf8_lossy()
        .into_owned()
}

/// A connected client: where the server is, how to authenticate, and the HTTP client.
pub struct Client {
    http: reqwest::Client,
    base: String,
    /// The tracking URI for messages (no user information).
    pub shown: String,
    auth: Auth,
    timeout: Duration,
}

impl Client {
    pub fn new(s: Settings) -> Result<Client, ProviderError> {
        let http = reqwest::Client::builder()
            .timeout(s.timeout)
            .danger_accept_invalid_certs(s.insecure)
            .user_agent(concat!("plinth-mlflow/", env!("CARGO_PKG_VERSION")))
            .build()
            .map_err(|e| {
                config_error(format!(
                    "cannot build the mlflow provider's HTTP client: {}",
                    error_chain(&e)
                ))
            })?;
        // User information in the URI (`http://user:pass@host`) is basic auth, as MLflow's client
        // reads it; it is taken out of the URL so that no request URL or message carries it.
        let shown = shown_text(&s.tracking_uri);
        let auth = match (s.auth, Url::parse(&s.tracking_uri)) {
            (Auth::None, Ok(u)) if !u.username().is_empty() => {
                Auth::Basic(decode(u.username()), u.password().map(decode))
            }
            (auth, _) => auth,
        };
        Ok(Client {
            http,
            base: format!("{shown}/api/2.0/mlflow/"),
            shown,
            auth,
            timeout: s.timeout,
        })
    }

    pub async fn get(&self, path: &str, query: &[(&str, &str)]) -> Result<Json, ProviderError> {
        self.call(Method::GET, path, query, None).await
    }

    pub async fn post(&self, path: &str, body: Json) -> Result<Json, ProviderError> {
        self.call(Method::POST, path, &[], Some(body)).await
    }

    pub async fn patch(&self, path: &str, body: Json) -> Result<Json, ProviderError> {
        self.call(Method::PATCH, path, &[], Some(body)).await
    }

    pub async fn delete(&self, path: &str, body: Json) -> Result<Json, ProviderError> {
        self.call(Method::DELETE, path, &[], Some(body)).await
    }

    /// One REST call (`path` under `/api/2.0/mlflow/`), sent again while the server throttles
    /// (or, for a read, is briefly unavailable); the answer's JSON (`{}` for an empty body).
    #[tracing::instrument(skip(self, query, body), fields(method = %method))]
    async fn call(
        &self,
        method: Method,
        path: &str,
        query: &[(&str, &str)],
        body: Option<Json>,
    ) -> Result<Json, ProviderError> {
        let mut url = Url::parse(&format!("{}{path}", self.base))
            .map_err(|e| config_error(format!("bad request URL for {path}: {e}")))?;
        if !query.is_empty() {
            url.query_pairs_mut().extend_pairs(query);
        }
        let mut attempt = 0;
        loop {
            attempt += 1;
            let mut req = self.http.request(method.clone(), url.clone());
            req = match &self.auth {
                Auth::None => req,
                Auth::Bearer(t) => req.bearer_auth(t),
                Auth::Basic(u, p) => req.basic_auth(u, p.as_ref()),
            };
            if let Some(b) = &body {
                req = req
                    .header(reqwest::header::CONTENT_TYPE, "application/json")
                    .body(b.to_string());
            }
            let resp = req.send().await.map_err(|e| self.transport_error(&e))?;
            let status = resp.status();
            let bytes = resp.bytes().await.map_err(|e| self.transport_error(&e))?;
            if status.is_success() {
                if bytes.iter().all(u8::is_ascii_whitespace) {
                    return Ok(Json::Object(Default::default()));
                }
                return serde_json::from_slice(&bytes).map_err(|e| {
                    ProviderError::with_code(
                        "BAD_RESPONSE",
                        format!(
                            "MLflow at {} answered {path} with something that is not JSON: {e}",
                            self.shown
                        ),
                    )
                });
            }
            // A throttled request was not served; a gateway error may hide a write that happened,
            // so only reads are sent again after one.
            let retry = status.as_u16() == 429 || (method == Method::GET && matches!(status.as_u16(), 502..=504));
            if retry && attempt < ATTEMPTS {
                tokio::time::sleep(Duration::from_millis(500 << (attempt - 1))).await;
                continue;
            }
            return Err(self.api_error(status, &bytes));
        }
    }

    /// The error of an answer that is not a success.
    fn api_error(&self, status: StatusCode, body: &[u8]) -> ProviderError {
        let json: Option<Json> = serde_json::from_slice(body).ok();
        let field = |k: &str| {
            json.as_ref()
                .and_then(|j| j.get(k))
                .and_then(Json::as_str)
                .map(str::to_string)
        };
        let http_code = format!("HTTP{}", status.as_u16());
        let code = field("error_code").unwrap_or_else(|| http_code.clone());
        let message = field("message").unwrap_or_else(|| {
            let t = String::from_utf8_lossy(body);
            let t = t.trim();
            if t.is_empty() || t.len() > 300 {
                status.to_string()
            } else {
                t.to_string()
            }
        });
        let kind = match error_kind(&code) {
            ErrorKind::Other => error_kind(&http_code),
            k => k,
        };
        if matches!(status.as_u16(), 401 | 403) {
            let what = if status.as_u16() == 401 {
                "refused the mlflow provider's credentials"
            } else {
                "does not allow the mlflow provider's identity to do this"
            };
            return ProviderError::with_code(code, format!("the MLflow server at {} {what} ({status}: {message})", self.shown))
                .with_kind(ErrorKind::Forbidden)
                .with_hint(
                    "check the provider's `token` (or MLFLOW_TRACKING_TOKEN), or its `username` and `password` \
                     (MLFLOW_TRACKING_USERNAME / MLFLOW_TRACKING_PASSWORD), and the permissions of that user on the server",
                );
        }
        ProviderError::with_code(code, format!("MLflow: {message}")).with_kind(kind)
    }

    /// The error of a request that got no answer: the URI named, never the credentials.
    fn transport_error(&self, e: &reqwest::Error) -> ProviderError {
        if e.is_timeout() {
            return ProviderError::with_code(
                "TIMEOUT",
                format!(
                    "MLflow at {} did not answer within {}s (the provider's request_timeout)",
                    self.shown,
                    self.timeout.as_secs_f64()
                ),
            )
            .with_kind(ErrorKind::Transient);
        }
        let mut cause: Option<&(dyn std::error::Error + 'static)> = Some(e);
        let mut io_kind = None;
        while let Some(c) = cause {
            if let Some(io) = c.downcast_ref::<std::io::Error>() {
                io_kind = Some(io.kind());
            }
            cause = c.source();
        }
        // The request URL in reqwest's message holds no secret: user information is moved out of
        // the tracking URI into the Authorization header (`Client::new`).
        let why = match io_kind {
            Some(k) => k.to_string(),
            None => error_chain(e),
        };
        ProviderError::with_code("UNREACHABLE", format!("cannot reach MLflow at {}: {why}", self.shown))
            .with_kind(ErrorKind::Transient)
    }
}

/// The kind of an MLflow error code (or one of this provider's own codes, or `HTTPnnn` for an
/// answer without one): the one place this provider maps codes onto [`ErrorKind`].
pub fn error_kind(code: &str) -> ErrorKind {
    match code {
        "RESOURCE_DOES_NOT_EXIST" | "NOT_FOUND" | "ENDPOINT_NOT_FOUND" | "HTTP404" => ErrorKind::NotFound,
        "RESOURCE_ALREADY_EXISTS" | "RESOURCE_CONFLICT" | "ABORTED" | "ALREADY_EXISTS" | "HTTP409" => {
            ErrorKind::Conflict
        }
        "REQUEST_LIMIT_EXCEEDED" | "RESOURCE_EXHAUSTED" | "HTTP429" => ErrorKind::Throttled,
        "UNAUTHENTICATED" | "PERMISSION_DENIED" | "HTTP401" | "HTTP403" => ErrorKind::Forbidden,
        "INVALID_PARAMETER_VALUE"
        | "BAD_REQUEST"
        | "MALFORMED_REQUEST"
        | "INVALID_STATE"
        | "INVALID_ID"
        | "PROVIDER_CONFIG"
        | "UNSUPPORTED_TYPE"
        | "HTTP400"
        | "HTTP405"
        | "HTTP415"
        | "HTTP422" => ErrorKind::Invalid,
        "INTERNAL_ERROR" | "TEMPORARILY_UNAVAILABLE" | "DEADLINE_EXCEEDED" | "UNREACHABLE" | "TIMEOUT" => {
            ErrorKind::Transient
        }
        c if c.starts_with("HTTP5") => ErrorKind::Transient,
        _ => ErrorKind::Other,
    }
}

/// `e` with its [`ErrorKind`]; applied once, where errors leave the provider.
pub fn classify(e: ProviderError) -> ProviderError {
    e.classify(error_kind)
}

/// Whether `e` says the object is not there.
pub fn is_not_found(e: &ProviderError) -> bool {
    e.kind == ErrorKind::NotFound || e.code.as_deref().is_some_and(|c| error_kind(c) == ErrorKind::NotFound)
}

/// `Ok(None)` for a not-found error, so a read can report the object gone.
pub fn found<T>(r: Result<T, ProviderError>) -> Result<Option<T>, ProviderError> {
    match r {
        Ok(v) => Ok(Some(v)),
        Err(e) if is_not_found(&e) => Ok(None),
        Err(e) => Err(e),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn settings(config: Value, env: &[(&str, &str)]) -> Result<Settings, ProviderError> {
        let env: Vec<(String, String)> = env.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect();
        Settings::from_config(&config, move |k| {
            env.iter().find(|(n, _)| n == k).map(|(_, v)| v.clone())
        })
    }

    #[test]
    fn the_tracking_uri_comes_from_the_block_or_the_environment_and_must_be_a_server() {
        let s = settings(Value::Null, &[("MLFLOW_TRACKING_URI", "http://127.0.0.1:5000/")]).expect("env");
        assert_eq!(s.tracking_uri, "http://127.0.0.1:5000");
        assert_eq!(s.timeout, Duration::from_secs(DEFAULT_TIMEOUT_SECS));
        let block = Value::object([("tracking_uri", Value::string("https://mlflow.example/prefix"))]);
        let s = settings(block, &[("MLFLOW_TRACKING_URI", "http://other")]).expect("block");
        assert_eq!(s.tracking_uri, "https://mlflow.example/prefix");
        let e = settings(Value::Null, &[]).err().expect("no uri");
        assert_eq!(e.kind, ErrorKind::Invalid);
        assert!(e.message.contains("MLFLOW_TRACKING_URI") && e.message.contains("mlflow provider"));
        for store in ["file:///tmp/mlruns", "sqlite:///db", "./mlruns", "databricks"] {
            let e = settings(Value::Null, &[("MLFLOW_TRACKING_URI", store)])
                .err()
                .expect(store);
            assert!(
                e.message.contains("not an MLflow tracking server"),
                "{store}: {}",
                e.message
            );
        }
    }

    #[test]
    fn credentials_come_from_the_block_or_the_environment_and_are_never_shown() {
        let block = Value::object([
            ("tracking_uri", Value::string("http://alice:pw@127.0.0.1:5000")),
            ("token", Value::string("tok-123").mark()),
            ("insecure", Value::Bool(true)),
            ("request_timeout", Value::int(5)),
        ]);
        let s = settings(block, &[]).expect("settings");
        assert!(matches!(&s.auth, Auth::Bearer(t) if t == "tok-123"));
        assert!(s.insecure);
        assert_eq!(s.timeout, Duration::from_secs(5));
        let c = Client::new(s).expect("client");
        assert_eq!(c.shown, "http://127.0.0.1:5000");
        let s = settings(
            Value::object([("tracking_uri", Value::string("http://h"))]),
            &[
                ("MLFLOW_TRACKING_USERNAME", "bob"),
                ("MLFLOW_TRACKING_PASSWORD", "pw"),
                ("MLFLOW_TRACKING_INSECURE_TLS", "true"),
            ],
        )
        .expect("settings");
        assert!(matches!(&s.auth, Auth::Basic(u, Some(p)) if u == "bob" && p == "pw"));
        assert!(s.insecure);
        let bad = Value::object([
            ("tracking_uri", Value::string("http://h")),
            ("request_timeout", Value::int(0)),
        ]);
        assert!(settings(bad, &[]).is_err());
    }

    #[test]
    fn mlflow_codes_and_http_statuses_map_onto_kinds() {
        assert_eq!(error_kind("RESOURCE_DOES_NOT_EXIST"), ErrorKind::NotFound);
        assert_eq!(error_kind("RESOURCE_ALREADY_EXISTS"), ErrorKind::Conflict);
        assert_eq!(error_kind("INVALID_PARAMETER_VALUE"), ErrorKind::Invalid);
        assert_eq!(error_kind("HTTP401"), ErrorKind::Forbidden);
        assert_eq!(error_kind("HTTP429"), ErrorKind::Throttled);
        assert_eq!(error_kind("HTTP503"), ErrorKind::Transient);
        assert_eq!(error_kind("UNREACHABLE"), ErrorKind::Transient);
        assert_eq!(error_kind("SOMETHING_NEW"), ErrorKind::Other);
    }

    fn client() -> Client {
        let s = settings(
            Value::object([
                ("tracking_uri", Value::string("http://u:secretpw@127.0.0.1:1")),
                ("token", Value::string("tok-secret")),
            ]),
            &[],
        )
        .expect("settings");
        Client::new(s).expect("client")
    }

    #[test]
    fn an_mlflow_error_answer_keeps_its_code_and_a_401_names_the_server_not_the_token() {
        let c = client();
        let body = br#"{"error_code": "RESOURCE_ALREADY_EXISTS", "message": "Experiment(name=e1) already exists."}"#;
        let e = c.api_error(StatusCode::BAD_REQUEST, body);
        assert_eq!(e.code.as_deref(), Some("RESOURCE_ALREADY_EXISTS"));
        assert_eq!(e.kind, ErrorKind::Conflict);
        assert!(e.message.contains("Experiment(name=e1) already exists."));
        let e = c.api_error(StatusCode::UNAUTHORIZED, b"You are not authenticated.");
        assert_eq!(e.kind, ErrorKind::Forbidden);
        assert!(e.message.contains("http://127.0.0.1:1") && e.message.contains("mlflow provider"));
        let all = format!("{} {:?} {:?}", e.message, e.hint, e.code);
        assert!(!all.contains("tok-secret") && !all.contains("secretpw"), "{all}");
        let e = c.api_error(StatusCode::SERVICE_UNAVAILABLE, b"");
        assert_eq!((e.code.as_deref(), e.kind), (Some("HTTP503"), ErrorKind::Transient));
    }

    #[tokio::test]
    async fn a_stopped_server_is_a_transient_error_naming_the_uri() {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
        let port = listener.local_addr().expect("addr").port();
        drop(listener);
        let s = settings(
            Value::object([("tracking_uri", Value::string(format!("http://127.0.0.1:{port}")))]),
            &[],
        )
        .expect("settings");
        let e = Client::new(s)
            .expect("client")
            .get("experiments/get", &[("experiment_id", "1")])
            .await
            .expect_err("refused");
        assert_eq!(e.kind, ErrorKind::Transient);
        assert_eq!(
            e.message,
            format!("cannot reach MLflow at http://127.0.0.1:{port}: connection refused")
        );
    }
}
