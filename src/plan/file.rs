//! Saved plan files (`plinth plan -out FILE`, read back by `plinth apply FILE` and `plinth show`).
//!
//! A plan file is JSON that opens with `"format": "plinth-plan/v1"`. Every [`Value`] is stored as
//! `{ "value": <redacted JSON>, "unknown": <mask>, "sensitive": <mask> }`: sensitive parts are
//! written as `null` and only their place is kept, so **no secret is ever written in clear**;
//! apply re-resolves secrets from their sources. Reading gives back the same [`Plan`] except that
//! each sensitive value comes back as `Value::Sensitive(Box::new(Value::Null))` (and an output
//! declared `sensitive` comes back marked). Instance keys are written as JSON `null`, a number or
//! a string; attribute paths as arrays of steps (`"attr"`, `0`, `{"key": "k"}`). Files are written
//! through a temporary file and a rename, so a crash never leaves half a plan behind. Whether a
//! plan is stale (lineage, serial, configuration hash) is for apply to decide, not this module.
//!
//! With state encryption configured, [`write_plan_with`] seals the whole file with the same key
//! (one envelope of [`crate::secrets::encryption`], marker first), and [`read_plan_with`] opens it;
//! a plain plan file still reads with a key configured. Reading a sealed plan without the key, or
//! with another key, is a clear error.

use std::collections::BTreeMap;
use std::fs;
use std::io;
use std::path::{Path, PathBuf};

use plinth_sdk::{AttrPath, PathStep, Value};
use serde::{Deserialize, Serialize};
use serde_json::Value as Json;

use super::{Action, OutputChange, Plan, ResourceChange};
use crate::addrs::{Address, Key, ModInst};
use crate::config::Mode;
use crate::secrets::encryption::{Cipher, OpenError, Purpose, is_sealed};

/// The format marker this Plinth writes.
pub const FORMAT: &str = "plinth-plan/v1";
const FORMAT_PREFIX: &str = "plinth-plan/v";
const FORMAT_VERSION: u64 = 1;

/// Errors reading or writing a plan file.
#[derive(Debug, thiserror::Error)]
pub enum PlanFileError {
    /// The file is not a Plinth plan at all (not JSON, or no Plinth format marker).
    #[error("{} is not a Plinth plan file ({detail}); make one with `plinth plan -out FILE`", .path.display())]
    NotAPlan { path: PathBuf, detail: String },
    /// The plan was written by a newer Plinth.
    #[error(
        "the plan file {} has format {found:?}, newer than this Plinth understands ({FORMAT:?}); upgrade Plinth or make the plan again",
        .path.display()
    )]
    TooNew { path: PathBuf, found: String },
    /// The file has the plan marker but not the plan's shape (truncated, edited, damaged).
    #[error("the plan file {} is corrupt: {message}; make the plan again with `plinth plan -out FILE`", .path.display())]
    Corrupt { path: PathBuf, message: String },
    /// The plan file is encrypted and no key is configured.
    #[error(
        "the plan file {} is encrypted: configure plinth {{ encryption {{ key = ... }} }} with the key it was written with",
        .path.display()
    )]
    Encrypted { path: PathBuf },
    /// The configured key does not open the plan file.
    #[error("the encryption key does not decrypt the plan file {}: wrong key? ({detail})", .path.display())]
    WrongKey { path: PathBuf, detail: String },
    /// Reading or writing the file failed. The I/O error is the source, not part of the message,
    /// so that an error chain (`Error: a: b`) says it once.
    #[error("cannot {action} the plan file {}", .path.display())]
    Io {
        action: &'static str,
        path: PathBuf,
        #[source]
        source: io::Error,
    },
}

/// Writes `plan` to `path` atomically (a temporary file beside it, then a rename).
pub fn write_plan(plan: &Plan, path: &Path) -> Result<(), PlanFileError> {
    write_plan_with(plan, path, None)
}

/// [`write_plan`], sealed with `cipher` when one is given.
pub fn write_plan_with(plan: &Plan, path: &Path, cipher: Option<&Cipher>) -> Result<(), PlanFileError> {
    let file = PlanFile::from_plan(plan);
    let mut bytes = serde_json::to_vec_pretty(&file).map_err(|e| PlanFileError::Io {
        action: "encode",
        path: path.to_path_buf(),
        source: io::Error::new(io::ErrorKind::InvalidData, e),
    })?;
    bytes.push(b'\n');
    if let Some(c) = cipher {
        bytes = (c.seal(Purpose::Plan, &bytes) + "\n").into_bytes();
    }
    crate::state::local::write_atomic(path, &bytes).map_err(|source| PlanFileError::Io {
        action: "write",
        path: path.to_path_buf(),
        source,
    })
}

/// Reads a plan written by [`write_plan`].
pub fn read_plan(path: &Path) -> Result<Plan, PlanFileError> {
    read_plan_with(path, None)
}

/// Reads a plan written by [`write_plan_with`]: sealed ones are opened with `cipher`.
pub fn read_plan_with(path: &Path, cipher: Option<&Cipher>) -> Result<Plan, PlanFileError> {
    let mut bytes = fs::read(path).map_err(|source| PlanFileError::Io {
        action: "read",
        path: path.to_path_buf(),
        source,
    })?;
    if is_sealed(&bytes) {
        let Some(c) = cipher else {
            return Err(PlanFileError::Encrypted {
                path: path.to_path_buf(),
            });
        };
        bytes = c.open(Purpose::Plan, &bytes).map_err(|e| match e {
            OpenError::WrongKey { .. } => PlanFileError::WrongKey {
                path: path.to_path_buf(),
                detail: e.to_string(),
            },
            e => PlanFileError::Corrupt {
                path: path.to_path_buf(),
                message: e.to_string(),
            },
        })?;
    }
    let not_a_plan = |detail: &str| PlanFileError::NotAPlan {
        path: path.to_path_buf(),
        detail: detail.to_string(),
    };
    let corrupt = |message: String| PlanFileError::Corrupt {
        path: path.to_path_buf(),
        message,
    };
    let json: Json = match serde_json::from_slice(&bytes) {
        Ok(j) => j,
        // A damaged plan still shows its marker near the start; anything else is some other file.
        Err(e) if has_marker_prefix(&bytes) => return Err(corrupt(e.to_string())),
        Err(_) => return Err(not_a_plan("it is not JSON")),
    };
    let Some(format) = json.get("format").and_then(Json::as_str) else {
        return Err(not_a_plan("it has no \"format\" marker"));
    };
    let Some(version) = format.strip_prefix(FORMAT_PREFIX) else {
        return Err(not_a_plan(&format!("its format is {format:?}")));
    };
    match version.parse::<u64>() {
        Ok(FORMAT_VERSION) => {}
        Ok(v) if v > FORMAT_VERSION => {
            return Err(PlanFileError::TooNew {
                path: path.to_path_buf(),
                found: format.to_string(),
            });
        }
        _ => return Err(corrupt(format!("unknown format {format:?}"))),
    }
    let file: PlanFile = serde_json::from_value(json).map_err(|e| corrupt(e.to_string()))?;
    file.into_plan().map_err(corrupt)
}

fn has_marker_prefix(bytes: &[u8]) -> bool {
    let head = String::from_utf8_lossy(&bytes[..bytes.len().min(256)]);
    head.contains(FORMAT_PREFIX)
}

/// A copy of `v` safe to persist: every sensitive part becomes `null` (still marked), except that
/// a sensitive unknown stays unknown (its place and mark are all it has).
pub(crate) fn persistable(v: &Value) -> Value {
    match v {
        Value::Sensitive(inner) if inner.is_unknown() => Value::Sensitive(Box::new(Value::Unknown)),
        Value::Sensitive(_) => Value::Sensitive(Box::new(Value::Null)),
        Value::List(items) => Value::List(items.iter().map(persistable).collect()),
        Value::Map(m) => Value::Map(m.iter().map(|(k, v)| (k.clone(), persistable(v))).collect()),
        v => v.clone(),
    }
}

#[derive(Serialize, Deserialize)]
struct PlanFile {
    format: String,
    plinth_version: String,
    env: String,
    lineage: String,
    serial: u64,
    config_hash: String,
    timestamp: String,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    checks: Vec<crate::plan::checks::CheckResult>,
    destroy: bool,
    #[serde(default)]
    targets: Vec<Address>,
    #[serde(default)]
    variables: BTreeMap<String, StoredValue>,
    #[serde(default)]
    changes: Vec<StoredChange>,
    #[serde(default)]
    outputs: Vec<StoredOutput>,
}

/// A value with its marks: redacted JSON plus the unknown and sensitive masks.
#[derive(Serialize, Deserialize)]
struct StoredValue {
    value: Json,
    #[serde(default = "json_false")]
    unknown: Json,
    #[serde(default = "json_false")]
    sensitive: Json,
}

fn json_false() -> Json {
    Json::Bool(false)
}

#[derive(Serialize, Deserialize)]
struct StoredChange {
    address: String,
    /// `[["name", key], ...]` from the root.
    #[serde(default)]
    module: Vec<(String, Json)>,
    mode: String,
    #[serde(rename = "type")]
    type_name: String,
    name: String,
    key: Json,
    provider: String,
    action: Action,
    before: Option<StoredValue>,
    after: Option<StoredValue>,
    config: Option<StoredValue>,
    #[serde(default)]
    requires_replace: Vec<Vec<Json>>,
    reason: Option<String>,
    #[serde(default)]
    dependencies: Vec<String>,
    #[serde(default)]
    create_before_destroy: bool,
    #[serde(default)]
    drifted: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    importing: Option<String>,
    previous_address: Option<String>,
}

#[derive(Serialize, Deserialize)]
struct StoredOutput {
    name: String,
    action: Action,
    before: Option<StoredValue>,
    after: Option<StoredValue>,
    sensitive: bool,
}

impl StoredValue {
    fn new(v: &Value) -> Self {
        let v = persistable(v);
        StoredValue {
            value: v.to_json(),
            unknown: v.unknown_mask(),
            sensitive: v.sensitive_mask(),
        }
    }

    fn value(&self) -> Value {
        Value::from_json_masked(&self.value, &self.unknown, &self.sensitive)
    }
}

impl PlanFile {
    fn from_plan(plan: &Plan) -> Self {
        PlanFile {
            format: FORMAT.to_string(),
            plinth_version: env!("CARGO_PKG_VERSION").to_string(),
            env: plan.env.clone(),
            lineage: plan.lineage.clone(),
            serial: plan.serial,
            config_hash: plan.config_hash.clone(),
            timestamp: plan.timestamp.clone(),
            checks: plan.checks.clone(),
            destroy: plan.destroy,
            targets: plan.targets.clone(),
            variables: plan
                .variables
                .iter()
                .map(|(k, v)| (k.clone(), StoredValue::new(v)))
                .collect(),
            changes: plan.changes.iter().map(StoredChange::new).collect(),
            outputs: plan.outputs.iter().map(StoredOutput::new).collect(),
        }
    }

    fn into_plan(self) -> Result<Plan, String> {
        Ok(Plan {
            env: self.env,
            lineage: self.lineage,
            serial: self.serial,
            config_hash: self.config_hash,
            variables: self.variables.iter().map(|(k, v)| (k.clone(), v.value())).collect(),
            changes: self
                .changes
                .into_iter()
                .map(StoredChange::into_change)
                .collect::<Result<_, _>>()?,
            outputs: self.outputs.into_iter().map(StoredOutput::into_output).collect(),
            destroy: self.destroy,
            targets: self.targets,
            timestamp: self.timestamp,
            checks: self.checks,
        })
    }
}

impl StoredChange {
    fn new(c: &ResourceChange) -> Self {
        StoredChange {
            address: c.address.clone(),
            module: c.module.iter().map(|(n, k)| (n.clone(), k.to_json())).collect(),
            mode: c.mode.as_str().to_string(),
            type_name: c.type_name.clone(),
            name: c.name.clone(),
            key: c.key.to_json(),
            provider: c.provider.clone(),
            action: c.action,
            before: c.before.as_ref().map(StoredValue::new),
            // Written whole, as plan files always had it.
            after: c.planned().map(StoredValue::new),
            config: c.config.as_ref().map(StoredValue::new),
            requires_replace: c.requires_replace.iter().map(path_json).collect(),
            reason: c.reason.clone(),
            dependencies: c.dependencies.clone(),
            create_before_destroy: c.create_before_destroy,
            drifted: c.drifted,
            importing: c.importing.clone(),
            previous_address: c.previous_address.clone(),
        }
    }

    fn into_change(self) -> Result<ResourceChange, String> {
        let at = |what: &str| format!("{what} of {}", self.address);
        let module: ModInst = self
            .module
            .iter()
            .map(|(n, k)| Ok((n.clone(), Key::from_json(k).ok_or_else(|| at("a module key"))?)))
            .collect::<Result<_, String>>()?;
        let mode = match self.mode.as_str() {
            "managed" => Mode::Managed,
            "data" => Mode::Data,
            other => return Err(format!("unknown mode {other:?} of {}", self.address)),
        };
        let key = Key::from_json(&self.key).ok_or_else(|| at("the instance key"))?;
        let requires_replace = self
            .requires_replace
            .iter()
            .map(|p| path_from_json(p).ok_or_else(|| at("a requires-replace path")))
            .collect::<Result<_, _>>()?;
        let before = self.before.as_ref().map(StoredValue::value);
        // A no-op's planned state that is its prior state is kept once, as the planner keeps it.
        let after = self
            .after
            .as_ref()
            .map(StoredValue::value)
            .filter(|a| self.action != Action::NoOp || before.as_ref() != Some(a));
        Ok(ResourceChange {
            module,
            mode,
            key,
            requires_replace,
            before,
            after,
            config: self.config.as_ref().map(StoredValue::value),
            address: self.address,
            type_name: self.type_name,
            name: self.name,
            provider: self.provider,
            action: self.action,
            reason: self.reason,
            dependencies: self.dependencies,
            create_before_destroy: self.create_before_destroy,
            drifted: self.drifted,
            importing: self.importing,
            previous_address: self.previous_address,
        })
    }
}

impl StoredOutput {
    fn new(o: &OutputChange) -> Self {
        // An output declared sensitive is stored redacted even when its value carries no mark.
        let stored = |v: &Value| StoredValue::new(&v.clone().mark_if(o.sensitive));
        StoredOutput {
            name: o.name.clone(),
            action: o.action,
            before: o.before.as_ref().map(stored),
            after: o.after.as_ref().map(stored),
            sensitive: o.sensitive,
        }
    }

    fn into_output(self) -> OutputChange {
        OutputChange {
            name: self.name,
            action: self.action,
            before: self.before.as_ref().map(StoredValue::value),
            after: self.after.as_ref().map(StoredValue::value),
            sensitive: self.sensitive,
        }
    }
}

fn path_json(p: &AttrPath) -> Vec<Json> {
    p.0.iter()
        .map(|s| match s {
            PathStep::Attr(a) => Json::String(a.clone()),
            PathStep::Index(i) => Json::from(*i),
            PathStep::Key(k) => serde_json::json!({ "key": k }),
        })
        .collect()
}

fn path_from_json(steps: &[Json]) -> Option<AttrPath> {
    steps
        .iter()
        .map(|s| match s {
            Json::String(a) => Some(PathStep::Attr(a.clone())),
            Json::Number(n) => n.as_u64().and_then(|n| usize::try_from(n).ok()).map(PathStep::Index),
            Json::Object(o) => o
                .get("key")
                .and_then(Json::as_str)
                .map(|k| PathStep::Key(k.to_string())),
            _ => None,
        })
        .collect::<Option<Vec<_>>>()
        .map(AttrPath)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn change(address: &str, action: Action) -> ResourceChange {
        crate::plan::render::tests::rc(address, "local_file", "f", Key::None, action)
    }

    fn base_plan() -> Plan {
        Plan {
            env: "staging".to_string(),
            lineage: "3f1c".to_string(),
            serial: 7,
            config_hash: "abc123".to_string(),
            variables: plinth_sdk::Map::from([
                ("gpu_count".to_string(), Value::int(2)),
                ("ratio".to_string(), Value::number(0.25)),
                (
                    "regions".to_string(),
                    Value::List(vec![Value::string("eu"), Value::string("us")]),
                ),
            ]),
            changes: Vec::new(),
            outputs: Vec::new(),
            destroy: false,
            targets: vec![Address::parse("module.m[0].local_file.f[\"a\"]").expect("target")],
            timestamp: "2025-06-01T12:00:00Z".to_string(),
            checks: Vec::new(),
        }
    }

    /// Integers past 2^53 are written as JSON integers and read back digit for digit.
    #[test]
    fn big_integers_round_trip_exactly() {
        let mut plan = base_plan();
        let big = Value::from_json(&serde_json::json!(18_446_744_073_709_551_615u64));
        plan.variables.insert("account".to_string(), big.clone());
        plan.variables.insert("min".to_string(), Value::int(i64::MIN));
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("plan.json");
        write_plan(&plan, &path).expect("write");
        let text = fs::read_to_string(&path).expect("read");
        assert!(text.contains("18446744073709551615"), "{text}");
        let back = read_plan(&path).expect("read back");
        assert_eq!(back.variables["account"], big);
        assert_eq!(back.variables["account"].as_u64(), Some(u64::MAX));
        assert_eq!(back.variables["min"].as_i64(), Some(i64::MIN));
        assert_eq!(back.variables["ratio"], Value::number(0.25));
    }

    #[test]
    fn round_trip_without_secrets() {
        let mut create = change("module.m[0].local_file.f[\"a\"]", Action::CreateThenDelete);
        create.module = vec![
            ("m".to_string(), Key::Int(0)),
            ("n".to_string(), Key::Str("x".to_string())),
        ];
        create.key = Key::Str("a".to_string());
        create.before = Some(Value::object([
            ("id", Value::string("1")),
            ("path", Value::string("a")),
        ]));
        create.after = Some(Value::object([
            ("id", Value::Unknown),
            ("path", Value::string("b")),
            (
                "nested",
                Value::object([("list", Value::List(vec![Value::Unknown, Value::Bool(true)]))]),
            ),
            ("empty", Value::Map(plinth_sdk::Map::new())),
            ("nothing", Value::Null),
        ]));
        create.config = Some(Value::object([("path", Value::string("b"))]));
        create.requires_replace = vec![
            AttrPath::attr("path"),
            AttrPath(vec![
                PathStep::Attr("tags".into()),
                PathStep::Key("a.b".into()),
                PathStep::Index(3),
            ]),
        ];
        create.reason = Some("cannot update in place".to_string());
        create.dependencies = vec!["local_value.v".to_string()];
        create.create_before_destroy = true;
        create.drifted = true;
        let mut data = change("data.local_file.d[2]", Action::Read);
        data.mode = Mode::Data;
        data.key = Key::Int(2);
        data.after = Some(Value::Unknown);
        let mut delete = change("local_file.old", Action::Delete);
        delete.before = Some(Value::object([("path", Value::string("x"))]));
        let mut moved = change("module.m.local_file.moved", Action::NoOp);
        moved.previous_address = Some("local_file.moved".to_string());
        let mut forget = change("local_file.forgotten", Action::Forget);
        forget.before = Some(Value::object([("path", Value::string("y"))]));
        let mut plan = base_plan();
        plan.changes = vec![create, data, delete, moved, forget];
        plan.outputs = vec![OutputChange {
            name: "url".to_string(),
            action: Action::Create,
            before: None,
            after: Some(Value::Unknown),
            sensitive: false,
        }];
        plan.destroy = true;

        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("plan.bin");
        write_plan(&plan, &path).expect("write");
        let text = fs::read_to_string(&path).expect("read");
        assert!(text.starts_with("{\n  \"format\": \"plinth-plan/v1\""), "{text}");
        assert_eq!(read_plan(&path).expect("read back"), plan);
        // Nothing but the plan is left in the directory.
        assert_eq!(fs::read_dir(dir.path()).expect("dir").count(), 1);
    }

    #[test]
    fn secrets_are_never_written_and_marks_survive() {
        let secret = || Value::string("hunter2").mark();
        let redacted = || Value::Sensitive(Box::new(Value::Null));
        let mut c = change("local_file.f", Action::Create);
        c.after = Some(Value::object([
            ("path", Value::string("p")),
            (
                "env",
                Value::object([("DB_PASSWORD", secret()), ("MODE", Value::string("prod"))]),
            ),
            ("pending", Value::Unknown.mark()),
        ]));
        c.config = Some(Value::object([("env", Value::List(vec![secret()]))]));
        let mut plan = base_plan();
        plan.variables.insert("db_password".to_string(), secret());
        plan.variables.insert(
            "whole".to_string(),
            Value::object([("x", Value::string("hunter2"))]).mark(),
        );
        plan.changes = vec![c];
        plan.outputs = vec![
            OutputChange {
                name: "password".to_string(),
                action: Action::Create,
                before: None,
                after: Some(secret()),
                sensitive: false,
            },
            OutputChange {
                name: "declared".to_string(),
                action: Action::Update,
                before: Some(Value::string("hunter1")),
                after: Some(Value::string("hunter2")),
                sensitive: true,
            },
        ];

        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("plan.json");
        write_plan(&plan, &path).expect("write");
        let bytes = fs::read(&path).expect("read");
        let text = String::from_utf8(bytes).expect("utf-8");
        assert!(!text.contains("hunter"), "{text}");

        let back = read_plan(&path).expect("read back");
        assert_eq!(back.variables["db_password"], redacted());
        assert_eq!(back.variables["whole"], redacted());
        assert_eq!(back.variables["gpu_count"], Value::int(2));
        let after = back.changes[0].after.as_ref().expect("after");
        assert_eq!(after.get("env").get("DB_PASSWORD"), &redacted());
        assert_eq!(after.get("env").get("MODE"), &Value::string("prod"));
        assert_eq!(after.get("pending"), &Value::Unknown.mark());
        assert_eq!(
            back.changes[0].config.as_ref().expect("config").get("env"),
            &Value::List(vec![redacted()])
        );
        assert_eq!(back.outputs[0].after, Some(redacted()));
        assert_eq!(back.outputs[1].before, Some(redacted()));
        assert_eq!(back.outputs[1].after, Some(redacted()));
    }

    #[test]
    fn clear_errors_for_other_files() {
        let dir = tempfile::tempdir().expect("tempdir");
        let p = dir.path().join("x");

        fs::write(&p, b"\x00\x01binary").expect("write");
        let e = read_plan(&p).expect_err("binary").to_string();
        assert!(
            e.contains("is not a Plinth plan file (it is not JSON)") && e.contains(&p.display().to_string()),
            "{e}"
        );

        fs::write(&p, br#"{"format_version": "1.2", "resource_changes": []}"#).expect("write");
        let e = read_plan(&p).expect_err("terraform json").to_string();
        assert!(e.contains("no \"format\" marker"), "{e}");

        fs::write(&p, br#"{"format": "plinth-plan/v9"}"#).expect("write");
        let e = read_plan(&p).expect_err("too new");
        assert!(matches!(e, PlanFileError::TooNew { .. }));
        assert!(e.to_string().contains("newer than this Plinth understands"), "{e}");

        fs::write(&p, br#"{"format": "plinth-plan/v1", "env": "#).expect("write");
        assert!(matches!(read_plan(&p), Err(PlanFileError::Corrupt { .. })));

        fs::write(&p, br#"{"format": "plinth-plan/v1", "env": 3}"#).expect("write");
        let e = read_plan(&p).expect_err("corrupt").to_string();
        assert!(e.contains("is corrupt"), "{e}");

        let e = read_plan(&dir.path().join("missing")).expect_err("missing").to_string();
        assert!(e.starts_with("cannot read the plan file"), "{e}");
    }

    #[test]
    fn encrypted_plan_files() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("plan.bin");
        let plan = base_plan();
        let key = Cipher::from_secret("plan key").expect("key");
        write_plan_with(&plan, &path, Some(&key)).expect("write");
        let text = fs::read_to_string(&path).expect("read");
        assert!(text.starts_with("{\"plinth_encrypted\":\"aes-256-gcm\""), "{text}");
        assert!(
            !text.contains("gpu_count") && !text.contains("plinth-plan/v1"),
            "{text}"
        );
        assert_eq!(read_plan_with(&path, Some(&key)).expect("read back"), plan);

        let e = read_plan(&path).expect_err("no key");
        assert!(matches!(e, PlanFileError::Encrypted { .. }), "{e}");
        assert!(
            e.to_string().contains("configure plinth { encryption { key = ... } }"),
            "{e}"
        );
        let other = Cipher::from_secret("other key").expect("key");
        let e = read_plan_with(&path, Some(&other)).expect_err("wrong key");
        assert!(matches!(e, PlanFileError::WrongKey { .. }), "{e}");
        assert!(e.to_string().contains("wrong key?"), "{e}");

        // A plain plan still reads when a key is configured.
        write_plan(&plan, &path).expect("write plain");
        assert_eq!(read_plan_with(&path, Some(&key)).expect("read plain"), plan);
    }
}
