output "name" {
  value       = local.full_name
  description = "The cluster's name: \"<name>-<env.name>\"."
}

output "id" {
  value       = local_file.cluster.path
  description = "What a training pipeline targets: here the path of the cluster spec."
}

output "gpu_type" {
  value       = var.gpu_type
  description = "The GPU model of every node."
}

output "total_gpus" {
  value       = var.node_count * var.gpus_per_node
  description = "GPUs in the whole cluster."
}
