//! Tests of the evaluator: expressions evaluated against a small scope, with their values,
//! marks and diagnostics (spans included).

use super::*;
use crate::lang::NoSecrets;
use plinth_sdk::Map;
use std::path::PathBuf;

/// Roots are plain values; `var` consumes one attribute step, like the engine's scope.
struct TestScope {
    roots: Map,
    vars: Map,
}

impl Scope for TestScope {
    fn lookup(&self, root: &str, steps: &[Step]) -> Result<(Value, usize), ScopeError> {
        if root == "var" {
            return match steps.first() {
                Some(Step::Attr(name)) => match self.vars.get(name) {
                    Some(v) => Ok((v.clone(), 1)),
                    None => Err(ScopeError::new(
                        "Reference to undeclared input variable",
                        format!("no variable \"{name}\""),
                        Some(0),
                    )),
                },
                _ => Err(ScopeError::new("Invalid reference", "var needs an attribute", None)),
            };
        }
        match self.roots.get(root) {
            Some(v) => Ok((v.clone(), 0)),
            None => Err(ScopeError::new(
                "Reference to undeclared name",
                format!("no {root}"),
                None,
            )),
        }
    }
}

fn num(n: f64) -> Value {
    Value::number(n)
}

fn s(v: &str) -> Value {
    Value::string(v)
}

fn list(items: &[f64]) -> Value {
    Value::List(items.iter().map(|n| num(*n)).collect())
}

fn scope() -> TestScope {
    let roots = plinth_sdk::Map::from([
        ("list".to_string(), list(&[1.0, 2.0, 3.0])),
        ("m".to_string(), Value::object([("a", num(1.0)), ("b", num(2.0))])),
        ("str".to_string(), s("hi")),
        ("numstr".to_string(), s("2")),
        ("secret".to_string(), s("pw").mark()),
        ("secret_num".to_string(), num(5.0).mark()),
        ("secret_obj".to_string(), Value::object([("a", num(1.0))]).mark()),
        ("secret_list".to_string(), list(&[1.0, 2.0]).mark()),
        ("u".to_string(), Value::Unknown),
        ("n".to_string(), Value::Null),
        ("t".to_string(), Value::Bool(true)),
        (
            "objs".to_string(),
            Value::List(vec![
                Value::object([("name", s("a")), ("tags", Value::object([("k", s("x"))]))]),
                Value::object([("name", s("b")), ("tags", Value::object([("k", s("y"))]))]),
            ]),
        ),
        (
            "obj".to_string(),
            Value::object([("name", s("single")), ("inner", Value::object([("v", num(1.0))]))]),
        ),
        (
            "partly".to_string(),
            Value::object([("known", num(1.0)), ("later", Value::Unknown)]),
        ),
    ]);
    let vars = plinth_sdk::Map::from([("region".to_string(), s("eu")), ("count".to_string(), num(2.0))]);
    TestScope { roots, vars }
}

const PREFIX: &str = "x = ";

/// Evaluates `src` as the value of an attribute; returns the whole file text with the result.
fn run_in(src: &str, base_dir: &Path) -> (String, EvalResult) {
    let text = format!("{PREFIX}{src}\n");
    let body = hcl::edit::parser::parse_body(&text).unwrap_or_else(|e| panic!("parse {src}: {e}"));
    let expr = body.get_attribute("x").expect("attribute x").value.clone();
    let sc = scope();
    let ctx = EvalContext {
        file: 7,
        scope: &sc,
        secrets: &NoSecrets,
        base_dir,
    };
    let r = eval(&expr, &ctx);
    (text, r)
}

fn run(src: &str) -> (String, EvalResult) {
    run_in(src, Path::new("."))
}

fn ok(src: &str) -> Value {
    match run(src).1 {
        Ok(v) => v,
        Err(d) => panic!("{src}: unexpected errors {d:#?}"),
    }
}

fn errs(src: &str) -> Vec<Diagnostic> {
    match run(src).1 {
        Ok(v) => panic!("{src}: expected an error, got {v:?}"),
        Err(d) => d,
    }
}

/// The single error of `src`, with the source text its span covers.
fn err1(src: &str) -> (Diagnostic, String) {
    let (text, r) = run(src);
    let d = match r {
        Ok(v) => panic!("{src}: expected an error, got {v:?}"),
        Err(mut d) => {
            assert_eq!(d.len(), 1, "{src}: {d:#?}");
            d.remove(0)
        }
    };
    let span = d.span.clone().unwrap_or_else(|| panic!("{src}: no span in {d:?}"));
    assert_eq!(span.file, 7);
    (d, text[span.range].to_string())
}

#[test]
fn literals_and_collections() {
    assert_eq!(ok("1"), num(1.0));
    assert_eq!(ok("1.5e1"), num(15.0));
    assert_eq!(ok("\"s\""), s("s"));
    assert_eq!(ok("true"), Value::Bool(true));
    assert_eq!(ok("null"), Value::Null);
    assert_eq!(ok("[1, \"a\", null]"), Value::List(vec![num(1.0), s("a"), Value::Null]));
    assert_eq!(
        ok("{ a = 1, \"b\" = 2, (str) = 3, \"${str}x\" = 4, 5 = 6 }"),
        Value::object([
            ("a", num(1.0)),
            ("b", num(2.0)),
            ("hi", num(3.0)),
            ("hix", num(4.0)),
            ("5", num(6.0))
        ])
    );
    assert_eq!(ok("(1 + 2) * 3"), num(9.0));
    assert_eq!(ok("{}"), Value::Map(Map::new()));
}

#[test]
fn object_keys_unknown_sensitive_and_bad() {
    assert_eq!(ok("{ (u) = 1 }"), Value::Unknown);
    assert_eq!(ok("{ (secret) = 1 }"), Value::object([("pw", num(1.0))]).mark());
    let (d, at) = err1("{ (list) = 1 }");
    assert_eq!(d.summary, "Invalid object key");
    assert_eq!(at, "(list)");
    let (d, at) = err1("{ (n) = 1 }");
    assert_eq!(d.summary, "Invalid object key");
    assert_eq!(at, "(n)");
}

#[test]
fn templates() {
    assert_eq!(ok("\"a${str}b\""), s("ahib"));
    assert_eq!(ok("\"n=${1 + 1} ${true}\""), s("n=2 true"));
    // A lone interpolation is the value itself.
    assert_eq!(ok("\"${list}\""), list(&[1.0, 2.0, 3.0]));
    assert_eq!(ok("\"%{if t}yes%{else}no%{endif}\""), s("yes"));
    assert_eq!(ok("\"%{if !t}yes%{else}no%{endif}\""), s("no"));
    assert_eq!(ok("\"%{if \"true\"}y%{endif}\""), s("y"));
    assert_eq!(ok("\"%{for x in list}${x},%{endfor}\""), s("1,2,3,"));
    assert_eq!(ok("\"%{for k, v in m}${k}=${v};%{endfor}\""), s("a=1;b=2;"));
    assert_eq!(ok("\"%{for i, v in list}${i}%{endfor}\""), s("012"));
    assert_eq!(ok("\"a  ${~ str ~}  b\""), s("ahib"));
    assert_eq!(ok("\"a  ${str ~}  b\""), s("a  hib"));
    assert_eq!(ok("\"$${literal} %%{x}\""), s("${literal} %{x}"));
}

#[test]
fn template_errors_and_marks() {
    assert_eq!(ok("\"a${u}b\""), Value::Unknown);
    assert_eq!(ok("\"a${secret}b\""), s("apwb").mark());
    assert_eq!(ok("\"%{if u}a%{endif}\""), Value::Unknown);
    assert_eq!(ok("\"%{for x in u}a%{endfor}\""), Value::Unknown);
    assert_eq!(ok("\"%{for x in secret_list}${x}%{endfor}\""), s("12").mark());
    let (d, at) = err1("\"a${n}b\"");
    assert_eq!(d.summary, "Invalid template interpolation value");
    assert_eq!(at, "n");
    let (d, at) = err1("\"a${list}b\"");
    assert!(d.detail.contains("string required"), "{d:?}");
    assert_eq!(at, "list");
    let (d, at) = err1("\"%{if 3}a%{endif}\"");
    assert_eq!(d.summary, "Incorrect condition type");
    assert_eq!(at, "3");
    // Both interpolations are reported.
    assert_eq!(errs("\"${nope1}${nope2}\"").len(), 2);
}

#[test]
fn heredocs_with_directives_and_indentation() {
    let src = "<<EOT\nhello ${str}\n%{ for x in list ~}\nitem ${x}\n%{ endfor ~}\nend\nEOT";
    assert_eq!(ok(src), s("hello hi\nitem 1\nitem 2\nitem 3\nend\n"));
    let src = "<<-EOT\n    hello ${str}\n    %{ for k, v in m ~}\n    ${k}=${v}\n    %{ endfor ~}\n    %{~ if t ~}\n      yes\n    %{~ else ~}\n      no\n    %{~ endif }\n    end\n    EOT";
    assert_eq!(ok(src), s("hello hi\na=1\nb=2\nyes\nend\n"));
    // Lines inside directives lose the same indentation as the others.
    let src = "<<-EOT\n    %{ if t }\n      yes\n    %{ endif }\n    EOT";
    assert_eq!(ok(src), s("\n  yes\n\n"));
    let src = "<<-EOT\n    a\n      b\n    EOT";
    assert_eq!(ok(src), s("a\n  b\n"));
}

#[test]
fn references_and_traversals() {
    assert_eq!(ok("str"), s("hi"));
    assert_eq!(ok("var.region"), s("eu"));
    assert_eq!(ok("list[1]"), num(2.0));
    assert_eq!(ok("list.2"), num(3.0));
    assert_eq!(ok("list[\"0\"]"), num(1.0));
    assert_eq!(ok("list[var.count]"), num(3.0));
    assert_eq!(ok("m.a"), num(1.0));
    assert_eq!(ok("m[\"b\"]"), num(2.0));
    assert_eq!(ok("objs[0].tags.k"), s("x"));
    assert_eq!(ok("obj.inner[\"v\"]"), num(1.0));
    assert_eq!(ok("[10, 20][1]"), num(20.0));
    assert_eq!(ok("{a = {b = 3}}.a.b"), num(3.0));
    assert_eq!(ok("(obj).name"), s("single"));
}

#[test]
fn traversal_errors_point_at_the_step() {
    let (d, at) = err1("obj.inner.nope");
    assert_eq!(d.summary, "Unsupported attribute");
    assert_eq!(d.detail, "This object does not have an attribute named \"nope\".");
    assert_eq!(at, ".nope");
    let (d, at) = err1("list[5]");
    assert_eq!(d.summary, "Invalid index");
    assert!(
        d.detail
            .contains("The given key does not identify an element in this collection value")
    );
    assert!(d.detail.contains("Index out of range"), "{d:?}");
    assert_eq!(at, "[5]");
    let (d, at) = err1("m[\"zz\"]");
    assert!(d.detail.contains("The given key does not identify an element"));
    assert_eq!(at, "[\"zz\"]");
    let (d, at) = err1("n.a");
    assert_eq!(d.summary, "Attempt to get attribute from null value");
    assert_eq!(at, ".a");
    let (d, _) = err1("list.name");
    assert!(d.detail.contains("[*].name"), "{d:?}");
    let (d, _) = err1("str[0]");
    assert_eq!(d.summary, "Invalid index");
    let (d, at) = err1("list[1.5]");
    assert_eq!(d.summary, "Invalid index");
    assert_eq!(at, "[1.5]");
    // Scope errors: the root, or the step the scope names.
    let (d, at) = err1("nope.x");
    assert_eq!(d.summary, "Reference to undeclared name");
    assert_eq!(at, "nope");
    let (d, at) = err1("var.nope.x");
    assert_eq!(d.summary, "Reference to undeclared input variable");
    assert_eq!(at, ".nope");
    // A failing key and a failing root are both reported.
    assert_eq!(errs("nope1[nope2]").len(), 2);
}

#[test]
fn unknown_and_sensitive_traversal() {
    assert_eq!(ok("u.a.b[0]"), Value::Unknown);
    assert_eq!(ok("partly.later.x"), Value::Unknown);
    assert_eq!(ok("partly.known"), num(1.0));
    assert_eq!(ok("list[u]"), Value::Unknown);
    assert_eq!(ok("m[u]"), Value::Unknown);
    assert_eq!(ok("secret_obj.a"), num(1.0).mark());
    assert_eq!(ok("secret_list[0]"), num(1.0).mark());
    assert_eq!(ok("m[secret == \"pw\" ? \"a\" : \"b\"]"), num(1.0).mark());
}

#[test]
fn splats() {
    assert_eq!(ok("objs[*].name"), Value::List(vec![s("a"), s("b")]));
    assert_eq!(ok("objs.*.name"), Value::List(vec![s("a"), s("b")]));
    assert_eq!(ok("objs[*].tags.k"), Value::List(vec![s("x"), s("y")]));
    // An attribute splat ends at an index: the index applies to the resulting list.
    assert_eq!(ok("objs.*.name[1]"), s("b"));
    // A full splat carries the index into each element.
    let (d, at) = err1("objs[*].name[1]");
    assert_eq!(d.summary, "Invalid index");
    assert_eq!(at, "[1]");
    assert_eq!(ok("[[1, 2], [3, 4]][*][0]"), list(&[1.0, 3.0]));
    assert_eq!(ok("obj[*].name"), Value::List(vec![s("single")]));
    assert_eq!(ok("n[*].name"), Value::List(vec![]));
    assert_eq!(ok("u[*].name"), Value::Unknown);
    assert_eq!(ok("secret_list[*]"), list(&[1.0, 2.0]).mark());
    assert_eq!(ok("var.region[*]"), Value::List(vec![s("eu")]));
    let (d, at) = err1("objs[*].nope");
    assert_eq!(d.summary, "Unsupported attribute");
    assert_eq!(at, ".nope");
}

#[test]
fn arithmetic_and_comparison() {
    assert_eq!(ok("1 + 2 * 3 - 4 / 2"), num(5.0));
    assert_eq!(ok("7 % 3"), num(1.0));
    assert_eq!(ok("-7 % 3"), num(-1.0));
    assert_eq!(ok("\"2\" + 1"), num(3.0));
    assert_eq!(ok("numstr * numstr"), num(4.0));
    assert_eq!(ok("-list[0]"), num(-1.0));
    assert_eq!(ok("-\"3\""), num(-3.0));
    assert_eq!(ok("1 < 2"), Value::Bool(true));
    assert_eq!(ok("2 <= 2"), Value::Bool(true));
    assert_eq!(ok("\"10\" > 9"), Value::Bool(true));
    assert_eq!(ok("1 >= 2"), Value::Bool(false));
}

#[test]
fn equality_and_logic() {
    assert_eq!(ok("1 == 1"), Value::Bool(true));
    assert_eq!(ok("1 == \"1\""), Value::Bool(false));
    assert_eq!(ok("\"a\" != \"b\""), Value::Bool(true));
    assert_eq!(ok("null == n"), Value::Bool(true));
    assert_eq!(ok("[1, 2] == [1, 2]"), Value::Bool(true));
    assert_eq!(ok("[1, 2] == [1, 3]"), Value::Bool(false));
    assert_eq!(ok("{a = 1} == {a = 1}"), Value::Bool(true));
    assert_eq!(ok("m == {a = 1, b = 2}"), Value::Bool(true));
    assert_eq!(ok("[1, u] == [1, 2]"), Value::Unknown);
    assert_eq!(ok("[2, u] == [1, 2]"), Value::Bool(false));
    assert_eq!(ok("[u] == [1, 2]"), Value::Bool(false));
    assert_eq!(ok("true && false"), Value::Bool(false));
    assert_eq!(ok("true || false"), Value::Bool(true));
    assert_eq!(ok("\"true\" && t"), Value::Bool(true));
    assert_eq!(ok("!t"), Value::Bool(false));
}

#[test]
fn operator_errors_name_the_operand() {
    let (d, at) = err1("\"a\" + 1");
    assert_eq!(d.summary, "Invalid operand");
    assert_eq!(d.detail, "Unsuitable value for left operand: a number is required.");
    assert_eq!(at, "\"a\"");
    let (d, at) = err1("1 + list");
    assert_eq!(d.detail, "Unsuitable value for right operand: a number is required.");
    assert_eq!(at, "list");
    let (d, _) = err1("n + 1");
    assert!(d.detail.contains("must not be null"), "{d:?}");
    let (d, at) = err1("t && 1");
    assert_eq!(d.detail, "Unsuitable value for right operand: a bool is required.");
    assert_eq!(at, "1");
    let (d, at) = err1("!1");
    assert_eq!(d.detail, "Unsuitable value for unary operand: a bool is required.");
    assert_eq!(at, "1");
    let (d, at) = err1("5 / (2 - 2)");
    assert_eq!(d.summary, "Division by zero");
    assert_eq!(at, "(2 - 2)");
    assert_eq!(err1("5 % 0").0.summary, "Division by zero");
    // Both operands wrong: both reported, each at its own span.
    let (text, r) = run("\"a\" * [1]");
    let d = r.expect_err("should fail");
    assert_eq!(d.len(), 2);
    let at: Vec<&str> = d
        .iter()
        .map(|d| &text[d.span.as_ref().expect("span").range.clone()])
        .collect();
    assert_eq!(at, ["\"a\"", "[1]"]);
    // Both operands failing to evaluate: both reported.
    assert_eq!(errs("nope1 + nope2").len(), 2);
}

#[test]
fn unknown_and_sensitive_operators() {
    assert_eq!(ok("u + 1"), Value::Unknown);
    assert_eq!(ok("1 == u"), Value::Unknown);
    assert_eq!(ok("!u"), Value::Unknown);
    assert_eq!(ok("-u"), Value::Unknown);
    assert_eq!(ok("u && true"), Value::Unknown);
    // A known operand is still checked when the other is unknown.
    assert_eq!(err1("u + \"x\"").1, "\"x\"");
    assert_eq!(ok("secret_num + 1"), num(6.0).mark());
    assert_eq!(ok("secret == \"pw\""), Value::Bool(true).mark());
    assert_eq!(ok("-secret_num"), num(-5.0).mark());
    assert_eq!(ok("secret_num + u"), Value::Unknown.mark());
    assert_eq!(ok("secret_list == [1, 2]"), Value::Bool(true).mark());
    // Collection constructors keep the mark on the element only.
    assert_eq!(ok("[secret, 1]"), Value::List(vec![s("pw").mark(), num(1.0)]));
}

#[test]
fn conditionals() {
    assert_eq!(ok("t ? 1 : 2"), num(1.0));
    assert_eq!(ok("!t ? 1 : 2"), num(2.0));
    assert_eq!(ok("\"false\" ? 1 : 2"), num(2.0));
    // Only the chosen branch's errors count.
    assert_eq!(ok("t ? 1 : nope"), num(1.0));
    let (d, at) = err1("t ? nope.x : 2");
    assert_eq!(d.summary, "Reference to undeclared name");
    assert_eq!(at, "nope");
    assert_eq!(ok("u ? 1 : 2"), Value::Unknown);
    assert_eq!(ok("u ? nope : 2"), Value::Unknown);
    assert_eq!(ok("secret == \"pw\" ? 1 : 2"), num(1.0).mark());
    let (d, at) = err1("1 ? 1 : 2");
    assert_eq!(d.summary, "Incorrect condition type");
    assert_eq!(at, "1");
    let (d, at) = err1("n ? 1 : 2");
    assert_eq!(d.summary, "Null condition");
    assert_eq!(at, "n");
}

#[test]
fn for_expressions() {
    assert_eq!(ok("[for v in list : v * 2]"), list(&[2.0, 4.0, 6.0]));
    assert_eq!(ok("[for i, v in list : i + v]"), list(&[1.0, 3.0, 5.0]));
    assert_eq!(ok("[for v in list : v if v != 2]"), list(&[1.0, 3.0]));
    assert_eq!(
        ok("[for k, v in m : \"${k}${v}\"]"),
        Value::List(vec![s("a1"), s("b2")])
    );
    assert_eq!(
        ok("{for k, v in m : v => k}"),
        Value::object([("1", s("a")), ("2", s("b"))])
    );
    assert_eq!(
        ok("{for o in objs : o.name => o.tags.k}"),
        Value::object([("a", s("x")), ("b", s("y"))])
    );
    assert_eq!(
        ok("{for v in [\"a\", \"bb\", \"cc\"] : \"${v == \"a\" ? 1 : 2}\" => v...}"),
        Value::object([
            ("1", Value::List(vec![s("a")])),
            ("2", Value::List(vec![s("bb"), s("cc")]))
        ])
    );
    assert_eq!(ok("[for v in [] : v]"), Value::List(vec![]));
    assert_eq!(
        ok("[for v in obj : v]"),
        Value::List(vec![Value::object([("v", num(1.0))]), s("single")])
    );
}

#[test]
fn for_variables_shadow_outer_names() {
    // `str` and `list` are outer roots; inside the for they are the iteration variables.
    assert_eq!(ok("[for str in list : str]"), list(&[1.0, 2.0, 3.0]));
    assert_eq!(
        ok("[for list, str in [\"p\", \"q\"] : \"${list}${str}\"]"),
        Value::List(vec![s("0p"), s("1q")])
    );
    // Outer names stay visible, and nested fors see both layers.
    assert_eq!(ok("[for v in list : \"${str}${v}\"][0]"), s("hi1"));
    assert_eq!(
        ok("[for a in [1, 2] : [for b in [10, 20] : a + b]]"),
        Value::List(vec![list(&[11.0, 21.0]), list(&[12.0, 22.0])])
    );
    assert_eq!(ok("\"%{for str in [\"z\"]}${str}%{endfor}${str}\""), s("zhi"));
}

#[test]
fn for_unknown_sensitive_and_errors() {
    assert_eq!(ok("[for v in u : v]"), Value::Unknown);
    assert_eq!(ok("[for v in list : v if u]"), Value::Unknown);
    assert_eq!(ok("{for v in list : u => v}"), Value::Unknown);
    assert_eq!(ok("[for v in [1, u] : v]"), Value::List(vec![num(1.0), Value::Unknown]));
    assert_eq!(ok("[for v in secret_list : v]"), list(&[1.0, 2.0]).mark());
    assert_eq!(ok("[for v in [secret] : v]"), Value::List(vec![s("pw").mark()]));
    let (d, at) = err1("{for v in [1, 1] : v => v}");
    assert_eq!(d.summary, "Duplicate object key");
    assert_eq!(at, "v");
    let (d, at) = err1("[for v in n : v]");
    assert_eq!(d.summary, "Iteration over null value");
    assert_eq!(at, "n");
    let (d, _) = err1("[for v in str : v]");
    assert_eq!(d.summary, "Iteration over non-iterable value");
    let (d, at) = err1("[for v in list : v if 1]");
    assert_eq!(d.summary, "Invalid 'for' condition");
    assert_eq!(at, "1");
    // A mistake in the body is reported once, not once per element.
    let (d, at) = err1("[for v in list : v.nope]");
    assert_eq!(d.summary, "Unsupported attribute");
    assert_eq!(at, ".nope");
}

#[test]
fn try_and_can() {
    assert_eq!(ok("try(obj.nope, \"fallback\")"), s("fallback"));
    assert_eq!(ok("try(obj.name, \"fallback\")"), s("single"));
    assert_eq!(ok("try(nope, list[9], 3)"), num(3.0));
    // An unknown first success: the result is unknown, not a later argument.
    assert_eq!(ok("try(u.x, \"fallback\")"), Value::Unknown);
    assert_eq!(ok("try(secret, 1)"), s("pw").mark());
    let (d, at) = err1("try(nope, list[9])");
    assert_eq!(d.summary, "Error in function call");
    assert!(
        d.detail
            .starts_with("Call to function \"try\" failed: no expression succeeded"),
        "{d:?}"
    );
    assert!(d.detail.contains("Invalid index"), "{d:?}");
    assert_eq!(at, "try(nope, list[9])");
    assert_eq!(ok("can(obj.name)"), Value::Bool(true));
    assert_eq!(ok("can(obj.nope)"), Value::Bool(false));
    assert_eq!(ok("can(1 + \"x\")"), Value::Bool(false));
    assert_eq!(ok("can(u.x)"), Value::Unknown);
    assert_eq!(err1("can(1, 2)").0.summary, "Error in function call");
    assert_eq!(err1("try()").0.summary, "Error in function call");
}

#[test]
fn function_calls() {
    assert_eq!(ok("upper(str)"), s("HI"));
    assert_eq!(ok("length(list)"), num(3.0));
    assert_eq!(ok("max(list...)"), num(3.0));
    assert_eq!(ok("max(0, [7, 4]...)"), num(7.0));
    assert_eq!(ok("join(\"-\", [for v in list : tostring(v)])"), s("1-2-3"));
    assert_eq!(ok("max(u...)"), Value::Unknown);
    assert_eq!(ok("upper(u)"), Value::Unknown);
    assert_eq!(ok("upper(secret)"), s("PW").mark());
    assert_eq!(ok("max(secret_list...)"), num(2.0).mark());
}

#[test]
fn function_errors_point_at_the_argument() {
    let (d, at) = err1("max(1, \"x\")");
    assert_eq!(d.summary, "Error in function call");
    assert!(d.detail.starts_with("Call to function \"max\" failed: "), "{d:?}");
    assert_eq!(at, "\"x\"");
    // An expanded argument at fault: the caret goes under the expanded expression.
    let (_, at) = err1("max(1, [2, \"x\"]...)");
    assert_eq!(at, "[2, \"x\"]");
    let (d, at) = err1("nosuchfunction(1)");
    assert!(d.detail.contains("nosuchfunction"), "{d:?}");
    assert_eq!(at, "nosuchfunction(1)");
    let (d, at) = err1("max(1, m...)");
    assert_eq!(d.summary, "Invalid expanding argument value");
    assert_eq!(at, "m");
    // Errors in several arguments are all reported.
    assert_eq!(errs("max(nope1, nope2)").len(), 2);
}

#[test]
fn namespaced_functions_are_rejected() {
    let (d, at) = err1("provider::aws::arn_parse(\"x\")");
    assert_eq!(d.summary, "Call to unknown function");
    assert_eq!(at, "provider::aws::arn_parse");
}

#[test]
fn templatefile_renders_with_vars() {
    let dir = tempfile::tempdir().expect("tempdir");
    std::fs::write(
        dir.path().join("t.tftpl"),
        "Hello ${name}!\n%{ for p in ports ~}\nport ${p}\n%{ endfor ~}\n",
    )
    .expect("write");
    std::fs::write(dir.path().join("bad.tftpl"), "x ${missing}").expect("write");
    let eval_at = |src: &str| run_in(src, dir.path()).1;
    assert_eq!(
        eval_at("templatefile(\"t.tftpl\", { name = str, ports = [80, 443] })"),
        Ok(s("Hello hi!\nport 80\nport 443\n"))
    );
    assert_eq!(
        eval_at("templatefile(\"t.tftpl\", { name = secret, ports = [] })"),
        Ok(s("Hello pw!\n").mark())
    );
    assert_eq!(
        eval_at("templatefile(\"t.tftpl\", { name = u, ports = [] })"),
        Ok(Value::Unknown)
    );
    assert_eq!(eval_at("templatefile(u, {})"), Ok(Value::Unknown));
    let d = eval_at("templatefile(\"bad.tftpl\", {})").expect_err("should fail");
    assert_eq!(d[0].summary, "Error in function call");
    assert!(d[0].detail.contains("bad.tftpl:1:5"), "{d:?}");
    assert!(d[0].detail.contains("missing"), "{d:?}");
    let (text, r) = run_in("templatefile(\"absent.tftpl\", {})", dir.path());
    let d = r.expect_err("should fail");
    assert_eq!(
        &text[d[0].span.as_ref().expect("span").range.clone()],
        "\"absent.tftpl\""
    );
}

#[test]
fn eval_template_str_is_the_templatefile_core() {
    let vars = plinth_sdk::Map::from([("who".to_string(), s("you")), ("n".to_string(), num(2.0))]);
    let dir = PathBuf::from(".");
    assert_eq!(
        eval_template_str(
            "hi ${who}, %{ if n > 1 }many%{ else }one%{ endif }",
            &vars,
            &dir,
            &NoSecrets
        ),
        Ok(s("hi you, many"))
    );
    // Even a lone interpolation renders as a string.
    assert_eq!(eval_template_str("${n}", &vars, &dir, &NoSecrets), Ok(s("2")));
    let e = eval_template_str("a\n  ${nobody}", &vars, &dir, &NoSecrets).expect_err("should fail");
    assert!(e.starts_with("2:5: Reference to undeclared template variable"), "{e}");
    assert!(eval_template_str("${", &vars, &dir, &NoSecrets).is_err());
    let e = eval_template_str("${templatefile(\"x\", {})}", &vars, &dir, &NoSecrets).expect_err("should fail");
    assert!(e.contains("recursively"), "{e}");
}
