# One ML platform, several environments: every name below derives from env.name, so `prod` and a
# `staging` cloned from it each get their own feature table, model registry and training spec.
# See README.md for the walk-through, docs/guides/environments.md for the details.

variable "project" {
  type        = string
  default     = 