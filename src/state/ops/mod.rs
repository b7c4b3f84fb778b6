//! The logic behind `plinth state list|show|rm|mv|pull|push` and `plinth taint|untaint`, over any
//! [`Backend`].
//!
//! The CLI parses arguments and prints; everything else is here. Functions that write take the
//! backend's lock themselves and persist a new snapshot; the read-only ones work on a loaded
//! [`State`] (or load one without locking). This file holds selection (`list`, `rm`) and what
//! the commands share; `show` renders one instance, `mv` renames, `taint` marks one instance
//! tainted or not, `json` is the state as JSON text (`pull`, `push`, and the snapshot format the
//! local backend writes).
//!
//! Addresses are matched structurally, not as strings ([`crate::addrs`]): `module.a` does not
//! match `module.ab`. Wherever an address leaves out an instance key, it stands for every
//! instance: `local_file.x` matches `local_file.x[0]` and `local_file.x["k"]`, `module.m` matches
//! `module.m[1]`.

mod json;
mod mv;
mod show;
mod taint;

#[cfg(test)]
mod fixtures;

use std::cmp::Ordering;
use std::collections::BTreeSet;

pub use json::{canonicalize, pull, push, to_json};
pub use mv::mv;
pub use show::show;
pub use taint::{Marked, set_tainted};

use super::{Backend, State, StateError};
use crate::addrs::{Address, ResourceInstance};

fn parse_arg(s: &str) -> Result<Address, StateError> {
    Address::parse(s).map_err(|e| StateError::Other(format!("invalid address {s:?}: {e}")))
}

/// The state's addresses, parsed. A key that does not parse as an instance (a deposed object,
/// a hand-edited key) matches only itself and sorts last.
fn parsed_addresses(state: &State) -> Vec<(&String, Option<ResourceInstance>)> {
    state
        .resources
        .keys()
        .map(|k| (k, ResourceInstance::parse(k).ok()))
        .collect()
}

/// The order `state list` prints: [`ResourceInstance`]'s (root module first, data sources before
/// managed resources, numeric keys numerically), then keys that do not parse, by text.
fn sort_addresses(addrs: &mut [(String, Option<ResourceInstance>)]) {
    addrs.sort_by(|(sa, a), (sb, b)| match (a, b) {
        (Some(a), Some(b)) => a.cmp(b).then_with(|| sa.cmp(sb)),
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

/// `plinth state list [FILTER...]`: the instance addresses selected by any filter (all of them
/// when there is none). A filter selects an address equal to it, the instances of a resource
/// (`local_file.x`), or everything in a module (`module.a`).
pub fn list(state: &State, filters: &[String]) -> Vec<String> {
    let filters: Vec<(&String, Option<Address>)> = filters.iter().map(|f| (f, Address::parse(f).ok())).collect();
    let mut out: Vec<(String, Option<ResourceInstance>)> = parsed_addresses(state)
        .into_iter()
        .filter(|(key, addr)| {
            filters.is_empty()
                || filters.iter().any(|(f, fa)| {
                    *f == *key || matches!((fa, addr), (Some(fa), Some(addr)) if fa.selects(addr.as_ref()))
                })
        })
        .map(|(k, a)| (k.clone(), a))
        .collect();
    sort_addresses(&mut out);
    out.into_iter().map(|(k, _)| k).collect()
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
    let parsed: Vec<(&String, Address)> = addrs.iter().map(|a| Ok((a, parse_arg(a)?))).collect::<Result<_, _>>()?;
    let _lock = backend.lock("state rm")?;
    let mut state = backend.load()?;
    let mut removed = BTreeSet::new();
    {
        let keys = parsed_addresses(&state);
        for (text, filter) in &parsed {
            let selected: Vec<&String> = keys
                .iter()
                .filter(|(key, addr)| *key == *text || addr.as_ref().is_some_and(|a| filter.selects(a.as_ref())))
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
    let mut out: Vec<(String, Option<ResourceInstance>)> = removed
        .into_iter()
        .map(|k| {
            let a = ResourceInstance::parse(&k).ok();
            (k, a)
        })
        .collect();
    sort_addresses(&mut out);
    Ok(out.into_iter().map(|(k, _)| k).collect())
}

#[cfg(test)]
mod tests {
    use super::fixtures::*;
    use super::*;

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
        let _held = b.lock("test").expect("lock");
        assert!(matches!(
            rm(&b, &strings(&["local_file.a"])),
            Err(StateError::Locked { .. })
        ));
    }
}
