"""A stand-in for a training job, for the MLflow provider's tests and examples/model-promotion.

Through MLflow's own Python client it does what a training pipeline does against a tracking
server: logs two runs in an experiment (params, an `auc` and an `accuracy` metric, a small model
artifact), registers one model version from each, and points the aliases `champion` (the first
run's version) and `challenger` (the second's) at them; with --challenger-only (a retraining)
only the second run, and only `challenger`. Plinth never creates versions: they come
from training, as here. The AUCs are arguments, so that one test's promotion gate passes and
another's blocks.

    python3 tests/mlflow/train.py --tracking-uri http://127.0.0.1:5000 \
        --model churn --champion-auc 0.81 --challenger-auc 0.84

The server is MLFLOW_TRACKING_URI when --tracking-uri is not given; basic auth, when the server
has it, comes from MLFLOW_TRACKING_USERNAME / MLFLOW_TRACKING_PASSWORD as for any MLflow client.
Prints one JSON object: the experiment id, and per run its id, version and metrics.
"""

import argparse
import contextlib
import json
import os
import sys
import tempfile

# Never phone home, whatever the caller's environment says.
os.environ.setdefault("MLFLOW_DISABLE_TELEMETRY", "true")
os.environ.setdefault("DO_NOT_TRACK", "true")

import mlflow  # noqa: E402
from mlflow import MlflowClient  # noqa: E402
from mlflow.exceptions import MlflowException  # noqa: E402


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--tracking-uri", default=os.environ.get("MLFLOW_TRACKING_URI"))
    p.add_argument("--experiment", default="churn-training")
    p.add_argument("--model", default="churn")
    p.add_argument("--champion-auc", type=float, default=0.81)
    p.add_argument("--challenger-auc", type=float, default=0.84)
    p.add_argument(
        "--challenger-only",
        action="store_true",
        help="a retraining: log only the candidate run and point only `challenger` at it",
    )
    p.add_argument(
        "--no-aliases",
        action="store_true",
        help="register the versions but set no alias",
    )
    a = p.parse_args()
    if not a.tracking_uri:
        p.error("--tracking-uri or MLFLOW_TRACKING_URI is required")

    # MLflow prints links to the runs on stdout: keep stdout for the JSON answer.
    with contextlib.redirect_stdout(sys.stderr):
        result = train(a)
    json.dump(result, sys.stdout)
    print()
    return 0


def train(a: argparse.Namespace) -> dict:
    mlflow.set_tracking_uri(a.tracking_uri)
    client = MlflowClient(tracking_uri=a.tracking_uri)

    # The experiment and the registered model may already exist (Plinth manages both): use them.
    exp = client.get_experiment_by_name(a.experiment)
    experiment_id = exp.experiment_id if exp else client.create_experiment(a.experiment)
    try:
        client.create_registered_model(a.model)
    except MlflowException as e:
        if e.error_code != "RESOURCE_ALREADY_EXISTS":
            raise

    trainings = [
        ("baseline", a.champion_auc, {"model_type": "logistic_regression", "C": "1.0"}),
        ("candidate", a.challenger_auc, {"model_type": "gradient_boosting", "n_estimators": "200"}),
    ]
    if a.challenger_only:
        trainings = trainings[1:]
    runs = []
    for run_name, auc, params in trainings:
        with mlflow.start_run(experiment_id=experiment_id, run_name=run_name) as run:
            mlflow.log_params(params)
            mlflow.log_metric("auc", auc)
            mlflow.log_metric("accuracy", round(auc - 0.05, 4))
            # A model's files, as a training job would log them (a stand-in: no framework needed).
            with tempfile.TemporaryDirectory() as d:
                with open(os.path.join(d, "MLmodel"), "w") as f:
                    f.write(f"artifact_path: model\nflavors: {{}}\nrun_id: {run.info.run_id}\n")
                mlflow.log_artifacts(d, artifact_path="model")
            source = f"{run.info.artifact_uri}/model"
        mv = client.create_model_version(
            name=a.model,
            source=source,
            run_id=run.info.run_id,
            tags={"trained_by": "train.py"},
            description=f"{run_name} (auc {auc})",
        )
        runs.append(
            {
                "run_name": run_name,
                "run_id": run.info.run_id,
                "version": mv.version,
                "source": mv.source,
                "auc": auc,
            }
        )

    if not a.no_aliases:
        if not a.challenger_only:
            client.set_registered_model_alias(a.model, "champion", runs[0]["version"])
        client.set_registered_model_alias(a.model, "challenger", runs[-1]["version"])

    return {"experiment_id": experiment_id, "model": a.model, "runs": runs}


if __name__ == "__main__":
    sys.exit(main())
