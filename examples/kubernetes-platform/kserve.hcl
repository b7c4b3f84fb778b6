# The same model served the KServe way: an InferenceService, a custom resource. Its CRD (trimmed
# to the fields used here, crds/inferenceservice.yaml) is applied by this configuration too; the
# InferenceService depends on it, so one apply establishes the CRD before creating the object.
# On a cluster that runs KServe, drop the CRD resource and the depends_on (KServe installs its
# own, complete CRD), or set install_kserve_crd = false. `--var kserve=false` leaves both out.

resource "kubernetes_manifest" "inferenceservice_crd" {
  count    = var.kserve && var.install_kserve_crd ? 1 : 0
  manifest = yamldecode(file("${path.module}/crds/inferenceservice.yaml"))
}

resource "kubernetes_manifest" "churn" {
  count = var.kserve ? 1 : 0
  manifest = {
    apiVersion = "serving.kserve.io/v1beta1"
    kind       = "InferenceService"
    metadata = {
      name      = "churn"
      namespace = kubernetes_namespace.ml.metadata[0].name
    }
    spec = {
      predictor = {
        serviceAccountName = kubernetes_service_account.serving.metadata[0].name
        minReplicas        = var.min_replicas
        model = {
          modelFormat = {
            name = "sklearn"
          }
          storageUri = "s3://models/${var.model_name}/production"
        }
      }
    }
  }
  depends_on = [kubernetes_manifest.inferenceservice_crd]
}
