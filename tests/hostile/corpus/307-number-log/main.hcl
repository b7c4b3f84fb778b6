locals {
  x = log(0, 0)
}

output "x" {
  value = local.x
}
