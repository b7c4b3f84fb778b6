locals {
  x = element([1, 2], 9223372036854775807)
}

output "x" {
  value = local.x
}
