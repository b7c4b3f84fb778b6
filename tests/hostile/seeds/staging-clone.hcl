# One ML platform, several environments: every name below derives from env.name, so `prod` and a
# `staging` cloned from it each get their own feature table, model registry and training spec.
# See README.md for the walk-through, docs/guides/environments.md for the details.

variable "project" {
  type        = string
  default     = "churn"
  description = "Name prefix for the platform's objects."
}

variable "gpu_count" {
  type        = number
  default     = 1
  description = "GPUs per training job."

  validation {
    condition     = var.gpu_count >= 1 && var.gpu_count <= 8
    error_message = "gpu_count is between 1 and 8 (one node)."
  }
}

variable "gpu_type" {
  type        = string
  default     = "a100"
  description = "Accelerator type requested by the training job."
}

variable "epochs" {
  type    = number
  default = 10
}

locals {
  # Everything of one environment lives under its own directory: the paths are the identities
  # `env clone` compares, so a clone can never take over another environment's objects.
  root = "${path.module}/sandbox/${env.name}"
  tags = { project = var.project, environment = env.name }
}

resource "local_feature_table" "customers" {
  database = "${local.root}/features.db"
  name     = "${var.project}_customers"
  columns = [
    { name = "customer_id", type = "TEXT" },
    { name = "tenure_months", type = "INTEGER" },
    { name = "monthly_spend", type = "REAL" },
    { name = "updated_at", type = "TIMESTAMP" },
  ]
  primary_key = "customer_id"
}

resource "local_model_registry" "models" {
  path        = "${local.root}/registry"
  name        = "${var.project}-models-${env.name}"
  description = "Models trained on ${local_feature_table.customers.id}"
}

resource "local_file" "training_job" {
  path = "${local.root}/training/${var.project}-train.yaml"
  content = yamlencode({
    job         = "${var.project}-train-${env.name}"
    environment = env.name
    resources = {
      gpu_count = var.gpu_count
      gpu_type  = var.gpu_type
    }
    epochs   = var.epochs
    features = local_feature_table.customers.id
    registry = local_model_registry.models.path
    tags     = local.tags
  })
}

output "training_job" {
  value = local_file.training_job.path
}

output "registry" {
  value = local_model_registry.models.path
}

output "gpu_count" {
  value = var.gpu_count
}
