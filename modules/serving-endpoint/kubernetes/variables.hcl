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

# Kubernetes only.

variable "namespace" {
  type        = string
  default     = "default"
  description = "The namespace the endpoint runs in (an existing one: ml-platform passes its gpu-cluster's)."

  validation {
    condition     = can(regex("^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$", var.namespace))
    error_message = "namespace is a Kubernetes namespace name: up to 63 lower-case letters, digits and hyphens."
  }
}

variable "engine" {
  type        = string
  default     = "deployment"
  description = "How the model is served: \"deployment\" (a Deployment, Service, HorizontalPodAutoscaler, PodDisruptionBudget and NetworkPolicy) or \"kserve\" (a KServe InferenceService; KServe must be installed in the cluster)."

  validation {
    condition     = contains(["deployment", "kserve"], var.engine)
    error_message = "engine is \"deployment\" or \"kserve\"."
  }
}

variable "allowed_namespaces" {
  type        = list(string)
  default     = ["ingress-nginx"]
  description = "Namespaces whose pods may reach the serving pods (the NetworkPolicy's only sources besides the endpoint's own namespace): the ingress controller's."

  validation {
    condition     = alltrue([for n in var.allowed_namespaces : can(regex("^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$", n))])
    error_message = "allowed_namespaces are Kubernetes namespace names."
  }
}

variable "cpu_target" {
  type        = number
  default     = 70
  description = "Average CPU use, in percent of the pods' requests, the autoscaler keeps."

  validation {
    condition     = var.cpu_target >= 10 && var.cpu_target <= 100 && floor(var.cpu_target) == var.cpu_target
    error_message = "cpu_target is a whole percentage from 10 to 100."
  }
}

variable "resources" {
  type        = object({ cpu = string, memory = string })
  default     = { cpu = "500m", memory = "1Gi" }
  description = "CPU and memory each serving pod requests (its limit is twice the CPU and the same memory)."

  validation {
    condition     = can(regex("^[0-9]+m?$", var.resources.cpu)) && can(regex("^[0-9]+(Mi|Gi)$", var.resources.memory))
    error_message = "resources.cpu is a whole CPU quantity (\"1\", \"500m\") and resources.memory a whole quantity in Mi or Gi (\"1Gi\")."
  }
}

variable "capture_storage" {
  type        = string
  default     = "5Gi"
  description = "Size of the volume captured request inputs are written to (ReadWriteMany: every replica writes, the drift monitor reads)."

  validation {
    condition     = can(regex("^[0-9]+(Mi|Gi|Ti)$", var.capture_storage))
    error_message = "capture_storage is a whole quantity in Mi, Gi or Ti, such as \"5Gi\"."
  }
}

variable "storage_class" {
  type        = string
  default     = null
  description = "Storage class of the capture volume (one that offers ReadWriteMany); null: the cluster's default class; \"\": no class (a pre-provisioned volume)."

  validation {
    condition     = var.storage_class == null || can(regex("^([a-z0-9]([a-z0-9.-]{0,251}[a-z0-9])?)?$", var.storage_class))
    error_message = "storage_class is null, \"\" or a storage class name."
  }
}
