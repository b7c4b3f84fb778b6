//! Resource addresses, typed: the one place that knows how `module.a["x"].data.aws_x.y[0]` is
//! spelled, parsed, ordered and matched (as Terraform's `addrs` package).
//!
//! An address is a module instance path (module calls, each with an optional instance key), a
//! mode (managed resource or data source), a type, a name and an instance key. [`Address`] is what
//! a user writes (`--target`, `state rm`, `state mv`): a module or a resource, where a left-out key
//! may stand for several instances. [`ResourceInstance`] is one instance; [`StateKey`] is the key
//! of an object in `state.json`, an instance plus the deposed marker a `create_before_destroy`
//! replacement leaves while both objects exist.
//!
//! Parsing and [`std::fmt::Display`] round-trip exactly in Terraform's syntax, and every typed
//! address (de)serializes as its display string, so state files, plan files and JSON keep their
//! text. A bad address is one [`ParseError`] naming the column of the mistake. What an address
//! *means* (which instances exist, which node of the graph it is) is left to the graph, the
//! planner and `state::ops`; this module only knows the syntax and how to compare.

mod parse;

use std::cmp::Ordering;
use std::fmt::{self, Write as _};

pub use parse::ParseError;

/// An instance key: none (a single instance), a `count` index, or a `for_each` key.
///
/// Ordered none, then indexes numerically, then keys as strings, so `x[2]` comes before `x[10]`.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Key {
    None,
    Int(usize),
    Str(String),
}

impl fmt::Display for Key {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Key::None => Ok(()),
            Key::Int(i) => write!(f, "[{i}]"),
            Key::Str(s) => write!(f, "[{s:?}]"),
        }
    }
}

/// A module instance: the call names and keys from the root (`[]` for the root).
pub type ModInst = Vec<(String, Key)>;

/// Managed resource or data source.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Mode {
    Managed,
    Data,
}

/// A resource within its module: mode, type and name (`local_file.a`, `data.local_file.a`).
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Resource {
    pub mode: Mode,
    pub type_name: String,
    pub name: String,
}

/// One resource instance anywhere in the module tree.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct ResourceInstance {
    pub module: ModInst,
    pub resource: Resource,
    pub key: Key,
}

/// What a user writes to select instances: a module instance (`module.a`, `module.a[0].module.b`)
/// or a resource instance (`local_file.x`, `module.a.local_file.x["k"]`). A key left out may stand
/// for every key; [`Address::selects`] and [`Address::targets`] say which rule applies where.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum Address {
    Module(ModInst),
    Instance(ResourceInstance),
}

/// The key of an object in state: the instance's address, or `ADDRESS (deposed)` for the old
/// object of a `create_before_destroy` replacement that is not deleted yet.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct StateKey {
    pub instance: ResourceInstance,
    pub deposed: bool,
}

/// What `StateKey` appends to a deposed object's address (the text `state.json` has always had).
const DEPOSED_SUFFIX: &str = " (deposed)";

/// A borrowed view of one resource instance, for matching without building a [`ResourceInstance`]
/// (the walk has the parts at hand for every instance).
#[derive(Clone, Copy, Debug)]
pub struct InstanceRef<'a> {
    pub module: &'a [(String, Key)],
    pub mode: Mode,
    pub type_name: &'a str,
    pub name: &'a str,
    pub key: &'a Key,
}

// ---------------------------------------------------------------------------------------------
// Display

/// Writes `module.a[0].module.b.` (nothing for the root).
fn write_module_prefix(out: &mut impl fmt::Write, mi: &[(String, Key)]) -> fmt::Result {
    for (name, key) in mi {
        write!(out, "module.{name}{key}.")?;
    }
    Ok(())
}

/// The address prefix of a module instance: `module.a[0].module.b.` (empty for the root).
pub fn module_prefix(mi: &[(String, Key)]) -> String {
    let mut s = String::new();
    let _ = write_module_prefix(&mut s, mi);
    s
}

/// The address prefix of a static module path: `module.a.module.b.` (empty for the root).
pub fn path_prefix(path: &[String]) -> String {
    let mut s = String::with_capacity(path.iter().map(|p| p.len() + 8).sum());
    for p in path {
        s.push_str("module.");
        s.push_str(p);
        s.push('.');
    }
    s
}

/// The full address of a resource instance from its parts, formatted in one allocation: the walk
/// calls this once per instance.
pub fn instance_address(mi: &[(String, Key)], local_addr: &str, key: &Key) -> String {
    let mut s = String::with_capacity(local_addr.len() + mi.iter().map(|(n, _)| n.len() + 12).sum::<usize>() + 8);
    let _ = write_module_prefix(&mut s, mi);
    s.push_str(local_addr);
    let _ = write!(s, "{key}");
    s
}

impl Mode {
    /// `managed` or `data`, as state and JSON plans write the mode.
    pub fn as_str(self) -> &'static str {
        match self {
            Mode::Managed => "managed",
            Mode::Data => "data",
        }
    }
}

impl fmt::Display for Mode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The address of a resource within its module, from its parts: `local_file.a`,
/// `data.local_file.a`.
pub fn local_address(mode: Mode, type_name: &str, name: &str) -> String {
    match mode {
        Mode::Managed => format!("{type_name}.{name}"),
        Mode::Data => format!("data.{type_name}.{name}"),
    }
}

impl Key {
    /// The key as JSON, as Terraform writes `index`: `null`, a number or a string.
    pub fn to_json(&self) -> serde_json::Value {
        match self {
            Key::None => serde_json::Value::Null,
            Key::Int(i) => serde_json::Value::from(*i),
            Key::Str(s) => serde_json::Value::String(s.clone()),
        }
    }

    /// The key [`Key::to_json`] wrote; `None` for any other JSON.
    pub fn from_json(j: &serde_json::Value) -> Option<Key> {
        match j {
            serde_json::Value::Null => Some(Key::None),
            serde_json::Value::Number(n) => n.as_u64().and_then(|n| usize::try_from(n).ok()).map(Key::Int),
            serde_json::Value::String(s) => Some(Key::Str(s.clone())),
            _ => None,
        }
    }
}

impl fmt::Display for Resource {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // `local_address` without its allocation.
        if self.mode == Mode::Data {
            f.write_str("data.")?;
        }
        write!(f, "{}.{}", self.type_name, self.name)
    }
}

impl fmt::Display for ResourceInstance {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write_module_prefix(f, &self.module)?;
        write!(f, "{}{}", self.resource, self.key)
    }
}

impl fmt::Display for Address {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Address::Module(mi) => {
                for (i, (name, key)) in mi.iter().enumerate() {
                    if i > 0 {
                        f.write_str(".")?;
                    }
                    write!(f, "module.{name}{key}")?;
                }
                Ok(())
            }
            Address::Instance(r) => r.fmt(f),
        }
    }
}

impl fmt::Display for StateKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.instance.fmt(f)?;
        if self.deposed {
            f.write_str(DEPOSED_SUFFIX)?;
        }
        Ok(())
    }
}

// ---------------------------------------------------------------------------------------------
// Ordering: module path first (the root before any module), then data sources before managed
// resources, then type, name and key. This is the order `plinth state list` prints.

impl Ord for Resource {
    fn cmp(&self, other: &Self) -> Ordering {
        let data_first = |m: Mode| m != Mode::Data;
        (data_first(self.mode), &self.type_name, &self.name).cmp(&(
            data_first(other.mode),
            &other.type_name,
            &other.name,
        ))
    }
}

impl PartialOrd for Resource {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for ResourceInstance {
    fn cmp(&self, other: &Self) -> Ordering {
        (&self.module, &self.resource, &self.key).cmp(&(&other.module, &other.resource, &other.key))
    }
}

impl PartialOrd for ResourceInstance {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl Address {
    fn sort_key(&self) -> (&ModInst, Option<(&Resource, &Key)>) {
        match self {
            Address::Module(mi) => (mi, None),
            Address::Instance(r) => (&r.module, Some((&r.resource, &r.key))),
        }
    }
}

impl Ord for Address {
    fn cmp(&self, other: &Self) -> Ordering {
        self.sort_key().cmp(&other.sort_key())
    }
}

impl PartialOrd for Address {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for StateKey {
    fn cmp(&self, other: &Self) -> Ordering {
        (&self.instance, self.deposed).cmp(&(&other.instance, other.deposed))
    }
}

impl PartialOrd for StateKey {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

// ---------------------------------------------------------------------------------------------
// Parsing

impl std::str::FromStr for Address {
    type Err = ParseError;
    fn from_str(s: &str) -> Result<Self, ParseError> {
        parse::address(s)
    }
}

impl std::str::FromStr for ResourceInstance {
    type Err = ParseError;
    fn from_str(s: &str) -> Result<Self, ParseError> {
        match parse::address(s)? {
            Address::Instance(r) => Ok(r),
            Address::Module(_) => Err(ParseError::new(
                s.chars().count() + 1,
                "expected a resource after the module path (like module.m.local_file.a)",
            )),
        }
    }
}

impl std::str::FromStr for StateKey {
    type Err = ParseError;
    fn from_str(s: &str) -> Result<Self, ParseError> {
        let (text, deposed) = match s.strip_suffix(DEPOSED_SUFFIX) {
            Some(t) => (t, true),
            None => (s, false),
        };
        Ok(StateKey {
            instance: text.parse()?,
            deposed,
        })
    }
}

impl Address {
    pub fn parse(s: &str) -> Result<Self, ParseError> {
        s.parse()
    }
}

impl ResourceInstance {
    pub fn parse(s: &str) -> Result<Self, ParseError> {
        s.parse()
    }
}

impl StateKey {
    pub fn parse(s: &str) -> Result<Self, ParseError> {
        s.parse()
    }

    /// The key under which the replaced object of `instance` waits for its delete.
    pub fn deposed(instance: ResourceInstance) -> Self {
        StateKey {
            instance,
            deposed: true,
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Accessors and matching

impl Resource {
    pub fn new(mode: Mode, type_name: impl Into<String>, name: impl Into<String>) -> Self {
        Resource {
            mode,
            type_name: type_name.into(),
            name: name.into(),
        }
    }

    /// Whether this is the resource `mode`, `type_name`, `name`.
    pub fn is(&self, mode: Mode, type_name: &str, name: &str) -> bool {
        self.mode == mode && self.type_name == type_name && self.name == name
    }
}

impl ResourceInstance {
    pub fn as_ref(&self) -> InstanceRef<'_> {
        InstanceRef {
            module: &self.module,
            mode: self.resource.mode,
            type_name: &self.resource.type_name,
            name: &self.resource.name,
            key: &self.key,
        }
    }

    /// The address without any instance key, the modules' keys dropped too:
    /// `module.a[0].local_file.b["x"]` -> `module.a.local_file.b`. Resource dependencies and
    /// `lifecycle` rules are keyed by this form.
    pub fn static_string(&self) -> String {
        let mut s = String::new();
        for (name, _) in &self.module {
            s.push_str("module.");
            s.push_str(name);
            s.push('.');
        }
        let _ = write!(s, "{}", self.resource);
        s
    }

    /// The resource address without its own instance key: `module.a[0].local_file.b`.
    pub fn resource_string(&self) -> String {
        let mut s = module_prefix(&self.module);
        let _ = write!(s, "{}", self.resource);
        s
    }
}

impl<'a> InstanceRef<'a> {
    fn module_names_eq(&self, names: &[String]) -> bool {
        self.module.len() == names.len() && self.module.iter().zip(names).all(|((n, _), p)| n == p)
    }

    fn resource_is(&self, r: &Resource) -> bool {
        r.is(self.mode, self.type_name, self.name)
    }
}

/// Whether `filter`'s key lets `key` through: a left-out key stands for every key.
fn key_ok(filter: &Key, key: &Key) -> bool {
    *filter == Key::None || filter == key
}

impl Address {
    /// The module path the address names or sits in.
    pub fn module(&self) -> &ModInst {
        match self {
            Address::Module(mi) => mi,
            Address::Instance(r) => &r.module,
        }
    }

    /// The rule of the `state` commands: every key left out stands for every key, so
    /// `module.m.local_file.x` selects `module.m[1].local_file.x["k"]`.
    pub fn selects(&self, inst: InstanceRef<'_>) -> bool {
        let m = self.module();
        let modules_ok = m.len() <= inst.module.len()
            && m.iter()
                .zip(inst.module)
                .all(|((fname, fkey), (name, key))| fname == name && key_ok(fkey, key));
        match self {
            Address::Module(_) => modules_ok,
            Address::Instance(f) => {
                modules_ok && m.len() == inst.module.len() && inst.resource_is(&f.resource) && key_ok(&f.key, inst.key)
            }
        }
    }

    /// The rule of `--target`: the address read as a prefix of the instance's, where only the
    /// last step's key may be left out. `module.a` targets `module.a[0].local_file.x`;
    /// `module.a.local_file.x` targets `module.a.local_file.x[3]` but not
    /// `module.a["k"].local_file.x`.
    pub fn targets(&self, inst: InstanceRef<'_>) -> bool {
        match self {
            Address::Module(m) => {
                let Some(((last_name, last_key), init)) = m.split_last() else {
                    return true;
                };
                inst.module.len() > init.len()
                    && inst.module[..init.len()] == *init
                    && inst.module[init.len()].0 == *last_name
                    && key_ok(last_key, &inst.module[init.len()].1)
            }
            Address::Instance(t) => {
                t.module.as_slice() == inst.module && inst.resource_is(&t.resource) && key_ok(&t.key, inst.key)
            }
        }
    }

    /// [`Address::targets`] for a configuration object of the static graph: a resource
    /// (`resource` given) or another object in the module at `path`. Keys are ignored, since every
    /// instance of a targeted object's module may hold targeted instances.
    pub fn targets_static(&self, path: &[String], resource: Option<&Resource>) -> bool {
        let m = self.module();
        let prefix_ok = m.len() <= path.len() && m.iter().zip(path).all(|((n, _), p)| n == p);
        match self {
            Address::Module(_) => prefix_ok && (resource.is_some() || !path.is_empty()),
            Address::Instance(t) => m.len() == path.len() && prefix_ok && resource == Some(&t.resource),
        }
    }

    /// Whether this is a keyed address of `inst`'s resource (the same resource, but a key in it
    /// that picks some instances only). Used to leave the other instances alone.
    pub fn picks_instances_of(&self, inst: InstanceRef<'_>) -> bool {
        match self {
            Address::Module(_) => false,
            Address::Instance(t) => {
                let same_resource = inst.module.len() == t.module.len()
                    && inst.module.iter().zip(&t.module).all(|((n, _), (p, _))| n == p)
                    && inst.resource_is(&t.resource);
                let keyed = t.key != Key::None || t.module.iter().any(|(_, k)| *k != Key::None);
                same_resource && keyed
            }
        }
    }
}

impl InstanceRef<'_> {
    pub fn to_instance(&self) -> ResourceInstance {
        ResourceInstance {
            module: self.module.to_vec(),
            resource: Resource::new(self.mode, self.type_name, self.name),
            key: self.key.clone(),
        }
    }

    /// Whether the instance sits in the static module `path` (keys ignored).
    pub fn in_static_module(&self, path: &[String]) -> bool {
        self.module_names_eq(path)
    }
}

// ---------------------------------------------------------------------------------------------
// Serde: every address is its display string.

macro_rules! serde_as_string {
    ($t:ty, $what:literal) => {
        impl serde::Serialize for $t {
            fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.collect_str(self)
            }
        }

        impl<'de> serde::Deserialize<'de> for $t {
            fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                let text = <std::borrow::Cow<'de, str>>::deserialize(d)?;
                text.parse()
                    .map_err(|e| serde::de::Error::custom(format!("invalid {} {text:?}: {e}", $what)))
            }
        }
    };
}

serde_as_string!(Address, "address");
serde_as_string!(ResourceInstance, "resource instance address");
serde_as_string!(StateKey, "state address");

#[cfg(test)]
mod tests;
