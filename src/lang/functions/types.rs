//! Type conversions and marks: the `to*` conversions (which keep marks where they are),
//! `sensitive` / `nonsensitive`, and `type`.

use super::*;

pub(super) fn m_sensitive(args: Vec<Value>, _: &FuncContext) -> Result<Value, Fail> {
    Ok(args.into_iter().next().unwrap_or_default().mark())
}

pub(super) fn m_nonsensitive(args: Vec<Value>, _: &FuncContext) -> Result<Value, Fail> {
    Ok(args.into_iter().next().unwrap_or_default().unmark().0)
}

pub(super) fn convert_arg(args: Vec<Value>, ty: &Type) -> Result<Value, Fail> {
    let v = args.into_iter().next().unwrap_or_default();
    convert(v, ty).map_err(|e| Fail::Param(0, convert_message(e)))
}

pub(super) fn m_tostring(args: Vec<Value>, _: &FuncContext) -> Result<Value, Fail> {
    convert_arg(args, &Type::String)
}

pub(super) fn m_tonumber(args: Vec<Value>, _: &FuncContext) -> Result<Value, Fail> {
    convert_arg(args, &Type::Number)
}

pub(super) fn m_tobool(args: Vec<Value>, _: &FuncContext) -> Result<Value, Fail> {
    convert_arg(args, &Type::Bool)
}

pub(super) fn m_tolist(args: Vec<Value>, _: &FuncContext) -> Result<Value, Fail> {
    convert_arg(args, &Type::List(Box::new(Type::Any)))
}

pub(super) fn m_toset(args: Vec<Value>, _: &FuncContext) -> Result<Value, Fail> {
    convert_arg(args, &Type::Set(Box::new(Type::Any)))
}

pub(super) fn m_tomap(args: Vec<Value>, _: &FuncContext) -> Result<Value, Fail> {
    convert_arg(args, &Type::Map(Box::new(Type::Any)))
}

/// `type(value)`: the value's type as a string, such as `object({name: string})`.
///
/// Terraform's `type()` works only in `terraform console` and prints a type; Plinth returns the
/// text so that it can be used anywhere (in an output, a message). A value does not remember
/// whether it came from a list or a tuple, a map or an object (see `plinth_sdk::Value`), so the
/// type is read from the value's shape as Terraform reads a literal's: a list is a `tuple([...])`,
/// a map an `object({...})`, and `null` is `dynamic`. Unknown and sensitive arguments follow the
/// default mark rule (the result is unknown, or sensitive).
pub(super) fn f_type(args: &[Value], _: &Cx) -> Result<Value, Fail> {
    Ok(Value::string(type_text(args.first().unwrap_or(&Value::Null))))
}

fn type_text(v: &Value) -> String {
    match v {
        Value::Null | Value::Unknown => "dynamic".into(),
        Value::Bool(_) => "bool".into(),
        Value::Number(_) => "number".into(),
        Value::String(_) => "string".into(),
        Value::List(items) => {
            let items: Vec<String> = items.iter().map(type_text).collect();
            format!("tuple([{}])", items.join(", "))
        }
        Value::Map(attrs) => {
            let attrs: Vec<String> = attrs.iter().map(|(k, v)| format!("{k}: {}", type_text(v))).collect();
            format!("object({{{}}})", attrs.join(", "))
        }
        Value::Sensitive(inner) => type_text(inner),
    }
}
