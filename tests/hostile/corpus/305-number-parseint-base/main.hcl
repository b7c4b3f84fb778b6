locals {
  x = parseint("10", 99999999999999999999)
}

output "x" {
  value = local.x
}
