//! The HTTP/1.1 server: a hyper connection per accepted socket on a current-thread tokio runtime
//! that runs on its own OS thread, so the fake works the same under `#[test]` and `#[tokio::test]`.
//!
//! This layer only moves bytes: it reads the whole request, logs it, checks the bearer token, and
//! hands it to `api::dispatch` under the state lock. It never interprets Kubernetes semantics.

use std::convert::Infallible;
use std::sync::{Arc, Mutex, MutexGuard};

use http_body_util::{BodyExt, Full};
use hyper::body::{Bytes, Incoming};
use hyper::header::{AUTHORIZATION, CONTENT_TYPE, HeaderValue};
use hyper::server::conn::http1;
use hyper::service::service_fn;
use hyper::{Request, Response, StatusCode};
use hyper_util::rt::TokioIo;
use tokio::sync::oneshot;

use crate::api;
use crate::query::Query;
use crate::status::ApiError;
use crate::store::State;

/// Locks the state, recovering from poisoning: a panicking test thread must not take the fake down
/// for everyone else.
pub(crate) fn lock(state: &Mutex<State>) -> MutexGuard<'_, State> {
    state.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
}

/// Accepts connections until `shutdown` fires.
pub(crate) async fn serve(
    listener: std::net::TcpListener,
    state: Arc<Mutex<State>>,
    mut shutdown: oneshot::Receiver<()>,
) {
    let Ok(listener) = tokio::net::TcpListener::from_std(listener) else {
        return;
    };
    loop {
        tokio::select! {
            _ = &mut shutdown => break,
            accepted = listener.accept() => {
                let Ok((stream, _)) = accepted else { continue };
                let _ = stream.set_nodelay(true);
                let state = Arc::clone(&state);
                tokio::spawn(async move {
                    let service = service_fn(move |req| handle(Arc::clone(&state), req));
                    // A client hanging up mid-request is not the fake's problem.
                    let _ = http1::Builder::new().serve_connection(TokioIo::new(stream), service).await;
                });
            }
        }
    }
}

async fn handle(state: Arc<Mutex<State>>, req: Request<Incoming>) -> Result<Response<Full<Bytes>>, Infallible> {
    let (parts, body) = req.into_parts();
    let header = |name: hyper::header::HeaderName| {
        parts
            .headers
            .get(name)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("")
            .to_string()
    };
    let content_type = header(CONTENT_TYPE);
    let accept = header(hyper::header::ACCEPT);
    let user_agent = header(hyper::header::USER_AGENT);
    let authorization = header(AUTHORIZATION);
    let path = parts.uri.path().to_string();
    let raw_query = parts.uri.query().unwrap_or("").to_string();
    let body = body.collect().await.map(http_body_util::Collected::to_bytes);

    let reply = {
        let mut state = lock(&state);
        let logged = if raw_query.is_empty() {
            format!("{} {path}", parts.method)
        } else {
            format!("{} {path}?{raw_query}", parts.method)
        };
        state.requests.push(logged);
        match (&state.token, body) {
            (Some(token), _) if authorization != format!("Bearer {token}") => failure(&ApiError::unauthorized()),
            (_, Err(e)) => failure(&ApiError::bad_request(format!("error reading request body: {e}"))),
            (_, Ok(bytes)) => {
                let request = api::Request {
                    method: parts.method.as_str(),
                    path: &path,
                    query: Query::parse(&raw_query),
                    content_type: &content_type,
                    accept: &accept,
                    user_agent: &user_agent,
                    body: &bytes,
                };
                api::dispatch(&mut state, &request)
            }
        }
    };
    let bytes = serde_json::to_vec(&reply.body).unwrap_or_default();
    let mut response = Response::new(Full::new(Bytes::from(bytes)));
    *response.status_mut() = StatusCode::from_u16(reply.code).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    let content_type =
        HeaderValue::from_str(&reply.content_type).unwrap_or_else(|_| HeaderValue::from_static("application/json"));
    response.headers_mut().insert(CONTENT_TYPE, content_type);
    Ok(response)
}

fn failure(e: &ApiError) -> api::Reply {
    api::Reply {
        code: e.code,
        body: e.to_status(),
        content_type: "application/json".to_string(),
    }
}
