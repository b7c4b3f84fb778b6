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

  v