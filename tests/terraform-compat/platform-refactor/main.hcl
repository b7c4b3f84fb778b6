# A model registry that grew up: its resources moved from the root into a module, a count-based
# list of spec files turned into for_each keys, all with moved blocks so nothing is destroyed.

variable "models" {
  type = map(object({
    owner     = string
    stage     = optional(string, "staging")
    approvers = optional(list(string), [])
  }))
  default = {
    churn = { owner = "growth", approvers = ["ml-lead"] }
    fraud = { owner = "risk", stage = "production" }
  }
}

module "registry" {
  source = "./modules/registry"
  root   = "${path.module}/sandbox/${terraform.workspace}"
  models = var.models
}

moved {
  from = local_model_registry.main
  to   = module.registry.local_model_registry.this
}

moved {
  from = local_file.model_card[0]
  to   = module.registry.local_file.model_card["churn"]
}

moved {
  from = local_file.model_card[1]
  to   = module.registry.local_file.model_card["fraud"]
}

output "cards" {
  value = module.registry.cards
}
