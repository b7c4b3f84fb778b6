output "name" {
  value       = local.full_name
  description = "The feature store's name: \"<name>-<env.name>\" (the Deployment, Service, ConfigMap and service account)."
}

output "id" {
  value       = "${local.url}#${local.project}"
  description = "What a training pipeline reads from: here \"URL#PROJECT\", the feature server's in-cluster URL and the Feast project (the name with _ for -)."
  depends_on  = [kubernetes_deployment.server, kubernetes_service.server]
}

output "uri" {
  value       = local.url
  description = "Where feature readers connect: here the feature server's in-cluster URL."
  depends_on  = [kubernetes_service.server]
}

output "entity_key" {
  value       = var.entity_key
  description = "The feature that identifies a record (Feast's entity join key)."
}

output "feature_names" {
  value       = [for f in var.features : f.name]
  description = "The features' names, in order."
}
