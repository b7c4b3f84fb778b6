# The drift-monitor interface (modules/README.md): the same required variables on every platform.

variable "name" {
  type        = string
  description = "Name of the monitor; every object is named \"<name>-<env.name>\"."

  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{1,30}[a-z0-9]$", var.name))
    error_message = "name is 3 to 32 lower-case letters, digits and hyphens, starting with a letter and not ending with a hyphen."
  }
}

variable "baseline" {
  type        = string
  description = "The baseline the current data is compared with (the training data's features): a CSV or Parquet file on the local platform; on aws the S3 prefix holding constraints.json and statistics.json, what a SageMaker baselining job computes from that data; a path in the monitor's volume on kubernetes."

  validation {
    condition     = length(var.baseline) > 0
    error_message = "baseline is not empty."
  }

  validation {
    condition     = can(regex("^s3://[a-z0-9][a-z0-9.-]{1,61}[a-z0-9](/.*)?$", var.baseline))
    error_message = "baseline is an S3 URI (s3://BUCKET/PREFIX) on aws."
  }

  validation {
    condition     = !can(regex("\\.(csv|parquet|json|jsonl)$", var.baseline))
    error_message = "baseline is an S3 prefix on aws (the folder holding a baselining job's constraints.json and statistics.json), not a file."
  }
}

variable "current" {
  type        = string
  description = "Where the current sample is read: the capture_uri output of a serving-endpoint module of the same platform, or another sample of the same shape."

  validation {
    condition     = length(var.current) > 0
    error_message = "current is not empty."
  }

  validation {
    condition     = can(regex("^s3://[a-z0-9][a-z0-9.-]{1,61}[a-z0-9](/.*)?$", var.current))
    error_message = "current is an S3 URI (s3://BUCKET/PREFIX) on aws: a serving-endpoint's capture_uri."
  }
}

variable "endpoint" {
  type        = string
  description = "The endpoint whose traffic is monitored: the name output of a serving-endpoint module of the same platform."

  validation {
    condition     = length(var.endpoint) > 0
    error_message = "endpoint is the name of a serving-endpoint, not empty."
  }
}

variable "pipeline" {
  type        = string
  description = "The pipeline to trigger when drift is found: the id output of a training-pipeline module of the same platform."

  validation {
    condition     = length(var.pipeline) > 0
    error_message = "pipeline is the id of a training-pipeline, not empty."
  }
}

variable "features" {
  type        = list(string)
  default     = null
  description = "The features (columns) to compare; null: every column of the baseline."

  validation {
    condition     = var.features == null || try(length(var.features) > 0 && length(distinct(var.features)) == length(var.features), false)
    error_message = "features is null or a non-empty list of distinct column names."
  }

  validation {
    condition     = var.features == null || try(length(jsonencode(var.features)) <= 256, false)
    error_message = "features, as a JSON list, is at most 256 characters on aws (SageMaker's limit on an environment value of the analyzer)."
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

variable "schedule" {
  type        = string
  default     = "0 * * * *"
  description = "When the monitor runs, as a 5-field cron expression (default hourly; aws accepts only hourly or daily schedules)."

  validation {
    condition     = can(regex("^\\S+( \\S+){4}$", var.schedule))
    error_message = "schedule is a 5-field cron expression such as \"0 * * * *\"."
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
  default     = "ml.m5.xlarge"
  description = "The instance type of each monitoring job."

  validation {
    condition     = can(regex("^ml\\.[a-z0-9-]+\\.[a-z0-9]+$", var.instance_type))
    error_message = "instance_type is a SageMaker instance type such as ml.m5.xlarge."
  }
}

variable "force_destroy" {
  type        = bool
  default     = false
  description = "Whether destroying the monitor also deletes its reports in its S3 bucket; false: destroy fails while the bucket holds reports."

  validation {
    condition     = var.force_destroy != null
    error_message = "force_destroy is true or false."
  }
}
