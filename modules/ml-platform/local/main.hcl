# ml-platform on the local platform: the six building blocks composed for one team, each from
# modules/<block>/local. The drift monitor compares the baseline with what the endpoint captures
# (or with `current`) and triggers the training pipeline.

module "cluster" {
  source        = "../../gpu-cluster/local"
  name          = "${var.name}-gpu"
  gpu_type      = var.gpu_type
  node_count    = var.node_count
  gpus_per_node = var.gpus_per_node
  tags          = var.tags
  sandbox_dir   = var.sandbox_dir
}

module "features" {
  source         = "../../feature-store/local"
  name           = "${var.name}-features"
  entity_key     = var.entity_key
  event_time_key = var.event_time_key
  features       = var.features
  tags           = var.tags
  sandbox_dir    = var.sandbox_dir
}

module "registry" {
  source      = "../../model-registry/local"
  name        = "${var.name}-models"
  description = "Models of ${var.name}, trained on ${module.features.name}"
  tags        = var.tags
  sandbox_dir = var.sandbox_dir
}

module "pipeline" {
  source        = "../../training-pipeline/local"
  name          = "${var.name}-train"
  cluster       = module.cluster.id
  feature_store = module.features.id
  registry      = module.registry.id
  image         = var.training_image
  gate          = var.gate
  schedule      = var.training_schedule
  tags          = var.tags
  sandbox_dir   = var.sandbox_dir
}

module "endpoint" {
  source      = "../../serving-endpoint/local"
  name        = "${var.name}-serving"
  registry    = module.registry.id
  image       = var.serving_image
  tags        = var.tags
  sandbox_dir = var.sandbox_dir
}

module "monitor" {
  source        = "../../drift-monitor/local"
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
  sandbox_dir   = var.sandbox_dir
}
