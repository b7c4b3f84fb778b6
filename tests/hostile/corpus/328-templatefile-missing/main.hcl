locals {
  x = templatefile("nope.tpl", {})
}

output "x" {
  value = local.x
}
