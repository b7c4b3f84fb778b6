locals {
  x = format("%.999999999f", 1)
}

output "x" {
  value = local.x
}
