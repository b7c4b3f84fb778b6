//! Type constraints: the `type = ...` of a `variable` block, read from the hcl-edit syntax tree.
//!
//! A type constraint looks like an expression but is not evaluated: `string` is a plain variable
//! and `list(string)` a function call to hcl-edit, so this reader walks the tree itself and turns
//! it into a [`Type`]. Converting a value to the type is `plinth_sdk::convert`. Errors carry the
//! span of the part at fault, for the caret.
//!
//! The one place values appear is `optional(T, default)`: the default is evaluated here, with no
//! variables in scope (as Terraform does), converted to `T`, and kept in a [`Defaults`] tree beside
//! the type, because a [`Type`] is shared with provider schemas and has no room for values.
//! [`Defaults::apply`] fills them in before the value is converted to the type.

use std::collections::BTreeMap;
use std::ops::Range;
use std::path::Path;

use hcl::edit::Span;
use hcl::edit::expr::{Expression, FuncCall, ObjectKey};
use plinth_sdk::Map;
use plinth_sdk::convert::convert;
use plinth_sdk::{Type, Value};

use crate::lang::{EmptyScope, EvalContext, SecretError, SecretResolver, eval::eval};

/// A message and the span of the offending part of the expression.
pub type TypeExprError = (String, Option<Range<usize>>);

const EXPECTED: &str = "expected string, number, bool, list(T), set(T), map(T), object({...}), tuple([...]) or any";

/// Where, below a type, a set of defaults applies.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum DefaultsStep {
    /// The attribute of that name of an object.
    Attr(String),
    /// Every element of a list, set or map.
    Elem,
    /// The element at this position of a tuple.
    Index(usize),
}

/// The defaults of the `optional(T, default)` attributes of a type constraint, at every depth (as
/// Terraform's `typeexpr.Defaults`).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Defaults {
    /// Default values of this object's optional attributes, already converted to their types.
    pub values: Map,
    /// Defaults further down the type.
    pub children: BTreeMap<DefaultsStep, Defaults>,
}

impl Defaults {
    /// Fills in the defaults: an optional attribute that is absent or null takes its default (and
    /// a default that is itself an object gets its own attributes' defaults), at every depth.
    /// A null or unknown value is left as it is; marks stay where they are.
    pub fn apply(&self, value: Value) -> Value {
        match value {
            Value::Sensitive(inner) => Value::Sensitive(Box::new(self.apply(*inner))),
            Value::List(items) => Value::List(
                items
                    .into_iter()
                    .enumerate()
                    .map(|(i, item)| {
                        match self
                            .children
                            .get(&DefaultsStep::Index(i))
                            .or_else(|| self.children.get(&DefaultsStep::Elem))
                        {
                            Some(d) => d.apply(item),
                            None => item,
                        }
                    })
                    .collect(),
            ),
            Value::Map(attrs) => {
                let mut attrs: Map = attrs
                    .into_iter()
                    .map(|(k, v)| {
                        let v = match self
                            .children
                            .get(&DefaultsStep::Attr(k.clone()))
                            .or_else(|| self.children.get(&DefaultsStep::Elem))
                        {
                            Some(d) => d.apply(v),
                            None => v,
                        };
                        (k, v)
                    })
                    .collect();
                for (name, default) in &self.values {
                    if attrs.get(name).is_none_or(Value::is_null) {
                        let v = match self.children.get(&DefaultsStep::Attr(name.clone())) {
                            Some(d) => d.apply(default.clone()),
                            None => default.clone(),
                        };
                        attrs.insert(name.clone(), v);
                    }
                }
                Value::Map(attrs)
            }
            other => other,
        }
    }
}

/// Reads a type constraint such as `map(object({ name = string, size = optional(number) }))`,
/// dropping any defaults (see [`parse_type_constraint`]).
pub fn parse_type(expr: &Expression) -> Result<Type, TypeExprError> {
    parse_type_constraint(expr).map(|(ty, _)| ty)
}

/// Reads a type constraint with the defaults of its `optional(T, default)` attributes (`None` when
/// it has none).
pub fn parse_type_constraint(expr: &Expression) -> Result<(Type, Option<Defaults>), TypeExprError> {
    match expr {
        Expression::Parenthesis(p) => parse_type_constraint(p.inner()),
        Expression::Variable(v) => match v.value().as_str() {
            "string" => Ok((Type::String, None)),
            "number" => Ok((Type::Number, None)),
            "bool" => Ok((Type::Bool, None)),
            "any" => Ok((Type::Any, None)),
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

fn parse_call(call: &FuncCall) -> Result<(Type, Option<Defaults>), TypeExprError> {
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
            let (elem, defaults) = parse_type_constraint(one_arg("one argument: the element type")?)?;
            let elem = Box::new(elem);
            let ty = match name {
                "list" => Type::List(elem),
                "set" => Type::Set(elem),
                _ => Type::Map(elem),
            };
            Ok((ty, defaults.map(|d| nest(DefaultsStep::Elem, d))))
        }
        "tuple" => {
            let arg = one_arg("one argument: a list of element types, like tuple([string, number])")?;
            let Expression::Array(items) = arg else {
                return Err((
                    "tuple(...) requires a list of element types, like tuple([string, number])".into(),
                    arg.span(),
                ));
            };
            let mut types = Vec::new();
            let mut children = BTreeMap::new();
            for (i, item) in items.iter().enumerate() {
                let (ty, defaults) = parse_type_constraint(item)?;
                types.push(ty);
                if let Some(d) = defaults {
                    children.insert(DefaultsStep::Index(i), d);
                }
            }
            let defaults = (!children.is_empty()).then(|| Defaults {
                values: Map::new(),
                children,
            });
            Ok((Type::Tuple(types), defaults))
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
            let mut defaults = Defaults::default();
            for (key, value) in obj.iter() {
                let name = attr_name(key)?;
                if attrs.contains_key(&name) {
                    return Err((format!("attribute \"{name}\" is defined more than once"), key.span()));
                }
                let (ty, inner) = match value.expr() {
                    Expression::FuncCall(c)
                        if c.name.name.value().as_str() == "optional" && !c.name.is_namespaced() =>
                    {
                        optional.push(name.clone());
                        let (ty, inner, default) = parse_optional(c)?;
                        if let Some(d) = default {
                            defaults.values.insert(name.clone(), d);
                        }
                        (ty, inner)
                    }
                    e => parse_type_constraint(e)?,
                };
                if let Some(d) = inner {
                    defaults.children.insert(DefaultsStep::Attr(name.clone()), d);
                }
                attrs.insert(name, ty);
            }
            let defaults = (!defaults.values.is_empty() || !defaults.children.is_empty()).then_some(defaults);
            Ok((Type::Object { attrs, optional }, defaults))
        }
        "optional" => Err((
            "optional(...) is only allowed as the type of an object attribute".into(),
            call.span(),
        )),
        other => Err((format!("unknown type constructor \"{other}\"; {EXPECTED}"), call.span())),
    }
}

fn nest(step: DefaultsStep, inner: Defaults) -> Defaults {
    Defaults {
        values: Map::new(),
        children: BTreeMap::from([(step, inner)]),
    }
}

/// `optional(T)` or `optional(T, default)`: the type, the defaults inside it, and the default.
fn parse_optional(call: &FuncCall) -> Result<(Type, Option<Defaults>, Option<Value>), TypeExprError> {
    let args: Vec<&Expression> = call.args.iter().collect();
    match args.as_slice() {
        [ty] => {
            let (ty, inner) = parse_type_constraint(ty)?;
            Ok((ty, inner, None))
        }
        [] => Err((
            "optional(...) requires the attribute type, like optional(string)".into(),
            call.args.span().or_else(|| call.span()),
        )),
        [ty, default] => {
            let (ty, inner) = parse_type_constraint(ty)?;
            let value = default_value(default, &ty)?;
            Ok((ty, inner, Some(value)))
        }
        [_, _, extra, ..] => Err((
            "optional(...) takes at most two arguments: the attribute type and its default".into(),
            extra.span(),
        )),
    }
}

/// Refuses `secret(...)`: a type constraint is part of the configuration's shape, not a place
/// for secrets.
struct NoSecretsInTypes;

impl SecretResolver for NoSecretsInTypes {
    fn resolve(&self, _source: &str, _base_dir: &Path) -> Result<String, SecretError> {
        Err(SecretError("secret(...) is not allowed in a type constraint.".into()))
    }
}

/// Evaluates an `optional` default with nothing in scope and converts it to the attribute type.
fn default_value(expr: &Expression, ty: &Type) -> Result<Value, TypeExprError> {
    let ctx = EvalContext {
        file: usize::MAX,
        scope: &EmptyScope,
        secrets: &NoSecretsInTypes,
        base_dir: Path::new("."),
    };
    let value = eval(expr, &ctx).map_err(|ds| {
        let why = ds
            .into_iter()
            .map(|d| {
                if d.detail.is_empty() {
                    d.summary
                } else {
                    format!("{}: {}", d.summary, d.detail)
                }
            })
            .collect::<Vec<_>>()
            .join("; ");
        (
            format!("the default of an optional attribute must be a constant value, without references ({why})"),
            expr.span(),
        )
    })?;
    convert(value, ty).map_err(|e| {
        let at = if e.path.is_empty() { String::new() } else { format!(" at {}", e.path) };
        (
            format!(
                "this default value is not compatible with the attribute's type {ty}{at}: {}; give a default of type {ty}",
                e.message
            ),
            expr.span(),
        )
    })
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
        let (msg, at) = err("object({ a = optional(number, \"x\") })");
        assert!(
            msg.starts_with("this default value is not compatible with the attribute's type number"),
            "{msg}"
        );
        assert_eq!(at, "\"x\"");
        let (msg, at) = err("object({ a = optional(string, \"x\", 1) })");
        assert_eq!(
            msg,
            "optional(...) takes at most two arguments: the attribute type and its default"
        );
        assert_eq!(at, "1");
        let (msg, at) = err("object({ a = string, \"a\" = number })");
        assert_eq!(msg, "attribute \"a\" is defined more than once");
        assert_eq!(at, "\"a\"");
        let (msg, at) = err("1 + 2");
        assert!(msg.starts_with("this is not a type constraint"), "{msg}");
        assert_eq!(at, "1 + 2");
    }

    fn constraint(src: &str) -> (Type, Option<Defaults>) {
        let text = format!("type = {src}");
        let body = hcl::edit::parser::parse_body(&text).expect("test source parses");
        let attr = body.get_attribute("type").expect("type attribute");
        parse_type_constraint(&attr.value).expect("type parses")
    }

    fn value(src: &str) -> Value {
        let expr = hcl::edit::parser::parse_expr(src).expect("value parses");
        eval(
            &expr,
            &EvalContext {
                file: 0,
                scope: &EmptyScope,
                secrets: &crate::lang::NoSecrets,
                base_dir: Path::new("."),
            },
        )
        .expect("value evaluates")
    }

    /// Applies the defaults of `ty` to `given` and converts, as a variable does.
    fn fill(ty: &str, given: &str) -> Value {
        let (ty, defaults) = constraint(ty);
        let v = value(given);
        let v = defaults.map_or(v.clone(), |d| d.apply(v));
        convert(v, &ty).expect("converts")
    }

    #[test]
    fn defaults_are_converted_to_the_attribute_type() {
        let (ty, d) = constraint("object({ n = optional(string, 1), m = optional(number) })");
        assert_eq!(ty, obj(&[("m", Type::Number), ("n", Type::String)], &["n", "m"]));
        let d = d.expect("defaults");
        assert_eq!(d.values, plinth_sdk::Map::from([("n".to_string(), Value::string("1"))]));
        assert!(constraint("object({ n = optional(string) })").1.is_none());
    }

    #[test]
    fn defaults_fill_absent_and_null_attributes_at_every_depth() {
        let ty = "list(object({ a = optional(number, 1), o = optional(object({ b = optional(bool, true) }), {}) }))";
        assert_eq!(
            fill(ty, "[{}, { a = null, o = null }, { a = 2, o = { b = false } }]"),
            value("[{ a = 1, o = { b = true } }, { a = 1, o = { b = true } }, { a = 2, o = { b = false } }]")
        );
        let ty = "map(tuple([object({ x = optional(string, \"d\") })]))";
        assert_eq!(fill(ty, "{ k = [{}] }"), value("{ k = [{ x = \"d\" }] }"));
        // A null object stays null: defaults fill attributes, not the object itself.
        assert_eq!(fill("object({ a = optional(number, 1) })", "null"), Value::Null);
        // Marks stay where they are.
        let (_, d) = constraint("object({ a = optional(number, 1), s = string })");
        let given = Value::object([("s", Value::string("x").mark())]);
        assert_eq!(
            d.expect("defaults").apply(given),
            Value::object([("a", Value::int(1)), ("s", Value::string("x").mark())])
        );
    }
}
