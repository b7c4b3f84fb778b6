# drift-monitor on the local platform: a monitor spec (JSON), plus a live measurement of the
# current sample against the baseline (local_distribution_drift) on every plan and `plinth
# drift`. The per-feature figures and the drifted features are outputs, and the module's own
# `check` block asserts the thresholds, so that `plinth drift` exits 2 on data drift: see
# modules/drift-monitor/local/README.md.

locals {
  full_name = "${var.name}-${env.name}"
  tags      = merge(var.tags, { name = var.name, environment = env.name })
  # Before any traffic was captured there is nothing to measure: no figures, no drift.
  measured = fileexists(var.baseline) && fileexists(var.current)
  figures  = local.measured ? data.local_distribution_drift.sample[0].features : {}
  drifted = {
    for name, f in local.figures : name => { psi = f.psi, ks_p_value = f.ks_p_value }
    if f.psi > var.psi_threshold || f.ks_p_value < var.ks_p_value
  }
  message = length(local.drifted) == 0 ? "" : "data drift: ${join(", ", [for name, f in local.drifted : "${name} (psi ${format("%.3f", f.psi)})"])}"
}

data "local_distribution_drift" "sample" {
  count    = local.measured ? 1 : 0
  baseline = var.baseline
  current  = var.current
  columns  = var.features
}

resource "local_file" "monitor" {
  path = "${var.sandbox_dir}/${env.name}/monitors/${var.name}.json"
  content = jsonencode({
    monitor  = local.full_name
    endpoint = var.endpoint
    baseline = var.baseline
    current  = var.current
    features = var.features
    schedule = var.schedule
    thresholds = {
      psi        = var.psi_threshold
      ks_p_value = var.ks_p_value
    }
    on_drift = { trigger = var.pipeline }
    tags     = local.tags
  })
}

# `plinth drift` exits 2 when this fails, naming each drifted feature and its PSI: the scheduled
# drift job's trigger to retrain. A plan or an apply only warns.
check "data_drift" {
  assert {
    condition     = length(local.drifted) == 0
    error_message = local.message
  }
}
