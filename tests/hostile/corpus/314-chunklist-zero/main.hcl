locals {
  x = chunklist([1, 2, 3], 0)
}

output "x" {
  value = local.x
}
