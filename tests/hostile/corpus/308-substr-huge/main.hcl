locals {
  x = substr("abc", 99999999999999999999, -5)
}

output "x" {
  value = local.x
}
