locals {
  x = nonsensitive(sensitive(sensitive(1)))
}

output "x" {
  value = local.x
}
