//! The `time` provider through the provider interface: `time_static` parts, `time_sleep` really
//! waiting on create and destroy (not on update), `time_rotating` expiring at refresh once its
//! rotation time has passed, and validation errors.

mod common;

use std::time::{Duration, Instant};

use common::*;
use plinth_sdk::Value;

fn p() -> std::sync::Arc<dyn plinth_sdk::Provider> {
    plinth_utility::time_provider()
}

#[tokio::test]
async fn time_static_from_configuration_is_known_at_plan() {
    let p = p();
    let cfg = config(
        &*p,
        "time_static",
        vec![("rfc3339", Value::string("2024-02-29T13:14:15Z"))],
    );
    let planned = plan(&*p, "time_static", None, &cfg).await.planned;
    assert_eq!(planned.get("year").as_i64(), Some(2024));
    assert_eq!(planned.get("month").as_i64(), Some(2));
    assert_eq!(planned.get("day").as_i64(), Some(29));
    assert_eq!(planned.get("hour").as_i64(), Some(13));
    assert_eq!(planned.get("minute").as_i64(), Some(14));
    assert_eq!(planned.get("second").as_i64(), Some(15));
    assert_eq!(planned.get("unix").as_i64(), Some(1_709_212_455));
    assert_eq!(text(&planned, "id"), "2024-02-29T13:14:15Z");
    let s = create(&*p, "time_static", &cfg).await;
    assert_eq!(s, planned);
    assert_stable(&*p, "time_static", &s, &cfg).await;
}

#[tokio::test]
async fn time_static_takes_the_time_of_create_and_triggers_replace() {
    let p = p();
    let cfg = config(&*p, "time_static", vec![("triggers", strings(&[("a", "1")]))]);
    assert!(
        plan(&*p, "time_static", None, &cfg)
            .await
            .planned
            .get("unix")
            .is_unknown()
    );
    let before = jiff::Timestamp::now().as_second();
    let s = create(&*p, "time_static", &cfg).await;
    let unix = s.get("unix").as_i64().expect("unix");
    assert!((before..=before + 5).contains(&unix), "{unix} vs {before}");
    assert!(text(&s, "rfc3339").ends_with('Z'));
    assert_stable(&*p, "time_static", &s, &cfg).await;
    let changed = config(&*p, "time_static", vec![("triggers", strings(&[("a", "2")]))]);
    assert_eq!(replaced_by(&*p, "time_static", &s, &changed).await, ["triggers"]);
}

#[tokio::test]
async fn time_sleep_waits_on_create_and_destroy_only() {
    let p = p();
    let cfg = config(
        &*p,
        "time_sleep",
        vec![
            ("create_duration", Value::string("700ms")),
            ("destroy_duration", Value::string("0.4s")),
        ],
    );
    let t = Instant::now();
    let s = create(&*p, "time_sleep", &cfg).await;
    assert!(t.elapsed() >= Duration::from_millis(700), "{:?}", t.elapsed());
    assert!(text(&s, "id").ends_with('Z'));
    assert_stable(&*p, "time_sleep", &s, &cfg).await;
    // A longer create_duration is an update in place, which does not wait.
    let longer = config(&*p, "time_sleep", vec![("create_duration", Value::string("30s"))]);
    let resp = plan(&*p, "time_sleep", Some(&s), &longer).await;
    assert!(resp.requires_replace.is_empty());
    let t = Instant::now();
    let updated = apply(&*p, "time_sleep", Some(&s), Some(resp.planned), &longer)
        .await
        .expect("state");
    assert!(t.elapsed() < Duration::from_secs(5));
    assert_eq!(updated.get("id"), s.get("id"));
    let t = Instant::now();
    assert!(apply(&*p, "time_sleep", Some(&s), None, &Value::Null).await.is_none());
    assert!(t.elapsed() >= Duration::from_millis(400), "{:?}", t.elapsed());
    let changed = config(&*p, "time_sleep", vec![("triggers", strings(&[("role", "b")]))]);
    assert_eq!(replaced_by(&*p, "time_sleep", &s, &changed).await, ["triggers"]);
}

#[tokio::test]
async fn time_sleep_validation() {
    let p = p();
    let bad = config(
        &*p,
        "time_sleep",
        vec![("create_duration", Value::string("30 seconds"))],
    );
    assert_eq!(errors(&*p, "time_sleep", &bad), ["create_duration: Invalid duration"]);
    let ok = config(&*p, "time_sleep", vec![("create_duration", Value::string("1h2m3.5s"))]);
    assert!(errors(&*p, "time_sleep", &ok).is_empty());
}

#[tokio::test]
async fn time_rotating_computes_its_rotation_and_expires_at_refresh() {
    let p = p();
    let cfg = config(
        &*p,
        "time_rotating",
        vec![
            ("rfc3339", Value::string("2024-01-31T00:00:00Z")),
            ("rotation_months", Value::int(1)),
        ],
    );
    let planned = plan(&*p, "time_rotating", None, &cfg).await.planned;
    // Calendar months; a day past the end of the next month is clamped to its last day.
    assert_eq!(text(&planned, "rotation_rfc3339"), "2024-02-29T00:00:00Z");
    let s = create(&*p, "time_rotating", &cfg).await;
    // The rotation time is in the past: refresh says it is gone, so the plan creates it anew.
    assert!(refresh(&*p, "time_rotating", &s).await.is_none());

    let now = config(&*p, "time_rotating", vec![("rotation_days", Value::int(30))]);
    let s = create(&*p, "time_rotating", &now).await;
    let base: jiff::Timestamp = text(&s, "rfc3339").parse().expect("time");
    let rot: jiff::Timestamp = text(&s, "rotation_rfc3339").parse().expect("time");
    assert_eq!(rot.as_second() - base.as_second(), 30 * 86_400);
    assert_stable(&*p, "time_rotating", &s, &now).await;
    // Another period is an update in place that moves the rotation time.
    let hours = config(&*p, "time_rotating", vec![("rotation_hours", Value::int(2))]);
    let resp = plan(&*p, "time_rotating", Some(&s), &hours).await;
    assert!(resp.requires_replace.is_empty());
    let rot: jiff::Timestamp = text(&resp.planned, "rotation_rfc3339").parse().expect("time");
    assert_eq!(rot.as_second() - base.as_second(), 2 * 3600);

    let none = config(&*p, "time_rotating", vec![]);
    assert_eq!(errors(&*p, "time_rotating", &none), ["rotation_days: Missing rotation"]);
    let zero = config(&*p, "time_rotating", vec![("rotation_minutes", Value::int(0))]);
    assert_eq!(
        errors(&*p, "time_rotating", &zero),
        ["rotation_minutes: Invalid rotation"]
    );
    let bad = config(
        &*p,
        "time_rotating",
        vec![
            ("rfc3339", Value::string("yesterday")),
            ("rotation_days", Value::int(1)),
        ],
    );
    assert_eq!(errors(&*p, "time_rotating", &bad), ["rfc3339: Invalid time"]);
}
