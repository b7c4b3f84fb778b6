output "name" {
  value       = local.full_name
  description = "The monitor's name: \"<name>-<env.name>\"."
}

output "id" {
  value       = local_file.monitor.path
  description = "The monitor's platform id: here the path of the monitor spec."
}

output "thresholds" {
  value       = { psi = var.psi_threshold, ks_p_value = var.ks_p_value }
  description = "The thresholds a feature is held to: PSI at most psi, p-value at least ks_p_value."
}

output "figures" {
  value       = local.figures
  description = "Per feature, the latest figures { psi, ks_statistic, ks_p_value } where the platform measures while planning (local: on every plan and drift); {} where the platform measures in its own scheduled job, or before there is a current sample."
}

output "drifted_features" {
  value       = local.drifted
  description = "The features over a threshold, each { psi, ks_p_value }; {} when none (always {} where figures is)."
}

output "drift_message" {
  value       = local.message
  description = "\"data drift: FEATURE (psi X), ...\" naming every drifted feature, or \"\" when none: the error_message of the module's data_drift check."
}
