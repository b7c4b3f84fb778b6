output "name" {
  value       = local.full_name
  description = "The pipeline's name: \"<name>-<env.name>\"."
}

output "id" {
  value       = local_file.pipeline.path
  description = "What a drift-monitor triggers: here the path of the pipeline spec."
}

output "gate" {
  value       = var.gate
  description = "The validation gate: metric, threshold, margin, greater_is_better."
}
