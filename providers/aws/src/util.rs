//! Small helpers shared by the resource modules: reading attributes, building values, the
//! `tags`/`tags_all` schema pair and tag syncing, unique names, running reads a few at a time,
//! waiting.

use std::collections::BTreeMap;
use std::future::Future;
use std::sync::Arc;
use std::sync::atomic::{AtomicU32, Ordering};
use std::time::{Instant, SystemTime, UNIX_EPOCH};

use plinth_sdk::{Attribute, ProviderError, Schema, Type, Value};

use crate::Ctx;

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
    Value::Number(n.into())
}

pub fn list_of_strings<I: IntoIterator<Item = S>, S: Into<String>>(items: I) -> Value {
    Value::List(items.into_iter().map(|s| Value::String(s.into())).collect())
}

pub fn map_of_strings(m: &BTreeMap<String, String>) -> Value {
    Value::Map(m.iter().map(|(k, v)| (k.clone(), Value::String(v.clone()))).collect())
}

/// A tags map for state: null when empty and the configuration left it null, so an untagged
/// resource does not plan a change from null to {}.
pub fn tags_value(tags: &BTreeMap<String, String>, configured: &Value) -> Value {
    if tags.is_empty() && configured.is_null() {
        Value::Null
    } else {
        map_of_strings(tags)
    }
}

/// The user's own tags out of all tags on the object (those not added by default_tags, unless
/// the user set them too).
pub fn own_tags(all: &BTreeMap<String, String>, ctx: &Ctx, configured: &Value) -> BTreeMap<String, String> {
    let mine = str_map(configured, "tags");
    all.iter()
        .filter(|(k, v)| mine.contains_key(*k) || ctx.default_tags.get(*k) != Some(v))
        .map(|(k, v)| (k.clone(), v.clone()))
        .collect()
}

/// `tags` (optional) and `tags_all` (computed: tags plus default_tags), as Terraform has them.
pub fn with_tags(schema: Schema) -> Schema {
    with_tags_described(schema, "Tags of the object.")
}

/// [`with_tags`], with `tags` described as `description`.
pub fn with_tags_described(schema: Schema, description: &str) -> Schema {
    schema
        .attr(
            "tags",
            Attribute::optional(Type::Map(Box::new(Type::String))).describe(description),
        )
        .attr(
            "tags_all",
            Attribute::computed(Type::Map(Box::new(Type::String)))
                .describe("All tags, including the provider's default_tags."),
        )
}

/// After the standard plan: `tags_all` planned as default_tags merged with the configured `tags`
/// (left as planned while `tags` is unknown).
pub fn plan_tags_all(ctx: &Ctx, config: &Value, planned: &mut Value) {
    let tags = config.get("tags");
    if !tags.contains_unknown()
        && let Value::Map(m) = planned
    {
        m.insert("tags_all".into(), map_of_strings(&ctx.merged_tags(tags)));
    }
}

/// Makes the tags on an object equal to `want`, given that they are `have`: `remove` gets the
/// keys to delete, then `set` the tags to add or change; each is called (after the rate limiter)
/// only when it has something to do.
pub async fn sync_tags<R, RFut, S, SFut>(
    ctx: &Ctx,
    have: &BTreeMap<String, String>,
    want: &BTreeMap<String, String>,
    remove: R,
    set: S,
) -> Result<(), ProviderError>
where
    R: FnOnce(Vec<String>) -> RFut,
    RFut: Future<Output = Result<(), ProviderError>>,
    S: FnOnce(BTreeMap<String, String>) -> SFut,
    SFut: Future<Output = Result<(), ProviderError>>,
{
    let gone: Vec<String> = have.keys().filter(|k| !want.contains_key(*k)).cloned().collect();
    let changed: BTreeMap<String, String> = want
        .iter()
        .filter(|(k, v)| have.get(*k) != Some(v))
        .map(|(k, v)| (k.clone(), v.clone()))
        .collect();
    if !gone.is_empty() {
        ctx.throttle().await;
        remove(gone).await?;
    }
    if !changed.is_empty() {
        ctx.throttle().await;
        set(changed).await?;
    }
    Ok(())
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

/// Polls `check` until it returns `Some`, at the context's interval, up to its timeout.
pub async fn wait_for<T, F, Fut>(ctx: &Ctx, what: &str, mut check: F) -> Result<T, ProviderError>
where
    F: FnMut() -> Fut,
    Fut: Future<Output = Result<Option<T>, ProviderError>>,
{
    let start = Instant::now();
    loop {
        if let Some(v) = check().await? {
            return Ok(v);
        }
        if start.elapsed() > ctx.wait_timeout {
            return Err(ProviderError::with_code(
                "WaitTimeout",
                format!("gave up waiting for {what} after {}s", ctx.wait_timeout.as_secs()),
            ));
        }
        tracing::info!(
            waiting_for = what,
            elapsed_s = start.elapsed().as_secs(),
            "still waiting"
        );
        tokio::time::sleep(ctx.poll_interval).await;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unique_names_differ() {
        let a = unique_name("p-");
        let b = unique_name("p-");
        assert_ne!(a, b);
        assert!(a.starts_with("p-") && a.len() <= 64);
    }
}
