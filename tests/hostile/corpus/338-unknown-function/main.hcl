locals {
  x = nosuchfunction(1)
}

output "x" {
  value = local.x
}
