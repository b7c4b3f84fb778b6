# model-registry on Kubernetes: an MLflow tracking server (its model registry holds the model
# "<name>-<env.name>"), with the backend store (SQLite) and the artifacts on a persistent volume,
# behind a Service at http://<name>-<env.name>.<namespace>.svc.cluster.local:5000. One replica
# and the Recreate strategy: one writer at a time on a ReadWriteOnce volume. The server runs under
# its own service account, with no Kubernetes role and no API token.
#
# With `register_model`, the registered model itself is made here too (mlflow_registered_model,
# through the root module's default `provider "mlflow"`: modules inherit it), once the server
# has rolled out; without it nothing here uses the MLflow provider.
#
# The `id` packs the tracking URI and the registered model's name: "TRACKING_URI#MODEL".

locals {
  full_name = "${var.name}-${env.name}"
  labels    = merge(var.tags, { name = var.name, environment = env.name })
  selector  = { app = local.full_name }
  tracking  = "http://${local.full_name}.${var.namespace}.svc.cluster.local:5000"
}

resource "kubernetes_service_account" "registry" {
  metadata {
    name      = local.full_name
    namespace = var.namespace
    labels    = local.labels
  }
  automount_service_account_token = false
}

resource "kubernetes_persistent_volume_claim" "data" {
  metadata {
    name        = local.full_name
    namespace   = var.namespace
    labels      = local.labels
    annotations = var.description == "" ? {} : { "plinth.dev/description" = var.description }
  }
  spec {
    access_modes       = ["ReadWriteOnce"]
    storage_class_name = var.storage_class
    resources {
      requests = {
        storage = var.storage
      }
    }
  }
  # A class that binds on first use (WaitForFirstConsumer) binds when the server's pod is
  # scheduled; the Deployment's rollout is the wait.
  wait_until_bound = false
}

resource "kubernetes_deployment" "server" {
  metadata {
    name      = local.full_name
    namespace = var.namespace
    labels    = local.labels
  }
  spec {
    replicas = 1
    selector {
      match_labels = local.selector
    }
    strategy {
      type = "Recreate"
    }
    template {
      metadata {
        labels = merge(local.labels, local.selector)
      }
      spec {
        service_account_name            = kubernetes_service_account.registry.metadata[0].name
        automount_service_account_token = false
        container {
          name    = "mlflow"
          image   = var.image
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
              cpu    = "1"
              memory = "2Gi"
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
            claim_name = kubernetes_persistent_volume_claim.data.metadata[0].name
          }
        }
      }
    }
  }
}

resource "kubernetes_service" "server" {
  metadata {
    name      = local.full_name
    namespace = var.namespace
    labels    = local.labels
  }
  spec {
    selector = local.selector
    port {
      name        = "http"
      port        = 5000
      target_port = "http"
    }
  }
}

# The registered model, when asked for: the provider's tracking_uri is where Plinth reaches this
# server (a port-forward or an ingress), not the in-cluster URI above.
resource "mlflow_registered_model" "model" {
  count       = var.register_model ? 1 : 0
  name        = local.full_name
  description = var.description == "" ? null : var.description
  tags        = local.labels
  depends_on  = [kubernetes_deployment.server, kubernetes_service.server]
}
