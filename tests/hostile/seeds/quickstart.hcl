# A small ML platform sandbox on this machine: a feature table, a model registry, and the
# training-pipeline and drift-monitor specs that other tools pick up. No cloud account needed.

variable "project" {
  type        = string
  default     = "churn"
  description = "Name prefix for everything in the sandbox."
}

variable "features" {
  type = list(object({ name = string, type = string }))
  default = [
    { name = "customer_id", type = "TEXT" },
    { name = "tenure_months", type = "INTEGER" },
    { name = "monthly_spend", type = "REAL" },
    { name = "updated_at", type = "TIMESTAMP" },
  ]
}

variable "drift_threshold" {
  type    = number
  default = 0.2

  validation {
    condition     = var.drift_threshold > 0 && var.drift_threshold < 1
    error_message = "drift_threshold is a fraction between 0 and 1."
  }
}

locals {
  root = "${path.module}/sandbox/${env.name}"
  tags = { project = var.project, environment = env.name }
}

resource "local_feature_table" "customers" {
  database    = "${local.root}/features.db"
  name        = "${var.project}_customers"
  columns     = var.features
  primary_key = "customer_id"
}

resource "local_model_registry" "models" {
  path        = "${local.root}/registry"
  name        = "${var.project}-models"
  description = "Models trained on ${local_feature_table.customers.name}"
}

resource "local_file" "pipeline" {
  path = "${local.root}/pipelines/train.yaml"
  content = yamlencode({
    pipeline = "${var.project}-train"
    steps = [
      { name = "extract", source = local_feature_table.customers.id },
      { name = "train", features = [for c in var.features : c.name if c.name != "customer_id"] },
      { name = "register", registry = local_model_registry.models.path },
    ]
    tags = local.tags
  })
}

resource "local_file" "monitor" {
  path = "${local.root}/monitors/drift.json"
  content = jsonencode({
    monitor   = "${var.project}-drift"
    table     = local_feature_table.customers.id
    threshold = var.drift_threshold
    features  = [for c in var.features : c.name]
  })
}

output "feature_table" {
  value       = local_feature_table.customers.id
  description = "database#table of the feature table"
}

output "registry_index" {
  value = "${local_model_registry.models.path}/index.json"
}

output "specs" {
  value = [local_file.pipeline.path, local_file.monitor.path]
}
