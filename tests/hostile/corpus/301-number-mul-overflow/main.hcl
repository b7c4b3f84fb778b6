locals {
  x = 9223372036854775807 * 9223372036854775807
}

output "x" {
  value = local.x
}
