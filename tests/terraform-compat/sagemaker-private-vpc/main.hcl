# SageMaker in a private VPC, in the shape public configurations write it: private subnets with
# no route to the internet, S3 reached through a Gateway endpoint on their route table, the
# SageMaker API through an Interface endpoint, a security group for training and inference whose
# rules are separate resources (both rule styles), and the VPC's default security group locked
# down (no rules at all).

variable "name" {
  type    = string
  default = "sm-private"
}

variable "vpc_cidr" {
  type    = string
  default = "10.80.0.0/16"
}

variable "zones" {
  type    = list(string)
  default = ["us-east-1a", "us-east-1b"]
}

provider "aws" {
  region = "us-east-1"
  default_tags = {
    Project = var.name
  }
}

locals {
  region = "us-east-1"
}

resource "aws_vpc" "main" {
  cidr_block           = var.vpc_cidr
  enable_dns_support   = true
  enable_dns_hostnames = true
  tags = {
    Name = var.name
  }
}

resource "aws_subnet" "private" {
  count             = length(var.zones)
  vpc_id            = aws_vpc.main.id
  cidr_block        = cidrsubnet(var.vpc_cidr, 8, count.index + 10)
  availability_zone = var.zones[count.index]
  tags = {
    Name = "${var.name}-private-${var.zones[count.index]}"
  }
}

resource "aws_route_table" "private" {
  vpc_id = aws_vpc.main.id
  tags = {
    Name = "${var.name}-private"
  }
}

resource "aws_route_table_association" "private" {
  count          = length(var.zones)
  subnet_id      = aws_subnet.private[count.index].id
  route_table_id = aws_route_table.private.id
}

# No inline rules: the rules below are separate resources, and the group leaves them alone.
resource "aws_security_group" "sagemaker" {
  name        = "${var.name}-sagemaker"
  description = "SageMaker training jobs and endpoints"
  vpc_id      = aws_vpc.main.id
  tags = {
    Name = "${var.name}-sagemaker"
  }
}

# Distributed training: the nodes talk to each other on every port.
resource "aws_security_group_rule" "nodes" {
  type              = "ingress"
  security_group_id = aws_security_group.sagemaker.id
  protocol          = "-1"
  from_port         = 0
  to_port           = 0
  self              = true
  description       = "node to node"
}

resource "aws_vpc_security_group_ingress_rule" "https" {
  security_group_id = aws_security_group.sagemaker.id
  ip_protocol       = "tcp"
  from_port         = 443
  to_port           = 443
  cidr_ipv4         = aws_vpc.main.cidr_block
  description       = "HTTPS from the VPC (the interface endpoint)"
}

resource "aws_vpc_security_group_egress_rule" "all" {
  security_group_id = aws_security_group.sagemaker.id
  ip_protocol       = "-1"
  cidr_ipv4         = "0.0.0.0/0"
}

resource "aws_vpc_endpoint" "s3" {
  vpc_id            = aws_vpc.main.id
  service_name      = "com.amazonaws.${local.region}.s3"
  vpc_endpoint_type = "Gateway"
  route_table_ids   = [aws_route_table.private.id]
  tags = {
    Name = "${var.name}-s3"
  }
}

resource "aws_vpc_endpoint" "sagemaker_api" {
  vpc_id              = aws_vpc.main.id
  service_name        = "com.amazonaws.${local.region}.sagemaker.api"
  vpc_endpoint_type   = "Interface"
  subnet_ids          = aws_subnet.private[*].id
  security_group_ids  = [aws_security_group.sagemaker.id]
  private_dns_enabled = true
  tags = {
    Name = "${var.name}-sagemaker-api"
  }
}

# Locked down: no ingress or egress blocks, so every rule of the default group is revoked.
resource "aws_default_security_group" "default" {
  vpc_id = aws_vpc.main.id
  tags = {
    Name = "${var.name}-default-locked"
  }
}

output "vpc_id" {
  value = aws_vpc.main.id
}

output "private_subnet_ids" {
  value = aws_subnet.private[*].id
}

output "security_group_id" {
  value = aws_security_group.sagemaker.id
}

output "s3_endpoint_id" {
  value = aws_vpc_endpoint.s3.id
}
