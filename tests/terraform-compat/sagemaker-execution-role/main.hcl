# The IAM half of a SageMaker platform, as ML teams write it: an execution role whose trust
# policy comes from an aws_iam_policy_document, customer managed policies built from documents
# with ARNs made of the caller's account and the partition, attached with for_each, and an
# instance profile for GPU training nodes; one document has a dynamic statement block.
# tests/aws_iam.rs applies this very directory to moto,
# checks it with boto3 and re-plans it clean.

terraform {
  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = "~> 5.0"
    }
  }
}

provider "aws" {
  region = var.region
}

variable "region" {
  type    = string
  default = "us-east-1"
}

variable "project" {
  type        = string
  default     = "churn"
  description = "Prefix of every name."
}

variable "feature_buckets" {
  type        = list(string)
  default     = ["features", "labels"]
  description = "Buckets training jobs read, one statement each."
}

data "aws_caller_identity" "current" {}
data "aws_partition" "current" {}
data "aws_region" "current" {}

locals {
  account_id    = data.aws_caller_identity.current.account_id
  partition     = data.aws_partition.current.partition
  artifacts_arn = "arn:${local.partition}:s3:::${var.project}-ml-artifacts-${local.account_id}"
  common_tags = {
    Project   = var.project
    ManagedBy = "plinth"
  }
}

data "aws_iam_policy_document" "sagemaker_assume_role" {
  statement {
    sid     = "SageMakerAssumeRole"
    effect  = "Allow"
    actions = ["sts:AssumeRole"]

    principals {
      type        = "Service"
      identifiers = ["sagemaker.amazonaws.com"]
    }
  }
}

resource "aws_iam_role" "sagemaker_execution" {
  name               = "${var.project}-sagemaker-execution"
  assume_role_policy = data.aws_iam_policy_document.sagemaker_assume_role.json
  tags               = local.common_tags
}

data "aws_iam_policy_document" "artifacts" {
  statement {
    sid       = "ListArtifacts"
    actions   = ["s3:ListBucket"]
    resources = [local.artifacts_arn]
  }

  statement {
    sid       = "ReadWriteArtifacts"
    actions   = ["s3:GetObject", "s3:PutObject", "s3:DeleteObject"]
    resources = ["${local.artifacts_arn}/*"]
  }

  dynamic "statement" {
    for_each = var.feature_buckets
    content {
      sid       = "ReadFeatureBucket${statement.key}"
      actions   = ["s3:GetObject"]
      resources = ["arn:${local.partition}:s3:::${var.project}-${statement.value}/*"]
    }
  }

  statement {
    sid     = "PassRoleToSageMaker"
    actions = ["iam:PassRole"]
    # Known only once the role exists: this document is read during apply.
    resources = [aws_iam_role.sagemaker_execution.arn]

    condition {
      test     = "StringEquals"
      variable = "iam:PassedToService"
      values   = ["sagemaker.amazonaws.com"]
    }
  }
}

data "aws_iam_policy_document" "logs" {
  statement {
    sid = "TrainingJobLogs"
    actions = [
      "logs:CreateLogGroup",
      "logs:CreateLogStream",
      "logs:PutLogEvents",
    ]
    resources = [
      "arn:${local.partition}:logs:${data.aws_region.current.name}:${local.account_id}:log-group:/aws/sagemaker/*",
    ]
  }
}

resource "aws_iam_policy" "artifacts" {
  name        = "${var.project}-sagemaker-artifacts"
  description = "Read and write the model artifacts bucket"
  policy      = data.aws_iam_policy_document.artifacts.json
  tags        = local.common_tags
}

resource "aws_iam_policy" "logs" {
  name_prefix = "${var.project}-sagemaker-logs-"
  path        = "/ml/"
  policy      = data.aws_iam_policy_document.logs.json
}

resource "aws_iam_role_policy_attachment" "sagemaker" {
  for_each = {
    artifacts = aws_iam_policy.artifacts.arn
    logs      = aws_iam_policy.logs.arn
  }

  role       = aws_iam_role.sagemaker_execution.name
  policy_arn = each.value
}

data "aws_iam_policy_document" "ec2_assume_role" {
  statement {
    actions = ["sts:AssumeRole"]

    principals {
      type        = "Service"
      identifiers = ["ec2.amazonaws.com"]
    }
  }
}

resource "aws_iam_role" "training_nodes" {
  name_prefix        = "${var.project}-nodes-"
  assume_role_policy = data.aws_iam_policy_document.ec2_assume_role.json
}

resource "aws_iam_role_policy_attachment" "training_nodes_artifacts" {
  role       = aws_iam_role.training_nodes.name
  policy_arn = aws_iam_policy.artifacts.arn
}

resource "aws_iam_instance_profile" "training_nodes" {
  name = "${var.project}-training-nodes"
  role = aws_iam_role.training_nodes.name
  tags = local.common_tags
}

output "sagemaker_role_arn" {
  value = aws_iam_role.sagemaker_execution.arn
}

output "instance_profile_arn" {
  value = aws_iam_instance_profile.training_nodes.arn
}

output "trust_policy" {
  value = data.aws_iam_policy_document.sagemaker_assume_role.minified_json
}
