locals {
  x = element([1, 2], -9223372036854775808)
}

output "x" {
  value = local.x
}
