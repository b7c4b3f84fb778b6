//! The attribute tables of `docs/providers/mlflow.md` are the provider's own schemas: this
//! test renders them and fails when the page is out of date. `PLINTH_BLESS_DOCS=1 cargo test -p
//! plinth-mlflow --test docs -- --nocapture` prints the current tables to paste.

use plinth_mlflow::MlflowProvider;
use plinth_sdk::{Provider, Schema, Type};

fn type_name(t: &Type) -> String {
    match t {
        Type::String => "string".into(),
        Type::Number => "number".into(),
        Type::Bool => "bool".into(),
        Type::List(t) => format!("list({})", type_name(t)),
        Type::Set(t) => format!("set({})", type_name(t)),
        Type::Map(t) => format!("map({})", type_name(t)),
        Type::Any => "any".into(),
        Type::Object { .. } => "object".into(),
        Type::Tuple(_) => "tuple".into(),
    }
}

fn rows(schema: &Schema, prefix: &str, out: &mut Vec<String>) {
    for (name, a) in &schema.attributes {
        let mut flags = Vec::new();
        if a.required {
            flags.push("required");
        }
        if a.optional {
            flags.push("optional");
        }
        if a.computed {
            flags.push("computed");
        }
        if a.force_new {
            flags.push("force-new");
        }
        if a.sensitive {
            flags.push("sensitive");
        }
        if a.write_only {
            flags.push("write-only");
        }
        out.push(format!(
            "| `{prefix}{name}` | {} | {} | {} |",
            type_name(&a.ty),
            flags.join(", "),
            a.description.replace('|', "\\|")
        ));
    }
    for (name, b) in &schema.blocks {
        let count = match (b.min_items, b.max_items) {
            (1, Some(1)) => "one, required".to_string(),
            (0, Some(1)) => "at most one".to_string(),
            (0, None) => "any number".to_string(),
            (n, None) => format!("{n} or more"),
            (n, Some(m)) => format!("{n} to {m}"),
        };
        let force = if b.force_new { ", force-new" } else { "" };
        out.push(format!(
            "| `{prefix}{name}` | block | {count}{force} | {} |",
            b.schema.description.replace('|', "\\|")
        ));
        rows(&b.schema, &format!("{prefix}{name}."), out);
    }
}

fn table(schema: &Schema) -> String {
    let mut out = vec![
        "| attribute | type | flags | description |".to_string(),
        "|---|---|---|---|".to_string(),
    ];
    rows(schema, "", &mut out);
    out.join("\n")
}

#[test]
fn the_reference_page_shows_the_current_schemas() {
    let schema = MlflowProvider::new().schema();
    let mut tables = vec![("provider \"mlflow\"".to_string(), table(&schema.provider))];
    for (name, s) in &schema.resources {
        tables.push((name.clone(), table(s)));
    }
    for (name, s) in &schema.data_sources {
        tables.push((format!("data \"{name}\""), table(s)));
    }
    let page_path = concat!(env!("CARGO_MANIFEST_DIR"), "/../../docs/providers/mlflow.md");
    if std::env::var_os("PLINTH_BLESS_DOCS").is_some() {
        for (name, t) in &tables {
            println!("### {name}\n\n{t}\n");
        }
        return;
    }
    let page = std::fs::read_to_string(page_path).expect("docs/providers/mlflow.md");
    for (name, t) in &tables {
        assert!(
            page.contains(t.as_str()),
            "the table of {name} in docs/providers/mlflow.md is out of date; it should read:\n{t}"
        );
    }
}
