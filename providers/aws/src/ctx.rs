//! Clients, rate limiting and call counting shared by every AWS resource type.
//!
//! Clients come from the standard AWS chain (`AWS_PROFILE`, `AWS_REGION`, `AWS_ACCESS_KEY_ID`…,
//! `AWS_ENDPOINT_URL`), overridden by the provider block. Every request goes through a counter
//! (tests assert refresh cost with it) and a token-bucket limiter honouring
//! `requests_per_second`. The SDK's standard retry mode retries throttling and transient 5xx
//! errors with exponential backoff and jitter, `max_retries` times.

use std::collections::BTreeMap;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use aws_config::BehaviorVersion;
use aws_config::retry::RetryConfig;
use aws_smithy_runtime_api::box_error::BoxError;
use aws_smithy_runtime_api::client::interceptors::Intercept;
use aws_smithy_runtime_api::client::interceptors::context::BeforeTransmitInterceptorContextRef;
use aws_smithy_runtime_api::client::runtime_components::RuntimeComponents;
use aws_smithy_types::config_bag::ConfigBag;
use plinth_sdk::Value;
use tokio::sync::Mutex;

/// Counts HTTP attempts (retries included) made by any client of one provider instance.
#[derive(Debug, Clone, Default)]
pub struct CallCounter(pub Arc<AtomicU64>);

impl Intercept for CallCounter {
    fn name(&self) -> &'static str {
        "PlinthCallCounter"
    }

    fn read_before_attempt(
        &self,
        _context: &BeforeTransmitInterceptorContextRef<'_>,
        _rc: &RuntimeComponents,
        _cfg: &mut ConfigBag,
    ) -> Result<(), BoxError> {
        self.0.fetch_add(1, Ordering::Relaxed);
        Ok(())
    }
}

/// A simple token bucket: at most `rate` requests per second, bursts of up to `rate`.
#[derive(Debug)]
pub struct RateLimiter {
    interval: Option<Duration>,
    next: Mutex<Instant>,
}

impl RateLimiter {
    pub fn new(requests_per_second: f64) -> Self {
        let interval = (requests_per_second > 0.0).then(|| Duration::from_secs_f64(1.0 / requests_per_second));
        RateLimiter {
            interval,
            next: Mutex::new(Instant::now()),
        }
    }

    /// Waits for the next free slot.
    pub async fn acquire(&self) {
        let Some(interval) = self.interval else { return };
        let wait = {
            let mut next = self.next.lock().await;
            let now = Instant::now();
            let slot = (*next).max(now);
            *next = slot + interval;
            slot.saturating_duration_since(now)
        };
        if !wait.is_zero() {
            tokio::time::sleep(wait).await;
        }
    }
}

/// Provider settings from the `provider "aws"` block.
/// Debug is not derived: it would print credentials.
#[derive(Clone, Default)]
pub struct Settings {
    pub region: Option<String>,
    pub profile: Option<String>,
    pub endpoint_url: Option<String>,
    pub default_tags: BTreeMap<String, String>,
    pub max_retries: Option<u32>,
    pub requests_per_second: Option<f64>,
    /// Static credentials (prefer the standard chain or `secret("keyring:...")`).
    pub access_key: Option<String>,
    pub secret_key: Option<String>,
    pub token: Option<String>,
}

impl Settings {
    pub fn from_config(config: &Value) -> Settings {
        let s = |k: &str| config.get(k).as_str().map(str::to_string).filter(|s| !s.is_empty());
        Settings {
            region: s("region"),
            profile: s("profile"),
            endpoint_url: s("endpoint_url"),
            default_tags: config
                .get("default_tags")
                .as_map()
                .map(|m| {
                    m.iter()
                        .filter_map(|(k, v)| Some((k.clone(), v.as_str()?.to_string())))
                        .collect()
                })
                .unwrap_or_default(),
            max_retries: config.get("max_retries").as_f64().map(|n| n.max(0.0) as u32),
            requests_per_second: config.get("requests_per_second").as_f64(),
            access_key: s("access_key"),
            secret_key: s("secret_key"),
            token: s("token"),
        }
    }
}

/// Everything a resource implementation needs to talk to AWS.
#[derive(Debug, Clone)]
pub struct Ctx {
    pub ec2: aws_sdk_ec2::Client,
    pub sagemaker: aws_sdk_sagemaker::Client,
    pub iam: aws_sdk_iam::Client,
    pub s3: aws_sdk_s3::Client,
    pub secretsmanager: aws_sdk_secretsmanager::Client,
    pub region: String,
    pub default_tags: BTreeMap<String, String>,
    pub limiter: Arc<RateLimiter>,
    pub calls: CallCounter,
    /// How long waits (instance running, endpoint InService, deletion) may take.
    pub wait_timeout: Duration,
    /// How often waits poll.
    pub poll_interval: Duration,
}

impl Ctx {
    pub async fn new(settings: &Settings) -> Ctx {
        let mut loader = aws_config::defaults(BehaviorVersion::latest());
        if let Some(r) = &settings.region {
            loader = loader.region(aws_config::Region::new(r.clone()));
        }
        if let Some(p) = &settings.profile {
            loader = loader.profile_name(p);
        }
        if let Some(u) = &settings.endpoint_url {
            loader = loader.endpoint_url(u);
        }
        if let (Some(a), Some(k)) = (&settings.access_key, &settings.secret_key) {
            loader = loader.credentials_provider(aws_credential_types::Credentials::new(
                a.clone(),
                k.clone(),
                settings.token.clone(),
                None,
                "plinth-provider-block",
            ));
        }
        // max_retries counts retries; the SDK counts attempts.
        let attempts = settings.max_retries.map(|r| r + 1).unwrap_or(4);
        loader = loader.retry_config(RetryConfig::standard().with_max_attempts(attempts));
        let conf = loader.load().await;
        let calls = CallCounter::default();
        let ec2 = aws_sdk_ec2::Client::from_conf(
            aws_sdk_ec2::config::Builder::from(&conf)
                .interceptor(calls.clone())
                .build(),
        );
        let sagemaker = aws_sdk_sagemaker::Client::from_conf(
            aws_sdk_sagemaker::config::Builder::from(&conf)
                .interceptor(calls.clone())
                .build(),
        );
        let iam = aws_sdk_iam::Client::from_conf(
            aws_sdk_iam::config::Builder::from(&conf)
                .interceptor(calls.clone())
                .build(),
        );
        // Path-style addressing works with emulators on localhost and with real S3.
        let s3 = aws_sdk_s3::Client::from_conf(
            aws_sdk_s3::config::Builder::from(&conf)
                .force_path_style(true)
                .interceptor(calls.clone())
                .build(),
        );
        let secretsmanager = aws_sdk_secretsmanager::Client::from_conf(
            aws_sdk_secretsmanager::config::Builder::from(&conf)
                .interceptor(calls.clone())
                .build(),
        );
        let region = conf
            .region()
            .map(|r| r.to_string())
            .unwrap_or_else(|| "us-east-1".to_string());
        let fast = std::env::var("PLINTH_AWS_FAST_WAITS").is_ok();
        Ctx {
            ec2,
            sagemaker,
            iam,
            s3,
            secretsmanager,
            region,
            default_tags: settings.default_tags.clone(),
            limiter: Arc::new(RateLimiter::new(settings.requests_per_second.unwrap_or(0.0))),
            calls,
            wait_timeout: Duration::from_secs(if fast { 60 } else { 1800 }),
            poll_interval: Duration::from_millis(if fast { 100 } else { 5000 }),
        }
    }

    /// Waits for the rate limiter; call before every request.
    pub async fn throttle(&self) {
        self.limiter.acquire().await;
    }

    /// The number of HTTP attempts made so far.
    pub fn call_count(&self) -> u64 {
        self.calls.0.load(Ordering::Relaxed)
    }

    /// `tags` merged over the provider's `default_tags`.
    pub fn merged_tags(&self, tags: &Value) -> BTreeMap<String, String> {
        let mut out = self.default_tags.clone();
        if let Some(m) = tags.as_map() {
            for (k, v) in m {
                if let Some(s) = v.as_str() {
                    out.insert(k.clone(), s.to_string());
                }
            }
        }
        out
    }
}
