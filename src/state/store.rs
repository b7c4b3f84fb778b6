//! The set of environments one backend keeps ([`Store`]), the kinds of backend
//! ([`BackendKind`]) with the arguments each takes, and [`open_store`], **the one place a
//! concrete backend is chosen**: the commands and the engine see only [`Store`] and
//! [`Backend`], and a new backend kind is one more arm here.
//!
//! Beside each environment's state a store keeps its small settings files (`env.json`,
//! `vars.json`: what `plinth env` remembers) and the keys every user of the backend must share
//! (`hash.key`, which the keyed hashes of sensitive values in state are made with, and
//! `utility.key`, which the utility providers derive secrets from), so that two machines sharing
//! one backend compute the same hashes and secrets.

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::time::Duration;

use super::{Backend, StateError, local};
use crate::secrets::encryption::Cipher;

/// The kinds of backend this Plinth keeps state with: the label of `plinth { backend "KIND" {} }`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum BackendKind {
    /// `.plinth/env/<env>/` beside the configuration ([`local::LocalBackend`]); the default.
    Local,
    /// Tables in a PostgreSQL schema ([`super::postgres`]).
    Postgres,
    /// Objects in an S3 bucket (`super::s3`; in builds with the `aws` feature).
    S3,
}

/// The labels `backend "KIND"` takes, for messages.
pub const KINDS: &str = "\"local\", \"postgres\" or \"s3\"";

impl BackendKind {
    /// The kind a `backend "KIND"` label names; any other label is an error, never a silent
    /// fall-back to the local backend.
    pub fn parse(label: &str) -> Result<BackendKind, StateError> {
        match label {
            "local" => Ok(BackendKind::Local),
            "postgres" => Ok(BackendKind::Postgres),
            "s3" => Ok(BackendKind::S3),
            other => Err(StateError::Other(format!(
                "unsupported backend {other:?}: this Plinth keeps state with backend {KINDS}"
            ))),
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            BackendKind::Local => "local",
            BackendKind::Postgres => "postgres",
            BackendKind::S3 => "s3",
        }
    }

    /// The arguments the `backend` block of this kind takes.
    pub fn arguments(self) -> &'static [&'static str] {
        match self {
            BackendKind::Local => &[],
            BackendKind::Postgres => &["conn_str", "schema_name"],
            BackendKind::S3 => &[
                "bucket",
                "key",
                "region",
                "encrypt",
                "kms_key_id",
                "workspace_key_prefix",
                "use_lockfile",
                "use_path_style",
                "endpoints",
                "access_key",
                "secret_key",
                "token",
                "profile",
            ],
        }
    }

    /// Arguments Terraform's backend of this kind takes that Plinth does not act on: an error
    /// naming them, never a silent ignore.
    pub fn unsupported_arguments(self) -> &'static [&'static str] {
        match self {
            BackendKind::Local => &["path", "workspace_dir"],
            BackendKind::Postgres => &["skip_schema_creation", "skip_table_creation", "skip_index_creation"],
            BackendKind::S3 => &[
                "dynamodb_table",
                "dynamodb_endpoint",
                "acl",
                "sse_customer_key",
                "shared_config_files",
                "shared_credentials_files",
                "shared_credentials_file",
                "role_arn",
                "session_name",
                "external_id",
                "assume_role_duration_seconds",
                "assume_role_policy",
                "assume_role_policy_arns",
                "assume_role_tags",
                "assume_role_transitive_tag_keys",
                "assume_role_with_web_identity",
                "allowed_account_ids",
                "forbidden_account_ids",
                "custom_ca_bundle",
                "ec2_metadata_service_endpoint",
                "ec2_metadata_service_endpoint_mode",
                "http_proxy",
                "https_proxy",
                "no_proxy",
                "insecure",
                "max_retries",
                "retry_mode",
                "skip_credentials_validation",
                "skip_metadata_api_check",
                "skip_region_validation",
                "skip_requesting_account_id",
                "skip_s3_checksum",
                "sts_region",
                "use_dualstack_endpoint",
                "use_fips_endpoint",
                "use_legacy_workflow",
                "endpoint",
                "force_path_style",
                "iam_endpoint",
                "sts_endpoint",
                "dynamodb_table_tags",
            ],
        }
    }
}

/// Which backend keeps the state, and what it needs to open it.
#[derive(Clone)]
pub struct BackendSettings {
    pub kind: BackendKind,
    /// The `backend` block's arguments, evaluated (constants and `secret(...)` only).
    pub args: BTreeMap<String, String>,
    /// The configuration directory (the local backend keeps state under `.plinth/` in it).
    pub root: PathBuf,
    /// The state encryption key (`plinth { encryption { key } }`), if the configuration has one.
    pub cipher: Option<Cipher>,
    /// How long taking a held lock waits (`--lock-timeout`).
    pub lock_timeout: Duration,
}

impl BackendSettings {
    /// The local backend of `root`, unencrypted, failing at once on a held lock.
    pub fn local(root: impl Into<PathBuf>) -> BackendSettings {
        BackendSettings {
            kind: BackendKind::Local,
            args: BTreeMap::new(),
            root: root.into(),
            cipher: None,
            lock_timeout: Duration::ZERO,
        }
    }
}

/// Every environment one backend keeps. `default` always exists; the others are made by
/// [`Store::create`] (`plinth env new|clone`).
pub trait Store: Send + Sync {
    fn kind(&self) -> BackendKind;
    /// For messages: `the postgres backend (schema "plinth" on db.example:5432/infra)`.
    fn describe(&self) -> String;
    /// Makes what the backend needs before first use (tables); idempotent. `plinth init`.
    fn init(&self) -> Result<(), StateError>;
    /// The environments that exist besides `default` (and `default` when it has state), sorted.
    fn environments(&self) -> Result<Vec<String>, StateError>;
    /// Whether `env` exists (`default` always does).
    fn exists(&self, env: &str) -> Result<bool, StateError> {
        Ok(env == "default" || self.environments()?.iter().any(|e| e == env))
    }
    /// Creates an empty environment.
    fn create(&self, env: &str) -> Result<(), StateError>;
    /// Deletes an environment: its state, backup, journal and settings files.
    fn delete(&self, env: &str) -> Result<(), StateError>;
    /// The backend of one environment.
    fn open(&self, env: &str) -> Result<Box<dyn Backend>, StateError>;
    /// A settings file of `env` (`env.json`, `vars.json`), if it has one.
    fn read_file(&self, env: &str, name: &str) -> Result<Option<Vec<u8>>, StateError>;
    /// Writes a settings file of `env` whole.
    fn write_file(&self, env: &str, name: &str, data: &[u8]) -> Result<(), StateError>;
    /// The shared key `name` (`hash.key`, `utility.key`): created once (from `initial` when
    /// given, else random), never overwritten; every later call returns the same bytes.
    fn shared_key(&self, name: &str, initial: Option<&[u8]>) -> Result<Vec<u8>, StateError>;
}

/// Opens the store `settings` describe. Connecting (for a database) happens here, so its errors
/// (unreachable server, wrong password) come before any work.
pub fn open_store(settings: BackendSettings) -> Result<Box<dyn Store>, StateError> {
    match settings.kind {
        BackendKind::Local => Ok(Box::new(local::LocalStore::new(settings))),
        BackendKind::Postgres => Ok(Box::new(super::postgres::PostgresStore::connect(settings)?)),
        #[cfg(feature = "aws")]
        BackendKind::S3 => Ok(Box::new(super::s3::S3Store::connect(settings)?)),
        #[cfg(not(feature = "aws"))]
        BackendKind::S3 => Err(StateError::Other(
            "the s3 backend needs a Plinth built with the aws feature (the default)".to_string(),
        )),
    }
}

/// The backend of environment `env` in the store `settings` describe.
pub fn open_backend(settings: BackendSettings, env: &str) -> Result<Box<dyn Backend>, StateError> {
    open_store(settings)?.open(env)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backend_kinds() {
        assert_eq!(BackendKind::parse("local").ok(), Some(BackendKind::Local));
        assert_eq!(BackendKind::parse("postgres").ok(), Some(BackendKind::Postgres));
        assert_eq!(BackendKind::parse("s3").ok(), Some(BackendKind::S3));
        let e = BackendKind::parse("gcs")
            .err()
            .map(|e| e.to_string())
            .unwrap_or_default();
        expect_test::expect![[
            r#"unsupported backend "gcs": this Plinth keeps state with backend "local", "postgres" or "s3""#
        ]]
        .assert_eq(&e);
    }

    #[test]
    fn open_backend_opens_the_kind_asked_for() {
        let dir = tempfile::tempdir().expect("tempdir");
        let backend = open_backend(BackendSettings::local(dir.path()), "staging").expect("local backend");
        let mut state = backend.load().expect("an empty state");
        assert_eq!(state.serial, 0);
        assert!(backend.cipher().is_none());
        assert_eq!(backend.persist(&mut state).expect("persist"), 1);
        assert!(dir.path().join(".plinth/env/staging/state.json").is_file());
    }
}
