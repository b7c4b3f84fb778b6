//! Field ownership ("managed fields") and the server-side apply merge.
//!
//! A *path* is the list of map keys from an object's root down to a *leaf*. Leaves are scalars,
//! lists and empty maps; **lists are atomic** (one leaf, whoever sets the list owns all of it),
//! which is how the real server treats RBAC `rules`/`subjects` and every list without a merge key.
//! Only user content is tracked: `metadata.labels.*`, `metadata.annotations.*`,
//! `metadata.finalizers`, `metadata.ownerReferences`, and every top-level field except
//! `apiVersion`, `kind`, `metadata` and `status`.
//!
//! This module owns the ownership rules (who owns what after an apply or an update, which applied
//! fields conflict) and the FieldsV1 rendering. It knows nothing about kinds, HTTP or storage.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::{Map, Value, json};

use crate::status::ApiError;

/// Map keys from the object root to a leaf, e.g. `["metadata", "labels", "team"]`.
pub(crate) type Path = Vec<String>;

/// The set of leaf paths one manager owns.
pub(crate) type FieldSet = BTreeSet<Path>;

/// How a manager last wrote its fields.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Operation {
    /// Server-side apply (`PATCH` with `application/apply-patch+yaml`).
    Apply,
    /// Everything else: create, replace, merge/JSON patch.
    Update,
}

impl Operation {
    fn as_str(self) -> &'static str {
        match self {
            Operation::Apply => "Apply",
            Operation::Update => "Update",
        }
    }
}

/// One `metadata.managedFields` entry. Entries are keyed by `(manager, operation)`, as in the real
/// server, so a manager that both applies and updates has two entries.
#[derive(Debug, Clone)]
pub(crate) struct ManagerEntry {
    pub manager: String,
    pub operation: Operation,
    pub api_version: String,
    pub time: String,
    pub fields: FieldSet,
}

impl ManagerEntry {
    fn is(&self, manager: &str, operation: Operation) -> bool {
        self.manager == manager && self.operation == operation
    }

    /// How conflict messages name this manager: `"kubectl-edit" using v1`, or just `"plinth"`
    /// for an applier.
    fn describe(&self) -> String {
        match self.operation {
            Operation::Apply => format!("{:?}", self.manager),
            Operation::Update => format!("{:?} using {}", self.manager, self.api_version),
        }
    }

    /// The entry as it appears in `metadata.managedFields`.
    pub fn to_json(&self) -> Value {
        json!({
            "manager": self.manager,
            "operation": self.operation.as_str(),
            "apiVersion": self.api_version,
            "time": self.time,
            "fieldsType": "FieldsV1",
            "fieldsV1": fields_v1(&self.fields),
        })
    }
}

/// Whether two entry lists record the same ownership (ignoring timestamps).
pub(crate) fn same_ownership(a: &[ManagerEntry], b: &[ManagerEntry]) -> bool {
    a.len() == b.len()
        && a.iter().zip(b).all(|(x, y)| {
            x.manager == y.manager
                && x.operation == y.operation
                && x.api_version == y.api_version
                && x.fields == y.fields
        })
}

/// Renders a field set in the FieldsV1 shape: nested `"f:NAME"` keys, `{}` for leaves, and
/// `".": {}` where a manager owns a map as well as some of its keys.
pub(crate) fn fields_v1(fields: &FieldSet) -> Value {
    #[derive(Default)]
    struct Node {
        owned: bool,
        children: BTreeMap<String, Node>,
    }
    fn render(node: &Node) -> Value {
        let mut m = Map::new();
        if node.owned && !node.children.is_empty() {
            m.insert(".".into(), json!({}));
        }
        for (k, child) in &node.children {
            m.insert(format!("f:{k}"), render(child));
        }
        Value::Object(m)
    }
    let mut root = Node::default();
    for path in fields {
        let mut node = &mut root;
        for seg in path {
            node = node.children.entry(seg.clone()).or_default();
        }
        node.owned = true;
    }
    render(&root)
}

/// The path as field-manager conflicts print it: `.metadata.labels.team`.
pub(crate) fn path_string(path: &[String]) -> String {
    path.iter().map(|s| format!(".{s}")).collect()
}

/// Every tracked leaf of `object` with its value.
pub(crate) fn tracked_leaves(object: &Value) -> BTreeMap<Path, Value> {
    let mut out = BTreeMap::new();
    let Some(map) = object.as_object() else { return out };
    for (k, v) in map {
        match k.as_str() {
            "apiVersion" | "kind" | "status" => {}
            "metadata" => {
                if let Some(meta) = v.as_object() {
                    for key in ["labels", "annotations", "finalizers", "ownerReferences"] {
                        if let Some(v) = meta.get(key) {
                            collect_leaves(v, vec!["metadata".into(), key.into()], &mut out);
                        }
                    }
                }
            }
            _ => collect_leaves(v, vec![k.clone()], &mut out),
        }
    }
    out
}

fn collect_leaves(value: &Value, path: Path, out: &mut BTreeMap<Path, Value>) {
    match value {
        Value::Object(m) if !m.is_empty() => {
            for (k, v) in m {
                let mut p = path.clone();
                p.push(k.clone());
                collect_leaves(v, p, out);
            }
        }
        Value::Null => {}
        other => {
            out.insert(path, other.clone());
        }
    }
}

/// The value at `path`, if every step is a map key that exists.
pub(crate) fn get_path<'a>(object: &'a Value, path: &[String]) -> Option<&'a Value> {
    path.iter().try_fold(object, |v, seg| v.as_object()?.get(seg))
}

/// Sets the value at `path`, creating (or replacing non-map) intermediate maps.
pub(crate) fn set_path(object: &mut Value, path: &[String], value: Value) {
    let Some((last, parents)) = path.split_last() else {
        *object = value;
        return;
    };
    let mut node = object;
    for seg in parents {
        if !node.is_object() {
            *node = Value::Object(Map::new());
        }
        let Value::Object(m) = node else { return };
        node = m.entry(seg.clone()).or_insert_with(|| Value::Object(Map::new()));
    }
    if !node.is_object() {
        *node = Value::Object(Map::new());
    }
    if let Value::Object(m) = node {
        m.insert(last.clone(), value);
    }
}

/// Removes the value at `path`, then prunes maps left empty by the removal, from the innermost
/// outwards. Never prunes the root or `metadata`, nor a map `keep` says someone owns.
pub(crate) fn remove_path(object: &mut Value, path: &[String], keep: &dyn Fn(&[String]) -> bool) {
    let Some((last, parents)) = path.split_last() else {
        return;
    };
    let Some(Value::Object(parent)) = get_path_mut(object, parents) else {
        return;
    };
    if parent.shift_remove(last).is_none() {
        return;
    }
    for depth in (1..=parents.len()).rev() {
        let prefix = &parents[..depth];
        if prefix == ["metadata"] || keep(prefix) {
            break;
        }
        let empty = matches!(get_path(object, prefix), Some(Value::Object(m)) if m.is_empty());
        if !empty {
            break;
        }
        let (name, above) = match prefix.split_last() {
            Some(x) => x,
            None => break,
        };
        if let Some(Value::Object(m)) = get_path_mut(object, above) {
            m.shift_remove(name);
        }
    }
}

fn get_path_mut<'a>(object: &'a mut Value, path: &[String]) -> Option<&'a mut Value> {
    path.iter().try_fold(object, |v, seg| v.as_object_mut()?.get_mut(seg))
}

/// A field another manager owns that an apply would change.
#[derive(Debug, Clone)]
pub(crate) struct Conflict {
    /// Index into the entry list of the owner.
    pub owner: usize,
    /// The owned path (which may be an ancestor or descendant of the applied leaf).
    pub path: Path,
}

/// Finds the fields that `applied` (the applier's leaves) would change and that some manager other
/// than `applier`'s Apply entry owns. An applied value equal to the live one never conflicts (it
/// becomes co-owned).
pub(crate) fn find_conflicts(
    entries: &[ManagerEntry],
    applier: &str,
    live: &Value,
    applied: &BTreeMap<Path, Value>,
) -> Vec<Conflict> {
    let mut out: Vec<Conflict> = Vec::new();
    for (p, v) in applied {
        if get_path(live, p) == Some(v) {
            continue;
        }
        for (i, e) in entries.iter().enumerate() {
            if e.is(applier, Operation::Apply) {
                continue;
            }
            for q in &e.fields {
                let clash = if q == p {
                    true
                } else if p.starts_with(q) {
                    // The other manager owns an ancestor. Owning a map does not own its keys, but
                    // owning a scalar or list that this apply turns into a map does.
                    !matches!(get_path(live, q), Some(Value::Object(_)))
                } else if q.starts_with(p) {
                    // The other manager owns something inside what this apply sets. Applying an
                    // empty map claims only the map itself.
                    !matches!(v, Value::Object(_))
                } else {
                    false
                };
                if clash && !out.iter().any(|c| c.owner == i && &c.path == q) {
                    out.push(Conflict {
                        owner: i,
                        path: q.clone(),
                    });
                }
            }
        }
    }
    out
}

/// The 409 answer for `conflicts`, worded like the real server:
/// `Apply failed with 1 conflict: conflict with "kubectl-edit" using v1: .metadata.labels.team`.
pub(crate) fn conflict_error(entries: &[ManagerEntry], conflicts: &[Conflict]) -> ApiError {
    let describe = |c: &Conflict| entries.get(c.owner).map(ManagerEntry::describe).unwrap_or_default();
    let causes: Vec<Value> = conflicts
        .iter()
        .map(|c| {
            json!({
                "type": "FieldManagerConflict",
                "message": format!("conflict with {}", describe(c)),
                "field": path_string(&c.path),
            })
        })
        .collect();
    let message = if let [only] = conflicts {
        format!(
            "Apply failed with 1 conflict: conflict with {}: {}",
            describe(only),
            path_string(&only.path)
        )
    } else {
        let mut by_manager: BTreeMap<String, Vec<String>> = BTreeMap::new();
        for c in conflicts {
            by_manager.entry(describe(c)).or_default().push(path_string(&c.path));
        }
        let mut lines = Vec::new();
        for (manager, paths) in by_manager {
            lines.push(format!("conflicts with {manager}:"));
            lines.extend(paths.into_iter().map(|p| format!("- {p}")));
        }
        format!("Apply failed with {} conflicts: {}", conflicts.len(), lines.join("\n"))
    };
    ApiError::apply_conflict(message, causes)
}

/// Takes the conflicting fields away from their owners (what `force=true` does).
pub(crate) fn force_conflicts(entries: &mut [ManagerEntry], conflicts: &[Conflict]) {
    for c in conflicts {
        if let Some(e) = entries.get_mut(c.owner) {
            e.fields.remove(&c.path);
        }
    }
}

/// The applier's previously owned paths that its new configuration dropped and that no other
/// manager owns (exactly, or through something inside them): these are removed from the object.
pub(crate) fn fields_to_remove(entries: &[ManagerEntry], applier: &str, applied: &FieldSet) -> Vec<Path> {
    let Some(previous) = entries.iter().find(|e| e.is(applier, Operation::Apply)) else {
        return Vec::new();
    };
    previous
        .fields
        .iter()
        .filter(|p| !applied.contains(*p))
        .filter(|p| {
            !entries
                .iter()
                .filter(|e| !e.is(applier, Operation::Apply))
                .any(|e| e.fields.iter().any(|q| q.starts_with(p)))
        })
        .cloned()
        .collect()
}

/// Whether any manager owns exactly `path` (used to keep owned empty maps when pruning).
pub(crate) fn owned_by_anyone(entries: &[ManagerEntry], path: &[String]) -> bool {
    entries.iter().any(|e| e.fields.iter().any(|q| q == path))
}

/// Records an apply: the applier's Apply entry now owns exactly `applied`.
pub(crate) fn record_apply(
    entries: &mut Vec<ManagerEntry>,
    applier: &str,
    api_version: &str,
    applied: FieldSet,
    now: &str,
) {
    match entries.iter_mut().find(|e| e.is(applier, Operation::Apply)) {
        Some(e) => {
            if e.fields != applied {
                e.time = now.to_string();
            }
            e.fields = applied;
            e.api_version = api_version.to_string();
        }
        None => entries.push(ManagerEntry {
            manager: applier.to_string(),
            operation: Operation::Apply,
            api_version: api_version.to_string(),
            time: now.to_string(),
            fields: applied,
        }),
    }
    entries.retain(|e| !e.fields.is_empty());
}

/// Records an update from `old` to `new` by `manager`: it takes every leaf it added or changed
/// (from whoever owned it), and leaves that disappeared are dropped from every manager.
/// `unowned` paths (server-set defaults) are never given to anyone.
pub(crate) fn record_update(
    entries: &mut Vec<ManagerEntry>,
    manager: &str,
    api_version: &str,
    old: Option<&Value>,
    new: &Value,
    unowned: &[Path],
    now: &str,
) {
    let old_leaves = old.map(tracked_leaves).unwrap_or_default();
    let new_leaves = tracked_leaves(new);
    let changed: FieldSet = new_leaves
        .iter()
        .filter(|(p, v)| old_leaves.get(*p) != Some(*v))
        .map(|(p, _)| p.clone())
        .filter(|p| !unowned.contains(p))
        .collect();
    let removed: FieldSet = old_leaves
        .keys()
        .filter(|p| !new_leaves.contains_key(*p))
        .cloned()
        .collect();
    for e in entries.iter_mut() {
        let before = e.fields.len();
        e.fields.retain(|p| !changed.contains(p) && !removed.contains(p));
        if e.fields.len() != before {
            e.time = now.to_string();
        }
    }
    if !changed.is_empty() {
        match entries.iter_mut().find(|e| e.is(manager, Operation::Update)) {
            Some(e) => {
                e.fields.extend(changed);
                e.time = now.to_string();
                e.api_version = api_version.to_string();
            }
            None => entries.push(ManagerEntry {
                manager: manager.to_string(),
                operation: Operation::Update,
                api_version: api_version.to_string(),
                time: now.to_string(),
                fields: changed,
            }),
        }
    }
    entries.retain(|e| !e.fields.is_empty());
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(s: &str) -> Path {
        s.split('.').map(str::to_string).collect()
    }

    #[test]
    fn leaves_skip_untracked_metadata_and_status() {
        let obj = json!({
            "apiVersion": "v1", "kind": "ConfigMap",
            "metadata": {"name": "x", "uid": "u", "labels": {"a": "1"}, "annotations": {}},
            "data": {"k": "v", "empty": {}}, "rules": [1, 2], "status": {"phase": "x"}
        });
        let leaves: Vec<Path> = tracked_leaves(&obj).into_keys().collect();
        assert_eq!(
            leaves,
            vec![
                p("data.empty"),
                p("data.k"),
                p("metadata.annotations"),
                p("metadata.labels.a"),
                p("rules")
            ]
        );
    }

    #[test]
    fn fields_v1_shape() {
        let set: FieldSet = [p("metadata.labels.team"), p("rules"), p("spec"), p("spec.x")]
            .into_iter()
            .collect();
        assert_eq!(
            fields_v1(&set),
            json!({"f:metadata": {"f:labels": {"f:team": {}}}, "f:rules": {}, "f:spec": {".": {}, "f:x": {}}})
        );
    }

    #[test]
    fn remove_prunes_empty_parents_but_not_metadata() {
        let mut obj = json!({"metadata": {"name": "x", "labels": {"a": "1"}}, "spec": {"x": {"y": 1}, "z": 2}});
        remove_path(&mut obj, &p("metadata.labels.a"), &|_| false);
        remove_path(&mut obj, &p("spec.x.y"), &|_| false);
        assert_eq!(obj, json!({"metadata": {"name": "x"}, "spec": {"z": 2}}));
    }
}
