locals {
  x = substr("abc", -9223372036854775808, 9223372036854775807)
}

output "x" {
  value = local.x
}
