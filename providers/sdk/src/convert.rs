//! Type conversion with Terraform's rules.
//!
//! This owns the one place where a [`Value`] is made to fit a [`Type`]: a variable's `type`
//! constraint, a resource attribute's schema type, and the `to*` functions all go through
//! [`convert`]. The rules are those of Terraform (cty's `convert` package): primitives convert
//! through their string form, lists/tuples/sets convert elementwise, maps/objects attribute by
//! attribute, objects drop attributes their type does not name, `null` fits every type, and an
//! unknown stays unknown. Marks survive: a sensitive value converts to a sensitive value.
//!
//! A collection whose element type is `any` (`list(any)`, `map(any)`) gets one element type
//! unified from its elements, as Terraform does: `["a", 1]` as `list(any)` is `["a", "1"]`.

use std::cmp::Ordering;
use std::collections::BTreeMap;

use crate::number::Number;
use crate::value::{AttrPath, Map, PathStep, Type, Value};

/// Why a value does not convert to a type.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[error("{message}")]
pub struct ConvertError {
    /// Where inside the value the problem is (`columns[0].name`), empty for the value itself.
    pub path: String,
    pub message: String,
}

impl ConvertError {
    fn at(path: &AttrPath, message: impl Into<String>) -> Self {
        ConvertError {
            path: path.to_string(),
            message: message.into(),
        }
    }
}

/// Converts `value` to `ty` as Terraform does.
pub fn convert(value: Value, ty: &Type) -> Result<Value, ConvertError> {
    convert_at(value, ty, &AttrPath::default())
}

/// The type Terraform would give `value` on its own: objects for maps, tuples for lists. Null and
/// unknown parts have no type of their own and come back as [`Type::Any`].
pub fn infer_type(value: &Value) -> Type {
    match value.strip_sensitive() {
        Value::Null | Value::Unknown | Value::Sensitive(_) => Type::Any,
        Value::Bool(_) => Type::Bool,
        Value::Number(_) => Type::Number,
        Value::String(_) => Type::String,
        Value::List(items) => Type::Tuple(items.iter().map(infer_type).collect()),
        Value::Map(m) => Type::Object {
            attrs: m.iter().map(|(k, v)| (k.clone(), infer_type(v))).collect(),
            optional: Vec::new(),
        },
    }
}

/// One type that all of `types` convert to, if there is one (Terraform's type unification):
/// mixed primitives unify to `string` (except number with bool), objects with the same attributes
/// unify attribute by attribute and otherwise to a map, tuples of one length elementwise and
/// otherwise to a list. [`Type::Any`] (a null or unknown part) fits everything.
pub fn unify_types(types: &[Type]) -> Option<Type> {
    let known: Vec<&Type> = types.iter().filter(|t| **t != Type::Any).collect();
    let Some(first) = known.first() else {
        return Some(Type::Any);
    };
    if known.iter().all(|t| t == first) {
        return Some((*first).clone());
    }
    let is_primitive = |t: &Type| matches!(t, Type::String | Type::Number | Type::Bool);
    if known.iter().all(|t| is_primitive(t)) {
        return if known.contains(&&Type::String) {
            Some(Type::String)
        } else {
            // number and bool have no conversion between them
            None
        };
    }
    if known.iter().all(|t| matches!(t, Type::Object { .. } | Type::Map(_))) {
        let objects: Vec<&BTreeMap<String, Type>> = known
            .iter()
            .filter_map(|t| match t {
                Type::Object { attrs, .. } => Some(attrs),
                _ => None,
            })
            .collect();
        let all_objects = objects.len() == known.len();
        if all_objects && objects.iter().all(|a| a.keys().eq(objects[0].keys())) {
            let mut attrs = BTreeMap::new();
            for k in objects[0].keys() {
                let ts: Vec<Type> = objects.iter().map(|a| a[k].clone()).collect();
                attrs.insert(k.clone(), unify_types(&ts)?);
            }
            return Some(Type::Object {
                attrs,
                optional: Vec::new(),
            });
        }
        let mut elems = Vec::new();
        for t in &known {
            match t {
                Type::Object { attrs, .. } => elems.extend(attrs.values().cloned()),
                Type::Map(e) => elems.push((**e).clone()),
                _ => {}
            }
        }
        return Some(Type::Map(Box::new(unify_types(&elems)?)));
    }
    if known.iter().all(|t| matches!(t, Type::Tuple(_) | Type::List(_))) {
        let tuples: Vec<&Vec<Type>> = known
            .iter()
            .filter_map(|t| match t {
                Type::Tuple(ts) => Some(ts),
                _ => None,
            })
            .collect();
        if tuples.len() == known.len() && tuples.iter().all(|ts| ts.len() == tuples[0].len()) {
            let mut out = Vec::new();
            for i in 0..tuples[0].len() {
                let ts: Vec<Type> = tuples.iter().map(|t| t[i].clone()).collect();
                match unify_types(&ts) {
                    Some(t) => out.push(t),
                    None => return unify_tuples_to_list(&known),
                }
            }
            return Some(Type::Tuple(out));
        }
        return unify_tuples_to_list(&known);
    }
    None
}

fn unify_tuples_to_list(known: &[&Type]) -> Option<Type> {
    let mut elems = Vec::new();
    for t in known {
        match t {
            Type::Tuple(ts) => elems.extend(ts.iter().cloned()),
            Type::List(e) => elems.push((**e).clone()),
            _ => return None,
        }
    }
    Some(Type::List(Box::new(unify_types(&elems)?)))
}

/// How Terraform names a type in "... required" messages: `list of string`, `object`.
fn friendly(ty: &Type) -> String {
    match ty {
        Type::String => "string".into(),
        Type::Number => "number".into(),
        Type::Bool => "bool".into(),
        Type::List(e) => format!("list of {}", friendly(e)),
        Type::Set(e) => format!("set of {}", friendly(e)),
        Type::Map(e) => format!("map of {}", friendly(e)),
        Type::Object { .. } => "object".into(),
        Type::Tuple(_) => "tuple".into(),
        Type::Any => "any single type".into(),
    }
}

fn required(ty: &Type, path: &AttrPath) -> ConvertError {
    ConvertError::at(path, format!("{} required", friendly(ty)))
}

fn convert_at(value: Value, ty: &Type, path: &AttrPath) -> Result<Value, ConvertError> {
    let value = match value {
        Value::Sensitive(inner) => return Ok(convert_at(*inner, ty, path)?.mark()),
        Value::Unknown => return Ok(Value::Unknown),
        Value::Null => return Ok(Value::Null),
        v => v,
    };
    match ty {
        Type::Any => Ok(value),
        Type::String => match value {
            Value::String(s) => Ok(Value::String(s)),
            Value::Number(n) => Ok(Value::String(n.to_string())),
            Value::Bool(b) => Ok(Value::String(b.to_string())),
            _ => Err(required(ty, path)),
        },
        Type::Number => match value {
            Value::Number(n) => Ok(Value::Number(n)),
            Value::String(s) => Number::parse(&s)
                .map(Value::Number)
                .ok_or_else(|| ConvertError::at(path, "a number is required")),
            _ => Err(required(ty, path)),
        },
        Type::Bool => match value {
            Value::Bool(b) => Ok(Value::Bool(b)),
            Value::String(s) => match s.as_str() {
                "true" | "1" => Ok(Value::Bool(true)),
                "false" | "0" => Ok(Value::Bool(false)),
                other if other.eq_ignore_ascii_case("true") || other.eq_ignore_ascii_case("false") => {
                    Err(ConvertError::at(
                        path,
                        format!(
                            "a bool is required; to convert from string, use lowercase \"{}\"",
                            other.to_ascii_lowercase()
                        ),
                    ))
                }
                _ => Err(ConvertError::at(path, "a bool is required")),
            },
            _ => Err(required(ty, path)),
        },
        Type::List(et) => match value {
            Value::List(items) => convert_elems(items, et, path, "list").map(Value::List),
            _ => Err(required(ty, path)),
        },
        Type::Set(et) => match value {
            Value::List(items) => convert_elems(items, et, path, "set").map(|items| Value::List(set_normalize(items))),
            _ => Err(required(ty, path)),
        },
        Type::Tuple(ets) => match value {
            Value::List(items) if items.len() == ets.len() => items
                .into_iter()
                .zip(ets)
                .enumerate()
                .map(|(i, (v, t))| convert_at(v, t, &path.child(PathStep::Index(i))))
                .collect::<Result<Vec<_>, _>>()
                .map(Value::List),
            Value::List(items) => Err(ConvertError::at(
                path,
                format!(
                    "tuple with {} element{} required, got {}",
                    ets.len(),
                    if ets.len() == 1 { "" } else { "s" },
                    items.len()
                ),
            )),
            _ => Err(required(ty, path)),
        },
        Type::Map(et) => match value {
            Value::Map(m) => convert_map(m, et, path).map(Value::Map),
            _ => Err(required(ty, path)),
        },
        Type::Object { attrs, optional } => match value {
            Value::Map(mut m) => {
                let missing: Vec<&String> = attrs
                    .keys()
                    .filter(|k| !m.contains_key(*k) && !optional.contains(k))
                    .collect();
                if !missing.is_empty() {
                    return Err(ConvertError::at(path, missing_message(&missing)));
                }
                let out = attrs
                    .iter()
                    .map(|(k, t)| {
                        let v = match m.remove(k) {
                            Some(v) => convert_at(v, t, &path.child(PathStep::Attr(k.clone())))?,
                            None => Value::Null,
                        };
                        Ok((k.clone(), v))
                    })
                    .collect::<Result<Map, ConvertError>>()?;
                Ok(Value::Map(out))
            }
            _ => Err(required(ty, path)),
        },
    }
}

fn missing_message(missing: &[&String]) -> String {
    let quoted: Vec<String> = missing.iter().map(|k| format!("{k:?}")).collect();
    match quoted.as_slice() {
        [one] => format!("attribute {one} is required"),
        [a, b] => format!("attributes {a} and {b} are required"),
        [init @ .., last] => format!("attributes {}, and {last} are required", init.join(", ")),
        [] => String::new(),
    }
}

/// Terraform's number syntax: decimal with optional sign, fraction and exponent; no `inf`/`nan`,
/// no surrounding space, no hex.
fn convert_elems(items: Vec<Value>, et: &Type, path: &AttrPath, kind: &str) -> Result<Vec<Value>, ConvertError> {
    let et = if *et == Type::Any {
        let types: Vec<Type> = items.iter().map(infer_type).collect();
        unify_types(&types)
            .ok_or_else(|| ConvertError::at(path, format!("all {kind} elements must have the same type")))?
    } else {
        et.clone()
    };
    items
        .into_iter()
        .enumerate()
        .map(|(i, v)| convert_at(v, &et, &path.child(PathStep::Index(i))))
        .collect()
}

fn convert_map(m: Map, et: &Type, path: &AttrPath) -> Result<Map, ConvertError> {
    let et = if *et == Type::Any {
        let types: Vec<Type> = m.values().map(infer_type).collect();
        unify_types(&types).ok_or_else(|| ConvertError::at(path, "all map elements must have the same type"))?
    } else {
        et.clone()
    };
    m.into_iter()
        .map(|(k, v)| {
            let p = path.child(PathStep::Key(k.clone()));
            convert_at(v, &et, &p).map(|v| (k, v))
        })
        .collect()
}

/// Sorts set elements into their stable order and drops duplicates. Unknown elements cannot be
/// compared: they go last and are all kept. A duplicate of a sensitive element stays sensitive.
pub fn set_normalize(items: Vec<Value>) -> Vec<Value> {
    let (mut known, unknown): (Vec<Value>, Vec<Value>) = items.into_iter().partition(|v| !v.is_unknown());
    known.sort_by(compare_values);
    let mut out: Vec<Value> = Vec::with_capacity(known.len() + unknown.len());
    for v in known {
        match out.last_mut() {
            Some(last) if compare_values(last, &v) == Ordering::Equal => {
                if v.contains_sensitive() && !last.contains_sensitive() {
                    *last = v;
                }
            }
            _ => out.push(v),
        }
    }
    out.extend(unknown);
    out
}

/// A total order over values, ignoring sensitive marks: by kind (null, bool, number, string,
/// list, map, unknown), then by content (numbers numerically, strings lexicographically).
pub fn compare_values(a: &Value, b: &Value) -> Ordering {
    fn rank(v: &Value) -> u8 {
        match v {
            Value::Null => 0,
            Value::Bool(_) => 1,
            Value::Number(_) => 2,
            Value::String(_) => 3,
            Value::List(_) => 4,
            Value::Map(_) => 5,
            Value::Unknown | Value::Sensitive(_) => 6,
        }
    }
    let (a, b) = (a.strip_sensitive(), b.strip_sensitive());
    match (a, b) {
        (Value::Bool(x), Value::Bool(y)) => x.cmp(y),
        (Value::Number(x), Value::Number(y)) => x.total_cmp(y),
        (Value::String(x), Value::String(y)) => x.cmp(y),
        (Value::List(x), Value::List(y)) => {
            for (p, q) in x.iter().zip(y) {
                let o = compare_values(p, q);
                if o != Ordering::Equal {
                    return o;
                }
            }
            x.len().cmp(&y.len())
        }
        (Value::Map(x), Value::Map(y)) => {
            for ((kp, p), (kq, q)) in x.iter().zip(y) {
                let o = kp.cmp(kq).then_with(|| compare_values(p, q));
                if o != Ordering::Equal {
                    return o;
                }
            }
            x.len().cmp(&y.len())
        }
        _ => rank(a).cmp(&rank(b)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn s(x: &str) -> Value {
        Value::string(x)
    }
    fn n(x: f64) -> Value {
        Value::number(x)
    }
    fn list(items: Vec<Value>) -> Value {
        Value::List(items)
    }
    fn obj(attrs: &[(&str, Type)], optional: &[&str]) -> Type {
        Type::Object {
            attrs: attrs.iter().map(|(k, t)| (k.to_string(), t.clone())).collect(),
            optional: optional.iter().map(|k| k.to_string()).collect(),
        }
    }
    fn err(v: Value, ty: &Type) -> (String, String) {
        let e = convert(v, ty).expect_err("conversion should fail");
        (e.path, e.message)
    }

    #[test]
    fn primitives_convert_through_strings() {
        assert_eq!(convert(s("2"), &Type::Number), Ok(n(2.0)));
        assert_eq!(convert(s("-1.5e2"), &Type::Number), Ok(n(-150.0)));
        assert_eq!(convert(n(2.0), &Type::String), Ok(s("2")));
        assert_eq!(convert(n(2.5), &Type::String), Ok(s("2.5")));
        assert_eq!(convert(s("true"), &Type::Bool), Ok(Value::Bool(true)));
        assert_eq!(convert(s("0"), &Type::Bool), Ok(Value::Bool(false)));
        assert_eq!(convert(Value::Bool(true), &Type::String), Ok(s("true")));
    }

    #[test]
    fn primitive_errors_read_like_terraform() {
        assert_eq!(err(s("abc"), &Type::Number).1, "a number is required");
        assert_eq!(err(s("inf"), &Type::Number).1, "a number is required");
        assert_eq!(err(s(" 1"), &Type::Number).1, "a number is required");
        assert_eq!(err(s("yes"), &Type::Bool).1, "a bool is required");
        assert_eq!(
            err(s("True"), &Type::Bool).1,
            "a bool is required; to convert from string, use lowercase \"true\""
        );
        assert_eq!(err(Value::Bool(true), &Type::Number).1, "number required");
        assert_eq!(err(n(1.0), &Type::Bool).1, "bool required");
        assert_eq!(err(list(vec![]), &Type::String).1, "string required");
        assert_eq!(
            err(s("x"), &Type::List(Box::new(Type::String))).1,
            "list of string required"
        );
        assert_eq!(
            err(s("x"), &Type::Map(Box::new(Type::Number))).1,
            "map of number required"
        );
        assert_eq!(err(s("x"), &obj(&[("a", Type::String)], &[])).1, "object required");
    }

    #[test]
    fn lists_sets_and_tuples_convert_elementwise() {
        let v = list(vec![n(1.0), s("2")]);
        assert_eq!(
            convert(v.clone(), &Type::List(Box::new(Type::String))),
            Ok(list(vec![s("1"), s("2")]))
        );
        assert_eq!(
            convert(v.clone(), &Type::Tuple(vec![Type::String, Type::Number])),
            Ok(list(vec![s("1"), n(2.0)]))
        );
        let set = convert(
            list(vec![s("b"), s("a"), s("b"), n(1.0)]),
            &Type::Set(Box::new(Type::String)),
        );
        assert_eq!(set, Ok(list(vec![s("1"), s("a"), s("b")])));
        let nums = convert(list(vec![n(10.0), n(2.0), n(10.0)]), &Type::Set(Box::new(Type::Number)));
        assert_eq!(nums, Ok(list(vec![n(2.0), n(10.0)])));
        assert_eq!(
            err(v, &Type::Tuple(vec![Type::String])).1,
            "tuple with 1 element required, got 2"
        );
    }

    #[test]
    fn element_errors_carry_their_path() {
        let ty = Type::List(Box::new(obj(&[("name", Type::String)], &[])));
        let v = list(vec![Value::object([("name", list(vec![]))])]);
        assert_eq!(err(v, &ty), ("[0].name".to_string(), "string required".to_string()));

        let ty = obj(
            &[("columns", Type::List(Box::new(obj(&[("name", Type::String)], &[]))))],
            &[],
        );
        let v = Value::object([(
            "columns",
            list(vec![
                Value::object([("name", s("a"))]),
                Value::object([("other", s("b"))]),
            ]),
        )]);
        assert_eq!(
            err(v, &ty),
            ("columns[1]".to_string(), "attribute \"name\" is required".to_string())
        );

        let ty = Type::Map(Box::new(Type::Number));
        let v = Value::object([("gpu", s("many"))]);
        assert_eq!(
            err(v, &ty),
            ("[\"gpu\"]".to_string(), "a number is required".to_string())
        );
    }

    #[test]
    fn objects_fill_optional_drop_extra_and_name_missing() {
        let ty = obj(&[("name", Type::String), ("size", Type::Number)], &["size"]);
        let v = Value::object([("name", s("a")), ("extra", s("dropped"))]);
        assert_eq!(
            convert(v, &ty),
            Ok(Value::object([("name", s("a")), ("size", Value::Null)]))
        );
        let ty = obj(&[("a", Type::String), ("b", Type::String), ("c", Type::String)], &[]);
        assert_eq!(
            err(Value::object([("b", s("x"))]), &ty).1,
            "attributes \"a\" and \"c\" are required"
        );
        assert_eq!(
            err(Value::object(Vec::<(&str, Value)>::new()), &ty).1,
            "attributes \"a\", \"b\", and \"c\" are required"
        );
    }

    #[test]
    fn any_keeps_the_value_and_unifies_collections() {
        let v = Value::object([("a", list(vec![n(1.0), s("x")]))]);
        assert_eq!(convert(v.clone(), &Type::Any), Ok(v));
        assert_eq!(
            convert(list(vec![s("a"), n(1.0)]), &Type::List(Box::new(Type::Any))),
            Ok(list(vec![s("a"), s("1")]))
        );
        assert_eq!(
            err(list(vec![s("a"), list(vec![])]), &Type::List(Box::new(Type::Any))).1,
            "all list elements must have the same type"
        );
        assert_eq!(
            err(
                Value::object([("a", n(1.0)), ("b", Value::Bool(true))]),
                &Type::Map(Box::new(Type::Any))
            )
            .1,
            "all map elements must have the same type"
        );
    }

    #[test]
    fn null_unknown_and_sensitive() {
        let ty = Type::List(Box::new(Type::Number));
        assert_eq!(convert(Value::Null, &ty), Ok(Value::Null));
        assert_eq!(convert(Value::Unknown, &ty), Ok(Value::Unknown));
        assert_eq!(
            convert(list(vec![Value::Unknown, s("2")]), &ty),
            Ok(list(vec![Value::Unknown, n(2.0)]))
        );
        assert_eq!(convert(s("2").mark(), &Type::Number), Ok(n(2.0).mark()));
        assert_eq!(convert(list(vec![s("2").mark()]), &ty), Ok(list(vec![n(2.0).mark()])));
        let e = convert(s("x").mark(), &Type::Number).expect_err("not a number");
        assert_eq!(e.message, "a number is required");
        assert_eq!(
            convert(
                list(vec![Value::Unknown, s("a"), s("a")]),
                &Type::Set(Box::new(Type::String))
            ),
            Ok(list(vec![s("a"), Value::Unknown]))
        );
    }

    #[test]
    fn unification_rules() {
        assert_eq!(unify_types(&[Type::Number, Type::String]), Some(Type::String));
        assert_eq!(unify_types(&[Type::Number, Type::Bool]), None);
        assert_eq!(unify_types(&[Type::Any, Type::Bool]), Some(Type::Bool));
        let a = infer_type(&Value::object([("x", n(1.0))]));
        let b = infer_type(&Value::object([("y", s("s"))]));
        assert_eq!(unify_types(&[a, b]), Some(Type::Map(Box::new(Type::String))));
        let a = infer_type(&list(vec![n(1.0)]));
        let b = infer_type(&list(vec![n(1.0), n(2.0)]));
        assert_eq!(unify_types(&[a, b]), Some(Type::List(Box::new(Type::Number))));
    }
}
