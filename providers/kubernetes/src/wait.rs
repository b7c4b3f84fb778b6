//! What apply waits for after writing a workload: a Deployment's rollout, a Job's completion, a
//! PersistentVolumeClaim's binding; and the `timeouts` block's durations.
//!
//! Waiting polls the object (one GET a second) rather than watching: the checks are small, the
//! time limit is simple to hold, and on a timeout the last object read is what the error explains
//! — for a Deployment, how many replicas are unavailable and why (a pod's `Unschedulable`
//! message, a container's waiting reason), read from its pods.

use std::time::Duration;

use kube::api::{Api, ApiResource, DynamicObject, ListParams};
use plinth_sdk::{ProviderError, Value};
use serde_json::Value as Json;
use tokio::time::Instant;

use crate::client::Ctx;
use crate::kinds::{Kind, Wait};

/// The default of every `timeouts` entry, as in Terraform's provider.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(10 * 60);

const POLL: Duration = Duration::from_secs(1);

/// How often a long wait is logged.
const PROGRESS_EVERY: Duration = Duration::from_secs(10);

pub use plinth_sdk::timeouts::{parse_duration, show};

/// The `timeouts` entry `op` (`create`, `update`, `delete`) of a planned or stored value.
pub fn timeout(v: &Value, op: &str) -> Result<Duration, ProviderError> {
    plinth_sdk::timeouts::timeout(v, op, DEFAULT_TIMEOUT)
}

/// Where a wait stands after one look at the object.
#[derive(Debug, PartialEq, Eq)]
pub enum Progress {
    Done,
    /// Still going; the text says what is missing.
    Pending(String),
    /// It will not get there (a failed Job, a Deployment past its progress deadline).
    Failed(String),
}

fn int(obj: &Json, pointer: &str) -> Option<i64> {
    obj.pointer(pointer).and_then(Json::as_i64)
}

fn condition<'a>(obj: &'a Json, kind: &str) -> Option<&'a Json> {
    obj.pointer("/status/conditions")?
        .as_array()?
        .iter()
        .find(|c| c.get("type").and_then(Json::as_str) == Some(kind))
}

fn text<'a>(c: &'a Json, key: &str) -> &'a str {
    c.get(key).and_then(Json::as_str).unwrap_or_default()
}

/// A Deployment's rollout, judged as `kubectl rollout status` does.
pub fn rollout(obj: &Json) -> Progress {
    // A paused deployment does not roll out until it is resumed: nothing to wait for.
    if obj.pointer("/spec/paused").and_then(Json::as_bool) == Some(true) {
        return Progress::Done;
    }
    let generation = int(obj, "/metadata/generation").unwrap_or(0);
    let observed = int(obj, "/status/observedGeneration").unwrap_or(0);
    if observed < generation {
        return Progress::Pending("the controller has not seen the new spec yet".into());
    }
    if let Some(c) = condition(obj, "Progressing")
        && text(c, "reason") == "ProgressDeadlineExceeded"
    {
        let mut why = format!("the rollout exceeded its progress deadline: {}", text(c, "message"));
        if let Some(failure) = replica_failure(obj) {
            why.push_str(&format!(" ({failure})"));
        }
        return Progress::Failed(why);
    }
    let desired = int(obj, "/spec/replicas").unwrap_or(1);
    let updated = int(obj, "/status/updatedReplicas").unwrap_or(0);
    let total = int(obj, "/status/replicas").unwrap_or(0);
    let available = int(obj, "/status/availableReplicas").unwrap_or(0);
    if updated < desired {
        Progress::Pending(format!("{updated} of {desired} replicas updated"))
    } else if total > updated {
        Progress::Pending(format!("{} old replicas are still being replaced", total - updated))
    } else if available < updated {
        Progress::Pending(format!("{available} of {updated} updated replicas available"))
    } else {
        Progress::Done
    }
}

/// Why the controller cannot create pods (a `ReplicaFailure` condition: an invalid pod, a
/// quota), when it says so.
fn replica_failure(obj: &Json) -> Option<String> {
    let c = condition(obj, "ReplicaFailure").filter(|c| text(c, "status") == "True")?;
    Some(format!("{}: {}", text(c, "reason"), text(c, "message")))
}

/// A Job's completion.
pub fn completion(obj: &Json) -> Progress {
    if let Some(c) = condition(obj, "Failed")
        && text(c, "status") == "True"
    {
        return Progress::Failed(format!("{}: {}", text(c, "reason"), text(c, "message")));
    }
    match condition(obj, "Complete") {
        Some(c) if text(c, "status") == "True" => Progress::Done,
        _ => Progress::Pending(format!(
            "{} active, {} succeeded, {} failed pods",
            int(obj, "/status/active").unwrap_or(0),
            int(obj, "/status/succeeded").unwrap_or(0),
            int(obj, "/status/failed").unwrap_or(0)
        )),
    }
}

/// A PersistentVolumeClaim's binding.
pub fn bound(obj: &Json) -> Progress {
    match obj.pointer("/status/phase").and_then(Json::as_str) {
        Some("Bound") => Progress::Done,
        Some("Lost") => Progress::Failed("the claim lost its volume".into()),
        phase => Progress::Pending(format!("phase {}", phase.unwrap_or("unknown"))),
    }
}

/// Why pods are not ready, from their conditions and container states: at most three distinct
/// reasons, each with one pod that has it.
pub fn pod_problems(pods: &[Json]) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    let mut seen: Vec<String> = Vec::new();
    for pod in pods {
        let name = pod.pointer("/metadata/name").and_then(Json::as_str).unwrap_or("?");
        if pod.pointer("/metadata/deletionTimestamp").is_some() {
            continue;
        }
        let ready = condition(pod, "Ready").is_some_and(|c| text(c, "status") == "True");
        if ready {
            continue;
        }
        let mut why = None;
        if let Some(c) = condition(pod, "PodScheduled")
            && text(c, "status") == "False"
        {
            why = Some(format!("{}: {}", text(c, "reason"), text(c, "message")));
        }
        if why.is_none() {
            let statuses = pod
                .pointer("/status/containerStatuses")
                .and_then(Json::as_array)
                .into_iter()
                .flatten();
            for s in statuses {
                if let Some(w) = s.pointer("/state/waiting") {
                    let container = s.get("name").and_then(Json::as_str).unwrap_or("?");
                    let message = text(w, "message");
                    why = Some(if message.is_empty() {
                        format!("container {container} waiting: {}", text(w, "reason"))
                    } else {
                        format!("container {container} waiting: {}: {message}", text(w, "reason"))
                    });
                    break;
                }
            }
        }
        let why = why.unwrap_or_else(|| {
            format!(
                "phase {}, not ready",
                pod.pointer("/status/phase").and_then(Json::as_str).unwrap_or("unknown")
            )
        });
        if !seen.contains(&why) {
            out.push(format!("pod {name}: {why}"));
            seen.push(why);
        }
        if out.len() == 3 {
            break;
        }
    }
    out
}

/// The label selector (`a=b,c=d`) of a Deployment's `matchLabels`.
fn selector(obj: &Json) -> Option<String> {
    let labels = obj.pointer("/spec/selector/matchLabels")?.as_object()?;
    Some(
        labels
            .iter()
            .filter_map(|(k, v)| Some(format!("{k}={}", v.as_str()?)))
            .collect::<Vec<_>>()
            .join(","),
    )
}

async fn pods(ctx: &Ctx, ns: &str, selector: &str) -> Vec<Json> {
    let ar = ApiResource {
        group: String::new(),
        version: "v1".into(),
        api_version: "v1".into(),
        kind: "Pod".into(),
        plural: "pods".into(),
    };
    let api: Api<DynamicObject> = Api::namespaced_with(ctx.client.clone(), ns, &ar);
    match api.list(&ListParams::default().labels(selector).limit(50)).await {
        Ok(list) => list
            .items
            .into_iter()
            .filter_map(|p| serde_json::to_value(p).ok())
            .collect(),
        // The explanation is best effort: the timeout is the error.
        Err(e) => {
            tracing::debug!("listing the pods for a timeout message failed: {e}");
            Vec::new()
        }
    }
}

/// Waits for what `kind` waits for, if `planned` asks for it; `op` is `create` or `update`.
/// Returns the object as last read (its status is not state, but its metadata is current).
pub async fn after_apply(
    ctx: &Ctx,
    kind: &Kind,
    ns: Option<&str>,
    name: &str,
    planned: &Value,
    op: &str,
    address: &str,
) -> Result<Option<Json>, ProviderError> {
    let (check, flag, what): (fn(&Json) -> Progress, &str, &str) = match kind.wait {
        Wait::Nothing => return Ok(None),
        Wait::Rollout => (rollout, "wait_for_rollout", "the rollout"),
        Wait::Completion => (completion, "wait_for_completion", "completion"),
        Wait::Bound => (bound, "wait_until_bound", "binding"),
    };
    if planned.get(flag).as_bool() == Some(false) {
        return Ok(None);
    }
    let limit = kind.timeout(planned, op)?;
    let id = match ns {
        Some(ns) => format!("{ns}/{name}"),
        None => name.to_string(),
    };
    let fetch = || async {
        ctx.get(kind, ns, name).await?.ok_or_else(|| {
            ProviderError::with_code(
                "NotFound",
                format!("{} {id} disappeared while apply waited for {what}", kind.kind),
            )
        })
    };
    let progress = |pending: &str, waited: Duration| {
        tracing::info!(
            "{address}: waiting for {what} of {} {id} ({pending}, {}s)",
            kind.kind,
            waited.as_secs()
        );
    };
    match poll(limit, fetch, check, progress).await? {
        Ok(obj) => Ok(Some(obj)),
        Err(Stopped::Failed { why, .. }) => {
            let code = if kind.wait == Wait::Completion {
                "JobFailed"
            } else {
                "RolloutFailed"
            };
            Err(ProviderError::with_code(
                code,
                format!("{} {id} failed: {why}", kind.kind),
            ))
        }
        Err(Stopped::TimedOut { last, pending }) => {
            Err(timed_out(ctx, kind, &id, ns, &last, what, limit, &pending).await)
        }
    }
}

/// How a [`poll`] ended when the object did not get there, with the object as last read.
pub enum Stopped {
    /// [`Progress::Failed`]: it never will.
    Failed { last: Json, why: String },
    /// `limit` passed; `pending` says what was still missing.
    TimedOut { last: Json, pending: String },
}

/// The provider's one waiting loop (typed kinds' rollouts, completions and bindings, and
/// `kubernetes_manifest`'s waits): reads the object with `fetch` until `check` says it is done
/// (`Ok(object)`), that it will not get there, or `limit` has passed; calls `progress` with what
/// is pending every [`PROGRESS_EVERY`]. An error reading the object ends the wait with it.
pub async fn poll<F: Future<Output = Result<Json, ProviderError>>>(
    limit: Duration,
    fetch: impl Fn() -> F,
    check: impl Fn(&Json) -> Progress,
    progress: impl Fn(&str, Duration),
) -> Result<Result<Json, Stopped>, ProviderError> {
    let started = Instant::now();
    let mut last_log = started;
    loop {
        let obj = fetch().await?;
        let pending = match check(&obj) {
            Progress::Done => return Ok(Ok(obj)),
            Progress::Failed(why) => return Ok(Err(Stopped::Failed { last: obj, why })),
            Progress::Pending(p) => p,
        };
        if started.elapsed() >= limit {
            return Ok(Err(Stopped::TimedOut { last: obj, pending }));
        }
        if last_log.elapsed() >= PROGRESS_EVERY {
            last_log = Instant::now();
            progress(&pending, started.elapsed());
        }
        tokio::time::sleep(
            POLL.min(limit.saturating_sub(started.elapsed()))
                .max(Duration::from_millis(50)),
        )
        .await;
    }
}

#[allow(clippy::too_many_arguments)]
async fn timed_out(
    ctx: &Ctx,
    kind: &Kind,
    id: &str,
    ns: Option<&str>,
    obj: &Json,
    what: &str,
    limit: Duration,
    pending: &str,
) -> ProviderError {
    let mut message = format!("{} {id}: {what} did not finish within {}", kind.kind, show(limit));
    if kind.wait == Wait::Rollout {
        let desired = int(obj, "/spec/replicas").unwrap_or(1);
        let available = int(obj, "/status/availableReplicas").unwrap_or(0);
        let unavailable = int(obj, "/status/unavailableReplicas").unwrap_or((desired - available).max(0));
        message.push_str(&format!(": {unavailable} of {desired} replicas unavailable"));
        if let Some(failure) = replica_failure(obj) {
            message.push_str(&format!(" ({failure})"));
        }
        if let (Some(ns), Some(sel)) = (ns, selector(obj)) {
            let problems = pod_problems(&pods(ctx, ns, &sel).await);
            if !problems.is_empty() {
                message.push_str(&format!(" ({})", problems.join("; ")));
            }
        }
    } else {
        message.push_str(&format!(": {pending}"));
    }
    message.push_str(". Raise `timeouts`, or fix the cause and apply again");
    ProviderError::with_code("WaitTimeout", message)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn durations_read_as_terraform_writes_them() {
        assert_eq!(parse_duration("10m"), Some(Duration::from_secs(600)));
        assert_eq!(parse_duration("1h30m"), Some(Duration::from_secs(5400)));
        assert_eq!(parse_duration("90s"), Some(Duration::from_secs(90)));
        assert_eq!(parse_duration("500ms"), Some(Duration::from_millis(500)));
        assert_eq!(parse_duration("10"), None);
        assert_eq!(parse_duration("ten minutes"), None);
        assert_eq!(parse_duration(""), None);
        assert_eq!(show(Duration::from_secs(5400)), "1h 30m");
        assert_eq!(show(Duration::from_secs(600)), "10m");
        assert_eq!(show(Duration::from_secs(15)), "15s");
    }

    #[test]
    fn timeouts_default_to_ten_minutes_and_name_a_bad_entry() {
        let v = Value::object([(
            "timeouts",
            Value::List(vec![Value::object([
                ("create", Value::string("20s")),
                ("update", Value::string("soon")),
                ("delete", Value::Null),
            ])]),
        )]);
        assert_eq!(timeout(&v, "create").expect("ok"), Duration::from_secs(20));
        assert_eq!(timeout(&v, "delete").expect("ok"), DEFAULT_TIMEOUT);
        let e = timeout(&v, "update").expect_err("bad");
        assert!(e.message.contains("timeouts.update \"soon\""), "{}", e.message);
        assert_eq!(timeout(&Value::Null, "create").expect("ok"), DEFAULT_TIMEOUT);
    }

    #[test]
    fn a_rollout_is_done_when_every_replica_is_updated_and_available() {
        let d = |gen_seen: i64, updated: i64, total: i64, available: i64| {
            json!({"metadata": {"generation": 2}, "spec": {"replicas": 2},
                   "status": {"observedGeneration": gen_seen, "updatedReplicas": updated,
                              "replicas": total, "availableReplicas": available}})
        };
        assert_eq!(rollout(&d(2, 2, 2, 2)), Progress::Done);
        let mut paused = d(1, 0, 0, 0);
        paused["spec"]["paused"] = json!(true);
        assert_eq!(rollout(&paused), Progress::Done);
        assert!(matches!(rollout(&d(1, 2, 2, 2)), Progress::Pending(_)));
        assert_eq!(
            rollout(&d(2, 1, 2, 2)),
            Progress::Pending("1 of 2 replicas updated".into())
        );
        assert!(matches!(rollout(&d(2, 2, 3, 2)), Progress::Pending(_)));
        assert_eq!(
            rollout(&d(2, 2, 2, 0)),
            Progress::Pending("0 of 2 updated replicas available".into())
        );
        let stuck = json!({"metadata": {"generation": 1}, "status": {"observedGeneration": 1,
            "conditions": [{"type": "Progressing", "status": "False", "reason": "ProgressDeadlineExceeded",
                            "message": "ReplicaSet \"web-1\" has timed out progressing."},
                           {"type": "ReplicaFailure", "status": "True", "reason": "FailedCreate",
                            "message": "Pod \"web-1-x\" is invalid: must be less than or equal to cpu limit of 500m"}]}});
        assert_eq!(
            rollout(&stuck),
            Progress::Failed(
                "the rollout exceeded its progress deadline: ReplicaSet \"web-1\" has timed out progressing. \
                 (FailedCreate: Pod \"web-1-x\" is invalid: must be less than or equal to cpu limit of 500m)"
                    .into()
            )
        );
    }

    #[test]
    fn a_job_fails_with_its_condition_message() {
        let failed = json!({"status": {"conditions": [
            {"type": "Failed", "status": "True", "reason": "BackoffLimitExceeded", "message": "Job has reached the specified backoff limit"}]}});
        assert_eq!(
            completion(&failed),
            Progress::Failed("BackoffLimitExceeded: Job has reached the specified backoff limit".into())
        );
        let done = json!({"status": {"conditions": [{"type": "Complete", "status": "True"}]}});
        assert_eq!(completion(&done), Progress::Done);
        assert!(matches!(
            completion(&json!({"status": {"active": 1}})),
            Progress::Pending(_)
        ));
        assert_eq!(bound(&json!({"status": {"phase": "Bound"}})), Progress::Done);
    }

    #[test]
    fn unready_pods_explain_themselves() {
        let pods = vec![
            json!({"metadata": {"name": "web-1"}, "status": {"phase": "Pending", "conditions": [
                {"type": "PodScheduled", "status": "False", "reason": "Unschedulable",
                 "message": "0/1 nodes are available: 1 Insufficient nvidia.com/gpu."}]}}),
            json!({"metadata": {"name": "web-2"}, "status": {"phase": "Pending", "conditions": [
                {"type": "PodScheduled", "status": "False", "reason": "Unschedulable",
                 "message": "0/1 nodes are available: 1 Insufficient nvidia.com/gpu."}]}}),
            json!({"metadata": {"name": "web-3"}, "status": {"phase": "Pending",
                "containerStatuses": [{"name": "app", "state": {"waiting": {"reason": "ImagePullBackOff"}}}]}}),
            json!({"metadata": {"name": "web-4"}, "status": {"phase": "Running", "conditions": [
                {"type": "Ready", "status": "True"}]}}),
        ];
        assert_eq!(
            pod_problems(&pods),
            vec![
                "pod web-1: Unschedulable: 0/1 nodes are available: 1 Insufficient nvidia.com/gpu.".to_string(),
                "pod web-3: container app waiting: ImagePullBackOff".to_string(),
            ]
        );
    }
}
