locals {
  x = cidrhost("::/0", -1)
}

output "x" {
  value = local.x
}
