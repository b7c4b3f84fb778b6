locals {
  x = provider::x::y(1)
}

output "x" {
  value = local.x
}
