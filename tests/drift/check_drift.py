#!/usr/bin/env python3
"""The independent side of the drift check (tests/drift_data.rs).

Usage: check_drift.py DIR

Generates samples with a fixed seed — numeric (normal, shifted and widened, integers with ties,
a column with missing cells) and categorical (a category appearing, shares moving) — writes each
as CSV and as Parquet into DIR, and writes DIR/expected.json with the figures computed here by
scipy and numpy, never by Plinth:

- ks_statistic, ks_p_value: scipy.stats.ks_2samp(baseline, current, method="asymp");
- psi: 10 bins whose inner edges are np.quantile(baseline, [.1, ..., .9]) (numpy's default,
  linear), outer bins open-ended, a value equal to an edge in the upper bin
  (np.searchsorted(edges, x, side="right")), sum((cur - base) * log((cur + 1e-6) / (base + 1e-6)))
  over the bins' shares;
- categorical: PSI over the union of categories, and in ks_p_value the p-value of
  scipy.stats.chi2_contingency on the 2 x K table of counts with correction=False; ks_statistic
  is null.

Two sample sets: "large" (2000 and 1500 rows, the large-n branches of the KS distribution) and
"small" (60 and 45 rows, the exact small-n branches).
"""

import csv
import json
import os
import sys

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq
from scipy import stats

EPS = 1e-6


def numeric_psi(base, cur):
    edges = np.quantile(base, np.arange(1, 10) / 10)
    def shares(x):
        return np.bincount(np.searchsorted(edges, x, side="right"), minlength=10) / len(x)
    b, c = shares(base), shares(cur)
    return float(np.sum((c - b) * np.log((c + EPS) / (b + EPS))))


def categorical(base, cur):
    cats = sorted(set(base) | set(cur))
    bc = np.array([base.count(k) for k in cats], dtype=float)
    cc = np.array([cur.count(k) for k in cats], dtype=float)
    b, c = bc / bc.sum(), cc / cc.sum()
    psi = float(np.sum((c - b) * np.log((c + EPS) / (b + EPS))))
    if len(cats) > 1:
        p = float(stats.chi2_contingency(np.array([bc, cc]), correction=False).pvalue)
    else:
        p = 1.0
    return {"psi": psi, "ks_statistic": None, "ks_p_value": p}


def numeric(base, cur):
    base, cur = np.asarray(base, dtype=float), np.asarray(cur, dtype=float)
    r = stats.ks_2samp(base, cur, method="asymp")
    return {
        "psi": numeric_psi(base, cur),
        "ks_statistic": float(r.statistic),
        "ks_p_value": float(r.pvalue),
    }


def generate(rng, n_base, n_cur):
    """Columns of the baseline and the current sample: name -> (kind, values, values); None is a
    missing cell."""
    def with_missing(values, share):
        return [None if rng.random() < share else v for v in values]

    cities = ["paris", "lyon", "nice", "lille"]
    return {
        "stable": ("float", list(rng.normal(0, 1, n_base)), list(rng.normal(0, 1, n_cur))),
        "shifted": ("float", list(rng.normal(0, 1, n_base)), list(rng.normal(0.3, 1.2, n_cur))),
        "visits": (
            "int",
            [int(v) for v in rng.poisson(3, n_base)],
            [int(v) for v in rng.poisson(3.6, n_cur)],
        ),
        "sparse": (
            "float",
            with_missing(list(rng.normal(5, 2, n_base)), 0.3),
            with_missing(list(rng.normal(5.4, 2, n_cur)), 0.5),
        ),
        "city": (
            "str",
            list(rng.choice(cities[:3], n_base, p=[0.5, 0.3, 0.2])),
            list(rng.choice(cities, n_cur, p=[0.4, 0.3, 0.2, 0.1])),
        ),
        "plan": (
            "str",
            list(rng.choice(["free", "pro"], n_base, p=[0.7, 0.3])),
            list(rng.choice(["free", "pro"], n_cur, p=[0.7, 0.3])),
        ),
    }


def cell(v):
    if v is None:
        return ""
    if isinstance(v, (float, np.floating)):
        return repr(float(v))  # shortest text that reads back as the same double
    return str(v)


def write(columns, which, stem):
    names = list(columns)
    rows = zip(*(columns[n][which] for n in names))
    with open(stem + ".csv", "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(names)
        for row in rows:
            w.writerow([cell(v) for v in row])
    types = {"float": pa.float64(), "int": pa.int64(), "str": pa.string()}
    table = pa.table({
        n: pa.array(
            [None if v is None else (str(v) if columns[n][0] == "str" else v) for v in columns[n][which]],
            type=types[columns[n][0]],
        )
        for n in names
    })
    pq.write_table(table, stem + ".parquet")  # snappy, pyarrow's default


def expected(columns):
    out = {}
    for name, (kind, base, cur) in columns.items():
        base = [v for v in base if v is not None]
        cur = [v for v in cur if v is not None]
        if kind == "str":
            out[name] = categorical([str(v) for v in base], [str(v) for v in cur])
        else:
            out[name] = numeric(base, cur)
    return out


def main():
    out_dir = sys.argv[1]
    rng = np.random.default_rng(20261205)
    result = {}
    for label, (n_base, n_cur) in {"large": (2000, 1500), "small": (60, 45)}.items():
        columns = generate(rng, n_base, n_cur)
        write(columns, 1, os.path.join(out_dir, f"{label}_baseline"))
        write(columns, 2, os.path.join(out_dir, f"{label}_current"))
        result[label] = expected(columns)
    with open(os.path.join(out_dir, "expected.json"), "w") as f:
        json.dump(result, f, indent=2)


if __name__ == "__main__":
    main()
