//! Tests of the built-in functions, through `call` as the evaluator calls them.

use super::*;

fn s(x: &str) -> Value {
    Value::string(x)
}
fn n(x: f64) -> Value {
    Value::number(x)
}
fn list(items: Vec<Value>) -> Value {
    Value::List(items)
}
fn strs(items: &[&str]) -> Value {
    Value::List(items.iter().map(|x| s(x)).collect())
}
fn obj(items: Vec<(&str, Value)>) -> Value {
    Value::object(items)
}

fn run_in(dir: &Path, name: &str, args: Vec<Value>) -> Result<Value, FuncError> {
    call(name, args, &FuncContext { base_dir: dir })
}
fn run(name: &str, args: Vec<Value>) -> Result<Value, FuncError> {
    run_in(Path::new("."), name, args)
}
fn ok(name: &str, args: Vec<Value>) -> Value {
    match run(name, args) {
        Ok(v) => v,
        Err(e) => panic!("{name} failed: {}", e.message),
    }
}
fn err(name: &str, args: Vec<Value>) -> FuncError {
    match run(name, args) {
        Ok(v) => panic!("{name} should fail, got {v:?}"),
        Err(e) => e,
    }
}
fn fmt(spec: &str, args: Vec<Value>) -> String {
    let mut all = vec![s(spec)];
    all.extend(args);
    match ok("format", all) {
        Value::String(x) => x,
        other => panic!("format gave {other:?}"),
    }
}

#[test]
fn every_function_has_a_test_name_in_this_module() {
    // Guards against adding a function to the table without a test: each name must appear
    // in this file's tests as a quoted string.
    let tests = include_str!("tests.rs");
    for spec in FUNCTIONS {
        assert!(
            tests.contains(&format!("\"{}\"", spec.name)),
            "no test for {}",
            spec.name
        );
    }
}

#[test]
fn exists_knows_functions_and_special_forms() {
    for name in ["upper", "format", "cidrsubnet", "try", "can", "templatefile", "secret"] {
        assert!(exists(name), "{name}");
    }
    assert!(!exists("nosuch"));
    assert!(run("try", vec![]).is_err());
}

#[test]
fn unknown_function_suggests_a_close_name() {
    let e = err("uppr", vec![s("x")]);
    assert_eq!(
        e.message,
        "there is no function named \"uppr\"; did you mean \"upper\"?"
    );
    assert_eq!(
        err("frobnicate", vec![]).message,
        "there is no function named \"frobnicate\""
    );
    assert_eq!(
        err("jsonencod", vec![]).message,
        "there is no function named \"jsonencod\"; did you mean \"jsonencode\"?"
    );
}

#[test]
fn arity_is_checked() {
    let e = err("upper", vec![]);
    assert_eq!(
        e.message,
        "the function expects 1 argument(s) but got 0; missing value for \"str\"."
    );
    assert_eq!(e.arg, None);
    let e = err("upper", vec![s("a"), s("b")]);
    assert_eq!(e.message, "the function expects only 1 argument(s) but got 2.");
    assert_eq!(e.arg, Some(1));
    let e = err("lookup", vec![obj(vec![])]);
    assert!(e.message.contains("at least 2"), "{}", e.message);
    let e = err("lookup", vec![obj(vec![]), s("a"), s("b"), s("c")]);
    assert_eq!(e.message, "the function expects at most 3 argument(s) but got 4.");
    assert!(run("timestamp", vec![s("x")]).is_err());
}

#[test]
fn marks_follow_the_default_rule() {
    assert_eq!(ok("upper", vec![s("x").mark()]), s("X").mark());
    assert_eq!(ok("upper", vec![Value::Unknown]), Value::Unknown);
    assert_eq!(
        ok("format", vec![s("%s%s"), Value::Unknown, s("x").mark()]),
        Value::Unknown.mark()
    );
    assert_eq!(
        ok("join", vec![s(","), list(vec![s("a"), s("b").mark()])]),
        s("a,b").mark()
    );
    assert_eq!(
        ok("join", vec![s(","), list(vec![s("a"), Value::Unknown])]),
        Value::Unknown
    );
    assert_eq!(ok("sensitive", vec![s("x")]), s("x").mark());
    assert_eq!(ok("nonsensitive", vec![list(vec![s("x").mark()])]), strs(&["x"]));
    assert_eq!(ok("sensitive", vec![Value::Unknown]), Value::Unknown.mark());
}

#[test]
fn sensitive_values_stay_out_of_messages() {
    let e = err("base64decode", vec![s("not base64!").mark()]);
    assert!(!e.message.contains("not base64"), "{}", e.message);
    assert!(e.message.contains("(sensitive value)"), "{}", e.message);
    let e = err("lookup", vec![obj(vec![]), s("hunter2").mark()]);
    assert!(!e.message.contains("hunter2"), "{}", e.message);
    let e = err("file", vec![s("secret-name.txt").mark()]);
    assert!(!e.message.contains("secret-name"), "{}", e.message);
}

#[test]
fn argument_errors_name_the_parameter() {
    let e = err("upper", vec![list(vec![])]);
    assert_eq!(e.message, "invalid value for \"str\" parameter: string required.");
    assert_eq!(e.arg, Some(0));
    let e = err("upper", vec![Value::Null]);
    assert_eq!(
        e.message,
        "invalid value for \"str\" parameter: argument must not be null."
    );
    assert_eq!(ok("upper", vec![n(5.0)]), s("5"));
}

#[test]
fn string_functions() {
    assert_eq!(ok("lower", vec![s("HeLLo")]), s("hello"));
    assert_eq!(
        ok("title", vec![s("hello world-wide web_x")]),
        s("Hello World-Wide Web_x")
    );
    assert_eq!(ok("trimspace", vec![s("  a b \n")]), s("a b"));
    assert_eq!(ok("trim", vec![s("?!hello?!"), s("!?")]), s("hello"));
    assert_eq!(ok("trimprefix", vec![s("helloworld"), s("hello")]), s("world"));
    assert_eq!(ok("trimprefix", vec![s("hello"), s("x")]), s("hello"));
    assert_eq!(ok("trimsuffix", vec![s("helloworld"), s("world")]), s("hello"));
    assert_eq!(ok("chomp", vec![s("hello\r\n\n")]), s("hello"));
    assert_eq!(ok("strrev", vec![s("abc")]), s("cba"));
    assert_eq!(ok("indent", vec![n(2.0), s("a\nb")]), s("a\n  b"));
    assert_eq!(ok("startswith", vec![s("hello"), s("he")]), Value::Bool(true));
    assert_eq!(ok("endswith", vec![s("hello"), s("he")]), Value::Bool(false));
    assert_eq!(ok("strcontains", vec![s("hello"), s("ll")]), Value::Bool(true));
    assert_eq!(ok("split", vec![s(","), s("a,b,,c")]), strs(&["a", "b", "", "c"]));
    assert_eq!(ok("split", vec![s(","), s("")]), strs(&[""]));
    assert_eq!(ok("split", vec![s(""), s("ab")]), strs(&["a", "b"]));
    assert_eq!(
        ok("join", vec![s("-"), strs(&["a", "b"]), list(vec![n(1.0)])]),
        s("a-b-1")
    );
    let e = err("join", vec![s(","), list(vec![s("a"), Value::Null])]);
    assert_eq!(
        e.message,
        "invalid value for \"lists\" parameter: element 1 is null; cannot concatenate null values."
    );
    assert_eq!(e.arg, Some(1));
    assert!(
        err("join", vec![s(",")])
            .message
            .contains("missing value for \"lists\"")
    );
}

#[test]
fn substr_counts_characters() {
    assert_eq!(ok("substr", vec![s("hello world"), n(1.0), n(4.0)]), s("ello"));
    assert_eq!(ok("substr", vec![s("hello"), n(-3.0), n(-1.0)]), s("llo"));
    assert_eq!(ok("substr", vec![s("héllo"), n(1.0), n(2.0)]), s("él"));
    assert_eq!(ok("substr", vec![s("abc"), n(10.0), n(1.0)]), s(""));
    assert_eq!(ok("substr", vec![s("abc"), n(1.0), n(100.0)]), s("bc"));
    let e = err("substr", vec![s("abc"), n(1.5), n(1.0)]);
    assert_eq!(
        e.message,
        "invalid value for \"offset\" parameter: a whole number is required."
    );
}

#[test]
fn replace_plain_and_regex() {
    assert_eq!(ok("replace", vec![s("1 + 2 + 3"), s("+"), s("-")]), s("1 - 2 - 3"));
    assert_eq!(
        ok("replace", vec![s("hello world"), s("/w.*d/"), s("everybody")]),
        s("hello everybody")
    );
    assert_eq!(
        ok("replace", vec![s("a-1 b-2"), s("/([a-z])-(\\d)/"), s("$2$1")]),
        s("1a 2b")
    );
    let e = err("replace", vec![s("x"), s("/(/"), s("y")]);
    assert!(
        e.message
            .starts_with("invalid value for \"substr\" parameter: invalid regular expression")
    );
    assert_eq!(e.arg, Some(1));
}

#[test]
fn regex_and_regexall() {
    assert_eq!(
        ok("regex", vec![s("[a-z]+"), s("53453453.345345aaabbbccc23454")]),
        s("aaabbbccc")
    );
    assert_eq!(
        ok("regex", vec![s("(\\d\\d\\d\\d)-(\\d\\d)"), s("2019-02-01")]),
        strs(&["2019", "02"])
    );
    assert_eq!(
        ok("regex", vec![s("(?P<y>\\d+)-(?P<m>\\d+)"), s("2019-02")]),
        obj(vec![("m", s("02")), ("y", s("2019"))])
    );
    let e = err("regex", vec![s("z"), s("abc")]);
    assert_eq!(e.message, "pattern did not match any part of the given string.");
    assert_eq!(
        ok("regexall", vec![s("[a-z]+"), s("1234abcd5678efgh9")]),
        strs(&["abcd", "efgh"])
    );
    assert_eq!(ok("regexall", vec![s("z"), s("abc")]), list(vec![]));
    assert!(
        err("regex", vec![s("(?P<a>x)(y)"), s("xy")])
            .message
            .contains("cannot be mixed")
    );
}

#[test]
fn urlencode_like_go() {
    assert_eq!(ok("urlencode", vec![s("Hello World!")]), s("Hello+World%21"));
    assert_eq!(ok("urlencode", vec![s("a/b?c=d&é")]), s("a%2Fb%3Fc%3Dd%26%C3%A9"));
}

#[test]
fn format_verbs() {
    assert_eq!(fmt("Hello, %s!", vec![s("Ander")]), "Hello, Ander!");
    assert_eq!(fmt("There are %d lights", vec![n(4.0)]), "There are 4 lights");
    assert_eq!(
        fmt("%5d|%-5d|%05d", vec![n(42.0), n(42.0), n(-42.0)]),
        "   42|42   |-0042"
    );
    assert_eq!(
        fmt("%+d %x %X %o %b", vec![n(5.0), n(255.0), n(255.0), n(8.0), n(5.0)]),
        "+5 ff FF 10 101"
    );
    assert_eq!(fmt("%f", vec![n(1.23456)]), "1.234560");
    assert_eq!(fmt("%.2f", vec![n(1.23456)]), "1.23");
    assert_eq!(fmt("%8.3f|", vec![n(-1.23456)]), "  -1.235|");
    assert_eq!(fmt("%e", vec![n(1234.5678)]), "1.234568e+03");
    assert_eq!(fmt("%.2E", vec![n(0.000123)]), "1.23E-04");
    assert_eq!(
        fmt("%g %g %g", vec![n(100000.0), n(1000000.0), n(0.00001)]),
        "100000 1e+06 1e-05"
    );
    assert_eq!(fmt("%.3g", vec![n(1.23456)]), "1.23");
    assert_eq!(fmt("%v %v %v", vec![s("a"), n(1.5), Value::Bool(true)]), "a 1.5 true");
    assert_eq!(fmt("%v", vec![obj(vec![("a", n(1.0))])]), "{\"a\":1}");
    // `%v` of an exact integer: Go's `Text('g', -1)` of its own digits, not of a float.
    assert_eq!(
        fmt("%v %v %v %v", vec![n(100000.0), n(1000000.0), n(-1234567.0), n(0.0)]),
        "100000 1e+06 -1.234567e+06 0"
    );
    let big = Value::from_json(&serde_json::json!(u64::MAX));
    assert_eq!(
        fmt("%d %x %v", vec![big.clone(), big.clone(), big]),
        "18446744073709551615 ffffffffffffffff 1.8446744073709551615e+19"
    );
    assert_eq!(fmt("%#v", vec![s("a")]), "\"a\"");
    assert_eq!(fmt("%v", vec![Value::Null]), "null");
    assert_eq!(fmt("%q", vec![s("a\"b")]), "\"a\\\"b\"");
    assert_eq!(fmt("%t", vec![s("true")]), "true");
    assert_eq!(
        fmt("%s|%5s|%-5s|%.2s", vec![n(1.0), s("ab"), s("ab"), s("abc")]),
        "1|   ab|ab   |ab"
    );
    assert_eq!(fmt("100%%", vec![]), "100%");
    assert_eq!(fmt("%[2]s %[1]s %s", vec![s("a"), s("b")]), "b a b");
}

#[test]
fn format_errors() {
    let e = err("format", vec![s("%s %s"), s("a")]);
    assert_eq!(
        e.message,
        "not enough arguments for \"%s\" at 3: need index 2 but have 1 total."
    );
    let e = err("format", vec![s("%d"), n(1.5)]);
    assert!(e.message.contains("an integer is required"), "{}", e.message);
    assert_eq!(e.arg, Some(1));
    let e = err("format", vec![s("%d"), s("abc")]);
    assert!(e.message.contains("a number is required"), "{}", e.message);
    let e = err("format", vec![s("%s"), s("a"), s("b")]);
    assert!(e.message.contains("too many arguments; only 1 used"), "{}", e.message);
    assert_eq!(e.arg, Some(2));
    assert!(
        err("format", vec![s("%z"), s("a")])
            .message
            .contains("unsupported format verb 'z'")
    );
    assert!(
        err("format", vec![s("%s"), Value::Null])
            .message
            .contains("null value cannot be formatted")
    );
    assert!(
        err("format", vec![s("abc %")])
            .message
            .contains("invalid format string")
    );
}

#[test]
fn formatlist_iterates_lists() {
    assert_eq!(
        ok("formatlist", vec![s("Hello, %s!"), strs(&["Valentina", "Ander"])]),
        strs(&["Hello, Valentina!", "Hello, Ander!"])
    );
    assert_eq!(
        ok("formatlist", vec![s("%s=%s"), s("k"), strs(&["a", "b"])]),
        strs(&["k=a", "k=b"])
    );
    let e = err("formatlist", vec![s("%s%s"), strs(&["a"]), strs(&["a", "b"])]);
    assert!(
        e.message
            .contains("argument 2 has length 2, which is inconsistent with argument 1 of length 1")
    );
    assert_eq!(e.arg, Some(2));
}

#[test]
fn length_is_unknown_aware() {
    assert_eq!(ok("length", vec![list(vec![Value::Unknown, n(1.0)])]), n(2.0));
    assert_eq!(ok("length", vec![obj(vec![("a", Value::Unknown)])]), n(1.0));
    assert_eq!(ok("length", vec![s("héllo")]), n(5.0));
    assert_eq!(ok("length", vec![Value::Unknown]), Value::Unknown);
    assert_eq!(ok("length", vec![strs(&["a"]).mark()]), n(1.0).mark());
    assert!(
        err("length", vec![n(1.0)])
            .message
            .contains("a string, a collection type")
    );
    assert!(err("length", vec![Value::Null]).message.contains("must not be null"));
}

#[test]
fn keys_values_lookup() {
    let m = obj(vec![("b", n(2.0)), ("a", Value::Unknown)]);
    assert_eq!(ok("keys", vec![m.clone()]), strs(&["a", "b"]));
    assert_eq!(ok("values", vec![m.clone()]), list(vec![Value::Unknown, n(2.0)]));
    assert_eq!(ok("lookup", vec![m.clone(), s("b")]), n(2.0));
    assert_eq!(ok("lookup", vec![m.clone(), s("a")]), Value::Unknown);
    assert_eq!(ok("lookup", vec![m.clone(), s("z"), s("dflt")]), s("dflt"));
    let e = err("lookup", vec![m.clone(), s("z")]);
    assert_eq!(e.message, "lookup failed to find key \"z\".");
    assert_eq!(e.arg, Some(1));
    assert_eq!(ok("lookup", vec![m.mark(), s("b")]), n(2.0).mark());
    assert!(
        err("lookup", vec![strs(&["a"]), s("a")])
            .message
            .contains("requires a map")
    );
    assert!(err("keys", vec![s("x")]).message.contains("map or object"));
    assert!(err("values", vec![s("x")]).message.contains("map or object"));
}

#[test]
fn merge_and_concat_keep_unknown_elements() {
    let merged = ok(
        "merge",
        vec![
            obj(vec![("a", n(1.0)), ("b", n(2.0))]),
            Value::Null,
            obj(vec![("b", Value::Unknown)]),
        ],
    );
    assert_eq!(merged, obj(vec![("a", n(1.0)), ("b", Value::Unknown)]));
    assert_eq!(ok("merge", vec![]), obj(vec![]));
    assert_eq!(ok("merge", vec![obj(vec![]), Value::Unknown]), Value::Unknown);
    assert_eq!(
        ok("merge", vec![obj(vec![("p", s("x").mark())]), obj(vec![("q", n(1.0))])]),
        obj(vec![("p", s("x").mark()), ("q", n(1.0))])
    );
    assert!(
        err("merge", vec![strs(&["a"])])
            .message
            .contains("must be maps or objects")
    );
    assert_eq!(
        ok("concat", vec![strs(&["a"]), list(vec![Value::Unknown]), list(vec![])]),
        list(vec![s("a"), Value::Unknown])
    );
    assert_eq!(ok("concat", vec![strs(&["a"]).mark()]), strs(&["a"]).mark());
    let e = err("concat", vec![strs(&["a"]), s("b")]);
    assert_eq!(
        e.message,
        "invalid value for \"seqs\" parameter: all arguments must be lists or tuples; got string."
    );
    assert_eq!(e.arg, Some(1));
}

#[test]
fn coalesce_is_unknown_only_when_needed() {
    assert_eq!(ok("coalesce", vec![Value::Null, s(""), s("b"), Value::Unknown]), s("b"));
    assert_eq!(
        ok("coalesce", vec![Value::Null, Value::Unknown, s("b")]),
        Value::Unknown
    );
    assert_eq!(ok("coalesce", vec![n(1.0), s("b")]), s("1"));
    assert_eq!(ok("coalesce", vec![Value::Null, s("x").mark()]), s("x").mark());
    let e = err("coalesce", vec![Value::Null, s("")]);
    assert_eq!(e.message, "no non-null, non-empty-string arguments.");
    assert!(
        err("coalesce", vec![n(1.0), Value::Bool(true)])
            .message
            .contains("same type")
    );
    assert_eq!(ok("coalescelist", vec![list(vec![]), strs(&["a"])]), strs(&["a"]));
    assert!(err("coalescelist", vec![list(vec![])]).message.contains("no non-null"));
}

#[test]
fn list_functions() {
    assert_eq!(ok("contains", vec![strs(&["a", "b"]), s("b")]), Value::Bool(true));
    assert_eq!(ok("contains", vec![strs(&["a"]), n(1.0)]), Value::Bool(false));
    assert_eq!(ok("index", vec![strs(&["a", "b"]), s("b")]), n(1.0));
    assert!(
        err("index", vec![strs(&["a"]), s("z")])
            .message
            .contains("item not found")
    );
    assert_eq!(ok("element", vec![strs(&["a", "b", "c"]), n(4.0)]), s("b"));
    assert!(
        err("element", vec![list(vec![]), n(0.0)])
            .message
            .contains("empty list")
    );
    assert!(
        err("element", vec![strs(&["a"]), n(-1.0)])
            .message
            .contains("negative index")
    );
    assert_eq!(
        ok(
            "flatten",
            vec![list(vec![strs(&["a"]), list(vec![strs(&["b"]), s("c")])])]
        ),
        strs(&["a", "b", "c"])
    );
    assert!(err("flatten", vec![s("a")]).message.contains("can only flatten"));
    assert_eq!(
        ok("distinct", vec![strs(&["a", "b", "a", "c", "b"])]),
        strs(&["a", "b", "c"])
    );
    assert_eq!(ok("reverse", vec![strs(&["a", "b"])]), strs(&["b", "a"]));
    assert_eq!(
        ok("sort", vec![list(vec![n(3.0), n(10.0), n(1.0)])]),
        strs(&["1", "10", "3"])
    );
    assert!(
        err("sort", vec![list(vec![Value::Null])])
            .message
            .contains("cannot be sorted")
    );
    assert_eq!(
        ok("compact", vec![list(vec![s("a"), s(""), Value::Null, s("b")])]),
        strs(&["a", "b"])
    );
    assert_eq!(ok("one", vec![list(vec![])]), Value::Null);
    assert_eq!(ok("one", vec![strs(&["a"])]), s("a"));
    assert!(err("one", vec![strs(&["a", "b"])]).message.contains("zero or one"));
    assert_eq!(
        ok("slice", vec![strs(&["a", "b", "c", "d"]), n(1.0), n(3.0)]),
        strs(&["b", "c"])
    );
    assert!(
        err("slice", vec![strs(&["a"]), n(0.0), n(2.0)])
            .message
            .contains("end index")
    );
    assert!(
        err("slice", vec![strs(&["a", "b"]), n(2.0), n(1.0)])
            .message
            .contains("start index")
    );
    assert_eq!(
        ok("zipmap", vec![strs(&["a", "b"]), list(vec![n(1.0), n(2.0)])]),
        obj(vec![("a", n(1.0)), ("b", n(2.0))])
    );
    assert!(
        err("zipmap", vec![strs(&["a"]), list(vec![])])
            .message
            .contains("number of keys (1) does not match number of values (0)")
    );
    assert_eq!(
        ok("chunklist", vec![strs(&["a", "b", "c"]), n(2.0)]),
        list(vec![strs(&["a", "b"]), strs(&["c"])])
    );
    assert_eq!(
        ok("alltrue", vec![list(vec![Value::Bool(true), s("true")])]),
        Value::Bool(true)
    );
    assert_eq!(ok("alltrue", vec![list(vec![])]), Value::Bool(true));
    assert_eq!(ok("anytrue", vec![list(vec![Value::Bool(false)])]), Value::Bool(false));
    assert!(
        err("contains", vec![s("x"), s("x")])
            .message
            .contains("a list, set or tuple is required")
    );
}

#[test]
fn range_rules() {
    assert_eq!(ok("range", vec![n(3.0)]), list(vec![n(0.0), n(1.0), n(2.0)]));
    assert_eq!(ok("range", vec![n(3.0), n(1.0)]), list(vec![n(3.0), n(2.0)]));
    assert_eq!(
        ok("range", vec![n(0.0), n(1.0), n(0.25)]).as_list().map(Vec::len),
        Some(4)
    );
    assert_eq!(ok("range", vec![n(-2.0)]), list(vec![n(0.0), n(-1.0)]));
    assert!(
        err("range", vec![n(0.0), n(1.0), n(0.0)])
            .message
            .contains("step must not be zero")
    );
    assert!(
        err("range", vec![n(5.0), n(1.0), n(1.0)])
            .message
            .contains("end must be greater")
    );
    assert!(err("range", vec![n(5000.0)]).message.contains("more than 1024 values"));
    assert!(
        err("range", vec![n(1.0), n(2.0), n(3.0), n(4.0)])
            .message
            .contains("one, two, or three")
    );
}

#[test]
fn set_functions() {
    assert_eq!(
        ok("setunion", vec![strs(&["b", "a"]), strs(&["c", "a"])]),
        strs(&["a", "b", "c"])
    );
    assert_eq!(
        ok("setintersection", vec![strs(&["a", "b"]), strs(&["b", "c"])]),
        strs(&["b"])
    );
    assert_eq!(ok("setsubtract", vec![strs(&["a", "b"]), strs(&["b"])]), strs(&["a"]));
}

#[test]
fn number_functions() {
    assert_eq!(ok("abs", vec![n(-3.5)]), n(3.5));
    assert_eq!(ok("ceil", vec![n(1.2)]), n(2.0));
    assert_eq!(ok("floor", vec![s("1.8")]), n(1.0));
    assert_eq!(ok("signum", vec![n(-7.0)]), n(-1.0));
    assert_eq!(ok("pow", vec![n(2.0), n(10.0)]), n(1024.0));
    assert_eq!(ok("log", vec![n(16.0), n(2.0)]), n(4.0));
    assert_eq!(ok("max", vec![n(3.0), n(12.0), n(9.0)]), n(12.0));
    assert_eq!(ok("min", vec![n(3.0), s("2"), n(9.0)]), n(2.0));
    assert!(err("max", vec![]).message.contains("missing value for \"numbers\""));
    assert_eq!(ok("sum", vec![list(vec![n(1.0), n(2.5)])]), n(3.5));
    assert!(err("sum", vec![list(vec![])]).message.contains("empty list"));
    assert_eq!(ok("parseint", vec![s("FF"), n(16.0)]), n(255.0));
    assert_eq!(ok("parseint", vec![s("-101"), n(2.0)]), n(-5.0));
    assert!(err("parseint", vec![s("12"), n(1.0)]).message.contains("base must be"));
    assert!(err("parseint", vec![s("19"), n(8.0)]).message.contains("cannot parse"));
    let e = err("abs", vec![s("abc")]);
    assert_eq!(e.message, "invalid value for \"num\" parameter: a number is required.");
}

#[test]
fn conversion_functions() {
    assert_eq!(ok("tostring", vec![n(2.0)]), s("2"));
    assert_eq!(ok("tostring", vec![Value::Null]), Value::Null);
    assert_eq!(ok("tonumber", vec![s("2")]), n(2.0));
    assert_eq!(ok("tobool", vec![s("true")]), Value::Bool(true));
    assert_eq!(ok("tolist", vec![list(vec![s("a"), n(1.0)])]), strs(&["a", "1"]));
    assert_eq!(
        ok("tolist", vec![list(vec![Value::Unknown, s("a")])]),
        list(vec![Value::Unknown, s("a")])
    );
    assert_eq!(ok("toset", vec![strs(&["b", "a", "b"])]), strs(&["a", "b"]));
    assert_eq!(
        ok("tomap", vec![obj(vec![("a", n(1.0)), ("b", s("x"))])]),
        obj(vec![("a", s("1")), ("b", s("x"))])
    );
    assert_eq!(ok("tostring", vec![n(2.0).mark()]), s("2").mark());
    let e = err("tonumber", vec![s("abc")]);
    assert_eq!(e.message, "invalid value for \"v\" parameter: a number is required.");
    assert!(err("tostring", vec![list(vec![])]).message.contains("string required"));
    assert!(
        err("tomap", vec![strs(&["a"])])
            .message
            .contains("map of any single type required")
    );
}

#[test]
fn json_round_trip_and_stable_order() {
    let v = obj(vec![
        ("z", n(1.0)),
        ("a", list(vec![Value::Bool(true), Value::Null, n(0.5)])),
        ("h", s("<b>&")),
    ]);
    let text = ok("jsonencode", vec![v.clone()]);
    assert_eq!(text, s(r#"{"a":[true,null,0.5],"h":"\u003cb\u003e\u0026","z":1}"#));
    assert_eq!(ok("jsondecode", vec![text]), v);
    assert_eq!(ok("jsonencode", vec![obj(vec![("a", Value::Unknown)])]), Value::Unknown);
    assert_eq!(ok("jsonencode", vec![n(0.0000001)]), s("0.0000001"));
    let e = err("jsondecode", vec![s("{nope")]);
    assert!(e.message.starts_with("invalid JSON"), "{}", e.message);
    assert_eq!(ok("jsonencode", vec![s("x").mark()]), s("\"x\"").mark());
}

#[test]
fn yamlencode_matches_terraform() {
    let y = |v: Value| match ok("yamlencode", vec![v]) {
        Value::String(x) => x,
        other => panic!("{other:?}"),
    };
    assert_eq!(
        y(obj(vec![("a", s("b")), ("c", s("d"))])),
        "\"a\": \"b\"\n\"c\": \"d\"\n"
    );
    assert_eq!(
        y(obj(vec![
            ("foo", list(vec![n(1.0), n(2.0), n(3.0)])),
            ("bar", s("baz"))
        ])),
        "\"bar\": \"baz\"\n\"foo\":\n- 1\n- 2\n- 3\n"
    );
    assert_eq!(
        y(obj(vec![(
            "foo",
            list(vec![n(1.0), obj(vec![("a", s("b")), ("c", s("d"))])])
        )])),
        "\"foo\":\n- 1\n- \"a\": \"b\"\n  \"c\": \"d\"\n"
    );
    assert_eq!(
        y(obj(vec![("m", obj(vec![("k", Value::Null), ("e", list(vec![]))]))])),
        "\"m\":\n  \"e\": []\n  \"k\": null\n"
    );
    assert_eq!(
        y(list(vec![strs(&["a", "b"]), strs(&["c"])])),
        "- - \"a\"\n  - \"b\"\n- - \"c\"\n"
    );
    assert_eq!(y(Value::Bool(true)), "true\n...\n");
    assert_eq!(y(s("hello")), "\"hello\"\n");
    assert_eq!(y(obj(vec![])), "{}\n");
    assert_eq!(y(obj(vec![("s", s("line1\nline2"))])), "\"s\": |-\n  line1\n  line2\n");
    assert_eq!(y(obj(vec![("s", s("a\tb\u{1F600}"))])), "\"s\": \"a\\tb\\U0001F600\"\n");
}

#[test]
fn yaml_round_trips_through_a_parser() {
    let long = "word ".repeat(40) + "end";
    let v = obj(vec![
        ("long", s(&long)),
        ("multi", s("a\n\n b\nc\n")),
        ("lead", s(" x\ny")),
        (
            "nested",
            list(vec![
                obj(vec![("k", list(vec![n(1.5), Value::Bool(false)]))]),
                list(vec![]),
            ]),
        ),
        ("quote", s("say \"hi\" \\ ok")),
        ("spaces", s("  two  spaces  ".repeat(10).as_str())),
    ]);
    let text = ok("yamlencode", vec![v.clone()]);
    assert!(
        text.as_str().is_some_and(|t| t.contains("\n  ")),
        "long value folds: {text:?}"
    );
    assert_eq!(ok("yamldecode", vec![text]), v);
}

#[test]
fn yamldecode_reads_documents() {
    assert_eq!(
        ok("yamldecode", vec![s("a: 1\nb:\n  - x\n  - true\n")]),
        obj(vec![("a", n(1.0)), ("b", list(vec![s("x"), Value::Bool(true)]))])
    );
    assert_eq!(ok("yamldecode", vec![s("")]), Value::Null);
    assert_eq!(ok("yamldecode", vec![s("1: one")]), obj(vec![("1", s("one"))]));
    assert!(err("yamldecode", vec![s("a: [")]).message.contains("invalid YAML"));
    assert!(
        err("yamldecode", vec![s("a: 1\n---\nb: 2\n")])
            .message
            .contains("invalid YAML")
    );
}

#[test]
fn encodings_and_hashes() {
    assert_eq!(ok("base64encode", vec![s("Hello World")]), s("SGVsbG8gV29ybGQ="));
    assert_eq!(ok("base64decode", vec![s("SGVsbG8gV29ybGQ=")]), s("Hello World"));
    assert!(
        err("base64decode", vec![s("!!")])
            .message
            .contains("failed to decode base64 data")
    );
    assert!(err("base64decode", vec![s("/w==")]).message.contains("not valid UTF-8"));
    assert_eq!(
        ok("sha256", vec![s("hello world")]),
        s("b94d27b9934d3e08a52e52d7da7dabfac484efe37a5380ee9088f7ace2efcde9")
    );
    assert_eq!(
        ok("base64sha256", vec![s("hello world")]),
        s("uU0nuZNNPgilLlLX2n2r+sSE7+N6U4DukIj3rOLvzek=")
    );
    let sha512 = ok("sha512", vec![s("hello world")]);
    assert!(
        sha512
            .as_str()
            .is_some_and(|h| h.starts_with("309ecc489c12d6eb") && h.len() == 128)
    );
    assert_eq!(ok("base64sha512", vec![s("")]).as_str().map(str::len), Some(88));
}

#[test]
fn file_functions_resolve_against_base_dir() {
    let dir = tempfile::tempdir().expect("tempdir");
    std::fs::write(dir.path().join("hello.txt"), "hi there").expect("write");
    std::fs::write(dir.path().join("bin.dat"), [0xffu8, 0xfe]).expect("write");
    let at = |name: &str, args: Vec<Value>| run_in(dir.path(), name, args);
    assert_eq!(at("file", vec![s("hello.txt")]), Ok(s("hi there")));
    assert_eq!(at("filebase64", vec![s("bin.dat")]), Ok(s("//4=")));
    assert_eq!(
        at("filesha256", vec![s("hello.txt")]),
        Ok(ok("sha256", vec![s("hi there")]))
    );
    let e = at("file", vec![s("missing.txt")]).expect_err("missing file");
    assert!(e.message.contains("no file exists at \"missing.txt\""), "{}", e.message);
    assert_eq!(e.arg, Some(0));
    let e = at("file", vec![s("bin.dat")]).expect_err("binary file");
    assert!(e.message.contains("not valid UTF-8"), "{}", e.message);
    assert_eq!(at("fileexists", vec![s("hello.txt")]), Ok(Value::Bool(true)));
    assert_eq!(at("fileexists", vec![s("nope.txt")]), Ok(Value::Bool(false)));
    assert!(at("fileexists", vec![s(".")]).is_err());
    let abs = at("abspath", vec![s("sub/../hello.txt")]).expect("abspath");
    let want = dir.path().join("hello.txt");
    assert_eq!(abs.as_str(), want.to_str());
    assert_eq!(ok("abspath", vec![s("/a/b/../c")]), s("/a/c"));
}

#[test]
fn path_functions_follow_go() {
    assert_eq!(ok("basename", vec![s("foo/bar/baz.txt")]), s("baz.txt"));
    assert_eq!(ok("basename", vec![s("foo/bar/")]), s("bar"));
    assert_eq!(ok("basename", vec![s("/")]), s("/"));
    assert_eq!(ok("basename", vec![s("")]), s("."));
    assert_eq!(ok("dirname", vec![s("foo/bar/baz.txt")]), s("foo/bar"));
    assert_eq!(ok("dirname", vec![s("foo")]), s("."));
    assert_eq!(ok("dirname", vec![s("/foo")]), s("/"));
    assert_eq!(ok("dirname", vec![s("a/b/")]), s("a/b"));
    assert_eq!(ok("pathexpand", vec![s("/etc/x")]), s("/etc/x"));
    if let Ok(home) = std::env::var("HOME") {
        assert_eq!(
            ok("pathexpand", vec![s("~/x")]),
            s(&format!("{}/x", home.trim_end_matches('/')))
        );
    }
}

#[test]
fn cidr_functions() {
    assert_eq!(
        ok("cidrsubnet", vec![s("172.16.0.0/12"), n(4.0), n(2.0)]),
        s("172.18.0.0/16")
    );
    assert_eq!(
        ok("cidrsubnet", vec![s("10.1.2.0/24"), n(4.0), n(15.0)]),
        s("10.1.2.240/28")
    );
    assert_eq!(
        ok("cidrsubnet", vec![s("10.1.2.3/24"), n(0.0), n(0.0)]),
        s("10.1.2.0/24")
    );
    assert_eq!(
        ok("cidrsubnet", vec![s("fd00:fd12:3456:7890::/56"), n(16.0), n(162.0)]),
        s("fd00:fd12:3456:7800:a200::/72")
    );
    assert!(
        err("cidrsubnet", vec![s("10.0.0.0/24"), n(4.0), n(16.0)])
            .message
            .contains("prefix extension of 4 does not accommodate a subnet numbered 16")
    );
    assert!(
        err("cidrsubnet", vec![s("10.0.0.0/30"), n(4.0), n(0.0)])
            .message
            .contains("insufficient address space to extend prefix of 30 by 4")
    );
    let e = err("cidrsubnet", vec![s("10.0.0/8"), n(4.0), n(0.0)]);
    assert!(e.message.contains("invalid CIDR expression"), "{}", e.message);
    assert_eq!(e.arg, Some(0));
    assert_eq!(ok("cidrhost", vec![s("10.12.112.0/20"), n(16.0)]), s("10.12.112.16"));
    assert_eq!(ok("cidrhost", vec![s("10.12.112.0/20"), n(268.0)]), s("10.12.113.12"));
    assert_eq!(ok("cidrhost", vec![s("10.0.0.0/24"), n(-1.0)]), s("10.0.0.255"));
    assert_eq!(
        ok("cidrhost", vec![s("fd00:fd12:3456:7890::/56"), n(16.0)]),
        s("fd00:fd12:3456:7800::10")
    );
    assert!(
        err("cidrhost", vec![s("10.0.0.0/24"), n(256.0)])
            .message
            .contains("does not accommodate a host")
    );
    assert_eq!(ok("cidrnetmask", vec![s("172.16.0.0/12")]), s("255.240.0.0"));
    assert!(err("cidrnetmask", vec![s("fd00::/8")]).message.contains("IPv6"));
    assert_eq!(
        ok("cidrsubnets", vec![s("10.1.0.0/16"), n(4.0), n(4.0), n(8.0), n(4.0)]),
        strs(&["10.1.0.0/20", "10.1.16.0/20", "10.1.32.0/24", "10.1.48.0/20"])
    );
    assert_eq!(
        ok(
            "cidrsubnets",
            vec![s("fd00:fd12:3456:7890::/56"), n(16.0), n(16.0), n(16.0), n(32.0)]
        ),
        strs(&[
            "fd00:fd12:3456:7800::/72",
            "fd00:fd12:3456:7800:100::/72",
            "fd00:fd12:3456:7800:200::/72",
            "fd00:fd12:3456:7800:300::/88"
        ])
    );
    assert_eq!(
        ok("cidrsubnets", vec![s("0.0.0.0/0"), n(1.0), n(1.0)]),
        strs(&["0.0.0.0/1", "128.0.0.0/1"])
    );
    assert!(
        err("cidrsubnets", vec![s("10.0.0.0/24"), n(1.0), n(1.0), n(1.0)])
            .message
            .contains("not enough remaining address space")
    );
}

#[test]
fn timestamp_and_uuid() {
    let ts = ok("timestamp", vec![]);
    let ts = ts.as_str().unwrap_or_default();
    assert_eq!(ts.len(), 20, "{ts}");
    assert!(ts.ends_with('Z') && ts.as_bytes()[10] == b'T', "{ts}");
    let id = ok("uuid", vec![]);
    assert_eq!(id.as_str().map(str::len), Some(36));
    assert_ne!(ok("uuid", vec![]), id);
}

#[test]
fn edit_distance_counts_edits() {
    // The did-you-mean thresholds assume strsim counts edits, in characters.
    use strsim::levenshtein as edit_distance;
    assert_eq!(edit_distance("kitten", "sitting"), 3);
    assert_eq!(edit_distance("", "abc"), 3);
    assert_eq!(edit_distance("same", "same"), 0);
}

#[test]
fn type_names_the_shape_of_a_value() {
    assert_eq!(ok("type", vec![s("a")]), s("string"));
    assert_eq!(ok("type", vec![n(1.0)]), s("number"));
    assert_eq!(ok("type", vec![Value::Bool(true)]), s("bool"));
    assert_eq!(ok("type", vec![Value::Null]), s("dynamic"));
    assert_eq!(
        ok(
            "type",
            vec![obj(vec![("name", s("a")), ("sizes", list(vec![n(1.0), s("x")]))])]
        ),
        s("object({name: string, sizes: tuple([number, string])})")
    );
    assert_eq!(ok("type", vec![list(vec![])]), s("tuple([])"));
    assert_eq!(ok("type", vec![s("secret").mark()]), s("string").mark());
    assert_eq!(ok("type", vec![Value::Unknown]), Value::Unknown);
}
