variable "names" {
  type    = list(string)
  default = ["a", "b", "c"]
}

locals {
  doc = <<-EOT
    name: ${var.names[0]}
    %{ for n in var.names ~}
    - ${n}
    