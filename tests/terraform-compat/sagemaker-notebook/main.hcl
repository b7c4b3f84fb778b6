# A research notebook, as ML teams set one up: an execution role whose trust policy and
# permissions come from aws_iam_policy_document, a lifecycle configuration installing the team's
# requirements at every start, the notebook instance itself, and the Hugging Face token the
# notebook reads from Secrets Manager (a secret and its version, the value from a sensitive
# variable). The training image comes from aws_sagemaker_prebuilt_ecr_image.
# tests/aws_sagemaker_notebook.rs applies this very directory to moto, checks it with the AWS
# SDK, greps state and output for the token, re-plans it clean and destroys it.

terraform {
  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = "~> 6.0"
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
  default     = "research"
  description = "Prefix of every name."
}

variable "hf_token" {
  type        = string
  sensitive   = true
  description = "The Hugging Face token the notebook reads (give it with -var on plan and apply)."
}

locals {
  tags = {
    Project   = var.project
    ManagedBy = "plinth"
  }
}

data "aws_iam_policy_document" "assume" {
  statement {
    actions = ["sts:AssumeRole"]

    principals {
      type        = "Service"
      identifiers = ["sagemaker.amazonaws.com"]
    }
  }
}

resource "aws_iam_role" "notebook" {
  name               = "${var.project}-notebook"
  assume_role_policy = data.aws_iam_policy_document.assume.json
  tags               = local.tags
}

data "aws_iam_policy_document" "read_token" {
  statement {
    sid       = "ReadHuggingFaceToken"
    actions   = ["secretsmanager:GetSecretValue", "secretsmanager:DescribeSecret"]
    resources = [aws_secretsmanager_secret.hf_token.arn]
  }
}

resource "aws_iam_policy" "read_token" {
  name   = "${var.project}-notebook-read-token"
  policy = data.aws_iam_policy_document.read_token.json
}

resource "aws_iam_role_policy_attachment" "read_token" {
  role       = aws_iam_role.notebook.name
  policy_arn = aws_iam_policy.read_token.arn
}

resource "aws_secretsmanager_secret" "hf_token" {
  name                    = "${var.project}/hf-token"
  description             = "Hugging Face token for the research notebook"
  recovery_window_in_days = 0
  tags                    = local.tags
}

resource "aws_secretsmanager_secret_version" "hf_token" {
  secret_id     = aws_secretsmanager_secret.hf_token.id
  secret_string = var.hf_token
}

resource "aws_sagemaker_notebook_instance_lifecycle_configuration" "setup" {
  name = "${var.project}-setup"
  on_start = base64encode(<<-EOT
    #!/bin/bash
    set -e
    sudo -u ec2-user -i pip install --quiet transformers datasets
  EOT
  )
}

resource "aws_sagemaker_notebook_instance" "research" {
  name                  = "${var.project}-notebook"
  role_arn              = aws_iam_role.notebook.arn
  instance_type         = "ml.t3.medium"
  volume_size           = 20
  lifecycle_config_name = aws_sagemaker_notebook_instance_lifecycle_configuration.setup.name
  tags                  = local.tags

  depends_on = [aws_iam_role_policy_attachment.read_token]
}

data "aws_sagemaker_prebuilt_ecr_image" "xgboost" {
  repository_name = "sagemaker-xgboost"
  image_tag       = "1.7-1"
}

output "notebook_url" {
  value = aws_sagemaker_notebook_instance.research.url
}

output "training_image" {
  value = data.aws_sagemaker_prebuilt_ecr_image.xgboost.registry_path
}

output "token_secret_arn" {
  value = aws_secretsmanager_secret.hf_token.arn
}
