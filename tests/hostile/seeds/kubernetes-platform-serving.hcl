# The serving endpoint: the model behind a Service, scaled on CPU between min_replicas and
# max_replicas, never below one ready pod during node maintenance, and reachable only from the
# ingress controller (least privilege on the network).

variable "serving_image" {
  type    = string
  default = "registry.example.com/ml/churn-serving:3.0.1"
}

variable "min_replicas" {
  type    = number
  default = 2
}

variable "max_replicas" {
  type    = number
  default = 10
}

variable "ingress_namespace" {
  type        = string
  default     = "ingress-nginx"
  description = "Namespace of the ingress controller, the only client the serving pods accept."
}

locals {
  serving_labels = {
    app                           = "churn-serving"
    "app.kubernetes.io/component" = "serving"
  }
}

resource "kubernetes_deployment" "serving" {
  metadata {
    name      = "churn-serving"
    namespace = kubernetes_namespace.ml.metadata[0].name
    labels    = local.serving_labels
  }
  spec {
    replicas = var.min_replicas
    selector {
      match_labels = local.serving_labels
    }
    strategy {
      type = "RollingUpdate"
      rolling_update {
        max_surge       = "25%"
        max_unavailable = "0"
      }
    }
    template {
      metadata {
        labels = local.serving_labels
      }
      spec {
        service_account_name = kubernetes_service_account.serving.metadata[0].name
        priority_class_name  = kubernetes_priority_class.serving.metadata[0].name
        container {
          name  = "model"
          image = var.serving_image
          port {
            name           = "http"
            container_port = 8080
          }
          env {
            name  = "MODEL_REGISTRY_URI"
            value = "http://mlflow.${local.namespace}:5000"
          }
          env {
            name = "MODEL_NAME"
            value_from {
              config_map_key_ref {
                name = kubernetes_config_map.serving.metadata[0].name
                key  = "MODEL_NAME"
              }
            }
          }
          env {
            name = "MODEL_REGISTRY_TOKEN"
            value_from {
              secret_key_ref {
                name = kubernetes_secret.registry.metadata[0].name
                key  = "token"
              }
            }
          }
          resources {
            requests = {
              cpu    = "0.5"
              memory = "1Gi"
            }
            limits = {
              cpu    = "2"
              memory = "2Gi"
            }
          }
          readiness_probe {
            http_get {
              path = "/v2/health/ready"
              port = "8080"
            }
          }
        }
      }
    }
  }
}

resource "kubernetes_service" "serving" {
  metadata {
    name      = "churn-serving"
    namespace = kubernetes_namespace.ml.metadata[0].name
  }
  spec {
    selector = local.serving_labels
    port {
      name        = "http"
      port        = 80
      target_port = "8080"
    }
  }
}

resource "kubernetes_horizontal_pod_autoscaler_v2" "serving" {
  metadata {
    name      = "churn-serving"
    namespace = kubernetes_namespace.ml.metadata[0].name
  }
  spec {
    min_replicas = var.min_replicas
    max_replicas = var.max_replicas
    scale_target_ref {
      api_version = "apps/v1"
      kind        = "Deployment"
      name        = kubernetes_deployment.serving.metadata[0].name
    }
    metric {
      type = "Resource"
      resource {
        name = "cpu"
        target {
          type                = "Utilization"
          average_utilization = 70
        }
      }
    }
  }
}

resource "kubernetes_pod_disruption_budget" "serving" {
  metadata {
    name      = "churn-serving"
    namespace = kubernetes_namespace.ml.metadata[0].name
  }
  spec {
    min_available = "1"
    selector {
      match_labels = local.serving_labels
    }
  }
}

resource "kubernetes_network_policy" "serving" {
  metadata {
    name      = "churn-serving-ingress-only"
    namespace = kubernetes_namespace.ml.metadata[0].name
  }
  spec {
    pod_selector {
      match_labels = local.serving_labels
    }
    policy_types = ["Ingress"]
    ingress {
      from {
        namespace_selector {
          match_labels = {
            "kubernetes.io/metadata.name" = var.ingress_namespace
          }
        }
      }
      ports {
        port     = "8080"
        protocol = "TCP"
      }
    }
  }
}
