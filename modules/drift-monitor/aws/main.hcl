# drift-monitor on aws: a SageMaker data-quality job definition on the endpoint's captured
# traffic, a monitoring schedule that runs it hourly or daily, an S3 bucket for its reports, and
# an EventBridge rule that starts the training pipeline when a monitoring run finds violations.
# The job runs as one IAM role that may read only the baseline and the captured data and write
# only its reports; the trigger runs as another that may start only that pipeline.
#
# SageMaker's analyzer measures drift against the baseline's constraints and statistics: the job
# definition's data_quality_baseline_config points at constraints.json and statistics.json under
# the baseline prefix. The thresholds, the features and the pipeline reach the analyzer's
# container as its environment (PSI_THRESHOLD, KS_P_VALUE, FEATURES, PIPELINE: the names the
# kubernetes CronJob uses), where a post-analytics script or a custom analyzer image reads them
# (see README.md). Schedules are SageMaker's: hourly or daily.

data "aws_region" "current" {}
data "aws_caller_identity" "current" {}
data "aws_partition" "current" {}

data "aws_sagemaker_prebuilt_ecr_image" "analyzer" {
  repository_name = "sagemaker-model-monitor-analyzer"
  image_tag       = "latest"
}

locals {
  full_name = "${var.name}-${env.name}"
  arn       = "arn:${data.aws_partition.current.partition}"
  where     = "${data.aws_region.current.region}:${data.aws_caller_identity.current.account_id}"
  tags      = merge(var.tags, { name = var.name, environment = env.name })

  # The analyzer container's environment (see the comment above); FEATURES is a JSON list, or
  # null for every column.
  analyzer_env = {
    PSI_THRESHOLD = tostring(var.psi_threshold)
    KS_P_VALUE    = tostring(var.ks_p_value)
    FEATURES      = jsonencode(var.features)
    PIPELINE      = var.pipeline
  }

  # s3://BUCKET/PREFIX of the baseline and of the captured data.
  baseline        = regex("^s3://([^/]+)/?(.*)$", var.baseline)
  baseline_prefix = trimsuffix(var.baseline, "/")
  current         = regex("^s3://([^/]+)/?(.*)$", var.current)

  # 5-field cron -> SageMaker's: hourly, daily at an hour, or every N hours, at minute 0.
  cron   = split(" ", var.schedule)
  hourly = local.cron[1] == "*"
  every  = can(regex("^\\*/[0-9]+$", local.cron[1]))
  daily  = can(regex("^[0-9]+$", local.cron[1]))
  expression = (local.hourly ? "cron(0 * ? * * *)" :
    local.every ? "cron(0 0/${trimprefix(local.cron[1], "*/")} ? * * *)" :
    local.daily ? "cron(0 ${local.cron[1]} ? * * *)" : "")
  schedulable = local.expression != "" && local.cron[2] == "*" && local.cron[3] == "*" && local.cron[4] == "*"
  pipeline    = "${local.arn}:sagemaker:${local.where}:pipeline/${lower(var.pipeline)}"
}

resource "aws_s3_bucket" "reports" {
  bucket        = local.full_name
  force_destroy = var.force_destroy
  tags          = local.tags
}

resource "aws_iam_role" "monitor" {
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

resource "aws_iam_role_policy" "monitor" {
  name = "monitor"
  role = aws_iam_role.monitor.name
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      { Sid = "Baseline", Effect = "Allow", Action = ["s3:GetObject"], Resource = ["${local.arn}:s3:::${local.baseline[0]}/${local.baseline[1]}*"] },
      { Sid = "Captured", Effect = "Allow", Action = ["s3:GetObject"], Resource = ["${local.arn}:s3:::${local.current[0]}/${local.current[1]}*"] },
      { Sid = "List", Effect = "Allow", Action = ["s3:ListBucket"], Resource = distinct(["${local.arn}:s3:::${local.baseline[0]}", "${local.arn}:s3:::${local.current[0]}", aws_s3_bucket.reports.arn]) },
      { Sid = "Reports", Effect = "Allow", Action = ["s3:PutObject", "s3:GetObject"], Resource = ["${aws_s3_bucket.reports.arn}/reports/*"] },
      {
        Sid      = "Logs"
        Effect   = "Allow"
        Action   = ["logs:CreateLogGroup", "logs:CreateLogStream", "logs:PutLogEvents"]
        Resource = ["${local.arn}:logs:${local.where}:log-group:/aws/sagemaker/ProcessingJobs", "${local.arn}:logs:${local.where}:log-group:/aws/sagemaker/ProcessingJobs:log-stream:*"]
      },
    ]
  })
}

resource "aws_sagemaker_data_quality_job_definition" "monitor" {
  name     = local.full_name
  role_arn = aws_iam_role.monitor.arn
  tags     = local.tags

  data_quality_app_specification {
    image_uri   = data.aws_sagemaker_prebuilt_ecr_image.analyzer.registry_path
    environment = local.analyzer_env
  }

  data_quality_baseline_config {
    constraints_resource {
      s3_uri = "${local.baseline_prefix}/constraints.json"
    }
    statistics_resource {
      s3_uri = "${local.baseline_prefix}/statistics.json"
    }
  }

  data_quality_job_input {
    endpoint_input {
      endpoint_name = var.endpoint
    }
  }

  data_quality_job_output_config {
    monitoring_outputs {
      s3_output {
        s3_uri = "s3://${aws_s3_bucket.reports.bucket}/reports"
      }
    }
  }

  job_resources {
    cluster_config {
      instance_count    = 1
      instance_type     = var.instance_type
      volume_size_in_gb = 20
    }
  }

  depends_on = [aws_iam_role_policy.monitor]
}

resource "aws_sagemaker_monitoring_schedule" "monitor" {
  name = local.full_name
  tags = local.tags

  monitoring_schedule_config {
    monitoring_job_definition_name = aws_sagemaker_data_quality_job_definition.monitor.name
    monitoring_type                = "DataQuality"

    schedule_config {
      schedule_expression = local.expression
    }
  }

  lifecycle {
    precondition {
      condition     = local.schedulable
      error_message = "schedule ${jsonencode(var.schedule)}: SageMaker monitoring schedules run hourly (\"0 * * * *\"), every N hours (\"0 */6 * * *\") or daily (\"0 3 * * *\"), at minute 0."
    }
  }
}

# --- on violations, start the training pipeline ----------------------------------------------

resource "aws_iam_role" "trigger" {
  name = "${local.full_name}-trigger"
  tags = local.tags
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Principal = { Service = "events.amazonaws.com" }
      Action    = "sts:AssumeRole"
    }]
  })
}

resource "aws_iam_role_policy" "trigger" {
  name = "start-pipeline"
  role = aws_iam_role.trigger.name
  policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Action = ["sagemaker:StartPipelineExecution"], Resource = [local.pipeline] }]
  })
}

# A monitoring run is a processing job; one that finds violations ends with an exit message
# starting "CompletedWithViolations".
resource "aws_cloudwatch_event_rule" "drift" {
  name        = local.full_name
  description = "Drift found by ${local.full_name}: start ${var.pipeline}"
  tags        = local.tags
  event_pattern = jsonencode({
    source        = ["aws.sagemaker"]
    "detail-type" = ["SageMaker Processing Job State Change"]
    detail = {
      MonitoringScheduleArn = [aws_sagemaker_monitoring_schedule.monitor.arn]
      ExitMessage           = [{ prefix = "CompletedWithViolations" }]
    }
  })
}

resource "aws_cloudwatch_event_target" "drift" {
  rule       = aws_cloudwatch_event_rule.drift.name
  target_id  = "retrain"
  arn        = local.pipeline
  role_arn   = aws_iam_role.trigger.arn
  depends_on = [aws_iam_role_policy.trigger]
}
