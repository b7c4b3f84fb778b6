# An ML platform on AWS: modules/ml-platform/aws for one team (GPU nodes in a placement group,
# a SageMaker feature group, model registry, training pipeline with a validation gate, an
# endpoint capturing its traffic, and a drift monitor that retrains), each part with its own
# least-privilege IAM role. Runs unchanged against a real account or moto (see README.md).

variable "region" {
  type        = string
  default     = "us-east-1"
  description = "The AWS region."
}

variable "ami_id" {
  type        = string
  default     = null
  description = "AMI of the GPU nodes; null: the newest Deep Learning AMI of the region."
}

variable "placement_group" {
  type        = bool
  default     = true
  description = "Put the GPU nodes in a cluster placement group (moto has none: false there)."
}

provider "aws" {
  region       = var.region
  default_tags = { project = "plinth-ml-platform", environment = env.name }
}

module "platform" {
  source         = "../../modules/ml-platform/aws"
  name           = "churn"
  entity_key     = "customer_id"
  event_time_key = "updated_at"
  features = [
    { name = "customer_id", type = "string" },
    { name = "monthly_spend", type = "float" },
    { name = "updated_at", type = "timestamp" },
  ]
  training_image     = "763104351884.dkr.ecr.${var.region}.amazonaws.com/pytorch-training:2.3-gpu-py311"
  serving_image      = "763104351884.dkr.ecr.${var.region}.amazonaws.com/pytorch-inference:2.3-gpu-py311"
  gate               = { metric = "auc", threshold = 0.8 }
  baseline           = "s3://churn-baselines-${env.name}/baseline/"
  gpu_type           = "a10g"
  node_count         = 2
  ami_id             = var.ami_id
  placement_strategy = var.placement_group ? "cluster" : null
}

output "endpoint_url" {
  value       = module.platform.endpoint.url
  description = "Where clients send requests."
}

output "platform" {
  value       = module.platform
  description = "Every part's outputs."
}
