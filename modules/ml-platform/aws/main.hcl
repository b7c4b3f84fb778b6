# ml-platform on aws: the six building blocks composed for one team, each from
# modules/<block>/aws, wired exactly as modules/ml-platform/local wires the local ones. The drift
# monitor watches the endpoint's captured traffic against the baseline and starts the training
# pipeline when a monitoring run finds violations.

module "cluster" {
  source                = "../../gpu-cluster/aws"
  name                  = "${var.name}-gpu"
  gpu_type              = var.gpu_type
  node_count            = var.node_count
  gpus_per_node         = var.gpus_per_node
  tags                  = var.tags
  mode                  = var.gpu_mode
  lifecycle_scripts_uri = var.gpu_lifecycle_scripts_uri
  ami_id                = var.ami_id
  subnet_id             = var.subnet_id
  placement_strategy    = var.placement_strategy
}

module "features" {
  source         = "../../feature-store/aws"
  name           = "${var.name}-features"
  entity_key     = var.entity_key
  event_time_key = var.event_time_key
  features       = var.features
  tags           = var.tags
  force_destroy  = var.force_destroy
}

module "registry" {
  source      = "../../model-registry/aws"
  name        = "${var.name}-models"
  description = "Models of ${var.name}, trained on ${module.features.name}"
  tags        = var.tags
}

module "pipeline" {
  source        = "../../training-pipeline/aws"
  name          = "${var.name}-train"
  cluster       = module.cluster.id
  feature_store = module.features.id
  registry      = module.registry.id
  image         = var.training_image
  gate          = var.gate
  schedule      = var.training_schedule
  tags          = var.tags
  instance_type = var.training_instance_type
  force_destroy = var.force_destroy
}

module "endpoint" {
  source        = "../../serving-endpoint/aws"
  name          = "${var.name}-serving"
  registry      = module.registry.id
  image         = var.serving_image
  tags          = var.tags
  instance_type = var.serving_instance_type
  force_destroy = var.force_destroy
}

module "monitor" {
  source        = "../../drift-monitor/aws"
  name          = "${var.name}-drift"
  baseline      = var.baseline
  current       = coalesce(var.current, module.endpoint.capture_uri)
  endpoint      = module.endpoint.name
  pipeline      = module.pipeline.id
  features      = var.drift_features
  psi_threshold = var.psi_threshold
  ks_p_value    = var.ks_p_value
  schedule      = var.drift_schedule
  tags          = var.tags
  force_destroy = var.force_destroy
}
