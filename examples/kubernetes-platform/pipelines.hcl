# The automated pipelines: a nightly training run on one GPU (at training priority, under the
# namespace's GPU quota) that registers a candidate in MLflow, and an hourly drift monitor that
# compares live features with the training data and triggers retraining when the Population
# Stability Index exceeds psi_threshold or the Kolmogorov-Smirnov p-value falls below ks_p_value.

variable "training_image" {
  type    = string
  default = "registry.example.com/ml/churn-train:3.0.1"
}

variable "drift_image" {
  type    = string
  default = "registry.example.com/ml/drift-monitor:1.4.0"
}

resource "kubernetes_cron_job" "training" {
  metadata {
    name      = "churn-training"
    namespace = kubernetes_namespace.ml.metadata[0].name
  }
  spec {
    schedule                      = "0 2 * * *"
    concurrency_policy            = "Forbid"
    successful_jobs_history_limit = 3
    failed_jobs_history_limit     = 3
    job_template {
      metadata {
        labels = {
          app = "churn-training"
        }
      }
      spec {
        backoff_limit              = 2
        ttl_seconds_after_finished = 86400
        template {
          metadata {
            labels = {
              app = "churn-training"
            }
          }
          spec {
            service_account_name = kubernetes_service_account.training.metadata[0].name
            priority_class_name  = kubernetes_priority_class.training.metadata[0].name
            restart_policy       = "Never"
            container {
              name  = "train"
              image = var.training_image
              args  = ["--model", var.model_name, "--register-to", "http://mlflow.${local.namespace}:5000"]
              resources {
                requests = {
                  cpu              = "4"
                  memory           = "16Gi"
                  "nvidia.com/gpu" = "1"
                }
                limits = {
                  cpu              = "8"
                  memory           = "32Gi"
                  "nvidia.com/gpu" = "1"
                }
              }
            }
            toleration {
              key      = "nvidia.com/gpu"
              operator = "Exists"
              effect   = "NoSchedule"
            }
          }
        }
      }
    }
  }
}

resource "kubernetes_cron_job" "drift" {
  metadata {
    name      = "churn-drift-monitor"
    namespace = kubernetes_namespace.ml.metadata[0].name
  }
  spec {
    schedule           = "0 * * * *"
    concurrency_policy = "Replace"
    job_template {
      metadata {
        labels = {
          app = "churn-drift-monitor"
        }
      }
      spec {
        backoff_limit = 1
        template {
          metadata {
            labels = {
              app = "churn-drift-monitor"
            }
          }
          spec {
            service_account_name = kubernetes_service_account.drift.metadata[0].name
            restart_policy       = "Never"
            container {
              name  = "monitor"
              image = var.drift_image
              args = [
                "--model", var.model_name,
                "--registry", "http://mlflow.${local.namespace}:5000",
                "--psi-threshold", tostring(var.psi_threshold),
                "--ks-p-value", tostring(var.ks_p_value),
                "--on-drift", "trigger-cronjob/${local.namespace}/churn-training",
              ]
              env {
                name  = "PSI_THRESHOLD"
                value = tostring(var.psi_threshold)
              }
              env {
                name  = "KS_P_VALUE"
                value = tostring(var.ks_p_value)
              }
              resources {
                requests = {
                  cpu    = "250m"
                  memory = "512Mi"
                }
              }
            }
          }
        }
      }
    }
  }
}

# The drift monitor's identity: on drift it starts a training run from the training CronJob, so
# it may read that one CronJob and create Jobs, nothing else.
resource "kubernetes_service_account" "drift" {
  metadata {
    name      = "drift-monitor"
    namespace = kubernetes_namespace.ml.metadata[0].name
  }
  automount_service_account_token = true
}

resource "kubernetes_role" "drift" {
  metadata {
    name      = "drift-monitor"
    namespace = kubernetes_namespace.ml.metadata[0].name
  }
  rule {
    api_groups     = ["batch"]
    resources      = ["cronjobs"]
    resource_names = [kubernetes_cron_job.training.metadata[0].name]
    verbs          = ["get"]
  }
  rule {
    api_groups = ["batch"]
    resources  = ["jobs"]
    verbs      = ["create"]
  }
}

resource "kubernetes_role_binding" "drift" {
  metadata {
    name      = "drift-monitor"
    namespace = kubernetes_namespace.ml.metadata[0].name
  }
  role_ref {
    kind = "Role"
    name = kubernetes_role.drift.metadata[0].name
  }
  subject {
    kind      = "ServiceAccount"
    name      = kubernetes_service_account.drift.metadata[0].name
    namespace = kubernetes_namespace.ml.metadata[0].name
  }
}
