locals {
  x = range(10, 0, 1)
}

output "x" {
  value = local.x
}
