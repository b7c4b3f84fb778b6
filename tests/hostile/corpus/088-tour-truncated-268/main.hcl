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
  text    = "tab\ther