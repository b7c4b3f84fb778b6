# The training-pipeline interface (modules/README.md): the same required variables on every platform.

variable "name" {
  type        = string
  description = "Name of the pipeline; every object is named \"<name>-<env.name>\"."

  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{1,30}[a-z0-9]$", var.name))
    error_message = "name is 3 to 32 lower-case letters, digits and hyphens, starting with a letter and not ending with a hyphen."
  }
}

variable "cluster" {
  type        = string
  description = "Where training runs: the id output of a gpu-cluster module of the same platform."

  validation {
    condition     = length(var.cluster) > 0
    error_message = "cluster is the id of a gpu-cluster, not empty."
  }
}

variable "feature_store" {
  type        = string
  description = "What training reads: the id output of a feature-store module of the same platform."

  validation {
    condition     = length(var.feature_store) > 0
    error_message = "feature_store is the id of a feature-store, not empty."
  }
}

variable "registry" {
  type        = string
  description = "Where a model that passes the gate is registered: the id output of a model-registry module of the same platform."

  validation {
    condition     = length(var.registry) > 0
    error_message = "registry is the id of a model-registry, not empty."
  }
}

variable "image" {
  type        = string
  description = "The training container image (such as \"ghcr.io/acme/churn-train:1.4\")."

  validation {
    condition     = length(var.image) > 0 && !can(regex("\\s", var.image))
    error_message = "image is a container image reference, not empty and without spaces."
  }
}

variable "gate" {
  type = object({
    metric            = string
    threshold         = optional(number)
    margin            = optional(number)
    greater_is_better = optional(bool, true)
  })
  description = "The validation gate before registration: the metric the training step reports, and a threshold it must reach, or a margin by which it must beat the current model's (champion's) value, or both."

  validation {
    condition     = can(regex("^[A-Za-z_][A-Za-z0-9_.-]*$", var.gate.metric))
    error_message = "gate.metric is a metric name (letters, digits, _, . and -)."
  }

  validation {
    condition     = var.gate.threshold != null || var.gate.margin != null
    error_message = "gate needs a threshold, a margin over the current model, or both."
  }

  validation {
    condition     = var.gate.margin == null || try(var.gate.margin >= 0, false)
    error_message = "gate.margin is not negative."
  }
}

variable "schedule" {
  type        = string
  default     = null
  description = "When training runs on its own, as a 5-field cron expression (\"0 3 * * 1\"); null: only when triggered (by a drift-monitor or by hand)."

  validation {
    condition     = var.schedule == null || can(regex("^\\S+( \\S+){4}$", var.schedule))
    error_message = "schedule is a 5-field cron expression such as \"0 3 * * 1\", or null."
  }
}

variable "command" {
  type        = list(string)
  default     = []
  description = "The training command inside the image; empty: the image's entrypoint."

  validation {
    condition     = alltrue([for c in var.command : length(c) > 0])
    error_message = "command has no empty argument."
  }
}

variable "tags" {
  type        = map(string)
  default     = {}
  description = "Extra tags (labels on Kubernetes) for every object; name and environment are always set."

  validation {
    condition     = alltrue([for k, v in var.tags : can(regex("^[A-Za-z0-9][A-Za-z0-9_.-]{0,62}$", k)) && length(v) <= 63])
    error_message = "tag keys are 1 to 63 letters, digits, _, - and . starting with a letter or digit, and values at most 63 characters (what every platform accepts)."
  }
}

# Kubernetes only.

variable "gate_image" {
  type        = string
  default     = "python:3.12-slim"
  description = "The image the gate step runs in: any with Python 3 (the gate uses the standard library only)."

  validation {
    condition     = length(var.gate_image) > 0 && !can(regex("\\s", var.gate_image))
    error_message = "gate_image is a container image reference, not empty and without spaces."
  }
}

variable "resources" {
  type        = object({ cpu = string, memory = string })
  default     = { cpu = "4", memory = "16Gi" }
  description = "CPU and memory each training pod requests (its limit is the same); its GPUs are the cluster's gpus_per_node."

  validation {
    condition     = can(regex("^[0-9.]+m?$", var.resources.cpu)) && can(regex("^[0-9]+(Mi|Gi|Ti)$", var.resources.memory))
    error_message = "resources.cpu is a CPU quantity (\"4\", \"500m\") and resources.memory a whole quantity in Mi, Gi or Ti (\"16Gi\")."
  }
}

variable "backoff_limit" {
  type        = number
  default     = 1
  description = "Retries of a failed training run before its Job fails."

  validation {
    condition     = var.backoff_limit >= 0 && var.backoff_limit <= 10 && floor(var.backoff_limit) == var.backoff_limit
    error_message = "backoff_limit is a whole number from 0 to 10."
  }
}
