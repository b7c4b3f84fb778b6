//! The table of resource kinds the fake serves, and the names derived from each entry.
//!
//! Adding a kind that needs no special behaviour is one line in [`KINDS`]. Behaviour that only some
//! kinds have (defaults, validation) lives in `objects.rs`, keyed by [`Kind::kind`]; this module
//! knows nothing about object contents.

/// One served resource: where it lives in the URL space and what its objects are called.
#[derive(Debug)]
pub(crate) struct Kind {
    /// API group; empty for the core group (`/api/v1`).
    pub group: &'static str,
    /// The one version served for this group.
    pub version: &'static str,
    /// Lower-case plural used in URLs, e.g. `rolebindings`.
    pub plural: &'static str,
    /// CamelCase kind, e.g. `RoleBinding`.
    pub kind: &'static str,
    /// Whether objects live in a namespace.
    pub namespaced: bool,
    /// Short names advertised in discovery (`kubectl get cm`).
    pub short_names: &'static [&'static str],
}

const NAMESPACED: bool = true;
const CLUSTER: bool = false;

const fn kind(
    group: &'static str,
    version: &'static str,
    plural: &'static str,
    kind: &'static str,
    namespaced: bool,
    short_names: &'static [&'static str],
) -> Kind {
    Kind {
        group,
        version,
        plural,
        kind,
        namespaced,
        short_names,
    }
}

/// Every kind the fake serves. Order is the order of discovery documents.
pub(crate) const KINDS: &[Kind] = &[
    kind("", "v1", "namespaces", "Namespace", CLUSTER, &["ns"]),
    kind("", "v1", "configmaps", "ConfigMap", NAMESPACED, &["cm"]),
    kind("", "v1", "secrets", "Secret", NAMESPACED, &[]),
    kind("", "v1", "serviceaccounts", "ServiceAccount", NAMESPACED, &["sa"]),
    kind("", "v1", "resourcequotas", "ResourceQuota", NAMESPACED, &["quota"]),
    kind("", "v1", "services", "Service", NAMESPACED, &["svc"]),
    kind("rbac.authorization.k8s.io", "v1", "roles", "Role", NAMESPACED, &[]),
    kind(
        "rbac.authorization.k8s.io",
        "v1",
        "rolebindings",
        "RoleBinding",
        NAMESPACED,
        &[],
    ),
    kind(
        "rbac.authorization.k8s.io",
        "v1",
        "clusterroles",
        "ClusterRole",
        CLUSTER,
        &[],
    ),
    kind(
        "rbac.authorization.k8s.io",
        "v1",
        "clusterrolebindings",
        "ClusterRoleBinding",
        CLUSTER,
        &[],
    ),
    kind("apps", "v1", "deployments", "Deployment", NAMESPACED, &["deploy"]),
    kind("batch", "v1", "cronjobs", "CronJob", NAMESPACED, &["cj"]),
];

/// The Namespace kind, which the store needs by name (namespaced objects must have one).
pub(crate) fn namespace_kind() -> &'static Kind {
    &KINDS[0]
}

/// Finds the kind served at `group`/`version` under `plural`.
pub(crate) fn find(group: &str, version: &str, plural: &str) -> Option<&'static Kind> {
    KINDS
        .iter()
        .find(|k| k.group == group && k.version == version && k.plural == plural)
}

/// The distinct `(group, version)` pairs served, in table order.
pub(crate) fn group_versions() -> Vec<(&'static str, &'static str)> {
    let mut out: Vec<(&str, &str)> = Vec::new();
    for k in KINDS {
        if !out.contains(&(k.group, k.version)) {
            out.push((k.group, k.version));
        }
    }
    out
}

impl Kind {
    /// `v1` for the core group, else `group/version`.
    pub fn api_version(&self) -> String {
        if self.group.is_empty() {
            self.version.to_string()
        } else {
            format!("{}/{}", self.group, self.version)
        }
    }

    /// The resource as error messages name it: `roles.rbac.authorization.k8s.io`, `configmaps`.
    pub fn qualified_resource(&self) -> String {
        if self.group.is_empty() {
            self.plural.to_string()
        } else {
            format!("{}.{}", self.plural, self.group)
        }
    }

    /// The kind as validation messages name it: `Role.rbac.authorization.k8s.io`, `ConfigMap`.
    pub fn qualified_kind(&self) -> String {
        if self.group.is_empty() {
            self.kind.to_string()
        } else {
            format!("{}.{}", self.kind, self.group)
        }
    }

    /// `RoleList`.
    pub fn list_kind(&self) -> String {
        format!("{}List", self.kind)
    }

    /// `role`, as discovery's `singularName`.
    pub fn singular(&self) -> String {
        self.kind.to_ascii_lowercase()
    }

    /// Index in [`KINDS`], used as part of the storage key so lists come out grouped by kind.
    pub fn index(&self) -> usize {
        KINDS.iter().position(|k| std::ptr::eq(k, self)).unwrap_or(usize::MAX)
    }
}
