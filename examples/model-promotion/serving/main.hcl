# Serving the champion: a Kubernetes Deployment running `mlflow models serve` on whatever version
# the `champion` alias names. The data source reads the alias at plan time, so after a promotion
# the next apply rolls the Deployment to the new version's files (its `source`); until then the
# Deployment keeps serving the version it has. A separate configuration from ../main.hcl because
# it needs a cluster (the kubeconfig chain), which the promotion itself does not.

provider "mlflow" {
  # MLFLOW_TRACKING_URI, as in ../main.hcl.
}

provider "kubernetes" {
  # KUBECONFIG, else ~/.kube/config, else the in-cluster account.
}

variable "model_name" {
  type    = string
  default = "churn"
}

variable "namespace" {
  type    = string
  default = "default"
}

variable "tracking_uri_in_cluster" {
  type        = string
  default     = "http://mlflow.ml-default:5000"
  description = "The tracking server as the pods reach it (the registry of examples/kubernetes-platform)."
}

variable "serving_image" {
  type    = string
  default = "ghcr.io/mlflow/mlflow:v3.17.2"
}

data "mlflow_model_version" "champion" {
  name  = var.model_name
  alias = "champion"
}

locals {
  labels = {
    app     = "${var.model_name}-serving"
    model   = var.model_name
    version = data.mlflow_model_version.champion.version
  }
}

resource "kubernetes_deployment" "serving" {
  metadata {
    name      = "${var.model_name}-serving"
    namespace = var.namespace
    labels    = local.labels
  }
  spec {
    replicas = 2
    selector {
      match_labels = { app = local.labels.app }
    }
    template {
      metadata {
        labels = local.labels
      }
      spec {
        container {
          name  = "model"
          image = var.serving_image
          # The registered version's files, straight from the registry.
          command = ["mlflow", "models", "serve"]
          args = [
            "--model-uri", data.mlflow_model_version.champion.source,
            "--host", "0.0.0.0",
            "--port", "8080",
            "--env-manager", "local",
          ]
          env {
            name  = "MLFLOW_TRACKING_URI"
            value = var.tracking_uri_in_cluster
          }
          env {
            name  = "MODEL_VERSION"
            value = data.mlflow_model_version.champion.version
          }
          env {
            name  = "MODEL_RUN_ID"
            value = data.mlflow_model_version.champion.run_id
          }
          port {
            name           = "http"
            container_port = 8080
          }
        }
      }
    }
  }
}

output "serving_version" {
  value = data.mlflow_model_version.champion.version
}
