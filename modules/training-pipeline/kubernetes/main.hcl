# training-pipeline on Kubernetes: a CronJob in the gpu-cluster's namespace whose Job runs the
# training image as an init container (on one GPU node: the cluster's node selector, its GPUs per
# node, its PriorityClass, the GPU taint tolerated) and then the gate (gate.py, from a ConfigMap),
# which registers the model only when it passes. The two share an emptyDir at /work: training
# writes metrics.json and run_id there (the contract is in gate.py). With no schedule the CronJob
# is suspended and runs only when triggered: by a drift-monitor (which creates a Job from it) or
# `kubectl create job --from=cronjob/NAME`.
#
# The pods run under their own service account, with no role and no API token. The `id` is
# "NAMESPACE/CRONJOB", what a drift-monitor's role is scoped to.

locals {
  full_name = "${var.name}-${env.name}"
  labels    = merge(var.tags, { name = var.name, environment = env.name })
  # The gpu-cluster's id: NAMESPACE/GPU_PRODUCT/GPUS_PER_NODE.
  cluster   = split("/", var.cluster)
  namespace = local.cluster[0]
  product   = try(local.cluster[1], "")
  gpus      = try(local.cluster[2], "1")
  # The feature-store's id: URL#PROJECT; the model-registry's: TRACKING_URI#MODEL.
  features = split("#", var.feature_store)
  registry = split("#", var.registry)
  gate_env = {
    GATE_METRIC            = var.gate.metric
    GATE_THRESHOLD         = var.gate.threshold == null ? "" : tostring(var.gate.threshold)
    GATE_MARGIN            = var.gate.margin == null ? "" : tostring(var.gate.margin)
    GATE_GREATER_IS_BETTER = tostring(var.gate.greater_is_better)
  }
  common_env = {
    FEATURE_SERVER_URL  = local.features[0]
    FEAST_PROJECT       = try(local.features[1], "")
    MLFLOW_TRACKING_URI = local.registry[0]
    REGISTERED_MODEL    = try(local.registry[1], "")
    OUTPUT_DIR          = "/work"
  }
}

resource "kubernetes_service_account" "training" {
  metadata {
    name      = local.full_name
    namespace = local.namespace
    labels    = local.labels
  }
  automount_service_account_token = false
}

resource "kubernetes_config_map" "gate" {
  metadata {
    name      = "${local.full_name}-gate"
    namespace = local.namespace
    labels    = local.labels
  }
  data = {
    "gate.py" = file("${path.module}/gate.py")
  }
}

resource "kubernetes_cron_job" "training" {
  metadata {
    name      = local.full_name
    namespace = local.namespace
    labels    = local.labels
  }
  spec {
    schedule                      = coalesce(var.schedule, "0 0 1 1 *")
    suspend                       = var.schedule == null
    concurrency_policy            = "Forbid"
    successful_jobs_history_limit = 3
    failed_jobs_history_limit     = 3
    job_template {
      metadata {
        labels = local.labels
      }
      spec {
        backoff_limit              = var.backoff_limit
        ttl_seconds_after_finished = 604800
        template {
          metadata {
            labels = merge(local.labels, { app = local.full_name })
          }
          spec {
            service_account_name            = kubernetes_service_account.training.metadata[0].name
            automount_service_account_token = false
            priority_class_name             = local.namespace
            restart_policy                  = "Never"
            node_selector                   = local.product == "" ? null : { "nvidia.com/gpu.product" = local.product }
            init_container {
              name    = "train"
              image   = var.image
              command = length(var.command) == 0 ? null : var.command
              dynamic "env" {
                for_each = { for k, v in local.common_env : k => v if v != "" }
                content {
                  name  = env.key
                  value = env.value
                }
              }
              resources {
                requests = {
                  cpu              = var.resources.cpu
                  memory           = var.resources.memory
                  "nvidia.com/gpu" = local.gpus
                }
                limits = {
                  cpu              = var.resources.cpu
                  memory           = var.resources.memory
                  "nvidia.com/gpu" = local.gpus
                }
              }
              volume_mount {
                name       = "work"
                mount_path = "/work"
              }
            }
            container {
              name    = "gate"
              image   = var.gate_image
              command = ["python3", "/gate/gate.py"]
              dynamic "env" {
                # An input left unset is not passed at all (the scripts read a missing variable as unset).
                for_each = { for k, v in merge(local.common_env, local.gate_env) : k => v if v != "" }
                content {
                  name  = env.key
                  value = env.value
                }
              }
              resources {
                requests = {
                  cpu    = "100m"
                  memory = "128Mi"
                }
                limits = {
                  cpu    = "500m"
                  memory = "256Mi"
                }
              }
              volume_mount {
                name       = "work"
                mount_path = "/work"
              }
              volume_mount {
                name       = "gate"
                mount_path = "/gate"
                read_only  = true
              }
            }
            toleration {
              key      = "nvidia.com/gpu"
              operator = "Exists"
              effect   = "NoSchedule"
            }
            volume {
              name = "work"
              empty_dir {}
            }
            volume {
              name = "gate"
              config_map {
                name = kubernetes_config_map.gate.metadata[0].name
              }
            }
          }
        }
      }
    }
  }
}
