output "name" {
  value       = local.full_name
  description = "The endpoint's name: \"<name>-<env.name>\"."
}

output "id" {
  value       = local_file.endpoint.path
  description = "The endpoint's platform id: here the path of the serving spec."
}

output "url" {
  value       = "http://127.0.0.1:${var.port}/invocations"
  description = "Where clients send requests."
}

output "capture_uri" {
  value       = local.capture
  description = "Where captured request inputs land (what a drift-monitor reads as its current sample): here a CSV file."
}
