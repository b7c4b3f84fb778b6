//! Values known so far during a walk, per module instance, and the [`Scope`] expressions see.
//!
//! A resource with `count` is stored as one list value, with `for_each` as one map, so that
//! `local_value.a[3].output` looks up one element without copying the others.

use std::collections::HashMap;
use std::path::PathBuf;

use plinth_sdk::Map;
use plinth_sdk::Value;

use crate::lang::{Scope, ScopeError, Step};

use crate::addrs::{Key, ModInst};

/// Everything evaluated so far in one module instance.
#[derive(Debug, Default)]
pub struct ModuleValues {
    pub vars: Map,
    pub locals: Map,
    /// Resources and data sources by local address: an object, a list (count) or a map (for_each).
    pub resources: HashMap<String, Value>,
    /// Module calls by name: an object of outputs, or a list/map of them.
    pub calls: HashMap<String, Value>,
}

/// Values of every module instance, plus the instances of each static module path.
#[derive(Debug, Default)]
pub struct Values {
    pub modules: HashMap<ModInst, ModuleValues>,
    /// The instances of each static module path.
    pub instances: HashMap<Vec<String>, Vec<ModInst>>,
}

impl Values {
    pub fn new() -> Self {
        let mut v = Values::default();
        v.modules.insert(Vec::new(), ModuleValues::default());
        v.instances.insert(Vec::new(), vec![Vec::new()]);
        v
    }

    pub fn module(&self, mi: &ModInst) -> Option<&ModuleValues> {
        self.modules.get(mi)
    }

    pub fn module_mut(&mut self, mi: &ModInst) -> &mut ModuleValues {
        self.modules.entry(mi.clone()).or_default()
    }

    /// Takes one instance's value out of its resource's aggregate value (leaving null), for a
    /// caller that needs it once the walk is over; `None` when there is no such instance.
    pub fn take_instance(&mut self, mi: &ModInst, local_addr: &str, key: &Key) -> Option<Value> {
        let slot = self.modules.get_mut(mi)?.resources.get_mut(local_addr)?;
        let value = match (key, slot) {
            (Key::None, slot) => slot,
            (Key::Int(i), Value::List(items)) => items.get_mut(*i)?,
            (Key::Str(k), Value::Map(m)) => m.get_mut(k.as_str())?,
            _ => return None,
        };
        Some(std::mem::take(value))
    }

    /// Stores one instance's value into its resource's aggregate value.
    pub fn set_instance(&mut self, mi: &ModInst, local_addr: &str, key: &Key, value: Value) {
        let slot = self
            .module_mut(mi)
            .resources
            .entry(local_addr.to_string())
            .or_insert(Value::Null);
        set_keyed(slot, key, value);
    }
}

/// Stores `value` at `key` inside an aggregate (object, list for count, map for for_each).
pub fn set_keyed(slot: &mut Value, key: &Key, value: Value) {
    match key {
        Key::None => *slot = value,
        Key::Int(i) => {
            if !matches!(slot, Value::List(_)) {
                *slot = Value::List(Vec::new());
            }
            if let Value::List(items) = slot {
                if items.len() <= *i {
                    items.resize(*i + 1, Value::Null);
                }
                items[*i] = value;
            }
        }
        Key::Str(k) => {
            if !matches!(slot, Value::Map(_)) {
                *slot = Value::Map(Map::new());
            }
            if let Value::Map(m) = slot {
                m.insert(k.clone(), value);
            }
        }
    }
}

/// Where names resolve for one expression: a module instance plus the per-instance names.
pub struct InstanceScope<'a> {
    pub values: &'a ModuleValues,
    pub count_index: Option<usize>,
    pub each: Option<(String, Value)>,
    pub self_value: Option<&'a Value>,
    pub path_module: PathBuf,
    pub path_root: PathBuf,
    pub path_cwd: PathBuf,
    pub env_name: &'a str,
    pub planning: bool,
}

impl<'a> InstanceScope<'a> {
    /// The scope of the root module outside any resource (checks, import blocks): `path.module`
    /// and `path.root` are `.`, `path.cwd` is `root_dir`.
    pub fn root(
        values: &'a ModuleValues,
        each: Option<(String, Value)>,
        root_dir: &std::path::Path,
        env_name: &'a str,
        planning: bool,
    ) -> Self {
        InstanceScope {
            values,
            count_index: None,
            each,
            self_value: None,
            path_module: ".".into(),
            path_root: ".".into(),
            path_cwd: root_dir.to_path_buf(),
            env_name,
            planning,
        }
    }
}

fn missing(what: &str, name: &str) -> ScopeError {
    ScopeError::new(
        format!("{what} {name:?} is not available"),
        "it was not evaluated; check the errors above",
        None,
    )
}

fn attr<'s>(steps: &'s [Step], at: usize, root: &str, hint: &str) -> Result<&'s str, ScopeError> {
    match steps.get(at) {
        Some(Step::Attr(a)) => Ok(a),
        _ => Err(ScopeError::new(
            format!("Invalid reference to {root}"),
            hint.to_string(),
            None,
        )),
    }
}

impl Scope for InstanceScope<'_> {
    fn planning(&self) -> bool {
        self.planning
    }

    fn lookup(&self, root: &str, steps: &[Step]) -> Result<(Value, usize), ScopeError> {
        match root {
            "var" => {
                let n = attr(steps, 0, root, "write var.NAME")?;
                self.values
                    .vars
                    .get(n)
                    .map(|v| (v.clone(), 1))
                    .ok_or_else(|| missing("Variable", n))
            }
            "local" => {
                let n = attr(steps, 0, root, "write local.NAME")?;
                self.values
                    .locals
                    .get(n)
                    .map(|v| (v.clone(), 1))
                    .ok_or_else(|| missing("Local value", n))
            }
            "module" => {
                let n = attr(steps, 0, root, "write module.NAME.OUTPUT")?;
                self.values
                    .calls
                    .get(n)
                    .map(|v| (v.clone(), 1))
                    .ok_or_else(|| missing("Module", n))
            }
            "data" => {
                let t = attr(steps, 0, root, "write data.TYPE.NAME")?;
                let n = attr(steps, 1, root, "write data.TYPE.NAME")?;
                let addr = format!("data.{t}.{n}");
                lookup_resource(self.values, &addr, &steps[2..]).map(|(v, used)| (v, used + 2))
            }
            "count" => match (self.count_index, steps.first()) {
                (Some(i), Some(Step::Attr(a))) if a == "index" => Ok((Value::int(i as i64), 1)),
                (None, _) => Err(ScopeError::new(
                    "Reference to \"count\" in a non-counted context",
                    "count.index is only available in a resource or module with count set",
                    None,
                )),
                _ => Err(ScopeError::new(
                    "Invalid count attribute",
                    "the only attribute of count is index",
                    Some(0),
                )),
            },
            "each" => match (&self.each, steps.first()) {
                (Some((k, _)), Some(Step::Attr(a))) if a == "key" => Ok((Value::string(k.clone()), 1)),
                (Some((_, v)), Some(Step::Attr(a))) if a == "value" => Ok((v.clone(), 1)),
                (None, _) => Err(ScopeError::new(
                    "Reference to \"each\" in a context without for_each",
                    "each.key and each.value are only available in a resource or module with for_each set",
                    None,
                )),
                _ => Err(ScopeError::new(
                    "Invalid each attribute",
                    "each has key and value",
                    Some(0),
                )),
            },
            "path" => {
                let n = attr(steps, 0, root, "write path.module, path.root or path.cwd")?;
                let p = match n {
                    "module" => &self.path_module,
                    "root" => &self.path_root,
                    "cwd" => &self.path_cwd,
                    _ => {
                        return Err(ScopeError::new(
                            format!("Unknown path attribute {n:?}"),
                            "path has module, root and cwd",
                            Some(0),
                        ));
                    }
                };
                Ok((Value::string(p.display().to_string()), 1))
            }
            "env" => match steps.first() {
                Some(Step::Attr(a)) if a == "name" => Ok((Value::string(self.env_name), 1)),
                _ => Err(ScopeError::new(
                    "Invalid env attribute",
                    "the selected environment is env.name",
                    Some(0),
                )),
            },
            // Configurations written for Terraform name the environment `terraform.workspace`;
            // a Plinth environment plays the part of a Terraform workspace.
            "terraform" => match steps.first() {
                Some(Step::Attr(a)) if a == "workspace" => Ok((Value::string(self.env_name), 1)),
                _ => Err(ScopeError::new(
                    "Invalid terraform attribute",
                    "the only attribute of terraform is workspace (the selected environment, as env.name)",
                    Some(0),
                )),
            },
            "self" => match self.self_value {
                Some(v) => Ok((v.clone(), 0)),
                None => Err(ScopeError::new(
                    "Invalid \"self\" reference",
                    "self is only available in postconditions",
                    None,
                )),
            },
            t => {
                let n = attr(steps, 0, root, "write TYPE.NAME")?;
                let addr = format!("{t}.{n}");
                lookup_resource(self.values, &addr, &steps[1..]).map(|(v, used)| (v, used + 1))
            }
        }
    }
}

/// Looks up a resource aggregate and, when the next step is an index, only that element.
fn lookup_resource(values: &ModuleValues, addr: &str, rest: &[Step]) -> Result<(Value, usize), ScopeError> {
    let Some(v) = values.resources.get(addr) else {
        return Err(missing("Resource", addr));
    };
    match (v, rest.first()) {
        (Value::List(items), Some(Step::Index(key))) if key.as_u64().is_some() => {
            let n = key.as_u64().unwrap_or_default();
            match usize::try_from(n).ok().and_then(|i| items.get(i)) {
                Some(item) => Ok((item.clone(), 1)),
                None => Err(ScopeError::new(
                    "Invalid index",
                    format!("{addr} has {} instances; index {} is out of range", items.len(), n),
                    Some(1),
                )),
            }
        }
        (Value::Map(items), Some(Step::Index(Value::String(k)))) => match items.get(k) {
            Some(item) => Ok((item.clone(), 1)),
            None => Err(ScopeError::new(
                "Invalid key",
                format!("{addr} has no instance with key {k:?}"),
                Some(1),
            )),
        },
        _ => Ok((v.clone(), 0)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn set_keyed_grows_lists_and_maps() {
        let mut v = Value::Null;
        set_keyed(&mut v, &Key::Int(2), Value::Bool(true));
        assert_eq!(v, Value::List(vec![Value::Null, Value::Null, Value::Bool(true)]));
    }
}
