//! Provider configurations across modules: which configuration of the root module a resource in
//! any module uses.
//!
//! Provider blocks live in the root module only (see `load.rs`: a child module's block with
//! arguments is refused, an empty one is a legacy declaration). A module call passes
//! configurations down with `providers = { CHILD = PARENT, ... }`; without the map, a child
//! inherits its caller's default (unaliased) configurations. [`resolve`] follows those maps from a
//! resource's module up to the root and returns the root configuration key (`aws`, `aws.west`):
//! the graph's provider edges, the walk, `plinth import` and check blocks all ask it, and the
//! state records its answer. [`check_calls`] reports the map entries that name a configuration the
//! caller does not have and the `configuration_aliases` a call does not pass; [`used`] names the
//! providers a configuration uses, whose schemas a run builds. This module knows
//! nothing of provider schemas: an unknown provider name is the graph builder's error.

use std::collections::HashSet;
use std::fmt;

use super::{Module, Resource};
use crate::diag::{Diagnostic, Diagnostics, Span};

/// The provider names `root` uses in any module: its provider blocks, and the providers of its
/// resources, data sources and check blocks' scoped data sources. Only these providers' schemas
/// are built for a configuration (`workspace::schemas`).
pub fn used(root: &Module) -> HashSet<&str> {
    let mut names = HashSet::new();
    root.walk(&mut |m: &Module| {
        names.extend(m.providers.iter().map(|p| p.name.as_str()));
        names.extend(m.resources.values().map(Resource::provider_name));
        names.extend(
            m.checks
                .values()
                .filter_map(|c| c.data.as_ref())
                .map(Resource::provider_name),
        );
    });
    names
}

/// The provider a configuration key (`aws`, `aws.west`) is a configuration of: `aws`.
pub fn name_of(key: &str) -> &str {
    key.split_once('.').map_or(key, |(name, _)| name)
}

/// A provider configuration as written in one module: `aws` or `aws.west`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ProviderAddr {
    pub name: String,
    pub alias: Option<String>,
}

impl ProviderAddr {
    /// The configuration key: `aws` or `aws.west`.
    pub fn key(&self) -> String {
        self.to_string()
    }
}

impl fmt::Display for ProviderAddr {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.alias {
            Some(a) => write!(f, "{}.{a}", self.name),
            None => f.write_str(&self.name),
        }
    }
}

/// One `CHILD = PARENT` entry of a module call's `providers` map.
#[derive(Clone, Debug)]
pub struct ProviderPass {
    /// The configuration's name inside the called module.
    pub child: ProviderAddr,
    /// The caller's configuration it stands for.
    pub parent: ProviderAddr,
    /// The whole entry, where errors about it point.
    pub span: Option<Span>,
}

/// A configuration alias a module expects its callers to pass (`configuration_aliases` in
/// `required_providers`, or a legacy empty `provider "aws" { alias = "dst" }` block).
#[derive(Clone, Debug)]
pub struct ExpectedAlias {
    pub addr: ProviderAddr,
    pub span: Option<Span>,
}

/// Where a lookup stopped: the module (by static path) that has no configuration `addr`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Unavailable {
    pub path: Vec<String>,
    pub addr: ProviderAddr,
}

/// The root configuration key that `addr`, as written in the module at `path`, stands for.
pub fn lookup(root: &Module, path: &[String], addr: &ProviderAddr) -> Result<String, Unavailable> {
    let missing = || Unavailable {
        path: path.to_vec(),
        addr: addr.clone(),
    };
    let Some((call_name, parent_path)) = path.split_last() else {
        // The root: a default configuration exists without a block (it is configured with no
        // arguments); an alias exists only with its block.
        return match &addr.alias {
            None => Ok(addr.name.clone()),
            Some(_) if root.providers.iter().any(|p| p.addr() == *addr) => Ok(addr.key()),
            Some(_) => Err(missing()),
        };
    };
    let Some(call) = root.descendant(parent_path).and_then(|p| p.calls.get(call_name)) else {
        return Err(missing());
    };
    match &call.providers {
        Some(map) => match map.iter().find(|p| p.child == *addr) {
            Some(pass) => lookup(root, parent_path, &pass.parent),
            None => Err(missing()),
        },
        None if addr.alias.is_none() => lookup(root, parent_path, addr),
        None => Err(missing()),
    }
}

/// The root configuration key resource `r` of the module at `path` uses: the one place that
/// decides it.
pub fn resolve(root: &Module, path: &[String], r: &Resource) -> Result<String, Unavailable> {
    lookup(root, path, &r.provider_addr())
}

/// `module.a.module.b`, or "the root module".
fn module_name(path: &[String]) -> String {
    if path.is_empty() {
        "the root module".to_string()
    } else {
        path.iter().map(|c| format!("module.{c}")).collect::<Vec<_>>().join(".")
    }
}

/// The error for resource `r` of module `m` whose configuration is unavailable, or `None` when
/// the cause is reported elsewhere (at a module call that does not pass what the module
/// declares, or at a `providers` entry higher up).
pub fn unavailable_error(m: &Module, r: &Resource, u: &Unavailable) -> Option<Diagnostic> {
    if u.path != m.path || m.expected_aliases.iter().any(|e| e.addr == u.addr) {
        return None;
    }
    let key = u.addr.key();
    let name = &u.addr.name;
    let d = match (m.path.split_last(), &u.addr.alias) {
        (None, alias) => Diagnostic::error(format!("Provider configuration {key} is not declared")).with_detail(
            format!(
                "add a provider \"{name}\" {{ alias = \"{}\" }} block to the root module",
                alias.as_deref().unwrap_or_default()
            ),
        ),
        (Some((call, parent)), Some(_)) => {
            Diagnostic::error(format!("Provider configuration {key} is not available in {}", module_name(&m.path)))
                .with_detail(format!(
                    "declare it in the module with terraform {{ required_providers {{ {name} = {{ configuration_aliases = [{key}] }} }} }} and pass it from {}: providers = {{ {key} = {name}.ALIAS }} in module \"{call}\"",
                    module_name(parent)
                ))
        }
        // Without a map the default is inherited, so a break here means the map leaves it out.
        (Some((call, _)), None) => {
            Diagnostic::error(format!("Provider configuration {key} is not passed to {}", module_name(&m.path)))
                .with_detail(format!(
                    "module \"{call}\" sets providers = {{ ... }}, which passes only the configurations it lists: add {key} = {name} (or another configuration of {name}) to it"
                ))
        }
    };
    Some(d.with_span(r.span.clone()))
}

/// Checks every module call's `providers` map against its caller and the called module's
/// declared aliases.
pub fn check_calls(root: &Module, diags: &mut Diagnostics) {
    root.walk(&mut |m: &Module| {
        for (name, call) in &m.calls {
            let passes = call.providers.as_deref().unwrap_or_default();
            for (i, pass) in passes.iter().enumerate() {
                if passes[..i].iter().any(|p| p.child == pass.child) {
                    diags.push(
                        Diagnostic::error(format!("Duplicate provider configuration {} in module \"{name}\"", pass.child))
                            .with_detail("each configuration of the module is passed once")
                            .with_span(pass.span.clone()),
                    );
                    continue;
                }
                if pass.child.name != pass.parent.name {
                    diags.push(
                        Diagnostic::error(format!(
                            "Provider configuration {} cannot stand for {}",
                            pass.parent, pass.child
                        ))
                        .with_detail(format!(
                            "a module's configuration of {} stands for one of the caller's {} configurations: write {} = {} or {} = {}.ALIAS",
                            pass.child.name, pass.child.name, pass.child, pass.child.name, pass.child, pass.child.name
                        ))
                        .with_span(pass.span.clone()),
                    );
                    continue;
                }
                let Err(u) = lookup(root, &m.path, &pass.parent) else {
                    continue;
                };
                // A break higher up is reported where it happens.
                if u.path != m.path {
                    continue;
                }
                let hint = match (m.path.split_last(), &pass.parent.alias) {
                    (None, Some(alias)) => format!(
                        "add provider \"{}\" {{ alias = \"{alias}\" }} to the root module",
                        pass.parent.name
                    ),
                    (None, None) => "a default configuration always exists in the root module".to_string(),
                    (Some((call, parent)), _) => format!(
                        "pass it from the caller: add {} = ... to the providers of module \"{call}\" in {}{}",
                        pass.parent,
                        module_name(parent),
                        if pass.parent.alias.is_some() {
                            format!(
                                ", and declare it in this module with configuration_aliases = [{}]",
                                pass.parent
                            )
                        } else {
                            String::new()
                        }
                    ),
                };
                diags.push(
                    Diagnostic::error(format!(
                        "Provider configuration {} is not available in {}",
                        pass.parent,
                        module_name(&m.path)
                    ))
                    .with_detail(hint)
                    .with_span(pass.span.clone()),
                );
            }
            let Some(child) = m.children.get(name) else { continue };
            for expected in &child.expected_aliases {
                if passes.iter().any(|p| p.child == expected.addr) {
                    continue;
                }
                diags.push(
                    Diagnostic::error(format!(
                        "Module \"{name}\" needs provider configuration {}",
                        expected.addr
                    ))
                    .with_detail(format!(
                        "the module declares {} in configuration_aliases: pass it with providers = {{ {} = {}.ALIAS }} in this module block",
                        expected.addr, expected.addr, expected.addr.name
                    ))
                    .with_span(call.span.clone()),
                );
            }
        }
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn resolves_through_a_providers_map() {
        let dir = tempfile::tempdir().expect("tempdir");
        std::fs::create_dir(dir.path().join("m")).expect("mkdir");
        std::fs::write(
            dir.path().join("main.hcl"),
            "provider \"local\" {\n  alias = \"west\"\n}\nmodule \"x\" {\n  source    = \"./m\"\n  providers = { local = local.west }\n}\n",
        )
        .expect("write");
        std::fs::write(
            dir.path().join("m/main.hcl"),
            "resource \"local_value\" \"v\" {\n  input = 1\n}\n",
        )
        .expect("write");
        let (config, diags) = crate::config::load::load(dir.path());
        assert!(diags.is_empty(), "{diags:?}");
        let m = config.root.descendant(&["x".to_string()]).expect("module x");
        let r = m.resources.get("local_value.v").expect("resource");
        assert_eq!(resolve(&config.root, &m.path, r), Ok("local.west".to_string()));
    }
}
