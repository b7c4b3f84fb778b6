# The network of a GPU training cluster: a VPC, one private subnet per availability zone, and a
# security group whose rules come from a variable (dynamic blocks, optional defaults).

variable "region" {
  type    = string
  default = "eu-west-1"
}

variable "subnets" {
  description = "Private subnets by availability zone."
  type        = map(string)
  default = {
    "eu-west-1a" = "10.42.1.0/24"
    "eu-west-1b" = "10.42.2.0/24"
  }
}

variable "ingress_rules" {
  description = "Who may reach the training nodes."
  type = list(object({
    port        = number
    protocol    = optional(string, "tcp")
    cidr_blocks = optional(list(string), ["10.42.0.0/16"])
    description = optional(string)
  }))
  default = [
    { port = 22, description = "ssh from the VPC" },
    { port = 29500, description = "torch.distributed rendezvous" },
    { port = 6006, cidr_blocks = ["10.0.0.0/8"], description = "TensorBoard" },
  ]
}

provider "aws" {
  region = var.region
}

locals {
  tags = {
    Team        = "ml-platform"
    Environment = terraform.workspace
    ManagedBy   = "plinth"
  }
}

resource "aws_vpc" "training" {
  cidr_block           = "10.42.0.0/16"
  enable_dns_hostnames = true
  tags                 = merge(local.tags, { Name = "training-${terraform.workspace}" })
}

resource "aws_subnet" "private" {
  for_each          = var.subnets
  vpc_id            = aws_vpc.training.id
  cidr_block        = each.value
  availability_zone = each.key
  tags              = merge(local.tags, { Name = "training-${each.key}" })
}

resource "aws_security_group" "training_nodes" {
  name        = "training-nodes-${terraform.workspace}"
  description = "GPU training nodes"
  vpc_id      = aws_vpc.training.id

  dynamic "ingress" {
    for_each = var.ingress_rules
    iterator = rule
    content {
      from_port   = rule.value.port
      to_port     = rule.value.port
      protocol    = rule.value.protocol
      cidr_blocks = rule.value.cidr_blocks
      description = rule.value.description
    }
  }

  egress {
    from_port   = 0
    to_port     = 0
    protocol    = "-1"
    cidr_blocks = ["0.0.0.0/0"]
  }

  tags = local.tags
}

# The group was called "gpu" before the team renamed it.
moved {
  from = aws_security_group.gpu
  to   = aws_security_group.training_nodes
}

output "subnet_ids" {
  value = { for az, s in aws_subnet.private : az => s.id }
}
