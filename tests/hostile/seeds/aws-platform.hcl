# An ML platform on AWS: a VPC with a subnet and security group, GPU training nodes, a SageMaker
# model served from an endpoint, a model registry, a feature store, a training pipeline, and the
# execution role with a policy scoped to the model bucket.
#
# Runs unchanged against a real account or a local emulator (see README.md).

variable "region" {
  type    = string
  default = "us-east-1"
}

variable "gpu_instance_type" {
  type        = string
  default     = "g5.xlarge"
  description = "EC2 instance type of the training nodes."
}

variable "gpu_nodes" {
  type    = number
  default = 2
}

variable "ami" {
  type        = string
  default     = "ami-12c6146b"
  description = "AMI of the training nodes; on a real account use a Deep Learning AMI of your region."
}

variable "feature_store" {
  type        = bool
  default     = true
  description = "Create the SageMaker feature group. The moto emulator cannot refresh or delete feature groups, so the emulator test turns it off."
}

variable "serving_image" {
  type    = string
  default = "763104351884.dkr.ecr.us-east-1.amazonaws.com/pytorch-inference:2.3-gpu-py311"
}

provider "aws" {
  region = var.region
  default_tags = {
    project     = "plinth-ml-platform"
    environment = env.name
  }
}

locals {
  prefix = "plinth-${env.name}"
}

# --- network and GPU nodes ------------------------------------------------------------------

resource "aws_vpc" "main" {
  cidr_block = "10.42.0.0/16"
  tags       = { Name = "${local.prefix}-vpc" }
}

resource "aws_subnet" "gpu" {
  vpc_id     = aws_vpc.main.id
  cidr_block = "10.42.1.0/24"
  tags       = { Name = "${local.prefix}-gpu" }
}

resource "aws_security_group" "gpu" {
  name        = "${local.prefix}-gpu"
  description = "GPU training nodes"
  vpc_id      = aws_vpc.main.id

  ingress {
    from_port   = 22
    to_port     = 22
    protocol    = "tcp"
    cidr_blocks = ["10.42.0.0/16"]
    description = "ssh from inside the VPC"
  }

  egress {
    from_port   = 0
    to_port     = 0
    protocol    = "-1"
    cidr_blocks = ["0.0.0.0/0"]
  }
}

data "aws_ec2_instance_type" "gpu" {
  instance_type = var.gpu_instance_type
}

resource "aws_instance" "gpu" {
  count                  = var.gpu_nodes
  ami                    = var.ami
  instance_type          = var.gpu_instance_type
  subnet_id              = aws_subnet.gpu.id
  vpc_security_group_ids = [aws_security_group.gpu.id]
  tags = {
    Name = "${local.prefix}-gpu-${count.index}"
    gpus = tostring(data.aws_ec2_instance_type.gpu.gpu_count)
  }
}

# --- identity: one role for SageMaker, allowed only the model bucket -------------------------

resource "aws_s3_bucket" "models" {
  bucket        = "${local.prefix}-models"
  force_destroy = true
}

resource "aws_iam_role" "sagemaker" {
  name = "${local.prefix}-sagemaker"
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Principal = { Service = "sagemaker.amazonaws.com" }
      Action    = "sts:AssumeRole"
    }]
  })
}

resource "aws_iam_role_policy" "models" {
  name = "model-bucket"
  role = aws_iam_role.sagemaker.name
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect   = "Allow"
      Action   = ["s3:GetObject", "s3:PutObject", "s3:ListBucket"]
      Resource = [aws_s3_bucket.models.arn, "${aws_s3_bucket.models.arn}/*"]
    }]
  })
}

# --- registry, features, pipeline, serving --------------------------------------------------

resource "aws_sagemaker_model_package_group" "churn" {
  model_package_group_name        = "${local.prefix}-churn"
  model_package_group_description = "Churn models"
}

resource "aws_sagemaker_feature_group" "customers" {
  count                          = var.feature_store ? 1 : 0
  feature_group_name             = "${local.prefix}-customers"
  record_identifier_feature_name = "customer_id"
  event_time_feature_name        = "event_time"
  role_arn                       = aws_iam_role.sagemaker.arn

  feature_definition {
    feature_name = "customer_id"
    feature_type = "String"
  }
  feature_definition {
    feature_name = "event_time"
    feature_type = "String"
  }
  feature_definition {
    feature_name = "monthly_spend"
    feature_type = "Fractional"
  }

  online_store_config {
    enable_online_store = true
  }

  offline_store_config {
    s3_storage_config {
      s3_uri = "s3://${aws_s3_bucket.models.bucket}/features/"
    }
  }
}

resource "aws_sagemaker_pipeline" "train" {
  pipeline_name         = "${local.prefix}-train"
  pipeline_display_name = "${local.prefix}-train"
  role_arn              = aws_iam_role.sagemaker.arn
  pipeline_definition = jsonencode({
    Version = "2020-12-01"
    Steps = [{
      Name = "Train"
      Type = "Training"
      Arguments = {
        AlgorithmSpecification = { TrainingImage = var.serving_image, TrainingInputMode = "File" }
        OutputDataConfig       = { S3OutputPath = "s3://${aws_s3_bucket.models.bucket}/churn/" }
        ResourceConfig         = { InstanceCount = 1, InstanceType = "ml.g5.xlarge", VolumeSizeInGB = 50 }
        RoleArn                = aws_iam_role.sagemaker.arn
        StoppingCondition      = { MaxRuntimeInSeconds = 3600 }
      }
    }]
  })
}

resource "aws_sagemaker_model" "churn" {
  name               = "${local.prefix}-churn"
  execution_role_arn = aws_iam_role.sagemaker.arn

  primary_container {
    image          = var.serving_image
    model_data_url = "s3://${aws_s3_bucket.models.bucket}/churn/model.tar.gz"
  }
}

resource "aws_sagemaker_endpoint_configuration" "churn" {
  name = "${local.prefix}-churn"

  production_variants {
    variant_name           = "primary"
    model_name             = aws_sagemaker_model.churn.name
    initial_instance_count = 1
    instance_type          = "ml.g4dn.xlarge"
  }
}

resource "aws_sagemaker_endpoint" "churn" {
  name                 = "${local.prefix}-churn"
  endpoint_config_name = aws_sagemaker_endpoint_configuration.churn.name
}

output "endpoint_name" {
  value = aws_sagemaker_endpoint.churn.name
}

output "gpu_nodes" {
  value = [for i in aws_instance.gpu : { id = i.id, private_ip = i.private_ip }]
}

output "gpus_per_node" {
  value = data.aws_ec2_instance_type.gpu.gpu_count
}
