# The model-registry interface (modules/README.md): the same required variables on every platform.

variable "name" {
  type        = string
  description = "Name of the registry (the model it holds versions of); every object is named \"<name>-<env.name>\"."

  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{1,30}[a-z0-9]$", var.name))
    error_message = "name is 3 to 32 lower-case letters, digits and hyphens, starting with a letter and not ending with a hyphen."
  }
}

variable "description" {
  type        = string
  default     = ""
  description = "Free text about the registry."

  validation {
    condition     = length(var.description) <= 1024
    error_message = "description is at most 1024 characters."
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

variable "namespace" {
  type        = string
  default     = "default"
  description = "The namespace the MLflow server runs in (an existing one: ml-platform passes its gpu-cluster's)."

  validation {
    condition     = can(regex("^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$", var.namespace))
    error_message = "namespace is a Kubernetes namespace name: up to 63 lower-case letters, digits and hyphens."
  }
}

variable "image" {
  type        = string
  default     = "ghcr.io/mlflow/mlflow:v3.1.1"
  description = "The MLflow server image."

  validation {
    condition     = length(var.image) > 0 && !can(regex("\\s", var.image))
    error_message = "image is a container image reference, not empty and without spaces."
  }
}

variable "storage" {
  type        = string
  default     = "10Gi"
  description = "Size of the volume holding the backend store (SQLite) and the artifacts."

  validation {
    condition     = can(regex("^[0-9]+(Mi|Gi|Ti)$", var.storage))
    error_message = "storage is a whole quantity in Mi, Gi or Ti, such as \"10Gi\"."
  }
}

variable "storage_class" {
  type        = string
  default     = null
  description = "Storage class of the volume; null: the cluster's default class; \"\": no class (a pre-provisioned volume)."

  validation {
    condition     = var.storage_class == null || can(regex("^([a-z0-9]([a-z0-9.-]{0,251}[a-z0-9])?)?$", var.storage_class))
    error_message = "storage_class is null, \"\" or a storage class name."
  }
}

variable "register_model" {
  type        = bool
  default     = false
  description = "Also create the registered model \"<name>-<env.name>\" (an mlflow_registered_model with the description and tags) through the root module's provider \"mlflow\", whose tracking_uri reaches this server from where Plinth runs (a port-forward, an ingress); false: no MLflow provider is needed and the first registration creates the model."

  validation {
    condition     = var.register_model != null
    error_message = "register_model is true or false."
  }
}
