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
