# Corners of older and newer Terraform that real ML platform configurations still carry: a
# heredoc description, the legacy bare `type = map` / `type = list`, provider_meta, an ephemeral
# variable, and a variable whose `default = null` feeds a function (validate must not evaluate it
# eagerly).

terraform {
  required_version = ">= 1.3"

  provider_meta "local" {
    module_name = "ml-platform/legacy"
  }
}

variable "project" {
  description = <<-EOT
    Name of the ML project. Used as the prefix of every object this
    configuration creates.
  EOT
  type    = string
  default = null
}

variable "tags" {
  description = "Tags for every object (Terraform 0.11 style)"
  type        = map
  default = {
    team = "ml-platform"
  }
}

variable "feature_columns" {
  type    = list
  default = ["user_id", "clicks_7d"]
}

variable "registry_token" {
  description = "Token for the model registry; never persisted."
  type        = string
  ephemeral   = true
  default     = "not-a-real-token"
}

resource "local_value" "project" {
  input = format("%s-features", var.project)
}

resource "local_value" "columns" {
  input = join(",", var.feature_columns)
}

output "team" {
  value = var.tags["team"]
}
