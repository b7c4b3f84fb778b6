"""The drift check of modules/drift-monitor/kubernetes, run by its CronJob.

Compares the current sample (CURRENT) with the baseline (BASELINE), CSV files with a header row,
feature by feature (FEATURES: a JSON list, or "null" for every column of the baseline), with the
figures the local platform's `local_distribution_drift` computes (docs/providers/local.md):
  - a column is numeric when every non-empty cell of both samples is a finite number;
  - numeric: PSI over 10 bins whose inner edges are the baseline's deciles (numpy's default
    quantile), the outer bins open-ended, a value equal to an edge in the upper bin, epsilon 1e-6;
    the two-sample Kolmogorov-Smirnov statistic and its p-value as scipy's
    ks_2samp(method="asymp");
  - categorical: PSI over the categories and the chi-square test's p-value (no continuity
    correction) in ks_p_value.
A feature drifts when its PSI is above PSI_THRESHOLD or its p-value below KS_P_VALUE. The figures
and the drifted features are printed as one JSON object. On drift, unless DRY_RUN is set, it
creates a Job from the training CronJob (CRONJOB in NAMESPACE) the way `kubectl create job
--from=cronjob/...` does, with the pod's service account: its role allows exactly that.
An http(s):// sample is downloaded first. Needs numpy and scipy.
"""

import csv
import json
import math
import os
import ssl
import sys
import time
import urllib.request

import numpy as np
from scipy import stats

EPS = 1e-6


def read(path):
    if path.startswith(("http://", "https://")):
        with urllib.request.urlopen(path, timeout=60) as r:
            text = r.read().decode()
    else:
        with open(path, newline="") as f:
            text = f.read()
    rows = list(csv.reader(text.splitlines()))
    header = [h.strip() for h in rows[0]]
    cols = {h: [] for h in header}
    for row in rows[1:]:
        for h, cell in zip(header, row):
            cell = cell.strip()
            if cell:
                cols[h].append(cell)
    return cols


def number(cell):
    try:
        x = float(cell)
    except ValueError:
        return None
    return x if math.isfinite(x) else None


def psi(base, cur):
    base, cur = np.asarray(base), np.asarray(cur)
    return float(np.sum((cur - base) * np.log((cur + EPS) / (base + EPS))))


def figures(base_cells, cur_cells):
    base = [number(c) for c in base_cells]
    cur = [number(c) for c in cur_cells]
    if None not in base and None not in cur:
        b, c = np.sort(np.array(base)), np.sort(np.array(cur))
        edges = np.quantile(b, np.arange(1, 10) / 10)
        shares = lambda xs: np.bincount(np.searchsorted(edges, xs, side="right"), minlength=10) / len(xs)
        ks = stats.ks_2samp(b, c, method="asymp")
        return {"psi": psi(shares(b), shares(c)), "ks_statistic": float(ks.statistic), "ks_p_value": float(ks.pvalue)}
    cats = sorted(set(base_cells) | set(cur_cells))
    nb = np.array([base_cells.count(k) for k in cats], dtype=float)
    nc = np.array([cur_cells.count(k) for k in cats], dtype=float)
    p = 1.0
    if len(cats) > 1:
        p = float(stats.chi2_contingency(np.array([nb, nc]), correction=False).pvalue)
    return {"psi": psi(nb / nb.sum(), nc / nc.sum()), "ks_statistic": None, "ks_p_value": min(max(p, 0.0), 1.0)}


def trigger(namespace, cronjob):
    """Creates a Job from the CronJob's job template, as `kubectl create job --from` does."""
    sa = "/var/run/secrets/kubernetes.io/serviceaccount"
    with open(f"{sa}/token") as f:
        token = f.read().strip()
    host = os.environ["KUBERNETES_SERVICE_HOST"]
    port = os.environ.get("KUBERNETES_SERVICE_PORT", "443")
    ctx = ssl.create_default_context(cafile=f"{sa}/ca.crt")
    base = f"https://{host}:{port}/apis/batch/v1/namespaces/{namespace}"

    def call(method, path, body=None):
        req = urllib.request.Request(
            base + path,
            data=None if body is None else json.dumps(body).encode(),
            method=method,
            headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"},
        )
        with urllib.request.urlopen(req, context=ctx, timeout=30) as r:
            return json.load(r)

    cj = call("GET", f"/cronjobs/{cronjob}")
    template = cj["spec"]["jobTemplate"]
    meta = template.get("metadata", {})
    job = {
        "apiVersion": "batch/v1",
        "kind": "Job",
        "metadata": {
            "name": f"{cronjob}-drift-{int(time.time())}"[-63:].lstrip("-"),
            "namespace": namespace,
            "labels": meta.get("labels", {}),
            "annotations": {**meta.get("annotations", {}), "cronjob.kubernetes.io/instantiate": "manual"},
            "ownerReferences": [{
                "apiVersion": "batch/v1", "kind": "CronJob", "name": cronjob,
                "uid": cj["metadata"]["uid"], "controller": True,
            }],
        },
        "spec": template["spec"],
    }
    return call("POST", "/jobs", job)["metadata"]["name"]


def main():
    base, cur = read(os.environ["BASELINE"]), read(os.environ["CURRENT"])
    wanted = json.loads(os.environ.get("FEATURES", "null")) or list(base)
    missing = [f for f in wanted if f not in base or f not in cur]
    if missing:
        print(json.dumps({"error": f"features missing from a sample: {missing}"}))
        return 1
    psi_max, p_min = float(os.environ["PSI_THRESHOLD"]), float(os.environ["KS_P_VALUE"])
    result = {f: figures(base[f], cur[f]) for f in wanted}
    drifted = {f: {"psi": r["psi"], "ks_p_value": r["ks_p_value"]}
               for f, r in result.items() if r["psi"] > psi_max or r["ks_p_value"] < p_min}
    out = {"features": result, "drifted_features": drifted}
    if drifted:
        out["drift_message"] = "data drift: " + ", ".join(f"{f} (psi {d['psi']:.3f})" for f, d in drifted.items())
        if not os.environ.get("DRY_RUN"):
            out["triggered"] = trigger(os.environ["NAMESPACE"], os.environ["CRONJOB"])
    print(json.dumps(out, sort_keys=True))
    return 0


if __name__ == "__main__":
    sys.exit(main())
