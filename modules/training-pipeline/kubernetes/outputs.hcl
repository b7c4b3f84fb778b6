output "name" {
  value       = local.full_name
  description = "The pipeline's name: \"<name>-<env.name>\" (the CronJob, its service account and the gate's ConfigMap)."
}

output "id" {
  value       = "${kubernetes_cron_job.training.metadata[0].namespace}/${kubernetes_cron_job.training.metadata[0].name}"
  description = "What a drift-monitor triggers: here \"NAMESPACE/CRONJOB\", the training CronJob."
}

output "gate" {
  value       = var.gate
  description = "The validation gate: metric, threshold, margin, greater_is_better."
}
