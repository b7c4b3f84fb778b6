locals {
  x = pow(10, 400)
}

output "x" {
  value = local.x
}
