//! The resource types: one table entry each, naming the Kubernetes kind, its schema (Terraform's
//! kubernetes-provider names and block shapes) and its [`Field`] mapping.
//!
//! Every type is also registered under its `_v1` name (`kubernetes_role_v1`), as Terraform's
//! provider does, so configurations written for either name load.
//!
//! This file holds the [`Kind`] row, the registry and the first kinds (namespace, config,
//! secrets, identities and RBAC, quota), whose schemas are written out by hand. The workload
//! kinds derive their schemas from their field tables ([`crate::fields::schema_of`]): the pod
//! spec they share is in [`pod`], Deployment / Job / CronJob / HorizontalPodAutoscaler in
//! [`workloads`], Service and NetworkPolicy in [`network`], and PriorityClass,
//! PersistentVolumeClaim, PodDisruptionBudget and LimitRange in [`policy`].

pub mod network;
pub mod pod;
pub mod policy;
pub mod workloads;

use std::collections::BTreeMap;
use std::sync::LazyLock;

use plinth_sdk::Map;
use plinth_sdk::{Attribute, BlockSchema, Nesting, Schema, Type, Value};

use crate::fields::{F, Field, computed, field, schema_of};

/// One Kubernetes kind managed as a resource type.
pub struct Kind {
    pub type_name: &'static str,
    pub group: &'static str,
    pub version: &'static str,
    pub kind: &'static str,
    pub plural: &'static str,
    pub namespaced: bool,
    /// Every top-level field, `metadata` included.
    pub fields: &'static [Field],
    /// Attributes or blocks whose change replaces the object (besides name/namespace): top-level
    /// names, or dotted paths through single blocks (`spec.selector`).
    pub force_new: &'static [&'static str],
    /// Fills defaults the API server would apply, so that the plan shows them and the read-back
    /// matches the plan.
    pub defaults: fn(&mut Map),
    pub schema: Schema,
    /// Attributes of Plinth's own (`wait_for_rollout`): never sent, kept in state from the
    /// planned value, and on import set as an absent configuration would plan them. (The
    /// `timeouts` block every kind has is kept by `plinth_sdk::timeouts::keep`.)
    pub locals: &'static [&'static str],
    /// What apply waits for after the object is written.
    pub wait: Wait,
    /// How a delete removes what the object owns.
    pub propagation: Propagation,
    /// The default of each `timeouts` entry (Terraform's provider documents `5m` for a
    /// namespace's delete; the provider's `10m` otherwise).
    pub timeout: &'static str,
    /// Registered under `<type_name>_v1` too (false when the name already carries its version).
    pub alias_v1: bool,
}

/// What apply waits for after writing an object (within the `timeouts` block's create/update).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Wait {
    Nothing,
    /// A Deployment's rollout, when `wait_for_rollout` (default true).
    Rollout,
    /// A Job's completion, when `wait_for_completion` (default true).
    Completion,
    /// A PersistentVolumeClaim's binding, when `wait_until_bound` (default true).
    Bound,
}

/// The delete's propagation policy.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Propagation {
    /// The object goes at once; the garbage collector removes what it owned afterwards.
    Background,
    /// The object stays (with a `foregroundDeletion` finalizer) until what it owns is gone, so
    /// destroy of a Deployment or Job finishes when its pods are gone.
    Foreground,
}

impl Kind {
    /// How long the operation `op` (`create`, `update`, `delete`) of the object `v` may take:
    /// its `timeouts` entry, or the kind's default.
    pub fn timeout(&self, v: &Value, op: &str) -> Result<std::time::Duration, plinth_sdk::ProviderError> {
        let default = plinth_sdk::timeouts::parse_duration(self.timeout).unwrap_or(crate::wait::DEFAULT_TIMEOUT);
        plinth_sdk::timeouts::timeout(v, op, default)
    }

    pub fn api_version(&self) -> String {
        if self.group.is_empty() {
            self.version.to_string()
        } else {
            format!("{}/{}", self.group, self.version)
        }
    }
}

pub(crate) const META_NAMESPACED: &[Field] = &[
    field("name", "name", F::Str),
    field("namespace", "namespace", F::Str),
    field("labels", "labels", F::StrMap),
    field("annotations", "annotations", F::StrMap),
    computed("uid", "uid", F::Str),
];
pub(crate) const META_CLUSTER: &[Field] = &[
    field("name", "name", F::Str),
    field("labels", "labels", F::StrMap),
    field("annotations", "annotations", F::StrMap),
    computed("uid", "uid", F::Str),
];

const POLICY_RULE: &[Field] = &[
    field("api_groups", "apiGroups", F::StrList),
    field("resources", "resources", F::StrList),
    field("resource_names", "resourceNames", F::StrList),
    field("verbs", "verbs", F::StrList),
];
const CLUSTER_POLICY_RULE: &[Field] = &[
    field("api_groups", "apiGroups", F::StrList),
    field("resources", "resources", F::StrList),
    field("resource_names", "resourceNames", F::StrList),
    field("non_resource_urls", "nonResourceURLs", F::StrList),
    field("verbs", "verbs", F::StrList),
];
const ROLE_REF: &[Field] = &[
    field("api_group", "apiGroup", F::Str),
    field("kind", "kind", F::Str),
    field("name", "name", F::Str),
];
const SUBJECT: &[Field] = &[
    field("kind", "kind", F::Str),
    field("name", "name", F::Str),
    field("namespace", "namespace", F::Str),
    field("api_group", "apiGroup", F::Str),
];
const QUOTA_SPEC: &[Field] = &[field("hard", "hard", F::QtyMap), field("scopes", "scopes", F::StrList)];

const NAMESPACE: &[Field] = &[field("metadata", "metadata", F::Block(META_CLUSTER))];
const CONFIG_MAP: &[Field] = &[
    field("metadata", "metadata", F::Block(META_NAMESPACED)),
    field("data", "data", F::StrMap),
    field("binary_data", "binaryData", F::StrMap),
    field("immutable", "immutable", F::Bool),
];
const SECRET: &[Field] = &[
    field("metadata", "metadata", F::Block(META_NAMESPACED)),
    field("data", "data", F::B64Map),
    field("type", "type", F::Str),
    field("immutable", "immutable", F::Bool),
];
const SERVICE_ACCOUNT: &[Field] = &[
    field("metadata", "metadata", F::Block(META_NAMESPACED)),
    field(
        "automount_service_account_token",
        "automountServiceAccountToken",
        F::Bool,
    ),
];
const ROLE: &[Field] = &[
    field("metadata", "metadata", F::Block(META_NAMESPACED)),
    field("rule", "rules", F::Blocks(POLICY_RULE)),
];
const CLUSTER_ROLE: &[Field] = &[
    field("metadata", "metadata", F::Block(META_CLUSTER)),
    field("rule", "rules", F::Blocks(CLUSTER_POLICY_RULE)),
];
const ROLE_BINDING: &[Field] = &[
    field("metadata", "metadata", F::Block(META_NAMESPACED)),
    field("role_ref", "roleRef", F::Block(ROLE_REF)),
    field("subject", "subjects", F::Blocks(SUBJECT)),
];
const CLUSTER_ROLE_BINDING: &[Field] = &[
    field("metadata", "metadata", F::Block(META_CLUSTER)),
    field("role_ref", "roleRef", F::Block(ROLE_REF)),
    field("subject", "subjects", F::Blocks(SUBJECT)),
];
const RESOURCE_QUOTA: &[Field] = &[
    field("metadata", "metadata", F::Block(META_NAMESPACED)),
    field("spec", "spec", F::Block(QUOTA_SPEC)),
];

fn strings() -> Type {
    Type::List(Box::new(Type::String))
}
fn string_map() -> Type {
    Type::Map(Box::new(Type::String))
}

fn one(schema: Schema, min: usize) -> BlockSchema {
    BlockSchema {
        nesting: Nesting::List,
        schema,
        min_items: min,
        max_items: Some(1),
        force_new: false,
    }
}
fn many(schema: Schema, min: usize) -> BlockSchema {
    BlockSchema {
        nesting: Nesting::List,
        schema,
        min_items: min,
        max_items: None,
        force_new: false,
    }
}

fn metadata(namespaced: bool) -> BlockSchema {
    let mut s = Schema::new("Standard object metadata.")
        .attr(
            "name",
            Attribute::required(Type::String).force_new().describe(
                "Name of the object, unique within its namespace (or the cluster). Changing it replaces the object.",
            ),
        )
        .attr(
            "labels",
            Attribute::optional(string_map()).describe(
                "Labels. Only the labels Plinth set are managed: labels others add are neither drift nor removed.",
            ),
        )
        .attr(
            "annotations",
            Attribute::optional(string_map())
                .describe("Annotations; managed like labels (others' annotations are left alone)."),
        )
        .attr(
            "uid",
            Attribute::computed(Type::String).describe("The object's unique id, set by the cluster."),
        );
    if namespaced {
        s = s.attr(
            "namespace",
            Attribute::optional_computed(Type::String).force_new().describe(
                "Namespace of the object; default: the kubeconfig context's namespace, else `default`. Changing it replaces the object.",
            ),
        );
    }
    one(s, 1)
}

pub(crate) fn base(description: &str, namespaced: bool) -> Schema {
    Schema::new(description)
        .block("metadata", metadata(namespaced))
        .attr(
            "id",
            Attribute::computed(Type::String).describe("`NAMESPACE/NAME` (namespaced kinds) or `NAME`; the import id."),
        )
        .identity(&["id"])
}

fn rule_schema(cluster: bool) -> Schema {
    let mut s = Schema::new("One rule of the role: what it allows.")
        .attr(
            "api_groups",
            Attribute::optional(strings())
                .describe("API groups (`\"\"` is the core group). `\"*\"` draws a validate warning."),
        )
        .attr(
            "resources",
            Attribute::optional(strings())
                .describe("Resource kinds (`pods`, `secrets`). `\"*\"` draws a validate warning."),
        )
        .attr(
            "resource_names",
            Attribute::optional(strings())
                .describe("Names of the objects the rule is limited to; leave out to allow every object of the kinds."),
        )
        .attr(
            "verbs",
            Attribute::required(strings())
                .describe("Verbs (`get`, `list`, `watch`, ...). `\"*\"` draws a validate warning."),
        );
    if cluster {
        s = s.attr(
            "non_resource_urls",
            Attribute::optional(strings()).describe("Non-resource URLs such as `/healthz` (cluster roles only)."),
        );
    }
    s
}

fn binding_blocks(s: Schema) -> Schema {
    s.block(
        "role_ref",
        BlockSchema {
            force_new: true,
            ..one(
                Schema::new("The role granted. Changing it replaces the binding (the API does not allow changing it).")
                    .attr(
                        "api_group",
                        Attribute::optional_computed(Type::String).describe("Default `rbac.authorization.k8s.io`."),
                    )
                    .attr(
                        "kind",
                        Attribute::required(Type::String).describe("`Role` or `ClusterRole`."),
                    )
                    .attr("name", Attribute::required(Type::String).describe("Name of the role.")),
                1,
            )
        },
    )
    .block(
        "subject",
        many(
            Schema::new("Who is granted the role.")
                .attr(
                    "kind",
                    Attribute::required(Type::String).describe("`ServiceAccount`, `User` or `Group`."),
                )
                .attr(
                    "name",
                    Attribute::required(Type::String).describe("Name of the subject."),
                )
                .attr(
                    "namespace",
                    Attribute::optional(Type::String).describe("Namespace of a ServiceAccount subject."),
                )
                .attr(
                    "api_group",
                    Attribute::optional_computed(Type::String).describe(
                        "Default: none for a ServiceAccount, `rbac.authorization.k8s.io` for a User or Group.",
                    ),
                ),
            1,
        ),
    )
}

/// The schema of a kind whose field table carries its docs: `metadata` and `id` from [`base`],
/// every other top-level field from [`schema_of`].
pub(crate) fn derived(description: &str, namespaced: bool, fields: &[Field]) -> Schema {
    let rest: Vec<Field> = fields.iter().filter(|f| f.attr != "metadata").copied().collect();
    let d = schema_of("", &rest);
    let mut s = base(description, namespaced);
    s.attributes.extend(d.attributes);
    s.blocks.extend(d.blocks);
    s
}

/// Adds Terraform's `timeouts { create update delete }` block (durations such as `"10m"`,
/// `"90s"`, `"1h30m"`), never sent to the cluster, describing what create and update wait for.
/// Every other kind gets the block too (its delete waits), from [`all_kinds`].
pub(crate) fn with_timeouts(s: Schema, what: &str) -> Schema {
    plinth_sdk::timeouts::with_timeouts(s, DEFAULT_TIMEOUT, what)
}

/// Sets the boolean attribute `name` to `true` when the configuration left it out.
pub(crate) fn default_true(v: &mut Map, name: &str) {
    if v.get(name).is_none_or(Value::is_null) {
        v.insert(name.into(), Value::Bool(true));
    }
}

pub(crate) fn no_defaults(_: &mut Map) {}

fn secret_defaults(v: &mut Map) {
    if v.get("type").is_none_or(Value::is_null) {
        v.insert("type".into(), Value::string("Opaque"));
    }
}

const RBAC_GROUP: &str = "rbac.authorization.k8s.io";

fn binding_defaults(v: &mut Map) {
    for_each_item(v, "role_ref", |item| {
        if item.get("api_group").is_none_or(Value::is_null) {
            item.insert("api_group".into(), Value::string(RBAC_GROUP));
        }
    });
    for_each_item(v, "subject", |item| {
        let service_account = item.get("kind").and_then(Value::as_str) == Some("ServiceAccount");
        let group = item.get("api_group").and_then(|g| g.as_str().map(str::to_string));
        let value = match (group.as_deref(), service_account) {
            // The API server stores the core group as an absent field.
            (Some(""), _) | (None, true) => Value::Null,
            (None, false) => Value::string(RBAC_GROUP),
            (Some(g), _) => Value::string(g),
        };
        item.insert("api_group".into(), value);
    });
}

/// Calls `f` on every object of the list-valued block `name`.
pub fn for_each_item(v: &mut Map, name: &str, mut f: impl FnMut(&mut Map)) {
    if let Some(Value::List(items)) = v.get_mut(name) {
        for item in items {
            if let Value::Map(m) = item {
                f(m);
            }
        }
    }
}

pub(crate) fn kind(
    type_name: &'static str,
    (group, version, kind, plural): (&'static str, &'static str, &'static str, &'static str),
    namespaced: bool,
    fields: &'static [Field],
    schema: Schema,
) -> Kind {
    Kind {
        type_name,
        group,
        version,
        kind,
        plural,
        namespaced,
        fields,
        force_new: &[],
        defaults: no_defaults,
        schema,
        locals: &[],
        wait: Wait::Nothing,
        propagation: Propagation::Background,
        timeout: DEFAULT_TIMEOUT,
        alias_v1: true,
    }
}

/// The default of every `timeouts` entry where Terraform's provider documents none for the kind.
pub(crate) const DEFAULT_TIMEOUT: &str = "10m";

fn all_kinds() -> Vec<Kind> {
    let mut all = vec![
        Kind {
            timeout: "5m",
            ..kind(
                "kubernetes_namespace",
                ("", "v1", "Namespace", "namespaces"),
                false,
                NAMESPACE,
                base(
                    "A namespace: the unit of isolation, quota and access for one team or environment. Deleting \
                     it deletes everything in it; destroy waits until the cluster has finished, within \
                     `timeouts.delete` (default `5m`, as in Terraform's provider). Import with the name.",
                    false,
                ),
            )
        },
        kind(
            "kubernetes_config_map",
            ("", "v1", "ConfigMap", "configmaps"),
            true,
            CONFIG_MAP,
            base(
                "A ConfigMap: non-secret configuration for workloads. Import with `NAMESPACE/NAME`.",
                true,
            )
            .attr(
                "data",
                Attribute::optional(string_map()).describe("UTF-8 entries. Keys added by others are left alone."),
            )
            .attr(
                "binary_data",
                Attribute::optional(string_map()).describe("Binary entries, base64-encoded."),
            )
            .attr(
                "immutable",
                Attribute::optional(Type::Bool).describe(
                    "When true, the cluster refuses data changes: a change of `data` then replaces the object.",
                ),
            ),
        ),
        Kind {
            force_new: &["type"],
            defaults: secret_defaults,
            ..kind(
                "kubernetes_secret",
                ("", "v1", "Secret", "secrets"),
                true,
                SECRET,
                base(
                    "A Secret: credentials handed to workloads. `data` is sensitive: it is shown as (sensitive), \
                     sent to the cluster and never stored (state keeps a keyed hash). Fill it from `secret(...)` \
                     sources. Import with `NAMESPACE/NAME`.",
                    true,
                )
                .attr(
                    "data",
                    Attribute::optional(string_map())
                        .sensitive()
                        .describe("Entries as plain strings (Plinth base64-encodes them). Sensitive."),
                )
                .attr(
                    "type",
                    Attribute::optional_computed(Type::String)
                        .force_new()
                        .describe("Secret type; default `Opaque`. Changing it replaces the secret."),
                )
                .attr(
                    "immutable",
                    Attribute::optional(Type::Bool).describe(
                        "When true, the cluster refuses data changes: a change of `data` then replaces the object.",
                    ),
                ),
            )
        },
        kind(
            "kubernetes_service_account",
            ("", "v1", "ServiceAccount", "serviceaccounts"),
            true,
            SERVICE_ACCOUNT,
            base(
                "A service account: the identity one workload runs as. Give every workload its own, bound to a \
                 role that names what it uses. Import with `NAMESPACE/NAME`.",
                true,
            )
            .attr(
                "automount_service_account_token",
                Attribute::optional(Type::Bool).describe(
                    "Whether pods mount the account's API token; set false for workloads that do not call the API.",
                ),
            ),
        ),
        kind(
            "kubernetes_role",
            (RBAC_GROUP, "v1", "Role", "roles"),
            true,
            ROLE,
            base(
                "A namespaced RBAC role: a set of allowed verbs on resources. `plinth validate` warns on `*` verbs \
                 or resources. Import with `NAMESPACE/NAME`.",
                true,
            )
            .block("rule", many(rule_schema(false), 1)),
        ),
        kind(
            "kubernetes_cluster_role",
            (RBAC_GROUP, "v1", "ClusterRole", "clusterroles"),
            false,
            CLUSTER_ROLE,
            base(
                "A cluster-wide RBAC role. `plinth validate` warns on `*` verbs or resources. Import with the name.",
                false,
            )
            .block("rule", many(rule_schema(true), 0)),
        ),
        Kind {
            force_new: &["role_ref"],
            defaults: binding_defaults,
            ..kind(
                "kubernetes_role_binding",
                (RBAC_GROUP, "v1", "RoleBinding", "rolebindings"),
                true,
                ROLE_BINDING,
                binding_blocks(base(
                    "Grants a Role or ClusterRole to subjects within one namespace. Import with `NAMESPACE/NAME`.",
                    true,
                )),
            )
        },
        Kind {
            force_new: &["role_ref"],
            defaults: binding_defaults,
            ..kind(
                "kubernetes_cluster_role_binding",
                (RBAC_GROUP, "v1", "ClusterRoleBinding", "clusterrolebindings"),
                false,
                CLUSTER_ROLE_BINDING,
                binding_blocks(base(
                    "Grants a ClusterRole to subjects in every namespace. Import with the name.",
                    false,
                )),
            )
        },
        kind(
            "kubernetes_resource_quota",
            ("", "v1", "ResourceQuota", "resourcequotas"),
            true,
            RESOURCE_QUOTA,
            base(
                "A resource quota: caps what one namespace may request, e.g. GPUs \
                 (`\"requests.nvidia.com/gpu\" = \"8\"`). Import with `NAMESPACE/NAME`.",
                true,
            )
            .block(
                "spec",
                one(
                    Schema::new("What the quota limits.")
                        .attr(
                            "hard",
                            Attribute::optional(string_map())
                                .describe("Hard limits by resource name, as quantities (`\"8\"`, `\"64Gi\"`)."),
                        )
                        .attr(
                            "scopes",
                            Attribute::optional(strings()).describe("Scopes the quota applies to (`BestEffort`, ...)."),
                        ),
                    0,
                ),
            ),
        ),
    ];
    all.extend(workloads::kinds());
    all.extend(network::kinds());
    all.extend(policy::kinds());
    // Every delete waits until the object is gone: every kind has the block (the workloads have
    // theirs already, describing their waits).
    for k in &mut all {
        let schema = std::mem::take(&mut k.schema);
        k.schema = plinth_sdk::timeouts::with_timeouts(schema, k.timeout, "");
    }
    all
}

/// Every kind, by each of its type names (`kubernetes_role` and `kubernetes_role_v1`).
pub fn kinds() -> &'static BTreeMap<String, &'static Kind> {
    static KINDS: LazyLock<Vec<Kind>> = LazyLock::new(all_kinds);
    static BY_NAME: LazyLock<BTreeMap<String, &'static Kind>> = LazyLock::new(|| {
        let mut m = BTreeMap::new();
        for k in KINDS.iter() {
            m.insert(k.type_name.to_string(), k);
            if k.alias_v1 {
                m.insert(format!("{}_v1", k.type_name), k);
            }
        }
        m
    });
    &BY_NAME
}
