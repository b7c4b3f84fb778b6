//! `lifecycle { replace_triggered_by = [...] }`: reading each entry into a [`ReplaceTrigger`].
//!
//! An entry is a reference to a managed resource of the same module, read without evaluation as
//! Terraform reads it: `TYPE.NAME` (every instance), `TYPE.NAME[KEY]` (one instance; the key is a
//! literal, or `count.index` / `each.key` for the instance's own key) and an attribute path after
//! either (`TYPE.NAME.id`, `TYPE.NAME[0].tags["team"]`). Deciding whether a trigger fired is the
//! planner's business (`plan::walk`); this module only knows the syntax.

use std::ops::Range;

use hcl::edit::Span as _;
use hcl::edit::expr::{Expression, TraversalOperator};
use plinth_sdk::{AttrPath, PathStep};

/// Which instances of the referenced resource a trigger watches.
#[derive(Clone, Debug, PartialEq)]
pub enum TriggerKey {
    /// Every instance (`TYPE.NAME`).
    All,
    /// The instance with this integer key (`TYPE.NAME[0]`).
    Int(usize),
    /// The instance with this string key (`TYPE.NAME["a"]`).
    Str(String),
    /// The instance with the same key as the one that has the trigger (`[count.index]`,
    /// `[each.key]`).
    Own,
}

/// One entry of `replace_triggered_by`.
#[derive(Clone, Debug, PartialEq)]
pub struct ReplaceTrigger {
    pub type_name: String,
    pub name: String,
    pub key: TriggerKey,
    /// The attribute watched; empty to watch the whole instance.
    pub path: AttrPath,
}

const SHAPE: &str = "write a reference to a managed resource of this module, like test_thing.a, test_thing.a[0] or \
                     test_thing.a.id; count.index and each.key may be used as the index";

/// Reads one entry; an error names what is wrong and where (for the caret).
pub fn parse(expr: &Expression) -> Result<ReplaceTrigger, (String, Option<Range<usize>>)> {
    let bad = |what: &str, span: Option<Range<usize>>| Err((format!("{what}; {SHAPE}"), span));
    let Expression::Traversal(t) = expr else {
        return bad("this is not a resource reference", expr.span());
    };
    let Expression::Variable(root) = &t.expr else {
        return bad("this is not a resource reference", expr.span());
    };
    let type_name = root.as_str().to_string();
    if matches!(
        type_name.as_str(),
        "var" | "local" | "module" | "data" | "count" | "each" | "path" | "env" | "self" | "terraform" | "resource"
    ) {
        return bad(
            &format!("replace_triggered_by cannot refer to {type_name}.*, only to managed resources"),
            root.span(),
        );
    }
    let mut ops = t.operators.iter().peekable();
    let name = match ops.next().map(|o| o.value()) {
        Some(TraversalOperator::GetAttr(id)) => id.as_str().to_string(),
        _ => return bad("a resource reference needs TYPE.NAME", expr.span()),
    };
    let mut key = TriggerKey::All;
    let index = match ops.peek().map(|o| o.value()) {
        Some(TraversalOperator::Index(e)) => Some(e),
        _ => None,
    };
    if let Some(index) = index {
        key = match index {
            Expression::Number(n) => match n.value().as_u64() {
                Some(i) => TriggerKey::Int(i as usize),
                None => return bad("an instance index must be a whole number", index.span()),
            },
            Expression::String(s) => TriggerKey::Str(s.value().to_string()),
            Expression::Traversal(k) if own_key(k) => TriggerKey::Own,
            _ => {
                return bad(
                    "the instance key must be a literal, count.index or each.key",
                    index.span(),
                );
            }
        };
        ops.next();
    } else if let Some(TraversalOperator::LegacyIndex(n)) = ops.peek().map(|o| o.value()) {
        key = TriggerKey::Int(*n.value() as usize);
        ops.next();
    }
    let mut path = AttrPath::default();
    for op in ops {
        path = match op.value() {
            TraversalOperator::GetAttr(id) => path.child(PathStep::Attr(id.as_str().to_string())),
            TraversalOperator::Index(Expression::String(s)) => path.child(PathStep::Key(s.value().to_string())),
            TraversalOperator::Index(Expression::Number(n)) if n.value().as_u64().is_some() => {
                path.child(PathStep::Index(n.value().as_u64().unwrap_or_default() as usize))
            }
            TraversalOperator::LegacyIndex(n) => path.child(PathStep::Index(*n.value() as usize)),
            _ => return bad("an attribute path may hold only names and literal indexes", op.span()),
        };
    }
    Ok(ReplaceTrigger {
        type_name,
        name,
        key,
        path,
    })
}

/// `count.index` or `each.key`.
fn own_key(t: &hcl::edit::expr::Traversal) -> bool {
    let Expression::Variable(root) = &t.expr else {
        return false;
    };
    match (root.as_str(), t.operators.as_slice()) {
        (r @ ("count" | "each"), [op]) => match op.value() {
            TraversalOperator::GetAttr(a) => {
                (r, a.as_str()) == ("count", "index") || (r, a.as_str()) == ("each", "key")
            }
            _ => false,
        },
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(src: &str) -> Result<ReplaceTrigger, (String, String)> {
        let expr = hcl::edit::parser::parse_expr(src).expect("parses");
        parse(&expr).map_err(|(msg, span)| (msg, span.map(|r| src[r].to_string()).unwrap_or_default()))
    }

    fn ok(src: &str) -> ReplaceTrigger {
        read(src).expect("a valid trigger")
    }

    #[test]
    fn references_name_the_resource_instance_and_attribute() {
        let t = ok("test_thing.a");
        assert_eq!(
            (t.type_name.as_str(), t.name.as_str(), &t.key),
            ("test_thing", "a", &TriggerKey::All)
        );
        assert!(t.path.0.is_empty());
        assert_eq!(ok("test_thing.a[2]").key, TriggerKey::Int(2));
        assert_eq!(ok("test_thing.a[\"x\"].id").key, TriggerKey::Str("x".into()));
        assert_eq!(ok("test_thing.a[\"x\"].id").path.to_string(), "id");
        assert_eq!(ok("test_thing.a[count.index]").key, TriggerKey::Own);
        assert_eq!(ok("test_thing.a[each.key]").key, TriggerKey::Own);
        assert_eq!(ok("test_thing.a.tags[\"team\"]").path.to_string(), "tags[\"team\"]");
        assert_eq!(ok("test_thing.a.tags[\"team\"]").key, TriggerKey::All);
    }

    #[test]
    fn anything_else_is_refused_where_it_is_wrong() {
        let (msg, at) = read("var.x").expect_err("not a resource");
        assert!(msg.starts_with("replace_triggered_by cannot refer to var.*"), "{msg}");
        assert_eq!(at, "var");
        let (msg, at) = read("\"x\"").expect_err("not a reference");
        assert!(msg.starts_with("this is not a resource reference"), "{msg}");
        assert_eq!(at, "\"x\"");
        let (msg, at) = read("test_thing.a[local.k]").expect_err("dynamic key");
        assert!(msg.starts_with("the instance key must be a literal"), "{msg}");
        assert_eq!(at, "local.k");
    }
}
