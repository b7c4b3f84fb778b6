output "name" {
  value       = local.full_name
  description = "The endpoint's name: \"<name>-<env.name>\"."
}

output "id" {
  value       = aws_sagemaker_endpoint.endpoint.arn
  description = "The endpoint's platform id: the SageMaker endpoint's ARN."
}

output "url" {
  value       = "https://runtime.sagemaker.${data.aws_region.current.region}.amazonaws.com/endpoints/${aws_sagemaker_endpoint.endpoint.name}/invocations"
  description = "Where clients send requests (SageMaker Runtime's InvokeEndpoint, signed with SigV4)."
}

output "capture_uri" {
  value       = "${local.capture_root}/${local.full_name}"
  description = "Where captured request inputs land (what a drift-monitor reads as its current sample): the data-capture S3 prefix of the endpoint (SageMaker adds /VARIANT/YYYY/MM/DD/HH/)."
}
