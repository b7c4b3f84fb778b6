//! The data sources, named and shaped as Terraform's kubernetes provider has them:
//! `kubernetes_namespace` and `kubernetes_secret` (one GET each) and `kubernetes_resources` (one
//! LIST of any kind, resolved through [`crate::discovery`]).
//!
//! A secret's `data` and `binary_data` leave this module marked sensitive, so the engine keeps
//! them out of state, plan and output in clear; they are never logged.

use std::collections::BTreeMap;

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use k8s_openapi::api::core::v1::{Namespace, Secret};
use kube::api::{Api, DynamicObject, ListParams};
use plinth_sdk::Map;
use plinth_sdk::{Attribute, BlockSchema, Nesting, ProviderError, ReadDataRequest, Schema, Type, Value};
use serde_json::Value as Json;

use crate::client::Ctx;
use crate::discovery::Discovery;

pub const NAMESPACE: &str = "kubernetes_namespace";
pub const SECRET: &str = "kubernetes_secret";
pub const RESOURCES: &str = "kubernetes_resources";

fn str_map() -> Type {
    Type::Map(Box::new(Type::String))
}

fn metadata(namespaced: bool) -> BlockSchema {
    let mut s = Schema::new("The object to read.")
        .attr("name", Attribute::required(Type::String).describe("The object's name."))
        .attr("labels", Attribute::computed(str_map()).describe("Its labels."))
        .attr(
            "annotations",
            Attribute::computed(str_map()).describe("Its annotations."),
        )
        .attr("uid", Attribute::computed(Type::String).describe("Its uid."))
        .attr(
            "resource_version",
            Attribute::computed(Type::String).describe("Its resource version."),
        )
        .attr(
            "generation",
            Attribute::computed(Type::Number).describe("Its generation."),
        );
    if namespaced {
        s = s.attr(
            "namespace",
            Attribute::optional(Type::String).describe("Its namespace; default the provider's."),
        );
    }
    BlockSchema {
        nesting: Nesting::List,
        schema: s,
        min_items: 1,
        max_items: Some(1),
        force_new: false,
    }
}

/// The data sources' schemas by type name.
pub fn schemas() -> BTreeMap<String, Schema> {
    let mut out = BTreeMap::new();
    out.insert(
        NAMESPACE.to_string(),
        Schema::new("Reads a namespace.")
            .block("metadata", metadata(false))
            .attr(
                "spec",
                Attribute::computed(Type::List(Box::new(Type::Object {
                    attrs: BTreeMap::from([("finalizers".to_string(), Type::List(Box::new(Type::String)))]),
                    optional: Vec::new(),
                })))
                .describe("`[{ finalizers }]`: what must finish before the namespace is gone."),
            ),
    );
    out.insert(
        SECRET.to_string(),
        Schema::new("Reads a secret; its data is sensitive.")
            .block("metadata", metadata(true))
            .attr(
                "data",
                Attribute::computed(str_map())
                    .sensitive()
                    .describe("The secret's values, decoded (UTF-8 text)."),
            )
            .attr(
                "binary_data",
                Attribute::computed(str_map())
                    .sensitive()
                    .describe("Values that are not UTF-8 text, base64-encoded."),
            )
            .attr("type", Attribute::computed(Type::String).describe("The secret's type."))
            .attr(
                "immutable",
                Attribute::computed(Type::Bool).describe("Whether its data can no longer change."),
            ),
    );
    out.insert(
        RESOURCES.to_string(),
        Schema::new("Lists objects of any kind, custom resources included, with one LIST call.")
            .attr(
                "api_version",
                Attribute::required(Type::String).describe("`v1`, `apps/v1`, `serving.kserve.io/v1beta1`."),
            )
            .attr(
                "kind",
                Attribute::required(Type::String).describe("`ConfigMap`, `InferenceService`."),
            )
            .attr(
                "namespace",
                Attribute::optional(Type::String).describe("Only this namespace; default every namespace."),
            )
            .attr(
                "label_selector",
                Attribute::optional(Type::String).describe("`app=serving,tier!=batch`."),
            )
            .attr(
                "field_selector",
                Attribute::optional(Type::String).describe("`metadata.name=x`, `status.phase=Running`."),
            )
            .attr(
                "limit",
                Attribute::optional(Type::Number).describe("At most this many objects."),
            )
            .attr(
                "objects",
                Attribute::computed(Type::List(Box::new(Type::Any)))
                    .describe("The objects, as the API server returns them (without managedFields)."),
            ),
    );
    out
}

fn first_block(v: &Value, name: &str) -> Value {
    match v.get(name) {
        Value::List(items) => items.first().cloned().unwrap_or(Value::Null),
        m @ Value::Map(_) => m.clone(),
        _ => Value::Null,
    }
}

fn str_map_value(m: Option<&BTreeMap<String, String>>) -> Value {
    match m {
        Some(m) => Value::Map(m.iter().map(|(k, v)| (k.clone(), Value::string(v))).collect()),
        None => Value::Map(Map::new()),
    }
}

fn meta_value(
    given: &Value,
    m: &k8s_openapi::apimachinery::pkg::apis::meta::v1::ObjectMeta,
    namespace: Option<&str>,
) -> Value {
    let mut out = given.as_map().cloned().unwrap_or_default();
    out.insert("labels".into(), str_map_value(m.labels.as_ref()));
    out.insert("annotations".into(), str_map_value(m.annotations.as_ref()));
    out.insert("uid".into(), m.uid.clone().map_or(Value::Null, Value::string));
    out.insert(
        "resource_version".into(),
        m.resource_version.clone().map_or(Value::Null, Value::string),
    );
    out.insert("generation".into(), m.generation.map_or(Value::Null, Value::int));
    if let Some(ns) = namespace {
        out.insert("namespace".into(), Value::string(ns));
    }
    Value::List(vec![Value::Map(out)])
}

fn not_found(what: &str, name: &str, server: &str) -> ProviderError {
    ProviderError::with_code("NotFound", format!("{what} {name:?} does not exist in {server}"))
}

fn name_of(meta: &Value) -> Result<String, ProviderError> {
    meta.get("name")
        .as_str()
        .map(str::to_string)
        .ok_or_else(|| ProviderError::with_code("MissingAttribute", "metadata.name is required"))
}

async fn namespace(ctx: &Ctx, config: &Value) -> Result<Value, ProviderError> {
    let meta = first_block(config, "metadata");
    let name = name_of(&meta)?;
    let api: Api<Namespace> = Api::all(ctx.client.clone());
    let ns = api
        .get_opt(&name)
        .await
        .map_err(|e| ctx.error(e))?
        .ok_or_else(|| not_found("namespace", &name, &ctx.server))?;
    let finalizers = ns.spec.as_ref().and_then(|s| s.finalizers.clone()).unwrap_or_default();
    let spec = Value::List(vec![Value::object([(
        "finalizers",
        Value::List(finalizers.into_iter().map(Value::string).collect()),
    )])]);
    let mut out = config.as_map().cloned().unwrap_or_default();
    out.insert("metadata".into(), meta_value(&meta, &ns.metadata, None));
    out.insert("spec".into(), spec);
    Ok(Value::Map(out))
}

async fn secret(ctx: &Ctx, config: &Value) -> Result<Value, ProviderError> {
    let meta = first_block(config, "metadata");
    let name = name_of(&meta)?;
    let ns = meta
        .get("namespace")
        .as_str()
        .map_or_else(|| ctx.default_namespace.clone(), str::to_string);
    let api: Api<Secret> = Api::namespaced(ctx.client.clone(), &ns);
    let s = api
        .get_opt(&name)
        .await
        .map_err(|e| ctx.error(e))?
        .ok_or_else(|| not_found("secret", &format!("{ns}/{name}"), &ctx.server))?;
    let mut data = Map::new();
    let mut binary = Map::new();
    for (k, v) in s.data.unwrap_or_default() {
        match String::from_utf8(v.0) {
            Ok(text) => data.insert(k, Value::string(text)),
            Err(e) => binary.insert(k, Value::string(STANDARD.encode(e.into_bytes()))),
        };
    }
    let mut out = config.as_map().cloned().unwrap_or_default();
    out.insert("metadata".into(), meta_value(&meta, &s.metadata, Some(&ns)));
    out.insert("data".into(), Value::Map(data).mark());
    out.insert("binary_data".into(), Value::Map(binary).mark());
    out.insert("type".into(), s.type_.map_or(Value::Null, Value::string));
    out.insert("immutable".into(), Value::Bool(s.immutable.unwrap_or(false)));
    Ok(Value::Map(out))
}

async fn resources(ctx: &Ctx, disc: &Discovery, config: &Value) -> Result<Value, ProviderError> {
    let field = |k: &str| config.get(k).as_str().filter(|s| !s.is_empty());
    let api_version =
        field("api_version").ok_or_else(|| ProviderError::with_code("MissingAttribute", "api_version is required"))?;
    let kind = field("kind").ok_or_else(|| ProviderError::with_code("MissingAttribute", "kind is required"))?;
    let r = disc.require(&ctx.client, api_version, kind, |e| ctx.error(e)).await?;
    let api: Api<DynamicObject> = match field("namespace") {
        Some(ns) if r.namespaced => Api::namespaced_with(ctx.client.clone(), ns, &r.resource),
        _ => Api::all_with(ctx.client.clone(), &r.resource),
    };
    let mut params = ListParams::default();
    if let Some(s) = field("label_selector") {
        params = params.labels(s);
    }
    if let Some(s) = field("field_selector") {
        params = params.fields(s);
    }
    if let Some(n) = config.get("limit").as_f64().filter(|n| *n >= 1.0) {
        params = params.limit(n as u32);
    }
    let list = api.list(&params).await.map_err(|e| ctx.error(e))?;
    let objects = list
        .items
        .into_iter()
        .map(|o| {
            let mut j = serde_json::to_value(o)
                .map_err(|e| ProviderError::with_code("Decode", format!("cannot read the object: {e}")))?;
            if let Some(meta) = j.get_mut("metadata").and_then(Json::as_object_mut) {
                meta.remove("managedFields");
            }
            // A listed object's kind and apiVersion are the list's; say them on each object.
            if let Some(m) = j.as_object_mut() {
                m.insert("apiVersion".into(), Json::String(api_version.to_string()));
                m.insert("kind".into(), Json::String(kind.to_string()));
            }
            let v = Value::from_json(&j);
            Ok(if kind == "Secret" { v.mark() } else { v })
        })
        .collect::<Result<Vec<_>, ProviderError>>()?;
    let mut out = config.as_map().cloned().unwrap_or_default();
    out.insert("objects".into(), Value::List(objects));
    Ok(Value::Map(out))
}

/// Reads the data source `req.type_name`.
pub async fn read(ctx: &Ctx, disc: &Discovery, req: &ReadDataRequest) -> Result<Value, ProviderError> {
    match req.type_name.as_str() {
        NAMESPACE => namespace(ctx, &req.config).await,
        SECRET => secret(ctx, &req.config).await,
        RESOURCES => resources(ctx, disc, &req.config).await,
        other => Err(ProviderError::with_code(
            "UnsupportedType",
            format!("the kubernetes provider has no data source {other:?}"),
        )),
    }
}
