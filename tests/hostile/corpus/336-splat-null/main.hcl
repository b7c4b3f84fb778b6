locals {
  x = null[*].a
}

output "x" {
  value = local.x
}
