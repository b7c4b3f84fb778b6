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
  # `env clone` compares, so a clone can never take ove