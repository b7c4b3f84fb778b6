output "name" {
  value       = local.full_name
  description = "The registry's name: \"<name>-<env.name>\"."
}

output "id" {
  value       = local_model_registry.registry.id
  description = "What pipelines register into and endpoints serve from: here the registry's directory."
}

output "uri" {
  value       = "${local_model_registry.registry.path}/index.json"
  description = "Where other tools read the registry: here its index.json."
}
