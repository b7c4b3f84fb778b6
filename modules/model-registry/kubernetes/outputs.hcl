output "name" {
  value       = local.full_name
  description = "The registry's name: \"<name>-<env.name>\" (the registered model and every object)."
}

output "id" {
  value       = "${local.tracking}#${local.full_name}"
  description = "What pipelines register into and endpoints serve from: here \"TRACKING_URI#MODEL\", the MLflow tracking URI and the registered model's name."
  depends_on  = [kubernetes_deployment.server, kubernetes_service.server]
}

output "uri" {
  value       = local.tracking
  description = "Where other tools read the registry: here the MLflow tracking URI (in the cluster)."
  depends_on  = [kubernetes_deployment.server, kubernetes_service.server]
}
