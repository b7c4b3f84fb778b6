//! Type conversions and marks: the `to*` conversions (which keep marks where they are) and
//! `sensitive` / `nonsensitive`.

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
