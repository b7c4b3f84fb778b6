# The model-artifact bucket of an ML platform, as teams write it with the AWS provider v6 split
# resources: a versioned bucket, default encryption with KMS (bucket keys on), Block Public
# Access, BucketOwnerEnforced ownership, lifecycle rules for checkpoints, old model versions and
# abandoned uploads, a bucket policy from aws_iam_policy_document that denies plain HTTP and
# lets the training role read and write, and the model's metadata as an aws_s3_object.
# tests/aws_compat_s3.rs applies this very directory to moto (with require_tls = false: moto is
# plain HTTP and enforces the deny), checks it with boto3, re-plans it clean and destroys it.

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
  default     = "churn"
  description = "Prefix of every name."
}

variable "kms_key_arn" {
  type        = string
  default     = "arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab"
  description = "The customer managed key that encrypts the artifacts."
}

variable "require_tls" {
  type        = bool
  default     = true
  description = "Deny every request made without TLS (an emulator served over plain HTTP needs false)."
}

variable "model_version" {
  type    = string
  default = "v3"
}

data "aws_caller_identity" "current" {}
data "aws_partition" "current" {}

locals {
  bucket_name   = "${var.project}-model-artifacts-${data.aws_caller_identity.current.account_id}"
  training_role = "arn:${data.aws_partition.current.partition}:iam::${data.aws_caller_identity.current.account_id}:role/${var.project}-training"
  tags = {
    Project   = var.project
    ManagedBy = "plinth"
  }
}

resource "aws_s3_bucket" "artifacts" {
  bucket        = local.bucket_name
  force_destroy = true
  tags          = merge(local.tags, { Purpose = "model-artifacts" })
}

resource "aws_s3_bucket_versioning" "artifacts" {
  bucket = aws_s3_bucket.artifacts.id

  versioning_configuration {
    status = "Enabled"
  }
}

resource "aws_s3_bucket_server_side_encryption_configuration" "artifacts" {
  bucket = aws_s3_bucket.artifacts.id

  rule {
    apply_server_side_encryption_by_default {
      sse_algorithm     = "aws:kms"
      kms_master_key_id = var.kms_key_arn
    }
    bucket_key_enabled = true
  }
}

resource "aws_s3_bucket_public_access_block" "artifacts" {
  bucket = aws_s3_bucket.artifacts.id

  block_public_acls       = true
  block_public_policy     = true
  ignore_public_acls      = true
  restrict_public_buckets = true
}

resource "aws_s3_bucket_ownership_controls" "artifacts" {
  bucket = aws_s3_bucket.artifacts.id

  rule {
    object_ownership = "BucketOwnerEnforced"
  }
}

resource "aws_s3_bucket_lifecycle_configuration" "artifacts" {
  bucket = aws_s3_bucket.artifacts.id

  # Lifecycle rules need versioning settled first, as in the provider's documentation.
  depends_on = [aws_s3_bucket_versioning.artifacts]

  rule {
    id     = "expire-checkpoints"
    status = "Enabled"

    filter {
      prefix = "checkpoints/"
    }

    expiration {
      days = 14
    }
  }

  rule {
    id     = "archive-old-model-versions"
    status = "Enabled"

    filter {
      prefix = "models/"
    }

    noncurrent_version_transition {
      noncurrent_days = 30
      storage_class   = "GLACIER_IR"
    }

    noncurrent_version_expiration {
      noncurrent_days = 365
    }
  }

  rule {
    id     = "abort-incomplete-uploads"
    status = "Enabled"

    filter {}

    abort_incomplete_multipart_upload {
      days_after_initiation = 7
    }
  }
}

data "aws_iam_policy_document" "artifacts" {
  dynamic "statement" {
    for_each = var.require_tls ? ["DenyInsecureTransport"] : []
    content {
      sid     = statement.value
      effect  = "Deny"
      actions = ["s3:*"]
      resources = [
        aws_s3_bucket.artifacts.arn,
        "${aws_s3_bucket.artifacts.arn}/*",
      ]

      principals {
        type        = "*"
        identifiers = ["*"]
      }

      condition {
        test     = "Bool"
        variable = "aws:SecureTransport"
        values   = ["false"]
      }
    }
  }

  statement {
    sid       = "TrainingReadWrite"
    actions   = ["s3:GetObject", "s3:PutObject", "s3:ListBucket"]
    resources = [aws_s3_bucket.artifacts.arn, "${aws_s3_bucket.artifacts.arn}/*"]

    principals {
      type        = "AWS"
      identifiers = [local.training_role]
    }
  }
}

resource "aws_s3_bucket_policy" "artifacts" {
  bucket = aws_s3_bucket.artifacts.id
  policy = data.aws_iam_policy_document.artifacts.json

  # Block Public Access first: a policy written before it could be refused as public.
  depends_on = [aws_s3_bucket_public_access_block.artifacts]
}

resource "aws_s3_object" "model_card" {
  bucket       = aws_s3_bucket.artifacts.id
  key          = "models/${var.project}/${var.model_version}/model-card.json"
  content_type = "application/json"
  content = jsonencode({
    name      = var.project
    version   = var.model_version
    framework = "pytorch"
  })
  metadata = {
    model-version = var.model_version
  }
  tags = local.tags

  depends_on = [aws_s3_bucket_versioning.artifacts]
}

output "bucket" {
  value = aws_s3_bucket.artifacts.id
}

output "model_card_etag" {
  value = aws_s3_object.model_card.etag
}
