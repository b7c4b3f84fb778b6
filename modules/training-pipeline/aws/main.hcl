# training-pipeline on aws: a SageMaker pipeline (extract from the feature store's offline store,
# train, the validation gate as a condition step, then register into the model package group),
# the S3 bucket its model artifacts go to, its one execution role scoped to exactly those
# (the feature store's bucket, the artifacts bucket, the model package group, the training
# image's ECR repository), and, with a schedule, an EventBridge rule that starts it under a role
# that may start only this pipeline.

data "aws_region" "current" {}
data "aws_caller_identity" "current" {}
data "aws_partition" "current" {}

locals {
  full_name = "${var.name}-${env.name}"
  tags      = merge(var.tags, { name = var.name, environment = env.name })
  arn       = "arn:${data.aws_partition.current.partition}"
  where     = "${data.aws_region.current.region}:${data.aws_caller_identity.current.account_id}"

  # A feature-store's id is its feature group's name, which is also its bucket's (see
  # modules/feature-store/aws); its offline store is under offline-store/.
  features_bucket = "${local.arn}:s3:::${var.feature_store}"
  registry_arn    = "${local.arn}:sagemaker:${local.where}:model-package-group/${var.registry}"
  packages_arn    = "${local.arn}:sagemaker:${local.where}:model-package/${var.registry}/*"
  # Pipelines name the jobs they start pipelines-<execution>-<step>-...
  jobs_arn = "${local.arn}:sagemaker:${local.where}:training-job/pipelines-*"
  logs_arn = "${local.arn}:logs:${local.where}:log-group:/aws/sagemaker/TrainingJobs"
  # ACCOUNT.dkr.ecr.REGION.amazonaws.com/REPOSITORY[:TAG|@DIGEST]
  ecr      = regexall("^([0-9]{12})\\.dkr\\.ecr\\.([a-z0-9-]+)\\.amazonaws\\.com(\\.cn)?/([^:@]+)", var.image)
  ecr_repo = [for m in local.ecr : "${local.arn}:ecr:${m[1]}:${m[0]}:repository/${m[3]}"]

  metric = var.gate.metric
  better = var.gate.greater_is_better == false ? "LessThanOrEqualTo" : "GreaterThanOrEqualTo"
  final  = { Get = "Steps.Train.FinalMetricDataList['${local.metric}'].Value" }

  parameters = concat(
    [
      { Name = "TrainingImage", Type = "String", DefaultValue = var.image },
      { Name = "TrainingInstanceType", Type = "String", DefaultValue = var.instance_type },
    ],
    var.gate.threshold == null ? [] : [{ Name = "GateThreshold", Type = "Float", DefaultValue = var.gate.threshold }],
    # SageMaker conditions cannot add: the bar to clear is the champion's metric plus the margin
    # (minus, for a loss), given by whoever starts an execution.
    var.gate.margin == null ? [] : [{ Name = "ChampionBar", Type = "Float" }],
  )
  conditions = concat(
    var.gate.threshold == null ? [] : [{ Type = local.better, LeftValue = local.final, RightValue = { Get = "Parameters.GateThreshold" } }],
    var.gate.margin == null ? [] : [{ Type = local.better, LeftValue = local.final, RightValue = { Get = "Parameters.ChampionBar" } }],
  )

  train = {
    Name = "Train"
    Type = "Training"
    Arguments = {
      AlgorithmSpecification = merge(
        {
          TrainingImage     = { Get = "Parameters.TrainingImage" }
          TrainingInputMode = "File"
          MetricDefinitions = [{ Name = local.metric, Regex = "${local.metric}[=:] *([-+0-9.eE]+)" }]
        },
        length(var.command) == 0 ? {} : { ContainerEntrypoint = var.command },
      )
      InputDataConfig = [{
        ChannelName = "features"
        DataSource = { S3DataSource = {
          S3DataType             = "S3Prefix"
          S3Uri                  = "s3://${var.feature_store}/offline-store"
          S3DataDistributionType = "FullyReplicated"
        } }
      }]
      OutputDataConfig  = { S3OutputPath = "s3://${aws_s3_bucket.artifacts.bucket}/models" }
      ResourceConfig    = { InstanceCount = 1, InstanceType = { Get = "Parameters.TrainingInstanceType" }, VolumeSizeInGB = 50 }
      RoleArn           = aws_iam_role.pipeline.arn
      StoppingCondition = { MaxRuntimeInSeconds = var.max_runtime_seconds }
      Environment       = { CLUSTER = var.cluster, FEATURE_GROUP = var.feature_store, GATE_METRIC = local.metric }
    }
  }
  register = {
    Name = "Register"
    Type = "RegisterModel"
    Arguments = {
      ModelPackageGroupName = var.registry
      ModelApprovalStatus   = "PendingManualApproval"
      InferenceSpecification = {
        Containers                 = [{ Image = { Get = "Parameters.TrainingImage" }, ModelDataUrl = { Get = "Steps.Train.ModelArtifacts.S3ModelArtifacts" } }]
        SupportedContentTypes      = ["text/csv", "application/json"]
        SupportedResponseMIMETypes = ["text/csv", "application/json"]
      }
    }
  }
  gate = {
    Name = "Gate"
    Type = "Condition"
    Arguments = {
      Conditions = local.conditions
      IfSteps    = [local.register]
      ElseSteps  = [{ Name = "GateFailed", Type = "Fail", Arguments = { ErrorMessage = "${local.metric} did not pass the gate: nothing registered" } }]
    }
  }

  # 5-field cron -> EventBridge's cron(MIN HOUR DOM MONTH DOW YEAR): one of DOM and DOW is "?",
  # and its days of the week count from 1 (Sunday) where cron's count from 0.
  cron     = var.schedule == null ? [] : split(" ", var.schedule)
  dow      = length(local.cron) == 5 ? join(",", [for part in split(",", local.cron[4]) : join("-", [for n in split("-", part) : can(tonumber(n)) ? tostring(tonumber(n) % 7 + 1) : n])]) : ""
  schedule = length(local.cron) == 5 ? (local.cron[4] == "*" ? "cron(${local.cron[0]} ${local.cron[1]} ${local.cron[2]} ${local.cron[3]} ? *)" : "cron(${local.cron[0]} ${local.cron[1]} ? ${local.cron[3]} ${local.dow} *)") : null
}

resource "aws_s3_bucket" "artifacts" {
  bucket        = local.full_name
  force_destroy = var.force_destroy
  tags          = local.tags
}

resource "aws_iam_role" "pipeline" {
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

resource "aws_iam_role_policy" "pipeline" {
  name = "pipeline"
  role = aws_iam_role.pipeline.name
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = concat(
      [
        { Sid = "ReadFeatures", Effect = "Allow", Action = ["s3:GetObject"], Resource = ["${local.features_bucket}/offline-store/*"] },
        { Sid = "ListFeatures", Effect = "Allow", Action = ["s3:ListBucket"], Resource = [local.features_bucket] },
        { Sid = "Artifacts", Effect = "Allow", Action = ["s3:GetObject", "s3:PutObject"], Resource = ["${aws_s3_bucket.artifacts.arn}/models/*"] },
        { Sid = "ListArtifacts", Effect = "Allow", Action = ["s3:ListBucket"], Resource = [aws_s3_bucket.artifacts.arn] },
        {
          Sid      = "Register"
          Effect   = "Allow"
          Action   = ["sagemaker:CreateModelPackage", "sagemaker:DescribeModelPackageGroup", "sagemaker:ListModelPackages", "sagemaker:DescribeModelPackage"]
          Resource = [local.registry_arn, local.packages_arn]
        },
        {
          Sid      = "Train"
          Effect   = "Allow"
          Action   = ["sagemaker:CreateTrainingJob", "sagemaker:DescribeTrainingJob", "sagemaker:StopTrainingJob", "sagemaker:AddTags"]
          Resource = [local.jobs_arn]
        },
        { Sid = "PassOwnRole", Effect = "Allow", Action = ["iam:PassRole"], Resource = [aws_iam_role.pipeline.arn] },
        { Sid = "Logs", Effect = "Allow", Action = ["logs:CreateLogGroup", "logs:CreateLogStream", "logs:PutLogEvents"], Resource = [local.logs_arn, "${local.logs_arn}:log-stream:*"] },
      ],
      length(local.ecr_repo) == 0 ? [] : [{
        Sid      = "PullTrainingImage"
        Effect   = "Allow"
        Action   = ["ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer", "ecr:BatchCheckLayerAvailability"]
        Resource = local.ecr_repo
      }],
    )
  })
}

resource "aws_sagemaker_pipeline" "pipeline" {
  pipeline_name         = local.full_name
  pipeline_display_name = local.full_name
  pipeline_description  = "Train ${var.registry} on ${var.feature_store}; register only if ${local.metric} passes the gate${var.gate.margin == null ? "" : " (margin ${var.gate.margin} over the champion: pass ChampionBar)"}"
  role_arn              = aws_iam_role.pipeline.arn
  tags                  = local.tags
  pipeline_definition = jsonencode({
    Version    = "2020-12-01"
    Parameters = local.parameters
    Steps      = [local.train, local.gate]
  })
  depends_on = [aws_iam_role_policy.pipeline]
}

# --- with a schedule: EventBridge starts the pipeline ----------------------------------------

resource "aws_iam_role" "schedule" {
  count = var.schedule == null ? 0 : 1
  name  = "${local.full_name}-schedule"
  tags  = local.tags
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Principal = { Service = "events.amazonaws.com" }
      Action    = "sts:AssumeRole"
    }]
  })
}

resource "aws_iam_role_policy" "schedule" {
  count = var.schedule == null ? 0 : 1
  name  = "start-pipeline"
  role  = aws_iam_role.schedule[0].name
  policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Action = ["sagemaker:StartPipelineExecution"], Resource = [aws_sagemaker_pipeline.pipeline.arn] }]
  })
}

resource "aws_cloudwatch_event_rule" "schedule" {
  count               = var.schedule == null ? 0 : 1
  name                = local.full_name
  description         = "Starts ${local.full_name} on ${var.schedule}"
  schedule_expression = local.schedule
  tags                = local.tags

  lifecycle {
    precondition {
      condition     = length(local.cron) != 5 || local.cron[2] == "*" || local.cron[4] == "*"
      error_message = "schedule ${jsonencode(var.schedule)} sets both a day of the month and a day of the week, which EventBridge cannot express: leave one of them *."
    }
  }
}

resource "aws_cloudwatch_event_target" "schedule" {
  count      = var.schedule == null ? 0 : 1
  rule       = aws_cloudwatch_event_rule.schedule[0].name
  target_id  = "pipeline"
  arn        = aws_sagemaker_pipeline.pipeline.arn
  role_arn   = aws_iam_role.schedule[0].arn
  depends_on = [aws_iam_role_policy.schedule]
}
