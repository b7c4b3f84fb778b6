output "name" {
  value       = var.name
  description = "The team or product the platform is for."
}

output "cluster" {
  value       = module.cluster
  description = "The gpu-cluster's outputs: name, id, gpu_type, total_gpus."
}

output "feature_store" {
  value       = module.features
  description = "The feature-store's outputs: name, id, uri, entity_key, feature_names."
}

output "registry" {
  value       = module.registry
  description = "The model-registry's outputs: name, id, uri."
}

output "pipeline" {
  value       = module.pipeline
  description = "The training-pipeline's outputs: name, id, gate."
}

output "endpoint" {
  value       = module.endpoint
  description = "The serving-endpoint's outputs: name, id, url, capture_uri."
}

output "monitor" {
  value       = module.monitor
  description = "The drift-monitor's outputs: name, id, thresholds, figures, drifted_features, drift_message."
}

output "drifted_features" {
  value       = module.monitor.drifted_features
  description = "The features over a drift threshold, each { psi, ks_p_value }; {} when none."
}

output "drift_message" {
  value       = module.monitor.drift_message
  description = "\"data drift: FEATURE (psi X), ...\" or \"\": the error_message of the drift monitor's data_drift check."
}
