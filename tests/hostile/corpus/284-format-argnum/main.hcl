locals {
  x = format("%[18446744073709551615]d", 1)
}

output "x" {
  value = local.x
}
