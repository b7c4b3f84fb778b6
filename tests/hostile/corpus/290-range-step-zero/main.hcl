locals {
  x = range(0, 10, 0)
}

output "x" {
  value = local.x
}
