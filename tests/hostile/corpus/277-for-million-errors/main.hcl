locals {
  x = [for i in flatten([for a in range(1000) : [for b in range(1000) : a * 1000 + b]]) : lookup({}, "k${i}")]
}

output "n" {
  value = length(local.x)
}
