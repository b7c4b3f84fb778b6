# A local ML platform sandbox: the ml-platform building block on the local platform, for the
# churn team. Everything lives under sandbox/<environment>/; no cloud account is needed. Swap
# the module's source for modules/ml-platform/aws (or .../kubernetes) to run the same platform
# there.

module "platform" {
  source = "../../modules/ml-platform/local"

  name           = "churn"
  entity_key     = "customer_id"
  event_time_key = "updated_at"
  features = [
    { name = "customer_id", type = "string" },
    { name = "tenure_months", type = "int" },
    { name = "monthly_spend", type = "float" },
    { name = "plan", type = "string" },
    { name = "updated_at", type = "timestamp" },
  ]
  training_image = "ghcr.io/acme/churn-train:1.0"
  serving_image  = "ghcr.io/acme/churn-serve:1.0"
  gate           = { metric = "auc", threshold = 0.8, margin = 0.01 }

  # The drift monitor compares these samples' features (data/current.csv stands in for the
  # endpoint's captured traffic; leave `current` out to read what the endpoint captures). Its
  # check block makes `plinth drift` exit 2 on data drift: the scheduled drift job's trigger to
  # retrain.
  baseline       = "${path.module}/data/baseline.csv"
  current        = "${path.module}/data/current.csv"
  drift_features = ["tenure_months", "monthly_spend", "plan"]
}

output "feature_table" {
  value       = module.platform.feature_store.id
  description = "database#table of the feature table"
}

output "registry_index" {
  value = module.platform.registry.uri
}

output "specs" {
  value = [module.platform.pipeline.id, module.platform.monitor.id, module.platform.endpoint.id, module.platform.cluster.id]
}
