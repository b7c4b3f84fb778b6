locals {
  x = range(0, 1e15)
}

output "x" {
  value = local.x
}
