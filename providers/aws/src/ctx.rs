//! Clients, rate limiting and call counting shared by every AWS resource type.
//!
//! Clients come from the standard AWS chain (`AWS_PROFILE`, `AWS_REGION`, `AWS_ACCESS_KEY_ID`…,
//! `AWS_ENDPOINT_URL`), overridden by the provider block; the region and the credentials are
//! checked here, when the provider is configured. Every client is built here with the same two
//! hooks, so a request cannot bypass them: a counter interceptor (tests assert refresh cost with
//! it) and, with `requests_per_second`, an HTTP client that waits for a `governor` rate limiter
//! before each attempt. The SDK's standard retry mode retries throttling and transient 5xx errors
//! with exponential backoff and jitter, `max_retries` times. What the resource modules do with the
//! clients is theirs.

use std::collections::BTreeMap;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use aws_config::BehaviorVersion;
use aws_config::retry::RetryConfig;
use aws_credential_types::provider::ProvideCredentials;
use aws_smithy_runtime::client::defaults::default_http_client_plugin_v2;
use aws_smithy_runtime_api::box_error::BoxError;
use aws_smithy_runtime_api::client::connector_metadata::ConnectorMetadata;
use aws_smithy_runtime_api::client::http::{
    HttpClient, HttpConnector, HttpConnectorFuture, HttpConnectorSettings, SharedHttpClient, SharedHttpConnector,
};
use aws_smithy_runtime_api::client::interceptors::Intercept;
use aws_smithy_runtime_api::client::interceptors::context::BeforeTransmitInterceptorContextRef;
use aws_smithy_runtime_api::client::orchestrator::HttpRequest;
use aws_smithy_runtime_api::client::runtime_components::{RuntimeComponents, RuntimeComponentsBuilder};
use aws_smithy_runtime_api::client::runtime_plugin::RuntimePlugin;
use aws_smithy_types::config_bag::ConfigBag;
use futures::FutureExt as _;
use governor::{DefaultDirectRateLimiter, Quota, RateLimiter};
use plinth_sdk::{AttrPath, ProviderError, Value, error_chain};

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

/// The provider's HTTP client, holding every attempt (retries included) of every client of one
/// provider instance to `requests_per_second`. The limit lives in the HTTP client because that is
/// the one asynchronous seam every request passes through: interceptor hooks are synchronous, so
/// they cannot wait without blocking a runtime thread.
#[derive(Clone)]
struct RateLimitedClient {
    inner: SharedHttpClient,
    limiter: Arc<DefaultDirectRateLimiter>,
}

impl std::fmt::Debug for RateLimitedClient {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RateLimitedClient").field("inner", &self.inner).finish()
    }
}

impl HttpClient for RateLimitedClient {
    fn http_connector(&self, settings: &HttpConnectorSettings, components: &RuntimeComponents) -> SharedHttpConnector {
        SharedHttpConnector::new(RateLimitedConnector {
            inner: self.inner.http_connector(settings, components),
            limiter: self.limiter.clone(),
        })
    }

    fn validate_base_client_config(&self, rc: &RuntimeComponentsBuilder, cfg: &ConfigBag) -> Result<(), BoxError> {
        self.inner.validate_base_client_config(rc, cfg)
    }

    fn validate_final_config(&self, rc: &RuntimeComponents, cfg: &ConfigBag) -> Result<(), BoxError> {
        self.inner.validate_final_config(rc, cfg)
    }

    fn connector_metadata(&self) -> Option<ConnectorMetadata> {
        self.inner.connector_metadata()
    }
}

struct RateLimitedConnector {
    inner: SharedHttpConnector,
    limiter: Arc<DefaultDirectRateLimiter>,
}

impl std::fmt::Debug for RateLimitedConnector {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RateLimitedConnector")
            .field("inner", &self.inner)
            .finish()
    }
}

impl HttpConnector for RateLimitedConnector {
    fn call(&self, request: HttpRequest) -> HttpConnectorFuture {
        let inner = self.inner.clone();
        let limiter = self.limiter.clone();
        HttpConnectorFuture::new(async move {
            limiter.until_ready().await;
            inner.call(request).await
        })
    }
}

/// The SDK's default HTTPS client behind a `requests_per_second` limit (no burst: requests are
/// spaced `1/N` s apart); `None` without a limit, so the SDK keeps its own default.
fn rate_limited_client(requests_per_second: Option<f64>) -> Result<Option<SharedHttpClient>, ProviderError> {
    let Some(period) = requests_per_second
        .filter(|n| *n > 0.0 && n.is_finite())
        .map(|n| Duration::from_secs_f64(1.0 / n))
    else {
        return Ok(None);
    };
    let quota = Quota::with_period(period).ok_or_else(|| {
        ProviderError::with_code("InvalidParameterValue", "requests_per_second is too large")
            .at(AttrPath::attr("requests_per_second"))
    })?;
    let inner = default_http_client_plugin_v2(BehaviorVersion::latest())
        .and_then(|plugin| {
            plugin
                .runtime_components(&RuntimeComponentsBuilder::new("plinth-aws"))
                .http_client()
        })
        .ok_or_else(|| ProviderError::new("this build of the AWS SDK has no default HTTPS client to rate-limit"))?;
    Ok(Some(SharedHttpClient::new(RateLimitedClient {
        inner,
        limiter: Arc::new(RateLimiter::direct(quota)),
    })))
}

/// Resolves the credentials once, so that having none is reported now with the ways to provide
/// them (the SDK would only fail at the first request, as a dispatch failure).
async fn check_credentials(conf: &aws_config::SdkConfig) -> Result<(), ProviderError> {
    let Some(provider) = conf.credentials_provider() else {
        return Err(no_credentials("no credentials provider is configured".to_string()));
    };
    match provider.provide_credentials().await {
        Ok(_) => Ok(()),
        Err(e) => Err(no_credentials(error_chain(&e))),
    }
}

fn no_credentials(why: String) -> ProviderError {
    ProviderError::with_code(
        "NoCredentials",
        format!(
            "no AWS credentials: set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or use a profile (profile in \
             the provider \"aws\" block, or AWS_PROFILE; run `aws sso login` for an SSO profile), or run where \
             instance metadata or a web identity token provides them. The AWS SDK says: {why}"
        ),
    )
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
    /// The configuration's directory: relative file arguments (a Lambda `filename`) are read
    /// from here.
    pub working_dir: std::path::PathBuf,
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
            working_dir: std::path::PathBuf::new(),
        }
    }
}

/// Retries of one request when the provider block does not set `max_retries`: 10 attempts.
///
/// A call fails only when every attempt fails. If a share `q` of attempts fails independently, a
/// call with `n` attempts fails with probability `q^n`, and an apply of `c` calls fails with about
/// `c * q^n`. At the fault tests' `q = 0.25` (20% error answers and 5% resets) the SDK's default of
/// 3 attempts fails one call in 64 and an apply of 300 calls more often than not; 10 attempts fail
/// one call in a million (an apply of 10,000 calls: 1%), and at a throttling rate of 5% never in
/// practice. The standard mode's backoff (full jitter, up to 1 s, 2 s, 4 s ... capped at 20 s)
/// makes 9 retries ride out about a minute of throttling on average (at most about 2 minutes),
/// and its retry quota (a token bucket shared by the provider's clients) stops retrying early when
/// most requests fail, so an outage is still reported quickly. Terraform's AWS provider defaults
/// to 25.
pub const DEFAULT_MAX_RETRIES: u32 = 9;

/// Everything a resource implementation needs to talk to AWS.
#[derive(Debug, Clone)]
pub struct Ctx {
    pub ec2: aws_sdk_ec2::Client,
    pub sagemaker: aws_sdk_sagemaker::Client,
    pub iam: aws_sdk_iam::Client,
    pub s3: aws_sdk_s3::Client,
    pub secretsmanager: aws_sdk_secretsmanager::Client,
    pub kms: aws_sdk_kms::Client,
    pub logs: aws_sdk_cloudwatchlogs::Client,
    pub ecr: aws_sdk_ecr::Client,
    pub ssm: aws_sdk_ssm::Client,
    pub lambda: aws_sdk_lambda::Client,
    pub rds: aws_sdk_rds::Client,
    pub elasticache: aws_sdk_elasticache::Client,
    pub redshift: aws_sdk_redshift::Client,
    pub glue: aws_sdk_glue::Client,
    /// Application, Network and Gateway Load Balancers (ELBv2).
    pub elbv2: aws_sdk_elasticloadbalancingv2::Client,
    /// Classic Load Balancers.
    pub elb: aws_sdk_elasticloadbalancing::Client,
    pub events: aws_sdk_eventbridge::Client,
    pub ecs: aws_sdk_ecs::Client,
    pub autoscaling: aws_sdk_autoscaling::Client,
    /// Application Auto Scaling (scalable targets and scaling policies of SageMaker variants,
    /// ECS services, DynamoDB tables ...).
    pub appautoscaling: aws_sdk_applicationautoscaling::Client,
    /// For `aws_caller_identity` and [`Ctx::account_id`] (GetCallerIdentity).
    pub sts: aws_sdk_sts::Client,
    pub region: String,
    pub default_tags: BTreeMap<String, String>,
    /// The configuration's directory (see [`Settings::working_dir`]).
    pub working_dir: std::path::PathBuf,
    pub calls: CallCounter,
    /// How long waits (instance running, endpoint InService, deletion) may take.
    pub wait_timeout: Duration,
    /// How often waits poll.
    pub poll_interval: Duration,
    /// The account of the credentials, asked of STS once when an ARN needs it (see
    /// [`Ctx::account_id`]).
    account: Arc<tokio::sync::OnceCell<String>>,
    /// What a `Ctx` of another region takes over (see [`Ctx::in_region`]).
    shared: Shared,
}

/// What every `Ctx` of one provider configuration shares, whatever its region. Debug shows no
/// credentials: the SDK config redacts them.
#[derive(Debug, Clone)]
struct Shared {
    conf: aws_config::SdkConfig,
    calls: CallCounter,
    http: Option<SharedHttpClient>,
    default_tags: BTreeMap<String, String>,
    working_dir: std::path::PathBuf,
    /// One account per set of credentials, whatever the region.
    account: Arc<tokio::sync::OnceCell<String>>,
}

impl Ctx {
    /// Clients for `settings`. A missing region or missing credentials is an error here, at
    /// configuration time, naming the fix, rather than a transport failure on the first request.
    pub async fn new(settings: &Settings) -> Result<Ctx, ProviderError> {
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
        let attempts = settings.max_retries.unwrap_or(DEFAULT_MAX_RETRIES) + 1;
        loader = loader.retry_config(RetryConfig::standard().with_max_attempts(attempts));
        let conf = loader.load().await;
        let region = conf.region().map(|r| r.to_string()).ok_or_else(|| {
            ProviderError::with_code(
                "NoRegion",
                "no AWS region is configured: set region in the provider \"aws\" block, or the AWS_REGION \
                 environment variable, or use a profile that has one (profile in the provider block, or AWS_PROFILE)",
            )
            .at(AttrPath::attr("region"))
        })?;
        check_credentials(&conf).await?;
        let shared = Shared {
            conf,
            calls: CallCounter::default(),
            http: rate_limited_client(settings.requests_per_second)?,
            default_tags: settings.default_tags.clone(),
            working_dir: settings.working_dir.clone(),
            account: Arc::default(),
        };
        Ok(Ctx::build(region, shared))
    }

    /// The same provider configuration in `region`: the same credentials (their cache included),
    /// endpoint, retries, call counter, rate limit, default tags and account, with clients that
    /// sign for and talk to `region`. Makes no request. Terraform's per-resource `region` (see
    /// [`crate::region`]) runs an instance with the `Ctx` of its region.
    pub fn in_region(&self, region: &str) -> Ctx {
        let conf = self
            .shared
            .conf
            .to_builder()
            .region(aws_config::Region::new(region.to_string()))
            .build();
        Ctx::build(
            region.to_string(),
            Shared {
                conf,
                ..self.shared.clone()
            },
        )
    }

    /// Every client from `shared.conf`, each with the same counter and HTTP client, so neither
    /// can be forgotten.
    fn build(region: String, shared: Shared) -> Ctx {
        let Shared { conf, calls, http, .. } = &shared;
        macro_rules! client {
            ($service:ident $(, $extra:ident($($arg:expr),*))*) => {{
                let mut builder = $service::config::Builder::from(conf).interceptor(calls.clone());
                if let Some(http) = http {
                    builder.set_http_client(Some(http.clone()));
                }
                $service::Client::from_conf(builder$(.$extra($($arg),*))*.build())
            }};
        }
        let fast = std::env::var("PLINTH_AWS_FAST_WAITS").is_ok();
        Ctx {
            ec2: client!(aws_sdk_ec2),
            sagemaker: client!(aws_sdk_sagemaker),
            iam: client!(aws_sdk_iam),
            // Path-style addressing works with emulators on localhost and with real S3.
            s3: client!(aws_sdk_s3, force_path_style(true)),
            secretsmanager: client!(aws_sdk_secretsmanager),
            kms: client!(aws_sdk_kms),
            logs: client!(aws_sdk_cloudwatchlogs),
            ecr: client!(aws_sdk_ecr),
            ssm: client!(aws_sdk_ssm),
            lambda: client!(aws_sdk_lambda),
            rds: client!(aws_sdk_rds),
            elasticache: client!(aws_sdk_elasticache),
            redshift: client!(aws_sdk_redshift),
            glue: client!(aws_sdk_glue),
            elbv2: client!(aws_sdk_elasticloadbalancingv2),
            elb: client!(aws_sdk_elasticloadbalancing),
            events: client!(aws_sdk_eventbridge),
            ecs: client!(aws_sdk_ecs),
            autoscaling: client!(aws_sdk_autoscaling),
            appautoscaling: client!(aws_sdk_applicationautoscaling),
            sts: client!(aws_sdk_sts),
            region,
            default_tags: shared.default_tags.clone(),
            working_dir: shared.working_dir.clone(),
            calls: shared.calls.clone(),
            wait_timeout: Duration::from_secs(if fast { 60 } else { 1800 }),
            poll_interval: Duration::from_millis(if fast { 100 } else { 5000 }),
            account: shared.account.clone(),
            shared,
        }
    }

    /// The account id of the credentials, for ARNs that describe calls leave out (customer and VPN
    /// gateways, DHCP options, EBS volumes, Classic Load Balancers, Redshift objects): one
    /// GetCallerIdentity per provider configuration. Everything that needs the account asks here;
    /// only `aws_caller_identity`, which also reports the caller's ARN and user id, calls STS itself.
    pub async fn account_id(&self) -> Result<String, ProviderError> {
        self.account
            .get_or_try_init(|| async {
                let resp = self
                    .sts
                    .get_caller_identity()
                    .send()
                    .boxed()
                    .await
                    .map_err(crate::error::aws_error)?;
                resp.account()
                    .map(str::to_string)
                    .ok_or_else(|| ProviderError::new("GetCallerIdentity returned no account"))
            })
            .await
            .cloned()
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

#[cfg(test)]
mod tests {
    use std::time::Instant;

    use super::*;

    /// Against a closed port every attempt fails at once, so the time three calls take is the
    /// limiter's spacing, and the counter sees each attempt.
    #[tokio::test]
    async fn requests_per_second_spaces_every_request() {
        let settings = Settings {
            region: Some("us-east-1".into()),
            endpoint_url: Some("http://127.0.0.1:1".into()),
            access_key: Some("testing".into()),
            secret_key: Some("testing".into()),
            max_retries: Some(0),
            requests_per_second: Some(20.0),
            ..Settings::default()
        };
        let ctx = Ctx::new(&settings).await.expect("configured");
        let start = Instant::now();
        for _ in 0..3 {
            let e = ctx.sagemaker.list_models().send().await.expect_err("closed port");
            let e = crate::error::aws_error(e);
            assert_eq!(e.kind, plinth_sdk::ErrorKind::Transient, "{}", e.message);
            assert!(!e.message.contains("DispatchFailure {"), "a Debug dump: {}", e.message);
        }
        assert!(start.elapsed() >= Duration::from_millis(90), "{:?}", start.elapsed());
        assert_eq!(ctx.call_count(), 3);
    }
}
