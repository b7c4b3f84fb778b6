//! ECS: clusters (`aws_ecs_cluster`), task definitions (`aws_ecs_task_definition`) and services
//! (`aws_ecs_service`), for model serving and batch workers on containers.
//!
//! Shared here: tags in ECS's shape, [`describe_clusters`] (one DescribeClusters per 100
//! clusters), and container definitions: the JSON text of `container_definitions` read into the
//! SDK's own `ContainerDefinition` type through the SDK's JSON codec (so every field AWS knows
//! is sent, and a field it does not know is an error, not a silent drop), written back the same
//! way, and compared by meaning as Terraform's provider does ([`definitions_equivalent`]).

mod cluster;
mod service;
mod task_definition;

use std::collections::{BTreeMap, HashMap};

use aws_sdk_ecs::types::{Cluster, ClusterField, ContainerDefinition, Tag};
use aws_smithy_json::codec::{JsonCodec, JsonCodecSettings};
use aws_smithy_schema::codec::Codec;
use aws_smithy_schema::serde::{SerializableStruct, ShapeSerializer};
use futures::FutureExt as _;
use plinth_sdk::ProviderError;
use serde_json::Value as J;

use crate::error::aws_error;
use crate::{AwsResource, Ctx};

pub fn resources() -> Vec<Box<dyn AwsResource>> {
    vec![
        Box::new(cluster::EcsCluster),
        Box::new(task_definition::TaskDefinition),
        Box::new(service::EcsService),
    ]
}

/// Tags in ECS's shape.
pub(crate) fn ecs_tags(tags: &BTreeMap<String, String>) -> Vec<Tag> {
    tags.iter()
        .map(|(k, v)| Tag::builder().key(k).value(v).build())
        .collect()
}

/// Every tag on the ECS object `arn`, Plinth's bookkeeping tags included (for adoption); `None`
/// when it is gone.
pub(crate) async fn all_tags(ctx: &Ctx, arn: String) -> Result<Option<crate::idempotent::ReadTags>, ProviderError> {
    match ctx.ecs.list_tags_for_resource().resource_arn(arn).send().boxed().await {
        Ok(out) => Ok(Some(crate::idempotent::read_tags(
            out.tags().iter().map(|t| (t.key(), t.value())),
        ))),
        Err(e) if crate::error::is_not_found(&e) => Ok(None),
        Err(e) => Err(aws_error(e)),
    }
}

/// The tags of an ECS object (AWS's own `aws:` tags left out).
pub(crate) fn tags_of(tags: &[Tag]) -> BTreeMap<String, String> {
    crate::tags::tags_from(tags.iter().map(|t| (t.key(), t.value())))
}

/// The ACTIVE or PROVISIONING clusters among `ids` (names or ARNs), each under the id asked
/// for: one DescribeClusters (with tags, settings and configuration) per 100 ids. An INACTIVE
/// cluster (deleted, still listed for a while) counts as gone.
pub(crate) async fn describe_clusters(ctx: &Ctx, ids: &[String]) -> Result<HashMap<String, Cluster>, ProviderError> {
    let mut found = HashMap::new();
    for chunk in ids.chunks(100) {
        let out = ctx
            .ecs
            .describe_clusters()
            .set_clusters(Some(chunk.to_vec()))
            .include(ClusterField::Tags)
            .include(ClusterField::Settings)
            .include(ClusterField::Configurations)
            .send()
            .boxed()
            .await
            .map_err(aws_error)?;
        for c in out.clusters() {
            if c.status() == Some("INACTIVE") {
                continue;
            }
            for id in chunk {
                if c.cluster_arn() == Some(id.as_str()) || c.cluster_name() == Some(id.as_str()) {
                    found.insert(id.clone(), c.clone());
                }
            }
        }
    }
    Ok(found)
}

/// The cluster name of a cluster name or ARN (`arn:aws:ecs:REGION:ACCOUNT:cluster/NAME`).
pub(crate) fn cluster_name(id: &str) -> &str {
    id.rsplit_once(":cluster/").map(|(_, n)| n).unwrap_or(id)
}

fn codec() -> JsonCodec {
    JsonCodec::new(JsonCodecSettings::builder().use_json_name(false).build())
}

/// `container_definitions` as the SDK's types. The text must be a JSON array of objects; a key
/// the SDK does not know (a misspelling, or a field newer than this build) is an error naming
/// it, where AWS would ignore it silently.
pub(crate) fn decode_definitions(text: &str) -> Result<Vec<ContainerDefinition>, String> {
    let parsed: J = serde_json::from_str(text).map_err(|e| format!("not valid JSON: {e}"))?;
    let J::Array(items) = parsed else {
        return Err("must be a JSON array of container definitions".into());
    };
    let codec = codec();
    let mut out = Vec::with_capacity(items.len());
    for (i, item) in items.iter().enumerate() {
        let J::Object(fields) = item else {
            return Err(format!("item {i} is not a JSON object"));
        };
        let bytes = serde_json::to_vec(item).map_err(|e| e.to_string())?;
        let def = ContainerDefinition::deserialize(&mut codec.create_deserializer(&bytes))
            .map_err(|e| format!("item {i}: {e}"))?;
        let back = encode_one(&def)?;
        for (k, v) in fields {
            if !is_empty(v) && back.get(k).is_none_or(is_empty) {
                return Err(format!(
                    "item {i}: {k:?} is not a field of an ECS container definition (field names are camelCase, as in \
                     the RegisterTaskDefinition API)"
                ));
            }
        }
        out.push(def);
    }
    Ok(out)
}

fn encode_one(def: &ContainerDefinition) -> Result<J, String> {
    let mut ser = codec().create_serializer();
    ser.write_struct(def.schema(), def).map_err(|e| e.to_string())?;
    serde_json::from_slice(&ser.finish()).map_err(|e| e.to_string())
}

/// Container definitions as a JSON array, keys in a stable order.
pub(crate) fn encode_definitions(defs: &[ContainerDefinition]) -> Result<String, String> {
    let items = defs.iter().map(encode_one).collect::<Result<Vec<_>, _>>()?;
    serde_json::to_string(&J::Array(items)).map_err(|e| e.to_string())
}

fn is_empty(v: &J) -> bool {
    match v {
        J::Null => true,
        J::Array(a) => a.is_empty(),
        J::Object(o) => o.is_empty(),
        _ => false,
    }
}

/// Drops nulls, empty lists and empty objects at every depth.
fn compact(v: J) -> J {
    match v {
        J::Object(o) => J::Object(
            o.into_iter()
                .map(|(k, v)| (k, compact(v)))
                .filter(|(_, v)| !is_empty(v))
                .collect(),
        ),
        J::Array(a) => J::Array(a.into_iter().map(compact).filter(|v| !is_empty(v)).collect()),
        other => other,
    }
}

fn sort_by_name(v: &mut J, key: &str) {
    if let Some(J::Array(a)) = v.get_mut(key) {
        a.sort_by(|x, y| x.get("name").map(J::to_string).cmp(&y.get("name").map(J::to_string)));
    }
}

/// One container definition reduced to what it means, as Terraform's provider reduces it: the
/// containers, their environment and secrets in name order; AWS's defaults (essential, the
/// health check's interval 30, retries 3 and timeout 5, tcp) filled or dropped; a host port of 0
/// dropped, and with awsvpc the host port equal to the container port; `cpu` 0 dropped (the SDK
/// type has no "unset" for it).
fn reduce(def: J, awsvpc: bool) -> J {
    let mut d = compact(def);
    let Some(o) = d.as_object_mut() else { return d };
    o.entry("essential").or_insert(J::Bool(true));
    if o.get("cpu").and_then(J::as_i64) == Some(0) {
        o.remove("cpu");
    }
    if let Some(J::Object(hc)) = o.get_mut("healthCheck") {
        for (k, n) in [("interval", 30), ("retries", 3), ("timeout", 5)] {
            hc.entry(k).or_insert(J::from(n));
        }
    }
    if let Some(J::Array(pms)) = o.get_mut("portMappings") {
        for pm in pms.iter_mut().filter_map(J::as_object_mut) {
            if pm.get("protocol").and_then(J::as_str) == Some("tcp") {
                pm.remove("protocol");
            }
            if pm.get("hostPort").and_then(J::as_i64) == Some(0) {
                pm.remove("hostPort");
            }
            if awsvpc
                && !pm.contains_key("hostPort")
                && let Some(cp) = pm.get("containerPort").cloned()
            {
                pm.insert("hostPort".into(), cp);
            }
        }
    }
    sort_by_name(&mut d, "environment");
    sort_by_name(&mut d, "secrets");
    d
}

/// The reduced form of a `container_definitions` text (see [`reduce`]), or `None` when it does
/// not decode.
fn reduced(text: &str, awsvpc: bool) -> Option<J> {
    let defs = decode_definitions(text).ok()?;
    let mut items: Vec<J> = defs
        .iter()
        .map(|d| encode_one(d).map(|j| reduce(j, awsvpc)))
        .collect::<Result<_, _>>()
        .ok()?;
    items.sort_by(|x, y| x.get("name").map(J::to_string).cmp(&y.get("name").map(J::to_string)));
    Some(J::Array(items))
}

/// Whether two `container_definitions` texts mean the same task (see [`reduce`]); text that
/// does not decode compares as text.
pub(crate) fn definitions_equivalent(a: &str, b: &str, awsvpc: bool) -> bool {
    match (reduced(a, awsvpc), reduced(b, awsvpc)) {
        (Some(x), Some(y)) => x == y,
        _ => a == b,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn definitions_compare_by_meaning() {
        let mine = r#"[{"name":"web","image":"nginx","memory":512,
            "environment":[{"name":"B","value":"2"},{"name":"A","value":"1"}],
            "portMappings":[{"containerPort":80}]}]"#;
        let aws = r#"[{"name":"web","image":"nginx","cpu":0,"memory":512,"essential":true,
            "environment":[{"name":"A","value":"1"},{"name":"B","value":"2"}],"mountPoints":[],"volumesFrom":[],
            "portMappings":[{"containerPort":80,"hostPort":80,"protocol":"tcp"}]}]"#;
        assert!(definitions_equivalent(mine, aws, true));
        assert!(
            !definitions_equivalent(mine, aws, false),
            "bridge mode: a host port of 80 is a choice"
        );
        let other = mine.replace("nginx", "httpd");
        assert!(!definitions_equivalent(mine, &other, true));
    }

    #[test]
    fn unknown_fields_are_named() {
        let e = decode_definitions(r#"[{"name":"a","image":"b","memroy":5}]"#).expect_err("a typo");
        assert!(e.contains("\"memroy\""), "{e}");
        assert!(decode_definitions(r#"{"name":"a"}"#).is_err());
        let ok = decode_definitions(
            r#"[{"name":"a","image":"b","resourceRequirements":[{"type":"GPU","value":"1"}],
                "linuxParameters":{"sharedMemorySize":1024},"logConfiguration":{"logDriver":"awslogs",
                "options":{"awslogs-group":"g"}}}]"#,
        )
        .expect("valid");
        let text = encode_definitions(&ok).expect("encodes");
        assert!(text.contains("\"sharedMemorySize\":1024"), "{text}");
        assert!(text.contains("\"awslogs-group\":\"g\""), "{text}");
    }
}
