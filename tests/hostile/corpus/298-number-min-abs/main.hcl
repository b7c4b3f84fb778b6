locals {
  x = abs(-9223372036854775808)
}

output "x" {
  value = local.x
}
