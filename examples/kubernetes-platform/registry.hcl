# The model registry every deployment references: an MLflow tracking server with its backend
# store and artifacts on a persistent volume, reachable inside the cluster as
# http://mlflow.<namespace>:5000.

variable "mlflow_image" {
  type    = string
  default = "ghcr.io/mlflow/mlflow:v3.1.1"
}

resource "kubernetes_service_account" "registry" {
  metadata {
    name      = "mlflow"
    namespace = kubernetes_namespace.ml.metadata[0].name
  }
  automount_service_account_token = false
}

resource "kubernetes_persistent_volume_claim" "mlflow" {
  metadata {
    name      = "mlflow-data"
    namespace = kubernetes_namespace.ml.metadata[0].name
  }
  spec {
    access_modes = ["ReadWriteOnce"]
    # No class: the test cluster binds claims to its pool of volumes; on a cloud cluster, name
    # the class that provisions disks (gp3, standard-rwo, ...).
    storage_class_name = ""
    resources {
      requests = {
        storage = "1Gi"
      }
    }
  }
}

resource "kubernetes_deployment" "mlflow" {
  metadata {
    name      = "mlflow"
    namespace = kubernetes_namespace.ml.metadata[0].name
    labels = {
      app = "mlflow"
    }
  }
  spec {
    replicas = 1
    selector {
      match_labels = {
        app = "mlflow"
      }
    }
    # One writer at a time on a ReadWriteOnce volume.
    strategy {
      type = "Recreate"
    }
    template {
      metadata {
        labels = {
          app = "mlflow"
        }
      }
      spec {
        service_account_name = kubernetes_service_account.registry.metadata[0].name
        priority_class_name  = kubernetes_priority_class.serving.metadata[0].name
        container {
          name    = "mlflow"
          image   = var.mlflow_image
          command = ["mlflow", "server"]
          args = [
            "--host", "0.0.0.0", "--port", "5000",
            "--backend-store-uri", "sqlite:////mlflow/mlflow.db",
            "--artifacts-destination", "/mlflow/artifacts",
          ]
          port {
            name           = "http"
            container_port = 5000
          }
          resources {
            requests = {
              cpu    = "500m"
              memory = "1Gi"
            }
            limits = {
              cpu    = "1000m"
              memory = "2048Mi"
            }
          }
          readiness_probe {
            http_get {
              path = "/health"
              port = "5000"
            }
            period_seconds = 10
          }
          volume_mount {
            name       = "data"
            mount_path = "/mlflow"
          }
        }
        volume {
          name = "data"
          persistent_volume_claim {
            claim_name = kubernetes_persistent_volume_claim.mlflow.metadata[0].name
          }
        }
      }
    }
  }
}

resource "kubernetes_service" "mlflow" {
  metadata {
    name      = "mlflow"
    namespace = kubernetes_namespace.ml.metadata[0].name
  }
  spec {
    selector = {
      app = "mlflow"
    }
    port {
      name        = "http"
      port        = 5000
      target_port = "http"
    }
  }
}

output "registry_url" {
  value = "http://${kubernetes_service.mlflow.metadata[0].name}.${local.namespace}:5000"
}
