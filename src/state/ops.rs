//! The logic behind `plinth state list|show|rm|mv|pull|push`, over any [`Backend`].
//!
//! The CLI parses arguments and prints; everything else is here. Functions that write take the
//! backend's lock themselves and persist a new snapshot; the read-only ones work on a loaded
//! [`State`] (or load one without locking).
//!
//! Addresses are matched structurally, not as strings: `module.a` does not match `module.ab`.
//! Wherever an address leaves out an instance key, it stands for every instance: `local_file.x`
//! matches `local_file.x[0]` and `local_file.x["k"]`, `module.m` matches `module.m[1]`.

use std::cmp::Ordering;
use std::collections::{BTreeMap, BTreeSet};
use std::fmt::{self, Write as _};

use serde_json::Value;

use super::{Backend, STATE_VERSION, State, StateError};

// ---------------------------------------------------------------------------------------------
// Addresses

/// An instance key: `[0]` or `["name"]`.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
enum Key {
    Int(u64),
    Str(String),
}

#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
struct ModuleStep {
    name: String,
    key: Option<Key>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
struct ResourcePart {
    data: bool,
    type_name: String,
    name: String,
    key: Option<Key>,
}

/// A parsed address: a module path, optionally followed by a resource (instance).
#[derive(Clone, Debug, PartialEq, Eq)]
struct Addr {
    modules: Vec<ModuleStep>,
    resource: Option<ResourcePart>,
}

impl fmt::Display for Key {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Key::Int(n) => write!(f, "[{n}]"),
            Key::Str(s) => write!(f, "[{s:?}]"),
        }
    }
}

impl fmt::Display for Addr {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut first = true;
        for m in &self.modules {
            if !first {
                f.write_str(".")?;
            }
            first = false;
            write!(f, "module.{}", m.name)?;
            if let Some(k) = &m.key {
                write!(f, "{k}")?;
            }
        }
        if let Some(r) = &self.resource {
            if !first {
                f.write_str(".")?;
            }
            if r.data {
                f.write_str("data.")?;
            }
            write!(f, "{}.{}", r.type_name, r.name)?;
            if let Some(k) = &r.key {
                write!(f, "{k}")?;
            }
        }
        Ok(())
    }
}

impl Addr {
    fn parse(s: &str) -> Result<Addr, String> {
        let mut p = AddrParser { s, pos: 0 };
        let mut modules = Vec::new();
        loop {
            let id = p.ident()?;
            if id == "module" {
                p.expect('.')?;
                let name = p.ident()?;
                let key = p.opt_key()?;
                modules.push(ModuleStep { name, key });
                if p.at_end() {
                    return Ok(Addr {
                        modules,
                        resource: None,
                    });
                }
                p.expect('.')?;
                continue;
            }
            let (data, type_name) = if id == "data" {
                p.expect('.')?;
                (true, p.ident()?)
            } else {
                (false, id)
            };
            p.expect('.')?;
            let name = p.ident()?;
            let key = p.opt_key()?;
            if !p.at_end() {
                return Err(format!("unexpected {:?} after the resource address", &s[p.pos..]));
            }
            return Ok(Addr {
                modules,
                resource: Some(ResourcePart {
                    data,
                    type_name,
                    name,
                    key,
                }),
            });
        }
    }

    /// The same address without the resource's instance key.
    fn without_key(&self) -> Addr {
        let mut a = self.clone();
        if let Some(r) = &mut a.resource {
            r.key = None;
        }
        a
    }

    /// Whether `self`, used as a filter, selects the instance `addr`.
    fn selects(&self, addr: &Addr) -> bool {
        fn key_ok(filter: &Option<Key>, key: &Option<Key>) -> bool {
            filter.is_none() || filter == key
        }
        let modules_ok = self.modules.len() <= addr.modules.len()
            && self
                .modules
                .iter()
                .zip(&addr.modules)
                .all(|(f, a)| f.name == a.name && key_ok(&f.key, &a.key));
        match (&self.resource, &addr.resource) {
            (None, _) => modules_ok,
            (Some(f), Some(a)) => {
                modules_ok
                    && self.modules.len() == addr.modules.len()
                    && f.data == a.data
                    && f.type_name == a.type_name
                    && f.name == a.name
                    && key_ok(&f.key, &a.key)
            }
            (Some(_), None) => false,
        }
    }

    /// The order `state list` prints: root module first, data sources before managed resources,
    /// numeric keys numerically.
    fn sort_key(&self) -> impl Ord + '_ {
        (
            &self.modules,
            self.resource.as_ref().map(|r| (!r.data, &r.type_name, &r.name, &r.key)),
        )
    }
}

struct AddrParser<'a> {
    s: &'a str,
    pos: usize,
}

impl<'a> AddrParser<'a> {
    fn rest(&self) -> &'a str {
        let s: &'a str = self.s;
        &s[self.pos..]
    }

    fn at_end(&self) -> bool {
        self.pos == self.s.len()
    }

    fn expect(&mut self, c: char) -> Result<(), String> {
        if self.rest().starts_with(c) {
            self.pos += c.len_utf8();
            Ok(())
        } else if self.at_end() {
            Err(format!("expected {c:?} at the end"))
        } else {
            Err(format!("expected {c:?} at {:?}", self.rest()))
        }
    }

    fn ident(&mut self) -> Result<String, String> {
        let rest = self.rest();
        let len = rest
            .find(|c: char| !(c.is_alphanumeric() || c == '_' || c == '-'))
            .unwrap_or(rest.len());
        let id = &rest[..len];
        if id.is_empty() || !id.starts_with(|c: char| c.is_alphabetic() || c == '_') {
            return Err(if rest.is_empty() {
                "expected a name at the end".into()
            } else {
                format!("expected a name at {rest:?}")
            });
        }
        self.pos += len;
        Ok(id.to_string())
    }

    fn opt_key(&mut self) -> Result<Option<Key>, String> {
        if !self.rest().starts_with('[') {
            return Ok(None);
        }
        self.pos += 1;
        let key = if self.rest().starts_with('"') {
            Key::Str(self.string()?)
        } else {
            let rest = self.rest();
            let len = rest.find(|c: char| !c.is_ascii_digit()).unwrap_or(rest.len());
            let n = rest[..len]
                .parse()
                .map_err(|_| format!("expected a number or a quoted string at {rest:?}"))?;
            self.pos += len;
            Key::Int(n)
        };
        self.expect(']')?;
        Ok(Some(key))
    }

    /// A double-quoted string with the escapes Rust's `{:?}` and JSON produce.
    fn string(&mut self) -> Result<String, String> {
        self.pos += 1;
        let start = self.pos;
        let rest = self.rest();
        let mut out = String::new();
        let mut chars = rest.char_indices();
        while let Some((i, c)) = chars.next() {
            match c {
                '"' => {
                    self.pos = start + i + 1;
                    return Ok(out);
                }
                '\\' => {
                    let (_, e) = chars.next().ok_or("unterminated escape")?;
                    match e {
                        'n' => out.push('\n'),
                        't' => out.push('\t'),
                        'r' => out.push('\r'),
                        '0' => out.push('\0'),
                        '"' | '\\' | '\'' | '/' => out.push(e),
                        'u' => {
                            let hex: String = if rest.get(i + 2..i + 3) == Some("{") {
                                chars.next();
                                chars.by_ref().map(|(_, c)| c).take_while(|&c| c != '}').collect()
                            } else {
                                chars.by_ref().take(4).map(|(_, c)| c).collect()
                            };
                            let ch = u32::from_str_radix(&hex, 16)
                                .ok()
                                .and_then(char::from_u32)
                                .ok_or_else(|| format!("invalid unicode escape \\u{hex}"))?;
                            out.push(ch);
                        }
                        other => return Err(format!("unknown escape \\{other}")),
                    }
                }
                c => out.push(c),
            }
        }
        Err("unterminated string".into())
    }
}

fn parse_arg(s: &str) -> Result<Addr, StateError> {
    Addr::parse(s).map_err(|e| StateError::Other(format!("invalid address {s:?}: {e}")))
}

/// The state's addresses, parsed (an address that does not parse matches only itself).
fn parsed_addresses(state: &State) -> Vec<(&String, Option<Addr>)> {
    state.resources.keys().map(|k| (k, Addr::parse(k).ok())).collect()
}

fn sort_addresses(addrs: &mut [(String, Option<Addr>)]) {
    addrs.sort_by(|(sa, a), (sb, b)| match (a, b) {
        (Some(a), Some(b)) => a.sort_key().cmp(&b.sort_key()).then_with(|| sa.cmp(sb)),
        (Some(_), None) => Ordering::Less,
        (None, Some(_)) => Ordering::Greater,
        (None, None) => sa.cmp(sb),
    });
}

fn no_match(addr: &str) -> StateError {
    StateError::Other(format!(
        "no resource instance in the state matches {addr:?}; run `plinth state list` to see the addresses"
    ))
}

// ---------------------------------------------------------------------------------------------
// Serialization

/// Sorts the keys of every JSON object in attribute and output values, so that a snapshot's text
/// depends only on its content.
pub fn canonicalize(state: &mut State) {
    for r in state.resources.values_mut() {
        r.attributes.sort_all_objects();
    }
    for o in state.outputs.values_mut() {
        o.value.sort_all_objects();
    }
}

/// The state as pretty JSON ending in a newline: the format of `state.json` and `state pull`.
/// Call [`canonicalize`] first for a deterministic order of attribute keys.
pub fn to_json(state: &State) -> Result<String, StateError> {
    let mut s =
        serde_json::to_string_pretty(state).map_err(|e| StateError::Other(format!("serializing the state: {e}")))?;
    s.push('\n');
    Ok(s)
}

// ---------------------------------------------------------------------------------------------
// The commands

/// `plinth state list [FILTER...]`: the instance addresses selected by any filter (all of them
/// when there is none). A filter selects an address equal to it, the instances of a resource
/// (`local_file.x`), or everything in a module (`module.a`).
pub fn list(state: &State, filters: &[String]) -> Vec<String> {
    let filters: Vec<(&String, Option<Addr>)> = filters.iter().map(|f| (f, Addr::parse(f).ok())).collect();
    let mut out: Vec<(String, Option<Addr>)> = parsed_addresses(state)
        .into_iter()
        .filter(|(key, addr)| {
            filters.is_empty()
                || filters
                    .iter()
                    .any(|(f, fa)| *f == *key || matches!((fa, addr), (Some(fa), Some(addr)) if fa.selects(addr)))
        })
        .map(|(k, a)| (k.clone(), a))
        .collect();
    sort_addresses(&mut out);
    out.into_iter().map(|(k, _)| k).collect()
}

/// `plinth state show ADDR`: one instance rendered like HCL, sensitive values hidden.
pub fn show(state: &State, addr: &str) -> Result<String, StateError> {
    let Some(r) = state.resources.get(addr) else {
        if let Ok(filter) = Addr::parse(addr) {
            let instances = list(state, &[addr.to_string()]);
            if !instances.is_empty() && filter.resource.as_ref().is_some_and(|r| r.key.is_none()) {
                return Err(StateError::Other(format!(
                    "{addr} has instances with keys; show one of them: {}",
                    instances.join(", ")
                )));
            }
        }
        return Err(no_match(addr));
    };
    let name = match Addr::parse(addr) {
        Ok(Addr {
            resource: Some(res), ..
        }) => res.name,
        _ => addr.rsplit('.').next().unwrap_or(addr).to_string(),
    };
    let block = if r.mode == "data" { "data" } else { "resource" };
    let mut out = format!("# {addr}:\n{block} {:?} {:?} {{\n", r.type_name, name);
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

/// `plinth state rm ADDR...`: removes the selected instances (every instance of a resource given
/// without a key, everything in a module) and persists. Fails, removing nothing, when an address
/// selects nothing. Returns the removed addresses.
pub fn rm(backend: &dyn Backend, addrs: &[String]) -> Result<Vec<String>, StateError> {
    if addrs.is_empty() {
        return Err(StateError::Other(
            "no address given: name the resource instances to remove".into(),
        ));
    }
    let parsed: Vec<(&String, Addr)> = addrs.iter().map(|a| Ok((a, parse_arg(a)?))).collect::<Result<_, _>>()?;
    let _lock = backend.lock()?;
    let mut state = backend.load()?;
    let mut removed = BTreeSet::new();
    {
        let keys = parsed_addresses(&state);
        for (text, filter) in &parsed {
            let selected: Vec<&String> = keys
                .iter()
                .filter(|(key, addr)| *key == *text || addr.as_ref().is_some_and(|a| filter.selects(a)))
                .map(|(key, _)| *key)
                .collect();
            if selected.is_empty() {
                return Err(no_match(text));
            }
            removed.extend(selected.into_iter().cloned());
        }
    }
    for key in &removed {
        state.resources.remove(key);
    }
    backend.persist(&mut state)?;
    let mut out: Vec<(String, Option<Addr>)> = removed
        .into_iter()
        .map(|k| {
            let a = Addr::parse(&k).ok();
            (k, a)
        })
        .collect();
    sort_addresses(&mut out);
    Ok(out.into_iter().map(|(k, _)| k).collect())
}

/// `plinth state mv FROM TO`: renames an instance (`local_file.a[0]` -> `local_file.b`), a whole
/// resource with all its instances (`local_file.a` -> `local_file.b`), or a module
/// (`module.a` -> `module.b`), and persists. Refuses when a destination exists or the resource type
/// would change. Returns the (old, new) address pairs.
pub fn mv(backend: &dyn Backend, from: &str, to: &str) -> Result<Vec<(String, String)>, StateError> {
    let src = parse_arg(from)?;
    let dst = parse_arg(to)?;
    if src == dst {
        return Err(StateError::Other(format!("cannot move {from} onto itself")));
    }
    let _lock = backend.lock()?;
    let mut state = backend.load()?;
    let keys: Vec<(String, Addr)> = state
        .resources
        .keys()
        .filter_map(|k| Addr::parse(k).ok().map(|a| (k.clone(), a)))
        .collect();

    // (old key, new address)
    let mut moves: Vec<(String, Addr)> = Vec::new();
    // Dependency strings to rewrite (resource or module prefixes).
    let mut dep_rewrite: Option<(String, String)> = None;
    match (&src.resource, &dst.resource) {
        (Some(sr), Some(dr)) => {
            if sr.data != dr.data || sr.type_name != dr.type_name {
                return Err(StateError::Other(format!(
                    "cannot move {from} to {to}: the resource type differs; a move only renames"
                )));
            }
            let instances: Vec<&(String, Addr)> = keys
                .iter()
                .filter(|(_, a)| {
                    a.modules == src.modules
                        && a.resource.as_ref().is_some_and(|r| {
                            r.data == sr.data
                                && r.type_name == sr.type_name
                                && r.name == sr.name
                                && (sr.key.is_none() || r.key == sr.key)
                        })
                })
                .collect();
            if instances.is_empty() {
                return Err(no_match(from));
            }
            let whole_resource = sr.key.is_none();
            if whole_resource && dr.key.is_none() {
                for (k, a) in &instances {
                    let mut new = dst.clone();
                    if let (Some(nr), Some(or)) = (&mut new.resource, &a.resource) {
                        nr.key = or.key.clone();
                    }
                    moves.push((k.clone(), new));
                }
                dep_rewrite = Some((src.to_string(), dst.to_string()));
            } else if instances.len() == 1 {
                moves.push((instances[0].0.clone(), dst.clone()));
            } else {
                return Err(StateError::Other(format!(
                    "{from} has {} instances; move them all to a resource address without a key, or move one instance at a time",
                    instances.len()
                )));
            }
        }
        (None, None) => {
            // src selects a module path; a key left out of its last step matches any key and,
            // when the destination's last step has none either, is carried over.
            let n = src.modules.len();
            for (k, a) in &keys {
                if a.modules.len() < n {
                    continue;
                }
                let prefix_ok = src
                    .modules
                    .iter()
                    .zip(&a.modules)
                    .enumerate()
                    .all(|(i, (s, m))| s.name == m.name && (s.key == m.key || (i == n - 1 && s.key.is_none())));
                if !prefix_ok {
                    continue;
                }
                let mut modules = dst.modules.clone();
                if src.modules[n - 1].key.is_none()
                    && let Some(last) = modules.last_mut()
                    && last.key.is_none()
                {
                    last.key = a.modules[n - 1].key.clone();
                }
                modules.extend_from_slice(&a.modules[n..]);
                moves.push((
                    k.clone(),
                    Addr {
                        modules,
                        resource: a.resource.clone(),
                    },
                ));
            }
            if moves.is_empty() {
                return Err(no_match(from));
            }
            dep_rewrite = Some((format!("{src}."), format!("{dst}.")));
        }
        _ => {
            return Err(StateError::Other(format!(
                "cannot move {from} to {to}: one is a module and the other a resource"
            )));
        }
    }

    // Refuse collisions with instances that stay, including keyed and unkeyed instances of one
    // resource side by side.
    let moving: BTreeSet<&str> = moves.iter().map(|(k, _)| k.as_str()).collect();
    let staying: Vec<&Addr> = keys
        .iter()
        .filter(|(k, _)| !moving.contains(k.as_str()))
        .map(|(_, a)| a)
        .collect();
    let mut new_set = BTreeSet::new();
    for (_, new) in &moves {
        let text = new.to_string();
        let base = new.without_key();
        let new_keyed = new.resource.as_ref().is_some_and(|r| r.key.is_some());
        let clash = staying.iter().any(|a| {
            **a == *new
                || (a.without_key() == base && a.resource.as_ref().is_some_and(|r| r.key.is_some()) != new_keyed)
        }) || (state.resources.contains_key(&text) && !moving.contains(text.as_str()));
        if clash {
            return Err(StateError::Other(format!(
                "cannot move {from} to {to}: {text} already exists in the state; remove or move it first"
            )));
        }
        if !new_set.insert(text.clone()) {
            return Err(StateError::Other(format!(
                "cannot move {from} to {to}: two instances would become {text}"
            )));
        }
    }

    let mut pairs = Vec::new();
    let mut taken = Vec::new();
    for (old, new) in moves {
        if let Some(r) = state.resources.remove(&old) {
            taken.push((new.to_string(), r));
            pairs.push((old, new.to_string()));
        }
    }
    state.resources.extend(taken);
    if let Some((old, new)) = dep_rewrite {
        let module_move = old.ends_with('.');
        for r in state.resources.values_mut() {
            for d in &mut r.dependencies {
                if *d == old {
                    d.clone_from(&new);
                } else if module_move && let Some(rest) = d.strip_prefix(&old) {
                    *d = format!("{new}{rest}");
                }
            }
        }
    }
    backend.persist(&mut state)?;
    pairs.sort();
    Ok(pairs)
}

/// `plinth state pull`: the current state (journal included) as JSON.
pub fn pull(backend: &dyn Backend) -> Result<String, StateError> {
    let mut state = backend.load()?;
    canonicalize(&mut state);
    to_json(&state)
}

/// `plinth state push FILE`: replaces the state with `json`. Refuses, unless `force`, a state of
/// another lineage, a lower serial, or different content under the same serial. The new serial is
/// above both the old and the pushed one; it is returned.
pub fn push(backend: &dyn Backend, json: &str, force: bool) -> Result<u64, StateError> {
    #[derive(serde::Deserialize)]
    struct VersionProbe {
        version: u32,
    }
    let mut new: State = match serde_json::from_str::<State>(json) {
        Ok(s) => s,
        Err(e) => {
            if let Ok(p) = serde_json::from_str::<VersionProbe>(json)
                && p.version > STATE_VERSION
            {
                return Err(too_new_push(p.version));
            }
            return Err(StateError::Other(format!(
                "the pushed state is not a valid Plinth state: {e}"
            )));
        }
    };
    if new.version > STATE_VERSION {
        return Err(too_new_push(new.version));
    }
    let _lock = backend.lock()?;
    let old = match backend.load() {
        Ok(s) => Some(s),
        // Replacing a broken state is what push is for.
        Err(StateError::Corrupt { .. } | StateError::TooNew { .. }) if force => None,
        Err(e) => return Err(e),
    };
    // Serial 0 means no state was ever written (every persist bumps the serial).
    let old = old.filter(|o| o.serial > 0);
    if let Some(old) = &old
        && !force
    {
        let refuse = |why: String| {
            Err(StateError::Other(format!(
                "refusing to push: {why}; use --force to overwrite the state anyway"
            )))
        };
        if old.lineage != new.lineage {
            return refuse(format!(
                "the pushed state has lineage {} but the state has lineage {}, so it belongs to another configuration or environment",
                new.lineage, old.lineage
            ));
        }
        if new.serial < old.serial {
            return refuse(format!(
                "the pushed state has serial {} but the state is already at serial {}, so it is older",
                new.serial, old.serial
            ));
        }
        if new.serial == old.serial && (new.resources != old.resources || new.outputs != old.outputs) {
            return refuse(format!(
                "the pushed state has the same serial {} but different contents",
                new.serial
            ));
        }
    }
    new.serial = new.serial.max(old.map_or(0, |o| o.serial));
    backend.persist(&mut new)
}

fn too_new_push(found: u32) -> StateError {
    StateError::Other(format!(
        "the pushed state has version {found}, newer than this Plinth understands ({STATE_VERSION}); upgrade Plinth"
    ))
}

// ---------------------------------------------------------------------------------------------
// Rendering for `show`

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
    use super::*;
    use crate::state::local::LocalBackend;
    use crate::state::{JournalEntry, OutputState, ResourceState};

    fn res(type_name: &str, attrs: Value) -> ResourceState {
        ResourceState {
            mode: "managed".into(),
            type_name: type_name.into(),
            provider: "local".into(),
            attributes: attrs,
            sensitive: BTreeMap::new(),
            dependencies: Vec::new(),
            create_before_destroy: false,
        }
    }

    fn sample() -> State {
        let mut s = State::new();
        for addr in [
            "local_file.a",
            "local_file.x[0]",
            "local_file.x[1]",
            "local_file.x[10]",
            "local_file.x[2]",
            "local_file.k[\"blue\"]",
            "local_file.xy",
            "module.m.local_file.a",
            "module.m[1].local_value.v",
            "module.m[0].local_value.v",
            "module.mm.local_file.a",
            "module.m.module.inner.local_file.deep",
        ] {
            let t = Addr::parse(addr).expect(addr).resource.expect("resource").type_name;
            s.resources
                .insert(addr.into(), res(&t, serde_json::json!({ "path": addr })));
        }
        let mut data = res("local_file", serde_json::json!({ "content": "c" }));
        data.mode = "data".into();
        s.resources.insert("data.local_file.x".into(), data);
        s
    }

    fn strings(v: &[&str]) -> Vec<String> {
        v.iter().map(|s| s.to_string()).collect()
    }

    fn backend_with(state: &State) -> (tempfile::TempDir, LocalBackend) {
        let dir = tempfile::tempdir().expect("tempdir");
        let b = LocalBackend::new(dir.path(), "default");
        b.persist(&mut state.clone()).expect("persist");
        (dir, b)
    }

    fn err_text<T: fmt::Debug>(r: Result<T, StateError>) -> String {
        r.expect_err("expected an error").to_string()
    }

    #[test]
    fn addresses_parse_and_print() {
        for a in [
            "local_file.a",
            "local_file.a[0]",
            "local_file.a[\"k\"]",
            "module.m.local_file.a",
            "module.m[1].local_value.v",
            "module.m[\"x\"].module.n.data.local_file.x[3]",
            "data.local_file.x",
            "module.m",
            "local_file.a[\"with \\\"quotes\\\" and ]. inside\"]",
        ] {
            assert_eq!(Addr::parse(a).expect(a).to_string(), a);
        }
        let k = Addr::parse(r#"local_file.a["tab\tA\u{e9}\u00e9"]"#).expect("escapes");
        assert_eq!(k.resource.expect("res").key, Some(Key::Str("tab\tAéé".into())));
        for bad in [
            "",
            "local_file",
            "local_file.",
            "local_file.a[",
            "local_file.a[x]",
            "module",
            "a.b.c",
            "a.b[0]x",
        ] {
            assert!(Addr::parse(bad).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn list_all_in_natural_order() {
        let s = sample();
        assert_eq!(
            list(&s, &[]),
            strings(&[
                "data.local_file.x",
                "local_file.a",
                "local_file.k[\"blue\"]",
                "local_file.x[0]",
                "local_file.x[1]",
                "local_file.x[2]",
                "local_file.x[10]",
                "local_file.xy",
                "module.m.local_file.a",
                "module.m.module.inner.local_file.deep",
                "module.m[0].local_value.v",
                "module.m[1].local_value.v",
                "module.mm.local_file.a",
            ])
        );
    }

    #[test]
    fn list_filters() {
        let s = sample();
        let l = |f: &[&str]| list(&s, &strings(f));
        assert_eq!(
            l(&["local_file.x"]),
            strings(&[
                "local_file.x[0]",
                "local_file.x[1]",
                "local_file.x[2]",
                "local_file.x[10]"
            ])
        );
        assert_eq!(l(&["local_file.x[1]"]), strings(&["local_file.x[1]"]));
        assert_eq!(l(&["data.local_file.x"]), strings(&["data.local_file.x"]));
        assert_eq!(
            l(&["module.m"]),
            strings(&[
                "module.m.local_file.a",
                "module.m.module.inner.local_file.deep",
                "module.m[0].local_value.v",
                "module.m[1].local_value.v",
            ])
        );
        assert_eq!(l(&["module.m[1]"]), strings(&["module.m[1].local_value.v"]));
        assert_eq!(
            l(&["module.m.module.inner"]),
            strings(&["module.m.module.inner.local_file.deep"])
        );
        assert_eq!(
            l(&["local_file.a", "module.mm"]),
            strings(&["local_file.a", "module.mm.local_file.a"])
        );
        assert!(l(&["local_file.nope"]).is_empty());
        assert!(l(&["not an address"]).is_empty());
    }

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
    }

    #[test]
    fn rm_instances_resources_and_modules() {
        let (_dir, b) = backend_with(&sample());
        assert_eq!(
            rm(&b, &strings(&["local_file.x[1]"])).expect("rm"),
            strings(&["local_file.x[1]"])
        );
        assert_eq!(
            rm(&b, &strings(&["local_file.x", "module.m[0]"])).expect("rm"),
            strings(&[
                "local_file.x[0]",
                "local_file.x[2]",
                "local_file.x[10]",
                "module.m[0].local_value.v"
            ])
        );
        let s = b.load().expect("load");
        assert!(!s.resources.keys().any(|k| k.starts_with("local_file.x[")));
        assert!(s.resources.contains_key("local_file.xy"));
        assert!(s.resources.contains_key("module.m[1].local_value.v"));
        assert_eq!(s.serial, 3);
    }

    #[test]
    fn rm_errors_remove_nothing() {
        let (_dir, b) = backend_with(&sample());
        let before = b.load().expect("load");
        let e = err_text(rm(&b, &strings(&["local_file.a", "local_file.nope"])));
        assert!(e.contains("local_file.nope") && e.contains("plinth state list"), "{e}");
        assert!(err_text(rm(&b, &[])).contains("no address"));
        assert!(err_text(rm(&b, &strings(&["bad address"]))).contains("invalid address"));
        assert_eq!(b.load().expect("load"), before);
    }

    #[test]
    fn rm_takes_the_lock() {
        let (_dir, b) = backend_with(&sample());
        let _held = b.lock().expect("lock");
        assert!(matches!(
            rm(&b, &strings(&["local_file.a"])),
            Err(StateError::Locked { .. })
        ));
    }

    #[test]
    fn mv_instance() {
        let (_dir, b) = backend_with(&sample());
        let before = b.load().expect("load");
        assert_eq!(
            mv(&b, "local_file.x[1]", "local_file.x[5]").expect("mv"),
            vec![("local_file.x[1]".to_string(), "local_file.x[5]".to_string())]
        );
        let s = b.load().expect("load");
        assert_eq!(s.resources["local_file.x[5]"], before.resources["local_file.x[1]"]);
        assert!(!s.resources.contains_key("local_file.x[1]"));
        // A keyless instance to a keyed one and into a module.
        mv(&b, "local_file.a", "local_file.b[0]").expect("mv");
        mv(&b, "local_file.b[0]", "module.new.local_file.b").expect("mv");
        let s = b.load().expect("load");
        assert_eq!(s.resources["module.new.local_file.b"], before.resources["local_file.a"]);
    }

    #[test]
    fn mv_whole_resource_and_dependencies() {
        let mut state = sample();
        state.resources.get_mut("local_file.a").expect("a").dependencies = vec!["local_file.x".into()];
        let (_dir, b) = backend_with(&state);
        let pairs = mv(&b, "local_file.x", "local_file.y").expect("mv");
        assert_eq!(pairs.len(), 4);
        let s = b.load().expect("load");
        assert_eq!(
            list(&s, &strings(&["local_file.y"])),
            strings(&[
                "local_file.y[0]",
                "local_file.y[1]",
                "local_file.y[2]",
                "local_file.y[10]"
            ])
        );
        assert!(list(&s, &strings(&["local_file.x"])).is_empty());
        assert_eq!(s.resources["local_file.a"].dependencies, ["local_file.y"]);
    }

    #[test]
    fn mv_module() {
        let (_dir, b) = backend_with(&sample());
        mv(&b, "module.m", "module.n").expect("mv");
        let s = b.load().expect("load");
        assert_eq!(
            list(&s, &strings(&["module.n"])),
            strings(&[
                "module.n.local_file.a",
                "module.n.module.inner.local_file.deep",
                "module.n[0].local_value.v",
                "module.n[1].local_value.v",
            ])
        );
        assert!(list(&s, &strings(&["module.m"])).is_empty());
    }

    #[test]
    fn mv_refusals() {
        let (_dir, b) = backend_with(&sample());
        let before = b.load().expect("load");
        let e = err_text(mv(&b, "local_file.x[0]", "local_file.x[1]"));
        assert!(e.contains("already exists"), "{e}");
        let e = err_text(mv(&b, "local_file.a", "local_file.xy"));
        assert!(e.contains("already exists"), "{e}");
        // Keyed instances cannot join a resource that has a keyless one.
        let e = err_text(mv(&b, "local_file.x", "local_file.a"));
        assert!(e.contains("already exists"), "{e}");
        let e = err_text(mv(&b, "local_file.x[0]", "local_file.a[7]"));
        assert!(e.contains("already exists"), "{e}");
        let e = err_text(mv(&b, "local_file.a", "local_value.a"));
        assert!(e.contains("type differs"), "{e}");
        let e = err_text(mv(&b, "local_file.nope", "local_file.b"));
        assert!(e.contains("plinth state list"), "{e}");
        let e = err_text(mv(&b, "local_file.x", "local_file.b[0]"));
        assert!(e.contains("4 instances"), "{e}");
        let e = err_text(mv(&b, "module.m", "local_file.b"));
        assert!(e.contains("module"), "{e}");
        assert!(err_text(mv(&b, "local_file.a", "local_file.a")).contains("onto itself"));
        assert!(err_text(mv(&b, "local_file.a", "x")).contains("invalid address"));
        assert_eq!(b.load().expect("load"), before);
    }

    #[test]
    fn pull_is_the_json() {
        let (_dir, b) = backend_with(&sample());
        let json = pull(&b).expect("pull");
        let parsed: State = serde_json::from_str(&json).expect("parse");
        assert_eq!(parsed, b.load().expect("load"));
        assert_eq!(json, std::fs::read_to_string(b.dir().join("state.json")).expect("read"));
        // The journal is included.
        b.journal()
            .expect("journal")
            .record(&[JournalEntry::Remove {
                address: "local_file.a".into(),
            }])
            .expect("record");
        let parsed: State = serde_json::from_str(&pull(&b).expect("pull")).expect("parse");
        assert!(!parsed.resources.contains_key("local_file.a"));
    }

    #[test]
    fn push_accepts_a_newer_state_of_the_same_lineage() {
        let (_dir, b) = backend_with(&sample());
        let mut s: State = serde_json::from_str(&pull(&b).expect("pull")).expect("parse");
        assert_eq!(s.serial, 1);
        s.resources.remove("local_file.a");
        s.serial = 7;
        s.outputs.insert(
            "o".into(),
            OutputState {
                value: Value::String("v".into()),
                type_name: "string".into(),
                sensitive: false,
            },
        );
        assert_eq!(
            push(&b, &serde_json::to_string(&s).expect("json"), false).expect("push"),
            8
        );
        let now = b.load().expect("load");
        assert!(!now.resources.contains_key("local_file.a"));
        assert_eq!(now.outputs, s.outputs);
        assert_eq!(now.serial, 8);
    }

    #[test]
    fn push_refusals_and_force() {
        let (_dir, b) = backend_with(&sample());
        b.persist(&mut b.load().expect("load")).expect("persist"); // serial 2
        let current: State = serde_json::from_str(&pull(&b).expect("pull")).expect("parse");

        let mut other = current.clone();
        other.lineage = "another".into();
        other.serial = 10;
        let e = err_text(push(&b, &serde_json::to_string(&other).expect("json"), false));
        assert!(e.contains("lineage") && e.contains("--force"), "{e}");

        let mut older = current.clone();
        older.serial = 1;
        let e = err_text(push(&b, &serde_json::to_string(&older).expect("json"), false));
        assert!(e.contains("older") && e.contains("--force"), "{e}");

        let mut same_serial = current.clone();
        same_serial.resources.clear();
        let e = err_text(push(&b, &serde_json::to_string(&same_serial).expect("json"), false));
        assert!(e.contains("same serial") && e.contains("--force"), "{e}");

        let e = err_text(push(&b, "{\"version\": 1,", false));
        assert!(e.contains("not a valid Plinth state") && e.contains("line 1"), "{e}");
        let e = err_text(push(&b, r#"{"version": 5, "lineage": "x", "serial": 1}"#, false));
        assert!(e.contains("upgrade Plinth"), "{e}");
        assert_eq!(b.load().expect("load"), current);

        // Unchanged content at the same serial is fine.
        assert_eq!(
            push(&b, &serde_json::to_string(&current).expect("json"), false).expect("push"),
            3
        );

        // --force: serial becomes max(old, new) + 1.
        assert_eq!(
            push(&b, &serde_json::to_string(&older).expect("json"), true).expect("push"),
            4
        );
        assert_eq!(
            push(&b, &serde_json::to_string(&other).expect("json"), true).expect("push"),
            11
        );
        assert_eq!(b.load().expect("load").lineage, "another");
    }

    #[test]
    fn push_into_empty_or_corrupt_state() {
        let dir = tempfile::tempdir().expect("tempdir");
        let b = LocalBackend::new(dir.path(), "fresh");
        let mut s = sample();
        s.serial = 3;
        assert_eq!(
            push(&b, &serde_json::to_string(&s).expect("json"), false).expect("push"),
            4
        );
        assert_eq!(b.load().expect("load").lineage, s.lineage);

        std::fs::write(b.dir().join("state.json"), "{ broken").expect("write");
        assert!(matches!(
            push(&b, &serde_json::to_string(&s).expect("json"), false),
            Err(StateError::Corrupt { .. })
        ));
        assert_eq!(
            push(&b, &serde_json::to_string(&s).expect("json"), true).expect("push"),
            4
        );
        assert_eq!(b.load().expect("load").resources, s.resources);
    }
}
