locals {
  x = <<-EOT
  abc
  EO
}
