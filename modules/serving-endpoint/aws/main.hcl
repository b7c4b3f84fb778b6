# serving-endpoint on aws: a SageMaker model (the registry's model package version, or the
# serving image with its artifacts), an endpoint configuration with data capture on (request
# inputs and outputs to an S3 bucket of its own, what the drift monitor reads) and the endpoint.
# The model runs as one IAM role that may read only its artifacts and image and write only the
# capture prefix.
#
# The model and the configuration are named "<name>-<env.name>-<hash of what they hold>" and
# made before the old ones go, so that a new image or version reaches the endpoint (SageMaker
# endpoint configurations refer to models by name).
#
# Autoscaling, when max_instance_count is above instance_count: the variant's instance count is
# an Application Auto Scaling target between the two, with a target tracking policy on requests
# per instance (the kubernetes HPA's counterpart, which tracks CPU). Neither carries tags: a
# policy cannot be tagged, and the target's tags would cost a ListTagsForResource per refresh.
# Application Auto Scaling acts through its service-linked role, so the module grants nothing.

data "aws_region" "current" {}
data "aws_caller_identity" "current" {}
data "aws_partition" "current" {}

locals {
  full_name = "${var.name}-${env.name}"
  tags      = merge(var.tags, { name = var.name, environment = env.name })
  arn       = "arn:${data.aws_partition.current.partition}"
  where     = "${data.aws_region.current.region}:${data.aws_caller_identity.current.account_id}"

  package   = var.model_package_version == null ? null : "${local.arn}:sagemaker:${local.where}:model-package/${var.registry}/${var.model_package_version}"
  artifacts = var.model_data_url == null ? [] : ["${local.arn}:s3:::${trimprefix(var.model_data_url, "s3://")}"]
  ecr       = regexall("^([0-9]{12})\\.dkr\\.ecr\\.([a-z0-9-]+)\\.amazonaws\\.com(\\.cn)?/([^:@]+)", var.image)
  ecr_repo  = [for m in local.ecr : "${local.arn}:ecr:${m[1]}:${m[0]}:repository/${m[3]}"]

  container = {
    image              = local.package == null ? var.image : null
    model_data_url     = local.package == null ? var.model_data_url : null
    model_package_name = local.package
    environment        = { MODEL_REGISTRY = var.registry, MODEL_ALIAS = var.model_alias }
  }
  model_name   = "${local.full_name}-${substr(sha256(jsonencode([local.container, aws_iam_role.model.arn])), 0, 8)}"
  capture_root = "s3://${aws_s3_bucket.capture.bucket}/capture"
  sampling     = floor(var.capture_percent)
  config_name  = "${local.full_name}-${substr(sha256(jsonencode([local.model_name, var.instance_count, var.instance_type, local.sampling])), 0, 8)}"
  variant      = "primary"
  autoscale    = var.max_instance_count > var.instance_count
}

resource "aws_s3_bucket" "capture" {
  bucket        = local.full_name
  force_destroy = var.force_destroy
  tags          = local.tags
}

resource "aws_iam_role" "model" {
  name = local.full_name
  tags = local.tags
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Principal = { Service = "sagemaker.amazonaws.com" }
      Action    = "sts:AssumeRole"
    }]
  })
}

resource "aws_iam_role_policy" "model" {
  name = "serving"
  role = aws_iam_role.model.name
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = concat(
      [
        { Sid = "Capture", Effect = "Allow", Action = ["s3:PutObject"], Resource = ["${aws_s3_bucket.capture.arn}/capture/*"] },
        {
          Sid      = "Logs"
          Effect   = "Allow"
          Action   = ["logs:CreateLogGroup", "logs:CreateLogStream", "logs:PutLogEvents"]
          Resource = ["${local.arn}:logs:${local.where}:log-group:/aws/sagemaker/Endpoints/${local.full_name}", "${local.arn}:logs:${local.where}:log-group:/aws/sagemaker/Endpoints/${local.full_name}:log-stream:*"]
        },
      ],
      length(local.artifacts) == 0 ? [] : [{ Sid = "Artifacts", Effect = "Allow", Action = ["s3:GetObject"], Resource = local.artifacts }],
      local.package == null ? [] : [{ Sid = "ModelPackage", Effect = "Allow", Action = ["sagemaker:DescribeModelPackage"], Resource = [local.package] }],
      length(local.ecr_repo) == 0 ? [] : [{
        Sid      = "PullImage"
        Effect   = "Allow"
        Action   = ["ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer", "ecr:BatchCheckLayerAvailability"]
        Resource = local.ecr_repo
      }],
    )
  })
}

resource "aws_sagemaker_model" "model" {
  name               = local.model_name
  execution_role_arn = aws_iam_role.model.arn
  tags               = local.tags

  primary_container {
    image              = local.container.image
    model_data_url     = local.container.model_data_url
    model_package_name = local.container.model_package_name
    environment        = local.container.environment
  }

  depends_on = [aws_iam_role_policy.model]

  lifecycle {
    create_before_destroy = true
  }
}

resource "aws_sagemaker_endpoint_configuration" "config" {
  name = local.config_name
  tags = local.tags

  production_variants {
    variant_name           = local.variant
    model_name             = aws_sagemaker_model.model.name
    initial_instance_count = var.instance_count
    instance_type          = var.instance_type
  }

  data_capture_config {
    enable_capture              = true
    initial_sampling_percentage = local.sampling
    destination_s3_uri          = local.capture_root

    capture_options {
      capture_mode = "Input"
    }
    capture_options {
      capture_mode = "Output"
    }

    capture_content_type_header {
      csv_content_types  = ["text/csv"]
      json_content_types = ["application/json"]
    }
  }

  lifecycle {
    create_before_destroy = true
    precondition {
      condition     = var.max_instance_count >= var.instance_count
      error_message = "max_instance_count (${var.max_instance_count}) is less than instance_count (${var.instance_count})."
    }
  }
}

resource "aws_sagemaker_endpoint" "endpoint" {
  name                 = local.full_name
  endpoint_config_name = aws_sagemaker_endpoint_configuration.config.name
  tags                 = local.tags
}

resource "aws_appautoscaling_target" "variant" {
  count              = local.autoscale ? 1 : 0
  service_namespace  = "sagemaker"
  resource_id        = "endpoint/${aws_sagemaker_endpoint.endpoint.name}/variant/${local.variant}"
  scalable_dimension = "sagemaker:variant:DesiredInstanceCount"
  min_capacity       = var.instance_count
  max_capacity       = var.max_instance_count
}

resource "aws_appautoscaling_policy" "invocations" {
  count              = local.autoscale ? 1 : 0
  name               = "${local.full_name}-invocations"
  policy_type        = "TargetTrackingScaling"
  service_namespace  = aws_appautoscaling_target.variant[0].service_namespace
  resource_id        = aws_appautoscaling_target.variant[0].resource_id
  scalable_dimension = aws_appautoscaling_target.variant[0].scalable_dimension

  target_tracking_scaling_policy_configuration {
    target_value = var.invocations_per_instance

    predefined_metric_specification {
      predefined_metric_type = "SageMakerVariantInvocationsPerInstance"
    }
  }
}
