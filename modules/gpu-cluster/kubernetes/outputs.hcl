output "name" {
  value       = local.full_name
  description = "The cluster's name: \"<name>-<env.name>\" (the namespace and the PriorityClass)."
}

output "id" {
  value       = "${kubernetes_namespace.cluster.metadata[0].name}/${local.product}/${var.gpus_per_node}"
  description = "What a training pipeline targets: here \"NAMESPACE/GPU_PRODUCT/GPUS_PER_NODE\", the namespace (whose PriorityClass has the same name) and what each training pod selects and requests."
}

output "gpu_type" {
  value       = var.gpu_type
  description = "The GPU model of every node."
}

output "total_gpus" {
  value       = var.node_count * var.gpus_per_node
  description = "GPUs in the whole cluster: the namespace's GPU quota."
}
