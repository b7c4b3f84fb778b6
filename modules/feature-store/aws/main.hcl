# feature-store on aws: a SageMaker feature group with an online store and an offline store in
# an S3 bucket of its own, and the one IAM role Feature Store writes the offline store as, which
# may write only that bucket's offline-store prefix.
#
# The bucket is named like the feature group ("<name>-<env.name>"), so that a training pipeline
# given the feature group's name (the id output) can scope its own role to the same bucket.

locals {
  full_name     = "${var.name}-${env.name}"
  tags          = merge(var.tags, { name = var.name, environment = env.name })
  prefix        = "offline-store"
  sagemaker     = { int = "Integral", float = "Fractional", string = "String", timestamp = "String" }
  types         = { for f in var.features : f.name => f.type }
  offline_store = "s3://${aws_s3_bucket.offline.bucket}/${local.prefix}"
}

resource "aws_s3_bucket" "offline" {
  bucket        = local.full_name
  force_destroy = var.force_destroy
  tags          = local.tags
}

resource "aws_iam_role" "store" {
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

# What Feature Store needs to write the offline store (AmazonSageMakerFeatureStoreAccess),
# scoped to this store's bucket and prefix.
resource "aws_iam_role_policy" "offline_store" {
  name = "offline-store"
  role = aws_iam_role.store.name
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      {
        Effect   = "Allow"
        Action   = ["s3:PutObject", "s3:PutObjectAcl", "s3:GetObject"]
        Resource = ["${aws_s3_bucket.offline.arn}/${local.prefix}/*"]
      },
      {
        Effect   = "Allow"
        Action   = ["s3:GetBucketAcl", "s3:ListBucket"]
        Resource = [aws_s3_bucket.offline.arn]
      },
    ]
  })
}

resource "aws_sagemaker_feature_group" "features" {
  feature_group_name             = local.full_name
  record_identifier_feature_name = var.entity_key
  event_time_feature_name        = var.event_time_key
  role_arn                       = aws_iam_role.store.arn
  description                    = "Features of ${var.name} (${env.name}), keyed by ${var.entity_key}"
  tags                           = local.tags

  dynamic "feature_definition" {
    for_each = var.features
    content {
      feature_name = feature_definition.value.name
      feature_type = local.sagemaker[feature_definition.value.type]
    }
  }

  online_store_config {
    enable_online_store = var.online_store
  }

  offline_store_config {
    s3_storage_config {
      s3_uri = local.offline_store
    }
  }

  # The role's policy must exist before Feature Store first writes the offline store.
  depends_on = [aws_iam_role_policy.offline_store]

  lifecycle {
    precondition {
      condition     = contains(keys(local.types), var.entity_key)
      error_message = "entity_key ${jsonencode(var.entity_key)} is not one of the features."
    }
    precondition {
      condition     = lookup(local.types, var.event_time_key, "") == "timestamp"
      error_message = "event_time_key ${jsonencode(var.event_time_key)} is not a feature of type timestamp."
    }
  }
}
