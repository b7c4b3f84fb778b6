locals {
  x = 1e308 * 10
}

output "x" {
  value = local.x
}
