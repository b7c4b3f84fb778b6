//! The standard planning rule most resources share.
//!
//! Configuration wins for every attribute it sets. A computed attribute left unset keeps its prior
//! value (even null) on an update and becomes unknown on a create or replace; so does a nested
//! block that is computed when omitted and left out. A change to a force-new attribute or block
//! plans a replacement.

use crate::provider::PlanResponse;
use crate::schema::Schema;
use crate::value::{AttrPath, Value};

/// Plans `config` against `prior` under `schema` (see the module documentation).
pub fn default_plan(schema: &Schema, prior: Option<&Value>, config: &Value) -> PlanResponse {
    let mut requires_replace = Vec::new();
    if let Some(prior) = prior {
        for (name, attr) in &schema.attributes {
            if !attr.force_new || attr.write_only {
                continue;
            }
            let desired = config.get(name);
            if desired.is_null() && attr.computed {
                continue;
            }
            if !same(desired, prior.get(name)) {
                requires_replace.push(AttrPath::attr(name));
            }
        }
        for (name, block) in &schema.blocks {
            let omitted = config.get(name).is_null() && schema.computed_when_omitted.contains(name);
            if block.force_new && !omitted && !same(config.get(name), prior.get(name)) {
                requires_replace.push(AttrPath::attr(name));
            }
        }
    }
    let keep_prior = prior.filter(|_| requires_replace.is_empty());
    let mut planned = config.as_map().cloned().unwrap_or_default();
    for (name, attr) in &schema.attributes {
        let set = planned.get(name).is_some_and(|v| !v.is_null());
        if !set && attr.computed {
            // An update keeps the prior value, null included (the provider computed null); only
            // a create or a replacement does not know it yet.
            let v = match keep_prior {
                Some(p) => p.get(name).clone(),
                None => Value::Unknown,
            };
            planned.insert(name.clone(), v);
        } else if !set {
            planned.insert(name.clone(), Value::Null);
        }
    }
    for name in &schema.computed_when_omitted {
        if planned.get(name).is_none_or(Value::is_null) {
            let v = match keep_prior {
                Some(p) => p.get(name).clone(),
                None => Value::Unknown,
            };
            planned.insert(name.clone(), v);
        }
    }
    PlanResponse {
        planned: Value::Map(planned),
        requires_replace,
    }
}

/// Equality that ignores sensitive marks; an unknown equals nothing (it may change).
pub fn same(a: &Value, b: &Value) -> bool {
    match (a.strip_sensitive(), b.strip_sensitive()) {
        (Value::Unknown, _) | (_, Value::Unknown) => false,
        (Value::List(x), Value::List(y)) => x.len() == y.len() && x.iter().zip(y).all(|(a, b)| same(a, b)),
        (Value::Map(x), Value::Map(y)) => {
            x.len() == y.len() && x.iter().zip(y).all(|((ka, a), (kb, b))| ka == kb && same(a, b))
        }
        (x, y) => x == y,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::schema::Attribute;
    use crate::value::Type;

    fn schema() -> Schema {
        Schema::new("t")
            .attr("path", Attribute::required(Type::String).force_new())
            .attr("content", Attribute::optional(Type::String))
            .attr("id", Attribute::computed(Type::String))
    }

    #[test]
    fn create_leaves_computed_unknown() {
        let cfg = Value::object([("path", Value::string("a")), ("content", Value::string("x"))]);
        let p = default_plan(&schema(), None, &cfg);
        assert_eq!(p.planned.get("id"), &Value::Unknown);
        assert!(p.requires_replace.is_empty());
    }

    #[test]
    fn force_new_change_plans_replace_and_forgets_computed() {
        let prior = Value::object([
            ("path", Value::string("a")),
            ("content", Value::string("x")),
            ("id", Value::string("1")),
        ]);
        let cfg = Value::object([("path", Value::string("b")), ("content", Value::string("x"))]);
        let p = default_plan(&schema(), Some(&prior), &cfg);
        assert_eq!(p.requires_replace, vec![AttrPath::attr("path")]);
        assert_eq!(p.planned.get("id"), &Value::Unknown);
    }

    #[test]
    fn an_omitted_computed_block_keeps_the_prior_value_and_zero_blocks_do_not() {
        let s = schema()
            .block(
                "rule",
                crate::schema::BlockSchema {
                    nesting: crate::schema::Nesting::Set,
                    schema: Schema::new("r").attr("port", Attribute::required(Type::Number)),
                    min_items: 0,
                    max_items: None,
                    force_new: false,
                },
            )
            .computed_when_omitted("rule");
        let rules = Value::List(vec![Value::object([("port", Value::int(22))])]);
        let prior = Value::object([
            ("path", Value::string("a")),
            ("id", Value::string("1")),
            ("rule", rules.clone()),
        ]);
        let omitted = Value::object([("path", Value::string("a")), ("rule", Value::Null)]);
        assert_eq!(default_plan(&s, Some(&prior), &omitted).planned.get("rule"), &rules);
        assert_eq!(default_plan(&s, None, &omitted).planned.get("rule"), &Value::Unknown);
        let none = Value::object([("path", Value::string("a")), ("rule", Value::List(vec![]))]);
        assert_eq!(
            default_plan(&s, Some(&prior), &none).planned.get("rule"),
            &Value::List(vec![])
        );
    }

    #[test]
    fn in_place_update_keeps_computed() {
        let prior = Value::object([
            ("path", Value::string("a")),
            ("content", Value::string("x")),
            ("id", Value::string("1")),
        ]);
        let cfg = Value::object([("path", Value::string("a")), ("content", Value::string("y"))]);
        let p = default_plan(&schema(), Some(&prior), &cfg);
        assert!(p.requires_replace.is_empty());
        assert_eq!(p.planned.get("id"), &Value::string("1"));
    }
}
