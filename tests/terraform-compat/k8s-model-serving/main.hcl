# A model server on Kubernetes whose ports and environment come from variables (nested dynamic
# blocks), an existing namespace adopted with an import block, and a check that the namespace
# still carries its team label.

variable "namespace" {
  type    = string
  default = "serving"
}

variable "ports" {
  type = map(number)
  default = {
    http    = 8080
    grpc    = 8081
    metrics = 9090
  }
}

variable "containers" {
  type = list(object({
    name  = string
    image = string
    env   = optional(map(string), {})
  }))
  default = [
    { name = "model", image = "registry.example.com/churn-serving:3.0.1", env = { MODEL_NAME = "churn", LOG_LEVEL = "info" } },
    { name = "sidecar", image = "registry.example.com/metrics-exporter:1.2.0" },
  ]
}

provider "kubernetes" {}

import {
  to = kubernetes_namespace.serving
  id = var.namespace
}

resource "kubernetes_namespace" "serving" {
  metadata {
    name   = var.namespace
    labels = { team = "ml-platform" }
  }
}

resource "kubernetes_config_map" "model" {
  metadata {
    name      = "churn-config"
    namespace = kubernetes_namespace.serving.metadata[0].name
  }
  data = {
    MAX_BATCH_SIZE = "32"
  }
}

resource "kubernetes_deployment" "model" {
  metadata {
    name      = "churn"
    namespace = kubernetes_namespace.serving.metadata[0].name
  }
  spec {
    replicas = 2
    selector {
      match_labels = { app = "churn" }
    }
    template {
      metadata {
        labels = { app = "churn" }
      }
      spec {
        dynamic "container" {
          for_each = var.containers
          content {
            name  = container.value.name
            image = container.value.image
            dynamic "port" {
              for_each = container.value.name == "model" ? var.ports : {}
              content {
                name           = port.key
                container_port = port.value
              }
            }
            dynamic "env" {
              for_each = container.value.env
              content {
                name  = env.key
                value = env.value
              }
            }
          }
        }
      }
    }
  }
  lifecycle {
    # New settings roll out as a fresh deployment.
    replace_triggered_by = [kubernetes_config_map.model.data]
  }
}

check "namespace_has_team_label" {
  data "kubernetes_namespace" "current" {
    metadata {
      name = var.namespace
    }
  }
  assert {
    condition     = lookup(data.kubernetes_namespace.current.metadata[0].labels, "team", "") == "ml-platform"
    error_message = "The serving namespace lost its team label."
  }
}
