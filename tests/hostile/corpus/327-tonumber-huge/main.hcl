locals {
  x = tonumber("1e99999")
}

output "x" {
  value = local.x
}
