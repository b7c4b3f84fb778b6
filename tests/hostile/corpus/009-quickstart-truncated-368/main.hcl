# A small ML platform sandbox on this machine: a feature table, a model registry, and the
# training-pipeline and drift-monitor specs that other tools pick up. No cloud account needed.

variable "project" {
  type        = string
  default     = "churn"
  description = "Name prefix for everything in the sandbox."
}

variable "features" {
  type = list(object({ name 