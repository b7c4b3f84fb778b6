"""The validation gate of modules/training-pipeline/kubernetes, run after the training step.

The training step leaves in the shared volume at OUTPUT_DIR (/work):
  metrics.json  {"METRIC": value, ...}  what it measured on the validation data
  run_id        the MLflow run whose artifact path "model" holds the trained model
The gate passes when GATE_METRIC reaches GATE_THRESHOLD (when set) and beats the registered
model's champion by GATE_MARGIN (when set; no champion yet: passes); GATE_GREATER_IS_BETTER is
"false" for a loss. It then registers the run's model as a new version of REGISTERED_MODEL in the
MLflow registry at MLFLOW_TRACKING_URI, and exits 0; otherwise it exits 1 (the Job fails, nothing
is registered). Standard library only.
"""

import json
import os
import sys
import urllib.error
import urllib.parse
import urllib.request


def mlflow(method, path, body=None, query=None):
    url = os.environ["MLFLOW_TRACKING_URI"].rstrip("/") + "/api/2.0/mlflow/" + path
    if query:
        url += "?" + urllib.parse.urlencode(query)
    data = None if body is None else json.dumps(body).encode()
    req = urllib.request.Request(url, data=data, method=method, headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(req, timeout=30) as r:
        return json.load(r)


def champion_value(model, metric):
    """The metric of the run behind the model's champion alias, or None when there is none."""
    try:
        version = mlflow("GET", "registered-models/alias", query={"name": model, "alias": "champion"})
    except urllib.error.HTTPError as e:
        if e.code == 404:
            return None
        raise
    run_id = version["model_version"].get("run_id")
    if not run_id:
        return None
    run = mlflow("GET", "runs/get", query={"run_id": run_id})
    for m in run["run"]["data"].get("metrics", []):
        if m["key"] == metric:
            return float(m["value"])
    return None


def main():
    metric = os.environ["GATE_METRIC"]
    threshold = os.environ.get("GATE_THRESHOLD", "")
    margin = os.environ.get("GATE_MARGIN", "")
    greater = os.environ.get("GATE_GREATER_IS_BETTER", "true") == "true"
    model = os.environ["REGISTERED_MODEL"]
    work = os.environ.get("OUTPUT_DIR", "/work")

    with open(os.path.join(work, "metrics.json")) as f:
        value = float(json.load(f)[metric])
    better = (lambda a, b: a >= b) if greater else (lambda a, b: a <= b)

    if threshold and not better(value, float(threshold)):
        print(f"gate: {metric} = {value} does not reach the threshold {threshold}; not registered")
        return 1
    if margin:
        current = champion_value(model, metric)
        if current is not None:
            need = current + float(margin) if greater else current - float(margin)
            if not better(value, need):
                print(f"gate: {metric} = {value} does not beat the champion's {current} by {margin}; not registered")
                return 1

    with open(os.path.join(work, "run_id")) as f:
        run_id = f.read().strip()
    try:
        mlflow("POST", "registered-models/create", {"name": model})
    except urllib.error.HTTPError as e:
        if e.code != 400:  # RESOURCE_ALREADY_EXISTS
            raise
    run = mlflow("GET", "runs/get", query={"run_id": run_id})
    source = run["run"]["info"]["artifact_uri"].rstrip("/") + "/model"
    version = mlflow("POST", "model-versions/create", {"name": model, "source": source, "run_id": run_id})
    print(f"gate: {metric} = {value} passed; registered {model} version {version['model_version']['version']}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
