//! Scheduling and capacity policy: `kubernetes_priority_class`, `kubernetes_persistent_volume_claim`,
//! `kubernetes_pod_disruption_budget` and `kubernetes_limit_range` (field tables and schemas).

use plinth_sdk::{Attribute, Map, Type};

use super::pod::LABEL_SELECTOR;
use super::{Kind, META_CLUSTER, META_NAMESPACED, Wait, default_true, derived, kind, with_timeouts};
use crate::fields::{F, Field, field};

const PRIORITY_CLASS: &[Field] = &[
    field("metadata", "metadata", F::Block(META_CLUSTER)),
    field("value", "value", F::Num)
        .required()
        .doc("The priority: higher values schedule first and may preempt lower ones. Changing it replaces the class."),
    field("global_default", "globalDefault", F::Bool)
        .doc("Use this class for pods that name none (at most one class may)."),
    field("description", "description", F::Str).doc("What the class is for."),
    field("preemption_policy", "preemptionPolicy", F::Str)
        .doc("`PreemptLowerPriority` (the server's default) or `Never`. Changing it replaces the class."),
];

const PVC_RESOURCES: &[Field] = &[
    field("requests", "requests", F::QtyMap)
        .doc("Storage requested (`storage = \"50Gi\"`); may grow where the storage class allows."),
    field("limits", "limits", F::QtyMap).doc("Most storage the claim may use."),
];

const PVC_SPEC: &[Field] = &[
    field("access_modes", "accessModes", F::StrList)
        .required()
        .doc("`ReadWriteOnce`, `ReadOnlyMany`, `ReadWriteMany` or `ReadWriteOncePod`."),
    field("resources", "resources", F::Block(PVC_RESOURCES))
        .required()
        .doc("The storage asked for."),
    field("storage_class_name", "storageClassName", F::Str)
        .doc("Storage class; the cluster's default class when left out."),
    field("volume_name", "volumeName", F::Str)
        .optional_computed()
        .doc("The PersistentVolume bound to the claim: set it to bind a given volume, else the cluster fills it in."),
    field("volume_mode", "volumeMode", F::Str).doc("`Filesystem` (the server's default) or `Block`."),
];

const PVC: &[Field] = &[
    field("metadata", "metadata", F::Block(META_NAMESPACED)),
    field("spec", "spec", F::Block(PVC_SPEC))
        .required()
        .doc("The storage claimed."),
];

const PDB_SPEC: &[Field] = &[
    field("selector", "selector", F::Block(LABEL_SELECTOR)).doc("The pods the budget protects."),
    field("min_available", "minAvailable", F::IntOrStr)
        .doc("Pods that must stay up during voluntary disruptions: a number or a percentage (`\"50%\"`)."),
    field("max_unavailable", "maxUnavailable", F::IntOrStr)
        .doc("Pods that may be down at once: a number or a percentage (instead of `min_available`)."),
];

const PDB: &[Field] = &[
    field("metadata", "metadata", F::Block(META_NAMESPACED)),
    field("spec", "spec", F::Block(PDB_SPEC))
        .required()
        .doc("Which pods, and how many must stay up."),
];

const LIMIT: &[Field] = &[
    field("type", "type", F::Str)
        .required()
        .doc("`Container`, `Pod` or `PersistentVolumeClaim`."),
    field("default", "default", F::QtyMap).doc("Default limits of containers that set none."),
    field("default_request", "defaultRequest", F::QtyMap).doc("Default requests of containers that set none."),
    field("max", "max", F::QtyMap).doc("Largest allowed, by resource."),
    field("min", "min", F::QtyMap).doc("Smallest allowed, by resource."),
    field("max_limit_request_ratio", "maxLimitRequestRatio", F::QtyMap)
        .doc("Largest allowed limit / request ratio, by resource."),
];

const LIMIT_RANGE_SPEC: &[Field] = &[field("limit", "limits", F::Blocks(LIMIT))
    .required()
    .doc("Limits for one type of object.")];

const LIMIT_RANGE: &[Field] = &[
    field("metadata", "metadata", F::Block(META_NAMESPACED)),
    field("spec", "spec", F::Block(LIMIT_RANGE_SPEC))
        .required()
        .doc("The limits."),
];

fn pvc_defaults(v: &mut Map) {
    default_true(v, "wait_until_bound");
}

pub fn kinds() -> Vec<Kind> {
    vec![
        Kind {
            force_new: &["value", "preemption_policy"],
            ..kind(
                "kubernetes_priority_class",
                ("scheduling.k8s.io", "v1", "PriorityClass", "priorityclasses"),
                false,
                PRIORITY_CLASS,
                {
                    let mut s = derived(
                        "A PriorityClass: which pods schedule first and may preempt others (training below \
                         serving). Pods name it in `priority_class_name`. Import with the name.",
                        false,
                        PRIORITY_CLASS,
                    );
                    for attr in ["value", "preemption_policy"] {
                        if let Some(a) = s.attributes.get_mut(attr) {
                            a.force_new = true;
                        }
                    }
                    s
                },
            )
        },
        Kind {
            locals: &["wait_until_bound"],
            wait: Wait::Bound,
            defaults: pvc_defaults,
            ..kind(
                "kubernetes_persistent_volume_claim",
                ("", "v1", "PersistentVolumeClaim", "persistentvolumeclaims"),
                true,
                PVC,
                with_timeouts(
                    derived(
                        "A PersistentVolumeClaim: storage for a workload (a model registry's database). Apply \
                         waits until the claim is bound unless `wait_until_bound = false` (a storage class that \
                         binds on first use needs false). Import with `NAMESPACE/NAME`.",
                        true,
                        PVC,
                    ),
                    " (with the binding)",
                )
                .attr(
                    "wait_until_bound",
                    Attribute::optional_computed(Type::Bool)
                        .describe("Wait until the claim is bound (default true), within `timeouts`."),
                ),
            )
        },
        kind(
            "kubernetes_pod_disruption_budget",
            ("policy", "v1", "PodDisruptionBudget", "poddisruptionbudgets"),
            true,
            PDB,
            derived(
                "A PodDisruptionBudget: how many of a workload's pods must stay up while nodes are drained or \
                 upgraded. Import with `NAMESPACE/NAME`.",
                true,
                PDB,
            ),
        ),
        kind(
            "kubernetes_limit_range",
            ("", "v1", "LimitRange", "limitranges"),
            true,
            LIMIT_RANGE,
            derived(
                "A LimitRange: default and bounding requests and limits for the containers, pods or claims of \
                 a namespace. Import with `NAMESPACE/NAME`.",
                true,
                LIMIT_RANGE,
            ),
        ),
    ]
}
