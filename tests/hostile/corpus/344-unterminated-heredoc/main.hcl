locals {
  x = <<EOT
abc
