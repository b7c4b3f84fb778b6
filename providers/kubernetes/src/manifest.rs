//! `kubernetes_manifest`: any Kubernetes object, custom resources included, given as
//! `manifest = { apiVersion, kind, metadata, spec, ... }` (Terraform's `kubernetes_manifest`).
//!
//! What this module owns and why it works the way it does:
//!
//! - **Addressing** goes through API discovery ([`crate::discovery`]), so a kind needs no table
//!   entry; a kind the server does not serve is an error naming its apiVersion/kind and the missing
//!   CRD — at apply, not at plan, since a CRD in the same configuration may not exist yet then.
//! - **Apply** is a server-side apply of the manifest under the field manager (`field_manager.name`,
//!   else the provider's), forcing only with `field_manager { force_conflicts = true }`: a field
//!   another manager owns is a conflict the user must decide on, unlike the typed kinds, whose
//!   fields Plinth alone declares. Applying a CustomResourceDefinition waits until it is
//!   `Established` and forgets the discovery cache, so objects of its kind that depend on it apply
//!   next in the same run.
//! - **Drift** is judged on what the manifest declares only: `object` is the live object
//!   [`project`]ed onto the manifest's shape, so server defaults, `status` and the fields of other
//!   managers never count. The plan asks the API server for a server-side-apply dry run and projects
//!   its answer the same way: values the server canonicalises (`1000m` → `1`) compare in its own
//!   form and never show as a perpetual diff. Paths in `computed_fields` are left out of both
//!   comparisons (refresh keeps their value from the last apply).
//! - **Waiting** (`wait { fields, condition, rollout }`) polls the object after apply until it
//!   matches, within `timeouts`; the error names what was awaited and what the object showed.

use std::collections::BTreeMap;
use std::time::Duration;

use kube::api::{Api, DeleteParams, DynamicObject, Patch, PatchParams};
use plinth_sdk::plan::same;
use plinth_sdk::{
    ApplyRequest, ApplyResponse, Attribute, BlockSchema, ImportRequest, Nesting, PathStep, PlanRequest, PlanResponse,
    ProviderDiagnostic, ProviderError, ReadRequest, ReadResponse, Schema, Severity, Type, Value,
};
use regex::Regex;
use serde_json::Value as Json;

use crate::client::{Ctx, Wanted, to_json};
use crate::discovery::{Discovery, Resolved, split_api_version};
use crate::wait::{Progress, Stopped, poll};

/// The resource type's name.
pub const TYPE_NAME: &str = "kubernetes_manifest";

/// Terraform's default `computed_fields`.
const DEFAULT_COMPUTED: [&str; 2] = ["metadata.annotations", "metadata.labels"];

/// How often apply asks discovery again for a kind a CRD applied just before is to serve.
const DISCOVERY_RETRY: Duration = Duration::from_millis(500);

fn one_block(description: &str, schema: Schema) -> BlockSchema {
    BlockSchema {
        nesting: Nesting::List,
        schema: Schema {
            description: description.to_string(),
            ..schema
        },
        min_items: 0,
        max_items: Some(1),
        force_new: false,
    }
}

/// The schema of `kubernetes_manifest`.
pub fn schema() -> Schema {
    let condition = BlockSchema {
        nesting: Nesting::List,
        schema: Schema::new("A status condition to wait for; every one given must hold.")
            .attr(
                "type",
                Attribute::optional(Type::String).describe("The condition's type (`Ready`, `Established`)."),
            )
            .attr(
                "status",
                Attribute::optional(Type::String).describe("The status it must have (`True`, `False`)."),
            ),
        min_items: 0,
        max_items: None,
        force_new: false,
    };
    Schema::new(
        "Any Kubernetes object, custom resources included, applied with server-side apply. Drift is judged on the \
         fields the manifest declares only.",
    )
    .attr(
        "manifest",
        Attribute::required(Type::Any).describe(
            "The object as HCL: `{ apiVersion, kind, metadata = { name, namespace }, spec = ... }`. The namespace \
             defaults to the provider's for namespaced kinds.",
        ),
    )
    .attr(
        "object",
        Attribute::computed(Type::Any).describe(
            "The live object as the API server returns it, limited to the fields the manifest declares (server \
             defaults, status and other managers' fields left out).",
        ),
    )
    .attr(
        "computed_fields",
        Attribute::optional_computed(Type::List(Box::new(Type::String))).describe(
            "Paths (`metadata.labels`, `spec.replicas`) the API server or a controller may change: not compared \
             for drift. Default `[\"metadata.annotations\", \"metadata.labels\"]`.",
        ),
    )
    .attr(
        "id",
        Attribute::computed(Type::String)
            .describe("`apiVersion=…,kind=…,namespace=…,name=…`, the form `plinth import` takes."),
    )
    // The clone guard of `plinth env clone`: two environments naming the same object.
    .identity(&["id"])
    .block(
        "field_manager",
        one_block(
            "Server-side apply field manager.",
            Schema::default()
                .attr(
                    "name",
                    Attribute::optional(Type::String)
                        .describe("The field manager's name; default the provider's `field_manager` (`plinth`)."),
                )
                .attr(
                    "force_conflicts",
                    Attribute::optional(Type::Bool).describe(
                        "Take over fields another manager owns instead of failing with a conflict; default false.",
                    ),
                ),
        ),
    )
    .block(
        "wait",
        one_block(
            "What to wait for after apply (within `timeouts.create` / `timeouts.update`).",
            Schema::default()
                .attr(
                    "fields",
                    Attribute::optional(Type::Map(Box::new(Type::String))).describe(
                        "Field paths (`status.phase`, `status.conditions[0].status`, `data[\"token\"]`) and a regular \
                         expression each must match; `*` for any value.",
                    ),
                )
                .attr(
                    "rollout",
                    Attribute::optional(Type::Bool)
                        .describe("Wait for a Deployment, StatefulSet or DaemonSet to finish rolling out."),
                )
                .block("condition", condition),
        ),
    )
    .block(
        "timeouts",
        one_block(
            "How long apply and delete may wait (`30s`, `10m`, `1h`); default 10m each.",
            Schema::default()
                .attr(
                    "create",
                    Attribute::optional(Type::String).describe("Wait after a create."),
                )
                .attr(
                    "update",
                    Attribute::optional(Type::String).describe("Wait after an update."),
                )
                .attr(
                    "delete",
                    Attribute::optional(Type::String).describe("Wait for a delete to finish."),
                ),
        ),
    )
}

// ---------------------------------------------------------------------------------------------
// Pure parts: paths, durations, projection, waits.

/// One step of a field path.
#[derive(Clone, Debug, PartialEq)]
pub enum Step {
    Key(String),
    Index(usize),
}

/// Parses Terraform's field path syntax: `a.b`, `a[0]`, `a["key.with.dots"]`.
pub fn parse_path(text: &str) -> Option<Vec<Step>> {
    let mut out = Vec::new();
    let mut rest = text;
    let mut first = true;
    while !rest.is_empty() {
        if let Some(r) = rest.strip_prefix('[') {
            if let Some(r) = r.strip_prefix('"') {
                let end = r.find("\"]")?;
                out.push(Step::Key(r[..end].to_string()));
                rest = &r[end + 2..];
            } else {
                let end = r.find(']')?;
                out.push(Step::Index(r[..end].trim().parse().ok()?));
                rest = &r[end + 1..];
            }
        } else {
            let r = if first { rest } else { rest.strip_prefix('.')? };
            let end = r.find(['.', '[']).unwrap_or(r.len());
            if end == 0 {
                return None;
            }
            out.push(Step::Key(r[..end].to_string()));
            rest = &r[end..];
        }
        first = false;
    }
    (!out.is_empty()).then_some(out)
}

fn lookup<'a>(obj: &'a Json, path: &[Step]) -> Option<&'a Json> {
    path.iter().try_fold(obj, |v, s| match s {
        Step::Key(k) => v.get(k.as_str()),
        Step::Index(i) => v.get(*i),
    })
}

/// The value at `path` in `obj`, to change in place.
fn walk_mut<'a>(obj: &'a mut Json, path: &[Step]) -> Option<&'a mut Json> {
    path.iter().try_fold(obj, |v, s| match s {
        Step::Key(k) => v.get_mut(k.as_str()),
        Step::Index(i) => v.get_mut(*i),
    })
}

fn remove_path(obj: &mut Json, path: &[Step]) {
    let Some((last, parent)) = path.split_last() else {
        return;
    };
    let Some(v) = walk_mut(obj, parent) else {
        return;
    };
    match (last, v) {
        (Step::Key(k), Json::Object(m)) => {
            m.remove(k);
        }
        (Step::Index(i), Json::Array(a)) if *i < a.len() => {
            a.remove(*i);
        }
        _ => {}
    }
}

fn set_path(obj: &mut Json, path: &[Step], value: Json) {
    let Some((last, parent)) = path.split_last() else {
        return;
    };
    let Some(v) = walk_mut(obj, parent) else {
        return;
    };
    match (last, v) {
        (Step::Key(k), Json::Object(m)) => {
            m.insert(k.clone(), value);
        }
        (Step::Index(i), Json::Array(a)) if *i < a.len() => a[*i] = value,
        _ => {}
    }
}

/// The live object limited to the shape of the manifest: every key the manifest declares, at any
/// depth, with the live value; keys it does not declare (server defaults, status, other managers'
/// fields) left out. A list whose manifest items all have a `name` (containers, ports, env) is
/// matched by name, in the manifest's order, so items others add are left out too; any other
/// list is taken whole from the live object.
pub fn project(shape: &Json, live: &Json) -> Json {
    match (shape, live) {
        (Json::Object(s), Json::Object(l)) => Json::Object(
            s.iter()
                .filter_map(|(k, sv)| l.get(k).map(|lv| (k.clone(), project(sv, lv))))
                .collect(),
        ),
        (Json::Array(s), Json::Array(l)) => {
            let name = |v: &Json| v.get("name").and_then(Json::as_str).map(str::to_string);
            let names: Option<Vec<String>> = s.iter().map(name).collect();
            match names {
                Some(names) if !names.is_empty() => Json::Array(
                    s.iter()
                        .zip(&names)
                        .filter_map(|(sv, n)| {
                            l.iter()
                                .find(|lv| name(lv).as_deref() == Some(n))
                                .map(|lv| project(sv, lv))
                        })
                        .collect(),
                ),
                _ => Json::Array(
                    l.iter()
                        .enumerate()
                        .map(|(i, lv)| s.get(i).map_or_else(|| lv.clone(), |sv| project(sv, lv)))
                        .collect(),
                ),
            }
        }
        (_, l) => l.clone(),
    }
}

/// [`project`], except that a Secret's `data` is taken whole when the manifest sets `data` or
/// `stringData`: the server folds `stringData` into `data`, and state keeps the manifest's secret
/// values redacted, so their keys cannot shape the projection at refresh. A key someone adds to
/// the secret is then drift, as for `kubernetes_secret`.
pub fn project_object(manifest: &Json, live: &Json) -> Json {
    let mut out = project(manifest, live);
    let is_secret = manifest.get("kind").and_then(Json::as_str) == Some("Secret");
    let sets_data = manifest.get("data").is_some() || manifest.get("stringData").is_some();
    if is_secret
        && sets_data
        && let (Some(o), Some(data)) = (out.as_object_mut(), live.get("data"))
    {
        o.insert("data".into(), data.clone());
    }
    out
}

/// Whether two projected objects agree, leaving out the `computed` paths.
fn agree(a: &Json, b: &Json, computed: &[Vec<Step>]) -> bool {
    let (mut a, mut b) = (a.clone(), b.clone());
    for p in computed {
        remove_path(&mut a, p);
        remove_path(&mut b, p);
    }
    same(&Value::from_json(&a), &Value::from_json(&b))
}

/// What `wait { }` asks for.
#[derive(Debug, Default)]
pub struct Wait {
    pub fields: Vec<(String, Vec<Step>, Option<Regex>)>,
    pub conditions: Vec<(String, String)>,
    pub rollout: bool,
}

impl Wait {
    fn is_empty(&self) -> bool {
        self.fields.is_empty() && self.conditions.is_empty() && !self.rollout
    }
}

fn scalar_text(v: &Json) -> String {
    match v {
        Json::String(s) => s.clone(),
        other => other.to_string(),
    }
}

/// `Ok` when `obj` shows everything `wait` asks for; else what was awaited and what it showed.
pub fn check_wait(wait: &Wait, obj: &Json) -> Result<(), String> {
    let mut missing = Vec::new();
    for (text, path, re) in &wait.fields {
        let shown = lookup(obj, path).filter(|v| !v.is_null());
        let ok = match (shown, re) {
            (Some(_), None) => true,
            (Some(v), Some(re)) => re.is_match(&scalar_text(v)),
            (None, _) => false,
        };
        if !ok {
            let want = re
                .as_ref()
                .map_or("any value".to_string(), |r| format!("/{}/", r.as_str()));
            let got = shown.map_or("no such field".to_string(), |v| format!("{:?}", scalar_text(v)));
            missing.push(format!("{text} to match {want} (it is {got})"));
        }
    }
    let conditions = obj
        .pointer("/status/conditions")
        .and_then(Json::as_array)
        .cloned()
        .unwrap_or_default();
    for (ty, status) in &wait.conditions {
        let found = conditions
            .iter()
            .find(|c| c.get("type").and_then(Json::as_str) == Some(ty.as_str()));
        let now = found.and_then(|c| c.get("status")).and_then(Json::as_str);
        if now != Some(status.as_str()) {
            let shown = match found {
                None => "absent".to_string(),
                Some(c) => {
                    let mut s = now.unwrap_or("no status").to_string();
                    for key in ["reason", "message"] {
                        if let Some(x) = c.get(key).and_then(Json::as_str).filter(|x| !x.is_empty()) {
                            s.push_str(&format!(", {key}: {x:?}"));
                        }
                    }
                    s
                }
            };
            missing.push(format!("condition {ty}={status} (it is {shown})"));
        }
    }
    if wait.rollout
        && let Some(why) = rollout_pending(obj)
    {
        missing.push(format!("the rollout to finish ({why})"));
    }
    if missing.is_empty() {
        Ok(())
    } else {
        Err(missing.join("; "))
    }
}

/// Why a Deployment, StatefulSet or DaemonSet has not finished rolling out (as `kubectl rollout
/// status` judges); `None` when it has, or for any other kind.
fn rollout_pending(obj: &Json) -> Option<String> {
    let int = |p: &str| obj.pointer(p).and_then(Json::as_i64);
    let generation = int("/metadata/generation").unwrap_or(0);
    let observed = int("/status/observedGeneration").unwrap_or(0);
    if observed < generation {
        return Some(format!("observed generation {observed} of {generation}"));
    }
    let kind = obj.get("kind").and_then(Json::as_str).unwrap_or_default();
    let (want, parts): (i64, &[(&str, &str)]) = match kind {
        "Deployment" => (
            int("/spec/replicas").unwrap_or(1),
            &[
                ("/status/updatedReplicas", "updated"),
                ("/status/availableReplicas", "available"),
            ],
        ),
        "StatefulSet" => (
            int("/spec/replicas").unwrap_or(1),
            &[
                ("/status/updatedReplicas", "updated"),
                ("/status/readyReplicas", "ready"),
            ],
        ),
        "DaemonSet" => (
            int("/status/desiredNumberScheduled").unwrap_or(0),
            &[
                ("/status/updatedNumberScheduled", "updated"),
                ("/status/numberAvailable", "available"),
            ],
        ),
        _ => return None,
    };
    for (p, what) in parts {
        let n = int(p).unwrap_or(0);
        if n < want {
            return Some(format!("{n} of {want} replicas {what}"));
        }
    }
    // As `kubectl rollout status`: a Deployment is not done while old replicas still run.
    if kind == "Deployment" {
        let total = int("/status/replicas").unwrap_or(0);
        let updated = int("/status/updatedReplicas").unwrap_or(0);
        if total > updated {
            return Some(format!("{} old replicas pending termination", total - updated));
        }
    }
    None
}

// ---------------------------------------------------------------------------------------------
// Reading the configuration.

/// The first item of a block given as a list of at most one (or as an object).
fn block<'a>(v: &'a Value, name: &str) -> Option<&'a Value> {
    match v.get(name).strip_sensitive() {
        Value::List(items) => items.first(),
        m @ Value::Map(_) => Some(m),
        _ => None,
    }
}

struct Options {
    manager: String,
    force: bool,
    wait: Wait,
    create: Duration,
    update: Duration,
    delete: Duration,
    computed: Vec<Vec<Step>>,
}

fn invalid(message: String) -> ProviderError {
    ProviderError::with_code("InvalidData", message)
}

/// `computed_fields`, or Terraform's default when not set.
fn computed_fields(v: &Value) -> Value {
    match v.get("computed_fields") {
        Value::Null => Value::List(DEFAULT_COMPUTED.iter().map(|s| Value::string(*s)).collect()),
        other => other.clone(),
    }
}

impl Options {
    fn of(v: &Value, default_manager: &str) -> Result<Options, ProviderError> {
        let fm = block(v, "field_manager");
        let manager = fm
            .and_then(|f| f.get("name").as_str())
            .filter(|s| !s.is_empty())
            .unwrap_or(default_manager)
            .to_string();
        let force = fm.and_then(|f| f.get("force_conflicts").as_bool()).unwrap_or(false);
        let mut wait = Wait::default();
        if let Some(w) = block(v, "wait") {
            if let Some(fields) = w.get("fields").as_map() {
                for (path, re) in fields {
                    let steps = parse_path(path)
                        .ok_or_else(|| invalid(format!("wait.fields: {path:?} is not a field path")))?;
                    let re = match re.as_str() {
                        Some("*") | None => None,
                        Some(text) => Some(Regex::new(text).map_err(|e| {
                            invalid(format!(
                                "wait.fields[{path:?}]: {text:?} is not a regular expression: {e}"
                            ))
                        })?),
                    };
                    wait.fields.push((path.clone(), steps, re));
                }
            }
            for c in w.get("condition").as_list().into_iter().flatten() {
                let ty = c.get("type").as_str().unwrap_or_default().to_string();
                let status = c.get("status").as_str().unwrap_or("True").to_string();
                if !ty.is_empty() {
                    wait.conditions.push((ty, status));
                }
            }
            wait.rollout = w.get("rollout").as_bool().unwrap_or(false);
        }
        let mut computed = Vec::new();
        for p in computed_fields(v).as_list().into_iter().flatten() {
            if let Some(text) = p.as_str() {
                computed.push(
                    parse_path(text)
                        .ok_or_else(|| invalid(format!("computed_fields: {text:?} is not a field path")))?,
                );
            }
        }
        Ok(Options {
            manager,
            force,
            wait,
            create: crate::wait::timeout(v, "create")?,
            update: crate::wait::timeout(v, "update")?,
            delete: crate::wait::timeout(v, "delete")?,
            computed,
        })
    }
}

/// What a manifest names.
#[derive(Debug, PartialEq)]
struct Target {
    api_version: String,
    kind: String,
    name: String,
    namespace: Option<String>,
}

fn target(manifest: &Json) -> Result<Target, ProviderError> {
    let s = |p: &str| manifest.pointer(p).and_then(Json::as_str).filter(|s| !s.is_empty());
    let missing = |what: &str| {
        ProviderError::with_code(
            "MissingAttribute",
            format!("manifest.{what} is required (a string) in a kubernetes_manifest"),
        )
    };
    Ok(Target {
        api_version: s("/apiVersion").ok_or_else(|| missing("apiVersion"))?.to_string(),
        kind: s("/kind").ok_or_else(|| missing("kind"))?.to_string(),
        name: s("/metadata/name").ok_or_else(|| missing("metadata.name"))?.to_string(),
        namespace: s("/metadata/namespace").map(str::to_string),
    })
}

fn id_of(api_version: &str, kind: &str, namespace: Option<&str>, name: &str) -> String {
    match namespace {
        Some(ns) => format!("apiVersion={api_version},kind={kind},namespace={ns},name={name}"),
        None => format!("apiVersion={api_version},kind={kind},name={name}"),
    }
}

/// Parses an import id: `apiVersion=v1,kind=Secret,namespace=default,name=sample` (the namespace
/// only for namespaced kinds), in any order.
fn parse_id(id: &str) -> Result<Target, ProviderError> {
    let mut parts: BTreeMap<&str, &str> = BTreeMap::new();
    for item in id.split(',') {
        let (k, v) = item.split_once('=').ok_or_else(|| bad_id(id))?;
        parts.insert(k.trim(), v.trim());
    }
    let get = |k: &str| parts.get(k).filter(|v| !v.is_empty()).map(|v| v.to_string());
    Ok(Target {
        api_version: get("apiVersion").ok_or_else(|| bad_id(id))?,
        kind: get("kind").ok_or_else(|| bad_id(id))?,
        name: get("name").ok_or_else(|| bad_id(id))?,
        namespace: get("namespace"),
    })
}

fn bad_id(id: &str) -> ProviderError {
    ProviderError::with_code(
        "InvalidId",
        format!(
            "{id:?} is not a kubernetes_manifest id: use \"apiVersion=<v>,kind=<k>,namespace=<ns>,name=<n>\" (leave \
             out namespace for a cluster-scoped kind), e.g. \"apiVersion=v1,kind=Secret,namespace=default,name=sample\""
        ),
    )
}

/// Marks what must never be stored in clear: a Secret's `data` and `stringData`.
fn mark_secrets(kind: &str, v: Value) -> Value {
    let Value::Map(mut m) = v else {
        return v;
    };
    if kind == "Secret" {
        for key in ["data", "stringData"] {
            if let Some(x) = m.get_mut(key)
                && !x.is_null()
            {
                *x = std::mem::take(x).mark();
            }
        }
    }
    Value::Map(m)
}

/// Checks without I/O: the manifest names apiVersion, kind and metadata.name; durations, paths
/// and regular expressions parse.
pub fn validate(config: &Value) -> Vec<ProviderDiagnostic> {
    let mut out = Vec::new();
    let manifest = config.get("manifest");
    let diag = |summary: String, attr: &str| ProviderDiagnostic {
        severity: Severity::Error,
        summary,
        detail: String::new(),
        attribute: Some(plinth_sdk::AttrPath::attr(attr)),
    };
    if !manifest.contains_unknown() && !manifest.is_null() {
        match manifest.strip_sensitive() {
            Value::Map(_) => {
                if let Err(e) = target(&manifest.to_json()) {
                    out.push(diag(e.message, "manifest"));
                }
            }
            other => out.push(diag(
                format!("manifest must be an object, not a {}", other.type_name()),
                "manifest",
            )),
        }
    }
    // Each part on its own, so that every mistake is reported at once, at its attribute.
    for key in ["create", "update", "delete"] {
        if let Err(e) = crate::wait::timeout(config, key) {
            out.push(diag(e.message, "timeouts"));
        }
    }
    for (attr, part) in [("wait", "wait"), ("computed_fields", "computed_fields")] {
        let only = Value::object([(part, config.get(part).clone())]);
        if !only.contains_unknown()
            && let Err(e) = Options::of(&only, "plinth")
        {
            out.push(diag(e.message, attr));
        }
    }
    out
}

// ---------------------------------------------------------------------------------------------
// Talking to the cluster.

fn api(ctx: &Ctx, r: &Resolved, namespace: Option<&str>) -> Api<DynamicObject> {
    ctx.api_of(&r.resource, r.namespaced, namespace)
}

/// The manifest as sent: with the provider's default namespace for a namespaced kind that names
/// none, and without a namespace for a cluster-scoped one.
fn body(manifest: &Json, r: &Resolved, default_ns: &str) -> (Json, Option<String>) {
    let mut body = manifest.clone();
    let mut ns = None;
    if let Some(meta) = body.get_mut("metadata").and_then(Json::as_object_mut) {
        if r.namespaced {
            let given = meta.get("namespace").and_then(Json::as_str).filter(|s| !s.is_empty());
            let chosen = given.unwrap_or(default_ns).to_string();
            meta.insert("namespace".into(), Json::String(chosen.clone()));
            ns = Some(chosen);
        } else {
            meta.remove("namespace");
        }
    }
    (body, ns)
}

fn is_crd(t: &Target) -> bool {
    t.kind == "CustomResourceDefinition" && split_api_version(&t.api_version).0 == "apiextensions.k8s.io"
}

async fn server_side_apply(
    ctx: &Ctx,
    r: &Resolved,
    ns: Option<&str>,
    name: &str,
    body: &Json,
    params: &PatchParams,
) -> Result<Json, ProviderError> {
    let obj = api(ctx, r, ns)
        .patch(name, params, &Patch::Apply(body))
        .await
        .map_err(|e| ctx.error(e))?;
    to_json(obj)
}

/// Polls the object until `done` says yes, or fails after `limit` with what it last showed.
async fn wait_until(
    ctx: &Ctx,
    r: &Resolved,
    ns: Option<&str>,
    t: &Target,
    limit: Duration,
    done: impl Fn(&Json) -> Result<(), String>,
    failed: impl Fn(&Json) -> Option<ProviderError>,
) -> Result<Json, ProviderError> {
    let api = api(ctx, r, ns);
    let fetch = || async { to_json(api.get(&t.name).await.map_err(|e| ctx.error(e))?) };
    let check = |o: &Json| match (failed(o), done(o)) {
        (Some(e), _) => Progress::Failed(e.message),
        (None, Ok(())) => Progress::Done,
        (None, Err(why)) => Progress::Pending(why),
    };
    match poll(limit, fetch, check, |_, _| {}).await? {
        Ok(obj) => Ok(obj),
        // The same answer again, with its code.
        Err(Stopped::Failed { last, why }) => {
            Err(failed(&last).unwrap_or_else(|| ProviderError::with_code("Invalid", why)))
        }
        // Not a passing failure to retry at once: the object was applied and did not get there.
        Err(Stopped::TimedOut { pending, .. }) => Err(ProviderError::with_code(
            "WaitTimeout",
            format!(
                "{} {:?} was applied but not ready after {}: waited for {pending}",
                t.kind,
                t.name,
                crate::wait::show(limit)
            ),
        )),
    }
}

/// A CRD whose names the server refused (`NamesAccepted` False: another CRD has them) never
/// becomes Established: say so at once instead of waiting out the timeout.
fn crd_rejected(crd: &Json) -> Option<ProviderError> {
    let conditions = crd.pointer("/status/conditions")?.as_array()?;
    let c = conditions
        .iter()
        .find(|c| c.get("type").and_then(Json::as_str) == Some("NamesAccepted"))?;
    if c.get("status").and_then(Json::as_str) != Some("False") {
        return None;
    }
    let name = crd.pointer("/metadata/name").and_then(Json::as_str).unwrap_or_default();
    let message = c.get("message").and_then(Json::as_str).unwrap_or("names not accepted");
    Some(ProviderError::with_code(
        "Invalid",
        format!("CustomResourceDefinition {name:?} will not be established: {message}"),
    ))
}

/// The dry-run answer of applying `manifest` now (forced: what the object would be once Plinth
/// owns its fields), or `None` when the server does not serve the kind.
async fn dry_run(ctx: &Ctx, disc: &Discovery, opts: &Options, manifest: &Json) -> Result<Option<Json>, ProviderError> {
    let t = target(manifest)?;
    let Some(r) = disc
        .resolve(&ctx.client, &t.api_version, &t.kind, |e| ctx.error(e))
        .await?
    else {
        return Ok(None);
    };
    let (body, ns) = body(manifest, &r, &ctx.default_namespace);
    let mut params = PatchParams::apply(&opts.manager).force();
    params.dry_run = true;
    server_side_apply(ctx, &r, ns.as_deref(), &t.name, &body, &params)
        .await
        .map(Some)
}

/// Plans an instance: replacement when the object's kind (group), name or namespace changes;
/// otherwise `object` stays as refreshed when the server's dry run of the manifest agrees with it,
/// and is the dry run's answer (projected) when the apply would change something. A create, a
/// manifest with unknown values or a kind not served yet plans `object` unknown.
pub async fn plan(ctx: &Ctx, disc: &Discovery, req: &PlanRequest) -> Result<PlanResponse, ProviderError> {
    let mut planned = req.config.as_map().cloned().unwrap_or_default();
    planned.insert("computed_fields".into(), computed_fields(&req.config));
    let manifest = req.config.get("manifest");
    // A Secret's values stay out of state and plans in clear, however the configuration gave them.
    if let Some(kind) = manifest.get("kind").as_str() {
        planned.insert("manifest".into(), mark_secrets(kind, manifest.clone()));
    }
    let known = !manifest.contains_unknown();
    let now = if known { target(&manifest.to_json()).ok() } else { None };
    let mut requires_replace = Vec::new();
    let prior = req.prior.as_ref();
    let before = prior.and_then(|p| target(&p.get("manifest").to_json()).ok());
    if let (Some(now), Some(before)) = (&now, &before) {
        let group = |t: &Target| split_api_version(&t.api_version).0.to_string();
        let step = |k: &str| PathStep::Key(k.to_string());
        let at = |steps: Vec<PathStep>| {
            let mut v = vec![PathStep::Attr("manifest".into())];
            v.extend(steps);
            plinth_sdk::AttrPath(v)
        };
        if group(now) != group(before) {
            requires_replace.push(at(vec![step("apiVersion")]));
        }
        if now.kind != before.kind {
            requires_replace.push(at(vec![step("kind")]));
        }
        if now.name != before.name {
            requires_replace.push(at(vec![step("metadata"), step("name")]));
        }
        if now.namespace != before.namespace {
            requires_replace.push(at(vec![step("metadata"), step("namespace")]));
        }
    }
    let update = prior.filter(|_| requires_replace.is_empty());
    // The namespace of an update is the one it has; a create without one learns it at apply.
    let id = match (&now, update) {
        (Some(t), _) if t.namespace.is_some() => {
            Value::string(id_of(&t.api_version, &t.kind, t.namespace.as_deref(), &t.name))
        }
        (Some(t), Some(p)) => match p.get("id").as_str().and_then(|id| parse_id(id).ok()) {
            Some(old) => Value::string(id_of(&t.api_version, &t.kind, old.namespace.as_deref(), &t.name)),
            None => Value::Unknown,
        },
        _ => Value::Unknown,
    };
    planned.insert("id".into(), id);
    let object = match update {
        Some(p) if known => {
            let opts = Options::of(&Value::Map(planned.clone()), &ctx.field_manager)?;
            let manifest = manifest.to_json();
            let answer = match dry_run(ctx, disc, &opts, &manifest).await {
                // An identity that may read but not write (a plan-only CI job) cannot ask for a
                // dry run: compare the manifest itself with the refreshed object instead, which
                // only misses values the server rewrites (and then plans an update).
                Err(e) if e.code.as_deref() == Some("Forbidden") => {
                    tracing::debug!("no dry run for {}: {}", req.address, e.message);
                    Some(manifest.clone())
                }
                other => other?,
            };
            match answer {
                Some(result) => {
                    let would = project_object(&manifest, &result);
                    if agree(&would, &p.get("object").to_json(), &opts.computed) {
                        p.get("object").clone()
                    } else {
                        // Known: the plan shows exactly which fields the apply changes.
                        let kind = manifest.get("kind").and_then(Json::as_str).unwrap_or_default();
                        mark_secrets(kind, Value::from_json(&would))
                    }
                }
                None => Value::Unknown,
            }
        }
        _ => Value::Unknown,
    };
    planned.insert("object".into(), object);
    Ok(PlanResponse {
        planned: Value::Map(planned),
        requires_replace,
    })
}

/// The new state after an apply or a read: the planned value with `object` and `id` from `live`.
fn state_of(v: &Value, t: &Target, ns: Option<&str>, manifest: &Json, live: &Json) -> Value {
    let object = mark_secrets(&t.kind, Value::from_json(&project_object(manifest, live)));
    let id = Value::string(id_of(&t.api_version, &t.kind, ns, &t.name));
    let mut m = v.as_map().cloned().unwrap_or_default();
    m.insert("object".into(), object);
    m.insert("id".into(), id);
    m.insert("computed_fields".into(), computed_fields(v));
    Value::Map(m)
}

/// Resolves a kind for apply: a miss asks the server again a few times, since a CRD established a
/// moment ago may take a moment to be served.
async fn resolve_for_apply(ctx: &Ctx, disc: &Discovery, t: &Target) -> Result<Resolved, ProviderError> {
    for _ in 0..4 {
        if let Some(r) = disc
            .resolve(&ctx.client, &t.api_version, &t.kind, |e| ctx.error(e))
            .await?
        {
            return Ok(r);
        }
        tokio::time::sleep(DISCOVERY_RETRY).await;
    }
    disc.require(&ctx.client, &t.api_version, &t.kind, |e| ctx.error(e))
        .await
}

pub async fn apply(ctx: &Ctx, disc: &Discovery, req: &ApplyRequest) -> Result<ApplyResponse, ProviderError> {
    match (&req.prior, &req.planned) {
        (_, Some(planned)) => {
            let opts = Options::of(planned, &ctx.field_manager)?;
            let manifest = planned.get("manifest").to_json();
            let t = target(&manifest)?;
            let r = resolve_for_apply(ctx, disc, &t).await?;
            let (body, ns) = body(&manifest, &r, &ctx.default_namespace);
            let mut params = PatchParams::apply(&opts.manager);
            if opts.force {
                params = params.force();
            }
            let mut live = server_side_apply(ctx, &r, ns.as_deref(), &t.name, &body, &params).await?;
            let limit = if req.prior.is_some() { opts.update } else { opts.create };
            // The object is written: a wait that fails from here returns its state with the error,
            // so that the engine keeps it (tainted after a create) instead of losing it.
            let written = |e: ProviderError, obj: &Json| {
                e.with_partial_state(state_of(planned, &t, ns.as_deref(), &manifest, obj))
            };
            if is_crd(&t) {
                // Objects of the new kind apply next: they need it served.
                let established = Wait {
                    conditions: vec![("Established".into(), "True".into())],
                    ..Wait::default()
                };
                live = wait_until(ctx, &r, None, &t, limit, |o| check_wait(&established, o), crd_rejected)
                    .await
                    .map_err(|e| written(e, &live))?;
                disc.forget();
            }
            if !opts.wait.is_empty() {
                live = wait_until(
                    ctx,
                    &r,
                    ns.as_deref(),
                    &t,
                    limit,
                    |o| check_wait(&opts.wait, o),
                    |_| None,
                )
                .await
                .map_err(|e| written(e, &live))?;
            }
            Ok(ApplyResponse {
                new_state: Some(state_of(planned, &t, ns.as_deref(), &manifest, &live)),
            })
        }
        (Some(prior), None) => {
            delete(ctx, disc, prior, &req.address).await?;
            Ok(ApplyResponse { new_state: None })
        }
        (None, None) => Ok(ApplyResponse { new_state: None }),
    }
}

/// Where a stored instance lives: its target, with the namespace from the id when the manifest
/// left it to the provider's default.
fn stored_target(state: &Value) -> Result<(Target, Json), ProviderError> {
    let manifest = state.get("manifest").to_json();
    let mut t = target(&manifest)?;
    if t.namespace.is_none()
        && let Some(old) = state.get("id").as_str().and_then(|id| parse_id(id).ok())
    {
        t.namespace = old.namespace;
    }
    Ok((t, manifest))
}

async fn delete(ctx: &Ctx, disc: &Discovery, prior: &Value, address: &str) -> Result<(), ProviderError> {
    let opts = Options::of(prior, &ctx.field_manager)?;
    let (t, _) = stored_target(prior)?;
    // The kind gone (its CRD deleted) means its objects are gone too.
    let Some(r) = disc
        .resolve(&ctx.client, &t.api_version, &t.kind, |e| ctx.error(e))
        .await?
    else {
        return Ok(());
    };
    let ns = t
        .namespace
        .clone()
        .or_else(|| r.namespaced.then(|| ctx.default_namespace.clone()));
    ctx.delete_and_wait(
        api(ctx, &r, ns.as_deref()),
        &t.kind,
        &t.name,
        &DeleteParams::background(),
        address,
        opts.delete,
    )
    .await
}

/// The refreshed state of one instance from its live object.
fn refreshed(
    ctx: &Ctx,
    prior: &Value,
    t: &Target,
    ns: Option<&str>,
    manifest: &Json,
    live: &Json,
) -> Result<Value, ProviderError> {
    let mut state = state_of(prior, t, ns, manifest, live);
    // Fields a controller may change keep the value the last apply saw: not drift.
    let opts = Options::of(prior, &ctx.field_manager)?;
    if !opts.computed.is_empty() {
        let mut object = state.get("object").to_json();
        let before = prior.get("object").to_json();
        for p in &opts.computed {
            match lookup(&before, p) {
                Some(v) => set_path(&mut object, p, v.clone()),
                None => remove_path(&mut object, p),
            }
        }
        let object = mark_secrets(&t.kind, Value::from_json(&object));
        state = state.with_at(&plinth_sdk::AttrPath::attr("object"), object);
    }
    Ok(state)
}

/// Refreshes instances: objects of a kind whose CRD is gone, or that are gone, are `None`. Objects
/// of one kind in one namespace are read with one LIST when there are two or more of them, else
/// with one GET ([`Ctx::read_batched`]).
pub async fn read(ctx: &Ctx, disc: &Discovery, req: &ReadRequest) -> Result<ReadResponse, ProviderError> {
    struct Located {
        t: Target,
        manifest: Json,
        at: Option<(Resolved, Option<String>)>,
    }
    let mut located = Vec::with_capacity(req.instances.len());
    for inst in &req.instances {
        let (t, manifest) = stored_target(&inst.state)?;
        let at = disc
            .resolve(&ctx.client, &t.api_version, &t.kind, |e| ctx.error(e))
            .await?
            .map(|r| {
                let ns = t
                    .namespace
                    .clone()
                    .filter(|_| r.namespaced)
                    .or_else(|| r.namespaced.then(|| ctx.default_namespace.clone()));
                (r, ns)
            });
        located.push(Located { t, manifest, at });
    }
    let wanted: Vec<Option<Wanted>> = located
        .iter()
        .map(|l| {
            l.at.as_ref().map(|(r, ns)| Wanted {
                api: ctx.api_of(&r.resource, r.namespaced, ns.as_deref()),
                group: (format!("{}/{}", r.resource.api_version, r.resource.kind), ns.clone()),
                name: l.t.name.clone(),
            })
        })
        .collect();
    let live = ctx.read_batched(&wanted).await?;
    let states = located
        .iter()
        .zip(&live)
        .zip(&req.instances)
        .map(|((l, obj), inst)| match (obj, &l.at) {
            (Some(obj), Some((_, ns))) => refreshed(ctx, &inst.state, &l.t, ns.as_deref(), &l.manifest, obj).map(Some),
            _ => Ok(None),
        })
        .collect::<Result<_, _>>()?;
    Ok(ReadResponse { states })
}

/// Server-managed metadata left out of an imported manifest.
const SERVER_METADATA: [&str; 8] = [
    "uid",
    "resourceVersion",
    "generation",
    "creationTimestamp",
    "managedFields",
    "selfLink",
    "deletionTimestamp",
    "deletionGracePeriodSeconds",
];

/// Adopts an existing object: its manifest is the live object without status and server-managed
/// metadata, so the next plan shows what the configuration changes.
pub async fn import(ctx: &Ctx, disc: &Discovery, req: &ImportRequest) -> Result<Value, ProviderError> {
    let t = parse_id(&req.id)?;
    let r = disc
        .require(&ctx.client, &t.api_version, &t.kind, |e| ctx.error(e))
        .await?;
    if !r.namespaced && t.namespace.is_some() {
        return Err(ProviderError::with_code(
            "InvalidId",
            format!(
                "{} is cluster-scoped: leave namespace out of the id {:?}",
                t.kind, req.id
            ),
        ));
    }
    let ns = t
        .namespace
        .clone()
        .or_else(|| r.namespaced.then(|| ctx.default_namespace.clone()));
    let live = match api(ctx, &r, ns.as_deref())
        .get_opt(&t.name)
        .await
        .map_err(|e| ctx.error(e))?
    {
        Some(o) => to_json(o)?,
        None => {
            return Err(ProviderError::with_code(
                "NotFound",
                format!(
                    "{} {:?} does not exist in {}",
                    t.kind,
                    match &ns {
                        Some(ns) => format!("{ns}/{}", t.name),
                        None => t.name.clone(),
                    },
                    ctx.server
                ),
            ));
        }
    };
    let mut manifest = live.clone();
    if let Some(m) = manifest.as_object_mut() {
        m.remove("status");
        if let Some(meta) = m.get_mut("metadata").and_then(Json::as_object_mut) {
            for k in SERVER_METADATA {
                meta.remove(k);
            }
        }
    }
    let base = Value::object([
        ("manifest", mark_secrets(&t.kind, Value::from_json(&manifest))),
        ("computed_fields", Value::Null),
        ("field_manager", Value::List(Vec::new())),
        ("wait", Value::List(Vec::new())),
        ("timeouts", Value::List(Vec::new())),
    ]);
    Ok(state_of(&base, &t, ns.as_deref(), &manifest, &live))
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn the_projection_keeps_what_the_manifest_declares_and_drops_the_rest() {
        let manifest = json!({
            "apiVersion": "apps/v1", "kind": "Deployment",
            "metadata": {"name": "d", "labels": {"app": "d"}},
            "spec": {"replicas": 2, "template": {"spec": {"containers": [
                {"name": "main", "image": "x", "resources": {"requests": {"cpu": "1000m"}}}
            ]}}}
        });
        let live = json!({
            "apiVersion": "apps/v1", "kind": "Deployment",
            "metadata": {"name": "d", "namespace": "ml", "uid": "u", "labels": {"app": "d", "team": "other"},
                         "managedFields": []},
            "spec": {"replicas": 3, "strategy": {"type": "RollingUpdate"}, "template": {"spec": {"containers": [
                {"name": "sidecar", "image": "y"},
                {"name": "main", "image": "x", "imagePullPolicy": "Always", "resources": {"requests": {"cpu": "1"}}}
            ]}}},
            "status": {"replicas": 3}
        });
        assert_eq!(
            project(&manifest, &live),
            json!({
                "apiVersion": "apps/v1", "kind": "Deployment",
                "metadata": {"name": "d", "labels": {"app": "d"}},
                "spec": {"replicas": 3, "template": {"spec": {"containers": [
                    {"name": "main", "image": "x", "resources": {"requests": {"cpu": "1"}}}
                ]}}}
            })
        );
        // A declared field the object lacks is missing from the projection (a difference).
        let gone = project(&json!({"spec": {"paused": true}}), &json!({"spec": {}}));
        assert_eq!(gone, json!({"spec": {}}));
        // Lists without names are taken whole.
        let args = project(&json!({"args": ["a"]}), &json!({"args": ["a", "b"]}));
        assert_eq!(args, json!({"args": ["a", "b"]}));
    }

    #[test]
    fn a_secrets_data_is_projected_whole_whatever_keys_the_manifest_names() {
        let live = json!({"apiVersion": "v1", "kind": "Secret", "metadata": {"name": "s"},
                          "data": {"a": "YQ==", "b": "Yg=="}, "type": "Opaque"});
        let given = json!({"apiVersion": "v1", "kind": "Secret", "metadata": {"name": "s"},
                           "data": {"a": "YQ=="}, "stringData": {"b": "b"}});
        // As stored: the secret values redacted.
        let redacted = json!({"apiVersion": "v1", "kind": "Secret", "metadata": {"name": "s"},
                              "data": null, "stringData": null});
        let expected = json!({"apiVersion": "v1", "kind": "Secret", "metadata": {"name": "s"},
                              "data": {"a": "YQ==", "b": "Yg=="}});
        assert_eq!(project_object(&given, &live), expected);
        assert_eq!(project_object(&redacted, &live), expected);
    }

    #[test]
    fn computed_fields_are_left_out_of_the_comparison() {
        let computed = vec![parse_path("metadata.annotations").expect("path")];
        let a = json!({"metadata": {"name": "x", "annotations": {"a": "1"}}, "spec": {"n": 1}});
        let b = json!({"metadata": {"name": "x", "annotations": {"a": "2"}}, "spec": {"n": 1}});
        assert!(agree(&a, &b, &computed));
        assert!(!agree(&a, &b, &[]));
        let c = json!({"metadata": {"name": "x"}, "spec": {"n": 2}});
        assert!(!agree(&a, &c, &computed));
    }

    #[test]
    fn field_paths_and_durations_parse_as_terraform_writes_them() {
        assert_eq!(
            parse_path("status.containerStatuses[0].ready"),
            Some(vec![
                Step::Key("status".into()),
                Step::Key("containerStatuses".into()),
                Step::Index(0),
                Step::Key("ready".into())
            ])
        );
        assert_eq!(
            parse_path("data[\"tls.crt\"]"),
            Some(vec![Step::Key("data".into()), Step::Key("tls.crt".into())])
        );
        assert_eq!(parse_path("a..b"), None);
        assert_eq!(parse_path(""), None);
    }

    #[test]
    fn a_wait_names_what_it_awaited_and_what_the_object_showed() {
        let wait = Wait {
            fields: vec![(
                "status.phase".into(),
                parse_path("status.phase").expect("path"),
                Some(Regex::new("^Ready$").expect("re")),
            )],
            conditions: vec![("Ready".into(), "True".into())],
            rollout: false,
        };
        let pending = json!({"status": {"phase": "Pending", "conditions": [
            {"type": "Ready", "status": "False", "reason": "NotYet"}
        ]}});
        let why = check_wait(&wait, &pending).expect_err("not ready");
        assert_eq!(
            why,
            "status.phase to match /^Ready$/ (it is \"Pending\"); condition Ready=True (it is False, reason: \"NotYet\")"
        );
        let ready = json!({"status": {"phase": "Ready", "conditions": [{"type": "Ready", "status": "True"}]}});
        assert_eq!(check_wait(&wait, &ready), Ok(()));
        let rollout = Wait {
            rollout: true,
            ..Wait::default()
        };
        let deploy = json!({"kind": "Deployment", "metadata": {"generation": 2}, "spec": {"replicas": 2},
                            "status": {"observedGeneration": 2, "updatedReplicas": 2, "availableReplicas": 1}});
        assert_eq!(
            check_wait(&rollout, &deploy),
            Err("the rollout to finish (1 of 2 replicas available)".into())
        );
        let old = json!({"kind": "Deployment", "metadata": {"generation": 2}, "spec": {"replicas": 2},
                         "status": {"observedGeneration": 2, "replicas": 3, "updatedReplicas": 2, "availableReplicas": 2}});
        assert_eq!(
            check_wait(&rollout, &old),
            Err("the rollout to finish (1 old replicas pending termination)".into())
        );
        let done = json!({"kind": "Deployment", "metadata": {"generation": 2}, "spec": {"replicas": 2},
                          "status": {"observedGeneration": 2, "replicas": 2, "updatedReplicas": 2, "availableReplicas": 2}});
        assert_eq!(check_wait(&rollout, &done), Ok(()));
    }

    #[test]
    fn a_crd_whose_names_are_taken_fails_at_once() {
        let crd = json!({"metadata": {"name": "b.example.com"}, "status": {"conditions": [
            {"type": "NamesAccepted", "status": "False", "reason": "MultipleNamesNotAllowed",
             "message": "\"as\" is already in use"},
            {"type": "Established", "status": "False"}
        ]}});
        let e = crd_rejected(&crd).expect("rejected");
        assert_eq!(
            e.message,
            "CustomResourceDefinition \"b.example.com\" will not be established: \"as\" is already in use"
        );
        let ok = json!({"status": {"conditions": [{"type": "NamesAccepted", "status": "True"}]}});
        assert!(crd_rejected(&ok).is_none());
    }

    #[test]
    fn import_ids_follow_terraform() {
        let t = parse_id("apiVersion=v1,kind=Secret,namespace=default,name=sample").expect("id");
        assert_eq!(
            t,
            Target {
                api_version: "v1".into(),
                kind: "Secret".into(),
                name: "sample".into(),
                namespace: Some("default".into())
            }
        );
        assert_eq!(
            id_of("v1", "Secret", Some("default"), "sample"),
            "apiVersion=v1,kind=Secret,namespace=default,name=sample"
        );
        let cluster =
            parse_id("apiVersion=apiextensions.k8s.io/v1,kind=CustomResourceDefinition,name=x.y.z").expect("id");
        assert_eq!(cluster.namespace, None);
        assert!(parse_id("default/sample").is_err());
    }

    #[test]
    fn validate_reports_a_manifest_without_kind_and_a_bad_regex() {
        let config = Value::object([
            (
                "manifest",
                Value::object([
                    ("apiVersion", Value::string("v1")),
                    ("metadata", Value::object([("name", Value::string("x"))])),
                ]),
            ),
            (
                "wait",
                Value::List(vec![Value::object([(
                    "fields",
                    Value::object([("status.phase", Value::string("(("))]),
                )])]),
            ),
            (
                "timeouts",
                Value::List(vec![Value::object([
                    ("create", Value::string("ten minutes")),
                    ("update", Value::Null),
                    ("delete", Value::Null),
                ])]),
            ),
        ]);
        let ds = validate(&config);
        let summaries: Vec<(&str, Option<&plinth_sdk::AttrPath>)> =
            ds.iter().map(|d| (d.summary.as_str(), d.attribute.as_ref())).collect();
        assert_eq!(ds.len(), 3, "{summaries:?}");
        assert!(ds[0].summary.contains("manifest.kind is required"), "{}", ds[0].summary);
        assert!(
            ds[1].summary.contains("timeouts.create \"ten minutes\""),
            "{}",
            ds[1].summary
        );
        assert_eq!(ds[1].attribute, Some(plinth_sdk::AttrPath::attr("timeouts")));
        assert!(ds[2].summary.contains("not a regular expression"), "{}", ds[2].summary);
        assert_eq!(ds[2].attribute, Some(plinth_sdk::AttrPath::attr("wait")));
    }

    #[test]
    fn a_secrets_data_is_marked_sensitive() {
        let v = mark_secrets(
            "Secret",
            Value::object([("data", Value::object([("k", Value::string("djE="))]))]),
        );
        assert!(v.get("data").is_sensitive());
    }
}
