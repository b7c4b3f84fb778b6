//! Values exchanged between the engine and providers.
//!
//! A [`Value`] is JSON-like data plus two marks that planning needs and plain JSON cannot hold:
//! [`Value::Unknown`] (a value only apply will know, shown as `(known after apply)`) and
//! [`Value::Sensitive`] (a secret, shown as `(sensitive)`, never written to state or plan files).
//! Lists, tuples and sets share [`Value::List`]; maps and objects share [`Value::Map`]. Where the
//! distinction matters, a [`Type`] from the schema or a type constraint says which one is meant.

use std::collections::BTreeMap;
use std::fmt;

mod map;
pub use map::{Entry, Map, OccupiedEntry, VacantEntry};

pub use crate::number::Number;

/// A value of the configuration language, a resource attribute, or an output.
#[derive(Clone, Debug, PartialEq, Default)]
pub enum Value {
    #[default]
    Null,
    Bool(bool),
    /// A number: an exact integer or a float (see [`Number`]).
    Number(Number),
    String(String),
    /// A list, tuple or set (sets are kept sorted and deduplicated by conversion).
    List(Vec<Value>),
    /// A map or object, ordered by key (a [`Map`]: a sorted vector when small).
    Map(Map),
    /// Not known until apply.
    Unknown,
    /// A secret: the inner value must never be shown, logged or persisted.
    Sensitive(Box<Value>),
}

impl From<Number> for Value {
    fn from(n: Number) -> Value {
        Value::Number(n)
    }
}

/// A type: of a schema attribute, or of a variable's `type` constraint.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Type {
    String,
    Number,
    Bool,
    List(Box<Type>),
    Set(Box<Type>),
    Map(Box<Type>),
    /// An object with named attribute types; attributes in `optional` may be absent (null).
    Object {
        attrs: BTreeMap<String, Type>,
        optional: Vec<String>,
    },
    Tuple(Vec<Type>),
    /// Any type at all (`any`).
    Any,
}

/// One step of an attribute path.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum PathStep {
    Attr(String),
    Index(usize),
    Key(String),
}

/// A path to a nested attribute, such as `columns[0].name`.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct AttrPath(pub Vec<PathStep>);

impl AttrPath {
    pub fn attr(name: &str) -> Self {
        AttrPath(vec![PathStep::Attr(name.to_string())])
    }
    pub fn child(&self, step: PathStep) -> Self {
        let mut steps = self.0.clone();
        steps.push(step);
        AttrPath(steps)
    }
    /// Parses the text [`Display`](fmt::Display) writes: `a.b[0]["k"]`.
    pub fn parse(text: &str) -> Option<AttrPath> {
        let mut steps = Vec::new();
        let mut rest = text;
        while !rest.is_empty() {
            if let Some(r) = rest.strip_prefix('[') {
                if r.starts_with('"') {
                    let mut end = 1;
                    let bytes = r.as_bytes();
                    while end < bytes.len() && !(bytes[end] == b'"' && bytes[end - 1] != b'\\') {
                        end += 1;
                    }
                    let key: String = serde_json::from_str(&r[..=end.min(r.len() - 1)]).ok()?;
                    steps.push(PathStep::Key(key));
                    rest = r.get(end + 1..)?.strip_prefix(']')?;
                } else {
                    let close = r.find(']')?;
                    steps.push(PathStep::Index(r[..close].parse().ok()?));
                    rest = &r[close + 1..];
                }
            } else {
                let r = rest.strip_prefix('.').unwrap_or(rest);
                let end = r.find(['.', '[']).unwrap_or(r.len());
                if end == 0 {
                    return None;
                }
                steps.push(PathStep::Attr(r[..end].to_string()));
                rest = &r[end..];
            }
        }
        Some(AttrPath(steps))
    }

    /// Whether `self` is `other` or lies below it.
    pub fn starts_with(&self, other: &AttrPath) -> bool {
        self.0.len() >= other.0.len() && self.0[..other.0.len()] == other.0[..]
    }
}

impl fmt::Display for AttrPath {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, step) in self.0.iter().enumerate() {
            match step {
                PathStep::Attr(a) if i == 0 => write!(f, "{a}")?,
                PathStep::Attr(a) => write!(f, ".{a}")?,
                PathStep::Index(n) => write!(f, "[{n}]")?,
                PathStep::Key(k) => write!(f, "[{k:?}]")?,
            }
        }
        Ok(())
    }
}

impl Value {
    pub fn string(s: impl Into<String>) -> Value {
        Value::String(s.into())
    }

    /// A number. Code outside the SDK builds numbers with this (and [`Value::int`]) and reads them
    /// with [`Value::as_f64`] / [`Value::as_i64`], never through the variant, so that the number's
    /// representation can change in one place. A whole `n` is kept as an exact integer.
    pub fn number(n: f64) -> Value {
        Value::Number(Number::from_f64(n))
    }

    /// An integral number, kept exactly.
    pub fn int(n: i64) -> Value {
        Value::Number(Number::from(n))
    }

    /// The number as an integer, when it is a whole number that fits.
    pub fn as_i64(&self) -> Option<i64> {
        self.as_number().and_then(Number::as_i64)
    }

    /// The number as an unsigned integer, when it is a whole number that fits.
    pub fn as_u64(&self) -> Option<u64> {
        self.as_number().and_then(Number::as_u64)
    }

    /// The number itself (exact integers stay exact), when this is a number.
    pub fn as_number(&self) -> Option<Number> {
        match self.strip_sensitive() {
            Value::Number(n) => Some(*n),
            _ => None,
        }
    }

    pub fn object<I, K>(items: I) -> Value
    where
        I: IntoIterator<Item = (K, Value)>,
        K: Into<String>,
    {
        Value::Map(items.into_iter().map(|(k, v)| (k.into(), v)).collect())
    }

    pub fn is_null(&self) -> bool {
        matches!(self.strip_sensitive(), Value::Null)
    }

    /// True when this value is wholly unknown (not when it merely contains an unknown).
    pub fn is_unknown(&self) -> bool {
        matches!(self.strip_sensitive(), Value::Unknown)
    }

    /// True when this value or anything inside it is unknown.
    pub fn contains_unknown(&self) -> bool {
        match self {
            Value::Unknown => true,
            Value::Sensitive(v) => v.contains_unknown(),
            Value::List(items) => items.iter().any(Value::contains_unknown),
            Value::Map(m) => m.values().any(Value::contains_unknown),
            _ => false,
        }
    }

    /// True when this value or anything inside it is marked sensitive.
    pub fn contains_sensitive(&self) -> bool {
        match self {
            Value::Sensitive(_) => true,
            Value::List(items) => items.iter().any(Value::contains_sensitive),
            Value::Map(m) => m.values().any(Value::contains_sensitive),
            _ => false,
        }
    }

    pub fn is_sensitive(&self) -> bool {
        matches!(self, Value::Sensitive(_))
    }

    /// The value without a top-level sensitive mark (nested marks stay).
    pub fn strip_sensitive(&self) -> &Value {
        match self {
            Value::Sensitive(v) => v.strip_sensitive(),
            v => v,
        }
    }

    /// Removes every sensitive mark, deep. Returns the plain value and whether any mark was found.
    pub fn unmark(self) -> (Value, bool) {
        match self {
            Value::Sensitive(v) => (v.unmark().0, true),
            Value::List(items) => {
                let mut any = false;
                let items = items
                    .into_iter()
                    .map(|v| {
                        let (v, s) = v.unmark();
                        any |= s;
                        v
                    })
                    .collect();
                (Value::List(items), any)
            }
            Value::Map(m) => {
                let mut any = false;
                let m = m
                    .into_iter()
                    .map(|(k, v)| {
                        let (v, s) = v.unmark();
                        any |= s;
                        (k, v)
                    })
                    .collect();
                (Value::Map(m), any)
            }
            v => (v, false),
        }
    }

    /// Marks the value sensitive (once; marking twice is a no-op).
    pub fn mark(self) -> Value {
        match self {
            Value::Sensitive(_) => self,
            v => Value::Sensitive(Box::new(v)),
        }
    }

    /// Marks the value sensitive when `sensitive` is true.
    pub fn mark_if(self, sensitive: bool) -> Value {
        if sensitive { self.mark() } else { self }
    }

    pub fn as_str(&self) -> Option<&str> {
        match self.strip_sensitive() {
            Value::String(s) => Some(s),
            _ => None,
        }
    }

    /// The number as an `f64` (rounded when it is an integer beyond 2^53).
    pub fn as_f64(&self) -> Option<f64> {
        self.as_number().map(Number::as_f64)
    }

    pub fn as_bool(&self) -> Option<bool> {
        match self.strip_sensitive() {
            Value::Bool(b) => Some(*b),
            _ => None,
        }
    }

    pub fn as_list(&self) -> Option<&Vec<Value>> {
        match self.strip_sensitive() {
            Value::List(l) => Some(l),
            _ => None,
        }
    }

    pub fn as_map(&self) -> Option<&Map> {
        match self.strip_sensitive() {
            Value::Map(m) => Some(m),
            _ => None,
        }
    }

    /// The attribute `name` of an object; `Null` when absent or when this is not an object.
    pub fn get(&self, name: &str) -> &Value {
        static NULL: Value = Value::Null;
        match self.strip_sensitive() {
            Value::Map(m) => m.get(name).unwrap_or(&NULL),
            _ => &NULL,
        }
    }

    /// The value at `path`, or `None` when the path leads nowhere.
    pub fn at(&self, path: &AttrPath) -> Option<&Value> {
        let mut cur = self;
        for step in &path.0 {
            cur = match (cur.strip_sensitive(), step) {
                (Value::Map(m), PathStep::Attr(a) | PathStep::Key(a)) => m.get(a)?,
                (Value::List(l), PathStep::Index(i)) => l.get(*i)?,
                _ => return None,
            };
        }
        Some(cur)
    }

    /// A short name of the value's kind, for error messages.
    pub fn type_name(&self) -> &'static str {
        match self {
            Value::Null => "null",
            Value::Bool(_) => "bool",
            Value::Number(_) => "number",
            Value::String(_) => "string",
            Value::List(_) => "list",
            Value::Map(_) => "object",
            Value::Unknown => "unknown",
            Value::Sensitive(v) => v.type_name(),
        }
    }

    /// Plain JSON of the value. Unknowns become `null`; sensitive values are included in clear,
    /// so callers that persist or print must redact first (see [`Value::redact`]).
    pub fn to_json(&self) -> serde_json::Value {
        use serde_json::Value as J;
        match self {
            Value::Null | Value::Unknown => J::Null,
            Value::Bool(b) => J::Bool(*b),
            Value::Number(n) => n.to_json(),
            Value::String(s) => J::String(s.clone()),
            Value::List(items) => J::Array(items.iter().map(Value::to_json).collect()),
            Value::Map(m) => J::Object(m.iter().map(|(k, v)| (k.clone(), v.to_json())).collect()),
            Value::Sensitive(v) => v.to_json(),
        }
    }

    /// The value from plain JSON (no marks).
    pub fn from_json(json: &serde_json::Value) -> Value {
        use serde_json::Value as J;
        match json {
            J::Null => Value::Null,
            J::Bool(b) => Value::Bool(*b),
            J::Number(n) => Value::Number(Number::from_json(n)),
            J::String(s) => Value::String(s.clone()),
            J::Array(items) => Value::List(items.iter().map(Value::from_json).collect()),
            J::Object(m) => Value::Map(m.iter().map(|(k, v)| (k.clone(), Value::from_json(v))).collect()),
        }
    }

    /// A JSON mask of the same shape with `true` where the value is unknown (Terraform's
    /// `after_unknown`); `false` when nothing inside is unknown.
    pub fn unknown_mask(&self) -> serde_json::Value {
        self.mask(&|v| matches!(v, Value::Unknown))
    }

    /// A JSON mask with `true` where the value is sensitive (Terraform's `after_sensitive`).
    pub fn sensitive_mask(&self) -> serde_json::Value {
        self.mask(&|v| matches!(v, Value::Sensitive(_)))
    }

    fn mask(&self, hit: &dyn Fn(&Value) -> bool) -> serde_json::Value {
        use serde_json::Value as J;
        if hit(self) {
            return J::Bool(true);
        }
        match self {
            Value::List(items) if items.iter().any(|v| v.contains_mask(hit)) => {
                J::Array(items.iter().map(|v| v.mask(hit)).collect())
            }
            Value::Map(m) if m.values().any(|v| v.contains_mask(hit)) => J::Object(
                m.iter()
                    .filter(|(_, v)| v.contains_mask(hit))
                    .map(|(k, v)| (k.clone(), v.mask(hit)))
                    .collect(),
            ),
            Value::Sensitive(v) => v.mask(hit),
            _ => J::Bool(false),
        }
    }

    fn contains_mask(&self, hit: &dyn Fn(&Value) -> bool) -> bool {
        hit(self)
            || match self {
                Value::List(items) => items.iter().any(|v| v.contains_mask(hit)),
                Value::Map(m) => m.values().any(|v| v.contains_mask(hit)),
                Value::Sensitive(v) => v.contains_mask(hit),
                _ => false,
            }
    }

    /// Rebuilds a value from plain JSON plus the two masks written by [`Value::unknown_mask`]
    /// and [`Value::sensitive_mask`]. Sensitive places get their value from `json` (which the
    /// writer may have redacted to `null`).
    pub fn from_json_masked(
        json: &serde_json::Value,
        unknown: &serde_json::Value,
        sensitive: &serde_json::Value,
    ) -> Value {
        use serde_json::Value as J;
        let v = if unknown == &J::Bool(true) {
            Value::Unknown
        } else {
            match json {
                J::Array(items) => Value::List(
                    items
                        .iter()
                        .enumerate()
                        .map(|(i, j)| {
                            Value::from_json_masked(j, mask_child_index(unknown, i), mask_child_index(sensitive, i))
                        })
                        .collect(),
                ),
                J::Object(m) => Value::Map(
                    m.iter()
                        .map(|(k, j)| {
                            (
                                k.clone(),
                                Value::from_json_masked(j, mask_child_key(unknown, k), mask_child_key(sensitive, k)),
                            )
                        })
                        .collect(),
                ),
                other => Value::from_json(other),
            }
        };
        // An unknown whose container was unknown: its mask keys may list members not in json.
        let v = match (v, unknown) {
            (Value::Map(mut m), J::Object(um)) => {
                for (k, u) in um {
                    if u == &J::Bool(true) && !m.contains_key(k) {
                        m.insert(k.clone(), Value::Unknown);
                    }
                }
                Value::Map(m)
            }
            (v, _) => v,
        };
        v.mark_if(sensitive == &J::Bool(true))
    }

    /// A copy with every sensitive part replaced by `Null` (kept marked), safe to persist.
    pub fn redact(&self) -> Value {
        match self {
            Value::Sensitive(_) => Value::Sensitive(Box::new(Value::Null)),
            Value::List(items) => Value::List(items.iter().map(Value::redact).collect()),
            Value::Map(m) => Value::Map(m.iter().map(|(k, v)| (k.clone(), v.redact())).collect()),
            v => v.clone(),
        }
    }

    /// Every path at which a sensitive mark sits, in order.
    pub fn sensitive_paths(&self) -> Vec<AttrPath> {
        let mut out = Vec::new();
        self.collect_paths(&AttrPath::default(), &mut out, &|v| matches!(v, Value::Sensitive(_)));
        out
    }

    /// Every path at which the value is unknown, in order.
    pub fn unknown_paths(&self) -> Vec<AttrPath> {
        let mut out = Vec::new();
        self.collect_paths(&AttrPath::default(), &mut out, &|v| matches!(v, Value::Unknown));
        out
    }

    fn collect_paths(&self, here: &AttrPath, out: &mut Vec<AttrPath>, hit: &dyn Fn(&Value) -> bool) {
        if hit(self) {
            out.push(here.clone());
            return;
        }
        match self.strip_sensitive() {
            Value::List(items) => {
                for (i, v) in items.iter().enumerate() {
                    v.collect_paths(&here.child(PathStep::Index(i)), out, hit);
                }
            }
            Value::Map(m) => {
                for (k, v) in m {
                    v.collect_paths(&here.child(PathStep::Attr(k.clone())), out, hit);
                }
            }
            _ => {}
        }
    }

    /// Replaces the value at `path` (creating object members on the way; list indexes must exist).
    pub fn with_at(self, path: &AttrPath, new: Value) -> Value {
        self.set_steps(&path.0, new)
    }

    fn set_steps(self, steps: &[PathStep], new: Value) -> Value {
        let Some((first, rest)) = steps.split_first() else {
            return new;
        };
        match (self, first) {
            (Value::Map(mut m), PathStep::Attr(a) | PathStep::Key(a)) => {
                let cur = m.remove(a).unwrap_or(Value::Null);
                m.insert(a.clone(), cur.set_steps(rest, new));
                Value::Map(m)
            }
            (Value::List(mut l), PathStep::Index(i)) if *i < l.len() => {
                let cur = std::mem::take(&mut l[*i]);
                l[*i] = cur.set_steps(rest, new);
                Value::List(l)
            }
            (Value::Sensitive(inner), _) => inner.set_steps(steps, new).mark(),
            (v, _) => v,
        }
    }

    /// Marks the value at each path sensitive (paths that lead nowhere, and nulls, are ignored).
    pub fn mark_paths(self, paths: &[AttrPath]) -> Value {
        let mut v = self;
        for p in paths {
            v = v.mark_path(&p.0);
        }
        v
    }

    fn mark_path(self, steps: &[PathStep]) -> Value {
        let Some((first, rest)) = steps.split_first() else {
            // A null is nothing to hide: leaving it unmarked keeps `null` readable in plans.
            return if self == Value::Null { self } else { self.mark() };
        };
        match (self, first) {
            (Value::Map(mut m), PathStep::Attr(a) | PathStep::Key(a)) => {
                if let Some(v) = m.remove(a) {
                    m.insert(a.clone(), v.mark_path(rest));
                }
                Value::Map(m)
            }
            (Value::List(mut l), PathStep::Index(i)) => {
                if *i < l.len() {
                    let v = std::mem::take(&mut l[*i]);
                    l[*i] = v.mark_path(rest);
                }
                Value::List(l)
            }
            (Value::Sensitive(v), _) => Value::Sensitive(v),
            (v, _) => v,
        }
    }
}

fn mask_child_index(mask: &serde_json::Value, i: usize) -> &serde_json::Value {
    static FALSE: serde_json::Value = serde_json::Value::Bool(false);
    match mask {
        serde_json::Value::Array(a) => a.get(i).unwrap_or(&FALSE),
        serde_json::Value::Bool(true) => mask,
        _ => &FALSE,
    }
}

fn mask_child_key<'a>(mask: &'a serde_json::Value, k: &str) -> &'a serde_json::Value {
    static FALSE: serde_json::Value = serde_json::Value::Bool(false);
    match mask {
        serde_json::Value::Object(o) => o.get(k).unwrap_or(&FALSE),
        serde_json::Value::Bool(true) => mask,
        _ => &FALSE,
    }
}

/// JSON for a number given as an `f64` (see [`Number::to_json`]: whole numbers as JSON integers).
pub fn number_to_json(n: f64) -> serde_json::Value {
    Number::from_f64(n).to_json()
}

/// Text of a number given as an `f64`, as the language shows it: `3`, not `3.0` (see
/// [`Number`]'s `Display`).
pub fn format_number(n: f64) -> String {
    Number::from_f64(n).to_string()
}

/// Writes `items` one after the other with `each`, separated by ", " (the rendering of lists,
/// maps, tuples and objects in values and types).
fn write_separated<I: IntoIterator>(
    f: &mut fmt::Formatter<'_>,
    items: I,
    mut each: impl FnMut(&mut fmt::Formatter<'_>, I::Item) -> fmt::Result,
) -> fmt::Result {
    for (i, item) in items.into_iter().enumerate() {
        if i > 0 {
            write!(f, ", ")?;
        }
        each(f, item)?;
    }
    Ok(())
}

impl fmt::Display for Value {
    /// Language-style rendering for messages and plans; sensitive parts show as `(sensitive)`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Value::Null => write!(f, "null"),
            Value::Bool(b) => write!(f, "{b}"),
            Value::Number(n) => write!(f, "{n}"),
            Value::String(s) => write!(f, "{s:?}"),
            Value::List(items) => {
                write!(f, "[")?;
                write_separated(f, items, |f, v| write!(f, "{v}"))?;
                write!(f, "]")
            }
            Value::Map(m) => {
                write!(f, "{{")?;
                write_separated(f, m, |f, (k, v)| write!(f, "{k} = {v}"))?;
                write!(f, "}}")
            }
            Value::Unknown => write!(f, "(known after apply)"),
            Value::Sensitive(_) => write!(f, "(sensitive)"),
        }
    }
}

impl fmt::Display for Type {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Type::String => write!(f, "string"),
            Type::Number => write!(f, "number"),
            Type::Bool => write!(f, "bool"),
            Type::List(t) => write!(f, "list({t})"),
            Type::Set(t) => write!(f, "set({t})"),
            Type::Map(t) => write!(f, "map({t})"),
            Type::Object { attrs, optional } => {
                write!(f, "object({{")?;
                write_separated(f, attrs, |f, (k, t)| {
                    if optional.contains(k) {
                        write!(f, "{k} = optional({t})")
                    } else {
                        write!(f, "{k} = {t}")
                    }
                })?;
                write!(f, "}})")
            }
            Type::Tuple(ts) => {
                write!(f, "tuple([")?;
                write_separated(f, ts, |f, t| write!(f, "{t}"))?;
                write!(f, "])")
            }
            Type::Any => write!(f, "any"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn masks_round_trip_unknown_and_sensitive() {
        let v = Value::object([
            ("a", Value::Unknown),
            ("b", Value::string("x").mark()),
            ("c", Value::List(vec![Value::int(1), Value::Unknown])),
        ]);
        let back = Value::from_json_masked(&v.to_json(), &v.unknown_mask(), &v.sensitive_mask());
        assert_eq!(back, v);
    }

    #[test]
    fn redact_drops_secret_but_keeps_mark() {
        let v = Value::object([("password", Value::string("hunter2").mark())]);
        let red = v.redact();
        assert!(!red.to_json().to_string().contains("hunter2"));
        assert!(red.get("password").is_sensitive());
    }

    #[test]
    fn attr_paths_parse_what_display_writes() {
        let p = AttrPath(vec![
            PathStep::Attr("a".into()),
            PathStep::Index(3),
            PathStep::Key("k.x".into()),
            PathStep::Attr("b".into()),
        ]);
        assert_eq!(p.to_string(), "a[3][\"k.x\"].b");
        assert_eq!(AttrPath::parse(&p.to_string()), Some(p));
    }

    #[test]
    fn integral_numbers_render_without_fraction() {
        assert_eq!(Value::number(3.0).to_string(), "3");
        assert_eq!(number_to_json(3.0).to_string(), "3");
        assert_eq!(Value::number(2.5).to_string(), "2.5");
        assert_eq!(Value::number(3.0), Value::int(3));
    }

    #[test]
    fn big_integers_survive_json() {
        let v = Value::from_json(&serde_json::json!({"id": 18_446_744_073_709_551_615u64, "n": i64::MIN}));
        assert_eq!(v.get("id").as_u64(), Some(u64::MAX));
        assert_eq!(v.get("n").as_i64(), Some(i64::MIN));
        assert_eq!(
            v.to_json().to_string(),
            r#"{"id":18446744073709551615,"n":-9223372036854775808}"#
        );
        assert_eq!(v.get("id").to_string(), "18446744073709551615");
    }
}
