# The serving-endpoint interface (modules/README.md): the same required variables on every platform.

variable "name" {
  type        = string
  description = "Name of the endpoint; every object is named \"<name>-<env.name>\"."

  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{1,30}[a-z0-9]$", var.name))
    error_message = "name is 3 to 32 lower-case letters, digits and hyphens, starting with a letter and not ending with a hyphen."
  }
}

variable "registry" {
  type        = string
  description = "Where the served model comes from: the id output of a model-registry module of the same platform."

  validation {
    condition     = length(var.registry) > 0
    error_message = "registry is the id of a model-registry, not empty."
  }
}

variable "image" {
  type        = string
  description = "The serving container image (such as \"ghcr.io/acme/churn-serve:1.4\")."

  validation {
    condition     = length(var.image) > 0 && !can(regex("\\s", var.image))
    error_message = "image is a container image reference, not empty and without spaces."
  }
}

variable "model_alias" {
  type        = string
  default     = "champion"
  description = "Which version of the registry's model is served: the version this alias points to."

  validation {
    condition     = can(regex("^[A-Za-z0-9_.-]+$", var.model_alias))
    error_message = "model_alias is letters, digits, _, - and ."
  }
}

variable "instance_count" {
  type        = number
  default     = 1
  description = "Serving instances (replicas) at least."

  validation {
    condition     = var.instance_count >= 1 && floor(var.instance_count) == var.instance_count
    error_message = "instance_count is a whole number, at least 1."
  }
}

variable "max_instance_count" {
  type        = number
  default     = 1
  description = "Serving instances (replicas) at most, for autoscaling; at least instance_count."

  validation {
    condition     = var.max_instance_count >= 1 && floor(var.max_instance_count) == var.max_instance_count
    error_message = "max_instance_count is a whole number, at least 1."
  }
}

variable "capture_percent" {
  type        = number
  default     = 100
  description = "Share of requests (0 to 100) whose inputs are captured for drift monitoring."

  validation {
    condition     = var.capture_percent >= 0 && var.capture_percent <= 100
    error_message = "capture_percent is from 0 to 100."
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
  default     = "ml.g4dn.xlarge"
  description = "The SageMaker instance type of the endpoint's instances."

  validation {
    condition     = can(regex("^ml\\.[a-z0-9-]+\\.[a-z0-9]+$", var.instance_type))
    error_message = "instance_type is a SageMaker instance type such as ml.g4dn.xlarge."
  }
}

variable "invocations_per_instance" {
  type        = number
  default     = 100
  description = "Requests per instance per minute (SageMaker's InvocationsPerInstance metric) the autoscaling keeps, adding instances above it and removing them below; used when max_instance_count is above instance_count."

  validation {
    condition     = var.invocations_per_instance >= 1 && floor(var.invocations_per_instance) == var.invocations_per_instance
    error_message = "invocations_per_instance is a whole number of requests per minute, at least 1."
  }
}

variable "model_package_version" {
  type        = number
  default     = null
  description = "The version of the registry's model package to serve (an approved one); null: serve image (with model_data_url, if given), passing the registry and model_alias to the container as MODEL_REGISTRY and MODEL_ALIAS."

  validation {
    condition     = var.model_package_version == null || try(var.model_package_version >= 1 && floor(var.model_package_version) == var.model_package_version, false)
    error_message = "model_package_version is a whole number from 1, or null."
  }
}

variable "model_data_url" {
  type        = string
  default     = null
  description = "The S3 URI of the model artifacts (model.tar.gz) image serves when model_package_version is null; the endpoint's role may read only this object."

  validation {
    condition     = var.model_data_url == null || can(regex("^s3://[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]/.+", var.model_data_url))
    error_message = "model_data_url is an S3 URI of an object (s3://BUCKET/KEY), or null."
  }
}

variable "force_destroy" {
  type        = bool
  default     = false
  description = "Whether destroying the endpoint also deletes the captured requests in its S3 bucket; false: destroy fails while the bucket holds captures."

  validation {
    condition     = var.force_destroy != null
    error_message = "force_destroy is true or false."
  }
}
