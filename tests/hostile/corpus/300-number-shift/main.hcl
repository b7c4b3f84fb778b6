locals {
  x = 9223372036854775807 + 1
}

output "x" {
  value = local.x
}
