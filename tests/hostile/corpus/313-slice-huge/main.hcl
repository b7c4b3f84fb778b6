locals {
  x = slice([1, 2, 3], 0, 99999999999999999999)
}

output "x" {
  value = local.x
}
