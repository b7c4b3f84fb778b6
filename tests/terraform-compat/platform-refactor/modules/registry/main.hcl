variable "root" {
  type = string
}

variable "models" {
  type = map(object({
    owner     = string
    stage     = optional(string, "staging")
    approvers = optional(list(string), [])
  }))
}

resource "local_model_registry" "this" {
  path        = "${var.root}/registry"
  name        = "models-${terraform.workspace}"
  description = "Models and their cards"
}

resource "local_file" "model_card" {
  for_each = var.models
  path     = "${var.root}/cards/${each.key}.md"
  content  = <<-EOT
    # ${each.key}
    owner: ${each.value.owner}
    stage: ${each.value.stage}
    approvers: ${join(", ", each.value.approvers)}
  EOT
}

output "cards" {
  value = { for k, f in local_file.model_card : k => f.path }
}
