//! Hash functions: `sha256`, `sha512`, `base64sha256`, `base64sha512` (of a string's UTF-8
//! bytes). `filesha256` is with the file functions.

use super::*;

pub(super) fn f_sha256(a: &[Value], _: &Cx) -> Result<Value, Fail> {
    Ok(Value::String(hex::encode(sha2::Sha256::digest(str_arg(a, 0)?))))
}

pub(super) fn f_sha512(a: &[Value], _: &Cx) -> Result<Value, Fail> {
    Ok(Value::String(hex::encode(sha2::Sha512::digest(str_arg(a, 0)?))))
}

pub(super) fn f_base64sha256(a: &[Value], _: &Cx) -> Result<Value, Fail> {
    let digest = sha2::Sha256::digest(str_arg(a, 0)?);
    Ok(Value::String(base64::engine::general_purpose::STANDARD.encode(digest)))
}

pub(super) fn f_base64sha512(a: &[Value], _: &Cx) -> Result<Value, Fail> {
    let digest = sha2::Sha512::digest(str_arg(a, 0)?);
    Ok(Value::String(base64::engine::general_purpose::STANDARD.encode(digest)))
}
