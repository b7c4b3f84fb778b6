locals {
  x = join(join("", [for i in range(1000) : "0123456789"]), [for i in flatten([for a in range(1000) : range(100)]) : "x"])
}

output "x" {
  value = local.x
}
