//! `plinth state show ADDR`: one recorded instance rendered like an HCL block, sensitive values
//! as `(sensitive)`. Finding instances is the parent module's; this file only renders.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use serde_json::Value;

use super::{list, no_match, parse_arg};
use crate::addrs::{Address, Key, ResourceInstance, StateKey};
use crate::state::{State, StateError};

/// `plinth state show ADDR`: one instance rendered like HCL, sensitive values hidden.
pub fn show(state: &State, addr: &str) -> Result<String, StateError> {
    let Some(r) = state.resources.get(addr) else {
        return Err(not_one_instance(state, addr, "show"));
    };
    let name = match ResourceInstance::parse(addr) {
        Ok(i) => i.resource.name,
        Err(_) => addr.rsplit('.').next().unwrap_or(addr).to_string(),
    };
    let block = if r.mode == "data" { "data" } else { "resource" };
    // Terraform's `state show` marks a tainted instance the same way.
    let tainted = if r.tainted { " (tainted)" } else { "" };
    let mut out = format!("# {addr}:{tainted}\n{block} {:?} {:?} {{\n", r.type_name, name);
    match &r.attributes {
        Value::Object(map) => render_fields(&mut out, map, "", &r.sensitive, 1),
        Value::Null => {}
        other => {
            // Not an object: show it whole rather than hide it.
            out.push_str("    value = ");
            render_value(&mut out, other, "value", &r.sensitive, 1);
            out.push('\n');
        }
    }
    out.push_str("}\n");
    Ok(out)
}

/// Why `addr` names no one instance of `state`, for a command (`show`, `taint`) that needs one:
/// it is malformed, it names a resource whose instances have keys, or nothing matches it.
pub(super) fn not_one_instance(state: &State, addr: &str, verb: &str) -> StateError {
    // A deposed object's key is an address too, so only a key of neither kind is invalid.
    if StateKey::parse(addr).is_err()
        && let Err(e) = parse_arg(addr)
    {
        return e;
    }
    if let Ok(filter) = Address::parse(addr) {
        let instances = list(state, &[addr.to_string()]);
        if !instances.is_empty() && matches!(&filter, Address::Instance(i) if i.key == Key::None) {
            return StateError::Other(format!(
                "{addr} has instances with keys; {verb} one of them: {}",
                instances.join(", ")
            ));
        }
    }
    no_match(addr)
}

const INDENT: &str = "    ";

fn is_identifier(s: &str) -> bool {
    s.starts_with(|c: char| c.is_alphabetic() || c == '_')
        && s.chars().all(|c| c.is_alphanumeric() || c == '_' || c == '-')
}

fn hcl_string(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            // Keep literal `${` and `%{` from reading as template sequences.
            '$' | '%' if chars.peek() == Some(&'{') => {
                out.push(c);
                out.push(c);
            }
            c if c.is_control() => {
                let _ = write!(out, "\\u{:04x}", c as u32);
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

fn is_sensitive(sensitive: &BTreeMap<String, String>, path: &str) -> bool {
    sensitive.contains_key(path)
}

/// The paths a child of an object can be known by: `a.b` (an attribute) or `a["b"]` (a map key).
fn child_paths(parent: &str, key: &str) -> [String; 2] {
    if parent.is_empty() {
        [key.to_string(), format!("[{key:?}]")]
    } else {
        [format!("{parent}.{key}"), format!("{parent}[{key:?}]")]
    }
}

fn render_fields(
    out: &mut String,
    map: &serde_json::Map<String, Value>,
    path: &str,
    sensitive: &BTreeMap<String, String>,
    depth: usize,
) {
    let mut keys: Vec<&String> = map.keys().collect();
    keys.sort();
    let label = |k: &str| if is_identifier(k) { k.to_string() } else { hcl_string(k) };
    let width = keys.iter().map(|k| label(k).chars().count()).max().unwrap_or(0);
    for k in keys {
        let paths = child_paths(path, k);
        let l = label(k);
        let _ = write!(
            out,
            "{}{l}{} = ",
            INDENT.repeat(depth),
            " ".repeat(width - l.chars().count())
        );
        if paths.iter().any(|p| is_sensitive(sensitive, p)) {
            out.push_str("(sensitive)");
        } else {
            render_value(out, &map[k.as_str()], &paths[0], sensitive, depth);
        }
        out.push('\n');
    }
}

fn render_value(out: &mut String, v: &Value, path: &str, sensitive: &BTreeMap<String, String>, depth: usize) {
    match v {
        Value::Null => out.push_str("null"),
        Value::Bool(b) => {
            let _ = write!(out, "{b}");
        }
        Value::Number(n) => {
            let _ = write!(out, "{n}");
        }
        Value::String(s) => out.push_str(&hcl_string(s)),
        Value::Array(items) if items.is_empty() => out.push_str("[]"),
        Value::Array(items) => {
            let scalar = |v: &Value| !matches!(v, Value::Array(_) | Value::Object(_));
            let any_sensitive = (0..items.len()).any(|i| is_sensitive(sensitive, &format!("{path}[{i}]")));
            if items.iter().all(scalar) && !any_sensitive {
                let mut line = String::from("[");
                for (i, item) in items.iter().enumerate() {
                    if i > 0 {
                        line.push_str(", ");
                    }
                    render_value(&mut line, item, path, sensitive, depth);
                }
                line.push(']');
                if line.len() <= 80 {
                    out.push_str(&line);
                    return;
                }
            }
            out.push_str("[\n");
            for (i, item) in items.iter().enumerate() {
                let p = format!("{path}[{i}]");
                out.push_str(&INDENT.repeat(depth + 1));
                if is_sensitive(sensitive, &p) {
                    out.push_str("(sensitive)");
                } else {
                    render_value(out, item, &p, sensitive, depth + 1);
                }
                out.push_str(",\n");
            }
            let _ = write!(out, "{}]", INDENT.repeat(depth));
        }
        Value::Object(map) if map.is_empty() => out.push_str("{}"),
        Value::Object(map) => {
            out.push_str("{\n");
            render_fields(out, map, path, sensitive, depth + 1);
            let _ = write!(out, "{}}}", INDENT.repeat(depth));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::fixtures::*;
    use super::*;

    #[test]
    fn show_renders_hcl_like_and_hides_sensitive() {
        let mut s = State::new();
        let mut r = res(
            "local_feature_table",
            serde_json::json!({
                "name": "users",
                "password": null,
                "columns": [{"name": "id", "type": "int"}, {"name": null, "type": "text"}],
                "tags": {"team": "ml", "cost center": "42"},
                "labels": {"secret": null},
                "ports": [80, 443],
                "template": "${x}\n",
                "empty": [],
            }),
        );
        r.sensitive.insert("password".into(), "hmac:1".into());
        r.sensitive.insert("columns[1].name".into(), "hmac:2".into());
        r.sensitive.insert("labels[\"secret\"]".into(), "hmac:3".into());
        s.resources
            .insert("module.m.local_feature_table.users[\"a\"]".into(), r);
        let text = show(&s, "module.m.local_feature_table.users[\"a\"]").expect("show");
        let expected = r#"# module.m.local_feature_table.users["a"]:
resource "local_feature_table" "users" {
    columns  = [
        {
            name = "id"
            type = "int"
        },
        {
            name = (sensitive)
            type = "text"
        },
    ]
    empty    = []
    labels   = {
        secret = (sensitive)
    }
    name     = "users"
    password = (sensitive)
    ports    = [80, 443]
    tags     = {
        "cost center" = "42"
        team          = "ml"
    }
    template = "$${x}\n"
}
"#;
        assert_eq!(text, expected);
    }

    #[test]
    fn show_data_source_and_errors() {
        let s = sample();
        let text = show(&s, "data.local_file.x").expect("show");
        assert!(
            text.starts_with("# data.local_file.x:\ndata \"local_file\" \"x\" {\n"),
            "{text}"
        );
        let e = err_text(show(&s, "local_file.nope"));
        assert!(e.contains("plinth state list"), "{e}");
        let e = err_text(show(&s, "local_file.x"));
        assert!(e.contains("local_file.x[0]") && e.contains("show one of them"), "{e}");
        expect_test::expect![[
            r#"invalid address "local_file.x[1": expected "]" after the instance key, found the end at column 15"#
        ]]
        .assert_eq(&err_text(show(&s, "local_file.x[1")));
    }
}
