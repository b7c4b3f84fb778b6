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
              config_map