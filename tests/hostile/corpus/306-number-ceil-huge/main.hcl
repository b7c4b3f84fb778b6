locals {
  x = ceil(1e300)
}

output "x" {
  value = local.x
}
