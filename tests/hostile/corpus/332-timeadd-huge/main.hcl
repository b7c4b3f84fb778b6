locals {
  x = timeadd("2024-01-01T00:00:00Z", "99999999999999999h")
}

output "x" {
  value = local.x
}
