//! Refactoring the prior state before planning: `moved` blocks rename objects in it, `removed`
//! blocks with `destroy = false` mark objects to forget (Terraform's `refactoring` package).
//!
//! The planner plans against the state [`resolve`] returns, so a moved object is planned at its
//! new address from its old object (a no-op, or an update if the configuration changed too),
//! never as a delete and a create. Each change of a moved object carries its previous address;
//! apply journals the move before anything else (`JournalEntry::Move`), so the plan shows every
//! move and apply makes none of its own. Addresses are matched through [`crate::addrs`]; every
//! mistake (a cycle, two blocks moving the same object, a destination that is taken, a `removed`
//! block for something still configured) is an error naming the blocks by file:line:col.

use std::borrow::Cow;
use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::Path;

use crate::addrs::{Address, Key, ModInst, ResourceInstance, StateKey, path_prefix};
use crate::config::Module;
use crate::config::refactor::Moved;
use crate::diag::{Diagnostic, Diagnostics, Sources, Span};
use crate::state::{ResourceState, State};

/// The prior state with the configuration's refactoring applied.
#[derive(Debug, Default)]
pub struct Refactor<'a> {
    /// The prior state with every move made: the prior state itself, borrowed, when the
    /// configuration has no `moved` block (a state of 100,000 instances is not copied to move
    /// nothing).
    pub state: Cow<'a, State>,
    /// New state key -> old state key, for each object that moved.
    pub previous: HashMap<String, String>,
    /// State keys (after moves) that `removed { lifecycle { destroy = false } }` forgets.
    pub forget: HashSet<String>,
}

/// One `moved` block with the static module path it was written in.
struct Stmt<'a> {
    path: &'a [String],
    moved: &'a Moved,
    /// `from` and `to` as absolute text (`module.p.local_file.a[0]`), to tell chains.
    from: String,
    to: String,
}

/// Applies every `moved` block of `root` to `state` (chains in order), and finds what `removed`
/// blocks forget. `sources` and `base` name blocks in messages.
pub fn resolve<'a>(
    root: &Module,
    sources: &Sources,
    base: &Path,
    state: &'a State,
) -> Result<Refactor<'a>, Diagnostics> {
    let mut diags = Diagnostics::default();
    let at = |span: &Option<Span>| {
        span.as_ref()
            .and_then(|s| sources.location(s, base))
            .unwrap_or_else(|| "?".to_string())
    };
    let mut stmts = Vec::new();
    root.walk(&mut |m| {
        for mv in &m.moved {
            let prefix = path_prefix(&m.path);
            stmts.push(Stmt {
                path: &m.path,
                moved: mv,
                from: format!("{prefix}{}", mv.from),
                to: format!("{prefix}{}", mv.to),
            });
        }
    });

    // Two blocks moving one object, or two objects onto one address.
    for (i, a) in stmts.iter().enumerate() {
        for b in &stmts[i + 1..] {
            let (what, addr) = if a.from == b.from {
                ("from", &a.from)
            } else if a.to == b.to {
                ("to", &a.to)
            } else {
                continue;
            };
            diags.push(
                Diagnostic::error("Ambiguous move statements")
                    .with_detail(format!(
                        "the moved blocks at {} and {} both have {what} = {addr}; keep one of them",
                        at(&a.moved.span),
                        at(&b.moved.span)
                    ))
                    .with_span(b.moved.span.clone()),
            );
        }
    }

    // A move from something still declared would leave its block planning a new object.
    for s in &stmts {
        let same_object = match (&s.moved.from, &s.moved.to) {
            (Address::Instance(f), Address::Instance(t)) => {
                f.resource == t.resource && names(&f.module) == names(&t.module)
            }
            (Address::Module(f), Address::Module(t)) => names(f) == names(t),
            _ => false,
        };
        if same_object {
            continue;
        }
        if let Some(declared) = declared_at(root, s.path, &s.moved.from) {
            diags.push(
                Diagnostic::error("Moved object still exists")
                    .with_detail(format!(
                        "the moved block at {} moves {} away, but it is still declared at {}; delete that block, or rename it to {}",
                        at(&s.moved.span),
                        s.from,
                        at(&declared),
                        s.to
                    ))
                    .with_span(s.moved.span.clone()),
            );
        }
    }

    let order = match chain_order(&stmts) {
        Ok(o) => o,
        Err(cycle) => {
            let blocks: Vec<String> = cycle
                .iter()
                .map(|&i| format!("{} ({} to {})", at(&stmts[i].moved.span), stmts[i].from, stmts[i].to))
                .collect();
            diags.push(
                Diagnostic::error("Cyclic dependency in move statements")
                    .with_detail(format!(
                        "these moved blocks move objects in a circle: {}; remove the block that moves an object back",
                        blocks.join(", ")
                    ))
                    .with_span(stmts[cycle[0]].moved.span.clone()),
            );
            return Err(diags);
        }
    };
    if diags.has_errors() {
        return Err(diags);
    }

    // Move every object through the chain of blocks that apply to it (none without blocks: the
    // state is then used as it is).
    let mut resources: BTreeMap<String, ResourceState> = BTreeMap::new();
    // New key -> (old key, the last block that moved it).
    let mut moved_by: HashMap<String, (String, usize)> = HashMap::new();
    let mut refactor = Refactor::default();
    let moving = !stmts.is_empty();
    for (old, rs) in state.resources.iter().filter(|_| moving) {
        let Ok(key) = StateKey::parse(old) else {
            resources.insert(old.clone(), rs.clone());
            continue;
        };
        let mut inst = key.instance.clone();
        let mut last = None;
        for &i in &order {
            let s = &stmts[i];
            if let Some(new) = rewrite(&inst, s.path, &s.moved.from, &s.moved.to) {
                inst = new;
                last = Some(i);
            }
        }
        let new = StateKey {
            instance: inst,
            deposed: key.deposed,
        }
        .to_string();
        if let Some(i) = last
            && new != *old
        {
            moved_by.insert(new.clone(), (old.clone(), i));
            refactor.previous.insert(new.clone(), old.clone());
        }
        if resources.insert(new.clone(), rs.clone()).is_some() {
            collision(&mut diags, &new, &moved_by, &stmts, &at);
        }
    }
    if diags.has_errors() {
        return Err(diags);
    }
    rewrite_dependencies(&mut resources, &stmts, &order);
    let keys = if moving { &resources } else { &state.resources };

    // `removed` blocks.
    root.walk(&mut |m| {
        for rm in &m.removed {
            let declared = declared_at(root, &m.path, &rm.from);
            if let Some(span) = declared {
                diags.push(
                    Diagnostic::error(format!(
                        "Removed {} still exists",
                        match rm.from {
                            Address::Module(_) => "module",
                            Address::Instance(_) => "resource",
                        }
                    ))
                    .with_detail(format!(
                        "the removed block at {} is for {}{}, which is still declared at {}; delete that block, or the removed block",
                        at(&rm.span),
                        path_prefix(&m.path),
                        rm.from,
                        at(&span)
                    ))
                    .with_span(rm.span.clone()),
                );
                continue;
            }
            if rm.destroy {
                // A resource without configuration is destroyed anyway; the block only documents it.
                continue;
            }
            let absolute = absolute(&m.path, &rm.from);
            for key in keys.keys() {
                if let Ok(k) = StateKey::parse(key)
                    && absolute.selects(k.instance.as_ref())
                {
                    refactor.forget.insert(key.clone());
                }
            }
        }
    });
    if diags.has_errors() {
        return Err(diags);
    }
    refactor.state = if moving {
        Cow::Owned(State {
            version: state.version,
            lineage: state.lineage.clone(),
            serial: state.serial,
            resources,
            outputs: state.outputs.clone(),
        })
    } else {
        Cow::Borrowed(state)
    };
    Ok(refactor)
}

/// Reports two objects landing on one address.
fn collision(
    diags: &mut Diagnostics,
    new: &str,
    moved_by: &HashMap<String, (String, usize)>,
    stmts: &[Stmt<'_>],
    at: &dyn Fn(&Option<Span>) -> String,
) {
    let Some((_, i)) = moved_by.get(new) else {
        return;
    };
    let s = &stmts[*i];
    diags.push(
        Diagnostic::error(format!("Cannot move to {new}: the address is already in use"))
            .with_detail(format!(
                "the moved block at {} moves an object to {new}, but the state already has an object there; remove it first (`plinth state rm {new}`) or move it elsewhere",
                at(&s.moved.span)
            ))
            .with_span(s.moved.span.clone()),
    );
}

/// The order to apply blocks in: a block whose `to` can hold what another block's `from` selects
/// comes first, so `a -> b` then `b -> c` takes an object at `a` to `c`. A cycle is returned as
/// its blocks.
fn chain_order(stmts: &[Stmt<'_>]) -> Result<Vec<usize>, Vec<usize>> {
    let n = stmts.len();
    let overlap = |a: &Stmt<'_>, b: &Stmt<'_>| {
        let (wa, wb) = (wild(a.moved), wild(b.moved));
        a.to == b.from || extends(&b.from, &a.to, wa) || extends(&a.to, &b.from, wb)
    };
    let mut after: Vec<Vec<usize>> = vec![Vec::new(); n];
    let mut waiting = vec![0usize; n];
    for (i, a) in stmts.iter().enumerate() {
        for (j, b) in stmts.iter().enumerate() {
            if i != j && overlap(a, b) {
                after[i].push(j);
                waiting[j] += 1;
            }
        }
    }
    let mut ready: Vec<usize> = (0..n).rev().filter(|&i| waiting[i] == 0).collect();
    let mut order = Vec::with_capacity(n);
    while let Some(i) = ready.pop() {
        order.push(i);
        for &j in &after[i] {
            waiting[j] -= 1;
            if waiting[j] == 0 {
                ready.push(j);
            }
        }
    }
    if order.len() == n {
        Ok(order)
    } else {
        Err((0..n).filter(|i| waiting[*i] > 0).collect())
    }
}

/// Whether a block moves every key (`from` and `to` leave the key of the resource, or of the last
/// module call, out), rather than the one instance it names.
fn wild(m: &Moved) -> bool {
    match (&m.from, &m.to) {
        (Address::Instance(f), Address::Instance(t)) => f.key == Key::None && t.key == Key::None,
        (Address::Module(f), Address::Module(t)) => {
            f.last().is_some_and(|l| l.1 == Key::None) && t.last().is_some_and(|l| l.1 == Key::None)
        }
        _ => false,
    }
}

/// Whether the absolute address text `x` lies inside `p`: in a module `p` names (`p.` follows), or,
/// when `p` stands for every key, an instance of it (`p[` follows).
fn extends(x: &str, p: &str, wild: bool) -> bool {
    x.strip_prefix(p)
        .is_some_and(|rest| rest.starts_with('.') || (wild && rest.starts_with('[')))
}

/// Where `inst` goes under one block written in the module at `path`, if the block applies to it.
/// A key left out of both `from` and `to` (of the resource, or of the last module call) stands
/// for every key and is kept; otherwise keys match exactly (`a.b` -> `a.b[0]` moves only the
/// keyless instance).
fn rewrite(inst: &ResourceInstance, path: &[String], from: &Address, to: &Address) -> Option<ResourceInstance> {
    let n = path.len();
    if inst.module.len() < n || !inst.module.iter().zip(path).all(|((a, _), p)| a == p) {
        return None;
    }
    let (prefix, rest) = inst.module.split_at(n);
    match (from, to) {
        (Address::Module(fm), Address::Module(tm)) => {
            let k = fm.len();
            if k == 0 || rest.len() < k {
                return None;
            }
            let wild = fm[k - 1].1 == Key::None && tm.last().is_some_and(|l| l.1 == Key::None);
            let matches = fm
                .iter()
                .zip(rest)
                .enumerate()
                .all(|(i, ((fname, fkey), (name, key)))| fname == name && (fkey == key || (i == k - 1 && wild)));
            if !matches {
                return None;
            }
            let mut tm: ModInst = tm.clone();
            if wild && let Some(last) = tm.last_mut() {
                last.1 = rest[k - 1].1.clone();
            }
            let mut module = prefix.to_vec();
            module.extend(tm);
            module.extend_from_slice(&rest[k..]);
            Some(ResourceInstance {
                module,
                resource: inst.resource.clone(),
                key: inst.key.clone(),
            })
        }
        (Address::Instance(f), Address::Instance(t)) => {
            if rest != f.module.as_slice() || inst.resource != f.resource {
                return None;
            }
            let wild = f.key == Key::None && t.key == Key::None;
            if !wild && f.key != inst.key {
                return None;
            }
            let mut module = prefix.to_vec();
            module.extend(t.module.iter().cloned());
            Some(ResourceInstance {
                module,
                resource: t.resource.clone(),
                key: if wild { inst.key.clone() } else { t.key.clone() },
            })
        }
        _ => None,
    }
}

/// The call names of a module instance path, keys left out.
fn names(m: &[(String, Key)]) -> Vec<&str> {
    m.iter().map(|(n, _)| n.as_str()).collect()
}

/// The static text of an address (every key dropped): `module.a.local_file.b`, `module.a`.
fn static_text(path: &[String], a: &Address) -> String {
    let mut s = path_prefix(path);
    match a {
        Address::Module(m) => {
            let names: Vec<String> = m.iter().map(|(n, _)| n.clone()).collect();
            s.push_str(&path_prefix(&names));
            s.pop();
        }
        Address::Instance(r) => s.push_str(&r.static_string()),
    }
    s
}

/// The dependencies recorded on objects name resources statically; whole-resource and module moves
/// rename them too, so that deletes still wait for what they depended on.
fn rewrite_dependencies(resources: &mut BTreeMap<String, ResourceState>, stmts: &[Stmt<'_>], order: &[usize]) {
    let renames: Vec<(String, String, bool)> = order
        .iter()
        .filter_map(|&i| {
            let s = &stmts[i];
            let whole = wild(s.moved);
            let module = matches!(s.moved.from, Address::Module(_));
            whole.then(|| {
                (
                    static_text(s.path, &s.moved.from),
                    static_text(s.path, &s.moved.to),
                    module,
                )
            })
        })
        .collect();
    if renames.is_empty() {
        return;
    }
    for rs in resources.values_mut() {
        for d in &mut rs.dependencies {
            for (from, to, module) in &renames {
                if d == from {
                    d.clone_from(to);
                } else if *module && let Some(rest) = d.strip_prefix(&format!("{from}.")) {
                    *d = format!("{to}.{rest}");
                }
            }
        }
    }
}

/// `from` of a block in the module at `path`, as an absolute address where the module keys left
/// out stand for every key.
fn absolute(path: &[String], from: &Address) -> Address {
    let mut module: ModInst = path.iter().map(|p| (p.clone(), Key::None)).collect();
    match from {
        Address::Module(m) => {
            module.extend(m.iter().cloned());
            Address::Module(module)
        }
        Address::Instance(r) => {
            module.extend(r.module.iter().cloned());
            Address::Instance(ResourceInstance {
                module,
                resource: r.resource.clone(),
                key: r.key.clone(),
            })
        }
    }
}

/// Where the configuration still declares what a `removed` block in the module at `path` names.
fn declared_at(root: &Module, path: &[String], from: &Address) -> Option<Option<Span>> {
    let mut names: Vec<String> = path.to_vec();
    names.extend(from.module().iter().map(|(n, _)| n.clone()));
    match from {
        Address::Module(_) => {
            let (last, parent) = names.split_last()?;
            root.descendant(parent)?.calls.get(last).map(|c| c.span.clone())
        }
        Address::Instance(r) => root
            .descendant(&names)?
            .resources
            .get(&r.resource.to_string())
            .map(|res| res.span.clone()),
    }
}

#[cfg(test)]
mod tests;
