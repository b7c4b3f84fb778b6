//! Time and identity: `timestamp` (RFC 3339 in UTC) and `uuid`. While planning the evaluator
//! makes both unknown; these are the values at apply.

use super::*;

pub(super) fn f_timestamp(_: &[Value], _: &Cx) -> Result<Value, Fail> {
    // RFC 3339 in UTC, like `2024-05-01T12:30:00Z`, as Terraform's timestamp() returns it.
    Ok(Value::String(crate::time::now_rfc3339()))
}

pub(super) fn f_uuid(_: &[Value], _: &Cx) -> Result<Value, Fail> {
    Ok(Value::String(uuid::Uuid::new_v4().to_string()))
}
