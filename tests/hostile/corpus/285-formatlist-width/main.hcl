locals {
  x = formatlist("%900000d", range(1000))
}

output "x" {
  value = local.x
}
