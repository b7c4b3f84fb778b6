# gpu-cluster on Kubernetes: a namespace that is the team's share of a GPU cluster. A
# ResourceQuota caps the GPUs its pods may request at node_count * gpus_per_node, a PriorityClass
# (cluster-wide, named like the namespace) puts its training below serving and never preempts,
# and a LimitRange gives containers that declare no size a modest one. The nodes themselves are
# the cluster's (a GPU node pool); training pods select them by nvidia.com/gpu.product.
#
# The `id` packs what a training-pipeline needs besides the namespace:
# "NAMESPACE/GPU_PRODUCT/GPUS_PER_NODE" (GPU_PRODUCT empty for no node selector).

locals {
  full_name = "${var.name}-${env.name}"
  labels    = merge(var.tags, { name = var.name, environment = env.name })
  products = {
    t4   = "Tesla-T4"
    l4   = "NVIDIA-L4"
    a10g = "NVIDIA-A10G"
    a100 = "NVIDIA-A100-SXM4-80GB"
    h100 = "NVIDIA-H100-80GB-HBM3"
  }
  product = var.gpu_product == null ? local.products[var.gpu_type] : var.gpu_product
}

resource "kubernetes_namespace" "cluster" {
  metadata {
    name   = local.full_name
    labels = merge(local.labels, { "plinth.dev/gpu-type" = var.gpu_type })
  }
}

resource "kubernetes_resource_quota" "gpus" {
  metadata {
    name      = "${local.full_name}-gpus"
    namespace = kubernetes_namespace.cluster.metadata[0].name
    labels    = local.labels
  }
  spec {
    hard = {
      "requests.nvidia.com/gpu" = tostring(var.node_count * var.gpus_per_node)
    }
  }
}

resource "kubernetes_priority_class" "training" {
  metadata {
    name   = local.full_name
    labels = local.labels
  }
  value             = var.priority
  description       = "Training on ${local.full_name}: waits for serving, never preempts."
  preemption_policy = "Never"
}

# No `max` for GPUs: a LimitRange's max is also the default limit of a container that sets none,
# so every pod would claim the whole quota.
resource "kubernetes_limit_range" "defaults" {
  metadata {
    name      = "${local.full_name}-defaults"
    namespace = kubernetes_namespace.cluster.metadata[0].name
    labels    = local.labels
  }
  spec {
    limit {
      type            = "Container"
      default_request = var.default_requests
      default         = var.default_limits
    }
  }
}
