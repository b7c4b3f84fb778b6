//! The providers' schemas in the shape of `terraform providers schema -json` (format version
//! 1.0), so that tools written for Terraform's output (editors, linters, doc generators) read
//! Plinth's. What Terraform's format has no place for is left out: force-new, the clone-guard
//! identity, computed-when-omitted blocks, and the arguments accepted but not yet supported
//! (`Schema::unsupported`: setting one is an error, so they are not offered as attributes).

use plinth_sdk::{Nesting, ProviderSchema, Schema, Type};
use serde_json::{Map, Value as Json, json};

/// The format version Terraform's command prints.
pub const FORMAT_VERSION: &str = "1.0";

/// A type in cty's JSON notation: `"string"`, `["list","string"]`, `["object",{...}]` (with a
/// third element naming the optional attributes, when there are any), `"dynamic"` for `any`.
pub fn cty_type(t: &Type) -> Json {
    match t {
        Type::String => json!("string"),
        Type::Number => json!("number"),
        Type::Bool => json!("bool"),
        Type::Any => json!("dynamic"),
        Type::List(t) => json!(["list", cty_type(t)]),
        Type::Set(t) => json!(["set", cty_type(t)]),
        Type::Map(t) => json!(["map", cty_type(t)]),
        Type::Tuple(ts) => json!(["tuple", ts.iter().map(cty_type).collect::<Vec<_>>()]),
        Type::Object { attrs, optional } => {
            let attrs: Map<String, Json> = attrs.iter().map(|(k, t)| (k.clone(), cty_type(t))).collect();
            if optional.is_empty() {
                json!(["object", attrs])
            } else {
                let mut optional = optional.clone();
                optional.sort();
                json!(["object", attrs, optional])
            }
        }
    }
}

/// Terraform's block representation: `attributes`, `block_types`, `description`; false flags and
/// empty maps left out, as Terraform leaves them out.
pub fn block(schema: &Schema) -> Json {
    let mut out = Map::new();
    if !schema.attributes.is_empty() {
        let attrs: Map<String, Json> = schema
            .attributes
            .iter()
            .map(|(name, a)| {
                let mut o = Map::new();
                o.insert("type".into(), cty_type(&a.ty));
                if !a.description.is_empty() {
                    o.insert("description".into(), json!(a.description));
                }
                o.insert("description_kind".into(), json!("plain"));
                for (on, key) in [
                    (a.required, "required"),
                    (a.optional, "optional"),
                    (a.computed, "computed"),
                    (a.sensitive, "sensitive"),
                    (a.write_only, "write_only"),
                ] {
                    if on {
                        o.insert(key.into(), json!(true));
                    }
                }
                (name.clone(), Json::Object(o))
            })
            .collect();
        out.insert("attributes".into(), Json::Object(attrs));
    }
    if !schema.blocks.is_empty() {
        let blocks: Map<String, Json> = schema
            .blocks
            .iter()
            .map(|(name, b)| {
                let mut o = Map::new();
                let mode = match b.nesting {
                    Nesting::Single => "single",
                    Nesting::List => "list",
                    Nesting::Set => "set",
                };
                o.insert("nesting_mode".into(), json!(mode));
                o.insert("block".into(), block(&b.schema));
                if b.min_items > 0 {
                    o.insert("min_items".into(), json!(b.min_items));
                }
                if let Some(max) = b.max_items
                    && b.nesting != Nesting::Single
                {
                    o.insert("max_items".into(), json!(max));
                }
                (name.clone(), Json::Object(o))
            })
            .collect();
        out.insert("block_types".into(), Json::Object(blocks));
    }
    if !schema.description.is_empty() {
        out.insert("description".into(), json!(schema.description));
    }
    out.insert("description_kind".into(), json!("plain"));
    Json::Object(out)
}

/// Terraform's schema representation: a version (always 0: Plinth's state carries no per-type
/// schema version) and the block.
fn versioned(schema: &Schema) -> Json {
    json!({ "version": 0, "block": block(schema) })
}

/// One provider's entry of `provider_schemas`.
pub fn provider(schema: &ProviderSchema) -> Json {
    let types = |m: &std::collections::BTreeMap<String, Schema>| -> Map<String, Json> {
        m.iter().map(|(name, s)| (name.clone(), versioned(s))).collect()
    };
    json!({
        "provider": versioned(&schema.provider),
        "resource_schemas": types(&schema.resources),
        "data_source_schemas": types(&schema.data_sources),
    })
}

/// The whole document: `{"format_version": "1.0", "provider_schemas": {ADDRESS: ...}}` for the
/// given providers, each keyed by its source address, sorted as Terraform sorts them.
pub fn document<'a>(providers: impl IntoIterator<Item = (String, &'a ProviderSchema)>) -> Json {
    let sorted: std::collections::BTreeMap<String, Json> =
        providers.into_iter().map(|(addr, s)| (addr, provider(s))).collect();
    let schemas: Map<String, Json> = sorted.into_iter().collect();
    json!({ "format_version": FORMAT_VERSION, "provider_schemas": schemas })
}

#[cfg(test)]
mod tests {
    use super::*;
    use plinth_sdk::{Attribute, BlockSchema};
    use std::collections::BTreeMap;

    #[test]
    fn types_are_written_in_cty_json() {
        let obj = Type::Object {
            attrs: BTreeMap::from([("a".to_string(), Type::String), ("b".to_string(), Type::Number)]),
            optional: vec!["b".to_string()],
        };
        assert_eq!(
            cty_type(&Type::List(Box::new(obj))),
            json!(["list", ["object", {"a": "string", "b": "number"}, ["b"]]])
        );
        assert_eq!(cty_type(&Type::Map(Box::new(Type::Any))), json!(["map", "dynamic"]));
        assert_eq!(cty_type(&Type::Tuple(vec![Type::Bool])), json!(["tuple", ["bool"]]));
    }

    #[test]
    fn a_block_has_terraforms_keys_and_leaves_out_what_terraform_leaves_out() {
        let s = Schema::new("A thing.")
            .attr(
                "name",
                Attribute::required(Type::String).force_new().describe("Its name."),
            )
            .attr("secret", Attribute::optional(Type::String).sensitive())
            .block(
                "rule",
                BlockSchema {
                    nesting: Nesting::Set,
                    schema: Schema::new("").attr("port", Attribute::computed(Type::Number)),
                    min_items: 1,
                    max_items: Some(3),
                    force_new: true,
                },
            )
            .unsupported("owner", "not yet");
        assert_eq!(
            block(&s),
            json!({
                "attributes": {
                    "name": {"type": "string", "description": "Its name.", "description_kind": "plain", "required": true},
                    "secret": {"type": "string", "description_kind": "plain", "optional": true, "sensitive": true},
                },
                "block_types": {
                    "rule": {
                        "nesting_mode": "set",
                        "block": {
                            "attributes": {"port": {"type": "number", "description_kind": "plain", "computed": true}},
                            "description_kind": "plain",
                        },
                        "min_items": 1,
                        "max_items": 3,
                    }
                },
                "description": "A thing.",
                "description_kind": "plain",
            })
        );
    }
}
