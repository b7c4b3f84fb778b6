locals {
  x = flatten([for a in range(1000) : [for b in range(1000) : range(1000)]])
}

output "n" {
  value = length(local.x)
}
