//! Retrying the API server's passing failures: one `tower` layer around the client's whole stack
//! (authentication included, so a retry carries fresh credentials), under every call the
//! provider makes — server-side apply, get, list, delete, discovery and the watch behind a
//! delete's wait — so no call site has its own loop.
//!
//! What is retried, with exponential backoff and full jitter (a random wait of up to 200 ms, then
//! up to 400 ms, 800 ms ..., capped at 10 s; a `Retry-After` of the server is waited out, up to
//! 30 s), at most `max_retries` times:
//! - HTTP 429 (the priority-and-fairness filter's "too many requests") and 503: the server did
//!   not act on the request, so every method is retried;
//! - HTTP 500, 502 and 504, and a connection that failed or closed before the answer: the server
//!   may have acted, so only methods whose repetition does no harm are retried — GET, HEAD, PUT,
//!   PATCH (the provider writes with server-side apply, which sets the same fields again) and
//!   DELETE (a repeated delete of an object already gone answers 404, which the provider takes as
//!   done). The provider does not create with POST; a POST (none today) is not retried for these.
//!
//! Not retried: a 500 whose `Status` says a server-side apply does not fit the kind's schema
//! ("failed to create typed patch object", permanent despite its status), timeouts (the client's
//! read timeout is two minutes; repeating it would hang a command for many), a refused connection
//! (nothing listens there: a wrong kubeconfig or a cluster that is down is reported at once, as
//! kubectl does), and everything else.
//! kube-rs's own retry policy (`Config::default_retry`, 429/503/504 only) is switched off so that
//! one policy governs.

use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};
use std::time::Duration;

use bytes::Bytes;
use http::{Method, Request, Response, StatusCode};
use http_body_util::combinators::UnsyncBoxBody;
use http_body_util::{BodyExt, Full};
use kube::client::Body;
use tower::util::rng::{HasherRng, Rng};
use tower::{BoxError, Layer, Service, ServiceExt};

/// Retries of one request when the provider block does not set `max_retries`: 10 attempts. If a
/// share `q` of attempts fails independently, a request fails with probability `q^10`: one in a
/// million at the fault tests' `q = 0.25`, where kube-rs's 3 retries of its default policy would
/// fail one request in 256. The backoff rides out about 40 s of failures at most.
pub const DEFAULT_MAX_RETRIES: u32 = 9;

/// The first backoff's upper bound; it doubles with each retry.
const BASE: Duration = Duration::from_millis(200);
/// The backoff's cap.
const CAP: Duration = Duration::from_secs(10);
/// The longest `Retry-After` waited out.
const MAX_RETRY_AFTER: Duration = Duration::from_secs(30);

/// The response body after the retry layer: the API server's, or the one it read to decide.
pub type RetryBody = UnsyncBoxBody<Bytes, BoxError>;

/// Adds [`Retry`] around a service.
#[derive(Clone, Copy, Debug)]
pub struct RetryLayer {
    pub max_retries: u32,
}

impl<S> Layer<S> for RetryLayer {
    type Service = Retry<S>;

    fn layer(&self, inner: S) -> Retry<S> {
        Retry {
            inner,
            max_retries: self.max_retries,
        }
    }
}

/// See the module documentation.
#[derive(Clone)]
pub struct Retry<S> {
    inner: S,
    max_retries: u32,
}

/// Whether a failure the server may have acted on can be repeated safely.
fn idempotent(method: &Method) -> bool {
    matches!(
        *method,
        Method::GET | Method::HEAD | Method::OPTIONS | Method::PUT | Method::PATCH | Method::DELETE
    )
}

/// Whether an answer with `status` to a `method` request is worth repeating.
fn retryable_status(method: &Method, status: StatusCode) -> bool {
    match status {
        StatusCode::TOO_MANY_REQUESTS | StatusCode::SERVICE_UNAVAILABLE => true,
        StatusCode::INTERNAL_SERVER_ERROR | StatusCode::BAD_GATEWAY | StatusCode::GATEWAY_TIMEOUT => idempotent(method),
        _ => false,
    }
}

/// Whether a transport error is a broken connection (retried) rather than a timeout or a server
/// that does not listen (not).
fn retryable_error(method: &Method, e: &BoxError) -> bool {
    if !idempotent(method) {
        return false;
    }
    let mut source: Option<&(dyn std::error::Error + 'static)> = Some(e.as_ref());
    while let Some(s) = source {
        if let Some(io) = s.downcast_ref::<std::io::Error>()
            && matches!(
                io.kind(),
                std::io::ErrorKind::TimedOut | std::io::ErrorKind::ConnectionRefused
            )
        {
            return false;
        }
        let text = s.to_string();
        if text.contains("timed out") || text.contains("Connection refused") {
            return false;
        }
        source = s.source();
    }
    true
}

/// A 500 that repeating cannot cure (see the module documentation).
fn permanent_500(body: &[u8]) -> bool {
    serde_json::from_slice::<serde_json::Value>(body)
        .ok()
        .and_then(|s| s.get("message")?.as_str().map(str::to_string))
        .is_some_and(|m| m.starts_with("failed to create typed patch object"))
}

/// The wait before retry number `retry` (0 for the first): full jitter under `BASE * 2^retry`,
/// capped at [`CAP`].
fn backoff(retry: u32) -> Duration {
    let ceiling = BASE.saturating_mul(1u32 << retry.min(16)).min(CAP);
    ceiling.mul_f64(HasherRng::default().next_f64())
}

/// The server's `Retry-After` in seconds, if any, capped at [`MAX_RETRY_AFTER`].
fn retry_after<B>(resp: &Response<B>) -> Option<Duration> {
    let secs: u64 = resp
        .headers()
        .get(http::header::RETRY_AFTER)?
        .to_str()
        .ok()?
        .trim()
        .parse()
        .ok()?;
    Some(Duration::from_secs(secs).min(MAX_RETRY_AFTER))
}

fn boxed<B>(resp: Response<B>) -> Response<RetryBody>
where
    B: http_body::Body<Data = Bytes> + Send + 'static,
    B::Error: Into<BoxError>,
{
    resp.map(|b| b.map_err(Into::into).boxed_unsync())
}

impl<S, B> Service<Request<Body>> for Retry<S>
where
    S: Service<Request<Body>, Response = Response<B>> + Clone + Send + 'static,
    S::Future: Send,
    S::Error: Into<BoxError>,
    B: http_body::Body<Data = Bytes> + Send + 'static,
    B::Error: Into<BoxError>,
{
    type Response = Response<RetryBody>;
    type Error = BoxError;
    type Future = Pin<Box<dyn Future<Output = Result<Response<RetryBody>, BoxError>> + Send>>;

    fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), BoxError>> {
        self.inner.poll_ready(cx).map_err(Into::into)
    }

    fn call(&mut self, req: Request<Body>) -> Self::Future {
        // The service polled ready is the one to call first; its clone serves the retries.
        let clone = self.inner.clone();
        let mut inner = std::mem::replace(&mut self.inner, clone);
        let max_retries = self.max_retries;
        Box::pin(async move {
            let (parts, body) = req.into_parts();
            let method = parts.method.clone();
            let mut retries = 0;
            let mut next = Some(body);
            loop {
                let Some(body) = next.take() else {
                    unreachable!("a body for every attempt");
                };
                // A body that cannot be cloned (a stream) gets one attempt.
                let spare = if retries < max_retries { body.try_clone() } else { None };
                let request = Request::from_parts(parts.clone(), body);
                if retries > 0 {
                    inner.ready().await.map_err(Into::into)?;
                }
                let result = inner.call(request).await.map_err(Into::into);
                let Some(spare) = spare else {
                    return result.map(boxed);
                };
                let wait = match result {
                    Ok(resp) if !retryable_status(&method, resp.status()) => return Ok(boxed(resp)),
                    Ok(resp) => {
                        let status = resp.status();
                        let wait =
                            retry_after(&resp).map_or_else(|| backoff(retries), |after| after.max(backoff(retries)));
                        if status == StatusCode::INTERNAL_SERVER_ERROR {
                            let (head, body) = resp.into_parts();
                            let bytes = body.collect().await.map_err(Into::into)?.to_bytes();
                            if permanent_500(&bytes) {
                                let body = Full::new(bytes).map_err(|never| match never {}).boxed_unsync();
                                return Ok(Response::from_parts(head, body));
                            }
                        }
                        tracing::debug!(%method, uri = %parts.uri, %status, retry = retries + 1, wait_ms = wait.as_millis() as u64, "retrying");
                        wait
                    }
                    Err(e) if !retryable_error(&method, &e) => return Err(e),
                    Err(e) => {
                        let wait = backoff(retries);
                        tracing::debug!(%method, uri = %parts.uri, error = %e, retry = retries + 1, wait_ms = wait.as_millis() as u64, "retrying");
                        wait
                    }
                };
                tokio::time::sleep(wait).await;
                retries += 1;
                next = Some(spare);
            }
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_what_is_safe_to_repeat_is_retried() {
        assert!(retryable_status(&Method::POST, StatusCode::TOO_MANY_REQUESTS));
        assert!(retryable_status(&Method::POST, StatusCode::SERVICE_UNAVAILABLE));
        assert!(!retryable_status(&Method::POST, StatusCode::INTERNAL_SERVER_ERROR));
        assert!(retryable_status(&Method::PATCH, StatusCode::INTERNAL_SERVER_ERROR));
        assert!(retryable_status(&Method::DELETE, StatusCode::GATEWAY_TIMEOUT));
        assert!(!retryable_status(&Method::GET, StatusCode::NOT_FOUND));
        assert!(!retryable_status(&Method::PATCH, StatusCode::CONFLICT));
        let reset: BoxError = Box::new(std::io::Error::from(std::io::ErrorKind::ConnectionReset));
        assert!(retryable_error(&Method::GET, &reset));
        assert!(!retryable_error(&Method::POST, &reset));
        let timeout: BoxError = Box::new(std::io::Error::from(std::io::ErrorKind::TimedOut));
        assert!(!retryable_error(&Method::GET, &timeout));
        let refused: BoxError = Box::new(std::io::Error::from(std::io::ErrorKind::ConnectionRefused));
        assert!(!retryable_error(&Method::GET, &refused));
        assert!(permanent_500(
            br#"{"kind":"Status","message":"failed to create typed patch object (ml/m): errors: ..."}"#
        ));
        assert!(!permanent_500(
            br#"{"kind":"Status","message":"etcdserver: request timed out"}"#
        ));
    }

    #[test]
    fn backoff_doubles_under_a_cap_with_jitter() {
        for retry in 0..20 {
            let ceiling = BASE.saturating_mul(1u32 << retry.min(16)).min(CAP);
            let b = backoff(retry);
            assert!(b <= ceiling, "{retry}: {b:?} > {ceiling:?}");
        }
        assert_eq!(BASE.saturating_mul(1u32 << 16).min(CAP), CAP);
    }
}
