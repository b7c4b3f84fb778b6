locals {
  x = "${abc"
}
