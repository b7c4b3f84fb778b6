//! Small helpers shared by the resource modules: reading attributes, building values, waiting.

use std::collections::BTreeMap;
use std::future::Future;
use std::time::Instant;

use plinth_sdk::{ProviderError, Value};

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
