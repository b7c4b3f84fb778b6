locals {
  x = filesha256("/dev/zero")
}

output "x" {
  value = local.x
}
