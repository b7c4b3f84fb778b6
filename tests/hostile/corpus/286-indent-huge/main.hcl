locals {
  x = indent(1000000000, "a\nb\nc")
}

output "x" {
  value = local.x
}
