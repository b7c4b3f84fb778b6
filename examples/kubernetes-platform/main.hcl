# An ML team's platform on Kubernetes: the six building blocks of modules/ml-platform/kubernetes
# in the namespace "churn-gpu-<environment>" of the cluster the kubeconfig names. The same
# module call as examples/quickstart (local) and examples/aws-platform; only the source differs.

provider "kubernetes" {
  # The kubeconfig chain: KUBECONFIG, else ~/.kube/config, else the in-cluster account.
}

module "platform" {
  source         = "../../modules/ml-platform/kubernetes"
  name           = "churn"
  entity_key     = "customer_id"
  event_time_key = "event_time"
  features = [
    { name = "customer_id", type = "int" },
    { name = "event_time", type = "timestamp" },
    { name = "tenure_months", type = "int" },
    { name = "monthly_spend", type = "float" },
    { name = "plan", type = "string" },
  ]
  training_image    = "registry.example.com/ml/churn-train:3.0.1"
  serving_image     = "registry.example.com/ml/churn-serving:3.0.1"
  gate              = { metric = "auc", threshold = 0.8, margin = 0.005 }
  training_schedule = "0 2 * * *"
  baseline          = "https://data.example.com/churn/baseline.csv"
  drift_features    = ["tenure_months", "monthly_spend", "plan"]
}

output "namespace" {
  value       = module.platform.cluster.name
  description = "The team's namespace in this environment."
}

output "registry" {
  value       = module.platform.registry.uri
  description = "The MLflow tracking URI, inside the cluster."
}

output "endpoint" {
  value       = module.platform.endpoint.url
  description = "Where clients in the cluster send requests."
}
