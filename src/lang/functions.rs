//! The built-in function library over [`Value`]s, with Terraform's names, semantics and messages.
//!
//! The evaluator calls [`call`] with evaluated arguments, which may carry unknown and sensitive
//! marks anywhere. The default rule keeps marks honest without each function knowing about them:
//! if any argument contains an unknown the result is unknown (marked sensitive when a secret went
//! in); otherwise every sensitive mark is stripped, the function computes on plain values, and the
//! result is marked sensitive when any argument carried a mark. A few functions look at marks themselves, as Terraform's do:
//! `length`, `keys`, `values`, `lookup`, `merge`, `concat` and `coalesce` give a known result where
//! the unknown parts do not matter, the `to*` conversions keep marks where they are, and
//! `sensitive`/`nonsensitive` set or clear the mark.
//!
//! `try`, `can`, `templatefile` and `secret` are special forms: they need unevaluated arguments or
//! the evaluator's scope, so the evaluator handles them; [`exists`] still reports them.
//!
//! A [`FuncError`] message is worded to follow `Call to function "NAME" failed: `, which the
//! evaluator puts in front of it, and ends with a period, as Terraform's do: an argument at fault
//! reads `invalid value for "str" parameter: string required.` (and [`FuncError::arg`] says which
//! argument, for the caret); any other failure reads like `lookup failed to find key "z".`.
//! A message never shows the value of a sensitive argument.

use std::collections::BTreeMap;
use std::fmt;
use std::path::{Path, PathBuf};

use base64::Engine as _;
use plinth_sdk::convert::{ConvertError, compare_values, convert, infer_type, set_normalize, unify_types};
use plinth_sdk::value::format_number;
use plinth_sdk::{Type, Value};
use sha2::Digest as _;

/// What a function call may read besides its arguments.
pub struct FuncContext<'a> {
    /// Directory that relative paths in `file()`, `fileexists()`, `abspath()` ... resolve against.
    pub base_dir: &'a Path,
}

/// Why a function call failed.
#[derive(Debug, Clone, PartialEq)]
pub struct FuncError {
    pub message: String,
    /// Index of the argument at fault, when one is (for the caret under it).
    pub arg: Option<usize>,
}

impl fmt::Display for FuncError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for FuncError {}

/// Functions the evaluator implements itself (they see unevaluated arguments or the scope).
const SPECIAL_FORMS: &[&str] = &["try", "can", "templatefile", "secret"];

/// Whether `name` is a built-in function (including the evaluator's special forms).
pub fn exists(name: &str) -> bool {
    SPECIAL_FORMS.contains(&name) || spec(name).is_some()
}

/// Calls the built-in function `name`.
pub fn call(name: &str, args: Vec<Value>, ctx: &FuncContext) -> Result<Value, FuncError> {
    if SPECIAL_FORMS.contains(&name) {
        return Err(FuncError {
            message: format!("{name}(...) is evaluated by the expression evaluator and cannot be called directly."),
            arg: None,
        });
    }
    let Some(spec) = spec(name) else {
        return Err(unknown_function(name));
    };
    check_arity(spec, args.len())?;
    let result = match spec.body {
        Body::Plain(f) => {
            if args.iter().any(Value::contains_unknown) {
                // Whatever the value turns out to be, it will derive from any secret given here.
                return Ok(Value::Unknown.mark_if(args.iter().any(Value::contains_sensitive)));
            }
            let mut sensitive = Vec::with_capacity(args.len());
            let args: Vec<Value> = args
                .into_iter()
                .map(|a| {
                    let (v, s) = a.unmark();
                    sensitive.push(s);
                    v
                })
                .collect();
            let any = sensitive.iter().any(|s| *s);
            let cx = Cx { ctx, sensitive };
            f(&args, &cx).map(|v| v.mark_if(any))
        }
        Body::Marked(f) => f(args, ctx),
    };
    result.map_err(|fail| fail.into_error(spec))
}

// ---------------------------------------------------------------------------------------------
// The table and the machinery around it

type PlainFn = fn(&[Value], &Cx) -> Result<Value, Fail>;
type MarkedFn = fn(Vec<Value>, &FuncContext) -> Result<Value, Fail>;

#[derive(Clone, Copy)]
enum Body {
    /// Sees fully known, unmarked arguments; the caller applies the default mark rule.
    Plain(PlainFn),
    /// Sees the arguments as given and handles unknown and sensitive parts itself.
    Marked(MarkedFn),
}

struct Spec {
    name: &'static str,
    /// Parameter names by position; the last one repeats for variadic functions.
    params: &'static [&'static str],
    min: usize,
    max: Option<usize>,
    body: Body,
}

const fn fixed(name: &'static str, params: &'static [&'static str], f: PlainFn) -> Spec {
    Spec {
        name,
        params,
        min: params.len(),
        max: Some(params.len()),
        body: Body::Plain(f),
    }
}

const fn variadic(name: &'static str, params: &'static [&'static str], min: usize, f: PlainFn) -> Spec {
    Spec {
        name,
        params,
        min,
        max: None,
        body: Body::Plain(f),
    }
}

const fn marked(
    name: &'static str,
    params: &'static [&'static str],
    min: usize,
    max: Option<usize>,
    f: MarkedFn,
) -> Spec {
    Spec {
        name,
        params,
        min,
        max,
        body: Body::Marked(f),
    }
}

const FUNCTIONS: &[Spec] = &[
    // strings
    fixed("chomp", &["str"], f_chomp),
    fixed("endswith", &["str", "suffix"], f_endswith),
    variadic("format", &["format", "args"], 1, f_format),
    variadic("formatlist", &["format", "args"], 1, f_formatlist),
    fixed("indent", &["spaces", "str"], f_indent),
    variadic("join", &["separator", "lists"], 2, f_join),
    fixed("lower", &["str"], f_lower),
    fixed("regex", &["pattern", "string"], f_regex),
    fixed("regexall", &["pattern", "string"], f_regexall),
    fixed("replace", &["str", "substr", "replace"], f_replace),
    fixed("split", &["separator", "str"], f_split),
    fixed("startswith", &["str", "prefix"], f_startswith),
    fixed("strcontains", &["str", "substr"], f_strcontains),
    fixed("strrev", &["str"], f_strrev),
    fixed("substr", &["str", "offset", "length"], f_substr),
    fixed("title", &["str"], f_title),
    fixed("trim", &["str", "cutset"], f_trim),
    fixed("trimprefix", &["str", "prefix"], f_trimprefix),
    fixed("trimspace", &["str"], f_trimspace),
    fixed("trimsuffix", &["str", "suffix"], f_trimsuffix),
    fixed("upper", &["str"], f_upper),
    // collections
    fixed("alltrue", &["list"], f_alltrue),
    fixed("anytrue", &["list"], f_anytrue),
    fixed("chunklist", &["list", "size"], f_chunklist),
    marked("coalesce", &["vals"], 1, None, m_coalesce),
    variadic("coalescelist", &["vals"], 1, f_coalescelist),
    fixed("compact", &["list"], f_compact),
    marked("concat", &["seqs"], 1, None, m_concat),
    fixed("contains", &["list", "value"], f_contains),
    fixed("distinct", &["list"], f_distinct),
    fixed("element", &["list", "index"], f_element),
    fixed("flatten", &["list"], f_flatten),
    fixed("index", &["list", "value"], f_index),
    marked("keys", &["inputMap"], 1, Some(1), m_keys),
    marked("length", &["value"], 1, Some(1), m_length),
    marked("lookup", &["inputMap", "key", "default"], 2, Some(3), m_lookup),
    marked("merge", &["maps"], 0, None, m_merge),
    fixed("one", &["list"], f_one),
    variadic("range", &["params"], 1, f_range),
    fixed("reverse", &["list"], f_reverse),
    variadic("setintersection", &["first_set", "other_sets"], 1, f_setintersection),
    fixed("setsubtract", &["a", "b"], f_setsubtract),
    variadic("setunion", &["first_set", "other_sets"], 1, f_setunion),
    fixed("slice", &["list", "start_index", "end_index"], f_slice),
    fixed("sort", &["list"], f_sort),
    fixed("sum", &["list"], f_sum),
    marked("values", &["mapping"], 1, Some(1), m_values),
    fixed("zipmap", &["keys", "values"], f_zipmap),
    // numbers
    fixed("abs", &["num"], f_abs),
    fixed("ceil", &["num"], f_ceil),
    fixed("floor", &["num"], f_floor),
    fixed("log", &["num", "base"], f_log),
    variadic("max", &["numbers"], 1, f_max),
    variadic("min", &["numbers"], 1, f_min),
    fixed("parseint", &["number", "base"], f_parseint),
    fixed("pow", &["num", "power"], f_pow),
    fixed("signum", &["num"], f_signum),
    // types and marks
    marked("nonsensitive", &["value"], 1, Some(1), m_nonsensitive),
    marked("sensitive", &["value"], 1, Some(1), m_sensitive),
    marked("tobool", &["v"], 1, Some(1), m_tobool),
    marked("tolist", &["v"], 1, Some(1), m_tolist),
    marked("tomap", &["v"], 1, Some(1), m_tomap),
    marked("tonumber", &["v"], 1, Some(1), m_tonumber),
    marked("toset", &["v"], 1, Some(1), m_toset),
    marked("tostring", &["v"], 1, Some(1), m_tostring),
    // encoding and hashing
    fixed("base64decode", &["str"], f_base64decode),
    fixed("base64encode", &["str"], f_base64encode),
    fixed("base64sha256", &["str"], f_base64sha256),
    fixed("base64sha512", &["str"], f_base64sha512),
    fixed("jsondecode", &["str"], f_jsondecode),
    fixed("jsonencode", &["val"], f_jsonencode),
    fixed("sha256", &["str"], f_sha256),
    fixed("sha512", &["str"], f_sha512),
    fixed("urlencode", &["str"], f_urlencode),
    fixed("yamldecode", &["src"], f_yamldecode),
    fixed("yamlencode", &["value"], f_yamlencode),
    // filesystem
    fixed("abspath", &["path"], f_abspath),
    fixed("basename", &["path"], f_basename),
    fixed("dirname", &["path"], f_dirname),
    fixed("file", &["path"], f_file),
    fixed("filebase64", &["path"], f_filebase64),
    fixed("fileexists", &["path"], f_fileexists),
    fixed("filesha256", &["path"], f_filesha256),
    fixed("pathexpand", &["path"], f_pathexpand),
    // network
    fixed("cidrhost", &["prefix", "hostnum"], f_cidrhost),
    fixed("cidrnetmask", &["prefix"], f_cidrnetmask),
    fixed("cidrsubnet", &["prefix", "newbits", "netnum"], f_cidrsubnet),
    variadic("cidrsubnets", &["prefix", "newbits"], 1, f_cidrsubnets),
    // time and identity
    fixed("timestamp", &[], f_timestamp),
    fixed("uuid", &[], f_uuid),
];

fn spec(name: &str) -> Option<&'static Spec> {
    FUNCTIONS.iter().find(|s| s.name == name)
}

impl Spec {
    fn param(&self, i: usize) -> &'static str {
        self.params.get(i).or(self.params.last()).copied().unwrap_or("args")
    }
}

/// A failure inside a function, before it is worded for the user.
#[derive(Debug)]
enum Fail {
    /// An argument has the wrong value: `invalid value for "NAME" parameter: ...`.
    Param(usize, String),
    /// The call failed for another reason.
    Call(Option<usize>, String),
}

impl Fail {
    fn into_error(self, spec: &Spec) -> FuncError {
        match self {
            Fail::Param(i, msg) => FuncError {
                message: format!(
                    "invalid value for \"{}\" parameter: {}.",
                    spec.param(i),
                    msg.trim_end_matches('.')
                ),
                arg: Some(i),
            },
            Fail::Call(arg, msg) => FuncError {
                message: format!("{}.", msg.trim_end_matches('.')),
                arg,
            },
        }
    }
}

fn call_err(msg: impl Into<String>) -> Fail {
    Fail::Call(None, msg.into())
}

fn check_arity(spec: &Spec, n: usize) -> Result<(), FuncError> {
    if n < spec.min {
        let expects = if spec.max == Some(spec.min) {
            spec.min.to_string()
        } else {
            format!("at least {}", spec.min)
        };
        return Err(FuncError {
            message: format!(
                "the function expects {expects} argument(s) but got {n}; missing value for \"{}\".",
                spec.param(n)
            ),
            arg: None,
        });
    }
    if let Some(max) = spec.max
        && n > max
    {
        let only = if spec.min == max {
            format!("only {max}")
        } else {
            format!("at most {max}")
        };
        return Err(FuncError {
            message: format!("the function expects {only} argument(s) but got {n}."),
            arg: Some(max),
        });
    }
    Ok(())
}

fn unknown_function(name: &str) -> FuncError {
    let best = FUNCTIONS
        .iter()
        .map(|s| s.name)
        .chain(SPECIAL_FORMS.iter().copied())
        .map(|cand| (strsim::levenshtein(name, cand), cand))
        .min();
    let message = match best {
        Some((d, cand)) if d < 3 && d < name.chars().count() => {
            format!("there is no function named \"{name}\"; did you mean \"{cand}\"?")
        }
        _ => format!("there is no function named \"{name}\""),
    };
    FuncError { message, arg: None }
}

/// What a plain function sees besides its arguments.
struct Cx<'a> {
    ctx: &'a FuncContext<'a>,
    /// Which arguments were marked sensitive (their values must not appear in messages).
    sensitive: Vec<bool>,
}

impl Cx<'_> {
    /// `text` quoted for a message, or `(sensitive value)` when argument `i` was sensitive.
    fn show(&self, i: usize, text: &str) -> String {
        if self.sensitive.get(i).copied().unwrap_or(false) {
            "(sensitive value)".into()
        } else {
            format!("{text:?}")
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Argument helpers (plain functions: values are known and unmarked)

fn convert_message(e: ConvertError) -> String {
    if e.path.is_empty() {
        return e.message;
    }
    match e.path.strip_prefix('[').and_then(|p| p.strip_suffix(']')) {
        Some(idx) if idx.parse::<usize>().is_ok() => format!("element {idx}: {}", e.message),
        _ => format!("{}: {}", e.path, e.message),
    }
}

fn not_null(args: &[Value], i: usize) -> Result<&Value, Fail> {
    match &args[i] {
        Value::Null => Err(Fail::Param(i, "argument must not be null".into())),
        v => Ok(v),
    }
}

fn conv(args: &[Value], i: usize, ty: &Type) -> Result<Value, Fail> {
    let v = not_null(args, i)?.clone();
    convert(v, ty).map_err(|e| Fail::Param(i, convert_message(e)))
}

fn str_arg(args: &[Value], i: usize) -> Result<String, Fail> {
    match conv(args, i, &Type::String)? {
        Value::String(s) => Ok(s),
        _ => Err(Fail::Param(i, "string required".into())),
    }
}

fn num_arg(args: &[Value], i: usize) -> Result<f64, Fail> {
    match conv(args, i, &Type::Number)? {
        Value::Number(n) => Ok(n),
        _ => Err(Fail::Param(i, "number required".into())),
    }
}

fn int_arg(args: &[Value], i: usize) -> Result<i64, Fail> {
    let n = num_arg(args, i)?;
    if n.fract() != 0.0 || !n.is_finite() {
        return Err(Fail::Param(i, "a whole number is required".into()));
    }
    if n.abs() > 9.007_199_254_740_992e15 {
        return Err(Fail::Param(i, "number is too large".into()));
    }
    Ok(n as i64)
}

fn list_arg(args: &[Value], i: usize) -> Result<Vec<Value>, Fail> {
    match not_null(args, i)? {
        Value::List(items) => Ok(items.clone()),
        other => Err(Fail::Param(
            i,
            format!("a list, set or tuple is required, not {}", other.type_name()),
        )),
    }
}

/// A list of strings; null elements come back as `None`.
fn str_list_arg(args: &[Value], i: usize) -> Result<Vec<Option<String>>, Fail> {
    list_arg(args, i)?
        .into_iter()
        .enumerate()
        .map(|(j, v)| match v {
            Value::Null => Ok(None),
            v => match convert(v, &Type::String) {
                Ok(Value::String(s)) => Ok(Some(s)),
                Ok(_) => Ok(None),
                Err(e) => Err(Fail::Param(i, format!("element {j}: {}", e.message))),
            },
        })
        .collect()
}

fn num_list_arg(args: &[Value], i: usize) -> Result<Vec<f64>, Fail> {
    list_arg(args, i)?
        .into_iter()
        .enumerate()
        .map(|(j, v)| match convert(v, &Type::Number) {
            Ok(Value::Number(n)) => Ok(n),
            Ok(_) => Err(Fail::Param(i, format!("element {j} is null"))),
            Err(e) => Err(Fail::Param(i, format!("element {j}: {}", e.message))),
        })
        .collect()
}

fn strings(items: impl IntoIterator<Item = String>) -> Value {
    Value::List(items.into_iter().map(Value::String).collect())
}

/// Removes sensitive marks at the top of a value: the plain value and whether there was one.
fn peel(v: Value) -> (Value, bool) {
    match v {
        Value::Sensitive(inner) => (peel(*inner).0, true),
        v => (v, false),
    }
}

// ---------------------------------------------------------------------------------------------
// Strings

fn f_upper(a: &[Value], _: &Cx) -> Result<Value, Fail> {
    Ok(Value::String(str_arg(a, 0)?.to_uppercase()))
}

fn f_lower(a: &[Value], _: &Cx) -> Result<Value, Fail> {
    Ok(Value::String(str_arg(a, 0)?.to_lowercase()))
}

/// Go's `strings.Title`: the first letter of each word upper-cased.
fn f_title(a: &[Value], _: &Cx) -> Result<Value, Fail> {
    let s = str_arg(a, 0)?;
    let mut out = String::with_capacity(s.len());
    let mut at_word_start = true;
    for c in s.chars() {
        if at_word_start && c.is_alphabetic() {
            out.extend(c.to_uppercase());
        } else {
            out.push(c);
        }
        at_word_start = !(c.is_alphanumeric() || c == '_' || c == '\'');
    }
    Ok(Value::String(out))
}

fn f_trimspace(a: &[Value], _: &Cx) -> Result<Value, Fail> {
    Ok(Value::string(str_arg(a, 0)?.trim()))
}

fn f_trim(a: &[Value], _: &Cx) -> Result<Value, Fail> {
    let s = str_arg(a, 0)?;
    let cutset: Vec<char> = str_arg(a, 1)?.chars().collect();
    Ok(Value::string(s.trim_matches(|c| cutset.contains(&c))))
}

fn f_trimprefix(a: &[Value], _: &Cx) -> Result<Value, Fail> {
    let s = str_arg(a, 0)?;
    let p = str_arg(a, 1)?;
    Ok(Value::string(s.strip_prefix(p.as_str()).unwrap_or(&s)))
}

fn f_trimsuffix(a: &[Value], _: &Cx) -> Result<Value, Fail> {
    let s = str_arg(a, 0)?;
    let p = str_arg(a, 1)?;
    Ok(Value::string(s.strip_suffix(p.as_str()).unwrap_or(&s)))
}

fn f_chomp(a: &[Value], _: &Cx) -> Result<Value, Fail> {
    Ok(Value::string(str_arg(a, 0)?.trim_end_matches(['\r', '\n'])))
}

fn f_strrev(a: &[Value], _: &Cx) -> Result<Value, Fail> {
    Ok(Value::String(str_arg(a, 0)?.chars().rev().collect()))
}

fn f_indent(a: &[Value], _: &Cx) -> Result<Value, Fail> {
    let n = int_arg(a, 0)?;
    let s = str_arg(a, 1)?;
    let pad = " ".repeat(usize::try_from(n).unwrap_or(0));
    Ok(Value::String(s.replace('\n', &format!("\n{pad}"))))
}

fn f_startswith(a: &[Value], _: &Cx) -> Result<Value, Fail> {
    Ok(Value::Bool(str_arg(a, 0)?.starts_with(&str_arg(a, 1)?)))
}

fn f_endswith(a: &[Value], _: &Cx) -> Result<Value, Fail> {
    Ok(Value::Bool(str_arg(a, 0)?.ends_with(&str_arg(a, 1)?)))
}

fn f_strcontains(a: &[Value], _: &Cx) -> Result<Value, Fail> {
    Ok(Value::Bool(str_arg(a, 0)?.contains(&str_arg(a, 1)?)))
}

fn f_split(a: &[Value], _: &Cx) -> Result<Value, Fail> {
    let sep = str_arg(a, 0)?;
    let s = str_arg(a, 1)?;
    if sep.is_empty() {
        return Ok(strings(s.chars().map(String::from)));
    }
    Ok(strings(s.split(sep.as_str()).map(String::from)))
}

fn f_join(a: &[Value], _: &Cx) -> Result<Value, Fail> {
    let sep = str_arg(a, 0)?;
    let mut parts = Vec::new();
    for i in 1..a.len() {
        for (j, item) in str_list_arg(a, i)?.into_iter().enumerate() {
            match item {
                Some(s) => parts.push(s),
                None if a.len() > 2 => {
                    return Err(Fail::Param(
                        i,
                        format!("element {j} of list {i} is null; cannot concatenate null values"),
                    ));
                }
                None => {
                    return Err(Fail::Param(
                        i,
                        format!("element {j} is null; cannot concatenate null values"),
                    ));
                }
            }
        }
    }
    Ok(Value::String(parts.join(&sep)))
}

fn f_substr(a: &[Value], _: &Cx) -> Result<Value, Fail> {
    let chars: Vec<char> = str_arg(a, 0)?.chars().collect();
    let offset = int_arg(a, 1)?;
    let length = int_arg(a, 2)?;
    let total = chars.len() as i64;
    let start = if offset < 0 { (offset + total).max(0) } else { offset };
    if start >= total || length == 0 {
        return Ok(Value::string(""));
    }
    let end = if length < 0 { total } else { (start + length).min(total) };
    Ok(Value::String(chars[start as usize..end as usize].iter().collect()))
}

fn regex_arg(a: &[Value], i: usize, cx: &Cx) -> Result<regex::Regex, Fail> {
    let pattern = str_arg(a, i)?;
    regex::Regex::new(&pattern).map_err(|e| {
        let detail = if cx.sensitive.get(i).copied().unwrap_or(false) {
            String::new()
        } else {
            format!(": {}", e.to_string().lines().last().unwrap_or_default().trim())
        };
        Fail::Param(
            i,
            format!("invalid regular expression pattern {}{detail}", cx.show(i, &pattern)),
        )
    })
}

fn f_replace(a: &[Value], cx: &Cx) -> Result<Value, Fail> {
    let s = str_arg(a, 0)?;
    let sub = str_arg(a, 1)?;
    let rep = str_arg(a, 2)?;
    if sub.len() > 1 && sub.starts_with('/') && sub.ends_with('/') {
        let pattern = Value::string(&sub[1..sub.len() - 1]);
        let re = regex_arg(&[Value::Null, pattern], 1, cx)?;
        return Ok(Value::String(re.replace_all(&s, rep.as_str()).into_owned()));
    }
    Ok(Value::String(s.replace(&sub, &rep)))
}

/// The value `regex` returns for one match: the matched text without capture groups, a list for
/// unnamed groups, an object for named ones.
fn regex_match(re: &regex::Regex, caps: &regex::Captures) -> Value {
    let names: Vec<Option<&str>> = re.capture_names().skip(1).collect();
    if names.is_empty() {
        return Value::string(caps.get(0).map_or("", |m| m.as_str()));
    }
    let group = |i: usize| caps.get(i).map_or(Value::Null, |m| Value::string(m.as_str()));
    if names.iter().all(Option::is_some) {
        Value::Map(
            names
                .iter()
                .enumerate()
                .filter_map(|(i, n)| n.map(|n| (n.to_string(), group(i + 1))))
                .collect(),
        )
    } else {
        Value::List((1..=names.len()).map(group).collect())
    }
}

fn check_groups(re: &regex::Regex) -> Result<(), Fail> {
    let names: Vec<Option<&str>> = re.capture_names().skip(1).collect();
    if names.iter().any(Option::is_some) && names.iter().any(Option::is_none) {
        return Err(Fail::Param(
            0,
            "invalid regular expression pattern: named and unnamed capture groups cannot be mixed".into(),
        ));
    }
    Ok(())
}

fn f_regex(a: &[Value], cx: &Cx) -> Result<Value, Fail> {
    let re = regex_arg(a, 0, cx)?;
    check_groups(&re)?;
    let s = str_arg(a, 1)?;
    let caps = re
        .captures(&s)
        .ok_or_else(|| call_err("pattern did not match any part of the given string"))?;
    Ok(regex_match(&re, &caps))
}

fn f_regexall(a: &[Value], cx: &Cx) -> Result<Value, Fail> {
    let re = regex_arg(a, 0, cx)?;
    check_groups(&re)?;
    let s = str_arg(a, 1)?;
    Ok(Value::List(
        re.captures_iter(&s).map(|c| regex_match(&re, &c)).collect(),
    ))
}

/// Go's `url.QueryEscape`.
fn f_urlencode(a: &[Value], _: &Cx) -> Result<Value, Fail> {
    let s = str_arg(a, 0)?;
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => out.push(b as char),
            b' ' => out.push('+'),
            _ => out.push_str(&format!("%{b:02X}")),
        }
    }
    Ok(Value::String(out))
}

// ---------------------------------------------------------------------------------------------
// format and formatlist (cty's verbs: %v %#v %t %b %d %o %x %X %e %E %f %g %G %s %q %%)

fn f_format(a: &[Value], _: &Cx) -> Result<Value, Fail> {
    let spec = str_arg(a, 0)?;
    match format_values(&spec, &a[1..]) {
        Ok(s) => Ok(Value::String(s)),
        Err((arg, msg)) => Err(Fail::Call(arg, msg)),
    }
}

fn f_formatlist(a: &[Value], _: &Cx) -> Result<Value, Fail> {
    let spec = str_arg(a, 0)?;
    let args = &a[1..];
    let mut len: Option<(usize, usize)> = None; // (length, argument number)
    for (i, v) in args.iter().enumerate() {
        if let Value::List(items) = v {
            match len {
                None => len = Some((items.len(), i + 1)),
                Some((n, first)) if n != items.len() => {
                    return Err(Fail::Param(
                        i + 1,
                        format!(
                            "argument {} has length {}, which is inconsistent with argument {first} of length {n}",
                            i + 1,
                            items.len()
                        ),
                    ));
                }
                Some(_) => {}
            }
        }
    }
    let rounds = len.map_or(1, |(n, _)| n);
    let mut out = Vec::with_capacity(rounds);
    for round in 0..rounds {
        let vals: Vec<Value> = args
            .iter()
            .map(|v| match v {
                Value::List(items) => items[round].clone(),
                v => v.clone(),
            })
            .collect();
        let s = format_values(&spec, &vals)
            .map_err(|(arg, msg)| Fail::Call(arg, format!("error on format iteration {round}: {msg}")))?;
        out.push(Value::String(s));
    }
    Ok(Value::List(out))
}

#[derive(Default)]
struct Verb {
    raw: String,
    offset: usize,
    argnum: usize,
    mode: char,
    zero: bool,
    sharp: bool,
    plus: bool,
    minus: bool,
    space: bool,
    width: Option<usize>,
    prec: Option<usize>,
}

/// Formats `vals` by `spec`; an error names the argument of the call at fault (the spec is 0).
fn format_values(spec: &str, vals: &[Value]) -> Result<String, (Option<usize>, String)> {
    let chars: Vec<(usize, char)> = spec.char_indices().collect();
    let mut out = String::new();
    let mut next_arg = 1usize;
    let mut max_used = 0usize;
    let mut i = 0;
    let digits = |i: &mut usize| -> Option<usize> {
        let start = *i;
        while *i < chars.len() && chars[*i].1.is_ascii_digit() {
            *i += 1;
        }
        let s: String = chars[start..*i].iter().map(|(_, c)| c).collect();
        s.parse().ok()
    };
    while i < chars.len() {
        let (offset, c) = chars[i];
        i += 1;
        if c != '%' {
            out.push(c);
            continue;
        }
        if i < chars.len() && chars[i].1 == '%' {
            out.push('%');
            i += 1;
            continue;
        }
        let invalid = || (Some(0), format!("invalid format string starting at offset {offset}"));
        let mut v = Verb {
            offset,
            ..Verb::default()
        };
        while i < chars.len() {
            match chars[i].1 {
                ' ' => v.space = true,
                '+' => v.plus = true,
                '-' => v.minus = true,
                '0' => v.zero = true,
                '#' => v.sharp = true,
                _ => break,
            }
            i += 1;
        }
        if i < chars.len() && chars[i].1 == '[' {
            i += 1;
            let n = digits(&mut i).filter(|n| *n > 0).ok_or_else(invalid)?;
            if i >= chars.len() || chars[i].1 != ']' {
                return Err(invalid());
            }
            i += 1;
            next_arg = n;
        }
        v.width = digits(&mut i);
        if i < chars.len() && chars[i].1 == '.' {
            i += 1;
            v.prec = Some(digits(&mut i).ok_or_else(invalid)?);
        }
        let Some(&(_, mode)) = chars.get(i) else {
            return Err(invalid());
        };
        i += 1;
        v.mode = mode;
        let end = chars.get(i).map_or(spec.len(), |(o, _)| *o);
        v.raw = spec[offset..end].to_string();
        v.argnum = next_arg;
        next_arg += 1;
        max_used = max_used.max(v.argnum);
        format_one(&v, vals, &mut out).map_err(|msg| {
            let arg = (v.argnum <= vals.len()).then_some(v.argnum);
            (arg.or(Some(0)), msg)
        })?;
    }
    if vals.len() > max_used {
        let msg = if max_used == 0 {
            "too many arguments; no verbs in format string".to_string()
        } else {
            format!("too many arguments; only {max_used} used by format string")
        };
        return Err((Some(max_used + 1), msg));
    }
    Ok(out)
}

fn format_one(v: &Verb, vals: &[Value], out: &mut String) -> Result<(), String> {
    let Some(arg) = vals.get(v.argnum - 1) else {
        return Err(format!(
            "not enough arguments for {:?} at {}: need index {} but have {} total",
            v.raw,
            v.offset,
            v.argnum,
            vals.len()
        ));
    };
    let unsupported = |why: String| format!("unsupported value for {:?} at {}: {why}", v.raw, v.offset);
    if v.mode != 'v' && arg.is_null() {
        return Err(unsupported("null value cannot be formatted".into()));
    }
    match v.mode {
        'v' => {
            let text = match arg {
                Value::String(s) if !v.sharp => s.clone(),
                Value::Number(n) if !v.sharp => fmt_g(*n, None, false),
                other => json_text(other),
            };
            out.push_str(&pad_width(v, text));
        }
        't' => match convert(arg.clone(), &Type::Bool) {
            Ok(Value::Bool(b)) => out.push_str(if b { "true" } else { "false" }),
            Ok(_) => return Err(unsupported("bool required".into())),
            Err(e) => return Err(unsupported(e.message)),
        },
        'b' | 'd' | 'o' | 'x' | 'X' | 'e' | 'E' | 'f' | 'g' | 'G' => {
            let n = match convert(arg.clone(), &Type::Number) {
                Ok(Value::Number(n)) => n,
                Ok(_) => return Err(unsupported("number required".into())),
                Err(e) => return Err(unsupported(e.message)),
            };
            let text = if matches!(v.mode, 'b' | 'd' | 'o' | 'x' | 'X') {
                if n.fract() != 0.0 {
                    return Err(unsupported("an integer is required".into()));
                }
                fmt_integer(v, n)
            } else {
                fmt_float(v, n)
            };
            out.push_str(&text);
        }
        's' | 'q' => {
            let s = match convert(arg.clone(), &Type::String) {
                Ok(Value::String(s)) => s,
                Ok(_) => return Err(unsupported("string required".into())),
                Err(e) => return Err(unsupported(e.message)),
            };
            let s: String = match v.prec {
                Some(p) if p > 0 => s.chars().take(p).collect(),
                _ => s,
            };
            let text = if v.mode == 'q' { json_quote(&s) } else { s };
            out.push_str(&pad_width(v, text));
        }
        other => {
            return Err(format!(
                "unsupported format verb '{other}' in {:?} at offset {}",
                v.raw, v.offset
            ));
        }
    }
    Ok(())
}

fn pad_width(v: &Verb, text: String) -> String {
    let len = text.chars().count();
    match v.width {
        Some(w) if w > len => {
            let pad = (if v.zero { "0" } else { " " }).repeat(w - len);
            if v.minus { text + &pad } else { pad + &text }
        }
        _ => text,
    }
}

/// Applies sign flags and width to a formatted magnitude, as Go's fmt does for numbers.
fn pad_number(v: &Verb, negative: bool, prefix: &str, body: String, zero_ok: bool) -> String {
    let sign = if negative {
        "-"
    } else if v.plus {
        "+"
    } else if v.space {
        " "
    } else {
        ""
    };
    let len = sign.len() + prefix.len() + body.chars().count();
    match v.width {
        Some(w) if w > len => {
            if v.minus {
                format!("{sign}{prefix}{body}{}", " ".repeat(w - len))
            } else if v.zero && zero_ok {
                format!("{sign}{prefix}{}{body}", "0".repeat(w - len))
            } else {
                format!("{}{sign}{prefix}{body}", " ".repeat(w - len))
            }
        }
        _ => format!("{sign}{prefix}{body}"),
    }
}

fn fmt_integer(v: &Verb, n: f64) -> String {
    let negative = n < 0.0;
    let mag = n.abs();
    let body = if mag < 1.7e38 {
        let m = mag as u128;
        match v.mode {
            'b' => format!("{m:b}"),
            'o' => format!("{m:o}"),
            'x' => format!("{m:x}"),
            'X' => format!("{m:X}"),
            _ => m.to_string(),
        }
    } else {
        format!("{mag:.0}")
    };
    let body = match v.prec {
        Some(p) if p > body.len() => "0".repeat(p - body.len()) + &body,
        _ => body,
    };
    let prefix = match (v.sharp, v.mode) {
        (true, 'b') => "0b",
        (true, 'o') => "0",
        (true, 'x') => "0x",
        (true, 'X') => "0X",
        _ => "",
    };
    pad_number(v, negative, prefix, body, v.prec.is_none())
}

/// The decimal digits of |x| and the position of the decimal point: x = 0.DIGITS × 10^dp.
/// `sig` rounds to that many significant digits; `None` gives the shortest exact form.
fn decimal_digits(x: f64, sig: Option<usize>) -> (Vec<u8>, i32) {
    let x = x.abs();
    if x == 0.0 {
        return (vec![b'0'; sig.unwrap_or(1).max(1)], 1);
    }
    let s = match sig {
        None => format!("{x:e}"),
        Some(p) => format!("{:.*e}", p.saturating_sub(1), x),
    };
    let (mant, exp) = s.split_once('e').unwrap_or((&s, "0"));
    let exp: i32 = exp.parse().unwrap_or(0);
    (mant.bytes().filter(u8::is_ascii_digit).collect(), exp + 1)
}

fn fmt_e_digits(digits: &[u8], dp: i32, frac: usize, upper: bool) -> String {
    let mut s = String::new();
    s.push(char::from(*digits.first().unwrap_or(&b'0')));
    if frac > 0 {
        s.push('.');
        for i in 1..=frac {
            s.push(char::from(*digits.get(i).unwrap_or(&b'0')));
        }
    }
    let exp = if digits.iter().all(|d| *d == b'0') { 0 } else { dp - 1 };
    let sign = if exp < 0 { '-' } else { '+' };
    format!("{s}{}{sign}{:02}", if upper { 'E' } else { 'e' }, exp.abs())
}

fn fmt_f_digits(digits: &[u8], dp: i32, frac: usize) -> String {
    let digit = |i: i32| -> char {
        if i < 0 {
            '0'
        } else {
            char::from(*digits.get(i as usize).unwrap_or(&b'0'))
        }
    };
    let mut s = String::new();
    if dp > 0 {
        for i in 0..dp {
            s.push(digit(i));
        }
    } else {
        s.push('0');
    }
    if frac > 0 {
        s.push('.');
        for i in 0..frac as i32 {
            s.push(digit(dp + i));
        }
    }
    s
}

/// Go's `%g` of |x|: shortest digits when `prec` is `None`.
fn fmt_g(x: f64, prec: Option<usize>, upper: bool) -> String {
    let neg = if x < 0.0 { "-" } else { "" };
    let (digits, dp, prec, eprec) = match prec {
        None => {
            let (d, dp) = decimal_digits(x, None);
            let n = d.len();
            (d, dp, n, 6)
        }
        Some(p) => {
            let p = p.max(1);
            let (mut d, dp) = decimal_digits(x, Some(p));
            while d.len() > 1 && d.last() == Some(&b'0') {
                d.pop();
            }
            let mut eprec = p;
            if eprec > d.len() && d.len() as i32 >= dp {
                eprec = d.len();
            }
            (d, dp, p, eprec)
        }
    };
    let exp = dp - 1;
    if x != 0.0 && (exp < -4 || exp >= eprec as i32) {
        let p = prec.min(digits.len());
        return format!("{neg}{}", fmt_e_digits(&digits, dp, p.saturating_sub(1), upper));
    }
    let p = if prec as i32 > dp { digits.len() } else { prec };
    let frac = (p as i32 - dp).max(0) as usize;
    format!("{neg}{}", fmt_f_digits(&digits, dp, frac))
}

fn fmt_float(v: &Verb, n: f64) -> String {
    let body = match v.mode {
        'e' | 'E' => {
            let p = v.prec.unwrap_or(6);
            let (d, dp) = decimal_digits(n, Some(p + 1));
            fmt_e_digits(&d, dp, p, v.mode == 'E')
        }
        'f' => format!("{:.*}", v.prec.unwrap_or(6), n.abs()),
        _ => fmt_g(n.abs(), v.prec, v.mode == 'G'),
    };
    pad_number(v, n.is_sign_negative() && n != 0.0, "", body, true)
}

// ---------------------------------------------------------------------------------------------
// Collections

fn m_length(args: Vec<Value>, _: &FuncContext) -> Result<Value, Fail> {
    let (v, sensitive) = peel(args.into_iter().next().unwrap_or_default());
    let n = match v {
        Value::Unknown => return Ok(Value::Unknown.mark_if(sensitive)),
        Value::Null => return Err(Fail::Param(0, "argument must not be null".into())),
        Value::String(s) => s.chars().count(),
        Value::List(l) => l.len(),
        Value::Map(m) => m.len(),
        _ => {
            return Err(Fail::Param(
                0,
                "argument must be a string, a collection type, or a structural type".into(),
            ));
        }
    };
    Ok(Value::Number(n as f64).mark_if(sensitive))
}

fn m_keys(args: Vec<Value>, _: &FuncContext) -> Result<Value, Fail> {
    let (v, sensitive) = peel(args.into_iter().next().unwrap_or_default());
    match v {
        Value::Unknown => Ok(Value::Unknown.mark_if(sensitive)),
        Value::Map(m) => Ok(strings(m.into_keys()).mark_if(sensitive)),
        Value::Null => Err(Fail::Param(0, "argument must not be null".into())),
        _ => Err(Fail::Param(0, "must have map or object type".into())),
    }
}

fn m_values(args: Vec<Value>, _: &FuncContext) -> Result<Value, Fail> {
    let (v, sensitive) = peel(args.into_iter().next().unwrap_or_default());
    match v {
        Value::Unknown => Ok(Value::Unknown.mark_if(sensitive)),
        Value::Map(m) => Ok(Value::List(m.into_values().collect()).mark_if(sensitive)),
        Value::Null => Err(Fail::Param(0, "argument must not be null".into())),
        _ => Err(Fail::Param(0, "must have map or object type".into())),
    }
}

fn m_lookup(args: Vec<Value>, _: &FuncContext) -> Result<Value, Fail> {
    let mut args = args.into_iter();
    let (map, map_sensitive) = peel(args.next().unwrap_or_default());
    let (key, key_sensitive) = peel(args.next().unwrap_or_default());
    let default = args.next();
    let sensitive = map_sensitive || key_sensitive;
    if map.is_unknown() || key.contains_unknown() {
        return Ok(Value::Unknown.mark_if(sensitive));
    }
    let key = match convert(key, &Type::String) {
        Ok(Value::String(k)) => k,
        Ok(_) => return Err(Fail::Param(1, "argument must not be null".into())),
        Err(e) => return Err(Fail::Param(1, e.message)),
    };
    let Value::Map(mut m) = map else {
        return Err(Fail::Param(0, "lookup() requires a map as the first argument".into()));
    };
    match (m.remove(&key), default) {
        (Some(v), _) => Ok(v.mark_if(sensitive)),
        (None, Some(d)) => Ok(d.mark_if(sensitive)),
        (None, None) => {
            let shown = if key_sensitive {
                "(sensitive value)".to_string()
            } else {
                format!("{key:?}")
            };
            Err(Fail::Call(Some(1), format!("lookup failed to find key {shown}")))
        }
    }
}

fn m_merge(args: Vec<Value>, _: &FuncContext) -> Result<Value, Fail> {
    let mut out = BTreeMap::new();
    let mut sensitive = false;
    let mut unknown = false;
    for (i, arg) in args.into_iter().enumerate() {
        let (v, s) = peel(arg);
        sensitive |= s;
        match v {
            Value::Null => {}
            Value::Unknown => unknown = true,
            Value::Map(m) => out.extend(m),
            other => {
                return Err(Fail::Param(
                    i,
                    format!("arguments must be maps or objects, got {}", other.type_name()),
                ));
            }
        }
    }
    if unknown {
        return Ok(Value::Unknown.mark_if(sensitive));
    }
    Ok(Value::Map(out).mark_if(sensitive))
}

fn m_concat(args: Vec<Value>, _: &FuncContext) -> Result<Value, Fail> {
    let mut out = Vec::new();
    let mut sensitive = false;
    let mut unknown = false;
    for (i, arg) in args.into_iter().enumerate() {
        let (v, s) = peel(arg);
        sensitive |= s;
        match v {
            Value::Unknown => unknown = true,
            Value::List(items) => out.extend(items),
            Value::Null => return Err(Fail::Param(i, "argument must not be null".into())),
            other => {
                return Err(Fail::Param(
                    i,
                    format!("all arguments must be lists or tuples; got {}", other.type_name()),
                ));
            }
        }
    }
    if unknown {
        return Ok(Value::Unknown.mark_if(sensitive));
    }
    Ok(Value::List(out).mark_if(sensitive))
}

fn m_coalesce(args: Vec<Value>, _: &FuncContext) -> Result<Value, Fail> {
    let sensitive = args.iter().any(Value::contains_sensitive);
    let plain: Vec<Value> = args.into_iter().map(|a| a.unmark().0).collect();
    let types: Vec<Type> = plain
        .iter()
        .filter(|v| !v.is_null() && !v.contains_unknown())
        .map(infer_type)
        .collect();
    let Some(common) = unify_types(&types) else {
        return Err(call_err("all arguments must have the same type"));
    };
    for v in plain {
        match &v {
            Value::Unknown => return Ok(Value::Unknown.mark_if(sensitive)),
            Value::Null => continue,
            Value::String(s) if s.is_empty() => continue,
            _ => {}
        }
        let v = convert(v, &common).map_err(|e| call_err(e.message))?;
        return Ok(v.mark_if(sensitive));
    }
    Err(call_err("no non-null, non-empty-string arguments"))
}

fn f_coalescelist(a: &[Value], _: &Cx) -> Result<Value, Fail> {
    for (i, v) in a.iter().enumerate() {
        match v {
            Value::Null => {}
            Value::List(items) if items.is_empty() => {}
            Value::List(_) => return Ok(v.clone()),
            other => {
                return Err(Fail::Param(
                    i,
                    format!(
                        "coalescelist arguments must be lists or tuples, got {}",
                        other.type_name()
                    ),
                ));
            }
        }
    }
    Err(call_err("no non-null arguments"))
}

fn f_contains(a: &[Value], _: &Cx) -> Result<Value, Fail> {
    let list = list_arg(a, 0)?;
    Ok(Value::Bool(list.contains(&a[1])))
}

fn f_index(a: &[Value], _: &Cx) -> Result<Value, Fail> {
    let list = list_arg(a, 0)?;
    match list.iter().position(|v| *v == a[1]) {
        Some(i) => Ok(Value::Number(i as f64)),
        None => Err(call_err("item not found")),
    }
}

fn f_element(a: &[Value], _: &Cx) -> Result<Value, Fail> {
    let list = list_arg(a, 0)?;
    let index = int_arg(a, 1)?;
    if index < 0 {
        return Err(Fail::Param(
            1,
            "cannot use element function with a negative index".into(),
        ));
    }
    if list.is_empty() {
        return Err(Fail::Param(0, "cannot use element function with an empty list".into()));
    }
    Ok(list[index as usize % list.len()].clone())
}

fn f_flatten(a: &[Value], _: &Cx) -> Result<Value, Fail> {
    fn walk(items: Vec<Value>, out: &mut Vec<Value>) {
        for v in items {
            match v {
                Value::List(inner) => walk(inner, out),
                v => out.push(v),
            }
        }
    }
    let list = list_arg(a, 0).map_err(|_| Fail::Param(0, "can only flatten lists, sets and tuples".into()))?;
    let mut out = Vec::new();
    walk(list, &mut out);
    Ok(Value::List(out))
}

fn f_distinct(a: &[Value], _: &Cx) -> Result<Value, Fail> {
    let mut out: Vec<Value> = Vec::new();
    for v in list_arg(a, 0)? {
        if !out.contains(&v) {
            out.push(v);
        }
    }
    Ok(Value::List(out))
}

fn f_reverse(a: &[Value], _: &Cx) -> Result<Value, Fail> {
    let mut list = list_arg(a, 0)?;
    list.reverse();
    Ok(Value::List(list))
}

fn f_sort(a: &[Value], _: &Cx) -> Result<Value, Fail> {
    let mut out = Vec::new();
    for (i, s) in str_list_arg(a, 0)?.into_iter().enumerate() {
        match s {
            Some(s) => out.push(s),
            None => {
                return Err(call_err(format!(
                    "given list element {i} is null; a null string cannot be sorted"
                )));
            }
        }
    }
    out.sort();
    Ok(strings(out))
}

fn f_compact(a: &[Value], _: &Cx) -> Result<Value, Fail> {
    Ok(strings(
        str_list_arg(a, 0)?.into_iter().flatten().filter(|s| !s.is_empty()),
    ))
}

fn f_one(a: &[Value], _: &Cx) -> Result<Value, Fail> {
    let list = list_arg(a, 0)?;
    match list.len() {
        0 => Ok(Value::Null),
        1 => Ok(list.into_iter().next().unwrap_or_default()),
        _ => Err(Fail::Param(
            0,
            "must be a list, set, or tuple value with either zero or one elements".into(),
        )),
    }
}

fn f_slice(a: &[Value], _: &Cx) -> Result<Value, Fail> {
    let list = list_arg(a, 0)?;
    let start = int_arg(a, 1)?;
    let end = int_arg(a, 2)?;
    if start < 0 {
        return Err(Fail::Param(1, "start index must not be less than zero".into()));
    }
    if end > list.len() as i64 {
        return Err(Fail::Param(
            2,
            "end index must not be greater than the length of the list".into(),
        ));
    }
    if start > end {
        return Err(Fail::Param(1, "start index must not be greater than end index".into()));
    }
    Ok(Value::List(list[start as usize..end as usize].to_vec()))
}

fn f_zipmap(a: &[Value], _: &Cx) -> Result<Value, Fail> {
    let keys = str_list_arg(a, 0)?;
    let values = list_arg(a, 1)?;
    if keys.len() != values.len() {
        return Err(call_err(format!(
            "number of keys ({}) does not match number of values ({})",
            keys.len(),
            values.len()
        )));
    }
    let mut out = BTreeMap::new();
    for (i, (k, v)) in keys.into_iter().zip(values).enumerate() {
        let k = k.ok_or_else(|| Fail::Param(0, format!("element {i} is null; keys must not be null")))?;
        out.insert(k, v);
    }
    Ok(Value::Map(out))
}

fn f_range(a: &[Value], _: &Cx) -> Result<Value, Fail> {
    let nums = (0..a.len())
        .map(|i| num_arg(a, i))
        .collect::<Result<Vec<f64>, Fail>>()?;
    let (start, end, step) = match nums.as_slice() {
        [end] => (0.0, *end, if *end < 0.0 { -1.0 } else { 1.0 }),
        [start, end] => (*start, *end, if end < start { -1.0 } else { 1.0 }),
        [start, end, step] => (*start, *end, *step),
        _ => return Err(call_err("must have one, two, or three arguments")),
    };
    if step == 0.0 {
        return Err(Fail::Param(2, "step must not be zero".into()));
    }
    let down = step < 0.0;
    if down && end > start {
        return Err(Fail::Param(
            1,
            "end must be less than start when step is negative".into(),
        ));
    }
    if !down && end < start {
        return Err(Fail::Param(
            1,
            "end must be greater than start when step is positive".into(),
        ));
    }
    let mut out = Vec::new();
    let mut n = start;
    while (down && n > end) || (!down && n < end) {
        if out.len() >= 1024 {
            return Err(call_err(
                "more than 1024 values were generated; either decrease the difference between start and end \
                 or use a smaller step",
            ));
        }
        out.push(Value::Number(n));
        n += step;
    }
    Ok(Value::List(out))
}

fn f_chunklist(a: &[Value], _: &Cx) -> Result<Value, Fail> {
    let list = list_arg(a, 0)?;
    let size = int_arg(a, 1)?;
    if size < 0 {
        return Err(Fail::Param(1, "the size argument must be positive".into()));
    }
    if size == 0 {
        return Ok(Value::List(vec![Value::List(list)]));
    }
    Ok(Value::List(
        list.chunks(size as usize).map(|c| Value::List(c.to_vec())).collect(),
    ))
}

fn bool_list(a: &[Value]) -> Result<Vec<bool>, Fail> {
    list_arg(a, 0)?
        .into_iter()
        .enumerate()
        .map(|(j, v)| match convert(v, &Type::Bool) {
            Ok(Value::Bool(b)) => Ok(b),
            Ok(_) => Ok(false),
            Err(e) => Err(Fail::Param(0, format!("element {j}: {}", e.message))),
        })
        .collect()
}

fn f_alltrue(a: &[Value], _: &Cx) -> Result<Value, Fail> {
    Ok(Value::Bool(bool_list(a)?.into_iter().all(|b| b)))
}

fn f_anytrue(a: &[Value], _: &Cx) -> Result<Value, Fail> {
    Ok(Value::Bool(bool_list(a)?.into_iter().any(|b| b)))
}

fn set_arg(a: &[Value], i: usize) -> Result<Vec<Value>, Fail> {
    Ok(set_normalize(list_arg(a, i)?))
}

fn set_has(set: &[Value], v: &Value) -> bool {
    set.iter().any(|x| compare_values(x, v) == std::cmp::Ordering::Equal)
}

fn f_setunion(a: &[Value], _: &Cx) -> Result<Value, Fail> {
    let mut all = Vec::new();
    for i in 0..a.len() {
        all.extend(list_arg(a, i)?);
    }
    Ok(Value::List(set_normalize(all)))
}

fn f_setintersection(a: &[Value], _: &Cx) -> Result<Value, Fail> {
    let mut acc = set_arg(a, 0)?;
    for i in 1..a.len() {
        let other = set_arg(a, i)?;
        acc.retain(|v| set_has(&other, v));
    }
    Ok(Value::List(acc))
}

fn f_setsubtract(a: &[Value], _: &Cx) -> Result<Value, Fail> {
    let mut acc = set_arg(a, 0)?;
    let other = set_arg(a, 1)?;
    acc.retain(|v| !set_has(&other, v));
    Ok(Value::List(acc))
}

// ---------------------------------------------------------------------------------------------
// Numbers

fn f_abs(a: &[Value], _: &Cx) -> Result<Value, Fail> {
    Ok(Value::Number(num_arg(a, 0)?.abs()))
}

fn f_ceil(a: &[Value], _: &Cx) -> Result<Value, Fail> {
    Ok(Value::Number(num_arg(a, 0)?.ceil()))
}

fn f_floor(a: &[Value], _: &Cx) -> Result<Value, Fail> {
    Ok(Value::Number(num_arg(a, 0)?.floor()))
}

fn f_signum(a: &[Value], _: &Cx) -> Result<Value, Fail> {
    let n = num_arg(a, 0)?;
    Ok(Value::Number(if n == 0.0 { 0.0 } else { n.signum() }))
}

fn f_pow(a: &[Value], _: &Cx) -> Result<Value, Fail> {
    Ok(Value::Number(num_arg(a, 0)?.powf(num_arg(a, 1)?)))
}

fn f_log(a: &[Value], _: &Cx) -> Result<Value, Fail> {
    let n = num_arg(a, 0)?;
    let base = num_arg(a, 1)?;
    let r = n.ln() / base.ln();
    if !r.is_finite() {
        return Err(call_err("the result is not a finite number"));
    }
    Ok(Value::Number(r))
}

fn f_max(a: &[Value], _: &Cx) -> Result<Value, Fail> {
    let nums = (0..a.len())
        .map(|i| num_arg(a, i))
        .collect::<Result<Vec<f64>, Fail>>()?;
    Ok(Value::Number(nums.into_iter().fold(f64::NEG_INFINITY, f64::max)))
}

fn f_min(a: &[Value], _: &Cx) -> Result<Value, Fail> {
    let nums = (0..a.len())
        .map(|i| num_arg(a, i))
        .collect::<Result<Vec<f64>, Fail>>()?;
    Ok(Value::Number(nums.into_iter().fold(f64::INFINITY, f64::min)))
}

fn f_sum(a: &[Value], _: &Cx) -> Result<Value, Fail> {
    let nums = num_list_arg(a, 0)?;
    if nums.is_empty() {
        return Err(call_err("cannot find the sum of an empty list"));
    }
    Ok(Value::Number(nums.into_iter().sum()))
}

fn f_parseint(a: &[Value], cx: &Cx) -> Result<Value, Fail> {
    let s = str_arg(a, 0)?;
    let base = int_arg(a, 1)?;
    if !(2..=62).contains(&base) {
        return Err(Fail::Param(
            1,
            "base must be a whole number between 2 and 62 inclusive".into(),
        ));
    }
    let (neg, digits) = match s.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, s.strip_prefix('+').unwrap_or(&s)),
    };
    let mut n: f64 = 0.0;
    let bad = || Fail::Param(0, format!("cannot parse {} as a base {base} integer", cx.show(0, &s)));
    if digits.is_empty() {
        return Err(bad());
    }
    for c in digits.chars() {
        let d = match c {
            '0'..='9' => c as i64 - '0' as i64,
            'a'..='z' if base <= 36 => c as i64 - 'a' as i64 + 10,
            'A'..='Z' if base <= 36 => c as i64 - 'A' as i64 + 10,
            'a'..='z' => c as i64 - 'a' as i64 + 10,
            'A'..='Z' => c as i64 - 'A' as i64 + 36,
            _ => return Err(bad()),
        };
        if d >= base {
            return Err(bad());
        }
        n = n * base as f64 + d as f64;
    }
    Ok(Value::Number(if neg { -n } else { n }))
}

// ---------------------------------------------------------------------------------------------
// Types and marks

fn m_sensitive(args: Vec<Value>, _: &FuncContext) -> Result<Value, Fail> {
    Ok(args.into_iter().next().unwrap_or_default().mark())
}

fn m_nonsensitive(args: Vec<Value>, _: &FuncContext) -> Result<Value, Fail> {
    Ok(args.into_iter().next().unwrap_or_default().unmark().0)
}

fn convert_arg(args: Vec<Value>, ty: &Type) -> Result<Value, Fail> {
    let v = args.into_iter().next().unwrap_or_default();
    convert(v, ty).map_err(|e| Fail::Param(0, convert_message(e)))
}

fn m_tostring(args: Vec<Value>, _: &FuncContext) -> Result<Value, Fail> {
    convert_arg(args, &Type::String)
}

fn m_tonumber(args: Vec<Value>, _: &FuncContext) -> Result<Value, Fail> {
    convert_arg(args, &Type::Number)
}

fn m_tobool(args: Vec<Value>, _: &FuncContext) -> Result<Value, Fail> {
    convert_arg(args, &Type::Bool)
}

fn m_tolist(args: Vec<Value>, _: &FuncContext) -> Result<Value, Fail> {
    convert_arg(args, &Type::List(Box::new(Type::Any)))
}

fn m_toset(args: Vec<Value>, _: &FuncContext) -> Result<Value, Fail> {
    convert_arg(args, &Type::Set(Box::new(Type::Any)))
}

fn m_tomap(args: Vec<Value>, _: &FuncContext) -> Result<Value, Fail> {
    convert_arg(args, &Type::Map(Box::new(Type::Any)))
}

// ---------------------------------------------------------------------------------------------
// Encoding and hashing

/// A JSON string as Go's encoder writes it (Terraform's `jsonencode`): `<`, `>`, `&`, U+2028 and
/// U+2029 escaped.
fn json_quote(s: &str) -> String {
    serde_json::to_string(s)
        .unwrap_or_default()
        .replace('<', "\\u003c")
        .replace('>', "\\u003e")
        .replace('&', "\\u0026")
        .replace('\u{2028}', "\\u2028")
        .replace('\u{2029}', "\\u2029")
}

/// Compact JSON with keys in order and numbers without exponent, as Terraform writes it.
fn json_text(v: &Value) -> String {
    let mut out = String::new();
    write_json(v, &mut out);
    out
}

fn write_json(v: &Value, out: &mut String) {
    match v {
        Value::Null | Value::Unknown => out.push_str("null"),
        Value::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        Value::Number(n) if n.is_finite() => out.push_str(&format_number(*n)),
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

fn f_jsonencode(a: &[Value], _: &Cx) -> Result<Value, Fail> {
    Ok(Value::String(json_text(&a[0])))
}

fn f_jsondecode(a: &[Value], _: &Cx) -> Result<Value, Fail> {
    let s = str_arg(a, 0)?;
    match serde_json::from_str::<serde_json::Value>(&s) {
        Ok(j) => Ok(Value::from_json(&j)),
        Err(e) => Err(call_err(format!("invalid JSON: {e}"))),
    }
}

fn f_yamlencode(a: &[Value], _: &Cx) -> Result<Value, Fail> {
    Ok(Value::String(yaml::encode(&a[0])))
}

fn f_yamldecode(a: &[Value], _: &Cx) -> Result<Value, Fail> {
    let s = str_arg(a, 0)?;
    if s.trim().is_empty() {
        return Ok(Value::Null);
    }
    let doc: serde_norway::Value = serde_norway::from_str(&s).map_err(|e| call_err(format!("invalid YAML: {e}")))?;
    Ok(yaml::to_value(doc))
}

fn f_base64encode(a: &[Value], _: &Cx) -> Result<Value, Fail> {
    Ok(Value::String(
        base64::engine::general_purpose::STANDARD.encode(str_arg(a, 0)?),
    ))
}

fn f_base64decode(a: &[Value], cx: &Cx) -> Result<Value, Fail> {
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

fn f_sha256(a: &[Value], _: &Cx) -> Result<Value, Fail> {
    Ok(Value::String(hex::encode(sha2::Sha256::digest(str_arg(a, 0)?))))
}

fn f_sha512(a: &[Value], _: &Cx) -> Result<Value, Fail> {
    Ok(Value::String(hex::encode(sha2::Sha512::digest(str_arg(a, 0)?))))
}

fn f_base64sha256(a: &[Value], _: &Cx) -> Result<Value, Fail> {
    let digest = sha2::Sha256::digest(str_arg(a, 0)?);
    Ok(Value::String(base64::engine::general_purpose::STANDARD.encode(digest)))
}

fn f_base64sha512(a: &[Value], _: &Cx) -> Result<Value, Fail> {
    let digest = sha2::Sha512::digest(str_arg(a, 0)?);
    Ok(Value::String(base64::engine::general_purpose::STANDARD.encode(digest)))
}

// ---------------------------------------------------------------------------------------------
// Filesystem

/// `~` expanded to the home directory, as Terraform's `pathexpand` does.
fn expand_home(p: &str) -> String {
    let home = || std::env::var("HOME").ok().filter(|h| !h.is_empty());
    if p == "~" {
        return home().unwrap_or_else(|| p.to_string());
    }
    match (p.strip_prefix("~/"), home()) {
        (Some(rest), Some(h)) => format!("{}/{rest}", h.trim_end_matches('/')),
        _ => p.to_string(),
    }
}

fn resolve(cx: &Cx, p: &str) -> PathBuf {
    let p = PathBuf::from(expand_home(p));
    if p.is_absolute() { p } else { cx.ctx.base_dir.join(p) }
}

fn read_file(a: &[Value], cx: &Cx) -> Result<Vec<u8>, Fail> {
    let p = str_arg(a, 0)?;
    let full = resolve(cx, &p);
    std::fs::read(&full).map_err(|e| {
        let shown = cx.show(0, &p);
        match e.kind() {
            std::io::ErrorKind::NotFound => Fail::Param(
                0,
                format!(
                    "no file exists at {shown}; this function works only with files that are distributed as \
                     part of the configuration source code, so if this file will be created by a resource in \
                     this configuration you must instead obtain this result from an attribute of that resource"
                ),
            ),
            _ if full.is_dir() => Fail::Param(0, format!("{shown} is a directory, not a file")),
            _ => Fail::Param(0, format!("failed to read {shown}: {e}")),
        }
    })
}

fn f_file(a: &[Value], cx: &Cx) -> Result<Value, Fail> {
    let bytes = read_file(a, cx)?;
    String::from_utf8(bytes).map(Value::String).map_err(|_| {
        let p = str_arg(a, 0).unwrap_or_default();
        Fail::Param(
            0,
            format!(
                "contents of {} are not valid UTF-8; use the filebase64 function to obtain the Base64 encoded \
                 contents or the other file functions (e.g. filesha256) to obtain file hashing results instead",
                cx.show(0, &p)
            ),
        )
    })
}

fn f_filebase64(a: &[Value], cx: &Cx) -> Result<Value, Fail> {
    Ok(Value::String(
        base64::engine::general_purpose::STANDARD.encode(read_file(a, cx)?),
    ))
}

fn f_filesha256(a: &[Value], cx: &Cx) -> Result<Value, Fail> {
    Ok(Value::String(hex::encode(sha2::Sha256::digest(read_file(a, cx)?))))
}

fn f_fileexists(a: &[Value], cx: &Cx) -> Result<Value, Fail> {
    let p = str_arg(a, 0)?;
    match std::fs::metadata(resolve(cx, &p)) {
        Ok(m) if m.is_file() => Ok(Value::Bool(true)),
        Ok(m) if m.is_dir() => Err(Fail::Param(0, format!("{} is a directory, not a file", cx.show(0, &p)))),
        Ok(_) => Err(Fail::Param(0, format!("{} is not a regular file", cx.show(0, &p)))),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(Value::Bool(false)),
        Err(e) => Err(Fail::Param(0, format!("failed to stat {}: {e}", cx.show(0, &p)))),
    }
}

/// Go's `path.Clean` for slash-separated paths.
fn clean_path(p: &str) -> String {
    if p.is_empty() {
        return ".".into();
    }
    let rooted = p.starts_with('/');
    let mut parts: Vec<&str> = Vec::new();
    for seg in p.split('/') {
        match seg {
            "" | "." => {}
            ".." => match parts.last() {
                Some(&last) if last != ".." => {
                    parts.pop();
                }
                _ if rooted => {}
                _ => parts.push(".."),
            },
            seg => parts.push(seg),
        }
    }
    let joined = parts.join("/");
    match (rooted, joined.is_empty()) {
        (true, _) => format!("/{joined}"),
        (false, true) => ".".into(),
        (false, false) => joined,
    }
}

fn f_abspath(a: &[Value], cx: &Cx) -> Result<Value, Fail> {
    let p = str_arg(a, 0)?;
    let mut full = resolve(cx, &p);
    if full.is_relative() {
        let cwd = std::env::current_dir().map_err(|e| call_err(format!("cannot find the current directory: {e}")))?;
        full = cwd.join(full);
    }
    Ok(Value::String(clean_path(&full.to_string_lossy())))
}

fn f_basename(a: &[Value], _: &Cx) -> Result<Value, Fail> {
    let p = str_arg(a, 0)?;
    if p.is_empty() {
        return Ok(Value::string("."));
    }
    let trimmed = p.trim_end_matches('/');
    if trimmed.is_empty() {
        return Ok(Value::string("/"));
    }
    Ok(Value::string(trimmed.rsplit('/').next().unwrap_or(trimmed)))
}

fn f_dirname(a: &[Value], _: &Cx) -> Result<Value, Fail> {
    let p = str_arg(a, 0)?;
    let dir = match p.rfind('/') {
        Some(i) => &p[..=i],
        None => "",
    };
    Ok(Value::String(clean_path(dir)))
}

fn f_pathexpand(a: &[Value], _: &Cx) -> Result<Value, Fail> {
    Ok(Value::String(expand_home(&str_arg(a, 0)?)))
}

// ---------------------------------------------------------------------------------------------
// Network (IPv4 and IPv6 prefixes as integers)

struct Cidr {
    /// The network address (host bits cleared).
    network: u128,
    prefix: u32,
    /// 32 or 128.
    bits: u32,
}

impl Cidr {
    fn format_addr(&self, addr: u128) -> String {
        if self.bits == 32 {
            std::net::Ipv4Addr::from(addr as u32).to_string()
        } else {
            std::net::Ipv6Addr::from(addr).to_string()
        }
    }
    fn host_bits(&self) -> u32 {
        self.bits - self.prefix
    }
}

fn mask(bits: u32, prefix: u32) -> u128 {
    let all = if bits == 128 { u128::MAX } else { (1u128 << bits) - 1 };
    let host = bits - prefix;
    if host >= 128 {
        0
    } else {
        all & !((1u128 << host) - 1) & all
    }
}

fn cidr_arg(a: &[Value], i: usize, cx: &Cx) -> Result<Cidr, Fail> {
    let s = str_arg(a, i)?;
    let bad = || {
        Fail::Param(
            i,
            format!("invalid CIDR expression: invalid CIDR address: {}", cx.show(i, &s)),
        )
    };
    let (addr, prefix) = s.split_once('/').ok_or_else(bad)?;
    if prefix.is_empty() || !prefix.bytes().all(|b| b.is_ascii_digit()) {
        return Err(bad());
    }
    let prefix: u32 = prefix.parse().map_err(|_| bad())?;
    let (value, bits) = match addr.parse::<std::net::IpAddr>().map_err(|_| bad())? {
        std::net::IpAddr::V4(v4) => (u128::from(u32::from(v4)), 32),
        std::net::IpAddr::V6(v6) => (u128::from(v6), 128),
    };
    if prefix > bits {
        return Err(bad());
    }
    Ok(Cidr {
        network: value & mask(bits, prefix),
        prefix,
        bits,
    })
}

fn pow2(n: u32) -> Option<u128> {
    1u128.checked_shl(n)
}

fn f_cidrsubnet(a: &[Value], cx: &Cx) -> Result<Value, Fail> {
    let c = cidr_arg(a, 0, cx)?;
    let newbits = int_arg(a, 1)?;
    let netnum = int_arg(a, 2)?;
    if newbits < 0 {
        return Err(Fail::Param(1, "must not be negative".into()));
    }
    let newlen = c.prefix as i64 + newbits;
    if newlen > c.bits as i64 {
        return Err(call_err(format!(
            "insufficient address space to extend prefix of {} by {newbits}",
            c.prefix
        )));
    }
    let fits = netnum >= 0 && pow2(newbits as u32).is_none_or(|max| (netnum as u128) < max);
    if !fits {
        return Err(call_err(format!(
            "prefix extension of {newbits} does not accommodate a subnet numbered {netnum}"
        )));
    }
    let shift = c.bits - newlen as u32;
    let addr = c.network | (netnum as u128).checked_shl(shift).unwrap_or(0);
    Ok(Value::String(format!("{}/{newlen}", c.format_addr(addr))))
}

fn f_cidrhost(a: &[Value], cx: &Cx) -> Result<Value, Fail> {
    let c = cidr_arg(a, 0, cx)?;
    let hostnum = int_arg(a, 1)?;
    let size = pow2(c.host_bits());
    let offset = if hostnum >= 0 {
        let h = hostnum as u128;
        size.is_none_or(|s| h < s).then_some(h)
    } else {
        let back = hostnum.unsigned_abs() as u128;
        match size {
            Some(s) if back <= s => Some(s - back),
            Some(_) => None,
            None => Some(u128::MAX - back + 1),
        }
    };
    let Some(offset) = offset else {
        return Err(call_err(format!(
            "prefix of {} does not accommodate a host numbered {hostnum}",
            c.prefix
        )));
    };
    Ok(Value::String(c.format_addr(c.network | offset)))
}

fn f_cidrnetmask(a: &[Value], cx: &Cx) -> Result<Value, Fail> {
    let c = cidr_arg(a, 0, cx)?;
    if c.bits != 32 {
        return Err(Fail::Param(0, "IPv6 addresses cannot have a netmask".into()));
    }
    Ok(Value::String(c.format_addr(mask(32, c.prefix))))
}

fn f_cidrsubnets(a: &[Value], cx: &Cx) -> Result<Value, Fail> {
    let c = cidr_arg(a, 0, cx)?;
    let modulus = pow2(c.bits);
    let wrap = |x: u128| modulus.map_or(x, |m| x % m);
    let block = |len: u32| pow2(c.bits - len);
    // The subnet before the base network, as Terraform's allocator starts from there.
    let mut current_start = wrap(c.network.wrapping_sub(block(c.prefix).unwrap_or(0)));
    let mut current_len = c.prefix;
    let mut first = true;
    let mut out = Vec::new();
    for i in 1..a.len() {
        let newbits = int_arg(a, i)?;
        if newbits < 1 {
            return Err(Fail::Param(i, "must extend prefix by at least one bit".into()));
        }
        if newbits > 32 {
            return Err(Fail::Param(i, "may not extend prefix by more than 32 bits".into()));
        }
        let len = c.prefix + newbits as u32;
        if len > c.bits {
            return Err(Fail::Param(
                i,
                format!(
                    "would extend prefix to {len} bits, which is too long for an IPv{} address",
                    if c.bits == 32 { 4 } else { 6 }
                ),
            ));
        }
        // The last address of the current subnet, masked to the new length, then one block on.
        let current_last = wrap(current_start.wrapping_add(block(current_len).map_or(u128::MAX, |b| b - 1)));
        let base = current_last & mask(c.bits, len);
        let next = wrap(base.wrapping_add(block(len).unwrap_or(0)));
        let inside = (next & mask(c.bits, c.prefix)) == c.network;
        let rollover = next == 0 && !(first && c.network == 0);
        if rollover || !inside {
            return Err(Fail::Param(
                i,
                format!(
                    "not enough remaining address space for a subnet with a prefix of {len} bits after {}/{current_len}",
                    c.format_addr(current_start)
                ),
            ));
        }
        current_start = next;
        current_len = len;
        first = false;
        out.push(format!("{}/{len}", c.format_addr(next)));
    }
    Ok(strings(out))
}

// ---------------------------------------------------------------------------------------------
// Time and identity

fn f_timestamp(_: &[Value], _: &Cx) -> Result<Value, Fail> {
    // RFC 3339 in UTC, like `2024-05-01T12:30:00Z`, as Terraform's timestamp() returns it.
    Ok(Value::String(crate::time::now_rfc3339()))
}

fn f_uuid(_: &[Value], _: &Cx) -> Result<Value, Fail> {
    Ok(Value::String(uuid::Uuid::new_v4().to_string()))
}

// ---------------------------------------------------------------------------------------------
// YAML, written the way Terraform's yamlencode (go-cty-yaml over libyaml) writes it

mod yaml {
    use super::*;

    /// libyaml's line width for folding long double-quoted values.
    const WIDTH: usize = 80;

    pub(super) fn encode(v: &Value) -> String {
        let mut w = Writer::default();
        match v {
            Value::Map(m) if !m.is_empty() => w.mapping(m, 0),
            Value::List(l) if !l.is_empty() => w.sequence(l, 0),
            Value::String(_) | Value::Map(_) | Value::List(_) => w.scalar(v, 2),
            other => {
                // A plain scalar at the root leaves the document open: libyaml closes it with `...`.
                w.scalar(other, 2);
                w.newline();
                w.put("...");
            }
        }
        w.newline();
        w.out
    }

    #[derive(Default)]
    struct Writer {
        out: String,
        col: usize,
    }

    impl Writer {
        fn put(&mut self, s: &str) {
            for c in s.chars() {
                if c == '\n' {
                    self.col = 0;
                } else {
                    self.col += 1;
                }
            }
            self.out.push_str(s);
        }

        fn newline(&mut self) {
            if self.col > 0 {
                self.put("\n");
            }
        }

        /// Moves to the start of a fresh line indented by `indent`.
        fn start_line(&mut self, indent: usize) {
            if self.col != 0 {
                self.put("\n");
            }
            self.put(&" ".repeat(indent));
        }

        /// A block mapping whose keys sit at `indent`; the first key may continue the current line
        /// (after `- `).
        fn mapping(&mut self, m: &BTreeMap<String, Value>, indent: usize) {
            for (i, (k, v)) in m.iter().enumerate() {
                if i > 0 || self.col != indent {
                    self.start_line(indent);
                }
                self.double_quoted(k, indent, false);
                self.put(":");
                match v {
                    Value::Map(inner) if !inner.is_empty() => {
                        self.put("\n");
                        self.mapping(inner, indent + 2);
                    }
                    Value::List(items) if !items.is_empty() => {
                        // Sequences in a mapping are not indented (libyaml's "indentless" style).
                        self.put("\n");
                        self.sequence(items, indent);
                    }
                    v => {
                        self.put(" ");
                        self.scalar(v, indent + 2);
                    }
                }
            }
        }

        fn sequence(&mut self, l: &[Value], indent: usize) {
            for (i, v) in l.iter().enumerate() {
                if i > 0 || self.col != indent {
                    self.start_line(indent);
                }
                self.put("- ");
                match v {
                    Value::Map(inner) if !inner.is_empty() => self.mapping(inner, indent + 2),
                    Value::List(items) if !items.is_empty() => self.sequence(items, indent + 2),
                    v => self.scalar(v, indent + 2),
                }
            }
        }

        /// A scalar (or empty collection) whose continuation lines are indented by `indent`.
        fn scalar(&mut self, v: &Value, indent: usize) {
            match v {
                Value::Null | Value::Unknown => self.put("null"),
                Value::Bool(b) => self.put(if *b { "true" } else { "false" }),
                Value::Number(n) if n.is_nan() => self.put(".nan"),
                Value::Number(n) if n.is_infinite() => self.put(if *n > 0.0 { "+Inf" } else { "-Inf" }),
                Value::Number(n) => self.put(&format_number(*n)),
                Value::String(s) if s.contains('\n') && literal_allowed(s) => self.literal(s, indent),
                Value::String(s) => self.double_quoted(s, indent, true),
                Value::List(_) => self.put("[]"),
                Value::Map(_) => self.put("{}"),
                Value::Sensitive(inner) => self.scalar(inner, indent),
            }
        }

        fn literal(&mut self, s: &str, indent: usize) {
            let mut header = String::from("|");
            if s.starts_with([' ', '\n']) {
                header.push('2');
            }
            let trailing = s.len() - s.trim_end_matches('\n').len();
            header.push(match trailing {
                0 => '-',
                1 if s.len() > 1 => ' ',
                _ => '+',
            });
            self.put(header.trim_end());
            self.put("\n");
            let mut at_line_start = true;
            for c in s.chars() {
                if c == '\n' {
                    self.put("\n");
                    at_line_start = true;
                } else {
                    if at_line_start {
                        self.put(&" ".repeat(indent));
                        at_line_start = false;
                    }
                    let mut buf = [0u8; 4];
                    self.put(c.encode_utf8(&mut buf));
                }
            }
        }

        fn double_quoted(&mut self, s: &str, indent: usize, allow_breaks: bool) {
            self.put("\"");
            let chars: Vec<char> = s.chars().collect();
            let mut spaces = false;
            for (i, &c) in chars.iter().enumerate() {
                if !printable(c) || c == '\u{FEFF}' || is_break(c) || c == '"' || c == '\\' {
                    self.put(&escape(c));
                    spaces = false;
                } else if c == ' ' {
                    if allow_breaks && !spaces && self.col > WIDTH && i != 0 && i != chars.len() - 1 {
                        self.put("\n");
                        self.put(&" ".repeat(indent));
                        if chars.get(i + 1) == Some(&' ') {
                            self.put("\\");
                        }
                    } else {
                        self.put(" ");
                    }
                    spaces = true;
                } else {
                    let mut buf = [0u8; 4];
                    self.put(c.encode_utf8(&mut buf));
                    spaces = false;
                }
            }
            self.put("\"");
        }
    }

    fn printable(c: char) -> bool {
        let c = c as u32;
        c == 0x0A
            || (0x20..=0x7E).contains(&c)
            || (0xA0..=0xD7FF).contains(&c)
            || ((0xE000..=0xFFFD).contains(&c) && c != 0xFEFF)
    }

    fn is_break(c: char) -> bool {
        matches!(c, '\r' | '\n' | '\u{85}' | '\u{2028}' | '\u{2029}')
    }

    fn escape(c: char) -> String {
        match c {
            '\0' => "\\0".into(),
            '\u{7}' => "\\a".into(),
            '\u{8}' => "\\b".into(),
            '\t' => "\\t".into(),
            '\n' => "\\n".into(),
            '\u{B}' => "\\v".into(),
            '\u{C}' => "\\f".into(),
            '\r' => "\\r".into(),
            '\u{1B}' => "\\e".into(),
            '"' => "\\\"".into(),
            '\\' => "\\\\".into(),
            '\u{85}' => "\\N".into(),
            '\u{A0}' => "\\_".into(),
            '\u{2028}' => "\\L".into(),
            '\u{2029}' => "\\P".into(),
            c if (c as u32) <= 0xFF => format!("\\x{:02X}", c as u32),
            c if (c as u32) <= 0xFFFF => format!("\\u{:04X}", c as u32),
            c => format!("\\U{:08X}", c as u32),
        }
    }

    /// Whether libyaml would write a multi-line string in literal block style.
    fn literal_allowed(s: &str) -> bool {
        !s.ends_with(' ')
            && !s.contains(" \n")
            && s.chars()
                .all(|c| c == '\n' || (printable(c) && !is_break(c) && c != '\u{FEFF}'))
    }

    /// A decoded YAML document as a [`Value`]; mapping keys become strings.
    pub(super) fn to_value(v: serde_norway::Value) -> Value {
        use serde_norway::Value as Y;
        match v {
            Y::Null => Value::Null,
            Y::Bool(b) => Value::Bool(b),
            Y::Number(n) => Value::Number(n.as_f64().unwrap_or(f64::NAN)),
            Y::String(s) => Value::String(s),
            Y::Sequence(items) => Value::List(items.into_iter().map(to_value).collect()),
            Y::Mapping(m) => Value::Map(
                m.into_iter()
                    .map(|(k, v)| {
                        let key = match to_value(k) {
                            Value::String(s) => s,
                            Value::Null => "null".into(),
                            other => json_text(&other),
                        };
                        (key, to_value(v))
                    })
                    .collect(),
            ),
            Y::Tagged(t) => to_value(t.value),
        }
    }
}

// ---------------------------------------------------------------------------------------------

#[cfg(test)]
mod tests {
    use super::*;

    fn s(x: &str) -> Value {
        Value::string(x)
    }
    fn n(x: f64) -> Value {
        Value::Number(x)
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
        let src = include_str!("functions.rs");
        let tests = &src[src.find("mod tests").unwrap_or(0)..];
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
}
