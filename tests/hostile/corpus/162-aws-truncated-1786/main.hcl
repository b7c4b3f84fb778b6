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
  vpc_id    