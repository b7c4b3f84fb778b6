# ml-platform on Kubernetes: the six building blocks composed for one team, each from
# modules/<block>/kubernetes, all in the namespace the gpu-cluster makes ("<name>-gpu-<env.name>").
# The pipeline trains on the cluster's GPUs from the Feast server into the MLflow registry, the
# endpoint serves the registry's champion and captures its inputs on a claim, and the monitor's
# CronJob compares them with the baseline and, on drift, starts the training CronJob.

module "cluster" {
  source        = "../../gpu-cluster/kubernetes"
  name          = "${var.name}-gpu"
  gpu_type      = var.gpu_type
  node_count    = var.node_count
  gpus_per_node = var.gpus_per_node
  gpu_product   = var.gpu_product
  tags          = var.tags
}

module "features" {
  source         = "../../feature-store/kubernetes"
  name           = "${var.name}-features"
  namespace      = module.cluster.name
  entity_key     = var.entity_key
  event_time_key = var.event_time_key
  features       = var.features
  tags           = var.tags
  depends_on     = [module.cluster]
}

module "registry" {
  source         = "../../model-registry/kubernetes"
  name           = "${var.name}-models"
  namespace      = module.cluster.name
  description    = "Models of ${var.name}, trained on ${module.features.name}"
  storage_class  = var.storage_class
  register_model = var.register_model
  tags           = var.tags
  depends_on     = [module.cluster]
}

module "pipeline" {
  source        = "../../training-pipeline/kubernetes"
  name          = "${var.name}-train"
  cluster       = module.cluster.id
  feature_store = module.features.id
  registry      = module.registry.id
  image         = var.training_image
  gate          = var.gate
  schedule      = var.training_schedule
  tags          = var.tags
}

module "endpoint" {
  source             = "../../serving-endpoint/kubernetes"
  name               = "${var.name}-serving"
  namespace          = module.cluster.name
  registry           = module.registry.id
  image              = var.serving_image
  engine             = var.engine
  storage_class      = var.storage_class
  allowed_namespaces = var.allowed_namespaces
  tags               = var.tags
  depends_on         = [module.cluster]
}

module "monitor" {
  source        = "../../drift-monitor/kubernetes"
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
}
