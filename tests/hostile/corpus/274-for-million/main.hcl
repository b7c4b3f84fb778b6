locals {
  million = flatten([for a in range(1000) : range(1000)])
  x       = [for i in local.million : i * 2]
}

output "n" {
  value = length(local.x)
}
