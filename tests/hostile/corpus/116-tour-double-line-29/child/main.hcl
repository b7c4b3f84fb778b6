variable "prefix" {
  type = string
}

output "out" {
  value = upper(var.prefix)
}
