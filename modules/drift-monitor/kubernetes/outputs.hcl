output "name" {
  value       = local.full_name
  description = "The monitor's name: \"<name>-<env.name>\" (the CronJob, its service account, Role and RoleBinding)."
}

output "id" {
  value       = kubernetes_cron_job.monitor.metadata[0].name
  description = "The monitor's platform id: here the CronJob's name."
}

output "thresholds" {
  value       = { psi = var.psi_threshold, ks_p_value = var.ks_p_value }
  description = "The thresholds a feature is held to: PSI at most psi, p-value at least ks_p_value."
}

output "figures" {
  value       = {}
  description = "Per feature { psi, ks_statistic, ks_p_value } where the platform measures while planning; always {} here: the CronJob measures, and prints the figures in its log."
}

output "drifted_features" {
  value       = {}
  description = "The features over a threshold; always {} here (the CronJob acts on drift itself, by starting the training pipeline)."
}

output "drift_message" {
  value       = ""
  description = "\"data drift: ...\" where the platform measures while planning; always \"\" here (the CronJob's log says it)."
}
