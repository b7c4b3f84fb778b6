variable "database" {
  type = string
}

variable "name" {
  type = string
}

variable "columns" {
  type = list(object({
    name = string
    type = optional(string, "INTEGER")
  }))
}

variable "primary_key" {
  type    = string
  default = null
}

resource "local_feature_table" "this" {
  database    = var.database
  name        = var.name
  columns     = var.columns
  primary_key = var.primary_key
}

output "id" {
  value = local_feature_table.this.id
}

output "primary_key" {
  value = local_feature_table.this.primary_key
}
