locals {
  x = null[0]
}

output "x" {
  value = local.x
}
