# The platform's shared pieces in the team's namespace: scheduling priorities and default
# container sizes.

variable "psi_threshold" {
  type        = number
  default     = 0.2
  description = "Population Stability Index above which the drift monitor flags a feature."
  validation {
    condition     = var.psi_threshold > 0
    error_message = "psi_threshold must be positive (0.1 is a small shift, 0.2 a significant one)."
  }
}

variable "ks_p_value" {
  type        = number
  default     = 0.05
  description = "Kolmogorov-Smirnov p-value below which the drift monitor flags a feature."
  validation {
    condition     = var.ks_p_value > 0 && var.ks_p_value < 1
    error_message = "ks_p_value is a probability: between 0 and 1, exclusive."
  }
}

variable "kserve" {
  type        = bool
  default     = true
  description = "Also serve the model as a KServe InferenceService."
}

variable "install_kserve_crd" {
  type        = bool
  default     = true
  description = "Apply the InferenceService CRD (crds/). It is cluster-wide: one environment per cluster owns it, the others set false."
}

# Serving pods preempt training pods when the cluster is full, never the other way round.
resource "kubernetes_priority_class" "serving" {
  metadata {
    name = "${local.namespace}-serving"
  }
  value       = 100000
  description = "Online inference of ${local.namespace}: preempts training."
}

resource "kubernetes_priority_class" "training" {
  metadata {
    name = "${local.namespace}-training"
  }
  value             = 1000
  description       = "Batch training of ${local.namespace}: waits for serving."
  preemption_policy = "Never"
}

# Containers that declare no size get a modest one. (No `max` for GPUs: a LimitRange's max is also
# the default limit of a container that sets none, so every pod would claim the whole quota.)
resource "kubernetes_limit_range" "defaults" {
  metadata {
    name      = "container-defaults"
    namespace = kubernetes_namespace.ml.metadata[0].name
  }
  spec {
    limit {
      type = "Container"
      default_request = {
        cpu    = "250m"
        memory = "512Mi"
      }
      default = {
        cpu    = "1"
        memory = "1Gi"
      }
    }
  }
}
