//! `plinth state mv FROM TO`: renaming instances, resources and modules in the state, with the
//! dependencies recorded on other instances rewritten to match. Selection rules are the parent
//! module's; the address syntax is [`crate::addrs`]'s.

use std::collections::BTreeSet;

use super::{no_match, parse_arg};
use crate::addrs::{Address, Key, ResourceInstance};
use crate::state::{Backend, StateError};

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
    let _lock = backend.lock("state mv")?;
    let mut state = backend.load()?;
    let keys: Vec<(String, ResourceInstance)> = state
        .resources
        .keys()
        .filter_map(|k| ResourceInstance::parse(k).ok().map(|a| (k.clone(), a)))
        .collect();

    // (old key, new address)
    let mut moves: Vec<(String, ResourceInstance)> = Vec::new();
    // Dependency strings to rewrite (resource or module prefixes).
    let mut dep_rewrite: Option<(String, String)> = None;
    match (&src, &dst) {
        (Address::Instance(sr), Address::Instance(dr)) => {
            if sr.resource.mode != dr.resource.mode || sr.resource.type_name != dr.resource.type_name {
                return Err(StateError::Other(format!(
                    "cannot move {from} to {to}: the resource type differs; a move only renames"
                )));
            }
            let instances: Vec<&(String, ResourceInstance)> = keys
                .iter()
                .filter(|(_, a)| {
                    a.module == sr.module && a.resource == sr.resource && (sr.key == Key::None || a.key == sr.key)
                })
                .collect();
            if instances.is_empty() {
                return Err(no_match(from));
            }
            let whole_resource = sr.key == Key::None;
            if whole_resource && dr.key == Key::None {
                for (k, a) in &instances {
                    let mut new = dr.clone();
                    new.key = a.key.clone();
                    moves.push((k.clone(), new));
                }
                dep_rewrite = Some((src.to_string(), dst.to_string()));
            } else if instances.len() == 1 {
                moves.push((instances[0].0.clone(), dr.clone()));
            } else {
                return Err(StateError::Other(format!(
                    "{from} has {} instances; move them all to a resource address without a key, or move one instance at a time",
                    instances.len()
                )));
            }
        }
        (Address::Module(sm), Address::Module(dm)) => {
            // src selects a module path; a key left out of its last step matches any key and,
            // when the destination's last step has none either, is carried over.
            let n = sm.len();
            for (k, a) in &keys {
                if a.module.len() < n {
                    continue;
                }
                let prefix_ok = sm
                    .iter()
                    .zip(&a.module)
                    .enumerate()
                    .all(|(i, (s, m))| s.0 == m.0 && (s.1 == m.1 || (i == n - 1 && s.1 == Key::None)));
                if !prefix_ok {
                    continue;
                }
                let mut module = dm.clone();
                if sm[n - 1].1 == Key::None
                    && let Some(last) = module.last_mut()
                    && last.1 == Key::None
                {
                    last.1 = a.module[n - 1].1.clone();
                }
                module.extend_from_slice(&a.module[n..]);
                moves.push((
                    k.clone(),
                    ResourceInstance {
                        module,
                        resource: a.resource.clone(),
                        key: a.key.clone(),
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
    let staying: Vec<&ResourceInstance> = keys
        .iter()
        .filter(|(k, _)| !moving.contains(k.as_str()))
        .map(|(_, a)| a)
        .collect();
    let mut new_set = BTreeSet::new();
    for (_, new) in &moves {
        let text = new.to_string();
        let new_keyed = new.key != Key::None;
        let clash = staying.iter().any(|a| {
            **a == *new || (a.module == new.module && a.resource == new.resource && (a.key != Key::None) != new_keyed)
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

#[cfg(test)]
mod tests {
    use super::super::fixtures::*;
    use super::super::list;
    use super::*;

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
}
