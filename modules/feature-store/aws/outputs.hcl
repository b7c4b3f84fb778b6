output "name" {
  value       = local.full_name
  description = "The feature store's name: \"<name>-<env.name>\"."
}

output "id" {
  value       = local.full_name
  description = "What a training pipeline reads from: the feature group's name (also its offline store bucket's name). Known while planning: what reads it needs the name, not the group."
}

output "uri" {
  value       = local.offline_store
  description = "Where feature readers connect: the offline store's S3 URI (the online store is read with the feature group's name)."
}

output "entity_key" {
  value       = var.entity_key
  description = "The feature that identifies a record."
}

output "feature_names" {
  value       = [for f in var.features : f.name]
  description = "The features' names, in order."
}
