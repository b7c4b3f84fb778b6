# serving-endpoint on the local platform: a serving spec (JSON) that a local model server picks
# up: the registry's model at an alias, its image, instances, and where request inputs are
# captured for the drift monitor.

locals {
  full_name = "${var.name}-${env.name}"
  tags      = merge(var.tags, { name = var.name, environment = env.name })
  capture   = "${var.sandbox_dir}/${env.name}/capture/${var.name}.csv"
}

resource "local_file" "endpoint" {
  path = "${var.sandbox_dir}/${env.name}/serving/${var.name}.json"
  content = jsonencode({
    endpoint  = local.full_name
    model     = { registry = var.registry, alias = var.model_alias }
    image     = var.image
    instances = { min = var.instance_count, max = var.max_instance_count }
    listen    = "127.0.0.1:${var.port}"
    capture   = { percent = var.capture_percent, destination = local.capture }
    tags      = local.tags
  })

  lifecycle {
    precondition {
      condition     = var.max_instance_count >= var.instance_count
      error_message = "max_instance_count (${var.max_instance_count}) is less than instance_count (${var.instance_count})."
    }
  }
}
