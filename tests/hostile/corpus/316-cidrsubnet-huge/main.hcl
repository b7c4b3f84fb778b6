locals {
  x = cidrsubnet("10.0.0.0/8", 99999999, 99999999999)
}

output "x" {
  value = local.x
}
