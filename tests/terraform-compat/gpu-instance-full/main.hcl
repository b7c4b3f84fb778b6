# A GPU training node as public ML platform configurations write it: an instance profile, IMDSv2
# only, detailed monitoring, a fixed private address and a public one for SSH, in a VPC subnet
# with a name-prefixed security group; a launch template for the autoscaled workers and a bucket
# for checkpoints with object lock. Arguments Plinth does not act on yet are left null through
# variables, as modules do when a caller does not set them.

variable "region" {
  type    = string
  default = "us-east-1"
}

variable "instance_profile" {
  description = "Name of the instance profile the training role is attached to."
  type        = string
  default     = "gpu-training-node"
}

variable "key_name" {
  type    = string
  default = null
}

variable "ipv6_cidr_block" {
  description = "Unused here: Plinth's aws_vpc is IPv4 only, and null leaves it out."
  type        = string
  default     = null
}

provider "aws" {
  region = var.region
}

resource "aws_vpc" "training" {
  cidr_block           = "10.60.0.0/16"
  enable_dns_support   = true
  enable_dns_hostnames = true
  ipv6_cidr_block      = var.ipv6_cidr_block

  tags = {
    Name = "gpu-training"
  }
}

resource "aws_subnet" "public" {
  vpc_id                  = aws_vpc.training.id
  cidr_block              = "10.60.1.0/24"
  availability_zone       = "${var.region}a"
  map_public_ip_on_launch = true
}

resource "aws_security_group" "node" {
  name_prefix            = "gpu-node-"
  description            = "GPU training nodes"
  vpc_id                 = aws_vpc.training.id
  revoke_rules_on_delete = true

  ingress {
    description = "ssh"
    from_port   = 22
    to_port     = 22
    protocol    = "tcp"
    cidr_blocks = ["0.0.0.0/0"]
  }

  egress {
    from_port   = 0
    to_port     = 0
    protocol    = "-1"
    cidr_blocks = ["0.0.0.0/0"]
  }
}

resource "aws_instance" "trainer" {
  ami                         = "ami-0123456789abcdef0"
  instance_type               = "p4d.24xlarge"
  subnet_id                   = aws_subnet.public.id
  vpc_security_group_ids      = [aws_security_group.node.id]
  iam_instance_profile        = var.instance_profile
  key_name                    = var.key_name
  associate_public_ip_address = true
  monitoring                  = true
  ebs_optimized               = true
  private_ip                  = "10.60.1.10"
  user_data                   = <<-EOT
    #!/bin/bash
    nvidia-smi
  EOT

  metadata_options {
    http_endpoint               = "enabled"
    http_tokens                 = "required"
    http_put_response_hop_limit = 2
  }

  tags = {
    Name = "trainer-0"
  }
}

resource "aws_launch_template" "workers" {
  name_prefix            = "gpu-worker-"
  image_id               = "ami-0123456789abcdef0"
  instance_type          = "g5.12xlarge"
  key_name               = var.key_name
  vpc_security_group_ids = [aws_security_group.node.id]
  update_default_version = true
  user_data              = base64encode("#!/bin/bash\nnvidia-smi\n")
}

resource "aws_s3_bucket" "checkpoints" {
  bucket_prefix       = "gpu-checkpoints-"
  force_destroy       = true
  object_lock_enabled = true
}

output "trainer_public_ip" {
  value = aws_instance.trainer.public_ip
}
