locals {
  x = "%{ if true }abc"
}
