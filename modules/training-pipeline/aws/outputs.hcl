output "name" {
  value       = local.full_name
  description = "The pipeline's name: \"<name>-<env.name>\"."
}

output "id" {
  value       = aws_sagemaker_pipeline.pipeline.pipeline_name
  description = "What a drift-monitor triggers: the SageMaker pipeline's name."
}

output "gate" {
  value       = var.gate
  description = "The validation gate: metric, threshold, margin, greater_is_better."
}
