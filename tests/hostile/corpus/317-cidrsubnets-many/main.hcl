locals {
  x = cidrsubnets("10.0.0.0/8", [for i in range(1000) : 24]...)
}

output "x" {
  value = local.x
}
