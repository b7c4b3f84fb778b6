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
//!
//! This module owns the table ([`FUNCTIONS`]), the mark rule, arity checks and the argument
//! helpers; each family of functions is a submodule: `string`, `format`, `collection`, `number`,
//! `types` (conversions, marks and `type`), `encoding` (JSON, YAML over `yaml`, base64), `crypto`
//! (hashes), `file`, `cidr` and `time`.

use std::fmt;
use std::path::{Path, PathBuf};

use base64::Engine as _;
use plinth_sdk::convert::{ConvertError, compare_values, convert, infer_type, set_normalize, unify_types};
use plinth_sdk::{Map, Number, Type, Value};
use sha2::Digest as _;

mod cidr;
mod collection;
mod crypto;
mod encoding;
mod file;
mod format;
mod number;
mod string;
#[cfg(test)]
mod tests;
mod time;
mod types;
mod yaml;

pub(crate) use file::read_capped;

use cidr::*;
use collection::*;
use crypto::*;
use encoding::*;
use file::*;
use format::*;
use number::*;
use string::*;
use time::*;
use types::*;

/// The largest value one expression may build, in approximate bytes: string bytes plus
/// [`ELEMENT_BYTES`] for every element and map entry. 64 MiB is far above any real
/// configuration's value and keeps a hostile one (a string doubled in a chain of locals, a
/// `for` over a million-element product, `join` with a huge separator) from taking all memory:
/// building a larger value is an error at the expression that tried (see docs/reliability.md).
pub const MAX_VALUE_BYTES: usize = 64 << 20;

/// What [`value_size`] counts for each list element or map entry besides its contents.
pub const ELEMENT_BYTES: usize = 32;

/// The approximate size of `v` in bytes (see [`MAX_VALUE_BYTES`]); it stops counting once past
/// `budget`, so measuring a huge value costs no more than the budget.
pub fn value_size(v: &Value, budget: usize) -> usize {
    fn walk(v: &Value, total: &mut usize, budget: usize) {
        if *total > budget {
            return;
        }
        match v {
            Value::String(s) => *total += s.len(),
            Value::List(items) => {
                for item in items {
                    *total += ELEMENT_BYTES;
                    walk(item, total, budget);
                    if *total > budget {
                        return;
                    }
                }
            }
            Value::Map(m) => {
                for (k, item) in m {
                    *total += ELEMENT_BYTES + k.len();
                    walk(item, total, budget);
                    if *total > budget {
                        return;
                    }
                }
            }
            Value::Sensitive(inner) => walk(inner, total, budget),
            _ => {}
        }
    }
    let mut total = 0;
    walk(v, &mut total, budget);
    total
}

/// The message for a value that would pass [`MAX_VALUE_BYTES`]: `what` is the value ("the result",
/// "the arguments").
pub fn too_large_message(what: &str) -> String {
    format!(
        "{what} would be larger than {} MiB, the most one expression may build; this is almost certainly a mistake (a value doubled in a loop, a huge repetition)",
        MAX_VALUE_BYTES >> 20
    )
}

/// Refuses an output of `bytes` bytes before a function allocates it.
fn check_output(bytes: usize) -> Result<(), Fail> {
    if bytes > MAX_VALUE_BYTES {
        return Err(Fail::Call(None, format!("{}.", too_large_message("the result"))));
    }
    Ok(())
}

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
    fixed("type", &["value"], f_type),
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

fn num_arg(args: &[Value], i: usize) -> Result<Number, Fail> {
    conv(args, i, &Type::Number)?
        .as_number()
        .ok_or_else(|| Fail::Param(i, "number required".into()))
}

fn int_arg(args: &[Value], i: usize) -> Result<i64, Fail> {
    let n = num_arg(args, i)?;
    if !n.is_whole() {
        return Err(Fail::Param(i, "a whole number is required".into()));
    }
    n.as_i64().ok_or_else(|| Fail::Param(i, "number is too large".into()))
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

fn num_list_arg(args: &[Value], i: usize) -> Result<Vec<Number>, Fail> {
    list_arg(args, i)?
        .into_iter()
        .enumerate()
        .map(|(j, v)| match convert(v, &Type::Number).map(|v| v.as_number()) {
            Ok(Some(n)) => Ok(n),
            Ok(None) => Err(Fail::Param(i, format!("element {j} is null"))),
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
