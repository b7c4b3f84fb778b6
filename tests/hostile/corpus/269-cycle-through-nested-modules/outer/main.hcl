variable "in" {
  type = string
}

module "inner" {
  source = "./inner"
  in     = var.in
}

output "out" {
  value = module.inner.out
}
