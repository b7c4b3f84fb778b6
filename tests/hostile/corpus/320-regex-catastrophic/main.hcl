locals {
  x = regexall("(a*)*b", join("", [for i in range(1000) : "aaaaaaaaaa"]))
}

output "x" {
  value = local.x
}
