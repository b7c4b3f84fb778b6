output "name" {
  value       = local.full_name
  description = "The endpoint's name: \"<name>-<env.name>\"."
}

output "id" {
  value       = local.deploy ? kubernetes_deployment.serving[0].metadata[0].name : kubernetes_manifest.inference_service[0].manifest.metadata.name
  description = "The endpoint's platform id: here the Deployment's name, or the InferenceService's with engine = \"kserve\"."
}

output "url" {
  value       = local.deploy ? "http://${local.host}/invocations" : "http://${local.host}"
  description = "Where clients in the cluster send requests: the Service (or the InferenceService's address)."
}

output "capture_uri" {
  value       = "pvc://${kubernetes_persistent_volume_claim.capture.metadata[0].name}/capture.csv"
  description = "Where captured request inputs land (what a drift-monitor reads as its current sample): here \"pvc://CLAIM/capture.csv\", a file on the capture claim in the endpoint's namespace."
}
