locals {
  x = 1e999999999
}

output "x" {
  value = local.x
}
