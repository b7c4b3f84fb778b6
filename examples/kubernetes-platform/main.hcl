# An ML team's namespace on a Kubernetes cluster, with least-privilege identities:
# - a namespace per environment with a GPU quota,
# - the model registry's token as a Secret (from a secret source: never in state or plans),
# - the serving workload's configuration as a ConfigMap,
# - one service account per workload, each bound to a Role that names exactly the objects it
#   reads (resource_names), so `plinth validate` has no wildcard to warn about.

variable "gpu_quota" {
  type        = number
  default     = 8
  description = "GPUs the namespace may request."
}

variable "model_name" {
  type    = string
  default = "churn"
}

provider "kubernetes" {
  # The kubeconfig chain: KUBECONFIG, else ~/.kube/config, else the in-cluster account.
  # config_context = "my-cluster"
}

locals {
  namespace = "ml-${env.name}"
}

resource "kubernetes_namespace" "ml" {
  metadata {
    name = local.namespace
    labels = {
      "plinth.dev/environment" = env.name
    }
  }
}

resource "kubernetes_resource_quota" "gpus" {
  metadata {
    name      = "gpu-quota"
    namespace = kubernetes_namespace.ml.metadata[0].name
  }
  spec {
    hard = {
      "requests.nvidia.com/gpu" = tostring(var.gpu_quota)
    }
  }
}

resource "kubernetes_secret" "registry" {
  metadata {
    name      = "model-registry-token"
    namespace = kubernetes_namespace.ml.metadata[0].name
  }
  data = {
    token = secret("env:MODEL_REGISTRY_TOKEN")
  }
}

resource "kubernetes_config_map" "serving" {
  metadata {
    name      = "serving-config"
    namespace = kubernetes_namespace.ml.metadata[0].name
  }
  data = {
    MODEL_NAME     = var.model_name
    MAX_BATCH_SIZE = "32"
  }
}

# The serving workload's identity: it may read its own config map and the registry token, and
# nothing else.
resource "kubernetes_service_account" "serving" {
  metadata {
    name      = "serving"
    namespace = kubernetes_namespace.ml.metadata[0].name
  }
  automount_service_account_token = true
}

resource "kubernetes_role" "serving" {
  metadata {
    name      = "serving"
    namespace = kubernetes_namespace.ml.metadata[0].name
  }
  rule {
    api_groups     = [""]
    resources      = ["configmaps"]
    resource_names = [kubernetes_config_map.serving.metadata[0].name]
    verbs          = ["get", "watch"]
  }
  rule {
    api_groups     = [""]
    resources      = ["secrets"]
    resource_names = [kubernetes_secret.registry.metadata[0].name]
    verbs          = ["get"]
  }
}

resource "kubernetes_role_binding" "serving" {
  metadata {
    name      = "serving"
    namespace = kubernetes_namespace.ml.metadata[0].name
  }
  role_ref {
    kind = "Role"
    name = kubernetes_role.serving.metadata[0].name
  }
  subject {
    kind      = "ServiceAccount"
    name      = kubernetes_service_account.serving.metadata[0].name
    namespace = kubernetes_namespace.ml.metadata[0].name
  }
}

# The training workload does not call the Kubernetes API at all: its own account, no token.
resource "kubernetes_service_account" "training" {
  metadata {
    name      = "training"
    namespace = kubernetes_namespace.ml.metadata[0].name
  }
  automount_service_account_token = false
}

output "namespace" {
  value = kubernetes_namespace.ml.metadata[0].name
}
