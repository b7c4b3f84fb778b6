# A challenger -> champion promotion in an MLflow model registry, gated on a metric.
#
# Plinth owns the experiment the training job logs to, the registered model, and the `champion`
# alias. Versions come from training runs (here: ../../tests/mlflow/train.py), which point the
# `challenger` alias at their newest version. Plinth promotes the challenger only when its AUC
# beats the champion's by `min_auc_gain`: otherwise the plan fails, naming both figures, and
# nothing changes. See README.md.

provider "mlflow" {
  # The tracking server: MLFLOW_TRACKING_URI, as for any MLflow client. Auth, when the server
  # has it: `token` or `username` / `password`, best as secret("env:...") (or MLflow's own
  # MLFLOW_TRACKING_TOKEN / MLFLOW_TRACKING_USERNAME / MLFLOW_TRACKING_PASSWORD).
}

variable "model_name" {
  type    = string
  default = "churn"
}

variable "min_auc_gain" {
  type        = number
  default     = 0.01
  description = "How much a challenger's AUC must beat the champion's to be promoted."
}

resource "mlflow_experiment" "training" {
  name = "${var.model_name}-training"
  tags = {
    team    = "growth"
    purpose = "weekly churn retraining"
  }
}

resource "mlflow_registered_model" "churn" {
  name        = var.model_name
  description = "Predicts which customers cancel within 30 days."
  tags = {
    team = "growth"
  }
}

# What training proposes, and what serves today.
data "mlflow_model_version" "challenger" {
  name  = mlflow_registered_model.churn.name
  alias = "challenger"
}

data "mlflow_model_version" "champion" {
  name  = mlflow_registered_model.churn.name
  alias = "champion"
}

# The promotion: `champion` points at the challenger's version, only if it is better. Once
# promoted both aliases name the same version, so the gate holds and a re-plan is clean.
resource "mlflow_model_alias" "champion" {
  name    = mlflow_registered_model.churn.name
  alias   = "champion"
  version = data.mlflow_model_version.challenger.version

  lifecycle {
    precondition {
      condition = (data.mlflow_model_version.challenger.version == data.mlflow_model_version.champion.version
        || data.mlflow_model_version.challenger.metrics.auc >= data.mlflow_model_version.champion.metrics.auc + var.min_auc_gain)
      error_message = "challenger AUC does not beat the champion by ${var.min_auc_gain}"
    }
  }
}

# A record on the version itself of who promoted it.
resource "mlflow_model_version_tag" "promoted" {
  name    = mlflow_model_alias.champion.name
  version = mlflow_model_alias.champion.version
  key     = "promoted_by"
  value   = "plinth"
}

output "champion_version" {
  value = mlflow_model_alias.champion.version
}

output "challenger_auc" {
  value = data.mlflow_model_version.challenger.metrics.auc
}

output "challenger_source" {
  description = "Where the promoted model's files are: what serving/ deploys."
  value       = data.mlflow_model_version.challenger.source
}
