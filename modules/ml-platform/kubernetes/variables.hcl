# The ml-platform interface (modules/README.md): the same required variables on every platform.

variable "name" {
  type        = string
  description = "The team or product the platform is for; its parts are named \"<name>-<part>-<env.name>\" (part: gpu, features, models, train, serving, drift)."

  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{1,20}[a-z0-9]$", var.name))
    error_message = "name is 3 to 22 lower-case letters, digits and hyphens, starting with a letter and not ending with a hyphen."
  }
}

variable "entity_key" {
  type        = string
  description = "The feature that identifies a record (the primary key, SageMaker's record identifier, Feast's entity join key); one of features."

  validation {
    condition     = can(regex("^[a-z_][a-z0-9_]*$", var.entity_key))
    error_message = "entity_key is a lower-case identifier (letters, digits, _)."
  }
}

variable "event_time_key" {
  type        = string
  description = "The feature holding each record's event time; one of features, of type timestamp."

  validation {
    condition     = can(regex("^[a-z_][a-z0-9_]*$", var.event_time_key))
    error_message = "event_time_key is a lower-case identifier (letters, digits, _)."
  }
}

variable "features" {
  type        = list(object({ name = string, type = string }))
  description = "The features, in order: name (a lower-case identifier) and type, one of int, float, string, timestamp (each platform maps them to its own types)."

  validation {
    condition     = length(var.features) > 0 && alltrue([for f in var.features : contains(["int", "float", "string", "timestamp"], f.type)])
    error_message = "features is not empty and each type is one of int, float, string, timestamp."
  }

  validation {
    condition     = alltrue([for f in var.features : can(regex("^[a-z_][a-z0-9_]*$", f.name))]) && length(distinct([for f in var.features : f.name])) == length(var.features)
    error_message = "feature names are unique lower-case identifiers (letters, digits, _)."
  }
}

variable "training_image" {
  type        = string
  description = "The training container image."

  validation {
    condition     = length(var.training_image) > 0 && !can(regex("\\s", var.training_image))
    error_message = "training_image is a container image reference, not empty and without spaces."
  }
}

variable "serving_image" {
  type        = string
  description = "The serving container image."

  validation {
    condition     = length(var.serving_image) > 0 && !can(regex("\\s", var.serving_image))
    error_message = "serving_image is a container image reference, not empty and without spaces."
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

variable "baseline" {
  type        = string
  description = "The baseline sample the current data is compared with (the training data's features): a CSV or Parquet file on the local platform, an S3 URI on aws, a path in the monitor's volume on kubernetes."

  validation {
    condition     = length(var.baseline) > 0
    error_message = "baseline is not empty."
  }
}

variable "current" {
  type        = string
  default     = null
  description = "The current sample the drift monitor compares with the baseline; null: what the serving endpoint captures (its capture_uri)."

  validation {
    condition     = var.current == null || try(length(var.current) > 0, false)
    error_message = "current is null or not empty."
  }
}

variable "drift_features" {
  type        = list(string)
  default     = null
  description = "The features the drift monitor compares; null: every column of the baseline."

  validation {
    condition     = var.drift_features == null || try(length(var.drift_features) > 0 && length(distinct(var.drift_features)) == length(var.drift_features), false)
    error_message = "drift_features is null or a non-empty list of distinct column names."
  }
}

variable "psi_threshold" {
  type        = number
  default     = 0.2
  description = "A feature drifts when its Population Stability Index is above this (0.1: watch, 0.2: act, in the practice's terms)."

  validation {
    condition     = var.psi_threshold > 0
    error_message = "psi_threshold is above 0."
  }
}

variable "ks_p_value" {
  type        = number
  default     = 0.05
  description = "A feature drifts when its Kolmogorov-Smirnov p-value (chi-square for a categorical feature) is below this significance level."

  validation {
    condition     = var.ks_p_value > 0 && var.ks_p_value < 1
    error_message = "ks_p_value is between 0 and 1."
  }
}

variable "drift_schedule" {
  type        = string
  default     = "0 * * * *"
  description = "When the drift monitor runs, as a 5-field cron expression (default hourly; aws accepts only hourly or daily schedules)."

  validation {
    condition     = can(regex("^\\S+( \\S+){4}$", var.drift_schedule))
    error_message = "drift_schedule is a 5-field cron expression such as \"0 * * * *\"."
  }
}

variable "training_schedule" {
  type        = string
  default     = null
  description = "When training runs on its own, as a 5-field cron expression (\"0 3 * * 1\"); null: only when triggered (by a drift-monitor or by hand)."

  validation {
    condition     = var.training_schedule == null || can(regex("^\\S+( \\S+){4}$", var.training_schedule))
    error_message = "training_schedule is a 5-field cron expression such as \"0 3 * * 1\", or null."
  }
}

variable "gpu_type" {
  type        = string
  default     = "l4"
  description = "The GPU model every node carries, in lower case: one of t4, l4, a10g, a100, h100."

  validation {
    condition     = contains(["t4", "l4", "a10g", "a100", "h100"], var.gpu_type)
    error_message = "gpu_type is one of t4, l4, a10g, a100, h100."
  }
}

variable "node_count" {
  type        = number
  default     = 1
  description = "Number of GPU nodes."

  validation {
    condition     = var.node_count >= 1 && var.node_count <= 64 && floor(var.node_count) == var.node_count
    error_message = "node_count is a whole number from 1 to 64."
  }
}

variable "gpus_per_node" {
  type        = number
  default     = 1
  description = "GPUs on each node."

  validation {
    condition     = contains([1, 2, 4, 8], var.gpus_per_node)
    error_message = "gpus_per_node is 1, 2, 4 or 8."
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

variable "engine" {
  type        = string
  default     = "deployment"
  description = "How the serving endpoint serves: \"deployment\" or \"kserve\" (a KServe InferenceService; KServe must be installed)."

  validation {
    condition     = contains(["deployment", "kserve"], var.engine)
    error_message = "engine is \"deployment\" or \"kserve\"."
  }
}

variable "storage_class" {
  type        = string
  default     = null
  description = "Storage class of the registry's and the capture volumes (the capture volume needs ReadWriteMany); null: the cluster's default; \"\": pre-provisioned volumes without a class."

  validation {
    condition     = var.storage_class == null || can(regex("^([a-z0-9]([a-z0-9.-]{0,251}[a-z0-9])?)?$", var.storage_class))
    error_message = "storage_class is null, \"\" or a storage class name."
  }
}

variable "gpu_product" {
  type        = string
  default     = null
  description = "The nvidia.com/gpu.product node label training selects; null: the usual one for gpu_type; \"\": no node selector."

  validation {
    condition     = var.gpu_product == null || can(regex("^([A-Za-z0-9][A-Za-z0-9_.-]{0,61}[A-Za-z0-9]?)?$", var.gpu_product))
    error_message = "gpu_product is null, \"\" or a label value."
  }
}

variable "allowed_namespaces" {
  type        = list(string)
  default     = ["ingress-nginx"]
  description = "Namespaces whose pods may reach the serving pods besides the platform's own: the ingress controller's."

  validation {
    condition     = alltrue([for n in var.allowed_namespaces : can(regex("^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$", n))])
    error_message = "allowed_namespaces are Kubernetes namespace names."
  }
}

variable "register_model" {
  type        = bool
  default     = false
  description = "Whether the registry also creates its registered model in MLflow (model-registry's register_model), through the root module's provider \"mlflow\"; false: no MLflow provider is needed."

  validation {
    condition     = var.register_model != null
    error_message = "register_model is true or false."
  }
}
