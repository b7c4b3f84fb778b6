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

# AWS only.

variable "instance_type" {
  type        = string
  default     = "ml.g5.xlarge"
  description = "The SageMaker training instance type of the training step (a pipeline parameter, TrainingInstanceType, so an execution may override it). SageMaker training runs on instances SageMaker manages; cluster is passed to the training container as CLUSTER."

  validation {
    condition     = can(regex("^ml\\.[a-z0-9-]+\\.[a-z0-9]+$", var.instance_type))
    error_message = "instance_type is a SageMaker instance type such as ml.g5.xlarge."
  }
}

variable "max_runtime_seconds" {
  type        = number
  default     = 86400
  description = "How long the training step may run before SageMaker stops it."

  validation {
    condition     = var.max_runtime_seconds >= 60 && var.max_runtime_seconds <= 2419200 && floor(var.max_runtime_seconds) == var.max_runtime_seconds
    error_message = "max_runtime_seconds is a whole number from 60 to 2419200 (28 days)."
  }
}

variable "force_destroy" {
  type        = bool
  default     = false
  description = "Whether destroying the pipeline also deletes the model artifacts in its S3 bucket; false: destroy fails while the bucket holds artifacts."

  validation {
    condition     = var.force_destroy != null
    error_message = "force_destroy is true or false."
  }
}
