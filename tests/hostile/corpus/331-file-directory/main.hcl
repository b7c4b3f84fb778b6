locals {
  x = file(".")
}

output "x" {
  value = local.x
}
