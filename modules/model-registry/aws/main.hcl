# model-registry on aws: a SageMaker model package group, the registry training pipelines
# register model versions (model packages) into and endpoints deploy approved versions from.

locals {
  full_name = "${var.name}-${env.name}"
  tags      = merge(var.tags, { name = var.name, environment = env.name })
}

resource "aws_sagemaker_model_package_group" "registry" {
  model_package_group_name        = local.full_name
  model_package_group_description = var.description == "" ? null : var.description
  tags                            = local.tags
}
