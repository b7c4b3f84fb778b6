locals {
  x = file("/dev/zero")
}

output "x" {
  value = local.x
}
