//! The `time` provider: `time_static` (a timestamp taken at create), `time_sleep` (a pause during
//! apply and destroy, to wait for eventual consistency) and `time_rotating` (a timestamp that
//! expires: once its rotation time has passed, refresh reports it gone and the next plan creates
//! a new one, exactly as Terraform's does). Times are UTC, RFC 3339, computed with `jiff`;
//! durations are Go duration strings (`30s`, `1m30s`, `1.5h`) as in Terraform.

use std::path::Path;
use std::sync::LazyLock;

use async_trait::async_trait;
use jiff::{Span, Timestamp, tz::TimeZone};
use plinth_sdk::plan::default_plan;
use plinth_sdk::{AttrPath, Attribute, PlanResponse, ProviderDiagnostic, ProviderError, Schema, Type, Value};

use crate::Family;
use crate::support::{diag, int, invalid, set, string, string_map};

pub const STATIC: &str = "time_static";
pub const SLEEP: &str = "time_sleep";
pub const ROTATING: &str = "time_rotating";

/// The `time` provider.
pub struct Time;

const PARTS: [&str; 7] = ["year", "month", "day", "hour", "minute", "second", "unix"];
const ROTATIONS: [&str; 5] = [
    "rotation_years",
    "rotation_months",
    "rotation_days",
    "rotation_hours",
    "rotation_minutes",
];

fn triggers() -> Attribute {
    Attribute::optional(string_map())
        .force_new()
        .describe("Arbitrary string values; a change to any of them replaces the resource.")
}

fn with_parts(mut s: Schema) -> Schema {
    for part in PARTS {
        let what = if part == "unix" {
            "The time as seconds since 1970-01-01T00:00:00Z."
        } else {
            "This part of the time (UTC), as a number."
        };
        s = s.attr(part, Attribute::computed(Type::Number).describe(what));
    }
    s.attr(
        "id",
        Attribute::computed(Type::String).describe("The same as `rfc3339`."),
    )
}

static STATIC_SCHEMA: LazyLock<Schema> = LazyLock::new(|| {
    with_parts(
        Schema::new("A timestamp taken once, at create, and kept until `triggers` change.")
            .attr(
                "rfc3339",
                Attribute::optional_computed(Type::String)
                    .force_new()
                    .describe("The time, RFC 3339 in UTC; the time of create when not set."),
            )
            .attr("triggers", triggers()),
    )
});

static SLEEP_SCHEMA: LazyLock<Schema> = LazyLock::new(|| {
    Schema::new(
        "Waits during apply (create) and destroy, for example until a role created by another resource \
         can be used. An update of the durations does not wait.",
    )
    .attr(
        "create_duration",
        Attribute::optional(Type::String)
            .describe("How long to wait when it is created, a Go duration such as \"30s\" or \"1m30s\"."),
    )
    .attr(
        "destroy_duration",
        Attribute::optional(Type::String).describe("How long to wait when it is destroyed, a Go duration."),
    )
    .attr("triggers", triggers())
    .attr(
        "id",
        Attribute::computed(Type::String).describe("The time of create, RFC 3339 in UTC."),
    )
});

static ROTATING_SCHEMA: LazyLock<Schema> = LazyLock::new(|| {
    let rotation = |unit: &str| {
        Attribute::optional(Type::Number).describe(&format!(
            "Rotate after this many {unit} from `rfc3339`. A change recomputes `rotation_rfc3339` in place."
        ))
    };
    with_parts(
        Schema::new(
            "A timestamp that expires: once `rotation_rfc3339` has passed, refresh reports it gone and the next \
             plan creates a new one (and replaces what `replace_triggered_by` ties to it).",
        )
        .attr(
            "rfc3339",
            Attribute::optional_computed(Type::String)
                .force_new()
                .describe("The base time, RFC 3339 in UTC; the time of create when not set."),
        )
        .attr("rotation_years", rotation("years"))
        .attr("rotation_months", rotation("months"))
        .attr("rotation_days", rotation("days"))
        .attr("rotation_hours", rotation("hours"))
        .attr("rotation_minutes", rotation("minutes"))
        .attr(
            "rotation_rfc3339",
            Attribute::optional_computed(Type::String).describe(
                "When to rotate, RFC 3339; computed from `rfc3339` and the `rotation_*` arguments when not set.",
            ),
        )
        .attr("triggers", triggers()),
    )
});

/// Parses a Go duration string (`300ms`, `-1.5h`, `2h45m`); Terraform's `time_sleep` takes these.
pub fn parse_duration(text: &str) -> Option<std::time::Duration> {
    let s = text.trim();
    if s == "0" {
        return Some(std::time::Duration::ZERO);
    }
    if s.is_empty() || s.starts_with('-') {
        return None;
    }
    let s = s.strip_prefix('+').unwrap_or(s);
    let mut rest = s;
    let mut total = 0f64;
    while !rest.is_empty() {
        let num_len = rest
            .find(|c: char| !(c.is_ascii_digit() || c == '.'))
            .unwrap_or(rest.len());
        if num_len == 0 {
            return None;
        }
        let n: f64 = rest[..num_len].parse().ok()?;
        rest = &rest[num_len..];
        let unit_len = rest
            .find(|c: char| c.is_ascii_digit() || c == '.')
            .unwrap_or(rest.len());
        let seconds = match &rest[..unit_len] {
            "ns" => 1e-9,
            "us" | "µs" | "μs" => 1e-6,
            "ms" => 1e-3,
            "s" => 1.0,
            "m" => 60.0,
            "h" => 3600.0,
            _ => return None,
        };
        rest = &rest[unit_len..];
        total += n * seconds;
    }
    std::time::Duration::try_from_secs_f64(total).ok()
}

fn parse_time(v: &Value, name: &str) -> Result<Option<Timestamp>, ProviderError> {
    match string(v, name) {
        Some(s) => s
            .parse::<Timestamp>()
            .map(Some)
            .map_err(|e| invalid(name, format!("{name} {s:?} is not an RFC 3339 time: {e}"))),
        None => Ok(None),
    }
}

fn rfc3339(t: Timestamp) -> String {
    // Whole seconds, with `Z`, as Terraform writes them.
    let t = Timestamp::from_second(t.as_second()).unwrap_or(t);
    t.strftime("%Y-%m-%dT%H:%M:%SZ").to_string()
}

/// Sets `rfc3339`, `id` and the parts from `t`.
fn set_time(v: &mut Value, t: Timestamp) {
    let z = t.to_zoned(TimeZone::UTC);
    set(v, "rfc3339", Value::String(rfc3339(t)));
    set(v, "id", Value::String(rfc3339(t)));
    set(v, "year", Value::int(z.year() as i64));
    set(v, "month", Value::int(z.month() as i64));
    set(v, "day", Value::int(z.day() as i64));
    set(v, "hour", Value::int(z.hour() as i64));
    set(v, "minute", Value::int(z.minute() as i64));
    set(v, "second", Value::int(z.second() as i64));
    set(v, "unix", Value::int(t.as_second()));
}

/// `base` plus the `rotation_*` periods of `v`; `None` when none is set.
fn rotation_time(v: &Value, base: Timestamp) -> Result<Option<Timestamp>, ProviderError> {
    let mut span = Span::new();
    let mut any = false;
    for name in ROTATIONS {
        let Some(n) = int(v, name) else { continue };
        any = true;
        let too_big = || invalid(name, format!("{name} = {n} is out of range"));
        span = match name {
            "rotation_years" => span.try_years(n),
            "rotation_months" => span.try_months(n),
            "rotation_days" => span.try_days(n),
            "rotation_hours" => span.try_hours(n),
            _ => span.try_minutes(n),
        }
        .map_err(|_| too_big())?;
    }
    if !any {
        return Ok(None);
    }
    let z = base
        .to_zoned(TimeZone::UTC)
        .checked_add(span)
        .map_err(|e| invalid("rotation_years", format!("the rotation time is out of range: {e}")))?;
    Ok(Some(z.timestamp()))
}

fn schema_of(type_name: &str) -> &'static Schema {
    match type_name {
        SLEEP => &SLEEP_SCHEMA,
        ROTATING => &ROTATING_SCHEMA,
        _ => &STATIC_SCHEMA,
    }
}

fn validate(type_name: &str, config: &Value) -> Vec<ProviderDiagnostic> {
    let mut d = Vec::new();
    for name in ["rfc3339", "rotation_rfc3339"] {
        if let Some(s) = string(config, name)
            && s.parse::<Timestamp>().is_err()
        {
            d.push(diag(
                name,
                "Invalid time",
                format!("{s:?} is not an RFC 3339 time such as \"2024-01-02T03:04:05Z\"."),
            ));
        }
    }
    match type_name {
        SLEEP => {
            for name in ["create_duration", "destroy_duration"] {
                if let Some(s) = string(config, name)
                    && parse_duration(&s).is_none()
                {
                    d.push(diag(
                        name,
                        "Invalid duration",
                        format!("{s:?} is not a duration such as \"30s\", \"1m30s\" or \"1.5h\" (units ns, us, ms, s, m, h)."),
                    ));
                }
            }
        }
        ROTATING => {
            for name in ROTATIONS {
                if int(config, name).is_some_and(|n| n < 1) {
                    d.push(diag(name, "Invalid rotation", format!("{name} must be at least 1.")));
                }
            }
            let set_any = ROTATIONS
                .iter()
                .chain(["rotation_rfc3339"].iter())
                .any(|n| !config.get(n).is_null());
            if !set_any {
                d.push(diag(
                    "rotation_days",
                    "Missing rotation",
                    "Set at least one of rotation_days, rotation_hours, rotation_minutes, rotation_months, \
                     rotation_years or rotation_rfc3339.",
                ));
            }
        }
        _ => {}
    }
    d
}

fn plan(type_name: &str, prior: Option<&Value>, config: &Value) -> Result<PlanResponse, ProviderError> {
    let schema = schema_of(type_name);
    let mut resp = default_plan(schema, prior, config);
    match type_name {
        STATIC | ROTATING => {
            let replacing = prior.is_none() || !resp.requires_replace.is_empty();
            // The time is known at plan when the configuration gives it; otherwise apply takes it.
            let base = if replacing {
                parse_time(config, "rfc3339")?
            } else {
                parse_time(prior.unwrap_or(&Value::Null), "rfc3339")?
            };
            if let Some(t) = base {
                set_time(&mut resp.planned, t);
            }
            if type_name == ROTATING {
                let explicit = parse_time(config, "rotation_rfc3339")?;
                let rotation = match (explicit, base) {
                    (Some(t), _) => Value::String(rfc3339(t)),
                    (None, Some(b)) => rotation_time(config, b)?
                        .map(|t| Value::String(rfc3339(t)))
                        .unwrap_or(Value::Null),
                    (None, None) => Value::Unknown,
                };
                set(&mut resp.planned, "rotation_rfc3339", rotation);
            }
        }
        // The id is the time of create: unknown until then, kept on an update.
        SLEEP if prior.is_none() => set(&mut resp.planned, "id", Value::Unknown),
        _ => {}
    }
    Ok(resp)
}

async fn sleep(state: &Value, name: &str) -> Result<(), ProviderError> {
    if let Some(text) = string(state, name) {
        let d = parse_duration(&text)
            .ok_or_else(|| invalid(name, format!("{text:?} is not a duration such as \"30s\"")))?;
        tracing::info!(duration = %text, "{name}: sleeping");
        tokio::time::sleep(d).await;
    }
    Ok(())
}

#[async_trait]
impl Family for Time {
    fn name(&self) -> &'static str {
        "time"
    }

    fn about(&self) -> &'static str {
        "Timestamps kept in state (`time_static`, `time_rotating`) and pauses during apply (`time_sleep`). No settings."
    }

    fn resources(&self) -> Vec<(&'static str, &'static Schema)> {
        vec![
            (STATIC, schema_of(STATIC)),
            (SLEEP, schema_of(SLEEP)),
            (ROTATING, schema_of(ROTATING)),
        ]
    }

    fn validate(&self, type_name: &str, config: &Value) -> Vec<ProviderDiagnostic> {
        validate(type_name, config)
    }

    fn plan(
        &self,
        _working_dir: &Path,
        type_name: &str,
        prior: Option<&Value>,
        config: &Value,
    ) -> Result<PlanResponse, ProviderError> {
        plan(type_name, prior, config)
    }

    async fn apply(
        &self,
        _working_dir: &Path,
        type_name: &str,
        prior: Option<Value>,
        planned: Option<Value>,
    ) -> Result<Option<Value>, ProviderError> {
        let Some(mut state) = planned else {
            if type_name == SLEEP
                && let Some(prior) = &prior
            {
                sleep(prior, "destroy_duration").await?;
            }
            return Ok(None);
        };
        match type_name {
            SLEEP => {
                if prior.is_none() {
                    sleep(&state, "create_duration").await?;
                    set(&mut state, "id", Value::String(rfc3339(Timestamp::now())));
                }
            }
            _ => {
                let t = match parse_time(&state, "rfc3339")? {
                    Some(t) => t,
                    None => Timestamp::now(),
                };
                set_time(&mut state, t);
                if type_name == ROTATING && !matches!(state.get("rotation_rfc3339"), Value::String(_)) {
                    let r = rotation_time(&state, t)?.ok_or_else(|| {
                        ProviderError::with_code("EINVAL", "set at least one rotation_* argument or rotation_rfc3339")
                            .at(AttrPath::attr("rotation_days"))
                    })?;
                    set(&mut state, "rotation_rfc3339", Value::String(rfc3339(r)));
                }
            }
        }
        Ok(Some(state))
    }

    /// `time_rotating` whose rotation time has passed is gone, so that the plan creates it anew.
    fn read(&self, _working_dir: &Path, type_name: &str, state: Value) -> Result<Option<Value>, ProviderError> {
        if type_name == ROTATING
            && let Some(when) = parse_time(&state, "rotation_rfc3339")?
            && Timestamp::now() >= when
        {
            return Ok(None);
        }
        Ok(Some(state))
    }

    fn import(&self, type_name: &str, id: &str) -> Result<Value, ProviderError> {
        let mut v = Value::Map(Default::default());
        for name in schema_of(type_name).attributes.keys() {
            set(&mut v, name, Value::Null);
        }
        match type_name {
            SLEEP => {
                // Terraform's import id: CREATE_DURATION,DESTROY_DURATION (either may be empty).
                let (create, destroy) = id.split_once(',').unwrap_or((id, ""));
                for (name, d) in [("create_duration", create), ("destroy_duration", destroy)] {
                    if !d.is_empty() {
                        if parse_duration(d).is_none() {
                            return Err(invalid(name, format!("{d:?} is not a duration")));
                        }
                        set(&mut v, name, Value::string(d));
                    }
                }
                set(&mut v, "id", Value::String(rfc3339(Timestamp::now())));
            }
            STATIC => {
                let t: Timestamp = id
                    .parse()
                    .map_err(|e| invalid("rfc3339", format!("{id:?} is not an RFC 3339 time: {e}")))?;
                set_time(&mut v, t);
            }
            _ => {
                // Terraform's import id: BASE_RFC3339,YEARS,MONTHS,DAYS,HOURS,MINUTES (empty: unset).
                let parts: Vec<&str> = id.split(',').collect();
                if parts.len() != 6 {
                    return Err(ProviderError::with_code(
                        "EINVAL",
                        format!(
                            "cannot import {type_name} from {id:?}: expected RFC3339,YEARS,MONTHS,DAYS,HOURS,MINUTES"
                        ),
                    ));
                }
                let t: Timestamp = parts[0]
                    .parse()
                    .map_err(|e| invalid("rfc3339", format!("{:?} is not an RFC 3339 time: {e}", parts[0])))?;
                for (name, p) in ROTATIONS.iter().zip(&parts[1..]) {
                    if !p.is_empty() {
                        let n: i64 = p.parse().map_err(|_| invalid(name, format!("{p:?} is not a number")))?;
                        set(&mut v, name, Value::int(n));
                    }
                }
                set_time(&mut v, t);
                let r = rotation_time(&v, t)?
                    .map(|r| Value::String(rfc3339(r)))
                    .unwrap_or(Value::Null);
                set(&mut v, "rotation_rfc3339", r);
            }
        }
        Ok(v)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn go_durations() {
        use std::time::Duration;
        assert_eq!(parse_duration("30s"), Some(Duration::from_secs(30)));
        assert_eq!(parse_duration("1m30s"), Some(Duration::from_secs(90)));
        assert_eq!(parse_duration("1.5h"), Some(Duration::from_secs(5400)));
        assert_eq!(parse_duration("300ms"), Some(Duration::from_millis(300)));
        assert_eq!(parse_duration("0"), Some(Duration::ZERO));
        for bad in ["", "5", "5x", "-1s", "s", "1s2"] {
            assert_eq!(parse_duration(bad), None, "{bad}");
        }
    }
}
