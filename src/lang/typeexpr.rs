//! Type constraints: the `type = ...` of a `variable` block, read from the hcl-edit syntax tree.
//!
//! A type constraint looks like an expression but is not evaluated: `string` is a plain variable
//! and `list(string)` a function call to hcl-edit, so this reader walks the tree itself and turns
//! it into a [`Type`]. It knows nothing of values; converting a value to the type is
//! `plinth_sdk::convert`. Errors carry the span of the part at fault, for the caret.

use std::collections::BTreeMap;
use std::ops::Range;

use hcl::edit::Span;
use hcl::edit::expr::{Expression, FuncCall, ObjectKey};
use plinth_sdk::Type;

/// A message and the span of the offending part of the expression.
pub type TypeExprError = (String, Option<Range<usize>>);

const EXPECTED: &str = "expected string, number, bool, list(T), set(T), map(T), object({...}), tuple([...]) or any";

/// Reads a type constraint such as `map(object({ name = string, size = optional(number) }))`.
pub fn parse_type(expr: &Expression) -> Result<Type, TypeExprError> {
    match expr {
        Expression::Parenthesis(p) => parse_type(p.inner()),
        Expression::Variable(v) => match v.value().as_str() {
            "string" => Ok(Type::String),
            "number" => Ok(Type::Number),
            "bool" => Ok(Type::Bool),
            "any" => Ok(Type::Any),
            kw @ ("list" | "set" | "map") => Err((
                format!("the {kw} type constraint requires an element type, like {kw}(string)"),
                v.span(),
            )),
            "object" => Err((
                "the object type constraint requires attribute types, like object({ name = string })".into(),
                v.span(),
            )),
            "tuple" => Err((
                "the tuple type constraint requires element types, like tuple([string, number])".into(),
                v.span(),
            )),
            other => Err((format!("unknown type \"{other}\"; {EXPECTED}"), v.span())),
        },
        Expression::String(s) => Err((
            format!(
                "type constraints are not quoted strings: write {} instead of \"{}\"",
                s.value(),
                s.value()
            ),
            s.span(),
        )),
        Expression::FuncCall(call) => parse_call(call),
        other => Err((format!("this is not a type constraint; {EXPECTED}"), other.span())),
    }
}

fn parse_call(call: &FuncCall) -> Result<Type, TypeExprError> {
    let name = call.name.name.value().as_str();
    if call.name.is_namespaced() {
        return Err((format!("unknown type constructor \"{name}\"; {EXPECTED}"), call.span()));
    }
    if call.args.expand_final() {
        return Err((
            "argument expansion (...) is not allowed in a type constraint".into(),
            call.args.span().or_else(|| call.span()),
        ));
    }
    let args: Vec<&Expression> = call.args.iter().collect();
    let one_arg = |what: &str| -> Result<&Expression, TypeExprError> {
        match args.as_slice() {
            [only] => Ok(only),
            [] => Err((
                format!("{name}(...) requires {what}"),
                call.args.span().or_else(|| call.span()),
            )),
            [_, extra, ..] => Err((format!("{name}(...) takes only {what}"), extra.span())),
        }
    };
    match name {
        "list" | "set" | "map" => {
            let elem = Box::new(parse_type(one_arg("one argument: the element type")?)?);
            Ok(match name {
                "list" => Type::List(elem),
                "set" => Type::Set(elem),
                _ => Type::Map(elem),
            })
        }
        "tuple" => {
            let arg = one_arg("one argument: a list of element types, like tuple([string, number])")?;
            let Expression::Array(items) = arg else {
                return Err((
                    "tuple(...) requires a list of element types, like tuple([string, number])".into(),
                    arg.span(),
                ));
            };
            Ok(Type::Tuple(items.iter().map(parse_type).collect::<Result<_, _>>()?))
        }
        "object" => {
            let arg = one_arg("one argument: an object of attribute types, like object({ name = string })")?;
            let Expression::Object(obj) = arg else {
                return Err((
                    "object(...) requires an object of attribute types, like object({ name = string })".into(),
                    arg.span(),
                ));
            };
            let mut attrs = BTreeMap::new();
            let mut optional = Vec::new();
            for (key, value) in obj.iter() {
                let name = attr_name(key)?;
                if attrs.contains_key(&name) {
                    return Err((format!("attribute \"{name}\" is defined more than once"), key.span()));
                }
                let ty = match value.expr() {
                    Expression::FuncCall(c)
                        if c.name.name.value().as_str() == "optional" && !c.name.is_namespaced() =>
                    {
                        optional.push(name.clone());
                        parse_optional(c)?
                    }
                    e => parse_type(e)?,
                };
                attrs.insert(name, ty);
            }
            Ok(Type::Object { attrs, optional })
        }
        "optional" => Err((
            "optional(...) is only allowed as the type of an object attribute".into(),
            call.span(),
        )),
        other => Err((format!("unknown type constructor \"{other}\"; {EXPECTED}"), call.span())),
    }
}

fn parse_optional(call: &FuncCall) -> Result<Type, TypeExprError> {
    let args: Vec<&Expression> = call.args.iter().collect();
    match args.as_slice() {
        [ty] => parse_type(ty),
        [] => Err((
            "optional(...) requires the attribute type, like optional(string)".into(),
            call.args.span().or_else(|| call.span()),
        )),
        [_, default, ..] => Err((
            "default values in optional(...) are not supported; write optional(T) and use coalesce() or \
             a conditional where the attribute is read"
                .into(),
            default.span(),
        )),
    }
}

fn attr_name(key: &ObjectKey) -> Result<String, TypeExprError> {
    match key {
        ObjectKey::Ident(id) => Ok(id.value().as_str().to_string()),
        ObjectKey::Expression(Expression::String(s)) => Ok(s.value().to_string()),
        ObjectKey::Expression(Expression::Variable(v)) => Ok(v.value().as_str().to_string()),
        ObjectKey::Expression(e) => Err((
            "an object attribute name must be a name or a quoted string".into(),
            e.span(),
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Parses `type = SRC` and returns the type with the source, for span checks.
    fn parse(src: &str) -> (Result<Type, TypeExprError>, String) {
        let text = format!("type = {src}");
        let body = hcl::edit::parser::parse_body(&text).expect("test source parses");
        let attr = body.get_attribute("type").expect("type attribute");
        (parse_type(&attr.value), text)
    }

    fn ok(src: &str) -> Type {
        parse(src).0.expect("type parses")
    }

    /// The message and the source text the error's span covers.
    fn err(src: &str) -> (String, String) {
        let (res, text) = parse(src);
        let (msg, span) = res.expect_err("type should not parse");
        let span = span.expect("error has a span");
        (msg, text[span].to_string())
    }

    fn obj(attrs: &[(&str, Type)], optional: &[&str]) -> Type {
        Type::Object {
            attrs: attrs.iter().map(|(k, t)| (k.to_string(), t.clone())).collect(),
            optional: optional.iter().map(|k| k.to_string()).collect(),
        }
    }

    #[test]
    fn primitives_and_any() {
        assert_eq!(ok("string"), Type::String);
        assert_eq!(ok("number"), Type::Number);
        assert_eq!(ok("bool"), Type::Bool);
        assert_eq!(ok("any"), Type::Any);
        assert_eq!(ok("(string)"), Type::String);
    }

    #[test]
    fn collections() {
        assert_eq!(ok("list(string)"), Type::List(Box::new(Type::String)));
        assert_eq!(ok("set(number)"), Type::Set(Box::new(Type::Number)));
        assert_eq!(
            ok("map(list(bool))"),
            Type::Map(Box::new(Type::List(Box::new(Type::Bool))))
        );
        assert_eq!(
            ok("tuple([string, number])"),
            Type::Tuple(vec![Type::String, Type::Number])
        );
        assert_eq!(ok("tuple([])"), Type::Tuple(vec![]));
    }

    #[test]
    fn objects_with_optional_attributes() {
        let t = ok("object({ name = string, size = optional(number), \"tags\" = map(string) })");
        assert_eq!(
            t,
            obj(
                &[
                    ("name", Type::String),
                    ("size", Type::Number),
                    ("tags", Type::Map(Box::new(Type::String)))
                ],
                &["size"]
            )
        );
        let multi = ok("list(object({\n  name = string\n  gpus = optional(number)\n}))");
        assert_eq!(
            multi,
            Type::List(Box::new(obj(
                &[("name", Type::String), ("gpus", Type::Number)],
                &["gpus"]
            )))
        );
        assert_eq!(ok("object({})"), obj(&[], &[]));
    }

    #[test]
    fn unknown_names_point_at_the_name() {
        let (msg, at) = err("list(strin)");
        assert_eq!(
            msg,
            "unknown type \"strin\"; expected string, number, bool, list(T), set(T), map(T), object({...}), \
             tuple([...]) or any"
        );
        assert_eq!(at, "strin");
        let (msg, at) = err("vector(string)");
        assert!(msg.starts_with("unknown type constructor \"vector\""), "{msg}");
        assert_eq!(at, "vector(string)");
    }

    #[test]
    fn malformed_constraints_are_explained() {
        assert_eq!(
            err("list"),
            (
                "the list type constraint requires an element type, like list(string)".into(),
                "list".into()
            )
        );
        assert_eq!(
            err("\"string\""),
            (
                "type constraints are not quoted strings: write string instead of \"string\"".into(),
                "\"string\"".into()
            )
        );
        let (msg, at) = err("map(string, number)");
        assert_eq!(msg, "map(...) takes only one argument: the element type");
        assert_eq!(at, "number");
        let (msg, _) = err("list()");
        assert_eq!(msg, "list(...) requires one argument: the element type");
        let (msg, at) = err("tuple(string)");
        assert!(msg.starts_with("tuple(...) requires a list"), "{msg}");
        assert_eq!(at, "string");
        let (msg, at) = err("object([string])");
        assert!(msg.starts_with("object(...) requires an object"), "{msg}");
        assert_eq!(at, "[string]");
        let (msg, at) = err("optional(string)");
        assert_eq!(msg, "optional(...) is only allowed as the type of an object attribute");
        assert_eq!(at, "optional(string)");
        let (msg, at) = err("object({ a = optional(string, \"x\") })");
        assert!(
            msg.starts_with("default values in optional(...) are not supported"),
            "{msg}"
        );
        assert_eq!(at, "\"x\"");
        let (msg, at) = err("object({ a = string, \"a\" = number })");
        assert_eq!(msg, "attribute \"a\" is defined more than once");
        assert_eq!(at, "\"a\"");
        let (msg, at) = err("1 + 2");
        assert!(msg.starts_with("this is not a type constraint"), "{msg}");
        assert_eq!(at, "1 + 2");
    }
}
