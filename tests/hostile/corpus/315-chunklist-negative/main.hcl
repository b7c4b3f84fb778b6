locals {
  x = chunklist([1, 2, 3], -1)
}

output "x" {
  value = local.x
}
