variable "names" {
  type    = list(string)
  default = ["a", "b", "c"]
}

locals {
