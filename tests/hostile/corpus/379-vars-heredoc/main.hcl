variable "a" {
  type = any
}

output "a" {
  value = var.a
}
