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

# Local only.

variable "sandbox_dir" {
  type        = string
  default     = "sandbox"
  description = "Directory, relative to where Plinth runs, under which each environment's sandbox lives (<sandbox_dir>/<env.name>/)."

  validation {
    condition     = length(var.sandbox_dir) > 0
    error_message = "sandbox_dir is not empty."
  }
}

variable "port" {
  type        = number
  default     = 8080
  description = "The local port a server started from the spec listens on."

  validation {
    condition     = var.port >= 1024 && var.port <= 65535 && floor(var.port) == var.port
    error_message = "port is a whole number from 1024 to 65535."
  }
}
