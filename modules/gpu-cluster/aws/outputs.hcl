output "name" {
  value       = local.full_name
  description = "The cluster's name: \"<name>-<env.name>\"."
}

output "id" {
  value       = local.hyperpod ? one(aws_sagemaker_cluster.hyperpod[*].arn) : (var.placement_strategy != null ? one(aws_placement_group.nodes[*].name) : one(aws_launch_template.nodes[*].name))
  description = "What a training pipeline targets: the placement group's name (the launch template's name with placement_strategy = null), or the HyperPod cluster's ARN with mode = \"hyperpod\"."
}

output "gpu_type" {
  value       = var.gpu_type
  description = "The GPU model of every node."
}

output "total_gpus" {
  value       = var.node_count * var.gpus_per_node
  description = "GPUs in the whole cluster."
}
