//! A fault-injecting HTTP(S) proxy for the transient-fault tests: it listens on 127.0.0.1 with a
//! free port in front of one peer (moto, or the test cluster's API server) and, drawing from a
//! seeded generator, answers a share of the requests itself with a transient error (HTTP 500, 503,
//! or the peer's throttling answer), closes the connection of another share without answering,
//! and forwards the rest unchanged. A faulty request never reaches the peer, so a retry of it is
//! always safe; what the client must survive is only the failure it sees.
//!
//! The proxy counts what it did ([`FaultProxy::counts`]), so a test can assert that faults were
//! really injected (a test whose proxy injected nothing would pass vacuously).
//!
//! The throttling answer is the one the peer's clients know:
//! - [`Dialect::Aws`]: picked from the request's protocol — the EC2 query protocol's
//!   `<Response><Errors><Error><Code>RequestLimitExceeded</Code>` (HTTP 400), the query
//!   protocol's `<ErrorResponse>` with `Throttling` (IAM, STS ...; HTTP 400), S3's `SlowDown`
//!   (HTTP 503), the JSON protocols' `{"__type":"ThrottlingException"}` (HTTP 400) and the REST
//!   JSON protocols' `x-amzn-ErrorType: TooManyRequestsException` (HTTP 429). The service is read
//!   from the SigV4 credential scope of the `Authorization` header.
//! - [`Dialect::Kubernetes`]: HTTP 429 with a `Status` object (`reason: TooManyRequests`,
//!   `details.retryAfterSeconds`) and `Retry-After`, as the API server's priority-and-fairness
//!   filter answers.
//!
//! The generator is seeded, so a run draws the same sequence of decisions; with concurrent
//! requests which request gets which decision depends on their order of arrival.
//!
//! The proxy runs on a thread of its own with its own Tokio runtime, so sync and async tests use
//! it alike; it stops when the handle drops.

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};

use http_body_util::combinators::BoxBody;
use http_body_util::{BodyExt, Full, StreamBody};
use hyper::body::{Bytes, Frame, Incoming};
use hyper::{Request, Response, StatusCode};
use hyper_util::rt::TokioIo;

/// Whose error answers the proxy imitates.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Dialect {
    Aws,
    Kubernetes,
}

/// What the proxy does to requests.
#[derive(Clone, Debug)]
pub struct Faults {
    /// The seed of the decisions.
    pub seed: u64,
    /// The share of requests answered with 500, 503 or throttling (one third each).
    pub error: f64,
    /// The share of requests whose connection is closed without an answer.
    pub reset: f64,
    pub dialect: Dialect,
}

impl Faults {
    /// The mix: 20% error answers, 5% resets.
    pub fn standard(dialect: Dialect, seed: u64) -> Faults {
        Faults {
            seed,
            error: 0.20,
            reset: 0.05,
            dialect,
        }
    }
}

/// Where the proxy forwards to.
#[derive(Clone, Debug)]
pub struct Upstream {
    /// `http://HOST:PORT` or `https://HOST:PORT`.
    pub url: String,
    /// The PEM certificate authority of an `https` upstream.
    pub ca: Option<PathBuf>,
}

/// The proxy's own TLS identity (PEM files); without one it speaks plain HTTP.
#[derive(Clone, Debug)]
pub struct Tls {
    pub cert: PathBuf,
    pub key: PathBuf,
}

/// What the proxy did so far.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Counts {
    /// Requests received.
    pub requests: u64,
    /// Requests forwarded to the peer (answered by it, or failed on the way).
    pub forwarded: u64,
    pub status_500: u64,
    pub status_503: u64,
    /// Throttling answers.
    pub throttled: u64,
    /// Connections closed without an answer.
    pub resets: u64,
}

impl Counts {
    /// Every injected fault.
    pub fn faults(&self) -> u64 {
        self.status_500 + self.status_503 + self.throttled + self.resets
    }
}

#[derive(Default)]
struct Counters {
    requests: AtomicU64,
    forwarded: AtomicU64,
    status_500: AtomicU64,
    status_503: AtomicU64,
    throttled: AtomicU64,
    resets: AtomicU64,
}

/// SplitMix64: a seeded generator small enough to read, good enough for fault decisions.
struct SplitMix(u64);

impl SplitMix {
    /// A uniform draw in `[0, 1)`.
    fn next_f64(&mut self) -> f64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^= z >> 31;
        (z >> 11) as f64 / (1u64 << 53) as f64
    }
}

struct Shared {
    faults: Faults,
    rng: Mutex<SplitMix>,
    counters: Counters,
    upstream: String,
    client: reqwest::Client,
}

type BoxError = Box<dyn std::error::Error + Send + Sync>;

/// An answer's body: the proxy's own, or the peer's passed on as it comes (a watch streams).
type Body = BoxBody<Bytes, BoxError>;

fn full(bytes: impl Into<Bytes>) -> Body {
    Full::new(bytes.into()).map_err(|never| match never {}).boxed()
}

/// What to do with one request.
enum Decision {
    Reset,
    Status500,
    Status503,
    Throttle,
    Forward,
}

impl Shared {
    fn decide(&self) -> Decision {
        let (r, kind) = {
            let mut rng = self.rng.lock().expect("fault generator");
            (rng.next_f64(), rng.next_f64())
        };
        let f = &self.faults;
        if r < f.reset {
            Decision::Reset
        } else if r < f.reset + f.error {
            match (kind * 3.0) as u32 {
                0 => Decision::Status500,
                1 => Decision::Status503,
                _ => Decision::Throttle,
            }
        } else {
            Decision::Forward
        }
    }
}

/// A running proxy; it stops when dropped.
pub struct FaultProxy {
    /// `http://127.0.0.1:PORT` or `https://127.0.0.1:PORT`.
    pub url: String,
    shared: Arc<Shared>,
    stop: Option<tokio::sync::oneshot::Sender<()>>,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl Drop for FaultProxy {
    fn drop(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

/// The error a service returns to make hyper close the connection without an answer.
#[derive(Debug)]
struct Reset;

impl std::fmt::Display for Reset {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("connection reset by the fault proxy")
    }
}

impl std::error::Error for Reset {}

impl FaultProxy {
    /// Starts a proxy in front of `upstream`, speaking TLS with `tls` when given.
    pub fn start(upstream: Upstream, tls: Option<Tls>, faults: Faults) -> FaultProxy {
        let mut client = reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .no_proxy();
        if let Some(ca) = &upstream.ca {
            let pem = std::fs::read(ca).unwrap_or_else(|e| panic!("cannot read {}: {e}", ca.display()));
            let cert = reqwest::Certificate::from_pem(&pem).expect("a PEM certificate authority");
            client = client.tls_certs_only([cert]);
        }
        let shared = Arc::new(Shared {
            rng: Mutex::new(SplitMix(faults.seed)),
            faults,
            counters: Counters::default(),
            upstream: upstream.url.trim_end_matches('/').to_string(),
            client: client.build().expect("the proxy's HTTP client"),
        });
        let acceptor = tls.map(|t| tls_acceptor(&t.cert, &t.key));
        let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("a free port");
        listener.set_nonblocking(true).expect("non-blocking listener");
        let port = listener.local_addr().expect("local address").port();
        let scheme = if acceptor.is_some() { "https" } else { "http" };
        let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
        let serving = shared.clone();
        let thread = std::thread::spawn(move || {
            let rt = tokio::runtime::Builder::new_multi_thread()
                .worker_threads(2)
                .enable_all()
                .build()
                .expect("the proxy's runtime");
            rt.block_on(async move {
                let listener = tokio::net::TcpListener::from_std(listener).expect("tokio listener");
                tokio::select! {
                    _ = stopped => {}
                    _ = accept_loop(listener, acceptor, serving) => {}
                }
            });
            rt.shutdown_background();
        });
        FaultProxy {
            url: format!("{scheme}://127.0.0.1:{port}"),
            shared,
            stop: Some(stop),
            thread: Some(thread),
        }
    }

    /// What the proxy did so far.
    pub fn counts(&self) -> Counts {
        let c = &self.shared.counters;
        let get = |a: &AtomicU64| a.load(Ordering::Relaxed);
        Counts {
            requests: get(&c.requests),
            forwarded: get(&c.forwarded),
            status_500: get(&c.status_500),
            status_503: get(&c.status_503),
            throttled: get(&c.throttled),
            resets: get(&c.resets),
        }
    }
}

fn tls_acceptor(cert: &Path, key: &Path) -> tokio_rustls::TlsAcceptor {
    use rustls::pki_types::pem::PemObject;
    use rustls::pki_types::{CertificateDer, PrivateKeyDer};
    let certs: Vec<CertificateDer<'static>> = CertificateDer::pem_file_iter(cert)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", cert.display()))
        .collect::<Result<_, _>>()
        .expect("PEM certificates");
    let key = PrivateKeyDer::from_pem_file(key).unwrap_or_else(|e| panic!("cannot read {}: {e}", key.display()));
    let provider = Arc::new(rustls::crypto::aws_lc_rs::default_provider());
    let mut config = rustls::ServerConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .expect("TLS versions")
        .with_no_client_auth()
        .with_single_cert(certs, key)
        .expect("the proxy's certificate and key");
    config.alpn_protocols = vec![b"http/1.1".to_vec()];
    tokio_rustls::TlsAcceptor::from(Arc::new(config))
}

async fn accept_loop(
    listener: tokio::net::TcpListener,
    acceptor: Option<tokio_rustls::TlsAcceptor>,
    shared: Arc<Shared>,
) {
    loop {
        let Ok((tcp, _)) = listener.accept().await else {
            continue;
        };
        let shared = shared.clone();
        let acceptor = acceptor.clone();
        tokio::spawn(async move {
            let service = hyper::service::service_fn(move |req| handle(shared.clone(), req));
            let http = hyper::server::conn::http1::Builder::new();
            // A closed connection (ours or the client's) ends the task; there is no one to tell.
            match acceptor {
                Some(acceptor) => {
                    if let Ok(tls) = acceptor.accept(tcp).await {
                        let _ = http.serve_connection(TokioIo::new(tls), service).await;
                    }
                }
                None => {
                    let _ = http.serve_connection(TokioIo::new(tcp), service).await;
                }
            }
        });
    }
}

async fn handle(shared: Arc<Shared>, req: Request<Incoming>) -> Result<Response<Body>, Reset> {
    let c = &shared.counters;
    c.requests.fetch_add(1, Ordering::Relaxed);
    let dialect = shared.faults.dialect;
    match shared.decide() {
        Decision::Reset => {
            c.resets.fetch_add(1, Ordering::Relaxed);
            Err(Reset)
        }
        Decision::Status500 => {
            c.status_500.fetch_add(1, Ordering::Relaxed);
            Ok(error_answer(dialect, &req, Fault::Internal))
        }
        Decision::Status503 => {
            c.status_503.fetch_add(1, Ordering::Relaxed);
            Ok(error_answer(dialect, &req, Fault::Unavailable))
        }
        Decision::Throttle => {
            c.throttled.fetch_add(1, Ordering::Relaxed);
            Ok(error_answer(dialect, &req, Fault::Throttle))
        }
        Decision::Forward => {
            c.forwarded.fetch_add(1, Ordering::Relaxed);
            Ok(forward(&shared, req).await)
        }
    }
}

/// Headers of one hop, not to be passed on.
const HOP: &[&str] = &[
    "host",
    "connection",
    "keep-alive",
    "proxy-connection",
    "transfer-encoding",
    "content-length",
    "te",
    "trailer",
    "upgrade",
];

async fn forward(shared: &Shared, req: Request<Incoming>) -> Response<Body> {
    let (parts, body) = req.into_parts();
    let path = parts.uri.path_and_query().map(|p| p.as_str()).unwrap_or("/");
    let url = format!("{}{path}", shared.upstream);
    let body = match body.collect().await {
        Ok(b) => b.to_bytes(),
        Err(e) => {
            return plain(
                StatusCode::BAD_GATEWAY,
                format!("fault proxy: reading the request: {e}"),
            );
        }
    };
    let mut out = shared.client.request(parts.method, &url).body(body);
    for (name, value) in &parts.headers {
        if !HOP.contains(&name.as_str()) {
            out = out.header(name, value);
        }
    }
    let resp = match out.send().await {
        Ok(r) => r,
        Err(e) => {
            return plain(
                StatusCode::BAD_GATEWAY,
                format!("fault proxy: forwarding to {url}: {e}"),
            );
        }
    };
    let status = resp.status();
    let headers = resp.headers().clone();
    let chunks = futures::stream::unfold(resp, |mut resp| async move {
        match resp.chunk().await {
            Ok(Some(chunk)) => Some((Ok(Frame::data(chunk)), resp)),
            Ok(None) => None,
            Err(e) => Some((Err(BoxError::from(e)), resp)),
        }
    });
    let mut answer = Response::new(BodyExt::boxed(StreamBody::new(chunks)));
    *answer.status_mut() = status;
    for (name, value) in &headers {
        if !HOP.contains(&name.as_str()) {
            answer.headers_mut().append(name, value.clone());
        }
    }
    answer
}

fn plain(status: StatusCode, text: String) -> Response<Body> {
    let mut r = Response::new(full(text));
    *r.status_mut() = status;
    r
}

#[derive(Clone, Copy)]
enum Fault {
    Internal,
    Unavailable,
    Throttle,
}

fn answer(status: u16, content_type: &str, extra: &[(&str, &str)], body: String) -> Response<Body> {
    let mut r = Response::new(full(body));
    *r.status_mut() = StatusCode::from_u16(status).expect("a status code");
    let h = r.headers_mut();
    h.insert("content-type", content_type.parse().expect("a header value"));
    for (k, v) in extra {
        let name = hyper::header::HeaderName::from_bytes(k.as_bytes()).expect("a header name");
        h.insert(name, v.parse().expect("a header value"));
    }
    r
}

fn error_answer(dialect: Dialect, req: &Request<Incoming>, fault: Fault) -> Response<Body> {
    match dialect {
        Dialect::Kubernetes => kubernetes_answer(fault),
        Dialect::Aws => aws_answer(req, fault),
    }
}

fn kubernetes_answer(fault: Fault) -> Response<Body> {
    let (code, reason, message, retry) = match fault {
        Fault::Internal => (
            500,
            "InternalError",
            "Internal error occurred: injected by the fault proxy",
            false,
        ),
        Fault::Unavailable => (
            503,
            "ServiceUnavailable",
            "the server is currently unable to handle the request",
            false,
        ),
        Fault::Throttle => (
            429,
            "TooManyRequests",
            "too many requests, please try again later",
            true,
        ),
    };
    let mut status = serde_json::json!({
        "kind": "Status",
        "apiVersion": "v1",
        "metadata": {},
        "status": "Failure",
        "message": message,
        "reason": reason,
        "code": code,
    });
    let extra: &[(&str, &str)] = if retry {
        status["details"] = serde_json::json!({ "retryAfterSeconds": 1 });
        &[("retry-after", "1")]
    } else {
        &[]
    };
    answer(code, "application/json", extra, status.to_string())
}

/// The AWS protocol of a request, from its content type and signing scope.
enum Protocol {
    Ec2Query,
    Query,
    RestXmlS3,
    Json,
    RestJson,
}

fn aws_protocol(req: &Request<Incoming>) -> Protocol {
    let header = |name: &str| {
        req.headers()
            .get(name)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("")
            .to_string()
    };
    // `Credential=KEY/DATE/REGION/SERVICE/aws4_request`
    let auth = header("authorization");
    let service = auth
        .split("Credential=")
        .nth(1)
        .and_then(|c| c.split('/').nth(3))
        .unwrap_or("")
        .to_string();
    let content_type = header("content-type");
    if service == "ec2" {
        Protocol::Ec2Query
    } else if service == "s3" {
        Protocol::RestXmlS3
    } else if content_type.starts_with("application/x-amz-json") {
        Protocol::Json
    } else if content_type.starts_with("application/x-www-form-urlencoded") {
        Protocol::Query
    } else {
        Protocol::RestJson
    }
}

static REQUEST_ID: AtomicU64 = AtomicU64::new(1);

fn aws_answer(req: &Request<Incoming>, fault: Fault) -> Response<Body> {
    let id = format!("fault-proxy-{}", REQUEST_ID.fetch_add(1, Ordering::Relaxed));
    let protocol = aws_protocol(req);
    let (status, code, message) = match (fault, &protocol) {
        (Fault::Internal, _) => (
            500,
            "InternalError",
            "We encountered an internal error. Please try again.",
        ),
        (Fault::Unavailable, _) => (
            503,
            "ServiceUnavailable",
            "The service is unavailable. Please try again.",
        ),
        (Fault::Throttle, Protocol::Ec2Query) => (400, "RequestLimitExceeded", "Request limit exceeded."),
        (Fault::Throttle, Protocol::Query) => (400, "Throttling", "Rate exceeded"),
        (Fault::Throttle, Protocol::RestXmlS3) => (503, "SlowDown", "Please reduce your request rate."),
        (Fault::Throttle, Protocol::Json) => (400, "ThrottlingException", "Rate exceeded"),
        (Fault::Throttle, Protocol::RestJson) => (429, "TooManyRequestsException", "Rate exceeded"),
    };
    match protocol {
        Protocol::Ec2Query => answer(
            status,
            "text/xml",
            &[],
            format!(
                "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Response><Errors><Error><Code>{code}</Code>\
                 <Message>{message}</Message></Error></Errors><RequestID>{id}</RequestID></Response>"
            ),
        ),
        Protocol::Query => answer(
            status,
            "text/xml",
            &[],
            format!(
                "<ErrorResponse><Error><Type>Sender</Type><Code>{code}</Code><Message>{message}</Message>\
                 </Error><RequestId>{id}</RequestId></ErrorResponse>"
            ),
        ),
        Protocol::RestXmlS3 => answer(
            status,
            "application/xml",
            &[],
            format!(
                "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Error><Code>{code}</Code><Message>{message}</Message>\
                 <RequestId>{id}</RequestId></Error>"
            ),
        ),
        Protocol::Json => answer(
            status,
            "application/x-amz-json-1.1",
            &[("x-amzn-requestid", &id)],
            serde_json::json!({ "__type": code, "message": message }).to_string(),
        ),
        Protocol::RestJson => answer(
            status,
            "application/json",
            &[("x-amzn-errortype", code), ("x-amzn-requestid", &id)],
            serde_json::json!({ "message": message }).to_string(),
        ),
    }
}
