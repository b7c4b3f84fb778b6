# gpu-cluster on the local platform: a cluster spec (nodes, GPU type and count) as a JSON file
# that local schedulers and the training-pipeline spec refer to. Nothing is started.

locals {
  full_name = "${var.name}-${env.name}"
  tags      = merge(var.tags, { name = var.name, environment = env.name })
}

resource "local_file" "cluster" {
  path = "${var.sandbox_dir}/${env.name}/clusters/${var.name}.json"
  content = jsonencode({
    cluster       = local.full_name
    gpu_type      = var.gpu_type
    node_count    = var.node_count
    gpus_per_node = var.gpus_per_node
    nodes         = [for i in range(var.node_count) : { name = "${local.full_name}-${i}", gpus = var.gpus_per_node }]
    tags          = local.tags
  })
}
