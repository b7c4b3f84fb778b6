//! Encodings: `jsonencode` / `jsondecode` (JSON written as Terraform writes it), `yamlencode` /
//! `yamldecode` (over `yaml.rs`), `base64encode` / `base64decode`. Hashes are in `crypto.rs`.

use super::*;

/// A JSON string as Go's encoder writes it (Terraform's `jsonencode`): `<`, `>`, `&`, U+2028 and
/// U+2029 escaped.
pub(super) fn json_quote(s: &str) -> String {
    serde_json::to_string(s)
        .unwrap_or_default()
        .replace('<', "\\u003c")
        .replace('>', "\\u003e")
        .replace('&', "\\u0026")
        .replace('\u{2028}', "\\u2028")
        .replace('\u{2029}', "\\u2029")
}

/// Compact JSON with keys in order and numbers without exponent, as Terraform writes it.
pub(super) fn json_text(v: &Value) -> String {
    let mut out = String::new();
    write_json(v, &mut out);
    out
}

pub(super) fn write_json(v: &Value, out: &mut String) {
    match v {
        Value::Null | Value::Unknown => out.push_str("null"),
        Value::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        Value::Number(n) if n.is_finite() => out.push_str(&n.to_string()),
        Value::Number(_) => out.push_str("null"),
        Value::String(s) => out.push_str(&json_quote(s)),
        Value::List(items) => {
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                write_json(item, out);
            }
            out.push(']');
        }
        Value::Map(m) => {
            out.push('{');
            for (i, (k, item)) in m.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                out.push_str(&json_quote(k));
                out.push(':');
                write_json(item, out);
            }
            out.push('}');
        }
        Value::Sensitive(inner) => write_json(inner, out),
    }
}

pub(super) fn f_jsonencode(a: &[Value], _: &Cx) -> Result<Value, Fail> {
    Ok(Value::String(json_text(&a[0])))
}

pub(super) fn f_jsondecode(a: &[Value], _: &Cx) -> Result<Value, Fail> {
    let s = str_arg(a, 0)?;
    match serde_json::from_str::<serde_json::Value>(&s) {
        Ok(j) => Ok(Value::from_json(&j)),
        Err(e) => Err(call_err(format!("invalid JSON: {e}"))),
    }
}

pub(super) fn f_yamlencode(a: &[Value], _: &Cx) -> Result<Value, Fail> {
    Ok(Value::String(yaml::encode(&a[0])))
}

pub(super) fn f_yamldecode(a: &[Value], _: &Cx) -> Result<Value, Fail> {
    let s = str_arg(a, 0)?;
    if s.trim().is_empty() {
        return Ok(Value::Null);
    }
    let doc: serde_norway::Value = serde_norway::from_str(&s).map_err(|e| call_err(format!("invalid YAML: {e}")))?;
    Ok(yaml::to_value(doc))
}

pub(super) fn f_base64encode(a: &[Value], _: &Cx) -> Result<Value, Fail> {
    Ok(Value::String(
        base64::engine::general_purpose::STANDARD.encode(str_arg(a, 0)?),
    ))
}

pub(super) fn f_base64decode(a: &[Value], cx: &Cx) -> Result<Value, Fail> {
    let s = str_arg(a, 0)?;
    let bytes = base64::engine::general_purpose::STANDARD
        .decode(s.as_bytes())
        .map_err(|_| Fail::Param(0, format!("failed to decode base64 data {}", cx.show(0, &s))))?;
    String::from_utf8(bytes).map(Value::String).map_err(|_| {
        Fail::Param(
            0,
            "the result of decoding the provided string is not valid UTF-8".into(),
        )
    })
}
