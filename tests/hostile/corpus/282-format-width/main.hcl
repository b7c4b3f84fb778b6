locals {
  x = format("%999999999d", 1)
}

output "x" {
  value = local.x
}
