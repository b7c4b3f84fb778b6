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

# AWS only.

variable "mode" {
  type        = string
  default     = "instances"
  description = "How the cluster is made: \"instances\" (EC2 GPU instances from a launch template, in a placement group, with a security group) or \"hyperpod\" (a SageMaker HyperPod cluster of node_count nodes)."

  validation {
    condition     = contains(["instances", "hyperpod"], var.mode)
    error_message = "mode is \"instances\" or \"hyperpod\"."
  }
}

variable "instance_type" {
  type        = string
  default     = null
  description = "The EC2 instance type of every node (without the ml. prefix, which hyperpod adds); null: the type with gpus_per_node GPUs of gpu_type (t4: g4dn, l4: g6, a10g: g5, a100: p4d, h100: p5)."

  validation {
    condition     = var.instance_type == null || can(regex("^[a-z0-9-]+\\.[a-z0-9-]+$", var.instance_type))
    error_message = "instance_type is an EC2 instance type such as g6.xlarge (no ml. prefix), or null."
  }
}

variable "subnet_id" {
  type        = string
  default     = null
  description = "The subnet the nodes run in (mode = \"instances\"); null: the module makes a VPC (10.42.0.0/16) with one subnet (10.42.0.0/20) for the cluster."

  validation {
    condition     = var.subnet_id == null || can(regex("^subnet-[0-9a-f]+$", var.subnet_id))
    error_message = "subnet_id is a subnet id (subnet-...), or null."
  }
}

variable "ami_id" {
  type        = string
  default     = null
  description = "The AMI of the nodes (mode = \"instances\"); null: the newest Amazon Deep Learning AMI with NVIDIA drivers and PyTorch of the region."

  validation {
    condition     = var.ami_id == null || can(regex("^ami-[0-9a-f]+$", var.ami_id))
    error_message = "ami_id is an AMI id (ami-...), or null."
  }
}

variable "placement_strategy" {
  type        = string
  default     = "cluster"
  description = "The placement group's strategy (mode = \"instances\"): cluster (low-latency networking between GPU nodes, the default), spread or partition; null: no placement group (the id output is then the launch template's name)."

  validation {
    condition     = var.placement_strategy == null || contains(["cluster", "spread", "partition"], coalesce(var.placement_strategy, "cluster"))
    error_message = "placement_strategy is cluster, spread, partition or null."
  }
}

variable "lifecycle_scripts_uri" {
  type        = string
  default     = null
  description = "mode = \"hyperpod\" only, and required there: the S3 prefix (s3://BUCKET/PREFIX/) holding the HyperPod lifecycle scripts; the nodes' role may read only this prefix."

  validation {
    condition     = var.lifecycle_scripts_uri == null || can(regex("^s3://[a-z0-9][a-z0-9.-]{1,61}[a-z0-9](/.*)?$", var.lifecycle_scripts_uri))
    error_message = "lifecycle_scripts_uri is an S3 URI (s3://BUCKET/PREFIX/), or null."
  }
}

variable "on_create" {
  type        = string
  default     = "on_create.sh"
  description = "mode = \"hyperpod\" only: the script under lifecycle_scripts_uri run when a node is created."

  validation {
    condition     = length(var.on_create) > 0
    error_message = "on_create is a file name, not empty."
  }
}
