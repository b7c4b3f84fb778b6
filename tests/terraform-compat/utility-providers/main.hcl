# The utility providers as ML platform configurations use them: a random suffix and a generated
# database password, an SSH key pair for GPU hosts, a zipped inference handler, a pause for IAM
# propagation and a yearly key rotation.

terraform {
  required_providers {
    random  = { source = "hashicorp/random", version = "~> 3.6" }
    tls     = { source = "hashicorp/tls", version = "~> 4.0" }
    archive = { source = "hashicorp/archive", version = "~> 2.4" }
    time    = { source = "hashicorp/time", version = "~> 0.11" }
    null    = { source = "hashicorp/null", version = "~> 3.2" }
  }
}

variable "project" {
  type    = string
  default = "churn"
}

resource "random_pet" "env" {
  length = 2
  prefix = var.project
}

resource "random_id" "bucket_suffix" {
  byte_length = 4
  keepers = {
    project = var.project
  }
}

resource "random_password" "db" {
  length           = 24
  special          = true
  override_special = "!#$%&*()-_=+[]{}<>:?"
  min_upper        = 2
  min_numeric      = 2
}

resource "random_string" "tag" {
  length  = 8
  upper   = false
  special = false
}

resource "random_uuid" "run" {}

resource "random_integer" "port" {
  min = 8000
  max = 8999
}

resource "random_shuffle" "az" {
  input        = ["us-east-1a", "us-east-1b", "us-east-1c"]
  result_count = 2
}

resource "time_rotating" "key_rotation" {
  rotation_days = 365
}

resource "tls_private_key" "gpu_hosts" {
  algorithm = "RSA"
  rsa_bits  = 4096

  lifecycle {
    replace_triggered_by = [time_rotating.key_rotation]
  }
}

resource "time_sleep" "iam_propagation" {
  create_duration = "30s"
  triggers = {
    key = tls_private_key.gpu_hosts.public_key_fingerprint_sha256
  }
}

resource "null_resource" "register_model" {
  triggers = {
    run = random_uuid.run.result
  }
  depends_on = [time_sleep.iam_propagation]
}

resource "time_static" "deployed" {}

data "archive_file" "inference_handler" {
  type        = "zip"
  source_dir  = "${path.module}/handler"
  output_path = "${path.module}/build/handler.zip"
  excludes    = ["__pycache__", "tests"]
}

resource "local_file" "db_env" {
  path              = "${path.module}/build/${random_pet.env.id}.env"
  sensitive_content = "DB_PASSWORD=${random_password.db.result}"
}

output "bucket" {
  value = "${var.project}-models-${random_id.bucket_suffix.hex}"
}

output "ssh_public_key" {
  value = tls_private_key.gpu_hosts.public_key_openssh
}

output "handler_hash" {
  value = data.archive_file.inference_handler.output_base64sha256
}

output "deployed_year" {
  value = time_static.deployed.year
}

output "serving_port" {
  value = random_integer.port.result
}

output "zones" {
  value = random_shuffle.az.result
}
