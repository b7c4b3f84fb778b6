# training-pipeline on the local platform: a pipeline spec (YAML) that a local runner picks up:
# extract from the feature store, train on the cluster, the validation gate, then register.

locals {
  full_name = "${var.name}-${env.name}"
  tags      = merge(var.tags, { name = var.name, environment = env.name })
}

resource "local_file" "pipeline" {
  path = "${var.sandbox_dir}/${env.name}/pipelines/${var.name}.yaml"
  content = yamlencode({
    pipeline = local.full_name
    schedule = var.schedule
    steps = [
      { name = "extract", feature_store = var.feature_store },
      { name = "train", cluster = var.cluster, image = var.image, command = var.command },
      {
        name              = "gate"
        metric            = var.gate.metric
        threshold         = var.gate.threshold
        margin            = var.gate.margin
        greater_is_better = var.gate.greater_is_better
        # The margin is over the registry's current model (its champion alias).
        baseline = var.gate.margin == null ? null : "${var.registry}#champion"
      },
      { name = "register", registry = var.registry, only_if = "gate" },
    ]
    tags = local.tags
  })
}
