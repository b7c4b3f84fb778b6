//! The pod spec and pod template that Deployments, Jobs and CronJobs share, and the label
//! selector several kinds use: field tables only (names and blocks as in Terraform's
//! kubernetes provider: `container`, `env`, `port`, `volume_mount`, `toleration`, `volume`).

use crate::fields::{F, Field, field};

pub const LABEL_SELECTOR_REQUIREMENT: &[Field] = &[
    field("key", "key", F::Str).required().doc("The label key."),
    field("operator", "operator", F::Str)
        .required()
        .doc("`In`, `NotIn`, `Exists` or `DoesNotExist`."),
    field("values", "values", F::StrList).doc("Values for `In` and `NotIn`."),
];

pub const LABEL_SELECTOR: &[Field] = &[
    field("match_labels", "matchLabels", F::StrMap).doc("Labels an object must have, all of them."),
    field(
        "match_expressions",
        "matchExpressions",
        F::Blocks(LABEL_SELECTOR_REQUIREMENT),
    )
    .doc("Set-based requirements, all of which must hold."),
];

const KEY_REF: &[Field] = &[
    field("name", "name", F::Str).required().doc("Name of the object."),
    field("key", "key", F::Str).required().doc("The key in its data."),
    field("optional", "optional", F::Bool).doc("Whether the pod starts when the key is missing."),
];

const ENV_SOURCE: &[Field] = &[
    field("secret_key_ref", "secretKeyRef", F::Block(KEY_REF)).doc("A key of a Secret in the pod's namespace."),
    field("config_map_key_ref", "configMapKeyRef", F::Block(KEY_REF))
        .doc("A key of a ConfigMap in the pod's namespace."),
];

const ENV: &[Field] = &[
    field("name", "name", F::Str).required().doc("Variable name."),
    field("value", "value", F::Str).doc("Literal value."),
    field("value_from", "valueFrom", F::Block(ENV_SOURCE)).doc("Where the value comes from instead."),
];

const CONTAINER_PORT: &[Field] = &[
    field("container_port", "containerPort", F::Num)
        .required()
        .doc("Port the container listens on."),
    field("name", "name", F::Str).doc("Name services can target (`target_port = \"http\"`)."),
    field("protocol", "protocol", F::Str).doc("`TCP` (the server's default), `UDP` or `SCTP`."),
];

const RESOURCES: &[Field] = &[
    field("limits", "limits", F::QtyMap)
        .doc("Most the container may use, by resource (`cpu = \"2\"`, `memory = \"4Gi\"`, `\"nvidia.com/gpu\" = \"1\"`). Quantities compare by amount (`1000m` = `1`)."),
    field("requests", "requests", F::QtyMap)
        .doc("What the scheduler reserves, by resource; quantities as in `limits`."),
];

const HTTP_GET: &[Field] = &[
    field("path", "path", F::Str).doc("Path to request."),
    field("port", "port", F::IntOrStr).doc("Port number or name."),
    field("scheme", "scheme", F::Str).doc("`HTTP` (the server's default) or `HTTPS`."),
];

const PROBE: &[Field] = &[
    field("http_get", "httpGet", F::Block(HTTP_GET)).doc("An HTTP GET that must answer 2xx or 3xx."),
    field("initial_delay_seconds", "initialDelaySeconds", F::Num).doc("Seconds before the first probe."),
    field("period_seconds", "periodSeconds", F::Num).doc("Seconds between probes."),
    field("timeout_seconds", "timeoutSeconds", F::Num).doc("Seconds before a probe times out."),
    field("failure_threshold", "failureThreshold", F::Num).doc("Failures in a row that count as failed."),
    field("success_threshold", "successThreshold", F::Num).doc("Successes in a row that count as passed."),
];

const VOLUME_MOUNT: &[Field] = &[
    field("name", "name", F::Str)
        .required()
        .doc("Name of a `volume` of the pod."),
    field("mount_path", "mountPath", F::Str)
        .required()
        .doc("Where it is mounted in the container."),
    field("read_only", "readOnly", F::Bool).doc("Mount read-only."),
    field("sub_path", "subPath", F::Str).doc("Sub-path of the volume to mount."),
];

const CONTAINER: &[Field] = &[
    field("name", "name", F::Str)
        .required()
        .doc("Container name, unique in the pod."),
    field("image", "image", F::Str).doc("Image reference."),
    field("image_pull_policy", "imagePullPolicy", F::Str).doc("`Always`, `IfNotPresent` or `Never`."),
    field("command", "command", F::StrList).doc("Entrypoint (replaces the image's)."),
    field("args", "args", F::StrList).doc("Arguments to the entrypoint."),
    field("working_dir", "workingDir", F::Str).doc("Working directory."),
    field("env", "env", F::Blocks(ENV)).doc("An environment variable."),
    field("port", "ports", F::Blocks(CONTAINER_PORT)).doc("A port the container exposes."),
    field("resources", "resources", F::Block(RESOURCES)).doc("Compute resources: requests and limits."),
    field("liveness_probe", "livenessProbe", F::Block(PROBE)).doc("Restarts the container when it fails."),
    field("readiness_probe", "readinessProbe", F::Block(PROBE))
        .doc("Takes the pod out of its services while it fails."),
    field("volume_mount", "volumeMounts", F::Blocks(VOLUME_MOUNT)).doc("A volume mounted into the container."),
];

const TOLERATION: &[Field] = &[
    field("key", "key", F::Str).doc("Taint key (empty with `Exists`: every taint)."),
    field("operator", "operator", F::Str).doc("`Equal` (the server's default) or `Exists`."),
    field("value", "value", F::Str).doc("Taint value, with `Equal`."),
    field("effect", "effect", F::Str).doc("`NoSchedule`, `PreferNoSchedule` or `NoExecute`; empty: all."),
];

const PVC_SOURCE: &[Field] = &[
    field("claim_name", "claimName", F::Str)
        .required()
        .doc("Name of a PersistentVolumeClaim in the pod's namespace."),
    field("read_only", "readOnly", F::Bool).doc("Mount read-only."),
];

const CONFIG_MAP_SOURCE: &[Field] = &[
    field("name", "name", F::Str).doc("Name of the ConfigMap."),
    field("optional", "optional", F::Bool).doc("Whether the pod starts when it is missing."),
];

const SECRET_SOURCE: &[Field] = &[
    field("secret_name", "secretName", F::Str).doc("Name of the Secret."),
    field("optional", "optional", F::Bool).doc("Whether the pod starts when it is missing."),
];

const EMPTY_DIR: &[Field] = &[
    field("medium", "medium", F::Str).doc("`\"\"` (node disk) or `Memory`."),
    field("size_limit", "sizeLimit", F::Qty).doc("Size limit, a quantity."),
];

const VOLUME: &[Field] = &[
    field("name", "name", F::Str)
        .required()
        .doc("Volume name, used by `volume_mount`."),
    field("persistent_volume_claim", "persistentVolumeClaim", F::Block(PVC_SOURCE)).doc("A PersistentVolumeClaim."),
    field("config_map", "configMap", F::Block(CONFIG_MAP_SOURCE)).doc("A ConfigMap's keys as files."),
    field("secret", "secret", F::Block(SECRET_SOURCE)).doc("A Secret's keys as files."),
    field("empty_dir", "emptyDir", F::Block(EMPTY_DIR)).doc("Scratch space that lives as long as the pod."),
];

pub const POD_SPEC: &[Field] = &[
    field("container", "containers", F::Blocks(CONTAINER))
        .required()
        .doc("A container of the pod."),
    field("init_container", "initContainers", F::Blocks(CONTAINER))
        .doc("A container that runs to completion before the others start."),
    field("service_account_name", "serviceAccountName", F::Str)
        .doc("Service account the pod runs as (give each workload its own)."),
    field(
        "automount_service_account_token",
        "automountServiceAccountToken",
        F::Bool,
    )
    .doc("Whether the service account's API token is mounted; false for pods that do not call the API."),
    field("node_selector", "nodeSelector", F::StrMap).doc("Labels a node must have to run the pod."),
    field("toleration", "tolerations", F::Blocks(TOLERATION)).doc("A taint the pod tolerates."),
    field("priority_class_name", "priorityClassName", F::Str)
        .doc("Name of a PriorityClass (`kubernetes_priority_class`)."),
    field("restart_policy", "restartPolicy", F::Str)
        .doc("`Always` (the server's default; required by Deployments), `OnFailure` or `Never` (Jobs)."),
    field(
        "termination_grace_period_seconds",
        "terminationGracePeriodSeconds",
        F::Num,
    )
    .doc("Seconds a stopping pod gets before it is killed."),
    field("volume", "volumes", F::Blocks(VOLUME)).doc("A volume the containers can mount."),
];

pub const TEMPLATE_META: &[Field] = &[
    field("labels", "labels", F::StrMap).doc("Labels of the pods (what the selector matches)."),
    field("annotations", "annotations", F::StrMap).doc("Annotations of the pods."),
];

pub const POD_TEMPLATE: &[Field] = &[
    field("metadata", "metadata", F::Block(TEMPLATE_META)).doc("Labels and annotations of the pods."),
    field("spec", "spec", F::Block(POD_SPEC))
        .required()
        .doc("The pod spec."),
];
