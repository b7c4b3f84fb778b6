locals {
  x = "a"
}

output "x" {
  value = local.x
}
