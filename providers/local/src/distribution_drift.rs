//! `local_distribution_drift`: a data source that measures how far a current sample of features
//! has moved from a baseline sample (CSV or Parquet files), per feature: the Population
//! Stability Index and the two-sample Kolmogorov–Smirnov test for numeric columns, PSI and a
//! chi-square test for categorical ones. The local `drift-monitor` module asserts thresholds on
//! these figures in a `check` block, so `plinth drift` reports data drift.
//!
//! This module owns the arguments (which files, which columns), how a column is judged numeric
//! or categorical, and the shape of `features`; reading the files is `samples`', the figures are
//! `drift_stats`'.

use std::path::Path;
use std::sync::{Arc, LazyLock};

use bytes::Bytes;
use plinth_sdk::{AttrPath, Attribute, Map, PathStep, ProviderDiagnostic, ProviderError, Schema, Type, Value};
use sha2::{Digest, Sha256};

use crate::drift_stats::{self, Drift};
use crate::samples::{self, Column, Sample};
use crate::support::{blocking, error_at, io_error, known_string, resolve, set};

pub const TYPE_NAME: &str = "local_distribution_drift";

/// The type of one feature's figures.
fn feature_type() -> Type {
    Type::Object {
        attrs: [
            ("psi".to_string(), Type::Number),
            ("ks_statistic".to_string(), Type::Number),
            ("ks_p_value".to_string(), Type::Number),
        ]
        .into_iter()
        .collect(),
        optional: vec!["ks_statistic".to_string()],
    }
}

static DATA_SCHEMA: LazyLock<Schema> = LazyLock::new(|| {
    Schema::new(
        "Measures distribution drift between a baseline and a current sample of features, each a CSV \
         file with a header row or a Parquet file. Per column: the Population Stability Index and, for \
         numeric columns, the two-sample Kolmogorov–Smirnov statistic and p-value; for categorical \
         columns a chi-square p-value. The files are read whenever the data source is read (every \
         plan and `drift`), so a new current sample shows at once.",
    )
    .attr(
        "baseline",
        Attribute::required(Type::String).describe(
            "Path of the baseline sample (CSV or Parquet); relative paths resolve against the directory \
             Plinth runs in.",
        ),
    )
    .attr(
        "current",
        Attribute::required(Type::String)
            .describe("Path of the current sample (CSV or Parquet, not necessarily the baseline's format)."),
    )
    .attr(
        "columns",
        Attribute::optional(Type::List(Box::new(Type::String))).describe(
            "The columns to compare; each must be in both files. Default: every column of the \
             baseline, each of which must then be in the current sample too (columns only the current \
             sample has are ignored).",
        ),
    )
    .attr(
        "features",
        Attribute::computed(Type::Map(Box::new(feature_type()))).describe(
            "Per column: `psi` (Population Stability Index), `ks_statistic` (two-sample \
             Kolmogorov–Smirnov statistic; null for a categorical column) and `ks_p_value` (the KS \
             test's p-value, or the chi-square test's for a categorical column).",
        ),
    )
    .attr(
        "id",
        Attribute::computed(Type::String)
            .describe("Lower-case hex SHA-256 of the two files' SHA-256s (baseline then current)."),
    )
});

/// The data source schema.
pub fn data_schema() -> &'static Schema {
    &DATA_SCHEMA
}

/// What `plan` and `validate` can see before reading: empty paths, empty or repeated column names.
pub(crate) fn validate(config: &Value) -> Vec<ProviderDiagnostic> {
    let mut diags = Vec::new();
    for name in ["baseline", "current"] {
        if config.get(name).as_str().is_some_and(str::is_empty) {
            diags.push(error_at(
                AttrPath::attr(name),
                "Empty path",
                format!("{TYPE_NAME} needs the path of the {name} sample (a CSV or Parquet file)."),
            ));
        }
    }
    if let Some(columns) = config.get("columns").as_list() {
        let mut seen = std::collections::BTreeSet::new();
        for (i, c) in columns.iter().enumerate() {
            let at = AttrPath::attr("columns").child(PathStep::Index(i));
            match c.as_str() {
                Some("") => diags.push(error_at(at, "Empty column name", "Name a column of both samples.")),
                Some(name) if !seen.insert(name.to_string()) => diags.push(error_at(
                    at,
                    "Repeated column",
                    format!("The column {name:?} is listed more than once."),
                )),
                _ => {}
            }
        }
    }
    diags
}

/// The `columns` argument: `None` when left out.
fn wanted_columns(config: &Value) -> Result<Option<Vec<String>>, ProviderError> {
    let columns = config.get("columns");
    if columns.is_null() {
        return Ok(None);
    }
    let invalid = |at: AttrPath, what: &str| ProviderError::with_code("EINVAL", what.to_string()).at(at);
    let Some(items) = columns.as_list() else {
        return Err(invalid(
            AttrPath::attr("columns"),
            "columns must be a list of column names",
        ));
    };
    items
        .iter()
        .enumerate()
        .map(|(i, c)| {
            c.as_str().map(str::to_string).ok_or_else(|| {
                invalid(
                    AttrPath::attr("columns").child(PathStep::Index(i)),
                    "a column name must be a string",
                )
            })
        })
        .collect::<Result<Vec<_>, _>>()
        .map(Some)
}

/// Reads the file at `path` (argument `arg`) and its columns in `wanted`; returns it with the
/// SHA-256 of its bytes.
fn load(path: &Path, arg: &str, wanted: Option<&[String]>) -> Result<(Sample, [u8; 32]), ProviderError> {
    let bytes = std::fs::read(path).map_err(|e| io_error("reading", path, &e).at(AttrPath::attr(arg)))?;
    let digest: [u8; 32] = Sha256::digest(&bytes).into();
    let sample = samples::parse(Bytes::from(bytes), path, wanted).map_err(|e| e.at(AttrPath::attr(arg)))?;
    Ok((sample, digest))
}

/// A column's cells in one sample, or the error naming what is wrong with it.
fn column<'a>(
    sample: &'a Sample,
    name: &str,
    arg: &str,
    path: &Path,
    listed_at: Option<usize>,
) -> Result<&'a Column, ProviderError> {
    let at = match listed_at {
        Some(i) => AttrPath::attr("columns").child(PathStep::Index(i)),
        None => AttrPath::attr(arg),
    };
    let Some(column) = sample.columns.get(name) else {
        return Err(ProviderError::with_code(
            "EINVAL",
            format!(
                "unknown column {name:?}: the {arg} sample {} has the columns {}",
                path.display(),
                sample.names.join(", ")
            ),
        )
        .at(at));
    };
    if column.texts.is_empty() {
        return Err(ProviderError::with_code(
            "EINVAL",
            format!(
                "empty sample: the column {name:?} of {} has no values (every cell is empty, null or NaN)",
                path.display()
            ),
        )
        .at(AttrPath::attr(arg)));
    }
    Ok(column)
}

/// The drift of one column: numeric when every cell of both samples is a number, categorical
/// otherwise.
fn drift(baseline: &Column, current: &Column) -> Drift {
    match (&baseline.numbers, &current.numbers) {
        (Some(b), Some(c)) => drift_stats::numeric(b, c),
        _ => drift_stats::categorical(&baseline.texts, &current.texts),
    }
}

fn feature_value(d: Drift) -> Value {
    Value::object([
        ("psi", Value::number(d.psi)),
        ("ks_statistic", d.ks_statistic.map_or(Value::Null, Value::number)),
        ("ks_p_value", Value::number(d.p_value)),
    ])
}

/// Computes `features` and `id` from the configuration.
fn compute(working_dir: &Path, config: &Value) -> Result<Value, ProviderError> {
    let baseline_arg = known_string(config, "baseline")?;
    let current_arg = known_string(config, "current")?;
    let wanted = wanted_columns(config)?;
    let (baseline_path, current_path) = (resolve(working_dir, &baseline_arg), resolve(working_dir, &current_arg));
    let (baseline, baseline_digest) = load(&baseline_path, "baseline", wanted.as_deref())?;
    // With no list, the current sample's columns are the baseline's.
    let names: Vec<String> = wanted.clone().unwrap_or_else(|| baseline.names.clone());
    let (current, current_digest) = load(&current_path, "current", Some(&names))?;

    let mut features = Map::new();
    for (i, name) in names.iter().enumerate() {
        let listed_at = wanted.as_ref().map(|_| i);
        let b = column(&baseline, name, "baseline", &baseline_path, listed_at)?;
        let c = column(&current, name, "current", &current_path, listed_at)?;
        features.insert(name.clone(), feature_value(drift(b, c)));
    }

    let mut id = Sha256::new();
    id.update(baseline_digest);
    id.update(current_digest);
    let mut state = config.clone();
    set(&mut state, "features", Value::Map(features));
    set(&mut state, "id", Value::String(hex::encode(id.finalize())));
    Ok(state)
}

pub(crate) async fn read_data(working_dir: Arc<Path>, config: &Value) -> Result<Value, ProviderError> {
    let config = config.clone();
    blocking(move || compute(&working_dir, &config)).await
}
