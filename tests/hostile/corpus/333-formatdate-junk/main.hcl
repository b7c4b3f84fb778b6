locals {
  x = formatdate("YYYYYYYYYYYYYYYY", "2024-01-01T00:00:00Z")
}

output "x" {
  value = local.x
}
