# The gpu-cluster interface (modules/README.md): the same required variables on every platform.

variable "name" {
  type        = string
  description = "Name of the cluster; every object is named \"<name>-<env.name>\"."

  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{1,30}[a-z0-9]$", var.name))
    error_message = "name is 3 to 32 lower-case letters, digits and hyphens, starting with a letter and not ending with a hyphen."
  }
}

variable "gpu_type" {
  type        = string
  description = "The GPU model every node carries, in lower case: one of t4, l4, a10g, a100, h100."

  validation {
    condition     = contains(["t4", "l4", "a10g", "a100", "h100"], var.gpu_type)
    error_message = "gpu_type is one of t4, l4, a10g, a100, h100."
  }
}

variable "node_count" {
  type        = number
  description = "Number of GPU nodes."

  validation {
    condition     = var.node_count >= 1 && var.node_count <= 64 && floor(var.node_count) == var.node_count
    error_message = "node_count is a whole number from 1 to 64."
  }
}

variable "gpus_per_node" {
  type        = number
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

variable "gpu_product" {
  type        = string
  default     = null
  description = "The value of the nodes' nvidia.com/gpu.product label (set by NVIDIA's GPU feature discovery) that training pods select; null: the usual one for gpu_type (Tesla-T4, NVIDIA-L4, NVIDIA-A10G, NVIDIA-A100-SXM4-80GB, NVIDIA-H100-80GB-HBM3); \"\": no node selector."

  validation {
    condition     = var.gpu_product == null || can(regex("^([A-Za-z0-9][A-Za-z0-9_.-]{0,61}[A-Za-z0-9]?)?$", var.gpu_product))
    error_message = "gpu_product is null, \"\" or a label value: up to 63 letters, digits, _, - and ., starting and ending with a letter or digit."
  }
}

variable "priority" {
  type        = number
  default     = 1000
  description = "Value of the cluster's PriorityClass, which its training pods run at; training never preempts (preemption_policy Never), so serving at a higher priority always goes first."

  validation {
    condition     = var.priority >= 0 && var.priority <= 1000000000 && floor(var.priority) == var.priority
    error_message = "priority is a whole number from 0 to 1000000000 (higher values are reserved for the system)."
  }
}

variable "default_requests" {
  type        = map(string)
  default     = { cpu = "250m", memory = "512Mi" }
  description = "The LimitRange's default requests for a container in the namespace that declares none."

  validation {
    condition     = alltrue([for k, v in var.default_requests : contains(["cpu", "memory", "ephemeral-storage"], k) && can(regex("^[0-9.]+[A-Za-z]*$", v))])
    error_message = "default_requests maps cpu, memory or ephemeral-storage to a quantity such as \"250m\" or \"512Mi\"."
  }
}

variable "default_limits" {
  type        = map(string)
  default     = { cpu = "1", memory = "1Gi" }
  description = "The LimitRange's default limits for a container in the namespace that declares none (no GPU default: every pod would claim GPUs)."

  validation {
    condition     = alltrue([for k, v in var.default_limits : contains(["cpu", "memory", "ephemeral-storage"], k) && can(regex("^[0-9.]+[A-Za-z]*$", v))])
    error_message = "default_limits maps cpu, memory or ephemeral-storage to a quantity such as \"1\" or \"1Gi\"."
  }
}
