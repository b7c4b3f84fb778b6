locals {
  x = slice([1, 2, 3], 2, 1)
}

output "x" {
  value = local.x
}
