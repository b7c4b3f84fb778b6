//! The s3 backend: every environment's state as objects in one S3 bucket, so a team and its CI
//! share it (`plinth { backend "s3" { bucket, key, region, encrypt, kms_key_id } }`), laid out
//! as Terraform's s3 backend lays out workspaces:
//!
//! ```text
//! KEY                        the default environment's snapshot (metadata: plinth-generation)
//! env:/NAME/KEY              environment NAME's snapshot (`workspace_key_prefix`, default `env:`)
//! STATE.tflock               the lock object, written with `If-None-Match: *` (Terraform 1.11's
//!                            `use_lockfile`): a LockInfo as JSON
//! STATE.backup               the snapshot before the current one
//! STATE.journal-GEN-SEQ      one batch of finished changes recorded since snapshot GEN
//! STATE.files/NAME           `env.json`, `vars.json` of `plinth env`
//! STATE.plinth-env           marks an environment made by `plinth env new` before it has state
//! KEY.plinth-keys/NAME       `hash.key`, `utility.key`, shared by every user (written once,
//!                            with `If-None-Match: *`)
//! ```
//!
//! (`STATE` is the environment's snapshot key.) **Nothing recorded is lost.**
//! [`Journal::record`] writes one object per batch, so its cost does not depend on the size of
//! the state. Each snapshot carries a random generation in its metadata; journal objects are
//! named under the generation they extend, so `load` replays exactly the batches recorded since
//! the snapshot it read. `persist` (the compaction) reads the snapshot and its journal, writes the
//! old snapshot as `STATE.backup` and the new one under a new generation, then deletes the
//! journal objects: a crash between the two leaves batches of an old generation, which no load
//! replays and the next persist deletes.
//!
//! **Reads without the lock** (`plan`): a load that finds a journal object gone (a persist ran
//! between its reads) starts again, so it sees one snapshot and a prefix of its journal, never a
//! mix of two generations.
//!
//! **The lock** is an object: whoever writes `STATE.tflock` first (a conditional put) holds it;
//! the [`LockGuard`] deletes it. A process killed while holding it leaves it behind: the next
//! command is told who held it and to run `plinth force-unlock ID` ([`Backend::force_unlock`]
//! deletes it after checking the ID).
//!
//! Everything written is sealed with the configured encryption key, as the other backends'
//! data is, and stored with the server-side encryption `encrypt`/`kms_key_id` ask for.
//! Credentials come from the AWS chain (environment, profile, SSO, instance role), or from
//! `access_key`/`secret_key` (constants or `secret(...)`); `endpoints = { s3 = URL }` or
//! `AWS_ENDPOINT_URL` points it at an S3-compatible server. Errors name the bucket and what
//! failed, never a credential.

use std::sync::Arc;
use std::time::Duration;

use aws_config::{BehaviorVersion, Region};
use aws_sdk_s3::Client;
use aws_sdk_s3::error::{ProvideErrorMetadata, SdkError};
use aws_sdk_s3::primitives::ByteStream;
use aws_sdk_s3::types::{Delete, ObjectIdentifier, ServerSideEncryption};
use futures::{StreamExt, TryStreamExt};

use super::blocking::run;
use super::local::{parse_state, replay_is_noop, valid_env_name};
use super::store::{BackendKind, BackendSettings, Store};
use super::{Backend, Journal, JournalEntry, LockGuard, LockInfo, STATE_VERSION, State, StateError};
use crate::secrets::encryption::{Cipher, OpenError, Purpose, is_sealed};

/// The metadata key of a snapshot's generation.
const GENERATION: &str = "plinth-generation";
/// The metadata key of a snapshot's serial, so that `persist` need not parse the old snapshot.
const SERIAL: &str = "plinth-serial";
/// The generation of "no snapshot yet".
const NO_SNAPSHOT: &str = "0";
/// How many objects one load reads at once.
const PARALLEL_READS: usize = 16;

/// What a failed S3 call said, in the parts the messages need.
#[derive(Debug)]
struct Failure {
    status: Option<u16>,
    code: Option<String>,
    message: String,
}

impl Failure {
    fn of<E>(e: &SdkError<E, aws_sdk_s3::config::http::HttpResponse>) -> Failure
    where
        E: ProvideErrorMetadata + std::error::Error + 'static,
    {
        let status = e.raw_response().map(|r| r.status().as_u16());
        let (code, message) = match e {
            SdkError::ServiceError(s) => (
                s.err().code().map(str::to_string),
                s.err().message().unwrap_or_default().to_string(),
            ),
            SdkError::DispatchFailure(d) => (
                None,
                std::error::Error::source(e)
                    .map(|s| s.to_string())
                    .unwrap_or_else(|| format!("{d:?}")),
            ),
            other => (
                None,
                std::error::Error::source(other)
                    .map(|s| s.to_string())
                    .unwrap_or_else(|| other.to_string()),
            ),
        };
        Failure { status, code, message }
    }

    fn code_is(&self, codes: &[&str]) -> bool {
        self.code.as_deref().is_some_and(|c| codes.contains(&c))
    }

    fn not_found(&self) -> bool {
        self.code_is(&["NoSuchKey", "NotFound"]) || (self.status == Some(404) && !self.code_is(&["NoSuchBucket"]))
    }

    /// A conditional write lost: the object exists (412), or another conditional write to it is
    /// in flight (409).
    fn precondition_failed(&self) -> bool {
        self.status == Some(412)
            || self.code_is(&["PreconditionFailed", "ConditionalRequestConflict"])
            || (self.status == Some(409) && !self.code_is(&["BucketAlreadyExists", "BucketAlreadyOwnedByYou"]))
    }
}

/// What the store and its backends share.
struct Shared {
    client: Client,
    bucket: String,
    key: String,
    /// `workspace_key_prefix`: environments other than `default` live under `PREFIX/NAME/KEY`.
    prefix: String,
    sse: Option<(ServerSideEncryption, Option<String>)>,
    cipher: Option<Cipher>,
    lock_timeout: Duration,
}

impl Shared {
    /// The snapshot key of `env`.
    fn state_key(&self, env: &str) -> String {
        if env == "default" {
            self.key.clone()
        } else {
            format!("{}/{env}/{}", self.prefix, self.key)
        }
    }

    fn url(&self, key: &str) -> String {
        format!("s3://{}/{key}", self.bucket)
    }

    /// The error for a failed call, in words a user can act on: the backend, the object, what
    /// failed, and why. Never a credential (the SDK's messages carry none).
    fn error(&self, what: &str, key: &str, f: &Failure) -> StateError {
        let head = format!("s3 backend ({})", self.url(key));
        let why = if f.code_is(&["NoSuchBucket"]) {
            format!(
                "bucket {:?} does not exist: create it (versioning on is recommended) or fix `bucket`",
                self.bucket
            )
        } else if f.code_is(&[
            "InvalidAccessKeyId",
            "SignatureDoesNotMatch",
            "InvalidToken",
            "ExpiredToken",
        ]) {
            format!(
                "the AWS credentials were refused ({}): check AWS_ACCESS_KEY_ID/AWS_PROFILE or the backend's access_key",
                f.code.as_deref().unwrap_or_default()
            )
        } else if f.code_is(&["AccessDenied", "AllAccessDisabled"]) || f.status == Some(403) {
            format!(
                "permission denied{}: docs/backends.md lists the permissions the backend needs",
                if f.message.is_empty() {
                    String::new()
                } else {
                    format!(" ({})", f.message)
                }
            )
        } else if f.status.is_none() {
            format!(
                "cannot reach S3 ({}); check the region, AWS_ENDPOINT_URL or endpoints.s3, and the network",
                f.message
            )
        } else {
            let code = f.code.as_deref().unwrap_or("no code");
            format!("{} ({code}, HTTP {})", f.message, f.status.unwrap_or_default())
        };
        StateError::Other(format!("{head}: {what} failed: {why}"))
    }

    fn seal(&self, purpose: Purpose, plain: &[u8]) -> Vec<u8> {
        match &self.cipher {
            Some(c) => c.seal(purpose, plain).into_bytes(),
            None => plain.to_vec(),
        }
    }

    /// Opens what was read: sealed data with the key, plain data as it is.
    fn open(&self, purpose: Purpose, bytes: Vec<u8>, key: &str) -> Result<Vec<u8>, StateError> {
        if !is_sealed(&bytes) {
            return Ok(bytes);
        }
        let place = self.url(key);
        match &self.cipher {
            None => Err(StateError::Encrypted { path: place }),
            Some(c) => c.open(purpose, &bytes).map_err(|e| match e {
                OpenError::WrongKey { .. } => StateError::WrongKey {
                    path: place,
                    detail: format!("({e})"),
                },
                OpenError::Corrupt(message) => StateError::Corrupt { path: place, message },
                OpenError::Unsupported(_) => StateError::Other(format!("cannot read {place}: {e}")),
            }),
        }
    }

    /// Reads an object: its bytes and metadata, or `None` when it does not exist.
    async fn get(&self, key: &str, what: &str) -> Result<Option<(Vec<u8>, Metadata)>, StateError> {
        match self.client.get_object().bucket(&self.bucket).key(key).send().await {
            Ok(out) => {
                let meta = out.metadata().cloned().unwrap_or_default();
                let body = out.body.collect().await.map_err(|e| {
                    StateError::Other(format!(
                        "s3 backend ({}): {what} failed: the download broke off ({e})",
                        self.url(key)
                    ))
                })?;
                Ok(Some((body.into_bytes().to_vec(), meta)))
            }
            Err(e) => {
                let f = Failure::of(&e);
                if f.not_found() {
                    Ok(None)
                } else {
                    Err(self.error(what, key, &f))
                }
            }
        }
    }

    /// An object's metadata without its body, or `None` when it does not exist (a HEAD answer
    /// has no body to say more: its 404 is the object's).
    async fn head(&self, key: &str, what: &str) -> Result<Option<Metadata>, StateError> {
        match self.client.head_object().bucket(&self.bucket).key(key).send().await {
            Ok(h) => Ok(Some(h.metadata().cloned().unwrap_or_default())),
            Err(e) => {
                let f = Failure::of(&e);
                if f.status == Some(404) {
                    Ok(None)
                } else {
                    Err(self.error(what, key, &f))
                }
            }
        }
    }

    /// Writes an object whole, with the configured server-side encryption. `only_if_new` makes
    /// it a conditional put that fails with `Ok(false)` when the object exists.
    async fn put(
        &self,
        key: &str,
        data: Vec<u8>,
        meta: &[(&str, String)],
        only_if_new: bool,
        what: &str,
    ) -> Result<bool, StateError> {
        let mut req = self
            .client
            .put_object()
            .bucket(&self.bucket)
            .key(key)
            .body(ByteStream::from(data));
        for (k, v) in meta {
            req = req.metadata(*k, v);
        }
        if only_if_new {
            req = req.if_none_match("*");
        }
        if let Some((sse, kms)) = &self.sse {
            req = req.server_side_encryption(sse.clone());
            if let Some(k) = kms {
                req = req.ssekms_key_id(k);
            }
        }
        match req.send().await {
            Ok(_) => Ok(true),
            Err(e) => {
                let f = Failure::of(&e);
                if only_if_new && f.precondition_failed() {
                    Ok(false)
                } else {
                    Err(self.error(what, key, &f))
                }
            }
        }
    }

    /// Every object key under `prefix`, in S3's (lexicographic) order.
    async fn list(&self, prefix: &str, what: &str) -> Result<Vec<String>, StateError> {
        let mut pages = self
            .client
            .list_objects_v2()
            .bucket(&self.bucket)
            .prefix(prefix)
            .into_paginator()
            .send();
        let mut keys = Vec::new();
        while let Some(page) = pages.next().await {
            let page = page.map_err(|e| self.error(what, prefix, &Failure::of(&e)))?;
            keys.extend(page.contents().iter().filter_map(|o| o.key().map(str::to_string)));
        }
        Ok(keys)
    }

    /// Deletes `keys` (up to 1,000 a call).
    async fn delete_all(&self, keys: &[String], what: &str) -> Result<(), StateError> {
        for chunk in keys.chunks(1000) {
            let objects = chunk
                .iter()
                .map(|k| ObjectIdentifier::builder().key(k).build())
                .collect::<Result<Vec<_>, _>>()
                .map_err(|e| StateError::Other(format!("s3 backend: {what}: {e}")))?;
            let delete = Delete::builder()
                .set_objects(Some(objects))
                .quiet(true)
                .build()
                .map_err(|e| StateError::Other(format!("s3 backend: {what}: {e}")))?;
            let out = self
                .client
                .delete_objects()
                .bucket(&self.bucket)
                .delete(delete)
                .send()
                .await
                .map_err(|e| self.error(what, &chunk[0], &Failure::of(&e)))?;
            if let Some(err) = out.errors().first() {
                return Err(StateError::Other(format!(
                    "s3 backend ({}): {what} failed: {} ({})",
                    self.url(err.key().unwrap_or_default()),
                    err.message().unwrap_or_default(),
                    err.code().unwrap_or_default()
                )));
            }
        }
        Ok(())
    }

    async fn delete_one(&self, key: &str, what: &str) -> Result<(), StateError> {
        match self.client.delete_object().bucket(&self.bucket).key(key).send().await {
            Ok(_) => Ok(()),
            Err(e) => {
                let f = Failure::of(&e);
                if f.not_found() {
                    Ok(())
                } else {
                    Err(self.error(what, key, &f))
                }
            }
        }
    }

    /// The lock object's holder, if there is one.
    async fn holder(&self, lock_key: &str) -> Result<Option<LockInfo>, StateError> {
        Ok(self.get(lock_key, "reading the lock").await?.map(|(bytes, _)| {
            serde_json::from_slice(&bytes).unwrap_or_else(|_| LockInfo::unknown(&String::from_utf8_lossy(&bytes)))
        }))
    }
}

/// The environments kept in one bucket under one key.
pub struct S3Store {
    shared: Arc<Shared>,
}

/// `true`/`false` of a boolean backend argument.
fn flag(settings: &BackendSettings, name: &str) -> Result<bool, StateError> {
    match settings.args.get(name).map(String::as_str) {
        None | Some("false") => Ok(false),
        Some("true") => Ok(true),
        Some(other) => Err(StateError::Other(format!(
            "s3 backend: {name} must be true or false, not {other:?}"
        ))),
    }
}

impl S3Store {
    /// Makes the client (region, credentials and endpoint from the arguments, else the AWS chain)
    /// and checks that the bucket is there, so a wrong bucket or credential fails before any work.
    pub fn connect(settings: BackendSettings) -> Result<S3Store, StateError> {
        let arg = |n: &str| settings.args.get(n).cloned();
        let bucket = arg("bucket").filter(|b| !b.is_empty()).ok_or_else(|| {
            StateError::Other("s3 backend: `bucket` is required: the bucket that keeps the state".to_string())
        })?;
        let key = arg("key").filter(|k| !k.is_empty()).ok_or_else(|| {
            StateError::Other("s3 backend: `key` is required: the state object's key in the bucket, e.g. \"ml-platform/terraform.tfstate\"".to_string())
        })?;
        if key.starts_with('/') || key.ends_with('/') || key.contains("//") {
            return Err(StateError::Other(format!(
                "s3 backend: key {key:?} must not start or end with / or contain //"
            )));
        }
        let prefix = arg("workspace_key_prefix").unwrap_or_else(|| "env:".to_string());
        if prefix.is_empty() || prefix.starts_with('/') || prefix.ends_with('/') {
            return Err(StateError::Other(format!(
                "s3 backend: workspace_key_prefix {prefix:?} must be non-empty and not start or end with /"
            )));
        }
        if arg("use_lockfile").is_some() && !flag(&settings, "use_lockfile")? {
            return Err(StateError::Other(
                "s3 backend: use_lockfile = false is not supported: Plinth always locks with the lock object (KEY.tflock)".to_string(),
            ));
        }
        let encrypt = flag(&settings, "encrypt")?;
        let kms = arg("kms_key_id");
        let sse = match (&kms, encrypt) {
            (Some(k), _) => Some((ServerSideEncryption::AwsKms, Some(k.clone()))),
            (None, true) => Some((ServerSideEncryption::Aes256, None)),
            (None, false) => None,
        };
        let path_style = flag(&settings, "use_path_style")?;
        let region = arg("region");
        let endpoint = arg("endpoints.s3");
        let credentials = match (arg("access_key"), arg("secret_key")) {
            (Some(a), Some(s)) => Some(aws_sdk_s3::config::Credentials::new(
                a,
                s,
                arg("token"),
                None,
                "backend block",
            )),
            (None, None) => None,
            _ => {
                return Err(StateError::Other(
                    "s3 backend: access_key and secret_key go together (or leave both out to use the AWS credential chain)".to_string(),
                ));
            }
        };
        if let Some(other) = settings
            .args
            .keys()
            .find(|k| k.starts_with("endpoints.") && k.as_str() != "endpoints.s3")
        {
            return Err(StateError::Other(format!(
                "s3 backend: {other} is not used: Plinth's s3 backend calls only S3 (locking needs no DynamoDB, and credentials are not checked with STS); keep only endpoints.s3"
            )));
        }
        let profile = arg("profile");
        let client = run(async move {
            let mut loader = aws_config::defaults(BehaviorVersion::latest());
            if let Some(r) = region {
                loader = loader.region(Region::new(r));
            }
            if let Some(p) = profile {
                loader = loader.profile_name(p);
            }
            if let Some(c) = credentials {
                loader = loader.credentials_provider(c);
            }
            let conf = loader.load().await;
            if conf.region().is_none() {
                return Err(StateError::Other(
                    "s3 backend: no AWS region: set `region` in the backend block, or AWS_REGION".to_string(),
                ));
            }
            let mut s3 = aws_sdk_s3::config::Builder::from(&conf).force_path_style(path_style);
            if let Some(url) = endpoint {
                s3 = s3.endpoint_url(url);
            }
            Ok(Client::from_conf(s3.build()))
        })?;
        let shared = Shared {
            client,
            bucket,
            key,
            prefix,
            sse,
            cipher: settings.cipher,
            lock_timeout: settings.lock_timeout,
        };
        let shared = Arc::new(shared);
        let s = shared.clone();
        // A listing of one key (s3:ListBucket, which the journal needs anyway) rather than
        // HeadBucket: its answer has a body, which says why it failed.
        run(async move {
            s.client
                .list_objects_v2()
                .bucket(&s.bucket)
                .prefix(&s.key)
                .max_keys(1)
                .send()
                .await
                .map(|_| ())
                .map_err(|e| s.error("opening the bucket", &s.key, &Failure::of(&e)))
        })?;
        Ok(S3Store { shared })
    }

    fn env_marker(&self, env: &str) -> String {
        format!("{}.plinth-env", self.shared.state_key(env))
    }
}

fn check_env(env: &str) -> Result<(), StateError> {
    if valid_env_name(env) {
        Ok(())
    } else {
        Err(StateError::Other(format!("invalid environment name {env:?}")))
    }
}

impl Store for S3Store {
    fn kind(&self) -> BackendKind {
        BackendKind::S3
    }

    fn describe(&self) -> String {
        format!("the s3 backend ({})", self.shared.url(&self.shared.key))
    }

    /// The bucket must exist (checked when connecting); there is nothing to make.
    fn init(&self) -> Result<(), StateError> {
        Ok(())
    }

    /// `default` when it has state, and every `PREFIX/NAME/KEY` (snapshot or marker).
    fn environments(&self) -> Result<Vec<String>, StateError> {
        let s = self.shared.clone();
        let listed = run(async move {
            let mut found = Vec::new();
            if s.head(&s.key, "reading the state").await?.is_some() {
                found.push("default".to_string());
            }
            let under = format!("{}/", s.prefix);
            for k in s.list(&under, "listing environments").await? {
                let Some((env, rest)) = k[under.len()..].split_once('/') else {
                    continue;
                };
                let tail = rest.strip_prefix(s.key.as_str());
                if matches!(tail, Some("") | Some(".plinth-env")) && valid_env_name(env) {
                    found.push(env.to_string());
                }
            }
            Ok::<_, StateError>(found)
        })?;
        let mut envs = listed;
        envs.sort();
        envs.dedup();
        Ok(envs)
    }

    fn create(&self, env: &str) -> Result<(), StateError> {
        check_env(env)?;
        let s = self.shared.clone();
        let marker = self.env_marker(env);
        run(async move {
            s.put(&marker, Vec::new(), &[], false, "creating the environment")
                .await
                .map(|_| ())
        })
    }

    /// Deletes the snapshot, backup, journal, settings files and marker of `env`: every object
    /// whose key is `STATE` or `STATE.` followed by anything.
    fn delete(&self, env: &str) -> Result<(), StateError> {
        check_env(env)?;
        let s = self.shared.clone();
        let state = s.state_key(env);
        run(async move {
            let keys: Vec<String> = s
                .list(&state, "listing the environment's objects")
                .await?
                .into_iter()
                .filter(|k| k == &state || k[state.len()..].starts_with('.'))
                .filter(|k| !k.ends_with(".tflock") && !k[state.len()..].starts_with(".plinth-keys/"))
                .collect();
            s.delete_all(&keys, "deleting the environment").await
        })
    }

    fn open(&self, env: &str) -> Result<Box<dyn Backend>, StateError> {
        check_env(env)?;
        Ok(Box::new(S3Backend {
            shared: self.shared.clone(),
            env: env.to_string(),
        }))
    }

    fn read_file(&self, env: &str, name: &str) -> Result<Option<Vec<u8>>, StateError> {
        let s = self.shared.clone();
        let key = format!("{}.files/{name}", s.state_key(env));
        run(async move { s.get(&key, "reading the environment's settings").await }).map(|o| o.map(|(b, _)| b))
    }

    fn write_file(&self, env: &str, name: &str, data: &[u8]) -> Result<(), StateError> {
        let s = self.shared.clone();
        let key = format!("{}.files/{name}", s.state_key(env));
        let data = data.to_vec();
        run(async move {
            s.put(&key, data, &[], false, "writing the environment's settings")
                .await
                .map(|_| ())
        })
    }

    /// Read; when missing, written once with a conditional put (whoever writes first wins) and
    /// read again: every caller gets the same bytes.
    fn shared_key(&self, name: &str, initial: Option<&[u8]>) -> Result<Vec<u8>, StateError> {
        let fresh = crate::secrets::new_key(initial);
        let s = self.shared.clone();
        let key = format!("{}.plinth-keys/{name}", s.key);
        let sealed = s.seal(Purpose::Key, &fresh);
        let what = format!("reading the shared {name}");
        let stored = {
            let (s, key) = (s.clone(), key.clone());
            run(async move {
                // Read first, so users who may only read the bucket never write.
                if let Some(found) = s.get(&key, &what).await? {
                    return Ok(Some(found));
                }
                s.put(&key, sealed, &[], true, &what).await?;
                s.get(&key, &what).await
            })?
        };
        match stored {
            Some((bytes, _)) => s.open(Purpose::Key, bytes, &key),
            None => Err(StateError::Other(format!(
                "s3 backend ({}): the shared {name} vanished right after it was written; run the command again",
                s.url(&key)
            ))),
        }
    }
}

/// One environment's state in the bucket.
pub struct S3Backend {
    shared: Arc<Shared>,
    env: String,
}

/// An object's user metadata.
type Metadata = std::collections::HashMap<String, String>;

/// A snapshot as read: its bytes (as stored), generation and serial.
struct Snapshot {
    data: Option<Vec<u8>>,
    generation: String,
    /// From the metadata; `None` for a snapshot written without it.
    serial: Option<u64>,
}

impl S3Backend {
    fn state_key(&self) -> String {
        self.shared.state_key(&self.env)
    }

    fn lock_key(&self) -> String {
        format!("{}.tflock", self.state_key())
    }

    /// Every journal object's key starts with this; a generation's with `PREFIX GEN -`.
    fn journal_prefix(&self) -> String {
        format!("{}.journal-", self.state_key())
    }

    /// The snapshot and the journal batches recorded since it, as stored; `None` when a batch
    /// listed is gone by the time it is read (a persist ran in between: read again).
    async fn read_once(
        s: Arc<Shared>,
        state_key: String,
        journal: String,
    ) -> Result<Option<(Snapshot, Vec<Vec<u8>>)>, StateError> {
        let snapshot = match s.get(&state_key, "reading the state").await? {
            Some((data, meta)) => Snapshot {
                data: Some(data),
                generation: meta.get(GENERATION).cloned().unwrap_or_else(|| NO_SNAPSHOT.to_string()),
                serial: meta.get(SERIAL).and_then(|s| s.parse().ok()),
            },
            None => Snapshot {
                data: None,
                generation: NO_SNAPSHOT.to_string(),
                serial: Some(0),
            },
        };
        let prefix = format!("{journal}{}-", snapshot.generation);
        let keys = s.list(&prefix, "reading the journal").await?;
        let batches: Vec<Option<Vec<u8>>> = futures::stream::iter(keys.into_iter().map(|k| {
            let s = s.clone();
            async move { s.get(&k, "reading the journal").await.map(|o| o.map(|(b, _)| b)) }
        }))
        .buffered(PARALLEL_READS)
        .try_collect()
        .await?;
        Ok(batches
            .into_iter()
            .collect::<Option<Vec<_>>>()
            .map(|batches| (snapshot, batches)))
    }

    /// [`Self::read_once`] until it reads one generation whole.
    async fn read(s: Arc<Shared>, state_key: String, journal: String) -> Result<(Snapshot, Vec<Vec<u8>>), StateError> {
        for _ in 0..20 {
            if let Some(read) = Self::read_once(s.clone(), state_key.clone(), journal.clone()).await? {
                return Ok(read);
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        Err(StateError::Other(format!(
            "s3 backend ({}): the state kept changing while it was read; run the command again",
            s.url(&state_key)
        )))
    }

    fn parse_snapshot(&self, data: Vec<u8>) -> Result<State, StateError> {
        let key = self.state_key();
        let json = self.shared.open(Purpose::State, data, &key)?;
        parse_state(&json, std::path::Path::new(&self.shared.url(&key)))
    }

    /// The entries of the journal batches, in order. An object is written whole or not at all,
    /// so a batch that does not parse is corruption.
    fn parse_journal(&self, batches: Vec<Vec<u8>>) -> Result<Vec<JournalEntry>, StateError> {
        let key = self.journal_prefix();
        let mut entries = Vec::new();
        for (i, batch) in batches.into_iter().enumerate() {
            let json = self.shared.open(Purpose::Journal, batch, &key)?;
            let mut batch: Vec<JournalEntry> = serde_json::from_slice(&json).map_err(|e| StateError::Corrupt {
                path: self.shared.url(&key),
                message: format!("journal object {} is not a valid batch ({e})", i + 1),
            })?;
            entries.append(&mut batch);
        }
        Ok(entries)
    }
}

impl Backend for S3Backend {
    fn try_lock(&self, operation: &str) -> Result<Box<dyn LockGuard>, StateError> {
        let info = LockInfo::new(operation);
        let body = serde_json::to_vec(&info).map_err(|e| StateError::Other(format!("s3 backend: {e}")))?;
        let s = self.shared.clone();
        let key = self.lock_key();
        let outcome = {
            let (s, key) = (s.clone(), key.clone());
            run(async move {
                // A lock released between our put and our read of the holder: try again.
                for _ in 0..3 {
                    if s.put(&key, body.clone(), &[], true, "taking the lock").await? {
                        return Ok(Ok(()));
                    }
                    if let Some(holder) = s.holder(&key).await? {
                        return Ok(Err(holder));
                    }
                }
                Ok::<_, StateError>(Err(LockInfo::unknown("")))
            })?
        };
        match outcome {
            Ok(()) => Ok(Box::new(S3Lock {
                shared: s,
                key,
                id: info.id,
            })),
            Err(holder) => Err(StateError::Locked {
                env: self.env.clone(),
                holder: Box::new(holder),
            }),
        }
    }

    fn lock_timeout(&self) -> Duration {
        self.shared.lock_timeout
    }

    fn lock_can_be_stale(&self) -> bool {
        true
    }

    fn force_unlock(&self, id: &str) -> Result<(), StateError> {
        let s = self.shared.clone();
        let key = self.lock_key();
        let id = id.to_string();
        let env = self.env.clone();
        run(async move {
            match s.holder(&key).await? {
                None => Err(StateError::Other(format!(
                    "the state for environment {env:?} is not locked ({} does not exist)",
                    s.url(&key)
                ))),
                Some(h) if h.id != id => Err(StateError::Other(format!(
                    "the lock on environment {env:?} has ID {}, not {id} (held by {h}); check the ID",
                    h.id
                ))),
                Some(_) => s.delete_one(&key, "deleting the lock object").await,
            }
        })
    }

    fn load(&self) -> Result<State, StateError> {
        let (s, state_key, journal) = (self.shared.clone(), self.state_key(), self.journal_prefix());
        let (snapshot, batches) = run(Self::read(s, state_key, journal))?;
        let mut state = match snapshot.data {
            Some(d) => self.parse_snapshot(d)?,
            None => State::new(),
        };
        let entries = self.parse_journal(batches)?;
        state.serial = state.serial.saturating_add(entries.len() as u64);
        for entry in entries {
            state.apply_entry(entry);
        }
        Ok(state)
    }

    /// A journal extending the current snapshot's generation, numbering its batches after the
    /// ones already there (a crashed run's, replayed by the load before this one).
    fn journal(&self) -> Result<Box<dyn Journal>, StateError> {
        let s = self.shared.clone();
        let (state_key, journal) = (self.state_key(), self.journal_prefix());
        let (generation, next) = {
            let s = s.clone();
            run(async move {
                let generation = s
                    .head(&state_key, "reading the state")
                    .await?
                    .and_then(|m| m.get(GENERATION).cloned())
                    .unwrap_or_else(|| NO_SNAPSHOT.to_string());
                let prefix = format!("{journal}{generation}-");
                let next = s
                    .list(&prefix, "reading the journal")
                    .await?
                    .iter()
                    .filter_map(|k| k[prefix.len()..].parse::<u64>().ok())
                    .max()
                    .map_or(0, |m| m + 1);
                Ok::<_, StateError>((generation, next))
            })?
        };
        Ok(Box::new(S3Journal {
            shared: s,
            prefix: format!("{}{generation}-", self.journal_prefix()),
            next,
        }))
    }

    /// The compaction: the snapshot and its journal read, the old snapshot written as the
    /// backup, the new one under a new generation, then every journal object deleted. Serials
    /// follow the other backends' rule (see the postgres backend's `persist`).
    fn persist(&self, state: &mut State) -> Result<u64, StateError> {
        let s = self.shared.clone();
        let (state_key, journal) = (self.state_key(), self.journal_prefix());
        let (snapshot, batches) = run(Self::read(s.clone(), state_key.clone(), journal.clone()))?;
        if s.cipher.is_none() && snapshot.data.as_deref().is_some_and(is_sealed) {
            return Err(StateError::Encrypted {
                path: s.url(&state_key),
            });
        }
        // The serial is all persist needs of the old snapshot: its metadata says it; a snapshot
        // without it is parsed, and one that cannot be read is replaced (as `state push --force`
        // may need).
        let old_serial = match (&snapshot.data, snapshot.serial) {
            (_, Some(serial)) => serial,
            (Some(d), None) => self.parse_snapshot(d.clone()).map(|st| st.serial).unwrap_or(0),
            (None, None) => 0,
        };
        let entries = match self.parse_journal(batches) {
            Ok(e) => e,
            Err(e @ StateError::Encrypted { .. }) => return Err(e),
            Err(_) => Vec::new(),
        };
        let mut current = old_serial + entries.len() as u64;
        if !entries.is_empty() && !replay_is_noop(state, &entries) {
            current += 1;
        }
        let mut new_state = state.clone();
        new_state.serial = new_state.serial.max(current) + 1;
        new_state.version = STATE_VERSION;
        super::ops::canonicalize(&mut new_state);
        let json = super::ops::to_json(&new_state)?;
        let data = s.seal(Purpose::State, json.as_bytes());
        let backup = snapshot.data.map(|old| match &s.cipher {
            Some(c) if !is_sealed(&old) => c.seal(Purpose::State, &old).into_bytes(),
            _ => old,
        });
        let generation = uuid::Uuid::new_v4().simple().to_string();
        let serial = new_state.serial;
        run(async move {
            if let Some(b) = backup {
                s.put(&format!("{state_key}.backup"), b, &[], false, "writing the backup")
                    .await?;
            }
            let meta = [(GENERATION, generation), (SERIAL, serial.to_string())];
            s.put(&state_key, data, &meta, false, "writing the state").await?;
            let stale = s.list(&journal, "compacting the journal").await?;
            s.delete_all(&stale, "compacting the journal").await
        })?;
        *state = new_state;
        Ok(state.serial)
    }

    fn cipher(&self) -> Option<&Cipher> {
        self.shared.cipher.as_ref()
    }

    fn backup(&self) -> Result<Option<Vec<u8>>, StateError> {
        let s = self.shared.clone();
        let key = format!("{}.backup", self.state_key());
        run(async move { s.get(&key, "reading the backup").await }).map(|o| o.map(|(b, _)| b))
    }
}

/// The held lock object; dropping it deletes the object if it is still ours.
struct S3Lock {
    shared: Arc<Shared>,
    key: String,
    id: String,
}

impl LockGuard for S3Lock {}

impl Drop for S3Lock {
    fn drop(&mut self) {
        let (s, key, id) = (self.shared.clone(), self.key.clone(), self.id.clone());
        let released = run(async move {
            match s.holder(&key).await? {
                Some(h) if h.id == id => s.delete_one(&key, "releasing the lock").await,
                // Broken by force-unlock, and perhaps taken by someone else since: not ours.
                _ => Ok(()),
            }
        });
        if let Err(e) = released {
            eprintln!(
                "Warning: {e}. The lock {} may be left behind: run `plinth force-unlock {}` once no Plinth command is running.",
                self.shared.url(&self.key),
                self.id
            );
        }
    }
}

/// Writes one journal object per batch.
struct S3Journal {
    shared: Arc<Shared>,
    /// `STATE.journal-GEN-`.
    prefix: String,
    next: u64,
}

impl Journal for S3Journal {
    /// One put per batch: durable when it returns. Names are zero-padded so that S3's listing
    /// order is the recording order.
    fn record(&mut self, entries: &[JournalEntry]) -> Result<(), StateError> {
        if entries.is_empty() {
            return Ok(());
        }
        let json =
            serde_json::to_vec(entries).map_err(|e| StateError::Other(format!("serializing journal entries: {e}")))?;
        let data = self.shared.seal(Purpose::Journal, &json);
        let key = format!("{}{:012}", self.prefix, self.next);
        let s = self.shared.clone();
        run(async move { s.put(&key, data, &[], false, "recording a change in the journal").await })?;
        self.next += 1;
        Ok(())
    }
}
