//! The `local_distribution_drift` data source through the `plinth` binary, checked against an
//! independent implementation: `tests/drift/check_drift.py` generates samples (CSV and Parquet)
//! and computes the figures with scipy's `ks_2samp(method="asymp")`, `chi2_contingency` and a PSI
//! in numpy; Plinth's outputs must agree to 1e-9 (KS statistic), 1e-3 (p-values) and 1e-6 (PSI).
//! Then the errors a user can make: each names the data source, the argument and the file.

mod support;

use std::path::Path;
use std::process::Command;

use serde_json::Value as Json;
use support::cli::{Dir, json, ok, user_error};

/// Runs the Python side in `dir`: sample files and `expected.json`.
fn generate(dir: &Path) -> Json {
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/drift/check_drift.py");
    let out = Command::new("python3")
        .arg(&script)
        .arg(dir)
        .output()
        .expect("run python3 (tests/run.sh installs it with numpy, scipy and pyarrow)");
    assert!(
        out.status.success(),
        "{} failed (tests/run.sh installs numpy, scipy and pyarrow):\n{}",
        script.display(),
        String::from_utf8_lossy(&out.stderr)
    );
    let text = std::fs::read_to_string(dir.join("expected.json")).expect("expected.json");
    serde_json::from_str(&text).expect("expected.json is JSON")
}

const CONFIG: &str = r#"
data "local_distribution_drift" "large_csv" {
  baseline = "large_baseline.csv"
  current  = "large_current.csv"
}

data "local_distribution_drift" "large_parquet" {
  baseline = "large_baseline.parquet"
  current  = "large_current.parquet"
}

data "local_distribution_drift" "small_csv" {
  baseline = "small_baseline.csv"
  current  = "small_current.csv"
}

data "local_distribution_drift" "small_parquet" {
  baseline = "small_baseline.parquet"
  current  = "small_current.parquet"
}

# One file of each format, and only some columns.
data "local_distribution_drift" "mixed" {
  baseline = "large_baseline.parquet"
  current  = "large_current.csv"
  columns  = ["shifted", "city"]
}

output "large_csv" { value = data.local_distribution_drift.large_csv.features }
output "large_parquet" { value = data.local_distribution_drift.large_parquet.features }
output "small_csv" { value = data.local_distribution_drift.small_csv.features }
output "small_parquet" { value = data.local_distribution_drift.small_parquet.features }
output "mixed" { value = data.local_distribution_drift.mixed.features }

# The shape a drift monitor asserts on.
output "drifted" {
  value = sort([for name, f in data.local_distribution_drift.large_csv.features : name if f.psi > 0.1 || f.ks_p_value < 0.05])
}
"#;

fn number(v: &Json, what: &str) -> f64 {
    v.as_f64().unwrap_or_else(|| panic!("{what}: not a number: {v}"))
}

/// Compares Plinth's `features` with the expected figures, column by column.
fn compare(label: &str, got: &Json, want: &Json) {
    let got = got
        .as_object()
        .unwrap_or_else(|| panic!("{label}: features is not an object: {got}"));
    let want = want.as_object().expect("expected figures");
    let names = |m: &serde_json::Map<String, Json>| m.keys().cloned().collect::<std::collections::BTreeSet<_>>();
    assert_eq!(names(got), names(want), "{label}: the columns");
    for (column, w) in want {
        let g = &got[column];
        let at = format!("{label}.{column}");
        let psi = number(&g["psi"], &format!("{at}.psi"));
        let psi_want = number(&w["psi"], "expected psi");
        assert!((psi - psi_want).abs() <= 1e-6, "{at}: psi {psi}, numpy says {psi_want}");
        let p = number(&g["ks_p_value"], &format!("{at}.ks_p_value"));
        let p_want = number(&w["ks_p_value"], "expected p-value");
        assert!((p - p_want).abs() <= 1e-3, "{at}: p-value {p}, scipy says {p_want}");
        if w["ks_statistic"].is_null() {
            assert!(
                g["ks_statistic"].is_null(),
                "{at}: a categorical column has no KS statistic: {g}"
            );
        } else {
            let d = number(&g["ks_statistic"], &format!("{at}.ks_statistic"));
            let d_want = number(&w["ks_statistic"], "expected statistic");
            assert!(
                (d - d_want).abs() <= 1e-9,
                "{at}: KS statistic {d}, scipy says {d_want}"
            );
        }
    }
}

#[test]
fn figures_agree_with_scipy_and_numpy() {
    let d = Dir::with(CONFIG);
    let expected = generate(d.path());
    ok(d.run(&["apply", "--auto-approve"]));
    let out = json(&ok(d.run(&["output", "--json"])));
    for (output, set) in [
        ("large_csv", "large"),
        ("large_parquet", "large"),
        ("small_csv", "small"),
        ("small_parquet", "small"),
    ] {
        compare(output, &out[output]["value"], &expected[set]);
    }
    let mixed = serde_json::json!({
        "city": expected["large"]["city"],
        "shifted": expected["large"]["shifted"],
    });
    compare("mixed", &out["mixed"]["value"], &mixed);
    // The samples are made so: a shift in `shifted`, `visits` and `sparse`, a new city.
    assert_eq!(
        out["drifted"]["value"],
        serde_json::json!(["city", "shifted", "sparse", "visits"]),
        "{}",
        out["drifted"]
    );
}

/// Applies `hcl` over the files in `files` and returns the error.
fn error_of(files: &[(&str, &str)], hcl: &str) -> String {
    let d = Dir::with(hcl);
    for (name, text) in files {
        d.write(name, text);
    }
    user_error(&d.run(&["plan"]))
}

#[track_caller]
fn assert_mentions(err: &str, parts: &[&str]) {
    for p in parts {
        assert!(err.contains(p), "the error does not mention {p:?}:\n{err}");
    }
}

#[test]
fn errors_name_the_data_source_the_argument_and_the_file() {
    let base = ("base.csv", "x,city\n1,a\n2,b\n3,a\n");
    let cur = ("cur.csv", "x,city\n1.5,a\n2.5,b\n");

    let err = error_of(
        &[base],
        r#"data "local_distribution_drift" "d" {
  baseline = "base.csv"
  current  = "missing.csv"
}"#,
    );
    assert_mentions(
        &err,
        &["data.local_distribution_drift.d", "current", "missing.csv", "ENOENT"],
    );

    let err = error_of(
        &[base, cur],
        r#"data "local_distribution_drift" "d" {
  baseline = "base.csv"
  current  = "cur.csv"
  columns  = ["x", "age"]
}"#,
    );
    assert_mentions(
        &err,
        &[
            "data.local_distribution_drift.d",
            "columns[1]",
            "unknown column \"age\"",
            "base.csv",
        ],
    );

    let err = error_of(
        &[base, ("cur.csv", "x,city\n,a\n,b\n")],
        r#"data "local_distribution_drift" "d" {
  baseline = "base.csv"
  current  = "cur.csv"
}"#,
    );
    assert_mentions(
        &err,
        &[
            "data.local_distribution_drift.d",
            "current",
            "empty sample",
            "\"x\"",
            "cur.csv",
        ],
    );

    let err = error_of(
        &[base, ("cur.csv", "x,city\n1,a\n2\n")],
        r#"data "local_distribution_drift" "d" {
  baseline = "base.csv"
  current  = "cur.csv"
}"#,
    );
    assert_mentions(
        &err,
        &["data.local_distribution_drift.d", "current", "cur.csv", "line: 3"],
    );

    let err = error_of(
        &[base, ("cur.parquet", "PAR1 not really")],
        r#"data "local_distribution_drift" "d" {
  baseline = "base.csv"
  current  = "cur.parquet"
}"#,
    );
    assert_mentions(
        &err,
        &["data.local_distribution_drift.d", "current", "cur.parquet", "Parquet"],
    );

    let err = error_of(
        &[base, cur],
        r#"data "local_distribution_drift" "d" {
  baseline = "base.csv"
  current  = "cur.csv"
  columns  = ["x", "x"]
}"#,
    );
    assert_mentions(&err, &["Repeated column", "main.hcl"]);
}

/// `n` rows of a numeric column `x` (evenly spread over `[shift, shift + 5)`) and a categorical
/// column `plan` cycling through `plans`.
fn sample(n: usize, shift: f64, plans: &[&str]) -> String {
    let mut text = String::from("x,plan\n");
    for i in 0..n {
        let x = shift + 5.0 * i as f64 / n as f64;
        text.push_str(&format!("{x},{}\n", plans[i % plans.len()]));
    }
    text
}

/// The drift monitor's shape: a check block reading the data source and asserting the
/// practice's thresholds, so that `plinth drift` reports data drift (exit 2) naming the feature
/// and its PSI.
#[test]
fn a_check_on_the_figures_makes_plinth_drift_report_data_drift() {
    let d = Dir::with(
        r#"
check "data_drift" {
  data "local_distribution_drift" "features" {
    baseline = "baseline.csv"
    current  = "current.csv"
  }

  assert {
    condition = alltrue([for f in data.local_distribution_drift.features.features : f.psi <= 0.2 && f.ks_p_value >= 0.05])
    error_message = "data drift: ${join(", ", [for name, f in data.local_distribution_drift.features.features : "${name} (psi ${format("%.3f", f.psi)})" if f.psi > 0.2 || f.ks_p_value < 0.05])}"
  }
}
"#,
    );
    d.write("baseline.csv", &sample(400, 0.0, &["free", "pro"]));
    d.write("current.csv", &sample(300, 0.01, &["free", "pro"]));
    ok(d.run(&["apply", "--auto-approve"]));
    ok(d.run(&["drift"]));

    d.write("current.csv", &sample(300, 1.5, &["free", "pro", "pro"]));
    let o = d.run(&["drift"]);
    support::cli::expect_code(&o, 2);
    let report = support::cli::stdout(&o);
    // `plan`: a PSI under 0.2, but the chi-square test's p-value is under 0.05.
    assert!(
        report.contains("data drift: plan (psi 0.116), x (psi 3.870)"),
        "{report}"
    );
}
