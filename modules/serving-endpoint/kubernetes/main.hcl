# serving-endpoint on Kubernetes. With engine = "deployment": a Deployment of the serving image
# (replicas left to a HorizontalPodAutoscaler between instance_count and max_instance_count on
# CPU), a Service on port 80, a PodDisruptionBudget that lets a node drain take at most one pod at
# a time, and a NetworkPolicy that admits only the endpoint's own namespace and
# allowed_namespaces, on the serving port. With engine = "kserve": a KServe InferenceService
# running the same container. Either way the pods run under their own service account with no
# role and no API token, and get the model to serve and where to capture request inputs from the
# environment:
#   MLFLOW_TRACKING_URI, MODEL_URI (models:/MODEL@ALIAS), CAPTURE_PATH, CAPTURE_PERCENT.
# Captures go to a ReadWriteMany claim; `capture_uri` is "pvc://CLAIM/capture.csv", which a
# drift-monitor in the same namespace mounts.

locals {
  full_name = "${var.name}-${env.name}"
  labels    = merge(var.tags, { name = var.name, environment = env.name })
  selector  = { app = local.full_name }
  deploy    = var.engine == "deployment"
  # The model-registry's id: TRACKING_URI#MODEL.
  registry = split("#", var.registry)
  host     = "${local.full_name}.${var.namespace}.svc.cluster.local"
  env = {
    MLFLOW_TRACKING_URI = local.registry[0]
    MODEL_URI           = "models:/${try(local.registry[1], local.full_name)}@${var.model_alias}"
    CAPTURE_PATH        = "/capture/capture.csv"
    CAPTURE_PERCENT     = tostring(var.capture_percent)
  }
  limits = {
    cpu    = can(regex("m$", var.resources.cpu)) ? "${2 * tonumber(trimsuffix(var.resources.cpu, "m"))}m" : tostring(2 * tonumber(var.resources.cpu))
    memory = var.resources.memory
  }
}

resource "kubernetes_service_account" "serving" {
  metadata {
    name      = local.full_name
    namespace = var.namespace
    labels    = local.labels
  }
  automount_service_account_token = false
}

resource "kubernetes_persistent_volume_claim" "capture" {
  metadata {
    name      = "${local.full_name}-capture"
    namespace = var.namespace
    labels    = local.labels
  }
  spec {
    access_modes       = ["ReadWriteMany"]
    storage_class_name = var.storage_class
    resources {
      requests = {
        storage = var.capture_storage
      }
    }
  }
  wait_until_bound = false
}

resource "kubernetes_deployment" "serving" {
  count = local.deploy ? 1 : 0
  metadata {
    name      = local.full_name
    namespace = var.namespace
    labels    = local.labels
  }
  spec {
    selector {
      match_labels = local.selector
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
        labels = merge(local.labels, local.selector)
      }
      spec {
        service_account_name            = kubernetes_service_account.serving.metadata[0].name
        automount_service_account_token = false
        container {
          name  = "model"
          image = var.image
          port {
            name           = "http"
            container_port = 8080
          }
          dynamic "env" {
            for_each = local.env
            content {
              name  = env.key
              value = env.value
            }
          }
          resources {
            requests = var.resources
            limits   = local.limits
          }
          readiness_probe {
            http_get {
              path = "/v2/health/ready"
              port = "8080"
            }
          }
          volume_mount {
            name       = "capture"
            mount_path = "/capture"
          }
        }
        volume {
          name = "capture"
          persistent_volume_claim {
            claim_name = kubernetes_persistent_volume_claim.capture.metadata[0].name
          }
        }
      }
    }
  }
}

resource "kubernetes_service" "serving" {
  count = local.deploy ? 1 : 0
  metadata {
    name      = local.full_name
    namespace = var.namespace
    labels    = local.labels
  }
  spec {
    selector = local.selector
    port {
      name        = "http"
      port        = 80
      target_port = "8080"
    }
  }
}

resource "kubernetes_horizontal_pod_autoscaler_v2" "serving" {
  count = local.deploy ? 1 : 0
  metadata {
    name      = local.full_name
    namespace = var.namespace
    labels    = local.labels
  }
  spec {
    min_replicas = var.instance_count
    max_replicas = var.max_instance_count
    scale_target_ref {
      api_version = "apps/v1"
      kind        = "Deployment"
      name        = kubernetes_deployment.serving[0].metadata[0].name
    }
    metric {
      type = "Resource"
      resource {
        name = "cpu"
        target {
          type                = "Utilization"
          average_utilization = var.cpu_target
        }
      }
    }
  }

  lifecycle {
    precondition {
      condition     = var.max_instance_count >= var.instance_count
      error_message = "max_instance_count (${var.max_instance_count}) is less than instance_count (${var.instance_count})."
    }
  }
}

# At most one pod taken away at a time by a node drain, however few there are.
resource "kubernetes_pod_disruption_budget" "serving" {
  count = local.deploy ? 1 : 0
  metadata {
    name      = local.full_name
    namespace = var.namespace
    labels    = local.labels
  }
  spec {
    max_unavailable = "1"
    selector {
      match_labels = local.selector
    }
  }
}

resource "kubernetes_network_policy" "serving" {
  count = local.deploy ? 1 : 0
  metadata {
    name      = local.full_name
    namespace = var.namespace
    labels    = local.labels
  }
  spec {
    pod_selector {
      match_labels = local.selector
    }
    policy_types = ["Ingress"]
    ingress {
      from {
        pod_selector {}
      }
      dynamic "from" {
        for_each = var.allowed_namespaces
        content {
          namespace_selector {
            match_labels = { "kubernetes.io/metadata.name" = from.value }
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

resource "kubernetes_manifest" "inference_service" {
  count = local.deploy ? 0 : 1
  manifest = {
    apiVersion = "serving.kserve.io/v1beta1"
    kind       = "InferenceService"
    metadata = {
      name      = local.full_name
      namespace = var.namespace
      labels    = local.labels
    }
    spec = {
      predictor = {
        serviceAccountName = kubernetes_service_account.serving.metadata[0].name
        minReplicas        = var.instance_count
        maxReplicas        = var.max_instance_count
        containers = [{
          name  = "kserve-container"
          image = var.image
          env   = [for k, v in local.env : { name = k, value = v }]
          resources = {
            requests = var.resources
            limits   = local.limits
          }
          volumeMounts = [{ name = "capture", mountPath = "/capture" }]
        }]
        volumes = [{
          name                  = "capture"
          persistentVolumeClaim = { claimName = kubernetes_persistent_volume_claim.capture.metadata[0].name }
        }]
      }
    }
  }

  lifecycle {
    precondition {
      condition     = var.max_instance_count >= var.instance_count
      error_message = "max_instance_count (${var.max_instance_count}) is less than instance_count (${var.instance_count})."
    }
  }
}
