output "name" {
  value       = local.full_name
  description = "The registry's name: \"<name>-<env.name>\"."
}

output "id" {
  value       = aws_sagemaker_model_package_group.registry.model_package_group_name
  description = "What pipelines register into and endpoints serve from: the model package group's name."
}

output "uri" {
  value       = aws_sagemaker_model_package_group.registry.arn
  description = "Where other tools read the registry: the model package group's ARN."
}
