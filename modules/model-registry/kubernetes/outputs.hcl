output "name" {
  value       = local.full_name
  description = "The registry's name: \"<name>-<env.name>\" (the registered model and every object)."
}

output "id" {
  value       = "${local.tracking}#${local.full_name}"
  description = "What pipelines register into and endpoints serve from: here \"TRACKING_URI#MODEL\", the MLflow tracking URI and the registered model's name."
  # With register_model, whatever uses the id waits for the registered model too.
  depends_on = [kubernetes_deployment.server, kubernetes_service.server, mlflow_registered_model.model]
}

output "uri" {
  value       = local.tracking
  description = "Where other tools read the registry: here the MLflow tracking URI (in the cluster)."
  depends_on  = [kubernetes_deployment.server, kubernetes_service.server]
}
