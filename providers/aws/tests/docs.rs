//! The reference tables of `docs/providers/aws.md` are the provider's own schemas: this test
//! renders each type's attribute table and its list of Terraform arguments accepted but not yet
//! supported (`Schema::unsupported`), and fails when the page is out of date.
//! `PLINTH_BLESS_DOCS=1 cargo test -p plinth-aws --test docs -- --nocapture` prints them to paste.

use plinth_aws::AwsProvider;
use plinth_sdk::{Nesting, Provider, Schema, Type};

fn type_name(t: &Type) -> String {
    match t {
        Type::String => "string".into(),
        Type::Number => "number".into(),
        Type::Bool => "bool".into(),
        Type::List(t) => format!("list({})", type_name(t)),
        Type::Set(t) => format!("set({})", type_name(t)),
        Type::Map(t) => format!("map({})", type_name(t)),
        Type::Any => "any".into(),
        Type::Object { .. } => t.to_string(),
        Type::Tuple(_) => "tuple".into(),
    }
}

fn rows(schema: &Schema, prefix: &str, out: &mut Vec<String>) {
    for (name, a) in &schema.attributes {
        let flags: Vec<&str> = [
            (a.required, "required"),
            (a.optional, "optional"),
            (a.computed, "computed"),
            (a.force_new, "force-new"),
            (a.sensitive, "sensitive"),
            (a.write_only, "write-only"),
        ]
        .into_iter()
        .filter_map(|(on, f)| on.then_some(f))
        .collect();
        out.push(format!(
            "| `{prefix}{name}` | {} | {} | {} |",
            type_name(&a.ty),
            flags.join(", "),
            a.description.replace('|', "\\|")
        ));
    }
    for (name, b) in &schema.blocks {
        let mut flags = vec![
            match b.nesting {
                Nesting::Single => "single block",
                Nesting::List => "list of blocks",
                Nesting::Set => "set of blocks",
            }
            .to_string(),
        ];
        flags.push(if b.min_items > 0 {
            format!("required (at least {})", b.min_items)
        } else {
            "optional".to_string()
        });
        if let Some(max) = b.max_items
            && b.nesting != Nesting::Single
        {
            flags.push(format!("at most {max}"));
        }
        if b.force_new {
            flags.push("force-new".to_string());
        }
        if schema.computed_when_omitted.contains(name) {
            flags.push("computed when omitted".to_string());
        }
        out.push(format!(
            "| `{prefix}{name} {{ }}` | block | {} | {} |",
            flags.join(", "),
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

/// The names of the unsupported arguments and blocks, nested ones with their block's path.
fn unsupported(schema: &Schema, prefix: &str, out: &mut Vec<String>) {
    for (name, u) in &schema.unsupported {
        out.push(if u.block {
            format!("`{prefix}{name} {{ }}`")
        } else {
            format!("`{prefix}{name}`")
        });
    }
    for (name, b) in &schema.blocks {
        unsupported(&b.schema, &format!("{prefix}{name}."), out);
    }
}

fn not_yet(schema: &Schema) -> Option<String> {
    let mut names = Vec::new();
    unsupported(schema, "", &mut names);
    (!names.is_empty()).then(|| {
        format!(
            "Accepted but not yet supported (an error naming the argument when set to anything but null): {}.",
            names.join(", ")
        )
    })
}

#[test]
fn the_reference_page_shows_the_current_schemas() {
    let schema = AwsProvider::new().schema();
    let mut sections = Vec::new();
    for (name, s) in &schema.resources {
        sections.push((name.clone(), table(s), not_yet(s)));
    }
    for (name, s) in &schema.data_sources {
        sections.push((format!("data source {name}"), table(s), not_yet(s)));
    }
    if std::env::var_os("PLINTH_BLESS_DOCS").is_some() {
        for (name, t, n) in &sections {
            println!("### {name}\n\n{t}\n\n{}\n", n.as_deref().unwrap_or(""));
        }
        return;
    }
    let page = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../../docs/providers/aws.md"))
        .expect("docs/providers/aws.md");
    let mut stale = Vec::new();
    for (name, t, n) in &sections {
        if !page.contains(t.as_str()) {
            stale.push(format!("the table of {name} should read:\n{t}\n"));
        }
        if let Some(n) = n
            && !page.contains(n.as_str())
        {
            stale.push(format!("the not-yet-supported list of {name} should read:\n{n}\n"));
        }
    }
    assert!(
        stale.is_empty(),
        "docs/providers/aws.md is out of date:\n{}",
        stale.join("\n")
    );
}
