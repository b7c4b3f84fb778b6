//! `local_distribution_drift` through the provider API: the shape of `features`, identical
//! samples, a value on a bin edge, and errors that name the argument. The figures themselves are
//! checked against scipy and numpy in the main crate's `tests/drift_data.rs`.

use plinth_sdk::{AttrPath, ReadDataRequest, Value};

use super::*;

const T: &str = "local_distribution_drift";

fn data_cfg(baseline: &str, current: &str, columns: Option<&[&str]>) -> Value {
    Value::object([
        ("baseline", Value::string(baseline)),
        ("current", Value::string(current)),
        (
            "columns",
            columns.map_or(Value::Null, |c| {
                Value::List(c.iter().map(|n| Value::string(*n)).collect())
            }),
        ),
        ("features", Value::Null),
        ("id", Value::Null),
    ])
}

async fn read(p: &LocalProvider, config: Value) -> Result<Value, ProviderError> {
    p.read_data(ReadDataRequest {
        type_name: T.into(),
        address: format!("data.{T}.test"),
        config,
    })
    .await
}

#[tokio::test]
async fn identical_samples_do_not_drift() {
    let dir = tempfile::tempdir().expect("tempdir");
    let sample = "amount,plan\n1.5,free\n2,pro\n2,free\n7.25,pro\n,free\n3,\n";
    std::fs::write(dir.path().join("a.csv"), sample).expect("write");
    std::fs::write(dir.path().join("b.csv"), sample).expect("write");
    let p = provider(dir.path()).await;
    let v = read(&p, data_cfg("a.csv", "b.csv", None)).await.expect("read_data");
    let features = v.get("features");
    let amount = features.get("amount");
    assert_eq!(amount.get("psi").as_f64(), Some(0.0));
    assert_eq!(amount.get("ks_statistic").as_f64(), Some(0.0));
    assert_eq!(amount.get("ks_p_value").as_f64(), Some(1.0));
    let plan = features.get("plan");
    assert_eq!(plan.get("psi").as_f64(), Some(0.0));
    assert!(plan.get("ks_statistic").is_null(), "categorical: {plan:?}");
    let p_value = plan.get("ks_p_value").as_f64().expect("p-value");
    assert!((p_value - 1.0).abs() < 1e-12, "{p_value}");
    assert_eq!(v.get("id").as_str().map(str::len), Some(64));
}

#[tokio::test]
async fn a_value_on_a_bin_edge_counts_in_the_upper_bin() {
    let dir = tempfile::tempdir().expect("tempdir");
    // Baseline 1..=10: the deciles are 1.9, 2.8, ..., 5.5, ..., 9.1.
    let baseline: String = std::iter::once("x\n".to_string())
        .chain((1..=10).map(|i| format!("{i}\n")))
        .collect();
    std::fs::write(dir.path().join("base.csv"), baseline).expect("write");
    // Three current values on the median edge 5.5 count in bin 5 (above it), the 5 in bin 4:
    // shares 0.75 and 0.25. Counted in the lower bin, all four would be in bin 4 (a share of 1),
    // which gives another PSI.
    std::fs::write(dir.path().join("cur.csv"), "x\n5.5\n5.5\n5.5\n5\n").expect("write");
    let p = provider(dir.path()).await;
    let v = read(&p, data_cfg("base.csv", "cur.csv", Some(&["x"])))
        .await
        .expect("read_data");
    let psi = v.get("features").get("x").get("psi").as_f64().expect("psi");
    // Shares: baseline 0.1 in each bin; current 0.75 in bin 5, 0.25 in bin 4, 0 elsewhere.
    let eps = 1e-6;
    let term = |c: f64, b: f64| (c - b) * ((c + eps) / (b + eps)).ln();
    let want = term(0.75, 0.1) + term(0.25, 0.1) + 8.0 * term(0.0, 0.1);
    assert!((psi - want).abs() < 1e-12, "psi {psi}, want {want}");
}

#[tokio::test]
async fn errors_name_the_argument() {
    let dir = tempfile::tempdir().expect("tempdir");
    std::fs::write(dir.path().join("a.csv"), "x\n1\n2\n").expect("write");
    let p = provider(dir.path()).await;

    let err = read(&p, data_cfg("a.csv", "gone.csv", None))
        .await
        .expect_err("missing");
    assert_eq!(err.code.as_deref(), Some("ENOENT"));
    assert_eq!(err.attribute, Some(AttrPath::attr("current")));
    assert!(err.message.contains("gone.csv"), "{}", err.message);

    let err = read(&p, data_cfg("a.csv", "a.csv", Some(&["x", "y"])))
        .await
        .expect_err("unknown column");
    assert_eq!(err.attribute, Some(AttrPath::parse("columns[1]").expect("path")));
    assert!(err.message.contains("unknown column \"y\""), "{}", err.message);
}
