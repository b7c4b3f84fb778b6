# gpu-cluster on aws: GPU instances started from one launch template, in a placement group
# (cluster strategy: the nodes' network stays within one spine, as NCCL wants) with a security
# group that lets the nodes reach each other and nothing reach them from outside; or, with
# mode = "hyperpod", a SageMaker HyperPod cluster of the same nodes whose role may read only its
# lifecycle scripts.

locals {
  full_name = "${var.name}-${env.name}"
  tags      = merge(var.tags, { name = var.name, environment = env.name })
  instances = var.mode == "instances"
  hyperpod  = var.mode == "hyperpod"

  # The instance type with gpus_per_node GPUs of gpu_type (per AWS's GPU instance families).
  gpu_types = {
    t4   = { "1" = "g4dn.xlarge", "4" = "g4dn.12xlarge", "8" = "g4dn.metal" }
    l4   = { "1" = "g6.xlarge", "4" = "g6.12xlarge", "8" = "g6.48xlarge" }
    a10g = { "1" = "g5.xlarge", "4" = "g5.12xlarge", "8" = "g5.48xlarge" }
    a100 = { "8" = "p4d.24xlarge" }
    h100 = { "1" = "p5.4xlarge", "8" = "p5.48xlarge" }
  }
  instance_type = var.instance_type != null ? var.instance_type : lookup(local.gpu_types[var.gpu_type], tostring(var.gpus_per_node), "")

  ami_id    = var.ami_id != null ? var.ami_id : one(data.aws_ami.deep_learning[*].id)
  subnet_id = var.subnet_id != null ? var.subnet_id : one(aws_subnet.nodes[*].id)
  vpc_id    = var.subnet_id != null ? one(data.aws_subnet.given[*].vpc_id) : one(aws_vpc.nodes[*].id)

  # s3://BUCKET/PREFIX of the HyperPod lifecycle scripts.
  scripts = var.lifecycle_scripts_uri == null ? ["", ""] : regex("^s3://([^/]+)/?(.*)$", var.lifecycle_scripts_uri)
}

data "aws_ami" "deep_learning" {
  count       = local.instances && var.ami_id == null ? 1 : 0
  owners      = ["amazon"]
  most_recent = true

  filter {
    name   = "name"
    values = ["Deep Learning OSS Nvidia Driver AMI GPU PyTorch*"]
  }
}

# --- mode = "instances" -----------------------------------------------------------------------

resource "aws_vpc" "nodes" {
  count      = local.instances && var.subnet_id == null ? 1 : 0
  cidr_block = "10.42.0.0/16"
  tags       = merge(local.tags, { Name = local.full_name })
}

resource "aws_subnet" "nodes" {
  count      = local.instances && var.subnet_id == null ? 1 : 0
  vpc_id     = aws_vpc.nodes[0].id
  cidr_block = "10.42.0.0/20"
  tags       = merge(local.tags, { Name = local.full_name })
}

data "aws_subnet" "given" {
  count = local.instances && var.subnet_id != null ? 1 : 0
  id    = var.subnet_id
}

resource "aws_security_group" "nodes" {
  count       = local.instances ? 1 : 0
  name        = local.full_name
  description = "GPU nodes of ${local.full_name}: from each other only"
  vpc_id      = local.vpc_id
  tags        = local.tags

  ingress {
    from_port   = 0
    to_port     = 0
    protocol    = "-1"
    self        = true
    description = "the cluster's nodes (NCCL, ssh between nodes)"
  }

  egress {
    from_port   = 0
    to_port     = 0
    protocol    = "-1"
    cidr_blocks = ["0.0.0.0/0"]
    description = "images, data and package downloads"
  }
}

resource "aws_placement_group" "nodes" {
  count    = local.instances && var.placement_strategy != null ? 1 : 0
  name     = local.full_name
  strategy = var.placement_strategy
  tags     = local.tags
}

resource "aws_launch_template" "nodes" {
  count                  = local.instances ? 1 : 0
  name                   = local.full_name
  image_id               = local.ami_id
  instance_type          = local.instance_type
  vpc_security_group_ids = [aws_security_group.nodes[0].id]
  tags                   = local.tags

  lifecycle {
    precondition {
      condition     = local.instance_type != ""
      error_message = "no AWS instance type has ${var.gpus_per_node} ${var.gpu_type} GPUs: set instance_type, or gpus_per_node to one of ${join(", ", keys(local.gpu_types[var.gpu_type]))}."
    }
  }
}

resource "aws_instance" "nodes" {
  count                  = local.instances ? var.node_count : 0
  subnet_id              = local.subnet_id
  vpc_security_group_ids = [aws_security_group.nodes[0].id]
  placement_group        = one(aws_placement_group.nodes[*].name)
  tags                   = merge(local.tags, { Name = "${local.full_name}-${count.index}", gpus = tostring(var.gpus_per_node) })

  launch_template {
    id = aws_launch_template.nodes[0].id
  }
}

# --- mode = "hyperpod" ------------------------------------------------------------------------

resource "aws_iam_role" "nodes" {
  count = local.hyperpod ? 1 : 0
  name  = local.full_name
  tags  = local.tags
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Principal = { Service = "sagemaker.amazonaws.com" }
      Action    = "sts:AssumeRole"
    }]
  })

  lifecycle {
    precondition {
      condition     = var.lifecycle_scripts_uri != null
      error_message = "mode = \"hyperpod\" needs lifecycle_scripts_uri: the S3 prefix of the HyperPod lifecycle scripts."
    }
  }
}

# The nodes may read their lifecycle scripts, nothing else.
resource "aws_iam_role_policy" "lifecycle_scripts" {
  count = local.hyperpod ? 1 : 0
  name  = "lifecycle-scripts"
  role  = aws_iam_role.nodes[0].name
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      {
        Effect   = "Allow"
        Action   = ["s3:GetObject"]
        Resource = ["arn:aws:s3:::${local.scripts[0]}/${local.scripts[1]}*"]
      },
      {
        Effect   = "Allow"
        Action   = ["s3:ListBucket"]
        Resource = ["arn:aws:s3:::${local.scripts[0]}"]
      },
    ]
  })
}

resource "aws_sagemaker_cluster" "hyperpod" {
  count        = local.hyperpod ? 1 : 0
  cluster_name = local.full_name
  tags         = local.tags

  instance_group {
    instance_group_name = "gpu"
    instance_type       = "ml.${local.instance_type}"
    instance_count      = var.node_count
    threads_per_core    = 1
    execution_role      = aws_iam_role.nodes[0].arn

    life_cycle_config {
      source_s3_uri = var.lifecycle_scripts_uri
      on_create     = var.on_create
    }
  }

  lifecycle {
    precondition {
      condition     = local.instance_type != ""
      error_message = "no AWS instance type has ${var.gpus_per_node} ${var.gpu_type} GPUs: set instance_type, or gpus_per_node to one of ${join(", ", keys(local.gpu_types[var.gpu_type]))}."
    }
  }
}
