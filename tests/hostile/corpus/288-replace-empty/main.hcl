locals {
  x = replace(join("", [for i in range(1000) : "0123456789"]), "", join("", [for i in range(1000) : "0123456789"]))
}

output "x" {
  value = local.x
}
