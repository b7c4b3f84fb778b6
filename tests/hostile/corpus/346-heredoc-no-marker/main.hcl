locals {
  x = <<
abc
}
