//! `plinth-kubernetes`: the Kubernetes provider — namespaces, GPU quotas, service accounts, RBAC
//! roles and bindings, secrets and config maps, and the workloads of an ML platform
//! (deployments, services, autoscalers, jobs, cron jobs, priority classes, claims, network
//! policies, disruption budgets, limit ranges), through kube-rs.
//!
//! Every type is a row in [`kinds`] (its Kubernetes kind, schema and [`fields`] mapping); this
//! file holds the provider block and the one planning/apply/refresh logic they all share:
//!
//! - **apply** is a server-side apply (`PATCH …?fieldManager=plinth&force=true`) of exactly the
//!   configured fields, so a field removed from the configuration is removed from the object while
//!   fields other managers own are left alone;
//! - **refresh** reads objects back in batches (`Ctx::read_batched`: one `LIST` per namespace
//!   holding two or more objects of the type, else one `GET`), and reports each attribute by the
//!   one rule of [`fields`]
//!   (prior set it, Plinth owns it per `metadata.managedFields`, import, or computed);
//! - after a write, apply waits for what the kind waits for ([`wait`]: a rollout, a Job's
//!   completion, a claim's binding);
//! - **delete** uses the kind's propagation policy and waits until the object is gone
//!   (namespaces finish their own clean-up first).
//!
//! Names follow Terraform's kubernetes provider (`metadata { name namespace labels }`, `rule {}`,
//! `role_ref {}`, `subject {}`), so configurations port with little change.

pub mod client;
pub mod data;
pub mod discovery;
pub mod fields;
pub mod kinds;
pub mod manifest;
pub mod quantity;
pub mod retry;
pub mod wait;

use std::sync::Arc;

use async_trait::async_trait;
use plinth_sdk::Map;
use plinth_sdk::plan::same;
use plinth_sdk::{
    ApplyRequest, ApplyResponse, AttrPath, Attribute, ConfigureRequest, ImportRequest, PathStep, PlanRequest,
    PlanResponse, Provider, ProviderDiagnostic, ProviderError, ProviderSchema, ReadDataRequest, ReadRequest,
    ReadResponse, ResourceMode, Schema, Severity, Type, ValidateRequest, Value,
};
use serde_json::Value as Json;
use tokio::sync::OnceCell;

use crate::client::{Ctx, Settings, Wanted, classify};
use crate::fields::Owned;
use crate::kinds::{Kind, kinds};

/// The provider's name and the prefix of its type names.
pub const PROVIDER_NAME: &str = "kubernetes";

fn provider_schema() -> Schema {
    Schema::new(
        "A Kubernetes cluster. The connection comes from the kubeconfig chain (KUBECONFIG, ~/.kube/config, or the \
         in-cluster service account) unless `host` is set. Credentials are never stored or printed.",
    )
    .attr(
        "config_path",
        Attribute::optional(Type::String)
            .describe("Kubeconfig file to use (`~` allowed); default KUBECONFIG or ~/.kube/config."),
    )
    .attr(
        "config_context",
        Attribute::optional(Type::String).describe("Kubeconfig context to use; default its current context."),
    )
    .attr(
        "host",
        Attribute::optional(Type::String).describe("API server URL; when set, the kubeconfig is not read."),
    )
    .attr(
        "token",
        Attribute::optional(Type::String)
            .sensitive()
            .describe("Bearer token; use secret(\"keyring:...\") or secret(\"env:...\"), never a literal."),
    )
    .attr(
        "cluster_ca_certificate",
        Attribute::optional(Type::String).describe("PEM certificate(s) of the cluster's CA, with `host`."),
    )
    .attr(
        "insecure",
        Attribute::optional(Type::Bool).describe("Skip verifying the server's certificate (test clusters only)."),
    )
    .attr(
        "field_manager",
        Attribute::optional(Type::String).describe(
            "Server-side apply field manager; default `plinth`. Two configurations managing one cluster should differ.",
        ),
    )
    .attr(
        "max_retries",
        Attribute::optional(Type::Number).describe(
            "Retries of a request that met throttling (429), a 5xx answer or a broken connection, with exponential \
             backoff and jitter; default 9 (a Plinth extension: Terraform's provider has no such setting).",
        ),
    )
}

/// The Kubernetes provider.
#[derive(Default)]
pub struct KubernetesProvider {
    ctx: OnceCell<Ctx>,
    /// Kinds resolved through API discovery (`kubernetes_manifest`, `kubernetes_resources`).
    discovery: discovery::Discovery,
}

impl KubernetesProvider {
    pub fn new() -> Self {
        KubernetesProvider {
            ctx: OnceCell::new(),
            discovery: discovery::Discovery::default(),
        }
    }

    fn ctx(&self) -> Result<&Ctx, ProviderError> {
        self.ctx
            .get()
            .ok_or_else(|| ProviderError::new("the kubernetes provider was used before it was configured"))
    }
}

fn kind_of(type_name: &str) -> Result<&'static Kind, ProviderError> {
    kinds().get(type_name).copied().ok_or_else(|| {
        ProviderError::with_code(
            "UnsupportedType",
            format!("the kubernetes provider has no resource type {type_name:?}"),
        )
    })
}

/// The single `metadata` block of a value.
fn meta(v: &Value) -> &Value {
    v.get("metadata")
        .as_list()
        .and_then(|l| l.first())
        .unwrap_or(&Value::Null)
}

fn meta_path(attr: &str) -> AttrPath {
    AttrPath(vec![
        PathStep::Attr("metadata".into()),
        PathStep::Index(0),
        PathStep::Attr(attr.into()),
    ])
}

/// Namespace and name of a planned or stored value.
fn locate<'a>(kind: &Kind, v: &'a Value) -> Result<(Option<&'a str>, &'a str), ProviderError> {
    let m = meta(v);
    let name = m.get("name").as_str().ok_or_else(|| {
        ProviderError::with_code("MissingAttribute", "metadata.name is required").at(meta_path("name"))
    })?;
    let ns = if kind.namespaced {
        m.get("namespace").as_str()
    } else {
        None
    };
    Ok((ns, name))
}

fn id_of(ns: Option<&str>, name: &str) -> String {
    match ns {
        Some(ns) => format!("{ns}/{name}"),
        None => name.to_string(),
    }
}

/// The configuration with the defaults the cluster would fill in: the namespace, and the kind's own.
fn normalize(kind: &Kind, config: &Value, default_ns: &str) -> Map {
    let mut v = config.as_map().cloned().unwrap_or_default();
    if kind.namespaced {
        kinds::for_each_item(&mut v, "metadata", |m| {
            if m.get("namespace").is_none_or(Value::is_null) {
                m.insert("namespace".into(), Value::string(default_ns));
            }
        });
    }
    (kind.defaults)(&mut v);
    v
}

/// The path of a dotted force-new entry (`spec.selector`): every step but the last is a single
/// block, so its first item (`spec[0].selector`).
fn single_block_path(dotted: &str) -> AttrPath {
    let mut steps = Vec::new();
    let mut parts = dotted.split('.').peekable();
    while let Some(part) = parts.next() {
        steps.push(PathStep::Attr(part.to_string()));
        if parts.peek().is_some() {
            steps.push(PathStep::Index(0));
        }
    }
    AttrPath(steps)
}

fn plan(kind: &Kind, default_ns: &str, req: &PlanRequest) -> PlanResponse {
    let mut planned = normalize(kind, &req.config, default_ns);
    let prior = req.prior.as_ref();
    let mut requires_replace = Vec::new();
    if let Some(p) = prior {
        let attrs = if kind.namespaced {
            &["name", "namespace"][..]
        } else {
            &["name"][..]
        };
        let desired = Value::Map(planned.clone());
        for attr in attrs {
            if !same(meta(&desired).get(attr), meta(p).get(attr)) {
                requires_replace.push(meta_path(attr));
            }
        }
        for attr in kind.force_new {
            let path = single_block_path(attr);
            let null = Value::Null;
            if !same(desired.at(&path).unwrap_or(&null), p.at(&path).unwrap_or(&null)) {
                requires_replace.push(path);
            }
        }
        // The API server refuses to change the data of an immutable Secret or ConfigMap.
        if p.get("immutable").as_bool() == Some(true) {
            for attr in ["data", "binary_data"] {
                if kind.schema.attributes.contains_key(attr)
                    && !same(planned.get(attr).unwrap_or(&Value::Null), p.get(attr))
                {
                    requires_replace.push(AttrPath::attr(attr));
                }
            }
        }
    }
    // Computed attributes (the uid, a Service's cluster IP) stay through an update; a create or
    // a replacement learns them from the cluster. (`resourceVersion` is not kept: it changes with
    // every write by anyone, which is not drift.)
    fields::plan_computed(&mut planned, kind.fields, prior.filter(|_| requires_replace.is_empty()));
    let as_value = Value::Map(planned.clone());
    // Known at plan time when the name (and namespace) are: the clone guard compares it.
    let id = match locate(kind, &as_value) {
        Ok((ns, name)) if ns.is_some() || !kind.namespaced => Value::string(id_of(ns, name)),
        _ => Value::Unknown,
    };
    planned.insert("id".into(), id);
    PlanResponse {
        // The `timeouts` block only when set: a state written before the kind had it plans no change.
        planned: plinth_sdk::timeouts::keep(Value::Map(planned), &req.config),
        requires_replace,
    }
}

/// The request body for server-side apply.
fn body(kind: &Kind, planned: &Value) -> Result<Json, ProviderError> {
    let mut obj = serde_json::Map::new();
    obj.insert("apiVersion".into(), Json::String(kind.api_version()));
    obj.insert("kind".into(), Json::String(kind.kind.to_string()));
    obj.extend(fields::to_json(planned, kind.fields)?);
    Ok(Json::Object(obj))
}

/// This field manager's `fieldsV1` tree in `obj`, if it owns anything there.
fn owned_by<'a>(obj: &'a Json, manager: &str) -> Option<&'a Json> {
    obj.pointer("/metadata/managedFields")?
        .as_array()?
        .iter()
        .filter(|e| e.get("manager").and_then(Json::as_str) == Some(manager))
        .find_map(|e| e.get("fieldsV1"))
}

/// The state value of a live object. `prior`: the previous state (null on import).
/// `e`, an error after `obj` was written, with the state `obj` gives as partial state (see
/// `ProviderError::with_partial_state`). Should that state not be readable, the error stays as
/// it is: the wait's failure is what the user must see.
pub(crate) fn with_written(e: ProviderError, kind: &Kind, ctx: &Ctx, obj: &Json, planned: &Value) -> ProviderError {
    match state_of(kind, ctx, obj, planned) {
        Ok(state) => e.with_partial_state(state),
        Err(not_read) => {
            tracing::warn!(
                "the state of the written object could not be read: {}",
                not_read.message
            );
            e
        }
    }
}

fn state_of(kind: &Kind, ctx: &Ctx, obj: &Json, prior: &Value) -> Result<Value, ProviderError> {
    let owned = Owned(owned_by(obj, &ctx.field_manager));
    let Value::Map(mut m) = fields::from_json(obj, kind.fields, prior, owned, prior.is_null())? else {
        return Err(ProviderError::with_code(
            "Decode",
            "the API server returned something that is not an object",
        ));
    };
    for (name, _) in kind.schema.attributes.iter().filter(|(_, a)| a.sensitive) {
        if let Some(x) = m.get_mut(name)
            && !x.is_null()
        {
            *x = std::mem::take(x).mark();
        }
    }
    // Plinth's own attributes (`wait_for_rollout`) are not in the object: kept from the prior,
    // and on import set as a configuration that leaves them out plans them.
    for local in kind.locals {
        let v = if prior.is_null() {
            Value::Null
        } else {
            prior.get(local).clone()
        };
        m.insert((*local).to_string(), v);
    }
    if prior.is_null() && !kind.locals.is_empty() {
        (kind.defaults)(&mut m);
    }
    let v = plinth_sdk::timeouts::keep(Value::Map(m), prior);
    let (ns, name) = locate(kind, &v)?;
    let id = Value::string(id_of(ns, name));
    Ok(v.with_at(&AttrPath::attr("id"), id))
}

fn is_dns_subdomain(s: &str) -> bool {
    !s.is_empty()
        && s.len() <= 253
        && s.bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-' || b == b'.')
        && s.bytes().next().is_some_and(|b| b.is_ascii_alphanumeric())
        && s.bytes().last().is_some_and(|b| b.is_ascii_alphanumeric())
}

fn validate(config: &Value) -> Vec<ProviderDiagnostic> {
    let mut out = Vec::new();
    let m = meta(config);
    for attr in ["name", "namespace"] {
        if let Some(s) = m.get(attr).as_str()
            && !is_dns_subdomain(s)
        {
            out.push(ProviderDiagnostic {
                severity: Severity::Error,
                summary: format!("metadata.{attr} {s:?} is not a valid Kubernetes name"),
                detail: "Use lowercase letters, digits, '-' and '.', starting and ending with a letter or digit \
                         (at most 253 characters)."
                    .into(),
                attribute: Some(meta_path(attr)),
            });
        }
    }
    out.extend(plinth_sdk::timeouts::validate(config));
    if let Some(rules) = config.get("rule").as_list() {
        for (i, r) in rules.iter().enumerate() {
            if r.get("verbs").as_list().is_some_and(Vec::is_empty) {
                out.push(ProviderDiagnostic {
                    severity: Severity::Error,
                    summary: format!("rule {} has no verbs", i + 1),
                    detail: "A rule allows nothing without verbs; name the verbs (get, list, watch, ...).".into(),
                    attribute: Some(AttrPath(vec![
                        PathStep::Attr("rule".into()),
                        PathStep::Index(i),
                        PathStep::Attr("verbs".into()),
                    ])),
                });
            }
        }
    }
    out
}

#[async_trait]
impl Provider for KubernetesProvider {
    fn name(&self) -> &str {
        PROVIDER_NAME
    }

    fn schema(&self) -> ProviderSchema {
        ProviderSchema {
            provider: provider_schema(),
            resources: kinds()
                .iter()
                .map(|(n, k)| (n.clone(), k.schema.clone()))
                .chain([(manifest::TYPE_NAME.to_string(), manifest::schema())])
                .collect(),
            data_sources: data::schemas(),
        }
    }

    async fn configure(&self, req: ConfigureRequest) -> Result<(), ProviderError> {
        async move {
            let settings = Settings::from_config(&req.config, &req.working_dir);
            self.ctx.get_or_try_init(|| Ctx::connect(&settings)).await?;
            Ok(())
        }
        .await
        .map_err(classify)
    }

    fn validate(&self, req: &ValidateRequest) -> Vec<ProviderDiagnostic> {
        // The data sources (`kubernetes_namespace` and `kubernetes_secret` share their names
        // with resources) are only read: the resources' checks are not theirs.
        if req.mode == ResourceMode::Data {
            return Vec::new();
        }
        if req.type_name == manifest::TYPE_NAME {
            return manifest::validate(&req.config);
        }
        match kinds().get(req.type_name.as_str()) {
            Some(_) => validate(&req.config),
            None => Vec::new(),
        }
    }

    async fn plan(&self, req: PlanRequest) -> Result<PlanResponse, ProviderError> {
        async move {
            if req.type_name == manifest::TYPE_NAME {
                return manifest::plan(self.ctx()?, &self.discovery, &req).await;
            }
            let kind = kind_of(&req.type_name)?;
            Ok(plan(kind, &self.ctx()?.default_namespace, &req))
        }
        .await
        .map_err(classify)
    }

    #[tracing::instrument(skip_all, fields(address = %req.address))]
    async fn apply(&self, req: ApplyRequest) -> Result<ApplyResponse, ProviderError> {
        async move {
            if req.type_name == manifest::TYPE_NAME {
                return manifest::apply(self.ctx()?, &self.discovery, &req).await;
            }
            let kind = kind_of(&req.type_name)?;
            let ctx = self.ctx()?;
            match (&req.prior, &req.planned) {
                (_, Some(planned)) => {
                    let (ns, name) = locate(kind, planned)?;
                    let obj = ctx.apply(kind, ns, name, &body(kind, planned)?).await?;
                    let op = if req.prior.is_some() { "update" } else { "create" };
                    let obj = match wait::after_apply(ctx, kind, ns, name, planned, op, &req.address).await {
                        Ok(waited) => waited.unwrap_or(obj),
                        // The object is written; only the wait failed (a rollout that timed out,
                        // a failed job, an unbound claim). Say so with its state, from the object
                        // the server returned, so that the engine keeps it (tainted after a create).
                        Err(e) => return Err(with_written(e, kind, ctx, &obj, planned)),
                    };
                    Ok(ApplyResponse {
                        new_state: Some(state_of(kind, ctx, &obj, planned)?),
                    })
                }
                (Some(prior), None) => {
                    let (ns, name) = locate(kind, prior)?;
                    let limit = kind.timeout(prior, "delete")?;
                    ctx.delete_within(kind, ns, name, &req.address, limit).await?;
                    Ok(ApplyResponse { new_state: None })
                }
                (None, None) => Ok(ApplyResponse { new_state: None }),
            }
        }
        .await
        .map_err(classify)
    }

    #[tracing::instrument(skip_all, fields(type_name = %req.type_name, count = req.instances.len()))]
    async fn read(&self, req: ReadRequest) -> Result<ReadResponse, ProviderError> {
        async move {
            if req.type_name == manifest::TYPE_NAME {
                return manifest::read(self.ctx()?, &self.discovery, &req).await;
            }
            let kind = kind_of(&req.type_name)?;
            let ctx = self.ctx()?;
            let wanted = req
                .instances
                .iter()
                .map(|inst| {
                    let (ns, name) = locate(kind, &inst.state)?;
                    Ok(Some(Wanted {
                        api: ctx.api(kind, ns),
                        group: (kind.type_name.to_string(), ns.map(str::to_string)),
                        name: name.to_string(),
                    }))
                })
                .collect::<Result<Vec<_>, ProviderError>>()?;
            let live = ctx.read_batched(&wanted).await?;
            let states = live
                .iter()
                .zip(&req.instances)
                .map(|(obj, inst)| obj.as_ref().map(|o| state_of(kind, ctx, o, &inst.state)).transpose())
                .collect::<Result<_, _>>()?;
            Ok(ReadResponse { states })
        }
        .await
        .map_err(classify)
    }

    async fn read_data(&self, req: ReadDataRequest) -> Result<Value, ProviderError> {
        async move { data::read(self.ctx()?, &self.discovery, &req).await }
            .await
            .map_err(classify)
    }

    #[tracing::instrument(skip_all, fields(address = %req.address))]
    async fn import(&self, req: ImportRequest) -> Result<Value, ProviderError> {
        async move {
            if req.type_name == manifest::TYPE_NAME {
                return manifest::import(self.ctx()?, &self.discovery, &req).await;
            }
            let kind = kind_of(&req.type_name)?;
            let ctx = self.ctx()?;
            let (ns, name) = match (kind.namespaced, req.id.split_once('/')) {
                (true, Some((ns, name))) => (Some(ns.to_string()), name.to_string()),
                (true, None) => (Some(ctx.default_namespace.clone()), req.id.clone()),
                (false, None) => (None, req.id.clone()),
                (false, Some(_)) => {
                    return Err(ProviderError::with_code(
                        "InvalidId",
                        format!("{} is cluster-scoped: import it by name, not {:?}", kind.kind, req.id),
                    ));
                }
            };
            match ctx.get(kind, ns.as_deref(), &name).await? {
                Some(obj) => state_of(kind, ctx, &obj, &Value::Null),
                None => Err(ProviderError::with_code(
                    "NotFound",
                    format!(
                        "{} {:?} does not exist in {}",
                        kind.kind,
                        id_of(ns.as_deref(), &name),
                        ctx.server
                    ),
                )),
            }
        }
        .await
        .map_err(classify)
    }
}

/// A shared handle, for the engine's registry.
pub fn new_provider() -> Arc<dyn Provider> {
    Arc::new(KubernetesProvider::new())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn block(items: &[(&str, Value)]) -> Value {
        Value::List(vec![Value::object(items.iter().map(|(k, v)| (*k, v.clone())))])
    }

    fn req(type_name: &str, prior: Option<Value>, config: Value) -> PlanRequest {
        PlanRequest {
            type_name: type_name.into(),
            address: format!("{type_name}.t"),
            prior,
            config,
        }
    }

    fn binding(role: &str, subject_kind: &str) -> Value {
        Value::object([
            (
                "metadata",
                block(&[("name", Value::string("b")), ("namespace", Value::Null)]),
            ),
            (
                "role_ref",
                block(&[
                    ("kind", Value::string("Role")),
                    ("name", Value::string(role)),
                    ("api_group", Value::Null),
                ]),
            ),
            (
                "subject",
                Value::List(vec![Value::object([
                    ("kind", Value::string(subject_kind)),
                    ("name", Value::string("s")),
                    ("namespace", Value::Null),
                    ("api_group", Value::Null),
                ])]),
            ),
        ])
    }

    #[test]
    fn a_create_plans_the_servers_defaults_and_a_known_id() {
        let kind = kind_of("kubernetes_role_binding").expect("kind");
        let p = plan(
            kind,
            "ml",
            &req("kubernetes_role_binding", None, binding("reader", "User")),
        );
        let m = meta(&p.planned);
        assert_eq!(m.get("namespace"), &Value::string("ml"));
        assert_eq!(m.get("uid"), &Value::Unknown);
        assert_eq!(p.planned.get("id"), &Value::string("ml/b"));
        let role_ref = &p.planned.get("role_ref").as_list().expect("role_ref")[0];
        assert_eq!(role_ref.get("api_group"), &Value::string("rbac.authorization.k8s.io"));
        let subject = &p.planned.get("subject").as_list().expect("subject")[0];
        assert_eq!(subject.get("api_group"), &Value::string("rbac.authorization.k8s.io"));
        // A ServiceAccount subject is in the core group, which the API server leaves out.
        let p = plan(
            kind,
            "ml",
            &req("kubernetes_role_binding", None, binding("reader", "ServiceAccount")),
        );
        let subject = &p.planned.get("subject").as_list().expect("subject")[0];
        assert_eq!(subject.get("api_group"), &Value::Null);
    }

    #[test]
    fn an_immutable_field_or_a_new_name_replaces_and_anything_else_updates() {
        let kind = kind_of("kubernetes_role_binding").expect("kind");
        let created = plan(
            kind,
            "ml",
            &req("kubernetes_role_binding", None, binding("reader", "User")),
        )
        .planned;
        let prior = created.with_at(&meta_path("uid"), Value::string("u-1"));
        let same_again = plan(
            kind,
            "ml",
            &req(
                "kubernetes_role_binding",
                Some(prior.clone()),
                binding("reader", "User"),
            ),
        );
        assert!(same_again.requires_replace.is_empty());
        assert_eq!(meta(&same_again.planned).get("uid"), &Value::string("u-1"));
        let new_role = plan(
            kind,
            "ml",
            &req(
                "kubernetes_role_binding",
                Some(prior.clone()),
                binding("writer", "User"),
            ),
        );
        assert_eq!(new_role.requires_replace, vec![AttrPath::attr("role_ref")]);
        assert_eq!(meta(&new_role.planned).get("uid"), &Value::Unknown);
        let mut renamed = binding("reader", "User");
        renamed = renamed.with_at(&meta_path("name"), Value::string("b2"));
        let p = plan(kind, "ml", &req("kubernetes_role_binding", Some(prior), renamed));
        assert_eq!(p.requires_replace, vec![meta_path("name")]);
        assert_eq!(p.planned.get("id"), &Value::string("ml/b2"));
    }

    #[test]
    fn changing_the_data_of_an_immutable_config_map_replaces_it() {
        let kind = kind_of("kubernetes_config_map").expect("kind");
        let config = |immutable: bool, value: &str| {
            Value::object([
                (
                    "metadata",
                    block(&[("name", Value::string("c")), ("namespace", Value::Null)]),
                ),
                ("data", Value::object([("k", Value::string(value))])),
                ("binary_data", Value::Null),
                ("immutable", Value::Bool(immutable)),
            ])
        };
        let prior = plan(kind, "ml", &req("kubernetes_config_map", None, config(true, "a"))).planned;
        let p = plan(
            kind,
            "ml",
            &req("kubernetes_config_map", Some(prior), config(true, "b")),
        );
        assert_eq!(p.requires_replace, vec![AttrPath::attr("data")]);
        let prior = plan(kind, "ml", &req("kubernetes_config_map", None, config(false, "a"))).planned;
        let p = plan(
            kind,
            "ml",
            &req("kubernetes_config_map", Some(prior), config(false, "b")),
        );
        assert!(p.requires_replace.is_empty());
    }

    #[test]
    fn a_deployment_plans_its_wait_flag_and_replaces_only_for_a_new_selector() {
        let kind = kind_of("kubernetes_deployment_v1").expect("the _v1 name works too");
        assert!(kind.schema.blocks.contains_key("timeouts"));
        let config = |app: &str, replicas: f64| {
            Value::object([
                (
                    "metadata",
                    block(&[("name", Value::string("web")), ("namespace", Value::Null)]),
                ),
                (
                    "spec",
                    block(&[
                        ("replicas", Value::number(replicas)),
                        (
                            "selector",
                            block(&[("match_labels", Value::object([("app", Value::string(app))]))]),
                        ),
                    ]),
                ),
                ("wait_for_rollout", Value::Null),
                ("timeouts", Value::List(vec![])),
            ])
        };
        let created = plan(kind, "ml", &req("kubernetes_deployment", None, config("web", 2.0))).planned;
        assert_eq!(created.get("wait_for_rollout"), &Value::Bool(true));
        let scaled = plan(
            kind,
            "ml",
            &req("kubernetes_deployment", Some(created.clone()), config("web", 3.0)),
        );
        assert!(scaled.requires_replace.is_empty());
        let reselected = plan(
            kind,
            "ml",
            &req("kubernetes_deployment", Some(created), config("api", 2.0)),
        );
        assert_eq!(
            reselected.requires_replace,
            vec![AttrPath(vec![
                PathStep::Attr("spec".into()),
                PathStep::Index(0),
                PathStep::Attr("selector".into()),
            ])]
        );
        assert!(kinds().contains_key("kubernetes_horizontal_pod_autoscaler_v2"));
        assert!(!kinds().contains_key("kubernetes_horizontal_pod_autoscaler_v2_v1"));
    }

    #[test]
    fn every_kind_has_timeouts_and_a_state_without_the_block_plans_no_change() {
        assert!(kinds().values().all(|k| k.schema.blocks.contains_key("timeouts")));
        use std::time::Duration;
        let kind = kind_of("kubernetes_namespace").expect("a kind");
        let config = |timeouts: Value| {
            Value::object([
                (
                    "metadata",
                    block(&[
                        ("name", Value::string("ml")),
                        ("labels", Value::Null),
                        ("annotations", Value::Null),
                    ]),
                ),
                ("timeouts", timeouts),
            ])
        };
        // The state a namespace had before the kind had the block: no `timeouts` at all.
        let old = Value::object([
            (
                "metadata",
                block(&[
                    ("name", Value::string("ml")),
                    ("labels", Value::Null),
                    ("annotations", Value::Null),
                    ("uid", Value::string("0a1b")),
                ]),
            ),
            ("id", Value::string("ml")),
        ]);
        let p = plan(
            kind,
            "default",
            &req("kubernetes_namespace", Some(old.clone()), config(Value::List(vec![]))),
        );
        assert!(p.requires_replace.is_empty());
        assert!(same(&p.planned, &old), "{:?} != {old:?}", p.planned);

        // A configured block is planned (an update of Plinth's bookkeeping alone) and read by the delete.
        let two = Value::List(vec![Value::object([
            ("create", Value::Null),
            ("update", Value::Null),
            ("delete", Value::string("2s")),
        ])]);
        let p = plan(
            kind,
            "default",
            &req("kubernetes_namespace", Some(old.clone()), config(two)),
        );
        assert!(!same(&p.planned, &old));
        assert_eq!(kind.timeout(&p.planned, "delete").ok(), Some(Duration::from_secs(2)));
        // Defaults: Terraform's 5m for a namespace's delete, the provider's 10m elsewhere.
        assert_eq!(kind.timeout(&old, "delete").ok(), Some(Duration::from_secs(300)));
        let config_map = kind_of("kubernetes_config_map").expect("a kind");
        assert_eq!(config_map.timeout(&old, "delete").ok(), Some(Duration::from_secs(600)));
    }

    #[test]
    fn an_unknown_namespace_leaves_the_id_unknown() {
        let kind = kind_of("kubernetes_config_map_v1").expect("the _v1 name works too");
        let config = Value::object([
            (
                "metadata",
                block(&[("name", Value::string("c")), ("namespace", Value::Unknown)]),
            ),
            ("data", Value::Null),
        ]);
        let p = plan(kind, "default", &req("kubernetes_config_map_v1", None, config));
        assert_eq!(p.planned.get("id"), &Value::Unknown);
    }

    #[test]
    fn validate_names_the_attribute_of_a_bad_name_or_an_empty_rule() {
        let config = Value::object([
            (
                "metadata",
                block(&[("name", Value::string("Bad_Name")), ("namespace", Value::string("ml"))]),
            ),
            (
                "rule",
                Value::List(vec![Value::object([("verbs", Value::List(vec![]))])]),
            ),
        ]);
        let ds = validate(&config);
        let summaries: Vec<&str> = ds.iter().map(|d| d.summary.as_str()).collect();
        assert_eq!(
            summaries,
            [
                "metadata.name \"Bad_Name\" is not a valid Kubernetes name",
                "rule 1 has no verbs"
            ]
        );
        assert_eq!(ds[0].attribute, Some(meta_path("name")));
    }
}
