# model-registry on the local platform: the local directory registry (an index.json that
# training jobs register versions in), in the environment's sandbox.

locals {
  full_name = "${var.name}-${env.name}"
}

resource "local_model_registry" "registry" {
  path        = "${var.sandbox_dir}/${env.name}/registry/${var.name}"
  name        = local.full_name
  description = var.description
}
