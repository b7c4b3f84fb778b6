//! The reference table of one resource, data source or provider block, as the pages of
//! `docs/providers/` show it: one row per attribute and per nested block (its attributes below it,
//! `block.attribute`), then the sentence listing the Terraform arguments Plinth accepts but cannot
//! act on yet (`Schema::unsupported`).

use plinth_sdk::{Nesting, Schema, Type};

/// The header line every generated table starts with; the page checker finds tables by it.
pub const TABLE_HEADER: &str = "| attribute | type | flags | description |";

/// The start of the not-yet-supported sentence; the page checker finds it by this.
pub const NOT_YET_PREFIX: &str = "Accepted but not yet supported";

/// An attribute's type as the tables spell it: the language's type syntax, except a tuple, which
/// is only `tuple`.
pub fn type_name(t: &Type) -> String {
    match t {
        Type::List(t) => format!("list({})", type_name(t)),
        Type::Set(t) => format!("set({})", type_name(t)),
        Type::Map(t) => format!("map({})", type_name(t)),
        Type::Tuple(_) => "tuple".into(),
        Type::String | Type::Number | Type::Bool | Type::Any | Type::Object { .. } => t.to_string(),
    }
}

fn cell(text: &str) -> String {
    text.replace('|', "\\|")
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
            cell(&a.description)
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
            cell(&b.schema.description)
        ));
        rows(&b.schema, &format!("{prefix}{name}."), out);
    }
}

/// The attribute table of `schema`, without a trailing newline.
pub fn table(schema: &Schema) -> String {
    let mut out = vec![TABLE_HEADER.to_string(), "|---|---|---|---|".to_string()];
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

/// The one-line sentence naming the arguments of `schema` accepted but not yet supported, or
/// `None` when there are none.
pub fn not_yet(schema: &Schema) -> Option<String> {
    let mut names = Vec::new();
    unsupported(schema, "", &mut names);
    (!names.is_empty()).then(|| {
        format!(
            "{NOT_YET_PREFIX} (an error naming the argument when set to anything but null): {}.",
            names.join(", ")
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use plinth_sdk::{Attribute, BlockSchema};

    #[test]
    fn a_table_lists_attributes_then_blocks_with_their_attributes_below() {
        let inner = Schema::new("One rule.").attr("port", Attribute::required(Type::Number));
        let s = Schema::new("t")
            .attr("name", Attribute::optional(Type::String).force_new().describe("A | B."))
            .attr("tags", Attribute::optional_computed(Type::Map(Box::new(Type::String))))
            .block(
                "rule",
                BlockSchema {
                    nesting: Nesting::List,
                    schema: inner,
                    min_items: 0,
                    max_items: Some(2),
                    force_new: false,
                },
            )
            .unsupported("owner", "leave it out")
            .unsupported_block("logging", "leave it out");
        expect_test::expect![[r#"
            | attribute | type | flags | description |
            |---|---|---|---|
            | `name` | string | optional, force-new | A \| B. |
            | `tags` | map(string) | optional, computed |  |
            | `rule { }` | block | list of blocks, optional, at most 2 | One rule. |
            | `rule.port` | number | required |  |"#]]
        .assert_eq(&table(&s));
        assert_eq!(
            not_yet(&s).as_deref(),
            Some(
                "Accepted but not yet supported (an error naming the argument when set to anything but null): \
                 `logging { }`, `owner`."
            )
        );
        assert_eq!(not_yet(&Schema::new("none")), None);
    }
}
