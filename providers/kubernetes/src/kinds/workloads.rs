//! Workloads: `kubernetes_deployment`, `kubernetes_job`, `kubernetes_cron_job` and
//! `kubernetes_horizontal_pod_autoscaler_v2` (field tables and schemas; the waiting is in
//! [`crate::wait`]).

use plinth_sdk::{Attribute, Map, Type};

use super::pod::{LABEL_SELECTOR, POD_TEMPLATE, TEMPLATE_META};
use super::{Kind, META_NAMESPACED, Propagation, Wait, default_true, derived, kind, with_timeouts};
use crate::fields::{F, Field, field};

const ROLLING_UPDATE: &[Field] = &[
    field("max_surge", "maxSurge", F::IntOrStr)
        .doc("Pods above the desired count during an update: a number or a percentage (`\"25%\"`)."),
    field("max_unavailable", "maxUnavailable", F::IntOrStr)
        .doc("Pods that may be unavailable during an update: a number or a percentage."),
];

const STRATEGY: &[Field] = &[
    field("type", "type", F::Str).doc("`RollingUpdate` (the server's default) or `Recreate`."),
    field("rolling_update", "rollingUpdate", F::Block(ROLLING_UPDATE)).doc("How a rolling update proceeds."),
];

const DEPLOYMENT_SPEC: &[Field] = &[
    field("replicas", "replicas", F::Num).doc("Desired pods; the server's default is 1."),
    field("selector", "selector", F::Block(LABEL_SELECTOR))
        .required()
        .doc("Which pods the deployment owns; must match the template's labels. Changing it replaces the deployment (the API does not allow changing it)."),
    field("strategy", "strategy", F::Block(STRATEGY)).doc("How pods are replaced on an update."),
    field("min_ready_seconds", "minReadySeconds", F::Num).doc("Seconds a new pod must be ready to count as available."),
    field("revision_history_limit", "revisionHistoryLimit", F::Num).doc("Old ReplicaSets kept for rollback."),
    field("progress_deadline_seconds", "progressDeadlineSeconds", F::Num)
        .doc("Seconds without progress after which the cluster marks the rollout failed (apply then stops waiting)."),
    field("paused", "paused", F::Bool).doc("Pause rollouts (apply then does not wait for one)."),
    field("template", "template", F::Block(POD_TEMPLATE))
        .required()
        .doc("The pods to run."),
];

const DEPLOYMENT: &[Field] = &[
    field("metadata", "metadata", F::Block(META_NAMESPACED)),
    field("spec", "spec", F::Block(DEPLOYMENT_SPEC))
        .required()
        .doc("What the deployment runs."),
];

const JOB_SPEC: &[Field] = &[
    field("backoff_limit", "backoffLimit", F::Num).doc("Retries before the job fails; the server's default is 6."),
    field("ttl_seconds_after_finished", "ttlSecondsAfterFinished", F::IntOrStr)
        .doc("Seconds after which a finished job is deleted by the cluster."),
    field("completions", "completions", F::Num).doc("Successful pods needed."),
    field("parallelism", "parallelism", F::Num).doc("Pods running at once."),
    field("active_deadline_seconds", "activeDeadlineSeconds", F::Num)
        .doc("Seconds the job may run before it is failed."),
    field("template", "template", F::Block(POD_TEMPLATE))
        .required()
        .doc("The pods to run; `restart_policy` must be `Never` or `OnFailure`."),
];

const JOB: &[Field] = &[
    field("metadata", "metadata", F::Block(META_NAMESPACED)),
    field("spec", "spec", F::Block(JOB_SPEC))
        .required()
        .doc("What the job runs."),
];

const JOB_TEMPLATE: &[Field] = &[
    field("metadata", "metadata", F::Block(TEMPLATE_META)).doc("Labels and annotations of the jobs."),
    field("spec", "spec", F::Block(JOB_SPEC))
        .required()
        .doc("The spec of each job."),
];

const CRON_JOB_SPEC: &[Field] = &[
    field("schedule", "schedule", F::Str)
        .required()
        .doc("Cron schedule (`\"0 2 * * *\"`)."),
    field("timezone", "timeZone", F::Str).doc("Time zone of the schedule (`Europe/Paris`); default the controller's."),
    field("concurrency_policy", "concurrencyPolicy", F::Str)
        .doc("`Allow` (the server's default), `Forbid` or `Replace`."),
    field("suspend", "suspend", F::Bool).doc("Stop starting new jobs."),
    field("starting_deadline_seconds", "startingDeadlineSeconds", F::Num)
        .doc("Seconds after a missed start within which the job still starts."),
    field("successful_jobs_history_limit", "successfulJobsHistoryLimit", F::Num)
        .doc("Finished jobs kept; the server's default is 3."),
    field("failed_jobs_history_limit", "failedJobsHistoryLimit", F::Num)
        .doc("Failed jobs kept; the server's default is 1."),
    field("job_template", "jobTemplate", F::Block(JOB_TEMPLATE))
        .required()
        .doc("The job each run creates."),
];

const CRON_JOB: &[Field] = &[
    field("metadata", "metadata", F::Block(META_NAMESPACED)),
    field("spec", "spec", F::Block(CRON_JOB_SPEC))
        .required()
        .doc("When and what the cron job runs."),
];

const SCALE_TARGET: &[Field] = &[
    field("api_version", "apiVersion", F::Str).doc("API version of the target (`apps/v1`)."),
    field("kind", "kind", F::Str)
        .required()
        .doc("Kind of the target (`Deployment`)."),
    field("name", "name", F::Str).required().doc("Name of the target."),
];

const METRIC_TARGET: &[Field] = &[
    field("type", "type", F::Str)
        .required()
        .doc("`Utilization`, `AverageValue` or `Value`."),
    field("average_utilization", "averageUtilization", F::Num)
        .doc("Percent of the pods' requests, with `Utilization`."),
    field("average_value", "averageValue", F::Qty).doc("Per-pod quantity, with `AverageValue`."),
    field("value", "value", F::Qty).doc("Total quantity, with `Value`."),
];

const RESOURCE_METRIC: &[Field] = &[
    field("name", "name", F::Str).required().doc("`cpu` or `memory`."),
    field("target", "target", F::Block(METRIC_TARGET))
        .required()
        .doc("The value to hold."),
];

const METRIC: &[Field] = &[
    field("type", "type", F::Str)
        .required()
        .doc("`Resource` (the one supported here)."),
    field("resource", "resource", F::Block(RESOURCE_METRIC)).doc("A resource metric of the pods."),
];

const HPA_SPEC: &[Field] = &[
    field("scale_target_ref", "scaleTargetRef", F::Block(SCALE_TARGET))
        .required()
        .doc("What is scaled."),
    field("min_replicas", "minReplicas", F::Num).doc("Fewest replicas; the server's default is 1."),
    field("max_replicas", "maxReplicas", F::Num)
        .required()
        .doc("Most replicas."),
    field("metric", "metrics", F::Blocks(METRIC)).doc("A metric to scale on; none: the server scales on 80% CPU."),
];

const HPA: &[Field] = &[
    field("metadata", "metadata", F::Block(META_NAMESPACED)),
    field("spec", "spec", F::Block(HPA_SPEC))
        .required()
        .doc("What is scaled and on which metrics."),
];

fn deployment_defaults(v: &mut Map) {
    default_true(v, "wait_for_rollout");
}

fn job_defaults(v: &mut Map) {
    default_true(v, "wait_for_completion");
}

pub fn kinds() -> Vec<Kind> {
    vec![
        Kind {
            locals: &["wait_for_rollout"],
            wait: Wait::Rollout,
            // The API does not allow changing a Deployment's selector.
            force_new: &["spec.selector"],
            propagation: Propagation::Foreground,
            defaults: deployment_defaults,
            ..kind(
                "kubernetes_deployment",
                ("apps", "v1", "Deployment", "deployments"),
                true,
                DEPLOYMENT,
                with_timeouts(
                    derived(
                        "A Deployment: replicated pods, replaced by a rolling update. Apply waits for the rollout \
                         (every replica updated and available) unless `wait_for_rollout = false`; destroy waits \
                         until the pods are gone. Import with `NAMESPACE/NAME`.",
                        true,
                        DEPLOYMENT,
                    ),
                    " (with the rollout)",
                )
                .attr(
                    "wait_for_rollout",
                    Attribute::optional_computed(Type::Bool)
                        .describe("Wait until the rollout has finished (default true), within `timeouts`."),
                ),
            )
        },
        Kind {
            locals: &["wait_for_completion"],
            wait: Wait::Completion,
            propagation: Propagation::Foreground,
            defaults: job_defaults,
            // A Job's pod template cannot change once it exists.
            force_new: &["spec"],
            ..kind(
                "kubernetes_job",
                ("batch", "v1", "Job", "jobs"),
                true,
                JOB,
                with_timeouts(
                    derived(
                        "A Job: pods that run to completion (a training run). Apply waits for completion unless \
                         `wait_for_completion = false`, and fails with the job's failure message. A changed spec \
                         replaces the job (the API does not allow changing it). Import with `NAMESPACE/NAME`.",
                        true,
                        JOB,
                    ),
                    " (with the job's completion)",
                )
                .attr(
                    "wait_for_completion",
                    Attribute::optional_computed(Type::Bool)
                        .describe("Wait until the job has succeeded (default true), within `timeouts`."),
                ),
            )
        },
        Kind {
            propagation: Propagation::Foreground,
            ..kind(
                "kubernetes_cron_job",
                ("batch", "v1", "CronJob", "cronjobs"),
                true,
                CRON_JOB,
                derived(
                    "A CronJob: a Job on a schedule (nightly training, a drift monitor). Destroy waits until its \
                     jobs and their pods are gone. Import with `NAMESPACE/NAME`.",
                    true,
                    CRON_JOB,
                ),
            )
        },
        // The name carries its API version (autoscaling/v2), as in Terraform's provider: it is
        // registered as is, with no `_v1` alias.
        Kind {
            alias_v1: false,
            ..kind(
                "kubernetes_horizontal_pod_autoscaler_v2",
                (
                    "autoscaling",
                    "v2",
                    "HorizontalPodAutoscaler",
                    "horizontalpodautoscalers",
                ),
                true,
                HPA,
                derived(
                    "A HorizontalPodAutoscaler (autoscaling/v2): scales a Deployment between `min_replicas` and \
                     `max_replicas` on resource metrics. Leave the Deployment's `replicas` unset so the two do not \
                     fight. Import with `NAMESPACE/NAME`.",
                    true,
                    HPA,
                ),
            )
        },
    ]
}
