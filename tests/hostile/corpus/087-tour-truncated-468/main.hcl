variable "names" {
  type    = list(string)
  default = ["a", "b", "c"]
}

locals {
  doc = <<-EOT
    name: ${var.names[0]}
    %{ for n in var.names ~}
    - ${n}
    %{ endfor ~}
  EOT
  by_name = { for i, n in var.names : n => i if n != "b" }
  text    = "tab\there \"quoted\" \u00e9 $${literal} %%{x}"
  nums    = [1, 2.5, -3e2, 0x0]
}

resource "local_value" "each" {
  for_each = local.by_name
  input    = "${each.key}-${each.value}"
}

module "child" {
  sour