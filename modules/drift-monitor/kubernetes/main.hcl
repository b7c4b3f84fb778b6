# drift-monitor on Kubernetes: a CronJob that, on the schedule, runs drift.py (from a ConfigMap):
# PSI and the Kolmogorov-Smirnov test (chi-square for a categorical feature) per feature of the
# current sample against the baseline, the same figures as the local platform's
# local_distribution_drift. When a feature is over a threshold it creates a Job from the
# training CronJob (the pipeline's id, "NAMESPACE/CRONJOB"), the retraining.
#
# Its service account's Role allows exactly that and nothing else: `get` on that one CronJob
# and `create` on Jobs (a create cannot be limited by name). A sample given as
# "pvc://CLAIM/PATH" (a serving-endpoint's capture_uri) is read from that claim, mounted
# read-only; an http(s):// URL is downloaded; any other value is a path in the image.
#
# The figures are the job's output (its log), so the `figures`, `drifted_features` and
# `drift_message` outputs are empty: Plinth does not measure while planning on this platform.

locals {
  full_name = "${var.name}-${env.name}"
  labels    = merge(var.tags, { name = var.name, environment = env.name })
  pipeline  = split("/", var.pipeline)
  cronjob   = local.pipeline[length(local.pipeline) - 1]
  namespace = coalesce(var.namespace, length(local.pipeline) > 1 ? local.pipeline[0] : "default")
  samples = {
    for role, uri in { baseline = var.baseline, current = var.current } : role => (
      startswith(uri, "pvc://")
      ? { claim = split("/", trimprefix(uri, "pvc://"))[0], path = "/samples/${trimprefix(uri, "pvc://")}" }
      : { claim = null, path = uri }
    )
  }
  claims = distinct([for s in values(local.samples) : s.claim if s.claim != null])
  env = {
    BASELINE      = local.samples.baseline.path
    CURRENT       = local.samples.current.path
    FEATURES      = jsonencode(var.features)
    PSI_THRESHOLD = tostring(var.psi_threshold)
    KS_P_VALUE    = tostring(var.ks_p_value)
    NAMESPACE     = local.pipeline[0]
    CRONJOB       = local.cronjob
    ENDPOINT      = var.endpoint
  }
}

resource "kubernetes_service_account" "monitor" {
  metadata {
    name      = local.full_name
    namespace = local.namespace
    labels    = local.labels
  }
  automount_service_account_token = true
}

resource "kubernetes_role" "trigger" {
  metadata {
    name      = local.full_name
    namespace = local.pipeline[0]
    labels    = local.labels
  }
  rule {
    api_groups     = ["batch"]
    resources      = ["cronjobs"]
    resource_names = [local.cronjob]
    verbs          = ["get"]
  }
  rule {
    api_groups = ["batch"]
    resources  = ["jobs"]
    verbs      = ["create"]
  }
}

resource "kubernetes_role_binding" "trigger" {
  metadata {
    name      = local.full_name
    namespace = local.pipeline[0]
    labels    = local.labels
  }
  role_ref {
    kind = "Role"
    name = kubernetes_role.trigger.metadata[0].name
  }
  subject {
    kind      = "ServiceAccount"
    name      = kubernetes_service_account.monitor.metadata[0].name
    namespace = local.namespace
  }
}

resource "kubernetes_config_map" "check" {
  metadata {
    name      = "${local.full_name}-check"
    namespace = local.namespace
    labels    = local.labels
  }
  data = {
    "drift.py" = file("${path.module}/drift.py")
  }
}

resource "kubernetes_cron_job" "monitor" {
  metadata {
    name      = local.full_name
    namespace = local.namespace
    labels    = local.labels
  }
  spec {
    schedule                      = var.schedule
    concurrency_policy            = "Forbid"
    successful_jobs_history_limit = 3
    failed_jobs_history_limit     = 3
    job_template {
      metadata {
        labels = local.labels
      }
      spec {
        backoff_limit              = 1
        ttl_seconds_after_finished = 86400
        template {
          metadata {
            labels = merge(local.labels, { app = local.full_name })
          }
          spec {
            service_account_name = kubernetes_service_account.monitor.metadata[0].name
            restart_policy       = "Never"
            container {
              name    = "check"
              image   = var.image
              command = ["sh", "-c", "python3 -c 'import numpy, scipy' 2>/dev/null || pip install --quiet --no-cache-dir numpy scipy; exec python3 /check/drift.py"]
              dynamic "env" {
                for_each = local.env
                content {
                  name  = env.key
                  value = env.value
                }
              }
              resources {
                requests = {
                  cpu    = "250m"
                  memory = "512Mi"
                }
                limits = {
                  cpu    = "1"
                  memory = "1Gi"
                }
              }
              volume_mount {
                name       = "check"
                mount_path = "/check"
                read_only  = true
              }
              dynamic "volume_mount" {
                for_each = local.claims
                content {
                  name       = "sample-${volume_mount.key}"
                  mount_path = "/samples/${volume_mount.value}"
                  read_only  = true
                }
              }
            }
            volume {
              name = "check"
              config_map {
                name = kubernetes_config_map.check.metadata[0].name
              }
            }
            dynamic "volume" {
              for_each = local.claims
              content {
                name = "sample-${volume.key}"
                persistent_volume_claim {
                  claim_name = volume.value
                  read_only  = true
                }
              }
            }
          }
        }
      }
    }
  }
}
