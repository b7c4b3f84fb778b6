//! Small helpers shared by the resource modules: reading attributes, building values, names to
//! create (and the schema attributes they come from), nested blocks (schemas, the plan rule that
//! keeps AWS-filled block attributes, reading them), running reads a few at a time, and the one family of calls and waits (describe-or-none,
//! idempotent deletes, waiting for an object to be ready or gone). Tags are in `tags`.

use std::collections::BTreeMap;
use std::future::Future;
use std::sync::Arc;
use std::sync::atomic::{AtomicU32, Ordering};
use std::time::{Instant, SystemTime, UNIX_EPOCH};

use aws_smithy_runtime_api::client::orchestrator::HttpResponse;
use aws_smithy_runtime_api::client::result::SdkError;
use aws_smithy_types::error::metadata::ProvideErrorMetadata;
use plinth_sdk::plan::default_plan;
use plinth_sdk::{
    AttrPath, Attribute, BlockSchema, Nesting, PlanRequest, PlanResponse, ProviderDiagnostic, ProviderError, Schema,
    Severity, Type, Value,
};

use crate::Ctx;
use crate::error::{aws_error, is_not_found};

/// An error diagnostic on the argument at `path` (`status`, `rule[0].status`).
pub fn error_at(path: &str, summary: impl Into<String>, detail: impl Into<String>) -> ProviderDiagnostic {
    ProviderDiagnostic {
        severity: Severity::Error,
        summary: summary.into(),
        detail: detail.into(),
        attribute: AttrPath::parse(path).or_else(|| Some(AttrPath::attr(path))),
    }
}

/// An error when `value`, the string argument at `path`, is none of `allowed` (AWS's enums).
pub fn one_of(value: &Value, path: &str, allowed: &[&str]) -> Option<ProviderDiagnostic> {
    let s = value.as_str()?;
    if allowed.contains(&s) {
        return None;
    }
    let expected = match allowed {
        [] => String::new(),
        [one] => (*one).to_string(),
        [rest @ .., last] => format!("{} or {last}", rest.join(", ")),
    };
    let name = path.rsplit('.').next().unwrap_or(path);
    Some(error_at(
        path,
        format!("Invalid {name}"),
        format!("{s:?}: expected {expected}"),
    ))
}

/// [`error_at`] with the summary `Invalid ATTR`.
pub fn invalid(attr: &str, detail: impl Into<String>) -> ProviderDiagnostic {
    error_at(attr, format!("Invalid {attr}"), detail)
}

/// A string attribute, `None` when null or empty.
pub fn opt_str(v: &Value, key: &str) -> Option<String> {
    v.get(key).as_str().filter(|s| !s.is_empty()).map(str::to_string)
}

/// A required string attribute.
pub fn req_str(v: &Value, key: &str) -> Result<String, ProviderError> {
    opt_str(v, key).ok_or_else(|| ProviderError::with_code("MissingAttribute", format!("{key} is required")))
}

/// A number attribute as an integer.
pub fn opt_i64(v: &Value, key: &str) -> Option<i64> {
    v.get(key).as_f64().map(|n| n as i64)
}

/// A bool attribute.
pub fn opt_bool(v: &Value, key: &str) -> Option<bool> {
    v.get(key).as_bool()
}

/// A list of strings attribute (empty when null).
pub fn str_list(v: &Value, key: &str) -> Vec<String> {
    v.get(key)
        .as_list()
        .map(|l| l.iter().filter_map(|x| x.as_str().map(str::to_string)).collect())
        .unwrap_or_default()
}

/// A map of strings attribute (empty when null).
pub fn str_map(v: &Value, key: &str) -> BTreeMap<String, String> {
    v.get(key)
        .as_map()
        .map(|m| {
            m.iter()
                .filter_map(|(k, x)| Some((k.clone(), x.as_str()?.to_string())))
                .collect()
        })
        .unwrap_or_default()
}

pub fn string(s: impl Into<String>) -> Value {
    Value::String(s.into())
}

pub fn opt_string(s: Option<impl Into<String>>) -> Value {
    s.map(|s| Value::String(s.into())).unwrap_or(Value::Null)
}

pub fn number(n: impl Into<f64>) -> Value {
    Value::number(n.into())
}

pub fn list_of_strings<I: IntoIterator<Item = S>, S: Into<String>>(items: I) -> Value {
    Value::List(items.into_iter().map(|s| Value::String(s.into())).collect())
}

pub fn map_of_strings(m: &BTreeMap<String, String>) -> Value {
    Value::Map(m.iter().map(|(k, v)| (k.clone(), Value::String(v.clone()))).collect())
}

/// A set of strings as state holds it: sorted, without repeats (the engine orders a set's
/// configuration the same way).
pub fn sorted_strings<I: IntoIterator<Item = S>, S: Into<String>>(items: I) -> Value {
    let set: std::collections::BTreeSet<String> = items.into_iter().map(Into::into).collect();
    list_of_strings(set)
}

/// Whether two JSON texts are the same document (key order and spacing aside); texts that do
/// not parse compare as text.
pub fn json_equal(a: &str, b: &str) -> bool {
    match (
        serde_json::from_str::<serde_json::Value>(a),
        serde_json::from_str::<serde_json::Value>(b),
    ) {
        (Ok(x), Ok(y)) => x == y,
        _ => a == b,
    }
}

/// A JSON text for state: `known` (the configured or prior text) when it is the same document as
/// `live`, so a reformatting by AWS is no change; `live` otherwise.
pub fn keep_json_text(live: Option<&str>, known: &Value) -> Value {
    match (live, known.as_str()) {
        (Some(l), Some(k)) if json_equal(l, k) => string(k),
        (l, _) => opt_string(l),
    }
}

/// `config` with Terraform's default for each argument in `defaults` that it leaves null, for a
/// plan to start from: an argument with a default is then planned as that value (removing
/// `enable_key_rotation = true` turns rotation off, as in Terraform), and a force-new argument
/// left out does not read as a change from the default the object has.
pub fn with_defaults(config: &Value, defaults: &[(&str, Value)]) -> Value {
    let mut out = config.clone();
    if let Value::Map(m) = &mut out {
        for (k, v) in defaults {
            if m.get(*k).is_none_or(Value::is_null) {
                m.insert(k.to_string(), v.clone());
            }
        }
    }
    out
}

/// The two attributes [`name_or_generated`] reads: `name_attr` (optional, computed when left out;
/// `what` names it in its description, as "Role name") and `prefix_attr`, which conflicts with it.
/// Both force a new object.
pub fn with_generated_name(schema: Schema, (name_attr, prefix_attr): (&str, &str), what: &str) -> Schema {
    schema
        .attr(
            name_attr,
            Attribute::optional_computed(Type::String)
                .force_new()
                .describe(&format!(
                    "{what}; generated from {prefix_attr} (or `plinth-`) when left out."
                )),
        )
        .attr(
            prefix_attr,
            Attribute::optional(Type::String).force_new().describe(&format!(
                "Creates a unique name beginning with this prefix. Conflicts with {name_attr}."
            )),
        )
}

/// The name to create, as Terraform's `create.Name` chooses it: the configured `name_attr`, else
/// the value of `prefix_attr` (`name_prefix`, `bucket_prefix`) plus a unique suffix, else
/// `default_prefix` plus one.
pub fn name_or_generated(planned: &Value, name_attr: &str, prefix_attr: &str, default_prefix: &str) -> String {
    if let Some(name) = opt_str(planned, name_attr) {
        return name;
    }
    unique_name(&opt_str(planned, prefix_attr).unwrap_or_else(|| default_prefix.to_string()))
}

/// A unique name from a prefix, as Terraform's `name_prefix` does: prefix, time, counter.
pub fn unique_name(prefix: &str) -> String {
    static COUNTER: AtomicU32 = AtomicU32::new(0);
    let nanos = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_nanos())
        .unwrap_or_default();
    let n = COUNTER.fetch_add(1, Ordering::Relaxed) % 0x10000;
    format!("{prefix}{nanos:x}{n:04x}")
}

/// Runs `f` on every item, a few at a time (the provider's rate limit still applies), keeping
/// the order of `items`.
pub async fn concurrently<I, T, F, Fut>(items: Vec<I>, f: F) -> Result<Vec<T>, ProviderError>
where
    I: Send + 'static,
    T: Send + 'static,
    F: Fn(I) -> Fut,
    Fut: Future<Output = Result<T, ProviderError>> + Send + 'static,
{
    let limit = Arc::new(tokio::sync::Semaphore::new(8));
    let mut set = tokio::task::JoinSet::new();
    let n = items.len();
    for (i, item) in items.into_iter().enumerate() {
        let fut = f(item);
        let limit = limit.clone();
        set.spawn(async move {
            let _permit = limit.acquire().await;
            (i, fut.await)
        });
    }
    let mut out: Vec<Option<T>> = (0..n).map(|_| None).collect();
    while let Some(joined) = set.join_next().await {
        let (i, r) = joined.map_err(|e| ProviderError::new(format!("a read task failed: {e}")))?;
        out[i] = Some(r?);
    }
    Ok(out.into_iter().flatten().collect())
}

/// Reads each state's object by its `key` attribute with `read(ctx, id)`, a few at a time (see
/// [`concurrently`]), in the order of `states`; a state without the attribute reads as `None`.
pub async fn read_each<T, F, Fut>(
    ctx: &Ctx,
    states: &[Value],
    key: &str,
    read: F,
) -> Result<Vec<Option<T>>, ProviderError>
where
    T: Send + 'static,
    F: Fn(Ctx, String) -> Fut,
    Fut: Future<Output = Result<Option<T>, ProviderError>> + Send + 'static,
{
    let ids: Vec<Option<String>> = states.iter().map(|s| opt_str(s, key)).collect();
    concurrently(ids, |id| {
        let reading = id.map(|id| read(ctx.clone(), id));
        async move {
            match reading {
                Some(r) => r.await,
                None => Ok(None),
            }
        }
    })
    .await
}

/// The objects named in `names` that exist, by name, for APIs whose describe call takes one
/// name or none (the whole listing), such as DescribeDBSubnetGroups: one name is looked up by
/// itself with `one` (`None` when missing), more are picked out of the listing, read a page at a
/// time with `page` (given the previous page's marker, returning the page and the next marker).
pub async fn find_named<T, One, OneFut, Page, PageFut>(
    names: &[String],
    name_of: fn(&T) -> Option<&str>,
    one: One,
    mut page: Page,
) -> Result<std::collections::HashMap<String, T>, ProviderError>
where
    One: FnOnce(String) -> OneFut,
    OneFut: Future<Output = Result<Option<T>, ProviderError>>,
    Page: FnMut(Option<String>) -> PageFut,
    PageFut: Future<Output = Result<(Vec<T>, Option<String>), ProviderError>>,
{
    let mut found = std::collections::HashMap::new();
    match names {
        [] => {}
        [single] => {
            if let Some(t) = one(single.clone()).await? {
                found.insert(single.clone(), t);
            }
        }
        many => {
            let wanted: std::collections::HashSet<&str> = many.iter().map(String::as_str).collect();
            let mut marker = None;
            loop {
                let (items, next) = page(marker).await?;
                for t in items {
                    if let Some(n) = name_of(&t).filter(|n| wanted.contains(n)) {
                        found.insert(n.to_string(), t);
                    }
                }
                marker = next.filter(|m| !m.is_empty());
                if marker.is_none() {
                    break;
                }
            }
        }
    }
    Ok(found)
}

/// The objects among `ids` that exist, for a Describe call that takes a list of ids but fails as
/// a whole when one is missing: `describe_ids(ctx, ids)` of up to `chunk` ids a call, `None` when
/// one of them is gone; then each id of that chunk alone, a few at a time.
pub async fn describe_chunked<T, F, Fut>(
    ctx: &Ctx,
    ids: &[String],
    chunk: usize,
    describe_ids: F,
) -> Result<std::collections::HashMap<String, T>, ProviderError>
where
    T: Send + 'static,
    F: Fn(Ctx, Vec<String>) -> Fut + Copy,
    Fut: Future<Output = Result<Option<Vec<(String, T)>>, ProviderError>> + Send + 'static,
{
    let mut out = std::collections::HashMap::new();
    for part in ids.chunks(chunk.max(1)) {
        let found = match describe_ids(ctx.clone(), part.to_vec()).await? {
            Some(found) => found,
            None => concurrently(part.to_vec(), |id| {
                let fut = describe_ids(ctx.clone(), vec![id]);
                async move { Ok(fut.await?.unwrap_or_default()) }
            })
            .await?
            .into_iter()
            .flatten()
            .collect(),
        };
        out.extend(found);
    }
    Ok(out)
}

/// `Ok(None)` for a missing object (see [`is_not_found`]), the value otherwise, an error for
/// anything else.
pub fn found<T, E>(r: Result<T, SdkError<E, HttpResponse>>) -> Result<Option<T>, ProviderError>
where
    E: ProvideErrorMetadata + std::error::Error + Send + Sync + 'static,
{
    match r {
        Ok(v) => Ok(Some(v)),
        Err(e) if is_not_found(&e) => Ok(None),
        Err(e) => Err(aws_error(e)),
    }
}

/// Makes one call that fails for a missing object: `Ok(None)` then.
pub async fn call_found<T, E>(
    call: impl Future<Output = Result<T, SdkError<E, HttpResponse>>>,
) -> Result<Option<T>, ProviderError>
where
    E: ProvideErrorMetadata + std::error::Error + Send + Sync + 'static,
{
    found(call.await)
}

/// Makes a delete call; an object that does not exist is deleted. Returns whether it existed.
pub async fn delete_call<T, E>(
    call: impl Future<Output = Result<T, SdkError<E, HttpResponse>>>,
) -> Result<bool, ProviderError>
where
    E: ProvideErrorMetadata + std::error::Error + Send + Sync + 'static,
{
    Ok(call_found(call).await?.is_some())
}

/// Deletes the object (`what`, such as "SageMaker model NAME") with `call` and waits until
/// `exists` reports it gone. One already gone is deleted.
pub async fn delete_and_wait<T, E, F, Fut>(
    ctx: &Ctx,
    what: &str,
    call: impl Future<Output = Result<T, SdkError<E, HttpResponse>>>,
    exists: F,
) -> Result<(), ProviderError>
where
    E: ProvideErrorMetadata + std::error::Error + Send + Sync + 'static,
    F: FnMut() -> Fut,
    Fut: Future<Output = Result<bool, ProviderError>>,
{
    if !delete_call(call).await? {
        return Ok(());
    }
    wait_gone(ctx, what, exists).await
}

/// Waits until `exists` reports the object (`what`) gone.
pub async fn wait_gone<F, Fut>(ctx: &Ctx, what: &str, mut exists: F) -> Result<(), ProviderError>
where
    F: FnMut() -> Fut,
    Fut: Future<Output = Result<bool, ProviderError>>,
{
    wait_for(ctx, &format!("{what} to be deleted"), || {
        let f = exists();
        async move { Ok(if f.await? { None } else { Some(()) }) }
    })
    .await
}

tokio::task_local! {
    /// The limit of the operation running on this task: set by the provider's dispatch from the
    /// resource's `timeouts` block (see [`within_timeout`]), read by every wait.
    static DEADLINE: Deadline;
}

/// How long one create, update or delete may take, and whether the resource set it.
#[derive(Clone, Copy, Debug)]
pub struct Deadline {
    /// When the operation started.
    pub start: Instant,
    pub limit: std::time::Duration,
    /// The operation (`create`, `update`, `delete`).
    pub op: &'static str,
    /// The limit came from the resource's `timeouts` block, not the provider's default.
    pub configured: bool,
}

/// Runs one operation `op` of a resource whose configuration (planned value, or the prior state
/// for a delete) is `v`, so that every wait inside it gives up when the operation has taken the
/// resource's `timeouts.<op>` (or the provider's default wait).
pub async fn within_timeout<F: Future>(
    ctx: &Ctx,
    v: &Value,
    op: &'static str,
    f: F,
) -> Result<F::Output, ProviderError> {
    let limit = plinth_sdk::timeouts::timeout(v, op, ctx.wait_timeout)?;
    let deadline = Deadline {
        start: Instant::now(),
        limit,
        op,
        configured: plinth_sdk::timeouts::entry(v, op).is_some(),
    };
    Ok(DEADLINE.scope(deadline, f).await)
}

/// Polls `check` until it returns `Some`, at the context's interval, until the operation's
/// deadline ([`within_timeout`]; outside one, the provider's default wait from now).
///
/// A poll that fails with a retryable error (throttling, 5xx, a broken connection) after the
/// SDK's own retries is one more "not yet": the wait goes on, and a wait that times out names that
/// last error. Any other error ends the wait at once.
pub async fn wait_for<T, F, Fut>(ctx: &Ctx, what: &str, mut check: F) -> Result<T, ProviderError>
where
    F: FnMut() -> Fut,
    Fut: Future<Output = Result<Option<T>, ProviderError>>,
{
    let start = Instant::now();
    let deadline = DEADLINE.try_with(|d| *d).unwrap_or(Deadline {
        start,
        limit: ctx.wait_timeout,
        op: "create",
        configured: false,
    });
    let mut last_error: Option<ProviderError>;
    loop {
        match check().await {
            Ok(Some(v)) => return Ok(v),
            Ok(None) => last_error = None,
            Err(e) if e.kind.is_retryable() => {
                tracing::warn!(waiting_for = what, error = %e, "a poll failed; polling on");
                last_error = Some(e);
            }
            Err(e) => return Err(e),
        }
        let left = deadline.limit.saturating_sub(deadline.start.elapsed());
        if left.is_zero() {
            let limit = plinth_sdk::timeouts::show(deadline.limit);
            let how = if deadline.configured {
                format!("the resource's timeouts.{} is {limit}", deadline.op)
            } else {
                format!("the default for a {} is {limit}", deadline.op)
            };
            let last = last_error
                .map(|e| match &e.code {
                    Some(code) => format!("; the last poll failed: {code}: {}", e.message),
                    None => format!("; the last poll failed: {}", e.message),
                })
                .unwrap_or_default();
            return Err(ProviderError::with_code(
                "WaitTimeout",
                format!("gave up waiting for {what} after {limit} ({how}){last}"),
            )
            .with_hint(format!(
                "If it is only slow, allow longer with timeouts {{ {} = \"1h\" }} in the resource.",
                deadline.op
            )));
        }
        tracing::info!(
            waiting_for = what,
            elapsed_s = start.elapsed().as_secs(),
            "still waiting"
        );
        tokio::time::sleep(ctx.poll_interval.min(left)).await;
    }
}

// ---------------------------------------------------------------------------------------------
// Nested blocks: schemas, planning, reading

/// Sorts and deduplicates blocks the way the engine orders a set of blocks.
pub fn as_block_set(mut items: Vec<Value>) -> Value {
    items.sort_by_key(|v| v.to_json().to_string());
    items.dedup();
    Value::List(items)
}

/// A block that appears at most once (`min` 1 makes it required).
pub fn single(schema: Schema, min: usize, force_new: bool) -> BlockSchema {
    BlockSchema {
        nesting: Nesting::Single,
        schema,
        min_items: min,
        max_items: Some(1),
        force_new,
    }
}

/// A repeated block, in source order.
pub fn list(schema: Schema, min: usize, max: Option<usize>, force_new: bool) -> BlockSchema {
    BlockSchema {
        nesting: Nesting::List,
        schema,
        min_items: min,
        max_items: max,
        force_new,
    }
}

/// Gives `v` (an object under `schema`) every attribute and block key, recursively: attributes
/// `Null`, single blocks `Null`, repeated blocks `[]` — except a block computed when omitted
/// ([`Schema::computed_when_omitted`]), which stays `Null`: left out it means "whatever AWS has",
/// which the plan keeps from the prior state (or leaves unknown), not "no blocks". The engine
/// already sends full objects; this keeps the comparison of configuration and state exact
/// whatever the caller sends.
pub fn conform(schema: &Schema, v: &Value) -> Value {
    let Some(m) = v.as_map() else { return v.clone() };
    let mut out = m.clone();
    for name in schema.attributes.keys() {
        out.entry(name.clone()).or_insert(Value::Null);
    }
    for (name, bs) in &schema.blocks {
        let cur = out.remove(name).unwrap_or(Value::Null);
        let new = match (bs.nesting, cur) {
            (Nesting::Single, Value::Map(item)) => conform(&bs.schema, &Value::Map(item)),
            (Nesting::Single, other) => other,
            (_, Value::List(items)) => Value::List(items.iter().map(|i| conform(&bs.schema, i)).collect()),
            (_, Value::Null) if schema.computed_when_omitted.contains(name) => Value::Null,
            (_, Value::Null) => Value::List(vec![]),
            (_, other) => other,
        };
        out.insert(name.clone(), new);
    }
    Value::Map(out)
}

/// Inside blocks, an optional+computed attribute left unset in the configuration takes the prior
/// value of the same block item (by position), or is unknown on a new item: a default AWS fills in
/// (a variant weight of 1, a local path) is not a change.
pub fn fill_block_computed(schema: &Schema, config: &Value, prior: Option<&Value>) -> Value {
    let Some(m) = config.as_map() else {
        return config.clone();
    };
    let mut out = m.clone();
    for (name, bs) in &schema.blocks {
        let cfg = m.get(name).unwrap_or(&Value::Null);
        let pri = prior.map(|p| p.get(name));
        let new = match (bs.nesting, cfg) {
            (Nesting::Single, Value::Map(_)) => fill_item(&bs.schema, cfg, pri.filter(|p| p.as_map().is_some())),
            (_, Value::List(items)) => Value::List(
                items
                    .iter()
                    .enumerate()
                    .map(|(i, item)| {
                        let p = pri.and_then(|p| p.as_list()).and_then(|l| l.get(i));
                        fill_item(&bs.schema, item, p)
                    })
                    .collect(),
            ),
            _ => cfg.clone(),
        };
        out.insert(name.clone(), new);
    }
    Value::Map(out)
}

fn fill_item(schema: &Schema, item: &Value, prior: Option<&Value>) -> Value {
    let Some(m) = item.as_map() else { return item.clone() };
    let mut out = m.clone();
    for (name, attr) in &schema.attributes {
        if attr.computed && m.get(name).is_none_or(Value::is_null) {
            let v = match prior {
                Some(p) => p.get(name).clone(),
                None => Value::Unknown,
            };
            out.insert(name.clone(), v);
        }
    }
    fill_block_computed(schema, &Value::Map(out), prior)
}

/// The engine's plan rule for a type with nested blocks: the configuration given every key
/// ([`conform`]), and optional+computed block attributes left unset kept from the prior state
/// ([`fill_block_computed`]).
pub fn plan_blocks(schema: &Schema, req: &PlanRequest) -> PlanResponse {
    let config = conform(schema, &req.config);
    let config = fill_block_computed(schema, &config, req.prior.as_ref());
    default_plan(schema, req.prior.as_ref(), &config)
}

/// The items of a repeated block (empty when null or unknown).
pub fn items<'a>(v: &'a Value, key: &str) -> &'a [Value] {
    v.get(key).as_list().map(Vec::as_slice).unwrap_or_default()
}

/// A single block's object, when set.
pub fn block<'a>(v: &'a Value, key: &str) -> Option<&'a Value> {
    let b = v.get(key);
    b.as_map().map(|_| b)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A wait inside an operation gives up at the operation's `timeouts` entry, naming it.
    #[tokio::test]
    async fn a_wait_gives_up_at_the_operations_timeouts_entry() {
        let settings = crate::ctx::Settings {
            region: Some("us-east-1".into()),
            endpoint_url: Some("http://127.0.0.1:1".into()),
            access_key: Some("testing".into()),
            secret_key: Some("testing".into()),
            ..crate::ctx::Settings::default()
        };
        let ctx = Ctx::new(&settings).await.expect("configured");
        let v = Value::object([(
            "timeouts",
            Value::List(vec![Value::object([("delete", Value::string("1s"))])]),
        )]);
        let start = Instant::now();
        let never = wait_for(&ctx, "the thing to be gone", || async {
            Ok::<Option<()>, ProviderError>(None)
        });
        let e = within_timeout(&ctx, &v, "delete", never)
            .await
            .expect("a duration")
            .expect_err("it never goes");
        let waited = start.elapsed();
        assert_eq!(e.code.as_deref(), Some("WaitTimeout"));
        assert_eq!(
            e.message,
            "gave up waiting for the thing to be gone after 1s (the resource's timeouts.delete is 1s)"
        );
        assert!(e.hint.is_some_and(|h| h.contains("timeouts { delete = \"1h\" }")));
        assert!(waited >= std::time::Duration::from_secs(1), "{waited:?}");
        assert!(waited < std::time::Duration::from_secs(4), "{waited:?}");
    }

    /// A repeated block computed when omitted (`health_check`, `setting`) and left out of the
    /// configuration is planned as the prior blocks on an update and unknown on a create, not as
    /// zero blocks; `name = []` still asks for none.
    #[test]
    fn an_omitted_computed_block_is_not_planned_as_zero_blocks() {
        let schema = Schema::new("t")
            .attr("name", Attribute::required(Type::String))
            .block(
                "check",
                list(
                    Schema::new("c").attr("path", Attribute::optional(Type::String)),
                    0,
                    Some(1),
                    false,
                ),
            )
            .computed_when_omitted("check");
        let checks = Value::List(vec![Value::object([("path", string("/"))])]);
        let prior = Value::object([("name", string("a")), ("check", checks.clone())]);
        let plan = |prior: Option<&Value>, config: Value| {
            plan_blocks(
                &schema,
                &PlanRequest {
                    type_name: "t".into(),
                    address: "t.a".into(),
                    prior: prior.cloned(),
                    config,
                },
            )
            .planned
        };
        let left_out = Value::object([("name", string("a"))]);
        assert_eq!(plan(Some(&prior), left_out.clone()).get("check"), &checks);
        assert_eq!(plan(None, left_out).get("check"), &Value::Unknown);
        let null = Value::object([("name", string("a")), ("check", Value::Null)]);
        assert_eq!(plan(Some(&prior), null).get("check"), &checks);
        let none = Value::object([("name", string("a")), ("check", Value::List(vec![]))]);
        assert_eq!(plan(Some(&prior), none).get("check"), &Value::List(vec![]));
        // An ordinary repeated block left out is still zero blocks.
        let plain = Schema::new("t").block(
            "rule",
            list(
                Schema::new("r").attr("x", Attribute::optional(Type::String)),
                0,
                None,
                false,
            ),
        );
        assert_eq!(
            conform(&plain, &Value::object([("x", Value::Null)])).get("rule"),
            &Value::List(vec![])
        );
    }

    #[test]
    fn unique_names_differ() {
        let a = unique_name("p-");
        let b = unique_name("p-");
        assert_ne!(a, b);
        assert!(a.starts_with("p-") && a.len() <= 64);
    }
}
