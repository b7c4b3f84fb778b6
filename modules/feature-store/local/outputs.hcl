output "name" {
  value       = local.full_name
  description = "The feature store's name: \"<name>-<env.name>\"."
}

output "id" {
  value       = local_feature_table.features.id
  description = "What a training pipeline reads from: here DATABASE#TABLE of the feature table."
}

output "uri" {
  value       = local.database
  description = "Where feature readers connect: here the SQLite database file."
}

output "entity_key" {
  value       = var.entity_key
  description = "The feature that identifies a record."
}

output "feature_names" {
  value       = [for f in var.features : f.name]
  description = "The features' names, in order."
}
