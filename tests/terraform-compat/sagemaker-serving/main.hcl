# A model served on SageMaker behind one endpoint with a canary variant: the variants come from a
# module variable with optional attributes, expanded with a dynamic block inside the module.

provider "aws" {
  region = "us-east-1"
}

resource "aws_s3_bucket" "artifacts" {
  bucket = "ml-artifacts-${terraform.workspace}"
}

resource "aws_iam_role" "sagemaker" {
  name = "sagemaker-execution-${terraform.workspace}"
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Principal = { Service = "sagemaker.amazonaws.com" }
      Action    = "sts:AssumeRole"
    }]
  })
}

module "churn" {
  source         = "./modules/endpoint"
  name           = "churn"
  execution_role = aws_iam_role.sagemaker.arn
  variants = [
    { name = "champion", image = "123456789012.dkr.ecr.us-east-1.amazonaws.com/churn:3.0.1", model_data = "s3://${aws_s3_bucket.artifacts.bucket}/churn/3.0.1/model.tar.gz", weight = 9 },
    { name = "challenger", image = "123456789012.dkr.ecr.us-east-1.amazonaws.com/churn:3.1.0", model_data = "s3://${aws_s3_bucket.artifacts.bucket}/churn/3.1.0/model.tar.gz" },
  ]
}

output "endpoint_name" {
  value      = module.churn.endpoint_name
  depends_on = [aws_s3_bucket.artifacts]
}

output "variants_type" {
  value = type(module.churn.variant_names)
}
