//! Secret sources: what `secret("SOURCE")` reads.
//!
//! | source | value |
//! |---|---|
//! | `env:NAME` | the environment variable `NAME` (an error when it is not set) |
//! | `file:PATH` | the file's text, `PATH` relative to the module's directory, one trailing newline removed |
//! | `keyring:SERVICE/USER` | the OS keyring entry (see [`super::keyring`]; `plinth secret set` stores one) |
//! | `arn:aws:secretsmanager:REGION:ACCOUNT:secret:NAME-xxxxxx` | AWS Secrets Manager's current version (GetSecretValue), in the ARN's region |
//! | `aws-sm:NAME` | the same, by name (or ARN), in the region of the standard AWS chain |
//!
//! `env:`, `file:` and `keyring:` are local I/O. The AWS sources call Secrets Manager with the
//! standard AWS chain (`AWS_PROFILE`, `AWS_REGION`, `AWS_ACCESS_KEY_ID`…, `AWS_ENDPOINT_URL`),
//! not a `provider "aws"` block: a provider's own credentials may come from `secret(...)`, so
//! secrets resolve before any provider is configured. Each AWS secret is fetched once per process
//! (see [`aws`]); they need the plinth crate's `aws` feature (on by default).
//!
//! The evaluator reaches these sources through [`Sources`], the engine's
//! [`SecretResolver`](crate::lang::SecretResolver), and marks the result sensitive; this module
//! never logs a value and never puts one in an error message (an ARN or secret name is not
//! secret and is named).

use std::path::Path;

use super::keyring::{self, KeyringRef};
use crate::lang::{SecretError, SecretResolver};

/// The sources above, as the evaluator asks for them: what the CLI and the engine's set-up put
/// into every `EvalContext`. It holds nothing; the AWS answers are cached per process.
#[derive(Clone, Copy, Debug, Default)]
pub struct Sources;

impl SecretResolver for Sources {
    fn resolve(&self, source: &str, base_dir: &Path) -> Result<String, SecretError> {
        resolve(source, base_dir).map_err(|e| SecretError(e.0))
    }
}

/// The source kinds, for messages.
pub const KINDS: &str = "env:NAME, file:PATH, keyring:SERVICE/USER, arn:aws:secretsmanager:... or aws-sm:NAME";

/// Why a source could not be read. The message is worded to follow `Call to function "secret"
/// failed: ` and ends with a period.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct SourceError(pub String);

/// Reads the secret named by `source`; relative `file:` paths resolve against `base_dir`.
pub fn resolve(source: &str, base_dir: &Path) -> Result<String, SourceError> {
    let err = |m: String| Err(SourceError(m));
    if let Some(name) = source.strip_prefix("env:") {
        if name.is_empty() || name.contains('=') || name.contains('\0') {
            return err(format!(
                "\"{source}\" does not name an environment variable: write env:NAME."
            ));
        }
        return match std::env::var(name) {
            Ok(v) => Ok(v),
            Err(std::env::VarError::NotPresent) => err(format!(
                "the environment variable {name} is not set; set it (export {name}=...) or use another source."
            )),
            Err(std::env::VarError::NotUnicode(_)) => {
                err(format!("the environment variable {name} is not valid UTF-8 text."))
            }
        };
    }
    if let Some(path) = source.strip_prefix("file:") {
        if path.is_empty() {
            return err(format!("\"{source}\" does not name a file: write file:PATH."));
        }
        let full = base_dir.join(path);
        return match std::fs::read(&full) {
            Ok(bytes) => match String::from_utf8(bytes) {
                Ok(mut text) => {
                    if text.ends_with('\n') {
                        text.pop();
                        if text.ends_with('\r') {
                            text.pop();
                        }
                    }
                    Ok(text)
                }
                Err(_) => err(format!("the file {} is not UTF-8 text.", full.display())),
            },
            Err(e) => err(format!("cannot read the secret file {}: {e}.", full.display())),
        };
    }
    if let Some(spec) = source.strip_prefix("keyring:") {
        let r = KeyringRef::parse(spec).map_err(|m| SourceError(format!("{m}.")))?;
        return keyring::get(&r).map_err(|e| SourceError(format!("{e}.")));
    }
    if is_aws_source(source) {
        let target = AwsSecret::parse(source)?;
        #[cfg(feature = "aws")]
        return aws::resolve(source, &target);
        #[cfg(not(feature = "aws"))]
        return err(format!(
            "{} is an AWS Secrets Manager source, but this build of plinth was compiled without the \"aws\" feature; \
             rebuild with it (it is on by default) or use env:, file: or keyring:.",
            target.id
        ));
    }
    err(format!("unknown secret source \"{source}\": use {KINDS}."))
}

/// Whether `source` names an AWS Secrets Manager secret (`arn:PARTITION:secretsmanager:...` or
/// `aws-sm:NAME`).
fn is_aws_source(source: &str) -> bool {
    source.starts_with("aws-sm:") || (source.starts_with("arn:") && source.split(':').nth(2) == Some("secretsmanager"))
}

/// An AWS Secrets Manager secret to read: the SecretId sent to GetSecretValue and the region to
/// ask (an ARN's own; `None` for a name, which uses the standard chain's).
#[derive(Debug, Clone, PartialEq, Eq)]
struct AwsSecret {
    id: String,
    region: Option<String>,
}

impl AwsSecret {
    fn parse(source: &str) -> Result<AwsSecret, SourceError> {
        if let Some(name) = source.strip_prefix("aws-sm:") {
            if name.trim().is_empty() || name.chars().any(char::is_whitespace) {
                return Err(SourceError(format!(
                    "\"{source}\" does not name a secret: write aws-sm:NAME or the secret's ARN."
                )));
            }
            if is_aws_source(name) {
                return AwsSecret::parse(name);
            }
            return Ok(AwsSecret {
                id: name.to_string(),
                region: None,
            });
        }
        // arn:PARTITION:secretsmanager:REGION:ACCOUNT:secret:NAME-xxxxxx
        let parts: Vec<&str> = source.splitn(7, ':').collect();
        match parts.as_slice() {
            ["arn", partition, "secretsmanager", region, account, "secret", name]
                if !partition.is_empty()
                    && !region.is_empty()
                    && !account.is_empty()
                    && !name.is_empty()
                    && !source.chars().any(char::is_whitespace) =>
            {
                Ok(AwsSecret {
                    id: source.to_string(),
                    region: Some(region.to_string()),
                })
            }
            _ => Err(SourceError(format!(
                "\"{source}\" is not a Secrets Manager secret ARN: write arn:aws:secretsmanager:REGION:ACCOUNT:secret:NAME-xxxxxx (or aws-sm:NAME)."
            ))),
        }
    }
}

/// AWS Secrets Manager through the SDK.
///
/// The evaluator is synchronous and may run on a worker of the command's multi-thread tokio
/// runtime: there the call runs under `block_in_place` on the current runtime; on a
/// current-thread runtime (which must not block) it runs on a helper thread with its own small
/// runtime, as it does outside any runtime. Each source is fetched at most once per process
/// (validation, planning and every instance evaluating it share the answer, errors included);
/// concurrent evaluations of one source wait for the first.
#[cfg(feature = "aws")]
mod aws {
    use std::collections::HashMap;
    use std::sync::{Arc, LazyLock, Mutex, OnceLock, PoisonError};

    use aws_config::{BehaviorVersion, Region};
    use aws_sdk_secretsmanager::error::{ProvideErrorMetadata, SdkError};
    use tokio::runtime::{Handle, RuntimeFlavor};

    use super::{AwsSecret, SourceError};

    type Cell = Arc<OnceLock<Result<String, SourceError>>>;

    /// Answers by source text, for this process.
    static CACHE: LazyLock<Mutex<HashMap<String, Cell>>> = LazyLock::new(Default::default);

    pub(super) fn resolve(source: &str, target: &AwsSecret) -> Result<String, SourceError> {
        let cell: Cell = CACHE
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .entry(source.to_string())
            .or_default()
            .clone();
        if let Some(answer) = cell.get() {
            return answer.clone();
        }
        // Waiting for another thread's fetch of the same source happens inside
        // `block_in_place` too, so no runtime worker is ever blocked.
        let fetch = || cell.get_or_init(|| fetch_blocking(target)).clone();
        match Handle::try_current() {
            Ok(h) if h.runtime_flavor() == RuntimeFlavor::MultiThread => tokio::task::block_in_place(fetch),
            Ok(_) => std::thread::scope(|s| s.spawn(fetch).join()).unwrap_or_else(|_| {
                Err(SourceError(format!(
                    "reading {} from AWS Secrets Manager failed unexpectedly.",
                    target.id
                )))
            }),
            Err(_) => fetch(),
        }
    }

    /// Runs the request to completion on the current multi-thread runtime (we are inside
    /// `block_in_place`) or on a new current-thread runtime.
    ///
    /// The SDK logs response bodies at trace level when `LOG_SENSITIVE_BODIES` is set, and a
    /// GetSecretValue body is the secret: then the request runs with logging off on this thread
    /// (the SDK's orchestrator, which logs bodies, runs in the future polled here).
    fn fetch_blocking(target: &AwsSecret) -> Result<String, SourceError> {
        let run = || match Handle::try_current() {
            Ok(h) => h.block_on(fetch(target)),
            Err(_) => match tokio::runtime::Builder::new_current_thread().enable_all().build() {
                Ok(rt) => rt.block_on(fetch(target)),
                Err(e) => Err(SourceError(format!(
                    "cannot start the async runtime to read {} from AWS Secrets Manager: {e}.",
                    target.id
                ))),
            },
        };
        if std::env::var_os("LOG_SENSITIVE_BODIES").is_some() {
            tracing::debug!(
                secret = %target.id,
                "LOG_SENSITIVE_BODIES is set: the AWS SDK's logs are off while reading a secret from AWS Secrets Manager"
            );
            tracing::subscriber::with_default(tracing::subscriber::NoSubscriber::default(), run)
        } else {
            run()
        }
    }

    async fn fetch(target: &AwsSecret) -> Result<String, SourceError> {
        let id = &target.id;
        let mut loader = aws_config::defaults(BehaviorVersion::latest());
        if let Some(r) = &target.region {
            loader = loader.region(Region::new(r.clone()));
        }
        #[cfg(test)]
        if let Some(url) = tests::ENDPOINT.get() {
            loader = loader
                .endpoint_url(url)
                .credentials_provider(aws_sdk_secretsmanager::config::Credentials::new(
                    "testing", "testing", None, None, "tests",
                ));
        }
        let conf = loader.load().await;
        if conf.region().is_none() {
            return Err(SourceError(format!(
                "no AWS region to read the secret {id} from: set AWS_REGION (or a region in the AWS profile), or use the secret's full ARN."
            )));
        }
        let client = aws_sdk_secretsmanager::Client::new(&conf);
        tracing::debug!(secret = %id, "reading a secret from AWS Secrets Manager");
        let out = client
            .get_secret_value()
            .secret_id(id)
            .send()
            .await
            .map_err(|e| SourceError(format!("cannot read {id} from AWS Secrets Manager: {}.", describe(&e))))?;
        if let Some(text) = out.secret_string() {
            return Ok(text.to_string());
        }
        match out.secret_binary() {
            Some(blob) => String::from_utf8(blob.as_ref().to_vec()).map_err(|_| {
                SourceError(format!(
                    "the secret {id} holds binary data that is not UTF-8 text; secret() reads text."
                ))
            }),
            None => Err(SourceError(format!(
                "the secret {id} has no value in its current version (AWSCURRENT)."
            ))),
        }
    }

    /// AWS's error code and message, or what went wrong on the way; never a response body
    /// (a GetSecretValue body holds the secret).
    fn describe<E>(e: &SdkError<E>) -> String
    where
        E: ProvideErrorMetadata + std::error::Error + Send + Sync + 'static,
    {
        match e {
            SdkError::ServiceError(se) => {
                let err = se.err();
                let code = err.code().unwrap_or("Unknown");
                match err.message() {
                    Some(m) => format!("{code}: {}", m.trim().trim_end_matches('.')),
                    None => code.to_string(),
                }
            }
            SdkError::TimeoutError(_) => "the request timed out".to_string(),
            SdkError::DispatchFailure(d) if d.is_io() || d.is_timeout() => format!(
                "could not reach AWS (check AWS_ENDPOINT_URL and the network): {}",
                plinth_sdk::error_chain(e)
            ),
            SdkError::DispatchFailure(_) => format!(
                "the request could not be sent (check the AWS credentials: AWS_PROFILE, or AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY): {}",
                plinth_sdk::error_chain(e)
            ),
            SdkError::ResponseError(r) => format!(
                "AWS answered HTTP {} with a body that is not a Secrets Manager answer (not shown: it may hold the secret)",
                r.raw().status().as_u16()
            ),
            _ => plinth_sdk::error_chain(e),
        }
    }

    #[cfg(test)]
    pub(super) mod tests {
        use std::path::Path;
        use std::sync::OnceLock;

        use super::super::resolve;

        /// Where the unit tests send requests: a closed port, so every request fails fast.
        pub static ENDPOINT: OnceLock<String> = OnceLock::new();

        /// Resolves an ARN unique to `tag` against the closed port: an error naming the ARN, not a
        /// panic or a hang, whatever runtime (if any) the evaluator runs on.
        fn unreachable(tag: &str) {
            ENDPOINT.get_or_init(|| "http://127.0.0.1:1".to_string());
            let arn = format!("arn:aws:secretsmanager:us-east-1:123456789012:secret:{tag}-AbCdEf");
            let e = resolve(&arn, Path::new(".")).expect_err("closed port");
            assert!(
                e.0.starts_with(&format!(
                    "cannot read {arn} from AWS Secrets Manager: could not reach AWS"
                )),
                "{e}"
            );
            // The answer is cached: the same error again, without a request.
            assert_eq!(resolve(&arn, Path::new(".")), Err(e));
        }

        #[test]
        fn outside_a_runtime() {
            unreachable("no-runtime");
        }

        #[tokio::test(flavor = "current_thread")]
        async fn on_a_current_thread_runtime() {
            unreachable("current-thread");
        }

        #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
        async fn on_a_multi_thread_runtime() {
            unreachable("multi-thread");
            // From a task on a worker, too.
            tokio::spawn(async { unreachable("multi-thread-task") })
                .await
                .expect("task");
        }
    }
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use plinth_sdk::Value;

    use super::*;
    use crate::diag::Diagnostic;
    use crate::lang::eval::eval;
    use crate::lang::{EvalContext, Scope, ScopeError, Step};

    /// `u` is unknown and `secret` a sensitive "pw", as in the evaluator's own tests.
    struct TestScope(BTreeMap<&'static str, Value>);

    impl Scope for TestScope {
        fn lookup(&self, root: &str, _steps: &[Step]) -> Result<(Value, usize), ScopeError> {
            match self.0.get(root) {
                Some(v) => Ok((v.clone(), 0)),
                None => Err(ScopeError::new(
                    "Reference to undeclared name",
                    format!("no {root}"),
                    None,
                )),
            }
        }
    }

    /// Evaluates `src` as the value of an attribute with [`Sources`]; returns the whole file text
    /// with the result.
    fn run_in(src: &str, base_dir: &Path) -> (String, Result<Value, Vec<Diagnostic>>) {
        let text = format!("x = {src}\n");
        let body = hcl::edit::parser::parse_body(&text).unwrap_or_else(|e| panic!("parse {src}: {e}"));
        let expr = body.get_attribute("x").expect("attribute x").value.clone();
        let scope = TestScope(BTreeMap::from([("u", Value::Unknown), ("secret", s("pw").mark())]));
        let ctx = EvalContext {
            file: 7,
            scope: &scope,
            secrets: &Sources,
            base_dir,
        };
        let r = eval(&expr, &ctx);
        (text, r)
    }

    fn s(v: &str) -> Value {
        Value::string(v)
    }

    #[test]
    fn secret_reads_a_source_and_marks_it() {
        let dir = tempfile::tempdir().expect("tempdir");
        std::fs::write(dir.path().join("pw.txt"), "hunter2\n").expect("write");
        let (_, r) = run_in("secret(\"file:pw.txt\")", dir.path());
        assert_eq!(r, Ok(s("hunter2").mark()));
        // The mark follows the value through expressions.
        let (_, r) = run_in("\"pw=${secret(\"file:pw.txt\")}\"", dir.path());
        assert_eq!(r, Ok(s("pw=hunter2").mark()));
        let (_, r) = run_in("secret(u)", dir.path());
        assert_eq!(r, Ok(Value::Unknown.mark()));

        let (text, r) = run_in("secret(\"env:PLINTH_EVAL_TEST_UNSET_91C2\")", dir.path());
        let d = r.expect_err("unset");
        assert!(d[0].detail.contains("PLINTH_EVAL_TEST_UNSET_91C2 is not set"), "{d:?}");
        assert_eq!(
            &text[d[0].span.as_ref().expect("span").range.clone()],
            "\"env:PLINTH_EVAL_TEST_UNSET_91C2\""
        );
        let (_, r) = run_in("secret(\"vault:x\")", dir.path());
        assert!(r.expect_err("unknown")[0].detail.contains("env:NAME"));
        let (_, r) = run_in("secret(1)", dir.path());
        assert!(r.expect_err("number")[0].detail.contains("must be a string"));
        let (_, r) = run_in("secret()", dir.path());
        assert!(r.is_err());
        // A sensitive source name is not echoed in the error.
        let (_, r) = run_in("secret(secret)", dir.path());
        let d = r.expect_err("pw is no source");
        assert!(!d[0].detail.contains("pw"), "{d:?}");
    }

    #[test]
    fn env_source() {
        // A name no other test sets: the environment is shared by the test threads.
        let name = "PLINTH_SOURCES_TEST_ENV_7D1F";
        let dir = Path::new(".");
        let e = resolve(&format!("env:{name}"), dir).expect_err("unset");
        assert!(e.0.contains(name) && e.0.contains("is not set"), "{e}");
        // `set_var` needs `unsafe` in edition 2024 (forbidden here): read a variable that is set.
        let path = std::env::var("PATH").expect("PATH is set");
        assert_eq!(resolve("env:PATH", dir).expect("PATH"), path);
        assert!(resolve("env:", dir).is_err());
    }

    #[test]
    fn file_source_is_relative_and_trimmed() {
        let dir = tempfile::tempdir().expect("tempdir");
        std::fs::write(dir.path().join("pw.txt"), "hunter2\n").expect("write");
        std::fs::write(dir.path().join("crlf.txt"), "a b\r\n").expect("write");
        std::fs::write(dir.path().join("two.txt"), "x\n\n").expect("write");
        assert_eq!(resolve("file:pw.txt", dir.path()).expect("read"), "hunter2");
        assert_eq!(resolve("file:crlf.txt", dir.path()).expect("read"), "a b");
        assert_eq!(
            resolve("file:two.txt", dir.path()).expect("read"),
            "x\n",
            "only one newline goes"
        );
        let e = resolve("file:missing.txt", dir.path()).expect_err("missing");
        assert!(e.0.contains("missing.txt"), "{e}");
    }

    #[test]
    fn unknown_and_unsupported_sources() {
        let dir = Path::new(".");
        let e = resolve("vault:kv/x", dir).expect_err("unknown");
        assert!(e.0.contains("env:NAME") && e.0.contains("keyring:SERVICE/USER"), "{e}");
        let e = resolve("arn:aws:secretsmanager:us-east-1:123:key:x", dir).expect_err("not a secret ARN");
        assert!(e.0.contains("is not a Secrets Manager secret ARN"), "{e}");
        let e = resolve("aws-sm:", dir).expect_err("no name");
        assert!(e.0.contains("aws-sm:NAME"), "{e}");
        let e = resolve("keyring:nouser", dir).expect_err("bad ref");
        assert!(e.0.contains("keyring:SERVICE/USER"), "{e}");
    }

    #[test]
    fn aws_sources_parse() {
        let arn = "arn:aws:secretsmanager:eu-west-1:123456789012:secret:ml/db-AbCdEf";
        assert!(is_aws_source(arn) && is_aws_source("aws-sm:x") && !is_aws_source("arn:aws:s3:::b"));
        let want = AwsSecret {
            id: arn.to_string(),
            region: Some("eu-west-1".to_string()),
        };
        assert_eq!(AwsSecret::parse(arn), Ok(want.clone()));
        assert_eq!(AwsSecret::parse(&format!("aws-sm:{arn}")), Ok(want));
        assert_eq!(
            AwsSecret::parse("aws-sm:ml/db"),
            Ok(AwsSecret {
                id: "ml/db".to_string(),
                region: None
            })
        );
        let gov = "arn:aws-us-gov:secretsmanager:us-gov-west-1:123456789012:secret:x-AbCdEf";
        assert_eq!(
            AwsSecret::parse(gov).map(|s| s.region),
            Ok(Some("us-gov-west-1".to_string()))
        );
        for bad in [
            "arn:aws:secretsmanager::123456789012:secret:x",
            "arn:aws:secretsmanager:us-east-1:123456789012:secret:",
            "arn:aws:secretsmanager:us-east-1:123456789012:x",
            "aws-sm:a b",
        ] {
            assert!(AwsSecret::parse(bad).is_err(), "{bad}");
        }
    }

    #[cfg(not(feature = "aws"))]
    #[test]
    fn aws_sources_need_the_feature() {
        let arn = "arn:aws:secretsmanager:us-east-1:123456789012:secret:x-AbCdEf";
        let e = resolve(arn, Path::new(".")).expect_err("no aws feature");
        assert!(e.0.contains(arn) && e.0.contains("\"aws\" feature"), "{e}");
    }
}
