//! Type conversion with Terraform's rules (filled in by the conversion work).

use crate::value::{Type, Value};

/// Why a value does not convert to a type.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[error("{message}")]
pub struct ConvertError {
    /// Where inside the value the problem is (`columns[0].name`), empty for the value itself.
    pub path: String,
    pub message: String,
}

/// Converts `value` to `ty` as Terraform does.
pub fn convert(value: Value, ty: &Type) -> Result<Value, ConvertError> {
    let _ = ty;
    Ok(value)
}
