//! Reading a drift sample — a CSV or Parquet file held in memory — into columns of cells, for
//! `local_distribution_drift`. It owns the format rules (which cells are missing, which are
//! numbers) and names the file, the column and the line in its errors; which columns are asked
//! for and what is computed from them is `distribution_drift`'s business.
//!
//! Rules: a file starting with Parquet's magic bytes `PAR1` is Parquet, anything else CSV with a
//! header row (cells trimmed, rows of equal length). A missing cell is an empty CSV cell, a
//! Parquet null or a NaN; it is left out of the sample. A CSV cell is a number when it parses as
//! a finite decimal number; a Parquet integer or floating-point value is one. Infinite values are
//! an error (no bin or CDF can hold them).

use std::collections::BTreeMap;
use std::path::Path;

use bytes::Bytes;
use parquet::file::reader::{FileReader, SerializedFileReader};
use parquet::record::Field;
use plinth_sdk::ProviderError;

/// One column of a sample: its non-missing cells.
#[derive(Debug)]
pub(crate) struct Column {
    /// The cells as numbers, while every cell is one (`None` from the first one that is not).
    pub numbers: Option<Vec<f64>>,
    /// Every cell as text, the category it falls in when the column is not numeric.
    pub texts: Vec<String>,
}

impl Column {
    fn new() -> Column {
        Column {
            numbers: Some(Vec::new()),
            texts: Vec::new(),
        }
    }

    fn push_number(&mut self, x: f64, text: String) {
        if let Some(numbers) = &mut self.numbers {
            numbers.push(x);
        }
        self.texts.push(text);
    }

    fn push_text(&mut self, text: String) {
        self.numbers = None;
        self.texts.push(text);
    }
}

/// The columns of one file.
#[derive(Debug)]
pub(crate) struct Sample {
    /// Every column's name, in file order.
    pub names: Vec<String>,
    /// The columns that were asked for (all when none were), by name.
    pub columns: BTreeMap<String, Column>,
}

fn invalid(path: &Path, message: impl std::fmt::Display) -> ProviderError {
    ProviderError::with_code("EINVAL", format!("reading {}: {message}", path.display()))
}

/// Parses the bytes of the file at `path`, keeping the columns in `wanted` (all when `None`).
pub(crate) fn parse(bytes: Bytes, path: &Path, wanted: Option<&[String]>) -> Result<Sample, ProviderError> {
    if bytes.starts_with(b"PAR1") {
        parse_parquet(bytes, path, wanted)
    } else {
        parse_csv(&bytes, path, wanted)
    }
}

/// The columns to collect: one empty column per wanted name the file has.
fn collected(names: &[String], wanted: Option<&[String]>) -> BTreeMap<String, Column> {
    names
        .iter()
        .filter(|n| wanted.is_none_or(|w| w.contains(n)))
        .map(|n| (n.clone(), Column::new()))
        .collect()
}

fn duplicate_names(names: &[String], path: &Path) -> Result<(), ProviderError> {
    let mut seen = std::collections::BTreeSet::new();
    match names.iter().find(|n| !seen.insert(n.as_str())) {
        Some(dup) => Err(invalid(
            path,
            format!("the column name {dup:?} appears twice in the header"),
        )),
        None => Ok(()),
    }
}

fn parse_csv(bytes: &[u8], path: &Path, wanted: Option<&[String]>) -> Result<Sample, ProviderError> {
    let mut reader = csv::ReaderBuilder::new().trim(csv::Trim::All).from_reader(bytes);
    let names: Vec<String> = reader
        .headers()
        .map_err(|e| invalid(path, format!("CSV header: {e}")))?
        .iter()
        .map(str::to_string)
        .collect();
    if names.is_empty() || names.iter().all(String::is_empty) {
        return Err(invalid(path, "no header row (the first line must name the columns)"));
    }
    duplicate_names(&names, path)?;
    let mut columns = collected(&names, wanted);
    let indexes: Vec<(usize, String)> = names
        .iter()
        .enumerate()
        .filter(|(_, n)| columns.contains_key(*n))
        .map(|(i, n)| (i, n.clone()))
        .collect();
    for record in reader.records() {
        let record = record.map_err(|e| invalid(path, e))?;
        let line = record.position().map_or(0, csv::Position::line);
        for (i, name) in &indexes {
            let cell = record.get(*i).unwrap_or("");
            if cell.is_empty() {
                continue;
            }
            let Some(column) = columns.get_mut(name) else {
                continue;
            };
            match cell.parse::<f64>() {
                Ok(x) if x.is_nan() => {}
                Ok(x) if x.is_infinite() => {
                    return Err(invalid(
                        path,
                        format!("line {line}, column {name:?}: {cell:?} is infinite; numbers must be finite"),
                    ));
                }
                Ok(x) => column.push_number(x, cell.to_string()),
                Err(_) => column.push_text(cell.to_string()),
            }
        }
    }
    Ok(Sample { names, columns })
}

/// A Parquet error, with what to do about a compression codec this build does not read.
fn parquet_error(path: &Path, context: &str, e: &parquet::errors::ParquetError) -> ProviderError {
    let mut message = format!("{context}: {e}");
    if message.contains("Disabled feature at compile time") {
        message.push_str(" (Plinth reads uncompressed and snappy-compressed Parquet: write the sample with snappy, pyarrow's default)");
    }
    invalid(path, message)
}

fn parse_parquet(bytes: Bytes, path: &Path, wanted: Option<&[String]>) -> Result<Sample, ProviderError> {
    let reader = SerializedFileReader::new(bytes).map_err(|e| parquet_error(path, "Parquet", &e))?;
    let names: Vec<String> = reader
        .metadata()
        .file_metadata()
        .schema()
        .get_fields()
        .iter()
        .map(|f| f.name().to_string())
        .collect();
    duplicate_names(&names, path)?;
    let mut columns = collected(&names, wanted);
    let rows = reader
        .get_row_iter(None)
        .map_err(|e| parquet_error(path, "Parquet", &e))?;
    for (index, row) in rows.enumerate() {
        let row = row.map_err(|e| parquet_error(path, &format!("Parquet row {}", index + 1), &e))?;
        for (name, field) in row.get_column_iter() {
            let Some(column) = columns.get_mut(name) else {
                continue;
            };
            let number = |x: f64, column: &mut Column| {
                if x.is_infinite() {
                    Err(invalid(
                        path,
                        format!(
                            "row {}, column {name:?}: {x} is infinite; numbers must be finite",
                            index + 1
                        ),
                    ))
                } else {
                    if !x.is_nan() {
                        column.push_number(x, x.to_string());
                    }
                    Ok(())
                }
            };
            match field {
                Field::Null => {}
                Field::Bool(b) => column.push_text(b.to_string()),
                Field::Str(s) => column.push_text(s.clone()),
                Field::Byte(x) => column.push_number(f64::from(*x), x.to_string()),
                Field::Short(x) => column.push_number(f64::from(*x), x.to_string()),
                Field::Int(x) => column.push_number(f64::from(*x), x.to_string()),
                Field::Long(x) => column.push_number(*x as f64, x.to_string()),
                Field::UByte(x) => column.push_number(f64::from(*x), x.to_string()),
                Field::UShort(x) => column.push_number(f64::from(*x), x.to_string()),
                Field::UInt(x) => column.push_number(f64::from(*x), x.to_string()),
                Field::ULong(x) => column.push_number(*x as f64, x.to_string()),
                Field::Float16(x) => number(x.to_f64(), column)?,
                Field::Float(x) => number(f64::from(*x), column)?,
                Field::Double(x) => number(*x, column)?,
                other => {
                    let kind = match other {
                        Field::Decimal(_) => "decimal",
                        Field::Bytes(_) => "binary",
                        Field::Date(_) => "date",
                        Field::TimeMillis(_) | Field::TimeMicros(_) => "time",
                        Field::TimestampMillis(_) | Field::TimestampMicros(_) => "timestamp",
                        _ => "nested",
                    };
                    return Err(invalid(
                        path,
                        format!(
                            "column {name:?} holds Parquet {kind} values; only numbers, strings and booleans are \
                             read"
                        ),
                    ));
                }
            }
        }
    }
    Ok(Sample { names, columns })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn csv(text: &str) -> Result<Sample, ProviderError> {
        parse(Bytes::from(text.to_string()), Path::new("s.csv"), None)
    }

    #[test]
    fn csv_cells() {
        let s = csv("a,b,c\n1, x ,\n2.5,3,NaN\n,y,4\n").expect("parse");
        assert_eq!(s.names, ["a", "b", "c"]);
        assert_eq!(s.columns["a"].numbers, Some(vec![1.0, 2.5]));
        assert_eq!(s.columns["b"].numbers, None);
        assert_eq!(s.columns["b"].texts, ["x", "3", "y"]);
        assert_eq!(s.columns["c"].numbers, Some(vec![4.0]));
    }

    #[test]
    fn csv_errors_name_the_file_and_line() {
        let e = csv("a,b\n1,2\n3\n").expect_err("short row");
        assert!(e.message.contains("s.csv") && e.message.contains("line: 3"), "{e:?}");
        let e = csv("a,b\n1,inf\n").expect_err("infinite");
        assert!(e.message.contains("line 2, column \"b\""), "{e:?}");
        let e = csv("a,a\n1,2\n").expect_err("duplicate");
        assert!(e.message.contains("appears twice"), "{e:?}");
    }
}
