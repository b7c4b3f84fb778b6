output "name" {
  value       = local.full_name
  description = "The monitor's name: \"<name>-<env.name>\"."
}

output "id" {
  value       = aws_sagemaker_monitoring_schedule.monitor.name
  description = "The monitor's platform id: the SageMaker monitoring schedule's name."
}

output "thresholds" {
  value       = { psi = var.psi_threshold, ks_p_value = var.ks_p_value }
  description = "The thresholds a feature is held to: PSI at most psi, p-value at least ks_p_value."
}

output "figures" {
  value       = {}
  description = "Always {} on aws: SageMaker measures in its own scheduled monitoring job (its reports are under the reports bucket), not while planning."
}

output "drifted_features" {
  value       = {}
  description = "Always {} on aws (see figures): drift found by a monitoring run starts the training pipeline through EventBridge instead."
}

output "drift_message" {
  value       = ""
  description = "Always \"\" on aws (see figures)."
}
