locals {
  x = -9223372036854775808 / -1
}

output "x" {
  value = local.x
}
