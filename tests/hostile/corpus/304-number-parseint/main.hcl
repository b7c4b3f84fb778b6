locals {
  x = parseint("zzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzz", 36)
}

output "x" {
  value = local.x
}
